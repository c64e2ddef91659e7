/*
 * intel_csv.c -- the delimited intel formats: OTX_CSV, ALIEN_VAULT,
 * PROOF_POINT and FIRE_EYE, over one RFC 4180 record reader.
 *
 * The layouts are GuardDuty's ("Uploading lists" page, quoted in
 * shared/reference/guardduty.md section 5.2); each parser's comment says
 * what else it accepts and where that comes from.
 */
#include "../vg.h"
#include "intel_int.h"

/* ---- the record reader ------------------------------------------------------- */

void vg__csv_init(struct vg__csv *c, const char *buf, size_t len, char delim, struct vg_buf *scratch)
{
	memset(c, 0, sizeof(*c));
	c->p = buf;
	c->end = buf + len;
	c->line = 1;
	c->delim = delim;
	c->scratch = scratch;
}

static uint64_t count_nl(const char *p, const char *end)
{
	uint64_t n = 0;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

bool vg__csv_next(struct vg__csv *c, int *rc)
{
	const char *p = c->p, *end = c->end;
	size_t off[VG__CSV_MAX];
	bool in_scratch[VG__CSV_MAX];
	if (p >= end)
		return false;
	c->nf = 0;
	c->why = NULL;
	c->rec_line = c->line;
	vg_buf_reset(c->scratch);

	for (;;) {
		struct vg_str fld = VG_STR_NULL;
		bool copy = false;
		size_t o = 0;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '"') {
			const char *start = ++p;
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(end - p));
				if (!q) {
					/* Unterminated: the record runs to the end. */
					c->line += count_nl(p, end);
					c->why = "unterminated quoted field";
					if (copy)
						vg_buf_add(c->scratch, p, (size_t)(end - p));
					else
						fld = (struct vg_str){start, (size_t)(end - start)};
					p = end;
					break;
				}
				c->line += count_nl(p, q);
				if (q + 1 < end && q[1] == '"') {
					if (!copy) {
						copy = true;
						o = c->scratch->len;
						vg_buf_add(c->scratch, start, (size_t)(p - start));
					}
					vg_buf_add(c->scratch, p, (size_t)(q - p + 1));
					p = q + 2;
					continue;
				}
				if (copy)
					vg_buf_add(c->scratch, p, (size_t)(q - p));
				else
					fld = (struct vg_str){start, (size_t)(q - start)};
				p = q + 1;
				break;
			}
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && *p != c->delim && *p != '\n' && *p != '\r') {
				/* Text after the closing quote ("ab"cd): kept, as
				 * Python's csv module does. */
				const char *j = p;
				while (j < end && *j != c->delim && *j != '\n' && *j != '\r')
					j++;
				if (!copy) {
					copy = true;
					o = c->scratch->len;
					vg_buf_add(c->scratch, fld.p, fld.n);
				}
				vg_buf_add(c->scratch, p, (size_t)(j - p));
				p = j;
			}
		} else {
			const char *q = p;
			while (q < end && *q != c->delim && *q != '\n' && *q != '\r')
				q++;
			fld = vg__intel_trim((struct vg_str){p, (size_t)(q - p)});
			p = q;
		}
		if (c->nf < VG__CSV_MAX) {
			in_scratch[c->nf] = copy;
			off[c->nf] = o;
			c->f[c->nf] = fld;
		}
		c->nf++;
		if (p < end && *p == c->delim) {
			p++;
			continue;
		}
		/* End of the record: "\r\n", "\n", a lone "\r", or the end. */
		if (p < end && *p == '\r') {
			p++;
			if (p < end && *p == '\n')
				p++;
			c->line++;
		} else if (p < end && *p == '\n') {
			p++;
			c->line++;
		}
		break;
	}
	c->p = p;

	size_t kept = c->nf < VG__CSV_MAX ? c->nf : VG__CSV_MAX;
	if (c->scratch->failed) {
		if (c->scratch->failed == VG_ENOMEM)
			*rc = VG_ENOMEM;
		c->why = "field too long";
		for (size_t i = 0; i < kept; i++)
			c->f[i] = VG_STR_NULL;
		return true;
	}
	/* Fields copied to scratch: their ends are known only now, after the
	 * buffer stopped moving. */
	for (size_t i = 0; i < kept; i++) {
		if (!in_scratch[i])
			continue;
		size_t stop = c->scratch->len;
		for (size_t j = i + 1; j < kept; j++) {
			if (in_scratch[j]) {
				stop = off[j];
				break;
			}
		}
		c->f[i] = vg__intel_trim((struct vg_str){c->scratch->p + off[i], stop - off[i]});
	}
	return true;
}

