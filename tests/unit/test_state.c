/*
 * test_state.c -- the bounded per-entity state store (detect/state.h):
 * tables, the memory ceiling and eviction, expiry, deletion against a
 * reference map, tables taking room from each other, the distinct-count
 * sketch and the hash.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>

#include "vg.h"
#include "detect/state.h"

/* splitmix64: the tests' deterministic random numbers. */
static uint64_t rnd(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The detectors' kind of key: (instance, remote IPv4), no padding. */
struct key {
	uint64_t eni;
	uint32_t ip;
	uint32_t port;
};

struct val {
	uint64_t n;
	uint64_t check;
	struct vg_distinct ports;
};

static struct key mk(uint64_t i)
{
	return (struct key){.eni = i * 0x9e3779b97f4a7c15ull, .ip = (uint32_t)i, .port = 7};
}

static struct vg_state_stats stats(const struct vg_state *st)
{
	struct vg_state_stats s;
	vg_state_stats(st, &s);
	return s;
}

static struct vg_state *store(size_t ceiling)
{
	struct vg_state *st;
	cr_assert_eq(vg_state_new(&st, ceiling), VG_OK);
	return st;
}

static struct vg_state_table *table(struct vg_state *st, size_t ksz, size_t vsz, int64_t ttl)
{
	struct vg_state_table *t;
	cr_assert_eq(vg_state_table_new(st, "test", ksz, vsz, ttl, &t), VG_OK);
	return t;
}

/* ---- basics --------------------------------------------------------------- */

Test(state, get_find_del)
{
	struct vg_state *st = store(1 << 20);
	struct vg_state_table *t = table(st, sizeof(struct key), sizeof(struct val), 60000);
	struct key k = mk(1), k2 = mk(2);
	bool created = false;

	cr_assert_null(vg_state_find(t, &k));
	struct val *v = vg_state_get(t, &k, 1000, &created);
	cr_assert_not_null(v);
	cr_assert(created);
	cr_assert_eq(v->n, 0);
	cr_assert_eq(vg_distinct_count(&v->ports), 0);
	v->n = 41;
	v = vg_state_get(t, &k, 2000, &created);
	cr_assert_not(created);
	cr_assert_eq(v->n, 41);
	cr_assert_eq(((struct val *)vg_state_find(t, &k))->n, 41);
	cr_assert_null(vg_state_find(t, &k2));
	cr_assert_not_null(vg_state_get(t, &k2, 2000, NULL));
	cr_assert_eq(stats(st).entries, 2);

	vg_state_del(t, &k);
	cr_assert_null(vg_state_find(t, &k));
	cr_assert_not_null(vg_state_find(t, &k2));
	vg_state_del(t, &k); /* absent: no-op */
	cr_assert_eq(stats(st).entries, 1);

	/* Created again: zeroed, not the old value. */
	v = vg_state_get(t, &k, 3000, &created);
	cr_assert(created);
	cr_assert_eq(v->n, 0);
	vg_state_free(st);
}

Test(state, values_zeroed_and_aligned)
{
	struct vg_state *st = store(1 << 20);
	/* Odd sizes: 3-byte keys, 13-byte values. */
	struct vg_state_table *t = table(st, 3, 13, 1000);
	for (unsigned i = 0; i < 2000; i++) {
		unsigned char k[3] = {(unsigned char)i, (unsigned char)(i >> 8), 0x5a};
		unsigned char *v = vg_state_get(t, k, i, NULL);
		cr_assert_not_null(v);
		cr_assert_eq((uintptr_t)v % 8, 0, "values are 8-byte aligned");
		for (int j = 0; j < 13; j++)
			cr_assert_eq(v[j], 0);
		memset(v, 0xff, 13);
	}
	vg_state_free(st);
}

Test(state, bad_arguments)
{
	struct vg_state *st = store(1 << 20);
	struct vg_state_table *t;
	cr_assert_eq(vg_state_table_new(st, "k0", 0, 8, 1000, &t), VG_EINVAL);
	cr_assert_null(t);
	cr_assert_eq(vg_state_table_new(st, "ttl0", 8, 8, 0, &t), VG_EINVAL);
	cr_assert_eq(vg_state_table_new(st, "ttl-", 8, 8, -5, &t), VG_EINVAL);
	cr_assert_eq(vg_state_table_new(st, "huge", 1 << 20, 8, 1000, &t), VG_EINVAL);
	cr_assert_eq(vg_state_table_new(st, "set", 8, 0, 1000, &t), VG_OK, "a zero-size value makes a set");
	uint64_t k = 5;
	cr_assert_not_null(vg_state_get(t, &k, 0, NULL));
	cr_assert_not_null(vg_state_find(t, &k));
	vg_state_free(st);
	vg_state_free(NULL);
}

Test(state, several_tables)
{
	struct vg_state *st = store(4 << 20);
	struct vg_state_table *a = table(st, sizeof(struct key), sizeof(struct val), 1000);
	struct vg_state_table *b = table(st, sizeof(struct key), 8, 1000);
	struct vg_state_table *c = table(st, 4, 4, 1000);
	for (uint64_t i = 0; i < 1000; i++) {
		struct key k = mk(i);
		((struct val *)vg_state_get(a, &k, 0, NULL))->n = i;
		if (i % 2)
			*(uint64_t *)vg_state_get(b, &k, 0, NULL) = i * 3;
		uint32_t ck = (uint32_t)i;
		*(uint32_t *)vg_state_get(c, &ck, 0, NULL) = (uint32_t)i + 7;
	}
	cr_assert_eq(stats(st).entries, 2500);
	for (uint64_t i = 0; i < 1000; i++) {
		struct key k = mk(i);
		uint32_t ck = (uint32_t)i;
		cr_assert_eq(((struct val *)vg_state_find(a, &k))->n, i);
		uint64_t *bv = vg_state_find(b, &k);
		if (i % 2)
			cr_assert_eq(*bv, i * 3);
		else
			cr_assert_null(bv, "the same key in another table is another entry");
		cr_assert_eq(*(uint32_t *)vg_state_find(c, &ck), i + 7);
	}
	cr_assert_eq(stats(st).evicted, 0);
	vg_state_free(st);
}

static int count_cb(void *ctx, const void *key, void *val)
{
	(void)key;
	(void)val;
	return ++*(size_t *)ctx == 500 ? 9 : 0;
}

Test(state, growth_and_each)
{
	struct vg_state *st = store((size_t)256 << 20);
	struct vg_state_table *t = table(st, sizeof(struct key), sizeof(struct val), 1000);
	size_t last = stats(st).bytes;
	unsigned grew = 0;
	for (uint64_t i = 0; i < 200000; i++) {
		struct key k = mk(i);
		((struct val *)vg_state_get(t, &k, (int64_t)i, NULL))->check = i ^ 0xabcdef;
		if (stats(st).bytes > last) {
			last = stats(st).bytes;
			grew++;
		}
	}
	cr_assert_geq(grew, 14, "the table doubled from 8 slots (grew %u times)", grew);
	struct vg_state_stats s = stats(st);
	cr_assert_eq(s.entries, 200000);
	cr_assert_eq(s.evicted, 0);
	cr_assert_gt(s.peak_bytes, s.bytes, "the old and new arrays coexisted while growing");
	/* 200000 entries at most 3/4 full: 2^19 slots of 16 + 16 + 152 bytes. */
	cr_assert_lt(s.bytes, (size_t)524288 * 184 + 4096, "bytes %zu", s.bytes);
	for (uint64_t i = 0; i < 200000; i++) {
		struct key k = mk(i);
		struct val *v = vg_state_find(t, &k);
		cr_assert_not_null(v);
		cr_assert_eq(v->check, i ^ 0xabcdef);
	}
	size_t n = 0;
	cr_assert_eq(vg_state_each(t, count_cb, &n), 9, "each stops when the callback says so");
	cr_assert_eq(n, 500);
	vg_state_free(st);
}

/* ---- the ceiling ---------------------------------------------------------- */

Test(state, ceiling_never_exceeded, .timeout = 120)
{
	const size_t ceiling = 64 << 10;
	struct vg_state *st = store(ceiling);
	struct vg_state_table *t = table(st, sizeof(struct key), sizeof(struct val), INT64_MAX);
	uint64_t r = 1;
	const uint64_t n = 1000000;
	for (uint64_t i = 0; i < n; i++) {
		struct key k = mk(rnd(&r));
		bool created;
		struct val *v = vg_state_get(t, &k, (int64_t)i, &created);
		cr_assert_not_null(v);
		cr_assert(created);
		v->check = k.eni;
		struct vg_state_stats s = stats(st);
		if (s.bytes > ceiling || s.peak_bytes > ceiling)
			cr_assert_fail("insert %llu: %zu bytes, peak %zu, ceiling %zu", (unsigned long long)i, s.bytes,
				       s.peak_bytes, ceiling);
	}
	struct vg_state_stats s = stats(st);
	cr_assert_geq(s.entries, 48);
	cr_assert_eq(s.evicted + s.entries, n, "every insert past the ceiling evicted one");
	cr_assert_geq(s.bytes, ceiling / 3, "the table grew as far as the ceiling let it");
	vg_state_free(st);
}

/* Keys inserted in time order into a full table: the newest survive, the
 * oldest go. */
Test(state, recent_keys_survive)
{
	struct vg_state *st = store(256 << 10);
	struct vg_state_table *t = table(st, sizeof(struct key), sizeof(struct val), INT64_MAX);
	const uint64_t n = 200000;
	for (uint64_t i = 0; i < n; i++) {
		struct key k = mk(i);
		cr_assert_not_null(vg_state_get(t, &k, (int64_t)i, NULL));
	}
	uint64_t held = stats(st).entries;
	uint64_t newest = 0, oldest = 0;
	for (uint64_t i = n - held / 4; i < n; i++) {
		struct key k = mk(i);
		newest += vg_state_find(t, &k) != NULL;
	}
	for (uint64_t i = n - held * 2; i < n - held; i++) {
		struct key k = mk(i);
		oldest += vg_state_find(t, &k) != NULL;
	}
	cr_log_info("held %llu: newest quarter %llu survive, the %llu before the last %llu: %llu survive",
		    (unsigned long long)held, (unsigned long long)newest, (unsigned long long)held,
		    (unsigned long long)held, (unsigned long long)oldest);
	cr_assert_geq(newest, held / 4 * 99 / 100, "newest quarter: %llu of %llu survive",
		      (unsigned long long)newest, (unsigned long long)(held / 4));
	cr_assert_leq(oldest, held / 10, "older keys: %llu of %llu survive", (unsigned long long)oldest,
		      (unsigned long long)held);
	vg_state_free(st);
}

/* A hot set touched now and then survives a flood of new keys. */
Test(state, touched_keys_survive_a_flood)
{
	/* 2048 slots of 184 bytes: 1536 entries, 64 of them hot. */
	struct vg_state *st = store(1 << 20);
	struct vg_state_table *t = table(st, sizeof(struct key), sizeof(struct val), INT64_MAX);
	int64_t now = 0;
	for (uint64_t h = 0; h < 64; h++) {
		struct key k = mk(h);
		((struct val *)vg_state_get(t, &k, now++, NULL))->n = h + 1;
	}
	uint64_t r = 7;
	for (uint64_t i = 0; i < 300000; i++) {
		struct key k = mk(1000 + rnd(&r) % 100000000);
		cr_assert_not_null(vg_state_get(t, &k, now++, NULL));
		if (i % 100 == 0)
			for (uint64_t h = 0; h < 64; h++) {
				struct key hk = mk(h);
				bool created;
				struct val *v = vg_state_get(t, &hk, now++, &created);
				cr_assert_not(created, "hot key %llu was evicted at %llu", (unsigned long long)h,
					      (unsigned long long)i);
				cr_assert_eq(v->n, h + 1);
			}
	}
	cr_assert_gt(stats(st).evicted, 250000);
	vg_state_free(st);
}

Test(state, ceiling_too_small)
{
	struct vg_state *st = store(16);
	struct vg_state_table *t;
	cr_assert_eq(vg_state_table_new(st, "x", 16, 48, 1000, &t), VG_ELIMIT);
	cr_assert_null(t);
	cr_assert_eq(stats(st).bytes, 0);
	vg_state_free(st);

	/* The smallest ceiling that holds the table's header: no entry fits. */
	size_t c = 16;
	for (;; c += 8) {
		st = store(c);
		if (vg_state_table_new(st, "x", 16, 48, 1000, &t) == VG_OK)
			break;
		vg_state_free(st);
	}
	struct key k = mk(1);
	cr_assert_null(vg_state_get(t, &k, 0, NULL));
	cr_assert_null(vg_state_find(t, &k));
	vg_state_del(t, &k);
	cr_assert_eq(vg_state_expire(st, 1 << 30), 0);
	cr_assert_leq(stats(st).bytes, c);
	cr_assert_eq(stats(st).entries, 0);
	vg_state_free(st);

	/* Room for the header and one array of 8 slots (80 bytes each): the
	 * table holds 6 entries and evicts. */
	st = store(c + 8 * 80);
	t = table(st, 16, 48, 1000);
	for (uint64_t i = 0; i < 100; i++) {
		struct key ki = mk(i);
		cr_assert_not_null(vg_state_get(t, &ki, (int64_t)i, NULL));
		cr_assert_leq(stats(st).bytes, c + 8 * 80);
	}
	cr_assert_eq(stats(st).entries, 6);
	cr_assert_eq(stats(st).evicted, 94);
	struct key last = mk(99);
	cr_assert_not_null(vg_state_find(t, &last));
	vg_state_free(st);
}

/* ---- tables sharing the ceiling ------------------------------------------------ */

struct collect {
	uint64_t n;
	bool bad;
};

static int check_cb(void *ctx, const void *key, void *val)
{
	struct collect *c = ctx;
	const struct key *k = key;
	const struct val *v = val;
	c->n++;
	if (v->check != k->eni)
		c->bad = true;
	return 0;
}

/* every entry's value matches its key and find reaches it */
static uint64_t check_table(struct vg_state_table *t)
{
	struct collect c = {0};
	cr_assert_eq(vg_state_each(t, check_cb, &c), 0);
	cr_assert_not(c.bad);
	return c.n;
}

static int find_cb(void *ctx, const void *key, void *val)
{
	struct vg_state_table *t = ctx;
	return vg_state_find(t, key) == val ? 0 : 1;
}

Test(state, tables_share_the_ceiling)
{
	/* Room for big's array of 2^14 slots of 184 bytes while it grew from
	 * 2^13, and the headers. */
	const size_t ceiling = (size_t)16384 * 184 * 3 / 2 + 16384;
	struct vg_state *st = store(ceiling);
	struct vg_state_table *big = table(st, sizeof(struct key), sizeof(struct val), INT64_MAX);
	struct vg_state_table *small = table(st, sizeof(struct key), sizeof(struct val), INT64_MAX);
	int64_t now = 0;
	/* The flood: big takes what the ceiling allows. */
	for (uint64_t i = 0; i < 200000; i++) {
		struct key k = mk(i);
		((struct val *)vg_state_get(big, &k, now++, NULL))->check = k.eni;
	}
	struct vg_state_stats s0 = stats(st);
	cr_assert_gt(s0.evicted, 0);
	uint64_t big_before = check_table(big);
	/* The second table grows by halving the first until they are even. */
	for (uint64_t i = 0; i < 200000; i++) {
		struct key k = mk(10000000 + i);
		((struct val *)vg_state_get(small, &k, now++, NULL))->check = k.eni;
		cr_assert_leq(stats(st).bytes, ceiling);
		cr_assert_leq(stats(st).peak_bytes, ceiling);
	}
	uint64_t nb = check_table(big), ns = check_table(small);
	cr_log_info("big held %llu, then %llu; small holds %llu", (unsigned long long)big_before,
		    (unsigned long long)nb, (unsigned long long)ns);
	cr_assert_lt(nb, big_before, "big gave room back");
	cr_assert_geq(ns, nb, "small is at least as big as big now");
	cr_assert_eq(vg_state_each(big, find_cb, big), 0, "big's entries are reachable after rehashing in place");
	cr_assert_eq(vg_state_each(small, find_cb, small), 0);
	/* Newer entries of big survived its halving. */
	struct key k = mk(199999);
	cr_assert_not_null(vg_state_find(big, &k));
	struct vg_state_stats s = stats(st);
	cr_assert_eq(s.entries, nb + ns);
	cr_assert_eq(s.evicted + s.entries, 400000);
	/* big cannot take the room back: the arrays are even. */
	for (uint64_t i = 0; i < 50000; i++) {
		struct key kb = mk(20000000 + i);
		((struct val *)vg_state_get(big, &kb, now++, NULL))->check = kb.eni;
	}
	cr_assert_eq(check_table(small), ns, "a table cannot take room from one no bigger");
	vg_state_free(st);
}

/* A table whose first array does not fit takes it from the biggest
 * table, even when that leaves the other smaller. */
Test(state, nothing_to_give)
{
	const size_t ceiling = 1 << 20;
	struct vg_state *st = store(ceiling);
	struct vg_state_table *a = table(st, 8, 8, INT64_MAX);
	struct vg_state_table *b = table(st, 8, 65536, INT64_MAX);
	for (uint64_t i = 0; i < 100000; i++)
		*(uint64_t *)vg_state_get(a, &i, (int64_t)i, NULL) = i;
	struct vg_state_stats s0 = stats(st);
	size_t b_first = 8 * (16 + 8 + 65536);
	cr_assert_lt(ceiling - s0.bytes, b_first, "the test needs b's first array not to fit");
	uint64_t k = 1;
	uint64_t *v = vg_state_get(b, &k, 100000, NULL);
	cr_assert_not_null(v);
	struct vg_state_stats s = stats(st);
	cr_assert_leq(s.peak_bytes, ceiling);
	cr_assert_gt(s.evicted, s0.evicted, "a gave entries up");
	cr_assert_lt(s.bytes - b_first, s0.bytes, "a's array shrank");
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t *av = vg_state_find(a, &i);
		cr_assert(!av || *av == i);
	}
	uint64_t newest = 99999;
	cr_assert_not_null(vg_state_find(a, &newest));
	vg_state_free(st);
}

