/*
 * state.c -- bounded per-entity state (detect/state.h): open-addressing
 * tables under one memory ceiling, the distinct-count sketch, the hash.
 *
 * Tables.  A table is one array of fixed-size slots, linear probing, at
 * most 3/4 full.  A slot is a 16-byte header (tag, last touch), the key,
 * then the value, each rounded up to 8 bytes so values are 8-byte
 * aligned.  The tag is the key's 64-bit hash with its two low bits used as
 * flags (bit 0: occupied, so an empty slot is a zero tag; bit 1: moved,
 * only during an in-place rehash); the slot a key wants ("home") is the
 * tag's top bits.  Keeping the hash in the slot lets a probe skip most
 * memcmp calls and lets the table grow without reading keys again.
 * Deletion shifts the rest of the cluster back (no tombstones), so
 * probes never walk over dead slots and a table that churns forever stays
 * as fast as a fresh one.
 *
 * The ceiling.  Every byte allocated for tables is charged to the store
 * before it is allocated: each table's header (with two slots of scratch
 * space) and its slot array.  Growing doubles the array and copies, so
 * the old and the new array are both charged while they coexist; a
 * table grows only when both fit.  (The store's own small struct is not
 * charged.)  The price: a table alone ends with an array of between 1/3
 * and 2/3 of the ceiling (64 MiB and 80-byte slots: 40 MiB, 393,216
 * entries), where growing in place could use it all but would leave the
 * allocator's transient copy uncounted.  When a full table cannot grow,
 * in this order:
 *   1. it takes room from a larger table: the table with the biggest array
 *      is halved (its least recently touched entries evicted down to the
 *      new array's load, the rest rehashed in place and the array shrunk
 *      with realloc, which never needs more memory) when that array,
 *      halved, is still at least as big as the grown one.  Tables under
 *      pressure so end up with arrays of about equal size: a flood of keys
 *      into one detector's table can take it no further than that, and
 *      cannot starve the others of the room they had (max-min fairness,
 *      not first come, first served).  A table with no array at all
 *      ("nothing to give") gets its first one this way, halving the
 *      biggest table whatever its size;
 *   2. otherwise it evicts one of its own entries to make room.
 * Evicting one entry looks at the next SAMPLES occupied slots after a
 * cursor that sweeps the array and drops the least recently touched of
 * them: like Redis's sampled LRU, but the samples are adjacent slots (one
 * run of memory instead of SAMPLES cache misses) and, since slots are
 * placed by hash, as random in age as random slots would be; the sweep
 * also makes sure every entry is looked at once per turn, as a CLOCK
 * does, so an old entry cannot hide.  Measured with the unit test: of
 * keys inserted in time order into a full table holding n, the newest
 * n/4 all survive and 93 % of the newest n (exact LRU: 100 %).  Halving
 * evicts half a table at once, by age quantiles (evict_down_to): 97 % or
 * more of the newer half survive.
 *
 * Determinism: the hash seed is fixed and nothing here depends on
 * addresses or the clock, so the same input gives the same evictions,
 * the same iteration order and the same findings on every run.  The cost
 * is that a fixed seed is public: an attacker who reads this file can
 * choose keys that cluster in a table (hash flooding), which slows the
 * table down but cannot take it past its ceiling.
 */
#include "../vg.h"
#include "state.h"

#include <math.h>
#include <stdlib.h>

#define SEED 0x7669676c73746174ull          /* "viglstat": fixed, so runs repeat */
#define DISTINCT_SEED 0x64697374696e6374ull /* "distinct" */
#define MIN_SLOTS 8
#define SAMPLES 8 /* entries compared per eviction (Redis samples 5) */
#define MAX_KEY 1024
#define MAX_VAL 65536

#define TAG_LIVE 1ull  /* every occupied slot has it: an empty slot's tag is 0 */
#define TAG_MOVED 2ull /* during rehash_in_place: already at its new slot */
#define TAG_FLAGS 3ull

/* The header of every slot; the key follows it, then the value. */
struct slot {
	uint64_t tag;  /* hash with TAG_* flags in the two low bits; 0: empty */
	int64_t touch; /* latest event time that touched the entry, ms */
};

