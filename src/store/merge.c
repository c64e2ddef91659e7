/*
 * merge.c -- the update rule of GuardDuty findings applied against a store:
 * count adds up, first seen keeps the earliest, createdAt and the archived
 * flag are kept, everything else comes from the latest occurrence.
 */
#include "../vg.h"
#include "merge.h"

int vg_store_merge(struct vg_store *s, const struct vg_occurrence *o, int64_t now_ms, struct vg_buf *scratch,
		   bool *created)
{
	struct vg_stored_finding old;
	struct vg_finding_history h;
	int rc = s->ops->get(s, o->id, &old);
	if (rc != VG_OK && rc != VG_ENOENT)
		return rc;
	*created = rc == VG_ENOENT;
	if (!*created)
		h = (struct vg_finding_history){.count = old.count,
						.first_ms = old.first_seen_ms,
						.last_ms = old.last_seen_ms,
						.created_ms = old.created_ms,
						.archived = old.archived};
	const struct vg_finding_history *prior = *created ? NULL : &h;
	struct vg_finding_history t = vg_finding_fold(o, prior, now_ms);
	vg_buf_reset(scratch);
	vg_finding_compose(o, prior, now_ms, scratch);
	if (scratch->failed)
		return scratch->failed;
	struct vg_stored_finding f = {
		.id = o->id,
		.type = o->type->name,
		.severity = o->severity,
		.account = o->account,
		.region = o->region,
		.resource_type = o->resource_type,
		.resource_id = o->resource_id,
		.count = t.count,
		.first_seen_ms = t.first_ms,
		.last_seen_ms = t.last_ms,
		.created_ms = t.created_ms,
		.updated_ms = now_ms,
		.archived = t.archived,
		.json = scratch->p,
	};
	return s->ops->put(s, &f);
}
