/*
 * registry.c -- the detector table and the engine that runs it.
 *
 * Adding a detector: write detect/<family>.c, declare its parts in
 * detectors_int.h, add one row below.  The table is never written at
 * runtime; vg_detect_engine_new checks the required slots.
 */
#include "../vg.h"
#include "engine.h"
#include "detectors_int.h"
#include "../decode/json.h"
#include "state.h"
#include "intel_cache_int.h"

#include <math.h>

static const struct vg_detector vg_detectors[] = {
	/* DETECTOR ROWS */
	{
		.name = "cloudtrail_logging",
		.types = vg__cloudtrail_logging_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__cloudtrail_logging_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "A CloudTrail trail was stopped or deleted",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
	},
	{
		.name = "password_policy",
		.types = vg__password_policy_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__password_policy_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "The account password policy was weakened or deleted",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
	},
	{
		.name = "s3_logging",
		.types = vg__s3_logging_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__s3_logging_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "S3 server access logging was turned off for a bucket",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-s3.html",
	},
	{
		.name = "root_usage",
		.types = vg__root_usage_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__root_usage_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "The root user's credentials were used",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
	},
	{
		.name = "s3_block_public",
		.types = vg__s3_block_public_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__s3_block_public_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "S3 Block Public Access was turned off for the account or a bucket",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-s3.html",
	},
	{
		.name = "s3_public_access",
		.types = vg__s3_public_access_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__s3_public_access_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "A bucket policy or ACL made a bucket public",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-s3.html",
	},
	{
		.name = "bedrock_logging",
		.types = vg__bedrock_logging_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__bedrock_logging_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "Amazon Bedrock model invocation logging was turned off",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
	},
	{
		.name = "pentest_ua",
		.types = vg__pentest_ua_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* stateless */
		.on_event = vg__pentest_ua_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "API calls from Kali, Parrot or Pentoo Linux machines",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
	},
	{
		.name = "intel_ip",
		.types = vg__intel_ip_types,
		.sources = VG_SRC_CLOUDTRAIL,
		.init = NULL, /* the threat lists come through the scratch's address cache */
		.on_event = vg__intel_ip_on_event,
		.on_tick = NULL,
		.free = NULL,
		.desc = "CloudTrail calls from Tor exit nodes and addresses on threat lists",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-iam.html",
	},
	{
		.name = "flow_intel",
		.types = vg__flow_intel_types,
		.sources = VG_SRC_VPCFLOW,
		.init = NULL, /* the threat lists come through the scratch's address cache */
		.on_event = vg__flow_intel_on_event,
		.on_tick = NULL,
		.free = NULL,
		.flags = VG_DETECTOR_INTEL,
		.desc = "Instances talking to Tor nodes and addresses on threat lists (VPC flows)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "flow_scan",
		.types = vg__flow_scan_types,
		.sources = VG_SRC_VPCFLOW,
		.init = vg__flow_scan_init, /* owns port and host counters in the state store */
		.on_event = vg__flow_scan_on_event,
		.on_tick = NULL,
		.free = vg__flow_scan_free,
		.params = vg__flow_scan_params,
		.desc = "Instances scanning many ports of a host or one port of many hosts (VPC flows)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "flow_bruteforce",
		.types = vg__flow_bruteforce_types,
		.sources = VG_SRC_VPCFLOW,
		.init = vg__flow_bruteforce_init, /* owns connection counters in the state store */
		.on_event = vg__flow_bruteforce_on_event,
		.on_tick = NULL,
		.free = vg__flow_bruteforce_free,
		.params = vg__flow_bruteforce_params,
		.desc = "SSH, RDP and WinRM password guessing to or from instances (VPC flows)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "flow_dos",
		.types = vg__flow_dos_types,
		.sources = VG_SRC_VPCFLOW,
		.init = vg__flow_dos_init, /* owns packet counters in the state store */
		.on_event = vg__flow_dos_on_event,
		.on_tick = NULL,
		.free = vg__flow_dos_free,
		.params = vg__flow_dos_params,
		.desc = "Instances flooding a host with TCP, UDP, DNS or unusual protocols (VPC flows)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "flow_probe",
		.types = vg__flow_probe_types,
		.sources = VG_SRC_VPCFLOW,
		.init = vg__flow_probe_init, /* borrows the threat lists, owns probed ports in the state store */
		.on_event = vg__flow_probe_on_event,
		.on_tick = NULL,
		.free = NULL, /* its table belongs to the state store */
		.flags = VG_DETECTOR_INTEL,
		.params = NULL,
		.desc = "Known scanners reaching open instance ports (VPC flows and scanner lists)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "flow_baseline",
		.types = vg__flow_baseline_types,
		.sources = VG_SRC_VPCFLOW,
		.init = vg__flow_baseline_init, /* owns per-instance profiles in the state store */
		.on_event = vg__flow_baseline_on_event,
		.on_tick = NULL,
		.free = vg__flow_baseline_free,
		.params = vg__flow_baseline_params,
		.desc = "Instances doing what their learned profile does not (VPC flows)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "dns_intel",
		.types = vg__dns_intel_types,
		.sources = VG_SRC_DNS,
		.init = vg__dns_intel_init, /* borrows the threat lists */
		.on_event = vg__dns_intel_on_event,
		.on_tick = NULL,
		.free = NULL,
		.params = NULL,
		.desc = "Instances looking up domains on threat lists (Route 53 query logs)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "dns_rebind",
		.types = vg__dns_rebind_types,
		.sources = VG_SRC_DNS,
		.init = NULL, /* stateless */
		.on_event = vg__dns_rebind_on_event,
		.on_tick = NULL,
		.free = NULL,
		.params = NULL,
		.desc = "Names resolving to the instance metadata service (Route 53 query logs)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "dns_exfil",
		.types = vg__dns_exfil_types,
		.sources = VG_SRC_DNS,
		.init = vg__dns_exfil_init, /* owns name counters in the state store */
		.on_event = vg__dns_exfil_on_event,
		.on_tick = NULL,
		.free = vg__dns_exfil_free,
		.params = vg__dns_exfil_params,
		.desc = "Data encoded in query names: DNS tunnels (Route 53 query logs)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "dns_dga",
		.types = vg__dns_dga_types,
		.sources = VG_SRC_DNS,
		.init = vg__dns_dga_init, /* owns per-instance name counters in the state store */
		.on_event = vg__dns_dga_on_event,
		.on_tick = NULL,
		.free = vg__dns_dga_free,
		.params = vg__dns_dga_params,
		.desc = "Instances looking up algorithmically generated names (Route 53 query logs)",
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
	{
		.name = "dns_reputation",
		.types = vg__dns_reputation_types,
		.sources = VG_SRC_DNS,
		.init = vg__dns_reputation_init, /* owns its threshold */
		.on_event = vg__dns_reputation_on_event,
		.on_tick = NULL,
		.free = vg__dns_reputation_free,
		.params = vg__dns_reputation_params,
		.desc = "Instances looking up low-reputation domains on no list (Route 53 query logs)",
		.notes = vg__dns_reputation_notes,
		.doc_url = "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-ec2.html",
	},
};

/* The sources an event can come from: enum vg_source's bits. */
#define N_SOURCES 3
_Static_assert(VG_SRC_DNS == 1u << (N_SOURCES - 1), "N_SOURCES counts enum vg_source's bits");

struct vg_detect_engine {
	void *state[VG_ARRAY_LEN(vg_detectors) + 1]; /* per detector, may be NULL */
	/* The detectors of each source, in table order, so an event visits
	 * only its own (a flow record visits 6 of the 20, 4 without threat lists). */
	struct dispatch {
		void (*on_event)(void *, struct vg_detect_scratch *, const struct vg_event *,
				 const struct vg_emitter *);
		void *state;
	} of_source[N_SOURCES][VG_ARRAY_LEN(vg_detectors)];
	size_t n_of_source[N_SOURCES];
	double *params[VG_ARRAY_LEN(vg_detectors) + 1]; /* resolved parameters, owned */
	struct vg_state *store;                         /* bounded per-entity state, owned */
	struct vg_detect_scratch scratch;
};

size_t vg_detector_count(void) { return VG_ARRAY_LEN(vg_detectors); }

const struct vg_detector *vg_detector_at(size_t i)
{
	return i < VG_ARRAY_LEN(vg_detectors) ? &vg_detectors[i] : NULL;
}

size_t vg_finding_type_all(const struct vg_finding_type **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < VG_ARRAY_LEN(vg_detectors); i++) {
		for (const struct vg_finding_type *const *t = vg_detectors[i].types; t && *t; t++) {
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen = out[j] == *t;
			if (!seen && n < max)
				out[n++] = *t;
		}
	}
	return n;
}