struct vg_state_table {
	struct vg_state *st;         /* the store that owns it */
	struct vg_state_table *next; /* the store's list */
	const char *name;            /* static, for stats */
	size_t key_size, val_size;   /* as given */
	size_t val_off;              /* value's offset in a slot */
	size_t slot_size;            /* bytes per slot, a multiple of 8 */
	int64_t ttl_ms;              /* idle time after which entries expire */
	unsigned char *slots;        /* cap slots; NULL while cap is 0 */
	size_t cap;                  /* slots: 0 or a power of two >= MIN_SLOTS */
	unsigned shift;              /* 64 - log2(cap): home slot = tag >> shift */
	size_t count;                /* live entries */
	size_t alloc;                /* bytes held for slots (charged to the store) */
	size_t head;                 /* bytes held for this struct and scratch */
	size_t cursor;               /* where the next eviction starts looking */
	unsigned char *scratch;      /* two slots, for swaps in rehash_in_place */
};

struct vg_state {
	size_t ceiling;               /* bytes the tables may hold in all */
	size_t bytes;                 /* bytes they hold now */
	size_t peak;                  /* most they have held */
	uint64_t entries;             /* live entries in all tables */
	uint64_t evicted, expired;    /* entries dropped, by cause */
	struct vg_state_table *tables; /* newest first */
};

/* ---- the hash ---------------------------------------------------------------
 * Two lanes of 8-byte words.  Each step, lane = rotl(lane ^ word * M, r) * P,
 * is a bijection of the lane for a given word and of the word for a given
 * lane, so no word can cancel what came before (a weakness of hashes built
 * on the folded 128-bit product, where one zero factor wipes the state).
 * A final xorshift-multiply avalanche spreads every input bit over the
 * 64 output bits.  Two multiplies per 8 bytes and two to finish: about
 * 15 ns for a 16-byte key when each hash waits for the one before. */

#define M1 0x9e3779b97f4a7c15ull /* odd constants with well mixed bits */
#define M2 0xc2b2ae3d27d4eb4full
#define M3 0x165667b19e3779f9ull
#define M4 0xd6e8feb86659fd93ull

static inline uint64_t rotl(uint64_t x, unsigned r) { return x << r | x >> (64 - r); }

/* Little-endian loads, so a hash is the same on every machine. */
static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t load32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline uint64_t step_a(uint64_t a, uint64_t w) { return rotl(a ^ w * M2, 31) * M1; }
static inline uint64_t step_b(uint64_t b, uint64_t w) { return rotl(b ^ w * M3, 27) * M1; }

static inline uint64_t avalanche(uint64_t x)
{
	x ^= x >> 32;
	x *= M4;
	x ^= x >> 29;
	x *= M2;
	x ^= x >> 32;
	return x;
}

/* The hash itself, inlined where the store hashes keys of a known size. */
static inline uint64_t hash(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	size_t n = len;
	uint64_t a = seed ^ M1, b = rotl(seed, 32) ^ (uint64_t)len * M4;
	for (; n >= 16; s += 16, n -= 16) {
		a = step_a(a, load64(s));
		b = step_b(b, load64(s + 8));
	}
	/* 0..15 bytes left.  Overlapping loads cover every byte, so for a
	 * given length the words are a one-to-one function of the bytes. */
	if (n >= 8) {
		a = step_a(a, load64(s));
		if (n > 8)
			b = step_b(b, load64(s + n - 8));
	} else if (n >= 4) {
		b = step_b(b, load32(s) | load32(s + n - 4) << 32);
	} else if (n > 0) {
		b = step_b(b, (uint64_t)s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16);
	}
	return avalanche(a ^ rotl(b, 23));
}

uint64_t vg_hash64(const void *p, size_t len, uint64_t seed) { return hash(p, len, seed); }

/* The length a constant: the loop and the tail's tests fold away, half
 * the instructions of vg_hash64 for an address (every peer key; with
 * lookup inline, 48 fewer instructions a record, 1.9 %, on the bench's
 * flow corpus). */
uint64_t vg_hash64_16(const void *p, uint64_t seed) { return hash(p, 16, seed); }

/* ---- memory accounting ------------------------------------------------------- */

/* charge -- reserve n bytes under the ceiling before allocating them;
 * false (nothing reserved) when they do not fit. */
