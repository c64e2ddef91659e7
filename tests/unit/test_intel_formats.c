/*
 * test_intel_formats.c -- the threat-intel list parsers: every GuardDuty
 * format (TXT, STIX 1.x XML and 2.x JSON, OTX_CSV, ALIEN_VAULT,
 * PROOF_POINT, FIRE_EYE) on GuardDuty's own examples and on real-world
 * quirks, malformed lines with their line numbers, detection from content,
 * the --intel-format names, and the real lists under ../shared/data.
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared_data.h"
#include "vg.h"
#include "enrich/intel_formats.h"
#include "ingest/input.h"

/* ---- helpers ------------------------------------------------------------ */

struct got_entry {
	enum vg_intel_kind kind;
	char value[300];
	char threat[128];
	uint64_t line;
};

struct got_bad {
	uint64_t line;
	char why[128];
};

struct got {
	struct got_entry *e;
	size_t n, cap;
	struct got_bad b[256];
	size_t nb;
	size_t stop_after; /* 0: never */
	int stop_code;
};

static void cpy(char *dst, size_t cap, struct vg_str s)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;
	if (n)
		memcpy(dst, s.p, n);
	dst[n] = '\0';
}

static int on_entry(void *ctx, const struct vg_intel_entry *e)
{
	struct got *g = ctx;
	cr_assert(e->value.n > 0, "empty value handed to the sink");
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->e = realloc(g->e, g->cap * sizeof(*g->e));
		cr_assert_not_null(g->e);
	}
	struct got_entry *d = &g->e[g->n++];
	d->kind = e->kind;
	d->line = e->line;
	cpy(d->value, sizeof(d->value), e->value);
	cpy(d->threat, sizeof(d->threat), e->threat_name);
	if (g->stop_after && g->n == g->stop_after)
		return g->stop_code;
	return 0;
}

static void on_bad(void *ctx, uint64_t line, const char *why)
{
	struct got *g = ctx;
	cr_assert_not_null(why);
	if (g->nb < VG_ARRAY_LEN(g->b)) {
		g->b[g->nb].line = line;
		snprintf(g->b[g->nb].why, sizeof(g->b[g->nb].why), "%s", why);
	}
	g->nb++;
}

static void got_free(struct got *g)
{
	free(g->e);
	memset(g, 0, sizeof(*g));
}

/* Parse text (copied into a buffer with the padding vg_input leaves). */
static int parse_n(const char *text, size_t len, enum vg_intel_format f, struct got *g)
{
	char *buf = calloc(1, len + VG_INPUT_PADDING);
	cr_assert_not_null(buf);
	memcpy(buf, text, len);
	struct vg_intel_sink sink = {on_entry, on_bad, g};
	int rc = vg_intel_parse(buf, len, f, &sink);
	free(buf);
	return rc;
}

static int parse(const char *text, enum vg_intel_format f, struct got *g) { return parse_n(text, strlen(text), f, g); }

static void dump(const struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		fprintf(stderr, "  entry %zu: line %llu kind %d '%s' threat '%s'\n", i, (unsigned long long)g->e[i].line,
			g->e[i].kind, g->e[i].value, g->e[i].threat);
	for (size_t i = 0; i < g->nb && i < VG_ARRAY_LEN(g->b); i++)
		fprintf(stderr, "  bad: line %llu: %s\n", (unsigned long long)g->b[i].line, g->b[i].why);
}

/* Entry i is (kind, value, line). */
#define ENTRY(g, i, k, v, l)                                                                                       \
	do {                                                                                                       \
		if ((i) >= (g)->n)                                                                                 \
			dump(g);                                                                                   \
		cr_assert_lt((size_t)(i), (g)->n, "no entry %d", (int)(i));                                        \
		cr_expect_eq((g)->e[i].kind, (k), "entry %d '%s': kind %d", (int)(i), (g)->e[i].value,             \
			     (g)->e[i].kind);                                                                      \
		cr_expect_str_eq((g)->e[i].value, (v), "entry %d", (int)(i));                                      \
		cr_expect_eq((g)->e[i].line, (uint64_t)(l), "entry %d '%s': line %llu", (int)(i), (g)->e[i].value, \
			     (unsigned long long)(g)->e[i].line);                                                  \
	} while (0)

#define BAD(g, i, l)                                                                                               \
	do {                                                                                                       \
		if ((i) >= (g)->nb)                                                                                \
			dump(g);                                                                                   \
		cr_assert_lt((size_t)(i), (g)->nb, "no bad line %d", (int)(i));                                    \
		cr_expect_eq((g)->b[i].line, (uint64_t)(l), "bad %d (%s): line %llu", (int)(i), (g)->b[i].why,     \
			     (unsigned long long)(g)->b[i].line);                                                  \
	} while (0)

#define COUNTS(g, ne, nbad)                                                                                        \
	do {                                                                                                       \
		if ((g)->n != (size_t)(ne) || (g)->nb != (size_t)(nbad))                                           \
			dump(g);                                                                                   \
		cr_assert_eq((g)->n, (size_t)(ne), "entries");                                                     \
		cr_assert_eq((g)->nb, (size_t)(nbad), "bad lines");                                                \
	} while (0)

#define IP VG_INTEL_IP
#define DOM VG_INTEL_DOMAIN

/* ---- TXT ------------------------------------------------------------------ */

Test(intel_txt, guardduty_example)
{
	struct got g = {0};
	cr_assert_eq(parse("192.0.2.1\n192.0.2.0/24\nexample.com\nexample.org\n*.example.org\n", VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 5, 0);
	ENTRY(&g, 0, IP, "192.0.2.1", 1);
	ENTRY(&g, 1, IP, "192.0.2.0/24", 2);
	ENTRY(&g, 2, DOM, "example.com", 3);
	ENTRY(&g, 3, DOM, "example.org", 4);
	ENTRY(&g, 4, DOM, "example.org", 5); /* the wildcard's base matches its subdomains */
	cr_expect_str_eq(g.e[0].threat, "");
	got_free(&g);
}

Test(intel_txt, quirks_bom_crlf_comments_case)
{
	const char *t = "\xef\xbb\xbf# a list\r\n"
			"  10.0.0.1  \r\n"
			"\r\n"
			"// c-style comment\r\n"
			"; ini-style comment\r\n"
			"Evil.EXAMPLE.com.\r\n"
			"1.10.16.0/20 ; SBL256894\r\n"
			"2001:DB8::/32 # documentation\r\n"
			"\t0.0.0.0 Ads.Example.net\r\n"
			"http://user:pw@Mal.Example.org:8080/x?y#z\r\n"
			"   # indented comment\r\n"
			"bad_underscore_ok.example\r\n"
			"fe80::1\r\n"
			"::ffff:192.0.2.7\r\n"
			"10.1.0.0/255.255.0.0\r\n"
			"::ffff:198.51.100.0/120\r\n"
			"10.2.0.0/016";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 12, 0);
	ENTRY(&g, 0, IP, "10.0.0.1", 2);
	ENTRY(&g, 1, DOM, "evil.example.com", 6);
	ENTRY(&g, 2, IP, "1.10.16.0/20", 7);
	ENTRY(&g, 3, IP, "2001:DB8::/32", 8);
	ENTRY(&g, 4, DOM, "ads.example.net", 9);
	ENTRY(&g, 5, DOM, "mal.example.org", 10);
	ENTRY(&g, 6, DOM, "bad_underscore_ok.example", 12);
	ENTRY(&g, 7, IP, "fe80::1", 13);
	ENTRY(&g, 8, IP, "192.0.2.7", 14);
	ENTRY(&g, 9, IP, "10.1.0.0/16", 15);
	ENTRY(&g, 10, IP, "198.51.100.0/24", 16);
	ENTRY(&g, 11, IP, "10.2.0.0/16", 17);
	got_free(&g);
}

