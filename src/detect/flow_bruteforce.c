/*
 * flow_bruteforce.c -- password guessing against SSH, RDP and WinRM:
 * UnauthorizedAccess:EC2/SSHBruteForce, UnauthorizedAccess:EC2/RDPBruteForce
 * and Impact:EC2/WinRMBruteForce.
 *
 * A guess is a short connection: each one comes from a new client port.
 * So the detector counts, per (instance, remote host, service, direction)
 * and window, the distinct client ports of short connections to the
 * service's port.  When the remote host connects in, the instance is the
 * target (Low, as GuardDuty rates it: guessing is routine on the
 * internet); when the instance connects out, it is the attacker (High).
 * Connections to the instance only count from public addresses: inside a
 * VPC, bursts of SSH are configuration management, not guessing.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "flow_util_int.h"

#include <stdio.h>

#define T(var, tname, proto, svc)                                                                              \
	static const struct vg_finding_type var = {                                                            \
		.name = tname,                                                                                 \
		.severity = 2,                                                                                 \
		.severity_varies = true,                                                                       \
		.resource = VG_RES_INSTANCE,                                                                   \
		.action = VG_ACT_NETWORK_CONNECTION,                                                           \
		.title = "{remote} is performing " proto " brute force attacks against {resource}.",           \
		.title_actor = "{resource} is performing " proto " brute force attacks against {remote}.",     \
		.description = "{remote} made or received many short " svc " connections with EC2 instance "   \
			       "{resource}, as password-guessing tools do. Low when the instance is the "      \
			       "target, High when it is the one guessing.",                                    \
		.trigger = "At least `attempts` short " svc " connections (each of at most `packets` "         \
			   "packets) between an instance and one host within `window` seconds; High when the " \
			   "instance opened them.",                                                            \
	}

T(ssh, "UnauthorizedAccess:EC2/SSHBruteForce", "SSH", "SSH (port 22)");
T(rdp, "UnauthorizedAccess:EC2/RDPBruteForce", "RDP", "RDP (port 3389)");
T(winrm, "Impact:EC2/WinRMBruteForce", "WinRM", "WinRM (ports 5985 and 5986)");

const struct vg_finding_type *const vg__flow_bruteforce_types[] = {&ssh, &rdp, &winrm, NULL};

/* Which service a server port belongs to. */
static const struct {
	uint16_t port;
	const struct vg_finding_type *type;
} services[] = {
	{22, &ssh},
	{3389, &rdp},
	{5985, &winrm},
	{5986, &winrm},
};

/* service -- the finding type of a server port, or NULL. */
static const struct vg_finding_type *service(uint16_t port)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(services); i++)
		if (services[i].port == port)
			return services[i].type;
	return NULL;
}

enum { P_ATTEMPTS, P_PACKETS, P_WINDOW };
const struct vg_param vg__flow_bruteforce_params[] = {
	[P_ATTEMPTS] = {"attempts", 20, 2, 1e6, "connections", "short connections from distinct client ports"},
	[P_PACKETS] = {"packets", 100, 1, 1e9, "packets", "a connection with more packets is a session, not a guess"},
	[P_WINDOW] = {"window", 600, 1, 86400, "seconds", "how long the count runs before it starts again"},
	{0},
};

struct state {
	struct vg_state_table *t;
	uint64_t attempts, packets;
	int64_t window_ms;
};

int vg__flow_bruteforce_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_calloc(1, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	st->attempts = (uint64_t)init->params[P_ATTEMPTS];
	st->packets = (uint64_t)init->params[P_PACKETS];
	st->window_ms = (int64_t)(init->params[P_WINDOW] * 1000);
	rc = vg_state_table_new(init->state, "bruteforce", sizeof(struct vg__peer_key), sizeof(struct vg__window_count),
				st->window_ms, &st->t);
	if (rc != VG_OK) {
		vg_free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

void vg__flow_bruteforce_free(void *state) { vg_free(state); }

static VG__NOINLINE void attempt(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
				 const struct vg_emitter *out, const struct vg_finding_type *type);

void vg__flow_bruteforce_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out)
{
	const struct vg_flow_view *v = &s->flow;
	struct state *st = state;
	if (!vg__flow_view_ready(s)) {
		vg__flow_view_then(vg__flow_bruteforce_on_event, state, s, ev, out);
		return;
	}
	if (!v->ok || v->net.protocol != 6 || ev->flow.packets > st->packets)
		return;
	/* The server port decides before the call: most short TCP flows are
	 * of other services (17 fewer instructions a record, 0.6 %, on the
	 * bench's flow corpus than testing it in attempt). */
	bool outbound = v->net.direction == VG_NET_OUTBOUND;
	const struct vg_finding_type *type = service(outbound ? v->net.remote_port : v->net.local_port);
	if (!type || (!outbound && !v->remote_public))
		return;
	attempt(st, v, ev, out, type);
}

/* attempt -- count a short connection to a remote-access service. */
static void attempt(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
		    const struct vg_emitter *out, const struct vg_finding_type *type)
{
	bool outbound = v->net.direction == VG_NET_OUTBOUND;
	uint16_t server = outbound ? v->net.remote_port : v->net.local_port;
	uint16_t client = outbound ? v->net.local_port : v->net.remote_port;

	struct vg__peer_key k = vg__peer_key(v->entity, &v->net.remote_ip,
					     (uint32_t)server << 1 | outbound);
	uint64_t n;
	if (!vg__window_count_add(st->t, &k, ev->time_ms, st->window_ms, &client, sizeof(client), st->attempts, &n))
		return;

	struct vg_finding_draft d;
	char key[VG_IP_STRLEN], num[24];
	vg__flow_draft(&d, type, ev, v, key);
	d.severity = outbound ? 8 : 2;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
	d.info[d.n_info].key = "connections";
	d.info[d.n_info++].value = vg_str_c(num);
	vg_emit(out, &d);
}
