/*
 * test_domain.c -- domain-name helpers: normalization, the registrable
 * domain from the Public Suffix List (ICANN and private suffixes, names
 * that are suffixes themselves, unknown suffixes, IDN), the part in front
 * of it, label splitting and entropy.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>

#include "vg.h"
#include "core/str.h"
#include "enrich/domain.h"

#define assert_view(view, expect)                                                                      \
	do {                                                                                           \
		struct vg_str v_ = (view);                                                             \
		cr_assert(vg_str_eqc(v_, (expect)), "%s is \"%.*s\", want \"%s\"", #view, (int)v_.n, \
			  v_.p ? v_.p : "", (expect));                                                 \
	} while (0)

/* ---- normalization ------------------------------------------------------- */

static void norm_ok(const char *in, const char *want)
{
	char out[VG_DOMAIN_NAME_CAP];
	memset(out, 'x', sizeof(out));
	size_t n = vg_domain_normalize(vg_str_c(in), out, sizeof(out));
	cr_assert_eq(n, strlen(want), "\"%s\": length %zu, want %zu", in, n, strlen(want));
	cr_assert_str_eq(out, want, "\"%s\" gives \"%s\"", in, out);
}

static void norm_bad(const char *in)
{
	char out[VG_DOMAIN_NAME_CAP];
	memset(out, 'x', sizeof(out));
	size_t n = vg_domain_normalize(vg_str_c(in), out, sizeof(out));
	cr_assert_eq(n, 0, "\"%s\" accepted as \"%.*s\"", in, (int)n, out);
	cr_assert_eq(out[0], '\0', "\"%s\": out not emptied", in);
}

Test(normalize, lower_case_and_trailing_dot)
{
	norm_ok("example.com", "example.com");
	norm_ok("example.com.", "example.com");
	norm_ok("WWW.Example.CO.UK.", "www.example.co.uk");
	norm_ok("a", "a");
	norm_ok("A.", "a");
	norm_ok("_dmarc.Example.com.", "_dmarc.example.com");
	norm_ok("159.86.31.172.in-addr.arpa.", "159.86.31.172.in-addr.arpa");
	norm_ok("__cloud_init_expected_not_found__.", "__cloud_init_expected_not_found__");
}

Test(normalize, idn_in_punycode)
{
	norm_ok("XN--80ASWG.XN--P1AI.", "xn--80aswg.xn--p1ai");
	norm_ok("www.xn--mnchen-3ya.de", "www.xn--mnchen-3ya.de");
}

Test(normalize, invalid_names)
{
	norm_bad("");
	norm_bad(".");
	norm_bad("..");
	norm_bad(".example.com");
	norm_bad("a..b");
	norm_bad("a.b..");
	norm_bad("exa mple.com");
	norm_bad("*.example.com");
	norm_bad("a\\032b.example.com."); /* Route 53's escape for odd bytes */
	norm_bad("m\xc3\xbcnchen.de");    /* raw UTF-8 */
	norm_bad("a/b.com");
	norm_bad("a:b.com");
	struct vg_str with_nul = {"a\0b.com", 7};
	char out[32];
	cr_assert_eq(vg_domain_normalize(with_nul, out, sizeof(out)), 0);
}

Test(normalize, length_limits)
{
	char name[400], out[512];
	/* 300 bytes in labels of 50: valid labels, too long a name. */
	size_t n = 0;
	while (n < 300) {
		if (n)
			name[n++] = '.';
		for (int i = 0; i < 49 && n < 300; i++)
			name[n++] = 'a';
	}
	name[n] = '\0';
	cr_assert_eq(vg_domain_normalize((struct vg_str){name, n}, out, sizeof(out)), 0, "300-byte name accepted");

	/* 253 bytes: the longest name, even with its trailing dot. */
	memset(name, 'b', 253);
	for (size_t i = 63; i < 253; i += 64)
		name[i] = '.';
	name[253] = '.';
	cr_assert_eq(vg_domain_normalize((struct vg_str){name, 254}, out, sizeof(out)), 253);
	cr_assert_eq(vg_domain_normalize((struct vg_str){name, 253}, out, sizeof(out)), 253);
	cr_assert_eq(strlen(out), 253);
	/* ... but not into a buffer without room for the terminator. */
	cr_assert_eq(vg_domain_normalize((struct vg_str){name, 253}, out, 253), 0);
	cr_assert_eq(out[0], '\0');
	cr_assert_eq(vg_domain_normalize((struct vg_str){name, 253}, out, 254), 253);
	cr_assert_eq(vg_domain_normalize((struct vg_str){"ab", 2}, out, 0), 0);

	/* Labels: 63 bytes is the most. */
	memset(name, 'c', 63);
	memcpy(name + 63, ".com", 5);
	cr_assert_eq(vg_domain_normalize(vg_str_c(name), out, sizeof(out)), 67);
	memset(name, 'c', 64);
	memcpy(name + 64, ".com", 5);
	cr_assert_eq(vg_domain_normalize(vg_str_c(name), out, sizeof(out)), 0);
}

