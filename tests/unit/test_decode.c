/*
 * test_decode.c -- the decode stage: the simdjson shim, the framing of a
 * buffer into documents (one document, JSON lines, salvage of damaged
 * record arrays) and the CloudTrail record decoder.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>

#include "vg.h"
#include "core/event.h"
#include "core/time.h"
#include "decode/cloudtrail.h"
#include "decode/frame.h"
#include "decode/json.h"

/* ---- helpers ------------------------------------------------------------ */

/* One parser per test process, made by the suites' init hook. */
static struct vg_json_parser *parser;

static void parser_up(void) { cr_assert_eq(vg_json_parser_new(&parser, 1 << 20), VG_OK); }
static void parser_down(void)
{
	vg_json_parser_free(parser);
	parser = NULL;
}

/* A copy of s followed by VG_JSON_PADDING readable bytes, as the parser
 * and the framer require.  Freed with free(). */
static char *padded(const char *s, size_t n)
{
	char *p = malloc(n + VG_JSON_PADDING);
	cr_assert_not_null(p);
	memcpy(p, s, n);
	memset(p + n, 0, VG_JSON_PADDING);
	return p;
}

/* Parse s, which must be valid.  The DOM keeps its own copy of every
 * string, so the padded input is freed at once; values live until the
 * next parse on the same parser. */
static struct vg_json parse_ok(const char *s)
{
	char *b = padded(s, strlen(s));
	struct vg_json root;
	const char *why = NULL;
	int rc = vg_json_parse(parser, b, strlen(s), &root, &why);
	free(b);
	cr_assert_eq(rc, VG_OK, "parse failed (%d: %s) for: %s", rc, why ? why : "?", s);
	return root;
}

#define assert_view(view, expect)                                                                      \
	do {                                                                                           \
		struct vg_str v_ = (view);                                                             \
		cr_assert(vg_str_eqc(v_, (expect)), "%s is \"%.*s\", want \"%s\"", #view, (int)v_.n, \
			  v_.p ? v_.p : "", (expect));                                                 \
	} while (0)

/* -- frame capture -- */

#define MAX_SEEN 16

struct frame_seen {
	int docs, bads;
	long doc_n[MAX_SEEN];                  /* member "n" of each document (-1 if none) */
	struct vg_frame_pos doc_pos[MAX_SEEN];
	struct vg_frame_pos bad_pos[MAX_SEEN];
	int bad_rc[MAX_SEEN];
	char bad_why[MAX_SEEN][96];
};

static void frame_doc(void *ctx, const struct vg_json *root, struct vg_frame_pos pos)
{
	struct frame_seen *s = ctx;
	cr_assert_lt(s->docs, MAX_SEEN);
	struct vg_json v;
	int64_t n = -1;
	if (vg_json_get(root, "n", &v))
		cr_assert(vg_json_int64(&v, &n));
	else if (vg_json_type(root) == VG_JSON_ARRAY || vg_json_get(root, "Records", &v))
		n = 1000 + (int64_t)vg_json_len(vg_json_type(root) == VG_JSON_ARRAY ? root : &v);
	s->doc_n[s->docs] = (long)n;
	s->doc_pos[s->docs++] = pos;
}

static void frame_bad(void *ctx, struct vg_frame_pos pos, int rc, const char *why)
{
	struct frame_seen *s = ctx;
	cr_assert_lt(s->bads, MAX_SEEN);
	cr_assert_lt(rc, 0);
	cr_assert_not_null(why);
	s->bad_pos[s->bads] = pos;
	s->bad_rc[s->bads] = rc;
	snprintf(s->bad_why[s->bads], sizeof(s->bad_why[0]), "%s", why);
	s->bads++;
}

static const struct vg_frame_ops frame_ops = {frame_doc, frame_bad};

static struct frame_seen split(const char *text, size_t len)
{
	struct frame_seen s;
	memset(&s, 0, sizeof(s));
	char *b = padded(text, len);
	cr_assert_eq(vg_frame_split(parser, b, len, &frame_ops, &s), VG_OK);
	free(b);
	return s;
}

static struct frame_seen splits(const char *text) { return split(text, strlen(text)); }

/* The documents seen, as "n@line" (":column" after it when the document
 * shares its line) or "n#element" words, for one-line comparisons that
 * show the whole picture when they fail. */
static size_t pos_text(char *out, size_t n, const struct vg_frame_pos *p)
{
	int k = p->element  ? snprintf(out, n, "#%llu", (unsigned long long)p->element)
		: p->column ? snprintf(out, n, "@%llu:%llu", (unsigned long long)p->line, (unsigned long long)p->column)
			    : snprintf(out, n, "@%llu", (unsigned long long)p->line);
	return k < 0 ? 0 : (size_t)k;
}

static const char *docs_text(const struct frame_seen *s)
{
	static char out[512];
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < s->docs; i++) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%ld", i ? " " : "", s->doc_n[i]);
		o += pos_text(out + o, sizeof(out) - o, &s->doc_pos[i]);
	}
	return out;
}

static const char *bads_text(const struct frame_seen *s)
{
	static char out[512];
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < s->bads; i++) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", i ? " " : "");
		o += pos_text(out + o, sizeof(out) - o, &s->bad_pos[i]);
	}
	return out;
}

#define assert_frames(s, want_docs, want_bads)                                                        \
	do {                                                                                          \
		cr_assert_str_eq(docs_text(&(s)), (want_docs), "documents: got [%s] want [%s]",       \
				 docs_text(&(s)), (want_docs));                                       \
		cr_assert_str_eq(bads_text(&(s)), (want_bads), "bad: got [%s] want [%s]", bads_text(&(s)), \
				 (want_bads));                                                        \
	} while (0)

/* -- CloudTrail -- */

static int decode(const char *json, struct vg_ct_record *rec, const char **why)
{
	struct vg_json root = parse_ok(json);
	*why = NULL;
	return vg_cloudtrail_decode(&root, rec, why);
}

static struct vg_event *decode_ok(const char *json, struct vg_ct_record *rec)
{
	const char *why;
	int rc = decode(json, rec, &why);
	cr_assert_eq(rc, VG_OK, "decode failed (%d: %s) for %s", rc, why ? why : "?", json);
	return &rec->ev;
}

/* decode must refuse json with rc, and the message must contain needle. */
static void decode_refused(const char *json, int want_rc, const char *needle)
{
	struct vg_ct_record rec;
	const char *why = NULL;
	int rc = decode(json, &rec, &why);
	cr_assert_eq(rc, want_rc, "rc %d (%s), want %d, for %s", rc, why ? why : "-", want_rc, json);
	cr_assert_not_null(why, "no message for %s", json);
	cr_assert(strstr(why, needle) != NULL, "message \"%s\" should name \"%s\"", why, needle);
}

/* A minimal valid record with extra members spliced in at the front. */
#define REC(extra)                                                                     \
	"{" extra "\"eventVersion\":\"1.08\",\"eventTime\":\"2024-07-31T10:00:00Z\","   \
	"\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"ListUsers\"}"
/* The same without eventTime, for the time fallbacks. */
#define REC_NOTIME(extra) \
	"{" extra "\"eventVersion\":\"1.08\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"ListUsers\"}"

#define T0 1722420000000LL /* 2024-07-31T10:00:00Z */

struct ct_seen {
	int events, bads;
	uint64_t ev_index[MAX_SEEN];
	char ev_name[MAX_SEEN][32];
	uint64_t bad_index[MAX_SEEN];
	int bad_rc[MAX_SEEN];
};

