/*
 * test_intel.c -- threat and trusted lists loaded into look-up tables
 * (enrich/intel.h): list specs, categories, formats, look-ups, evidence.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vg.h"
#include "enrich/intel.h"

static char dir[] = "/tmp/vigil-intel-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static void teardown(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* write -- a file in the test folder; returns its path (static buffer). */
static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

struct bad_lines {
	int n;
	uint64_t line[8];
};

static void on_bad(void *ctx, const char *path, uint64_t line, const char *why)
{
	struct bad_lines *b = ctx;
	cr_assert_not_null(strstr(path, dir), "the path names the file");
	cr_assert(why && *why);
	if (b->n < 8)
		b->line[b->n] = line;
	b->n++;
}

static struct vg_ip ip(const char *s)
{
	struct vg_ip a;
	cr_assert_eq(vg_ip_parse(vg_str_c(s), &a), VG_OK, "%s", s);
	return a;
}

static struct vg_intel *load1(const char *spec, bool trusted, struct bad_lines *bad)
{
	struct vg_intel *in;
	const char *why = NULL;
	cr_assert_eq(vg_intel_new(&in), VG_OK);
	cr_assert_eq(vg_intel_load(in, spec, trusted, VG_INTEL_AUTO, on_bad, bad, &why), VG_OK, "load %s: %s", spec,
		     why ? why : "?");
	cr_assert_eq(vg_intel_build(in), VG_OK);
	return in;
}

TestSuite(intel, .init = setup, .fini = teardown);

Test(intel, spec_gives_name_category_and_path)
{
	const char *path = write_file("exits.txt", "# tor\n185.220.101.1\n2a0b:f4c2:2::1\n");
	char spec[300];
	snprintf(spec, sizeof(spec), "tor-exits=tor:%s", path);
	struct bad_lines bad = {0};
	struct vg_intel *in = load1(spec, false, &bad);
	cr_assert_eq(vg_intel_list_count(in), 1);
	const struct vg_intel_list *l = vg_intel_list_at(in, 0);
	cr_expect_str_eq(l->name, "tor-exits");
	cr_expect_str_eq(l->path, path);
	cr_expect_eq(l->category, VG_CAT_TOR);
	cr_expect_eq(l->format, VG_INTEL_TXT);
	cr_expect_eq(l->entries, 2);
	cr_expect_eq(l->bad, 0);
	cr_expect_eq(strlen(l->sha256), 64);

	struct vg_intel_hit hit;
	struct vg_ip a = ip("185.220.101.1"), b = ip("2a0b:f4c2:2::1"), c = ip("185.220.101.2");
	cr_expect(vg_intel_ip(in, &a, &hit));
	cr_expect_eq(hit.list, l);
	cr_expect(vg_intel_ip(in, &b, &hit));
	cr_expect_not(vg_intel_ip(in, &c, &hit));
	vg_intel_free(in);
}

Test(intel, defaults_to_custom_named_after_the_file)
{
	const char *path = write_file("partner.txt", "45.83.64.0/24\nevil.example\n");
	struct bad_lines bad = {0};
	struct vg_intel *in = load1(path, false, &bad);
	const struct vg_intel_list *l = vg_intel_list_at(in, 0);
	cr_expect_str_eq(l->name, "partner.txt");
	cr_expect_eq(l->category, VG_CAT_CUSTOM);
	struct vg_intel_hit hit;
	struct vg_ip a = ip("45.83.64.200");
	cr_expect(vg_intel_ip(in, &a, &hit), "CIDR entries cover their network");
	cr_expect(vg_intel_domain(in, vg_str_c("c2.evil.example"), &hit), "domains cover their subdomains");
	cr_expect_not(vg_intel_domain(in, vg_str_c("notevil.example"), &hit));
	vg_intel_free(in);
}

