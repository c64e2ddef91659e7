/*
 * test_enrich_tables.c -- the threat intelligence look-up tables: the
 * longest-prefix-match trie (enrich/iptrie.h) and the domain suffix set
 * (enrich/domainset.h).  Fixed cases for each rule, then randomized sets
 * checked against naive implementations; a randomized failure prints the
 * seed that reproduces it.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>

#include "vg.h"
#include "core/ip.h"
#include "core/str.h"
#include "enrich/domainset.h"
#include "enrich/iptrie.h"
#include "enrich/iptrie_int.h"

/* ---- helpers ------------------------------------------------------------ */

/* Deterministic PRNG (xorshift64*), one state per test. */
static uint64_t rng_state;
static void rng_seed(uint64_t s) { rng_state = s ? s : 1; }
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}
static uint64_t below(uint64_t n) { return rng() % n; }

static struct vg_ip IP(const char *s)
{
	struct vg_ip ip;
	int rc = vg_ip_parse(vg_str_c(s), &ip);
	cr_assert_eq(rc, VG_OK, "\"%s\" should parse, got %d", s, rc);
	return ip;
}

static struct vg_iptrie *trie_new(void)
{
	struct vg_iptrie *t = NULL;
	cr_assert_eq(vg_iptrie_new(&t), VG_OK);
	cr_assert_not_null(t);
	return t;
}

static void add(struct vg_iptrie *t, const char *cidr, uint32_t v)
{
	int rc = vg_iptrie_add_cidr(t, vg_str_c(cidr), v);
	cr_assert_eq(rc, VG_OK, "add \"%s\": %d", cidr, rc);
}

static void build(struct vg_iptrie *t) { cr_assert_eq(vg_iptrie_build(t), VG_OK); }

/* Look addr up, singly and through lookup_many; both must agree.  Returns
 * the value or VG_IPTRIE_MISS. */
static uint32_t look(const struct vg_iptrie *t, const char *addr)
{
	struct vg_ip ip = IP(addr);
	uint32_t v = 12345, many = 0;
	bool hit = vg_iptrie_lookup(t, &ip, &v);
	size_t n = vg_iptrie_lookup_many(t, &ip, 1, &many);
	cr_assert_eq(n, hit ? 1u : 0u, "%s: lookup_many count", addr);
	cr_assert_eq(many, hit ? v : VG_IPTRIE_MISS, "%s: lookup_many %u, lookup %u", addr, many, v);
	if (!hit)
		cr_assert_eq(v, 12345u, "%s: a miss must not write the value", addr);
	return hit ? v : VG_IPTRIE_MISS;
}

#define MISS VG_IPTRIE_MISS

/* ---- trie: fixed cases --------------------------------------------------- */

Test(iptrie, exact_v4)
{
	struct vg_iptrie *t = trie_new();
	add(t, "1.2.3.4", 7);
	build(t);
	cr_assert_eq(look(t, "1.2.3.4"), 7);
	cr_assert_eq(look(t, "1.2.3.5"), MISS);
	cr_assert_eq(look(t, "1.2.3.3"), MISS);
	cr_assert_eq(look(t, "4.3.2.1"), MISS);
	cr_assert_eq(look(t, "::1.2.3.4"), MISS); /* IPv4-compatible, not mapped */
	cr_assert_eq(look(t, "102:304::"), MISS);
	cr_assert_eq(vg_iptrie_count(t), 1);
	cr_assert_gt(vg_iptrie_memory(t), 0);
	vg_iptrie_free(t);
}

Test(iptrie, cidr_v4)
{
	struct vg_iptrie *t = trie_new();
	add(t, "10.0.0.0/8", 1);
	add(t, "192.168.1.0/24", 2);
	add(t, "172.16.0.0/12", 3);
	add(t, "100.64.0.0/10", 4);
	add(t, "203.0.113.8/29", 5);
	build(t);
	cr_assert_eq(look(t, "10.0.0.0"), 1);
	cr_assert_eq(look(t, "10.255.255.255"), 1);
	cr_assert_eq(look(t, "9.255.255.255"), MISS);
	cr_assert_eq(look(t, "11.0.0.0"), MISS);
	cr_assert_eq(look(t, "192.168.1.77"), 2);
	cr_assert_eq(look(t, "192.168.2.1"), MISS);
	cr_assert_eq(look(t, "172.31.255.255"), 3);
	cr_assert_eq(look(t, "172.32.0.0"), MISS);
	cr_assert_eq(look(t, "100.127.0.1"), 4);
	cr_assert_eq(look(t, "100.128.0.1"), MISS);
	cr_assert_eq(look(t, "203.0.113.7"), MISS);
	cr_assert_eq(look(t, "203.0.113.8"), 5);
	cr_assert_eq(look(t, "203.0.113.15"), 5);
	cr_assert_eq(look(t, "203.0.113.16"), MISS);
	vg_iptrie_free(t);
}

Test(iptrie, longest_prefix_wins)
{
	struct vg_iptrie *t = trie_new();
	/* Added out of order on purpose. */
	add(t, "10.1.2.3/32", 4);
	add(t, "10.0.0.0/8", 1);
	add(t, "10.1.2.0/24", 3);
	add(t, "10.1.0.0/16", 2);
	add(t, "10.1.2.128/25", 5);
	add(t, "10.1.2.0/31", 6);
	build(t);
	cr_assert_eq(look(t, "10.9.9.9"), 1);
	cr_assert_eq(look(t, "10.1.9.9"), 2);
	cr_assert_eq(look(t, "10.1.2.9"), 3);
	cr_assert_eq(look(t, "10.1.2.3"), 4);
	cr_assert_eq(look(t, "10.1.2.2"), 3);
	cr_assert_eq(look(t, "10.1.2.200"), 5);
	cr_assert_eq(look(t, "10.1.2.0"), 6);
	cr_assert_eq(look(t, "10.1.2.1"), 6);
	cr_assert_eq(look(t, "10.1.3.0"), 2);
	cr_assert_eq(look(t, "11.1.2.3"), MISS);
	cr_assert_eq(vg_iptrie_count(t), 6);
	vg_iptrie_free(t);
}

