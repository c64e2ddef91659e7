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
#include "../core/netnames.h"
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

/* Text a finding needs that the event does not hold as text. */
struct texts {
	char local_ip[VG_IP_STRLEN];
	char remote_ip[VG_IP_STRLEN];
	char port[8];
};

static void make_texts(const struct vg_finding_draft *d, struct texts *t)
{
	const struct vg_net_detail *n = &d->net;
	t->local_ip[0] = t->remote_ip[0] = '\0';
	if (n->local_ip.family)
		vg_ip_format(&n->local_ip, t->local_ip);
	else if (d->ev->source == VG_SRC_DNS && d->ev->src_ip.family)
		vg_ip_format(&d->ev->src_ip, t->local_ip);
	if (n->remote_ip.family)
		vg_ip_format(&n->remote_ip, t->remote_ip);
	snprintf(t->port, sizeof(t->port), "%u",
		 (unsigned)(n->direction == VG_NET_INBOUND ? n->local_port : n->remote_port));
}

/* The instance a network or DNS finding is about: its id when the log
 * has it, else the network interface, else the private address. */
static struct vg_str instance_id(const struct vg_event *ev)
{
	return ev->source == VG_SRC_DNS ? ev->dns.instance_id : ev->flow.instance_id;
}

/* The name the finding's resource goes by. */
static struct vg_str resource_id(const struct vg_finding_draft *d, const struct texts *t)
{
	const struct vg_actor *a = &d->ev->actor;
	if (d->type->resource == VG_RES_INSTANCE) {
		struct vg_str id = instance_id(d->ev);
		if (vg_str_empty(id))
			id = d->ev->flow.interface_id;
		return vg_str_empty(id) ? vg_str_c(t->local_ip) : id;
	}
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

/* instanceDetails: what the logs say of the instance -- its id and the
 * network interface the traffic or query went through. */
static void instance_details(struct vg_buf *b, const struct vg_finding_draft *d, const struct texts *t)
{
	const struct vg_event *ev = d->ev;
	struct vg_str id = instance_id(ev);
	struct vg_str vpc = ev->source == VG_SRC_DNS ? ev->dns.vpc_id : ev->flow.vpc_id;
	vg_buf_adds(b, "\"instanceDetails\":{");
	if (!vg_str_empty(id)) {
		vg_buf_adds(b, "\"instanceId\":");
		vg_buf_json_str(b, id);
		vg_buf_addc(b, ',');
	}
	vg_buf_adds(b, "\"networkInterfaces\":[{");
	size_t mark = b->len;
	if (!vg_str_empty(ev->flow.interface_id)) {
		vg_buf_adds(b, "\"networkInterfaceId\":");
		vg_buf_json_str(b, ev->flow.interface_id);
	}
	if (t->local_ip[0]) {
		vg_buf_adds(b, b->len > mark ? ",\"privateIpAddress\":" : "\"privateIpAddress\":");
		vg_buf_json_cstr(b, t->local_ip);
	}
	if (!vg_str_empty(ev->flow.subnet_id)) {
		vg_buf_adds(b, b->len > mark ? ",\"subnetId\":" : "\"subnetId\":");
		vg_buf_json_str(b, ev->flow.subnet_id);
	}
	if (!vg_str_empty(vpc)) {
		vg_buf_adds(b, b->len > mark ? ",\"vpcId\":" : "\"vpcId\":");
		vg_buf_json_str(b, vpc);
	}
	vg_buf_adds(b, "}]}");
}

static void resource_json(struct vg_buf *b, const struct vg_finding_draft *d, const struct texts *t)
{
	const struct vg_event *ev = d->ev;
	vg_buf_adds(b, "{\"resourceType\":");
	vg_buf_json_cstr(b, resource_type_names[d->type->resource]);
	vg_buf_addc(b, ',');
	if (d->type->resource == VG_RES_INSTANCE) {
		instance_details(b, d, t);
		vg_buf_addc(b, '}');
		return;
	}
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

static void port_details(struct vg_buf *b, const char *key, uint16_t port)
{
	vg_buf_printf(b, "\"%s\":{\"port\":%u,\"portName\":", key, (unsigned)port);
	vg_buf_json_cstr(b, vg_port_name(port));
	vg_buf_addc(b, '}');
}

/* localIpDetails: the model (and GuardDuty) carries IPv4 here only. */
static void local_ip_details(struct vg_buf *b, const struct texts *t, const struct vg_ip *ip)
{
	if (ip->family != 4)
		return;
	vg_buf_adds(b, "\"localIpDetails\":{\"ipAddressV4\":");
	vg_buf_json_cstr(b, t->local_ip);
	vg_buf_adds(b, "},");
}

static const char *const direction_names[] = {
	[VG_NET_UNKNOWN] = "UNKNOWN",
	[VG_NET_INBOUND] = "INBOUND",
	[VG_NET_OUTBOUND] = "OUTBOUND",
};

static void network_action(struct vg_buf *b, const struct vg_finding_draft *d, const struct texts *t,
			   const struct vg_geo *geo)
{
	const struct vg_net_detail *n = &d->net;
	vg_buf_printf(b, "\"networkConnectionAction\":{\"blocked\":%s,\"connectionDirection\":\"%s\",",
		      n->blocked ? "true" : "false", direction_names[n->direction]);
	port_details(b, "localPortDetails", n->local_port);
	vg_buf_adds(b, ",\"protocol\":");
	vg_buf_json_cstr(b, vg_protocol_name(n->protocol));
	vg_buf_addc(b, ',');
	local_ip_details(b, t, &n->local_ip);
	if (n->remote_ip.family) {
		remote_ip_details(b, &n->remote_ip, geo);
		vg_buf_addc(b, ',');
	}
	port_details(b, "remotePortDetails", n->remote_port);
	vg_buf_addc(b, '}');
}

/* portProbeAction: one detail per probed local port, all from the same
 * remote address (one finding per prober). */
static void port_probe_action(struct vg_buf *b, const struct vg_finding_draft *d, const struct texts *t,
			      const struct vg_geo *geo)
{
	const struct vg_net_detail *n = &d->net;
	vg_buf_printf(b, "\"portProbeAction\":{\"blocked\":%s,\"portProbeDetails\":[", n->blocked ? "true" : "false");
	int probes = d->n_probes > 0 ? d->n_probes : 1;
	for (int i = 0; i < probes && i < VG_DRAFT_MAX_PROBES; i++) {
		vg_buf_adds(b, i ? ",{" : "{");
		port_details(b, "localPortDetails", d->n_probes > 0 ? d->probe_ports[i] : n->local_port);
		vg_buf_addc(b, ',');
		local_ip_details(b, t, &n->local_ip);
		remote_ip_details(b, &n->remote_ip, geo);
		vg_buf_addc(b, '}');
	}
	vg_buf_adds(b, "]}");
}

/* dnsRequestAction; domainWithSuffix is a newer model member than the
 * one Debian ships (see tests/schema/validate_findings.py). */
static void dns_action(struct vg_buf *b, const struct vg_finding_draft *d)
{
	const struct vg_dns *q = &d->ev->dns;
	vg_buf_adds(b, "\"dnsRequestAction\":{\"domain\":");
	vg_buf_json_str(b, d->domain);
	vg_buf_adds(b, ",\"protocol\":");
	vg_buf_json_str(b, vg_str_empty(q->transport) ? VG_STR_LIT("UDP") : q->transport);
	vg_buf_printf(b, ",\"blocked\":%s", vg_str_eqc(q->firewall_action, "BLOCK") ? "true" : "false");
	if (!vg_str_empty(d->domain_with_suffix)) {
		vg_buf_adds(b, ",\"domainWithSuffix\":");
		vg_buf_json_str(b, d->domain_with_suffix);
	}
	vg_buf_addc(b, '}');
}

static void service_json(struct vg_buf *b, const struct vg_finding_draft *d, const struct texts *t,
			 const struct vg_geo *geo)
{
	vg_buf_adds(b, "\"action\":{\"actionType\":");
	vg_buf_json_cstr(b, action_type_names[d->type->action]);
	vg_buf_addc(b, ',');
	switch (d->type->action) {
	case VG_ACT_AWS_API_CALL: api_call_action(b, d->ev, geo); break;
	case VG_ACT_NETWORK_CONNECTION: network_action(b, d, t, geo); break;
	case VG_ACT_PORT_PROBE: port_probe_action(b, d, t, geo); break;
	case VG_ACT_DNS_REQUEST: dns_action(b, d); break;
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

static size_t placeholders(const struct vg_finding_draft *d, const struct texts *t, struct placeholder *ph)
{
	const struct vg_event *ev = d->ev;
	struct placeholder all[] = {
		{"{resource}", 10, resource_id(d, t)},
		{"{actor}", 7, actor_name(&ev->actor)},
		{"{api}", 5, ev->api.name},
		{"{service}", 9, ev->api.service},
		{"{remote}", 8, vg_str_c(t->remote_ip)},
		{"{port}", 6, vg_str_c(t->port)},
		{"{domain}", 8, d->domain},
	};
	memcpy(ph, all, sizeof(all));
	return VG_ARRAY_LEN(all);
}

bool vg_finding_template_valid(const char *t)
{
	static const char *const known[] = {"{resource}", "{actor}", "{api}", "{service}", "{remote}", "{port}",
					    "{domain}"};
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
static char *expand(const char *t, const struct vg_finding_draft *d, const struct texts *tx)
{
	struct placeholder ph[8];
	size_t n = placeholders(d, tx, ph);
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
	struct texts t;
	make_texts(d, &t);
	struct vg_str rid = resource_id(d, &t);
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
	resource_json(&b, d, &t);
	o->resource_json = vg_buf_take(&b, NULL);
	vg_buf_init(&b, 0);
	service_json(&b, d, &t, geo);
	o->service_json = vg_buf_take(&b, NULL);
	bool actor = d->resource_role && strcmp(d->resource_role, "ACTOR") == 0;
	o->title = expand(actor && d->type->title_actor ? d->type->title_actor : d->type->title, d, &t);
	o->description = expand(d->type->description, d, &t);
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
