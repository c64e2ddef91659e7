/*
 * compose.c -- drafts into occurrences, occurrences into GuardDuty JSON.
 *
 * The JSON follows the Finding shape of the GuardDuty service model (camel
 * case wire names); tests validate every emitted finding against the model
 * shipped in python3-botocore.
 */
#include "../vg.h"
#include "finding.h"
#include "../core/time.h"
#include "../enrich/geo.h"

#include <openssl/evp.h>
#include <stdio.h>

static const char *const resource_type_names[] = {
	[VG_RES_ACCESS_KEY] = "AccessKey",
	[VG_RES_S3_BUCKET] = "S3Bucket",
	[VG_RES_INSTANCE] = "Instance",
};

static const char *const action_type_names[] = {
	[VG_ACT_AWS_API_CALL] = "AWS_API_CALL",
	[VG_ACT_NETWORK_CONNECTION] = "NETWORK_CONNECTION",
	[VG_ACT_PORT_PROBE] = "PORT_PROBE",
	[VG_ACT_DNS_REQUEST] = "DNS_REQUEST",
};

/* 32 hex digits of SHA-256 over the NUL-separated parts: stable across
 * runs and machines, so a re-scan updates the same finding. */
static void hash_id(const struct vg_str *parts, size_t n, char out[VG_FINDING_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(c, parts[i].p ? parts[i].p : "", parts[i].n) && EVP_DigestUpdate(c, "", 1);
	ok = ok && EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	if (!ok) /* only on allocation failure inside OpenSSL */
		memset(md, 0, sizeof(md));
	for (int i = 0; i < VG_FINDING_ID_LEN / 2; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[VG_FINDING_ID_LEN] = '\0';
}

/* The name the finding's resource goes by. */
static struct vg_str resource_id(const struct vg_finding_draft *d)
{
	const struct vg_actor *a = &d->ev->actor;
	if (d->type->resource == VG_RES_S3_BUCKET && !vg_str_empty(d->bucket))
		return d->bucket;
	if (!vg_str_empty(a->access_key_id))
		return a->access_key_id;
	if (!vg_str_empty(a->principal_id))
		return a->principal_id;
	return a->arn;
}

static struct vg_str actor_name(const struct vg_actor *a)
{
	if (!vg_str_empty(a->user_name))
		return a->user_name;
	if (vg_str_eqc(a->type, "Root"))
		return VG_STR_LIT("Root");
	if (!vg_str_empty(a->arn))
		return a->arn;
	return a->principal_id;
}

static void access_key_details(struct vg_buf *b, const struct vg_actor *a)
{
	vg_buf_adds(b, "\"accessKeyDetails\":{\"accessKeyId\":");
	vg_buf_json_str(b, a->access_key_id);
	vg_buf_adds(b, ",\"principalId\":");
	vg_buf_json_str(b, a->principal_id);
	vg_buf_adds(b, ",\"userName\":");
	vg_buf_json_str(b, actor_name(a));
	vg_buf_adds(b, ",\"userType\":");
	vg_buf_json_str(b, a->type);
	vg_buf_addc(b, '}');
}

static void resource_json(struct vg_buf *b, const struct vg_finding_draft *d)
{
	const struct vg_event *ev = d->ev;
	vg_buf_adds(b, "{\"resourceType\":");
	vg_buf_json_cstr(b, resource_type_names[d->type->resource]);
	vg_buf_addc(b, ',');
	access_key_details(b, &ev->actor);
	if (d->type->resource == VG_RES_S3_BUCKET && !vg_str_empty(d->bucket)) {
		vg_buf_adds(b, ",\"s3BucketDetails\":[{\"arn\":\"arn:aws:s3:::");
		/* The bucket name is appended escaped, inside the same string. */
		struct vg_buf tmp;
		vg_buf_init(&tmp, 0);
		vg_buf_json_str(&tmp, d->bucket);
		if (tmp.len >= 2)
			vg_buf_add(b, tmp.p + 1, tmp.len - 2);
		vg_buf_free(&tmp);
		vg_buf_adds(b, "\",\"name\":");
		vg_buf_json_str(b, d->bucket);
		vg_buf_adds(b, ",\"type\":\"Destination\"}]");
	}
	vg_buf_addc(b, '}');
}

static void remote_ip_details(struct vg_buf *b, const struct vg_ip *ip, const struct vg_geo *geo)
{
	char text[VG_IP_STRLEN];
	struct vg_geo_info info;
	vg_ip_format(ip, text);
	vg_buf_adds(b, ip->family == 6 ? "\"remoteIpDetails\":{\"ipAddressV6\":" : "\"remoteIpDetails\":{\"ipAddressV4\":");
	vg_buf_json_cstr(b, text);
	if (geo && vg_geo_lookup(geo, ip, &info))
		vg_geo_json(&info, b);
	vg_buf_addc(b, '}');
}

static void api_call_action(struct vg_buf *b, const struct vg_event *ev, const struct vg_geo *geo)
{
	vg_buf_adds(b, "\"awsApiCallAction\":{\"api\":");
	vg_buf_json_str(b, ev->api.name);
	vg_buf_adds(b, ",\"serviceName\":");
	vg_buf_json_str(b, ev->api.service);
	if (ev->src_ip.family) {
		vg_buf_adds(b, ",\"callerType\":\"Remote IP\",");
		remote_ip_details(b, &ev->src_ip, geo);
	} else if (!vg_str_empty(ev->api.source_ip_text)) {
		/* CloudTrail writes a service's name where an AWS service called. */
		vg_buf_adds(b, ",\"callerType\":\"Domain\",\"domainDetails\":{\"domain\":");
		vg_buf_json_str(b, ev->api.source_ip_text);
		vg_buf_addc(b, '}');
	}
	if (!vg_str_empty(ev->user_agent)) {
		vg_buf_adds(b, ",\"userAgent\":");
		vg_buf_json_str(b, ev->user_agent);
	}
	if (!vg_str_empty(ev->api.error_code)) {
		vg_buf_adds(b, ",\"errorCode\":");
		vg_buf_json_str(b, ev->api.error_code);
	}
	if (!vg_str_empty(ev->actor.account) && !vg_str_empty(ev->account) &&
	    !vg_str_eq(ev->actor.account, ev->account)) {
		vg_buf_adds(b, ",\"remoteAccountDetails\":{\"accountId\":");
		vg_buf_json_str(b, ev->actor.account);
		vg_buf_adds(b, ",\"affiliated\":false}");
	}
	vg_buf_addc(b, '}');
}

/* additionalInfo: GuardDuty puts free-form keys here and repeats them as
 * a JSON string in "value" with "type":"default". */
static void additional_info(struct vg_buf *b, const struct vg_finding_draft *d)
{
	struct vg_buf inner;
	vg_buf_init(&inner, 0);
	vg_buf_addc(&inner, '{');
	for (int i = 0; i < d->n_info && i < VG_DRAFT_MAX_INFO; i++) {
		if (i)
			vg_buf_addc(&inner, ',');
		vg_buf_json_cstr(&inner, d->info[i].key);
		vg_buf_addc(&inner, ':');
		vg_buf_json_str(&inner, d->info[i].value);
	}
	if (!vg_str_empty(d->threat_list)) {
		vg_buf_adds(&inner, d->n_info ? ",\"threatListName\":" : "\"threatListName\":");
		vg_buf_json_str(&inner, d->threat_list);
	}
	vg_buf_addc(&inner, '}');
	vg_buf_adds(b, "\"additionalInfo\":");
	if (inner.len > 2) {
		vg_buf_add(b, inner.p, inner.len - 1);
		vg_buf_adds(b, ",\"value\":");
		vg_buf_json_str(b, (struct vg_str){inner.p, inner.len});
		vg_buf_adds(b, ",\"type\":\"default\"}");
	} else {
		vg_buf_adds(b, "{\"value\":\"{}\",\"type\":\"default\"}");
	}
	if (inner.failed)
		b->failed = b->failed ? b->failed : inner.failed;
	vg_buf_free(&inner);
}

static void service_json(struct vg_buf *b, const struct vg_finding_draft *d, const struct vg_geo *geo)
{
	vg_buf_adds(b, "\"action\":{\"actionType\":");
	vg_buf_json_cstr(b, action_type_names[d->type->action]);
	if (d->type->action == VG_ACT_AWS_API_CALL) {
		vg_buf_addc(b, ',');
		api_call_action(b, d->ev, geo);
	}
	vg_buf_adds(b, "},\"resourceRole\":");
	vg_buf_json_cstr(b, d->resource_role ? d->resource_role : "TARGET");
	vg_buf_addc(b, ',');
	additional_info(b, d);
	if (!vg_str_empty(d->threat_list)) {
		vg_buf_adds(b, ",\"evidence\":{\"threatIntelligenceDetails\":[{\"threatListName\":");
		vg_buf_json_str(b, d->threat_list);
		vg_buf_adds(b, ",\"threatNames\":[");
		if (!vg_str_empty(d->threat_name))
			vg_buf_json_str(b, d->threat_name);
		vg_buf_addc(b, ']');
		if (!vg_str_empty(d->threat_file_sha256)) {
			vg_buf_adds(b, ",\"threatFileSha256\":");
			vg_buf_json_str(b, d->threat_file_sha256);
		}
		vg_buf_adds(b, "}]}");
	}
}

/* The placeholders a title or description may use (detector.h). */
struct placeholder {
	const char *name; /* with braces */
	size_t len;
	struct vg_str value;
};

static size_t placeholders(const struct vg_finding_draft *d, struct placeholder *ph)
{
	const struct vg_event *ev = d->ev;
	struct placeholder all[] = {
		{"{resource}", 10, resource_id(d)},
		{"{actor}", 7, actor_name(&ev->actor)},
		{"{api}", 5, ev->api.name},
		{"{service}", 9, ev->api.service},
	};
	memcpy(ph, all, sizeof(all));
	return VG_ARRAY_LEN(all);
}

bool vg_finding_template_valid(const char *t)
{
	static const char *const known[] = {"{resource}", "{actor}", "{api}", "{service}"};
	if (strchr(t, '%')) /* a printf format left over */
		return false;
	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		bool ok = false;
		for (size_t i = 0; i < VG_ARRAY_LEN(known) && !ok; i++)
			ok = strncmp(p, known[i], strlen(known[i])) == 0;
		if (!ok)
			return false;
	}
	return true;
}

/* expand -- the template with its placeholders filled in; owned result. */
static char *expand(const char *t, const struct vg_finding_draft *d)
{
	struct placeholder ph[8];
	size_t n = placeholders(d, ph);
	struct vg_buf out;
	vg_buf_init(&out, 0);
	while (*t) {
		const char *brace = strchr(t, '{');
		if (!brace) {
			vg_buf_adds(&out, t);
			break;
		}
		vg_buf_add(&out, t, (size_t)(brace - t));
		size_t i = 0;
		while (i < n && strncmp(brace, ph[i].name, ph[i].len) != 0)
			i++;
		if (i < n) {
			vg_buf_addstr(&out, ph[i].value);
			t = brace + ph[i].len;
		} else {
			vg_buf_addc(&out, '{');
			t = brace + 1;
		}
	}
	return vg_buf_take(&out, NULL);
}

void vg_occurrence_free(struct vg_occurrence *o)
{
	vg_free(o->account);
	vg_free(o->region);
	vg_free(o->resource_id);
	vg_free(o->resource_json);
	vg_free(o->service_json);
	vg_free(o->title);
	vg_free(o->description);
	memset(o, 0, sizeof(*o));
}

int vg_occurrence_from_draft(const struct vg_finding_draft *d, const struct vg_geo *geo, struct vg_occurrence *o)
{
	const struct vg_event *ev = d->ev;
	struct vg_str rid = resource_id(d);
	struct vg_buf b;

	memset(o, 0, sizeof(*o));
	o->type = d->type;
	o->severity = d->severity > 0 ? d->severity : d->type->severity;
	o->resource_type = resource_type_names[d->type->resource];
	o->count = 1;
	o->first_ms = o->last_ms = ev->time_ms;

	struct vg_str key[] = {vg_str_c(d->type->name), ev->account, ev->region, rid, ev->actor.arn, d->key_extra};
	hash_id(key, VG_ARRAY_LEN(key), o->id);
	struct vg_str det[] = {VG_STR_LIT("vigil-detector"), ev->account, ev->region};
	hash_id(det, VG_ARRAY_LEN(det), o->detector_id);

	o->account = vg_strndup(ev->account.p ? ev->account.p : "", ev->account.n);
	o->region = vg_strndup(ev->region.p ? ev->region.p : "", ev->region.n);
	o->resource_id = vg_strndup(rid.p ? rid.p : "", rid.n);
	vg_buf_init(&b, 0);
	resource_json(&b, d);
	o->resource_json = vg_buf_take(&b, NULL);
	vg_buf_init(&b, 0);
	service_json(&b, d, geo);
	o->service_json = vg_buf_take(&b, NULL);
	o->title = expand(d->type->title, d);
	o->description = expand(d->type->description, d);
	if (!o->account || !o->region || !o->resource_id || !o->resource_json || !o->service_json || !o->title ||
	    !o->description) {
		vg_occurrence_free(o);
		return VG_ENOMEM;
	}
	return VG_OK;
}

static void add_time(struct vg_buf *b, const char *key, int64_t ms)
{
	char t[VG_TIME_ISO_LEN + 1];
	vg_time_format(ms, t);
	vg_buf_printf(b, ",\"%s\":\"%s\"", key, t);
}

struct vg_finding_history vg_finding_fold(const struct vg_occurrence *o, const struct vg_finding_history *h,
					  int64_t now_ms)
{
	if (!h)
		return (struct vg_finding_history){o->count, o->first_ms, o->last_ms, now_ms, false};
	return (struct vg_finding_history){
		.count = o->count + h->count,
		.first_ms = h->first_ms < o->first_ms ? h->first_ms : o->first_ms,
		.last_ms = h->last_ms > o->last_ms ? h->last_ms : o->last_ms,
		.created_ms = h->created_ms,
		.archived = h->archived,
	};
}

void vg_finding_compose(const struct vg_occurrence *o, const struct vg_finding_history *h, int64_t now_ms,
			struct vg_buf *b)
{
	struct vg_finding_history t = vg_finding_fold(o, h, now_ms);

	vg_buf_adds(b, "{\"schemaVersion\":\"2.0\",\"accountId\":");
	vg_buf_json_cstr(b, o->account);
	vg_buf_adds(b, ",\"region\":");
	vg_buf_json_cstr(b, o->region);
	vg_buf_printf(b, ",\"partition\":\"aws\",\"id\":\"%s\",\"arn\":", o->id);
	struct vg_buf arn;
	vg_buf_init(&arn, 0);
	vg_buf_printf(&arn, "arn:aws:guardduty:%s:%s:detector/%s/finding/%s", o->region, o->account,
		      o->detector_id, o->id);
	vg_buf_json_str(b, (struct vg_str){arn.p, arn.len});
	vg_buf_free(&arn);
	vg_buf_adds(b, ",\"type\":");
	vg_buf_json_cstr(b, o->type->name);
	vg_buf_adds(b, ",\"resource\":");
	vg_buf_adds(b, o->resource_json);
	vg_buf_printf(b, ",\"service\":{\"serviceName\":\"guardduty\",\"detectorId\":\"%s\",", o->detector_id);
	vg_buf_adds(b, o->service_json);
	add_time(b, "eventFirstSeen", t.first_ms);
	add_time(b, "eventLastSeen", t.last_ms);
	vg_buf_printf(b, ",\"archived\":%s,\"count\":%llu}", t.archived ? "true" : "false",
		      (unsigned long long)t.count);
	vg_buf_printf(b, ",\"severity\":%g", o->severity);
	add_time(b, "createdAt", t.created_ms);
	add_time(b, "updatedAt", now_ms);
	vg_buf_adds(b, ",\"title\":");
	vg_buf_json_cstr(b, o->title);
	vg_buf_adds(b, ",\"description\":");
	vg_buf_json_cstr(b, o->description);
	vg_buf_addc(b, '}');
}
