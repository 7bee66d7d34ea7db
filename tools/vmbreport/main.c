/*
 * vmb-report: turn vmbench serial logs into tables.
 *   vmb-report [--json|--csv|--records|--study] [--check] LOG...   ("-" reads stdin)
 * Exit 0 when every log is complete, undamaged, with status ok and no
 * figure flagged untrustworthy; 1 otherwise (with --check, also on any
 * problem); 2 on misuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"
#include "output.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: vmb-report [--json|--csv|--records|--study] [--check] LOG...  (- for "
		"stdin)\n"
		"  --records  the records as read, one 'VMB {json}' line each (wrapped ones "
		"joined)\n"
		"  --study    the study's tables in Markdown, across the logs' architectures and "
		"modes\n");
	return 2;
}

static int read_log(struct vmb_log *log, const char *path)
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

int main(int argc, char **argv)
{
	enum { TABLE, JSON, CSV, RECORDS, STUDY } format = TABLE;
	bool check = false;
	int nfiles = 0, rc = 0;
	const char **files = calloc((size_t)argc, sizeof(*files));

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			format = JSON;
		else if (!strcmp(argv[i], "--csv"))
			format = CSV;
		else if (!strcmp(argv[i], "--records"))
			format = RECORDS;
		else if (!strcmp(argv[i], "--study"))
			format = STUDY;
		else if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage() - 2;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else
			files[nfiles++] = argv[i];
	}
	if (!nfiles)
		return usage();

	struct vmb_log *logs = calloc((size_t)nfiles, sizeof(*logs));
	for (int i = 0; i < nfiles; i++)
		if (read_log(&logs[i], files[i]))
			return 2;

	if (format == JSON)
		print_json(stdout, logs, nfiles);
	else if (format == CSV)
		print_csv(stdout, logs, nfiles);
	else if (format == RECORDS)
		for (int i = 0; i < nfiles; i++)
			print_records(stdout, &logs[i]);
	else if (format == STUDY) {
		print_micro(stdout, logs, nfiles);
		fprintf(stdout, "## Hypercall Breakdown\n\np50 of one save and of one restore "
				"of each class, timer overhead subtracted.\n\n");
		bool any = false;
		for (int i = 0; i < nfiles; i++)
			any |= print_breakdown_md(stdout, &logs[i]);
		if (!any)
			fprintf(stdout, "No log has one: the breakdown runs natively at EL2 on "
					"arm64 (breakdown.<class>).\n\n");
		print_network(stdout, logs, nfiles);
	} else {
		print_table(stdout, logs, nfiles);
		if (nfiles > 1)
			print_comparison(stdout, logs, nfiles);
	}
	for (int i = 0; i < nfiles; i++) {
		if (!logs[i].end)
			fprintf(stderr, "vmb-report: %s: INCOMPLETE: no end record\n",
				logs[i].name);
		else if (!logs[i].boot)
			fprintf(stderr, "vmb-report: %s: INCOMPLETE: no boot record\n",
				logs[i].name);
		else if (logs[i].damaged)
			fprintf(stderr,
				"vmb-report: %s: DAMAGED: %u record(s) lost or inconsistent\n",
				logs[i].name, logs[i].damaged);
		if (logs[i].suspect)
			fprintf(stderr,
				"vmb-report: %s: %u figure(s) NOT TRUSTWORTHY: the counter "
				"missed time\n",
				logs[i].name, logs[i].suspect);
		if (!vmb_log_ok(&logs[i]) || logs[i].suspect || (check && logs[i].nproblems))
			rc = 1;
		vmb_log_free(&logs[i]);
	}
	free(logs);
	free(files);
	return rc;
}
