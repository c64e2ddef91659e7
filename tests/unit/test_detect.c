/*
 * test_detect.c -- the CloudTrail rule detectors, through the detector
 * table: each case builds one event in code (requestParameters parsed from
 * JSON, the rest filled by hand), runs every detector on it, and checks
 * the drafts emitted.  Positives and negatives sit side by side in one
 * table per detector family.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>

#include "vg.h"
#include "core/event.h"
#include "decode/json.h"
#include "detect/detector.h"
#include "detect/dns_util_int.h"
#include "detect/engine.h"
#include "finding/finding.h"

/* ---- capturing emitter ------------------------------------------------ */

#define MAX_DRAFTS 8

struct captured {
	const struct vg_finding_type *type;
	double severity; /* resolved: the type's default when the draft says 0 */
	char bucket[128];
	char key_extra[128];
	int n_info;
	char info_key[VG_DRAFT_MAX_INFO][64];
	char info_val[VG_DRAFT_MAX_INFO][256];
};

struct capture {
	int n;
	struct captured d[MAX_DRAFTS];
};

static void copy_str(char *dst, size_t cap, struct vg_str s)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;
	if (n)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
}

static void capture_emit(void *ctx, const struct vg_finding_draft *d)
{
	struct capture *c = ctx;
	cr_assert(c->n < MAX_DRAFTS, "too many drafts");
	struct captured *o = &c->d[c->n++];
	cr_assert_not_null(d->type);
	cr_assert_not_null(d->ev);
	o->type = d->type;
	o->severity = d->severity != 0 ? d->severity : d->type->severity;
	copy_str(o->bucket, sizeof(o->bucket), d->bucket);
	copy_str(o->key_extra, sizeof(o->key_extra), d->key_extra);
	cr_assert(d->n_info >= 0 && d->n_info <= VG_DRAFT_MAX_INFO);
	o->n_info = d->n_info;
	for (int i = 0; i < d->n_info; i++) {
		cr_assert_not_null(d->info[i].key);
		snprintf(o->info_key[i], sizeof(o->info_key[i]), "%s", d->info[i].key);
		copy_str(o->info_val[i], sizeof(o->info_val[i]), d->info[i].value);
	}
}

static const char *info(const struct captured *d, const char *key)
{
	for (int i = 0; i < d->n_info; i++)
		if (strcmp(d->info_key[i], key) == 0)
			return d->info_val[i];
	return NULL;
}

/* ---- building events ---------------------------------------------------- */

struct tcase {
	const char *what;           /* shown when the case fails */
	const char *service;        /* eventSource */
	const char *name;           /* eventName */
	const char *request;        /* requestParameters JSON, NULL for none */
	const char *error;          /* errorCode, NULL when the call succeeded */
	const char *ua;             /* userAgent, a plain CLI one when NULL */
	const char *actor_type;     /* userIdentity.type, IAMUser when NULL */
	const char *invoked_by;     /* userIdentity.invokedBy */
	bool assumed_root;          /* sessionContext.assumedRoot */
	bool data;                  /* eventCategory Data */
	/* Expected: one draft of this type, or none when NULL. */
	const char *type;
	double severity;
	const char *bucket;         /* expected draft bucket ("" = empty) */
	const char *key_extra;      /* expected extra key, unchecked when NULL */
};

static struct vg_detect_engine *engine;
static struct vg_json_parser *parser;

static void setup(void)
{
	static const struct vg_detect_config no_intel = {0};
	cr_assert_eq(vg_detect_engine_new(&engine, &no_intel), VG_OK);
	cr_assert_eq(vg_json_parser_new(&parser, 1 << 20), VG_OK);
}

static void teardown(void)
{
	vg_detect_engine_free(engine);
	vg_json_parser_free(parser);
}

#define CLI_UA "aws-cli/2.15.0 Python/3.11.6 Linux/6.2.0-1017-aws exe/x86_64.ubuntu.22 prompt/off command/s3api"

/* run_event -- build the event for c and collect every detector's drafts. */
static void run_event(const struct tcase *c, struct capture *cap)
{
	struct vg_event ev;
	struct vg_json req;
	char *buf = NULL;
	memset(&ev, 0, sizeof(ev));
	memset(cap, 0, sizeof(*cap));

	ev.source = VG_SRC_CLOUDTRAIL;
	ev.account = VG_STR_LIT("111122223333");
	ev.region = VG_STR_LIT("us-east-1");
	ev.api.service = vg_str_c(c->service);
	ev.api.name = vg_str_c(c->name);
	ev.api.event_type = VG_STR_LIT("AwsApiCall");
	ev.api.error_code = vg_str_c(c->error);
	ev.api.category = c->data ? VG_CT_DATA : VG_CT_MANAGEMENT;
	ev.user_agent = vg_str_c(c->ua ? c->ua : CLI_UA);
	ev.actor.type = vg_str_c(c->actor_type ? c->actor_type : "IAMUser");
	ev.actor.principal_id = VG_STR_LIT("AIDAEXAMPLEPRINCIPAL");
	ev.actor.arn = VG_STR_LIT("arn:aws:iam::111122223333:user/alice");
	ev.actor.account = VG_STR_LIT("111122223333");
	ev.actor.access_key_id = VG_STR_LIT("AKIAEXAMPLEKEY000001");
	ev.actor.invoked_by = vg_str_c(c->invoked_by);
	ev.actor.assumed_root = c->assumed_root;

	if (c->request) {
		/* simdjson reads up to VG_JSON_PADDING bytes past the end. */
		size_t n = strlen(c->request);
		const char *why = NULL;
		buf = calloc(1, n + VG_JSON_PADDING);
		cr_assert_not_null(buf);
		memcpy(buf, c->request, n);
		cr_assert_eq(vg_json_parse(parser, buf, n, &req, &why), VG_OK, "%s: bad test JSON: %s", c->what,
			     why);
		ev.api.request = &req;
	}
	struct vg_emitter out = {.emit = capture_emit, .ctx = cap};
	vg_detect_event(engine, &ev, &out);
	free(buf);
}

