/*
 * test_geo.c -- geo/ASN enrichment (enrich/geo.h) against small MaxMind DB
 * files that tests/fixtures/geo/make-test-mmdb.pl writes at the start of
 * the run: the GeoLite2-City, GeoLite2-ASN and GeoIP2-ISP layouts and the
 * flat @ip-location-db ones, plus files that are missing, corrupt or of the
 * wrong kind.  The JSON members are parsed back with the decode stage's
 * parser to check their shape and types.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vg.h"
#include "core/buf.h"
#include "core/ip.h"
#include "core/str.h"
#include "decode/json.h"
#include "enrich/geo.h"

/* ---- fixtures ----------------------------------------------------------- */

/* The databases are written once, by the runner process before any test
 * starts, into a fresh temporary folder whose name reaches the test
 * processes through this variable; the folder goes when the run ends. */
#define DIR_ENV "VG_TEST_GEO_DIR"
#define SCRIPT "tests/fixtures/geo/make-test-mmdb.pl"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Bytes that are no MaxMind DB: a fixed xorshift sequence, so a failure
 * reproduces. */
static void write_noise(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		fputc((int)(x & 0xff), f);
	}
	fclose(f);
}

/* Copy from to to, keeping the first keep bytes (all when keep is 0) and,
 * when scramble is set, overwriting the first scramble bytes (the search
 * tree) with noise while the metadata at the end stays whole. */
static void copy_damaged(const char *from, const char *to, long keep, long scramble)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	if (!in || !out)
		goto done;
	uint32_t x = 88172645u;
	long i = 0;
	for (int c; (c = fgetc(in)) != EOF && (keep == 0 || i < keep); i++) {
		if (i < scramble) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			c = (int)(x & 0xff);
		}
		fputc(c, out);
	}
