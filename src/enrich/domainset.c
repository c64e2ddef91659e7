/*
 * domainset.c -- domain suffix set: one open-addressing table over one
 * string arena, with a Bloom filter in front.
 *
 * A name's hash is built label by label from the right, so one pass over a
 * query yields the hash of every label-boundary suffix ("com", "evil.com",
 * "b.evil.com", ...).  Suffixes with a label count no listed name has are
 * dropped, then those the filter rules out; the slots of the rest are
 * prefetched together and probed from the longest suffix.  A miss usually
 * costs only filter reads; a hit one slot read and one arena read.
 *
 * Slots are 16 bytes: 56 bits of the hash (so a miss almost never reads
 * the arena, and growing never does), the arena offset, the value and the
 * length.  Linear probing, at most 3/4 full; the table doubles when full.
 *
 * Measured with bench/intel_lookup.c (bench/README.md): without the filter,
 * a 1 % hit rate ran at 3.6 M/s with 1 M names, with it at 11 M/s; the
 * label-count mask and a branch-free byte loop gained a little more.  The
 * hash is unkeyed: names come from operators' lists, not from traffic, and
 * queries never insert.
 */
#include "../vg.h"
#include "domainset.h"

#define MAX_LABEL 63
#define MAX_SUFFIXES (VG_DOMAIN_MAX / 2 + 1) /* one-byte labels and dots */
#define PAD 16                               /* readable bytes past a name */
#define MIN_SLOTS 64
#define BATCH 16 /* look-ups in flight in lookup_many */

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* One table slot.  It keeps 56 bits of the name's hash, so that growing
 * the table re-places names without reading the arena or hashing again
 * (which was most of the time spent loading 10 M names). */
struct slot {
	uint32_t hi;    /* hash >> 32, which also picks the slot */
	uint32_t off;   /* name's first byte in the arena */
	uint32_t value; /* what a look-up returns */
	uint32_t lh;    /* name length | hash bits 0..23 << 8; 0: empty slot */
};

/* The bits of a hash that a slot keeps. */
static inline uint64_t kept(uint64_t h) { return h & 0xffffffff00ffffffull; }
static inline uint32_t slot_lh(uint64_t h, size_t n) { return (uint32_t)n | (uint32_t)(h & 0xffffff) << 8; }
static inline size_t slot_len(const struct slot *e) { return e->lh & 0xff; }
static inline uint64_t slot_hash(const struct slot *e) { return (uint64_t)e->hi << 32 | e->lh >> 8; }

struct vg_domainset {
	struct slot *slots; /* 1 << bits slots, or NULL while empty */
	size_t mask;        /* slots - 1 */
	uint64_t *filter;   /* Bloom filter of the names' hashes, a byte per slot */
	size_t fmask;       /* filter words - 1 */
	size_t count;       /* names listed */
	uint64_t labels;    /* bit k: a listed name has k labels (63: or more) */
	char *arena;        /* normalised names back to back, no separators */
	size_t alen;        /* arena bytes used */
	size_t acap;        /* arena bytes allocated */
	size_t limit;       /* memory ceiling in bytes */
	size_t used;        /* bytes allocated now (struct included) */
};

/* ---- hashing -------------------------------------------------------------- */

/* Folded 64x64->128 multiply (wyhash's mum). */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)(r >> 64) ^ (uint64_t)r;
#else
	uint64_t r = a * b;
	return r ^ (r >> 29) ^ (a >> 32) * (b | 1);
#endif
}

static inline uint64_t load_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

#define K0 0xa0761d6478bd642full
#define K1 0xe7037ed1a0b428dbull
#define K2 0x8ebc6af09c88c6e3ull
#define SEED 0x589965cc75374cc3ull

/* Extend the hash h of a suffix by the label p[0..n) to its left: one
 * multiply per 16 bytes, as in wyhash.  p must stay readable PAD bytes past
 * n; the bytes beyond are masked off.  A multiplier is never zero: label
 * bytes are below 0x80 and the constants' bytes are not. */