Test(intel_txt, malformed_lines_reported_neighbours_kept)
{
	const char *t = "1.1.1.1\n"                  /* 1 */
			"1.2.3.256\n"                /* 2 bad */
			"10.0.0.0/33\n"              /* 3 bad */
			"2001:db8::/129\n"           /* 4 bad */
			"bad!host.com\n"             /* 5 bad */
			"nodot\n"                    /* 6 bad */
			"a..b.com\n"                 /* 7 bad */
			"1.2.3.4 5.6.7.8\n"          /* 8 bad */
			"hashbag.cc:8688\n"          /* 9 bad */
			"my\xc3\xa8therwallet.com\n" /* 10 bad */
			"10.0.0.0/\n"                /* 11 bad */
			"10.0.0.0/255.0.255.0\n"     /* 12 bad */
			"x.*.example.com\n"          /* 13 bad */
			"-leading-hyphen.example\n"  /* 14 ok: real lists have them */
			"2.2.2.2\n"                  /* 15 */
			"1.2.3\n"                    /* 16 bad */
			"::ffff:1.2.3.0/64\n"        /* 17 bad */
			"3.3.3.3";                   /* 18, no final newline */
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 4, 14);
	ENTRY(&g, 0, IP, "1.1.1.1", 1);
	ENTRY(&g, 1, DOM, "-leading-hyphen.example", 14);
	ENTRY(&g, 2, IP, "2.2.2.2", 15);
	ENTRY(&g, 3, IP, "3.3.3.3", 18);
	static const int lines[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17};
	for (size_t i = 0; i < VG_ARRAY_LEN(lines); i++)
		BAD(&g, i, lines[i]);
	cr_expect(strstr(g.b[8].why, "punycode") != NULL, "%s", g.b[8].why);
	cr_expect(strstr(g.b[7].why, "port") != NULL, "%s", g.b[7].why);
	got_free(&g);
}

Test(intel_txt, host_name_limits)
{
	char t[2048];
	char l63[64], l64[65];
	memset(l63, 'a', 63);
	l63[63] = '\0';
	memset(l64, 'b', 64);
	l64[64] = '\0';
	/* 4 x 63 + 1 more label "c" = 253 characters with the dots. */
	char n253[300], n254[320];
	snprintf(n253, sizeof(n253), "%s.%s.%s.%s", l63, l63, l63, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghi");
	snprintf(n254, sizeof(n254), "%s.x", n253);
	cr_assert_eq(strlen(n253), 253);
	snprintf(t, sizeof(t), "%s.com\n%s.com\n%s\n%s.\n%s\n", l63, l64, n253, n253, n254);
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 3, 2);
	cr_expect_eq(g.e[0].line, 1);
	cr_expect_eq(g.e[1].line, 3);
	cr_expect_eq(g.e[2].line, 4); /* the trailing dot does not count */
	BAD(&g, 0, 2);
	BAD(&g, 1, 5);
	got_free(&g);
}

Test(intel_txt, cr_only_and_empty)
{
	struct got g = {0};
	cr_assert_eq(parse("1.1.1.1\rexample.com\r\r2.2.2.2\r", VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 3, 0);
	ENTRY(&g, 2, IP, "2.2.2.2", 4);
	got_free(&g);
	cr_assert_eq(parse("", VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 0, 0);
	cr_assert_eq(parse("# only comments\n\n", VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 0, 0);
	cr_assert_eq(parse("not an entry\n%%%\n", VG_INTEL_TXT, &g), VG_EFORMAT);
	COUNTS(&g, 0, 2);
	got_free(&g);
	cr_assert_eq(parse_n("1.1.1.1\n\0\n2.2.2.2\n", 18, VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 2, 1);
	got_free(&g);
}

/* UTF-16 with a byte-order mark, as Windows PowerShell's ">" writes it. */
static size_t to_utf16(const char *ascii, bool le, char *out)
{
	size_t o = 0;
	out[o++] = le ? '\xff' : '\xfe';
	out[o++] = le ? '\xfe' : '\xff';
	for (const char *p = ascii; *p; p++) {
		out[o++] = le ? *p : 0;
		out[o++] = le ? 0 : *p;
	}
	return o;
}

Test(intel_txt, utf16)
{
	char b[512];
	struct got g = {0};
	size_t n = to_utf16("10.0.0.1\r\nEvil.Example.com\r\n# c\r\n2001:db8::1\r\n", true, b);
	cr_assert_eq(vg_intel_detect(b, n), VG_INTEL_TXT);
	cr_assert_eq(parse_n(b, n, VG_INTEL_AUTO, &g), VG_OK);
	COUNTS(&g, 3, 0);
	ENTRY(&g, 0, IP, "10.0.0.1", 1);
	ENTRY(&g, 1, DOM, "evil.example.com", 2);
	ENTRY(&g, 2, IP, "2001:db8::1", 4);
	got_free(&g);
	n = to_utf16("ip,category,score\n192.0.2.1,9,40\n", false, b);
	cr_assert_eq(vg_intel_detect(b, n), VG_INTEL_PROOF_POINT);
	cr_assert_eq(parse_n(b, n, VG_INTEL_AUTO, &g), VG_OK);
	COUNTS(&g, 1, 0);
	got_free(&g);
	n = to_utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><stix:STIX_Package "
		     "xmlns:stix=\"http://stix.mitre.org/stix-1\"><DomainNameObj:Value>u.example</DomainNameObj:Value>"
		     "</stix:STIX_Package>",
		     true, b);
	cr_assert_eq(parse_n(b, n, VG_INTEL_AUTO, &g), VG_OK);
	COUNTS(&g, 1, 0);
	ENTRY(&g, 0, DOM, "u.example", 1);
	got_free(&g);
}

Test(intel_txt, sink_stops)
{
	struct got g = {.stop_after = 2, .stop_code = 1};
	cr_assert_eq(parse("1.1.1.1\n2.2.2.2\n3.3.3.3\n", VG_INTEL_TXT, &g), VG_OK);
	COUNTS(&g, 2, 0);
	got_free(&g);
	g = (struct got){.stop_after = 1, .stop_code = VG_ENOMEM};
	cr_assert_eq(parse("1.1.1.1\n2.2.2.2\n", VG_INTEL_TXT, &g), VG_ENOMEM);
	COUNTS(&g, 1, 0);
	got_free(&g);
	struct vg_intel_sink none = {NULL, NULL, NULL};
	cr_assert_eq(vg_intel_parse("1.1.1.1\n", 8, VG_INTEL_TXT, &none), VG_OK); /* TXT reads nothing past len */
	cr_assert_eq(vg_intel_parse("x", 1, VG_INTEL_TXT, NULL), VG_EINVAL);
}

/* ---- OTX_CSV ---------------------------------------------------------------- */

Test(intel_otx, guardduty_example)
{
	const char *t = "Indicator type, Indicator, Description\n"
			"CIDR, 192.0.2.0/24, example\n"
			"IPv4, 198.51.100.1, example\n"
			"IPv4, 203.0.113.1, example\n"
			"Domain name, example.net, example\n";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_OTX_CSV, &g), VG_OK);
	COUNTS(&g, 4, 0);
	ENTRY(&g, 0, IP, "192.0.2.0/24", 2);
	ENTRY(&g, 1, IP, "198.51.100.1", 3);
	ENTRY(&g, 2, IP, "203.0.113.1", 4);
	ENTRY(&g, 3, DOM, "example.net", 5);
	got_free(&g);
}

Test(intel_otx, quoting_crlf_types)
{
	const char *t = "\xef\xbb\xbf\"Indicator type\",\"Indicator\",\"Description\"\r\n"                /* 1 */
			"hostname,C2.Example.COM,\"Panel, with a comma\"\r\n"                               /* 2 */
			"FileHash-SHA256,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,\r\n" /* 3 skip */
			"URL,\"http://[2001:db8::5]:8443/a,b\",\"say \"\"hi\"\"\"\r\n"                       /* 4 */
			"IPv6,2001:db8::1,\"multi\r\nline\r\ndescription\"\r\n"                             /* 5-7 */
			"SomethingNew,1.2.3.4,x\r\n"                                                        /* 8 bad */
			"IPv4,999.1.1.1,bad address\r\n"                                                    /* 9 bad */
			"email,a@b.example,\r\n"                                                            /* 10 skip */
			"domain,evil.example.\r\n"                                                          /* 11 */
			"lonely\r\n"                                                                        /* 12 bad */
			"IPv4,\"unterminated\r\n";                                                          /* 13 bad */
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_OTX_CSV, &g), VG_OK);
	COUNTS(&g, 4, 4);
	ENTRY(&g, 0, DOM, "c2.example.com", 2);
	ENTRY(&g, 1, IP, "2001:db8::5", 4);
	ENTRY(&g, 2, IP, "2001:db8::1", 5);
	ENTRY(&g, 3, DOM, "evil.example", 11);
	BAD(&g, 0, 8);
	BAD(&g, 1, 9);
	BAD(&g, 2, 12);
	BAD(&g, 3, 13);
	got_free(&g);
}

