/*
 * flow_util_int.h -- a flow record as the instance sees it.
 *
 * A VPC flow record names a source and a destination; network findings
 * talk about the instance's side (local) and the other side (remote), and
 * about who opened the connection.  Every flow detector asks the same
 * questions, so they are answered once here.  Shared within detect/ only.
 */
#ifndef VG_DETECT_FLOW_UTIL_INT_H
#define VG_DETECT_FLOW_UTIL_INT_H

#include "../vg.h"
#include "../core/event.h"
#include "detector.h"
#include "state.h"

/* How the flow detectors' on_event are built: most records fail a
 * detector's first tests, so on_event is those tests on the shared view
 * and a tail call to the rest (a VG__NOINLINE function), and an event
 * whose view is not made yet goes through vg__flow_view_then, also a tail
 * call.  With no call that returns, on_event saves and restores no
 * registers and sets up no frame (with the dispatch loop's locals in
 * registry.c, 29 fewer instructions a record, 1.1 %, on the bench's flow
 * corpus; with the entity memo in flow_util.c, 2.9 %).
 *
 *	if (!vg__flow_view_ready(s)) {
 *		vg__flow_view_then(this_on_event, state, s, ev, out);
 *		return;
 *	}
 *	if (!s->flow.ok || ...first tests...)
 *		return;
 *	rest(st, &s->flow, ev, out);
 */
#if defined(__GNUC__)
#define VG__NOINLINE __attribute__((noinline))
#else
#define VG__NOINLINE
#endif

typedef void vg__flow_on_event_fn(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out);

/* vg__flow_view_ready -- whether s->flow is the view of the current event
 * (its ok member then says whether it carries traffic). */
static inline bool vg__flow_view_ready(const struct vg_detect_scratch *s) { return s->flow.seq == s->seq; }

/* vg__flow_view_then -- make the view of ev, then call fn as on_event. */
void vg__flow_view_then(vg__flow_on_event_fn *fn, void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			const struct vg_emitter *out);

/* vg__flow_view_make -- compute the view of s's current event (what
 * vg__flow_view does on an event's first call). */
const struct vg_flow_view *vg__flow_view_make(struct vg_detect_scratch *s, const struct vg_event *ev);

/* vg__flow_view -- the event as the instance sees it, computed on the
 * first call for an event and shared by the detectors after it.  NULL for
 * records that carry no traffic (NODATA, SKIPDATA, no addresses).
 *
 * Which end is the instance: the flow-direction field when the log has it
 * (egress: the source), else the end that is not publicly routable, else
 * the source.  Who opened the connection: TCP flags when logged (a record
 * whose packets carry SYN without ACK comes from the opener; SYN-ACK from
 * the responder), else the lower port is the service and its peer opened
 * the connection (ephemeral ports are high on every common OS).  Six
 * detectors ask per record, so the answer after the first is inline. */
static inline const struct vg_flow_view *vg__flow_view(struct vg_detect_scratch *s, const struct vg_event *ev)
{
	if (s->flow.seq == s->seq)
		return s->flow.ok ? &s->flow : NULL;
	return vg__flow_view_make(s, ev);
}

/* vg__flow_draft -- a draft of type t for a flow event with the view's
 * network detail filled in and the remote address as the aggregation key
 * part (key must hold VG_IP_STRLEN bytes and outlive the emit call). */
void vg__flow_draft(struct vg_finding_draft *d, const struct vg_finding_type *t, const struct vg_event *ev,
		    const struct vg_flow_view *v, char *key);

/* vg__flow_entity -- a 64-bit name for the instance of a flow or DNS
 * event: its instance id, else its network interface, else its address.
 * Keys of per-instance state start with it. */
uint64_t vg__flow_entity(const struct vg_event *ev, const struct vg_ip *local);

/* A key of per-(instance, peer) state: the instance and a 64-bit name of
 * the peer (its address and whatever else the table keys on, hashed; two
 * peers sharing one is a 2^-64 chance).  Sixteen bytes keep the store's
 * hashing and key comparisons short on the per-record path. */
struct vg__peer_key {
	uint64_t entity;
	uint64_t peer;
};

static inline struct vg__peer_key vg__peer_key(uint64_t entity, const struct vg_ip *ip, uint32_t extra)
{
	_Static_assert(sizeof(ip->b) == 16, "vg_hash64_16 hashes an address");
	struct vg__peer_key k = {entity, extra};
	if (ip)
		k.peer = vg_hash64_16(ip->b, 0x70656572ull ^ extra);
	return k;
}

/* A fixed window: it starts with the first event and restarts with the
 * first event after it has run out.  Events a little out of order fall
 * into the running window. */
struct vg__window {
	int64_t start_ms;
	bool reported;   /* the window already produced its finding */
};

/* vg__window_roll -- true when t_ms starts a new window (the caller then
 * clears its counters). */
static inline bool vg__window_roll(struct vg__window *w, int64_t t_ms, int64_t len_ms)
{
	if (w->start_ms != 0 && t_ms - w->start_ms < len_ms)
		return false;
	w->start_ms = t_ms ? t_ms : 1;
	w->reported = false;
	return true;
}

/* A distinct count per window -- how many different ports, hosts or names
 * a key saw in its running window -- as the value of a state table. */
struct vg__window_count {
	struct vg__window w;
	struct vg_distinct seen;
};

/* vg__window_count_add -- count item under key in t (whose values are
 * struct vg__window_count).  True, with *n the count, when this item
 * makes the window's count reach threshold; once per window. */
bool vg__window_count_add(struct vg_state_table *t, const void *key, int64_t now_ms, int64_t window_ms,
			  const void *item, size_t len, uint64_t threshold, uint64_t *n);

#endif /* VG_DETECT_FLOW_UTIL_INT_H */