static inline uint64_t label_step(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; i + 16 < n; i += 16)
		h = mum(load_le64(p + i) ^ h ^ K0, load_le64(p + i + 8) ^ K1);
	size_t r = n - i; /* 1..16 bytes left */
	uint64_t w0 = load_le64(p + i), w1 = load_le64(p + i + 8);
	w0 &= r >= 8 ? ~0ull : ~0ull >> (64 - 8 * r);
	w1 &= r > 8 ? ~0ull >> (64 - 8 * (r - 8)) : 0;
	return mum(w0 ^ h ^ K0, w1 ^ K2 ^ n);
}

/* Hash of a normalised name p[0..n) (PAD readable bytes past n). */
static uint64_t name_hash(const unsigned char *p, size_t n)
{
	uint64_t h = SEED;
	size_t e = n;
	for (size_t i = n; i-- > 0;)
		if (p[i] == '.') {
			h = label_step(h, p + i + 1, e - i - 1);
			e = i;
		}
	return label_step(h, p, e);
}

/* Each byte in lower case, or 0 for a byte outside [A-Za-z0-9_.-]: a table,
 * because the look-up folds every byte of every query. */
static const unsigned char fold[256] = {
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  45,  46,   0,
	 48,  49,  50,  51,  52,  53,  54,  55,  56,  57,   0,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,  95,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
};

/* ---- filter ------------------------------------------------------------- */

/* A query probes the slot of every suffix; most suffixes are listed
 * nowhere, and each probe is a cache (and TLB) miss in a table of many
 * megabytes.  A Bloom filter of 8 bits per slot (two bits in one word, one
 * read) turns most of those probes into a read of an array 16 times
 * smaller, for 2-4 % false positives (measured: see bench/README.md). */
static inline size_t filter_word(const struct vg_domainset *s, uint64_t h, uint64_t *bits)
{
	uint64_t x = kept(h) * 0x9e3779b97f4a7c15ull;
	*bits = 1ull << (x >> 58) | 1ull << ((x >> 52) & 63);
	return (size_t)(x >> 12) & s->fmask;
}

static inline void filter_add(struct vg_domainset *s, uint64_t h)
{
	uint64_t bits;
	size_t w = filter_word(s, h, &bits);
	s->filter[w] |= bits;
}

static inline bool filter_has(const struct vg_domainset *s, uint64_t h)
{
	uint64_t bits;
	size_t w = filter_word(s, h, &bits);
	return (s->filter[w] & bits) == bits;
}

/* ---- table ---------------------------------------------------------------- */

int vg_domainset_new(struct vg_domainset **out)
{
	struct vg_domainset *s = vg_calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return VG_ENOMEM;
	s->limit = VG_DOMAINSET_DEFAULT_LIMIT;
	s->used = sizeof(*s);
	*out = s;
	return VG_OK;
}

void vg_domainset_free(struct vg_domainset *s)
{
	if (!s)
		return;
	vg_free(s->slots);
	vg_free(s->filter);
	vg_free(s->arena);
	vg_free(s);
}

void vg_domainset_set_limit(struct vg_domainset *s, size_t max_bytes)
{
	s->limit = max_bytes ? max_bytes : VG_DOMAINSET_DEFAULT_LIMIT;
}

size_t vg_domainset_count(const struct vg_domainset *s) { return s->count; }
size_t vg_domainset_memory(const struct vg_domainset *s) { return s->used; }

/* Can the set take add more bytes under its ceiling? */
static bool room_for(const struct vg_domainset *s, size_t add)
{
	return s->used <= s->limit && add <= s->limit - s->used;
}

/* The slot a hash starts probing at. */
static inline size_t home(const struct vg_domainset *s, uint64_t h) { return (size_t)(h >> 32) & s->mask; }

/* Slot index holding name p[0..n) with hash h, or of the empty slot where it
 * would go. */