Test(intel_otx, headerless_and_reordered)
{
	struct got g = {0};
	cr_assert_eq(parse("IPv4,192.0.2.9,x\nURL,https://bad.example/p,\n", VG_INTEL_OTX_CSV, &g), VG_OK);
	COUNTS(&g, 2, 0);
	ENTRY(&g, 1, DOM, "bad.example", 2);
	got_free(&g);
	cr_assert_eq(parse("Description,Indicator,Indicator type\nsomething,192.0.2.10,IPv4\n", VG_INTEL_OTX_CSV, &g),
		     VG_OK);
	COUNTS(&g, 1, 0);
	ENTRY(&g, 0, IP, "192.0.2.10", 2);
	got_free(&g);
}

/* ---- ALIEN_VAULT ------------------------------------------------------------ */

Test(intel_alienvault, guardduty_example)
{
	const char *t = "198.51.100.1#4#2#Malicious Host#US##0.0,0.0#3\n"
			"203.0.113.1#4#2#Malicious Host#US##0.0,0.0#3\n"
			"192.0.2.2#4#2#Scanning Host#IN#Gurgaon#28.4666996002,77.0333023071#3\n"
			"www.example.com#4#2#Malicious Host#PL##52.2393989563,21.0361995697#3\n";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_ALIEN_VAULT, &g), VG_OK);
	COUNTS(&g, 4, 0);
	ENTRY(&g, 0, IP, "198.51.100.1", 1);
	ENTRY(&g, 2, IP, "192.0.2.2", 3);
	ENTRY(&g, 3, DOM, "www.example.com", 4);
	cr_expect_str_eq(g.e[0].threat, "Malicious Host");
	cr_expect_str_eq(g.e[2].threat, "Scanning Host");
	got_free(&g);
}

Test(intel_alienvault, quirks)
{
	const char *t = "# AlienVault reputation\r\n"                       /* 1 */
			"\r\n"                                               /* 2 */
			"1.2.3.4#4#3#Scanning Host;Spamming#CN#Beijing#39.9,116.4#11\r\n" /* 3 */
			"999.0.0.1#4#2#Malicious Host#US##0.0,0.0#3\r\n"     /* 4 bad */
			"5.6.7.8 # Malicious Host\r\n"                       /* 5: the generic form */
			"2001:db8::7#1#1#C&C#DE##0,0#1\r\n"                  /* 6 */
			"bad host#4#2#x#US##0,0#3\r\n";                      /* 7 bad */
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_ALIEN_VAULT, &g), VG_OK);
	COUNTS(&g, 3, 2);
	ENTRY(&g, 0, IP, "1.2.3.4", 3);
	cr_expect_str_eq(g.e[0].threat, "Scanning Host;Spamming");
	ENTRY(&g, 1, IP, "5.6.7.8", 5);
	cr_expect_str_eq(g.e[1].threat, "Malicious Host");
	ENTRY(&g, 2, IP, "2001:db8::7", 6);
	cr_expect_str_eq(g.e[2].threat, "C&C");
	BAD(&g, 0, 4);
	BAD(&g, 1, 7);
	got_free(&g);
}

/* ---- PROOF_POINT --------------------------------------------------------------- */

Test(intel_proofpoint, guardduty_example)
{
	const char *t = "ip, category, score, first_seen, last_seen, ports (|)\n"
			"198.51.100.1, 1, 100, 2000-01-01, 2000-01-01,\n"
			"203.0.113.1, 1, 100, 2000-01-01, 2000-01-01, 80\n";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_PROOF_POINT, &g), VG_OK);
	COUNTS(&g, 2, 0);
	ENTRY(&g, 0, IP, "198.51.100.1", 2);
	ENTRY(&g, 1, IP, "203.0.113.1", 3);
	cr_expect_str_eq(g.e[0].threat, "CnC");
	got_free(&g);
}

Test(intel_proofpoint, headerless_domains_quoting)
{
	const char *t = "192.0.2.1,9,40\r\n"                         /* 1 TorNode */
			"\"192.0.2.0/24\",33,127\r\n"                 /* 2 DDoSAttacker */
			"Bad.Example.com,2,100,2019-01-01,2019-02-01,80|443\r\n" /* 3 Bot */
			"evil.example,99,10\r\n"                      /* 4 category kept */
			"not valid,1,1\r\n"                           /* 5 bad */
			"\"x,y\",1,1\r\n"                             /* 6 bad */
			"203.0.113.9,\"Scanner\",50\r\n";             /* 7 */
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_PROOF_POINT, &g), VG_OK);
	COUNTS(&g, 5, 2);
	ENTRY(&g, 0, IP, "192.0.2.1", 1);
	cr_expect_str_eq(g.e[0].threat, "TorNode");
	ENTRY(&g, 1, IP, "192.0.2.0/24", 2);
	cr_expect_str_eq(g.e[1].threat, "DDoSAttacker");
	ENTRY(&g, 2, DOM, "bad.example.com", 3);
	cr_expect_str_eq(g.e[2].threat, "Bot");
	ENTRY(&g, 3, DOM, "evil.example", 4);
	cr_expect_str_eq(g.e[3].threat, "99");
	ENTRY(&g, 4, IP, "203.0.113.9", 7);
	cr_expect_str_eq(g.e[4].threat, "Scanner");
	BAD(&g, 0, 5);
	BAD(&g, 1, 6);
	got_free(&g);

	cr_assert_eq(parse("domain,category,score\nexample.org,1,1\n10.9.8.7,3,5\n", VG_INTEL_PROOF_POINT, &g), VG_OK);
	COUNTS(&g, 2, 0);
	ENTRY(&g, 0, DOM, "example.org", 2);
	ENTRY(&g, 1, IP, "10.9.8.7", 3);
	got_free(&g);
}

/* ---- FIRE_EYE ------------------------------------------------------------------- */

