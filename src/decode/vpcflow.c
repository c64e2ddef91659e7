/*
 * vpcflow.c -- VPC Flow Logs text into normalized events.
 *
 * Flow logs are the largest source vigil reads (a busy VPC writes millions
 * of records an hour), so a line is decoded in one pass with no allocation:
 * the cursor walks the line once, each column is parsed where it lies by
 * the parser its field's descriptor names (numbers and dotted quads are
 * converted while they are scanned), and the event's strings are views
 * into the caller's buffer.  Anything that is not a plain dotted quad goes
 * to vg_ip_parse, so both paths accept exactly the same addresses.
 *
 * A column layout (struct vg_flow_format) comes from a header line, from
 * the caller, or is the version 2 default.  Files without a header whose
 * lines do not have the default's 14 columns are matched by column count
 * against the "all fields" layouts the AWS console offers (versions 3, 4,
 * 5, 7 and 8, and Transit Gateway flow logs), which is what third-party
 * exports of such files hold; a caller-declared format turns this off.
 *
 * Any byte up to and including the space counts as a separator, which
 * makes CRLF line ends, tabs and doubled spaces harmless without a
 * second look at the line.
 */
#include "../vg.h"
#include "vpcflow.h"

#include <stddef.h>

/* ---- field names ------------------------------------------------------- */

struct field_name {
	const char *s;
	uint8_t n;
	uint8_t id; /* enum vg_flow_field */
};

#define NAME_ROW(id, s) {s, sizeof(s) - 1, VG_FF_##id},
#define OTHER_ROW(s) {s, sizeof(s) - 1, VG_FF_OTHER},

/* Every documented field: versions 2 to 8, then Transit Gateway flow logs
 * (whose tcp-flags, type, region, flow-direction and pkt-*-aws-service
 * share the VPC names and so their ids). */
static const struct field_name field_names[] = {
	VG_FLOW_FIELDS(NAME_ROW)
	OTHER_ROW("ecs-cluster-arn")
	OTHER_ROW("ecs-cluster-name")
	OTHER_ROW("ecs-container-instance-arn")
	OTHER_ROW("ecs-container-instance-id")
	OTHER_ROW("ecs-container-id")
	OTHER_ROW("ecs-second-container-id")
	OTHER_ROW("ecs-service-name")
	OTHER_ROW("ecs-task-definition-arn")
	OTHER_ROW("ecs-task-arn")
	OTHER_ROW("ecs-task-id")
	OTHER_ROW("resource-type")
	OTHER_ROW("tgw-id")
	OTHER_ROW("tgw-attachment-id")
	OTHER_ROW("tgw-src-vpc-account-id")
	OTHER_ROW("tgw-dst-vpc-account-id")
	OTHER_ROW("tgw-src-vpc-id")
	OTHER_ROW("tgw-dst-vpc-id")
	OTHER_ROW("tgw-src-subnet-id")
	OTHER_ROW("tgw-dst-subnet-id")
	OTHER_ROW("tgw-src-eni")
	OTHER_ROW("tgw-dst-eni")
	OTHER_ROW("tgw-src-az-id")
	OTHER_ROW("tgw-dst-az-id")
	OTHER_ROW("tgw-pair-attachment-id")
	OTHER_ROW("packets-lost-no-route")
	OTHER_ROW("packets-lost-blackhole")
	OTHER_ROW("packets-lost-mtu-exceeded")
	OTHER_ROW("packets-lost-ttl-expired")
};

#undef NAME_ROW
#undef OTHER_ROW

/* The "all fields" layouts, used for header-less files (see the top).  The
 * VPC ones are prefixes of the documented order, one per version that
 * added fields; Transit Gateway flow logs have their own order. */
static const char vpc_all_fields[] =
	"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
	"log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
	"sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path "
	"ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id "
	"ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id reject-reason";
static const uint8_t vpc_version_widths[] = {14, 21, 25, 29, 39, 40}; /* v2, v3, v4, v5, v7, v8 */
static const char tgw_all_fields[] =
	"version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
	"tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
	"tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
	"log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
	"packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service";

/* ---- how each field is parsed ------------------------------------------- */

enum kind {
	K_SKIP, /* known to AWS, not used by vigil */
	K_STR,  /* a view at off */
	K_IP,   /* struct vg_ip at off */
	K_UINT, /* unsigned integer of `size` bytes at off, within [min, max] */
	K_TIME, /* unix seconds, stored as int64 milliseconds at off */
	K_WORD, /* one of `words`, stored as an int-sized enum at off */
};

struct word {
	char s[8];     /* zero-padded, so that it reads as one word */
	uint8_t n;     /* 0 ends a list */
	uint8_t value;
};

struct field_desc {
	uint8_t kind;             /* enum kind */
	uint8_t size;             /* bytes of the member (0: none); K_UINT stores that many */
	uint16_t off;             /* offset of the member in struct vg_event */
	uint64_t min, max;        /* K_UINT: accepted range */
	const struct word *words; /* K_WORD: accepted values, NULL-terminated */
	const char *why;          /* message when the value does not parse */
	uint8_t keep;             /* K_IP: 1 + the cursor's slot for the text (srcaddr, dstaddr); 0: none */
	uint8_t like;             /* K_IP: 1 + the slot of the address it usually repeats (pkt-*); 0: none */
};

#define W(s, v) {s, sizeof(s) - 1, v}
static const struct word actions[] = {W("ACCEPT", VG_FLOW_ACCEPT), W("REJECT", VG_FLOW_REJECT), {"", 0, 0}};
static const struct word statuses[] = {
	W("OK", VG_FLOW_OK), W("NODATA", VG_FLOW_NODATA), W("SKIPDATA", VG_FLOW_SKIPDATA), {"", 0, 0}};
static const struct word directions[] = {W("ingress", VG_FLOW_INGRESS), W("egress", VG_FLOW_EGRESS), {"", 0, 0}};
#undef W

_Static_assert(sizeof(enum vg_flow_action) == sizeof(int) && sizeof(enum vg_flow_status) == sizeof(int) &&
		       sizeof(enum vg_flow_direction) == sizeof(int) && sizeof(int) == 4,
	       "K_WORD stores enums as int");
_Static_assert(VG_FF_COUNT <= 64, "vg_flow.present has one bit per field");