/* A table whose first array cannot fit even if every other table shrank
 * gets nothing, and the others lose nothing for it. */
Test(state, nothing_to_give_and_nothing_to_take)
{
	const size_t ceiling = 200 << 10;
	struct vg_state *st = store(ceiling);
	struct vg_state_table *a = table(st, 8, 8, INT64_MAX);
	struct vg_state_table *b = table(st, 8, 65536, INT64_MAX);
	for (uint64_t i = 0; i < 10000; i++)
		*(uint64_t *)vg_state_get(a, &i, (int64_t)i, NULL) = i;
	struct vg_state_stats s0 = stats(st);
	uint64_t k = 1;
	cr_assert_null(vg_state_get(b, &k, 0, NULL));
	struct vg_state_stats s = stats(st);
	cr_assert_eq(s.evicted, s0.evicted);
	cr_assert_eq(s.bytes, s0.bytes);
	cr_assert_eq(s.entries, s0.entries);
	vg_state_free(st);
}

struct ref {
	bool *present;
	uint64_t *value;
};

/* Three tables of different shapes under one small ceiling, random gets,
 * deletions and expiry: whatever each holds has the value last written
 * and is reachable, and the store's count and bytes add up. */
Test(state, three_tables_random, .timeout = 120)
{
	/* Tables 0 and 1 have 64-byte slots: table 0 grows first, to 2048
	 * slots (the ceiling holds it while it grows from 1024), then table 1
	 * takes half of it; table 2 has 224-byte slots. */
	const size_t ceiling = 2048 * 64 * 3 / 2 + 2048;
	const uint64_t keys = 4000;
	static const size_t vsz[3] = {40, 40, 200};
	struct vg_state *st = store(ceiling);
	struct vg_state_table *t[3];
	struct ref ref[3];
	for (int j = 0; j < 3; j++) {
		t[j] = table(st, 8, vsz[j], 2000 + 3000 * j);
		ref[j].present = calloc(keys, sizeof(bool));
		ref[j].value = calloc(keys, sizeof(uint64_t));
	}
	uint64_t r = 4242;
	for (uint64_t op = 0; op < 400000; op++) {
		uint64_t x = rnd(&r), k = x % keys;
		/* Phases: each table in turn gets most of the traffic. */
		int j = (int)((x >> 20) % 4);
		if (j == 3)
			j = (int)((op / 50000) % 3);
		if ((x >> 40) % 4 == 0) {
			vg_state_del(t[j], &k);
			ref[j].present[k] = false;
		} else {
			bool created;
			uint64_t *v = vg_state_get(t[j], &k, (int64_t)op, &created);
			cr_assert_not_null(v);
			if (!created)
				cr_assert(ref[j].present[k] && *v == ref[j].value[k], "op %llu",
					  (unsigned long long)op);
			ref[j].present[k] = true;
			*v = ref[j].value[k] = x;
		}
		struct vg_state_stats s = stats(st);
		cr_assert_leq(s.peak_bytes, ceiling);
		if (op % 20011 == 0) {
			vg_state_expire(st, (int64_t)op);
			uint64_t total = 0;
			for (int m = 0; m < 3; m++) {
				cr_assert_eq(vg_state_each(t[m], find_cb, t[m]), 0);
				for (uint64_t q = 0; q < keys; q++) {
					uint64_t *v = vg_state_find(t[m], &q);
					if (v) {
						cr_assert(ref[m].present[q] && *v == ref[m].value[q]);
						total++;
					} else {
						ref[m].present[q] = false;
					}
				}
			}
			cr_assert_eq(stats(st).entries, total);
		}
	}
	struct vg_state_stats s = stats(st);
	cr_log_info("three tables: %llu entries, %llu evicted, %llu expired, %zu bytes", (unsigned long long)s.entries,
		    (unsigned long long)s.evicted, (unsigned long long)s.expired, s.bytes);
	cr_assert_gt(s.evicted, 0);
	cr_assert_gt(s.expired, 0);
	for (int j = 0; j < 3; j++) {
		free(ref[j].present);
		free(ref[j].value);
	}
	vg_state_free(st);
}

