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

struct vg_event {
	enum vg_source source;
	int64_t time_ms;           /* when it happened, ms since the epoch, UTC */
	struct vg_str account;     /* account the record belongs to (recipientAccountId) */
	struct vg_str region;      /* awsRegion; any string, anonymised logs use fake ones */
	struct vg_actor actor;
	struct vg_ip src_ip;       /* remote address (family 0 when none) */
	struct vg_str user_agent;
	struct vg_api_call api;    /* CloudTrail only */
	const struct vg_json *raw; /* the whole record; borrowed */
	/* Where the record came from, for error messages and evidence. */
	const char *file;          /* path, or "-" for stdin */
	uint64_t record_no;        /* 1-based position of the record in the file */
};

#endif /* VG_CORE_EVENT_H */