done:
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	(void)set;
	char tmpl[] = "/tmp/vigil-geo-XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("test_geo: mkdtemp");
		return;
	}
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "perl %s %s >/dev/null", SCRIPT, tmpl);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_geo: %s failed; it needs MaxMind::DB::Writer::Tree "
				"(Debian: libmaxmind-db-writer-perl) and the repository root as the "
				"working folder\n",
			SCRIPT);
		nftw(tmpl, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		return;
	}
	char a[600], b[600];
	snprintf(a, sizeof(a), "%s/noise.mmdb", tmpl);
	write_noise(a, 4096);
	snprintf(a, sizeof(a), "%s/test-city.mmdb", tmpl);
	snprintf(b, sizeof(b), "%s/truncated.mmdb", tmpl);
	copy_damaged(a, b, 200, 0);
	snprintf(b, sizeof(b), "%s/bad-tree.mmdb", tmpl);
	copy_damaged(a, b, 0, 600);
	snprintf(b, sizeof(b), "%s/empty.mmdb", tmpl);
	FILE *f = fopen(b, "wb");
	if (f)
		fclose(f);
	setenv(DIR_ENV, tmpl, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	(void)stats;
	const char *dir = getenv(DIR_ENV);
	if (dir && strncmp(dir, "/tmp/vigil-geo-", 15) == 0)
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* The path of a file in the fixture folder, in one of eight static slots
 * used in turn, so up to eight paths can be held at once. */
static const char *F(const char *name)
{
	static char slots[8][600];
	static int next;
	const char *dir = getenv(DIR_ENV);
	cr_assert_not_null(dir, "the fixture databases were not made (see the runner's messages)");
	char *s = slots[next++ % 8];
	snprintf(s, sizeof(slots[0]), "%s/%s", dir, name);
	return s;
}

/* A list of fixture files joined with commas (static). */
static const char *LIST2(const char *x, const char *y)
{
	static char s[1300];
	snprintf(s, sizeof(s), "%s,%s", F(x), F(y));
	return s;
}

static struct vg_geo *open_ok(const char *city, const char *asn)
{
	struct vg_geo *g = NULL;
	char why[512];
	int rc = vg_geo_open(&g, city, asn, why, sizeof(why));
	cr_assert_eq(rc, VG_OK, "open failed (%d): %s", rc, why);
	cr_assert_not_null(g);
	return g;
}

/* The standard pair: GeoLite2-City and GeoLite2-ASN layouts. */
static struct vg_geo *open_std(void) { return open_ok(F("test-city.mmdb"), F("test-asn.mmdb")); }

static struct vg_ip IP(const char *s)
{
	struct vg_ip ip;
	cr_assert_eq(vg_ip_parse(vg_str_c(s), &ip), VG_OK, "\"%s\" should parse", s);
	return ip;
}

static bool lookup(const struct vg_geo *g, const char *ip, struct vg_geo_info *info)
{
	struct vg_ip a = IP(ip);
	return vg_geo_lookup(g, &a, info);
}

#define assert_view(view, expect)                                                                      \
	do {                                                                                           \
		struct vg_str v_ = (view);                                                             \
		cr_assert(vg_str_eqc(v_, (expect)), "%s is \"%.*s\", want \"%s\"", #view, (int)v_.n, \
			  v_.p ? v_.p : "", (expect));                                                 \
	} while (0)
#define assert_none(view) cr_assert_eq((view).n, 0, "%s should be unknown, is \"%.*s\"", #view, (int)(view).n, (view).p)
#define assert_near(x, want) cr_assert(fabs((x) - (want)) < 1e-4, "%s is %.6f, want %.6f", #x, (x), (want))

/* Every member of info empty. */
static void assert_empty(const struct vg_geo_info *i)
{
	assert_none(i->country_code);
	assert_none(i->country_name);
	assert_none(i->city_name);
	assert_none(i->isp);
	assert_none(i->org);
	assert_none(i->asn_org);
	cr_assert_not(i->has_location);
	cr_assert_eq(i->lat, 0.0);
	cr_assert_eq(i->lon, 0.0);
	cr_assert_eq(i->asn, 0);
}

/* Open with an expected failure; returns the message. */
static const char *open_fails(const char *city, const char *asn, int want)
{
	static char why[512];
	struct vg_geo *g = (struct vg_geo *)&why; /* must be reset to NULL */
	memset(why, 'X', sizeof(why));
	int rc = vg_geo_open(&g, city, asn, why, sizeof(why));
	cr_assert_eq(rc, want, "open returned %d (%s), want %d", rc, vg_strerror(rc), want);
	cr_assert_null(g);
	cr_assert(memchr(why, '\0', sizeof(why)) != NULL, "message not terminated");
	cr_assert_neq(why[0], '\0', "no message");
	return why;
}

#define assert_has(msg, part) cr_assert(strstr((msg), (part)) != NULL, "message \"%s\" lacks \"%s\"", (msg), (part))

/* ---- lookups: MaxMind layouts ------------------------------------------- */

Test(geo, ipv4_city_and_asn)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	cr_assert(lookup(g, "198.51.100.7", &i));
	assert_view(i.country_code, "PT");
	assert_view(i.country_name, "Portugal");
	assert_view(i.city_name, "Lisbon");
	cr_assert(i.has_location);
	assert_near(i.lat, 38.7167);
	assert_near(i.lon, -9.1333);
	cr_assert_eq(i.asn, 64500);
	assert_view(i.asn_org, "Example Transit");
	assert_none(i.isp); /* GeoLite2-ASN has neither */
	assert_none(i.org);

	cr_assert(lookup(g, "203.0.113.255", &i));
	assert_view(i.city_name, "Sydney");
	assert_view(i.country_code, "AU");
	assert_near(i.lat, -33.8688);
	assert_near(i.lon, 151.2093);
	cr_assert_eq(i.asn, 64501);
	vg_geo_close(g);
}

Test(geo, ipv6_and_more_specific_network)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	cr_assert(lookup(g, "2001:db8::1", &i));
	assert_view(i.city_name, "Berlin");
	assert_view(i.country_code, "DE");
	assert_view(i.country_name, "Germany"); /* names.en, not names.de */
	cr_assert_eq(i.asn, 64502);
	assert_view(i.asn_org, "Example IPv6 Net");
	/* 2001:db8:beef::/48 sits inside 2001:db8::/32 and wins there. */
	cr_assert(lookup(g, "2001:db8:beef::42", &i));
	assert_view(i.city_name, "Tokyo");
	assert_view(i.country_code, "JP");
	cr_assert_eq(i.asn, 64502);
	vg_geo_close(g);
}

