/*
 * flow_dos.c -- an instance flooding a host: Backdoor:EC2/DenialOfService
 * .Tcp, .Udp, .UdpOnTcpPorts, .Dns and .UnusualProtocol.
 *
 * Counts the packets an instance sends to one public address per window,
 * separately per kind of traffic; when they reach the threshold the kind
 * names the type: UDP to port 53 is a DNS flood (often reflection), UDP
 * to a port only TCP services use is a flood that ignores the service,
 * and protocols EC2 workloads do not speak (IGMP and the like) are
 * unusual.  ICMP floods have no GuardDuty type and are not counted.
 * Traffic to AWS's own services (pkt-dst-aws-service, logged from
 * version 5) is left out: a busy S3 reader sends millions of ACKs to S3,
 * which is no attack.  Elsewhere, and in version 2 logs that name no
 * service, a download is told from a TCP flood by what comes back: the
 * instance's ACKs are a few dozen bytes for every 1-2 full segments it
 * receives, so an exchange in which it received `download_ratio` times
 * the bytes it sent, in records of full segments, is a download.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "flow_util_int.h"
#include "../core/netnames.h"

#include <stdio.h>

#define T(var, tname, what, trig)                                                                       \
	static const struct vg_finding_type var = {                                                    \
		.name = tname,                                                                         \
		.severity = 8,                                                                         \
		.resource = VG_RES_INSTANCE,                                                           \
		.action = VG_ACT_NETWORK_CONNECTION,                                                   \
		.title = "EC2 instance {resource} is behaving in a manner that may indicate it is being used "  \
			 "to perform a Denial of Service (DoS) attack using " what ".",                       \
		.description = "EC2 instance {resource} sent a large volume of " what " to {remote}. The "     \
			       "instance may be compromised and part of a DoS attack.",                       \
		.trigger = "An instance sends at least `packets` packets of " trig " to one public address "   \
			   "within `window` seconds.",                                                        \
	}

T(dos_tcp, "Backdoor:EC2/DenialOfService.Tcp", "the TCP protocol",
  "TCP, unless it received `download_ratio` times the bytes it sent from that address in the window (a download)");
T(dos_udp, "Backdoor:EC2/DenialOfService.Udp", "the UDP protocol", "UDP (other than below)");
T(dos_udp_tcp, "Backdoor:EC2/DenialOfService.UdpOnTcpPorts", "the UDP protocol on a TCP port",
  "UDP to a port of a TCP-only service (22, 23, 80, 443, 445, 3306, 3389, 5432, 8080, ...)");
T(dos_dns, "Backdoor:EC2/DenialOfService.Dns", "the DNS protocol", "UDP to port 53");
T(dos_unusual, "Backdoor:EC2/DenialOfService.UnusualProtocol", "an unusual protocol",
  "a protocol other than TCP, UDP, ICMP, GRE, ESP and AH");

const struct vg_finding_type *const vg__flow_dos_types[] = {&dos_tcp, &dos_udp, &dos_udp_tcp, &dos_dns, &dos_unusual,
							    NULL};

/* Ports whose services speak only TCP (sorted). */
static const uint16_t tcp_only_ports[] = {21, 22, 23, 25, 80, 110, 143, 443, 445, 993, 995, 1433,
					  3306, 3389, 5432, 5900, 5985, 5986, 6379, 8080, 8443, 9200, 27017};

static bool tcp_only(uint16_t port)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(tcp_only_ports) && tcp_only_ports[i] <= port; i++)
		if (tcp_only_ports[i] == port)
			return true;
	return false;
}

enum kind { K_NONE, K_TCP, K_UDP, K_UDP_TCP, K_DNS, K_UNUSUAL };

static const struct vg_finding_type *const kind_types[] = {
	[K_TCP] = &dos_tcp, [K_UDP] = &dos_udp, [K_UDP_TCP] = &dos_udp_tcp, [K_DNS] = &dos_dns,
	[K_UNUSUAL] = &dos_unusual,
};

/* kind -- what a flood of this traffic would be. */
static enum kind kind(uint8_t proto, uint16_t remote_port)
{
	switch (proto) {
	case VG_PROTO_TCP: return K_TCP;
	case VG_PROTO_UDP: return remote_port == 53 ? K_DNS : tcp_only(remote_port) ? K_UDP_TCP : K_UDP;
	case VG_PROTO_ICMP:
	case VG_PROTO_ICMPV6:
	case 47: /* GRE */
	case 50: /* ESP */
	case 51: /* AH: VPN traffic */
		return K_NONE;
	default: return K_UNUSUAL;
	}
}

