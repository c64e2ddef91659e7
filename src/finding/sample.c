/*
 * sample.c -- sample findings, as GuardDuty's CreateSampleFindings makes
 * them: one per type, filled with "GeneratedFinding" placeholders and
 * marked sample in additionalInfo.  They go through the same composition
 * as real findings, so they exercise the real output path.
 */
#include "../vg.h"
#include "finding.h"
#include "../core/time.h"
#include "../detect/engine.h"

#define MAX_TYPES 256

static void sample_event(struct vg_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->source = VG_SRC_CLOUDTRAIL;
	ev->time_ms = vg_time_now_ms();
	ev->account = VG_STR_LIT("123456789012");
	ev->region = VG_STR_LIT("us-east-1");
	ev->actor.type = VG_STR_LIT("IAMUser");
	ev->actor.principal_id = VG_STR_LIT("GeneratedFindingPrincipalId");
	ev->actor.arn = VG_STR_LIT("arn:aws:iam::123456789012:user/GeneratedFindingUserName");
	ev->actor.account = ev->account;
	ev->actor.access_key_id = VG_STR_LIT("GeneratedFindingAccessKeyId");
	ev->actor.user_name = VG_STR_LIT("GeneratedFindingUserName");
	ev->api.service = VG_STR_LIT("GeneratedFindingAPIServiceName");
	ev->api.name = VG_STR_LIT("GeneratedFindingAPIName");
	ev->api.source_ip_text = VG_STR_LIT("198.51.100.1");
	if (vg_ip_parse(ev->api.source_ip_text, &ev->src_ip) != VG_OK)
		ev->src_ip.family = 0;
	ev->user_agent = VG_STR_LIT("GeneratedFindingUserAgent");
	ev->file = "sample";
}

int vg_sample_findings(const char *const *names, const struct vg_emitter *out)
{
	const struct vg_finding_type *types[MAX_TYPES];
	size_t n = 0;
	if (names) {
		for (; names[n]; n++) {
			if (n == MAX_TYPES || !(types[n] = vg_finding_type_find(names[n])))
				return VG_EINVAL;
		}
	} else {
		n = vg_finding_type_all(types, MAX_TYPES);
	}
	struct vg_event ev;
	sample_event(&ev);
	for (size_t i = 0; i < n; i++) {
		struct vg_finding_draft d = {
			.type = types[i],
			.ev = &ev,
			.bucket = VG_STR_LIT("generatedfindingbucketname"),
			.threat_list = VG_STR_LIT("GeneratedFindingThreatListName"),
			.threat_name = VG_STR_LIT("GeneratedFindingThreatName"),
			.info = {{"sample", VG_STR_LIT("true")}},
			.n_info = 1,
		};
		vg_emit(out, &d);
	}
	return (int)n;
}
