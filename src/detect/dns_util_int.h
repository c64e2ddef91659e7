/*
 * dns_util_int.h -- what DNS detectors share: the query name worked out
 * once per event, and a draft for a DNS_REQUEST finding.  Shared within
 * detect/ only.
 */
#ifndef VG_DETECT_DNS_UTIL_INT_H
#define VG_DETECT_DNS_UTIL_INT_H

#include "../vg.h"
#include "../core/event.h"
#include "detector.h"

/* vg__dns_name -- the event's query name, normalized, with its
 * registrable domain and the labels in front of it; computed on the first
 * call for an event and reused by the detectors after it.  NULL when the
 * event is no DNS query or its name is not a valid domain name (Route 53
 * logs escape odd bytes; such names match no list). */
const struct vg_dns_name *vg__dns_name(struct vg_detect_scratch *s, const struct vg_event *ev);

struct vg_intel;
struct vg_intel_hit;

/* vg__dns_dga -- the DGA classifier's score of the current DNS event's
 * registrable domain (after vg__dns_name returned it), scored once. */
double vg__dns_dga(struct vg_detect_scratch *s);

/* vg__dns_listed -- whether the current DNS event's name is on one of the
 * threat lists (suffix match), looked up once; *hit as vg_intel_domain. */
bool vg__dns_listed(struct vg_detect_scratch *s, const struct vg_intel *intel, struct vg_intel_hit *hit);

/* vg__dns_draft -- a DNS_REQUEST draft of type t about the querying
 * instance, keyed by the registrable domain (GuardDuty makes one finding
 * per instance and domain). */
void vg__dns_draft(struct vg_finding_draft *d, const struct vg_finding_type *t, const struct vg_event *ev,
		   const struct vg_dns_name *n);

#endif /* VG_DETECT_DNS_UTIL_INT_H */
