/*
 * dns_reputation.c -- the *DomainRequest.Reputation family: instances
 * looking up low-reputation domains that are on no list.
 *
 * GuardDuty scores a domain's reputation with a model of its own; vigil's
 * score adds up what the logs and the name tell.  The score is documented
 * once, in vg__dns_reputation_notes (shown in docs/finding-types.md).
 * Names on a threat list are left to dns_intel: they have a reputation.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "dga.h"
#include "dns_util_int.h"
#include "../enrich/intel.h"

#include <stdio.h>

#define T(var, tname, sev, title_, why, trig)                                                           \
	static const struct vg_finding_type var = {                                                    \
		.name = tname,                                                                         \
		.severity = sev,                                                                       \
		.resource = VG_RES_INSTANCE,                                                           \
		.action = VG_ACT_DNS_REQUEST,                                                          \
		.title = title_,                                                                       \
		.description = "EC2 instance {resource} queried {domain}, a low-reputation domain " why ".",   \
		.trigger = "A query whose reputation score (below) is at least `score`, " trig, \
	}

T(bitcoin, "Impact:EC2/BitcoinDomainRequest.Reputation", 8,
  "EC2 instance {resource} is querying a low-reputation domain associated with cryptocurrency.",
  "whose name or address speaks of cryptocurrency mining",
  "for a name with a mining word (xmr, monero, stratum, ...) or answered with a `mining`-list address.");
T(abused, "Impact:EC2/AbusedDomainRequest.Reputation", 5,
  "EC2 instance {resource} is querying a low-reputation domain of a commonly abused service.",
  "under a dynamic-DNS, tunnelling or free-hosting service that attackers favour",
  "for a domain under a dynamic-DNS, tunnelling or free-hosting service.");
T(malicious, "Impact:EC2/MaliciousDomainRequest.Reputation", 8,
  "EC2 instance {resource} is querying a low-reputation domain that looks malicious.",
  "that looks algorithmically generated or resolves to a listed address",
  "for a name the DGA classifier calls generated or answered with an address on another threat list.");
T(suspicious, "Impact:EC2/SuspiciousDomainRequest.Reputation", 2,
  "EC2 instance {resource} is querying a suspicious low-reputation domain.",
  "that is tied to no known threat", "for any other name.");

const struct vg_finding_type *const vg__dns_reputation_types[] = {&bitcoin, &abused, &malicious, &suspicious, NULL};

enum { P_SCORE };
const struct vg_param vg__dns_reputation_params[] = {
	[P_SCORE] = {"score", 60, 1, 100, "points", "reputation score (0-100, higher is worse) that is reported"},
	{0},
};

/* The lists are views, so look-ups need no strlen. */
#define W(text) {text, sizeof(text) - 1}

/* Registrable domains of services whose subdomains anyone can have. */
static const struct vg_str abused_services[] = {
	W("000webhostapp.com"), W("afraid.org"), W("ddns.net"), W("duckdns.org"), W("dyndns.org"), W("dynu.net"),
	W("hopto.org"), W("myftp.org"), W("ngrok-free.app"), W("ngrok.io"), W("no-ip.com"), W("no-ip.org"),
	W("pagekite.me"), W("servehttp.com"), W("serveo.net"), W("sytes.net"), W("trycloudflare.com"),
	W("webhop.me"), W("zapto.org")
};

static const struct vg_str abused_tlds[] = {
	W("cf"), W("ga"), W("gq"), W("ml"), W("tk"), W("top"), W("xyz"), W("zip"), W("mov"), W("su")
};

static const struct vg_str mining_words[] = {
	W("xmr"), W("monero"), W("miner"), W("mining"), W("minexmr"), W("nicehash"), W("stratum"), W("hashvault"),
	W("nanopool"), W("ethermine"), W("f2pool"), W("2miners"), W("cryptonight"), W("coinhive")
};

static const struct vg_str lure_words[] = {
	W("login"), W("signin"), W("verify"), W("secure"), W("account"), W("update"), W("wallet"), W("password"),
	W("banking"), W("support"), W("recover")
};

static bool any_equal(struct vg_str s, const struct vg_str *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vg_str_eq(s, set[i]))
			return true;
	return false;
}

/* under_service -- the name is strictly under one of the services (the
 * service's own site is not).  Tested on the name, not the registrable
 * domain: duckdns.org is on the private suffix list, so x.duckdns.org is
 * its own registrable domain. */
static bool under_service(struct vg_str name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(abused_services); i++) {
		struct vg_str a = abused_services[i];
		if (name.n > a.n && name.p[name.n - a.n - 1] == '.' && memcmp(name.p + name.n - a.n, a.p, a.n) == 0)
			return true;
	}
	return false;
}

static bool has_word(struct vg_str name, const struct vg_str *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memmem(name.p, name.n, words[i].p, words[i].n))
			return true;
	return false;
}

static struct vg_str tld(struct vg_str name)
{
	const char *dot = memrchr(name.p, '.', name.n);
	return dot ? (struct vg_str){dot + 1, (size_t)(name.p + name.n - dot - 1)} : name;
}

struct state {
	double threshold;
	const struct vg_intel *intel; /* borrowed; NULL without lists */
	bool young_lists;             /* a `young` list is loaded */
};

/* listed_answer -- the threat list of the first answer address on one
 * (public addresses only; trusted and scanner lists say nothing of a
 * domain), or NULL. */
