/*
 * test_vpcflow.c -- the VPC Flow Logs decoder (src/decode/vpcflow.c):
 * formats (default, header lines, ${name} strings, the all-fields layouts
 * of header-less files), every field of every documented version, absent
 * values, CloudWatch Logs prefixes and line ends, every malformed case with
 * its message, sniffing, and the real samples in ../shared/data when they
 * are there.
 *
 * The fixtures are written here in the formats AWS documents; inputs are
 * copied into heap buffers of exactly their length, so that a read past the
 * end of a line or of the text shows up under AddressSanitizer.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "shared_data.h"
#include "vg.h"
#include "core/event.h"
#include "core/ip.h"
#include "decode/vpcflow.h"

/* ---- helpers ------------------------------------------------------------ */

#define MAX_GOT 64

/* What a sink saw.  Events are copied whole: their views point into the
 * input, which the test keeps until it is done. */
struct got {
	size_t n, nb;
	struct vg_event ev[MAX_GOT];
	uint64_t idx[MAX_GOT];
	uint64_t bad_line[MAX_GOT];
	int bad_rc[MAX_GOT];
	const char *bad_why[MAX_GOT];
};

static void on_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	struct got *g = ctx;
	cr_assert_lt(g->n, MAX_GOT);
	cr_assert_eq(ev->source, VG_SRC_VPCFLOW);
	cr_assert_eq(ev->src_ip.family, 0, "flows keep src_ip empty");
	g->idx[g->n] = index;
	g->ev[g->n++] = *ev;
}

static void on_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	struct got *g = ctx;
	cr_assert_lt(g->nb, MAX_GOT);
	cr_assert_lt(rc, 0);
	cr_assert_not_null(why);
	g->bad_line[g->nb] = index;
	g->bad_rc[g->nb] = rc;
	g->bad_why[g->nb++] = why;
}

static const struct vg_event_sink sink = {on_event, on_bad};

/* A heap copy of exactly n bytes (no terminator). */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	cr_assert_not_null(p);
	memcpy(p, s, n);
	return p;
}

/* Decode text with fmt (NULL: default and inference) into a fresh got,
 * which the caller frees, along with *keep (the input copy). */
static struct got *decode(const char *text, const struct vg_flow_format *fmt, char **keep)
{
	struct got *g = calloc(1, sizeof(*g));
	cr_assert_not_null(g);
	size_t n = strlen(text);
	*keep = exact(text, n);
	cr_assert_eq(vg_vpcflow_decode_text(*keep, n, fmt, &sink, g), VG_OK);
	return g;
}

static void done(struct got *g, char *keep)
{
	free(g);
	free(keep);
}

/* One line with fmt through vg_vpcflow_decode_line; *keep holds the copy. */
static int line(const struct vg_flow_format *fmt, const char *text, struct vg_event *ev, const char **why,
		char **keep)
{
	size_t n = strlen(text);
	*keep = exact(text, n);
	*why = NULL;
	return vg_vpcflow_decode_line(fmt, *keep, n, ev, why);
}

static struct vg_flow_format format(const char *text)
{
	struct vg_flow_format f;
	const char *why = NULL;
	int rc = vg_vpcflow_parse_format(text, strlen(text), &f, &why);
	cr_assert_eq(rc, VG_OK, "format \"%s\": %s", text, why ? why : "?");
	return f;
}

#define assert_view(view, expect)                                                                      \
	do {                                                                                           \
		struct vg_str v_ = (view);                                                             \
		cr_assert(vg_str_eqc(v_, (expect)), "%s is \"%.*s\", want \"%s\"", #view, (int)v_.n, \
			  v_.p ? v_.p : "", (expect));                                                 \
	} while (0)

#define assert_ip(ipv, expect)                                                                    \
	do {                                                                                      \
		char t_[VG_IP_STRLEN];                                                            \
		vg_ip_format(&(ipv), t_);                                                         \
		cr_assert_str_eq(t_, (expect), "%s is %s, want %s", #ipv, t_, (expect));           \
	} while (0)

#define BIT(id) (1ull << VG_FF_##id)

static const char default_header[] = "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
				     "packets bytes start end action log-status";
static const char good_line[] = "2 123456789012 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 1234 80 6 5 500 "
				"1600000000 1600000060 ACCEPT OK";

/* Every field vigil knows, in the X-macro's order (the documented one). */
static const char all_known_header[] =
	"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
	"log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
	"sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path "
	"reject-reason";
static const char all_known_line[] =
	"8 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.5 198.51.100.7 49152 443 6 10 5200 1700000000 1700000060 "
	"REJECT OK vpc-0123456789abcdef0 subnet-0fedcba9876543210 i-0abcdef1234567890 19 IPv4 10.0.1.5 "
	"203.0.113.9 eu-west-1 euw1-az2 outpost op-0123456789abcdef0 EC2 S3 egress 7 BPA";

/* ---- formats ------------------------------------------------------------- */

Test(vpcflow_format, default_is_version_2)
{
	struct vg_flow_format f, h = format(default_header);
	vg_vpcflow_default_format(&f);
	cr_assert_eq(f.n, 14);
	cr_assert_eq(memcmp(f.field, h.field, 14), 0);
	cr_assert_eq(f.field[0], VG_FF_VERSION);
	cr_assert_eq(f.field[3], VG_FF_SRCADDR);
	cr_assert_eq(f.field[13], VG_FF_LOG_STATUS);
}

Test(vpcflow_format, every_name_has_its_id)
{
	struct vg_flow_format f = format(all_known_header);
	cr_assert_eq(f.n, VG_FF_OTHER);
	for (unsigned i = 0; i < f.n; i++)
		cr_assert_eq(f.field[i], i, "column %u", i);
}

Test(vpcflow_format, documented_others_and_unknown_names)
{
	static const char *others[] = {
		"ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
		"ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn",
		"ecs-task-arn", "ecs-task-id", "resource-type", "tgw-id", "tgw-attachment-id",
		"tgw-src-vpc-account-id", "tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id",
		"tgw-src-subnet-id", "tgw-dst-subnet-id", "tgw-src-eni", "tgw-dst-eni", "tgw-src-az-id",
		"tgw-dst-az-id", "tgw-pair-attachment-id", "packets-lost-no-route", "packets-lost-blackhole",
		"packets-lost-mtu-exceeded", "packets-lost-ttl-expired", "some-future-field2"};
	for (size_t i = 0; i < VG_ARRAY_LEN(others); i++) {
		char text[128];
		snprintf(text, sizeof(text), "srcaddr %s", others[i]);
		struct vg_flow_format f = format(text);
		cr_assert_eq(f.n, 2);
		cr_assert_eq(f.field[0], VG_FF_SRCADDR);
		cr_assert_eq(f.field[1], VG_FF_OTHER, "%s", others[i]);
	}
	/* Transit Gateway's shared names keep the VPC ids. */
	struct vg_flow_format f = format("tcp-flags type region flow-direction pkt-src-aws-service");
	cr_assert_eq(f.field[0], VG_FF_TCP_FLAGS);
	cr_assert_eq(f.field[1], VG_FF_TYPE);
	cr_assert_eq(f.field[2], VG_FF_REGION);
	cr_assert_eq(f.field[3], VG_FF_FLOW_DIRECTION);
	cr_assert_eq(f.field[4], VG_FF_PKT_SRC_AWS_SERVICE);
}

Test(vpcflow_format, dollar_brace_names)
{
	struct vg_flow_format f = format("${version} ${vpc-id} ${srcaddr}  ${dstaddr}\t${future-thing}");
	cr_assert_eq(f.n, 5);
	cr_assert_eq(f.field[0], VG_FF_VERSION);
	cr_assert_eq(f.field[1], VG_FF_VPC_ID);
	cr_assert_eq(f.field[2], VG_FF_SRCADDR);
	cr_assert_eq(f.field[3], VG_FF_DSTADDR);
	cr_assert_eq(f.field[4], VG_FF_OTHER);
}

Test(vpcflow_format, refusals)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{"", "format: no field names"},
		{"   \t ", "format: no field names"},
		{"version SrcAddr", "format: not a list of field names"},
		{"version 2", "format: not a list of field names"},
		{"version src_addr", "format: not a list of field names"},
		{"${version", "format: not a list of field names"},
		{"${}", "format: not a list of field names"},
		{"{\"Records\":[]}", "format: not a list of field names"},
		{"foo bar", "format: no known field name"},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_flow_format f;
		const char *why = NULL;
		int rc = vg_vpcflow_parse_format(cases[i].text, strlen(cases[i].text), &f, &why);
		cr_expect_eq(rc, VG_EFORMAT, "\"%s\"", cases[i].text);
		cr_expect_str_eq(why ? why : "(null)", cases[i].why, "\"%s\"", cases[i].text);
	}
	/* 64 fields are fine, 65 are not. */
	char text[65 * 8] = "";
	for (int i = 0; i < 64; i++)
		strcat(text, "srcaddr ");
	struct vg_flow_format f = format(text);
	cr_assert_eq(f.n, 64);
	strcat(text, "dstaddr");
	const char *why = NULL;
	cr_assert_eq(vg_vpcflow_parse_format(text, strlen(text), &f, &why), VG_EFORMAT);
	cr_assert_str_eq(why, "format: more than 64 fields");
}

