/*
 * domainset.h -- a set of domain names matched by suffix, for threat
 * intelligence look-ups.
 *
 * A listed name matches itself and every subdomain: "evil.com" matches
 * "evil.com" and "a.b.evil.com", never "notevil.com".  A look-up returns the
 * value of the longest listed suffix that ends on a label boundary.  Names
 * are compared in ASCII lower case and a trailing dot is ignored.
 *
 * The set is an open-addressing hash table of (tag, arena offset, length,
 * value) over one string arena: no allocation per entry, and none per
 * look-up.  A look-up hashes every label-boundary suffix of the query in one
 * right-to-left pass, prefetches their slots, then probes from the longest.
 *
 * Ownership: the caller owns the set and releases it with vg_domainset_free;
 * every other function borrows its arguments only for the call.  Any number
 * of threads may look up at once while nobody adds.
 */
#ifndef VG_ENRICH_DOMAINSET_H
#define VG_ENRICH_DOMAINSET_H

#include "../vg.h"
#include "../core/str.h"

struct vg_domainset;

/* The longest name accepted, without the trailing dot (RFC 1035). */
#define VG_DOMAIN_MAX 253
/* The largest value a name may carry, and what vg_domainset_lookup_many
 * writes for a miss (the same as the IP trie's). */
#define VG_DOMAINSET_VALUE_MAX 0x7fffffffu
#define VG_DOMAINSET_MISS 0xffffffffu
/* The default memory ceiling, in bytes, for one set. */
#define VG_DOMAINSET_DEFAULT_LIMIT ((size_t)4 << 30)

/* vg_domainset_new -- an empty set with the default ceiling.  Returns VG_OK
 * and the set in *out (freed with vg_domainset_free), or VG_ENOMEM. */
int vg_domainset_new(struct vg_domainset **out) VG_WUR;
/* vg_domainset_free -- releases the set; NULL is a no-op. */
void vg_domainset_free(struct vg_domainset *s);
/* vg_domainset_set_limit -- memory ceiling in bytes (0 restores the
 * default).  Adds that would pass it fail with VG_ELIMIT. */
void vg_domainset_set_limit(struct vg_domainset *s, size_t max_bytes);

/* vg_domainset_add -- list domain (and so its subdomains) with value.  Upper
 * case is folded, one trailing dot and one leading "*." are dropped ("*.x.com"
 * lists the same thing as "x.com").  Returns VG_EFORMAT for an empty name, an
 * empty label, a label over 63 bytes, a name over 253 bytes, or a byte
 * outside [A-Za-z0-9_.-]; VG_EINVAL for a value over VG_DOMAINSET_VALUE_MAX;
 * VG_ELIMIT or VG_ENOMEM when full.  Adding a name already listed keeps the
 * first value and returns VG_OK. */
int vg_domainset_add(struct vg_domainset *s, struct vg_str domain, uint32_t value) VG_WUR;

/* vg_domainset_lookup -- true, with the value in *value, when name or one
 * of its parent domains is listed (the longest listed one wins); false
 * otherwise.  Case-insensitive, one trailing dot tolerated, never allocates.
 * Text that is not a valid name never crashes: only its label-boundary
 * suffixes that are valid names can match. */
bool vg_domainset_lookup(const struct vg_domainset *s, struct vg_str name, uint32_t *value);

/* vg_domainset_lookup_many -- vg_domainset_lookup for n names: values[i]
 * gets the value for names[i], or VG_DOMAINSET_MISS.  Returns how many
 * matched.  Interleaves the look-ups so that their cache misses overlap
 * (figures in bench/README.md). */
size_t vg_domainset_lookup_many(const struct vg_domainset *s, const struct vg_str *names, size_t n,
				uint32_t *values);

/* vg_domainset_count -- distinct names listed. */
size_t vg_domainset_count(const struct vg_domainset *s);
/* vg_domainset_memory -- bytes of heap the set holds now. */
size_t vg_domainset_memory(const struct vg_domainset *s);

#endif /* VG_ENRICH_DOMAINSET_H */