/* ---- registrable domain ------------------------------------------------- */

static void reg(const struct vg_psl *psl, const char *name, const char *want)
{
	struct vg_str n = vg_str_c(name);
	struct vg_str r = vg_domain_registrable(psl, n);
	cr_assert(vg_str_eqc(r, want), "%s: registrable \"%.*s\", want \"%s\"", name, (int)r.n, r.p ? r.p : "",
		  want);
	if (r.n)
		cr_assert(r.p >= n.p && r.p + r.n == n.p + n.n, "%s: not a view of the input's end", name);
}

static void registrable_cases(const struct vg_psl *psl)
{
	reg(psl, "a.b.example.co.uk", "example.co.uk");
	reg(psl, "example.co.uk", "example.co.uk");
	reg(psl, "www.example.com", "example.com");
	reg(psl, "example.com", "example.com");
	/* Private suffixes count, as in GuardDuty's domainWithSuffix. */
	reg(psl, "x.y.github.io", "y.github.io");
	reg(psl, "bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com");
	/* Wildcard and exception rules. */
	reg(psl, "www.city.kawasaki.jp", "city.kawasaki.jp");
	/* A public suffix itself: its last two labels, or the one label. */
	reg(psl, "co.uk", "co.uk");
	reg(psl, "github.io", "github.io");
	reg(psl, "com", "com");
	reg(psl, "a.b.c.ck", "b.c.ck"); /* *.ck: c.ck is a suffix */
	reg(psl, "c.ck", "c.ck");
	/* Unknown suffixes: the last two labels. */
	reg(psl, "a.b.ec2.internal", "ec2.internal");
	reg(psl, "__cloud_init_expected_not_found__", "__cloud_init_expected_not_found__");
	reg(psl, "159.86.31.172.in-addr.arpa", "172.in-addr.arpa");
	/* IDN in punycode: .рф and .中国 */
	reg(psl, "a.b.xn--80aswg.xn--p1ai", "xn--80aswg.xn--p1ai");
	reg(psl, "xn--p1ai", "xn--p1ai");
	reg(psl, "www.xn--fiqs8s", "www.xn--fiqs8s");
	/* Upper case still works (case is folded for the look-up). */
	reg(psl, "A.B.Example.CO.UK", "Example.CO.UK");
	reg(psl, "", "");
}

Test(registrable, builtin_list)
{
	registrable_cases(NULL);
}

Test(registrable, latest_list)
{
	struct vg_psl *psl = NULL;
	cr_assert_eq(vg_psl_open(&psl, NULL), VG_OK);
	registrable_cases(psl);
	vg_psl_free(psl);
}

Test(registrable, list_from_a_file)
{
	const char *paths[] = {"/usr/share/publicsuffix/public_suffix_list.dat",
			       "/usr/share/publicsuffix/public_suffix_list.dafsa"};
	int opened = 0;
	for (size_t i = 0; i < 2; i++) {
		struct vg_psl *psl = NULL;
		FILE *f = fopen(paths[i], "r");
		if (!f)
			continue;
		fclose(f);
		cr_assert_eq(vg_psl_open(&psl, paths[i]), VG_OK, "%s", paths[i]);
		registrable_cases(psl);
		vg_psl_free(psl);
		opened++;
	}
	if (!opened)
		cr_skip_test("no public suffix list under /usr/share/publicsuffix (Debian publicsuffix)");
}

Test(registrable, open_errors)
{
	struct vg_psl *psl = NULL;
	cr_assert_eq(vg_psl_open(&psl, "/nonexistent/public_suffix_list.dat"), VG_ENOENT);
	cr_assert_null(psl);
	vg_psl_free(NULL);
}

