/*
 * s3_public_access.c -- Policy:S3/BucketAnonymousAccessGranted and
 * Policy:S3/BucketPublicAccessGranted.
 *
 * GuardDuty proves exposure with automated reasoning over the whole
 * policy; vigil reads the request that changed it and applies the rules
 * S3 itself uses to call a bucket public ("The meaning of public",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
 *
 *   - A bucket policy is public when an Allow statement names every
 *     principal (Principal "*", {"AWS": "*"}, or any NotPrincipal) and no
 *     condition pins the caller to fixed values of aws:SourceArn,
 *     aws:SourceVpc, aws:SourceVpce, aws:SourceAccount, aws:SourceOwner,
 *     aws:SourceOrgID, aws:SourceOrgPaths, aws:PrincipalOrgID,
 *     aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn,
 *     aws:userid, aws:PrincipalServiceName or aws:SourceIp.  A value is not
 *     fixed when it has a wildcard or a policy variable, a negated
 *     (...Not...), ...IfExists or Null operator pins nothing, and an
 *     aws:SourceIp range of length /0 (0.0.0.0/0, ::/0) is everyone.
 *     That is anonymous access: no AWS account is needed.
 *   - An ACL grant to the AllUsers group, or the canned ACLs public-read
 *     and public-read-write, is anonymous access.  A grant to the
 *     AuthenticatedUsers group, or the canned ACL authenticated-read, opens
 *     the bucket to every AWS account: BucketPublicAccessGranted.
 *
 * PutBucketPolicy carries the policy as an object or as a JSON string
 * (parsed with the scratch parser); a string that is not JSON is ignored.
 * PutBucketAcl carries grants in AccessControlPolicy or in x-amz-grant-*
 * headers, CreateBucket only in headers.  When one request does both, the
 * anonymous finding wins.  Block Public Access may still neutralise the
 * grant; the record does not say, so the grant alone is reported.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

#include <stdio.h>
#include <strings.h>

static const struct vg_finding_type anonymous_granted = {
	.name = "Policy:S3/BucketAnonymousAccessGranted",
	.severity = 8,
	.resource = VG_RES_S3_BUCKET,
	.action = VG_ACT_AWS_API_CALL,
	.title = "Amazon S3 public anonymous access was granted for S3 bucket {resource}.",
	.description = "S3 bucket {resource} was made readable or writable by anyone on the internet, without "
		       "AWS credentials, by {actor} changing its policy or ACL.",
	.trigger = "A successful PutBucketPolicy, PutBucketAcl or CreateBucket whose policy or ACL grants "
		   "access to everyone (S3's meaning of public).",
};

static const struct vg_finding_type public_granted = {
	.name = "Policy:S3/BucketPublicAccessGranted",
	.severity = 8,
	.resource = VG_RES_S3_BUCKET,
	.action = VG_ACT_AWS_API_CALL,
	.title = "Amazon S3 public access was granted for S3 bucket {resource}.",
	.description = "S3 bucket {resource} was opened to every authenticated AWS user, in any account, by {actor} "
		       "changing its ACL.",
	.trigger = "A successful PutBucketAcl or CreateBucket whose ACL grants the AuthenticatedUsers "
		   "group or uses the authenticated-read canned ACL.",
};

const struct vg_finding_type *const vg__s3_public_access_types[] = {&anonymous_granted, &public_granted, NULL};

enum reach {
	REACH_NONE = 0,
	REACH_AUTHENTICATED, /* any AWS account */
	REACH_ANONYMOUS,     /* anyone */
};

/* Why the bucket is public, for additionalInfo. */
struct evidence {
	enum reach reach;
	const char *via;          /* bucketPolicy, aclGrant, grantHeader or cannedAcl */
	const char *which_key;    /* "statement" or "grantee" */
	struct vg_str which;      /* statement Sid, grantee URI or canned ACL name */
	struct vg_str permission; /* policy actions or ACL permission */
	char which_buf[32];       /* "Statement[N]" when there is no Sid */
	char perm_buf[256];       /* joined actions */
};