const struct vg_finding_type *vg_finding_type_find(const char *name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(vg_detectors); i++)
		for (const struct vg_finding_type *const *t = vg_detectors[i].types; t && *t; t++)
			if (strcmp((*t)->name, name) == 0)
				return *t;
	return NULL;
}

static const struct vg_detector *detector_find(const char *name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(vg_detectors); i++)
		if (strcmp(vg_detectors[i].name, name) == 0)
			return &vg_detectors[i];
	return NULL;
}

int vg_detect_param_check(const char *detector, const char *name, double value, const char **why)
{
	const struct vg_detector *d = detector_find(detector);
	if (!d) {
		*why = "no detector of that name (see `vigil types`)";
		return VG_EINVAL;
	}
	for (const struct vg_param *p = d->params; p && p->name; p++) {
		if (strcmp(p->name, name) != 0)
			continue;
		if (!isfinite(value) || value < p->min || value > p->max) {
			*why = "value out of the parameter's range (see docs/finding-types.md)";
			return VG_EINVAL;
		}
		return VG_OK;
	}
	*why = "the detector has no parameter of that name (see docs/finding-types.md)";
	return VG_EINVAL;
}

/* resolve -- d's parameters: defaults, then the configured values in order
 * (a later setting wins).  Owned result; NULL with *rc set on failure or
 * when d has no parameters (rc VG_OK). */
