/*
 * intel_ip.c -- CloudTrail calls from addresses on threat lists.
 *
 * Nine GuardDuty types come from one question: is the caller's address on
 * a list?  Which type answers depends on the list's category (Tor, a
 * customer list, or any other threat category) and on what the call does
 * (detect/api_class.h): list and describe calls are Recon, other
 * management calls UnauthorizedAccess, and S3 data calls Discovery,
 * Exfiltration or Impact.  One table holds that mapping.  Lists apply to
 * publicly routable addresses only, as GuardDuty's do.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "api_class.h"
#include "ct_util_int.h"
#include "intel_cache_int.h"
#include "../enrich/intel.h"

#define T(var, tname, sev, res, title_, what)                                                          \
	static const struct vg_finding_type var = {                                                    \
		.name = tname,                                                                         \
		.severity = sev,                                                                       \
		.resource = res,                                                                       \
		.action = VG_ACT_AWS_API_CALL,                                                         \
		.title = title_,                                                                       \
		.description = "API {api} was invoked with {resource} by {actor} from " what ".",      \
		.trigger = "A CloudTrail call whose source address is on " what ".",                   \
	}

#define TOR "a Tor exit node"
#define BAD "a known malicious IP address (a threat list of category mining, c2, malware, phishing, blackhole, droppoint or scanner)"
#define CUSTOM "an IP address on a custom threat list"

T(iam_tor_recon, "Recon:IAMUser/TorIPCaller", 5, VG_RES_ACCESS_KEY, "A reconnaissance API was invoked from a Tor exit node.", TOR " (list and describe calls)");
T(iam_tor, "UnauthorizedAccess:IAMUser/TorIPCaller", 5, VG_RES_ACCESS_KEY, "An API was invoked from a Tor exit node.", TOR " (calls other than list and describe)");
T(s3_tor_discovery, "Discovery:S3/TorIPCaller", 5, VG_RES_S3_BUCKET, "An S3 discovery API was invoked from a Tor exit node.", TOR " (S3 data discovery calls)");
T(s3_tor, "UnauthorizedAccess:S3/TorIPCaller", 8, VG_RES_S3_BUCKET, "An S3 API was invoked from a Tor exit node.", TOR " (other S3 data calls)");
T(iam_bad_recon, "Recon:IAMUser/MaliciousIPCaller", 5, VG_RES_ACCESS_KEY, "A reconnaissance API was invoked from a known malicious IP address.", BAD " (list and describe calls)");
T(iam_bad, "UnauthorizedAccess:IAMUser/MaliciousIPCaller", 5, VG_RES_ACCESS_KEY, "An API was invoked from a known malicious IP address.", BAD " (calls other than list and describe)");
T(s3_bad_discovery, "Discovery:S3/MaliciousIPCaller", 8, VG_RES_S3_BUCKET, "An S3 discovery API was invoked from a known malicious IP address.", BAD " (S3 data discovery calls)");
T(s3_bad_read, "Exfiltration:S3/MaliciousIPCaller", 8, VG_RES_S3_BUCKET, "An S3 API commonly used to exfiltrate data was invoked from a known malicious IP address.", BAD " (S3 reads: GetObject, CopyObject)");
T(s3_bad_write, "Impact:S3/MaliciousIPCaller", 8, VG_RES_S3_BUCKET, "An S3 API commonly used to tamper with data was invoked from a known malicious IP address.", BAD " (S3 writes, deletes and permission changes)");
T(iam_custom_recon, "Recon:IAMUser/MaliciousIPCaller.Custom", 5, VG_RES_ACCESS_KEY, "A reconnaissance API was invoked from an IP address on a custom threat list.", CUSTOM " (list and describe calls)");
T(iam_custom, "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom", 5, VG_RES_ACCESS_KEY, "An API was invoked from an IP address on a custom threat list.", CUSTOM " (calls other than list and describe)");
T(s3_custom_discovery, "Discovery:S3/MaliciousIPCaller.Custom", 8, VG_RES_S3_BUCKET, "An S3 discovery API was invoked from an IP address on a custom threat list.", CUSTOM " (S3 data discovery calls)");
T(s3_custom, "UnauthorizedAccess:S3/MaliciousIPCaller.Custom", 8, VG_RES_S3_BUCKET, "An S3 API was invoked from an IP address on a custom threat list.", CUSTOM " (other S3 data calls)");

const struct vg_finding_type *const vg__intel_ip_types[] = {
	&iam_tor_recon, &iam_tor, &s3_tor_discovery, &s3_tor, &iam_bad_recon, &iam_bad, &s3_bad_discovery,
	&s3_bad_read, &s3_bad_write, &iam_custom_recon, &iam_custom, &s3_custom_discovery, &s3_custom, NULL};

/* What a call does, as far as these types care. */
enum call {
	CALL_IAM_RECON,
	CALL_IAM_OTHER,
	CALL_S3_DISCOVERY,
	CALL_S3_READ,
	CALL_S3_CHANGE, /* write, delete, permission, other */
	N_CALLS,
};

enum family { FAM_TOR, FAM_MALICIOUS, FAM_CUSTOM, N_FAMILIES };

static const struct vg_finding_type *const table[N_FAMILIES][N_CALLS] = {
	[FAM_TOR] = {&iam_tor_recon, &iam_tor, &s3_tor_discovery, &s3_tor, &s3_tor},
	[FAM_MALICIOUS] = {&iam_bad_recon, &iam_bad, &s3_bad_discovery, &s3_bad_read, &s3_bad_write},
	[FAM_CUSTOM] = {&iam_custom_recon, &iam_custom, &s3_custom_discovery, &s3_custom, &s3_custom},
};

static enum call classify(const struct vg_event *ev)
{
	if (!vg__ct_is_s3_data(ev))
		return vg_api_tactic(ev->api.service, ev->api.name) == VG_TACTIC_DISCOVERY ? CALL_IAM_RECON
											    : CALL_IAM_OTHER;
	switch (vg_s3_class(ev->api.name)) {
	case VG_S3_DISCOVERY: return CALL_S3_DISCOVERY;
	case VG_S3_READ: return CALL_S3_READ;
	default: return CALL_S3_CHANGE;
	}
}

static enum family family_of(enum vg_intel_category c)
{
	return c == VG_CAT_TOR ? FAM_TOR : c == VG_CAT_CUSTOM ? FAM_CUSTOM : FAM_MALICIOUS;
}

void vg__intel_ip_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			   const struct vg_emitter *out)
{
	struct vg_intel_hit hit;
	if (!s->ip_cache || !ev->src_ip.family || !vg_ip_is_public(&ev->src_ip) ||
	    !vg__intel_cached_ip(s, &ev->src_ip, &hit))
		return;
	const struct vg_finding_type *type = table[family_of(hit.list->category)][classify(ev)];
	struct vg_finding_draft d = {
		.type = type,
		.ev = ev,
		/* One finding per caller address, as the remote IP is what the
		 * finding is about. */
		.key_extra = ev->api.source_ip_text,
	};
	vg__intel_evidence(&d, &hit);
	if (type->resource == VG_RES_S3_BUCKET)
		d.bucket = vg__ct_request_str(ev, "bucketName");
	vg_emit(out, &d);
}
