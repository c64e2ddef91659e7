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

/* The instance of network and DNS samples, with GuardDuty's placeholder
 * values (instance i-99999999, interface eni-bfcffe88). */
static void sample_network_event(const struct vg_event *base, struct vg_event *ev, enum vg_source source)
{
	*ev = *base;
	ev->source = source;
	ev->src_ip.family = 0;
	ev->flow.instance_id = ev->dns.instance_id = VG_STR_LIT("i-99999999");
	ev->flow.interface_id = VG_STR_LIT("eni-bfcffe88");
	ev->flow.subnet_id = VG_STR_LIT("GeneratedFindingSubnetId");
	ev->flow.vpc_id = ev->dns.vpc_id = VG_STR_LIT("GeneratedFindingVPCId");
	ev->dns.query_name = VG_STR_LIT("GeneratedFindingDomainName.");
	ev->dns.transport = VG_STR_LIT("UDP");
	if (source == VG_SRC_DNS && vg_ip_parse(VG_STR_LIT("10.0.0.1"), &ev->src_ip) != VG_OK)
		ev->src_ip.family = 0;
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
	struct vg_event ev, flow, dns;
	struct vg_net_detail net = {.local_port = 22, .remote_port = 32794, .protocol = 6,
				    .direction = VG_NET_INBOUND};
	sample_event(&ev);
	sample_network_event(&ev, &flow, VG_SRC_VPCFLOW);
	sample_network_event(&ev, &dns, VG_SRC_DNS);
	if (vg_ip_parse(VG_STR_LIT("10.0.0.1"), &net.local_ip) != VG_OK ||
	    vg_ip_parse(VG_STR_LIT("198.51.100.0"), &net.remote_ip) != VG_OK)
		return VG_EINVAL; /* constant text: cannot happen */
	for (size_t i = 0; i < n; i++) {
		enum vg_action_kind act = types[i]->action;
		struct vg_finding_draft d = {
			.type = types[i],
			.ev = act == VG_ACT_DNS_REQUEST ? &dns : act == VG_ACT_AWS_API_CALL ? &ev : &flow,
			.net = net,
			.probe_ports = {22},
			.n_probes = 1,
			.domain = VG_STR_LIT("GeneratedFindingDomainName"),
			.domain_with_suffix = VG_STR_LIT("GeneratedFindingDomainName"),
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
