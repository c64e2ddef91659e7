/*
 * test_route53.c -- the Route 53 Resolver query log decoder: every field of
 * a full record, the optional parts (srcids, answers, firewall fields),
 * the answer addresses, the refusals (version, missing and mistyped fields,
 * bad time and address), telling query records from CloudTrail ones, and
 * when ../shared/data is present the Elastic sample log.
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "shared_data.h"
#include "vg.h"
#include "core/event.h"
#include "core/ip.h"
#include "core/time.h"
#include "decode/json.h"
#include "decode/route53.h"

/* ---- helpers ------------------------------------------------------------ */

/* One parser per test process, made by the suite's init hook. */
static struct vg_json_parser *parser;
/* The root of the last parse, which the event's raw pointer borrows. */
static struct vg_json root;

static void parser_up(void) { cr_assert_eq(vg_json_parser_new(&parser, 1 << 20), VG_OK); }
static void parser_down(void)
{
	vg_json_parser_free(parser);
	parser = NULL;
}

TestSuite(route53, .init = parser_up, .fini = parser_down);

/* Parse s, which must be valid JSON.  The DOM keeps its own copy of every
 * string, so the padded input is freed at once. */
static const struct vg_json *parse_ok(const char *s, size_t n)
{
	char *b = malloc(n + VG_JSON_PADDING);
	cr_assert_not_null(b);
	memcpy(b, s, n);
	memset(b + n, 0, VG_JSON_PADDING);
	const char *why = NULL;
	int rc = vg_json_parse(parser, b, n, &root, &why);
	free(b);
	cr_assert_eq(rc, VG_OK, "parse failed (%d: %s) for: %.*s", rc, why ? why : "?", (int)n, s);
	return &root;
}

static int decode(const char *json, struct vg_event *ev, const char **why)
{
	*why = NULL;
	return vg_route53_decode(parse_ok(json, strlen(json)), ev, why);
}

static void decode_ok(const char *json, struct vg_event *ev)
{
	const char *why;
	int rc = decode(json, ev, &why);
	cr_assert_eq(rc, VG_OK, "decode failed (%d: %s) for: %s", rc, why ? why : "?", json);
}

/* The decoder refuses json with rc and a message containing field. */
static void refused(const char *json, int want_rc, const char *field)
{
	struct vg_event ev;
	const char *why;
	int rc = decode(json, &ev, &why);
	cr_assert_eq(rc, want_rc, "rc %d (%s), want %d, for: %s", rc, why ? why : "-", want_rc, json);
	cr_assert_not_null(why, "no reason for: %s", json);
	cr_assert(strstr(why, field) != NULL, "reason \"%s\" does not name %s", why, field);
}

#define assert_view(view, expect)                                                                      \
	do {                                                                                           \
		struct vg_str v_ = (view);                                                             \
		cr_assert(vg_str_eqc(v_, (expect)), "%s is \"%.*s\", want \"%s\"", #view, (int)v_.n, \
			  v_.p ? v_.p : "", (expect));                                                 \
	} while (0)

