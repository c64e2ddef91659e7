/*
 * test_core.c -- the core helpers every stage leans on: the capped buffer
 * and its JSON string escaping, ISO-8601 times, IP addresses and string
 * views.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>

#include <stdio.h>

#include "vg.h"
#include "core/buf.h"
#include "core/ip.h"
#include "core/str.h"
#include "core/time.h"

/* ---- helpers ------------------------------------------------------------ */

/* The buffer's bytes as a C string ("" when nothing was ever added). */
static const char *buf_text(const struct vg_buf *b) { return b->len ? b->p : ""; }

/* JSON-escape n bytes of s and compare with the expected text. */
static void assert_json(const char *s, size_t n, const char *expect)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_json_str(&b, (struct vg_str){s, n});
	cr_assert_eq(b.failed, 0);
	cr_assert_eq(b.len, strlen(expect), "escaped length %zu, want %zu (%s)", b.len, strlen(expect), b.p);
	cr_assert_str_eq(b.p, expect);
	vg_buf_free(&b);
}

/* Parse a time that must be valid. */
static int64_t T(const char *s)
{
	int64_t ms = 0;
	int rc = vg_time_parse(vg_str_c(s), &ms);
	cr_assert_eq(rc, VG_OK, "\"%s\" should parse, got %d", s, rc);
	return ms;
}

/* Format ms and compare with the expected text. */
static void assert_time_text(int64_t ms, const char *expect)
{
	char out[VG_TIME_ISO_LEN + 1];
	memset(out, 'X', sizeof(out));
	vg_time_format(ms, out);
	cr_assert_str_eq(out, expect, "format(%lld)", (long long)ms);
}

/* Parse an address that must be valid. */
static struct vg_ip IP(const char *s)
{
	struct vg_ip ip;
	int rc = vg_ip_parse(vg_str_c(s), &ip);
	cr_assert_eq(rc, VG_OK, "\"%s\" should parse, got %d", s, rc);
	return ip;
}

/* ---- buf ---------------------------------------------------------------- */

Test(buf, grows_byte_by_byte_and_stays_terminated)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	cr_assert_eq(b.max, VG_BUF_DEFAULT_MAX);
	for (int i = 0; i < 10000; i++)
		vg_buf_addc(&b, (char)('a' + i % 26));
	cr_assert_eq(b.failed, 0);
	cr_assert_eq(b.len, 10000);
	cr_assert_geq(b.cap, 10001);
	cr_assert_eq(b.p[10000], '\0');
	for (int i = 0; i < 10000; i++)
		cr_assert_eq(b.p[i], 'a' + i % 26, "byte %d", i);
	vg_buf_free(&b);
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
}

Test(buf, add_variants_append_in_order)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, "ab");
	vg_buf_addstr(&b, VG_STR_LIT("cd"));
	vg_buf_add(&b, "efXX", 2);
	vg_buf_add(&b, NULL, 0);
	vg_buf_addc(&b, 'g');
	vg_buf_printf(&b, "-%d-%s", 42, "x");
	cr_assert_str_eq(b.p, "abcdefg-42-x");
	cr_assert_eq(b.len, 12);
	vg_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.p, "");
	vg_buf_adds(&b, "z");
	cr_assert_str_eq(b.p, "z");
	vg_buf_free(&b);
}

Test(buf, printf_longer_than_the_stack_buffer)
{
	char big[1000];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, "<");
	vg_buf_printf(&b, "%s|%d", big, 7);
	cr_assert_eq(b.failed, 0);
	cr_assert_eq(b.len, 1 + 999 + 2);
	cr_assert_eq(b.p[0], '<');
	cr_assert_eq(b.p[999], 'q');
	cr_assert_str_eq(b.p + 1000, "|7");
	vg_buf_free(&b);
}

Test(buf, cap_exact_fit_is_allowed)
{
	struct vg_buf b;
	vg_buf_init(&b, 10);
	vg_buf_adds(&b, "0123456789");
	cr_assert_eq(b.failed, 0);
	cr_assert_eq(b.len, 10);
	cr_assert_str_eq(b.p, "0123456789");
	vg_buf_free(&b);
}

