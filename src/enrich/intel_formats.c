/*
 * intel_formats.c -- format names and detection (UTF-16 input included),
 * the dispatch of vg_intel_parse, and the TXT format.  Validation shared
 * by all formats is in intel_value.c, the CSV formats in intel_csv.c,
 * STIX in intel_stix.c and intel_pattern.c.
 *
 * Layouts follow GuardDuty's "Uploading lists" page (see
 * shared/reference/guardduty.md section 5.2); where a real feed differs
 * from GuardDuty's example the comment at the parser says so.
 */
#include "../vg.h"
#include "intel_formats.h"
#include "intel_int.h"

#include "../ingest/input.h"

/* ---- small helpers ---------------------------------------------------------- */

static inline bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c; }
static const char *find_char(struct vg_str s, char c) { return s.n ? memchr(s.p, c, s.n) : NULL; }

/* ---- names ------------------------------------------------------------------- */

static const char *const format_names[] = {
	[VG_INTEL_AUTO] = "AUTO",
	[VG_INTEL_TXT] = "TXT",
	[VG_INTEL_STIX] = "STIX",
	[VG_INTEL_OTX_CSV] = "OTX_CSV",
	[VG_INTEL_ALIEN_VAULT] = "ALIEN_VAULT",
	[VG_INTEL_PROOF_POINT] = "PROOF_POINT",
	[VG_INTEL_FIRE_EYE] = "FIRE_EYE",
};

const char *vg_intel_format_name(enum vg_intel_format f)
{
	if ((unsigned)f < VG_ARRAY_LEN(format_names))
		return format_names[f];
	return "UNKNOWN";
}