/* Halving a table rehashes it in place; clusters that wrap around the
 * array's end make entries kick each other out.  Many tables, each
 * halved once at full load: every survivor keeps its value and stays
 * reachable. */
Test(state, halving_rehashes_in_place)
{
	size_t heads;
	{
		struct vg_state *probe = store(1 << 20);
		table(probe, 8, 8, INT64_MAX);
		table(probe, 8, 4096, INT64_MAX);
		heads = stats(probe).bytes;
		vg_state_free(probe);
	}
	uint64_t least = 768;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		/* a grows to 2048 slots of 32 bytes (while growing from 1024 the
		 * ceiling is full); b's first 8 slots of 4120 bytes then do not
		 * fit, so a is halved for them. */
		struct vg_state *st = store(heads + 96 * 1024);
		struct vg_state_table *a = table(st, 8, 8, INT64_MAX);
		struct vg_state_table *b = table(st, 8, 4096, INT64_MAX);
		uint64_t r = seed;
		for (uint64_t i = 0; i < 1536; i++) {
			uint64_t k = rnd(&r);
			*(uint64_t *)vg_state_get(a, &k, (int64_t)i, NULL) = ~k;
		}
		cr_assert_eq(stats(st).evicted, 0);
		cr_assert_eq(stats(st).bytes, heads + 2048 * 32);
		uint64_t one = 1;
		cr_assert_not_null(vg_state_get(b, &one, 0, NULL));
		struct vg_state_stats s = stats(st);
		cr_assert_eq(s.evicted, 768, "a evicted down to 3/4 of 1024 slots");
		cr_assert_eq(s.bytes, heads + 1024 * 32 + 8 * 4120);
		r = seed;
		uint64_t found = 0, newer = 0;
		for (uint64_t i = 0; i < 1536; i++) {
			uint64_t k = rnd(&r);
			uint64_t *v = vg_state_find(a, &k);
			if (v) {
				cr_assert_eq(*v, ~k, "seed %llu", (unsigned long long)seed);
				found++;
				newer += i >= 768;
			}
		}
		cr_assert_eq(found, 768);
		/* The evicted half is (nearly) the older half. */
		cr_assert_geq(newer, 768 * 95 / 100, "seed %llu: %llu of the newer half survive",
			      (unsigned long long)seed, (unsigned long long)newer);
		if (newer < least)
			least = newer;
		cr_assert_eq(vg_state_each(a, find_cb, a), 0);
		vg_state_free(st);
	}
	cr_log_info("halving: at least %llu of the newer 768 survive", (unsigned long long)least);
}