Test(buf, cap_overflow_is_sticky_toobig)
{
	struct vg_buf b;
	vg_buf_init(&b, 10);
	vg_buf_adds(&b, "01234567");
	vg_buf_adds(&b, "abcde"); /* 13 > 10 */
	cr_assert_eq(b.failed, VG_ETOOBIG);
	cr_assert_eq(b.len, 8, "a refused append must not add bytes");
	vg_buf_addc(&b, 'x'); /* would fit, but the failure is sticky */
	vg_buf_printf(&b, "%d", 1);
	cr_assert_eq(b.len, 8);
	cr_assert_eq(b.failed, VG_ETOOBIG);
	cr_assert_eq(vg_buf_reserve(&b, 0), VG_ETOOBIG);
	cr_assert_str_eq(b.p, "01234567");
	vg_buf_free(&b);
}

Test(buf, reserve_reports_toobig_and_huge_sizes_do_not_wrap)
{
	struct vg_buf b;
	vg_buf_init(&b, 100);
	cr_assert_eq(vg_buf_reserve(&b, 100), VG_OK);
	vg_buf_free(&b);
	vg_buf_init(&b, 100);
	cr_assert_eq(vg_buf_reserve(&b, 101), VG_ETOOBIG);
	vg_buf_free(&b);
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, "x");
	cr_assert_eq(vg_buf_reserve(&b, SIZE_MAX), VG_ETOOBIG);
	cr_assert_eq(b.len, 1);
	vg_buf_free(&b);
}

Test(buf, printf_over_the_cap_fails)
{
	struct vg_buf b;
	vg_buf_init(&b, 300);
	char big[400];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vg_buf_printf(&b, "%s", big);
	cr_assert_eq(b.failed, VG_ETOOBIG);
	cr_assert_eq(b.len, 0);
	vg_buf_free(&b);
}

Test(buf, reset_clears_the_failure)
{
	struct vg_buf b;
	vg_buf_init(&b, 4);
	vg_buf_adds(&b, "toolong");
	cr_assert_eq(b.failed, VG_ETOOBIG);
	vg_buf_reset(&b);
	cr_assert_eq(b.failed, 0);
	vg_buf_adds(&b, "ok");
	cr_assert_eq(b.failed, 0);
	cr_assert_str_eq(buf_text(&b), "ok");
	vg_buf_free(&b);
}

Test(buf, take_hands_over_the_bytes)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, "hello");
	size_t len = 0;
	char *p = vg_buf_take(&b, &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 5);
	cr_assert_str_eq(p, "hello");
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
	/* The emptied buffer is usable again, independently of p. */
	vg_buf_adds(&b, "again");
	cr_assert_str_eq(b.p, "again");
	cr_assert_str_eq(p, "hello");
	vg_free(p);
	vg_buf_free(&b);
}

Test(buf, take_of_a_failed_buffer_is_null_and_frees)
{
	struct vg_buf b;
	vg_buf_init(&b, 3);
	vg_buf_adds(&b, "ab");
	vg_buf_adds(&b, "cd");
	size_t len = 99;
	cr_assert_null(vg_buf_take(&b, &len));
	cr_assert_null(b.p);
	cr_assert_eq(len, 99, "len is untouched on failure");
}

/* A regression test: vg_buf_take on a buffer that never had bytes added
 * once allocated through vg_buf_reserve(b, 0) without writing the
 * terminator, so the caller got uninitialised bytes (ASan fills them with
 * 0xbe). */
Test(buf, take_of_an_empty_buffer_is_an_empty_string)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	size_t len = 99;
	char *p = vg_buf_take(&b, &len);
	cr_assert_not_null(p);
	cr_assert_eq(len, 0);
	cr_assert_eq(p[0], '\0', "an empty take must still be a C string");
	vg_free(p);
}

Test(buf, json_plain_text_is_only_quoted)
{
	assert_json("hello world", 11, "\"hello world\"");
	assert_json("", 0, "\"\"");
	assert_json(NULL, 0, "\"\"");
}

Test(buf, json_escapes_quotes_and_backslashes)
{
	assert_json("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	assert_json("\"\"", 2, "\"\\\"\\\"\"");
	assert_json("\\", 1, "\"\\\\\"");
}

