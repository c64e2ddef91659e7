/*
 * flow_decode.c -- decoding speed of VPC Flow Logs text
 * (src/decode/vpcflow.c), on one thread, with the file already in memory.
 *
 *   flow_decode [LINES] [--runs R] [--seed S] [--ipv6 PERCENT] [--write PREFIX]
 *
 * LINES (default 1000000) records are generated twice: once in the default
 * version 2 format (no header), once under a version 5 all-fields header.
 * Each buffer goes through vg_vpcflow_decode_text R times (default 5) and
 * the fastest run is printed as lines/s and MB/s, timed in CPU time of the
 * thread (other load on a shared machine then skews it less; it does not
 * count page faults of the first touch, as the buffer is already warm).
 * IPv6 addresses go through inet_pton, about 50 times slower than a dotted
 * quad, so the IPv6 share moves the result.  The sink reads a few
 * fields of each event, as a detector would.  --write also saves the two
 * buffers as PREFIX-v2.log and PREFIX-v5.log (input for `vigil scan`).
 *
 * Records: 93 % IPv4 flows between a few thousand private and public
 * addresses, 5 % IPv6 (--ipv6), 2 % NODATA / SKIPDATA; ports, counts and times
 * spread the way a busy VPC's are (ephemeral source ports, well-known
 * destination ports, one-minute capture windows); a tenth are REJECT.
 *
 * Build (after `make build/vigil`):
 *   gcc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o bench/build/flow_decode \
 *       bench/flow_decode.c build/rel/libvigil.a \
 *       $(pkg-config --libs simdjson libdeflate zlib sqlite3 libcrypto \
 *       libxml-2.0 libmaxminddb libpsl yaml-0.1) -lstdc++ -lm
 */
#include "vg.h"
#include "decode/vpcflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"

/* ---- PRNG: one xoshiro256** stream (bench_util.h) ---------------------- */

static struct prng rng;

static uint64_t below(uint64_t n) { return prng_below(&rng, n); }

/* ---- the corpus ----------------------------------------------------------- */

struct text {
	char *p;
	size_t n, cap;
};

static void putf(struct text *t, const char *fmt, ...) VG_PRINTF(2, 3);

static void putf(struct text *t, const char *fmt, ...)
{
	if (t->cap - t->n < 1024) {
		t->cap = t->cap ? t->cap * 2 : (1u << 20);
		t->p = realloc(t->p, t->cap);
		if (!t->p) {
			fprintf(stderr, "flow_decode: out of memory\n");
			exit(1);
		}
	}
	va_list ap;
	va_start(ap, fmt);
	t->n += (size_t)vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
	va_end(ap);
}

static void addr(char *out, size_t n, bool v6, bool private_side)
{
	if (v6)
		snprintf(out, n, "2600:1f18:%x:%x::%x", (unsigned)below(65536), (unsigned)below(65536),
			 (unsigned)below(65536));
	else if (private_side)
		snprintf(out, n, "10.%u.%u.%u", (unsigned)below(4), (unsigned)below(256), (unsigned)(1 + below(254)));
	else
		snprintf(out, n, "%u.%u.%u.%u", (unsigned)(1 + below(223)), (unsigned)below(256), (unsigned)below(256),
			 (unsigned)(1 + below(254)));
}

static const unsigned well_known[] = {443, 80, 22, 53, 3389, 5432, 3306, 6379, 8080, 123};

/* One record; v5 adds the version 5 columns. */
static unsigned ipv6_percent = 5;