static void ct_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	struct ct_seen *s = ctx;
	cr_assert_lt(s->events, MAX_SEEN);
	cr_assert_eq(ev->source, VG_SRC_CLOUDTRAIL);
	s->ev_index[s->events] = index;
	snprintf(s->ev_name[s->events], sizeof(s->ev_name[0]), "%.*s", (int)ev->api.name.n, ev->api.name.p);
	s->events++;
}

static void ct_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	struct ct_seen *s = ctx;
	cr_assert_lt(s->bads, MAX_SEEN);
	cr_assert_lt(rc, 0);
	cr_assert_not_null(why);
	s->bad_index[s->bads] = index;
	s->bad_rc[s->bads++] = rc;
}

static const struct vg_event_sink ct_sink = {ct_event, ct_bad};

static enum vg_ct_doc decode_doc(const char *json, struct ct_seen *s)
{
	memset(s, 0, sizeof(*s));
	struct vg_json root = parse_ok(json);
	return vg_cloudtrail_decode_doc(&root, &ct_sink, s);
}

/* ---- json shim ------------------------------------------------------------ */

TestSuite(json, .init = parser_up, .fini = parser_down);

static const char types_doc[] = "{\"s\":\"x\\\"y\\u00e9\",\"i\":-5,\"u\":18446744073709551615,\"d\":1.5,"
				"\"b\":true,\"f\":false,\"n\":null,\"a\":[1,\"two\",3],\"o\":{\"k\":\"v\"}}";

Test(json, value_types)
{
	struct vg_json root = parse_ok(types_doc), v;
	cr_assert_eq(vg_json_type(&root), VG_JSON_OBJECT);
	static const struct {
		const char *key;
		enum vg_json_type type;
	} want[] = {
		{"s", VG_JSON_STRING}, {"i", VG_JSON_INT},  {"u", VG_JSON_UINT},  {"d", VG_JSON_DOUBLE},
		{"b", VG_JSON_BOOL},   {"f", VG_JSON_BOOL}, {"n", VG_JSON_NULL},  {"a", VG_JSON_ARRAY},
		{"o", VG_JSON_OBJECT},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
		cr_assert(vg_json_get(&root, want[i].key, &v), "member %s", want[i].key);
		cr_assert_eq(vg_json_type(&v), want[i].type, "member %s", want[i].key);
	}
}

Test(json, scalar_accessors)
{
	struct vg_json root = parse_ok(types_doc), v;
	struct vg_str s;
	int64_t i;
	double d;
	bool b;

	cr_assert(vg_json_get(&root, "s", &v));
	cr_assert(vg_json_string(&v, &s));
	assert_view(s, "x\"y\xc3\xa9"); /* escapes are decoded */
	cr_assert_not(vg_json_int64(&v, &i));
	cr_assert_not(vg_json_bool(&v, &b));

	cr_assert(vg_json_get(&root, "i", &v));
	cr_assert(vg_json_int64(&v, &i));
	cr_assert_eq(i, -5);
	cr_assert(vg_json_double(&v, &d), "integers read as doubles too");
	cr_assert_float_eq(d, -5.0, 1e-9);
	cr_assert_not(vg_json_string(&v, &s));

	cr_assert(vg_json_get(&root, "u", &v));
	cr_assert_not(vg_json_int64(&v, &i), "2^64-1 does not fit int64");

	cr_assert(vg_json_get(&root, "d", &v));
	cr_assert(vg_json_double(&v, &d));
	cr_assert_float_eq(d, 1.5, 1e-9);
	cr_assert_not(vg_json_int64(&v, &i));

	cr_assert(vg_json_get(&root, "b", &v));
	cr_assert(vg_json_bool(&v, &b));
	cr_assert(b);
	cr_assert(vg_json_get(&root, "f", &v));
	cr_assert(vg_json_bool(&v, &b));
	cr_assert_not(b);

	assert_view(vg_json_get_str(&root, "s"), "x\"y\xc3\xa9");
	assert_view(vg_json_get_str(&root, "i"), "");    /* not a string */
	assert_view(vg_json_get_str(&root, "nope"), ""); /* absent */
}

Test(json, missing_keys_and_non_objects)
{
	struct vg_json root = parse_ok(types_doc), v, arr;
	cr_assert_not(vg_json_get(&root, "missing", &v));
	cr_assert_not(vg_json_get(&root, "S", &v), "keys are case sensitive");
	cr_assert(vg_json_get(&root, "a", &arr));
	cr_assert_not(vg_json_get(&arr, "0", &v), "an array has no members");
	cr_assert(vg_json_get(&root, "n", &v), "a null member is present");
	cr_assert_eq(vg_json_type(&v), VG_JSON_NULL);
}

/* vg_json_members tries the table entry after the last match first and
 * stops once every wanted member is found: neither may change what it
 * returns, whatever the key order. */
Test(json, members_whatever_the_order)
{
	static const struct vg_json_field want[] = {
		{"abcd", 4}, {"abce", 4}, {"abcdefg", 7}, {"abcdefh", 7}, {"abcdefghij", 10},
		{"abcdefghijklmnopqrs", 19}, {"abcdefghijklmnopqrt", 19}, {"x", 1},
	};
	static const char *const docs[] = {
		/* table order */
		"{\"abcd\":1,\"abce\":2,\"abcdefg\":3,\"abcdefh\":4,\"abcdefghij\":5,"
		"\"abcdefghijklmnopqrs\":6,\"abcdefghijklmnopqrt\":7,\"x\":8,\"x\":0,\"abcd\":0}",
		/* reversed, with unwanted keys, an empty one and repeats */
		"{\"\":0,\"x\":8,\"abcdefghijklmnopqrt\":7,\"y\":0,\"abcdefghijklmnopqrs\":6,\"abcdefghij\":5,"
		"\"abcdefghik\":0,\"abcdefh\":4,\"abcdefg\":3,\"abcdefg\":0,\"abce\":2,\"abcf\":0,\"abcd\":1}",
	};
	for (size_t d = 0; d < VG_ARRAY_LEN(docs); d++) {
		struct vg_json root = parse_ok(docs[d]);
		struct vg_json_member m[VG_ARRAY_LEN(want)];
		cr_assert(vg_json_members(&root, want, sizeof(want[0]), VG_ARRAY_LEN(want), m));
		for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
			int64_t v = -1;
			cr_assert_eq(m[i].type, VG_JSON_INT, "doc %zu, %s", d, want[i].name);
			cr_assert(vg_json_int64(&m[i].val, &v));
			cr_assert_eq(v, (int64_t)i + 1, "doc %zu, %s: the first one counts", d, want[i].name);
		}
	}

	struct vg_json root = parse_ok("{\"abce\":\"s\",\"zz\":null}"), arr;
	struct vg_json_member m[VG_ARRAY_LEN(want)];
	cr_assert(vg_json_members(&root, want, sizeof(want[0]), VG_ARRAY_LEN(want), m));
	cr_assert_eq(m[0].type, VG_JSON_NONE);
	cr_assert_eq(m[1].type, VG_JSON_STRING);
	assert_view(m[1].str, "s");
	for (size_t i = 2; i < VG_ARRAY_LEN(want); i++)
		cr_assert_eq(m[i].type, VG_JSON_NONE, "%s is absent", want[i].name);
	root = parse_ok("{\"a\":[1]}");
	cr_assert(vg_json_get(&root, "a", &arr));
	cr_assert_not(vg_json_members(&arr, want, sizeof(want[0]), VG_ARRAY_LEN(want), m), "not an object");
}

