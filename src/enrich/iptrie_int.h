/*
 * iptrie_int.h -- test hooks into enrich/iptrie.c.  Not for other modules.
 */
#ifndef VG_ENRICH_IPTRIE_INT_H
#define VG_ENRICH_IPTRIE_INT_H

#include "../vg.h"
#include "iptrie.h"

/* vg__iptrie_force_dp_bits -- make the next vg_iptrie_build use a direct
 * table of 2^bits entries (16..24) for IPv4 whatever the prefix count, so
 * that tests reach the large-table layout without millions of prefixes;
 * 0 restores the automatic choice. */
void vg__iptrie_force_dp_bits(struct vg_iptrie *t, unsigned bits);

#endif /* VG_ENRICH_IPTRIE_INT_H */
