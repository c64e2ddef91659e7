/*
 * intel_lookup.c -- look-up speed, load time and memory of the threat
 * intelligence tables (src/enrich/iptrie.c, src/enrich/domainset.c).
 *
 *   intel_lookup [ENTRIES] [--ip | --domain] [--lookups N] [--seed S]
 *
 * ENTRIES (default 1000000) random entries are written out as text, then
 * loaded through vg_iptrie_add_cidr + vg_iptrie_build (and
 * vg_domainset_add), timed; then N (default 50000000) look-ups run on one
 * thread over a 4 M-probe array, once one at a time and once 256 at a time
 * through vg_*_lookup_many, for each of two hit rates.
 *
 * IP entries: 75 % IPv4 /32, 14.5 % IPv4 /24../30, 0.5 % IPv4 /16../23,
 * 7 % IPv6 /128, 3 % IPv6 /48../64 (global unicast).  IP probes: 90 % IPv4;
 * hits are addresses inside a random loaded prefix, misses uniform random
 * addresses that match nothing.  Two runs: 50 % hits and 1 % hits (a log
 * stream: few addresses are on a list).
 * Domain entries: random registrable names (label + one of 24 TLDs), a
 * quarter with one more label.  Domain queries: 2 to 5 labels; a hit is a
 * loaded name with 0 to 2 labels in front, a miss a random name that
 * matches nothing; a tenth start with an upper-case letter and a tenth end
 * in a dot.  Again 50 % and 1 % hits.
 *
 * Random probes are the worst case: a log stream repeats addresses and
 * names, so real look-ups hit warmer caches.
 *
 * Build (after `make build/vigil`):
 *   gcc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o bench/build/intel_lookup \
 *       bench/intel_lookup.c build/rel/libvigil.a \
 *       $(pkg-config --libs simdjson libdeflate zlib sqlite3 libcrypto \
 *       libxml-2.0 libmaxminddb) -lstdc++ -lm
 */
#include "vg.h"
#include "enrich/domainset.h"
#include "enrich/iptrie.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"

#define NPROBE ((size_t)1 << 22)

/* ---- PRNG: one xoshiro256** stream (bench_util.h) ---------------------- */

static struct prng rng;

static uint64_t rnd(void) { return prng_next(&rng); }
static uint64_t below(uint64_t n) { return prng_below(&rng, n); }

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fprintf(stderr, "intel_lookup: out of memory\n");
		exit(1);
	}
	return p;
}

static void check(int rc, const char *what)
{
	if (rc != VG_OK) {
		fprintf(stderr, "intel_lookup: %s: %s\n", what, vg_strerror(rc));
		exit(1);
	}
}

/* Text lines back to back: line i is text + off[i], off[i + 1] - off[i]
 * bytes long. */
struct lines {
	char *text;
	size_t *off;
	size_t n, len, cap;
};

static void lines_add(struct lines *l, const char *s, size_t n)
{
	if (l->len + n > l->cap) {
		l->cap = (l->cap + n) * 2;
		l->text = realloc(l->text, l->cap);
		if (!l->text)
			check(VG_ENOMEM, "lines");
	}
	memcpy(l->text + l->len, s, n);
	l->len += n;
	l->off[++l->n] = l->len;
}

static struct vg_str line(const struct lines *l, size_t i)
{
	return (struct vg_str){l->text + l->off[i], l->off[i + 1] - l->off[i]};
}

/* ---- IP ------------------------------------------------------------------ */

/* A prefix as generated: 16 bytes (IPv4 mapped) and a length in bits of the
 * 128-bit space. */
struct gen_pfx {
	struct vg_ip ip;
	unsigned bits;
};

static void random_v6(struct vg_ip *ip)
{
	uint64_t a = rnd(), b = rnd();
	for (int i = 0; i < 8; i++) {
		ip->b[i] = (uint8_t)(a >> (56 - 8 * i));
		ip->b[8 + i] = (uint8_t)(b >> (56 - 8 * i));
	}
	ip->b[0] = (uint8_t)(0x20 | (ip->b[0] & 0x1f)); /* 2000::/3 */
	ip->family = 6;
}