int vg_intel_format_parse(const char *name, enum vg_intel_format *out)
{
	/* Compared with '_' and '-' dropped and in lower case, so "OTX_CSV",
	 * "otx-csv" and "otxcsv" are one name. */
	static const struct {
		const char *key;
		enum vg_intel_format f;
	} names[] = {
		{"auto", VG_INTEL_AUTO},        {"txt", VG_INTEL_TXT},
		{"stix", VG_INTEL_STIX},        {"otxcsv", VG_INTEL_OTX_CSV},
		{"otx", VG_INTEL_OTX_CSV},      {"alienvault", VG_INTEL_ALIEN_VAULT},
		{"proofpoint", VG_INTEL_PROOF_POINT}, {"fireeye", VG_INTEL_FIRE_EYE},
	};
	char key[16];
	size_t n = 0;
	if (!name || !out)
		return VG_EINVAL;
	for (const char *p = name; *p; p++) {
		if (*p == '_' || *p == '-')
			continue;
		if (n + 1 >= sizeof(key))
			return VG_EINVAL;
		key[n++] = (char)lower((unsigned char)*p);
	}
	key[n] = '\0';
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		if (strcmp(key, names[i].key) == 0) {
			*out = names[i].f;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

/* ---- TXT ----------------------------------------------------------------------- */

/*
 * GuardDuty's TXT: one IP, CIDR or (entity lists) domain per line, "*."
 * wildcards allowed.  Real lists add: '#', '//' and ';' comment lines, a
 * trailing "# ..." or "; ..." comment (Spamhaus DROP writes
 * "1.10.16.0/20 ; SBL256894"), hosts-file lines ("0.0.0.0 evil.example"),
 * URLs, CRLF or CR-only line ends, and surrounding blanks.
 */
static bool sinkhole(struct vg_str s)
{
	return vg_str_eqc(s, "0.0.0.0") || vg_str_eqc(s, "127.0.0.1") || vg_str_eqc(s, "::") ||
	       vg_str_eqc(s, "::1");
}

int vg__intel_parse_txt(struct vg__intel *x, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	char eol = '\n';
	uint64_t line = 0;
	if (len && !memchr(buf, '\n', len) && memchr(buf, '\r', len))
		eol = '\r'; /* classic Mac line ends */
	while (p < end && !x->stop) {
		const char *nl = memchr(p, eol, (size_t)(end - p));
		struct vg_str s = {p, (size_t)((nl ? nl : end) - p)};
		p = nl ? nl + 1 : end;
		line++;
		s = vg__intel_trim(s);
		if (s.n == 0 || s.p[0] == '#' || s.p[0] == ';' || (s.n >= 2 && s.p[0] == '/' && s.p[1] == '/'))
			continue;
		const char *c = find_char(s, '#');
		if (c)
			s.n = (size_t)(c - s.p);
		c = find_char(s, ';');
		if (c)
			s.n = (size_t)(c - s.p);
		s = vg__intel_trim(s);
		if (s.n == 0)
			continue;
		size_t i = 0;
		while (i < s.n && !is_space((unsigned char)s.p[i]))
			i++;
		if (i < s.n) {
			struct vg_str first = {s.p, i}, rest = vg__intel_trim((struct vg_str){s.p + i, s.n - i});
			bool one_more = true;
			for (size_t j = 0; j < rest.n && one_more; j++)
				one_more = !is_space((unsigned char)rest.p[j]);
			if (!sinkhole(first) || !one_more) {
				vg__intel_bad(x, line, "more than one value on the line");
				continue;
			}
			s = rest; /* hosts-file line: the name is the entry */
		}
		vg__intel_value(x, VG__WANT_ANY, s, VG_STR_NULL, line);
	}
	return VG_OK;
}

/* ---- detection ------------------------------------------------------------------ */

/* utf16_bom -- 1 for a UTF-16LE byte-order mark at p, 2 for UTF-16BE,
 * else 0. */
static int utf16_bom(const char *p, size_t n)
{
	if (n >= 2 && (unsigned char)p[0] == 0xff && (unsigned char)p[1] == 0xfe)
		return 1;
	if (n >= 2 && (unsigned char)p[0] == 0xfe && (unsigned char)p[1] == 0xff)
		return 2;
	return 0;
}

/* utf16_to_utf8 -- the UTF-16 text after a byte-order mark (bom as from
 * utf16_bom) as UTF-8 in out[0..cap), stopping when out is full; unpaired
 * surrogates become U+FFFD.  Returns the bytes written. */
static size_t utf16_to_utf8(const char *in, size_t n, int bom, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)in + 2, *end = (const unsigned char *)in + n;
	size_t o = 0;
	while (end - p >= 2) {
		uint32_t u = bom == 1 ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		if (u >= 0xd800 && u <= 0xdbff && end - p >= 2) {
			uint32_t l = bom == 1 ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]);
			if (l >= 0xdc00 && l <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
				p += 2;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff)
			u = 0xfffd;
		unsigned char b[4];
		size_t k;
		if (u < 0x80) {
			b[0] = (unsigned char)u;
			k = 1;
		} else if (u < 0x800) {
			b[0] = (unsigned char)(0xc0 | u >> 6);
			b[1] = (unsigned char)(0x80 | (u & 0x3f));
			k = 2;
		} else if (u < 0x10000) {
			b[0] = (unsigned char)(0xe0 | u >> 12);
			b[1] = (unsigned char)(0x80 | (u >> 6 & 0x3f));
			b[2] = (unsigned char)(0x80 | (u & 0x3f));
			k = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | u >> 18);
			b[1] = (unsigned char)(0x80 | (u >> 12 & 0x3f));
			b[2] = (unsigned char)(0x80 | (u >> 6 & 0x3f));
			b[3] = (unsigned char)(0x80 | (u & 0x3f));
			k = 4;
		}
		if (cap - o < k)
			break;
		memcpy(out + o, b, k);
		o += k;
	}
	return o;
}

static const char *skip_bom(const char *p, const char *end)
{
	if (end - p >= 3 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
		return p + 3;
	return p;
}

static bool has(const char *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle)) != NULL;
}

/* True when the JSON text at p..p+n has "type" : "bundle" (or another
 * sign of STIX 2: "spec_version", "pattern"). */
static bool stix_json(const char *p, size_t n)
{
	const char *end = p + n;
	if (has(p, n, "\"spec_version\"") || has(p, n, "\"pattern\""))
		return true;
	for (const char *q = p; (q = memmem(q, (size_t)(end - q), "\"type\"", 6)) != NULL;) {
		q += 6;
		while (q < end && is_space((unsigned char)*q))
			q++;
		if (q >= end || *q != ':')
			continue;
		q++;
		while (q < end && is_space((unsigned char)*q))
			q++;
		if (end - q >= 8 && memcmp(q, "\"bundle\"", 8) == 0)
			return true;
	}
	return false;
}

