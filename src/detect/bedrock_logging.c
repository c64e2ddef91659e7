/*
 * bedrock_logging.c -- DefenseEvasion:IAMUser/BedrockLoggingDisabled.
 *
 * A successful bedrock:DeleteModelInvocationLoggingConfiguration: after it,
 * prompts and completions of the account's models are no longer recorded,
 * which is what someone abusing the models would want first.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

static const struct vg_finding_type bedrock_logging_disabled = {
	.name = "DefenseEvasion:IAMUser/BedrockLoggingDisabled",
	.severity = 5,
	.resource = VG_RES_ACCESS_KEY,
	.action = VG_ACT_AWS_API_CALL,
	.title = "Amazon Bedrock model invocation logging was disabled with access key {resource}.",
	.description = "Amazon Bedrock model invocation logging was turned off with access key {resource} by {actor}. "
		       "Model use in this Region is no longer recorded.",
	.trigger = "A successful bedrock:DeleteModelInvocationLoggingConfiguration call.",
};

const struct vg_finding_type *const vg__bedrock_logging_types[] = {&bedrock_logging_disabled, NULL};

void vg__bedrock_logging_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out)
{
	if (!vg__ct_succeeded(ev) ||
	    !vg__ct_is(ev, "bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration"))
		return;
	struct vg_finding_draft d = {.type = &bedrock_logging_disabled, .ev = ev};
	vg_emit(out, &d);
}
