/*
 * detector.h -- the detector interface and the finding drafts detectors emit.
 *
 * A detector is one row in the table in detect/registry.c (STYLE.md 7).  It
 * reads normalized events and emits drafts: which finding type, what
 * severity, which resource, and the aggregation key parts.  Turning a draft
 * into a GuardDuty finding (ids, JSON, aggregation) is the finding stage's
 * job; detectors never format output.
 */
#ifndef VG_DETECT_DETECTOR_H
#define VG_DETECT_DETECTOR_H

#include "../vg.h"
#include "../core/event.h"
#include "../core/str.h"
#include "../core/ip.h"

struct vg_json_parser;

/* Which resource a finding is about, and so which resource details the
 * finding stage fills in from the event. */
enum vg_resource_kind {
	VG_RES_ACCESS_KEY = 1, /* resourceType AccessKey + accessKeyDetails */
	VG_RES_S3_BUCKET,      /* resourceType S3Bucket + s3BucketDetails + accessKeyDetails */
	VG_RES_INSTANCE,       /* resourceType Instance + instanceDetails */
};

/* Which service.action variant the finding carries. */
enum vg_action_kind {
	VG_ACT_AWS_API_CALL = 1,
	VG_ACT_NETWORK_CONNECTION,
	VG_ACT_PORT_PROBE,
	VG_ACT_DNS_REQUEST,
};

/* A finding type: one per GuardDuty type name.  Defined by the detector
 * that emits it; the docs and the sample generator are built from these. */
struct vg_finding_type {
	const char *name;             /* exact GuardDuty name, e.g. "Policy:IAMUser/RootCredentialUsage" */
	double severity;              /* default numeric severity: 2 / 5 / 8 */
	bool severity_varies;         /* the detector picks the severity per occurrence */
	enum vg_resource_kind resource;
	enum vg_action_kind action;
	/* Title and description are text with placeholders, filled in per
	 * finding: {resource} (access key, bucket or instance), {actor}
	 * (user or role name), {api} (the API called), {service}, {remote}
	 * (the remote address of network findings), {port} (the local port
	 * of inbound, the remote port of outbound activity), {domain}. */
	const char *title;
	/* The title when the resource is the ACTOR (the instance attacks
	 * {remote}), for types that name the attacker first; NULL: title. */
	const char *title_actor;
	const char *description;
	const char *trigger;          /* one sentence for docs/finding-types.md */
};

/* The two ends of network activity as the instance sees them, for the
 * NETWORK_CONNECTION and PORT_PROBE actions. */
enum vg_net_direction { VG_NET_UNKNOWN = 0, VG_NET_INBOUND, VG_NET_OUTBOUND };

struct vg_net_detail {
	struct vg_ip local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint8_t protocol;             /* IANA number */
	enum vg_net_direction direction;
	bool blocked;                 /* the flow was rejected */
};

/* Up to this many probed local ports in one PORT_PROBE finding. */
#define VG_DRAFT_MAX_PROBES 8

/* Up to this many extra key/value pairs in service.additionalInfo. */
#define VG_DRAFT_MAX_INFO 4

/* What a detector hands to the finding stage.  Every pointer and view is
 * borrowed for the duration of the emit call only. */
struct vg_finding_draft {
	const struct vg_finding_type *type;
	double severity;              /* 0 means type->severity */
	const struct vg_event *ev;    /* the triggering event */
	struct vg_str bucket;         /* S3 bucket name for VG_RES_S3_BUCKET */
	const char *resource_role;    /* "TARGET" (default) or "ACTOR" */
	struct vg_str threat_list;    /* evidence: list or rule that matched, may be empty */
	struct vg_str threat_name;
	struct vg_str threat_file_sha256; /* evidence: SHA-256 of the list file, may be empty */
	struct {
		const char *key;
		struct vg_str value;
	} info[VG_DRAFT_MAX_INFO];    /* service.additionalInfo extras */
	int n_info;
	struct vg_str key_extra;      /* extra aggregation-key part, may be empty */
	/* VG_ACT_NETWORK_CONNECTION, and for VG_ACT_PORT_PROBE the remote end
	 * and the local address of every probe. */
	struct vg_net_detail net;
	uint16_t probe_ports[VG_DRAFT_MAX_PROBES]; /* PORT_PROBE: local ports probed */
	int n_probes;
	/* VG_ACT_DNS_REQUEST: the name queried (no trailing dot) and its
	 * registrable domain; protocol and blocked come from ev->dns. */
	struct vg_str domain;
	struct vg_str domain_with_suffix;
};

/* The finding stage's entry point, given to detectors as a callback so that
 * detect/ does not depend on the stages after it. */
struct vg_emitter {
	void (*emit)(void *ctx, const struct vg_finding_draft *d);
	void *ctx;
};

static inline void vg_emit(const struct vg_emitter *e, const struct vg_finding_draft *d)
{
	e->emit(e->ctx, d);
}

struct vg_intel; /* enrich/intel.h */
struct vg_intel_ip_cache; /* detect/intel_cache_int.h */
struct vg_intel_list; /* enrich/intel.h */
struct vg_psl;   /* enrich/domain.h */

/* What detectors are built with: read-only, shared by every worker. */
struct vg_detect_config {
	const struct vg_intel *intel; /* threat lists; NULL when none are loaded */
	const struct vg_param_value *params; /* overrides of detector parameters */
	size_t n_params;
	size_t state_ceiling;         /* bytes for per-entity state; 0: VG_STATE_DEFAULT_CEILING */
	const struct vg_psl *psl;     /* public suffix list; NULL: libpsl's compiled-in one */
};

