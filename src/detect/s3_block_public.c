/*
 * s3_block_public.c -- Policy:S3/AccountBlockPublicAccessDisabled and
 * Policy:S3/BucketBlockPublicAccessDisabled.
 *
 * S3 Block Public Access has four switches.  A Put*PublicAccessBlock that
 * leaves any of them off (false, or absent, which S3 reads as false) or a
 * Delete*PublicAccessBlock weakens the guard against public buckets.  A
 * Put without any PublicAccessBlockConfiguration is not judged: the record
 * does not say what was set.
 *
 * The account-level type keeps GuardDuty's resource type, S3Bucket, but
 * has no bucket to name: the draft's bucket is left empty and the finding
 * stage then omits s3BucketDetails and names the access key instead.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

static const struct vg_finding_type account_bpa_disabled = {
	.name = "Policy:S3/AccountBlockPublicAccessDisabled",
	.severity = 2,
	.resource = VG_RES_S3_BUCKET,
	.action = VG_ACT_AWS_API_CALL,
	.title = "Amazon S3 Block Public Access was disabled for the account, using credentials {resource}.",
	.description = "Amazon S3 Block Public Access was turned off or weakened for the whole account "
		       "with credentials {resource} by {actor}. Buckets can now be made public by policies or ACLs.",
	.trigger = "A successful PutAccountPublicAccessBlock that leaves any of the four settings off, "
		   "or DeleteAccountPublicAccessBlock.",
};

static const struct vg_finding_type bucket_bpa_disabled = {
	.name = "Policy:S3/BucketBlockPublicAccessDisabled",
	.severity = 2,
	.resource = VG_RES_S3_BUCKET,
	.action = VG_ACT_AWS_API_CALL,
	.title = "Amazon S3 Block Public Access was disabled for S3 bucket {resource}.",
	.description = "Amazon S3 Block Public Access was turned off or weakened for S3 bucket {resource} by {actor}. "
		       "The bucket can now be made public by its policy or ACLs.",
	.trigger = "A successful PutBucketPublicAccessBlock that leaves any of the four settings off, "
		   "or DeleteBucketPublicAccessBlock.",
};

const struct vg_finding_type *const vg__s3_block_public_types[] = {&account_bpa_disabled, &bucket_bpa_disabled,
								   NULL};

struct bpa_call {
	const char *name;                  /* eventName */
	const struct vg_finding_type *type;
	bool is_delete;                    /* removes the whole configuration */
	bool per_bucket;                   /* requestParameters.bucketName names the bucket */
};

static const struct bpa_call calls[] = {
	{"PutAccountPublicAccessBlock", &account_bpa_disabled, false, false},
	{"DeleteAccountPublicAccessBlock", &account_bpa_disabled, true, false},
	{"PutBucketPublicAccessBlock", &bucket_bpa_disabled, false, true},
	{"DeleteBucketPublicAccessBlock", &bucket_bpa_disabled, true, true},
};

/* CloudTrail logs the account-level calls (an S3 Control API) under either
 * service name depending on the endpoint. */
static const char *const services[] = {VG__CT_S3, "s3-control.amazonaws.com"};

static const char *const switches[] = {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
				       "RestrictPublicBuckets"};

static const struct bpa_call *find_call(const struct vg_event *ev)
{
	bool s3 = false;
	for (size_t i = 0; i < VG_ARRAY_LEN(services) && !s3; i++)
		s3 = vg_str_eqc(ev->api.service, services[i]);
	for (size_t i = 0; s3 && i < VG_ARRAY_LEN(calls); i++)
		if (vg_str_eqc(ev->api.name, calls[i].name))
			return &calls[i];
	return NULL;
}

void vg__s3_block_public_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out)
{
	const struct bpa_call *c;
	char off[128];
	size_t off_n = 0;

	if (!vg__ct_succeeded(ev) || !(c = find_call(ev)))
		return;
	struct vg_finding_draft d = {.type = c->type, .ev = ev};
	if (c->per_bucket)
		d.bucket = vg__ct_request_str(ev, "bucketName");

	if (c->is_delete) {
		vg__ct_info_add(&d, "publicAccessBlock", VG_STR_LIT("deleted"));
		vg_emit(out, &d);
		return;
	}

	struct vg_json conf;
	if (!ev->api.request || !vg_json_get(ev->api.request, "PublicAccessBlockConfiguration", &conf) ||
	    vg_json_type(&conf) != VG_JSON_OBJECT)
		return;
	for (size_t i = 0; i < VG_ARRAY_LEN(switches); i++) {
		bool on = false;
		if (vg__ct_flag(&conf, switches[i], &on) && on)
			continue;
		size_t n = strlen(switches[i]);
		if (off_n + n + 1 >= sizeof(off))
			break; /* cannot happen: the four names fit */
		if (off_n)
			off[off_n++] = ',';
		memcpy(off + off_n, switches[i], n);
		off_n += n;
	}
	if (off_n == 0)
		return;
	vg__ct_info_add(&d, "disabledSettings", (struct vg_str){off, off_n});
	vg_emit(out, &d);
}