/* A failed realloc while halving keeps the bigger block, charged as it
 * is; the table is still whole and the next attempt halves again. */
Test(state, halving_realloc_fails)
{
	size_t heads;
	{
		struct vg_state *probe = store(1 << 20);
		table(probe, 8, 8, INT64_MAX);
		table(probe, 8, 4096, INT64_MAX);
		heads = stats(probe).bytes;
		vg_state_free(probe);
	}
	struct vg_state *st = store(heads + 96 * 1024);
	struct vg_state_table *a = table(st, 8, 8, INT64_MAX);
	struct vg_state_table *b = table(st, 8, 4096, INT64_MAX);
	for (uint64_t k = 0; k < 1536; k++)
		*(uint64_t *)vg_state_get(a, &k, (int64_t)k, NULL) = ~k;
	uint64_t one = 1;
	vg_alloc_fail_after(1); /* halving a's array: the realloc */
	cr_assert_null(vg_state_get(b, &one, 0, NULL));
	vg_alloc_fail_after(0);
	struct vg_state_stats s = stats(st);
	cr_assert_eq(s.bytes, heads + 2048 * 32, "the block kept is charged in full");
	cr_assert_eq(s.entries, 768);
	cr_assert_eq(vg_state_each(a, find_cb, a), 0);
	cr_assert_not_null(vg_state_get(b, &one, 0, NULL), "halving again gives room");
	s = stats(st);
	cr_assert_eq(s.bytes, heads + 512 * 32 + 8 * 4120);
	cr_assert_eq(s.entries, 384 + 1);
	cr_assert_eq(vg_state_each(a, find_cb, a), 0);
	uint64_t newest = 0;
	for (uint64_t k = 0; k < 1536; k++) {
		uint64_t *v = vg_state_find(a, &k);
		cr_assert(!v || *v == ~k);
		newest += v && k >= 1536 - 384;
	}
	cr_assert_geq(newest, 384 * 9 / 10, "the newest keys survive: %llu of 384", (unsigned long long)newest);
	/* Table creation that cannot allocate gives its charge back. */
	struct vg_state_table *c;
	size_t before = stats(st).bytes;
	vg_alloc_fail_after(1);
	cr_assert_eq(vg_state_table_new(st, "c", 8, 8, 1000, &c), VG_ENOMEM);
	vg_alloc_fail_after(0);
	cr_assert_eq(stats(st).bytes, before);
	vg_state_free(st);
}