#define EV(m) ((uint16_t)offsetof(struct vg_event, m))
#define STR(m, why) {K_STR, sizeof(struct vg_str), EV(m), 0, 0, NULL, why}
#define IP sizeof(struct vg_ip)
#define UINT(m, lo, hi, why) {K_UINT, sizeof(((struct vg_event *)0)->m), EV(m), lo, hi, NULL, why}

static const struct field_desc fields[VG_FF_COUNT] = {
	[VG_FF_VERSION] = UINT(flow.version, 0, INT32_MAX, "version: not a number"),
	[VG_FF_ACCOUNT_ID] = STR(account, NULL),
	[VG_FF_INTERFACE_ID] = STR(flow.interface_id, NULL),
	[VG_FF_SRCADDR] = {K_IP, IP, EV(flow.src), 0, 0, NULL, "srcaddr: not an IP address", 1, 0},
	[VG_FF_DSTADDR] = {K_IP, IP, EV(flow.dst), 0, 0, NULL, "dstaddr: not an IP address", 2, 0},
	[VG_FF_SRCPORT] = UINT(flow.src_port, 0, 65535, "srcport: not a port number"),
	[VG_FF_DSTPORT] = UINT(flow.dst_port, 0, 65535, "dstport: not a port number"),
	[VG_FF_PROTOCOL] = UINT(flow.protocol, 0, 255, "protocol: not a protocol number (0 to 255)"),
	[VG_FF_PACKETS] = UINT(flow.packets, 0, UINT64_MAX, "packets: not a number"),
	[VG_FF_BYTES] = UINT(flow.bytes, 0, UINT64_MAX, "bytes: not a number"),
	[VG_FF_START] = {K_TIME, sizeof(int64_t), EV(flow.start_ms), 0, 0, NULL, "start: not a unix time"},
	[VG_FF_END] = {K_TIME, sizeof(int64_t), EV(flow.end_ms), 0, 0, NULL, "end: not a unix time"},
	[VG_FF_ACTION] = {K_WORD, sizeof(int), EV(flow.action), 0, 0, actions, "action: not ACCEPT or REJECT"},
	[VG_FF_LOG_STATUS] = {K_WORD, sizeof(int), EV(flow.status), 0, 0, statuses, "log-status: not OK, NODATA or SKIPDATA"},
	[VG_FF_VPC_ID] = STR(flow.vpc_id, NULL),
	[VG_FF_SUBNET_ID] = STR(flow.subnet_id, NULL),
	[VG_FF_INSTANCE_ID] = STR(flow.instance_id, NULL),
	[VG_FF_TCP_FLAGS] = UINT(flow.tcp_flags, 0, 65535, "tcp-flags: not a number (0 to 65535)"),
	[VG_FF_TYPE] = STR(flow.type, NULL),
	[VG_FF_PKT_SRCADDR] = {K_IP, IP, EV(flow.pkt_src), 0, 0, NULL, "pkt-srcaddr: not an IP address", 0, 1},
	[VG_FF_PKT_DSTADDR] = {K_IP, IP, EV(flow.pkt_dst), 0, 0, NULL, "pkt-dstaddr: not an IP address", 0, 2},
	[VG_FF_REGION] = STR(region, NULL),
	[VG_FF_AZ_ID] = STR(flow.az_id, NULL),
	[VG_FF_SUBLOCATION_TYPE] = {K_SKIP, 0, 0, 0, 0, NULL, NULL}, /* no member: Outposts, Local/Wavelength Zones */
	[VG_FF_SUBLOCATION_ID] = {K_SKIP, 0, 0, 0, 0, NULL, NULL},
	[VG_FF_PKT_SRC_AWS_SERVICE] = STR(flow.pkt_src_service, NULL),
	[VG_FF_PKT_DST_AWS_SERVICE] = STR(flow.pkt_dst_service, NULL),
	[VG_FF_FLOW_DIRECTION] = {K_WORD, sizeof(int), EV(flow.direction), 0, 0, directions, "flow-direction: not ingress or egress"},
	[VG_FF_TRAFFIC_PATH] = UINT(flow.traffic_path, 1, 8, "traffic-path: not 1 to 8"),
	[VG_FF_REJECT_REASON] = STR(flow.reject_reason, NULL),
	[VG_FF_OTHER] = {K_SKIP, 0, 0, 0, 0, NULL, NULL},
};

#undef EV
#undef STR
#undef IP
#undef UINT

/* The default's fields are the first 14 ids, in order. */
static const struct vg_flow_format default_format = {14, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}};
_Static_assert(VG_FF_LOG_STATUS == 13, "the default format is the first 14 ids");

/* Static messages for a wrong column count, by the format's count.  The
 * number found would need a message per pair; the expected count and the
 * direction are what tell a user which format to declare. */
#define N64(X)                                                                                         \
	X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) \
	X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) X(32) X(33) X(34)    \
	X(35) X(36) X(37) X(38) X(39) X(40) X(41) X(42) X(43) X(44) X(45) X(46) X(47) X(48) X(49) X(50)    \
	X(51) X(52) X(53) X(54) X(55) X(56) X(57) X(58) X(59) X(60) X(61) X(62) X(63) X(64)
#define FEWER(n) "expected " #n " fields, found fewer",
#define MORE(n) "expected " #n " fields, found more",
static const char *const fewer_why[VG_FLOW_MAX_FIELDS + 1] = {"expected 0 fields, found some", N64(FEWER)};
static const char *const more_why[VG_FLOW_MAX_FIELDS + 1] = {"expected 0 fields, found some", N64(MORE)};
#undef FEWER
#undef MORE
#undef N64

/* ---- scanning ------------------------------------------------------------ */

/* The column parsers are inlined into each call site: the documented
 * columns are decoded by straight-line code in which each field's
 * descriptor is a constant, which measured about a fifth faster than one
 * loop dispatching on the descriptor (the indirect jump mispredicts).
 *
 * The word-at-a-time paths need GCC/clang builtins and little-endian loads
 * (WORDS); elsewhere the byte loops beside them do all the work.  SSE2,
 * part of every x86-64, finds a dotted quad's dots in one step. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORDS 1
#define CTZ64(x) __builtin_ctzll(x)
#else
#define WORDS 0
#endif
#if WORDS && defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Dotted quads already parsed in a file, by their text.  A flow log names
 * the same addresses over and over -- every record of an interface
 * carries the interface's own address, and its peers are mostly the same
 * resolvers, endpoints and gateways (on the bench's corpus 86 % of
 * addresses were parsed before in their file) -- so a direct-mapped table
 * turns a repeat into a hash and two compares, about a fifth of a parse. */
