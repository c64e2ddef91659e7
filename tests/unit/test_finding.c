/*
 * test_finding.c -- the finding stage and the store: drafts into
 * occurrences (stable ids), occurrences into GuardDuty JSON (read back
 * with the JSON shim), the aggregator's folding, sample findings, and the
 * SQLite store with the merge rule applied across batches and reopens.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>

#include "vg.h"
#include "core/buf.h"
#include "core/event.h"
#include "core/time.h"
#include "decode/json.h"
#include "detect/engine.h"
#include "finding/finding.h"
#include "store/merge.h"
#include "store/store.h"

/* ---- helpers ------------------------------------------------------------ */

#define ROOT_TYPE "Policy:IAMUser/RootCredentialUsage"
#define T0 1722420000000LL /* 2024-07-31T10:00:00Z */
#define NOW1 1722500000000LL
#define NOW2 1722600000000LL

static const struct vg_finding_type *root_type(void)
{
	const struct vg_finding_type *t = vg_finding_type_find(ROOT_TYPE);
	cr_assert_not_null(t, ROOT_TYPE " is not in the detector table");
	return t;
}

/* A root-user API call, as the CloudTrail decoder would produce it. */
static struct vg_event root_event(const char *access_key, const char *region, int64_t t)
{
	struct vg_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.source = VG_SRC_CLOUDTRAIL;
	ev.time_ms = t;
	ev.account = VG_STR_LIT("111122223333");
	ev.region = vg_str_c(region);
	ev.actor.type = VG_STR_LIT("Root");
	ev.actor.principal_id = VG_STR_LIT("111122223333");
	ev.actor.arn = VG_STR_LIT("arn:aws:iam::111122223333:root");
	ev.actor.account = VG_STR_LIT("111122223333");
	ev.actor.access_key_id = vg_str_c(access_key);
	ev.api.service = VG_STR_LIT("iam.amazonaws.com");
	ev.api.name = VG_STR_LIT("ListUsers");
	ev.api.event_type = VG_STR_LIT("AwsApiCall");
	ev.api.source_ip_text = VG_STR_LIT("198.51.100.9");
	cr_assert_eq(vg_ip_parse(ev.api.source_ip_text, &ev.src_ip), VG_OK);
	ev.user_agent = VG_STR_LIT("aws-cli/2.15.0");
	ev.file = "test";
	ev.record_no = 1;
	return ev;
}

static struct vg_finding_draft draft_for(const struct vg_event *ev)
{
	return (struct vg_finding_draft){.type = root_type(), .ev = ev};
}

static struct vg_occurrence occurrence(const struct vg_finding_draft *d)
{
	struct vg_occurrence o;
	cr_assert_eq(vg_occurrence_from_draft(d, NULL, &o), VG_OK);
	return o;
}

static bool is_hex_id(const char *id)
{
	if (strlen(id) != VG_FINDING_ID_LEN)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* The id a draft for this event gets. */
static void id_of(const struct vg_finding_draft *d, char out[VG_FINDING_ID_LEN + 1])
{
	struct vg_occurrence o = occurrence(d);
	memcpy(out, o.id, VG_FINDING_ID_LEN + 1);
	vg_occurrence_free(&o);
}

/* -- reading composed JSON back -- */

static struct vg_json_parser *parser;

static void parser_up(void) { cr_assert_eq(vg_json_parser_new(&parser, 1 << 20), VG_OK); }
static void parser_down(void)
{
	vg_json_parser_free(parser);
	parser = NULL;
}

static struct vg_json parse_json(const char *text, size_t n)
{
	char *b = malloc(n + VG_JSON_PADDING);
	cr_assert_not_null(b);
	memcpy(b, text, n);
	memset(b + n, 0, VG_JSON_PADDING);
	struct vg_json root;
	const char *why = NULL;
	int rc = vg_json_parse(parser, b, n, &root, &why);
	free(b);
	cr_assert_eq(rc, VG_OK, "not valid JSON (%s): %.*s", why ? why : "?", (int)n, text);
	return root;
}

/* Compose o (with optional history) and parse the result. */
static struct vg_json compose(const struct vg_occurrence *o, const struct vg_finding_history *h, int64_t now)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_finding_compose(o, h, now, &b);
	cr_assert_eq(b.failed, 0);
	struct vg_json root = parse_json(b.p, b.len);
	vg_buf_free(&b);
	return root;
}

/* String at a dotted path, as a C string in a static buffer. */
static const char *jstr(const struct vg_json *root, const char *path)
{
	static char out[4][1024];
	static int slot;
	struct vg_json v;
	struct vg_str s;
	cr_assert(vg_json_path(root, path, &v), "no %s", path);
	cr_assert(vg_json_string(&v, &s), "%s is not a string", path);
	char *o = out[slot++ & 3];
	snprintf(o, sizeof(out[0]), "%.*s", (int)s.n, s.p);
	return o;
}

static int64_t jint(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	int64_t i;
	cr_assert(vg_json_path(root, path, &v), "no %s", path);
	cr_assert(vg_json_int64(&v, &i), "%s is not an integer", path);
	return i;
}

static double jnum(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	double d;
	cr_assert(vg_json_path(root, path, &v), "no %s", path);
	cr_assert(vg_json_double(&v, &d), "%s is not a number", path);
	return d;
}

static bool jbool(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	bool b;
	cr_assert(vg_json_path(root, path, &v), "no %s", path);
	cr_assert(vg_json_bool(&v, &b), "%s is not a boolean", path);
	return b;
}

static bool jhas(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	return vg_json_path(root, path, &v);
}

static const char *iso(int64_t ms)
{
	static char out[4][VG_TIME_ISO_LEN + 1];
	static int slot;
	char *o = out[slot++ & 3];
	vg_time_format(ms, o);
	return o;
}

/* -- aggregator capture -- */

#define MAX_OCC 64

struct drained {
	int n;
	int stop_with; /* return this from the first call (0 = keep going) */
	char id[MAX_OCC][VG_FINDING_ID_LEN + 1];
	uint64_t count[MAX_OCC];
	int64_t first[MAX_OCC], last[MAX_OCC];
	char service[MAX_OCC][1024];
	char type[MAX_OCC][96];
};