#define assert_ip(ipv, expect)                                                                   \
	do {                                                                                     \
		char t_[VG_IP_STRLEN];                                                           \
		vg_ip_format(&(ipv), t_);                                                        \
		cr_assert_str_eq(t_, (expect), "%s is %s, want %s", #ipv, t_, (expect));         \
	} while (0)

static int64_t iso(const char *s)
{
	int64_t ms;
	cr_assert_eq(vg_time_parse(vg_str_c(s), &ms), VG_OK);
	return ms;
}

/* A complete record in the shape of the AWS documentation's example, with
 * every field vigil reads. */
#define FULL                                                                                                  \
	"{\"version\":\"1.100000\",\"account_id\":\"123456789012\",\"region\":\"eu-west-1\","                 \
	"\"vpc_id\":\"vpc-0abc\",\"query_timestamp\":\"2024-03-05T10:20:30.250Z\","                            \
	"\"query_name\":\"WWW.Example.co.uk.\",\"query_type\":\"A\",\"query_class\":\"IN\","                    \
	"\"rcode\":\"NOERROR\",\"answers\":[{\"Rdata\":\"93.184.216.34\",\"Type\":\"A\",\"Class\":\"IN\"}],"   \
	"\"srcaddr\":\"10.1.2.3\",\"srcport\":\"53123\",\"transport\":\"TCP\","                                \
	"\"srcids\":{\"instance\":\"i-0123456789abcdef0\",\"resolver_endpoint\":\"rslvr-in-0abc\"},"           \
	"\"firewall_rule_action\":\"ALERT\",\"firewall_rule_group_id\":\"rslvr-frg-1\","                      \
	"\"firewall_domain_list_id\":\"rslvr-fdl-1\"}"

/* A minimal record: what a query without source ids, answers or firewall
 * rules carries. */
#define REC(extra)                                                                                  \
	"{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":\"us-east-1\","        \
	"\"vpc_id\":\"vpc-1\",\"query_timestamp\":\"2021-12-11T22:46:23Z\","                         \
	"\"query_name\":\"example.com.\",\"query_type\":\"A\",\"query_class\":\"IN\","                \
	"\"rcode\":\"NOERROR\",\"srcaddr\":\"172.31.86.159\",\"transport\":\"UDP\"" extra "}"

/* ---- a full record ------------------------------------------------------- */

Test(route53, full_record_every_field)
{
	struct vg_event ev;
	decode_ok(FULL, &ev);
	cr_assert_eq(ev.source, VG_SRC_DNS);
	cr_assert_eq(ev.time_ms, iso("2024-03-05T10:20:30.250Z"));
	cr_assert_eq(ev.time_ms % 1000, 250);
	assert_view(ev.account, "123456789012");
	assert_view(ev.region, "eu-west-1");
	cr_assert_eq(ev.src_ip.family, 4);
	assert_ip(ev.src_ip, "10.1.2.3");
	assert_view(ev.dns.query_name, "WWW.Example.co.uk.");
	assert_view(ev.dns.query_type, "A");
	assert_view(ev.dns.query_class, "IN");
	assert_view(ev.dns.rcode, "NOERROR");
	assert_view(ev.dns.transport, "TCP");
	assert_view(ev.dns.instance_id, "i-0123456789abcdef0");
	assert_view(ev.dns.resolver_endpoint, "rslvr-in-0abc");
	assert_view(ev.dns.vpc_id, "vpc-0abc");
	assert_view(ev.dns.firewall_action, "ALERT");
	cr_assert_eq(ev.dns.src_port, 53123);
	cr_assert_eq(ev.dns.n_answers, 1);
	cr_assert_eq(ev.dns.n_answer_ips, 1);
	assert_ip(ev.dns.answer_ip[0], "93.184.216.34");
	cr_assert_eq(ev.raw, &root);
	assert_view(vg_json_get_str(ev.raw, "firewall_rule_group_id"), "rslvr-frg-1");
	/* Nothing of the other sources is set. */
	cr_assert(vg_str_empty(ev.api.name));
	cr_assert(vg_str_empty(ev.actor.arn));
	cr_assert_eq(ev.flow.version, 0);
	cr_assert_eq(ev.file, NULL);
	cr_assert_eq(ev.record_no, 0);
}

Test(route53, event_is_cleared_first)
{
	struct vg_event ev;
	memset(&ev, 0x5a, sizeof(ev));
	decode_ok(REC(""), &ev);
	cr_assert(vg_str_empty(ev.dns.instance_id));
	cr_assert(vg_str_empty(ev.dns.firewall_action));
	cr_assert(vg_str_empty(ev.user_agent));
	cr_assert_eq(ev.api.request, NULL);
	cr_assert_eq(ev.dns.n_answers, 0);
	cr_assert_eq(ev.dns.n_answer_ips, 0);
}

/* ---- optional parts ------------------------------------------------------ */

Test(route53, without_srcids_answers_or_firewall_fields)
{
	struct vg_event ev;
	decode_ok(REC(""), &ev);
	assert_view(ev.dns.query_name, "example.com.");
	cr_assert(vg_str_empty(ev.dns.instance_id));
	cr_assert(vg_str_empty(ev.dns.resolver_endpoint));
	cr_assert(vg_str_empty(ev.dns.firewall_action));
	cr_assert_eq(ev.dns.src_port, 0);
	cr_assert_eq(ev.dns.n_answers, 0);
	cr_assert_eq(ev.dns.n_answer_ips, 0);
	assert_ip(ev.src_ip, "172.31.86.159");
}

Test(route53, empty_srcids_and_answers)
{
	struct vg_event ev;
	decode_ok(REC(",\"srcids\":{},\"answers\":[]"), &ev);
	cr_assert(vg_str_empty(ev.dns.instance_id));
	cr_assert_eq(ev.dns.n_answers, 0);
}

Test(route53, resolver_endpoint_only)
{
	struct vg_event ev;
	decode_ok(REC(",\"srcids\":{\"resolver_endpoint\":\"rslvr-in-1\"}"), &ev);
	cr_assert(vg_str_empty(ev.dns.instance_id));
	assert_view(ev.dns.resolver_endpoint, "rslvr-in-1");
}

Test(route53, nulls_count_as_absent)
{
	struct vg_event ev;
	decode_ok(REC(",\"srcids\":null,\"answers\":null,\"firewall_rule_action\":null,\"srcport\":null"),
		  &ev);
	cr_assert(vg_str_empty(ev.dns.firewall_action));
	cr_assert_eq(ev.dns.n_answers, 0);
	cr_assert_eq(ev.dns.src_port, 0);
}

Test(route53, version_absent_is_read)
{
	struct vg_event ev;
	decode_ok("{\"query_name\":\"a.b.\",\"query_timestamp\":\"2021-01-01T00:00:00Z\"}", &ev);
	assert_view(ev.dns.query_name, "a.b.");
	cr_assert_eq(ev.src_ip.family, 0);
}

/* ---- answers ------------------------------------------------------------- */

Test(route53, cname_then_a)
{
	struct vg_event ev;
	decode_ok(REC(",\"answers\":[{\"Rdata\":\"test.example.com.\",\"Type\":\"CNAME\",\"Class\":\"IN\"},"
		      "{\"Rdata\":\"1.128.3.4\",\"Type\":\"A\",\"Class\":\"IN\"}]"),
		  &ev);
	cr_assert_eq(ev.dns.n_answers, 2);
	cr_assert_eq(ev.dns.n_answer_ips, 1);
	assert_ip(ev.dns.answer_ip[0], "1.128.3.4");
}

Test(route53, aaaa_answers)
{
	struct vg_event ev;
	decode_ok(REC(",\"answers\":[{\"Rdata\":\"2001:db8::1\",\"Type\":\"AAAA\",\"Class\":\"IN\"},"
		      "{\"Rdata\":\"2a00:1450:4001:82f::200e\",\"Type\":\"AAAA\",\"Class\":\"IN\"}]"),
		  &ev);
	cr_assert_eq(ev.dns.n_answers, 2);
	cr_assert_eq(ev.dns.n_answer_ips, 2);
	cr_assert_eq(ev.dns.answer_ip[0].family, 6);
	assert_ip(ev.dns.answer_ip[0], "2001:db8::1");
	assert_ip(ev.dns.answer_ip[1], "2a00:1450:4001:82f::200e");
}

Test(route53, other_types_are_counted_not_parsed)
{
	struct vg_event ev;
	/* PTR with an address-like Rdata (as in the DNS-Firewall sample), TXT,
	 * MX and an answer without Type. */
	decode_ok(REC(",\"answers\":[{\"Rdata\":\"203.0.113.9\",\"Type\":\"PTR\",\"Class\":\"IN\"},"
		      "{\"Rdata\":\"v=spf1 -all\",\"Type\":\"TXT\"},{\"Rdata\":\"10 mx.example.com.\",\"Type\":\"MX\"},"
		      "{\"Rdata\":\"x\"},{\"Rdata\":\"5.6.7.8\",\"Type\":\"A\"}]"),
		  &ev);
	cr_assert_eq(ev.dns.n_answers, 5);
	cr_assert_eq(ev.dns.n_answer_ips, 1);
	assert_ip(ev.dns.answer_ip[0], "5.6.7.8");
}

Test(route53, more_than_eight_addresses)
{
	char json[4096];
	char answers[3000] = "";
	size_t off = 0;
	for (int i = 0; i < 12; i++)
		off += (size_t)snprintf(answers + off, sizeof(answers) - off,
					"%s{\"Rdata\":\"192.0.2.%d\",\"Type\":\"A\",\"Class\":\"IN\"}", i ? "," : "",
					i + 1);
	snprintf(json, sizeof(json),
		 "{\"query_name\":\"many.example.com.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\","
		 "\"answers\":[%s]}",
		 answers);
	struct vg_event ev;
	decode_ok(json, &ev);
	cr_assert_eq(ev.dns.n_answers, 12);
	cr_assert_eq(ev.dns.n_answer_ips, VG_DNS_MAX_ANSWER_IPS);
	assert_ip(ev.dns.answer_ip[0], "192.0.2.1");
	assert_ip(ev.dns.answer_ip[7], "192.0.2.8");
}

Test(route53, bad_answers)
{
	refused(REC(",\"answers\":{}"), VG_ETYPE, "answers");
	refused(REC(",\"answers\":\"1.2.3.4\""), VG_ETYPE, "answers");
	refused(REC(",\"answers\":[\"1.2.3.4\"]"), VG_ETYPE, "answers");
	refused(REC(",\"answers\":[{\"Rdata\":\"1.2.3.4\",\"Type\":1}]"), VG_ETYPE, "answers.Type");
	refused(REC(",\"answers\":[{\"Rdata\":16909060,\"Type\":\"A\"}]"), VG_ETYPE, "answers.Rdata");
	refused(REC(",\"answers\":[{\"Type\":\"A\"}]"), VG_EMISSING, "answers.Rdata");
	refused(REC(",\"answers\":[{\"Rdata\":\"example.com.\",\"Type\":\"A\"}]"), VG_EFORMAT, "answers.Rdata");
}

/* ---- srcport and srcaddr ------------------------------------------------- */

Test(route53, srcport_as_number_or_text)
{
	struct vg_event ev;
	decode_ok(REC(",\"srcport\":53"), &ev);
	cr_assert_eq(ev.dns.src_port, 53);
	decode_ok(REC(",\"srcport\":65535"), &ev);
	cr_assert_eq(ev.dns.src_port, 65535);
	decode_ok(REC(",\"srcport\":\"0\""), &ev);
	cr_assert_eq(ev.dns.src_port, 0);
	decode_ok(REC(",\"srcport\":\"\""), &ev);
	cr_assert_eq(ev.dns.src_port, 0);
}

Test(route53, bad_srcport)
{
	refused(REC(",\"srcport\":\"65536\""), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":\"123456\""), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":\"53a\""), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":\"-1\""), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":-1"), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":70000"), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":18446744073709551615"), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":53.5"), VG_EFORMAT, "srcport");
	refused(REC(",\"srcport\":true"), VG_ETYPE, "srcport");
	refused(REC(",\"srcport\":[53]"), VG_ETYPE, "srcport");
}

