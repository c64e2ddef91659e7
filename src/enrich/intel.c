/*
 * intel.c -- loading threat and trusted lists into the look-up tables.
 *
 * Each entry becomes one record (list index, threat name) in a growable
 * array; the trie and the domain set map addresses and names to the
 * record's index.  Threat names live in one string arena, deduplicated
 * against the previous entry (lists repeat the same name line after line).
 */
#include "../vg.h"
#include "intel.h"
#include "../core/buf.h"
#include "../ingest/input.h"
#include "domainset.h"
#include "iptrie.h"

#include <stdio.h>

/* Lists are read whole; GuardDuty caps them at 35 MB, we allow far more. */
#define INTEL_MAX_FILE ((size_t)4 << 30)

struct record {
	uint32_t list;    /* index into lists */
	uint32_t name;    /* offset of the threat name in names */
	uint32_t name_len;
};

struct vg_intel {
	struct vg_intel_list *lists;
	size_t n_lists;
	struct record *records;
	size_t n_records, cap_records;
	struct vg_buf names;      /* threat names, back to back */
	struct vg_iptrie *ips;
	struct vg_domainset *domains;
	struct vg_domainset *young; /* the `young` lists' names */
};

static const char *const category_names[] = {
	[VG_CAT_CUSTOM] = "custom",       [VG_CAT_TOR] = "tor",
	[VG_CAT_MINING] = "mining",       [VG_CAT_C2] = "c2",
	[VG_CAT_MALWARE] = "malware",     [VG_CAT_PHISHING] = "phishing",
	[VG_CAT_BLACKHOLE] = "blackhole", [VG_CAT_DROPPOINT] = "droppoint",
	[VG_CAT_SCANNER] = "scanner",     [VG_CAT_TRUSTED] = "trusted",
	[VG_CAT_DGA] = "dga",             [VG_CAT_YOUNG] = "young",
};

const char *vg_intel_category_name(enum vg_intel_category c)
{
	return (unsigned)c < VG_ARRAY_LEN(category_names) ? category_names[c] : "custom";
}