#define QUAD_MEMO 512 /* entries, a power of two */

struct quad_memo {
	uint64_t text[2]; /* the token, zero-padded (a token holds no zero byte); 0: empty */
	uint32_t a;       /* its address, first octet in the high byte */
};

/* The other addresses (IPv6) parsed in a file, by their text: the same
 * reasoning, and there a parse is a call to inet_pton costing about 900
 * instructions; on the bench's corpus 97 % of IPv6 addresses were parsed
 * before in their file (32 fewer instructions a record, 1.2 %, where 4 %
 * of the addresses are IPv6).  Texts of 8 to 45 bytes. */
#define TEXT_MEMO 64 /* entries, a power of two */

struct text_memo {
	char text[VG_IP_STRLEN - 1]; /* the token */
	uint8_t n;                   /* its length; 0: empty */
	struct vg_ip ip;             /* its address */
};

/* A file's parsed addresses. */
struct addr_memo {
	struct quad_memo quad[QUAD_MEMO];
	struct text_memo text[TEXT_MEMO];
};

static inline bool is_sep(char c) { return (unsigned char)c <= ' '; }
static inline bool is_digit(char c) { return (unsigned char)(c - '0') < 10; }

static inline const char *skip_seps(const char *p, const char *end)
{
	while (p < end && is_sep(*p))
		p++;
	return p;
}

/* From the end of a token (at a separator or at end) to the next one:
 * the usual single space, then any more separators. */
static ALWAYS_INLINE const char *next_token(const char *p, const char *end)
{
	p += p < end;
	if (VG_UNLIKELY(p < end && is_sep(*p)))
		p = skip_seps(p, end);
	return p;
}

/* The end of the token at p.  Eight bytes at a time where the line allows:
 * ids and ARNs are long, and a byte <= 0x20 shows up as a set high bit in
 * (x - 0x21..) & ~x (the lowest such bit is exact; higher ones may be
 * borrows, which is why only the lowest is used). */
static ALWAYS_INLINE const char *token_end(const char *p, const char *end)
{
#if WORDS && defined(__SSE2__)
	/* Sixteen bytes a step where the line allows (a byte is a separator
	 * when the unsigned minimum with 0x20 is itself): an interface id or
	 * an account id in one step (12 fewer instructions a record). */
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x));
		if (m)
			return p + CTZ64(m);
		p += 16;
	}
#endif
#if WORDS
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		uint64_t m = (x - ones * 0x21) & ~x & highs;
		if (m)
			return p + (CTZ64(m) >> 3);
		p += 8;
	}
#endif
	while (p < end && !is_sep(*p))
		p++;
	return p;
}

#if WORDS && !defined(__SSE2__)
/* Which of the 8 bytes in x are not ASCII digits: the high bit of each such
 * byte (exact for every byte below 0xfa; quad_masks uses them all). */
static ALWAYS_INLINE uint64_t nondigits(uint64_t x)
{
	const uint64_t hi_nib = 0xf0f0f0f0f0f0f0f0ull, threes = 0x3030303030303030ull;
	uint64_t t = ((x & hi_nib) ^ threes) | (((x + 0x0606060606060606ull) & hi_nib) ^ threes);
	return (t | ((t & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full)) & 0x8080808080808080ull;
}
#endif

#if WORDS
/* The 8 bytes of x less '0' each (the digits' values), and in *nd which
 * of them are not digits: the high bit of each such byte, set when the
 * value is below 0 (it wraps) or above 9 (adding 0x76 reaches 0x80).
 * Exact up to the first non-digit, which is all a number needs: only a
 * non-digit borrows or carries into the byte after it.  Half the work of
 * nondigits, and the subtraction serves swar_digits too. */
static ALWAYS_INLINE uint64_t digit_values(uint64_t x, uint64_t *nd)
{
	uint64_t y = x - 0x3030303030303030ull;
	*nd = (y | (y + 0x7676767676767676ull)) & 0x8080808080808080ull;
	return y;
}

/* The value of the first len (1 to 8) digits in y (digit_values), first
 * digit in the lowest byte: the digits are moved to the top (the bytes
 * below become leading zeros) and combined pairwise (simdjson's
 * eight-digit parse). */
static ALWAYS_INLINE uint64_t swar_digits(uint64_t y, unsigned len)
{
	uint64_t v = y << (8 * (8 - len));
	v = v * 10 + (v >> 8);
	v = (((v & 0x000000ff000000ffull) * 0x000f424000000064ull) +
	     (((v >> 16) & 0x000000ff000000ffull) * 0x0000271000000001ull)) >> 32;
	return v;
}
#endif

#if WORDS
static const uint64_t pow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
#endif

/* A decimal number up to max, ending the token; NULL if it is not one.
 * A single digit, the commonest number (version, protocol, tcp-flags,
 * traffic-path), is read as it is.  Otherwise, where the line allows,
 * digits are found and converted eight at a time without a branch per
 * digit (numbers of varying length made the plain loop mispredict), which
 * covers up to 15 digits (unix times have 10); the byte loop handles the
 * rest, checking for overflow past 19 digits. */
static ALWAYS_INLINE const char *scan_uint(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	const char *s = p;
	uint64_t v = 0;
	if (end - p >= 2 && is_digit(p[0]) && is_sep(p[1])) {
		v = (unsigned)(p[0] - '0');
		if (v > max)
			return NULL;
		*out = v;
		return p + 1;
	}
#if WORDS
	if (VG_LIKELY(end - p >= 8)) {
		uint64_t x, m;
		memcpy(&x, p, 8);
		x = digit_values(x, &m);
		if (VG_LIKELY(m)) {
			unsigned len = (unsigned)CTZ64(m) >> 3;
			if (len == 0)
				return NULL;
			v = swar_digits(x, len);
			p += len; /* p < end: the byte there is not a digit */
			if (v > max || !is_sep(*p))
				return NULL;
			*out = v;
			return p;
		}
		v = swar_digits(x, 8);
		p += 8;
		if (end - p >= 8) {
			memcpy(&x, p, 8);
			x = digit_values(x, &m);
			if (m) {
				unsigned len = (unsigned)CTZ64(m) >> 3;
				v = v * pow10[len] + (len ? swar_digits(x, len) : 0);
				p += len;
				if (v > max || !is_sep(*p))
					return NULL;
				*out = v;
				return p;
			}
		}
	}
#endif
	while (p < end && is_digit(*p) && p - s < 19)
		v = v * 10 + (unsigned)(*p++ - '0');
	while (p < end && is_digit(*p)) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p == s || v > max || (p < end && !is_sep(*p)))
		return NULL;
	*out = v;
	return p;
}

