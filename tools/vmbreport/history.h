/*
 * vmb-report --history: many runs of one target over time (history.c).
 */
#ifndef VMB_HISTORY_H
#define VMB_HISTORY_H

int history_main(int argc, char **argv);

#endif