Test(iptrie, ipv6)
{
	struct vg_iptrie *t = trie_new();
	add(t, "2001:db8::/32", 1);
	add(t, "2001:db8:1::/48", 2);
	add(t, "2001:db8:1::1", 3);
	add(t, "2001:db8:1:2::/64", 4);
	add(t, "2600::/12", 5);
	add(t, "2a00:1450:4001:81c::200e", 6);
	add(t, "fe80::/10", 7);
	build(t);
	cr_assert_eq(look(t, "2001:db8::5"), 1);
	cr_assert_eq(look(t, "2001:db8:ffff::"), 1);
	cr_assert_eq(look(t, "2001:db9::"), MISS);
	cr_assert_eq(look(t, "2001:db8:1::2"), 2);
	cr_assert_eq(look(t, "2001:db8:1::1"), 3);
	cr_assert_eq(look(t, "2001:db8:1:2:ffff::"), 4);
	cr_assert_eq(look(t, "2001:db8:1:3::"), 2);
	cr_assert_eq(look(t, "260f:ffff::1"), 5);
	cr_assert_eq(look(t, "2610::"), MISS);
	cr_assert_eq(look(t, "2a00:1450:4001:81c::200e"), 6);
	cr_assert_eq(look(t, "2a00:1450:4001:81c::200f"), MISS);
	cr_assert_eq(look(t, "febf::1"), 7);
	cr_assert_eq(look(t, "fec0::1"), MISS);
	cr_assert_eq(look(t, "1.2.3.4"), MISS);
	vg_iptrie_free(t);
}

Test(iptrie, mapped_ipv4)
{
	struct vg_iptrie *t = trie_new();
	add(t, "::ffff:1.2.3.0/120", 1); /* IPv6 syntax, IPv6 length: a /24 */
	add(t, "5.6.7.8", 2);
	add(t, "::ffff:9.9.9.9", 3);
	build(t);
	cr_assert_eq(look(t, "1.2.3.200"), 1);
	cr_assert_eq(look(t, "::ffff:1.2.3.200"), 1);
	cr_assert_eq(look(t, "1.2.4.0"), MISS);
	cr_assert_eq(look(t, "::ffff:5.6.7.8"), 2);
	cr_assert_eq(look(t, "::ffff:0506:0708"), 2);
	cr_assert_eq(look(t, "9.9.9.9"), 3);
	/* Only the bytes count: a hand-made address with family 6 but the
	 * mapped bytes is still IPv4. */
	struct vg_ip ip = IP("5.6.7.8");
	ip.family = 6;
	uint32_t v = 0;
	cr_assert(vg_iptrie_lookup(t, &ip, &v));
	cr_assert_eq(v, 2);
	vg_iptrie_free(t);
}

Test(iptrie, short_ipv6_prefixes_cover_ipv4)
{
	struct vg_iptrie *t = trie_new();
	add(t, "::/0", 1);         /* every address, IPv4 too */
	add(t, "::/80", 2);        /* covers ::ffff:0:0/96 */
	add(t, "::ffff:0:0/96", 3); /* all of IPv4 */
	add(t, "8.8.8.0/24", 4);
	add(t, "::ffff:0:0/95", 5); /* covers ::fffe:0:0/96 and ::ffff:0:0/96 */
	build(t);
	cr_assert_eq(look(t, "8.8.8.8"), 4);
	cr_assert_eq(look(t, "8.8.9.8"), 3);
	cr_assert_eq(look(t, "::fffe:1:1"), 5);
	cr_assert_eq(look(t, "::1"), 2);
	cr_assert_eq(look(t, "2001:db8::"), 1);
	vg_iptrie_free(t);

	t = trie_new();
	add(t, "::/64", 6);
	add(t, "1.0.0.0/8", 7);
	build(t);
	cr_assert_eq(look(t, "1.2.3.4"), 7);
	cr_assert_eq(look(t, "2.2.3.4"), 6);
	cr_assert_eq(look(t, "::1"), 6);
	cr_assert_eq(look(t, "0:0:0:1::"), MISS);
	vg_iptrie_free(t);
}

