/*
 * iptrie.c -- longest-prefix match for IPv4 and IPv6: a poptrie (Asai and
 * Ohara, SIGCOMM 2015) with records for lone prefixes.
 *
 * Adds only append to a pending array.  vg_iptrie_build sorts it (LSD radix,
 * stable, so the first of two equal prefixes survives deduplication) and
 * compiles each family, level by level, into four flat arrays:
 *
 *   dp      a direct table of words indexed by the first dp_bits of the key;
 *   nodes   poptrie nodes of stride 6: bit i of `vector` says position i has
 *           a child (children sit together from base1); bit i of `leafvec`
 *           says a run of equal leaf words starts at position i (the runs
 *           sit together from base0 in `leaves`);
 *   leaves  leaf words;
 *   records a prefix that is alone below a position, checked in full rather
 *           than given a chain of nodes (random IPv6 /128s would otherwise
 *           cost one node per 6 bits).
 *
 * A word is a value (< 2^31), NO_LEAF, REC | record or, in dp only,
 * NODE | node.  IPv4 keys are the 32-bit address, IPv6 keys all 128 bits;
 * IPv4 look-ups never walk the 96 bits of ::ffff:0:0/96, and prefixes of /96
 * or shorter covering that range become the IPv4 table's default.
 *
 * Why this layout (measured with bench/intel_lookup.c on a 2-core KVM guest,
 * numbers in bench/README.md): random look-ups in tables larger than the
 * cache cost one cache and TLB miss per dependent read, so what counts is
 * the number of dependent reads and overlapping them.  A plain DIR-24-8
 * table needs a 1 KiB block per /24 holding a longer prefix (8 GB for 10 M
 * random /32s); the first poptrie without records needed 93 bytes per entry
 * at 1 M, most of it IPv6 node chains; with records it is 29-32.  A 2^24
 * direct table (64 MiB) beats 2^16..2^22 once there are millions of IPv4
 * prefixes, and costs too much memory per entry below that (DP_LARGE_FROM).
 * Single look-ups are latency-bound on that guest; vg_iptrie_lookup_many
 * walks 64 at once, stage by stage with prefetches, and is 4-6 times faster.
 */
#include "../vg.h"
#include "iptrie.h"
#include "iptrie_int.h"

#define STRIDE 6
#define DP_BITS_SMALL 16    /* 256 KiB direct table */
#define DP_BITS_LARGE 24    /* 64 MiB, from DP_LARGE_FROM IPv4 prefixes on */
#define DP_LARGE_FROM 4000000
#define DP_BITS_V6 16       /* keeps every stride inside one 64-bit half */
#define NO_LEAF UINT32_MAX  /* word: no prefix matches */
#define TAG 0xc0000000u     /* the tag bits of a word that is not a value */
#define REC 0x80000000u     /* word: REC | index of a record */
#define NODE 0xc0000000u    /* word: NODE | index of a node (dp only) */
#define IDX_MAX 0x3ffffffeu /* records or nodes per family */
#define BATCH 64            /* look-ups in flight in lookup_many */

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

static inline bool is_rec(uint32_t w) { return (w & TAG) == REC; }
static inline bool is_node(uint32_t w) { return (w & TAG) == NODE && w != NO_LEAF; }

/* A queued prefix, host bits cleared, left-aligned in hi:lo. */
struct pfx {
	uint64_t hi;    /* key bits 0..63 (IPv4: the address in bits 0..31) */
	uint64_t lo;    /* key bits 64..127 (IPv4: zero) */
	uint32_t value; /* what a look-up returns */
	uint8_t len;    /* prefix length within the family: 0..32 or 0..128 */
};

/* One poptrie node. */
struct node {
	uint64_t vector;  /* bit i: position i has a child node */
	uint64_t leafvec; /* bit i: a leaf run starts at position i */
	uint32_t base0;   /* index in leaves of this node's first run */
	uint32_t base1;   /* index in nodes of this node's first child */
};

/* A lone prefix below a position, checked in full instead of getting a
 * chain of nodes of its own (what keeps sparse IPv6 small). */
struct rec4 {
	uint32_t key;   /* the IPv4 prefix */
	uint32_t mask;  /* its netmask */
	uint32_t value; /* the leaf word when the address is inside */
	uint32_t dflt;  /* the leaf word when it is not */
};

struct rec6 {
	uint64_t hi;    /* the IPv6 prefix, bits 0..63 */
	uint64_t lo;    /* bits 64..127 */
	uint32_t value; /* the leaf word when the address is inside */
	uint32_t dflt;  /* the leaf word when it is not */
	uint8_t len;    /* prefix length */
};

