/*
 * api_class.c -- the API classification table.
 *
 * The explicit rows are the APIs GuardDuty's finding documentation names
 * for each family (guardduty.md, the AnomalousBehavior and IP-caller
 * rows), plus the close relatives an attacker uses the same way (the
 * Stratus Red Team techniques).  Everything else is classified by the verb
 * its name starts with, as GuardDuty describes the families ("get,
 * describe, list" calls are discovery; "create, import, modify" are
 * persistence; "delete, update, put" are impact).
 */
#include "../vg.h"
#include "api_class.h"

struct api_row {
	const char *name;      /* eventName */
	const char *service;   /* eventSource, or NULL for any service */
	enum vg_tactic tactic;
};

static const struct api_row api_rows[] = {
	/* Credential access. */
	{"GetPasswordData", "ec2.amazonaws.com", VG_TACTIC_CREDENTIAL_ACCESS},
	{"GetSecretValue", "secretsmanager.amazonaws.com", VG_TACTIC_CREDENTIAL_ACCESS},
	{"BatchGetSecretValue", "secretsmanager.amazonaws.com", VG_TACTIC_CREDENTIAL_ACCESS},
	{"GenerateDbAuthToken", NULL, VG_TACTIC_CREDENTIAL_ACCESS},
	{"GetParameter", "ssm.amazonaws.com", VG_TACTIC_CREDENTIAL_ACCESS},
	{"GetParameters", "ssm.amazonaws.com", VG_TACTIC_CREDENTIAL_ACCESS},
	{"GetParametersByPath", "ssm.amazonaws.com", VG_TACTIC_CREDENTIAL_ACCESS},
	/* Defense evasion: logging and monitoring turned off. */
	{"StopLogging", "cloudtrail.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteTrail", "cloudtrail.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"UpdateTrail", "cloudtrail.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"PutEventSelectors", "cloudtrail.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteFlowLogs", "ec2.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DisableAlarmActions", "monitoring.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteAlarms", "monitoring.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteDetector", "guardduty.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DisassociateFromMasterAccount", "guardduty.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteResolverQueryLogConfig", "route53resolver.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"StopConfigurationRecorder", "config.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteConfigurationRecorder", "config.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteLogGroup", "logs.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteLogStream", "logs.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"LeaveOrganization", "organizations.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	{"DeleteModelInvocationLoggingConfiguration", "bedrock.amazonaws.com", VG_TACTIC_DEFENSE_EVASION},
	/* Privilege escalation. */
	{"AssociateIamInstanceProfile", "ec2.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"AddUserToGroup", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"PutUserPolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"PutRolePolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"PutGroupPolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"AttachUserPolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"AttachRolePolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"AttachGroupPolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"CreatePolicyVersion", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"SetDefaultPolicyVersion", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"UpdateAssumeRolePolicy", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	{"UpdateLoginProfile", "iam.amazonaws.com", VG_TACTIC_PRIVILEGE_ESCALATION},
	/* Persistence. */
	{"CreateAccessKey", "iam.amazonaws.com", VG_TACTIC_PERSISTENCE},
	{"CreateLoginProfile", "iam.amazonaws.com", VG_TACTIC_PERSISTENCE},
	{"ImportKeyPair", "ec2.amazonaws.com", VG_TACTIC_PERSISTENCE},
	{"ModifyInstanceAttribute", "ec2.amazonaws.com", VG_TACTIC_PERSISTENCE},
	/* Exfiltration: data copied or shared out. */
	{"PutBucketReplication", "s3.amazonaws.com", VG_TACTIC_EXFILTRATION},
	{"CreateSnapshot", "ec2.amazonaws.com", VG_TACTIC_EXFILTRATION},
	{"CreateDBSnapshot", "rds.amazonaws.com", VG_TACTIC_EXFILTRATION},
	{"RestoreDBInstanceFromDBSnapshot", "rds.amazonaws.com", VG_TACTIC_EXFILTRATION},
	{"ModifySnapshotAttribute", "ec2.amazonaws.com", VG_TACTIC_EXFILTRATION},
	{"ModifyImageAttribute", "ec2.amazonaws.com", VG_TACTIC_EXFILTRATION},
	{"ModifyDBSnapshotAttribute", "rds.amazonaws.com", VG_TACTIC_EXFILTRATION},
	/* Initial access: sessions and tokens. */
	{"StartSession", "ssm.amazonaws.com", VG_TACTIC_INITIAL_ACCESS},
	{"GetAuthorizationToken", "ecr.amazonaws.com", VG_TACTIC_INITIAL_ACCESS},
	{"ConsoleLogin", "signin.amazonaws.com", VG_TACTIC_INITIAL_ACCESS},
	{"GetFederationToken", "sts.amazonaws.com", VG_TACTIC_INITIAL_ACCESS},
	/* Impact. */
	{"DeleteSecurityGroup", "ec2.amazonaws.com", VG_TACTIC_IMPACT},
	{"UpdateUser", "iam.amazonaws.com", VG_TACTIC_IMPACT},
	{"PutBucketPolicy", "s3.amazonaws.com", VG_TACTIC_IMPACT},
};

/* Verbs an API name starts with, tried in order (longer first where one is
 * a prefix of another). */
static const struct {
	const char *verb;
	enum vg_tactic tactic;
} verbs[] = {
	{"BatchGet", VG_TACTIC_DISCOVERY}, {"Describe", VG_TACTIC_DISCOVERY}, {"Get", VG_TACTIC_DISCOVERY},
	{"List", VG_TACTIC_DISCOVERY},     {"Head", VG_TACTIC_DISCOVERY},     {"Lookup", VG_TACTIC_DISCOVERY},
	{"Search", VG_TACTIC_DISCOVERY},   {"Create", VG_TACTIC_PERSISTENCE}, {"Import", VG_TACTIC_PERSISTENCE},
	{"Modify", VG_TACTIC_PERSISTENCE}, {"Register", VG_TACTIC_PERSISTENCE}, {"Delete", VG_TACTIC_IMPACT},
	{"Update", VG_TACTIC_IMPACT},      {"Put", VG_TACTIC_IMPACT},         {"Terminate", VG_TACTIC_IMPACT},
	{"Remove", VG_TACTIC_IMPACT},
};

/* The verb must end where a new word starts: "Get" matches GetObject but
 * not Getaway. */
static bool starts_with_verb(struct vg_str name, const char *verb)
{
	size_t n = strlen(verb);
	return name.n > n && memcmp(name.p, verb, n) == 0 && name.p[n] >= 'A' && name.p[n] <= 'Z';
}

enum vg_tactic vg_api_tactic(struct vg_str service, struct vg_str name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(api_rows); i++) {
		const struct api_row *r = &api_rows[i];
		if (vg_str_eqc(name, r->name) && (!r->service || vg_str_eqc(service, r->service)))
			return r->tactic;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(verbs); i++)
		if (starts_with_verb(name, verbs[i].verb))
			return verbs[i].tactic;
	return VG_TACTIC_OTHER;
}

static const struct {
	const char *name;
	enum vg_s3_class cls;
} s3_rows[] = {
	{"GetObject", VG_S3_READ},           {"CopyObject", VG_S3_READ},
	{"GetObjectTorrent", VG_S3_READ},    {"SelectObjectContent", VG_S3_READ},
	{"PutObject", VG_S3_WRITE},          {"UploadPart", VG_S3_WRITE},
	{"UploadPartCopy", VG_S3_WRITE},     {"CreateMultipartUpload", VG_S3_WRITE},
	{"CompleteMultipartUpload", VG_S3_WRITE}, {"RestoreObject", VG_S3_WRITE},
	{"DeleteObject", VG_S3_DELETE},      {"DeleteObjects", VG_S3_DELETE},
	{"DeleteObjectVersion", VG_S3_DELETE}, {"AbortMultipartUpload", VG_S3_DELETE},
	{"PutObjectAcl", VG_S3_PERMISSION},  {"PutObjectRetention", VG_S3_PERMISSION},
	{"PutObjectLegalHold", VG_S3_PERMISSION},
};

enum vg_s3_class vg_s3_class(struct vg_str name)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(s3_rows); i++)
		if (vg_str_eqc(name, s3_rows[i].name))
			return s3_rows[i].cls;
	/* ListObjects(V2), ListParts, HeadObject, GetObjectAcl, GetObjectTagging,
	 * GetObjectAttributes, ...: looking, not taking. */
	if (starts_with_verb(name, "List") || starts_with_verb(name, "Head") || starts_with_verb(name, "Get"))
		return VG_S3_DISCOVERY;
	if (starts_with_verb(name, "Put"))
		return VG_S3_WRITE;
	return VG_S3_OTHER;
}

const char *vg_tactic_name(enum vg_tactic t)
{
	static const char *const names[] = {
		[VG_TACTIC_OTHER] = "Other",
		[VG_TACTIC_DISCOVERY] = "Discovery",
		[VG_TACTIC_CREDENTIAL_ACCESS] = "CredentialAccess",
		[VG_TACTIC_PERSISTENCE] = "Persistence",
		[VG_TACTIC_PRIVILEGE_ESCALATION] = "PrivilegeEscalation",
		[VG_TACTIC_DEFENSE_EVASION] = "DefenseEvasion",
		[VG_TACTIC_IMPACT] = "Impact",
		[VG_TACTIC_EXFILTRATION] = "Exfiltration",
		[VG_TACTIC_INITIAL_ACCESS] = "InitialAccess",
	};
	return (unsigned)t < VG_ARRAY_LEN(names) ? names[t] : "Other";
}