Test(buf, json_escapes_control_characters)
{
	assert_json("\n\r\t", 3, "\"\\n\\r\\t\"");
	assert_json("\x01\x08\x0c\x1f", 4, "\"\\u0001\\u0008\\u000c\\u001f\"");
	assert_json("a\0b", 3, "\"a\\u0000b\"");
	/* DEL is no control character for JSON and passes through. */
	assert_json("\x7f", 1, "\"\x7f\"");
}

Test(buf, json_passes_utf8_through)
{
	static const char s[] = "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91";
	assert_json(s, sizeof(s) - 1, "\"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91\"");
}

Test(buf, json_escape_appends_after_existing_bytes)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_adds(&b, "{\"k\":");
	vg_buf_json_cstr(&b, "v\"1");
	vg_buf_addc(&b, '}');
	cr_assert_str_eq(b.p, "{\"k\":\"v\\\"1\"}");
	vg_buf_free(&b);
}

Test(buf, json_escape_respects_the_cap)
{
	struct vg_buf b;
	vg_buf_init(&b, 8);
	vg_buf_json_cstr(&b, "\n\n\n\n"); /* 2 + 4*2 = 10 bytes */
	cr_assert_eq(b.failed, VG_ETOOBIG);
	cr_assert_leq(b.len, 8);
	vg_buf_free(&b);
}

/* ---- time --------------------------------------------------------------- */

Test(time, parses_a_plain_utc_time)
{
	cr_assert_eq(T("2024-07-31T10:00:00Z"), 1722420000000LL);
	cr_assert_eq(T("2024-07-31T10:00:00z"), 1722420000000LL);
	cr_assert_eq(T("2024-07-31 10:00:00Z"), 1722420000000LL);
	cr_assert_eq(T("1970-01-01T00:00:00Z"), 0);
}

Test(time, date_only_and_no_zone_mean_utc_midnight)
{
	cr_assert_eq(T("2024-07-31"), 1722384000000LL);
	cr_assert_eq(T("2024-07-31T10:00:00"), 1722420000000LL);
}

Test(time, fractions_are_milliseconds)
{
	cr_assert_eq(T("2024-07-31T10:00:00.5Z"), 1722420000500LL);
	cr_assert_eq(T("2024-07-31T10:00:00.05Z"), 1722420000050LL);
	cr_assert_eq(T("2024-07-31T10:00:00.123Z"), 1722420000123LL);
	/* Sub-millisecond digits are dropped, not rounded. */
	cr_assert_eq(T("2024-07-31T10:00:00.123999Z"), 1722420000123LL);
	cr_assert_eq(T("2024-07-31T10:00:00.999999999Z"), 1722420000999LL);
}

Test(time, offsets_are_applied)
{
	int64_t utc = T("2024-07-31T10:00:00Z");
	cr_assert_eq(T("2024-07-31T12:00:00+02:00"), utc);
	cr_assert_eq(T("2024-07-31T12:00:00+0200"), utc);
	cr_assert_eq(T("2024-07-31T12:00:00+02"), utc);
	cr_assert_eq(T("2024-07-31T04:30:00-05:30"), utc);
	cr_assert_eq(T("2024-07-31T10:00:00+00:00"), utc);
	cr_assert_eq(T("2024-07-31T12:00:00.250+02:00"), utc + 250);
	/* An offset that crosses midnight. */
	cr_assert_eq(T("2024-08-01T01:00:00+15:00"), utc);
}

Test(time, invalid_strings_are_rejected)
{
	static const char *const bad[] = {
		"",
		"2024",
		"2024-07",
		"2024/07/31T10:00:00Z",
		"20x4-07-31T10:00:00Z",
		"2024-00-10T10:00:00Z",
		"2024-13-01T10:00:00Z",
		"2024-07-00T10:00:00Z",
		"2024-07-32T10:00:00Z",
		"2024-07-31T24:00:00Z",
		"2024-07-31T10:60:00Z",
		"2024-07-31T10:00:61Z",
		"2024-07-31T10:00Z",
		"2024-07-31T10:00:00.Z",
		"2024-07-31T10:00:00Q",
		"2024-07-31T10:00:00Zjunk",
		"2024-07-31T10:00:00+",
		"2024-07-31T10:00:00+2",
		"2024-07-31T10:00:00 ",
		"2024-07-31X10:00:00Z",
		"not a time at all",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++) {
		int64_t ms = 12345;
		int rc = vg_time_parse(vg_str_c(bad[i]), &ms);
		cr_assert_eq(rc, VG_EFORMAT, "\"%s\" should be rejected, got %d (%lld)", bad[i], rc, (long long)ms);
	}
}

