/*
 * dns_exfil.c -- Trojan:EC2/DNSDataExfiltration: data smuggled out in
 * query names (DNS tunnelling).
 *
 * A tunnel encodes data in the labels in front of a domain the attacker
 * runs, so each query is a new, long, random-looking name under the same
 * registrable domain.  The detector counts, per (instance, registrable
 * domain) and window, the distinct names whose leading labels are long
 * and high in entropy, and reports when they reach the threshold.  A few
 * services do the same legitimately (AWS endpoints, CDNs, anti-virus
 * reputation look-ups); their domains are excepted below.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "dns_util_int.h"
#include "flow_util_int.h"
#include "../enrich/domain.h"

#include <stdio.h>

static const struct vg_finding_type exfil = {
	.name = "Trojan:EC2/DNSDataExfiltration",
	.severity = 8,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_DNS_REQUEST,
	.title = "Data exfiltration through DNS queries from EC2 instance {resource}.",
	.description = "EC2 instance {resource} sent many queries under one domain whose names look like encoded "
		       "data, such as {domain}. This is how DNS tunnels smuggle data past firewalls.",
	.trigger = "At least `names` distinct names under one domain within `window` seconds whose labels in front of "
		   "the domain are at least `length` characters long with an entropy of at least `entropy` bits per "
		   "character.",
};

const struct vg_finding_type *const vg__dns_exfil_types[] = {&exfil, NULL};

enum { P_NAMES, P_LENGTH, P_ENTROPY, P_WINDOW };
const struct vg_param vg__dns_exfil_params[] = {
	[P_NAMES] = {"names", 20, 2, 1e9, "names", "distinct encoded-looking names under one domain"},
	[P_LENGTH] = {"length", 30, 8, 253, "characters", "least length of the labels in front of the domain"},
	[P_ENTROPY] = {"entropy", 3.5, 0, 8, "bits", "least Shannon entropy per character of those labels"},
	[P_WINDOW] = {"window", 600, 1, 86400, "seconds", "how long the count runs before it starts again"},
	{0},
};

/* Domains whose services put hashes in names by design. */
static const char *const excepted[] = {
	"amazonaws.com", "aws", "cloudfront.net", "akamaiedge.net", "akamai.net", "edgekey.net",
	"sophosxl.net",  "spamhaus.org", "spamcop.net", "mcafee.com", "trendmicro.com", "in-addr.arpa",
	"ip6.arpa",
};

struct state {
	struct vg_state_table *t;
	uint64_t names;
	size_t length;
	double entropy;
	int64_t window_ms;
};

int vg__dns_exfil_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_calloc(1, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	st->names = (uint64_t)init->params[P_NAMES];
	st->length = (size_t)init->params[P_LENGTH];
	st->entropy = init->params[P_ENTROPY];
	st->window_ms = (int64_t)(init->params[P_WINDOW] * 1000);
	rc = vg_state_table_new(init->state, "dns_exfil", sizeof(struct vg__peer_key), sizeof(struct vg__window_count),
				st->window_ms, &st->t);
	if (rc != VG_OK) {
		vg_free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

void vg__dns_exfil_free(void *state) { vg_free(state); }

void vg__dns_exfil_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			    const struct vg_emitter *out)
{
	struct state *st = state;
	const struct vg_dns_name *n = vg__dns_name(s, ev);
	if (!n || n->sub.n < st->length)
		return;
	/* The dots a tunnel inserts every 63 characters carry no data. */
	if (vg_str_entropy(n->sub) < st->entropy)
		return;
	for (size_t i = 0; i < VG_ARRAY_LEN(excepted); i++)
		if (vg_str_eqc(n->registrable, excepted[i]))
			return;

	struct vg__peer_key k = {vg__flow_entity(ev, &ev->src_ip),
				 vg_hash64(n->registrable.p, n->registrable.n, 0x646e73)};
	uint64_t count;
	if (!vg__window_count_add(st->t, &k, ev->time_ms, st->window_ms, n->sub.p, n->sub.n, st->names, &count))
		return;

	struct vg_finding_draft d;
	char num[24];
	vg__dns_draft(&d, &exfil, ev, n);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)count);
	d.info[d.n_info].key = "distinctNames";
	d.info[d.n_info++].value = vg_str_c(num);
	vg_emit(out, &d);
}