static const char fe_example[] =
	"reportId, title, threatScape, audience, intelligenceType, publishDate, reportLink, webLink, emailIdentifier, "
	"senderAddress, senderName, sourceDomain, sourceIp, subject, recipient, emailLanguage, fileName, fileSize, "
	"fuzzyHash, fileIdentifier, md5, sha1, sha256, description, fileType, packer, userAgent, registry, "
	"fileCompilationDateTime, filePath, asn, cidr, domain, domainTimeOfLookup, networkIdentifier, ip, port, "
	"protocol, registrantEmail, registrantName, networkType, url, malwareFamily, malwareFamilyId, actor, actorId, "
	"observationTime\n"
	"01-00000001, Example, Test, Operational, threat, 1494944400, https://www.example.com/report/01-00000001, "
	"https://www.example.com/report/01-00000001, , , , , , , , , , , , , , , , , , , , , , , , 192.0.2.0/24, , , "
	"Related, , , , , , network, , Ursnif, 21a14673-0d94-46d3-89ab-8281a0466099, , , 1494944400\n"
	"01-00000002, Example, Test, Operational, threat, 1494944400, https://www.example.com/report/01-00000002, "
	"https://www.example.com/report/01-00000002, , , , , , , , , , , , , , , , , , , , , , , , , , , Related, "
	"198.51.100.1, , , , , network, , Ursnif, 12ab7bc4-62ed-49fa-99e3-14b92afc41bf, , ,1494944400\n";

Test(intel_fireeye, guardduty_example)
{
	struct got g = {0};
	cr_assert_eq(parse(fe_example, VG_INTEL_FIRE_EYE, &g), VG_OK);
	COUNTS(&g, 2, 0);
	ENTRY(&g, 0, IP, "192.0.2.0/24", 2);
	ENTRY(&g, 1, IP, "198.51.100.1", 3);
	cr_expect_str_eq(g.e[0].threat, "Ursnif");
	cr_expect_str_eq(g.e[1].threat, "Ursnif");
	/* Without its header the GuardDuty positions still hold. */
	got_free(&g);
	cr_assert_eq(parse(strchr(fe_example, '\n') + 1, VG_INTEL_FIRE_EYE, &g), VG_OK);
	COUNTS(&g, 2, 0);
	ENTRY(&g, 0, IP, "192.0.2.0/24", 1);
	ENTRY(&g, 1, IP, "198.51.100.1", 2);
	got_free(&g);
}

Test(intel_fireeye, other_header_quotes_rows)
{
	const char *t =
		"fileMd5,fileName,title,networkIdentifier,ip,domain,url,malwareFamily,actor\r\n"          /* 1 */
		"d41d8cd98f00b204e9800998ecf8427e,a.exe,\"Report, with comma\",,,,,Dridex,\r\n"          /* 2 skip */
		",,\"Say \"\"hi\"\"\",Attacker,203.0.113.5,C2.Example.net,,Dridex,TA505\r\n"              /* 3 two */
		",,t,Related,,,http://drop.example.org/x.php,,FIN7\r\n"                                /* 4 url */
		",,t,Related,300.1.1.1,ok.example,,Emotet,\r\n"                                        /* 5 bad+1 */
		"garbage\r\n";                                                                          /* 6 bad */
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_FIRE_EYE, &g), VG_OK);
	COUNTS(&g, 4, 2);
	ENTRY(&g, 0, IP, "203.0.113.5", 3);
	ENTRY(&g, 1, DOM, "c2.example.net", 3);
	cr_expect_str_eq(g.e[1].threat, "Dridex");
	ENTRY(&g, 2, DOM, "drop.example.org", 4);
	cr_expect_str_eq(g.e[2].threat, "FIN7"); /* actor when no family */
	ENTRY(&g, 3, DOM, "ok.example", 5);
	BAD(&g, 0, 5);
	BAD(&g, 1, 6);
	got_free(&g);
	/* No header and too few columns: reported, the file is not iSIGHT. */
	cr_assert_eq(parse("a,b,c\n", VG_INTEL_FIRE_EYE, &g), VG_EFORMAT);
	COUNTS(&g, 0, 1);
	got_free(&g);
}

/* ---- STIX 2.x JSON ------------------------------------------------------------------ */

Test(intel_stix2, bundle_indicators)
{
	const char *t =
		"{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": ["
		"{\"type\":\"identity\",\"id\":\"identity--1\",\"name\":\"ACME\"},"                                 /* 1 */
		"{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"name\":\"Bad IP\",\"pattern_type\":\"stix\","
		"\"pattern\":\"[ipv4-addr:value = '198.51.100.3']\"},"                                              /* 2 */
		"{\"type\":\"indicator\",\"labels\":[\"malicious-activity\"],"
		"\"pattern\":\"[domain-name:value = 'Evil.Example.COM']\"},"                                        /* 3 */
		"{\"type\":\"indicator\",\"indicator_types\":[\"compromised\"],"
		"\"pattern\":\"[url:value = 'https://phish.example.net/login']\"},"                                 /* 4 */
		"{\"type\":\"indicator\",\"name\":\"v6\",\"pattern\":\"[ipv6-addr:value = '2001:db8::/48']\"},"     /* 5 */
		"{\"type\":\"indicator\",\"name\":\"hash\",\"pattern\":\"[file:hashes.'SHA-256' = 'abc']\"},"       /* 6 skip */
		"{\"type\":\"indicator\",\"name\":\"snort\",\"pattern_type\":\"snort\",\"pattern\":\"alert ip\"},"  /* 7 skip */
		"{\"type\":\"malware\",\"name\":\"x\"}"                                                             /* 8 */
		"]}";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK);
	COUNTS(&g, 4, 0);
	ENTRY(&g, 0, IP, "198.51.100.3", 2);
	cr_expect_str_eq(g.e[0].threat, "Bad IP");
	ENTRY(&g, 1, DOM, "evil.example.com", 3);
	cr_expect_str_eq(g.e[1].threat, "malicious-activity");
	ENTRY(&g, 2, DOM, "phish.example.net", 4);
	cr_expect_str_eq(g.e[2].threat, "compromised");
	ENTRY(&g, 3, IP, "2001:db8::/48", 5);
	got_free(&g);
}

Test(intel_stix2, pattern_combinations)
{
	const char *t =
		"{\"type\":\"bundle\",\"objects\":["
		"{\"type\":\"indicator\",\"name\":\"or-obs\",\"pattern\":"
		"\"[ipv4-addr:value = '10.0.0.1'] OR [domain-name:value = 'a.example']\"},"                   /* 1: 2 */
		"{\"type\":\"indicator\",\"name\":\"or-cmp\",\"pattern\":"
		"\"[ipv4-addr:value = '10.0.0.2' OR ipv4-addr:value = '10.0.0.3']\"},"                        /* 2: 2 */
		"{\"type\":\"indicator\",\"name\":\"in\",\"pattern\":"
		"\"[domain-name:value IN ('b.example', 'c.example')]\"},"                                     /* 3: 2 */
		"{\"type\":\"indicator\",\"name\":\"subset\",\"pattern\":"
		"\"[ipv4-addr:value ISSUBSET '192.0.2.0/25']\"},"                                            /* 4: 1 */
		"{\"type\":\"indicator\",\"name\":\"typed\",\"pattern\":"
		"\"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '10.0.0.4']\"}," /* 5: 1 */
		"{\"type\":\"indicator\",\"name\":\"mixed\",\"pattern\":"
		"\"([file:hashes.MD5 = 'x'] OR [url:value = 'http://d.example/']) WITHIN 300 SECONDS\"},"     /* 6: 1 */
		"{\"type\":\"indicator\",\"name\":\"and\",\"pattern\":"
		"\"[ipv4-addr:value = '10.9.9.9'] AND [domain-name:value = 'no.example']\"},"                 /* 7: bad */
		"{\"type\":\"indicator\",\"name\":\"not\",\"pattern\":\"[ipv4-addr:value NOT = '10.9.9.8']\"}," /* 8: bad */
		"{\"type\":\"indicator\",\"name\":\"like\",\"pattern\":\"[domain-name:value LIKE '%.x.example']\"}," /* 9: bad */
		"{\"type\":\"indicator\",\"name\":\"syntax\",\"pattern\":\"[ipv4-addr:value = '10.9.9.7'\"},"   /* 10: bad */
		"{\"type\":\"indicator\",\"name\":\"nopattern\"},"                                             /* 11: bad */
		"{\"type\":\"indicator\",\"name\":\"badval\",\"pattern\":"
		"\"[ipv4-addr:value = '10.0.0.300' OR ipv4-addr:value = '10.0.0.5']\"},"                      /* 12: 1+bad */
		"{\"type\":\"indicator\",\"name\":\"qual\",\"pattern\":"
		"\"[domain-name:value = 'e.example'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'\"}," /* 13 */
		"{\"type\":\"indicator\",\"name\":\"port\",\"pattern\":"
		"\"[network-traffic:dst_ref.value = '10.8.8.8' AND network-traffic:dst_port = 443]\"}"         /* 14: bad */
		"]}";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK);
	COUNTS(&g, 11, 7);
	ENTRY(&g, 0, IP, "10.0.0.1", 1);
	ENTRY(&g, 1, DOM, "a.example", 1);
	ENTRY(&g, 2, IP, "10.0.0.2", 2);
	ENTRY(&g, 3, IP, "10.0.0.3", 2);
	ENTRY(&g, 4, DOM, "b.example", 3);
	ENTRY(&g, 5, DOM, "c.example", 3);
	ENTRY(&g, 6, IP, "192.0.2.0/25", 4);
	ENTRY(&g, 7, IP, "10.0.0.4", 5);
	ENTRY(&g, 8, DOM, "d.example", 6);
	ENTRY(&g, 9, IP, "10.0.0.5", 12);
	ENTRY(&g, 10, DOM, "e.example", 13);
	cr_expect_str_eq(g.e[10].threat, "qual");
	BAD(&g, 0, 7);
	BAD(&g, 1, 8);
	BAD(&g, 2, 9);
	BAD(&g, 3, 10);
	BAD(&g, 4, 11);
	BAD(&g, 5, 12);
	BAD(&g, 6, 14);
	got_free(&g);
}