#if WORDS
/* Bit i set where byte i of p[0..15] is a dot (*dots), or is neither a
 * dot nor a digit (*other). */
static ALWAYS_INLINE void quad_masks(const char *p, unsigned *dots, unsigned *other)
{
#if defined(__SSE2__)
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	unsigned dot = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
	unsigned dig = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
	*dots = dot;
	*other = ~(dot | dig) & 0xffff;
#else
	/* The same with 64-bit words: a byte's high bit flags it, and a
	 * multiply gathers the eight flags of a word into eight bits. */
	unsigned dot = 0, oth = 0;
	for (int h = 0; h < 2; h++) {
		uint64_t x, t, m;
		memcpy(&x, p + 8 * h, 8);
		t = x ^ 0x2e2e2e2e2e2e2e2eull;
		m = ~(((t & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | t) & 0x8080808080808080ull;
		dot |= (unsigned)((m * 0x0002040810204081ull) >> 56) << (8 * h);
		m = nondigits(x) & ~m;
		oth |= (unsigned)((m * 0x0002040810204081ull) >> 56) << (8 * h);
	}
	*dots = dot;
	*other = oth;
#endif
}

/* One octet of l digits at o, l in 1..3 unless *bad is set; 4 bytes at o
 * are readable.  The digits are moved to the top of a word (the bytes
 * after them, and any borrow from a dot, fall off) and combined. */
static ALWAYS_INLINE unsigned octet(const char *o, unsigned l, unsigned *bad)
{
	uint32_t w;
	memcpy(&w, o, 4);
	w = (w - 0x30303030u) << (((4 - l) & 3) * 8);
	unsigned n = (w >> 8 & 0xff) * 100 + (w >> 16 & 0xff) * 10 + (w >> 24);
	*bad |= (l - 1 > 2) | ((l > 1) & (o[0] == '0')) | (n > 255);
	return n;
}

/* The slot of a quad's text (7 to 15 bytes, as two zero-padded words). */
static ALWAYS_INLINE struct quad_memo *memo_slot(struct quad_memo *memo, uint64_t t0, uint64_t t1)
{
	uint64_t h = (t0 ^ t1 * 0xc2b2ae3d27d4eb4full) * 0x9e3779b97f4a7c15ull;
	return &memo[h >> (64 - 9)];
}
_Static_assert(QUAD_MEMO == 1 << 9, "memo_slot takes 9 bits");

/* A dotted quad at p, which has 20 readable bytes, into *a; the end of
 * the token, or NULL when the token is not a plain quad.  Octets are 1 to
 * 3 digits at random, so a parse that branches on their lengths
 * mispredicts, and one that computes each octet's end from the last is a
 * chain of dependent loads (both measured about 20 ns an address).  Here
 * the dots and the token's end come from masks over 16 bytes, the octets
 * are then read independently, and every check folds into one flag.
 * With memo (NULL: none), a quad parsed before is taken from there: the
 * same bytes up to the same separator are the same address. */
static ALWAYS_INLINE const char *quad_swar(const char *p, uint32_t *a, struct quad_memo *memo)
{
	unsigned dots, other;
	quad_masks(p, &dots, &other);
	unsigned len = (unsigned)CTZ64(other | 1u << 16);
	struct quad_memo *m = NULL;
	uint64_t t0 = 0, t1 = 0;
	if (memo && len - 7 <= 8) {
		memcpy(&t0, p, 8);
		memcpy(&t1, p + 8, 8);
		if (len < 8)
			t0 = t0 << (64 - 8 * len) >> (64 - 8 * len);
		t1 = len > 8 ? t1 << (128 - 8 * len) >> (128 - 8 * len) : 0;
		m = memo_slot(memo, t0, t1);
		if (m->text[0] == t0 && m->text[1] == t1 && is_sep(p[len])) {
			*a = m->a;
			return p + len;
		}
	}
	dots &= (1u << len) - 1;
	unsigned e0 = (unsigned)CTZ64(dots | 1u << 16);
	dots &= dots - 1;
	unsigned e1 = (unsigned)CTZ64(dots | 1u << 16);
	dots &= dots - 1;
	unsigned e2 = (unsigned)CTZ64(dots | 1u << 16);
	dots &= dots - 1;
	unsigned bad = (len > 15) | (dots != 0) | (e2 >= len);
	bad |= !is_sep(p[len]); /* len <= 16 */
	unsigned n0 = octet(p, e0, &bad);
	unsigned n1 = octet(p + ((e0 + 1) & 15), e1 - e0 - 1, &bad);
	unsigned n2 = octet(p + ((e1 + 1) & 15), e2 - e1 - 1, &bad);
	unsigned n3 = octet(p + ((e2 + 1) & 15), len - e2 - 1, &bad);
	if (bad)
		return NULL;
	*a = n0 << 24 | n1 << 16 | n2 << 8 | n3;
	if (m)
		*m = (struct quad_memo){{t0, t1}, *a};
	return p + len;
}
#endif

/* An address ending the token.  Dotted quads, nearly every flow, are built
 * in place in the vg_ip layout (::ffff:a.b.c.d); anything else, or a quad
 * with a leading zero that inet_pton would refuse, goes to vg_ip_parse, so
 * both paths accept the same addresses. */
/* The address of the token from s to q (not a plain quad), through memo
 * (NULL: none); VG_OK or vg_ip_parse's error. */
static int parse_other(const char *s, const char *q, struct vg_ip *ip, struct addr_memo *memo)
{
	size_t n = (size_t)(q - s);
	if (!memo || n < 8 || n > sizeof(memo->text[0].text))
		return vg_ip_parse((struct vg_str){s, n}, ip);
	uint64_t w;
	memcpy(&w, q - 8, 8);
	_Static_assert(TEXT_MEMO == 1 << 6, "the slot takes 6 bits");
	struct text_memo *m = &memo->text[((w ^ n) * 0x9e3779b97f4a7c15ull) >> (64 - 6)];
	if (m->n == n && memcmp(m->text, s, n) == 0) {
		*ip = m->ip;
		return VG_OK;
	}
	int rc = vg_ip_parse((struct vg_str){s, n}, ip);
	if (rc == VG_OK) {
		memcpy(m->text, s, n);
		m->n = (uint8_t)n;
		m->ip = *ip;
	}
	return rc;
}

static ALWAYS_INLINE const char *scan_ip(const char *p, const char *end, struct vg_ip *ip, struct addr_memo *memo)
{
	const char *s = p, *q = NULL;
	uint32_t a = 0; /* the address, first octet in the high byte */
#if WORDS
	if (VG_LIKELY(end - p >= 20))
		q = quad_swar(p, &a, memo ? memo->quad : NULL);
	else
#endif
		for (int i = 0;; i++) {
			if (p >= end || !is_digit(*p))
				break;
			unsigned v = (unsigned)(*p++ - '0');
			if (p < end && is_digit(*p)) {
				if (v == 0)
					break;
				v = v * 10 + (unsigned)(*p++ - '0');
				if (p < end && is_digit(*p))
					v = v * 10 + (unsigned)(*p++ - '0');
			}
			if (v > 255)
				break;
			a = a << 8 | v;
			if (i == 3) {
				if (p == end || is_sep(*p))
					q = p;
				break;
			}
			if (p >= end || *p++ != '.')
				break;
		}
	if (VG_UNLIKELY(!q)) {
		q = token_end(s, end);
		if (parse_other(s, q, ip, memo) != VG_OK)
			return NULL;
		return q;
	}
	/* Whole words from registers: byte stores read back as a word stall
	 * on store forwarding. */
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	uint8_t b[16];
	memcpy(b, mapped, 12);
	b[12] = (uint8_t)(a >> 24);
	b[13] = (uint8_t)(a >> 16);
	b[14] = (uint8_t)(a >> 8);
	b[15] = (uint8_t)a;
	memcpy(ip->b, b, 16);
	ip->family = 4;
	return q;
}

/* A parsed address and its text, for a later column that repeats it. */
struct addr_text {
	const char *p;           /* NULL: none parsed yet */
	size_t n;
	const struct vg_ip *ip;  /* where it was stored */
};

/* Where a line's decoding stands. */
struct cursor {
	const char *p, *end;
	char *base;        /* the event, written through the descriptors' offsets */
	uint64_t present;  /* vg_flow.present so far */
	unsigned n;        /* the format's column count, for messages */
	const char **why;
	struct addr_text addr[2]; /* srcaddr, dstaddr (field_desc.keep) */
	struct addr_memo *memo;   /* the file's addresses parsed so far; NULL: none */
	bool zero_dash;           /* a dash clears its member (struct layout.each_once) */
	const char *begin;        /* the line's first byte */
};

/* Whether the token at p is the n bytes at ref (an earlier token of the
 * line, so a separator follows it).  The separator is compared too: a
 * different one only costs a parse.  Two words where 16 bytes are
 * readable at p (and so at ref, which lies before it). */
static ALWAYS_INLINE bool same_token(const char *p, const char *end, const char *ref, size_t n)
{
	size_t k = n + 1;
#if WORDS
	if (k <= 16 && end - p >= 16) {
		uint64_t a0, a1, b0, b1;
		memcpy(&a0, p, 8);
		memcpy(&a1, p + 8, 8);
		memcpy(&b0, ref, 8);
		memcpy(&b1, ref + 8, 8);
		if (k <= 8)
			return ((a0 ^ b0) << (64 - 8 * k)) == 0;
		return a0 == b0 && ((a1 ^ b1) << (128 - 8 * k)) == 0;
	}
#endif
	return (size_t)(end - p) >= k && memcmp(p, ref, k) == 0;
}

/* An address column: srcaddr and dstaddr keep their text; pkt-srcaddr and
 * pkt-dstaddr, which repeat them unless a NAT gateway, a middlebox or a
 * pod's secondary address stands between, copy the address when the text
 * is the same instead of parsing it again (two of a version 5 record's
 * four addresses).  The end of the token, or NULL. */
static ALWAYS_INLINE const char *column_ip(struct cursor *c, const struct field_desc *d, struct vg_ip *ip)
{
	const char *p = c->p;
	if (d->like) {
		const struct addr_text *a = &c->addr[d->like - 1];
		if (a->p && same_token(p, c->end, a->p, a->n)) {
			*ip = *a->ip;
			return p + a->n;
		}
	}
	const char *q = scan_ip(p, c->end, ip, c->memo);
	if (d->keep && q)
		c->addr[d->keep - 1] = (struct addr_text){p, (size_t)(q - p), ip};
	return q;
}

static inline bool is_dash(const char *p, const char *end) { return *p == '-' && (p + 1 == end || is_sep(p[1])); }

/* A column that is a dash (no value) at tok: its member cleared where the
 * layout asks for it, no present bit. */
static ALWAYS_INLINE int dash(struct cursor *c, const struct field_desc *d, const char *tok)
{
	if (c->zero_dash && d->size)
		memset(c->base + d->off, 0, d->size);
	c->p = next_token(tok + 1, c->end);
	return VG_OK;
}

/* The next column as field id: stored, its present bit set, and the
 * cursor moved to the column after it.  Returns VG_OK, or the error with
 * *c->why set.  A dash is looked for only where a value did not parse
 * (or, for strings, is one byte long): no number, word or string that
 * parses is a dash, and the test up front cost 31 instructions a record
 * (1.2 %) on the bench's flow corpus.  Addresses are the exception:
 * there a failed quad goes on to the full parser, which costs more than
 * the test. */
static ALWAYS_INLINE int column(struct cursor *c, unsigned id)
{
	const char *p = c->p, *end = c->end, *tok = p;
	if (VG_UNLIKELY(p >= end)) {
		*c->why = fewer_why[c->n];
		return VG_EFORMAT;
	}
	const struct field_desc *d = &fields[id];
	if (d->kind == K_IP && is_dash(p, end))
		return dash(c, d, tok);
	char *dst = c->base + d->off;
	switch ((enum kind)d->kind) {
	case K_SKIP:
		p = token_end(p, end);
		if (p - tok == 1 && *tok == '-')
			return dash(c, d, tok);
		break;
	case K_STR: {
		p = token_end(p, end);
		if (p - tok == 1 && *tok == '-')
			return dash(c, d, tok);
		struct vg_str v = {tok, (size_t)(p - tok)};
		memcpy(dst, &v, sizeof(v));
		break;
	}
	case K_IP:
		p = column_ip(c, d, (struct vg_ip *)dst);
		break;
	case K_UINT: {
		uint64_t v = 0;
		p = scan_uint(p, end, d->max, &v);
		if (p && v < d->min)
			p = NULL;
		if (!p)
			break;
		if (d->size == 1) {
			uint8_t x = (uint8_t)v;
			memcpy(dst, &x, 1);
		} else if (d->size == 2) {
			uint16_t x = (uint16_t)v;
			memcpy(dst, &x, 2);
		} else if (d->size == 4) {
			int32_t x = (int32_t)v;
			memcpy(dst, &x, 4);
		} else {
			memcpy(dst, &v, 8);
		}
		break;
	}
	case K_TIME: {
		/* 15 digits keep the milliseconds inside int64. */
		uint64_t v = 0;
		p = scan_uint(p, end, 999999999999999ull, &v);
		if (!p)
			break;
		int64_t ms = (int64_t)v * 1000;
		memcpy(dst, &ms, sizeof(ms));
		break;
	}
	case K_WORD: {
		/* The token as one zero-padded word, compared with each
		 * value's (constants where the field is). */
		p = token_end(p, end);
		size_t len = (size_t)(p - tok);
		uint64_t t = 0, ws;
		if (len <= 8) {
#if WORDS
			if (end - tok >= 8) {
				memcpy(&t, tok, 8);
				t &= len == 8 ? ~0ull : (1ull << (8 * len)) - 1;
			} else if (tok + len - c->begin >= 8) {
				/* A word ending the line (log-status in the
				 * default format): the 8 bytes that end with
				 * it, shifted down, since a memcpy of a
				 * variable length is a call (0.7 % of a
				 * record's instructions). */
				memcpy(&t, tok + len - 8, 8);
				t >>= 8 * (8 - len);
			} else {
				memcpy(&t, tok, len);
			}
#else
			memcpy(&t, tok, len);
#endif
		}
		const struct word *w = d->words;
		for (; w->n; w++) {
			memcpy(&ws, w->s, 8);
			if (w->n == len && ws == t)
				break;
		}
		if (!w->n) {
			p = NULL;
			break;
		}
		int x = w->value;
		memcpy(dst, &x, sizeof(x));
		break;
	}
	}
	if (VG_UNLIKELY(!p)) {
		if (is_dash(tok, end))
			return dash(c, d, tok);
		*c->why = d->why;
		return VG_ETYPE;
	}
	c->present |= 1ull << id;
	c->p = next_token(p, end);
	return VG_OK;
}

/* How many leading columns of fmt (at most 29) hold the ids 0, 1, 2, ...:
 * the documented order, which the default layout and every version's
 * all-fields layout start with. */
static unsigned documented_prefix(const struct vg_flow_format *fmt, unsigned n)
{
	unsigned m = n < VG_FF_TRAFFIC_PATH + 1 ? n : VG_FF_TRAFFIC_PATH + 1;
	for (unsigned i = 0; i < m; i++)
		if (fmt->field[i] != i)
			return i;
	return m;
}

/* A layout as the decoder uses it: the format and what is worked out
 * once per format rather than once per line (the documented prefix was a
 * twelfth of a line's decoding). */
struct layout {
	struct vg_flow_format fmt;
	unsigned prefix;  /* documented_prefix */
	bool each_once;   /* no field with a member comes twice: every record writes each member the layout has */
	bool clean;       /* the event holds no member outside this layout (decode_record) */
};

static void layout_set(struct layout *l, const struct vg_flow_format *fmt)
{
	unsigned n = fmt->n <= VG_FLOW_MAX_FIELDS ? fmt->n : VG_FLOW_MAX_FIELDS;
	uint64_t seen = 0;
	l->fmt = *fmt;
	l->prefix = documented_prefix(fmt, n);
	l->each_once = true;
	for (unsigned i = 0; i < n; i++) {
		unsigned id = fmt->field[i] < VG_FF_COUNT ? fmt->field[i] : VG_FF_OTHER;
		if (fields[id].size && (seen & 1ull << id))
			l->each_once = false;
		seen |= 1ull << id;
	}
	l->clean = false;
}

/* The body of a line: l's columns from p to end into ev, whose flow
 * members are zero or, where l names each field once, what the last
 * record of l wrote (a dash then writes zero; decode_record).  The
 * documented-order prefix is decoded by straight-line code, one block per
 * version that added fields (2, 3, 4, 5); other columns by a loop over
 * the format.  memo: the file's addresses parsed so far (NULL for lines
 * decoded on their own). */
static int decode_fields(const struct layout *l, struct addr_memo *memo, const char *p, const char *end,
			 struct vg_event *ev, const char **why)
{
	const struct vg_flow_format *fmt = &l->fmt;
	struct cursor c = {skip_seps(p, end), end, (char *)ev, 0, 0, why, {{NULL, 0, NULL}, {NULL, 0, NULL}}, memo,
			   l->each_once, p};
	unsigned i = 0, n = fmt->n <= VG_FLOW_MAX_FIELDS ? fmt->n : VG_FLOW_MAX_FIELDS;
	unsigned m = l->prefix;
	int rc;

	_Static_assert(VG_FF_VPC_ID == 14 && VG_FF_REGION == 21 && VG_FF_PKT_SRC_AWS_SERVICE == 25 &&
			       VG_FF_TRAFFIC_PATH == 28,
		       "the blocks below follow the documented order");
	c.n = n;
	ev->source = VG_SRC_VPCFLOW;
	if (m >= 14) {
		if ((rc = column(&c, VG_FF_VERSION)) || (rc = column(&c, VG_FF_ACCOUNT_ID)) ||
		    (rc = column(&c, VG_FF_INTERFACE_ID)) || (rc = column(&c, VG_FF_SRCADDR)) ||
		    (rc = column(&c, VG_FF_DSTADDR)) || (rc = column(&c, VG_FF_SRCPORT)) ||
		    (rc = column(&c, VG_FF_DSTPORT)) || (rc = column(&c, VG_FF_PROTOCOL)) ||
		    (rc = column(&c, VG_FF_PACKETS)) || (rc = column(&c, VG_FF_BYTES)) ||
		    (rc = column(&c, VG_FF_START)) || (rc = column(&c, VG_FF_END)) || (rc = column(&c, VG_FF_ACTION)) ||
		    (rc = column(&c, VG_FF_LOG_STATUS)))
			return rc;
		i = 14;
	}
	if (m >= 21) {
		if ((rc = column(&c, VG_FF_VPC_ID)) || (rc = column(&c, VG_FF_SUBNET_ID)) ||
		    (rc = column(&c, VG_FF_INSTANCE_ID)) || (rc = column(&c, VG_FF_TCP_FLAGS)) ||
		    (rc = column(&c, VG_FF_TYPE)) || (rc = column(&c, VG_FF_PKT_SRCADDR)) ||
		    (rc = column(&c, VG_FF_PKT_DSTADDR)))
			return rc;
		i = 21;
	}
	if (m >= 25) {
		if ((rc = column(&c, VG_FF_REGION)) || (rc = column(&c, VG_FF_AZ_ID)) ||
		    (rc = column(&c, VG_FF_SUBLOCATION_TYPE)) || (rc = column(&c, VG_FF_SUBLOCATION_ID)))
			return rc;
		i = 25;
	}
	if (m >= 29) {
		if ((rc = column(&c, VG_FF_PKT_SRC_AWS_SERVICE)) || (rc = column(&c, VG_FF_PKT_DST_AWS_SERVICE)) ||
		    (rc = column(&c, VG_FF_FLOW_DIRECTION)) || (rc = column(&c, VG_FF_TRAFFIC_PATH)))
			return rc;
		i = 29;
	}
	for (; i < n; i++) {
		unsigned id = fmt->field[i];
		if ((rc = column(&c, id < VG_FF_COUNT ? id : VG_FF_OTHER)))
			return rc;
	}
	if (c.p < end) {
		*why = more_why[n];
		return VG_EFORMAT;
	}
	ev->flow.present = c.present;
	if (c.present & (1ull << VG_FF_START))
		ev->time_ms = ev->flow.start_ms;
	else if (c.present & (1ull << VG_FF_END))
		ev->time_ms = ev->flow.end_ms;
	return VG_OK;
}

/* ---- formats ------------------------------------------------------------- */

/* The id of a documented field name, or -1. */
static int name_id(const char *s, size_t n)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(field_names); i++)
		if (field_names[i].n == n && memcmp(field_names[i].s, s, n) == 0)
			return field_names[i].id;
	return -1;
}