Test(route53, ipv6_srcaddr)
{
	struct vg_event ev;
	decode_ok("{\"query_name\":\"example.com.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\","
		  "\"srcaddr\":\"2600:1f18:abcd::17\",\"srcport\":\"40000\"}",
		  &ev);
	cr_assert_eq(ev.src_ip.family, 6);
	assert_ip(ev.src_ip, "2600:1f18:abcd::17");
}

Test(route53, bad_srcaddr)
{
	refused("{\"query_name\":\"a.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\",\"srcaddr\":\"10.0.0.256\"}",
		VG_EFORMAT, "srcaddr");
	refused("{\"query_name\":\"a.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\",\"srcaddr\":\"host.local\"}",
		VG_EFORMAT, "srcaddr");
	refused("{\"query_name\":\"a.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\",\"srcaddr\":167772161}",
		VG_ETYPE, "srcaddr");
}

/* ---- refusals ------------------------------------------------------------ */

/* A record with the given version member text (empty: none). */
#define VREC(v) "{" v "\"query_name\":\"a.example.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\"}"

Test(route53, versions_1x_are_read)
{
	struct vg_event ev;
	decode_ok(VREC("\"version\":\"1.100000\","), &ev);
	decode_ok(VREC("\"version\":\"1.000000\","), &ev);
	decode_ok(VREC("\"version\":\"1.2\","), &ev);
	decode_ok(VREC("\"version\":\"1\","), &ev);
	decode_ok(VREC("\"version\":null,"), &ev);
	decode_ok(VREC(""), &ev);
}