/* ---- one line of each kind ----------------------------------------------- */

Test(vpcflow_line, every_known_field)
{
	struct vg_flow_format f = format(all_known_header);
	struct vg_event ev;
	const char *why;
	char *keep;
	cr_assert_eq(line(&f, all_known_line, &ev, &why, &keep), VG_OK, "%s", why);
	const struct vg_flow *fl = &ev.flow;
	cr_assert_eq(ev.source, VG_SRC_VPCFLOW);
	cr_assert_eq(fl->version, 8);
	assert_view(ev.account, "111122223333");
	assert_view(fl->interface_id, "eni-0a1b2c3d4e5f60718");
	assert_ip(fl->src, "10.0.1.5");
	cr_assert_eq(fl->src.family, 4);
	assert_ip(fl->dst, "198.51.100.7");
	cr_assert_eq(fl->src_port, 49152);
	cr_assert_eq(fl->dst_port, 443);
	cr_assert_eq(fl->protocol, 6);
	cr_assert_eq(fl->packets, 10);
	cr_assert_eq(fl->bytes, 5200);
	cr_assert_eq(fl->start_ms, 1700000000000ll);
	cr_assert_eq(fl->end_ms, 1700000060000ll);
	cr_assert_eq(ev.time_ms, 1700000000000ll);
	cr_assert_eq(fl->action, VG_FLOW_REJECT);
	cr_assert_eq(fl->status, VG_FLOW_OK);
	assert_view(fl->vpc_id, "vpc-0123456789abcdef0");
	assert_view(fl->subnet_id, "subnet-0fedcba9876543210");
	assert_view(fl->instance_id, "i-0abcdef1234567890");
	cr_assert_eq(fl->tcp_flags, 19);
	assert_view(fl->type, "IPv4");
	assert_ip(fl->pkt_src, "10.0.1.5");
	assert_ip(fl->pkt_dst, "203.0.113.9");
	assert_view(ev.region, "eu-west-1");
	assert_view(fl->az_id, "euw1-az2");
	assert_view(fl->pkt_src_service, "EC2");
	assert_view(fl->pkt_dst_service, "S3");
	cr_assert_eq(fl->direction, VG_FLOW_EGRESS);
	cr_assert_eq(fl->traffic_path, 7);
	assert_view(fl->reject_reason, "BPA");
	cr_assert_eq(fl->present, (1ull << VG_FF_OTHER) - 1, "present %llx", (unsigned long long)fl->present);
	cr_assert_eq(ev.src_ip.family, 0);
	cr_assert_null(ev.file);
	cr_assert_eq(ev.record_no, 0);
	free(keep);
}