static void check(const struct tcase *c)
{
	struct capture cap;
	run_event(c, &cap);
	if (!c->type) {
		cr_expect_eq(cap.n, 0, "%s: expected no finding, got %d (first %s)", c->what, cap.n,
			     cap.n ? cap.d[0].type->name : "-");
		return;
	}
	cr_assert_eq(cap.n, 1, "%s: expected 1 finding, got %d", c->what, cap.n);
	const struct captured *d = &cap.d[0];
	cr_expect_str_eq(d->type->name, c->type, "%s: type", c->what);
	cr_expect_eq(d->severity, c->severity, "%s: severity %g, want %g", c->what, d->severity, c->severity);
	if (c->bucket)
		cr_expect_str_eq(d->bucket, c->bucket, "%s: bucket", c->what);
	if (c->key_extra)
		cr_expect_str_eq(d->key_extra, c->key_extra, "%s: key_extra", c->what);
}

static void check_all(const struct tcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check(&cases[i]);
}

#define S3 "s3.amazonaws.com"
#define IAM "iam.amazonaws.com"
#define CT "cloudtrail.amazonaws.com"


Test(detect_table, every_type_is_well_formed)
{
	const struct vg_finding_type *types[64];
	size_t n = vg_finding_type_all(types, 64);
	cr_assert_geq(n, 16, "expected at least the 16 rule types, got %zu", n);
	for (size_t i = 0; i < n; i++) {
		const struct vg_finding_type *t = types[i];
		cr_expect(t->severity == 2 || t->severity == 5 || t->severity == 8, "%s: severity", t->name);
		cr_expect(vg_finding_template_valid(t->title), "%s: title uses an unknown placeholder", t->name);
		cr_expect(vg_finding_template_valid(t->description), "%s: description uses an unknown placeholder",
			  t->name);
		cr_expect(t->trigger && *t->trigger, "%s: trigger", t->name);
		cr_expect(t->resource >= VG_RES_ACCESS_KEY && t->resource <= VG_RES_INSTANCE, "%s", t->name);
		cr_expect_eq(vg_finding_type_find(t->name), t, "%s: find by name", t->name);
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(t->name, types[j]->name, "duplicate type name");
	}
	for (size_t i = 0; i < vg_detector_count(); i++) {
		const struct vg_detector *d = vg_detector_at(i);
		cr_expect(d->desc && *d->desc, "%s: desc", d->name);
		cr_expect(d->doc_url && strncmp(d->doc_url, "https://docs.aws.amazon.com/guardduty/", 38) == 0,
			  "%s: doc_url", d->name);
	}
}

/* ---- Stealth:IAMUser/CloudTrailLoggingDisabled ------------------------- */

#define CT_OFF "Stealth:IAMUser/CloudTrailLoggingDisabled"

static const struct tcase cloudtrail_cases[] = {
	{"StopLogging by ARN", CT, "StopLogging", "{\"name\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/mgmt\"}",
	 .type = CT_OFF, .severity = 2, .key_extra = "mgmt"},
	{"StopLogging by name", CT, "StopLogging", "{\"name\":\"mgmt\"}", .type = CT_OFF, .severity = 2,
	 .key_extra = "mgmt"},
	{"DeleteTrail", CT, "DeleteTrail", "{\"name\":\"org-trail\"}", .type = CT_OFF, .severity = 2,
	 .key_extra = "org-trail"},
	{"StopLogging denied", CT, "StopLogging", "{\"name\":\"mgmt\"}", .error = "AccessDenied"},
	{"DeleteTrail not found", CT, "DeleteTrail", "{\"name\":\"x\"}", .error = "TrailNotFoundException"},
	{"StartLogging", CT, "StartLogging", "{\"name\":\"mgmt\"}", .type = NULL},
	{"PutEventSelectors", CT, "PutEventSelectors", "{\"trailName\":\"mgmt\"}", .type = NULL},
	{"UpdateTrail", CT, "UpdateTrail", "{\"name\":\"mgmt\",\"s3BucketName\":\"logs\"}", .type = NULL},
	{"StopLogging on another service", "cloudtrail-data.amazonaws.com", "StopLogging", "{\"name\":\"x\"}", .type = NULL},
};

