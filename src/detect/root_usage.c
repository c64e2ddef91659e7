/*
 * root_usage.c -- Policy:IAMUser/RootCredentialUsage and
 * Policy:IAMUser/ShortTermRootCredentialUsage.
 *
 * Any request made as the root user, management or S3 data event, whether
 * it succeeded or not: a refused call still proves someone holds the root
 * credentials.  Calls an AWS service makes on the root user's behalf
 * (userIdentity.invokedBy) are not the root user acting and are skipped.
 * Sessions from sts:AssumeRoot (centralized root access) are the
 * short-term variant.  Findings aggregate per access key, or per principal
 * for console sign-ins, which carry no key.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

static const struct vg_finding_type root_usage = {
	.name = "Policy:IAMUser/RootCredentialUsage",
	.severity = 2,
	.resource = VG_RES_ACCESS_KEY,
	.action = VG_ACT_AWS_API_CALL,
	.title = "API {api} was invoked using root credentials.",
	.description = "An API was invoked using root credentials {resource} by {actor}. "
		       "AWS recommends locking the root user away and using IAM identities instead.",
	.trigger = "Any API request, successful or not, made with the root user's own credentials "
		   "and not by an AWS service on its behalf.",
};

static const struct vg_finding_type short_term_root_usage = {
	.name = "Policy:IAMUser/ShortTermRootCredentialUsage",
	.severity = 2,
	.resource = VG_RES_ACCESS_KEY,
	.action = VG_ACT_AWS_API_CALL,
	.title = "API {api} was invoked using short-term root credentials.",
	.description = "An API was invoked using short-term root credentials {resource} by {actor}, "
		       "obtained through sts:AssumeRoot (centralized root access).",
	.trigger = "Any API request made with short-term root credentials from sts:AssumeRoot "
		   "and not by an AWS service on its behalf.",
};

const struct vg_finding_type *const vg__root_usage_types[] = {&root_usage, &short_term_root_usage, NULL};

void vg__root_usage_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out)
{
	if (!vg_str_eqc(ev->actor.type, "Root") || !vg_str_empty(ev->actor.invoked_by))
		return;
	struct vg_finding_draft d = {
		.type = ev->actor.assumed_root ? &short_term_root_usage : &root_usage,
		.ev = ev,
	};
	vg_emit(out, &d);
}
