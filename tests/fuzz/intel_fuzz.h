/*
 * intel_fuzz.h -- what the intel list fuzz targets share: a sink that
 * checks every entry it is handed (a valid kind; an address or CIDR that
 * parses again; a host name in lower case, without a trailing dot, of
 * allowed characters and length) and aborts otherwise, and the copy of
 * the input into a buffer with the padding vg_input_read leaves.
 */
#ifndef VG_TESTS_FUZZ_INTEL_FUZZ_H
#define VG_TESTS_FUZZ_INTEL_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg.h"
#include "core/ip.h"
#include "enrich/intel_formats.h"
#include "ingest/input.h"

struct intel_run {
	volatile uint64_t acc; /* keeps the reads from being optimised away */
	uint64_t entries, bads;
};

static void intel_check_ip(struct vg_str v)
{
	const char *slash = memchr(v.p, '/', v.n);
	struct vg_str addr = {v.p, slash ? (size_t)(slash - v.p) : v.n};
	struct vg_ip ip;
	if (vg_ip_parse(addr, &ip) != VG_OK)
		abort();
	if (slash) {
		size_t n = v.n - addr.n - 1, plen = 0;
		if (n == 0 || n > 3)
			abort();
		for (size_t i = 0; i < n; i++) {
			char c = slash[1 + i];
			if (c < '0' || c > '9')
				abort();
			plen = plen * 10 + (size_t)(c - '0');
		}
		if (plen > (memchr(addr.p, ':', addr.n) ? 128u : 32u))
			abort();
	}
}

static void intel_check_host(struct vg_str v)
{
	if (v.n == 0 || v.n > 253 || v.p[v.n - 1] == '.' || v.p[0] == '.' || !memchr(v.p, '.', v.n))
		abort();
	size_t label = 0;
	for (size_t i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (c == '.') {
			if (label == 0)
				abort();
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			abort();
		if (++label > 63)
			abort();
	}
}

static int intel_on_entry(void *ctx, const struct vg_intel_entry *e)
{
	struct intel_run *r = ctx;
	uint64_t h = e->line + (uint64_t)e->kind;
	if (e->value.n == 0 || !e->value.p)
		abort();
	if (e->kind == VG_INTEL_IP)
		intel_check_ip(e->value);
	else if (e->kind == VG_INTEL_DOMAIN)
		intel_check_host(e->value);
	else
		abort();
	for (size_t i = 0; i < e->value.n; i++)
		h = h * 31 + (unsigned char)e->value.p[i];
	for (size_t i = 0; i < e->threat_name.n; i++)
		h = h * 31 + (unsigned char)e->threat_name.p[i];
	r->acc += h;
	r->entries++;
	return 0;
}

static void intel_on_bad(void *ctx, uint64_t line, const char *why)
{
	struct intel_run *r = ctx;
	if (!why || !*why)
		abort();
	r->acc += line + strlen(why);
	r->bads++;
}

/* Parse data[0..size) in format f from a padded heap copy; abort on a
 * result vg_intel_parse may not return. */
static void intel_fuzz_parse(const uint8_t *data, size_t size, enum vg_intel_format f)
{
	char *buf = malloc(size + VG_INPUT_PADDING);
	if (!buf)
		return;
	if (size)
		memcpy(buf, data, size);
	memset(buf + size, 0, VG_INPUT_PADDING);
	struct intel_run r = {0};
	struct vg_intel_sink sink = {intel_on_entry, intel_on_bad, &r};
	int rc = vg_intel_parse(buf, size, f, &sink);
	if (rc != VG_OK && rc != VG_EFORMAT && rc != VG_ENOMEM)
		abort();
	if (rc == VG_EFORMAT && (r.entries != 0 || r.bads == 0))
		abort(); /* EFORMAT means nothing parsed and something said why */
	const char *why = NULL;
	enum vg_intel_format d = vg_intel_detect_why(buf, size, &why);
	if (d == VG_INTEL_AUTO || !why || !*vg_intel_format_name(d))
		abort();
	free(buf);
}

#endif /* VG_TESTS_FUZZ_INTEL_FUZZ_H */
