/*
 * state.h -- bounded per-entity state for windowed detectors.
 *
 * One store per engine holds every stateful detector's tables under one
 * memory ceiling.  A table maps fixed-size keys (compared as bytes: zero
 * any padding) to fixed-size values that start zeroed.  Time is event
 * time in milliseconds, as the detectors see it: an entry untouched for
 * longer than its table's ttl is expired, and when an insert would take
 * the store past its ceiling the least recently touched entries (an
 * approximation by sampling, as Redis evicts) make room instead.  Both
 * are counted, so a scan can say what it forgot.  Nothing here allocates
 * beyond the ceiling, whatever the input.
 */
#ifndef VG_DETECT_STATE_H
#define VG_DETECT_STATE_H

#include "../vg.h"

struct vg_state;
struct vg_state_table;

struct vg_state_stats {
	size_t bytes;       /* memory held by every table now */
	size_t peak_bytes;  /* most held at any time */
	size_t ceiling;
	uint64_t entries;   /* live entries */
	uint64_t evicted;   /* entries dropped to stay under the ceiling */
	uint64_t expired;   /* entries dropped for being idle longer than their ttl */
};

/* vg_state_new -- an empty store whose tables together never hold more
 * than ceiling bytes (their headers and slot arrays, counted before they
 * are allocated, a table's old and new array both while it grows; the
 * store's own few dozen bytes are not counted).  At
 * the ceiling, a full table takes room from a table with a bigger array
 * (halving it, evicting that table's least recently touched entries) when
 * that array halved is still as big as the grown one, so tables under
 * pressure end up about equal; otherwise it evicts its own least recently
 * touched entry.  Caller frees with vg_state_free, which frees its tables
 * too. */
int vg_state_new(struct vg_state **out, size_t ceiling) VG_WUR;
void vg_state_free(struct vg_state *st);

/* vg_state_table_new -- a table of key_size-byte keys (1..1024) and
 * val_size-byte values (0..65536, 8-byte aligned) in st (which owns it);
 * ttl_ms > 0.  name is static, for stats.  VG_EINVAL for bad sizes,
 * VG_ELIMIT when the ceiling cannot hold the table's header. */
int vg_state_table_new(struct vg_state *st, const char *name, size_t key_size, size_t val_size, int64_t ttl_ms,
		       struct vg_state_table **out) VG_WUR;

/* vg_state_get -- the value for key, created zeroed when absent (then
 * *created is set, if created is not NULL).  Marks it touched at now_ms
 * (a touch never moves the time back).  Creating may evict entries of
 * this or a bigger table.  The pointer is valid until the next
 * vg_state_get that creates, vg_state_del or vg_state_expire on any table
 * of the store (those move entries; find, each and a get of a present key
 * do not).  NULL only when the ceiling cannot hold even one entry. */
void *vg_state_get(struct vg_state_table *t, const void *key, int64_t now_ms, bool *created);
/* vg_state_find -- the value for key, or NULL; does not touch it. */
void *vg_state_find(struct vg_state_table *t, const void *key);
/* vg_state_del -- forget key (no-op when absent). */
void vg_state_del(struct vg_state_table *t, const void *key);

/* vg_state_expire -- drop the entries of every table idle since before
 * now_ms - ttl.  Returns the number dropped. */
uint64_t vg_state_expire(struct vg_state *st, int64_t now_ms);

/* vg_state_each -- call cb for every live entry of t, in slot order (the
 * same on every run), until it returns non-zero (which is returned).  cb
 * may change values but must not insert or delete. */
int vg_state_each(struct vg_state_table *t, int (*cb)(void *ctx, const void *key, void *val), void *ctx);

void vg_state_stats(const struct vg_state *st, struct vg_state_stats *out);

/* ---- keeping state between runs -------------------------------------------
 * `vigil scan --db` runs again and again over new log files; the windows
 * and baselines of one run must carry over to the next, or a scan split
 * between two runs, or a learning period, would never complete.  Entries
 * are plain bytes (no pointers), so they are saved as they are, with the
 * table's name and sizes; VG_STATE_FORMAT changes whenever a detector's
 * value layout changes without its size changing, so old rows are
 * dropped instead of misread. */
#define VG_STATE_FORMAT 1

struct vg_state_entry {
	const char *table;       /* the table's name */
	size_t key_size, val_size;
	const void *key, *val;   /* borrowed for the callback */
	int64_t touched_ms;
};

typedef int (*vg_state_entry_cb)(void *ctx, const struct vg_state_entry *e);

/* vg_state_save -- call cb for every live entry of every table, until it
 * returns non-zero (which is returned). */
int vg_state_save(const struct vg_state *st, vg_state_entry_cb cb, void *ctx);
/* vg_state_restore -- put an entry back into the table of its name and
 * sizes (created by the detectors' init).  VG_ENOENT when there is no such
 * table: the entry is of a detector that changed or is gone, and is
 * dropped.  Eviction applies as for any insert. */
int vg_state_restore(struct vg_state *st, const struct vg_state_entry *e) VG_WUR;

/* ---- distinct counts ----------------------------------------------------
 * "How many distinct ports / hosts": a fixed 132-byte sketch that is exact
 * up to VG_DISTINCT_EXACT items and a HyperLogLog (128 registers, about 9 %
 * standard error) beyond, so thresholds of a few dozen are decided exactly
 * and a flood costs no more memory. */
#define VG_DISTINCT_EXACT 32

struct vg_distinct {
	uint8_t mode;    /* 0: exact, 1: HyperLogLog */
	uint8_t n;       /* items held in exact mode */
	uint8_t pad[2];
	union {
		uint32_t h[VG_DISTINCT_EXACT]; /* exact: 32-bit hashes of the items */
		uint8_t reg[128];              /* HyperLogLog registers */
	} u;
};

/* vg_distinct_add -- add an item (any bytes); returns true when it was new
 * in exact mode, or when an HLL register grew. */
bool vg_distinct_add(struct vg_distinct *d, const void *item, size_t len);
/* vg_distinct_count -- the number of distinct items: exact up to
 * VG_DISTINCT_EXACT (barring a 32-bit hash collision, odds about 1 in 8
 * million at 32 items), estimated beyond and never less than
 * VG_DISTINCT_EXACT + 1 there.  A zeroed struct is an empty sketch. */
uint64_t vg_distinct_count(const struct vg_distinct *d);

/* vg_hash64 -- the hash the store and the sketches use (seeded, fast, the
 * same on every run and machine); exposed for detectors that bucket keys
 * themselves. */
uint64_t vg_hash64(const void *p, size_t len, uint64_t seed);
/* vg_hash64_16 -- vg_hash64(p, 16, seed), cheaper: for addresses. */
uint64_t vg_hash64_16(const void *p, uint64_t seed);

#endif /* VG_DETECT_STATE_H */
