/*
 * ip.c -- address parsing (dotted quads by hand, IPv6 through
 * inet_pton); classification by the IANA special-purpose registries.
 */
#include "../vg.h"
#include "ip.h"

#include <arpa/inet.h>

/* dotted_quad -- the four bytes of a.b.c.d, accepting exactly what
 * glibc's inet_pton(AF_INET) does (1-3 digits a part, at most 255, no
 * leading zero).  Every DNS record and API call carries an address, and
 * inet_pton with its copy to a C string was a tenth of a DNS scan. */
static bool dotted_quad(const char *p, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part && (i >= n || p[i++] != '.'))
			return false;
		size_t start = i;
		unsigned v = 0;
		while (i < n && i - start < 3 && p[i] >= '0' && p[i] <= '9')
			v = v * 10 + (unsigned)(p[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && p[start] == '0'))
			return false;
		out[part] = (uint8_t)v;
	}
	return i == n;
}

int vg_ip_parse(struct vg_str s, struct vg_ip *ip)
{
	char tmp[VG_IP_STRLEN + 1];
	memset(ip, 0, sizeof(*ip));
	if (dotted_quad(s.p, s.n, ip->b + 12)) {
		ip->b[10] = ip->b[11] = 0xff;
		ip->family = 4;
		return VG_OK;
	}
	memset(ip, 0, sizeof(*ip));
	if (s.n == 0 || s.n > VG_IP_STRLEN)
		return VG_EFORMAT;
	memcpy(tmp, s.p, s.n);
	tmp[s.n] = '\0';
	/* Not AF_INET: dotted_quad took every text it accepts (the unit
	 * test ip::dotted_quads_as_inet_pton_reads_them holds it to that). */
	if (inet_pton(AF_INET6, tmp, ip->b) == 1) {
		/* ::ffff:a.b.c.d is an IPv4 address written as IPv6. */
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		ip->family = memcmp(ip->b, mapped, 12) == 0 ? 4 : 6;
		return VG_OK;
	}
	memset(ip, 0, sizeof(*ip));
	return VG_EFORMAT;
}

void vg_ip_format(const struct vg_ip *ip, char *out)
{
	out[0] = '\0';
	if (ip->family == 4)
		inet_ntop(AF_INET, ip->b + 12, out, VG_IP_STRLEN);
	else if (ip->family == 6)
		inet_ntop(AF_INET6, ip->b, out, VG_IP_STRLEN);
}

bool vg_ip_is_public(const struct vg_ip *ip)
{
	const uint8_t *b = ip->b;
	if (ip->family == 4) {
		const uint8_t *a = b + 12;
		if (a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224)
			return false;
		if (a[0] == 100 && (a[1] & 0xc0) == 64) /* 100.64/10 shared */
			return false;
		if (a[0] == 169 && a[1] == 254)
			return false;
		if (a[0] == 172 && (a[1] & 0xf0) == 16)
			return false;
		if (a[0] == 192 && a[1] == 168)
			return false;
		if (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2))
			return false;
		if (a[0] == 198 && ((a[1] & 0xfe) == 18 || (a[1] == 51 && a[2] == 100)))
			return false;
		if (a[0] == 203 && a[1] == 0 && a[2] == 113)
			return false;
		return true;
	}
	if (ip->family == 6) {
		if ((b[0] & 0xe0) != 0x20) /* only 2000::/3 is global unicast */
			return false;
		if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
			return false; /* documentation */
		return true;
	}
	return false;
}