bool vg__csv_skip(const struct vg__csv *c)
{
	if (c->nf == 1 && c->f[0].n == 0)
		return true;
	return c->nf >= 1 && c->f[0].n && c->f[0].p[0] == '#';
}

/* Column i whose name is one of names (lower case, NULL-terminated), else -1. */
static int column(const struct vg__csv *c, const char *const *names)
{
	size_t kept = c->nf < VG__CSV_MAX ? c->nf : VG__CSV_MAX;
	for (size_t i = 0; i < kept; i++)
		for (const char *const *n = names; *n; n++)
			if (vg__intel_caseeq(c->f[i], *n))
				return (int)i;
	return -1;
}

/* Drives fn over every record that is not blank or a comment, reporting
 * malformed records.  fn returns a VG_E* code to stop with. */
static int each_record(struct vg__intel *x, const char *buf, size_t len, char delim,
		       int (*fn)(struct vg__intel *x, struct vg__csv *c, void *st), void *st)
{
	struct vg__csv c;
	int rc = VG_OK;
	vg__csv_init(&c, buf, len, delim, &x->scratch);
	while (!x->stop && rc == VG_OK && vg__csv_next(&c, &rc)) {
		if (rc != VG_OK)
			break;
		if (c.why) {
			vg__intel_bad(x, c.rec_line, c.why);
			continue;
		}
		if (vg__csv_skip(&c))
			continue;
		rc = fn(x, &c, st);
	}
	return rc;
}

/* ---- OTX_CSV ------------------------------------------------------------------- */

/*
 * AlienVault OTX pulse export.  GuardDuty: a header row, then "type,
 * value, description" ("Indicator type, Indicator, Description"; types
 * CIDR, IPv4, "Domain name").  OTX itself names its indicator types IPv4,
 * IPv6, CIDR, domain, hostname, URL, URI, FileHash-MD5/SHA1/SHA256/PEHASH/
 * IMPHASH, email, Mutex, CVE, FilePath, YARA, JA3, SSLCertFingerprint,
 * BitcoinAddress (OTX-Python-SDK IndicatorTypes, as used by e.g. harpoon and
 * IntelMQ's OTX parser).  Non-network types are passed over silently; an
 * unknown type is reported.  The columns are found by header name when
 * there is a header, so a re-ordered export still reads.
 */
int vg__intel_otx_type(struct vg_str t)
{
	static const struct {
		const char *name;
		int want;
	} types[] = {
		{"ipv4", VG__WANT_IP},        {"ipv6", VG__WANT_IP},         {"cidr", VG__WANT_IP},
		{"ip", VG__WANT_IP},          {"ip address", VG__WANT_IP},   {"domain", VG__WANT_DOMAIN},
		{"domain name", VG__WANT_DOMAIN}, {"hostname", VG__WANT_DOMAIN}, {"host name", VG__WANT_DOMAIN},
		{"url", VG__WANT_URL},        {"uri", VG__WANT_URL},         {"email", 0},
		{"email address", 0},         {"mutex", 0},                  {"cve", 0},
		{"filepath", 0},              {"file path", 0},              {"yara", 0},
		{"ja3", 0},                   {"sslcertfingerprint", 0},     {"bitcoinaddress", 0},
		{"md5", 0},                   {"sha1", 0},                   {"sha256", 0},
	};
	t = vg__intel_trim(t);
	for (size_t i = 0; i < VG_ARRAY_LEN(types); i++)
		if (vg__intel_caseeq(t, types[i].name))
			return types[i].want;
	if (t.n > 9 && vg__intel_caseeq((struct vg_str){t.p, 9}, "filehash-"))
		return 0;
	return -1;
}

struct otx_state {
	bool first;   /* no record seen yet */
	int type_col; /* column of the indicator type */
	int value_col; /* column of the indicator */
};

static int otx_record(struct vg__intel *x, struct vg__csv *c, void *st)
{
	static const char *const type_names[] = {"indicator type", "type", "indicator_type", NULL};
	static const char *const value_names[] = {"indicator", "value", "indicator value", NULL};
	struct otx_state *s = st;
	if (s->first) {
		s->first = false;
		int t = column(c, type_names), v = column(c, value_names);
		if (t >= 0 && v >= 0 && t != v) {
			s->type_col = t;
			s->value_col = v;
			return VG_OK; /* the header */
		}
	}
	struct vg_str type = vg__csv_field(c, (size_t)s->type_col);
	int want = vg__intel_otx_type(type);
	if (c->nf < 2) {
		vg__intel_bad(x, c->rec_line, "expected indicator type, indicator, description");
		return VG_OK;
	}
	if (want < 0) {
		vg__intel_bad(x, c->rec_line, "unknown OTX indicator type");
		return VG_OK;
	}
	if (want > 0)
		vg__intel_value(x, (enum vg__intel_want)want, vg__csv_field(c, (size_t)s->value_col), VG_STR_NULL,
				c->rec_line);
	return VG_OK;
}

