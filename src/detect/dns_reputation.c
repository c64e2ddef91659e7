/*
 * dns_reputation.c -- the *DomainRequest.Reputation family: instances
 * looking up low-reputation domains that are on no list.
 *
 * GuardDuty scores a domain's reputation with a model of its own.  vigil's
 * score (capped at 100, higher is worse) adds up what the logs and the
 * name tell:
 *
 *   50 when the DGA classifier calls the registrable domain's label
 *      generated, else 40 x its score / the classifier's threshold
 *   60 when the domain sits under a dynamic-DNS, tunnelling or free-hosting
 *      service (their subdomains cost nothing and change hands freely)
 *   30 when the name has a cryptocurrency-mining word in it
 *   20 when it has a phishing lure word (login, verify, wallet, ...)
 *   20 when its top-level domain is one abuse reports are dominated by
 *   15 when the query got NXDOMAIN (the name is not, or no longer, there)
 *   10 when its label is long (20+) or digit-heavy (4+ digits)
 *
 * A query scoring at least `score` is reported, as Bitcoin when the name
 * speaks of mining, Abused when the domain is under such a service,
 * Malicious when the classifier calls the label generated, and Suspicious
 * otherwise.  Domain age is not in the logs, so it is not in the score.
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
		.trigger = "A query whose reputation score (see dns_reputation.c) is at least `score`, " trig, \
	}

T(bitcoin, "Impact:EC2/BitcoinDomainRequest.Reputation", 8,
  "EC2 instance {resource} is querying a low-reputation domain associated with cryptocurrency.",
  "whose name speaks of cryptocurrency mining", "for a name with a mining word (pool, xmr, monero, ...).");
T(abused, "Impact:EC2/AbusedDomainRequest.Reputation", 5,
  "EC2 instance {resource} is querying a low-reputation domain of a commonly abused service.",
  "under a dynamic-DNS, tunnelling or free-hosting service that attackers favour",
  "for a domain under a dynamic-DNS, tunnelling or free-hosting service.");
T(malicious, "Impact:EC2/MaliciousDomainRequest.Reputation", 8,
  "EC2 instance {resource} is querying a low-reputation domain that looks malicious.",
  "whose name looks algorithmically generated, as malware's are", "for a name the DGA classifier calls generated.");
T(suspicious, "Impact:EC2/SuspiciousDomainRequest.Reputation", 2,
  "EC2 instance {resource} is querying a suspicious low-reputation domain.",
  "that is tied to no known threat", "for any other name.");

const struct vg_finding_type *const vg__dns_reputation_types[] = {&bitcoin, &abused, &malicious, &suspicious, NULL};

enum { P_SCORE };
const struct vg_param vg__dns_reputation_params[] = {
	[P_SCORE] = {"score", 60, 1, 100, "points", "reputation score (0-100, higher is worse) that is reported"},
	{0},
};

/* Registrable domains of services whose subdomains anyone can have. */
static const char *const abused_services[] = {
	"000webhostapp.com", "afraid.org",   "ddns.net",        "duckdns.org",     "dyndns.org",
	"dynu.net",          "hopto.org",    "myftp.org",       "ngrok-free.app",  "ngrok.io",
	"no-ip.com",         "no-ip.org",    "pagekite.me",     "servehttp.com",   "serveo.net",
	"sytes.net",         "trycloudflare.com", "webhop.me",  "zapto.org",
};

static const char *const abused_tlds[] = {"cf", "ga", "gq", "ml", "tk", "top", "xyz", "zip", "mov", "su"};

static const char *const mining_words[] = {"xmr", "monero", "miner", "mining", "minexmr", "nicehash",
					   "stratum", "hashvault", "nanopool", "ethermine", "f2pool", "2miners",
					   "cryptonight", "coinhive"};

static const char *const lure_words[] = {"login", "signin", "verify", "secure", "account", "update",
					 "wallet", "password", "banking", "support", "recover"};

static bool any_equal(struct vg_str s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vg_str_eqc(s, set[i]))
			return true;
	return false;
}

/* A registrable domain may itself be a suffix of the service's (e.g.
 * x.duckdns.org, whose registrable domain libpsl says is x.duckdns.org
 * when duckdns.org is on the private suffix list). */
static bool under_service(struct vg_str name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(abused_services); i++) {
		size_t n = strlen(abused_services[i]);
		if (name.n > n && name.p[name.n - n - 1] == '.' && memcmp(name.p + name.n - n, abused_services[i], n) == 0)
			return true;
	}
	return false;
}

static bool has_word(struct vg_str name, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memmem(name.p, name.n, words[i], strlen(words[i])))
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
};

int vg__dns_reputation_init(void **out, const struct vg_detect_init *init)
{
	struct state *st = vg_malloc(sizeof(*st));
	if (!st)
		return VG_ENOMEM;
	st->threshold = init->params[P_SCORE];
	st->intel = init->cfg->intel;
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
	if (!n || vg_str_eqc(tld(n->name), "arpa") || vg_str_eqc(tld(n->name), "internal") ||
	    (st->intel && vg_intel_domain(st->intel, n->name, &hit)))
		return;
	struct vg_str label = vg_dga_label(n->registrable);
	double dga = vg_dga_score(NULL, n->registrable);
	bool abused_service = under_service(n->name) || any_equal(n->registrable, abused_services,
								   VG_ARRAY_LEN(abused_services));
	size_t digits = 0;
	for (size_t i = 0; i < label.n; i++)
		digits += label.p[i] >= '0' && label.p[i] <= '9';
	bool generated = dga >= vg_dga_builtin.threshold;
	bool mining = has_word(n->name, mining_words, VG_ARRAY_LEN(mining_words));
	bool lure = has_word(n->name, lure_words, VG_ARRAY_LEN(lure_words));
	double score = (generated ? 50 : 40 * dga / vg_dga_builtin.threshold) + (abused_service ? 60 : 0) +
		       (mining ? 30 : 0) + (lure ? 20 : 0) + (any_equal(tld(n->name), abused_tlds, VG_ARRAY_LEN(abused_tlds)) ? 20 : 0) +
		       (vg_str_eqc(ev->dns.rcode, "NXDOMAIN") ? 15 : 0) + (label.n >= 20 || digits >= 4 ? 10 : 0);
	if (score < st->threshold)
		return;
	const struct vg_finding_type *t = mining ? &bitcoin : abused_service ? &abused : generated ? &malicious
												: &suspicious;
	struct vg_finding_draft d;
	char text[8];
	vg__dns_draft(&d, t, ev, n);
	snprintf(text, sizeof(text), "%.0f", score > 100 ? 100 : score);
	d.info[d.n_info].key = "reputationScore";
	d.info[d.n_info++].value = vg_str_c(text);
	vg_emit(out, &d);
}