Test(route53, later_versions_are_refused)
{
	refused(VREC("\"version\":\"2.0\","), VG_EVERSION, "version");
	refused(VREC("\"version\":\"2.000000\","), VG_EVERSION, "version");
	refused(VREC("\"version\":\"10.1\","), VG_EVERSION, "version");
	refused(VREC("\"version\":\"0.9\","), VG_EVERSION, "version");
	refused(VREC("\"version\":\"v1\","), VG_EVERSION, "version");
	refused(VREC("\"version\":1.1,"), VG_ETYPE, "version");
}

Test(route53, missing_required_fields)
{
	refused("{\"query_timestamp\":\"2021-12-11T22:46:23Z\",\"srcaddr\":\"10.0.0.1\"}", VG_EMISSING,
		"query_name");
	refused("{\"query_name\":\"\",\"query_timestamp\":\"2021-12-11T22:46:23Z\"}", VG_EMISSING, "query_name");
	refused("{\"query_name\":null,\"query_timestamp\":\"2021-12-11T22:46:23Z\"}", VG_EMISSING, "query_name");
	refused("{\"query_name\":\"a.example.\",\"srcaddr\":\"10.0.0.1\"}", VG_EMISSING, "query_timestamp");
	refused("{\"query_name\":\"a.example.\",\"query_timestamp\":\"\"}", VG_EMISSING, "query_timestamp");
	refused("{}", VG_EMISSING, "query_name");
}