static bool charge(struct vg_state *st, size_t n)
{
	if (n > st->ceiling - st->bytes)
		return false;
	st->bytes += n;
	if (st->bytes > st->peak)
		st->peak = st->bytes;
	return true;
}

static void release(struct vg_state *st, size_t n) { st->bytes -= n; }

/* ---- slots ------------------------------------------------------------------- */

static inline struct slot *slot_at(const struct vg_state_table *t, size_t i)
{
	return (struct slot *)(t->slots + i * t->slot_size);
}

static inline unsigned char *slot_key(struct slot *s) { return (unsigned char *)(s + 1); }

static inline void *slot_val(const struct vg_state_table *t, struct slot *s)
{
	return (unsigned char *)s + t->val_off;
}

/* The detectors' keys are 8 bytes (an entity) or 16 (an entity and a
 * peer): hashed and compared with the size a constant, which inlines to
 * a few word operations instead of the general loop and a memcmp call
 * (together a tenth of the flow detectors' time). */
static inline uint64_t key_tag(const struct vg_state_table *t, const void *key)
{
	uint64_t h;
	switch (t->key_size) {
	case 8: h = hash(key, 8, SEED); break;
	case 16: h = hash(key, 16, SEED); break;
	default: h = hash(key, t->key_size, SEED); break;
	}
	return (h & ~TAG_FLAGS) | TAG_LIVE;
}

static inline bool key_eq(const struct vg_state_table *t, const unsigned char *a, const void *b)
{
	switch (t->key_size) {
	case 8: return memcmp(a, b, 8) == 0;
	case 16: return memcmp(a, b, 16) == 0;
	default: return memcmp(a, b, t->key_size) == 0;
	}
}

static inline size_t home(const struct vg_state_table *t, uint64_t tag) { return (size_t)(tag >> t->shift); }

/* Entries a table of cap slots may hold: 3/4 keeps linear probes short
 * (8.5 slots for a miss on average, 2.5 for a hit). */
static inline size_t max_load(size_t cap) { return cap - cap / 4; }

static unsigned shift_for(size_t cap)
{
	unsigned k = 0;
	while (((size_t)1 << k) < cap)
		k++;
	return 64 - k;
}

/* lookup -- the slot holding key (tag is its tag), or SIZE_MAX.  When
 * absent, *hole is where it would go.  t->cap > 0.  Inline in its two
 * callers on the per-record path (a call and its frame were a fifth of
 * it). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline size_t lookup(const struct vg_state_table *t, const void *key, uint64_t tag, size_t *hole)
{
	size_t mask = t->cap - 1;
	for (size_t i = home(t, tag);; i = (i + 1) & mask) {
		struct slot *s = slot_at(t, i);
		if (s->tag == tag && key_eq(t, slot_key(s), key))
			return i;
		if (s->tag == 0) {
			if (hole)
				*hole = i;
			return SIZE_MAX;
		}
	}
}

/* first_free -- the slot an absent key of this tag goes to. */
static size_t first_free(const struct vg_state_table *t, uint64_t tag)
{
	size_t mask = t->cap - 1, i = home(t, tag);
	while (slot_at(t, i)->tag != 0)
		i = (i + 1) & mask;
	return i;
}

/* remove_at -- empty slot i and shift the rest of its cluster back over
 * it, so that every entry stays reachable from its home slot without
 * tombstones.  An entry at j may move to the hole at i when i lies on its
 * probe path, that is when it is at least as far from its home as from i. */
static void remove_at(struct vg_state_table *t, size_t i)
{
	size_t mask = t->cap - 1;
	for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
		struct slot *s = slot_at(t, j);
		if (s->tag == 0)
			break;
		if (((j - home(t, s->tag)) & mask) >= ((j - i) & mask)) {
			memcpy(slot_at(t, i), s, t->slot_size);
			i = j;
		}
	}
	slot_at(t, i)->tag = 0;
	t->count--;
	t->st->entries--;
}

/* evict_one -- drop the least recently touched of the next SAMPLES live
 * entries after the cursor (the file's opening comment says why).
 * t->count > 0. */