Test(json, nested_path)
{
	struct vg_json root = parse_ok("{\"a\":{\"b\":{\"c\":\"deep\",\"n\":null}},\"x\":[{\"y\":1}],\"s\":\"t\"}"), v;
	cr_assert(vg_json_path(&root, "a.b.c", &v));
	struct vg_str s;
	cr_assert(vg_json_string(&v, &s));
	assert_view(s, "deep");
	cr_assert(vg_json_path(&root, "a.b", &v));
	cr_assert_eq(vg_json_type(&v), VG_JSON_OBJECT);
	cr_assert(vg_json_path(&root, "a.b.n", &v));
	cr_assert_eq(vg_json_type(&v), VG_JSON_NULL);
	cr_assert(vg_json_path(&root, "a", &v));
	cr_assert_eq(vg_json_len(&v), 1);
	cr_assert_not(vg_json_path(&root, "a.b.c.d", &v), "through a string");
	cr_assert_not(vg_json_path(&root, "a.x.c", &v), "missing in the middle");
	cr_assert_not(vg_json_path(&root, "x.y", &v), "through an array");
	cr_assert_not(vg_json_path(&root, "s.t", &v));
	cr_assert(vg_json_path(&root, "", &v), "the empty path is the value itself");
	cr_assert_eq(vg_json_len(&v), 3);
}

Test(json, iterate_array)
{
	struct vg_json root = parse_ok("[10,\"b\",{\"k\":1},[],null]"), v;
	struct vg_json_iter it;
	cr_assert_eq(vg_json_len(&root), 5);
	cr_assert(vg_json_iter_init(&it, &root));
	static const enum vg_json_type want[] = {VG_JSON_INT, VG_JSON_STRING, VG_JSON_OBJECT, VG_JSON_ARRAY,
						 VG_JSON_NULL};
	size_t n = 0;
	struct vg_str key = VG_STR_LIT("junk");
	while (vg_json_iter_next(&it, &key, &v)) {
		cr_assert_lt(n, VG_ARRAY_LEN(want));
		cr_assert_eq(vg_json_type(&v), want[n], "element %zu", n);
		cr_assert_eq(key.n, 0, "array elements have no key");
		n++;
	}
	cr_assert_eq(n, 5);
	cr_assert_not(vg_json_iter_next(&it, NULL, &v), "stays at the end");

	struct vg_json empty = parse_ok("[]");
	cr_assert(vg_json_iter_init(&it, &empty));
	cr_assert_not(vg_json_iter_next(&it, NULL, &v));
	cr_assert_eq(vg_json_len(&empty), 0);
}

Test(json, iterate_object_in_document_order)
{
	struct vg_json root = parse_ok("{\"z\":1,\"a\":2,\"m\":3}"), v;
	struct vg_json_iter it;
	cr_assert_eq(vg_json_len(&root), 3);
	cr_assert(vg_json_iter_init(&it, &root));
	static const char *const keys[] = {"z", "a", "m"};
	int n = 0;
	struct vg_str key;
	while (vg_json_iter_next(&it, &key, &v)) {
		cr_assert_lt(n, 3);
		assert_view(key, keys[n]);
		int64_t i;
		cr_assert(vg_json_int64(&v, &i));
		cr_assert_eq(i, n + 1);
		n++;
	}
	cr_assert_eq(n, 3);
	/* A NULL key pointer is allowed for objects too. */
	cr_assert(vg_json_iter_init(&it, &root));
	cr_assert(vg_json_iter_next(&it, NULL, &v));
}

Test(json, iterate_scalar_is_refused)
{
	struct vg_json root = parse_ok("{\"s\":\"x\"}"), v;
	struct vg_json_iter it;
	cr_assert(vg_json_get(&root, "s", &v));
	cr_assert_not(vg_json_iter_init(&it, &v));
	cr_assert_eq(vg_json_len(&v), 0);
}

Test(json, parse_copy_needs_no_padding)
{
	/* An exact-size heap buffer: reading past it would trip ASan. */
	static const char text[] = "{\"eventName\":\"GetObject\",\"n\":7}";
	size_t n = sizeof(text) - 1;
	char *exact = malloc(n);
	cr_assert_not_null(exact);
	memcpy(exact, text, n);
	struct vg_json root, v;
	const char *why = NULL;
	cr_assert_eq(vg_json_parse_copy(parser, exact, n, &root, &why), VG_OK);
	memset(exact, 'x', n); /* the parser holds its own copy */
	free(exact);
	assert_view(vg_json_get_str(&root, "eventName"), "GetObject");
	cr_assert(vg_json_get(&root, "n", &v));
}

Test(json, parse_copy_of_a_view_into_a_longer_string)
{
	/* JSON nested in a JSON string: only the view's bytes are parsed. */
	static const char text[] = "[1,2]trailing";
	struct vg_json root;
	const char *why;
	cr_assert_eq(vg_json_parse_copy(parser, text, 5, &root, &why), VG_OK);
	cr_assert_eq(vg_json_len(&root), 2);
	cr_assert_eq(vg_json_parse_copy(parser, text, sizeof(text) - 1, &root, &why), VG_EJSON);
}

Test(json, malformed_documents)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":}", "{\"a\":1,}", "[1,2", "{\"a\" 1}", "nul", "{\"a\":\"\x01\"}", "\"unterminated",
		"{\"a\":1} x", "{'a':1}",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++) {
		char *b = padded(bad[i], strlen(bad[i]));
		struct vg_json root;
		const char *why = NULL;
		int rc = vg_json_parse(parser, b, strlen(bad[i]), &root, &why);
		cr_assert(rc == VG_EJSON, "\"%s\": rc %d, want VG_EJSON", bad[i], rc);
		cr_assert_not_null(why);
		free(b);
	}
}

Test(json, parser_keeps_working_after_an_error)
{
	char *b = padded("{bad", 4);
	struct vg_json root;
	const char *why;
	cr_assert_neq(vg_json_parse(parser, b, 4, &root, &why), VG_OK);
	free(b);
	root = parse_ok("{\"ok\":true}");
	struct vg_json v;
	cr_assert(vg_json_get(&root, "ok", &v));
}

Test(json, too_big_for_the_parser)
{
	struct vg_json_parser *small;
	cr_assert_eq(vg_json_parser_new(&small, 32), VG_OK);
	static const char doc[] = "{\"a\":\"0123456789012345678901234567890123456789\"}";
	char *b = padded(doc, sizeof(doc) - 1);
	struct vg_json root;
	const char *why = NULL;
	cr_assert_eq(vg_json_parse(small, b, sizeof(doc) - 1, &root, &why), VG_ETOOBIG);
	cr_assert_not_null(why);
	cr_assert_eq(vg_json_parse_copy(small, doc, sizeof(doc) - 1, &root, &why), VG_ETOOBIG);
	free(b);
	/* A document within the limit still parses with the same parser. */
	b = padded("{\"a\":1}", 7);
	cr_assert_eq(vg_json_parse(small, b, 7, &root, &why), VG_OK);
	free(b);
	vg_json_parser_free(small);
}