#define VG_STATE_DEFAULT_CEILING ((size_t)256 << 20)

/* A tunable number of a detector (a threshold, a window, a learning
 * period).  Each detector lists its own; the configuration file sets them
 * ("detectors: NAME: PARAM: VALUE") and docs/finding-types.md shows them. */
struct vg_param {
	const char *name;  /* e.g. "ports" */
	double def, min, max;
	const char *unit;  /* "ports", "seconds", "bytes", "flows", "days", ... */
	const char *desc;  /* one line for the docs */
};

/* A configured value for one detector parameter. */
struct vg_param_value {
	const char *detector;
	const char *name;
	double value;
};

struct vg_state; /* detect/state.h */

/* What a detector's init gets: the shared configuration, the engine's
 * bounded state store (tables made in it are freed with it) and the
 * detector's parameters, resolved, in the order of its params table. */
struct vg_detect_init {
	const struct vg_detect_config *cfg;
	struct vg_state *state;
	const double *params;
};

/* A DNS event's query name, worked out once for every detector that asks
 * (detect/dns_util_int.h). */
#define VG_DNS_SUFFIX_CACHE 4096 /* a power of two */

struct vg_dns_name {
	uint64_t seq;            /* the event it belongs to (vg_detect_scratch.seq) */
	bool ok;                 /* the name is a valid domain name */
	char buf[256];
	struct vg_str name;      /* lower case, no trailing dot; in buf or the record */
	struct vg_str registrable; /* public suffix plus one label */
	struct vg_str sub;       /* the labels in front of it, may be empty */
	/* Asked by several detectors, so worked out once (dns_util_int.h). */
	bool dga_done, listed_done;
	double dga;              /* the DGA classifier's score of registrable */
	const struct vg_intel_list *list; /* the threat list the name is on, or NULL */
	struct vg_str threat_name;
	/* Names repeat; libpsl's look-up and the DGA score are the costliest
	 * steps per query, so the last answers are kept: hash of the name as
	 * logged -> where the registrable domain starts, and its DGA score
	 * once asked. */
	struct vg_dns_cached {
		uint64_t hash;   /* 0: empty */
		uint8_t len;     /* of the name as logged */
		uint8_t start;   /* of the registrable domain in the normalized name */
		bool verbatim;   /* the logged name is normalized (but for a trailing dot) */
		double dga;      /* < 0: not scored yet */
	} cache[VG_DNS_SUFFIX_CACHE];
	struct vg_dns_cached *cached; /* this event's entry */
};

/* A flow event as the instance sees it, worked out once for every flow
 * detector (detect/flow_util_int.h). */
struct vg_flow_view {
	uint64_t seq;             /* the event it belongs to (vg_detect_scratch.seq) */
	bool ok;                  /* the record carries traffic */
	bool local_is_src;        /* the instance sent this record's packets */
	bool remote_public;       /* the remote address is publicly routable */
	struct vg_net_detail net; /* local/remote ends, protocol, direction, blocked */
	uint64_t entity;          /* the instance's key in per-instance state */
};

/* Entities (vg__flow_entity) already hashed, by the text of their id: a
 * flow log names the same few interfaces over and over (detect/flow_util.c). */
#define VG_ENTITY_MEMO 256 /* entries, a power of two */

struct vg_entity_memo {
	uint64_t w[3]; /* the id's bytes as three overlapping words (flow_util.c) */
	uint64_t hash; /* its entity */
	uint32_t n;    /* the id's length; 0: empty */
};

/* Per-worker scratch shared by detectors: a second JSON parser for JSON
 * embedded in strings (bucket policies arrive as either), and what is
 * worked out once per event. */
struct vg_detect_scratch {
	struct vg_json_parser *nested;
	uint64_t seq;            /* counts events */
	const struct vg_psl *psl;/* the public suffix list; NULL: libpsl's own */
	struct vg_dns_name dns;
	struct vg_flow_view flow;
	struct vg_entity_memo entity_memo[VG_ENTITY_MEMO];
	struct vg_intel_ip_cache *ip_cache; /* threat-list answers per address; NULL without lists */
};

/* vg_detector.flags */
#define VG_DETECTOR_INTEL 1u /* finds nothing without threat lists: not called when none are loaded */

/* The detector row. */
struct vg_detector {
	const char *name;                    /* short id, e.g. "root_usage" */
	const struct vg_finding_type *const *types; /* NULL-terminated */
	unsigned sources;                    /* mask of enum vg_source */
	/* init: allocate per-detector state (may set *state to NULL); what
	 * init points to outlives the engine. */
	int (*init)(void **state, const struct vg_detect_init *init);
	/* on_event: required. */
	void (*on_event)(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			 const struct vg_emitter *out);
	/* on_tick: time passing, for windowed detectors. */
	void (*on_tick)(void *state, int64_t now_ms, const struct vg_emitter *out);
	void (*free)(void *state);
	const struct vg_param *params;       /* NULL-terminated by name == NULL; may be NULL */
	unsigned flags;                      /* VG_DETECTOR_* */
	const char *desc;                    /* one line for `vigil types` */
	const char *notes;                   /* Markdown for docs/finding-types.md, may be NULL */
	const char *doc_url;                 /* GuardDuty documentation page */
};

#endif /* VG_DETECT_DETECTOR_H */