/* ---- expiry -------------------------------------------------------------------- */

Test(state, expire)
{
	struct vg_state *st = store(16 << 20);
	struct vg_state_table *shortt = table(st, sizeof(struct key), sizeof(struct val), 1000);
	struct vg_state_table *longt = table(st, sizeof(struct key), sizeof(struct val), 100000);
	for (uint64_t i = 0; i < 20000; i++) {
		struct key k = mk(i);
		/* Times 0..19999 ms; odd keys are touched again at 30000. */
		((struct val *)vg_state_get(shortt, &k, (int64_t)i, NULL))->check = k.eni;
		((struct val *)vg_state_get(longt, &k, (int64_t)i, NULL))->check = k.eni;
	}
	for (uint64_t i = 1; i < 20000; i += 2) {
		struct key k = mk(i);
		cr_assert_not_null(vg_state_get(shortt, &k, 30000, NULL));
		/* find does not touch */
		cr_assert_not_null(vg_state_find(longt, &k));
	}
	/* A touch never moves the time back. */
	struct key k1 = mk(1);
	cr_assert_not_null(vg_state_get(shortt, &k1, 5, NULL));

	/* At 30500, the short table keeps what was touched since 29500. */
	cr_assert_eq(vg_state_expire(st, 30500), 10000);
	cr_assert_eq(stats(st).expired, 10000);
	for (uint64_t i = 0; i < 20000; i++) {
		struct key k = mk(i);
		struct val *v = vg_state_find(shortt, &k);
		if (i % 2)
			cr_assert(v && v->check == k.eni, "key %llu kept", (unsigned long long)i);
		else
			cr_assert_null(v, "key %llu expired", (unsigned long long)i);
		cr_assert_not_null(vg_state_find(longt, &k));
	}
	/* At 110000 the long table drops what was idle since before 10000. */
	cr_assert_eq(vg_state_expire(st, 110000), 10000 + 10000);
	cr_assert_eq(check_table(longt), 10000);
	cr_assert_eq(vg_state_each(longt, find_cb, longt), 0);
	cr_assert_eq(stats(st).entries, 10000);
	cr_assert_eq(stats(st).expired, 30000);
	/* Nothing idle long enough: nothing goes, whatever the clock says. */
	cr_assert_eq(vg_state_expire(st, INT64_MIN), 0);
	cr_assert_eq(vg_state_expire(st, 110000), 0);
	vg_state_free(st);
}

