/*
 * dns_intel.c -- instances looking up domains on threat lists.
 *
 * Eight GuardDuty types come from one question asked of every query: is
 * the name, or a domain it belongs to, on a list?  The list's category
 * picks the type (one table).  A query the DNS Firewall blocked still
 * shows what the instance tried and is reported, marked blocked.
 * Trusted IP lists do not apply to DNS findings, as in GuardDuty.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "dns_util_int.h"
#include "intel_cache_int.h"

#define T(var, tname, sev, title_, what, cat)                                                           \
	static const struct vg_finding_type var = {                                                    \
		.name = tname,                                                                         \
		.severity = sev,                                                                       \
		.resource = VG_RES_INSTANCE,                                                           \
		.action = VG_ACT_DNS_REQUEST,                                                          \
		.title = title_,                                                                       \
		.description = "EC2 instance {resource} queried {domain}, " what ".",                  \
		.trigger = "An instance queries a name on (or under a domain on) a `" cat "` list.",   \
	}

T(c2, "Backdoor:EC2/C&CActivity.B!DNS", 8, "EC2 instance {resource} is querying a domain name associated with a known command and control server.",
  "a domain of a known command and control server; the instance may be compromised", "c2");
T(mining, "CryptoCurrency:EC2/BitcoinTool.B!DNS", 8, "EC2 instance {resource} is querying a domain name that is associated with Bitcoin or other cryptocurrency-related activity.",
  "a domain associated with cryptocurrency mining; unless the instance is meant to mine, it may be compromised", "mining");
T(blackhole, "Trojan:EC2/BlackholeTraffic!DNS", 5, "EC2 instance {resource} is querying a domain name that is being redirected to a black hole IP address.",
  "a domain redirected to a black hole (sinkhole) address, as malware that lost its server does", "blackhole");
T(droppoint, "Trojan:EC2/DropPoint!DNS", 5, "EC2 instance {resource} is querying a domain name of a remote host that is known to hold data captured by malware.",
  "a domain known to hold credentials and other data stolen by malware", "droppoint");
T(phishing, "Trojan:EC2/PhishingDomainRequest!DNS", 8, "EC2 instance {resource} is querying domains involved in phishing attacks.",
  "a domain involved in phishing; the instance may host or take part in a phishing campaign", "phishing");
T(driveby, "Trojan:EC2/DriveBySourceTraffic!DNS", 8, "EC2 instance {resource} is querying a domain name of a remote host that is a known source of Drive-By download attacks.",
  "a domain known to serve drive-by downloads; the instance may be infected", "malware");
T(dga, "Trojan:EC2/DGADomainRequest.C!DNS", 8, "EC2 instance {resource} is querying algorithmically generated domains.",
  "a known algorithmically generated domain; malware uses such names to find its server", "dga");
T(custom, "Impact:EC2/MaliciousDomainRequest.Custom", 5, "EC2 instance {resource} is querying a domain on a custom threat list.",
  "a domain on a custom threat list", "custom");

const struct vg_finding_type *const vg__dns_intel_types[] = {&c2,      &mining, &blackhole, &droppoint,
							     &phishing, &driveby, &dga,      &custom, NULL};

/* The type per list category; NULL where DNS makes no finding. */
static const struct vg_finding_type *const by_category[] = {
	[VG_CAT_CUSTOM] = &custom,    [VG_CAT_MINING] = &mining,       [VG_CAT_C2] = &c2,
	[VG_CAT_MALWARE] = &driveby,  [VG_CAT_PHISHING] = &phishing,   [VG_CAT_BLACKHOLE] = &blackhole,
	[VG_CAT_DROPPOINT] = &droppoint, [VG_CAT_DGA] = &dga,
};

void vg__dns_intel_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			    const struct vg_emitter *out)
{
	const struct vg_intel *intel = state;
	const struct vg_dns_name *n;
	struct vg_intel_hit hit;
	if (!intel || (n = vg__dns_name(s, ev)) == NULL || !vg__dns_listed(s, intel, &hit))
		return;
	enum vg_intel_category cat = hit.list->category;
	const struct vg_finding_type *t = (size_t)cat < VG_ARRAY_LEN(by_category) ? by_category[cat] : NULL;
	if (!t)
		return;
	struct vg_finding_draft d;
	vg__dns_draft(&d, t, ev, n);
	vg__intel_evidence(&d, &hit);
	vg_emit(out, &d);
}

int vg__dns_intel_init(void **out, const struct vg_detect_init *init)
{
	/* Nothing of its own: the state is the lists, borrowed. */
	*out = (void *)init->cfg->intel;
	return VG_OK;
}
