/*
 * flow_baseline.c -- what an instance does not usually do: Backdoor:EC2/
 * Spambot, Behavior:EC2/NetworkPortUnusual, Behavior:EC2/
 * TrafficVolumeUnusual, DefenseEvasion:EC2/UnusualDNSResolver,
 * UnusualDoHActivity and UnusualDoTActivity.
 *
 * Each instance gets a profile in the state store the first time it
 * talks to the internet: the remote ports it connects to, the public DNS,
 * DoH and DoT servers it uses, and how many bytes it usually sends one
 * host per window.  For the first `learning` days the profile only
 * learns; after that, traffic outside it is reported once per port or
 * server (and then learned).  A profile evicted under memory pressure
 * starts learning again, which can miss activity but never invents it.
 * An instance that uses more remote ports than a profile holds is too
 * varied to call any port unusual, and is not judged on ports.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "flow_util_int.h"
#include "../core/netnames.h"

#include <stdio.h>

#define T(var, tname, sev, title_, desc_, trig)                                                         \
	static const struct vg_finding_type var = {                                                    \
		.name = tname,                                                                         \
		.severity = sev,                                                                       \
		.resource = VG_RES_INSTANCE,                                                           \
		.action = VG_ACT_NETWORK_CONNECTION,                                                   \
		.title = title_,                                                                       \
		.description = desc_,                                                                  \
		.trigger = trig " Only after the instance's `learning` period.",                       \
	}

T(spambot, "Backdoor:EC2/Spambot", 5, "EC2 instance {resource} is behaving in a manner that may indicate it is being used to send spam.",
  "EC2 instance {resource} connected to {remote} on port 25 (SMTP) and has no history of doing so. Compromised "
  "instances are often used to send spam.",
  "An instance connects out to port 25 of a public address and never did before.");
T(port_unusual, "Behavior:EC2/NetworkPortUnusual", 5, "EC2 instance {resource} is communicating on an unusual server port {port}.",
  "EC2 instance {resource} connected to {remote} on remote port {port}, which it has no history of using. High for "
  "LDAP ports 389 and 1389 (a possible log4j callback).",
  "An instance connects out to a remote port of a public address that is not in its profile (at most "
  "`profile_ports` ports); High for 389 and 1389.");
T(volume_unusual, "Behavior:EC2/TrafficVolumeUnusual", 5, "EC2 instance {resource} is generating unusually large amounts of network traffic to remote host {remote}.",
  "EC2 instance {resource} sent far more data to {remote} than it usually sends one host. It may be exfiltrating "
  "data.",
  "An instance sends at least `volume_bytes` bytes and `volume_factor` times its usual per-host volume to one "
  "public address within `window` seconds.");
T(dns_resolver, "DefenseEvasion:EC2/UnusualDNSResolver", 5, "EC2 instance {resource} is communicating with an unusual public DNS resolver {remote}.",
  "EC2 instance {resource} sent DNS queries to {remote}, a public resolver it has not used before, bypassing the VPC "
  "resolver and its logs and firewall.",
  "An instance sends traffic to port 53 of a public address it has not used as a resolver before.");
T(doh, "DefenseEvasion:EC2/UnusualDoHActivity", 5, "EC2 instance {resource} is performing DNS over HTTPS with {remote}.",
  "EC2 instance {resource} connected to the public DNS-over-HTTPS server {remote}, which it has not used before. "
  "Encrypted DNS hides queries from the VPC's DNS logs and firewall.",
  "An instance connects to port 443 of a well-known public DoH resolver it has not used before.");
T(dot, "DefenseEvasion:EC2/UnusualDoTActivity", 5, "EC2 instance {resource} is performing DNS over TLS with {remote}.",
  "EC2 instance {resource} connected to {remote} on port 853 (DNS over TLS), a server it has not used before. "
  "Encrypted DNS hides queries from the VPC's DNS logs and firewall.",
  "An instance connects to port 853 of a public address it has not used before.");

const struct vg_finding_type *const vg__flow_baseline_types[] = {&spambot, &port_unusual, &volume_unusual,
								 &dns_resolver, &doh, &dot, NULL};

enum { P_LEARNING, P_PROFILE_PORTS, P_VOLUME_BYTES, P_VOLUME_FACTOR, P_WINDOW };
const struct vg_param vg__flow_baseline_params[] = {
	[P_LEARNING] = {"learning", 7, 0, 365, "days", "how long an instance's profile learns before it judges"},
	[P_PROFILE_PORTS] = {"profile_ports", 64, 1, 64, "ports", "remote ports a profile holds; more means too varied to judge"},
	[P_VOLUME_BYTES] = {"volume_bytes", 1e9, 1, 1e15, "bytes", "least volume to one host that can be unusual"},
	[P_VOLUME_FACTOR] = {"volume_factor", 10, 1, 1e6, "times", "how far above the usual per-host volume"},
	[P_WINDOW] = {"window", 3600, 60, 86400, "seconds", "the period per-host volumes are counted over"},
	{0},
};

/* Well-known public DoH resolvers (they also answer plain DNS). */
static const char *const doh_servers[] = {
	"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9", "149.112.112.112", "208.67.222.222",
	"208.67.220.220", "94.140.14.14", "94.140.15.15", "185.228.168.9", "185.228.169.9", "76.76.2.0",
	"76.76.10.0", "2606:4700:4700::1111", "2606:4700:4700::1001", "2001:4860:4860::8888",
	"2001:4860:4860::8844", "2620:fe::fe", "2620:fe::9",
};