Test(geo, ipv4_mapped_ipv6_is_ipv4)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	/* vg_ip_parse marks ::ffff:a.b.c.d as family 4 ... */
	cr_assert(lookup(g, "::ffff:198.51.100.7", &i));
	assert_view(i.city_name, "Lisbon");
	cr_assert_eq(i.asn, 64500);
	/* ... and a hand-made address that says family 6 is treated alike. */
	struct vg_ip ip = IP("198.51.100.7");
	ip.family = 6;
	cr_assert(vg_geo_lookup(g, &ip, &i));
	assert_view(i.city_name, "Lisbon");
	cr_assert_eq(i.asn, 64500);
	vg_geo_close(g);
}

Test(geo, unknown_addresses)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	const char *unknown[] = {"10.0.0.1", "8.8.8.8", "0.0.0.0", "255.255.255.255", "::1", "2001:db9::1", "fe80::1"};
	for (size_t k = 0; k < VG_ARRAY_LEN(unknown); k++) {
		memset(&i, 0xa5, sizeof(i));
		cr_assert_not(lookup(g, unknown[k], &i), "%s should be unknown", unknown[k]);
		assert_empty(&i);
	}
	struct vg_ip none = {0};
	memset(&i, 0xa5, sizeof(i));
	cr_assert_not(vg_geo_lookup(g, &none, &i));
	assert_empty(&i);
	struct vg_ip v4 = IP("198.51.100.7");
	cr_assert_not(vg_geo_lookup(NULL, &v4, &i));
	assert_empty(&i);
	vg_geo_close(g);
}

Test(geo, registered_country_when_no_country)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	cr_assert(lookup(g, "192.0.2.1", &i)); /* in the city database only */
	assert_view(i.country_code, "US");
	assert_view(i.country_name, "United States");
	assert_none(i.city_name);
	cr_assert_not(i.has_location);
	cr_assert_eq(i.asn, 0);
	assert_none(i.asn_org);
	vg_geo_close(g);
}

Test(geo, missing_names_and_builtin_country_names)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	cr_assert(lookup(g, "192.0.2.200", &i));
	assert_view(i.country_code, "BR");
	assert_view(i.country_name, "Brazil"); /* no names in the record */
	assert_none(i.city_name);               /* a city named only in Portuguese */
	cr_assert_not(i.has_location);
	vg_geo_close(g);
}

Test(geo, asn_only_address)
{
	struct vg_geo *g = open_std();
	struct vg_geo_info i;
	cr_assert(lookup(g, "198.19.255.255", &i));
	cr_assert_eq(i.asn, 64503);
	assert_view(i.asn_org, "Benchmark Net");
	assert_none(i.country_code);
	assert_none(i.city_name);
	cr_assert_not(i.has_location);
	vg_geo_close(g);
}

Test(geo, one_role_only)
{
	struct vg_geo_info i;
	struct vg_geo *g = open_ok(F("test-city.mmdb"), NULL);
	cr_assert(lookup(g, "198.51.100.7", &i));
	assert_view(i.city_name, "Lisbon");
	cr_assert_eq(i.asn, 0);
	assert_none(i.asn_org);
	cr_assert_not(lookup(g, "198.18.0.1", &i));
	vg_geo_close(g);

	g = open_ok(NULL, F("test-asn.mmdb"));
	cr_assert(lookup(g, "198.51.100.7", &i));
	cr_assert_eq(i.asn, 64500);
	assert_none(i.city_name);
	assert_none(i.country_code);
	cr_assert_not(i.has_location);
	cr_assert_not(lookup(g, "192.0.2.1", &i));
	vg_geo_close(g);
}

Test(geo, isp_layout)
{
	struct vg_geo *g = open_ok(NULL, F("test-isp.mmdb"));
	struct vg_geo_info i;
	cr_assert(lookup(g, "198.51.100.1", &i));
	cr_assert_eq(i.asn, 64500);
	assert_view(i.asn_org, "Example Transit");
	assert_view(i.isp, "Example ISP");
	assert_view(i.org, "Example Org");
	cr_assert(lookup(g, "203.0.113.1", &i));
	cr_assert_eq(i.asn, 0);
	assert_none(i.asn_org);
	assert_view(i.isp, "Example Mobile");
	assert_view(i.org, "Example Mobile Users");
	vg_geo_close(g);
}

