/*
 * walk.h -- expanding command-line paths into the log files to read.
 */
#ifndef VG_INGEST_WALK_H
#define VG_INGEST_WALK_H

#include "../vg.h"

enum vg_walk_kind {
	VG_WALK_LOG = 0,     /* read it */
	VG_WALK_DIGEST,      /* a CloudTrail-Digest file: skipped on purpose */
	VG_WALK_OTHER,       /* inside a folder but not a log file name: skipped */
	VG_WALK_ERROR,       /* could not be listed or opened; errno_text says why */
};

/* Called for each path found, in sorted order; return non-zero to stop. */
typedef int (*vg_walk_cb)(void *ctx, const char *path, enum vg_walk_kind kind, const char *errno_text);

/* vg_walk -- visit path: a file is reported as VG_WALK_LOG (whatever its
 * name, since the user named it) unless it is a digest; a folder is walked
 * recursively, with names judged by vg_walk_classify.  Returns the
 * callback's non-zero value, or VG_OK. */
int vg_walk(const char *path, vg_walk_cb cb, void *ctx);
/* vg_walk_classify -- what a file found inside a folder is, by name. */
enum vg_walk_kind vg_walk_classify(const char *path);

#endif /* VG_INGEST_WALK_H */