Test(intel_stix2, observables_single_objects_errors)
{
	struct got g = {0};
	const char *t = "{\"type\":\"bundle\",\"objects\":["
			"{\"type\":\"ipv4-addr\",\"value\":\"203.0.113.77\"},"
			"{\"type\":\"ipv6-addr\",\"value\":\"2001:db8::77\"},"
			"{\"type\":\"domain-name\",\"value\":\"WWW.Example.ORG.\"},"
			"{\"type\":\"url\",\"value\":\"ftp://198.51.100.77/x\"},"
			"{\"type\":\"domain-name\"},"
			"{\"type\":\"ipv4-addr\",\"value\":\"nope\"}"
			"]}";
	cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK);
	COUNTS(&g, 4, 2);
	ENTRY(&g, 0, IP, "203.0.113.77", 1);
	ENTRY(&g, 1, IP, "2001:db8::77", 2);
	ENTRY(&g, 2, DOM, "www.example.org", 3);
	ENTRY(&g, 3, IP, "198.51.100.77", 4);
	BAD(&g, 0, 5);
	BAD(&g, 1, 6);
	got_free(&g);

	/* A lone indicator and an array of objects. */
	cr_assert_eq(parse("{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\"}", VG_INTEL_STIX, &g),
		     VG_OK);
	COUNTS(&g, 1, 0);
	got_free(&g);
	cr_assert_eq(parse("[{\"type\":\"domain-name\",\"value\":\"x.example\"}]", VG_INTEL_AUTO, &g), VG_OK);
	COUNTS(&g, 1, 0);
	got_free(&g);

	/* Broken JSON: the whole file is reported (line 0). */
	cr_assert_eq(parse("{\"type\":\"bundle\",\"objects\":[{\"type\":", VG_INTEL_STIX, &g), VG_EFORMAT);
	COUNTS(&g, 0, 1);
	BAD(&g, 0, 0);
	got_free(&g);
	cr_assert_eq(parse("{\"hello\":1}", VG_INTEL_STIX, &g), VG_EFORMAT);
	got_free(&g);
	cr_assert_eq(parse("1.2.3.4\n", VG_INTEL_STIX, &g), VG_EFORMAT);
	got_free(&g);
	cr_assert_eq(parse("{\"type\":\"bundle\",\"objects\":[]}", VG_INTEL_STIX, &g), VG_OK);
	COUNTS(&g, 0, 0);
	got_free(&g);
}

/* ---- STIX 1.x XML --------------------------------------------------------------------- */

Test(intel_stix1, guardduty_example)
{
	const char *t =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\" xmlns:cybox=\"http://cybox.mitre.org/cybox-2\"\n"
		"    xmlns:AddressObject=\"http://cybox.mitre.org/objects#AddressObject-2\"\n"
		"    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" id=\"example:STIXPackage-a78fc4e3\" version=\"1.2\">\n"
		"  <stix:Observables cybox_major_version=\"1\" cybox_minor_version=\"1\">\n"
		"    <cybox:Observable id=\"example:observable-80b26f43\">\n"
		"      <cybox:Object id=\"example:object-161a5438\">\n"
		"        <cybox:Properties xsi:type=\"AddressObject:AddressObjectType\" category=\"ipv4-addr\">\n"
		"          <AddressObject:Address_Value condition=\"InclusiveBetween\">192.0.2.0##comma##192.0.2.255</AddressObject:Address_Value>\n"
		"        </cybox:Properties>\n"
		"      </cybox:Object>\n"
		"    </cybox:Observable>\n"
		"    <cybox:Observable id=\"example:observable-b442b399\">\n"
		"      <cybox:Object id=\"example:object-b422417f\">\n"
		"        <cybox:Properties xsi:type=\"AddressObject:AddressObjectType\" category=\"ipv4-addr\">\n"
		"          <AddressObject:Address_Value>198.51.100.1</AddressObject:Address_Value>\n"
		"        </cybox:Properties>\n"
		"      </cybox:Object>\n"
		"    </cybox:Observable>\n"
		"  </stix:Observables>\n"
		"</stix:STIX_Package>\n";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK);
	COUNTS(&g, 2, 0);
	ENTRY(&g, 0, IP, "192.0.2.0/24", 9);
	ENTRY(&g, 1, IP, "198.51.100.1", 16);
	got_free(&g);
}

