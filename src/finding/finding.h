/*
 * finding.h -- from detector drafts to GuardDuty findings.
 *
 * A draft becomes an occurrence: its stable id (a hash of the aggregation
 * key), the resource and action as JSON fragments, and the times.  The
 * aggregator folds occurrences with the same id (count, first and last
 * seen; details replaced by the latest, as GuardDuty does) until they are
 * drained into a store, which adds what it already knew and composes the
 * final JSON with vg_finding_compose.
 */
#ifndef VG_FINDING_FINDING_H
#define VG_FINDING_FINDING_H

#include "../vg.h"
#include "../core/buf.h"
#include "../detect/detector.h"

#define VG_FINDING_ID_LEN 32

/* Aggregated occurrences of one finding.  Every string is owned. */
struct vg_occurrence {
	char id[VG_FINDING_ID_LEN + 1];
	char detector_id[VG_FINDING_ID_LEN + 1];
	const struct vg_finding_type *type; /* static, from the detector table */
	double severity;        /* of the latest occurrence */
	char *account;
	char *region;
	const char *resource_type; /* static: "AccessKey", "S3Bucket", "Instance" */
	char *resource_id;
	char *resource_json;    /* the "resource" object */
	char *service_json;     /* members of "service" this occurrence decides:
				   "action":...,"resourceRole":...,"additionalInfo":...[,"evidence":...] */
	char *title;
	char *description;
	uint64_t count;         /* occurrences folded in since the last drain */
	int64_t first_ms;       /* event times */
	int64_t last_ms;
};

/* What a store knows of a finding before this batch. */
struct vg_finding_history {
	uint64_t count;
	int64_t first_ms, last_ms, created_ms;
	bool archived;
};

struct vg_geo; /* enrich/geo.h */

/* vg_occurrence_from_draft -- build an occurrence (count 1) from a draft;
 * geo (may be NULL) fills remoteIpDetails' country, city, location and
 * organization.  Returns VG_OK or VG_ENOMEM; release with
 * vg_occurrence_free. */
int vg_occurrence_from_draft(const struct vg_finding_draft *d, const struct vg_geo *geo,
			     struct vg_occurrence *o) VG_WUR;
void vg_occurrence_free(struct vg_occurrence *o);

/* vg_finding_fold -- what the finding's totals become once o is folded
 * into history (NULL for a new finding) at now_ms: counts add up, first
 * and last seen widen, createdAt and the archived flag are kept. */
struct vg_finding_history vg_finding_fold(const struct vg_occurrence *o, const struct vg_finding_history *history,
					  int64_t now_ms);

/* vg_finding_compose -- write the complete GuardDuty finding JSON for o,
 * folded into history (NULL for a new finding), updated at now_ms. */
void vg_finding_compose(const struct vg_occurrence *o, const struct vg_finding_history *history, int64_t now_ms,
			struct vg_buf *out);

/* vg_finding_template_valid -- true when a finding type's title or
 * description uses only the placeholders detector.h lists. */
bool vg_finding_template_valid(const char *t);

/* The aggregator. */
struct vg_aggregator;
/* vg_aggregator_new -- max_pending bounds the occurrences held between
 * drains; when reached, vg_aggregator_full() turns true and the caller
 * drains early. */
int vg_aggregator_new(struct vg_aggregator **out, size_t max_pending) VG_WUR;
void vg_aggregator_free(struct vg_aggregator *a);
/* vg_aggregator_set_geo -- enrich every later finding's remote address
 * from geo (borrowed; it must outlive the aggregator). */
void vg_aggregator_set_geo(struct vg_aggregator *a, const struct vg_geo *geo);
/* vg_aggregator_emitter -- the callback detectors emit into. */
struct vg_emitter vg_aggregator_emitter(struct vg_aggregator *a);
bool vg_aggregator_full(const struct vg_aggregator *a);
/* vg_aggregator_error -- first allocation failure seen while emitting. */
int vg_aggregator_error(const struct vg_aggregator *a);
/* vg_aggregator_drain -- hand every pending occurrence to cb (borrowed for
 * the call) and empty the aggregator.  Stops at the first non-zero return. */
int vg_aggregator_drain(struct vg_aggregator *a, int (*cb)(void *ctx, const struct vg_occurrence *o), void *ctx);

/* vg_sample_findings -- emit one sample draft of every implemented type
 * with GuardDuty's "GeneratedFinding" placeholders, as CreateSampleFindings
 * does.  types may be NULL for all, or a NULL-terminated list of names;
 * returns the number emitted or VG_EINVAL for an unknown name. */
int vg_sample_findings(const char *const *types, const struct vg_emitter *out);

#endif /* VG_FINDING_FINDING_H */