Test(iptrie, edges)
{
	struct vg_iptrie *t = trie_new();
	add(t, "0.0.0.0/32", 1);
	add(t, "255.255.255.255/32", 2);
	add(t, "::/128", 3);
	add(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 4);
	add(t, "128.0.0.0/1", 5);
	add(t, "8000::/1", 6);
	add(t, "::fffe:ffff:ffff/128", 7); /* just below the mapped range */
	add(t, "::1:0:0:0/128", 8);        /* just above it */
	build(t);
	cr_assert_eq(look(t, "0.0.0.0"), 1);
	cr_assert_eq(look(t, "0.0.0.1"), MISS);
	cr_assert_eq(look(t, "255.255.255.255"), 2);
	cr_assert_eq(look(t, "255.255.255.254"), 5);
	cr_assert_eq(look(t, "127.255.255.255"), MISS);
	cr_assert_eq(look(t, "128.0.0.0"), 5);
	cr_assert_eq(look(t, "::"), 3);
	cr_assert_eq(look(t, "::2"), MISS);
	cr_assert_eq(look(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 4);
	cr_assert_eq(look(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), 6);
	cr_assert_eq(look(t, "7fff::"), MISS);
	cr_assert_eq(look(t, "::fffe:ffff:ffff"), 7);
	cr_assert_eq(look(t, "::1:0:0:0"), 8);
	vg_iptrie_free(t);

	/* /0 for each family. */
	t = trie_new();
	add(t, "0.0.0.0/0", 1);
	build(t);
	cr_assert_eq(look(t, "0.0.0.0"), 1);
	cr_assert_eq(look(t, "255.255.255.255"), 1);
	cr_assert_eq(look(t, "::"), MISS);
	cr_assert_eq(look(t, "2001:db8::1"), MISS);
	vg_iptrie_free(t);
	t = trie_new();
	add(t, "::/0", 2);
	build(t);
	cr_assert_eq(look(t, "::"), 2);
	cr_assert_eq(look(t, "ffff::"), 2);
	cr_assert_eq(look(t, "10.0.0.1"), 2);
	vg_iptrie_free(t);
}

Test(iptrie, empty_and_unbuilt)
{
	struct vg_iptrie *t = trie_new();
	cr_assert_eq(look(t, "1.2.3.4"), MISS); /* not built yet */
	add(t, "1.2.3.4", 1);
	cr_assert_eq(vg_iptrie_count(t), 1);
	cr_assert_eq(look(t, "1.2.3.4"), MISS); /* still not built */
	build(t);
	cr_assert_eq(look(t, "1.2.3.4"), 1);
	cr_assert_eq(vg_iptrie_build(t), VG_EINVAL);
	struct vg_ip ip = IP("5.5.5.5");
	cr_assert_eq(vg_iptrie_add(t, &ip, 128, 1), VG_EINVAL);
	cr_assert_eq(look(t, "1.2.3.4"), 1);
	vg_iptrie_free(t);

	t = trie_new();
	build(t);
	cr_assert_eq(vg_iptrie_count(t), 0);
	cr_assert_eq(look(t, "1.2.3.4"), MISS);
	cr_assert_eq(look(t, "::"), MISS);
	vg_iptrie_free(t);
	vg_iptrie_free(NULL);
}

Test(iptrie, duplicates_keep_first)
{
	struct vg_iptrie *t = trie_new();
	add(t, "10.0.0.0/8", 1);
	add(t, "10.9.9.9/8", 2); /* the same prefix with host bits set */
	add(t, "10.0.0.0/8", 3);
	add(t, "1.1.1.1", 4);
	add(t, "1.1.1.1/32", 5);
	add(t, "::ffff:1.1.1.1", 6);
	add(t, "2001:db8::/32", 7);
	add(t, "2001:db8:ffff::/32", 8);
	add(t, "2001:db8::/33", 9);
	cr_assert_eq(vg_iptrie_count(t), 9);
	build(t);
	cr_assert_eq(vg_iptrie_count(t), 4);
	cr_assert_eq(look(t, "10.1.1.1"), 1);
	cr_assert_eq(look(t, "1.1.1.1"), 4);
	cr_assert_eq(look(t, "2001:db8:8000::"), 7);
	cr_assert_eq(look(t, "2001:db8::"), 9);
	vg_iptrie_free(t);
}

Test(iptrie, bad_text)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/+8",
		"1.2.3.4/ 8", "1.2.3.4 /8", " 1.2.3.4", "1.2.3.4/8/8", "1.2.3.4/0008", "1.2.3.4/8a", "::/129",
		"2001:db8::/1000", "2001:db8:::1", "abc", "localhost", "/24", "1.2.3.4\n", "::ffff:1.2.3.4/129",
	};
	struct vg_iptrie *t = trie_new();
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++)
		cr_assert_eq(vg_iptrie_add_cidr(t, vg_str_c(bad[i]), 1), VG_EFORMAT, "\"%s\" should be refused", bad[i]);
	cr_assert_eq(vg_iptrie_add_cidr(t, VG_STR_NULL, 1), VG_EFORMAT);
	/* A length is decimal and may have leading zeros up to three digits. */
	cr_assert_eq(vg_iptrie_add_cidr(t, vg_str_c("1.2.3.4/032"), 1), VG_OK);
	cr_assert_eq(vg_iptrie_add_cidr(t, vg_str_c("1.2.3.4/0"), 1), VG_OK);
	cr_assert_eq(vg_iptrie_add_cidr(t, vg_str_c("::/128"), 1), VG_OK);
	/* A view is not NUL-terminated: only its n bytes count. */
	cr_assert_eq(vg_iptrie_add_cidr(t, (struct vg_str){"9.9.9.9/8garbage", 9}, 1), VG_OK);
	struct vg_ip ip = IP("1.2.3.4");
	cr_assert_eq(vg_iptrie_add(t, &ip, 129, 1), VG_EINVAL);
	cr_assert_eq(vg_iptrie_add(t, &ip, 128, VG_IPTRIE_VALUE_MAX + 1), VG_EINVAL);
	cr_assert_eq(vg_iptrie_add(t, &ip, 128, UINT32_MAX), VG_EINVAL);
	cr_assert_eq(vg_iptrie_add(t, &ip, 128, VG_IPTRIE_VALUE_MAX), VG_OK);
	build(t);
	cr_assert_eq(look(t, "1.2.3.4"), 1);
	cr_assert_eq(look(t, "9.1.1.1"), 1);
	cr_assert_eq(look(t, "8.1.1.1"), 1); /* the /0 */
	vg_iptrie_free(t);
}

Test(iptrie, large_values)
{
	struct vg_iptrie *t = trie_new();
	struct vg_ip ip = IP("1.2.3.4");
	cr_assert_eq(vg_iptrie_add(t, &ip, 128, VG_IPTRIE_VALUE_MAX), VG_OK);
	cr_assert_eq(vg_iptrie_add(t, &ip, 120, 0), VG_OK);
	ip = IP("2001:db8::1");
	cr_assert_eq(vg_iptrie_add(t, &ip, 128, VG_IPTRIE_VALUE_MAX - 1), VG_OK);
	build(t);
	cr_assert_eq(look(t, "1.2.3.4"), VG_IPTRIE_VALUE_MAX);
	cr_assert_eq(look(t, "1.2.3.5"), 0);
	cr_assert_eq(look(t, "2001:db8::1"), VG_IPTRIE_VALUE_MAX - 1);
	vg_iptrie_free(t);
}

