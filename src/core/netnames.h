/*
 * netnames.h -- names of IP protocols and well-known ports, as GuardDuty
 * prints them in portName and protocol ("SSH", "TCP"; "Unknown" else).
 */
#ifndef VG_CORE_NETNAMES_H
#define VG_CORE_NETNAMES_H

#include "../vg.h"

/* vg_port_name -- the service name of a well-known port, or "Unknown". */
const char *vg_port_name(uint16_t port);
/* vg_protocol_name -- "TCP", "UDP", "ICMP", ... or "Unknown". */
const char *vg_protocol_name(uint8_t proto);

enum { VG_PROTO_ICMP = 1, VG_PROTO_IGMP = 2, VG_PROTO_TCP = 6, VG_PROTO_UDP = 17, VG_PROTO_ICMPV6 = 58 };

#endif /* VG_CORE_NETNAMES_H */