Test(json, nesting_depth_is_limited)
{
	enum { DEEP = 5000 };
	char *doc = malloc(2 * DEEP + VG_JSON_PADDING);
	cr_assert_not_null(doc);
	memset(doc, '[', DEEP);
	memset(doc + DEEP, ']', DEEP);
	memset(doc + 2 * DEEP, 0, VG_JSON_PADDING);
	struct vg_json root;
	const char *why = NULL;
	cr_assert_eq(vg_json_parse(parser, doc, 2 * DEEP, &root, &why), VG_EDEPTH);
	cr_assert_not_null(why);
	/* Moderate nesting is fine. */
	cr_assert_eq(vg_json_parse(parser, doc + DEEP - 100, 200, &root, &why), VG_OK);
	free(doc);
}

Test(json, free_null_parser_is_harmless) { vg_json_parser_free(NULL); }

/* ---- frame ---------------------------------------------------------------- */

TestSuite(frame, .init = parser_up, .fini = parser_down);

Test(frame, single_document)
{
	struct frame_seen s = splits("{\"Records\":[{\"n\":1},{\"n\":2}]}");
	cr_assert_eq(s.docs, 1);
	cr_assert_eq(s.doc_pos[0].line, 0);
	cr_assert_eq(s.doc_pos[0].element, 0);
	cr_assert_eq(s.doc_n[0], 1002, "the whole Records document in one call");
	cr_assert_eq(s.bads, 0);
}

Test(frame, single_pretty_document_with_surrounding_whitespace)
{
	struct frame_seen s = splits("\n\n  {\n  \"n\": 5\n}\n\n");
	assert_frames(s, "5@0", "");
}

Test(frame, empty_and_blank_input)
{
	struct frame_seen s = splits("");
	assert_frames(s, "", "");
	s = splits(" \n\t\r\n ");
	assert_frames(s, "", "");
	s = splits("\xef\xbb\xbf");
	assert_frames(s, "", "");
}

Test(frame, bom_before_a_single_document)
{
	struct frame_seen s = splits("\xef\xbb\xbf{\"n\":1}");
	assert_frames(s, "1@0", "");
}

/* A regression test: vg_frame_split once skipped the BOM for its first
 * parse attempts but handed split_stream the buffer from offset 0, so the
 * BOM made line 1 "not a document start" and the first record was reported
 * bad ("unbalanced brackets or unterminated string"). */
Test(frame, bom_before_json_lines)
{
	struct frame_seen s = splits("\xef\xbb\xbf{\"n\":1}\n{\"n\":2}\n");
	assert_frames(s, "1@1 2@2", "");
}