static const char stix1_indicators[] =
	"\xef\xbb\xbf<?xml version=\"1.0\"?>\r\n"                                                                   /* 1 */
	"<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\" xmlns:indicator=\"http://stix.mitre.org/Indicator-2\"\r\n"
	" xmlns:cybox=\"http://cybox.mitre.org/cybox-2\" xmlns:AddressObj=\"http://cybox.mitre.org/objects#AddressObject-2\"\r\n"
	" xmlns:DomainNameObj=\"http://cybox.mitre.org/objects#DomainNameObject-1\" xmlns:URIObj=\"http://cybox.mitre.org/objects#URIObject-2\"\r\n"
	" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\r\n"                                         /* 5 */
	" <stix:Indicators>\r\n"                                                                                  /* 6 */
	"  <stix:Indicator xsi:type=\"indicator:IndicatorType\">\r\n"                                             /* 7 */
	"   <indicator:Title>Zeus C2</indicator:Title>\r\n"                                                       /* 8 */
	"   <indicator:Observable><cybox:Object><cybox:Properties xsi:type=\"AddressObj:AddressObjectType\" category=\"ipv4-addr\">\r\n"
	"    <AddressObj:Address_Value condition=\"Equals\" apply_condition=\"ANY\">10.1.1.1##comma##10.1.1.2##comma##bogus</AddressObj:Address_Value>\r\n" /* 10 */
	"   </cybox:Properties></cybox:Object></indicator:Observable>\r\n"                                        /* 11 */
	"  </stix:Indicator>\r\n"                                                                                 /* 12 */
	"  <stix:Indicator>\r\n"                                                                                  /* 13 */
	"   <indicator:Title>Phish &amp; co</indicator:Title>\r\n"                                                /* 14 */
	"   <indicator:Observable><cybox:Object><cybox:Properties xsi:type=\"DomainNameObj:DomainNameObjectType\">\r\n"
	"    <DomainNameObj:Value condition=\"Equals\">Bad.Example.COM</DomainNameObj:Value>\r\n"                 /* 16 */
	"   </cybox:Properties></cybox:Object></indicator:Observable>\r\n"
	"   <indicator:Observable><cybox:Object><cybox:Properties xsi:type=\"URIObj:URIObjectType\" type=\"URL\">\r\n"
	"    <URIObj:Value condition=\"Equals\"><![CDATA[http://login.example.net/a?b=c]]></URIObj:Value>\r\n"   /* 19 */
	"   </cybox:Properties></cybox:Object></indicator:Observable>\r\n"
	"   <indicator:Observable><cybox:Object><cybox:Properties xsi:type=\"AddressObj:AddressObjectType\" category=\"e-mail\">\r\n"
	"    <AddressObj:Address_Value>someone@example.com</AddressObj:Address_Value>\r\n"                       /* 22 skip */
	"   </cybox:Properties></cybox:Object></indicator:Observable>\r\n"
	"   <indicator:Observable><cybox:Object><cybox:Properties xsi:type=\"DomainNameObj:DomainNameObjectType\">\r\n"
	"    <DomainNameObj:Value condition=\"Contains\">example</DomainNameObj:Value>\r\n"                      /* 25 bad */
	"   </cybox:Properties></cybox:Object></indicator:Observable>\r\n"
	"  </stix:Indicator>\r\n"
	" </stix:Indicators>\r\n"
	" <stix:Observables><cybox:Observable><cybox:Object><cybox:Properties xsi:type=\"AddressObj:AddressObjectType\" category=\"ipv6-addr\">\r\n"
	"  <AddressObj:Address_Value condition=\"InclusiveBetween\">2001:db8::1##comma##2001:db8::6</AddressObj:Address_Value>\r\n" /* 30 */
	" </cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>\r\n"
	"</stix:STIX_Package>\r\n";

Test(intel_stix1, indicators_titles_lists_ranges)
{
	struct got g = {0};
	cr_assert_eq(parse(stix1_indicators, VG_INTEL_AUTO, &g), VG_OK);
	COUNTS(&g, 8, 2);
	ENTRY(&g, 0, IP, "10.1.1.1", 10);
	ENTRY(&g, 1, IP, "10.1.1.2", 10);
	cr_expect_str_eq(g.e[0].threat, "Zeus C2");
	ENTRY(&g, 2, DOM, "bad.example.com", 16);
	cr_expect_str_eq(g.e[2].threat, "Phish & co");
	ENTRY(&g, 3, DOM, "login.example.net", 19);
	/* 2001:db8::1 .. ::6 = ::1/128, ::2/127, ::4/127, ::6/128 */
	ENTRY(&g, 4, IP, "2001:db8::1/128", 30);
	ENTRY(&g, 5, IP, "2001:db8::2/127", 30);
	ENTRY(&g, 6, IP, "2001:db8::4/127", 30);
	ENTRY(&g, 7, IP, "2001:db8::6/128", 30);
	cr_expect_str_eq(g.e[7].threat, "");
	BAD(&g, 0, 10); /* "bogus" in the list */
	BAD(&g, 1, 25);
	got_free(&g);
}

Test(intel_stix1, ranges)
{
	const char *pre = "<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\" "
			  "xmlns:AddressObj=\"http://cybox.mitre.org/objects#AddressObject-2\">";
	const char *ranges[][2] = {
		{"10.0.0.1##comma##10.0.0.6", "10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32"},
		{"0.0.0.0##comma##255.255.255.255", "0.0.0.0/0"},
		{"10.0.0.0##comma##10.0.0.0", "10.0.0.0/32"},
		{"::##comma##ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0"},
		{"192.0.2.255##comma##192.0.3.0", "192.0.2.255/32 192.0.3.0/32"},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(ranges); i++) {
		char t[1024], all[512] = "";
		snprintf(t, sizeof(t),
			 "%s<AddressObj:Address_Value condition=\"InclusiveBetween\">%s</AddressObj:Address_Value>"
			 "</stix:STIX_Package>",
			 pre, ranges[i][0]);
		struct got g = {0};
		cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK, "%s", ranges[i][0]);
		for (size_t j = 0; j < g.n; j++) {
			if (j)
				strcat(all, " ");
			strcat(all, g.e[j].value);
		}
		cr_expect_str_eq(all, ranges[i][1]);
		got_free(&g);
	}
	const char *bad[] = {"10.0.0.9##comma##10.0.0.1", "10.0.0.1##comma##2001:db8::1", "10.0.0.1",
			     "10.0.0.1##comma##10.0.0.2##comma##10.0.0.3"};
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++) {
		char t[1024];
		snprintf(t, sizeof(t),
			 "%s<AddressObj:Address_Value condition=\"InclusiveBetween\">%s</AddressObj:Address_Value>"
			 "</stix:STIX_Package>",
			 pre, bad[i]);
		struct got g = {0};
		cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_EFORMAT, "%s", bad[i]);
		COUNTS(&g, 0, 1);
		got_free(&g);
	}
}

Test(intel_stix1, untrusted_xml)
{
	/* Entities are never substituted and external ones never loaded: the
	 * value text is what the element itself holds. */
	const char *t = "<?xml version=\"1.0\"?>\n"
			"<!DOCTYPE stix:STIX_Package [\n"
			"  <!ENTITY ip \"203.0.113.66\">\n"
			"  <!ENTITY ext SYSTEM \"file:///etc/hostname\">\n"
			"]>\n"
			"<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\" "
			"xmlns:AddressObj=\"http://cybox.mitre.org/objects#AddressObject-2\">\n"
			"<AddressObj:Address_Value>&ip;</AddressObj:Address_Value>\n"
			"<AddressObj:Address_Value>&ext;</AddressObj:Address_Value>\n"
			"<AddressObj:Address_Value>198.51.100.66</AddressObj:Address_Value>\n"
			"</stix:STIX_Package>\n";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK);
	COUNTS(&g, 1, 2);
	ENTRY(&g, 0, IP, "198.51.100.66", 9);
	BAD(&g, 0, 7); /* empty: the entity contributes nothing */
	BAD(&g, 1, 8);
	got_free(&g);

	/* Billion laughs: libxml2 stops at the reference loop; nothing
	 * expanded reaches the sink, and the file is reported. */
	const char *laughs =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE stix:STIX_Package [\n"
		"  <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		"  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		"  <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"  <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		"]>\n"
		"<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\" "
		"xmlns:DomainNameObj=\"http://cybox.mitre.org/objects#DomainNameObject-1\">\n"
		"<DomainNameObj:Value>ok.example</DomainNameObj:Value>\n"
		"<DomainNameObj:Value>&d;.example</DomainNameObj:Value>\n"
		"</stix:STIX_Package>\n";
	int rc = parse(laughs, VG_INTEL_STIX, &g);
	cr_expect(rc == VG_OK || rc == VG_EFORMAT, "rc %d", rc);
	cr_expect_geq(g.nb, 1);
	for (size_t i = 0; i < g.n; i++)
		cr_expect_lt(strlen(g.e[i].value), 64, "%s", g.e[i].value);
	got_free(&g);
}