static inline bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-'; }

/* What scan_format saw besides the layout. */
struct format_info {
	bool names;     /* every token is shaped like a field name */
	bool version;   /* "version" is one of them */
	unsigned known; /* how many are documented names */
};

/* Field names (bare or ${name}) from p to end into fmt.  Unknown names
 * become VG_FF_OTHER.  info is filled in even when it fails, so that a
 * header with too many fields is still recognised as a header. */
static int scan_format(const char *p, const char *end, struct vg_flow_format *fmt, struct format_info *info,
		       const char **why)
{
	unsigned n = 0;
	*info = (struct format_info){.names = true};
	fmt->n = 0;
	for (p = skip_seps(p, end); p < end; p = skip_seps(p, end)) {
		const char *s = p;
		const char *e = p = token_end(p, end);
		if (e - s > 3 && s[0] == '$' && s[1] == '{' && e[-1] == '}') {
			s += 2;
			e--;
		}
		bool shaped = s[0] >= 'a' && s[0] <= 'z';
		for (const char *q = s + 1; shaped && q < e; q++)
			shaped = is_name_char(*q);
		if (!shaped) {
			info->names = false;
			*why = "format: not a list of field names";
			return VG_EFORMAT;
		}
		int id = name_id(s, (size_t)(e - s));
		if (id >= 0) {
			info->known++;
			info->version |= id == VG_FF_VERSION;
		}
		if (n < VG_FLOW_MAX_FIELDS)
			fmt->field[n] = (uint8_t)(id >= 0 ? id : VG_FF_OTHER);
		n++;
	}
	if (n == 0) {
		*why = "format: no field names";
		return VG_EFORMAT;
	}
	if (n > VG_FLOW_MAX_FIELDS) {
		*why = "format: more than 64 fields";
		return VG_EFORMAT;
	}
	fmt->n = (uint8_t)n;
	return VG_OK;
}