#define PROFILE_PORTS 64
#define PROFILE_SERVERS 16
#define PROFILE_TTL_MS (30 * 86400 * 1000LL)

struct profile {
	int64_t first_ms;                 /* when the instance was first seen */
	double volume_mean;               /* usual bytes to one host per window (moving average) */
	uint32_t volume_windows;          /* windows the average has seen */
	uint16_t ports[PROFILE_PORTS];    /* remote ports connected to */
	uint32_t servers[PROFILE_SERVERS];/* DNS/DoH/DoT servers used: hash of kind and address */
	uint8_t n_ports, n_servers;
	bool ports_full;                  /* more ports than fit: too varied to judge */
};

struct volume {
	struct vg__window w;
	uint64_t bytes;
};

struct state {
	struct vg_state_table *profiles; /* entity -> profile */
	struct vg_state_table *volumes;  /* (entity, remote) -> volume */
	struct vg_ip doh[VG_ARRAY_LEN(doh_servers)];
	uint64_t doh_last;               /* bit (last byte % 64) of each: most addresses fail this one test */
	int64_t learning_ms, window_ms;
	unsigned profile_ports;
	double volume_bytes, volume_factor;
};

int vg__flow_baseline_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_calloc(1, sizeof(*st));
	int rc = VG_OK;
	if (!st)
		return VG_ENOMEM;
	st->learning_ms = (int64_t)(init->params[P_LEARNING] * 86400 * 1000);
	st->profile_ports = (unsigned)init->params[P_PROFILE_PORTS];
	st->volume_bytes = init->params[P_VOLUME_BYTES];
	st->volume_factor = init->params[P_VOLUME_FACTOR];
	st->window_ms = (int64_t)(init->params[P_WINDOW] * 1000);
	for (size_t i = 0; i < VG_ARRAY_LEN(doh_servers) && rc == VG_OK; i++) {
		rc = vg_ip_parse(vg_str_c(doh_servers[i]), &st->doh[i]);
		st->doh_last |= 1ull << (st->doh[i].b[15] % 64);
	}
	if (rc == VG_OK)
		rc = vg_state_table_new(init->state, "profile", sizeof(uint64_t), sizeof(struct profile),
					PROFILE_TTL_MS, &st->profiles);
	if (rc == VG_OK)
		rc = vg_state_table_new(init->state, "volume", sizeof(struct vg__peer_key), sizeof(struct volume),
					st->window_ms, &st->volumes);
	if (rc != VG_OK) {
		vg_free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

void vg__flow_baseline_free(void *state) { vg_free(state); }

static bool is_doh(const struct state *st, const struct vg_ip *ip)
{
	if (!(st->doh_last >> (ip->b[15] % 64) & 1))
		return false;
	for (size_t i = 0; i < VG_ARRAY_LEN(st->doh); i++)
		if (st->doh[i].family == ip->family && memcmp(st->doh[i].b, ip->b, sizeof(ip->b)) == 0)
			return true;
	return false;
}

/* learn_port -- true when port was not in the profile (it is now). */
static bool learn_port(struct profile *p, uint16_t port, unsigned cap)
{
	for (uint8_t i = 0; i < p->n_ports; i++)
		if (p->ports[i] == port)
			return false;
	if (p->n_ports < cap)
		p->ports[p->n_ports++] = port;
	else
		p->ports_full = true;
	return true;
}

/* learn_server -- true when the server was not in the profile.  A full
 * list forgets its oldest entry. */
static bool learn_server(struct profile *p, const struct vg_ip *ip, uint32_t kind)
{
	uint32_t h = (uint32_t)vg_hash64(ip->b, sizeof(ip->b), kind);
	for (uint8_t i = 0; i < p->n_servers; i++)
		if (p->servers[i] == h)
			return false;
	if (p->n_servers == PROFILE_SERVERS)
		memmove(p->servers, p->servers + 1, sizeof(p->servers) - sizeof(p->servers[0]));
	else
		p->n_servers++;
	p->servers[p->n_servers - 1] = h;
	return true;
}

static void report(const struct vg_finding_type *t, const struct vg_event *ev, const struct vg_flow_view *v,
		   double severity, const char *context, const struct vg_emitter *out)
{
	struct vg_finding_draft d;
	char key[VG_IP_STRLEN];
	vg__flow_draft(&d, t, ev, v, key);
	d.severity = severity;
	if (context) {
		d.info[d.n_info].key = "context";
		d.info[d.n_info++].value = vg_str_c(context);
	}
	vg_emit(out, &d);
}

/* The profile's usual volume, which volume() updates. */
struct usual {
	double mean;      /* profile.volume_mean */
	uint32_t windows; /* profile.volume_windows */
};

/* volume -- count bytes sent to the remote host; the moving average in
 * *u learns from every window that closes.  Returns whether entries of
 * the store may have moved (the volume table's get created one, or found
 * no room), which is when the caller's profile pointer must be looked up
 * again. */
static bool volume(struct state *st, struct usual *u, uint64_t entity, bool judge, const struct vg_event *ev,
		   const struct vg_flow_view *v, const struct vg_emitter *out)
{
	struct vg__peer_key k = vg__peer_key(entity, &v->net.remote_ip, 0);
	uint64_t before = 0;
	bool created;
	struct volume *vol = vg_state_get(st->volumes, &k, ev->time_ms, &created);
	if (!vol)
		return true;
	before = vol->bytes;
	if (vg__window_roll(&vol->w, ev->time_ms, st->window_ms)) {
		if (before) {
			u->windows++;
			u->mean += ((double)before - u->mean) / (u->windows < 20 ? u->windows : 20);
		}
		vol->bytes = 0;
	}
	vol->bytes += ev->flow.bytes;
	if (!judge || vol->w.reported || u->windows == 0 || (double)vol->bytes < st->volume_bytes ||
	    (double)vol->bytes < st->volume_factor * u->mean)
		return created;
	vol->w.reported = true;
	report(&volume_unusual, ev, v, 0, NULL, out);
	return created;
}

static VG__NOINLINE void sent(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
			       const struct vg_emitter *out);

void vg__flow_baseline_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				const struct vg_emitter *out)
{
	const struct vg_flow_view *v = &s->flow;
	struct state *st = state;
	if (!vg__flow_view_ready(s)) {
		vg__flow_view_then(vg__flow_baseline_on_event, state, s, ev, out);
		return;
	}
	/* What the instance sends tells all a profile needs (the remote
	 * ports it connects to, the bytes it sends); the records of the
	 * answers coming back repeat it. */
	if (!v->ok || !v->remote_public || v->net.blocked || !v->local_is_src)
		return;
	sent(st, v, ev, out);
}

