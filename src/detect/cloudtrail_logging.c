/*
 * cloudtrail_logging.c -- Stealth:IAMUser/CloudTrailLoggingDisabled.
 *
 * A successful cloudtrail:StopLogging or cloudtrail:DeleteTrail.  Each
 * trail is its own finding: the trail name is the extra aggregation key, so
 * stopping two trails with one key gives two findings.  Selector and
 * UpdateTrail changes are left to rules: they narrow logging rather than
 * turn it off, and telling which do needs the trail's earlier state.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

static const struct vg_finding_type logging_disabled = {
	.name = "Stealth:IAMUser/CloudTrailLoggingDisabled",
	.severity = 2,
	.resource = VG_RES_ACCESS_KEY,
	.action = VG_ACT_AWS_API_CALL,
	.title = "AWS CloudTrail trail was disabled with {api}.",
	.description = "A CloudTrail trail was stopped or deleted with access key {resource} by {actor}. "
		       "Attackers disable logging to remove the trace of what they do next.",
	.trigger = "A successful cloudtrail:StopLogging or cloudtrail:DeleteTrail call; one finding per trail.",
};

const struct vg_finding_type *const vg__cloudtrail_logging_types[] = {&logging_disabled, NULL};

/* The calls that turn a trail off. */
static const char *const stop_calls[] = {"StopLogging", "DeleteTrail"};

/* trail_name -- the trail's name from a name or an ARN
 * (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME), so that both spellings of
 * one trail aggregate together. */
static struct vg_str trail_name(struct vg_str s)
{
	if (!vg_str_prefix(s, "arn:"))
		return s;
	for (size_t i = s.n; i > 0; i--)
		if (s.p[i - 1] == '/')
			return (struct vg_str){s.p + i, s.n - i};
	return s;
}

void vg__cloudtrail_logging_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				     const struct vg_emitter *out)
{
	bool hit = false;
	if (!vg__ct_succeeded(ev))
		return;
	for (size_t i = 0; i < VG_ARRAY_LEN(stop_calls) && !hit; i++)
		hit = vg__ct_is(ev, "cloudtrail.amazonaws.com", stop_calls[i]);
	if (!hit)
		return;

	struct vg_finding_draft d = {.type = &logging_disabled, .ev = ev};
	d.key_extra = trail_name(vg__ct_request_str(ev, "name"));
	vg__ct_info_add(&d, "trailName", d.key_extra);
	vg_emit(out, &d);
}
