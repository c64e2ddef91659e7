/*
 * cloudtrail.c -- CloudTrail record decoder.
 *
 * One pass over the record's members, dispatched through a table of known
 * fields; unknown members are ignored (AWS adds fields within a major
 * version).  Known fields with the wrong JSON type reject the record with a
 * message naming the field, because a record whose identity or call cannot
 * be trusted must not feed detectors.  JSON null counts as absent.
 */
#include "../vg.h"
#include "cloudtrail.h"
#include "../core/time.h"

#include <stddef.h>

enum field_kind {
	F_STR,      /* string view into struct vg_ct_record at off */
	F_BOOL,     /* bool at off; also accepts "true"/"false" strings (some exports stringify) */
	F_TIME,     /* eventTime */
	F_JSON,     /* object kept as a handle (requestParameters, ...) */
	F_IDENTITY, /* userIdentity */
	F_CATEGORY, /* eventCategory */
	F_ALTTIME,  /* @timestamp, used only when eventTime is absent */
	F_SESSION,  /* userIdentity.sessionContext */
	F_INSCOPE,  /* userIdentity.inScopeOf */
};

struct field {
	struct vg_json_field key; /* first, so the table is vg_json_members' want list */
	enum field_kind kind;
	size_t off;               /* F_STR, F_BOOL, F_JSON: offset in the record (or actor) */
	const char *type_error;   /* message when the type is wrong */
	size_t ptr_off;           /* F_JSON: offset of the event's pointer to the handle */
};

#define F(name, ...) {{name, sizeof(name) - 1}, __VA_ARGS__}
#define EV(m) (offsetof(struct vg_ct_record, ev) + offsetof(struct vg_event, m))
#define REC(m) offsetof(struct vg_ct_record, m)
#define ACT(m) offsetof(struct vg_actor, m)

/* In the order CloudTrail writes them (vg_json_members matches faster). */
static const struct field fields[] = {
	F("eventVersion", F_STR, EV(api.version), "eventVersion is not a string"),
	F("userIdentity", F_IDENTITY, 0, "userIdentity is not an object"),
	F("eventTime", F_TIME, 0, "eventTime is not a string"),
	F("eventSource", F_STR, EV(api.service), "eventSource is not a string"),
	F("eventName", F_STR, EV(api.name), "eventName is not a string"),
	F("awsRegion", F_STR, EV(region), "awsRegion is not a string"),
	F("sourceIPAddress", F_STR, EV(api.source_ip_text), "sourceIPAddress is not a string"),
	F("userAgent", F_STR, EV(user_agent), "userAgent is not a string"),
	F("errorCode", F_STR, EV(api.error_code), "errorCode is not a string"),
	F("errorMessage", F_STR, EV(api.error_message), "errorMessage is not a string"),
	F("requestParameters", F_JSON, REC(request), "requestParameters is not an object", EV(api.request)),
	F("responseElements", F_JSON, REC(response), "responseElements is not an object", EV(api.response)),
	F("additionalEventData", F_JSON, REC(additional), "additionalEventData is not an object",
	  EV(api.additional)),
	F("eventID", F_STR, EV(api.event_id), "eventID is not a string"),
	F("readOnly", F_BOOL, EV(api.read_only), "readOnly is not a boolean"),
	F("eventType", F_STR, EV(api.event_type), "eventType is not a string"),
	F("recipientAccountId", F_STR, EV(account), "recipientAccountId is not a string"),
	F("eventCategory", F_CATEGORY, 0, "eventCategory is not a string"),
	F("@timestamp", F_ALTTIME, 0, "@timestamp is not a string"),
};

static const struct field id_fields[] = {
	F("type", F_STR, ACT(type), "userIdentity.type is not a string"),
	F("principalId", F_STR, ACT(principal_id), "userIdentity.principalId is not a string"),
	F("arn", F_STR, ACT(arn), "userIdentity.arn is not a string"),
	F("accountId", F_STR, ACT(account), "userIdentity.accountId is not a string"),
	F("accessKeyId", F_STR, ACT(access_key_id), "userIdentity.accessKeyId is not a string"),
	F("userName", F_STR, ACT(user_name), "userIdentity.userName is not a string"),
	F("invokedBy", F_STR, ACT(invoked_by), "userIdentity.invokedBy is not a string"),
	F("sessionContext", F_SESSION, 0, "userIdentity.sessionContext is not an object"),
	F("inScopeOf", F_INSCOPE, 0, NULL),
};

