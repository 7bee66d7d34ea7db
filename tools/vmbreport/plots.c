/*
 * Plots for the HTML pages: one gnuplot script draws every plot of a
 * page as SVG in a private directory, and the page embeds each as a
 * data: image, so the page is one self-contained file.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plots.h"

int plots_open(struct plots *p)
{
	const char *tmp = getenv("TMPDIR");
	char path[320];

	*p = (struct plots){ .n = 0 };
	snprintf(p->dir, sizeof(p->dir), "%s/vmb-html.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p->dir)) {
		fprintf(stderr, "vmb-report: no room for the plots: %s\n", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/plots.gp", p->dir);
	if (!(p->gp = fopen(path, "w"))) {
		fprintf(stderr, "vmb-report: no room for the plots: %s\n", strerror(errno));
		rmdir(p->dir);
		return -1;
	}
	return 0;
}

void html_text(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			/* control characters are not allowed in XML (JUnit) */
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, out);
		}
}

/* A string for the gnuplot script or a data file, in double quotes.
 * Text from logs gets there (file names, labels): only characters that
 * can neither end a double-quoted string, start an escape, a command
 * substitution (`) nor a macro (@) go through (' is one of them: it ends
 * only single-quoted strings); the rest become '_'. */
void gp_text(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			fputs("\\n", out);
		else if (c >= 0x80 || isalnum(c) || strchr(" ._-()/:,+%?=[]#*'", c))
			fputc(c, out);
		else
			fputc('_', out);
	}
	fputc('"', out);
}

static void plot_name(char *buf, size_t len, int k)
{
	snprintf(buf, len, "plot%03d", k);
}

/* Opens the next plot: its data file (returned), and its part of the
 * script up to its own commands, which the caller writes. Names are
 * relative: gnuplot runs in the plots' directory. */
FILE *plot_begin(struct plots *p, const char *title, bool emulated, char *name, size_t name_len)
{
	char path[320];

	if (p->n >= PLOTS_MAX) {
		p->dropped = true;
		return NULL;
	}
	plot_name(name, name_len, p->n);
	snprintf(path, sizeof(path), "%s/%s.dat", p->dir, name);
	FILE *d = fopen(path, "w");
	if (!d)
		return NULL;
	p->n++;
	fprintf(p->gp,
		"reset\nset terminal svg size 760,380 fixed enhanced font 'DejaVu Sans,11' "
		"background '#ffffff'\nset output '%s.svg'\nset encoding utf8\nset grid ytics\n"
		"set title ",
		name);
	char t[600];
	snprintf(t, sizeof(t), "%s%s", title, emulated ? "\nEMULATED: not hardware figures" : "");
	gp_text(p->gp, t);
	fprintf(p->gp, " noenhanced\n");
	return d;
}

/* An SVG gnuplot drew, as a data: image (ids of one plot cannot clash
 * with another's, and no script runs). */
void embed_svg(FILE *out, const struct plots *p, int k, const char *alt)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char name[16], path[320];
	unsigned char in[3];
	size_t got;

	plot_name(name, sizeof(name), k);
	snprintf(path, sizeof(path), "%s/%s.svg", p->dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(out, "<p class=warn>plot %s missing: gnuplot drew nothing</p>\n", name);
		return;
	}
	fprintf(out, "<figure><img alt=\"");
	html_text(out, alt);
	fprintf(out, "\" src=\"data:image/svg+xml;base64,");
	while ((got = fread(in, 1, 3, f)) > 0) {
		unsigned v = (unsigned)in[0] << 16 | (got > 1 ? (unsigned)in[1] << 8 : 0) |
			     (got > 2 ? in[2] : 0);
		fputc(b64[v >> 18 & 63], out);
		fputc(b64[v >> 12 & 63], out);
		fputc(got > 1 ? b64[v >> 6 & 63] : '=', out);
		fputc(got > 2 ? b64[v & 63] : '=', out);
	}
	fclose(f);
	fprintf(out, "\"></figure>\n");
}

/* gnuplot on the script, in the plots' directory, its complaints in
 * gnuplot.err there; no shell between. */
int plots_draw(struct plots *p)
{
	char errpath[320];
	int status = -1;

	fclose(p->gp);
	p->gp = NULL;
	snprintf(errpath, sizeof(errpath), "%s/gnuplot.err", p->dir);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (chdir(p->dir) || fd < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		int code = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		fprintf(stderr, "vmb-report: gnuplot failed (exit %d)%s; what it said:\n", code,
			code == 127 ? ": is gnuplot installed (Debian: gnuplot-nox)?" : "");
		FILE *e = fopen(errpath, "r");
		char line[256];
		for (int k = 0; e && k < 20 && fgets(line, sizeof(line), e); k++)
			fputs(line, stderr);
		if (e)
			fclose(e);
		return -1;
	}
	return 0;
}

void plots_clean(struct plots *p)
{
	static const char *const ext[] = { ".dat", ".svg" };
	char name[16], path[320];

	if (getenv("VMB_REPORT_KEEP_PLOTS")) {
		fprintf(stderr, "vmb-report: plots kept in %s\n", p->dir);
		return;
	}
	for (int i = 0; i < p->n; i++)
		for (size_t k = 0; k < 2; k++) {
			plot_name(name, sizeof(name), i);
			snprintf(path, sizeof(path), "%s/%s%s", p->dir, name, ext[k]);
			unlink(path);
		}
	snprintf(path, sizeof(path), "%s/plots.gp", p->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/gnuplot.err", p->dir);
	unlink(path);
	rmdir(p->dir);
}