Test(frame, json_lines)
{
	struct frame_seen s = splits("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	assert_frames(s, "1@1 2@2 3@3", "");
	/* No final newline, and CRLF line ends. */
	s = splits("{\"n\":1}\r\n{\"n\":2}\r\n{\"n\":3}");
	assert_frames(s, "1@1 2@2 3@3", "");
}

Test(frame, json_lines_with_blank_lines)
{
	struct frame_seen s = splits("\n\n{\"n\":1}\n\n   \n{\"n\":2}\n\n");
	assert_frames(s, "1@3 2@6", "");
}

Test(frame, json_lines_with_a_bad_line_in_the_middle)
{
	static const char *const bad_lines[] = {
		"{\"n\": 2 x}",               /* balanced, invalid */
		"{\"n\":\"unterminated}",     /* string runs into the newline */
		"{\"n\": {\"deeper\": [1,2", /* unbalanced: must not swallow line 3 */
		"this is not json",           /* not a document at all */
		"{\"n\":2,}",
		"]",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(bad_lines); i++) {
		char text[256];
		snprintf(text, sizeof(text), "{\"n\":1}\n%s\n{\"n\":3}\n{\"n\":4}\n", bad_lines[i]);
		struct frame_seen s = splits(text);
		cr_assert_str_eq(docs_text(&s), "1@1 3@3 4@4", "bad line \"%s\": documents [%s]", bad_lines[i],
				 docs_text(&s));
		cr_assert_str_eq(bads_text(&s), "@2", "bad line \"%s\": bad [%s]", bad_lines[i], bads_text(&s));
		cr_assert(s.bad_why[0][0] != '\0');
	}
}

Test(frame, json_lines_whose_first_line_is_bad)
{
	struct frame_seen s = splits("{\"n\":1,,}\n{\"n\":2}\n{\"n\":3}\n");
	assert_frames(s, "2@2 3@3", "@1");
	cr_assert_eq(s.bad_rc[0], VG_EJSON);
}

Test(frame, json_lines_with_a_cut_last_line)
{
	struct frame_seen s = splits("{\"n\":1}\n{\"n\":2}\n{\"n\":3,\"x\":[1,");
	assert_frames(s, "1@1 2@2", "@3");
	cr_assert_eq(s.bad_rc[0], VG_EJSON);
	/* The message is simdjson's here, unlike salvage mode's "cut off at
	 * the end of the file" (reported to the lead as a minor point). */
	cr_assert(s.bad_why[0][0] != '\0');
}

/* CloudWatch Logs exports: each line the event's time, then its message. */
Test(frame, cloudwatch_export_lines)
{
	struct frame_seen s = splits("2024-03-01T10:41:07.123Z {\"n\":1}\n2024-03-01T10:41:08.000Z {\"n\":2}\n"
				     "2024-03-01T10:41:09Z {\"n\":3}\n");
	assert_frames(s, "1@1 2@2 3@3", "");
	/* The single-line export, and a bad event in the middle, which must
	 * not swallow the lines after it: each line is one event. */
	s = splits("2024-03-01T10:41:07.123Z {\"n\":1}");
	assert_frames(s, "1@1", "");
	s = splits("2024-03-01T10:41:07.123Z {\"n\":1}\n2024-03-01T10:41:08.000Z {\"n\": {\"deeper\": [1,2\n"
		   "2024-03-01T10:41:09.000Z {\"n\":3}\n");
	assert_frames(s, "1@1 3@3", "@2");
	cr_assert_eq(s.bad_rc[0], VG_EJSON);
}

/* What is not quite an export's time stays a bad line. */
Test(frame, near_cloudwatch_export_lines_are_bad)
{
	static const char *const lines[] = {
		"2024-03-01T10:41:07.123 {\"n\":2}",  /* no Z */
		"2024-03-01 10:41:07.123Z {\"n\":2}", /* a space for the T */
		"2024-03-01T10:41:07.123Z  {\"n\":2}", /* two spaces */
		"2024-03-01T10:41:07.123Z [1]",        /* not an object */
		"2024-3-01T10:41:07.123Z {\"n\":2}",   /* a digit short */
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(lines); i++) {
		char text[256];
		snprintf(text, sizeof(text), "{\"n\":1}\n%s\n{\"n\":3}\n", lines[i]);
		struct frame_seen s = splits(text);
		cr_assert_str_eq(docs_text(&s), "1@1 3@3", "line \"%s\": documents [%s]", lines[i], docs_text(&s));
		cr_assert_str_eq(bads_text(&s), "@2", "line \"%s\": bad [%s]", lines[i], bads_text(&s));
	}
}

Test(frame, concatenated_objects)
{
	struct frame_seen s = splits("{\"n\":1}{\"n\":2} {\"n\":3}");
	assert_frames(s, "1@1 2@1:8 3@1:16", "");
	/* Many on one line, as Firehose writes them, with a bad one among
	 * them and more lines after. */
	s = splits("{\"n\":1}{\"n\":2,,}{\"n\":3}{\"n\":4}\n{\"n\":5}{\"n\":6}\n");
	assert_frames(s, "1@1 3@1:17 4@1:24 5@2 6@2:8", "@1:8");
	/* A broken one that ends its line does not swallow the next line. */
	s = splits("{\"n\":1}{\"n\":2,\"x\":[\n{\"n\":3}\n");
	assert_frames(s, "1@1 3@2", "@1:8");
	/* Pretty-printed objects one after the other. */
	s = splits("{\n  \"n\": 1\n}\n{\n  \"n\": 2\n}\n");
	assert_frames(s, "1@1 2@4", "");
}

Test(frame, top_level_array)
{
	struct frame_seen s = splits("[{\"n\":1},{\"n\":2},{\"n\":3}]");
	assert_frames(s, "1003@0", "");
}

/* A pretty-printed S3 delivery file, as CloudTrail writes it: records
 * indented 4, members 6.  %s is the middle record's body. */
static const char pretty_fmt[] = "{\n"
				 "  \"Records\": [\n"
				 "    {\n"
				 "      \"n\": 1,\n"
				 "      \"userIdentity\": {\n"
				 "        \"type\": \"Root\"\n"
				 "      }\n"
				 "    },\n"
				 "%s"
				 "    {\n"
				 "      \"n\": 3,\n"
				 "      \"resources\": [\n"
				 "        {\"ARN\": \"arn:aws:s3:::b\"}\n"
				 "      ]\n"
				 "    },\n"
				 "    {\n"
				 "      \"n\": 4\n"
				 "    }\n"
				 "  ]\n"
				 "}\n";

static struct frame_seen split_pretty(const char *middle)
{
	char text[1024];
	snprintf(text, sizeof(text), pretty_fmt, middle);
	return splits(text);
}

Test(frame, pretty_records_all_good)
{
	struct frame_seen s = split_pretty("    {\n      \"n\": 2\n    },\n");
	assert_frames(s, "1004@0", ""); /* one valid document of four records */
}

Test(frame, pretty_records_with_a_broken_value)
{
	struct frame_seen s = split_pretty("    {\n      \"n\": 2,\n      \"bad\": tru\n    },\n");
	assert_frames(s, "1#1 3#3 4#4", "#2");
}

Test(frame, pretty_records_with_a_missing_close_brace)
{
	struct frame_seen s = split_pretty("    {\n      \"n\": 2,\n      \"x\": {\n        \"y\": 1\n    },\n");
	assert_frames(s, "1#1 3#3 4#4", "#2");
}

/* A regression test: the unterminated string cuts record 2 at its
 * newline; the rest of record 2 was then scanned as junk for ",{", which
 * pretty-printed files never contain (",\n    {"), so the junk skip ran to
 * the first ']' of a later record and records 3 and 4 were lost (reported
 * as one bad element #3). */
Test(frame, pretty_records_with_an_unterminated_string)
{
	struct frame_seen s = split_pretty("    {\n      \"n\": 2,\n      \"bad\": \"oops,\n      \"z\": 1\n    },\n");
	assert_frames(s, "1#1 3#3 4#4", "#2");
}

Test(frame, truncated_compact_records)
{
	static const char full[] = "{\"Records\":[{\"n\":1},{\"n\":2,\"a\":[1,2]},{\"n\":3,\"s\":\"x}\"},{\"n\":4}]}";
	/* Cut inside record 4 at every byte: records 1-3 always survive. */
	const char *r4 = strstr(full, "{\"n\":4");
	for (size_t cut = (size_t)(r4 - full) + 1; cut < sizeof(full) - 3; cut++) {
		struct frame_seen s = split(full, cut);
		cr_assert_str_eq(docs_text(&s), "1#1 2#2 3#3", "cut at %zu: [%s]", cut, docs_text(&s));
		cr_assert_str_eq(bads_text(&s), "#4", "cut at %zu: bad [%s]", cut, bads_text(&s));
		cr_assert_str_eq(s.bad_why[0], "cut off at the end of the file", "cut at %zu", cut);
	}
}

Test(frame, truncated_records_between_records)
{
	struct frame_seen s = splits("{\"Records\":[{\"n\":1},{\"n\":2},");
	assert_frames(s, "1#1 2#2", "");
}

Test(frame, truncated_pretty_records)
{
	char text[1024];
	snprintf(text, sizeof(text), pretty_fmt, "    {\n      \"n\": 2\n    },\n");
	const char *cut = strstr(text, "\"n\": 3");
	cr_assert_not_null(cut);
	struct frame_seen s = split(text, (size_t)(cut - text) + 4);
	assert_frames(s, "1#1 2#2", "#3");
}

Test(frame, truncated_top_level_array_after_whitespace)
{
	struct frame_seen s = splits(" [{\"n\":1},{\"n\":2},{\"n\":3,\"x\":");
	assert_frames(s, "1#1 2#2", "#3");
}

/* A regression test: records_array() once returned the index of the '['
 * and 0 for "none", so an array starting at byte 0 was taken for "no
 * array": the stream path reported the whole buffer as one bad document
 * and records 1 and 2 were lost. */
Test(frame, truncated_top_level_array_at_offset_zero)
{
	struct frame_seen s = splits("[{\"n\":1},{\"n\":2},{\"n\":3,\"x\":");
	assert_frames(s, "1#1 2#2", "#3");
}

Test(frame, records_with_junk_elements)
{
	struct frame_seen s = splits("{\"Records\":[{\"n\":1},42,{\"n\":3},{\"n\":4,}]");
	assert_frames(s, "1#1 3#3", "#2 #4");
	cr_assert_str_eq(s.bad_why[0], "a record must be a JSON object");
}

Test(frame, oversized_document_is_salvaged_record_by_record)
{
	struct vg_json_parser *small;
	cr_assert_eq(vg_json_parser_new(&small, 64), VG_OK);
	static const char doc[] = "{\"Records\":[{\"n\":1,\"pad\":\"aaaaaaaaaaaaaaaa\"},"
				  "{\"n\":2,\"pad\":\"bbbbbbbbbbbbbbbb\"},{\"n\":3,\"pad\":\"cccccccccccccccc\"}]}";
	struct frame_seen s;
	memset(&s, 0, sizeof(s));
	char *b = padded(doc, sizeof(doc) - 1);
	cr_assert_eq(vg_frame_split(small, b, sizeof(doc) - 1, &frame_ops, &s), VG_OK);
	free(b);
	vg_json_parser_free(small);
	assert_frames(s, "1#1 2#2 3#3", "");
}

/* ---- CloudTrail records ---------------------------------------------------- */

TestSuite(cloudtrail, .init = parser_up, .fini = parser_down);

static const char iam_user_record[] =
	"{\"eventVersion\":\"1.09\","
	"\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\","
	"\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"accountId\":\"111122223333\","
	"\"accessKeyId\":\"AKIAEXAMPLE\",\"userName\":\"alice\"},"
	"\"eventTime\":\"2024-07-31T10:00:00.250Z\","
	"\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\",\"awsRegion\":\"eu-west-1\","
	"\"sourceIPAddress\":\"203.0.113.7\",\"userAgent\":\"aws-cli/2.15.0 Python/3.11\","
	"\"errorCode\":\"AccessDenied\",\"errorMessage\":\"not allowed\","
	"\"requestParameters\":{\"userName\":\"bob\"},\"responseElements\":{\"user\":{\"userId\":\"X\"}},"
	"\"additionalEventData\":{\"MFAUsed\":\"No\"},"
	"\"requestID\":\"r-1\",\"eventID\":\"e-1\",\"readOnly\":false,\"eventType\":\"AwsApiCall\","
	"\"managementEvent\":true,\"recipientAccountId\":\"444455556666\",\"eventCategory\":\"Management\","
	"\"someFutureField\":{\"ignored\":[1,2,3]}}";

Test(cloudtrail, full_iam_user_record)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(iam_user_record, &rec);
	cr_assert_eq(ev->source, VG_SRC_CLOUDTRAIL);
	cr_assert_eq(ev->time_ms, T0 + 250);
	assert_view(ev->account, "444455556666");
	assert_view(ev->region, "eu-west-1");
	assert_view(ev->user_agent, "aws-cli/2.15.0 Python/3.11");
	assert_view(ev->actor.type, "IAMUser");
	assert_view(ev->actor.principal_id, "AIDAEXAMPLE");
	assert_view(ev->actor.arn, "arn:aws:iam::111122223333:user/alice");
	assert_view(ev->actor.account, "111122223333");
	assert_view(ev->actor.access_key_id, "AKIAEXAMPLE");
	assert_view(ev->actor.user_name, "alice");
	assert_view(ev->actor.invoked_by, "");
	cr_assert_not(ev->actor.mfa);
	cr_assert_not(ev->actor.assumed_root);
	assert_view(ev->api.service, "iam.amazonaws.com");
	assert_view(ev->api.name, "CreateUser");
	assert_view(ev->api.event_type, "AwsApiCall");
	assert_view(ev->api.event_id, "e-1");
	assert_view(ev->api.version, "1.09");
	assert_view(ev->api.error_code, "AccessDenied");
	assert_view(ev->api.error_message, "not allowed");
	assert_view(ev->api.source_ip_text, "203.0.113.7");
	cr_assert_eq(ev->api.category, VG_CT_MANAGEMENT);
	cr_assert_not(ev->api.read_only);
	cr_assert_eq(ev->src_ip.family, 4);
	cr_assert_eq(ev->src_ip.b[12], 203);
	cr_assert_eq(ev->src_ip.b[15], 7);

	cr_assert_not_null(ev->api.request);
	assert_view(vg_json_get_str(ev->api.request, "userName"), "bob");
	cr_assert_not_null(ev->api.response);
	struct vg_json v;
	cr_assert(vg_json_path(ev->api.response, "user.userId", &v));
	cr_assert_not_null(ev->api.additional);
	assert_view(vg_json_get_str(ev->api.additional, "MFAUsed"), "No");
	cr_assert_not_null(ev->raw);
	assert_view(vg_json_get_str(ev->raw, "requestID"), "r-1");
}