Test(time, view_length_is_respected)
{
	/* A view into a longer buffer: only the first n bytes count. */
	const char *s = "2024-07-31T10:00:00Zgarbage";
	int64_t ms = 0;
	cr_assert_eq(vg_time_parse((struct vg_str){s, 20}, &ms), VG_OK);
	cr_assert_eq(ms, 1722420000000LL);
	cr_assert_eq(vg_time_parse((struct vg_str){s, 19}, &ms), VG_OK);
	cr_assert_eq(vg_time_parse((struct vg_str){s, 15}, &ms), VG_EFORMAT);
}

Test(time, leap_years)
{
	cr_assert_eq(T("2024-02-29T12:00:00Z"), 1709208000000LL);
	cr_assert_eq(T("2024-03-01T00:00:00Z") - T("2024-02-28T00:00:00Z"), 2 * 86400000LL);
	cr_assert_eq(T("2023-03-01T00:00:00Z") - T("2023-02-28T00:00:00Z"), 1 * 86400000LL);
	cr_assert_eq(T("2000-03-01T00:00:00Z") - T("2000-02-28T00:00:00Z"), 2 * 86400000LL);
	cr_assert_eq(T("1900-03-01T00:00:00Z") - T("1900-02-28T00:00:00Z"), 1 * 86400000LL);
	assert_time_text(1709208000000LL, "2024-02-29T12:00:00.000Z");
	assert_time_text(T("2024-12-31T23:59:59.999Z") + 1, "2025-01-01T00:00:00.000Z");
}

Test(time, day_beyond_the_month_is_rejected)
{
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "1900-02-29T00:00:00Z",
		"2024-04-31T00:00:00Z", "2024-06-31T00:00:00Z", "2024-09-31T00:00:00Z", "2024-11-31T00:00:00Z",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++) {
		int64_t ms;
		cr_assert_eq(vg_time_parse(vg_str_c(bad[i]), &ms), VG_EFORMAT, "%s", bad[i]);
	}
	/* The last day of each month is fine. */
	T("2024-01-31T00:00:00Z");
	T("2024-02-29T00:00:00Z");
	T("2000-02-29T00:00:00Z");
	T("2023-02-28T00:00:00Z");
	T("2024-04-30T00:00:00Z");
	T("2024-12-31T00:00:00Z");
}

Test(time, offset_out_of_range_is_rejected)
{
	int64_t ms;
	cr_assert_eq(vg_time_parse(vg_str_c("2024-07-31T10:00:00+24:00"), &ms), VG_EFORMAT);
	cr_assert_eq(vg_time_parse(vg_str_c("2024-07-31T10:00:00+02:60"), &ms), VG_EFORMAT);
	cr_assert_eq(vg_time_parse(vg_str_c("2024-07-31T10:00:00-99:00"), &ms), VG_EFORMAT);
	T("2024-07-31T10:00:00-23:59");
}

Test(time, before_1970)
{
	cr_assert_eq(T("1969-12-31T23:59:59.999Z"), -1);
	cr_assert_eq(T("1900-01-01T00:00:00Z"), -2208988800000LL);
	cr_assert_eq(T("1601-01-01T00:00:00Z"), -11644473600000LL);
	assert_time_text(-1, "1969-12-31T23:59:59.999Z");
	assert_time_text(-1000, "1969-12-31T23:59:59.000Z");
	assert_time_text(-1001, "1969-12-31T23:59:58.999Z");
	assert_time_text(-86400000LL, "1969-12-31T00:00:00.000Z");
	assert_time_text(-2208988800000LL, "1900-01-01T00:00:00.000Z");
}

Test(time, format_examples)
{
	assert_time_text(0, "1970-01-01T00:00:00.000Z");
	assert_time_text(1722420000123LL, "2024-07-31T10:00:00.123Z");
	assert_time_text(253402300799999LL, "9999-12-31T23:59:59.999Z");
	/* Out of range years keep the fixed width. */
	assert_time_text(253402300800000LL, "0000-00-00T00:00:00.000Z");
}