Test(cloudtrail_logging, cases, .init = setup, .fini = teardown)
{
	check_all(cloudtrail_cases, VG_ARRAY_LEN(cloudtrail_cases));
}

Test(cloudtrail_logging, evidence, .init = setup, .fini = teardown)
{
	struct capture cap;
	run_event(&cloudtrail_cases[0], &cap);
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "trailName"), "mgmt");
}

/* ---- Stealth:IAMUser/PasswordPolicyChange ------------------------------ */

#define PW "Stealth:IAMUser/PasswordPolicyChange"
#define PW_STRONG                                                                                      \
	"\"minimumPasswordLength\":14,\"requireSymbols\":true,\"requireNumbers\":true,"                \
	"\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"                     \
	"\"allowUsersToChangePassword\":true,\"passwordReusePrevention\":24"

static const struct tcase password_cases[] = {
	{"delete", IAM, "DeleteAccountPasswordPolicy", NULL, .type = PW, .severity = 8,
	 .key_extra = "DeleteAccountPasswordPolicy"},
	{"update meeting CIS", IAM, "UpdateAccountPasswordPolicy", "{" PW_STRONG ",\"maxPasswordAge\":90}",
	 .type = PW, .severity = 2, .key_extra = "UpdateAccountPasswordPolicy"},
	{"update, flags as strings", IAM, "UpdateAccountPasswordPolicy",
	 "{\"minimumPasswordLength\":\"16\",\"requireSymbols\":\"true\",\"requireNumbers\":\"true\","
	 "\"requireUppercaseCharacters\":\"true\",\"requireLowercaseCharacters\":\"true\","
	 "\"passwordReusePrevention\":24,\"maxPasswordAge\":30}",
	 .type = PW, .severity = 2},
	{"update, no expiry", IAM, "UpdateAccountPasswordPolicy", "{" PW_STRONG "}", .type = PW, .severity = 5},
	{"update, expiry 365 days", IAM, "UpdateAccountPasswordPolicy", "{" PW_STRONG ",\"maxPasswordAge\":365}",
	 .type = PW, .severity = 5},
	{"update, length 12 and no symbols", IAM, "UpdateAccountPasswordPolicy",
	 "{\"minimumPasswordLength\":12,\"requireSymbols\":false,\"requireNumbers\":true,"
	 "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"
	 "\"passwordReusePrevention\":24,\"maxPasswordAge\":90}",
	 .type = PW, .severity = 5},
	{"update, three weaknesses", IAM, "UpdateAccountPasswordPolicy",
	 "{\"minimumPasswordLength\":10,\"requireSymbols\":false,\"requireNumbers\":true,"
	 "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"
	 "\"passwordReusePrevention\":5,\"maxPasswordAge\":90}",
	 .type = PW, .severity = 8},
	{"update, length 6 alone", IAM, "UpdateAccountPasswordPolicy",
	 "{\"minimumPasswordLength\":6,\"requireSymbols\":true,\"requireNumbers\":true,"
	 "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"
	 "\"passwordReusePrevention\":24,\"maxPasswordAge\":90}",
	 .type = PW, .severity = 8},
	{"update to all defaults", IAM, "UpdateAccountPasswordPolicy", "{}", .type = PW, .severity = 8},
	{"update without requestParameters", IAM, "UpdateAccountPasswordPolicy", NULL, .type = PW, .severity = 8},
	{"update rejected", IAM, "UpdateAccountPasswordPolicy", "{\"minimumPasswordLength\":4}",
	 .error = "ValidationException"},
	{"delete denied", IAM, "DeleteAccountPasswordPolicy", NULL, .error = "AccessDenied"},
	{"delete when none exists", IAM, "DeleteAccountPasswordPolicy", NULL, .error = "NoSuchEntityException"},
	{"read the policy", IAM, "GetAccountPasswordPolicy", NULL, .type = NULL},
};

Test(password_policy, cases, .init = setup, .fini = teardown)
{
	check_all(password_cases, VG_ARRAY_LEN(password_cases));
}

Test(password_policy, evidence, .init = setup, .fini = teardown)
{
	struct capture cap;
	run_event(&password_cases[6], &cap); /* three weaknesses */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "weaknesses"), "3");
	cr_expect_str_eq(info(&cap.d[0], "minimumPasswordLength"), "10");
	cr_expect_str_eq(info(&cap.d[0], "weakSettings"), "minimumPasswordLength,requireSymbols,"
							  "passwordReusePrevention");
	run_event(&password_cases[1], &cap); /* meets the baseline */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "weaknesses"), "0");
	cr_expect_null(info(&cap.d[0], "weakSettings"));
}

/* ---- Stealth:S3/ServerAccessLoggingDisabled ---------------------------- */

#define S3_LOG "Stealth:S3/ServerAccessLoggingDisabled"