int vg__intel_parse_otx(struct vg__intel *x, const char *buf, size_t len)
{
	struct otx_state s = {.first = true, .type_col = 0, .value_col = 1};
	return each_record(x, buf, len, ',', otx_record, &s);
}

/* ---- ALIEN_VAULT ----------------------------------------------------------------- */

/*
 * AlienVault reputation feed (reputation.data):
 * "ip#reliability#risk#activity#country#city#lat,lon#x" per GuardDuty's
 * example; entity lists may put a domain first.  The activity (field 4,
 * "Malicious Host", "Scanning Host;Spamming") is the threat name.  The
 * older two-field "ip # activity" form (reputation.generic) is read too.
 * No quoting; a line starting with '#' is a comment.
 */
int vg__intel_parse_alienvault(struct vg__intel *x, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint64_t line = 0;
	while (p < end && !x->stop) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct vg_str s = vg__intel_trim((struct vg_str){p, (size_t)((nl ? nl : end) - p)});
		p = nl ? nl + 1 : end;
		line++;
		if (s.n == 0 || s.p[0] == '#')
			continue;
		struct vg_str f[4] = {VG_STR_NULL, VG_STR_NULL, VG_STR_NULL, VG_STR_NULL};
		size_t nf = 0;
		const char *q = s.p, *e = s.p + s.n;
		for (;;) {
			const char *h = memchr(q, '#', (size_t)(e - q));
			if (nf < VG_ARRAY_LEN(f))
				f[nf] = vg__intel_trim((struct vg_str){q, (size_t)((h ? h : e) - q)});
			nf++;
			if (!h)
				break;
			q = h + 1;
		}
		struct vg_str threat = nf == 2 ? f[1] : f[3];
		vg__intel_value(x, VG__WANT_ANY, f[0], threat, line);
	}
	return VG_OK;
}

/* ---- PROOF_POINT ------------------------------------------------------------------ */

/*
 * Proofpoint ET Intelligence reputation CSV.  GuardDuty: header "ip,
 * category, score, first_seen, last_seen, ports (|)" (or "domain, ..." for
 * entity lists, which may mix IPs and domains).  ET's plain iprepdata.csv /
 * domainrepdata.csv rows are "ip,category,score" with no header (the same
 * three columns as Suricata's IP reputation files).  The category is a
 * number; 1..33 are named after ET's category list in the order Palo Alto
 * Networks' MineMeld ET Intelligence miner uses
 * (PaloAltoNetworks/minemeld-core, minemeld/ft/proofpoint.py, _CATNAME:
 * category n is _CATNAME[n - 1]); other categories are kept as written.
 */
static const char *const et_category[] = {
	"CnC",         "Bot",         "Spam",         "Drop",          "SpywareCnC",
	"OnlineGaming", "DriveBySrc", "ChatServer",   "TorNode",       "Compromised",
	"P2P",         "Proxy",       "IPCheck",      "Utility",       "DDoSTarget",
	"Scanner",     "Brute_Forcer", "FakeAV",      "DynDNS",        "Undesirable",
	"AbusedTLD",   "SelfSignedSSL", "Blackhole",  "RemoteAccessService", "P2PCnC",
	"Parking",     "VPN",         "EXE_Source",   "Mobile_CnC",    "Mobile_Spyware_CnC",
	"Skype_SuperNode", "Bitcoin_Related", "DDoSAttacker",
};

struct pp_state {
	bool first;
	int value_col;
	int cat_col;
};

static int pp_record(struct vg__intel *x, struct vg__csv *c, void *st)
{
	static const char *const value_names[] = {"ip", "domain", "host", "indicator", NULL};
	static const char *const cat_names[] = {"category", "categories", NULL};
	struct pp_state *s = st;
	if (s->first) {
		s->first = false;
		int v = column(c, value_names), k = column(c, cat_names);
		if (v >= 0 && (k >= 0 || c->nf == 1 || vg__intel_caseeq(c->f[0], "ip") ||
			       vg__intel_caseeq(c->f[0], "domain"))) {
			s->value_col = v;
			s->cat_col = k >= 0 ? k : v + 1;
			return VG_OK; /* the header */
		}
	}
	struct vg_str cat = vg__csv_field(c, (size_t)s->cat_col);
	if (vg__intel_is_number(cat) && cat.n <= 2) {
		int n = cat.p[0] - '0';
		if (cat.n == 2)
			n = n * 10 + (cat.p[1] - '0');
		if (n >= 1 && (size_t)n <= VG_ARRAY_LEN(et_category))
			cat = vg_str_c(et_category[n - 1]);
	}
	vg__intel_value(x, VG__WANT_ANY, vg__csv_field(c, (size_t)s->value_col), cat, c->rec_line);
	return VG_OK;
}

