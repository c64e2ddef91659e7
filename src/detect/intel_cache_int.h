/*
 * intel_cache_int.h -- the last threat-list answers per address.
 *
 * Logs repeat their peers' addresses, so the last answers are kept in a
 * small direct-mapped cache in front of the trie (whose look-ups miss the
 * CPU cache once lists grow to millions of entries).  The engine keeps one
 * per worker in the detectors' scratch, so every detector that looks
 * addresses up -- CloudTrail callers, flow peers, scanners -- shares the
 * answers.  Shared within detect/ only.
 */
#ifndef VG_DETECT_INTEL_CACHE_INT_H
#define VG_DETECT_INTEL_CACHE_INT_H

#include "../vg.h"
#include "../core/ip.h"
#include "../enrich/intel.h"
#include "detector.h"

#define VG__INTEL_CACHE_SLOTS 4096 /* a power of two */

struct vg_intel_ip_cache {
	const struct vg_intel *intel; /* borrowed: the lists outlive the engine */
	struct {
		struct vg_ip ip;          /* family 0: empty */
		bool listed;
		struct vg_intel_hit hit;  /* when listed */
	} slot[VG__INTEL_CACHE_SLOTS];
};

/* vg__intel_cached_ip -- vg_intel_ip through the scratch's cache; false
 * when no lists are loaded. */
static inline bool vg__intel_cached_ip(struct vg_detect_scratch *s, const struct vg_ip *ip, struct vg_intel_hit *hit)
{
	struct vg_intel_ip_cache *c = s->ip_cache;
	if (!c)
		return false;
	uint64_t lo, hi;
	memcpy(&hi, ip->b, 8);
	memcpy(&lo, ip->b + 8, 8);
	uint64_t h = (lo ^ (hi * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	__typeof__(c->slot[0]) *e = &c->slot[(h >> 40) & (VG__INTEL_CACHE_SLOTS - 1)];
	if (e->ip.family != ip->family || memcmp(e->ip.b, ip->b, sizeof(ip->b)) != 0) {
		e->ip = *ip;
		e->listed = vg_intel_ip(c->intel, ip, &e->hit);
	}
	*hit = e->hit;
	return e->listed;
}

/* vg__intel_evidence -- the threat-intelligence evidence of a hit. */
static inline void vg__intel_evidence(struct vg_finding_draft *d, const struct vg_intel_hit *hit)
{
	d->threat_list = vg_str_c(hit->list->name);
	d->threat_name = vg_str_empty(hit->threat_name) ? vg_str_c(vg_intel_category_name(hit->list->category))
							: hit->threat_name;
	d->threat_file_sha256 = vg_str_c(hit->list->sha256);
}

#endif /* VG_DETECT_INTEL_CACHE_INT_H */