/* One address family: the queue before build, the compiled arrays after. */
struct fam {
	struct pfx *p;       /* pending prefixes; freed by build */
	size_t np;           /* prefixes in p */
	size_t cap_p;        /* slots allocated in p */
	uint32_t *dp;        /* 1 << dp_bits words once built, else NULL */
	unsigned dp_bits;    /* key bits the direct table consumes */
	unsigned steps;      /* IPv4: most child steps below the direct table */
	struct node *nodes;  /* node pool; index 0 is the dummy */
	size_t nnodes;       /* nodes used */
	size_t cap_nodes;    /* nodes allocated */
	uint32_t *leaves;    /* leaf words: a value, NO_LEAF or REC | record */
	size_t nleaves;      /* leaves used */
	size_t cap_leaves;   /* leaves allocated */
	struct rec4 *r4;     /* records, IPv4 family (index 0 is a dummy) */
	struct rec6 *r6;     /* records, IPv6 family (index 0 is a dummy) */
	size_t nrecs;        /* records used */
	size_t cap_recs;     /* records allocated */
	size_t count;        /* distinct prefixes after build */
};

struct vg_iptrie {
	struct fam v4;   /* keys of ::ffff:0:0/96, as 32-bit addresses */
	struct fam v6;   /* every other key, 128 bits */
	size_t limit;    /* memory ceiling in bytes */
	size_t used;     /* bytes allocated now (struct included) */
	unsigned force_dp; /* test hook: IPv4 direct-table bits, 0 = automatic */
	bool built;      /* vg_iptrie_build has run */
};

/* ---- small helpers ------------------------------------------------------- */