static int drain_cb(void *ctx, const struct vg_occurrence *o)
{
	struct drained *d = ctx;
	cr_assert_lt(d->n, MAX_OCC);
	snprintf(d->id[d->n], sizeof(d->id[0]), "%s", o->id);
	d->count[d->n] = o->count;
	d->first[d->n] = o->first_ms;
	d->last[d->n] = o->last_ms;
	snprintf(d->service[d->n], sizeof(d->service[0]), "%s", o->service_json);
	snprintf(d->type[d->n], sizeof(d->type[0]), "%s", o->type->name);
	d->n++;
	return d->stop_with;
}

static struct drained drain(struct vg_aggregator *a)
{
	struct drained d = {0};
	cr_assert_eq(vg_aggregator_drain(a, drain_cb, &d), VG_OK);
	return d;
}

/* -- store -- */

static char tmpdir[64];

static void tmp_up(void)
{
	parser_up();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigil-test-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void tmp_down(void)
{
	parser_down();
	if (tmpdir[0])
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = '\0';
}

static struct vg_store *store_open(const char *path)
{
	struct vg_store *s = NULL;
	char why[256] = "";
	int rc = vg_store_open_sqlite(path, &s, why, sizeof(why));
	cr_assert_eq(rc, VG_OK, "open %s: %s", path, why);
	cr_assert_not_null(s);
	cr_assert_not_null(s->ops);
	return s;
}

/* Merge one occurrence of the root finding for key at event time t. */
static bool merge_one(struct vg_store *s, const char *key, int64_t t, int64_t now)
{
	struct vg_event ev = root_event(key, "us-east-1", t);
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	struct vg_buf scratch;
	vg_buf_init(&scratch, 0);
	bool created = false;
	cr_assert_eq(vg_store_merge(s, &o, now, &scratch, &created), VG_OK);
	vg_buf_free(&scratch);
	vg_occurrence_free(&o);
	return created;
}

struct stored_copy {
	char id[VG_FINDING_ID_LEN + 1];
	char type[96];
	double severity;
	uint64_t count;
	int64_t first, last, created, updated;
	bool archived;
	char json[8192];
};

static void copy_stored(struct stored_copy *c, const struct vg_stored_finding *f)
{
	snprintf(c->id, sizeof(c->id), "%s", f->id);
	snprintf(c->type, sizeof(c->type), "%s", f->type);
	c->severity = f->severity;
	c->count = f->count;
	c->first = f->first_seen_ms;
	c->last = f->last_seen_ms;
	c->created = f->created_ms;
	c->updated = f->updated_ms;
	c->archived = f->archived;
	snprintf(c->json, sizeof(c->json), "%s", f->json);
}

static struct stored_copy get_stored(struct vg_store *s, const char *id)
{
	struct vg_stored_finding f;
	struct stored_copy c;
	cr_assert_eq(s->ops->get(s, id, &f), VG_OK, "no finding %s", id);
	copy_stored(&c, &f);
	return c;
}

/* ---- occurrences: ids ------------------------------------------------------- */

TestSuite(occurrence, .init = parser_up, .fini = parser_down);

Test(occurrence, id_is_32_hex_and_stable)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	char a[VG_FINDING_ID_LEN + 1], b[VG_FINDING_ID_LEN + 1];
	id_of(&d, a);
	id_of(&d, b);
	cr_assert(is_hex_id(a), "id \"%s\"", a);
	cr_assert_str_eq(a, b);

	/* Time, user agent, source address and API are not part of the key:
	 * later calls update the same finding. */
	struct vg_event later = root_event("AKIAROOT", "us-east-1", T0 + 86400000);
	later.user_agent = VG_STR_LIT("Boto3/1.34");
	later.api.name = VG_STR_LIT("GetAccountSummary");
	later.api.source_ip_text = VG_STR_LIT("203.0.113.1");
	struct vg_finding_draft d2 = draft_for(&later);
	id_of(&d2, b);
	cr_assert_str_eq(a, b);
}

Test(occurrence, id_differs_by_key_region_type_account_and_extra)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	char base[VG_FINDING_ID_LEN + 1], other[VG_FINDING_ID_LEN + 1];
	id_of(&d, base);

	struct vg_event k = root_event("AKIAOTHER", "us-east-1", T0);
	struct vg_finding_draft dk = draft_for(&k);
	id_of(&dk, other);
	cr_assert_str_neq(base, other, "access key");

	struct vg_event r = root_event("AKIAROOT", "eu-west-1", T0);
	struct vg_finding_draft dr = draft_for(&r);
	id_of(&dr, other);
	cr_assert_str_neq(base, other, "region");

	struct vg_finding_draft dt = draft_for(&ev);
	dt.type = vg_finding_type_find("Policy:IAMUser/ShortTermRootCredentialUsage");
	cr_assert_not_null(dt.type);
	id_of(&dt, other);
	cr_assert_str_neq(base, other, "type");

	struct vg_event acc = root_event("AKIAROOT", "us-east-1", T0);
	acc.account = VG_STR_LIT("999999999999");
	struct vg_finding_draft da = draft_for(&acc);
	id_of(&da, other);
	cr_assert_str_neq(base, other, "account");

	struct vg_finding_draft dx = draft_for(&ev);
	dx.key_extra = VG_STR_LIT("bucket-a");
	id_of(&dx, other);
	cr_assert_str_neq(base, other, "key_extra");

	/* The key parts are separated, so shifting bytes between them moves
	 * the id too. */
	struct vg_event s1 = root_event("AKIAROOT", "us-east-1", T0), s2 = s1;
	s1.region = VG_STR_LIT("ab");
	s1.account = VG_STR_LIT("1");
	s2.region = VG_STR_LIT("b");
	s2.account = VG_STR_LIT("1a");
	struct vg_finding_draft ds1 = draft_for(&s1), ds2 = draft_for(&s2);
	id_of(&ds1, base);
	id_of(&ds2, other);
	cr_assert_str_neq(base, other, "part boundaries");
}

