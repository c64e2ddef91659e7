/*
 * sqlite.c -- the SQLite finding store.  Prepared statements only; the
 * schema keeps the columns the API filters on next to the full JSON.
 */
#include "../vg.h"
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>

#define SCHEMA_VERSION 1

struct sqlite_store {
	struct vg_store base; /* first: ops */
	sqlite3 *db;
	sqlite3_stmt *get, *put, *each, *seen, *add, *st_clear, *st_put, *st_each;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS findings ("
	"  id TEXT PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  severity REAL NOT NULL,"
	"  account TEXT NOT NULL,"
	"  region TEXT NOT NULL,"
	"  resource_type TEXT NOT NULL,"
	"  resource_id TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  archived INTEGER NOT NULL DEFAULT 0,"
	"  json TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS findings_sev ON findings(severity DESC, updated_at DESC);"
	"CREATE INDEX IF NOT EXISTS findings_type ON findings(type);"
	"CREATE TABLE IF NOT EXISTS files ("
	"  sha256 TEXT PRIMARY KEY,"
	"  path TEXT NOT NULL,"
	"  records INTEGER NOT NULL,"
	"  read_at INTEGER NOT NULL DEFAULT (unixepoch()));"
	"CREATE TABLE IF NOT EXISTS detector_state ("
	"  tbl TEXT NOT NULL,"
	"  format INTEGER NOT NULL,"
	"  key BLOB NOT NULL,"
	"  val BLOB NOT NULL,"
	"  touched INTEGER NOT NULL);";

#define COLS "id, type, severity, account, region, resource_type, resource_id, count, " \
	     "first_seen, last_seen, created_at, updated_at, archived, json"

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static void row(sqlite3_stmt *st, struct vg_stored_finding *f)
{
	f->id = col(st, 0);
	f->type = col(st, 1);
	f->severity = sqlite3_column_double(st, 2);
	f->account = col(st, 3);
	f->region = col(st, 4);
	f->resource_type = col(st, 5);
	f->resource_id = col(st, 6);
	f->count = (uint64_t)sqlite3_column_int64(st, 7);
	f->first_seen_ms = sqlite3_column_int64(st, 8);
	f->last_seen_ms = sqlite3_column_int64(st, 9);
	f->created_ms = sqlite3_column_int64(st, 10);
	f->updated_ms = sqlite3_column_int64(st, 11);
	f->archived = sqlite3_column_int(st, 12) != 0;
	f->json = col(st, 13);
}

static int s_get(struct vg_store *base, const char *id, struct vg_stored_finding *out)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_reset(s->get);
	sqlite3_bind_text(s->get, 1, id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s->get);
	if (r == SQLITE_ROW) {
		row(s->get, out);
		return VG_OK;
	}
	return r == SQLITE_DONE ? VG_ENOENT : VG_ESTORE;
}

static int s_put(struct vg_store *base, const struct vg_stored_finding *f)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_stmt *st = s->put;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, f->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->type, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, f->severity);
	sqlite3_bind_text(st, 4, f->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->resource_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, f->resource_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)f->count);
	sqlite3_bind_int64(st, 9, f->first_seen_ms);
	sqlite3_bind_int64(st, 10, f->last_seen_ms);
	sqlite3_bind_int64(st, 11, f->created_ms);
	sqlite3_bind_int64(st, 12, f->updated_ms);
	sqlite3_bind_int(st, 13, f->archived);
	sqlite3_bind_text(st, 14, f->json, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return r == SQLITE_DONE ? VG_OK : VG_ESTORE;
}

static int exec(struct sqlite_store *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? VG_OK : VG_ESTORE;
}

static int s_begin(struct vg_store *base) { return exec((struct sqlite_store *)base, "BEGIN"); }
static int s_commit(struct vg_store *base) { return exec((struct sqlite_store *)base, "COMMIT"); }

static int s_each(struct vg_store *base, vg_store_each_cb cb, void *ctx)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	int r, rc = VG_OK;
	sqlite3_reset(s->each);
	while ((r = sqlite3_step(s->each)) == SQLITE_ROW) {
		struct vg_stored_finding f;
		row(s->each, &f);
		if ((rc = cb(ctx, &f)) != VG_OK)
			break;
	}
	if (rc == VG_OK && r != SQLITE_DONE)
		rc = VG_ESTORE;
	sqlite3_reset(s->each);
	return rc;
}

static int s_file_seen(struct vg_store *base, const char *sha256)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_reset(s->seen);
	sqlite3_bind_text(s->seen, 1, sha256, -1, SQLITE_STATIC);
	int r = sqlite3_step(s->seen);
	sqlite3_reset(s->seen);
	return r == SQLITE_ROW ? VG_OK : r == SQLITE_DONE ? VG_ENOENT : VG_ESTORE;
}

