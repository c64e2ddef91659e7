/*
 * walk.c -- recursive folder walk in sorted order (so runs are repeatable),
 * recognising the S3 layout AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/.
 */
#include "../vg.h"
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define WALK_MAX_DEPTH 32

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum vg_walk_kind vg_walk_classify(const char *path)
{
	static const char *const log_suffixes[] = {".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson",
						   ".ndjson.gz", ".log", ".log.gz", ".gz"};
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strstr(path, "CloudTrail-Digest"))
		return VG_WALK_DIGEST;
	if (base[0] == '.')
		return VG_WALK_OTHER;
	for (size_t i = 0; i < VG_ARRAY_LEN(log_suffixes); i++)
		if (ends_with(base, log_suffixes[i]))
			return VG_WALK_LOG;
	return VG_WALK_OTHER;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int walk_dir(const char *dir, int depth, vg_walk_cb cb, void *ctx)
{
	if (depth > WALK_MAX_DEPTH)
		return cb(ctx, dir, VG_WALK_ERROR, "folders nested too deep");
	DIR *d = opendir(dir);
	if (!d)
		return cb(ctx, dir, VG_WALK_ERROR, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = VG_OK;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		/* ".", ".." and hidden entries (.git, editor files) are not logs. */
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = vg_realloc(names, cap * sizeof(*names));
			if (!nn) {
				rc = VG_ENOMEM;
				goto out;
			}
			names = nn;
		}
		names[n] = vg_strndup(de->d_name, strlen(de->d_name));
		if (!names[n]) {
			rc = VG_ENOMEM;
			goto out;
		}
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && rc == VG_OK; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = vg_malloc(len);
		if (!p) {
			rc = VG_ENOMEM;
			break;
		}
		snprintf(p, len, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", names[i]);
		struct stat st;
		if (stat(p, &st) != 0)
			rc = cb(ctx, p, VG_WALK_ERROR, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = walk_dir(p, depth + 1, cb, ctx);
		else if (S_ISREG(st.st_mode))
			rc = cb(ctx, p, vg_walk_classify(p), NULL);
		else
			rc = cb(ctx, p, VG_WALK_OTHER, NULL);
		vg_free(p);
	}
out:
	for (size_t i = 0; i < n; i++)
		vg_free(names[i]);
	vg_free(names);
	closedir(d);
	return rc;
}

int vg_walk(const char *path, vg_walk_cb cb, void *ctx)
{
	struct stat st;
	if (strcmp(path, "-") == 0)
		return cb(ctx, path, VG_WALK_LOG, NULL);
	if (stat(path, &st) != 0)
		return cb(ctx, path, VG_WALK_ERROR, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return walk_dir(path, 0, cb, ctx);
	if (strstr(path, "CloudTrail-Digest"))
		return cb(ctx, path, VG_WALK_DIGEST, NULL);
	return cb(ctx, path, VG_WALK_LOG, NULL);
}