Test(registrable, longest_name)
{
	char name[254];
	memset(name, 'd', 253);
	for (size_t i = 63; i < 253; i += 64)
		name[i] = '.';
	memcpy(name + 249, ".com", 4);
	struct vg_str n = {name, 253};
	struct vg_str r = vg_domain_registrable(NULL, n);
	cr_assert_eq(r.n, 61, "%.*s", (int)r.n, r.p); /* 57 d's + ".com" */
	cr_assert_eq(r.p + r.n, name + 253);
	/* Over the limit: no look-up, the last two labels. */
	char big[300];
	memset(big, 'e', sizeof(big));
	memcpy(big + 296, ".com", 4);
	big[200] = '.';
	r = vg_domain_registrable(NULL, (struct vg_str){big, 300});
	cr_assert_eq(r.n, 99);
}

/* ---- the part in front, labels, entropy ---------------------------------- */

Test(subpart, in_front_of_the_registrable_domain)
{
	struct vg_str n = vg_str_c("a.b.example.co.uk");
	assert_view(vg_domain_subpart(n, vg_domain_registrable(NULL, n)), "a.b");
	n = vg_str_c("example.com");
	assert_view(vg_domain_subpart(n, vg_domain_registrable(NULL, n)), "");
	n = vg_str_c("dGhpcyBpcyBhIHR1bm5lbA.t.evil.com");
	assert_view(vg_domain_subpart(n, vg_domain_registrable(NULL, n)), "dGhpcyBpcyBhIHR1bm5lbA.t");
	/* By content: a registrable domain held elsewhere works too. */
	assert_view(vg_domain_subpart(vg_str_c("x.example.com"), vg_str_c("example.com")), "x");
	/* Not a suffix on a label boundary, or no room: empty. */
	assert_view(vg_domain_subpart(vg_str_c("xexample.com"), vg_str_c("example.com")), "");
	assert_view(vg_domain_subpart(vg_str_c("x.example.com"), vg_str_c("other.com")), "");
	assert_view(vg_domain_subpart(vg_str_c(".example.com"), vg_str_c("example.com")), "");
	assert_view(vg_domain_subpart(vg_str_c("com"), vg_str_c("example.com")), "");
	assert_view(vg_domain_subpart(vg_str_c("x.com"), VG_STR_NULL), "");
}

Test(labels, split_and_count)
{
	struct vg_str l[3];
	cr_assert_eq(vg_domain_labels(vg_str_c("a.bb.ccc.dddd"), l, 3), 4);
	assert_view(l[0], "a");
	assert_view(l[1], "bb");
	assert_view(l[2], "ccc");
	cr_assert_eq(vg_domain_labels(vg_str_c("one"), l, 3), 1);
	assert_view(l[0], "one");
	cr_assert_eq(vg_domain_labels(VG_STR_NULL, l, 3), 0);
	cr_assert_eq(vg_domain_labels(vg_str_c("a.b"), NULL, 0), 2);
	cr_assert_eq(vg_domain_longest_label(vg_str_c("a.bbbbb.cc")), 5);
	cr_assert_eq(vg_domain_longest_label(VG_STR_NULL), 0);
}

Test(entropy, bits_per_byte)
{
	cr_assert_float_eq(vg_str_entropy(VG_STR_NULL), 0.0, 1e-12);
	cr_assert_float_eq(vg_str_entropy(vg_str_c("a")), 0.0, 1e-12);
	cr_assert_float_eq(vg_str_entropy(vg_str_c("aaaaaaaa")), 0.0, 1e-12);
	cr_assert_float_eq(vg_str_entropy(vg_str_c("ab")), 1.0, 1e-12);
	cr_assert_float_eq(vg_str_entropy(vg_str_c("abcd")), 2.0, 1e-12);
	cr_assert_float_eq(vg_str_entropy(vg_str_c("aabb")), 1.0, 1e-12);
	/* p = 3/4, 1/4 */
	double want = -(0.75 * log2(0.75) + 0.25 * log2(0.25));
	cr_assert_float_eq(vg_str_entropy(vg_str_c("aaab")), want, 1e-12);
	/* 32 distinct symbols: 5 bits. */
	cr_assert_float_eq(vg_str_entropy(vg_str_c("abcdefghijklmnopqrstuvwxyz234567")), 5.0, 1e-12);
	/* A word scores well below a random-looking label. */
	cr_assert_lt(vg_str_entropy(vg_str_c("mail")), vg_str_entropy(vg_str_c("q3x9zk2mfa7wp0")));
}
