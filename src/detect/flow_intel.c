/*
 * flow_intel.c -- instances talking to addresses on threat lists.
 *
 * Seven GuardDuty types come from one question asked of every flow: is
 * the remote, publicly routable address on a list?  The list's category
 * picks the type (one table); Tor lists are split by who opened the
 * connection: an instance that connects out to Tor nodes is a Tor client,
 * one that accepts connections from them is acting as a relay.  Rejected
 * flows count too (the instance tried) and are marked blocked.  Lists of
 * the malware, phishing, dga and scanner categories make no flow finding:
 * GuardDuty has no such flow type (scanners feed the port-probe types).
 */
#include "../vg.h"
#include "detectors_int.h"
#include "flow_util_int.h"
#include "intel_cache_int.h"

#define T(var, tname, sev, title_, desc_, trig)                                                         \
	static const struct vg_finding_type var = {                                                    \
		.name = tname,                                                                         \
		.severity = sev,                                                                       \
		.resource = VG_RES_INSTANCE,                                                           \
		.action = VG_ACT_NETWORK_CONNECTION,                                                   \
		.title = title_,                                                                       \
		.description = desc_,                                                                  \
		.trigger = trig,                                                                       \
	}

T(tor_client, "UnauthorizedAccess:EC2/TorClient", 8,
  "EC2 instance {resource} is making connections to Tor Guard or Authority nodes.",
  "EC2 instance {resource} opened a connection to {remote}, a node of the Tor anonymity network. This can be an attempt to "
  "reach resources anonymously or to hide where traffic goes.",
  "An instance opens a connection to an address on a `tor` list.");
T(tor_relay, "UnauthorizedAccess:EC2/TorRelay", 8,
  "EC2 instance {resource} is communicating with the Tor network as a Tor relay.",
  "EC2 instance {resource} accepted a connection from {remote}, a Tor node, on port {port}, as Tor relays do. Running a "
  "relay may be unauthorized and carries other users' traffic.",
  "An instance accepts a connection opened by an address on a `tor` list.");
T(custom, "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", 5,
  "EC2 instance {resource} is communicating with a disallowed IP address {remote}.",
  "EC2 instance {resource} is communicating with {remote}, an address on a custom threat list.",
  "Traffic between an instance and an address on a `custom` list.");
T(mining, "CryptoCurrency:EC2/BitcoinTool.B", 8,
  "EC2 instance {resource} is communicating with a cryptocurrency-related IP address {remote}.",
  "EC2 instance {resource} is communicating with {remote}, an address associated with cryptocurrency mining. Unless the "
  "instance is meant to mine, it may be compromised.",
  "Traffic between an instance and an address on a `mining` list.");
T(c2, "Backdoor:EC2/C&CActivity.B", 8,
  "EC2 instance {resource} is communicating with a known command and control server {remote}.",
  "EC2 instance {resource} is communicating with {remote}, a known command and control server. The instance may be "
  "compromised and controlled by an attacker.",
  "Traffic between an instance and an address on a `c2` list.");
T(blackhole, "Trojan:EC2/BlackholeTraffic", 5,
  "EC2 instance {resource} is attempting to communicate with a black hole IP address {remote}.",
  "EC2 instance {resource} is trying to communicate with {remote}, a black hole (sinkhole) address. Malware that lost "
  "its server often does this.",
  "Traffic between an instance and an address on a `blackhole` list.");
T(droppoint, "Trojan:EC2/DropPoint", 5,
  "EC2 instance {resource} is communicating with a malware drop point {remote}.",
  "EC2 instance {resource} is communicating with {remote}, known to hold credentials and other data stolen by malware.",
  "Traffic between an instance and an address on a `droppoint` list.");

const struct vg_finding_type *const vg__flow_intel_types[] = {
	&tor_client, &tor_relay, &custom, &mining, &c2, &blackhole, &droppoint, NULL};

/* The type per list category; NULL where flows make no finding. */
static const struct vg_finding_type *const by_category[] = {
	[VG_CAT_CUSTOM] = &custom,
	[VG_CAT_MINING] = &mining,
	[VG_CAT_C2] = &c2,
	[VG_CAT_BLACKHOLE] = &blackhole,
	[VG_CAT_DROPPOINT] = &droppoint,
};

static VG__NOINLINE void look_up(struct vg_detect_scratch *s, const struct vg_flow_view *v, const struct vg_event *ev,
				  const struct vg_emitter *out);

void vg__flow_intel_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out)
{
	const struct vg_flow_view *v = &s->flow;
	if (!s->ip_cache)
		return; /* no threat lists */
	if (!vg__flow_view_ready(s)) {
		vg__flow_view_then(vg__flow_intel_on_event, state, s, ev, out);
		return;
	}
	if (!v->ok || !v->remote_public)
		return;
	look_up(s, v, ev, out);
}

/* look_up -- report a public remote address on a threat list. */
static void look_up(struct vg_detect_scratch *s, const struct vg_flow_view *v, const struct vg_event *ev,
		    const struct vg_emitter *out)
{
	struct vg_intel_hit hit;
	if (!vg__intel_cached_ip(s, &v->net.remote_ip, &hit))
		return;
	const struct vg_finding_type *t = NULL;
	enum vg_intel_category cat = hit.list->category;
	if (cat == VG_CAT_TOR) {
		if (v->net.direction == VG_NET_OUTBOUND)
			t = &tor_client;
		else if (!v->net.blocked) /* a rejected inbound attempt is no relaying */
			t = &tor_relay;
	} else if ((size_t)cat < VG_ARRAY_LEN(by_category)) {
		t = by_category[cat];
	}
	if (!t)
		return;
	struct vg_finding_draft d;
	char key[VG_IP_STRLEN];
	vg__flow_draft(&d, t, ev, v, key);
	vg__intel_evidence(&d, &hit);
	vg_emit(out, &d);
}