int vg_intel_category_parse(struct vg_str s, enum vg_intel_category *out)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(category_names); i++) {
		if (i == VG_CAT_TRUSTED) /* trusted lists have their own option */
			continue;
		if (vg_str_eqc(s, category_names[i])) {
			*out = (enum vg_intel_category)i;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

int vg_intel_new(struct vg_intel **out)
{
	struct vg_intel *in = vg_calloc(1, sizeof(*in));
	int rc;
	if (!in)
		return VG_ENOMEM;
	vg_buf_init(&in->names, (size_t)UINT32_MAX);
	if ((rc = vg_iptrie_new(&in->ips)) != VG_OK || (rc = vg_domainset_new(&in->domains)) != VG_OK ||
	    (rc = vg_domainset_new(&in->young)) != VG_OK) {
		vg_intel_free(in);
		return rc;
	}
	*out = in;
	return VG_OK;
}

void vg_intel_free(struct vg_intel *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->n_lists; i++) {
		vg_free(in->lists[i].name);
		vg_free(in->lists[i].path);
	}
	vg_free(in->lists);
	vg_free(in->records);
	vg_buf_free(&in->names);
	vg_iptrie_free(in->ips);
	vg_domainset_free(in->domains);
	vg_domainset_free(in->young);
	vg_free(in);
}

struct loading {
	struct vg_intel *in;
	uint32_t list;
	struct vg_intel_list *meta;
	vg_intel_bad_cb bad;
	void *ctx;
	int rc; /* first hard failure */
};

static int add_record(struct loading *l, struct vg_str threat, uint32_t *index)
{
	struct vg_intel *in = l->in;
	if (in->n_records == UINT32_MAX)
		return VG_ELIMIT;
	if (in->n_records == in->cap_records) {
		size_t cap = in->cap_records ? in->cap_records * 2 : 1024;
		struct record *r = vg_realloc(in->records, cap * sizeof(*r));
		if (!r)
			return VG_ENOMEM;
		in->records = r;
		in->cap_records = cap;
	}
	struct record *r = &in->records[in->n_records];
	const struct record *prev = in->n_records ? &in->records[in->n_records - 1] : NULL;
	r->list = l->list;
	if (prev && prev->name_len == threat.n && vg_mem_eq(in->names.p + prev->name, threat.p, threat.n)) {
		r->name = prev->name;
	} else {
		r->name = (uint32_t)in->names.len;
		vg_buf_add(&in->names, threat.p, threat.n);
		if (in->names.failed)
			return in->names.failed;
	}
	r->name_len = (uint32_t)threat.n;
	*index = (uint32_t)in->n_records++;
	return VG_OK;
}

static void on_bad(void *ctx, uint64_t line, const char *why)
{
	struct loading *l = ctx;
	l->meta->bad++;
	if (l->bad)
		l->bad(l->ctx, l->meta->path, line, why);
}

static int on_entry(void *ctx, const struct vg_intel_entry *e)
{
	struct loading *l = ctx;
	bool young = l->meta->category == VG_CAT_YOUNG;
	uint32_t index;
	if (young && e->kind == VG_INTEL_IP) {
		on_bad(ctx, e->line, "a young-domain list holds domain names, not addresses");
		return 0;
	}
	int rc = add_record(l, e->threat_name, &index);
	if (rc == VG_OK)
		rc = e->kind == VG_INTEL_IP ? vg_iptrie_add_cidr(l->in->ips, e->value, index)
					    : vg_domainset_add(young ? l->in->young : l->in->domains, e->value, index);
	if (rc == VG_EFORMAT) {
		/* The parser validated it; a table refusing it is still a bad line. */
		l->meta->bad++;
		if (l->bad)
			l->bad(l->ctx, l->meta->path, e->line, "not a valid address, network or domain name");
		return 0;
	}
	if (rc != VG_OK) {
		l->rc = rc;
		return 1;
	}
	l->meta->entries++;
	return 0;
}

/* Split [NAME=][CATEGORY:]PATH.  A CATEGORY: prefix counts only when it is
 * a known category, so paths with colons still work. */
static int parse_spec(const char *spec, bool trusted, struct vg_str *name, enum vg_intel_category *cat,
		      const char **path)
{
	const char *eq = strchr(spec, '=');
	const char *rest = spec;
	*name = VG_STR_NULL;
	*cat = trusted ? VG_CAT_TRUSTED : VG_CAT_CUSTOM;
	if (eq && eq > spec && !memchr(spec, '/', (size_t)(eq - spec))) {
		*name = (struct vg_str){spec, (size_t)(eq - spec)};
		rest = eq + 1;
	}
	const char *colon = strchr(rest, ':');
	if (!trusted && colon && vg_intel_category_parse((struct vg_str){rest, (size_t)(colon - rest)}, cat) == VG_OK)
		rest = colon + 1;
	*path = rest;
	if (vg_str_empty(*name)) {
		const char *base = strrchr(rest, '/');
		*name = vg_str_c(base ? base + 1 : rest);
	}
	return *rest ? VG_OK : VG_EINVAL;
}

/* load -- read the list at path (non-empty) as name in category cat. */
static int load(struct vg_intel *in, const char *path, struct vg_str name, enum vg_intel_category cat,
		enum vg_intel_format format, vg_intel_bad_cb bad, void *ctx, const char **why)
{
	struct vg_input file;
	int rc;

	if (in->n_lists >= UINT16_MAX) {
		*why = "too many lists";
		return VG_ELIMIT;
	}
	rc = vg_input_read(path, INTEL_MAX_FILE, VG_INPUT_DIGEST, &file);
	if (rc != VG_OK) {
		*why = vg_strerror(rc);
		vg_input_free(&file);
		return rc;
	}
	struct vg_intel_list *lists = vg_realloc(in->lists, (in->n_lists + 1) * sizeof(*lists));
	if (!lists) {
		vg_input_free(&file);
		return VG_ENOMEM;
	}
	in->lists = lists;
	struct vg_intel_list *meta = &lists[in->n_lists];
	*meta = (struct vg_intel_list){.category = cat};
	memcpy(meta->sha256, file.sha256, sizeof(meta->sha256));
	meta->name = vg_strndup(name.p, name.n);
	meta->path = vg_strndup(path, strlen(path));
	if (!meta->name || !meta->path) {
		vg_free(meta->name);
		vg_free(meta->path);
		vg_input_free(&file);
		return VG_ENOMEM;
	}
	in->n_lists++;

	meta->format = format == VG_INTEL_AUTO ? vg_intel_detect(file.data, file.len) : format;
	struct loading l = {.in = in, .list = (uint32_t)(in->n_lists - 1), .meta = meta, .bad = bad, .ctx = ctx};
	const struct vg_intel_sink sink = {on_entry, on_bad, &l};
	rc = vg_intel_parse(file.data, file.len, meta->format, &sink);
	vg_input_free(&file);
	if (rc == VG_OK && l.rc != VG_OK)
		rc = l.rc;
	if (rc == VG_EFORMAT)
		*why = "nothing in it looks like a threat list in that format";
	else if (rc != VG_OK)
		*why = vg_strerror(rc);
	return rc;
}

int vg_intel_load(struct vg_intel *in, const char *spec, bool trusted, enum vg_intel_format format,
		  vg_intel_bad_cb bad, void *ctx, const char **why)
{
	struct vg_str name;
	enum vg_intel_category cat;
	const char *path;

	*why = NULL;
	if (parse_spec(spec, trusted, &name, &cat, &path) != VG_OK) {
		*why = "no file named";
		return VG_EINVAL;
	}
	return load(in, path, name, cat, format, bad, ctx, why);
}

int vg_intel_load_file(struct vg_intel *in, const char *path, const char *name, enum vg_intel_category cat,
		       enum vg_intel_format format, vg_intel_bad_cb bad, void *ctx, const char **why)
{
	*why = NULL;
	if (!path || !*path || (name && !*name)) {
		*why = !path || !*path ? "no file named" : "empty list name";
		return VG_EINVAL;
	}
	if (!name) {
		const char *base = strrchr(path, '/');
		name = base ? base + 1 : path;
	}
	return load(in, path, vg_str_c(name), cat, format, bad, ctx, why);
}

int vg_intel_build(struct vg_intel *in) { return vg_iptrie_build(in->ips); }

static bool hit_for(const struct vg_intel *in, uint32_t index, struct vg_intel_hit *hit)
{
	if (index >= in->n_records)
		return false;
	const struct record *r = &in->records[index];
	hit->list = &in->lists[r->list];
	hit->threat_name = (struct vg_str){in->names.p ? in->names.p + r->name : NULL, r->name_len};
	return true;
}

bool vg_intel_ip(const struct vg_intel *in, const struct vg_ip *ip, struct vg_intel_hit *hit)
{
	uint32_t index;
	return ip->family && vg_iptrie_lookup(in->ips, ip, &index) && hit_for(in, index, hit);
}

bool vg_intel_domain(const struct vg_intel *in, struct vg_str name, struct vg_intel_hit *hit)
{
	uint32_t index;
	return vg_domainset_lookup(in->domains, name, &index) && hit_for(in, index, hit);
}

bool vg_intel_young(const struct vg_intel *in, struct vg_str name, struct vg_intel_hit *hit)
{
	uint32_t index;
	return vg_domainset_lookup(in->young, name, &index) && hit_for(in, index, hit);
}

size_t vg_intel_list_count(const struct vg_intel *in) { return in->n_lists; }

const struct vg_intel_list *vg_intel_list_at(const struct vg_intel *in, size_t i)
{
	return i < in->n_lists ? &in->lists[i] : NULL;
}
