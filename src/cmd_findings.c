/*
 * cmd_findings.c -- `vigil findings`: what a --db database holds.
 */
#include "vg.h"
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
	"usage: vigil findings --db FILE [options]\n"
	"\n"
	"Print the findings kept in a database written by 'vigil scan --db FILE',\n"
	"highest severity first.\n"
	"\n"
	"options:\n"
	"      --db FILE           the SQLite database (required)\n"
	"  -f, --format FMT        table (default on a terminal), json, jsonl\n"
	"      --min-severity N    only findings with severity >= N (e.g. 7 for High)\n"
	"  -h, --help              this help\n";

struct filter {
	double min_severity;
	struct vg_printer p;
};

static int print_one(void *ctx, const struct vg_stored_finding *f)
{
	struct filter *fl = ctx;
	if (f->severity >= fl->min_severity)
		vg_print_finding(&fl->p, f);
	return VG_OK;
}

int vg_cmd_findings(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_MIN };
	static const struct option longopts[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"format", required_argument, NULL, 'f'},
		{"min-severity", required_argument, NULL, OPT_MIN},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	enum vg_format fmt = vg_format_default(stdout);
	struct filter fl = {0};
	int c, f;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: db = optarg; break;
		case 'f':
			if ((f = vg_format_parse(optarg)) < 0) {
				fprintf(stderr, "vigil findings: unknown format '%s' (use table, json or jsonl)\n", optarg);
				return VG_EXIT_USAGE;
			}
			fmt = (enum vg_format)f;
			break;
		case OPT_MIN:
			fl.min_severity = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0') {
				fprintf(stderr, "vigil findings: --min-severity needs a number, got '%s'\n", optarg);
				return VG_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage, stdout); return VG_EXIT_OK;
		default: fputs("Try 'vigil findings --help'.\n", stderr); return VG_EXIT_USAGE;
		}
	}
	if (!db) {
		fputs("vigil findings: --db FILE is required (the database 'vigil scan --db FILE' wrote)\n", stderr);
		return VG_EXIT_USAGE;
	}
	FILE *probe = fopen(db, "rb");
	if (!probe) {
		fprintf(stderr, "vigil findings: %s: no such database; run 'vigil scan --db %s PATH' first\n", db, db);
		return VG_EXIT_NOINPUT;
	}
	fclose(probe);
	struct vg_store *s;
	char why[256];
	if (vg_store_open_sqlite(db, &s, why, sizeof(why)) != VG_OK) {
		fprintf(stderr, "vigil findings: cannot open %s: %s\n", db, why);
		return VG_EXIT_FAIL;
	}
	vg_print_begin(&fl.p, stdout, fmt);
	int rc = s->ops->each(s, print_one, &fl);
	vg_print_end(&fl.p);
	s->ops->close(s);
	if (rc != VG_OK) {
		fprintf(stderr, "vigil findings: reading %s failed: %s\n", db, vg_strerror(rc));
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}