static void evict_one(struct vg_state_table *t)
{
	size_t mask = t->cap - 1, i = t->cursor & mask, best = 0;
	size_t want = t->count < SAMPLES ? t->count : SAMPLES, seen = 0;
	int64_t oldest = INT64_MAX;
	for (; seen < want; i = (i + 1) & mask) {
		struct slot *s = slot_at(t, i);
		if (s->tag == 0)
			continue;
		if (seen++ == 0 || s->touch < oldest) {
			oldest = s->touch;
			best = i;
		}
	}
	t->cursor = i;
	remove_at(t, best);
	t->st->evicted++;
}

/* ---- growing and shrinking ------------------------------------------------------ */

enum grow_result { GROWN, NO_ROOM, NO_MEMORY };

/* grow -- double t's array (or give it its first), charging the new
 * array while the old one still exists. */
static enum grow_result grow(struct vg_state_table *t)
{
	size_t ncap = t->cap ? t->cap * 2 : MIN_SLOTS;
	if (ncap > SIZE_MAX / t->slot_size)
		return NO_ROOM;
	size_t nbytes = ncap * t->slot_size;
	if (!charge(t->st, nbytes))
		return NO_ROOM;
	unsigned char *ns = vg_calloc(ncap, t->slot_size);
	if (!ns) {
		release(t->st, nbytes);
		return NO_MEMORY;
	}
	unsigned nshift = shift_for(ncap);
	for (size_t i = 0; i < t->cap; i++) {
		struct slot *s = slot_at(t, i);
		if (s->tag == 0)
			continue;
		size_t j = (size_t)(s->tag >> nshift);
		while (((struct slot *)(ns + j * t->slot_size))->tag != 0)
			j = (j + 1) & (ncap - 1);
		memcpy(ns + j * t->slot_size, s, t->slot_size);
	}
	vg_free(t->slots);
	release(t->st, t->alloc);
	t->slots = ns;
	t->alloc = nbytes;
	t->cap = ncap;
	t->shift = nshift;
	t->cursor = 0;
	return GROWN;
}

/* rehash_in_place -- re-place every entry for a table of ncap slots
 * (ncap < cap, count <= max_load(ncap)) inside the array it has: no
 * second array, so a table at the ceiling can shrink.  Each entry not yet
 * moved is taken out and inserted by linear probing over the slots
 * already re-placed; an entry that sits where it lands is kicked out and
 * placed next, so every entry moves exactly once and the result is what
 * inserting them one by one would give. */
static void rehash_in_place(struct vg_state_table *t, size_t ncap)
{
	size_t ocap = t->cap, mask = ncap - 1, ss = t->slot_size;
	unsigned char *cur = t->scratch, *spare = t->scratch + ss;
	t->cap = ncap;
	t->shift = shift_for(ncap);
	for (size_t i = 0; i < ocap; i++) {
		struct slot *s = slot_at(t, i);
		if (s->tag == 0 || (s->tag & TAG_MOVED))
			continue;
		memcpy(cur, s, ss);
		s->tag = 0;
		for (;;) {
			uint64_t tag;
			memcpy(&tag, cur, sizeof(tag));
			size_t j = home(t, tag);
			while (slot_at(t, j)->tag & TAG_MOVED)
				j = (j + 1) & mask;
			struct slot *d = slot_at(t, j);
			bool kicked = d->tag != 0;
			if (kicked)
				memcpy(spare, d, ss);
			memcpy(d, cur, ss);
			d->tag |= TAG_MOVED;
			if (!kicked)
				break;
			unsigned char *x = cur;
			cur = spare;
			spare = x;
		}
	}
	for (size_t i = 0; i < ncap; i++)
		slot_at(t, i)->tag &= ~TAG_MOVED;
	t->cursor = 0;
}

static int cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* evict_down_to -- evict t's least recently touched entries until it
 * holds target.  Evicting many at once one window at a time would drop
 * the oldest of each window, new or not.  Instead, a few rounds: the
 * touch times of up to QUANTILE_SAMPLES slots spread over the array give
 * an age below which, to two standard errors, fewer entries lie than
 * must go, and one sweep evicts them; the share left to evict shrinks
 * each round, and windows evict the last few.  So what goes is (nearly)
 * the oldest share, for a few O(cap) sweeps: halving is rare. */