static void found(struct evidence *e, enum reach r, const char *via, const char *which_key, struct vg_str which,
		  struct vg_str permission)
{
	if (r <= e->reach)
		return;
	e->reach = r;
	e->via = via;
	e->which_key = which_key;
	e->which = which;
	e->permission = permission;
}

static bool caseeq(struct vg_str s, const char *c)
{
	size_t n = strlen(c);
	return s.n == n && strncasecmp(s.p, c, n) == 0;
}

static bool has(struct vg_str s, const char *needle)
{
	return memmem(s.p ? s.p : "", s.n, needle, strlen(needle)) != NULL;
}

static bool ends_with(struct vg_str s, const char *suffix)
{
	size_t n = strlen(suffix);
	return s.n >= n && memcmp(s.p + s.n - n, suffix, n) == 0;
}

/* ---- bucket policies ------------------------------------------------- */

/* Condition keys that pin the caller to an account, organisation, network
 * or service; aws:SourceIp additionally must not be a /0 range. */
static const char *const pinning_keys[] = {
	"aws:SourceArn",       "aws:SourceVpc",         "aws:SourceVpce",
	"aws:SourceAccount",   "aws:SourceOwner",       "aws:SourceOrgID",
	"aws:SourceOrgPaths",  "aws:PrincipalOrgID",    "aws:PrincipalOrgPaths",
	"aws:PrincipalAccount", "aws:PrincipalArn",     "aws:userid",
	"aws:PrincipalServiceName", "aws:SourceIp",
};

static bool pinning_key(struct vg_str key)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(pinning_keys); i++)
		if (caseeq(key, pinning_keys[i]))
			return true;
	return false;
}

/* True when every value is fixed, and for aws:SourceIp not everyone. */
static bool values_pin(struct vg_str key, const struct vg_json *vals)
{
	struct vg__ct_each it;
	struct vg_json v;
	struct vg_str s;
	bool any = false;
	vg__ct_each_init(&it, vals);
	while (vg__ct_each_next(&it, &v)) {
		any = true;
		if (!vg_json_string(&v, &s))
			continue; /* numbers and booleans are fixed */
		if (has(s, "*") || has(s, "?") || has(s, "${"))
			return false;
		if (caseeq(key, "aws:SourceIp") && ends_with(s, "/0"))
			return false;
	}
	return any;
}

/* An operator that can pin a value: not negated, not ...IfExists, not
 * Null.  The set qualifiers ForAnyValue:/ForAllValues: are looked past. */
static bool pinning_operator(struct vg_str op)
{
	const char *colon = memchr(op.p ? op.p : "", ':', op.n);
	if (colon) {
		op.n -= (size_t)(colon + 1 - op.p);
		op.p = colon + 1;
	}
	return !has(op, "Not") && !ends_with(op, "IfExists") && !vg_str_eqc(op, "Null");
}

static bool condition_pins(const struct vg_json *cond)
{
	struct vg_json_iter ops, keys;
	struct vg_str op, key;
	struct vg_json block, vals;
	if (vg_json_type(cond) != VG_JSON_OBJECT || !vg_json_iter_init(&ops, cond))
		return false;
	while (vg_json_iter_next(&ops, &op, &block)) {
		if (!pinning_operator(op) || vg_json_type(&block) != VG_JSON_OBJECT)
			continue;
		(void)vg_json_iter_init(&keys, &block);
		while (vg_json_iter_next(&keys, &key, &vals))
			if (pinning_key(key) && values_pin(key, &vals))
				return true;
	}
	return false;
}

static bool is_star(const struct vg_json *v)
{
	struct vg_str s;
	return vg_json_string(v, &s) && vg_str_eqc(s, "*");
}

