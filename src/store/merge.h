/*
 * merge.h -- folding a batch of occurrences into what a store already has.
 */
#ifndef VG_STORE_MERGE_H
#define VG_STORE_MERGE_H

#include "../vg.h"
#include "../finding/finding.h"
#include "store.h"

/* vg_store_merge -- combine o with the stored finding of the same id (if
 * any), compose the finding JSON and write it.  *created tells whether the
 * finding is new.  scratch is caller-owned working memory. */
int vg_store_merge(struct vg_store *s, const struct vg_occurrence *o, int64_t now_ms, struct vg_buf *scratch,
		   bool *created) VG_WUR;

#endif /* VG_STORE_MERGE_H */
