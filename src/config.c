/*
 * config.c -- the configuration file: YAML read with libyaml's event
 * parser, checked against the schema config.h documents.
 *
 * Two steps.  First libyaml's events become a small tree of nodes, and
 * everything YAML can do that a configuration never needs is refused
 * there: anchors and aliases (one alias can stand for a whole subtree, the
 * "billion laughs"), tags, several documents, nesting deeper than
 * MAX_DEPTH, more than MAX_NODES values.  Then the tree is walked with one
 * descriptor table per mapping; a key not in the table, a key given twice
 * or a value of the wrong kind is an error naming its line and column, so
 * a typo never silently leaves a default in place.
 *
 * libyaml allocates with malloc; its memory is released before returning.
 * Everything in struct vg_config is allocated with vg_malloc.
 */
#include "vg.h"
#include "config.h"
#include "decode/vpcflow.h"
#include "detect/engine.h"
#include "enrich/geo.h"
#include "enrich/intel.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <yaml.h>

#define MAX_FILE ((size_t)1 << 20) /* a configuration is a few KiB */
#define MAX_DEPTH 16               /* the schema needs 4 */
#define MAX_ENTRIES 1024           /* per list, and detector parameters in all */
#define MAX_NODES 65536            /* the largest valid file has about 20,000 */
#define MAX_MEMORY ((uint64_t)1 << 40)

/* ---- the tree ----------------------------------------------------------- */

enum node_kind { N_SCALAR, N_SEQ, N_MAP };

#define NONE UINT32_MAX

/* One YAML value.  A mapping's children alternate key, value. */
struct node {
	enum node_kind kind;
	bool plain;      /* an unquoted scalar: may be a number, a bool or null */
	uint32_t first;  /* first child, NONE when empty */
	uint32_t last;   /* last child, for appending */
	uint32_t next;   /* next sibling, NONE at the end */
	uint32_t n;      /* children */
	size_t line, col; /* 0-based, as libyaml marks them */
	char *text;      /* scalars: owned, NUL-terminated, no NUL inside */
};

struct ctx {
	const char *name;  /* the file, for messages */
	const char *dir;   /* the file again: its first dirlen bytes are its folder and the '/' */
	size_t dirlen;     /* 0 when the name has no folder: paths stay as written */
	char *err;
	size_t errlen;
	struct node *v;    /* the tree; v[0] is the root when n > 0 */
	uint32_t n, cap;
	struct vg_config *out;
	size_t cap_params;
};

/* fail_at -- "NAME:LINE:COLUMN: message" into err; returns VG_EFORMAT. */
static int fail_at(struct ctx *c, size_t line, size_t col, const char *fmt, ...) VG_PRINTF(4, 5);
static int fail_at(struct ctx *c, size_t line, size_t col, const char *fmt, ...)
{
	if (c->errlen) {
		int k = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->name, line + 1, col + 1);
		if (k >= 0 && (size_t)k < c->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
			va_end(ap);
		}
	}
	return VG_EFORMAT;
}

#define fail(c, node, ...) fail_at((c), (node)->line, (node)->col, __VA_ARGS__)