void vg_vpcflow_default_format(struct vg_flow_format *fmt) { *fmt = default_format; }

int vg_vpcflow_parse_format(const char *text, size_t len, struct vg_flow_format *fmt, const char **why)
{
	struct format_info info;
	int rc = scan_format(text, text + len, fmt, &info, why);
	if (rc == VG_OK && info.known == 0) {
		*why = "format: no known field name";
		fmt->n = 0;
		rc = VG_EFORMAT;
	}
	return rc;
}

/* The all-fields layout with n columns into fmt; false when none has n. */
static bool layout_for_count(unsigned n, struct vg_flow_format *fmt)
{
	struct format_info info;
	const char *why;
	for (size_t i = 0; i < VG_ARRAY_LEN(vpc_version_widths); i++) {
		if (vpc_version_widths[i] != n)
			continue;
		if (scan_format(vpc_all_fields, vpc_all_fields + sizeof(vpc_all_fields) - 1, fmt, &info, &why) != VG_OK)
			return false;
		fmt->n = (uint8_t)n;
		return true;
	}
	if (scan_format(tgw_all_fields, tgw_all_fields + sizeof(tgw_all_fields) - 1, fmt, &info, &why) != VG_OK)
		return false;
	return fmt->n == n;
}

static unsigned count_tokens(const char *p, const char *end)
{
	unsigned n = 0;
	for (p = skip_seps(p, end); p < end; p = skip_seps(token_end(p, end), end))
		n++;
	return n;
}