Test(iptrie, memory_limit)
{
	struct vg_iptrie *t = trie_new();
	vg_iptrie_set_limit(t, 4096);
	int rc = VG_OK;
	struct vg_ip ip = IP("1.0.0.0");
	uint32_t i;
	for (i = 0; i < 100000 && rc == VG_OK; i++) {
		ip.b[13] = (uint8_t)(i >> 8);
		ip.b[14] = (uint8_t)i;
		rc = vg_iptrie_add(t, &ip, 128, i);
	}
	cr_assert_eq(rc, VG_ELIMIT);
	cr_assert_leq(vg_iptrie_memory(t), 4096);
	vg_iptrie_free(t);

	/* The queue fits but the compiled form does not: build fails, and the
	 * table answers nothing rather than something partial. */
	t = trie_new();
	vg_iptrie_set_limit(t, 200000);
	for (i = 0; i < 2000; i++) {
		ip.b[13] = (uint8_t)(i >> 8);
		ip.b[14] = (uint8_t)i;
		cr_assert_eq(vg_iptrie_add(t, &ip, 128, i), VG_OK);
	}
	cr_assert_eq(vg_iptrie_build(t), VG_ELIMIT);
	cr_assert_eq(look(t, "1.0.0.0"), MISS);
	cr_assert_leq(vg_iptrie_memory(t), 200000);
	vg_iptrie_free(t);

	/* 0 restores the default. */
	t = trie_new();
	vg_iptrie_set_limit(t, 1);
	vg_iptrie_set_limit(t, 0);
	add(t, "1.2.3.4", 1);
	build(t);
	cr_assert_eq(look(t, "1.2.3.4"), 1);
	vg_iptrie_free(t);
}

/* Every allocation of a small add-and-build fails in turn: each failure is
 * reported, nothing leaks (LeakSanitizer), and the table stays usable. */
Test(iptrie, allocation_failures)
{
	int ok = 0;
	for (long n = 1; n < 120; n++) {
		struct vg_iptrie *t = NULL;
		vg_alloc_fail_after(n);
		int rc = vg_iptrie_new(&t);
		for (uint32_t i = 0; i < 300 && rc == VG_OK; i++) {
			char s[64];
			if (i % 3 == 0)
				snprintf(s, sizeof(s), "10.%u.%u.0/%u", i % 7, i % 256, 20 + i % 13);
			else if (i % 3 == 1)
				snprintf(s, sizeof(s), "2001:db8:%x::%x", i % 5, i);
			else
				snprintf(s, sizeof(s), "10.0.%u.%u", i % 4, i % 256);
			rc = vg_iptrie_add_cidr(t, vg_str_c(s), i);
		}
		if (rc == VG_OK)
			rc = vg_iptrie_build(t);
		vg_alloc_fail_after(0);
		/* A failure may land in a shrinking realloc, which build
		 * shrugs off; then the table is complete. */
		cr_assert(rc == VG_OK || rc == VG_ENOMEM, "n=%ld: %d", n, rc);
		if (t)
			cr_assert_eq(look(t, "2001:db8:1::1"), rc == VG_OK ? 1 : MISS, "n=%ld", n);
		ok += rc == VG_OK;
		vg_iptrie_free(t);
	}
	cr_assert_gt(ok, 0);
}

/* ---- trie: randomized against a naive scan ------------------------------ */

struct naive_pfx {
	uint8_t b[16];   /* the prefix (host bits may be set) */
	unsigned bits;   /* its length in the 128-bit space */
	uint32_t value;  /* what it was added with */
	uint64_t hi, lo; /* b as two words, masked, for the scan */
	uint64_t mh, ml; /* the netmask as two words */
};

static uint64_t be64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static void naive_prepare(struct naive_pfx *p)
{
	p->mh = p->bits == 0 ? 0 : p->bits >= 64 ? ~0ull : ~0ull << (64 - p->bits);
	p->ml = p->bits <= 64 ? 0 : p->bits >= 128 ? ~0ull : ~0ull << (128 - p->bits);
	p->hi = be64(p->b) & p->mh;
	p->lo = be64(p->b + 8) & p->ml;
}

/* The longest prefix covering a; among equal ones, the first added. */
static uint32_t naive_lookup(const struct naive_pfx *p, size_t n, const uint8_t *a)
{
	uint64_t hi = be64(a), lo = be64(a + 8);
	int best = -1;
	uint32_t v = MISS;
	for (size_t i = 0; i < n; i++)
		if ((int)p[i].bits > best && (hi & p[i].mh) == p[i].hi && (lo & p[i].ml) == p[i].lo) {
			best = (int)p[i].bits;
			v = p[i].value;
		}
	return v;
}

static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* A random prefix: fresh, or nested in (or equal to) an earlier one. */
static void random_prefix(struct naive_pfx *p, const struct naive_pfx *earlier, size_t nearlier)
{
	uint64_t kind = below(100);
	for (int i = 0; i < 16; i++)
		p->b[i] = (uint8_t)rng();
	if (nearlier > 0 && kind < 35) {
		/* Nested: keep an earlier prefix's bits, then go longer (or
		 * not: an equal length makes a duplicate). */
		const struct naive_pfx *e = &earlier[below(nearlier)];
		unsigned keep = e->bits;
		for (unsigned i = 0; i < keep; i++) {
			unsigned m = 0x80u >> (i % 8);
			p->b[i / 8] = (uint8_t)((p->b[i / 8] & ~m) | (e->b[i / 8] & m));
		}
		bool v4 = memcmp(e->b, mapped, 12) == 0 && e->bits >= 96;
		unsigned max = 128;
		p->bits = keep + (unsigned)below(max - keep + 1);
		if (v4 && p->bits < 96)
			p->bits = 96;
	} else if (kind < 80) {
		/* IPv4, mostly long prefixes. */
		memcpy(p->b, mapped, 12);
		uint64_t k = below(10);
		p->bits = 96 + (k < 4 ? 32 : k < 8 ? 16 + (unsigned)below(17) : (unsigned)below(33));
	} else if (kind < 97) {
		/* IPv6 in a few /16s so that prefixes share nodes. */
		p->b[0] = 0x20;
		p->b[1] = (uint8_t)below(4);
		uint64_t k = below(10);
		p->bits = k < 4 ? 128 : k < 8 ? 32 + (unsigned)below(33) : (unsigned)below(129);
	} else {
		/* Short IPv6 prefixes that may cover the mapped range. */
		memset(p->b, 0, 16);
		if (below(2))
			memcpy(p->b, mapped, 12);
		p->bits = 80 + (unsigned)below(17);
	}
	p->value = (uint32_t)below(VG_IPTRIE_VALUE_MAX);
	naive_prepare(p);
}

