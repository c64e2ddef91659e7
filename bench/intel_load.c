/*
 * intel_load.c -- how fast the TXT intel list parser reads a big list.
 *
 * Generates an N-line TXT list in memory (default 10,000,000: 50 % IPv4
 * addresses, 10 % IPv4 CIDRs, 5 % IPv6 addresses and prefixes, 35 %
 * domains, a tenth of them in mixed case or with a trailing dot, plus a
 * comment every 1,000 lines), parses it with vg_intel_parse into a sink
 * that only counts, and prints entries per second (best of --runs).
 *
 * Build and run (after `make`, which leaves build/rel/libvigil.a):
 *
 *   mkdir -p bench/build
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o bench/build/intel_load bench/intel_load.c \
 *       build/rel/libvigil.a $(pkg-config --libs simdjson libdeflate zlib sqlite3 \
 *       libcrypto libxml-2.0 libmaxminddb) -lstdc++ -lm
 *   bench/build/intel_load [--lines N] [--runs R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vg.h"
#include "enrich/intel_formats.h"
#include "ingest/input.h"

#include "bench_util.h"

struct count {
	uint64_t ip, domain, bad, bytes;
};

static int on_entry(void *ctx, const struct vg_intel_entry *e)
{
	struct count *c = ctx;
	if (e->kind == VG_INTEL_IP)
		c->ip++;
	else
		c->domain++;
	c->bytes += e->value.n;
	return 0;
}

static void on_bad(void *ctx, uint64_t line, const char *why)
{
	struct count *c = ctx;
	(void)line, (void)why;
	c->bad++;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void) { return xorshift64(&rng_state); }

/* Appends one generated line at p; returns the new end. */
static char *gen_line(char *p, uint64_t i)
{
	static const char *const syl[] = {"ka", "zu", "mi", "tor", "pool", "xmr", "net", "lo", "vex", "dra",
					  "qi",  "on", "sta", "bit", "min", "ex",  "fo",  "ru", "cla", "pe"};
	static const char *const tld[] = {"com", "net", "org", "ru", "cn", "io", "xyz", "top", "info", "cc"};
	uint64_t r = rnd();
	unsigned kind = (unsigned)(r % 100);
	if (i % 1000 == 999)
		return p + sprintf(p, "# generated comment %llu\n", (unsigned long long)i);
	r >>= 8;
	if (kind < 50)
		return p + sprintf(p, "%u.%u.%u.%u\n", (unsigned)(r & 255), (unsigned)(r >> 8 & 255),
				   (unsigned)(r >> 16 & 255), (unsigned)(r >> 24 & 255));
	if (kind < 60)
		return p + sprintf(p, "%u.%u.%u.0/%u\n", (unsigned)(r & 255), (unsigned)(r >> 8 & 255),
				   (unsigned)(r >> 16 & 255), 16 + (unsigned)(r >> 24 & 7));
	if (kind < 65)
		return p + sprintf(p, "2001:db8:%x:%x::%x%s\n", (unsigned)(r & 0xffff), (unsigned)(r >> 16 & 0xffff),
				   (unsigned)(r >> 32 & 0xffff), (r >> 48 & 1) ? "/64" : "");
	/* A domain of 2-3 labels of 2-4 syllables, and a TLD. */
	int labels = 2 + (int)(r & 1);
	r >>= 1;
	for (int l = 0; l < labels; l++) {
		int n = 2 + (int)(r % 3);
		r /= 3;
		for (int s = 0; s < n; s++) {
			const char *y = syl[rnd() % 20];
			size_t len = strlen(y);
			memcpy(p, y, len);
			p += len;
		}
		*p++ = '.';
	}
	p += sprintf(p, "%s", tld[r % 10]);
	if (r % 10 == 3)
		p[-1] = (char)(p[-1] - 32); /* mixed case */
	if (r % 20 == 7)
		*p++ = '.'; /* trailing dot */
	*p++ = '\n';
	return p;
}

int main(int argc, char **argv)
{
	uint64_t lines = 10000000;
	int runs = 3;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lines") == 0 && i + 1 < argc)
			lines = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = (int)strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: %s [--lines N] [--runs R]\n", argv[0]);
			return 2;
		}
	}
	size_t cap = (size_t)lines * 64 + VG_INPUT_PADDING;
	char *buf = malloc(cap);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	double t0 = wall_seconds();
	char *p = buf;
	for (uint64_t i = 0; i < lines; i++)
		p = gen_line(p, i);
	size_t len = (size_t)(p - buf);
	memset(p, 0, VG_INPUT_PADDING);
	printf("generated %llu lines, %.1f MB, in %.2f s\n", (unsigned long long)lines, (double)len / 1e6,
	       wall_seconds() - t0);

	const char *why;
	enum vg_intel_format f = vg_intel_detect_why(buf, len, &why);
	printf("detected %s (%s)\n", vg_intel_format_name(f), why);

	double best = 1e30;
	struct count c = {0};
	for (int r = 0; r < runs; r++) {
		c = (struct count){0};
		struct vg_intel_sink sink = {on_entry, on_bad, &c};
		double t = wall_seconds();
		int rc = vg_intel_parse(buf, len, VG_INTEL_AUTO, &sink);
		t = wall_seconds() - t;
		if (rc != VG_OK) {
			fprintf(stderr, "vg_intel_parse: %s\n", vg_strerror(rc));
			return 1;
		}
		if (t < best)
			best = t;
		printf("run %d: %.3f s\n", r + 1, t);
	}
	uint64_t entries = c.ip + c.domain;
	printf("entries %llu (%llu IP/CIDR, %llu domains), malformed %llu\n", (unsigned long long)entries,
	       (unsigned long long)c.ip, (unsigned long long)c.domain, (unsigned long long)c.bad);
	printf("best %.3f s: %.2f M entries/s, %.0f MB/s\n", best, (double)entries / best / 1e6,
	       (double)len / best / 1e6);
	free(buf);
	return 0;
}
