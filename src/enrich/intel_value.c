/*
 * intel_value.c -- the validation and normalisation every intel format
 * shares: addresses and CIDRs (through vg_ip_parse, prefix lengths
 * checked), host names (label syntax and lengths, folded to lower case),
 * URL hosts, and address ranges turned into CIDRs.  The parse state and
 * the sink calls live here too.
 */
#include "../vg.h"
#include "intel_int.h"

#include "../core/ip.h"

/* ---- small helpers ---------------------------------------------------------- */

static inline bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c; }

struct vg_str vg__intel_trim(struct vg_str s)
{
	while (s.n && is_space((unsigned char)s.p[0]))
		s.p++, s.n--;
	while (s.n && is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

bool vg__intel_caseeq(struct vg_str s, const char *lc)
{
	size_t n = strlen(lc);
	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s.p[i]) != (unsigned char)lc[i])
			return false;
	return true;
}

bool vg__intel_is_number(struct vg_str s)
{
	if (s.n == 0 || s.n > 20)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit((unsigned char)s.p[i]))
			return false;
	return true;
}

static const char *find_char(struct vg_str s, char c) { return s.n ? memchr(s.p, c, s.n) : NULL; }

/* ---- validation -------------------------------------------------------------- */

static int emit(struct vg__intel *x, enum vg_intel_kind kind, struct vg_str value, struct vg_str threat,
		uint64_t line)
{
	struct vg_intel_entry e = {.kind = kind, .value = value, .threat_name = threat, .line = line};
	x->entries++;
	if (x->sink->entry) {
		int r = x->sink->entry(x->sink->ctx, &e);
		if (r)
			x->stop = r;
	}
	return x->stop;
}

void vg__intel_bad(struct vg__intel *x, uint64_t line, const char *why)
{
	x->bad++;
	if (x->sink->bad)
		x->sink->bad(x->sink->ctx, line, why);
}

/* True when s can only be meant as an address: it has a ':' or consists of
 * digits, dots and a '/'. */
static bool looks_ip(struct vg_str s)
{
	if (find_char(s, ':'))
		return true;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!is_digit(c) && c != '.' && c != '/')
			return false;
	}
	return s.n > 0;
}

/* The prefix length of a dotted IPv4 netmask ("255.255.0.0" -> 16), or -1
 * when s is not a contiguous mask. */
static int netmask_len(struct vg_str s)
{
	struct vg_ip m;
	if (vg_ip_parse(s, &m) != VG_OK || m.family != 4 || find_char(s, ':'))
		return -1;
	uint32_t v = (uint32_t)m.b[12] << 24 | (uint32_t)m.b[13] << 16 | (uint32_t)m.b[14] << 8 | m.b[15];
	int len = 0;
	while (len < 32 && (v & (UINT32_C(0x80000000) >> len)))
		len++;
	if (len < 32 && (v << len) != 0)
		return -1; /* a one after the first zero */
	return len;
}

/* check_ip -- s as an address or CIDR.  NULL and *out (s itself, or a
 * rewrite in x->cidr) when valid, else the reason. */
static const char *check_ip(struct vg__intel *x, struct vg_str s, struct vg_str *out)
{
	struct vg_str addr = s, pfx = VG_STR_NULL;
	const char *slash = find_char(s, '/');
	bool has_pfx = slash != NULL;
	bool v6_text = find_char(s, ':') != NULL;
	struct vg_ip ip;
	int plen = -1;

	if (slash) {
		addr.n = (size_t)(slash - s.p);
		pfx.p = slash + 1;
		pfx.n = s.n - addr.n - 1;
	}
	if (vg_ip_parse(addr, &ip) != VG_OK)
		return v6_text ? "not a valid IPv6 address" : "not a valid IPv4 address";
	if (has_pfx) {
		if (vg__intel_is_number(pfx) && pfx.n <= 3) {
			plen = 0;
			for (size_t i = 0; i < pfx.n; i++)
				plen = plen * 10 + (pfx.p[i] - '0');
			if (plen > (v6_text ? 128 : 32))
				return v6_text ? "IPv6 prefix length above 128" : "IPv4 prefix length above 32";
		} else if (!v6_text && (plen = netmask_len(pfx)) >= 0) {
			/* 10.0.0.0/255.0.0.0: rewritten as 10.0.0.0/8 below. */
		} else {
			return "not a valid CIDR prefix length";
		}
	}
	/* ::ffff:a.b.c.d is an IPv4 address (vg_ip_parse says family 4); its
	 * prefix counts IPv6 bits.  Rewrite as IPv4 so no reader is confused. */
	bool mapped = v6_text && ip.family == 4;
	if (mapped && has_pfx) {
		if (plen < 96)
			return "IPv4-mapped prefix shorter than /96";
		plen -= 96;
	}
	/* Also rewritten: a netmask, and a prefix with leading zeros ("/08"). */
	if (mapped || (has_pfx && (!vg__intel_is_number(pfx) || (pfx.n > 1 && pfx.p[0] == '0')))) {
		char a[VG_IP_STRLEN];
		vg_ip_format(&ip, a);
		size_t n = strlen(a);
		memcpy(x->cidr, a, n);
		if (has_pfx) {
			x->cidr[n++] = '/';
			if (plen >= 100)
				x->cidr[n++] = (char)('0' + plen / 100);
			if (plen >= 10)
				x->cidr[n++] = (char)('0' + plen / 10 % 10);
			x->cidr[n++] = (char)('0' + plen % 10);
		}
		x->cidr[n] = '\0';
		*out = (struct vg_str){x->cidr, n};
		return NULL;
	}
	*out = s;
	return NULL;
}