/* Up to max fields of line split at delim, each trimmed of blanks and of
 * one pair of surrounding quotes (enough for a header; no RFC 4180). */
static size_t split(struct vg_str line, char delim, struct vg_str *f, size_t max)
{
	size_t n = 0;
	const char *p = line.p, *end = line.p + line.n;
	for (;;) {
		const char *d = memchr(p, delim, (size_t)(end - p));
		struct vg_str s = vg__intel_trim((struct vg_str){p, (size_t)((d ? d : end) - p)});
		if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"')
			s = vg__intel_trim((struct vg_str){s.p + 1, s.n - 2});
		if (n < max)
			f[n] = s;
		n++;
		if (!d)
			break;
		p = d + 1;
	}
	return n;
}

static bool is_comment(struct vg_str s)
{
	return s.n && (s.p[0] == '#' || s.p[0] == ';' || (s.n >= 2 && s.p[0] == '/' && s.p[1] == '/'));
}

enum vg_intel_format vg_intel_detect_why(const char *buf, size_t len, const char **why)
{
	const char *dummy;
	const char *p = buf, *end = buf + len;
	char utf8[16384];
	if (!why)
		why = &dummy;
	if (!buf)
		p = end = NULL;
	int bom = buf ? utf16_bom(buf, len) : 0;
	if (bom) {
		/* Judged on the start, which is all detection reads anyway. */
		p = utf8;
		end = utf8 + utf16_to_utf8(buf, len, bom, utf8, sizeof(utf8));
	}
	p = skip_bom(p, end);
	while (p < end && is_space((unsigned char)*p))
		p++;
	if (p >= end) {
		*why = "empty list";
		return VG_INTEL_TXT;
	}
	size_t window = (size_t)(end - p) < ((size_t)1 << 20) ? (size_t)(end - p) : ((size_t)1 << 20);
	if (*p == '{') {
		*why = stix_json(p, window) ? "JSON with STIX 2 members"
					    : "JSON document (STIX is the only JSON format)";
		return VG_INTEL_STIX;
	}
	if (*p == '[') {
		const char *q = p + 1;
		while (q < end && is_space((unsigned char)*q))
			q++;
		if (q < end && *q == '{') {
			*why = "JSON array of objects (STIX 2)";
			return VG_INTEL_STIX;
		}
	}
	if (*p == '<') {
		*why = has(p, window, "stix.mitre.org") || has(p, window, "STIX_Package")
			       ? "XML with the STIX namespace"
			       : "XML document (STIX is the only XML format)";
		return VG_INTEL_STIX;
	}