/* ---- lines ---------------------------------------------------------------- */

/* CloudWatch Logs exports put the ingestion time first
 * ("2021-03-04T05:06:07.000Z 2 123456789012 eni-..."); skip it.  Inline:
 * a record's second byte already tells it has none. */
static inline const char *strip_timestamp(const char *s, const char *end)
{
	if (end - s > 10 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-' &&
	    is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' && is_digit(s[8]) && is_digit(s[9]) && s[10] == 'T')
		return skip_seps(token_end(s, end), end);
	return s;
}

enum line_kind { LINE_RECORD, LINE_HEADER, LINE_BAD_HEADER };

/* header_names -- header_line for a line that starts like one. */
static enum line_kind header_names(const char *s, const char *end, struct vg_flow_format *fmt, const char **why)
{
	/* A cheap look at the bytes before any name is looked up. */
	for (const char *q = s; q < end; q++)
		if (!is_name_char(*q) && !is_sep(*q) && *q != '$' && *q != '{' && *q != '}')
			return LINE_RECORD;
	struct format_info info;
	int rc = scan_format(s, end, fmt, &info, why);
	if (!info.names || (!info.version && info.known < 2))
		return LINE_RECORD;
	return rc == VG_OK ? LINE_HEADER : LINE_BAD_HEADER;
}

/* Whether the line from s (not blank) is a header: only field names, and
 * "version" or two documented names among them.  Records start with a
 * number or a resource id, so most are told apart by their first byte,
 * inline. */
static inline enum line_kind header_line(const char *s, const char *end, struct vg_flow_format *fmt,
					 const char **why)
{
	if (!((*s >= 'a' && *s <= 'z') || *s == '$'))
		return LINE_RECORD;
	return header_names(s, end, fmt, why);
}

/* Reset what a flow record fills in an event that was cleared once before
 * the file's first record.  Clearing the whole event (1 KB, most of it
 * CloudTrail and DNS members) measured a tenth of a line's decoding time.
 * The flow members are cleared only when members (the layout does not
 * overwrite them all itself). */
static void clear_flow(struct vg_event *ev, bool members)
{
	ev->source = 0;
	ev->time_ms = 0;
	/* Two plain stores: a chained assignment read the one back as a word
	 * that two smaller stores had just written, a store-forwarding stall
	 * that cost 2 % of a scan. */
	ev->account = VG_STR_NULL;
	ev->region = VG_STR_NULL;
	memset(&ev->src_ip, 0, sizeof(ev->src_ip));
	if (members)
		memset(&ev->flow, 0, sizeof(ev->flow));
}

/* other_layout -- decode_record's second try: the all-fields layout with
 * the line's column count, when there is one (rc: the first try's). */
static int other_layout(struct layout *cur, struct addr_memo *memo, const char *s, const char *end,
			struct vg_event *ev, const char **why, int rc)
{
	struct vg_flow_format fmt;
	struct layout alt;
	unsigned n = count_tokens(s, end);
	if (n == cur->fmt.n || !layout_for_count(n, &fmt))
		return rc;
	layout_set(&alt, &fmt);
	clear_flow(ev, true);
	cur->clean = false; /* alt may have written members cur does not have */
	rc = decode_fields(&alt, memo, s, end, ev, why);
	if (rc == VG_OK)
		*cur = alt;
	return rc;
}

/* One record (s not blank, timestamp stripped) with the layout in *cur.
 * When infer is set (no header, no declared format) and the line fails
 * with a column count that an all-fields layout has, that layout is used
 * and becomes *cur for the lines that follow.  memo: as for decode_fields.
 * Inline, the second try aside: it runs for every record. */
static inline int decode_record(struct layout *cur, bool infer, struct addr_memo *memo, const char *s,
				const char *end, struct vg_event *ev, const char **why)
{
	/* A layout with each field once writes all its members in every
	 * record, a dash as zero (even a record that fails part way, as the
	 * next one writes them again): after one full clear, what the last
	 * record left is overwritten and the rest stays zero. */
	clear_flow(ev, !cur->clean);
	cur->clean = cur->each_once;
	int rc = decode_fields(cur, memo, s, end, ev, why);
	if (VG_LIKELY(rc == VG_OK) || !infer)
		return rc;
	return other_layout(cur, memo, s, end, ev, why, rc);
}

int vg_vpcflow_decode_line(const struct vg_flow_format *fmt, const char *line, size_t len, struct vg_event *ev,
			   const char **why)
{
	struct layout l;
	layout_set(&l, fmt ? fmt : &default_format);
	memset(ev, 0, sizeof(*ev));
	const char *end = line + len;
	const char *s = strip_timestamp(skip_seps(line, end), end);
	return decode_fields(&l, NULL, s, end, ev, why);
}

/* ---- files --------------------------------------------------------------- */

static const char *skip_bom(const char *buf, size_t len)
{
	return len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? buf + 3 : buf;
}

int vg_vpcflow_decode_text(const char *buf, size_t len, const struct vg_flow_format *fmt,
			   const struct vg_event_sink *sink, void *ctx)
{
	struct vg_flow_format hdr;
	struct layout cur;
	struct vg_event ev;
	struct addr_memo memo;
	bool infer = fmt == NULL;
	uint64_t line_no = 0;
	const char *end = buf + len;
	const char *p = len ? skip_bom(buf, len) : buf;

	layout_set(&cur, fmt ? fmt : &default_format);
	memset(&ev, 0, sizeof(ev));
	memset(&memo, 0, sizeof(memo));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = skip_seps(p, le);
		const char *why = NULL;
		p = nl ? nl + 1 : end;
		line_no++;
		if (s == le)
			continue;
		s = strip_timestamp(s, le);
		if (VG_UNLIKELY(s == le)) {
			sink->bad(ctx, line_no, VG_EFORMAT, "a timestamp and no record");
			continue;
		}
		switch (header_line(s, le, &hdr, &why)) {
		case LINE_HEADER:
			layout_set(&cur, &hdr);
			infer = false;
			continue;
		case LINE_BAD_HEADER:
			sink->bad(ctx, line_no, VG_EFORMAT, why);
			continue;
		case LINE_RECORD:
			break;
		}
		int rc = decode_record(&cur, infer, &memo, s, le, &ev, &why);
		if (VG_LIKELY(rc == VG_OK))
			sink->event(ctx, &ev, line_no);
		else
			sink->bad(ctx, line_no, rc, why);
	}
	return VG_OK;
}

/* How many non-blank lines sniffing looks at: a damaged first record
 * must not turn a whole flow log into one bad JSON document. */
#define SNIFF_LINES 16

bool vg_vpcflow_sniff(const char *buf, size_t len)
{
	const char *end = buf + len;
	const char *p = len ? skip_bom(buf, len) : buf;
	for (int seen = 0; p < end && seen < SNIFF_LINES;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = skip_seps(p, le);
		p = nl ? nl + 1 : end;
		if (s == le)
			continue;
		if (seen++ == 0 && (*s == '{' || *s == '['))
			return false; /* JSON: CloudTrail, Route 53, wrapped flows */
		s = strip_timestamp(s, le);
		if (s == le)
			continue;
		struct vg_flow_format fmt;
		struct layout l;
		const char *why;
		switch (header_line(s, le, &fmt, &why)) {
		case LINE_HEADER:
		case LINE_BAD_HEADER:
			return true;
		case LINE_RECORD:
			break;
		}
		struct vg_event ev;
		memset(&ev, 0, sizeof(ev));
		layout_set(&l, &default_format);
		if (decode_record(&l, true, NULL, s, le, &ev, &why) == VG_OK)
			return true;
	}
	return false;
}