Test(vpcflow_line, default_format)
{
	struct vg_event ev;
	const char *why;
	char *keep;
	cr_assert_eq(line(NULL, good_line, &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.flow.version, 2);
	assert_view(ev.account, "123456789012");
	assert_view(ev.flow.interface_id, "eni-0123456789abcdef0");
	assert_ip(ev.flow.src, "10.0.0.1");
	assert_ip(ev.flow.dst, "10.0.0.2");
	cr_assert_eq(ev.flow.src_port, 1234);
	cr_assert_eq(ev.flow.dst_port, 80);
	cr_assert_eq(ev.flow.protocol, 6);
	cr_assert_eq(ev.flow.packets, 5);
	cr_assert_eq(ev.flow.bytes, 500);
	cr_assert_eq(ev.time_ms, 1600000000000ll);
	cr_assert_eq(ev.flow.end_ms, 1600000060000ll);
	cr_assert_eq(ev.flow.action, VG_FLOW_ACCEPT);
	cr_assert_eq(ev.flow.status, VG_FLOW_OK);
	cr_assert_eq(ev.flow.present, (1ull << 14) - 1);
	cr_assert(vg_str_empty(ev.region), "the caller fills the region");
	cr_assert_eq(ev.flow.direction, VG_FLOW_DIR_UNKNOWN);
	free(keep);

	/* The same through the default format passed explicitly. */
	struct vg_flow_format f;
	vg_vpcflow_default_format(&f);
	cr_assert_eq(line(&f, good_line, &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.flow.dst_port, 80);
	free(keep);
}

Test(vpcflow_line, clears_the_event)
{
	struct vg_event ev;
	memset(&ev, 0x5a, sizeof(ev));
	const char *why;
	char *keep;
	cr_assert_eq(line(NULL, "2 1 eni-1 - - - - - - - 5 6 - NODATA", &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.flow.src.family, 0);
	cr_assert_eq(ev.flow.packets, 0);
	cr_assert_eq(ev.flow.action, VG_FLOW_ACTION_NONE);
	cr_assert_null(ev.raw);
	cr_assert_null(ev.file);
	cr_assert(vg_str_empty(ev.actor.arn));
	cr_assert_eq(ev.dns.n_answer_ips, 0);
	free(keep);
}

Test(vpcflow_line, ipv6_and_mapped_addresses)
{
	struct vg_event ev;
	const char *why;
	char *keep;
	cr_assert_eq(line(NULL,
			  "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 "
			  "2001:DB8:1234:A102::4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK",
			  &ev, &why, &keep),
		     VG_OK, "%s", why);
	cr_assert_eq(ev.flow.src.family, 6);
	assert_ip(ev.flow.src, "2001:db8:1234:a100:8d6e:3477:df66:f105");
	assert_ip(ev.flow.dst, "2001:db8:1234:a102::4071");
	free(keep);

	/* IPv4 written as IPv6 is IPv4, as vg_ip_parse has it. */
	cr_assert_eq(line(NULL, "2 1 eni-1 ::ffff:192.0.2.1 :: 1 2 17 1 1 5 6 ACCEPT OK", &ev, &why, &keep), VG_OK,
		     "%s", why);
	cr_assert_eq(ev.flow.src.family, 4);
	assert_ip(ev.flow.src, "192.0.2.1");
	cr_assert_eq(ev.flow.dst.family, 6);
	free(keep);
}

/* pkt-srcaddr and pkt-dstaddr usually repeat srcaddr and dstaddr, and the
 * decoder copies the parsed address when the text is the same: text that
 * only starts the same, other separators, a repeat before the address it
 * repeats and a bad repeat must all still be read as they are written. */
Test(vpcflow_line, packet_addresses_that_repeat)
{
	static const struct {
		const char *fields, *text;
		const char *pkt_src, *pkt_dst; /* NULL: absent */
		const char *why;               /* NULL: decodes */
	} cases[] = {
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "10.0.0.1 10.0.0.2 10.0.0.1 10.0.0.2", "10.0.0.1", "10.0.0.2", NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "10.0.0.1 10.0.0.2 10.0.0.10 10.0.0.2", "10.0.0.10", "10.0.0.2",
		 NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "10.0.0.12 10.0.0.2 10.0.0.1 10.0.0.2", "10.0.0.1", "10.0.0.2",
		 NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "10.0.0.1\t10.0.0.2\t10.0.0.1 10.0.0.2", "10.0.0.1",
		 "10.0.0.2", NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "1.2.3.4 5.6.7.8 5.6.7.8 1.2.3.4", "5.6.7.8", "1.2.3.4", NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "1.2.3.4 5.6.7.8 - 5.6.7.8", NULL, "5.6.7.8", NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "- 5.6.7.8 1.2.3.4 5.6.7.8", "1.2.3.4", "5.6.7.8", NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "2001:db8::1 ::1 2001:db8::1 ::1", "2001:db8::1", "::1", NULL},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "1.2.3.4 5.6.7.8 1.2.3.4 5.6.7.8x", NULL, NULL,
		 "pkt-dstaddr: not an IP address"},
		{"srcaddr dstaddr pkt-srcaddr pkt-dstaddr", "1.2.3.4 5.6.7.8 1.2.3.4 5.6.7.", NULL, NULL,
		 "pkt-dstaddr: not an IP address"},
		{"pkt-srcaddr srcaddr dstaddr pkt-dstaddr", "1.2.3.4 1.2.3.4 5.6.7.8 5.6.7.8", "1.2.3.4", "5.6.7.8", NULL},
		{"srcaddr pkt-srcaddr srcaddr pkt-srcaddr", "1.2.3.4 1.2.3.4 9.9.9.9 9.9.9.9", "9.9.9.9", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vg_flow_format f = format(cases[i].fields);
		struct vg_event ev;
		const char *why;
		char *keep;
		int rc = line(&f, cases[i].text, &ev, &why, &keep);
		if (cases[i].why) {
			cr_assert_eq(rc, VG_ETYPE, "case %zu", i);
			cr_assert_str_eq(why, cases[i].why, "case %zu", i);
		} else {
			cr_assert_eq(rc, VG_OK, "case %zu: %s", i, why);
			if (cases[i].pkt_src)
				assert_ip(ev.flow.pkt_src, cases[i].pkt_src);
			else
				cr_assert_eq(ev.flow.pkt_src.family, 0, "case %zu", i);
			if (cases[i].pkt_dst)
				assert_ip(ev.flow.pkt_dst, cases[i].pkt_dst);
			else
				cr_assert_eq(ev.flow.pkt_dst.family, 0, "case %zu", i);
		}
		free(keep);
	}
}

Test(vpcflow_line, ipv4_edges)
{
	static const struct {
		const char *addr, *want; /* want NULL: refused */
	} cases[] = {
		{"0.0.0.0", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255"},
		{"1.2.3.4", "1.2.3.4"},
		{"100.20.3.40", "100.20.3.40"},
		{"10.0.36.178", "10.0.36.178"},
		{"256.1.1.1", NULL},
		{"1.2.3.256", NULL},
		{"01.2.3.4", NULL},
		{"1.2.3.04", NULL},
		{"1.2.3", NULL},
		{"1.2.3.4.5", NULL},
		{"1..2.3", NULL},
		{".1.2.3", NULL},
		{"1.2.3.", NULL},
		{"1234.1.1.1", NULL},
		{"1.2.3.4/32", NULL},
		{"a.b.c.d", NULL},
		{"example.com", NULL},
	};
	struct vg_flow_format f = format("srcaddr dstport");
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		/* Short lines take the byte loop, long ones the word path. */
		for (int pad = 0; pad < 2; pad++) {
			char text[128];
			snprintf(text, sizeof(text), "%s %s", cases[i].addr, pad ? "443                       " : "443");
			struct vg_event ev;
			const char *why;
			char *keep;
			int rc = line(&f, text, &ev, &why, &keep);
			if (cases[i].want) {
				cr_expect_eq(rc, VG_OK, "%s: %s", text, why);
				assert_ip(ev.flow.src, cases[i].want);
				cr_expect_eq(ev.flow.dst_port, 443);
			} else {
				cr_expect_eq(rc, VG_ETYPE, "\"%s\" was accepted", text);
				cr_expect_str_eq(why ? why : "", "srcaddr: not an IP address");
			}
			free(keep);
		}
	}
}

Test(vpcflow_line, number_edges)
{
	struct vg_flow_format f = format("packets bytes srcport protocol tcp-flags traffic-path version");
	static const struct {
		const char *text;
		int rc;
		const char *why;
	} cases[] = {
		{"18446744073709551615 0 65535 255 65535 8 2147483647", VG_OK, NULL},
		{"0 00000000000000000000000001 0 0 0 1 0", VG_OK, NULL},
		{"18446744073709551616 0 0 0 0 1 2", VG_ETYPE, "packets: not a number"},
		{"1 99999999999999999999 0 0 0 1 2", VG_ETYPE, "bytes: not a number"},
		{"1 1 65536 0 0 1 2", VG_ETYPE, "srcport: not a port number"},
		{"1 1 1 256 0 1 2", VG_ETYPE, "protocol: not a protocol number (0 to 255)"},
		{"1 1 1 1 65536 1 2", VG_ETYPE, "tcp-flags: not a number (0 to 65535)"},
		{"1 1 1 1 1 0 2", VG_ETYPE, "traffic-path: not 1 to 8"},
		{"1 1 1 1 1 9 2", VG_ETYPE, "traffic-path: not 1 to 8"},
		{"1 1 1 1 1 1 2147483648", VG_ETYPE, "version: not a number"},
		{"+1 1 1 1 1 1 2", VG_ETYPE, "packets: not a number"},
		{"1 -1 1 1 1 1 2", VG_ETYPE, "bytes: not a number"},
		{"1 1 0x50 1 1 1 2", VG_ETYPE, "srcport: not a port number"},
		{"1 1 1 6.0 1 1 2", VG_ETYPE, "protocol: not a protocol number (0 to 255)"},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_event ev;
		const char *why;
		char *keep;
		int rc = line(&f, cases[i].text, &ev, &why, &keep);
		cr_expect_eq(rc, cases[i].rc, "\"%s\": %d (%s)", cases[i].text, rc, why ? why : "");
		if (cases[i].why)
			cr_expect_str_eq(why ? why : "", cases[i].why, "\"%s\"", cases[i].text);
		if (i == 0) {
			cr_expect_eq(ev.flow.packets, UINT64_MAX);
			cr_expect_eq(ev.flow.src_port, 65535);
			cr_expect_eq(ev.flow.protocol, 255);
			cr_expect_eq(ev.flow.tcp_flags, 65535);
			cr_expect_eq(ev.flow.traffic_path, 8);
			cr_expect_eq(ev.flow.version, 2147483647);
		}
		if (i == 1)
			cr_expect_eq(ev.flow.bytes, 1);
		free(keep);
	}
}

Test(vpcflow_line, times)
{
	struct vg_event ev;
	const char *why;
	char *keep;
	/* start absent: the event's time is the end of the window. */
	struct vg_flow_format f = format("version start end srcaddr");
	cr_assert_eq(line(&f, "3 - 1566848933 -", &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.time_ms, 1566848933000ll);
	cr_assert_eq(ev.flow.start_ms, 0);
	cr_assert_eq(ev.flow.present, BIT(VERSION) | BIT(END));
	free(keep);
	f = format("end version");
	cr_assert_eq(line(&f, "1566848933 3", &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.time_ms, 1566848933000ll);
	free(keep);
	/* Neither: 0.  Fifteen digits are the most a time may have. */
	f = format("start end");
	cr_assert_eq(line(&f, "- -", &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.time_ms, 0);
	free(keep);
	cr_assert_eq(line(&f, "999999999999999 1", &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.time_ms, 999999999999999000ll);
	free(keep);
	cr_assert_eq(line(&f, "1 1000000000000000", &ev, &why, &keep), VG_ETYPE);
	cr_assert_str_eq(why, "end: not a unix time");
	free(keep);
	cr_assert_eq(line(&f, "2021-01-01 1", &ev, &why, &keep), VG_ETYPE);
	cr_assert_str_eq(why, "start: not a unix time");
	free(keep);
}

Test(vpcflow_line, nodata_skipdata_and_dashes)
{
	struct vg_event ev;
	const char *why;
	char *keep;
	cr_assert_eq(line(NULL, "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
			  &ev, &why, &keep),
		     VG_OK, "%s", why);
	cr_assert_eq(ev.flow.status, VG_FLOW_NODATA);
	cr_assert_eq(ev.flow.action, VG_FLOW_ACTION_NONE);
	cr_assert_eq(ev.flow.src.family, 0);
	cr_assert_eq(ev.flow.dst.family, 0);
	cr_assert_eq(ev.flow.present, BIT(VERSION) | BIT(ACCOUNT_ID) | BIT(INTERFACE_ID) | BIT(START) | BIT(END) |
					      BIT(LOG_STATUS));
	cr_assert_eq(ev.time_ms, 1431280876000ll);
	free(keep);

	cr_assert_eq(line(NULL, "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
			  &ev, &why, &keep),
		     VG_OK, "%s", why);
	cr_assert_eq(ev.flow.status, VG_FLOW_SKIPDATA);
	free(keep);

	/* Every field absent. */
	cr_assert_eq(line(NULL, "- - - - - - - - - - - - - -", &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.flow.present, 0);
	cr_assert(vg_str_empty(ev.account));
	free(keep);

	/* A dash is absent only alone: "-1" and "--" are values. */
	cr_assert_eq(line(NULL, "2 - - - - -1 - - - - - - - -", &ev, &why, &keep), VG_ETYPE);
	cr_assert_str_eq(why, "srcport: not a port number");
	free(keep);
	cr_assert_eq(line(NULL, "2 -- - - - - - - - - - - - -", &ev, &why, &keep), VG_OK, "%s", why);
	assert_view(ev.account, "--");
	free(keep);
}

Test(vpcflow_line, cloudwatch_prefix_and_separators)
{
	struct vg_event ev;
	const char *why;
	char *keep;
	char text[256];
	snprintf(text, sizeof(text), "2021-03-04T05:06:07.000Z %s", good_line);
	cr_assert_eq(line(NULL, text, &ev, &why, &keep), VG_OK, "%s", why);
	cr_assert_eq(ev.flow.version, 2);
	cr_assert_eq(ev.time_ms, 1600000000000ll);
	free(keep);
	/* Tabs, doubled spaces, leading blanks and a CR end are separators. */
	cr_assert_eq(line(NULL,
			  "  2\t123456789012  eni-0123456789abcdef0 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 "
			  "1600000060 ACCEPT OK \r",
			  &ev, &why, &keep),
		     VG_OK, "%s", why);
	cr_assert_eq(ev.flow.status, VG_FLOW_OK);
	assert_view(ev.account, "123456789012");
	free(keep);
}

/* ---- files --------------------------------------------------------------- */

Test(vpcflow_text, default_format_without_header)
{
	char *keep;
	struct got *g = decode("2 123456789010 eni-1235b8ca123456789 78.24.182.42 158.109.0.1 20641 22 6 20 4249 "
			       "1418530010 1418530070 ACCEPT OK\n"
			       "2 123456789010 eni-1235b8ca123456789 78.24.182.42 158.109.0.1 49761 3389 6 20 4249 "
			       "1418530010 1418530070 REJECT OK\n",
			       NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 2);
	cr_assert_eq(g->idx[0], 1);
	cr_assert_eq(g->idx[1], 2);
	cr_assert_eq(g->ev[1].flow.dst_port, 3389);
	cr_assert_eq(g->ev[1].flow.action, VG_FLOW_REJECT);
	assert_ip(g->ev[0].flow.src, "78.24.182.42");
	done(g, keep);
}

/* A file's repeated addresses are taken from what the decoder parsed
 * before: text that only starts like an earlier address, or goes on past
 * it, must still be read (or refused) as it is written. */
Test(vpcflow_text, repeated_addresses)
{
	static const char *const src[] = {"10.0.0.1", "10.0.0.1", "10.0.0.12", "10.0.0.1", "10.0.0.1x", "1.0.0.1",
					  "10.0.0.1.", "010.0.0.1", "10.0.0.1", "203.0.113.255", "203.0.113.25"};
	static const char *const want[] = {"10.0.0.1", "10.0.0.1", "10.0.0.12", "10.0.0.1", NULL, "1.0.0.1",
					   NULL, NULL, "10.0.0.1", "203.0.113.255", "203.0.113.25"};
	char text[4096], *keep;
	size_t n = 0;
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "2 123456789010 eni-1235b8ca123456789 %s%s198.51.100.7 20641 22 6 20 4249 "
				      "1418530010 1418530070 ACCEPT OK\n",
				      src[i], i % 3 == 2 ? "\t" : " ");
	struct got *g = decode(text, NULL, &keep);
	size_t e = 0, b = 0;
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
		if (want[i]) {
			cr_assert_lt(e, g->n);
			cr_assert_eq(g->idx[e], i + 1);
			assert_ip(g->ev[e].flow.src, want[i]);
			assert_ip(g->ev[e].flow.dst, "198.51.100.7");
			e++;
		} else {
			cr_assert_lt(b, g->nb);
			cr_assert_eq(g->bad_line[b], i + 1);
			cr_assert_str_eq(g->bad_why[b], "srcaddr: not an IP address");
			b++;
		}
	}
	cr_assert_eq(g->n, e);
	cr_assert_eq(g->nb, b);
	done(g, keep);
}

/* One event serves a file's records and its flow members are cleared in
 * full only when the layout changes: nothing of one record may show in
 * the next -- not after a dash, a record that failed part way, another
 * layout tried for a header-less line, or a field named twice (whose
 * dash keeps the value before it, as it always did). */
Test(vpcflow_text, no_member_outlives_its_record)
{
	char *keep;
	struct got *g = decode(
		"version srcaddr dstaddr pkt-src-aws-service tcp-flags action log-status\n"
		"5 10.0.0.1 10.0.0.2 S3 19 ACCEPT OK\n"
		"5 - - - - - -\n"
		"5 10.0.0.1 10.0.0.2 S3 19 ACCEPT x\n"
		"5 10.0.0.3 - - 3 - OK\n",
		NULL, &keep);
	cr_assert_eq(g->n, 3);
	cr_assert_eq(g->nb, 1);
	const struct vg_flow *f = &g->ev[1].flow;
	cr_assert_eq(f->src.family, 0);
	cr_assert_eq(f->dst.family, 0);
	cr_assert(vg_str_empty(f->pkt_src_service));
	cr_assert_eq(f->tcp_flags, 0);
	cr_assert_eq(f->action, 0);
	cr_assert_eq(f->status, 0);
	cr_assert_eq(f->present, BIT(VERSION));
	f = &g->ev[2].flow;
	assert_ip(f->src, "10.0.0.3");
	cr_assert_eq(f->dst.family, 0);
	cr_assert(vg_str_empty(f->pkt_src_service));
	cr_assert_eq(f->tcp_flags, 3);
	cr_assert_eq(f->action, 0);
	done(g, keep);

	/* Header-less: a version 5 line that fails in its layout too, then a
	 * version 2 line. */
	g = decode("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1709287782 1709287803 ACCEPT OK\n"
		   "5 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1709287782 1709287803 ACCEPT OK vpc-1 subnet-1 "
		   "i-1 3 IPv4 10.0.0.1 10.0.0.2 us-east-1 use1-az3 - - S3 - egress 9\n"
		   "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1709287782 1709287803 ACCEPT OK\n",
		   NULL, &keep);
	cr_assert_eq(g->n, 2);
	cr_assert_eq(g->nb, 1);
	cr_assert_str_eq(g->bad_why[0], "traffic-path: not 1 to 8");
	f = &g->ev[1].flow;
	cr_assert(vg_str_empty(f->vpc_id));
	cr_assert(vg_str_empty(f->instance_id));
	cr_assert(vg_str_empty(f->pkt_src_service));
	cr_assert_eq(f->pkt_src.family, 0);
	cr_assert_eq(f->tcp_flags, 0);
	cr_assert_eq(f->direction, 0);
	cr_assert(vg_str_empty(g->ev[1].region));
	done(g, keep);

	/* A field named twice: its dash leaves the value before it. */
	g = decode("srcaddr dstaddr srcaddr\n1.1.1.1 2.2.2.2 -\n3.3.3.3 2.2.2.2 -\n", NULL, &keep);
	cr_assert_eq(g->n, 2);
	assert_ip(g->ev[0].flow.src, "1.1.1.1");
	assert_ip(g->ev[1].flow.src, "3.3.3.3");
	done(g, keep);
}

Test(vpcflow_text, custom_v3_header)
{
	char *keep;
	struct got *g = decode(
		"version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport "
		"pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status\n"
		"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 "
		"123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 "
		"1566848933 ACCEPT 2 OK\n"
		"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 "
		"123456789010 - - - - - - - - - - 1566848875 1566848933 - - SKIPDATA\n",
		NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 2);
	cr_assert_eq(g->idx[0], 2);
	const struct vg_flow *f = &g->ev[0].flow;
	cr_assert_eq(f->version, 3);
	assert_view(f->vpc_id, "vpc-abcdefab012345678");
	assert_view(f->subnet_id, "subnet-aaaaaaaa012345678");
	assert_view(f->instance_id, "i-01234567890123456");
	assert_view(f->interface_id, "eni-1235b8ca123456789");
	assert_view(g->ev[0].account, "123456789010");
	assert_view(f->type, "IPv4");
	assert_ip(f->src, "52.213.180.42");
	assert_ip(f->pkt_dst, "10.0.0.62");
	cr_assert_eq(f->src_port, 43416);
	cr_assert_eq(f->dst_port, 5001);
	cr_assert_eq(f->bytes, 568, "bytes and packets in the header's order");
	cr_assert_eq(f->packets, 8);
	cr_assert_eq(f->tcp_flags, 2);
	cr_assert_eq(f->action, VG_FLOW_ACCEPT);
	cr_assert_eq(f->present, (1ull << 21) - 1);
	cr_assert_eq(g->ev[1].flow.status, VG_FLOW_SKIPDATA);
	cr_assert_eq(g->ev[1].flow.src.family, 0);
	done(g, keep);
}

/* A version 5 all-fields record (the console's "all fields" order), with and
 * without its header. */
static const char v5_line[] =
	"5 123456789012 eni-0f1e2d3c4b5a69788 203.0.113.25 10.1.0.80 50041 443 6 52 3120 1640000066 1640000097 "
	"REJECT OK vpc-0a1b2c3d4e5f60789 subnet-01a2b3c4d5e6f7081 i-0a9b8c7d6e5f40312 1 IPv4 203.0.113.25 "
	"10.1.0.80 us-east-1 use1-az5 - - AMAZON CLOUDFRONT ingress 1\n";

static void check_v5(const struct vg_event *ev)
{
	const struct vg_flow *f = &ev->flow;
	cr_assert_eq(f->version, 5);
	assert_view(ev->region, "us-east-1");
	assert_view(f->az_id, "use1-az5");
	assert_view(f->pkt_src_service, "AMAZON");
	assert_view(f->pkt_dst_service, "CLOUDFRONT");
	cr_assert_eq(f->direction, VG_FLOW_INGRESS);
	cr_assert_eq(f->traffic_path, 1);
	cr_assert_eq(f->tcp_flags, 1);
	assert_ip(f->pkt_dst, "10.1.0.80");
	cr_assert_eq(f->present & (BIT(SUBLOCATION_TYPE) | BIT(SUBLOCATION_ID)), 0);
	cr_assert_eq(f->present & BIT(TRAFFIC_PATH), BIT(TRAFFIC_PATH));
}

Test(vpcflow_text, v5_all_fields)
{
	char text[1024], *keep;
	snprintf(text, sizeof(text),
		 "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
		 "action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
		 "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction "
		 "traffic-path\n%s",
		 v5_line);
	struct got *g = decode(text, NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 1);
	check_v5(&g->ev[0]);
	done(g, keep);

	/* Without the header: 29 columns are the version 5 layout. */
	g = decode(v5_line, NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 1);
	check_v5(&g->ev[0]);
	done(g, keep);
}

/* Version 8: the version 5 fields, the ECS fields (version 7) and
 * reject-reason, header-less as in a CloudWatch Logs export. */
Test(vpcflow_text, v8_all_fields)
{
	char *keep;
	struct got *g = decode(
		"3 000000000000 - 2a02:cf40:: 1.128.0.0 42910 80 17 51 33615 1755678754 1755678775 REJECT NODATA "
		"- - - - - - - - - - - - - ingress - arn:aws:ecs:us-east-1:000000000000:cluster/web web "
		"arn:aws:ecs:us-east-1:000000000000:container-instance/web/0123abcd 0123abcd c0ffee-1 c0ffee-2 "
		"web-service arn:aws:ecs:us-east-1:000000000000:task-definition/web:3 "
		"arn:aws:ecs:us-east-1:000000000000:task/web/feedface feedface BPA\n"
		"3 000000000000 - 1.128.0.0 2a02:cf40:: 80 42910 17 51 33615 1755678754 1755678775 ACCEPT OK "
		"- - - - - - - - - - - - - egress - - - - - - - - - - - -",
		NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 2);
	const struct vg_flow *f = &g->ev[0].flow;
	cr_assert_eq(f->src.family, 6);
	assert_ip(f->dst, "1.128.0.0");
	cr_assert_eq(f->action, VG_FLOW_REJECT);
	cr_assert_eq(f->status, VG_FLOW_NODATA);
	cr_assert_eq(f->direction, VG_FLOW_INGRESS);
	assert_view(f->reject_reason, "BPA");
	cr_assert(vg_str_empty(f->interface_id));
	cr_assert_eq(f->present & BIT(OTHER), BIT(OTHER), "ECS values are seen and skipped");
	cr_assert_eq(g->ev[1].flow.direction, VG_FLOW_EGRESS);
	cr_assert_eq(g->ev[1].flow.present & (BIT(OTHER) | BIT(REJECT_REASON)), 0);
	done(g, keep);
}

static const char tgw_header[] =
	"version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
	"tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
	"tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
	"log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
	"packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service";
static const char tgw_line[] =
	"6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0aa11bb22cc33dd44 111111111111 "
	"222222222222 vpc-0aaa1111 vpc-0bbb2222 subnet-0aaa1111 subnet-0bbb2222 eni-0aaa1111bbbb2222c "
	"eni-0ccc3333dddd4444e use1-az1 use1-az2 tgw-attach-0ee55ff66aa77bb88 10.0.1.10 10.1.2.20 44321 5432 6 "
	"120 98000 1700000000 1700000060 OK IPv4 0 0 0 0 18 us-east-1 egress - -";

static void check_tgw(const struct vg_event *ev)
{
	const struct vg_flow *f = &ev->flow;
	cr_assert_eq(f->version, 6);
	assert_view(ev->account, "123456789012");
	assert_ip(f->src, "10.0.1.10");
	assert_ip(f->dst, "10.1.2.20");
	cr_assert_eq(f->dst_port, 5432);
	cr_assert_eq(f->bytes, 98000);
	cr_assert_eq(f->status, VG_FLOW_OK);
	assert_view(f->type, "IPv4");
	cr_assert_eq(f->tcp_flags, 18);
	assert_view(ev->region, "us-east-1");
	cr_assert_eq(f->direction, VG_FLOW_EGRESS);
	cr_assert(vg_str_empty(f->interface_id), "tgw-src-eni is not interface-id");
	cr_assert(vg_str_empty(f->vpc_id));
	cr_assert_eq(f->present & BIT(OTHER), BIT(OTHER));
}

Test(vpcflow_text, transit_gateway)
{
	char text[2048], *keep;
	snprintf(text, sizeof(text), "%s\n%s\n", tgw_header, tgw_line);
	struct got *g = decode(text, NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 1);
	check_tgw(&g->ev[0]);
	done(g, keep);
	/* Header-less: 36 columns are the Transit Gateway layout. */
	g = decode(tgw_line, NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 1);
	check_tgw(&g->ev[0]);
	done(g, keep);
}

Test(vpcflow_text, header_switches_mid_file)
{
	char *keep;
	struct got *g = decode("version srcaddr dstaddr action\n"
			       "4 10.0.0.1 10.0.0.2 ACCEPT\n"
			       "\n"
			       "account-id srcaddr dstport\n" /* no version, two known names */
			       "123456789012 192.0.2.7 22\n"
			       "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
			       "start end action log-status\n"
			       "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 REJECT OK\n",
			       NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s at %llu", g->nb ? g->bad_why[0] : "",
		     (unsigned long long)(g->nb ? g->bad_line[0] : 0));
	cr_assert_eq(g->n, 3);
	cr_assert_eq(g->idx[0], 2);
	cr_assert_eq(g->ev[0].flow.version, 4);
	cr_assert_eq(g->ev[0].flow.action, VG_FLOW_ACCEPT);
	cr_assert_eq(g->ev[0].flow.present, BIT(VERSION) | BIT(SRCADDR) | BIT(DSTADDR) | BIT(ACTION));
	cr_assert_eq(g->idx[1], 5);
	assert_ip(g->ev[1].flow.src, "192.0.2.7");
	cr_assert_eq(g->ev[1].flow.dst_port, 22);
	cr_assert_eq(g->ev[1].flow.version, 0);
	cr_assert_eq(g->idx[2], 7);
	cr_assert_eq(g->ev[2].flow.action, VG_FLOW_REJECT);
	done(g, keep);
}

Test(vpcflow_text, dollar_brace_header_and_unknown_fields)
{
	char *keep;
	struct got *g = decode("${version} ${srcaddr} ${some-new-field} ${dstaddr} ${flow-direction}\n"
			       "7 10.9.8.7 whatever 10.9.8.6 ingress\n",
			       NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 1);
	cr_assert_eq(g->ev[0].flow.version, 7);
	assert_ip(g->ev[0].flow.dst, "10.9.8.6");
	cr_assert_eq(g->ev[0].flow.direction, VG_FLOW_INGRESS);
	cr_assert_eq(g->ev[0].flow.present,
		     BIT(VERSION) | BIT(SRCADDR) | BIT(OTHER) | BIT(DSTADDR) | BIT(FLOW_DIRECTION));
	done(g, keep);
}

Test(vpcflow_text, declared_format)
{
	/* A --flow-format value applies until a header replaces it, and turns
	 * the all-fields guess off. */
	struct vg_flow_format f = format("srcaddr dstaddr dstport");
	char text[1024], *keep;
	snprintf(text, sizeof(text), "10.0.0.1 10.0.0.2 443\n%s%s\n%s\n", v5_line, default_header, good_line);
	struct got *g = decode(text, &f, &keep);
	cr_assert_eq(g->n, 2);
	cr_assert_eq(g->ev[0].flow.dst_port, 443);
	cr_assert_eq(g->idx[1], 4);
	cr_assert_eq(g->ev[1].flow.version, 2);
	cr_assert_eq(g->nb, 1);
	cr_assert_eq(g->bad_line[0], 2);
	cr_assert_str_eq(g->bad_why[0], "srcaddr: not an IP address", "no all-fields guess");
	done(g, keep);

	/* The default declared explicitly: no guessing either. */
	vg_vpcflow_default_format(&f);
	g = decode(v5_line, &f, &keep);
	cr_assert_eq(g->n, 0);
	cr_assert_eq(g->nb, 1);
	cr_assert_str_eq(g->bad_why[0], "expected 14 fields, found more");
	done(g, keep);
}

Test(vpcflow_text, cloudwatch_crlf_bom_blank_and_last_line)
{
	char text[1024], *keep;
	snprintf(text, sizeof(text),
		 "\xef\xbb\xbf"
		 "2021-03-04T05:06:07.000Z %s\r\n"
		 "\r\n"
		 "   \t\n"
		 "2021-03-04T05:06:08.123+00:00 %s\r\n"
		 "%s", /* no newline at the end */
		 good_line, good_line, good_line);
	struct got *g = decode(text, NULL, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 3);
	cr_assert_eq(g->idx[0], 1);
	cr_assert_eq(g->idx[1], 4);
	cr_assert_eq(g->idx[2], 5);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(g->ev[i].flow.status, VG_FLOW_OK, "line %d", i);
		cr_assert_eq(g->ev[i].flow.version, 2);
	}
	done(g, keep);

	/* A CloudWatch export of a custom format: the caller declares it. */
	struct vg_flow_format f = format("${version} ${srcaddr} ${dstaddr} ${start}");
	g = decode("2022-12-14T14:55:28.000Z 5 10.0.0.1 10.0.0.2 1671029698\n", &f, &keep);
	cr_assert_eq(g->nb, 0, "%s", g->nb ? g->bad_why[0] : "");
	cr_assert_eq(g->n, 1);
	cr_assert_eq(g->ev[0].time_ms, 1671029698000ll);
	done(g, keep);

	/* A timestamp and nothing else. */
	g = decode("2021-03-04T05:06:07.000Z\n", NULL, &keep);
	cr_assert_eq(g->n, 0);
	cr_assert_eq(g->nb, 1);
	cr_assert_str_eq(g->bad_why[0], "a timestamp and no record");
	done(g, keep);

	/* Empty input and blank lines only. */
	g = decode("", NULL, &keep);
	cr_assert_eq(g->n + g->nb, 0);
	done(g, keep);
	g = decode("\n\r\n  \n", NULL, &keep);
	cr_assert_eq(g->n + g->nb, 0);
	done(g, keep);
}

/* ---- malformed lines ---------------------------------------------------- */

Test(vpcflow_text, malformed_lines_are_reported_and_skipped)
{
	static const struct {
		const char *header; /* NULL: the default format */
		const char *line;
		int rc;
		const char *why;
	} cases[] = {
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060", VG_EFORMAT,
		 "expected 14 fields, found fewer"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 ACCEPT OK x",
		 VG_EFORMAT, "expected 14 fields, found more"},
		{NULL, "x2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "version: not a number"},
		{NULL, "2 123456789012 eni-1 10.0.0.256 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "srcaddr: not an IP address"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 example.com 1234 80 6 5 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "dstaddr: not an IP address"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 65536 80 6 5 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "srcport: not a port number"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 http 6 5 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "dstport: not a port number"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 tcp 5 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "protocol: not a protocol number (0 to 255)"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5k 500 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "packets: not a number"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 5.5 1600000000 1600000060 ACCEPT OK",
		 VG_ETYPE, "bytes: not a number"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 16e8 1600000060 ACCEPT OK", VG_ETYPE,
		 "start: not a unix time"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 soon ACCEPT OK", VG_ETYPE,
		 "end: not a unix time"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 DROP OK", VG_ETYPE,
		 "action: not ACCEPT or REJECT"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 accept OK",
		 VG_ETYPE, "action: not ACCEPT or REJECT"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 ACCEPTED OK",
		 VG_ETYPE, "action: not ACCEPT or REJECT"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 ACCEPT FAIL",
		 VG_ETYPE, "log-status: not OK, NODATA or SKIPDATA"},
		{NULL, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 ACCEPT SKIPDATA2",
		 VG_ETYPE, "log-status: not OK, NODATA or SKIPDATA"},
		{NULL, "{\"message\":\"2 123 eni-1 - - - - - - - 1 2 - NODATA\"}", VG_ETYPE, "version: not a number"},
		{"version srcaddr tcp-flags", "3 10.0.0.1 SYN", VG_ETYPE, "tcp-flags: not a number (0 to 65535)"},
		{"version srcaddr traffic-path", "5 10.0.0.1 9", VG_ETYPE, "traffic-path: not 1 to 8"},
		{"version srcaddr traffic-path", "5 10.0.0.1 0", VG_ETYPE, "traffic-path: not 1 to 8"},
		{"version flow-direction", "5 inbound", VG_ETYPE, "flow-direction: not ingress or egress"},
		{"version pkt-srcaddr pkt-dstaddr", "5 10.0.0.1 10.0.0", VG_ETYPE, "pkt-dstaddr: not an IP address"},
		{"version pkt-srcaddr pkt-dstaddr", "5 ::g 10.0.0.1", VG_ETYPE, "pkt-srcaddr: not an IP address"},
		{"version srcport", "5 99999999999999999999999", VG_ETYPE, "srcport: not a port number"},
		{"version srcaddr", "5", VG_EFORMAT, "expected 2 fields, found fewer"},
		{"version srcaddr", "hello world", VG_ETYPE, "version: not a number"},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		char text[1024], *keep;
		const char *hdr = cases[i].header ? cases[i].header : default_header;
		snprintf(text, sizeof(text), "%s\n%s\n%s\n%s\n", hdr, cases[i].line, default_header, good_line);
		struct got *g = decode(text, NULL, &keep);
		cr_expect_eq(g->nb, 1, "case %zu (%s): %zu bad lines", i, cases[i].line, g->nb);
		if (g->nb == 1) {
			cr_expect_eq(g->bad_line[0], 2, "case %zu", i);
			cr_expect_eq(g->bad_rc[0], cases[i].rc, "case %zu: rc %d", i, g->bad_rc[0]);
			cr_expect_str_eq(g->bad_why[0], cases[i].why, "case %zu (%s)", i, cases[i].line);
		}
		/* The good line after it still decodes. */
		cr_expect_eq(g->n, 1, "case %zu: %zu events", i, g->n);
		if (g->n == 1) {
			cr_expect_eq(g->idx[0], 4);
			cr_expect_eq(g->ev[0].flow.dst_port, 80);
			cr_expect_eq(g->ev[0].flow.action, VG_FLOW_ACCEPT);
		}
		done(g, keep);
	}
}

Test(vpcflow_text, bad_then_good_without_header)
{
	/* Headerless text: a malformed line does not change the format used
	 * for the next one. */
	char text[1024], *keep;
	snprintf(text, sizeof(text), "%s x y\n%s\n2 1 eni-1 10.0.0.1\n%s\n", good_line, good_line, good_line);
	struct got *g = decode(text, NULL, &keep);
	cr_assert_eq(g->n, 2);
	cr_assert_eq(g->idx[0], 2);
	cr_assert_eq(g->idx[1], 4);
	cr_assert_eq(g->nb, 2);
	cr_assert_str_eq(g->bad_why[0], "expected 14 fields, found more");
	cr_assert_str_eq(g->bad_why[1], "expected 14 fields, found fewer");
	done(g, keep);
}

Test(vpcflow_text, header_with_too_many_fields)
{
	char text[4096] = "version", *keep;
	for (int i = 0; i < 70; i++)
		strcat(text, " srcaddr");
	strcat(text, "\n");
	strcat(text, good_line);
	struct got *g = decode(text, NULL, &keep);
	cr_assert_eq(g->nb, 1);
	cr_assert_eq(g->bad_line[0], 1);
	cr_assert_str_eq(g->bad_why[0], "format: more than 64 fields");
	cr_assert_eq(g->n, 1, "the format in force stays");
	done(g, keep);
}

/* Deterministic bytes for the garbage tests. */
static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

Test(vpcflow_text, megabyte_garbage_lines)
{
	const size_t big = 1 << 20;
	for (int kind = 0; kind < 4; kind++) {
		size_t n = big + sizeof(good_line) + 2;
		char *text = malloc(n);
		cr_assert_not_null(text);
		uint64_t s = (uint64_t)kind + 1;
		for (size_t i = 0; i < big; i++) {
			switch (kind) {
			case 0: /* random bytes, newlines excepted */
				text[i] = (char)(next_rand(&s) & 0xff);
				if (text[i] == '\n')
					text[i] = ' ';
				break;
			case 1: /* one endless token */
				text[i] = 'a';
				break;
			case 2: /* digits and spaces: many numbers */
				text[i] = i % 7 == 6 ? ' ' : (char)('0' + next_rand(&s) % 10);
				break;
			default: /* field names: a header that is too long */
				text[i] = "version "[i % 8];
				break;
			}
		}
		text[big] = '\n';
		memcpy(text + big + 1, good_line, sizeof(good_line) - 1);
		n = big + sizeof(good_line);
		struct got *g = calloc(1, sizeof(*g));
		cr_assert_not_null(g);
		cr_assert_eq(vg_vpcflow_decode_text(text, n, NULL, &sink, g), VG_OK);
		cr_expect_eq(g->nb, 1, "kind %d: %zu bad", kind, g->nb);
		cr_expect_eq(g->n, 1, "kind %d: %zu events", kind, g->n);
		if (g->n == 1)
			cr_expect_eq(g->idx[0], 2);
		struct vg_event ev;
		const char *why = NULL;
		cr_expect_neq(vg_vpcflow_decode_line(NULL, text, big, &ev, &why), VG_OK);
		cr_expect_not_null(why);
		cr_expect(!vg_vpcflow_sniff(text, big) || kind == 3, "kind %d sniffs as flow logs", kind);
		free(g);
		free(text);
	}
}

/* ---- sniffing ------------------------------------------------------------- */

static bool sniff(const char *text)
{
	size_t n = strlen(text);
	char *b = exact(text, n);
	bool r = vg_vpcflow_sniff(b, n);
	free(b);
	return r;
}

Test(vpcflow_sniff, flow_logs)
{
	char text[2048];
	cr_assert(sniff(good_line));
	snprintf(text, sizeof(text), "%s\n%s\n", default_header, good_line);
	cr_assert(sniff(text));
	snprintf(text, sizeof(text), "\n\r\n  \n%s\n", good_line);
	cr_assert(sniff(text));
	snprintf(text, sizeof(text), "\xef\xbb\xbf%s\r\n", good_line);
	cr_assert(sniff(text));
	snprintf(text, sizeof(text), "2021-03-04T05:06:07.000Z %s\n", good_line);
	cr_assert(sniff(text));
	cr_assert(sniff(v5_line));
	cr_assert(sniff(tgw_line));
	cr_assert(sniff("${version} ${srcaddr} ${dstaddr}\nwhatever"));
	cr_assert(sniff("account-id interface-id\n"));
	cr_assert(sniff("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"));
}

Test(vpcflow_sniff, other_text)
{
	cr_assert_not(sniff(""));
	cr_assert_not(sniff("\n\n  \r\n"));
	cr_assert_not(sniff("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\"}]}"));
	cr_assert_not(sniff("{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"}}\n"
			    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\"}}\n"));
	cr_assert_not(sniff("[\n  {\"eventName\": \"ConsoleLogin\"}\n]\n"));
	cr_assert_not(sniff("{\"version\":\"1.100000\",\"account_id\":\"123456789012\",\"query_name\":\"a.com.\"}"));
	cr_assert_not(sniff("{\"message\":\"2 428961148399 eni-0e0bf7be352692297 - - - - - - - 1671029698 "
			    "1671029728 - NODATA\"}"));
	cr_assert_not(sniff("hello world\n"));
	cr_assert_not(sniff("ip,port\n10.0.0.1,22\n"));
	cr_assert_not(sniff("\x1f\x8b\x08\x00\x00\x00\x00\x00"));
	cr_assert_not(sniff("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1234 80 6 5 500 1600000000 1600000060 MAYBE OK"));
	cr_assert_not(sniff("2021-03-04T05:06:07.000Z\n"));
}

/* ---- the real samples ----------------------------------------------------- */

/* Counts events and bad lines without keeping them (files may be long). */
struct tally {
	size_t events, bad;
	uint64_t first_bad;
	const char *why;
};

static void tally_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	struct tally *t = ctx;
	cr_assert_eq(ev->source, VG_SRC_VPCFLOW);
	cr_assert(ev->time_ms > 0, "line %llu has no time", (unsigned long long)index);
	t->events++;
}

static void tally_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	struct tally *t = ctx;
	(void)rc;
	if (t->bad++ == 0) {
		t->first_bad = index;
		t->why = why;
	}
}