static bool names_everyone(const struct vg_json *stmt)
{
	struct vg_json p, aws, v;
	struct vg__ct_each it;
	/* Allow with NotPrincipal grants everyone but the few it lists. */
	if (vg_json_get(stmt, "NotPrincipal", &p))
		return true;
	if (!vg_json_get(stmt, "Principal", &p))
		return false;
	if (is_star(&p))
		return true;
	if (!vg_json_get(&p, "AWS", &aws))
		return false;
	vg__ct_each_init(&it, &aws);
	while (vg__ct_each_next(&it, &v))
		if (is_star(&v))
			return true;
	return false;
}

static bool statement_public(const struct vg_json *stmt)
{
	struct vg_json cond;
	if (!vg_str_eqc(vg_json_get_str(stmt, "Effect"), "Allow") || !names_everyone(stmt))
		return false;
	return !vg_json_get(stmt, "Condition", &cond) || !condition_pins(&cond);
}

/* join_actions -- the statement's Action (or NotAction) list, comma
 * separated into buf; whole names only. */
static struct vg_str join_actions(const struct vg_json *stmt, char *buf, size_t cap)
{
	struct vg_json acts, v;
	struct vg__ct_each it;
	struct vg_str s;
	size_t n = 0;
	if (!vg_json_get(stmt, "Action", &acts) && !vg_json_get(stmt, "NotAction", &acts))
		return VG_STR_NULL;
	vg__ct_each_init(&it, &acts);
	while (vg__ct_each_next(&it, &v)) {
		if (!vg_json_string(&v, &s) || n + s.n + 1 >= cap)
			continue;
		if (n)
			buf[n++] = ',';
		memcpy(buf + n, s.p, s.n);
		n += s.n;
	}
	return (struct vg_str){buf, n};
}

static void check_policy(struct vg_detect_scratch *scratch, const struct vg_event *ev, struct evidence *e)
{
	struct vg_json pol, doc, stmts, stmt;
	struct vg_str text;
	struct vg__ct_each it;
	const char *why = NULL;
	size_t index = 0;

	if (!vg_json_get(ev->api.request, "bucketPolicy", &pol))
		return;
	if (vg_json_type(&pol) == VG_JSON_OBJECT)
		doc = pol;
	else if (!vg_json_string(&pol, &text) || !scratch || !scratch->nested ||
		 vg_json_parse_copy(scratch->nested, text.p, text.n, &doc, &why) != VG_OK)
		return; /* not a policy document: nothing to judge */
	if (!vg_json_get(&doc, "Statement", &stmts))
		return;
	vg__ct_each_init(&it, &stmts);
	while (vg__ct_each_next(&it, &stmt)) {
		if (!statement_public(&stmt)) {
			index++;
			continue;
		}
		struct vg_str sid = vg_json_get_str(&stmt, "Sid");
		if (vg_str_empty(sid)) {
			int w = snprintf(e->which_buf, sizeof(e->which_buf), "Statement[%zu]", index);
			sid = (struct vg_str){e->which_buf, w > 0 ? (size_t)w : 0};
		}
		found(e, REACH_ANONYMOUS, "bucketPolicy", "statement", sid,
		      join_actions(&stmt, e->perm_buf, sizeof(e->perm_buf)));
		return;
	}
}

/* ---- ACLs ------------------------------------------------------------- */

#define ALL_USERS "acs.amazonaws.com/groups/global/AllUsers"
#define AUTH_USERS "acs.amazonaws.com/groups/global/AuthenticatedUsers"

/* Grantee groups and whom they reach (matched within the URI or header). */
static const struct {
	const char *uri;
	enum reach reach;
} groups[] = {
	{ALL_USERS, REACH_ANONYMOUS},
	{AUTH_USERS, REACH_AUTHENTICATED},
};

static const struct {
	const char *name;
	enum reach reach;
	const char *permission;
} canned_acls[] = {
	{"public-read", REACH_ANONYMOUS, "READ"},
	{"public-read-write", REACH_ANONYMOUS, "READ,WRITE"},
	{"authenticated-read", REACH_AUTHENTICATED, "READ"},
};