static const struct tcase s3_logging_cases[] = {
	{"logging turned off", S3, "PutBucketLogging",
	 "{\"logging\":\"\",\"bucketName\":\"audit-data\",\"BucketLoggingStatus\":"
	 "{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\"},\"Host\":\"audit-data.s3.amazonaws.com\"}",
	 .type = S3_LOG, .severity = 2, .bucket = "audit-data"},
	{"logging turned on", S3, "PutBucketLogging",
	 "{\"bucketName\":\"audit-data\",\"BucketLoggingStatus\":{\"LoggingEnabled\":"
	 "{\"TargetBucket\":\"logs\",\"TargetPrefix\":\"audit/\"}}}", .type = NULL},
	{"no status in the record", S3, "PutBucketLogging", "{\"bucketName\":\"audit-data\"}", .type = NULL},
	{"no requestParameters", S3, "PutBucketLogging", NULL, .type = NULL},
	{"turning off denied", S3, "PutBucketLogging",
	 "{\"bucketName\":\"audit-data\",\"BucketLoggingStatus\":{}}", .error = "AccessDenied"},
	{"reading the status", S3, "GetBucketLogging", "{\"bucketName\":\"audit-data\"}", .type = NULL},
};

Test(s3_logging, cases, .init = setup, .fini = teardown)
{
	check_all(s3_logging_cases, VG_ARRAY_LEN(s3_logging_cases));
}

/* ---- Policy:IAMUser/RootCredentialUsage and ShortTerm ------------------ */

#define ROOT "Policy:IAMUser/RootCredentialUsage"
#define ROOT_ST "Policy:IAMUser/ShortTermRootCredentialUsage"

static const struct tcase root_cases[] = {
	{"root lists buckets", S3, "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}", .actor_type = "Root",
	 .type = ROOT, .severity = 2, .key_extra = ""},
	{"root refused call still counts", "ec2.amazonaws.com", "RunInstances", "{}", .error = "UnauthorizedOperation",
	 .actor_type = "Root", .type = ROOT, .severity = 2},
	{"root console sign-in", "signin.amazonaws.com", "ConsoleLogin", NULL, .actor_type = "Root", .type = ROOT,
	 .severity = 2},
	{"root S3 data event", S3, "GetObject", "{\"bucketName\":\"b\",\"key\":\"k\"}", .actor_type = "Root",
	 .data = true, .type = ROOT, .severity = 2},
	{"AssumeRoot session", S3, "DeleteBucketPolicy", "{\"bucketName\":\"locked\"}", .actor_type = "Root",
	 .assumed_root = true, .type = ROOT_ST, .severity = 2},
	{"service on behalf of root", "kms.amazonaws.com", "Decrypt", "{}", .actor_type = "Root",
	 .invoked_by = "s3.amazonaws.com"},
	{"the AssumeRoot call itself", "sts.amazonaws.com", "AssumeRoot", "{\"targetPrincipal\":\"222222222222\"}",
	 .actor_type = "AssumedRole", .assumed_root = true},
	{"an IAM user", S3, "ListBuckets", NULL, .type = NULL},
	{"an AWS service", "sts.amazonaws.com", "AssumeRole", NULL, .actor_type = "AWSService"},
};

Test(root_usage, cases, .init = setup, .fini = teardown)
{
	check_all(root_cases, VG_ARRAY_LEN(root_cases));
}

/* ---- Policy:S3/AccountBlockPublicAccessDisabled, BucketBlock... -------- */

#define ACCT_BPA "Policy:S3/AccountBlockPublicAccessDisabled"
#define BKT_BPA "Policy:S3/BucketBlockPublicAccessDisabled"
#define BPA(a, b, c, d)                                                                                \
	"{\"PublicAccessBlockConfiguration\":{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\","   \
	"\"BlockPublicAcls\":" a ",\"IgnorePublicAcls\":" b ",\"BlockPublicPolicy\":" c                 \
	",\"RestrictPublicBuckets\":" d "},\"bucketName\":\"web-assets\",\"publicAccessBlock\":\"\"}"

