/*
 * cmd_output.c -- findings on stdout: a table for people (severity
 * coloured as the GuardDuty console does), GuardDuty JSON for programs.
 */
#include "vg.h"
#include "cmd.h"
#include "core/time.h"

#include <stdlib.h>
#include <unistd.h>

int vg_format_parse(const char *s)
{
	static const char *const names[] = {[VG_FMT_TABLE] = "table", [VG_FMT_JSON] = "json",
					    [VG_FMT_JSONL] = "jsonl"};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

enum vg_format vg_format_default(FILE *f) { return isatty(fileno(f)) ? VG_FMT_TABLE : VG_FMT_JSONL; }

const char *vg_severity_label(double s)
{
	/* The documented ranges: Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9,
	 * Critical 9.0-10.0. */
	return s >= 9.0 ? "Critical" : s >= 7.0 ? "High" : s >= 4.0 ? "Medium" : "Low";
}

static const char *severity_color(double s)
{
	return s >= 7.0 ? "\033[1;31m" : s >= 4.0 ? "\033[33m" : "\033[34m";
}

void vg_print_begin(struct vg_printer *p, FILE *f, enum vg_format fmt)
{
	*p = (struct vg_printer){.f = f, .fmt = fmt};
	/* Colour only for a terminal, and never when NO_COLOR is set
	 * (no-color.org). */
	p->color = fmt == VG_FMT_TABLE && isatty(fileno(f)) && !getenv("NO_COLOR");
	if (fmt == VG_FMT_JSON)
		fputs("{\"findings\":[", f);
	else if (fmt == VG_FMT_TABLE)
		fprintf(f, "%-8s  %-48s  %-28s  %5s  %-20s  %-12s  %s\n", "SEVERITY", "TYPE", "RESOURCE", "COUNT",
			"LAST SEEN", "ACCOUNT", "REGION");
}

void vg_print_finding(struct vg_printer *p, const struct vg_stored_finding *sf)
{
	switch (p->fmt) {
	case VG_FMT_JSON:
		fputs(p->n ? ",\n" : "\n", p->f);
		fputs(sf->json, p->f);
		break;
	case VG_FMT_JSONL:
		fputs(sf->json, p->f);
		fputc('\n', p->f);
		break;
	case VG_FMT_TABLE: {
		char t[VG_TIME_ISO_LEN + 1];
		vg_time_format(sf->last_seen_ms, t);
		t[19] = 'Z'; /* seconds are enough for a table */
		t[20] = '\0';
		fprintf(p->f, "%s%-8s%s  %-48s  %-28s  %5llu  %-20s  %-12s  %s\n", p->color ? severity_color(sf->severity) : "",
			vg_severity_label(sf->severity), p->color ? "\033[0m" : "", sf->type, sf->resource_id,
			(unsigned long long)sf->count, t, sf->account, sf->region);
		break;
	}
	}
	p->n++;
}

void vg_print_end(struct vg_printer *p)
{
	if (p->fmt == VG_FMT_JSON)
		fputs(p->n ? "\n]}\n" : "]}\n", p->f);
	else if (p->fmt == VG_FMT_TABLE && p->n == 0)
		fputs("(no findings)\n", p->f);
	fflush(p->f);
}
