/*
 * iptrie.h -- longest-prefix match over IPv4 and IPv6 prefixes, for threat
 * intelligence look-ups.
 *
 * Prefixes live in the 128-bit space of struct vg_ip: an IPv4 prefix
 * a.b.c.d/n is ::ffff:a.b.c.d/(96+n), so "0.0.0.0/0" covers every IPv4
 * address and "::/0" every address of both families.  A table is filled with
 * vg_iptrie_add (or vg_iptrie_add_cidr), compiled once with vg_iptrie_build,
 * and then only read: after build, any number of threads may look up at
 * once.  To change the set, build a new table and swap it in.
 *
 * The compiled form is a poptrie (Asai and Ohara, SIGCOMM 2015): a direct
 * table indexed by the first 16 bits (24 for IPv4 from 4 M prefixes on),
 * then nodes of stride 6 holding a 64-bit child bitmap and a 64-bit bitmap
 * of leaf runs, counted with popcount, and a record for each prefix that is
 * alone below a node position.  Nodes, leaves and records sit in flat arrays
 * with 32-bit indices, no allocation per prefix; see iptrie.c for the
 * measurements behind it.
 *
 * Ownership: the caller owns the table and releases it with vg_iptrie_free;
 * every other function borrows its arguments only for the call.
 */
#ifndef VG_ENRICH_IPTRIE_H
#define VG_ENRICH_IPTRIE_H

#include "../vg.h"
#include "../core/ip.h"
#include "../core/str.h"

struct vg_iptrie;

/* The largest value a prefix may carry: the compiled table keeps the top bit
 * of its 32-bit leaf words for itself. */
#define VG_IPTRIE_VALUE_MAX 0x7fffffffu
/* What vg_iptrie_lookup_many writes for an address no prefix covers. */
#define VG_IPTRIE_MISS 0xffffffffu
/* The default memory ceiling, in bytes, for one table (pending prefixes,
 * sort scratch and compiled arrays together). */
#define VG_IPTRIE_DEFAULT_LIMIT ((size_t)4 << 30)

/* vg_iptrie_new -- an empty table with the default ceiling.  Returns VG_OK
 * and the table in *out (freed with vg_iptrie_free), or VG_ENOMEM. */
int vg_iptrie_new(struct vg_iptrie **out) VG_WUR;
/* vg_iptrie_free -- releases the table and everything it holds; NULL is a
 * no-op. */
void vg_iptrie_free(struct vg_iptrie *t);
/* vg_iptrie_set_limit -- memory ceiling in bytes for this table (0 restores
 * the default).  Adds and builds that would pass it fail with VG_ELIMIT. */
void vg_iptrie_set_limit(struct vg_iptrie *t, size_t max_bytes);

/* vg_iptrie_add -- queue prefix/bits (bits in 0..128 of the 128-bit space;
 * host bits are ignored) with value (at most VG_IPTRIE_VALUE_MAX).  When the
 * same prefix is added more than once, the first value is kept and the later
 * adds still return VG_OK.  Returns VG_EINVAL for bits > 128, an out-of-range
 * value, or a table already built; VG_ELIMIT or VG_ENOMEM when full. */
int vg_iptrie_add(struct vg_iptrie *t, const struct vg_ip *prefix, unsigned bits, uint32_t value) VG_WUR;
/* vg_iptrie_add_cidr -- vg_iptrie_add for text: "a.b.c.d", "a.b.c.d/n"
 * (n 0..32), an IPv6 address, or "ipv6/n" (n 0..128).  A single address is a
 * /32 or /128; host bits may be set.  Returns VG_EFORMAT for anything else,
 * otherwise as vg_iptrie_add. */
int vg_iptrie_add_cidr(struct vg_iptrie *t, struct vg_str text, uint32_t value) VG_WUR;
/* vg_iptrie_build -- compile the queued prefixes into the look-up form and
 * release the queue.  Call once, after the last add; returns VG_OK,
 * VG_ELIMIT or VG_ENOMEM (the table then holds nothing and can only be
 * freed), or VG_EINVAL when already built. */
int vg_iptrie_build(struct vg_iptrie *t) VG_WUR;

/* vg_iptrie_lookup -- longest-prefix match for ip.  Returns true and the
 * matching prefix's value in *value, or false when no prefix covers ip.
 * Before vg_iptrie_build it always returns false.  The IPv4-mapped form of
 * ip->b decides the family; ip->family is not consulted.  Safe to call from
 * many threads at once after build. */
bool vg_iptrie_lookup(const struct vg_iptrie *t, const struct vg_ip *ip, uint32_t *value);

/* vg_iptrie_lookup_many -- vg_iptrie_lookup for n addresses: values[i]
 * gets the value for ips[i], or VG_IPTRIE_MISS.  Returns how many matched.
 * The look-ups are interleaved so that their cache misses overlap, which on
 * tables larger than the cache is several times faster than n single
 * look-ups (figures in bench/README.md). */
size_t vg_iptrie_lookup_many(const struct vg_iptrie *t, const struct vg_ip *ips, size_t n, uint32_t *values);

/* vg_iptrie_count -- distinct prefixes after build; before build, the adds
 * accepted so far (duplicates included). */
size_t vg_iptrie_count(const struct vg_iptrie *t);
/* vg_iptrie_memory -- bytes of heap the table holds now. */
size_t vg_iptrie_memory(const struct vg_iptrie *t);

#endif /* VG_ENRICH_IPTRIE_H */