#define QUANTILE_SAMPLES 1024
static void evict_down_to(struct vg_state_table *t, size_t target)
{
	int64_t sample[QUANTILE_SAMPLES];
	for (int round = 0; round < 3 && t->count > target; round++) {
		size_t n = 0, stride = t->cap / QUANTILE_SAMPLES ? t->cap / QUANTILE_SAMPLES : 1;
		for (size_t i = 0; i < t->cap && n < QUANTILE_SAMPLES; i += stride)
			if (slot_at(t, i)->tag != 0)
				sample[n++] = slot_at(t, i)->touch;
		double q = (double)(t->count - target) / (double)t->count;
		double k = q * (double)n - 2 * sqrt(q * (1 - q) * (double)n);
		if (k < 1)
			break;
		qsort(sample, n, sizeof(sample[0]), cmp_time);
		int64_t below = sample[(size_t)k];
		for (size_t i = 0; i < t->cap && t->count > target;) {
			struct slot *s = slot_at(t, i);
			if (s->tag != 0 && s->touch < below) {
				remove_at(t, i); /* shifts later entries back: look at i again */
				t->st->evicted++;
			} else {
				i++;
			}
		}
	}
	while (t->count > target)
		evict_one(t);
}

/* halve -- shrink t's array to half, evicting its least recently touched
 * entries down to the smaller array's load.  Returns the bytes given
 * back (0 only if realloc failed, when the block is kept as it is). */
static size_t halve(struct vg_state_table *t)
{
	size_t ncap = t->cap / 2;
	evict_down_to(t, max_load(ncap));
	rehash_in_place(t, ncap);
	size_t nbytes = ncap * t->slot_size;
	unsigned char *ns = vg_realloc(t->slots, nbytes);
	if (!ns)
		return 0;
	size_t freed = t->alloc - nbytes;
	t->slots = ns;
	t->alloc = nbytes;
	release(t->st, freed);
	return freed;
}

/* reclaim -- make room for t's next array (need bytes) by halving the
 * table with the biggest array, if that array halved is still at least
 * need bytes, or whatever its size if t has no array at all (as long as
 * shrinking every other table would make room: otherwise evicting
 * would be for nothing); returns whether anything was given back. */
static bool reclaim(struct vg_state_table *t, size_t need)
{
	struct vg_state_table *big = NULL;
	size_t spare = t->st->ceiling - t->st->bytes;
	for (struct vg_state_table *o = t->st->tables; o; o = o->next) {
		if (o == t || o->cap <= MIN_SLOTS)
			continue;
		spare += o->alloc - MIN_SLOTS * o->slot_size;
		if (!big || o->alloc > big->alloc)
			big = o;
	}
	if (!big || (t->cap > 0 ? big->alloc / 2 < need : spare < need))
		return false;
	return halve(big) > 0;
}

/* make_room -- let full table t take one more entry: grow it, taking
 * room from bigger tables if need be, else evict one of its entries.
 * False when it has no array and none can be had. */
static bool make_room(struct vg_state_table *t)
{
	for (;;) {
		enum grow_result g = grow(t);
		if (g == GROWN)
			return true;
		if (g == NO_MEMORY)
			break;
		size_t ncap = t->cap ? t->cap * 2 : MIN_SLOTS;
		if (ncap > SIZE_MAX / t->slot_size || !reclaim(t, ncap * t->slot_size))
			break;
	}
	if (t->count == 0)
		return false;
	evict_one(t);
	return true;
}

/* ---- the store --------------------------------------------------------------------- */

int vg_state_new(struct vg_state **out, size_t ceiling)
{
	struct vg_state *st = vg_calloc(1, sizeof(*st));
	*out = NULL;
	if (!st)
		return VG_ENOMEM;
	st->ceiling = ceiling;
	*out = st;
	return VG_OK;
}