static inline uint64_t load_be64(const uint8_t *b)
{
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	       (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* Without -mpopcnt, __builtin_popcountll is a call into libgcc; the SWAR
 * form is a dozen inline instructions. */
static inline unsigned popcnt64(uint64_t x)
{
#if defined(__POPCNT__) || defined(__aarch64__)
	return (unsigned)__builtin_popcountll(x);
#else
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
#endif
}

/* The STRIDE bits of hi:lo starting at bit o (bit 0 = most significant);
 * bits past 127 read as zero. */
static inline unsigned extract(uint64_t hi, uint64_t lo, unsigned o)
{
	if (o < 64) {
		uint64_t w = hi << o;
		if (o > 64 - STRIDE)
			w |= lo >> (64 - o);
		return (unsigned)(w >> (64 - STRIDE));
	}
	return (unsigned)((lo << (o - 64)) >> (64 - STRIDE));
}

/* 2 << v, minus 1: the mask of positions 0..v, with v = 63 giving all ones. */
static inline uint64_t upto(unsigned v) { return (2ull << v) - 1; }

/* Grow *arr (elements of size bytes, *cap allocated) to hold need, doubling,
 * within the table's ceiling. */
static int grow(struct vg_iptrie *t, void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return VG_OK;
	size_t ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 4 ? need : ncap * 2;
	if (ncap > SIZE_MAX / size)
		return VG_ELIMIT;
	size_t room = t->limit > t->used ? t->limit - t->used : 0;
	if ((ncap - *cap) * size > room) {
		ncap = need; /* near the ceiling, take only what is needed */
		if (ncap > SIZE_MAX / size || (ncap - *cap) * size > room)
			return VG_ELIMIT;
	}
	void *q = vg_realloc(*arr, ncap * size);
	if (!q)
		return VG_ENOMEM;
	t->used += (ncap - *cap) * size;
	*arr = q;
	*cap = ncap;
	return VG_OK;
}

/* Give back the unused tail of an array; a failed shrink keeps the old
 * block, which is harmless. */
static void shrink(struct vg_iptrie *t, void **arr, size_t *cap, size_t n, size_t size)
{
	if (n == 0 || n >= *cap)
		return;
	void *q = vg_realloc(*arr, n * size);
	if (!q)
		return;
	t->used -= (*cap - n) * size;
	*arr = q;
	*cap = n;
}

static void release(struct vg_iptrie *t, void **arr, size_t *cap, size_t size)
{
	vg_free(*arr);
	*arr = NULL;
	t->used -= *cap * size;
	*cap = 0;
}

static void fam_free(struct vg_iptrie *t, struct fam *f)
{
	release(t, (void **)&f->p, &f->cap_p, sizeof(*f->p));
	size_t ndp = f->dp ? (size_t)1 << f->dp_bits : 0;
	release(t, (void **)&f->dp, &ndp, sizeof(*f->dp));
	release(t, (void **)&f->nodes, &f->cap_nodes, sizeof(*f->nodes));
	release(t, (void **)&f->leaves, &f->cap_leaves, sizeof(*f->leaves));
	if (f->r4)
		release(t, (void **)&f->r4, &f->cap_recs, sizeof(*f->r4));
	else
		release(t, (void **)&f->r6, &f->cap_recs, sizeof(*f->r6));
	f->np = f->nnodes = f->nleaves = f->nrecs = f->count = 0;
}

/* ---- public: lifetime and adds ------------------------------------------ */

int vg_iptrie_new(struct vg_iptrie **out)
{
	struct vg_iptrie *t = vg_calloc(1, sizeof(*t));
	*out = NULL;
	if (!t)
		return VG_ENOMEM;
	t->limit = VG_IPTRIE_DEFAULT_LIMIT;
	t->used = sizeof(*t);
	t->v4.dp_bits = DP_BITS_SMALL;
	t->v6.dp_bits = DP_BITS_V6;
	*out = t;
	return VG_OK;
}

void vg_iptrie_free(struct vg_iptrie *t)
{
	if (!t)
		return;
	fam_free(t, &t->v4);
	fam_free(t, &t->v6);
	vg_free(t);
}

void vg_iptrie_set_limit(struct vg_iptrie *t, size_t max_bytes)
{
	t->limit = max_bytes ? max_bytes : VG_IPTRIE_DEFAULT_LIMIT;
}

void vg__iptrie_force_dp_bits(struct vg_iptrie *t, unsigned bits)
{
	t->force_dp = bits >= DP_BITS_SMALL && bits <= DP_BITS_LARGE ? bits : 0;
}

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int vg_iptrie_add(struct vg_iptrie *t, const struct vg_ip *prefix, unsigned bits, uint32_t value)
{
	if (t->built || bits > 128 || value > VG_IPTRIE_VALUE_MAX)
		return VG_EINVAL;
	struct pfx x = {.value = value};
	struct fam *f;
	if (bits >= 96 && memcmp(prefix->b, v4_mapped, 12) == 0) {
		unsigned len = bits - 96;
		uint64_t a = (uint64_t)prefix->b[12] << 24 | (uint64_t)prefix->b[13] << 16 |
			     (uint64_t)prefix->b[14] << 8 | prefix->b[15];
		x.hi = len ? (a << 32) & (~0ull << (64 - len)) : 0;
		x.len = (uint8_t)len;
		f = &t->v4;
	} else {
		x.hi = load_be64(prefix->b);
		x.lo = load_be64(prefix->b + 8);
		if (bits == 0)
			x.hi = x.lo = 0;
		else if (bits <= 64) {
			x.hi &= ~0ull << (64 - bits);
			x.lo = 0;
		} else if (bits < 128)
			x.lo &= ~0ull << (128 - bits);
		x.len = (uint8_t)bits;
		f = &t->v6;
	}
	int rc = grow(t, (void **)&f->p, &f->cap_p, f->np + 1, sizeof(*f->p));
	if (rc != VG_OK)
		return rc;
	f->p[f->np++] = x;
	return VG_OK;
}

int vg_iptrie_add_cidr(struct vg_iptrie *t, struct vg_str text, uint32_t value)
{
	size_t slash = text.n;
	bool v6 = false;
	for (size_t i = 0; i < text.n; i++) {
		if (text.p[i] == '/' && slash == text.n)
			slash = i;
		else if (text.p[i] == ':' && slash == text.n)
			v6 = true;
	}
	struct vg_ip ip;
	if (vg_ip_parse((struct vg_str){text.p, slash}, &ip) != VG_OK)
		return VG_EFORMAT;
	unsigned max = v6 ? 128 : 32, n = max;
	if (slash < text.n) {
		size_t digits = text.n - slash - 1;
		if (digits == 0 || digits > 3)
			return VG_EFORMAT;
		n = 0;
		for (size_t i = slash + 1; i < text.n; i++) {
			if (text.p[i] < '0' || text.p[i] > '9')
				return VG_EFORMAT;
			n = n * 10 + (unsigned)(text.p[i] - '0');
		}
		if (n > max)
			return VG_EFORMAT;
	}
	return vg_iptrie_add(t, &ip, v6 ? n : 96 + n, value);
}

/* ---- build --------------------------------------------------------------- */

/* Byte k of the sort key (hi, lo, len): k = 0 is len, 1..8 are lo from its
 * least significant byte, 9..16 are hi likewise. */
static inline unsigned key_byte(const struct pfx *x, unsigned k)
{
	if (k == 0)
		return x->len;
	if (k <= 8)
		return (unsigned)(x->lo >> (8 * (k - 1))) & 0xff;
	return (unsigned)(x->hi >> (8 * (k - 9))) & 0xff;
}

/* Sort f->p by (hi, lo, len), stably, then drop repeats keeping the first.
 * LSD radix: one pass counts all 17 key bytes, and a byte that is the same
 * in every prefix (IPv4's lo, most IPv6 low bytes) costs no pass. */
static int sort_dedup(struct vg_iptrie *t, struct fam *f)
{
	enum { NB = 17 };
	size_t n = f->np;
	if (n < 2)
		return VG_OK;
	shrink(t, (void **)&f->p, &f->cap_p, n, sizeof(*f->p)); /* lower the peak */
	size_t (*cnt)[256] = vg_calloc(NB, sizeof(*cnt));
	if (!cnt)
		return VG_ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < NB; k++)
			cnt[k][key_byte(&f->p[i], k)]++;
	struct pfx *tmp = NULL;
	size_t cap_tmp = 0;
	int rc = grow(t, (void **)&tmp, &cap_tmp, n, sizeof(*tmp));
	if (rc != VG_OK)
		goto out;
	for (unsigned k = 0; k < NB; k++) {
		if (cnt[k][key_byte(&f->p[0], k)] == n)
			continue; /* every prefix has the same byte here */
		size_t sum = 0;
		for (unsigned b = 0; b < 256; b++) {
			size_t c = cnt[k][b];
			cnt[k][b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cnt[k][key_byte(&f->p[i], k)]++] = f->p[i];
		struct pfx *sw = f->p;
		f->p = tmp;
		tmp = sw;
		size_t sc = f->cap_p;
		f->cap_p = cap_tmp;
		cap_tmp = sc;
	}
	size_t w = 1;
	for (size_t i = 1; i < n; i++) {
		const struct pfx *a = &f->p[w - 1], *b = &f->p[i];
		if (a->hi != b->hi || a->lo != b->lo || a->len != b->len)
			f->p[w++] = *b;
	}
	f->np = w;
out:
	release(t, (void **)&tmp, &cap_tmp, sizeof(*tmp));
	vg_free(cnt);
	return rc;
}

/* Reserve n more entries at the end of a pool; *at gets the first. */
static int take(struct vg_iptrie *t, void **arr, size_t *used, size_t *cap, size_t n, size_t size, size_t max,
		uint32_t *at)
{
	if (*used + n > max)
		return VG_ELIMIT;
	int rc = grow(t, arr, cap, *used + n, size);
	if (rc != VG_OK)
		return rc;
	*at = (uint32_t)*used;
	*used += n;
	return VG_OK;
}

static int take_nodes(struct vg_iptrie *t, struct fam *f, size_t n, uint32_t *at)
{
	return take(t, (void **)&f->nodes, &f->nnodes, &f->cap_nodes, n, sizeof(*f->nodes), IDX_MAX, at);
}

static int take_leaves(struct vg_iptrie *t, struct fam *f, size_t n, uint32_t *at)
{
	return take(t, (void **)&f->leaves, &f->nleaves, &f->cap_leaves, n, sizeof(*f->leaves), UINT32_MAX, at);
}

/* Turn the lone prefix x under a position into a record; *word gets the
 * word that points at it, d is the word for addresses outside x. */
static int make_rec(struct vg_iptrie *t, struct fam *f, const struct pfx *x, uint32_t d, uint32_t *word)
{
	uint32_t at = 0;
	int rc;
	if (f == &t->v4) {
		rc = take(t, (void **)&f->r4, &f->nrecs, &f->cap_recs, 1, sizeof(*f->r4), IDX_MAX, &at);
		if (rc != VG_OK)
			return rc;
		uint32_t m = x->len ? ~0u << (32 - x->len) : 0;
		f->r4[at] = (struct rec4){.key = (uint32_t)(x->hi >> 32), .mask = m, .value = x->value, .dflt = d};
	} else {
		rc = take(t, (void **)&f->r6, &f->nrecs, &f->cap_recs, 1, sizeof(*f->r6), IDX_MAX, &at);
		if (rc != VG_OK)
			return rc;
		f->r6[at] = (struct rec6){.hi = x->hi, .lo = x->lo, .value = x->value, .dflt = d, .len = x->len};
	}
	*word = REC | at;
	return VG_OK;
}

/* Do a and b agree on their first o bits? */
static inline bool same_top(const struct pfx *a, const struct pfx *b, unsigned o)
{
	if (o == 0)
		return true;
	if (o <= 64)
		return ((a->hi ^ b->hi) >> (64 - o)) == 0;
	return a->hi == b->hi && ((a->lo ^ b->lo) >> (128 - o)) == 0;
}

/* State carried from one level of a family's build to the next. */
struct level {
	uint32_t *def;  /* default word of each node of this level */
	size_t cap_def; /* slots allocated in def */
	uint32_t *next; /* the same for the level below, being filled */
	size_t cap_next; /* slots allocated in next */
	size_t nnext;   /* nodes of the level below so far */
	size_t w;       /* prefixes kept (moved to the front) for the level below */
};

/* The prefixes p[i..j) all lie below one position whose word would be d.
 * One prefix becomes a record and *word points at it; more are kept for a
 * child node on the level below (*child set, *word untouched). */
static int place(struct vg_iptrie *t, struct fam *f, struct level *lv, size_t i, size_t j, uint32_t d,
		 uint32_t *word, bool *child)
{
	*child = false;
	if (j - i == 1)
		return make_rec(t, f, &f->p[i], d, word);
	int rc = grow(t, (void **)&lv->next, &lv->cap_next, lv->nnext + 1, sizeof(*lv->next));
	if (rc != VG_OK)
		return rc;
	lv->next[lv->nnext++] = d;
	memmove(&f->p[lv->w], &f->p[i], (j - i) * sizeof(*f->p));
	lv->w += j - i;
	*child = true;
	return VG_OK;
}

/* Fill node idx at key bit o from the prefixes p[i..j) (all longer than o,
 * sorted, below this node), positions defaulting to the word d.  Its
 * children get consecutive indices from *child. */
static int fill_node(struct vg_iptrie *t, struct fam *f, struct level *lv, size_t idx, unsigned o, size_t i,
		     size_t j, uint32_t d, size_t *child)
{
	uint32_t val[64];
	uint64_t vector = 0, leafvec = 0;
	unsigned end = o + STRIDE;
	int rc = VG_OK;
	for (unsigned k = 0; k < 64; k++)
		val[k] = d;
	/* Sorted order puts a prefix before every prefix nested in it, so
	 * painting in order leaves the longest match at each position, and the
	 * prefixes longer than this node's stride below one position are
	 * consecutive. */
	while (i < j) {
		const struct pfx *x = &f->p[i];
		unsigned pos = extract(x->hi, x->lo, o);
		if (x->len <= end) {
			unsigned span = 1u << (end - x->len);
			for (unsigned k = pos; k < pos + span; k++)
				val[k] = x->value;
			i++;
			continue;
		}
		size_t e = i + 1;
		while (e < j && f->p[e].len > end && extract(f->p[e].hi, f->p[e].lo, o) == pos)
			e++;
		bool is_child;
		rc = place(t, f, lv, i, e, val[pos], &val[pos], &is_child);
		if (rc != VG_OK)
			return rc;
		if (is_child)
			vector |= 1ull << pos;
		i = e;
	}
	uint32_t runs[64];
	unsigned nruns = 0;
	for (unsigned k = 0; k < 64; k++) {
		if (vector >> k & 1)
			continue;
		if (nruns == 0 || val[k] != runs[nruns - 1]) {
			leafvec |= 1ull << k;
			runs[nruns++] = val[k];
		}
	}
	uint32_t base0 = 0;
	rc = take_leaves(t, f, nruns, &base0);
	if (rc != VG_OK)
		return rc;
	memcpy(f->leaves + base0, runs, nruns * sizeof(runs[0]));
	f->nodes[idx] = (struct node){.vector = vector, .leafvec = leafvec, .base0 = base0, .base1 = (uint32_t)*child};
	*child += popcnt64(vector);
	return VG_OK;
}

/* Compile one family's sorted prefixes, one level at a time so that each
 * level's nodes and leaves sit together and the top levels stay in cache.
 * Keys no prefix covers get the word d. */
static int build_fam(struct vg_iptrie *t, struct fam *f, uint32_t d)
{
	size_t ndp = (size_t)1 << f->dp_bits, cap_dp = 0;
	unsigned shift = 64 - f->dp_bits;
	uint32_t at = 0;
	bool v4 = f == &t->v4;
	struct level lv = {0};
	int rc = grow(t, (void **)&f->dp, &cap_dp, ndp, sizeof(*f->dp));
	if (rc == VG_OK) /* node 0, a dummy without children, lets look4 run
			  * its steps for every address */
		rc = take_nodes(t, f, 1, &at);
	if (rc == VG_OK) /* the dummy's leaf */
		rc = take_leaves(t, f, 1, &at);
	if (rc == VG_OK) /* record 0, a dummy that look4 reads for non-records */
		rc = take(t, v4 ? (void **)&f->r4 : (void **)&f->r6, &f->nrecs, &f->cap_recs, 1,
			  v4 ? sizeof(*f->r4) : sizeof(*f->r6), IDX_MAX, &at);
	if (rc != VG_OK)
		goto out;
	f->nodes[0] = (struct node){.leafvec = 1};
	f->leaves[0] = NO_LEAF;
	if (v4)
		f->r4[0] = (struct rec4){.key = 1, .mask = 0, .dflt = NO_LEAF}; /* never matches */
	else
		f->r6[0] = (struct rec6){.dflt = NO_LEAF};
	for (size_t k = 0; k < ndp; k++)
		f->dp[k] = d;
	f->count = f->np;

	/* The direct table: paint the short prefixes, place the longer ones. */
	size_t n = f->np;
	for (size_t i = 0; i < n;) {
		const struct pfx *x = &f->p[i];
		size_t b = (size_t)(x->hi >> shift);
		if (x->len <= f->dp_bits) {
			size_t span = (size_t)1 << (f->dp_bits - x->len);
			for (size_t k = b; k < b + span; k++)
				f->dp[k] = x->value;
			i++;
			continue;
		}
		size_t e = i + 1;
		while (e < n && f->p[e].len > f->dp_bits && (size_t)(f->p[e].hi >> shift) == b)
			e++;
		bool is_child;
		size_t first = f->nnodes + lv.nnext; /* where the level below starts */
		rc = place(t, f, &lv, i, e, f->dp[b], &f->dp[b], &is_child);
		if (rc != VG_OK)
			goto out;
		if (is_child) {
			if (first > IDX_MAX) {
				rc = VG_ELIMIT;
				goto out;
			}
			f->dp[b] = NODE | (uint32_t)first;
		}
		i = e;
	}

	/* Then the nodes, a level at a time: the prefixes kept by the level
	 * above are sorted, and each run sharing its first o bits is one node. */
	f->steps = 0;
	for (unsigned o = f->dp_bits; lv.nnext > 0; o += STRIDE) {
		size_t nlevel = lv.nnext;
		uint32_t first = 0;
		if (f->nnodes + nlevel > IDX_MAX) {
			rc = VG_ELIMIT;
			goto out;
		}
		rc = take_nodes(t, f, nlevel, &first);
		if (rc != VG_OK)
			goto out;
		if (o > f->dp_bits)
			f->steps++;
		uint32_t *sw = lv.def;
		size_t sc = lv.cap_def;
		lv.def = lv.next;
		lv.cap_def = lv.cap_next;
		lv.next = sw;
		lv.cap_next = sc;
		lv.nnext = 0;
		n = lv.w;
		lv.w = 0;
		size_t child = (size_t)first + nlevel, node = 0;
		for (size_t i = 0; i < n; node++) {
			size_t e = i + 1;
			while (e < n && same_top(&f->p[i], &f->p[e], o))
				e++;
			rc = fill_node(t, f, &lv, first + node, o, i, e, lv.def[node], &child);
			if (rc != VG_OK)
				goto out;
			i = e;
		}
	}
	shrink(t, (void **)&f->nodes, &f->cap_nodes, f->nnodes, sizeof(*f->nodes));
	shrink(t, (void **)&f->leaves, &f->cap_leaves, f->nleaves, sizeof(*f->leaves));
	if (v4)
		shrink(t, (void **)&f->r4, &f->cap_recs, f->nrecs, sizeof(*f->r4));
	else
		shrink(t, (void **)&f->r6, &f->cap_recs, f->nrecs, sizeof(*f->r6));
out:
	release(t, (void **)&lv.def, &lv.cap_def, sizeof(*lv.def));
	release(t, (void **)&lv.next, &lv.cap_next, sizeof(*lv.next));
	return rc;
}

int vg_iptrie_build(struct vg_iptrie *t)
{
	if (t->built)
		return VG_EINVAL;
	t->built = true;
	int rc = sort_dedup(t, &t->v4);
	if (rc == VG_OK)
		rc = sort_dedup(t, &t->v6);
	if (rc != VG_OK)
		goto out;
	/* The longest IPv6 prefix covering all of ::ffff:0:0/96 is where IPv4
	 * look-ups land when no IPv4 prefix matches. */
	uint32_t d4 = NO_LEAF;
	for (size_t i = 0; i < t->v6.np; i++) {
		const struct pfx *x = &t->v6.p[i];
		uint64_t m_lo = x->len <= 64 ? 0 : ~0ull << (128 - x->len);
		if (x->len <= 96 && x->hi == 0 && (0x0000ffff00000000ull & m_lo) == x->lo)
			d4 = x->value; /* sorted: a longer covering prefix comes later */
	}
	t->v4.dp_bits = t->v4.np >= DP_LARGE_FROM ? DP_BITS_LARGE : DP_BITS_SMALL;
	if (t->force_dp)
		t->v4.dp_bits = t->force_dp;
	rc = build_fam(t, &t->v4, d4);
	if (rc == VG_OK)
		rc = build_fam(t, &t->v6, NO_LEAF);
out:
	release(t, (void **)&t->v4.p, &t->v4.cap_p, sizeof(*t->v4.p));
	release(t, (void **)&t->v6.p, &t->v6.cap_p, sizeof(*t->v6.p));
	t->v4.np = t->v6.np = 0;
	if (rc != VG_OK) {
		fam_free(t, &t->v4);
		fam_free(t, &t->v6);
	}
	return rc;
}

/* ---- look-up ------------------------------------------------------------- */

/* The word for an address checked against the record that w points at. */
static inline uint32_t rec4_word(const struct fam *f, uint32_t w, uint32_t a)
{
	const struct rec4 *r = &f->r4[w & ~TAG];
	return (a & r->mask) == r->key ? r->value : r->dflt;
}

static inline uint32_t rec6_word(const struct fam *f, uint32_t w, uint64_t hi, uint64_t lo)
{
	const struct rec6 *r = &f->r6[w & ~TAG];
	uint64_t mh = r->len == 0 ? 0 : r->len >= 64 ? ~0ull : ~0ull << (64 - r->len);
	uint64_t ml = r->len <= 64 ? 0 : ~0ull << (128 - r->len);
	return ((hi & mh) == r->hi && (lo & ml) == r->lo) ? r->value : r->dflt;
}

/* IPv4: a fixed number of steps, selecting with masks rather than branches
 * (the compiler turns ?: into jumps here), so that the processor can
 * overlap consecutive look-ups instead of stalling on a mispredicted branch
 * that waits for a cache miss. */
static inline uint32_t look4(const struct fam *f, uint32_t a)
{
	uint64_t key = (uint64_t)a << 32;
	uint32_t w = f->dp[a >> (32 - f->dp_bits)];
	uint32_t m = -(uint32_t)is_node(w);
	uint32_t ni = w & ~TAG & m;
	unsigned o = f->dp_bits;
	for (unsigned k = 0; k < f->steps; k++) {
		const struct node *nd = &f->nodes[ni];
		unsigned v = (unsigned)((key << o) >> (64 - STRIDE));
		uint64_t vec = nd->vector;
		uint32_t c = nd->base1 + popcnt64(vec & upto(v)) - 1;
		uint32_t mc = -(uint32_t)((vec >> v) & 1);
		ni = (c & mc) | (ni & ~mc);
		o += STRIDE & mc;
	}
	const struct node *nd = &f->nodes[ni];
	unsigned v = (unsigned)((key << o) >> (64 - STRIDE));
	uint32_t lw = f->leaves[nd->base0 + popcnt64(nd->leafvec & upto(v)) - 1];
	w = (lw & m) | (w & ~m);
	m = -(uint32_t)is_rec(w);
	const struct rec4 *r = &f->r4[w & ~TAG & m];
	uint32_t in = -(uint32_t)((a & r->mask) == r->key);
	uint32_t rv = (r->value & in) | (r->dflt & ~in);
	return (rv & m) | (w & ~m);
}

/* IPv6: a plain walk; the depth varies and IPv6 is the rarer family. */
static inline uint32_t look6(const struct fam *f, uint64_t hi, uint64_t lo)
{
	uint32_t w = f->dp[hi >> (64 - DP_BITS_V6)];
	if (is_node(w)) {
		const struct node *nd = &f->nodes[w & ~TAG];
		unsigned o = DP_BITS_V6;
		unsigned v = extract(hi, lo, o);
		while (nd->vector >> v & 1) {
			nd = &f->nodes[nd->base1 + popcnt64(nd->vector & upto(v)) - 1];
			o += STRIDE;
			v = extract(hi, lo, o);
		}
		w = f->leaves[nd->base0 + popcnt64(nd->leafvec & upto(v)) - 1];
	}
	if (is_rec(w))
		w = rec6_word(f, w, hi, lo);
	return w;
}

bool vg_iptrie_lookup(const struct vg_iptrie *t, const struct vg_ip *ip, uint32_t *value)
{
	uint64_t hi = load_be64(ip->b), lo = load_be64(ip->b + 8);
	uint32_t w;
	if (VG_UNLIKELY(!t->v4.dp))
		return false; /* not built, or the build failed */
	if (hi == 0 && lo >> 32 == 0xffff)
		w = look4(&t->v4, (uint32_t)lo);
	else
		w = look6(&t->v6, hi, lo);
	if (w == NO_LEAF)
		return false;
	*value = w;
	return true;
}

/* One look-up of a batch: the walk cut into stages, each ending with a
 * prefetch of what the next stage reads. */
struct lane {
	uint64_t hi;         /* key bits 0..63 (IPv4: the address on top) */
	uint64_t lo;         /* key bits 64..127 */
	const struct fam *f; /* the family's table */
	uint32_t w;          /* the word so far */
	uint32_t ni;         /* current node, then leaf index */
	unsigned o;          /* key bit of the current node */
	bool walking;        /* still stepping down nodes */
	bool leaf;           /* ni is a leaf index to read */
};

size_t vg_iptrie_lookup_many(const struct vg_iptrie *t, const struct vg_ip *ips, size_t n, uint32_t *values)
{
	size_t hits = 0;
	if (!t->v4.dp) {
		for (size_t i = 0; i < n; i++)
			values[i] = VG_IPTRIE_MISS;
		return 0;
	}
	struct lane l[BATCH];
	for (size_t base = 0; base < n; base += BATCH) {
		size_t g = n - base < BATCH ? n - base : BATCH;
		const struct vg_ip *ip = ips + base;
		for (size_t i = 0; i < g; i++) {
			struct lane *x = &l[i];
			x->hi = load_be64(ip[i].b);
			x->lo = load_be64(ip[i].b + 8);
			x->f = &t->v6;
			if (x->hi == 0 && x->lo >> 32 == 0xffff) {
				x->f = &t->v4;
				x->hi = x->lo << 32;
				x->lo = 0;
			}
			x->o = x->f->dp_bits;
			PREFETCH(&x->f->dp[x->hi >> (64 - x->o)]);
		}
		for (size_t i = 0; i < g; i++) {
			struct lane *x = &l[i];
			x->w = x->f->dp[x->hi >> (64 - x->o)];
			x->walking = is_node(x->w);
			x->leaf = false;
			if (x->walking) {
				x->ni = x->w & ~TAG;
				PREFETCH(&x->f->nodes[x->ni]);
			}
		}
		for (bool moved = true; moved;) {
			moved = false;
			for (size_t i = 0; i < g; i++) {
				struct lane *x = &l[i];
				if (!x->walking)
					continue;
				const struct node *nd = &x->f->nodes[x->ni];
				unsigned v = extract(x->hi, x->lo, x->o);
				if (nd->vector >> v & 1) {
					x->ni = nd->base1 + popcnt64(nd->vector & upto(v)) - 1;
					x->o += STRIDE;
					PREFETCH(&x->f->nodes[x->ni]);
					moved = true;
				} else {
					x->walking = false;
					x->leaf = true;
					x->ni = nd->base0 + popcnt64(nd->leafvec & upto(v)) - 1;
					PREFETCH(&x->f->leaves[x->ni]);
				}
			}
		}
		for (size_t i = 0; i < g; i++) {
			struct lane *x = &l[i];
			if (x->leaf)
				x->w = x->f->leaves[x->ni];
			if (!is_rec(x->w))
				continue;
			if (x->f == &t->v4)
				PREFETCH(&x->f->r4[x->w & ~TAG]);
			else
				PREFETCH(&x->f->r6[x->w & ~TAG]);
		}
		for (size_t i = 0; i < g; i++) {
			const struct lane *x = &l[i];
			uint32_t w = x->w;
			if (is_rec(w))
				w = x->f == &t->v4 ? rec4_word(x->f, w, (uint32_t)(x->hi >> 32))
						   : rec6_word(x->f, w, x->hi, x->lo);
			values[base + i] = w;
			hits += w != NO_LEAF;
		}
	}
	return hits;
}

size_t vg_iptrie_count(const struct vg_iptrie *t)
{
	if (t->built)
		return t->v4.count + t->v6.count;
	return t->v4.np + t->v6.np;
}

size_t vg_iptrie_memory(const struct vg_iptrie *t) { return t->used; }