Test(cloudtrail, absent_objects_are_null_pointers)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(REC("\"requestParameters\":null,"), &rec);
	cr_assert_null(ev->api.request);
	cr_assert_null(ev->api.response);
	cr_assert_null(ev->api.additional);
	assert_view(ev->actor.type, "");
	assert_view(ev->account, "");
	cr_assert_eq(ev->src_ip.family, 0);
	cr_assert_eq(ev->time_ms, T0);
}

Test(cloudtrail, assumed_role_takes_the_issuer_user_name)
{
	static const char rec_json[] =
		"{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
		"\"principalId\":\"AROAEXAMPLE:session\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/Admin/session\","
		"\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE\","
		"\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\","
		"\"arn\":\"arn:aws:iam::111122223333:role/Admin\",\"accountId\":\"111122223333\",\"userName\":\"Admin\"},"
		"\"attributes\":{\"creationDate\":\"2024-07-31T09:00:00Z\",\"mfaAuthenticated\":\"true\"}}},"
		"\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\","
		"\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"2001:db8::5\",\"readOnly\":true,"
		"\"eventCategory\":\"Data\"}";
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(rec_json, &rec);
	assert_view(ev->actor.type, "AssumedRole");
	assert_view(ev->actor.user_name, "Admin");
	assert_view(ev->actor.issuer_type, "Role");
	assert_view(ev->actor.issuer_arn, "arn:aws:iam::111122223333:role/Admin");
	assert_view(ev->actor.access_key_id, "ASIAEXAMPLE");
	cr_assert(ev->actor.mfa, "mfaAuthenticated \"true\"");
	cr_assert(ev->api.read_only);
	cr_assert_eq(ev->api.category, VG_CT_DATA);
	cr_assert_eq(ev->src_ip.family, 6);
	cr_assert_eq(ev->src_ip.b[15], 5);
	/* No recipientAccountId: the account falls back to the actor's. */
	assert_view(ev->account, "111122223333");
}

Test(cloudtrail, own_user_name_wins_over_the_issuer_in_any_order)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(REC("\"userIdentity\":{\"type\":\"AssumedRole\",\"userName\":\"own\","
					    "\"sessionContext\":{\"sessionIssuer\":{\"userName\":\"issuer\"}}},"),
					&rec);
	assert_view(ev->actor.user_name, "own");
	ev = decode_ok(REC("\"userIdentity\":{\"type\":\"AssumedRole\","
			   "\"sessionContext\":{\"sessionIssuer\":{\"userName\":\"issuer\"}},\"userName\":\"own\"},"),
		       &rec);
	assert_view(ev->actor.user_name, "own");
	/* An empty own name does not hide the issuer's. */
	ev = decode_ok(REC("\"userIdentity\":{\"type\":\"AssumedRole\","
			   "\"sessionContext\":{\"sessionIssuer\":{\"userName\":\"issuer\"}},\"userName\":\"\"},"),
		       &rec);
	assert_view(ev->actor.user_name, "issuer");
}

Test(cloudtrail, mfa_flag_forms)
{
	struct vg_ct_record rec;
	cr_assert(decode_ok(REC("\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":true}}},"),
			    &rec)->actor.mfa);
	cr_assert_not(decode_ok(REC("\"userIdentity\":{\"sessionContext\":{\"attributes\":"
				    "{\"mfaAuthenticated\":\"false\"}}},"),
				&rec)->actor.mfa);
	cr_assert_not(decode_ok(REC("\"userIdentity\":{\"sessionContext\":{\"attributes\":{}}},"), &rec)->actor.mfa);
}

Test(cloudtrail, root_user)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(REC("\"userIdentity\":{\"type\":\"Root\",\"principalId\":\"111122223333\","
					    "\"arn\":\"arn:aws:iam::111122223333:root\",\"accountId\":\"111122223333\","
					    "\"accessKeyId\":\"AKIAROOT\"},"),
					&rec);
	assert_view(ev->actor.type, "Root");
	assert_view(ev->actor.arn, "arn:aws:iam::111122223333:root");
	assert_view(ev->actor.user_name, "");
	cr_assert_not(ev->actor.assumed_root);
}

Test(cloudtrail, assumed_root_sessions)
{
	struct vg_ct_record rec;
	cr_assert(decode_ok(REC("\"userIdentity\":{\"type\":\"Root\",\"sessionContext\":{\"assumedRoot\":\"true\"}},"),
			    &rec)->actor.assumed_root);
	cr_assert(decode_ok(REC("\"userIdentity\":{\"type\":\"Root\",\"sessionContext\":{\"assumedRoot\":true}},"),
			    &rec)->actor.assumed_root);
	cr_assert(decode_ok(REC("\"userIdentity\":{\"type\":\"Root\",\"inScopeOf\":{\"issuerType\":"
				"\"AWS::Organizations::Account\"}},"),
			    &rec)->actor.assumed_root);
	cr_assert_not(decode_ok(REC("\"userIdentity\":{\"type\":\"Root\",\"sessionContext\":{\"assumedRoot\":\"false\"}},"),
				&rec)->actor.assumed_root);
}