/* An address inside p (random host bits). */
static void inside(uint8_t *a, const struct naive_pfx *p)
{
	for (int i = 0; i < 16; i++)
		a[i] = (uint8_t)rng();
	for (unsigned i = 0; i < p->bits; i++) {
		unsigned m = 0x80u >> (i % 8);
		a[i / 8] = (uint8_t)((a[i / 8] & ~m) | (p->b[i / 8] & m));
	}
}

static void random_round(uint64_t seed, size_t nprefix, size_t nprobe, unsigned dp_bits)
{
	rng_seed(seed);
	struct naive_pfx *p = calloc(nprefix, sizeof(*p));
	struct vg_ip *probe = calloc(nprobe, sizeof(*probe));
	uint32_t *many = calloc(nprobe, sizeof(*many));
	cr_assert(p && probe && many);
	struct vg_iptrie *t = trie_new();
	vg__iptrie_force_dp_bits(t, dp_bits);
	for (size_t i = 0; i < nprefix; i++) {
		random_prefix(&p[i], p, i);
		struct vg_ip ip = {.family = 6};
		memcpy(ip.b, p[i].b, 16);
		if (i % 2 == 0) {
			cr_assert_eq(vg_iptrie_add(t, &ip, p[i].bits, p[i].value), VG_OK, "seed %llu",
				     (unsigned long long)seed);
			continue;
		}
		/* Half go through the text form. */
		char a[VG_IP_STRLEN], s[VG_IP_STRLEN + 8];
		bool v4 = memcmp(ip.b, mapped, 12) == 0 && p[i].bits >= 96;
		ip.family = v4 ? 4 : 6;
		vg_ip_format(&ip, a);
		snprintf(s, sizeof(s), "%s/%u", a, v4 ? p[i].bits - 96 : p[i].bits);
		cr_assert_eq(vg_iptrie_add_cidr(t, vg_str_c(s), p[i].value), VG_OK, "seed %llu: %s",
			     (unsigned long long)seed, s);
	}
	build(t);
	for (size_t i = 0; i < nprobe; i++) {
		if (i % 2 == 0)
			inside(probe[i].b, &p[below(nprefix)]);
		else if (below(2))
			inside(probe[i].b, &(struct naive_pfx){.b = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, .bits = 96});
		else
			inside(probe[i].b, &(struct naive_pfx){.b = {0x20}, .bits = 14});
		probe[i].family = memcmp(probe[i].b, mapped, 12) == 0 ? 4 : 6;
	}
	size_t hits = vg_iptrie_lookup_many(t, probe, nprobe, many), want_hits = 0;
	for (size_t i = 0; i < nprobe; i++) {
		uint32_t want = naive_lookup(p, nprefix, probe[i].b), got = 0;
		bool hit = vg_iptrie_lookup(t, &probe[i], &got);
		char a[VG_IP_STRLEN];
		vg_ip_format(&probe[i], a);
		cr_assert_eq(hit ? got : MISS, want, "seed %llu, dp %u, probe %zu (%s): got %u, want %u",
			     (unsigned long long)seed, dp_bits, i, a, hit ? got : MISS, want);
		cr_assert_eq(many[i], want, "seed %llu, dp %u, probe %zu (%s): lookup_many %u, want %u",
			     (unsigned long long)seed, dp_bits, i, a, many[i], want);
		want_hits += want != MISS;
	}
	cr_assert_eq(hits, want_hits, "seed %llu", (unsigned long long)seed);
	cr_assert_leq(vg_iptrie_count(t), nprefix);
	vg_iptrie_free(t);
	free(p);
	free(probe);
	free(many);
}

Test(iptrie, random_vs_naive)
{
	static const unsigned dp[] = {0, 16, 18, 20, 24};
	for (uint64_t round = 0; round < 20; round++)
		random_round(0x1f2e3d4c5b6a7988ull + round, 2000, 20000, dp[round % VG_ARRAY_LEN(dp)]);
}

/* Dense small sets: many nested prefixes inside one /16, where every
 * level of nodes and runs of leaves gets exercised. */
Test(iptrie, dense_vs_naive)
{
	for (uint64_t round = 0; round < 10; round++) {
		uint64_t seed = 0xabcdef12ull + round;
		rng_seed(seed);
		size_t n = 300;
		struct naive_pfx p[300];
		struct vg_iptrie *t = trie_new();
		vg__iptrie_force_dp_bits(t, round % 2 ? 24 : 16);
		for (size_t i = 0; i < n; i++) {
			memcpy(p[i].b, mapped, 12);
			p[i].b[12] = 10;
			p[i].b[13] = 1;
			p[i].b[14] = (uint8_t)below(4);
			p[i].b[15] = (uint8_t)rng();
			p[i].bits = 96 + 16 + (unsigned)below(17);
			p[i].value = (uint32_t)i;
			naive_prepare(&p[i]);
			struct vg_ip ip = {.family = 4};
			memcpy(ip.b, p[i].b, 16);
			cr_assert_eq(vg_iptrie_add(t, &ip, p[i].bits, p[i].value), VG_OK);
		}
		build(t);
		for (unsigned a = 0; a < 4 * 256 + 16; a++) {
			struct vg_ip ip = {.family = 4};
			memcpy(ip.b, mapped, 12);
			ip.b[12] = 10;
			ip.b[13] = 1;
			ip.b[14] = (uint8_t)(a >> 8);
			ip.b[15] = (uint8_t)a;
			uint32_t got = 0;
			bool hit = vg_iptrie_lookup(t, &ip, &got);
			uint32_t want = naive_lookup(p, n, ip.b);
			cr_assert_eq(hit ? got : MISS, want, "seed %llu, 10.1.%u.%u", (unsigned long long)seed,
				     a >> 8, a & 255);
		}
		vg_iptrie_free(t);
	}
}

