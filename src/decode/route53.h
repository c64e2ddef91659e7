/*
 * route53.h -- Route 53 Resolver query log records into normalized events.
 *
 * Query logs arrive as JSON lines (S3 delivery, plain or gzipped, and
 * CloudWatch Logs exports), one object per query:
 *   {"version":"1.100000","account_id":"...","region":"...","vpc_id":"...",
 *    "query_timestamp":"2021-12-11T...Z","query_name":"example.com.",
 *    "query_type":"A","query_class":"IN","rcode":"NOERROR",
 *    "answers":[{"Rdata":"1.2.3.4","Type":"A","Class":"IN"}],
 *    "srcaddr":"10.0.0.5","srcport":"53123","transport":"UDP",
 *    "srcids":{"instance":"i-...","resolver_endpoint":"rslvr-in-..."},
 *    "firewall_rule_action":"BLOCK", ...}
 * The event's src_ip is srcaddr, account and region come from the record,
 * time from query_timestamp, and dns.* from the rest (core/event.h).
 */
#ifndef VG_DECODE_ROUTE53_H
#define VG_DECODE_ROUTE53_H

#include "../vg.h"
#include "../core/event.h"
#include "json.h"

/* vg_route53_is_query -- true when the object looks like a query log
 * record (it has query_name and query_timestamp or srcaddr); cheap, for
 * telling formats apart per document. */
bool vg_route53_is_query(const struct vg_json *obj);

/* vg_route53_decode -- one record into ev (cleared first; views point into
 * the parsed document).  Returns VG_OK, or VG_ETYPE / VG_EMISSING /
 * VG_EVERSION / VG_EFORMAT with *why naming the field. */
int vg_route53_decode(const struct vg_json *obj, struct vg_event *ev, const char **why) VG_WUR;

#endif /* VG_DECODE_ROUTE53_H */