Test(time, round_trip)
{
	static const char *const samples[] = {
		"2024-07-31T10:00:00.000Z", "2022-11-17T09:33:19.224Z", "1999-12-31T23:59:59.999Z",
		"2000-02-29T00:00:00.001Z", "1970-01-01T00:00:00.000Z", "1950-06-15T12:34:56.789Z",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(samples); i++)
		assert_time_text(T(samples[i]), samples[i]);
	/* And the other way, over a spread of instants. */
	for (int64_t ms = -5000000000000LL; ms < 5000000000000LL; ms += 123456789011LL) {
		char out[VG_TIME_ISO_LEN + 1];
		vg_time_format(ms, out);
		cr_assert_eq(strlen(out), VG_TIME_ISO_LEN);
		cr_assert_eq(T(out), ms, "%s", out);
	}
}

Test(time, clocks_move_forward)
{
	int64_t now = vg_time_now_ms();
	cr_assert_gt(now, T("2020-01-01T00:00:00Z"));
	int64_t m1 = vg_time_mono_ms();
	int64_t m2 = vg_time_mono_ms();
	cr_assert_geq(m2, m1);
}

/* ---- ip ----------------------------------------------------------------- */

Test(ip, parses_ipv4_as_mapped)
{
	struct vg_ip ip = IP("192.0.2.33");
	cr_assert_eq(ip.family, 4);
	static const uint8_t want[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 33};
	cr_assert_arr_eq(ip.b, want, 16);
	char out[VG_IP_STRLEN];
	vg_ip_format(&ip, out);
	cr_assert_str_eq(out, "192.0.2.33");
}

/* Dotted quads are parsed by hand: they must accept exactly what
 * inet_pton(AF_INET) accepts, edge cases and random text alike. */
static void same_as_inet_pton(const char *text, size_t n)
{
	char tmp[64];
	uint8_t want[4];
	struct vg_ip ip;
	memcpy(tmp, text, n);
	tmp[n] = '\0';
	bool ok = inet_pton(AF_INET, tmp, want) == 1;
	int rc = vg_ip_parse((struct vg_str){text, n}, &ip);
	if (ok) {
		cr_assert_eq(rc, VG_OK, "'%s' is an address", tmp);
		cr_assert_eq(ip.family, 4, "'%s'", tmp);
		cr_assert_arr_eq(ip.b + 12, want, 4, "'%s'", tmp);
	} else if (rc == VG_OK) {
		cr_assert_eq(ip.family, 6, "'%s' is no IPv4 address", tmp);
	}
}