/* Bytes a packet at least, on average, in the records of a download
 * (full segments are 1,200-1,500 bytes; requests and ACKs far less). */
#define DOWNLOAD_SEGMENT 512

enum { P_PACKETS, P_WINDOW, P_DOWNLOAD_RATIO };
const struct vg_param vg__flow_dos_params[] = {
	[P_PACKETS] = {"packets", 1000000, 1, 1e15, "packets", "packets sent to one address that make a flood"},
	[P_WINDOW] = {"window", 600, 1, 86400, "seconds", "how long the count runs before it starts again"},
	[P_DOWNLOAD_RATIO] = {"download_ratio", 20, 1, 1e6, "times",
			      "bytes received per byte sent that make a TCP exchange a download"},
	{0},
};

struct counter {
	struct vg__window w;
	uint64_t packets, bytes;
	uint64_t bytes_in; /* TCP: bytes received from the address in the window */
};

struct state {
	struct vg_state_table *t;
	uint64_t packets;
	int64_t window_ms;
	double download_ratio;
};

int vg__flow_dos_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_calloc(1, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	st->packets = (uint64_t)init->params[P_PACKETS];
	st->window_ms = (int64_t)(init->params[P_WINDOW] * 1000);
	st->download_ratio = init->params[P_DOWNLOAD_RATIO];
	rc = vg_state_table_new(init->state, "dos", sizeof(struct vg__peer_key), sizeof(struct counter),
				st->window_ms, &st->t);
	if (rc != VG_OK) {
		vg_free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

void vg__flow_dos_free(void *state) { vg_free(state); }

static VG__NOINLINE void count(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
				const struct vg_emitter *out);

void vg__flow_dos_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			   const struct vg_emitter *out)
{
	const struct vg_flow_view *v = &s->flow;
	struct state *st = state;
	if (!vg__flow_view_ready(s)) {
		vg__flow_view_then(vg__flow_dos_on_event, state, s, ev, out);
		return;
	}
	if (!v->ok || !v->remote_public || ev->flow.packets == 0)
		return;
	count(st, v, ev, out);
}

/* count -- count a record with a public remote end. */
static void count(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
		  const struct vg_emitter *out)
{
	struct counter *c;
	if (!v->local_is_src) {
		/* What comes back is counted only for a TCP exchange already being
		 * counted (found, not created: an inbound record makes no entry),
		 * and only in records of full segments, as a download's are: the
		 * rest (requests, ACKs) would cost a look-up each for nothing. */
		if (v->net.protocol != VG_PROTO_TCP || ev->flow.bytes < DOWNLOAD_SEGMENT * ev->flow.packets)
			return;
		struct vg__peer_key k = vg__peer_key(v->entity, &v->net.remote_ip, K_TCP);
		if ((c = vg_state_find(st->t, &k)) != NULL && ev->time_ms - c->w.start_ms < st->window_ms)
			c->bytes_in += ev->flow.bytes;
		return;
	}
	if (!vg_str_empty(ev->flow.pkt_dst_service))
		return;
	enum kind kd = kind(v->net.protocol, v->net.remote_port);
	if (kd == K_NONE)
		return;
	struct vg__peer_key k = vg__peer_key(v->entity, &v->net.remote_ip, kd);
	if ((c = vg_state_get(st->t, &k, ev->time_ms, NULL)) == NULL)
		return;
	if (vg__window_roll(&c->w, ev->time_ms, st->window_ms))
		c->packets = c->bytes = c->bytes_in = 0;
	c->packets += ev->flow.packets;
	c->bytes += ev->flow.bytes;
	if (c->w.reported || c->packets < st->packets ||
	    (kd == K_TCP && (double)c->bytes_in >= st->download_ratio * (double)c->bytes))
		return;
	c->w.reported = true;

	struct vg_finding_draft d;
	char key[VG_IP_STRLEN], pk[24], by[24];
	vg__flow_draft(&d, kind_types[kd], ev, v, key);
	d.resource_role = "ACTOR";
	snprintf(pk, sizeof(pk), "%llu", (unsigned long long)c->packets);
	snprintf(by, sizeof(by), "%llu", (unsigned long long)c->bytes);
	d.info[d.n_info].key = "packets";
	d.info[d.n_info++].value = vg_str_c(pk);
	d.info[d.n_info].key = "bytes";
	d.info[d.n_info++].value = vg_str_c(by);
	vg_emit(out, &d);
}
