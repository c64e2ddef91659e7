/*
 * flow_util.c -- a flow record as the instance sees it (flow_util_int.h).
 */
#include "../vg.h"
#include "flow_util_int.h"
#include "state.h"

enum { TCP_SYN = 2, TCP_SYNACK = 18 }; /* tcp-flags bits: SYN, SYN and ACK */

/* opener_is_src -- did the source of this record open the connection? */
static bool opener_is_src(const struct vg_flow *f)
{
	if (f->protocol == 6 && f->tcp_flags) {
		/* tcp-flags ORs the flags of the capture window: SYN alone means
		 * the source sent the first packet; SYN-ACK that it answered. */
		if ((f->tcp_flags & TCP_SYNACK) == TCP_SYNACK)
			return false;
		if (f->tcp_flags & TCP_SYN)
			return true;
	}
	if (f->src_port != f->dst_port)
		return f->dst_port < f->src_port;
	return true;
}

/* Whether an address is public: -1 until asked, then 0 or 1. */
static bool public_once(const struct vg_ip *ip, int *memo)
{
	if (*memo < 0)
		*memo = vg_ip_is_public(ip);
	return *memo;
}

const struct vg_flow_view *vg__flow_view_make(struct vg_detect_scratch *s, const struct vg_event *ev)
{
	const struct vg_flow *f = &ev->flow;
	struct vg_flow_view *v = &s->flow;
	memset(v, 0, sizeof(*v));
	v->seq = s->seq;
	if (ev->source != VG_SRC_VPCFLOW || f->status != VG_FLOW_OK || !f->src.family || !f->dst.family)
		return NULL;
	/* Without flow-direction, which end is public decides; the remote
	 * end's answer is then known already. */
	int src_public = -1, dst_public = -1;
	if (f->direction == VG_FLOW_EGRESS)
		v->local_is_src = true;
	else if (f->direction == VG_FLOW_INGRESS)
		v->local_is_src = false;
	else
		v->local_is_src = public_once(&f->dst, &dst_public) || !public_once(&f->src, &src_public);
	struct vg_net_detail *n = &v->net;
	n->local_ip = v->local_is_src ? f->src : f->dst;
	n->remote_ip = v->local_is_src ? f->dst : f->src;
	n->local_port = v->local_is_src ? f->src_port : f->dst_port;
	n->remote_port = v->local_is_src ? f->dst_port : f->src_port;
	n->protocol = f->protocol;
	n->blocked = f->action == VG_FLOW_REJECT;
	n->direction = opener_is_src(f) == v->local_is_src ? VG_NET_OUTBOUND : VG_NET_INBOUND;
	v->remote_public = v->local_is_src ? public_once(&f->dst, &dst_public) : public_once(&f->src, &src_public);
	v->entity = vg__flow_entity(ev, &n->local_ip);
	v->ok = true;
	return v;
}

void vg__flow_draft(struct vg_finding_draft *d, const struct vg_finding_type *t, const struct vg_event *ev,
		    const struct vg_flow_view *v, char *key)
{
	memset(d, 0, sizeof(*d));
	d->type = t;
	d->ev = ev;
	d->net = v->net;
	d->resource_role = v->net.direction == VG_NET_OUTBOUND ? "ACTOR" : "TARGET";
	vg_ip_format(&v->net.remote_ip, key);
	d->key_extra = vg_str_c(key);
}

uint64_t vg__flow_entity(const struct vg_event *ev, const struct vg_ip *local)
{
	struct vg_str id = ev->source == VG_SRC_DNS ? ev->dns.instance_id : ev->flow.instance_id;
	if (vg_str_empty(id))
		id = ev->flow.interface_id;
	if (!vg_str_empty(id))
		return vg_hash64(id.p, id.n, 0x766967696c);
	return vg_hash64(local->b, sizeof(local->b), 0x766967696c);
}

bool vg__window_count_add(struct vg_state_table *t, const void *key, int64_t now_ms, int64_t window_ms,
			  const void *item, size_t len, uint64_t threshold, uint64_t *n)
{
	struct vg__window_count *c = vg_state_get(t, key, now_ms, NULL);
	if (!c)
		return false;
	if (vg__window_roll(&c->w, now_ms, window_ms))
		memset(&c->seen, 0, sizeof(c->seen));
	if (c->w.reported || !vg_distinct_add(&c->seen, item, len))
		return false;
	*n = vg_distinct_count(&c->seen);
	if (*n < threshold)
		return false;
	c->w.reported = true;
	return true;
}