/* ---- lookups: @ip-location-db layouts ----------------------------------- */

Test(geo, flat_city_split_by_family)
{
	struct vg_geo_info i;
	const char *orders[2][2] = {{"test-flat-city-ipv4.mmdb", "test-flat-city-ipv6.mmdb"},
				    {"test-flat-city-ipv6.mmdb", "test-flat-city-ipv4.mmdb"}};
	for (int k = 0; k < 2; k++) {
		struct vg_geo *g = open_ok(LIST2(orders[k][0], orders[k][1]), F("test-asn.mmdb"));
		cr_assert(lookup(g, "198.51.100.7", &i));
		assert_view(i.country_code, "PT");
		assert_view(i.country_name, "Portugal"); /* from the built-in table */
		assert_view(i.city_name, "Lisbon");
		cr_assert(i.has_location);
		assert_near(i.lat, 38.7167); /* stored as a 32-bit float */
		assert_near(i.lon, -9.1333);
		cr_assert_eq(i.asn, 64500);

		cr_assert(lookup(g, "2001:db8::1", &i));
		assert_view(i.country_code, "DE");
		assert_view(i.country_name, "Germany");
		assert_view(i.city_name, "Berlin");
		assert_near(i.lat, 52.5244);

		cr_assert(lookup(g, "::ffff:192.0.2.9", &i));
		assert_view(i.country_code, "NL");
		assert_view(i.country_name, "Netherlands");
		assert_none(i.city_name); /* "" in the record */
		cr_assert(i.has_location);
		assert_near(i.lon, 4.8995);

		cr_assert_not(lookup(g, "2001:db9::1", &i));
		vg_geo_close(g);
	}
}

Test(geo, ipv4_only_database_and_ipv6_address)
{
	struct vg_geo *g = open_ok(F("test-flat-city-ipv4.mmdb"), NULL);
	struct vg_geo_info i;
	cr_assert_not(lookup(g, "2001:db8::1", &i));
	assert_empty(&i);
	cr_assert(lookup(g, "198.51.100.7", &i));
	vg_geo_close(g);
}

Test(geo, flat_country_only)
{
	struct vg_geo *g = open_ok(F("test-flat-country.mmdb"), NULL);
	struct vg_geo_info i;
	cr_assert(lookup(g, "198.51.100.7", &i));
	assert_view(i.country_code, "PT");
	assert_view(i.country_name, "Portugal");
	assert_none(i.city_name);
	cr_assert_not(i.has_location);
	cr_assert(lookup(g, "2001:db8::1", &i));
	assert_view(i.country_code, "DE");
	/* A code no country has keeps its code and gets no name. */
	cr_assert(lookup(g, "203.0.113.1", &i));
	assert_view(i.country_code, "ZZ");
	assert_none(i.country_name);
	vg_geo_close(g);
}

/* ---- opening failures --------------------------------------------------- */

Test(geo, missing_file_is_named)
{
	const char *missing = F("no-such.mmdb");
	const char *why = open_fails(missing, NULL, VG_ENOENT);
	assert_has(why, missing);
	assert_has(why, "No such file");
	why = open_fails(F("test-city.mmdb"), missing, VG_ENOENT);
	assert_has(why, missing);
	why = open_fails("/nonexistent-dir/x.mmdb", NULL, VG_ENOENT);
	assert_has(why, "/nonexistent-dir/x.mmdb");
	/* The second file of a list: the message names that one. */
	why = open_fails(LIST2("test-flat-city-ipv4.mmdb", "no-such.mmdb"), NULL, VG_ENOENT);
	assert_has(why, missing);
	cr_assert_null(strstr(why, ","), "message \"%s\" should name one file", why);
}

Test(geo, corrupt_files_are_refused)
{
	const char *files[] = {"noise.mmdb", "truncated.mmdb", "empty.mmdb"};
	for (size_t k = 0; k < VG_ARRAY_LEN(files); k++) {
		const char *path = F(files[k]);
		const char *why = open_fails(path, NULL, VG_EFORMAT);
		assert_has(why, path);
		assert_has(why, "not a MaxMind DB");
		why = open_fails(NULL, path, VG_EFORMAT);
		assert_has(why, path);
	}
	/* A file that is no database at all, and a folder. */
	cr_assert_str_neq(open_fails(SCRIPT, NULL, VG_EFORMAT), "");
	assert_has(open_fails(getenv(DIR_ENV), NULL, VG_EINVAL), "directory");
}

