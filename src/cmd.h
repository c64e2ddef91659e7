/*
 * cmd.h -- the commands main() dispatches to, and the output helpers they
 * share.  Command files (src/cmd_*.c) are the only place besides main.c
 * that sees every pipeline stage.
 */
#ifndef VG_CMD_H
#define VG_CMD_H

#include "vg.h"
#include "store/store.h"

#include <stdio.h>

int vg_cmd_scan(int argc, char **argv);
int vg_cmd_findings(int argc, char **argv);
int vg_cmd_types(int argc, char **argv);
int vg_cmd_train(int argc, char **argv);

/* Exit codes shared by all commands. */
enum {
	VG_EXIT_OK = 0,
	VG_EXIT_USAGE = 1,
	VG_EXIT_NOINPUT = 2, /* nothing could be read */
	VG_EXIT_FAIL = 3,    /* store or internal failure */
};

enum vg_format { VG_FMT_TABLE, VG_FMT_JSON, VG_FMT_JSONL };

/* vg_format_parse -- "table", "json" or "jsonl"; -1 if none of them. */
int vg_format_parse(const char *s);
/* vg_format_default -- table on a terminal, jsonl otherwise. */
enum vg_format vg_format_default(FILE *f);

/* Printing findings: begin, one call per finding, end. */
struct vg_printer {
	FILE *f;
	enum vg_format fmt;
	bool color;
	size_t n;
};
void vg_print_begin(struct vg_printer *p, FILE *f, enum vg_format fmt);
void vg_print_finding(struct vg_printer *p, const struct vg_stored_finding *sf);
void vg_print_end(struct vg_printer *p);

/* vg_severity_label -- "Critical", "High", "Medium" or "Low". */
const char *vg_severity_label(double severity);

#endif /* VG_CMD_H */
