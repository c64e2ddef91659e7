/*
 * state.c -- bounded per-entity state (detect/state.h).
 *
 * PLACEHOLDER: the store is being written; until then tables hold nothing.
 */
#include "../vg.h"
#include "state.h"

struct vg_state {
	size_t ceiling;
};

int vg_state_new(struct vg_state **out, size_t ceiling)
{
	struct vg_state *st = vg_calloc(1, sizeof(*st));
	if (!st)
		return VG_ENOMEM;
	st->ceiling = ceiling;
	*out = st;
	return VG_OK;
}

void vg_state_free(struct vg_state *st) { vg_free(st); }

uint64_t vg_state_expire(struct vg_state *st, int64_t now_ms)
{
	(void)st;
	(void)now_ms;
	return 0;
}

void vg_state_stats(const struct vg_state *st, struct vg_state_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->ceiling = st->ceiling;
}