static const struct {
	const char *header;
	const char *permission;
} grant_headers[] = {
	{"x-amz-grant-read", "READ"},
	{"x-amz-grant-write", "WRITE"},
	{"x-amz-grant-read-acp", "READ_ACP"},
	{"x-amz-grant-write-acp", "WRITE_ACP"},
	{"x-amz-grant-full-control", "FULL_CONTROL"},
};

static enum reach group_reach(struct vg_str text)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(groups); i++)
		if (has(text, groups[i].uri))
			return groups[i].reach;
	return REACH_NONE;
}

static void check_canned(const struct vg_json *req, struct evidence *e)
{
	struct vg_json acl, v;
	struct vg__ct_each it;
	struct vg_str s;
	if (!vg_json_get(req, "x-amz-acl", &acl))
		return;
	vg__ct_each_init(&it, &acl);
	while (vg__ct_each_next(&it, &v)) {
		if (!vg_json_string(&v, &s))
			continue;
		for (size_t i = 0; i < VG_ARRAY_LEN(canned_acls); i++)
			if (vg_str_eqc(s, canned_acls[i].name))
				found(e, canned_acls[i].reach, "cannedAcl", "grantee", s,
				      vg_str_c(canned_acls[i].permission));
	}
}

static void check_grant_headers(const struct vg_json *req, struct evidence *e)
{
	struct vg_json h, v;
	struct vg__ct_each it;
	struct vg_str s;
	for (size_t i = 0; i < VG_ARRAY_LEN(grant_headers); i++) {
		if (!vg_json_get(req, grant_headers[i].header, &h))
			continue;
		vg__ct_each_init(&it, &h);
		while (vg__ct_each_next(&it, &v))
			if (vg_json_string(&v, &s))
				found(e, group_reach(s), "grantHeader", "grantee", s,
				      vg_str_c(grant_headers[i].permission));
	}
}

static void check_acl_body(const struct vg_json *req, struct evidence *e)
{
	struct vg_json grants, g, uri;
	struct vg__ct_each it;
	struct vg_str s;
	if (!vg_json_path(req, "AccessControlPolicy.AccessControlList.Grant", &grants))
		return;
	vg__ct_each_init(&it, &grants);
	while (vg__ct_each_next(&it, &g)) {
		if (!vg_json_path(&g, "Grantee.URI", &uri) || !vg_json_string(&uri, &s))
			continue;
		found(e, group_reach(s), "aclGrant", "grantee", s, vg_json_get_str(&g, "Permission"));
	}
}

static void check_acl(struct vg_detect_scratch *scratch, const struct vg_event *ev, struct evidence *e)
{
	check_canned(ev->api.request, e);
	check_grant_headers(ev->api.request, e);
	check_acl_body(ev->api.request, e);
}

/* ---- dispatch --------------------------------------------------------- */

static const struct {
	const char *name;
	void (*check)(struct vg_detect_scratch *scratch, const struct vg_event *ev, struct evidence *e);
} calls[] = {
	{"PutBucketPolicy", check_policy},
	{"PutBucketAcl", check_acl},
	{"CreateBucket", check_acl},
};

void vg__s3_public_access_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				   const struct vg_emitter *out)
{
	struct evidence e = {.reach = REACH_NONE};
	if (!vg__ct_succeeded(ev) || !ev->api.request || !vg_str_eqc(ev->api.service, VG__CT_S3))
		return;
	for (size_t i = 0; i < VG_ARRAY_LEN(calls); i++)
		if (vg_str_eqc(ev->api.name, calls[i].name))
			calls[i].check(s, ev, &e);
	if (e.reach == REACH_NONE)
		return;

	struct vg_finding_draft d = {
		.type = e.reach == REACH_ANONYMOUS ? &anonymous_granted : &public_granted,
		.ev = ev,
		.bucket = vg__ct_request_str(ev, "bucketName"),
	};
	vg__ct_info_add(&d, "publicVia", vg_str_c(e.via));
	vg__ct_info_add(&d, e.which_key, e.which);
	vg__ct_info_add(&d, "permission", e.permission);
	vg_emit(out, &d);
}