static void tree_free(struct ctx *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		vg_free(c->v[i].text);
	vg_free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

static const char *const event_what[] = {
	[YAML_SCALAR_EVENT] = "a value", [YAML_SEQUENCE_START_EVENT] = "a list",
	[YAML_MAPPING_START_EVENT] = "a mapping",
};

/* add -- a node for event e under the open container parent (NONE for the
 * root); *out is its index. */
static int add(struct ctx *c, const yaml_event_t *e, enum node_kind kind, uint32_t parent, uint32_t *out)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	size_t line = e->start_mark.line, col = e->start_mark.column;
	if (kind == N_SCALAR) {
		anchor = e->data.scalar.anchor;
		tag = e->data.scalar.tag;
	} else if (kind == N_SEQ) {
		anchor = e->data.sequence_start.anchor;
		tag = e->data.sequence_start.tag;
	} else {
		anchor = e->data.mapping_start.anchor;
		tag = e->data.mapping_start.tag;
	}
	if (anchor)
		return fail_at(c, line, col, "anchors (&%s) are not allowed in the configuration; write the value out",
			       (const char *)anchor);
	if (tag)
		return fail_at(c, line, col, "tags (%s) are not allowed in the configuration; remove it",
			       (const char *)tag);
	if (c->n == MAX_NODES)
		return fail_at(c, line, col, "more than %d values; the configuration is too large", MAX_NODES);
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 64;
		struct node *v = vg_realloc(c->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	uint32_t i = c->n;
	struct node *nd = &c->v[i];
	*nd = (struct node){.kind = kind, .first = NONE, .last = NONE, .next = NONE, .line = line, .col = col};
	c->n++;
	if (kind == N_SCALAR) {
		const char *text = (const char *)e->data.scalar.value;
		size_t len = e->data.scalar.length;
		if (memchr(text, '\0', len))
			return fail_at(c, line, col, "a NUL character in a value");
		nd->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (!(nd->text = vg_strndup(text, len)))
			return VG_ENOMEM;
	}
	if (parent != NONE) {
		struct node *p = &c->v[parent];
		if (p->last == NONE)
			p->first = i;
		else
			c->v[p->last].next = i;
		p->last = i;
		p->n++;
	}
	*out = i;
	return VG_OK;
}

/* syntax -- libyaml's own message for a document it cannot read. */
static int syntax(struct ctx *c, const yaml_parser_t *p, const char *text, size_t len)
{
	if (p->error == YAML_MEMORY_ERROR)
		return VG_ENOMEM;
	const char *problem = p->problem ? p->problem : "syntax error";
	if (p->error == YAML_READER_ERROR) {
		/* The reader reports a byte offset, not a mark. */
		size_t line = 0, col = 0;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 0;
			} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		return fail_at(c, line, col, "not YAML text: %s (0x%x)", problem, (unsigned)p->problem_value);
	}
	if (p->context)
		return fail_at(c, p->problem_mark.line, p->problem_mark.column, "YAML syntax: %s (%s at line %zu)",
			       problem, p->context, p->context_mark.line + 1);
	return fail_at(c, p->problem_mark.line, p->problem_mark.column, "YAML syntax: %s", problem);
}

/* build -- the events of text into the tree.  An empty stream leaves it
 * empty. */
static int build(struct ctx *c, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t e;
	uint32_t stack[MAX_DEPTH];
	int depth = 0, docs = 0, rc = VG_OK;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return VG_ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && rc == VG_OK) {
		if (!yaml_parser_parse(&p, &e)) {
			rc = syntax(c, &p, text, len);
			break;
		}
		uint32_t parent = depth ? stack[depth - 1] : NONE, id;
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = fail_at(c, e.start_mark.line, e.start_mark.column,
					     "a second YAML document; the configuration is one document");
			break;
		case YAML_ALIAS_EVENT:
			rc = fail_at(c, e.start_mark.line, e.start_mark.column,
				     "aliases (*%s) are not allowed in the configuration; write the value out",
				     (const char *)e.data.alias.anchor);
			break;
		case YAML_SCALAR_EVENT:
			rc = add(c, &e, N_SCALAR, parent, &id);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth == MAX_DEPTH) {
				rc = fail_at(c, e.start_mark.line, e.start_mark.column,
					     "%s nested deeper than %d levels", event_what[e.type], MAX_DEPTH);
				break;
			}
			rc = add(c, &e, e.type == YAML_SEQUENCE_START_EVENT ? N_SEQ : N_MAP, parent, &id);
			if (rc == VG_OK)
				stack[depth++] = id;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	return rc;
}

/* ---- small checks -------------------------------------------------------- */