static void random_v4(struct vg_ip *ip)
{
	uint32_t a = (uint32_t)rnd();
	memset(ip->b, 0, 10);
	ip->b[10] = ip->b[11] = 0xff;
	ip->b[12] = (uint8_t)(a >> 24);
	ip->b[13] = (uint8_t)(a >> 16);
	ip->b[14] = (uint8_t)(a >> 8);
	ip->b[15] = (uint8_t)a;
	ip->family = 4;
}

/* Copy the first bits of from into to, keeping to's remaining bits. */
static void inside(struct vg_ip *to, const struct gen_pfx *from)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = from->bits >= 8 * (i + 1) ? 8 : from->bits > 8 * i ? from->bits - 8 * i : 0;
		uint8_t m = (uint8_t)(keep ? 0xff << (8 - keep) : 0);
		to->b[i] = (uint8_t)((from->ip.b[i] & m) | (to->b[i] & ~m));
	}
	to->family = from->ip.family;
}

static void bench_ip(size_t n, size_t nlook)
{
	struct gen_pfx *g = xmalloc(n * sizeof(*g));
	struct lines l = {.off = xmalloc((n + 1) * sizeof(size_t))};
	l.off[0] = 0;
	size_t nv4 = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = below(100);
		char txt[64], a[VG_IP_STRLEN];
		if (k < 90) {
			random_v4(&g[i].ip);
			if (k < 75)
				g[i].bits = 128;
			else if (k < 89 || below(2) == 0)
				g[i].bits = 96 + 24 + (unsigned)below(7);
			else
				g[i].bits = 96 + 16 + (unsigned)below(8);
			nv4++;
		} else {
			random_v6(&g[i].ip);
			g[i].bits = k < 97 ? 128 : 48 + (unsigned)below(17);
		}
		vg_ip_format(&g[i].ip, a);
		int m;
		if (g[i].bits == 128)
			m = snprintf(txt, sizeof(txt), "%s", a);
		else
			m = snprintf(txt, sizeof(txt), "%s/%u", a, g[i].ip.family == 4 ? g[i].bits - 96 : g[i].bits);
		lines_add(&l, txt, (size_t)m);
	}

	struct vg_iptrie *t;
	double t0 = wall_seconds();
	check(vg_iptrie_new(&t), "iptrie_new");
	for (size_t i = 0; i < n; i++)
		check(vg_iptrie_add_cidr(t, line(&l, i), (uint32_t)i), "iptrie_add_cidr");
	double t1 = wall_seconds();
	check(vg_iptrie_build(t), "iptrie_build");
	double t2 = wall_seconds();
	size_t mem = vg_iptrie_memory(t);
	printf("iptrie     %zu entries (%zu IPv4), %zu distinct\n", n, nv4, vg_iptrie_count(t));
	printf("  load     %.2f s (parse+add %.2f s, build %.2f s)\n", t2 - t0, t1 - t0, t2 - t1);
	printf("  memory   %.1f MiB, %.1f bytes/entry\n", (double)mem / 1048576.0, (double)mem / (double)n);

	struct vg_ip *probe = xmalloc(NPROBE * sizeof(*probe));
	static const unsigned pcts[] = {50, 1};
	for (size_t r = 0; r < VG_ARRAY_LEN(pcts); r++) {
		/* Hits are addresses inside a loaded prefix; misses are uniform
		 * addresses that the table (checked by the unit tests against a
		 * naive scan) does not match. */
		for (size_t i = 0; i < NPROBE; i++) {
			bool v4 = below(10) < 9;
			uint32_t v;
			if (below(100) >= pcts[r]) {
				do {
					if (v4)
						random_v4(&probe[i]);
					else
						random_v6(&probe[i]);
				} while (vg_iptrie_lookup(t, &probe[i], &v));
				continue;
			}
			if (v4)
				random_v4(&probe[i]);
			else
				random_v6(&probe[i]);
			for (;;) {
				const struct gen_pfx *p = &g[below(n)];
				if ((p->ip.family == 4) == v4) {
					inside(&probe[i], p);
					break;
				}
			}
		}
		size_t hits = 0;
		uint64_t sum = 0;
		double t3 = wall_seconds();
		for (size_t i = 0; i < nlook; i++) {
			uint32_t v;
			if (vg_iptrie_lookup(t, &probe[i & (NPROBE - 1)], &v)) {
				hits++;
				sum += v;
			}
		}
		double t4 = wall_seconds();
		printf("  lookup   %zu in %.2f s: %5.1f M/s (%4.1f %% hits, checksum %llx)\n", nlook, t4 - t3,
		       (double)nlook / (t4 - t3) / 1e6, 100.0 * (double)hits / (double)nlook, (unsigned long long)sum);
		/* The same look-ups 256 at a time, as a scan would do per batch
		 * of events. */
		uint32_t vals[256];
		hits = 0;
		sum = 0;
		t3 = wall_seconds();
		for (size_t i = 0; i < nlook; i += 256) {
			size_t m = nlook - i < 256 ? nlook - i : 256;
			hits += vg_iptrie_lookup_many(t, &probe[i & (NPROBE - 1)], m, vals);
			for (size_t k = 0; k < m; k++)
				sum += vals[k] != VG_IPTRIE_MISS ? vals[k] : 0;
		}
		t4 = wall_seconds();
		printf("  batched  %zu in %.2f s: %5.1f M/s (%4.1f %% hits, checksum %llx)\n", nlook, t4 - t3,
		       (double)nlook / (t4 - t3) / 1e6, 100.0 * (double)hits / (double)nlook, (unsigned long long)sum);
	}
	vg_iptrie_free(t);
	free(probe);
	free(g);
	free(l.text);
	free(l.off);
}