Test(cloudtrail, aws_service_caller)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(REC("\"userIdentity\":{\"type\":\"AWSService\","
					    "\"invokedBy\":\"cloudtrail.amazonaws.com\"},"
					    "\"sourceIPAddress\":\"cloudtrail.amazonaws.com\","),
					&rec);
	assert_view(ev->actor.type, "AWSService");
	assert_view(ev->actor.invoked_by, "cloudtrail.amazonaws.com");
	assert_view(ev->api.source_ip_text, "cloudtrail.amazonaws.com");
	cr_assert_eq(ev->src_ip.family, 0, "a service name is no address");
}

Test(cloudtrail, read_only_forms)
{
	struct vg_ct_record rec;
	cr_assert(decode_ok(REC("\"readOnly\":true,"), &rec)->api.read_only);
	cr_assert(decode_ok(REC("\"readOnly\":\"true\","), &rec)->api.read_only);
	cr_assert_not(decode_ok(REC("\"readOnly\":\"false\","), &rec)->api.read_only);
	cr_assert_not(decode_ok(REC("\"readOnly\":false,"), &rec)->api.read_only);
	cr_assert_not(decode_ok(REC(""), &rec)->api.read_only);
	decode_refused(REC("\"readOnly\":\"yes\","), VG_ETYPE, "readOnly");
	decode_refused(REC("\"readOnly\":1,"), VG_ETYPE, "readOnly");
}

Test(cloudtrail, event_categories)
{
	struct vg_ct_record rec;
	cr_assert_eq(decode_ok(REC("\"eventCategory\":\"Data\","), &rec)->api.category, VG_CT_DATA);
	cr_assert_eq(decode_ok(REC("\"eventCategory\":\"Insight\","), &rec)->api.category, VG_CT_INSIGHT);
	cr_assert_eq(decode_ok(REC("\"eventCategory\":\"NetworkActivity\","), &rec)->api.category,
		     VG_CT_NETWORK_ACTIVITY);
	cr_assert_eq(decode_ok(REC("\"eventCategory\":\"Management\","), &rec)->api.category, VG_CT_MANAGEMENT);
	cr_assert_eq(decode_ok(REC("\"eventCategory\":\"data\","), &rec)->api.category, VG_CT_MANAGEMENT,
		     "category names are case sensitive");
	decode_refused(REC("\"eventCategory\":[\"Data\"],"), VG_ETYPE, "eventCategory");
}

Test(cloudtrail, source_addresses)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(REC("\"sourceIPAddress\":\"8.8.4.4\","), &rec);
	cr_assert_eq(ev->src_ip.family, 4);
	ev = decode_ok(REC("\"sourceIPAddress\":\"2606:4700::1111\","), &rec);
	cr_assert_eq(ev->src_ip.family, 6);
	cr_assert_eq(ev->src_ip.b[0], 0x26);
	ev = decode_ok(REC("\"sourceIPAddress\":\"AWS Internal\","), &rec);
	cr_assert_eq(ev->src_ip.family, 0);
	assert_view(ev->api.source_ip_text, "AWS Internal");
}

Test(cloudtrail, recipient_account_fallback)
{
	struct vg_ct_record rec;
	assert_view(decode_ok(REC("\"userIdentity\":{\"accountId\":\"111122223333\"},"), &rec)->account,
		    "111122223333");
	assert_view(decode_ok(REC("\"userIdentity\":{\"accountId\":\"111122223333\"},"
				  "\"recipientAccountId\":\"444455556666\","),
			      &rec)->account,
		    "444455556666");
	assert_view(decode_ok(REC("\"userIdentity\":{\"accountId\":\"111122223333\"},\"recipientAccountId\":null,"),
			      &rec)->account,
		    "111122223333");
}

Test(cloudtrail, timestamp_fallback)
{
	struct vg_ct_record rec;
	cr_assert_eq(decode_ok(REC_NOTIME("\"@timestamp\":\"2024-07-31T10:00:01Z\","), &rec)->time_ms, T0 + 1000);
	/* eventTime wins whichever comes first. */
	cr_assert_eq(decode_ok(REC("\"@timestamp\":\"2024-07-31T10:00:01Z\","), &rec)->time_ms, T0);
	cr_assert_eq(decode_ok(REC_NOTIME("\"@timestamp\":\"2024-07-31T10:00:01Z\",\"eventTime\":\"2024-07-31T10:00:00Z\","),
			       &rec)->time_ms,
		     T0);
	cr_assert_eq(decode_ok(REC_NOTIME("\"eventTime\":null,\"@timestamp\":\"2024-07-31T10:00:01Z\","), &rec)->time_ms,
		     T0 + 1000);
	decode_refused(REC_NOTIME("\"@timestamp\":5,"), VG_ETYPE, "@timestamp");
}

Test(cloudtrail, offsets_in_event_time)
{
	struct vg_ct_record rec;
	cr_assert_eq(decode_ok(REC_NOTIME("\"eventTime\":\"2024-07-31T12:00:00+02:00\","), &rec)->time_ms, T0);
}

Test(cloudtrail, wrong_types_are_rejected_naming_the_field)
{
	static const struct {
		const char *json;
		const char *field;
	} cases[] = {
		{REC_NOTIME("\"eventTime\":5,"), "eventTime"},
		{REC("\"eventSource\":true,"), "eventSource"},
		{REC("\"awsRegion\":{},"), "awsRegion"},
		{REC("\"sourceIPAddress\":[],"), "sourceIPAddress"},
		{REC("\"userAgent\":1.5,"), "userAgent"},
		{REC("\"errorCode\":1,"), "errorCode"},
		{REC("\"errorMessage\":[],"), "errorMessage"},
		{REC("\"eventID\":1,"), "eventID"},
		{REC("\"eventType\":1,"), "eventType"},
		{REC("\"recipientAccountId\":111122223333,"), "recipientAccountId"},
		{REC("\"userIdentity\":\"x\","), "userIdentity"},
		{REC("\"userIdentity\":[],"), "userIdentity"},
		{REC("\"requestParameters\":\"{}\","), "requestParameters"},
		{REC("\"responseElements\":[1],"), "responseElements"},
		{REC("\"additionalEventData\":true,"), "additionalEventData"},
		{"{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"x\","
		 "\"eventName\":5}",
		 "eventName"},
		{"{\"eventVersion\":1.08,\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"x\","
		 "\"eventName\":\"y\"}",
		 "eventVersion"},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++)
		decode_refused(cases[i].json, VG_ETYPE, cases[i].field);
}

Test(cloudtrail, wrong_identity_member_types_are_rejected)
{
	decode_refused(REC("\"userIdentity\":{\"type\":5},"), VG_ETYPE, "userIdentity");
	decode_refused(REC("\"userIdentity\":{\"arn\":{}},"), VG_ETYPE, "userIdentity");
	decode_refused(REC("\"userIdentity\":{\"accessKeyId\":[\"AKIA\"]},"), VG_ETYPE, "userIdentity");
}