static void record(struct text *t, bool v5)
{
	char src[64], dst[64];
	uint64_t start = 1700000000 + below(7 * 86400);
	unsigned eni = (unsigned)below(4096);
	uint64_t kind = below(100);
	if (kind < 2) {
		putf(t, "%d 123456789012 eni-%017x - - - - - - - %llu %llu - %s", v5 ? 5 : 2, eni,
		    (unsigned long long)start, (unsigned long long)start + 60, kind ? "SKIPDATA" : "NODATA");
		if (v5)
			putf(t, " vpc-0a1b2c3d4e5f60718 subnet-0123456789abcdef0 - - - - - us-east-1 use1-az1 - - - - - -");
		putf(t, "\n");
		return;
	}
	bool v6 = kind < 2 + ipv6_percent;
	bool in = below(2);
	addr(src, sizeof(src), v6, !in);
	addr(dst, sizeof(dst), v6, in);
	unsigned sport = (unsigned)(32768 + below(28000)), dport = well_known[below(VG_ARRAY_LEN(well_known))];
	unsigned proto = dport == 53 || dport == 123 ? 17 : 6;
	uint64_t packets = 1 + below(below(10) ? 40 : 100000);
	uint64_t bytes = packets * (40 + below(1400));
	const char *action = below(10) ? "ACCEPT" : "REJECT";
	putf(t, "%d 123456789012 eni-%017x %s %s %u %u %u %llu %llu %llu %llu %s OK", v5 ? 5 : 2, eni, src, dst, sport,
	    dport, proto, (unsigned long long)packets, (unsigned long long)bytes, (unsigned long long)start,
	    (unsigned long long)start + 1 + below(60), action);
	if (v5)
		putf(t, " vpc-0a1b2c3d4e5f60718 subnet-0123456789abcdef0 i-%017x %u IPv%d %s %s us-east-1 use1-az1 - - %s - %s %u",
		    eni, (unsigned)(proto == 6 ? 2 + 16 * below(2) : 0), v6 ? 6 : 4, src, dst, below(10) ? "-" : "AMAZON",
		    in ? "ingress" : "egress", (unsigned)(1 + below(8)));
	putf(t, "\n");
}

/* ---- the run -------------------------------------------------------------- */

struct tally {
	uint64_t events, bad, sum;
};

static void on_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	struct tally *t = ctx;
	t->events++;
	t->sum += ev->flow.bytes + ev->flow.dst_port + ev->flow.dst.b[15] + (uint64_t)ev->time_ms + index;
}

static void on_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	(void)rc;
	struct tally *t = ctx;
	if (t->bad++ == 0)
		fprintf(stderr, "flow_decode: line %llu: %s\n", (unsigned long long)index, why);
}

static void run(const char *name, const struct text *t, size_t lines, int runs)
{
	static const struct vg_event_sink sink = {on_event, on_bad};
	double best = 1e30;
	struct tally tl = {0};
	for (int r = 0; r < runs; r++) {
		tl = (struct tally){0};
		double t0 = thread_cpu_seconds();
		if (vg_vpcflow_decode_text(t->p, t->n, NULL, &sink, &tl) != VG_OK)
			exit(1);
		double dt = thread_cpu_seconds() - t0;
		if (dt < best)
			best = dt;
	}
	printf("%-10s %zu lines, %.1f MB: %.3f s, %5.2f M lines/s, %6.0f MB/s (%llu events, %llu bad, checksum %llx)\n",
	       name, lines, (double)t->n / 1e6, best, (double)lines / best / 1e6, (double)t->n / best / 1e6,
	       (unsigned long long)tl.events, (unsigned long long)tl.bad, (unsigned long long)tl.sum);
}

static void save(const char *prefix, const char *name, const struct text *t)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s-%s.log", prefix, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(t->p, 1, t->n, f) != t->n || fclose(f) != 0) {
		fprintf(stderr, "flow_decode: cannot write %s\n", path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	size_t lines = 1000000;
	int runs = 5;
	uint64_t s = 1;
	const char *write = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			s = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--ipv6") == 0 && i + 1 < argc)
			ipv6_percent = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
			write = argv[++i];
		else
			lines = strtoull(argv[i], NULL, 10);
	}
	prng_seed(&rng, s);
	struct text v2 = {0}, v5 = {0};
	for (size_t i = 0; i < lines; i++)
		record(&v2, false);
	putf(&v5, "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
		 "action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
		 "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n");
	for (size_t i = 0; i < lines; i++)
		record(&v5, true);
	if (write) {
		save(write, "v2", &v2);
		save(write, "v5", &v5);
	}
	run("default", &v2, lines, runs);
	run("v5 header", &v5, lines, runs);
	free(v2.p);
	free(v5.p);
	return 0;
}