Test(intel, an_unknown_category_prefix_is_part_of_the_path)
{
	/* "weird:" is no category, so the whole argument is the path. */
	const char *path = write_file("weird:name.txt", "8.8.8.8\n");
	struct bad_lines bad = {0};
	struct vg_intel *in = load1(path, false, &bad);
	cr_expect_eq(vg_intel_list_at(in, 0)->category, VG_CAT_CUSTOM);
	cr_expect_str_eq(vg_intel_list_at(in, 0)->name, "weird:name.txt");
	vg_intel_free(in);
}

Test(intel, trusted_lists_take_no_category)
{
	const char *path = write_file("office.txt", "81.2.69.0/24\n");
	char spec[300];
	snprintf(spec, sizeof(spec), "office=%s", path);
	struct bad_lines bad = {0};
	struct vg_intel *in = load1(spec, true, &bad);
	cr_expect_eq(vg_intel_list_at(in, 0)->category, VG_CAT_TRUSTED);
	cr_expect_str_eq(vg_intel_list_at(in, 0)->name, "office");
	vg_intel_free(in);
}

Test(intel, threat_names_come_from_the_format)
{
	const char *path = write_file("feed.json",
				      "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
				      "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"name\":\"Red team C2\","
				      "\"pattern\":\"[ipv4-addr:value = '45.83.64.10']\",\"pattern_type\":\"stix\"},"
				      "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"name\":\"Phish kit\","
				      "\"pattern\":\"[domain-name:value = 'login-example.com']\",\"pattern_type\":\"stix\"}]}");
	struct bad_lines bad = {0};
	struct vg_intel *in = load1(path, false, &bad);
	struct vg_intel_hit hit;
	struct vg_ip a = ip("45.83.64.10");
	cr_assert(vg_intel_ip(in, &a, &hit));
	cr_expect(vg_str_eqc(hit.threat_name, "Red team C2"));
	cr_assert(vg_intel_domain(in, vg_str_c("LOGIN-example.com."), &hit));
	cr_expect(vg_str_eqc(hit.threat_name, "Phish kit"));
	cr_expect_eq(vg_intel_list_at(in, 0)->format, VG_INTEL_STIX);
	vg_intel_free(in);
}

Test(intel, malformed_lines_are_reported_and_skipped)
{
	const char *path = write_file("mixed.txt", "1.2.3.4\nnot an address!\n5.6.7.0/33\n9.9.9.9\n");
	struct bad_lines bad = {0};
	struct vg_intel *in = load1(path, false, &bad);
	const struct vg_intel_list *l = vg_intel_list_at(in, 0);
	cr_expect_eq(l->entries, 2);
	cr_expect_eq(l->bad, 2);
	cr_expect_eq(bad.n, 2);
	cr_expect_eq(bad.line[0], 2);
	cr_expect_eq(bad.line[1], 3);
	struct vg_intel_hit hit;
	struct vg_ip a = ip("9.9.9.9");
	cr_expect(vg_intel_ip(in, &a, &hit), "lines after a bad one still load");
	vg_intel_free(in);
}

Test(intel, several_lists_keep_their_own_names)
{
	const char *a = write_file("a.txt", "1.1.1.1\n");
	char spec_a[300], spec_b[300];
	snprintf(spec_a, sizeof(spec_a), "mining:%s", a);
	const char *b = write_file("b.txt", "2.2.2.2\n");
	snprintf(spec_b, sizeof(spec_b), "c2:%s", b);
	struct vg_intel *in;
	const char *why;
	cr_assert_eq(vg_intel_new(&in), VG_OK);
	cr_assert_eq(vg_intel_load(in, spec_a, false, VG_INTEL_AUTO, NULL, NULL, &why), VG_OK);
	cr_assert_eq(vg_intel_load(in, spec_b, false, VG_INTEL_AUTO, NULL, NULL, &why), VG_OK);
	cr_assert_eq(vg_intel_build(in), VG_OK);
	struct vg_intel_hit hit;
	struct vg_ip x = ip("2.2.2.2");
	cr_assert(vg_intel_ip(in, &x, &hit));
	cr_expect_str_eq(hit.list->name, "b.txt");
	cr_expect_eq(hit.list->category, VG_CAT_C2);
	vg_intel_free(in);
}