Test(intel_stix1, broken_and_foreign_xml)
{
	/* Truncated: what parsed is kept and the damage is reported. */
	const char *t = "<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\"\n"
			" xmlns:AddressObj=\"http://cybox.mitre.org/objects#AddressObject-2\">\n"
			"<AddressObj:Address_Value>198.51.100.8</AddressObj:Address_Value>\n"
			"<AddressObj:Address_Value>198.51.10";
	struct got g = {0};
	cr_assert_eq(parse(t, VG_INTEL_STIX, &g), VG_OK);
	cr_assert_geq(g.n, 1);
	ENTRY(&g, 0, IP, "198.51.100.8", 3);
	cr_assert_geq(g.nb, 1);
	got_free(&g);
	cr_assert_eq(parse("<html><body>1.2.3.4</body></html>", VG_INTEL_STIX, &g), VG_EFORMAT);
	COUNTS(&g, 0, 1);
	got_free(&g);
	cr_assert_eq(parse("<<<<", VG_INTEL_STIX, &g), VG_EFORMAT);
	got_free(&g);
	/* Prefixes without namespace declarations still read. */
	cr_assert_eq(parse("<stix:STIX_Package><DomainNameObj:Value>x.example</DomainNameObj:Value></stix:STIX_Package>",
			   VG_INTEL_STIX, &g),
		     VG_OK);
	ENTRY(&g, 0, DOM, "x.example", 1);
	got_free(&g);
}

/* ---- detection and names ------------------------------------------------------------ */

Test(intel_detect, every_format_from_content)
{
	static const struct {
		const char *text;
		enum vg_intel_format f;
	} cases[] = {
		{"192.0.2.1\n192.0.2.0/24\nexample.com\n", VG_INTEL_TXT},
		{"# comment\n1.2.3.4 # a # b # c\n", VG_INTEL_TXT},
		{"", VG_INTEL_TXT},
		{"[2001:db8::1]\n", VG_INTEL_TXT},
		{"{\"type\": \"bundle\", \"objects\": []}", VG_INTEL_STIX},
		{"\xef\xbb\xbf  \n[ {\"type\":\"ipv4-addr\",\"value\":\"1.2.3.4\"} ]", VG_INTEL_STIX},
		{"<?xml version=\"1.0\"?><stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\"/>", VG_INTEL_STIX},
		{"Indicator type, Indicator, Description\nIPv4, 1.2.3.4, x\n", VG_INTEL_OTX_CSV},
		{"\xef\xbb\xbf\"Indicator type\",\"Indicator\",\"Description\"\r\n", VG_INTEL_OTX_CSV},
		{"FileHash-MD5,d41d8cd98f00b204e9800998ecf8427e,\nIPv4,1.2.3.4,\n", VG_INTEL_OTX_CSV},
		{"198.51.100.1#4#2#Malicious Host#US##0.0,0.0#3\n", VG_INTEL_ALIEN_VAULT},
		{"# rep\nwww.example.com#4#2#Malicious Host#PL##52.2,21.0#3\n", VG_INTEL_ALIEN_VAULT},
		{"ip, category, score, first_seen, last_seen, ports (|)\n", VG_INTEL_PROOF_POINT},
		{"domain,category,score\nexample.com,1,50\n", VG_INTEL_PROOF_POINT},
		{"192.0.2.1,9,40\n", VG_INTEL_PROOF_POINT},
		{"fileMd5,fileName,title,networkIdentifier,ip,domain,url,malwareFamily,actor,actorId\n", VG_INTEL_FIRE_EYE},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const char *why = NULL;
		enum vg_intel_format f = vg_intel_detect_why(cases[i].text, strlen(cases[i].text), &why);
		cr_expect_eq(f, cases[i].f, "case %zu: got %s (%s), want %s", i, vg_intel_format_name(f), why,
			     vg_intel_format_name(cases[i].f));
		cr_expect_not_null(why);
		cr_expect_eq(vg_intel_detect(cases[i].text, strlen(cases[i].text)), f);
	}
	cr_expect_eq(vg_intel_detect(fe_example, strlen(fe_example)), VG_INTEL_FIRE_EYE);
	cr_expect_eq(vg_intel_detect(strchr(fe_example, '\n') + 1, strlen(strchr(fe_example, '\n') + 1)),
		     VG_INTEL_FIRE_EYE);
	cr_expect_eq(vg_intel_detect(stix1_indicators, strlen(stix1_indicators)), VG_INTEL_STIX);
	cr_expect_eq(vg_intel_detect(NULL, 0), VG_INTEL_TXT);
}

Test(intel_detect, auto_parse_matches_forced)
{
	const char *samples[] = {
		"1.2.3.4\nexample.com\n",
		"Indicator type,Indicator,Description\nIPv4,1.2.3.4,x\ndomain,example.com,y\n",
		"1.2.3.4#4#2#Malicious Host#US##0.0,0.0#3\nexample.com#4#2#Malicious Host#US##0.0,0.0#3\n",
		"ip,category,score\n1.2.3.4,1,100\n",
		"{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\"}]}",
		fe_example,
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(samples); i++) {
		struct got a = {0}, b = {0};
		enum vg_intel_format f = vg_intel_detect(samples[i], strlen(samples[i]));
		cr_assert_eq(parse(samples[i], VG_INTEL_AUTO, &a), VG_OK);
		cr_assert_eq(parse(samples[i], f, &b), VG_OK);
		cr_expect_eq(a.n, b.n);
		cr_expect_gt(a.n, 0, "sample %zu (%s)", i, vg_intel_format_name(f));
		cr_expect_eq(a.nb, 0, "sample %zu", i);
		got_free(&a);
		got_free(&b);
	}
}

Test(intel_names, guardduty_names_round_trip)
{
	static const enum vg_intel_format all[] = {VG_INTEL_TXT,         VG_INTEL_STIX,        VG_INTEL_OTX_CSV,
						   VG_INTEL_ALIEN_VAULT, VG_INTEL_PROOF_POINT, VG_INTEL_FIRE_EYE};
	static const char *const names[] = {"TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"};
	for (size_t i = 0; i < VG_ARRAY_LEN(all); i++) {
		enum vg_intel_format f = VG_INTEL_AUTO;
		cr_expect_str_eq(vg_intel_format_name(all[i]), names[i]);
		cr_expect_eq(vg_intel_format_parse(names[i], &f), VG_OK);
		cr_expect_eq(f, all[i]);
	}
	static const struct {
		const char *name;
		enum vg_intel_format f;
	} aliases[] = {
		{"txt", VG_INTEL_TXT},          {"Stix", VG_INTEL_STIX},           {"otx-csv", VG_INTEL_OTX_CSV},
		{"otx", VG_INTEL_OTX_CSV},      {"alienvault", VG_INTEL_ALIEN_VAULT}, {"proof_point", VG_INTEL_PROOF_POINT},
		{"ProofPoint", VG_INTEL_PROOF_POINT}, {"fire-eye", VG_INTEL_FIRE_EYE}, {"AUTO", VG_INTEL_AUTO},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(aliases); i++) {
		enum vg_intel_format f = VG_INTEL_TXT;
		cr_expect_eq(vg_intel_format_parse(aliases[i].name, &f), VG_OK, "%s", aliases[i].name);
		cr_expect_eq(f, aliases[i].f, "%s", aliases[i].name);
	}
	enum vg_intel_format f;
	cr_expect_eq(vg_intel_format_parse("csv", &f), VG_EINVAL);
	cr_expect_eq(vg_intel_format_parse("", &f), VG_EINVAL);
	cr_expect_eq(vg_intel_format_parse("a-very-long-format-name-indeed", &f), VG_EINVAL);
	cr_expect_eq(vg_intel_format_parse(NULL, &f), VG_EINVAL);
	cr_expect_str_eq(vg_intel_format_name(VG_INTEL_AUTO), "AUTO");
	cr_expect_str_eq(vg_intel_format_name((enum vg_intel_format)99), "UNKNOWN");
}