/* ---- domain set ----------------------------------------------------------- */

static struct vg_domainset *set_new(void)
{
	struct vg_domainset *s = NULL;
	cr_assert_eq(vg_domainset_new(&s), VG_OK);
	cr_assert_not_null(s);
	return s;
}

static void dadd(struct vg_domainset *s, const char *d, uint32_t v)
{
	int rc = vg_domainset_add(s, vg_str_c(d), v);
	cr_assert_eq(rc, VG_OK, "add \"%s\": %d", d, rc);
}

/* Look name up, singly and through lookup_many; both must agree. */
static uint32_t dlook(const struct vg_domainset *s, const char *name)
{
	uint32_t v = 12345, many = 0;
	struct vg_str q = vg_str_c(name);
	bool hit = vg_domainset_lookup(s, q, &v);
	if (!hit)
		cr_assert_eq(v, 12345u, "%s: a miss must not write the value", name);
	size_t n = vg_domainset_lookup_many(s, &q, 1, &many);
	cr_assert_eq(n, hit ? 1u : 0u, "%s: lookup_many count", name);
	cr_assert_eq(many, hit ? v : VG_DOMAINSET_MISS, "%s: lookup_many %u, lookup %u", name, many, v);
	return hit ? v : MISS;
}

Test(domainset, suffix_on_label_boundary)
{
	struct vg_domainset *s = set_new();
	dadd(s, "evil.com", 1);
	cr_assert_eq(dlook(s, "evil.com"), 1);
	cr_assert_eq(dlook(s, "a.evil.com"), 1);
	cr_assert_eq(dlook(s, "a.b.evil.com"), 1);
	cr_assert_eq(dlook(s, "a.b.evil.com."), 1);
	cr_assert_eq(dlook(s, "notevil.com"), MISS);
	cr_assert_eq(dlook(s, "a.notevil.com"), MISS);
	cr_assert_eq(dlook(s, "vil.com"), MISS);
	cr_assert_eq(dlook(s, "com"), MISS);
	cr_assert_eq(dlook(s, "evil.com.org"), MISS);
	cr_assert_eq(dlook(s, "evil.co"), MISS);
	cr_assert_eq(dlook(s, "evil"), MISS);
	cr_assert_eq(dlook(s, "a-evil.com"), MISS);
	cr_assert_eq(dlook(s, "a_evil.com"), MISS);
	cr_assert_eq(vg_domainset_count(s), 1);
	cr_assert_gt(vg_domainset_memory(s), 0);
	vg_domainset_free(s);
}

Test(domainset, case_and_trailing_dot)
{
	struct vg_domainset *s = set_new();
	dadd(s, "EviL.CoM", 1);
	dadd(s, "dotted.org.", 2);
	cr_assert_eq(dlook(s, "evil.com"), 1);
	cr_assert_eq(dlook(s, "EVIL.COM"), 1);
	cr_assert_eq(dlook(s, "WWW.Evil.Com."), 1);
	cr_assert_eq(dlook(s, "dotted.org"), 2);
	cr_assert_eq(dlook(s, "x.dotted.org."), 2);
	cr_assert_eq(dlook(s, "x.dotted.org.."), MISS); /* only one dot is tolerated */
	cr_assert_eq(vg_domainset_count(s), 2);
	dadd(s, "EVIL.COM.", 3); /* the same name: the first value stays */
	cr_assert_eq(vg_domainset_count(s), 2);
	cr_assert_eq(dlook(s, "evil.com"), 1);
	vg_domainset_free(s);
}

Test(domainset, wildcard)
{
	struct vg_domainset *s = set_new();
	dadd(s, "*.bad.org", 1);
	cr_assert_eq(dlook(s, "bad.org"), 1);
	cr_assert_eq(dlook(s, "x.bad.org"), 1);
	cr_assert_eq(dlook(s, "y.x.bad.org"), 1);
	cr_assert_eq(dlook(s, "xbad.org"), MISS);
	dadd(s, "bad.org", 2); /* same entry */
	cr_assert_eq(vg_domainset_count(s), 1);
	cr_assert_eq(dlook(s, "bad.org"), 1);
	vg_domainset_free(s);
}

Test(domainset, longest_suffix_wins)
{
	struct vg_domainset *s = set_new();
	dadd(s, "a.evil.com", 3);
	dadd(s, "com", 1);
	dadd(s, "evil.com", 2);
	dadd(s, "x.y.z.a.evil.com", 4);
	cr_assert_eq(dlook(s, "b.a.evil.com"), 3);
	cr_assert_eq(dlook(s, "a.evil.com"), 3);
	cr_assert_eq(dlook(s, "x.evil.com"), 2);
	cr_assert_eq(dlook(s, "y.com"), 1);
	cr_assert_eq(dlook(s, "com"), 1);
	cr_assert_eq(dlook(s, "z.a.evil.com"), 3);
	cr_assert_eq(dlook(s, "y.z.a.evil.com"), 3);
	cr_assert_eq(dlook(s, "q.x.y.z.a.evil.com"), 4);
	cr_assert_eq(dlook(s, "org"), MISS);
	vg_domainset_free(s);
}