Test(geo, damaged_search_tree_never_crashes)
{
	/* The metadata is whole, so the file opens; lookups walk a scrambled
	 * tree and must end cleanly (ASan/UBSan watch), known or not. */
	struct vg_geo *g = NULL;
	char why[512];
	int rc = vg_geo_open(&g, F("bad-tree.mmdb"), NULL, why, sizeof(why));
	if (rc != VG_OK) {
		cr_assert_eq(rc, VG_EFORMAT, "%s", why);
		return;
	}
	struct vg_geo_info i;
	for (unsigned k = 0; k < 4096; k++) {
		struct vg_ip ip = IP("0.0.0.0");
		ip.b[12] = (uint8_t)(k * 37), ip.b[13] = (uint8_t)(k >> 3), ip.b[14] = (uint8_t)k, ip.b[15] = 1;
		(void)vg_geo_lookup(g, &ip, &i);
		ip = IP("2001:db8::");
		ip.b[4] = (uint8_t)k, ip.b[5] = (uint8_t)(k * 7);
		(void)vg_geo_lookup(g, &ip, &i);
	}
	vg_geo_close(g);
}

Test(geo, wrong_kind_of_database)
{
	const char *why = open_fails(F("test-asn.mmdb"), NULL, VG_EINVAL);
	assert_has(why, "test-asn.mmdb");
	assert_has(why, "GeoLite2-ASN");
	why = open_fails(F("test-isp.mmdb"), NULL, VG_EINVAL);
	assert_has(why, "GeoIP2-ISP");
	why = open_fails(NULL, F("test-city.mmdb"), VG_EINVAL);
	assert_has(why, "GeoLite2-City");
	why = open_fails(NULL, F("test-flat-country.mmdb"), VG_EINVAL);
	assert_has(why, "country ipvAll");
}

Test(geo, bad_arguments)
{
	assert_has(open_fails(NULL, NULL, VG_EINVAL), "no database");
	assert_has(open_fails("", NULL, VG_EINVAL), "empty file name");
	char list[3000];
	snprintf(list, sizeof(list), "%s,", F("test-city.mmdb"));
	assert_has(open_fails(list, NULL, VG_EINVAL), "empty file name");
	const char *c = F("test-city.mmdb");
	snprintf(list, sizeof(list), "%s,%s,%s,%s,%s", c, c, c, c, c);
	assert_has(open_fails(list, NULL, VG_EINVAL), "too many files");
	/* Four is allowed. */
	snprintf(list, sizeof(list), "%s,%s,%s,%s", c, c, c, c);
	struct vg_geo *g = open_ok(list, NULL);
	vg_geo_close(g);
}

Test(geo, message_buffer_optional_and_bounded)
{
	struct vg_geo *g = NULL;
	cr_assert_eq(vg_geo_open(&g, F("no-such.mmdb"), NULL, NULL, 0), VG_ENOENT);
	cr_assert_null(g);
	char small[8];
	memset(small, 'X', sizeof(small));
	cr_assert_eq(vg_geo_open(&g, F("no-such.mmdb"), NULL, small, sizeof(small)), VG_ENOENT);
	cr_assert_eq(strlen(small), sizeof(small) - 1);
	/* Success clears the message. */
	char why[64] = "stale";
	cr_assert_eq(vg_geo_open(&g, F("test-city.mmdb"), NULL, why, sizeof(why)), VG_OK);
	cr_assert_str_eq(why, "");
	vg_geo_close(g);
}

Test(geo, out_of_memory_while_opening)
{
	struct vg_geo *g = NULL;
	char why[256];
	vg_alloc_fail_after(1);
	int rc = vg_geo_open(&g, F("test-city.mmdb"), F("test-asn.mmdb"), why, sizeof(why));
	vg_alloc_fail_after(0);
#ifdef VG_ALLOC_DEBUG
	cr_assert_eq(rc, VG_ENOMEM);
	cr_assert_null(g);
#else
	cr_assert_eq(rc, VG_OK);
	vg_geo_close(g);
#endif
}

