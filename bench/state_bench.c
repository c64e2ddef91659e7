/*
 * state_bench.c -- speed and memory of the bounded per-entity state store
 * (src/detect/state.c) in the two cases detectors meet.
 *
 *   state_bench flood [--keys N] [--ceiling MIB]
 *   state_bench hot [--keys N] [--touches N] [--ceiling MIB]
 *
 * flood: N (default 10 M) distinct keys, each touched once, into a store
 * with a MIB (default 64) MiB ceiling: a port sweep or a spoofed-source
 * flood.  Past the ceiling every insert evicts.  Prints inserts/s, the
 * store's bytes against its ceiling, evictions, the time of one
 * vg_state_expire sweep over the full table, and peak RSS (VmHWM).
 * hot: N (default 1 M) keys inserted, then touched --touches (default
 * 20 M) times in random order: steady state, every get a hit.  The
 * ceiling defaults to the engine's (256 MiB), which holds them all.
 *
 * Keys are 16 bytes (an ENI id's hash, a remote IPv4, a port, a
 * protocol), values 48 bytes (window start, counters), as a port-scan or
 * brute-force detector keeps them.  Run each case in its own process, so
 * that VmHWM belongs to it.
 *
 * Build (after `make build/vigil`):
 *   gcc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o bench/build/state_bench \
 *       bench/state_bench.c build/rel/libvigil.a \
 *       $(pkg-config --libs simdjson libdeflate zlib sqlite3 libcrypto \
 *       libxml-2.0 libmaxminddb libpsl yaml-0.1) -lstdc++ -lm
 */
#include "vg.h"
#include "detect/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"

struct key {
	uint64_t eni;  /* hash of the instance's ENI id */
	uint32_t ip;   /* remote IPv4 */
	uint16_t port; /* local port */
	uint8_t proto;
	uint8_t pad; /* zero: keys are compared as bytes */
};

struct val {
	int64_t window_start;
	int64_t last;
	uint64_t flows;
	uint64_t bytes;
	uint64_t packets;
	uint64_t rejected;
};

_Static_assert(sizeof(struct key) == 16, "16-byte keys");
_Static_assert(sizeof(struct val) == 48, "48-byte values");

/* The i-th distinct key (distinct for i < 2^38): 64 instances, remote
 * addresses spread over the IPv4 space, a few ports. */
static struct key key_at(uint64_t i)
{
	uint64_t x = i;
	uint64_t r = splitmix64(&x);
	struct key k = {0};
	k.eni = 0x656e6900ull + (i & 63) * 0x9e3779b97f4a7c15ull;
	k.ip = (uint32_t)(i >> 6) * 2654435761u; /* odd multiplier: one-to-one */
	k.port = (uint16_t)(22 + (r >> 32) % 4);
	k.proto = 6;
	return k;
}

static void touch(struct val *v, int64_t t)
{
	if (v->flows++ == 0)
		v->window_start = t;
	v->last = t;
	v->bytes += 1500;
	v->packets++;
}

static int count_cb(void *ctx, const void *key, void *val)
{
	(void)key;
	*(uint64_t *)ctx += ((const struct val *)val)->flows;
	return 0;
}

static int flood(uint64_t n, size_t ceiling)
{
	struct vg_state *st;
	struct vg_state_table *t;
	if (vg_state_new(&st, ceiling) != VG_OK ||
	    vg_state_table_new(st, "flood", sizeof(struct key), sizeof(struct val), (int64_t)86400000, &t) != VG_OK) {
		fprintf(stderr, "state_bench: cannot make the store\n");
		return 1;
	}
	struct vg_state_stats s;
	double t0 = wall_seconds(), c0 = process_cpu_seconds(), t_full = 0;
	uint64_t full_at = 0;
	for (uint64_t i = 0; i < n; i++) {
		struct key k = key_at(i);
		struct val *v = vg_state_get(t, &k, (int64_t)(i / 8), NULL);
		if (!v) {
			fprintf(stderr, "state_bench: get failed at %llu\n", (unsigned long long)i);
			return 1;
		}
		touch(v, (int64_t)(i / 8));
		if (!full_at && (i & 1023) == 0) {
			vg_state_stats(st, &s);
			if (s.evicted > 0) {
				full_at = i;
				t_full = wall_seconds();
			}
		}
	}
	double t1 = wall_seconds(), c1 = process_cpu_seconds();
	vg_state_stats(st, &s);
	uint64_t sum = 0;
	vg_state_each(t, count_cb, &sum);
	/* One sweep that finds nothing to drop: what the engine pays per tick. */
	double t2 = wall_seconds();
	uint64_t dropped = vg_state_expire(st, (int64_t)(n / 8));
	double t3 = wall_seconds();
	printf("  flood: %llu distinct 16-byte keys, 48-byte values, ceiling %.0f MiB\n", (unsigned long long)n,
	       (double)ceiling / 1048576);
	printf("  inserts    %.2f s: %5.2f M/s overall", t1 - t0, (double)n / (t1 - t0) / 1e6);
	if (full_at)
		printf(" (%.2f M/s before the ceiling, %.2f M/s evicting)", (double)full_at / (t_full - t0) / 1e6,
		       (double)(n - full_at) / (t1 - t_full) / 1e6);
	printf("\n             %.2f s of CPU: %5.2f M/s per CPU second\n", c1 - c0, (double)n / (c1 - c0) / 1e6);
	printf("  store      %.1f MiB held, peak %.1f MiB, ceiling %.1f MiB: %s\n", (double)s.bytes / 1048576,
	       (double)s.peak_bytes / 1048576, (double)s.ceiling / 1048576,
	       s.peak_bytes <= s.ceiling ? "peak <= ceiling" : "OVER THE CEILING");
	printf("  entries    %llu held, %llu evicted (%llu flows counted in held entries)\n",
	       (unsigned long long)s.entries, (unsigned long long)s.evicted, (unsigned long long)sum);
	printf("  expire     one sweep over the table in %.1f ms (%llu dropped)\n", (t3 - t2) * 1e3,
	       (unsigned long long)dropped);
	printf("  peak RSS   %.1f MiB (VmHWM)\n", peak_rss_mib());
	vg_state_free(st);
	return s.peak_bytes <= s.ceiling ? 0 : 1;
}

