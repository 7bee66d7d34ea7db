/*
 * A serial log from a file ("-": standard input) through the reader.
 */
#ifndef VMB_LOGFILE_H
#define VMB_LOGFILE_H

#include "logparse.h"

/* 0, or -1 (said on stderr) when the file cannot be read. */
int vmb_log_read(struct vmb_log *log, const char *path);

#endif