Test(cloudtrail, null_fields_are_absent)
{
	struct vg_ct_record rec;
	struct vg_event *ev = decode_ok(REC("\"errorCode\":null,\"awsRegion\":null,\"userIdentity\":null,"
					    "\"responseElements\":null,\"readOnly\":null,\"eventCategory\":null,"
					    "\"sourceIPAddress\":null,"),
					&rec);
	assert_view(ev->api.error_code, "");
	assert_view(ev->region, "");
	assert_view(ev->actor.type, "");
	cr_assert_null(ev->api.response);
	cr_assert_not(ev->api.read_only);
	cr_assert_eq(ev->api.category, VG_CT_MANAGEMENT);
	cr_assert_eq(ev->src_ip.family, 0);
	ev = decode_ok(REC("\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":null,\"accessKeyId\":null},"), &rec);
	assert_view(ev->actor.type, "IAMUser");
	assert_view(ev->actor.user_name, "");
	/* A null eventName is a missing one. */
	decode_refused("{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"x\","
		       "\"eventName\":null}",
		       VG_EMISSING, "eventName");
}

Test(cloudtrail, event_versions)
{
	struct vg_ct_record rec;
	decode_ok(REC_NOTIME("\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventVersion\":\"1.11\","), &rec);
	decode_ok("{\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"x\",\"eventName\":\"y\"}", &rec);
	static const char *const refused[] = {"2.0", "2.01", "0.9", "10.1", "1"};
	for (size_t i = 0; i < VG_ARRAY_LEN(refused); i++) {
		char json[256];
		snprintf(json, sizeof(json),
			 "{\"eventVersion\":\"%s\",\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"x\","
			 "\"eventName\":\"y\"}",
			 refused[i]);
		decode_refused(json, VG_EVERSION, "eventVersion");
	}
}

Test(cloudtrail, required_fields)
{
	decode_refused(REC_NOTIME(""), VG_EMISSING, "eventTime");
	decode_refused(REC_NOTIME("\"eventTime\":\"\","), VG_EMISSING, "eventTime");
	decode_refused(REC_NOTIME("\"eventTime\":\"yesterday\","), VG_EFORMAT, "eventTime");
	decode_refused("{\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventSource\":\"x\"}", VG_EMISSING, "eventName");
	decode_refused("{\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventName\":\"x\"}", VG_EMISSING, "eventSource");
	decode_refused("{\"eventTime\":\"2024-07-31T10:00:00Z\",\"eventName\":\"\",\"eventSource\":\"x\"}",
		       VG_EMISSING, "eventName");
}

Test(cloudtrail, non_objects_are_rejected)
{
	decode_refused("[1,2]", VG_ETYPE, "object");
	decode_refused("\"GetObject\"", VG_ETYPE, "object");
	decode_refused("null", VG_ETYPE, "object");
}

/* ---- CloudTrail documents -------------------------------------------------- */

#define R(name) "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-07-31T10:00:00Z\"," \
		"\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"" name "\"}"

Test(cloudtrail, doc_records_file_with_a_bad_record)
{
	struct ct_seen s;
	enum vg_ct_doc kind = decode_doc("{\"Records\":[" R("A") ",{\"eventName\":5}," R("C") ",7]}", &s);
	cr_assert_eq(kind, VG_CT_DOC_RECORDS);
	cr_assert_eq(s.events, 2);
	cr_assert_eq(s.ev_index[0], 1);
	cr_assert_str_eq(s.ev_name[0], "A");
	cr_assert_eq(s.ev_index[1], 3);
	cr_assert_str_eq(s.ev_name[1], "C");
	cr_assert_eq(s.bads, 2);
	cr_assert_eq(s.bad_index[0], 2);
	cr_assert_eq(s.bad_rc[0], VG_ETYPE);
	cr_assert_eq(s.bad_index[1], 4);
}

Test(cloudtrail, doc_empty_records)
{
	struct ct_seen s;
	cr_assert_eq(decode_doc("{\"Records\":[]}", &s), VG_CT_DOC_RECORDS);
	cr_assert_eq(s.events + s.bads, 0);
}

Test(cloudtrail, doc_array_of_records)
{
	struct ct_seen s;
	cr_assert_eq(decode_doc("[" R("A") "," R("B") "]", &s), VG_CT_DOC_RECORDS);
	cr_assert_eq(s.events, 2);
	cr_assert_str_eq(s.ev_name[1], "B");
	cr_assert_eq(s.ev_index[1], 2);
}

Test(cloudtrail, doc_single_record)
{
	struct ct_seen s;
	cr_assert_eq(decode_doc(R("Solo"), &s), VG_CT_DOC_RECORD);
	cr_assert_eq(s.events, 1);
	cr_assert_eq(s.ev_index[0], 1);
	cr_assert_str_eq(s.ev_name[0], "Solo");
	/* A single bad record is reported, not dropped silently. */
	cr_assert_eq(decode_doc("{\"eventName\":\"x\",\"eventSource\":\"y\"}", &s), VG_CT_DOC_RECORD);
	cr_assert_eq(s.events, 0);
	cr_assert_eq(s.bads, 1);
	cr_assert_eq(s.bad_rc[0], VG_EMISSING);
}

Test(cloudtrail, doc_eventbridge)
{
	struct ct_seen s;
	cr_assert_eq(decode_doc("{\"version\":\"0\",\"id\":\"abc\",\"detail-type\":\"AWS API Call via CloudTrail\","
				"\"source\":\"aws.s3\",\"account\":\"111122223333\",\"time\":\"2024-07-31T10:00:00Z\","
				"\"region\":\"us-east-1\",\"resources\":[],\"detail\":" R("PutBucketPolicy") "}",
				&s),
		     VG_CT_DOC_RECORD);
	cr_assert_eq(s.events, 1);
	cr_assert_str_eq(s.ev_name[0], "PutBucketPolicy");
	/* An EventBridge event of another kind is not CloudTrail. */
	cr_assert_eq(decode_doc("{\"detail-type\":\"EC2 Instance State-change Notification\","
				"\"detail\":{\"instance-id\":\"i-1\",\"state\":\"running\"}}",
				&s),
		     VG_CT_DOC_UNKNOWN);
	cr_assert_eq(s.events + s.bads, 0);
}

Test(cloudtrail, doc_digest)
{
	struct ct_seen s;
	cr_assert_eq(decode_doc("{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2024-07-31T09:00:00Z\","
				"\"digestEndTime\":\"2024-07-31T10:00:00Z\",\"digestS3Bucket\":\"b\","
				"\"digestPublicKeyFingerprint\":\"abc\",\"logFiles\":[]}",
				&s),
		     VG_CT_DOC_DIGEST);
	cr_assert_eq(s.events + s.bads, 0);
	cr_assert_eq(decode_doc("{\"digestPublicKeyFingerprint\":\"abc\"}", &s), VG_CT_DOC_DIGEST);
}

Test(cloudtrail, doc_unknown)
{
	struct ct_seen s;
	static const char *const docs[] = {
		"{\"foo\":1}", "\"text\"", "42", "null", "{\"Records\":{\"not\":\"a list\"}}", "{}", "true",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(docs); i++) {
		cr_assert_eq(decode_doc(docs[i], &s), VG_CT_DOC_UNKNOWN, "%s", docs[i]);
		cr_assert_eq(s.events + s.bads, 0, "%s", docs[i]);
	}
}