/* ---- against a reference map ----------------------------------------------------------- */

/* Random gets, finds and deletions over a small key space keep the table
 * near its most crowded (3/4 full, long clusters wrapping around the
 * array's end), where backward-shift deletion has the most to get wrong. */
static void reference_run(uint64_t keys, uint64_t ops, uint64_t seed)
{
	struct vg_state *st = store(64 << 20);
	struct vg_state_table *t = table(st, 8, 8, INT64_MAX);
	bool *present = calloc(keys, sizeof(bool));
	uint64_t *value = calloc(keys, sizeof(uint64_t));
	uint64_t r = seed, live = 0;
	cr_assert(present && value);
	for (uint64_t op = 0; op < ops; op++) {
		uint64_t x = rnd(&r), k = x % keys;
		switch ((x >> 32) % 5) {
		case 0:
		case 1: {
			bool created;
			uint64_t *v = vg_state_get(t, &k, (int64_t)op, &created);
			cr_assert_not_null(v);
			cr_assert_eq(created, !present[k], "op %llu key %llu", (unsigned long long)op,
				     (unsigned long long)k);
			if (created) {
				cr_assert_eq(*v, 0);
				live++;
			} else {
				cr_assert_eq(*v, value[k]);
			}
			present[k] = true;
			*v = value[k] = x;
			break;
		}
		case 2:
		case 3:
			vg_state_del(t, &k);
			live -= present[k];
			present[k] = false;
			break;
		default: {
			uint64_t *v = vg_state_find(t, &k);
			cr_assert_eq(v != NULL, present[k], "op %llu key %llu", (unsigned long long)op,
				     (unsigned long long)k);
			if (v)
				cr_assert_eq(*v, value[k]);
		}
		}
		if (op % 997 == 0)
			for (uint64_t j = 0; j < keys; j++) {
				uint64_t *v = vg_state_find(t, &j);
				cr_assert_eq(v != NULL, present[j]);
				if (v)
					cr_assert_eq(*v, value[j]);
			}
	}
	cr_assert_eq(stats(st).entries, live);
	cr_assert_eq(stats(st).evicted, 0);
	free(present);
	free(value);
	vg_state_free(st);
}

Test(state, reference_small) { reference_run(24, 200000, 1); }
Test(state, reference_medium) { reference_run(700, 300000, 2); }
Test(state, reference_large) { reference_run(20000, 300000, 3); }

/* With eviction and expiry mixed in, what the table holds must still be a
 * subset of the reference with the right values. */
Test(state, reference_with_eviction_and_expiry)
{
	struct vg_state *st = store(48 << 10);
	struct vg_state_table *t = table(st, 8, 8, 300);
	const uint64_t keys = 5000;
	bool *present = calloc(keys, sizeof(bool));
	uint64_t *value = calloc(keys, sizeof(uint64_t));
	uint64_t r = 99;
	for (uint64_t op = 0; op < 300000; op++) {
		uint64_t x = rnd(&r), k = x % keys;
		if ((x >> 40) % 3 == 0) {
			vg_state_del(t, &k);
			present[k] = false;
		} else {
			bool created;
			uint64_t *v = vg_state_get(t, &k, (int64_t)op, &created);
			cr_assert_not_null(v);
			if (!created)
				cr_assert(present[k] && *v == value[k], "op %llu", (unsigned long long)op);
			present[k] = true;
			*v = value[k] = x;
		}
		if (op % 10007 == 0) {
			vg_state_expire(st, (int64_t)op);
			for (uint64_t j = 0; j < keys; j++) {
				uint64_t *v = vg_state_find(t, &j);
				if (v)
					cr_assert(present[j] && *v == value[j]);
				else
					present[j] = false;
			}
		}
		cr_assert_leq(stats(st).bytes, 48 << 10);
	}
	struct vg_state_stats s = stats(st);
	cr_assert_gt(s.evicted, 0);
	cr_assert_gt(s.expired, 0);
	free(present);
	free(value);
	vg_state_free(st);
}

/* Allocation failures while growing: the table evicts instead. */
Test(state, allocation_failure)
{
	struct vg_state *st = store(16 << 20);
	struct vg_state_table *t = table(st, 8, 8, INT64_MAX);
	for (uint64_t i = 0; i < 6; i++)
		cr_assert_not_null(vg_state_get(t, &i, 0, NULL));
	vg_alloc_fail_after(1); /* the next allocation: the 7th entry's growth */
	uint64_t k = 6;
	cr_assert_not_null(vg_state_get(t, &k, 1, NULL));
	vg_alloc_fail_after(0);
	cr_assert_eq(stats(st).entries, 6);
	cr_assert_eq(stats(st).evicted, 1);
	for (uint64_t i = 7; i < 1000; i++)
		cr_assert_not_null(vg_state_get(t, &i, 2, NULL));
	cr_assert_eq(stats(st).entries, 999);
	vg_state_free(st);
}

/* ---- distinct counts ---------------------------------------------------------------------- */

