/*
 * domain.h -- domain-name helpers for DNS detectors: a canonical form of a
 * queried name, its registrable domain (GuardDuty's "domainWithSuffix":
 * the public suffix plus one label) from the Public Suffix List via libpsl,
 * the part in front of it, and the Shannon entropy that DNS-tunnel
 * detection measures on that part.
 *
 * Ownership: every function borrows its arguments for the call only; the
 * views returned point into the caller's input.  The one handle,
 * struct vg_psl, is opened once by the caller (vg_psl_open), freed with
 * vg_psl_free, and may be shared by any number of threads for look-ups.
 */
#ifndef VG_ENRICH_DOMAIN_H
#define VG_ENRICH_DOMAIN_H

#include "../vg.h"
#include "../core/str.h"

/* The longest name accepted, without the trailing dot (RFC 1035), and the
 * longest label.  A buffer of VG_DOMAIN_NAME_CAP bytes holds every
 * normalized name with its terminator. */
#define VG_DOMAIN_NAME_MAX 253
#define VG_DOMAIN_LABEL_MAX 63
#define VG_DOMAIN_NAME_CAP (VG_DOMAIN_NAME_MAX + 1)

/* vg_domain_normalize -- write name in canonical form to out: ASCII lower
 * case, one trailing dot dropped, NUL-terminated.  Returns its length, or 0
 * (out then holds "" when cap > 0) when the name is empty, is longer than
 * VG_DOMAIN_NAME_MAX or than cap - 1, has an empty label ("a..b", ".a") or
 * one over VG_DOMAIN_LABEL_MAX bytes, or has a byte other than a letter,
 * digit, '-', '_' or '.'.  IDN names pass in their xn-- form; raw UTF-8 and
 * the escapes Route 53 writes for odd bytes ("\\032") are refused. */
size_t vg_domain_normalize(struct vg_str name, char *out, size_t cap);

/* A Public Suffix List.  Opaque; look-ups never change it. */
struct vg_psl;

/* vg_psl_open -- load a list.  path names a file as libpsl reads it (the
 * text public_suffix_list.dat or its DAFSA form, e.g. Debian's
 * /usr/share/publicsuffix/public_suffix_list.dafsa).  NULL takes the text
 * list libpsl was built from, which the distribution keeps current
 * (psl_builtin_filename(), Debian's publicsuffix package), or when that
 * cannot be read the newest of libpsl's built-in list and its DAFSA file
 * (psl_latest).  A text list makes look-ups 2 to 4 times faster than the
 * DAFSA forms (about 0.15 us per label of the name against 0.4 us); it
 * takes some 7 ms to load.  Returns VG_OK with *out to free with
 * vg_psl_free, VG_ENOENT when the file cannot be opened, VG_EFORMAT when
 * libpsl cannot read it, or VG_ENOMEM. */
int vg_psl_open(struct vg_psl **out, const char *path) VG_WUR;
/* vg_psl_free -- releases the list; NULL is a no-op. */
void vg_psl_free(struct vg_psl *psl);

/* vg_domain_registrable -- the registrable domain of a normalized name (as
 * vg_domain_normalize writes it): its longest public suffix, ICANN or
 * private ("github.io"), plus one label: a.b.example.co.uk gives
 * example.co.uk, x.y.github.io gives y.github.io.  When the name is itself
 * a public suffix, or libpsl gives no answer, the last two labels are
 * returned, or the whole name when it has one label.  psl NULL uses
 * libpsl's compiled-in list (static data, no allocation, but the slower
 * DAFSA search: detectors should hold a vg_psl_open handle).  Returns a
 * view into name; empty only for an empty name.  Never allocates.  libpsl
 * tests every suffix of the name, so the cost grows with its labels. */
struct vg_str vg_domain_registrable(const struct vg_psl *psl, struct vg_str name);

/* vg_domain_subpart -- the labels of name in front of its registrable
 * domain, without the dot that joins them ("a.b" for a.b.example.com and
 * example.com).  Empty when registrable is the whole name or no suffix of
 * name on a label boundary.  A view into name. */
struct vg_str vg_domain_subpart(struct vg_str name, struct vg_str registrable);

/* vg_domain_labels -- split name at its dots: writes up to max labels, left
 * to right, to out (views into name) and returns how many there are in all,
 * which may be more than max.  An empty name has no labels. */
size_t vg_domain_labels(struct vg_str name, struct vg_str *out, size_t max);

/* vg_domain_longest_label -- the length of the longest label of name. */
size_t vg_domain_longest_label(struct vg_str name);

/* vg_str_entropy -- Shannon entropy of the bytes of s in bits per byte:
 * 0 for an empty or single-symbol string, log2(n) at most.  Random base32
 * tunnel payloads score near 5, words near 3. */
double vg_str_entropy(struct vg_str s);

#endif /* VG_ENRICH_DOMAIN_H */
