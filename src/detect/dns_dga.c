/*
 * dns_dga.c -- Trojan:EC2/DGADomainRequest.B: an instance looking up
 * names a domain generation algorithm made.
 *
 * Malware that finds its server through a DGA tries many generated names
 * a day, nearly all unregistered, until one answers.  So the detector
 * counts, per instance and window, the distinct registrable domains the
 * classifier (detect/dga.h, trained offline by `vigil train dga`) calls
 * generated -- by default only those that did not resolve -- and reports
 * when they reach the threshold.  One odd-looking name is not enough:
 * the classifier is tuned for 0.5 % false positives per name, and a busy
 * host looks up thousands of names.  `score` moves that point: the
 * model's header (dga_model.c) lists the held-out recall and false
 * positives at other scores.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "dga.h"
#include "dns_util_int.h"
#include "flow_util_int.h"

#include <stdio.h>

static const struct vg_finding_type dga = {
	.name = "Trojan:EC2/DGADomainRequest.B",
	.severity = 8,
	.resource = VG_RES_INSTANCE,
	.action = VG_ACT_DNS_REQUEST,
	.title = "EC2 instance {resource} is querying algorithmically generated domains.",
	.description = "EC2 instance {resource} looked up several names that look algorithmically generated, such as "
		       "{domain}. Malware uses domain generation algorithms to find its command and control server; "
		       "the instance may be compromised.",
	.trigger = "At least `names` distinct registrable domains the DGA classifier scores at `score` or above "
		   "(with `nxdomain` 1, only those answered NXDOMAIN) from one instance within `window` seconds.",
};

const struct vg_finding_type *const vg__dns_dga_types[] = {&dga, NULL};

enum { P_NAMES, P_NXDOMAIN, P_WINDOW, P_SCORE };
const struct vg_param vg__dns_dga_params[] = {
	[P_NAMES] = {"names", 3, 1, 1e6, "names", "distinct generated-looking domains that make a finding"},
	[P_NXDOMAIN] = {"nxdomain", 1, 0, 1, "flag", "1: count only names that did not resolve; 0: every name"},
	[P_WINDOW] = {"window", 3600, 1, 86400 * 7, "seconds", "how long the count runs before it starts again"},
	/* 0 stands for the model's threshold, which is no constant here:
	 * it changes whenever the model is retrained. */
	[P_SCORE] = {"score", 0, 0, 1, "score",
		     "classifier score from which a name counts toward this finding; 0: the model's threshold, "
		     "set for 0.5 % of benign names (the operating points are in src/detect/dga_model.c)"},
	{0},
};

struct state {
	struct vg_state_table *t;
	double score;
	uint64_t names;
	bool nxdomain_only;
	int64_t window_ms;
};

int vg__dns_dga_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_calloc(1, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	st->score = init->params[P_SCORE] > 0 ? init->params[P_SCORE] : vg_dga_builtin.threshold;
	st->names = (uint64_t)init->params[P_NAMES];
	st->nxdomain_only = init->params[P_NXDOMAIN] != 0;
	st->window_ms = (int64_t)(init->params[P_WINDOW] * 1000);
	rc = vg_state_table_new(init->state, "dga", sizeof(uint64_t), sizeof(struct vg__window_count), st->window_ms, &st->t);
	if (rc != VG_OK) {
		vg_free(st);
		return rc;
	}
	*out = st;
	return VG_OK;
}

void vg__dns_dga_free(void *state) { vg_free(state); }

void vg__dns_dga_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			  const struct vg_emitter *out)
{
	struct state *st = state;
	const struct vg_dns_name *n;
	if (st->nxdomain_only && !vg_str_eqc(ev->dns.rcode, "NXDOMAIN"))
		return;
	if ((n = vg__dns_name(s, ev)) == NULL || vg__dns_dga(s) < st->score)
		return;
	uint64_t entity = vg__flow_entity(ev, &ev->src_ip);
	uint64_t count;
	if (!vg__window_count_add(st->t, &entity, ev->time_ms, st->window_ms, n->registrable.p, n->registrable.n,
				  st->names, &count))
		return;

	struct vg_finding_draft d;
	char num[24];
	vg__dns_draft(&d, &dga, ev, n);
	/* One finding per instance: the names change all the time. */
	d.key_extra = (struct vg_str){NULL, 0};
	snprintf(num, sizeof(num), "%llu", (unsigned long long)count);
	d.info[d.n_info].key = "distinctDomains";
	d.info[d.n_info++].value = vg_str_c(num);
	vg_emit(out, &d);
}