Test(occurrence, fields_from_the_draft)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	cr_assert_eq(o.type, root_type());
	cr_assert_float_eq(o.severity, root_type()->severity, 1e-9);
	cr_assert_str_eq(o.account, "111122223333");
	cr_assert_str_eq(o.region, "us-east-1");
	cr_assert_str_eq(o.resource_type, "AccessKey");
	cr_assert_str_eq(o.resource_id, "AKIAROOT");
	cr_assert_eq(o.count, 1);
	cr_assert_eq(o.first_ms, T0);
	cr_assert_eq(o.last_ms, T0);
	cr_assert(is_hex_id(o.detector_id));
	/* Placeholders are filled in. */
	cr_assert_null(strchr(o.title, '{'), "title \"%s\"", o.title);
	cr_assert_null(strchr(o.description, '{'), "description \"%s\"", o.description);
	cr_assert_not_null(strstr(o.description, "AKIAROOT"), "%s", o.description);
	vg_occurrence_free(&o);
	cr_assert_null(o.title);

	/* A draft's own severity wins over the type's. */
	d.severity = 8;
	o = occurrence(&d);
	cr_assert_float_eq(o.severity, 8.0, 1e-9);
	vg_occurrence_free(&o);
}

Test(occurrence, resource_id_falls_back_to_the_principal)
{
	struct vg_event ev = root_event("", "us-east-1", T0); /* console sign-in: no key */
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	cr_assert_str_eq(o.resource_id, "111122223333");
	vg_occurrence_free(&o);
	ev.actor.principal_id = VG_STR_NULL;
	o = occurrence(&d);
	cr_assert_str_eq(o.resource_id, "arn:aws:iam::111122223333:root");
	vg_occurrence_free(&o);
}

Test(occurrence, detector_id_is_per_account_and_region)
{
	struct vg_event a = root_event("AKIA1", "us-east-1", T0), b = root_event("AKIA2", "us-east-1", T0),
			c = root_event("AKIA1", "eu-west-1", T0);
	struct vg_finding_draft da = draft_for(&a), db = draft_for(&b), dc = draft_for(&c);
	struct vg_occurrence oa = occurrence(&da), ob = occurrence(&db), oc = occurrence(&dc);
	cr_assert_str_eq(oa.detector_id, ob.detector_id);
	cr_assert_str_neq(oa.detector_id, oc.detector_id);
	cr_assert_str_neq(oa.id, ob.id);
	vg_occurrence_free(&oa), vg_occurrence_free(&ob), vg_occurrence_free(&oc);
}

Test(occurrence, allocation_failures_are_reported_without_leaks)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	int failures = 0;
	for (long n = 1; n < 40; n++) {
		struct vg_occurrence o;
		vg_alloc_fail_after(n);
		int rc = vg_occurrence_from_draft(&d, NULL, &o);
		vg_alloc_fail_after(0);
		if (rc == VG_OK) {
			vg_occurrence_free(&o);
			break; /* n is past the last allocation */
		}
		cr_assert_eq(rc, VG_ENOMEM, "n=%ld", n);
		failures++;
	}
	cr_assert_gt(failures, 3, "building an occurrence allocates several strings");
}

/* ---- compose ---------------------------------------------------------------- */

TestSuite(compose, .init = parser_up, .fini = parser_down);

Test(compose, new_finding_fields)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0 + 123);
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	struct vg_json f = compose(&o, NULL, NOW1);

	cr_assert_str_eq(jstr(&f, "schemaVersion"), "2.0");
	cr_assert_str_eq(jstr(&f, "type"), ROOT_TYPE);
	cr_assert_float_eq(jnum(&f, "severity"), root_type()->severity, 1e-9);
	cr_assert_str_eq(jstr(&f, "accountId"), "111122223333");
	cr_assert_str_eq(jstr(&f, "region"), "us-east-1");
	cr_assert_str_eq(jstr(&f, "partition"), "aws");
	cr_assert_str_eq(jstr(&f, "id"), o.id);
	char arn[256];
	snprintf(arn, sizeof(arn), "arn:aws:guardduty:us-east-1:111122223333:detector/%s/finding/%s", o.detector_id,
		 o.id);
	cr_assert_str_eq(jstr(&f, "arn"), arn);

	cr_assert_str_eq(jstr(&f, "resource.resourceType"), "AccessKey");
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.accessKeyId"), "AKIAROOT");
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.principalId"), "111122223333");
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.userName"), "Root");
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.userType"), "Root");
	cr_assert_not(jhas(&f, "resource.s3BucketDetails"));

	cr_assert_str_eq(jstr(&f, "service.serviceName"), "guardduty");
	cr_assert_str_eq(jstr(&f, "service.detectorId"), o.detector_id);
	cr_assert_eq(jint(&f, "service.count"), 1);
	cr_assert_not(jbool(&f, "service.archived"));
	cr_assert_str_eq(jstr(&f, "service.eventFirstSeen"), "2024-07-31T10:00:00.123Z");
	cr_assert_str_eq(jstr(&f, "service.eventLastSeen"), "2024-07-31T10:00:00.123Z");
	cr_assert_str_eq(jstr(&f, "service.resourceRole"), "TARGET");
	cr_assert_str_eq(jstr(&f, "service.action.actionType"), "AWS_API_CALL");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.api"), "ListUsers");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.serviceName"), "iam.amazonaws.com");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.callerType"), "Remote IP");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.remoteIpDetails.ipAddressV4"), "198.51.100.9");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.userAgent"), "aws-cli/2.15.0");
	cr_assert_not(jhas(&f, "service.action.awsApiCallAction.errorCode"));
	cr_assert_not(jhas(&f, "service.action.awsApiCallAction.remoteAccountDetails"));
	cr_assert_str_eq(jstr(&f, "service.additionalInfo.type"), "default");
	cr_assert_str_eq(jstr(&f, "service.additionalInfo.value"), "{}");
	cr_assert_not(jhas(&f, "service.evidence"));

	cr_assert_str_eq(jstr(&f, "createdAt"), iso(NOW1));
	cr_assert_str_eq(jstr(&f, "updatedAt"), iso(NOW1));
	cr_assert_str_eq(jstr(&f, "title"), o.title);
	cr_assert_str_eq(jstr(&f, "description"), o.description);
	vg_occurrence_free(&o);
}

