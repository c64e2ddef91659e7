/*
 * s3_logging.c -- Stealth:S3/ServerAccessLoggingDisabled.
 *
 * s3:PutBucketLogging with a BucketLoggingStatus that has no LoggingEnabled
 * member is how server access logging is switched off (the console, CLI
 * and SDKs all send an empty status).  A request without any
 * BucketLoggingStatus is not judged: its intent is not in the record.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

static const struct vg_finding_type access_logging_disabled = {
	.name = "Stealth:S3/ServerAccessLoggingDisabled",
	.severity = 2,
	.resource = VG_RES_S3_BUCKET,
	.action = VG_ACT_AWS_API_CALL,
	.title = "S3 server access logging was disabled for S3 bucket {resource}.",
	.description = "S3 server access logging was disabled for S3 bucket {resource} by {actor}. "
		       "Requests to the bucket are no longer logged.",
	.trigger = "A successful s3:PutBucketLogging whose BucketLoggingStatus has no LoggingEnabled member.",
};

const struct vg_finding_type *const vg__s3_logging_types[] = {&access_logging_disabled, NULL};

void vg__s3_logging_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out)
{
	struct vg_json status, enabled;
	if (!vg__ct_succeeded(ev) || !vg__ct_is(ev, VG__CT_S3, "PutBucketLogging") || !ev->api.request)
		return;
	if (!vg_json_get(ev->api.request, "BucketLoggingStatus", &status) ||
	    vg_json_type(&status) != VG_JSON_OBJECT)
		return;
	if (vg_json_get(&status, "LoggingEnabled", &enabled) && vg_json_type(&enabled) != VG_JSON_NULL)
		return;

	struct vg_finding_draft d = {.type = &access_logging_disabled, .ev = ev};
	d.bucket = vg__ct_request_str(ev, "bucketName");
	vg_emit(out, &d);
}
