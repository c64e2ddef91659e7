/*
 * main.c -- the vigil command line: a table of commands.
 */
#include "vg.h"
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef VG_VERSION
#define VG_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"scan", vg_cmd_scan, "read CloudTrail, VPC flow and DNS logs; print GuardDuty findings"},
	{"findings", vg_cmd_findings, "list the findings kept in a --db database"},
	{"types", vg_cmd_types, "list the finding types vigil detects"},
	{"train", vg_cmd_train, "learn a model offline: 'train dga' writes src/detect/dga_model.c"},
};

static void help(FILE *f)
{
	fputs("usage: vigil COMMAND [options] [ARGS]\n\n"
	      "vigil detects threats in AWS logs and reports them as GuardDuty findings.\n\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'vigil COMMAND --help' describes a command; 'man vigil' has the details.\n", f);
}

int main(int argc, char **argv)
{
#ifdef VG_ALLOC_DEBUG
	/* Test builds only: fail the Nth allocation (tests/alloc/run walks N). */
	const char *fail = getenv("VIGIL_FAIL_ALLOC");
	if (fail)
		vg_alloc_fail_after(strtol(fail, NULL, 10));
#endif
	if (argc < 2) {
		help(stderr);
		return VG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		help(stdout);
		return VG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("vigil %s\n", VG_VERSION);
		return VG_EXIT_OK;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		/* getopt prefixes its messages with argv[0]: make it the
		 * command's full name. */
		char name[32];
		snprintf(name, sizeof(name), "vigil %s", commands[i].name);
		argv[1] = name;
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "vigil: unknown command '%s'\n\n", argv[1]);
	help(stderr);
	return VG_EXIT_USAGE;
}