int vg__intel_parse_proofpoint(struct vg__intel *x, const char *buf, size_t len)
{
	struct pp_state s = {.first = true, .value_col = 0, .cat_col = 1};
	return each_record(x, buf, len, ',', pp_record, &s);
}

/* ---- FIRE_EYE ---------------------------------------------------------------------- */

/*
 * FireEye iSIGHT indicator CSV.  GuardDuty gives its 47-column header
 * (reportId, title, ..., cidr, domain, domainTimeOfLookup,
 * networkIdentifier, ip, port, protocol, ..., url, malwareFamily,
 * malwareFamilyId, actor, actorId, observationTime): "the IP goes in the ip
 * column, the CIDR in cidr, the domain in domain".  Columns are found by
 * header name, so older iSIGHT exports (fileMd5, ..., networkIdentifier,
 * ip, domain, url, ..., malwareFamily) read as well; without a header the
 * GuardDuty positions are used.  Each of ip, cidr and domain that is set
 * gives an entry; the url column's host is used only when those three are
 * empty.  Rows with no network column set (file indicators) pass silently.
 * The threat name is malwareFamily, else actor.
 */
enum { FE_IP, FE_CIDR, FE_DOMAIN, FE_URL, FE_FAMILY, FE_ACTOR, FE_N };

struct fe_state {
	bool first;
	bool header;   /* columns come from a header row */
	int col[FE_N]; /* column of each, -1 when absent */
};

static int fe_record(struct vg__intel *x, struct vg__csv *c, void *st)
{
	static const char *const names[FE_N][2] = {
		{"ip", NULL}, {"cidr", NULL}, {"domain", NULL}, {"url", NULL}, {"malwarefamily", NULL}, {"actor", NULL},
	};
	struct fe_state *s = st;
	if (s->first) {
		s->first = false;
		int found[FE_N];
		for (int i = 0; i < FE_N; i++)
			found[i] = column(c, names[i]);
		if (c->nf >= 2 &&
		    (found[FE_IP] >= 0 || found[FE_CIDR] >= 0 || found[FE_DOMAIN] >= 0 || found[FE_URL] >= 0)) {
			s->header = true;
			for (int i = 0; i < FE_N; i++)
				s->col[i] = found[i];
			return VG_OK; /* the header */
		}
	}
	/* Trailing empty columns may be left out after a header, but a row of
	 * one field is not iSIGHT; without a header the url column (42nd)
	 * must be there. */
	if (s->header ? c->nf < 2 : c->nf < 42) {
		vg__intel_bad(x, c->rec_line, s->header ? "a single field where the header has columns"
							: "expected the 47 iSIGHT columns (or a header row)");
		return VG_OK;
	}
	struct vg_str threat = s->col[FE_FAMILY] >= 0 ? vg__csv_field(c, (size_t)s->col[FE_FAMILY]) : VG_STR_NULL;
	if (threat.n == 0 && s->col[FE_ACTOR] >= 0)
		threat = vg__csv_field(c, (size_t)s->col[FE_ACTOR]);
	static const enum vg__intel_want want[] = {VG__WANT_IP, VG__WANT_IP, VG__WANT_DOMAIN};
	bool any = false;
	for (int i = FE_IP; i <= FE_DOMAIN && !x->stop; i++) {
		if (s->col[i] < 0)
			continue;
		struct vg_str v = vg__csv_field(c, (size_t)s->col[i]);
		if (v.n == 0)
			continue;
		any = true;
		vg__intel_value(x, want[i], v, threat, c->rec_line);
	}
	if (!any && s->col[FE_URL] >= 0) {
		struct vg_str v = vg__csv_field(c, (size_t)s->col[FE_URL]);
		if (v.n)
			vg__intel_value(x, VG__WANT_URL, v, threat, c->rec_line);
	}
	return VG_OK;
}

int vg__intel_parse_fireeye(struct vg__intel *x, const char *buf, size_t len)
{
	/* GuardDuty's column positions, for a file without its header. */
	struct fe_state s = {.first = true, .col = {35, 31, 32, 41, 42, 44}};
	return each_record(x, buf, len, ',', fe_record, &s);
}