Test(geo, close_null_is_harmless) { vg_geo_close(NULL); }

/* ---- JSON --------------------------------------------------------------- */

static struct vg_json_parser *parser;

static void parser_up(void) { cr_assert_eq(vg_json_parser_new(&parser, 1 << 16), VG_OK); }
static void parser_down(void)
{
	vg_json_parser_free(parser);
	parser = NULL;
}

/* The remoteIpDetails object for ip as vigil writes it: the address, then
 * vg_geo_json's members.  text (if not NULL) gets the JSON. */
static struct vg_json details(const struct vg_geo *g, const char *addr, char *text, size_t text_len)
{
	struct vg_ip ip = IP(addr);
	struct vg_geo_info info;
	(void)vg_geo_lookup(g, &ip, &info);
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, ip.family == 6 ? "{\"ipAddressV6\":" : "{\"ipAddressV4\":");
	vg_buf_json_cstr(&b, addr);
	vg_geo_json(&info, &b);
	vg_buf_addc(&b, '}');
	cr_assert_eq(b.failed, 0);
	if (text)
		snprintf(text, text_len, "%s", b.p);
	struct vg_json root;
	const char *why = NULL;
	int rc = vg_json_parse_copy(parser, b.p, b.len, &root, &why);
	cr_assert_eq(rc, VG_OK, "not JSON (%s): %s", why ? why : "?", b.p);
	vg_buf_free(&b);
	return root;
}

static enum vg_json_type type_at(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	return vg_json_path(root, path, &v) ? vg_json_type(&v) : VG_JSON_NONE;
}

static struct vg_str str_at(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	struct vg_str s = VG_STR_NULL;
	cr_assert(vg_json_path(root, path, &v), "%s missing", path);
	cr_assert(vg_json_string(&v, &s), "%s is no string", path);
	return s;
}

static double num_at(const struct vg_json *root, const char *path)
{
	struct vg_json v;
	double d = NAN;
	cr_assert(vg_json_path(root, path, &v), "%s missing", path);
	cr_assert(vg_json_double(&v, &d), "%s is no number", path);
	return d;
}

TestSuite(geo_json, .init = parser_up, .fini = parser_down);

Test(geo_json, full_record_types)
{
	struct vg_geo *g = open_ok(F("test-city.mmdb"), F("test-isp.mmdb"));
	struct vg_json r = details(g, "198.51.100.7", NULL, 0);
	assert_view(str_at(&r, "ipAddressV4"), "198.51.100.7");
	assert_view(str_at(&r, "city.cityName"), "Lisbon");
	assert_view(str_at(&r, "country.countryCode"), "PT");
	assert_view(str_at(&r, "country.countryName"), "Portugal");
	assert_near(num_at(&r, "geoLocation.lat"), 38.7167);
	assert_near(num_at(&r, "geoLocation.lon"), -9.1333);
	/* The GuardDuty model has asn as a string. */
	cr_assert_eq(type_at(&r, "organization.asn"), VG_JSON_STRING);
	assert_view(str_at(&r, "organization.asn"), "64500");
	assert_view(str_at(&r, "organization.asnOrg"), "Example Transit");
	assert_view(str_at(&r, "organization.isp"), "Example ISP");
	assert_view(str_at(&r, "organization.org"), "Example Org");
	cr_assert_eq(vg_json_len(&r), 5);
	vg_geo_close(g);
}

Test(geo_json, exact_text)
{
	struct vg_geo *g = open_std();
	char text[1024];
	(void)details(g, "198.51.100.7", text, sizeof(text));
	cr_assert_str_eq(text, "{\"ipAddressV4\":\"198.51.100.7\",\"city\":{\"cityName\":\"Lisbon\"},"
			       "\"country\":{\"countryCode\":\"PT\",\"countryName\":\"Portugal\"},"
			       "\"geoLocation\":{\"lat\":38.7167,\"lon\":-9.1333},"
			       "\"organization\":{\"asn\":\"64500\",\"asnOrg\":\"Example Transit\"}}");
	(void)details(g, "198.18.0.1", text, sizeof(text));
	cr_assert_str_eq(text, "{\"ipAddressV4\":\"198.18.0.1\","
			       "\"organization\":{\"asn\":\"64503\",\"asnOrg\":\"Benchmark Net\"}}");
	vg_geo_close(g);
}