/* Characters of a host name label: [A-Za-z0-9_-]. */
static const unsigned char host_char[256] = {
	['-'] = 1, ['_'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2, ['I'] = 2,
	['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
	['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2,
	['.'] = 3,
};

/* check_host -- s as a host name.  A leading "*." (GuardDuty's entity-list
 * wildcard) or "." is dropped, since a domain entry matches its
 * subdomains anyway (it then matches the base name too, which "*." alone
 * would not); so is one trailing dot, and upper case is folded.  NULL and
 * *out (a view into s, or its lower-case copy in x->norm) when valid, else
 * the reason.  x may be NULL (detection: no copy made). */
static const char *check_host(struct vg__intel *x, struct vg_str s, struct vg_str *out)
{
	bool fold = false;
	if (s.n >= 2 && s.p[0] == '*' && s.p[1] == '.')
		s.p += 2, s.n -= 2;
	else if (s.n && s.p[0] == '.')
		s.p++, s.n--;
	if (s.n && s.p[s.n - 1] == '.')
		s.n--;
	if (s.n == 0)
		return "empty host name";
	if (s.n > 253)
		return "host name longer than 253 characters";
	size_t label = 0, dots = 0, last_start = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		switch (host_char[c]) {
		case 1:
			label++;
			break;
		case 2:
			label++;
			fold = true;
			break;
		case 3:
			if (label == 0)
				return "empty label in host name";
			label = 0;
			dots++;
			last_start = i + 1;
			break;
		default:
			if (c >= 0x80)
				return "non-ASCII host name (write it in punycode)";
			if (c == '*')
				return "a wildcard is only allowed as a leading \"*.\"";
			if (c == ':')
				return "host name with a port or a colon";
			if (c == '/')
				return "host name with a path";
			return "character not allowed in a host name";
		}
		if (label > 63)
			return "host name label longer than 63 characters";
	}
	if (label == 0)
		return "empty label in host name";
	if (dots == 0)
		return "host name without a dot";
	bool numeric = true;
	for (size_t i = last_start; i < s.n && numeric; i++)
		numeric = is_digit((unsigned char)s.p[i]);
	if (numeric)
		return "not a host name (numeric last label)";
	if (fold && x) {
		for (size_t i = 0; i < s.n; i++)
			x->norm[i] = (char)lower((unsigned char)s.p[i]);
		s.p = x->norm;
	}
	*out = s;
	return NULL;
}

/* url_host -- the host of a URL (scheme, userinfo, port, path, query and
 * fragment stripped; IPv6 brackets removed).  A string without a scheme is
 * read as "host[:port][/path]".  NULL or the reason. */
static const char *url_host(struct vg_str s, struct vg_str *host)
{
	const char *p = s.p, *end = s.p + s.n;
	const char *q = p;
	if (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))) {
		while (q < end && (host_char[(unsigned char)*q] == 1 || host_char[(unsigned char)*q] == 2 ||
				   *q == '+' || *q == '.'))
			q++;
		if (end - q >= 3 && q[0] == ':' && q[1] == '/' && q[2] == '/')
			p = q + 3;
	}
	if (p == s.p && end - p >= 2 && p[0] == '/' && p[1] == '/')
		p += 2;
	const char *a = p;
	while (a < end && *a != '/' && *a != '?' && *a != '#' && *a != '\\')
		a++;
	/* Userinfo ends at the last '@' of the authority. */
	for (const char *at = a; at > p; at--) {
		if (at[-1] == '@') {
			p = at;
			break;
		}
	}
	if (p < a && *p == '[') {
		const char *rb = memchr(p, ']', (size_t)(a - p));
		if (!rb)
			return "URL with an unclosed '[' in its host";
		*host = (struct vg_str){p + 1, (size_t)(rb - p - 1)};
	} else {
		const char *colon = memchr(p, ':', (size_t)(a - p));
		/* A bare IPv6 address (no scheme, several colons) is its own host. */
		if (colon && p == s.p && memchr(colon + 1, ':', (size_t)(a - colon - 1)))
			colon = NULL;
		*host = (struct vg_str){p, (size_t)((colon ? colon : a) - p)};
	}
	if (host->n == 0)
		return "URL without a host";
	return NULL;
}