Test(domainset, invalid_names)
{
	char label64[80], name254[300], label63[80], name253[300];
	memset(label64, 'a', 64);
	strcpy(label64 + 64, ".com");
	memset(label63, 'a', 63);
	strcpy(label63 + 63, ".com");
	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
	snprintf(name253, sizeof(name253), "%.63s.%.63s.%.63s.%.61s", label63, label63, label63, label63);
	cr_assert_eq(strlen(name253), 253);
	snprintf(name254, sizeof(name254), "%.63s.%.63s.%.63s.%.62s", label63, label63, label63, label63);
	cr_assert_eq(strlen(name254), 254);
	const char *bad[] = {
		"", ".", "..", "a..b", ".a.com", "a.com..", "*.", "*", "*.*.com", "a.*.com", "*a.com", "a b.com",
		"a/b.com", "a:b.com", "caf\xc3\xa9.com", "a.com/", "@.com", "a\tb.com", label64, name254, "**.com",
	};
	struct vg_domainset *s = set_new();
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++)
		cr_assert_eq(vg_domainset_add(s, vg_str_c(bad[i]), 1), VG_EFORMAT, "\"%s\" should be refused", bad[i]);
	cr_assert_eq(vg_domainset_add(s, (struct vg_str){"a\0b.com", 7}, 1), VG_EFORMAT);
	cr_assert_eq(vg_domainset_add(s, VG_STR_NULL, 1), VG_EFORMAT);
	cr_assert_eq(vg_domainset_add(s, vg_str_c("ok.com"), VG_DOMAINSET_VALUE_MAX + 1), VG_EINVAL);
	cr_assert_eq(vg_domainset_count(s), 0);
	cr_assert_eq(dlook(s, "a.com"), MISS); /* empty set */
	/* The edges that are valid. */
	dadd(s, label63, 1);
	dadd(s, name253, 2);
	dadd(s, "_dmarc.example.com", 3);
	dadd(s, "xn--caf-dma.com", 4);
	dadd(s, "a", 5);
	dadd(s, "1.2.3.4", 6); /* digits only: still a name */
	dadd(s, "*.a-b_c.net.", 7);
	dadd(s, "max.example", VG_DOMAINSET_VALUE_MAX);
	cr_assert_eq(vg_domainset_count(s), 8);
	cr_assert_eq(dlook(s, "a.max.example"), VG_DOMAINSET_VALUE_MAX);
	cr_assert_eq(dlook(s, label63), 1);
	cr_assert_eq(dlook(s, name253), 2);
	cr_assert_eq(dlook(s, "x._dmarc.example.com"), 3);
	cr_assert_eq(dlook(s, "XN--CAF-DMA.COM"), 4);
	cr_assert_eq(dlook(s, "b.a"), 5);
	cr_assert_eq(dlook(s, "0.1.2.3.4"), 6);
	cr_assert_eq(dlook(s, "a-b_c.net"), 7);
	vg_domainset_free(s);
}

Test(domainset, odd_queries)
{
	struct vg_domainset *s = set_new();
	dadd(s, "evil.com", 1);
	cr_assert_eq(dlook(s, ""), MISS);
	cr_assert_eq(dlook(s, "."), MISS);
	cr_assert_eq(dlook(s, ".."), MISS);
	cr_assert_eq(vg_domainset_lookup(s, VG_STR_NULL, &(uint32_t){0}), false);
	/* Junk to the left of a valid suffix does not hide it. */
	cr_assert_eq(dlook(s, ".evil.com"), 1);
	cr_assert_eq(dlook(s, "a..evil.com"), 1);
	cr_assert_eq(dlook(s, "a b!.evil.com"), 1);
	cr_assert_eq(dlook(s, "caf\xc3\xa9.evil.com"), 1);
	cr_assert_eq(dlook(s, "evil.com\t"), MISS);
	cr_assert_eq(dlook(s, "evil .com"), MISS);
	/* A query longer than any name: its valid tail still counts. */
	char q[600];
	memset(q, 'x', 500);
	strcpy(q + 500, ".evil.com");
	cr_assert_eq(dlook(s, q), 1);
	/* A 253-byte name at the end of a longer query matches when a dot
	 * precedes it, not when the 253-byte window cuts a label in two. */
	char b[300];
	size_t k = 0;
	for (int i = 0; i < 121; i++) {
		b[k++] = 'c';
		b[k++] = '.';
	}
	strcpy(b + k, "cc.evil.com");
	cr_assert_eq(strlen(b), 253);
	dadd(s, b, 9);
	snprintf(q, sizeof(q), "zzz.%s", b);
	cr_assert_eq(dlook(s, q), 9);
	snprintf(q, sizeof(q), "zzz%s", b);
	cr_assert_eq(dlook(s, q), 1);
	snprintf(q, sizeof(q), "%s", b + 2);
	cr_assert_eq(dlook(s, q), 1);
	vg_domainset_free(s);
}

Test(domainset, memory_limit)
{
	struct vg_domainset *s = set_new();
	vg_domainset_set_limit(s, 64 * 1024);
	int rc = VG_OK;
	for (unsigned i = 0; i < 100000 && rc == VG_OK; i++) {
		char d[32];
		snprintf(d, sizeof(d), "host%u.example.com", i);
		rc = vg_domainset_add(s, vg_str_c(d), i);
	}
	cr_assert_eq(rc, VG_ELIMIT);
	cr_assert_leq(vg_domainset_memory(s), 64 * 1024);
	cr_assert_eq(dlook(s, "a.host1.example.com"), 1); /* what was added stays */
	vg_domainset_set_limit(s, 0);
	dadd(s, "more.example.org", 7);
	cr_assert_eq(dlook(s, "more.example.org"), 7);
	vg_domainset_free(s);
	vg_domainset_free(NULL);
}

Test(domainset, allocation_failures)
{
	int ok = 0;
	for (long n = 1; n < 60; n++) {
		struct vg_domainset *s = NULL;
		vg_alloc_fail_after(n);
		int rc = vg_domainset_new(&s);
		unsigned added = 0;
		for (unsigned i = 0; i < 2000 && rc == VG_OK; i++) {
			char d[48];
			snprintf(d, sizeof(d), "name-%u.example%u.net", i, i % 7);
			rc = vg_domainset_add(s, vg_str_c(d), i);
			added += rc == VG_OK;
		}
		vg_alloc_fail_after(0);
		cr_assert(rc == VG_OK || rc == VG_ENOMEM, "n=%ld: %d", n, rc);
		ok += rc == VG_OK;
		if (s) {
			/* The names added before a failure are all there. */
			cr_assert_eq(vg_domainset_count(s), added);
			for (unsigned i = 0; i < added; i += 7) {
				char d[48];
				snprintf(d, sizeof(d), "a.name-%u.example%u.net", i, i % 7);
				cr_assert_eq(dlook(s, d), i);
			}
		}
		vg_domainset_free(s);
	}
	cr_assert_gt(ok, 0);
}

