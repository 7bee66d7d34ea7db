/*
 * gnuplot plots embedded in a self-contained HTML page (plots.c).
 */
#ifndef VMB_PLOTS_H
#define VMB_PLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PLOTS_MAX 256
struct plots {
	char dir[256];
	FILE *gp; /* the one gnuplot script that draws them all, run in dir */
	int n;	  /* plots begun: plot000 ... */
	bool dropped;
};

/* A private directory and its script; -1 (said on stderr) when not. */
int plots_open(struct plots *p);
/* Opens the next plot: its data file (returned, NULL past PLOTS_MAX),
 * and its part of the script up to its own commands, which the caller
 * writes; name gets the plot's name. */
FILE *plot_begin(struct plots *p, const char *title, bool emulated, char *name, size_t name_len);
/* Runs gnuplot on the script; -1 (with what it said) when it fails. */
int plots_draw(struct plots *p);
/* Plot k as a data: image, or a warning where gnuplot drew nothing. */
void embed_svg(FILE *out, const struct plots *p, int k, const char *alt);
/* The directory and its files, unless VMB_REPORT_KEEP_PLOTS is set. */
void plots_clean(struct plots *p);

/* Text for HTML or XML (JUnit), escaped, control characters dropped;
 * text for the script, quoted and made safe. */
void html_text(FILE *out, const char *s);
void gp_text(FILE *out, const char *s);

#endif