static size_t find(const struct vg_domainset *s, uint64_t h, const unsigned char *p, size_t n)
{
	uint32_t hi = (uint32_t)(h >> 32), lh = slot_lh(h, n);
	for (size_t i = home(s, h);; i = (i + 1) & s->mask) {
		const struct slot *e = &s->slots[i];
		if (e->lh == 0)
			return i;
		if (e->hi == hi && e->lh == lh && vg_mem_eq(s->arena + e->off, p, n))
			return i;
	}
}

/* Double the table and its filter (or create them), re-placing every
 * name. */
static int grow_table(struct vg_domainset *s)
{
	size_t nslots = s->slots ? (s->mask + 1) * 2 : MIN_SLOTS;
	size_t nwords = nslots / 8;
	if (nslots - 1 > UINT32_MAX || nslots > SIZE_MAX / sizeof(struct slot) / 2 ||
	    !room_for(s, nslots * sizeof(struct slot) + nwords * sizeof(uint64_t)))
		return VG_ELIMIT;
	struct slot *ns = vg_calloc(nslots, sizeof(*ns));
	uint64_t *nf = ns ? vg_calloc(nwords, sizeof(*nf)) : NULL;
	if (!nf) {
		vg_free(ns);
		return VG_ENOMEM;
	}
	struct slot *old = s->slots;
	size_t nold = s->slots ? s->mask + 1 : 0;
	vg_free(s->filter);
	s->used -= nold / 8 * sizeof(uint64_t);
	s->slots = ns;
	s->mask = nslots - 1;
	s->filter = nf;
	s->fmask = nwords - 1;
	s->used += nslots * sizeof(*ns) + nwords * sizeof(*nf);
	for (size_t i = 0; i < nold; i++) {
		const struct slot *e = &old[i];
		if (e->lh == 0)
			continue;
		uint64_t h = slot_hash(e);
		size_t j = home(s, h);
		while (ns[j].lh != 0)
			j = (j + 1) & s->mask;
		ns[j] = *e;
		filter_add(s, h);
	}
	vg_free(old);
	s->used -= nold * sizeof(*old);
	return VG_OK;
}

/* Make room for n more arena bytes. */
static int grow_arena(struct vg_domainset *s, size_t n)
{
	if (s->alen + n <= s->acap)
		return VG_OK;
	size_t cap = s->acap ? s->acap : 4096;
	while (cap < s->alen + n)
		cap *= 2;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX; /* offsets are 32-bit */
	if (cap < s->alen + n)
		return VG_ELIMIT;
	if (!room_for(s, cap - s->acap)) {
		cap = s->alen + n; /* near the ceiling, take only what is needed */
		if (!room_for(s, cap - s->acap))
			return VG_ELIMIT;
	}
	char *a = vg_realloc(s->arena, cap);
	if (!a)
		return VG_ENOMEM;
	s->used += cap - s->acap;
	s->arena = a;
	s->acap = cap;
	return VG_OK;
}

/* Normalise domain into buf (VG_DOMAIN_MAX + PAD bytes, zero padded):
 * lower case, no trailing dot, no leading "*.".  Returns the length, or 0
 * when the name is not valid. */
static size_t normalise(struct vg_str d, unsigned char *buf)
{
	const char *p = d.p;
	size_t n = d.n;
	if (n && p[n - 1] == '.')
		n--;
	if (n >= 2 && p[0] == '*' && p[1] == '.') {
		p += 2;
		n -= 2;
	}
	if (n == 0 || n > VG_DOMAIN_MAX)
		return 0;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = fold[(unsigned char)p[i]];
		if (c == 0)
			return 0;
		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (++label > MAX_LABEL) {
			return 0;
		}
		buf[i] = c;
	}
	if (label == 0)
		return 0;
	memset(buf + n, 0, PAD);
	return n;
}