Test(route53, wrong_types_name_the_field)
{
	static const struct {
		const char *member, *field;
	} cases[] = {
		{"\"account_id\":123456789012", "account_id"},
		{"\"region\":[]", "region"},
		{"\"vpc_id\":{}", "vpc_id"},
		{"\"query_type\":1", "query_type"},
		{"\"query_class\":true", "query_class"},
		{"\"rcode\":0", "rcode"},
		{"\"transport\":17", "transport"},
		{"\"firewall_rule_action\":false", "firewall_rule_action"},
		{"\"srcids\":\"i-1\"", "srcids"},
		{"\"srcids\":{\"instance\":1}", "srcids.instance"},
		{"\"srcids\":{\"resolver_endpoint\":[]}", "srcids.resolver_endpoint"},
	};
	char json[512];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"query_name\":\"a.example.\",\"query_timestamp\":\"2021-12-11T22:46:23Z\",%s}",
			 cases[i].member);
		refused(json, VG_ETYPE, cases[i].field);
	}
	refused("{\"query_name\":[\"a.\"],\"query_timestamp\":\"2021-12-11T22:46:23Z\"}", VG_ETYPE, "query_name");
	refused("{\"query_name\":\"a.\",\"query_timestamp\":1639262783}", VG_ETYPE, "query_timestamp");
}

Test(route53, not_an_object)
{
	refused("[]", VG_ETYPE, "object");
	refused("\"query_name\"", VG_ETYPE, "object");
	refused("null", VG_ETYPE, "object");
}

Test(route53, bad_timestamps)
{
	refused("{\"query_name\":\"a.\",\"query_timestamp\":\"yesterday\"}", VG_EFORMAT, "query_timestamp");
	refused("{\"query_name\":\"a.\",\"query_timestamp\":\"2021-13-11T22:46:23Z\"}", VG_EFORMAT,
		"query_timestamp");
	refused("{\"query_name\":\"a.\",\"query_timestamp\":\"2021-12-11T22:46:23Zjunk\"}", VG_EFORMAT,
		"query_timestamp");
}

/* ---- telling formats apart ---------------------------------------------- */

