/*
 * api_class.h -- which tactic an AWS API call serves, by name.
 *
 * GuardDuty files API calls by purpose: the IP-caller findings split into
 * Recon (list/describe calls) and UnauthorizedAccess (everything else), S3
 * data calls into Discovery, Exfiltration and Impact, and the
 * AnomalousBehavior families use the same tactics.  This is the one table
 * every detector asks, so the split is the same everywhere.
 */
#ifndef VG_DETECT_API_CLASS_H
#define VG_DETECT_API_CLASS_H

#include "../vg.h"
#include "../core/str.h"

enum vg_tactic {
	VG_TACTIC_OTHER = 0,
	VG_TACTIC_DISCOVERY,            /* get, describe, list: reconnaissance */
	VG_TACTIC_CREDENTIAL_ACCESS,    /* GetPasswordData, GetSecretValue, ... */
	VG_TACTIC_PERSISTENCE,          /* create, import, modify: CreateAccessKey, ... */
	VG_TACTIC_PRIVILEGE_ESCALATION, /* AttachUserPolicy, AddUserToGroup, ... */
	VG_TACTIC_DEFENSE_EVASION,      /* StopLogging, DeleteFlowLogs, ... */
	VG_TACTIC_IMPACT,               /* delete, update, put: DeleteSecurityGroup, ... */
	VG_TACTIC_EXFILTRATION,         /* CreateSnapshot, PutBucketReplication, ... */
	VG_TACTIC_INITIAL_ACCESS,       /* StartSession, GetAuthorizationToken, ... */
};

/* What an S3 data-plane call does to objects. */
enum vg_s3_class {
	VG_S3_OTHER = 0,
	VG_S3_DISCOVERY,  /* ListObjects, GetObjectAcl, HeadObject, ... */
	VG_S3_READ,       /* GetObject, CopyObject: data leaves the bucket */
	VG_S3_WRITE,      /* PutObject, multipart uploads */
	VG_S3_DELETE,     /* DeleteObject(s) */
	VG_S3_PERMISSION, /* PutObjectAcl and other access changes */
};

/* vg_api_tactic -- the tactic of API name (eventName) of service
 * (eventSource): an explicit table first, then the verb the name starts
 * with. */
enum vg_tactic vg_api_tactic(struct vg_str service, struct vg_str name);
/* vg_s3_class -- the class of an S3 data-event API name. */
enum vg_s3_class vg_s3_class(struct vg_str name);
/* vg_tactic_name -- "Discovery", "CredentialAccess", ... (GuardDuty's
 * threat-purpose spelling), "Other" for VG_TACTIC_OTHER. */
const char *vg_tactic_name(enum vg_tactic t);

#endif /* VG_DETECT_API_CLASS_H */