static const char *kind_name(const struct node *v)
{
	return v->kind == N_MAP ? "a mapping" : v->kind == N_SEQ ? "a list" : "a single value";
}

/* is_null -- a plain scalar YAML reads as null: nothing, ~ or null. */
static bool is_null(const struct node *v)
{
	return v->kind == N_SCALAR && v->plain &&
	       (!v->text[0] || !strcmp(v->text, "~") || !strcmp(v->text, "null") || !strcmp(v->text, "Null") ||
		!strcmp(v->text, "NULL"));
}

/* distance -- edit distance between two short names, for "did you mean";
 * a large number for long ones. */
static size_t distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), row[33];
	if (na > 32 || nb > 32)
		return 99;
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

/* suggest -- " (did you mean 'X'?)" for the closest of names to s, when
 * one is close; "" otherwise.  Returns buf. */
static const char *suggest(const char *s, const char *(*name_at)(const void *, size_t), const void *tab, size_t n,
			   char *buf, size_t len)
{
	size_t best = 3;
	const char *pick = NULL;
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(s, name_at(tab, i));
		if (d < best) {
			best = d;
			pick = name_at(tab, i);
		}
	}
	if (pick)
		snprintf(buf, len, " (did you mean '%s'?)", pick);
	else if (len)
		buf[0] = '\0';
	return buf;
}

/* resolve -- text taken from the file's folder unless absolute.  Owned
 * result, NULL when out of memory. */
static char *resolve(const struct ctx *c, const char *text)
{
	size_t n = strlen(text);
	if (text[0] == '/' || c->dirlen == 0)
		return vg_strndup(text, n);
	char *p = vg_malloc(c->dirlen + n + 1);
	if (p) {
		memcpy(p, c->dir, c->dirlen);
		memcpy(p + c->dirlen, text, n + 1);
	}
	return p;
}

/* text_of -- v as a non-empty string, else an error naming what. */
static int text_of(struct ctx *c, const char *what, const struct node *v, const char **out)
{
	if (v->kind != N_SCALAR)
		return fail(c, v, "%s must be a string, not %s", what, kind_name(v));
	if (is_null(v))
		return fail(c, v, "%s has no value; give one or remove the key", what);
	if (!v->text[0])
		return fail(c, v, "%s is empty; give a value or remove the key", what);
	*out = v->text;
	return VG_OK;
}

/* ---- mappings with known keys -------------------------------------------- */

/* A key of a mapping: what its value may be is up to set, which gets the
 * full key name for messages and the object the mapping fills. */
struct key {
	const char *name;
	int (*set)(struct ctx *c, const char *what, const struct node *v, void *obj);
};

struct keys {
	const struct key *k;
	size_t n;
	const char *expected; /* "intel, trusted, ..." for the unknown-key message */
};

static const char *key_name_at(const void *tab, size_t i) { return ((const struct key *)tab)[i].name; }

#define MAX_KEYS 16 /* the most keys one mapping takes; checked below each table */

/* walk_map -- each key of map through keys; prefix ("geo.", "intel[2].")
 * goes in front of key names in messages. */
