/*
 * dns_rebind.c -- UnauthorizedAccess:EC2/MetadataDNSRebind.
 *
 * DNS rebinding against the instance metadata service: a name the
 * attacker controls resolves to 169.254.169.254 (or the IPv6 endpoint
 * fd00:ec2::254), so code on the instance that fetches "their" URL reads
 * the instance's credentials instead.  Route 53 query logs carry the
 * answers, so the detector looks at them.  Names inside the VPC's own
 * zones (*.internal, and the bare "instance-data" EC2 resolves the same
 * way) point there legitimately and are left alone.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "dns_util_int.h"

static const struct vg_finding_type rebind = {
	.name = "UnauthorizedAccess:EC2/MetadataDNSRebind",
	.severity = 8,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_DNS_REQUEST,
	.title = "EC2 instance {resource} is performing DNS lookups that resolve to the instance metadata service.",
	.description = "EC2 instance {resource} looked up {domain}, which resolves to the instance metadata service "
		       "address. This is DNS rebinding: code on the instance may be tricked into handing out the "
		       "instance's credentials.",
	.trigger = "A query answered with 169.254.169.254 or fd00:ec2::254 for a name outside *.internal.",
};

const struct vg_finding_type *const vg__dns_rebind_types[] = {&rebind, NULL};

static bool is_metadata(const struct vg_ip *ip)
{
	static const uint8_t v4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 169, 254};
	static const uint8_t v6[16] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
	return memcmp(ip->b, ip->family == 4 ? v4 : v6, 16) == 0;
}

void vg__dns_rebind_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out)
{
	const struct vg_dns_name *n;
	bool hit = false;
	for (uint8_t i = 0; i < ev->dns.n_answer_ips && !hit; i++)
		hit = is_metadata(&ev->dns.answer_ip[i]);
	if (!hit || (n = vg__dns_name(s, ev)) == NULL)
		return;
	if (vg_str_eqc(n->name, "instance-data") || vg_str_eqc(n->registrable, "internal") ||
	    (n->name.n > 9 && memcmp(n->name.p + n->name.n - 9, ".internal", 9) == 0))
		return;
	struct vg_finding_draft d;
	vg__dns_draft(&d, &rebind, ev, n);
	vg_emit(out, &d);
}