int vg_domainset_add(struct vg_domainset *s, struct vg_str domain, uint32_t value)
{
	unsigned char buf[VG_DOMAIN_MAX + PAD];
	if (value > VG_DOMAINSET_VALUE_MAX)
		return VG_EINVAL;
	size_t n = normalise(domain, buf);
	if (n == 0)
		return VG_EFORMAT;
	if (!s->slots || (s->count + 1) * 4 > (s->mask + 1) * 3) {
		int rc = grow_table(s);
		if (rc != VG_OK)
			return rc;
	}
	uint64_t h = name_hash(buf, n);
	size_t i = find(s, h, buf, n);
	if (s->slots[i].lh != 0)
		return VG_OK; /* listed already: the first value stays */
	int rc = grow_arena(s, n);
	if (rc != VG_OK)
		return rc;
	memcpy(s->arena + s->alen, buf, n);
	unsigned labels = 1;
	for (size_t j = 0; j < n; j++)
		labels += buf[j] == '.';
	s->labels |= 1ull << (labels < 63 ? labels : 63);
	s->slots[i] = (struct slot){.hi = (uint32_t)(h >> 32), .off = (uint32_t)s->alen, .value = value, .lh = slot_lh(h, n)};
	s->alen += n;
	s->count++;
	filter_add(s, h);
	return VG_OK;
}

/* ---- look-up -------------------------------------------------------------- */

/* A query folded and hashed: every label-boundary suffix that could be a
 * listed name, shortest first. */
struct query {
	unsigned char buf[VG_DOMAIN_MAX + PAD]; /* the folded name, zero padded */
	size_t len;                  /* bytes of it in buf */
	uint64_t hs[MAX_SUFFIXES];   /* hash of each suffix */
	uint8_t at[MAX_SUFFIXES];    /* where in buf each suffix starts */
	unsigned ns;                 /* suffixes */
};

/* Fold and hash name into q; q->ns is 0 when nothing can match.  Only
 * suffixes with a label count some listed name has (labels, a bit per
 * count) are kept.  The byte loop has no data-dependent branch: with one
 * per dot, mispredictions were most of a look-up's time. */
static void prepare(struct query *q, struct vg_str name, uint64_t labels)
{
	size_t n = name.n;
	q->ns = 0;
	if (n && name.p[n - 1] == '.')
		n--;
	if (n == 0)
		return;
	/* Only the last VG_DOMAIN_MAX bytes can hold a listed suffix. */
	size_t start = n > VG_DOMAIN_MAX ? n - VG_DOMAIN_MAX : 0;
	const unsigned char *p = (const unsigned char *)name.p + start;
	size_t len = n - start, bad = 0; /* a suffix must start at bad or later */
	uint8_t dot[VG_DOMAIN_MAX];
	unsigned nd = 0;
	unsigned char prev = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = fold[p[i]];
		bool is_dot = c == '.';
		q->buf[i] = c;
		dot[nd] = (uint8_t)i;
		nd += is_dot;
		/* An invalid byte, or the second dot of an empty label, is in
		 * every suffix that starts at or before it. */
		bad = (c == 0) | (is_dot & (prev == '.')) ? i + 1 : bad;
		prev = c;
	}
	if (prev == '.')
		return; /* an empty last label */
	q->len = len;
	memset(q->buf + len, 0, PAD);
	/* Right to left, each label extends the suffix hash. */
	uint64_t h = SEED;
	size_t e = len; /* end of the next label */
	unsigned count = 0;
	for (unsigned d = nd; d-- > 0;) {
		size_t at = (size_t)dot[d] + 1;
		if (at < bad)
			return;
		h = label_step(h, q->buf + at, e - at);
		count += count < 63;
		if (labels >> count & 1) {
			q->hs[q->ns] = h;
			q->at[q->ns++] = (uint8_t)at;
		}
		e = at - 1;
	}
	/* The leftmost label counts when it starts the name or follows a dot
	 * that was cut off with the too-long head. */
	if (bad == 0 && e > 0 && (start == 0 || name.p[start - 1] == '.')) {
		h = label_step(h, q->buf, e);
		count += count < 63;
		if (labels >> count & 1) {
			q->hs[q->ns] = h;
			q->at[q->ns++] = 0;
		}
	}
}

