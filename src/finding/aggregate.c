/*
 * aggregate.c -- folding repeated occurrences into one finding.
 *
 * An open-addressing table keyed by finding id.  A repeat raises count,
 * widens first/last seen and replaces the details with the latest
 * occurrence's (GuardDuty's documented behaviour).  The table is bounded:
 * when max_pending is reached the caller drains it into the store.
 */
#include "../vg.h"
#include "finding.h"

struct vg_aggregator {
	struct vg_occurrence **slots; /* NULL = empty; owned */
	size_t cap;                   /* power of two */
	size_t used;
	size_t max_pending;
	int error;                    /* first failure while emitting, sticky */
	const struct vg_geo *geo;     /* borrowed, may be NULL */
};

static uint64_t id_hash(const char *id)
{
	/* The id already is a cryptographic hash: its first 16 hex digits
	 * are as good a table hash as any. */
	uint64_t h = 0;
	for (int i = 0; i < 16; i++)
		h = h << 4 | (uint64_t)(id[i] <= '9' ? id[i] - '0' : id[i] - 'a' + 10);
	return h;
}

int vg_aggregator_new(struct vg_aggregator **out, size_t max_pending)
{
	struct vg_aggregator *a = vg_calloc(1, sizeof(*a));
	if (!a)
		return VG_ENOMEM;
	a->max_pending = max_pending ? max_pending : 65536;
	a->cap = 64;
	while (a->cap < a->max_pending * 2)
		a->cap *= 2;
	a->slots = vg_calloc(a->cap, sizeof(*a->slots));
	if (!a->slots) {
		vg_free(a);
		return VG_ENOMEM;
	}
	*out = a;
	return VG_OK;
}

void vg_aggregator_free(struct vg_aggregator *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->cap; i++) {
		if (a->slots[i]) {
			vg_occurrence_free(a->slots[i]);
			vg_free(a->slots[i]);
		}
	}
	vg_free(a->slots);
	vg_free(a);
}

bool vg_aggregator_full(const struct vg_aggregator *a) { return a->used >= a->max_pending; }
int vg_aggregator_error(const struct vg_aggregator *a) { return a->error; }

static void emit(void *ctx, const struct vg_finding_draft *d)
{
	struct vg_aggregator *a = ctx;
	struct vg_occurrence o;
	int rc = vg_occurrence_from_draft(d, a->geo, &o);
	if (rc != VG_OK) {
		a->error = a->error ? a->error : rc;
		return;
	}
	size_t i = id_hash(o.id) & (a->cap - 1);
	while (a->slots[i] && strcmp(a->slots[i]->id, o.id) != 0)
		i = (i + 1) & (a->cap - 1);
	struct vg_occurrence *cur = a->slots[i];
	if (cur) {
		o.count += cur->count;
		if (cur->first_ms < o.first_ms)
			o.first_ms = cur->first_ms;
		if (cur->last_ms > o.last_ms) {
			/* An older record arrived late: keep the newer details. */
			uint64_t n = o.count;
			int64_t first = o.first_ms;
			vg_occurrence_free(&o);
			cur->count = n;
			cur->first_ms = first;
			return;
		}
		vg_occurrence_free(cur);
		*cur = o;
		return;
	}
	if (a->used >= a->cap / 2) {
		/* The caller drains at max_pending; past that we refuse rather
		 * than grow without bound. */
		vg_occurrence_free(&o);
		a->error = a->error ? a->error : VG_ELIMIT;
		return;
	}
	cur = vg_malloc(sizeof(*cur));
	if (!cur) {
		vg_occurrence_free(&o);
		a->error = a->error ? a->error : VG_ENOMEM;
		return;
	}
	*cur = o;
	a->slots[i] = cur;
	a->used++;
}

void vg_aggregator_set_geo(struct vg_aggregator *a, const struct vg_geo *geo) { a->geo = geo; }

struct vg_emitter vg_aggregator_emitter(struct vg_aggregator *a) { return (struct vg_emitter){emit, a}; }

int vg_aggregator_drain(struct vg_aggregator *a, int (*cb)(void *ctx, const struct vg_occurrence *o), void *ctx)
{
	int rc = VG_OK;
	for (size_t i = 0; i < a->cap; i++) {
		struct vg_occurrence *o = a->slots[i];
		if (!o)
			continue;
		if (rc == VG_OK)
			rc = cb(ctx, o);
		vg_occurrence_free(o);
		vg_free(o);
		a->slots[i] = NULL;
	}
	a->used = 0;
	return rc;
}
