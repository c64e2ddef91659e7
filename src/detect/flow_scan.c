/*
 * flow_scan.c -- an instance scanning others: Recon:EC2/Portscan (many
 * ports of one host) and Impact:EC2/PortSweep (one port of many public
 * hosts).
 *
 * Both count, per window, the distinct ports (or hosts) an instance opens
 * connections to -- accepted or rejected, since a scan mostly hits closed
 * ports -- and report once per window when the count reaches the
 * threshold.  Only probes count: flows of a few packets (a SYN and its
 * answer, a refused datagram); a flow that carries a conversation is the
 * instance using a service, which keeps busy clients out of the tables.  The counts live in the bounded state store with a sketch
 * that is exact up to 32 and estimated beyond (about 9 % error), so the
 * default thresholds are decided exactly and a host sweeping the internet
 * costs a fixed 160 bytes of state per key.  Sweeps leave out the ports
 * every instance talks to many hosts on (DNS, NTP, the web): a crawler is
 * no worm.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "flow_util_int.h"

#include <stdio.h>

static const struct vg_finding_type portscan = {
	.name = "Recon:EC2/Portscan",
	.severity = 5,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_NETWORK_CONNECTION,
	.title = "EC2 instance {resource} is performing outbound port scans against remote host {remote}.",
	.description = "EC2 instance {resource} opened connections to many ports of {remote} in a short time, as port "
		       "scanners do. The instance may be compromised and used for reconnaissance.",
	.trigger = "An instance sends probes (flows of at most `packets` packets) to at least `ports` distinct ports "
		   "of one host within `window` seconds.",
};

static const struct vg_finding_type portsweep = {
	.name = "Impact:EC2/PortSweep",
	.severity = 8,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_NETWORK_CONNECTION,
	.title = "EC2 instance {resource} is probing port {port} on a large number of IP addresses.",
	.description = "EC2 instance {resource} opened connections to port {port} of many public addresses in a short "
		       "time, as worms and vulnerability scanners do.",
	.trigger = "An instance sends probes (flows of at most `packets` packets) to one port (not 53, 80, 123 or "
		   "443) of at least `hosts` distinct public addresses within `window` seconds.",
};

const struct vg_finding_type *const vg__flow_scan_types[] = {&portscan, &portsweep, NULL};

enum { P_PORTS, P_HOSTS, P_PACKETS, P_WINDOW };
const struct vg_param vg__flow_scan_params[] = {
	[P_PORTS] = {"ports", 25, 2, 65536, "ports", "distinct ports of one host that make a port scan"},
	[P_HOSTS] = {"hosts", 32, 2, 1e9, "hosts", "distinct public hosts on one port that make a port sweep"},
	[P_PACKETS] = {"packets", 5, 1, 1e9, "packets", "a flow with more packets is a conversation, not a probe"},
	[P_WINDOW] = {"window", 600, 1, 86400, "seconds", "how long both counts run before they start again"},
	{0},
};

struct state {
	struct vg_state_table *by_host; /* (instance, remote host) -> ports */
	struct vg_state_table *by_port; /* (instance, remote port) -> hosts */
	uint64_t ports, hosts, packets;
	int64_t window_ms;
};

int vg__flow_scan_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_calloc(1, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	st->ports = (uint64_t)init->params[P_PORTS];
	st->hosts = (uint64_t)init->params[P_HOSTS];
	st->packets = (uint64_t)init->params[P_PACKETS];
	st->window_ms = (int64_t)(init->params[P_WINDOW] * 1000);
	if ((rc = vg_state_table_new(init->state, "portscan", sizeof(struct vg__peer_key), sizeof(struct vg__window_count),
				     st->window_ms, &st->by_host)) != VG_OK ||
	    (rc = vg_state_table_new(init->state, "portsweep", sizeof(struct vg__peer_key), sizeof(struct vg__window_count),
				     st->window_ms, &st->by_port)) != VG_OK) {
		vg_free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

void vg__flow_scan_free(void *state) { vg_free(state); /* the tables belong to the store */ }

static void report(const struct vg_finding_type *t, const struct vg_event *ev, const struct vg_flow_view *v,
		   const char *what, uint64_t n, const struct vg_emitter *out)
{
	struct vg_finding_draft d;
	char key[VG_IP_STRLEN], num[24], port[8];
	vg__flow_draft(&d, t, ev, v, key);
	if (t == &portsweep) {
		/* One finding per swept port, whoever the last host was. */
		snprintf(port, sizeof(port), "%u", (unsigned)v->net.remote_port);
		d.key_extra = vg_str_c(port);
	}
	snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
	d.info[d.n_info].key = what;
	d.info[d.n_info++].value = vg_str_c(num);
	vg_emit(out, &d);
}

static VG__NOINLINE void probe(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
				const struct vg_emitter *out);

void vg__flow_scan_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			    const struct vg_emitter *out)
{
	const struct vg_flow_view *v = &s->flow;
	struct state *st = state;
	if (!vg__flow_view_ready(s)) {
		vg__flow_view_then(vg__flow_scan_on_event, state, s, ev, out);
		return;
	}
	/* The probes the instance sends; the answers' records (remote to
	 * instance) name the same ports and would only cost look-ups. */
	if (!v->ok || v->net.direction != VG_NET_OUTBOUND || !v->local_is_src || v->net.protocol == 1 ||
	    ev->flow.packets > st->packets)
		return; /* ICMP has no ports to scan */
	probe(st, v, ev, out);
}

/* probe -- count a probe the instance sent. */
static void probe(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
		  const struct vg_emitter *out)
{
	uint64_t n;
	uint64_t entity = v->entity;

	struct vg__peer_key k = vg__peer_key(entity, &v->net.remote_ip, 0);
	uint16_t port = v->net.remote_port;
	if (vg__window_count_add(st->by_host, &k, ev->time_ms, st->window_ms, &port, sizeof(port), st->ports, &n))
		report(&portscan, ev, v, "distinctPorts", n, out);

	if (!v->remote_public || port == 53 || port == 80 || port == 123 || port == 443)
		return; /* a sweep is of the internet; inside the VPC it is discovery */
	k = vg__peer_key(entity, NULL, (uint32_t)port << 8 | v->net.protocol);
	if (vg__window_count_add(st->by_port, &k, ev->time_ms, st->window_ms, v->net.remote_ip.b, sizeof(v->net.remote_ip.b), st->hosts,
		  &n))
		report(&portsweep, ev, v, "distinctHosts", n, out);
}