/* ---- allocation failures -------------------------------------------------------------- */

/* Failing each allocation in turn: the parse returns VG_ENOMEM or, when
 * the failure came too late to matter, the full result; nothing leaks
 * (LeakSanitizer checks at exit). */
Test(intel_alloc, every_allocation_fails_cleanly)
{
	char u16[256];
	size_t u16n = to_utf16("10.0.0.1\nexample.com\n", true, u16);
	struct {
		const char *text;
		size_t len;
		enum vg_intel_format f;
	} cases[] = {
		{"Indicator type,Indicator,Description\nIPv4,1.2.3.4,\"a \"\"quoted\"\" one\"\n"
		 "domain,\"ex\"\"ample.com\",x\nURL,http://a.example/,\"b\"\n",
		 0, VG_INTEL_OTX_CSV},
		{"{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value IN "
		 "('10.0.0.1','10.0.0.2','10.0.0.3','10.0.0.4','10.0.0.5','10.0.0.6','10.0.0.7','10.0.0.8','10.0.0.9',"
		 "'10.0.0.10','10.0.0.11','10.0.0.12','10.0.0.13','10.0.0.14','10.0.0.15','10.0.0.16','10.0.0.17')]\"}]}",
		 0, VG_INTEL_STIX},
		{"<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\"><DomainNameObj:Value>a.<!-- c -->example"
		 "</DomainNameObj:Value></stix:STIX_Package>",
		 0, VG_INTEL_STIX},
		{u16, u16n, VG_INTEL_AUTO},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		struct got ref = {0};
		cr_assert_eq(parse_n(cases[i].text, len, cases[i].f, &ref), VG_OK, "case %zu", i);
		cr_assert_gt(ref.n, 0, "case %zu", i);
		bool reached_end = false;
		for (long n = 1; n < 200 && !reached_end; n++) {
			struct got g = {0};
			vg_alloc_fail_after(n);
			int rc = parse_n(cases[i].text, len, cases[i].f, &g);
			vg_alloc_fail_after(0);
			cr_assert(rc == VG_OK || rc == VG_ENOMEM, "case %zu, failing allocation %ld: rc %d", i, n, rc);
			if (rc == VG_OK) {
				cr_expect_eq(g.n, ref.n, "case %zu, failing allocation %ld", i, n);
				reached_end = true;
			}
			got_free(&g);
		}
		cr_expect(reached_end, "case %zu: still failing after 200 allocations", i);
		got_free(&ref);
	}
}

/* ---- real lists in ../shared/data ------------------------------------------------------ */

/* An independent count over a one-entry-per-line list: lines that are not
 * blank or '#' comments, and of those the ones made only of characters an
 * address or host name may hold (no ':' port, no non-ASCII). */
static void count_lines(const char *p, size_t n, size_t *lines, size_t *plain, size_t *v6)
{
	*lines = *plain = *v6 = 0;
	const char *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (e > p && (e[-1] == '\r' || e[-1] == ' '))
			e--;
		if (e > p && *p != '#') {
			bool ok = true, colon = false;
			for (const char *q = p; q < e; q++) {
				unsigned char c = (unsigned char)*q;
				colon |= c == ':';
				if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
				      c == '-' || c == '_' || c == '*'))
					ok = false;
			}
			(*lines)++;
			if (ok)
				(*plain)++;
			if (colon && !ok) {
				/* an IPv6 address: hex digits and colons only */
				bool hex = true;
				for (const char *q = p; q < e; q++)
					hex &= (*q == ':' || (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'));
				if (hex) {
					(*v6)++;
					(*plain)++;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
}

static void check_list(const char *rel, enum vg_intel_kind kind, size_t want_lines)
{
	const char *path = shared(rel);
	if (!path)
		cr_skip_test("../shared/data/%s not found (set VIGIL_SHARED_DATA)", rel);
	struct vg_input in;
	cr_assert_eq(vg_input_read(path, (size_t)1 << 26, 0, &in), VG_OK, "%s", path);
	size_t lines, plain, v6;
	count_lines(in.data, in.len, &lines, &plain, &v6);
	cr_expect_eq(lines, want_lines, "%s: %zu list lines (SOURCE.md says %zu)", rel, lines, want_lines);
	struct got g = {0};
	cr_assert_eq(vg_intel_detect(in.data, in.len), VG_INTEL_TXT, "%s", rel);
	struct vg_intel_sink sink = {on_entry, on_bad, &g};
	cr_assert_eq(vg_intel_parse(in.data, in.len, VG_INTEL_AUTO, &sink), VG_OK);
	cr_expect_eq(g.n, plain, "%s: %zu entries, %zu lines of plain characters", rel, g.n, plain);
	cr_expect_eq(g.n + g.nb, lines, "%s: entries + bad = list lines", rel);
	size_t ips = 0, upper = 0;
	for (size_t i = 0; i < g.n; i++) {
		ips += g.e[i].kind == VG_INTEL_IP;
		for (const char *c = g.e[i].value; *c; c++)
			upper += (g.e[i].kind == VG_INTEL_DOMAIN && *c >= 'A' && *c <= 'Z');
	}
	cr_expect_eq(upper, 0, "domains are folded to lower case");
	if (kind == VG_INTEL_IP)
		cr_expect_eq(ips, g.n, "%s: every entry is an address", rel);
	else
		cr_expect_eq(ips, 0, "%s: every entry is a domain", rel);
	if (g.nb)
		fprintf(stderr, "%s: %zu entries, %zu malformed lines skipped (e.g. line %llu: %s)\n", rel, g.n, g.nb,
			(unsigned long long)g.b[0].line, g.b[0].why);
	got_free(&g);
	vg_input_free(&in);
}

Test(intel_shared, tor_exit_nodes) { check_list("tor-exit-nodes/tor-exit-nodes.lst", VG_INTEL_IP, 1746); }
Test(intel_shared, tor_all_nodes) { check_list("tor-exit-nodes/tor-nodes.lst", VG_INTEL_IP, 8054); }
Test(intel_shared, mining_server_ips) { check_list("crypto-mining-pools/MiningServerIPList.txt", VG_INTEL_IP, 1026); }
Test(intel_shared, mining_pool_domains) { check_list("crypto-mining-pools/list.txt", VG_INTEL_DOMAIN, 5837); }
Test(intel_shared, browser_mining_domains) { check_list("crypto-mining-pools/list_browser.txt", VG_INTEL_DOMAIN, 1705); }
/* 297 lines, one of them blank. */
Test(intel_shared, optional_mining_domains) { check_list("crypto-mining-pools/list_optional.txt", VG_INTEL_DOMAIN, 296); }

Test(intel_shared, tor_exit_ipv6_and_formats)
{
	const char *path = shared("tor-exit-nodes/tor-exit-nodes.lst");
	if (!path)
		cr_skip_test("../shared/data/tor-exit-nodes not found (set VIGIL_SHARED_DATA)");
	struct vg_input in;
	cr_assert_eq(vg_input_read(path, (size_t)1 << 26, 0, &in), VG_OK);
	struct got g = {0};
	struct vg_intel_sink sink = {on_entry, on_bad, &g};
	cr_assert_eq(vg_intel_parse(in.data, in.len, VG_INTEL_TXT, &sink), VG_OK);
	size_t v6 = 0;
	for (size_t i = 0; i < g.n; i++)
		v6 += strchr(g.e[i].value, ':') != NULL;
	cr_expect_eq(v6, 619, "SOURCE.md: 619 IPv6 exits");
	cr_expect_eq(g.n - v6, 1127, "SOURCE.md: 1,127 IPv4 exits");
	got_free(&g);
	vg_input_free(&in);
}