/* ---- domain set: randomized against a naive one ---------------------------- */

struct naive_dom {
	char name[64];
	uint32_t value;
};

static int dom_cmp(const void *a, const void *b)
{
	return strcmp(((const struct naive_dom *)a)->name, ((const struct naive_dom *)b)->name);
}

static size_t random_label(char *out, bool upper)
{
	static const char cs[] = "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t n = 1 + (size_t)below(6);
	for (size_t i = 0; i < n; i++) {
		char c = cs[below(sizeof(cs) - 1)];
		out[i] = upper && c >= 'a' && c <= 'z' && below(3) == 0 ? (char)(c - 32) : c;
	}
	return n;
}

/* Longest listed suffix of q (lower case, no trailing dot) by binary search
 * of each suffix in the sorted list; dupes were resolved to the first add. */
static uint32_t naive_dom_lookup(const struct naive_dom *d, size_t n, const char *q)
{
	for (size_t i = 0; q[i]; i++) {
		if (i > 0 && q[i - 1] != '.')
			continue;
		struct naive_dom key;
		size_t n_suffix = strlen(q + i);
		if (n_suffix >= sizeof(key.name))
			continue; /* longer than any listed name */
		memcpy(key.name, q + i, n_suffix + 1);
		const struct naive_dom *hit = bsearch(&key, d, n, sizeof(*d), dom_cmp);
		if (hit)
			return hit->value;
	}
	return MISS;
}

Test(domainset, random_vs_naive)
{
	uint64_t seed = 0x5eed0d0ull;
	rng_seed(seed);
	size_t n = 100000, m = 0;
	struct naive_dom *d = calloc(n, sizeof(*d));
	cr_assert_not_null(d);
	struct vg_domainset *s = set_new();
	static const char *const tld[] = {"com", "net", "io", "co.uk", "x"};
	for (size_t i = 0; i < n; i++) {
		/* Short labels over a small alphabet, so that names collide,
		 * repeat, and nest in one another. */
		char name[64];
		size_t k = 0;
		unsigned labels = 1 + (unsigned)below(3);
		for (unsigned j = 0; j < labels; j++) {
			k += random_label(name + k, false);
			name[k++] = '.';
		}
		k += (size_t)snprintf(name + k, sizeof(name) - k, "%s", tld[below(VG_ARRAY_LEN(tld))]);
		char added[80];
		snprintf(added, sizeof(added), "%s%s%s", below(10) == 0 ? "*." : "", name, below(10) == 0 ? "." : "");
		if (below(5) == 0) /* upper case some of the added text */
			for (char *c = added; *c; c++)
				if (*c >= 'a' && *c <= 'z' && below(2))
					*c = (char)(*c - 32);
		cr_assert_eq(vg_domainset_add(s, vg_str_c(added), (uint32_t)i), VG_OK, "seed %llx: %s",
			     (unsigned long long)seed, added);
		snprintf(d[m].name, sizeof(d[m].name), "%s", name);
		d[m++].value = (uint32_t)i;
	}
	/* Keep the first add of each name: sort by (name, value). */
	qsort(d, m, sizeof(*d), dom_cmp);
	size_t w = 0;
	for (size_t i = 0; i < m; i++) {
		if (w > 0 && strcmp(d[w - 1].name, d[i].name) == 0) {
			if (d[i].value < d[w - 1].value)
				d[w - 1].value = d[i].value;
			continue;
		}
		d[w++] = d[i];
	}
	cr_assert_eq(vg_domainset_count(s), w, "seed %llx", (unsigned long long)seed);
	size_t hits = 0, nq = 20000;
	char(*qtext)[200] = calloc(nq, sizeof(*qtext));
	struct vg_str *qs = calloc(nq, sizeof(*qs));
	uint32_t *want_v = calloc(nq, sizeof(*want_v)), *many = calloc(nq, sizeof(*many));
	cr_assert(qtext && qs && want_v && many);
	for (size_t i = 0; i < nq; i++) {
		char *q = qtext[i], lower[200];
		size_t k = 0;
		unsigned extra = (unsigned)below(4);
		for (unsigned j = 0; j < extra; j++) {
			k += random_label(q + k, true);
			q[k++] = '.';
		}
		if (below(2)) {
			const char *base = d[below(w)].name;
			k += (size_t)snprintf(q + k, sizeof(qtext[i]) - k, "%s", base);
		} else {
			k += random_label(q + k, true);
			q[k++] = '.';
			k += (size_t)snprintf(q + k, sizeof(qtext[i]) - k, "%s", tld[below(VG_ARRAY_LEN(tld))]);
		}
		for (size_t j = 0; j <= k; j++)
			lower[j] = q[j] >= 'A' && q[j] <= 'Z' ? (char)(q[j] + 32) : q[j];
		if (below(8) == 0)
			q[k++] = '.';
		q[k] = '\0';
		uint32_t want = naive_dom_lookup(d, w, lower);
		uint32_t got = dlook(s, q);
		cr_assert_eq(got, want, "seed %llx, query %zu \"%s\": got %u, want %u", (unsigned long long)seed, i, q,
			     got, want);
		hits += want != MISS;
		qs[i] = vg_str_c(q);
		want_v[i] = want;
	}
	cr_assert_gt(hits, 5000); /* the probes did test hits */
	cr_assert_eq(vg_domainset_lookup_many(s, qs, nq, many), hits);
	for (size_t i = 0; i < nq; i++)
		cr_assert_eq(many[i], want_v[i], "seed %llx, query %zu: lookup_many", (unsigned long long)seed, i);
	vg_domainset_free(s);
	free(d);
	free(qtext);
	free(qs);
	free(want_v);
	free(many);
}
