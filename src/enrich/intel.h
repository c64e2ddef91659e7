/*
 * intel.h -- threat intelligence and trusted lists, loaded once, read by
 * every detector.
 *
 * A list is a file in any format GuardDuty accepts (enrich/intel_formats.h)
 * with a name and a category; the category decides the finding family, as
 * GuardDuty's own lists do (Tor lists make TorIPCaller findings, customer
 * lists make the .Custom types, the rest the MaliciousIPCaller types).
 * Addresses go into one longest-prefix trie, domains into one suffix set;
 * both map to the entry's list and threat name.
 */
#ifndef VG_ENRICH_INTEL_H
#define VG_ENRICH_INTEL_H

#include "../vg.h"
#include "../core/ip.h"
#include "../core/str.h"
#include "intel_formats.h"

enum vg_intel_category {
	VG_CAT_CUSTOM = 0, /* a customer's threat list: the .Custom finding types */
	VG_CAT_TOR,
	VG_CAT_MINING,
	VG_CAT_C2,
	VG_CAT_MALWARE,
	VG_CAT_PHISHING,
	VG_CAT_BLACKHOLE,
	VG_CAT_DROPPOINT,
	VG_CAT_SCANNER,    /* internet scanners: port-probe findings */
	VG_CAT_TRUSTED,    /* a trusted list: no findings for its entries */
	VG_CAT_DGA,        /* known algorithmically generated domains */
	VG_CAT_YOUNG,      /* newly registered or first-seen domains (an NRD
			    * feed): domain age for the reputation score,
			    * no findings of their own */
};

struct vg_intel_list {
	char *name;                      /* shown as threatListName; owned */
	char *path;                      /* owned */
	enum vg_intel_category category;
	enum vg_intel_format format;     /* as detected or forced */
	char sha256[65];                 /* of the file, for evidence.threatFileSha256 */
	uint64_t entries;                /* entries loaded */
	uint64_t bad;                    /* malformed lines skipped */
};

/* A match: the list it came from and the entry's threat name (may be
 * empty).  Both borrowed from the vg_intel. */
struct vg_intel_hit {
	const struct vg_intel_list *list;
	struct vg_str threat_name;
};

struct vg_intel;

/* Called once per malformed line while loading. */
typedef void (*vg_intel_bad_cb)(void *ctx, const char *path, uint64_t line, const char *why);

/* vg_intel_new / vg_intel_free -- an empty set of lists; caller frees. */
int vg_intel_new(struct vg_intel **out) VG_WUR;
void vg_intel_free(struct vg_intel *in);

/* vg_intel_category_parse -- "tor", "mining", "c2", "malware", "phishing",
 * "blackhole", "droppoint", "scanner", "dga", "young", "custom"; VG_EINVAL
 * otherwise. */
int vg_intel_category_parse(struct vg_str s, enum vg_intel_category *out) VG_WUR;
const char *vg_intel_category_name(enum vg_intel_category c);

/* vg_intel_load -- read one list.  spec is [NAME=][CATEGORY:]PATH (the
 * --intel argument; the name defaults to the file name and the category
 * to custom); trusted lists pass category VG_CAT_TRUSTED and a bare path.
 * Malformed lines go to bad() and are skipped.  On failure *why says what
 * went wrong (a static string). */
int vg_intel_load(struct vg_intel *in, const char *spec, bool trusted, enum vg_intel_format format,
		  vg_intel_bad_cb bad, void *ctx, const char **why) VG_WUR;
/* vg_intel_load_file -- the same with the parts apart, as the
 * configuration file gives them: name NULL for the file name, cat
 * VG_CAT_TRUSTED for a trusted list.  No part of path is taken apart, so
 * any file name works. */
int vg_intel_load_file(struct vg_intel *in, const char *path, const char *name, enum vg_intel_category cat,
		       enum vg_intel_format format, vg_intel_bad_cb bad, void *ctx, const char **why) VG_WUR;
/* vg_intel_build -- finish loading; look-ups need it. */
int vg_intel_build(struct vg_intel *in) VG_WUR;

/* Look-ups: never allocate; safe from several threads after build. */
bool vg_intel_ip(const struct vg_intel *in, const struct vg_ip *ip, struct vg_intel_hit *hit);
bool vg_intel_domain(const struct vg_intel *in, struct vg_str name, struct vg_intel_hit *hit);
/* vg_intel_young -- whether name is on a `young` list.  Those lists live
 * apart from the threat lists: a young domain is not a threat, and a name
 * on both must still match its threat list. */
bool vg_intel_young(const struct vg_intel *in, struct vg_str name, struct vg_intel_hit *hit);

/* The lists loaded, for summaries. */
size_t vg_intel_list_count(const struct vg_intel *in);
const struct vg_intel_list *vg_intel_list_at(const struct vg_intel *in, size_t i);

#endif /* VG_ENRICH_INTEL_H */