static int walk_map(struct ctx *c, const struct node *map, const struct keys *keys, const char *prefix,
		    const char *what, void *obj)
{
	const struct node *seen[MAX_KEYS] = {0};
	char full[160], hint[64];
	if (map->kind != N_MAP)
		return fail(c, map, "%s must be a mapping (key: value lines), not %s", what, kind_name(map));
	for (uint32_t ki = map->first; ki != NONE;) {
		const struct node *k = &c->v[ki], *v = &c->v[k->next];
		ki = v->next;
		if (k->kind != N_SCALAR)
			return fail(c, k, "a key in %s must be a name, not %s", what, kind_name(k));
		size_t i = 0;
		while (i < keys->n && strcmp(keys->k[i].name, k->text) != 0)
			i++;
		if (i == keys->n)
			return fail(c, k, "unknown key '%s%s'%s; %s takes %s", prefix, k->text,
				    suggest(k->text, key_name_at, keys->k, keys->n, hint, sizeof(hint)), what,
				    keys->expected);
		if (seen[i])
			return fail(c, k, "'%s%s' appears twice (first at line %zu); keep one", prefix, k->text,
				    seen[i]->line + 1);
		seen[i] = k;
		snprintf(full, sizeof(full), "%s%s", prefix, k->text);
		int rc = keys->k[i].set(c, full, v, obj);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* ---- threat and trusted lists -------------------------------------------- */

static int set_list_path(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config_list *l = obj;
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc == VG_OK && !(l->path = resolve(c, t)))
		rc = VG_ENOMEM;
	return rc;
}

static int set_list_name(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config_list *l = obj;
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc == VG_OK && !(l->name = vg_strndup(t, strlen(t))))
		rc = VG_ENOMEM;
	return rc;
}

static int set_list_category(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config_list *l = obj;
	enum vg_intel_category cat;
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc != VG_OK)
		return rc;
	if (vg_intel_category_parse(vg_str_c(t), &cat) != VG_OK)
		return fail(c, v,
			    "%s: unknown category '%s'; use tor, mining, c2, malware, phishing, blackhole, "
			    "droppoint, scanner, dga, young or custom",
			    what, t);
	return (l->category = vg_strndup(t, strlen(t))) ? VG_OK : VG_ENOMEM;
}

static int set_list_format(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config_list *l = obj;
	enum vg_intel_format f;
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc != VG_OK)
		return rc;
	if (vg_intel_format_parse(t, &f) != VG_OK)
		return fail(c, v,
			    "%s: unknown list format '%s'; use TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT, "
			    "FIRE_EYE or auto",
			    what, t);
	return (l->format = vg_strndup(t, strlen(t))) ? VG_OK : VG_ENOMEM;
}

static const struct key intel_keys[] = {
	{"path", set_list_path},
	{"name", set_list_name},
	{"category", set_list_category},
	{"format", set_list_format},
};
static const struct key trusted_keys[] = {
	{"path", set_list_path},
	{"name", set_list_name},
	{"format", set_list_format},
};
static const struct keys intel_map = {intel_keys, VG_ARRAY_LEN(intel_keys), "path, name, category and format"};
static const struct keys trusted_map = {trusted_keys, VG_ARRAY_LEN(trusted_keys),
					"path, name and format (a trusted list has no category)"};

static int set_lists(struct ctx *c, const char *what, const struct node *seq, bool trusted,
		     struct vg_config_list **arr, size_t *n)
{
	char prefix[48], entry[48];
	if (seq->kind != N_SEQ)
		return fail(c, seq, "%s must be a list of '- path: FILE' entries, not %s", what,
			    is_null(seq) ? "empty" : kind_name(seq));
	if (seq->n > MAX_ENTRIES)
		return fail(c, seq, "%s has %u entries; at most %d", what, seq->n, MAX_ENTRIES);
	if (seq->n && !(*arr = vg_calloc(seq->n, sizeof(**arr))))
		return VG_ENOMEM;
	size_t i = 0;
	for (uint32_t ei = seq->first; ei != NONE; ei = c->v[ei].next, i++) {
		const struct node *e = &c->v[ei];
		struct vg_config_list *l = &(*arr)[(*n)++];
		snprintf(prefix, sizeof(prefix), "%s[%zu].", what, i + 1);
		snprintf(entry, sizeof(entry), "%s[%zu]", what, i + 1);
		int rc = walk_map(c, e, trusted ? &trusted_map : &intel_map, prefix, entry, l);
		if (rc != VG_OK)
			return rc;
		if (!l->path)
			return fail(c, e, "%s has no path; add 'path: FILE'", entry);
	}
	return VG_OK;
}

static int set_intel(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config *cfg = obj;
	return set_lists(c, what, v, false, &cfg->intel, &cfg->n_intel);
}