/* A string member, null or absent as empty; false if it has another type. */
static bool opt_str(const struct vg_json *v, struct vg_str *out)
{
	enum vg_json_type t = vg_json_type(v);
	if (t == VG_JSON_NULL) {
		*out = VG_STR_NULL;
		return true;
	}
	return vg_json_string(v, out);
}

static bool truthy(const struct vg_json *v)
{
	bool b;
	struct vg_str s;
	if (vg_json_bool(v, &b))
		return b;
	return vg_json_string(v, &s) && vg_str_eqc(s, "true");
}

static void decode_session(const struct vg_json *ctx, struct vg_actor *a)
{
	struct vg_json v;
	if (vg_json_path(ctx, "sessionIssuer.type", &v))
		(void)opt_str(&v, &a->issuer_type);
	if (vg_json_path(ctx, "sessionIssuer.arn", &v))
		(void)opt_str(&v, &a->issuer_arn);
	/* For roles, the issuer's name stands in for the missing userName. */
	if (vg_str_empty(a->user_name) && vg_json_path(ctx, "sessionIssuer.userName", &v))
		(void)opt_str(&v, &a->user_name);
	if (vg_json_path(ctx, "attributes.mfaAuthenticated", &v))
		a->mfa = truthy(&v);
	if (vg_json_get(ctx, "assumedRoot", &v))
		a->assumed_root = truthy(&v);
}

static int decode_identity(const struct vg_json *id, struct vg_actor *a, const char **why)
{
	struct vg_json_member m[VG_ARRAY_LEN(id_fields)];
	(void)vg_json_members(id, id_fields, sizeof(id_fields[0]), VG_ARRAY_LEN(id_fields), m);
	for (size_t i = 0; i < VG_ARRAY_LEN(id_fields); i++) {
		const struct field *f = &id_fields[i];
		if (m[i].type == VG_JSON_NONE || m[i].type == VG_JSON_NULL)
			continue;
		switch (f->kind) {
		case F_STR:
			if (m[i].type != VG_JSON_STRING) {
				*why = f->type_error;
				return VG_ETYPE;
			}
			*(struct vg_str *)((char *)a + f->off) = m[i].str;
			break;
		case F_SESSION:
			if (m[i].type == VG_JSON_OBJECT)
				decode_session(&m[i].val, a);
			break;
		case F_INSCOPE:
			/* Present on sessions from sts:AssumeRoot (centralized root
			 * access), which AWS calls short-term root credentials. */
			a->assumed_root = true;
			break;
		default:
			break;
		}
	}
	return VG_OK;
}

/* Accept CloudTrail 1.x: within a major version AWS only adds fields. */
static bool version_ok(struct vg_str v)
{
	return v.n == 0 || (v.n >= 2 && v.p[0] == '1' && v.p[1] == '.');
}

