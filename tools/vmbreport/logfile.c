/*
 * Reading a log file in chunks: the reader assembles lines itself.
 */
#include <stdio.h>
#include <string.h>

#include "logfile.h"

int vmb_log_read(struct vmb_log *log, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char buf[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "vmb-report: cannot read %s\n", path);
		return -1;
	}
	vmb_log_init(log, path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		vmb_log_feed(log, buf, n);
	vmb_log_finish(log);
	if (f != stdin)
		fclose(f);
	return 0;
}
