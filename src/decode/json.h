/*
 * json.h -- vigil's only JSON parser interface, a thin C face on simdjson's
 * DOM API (decode/json.cpp is the single C++ file in the tree).
 *
 * A vg_json is a small value handle into the parser's last document: it is
 * borrowed until the next vg_json_parse on the same parser or until the
 * parser is freed.  Strings returned as vg_str point into the parser's
 * string buffer with the same lifetime.
 */
#ifndef VG_DECODE_JSON_H
#define VG_DECODE_JSON_H

#include "../vg.h"
#include "../core/str.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that must be readable (not necessarily meaningful) after the end of
 * every buffer handed to vg_json_parse. */
#define VG_JSON_PADDING 64

enum vg_json_type {
	VG_JSON_NONE = 0, /* missing value */
	VG_JSON_NULL,
	VG_JSON_BOOL,
	VG_JSON_INT,
	VG_JSON_UINT,
	VG_JSON_DOUBLE,
	VG_JSON_STRING,
	VG_JSON_ARRAY,
	VG_JSON_OBJECT,
};

struct vg_json {
	uint64_t opaque[2]; /* a simdjson dom::element */
};

struct vg_json_iter {
	uint64_t opaque[5]; /* current and end iterators, plus the kind */
};

struct vg_json_parser;

/* vg_json_parser_new -- a parser whose documents may be at most max_bytes
 * long.  The caller frees it with vg_json_parser_free. */
int vg_json_parser_new(struct vg_json_parser **out, size_t max_bytes) VG_WUR;
void vg_json_parser_free(struct vg_json_parser *p);

/* vg_json_parse -- parse buf[0..len) (VG_JSON_PADDING bytes after it must be
 * readable).  On failure returns VG_EJSON, VG_ETOOBIG, VG_EDEPTH or
 * VG_ENOMEM and sets *why to a static description. */
int vg_json_parse(struct vg_json_parser *p, const char *buf, size_t len, struct vg_json *root,
		  const char **why) VG_WUR;
/* vg_json_parse_copy -- the same for a buffer without padding (it is
 * copied first); for JSON nested inside JSON strings. */
int vg_json_parse_copy(struct vg_json_parser *p, const char *buf, size_t len, struct vg_json *root,
		       const char **why) VG_WUR;

enum vg_json_type vg_json_type(const struct vg_json *v);
/* vg_json_get -- member key of an object; false if v is no object or the
 * member is absent.  A JSON null member is returned (type VG_JSON_NULL). */
bool vg_json_get(const struct vg_json *obj, const char *key, struct vg_json *out);
/* vg_json_path -- follow dotted member names ("a.b.c"). */
bool vg_json_path(const struct vg_json *obj, const char *path, struct vg_json *out);
bool vg_json_string(const struct vg_json *v, struct vg_str *out);
bool vg_json_bool(const struct vg_json *v, bool *out);
bool vg_json_int64(const struct vg_json *v, int64_t *out);
bool vg_json_double(const struct vg_json *v, double *out);
/* vg_json_len -- elements of an array or members of an object, else 0. */
size_t vg_json_len(const struct vg_json *v);

/* Iteration over an array (key left empty) or an object. */
bool vg_json_iter_init(struct vg_json_iter *it, const struct vg_json *v);
bool vg_json_iter_next(struct vg_json_iter *it, struct vg_str *key, struct vg_json *val);

/* Fetching several members at once: one pass over an object instead of a
 * call per member.  want points to n entries of stride bytes, each of which
 * starts with a struct vg_json_field, so a caller's own descriptor table
 * can be passed as it is. */
struct vg_json_field {
	const char *name;
	size_t len; /* strlen(name), at least 1 */
};

struct vg_json_member {
	enum vg_json_type type; /* VG_JSON_NONE when the member is absent */
	struct vg_str str;      /* the value when type is VG_JSON_STRING */
	struct vg_json val;     /* the value (valid unless type is VG_JSON_NONE) */
};

/* vg_json_members -- fill out[i] for the member named by entry i of want
 * (a repeated key: the first one counts, as when reading front to back).
 * False if obj is not an object. */
bool vg_json_members(const struct vg_json *obj, const void *want, size_t stride, size_t n,
		     struct vg_json_member *out);

/* vg_json_get_str -- convenience: string member, or empty view. */
static inline struct vg_str vg_json_get_str(const struct vg_json *obj, const char *key)
{
	struct vg_json v;
	struct vg_str s = VG_STR_NULL;
	if (vg_json_get(obj, key, &v))
		(void)vg_json_string(&v, &s);
	return s;
}

#ifdef __cplusplus
}
#endif

#endif /* VG_DECODE_JSON_H */
