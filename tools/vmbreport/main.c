/*
 * vmb-report: turn vmbench serial logs into tables.
 *   vmb-report [--json|--csv|--records|--study] [--check] LOG...   ("-" reads stdin)
 *   vmb-report --study [--json|--csv|--html FILE] LOG...
 *   vmb-report --compare [OPTIONS] A.log... -- B.log...   (compare_main.c)
 *   vmb-report --history [--json F] [--html F] DIR|LOG...   (history.c)
 * Exit 0 when every log is complete, undamaged, with status ok and no
 * figure flagged untrustworthy; 1 otherwise (with --check, also on any
 * problem); 2 on misuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"
#include "logfile.h"
#include "compare.h"
#include "history.h"
#include "breakdown.h"
#include "output.h"
#include "study.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: vmb-report [--json|--csv|--records|--study] [--check] LOG...  (- for "
		"stdin)\n"
		"  --records  the records as read, one 'VMB {json}' line each (wrapped ones "
		"joined)\n"
		"  --study    the study's tables in Markdown, across the logs' architectures and "
		"modes\n"
		"             (with --json or --csv: the same tables in that form)\n"
		"  --html F   the study as one self-contained HTML page with plots (gnuplot), "
		"into F\n"
		"       vmb-report --compare [OPTIONS] A.log... -- B.log...  (--compare --help)\n"
		"       vmb-report --history [--json F] [--html F] DIR|LOG...  (runs over time)\n");
	return 2;
}

int main(int argc, char **argv)
{
	enum { TABLE, JSON, CSV, RECORDS } format = TABLE;
	bool check = false, study = false;
	const char *html = NULL;
	int nfiles = 0, rc = 0;
	const char **files = calloc((size_t)argc, sizeof(*files));

	if (argc > 1 && !strcmp(argv[1], "--compare"))
		return compare_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "--history"))
		return history_main(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			format = JSON;
		else if (!strcmp(argv[i], "--csv"))
			format = CSV;
		else if (!strcmp(argv[i], "--records"))
			format = RECORDS;
		else if (!strcmp(argv[i], "--study"))
			study = true;
		else if (!strcmp(argv[i], "--html") && i + 1 < argc)
			html = argv[++i];
		else if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage() - 2;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else
			files[nfiles++] = argv[i];
	}
	if (!nfiles || (html && format != TABLE) || ((study || html) && format == RECORDS))
		return usage();

	struct vmb_log *logs = calloc((size_t)nfiles, sizeof(*logs));
	for (int i = 0; i < nfiles; i++)
		if (vmb_log_read(&logs[i], files[i]))
			return 2;

	if (study || html) {
		cJSON *doc = study_build(logs, nfiles);
		if (html) {
			FILE *f = fopen(html, "w");
			int drawn = f ? study_html(f, doc) : -1;
			if (!f || fclose(f) || drawn) {
				/* no page without its plots */
				if (f)
					remove(html);
				fprintf(stderr, "vmb-report: no HTML report written to %s%s\n",
					html, f ? " (above: why)" : ": cannot create it");
				rc = 2;
			}
		} else if (format == JSON) {
			char *text = cJSON_Print(doc);
			fprintf(stdout, "%s\n", text);
			free(text);
		} else if (format == CSV)
			study_csv(stdout, doc);
		else
			study_markdown(stdout, doc);
		cJSON_Delete(doc);
	} else if (format == JSON)
		print_json(stdout, logs, nfiles);
	else if (format == CSV)
		print_csv(stdout, logs, nfiles);
	else if (format == RECORDS)
		for (int i = 0; i < nfiles; i++)
			print_records(stdout, &logs[i]);
	else {
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
		if (logs[i].refused)
			fprintf(stderr,
				"vmb-report: %s: %u figure(s) NOT TRUSTWORTHY: a one-way time "
				"longer than its round trip\n",
				logs[i].name, logs[i].refused);
		if (!rc && (!vmb_log_ok(&logs[i]) || logs[i].suspect || logs[i].refused ||
			    (check && logs[i].nproblems)))
			rc = 1;
		vmb_log_free(&logs[i]);
	}
	free(logs);
	free(files);
	return rc;
}