	/* Line formats: look at the first few lines that are not blank or
	 * comments (AlienVault lines start with an address, never '#'). */
	int seen = 0;
	while (p < end && seen < 5) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct vg_str line = vg__intel_trim((struct vg_str){p, (size_t)((nl ? nl : end) - p)});
		p = nl ? nl + 1 : end;
		if (line.n == 0 || is_comment(line))
			continue;
		struct vg_str f[48];
		size_t nf = split(line, ',', f, VG_ARRAY_LEN(f));
		size_t kept = nf < VG_ARRAY_LEN(f) ? nf : VG_ARRAY_LEN(f);
		if (seen++ == 0) {
			if (nf >= 2 && (vg__intel_caseeq(f[0], "ip") || vg__intel_caseeq(f[0], "domain")) &&
			    vg__intel_caseeq(f[1], "category")) {
				*why = "header ip|domain,category,score (Proofpoint ET)";
				return VG_INTEL_PROOF_POINT;
			}
			if (nf >= 2 && vg__intel_caseeq(f[0], "indicator type") &&
			    vg__intel_caseeq(f[1], "indicator")) {
				*why = "header Indicator type,Indicator (OTX)";
				return VG_INTEL_OTX_CSV;
			}
			for (size_t i = 0; nf >= 10 && i < kept; i++) {
				if (vg__intel_caseeq(f[i], "reportid") || vg__intel_caseeq(f[i], "networkidentifier") ||
				    vg__intel_caseeq(f[i], "malwarefamily")) {
					*why = "iSIGHT header (reportId, networkIdentifier, malwareFamily)";
					return VG_INTEL_FIRE_EYE;
				}
			}
		}
		struct vg_str h[8];
		size_t nh = split(line, '#', h, VG_ARRAY_LEN(h));
		bool blank_in_first = false;
		for (size_t i = 0; i < line.n && line.p[i] != '#'; i++)
			blank_in_first |= is_space((unsigned char)line.p[i]);
		if (nh >= 4 && !blank_in_first && (vg__intel_is_ip(h[0]) || vg__intel_is_host(h[0]))) {
			*why = "'#'-separated fields after an address (AlienVault reputation)";
			return VG_INTEL_ALIEN_VAULT;
		}
		if (nf >= 40) {
			*why = "40 or more comma-separated columns (iSIGHT)";
			return VG_INTEL_FIRE_EYE;
		}
		if (nf >= 3 && (vg__intel_is_ip(f[0]) || vg__intel_is_host(f[0])) && vg__intel_is_number(f[1]) &&
		    vg__intel_is_number(f[2])) {
			*why = "address,category,score rows (Proofpoint ET)";
			return VG_INTEL_PROOF_POINT;
		}
		if (nf >= 2 && vg__intel_otx_type(f[0]) >= 0 && f[1].n) {
			*why = "OTX indicator type in the first column";
			return VG_INTEL_OTX_CSV;
		}
	}
	*why = "no other format matched";
	return VG_INTEL_TXT;
}

enum vg_intel_format vg_intel_detect(const char *buf, size_t len) { return vg_intel_detect_why(buf, len, NULL); }

/* ---- dispatch --------------------------------------------------------------------- */

int vg_intel_parse(const char *buf, size_t len, enum vg_intel_format f, const struct vg_intel_sink *sink)
{
	struct vg__intel x = {.sink = sink};
	char *utf8 = NULL;
	int rc;
	if (!sink || (!buf && len))
		return VG_EINVAL;
	if (!buf)
		buf = "";
	int bom = utf16_bom(buf, len);
	if (bom) {
		/* UTF-16 (Windows PowerShell's ">" writes UTF-16LE): parsed as
		 * its UTF-8 transcoding, which is at most 3/2 as long. */
		size_t cap = (len - 2) / 2 * 3 + 4;
		utf8 = vg_malloc(cap + VG_INPUT_PADDING);
		if (!utf8)
			return VG_ENOMEM;
		len = utf16_to_utf8(buf, len, bom, utf8, cap);
		memset(utf8 + len, 0, VG_INPUT_PADDING);
		buf = utf8;
		x.from_utf16 = true;
	}
	const char *p = skip_bom(buf, buf + len);
	len -= (size_t)(p - buf);
	if (f == VG_INTEL_AUTO)
		f = vg_intel_detect(p, len);
	vg_buf_init(&x.scratch, VG__INTEL_SCRATCH_MAX);
	switch (f) {
	case VG_INTEL_TXT: rc = vg__intel_parse_txt(&x, p, len); break;
	case VG_INTEL_STIX: rc = vg__intel_parse_stix(&x, p, len); break;
	case VG_INTEL_OTX_CSV: rc = vg__intel_parse_otx(&x, p, len); break;
	case VG_INTEL_ALIEN_VAULT: rc = vg__intel_parse_alienvault(&x, p, len); break;
	case VG_INTEL_PROOF_POINT: rc = vg__intel_parse_proofpoint(&x, p, len); break;
	case VG_INTEL_FIRE_EYE: rc = vg__intel_parse_fireeye(&x, p, len); break;
	default: rc = VG_EINVAL; break;
	}
	vg_buf_free(&x.scratch);
	vg_free(utf8);
	if (x.stop < 0)
		return x.stop;
	if (x.stop > 0)
		return VG_OK;
	if (rc == VG_OK && x.entries == 0 && x.bad > 0)
		rc = VG_EFORMAT;
	return rc;
}