Test(route53, is_query)
{
	cr_assert(vg_route53_is_query(parse_ok(FULL, strlen(FULL))));
	const char *q1 = "{\"query_name\":\"a.\",\"query_timestamp\":\"x\"}";
	cr_assert(vg_route53_is_query(parse_ok(q1, strlen(q1))));
	const char *q2 = "{\"srcaddr\":\"10.0.0.1\",\"query_name\":\"a.\"}";
	cr_assert(vg_route53_is_query(parse_ok(q2, strlen(q2))));

	const char *ct = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"},"
			 "\"eventTime\":\"2021-12-11T22:46:23Z\",\"eventSource\":\"iam.amazonaws.com\","
			 "\"eventName\":\"ListUsers\",\"awsRegion\":\"us-east-1\","
			 "\"sourceIPAddress\":\"10.0.0.1\",\"requestParameters\":{\"query_name\":\"x\"}}";
	cr_assert_not(vg_route53_is_query(parse_ok(ct, strlen(ct))));
	const char *only_name = "{\"query_name\":\"a.\"}";
	cr_assert_not(vg_route53_is_query(parse_ok(only_name, strlen(only_name))));
	const char *no_name = "{\"query_timestamp\":\"x\",\"srcaddr\":\"10.0.0.1\"}";
	cr_assert_not(vg_route53_is_query(parse_ok(no_name, strlen(no_name))));
	const char *arr = "[{\"query_name\":\"a.\",\"query_timestamp\":\"x\"}]";
	cr_assert_not(vg_route53_is_query(parse_ok(arr, strlen(arr))));
	cr_assert_not(vg_route53_is_query(parse_ok("42", 2)));
}

/* ---- the Elastic sample log in ../shared/data ---------------------------- */

Test(route53, elastic_sample_log)
{
	const char *rel = "elastic-aws-samples/route53_resolver/test-route53.log";
	const char *path = shared(rel);
	if (!path)
		cr_skip_test("../shared/data/%s not found (set VIGIL_SHARED_DATA)", rel);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	char line[8192];
	int n = 0, blocked = 0, with_ips = 0;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (!len)
			continue;
		n++;
		const struct vg_json *obj = parse_ok(line, len);
		cr_assert(vg_route53_is_query(obj), "line %d is not a query record", n);
		struct vg_event ev;
		const char *why = NULL;
		int rc = vg_route53_decode(obj, &ev, &why);
		cr_assert_eq(rc, VG_OK, "line %d: %d %s", n, rc, why ? why : "?");
		cr_assert_eq(ev.source, VG_SRC_DNS);
		cr_assert_gt(ev.time_ms, iso("2021-01-01T00:00:00Z"), "line %d", n);
		cr_assert_eq(ev.src_ip.family, 4, "line %d", n);
		cr_assert_neq(ev.dns.src_port, 0, "line %d", n);
		cr_assert_not(vg_str_empty(ev.dns.query_name), "line %d", n);
		with_ips += ev.dns.n_answer_ips > 0;
		if (vg_str_eqc(ev.dns.firewall_action, "BLOCK")) {
			blocked++;
			assert_view(ev.dns.query_name, "15.199.16.175.in-addr.arpa.");
			assert_view(ev.dns.query_type, "PTR");
			assert_view(ev.account, "111122223333");
			assert_view(ev.region, "us-east-1");
			assert_view(ev.dns.vpc_id, "vpc-7example");
			assert_view(ev.dns.instance_id, "i-0d15cd0d3example");
			assert_ip(ev.src_ip, "81.2.69.143");
			cr_assert_eq(ev.dns.src_port, 56067);
			cr_assert_eq(ev.time_ms, iso("2021-02-04T17:51:55Z"));
			cr_assert_eq(ev.dns.n_answers, 1);
			cr_assert_eq(ev.dns.n_answer_ips, 0, "a PTR answer is no address");
			assert_view(vg_json_get_str(ev.raw, "firewall_domain_list_id"), "rslvr-fdl-01234567890abcdef");
		}
	}
	fclose(f);
	cr_assert_eq(n, 34, "%d records (README says 34)", n);
	cr_assert_eq(blocked, 1);
	cr_assert_gt(with_ips, 10);
}
