/*
 * bench_util.h -- the helpers every program under bench/ used to carry a
 * copy of: one deterministic PRNG, clocks, peak RSS, and the corpus
 * generators' small utilities.
 *
 * Header only (static inline), so each bench program stays one gcc line
 * with no extra object to build; it sits beside the programs, so
 * `#include "bench_util.h"` needs no -I.  Include it after _GNU_SOURCE is
 * defined (clock_gettime's CPU clocks are POSIX, not C11).
 *
 * The generators' output is a pure function of their arguments, and the
 * corpus caches in bench/run and bench/run-network are keyed on the
 * generator source and this file: changing what a function here returns
 * changes every corpus, so don't, unless that is the point.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef ARRAY_LEN
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ---- PRNG: xoshiro256** seeded through splitmix64 ------------------------- */

/* splitmix64 -- the next output of the splitmix64 sequence at *x; also a
 * good 64-bit mixer of a counter on its own. */
static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A xoshiro256** state: plain data, so saving and restoring a stream (to
 * replay the same draws) is a struct assignment. */
struct prng {
	uint64_t s[4];
};

static inline void prng_seed(struct prng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t prng_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t prng_next(struct prng *r)
{
	uint64_t *s = r->s;
	uint64_t out = prng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = prng_rotl(s[3], 45);
	return out;
}

/* prng_below -- uniform in [0, n), from all 64 bits of one draw (Lemire's
 * multiply-shift, without the rejection step: the bias is n / 2^64). */
static inline uint64_t prng_below(struct prng *r, uint64_t n)
{
	return (uint64_t)(((__uint128_t)prng_next(r) * n) >> 64);
}

/* prng_below32 -- uniform in [0, n), from the top 32 bits of one draw.  Not
 * the same numbers as prng_below: the corpus generators were written with
 * this one, and their output must not move. */
static inline uint32_t prng_below32(struct prng *r, uint32_t n)
{
	return (uint32_t)(((prng_next(r) >> 32) * n) >> 32);
}

/* prng_weighted -- an index in [0, n) drawn with probability w[i] / sum(w),
 * by one prng_below32 draw. */
static inline int prng_weighted(struct prng *r, const int *w, size_t n)
{
	int total = 0, x;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	x = (int)prng_below32(r, (uint32_t)total);
	for (size_t i = 0; i < n; i++)
		if ((x -= w[i]) < 0)
			return (int)i;
	return 0;
}

/* prng_fill -- writes prefix, then n characters drawn from alpha, then a
 * NUL, to dst (which must hold strlen(prefix) + n + 1 bytes). */
static inline void prng_fill(struct prng *r, char *dst, const char *prefix, int n, const char *alpha)
{
	size_t k = strlen(alpha), p = strlen(prefix);
	memcpy(dst, prefix, p);
	for (int i = 0; i < n; i++)
		dst[p + i] = alpha[prng_below32(r, (uint32_t)k)];
	dst[p + n] = 0;
}

/* xorshift64 -- Marsaglia's 64-bit xorshift (13, 7, 17); *s must not be 0.
 * intel_load and route53_decode generate their in-memory input with it; it
 * stays so that input stays the bytes earlier results were measured on. */
static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* ---- clocks and memory ------------------------------------------------------ */

static inline double bench_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall time, for what includes waiting (I/O, other threads). */
static inline double wall_seconds(void) { return bench_clock(CLOCK_MONOTONIC); }

/* CPU time of the calling thread: the build machines are shared, and time
 * spent descheduled says nothing about the code measured. */
static inline double thread_cpu_seconds(void) { return bench_clock(CLOCK_THREAD_CPUTIME_ID); }

/* CPU time of the whole process. */
static inline double process_cpu_seconds(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

/* Peak resident set of this process (VmHWM in /proc/self/status), MiB;
 * -1 where it cannot be read. */
static inline double peak_rss_mib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtod(line + 6, NULL);
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

/* ---- files ------------------------------------------------------------------- */

/* mkdirs -- mkdir -p; exits with a message on failure.  path is modified
 * while it runs and restored. */
static inline void mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			perror(path);
			exit(1);
		}
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

/* ---- an output buffer that grows (the generators) ---- */

struct buf {
	char *p;    /* bytes, not NUL-terminated */
	size_t len; /* bytes used */
	size_t cap; /* bytes allocated */
};

static inline void reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 1 << 20;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		perror("realloc");
		exit(1);
	}
}

static inline void put(struct buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#endif