int vg_cloudtrail_decode(const struct vg_json *record, struct vg_ct_record *rec, const char **why)
{
	struct vg_event *ev = &rec->ev;
	struct vg_json_member m[VG_ARRAY_LEN(fields)];
	struct vg_str time_text = VG_STR_NULL, alt_time = VG_STR_NULL, category = VG_STR_NULL;

	memset(rec, 0, sizeof(*rec));
	rec->raw = *record;
	ev->raw = &rec->raw;
	ev->source = VG_SRC_CLOUDTRAIL;
	if (!vg_json_members(record, fields, sizeof(fields[0]), VG_ARRAY_LEN(fields), m)) {
		*why = "record is not a JSON object";
		return VG_ETYPE;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(fields); i++) {
		const struct field *f = &fields[i];
		enum vg_json_type t = m[i].type;
		if (t == VG_JSON_NONE || t == VG_JSON_NULL)
			continue; /* null counts as absent */
		switch (f->kind) {
		case F_STR:
		case F_TIME:
		case F_ALTTIME:
		case F_CATEGORY:
			if (t != VG_JSON_STRING)
				goto type_error;
			if (f->kind == F_STR)
				*(struct vg_str *)((char *)rec + f->off) = m[i].str;
			else
				*(f->kind == F_TIME ? &time_text : f->kind == F_ALTTIME ? &alt_time : &category) = m[i].str;
			break;
		case F_BOOL: {
			bool *dst = (bool *)((char *)rec + f->off);
			if (t == VG_JSON_BOOL)
				(void)vg_json_bool(&m[i].val, dst);
			else if (t == VG_JSON_STRING && (vg_str_eqc(m[i].str, "true") || vg_str_eqc(m[i].str, "false")))
				*dst = vg_str_eqc(m[i].str, "true");
			else
				goto type_error;
			break;
		}
		case F_JSON: {
			if (t != VG_JSON_OBJECT)
				goto type_error;
			/* A zeroed vg_json is no valid handle, so absence is a
			 * NULL pointer in the event, set only here. */
			struct vg_json *dst = (struct vg_json *)((char *)rec + f->off);
			*dst = m[i].val;
			*(const struct vg_json **)((char *)rec + f->ptr_off) = dst;
			break;
		}
		case F_IDENTITY: {
			if (t != VG_JSON_OBJECT)
				goto type_error;
			int rc = decode_identity(&m[i].val, &ev->actor, why);
			if (rc != VG_OK)
				return rc;
			break;
		}
		default:
			break;
		}
		continue;
type_error:
		*why = f->type_error;
		return VG_ETYPE;
	}

	if (vg_str_empty(ev->api.name)) {
		*why = "eventName missing";
		return VG_EMISSING;
	}
	if (vg_str_empty(ev->api.service)) {
		*why = "eventSource missing";
		return VG_EMISSING;
	}
	if (!version_ok(ev->api.version)) {
		*why = "unsupported eventVersion (vigil reads CloudTrail 1.x)";
		return VG_EVERSION;
	}
	if (vg_str_empty(time_text))
		time_text = alt_time;
	if (vg_str_empty(time_text)) {
		*why = "eventTime missing";
		return VG_EMISSING;
	}
	if (vg_time_parse(time_text, &ev->time_ms) != VG_OK) {
		*why = "eventTime is not an ISO-8601 time";
		return VG_EFORMAT;
	}

	if (vg_str_eqc(category, "Data"))
		ev->api.category = VG_CT_DATA;
	else if (vg_str_eqc(category, "Insight"))
		ev->api.category = VG_CT_INSIGHT;
	else if (vg_str_eqc(category, "NetworkActivity"))
		ev->api.category = VG_CT_NETWORK_ACTIVITY;
	if (vg_str_empty(ev->account))
		ev->account = ev->actor.account;
	if (vg_ip_parse(ev->api.source_ip_text, &ev->src_ip) != VG_OK)
		memset(&ev->src_ip, 0, sizeof(ev->src_ip));
	return VG_OK;
}

static bool looks_like_record(const struct vg_json *v)
{
	struct vg_json t;
	return vg_json_get(v, "eventName", &t) || vg_json_get(v, "eventSource", &t) ||
	       vg_json_get(v, "eventVersion", &t);
}

static void decode_one(const struct vg_json *v, uint64_t index, const struct vg_event_sink *sink, void *ctx)
{
	struct vg_ct_record rec;
	const char *why = NULL;
	int rc = vg_cloudtrail_decode(v, &rec, &why);
	if (rc == VG_OK)
		sink->event(ctx, &rec.ev, index);
	else
		sink->bad(ctx, index, rc, why);
}

enum vg_ct_doc vg_cloudtrail_decode_doc(const struct vg_json *root, const struct vg_event_sink *sink, void *ctx)
{
	struct vg_json list, v;
	const struct vg_json *arr = NULL;
	if (vg_json_type(root) == VG_JSON_ARRAY)
		arr = root;
	else if (vg_json_get(root, "Records", &list) && vg_json_type(&list) == VG_JSON_ARRAY)
		arr = &list;
	if (arr) {
		struct vg_json_iter it;
		uint64_t i = 0;
		vg_json_iter_init(&it, arr);
		while (vg_json_iter_next(&it, NULL, &v))
			decode_one(&v, ++i, sink, ctx);
		return VG_CT_DOC_RECORDS;
	}
	if (vg_json_type(root) != VG_JSON_OBJECT)
		return VG_CT_DOC_UNKNOWN;
	/* EventBridge: {"detail-type": "AWS API Call via CloudTrail", "detail": {record}} */
	if (vg_json_get(root, "detail", &v) && vg_json_type(&v) == VG_JSON_OBJECT && looks_like_record(&v)) {
		decode_one(&v, 1, sink, ctx);
		return VG_CT_DOC_RECORD;
	}
	if (vg_json_get(root, "digestStartTime", &v) || vg_json_get(root, "digestPublicKeyFingerprint", &v))
		return VG_CT_DOC_DIGEST;
	if (looks_like_record(root)) {
		decode_one(root, 1, sink, ctx);
		return VG_CT_DOC_RECORD;
	}
	return VG_CT_DOC_UNKNOWN;
}