void vg_state_free(struct vg_state *st)
{
	if (!st)
		return;
	for (struct vg_state_table *t = st->tables, *next; t; t = next) {
		next = t->next;
		vg_free(t->slots);
		vg_free(t);
	}
	vg_free(st);
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

int vg_state_table_new(struct vg_state *st, const char *name, size_t key_size, size_t val_size, int64_t ttl_ms,
		       struct vg_state_table **out)
{
	*out = NULL;
	if (key_size == 0 || key_size > MAX_KEY || val_size > MAX_VAL || ttl_ms <= 0)
		return VG_EINVAL;
	size_t ss = sizeof(struct slot) + round8(key_size) + round8(val_size);
	size_t head = sizeof(struct vg_state_table) + 2 * ss;
	if (!charge(st, head))
		return VG_ELIMIT;
	struct vg_state_table *t = vg_calloc(1, head);
	if (!t) {
		release(st, head);
		return VG_ENOMEM;
	}
	t->st = st;
	t->name = name;
	t->key_size = key_size;
	t->val_size = val_size;
	t->val_off = sizeof(struct slot) + round8(key_size);
	t->slot_size = ss;
	t->ttl_ms = ttl_ms;
	t->head = head;
	t->scratch = (unsigned char *)(t + 1);
	t->next = st->tables;
	st->tables = t;
	*out = t;
	return VG_OK;
}

void *vg_state_get(struct vg_state_table *t, const void *key, int64_t now_ms, bool *created)
{
	uint64_t tag = key_tag(t, key);
	size_t hole = SIZE_MAX;
	if (created)
		*created = false;
	if (t->cap) {
		size_t i = lookup(t, key, tag, &hole);
		if (i != SIZE_MAX) {
			struct slot *s = slot_at(t, i);
			if (now_ms > s->touch) /* events may come out of order */
				s->touch = now_ms;
			return slot_val(t, s);
		}
	}
	if (t->count + 1 > max_load(t->cap)) {
		if (!make_room(t))
			return NULL;
		hole = first_free(t, tag); /* entries have moved */
	}
	struct slot *s = slot_at(t, hole);
	s->tag = tag;
	s->touch = now_ms;
	memcpy(slot_key(s), key, t->key_size);
	void *v = slot_val(t, s);
	memset(v, 0, t->val_size);
	t->count++;
	t->st->entries++;
	if (created)
		*created = true;
	return v;
}

void *vg_state_find(struct vg_state_table *t, const void *key)
{
	if (t->count == 0)
		return NULL;
	size_t i = lookup(t, key, key_tag(t, key), NULL);
	return i == SIZE_MAX ? NULL : slot_val(t, slot_at(t, i));
}

void vg_state_del(struct vg_state_table *t, const void *key)
{
	if (t->count == 0)
		return;
	size_t i = lookup(t, key, key_tag(t, key), NULL);
	if (i != SIZE_MAX)
		remove_at(t, i);
}

uint64_t vg_state_expire(struct vg_state *st, int64_t now_ms)
{
	uint64_t n = 0;
	for (struct vg_state_table *t = st->tables; t; t = t->next) {
		if (t->count == 0 || now_ms < INT64_MIN + t->ttl_ms)
			continue;
		int64_t cutoff = now_ms - t->ttl_ms;
		/* Removing slot i shifts later entries back, possibly into i:
		 * look at i again.  An entry only ever moves backwards, to a
		 * slot not yet passed or to i, so none is skipped; entries
		 * that wrap around from the array's start may be looked at
		 * twice, which is harmless. */
		for (size_t i = 0; i < t->cap && t->count > 0;) {
			struct slot *s = slot_at(t, i);
			if (s->tag != 0 && s->touch < cutoff) {
				remove_at(t, i);
				n++;
			} else {
				i++;
			}
		}
	}
	st->expired += n;
	return n;
}

int vg_state_each(struct vg_state_table *t, int (*cb)(void *ctx, const void *key, void *val), void *ctx)
{
	for (size_t i = 0; i < t->cap; i++) {
		struct slot *s = slot_at(t, i);
		if (s->tag == 0)
			continue;
		int rc = cb(ctx, slot_key(s), slot_val(t, s));
		if (rc)
			return rc;
	}
	return 0;
}

int vg_state_save(const struct vg_state *st, vg_state_entry_cb cb, void *ctx)
{
	for (const struct vg_state_table *t = st->tables; t; t = t->next) {
		for (size_t i = 0; i < t->cap; i++) {
			struct slot *s = slot_at(t, i);
			if (s->tag == 0)
				continue;
			struct vg_state_entry e = {t->name, t->key_size, t->val_size, slot_key(s), slot_val(t, s),
						   s->touch};
			int rc = cb(ctx, &e);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int vg_state_restore(struct vg_state *st, const struct vg_state_entry *e)
{
	struct vg_state_table *t = st->tables;
	while (t && (strcmp(t->name, e->table) != 0 || t->key_size != e->key_size || t->val_size != e->val_size))
		t = t->next;
	if (!t)
		return VG_ENOENT; /* a detector that is gone, or whose state changed shape */
	void *v = vg_state_get(t, e->key, e->touched_ms, NULL);
	if (!v)
		return VG_ELIMIT;
	memcpy(v, e->val, e->val_size);
	return VG_OK;
}

void vg_state_stats(const struct vg_state *st, struct vg_state_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->bytes = st->bytes;
	out->peak_bytes = st->peak;
	out->ceiling = st->ceiling;
	out->entries = st->entries;
	out->evicted = st->evicted;
	out->expired = st->expired;
}

/* ---- distinct counts ------------------------------------------------------------------
 * Exact mode keeps 32-bit hashes, so two items collide with odds of about
 * n^2 / 2^33 (1 in 8 million at 32 items): exact for any practical
 * purpose.  On the 33rd distinct item the same 32-bit hashes become a
 * HyperLogLog: the top 7 bits pick one of 128 registers and the position
 * of the first set bit among the other 25 is the rank, so the held hashes
 * convert without the items.  Standard error 1.04 / sqrt(128), about
 * 9.2 %; below 2.5 * 128 the estimate is linear counting over the empty
 * registers, which is better (about 7 % at 100 items). */

#define HLL_M 128
#define HLL_INDEX_BITS 7

static inline uint32_t item_hash(const void *item, size_t len)
{
	return (uint32_t)(vg_hash64(item, len, DISTINCT_SEED) >> 32);
}

/* hll_rank -- 1 + leading zeros of the 25 bits below the index, 26 when
 * all are zero. */
static inline uint8_t hll_rank(uint32_t h)
{
	uint32_t rest = h << HLL_INDEX_BITS;
	uint8_t r = 1;
	if (rest == 0)
		return 32 - HLL_INDEX_BITS + 1;
	while (!(rest & 0x80000000u)) {
		rest <<= 1;
		r++;
	}
	return r;
}

static inline bool hll_add(uint8_t *reg, uint32_t h)
{
	uint8_t r = hll_rank(h);
	uint8_t *p = &reg[h >> (32 - HLL_INDEX_BITS)];
	if (r <= *p)
		return false;
	*p = r;
	return true;
}

bool vg_distinct_add(struct vg_distinct *d, const void *item, size_t len)
{
	uint32_t h = item_hash(item, len);
	if (d->mode != 0)
		return hll_add(d->u.reg, h);
	for (unsigned i = 0; i < d->n; i++)
		if (d->u.h[i] == h)
			return false;
	if (d->n < VG_DISTINCT_EXACT) {
		d->u.h[d->n++] = h;
		return true;
	}
	/* The registers share the hashes' bytes: build them aside. */
	uint8_t reg[HLL_M] = {0};
	for (unsigned i = 0; i < d->n; i++)
		hll_add(reg, d->u.h[i]);
	hll_add(reg, h);
	memcpy(d->u.reg, reg, sizeof(reg));
	d->mode = 1;
	d->n = 0;
	return true;
}

uint64_t vg_distinct_count(const struct vg_distinct *d)
{
	if (d->mode == 0)
		return d->n;
	double sum = 0;
	unsigned zeros = 0;
	for (unsigned i = 0; i < HLL_M; i++) {
		sum += ldexp(1.0, -d->u.reg[i]);
		zeros += d->u.reg[i] == 0;
	}
	double m = HLL_M, e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)
		e = m * log(m / zeros);
	else if (e > 4294967296.0 / 30) /* the 32-bit hash space fills up */
		e = e < 0.999 * 4294967296.0 ? -4294967296.0 * log(1 - e / 4294967296.0) : 4294967296.0 * 7;
	/* It took VG_DISTINCT_EXACT + 1 distinct items to get here: the count
	 * must not drop below what exact mode last said. */
	if (e < VG_DISTINCT_EXACT + 1)
		return VG_DISTINCT_EXACT + 1;
	return (uint64_t)(e + 0.5);
}
