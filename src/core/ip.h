/*
 * ip.h -- IPv4/IPv6 addresses as 16 bytes (IPv4 mapped into ::ffff:0:0/96)
 * so one trie and one comparison serve both families.
 */
#ifndef VG_CORE_IP_H
#define VG_CORE_IP_H

#include "../vg.h"
#include "str.h"

struct vg_ip {
	uint8_t b[16]; /* network order; IPv4 as ::ffff:a.b.c.d */
	uint8_t family; /* 0 = none, 4 or 6 */
};

#define VG_IP_STRLEN 46 /* INET6_ADDRSTRLEN */

/* vg_ip_parse -- parse a textual address; VG_EFORMAT if it is not one
 * (CloudTrail's sourceIPAddress is often a service name instead). */
int vg_ip_parse(struct vg_str s, struct vg_ip *ip) VG_WUR;
/* vg_ip_format -- canonical text into out (VG_IP_STRLEN bytes). */
void vg_ip_format(const struct vg_ip *ip, char *out);
/* vg_ip_is_public -- true for publicly routable unicast addresses. */
bool vg_ip_is_public(const struct vg_ip *ip);

#endif /* VG_CORE_IP_H */