Test(ip, dotted_quads_as_inet_pton_reads_them)
{
	static const char *const cases[] = {
		"0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "01.2.3.4",
		"1.2.3.04", "1.2.3.0", "1.2.3.4567", "1.2.3.4a", "1 .2.3.4", "", "1", "1.2.3.-4", "+1.2.3.4",
		"999.1.1.1", "10.0.0.1", "1.2.3.25", "1.2.3.255", "1.2.3.256", "0x1.2.3.4", "00.0.0.0"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_as_inet_pton(cases[i], strlen(cases[i]));
	/* Random strings over digits and dots, 1-16 bytes. */
	uint64_t x = 0x9e3779b97f4a7c15u;
	char buf[16];
	for (int t = 0; t < 200000; t++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = 1 + x % 16;
		for (size_t j = 0; j < n; j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			unsigned r = (unsigned)(x % 14);
			buf[j] = r < 10 ? (char)('0' + r) : r < 13 ? '.' : 'a';
		}
		same_as_inet_pton(buf, n);
	}
}

Test(ip, parses_ipv6_and_formats_canonically)
{
	struct vg_ip ip = IP("2001:0DB8:0000:0000:0000:0000:0000:0001");
	cr_assert_eq(ip.family, 6);
	cr_assert_eq(ip.b[0], 0x20);
	cr_assert_eq(ip.b[1], 0x01);
	cr_assert_eq(ip.b[15], 0x01);
	char out[VG_IP_STRLEN];
	vg_ip_format(&ip, out);
	cr_assert_str_eq(out, "2001:db8::1");

	ip = IP("::1");
	vg_ip_format(&ip, out);
	cr_assert_str_eq(out, "::1");

	/* The longest text form fits VG_IP_STRLEN. */
	ip = IP("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
	cr_assert_eq(ip.family, 6);
	vg_ip_format(&ip, out);
	cr_assert_eq(strlen(out) < VG_IP_STRLEN, 1);
}

Test(ip, mapped_v6_text_is_ipv4)
{
	/* ::ffff:a.b.c.d is an IPv4 address; classify and print it as one. */
	struct vg_ip ip = IP("::ffff:8.8.8.8");
	char out[VG_IP_STRLEN];
	cr_assert_eq(ip.family, 4);
	cr_assert_eq(ip.b[12], 8);
	cr_assert(vg_ip_is_public(&ip));
	vg_ip_format(&ip, out);
	cr_assert_str_eq(out, "8.8.8.8");
}

Test(ip, view_length_is_respected)
{
	const char *s = "10.1.2.3xyz";
	struct vg_ip ip;
	cr_assert_eq(vg_ip_parse((struct vg_str){s, 8}, &ip), VG_OK);
	cr_assert_eq(ip.b[15], 3);
	cr_assert_eq(vg_ip_parse((struct vg_str){s, 9}, &ip), VG_EFORMAT);
}

Test(ip, invalid_text_is_rejected_and_cleared)
{
	static const char *const bad[] = {
		"",
		"1.2.3",
		"1.2.3.4.5",
		"256.1.1.1",
		"1.2.3.4 ",
		" 1.2.3.4",
		"s3.amazonaws.com",
		"AWS Internal",
		"::g",
		"1:2:3:4:5:6:7:8:9",
		"2001:db8::1::2",
		"0123456789012345678901234567890123456789012345678", /* longer than VG_IP_STRLEN */
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++) {
		struct vg_ip ip;
		memset(&ip, 0xaa, sizeof(ip));
		cr_assert_eq(vg_ip_parse(vg_str_c(bad[i]), &ip), VG_EFORMAT, "\"%s\"", bad[i]);
		cr_assert_eq(ip.family, 0, "\"%s\" left a family", bad[i]);
		char out[VG_IP_STRLEN];
		vg_ip_format(&ip, out);
		cr_assert_str_eq(out, "");
		cr_assert_not(vg_ip_is_public(&ip));
	}
}

Test(ip, public_and_private_classification)
{
	static const struct {
		const char *ip;
		bool pub;
	} cases[] = {
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"54.240.197.233", true},
		{"0.1.2.3", false},
		{"10.0.0.1", false},
		{"10.255.255.255", false},
		{"9.255.255.255", true},
		{"11.0.0.0", true},
		{"127.0.0.1", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"172.15.255.255", true},
		{"172.32.0.0", true},
		{"192.168.0.1", false},
		{"192.168.255.255", false},
		{"192.169.0.1", true},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"169.254.169.254", false},
		{"169.253.0.1", true},
		{"192.0.2.1", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		{"198.20.0.1", true},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"224.0.0.1", false},
		{"255.255.255.255", false},
		{"::1", false},
		{"::", false},
		{"fe80::1", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"ff02::1", false},
		{"2001:db8::", false},
		{"2001:db8:ffff::1", false},
		{"2001:db9::1", true},
		{"2606:4700::1111", true},
		{"2a05:d018::1", true},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_ip ip = IP(cases[i].ip);
		cr_assert_eq(vg_ip_is_public(&ip), cases[i].pub, "%s should be %s", cases[i].ip,
			     cases[i].pub ? "public" : "private");
	}
}

Test(ip, no_address_is_not_public)
{
	struct vg_ip ip = {{0}, 0};
	cr_assert_not(vg_ip_is_public(&ip));
}

/* ---- str ---------------------------------------------------------------- */

Test(str, views_and_equality)
{
	struct vg_str a = vg_str_c("abc");
	cr_assert_eq(a.n, 3);
	cr_assert(vg_str_eqc(a, "abc"));
	cr_assert_not(vg_str_eqc(a, "ab"));
	cr_assert_not(vg_str_eqc(a, "abd"));
	cr_assert_not(vg_str_eqc(a, "ABC"));
	struct vg_str null = vg_str_c(NULL);
	cr_assert_null(null.p);
	cr_assert_eq(null.n, 0);
	cr_assert(vg_str_empty(null));
	cr_assert(vg_str_eq(null, VG_STR_LIT("")), "an empty view equals a NULL one");
	cr_assert(vg_str_eq(VG_STR_NULL, null));
	cr_assert_not(vg_str_empty(a));
	cr_assert_eq(VG_STR_LIT("hello").n, 5);
	/* Views of a longer buffer compare by their own length. */
	cr_assert(vg_str_eq((struct vg_str){"abcdef", 3}, a));
}