static const struct tcase bpa_cases[] = {
	{"account: all off", S3, "PutAccountPublicAccessBlock", BPA("false", "false", "false", "false"),
	 .type = ACCT_BPA, .severity = 2, .bucket = ""},
	{"account: one off", S3, "PutAccountPublicAccessBlock", BPA("true", "true", "true", "false"),
	 .type = ACCT_BPA, .severity = 2, .bucket = ""},
	{"account: s3-control source", "s3-control.amazonaws.com", "PutAccountPublicAccessBlock",
	 BPA("false", "true", "true", "true"), .type = ACCT_BPA, .severity = 2},
	{"account: a switch missing", S3, "PutAccountPublicAccessBlock",
	 "{\"PublicAccessBlockConfiguration\":{\"BlockPublicAcls\":true,\"IgnorePublicAcls\":true,"
	 "\"BlockPublicPolicy\":true}}",
	 .type = ACCT_BPA, .severity = 2},
	{"account: deleted", S3, "DeleteAccountPublicAccessBlock", "{}", .type = ACCT_BPA, .severity = 2,
	 .bucket = ""},
	{"account: all on", S3, "PutAccountPublicAccessBlock", BPA("true", "true", "true", "true"), .type = NULL},
	{"account: denied", S3, "PutAccountPublicAccessBlock", BPA("false", "false", "false", "false"),
	 .error = "AccessDenied"},
	{"account: no configuration", S3, "PutAccountPublicAccessBlock", "{}", .type = NULL},
	{"bucket: all off", S3, "PutBucketPublicAccessBlock", BPA("false", "false", "false", "false"),
	 .type = BKT_BPA, .severity = 2, .bucket = "web-assets"},
	{"bucket: strings", S3, "PutBucketPublicAccessBlock", BPA("\"true\"", "\"false\"", "\"true\"", "\"true\""),
	 .type = BKT_BPA, .severity = 2, .bucket = "web-assets"},
	{"bucket: deleted", S3, "DeleteBucketPublicAccessBlock",
	 "{\"bucketName\":\"web-assets\",\"publicAccessBlock\":\"\"}", .type = BKT_BPA, .severity = 2,
	 .bucket = "web-assets"},
	{"bucket: all on", S3, "PutBucketPublicAccessBlock", BPA("true", "true", "true", "true"), .type = NULL},
	{"bucket: delete denied", S3, "DeleteBucketPublicAccessBlock", "{\"bucketName\":\"web-assets\"}",
	 .error = "AccessDenied"},
	{"bucket: read", S3, "GetBucketPublicAccessBlock", "{\"bucketName\":\"web-assets\"}", .type = NULL},
};

Test(s3_block_public, cases, .init = setup, .fini = teardown)
{
	check_all(bpa_cases, VG_ARRAY_LEN(bpa_cases));
}

Test(s3_block_public, evidence, .init = setup, .fini = teardown)
{
	struct capture cap;
	run_event(&bpa_cases[1], &cap);
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "disabledSettings"), "RestrictPublicBuckets");
}

/* ---- Policy:S3/BucketAnonymousAccessGranted, BucketPublicAccessGranted - */

