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

/* Whether an address is public: -1 until asked, then 0 or 1.  Most
 * records of a VPC are between its own 10/8 addresses, answered here
 * without the call (with the entity memo below, 46 fewer instructions a
 * record, 1.8 %, on the bench's flow corpus). */
static bool public_once(const struct vg_ip *ip, int *memo)
{
	if (*memo < 0)
		*memo = ip->family == 4 && ip->b[12] == 10 ? 0 : vg_ip_is_public(ip);
	return *memo;
}

#define ENTITY_SEED 0x766967696c

/* The entity of an id (instance or interface id), through the scratch's
 * memo when the id has 8 to 24 bytes (ids are 19 or 21): a flow log
 * names the same interfaces record after record (9 records in 10 hit on
 * the bench's corpus), and a hit costs a third of hashing the id.  Three
 * overlapping words cover the id's bytes, so for one length they are a
 * one-to-one function of the bytes, and a hit (same length, same words)
 * is the same id. */
static uint64_t entity_of_id(struct vg_detect_scratch *s, struct vg_str id)
{
	if (id.n < 8 || id.n > 24)
		return vg_hash64(id.p, id.n, ENTITY_SEED);
	uint64_t w0, w1, w2;
	memcpy(&w0, id.p, 8);
	memcpy(&w1, id.p + (id.n > 16 ? 8 : id.n - 8), 8);
	memcpy(&w2, id.p + id.n - 8, 8);
	_Static_assert(VG_ENTITY_MEMO == 1 << 8, "the slot takes 8 bits");
	struct vg_entity_memo *m = &s->entity_memo[((w2 ^ id.n) * 0x9e3779b97f4a7c15ull) >> (64 - 8)];
	if (m->n == id.n && m->w[0] == w0 && m->w[1] == w1 && m->w[2] == w2)
		return m->hash;
	*m = (struct vg_entity_memo){{w0, w1, w2}, vg_hash64(id.p, id.n, ENTITY_SEED), (uint32_t)id.n};
	return m->hash;
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
	/* vg__flow_entity's answer, its id's hash memoized. */
	struct vg_str id = vg_str_empty(f->instance_id) ? f->interface_id : f->instance_id;
	v->entity = vg_str_empty(id) ? vg__flow_entity(ev, &n->local_ip) : entity_of_id(s, id);
	v->ok = true;
	return v;
}

void vg__flow_view_then(vg__flow_on_event_fn *fn, void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			const struct vg_emitter *out)
{
	vg__flow_view_make(s, ev);
	fn(state, s, ev, out);
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
		return vg_hash64(id.p, id.n, ENTITY_SEED);
	return vg_hash64(local->b, sizeof(local->b), ENTITY_SEED);
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