/* sent -- learn from, and judge, what the instance sent. */
static void sent(struct state *st, const struct vg_flow_view *v, const struct vg_event *ev,
		 const struct vg_emitter *out)
{
	uint64_t entity = v->entity;
	bool created;
	struct profile *p = vg_state_get(st->profiles, &entity, ev->time_ms, &created);
	if (!p)
		return;
	if (created)
		p->first_ms = ev->time_ms;
	bool judge = ev->time_ms - p->first_ms >= st->learning_ms;

	/* Creating a volume entry may move p, or evict it: the average goes
	 * through a copy, and p is looked up again when entries may have
	 * moved (a get of a present key moves nothing, state.h). */
	struct usual u = {p->volume_mean, p->volume_windows};
	if (volume(st, &u, entity, judge, ev, v, out) && (p = vg_state_find(st->profiles, &entity)) == NULL)
		return;
	p->volume_mean = u.mean;
	p->volume_windows = u.windows;
	if (v->net.direction != VG_NET_OUTBOUND)
		return;

	uint16_t port = v->net.remote_port;
	const struct vg_finding_type *server_type = NULL;
	if (port == 53)
		server_type = &dns_resolver;
	else if (port == 853 && v->net.protocol == VG_PROTO_TCP)
		server_type = &dot;
	else if (port == 443 && v->net.protocol == VG_PROTO_TCP && is_doh(st, &v->net.remote_ip))
		server_type = &doh;
	if (server_type && learn_server(p, &v->net.remote_ip, port) && judge)
		report(server_type, ev, v, 0, NULL, out);

	bool was_full = p->ports_full;
	if (!learn_port(p, port, st->profile_ports) || !judge || was_full)
		return;
	if (port == 25)
		report(&spambot, ev, v, 0, NULL, out);
	else if (port == 389 || port == 1389)
		report(&port_unusual, ev, v, 8, "Possible log4j callback", out);
	else if (!p->ports_full && !server_type)
		report(&port_unusual, ev, v, 0, NULL, out);
}