#define ANON "Policy:S3/BucketAnonymousAccessGranted"
#define AUTH "Policy:S3/BucketPublicAccessGranted"
#define POLICY(stmts) "{\"bucketName\":\"web-assets\",\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":" stmts "}}"
#define ALLOW_ALL(principal, extra)                                                                    \
	"{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":" principal                         \
	",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::web-assets/*\"" extra "}"
#define ACL(grants)                                                                                    \
	"{\"bucketName\":\"web-assets\",\"acl\":\"\",\"AccessControlPolicy\":{\"AccessControlList\":"   \
	"{\"Grant\":" grants "},\"Owner\":{\"ID\":\"abc123\"}}}"
#define GRANT_OWNER                                                                                    \
	"{\"Grantee\":{\"xsi:type\":\"CanonicalUser\",\"ID\":\"abc123\"},\"Permission\":\"FULL_CONTROL\"}"
#define GRANT_GROUP(g, perm)                                                                           \
	"{\"Grantee\":{\"xsi:type\":\"Group\",\"URI\":\"http://acs.amazonaws.com/groups/global/" g "\"}," \
	"\"Permission\":\"" perm "\"}"

static const struct tcase public_cases[] = {
	/* Policies that reach everyone. */
	{"policy: Principal *", S3, "PutBucketPolicy", POLICY("[" ALLOW_ALL("\"*\"", "") "]"), .type = ANON,
	 .severity = 8, .bucket = "web-assets"},
	{"policy: AWS *", S3, "PutBucketPolicy", POLICY("[" ALLOW_ALL("{\"AWS\":\"*\"}", "") "]"), .type = ANON,
	 .severity = 8, .bucket = "web-assets"},
	{"policy: * among accounts", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("{\"AWS\":[\"arn:aws:iam::444455556666:root\",\"*\"]}", "") "]"), .type = ANON,
	 .severity = 8},
	{"policy: single statement object", S3, "PutBucketPolicy", POLICY(ALLOW_ALL("\"*\"", "")), .type = ANON,
	 .severity = 8},
	{"policy: as a JSON string", S3, "PutBucketPolicy",
	 "{\"bucketName\":\"web-assets\",\"bucketPolicy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":"
	 "[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"*\\\"},\\\"Action\\\":\\\"s3:*\\\","
	 "\\\"Resource\\\":\\\"arn:aws:s3:::web-assets/*\\\"}]}\"}",
	 .type = ANON, .severity = 8, .bucket = "web-assets"},
	{"policy: SourceIp everyone", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"0.0.0.0/0\",\"::/0\"]}}") "]"),
	 .type = ANON, .severity = 8},
	{"policy: negated VPC condition", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpc\":\"vpc-1a2b3c4d\"}}") "]"),
	 .type = ANON, .severity = 8},
	{"policy: wildcard VPC", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"StringLike\":{\"aws:SourceVpc\":\"vpc-*\"}}") "]"),
	 .type = ANON, .severity = 8},
	{"policy: IfExists pins nothing", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"StringEqualsIfExists\":{\"aws:SourceVpce\":\"vpce-1\"}}") "]"),
	 .type = ANON, .severity = 8},
	{"policy: TLS-only condition", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}") "]"),
	 .type = ANON, .severity = 8},
	{"policy: NotPrincipal allow", S3, "PutBucketPolicy",
	 POLICY("[{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
		"\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]"),
	 .type = ANON, .severity = 8},
	{"policy: public after a private statement", S3, "PutBucketPolicy",
	 POLICY("[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},"
		"\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}," ALLOW_ALL("\"*\"", "") "]"),
	 .type = ANON, .severity = 8},
	/* Policies that do not. */
	{"policy: VPC endpoint only", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}") "]"), .type = NULL},
	{"policy: key case ignored", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"StringEquals\":{\"AWS:SOURCEVPCE\":\"vpce-1a2b3c4d\"}}") "]"), .type = NULL},
	{"policy: organisation only", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}") "]"), .type = NULL},
	{"policy: office network only", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("\"*\"", ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\"]}}") "]"), .type = NULL},
	{"policy: CloudTrail service", S3, "PutBucketPolicy",
	 POLICY("[{\"Sid\":\"AWSCloudTrailWrite\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
		"\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}]"), .type = NULL},
	{"policy: one account", S3, "PutBucketPolicy",
	 POLICY("[" ALLOW_ALL("{\"AWS\":\"arn:aws:iam::444455556666:root\"}", "") "]"), .type = NULL},
	{"policy: deny everyone", S3, "PutBucketPolicy",
	 POLICY("[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\","
		"\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]"), .type = NULL},
	{"policy: string that is not JSON", S3, "PutBucketPolicy",
	 "{\"bucketName\":\"web-assets\",\"bucketPolicy\":\"invalid-json-policy\"}", .type = NULL},
	{"policy: public but denied", S3, "PutBucketPolicy", POLICY("[" ALLOW_ALL("\"*\"", "") "]"),
	 .error = "AccessDenied"},
	{"policy: no policy member", S3, "PutBucketPolicy", "{\"bucketName\":\"web-assets\"}", .type = NULL},
	/* ACLs. */
	{"acl: AllUsers READ", S3, "PutBucketAcl", ACL("[" GRANT_OWNER "," GRANT_GROUP("AllUsers", "READ") "]"),
	 .type = ANON, .severity = 8, .bucket = "web-assets"},
	{"acl: single AllUsers grant object", S3, "PutBucketAcl", ACL(GRANT_GROUP("AllUsers", "WRITE")),
	 .type = ANON, .severity = 8},
	{"acl: AuthenticatedUsers", S3, "PutBucketAcl",
	 ACL("[" GRANT_OWNER "," GRANT_GROUP("AuthenticatedUsers", "READ") "]"), .type = AUTH, .severity = 8,
	 .bucket = "web-assets"},
	{"acl: both groups, anonymous wins", S3, "PutBucketAcl",
	 ACL("[" GRANT_GROUP("AuthenticatedUsers", "READ") "," GRANT_GROUP("AllUsers", "READ") "]"), .type = ANON,
	 .severity = 8},
	{"acl: canned public-read", S3, "PutBucketAcl", "{\"bucketName\":\"web-assets\",\"x-amz-acl\":[\"public-read\"]}",
	 .type = ANON, .severity = 8, .bucket = "web-assets"},
	{"acl: canned authenticated-read", S3, "PutBucketAcl",
	 "{\"bucketName\":\"web-assets\",\"x-amz-acl\":\"authenticated-read\"}", .type = AUTH, .severity = 8},
	{"acl: grant header", S3, "PutBucketAcl",
	 "{\"bucketName\":\"web-assets\",\"x-amz-grant-read\":[\"uri=\\\"http://acs.amazonaws.com/groups/global/AllUsers\\\"\"]}",
	 .type = ANON, .severity = 8},
	{"create: public-read-write", S3, "CreateBucket",
	 "{\"bucketName\":\"drop-box\",\"Host\":\"drop-box.s3.amazonaws.com\",\"x-amz-acl\":[\"public-read-write\"]}",
	 .type = ANON, .severity = 8, .bucket = "drop-box"},
	{"acl: canned private", S3, "PutBucketAcl", "{\"bucketName\":\"web-assets\",\"acl\":[\"\"],\"x-amz-acl\":[\"private\"]}", .type = NULL},
	{"acl: owner only", S3, "PutBucketAcl", ACL("[" GRANT_OWNER "]"), .type = NULL},
	{"acl: log delivery group", S3, "PutBucketAcl",
	 "{\"bucketName\":\"logs\",\"AccessControlPolicy\":{\"AccessControlList\":{\"Grant\":"
	 "{\"Grantee\":{\"URI\":\"http://acs.amazonaws.com/groups/s3/LogDelivery\"},\"Permission\":\"WRITE\"}}}}", .type = NULL},
	{"acl: public but denied", S3, "PutBucketAcl", ACL("[" GRANT_GROUP("AllUsers", "READ") "]"),
	 .error = "AccessDenied"},
	{"create: private", S3, "CreateBucket", "{\"bucketName\":\"b\",\"Host\":\"b.s3.amazonaws.com\"}", .type = NULL},
};