static const struct vg_intel_list *listed_answer(const struct vg_intel *intel, const struct vg_dns *q)
{
	struct vg_intel_hit hit;
	for (uint8_t i = 0; intel && i < q->n_answer_ips; i++) {
		const struct vg_ip *ip = &q->answer_ip[i];
		if (vg_ip_is_public(ip) && vg_intel_ip(intel, ip, &hit) && hit.list->category != VG_CAT_SCANNER &&
		    hit.list->category != VG_CAT_TRUSTED)
			return hit.list;
	}
	return NULL;
}

const char vg__dns_reputation_notes[] =
	"The reputation score (0-100, higher is worse) of a query for a name on no threat list adds:\n\n"
	"| points | when |\n|---:|---|\n"
	"| 60 | the query was answered with an address on a threat list (a new name for known infrastructure) |\n"
	"| 60 | the name is under a dynamic-DNS, tunnelling or free-hosting service (duckdns.org, ngrok.io, ...) |\n"
	"| 50 | the DGA classifier calls the registrable domain's label generated; else 40 x its score / threshold |\n"
	"| 40 | the domain is young: on a `young` list (a newly-registered-domain feed) |\n"
	"| 30 | the name has a cryptocurrency-mining word (xmr, monero, stratum, ...) |\n"
	"| 20 | the name has a phishing lure word (login, verify, wallet, ...) |\n"
	"| 20 | its top-level domain is one abuse reports are dominated by (tk, ml, ga, cf, gq, top, xyz, ...) |\n"
	"| 15 | the query got NXDOMAIN |\n"
	"| 10 | the label is long (20+ characters) or has 4+ digits |\n\n"
	"A query scoring at least `score` is reported: BitcoinDomainRequest when the name or an answer speaks of "
	"mining, AbusedDomainRequest under such a service, MaliciousDomainRequest when an answer is listed or the "
	"label looks generated, SuspiciousDomainRequest otherwise. Domain age is not in the logs: it counts only "
	"where a `young` list gives it, and youth alone stays under the default threshold: most new domains are "
	"harmless. Single-label names, reverse look-ups (.arpa) and .internal names are not scored.";

int vg__dns_reputation_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_malloc(sizeof(*st));
	if (!st)
		return VG_ENOMEM;
	st->threshold = init->params[P_SCORE];
	st->intel = init->cfg->intel;
	st->young_lists = false;
	for (size_t i = 0; st->intel && i < vg_intel_list_count(st->intel); i++)
		st->young_lists |= vg_intel_list_at(st->intel, i)->category == VG_CAT_YOUNG;
	*out = st;
	return VG_OK;
}

void vg__dns_reputation_free(void *state) { vg_free(state); }

void vg__dns_reputation_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				 const struct vg_emitter *out)
{
	const struct state *st = state;
	const struct vg_dns_name *n = vg__dns_name(s, ev);
	struct vg_intel_hit hit;
	/* Single-label names are local look-ups (search domains, probes such
	 * as cloud-init's), not internet domains. */
	if (!n || !memchr(n->name.p, '.', n->name.n))
		return;
	struct vg_str top = tld(n->name);
	if (vg_str_eqc(top, "arpa") || vg_str_eqc(top, "internal") || vg__dns_listed(s, st->intel, &hit))
		return;
	struct vg_str label = vg_dga_label(n->registrable);
	double dga = vg__dns_dga(s);
	bool abused_service = under_service(n->name);
	size_t digits = 0;
	for (size_t i = 0; i < label.n; i++)
		digits += label.p[i] >= '0' && label.p[i] <= '9';
	bool generated = dga >= vg_dga_builtin.threshold;
	const struct vg_intel_list *answer_list = listed_answer(st->intel, &ev->dns);
	double score = (answer_list ? 60 : 0) + (generated ? 50 : 40 * dga / vg_dga_builtin.threshold) +
		       (abused_service ? 60 : 0) +
		       (any_equal(top, abused_tlds, VG_ARRAY_LEN(abused_tlds)) ? 20 : 0) +
		       (vg_str_eqc(ev->dns.rcode, "NXDOMAIN") ? 15 : 0) + (label.n >= 20 || digits >= 4 ? 10 : 0);
	/* Searching the name for words and the young lists is the costly
	 * part: only when it can change the outcome (most names score near 0). */
	if (score + (st->young_lists ? 40 : 0) + 30 + 20 < st->threshold)
		return;
	bool young = st->young_lists && vg_intel_young(st->intel, n->name, &hit);
	bool mining = has_word(n->name, mining_words, VG_ARRAY_LEN(mining_words)) ||
		      (answer_list && answer_list->category == VG_CAT_MINING);
	score += (young ? 40 : 0) + (mining ? 30 : 0) + (has_word(n->name, lure_words, VG_ARRAY_LEN(lure_words)) ? 20 : 0);
	if (score < st->threshold)
		return;
	const struct vg_finding_type *t = mining			? &bitcoin
					  : abused_service		? &abused
					  : generated || answer_list	? &malicious
									: &suspicious;
	struct vg_finding_draft d;
	char text[8];
	vg__dns_draft(&d, t, ev, n);
	snprintf(text, sizeof(text), "%.0f", score > 100 ? 100 : score);
	d.info[d.n_info].key = "reputationScore";
	d.info[d.n_info++].value = vg_str_c(text);
	vg_emit(out, &d);
}