static double *resolve(const struct vg_detector *d, const struct vg_detect_config *cfg, int *rc)
{
	size_t n = 0;
	*rc = VG_OK;
	while (d->params && d->params[n].name)
		n++;
	if (n == 0)
		return NULL;
	double *v = vg_calloc(n, sizeof(*v));
	if (!v) {
		*rc = VG_ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = d->params[i].def;
		for (size_t j = 0; j < cfg->n_params; j++)
			if (strcmp(cfg->params[j].detector, d->name) == 0 && strcmp(cfg->params[j].name, d->params[i].name) == 0)
				v[i] = cfg->params[j].value;
	}
	return v;
}

int vg_detect_engine_new(struct vg_detect_engine **out, const struct vg_detect_config *cfg)
{
	struct vg_detect_engine *e = vg_calloc(1, sizeof(*e));
	int rc;
	if (!e)
		return VG_ENOMEM;
	/* Nested JSON (policies inside strings) is small; 16 MiB is generous. */
	rc = vg_json_parser_new(&e->scratch.nested, (size_t)16 << 20);
	if (rc != VG_OK)
		goto out;
	e->scratch.psl = cfg->psl;
	if (cfg->intel) {
		if (!(e->scratch.ip_cache = vg_calloc(1, sizeof(*e->scratch.ip_cache)))) {
			rc = VG_ENOMEM;
			goto out;
		}
		e->scratch.ip_cache->intel = cfg->intel;
	}
	rc = vg_state_new(&e->store, cfg->state_ceiling ? cfg->state_ceiling : VG_STATE_DEFAULT_CEILING);
	if (rc != VG_OK)
		goto out;
	for (size_t i = 0; i < VG_ARRAY_LEN(vg_detectors); i++) {
		const struct vg_detector *d = &vg_detectors[i];
		if (!d->name || !d->types || !d->on_event || !d->sources || d->sources >> N_SOURCES) {
			rc = VG_EINVAL; /* a malformed row is a programming error */
			goto out;
		}
		e->params[i] = resolve(d, cfg, &rc);
		if (rc != VG_OK)
			goto out;
		struct vg_detect_init init = {cfg, e->store, e->params[i]};
		if (d->init && (rc = d->init(&e->state[i], &init)) != VG_OK)
			goto out;
		/* A detector that needs threat lists is not called without
		 * them: two of a flow record's six calls did nothing (1 % of a
		 * record's instructions on the bench's flow corpus). */
		if ((d->flags & VG_DETECTOR_INTEL) && !cfg->intel)
			continue;
		for (unsigned src = 0; src < N_SOURCES; src++) {
			if (d->sources & (1u << src)) {
				e->of_source[src][e->n_of_source[src]].on_event = d->on_event;
				e->of_source[src][e->n_of_source[src]++].state = e->state[i];
			}
		}
	}
	*out = e;
	return VG_OK;
out:
	vg_detect_engine_free(e);
	return rc;
}

void vg_detect_engine_free(struct vg_detect_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < VG_ARRAY_LEN(vg_detectors); i++) {
		if (vg_detectors[i].free && e->state[i])
			vg_detectors[i].free(e->state[i]);
		vg_free(e->params[i]);
	}
	vg_state_free(e->store); /* after the detectors: their tables live in it */
	vg_json_parser_free(e->scratch.nested);
	vg_free(e->scratch.ip_cache);
	vg_free(e);
}

void vg_detect_event(struct vg_detect_engine *e, const struct vg_event *ev, const struct vg_emitter *out)
{
	unsigned src = (unsigned)__builtin_ctz((unsigned)ev->source | (1u << N_SOURCES));
	e->scratch.seq++;
	if (src >= N_SOURCES)
		return;
	/* The row and the count in locals: a detector could write anywhere,
	 * as far as the compiler knows, so e's would be read again after
	 * every call. */
	const struct dispatch *d = e->of_source[src];
	for (size_t i = 0, n = e->n_of_source[src]; i < n; i++)
		d[i].on_event(d[i].state, &e->scratch, ev, out);
}

struct vg_state *vg_detect_state(struct vg_detect_engine *e) { return e->store; }

void vg_detect_state_stats(const struct vg_detect_engine *e, struct vg_state_stats *out)
{
	vg_state_stats(e->store, out);
}

void vg_detect_tick(struct vg_detect_engine *e, int64_t now_ms, const struct vg_emitter *out)
{
	vg_state_expire(e->store, now_ms);
	for (size_t i = 0; i < VG_ARRAY_LEN(vg_detectors); i++)
		if (vg_detectors[i].on_tick)
			vg_detectors[i].on_tick(e->state[i], now_ms, out);
}