static int s_file_add(struct vg_store *base, const char *sha256, const char *path, uint64_t records)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_reset(s->add);
	sqlite3_bind_text(s->add, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->add, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->add, 3, (sqlite3_int64)records);
	int r = sqlite3_step(s->add);
	sqlite3_reset(s->add);
	return r == SQLITE_DONE ? VG_OK : VG_ESTORE;
}

static int s_state_clear(struct vg_store *base)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_reset(s->st_clear);
	int r = sqlite3_step(s->st_clear);
	sqlite3_reset(s->st_clear);
	return r == SQLITE_DONE ? VG_OK : VG_ESTORE;
}

static int s_state_put(struct vg_store *base, const struct vg_stored_state *e)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_stmt *st = s->st_put;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, e->table, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, e->format);
	sqlite3_bind_blob(st, 3, e->key, (int)e->key_size, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, e->val, (int)e->val_size, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->touched_ms);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return r == SQLITE_DONE ? VG_OK : VG_ESTORE;
}

static int s_state_each(struct vg_store *base, vg_store_state_cb cb, void *ctx)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	sqlite3_stmt *st = s->st_each;
	int r, rc = VG_OK;
	sqlite3_reset(st);
	while (rc == VG_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_stored_state e = {
			.table = col(st, 0),
			.format = sqlite3_column_int(st, 1),
			.key = sqlite3_column_blob(st, 2),
			.key_size = (size_t)sqlite3_column_bytes(st, 2),
			.val = sqlite3_column_blob(st, 3),
			.val_size = (size_t)sqlite3_column_bytes(st, 3),
			.touched_ms = sqlite3_column_int64(st, 4),
		};
		rc = cb(ctx, &e);
	}
	if (rc == VG_OK && r != SQLITE_DONE)
		rc = VG_ESTORE;
	sqlite3_reset(st);
	return rc;
}

static void s_close(struct vg_store *base)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	if (!s)
		return;
	sqlite3_finalize(s->get);
	sqlite3_finalize(s->put);
	sqlite3_finalize(s->each);
	sqlite3_finalize(s->seen);
	sqlite3_finalize(s->add);
	sqlite3_finalize(s->st_clear);
	sqlite3_finalize(s->st_put);
	sqlite3_finalize(s->st_each);
	sqlite3_close(s->db);
	vg_free(s);
}

static const struct vg_store_ops sqlite_ops = {
	.version = 1,
	.name = "sqlite",
	.get = s_get,
	.put = s_put,
	.begin = s_begin,
	.commit = s_commit,
	.each = s_each,
	.file_seen = s_file_seen,
	.file_add = s_file_add,
	.state_clear = s_state_clear,
	.state_put = s_state_put,
	.state_each = s_state_each,
	.close = s_close,
};

int vg_store_open_sqlite(const char *path, struct vg_store **out, char *why, size_t why_len)
{
	struct sqlite_store *s = vg_calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "%s", vg_strerror(VG_ENOMEM));
		return VG_ENOMEM;
	}
	s->base.ops = &sqlite_ops;
	const char *msg = NULL;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(s->db, 5000);
	if (sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	int v = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (v > SCHEMA_VERSION) {
		msg = "the database was written by a newer vigil";
		goto fail;
	}
	if (v == 0 && exec(s, "PRAGMA user_version=1") != VG_OK)
		goto fail;
	if (sqlite3_prepare_v2(s->db, "SELECT " COLS " FROM findings WHERE id = ?1", -1, &s->get, NULL) ||
	    sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO findings (" COLS ") VALUES "
			       "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
			       -1, &s->put, NULL) ||
	    sqlite3_prepare_v2(s->db,
			       "SELECT " COLS " FROM findings ORDER BY severity DESC, updated_at DESC, id", -1,
			       &s->each, NULL) ||
	    sqlite3_prepare_v2(s->db, "SELECT 1 FROM files WHERE sha256 = ?1", -1, &s->seen, NULL) ||
	    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO files (sha256, path, records) VALUES (?1, ?2, ?3)",
			       -1, &s->add, NULL) ||
	    sqlite3_prepare_v2(s->db, "DELETE FROM detector_state", -1, &s->st_clear, NULL) ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO detector_state (tbl, format, key, val, touched) VALUES (?1,?2,?3,?4,?5)",
			       -1, &s->st_put, NULL) ||
	    sqlite3_prepare_v2(s->db, "SELECT tbl, format, key, val, touched FROM detector_state", -1, &s->st_each,
			       NULL))
		goto fail;
	*out = &s->base;
	return VG_OK;
fail:
	if (!msg)
		msg = s->db ? sqlite3_errmsg(s->db) : "cannot open database";
	snprintf(why, why_len, "%s", msg);
	s_close(&s->base);
	return VG_ESTORE;
}