Test(s3_public_access, cases, .init = setup, .fini = teardown)
{
	check_all(public_cases, VG_ARRAY_LEN(public_cases));
}

Test(s3_public_access, evidence, .init = setup, .fini = teardown)
{
	struct capture cap;
	run_event(&public_cases[0], &cap); /* Principal * with Sid PublicRead */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "publicVia"), "bucketPolicy");
	cr_expect_str_eq(info(&cap.d[0], "statement"), "PublicRead");
	cr_expect_str_eq(info(&cap.d[0], "permission"), "s3:GetObject");

	run_event(&public_cases[4], &cap); /* policy string, no Sid */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "statement"), "Statement[0]");
	cr_expect_str_eq(info(&cap.d[0], "permission"), "s3:*");

	run_event(&public_cases[11], &cap); /* second statement public */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "statement"), "PublicRead");

	run_event(&public_cases[22], &cap); /* AllUsers READ grant */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "publicVia"), "aclGrant");
	cr_expect_str_eq(info(&cap.d[0], "grantee"), "http://acs.amazonaws.com/groups/global/AllUsers");
	cr_expect_str_eq(info(&cap.d[0], "permission"), "READ");
}

/* ---- DefenseEvasion:IAMUser/BedrockLoggingDisabled ---------------------- */

#define BEDROCK "DefenseEvasion:IAMUser/BedrockLoggingDisabled"
#define BR "bedrock.amazonaws.com"

static const struct tcase bedrock_cases[] = {
	{"logging deleted", BR, "DeleteModelInvocationLoggingConfiguration", NULL, .type = BEDROCK, .severity = 5},
	{"delete denied", BR, "DeleteModelInvocationLoggingConfiguration", NULL, .error = "AccessDeniedException"},
	{"logging configured", BR, "PutModelInvocationLoggingConfiguration",
	 "{\"loggingConfig\":{\"textDataDeliveryEnabled\":true}}", .type = NULL},
	{"logging read", BR, "GetModelInvocationLoggingConfiguration", NULL, .type = NULL},
};

Test(bedrock_logging, cases, .init = setup, .fini = teardown)
{
	check_all(bedrock_cases, VG_ARRAY_LEN(bedrock_cases));
}

/* ---- PenTest:IAMUser and PenTest:S3 (six types) ------------------------- */

#define EC2 "ec2.amazonaws.com"
#define KALI_CLI "aws-cli/2.15.0 Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off command/ec2.describe-instances"
#define KALI_BOTO "Boto3/1.34.0 Python/3.11.8 Linux/6.5.0-kali3-amd64 Botocore/1.34.0"
#define PARROT_BOTO "Boto3/1.28.57 Python/3.11.2 Linux/6.1.0-1parrot1-amd64 Botocore/1.31.57"
#define PENTOO_CLI "aws-cli/2.13.0 md/awscrt#0.16.9 ua/2.0 os/linux#6.4.12-pentoo md/arch#x86_64 lang/python#3.11.4 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/command#sts.get-caller-identity"
#define KALI_S3 "[aws-cli/2.15.0 Python/3.11.8 Linux/6.6.9-amd64 exe/x86_64.kali.2024 prompt/off command/s3.cp]"

static const struct tcase pentest_cases[] = {
	{"kali CLI", EC2, "DescribeInstances", "{}", .ua = KALI_CLI, .type = "PenTest:IAMUser/KaliLinux",
	 .severity = 5},
	{"kali boto3 kernel", IAM, "ListUsers", NULL, .ua = KALI_BOTO, .type = "PenTest:IAMUser/KaliLinux",
	 .severity = 5},
	{"kali, refused call", IAM, "ListRoles", NULL, .ua = KALI_BOTO, .error = "AccessDenied",
	 .type = "PenTest:IAMUser/KaliLinux", .severity = 5},
	{"parrot kernel", "sts.amazonaws.com", "GetCallerIdentity", NULL, .ua = PARROT_BOTO,
	 .type = "PenTest:IAMUser/ParrotLinux", .severity = 5},
	{"pentoo os token", "sts.amazonaws.com", "GetCallerIdentity", NULL, .ua = PENTOO_CLI,
	 .type = "PenTest:IAMUser/PentooLinux", .severity = 5},
	{"kali S3 data event", S3, "GetObject", "{\"bucketName\":\"payroll\",\"key\":\"2024/q1.csv\"}",
	 .ua = KALI_S3, .data = true, .type = "PenTest:S3/KaliLinux", .severity = 5, .bucket = "payroll"},
	{"parrot S3 data event", S3, "ListObjects", "{\"bucketName\":\"payroll\"}", .ua = PARROT_BOTO, .data = true,
	 .type = "PenTest:S3/ParrotLinux", .severity = 5, .bucket = "payroll"},
	{"kali S3 management event", S3, "GetBucketAcl", "{\"bucketName\":\"payroll\"}", .ua = KALI_CLI,
	 .type = "PenTest:IAMUser/KaliLinux", .severity = 5},
	{"upper case platform", EC2, "DescribeRegions", NULL, .ua = "Boto3/1.34.0 Python/3.11.8 LINUX/6.5.0-KALI3-AMD64",
	 .type = "PenTest:IAMUser/KaliLinux", .severity = 5},
	{"ubuntu CLI", EC2, "DescribeInstances", NULL, .type = NULL},
	{"kali outside the platform", S3, "GetObject", "{\"bucketName\":\"kalinews\"}",
	 .ua = "Mozilla/5.0 (X11; Linux x86_64) https://kalinews.s3.amazonaws.com/parrot-pentoo", .data = true},
	{"product named parrot", EC2, "DescribeInstances", NULL, .ua = "parrot-deployer/1.2 aws-sdk-go/1.44.0 (go1.21; linux; amd64)"},
	{"console", EC2, "DescribeInstances", NULL, .ua = "AWS Internal"},
	{"empty user agent", EC2, "DescribeInstances", NULL, .ua = ""},
};

