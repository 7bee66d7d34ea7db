/*
 * The study's tables as CSV, one row per cell of every table, rendered
 * from study_build()'s document: figures in ns (and the cell's own unit
 * where it has one), the emulation mark and the damage mark on every row,
 * and the reason where a cell is empty.
 */
#include <string.h>

#include "csv.h"
#include "study.h"
#include "study_cell.h"

static const char *const header[] = {
	"table", "row",	  "label",	  "kind",    "arch",	"mode",	   "emulated", "p50_ns",
	"lo_ns", "lo",	  "min_ns",	  "p1_ns",   "p99_ns",	"max_ns",  "cycles",   "overhead",
	"ns",	 "per_s", "bit_s",	  "pct",     "save",	"restore", "save_ns",  "restore_ns",
	"p50",	 "unit",  "rate_unknown", "suspect", "damaged", "file",	   "missing",
};
#define NFIELDS (sizeof(header) / sizeof(header[0]))

/* One row: each header field from the first object that has it. */
static void row(FILE *out, const cJSON *const objs[], size_t nobjs)
{
	for (size_t f = 0; f < NFIELDS; f++) {
		if (f)
			fputc(',', out);
		for (size_t k = 0; k < nobjs; k++) {
			const cJSON *v = objs[k] ? study_get(objs[k], header[f]) : NULL;
			if (!v)
				continue;
			char num[40];
			if (cJSON_IsString(v))
				csv_field(out, v->valuestring, false);
			else if (cJSON_IsBool(v))
				fputs(cJSON_IsTrue(v) ? "yes" : "no", out);
			else if (cJSON_IsNumber(v)) {
				snprintf(num, sizeof(num), "%.10g", v->valuedouble);
				fputs(num, out);
			}
			break;
		}
	}
	fputc('\n', out);
}

/* The table and row names as members, for row(). */
static cJSON *names(const char *table, const char *rowname, const char *label, const char *kind)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "table", table);
	cJSON_AddStringToObject(o, "row", rowname);
	cJSON_AddStringToObject(o, "label", label);
	if (kind)
		cJSON_AddStringToObject(o, "kind", kind);
	return o;
}

static void by_column(FILE *out, const cJSON *doc, const char *table, const cJSON *rows)
{
	const cJSON *cols = study_get(doc, "columns"), *r;

	cJSON_ArrayForEach(r, rows) {
		cJSON *n = names(table, vmb_str(r, "bench", ""), vmb_str(r, "label", ""),
				 vmb_str(r, "kind", NULL));
		int c = 0;
		const cJSON *cell;
		cJSON_ArrayForEach(cell, study_get(r, "cells")) {
			const cJSON *objs[] = { n, cell, cJSON_GetArrayItem(cols, c++) };
			row(out, objs, sizeof(objs) / sizeof(objs[0]));
		}
		cJSON_Delete(n);
	}
}

/* One row per entry of a breakdown's list, the log's fields after its own. */
static void breakdown_rows(FILE *out, const cJSON *b, const char *list, const char *table,
			   const char *row_key, const char *label_key)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, study_get(b, list)) {
		cJSON *n = names(table, vmb_str(c, row_key, ""), vmb_str(c, label_key, ""), NULL);
		const cJSON *objs[] = { n, c, b };
		row(out, objs, sizeof(objs) / sizeof(objs[0]));
		cJSON_Delete(n);
	}
}

void study_csv(FILE *out, const cJSON *doc)
{
	const cJSON *b, *c;

	for (size_t f = 0; f < NFIELDS; f++)
		fprintf(out, "%s%s", f ? "," : "", header[f]);
	fputc('\n', out);
	by_column(out, doc, "micro", study_get(doc, "micro"));
	cJSON_ArrayForEach(b, study_get(doc, "breakdown")) {
		breakdown_rows(out, b, "classes", "breakdown", "class", "label");
		/* the whole switches beside the classes */
		breakdown_rows(out, b, "whole", "breakdown_whole", "bench", "bench");
	}
	by_column(out, doc, "tcp_rr", study_get(doc, "tcp_rr"));
	by_column(out, doc, "bulk", study_get(doc, "bulk"));
	/* the latency CDFs: a row per point */
	cJSON_ArrayForEach(b, study_get(doc, "latency")) {
		cJSON *n = names("latency", vmb_str(b, "bench", ""), vmb_str(b, "label", ""), NULL);
		cJSON_ArrayForEach(c, study_get(b, "series")) {
			const cJSON *col = cJSON_GetArrayItem(study_get(doc, "columns"),
							      (int)vmb_num(c, "column", 0)),
				    *pt;
			cJSON_ArrayForEach(pt, study_get(c, "points")) {
				const cJSON *x = cJSON_GetArrayItem(pt, 0),
					    *y = cJSON_GetArrayItem(pt, 1);
				if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y))
					continue;
				cJSON *v = cJSON_CreateObject();
				cJSON_AddNumberToObject(v, "pct", x->valuedouble);
				cJSON_AddNumberToObject(v, "ns", y->valuedouble);
				const cJSON *objs[] = { n, v, c, col };
				row(out, objs, sizeof(objs) / sizeof(objs[0]));
				cJSON_Delete(v);
			}
		}
		cJSON_Delete(n);
	}
}