static int set_trusted(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config *cfg = obj;
	return set_lists(c, what, v, true, &cfg->trusted, &cfg->n_trusted);
}

/* ---- geo ----------------------------------------------------------------- */

/* add_geo -- one database path; commas would split it in vg_geo_open. */
static int add_geo(struct ctx *c, const char *what, const struct node *v, char **arr, size_t *n)
{
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc != VG_OK)
		return rc;
	if (strchr(t, ','))
		return fail(c, v, "%s: a path with a comma; give several files as a list ([a.mmdb, b.mmdb])", what);
	if (!(arr[*n] = resolve(c, t)))
		return VG_ENOMEM;
	(*n)++;
	return VG_OK;
}

static int set_geo_paths(struct ctx *c, const char *what, const struct node *v, char ***arr, size_t *n)
{
	size_t count = v->kind == N_SEQ ? v->n : 1;
	if (v->kind == N_MAP)
		return fail(c, v, "%s must be a path or a list of paths, not a mapping", what);
	if (count == 0)
		return fail(c, v, "%s is an empty list; name a file or remove the key", what);
	if (count > VG_GEO_MAX_FILES)
		return fail(c, v, "%s names %zu files; at most %d", what, count, VG_GEO_MAX_FILES);
	if (!(*arr = vg_calloc(count, sizeof(**arr))))
		return VG_ENOMEM;
	if (v->kind == N_SCALAR)
		return add_geo(c, what, v, *arr, n);
	for (uint32_t i = v->first; i != NONE; i = c->v[i].next) {
		int rc = add_geo(c, what, &c->v[i], *arr, n);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int set_geoip(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config *cfg = obj;
	return set_geo_paths(c, what, v, &cfg->geoip, &cfg->n_geoip);
}

static int set_asn(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config *cfg = obj;
	return set_geo_paths(c, what, v, &cfg->asn, &cfg->n_asn);
}

static int set_geo_enabled(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	static const struct {
		const char *text;
		int value;
	} words[] = {
		{"true", 1}, {"True", 1}, {"TRUE", 1}, {"yes", 1}, {"on", 1},
		{"false", 0}, {"False", 0}, {"FALSE", 0}, {"no", 0}, {"off", 0},
	};
	struct vg_config *cfg = obj;
	if (v->kind == N_SCALAR && v->plain)
		for (size_t i = 0; i < VG_ARRAY_LEN(words); i++)
			if (strcmp(v->text, words[i].text) == 0) {
				cfg->geo_enabled = words[i].value;
				return VG_OK;
			}
	return fail(c, v, "%s must be true or false (without quotes)", what);
}

static const struct key geo_keys[] = {
	{"geoip", set_geoip},
	{"asn", set_asn},
	{"enabled", set_geo_enabled},
};
static const struct keys geo_map = {geo_keys, VG_ARRAY_LEN(geo_keys), "geoip, asn and enabled"};

static int set_geo(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	return walk_map(c, v, &geo_map, "geo.", what, obj);
}

/* ---- single values ------------------------------------------------------- */

static int set_database(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config *cfg = obj;
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc == VG_OK && !(cfg->database = resolve(c, t)))
		rc = VG_ENOMEM;
	return rc;
}

/* copy_text -- a scalar's text into *dst (owned). */
static int copy_text(struct ctx *c, const char *what, const struct node *v, char **dst)
{
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc == VG_OK && !(*dst = vg_strndup(t, strlen(t))))
		rc = VG_ENOMEM;
	return rc;
}

static int set_flow_format(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	struct vg_config *cfg = obj;
	struct vg_flow_format fmt;
	const char *why;
	int rc = copy_text(c, what, v, &cfg->flow_format);
	if (rc == VG_OK && vg_vpcflow_parse_format(cfg->flow_format, strlen(cfg->flow_format), &fmt, &why) != VG_OK)
		rc = fail(c, v, "%s is no field list (%s); give VPC Flow Logs field names (\"version account-id ...\")",
			  what, why);
	return rc;
}