/* A young list gives domain age, not threats: its names are found by
 * vg_intel_young only, a name on it and on a threat list still matches the
 * threat list, and addresses in it are bad lines. */
Test(intel, young_lists_live_apart_from_threat_lists)
{
	char spec_y[300], spec_c[300];
	snprintf(spec_y, sizeof(spec_y), "nrd=young:%s", write_file("nrd.txt", "fresh.example\nboth.example\n10.1.2.3\n"));
	snprintf(spec_c, sizeof(spec_c), "c2:%s", write_file("c2.txt", "both.example\n"));
	struct vg_intel *in;
	const char *why;
	struct bad_lines bad = {0};
	cr_assert_eq(vg_intel_new(&in), VG_OK);
	cr_assert_eq(vg_intel_load(in, spec_y, false, VG_INTEL_AUTO, on_bad, &bad, &why), VG_OK);
	cr_assert_eq(vg_intel_load(in, spec_c, false, VG_INTEL_AUTO, on_bad, &bad, &why), VG_OK);
	cr_assert_eq(vg_intel_build(in), VG_OK);
	const struct vg_intel_list *y = vg_intel_list_at(in, 0);
	cr_expect_eq(y->category, VG_CAT_YOUNG);
	cr_expect_eq(y->entries, 2);
	cr_expect_eq(y->bad, 1);
	cr_expect_eq(bad.n, 1);
	cr_expect_eq(bad.line[0], 3, "the address is the bad line");

	struct vg_intel_hit hit;
	cr_expect(vg_intel_young(in, vg_str_c("www.fresh.example."), &hit), "subdomains of a young domain are young");
	cr_expect_str_eq(hit.list->name, "nrd");
	cr_expect_not(vg_intel_domain(in, vg_str_c("fresh.example"), &hit), "a young domain is no threat");
	cr_assert(vg_intel_domain(in, vg_str_c("both.example"), &hit));
	cr_expect_eq(hit.list->category, VG_CAT_C2, "the threat list still matches");
	cr_expect(vg_intel_young(in, vg_str_c("both.example"), &hit));
	cr_expect_not(vg_intel_young(in, vg_str_c("other.example"), &hit));
	struct vg_ip a = ip("10.1.2.3");
	cr_expect_not(vg_intel_ip(in, &a, &hit));
	vg_intel_free(in);
}

Test(intel, missing_file_is_an_error_with_a_reason)
{
	struct vg_intel *in;
	const char *why = NULL;
	cr_assert_eq(vg_intel_new(&in), VG_OK);
	cr_expect_eq(vg_intel_load(in, "tor:/nonexistent/list.txt", false, VG_INTEL_AUTO, NULL, NULL, &why), VG_ENOENT);
	cr_expect_not_null(why);
	cr_expect_eq(vg_intel_load(in, "tor:", false, VG_INTEL_AUTO, NULL, NULL, &why), VG_EINVAL);
	vg_intel_free(in);
}

Test(intel, category_names_round_trip)
{
	static const char *const names[] = {"tor", "mining", "c2", "malware", "phishing",
					    "blackhole", "droppoint", "scanner", "dga", "young", "custom"};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		enum vg_intel_category c;
		cr_assert_eq(vg_intel_category_parse(vg_str_c(names[i]), &c), VG_OK, "%s", names[i]);
		cr_expect_str_eq(vg_intel_category_name(c), names[i]);
	}
	enum vg_intel_category c;
	cr_expect_eq(vg_intel_category_parse(vg_str_c("trusted"), &c), VG_EINVAL, "trusted has its own option");
	cr_expect_eq(vg_intel_category_parse(vg_str_c("Tor"), &c), VG_EINVAL);
}