Test(distinct, exact_below_33)
{
	struct vg_distinct d = {0};
	cr_assert_eq(sizeof(d), 132);
	cr_assert_eq(vg_distinct_count(&d), 0);
	for (uint16_t port = 1; port <= 32; port++) {
		cr_assert(vg_distinct_add(&d, &port, sizeof(port)));
		cr_assert_not(vg_distinct_add(&d, &port, sizeof(port)), "a repeat is not new");
		cr_assert_eq(vg_distinct_count(&d), port);
	}
	for (int rep = 0; rep < 3; rep++)
		for (uint16_t port = 1; port <= 32; port++)
			cr_assert_not(vg_distinct_add(&d, &port, sizeof(port)));
	cr_assert_eq(d.mode, 0);
	cr_assert_eq(vg_distinct_count(&d), 32);
	uint16_t p33 = 33;
	cr_assert(vg_distinct_add(&d, &p33, sizeof(p33)));
	cr_assert_eq(d.mode, 1, "the 33rd distinct item turns it into a HyperLogLog");
	uint64_t c = vg_distinct_count(&d);
	cr_assert(c >= 33 && c <= 40, "33 items: %llu", (unsigned long long)c);
}

Test(distinct, hll_extremes)
{
	struct vg_distinct d = {.mode = 1};
	cr_assert_eq(vg_distinct_count(&d), VG_DISTINCT_EXACT + 1, "never below what exact mode said");
	memset(d.u.reg, 26, sizeof(d.u.reg));
	cr_assert_geq(vg_distinct_count(&d), (uint64_t)1 << 32, "saturated, not NaN");
	memset(d.u.reg, 16, sizeof(d.u.reg));
	uint64_t c = vg_distinct_count(&d);
	cr_assert(c > 5000000 && c < 7000000, "%llu", (unsigned long long)c);
}

static uint64_t estimate(uint64_t n, uint64_t salt)
{
	struct vg_distinct d = {0};
	for (uint64_t i = 0; i < n; i++) {
		uint64_t item[2] = {i, salt};
		vg_distinct_add(&d, item, sizeof(item));
		if (i % 3 == 0)
			vg_distinct_add(&d, item, sizeof(item)); /* repeats change nothing */
	}
	return vg_distinct_count(&d);
}

Test(distinct, hll_within_15_percent)
{
	static const uint64_t ns[] = {100, 1000, 100000};
	for (size_t i = 0; i < VG_ARRAY_LEN(ns); i++) {
		uint64_t e = estimate(ns[i], 0);
		double err = fabs((double)e - (double)ns[i]) / (double)ns[i];
		cr_log_info("%llu distinct: estimate %llu (%.1f %%)", (unsigned long long)ns[i], (unsigned long long)e,
			    100 * err);
		cr_assert_leq(err, 0.15, "%llu distinct: estimate %llu", (unsigned long long)ns[i],
			      (unsigned long long)e);
	}
}

/* Over many independent sets, the error is what HLL with 128 registers
 * promises: about 9 % RMS, no bias. */
Test(distinct, hll_error_over_many_sets, .timeout = 60)
{
	static const uint64_t ns[] = {100, 1000, 20000};
	for (size_t i = 0; i < VG_ARRAY_LEN(ns); i++) {
		double sq = 0, sum = 0;
		const int trials = 100;
		for (int s = 1; s <= trials; s++) {
			double rel = ((double)estimate(ns[i], (uint64_t)s) - (double)ns[i]) / (double)ns[i];
			sq += rel * rel;
			sum += rel;
		}
		double rms = sqrt(sq / trials), bias = sum / trials;
		cr_log_info("%llu distinct: RMS error %.1f %%, bias %.1f %%", (unsigned long long)ns[i], 100 * rms,
			    100 * bias);
		cr_assert_leq(rms, 0.12, "%llu distinct: RMS error %.3f", (unsigned long long)ns[i], rms);
		cr_assert_leq(fabs(bias), 0.04, "%llu distinct: bias %.3f", (unsigned long long)ns[i], bias);
	}
}

Test(distinct, in_a_table_value)
{
	struct vg_state *st = store(1 << 20);
	struct vg_state_table *t = table(st, sizeof(struct key), sizeof(struct val), 1000);
	struct key k = mk(3);
	for (uint32_t port = 0; port < 5000; port++) {
		struct val *v = vg_state_get(t, &k, port, NULL);
		vg_distinct_add(&v->ports, &port, sizeof(port));
	}
	uint64_t c = vg_distinct_count(&((struct val *)vg_state_find(t, &k))->ports);
	cr_assert(c > 4000 && c < 6000, "%llu", (unsigned long long)c);
	vg_state_free(st);
}

/* ---- the hash -------------------------------------------------------------------------------- */

/* Values of the hash as first written: if they change, every store's
 * layout and every sketch changes with them, and so may findings. */
#define PIN_VIGIL 0x860d1474a194e721ull
#define PIN_36 0xb58dd2ab92d1598eull
#define PIN_EMPTY 0x2da1050f4becf15full

Test(hash, deterministic_and_seeded)
{
	const char *s = "vigil";
	uint64_t h = vg_hash64(s, 5, 1);
	cr_assert_eq(h, vg_hash64(s, 5, 1));
	cr_assert_neq(h, vg_hash64(s, 5, 2), "the seed changes the hash");
	cr_assert_neq(h, vg_hash64(s, 4, 1), "the length counts");
	cr_assert_neq(vg_hash64("", 0, 0), vg_hash64("\0", 1, 0));
	cr_assert_neq(vg_hash64("\0", 1, 0), vg_hash64("\0\0", 2, 0));
	/* Pinned: findings must not change between builds or machines. */
	struct key k = mk(42);
	cr_log_info("pinned: %016llx %016llx %016llx", (unsigned long long)vg_hash64(s, 5, 0),
		    (unsigned long long)vg_hash64(&k, sizeof(k), 0x7669676c73746174ull),
		    (unsigned long long)vg_hash64("", 0, 0));
	cr_assert_eq(vg_hash64(s, 5, 0), PIN_VIGIL);
	cr_assert_eq(vg_hash64("0123456789abcdefghijklmnopqrstuvwxyz", 36, 7), PIN_36);
	cr_assert_eq(vg_hash64("", 0, 0), PIN_EMPTY);
}