Test(compose, times_are_iso_8601_milliseconds)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	struct vg_json f = compose(&o, NULL, NOW1);
	static const char *const keys[] = {"createdAt", "updatedAt", "service.eventFirstSeen",
					   "service.eventLastSeen"};
	for (size_t i = 0; i < VG_ARRAY_LEN(keys); i++) {
		const char *t = jstr(&f, keys[i]);
		cr_assert_eq(strlen(t), VG_TIME_ISO_LEN, "%s = %s", keys[i], t);
		int64_t ms;
		cr_assert_eq(vg_time_parse(vg_str_c(t), &ms), VG_OK, "%s = %s", keys[i], t);
		cr_assert(t[4] == '-' && t[10] == 'T' && t[19] == '.' && t[23] == 'Z', "%s = %s", keys[i], t);
	}
	vg_occurrence_free(&o);
}

Test(compose, history_is_folded_in)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	o.count = 2;
	o.last_ms = T0 + 5000;
	struct vg_finding_history h = {
		.count = 5, .first_ms = T0 - 60000, .last_ms = T0 + 1000, .created_ms = NOW1, .archived = true};
	struct vg_json f = compose(&o, &h, NOW2);
	cr_assert_eq(jint(&f, "service.count"), 7);
	cr_assert_str_eq(jstr(&f, "service.eventFirstSeen"), iso(T0 - 60000));
	cr_assert_str_eq(jstr(&f, "service.eventLastSeen"), iso(T0 + 5000));
	cr_assert(jbool(&f, "service.archived"));
	cr_assert_str_eq(jstr(&f, "createdAt"), iso(NOW1));
	cr_assert_str_eq(jstr(&f, "updatedAt"), iso(NOW2));

	/* History newer than the batch keeps its last seen. */
	h.last_ms = T0 + 99000;
	h.first_ms = T0 + 1;
	h.archived = false;
	f = compose(&o, &h, NOW2);
	cr_assert_str_eq(jstr(&f, "service.eventLastSeen"), iso(T0 + 99000));
	cr_assert_str_eq(jstr(&f, "service.eventFirstSeen"), iso(T0));
	cr_assert_not(jbool(&f, "service.archived"));
	vg_occurrence_free(&o);
}

Test(compose, hostile_strings_are_escaped)
{
	static const char ua[] = "Mozilla/5.0 \"quoted\"\n\tsecond line \\ back\x01 caf\xc3\xa9";
	static const char user[] = "al\"ice\\";
	struct vg_event ev = root_event("AKIA\"KEY", "us-east-1", T0);
	ev.user_agent = VG_STR_LIT(ua);
	ev.actor.user_name = VG_STR_LIT(user);
	ev.api.name = VG_STR_LIT("List\"Users\n");
	ev.api.error_code = VG_STR_LIT("Access\"Denied");
	struct vg_finding_draft d = draft_for(&ev);
	d.info[0].key = "note\"";
	d.info[0].value = VG_STR_LIT("a\"b\n");
	d.n_info = 1;
	struct vg_occurrence o = occurrence(&d);
	struct vg_json f = compose(&o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.userAgent"), ua);
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.api"), "List\"Users\n");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.errorCode"), "Access\"Denied");
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.userName"), user);
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.accessKeyId"), "AKIA\"KEY");
	/* The title holds the API name with its quote and newline. */
	cr_assert_not_null(strstr(jstr(&f, "title"), "List\"Users\n"), "%s", jstr(&f, "title"));
	cr_assert_str_eq(jstr(&f, "service.additionalInfo.note\""), "a\"b\n");
	/* additionalInfo.value is JSON inside a string: it parses too. */
	const char *value = jstr(&f, "service.additionalInfo.value");
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", value);
	struct vg_json inner = parse_json(copy, strlen(copy));
	cr_assert_str_eq(jstr(&inner, "note\""), "a\"b\n");
	vg_occurrence_free(&o);
}

Test(compose, bucket_finding_has_s3_details)
{
	const struct vg_finding_type *t = vg_finding_type_find("Policy:S3/BucketBlockPublicAccessDisabled");
	cr_assert_not_null(t);
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = {.type = t, .ev = &ev, .bucket = VG_STR_LIT("my-bucket")};
	struct vg_occurrence o = occurrence(&d);
	cr_assert_str_eq(o.resource_type, "S3Bucket");
	cr_assert_str_eq(o.resource_id, "my-bucket");
	cr_assert_not_null(strstr(o.title, "my-bucket"), "%s", o.title);
	struct vg_json f = compose(&o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "resource.resourceType"), "S3Bucket");
	struct vg_json details, first;
	cr_assert(vg_json_path(&f, "resource.s3BucketDetails", &details));
	cr_assert_eq(vg_json_len(&details), 1);
	struct vg_json_iter it;
	cr_assert(vg_json_iter_init(&it, &details));
	cr_assert(vg_json_iter_next(&it, NULL, &first));
	cr_assert_str_eq(jstr(&first, "arn"), "arn:aws:s3:::my-bucket");
	cr_assert_str_eq(jstr(&first, "name"), "my-bucket");
	cr_assert_str_eq(jstr(&f, "resource.accessKeyDetails.accessKeyId"), "AKIAROOT");
	vg_occurrence_free(&o);

	/* A hostile bucket name stays inside its strings. */
	d.bucket = VG_STR_LIT("b\"k\\t");
	o = occurrence(&d);
	f = compose(&o, NULL, NOW1);
	cr_assert(vg_json_path(&f, "resource.s3BucketDetails", &details));
	cr_assert(vg_json_iter_init(&it, &details));
	cr_assert(vg_json_iter_next(&it, NULL, &first));
	cr_assert_str_eq(jstr(&first, "arn"), "arn:aws:s3:::b\"k\\t");
	cr_assert_str_eq(jstr(&first, "name"), "b\"k\\t");
	vg_occurrence_free(&o);
}

