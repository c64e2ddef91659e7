/*
 * store.h -- where findings live, behind one small interface (STYLE.md 9).
 *
 * SQLite (WAL) is the embedded back end: a file with --db, or ":memory:"
 * for a one-off scan.  PostgreSQL will be a second ops table.
 */
#ifndef VG_STORE_STORE_H
#define VG_STORE_STORE_H

#include "../vg.h"

/* One stored finding: the indexed columns plus the complete GuardDuty
 * JSON.  Strings are borrowed: from the caller on put, from the store
 * until the callback returns on reads. */
struct vg_stored_finding {
	const char *id;            /* 32 hex digits */
	const char *type;          /* GuardDuty finding type name */
	double severity;
	const char *account;
	const char *region;
	const char *resource_type; /* AccessKey, S3Bucket, Instance */
	const char *resource_id;   /* access key, bucket or instance id */
	uint64_t count;            /* service.count */
	int64_t first_seen_ms;     /* service.eventFirstSeen */
	int64_t last_seen_ms;      /* service.eventLastSeen */
	int64_t created_ms;        /* createdAt */
	int64_t updated_ms;        /* updatedAt */
	bool archived;
	const char *json;          /* the finding, GuardDuty wire format */
};

typedef int (*vg_store_each_cb)(void *ctx, const struct vg_stored_finding *f);

/* One entry of the detectors' per-entity state (detect/state.h), kept
 * between runs as opaque bytes.  Borrowed as for findings. */
struct vg_stored_state {
	const char *table;
	int format;                /* VG_STATE_FORMAT of the vigil that wrote it */
	const void *key, *val;
	size_t key_size, val_size;
	int64_t touched_ms;
};

typedef int (*vg_store_state_cb)(void *ctx, const struct vg_stored_state *e);

struct vg_store;

struct vg_store_ops {
	int version; /* 1 */
	const char *name;
	/* get: the finding with this id; VG_ENOENT if none.  Strings in out
	 * are valid until the next call on the store. */
	int (*get)(struct vg_store *s, const char *id, struct vg_stored_finding *out);
	/* put: insert or replace by id. */
	int (*put)(struct vg_store *s, const struct vg_stored_finding *f);
	int (*begin)(struct vg_store *s);
	int (*commit)(struct vg_store *s);
	/* each: every finding, highest severity first, then newest update. */
	int (*each)(struct vg_store *s, vg_store_each_cb cb, void *ctx);
	/* file_seen: VG_OK if a log file with this SHA-256 (hex) was already
	 * read into the store, VG_ENOENT if not.  Log files are immutable
	 * once delivered, so this keeps a re-scan from counting twice. */
	int (*file_seen)(struct vg_store *s, const char *sha256);
	/* file_add: remember that the file was read. */
	int (*file_add)(struct vg_store *s, const char *sha256, const char *path, uint64_t records);
	/* state_clear, state_put, state_each: the detectors' state as the
	 * last run left it; a run replaces all of it (in a transaction). */
	int (*state_clear)(struct vg_store *s);
	int (*state_put)(struct vg_store *s, const struct vg_stored_state *e);
	int (*state_each)(struct vg_store *s, vg_store_state_cb cb, void *ctx);
	void (*close)(struct vg_store *s);
};

/* Every back end's instance starts with its ops pointer. */
struct vg_store {
	const struct vg_store_ops *ops;
};

/* vg_store_open_sqlite -- open (creating if needed) a SQLite store at path,
 * or an in-memory one for ":memory:".  On failure why receives a message.
 * Close with s->ops->close. */
int vg_store_open_sqlite(const char *path, struct vg_store **out, char *why, size_t why_len) VG_WUR;

#endif /* VG_STORE_STORE_H */