static int hot(uint64_t n, uint64_t touches, size_t ceiling)
{
	struct vg_state *st;
	struct vg_state_table *t;
	if (vg_state_new(&st, ceiling) != VG_OK ||
	    vg_state_table_new(st, "hot", sizeof(struct key), sizeof(struct val), (int64_t)86400000, &t) != VG_OK) {
		fprintf(stderr, "state_bench: cannot make the store\n");
		return 1;
	}
	double t0 = wall_seconds();
	for (uint64_t i = 0; i < n; i++) {
		struct key k = key_at(i);
		struct val *v = vg_state_get(t, &k, 0, NULL);
		if (!v)
			return 1;
		touch(v, 0);
	}
	double t1 = wall_seconds(), c1 = process_cpu_seconds();
	/* Random touches: the timed loop is the store's work plus building a
	 * key from an index (a few ns). */
	uint64_t r = 12345, created = 0;
	for (uint64_t i = 0; i < touches; i++) {
		struct key k = key_at(splitmix64(&r) % n);
		bool c;
		struct val *v = vg_state_get(t, &k, (int64_t)(i / 64), &c);
		created += c;
		touch(v, (int64_t)(i / 64));
	}
	double t2 = wall_seconds(), c2 = process_cpu_seconds();
	struct vg_state_stats s;
	vg_state_stats(st, &s);
	printf("  hot: %llu keys, then %llu random touches, ceiling %.0f MiB\n", (unsigned long long)n,
	       (unsigned long long)touches, (double)ceiling / 1048576);
	printf("  inserts    %.2f s: %5.2f M/s\n", t1 - t0, (double)n / (t1 - t0) / 1e6);
	printf("  touches    %.2f s: %5.2f M/s (%llu created, %llu evicted)\n", t2 - t1,
	       (double)touches / (t2 - t1) / 1e6, (unsigned long long)created, (unsigned long long)s.evicted);
	printf("             %.2f s of CPU: %5.2f M/s per CPU second\n", c2 - c1, (double)touches / (c2 - c1) / 1e6);
	printf("  store      %.1f MiB held, peak %.1f MiB, %llu entries\n", (double)s.bytes / 1048576,
	       (double)s.peak_bytes / 1048576, (unsigned long long)s.entries);
	printf("  peak RSS   %.1f MiB (VmHWM)\n", peak_rss_mib());
	vg_state_free(st);
	return created == 0 && s.evicted == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	bool is_hot = argc > 1 && strcmp(argv[1], "hot") == 0;
	uint64_t keys = is_hot ? 1000000 : 10000000, touches = 20000000;
	size_t ceiling_mib = is_hot ? 256 : 64;
	if (argc < 2 || (!is_hot && strcmp(argv[1], "flood") != 0))
		goto usage;
	for (int i = 2; i < argc; i += 2) {
		if (i + 1 >= argc)
			goto usage;
		uint64_t v = strtoull(argv[i + 1], NULL, 10);
		if (strcmp(argv[i], "--keys") == 0 && v > 0)
			keys = v;
		else if (strcmp(argv[i], "--touches") == 0)
			touches = v;
		else if (strcmp(argv[i], "--ceiling") == 0 && v > 0)
			ceiling_mib = (size_t)v;
		else
			goto usage;
	}
	return is_hot ? hot(keys, touches, ceiling_mib << 20) : flood(keys, ceiling_mib << 20);
usage:
	fprintf(stderr, "usage: state_bench flood [--keys N] [--ceiling MIB]\n"
			"       state_bench hot [--keys N] [--touches N] [--ceiling MIB]\n");
	return 2;
}