Test(compose, caller_variants)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	ev.api.source_ip_text = VG_STR_LIT("2606:4700::1111");
	cr_assert_eq(vg_ip_parse(ev.api.source_ip_text, &ev.src_ip), VG_OK);
	struct vg_finding_draft d = draft_for(&ev);
	struct vg_occurrence o = occurrence(&d);
	struct vg_json f = compose(&o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.remoteIpDetails.ipAddressV6"), "2606:4700::1111");
	cr_assert_not(jhas(&f, "service.action.awsApiCallAction.remoteIpDetails.ipAddressV4"));
	vg_occurrence_free(&o);

	/* An AWS service calling: its name instead of an address. */
	ev.api.source_ip_text = VG_STR_LIT("cloudformation.amazonaws.com");
	memset(&ev.src_ip, 0, sizeof(ev.src_ip));
	o = occurrence(&d);
	f = compose(&o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.callerType"), "Domain");
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.domainDetails.domain"),
			 "cloudformation.amazonaws.com");
	cr_assert_not(jhas(&f, "service.action.awsApiCallAction.remoteIpDetails"));
	vg_occurrence_free(&o);

	/* A caller from another account. */
	ev.actor.account = VG_STR_LIT("999988887777");
	o = occurrence(&d);
	f = compose(&o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "service.action.awsApiCallAction.remoteAccountDetails.accountId"), "999988887777");
	cr_assert_not(jbool(&f, "service.action.awsApiCallAction.remoteAccountDetails.affiliated"));
	vg_occurrence_free(&o);
}

Test(compose, evidence_and_additional_info)
{
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	d.threat_list = VG_STR_LIT("MyList");
	d.threat_name = VG_STR_LIT("BadThing");
	d.info[0].key = "bucketName";
	d.info[0].value = VG_STR_LIT("b1");
	d.info[1].key = "policy";
	d.info[1].value = VG_STR_LIT("{}");
	d.n_info = 2;
	d.resource_role = "ACTOR";
	struct vg_occurrence o = occurrence(&d);
	struct vg_json f = compose(&o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "service.resourceRole"), "ACTOR");
	cr_assert_str_eq(jstr(&f, "service.additionalInfo.bucketName"), "b1");
	cr_assert_str_eq(jstr(&f, "service.additionalInfo.policy"), "{}");
	cr_assert_str_eq(jstr(&f, "service.additionalInfo.threatListName"), "MyList");
	struct vg_json list, item;
	cr_assert(vg_json_path(&f, "service.evidence.threatIntelligenceDetails", &list));
	struct vg_json_iter it;
	cr_assert(vg_json_iter_init(&it, &list));
	cr_assert(vg_json_iter_next(&it, NULL, &item));
	cr_assert_str_eq(jstr(&item, "threatListName"), "MyList");
	struct vg_json names;
	cr_assert(vg_json_get(&item, "threatNames", &names));
	cr_assert_eq(vg_json_len(&names), 1);
	vg_occurrence_free(&o);
}

/* A type that names the attacker first has a second title for when the
 * resource is the one attacking (outbound brute force). */
Test(compose, actor_title_when_the_resource_is_the_actor)
{
	const struct vg_finding_type *t = vg_finding_type_find("UnauthorizedAccess:EC2/SSHBruteForce");
	cr_assert_not_null(t);
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	ev.flow.interface_id = VG_STR_LIT("eni-0a1b2c3d");
	struct vg_finding_draft d = {.type = t, .ev = &ev};
	cr_assert_eq(vg_ip_parse(VG_STR_LIT("198.51.100.7"), &d.net.remote_ip), VG_OK);
	struct vg_occurrence o = occurrence(&d);
	cr_assert_str_eq(o.title, "198.51.100.7 is performing SSH brute force attacks against eni-0a1b2c3d.");
	vg_occurrence_free(&o);
	d.resource_role = "ACTOR";
	o = occurrence(&d);
	cr_assert_str_eq(o.title, "eni-0a1b2c3d is performing SSH brute force attacks against 198.51.100.7.");
	vg_occurrence_free(&o);
}

Test(compose, template_validation)
{
	cr_assert(vg_finding_template_valid("API {api} by {actor} on {resource} in {service}."));
	cr_assert(vg_finding_template_valid("no placeholders"));
	cr_assert_not(vg_finding_template_valid("old style %s"));
	cr_assert_not(vg_finding_template_valid("unknown {bucket}"));
	cr_assert_not(vg_finding_template_valid("unclosed {resource"));
	/* Every type in the table passes. */
	const struct vg_finding_type *types[256];
	size_t n = vg_finding_type_all(types, VG_ARRAY_LEN(types));
	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		cr_assert(vg_finding_template_valid(types[i]->title), "%s title", types[i]->name);
		cr_assert(!types[i]->title_actor || vg_finding_template_valid(types[i]->title_actor), "%s title_actor",
			  types[i]->name);
		cr_assert(vg_finding_template_valid(types[i]->description), "%s description", types[i]->name);
	}
}

/* A regression test: a title whose placeholders all expand to nothing
 * (here "{api}" with no API name) left expand()'s buffer empty, and
 * vg_buf_take then returned 256 uninitialised bytes with no terminator
 * (ASan heap-buffer-overflow on strlen).  Same root cause as
 * buf::take_of_an_empty_buffer_is_an_empty_string. */
Test(compose, title_of_only_empty_placeholders)
{
	static const struct vg_finding_type t = {
		.name = "Test:IAMUser/Empty",
		.severity = 2,
		.resource = VG_RES_ACCESS_KEY,
		.action = VG_ACT_AWS_API_CALL,
		.title = "{api}",
		.description = "{api}",
	};
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	ev.api.name = VG_STR_NULL;
	struct vg_finding_draft d = {.type = &t, .ev = &ev};
	struct vg_occurrence o = occurrence(&d);
	cr_assert_str_eq(o.title, "");
	vg_occurrence_free(&o);
}

/* ---- aggregator ------------------------------------------------------------ */

TestSuite(aggregator, .init = parser_up, .fini = parser_down);

Test(aggregator, repeats_fold_into_one_occurrence)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	static const int64_t times[] = {T0 + 1000, T0, T0 + 2000};
	for (size_t i = 0; i < VG_ARRAY_LEN(times); i++) {
		struct vg_event ev = root_event("AKIAROOT", "us-east-1", times[i]);
		struct vg_finding_draft d = draft_for(&ev);
		vg_emit(&e, &d);
	}
	cr_assert_eq(vg_aggregator_error(a), VG_OK);
	struct drained d = drain(a);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.count[0], 3);
	cr_assert_eq(d.first[0], T0);
	cr_assert_eq(d.last[0], T0 + 2000);
	cr_assert(is_hex_id(d.id[0]));
	/* Drained means empty. */
	d = drain(a);
	cr_assert_eq(d.n, 0);
	vg_aggregator_free(a);
}

