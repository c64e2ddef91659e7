/*
 * event.h -- the normalized event.  Every decoder turns one log record into
 * one struct vg_event; nothing downstream parses text again.
 *
 * All vg_str members are views borrowed from the decoder's buffers: they
 * are valid while the event is being processed and never afterwards.  A
 * detector that must remember something copies it.
 */
#ifndef VG_CORE_EVENT_H
#define VG_CORE_EVENT_H

#include "../vg.h"
#include "ip.h"
#include "str.h"

struct vg_json; /* decode/json.h: the raw record, for field look-ups */

/* Source kinds, as bits so detectors can declare a mask. */
enum vg_source {
	VG_SRC_CLOUDTRAIL = 1u << 0,
	VG_SRC_VPCFLOW = 1u << 1,
	VG_SRC_DNS = 1u << 2,
};

/* What part of CloudTrail an event comes from: GuardDuty treats management
 * events and S3 data events as different data sources. */
enum vg_ct_category {
	VG_CT_MANAGEMENT = 0,
	VG_CT_DATA,
	VG_CT_INSIGHT,
	VG_CT_NETWORK_ACTIVITY,
};

/* The acting principal (CloudTrail userIdentity). */
struct vg_actor {
	struct vg_str type;           /* Root, IAMUser, AssumedRole, FederatedUser, AWSService, ... */
	struct vg_str principal_id;   /* userIdentity.principalId */
	struct vg_str arn;            /* userIdentity.arn */
	struct vg_str account;        /* userIdentity.accountId */
	struct vg_str access_key_id;  /* userIdentity.accessKeyId */
	struct vg_str user_name;      /* userName, or the session issuer's for roles */
	struct vg_str invoked_by;     /* set when an AWS service made the call */
	struct vg_str issuer_type;    /* sessionContext.sessionIssuer.type */
	struct vg_str issuer_arn;     /* sessionContext.sessionIssuer.arn */
	bool mfa;                     /* sessionContext.attributes.mfaAuthenticated */
	bool assumed_root;            /* short-term root session from sts:AssumeRoot */
};

/* A CloudTrail API call. */
struct vg_api_call {
	struct vg_str service;        /* eventSource, e.g. "iam.amazonaws.com" */
	struct vg_str name;           /* eventName */
	struct vg_str event_type;     /* AwsApiCall, AwsConsoleSignIn, ... */
	struct vg_str event_id;       /* eventID */
	struct vg_str version;        /* eventVersion */
	struct vg_str error_code;     /* empty when the call succeeded */
	struct vg_str error_message;
	struct vg_str source_ip_text; /* sourceIPAddress as written (may be a service name) */
	enum vg_ct_category category;
	bool read_only;
	const struct vg_json *request;   /* requestParameters, NULL if absent */
	const struct vg_json *response;  /* responseElements, NULL if absent */
	const struct vg_json *additional;/* additionalEventData, NULL if absent */
};

/* A VPC Flow Logs record (decode/vpcflow.h).  Numbers are 0 and strings
 * empty when the format lacks the field or the record has "-" there;
 * `present` says which fields were given (bit VG_FF_* of decode/vpcflow.h). */
enum vg_flow_action { VG_FLOW_ACTION_NONE = 0, VG_FLOW_ACCEPT, VG_FLOW_REJECT };
enum vg_flow_status { VG_FLOW_OK = 0, VG_FLOW_NODATA, VG_FLOW_SKIPDATA };
enum vg_flow_direction { VG_FLOW_DIR_UNKNOWN = 0, VG_FLOW_INGRESS, VG_FLOW_EGRESS };

struct vg_flow {
	uint64_t present;             /* bit (1 << VG_FF_x) per field with a value */
	int version;
	struct vg_str interface_id;   /* eni-... */
	struct vg_str instance_id;    /* i-... (v3+) */
	struct vg_str vpc_id, subnet_id;
	struct vg_str type;           /* IPv4, IPv6, EFA */
	struct vg_str az_id;
	struct vg_str pkt_src_service, pkt_dst_service; /* e.g. AMAZON, S3 */
	struct vg_str reject_reason;  /* v8: BPA */
	struct vg_ip src, dst;        /* srcaddr, dstaddr (family 0 when "-") */
	struct vg_ip pkt_src, pkt_dst;/* pkt-srcaddr, pkt-dstaddr */
	uint16_t src_port, dst_port;
	uint8_t protocol;             /* IANA number: 6 TCP, 17 UDP, 1 ICMP */
	uint8_t traffic_path;         /* 1..8, 0 when absent */
	uint16_t tcp_flags;           /* OR of the flags seen: SYN 2, FIN 1, RST 4, SYN-ACK 18 */
	uint64_t packets, bytes;
	int64_t start_ms, end_ms;     /* the capture window */
	enum vg_flow_action action;
	enum vg_flow_status status;
	enum vg_flow_direction direction; /* flow-direction (v5+) */
};

/* A Route 53 Resolver query log record (decode/route53.h). */
#define VG_DNS_MAX_ANSWER_IPS 8

struct vg_dns {
	struct vg_str query_name;     /* as logged, usually with the trailing dot */
	struct vg_str query_type;     /* A, AAAA, TXT, ... */
	struct vg_str query_class;    /* IN */
	struct vg_str rcode;          /* NOERROR, NXDOMAIN, ... */
	struct vg_str transport;      /* UDP, TCP, DoH */
	struct vg_str instance_id;    /* srcids.instance, empty when not from an instance */
	struct vg_str resolver_endpoint; /* srcids.resolver_endpoint */
	struct vg_str vpc_id;
	struct vg_str firewall_action;/* firewall_rule_action: BLOCK, ALERT, ALLOW or empty */
	uint16_t src_port;
	uint16_t n_answers;           /* every answer, of any type */
	uint8_t n_answer_ips;         /* the first A / AAAA answers, parsed */
	struct vg_ip answer_ip[VG_DNS_MAX_ANSWER_IPS];
};

struct vg_event {
	enum vg_source source;
	int64_t time_ms;           /* when it happened, ms since the epoch, UTC */
	struct vg_str account;     /* account the record belongs to (recipientAccountId) */
	struct vg_str region;      /* awsRegion; any string, anonymised logs use fake ones */
	struct vg_actor actor;
	struct vg_ip src_ip;       /* remote address (family 0 when none) */
	struct vg_str user_agent;
	struct vg_api_call api;    /* CloudTrail only */
	struct vg_flow flow;       /* VPC Flow Logs only */
	struct vg_dns dns;         /* Route 53 Resolver query logs only (src_ip is srcaddr) */
	const struct vg_json *raw; /* the whole record; borrowed */
	/* Where the record came from, for error messages and evidence. */
	const char *file;          /* path, or "-" for stdin */
	uint64_t record_no;        /* 1-based position of the record in the file */
};

/* Where a decoder delivers what it read.  index is the record's 1-based
 * position (element of a document, or line of a text file). */
struct vg_event_sink {
	/* A good record; ev is borrowed for the call. */
	void (*event)(void *ctx, struct vg_event *ev, uint64_t index);
	/* A record that could not be decoded, with a static reason. */
	void (*bad)(void *ctx, uint64_t index, int rc, const char *why);
};

#endif /* VG_CORE_EVENT_H */