static int set_region(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	return copy_text(c, what, v, &((struct vg_config *)obj)->region);
}

static int set_account(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	return copy_text(c, what, v, &((struct vg_config *)obj)->account);
}

/* set_memory -- bytes, or a count of KiB, MiB or GiB ("256MiB", "1 GiB"). */
static int set_memory(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {{"KiB", 10}, {"MiB", 20}, {"GiB", 30}};
	struct vg_config *cfg = obj;
	const char *t;
	int rc = text_of(c, what, v, &t);
	if (rc != VG_OK)
		return rc;
	const char *s = t;
	uint64_t n = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n > MAX_MEMORY ? n : n * 10 + (uint64_t)(*s - '0'); /* saturates past the limit */
	int shift = *s || s == t ? -1 : 0;
	if (s > t && *s == ' ')
		s++;
	for (size_t i = 0; i < VG_ARRAY_LEN(units) && shift < 0 && s > t; i++)
		if (strcasecmp(s, units[i].suffix) == 0)
			shift = (int)units[i].shift;
	if (shift < 0)
		return fail(c, v, "%s: '%s' is not a size; give bytes or a whole number with KiB, MiB or GiB (256MiB)",
			    what, t);
	if (n == 0)
		return fail(c, v, "%s must be more than 0", what);
	if (n > (MAX_MEMORY >> shift))
		return fail(c, v, "%s is more than 1 TiB", what);
	cfg->state_memory = (size_t)(n << shift);
	return VG_OK;
}

static const struct key state_keys[] = {
	{"memory", set_memory},
};
static const struct keys state_map = {state_keys, VG_ARRAY_LEN(state_keys), "memory"};

static int set_state(struct ctx *c, const char *what, const struct node *v, void *obj)
{
	return walk_map(c, v, &state_map, "state.", what, obj);
}

/* ---- detector parameters ------------------------------------------------- */

static const char *detector_name_at(const void *tab, size_t i)
{
	(void)tab;
	return vg_detector_at(i)->name;
}

static const struct vg_detector *detector_find(const char *name)
{
	for (size_t i = 0; i < vg_detector_count(); i++)
		if (strcmp(vg_detector_at(i)->name, name) == 0)
			return vg_detector_at(i);
	return NULL;
}

static const char *param_name_at(const void *tab, size_t i) { return ((const struct vg_param *)tab)[i].name; }

/* number -- a plain scalar that is a finite number. */
static bool number(const struct node *v, double *out)
{
	char *end;
	if (v->kind != N_SCALAR || !v->plain || !v->text[0])
		return false;
	errno = 0;
	*out = strtod(v->text, &end);
	return *end == '\0' && errno == 0 && isfinite(*out);
}

/* set_param -- one "PARAM: VALUE" of detector d. */
static int set_param(struct ctx *c, const struct vg_detector *d, const struct node *k, const struct node *v)
{
	struct vg_config *cfg = c->out;
	char hint[64];
	double value;
	const char *why = NULL;
	size_t n_known = 0;
	while (d->params && d->params[n_known].name)
		n_known++;
	if (k->kind != N_SCALAR)
		return fail(c, k, "a parameter name of detectors.%s must be a name, not %s", d->name, kind_name(k));
	if (!number(v, &value))
		return fail(c, v, "detectors.%s.%s must be a number", d->name, k->text);
	if (vg_detect_param_check(d->name, k->text, value, &why) != VG_OK) {
		bool known = false;
		for (size_t i = 0; i < n_known; i++)
			known |= strcmp(d->params[i].name, k->text) == 0;
		if (known)
			return fail(c, v, "detectors.%s.%s: %s", d->name, k->text, why);
		if (n_known == 0)
			return fail(c, k, "detectors.%s.%s: the detector %s has no parameters", d->name, k->text,
				    d->name);
		return fail(c, k, "detectors.%s.%s: %s%s", d->name, k->text, why,
			    suggest(k->text, param_name_at, d->params, n_known, hint, sizeof(hint)));
	}
	if (cfg->n_params == MAX_ENTRIES)
		return fail(c, k, "more than %d detector parameters", MAX_ENTRIES);
	if (cfg->n_params == c->cap_params) {
		size_t cap = c->cap_params ? c->cap_params * 2 : 16;
		void *p = vg_realloc(cfg->params, cap * sizeof(*cfg->params));
		if (!p)
			return VG_ENOMEM;
		cfg->params = p;
		c->cap_params = cap;
	}
	struct vg_param_value *pv = &cfg->params[cfg->n_params++];
	char *det = vg_strndup(d->name, strlen(d->name)), *name = vg_strndup(k->text, strlen(k->text));
	*pv = (struct vg_param_value){.detector = det, .name = name, .value = value};
	return det && name ? VG_OK : VG_ENOMEM;
}