Test(aggregator, different_keys_stay_apart)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	static const char *const keys[] = {"AKIA1", "AKIA2", "AKIA1", "AKIA3", "AKIA2", "AKIA1"};
	for (size_t i = 0; i < VG_ARRAY_LEN(keys); i++) {
		struct vg_event ev = root_event(keys[i], "us-east-1", T0 + (int64_t)i);
		struct vg_finding_draft d = draft_for(&ev);
		vg_emit(&e, &d);
	}
	struct drained d = drain(a);
	cr_assert_eq(d.n, 3);
	uint64_t total = 0, max = 0;
	for (int i = 0; i < d.n; i++) {
		total += d.count[i];
		max = d.count[i] > max ? d.count[i] : max;
	}
	cr_assert_eq(total, 6);
	cr_assert_eq(max, 3);
	vg_aggregator_free(a);
}

Test(aggregator, late_older_event_keeps_newer_details)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	struct vg_event newer = root_event("AKIAROOT", "us-east-1", T0 + 5000);
	newer.user_agent = VG_STR_LIT("agent-newer");
	struct vg_event older = root_event("AKIAROOT", "us-east-1", T0);
	older.user_agent = VG_STR_LIT("agent-older");
	struct vg_finding_draft dn = draft_for(&newer), dold = draft_for(&older);
	vg_emit(&e, &dn);
	vg_emit(&e, &dold);
	struct drained d = drain(a);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.count[0], 2);
	cr_assert_eq(d.first[0], T0);
	cr_assert_eq(d.last[0], T0 + 5000);
	cr_assert_not_null(strstr(d.service[0], "agent-newer"), "%s", d.service[0]);
	cr_assert_null(strstr(d.service[0], "agent-older"));

	/* In order, the latest replaces the details. */
	vg_emit(&e, &dold);
	vg_emit(&e, &dn);
	d = drain(a);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.count[0], 2);
	cr_assert_not_null(strstr(d.service[0], "agent-newer"), "%s", d.service[0]);
	vg_aggregator_free(a);
}

Test(aggregator, max_pending_makes_it_full)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 3), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	char key[16];
	for (int i = 0; i < 3; i++) {
		cr_assert_not(vg_aggregator_full(a), "full after %d", i);
		snprintf(key, sizeof(key), "AKIA%d", i);
		struct vg_event ev = root_event(key, "us-east-1", T0);
		struct vg_finding_draft d = draft_for(&ev);
		vg_emit(&e, &d);
		/* A repeat does not take another slot. */
		vg_emit(&e, &d);
	}
	cr_assert(vg_aggregator_full(a));
	cr_assert_eq(vg_aggregator_error(a), VG_OK);
	struct drained d = drain(a);
	cr_assert_eq(d.n, 3);
	cr_assert_eq(d.count[0] + d.count[1] + d.count[2], 6);
	cr_assert_not(vg_aggregator_full(a), "a drain empties it");
	vg_aggregator_free(a);
}

Test(aggregator, refuses_rather_than_grow_without_bound)
{
	/* A caller that ignores full() is refused once the table is half
	 * used; the error says so and nothing leaks. */
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 3), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	char key[16];
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "AKIA%d", i);
		struct vg_event ev = root_event(key, "us-east-1", T0);
		struct vg_finding_draft d = draft_for(&ev);
		vg_emit(&e, &d);
	}
	cr_assert_eq(vg_aggregator_error(a), VG_ELIMIT);
	struct drained d = drain(a);
	cr_assert_geq(d.n, 3);
	cr_assert_lt(d.n, 200);
	vg_aggregator_free(a);
}

Test(aggregator, drain_stops_at_the_first_error_and_still_empties)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	for (int i = 0; i < 4; i++) {
		char key[16];
		snprintf(key, sizeof(key), "AKIA%d", i);
		struct vg_event ev = root_event(key, "us-east-1", T0);
		struct vg_finding_draft d = draft_for(&ev);
		vg_emit(&e, &d);
	}
	struct drained d = {.stop_with = VG_ESTORE};
	cr_assert_eq(vg_aggregator_drain(a, drain_cb, &d), VG_ESTORE);
	cr_assert_eq(d.n, 1, "no calls after the failing one");
	d = drain(a);
	cr_assert_eq(d.n, 0);
	vg_aggregator_free(a);
}

Test(aggregator, free_with_pending_occurrences)
{
	/* LeakSanitizer checks that free releases undrained occurrences. */
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	vg_emit(&e, &d);
	vg_aggregator_free(a);
	vg_aggregator_free(NULL);
}

Test(aggregator, allocation_failure_is_sticky)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	vg_alloc_fail_after(1);
	vg_emit(&e, &d);
	vg_alloc_fail_after(0);
	cr_assert_eq(vg_aggregator_error(a), VG_ENOMEM);
	vg_emit(&e, &d); /* works again, the error stays */
	cr_assert_eq(vg_aggregator_error(a), VG_ENOMEM);
	struct drained got = drain(a);
	cr_assert_eq(got.n, 1);
	cr_assert_eq(got.count[0], 1);
	vg_aggregator_free(a);
}

/* ---- sample findings -------------------------------------------------------- */

TestSuite(sample, .init = parser_up, .fini = parser_down);

struct type_count {
	int n;
	const struct vg_finding_type *seen[256];
};

static void count_emit(void *ctx, const struct vg_finding_draft *d)
{
	struct type_count *c = ctx;
	cr_assert_lt(c->n, 256);
	cr_assert_not_null(d->ev);
	c->seen[c->n++] = d->type;
}

Test(sample, one_draft_per_type)
{
	const struct vg_finding_type *types[256];
	size_t n = vg_finding_type_all(types, VG_ARRAY_LEN(types));
	cr_assert_gt(n, 1);
	struct type_count c = {0};
	struct vg_emitter e = {count_emit, &c};
	cr_assert_eq(vg_sample_findings(NULL, &e), (int)n);
	cr_assert_eq(c.n, (int)n);
	for (size_t i = 0; i < n; i++) {
		int hits = 0;
		for (int j = 0; j < c.n; j++)
			hits += c.seen[j] == types[i];
		cr_assert_eq(hits, 1, "%s emitted %d times", types[i]->name, hits);
	}
}