static void prefetch_filter(const struct vg_domainset *s, const struct query *q)
{
	uint64_t bits;
	for (unsigned k = 0; k < q->ns; k++)
		PREFETCH(&s->filter[filter_word(s, q->hs[k], &bits)]);
}

/* Drop the suffixes the filter rules out, then prefetch the slots of the
 * others. */
static void sift(const struct vg_domainset *s, struct query *q)
{
	unsigned m = 0;
	for (unsigned k = 0; k < q->ns; k++) {
		q->hs[m] = q->hs[k];
		q->at[m] = q->at[k];
		m += filter_has(s, q->hs[k]);
	}
	q->ns = m;
	for (unsigned k = 0; k < m; k++)
		PREFETCH(&s->slots[home(s, q->hs[k])]);
}

/* The value of the longest listed suffix among q's first `upto`, or
 * VG_DOMAINSET_MISS. */
static uint32_t probe(const struct vg_domainset *s, const struct query *q, unsigned upto)
{
	while (upto-- > 0) {
		size_t i = find(s, q->hs[upto], q->buf + q->at[upto], q->len - q->at[upto]);
		if (s->slots[i].lh != 0)
			return s->slots[i].value;
	}
	return VG_DOMAINSET_MISS;
}

bool vg_domainset_lookup(const struct vg_domainset *s, struct vg_str name, uint32_t *value)
{
	struct query q;
	if (s->count == 0)
		return false;
	prepare(&q, name, s->labels);
	sift(s, &q);
	uint32_t v = probe(s, &q, q.ns);
	if (v == VG_DOMAINSET_MISS)
		return false;
	*value = v;
	return true;
}

size_t vg_domainset_lookup_many(const struct vg_domainset *s, const struct vg_str *names, size_t n, uint32_t *values)
{
	struct query q[BATCH];
	size_t cand[BATCH];  /* slot whose tag and length match, or SIZE_MAX */
	unsigned k[BATCH];   /* the suffix it is for */
	size_t hits = 0;
	for (size_t base = 0; base < n; base += BATCH) {
		size_t g = n - base < BATCH ? n - base : BATCH;
		for (size_t j = 0; j < g; j++) {
			prepare(&q[j], names[base + j], s->labels);
			if (s->count == 0)
				q[j].ns = 0;
			prefetch_filter(s, &q[j]);
		}
		for (size_t j = 0; j < g; j++)
			sift(s, &q[j]);
		/* The longest suffix whose slot chain holds a matching tag;
		 * prefetch its bytes in the arena. */
		for (size_t j = 0; j < g; j++) {
			cand[j] = SIZE_MAX;
			for (k[j] = q[j].ns; cand[j] == SIZE_MAX && k[j]-- > 0;) {
				uint64_t h = q[j].hs[k[j]];
				uint32_t hi = (uint32_t)(h >> 32), lh = slot_lh(h, q[j].len - q[j].at[k[j]]);
				for (size_t i = home(s, h); s->slots[i].lh != 0; i = (i + 1) & s->mask)
					if (s->slots[i].hi == hi && s->slots[i].lh == lh) {
						cand[j] = i;
						PREFETCH(s->arena + s->slots[i].off);
						break;
					}
			}
		}
		for (size_t j = 0; j < g; j++) {
			uint32_t v = VG_DOMAINSET_MISS;
			if (cand[j] != SIZE_MAX) {
				const struct slot *e = &s->slots[cand[j]];
				if (vg_mem_eq(s->arena + e->off, q[j].buf + q[j].at[k[j]], slot_len(e)))
					v = e->value;
				else /* a tag collision: finish the slow way */
					v = probe(s, &q[j], k[j] + 1);
			}
			values[base + j] = v;
			hits += v != VG_DOMAINSET_MISS;
		}
	}
	return hits;
}