/* ---- domains ------------------------------------------------------------- */

static const char *const tlds[] = {"com", "net", "org", "io", "ru", "cn", "xyz", "top", "info", "biz", "co", "de",
				   "uk", "online", "site", "club", "me", "tk", "cc", "pw", "us", "app", "dev", "co.uk"};

static size_t random_label(char *out)
{
	static const char cs[] = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz-";
	size_t n = 3 + (size_t)below(10);
	for (size_t i = 0; i < n; i++)
		out[i] = cs[below(sizeof(cs) - 1)];
	if (out[0] == '-')
		out[0] = 'x';
	if (out[n - 1] == '-')
		out[n - 1] = 'y';
	return n;
}

static size_t random_domain(char *out, unsigned labels)
{
	size_t m = 0;
	for (unsigned i = 0; i + 1 < labels; i++) {
		m += random_label(out + m);
		out[m++] = '.';
	}
	const char *tld = tlds[below(VG_ARRAY_LEN(tlds))];
	memcpy(out + m, tld, strlen(tld));
	return m + strlen(tld);
}

static void bench_domain(size_t n, size_t nlook)
{
	struct lines l = {.off = xmalloc((n + 1) * sizeof(size_t))};
	l.off[0] = 0;
	for (size_t i = 0; i < n; i++) {
		char d[128];
		size_t m = random_domain(d, below(4) == 0 ? 3 : 2);
		lines_add(&l, d, m);
	}
	struct vg_domainset *s;
	double t0 = wall_seconds();
	check(vg_domainset_new(&s), "domainset_new");
	for (size_t i = 0; i < n; i++)
		check(vg_domainset_add(s, line(&l, i), (uint32_t)i), "domainset_add");
	double t1 = wall_seconds();
	size_t mem = vg_domainset_memory(s);
	printf("domainset  %zu entries, %zu distinct\n", n, vg_domainset_count(s));
	printf("  load     %.2f s\n", t1 - t0);
	printf("  memory   %.1f MiB, %.1f bytes/entry\n", (double)mem / 1048576.0, (double)mem / (double)n);

	struct lines q = {.off = xmalloc((NPROBE + 1) * sizeof(size_t))};
	struct vg_str *qs = xmalloc(NPROBE * sizeof(*qs));
	static const unsigned pcts[] = {50, 1};
	for (size_t r = 0; r < VG_ARRAY_LEN(pcts); r++) {
		q.n = q.len = 0;
		q.off[0] = 0;
		for (size_t i = 0; i < NPROBE; i++) {
			char d[300];
			size_t m = 0;
			uint32_t v;
			if (below(100) < pcts[r]) {
				struct vg_str e = line(&l, below(n));
				unsigned extra = (unsigned)below(3);
				for (unsigned k = 0; k < extra; k++) {
					m += random_label(d + m);
					d[m++] = '.';
				}
				memcpy(d + m, e.p, e.n);
				m += e.n;
			} else {
				do
					m = random_domain(d, 2 + (unsigned)below(4));
				while (vg_domainset_lookup(s, (struct vg_str){d, m}, &v));
			}
			if (below(10) == 0)
				d[0] = (char)(d[0] >= 'a' && d[0] <= 'z' ? d[0] - 32 : d[0]);
			if (below(10) == 0)
				d[m++] = '.';
			lines_add(&q, d, m);
		}
		for (size_t i = 0; i < NPROBE; i++)
			qs[i] = line(&q, i);
		size_t hits = 0;
		uint64_t sum = 0;
		double t2 = wall_seconds();
		for (size_t i = 0; i < nlook; i++) {
			uint32_t v;
			if (vg_domainset_lookup(s, qs[i & (NPROBE - 1)], &v)) {
				hits++;
				sum += v;
			}
		}
		double t3 = wall_seconds();
		printf("  lookup   %zu in %.2f s: %5.1f M/s (%4.1f %% hits, checksum %llx)\n", nlook, t3 - t2,
		       (double)nlook / (t3 - t2) / 1e6, 100.0 * (double)hits / (double)nlook, (unsigned long long)sum);
		uint32_t vals[256];
		hits = 0;
		sum = 0;
		t2 = wall_seconds();
		for (size_t i = 0; i < nlook; i += 256) {
			size_t m = nlook - i < 256 ? nlook - i : 256;
			hits += vg_domainset_lookup_many(s, &qs[i & (NPROBE - 1)], m, vals);
			for (size_t k = 0; k < m; k++)
				sum += vals[k] != VG_DOMAINSET_MISS ? vals[k] : 0;
		}
		t3 = wall_seconds();
		printf("  batched  %zu in %.2f s: %5.1f M/s (%4.1f %% hits, checksum %llx)\n", nlook, t3 - t2,
		       (double)nlook / (t3 - t2) / 1e6, 100.0 * (double)hits / (double)nlook, (unsigned long long)sum);
	}
	free(qs);
	vg_domainset_free(s);
	free(l.text);
	free(l.off);
	free(q.text);
	free(q.off);
}

int main(int argc, char **argv)
{
	size_t n = 1000000, nlook = 50000000;
	uint64_t s = 1;
	bool ip = true, dom = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ip") == 0)
			dom = false;
		else if (strcmp(argv[i], "--domain") == 0)
			ip = false;
		else if (strcmp(argv[i], "--lookups") == 0 && i + 1 < argc)
			nlook = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			s = strtoull(argv[++i], NULL, 10);
		else if (argv[i][0] >= '1' && argv[i][0] <= '9')
			n = strtoull(argv[i], NULL, 10);
		else {
			fprintf(stderr, "usage: intel_lookup [ENTRIES] [--ip | --domain] [--lookups N] [--seed S]\n");
			return 2;
		}
	}
	if (ip) {
		prng_seed(&rng, s);
		bench_ip(n, nlook);
	}
	if (dom) {
		prng_seed(&rng, s + 1);
		bench_domain(n, nlook);
	}
	return 0;
}