Test(sample, named_types_only)
{
	struct type_count c = {0};
	struct vg_emitter e = {count_emit, &c};
	const char *const names[] = {ROOT_TYPE, "Policy:S3/BucketBlockPublicAccessDisabled", NULL};
	cr_assert_eq(vg_sample_findings(names, &e), 2);
	cr_assert_eq(c.n, 2);
	cr_assert_eq(c.seen[0], root_type());
	const char *const bad[] = {ROOT_TYPE, "Recon:IAMUser/NoSuchThing", NULL};
	c.n = 0;
	cr_assert_eq(vg_sample_findings(bad, &e), VG_EINVAL);
	cr_assert_eq(c.n, 0, "nothing is emitted when a name is unknown");
}

static int compose_check(void *ctx, const struct vg_occurrence *o)
{
	int *n = ctx;
	struct vg_json f = compose(o, NULL, NOW1);
	cr_assert_str_eq(jstr(&f, "type"), o->type->name);
	cr_assert_eq(jint(&f, "service.count"), 1);
	cr_assert_str_eq(jstr(&f, "accountId"), "123456789012");
	cr_assert_null(strchr(o->title, '{'), "%s: %s", o->type->name, o->title);
	(*n)++;
	return 0;
}

Test(sample, samples_compose_into_distinct_findings)
{
	struct vg_aggregator *a;
	cr_assert_eq(vg_aggregator_new(&a, 0), VG_OK);
	struct vg_emitter e = vg_aggregator_emitter(a);
	int n = vg_sample_findings(NULL, &e);
	cr_assert_gt(n, 0);
	int composed = 0;
	cr_assert_eq(vg_aggregator_drain(a, compose_check, &composed), VG_OK);
	cr_assert_eq(composed, n, "every type gets its own id");
	vg_aggregator_free(a);
}

/* ---- store ----------------------------------------------------------------- */

TestSuite(store, .init = tmp_up, .fini = tmp_down);

Test(store, memory_merge_adds_counts_and_keeps_created)
{
	struct vg_store *s = store_open(":memory:");
	cr_assert_str_eq(s->ops->name, "sqlite");
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	char id[VG_FINDING_ID_LEN + 1];
	id_of(&d, id);

	struct vg_stored_finding none;
	cr_assert_eq(s->ops->get(s, id, &none), VG_ENOENT);

	cr_assert(merge_one(s, "AKIAROOT", T0, NOW1), "first merge creates");
	struct stored_copy c = get_stored(s, id);
	cr_assert_eq(c.count, 1);
	cr_assert_eq(c.created, NOW1);
	cr_assert_eq(c.updated, NOW1);
	cr_assert_eq(c.first, T0);
	cr_assert_eq(c.last, T0);
	cr_assert_str_eq(c.type, ROOT_TYPE);
	cr_assert_not(c.archived);

	cr_assert_not(merge_one(s, "AKIAROOT", T0 - 5000, NOW2), "second merge updates");
	c = get_stored(s, id);
	cr_assert_eq(c.count, 2);
	cr_assert_eq(c.created, NOW1, "createdAt is kept");
	cr_assert_eq(c.updated, NOW2, "updatedAt moves");
	cr_assert_eq(c.first, T0 - 5000);
	cr_assert_eq(c.last, T0);

	/* The stored JSON agrees with the columns. */
	struct vg_json f = parse_json(c.json, strlen(c.json));
	cr_assert_str_eq(jstr(&f, "id"), id);
	cr_assert_eq(jint(&f, "service.count"), 2);
	cr_assert_str_eq(jstr(&f, "createdAt"), iso(NOW1));
	cr_assert_str_eq(jstr(&f, "updatedAt"), iso(NOW2));
	cr_assert_str_eq(jstr(&f, "service.eventFirstSeen"), iso(T0 - 5000));
	cr_assert_str_eq(jstr(&f, "service.eventLastSeen"), iso(T0));
	s->ops->close(s);
}

Test(store, archived_flag_survives_a_merge)
{
	struct vg_store *s = store_open(":memory:");
	merge_one(s, "AKIAROOT", T0, NOW1);
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	char id[VG_FINDING_ID_LEN + 1];
	id_of(&d, id);

	/* Archive it the way an API call would: read, flip, write back. */
	struct stored_copy c = get_stored(s, id);
	struct vg_stored_finding f = {
		.id = c.id, .type = c.type, .severity = c.severity, .account = "111122223333",
		.region = "us-east-1", .resource_type = "AccessKey", .resource_id = "AKIAROOT",
		.count = c.count, .first_seen_ms = c.first, .last_seen_ms = c.last,
		.created_ms = c.created, .updated_ms = c.updated, .archived = true, .json = c.json,
	};
	cr_assert_eq(s->ops->put(s, &f), VG_OK);

	merge_one(s, "AKIAROOT", T0 + 1, NOW2);
	c = get_stored(s, id);
	cr_assert(c.archived);
	cr_assert_eq(c.count, 2);
	struct vg_json j = parse_json(c.json, strlen(c.json));
	cr_assert(jbool(&j, "service.archived"));
	s->ops->close(s);
}

Test(store, file_db_persists_across_reopen)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/findings.db", tmpdir);
	struct vg_store *s = store_open(path);
	cr_assert(merge_one(s, "AKIAROOT", T0, NOW1));
	s->ops->close(s);

	s = store_open(path);
	cr_assert_not(merge_one(s, "AKIAROOT", T0 + 60000, NOW2), "the reopened store knows the finding");
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	char id[VG_FINDING_ID_LEN + 1];
	id_of(&d, id);
	struct stored_copy c = get_stored(s, id);
	cr_assert_eq(c.count, 2);
	cr_assert_eq(c.created, NOW1);
	cr_assert_eq(c.updated, NOW2);
	cr_assert_eq(c.last, T0 + 60000);
	s->ops->close(s);
}