Test(geo_json, ipv6_and_partial_records)
{
	struct vg_geo *g = open_std();
	struct vg_json r = details(g, "2001:db8::1", NULL, 0);
	assert_view(str_at(&r, "ipAddressV6"), "2001:db8::1");
	assert_view(str_at(&r, "city.cityName"), "Berlin");
	assert_view(str_at(&r, "organization.asn"), "64502");

	/* Country only: no city, geoLocation or organization objects. */
	r = details(g, "192.0.2.1", NULL, 0);
	assert_view(str_at(&r, "country.countryName"), "United States");
	cr_assert_eq(type_at(&r, "city"), VG_JSON_NONE);
	cr_assert_eq(type_at(&r, "geoLocation"), VG_JSON_NONE);
	cr_assert_eq(type_at(&r, "organization"), VG_JSON_NONE);
	vg_geo_close(g);

	/* ISP without an AS number: no asn member. */
	g = open_ok(NULL, F("test-isp.mmdb"));
	r = details(g, "203.0.113.1", NULL, 0);
	cr_assert_eq(type_at(&r, "organization.asn"), VG_JSON_NONE);
	assert_view(str_at(&r, "organization.isp"), "Example Mobile");
	vg_geo_close(g);
}

Test(geo_json, strings_are_escaped)
{
	struct vg_geo *g = open_std();
	struct vg_json r = details(g, "203.0.113.1", NULL, 0);
	assert_view(str_at(&r, "organization.asnOrg"), "Example \"Quoted\" Net\\Works \xe2\x98\x83");
	vg_geo_close(g);
}

Test(geo_json, unknown_address_adds_nothing)
{
	struct vg_geo *g = open_std();
	char text[256];
	struct vg_json r = details(g, "10.1.2.3", text, sizeof(text));
	cr_assert_str_eq(text, "{\"ipAddressV4\":\"10.1.2.3\"}");
	cr_assert_eq(vg_json_len(&r), 1);
	vg_geo_close(g);

	struct vg_geo_info empty = {0};
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_geo_json(&empty, &b);
	cr_assert_eq(b.len, 0);
	vg_buf_free(&b);
}

Test(geo_json, hand_made_info)
{
	/* Values no test database holds: a 32-bit AS number, a location of
	 * 0/0, negative zero and tiny numbers all print as JSON numbers. */
	struct vg_geo_info info = {.asn = 4294967295u, .has_location = true, .lat = 0.0, .lon = -0.0};
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, "{\"ipAddressV4\":\"x\"");
	vg_geo_json(&info, &b);
	vg_buf_adds(&b, "}");
	cr_assert_eq(b.failed, 0);
	cr_assert_str_eq(b.p, "{\"ipAddressV4\":\"x\",\"geoLocation\":{\"lat\":0,\"lon\":-0},"
			      "\"organization\":{\"asn\":\"4294967295\"}}");
	struct vg_json r;
	const char *why;
	cr_assert_eq(vg_json_parse_copy(parser, b.p, b.len, &r, &why), VG_OK);
	info = (struct vg_geo_info){.has_location = true, .lat = 1e-9, .lon = -179.99999};
	vg_buf_reset(&b);
	vg_buf_adds(&b, "{\"ipAddressV4\":\"x\"");
	vg_geo_json(&info, &b);
	vg_buf_adds(&b, "}");
	cr_assert_eq(vg_json_parse_copy(parser, b.p, b.len, &r, &why), VG_OK, "%s", b.p);
	cr_assert_eq(type_at(&r, "geoLocation.lat"), VG_JSON_DOUBLE, "%s", b.p);
	/* A location that is not finite is left out rather than written as
	 * invalid JSON. */
	info = (struct vg_geo_info){.has_location = true, .lat = NAN, .lon = INFINITY};
	vg_buf_reset(&b);
	vg_geo_json(&info, &b);
	cr_assert_eq(b.len, 0);
	vg_buf_free(&b);
}