int vg__intel_value(struct vg__intel *x, enum vg__intel_want want, struct vg_str raw, struct vg_str threat,
		    uint64_t line)
{
	struct vg_str s = vg__intel_trim(raw), out;
	const char *why;
	enum vg_intel_kind kind;

	if (s.n == 0) {
		vg__intel_bad(x, line, "empty value");
		return x->stop;
	}
	if (want == VG__WANT_ANY && memmem(s.p, s.n, "://", 3))
		want = VG__WANT_URL;
	if (want == VG__WANT_URL) {
		if ((why = url_host(s, &s)) != NULL) {
			vg__intel_bad(x, line, why);
			return x->stop;
		}
		want = VG__WANT_ANY;
	}
	if (want == VG__WANT_ANY)
		want = looks_ip(s) ? VG__WANT_IP : VG__WANT_DOMAIN;
	if (want == VG__WANT_IP) {
		kind = VG_INTEL_IP;
		why = check_ip(x, s, &out);
		const char *colon = find_char(s, ':');
		size_t after = colon ? s.n - (size_t)(colon - s.p) - 1 : 0;
		if (why && colon && !find_char(s, '/') && !memchr(colon + 1, ':', after))
			why = "host:port is not an address or a host name";
	} else {
		kind = VG_INTEL_DOMAIN;
		why = check_host(x, s, &out);
		if (why && vg__intel_is_ip(s))
			why = "an IP address where a domain was expected";
	}
	if (why) {
		vg__intel_bad(x, line, why);
		return x->stop;
	}
	return emit(x, kind, out, threat, line);
}

bool vg__intel_is_ip(struct vg_str s)
{
	struct vg__intel tmp;
	struct vg_str out;
	s = vg__intel_trim(s);
	return looks_ip(s) && check_ip(&tmp, s, &out) == NULL;
}

bool vg__intel_is_host(struct vg_str s)
{
	struct vg_str out;
	s = vg__intel_trim(s);
	return !looks_ip(s) && check_host(NULL, s, &out) == NULL;
}

/* ---- address ranges ------------------------------------------------------------ */

typedef unsigned __int128 u128;

static u128 ip_to_u128(const struct vg_ip *ip)
{
	u128 v = 0;
	for (int i = 0; i < 16; i++)
		v = v << 8 | ip->b[i];
	return v;
}

static void u128_to_ip(u128 v, uint8_t family, struct vg_ip *ip)
{
	for (int i = 15; i >= 0; i--) {
		ip->b[i] = (uint8_t)v;
		v >>= 8;
	}
	ip->family = family;
}

int vg__intel_range(struct vg__intel *x, struct vg_str lo, struct vg_str hi, struct vg_str threat, uint64_t line)
{
	struct vg_ip a, b;
	lo = vg__intel_trim(lo);
	hi = vg__intel_trim(hi);
	if (vg_ip_parse(lo, &a) != VG_OK || vg_ip_parse(hi, &b) != VG_OK) {
		vg__intel_bad(x, line, "address range with an invalid bound");
		return x->stop;
	}
	if (a.family != b.family) {
		vg__intel_bad(x, line, "address range mixing IPv4 and IPv6");
		return x->stop;
	}
	u128 s = ip_to_u128(&a), e = ip_to_u128(&b);
	if (s > e) {
		vg__intel_bad(x, line, "address range whose start is after its end");
		return x->stop;
	}
	int bits = a.family == 4 ? 32 : 128;
	/* The largest aligned block that starts at s and stays within e, then
	 * the next; at most 2 * bits blocks. */
	for (;;) {
		int host = 0;
		while (host < bits && host + 1 < 128) {
			u128 size = (u128)1 << (host + 1);
			if ((s & (size - 1)) != 0 || s + (size - 1) > e)
				break;
			host++;
		}
		if (host == 127 && s == 0 && e == ~(u128)0)
			host = 128;
		struct vg_ip net;
		char txt[VG_IP_STRLEN];
		u128_to_ip(s, a.family, &net);
		vg_ip_format(&net, txt);
		int plen = bits - host;
		size_t n = strlen(txt);
		memcpy(x->cidr, txt, n);
		x->cidr[n++] = '/';
		if (plen >= 100)
			x->cidr[n++] = (char)('0' + plen / 100);
		if (plen >= 10)
			x->cidr[n++] = (char)('0' + plen / 10 % 10);
		x->cidr[n++] = (char)('0' + plen % 10);
		x->cidr[n] = '\0';
		if (emit(x, VG_INTEL_IP, (struct vg_str){x->cidr, n}, threat, line))
			return x->stop;
		if (host >= 128)
			break;
		u128 last = s + (((u128)1 << host) - 1);
		if (last >= e)
			break;
		s = last + 1;
	}
	return x->stop;
}