Test(store, updates_are_visible_to_another_connection)
{
	/* A second reader (vigil findings, the API) must see a merge that
	 * updated an existing finding, not only new ones. */
	char path[128];
	snprintf(path, sizeof(path), "%s/shared.db", tmpdir);
	struct vg_store *w = store_open(path), *r = store_open(path);
	merge_one(w, "AKIAROOT", T0, NOW1);
	merge_one(w, "AKIAROOT", T0 + 1, NOW2);
	struct vg_event ev = root_event("AKIAROOT", "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	char id[VG_FINDING_ID_LEN + 1];
	id_of(&d, id);
	struct stored_copy c = get_stored(r, id);
	cr_assert_eq(c.count, 2, "reader sees count %llu", (unsigned long long)c.count);
	r->ops->close(r);
	w->ops->close(w);
}

Test(store, files_read_are_remembered)
{
	static const char sha_a[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char sha_b[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	char path[128];
	snprintf(path, sizeof(path), "%s/files.db", tmpdir);
	struct vg_store *s = store_open(path);
	cr_assert_eq(s->ops->file_seen(s, sha_a), VG_ENOENT);
	cr_assert_eq(s->ops->file_add(s, sha_a, "AWSLogs/a.json.gz", 17), VG_OK);
	cr_assert_eq(s->ops->file_seen(s, sha_a), VG_OK);
	cr_assert_eq(s->ops->file_seen(s, sha_b), VG_ENOENT, "only that digest");
	/* Adding the same file again (another name, same bytes) is fine. */
	cr_assert_eq(s->ops->file_add(s, sha_a, "copy/a.json.gz", 17), VG_OK);
	s->ops->close(s);

	s = store_open(path);
	cr_assert_eq(s->ops->file_seen(s, sha_a), VG_OK, "remembered across a reopen");
	cr_assert_eq(s->ops->file_seen(s, sha_b), VG_ENOENT);
	s->ops->close(s);
}

Test(store, transactions)
{
	struct vg_store *s = store_open(":memory:");
	cr_assert_eq(s->ops->begin(s), VG_OK);
	merge_one(s, "AKIA1", T0, NOW1);
	merge_one(s, "AKIA2", T0, NOW1);
	merge_one(s, "AKIA1", T0, NOW1);
	cr_assert_eq(s->ops->commit(s), VG_OK);
	cr_assert_neq(s->ops->commit(s), VG_OK, "no transaction is open");
	s->ops->close(s);
}

struct each_seen {
	int n, stop_at;
	double severity[8];
	char type[8][96];
	int64_t updated[8];
};

static int each_cb(void *ctx, const struct vg_stored_finding *f)
{
	struct each_seen *e = ctx;
	cr_assert_lt(e->n, 8);
	e->severity[e->n] = f->severity;
	e->updated[e->n] = f->updated_ms;
	snprintf(e->type[e->n], sizeof(e->type[0]), "%s", f->type);
	e->n++;
	return e->stop_at && e->n == e->stop_at ? 42 : 0;
}

static void merge_typed(struct vg_store *s, const char *type, double severity, const char *key, int64_t now)
{
	struct vg_event ev = root_event(key, "us-east-1", T0);
	struct vg_finding_draft d = draft_for(&ev);
	d.type = vg_finding_type_find(type);
	cr_assert_not_null(d.type, "%s", type);
	d.severity = severity;
	struct vg_occurrence o = occurrence(&d);
	struct vg_buf scratch;
	vg_buf_init(&scratch, 0);
	bool created;
	cr_assert_eq(vg_store_merge(s, &o, now, &scratch, &created), VG_OK);
	vg_buf_free(&scratch);
	vg_occurrence_free(&o);
}

Test(store, each_orders_by_severity_then_update)
{
	struct vg_store *s = store_open(":memory:");
	merge_typed(s, ROOT_TYPE, 2, "AKIA1", NOW1);
	merge_typed(s, "Stealth:IAMUser/CloudTrailLoggingDisabled", 8, "AKIA2", NOW1);
	merge_typed(s, "Stealth:IAMUser/PasswordPolicyChange", 5, "AKIA3", NOW1);
	merge_typed(s, "Policy:IAMUser/ShortTermRootCredentialUsage", 5, "AKIA4", NOW2);
	struct each_seen e = {0};
	cr_assert_eq(s->ops->each(s, each_cb, &e), VG_OK);
	cr_assert_eq(e.n, 4);
	cr_assert_float_eq(e.severity[0], 8, 1e-9);
	cr_assert_float_eq(e.severity[1], 5, 1e-9);
	cr_assert_float_eq(e.severity[2], 5, 1e-9);
	cr_assert_float_eq(e.severity[3], 2, 1e-9);
	cr_assert_str_eq(e.type[1], "Policy:IAMUser/ShortTermRootCredentialUsage", "newer update first");
	cr_assert_eq(e.updated[1], NOW2);
	cr_assert_str_eq(e.type[3], ROOT_TYPE);

	/* The callback can stop the walk; its value comes back. */
	e = (struct each_seen){.stop_at = 2};
	cr_assert_eq(s->ops->each(s, each_cb, &e), 42);
	cr_assert_eq(e.n, 2);
	/* And a full walk works again afterwards. */
	e = (struct each_seen){0};
	cr_assert_eq(s->ops->each(s, each_cb, &e), VG_OK);
	cr_assert_eq(e.n, 4);
	s->ops->close(s);
}

Test(store, open_failures)
{
	struct vg_store *s = NULL;
	char why[256] = "";
	char path[128];
	snprintf(path, sizeof(path), "%s/no/such/dir/x.db", tmpdir);
	cr_assert_eq(vg_store_open_sqlite(path, &s, why, sizeof(why)), VG_ESTORE);
	cr_assert_neq(why[0], '\0');

	/* A database from a newer schema is refused. */
	snprintf(path, sizeof(path), "%s/newer.db", tmpdir);
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	why[0] = '\0';
	cr_assert_eq(vg_store_open_sqlite(path, &s, why, sizeof(why)), VG_ESTORE);
	cr_assert_not_null(strstr(why, "newer"), "%s", why);

	/* A file that is not a database. */
	snprintf(path, sizeof(path), "%s/junk.db", tmpdir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("this is not an SQLite database, not even close; it is long enough to have a header\n", f);
	fclose(f);
	cr_assert_eq(vg_store_open_sqlite(path, &s, why, sizeof(why)), VG_ESTORE);
}