Test(pentest_ua, cases, .init = setup, .fini = teardown)
{
	check_all(pentest_cases, VG_ARRAY_LEN(pentest_cases));
}

Test(pentest_ua, evidence, .init = setup, .fini = teardown)
{
	struct capture cap;
	run_event(&pentest_cases[0], &cap);
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "userAgentPlatform"), "exe/x86_64.kali.2024");
	run_event(&pentest_cases[5], &cap); /* brackets are not part of the token */
	cr_assert_eq(cap.n, 1);
	cr_expect_str_eq(info(&cap.d[0], "userAgentPlatform"), "exe/x86_64.kali.2024");
}

/* ---- several detectors on one event ------------------------------------- */

Test(detect_table, root_from_kali_stops_a_trail, .init = setup, .fini = teardown)
{
	static const struct tcase c = {"root on kali stops logging", CT, "StopLogging", "{\"name\":\"mgmt\"}",
				       .ua = KALI_BOTO, .actor_type = "Root"};
	struct capture cap;
	bool seen[3] = {false, false, false};
	run_event(&c, &cap);
	cr_assert_eq(cap.n, 3, "got %d drafts", cap.n);
	for (int i = 0; i < cap.n; i++) {
		seen[0] |= strcmp(cap.d[i].type->name, CT_OFF) == 0;
		seen[1] |= strcmp(cap.d[i].type->name, ROOT) == 0;
		seen[2] |= strcmp(cap.d[i].type->name, "PenTest:IAMUser/KaliLinux") == 0;
	}
	cr_expect(seen[0] && seen[1] && seen[2]);
}

Test(detect_table, other_sources_are_ignored, .init = setup, .fini = teardown)
{
	struct vg_event ev;
	struct capture cap = {0};
	struct vg_emitter out = {.emit = capture_emit, .ctx = &cap};
	memset(&ev, 0, sizeof(ev));
	ev.source = VG_SRC_VPCFLOW;
	ev.actor.type = VG_STR_LIT("Root");
	ev.user_agent = VG_STR_LIT(KALI_BOTO);
	vg_detect_event(engine, &ev, &out);
	cr_expect_eq(cap.n, 0);
}

/* ---- the query name worked out once per event ---------------------------- */

/* vg__dns_name caches per name as logged, and takes a name that is
 * already normal as a view of the record: case or a trailing dot may
 * change where the name lives, never what it is. */
Test(dns_name, same_answers_whatever_the_logged_form)
{
	static struct vg_detect_scratch scratch;
	struct vg_detect_scratch *s = &scratch;
	static const struct {
		const char *name;
		bool view; /* seen before and normal: a view of the record */
	} logged[] = {
		{"Www.Example.CO.UK.", false}, {"Www.Example.CO.UK.", false}, {"www.example.co.uk.", false},
		{"www.example.co.uk.", true},  {"www.example.co.uk", false},  {"www.example.co.uk", true},
	};
	double dga = -1;
	for (size_t i = 0; i < sizeof(logged) / sizeof(logged[0]); i++) {
		struct vg_event ev = {.source = VG_SRC_DNS};
		ev.dns.query_name = vg_str_c(logged[i].name);
		s->seq++;
		const struct vg_dns_name *n = vg__dns_name(s, &ev);
		const char *name = logged[i].name;
		cr_assert_not_null(n, "%s", name);
		cr_assert(vg_str_eqc(n->name, "www.example.co.uk"), "%s: %.*s", name, (int)n->name.n, n->name.p);
		cr_assert(vg_str_eqc(n->registrable, "example.co.uk"), "%s", name);
		cr_assert(vg_str_eqc(n->sub, "www"), "%s", name);
		cr_assert_eq(n->name.p == name, logged[i].view, "%s #%zu", name, i);
		double d = vg__dns_dga(s);
		cr_assert(i == 0 || d == dga, "%s", name);
		dga = d;
	}
	static const char *const bad[] = {"a..b.", "a..b.", "", "x y.com."};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vg_event ev = {.source = VG_SRC_DNS};
		ev.dns.query_name = vg_str_c(bad[i]);
		s->seq++;
		cr_assert_null(vg__dns_name(s, &ev), "%s", bad[i]);
	}
}