/* vg_hash64_16 is vg_hash64 of 16 bytes: peer keys made with it must not
 * change (state kept by --db, store layouts). */
Test(hash, sixteen_bytes_the_same)
{
	unsigned char buf[16];
	for (unsigned seed = 0; seed < 64; seed++) {
		for (unsigned i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)(seed * 31 + i * 7);
		cr_assert_eq(vg_hash64_16(buf, seed * 0x9e3779b97f4a7c15ull),
			     vg_hash64(buf, 16, seed * 0x9e3779b97f4a7c15ull));
	}
}

/* Every length from 0 to 64 of one buffer, every seed from 0 to 63: no
 * two hashes alike; flipping any single input bit flips about half the
 * output bits. */
Test(hash, distinct_lengths_and_avalanche)
{
	unsigned char buf[64];
	uint64_t r = 5;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rnd(&r);
	uint64_t seen[65 * 64];
	size_t n = 0;
	for (size_t len = 0; len <= 64; len++)
		for (uint64_t seed = 0; seed < 64; seed++) {
			uint64_t h = vg_hash64(buf, len, seed);
			for (size_t j = 0; j < n; j++)
				cr_assert_neq(seen[j], h, "len %zu seed %llu", len, (unsigned long long)seed);
			seen[n++] = h;
		}
	for (size_t len = 1; len <= 40; len++) {
		double flips = 0;
		unsigned trials = 0;
		for (size_t bit = 0; bit < len * 8; bit++) {
			uint64_t a = vg_hash64(buf, len, 9);
			buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			uint64_t b = vg_hash64(buf, len, 9);
			buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			flips += __builtin_popcountll(a ^ b);
			trials++;
		}
		double mean = flips / trials;
		cr_assert(mean > 28 && mean < 36, "len %zu: %.1f bits flip on average", len, mean);
	}
}

/* Sequential keys (the worst case for weak hashes) spread evenly over the
 * top bits, which pick a table's slot. */
Test(hash, top_bits_uniform)
{
	enum { BUCKETS = 1024, N = 1 << 20 };
	static unsigned cnt[BUCKETS];
	for (uint32_t i = 0; i < N; i++) {
		struct key k = {.eni = 1, .ip = i, .port = 0};
		cnt[vg_hash64(&k, sizeof(k), 0) >> 54]++;
	}
	double chi = 0, expect = (double)N / BUCKETS;
	for (int b = 0; b < BUCKETS; b++)
		chi += (cnt[b] - expect) * (cnt[b] - expect) / expect;
	/* 1023 degrees of freedom: mean 1023, sd 45. */
	cr_assert_lt(chi, 1023 + 6 * 45, "chi-square %.0f", chi);
}

/* Saving and restoring: what `vigil scan --db` carries from one run to the
 * next.  Entries come back with their values and touch times; entries of a
 * table that no longer exists, or changed shape, are refused. */
struct saved {
	char table[16];
	uint64_t key, val;
	int64_t touched;
};

static int save_cb(void *ctx, const struct vg_state_entry *e)
{
	struct saved *out = ctx;
	size_t i = 0;
	while (out[i].table[0])
		i++;
	cr_assert_lt(i, 64);
	snprintf(out[i].table, sizeof(out[i].table), "%s", e->table);
	cr_assert_eq(e->key_size, sizeof(uint64_t));
	cr_assert_eq(e->val_size, sizeof(uint64_t));
	memcpy(&out[i].key, e->key, sizeof(uint64_t));
	memcpy(&out[i].val, e->val, sizeof(uint64_t));
	out[i].touched = e->touched_ms;
	return 0;
}

Test(state, save_and_restore)
{
	struct vg_state *a, *b;
	struct vg_state_table *ta, *tb, *other;
	struct saved saved[64];
	memset(saved, 0, sizeof(saved));
	cr_assert_eq(vg_state_new(&a, 1 << 20), VG_OK);
	cr_assert_eq(vg_state_table_new(a, "counts", 8, 8, 60000, &ta), VG_OK);
	for (uint64_t k = 1; k <= 10; k++) {
		uint64_t *v = vg_state_get(ta, &k, (int64_t)(1000 * k), NULL);
		cr_assert_not_null(v);
		*v = k * k;
	}
	cr_assert_eq(vg_state_save(a, save_cb, saved), 0);

	cr_assert_eq(vg_state_new(&b, 1 << 20), VG_OK);
	cr_assert_eq(vg_state_table_new(b, "counts", 8, 8, 60000, &tb), VG_OK);
	cr_assert_eq(vg_state_table_new(b, "other", 8, 16, 60000, &other), VG_OK);
	int n = 0;
	for (int i = 0; saved[i].table[0]; i++, n++) {
		struct vg_state_entry e = {saved[i].table, 8, 8, &saved[i].key, &saved[i].val, saved[i].touched};
		cr_assert_eq(vg_state_restore(b, &e), VG_OK);
		struct vg_state_entry moved = {"other", 8, 8, &saved[i].key, &saved[i].val, saved[i].touched};
		cr_expect_eq(vg_state_restore(b, &moved), VG_ENOENT, "a table of another shape takes nothing");
		struct vg_state_entry gone = {"gone", 8, 8, &saved[i].key, &saved[i].val, saved[i].touched};
		cr_expect_eq(vg_state_restore(b, &gone), VG_ENOENT);
	}
	cr_expect_eq(n, 10);
	for (uint64_t k = 1; k <= 10; k++) {
		uint64_t *v = vg_state_find(tb, &k);
		cr_assert_not_null(v);
		cr_expect_eq(*v, k * k);
	}
	/* The touch times came along: the five oldest expire together. */
	cr_expect_eq(vg_state_expire(b, 65500), 5);
	vg_state_free(a);
	vg_state_free(b);
}