/* dup_key -- an earlier key of map with k's text, or NULL. */
static const struct node *dup_key(const struct ctx *c, const struct node *map, const struct node *k)
{
	for (uint32_t i = map->first; i != NONE; i = c->v[c->v[i].next].next) {
		const struct node *o = &c->v[i];
		if (o == k)
			return NULL;
		if (o->kind == N_SCALAR && strcmp(o->text, k->text) == 0)
			return o;
	}
	return NULL;
}

static int set_detectors(struct ctx *c, const char *what, const struct node *map, void *obj)
{
	char hint[64];
	(void)obj;
	if (map->kind != N_MAP)
		return fail(c, map, "%s must be a mapping of detector names, not %s", what,
			    is_null(map) ? "empty" : kind_name(map));
	for (uint32_t ki = map->first; ki != NONE;) {
		const struct node *k = &c->v[ki], *v = &c->v[k->next], *prev;
		ki = v->next;
		if (k->kind != N_SCALAR)
			return fail(c, k, "a detector name must be a name, not %s", kind_name(k));
		const struct vg_detector *d = detector_find(k->text);
		if (!d)
			return fail(c, k, "no detector named '%s'%s; `vigil types` lists them", k->text,
				    suggest(k->text, detector_name_at, NULL, vg_detector_count(), hint, sizeof(hint)));
		if ((prev = dup_key(c, map, k)))
			return fail(c, k, "'detectors.%s' appears twice (first at line %zu); keep one", k->text,
				    prev->line + 1);
		if (v->kind != N_MAP)
			return fail(c, v, "detectors.%s must be a mapping of PARAMETER: NUMBER, not %s", k->text,
				    is_null(v) ? "empty" : kind_name(v));
		if (v->n / 2 > MAX_ENTRIES)
			return fail(c, v, "detectors.%s has %u parameters; at most %d", k->text, v->n / 2, MAX_ENTRIES);
		/* Repeats first: they are mistakes whatever the values. */
		for (uint32_t pi = v->first; pi != NONE; pi = c->v[c->v[pi].next].next) {
			const struct node *pk = &c->v[pi];
			if (pk->kind == N_SCALAR && (prev = dup_key(c, v, pk)))
				return fail(c, pk, "'detectors.%s.%s' appears twice (first at line %zu); keep one",
					    k->text, pk->text, prev->line + 1);
		}
		for (uint32_t pi = v->first; pi != NONE; pi = c->v[c->v[pi].next].next) {
			int rc = set_param(c, d, &c->v[pi], &c->v[c->v[pi].next]);
			if (rc != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

/* ---- the file ------------------------------------------------------------ */

static const struct key top_keys[] = {
	{"intel", set_intel},
	{"trusted", set_trusted},
	{"geo", set_geo},
	{"database", set_database},
	{"flow_format", set_flow_format},
	{"region", set_region},
	{"account", set_account},
	{"state", set_state},
	{"detectors", set_detectors},
};
_Static_assert(VG_ARRAY_LEN(top_keys) <= MAX_KEYS, "raise MAX_KEYS");
static const struct keys top_map = {top_keys, VG_ARRAY_LEN(top_keys),
				    "intel, trusted, geo, database, flow_format, region, account, state and detectors"};

void vg_config_free(struct vg_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->intel && i < c->n_intel; i++) {
		vg_free(c->intel[i].path);
		vg_free(c->intel[i].name);
		vg_free(c->intel[i].category);
		vg_free(c->intel[i].format);
	}
	for (size_t i = 0; c->trusted && i < c->n_trusted; i++) {
		vg_free(c->trusted[i].path);
		vg_free(c->trusted[i].name);
		vg_free(c->trusted[i].category);
		vg_free(c->trusted[i].format);
	}
	for (size_t i = 0; c->geoip && i < c->n_geoip; i++)
		vg_free(c->geoip[i]);
	for (size_t i = 0; c->asn && i < c->n_asn; i++)
		vg_free(c->asn[i]);
	for (size_t i = 0; c->params && i < c->n_params; i++) {
		vg_free((char *)c->params[i].detector);
		vg_free((char *)c->params[i].name);
	}
	vg_free(c->intel);
	vg_free(c->trusted);
	vg_free(c->geoip);
	vg_free(c->asn);
	vg_free(c->database);
	vg_free(c->flow_format);
	vg_free(c->region);
	vg_free(c->account);
	vg_free(c->params);
	*c = (struct vg_config){.geo_enabled = -1};
}

int vg_config_parse(const char *text, size_t len, const char *name, struct vg_config *out, char *err,
		    size_t errlen)
{
	*out = (struct vg_config){.geo_enabled = -1};
	if (errlen)
		err[0] = '\0';
	if (!name)
		name = "(config)";
	const char *slash = strrchr(name, '/');
	struct ctx c = {.name = name, .dir = name, .dirlen = slash ? (size_t)(slash - name) + 1 : 0, .err = err,
			.errlen = errlen, .out = out};
	if (len > MAX_FILE) {
		if (errlen)
			snprintf(err, errlen, "%s: larger than %zu KiB; that is no configuration file", name,
				 MAX_FILE >> 10);
		return VG_ETOOBIG;
	}
	int rc = build(&c, text ? text : "", text ? len : 0);
	if (rc == VG_OK && c.n > 0 && !is_null(&c.v[0])) {
		if (c.v[0].kind != N_MAP)
			rc = fail(&c, &c.v[0],
				  "the file must be a mapping of keys (intel:, trusted:, geo:, ...), not %s",
				  kind_name(&c.v[0]));
		else
			rc = walk_map(&c, &c.v[0], &top_map, "", "the top level", out);
	}
	if (rc == VG_ENOMEM && errlen)
		snprintf(err, errlen, "%s: out of memory", name);
	tree_free(&c);
	return rc;
}

int vg_config_load(const char *path, struct vg_config *out, char *err, size_t errlen)
{
	*out = (struct vg_config){.geo_enabled = -1};
	if (errlen)
		err[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		if (errlen)
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(e));
		return e == ENOENT ? VG_ENOENT : VG_EIO;
	}
	/* One byte more than the limit tells a file at the limit from a
	 * larger one. */
	char *text = vg_malloc(MAX_FILE + 1);
	if (!text) {
		fclose(f);
		if (errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return VG_ENOMEM;
	}
	size_t len = fread(text, 1, MAX_FILE + 1, f);
	int bad = ferror(f);
	fclose(f);
	int rc;
	if (bad) {
		if (errlen)
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno ? errno : EIO));
		rc = VG_EIO;
	} else {
		rc = vg_config_parse(text, len, path, out, err, errlen);
	}
	vg_free(text);
	return rc;
}