Test(vpcflow_shared, elastic_samples_decode_without_errors)
{
	const char *dir = shared("elastic-aws-samples/vpcflow");
	if (!dir)
		cr_skip_test("../shared/data/elastic-aws-samples/vpcflow not found (set VIGIL_SHARED_DATA)");
	char base[PATH_MAX + 256];
	snprintf(base, sizeof(base), "%s", dir);
	DIR *d = opendir(base);
	cr_assert_not_null(d);
	struct dirent *de;
	size_t files = 0, total = 0;
	static const struct vg_event_sink tally_sink = {tally_event, tally_bad};
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 4, ".log") != 0)
			continue;
		/* One JSON object per line around the record: the caller unwraps it. */
		if (strcmp(de->d_name, "test-with-message-field.log") == 0)
			continue;
		char path[PATH_MAX + 512];
		snprintf(path, sizeof(path), "%s/%s", base, de->d_name);
		FILE *f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		cr_assert_eq(fseek(f, 0, SEEK_END), 0);
		long size = ftell(f);
		cr_assert_geq(size, 0);
		rewind(f);
		char *buf = malloc((size_t)size + 1);
		cr_assert_not_null(buf);
		cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
		fclose(f);

		/* An independent count: non-blank lines that do not start with "version". */
		size_t records = 0;
		for (const char *p = buf, *end = buf + size; p < end;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *e = nl ? nl : end;
			const char *q = p;
			while (q < e && (*q == ' ' || *q == '\r' || *q == '\t'))
				q++;
			if (q < e && !(e - q >= 7 && memcmp(q, "version", 7) == 0))
				records++;
			p = nl ? nl + 1 : end;
		}

		struct tally t = {0};
		cr_expect(vg_vpcflow_sniff(buf, (size_t)size), "%s does not sniff as flow logs", de->d_name);
		cr_assert_eq(vg_vpcflow_decode_text(buf, (size_t)size, NULL, &tally_sink, &t), VG_OK);
		cr_expect_eq(t.bad, 0, "%s: %zu bad lines, the first %llu: %s", de->d_name, t.bad,
			     (unsigned long long)t.first_bad, t.why ? t.why : "");
		cr_expect_eq(t.events, records, "%s: %zu events for %zu records", de->d_name, t.events, records);
		total += t.events;
		files++;
		free(buf);
	}
	closedir(d);
	cr_expect_geq(files, 5, "only %zu sample files", files);
	cr_expect_gt(total, 0);
}