Test(str, mem_eq_every_length_and_position)
{
	/* vg_mem_eq takes different paths below 4, from 4 to 7 and from 8 to 16 (two
	 * overlapping loads) and above: a difference at any byte must show. */
	char a[40], b[40];
	for (size_t n = 0; n <= sizeof(a); n++) {
		for (size_t i = 0; i < sizeof(a); i++)
			a[i] = b[i] = (char)('A' + i);
		cr_assert(vg_mem_eq(a, b, n), "equal, n=%zu", n);
		for (size_t k = 0; k < n; k++) {
			b[k] ^= 0x20;
			cr_assert_not(vg_mem_eq(a, b, n), "n=%zu differs at %zu", n, k);
			cr_assert(vg_mem_eq(a, b, k), "n=%zu: the first %zu bytes still match", n, k);
			b[k] ^= 0x20;
		}
		/* Bytes past n do not count. */
		if (n < sizeof(a)) {
			b[n] ^= 0x20;
			cr_assert(vg_mem_eq(a, b, n), "n=%zu", n);
			b[n] ^= 0x20;
		}
	}
	/* Unaligned starts. */
	static const char x[] = "xPutBucketPolicy", y[] = "yyPutBucketPolicy", z[] = "yyPutBucketPolicz";
	cr_assert(vg_mem_eq(x + 1, y + 2, 15));
	cr_assert_not(vg_mem_eq(x + 1, z + 2, 15));
}

Test(str, casecontains)
{
	struct vg_str ua = VG_STR_LIT("aws-cli/2.0 Python/3.11 Linux/6.1.0-kali7-amd64");
	cr_assert(vg_str_casecontains(ua, "kali"));
	cr_assert(vg_str_casecontains(VG_STR_LIT("XXKALIXX"), "kali"));
	cr_assert(vg_str_casecontains(ua, "aws-cli"));
	cr_assert(vg_str_casecontains(ua, "amd64"), "match at the very end");
	cr_assert_not(vg_str_casecontains(ua, "parrot"));
	cr_assert_not(vg_str_casecontains(VG_STR_LIT("kal"), "kali"), "haystack shorter than needle");
	cr_assert_not(vg_str_casecontains(VG_STR_LIT("abc"), "cd"), "partial match at the end");
	cr_assert(vg_str_casecontains(VG_STR_LIT("aaab"), "aab"), "restart after a partial match");
	cr_assert(vg_str_casecontains(VG_STR_NULL, ""), "empty needle always matches");
	cr_assert_not(vg_str_casecontains(VG_STR_NULL, "a"));
	/* Only the view's bytes are searched. */
	cr_assert_not(vg_str_casecontains((struct vg_str){"xxkali", 4}, "kali"));
}

Test(str, prefix)
{
	cr_assert(vg_str_prefix(VG_STR_LIT("arn:aws:iam::1:root"), "arn:aws:"));
	cr_assert(vg_str_prefix(VG_STR_LIT("abc"), "abc"));
	cr_assert(vg_str_prefix(VG_STR_LIT("abc"), ""));
	cr_assert_not(vg_str_prefix(VG_STR_LIT("ab"), "abc"));
	cr_assert_not(vg_str_prefix(VG_STR_LIT("Abc"), "abc"), "prefix is case sensitive");
	cr_assert_not(vg_str_prefix((struct vg_str){"abcdef", 2}, "abc"));
}

Test(errors, strerror_covers_every_code)
{
	cr_assert_str_eq(vg_strerror(VG_OK), "success");
	cr_assert_str_eq(vg_strerror(VG_ETOOBIG), "input exceeds the configured size limit");
	for (int rc = VG_ELIMIT; rc < 0; rc++)
		cr_assert_str_neq(vg_strerror(rc), "unknown error", "code %d", rc);
	cr_assert_str_eq(vg_strerror(-999), "unknown error");
}
