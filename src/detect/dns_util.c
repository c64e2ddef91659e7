/*
 * dns_util.c -- the query name worked out once per event (dns_util_int.h).
 */
#include "../vg.h"
#include "dns_util_int.h"
#include "state.h"
#include "../enrich/domain.h"
#include "../enrich/intel.h"
#include "dga.h"

static struct vg_str registrable(const struct vg_psl *psl, struct vg_dns_name *n)
{
	uint64_t h = vg_hash64(n->name.p, n->name.n, 0x70736c) | 1;
	struct vg_dns_cached *c = &n->cache[(h >> 32) & (VG_DNS_SUFFIX_CACHE - 1)];
	if (c->hash != h || c->len != n->name.n) {
		struct vg_str r = vg_domain_registrable(psl, n->name);
		c->hash = h;
		c->len = (uint8_t)n->name.n;
		c->start = (uint8_t)(n->name.n - r.n);
		c->dga = -1;
	}
	n->cached = c;
	return (struct vg_str){n->name.p + c->start, n->name.n - c->start};
}

const struct vg_dns_name *vg__dns_name(struct vg_detect_scratch *s, const struct vg_event *ev)
{
	struct vg_dns_name *n = &s->dns;
	if (ev->source != VG_SRC_DNS)
		return NULL;
	if (n->seq != s->seq) {
		n->seq = s->seq;
		size_t len = vg_domain_normalize(ev->dns.query_name, n->buf, sizeof(n->buf));
		n->ok = len > 0;
		n->name = (struct vg_str){n->buf, len};
		n->cached = NULL;
		n->registrable = n->ok ? registrable(s->psl, n) : n->name;
		n->sub = n->ok ? vg_domain_subpart(n->name, n->registrable) : n->name;
		n->dga_done = n->listed_done = false;
	}
	return n->ok ? n : NULL;
}

double vg__dns_dga(struct vg_detect_scratch *s)
{
	struct vg_dns_name *n = &s->dns;
	if (!n->dga_done) {
		if (n->cached && n->cached->dga >= 0) {
			n->dga = n->cached->dga;
		} else {
			n->dga = vg_dga_score(NULL, n->registrable);
			if (n->cached)
				n->cached->dga = n->dga;
		}
		n->dga_done = true;
	}
	return n->dga;
}

bool vg__dns_listed(struct vg_detect_scratch *s, const struct vg_intel *intel, struct vg_intel_hit *hit)
{
	struct vg_dns_name *n = &s->dns;
	if (!n->listed_done) {
		struct vg_intel_hit h = {NULL, {NULL, 0}};
		bool listed = intel && vg_intel_domain(intel, n->name, &h);
		n->list = listed ? h.list : NULL;
		n->threat_name = h.threat_name;
		n->listed_done = true;
	}
	*hit = (struct vg_intel_hit){n->list, n->threat_name};
	return n->list != NULL;
}

void vg__dns_draft(struct vg_finding_draft *d, const struct vg_finding_type *t, const struct vg_event *ev,
		   const struct vg_dns_name *n)
{
	memset(d, 0, sizeof(*d));
	d->type = t;
	d->ev = ev;
	d->domain = n->name;
	d->domain_with_suffix = n->registrable;
	d->key_extra = n->registrable;
	d->net.local_ip = ev->src_ip;
	d->net.blocked = vg_str_eqc(ev->dns.firewall_action, "BLOCK");
}
