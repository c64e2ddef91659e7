/*
 * geo.c -- MaxMind DB lookups for remoteIpDetails (geo.h).
 *
 * libmaxminddb maps each file read-only and hands out views into the
 * mapping, so a lookup is a walk of the search tree plus a few map scans
 * and allocates nothing.  Field paths are tried in a fixed order (MaxMind's
 * nested layout first, then the flat @ip-location-db one); a path that a
 * record lacks costs one scan of the record's top-level keys.
 */
#include "../vg.h"
#include "geo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <maxminddb.h>

/* One open file. */
struct geo_db {
	MMDB_s mmdb;  /* the mapped database; owned, MMDB_close'd */
	bool v4_only; /* an IPv4 tree: never asked about IPv6 addresses */
};

/* The files of one role, asked in order. */
struct geo_role {
	struct geo_db db[VG_GEO_MAX_FILES]; /* the first n are open */
	size_t n;                           /* open files */
};

struct vg_geo {
	struct geo_role city; /* city or country databases */
	struct geo_role asn;  /* ASN or ISP databases */
};

enum geo_kind { GEO_CITY, GEO_ASN };

/* ---- country names ---------------------------------------------------- */

/* ISO 3166-1 alpha-2 codes with English short names, sorted by code, for
 * databases that store only the code (@ip-location-db).  The names are
 * those GeoLite2 uses, so a country reads the same whichever database
 * answered; XK (Kosovo) is a user-assigned code both use. */
static const struct {
	char code[3];
	const char *name;
} countries[] = {
	{"AD", "Andorra"},
	{"AE", "United Arab Emirates"},
	{"AF", "Afghanistan"},
	{"AG", "Antigua and Barbuda"},
	{"AI", "Anguilla"},
	{"AL", "Albania"},
	{"AM", "Armenia"},
	{"AO", "Angola"},
	{"AQ", "Antarctica"},
	{"AR", "Argentina"},
	{"AS", "American Samoa"},
	{"AT", "Austria"},
	{"AU", "Australia"},
	{"AW", "Aruba"},
	{"AX", "Åland"},
	{"AZ", "Azerbaijan"},
	{"BA", "Bosnia and Herzegovina"},
	{"BB", "Barbados"},
	{"BD", "Bangladesh"},
	{"BE", "Belgium"},
	{"BF", "Burkina Faso"},
	{"BG", "Bulgaria"},
	{"BH", "Bahrain"},
	{"BI", "Burundi"},
	{"BJ", "Benin"},
	{"BL", "Saint Barthélemy"},
	{"BM", "Bermuda"},
	{"BN", "Brunei"},
	{"BO", "Bolivia"},
	{"BQ", "Bonaire, Sint Eustatius, and Saba"},
	{"BR", "Brazil"},
	{"BS", "Bahamas"},
	{"BT", "Bhutan"},
	{"BV", "Bouvet Island"},
	{"BW", "Botswana"},
	{"BY", "Belarus"},
	{"BZ", "Belize"},
	{"CA", "Canada"},
	{"CC", "Cocos [Keeling] Islands"},
	{"CD", "DR Congo"},
	{"CF", "Central African Republic"},
	{"CG", "Congo Republic"},
	{"CH", "Switzerland"},
	{"CI", "Ivory Coast"},
	{"CK", "Cook Islands"},
	{"CL", "Chile"},
	{"CM", "Cameroon"},
	{"CN", "China"},
	{"CO", "Colombia"},
	{"CR", "Costa Rica"},
	{"CU", "Cuba"},
	{"CV", "Cabo Verde"},
	{"CW", "Curaçao"},
	{"CX", "Christmas Island"},
	{"CY", "Cyprus"},
	{"CZ", "Czechia"},
	{"DE", "Germany"},
	{"DJ", "Djibouti"},
	{"DK", "Denmark"},
	{"DM", "Dominica"},
	{"DO", "Dominican Republic"},
	{"DZ", "Algeria"},
	{"EC", "Ecuador"},
	{"EE", "Estonia"},
	{"EG", "Egypt"},
	{"EH", "Western Sahara"},
	{"ER", "Eritrea"},
	{"ES", "Spain"},
	{"ET", "Ethiopia"},
	{"FI", "Finland"},
	{"FJ", "Fiji"},
	{"FK", "Falkland Islands"},
	{"FM", "Federated States of Micronesia"},
	{"FO", "Faroe Islands"},
	{"FR", "France"},
	{"GA", "Gabon"},
	{"GB", "United Kingdom"},
	{"GD", "Grenada"},
	{"GE", "Georgia"},
	{"GF", "French Guiana"},
	{"GG", "Guernsey"},
	{"GH", "Ghana"},
	{"GI", "Gibraltar"},
	{"GL", "Greenland"},
	{"GM", "Gambia"},
	{"GN", "Guinea"},
	{"GP", "Guadeloupe"},
	{"GQ", "Equatorial Guinea"},
	{"GR", "Greece"},
	{"GS", "South Georgia and the South Sandwich Islands"},
	{"GT", "Guatemala"},
	{"GU", "Guam"},
	{"GW", "Guinea-Bissau"},
	{"GY", "Guyana"},
	{"HK", "Hong Kong"},
	{"HM", "Heard Island and McDonald Islands"},
	{"HN", "Honduras"},
	{"HR", "Croatia"},
	{"HT", "Haiti"},
	{"HU", "Hungary"},
	{"ID", "Indonesia"},
	{"IE", "Ireland"},
	{"IL", "Israel"},
	{"IM", "Isle of Man"},
	{"IN", "India"},
	{"IO", "British Indian Ocean Territory"},
	{"IQ", "Iraq"},
	{"IR", "Iran"},
	{"IS", "Iceland"},
	{"IT", "Italy"},
	{"JE", "Jersey"},
	{"JM", "Jamaica"},
	{"JO", "Hashemite Kingdom of Jordan"},
	{"JP", "Japan"},
	{"KE", "Kenya"},
	{"KG", "Kyrgyzstan"},
	{"KH", "Cambodia"},
	{"KI", "Kiribati"},
	{"KM", "Comoros"},
	{"KN", "St Kitts and Nevis"},
	{"KP", "North Korea"},
	{"KR", "South Korea"},
	{"KW", "Kuwait"},
	{"KY", "Cayman Islands"},
	{"KZ", "Kazakhstan"},
	{"LA", "Laos"},
	{"LB", "Lebanon"},
	{"LC", "Saint Lucia"},
	{"LI", "Liechtenstein"},
	{"LK", "Sri Lanka"},
	{"LR", "Liberia"},
	{"LS", "Lesotho"},
	{"LT", "Republic of Lithuania"},
	{"LU", "Luxembourg"},
	{"LV", "Latvia"},
	{"LY", "Libya"},
	{"MA", "Morocco"},
	{"MC", "Monaco"},
	{"MD", "Republic of Moldova"},
	{"ME", "Montenegro"},
	{"MF", "Saint Martin"},
	{"MG", "Madagascar"},
	{"MH", "Marshall Islands"},
	{"MK", "North Macedonia"},
	{"ML", "Mali"},
	{"MM", "Myanmar"},
	{"MN", "Mongolia"},
	{"MO", "Macao"},
	{"MP", "Northern Mariana Islands"},
	{"MQ", "Martinique"},
	{"MR", "Mauritania"},
	{"MS", "Montserrat"},
	{"MT", "Malta"},
	{"MU", "Mauritius"},
	{"MV", "Maldives"},
	{"MW", "Malawi"},
	{"MX", "Mexico"},
	{"MY", "Malaysia"},
	{"MZ", "Mozambique"},
	{"NA", "Namibia"},
	{"NC", "New Caledonia"},
	{"NE", "Niger"},
	{"NF", "Norfolk Island"},
	{"NG", "Nigeria"},
	{"NI", "Nicaragua"},
	{"NL", "Netherlands"},
	{"NO", "Norway"},
	{"NP", "Nepal"},
	{"NR", "Nauru"},
	{"NU", "Niue"},
	{"NZ", "New Zealand"},
	{"OM", "Oman"},
	{"PA", "Panama"},
	{"PE", "Peru"},
	{"PF", "French Polynesia"},
	{"PG", "Papua New Guinea"},
	{"PH", "Philippines"},
	{"PK", "Pakistan"},
	{"PL", "Poland"},
	{"PM", "Saint Pierre and Miquelon"},
	{"PN", "Pitcairn Islands"},
	{"PR", "Puerto Rico"},
	{"PS", "Palestine"},
	{"PT", "Portugal"},
	{"PW", "Palau"},
	{"PY", "Paraguay"},
	{"QA", "Qatar"},
	{"RE", "Réunion"},
	{"RO", "Romania"},
	{"RS", "Serbia"},
	{"RU", "Russia"},
	{"RW", "Rwanda"},
	{"SA", "Saudi Arabia"},
	{"SB", "Solomon Islands"},
	{"SC", "Seychelles"},
	{"SD", "Sudan"},
	{"SE", "Sweden"},
	{"SG", "Singapore"},
	{"SH", "Saint Helena"},
	{"SI", "Slovenia"},
	{"SJ", "Svalbard and Jan Mayen"},
	{"SK", "Slovakia"},
	{"SL", "Sierra Leone"},
	{"SM", "San Marino"},
	{"SN", "Senegal"},
	{"SO", "Somalia"},
	{"SR", "Suriname"},
	{"SS", "South Sudan"},
	{"ST", "São Tomé and Príncipe"},
	{"SV", "El Salvador"},
	{"SX", "Sint Maarten"},
	{"SY", "Syria"},
	{"SZ", "Eswatini"},
	{"TC", "Turks and Caicos Islands"},
	{"TD", "Chad"},
	{"TF", "French Southern Territories"},
	{"TG", "Togo"},
	{"TH", "Thailand"},
	{"TJ", "Tajikistan"},
	{"TK", "Tokelau"},
	{"TL", "East Timor"},
	{"TM", "Turkmenistan"},
	{"TN", "Tunisia"},
	{"TO", "Tonga"},
	{"TR", "Turkey"},
	{"TT", "Trinidad and Tobago"},
	{"TV", "Tuvalu"},
	{"TW", "Taiwan"},
	{"TZ", "Tanzania"},
	{"UA", "Ukraine"},
	{"UG", "Uganda"},
	{"UM", "U.S. Minor Outlying Islands"},
	{"US", "United States"},
	{"UY", "Uruguay"},
	{"UZ", "Uzbekistan"},
	{"VA", "Vatican City"},
	{"VC", "Saint Vincent and the Grenadines"},
	{"VE", "Venezuela"},
	{"VG", "British Virgin Islands"},
	{"VI", "U.S. Virgin Islands"},
	{"VN", "Vietnam"},
	{"VU", "Vanuatu"},
	{"WF", "Wallis and Futuna"},
	{"WS", "Samoa"},
	{"XK", "Kosovo"},
	{"YE", "Yemen"},
	{"YT", "Mayotte"},
	{"ZA", "South Africa"},
	{"ZM", "Zambia"},
	{"ZW", "Zimbabwe"},
};

/* country_name -- English name for a two-letter code, or an empty view. */
static struct vg_str country_name(struct vg_str code)
{
	if (code.n != 2)
		return VG_STR_NULL;
	char c[2] = {code.p[0], code.p[1]};
	for (int i = 0; i < 2; i++)
		if (c[i] >= 'a' && c[i] <= 'z')
			c[i] = (char)(c[i] - 'a' + 'A');
	size_t lo = 0, hi = VG_ARRAY_LEN(countries);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = memcmp(c, countries[mid].code, 2);
		if (d == 0)
			return vg_str_c(countries[mid].name);
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return VG_STR_NULL;
}

/* ---- opening ---------------------------------------------------------- */

/* The message for a failure, "geo: FILE: what". */
static void say(char *why, size_t why_len, const char *file, const char *what, const char *detail)
{
	if (!why || why_len == 0)
		return;
	snprintf(why, why_len, "geo: %s: %s%s%s%s", file, what, detail ? " (" : "", detail ? detail : "",
		 detail ? ")" : "");
}

/* contains_ci -- true when needle (lower case) occurs in hay, ignoring
 * ASCII case; NULL hay contains nothing. */
static bool contains_ci(const char *hay, const char *needle)
{
	return hay && vg_str_casecontains(vg_str_c(hay), needle);
}

/* wrong_kind -- a reason why a database of type type (metadata
 * database_type, may be NULL) cannot serve role kind, or NULL when it can
 * or when the type does not tell.  Only the clear mix-ups are refused: an
 * ASN or ISP database given as the city one, and the reverse. */
static const char *wrong_kind(const char *type, enum geo_kind kind)
{
	bool asnish = contains_ci(type, "asn") || contains_ci(type, "-isp");
	bool cityish = contains_ci(type, "city") || contains_ci(type, "country");
	if (kind == GEO_CITY && asnish && !cityish)
		return "is an ASN/ISP database, not a city or country one";
	if (kind == GEO_ASN && cityish && !asnish)
		return "is a city or country database, not an ASN/ISP one";
	return NULL;
}

/* open_one -- open file into d for role kind. */
static int open_one(struct geo_db *d, const char *file, enum geo_kind kind, char *why, size_t why_len)
{
	/* libmaxminddb reports a folder and an empty file as read errors;
	 * say what they are. */
	struct stat st;
	bool known = stat(file, &st) == 0;
	if (known && S_ISDIR(st.st_mode)) {
		say(why, why_len, file, "is a directory, not a MaxMind DB file", NULL);
		return VG_EINVAL;
	}
	if (known && S_ISREG(st.st_mode) && st.st_size == 0) {
		say(why, why_len, file, "not a MaxMind DB (.mmdb) file, or a corrupt one", "empty file");
		return VG_EFORMAT;
	}
	int status = MMDB_open(file, MMDB_MODE_MMAP, &d->mmdb);
	int err = errno;
	switch (status) {
	case MMDB_SUCCESS:
		break;
	case MMDB_FILE_OPEN_ERROR:
		say(why, why_len, file, "cannot open", strerror(err));
		return err == ENOENT || err == ENOTDIR ? VG_ENOENT : VG_EIO;
	case MMDB_IO_ERROR:
		say(why, why_len, file, "cannot read", strerror(err));
		return VG_EIO;
	case MMDB_OUT_OF_MEMORY_ERROR:
		say(why, why_len, file, "out of memory while opening", NULL);
		return VG_ENOMEM;
	default:
		/* Invalid metadata, unknown format, corrupt tree or data. */
		say(why, why_len, file, "not a MaxMind DB (.mmdb) file, or a corrupt one", MMDB_strerror(status));
		return VG_EFORMAT;
	}
	const char *type = d->mmdb.metadata.database_type;
	const char *bad = wrong_kind(type, kind);
	if (bad) {
		char detail[128];
		snprintf(detail, sizeof(detail), "database_type \"%s\"", type);
		say(why, why_len, file, bad, detail);
		MMDB_close(&d->mmdb);
		return VG_EINVAL;
	}
	d->v4_only = d->mmdb.metadata.ip_version == 4;
	return VG_OK;
}

/* open_role -- open every file of the comma-separated list paths. */
static int open_role(struct geo_role *r, const char *paths, enum geo_kind kind, char *why, size_t why_len)
{
	const char *p = paths;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char file[4096];
		if (n == 0) {
			say(why, why_len, paths, "empty file name in the list", NULL);
			return VG_EINVAL;
		}
		if (n >= sizeof(file)) {
			say(why, why_len, paths, "file name too long", NULL);
			return VG_EINVAL;
		}
		_Static_assert(VG_GEO_MAX_FILES == 4, "the message below names the limit");
		if (r->n == VG_GEO_MAX_FILES) {
			say(why, why_len, paths, "too many files (at most 4 per database)", NULL);
			return VG_EINVAL;
		}
		memcpy(file, p, n);
		file[n] = '\0';
		int rc = open_one(&r->db[r->n], file, kind, why, why_len);
		if (rc != VG_OK)
			return rc;
		r->n++;
		if (!comma)
			return VG_OK;
		p = comma + 1;
	}
}

static void close_role(struct geo_role *r)
{
	for (size_t i = 0; i < r->n; i++)
		MMDB_close(&r->db[i].mmdb);
	r->n = 0;
}

int vg_geo_open(struct vg_geo **out, const char *city_path, const char *asn_path, char *why, size_t why_len)
{
	int rc = VG_OK;
	struct vg_geo *g = NULL;
	*out = NULL;
	if (why && why_len)
		why[0] = '\0';
	if (!city_path && !asn_path) {
		if (why && why_len)
			snprintf(why, why_len, "geo: no database given");
		return VG_EINVAL;
	}
	g = vg_calloc(1, sizeof(*g));
	if (!g) {
		if (why && why_len)
			snprintf(why, why_len, "geo: out of memory");
		return VG_ENOMEM;
	}
	if (city_path && (rc = open_role(&g->city, city_path, GEO_CITY, why, why_len)) != VG_OK)
		goto out;
	if (asn_path && (rc = open_role(&g->asn, asn_path, GEO_ASN, why, why_len)) != VG_OK)
		goto out;
	*out = g;
	g = NULL;
out:
	vg_geo_close(g);
	return rc;
}

void vg_geo_close(struct vg_geo *g)
{
	if (!g)
		return;
	close_role(&g->city);
	close_role(&g->asn);
	vg_free(g);
}

/* ---- lookups ---------------------------------------------------------- */

/* An address as libmaxminddb takes it. */
union geo_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/* to_sockaddr -- ip as a socket address; IPv4-mapped IPv6 (::ffff:a.b.c.d)
 * counts as IPv4 whatever ip->family says, since an IPv6 database keeps
 * IPv4 at ::a.b.c.d.  Returns false for an empty address. */
static bool to_sockaddr(const struct vg_ip *ip, union geo_sockaddr *u, bool *v6)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	memset(u, 0, sizeof(*u));
	if (ip->family == 4 || (ip->family == 6 && memcmp(ip->b, mapped, 12) == 0)) {
		u->in4.sin_family = AF_INET;
		memcpy(&u->in4.sin_addr, ip->b + 12, 4);
		*v6 = false;
		return true;
	}
	if (ip->family == 6) {
		u->in6.sin6_family = AF_INET6;
		memcpy(&u->in6.sin6_addr, ip->b, 16);
		*v6 = true;
		return true;
	}
	return false;
}

/* role_lookup -- the record of the first file of r that knows the
 * address; false if none does.  Lookup errors (a corrupt tree) count as
 * not knowing. */
static bool role_lookup(const struct geo_role *r, const union geo_sockaddr *u, bool v6, MMDB_entry_s *entry)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct geo_db *d = &r->db[i];
		if (v6 && d->v4_only)
			continue;
		int err = MMDB_SUCCESS;
		MMDB_lookup_result_s res = MMDB_lookup_sockaddr(&d->mmdb, &u->sa, &err);
		if (err == MMDB_SUCCESS && res.found_entry) {
			*entry = res.entry;
			return true;
		}
	}
	return false;
}

/* get_str -- the non-empty string at path, into out. */
static bool get_str(MMDB_entry_s *e, const char *const *path, struct vg_str *out)
{
	MMDB_entry_data_s d;
	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    d.data_size == 0)
		return false;
	*out = (struct vg_str){d.utf8_string, d.data_size};
	return true;
}

/* get_double -- the finite number at path (any numeric type), into out. */
static bool get_double(MMDB_entry_s *e, const char *const *path, double *out)
{
	MMDB_entry_data_s d;
	double v;
	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data)
		return false;
	switch (d.type) {
	case MMDB_DATA_TYPE_DOUBLE: v = d.double_value; break;
	case MMDB_DATA_TYPE_FLOAT: v = (double)d.float_value; break;
	case MMDB_DATA_TYPE_UINT16: v = d.uint16; break;
	case MMDB_DATA_TYPE_UINT32: v = d.uint32; break;
	case MMDB_DATA_TYPE_INT32: v = d.int32; break;
	default: return false;
	}
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

/* get_asn -- the autonomous system number at path, into out: an unsigned
 * integer, or a string of digits with an optional "AS" in front.  Zero and
 * values above 32 bits are refused. */
static bool get_asn(MMDB_entry_s *e, const char *const *path, uint32_t *out)
{
	MMDB_entry_data_s d;
	uint64_t v = 0;
	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data)
		return false;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16: v = d.uint16; break;
	case MMDB_DATA_TYPE_UINT32: v = d.uint32; break;
	case MMDB_DATA_TYPE_UINT64: v = d.uint64; break;
	case MMDB_DATA_TYPE_INT32: v = d.int32 > 0 ? (uint64_t)d.int32 : 0; break;
	case MMDB_DATA_TYPE_UTF8_STRING: {
		const char *s = d.utf8_string;
		size_t n = d.data_size, i = 0;
		if (n >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
			i = 2;
		if (i == n || n - i > 10)
			return false;
		for (; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
		break;
	}
	default: return false;
	}
	if (v == 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Paths, MaxMind's layout first.  Each is NULL-terminated. */
#define PATH(...) ((const char *const[]){__VA_ARGS__, NULL})

/* fill_city -- country, city and location from a city-role record. */
static void fill_city(MMDB_entry_s *e, struct vg_geo_info *out)
{
	/* The country a record is in; registered_country (where the block is
	 * registered) only when the record has no country, as for anycast
	 * and satellite blocks in GeoLite2. */
	if (get_str(e, PATH("country", "iso_code"), &out->country_code))
		(void)get_str(e, PATH("country", "names", "en"), &out->country_name);
	else if (!get_str(e, PATH("country", "names", "en"), &out->country_name) &&
		 get_str(e, PATH("registered_country", "iso_code"), &out->country_code))
		(void)get_str(e, PATH("registered_country", "names", "en"), &out->country_name);
	if (!out->country_code.n && !out->country_name.n)
		(void)get_str(e, PATH("country_code"), &out->country_code);
	if (out->country_code.n && !out->country_name.n)
		out->country_name = country_name(out->country_code);

	if (!get_str(e, PATH("city", "names", "en"), &out->city_name))
		(void)get_str(e, PATH("city"), &out->city_name);

	double lat, lon;
	if ((get_double(e, PATH("location", "latitude"), &lat) && get_double(e, PATH("location", "longitude"), &lon)) ||
	    (get_double(e, PATH("latitude"), &lat) && get_double(e, PATH("longitude"), &lon))) {
		out->lat = lat;
		out->lon = lon;
		out->has_location = true;
	}
}

/* fill_asn -- network owner from an ASN-role record; GeoIP2 Enterprise
 * keeps the same members under traits. */
static void fill_asn(MMDB_entry_s *e, struct vg_geo_info *out)
{
	if (!get_asn(e, PATH("autonomous_system_number"), &out->asn))
		(void)get_asn(e, PATH("traits", "autonomous_system_number"), &out->asn);
	if (!get_str(e, PATH("autonomous_system_organization"), &out->asn_org))
		(void)get_str(e, PATH("traits", "autonomous_system_organization"), &out->asn_org);
	if (!get_str(e, PATH("isp"), &out->isp))
		(void)get_str(e, PATH("traits", "isp"), &out->isp);
	if (!get_str(e, PATH("organization"), &out->org))
		(void)get_str(e, PATH("traits", "organization"), &out->org);
}

#undef PATH

bool vg_geo_lookup(const struct vg_geo *g, const struct vg_ip *ip, struct vg_geo_info *out)
{
	union geo_sockaddr u;
	bool v6 = false;
	MMDB_entry_s entry;
	memset(out, 0, sizeof(*out));
	if (!g || !to_sockaddr(ip, &u, &v6))
		return false;
	if (role_lookup(&g->city, &u, v6, &entry))
		fill_city(&entry, out);
	if (role_lookup(&g->asn, &u, v6, &entry))
		fill_asn(&entry, out);
	return out->country_code.n || out->country_name.n || out->city_name.n || out->has_location || out->asn ||
	       out->asn_org.n || out->isp.n || out->org.n;
}

/* ---- JSON ------------------------------------------------------------- */

/* member -- append "name":"value" when value is known, with a comma before
 * it unless it is the object's first; *first tracks that. */
static void member(struct vg_buf *b, bool *first, const char *name, struct vg_str value)
{
	if (!value.n)
		return;
	if (!*first)
		vg_buf_addc(b, ',');
	*first = false;
	vg_buf_addc(b, '"');
	vg_buf_adds(b, name);
	vg_buf_adds(b, "\":");
	vg_buf_json_str(b, value);
}

void vg_geo_json(const struct vg_geo_info *info, struct vg_buf *out)
{
	bool first;
	if (info->city_name.n) {
		vg_buf_adds(out, ",\"city\":{");
		first = true;
		member(out, &first, "cityName", info->city_name);
		vg_buf_addc(out, '}');
	}
	if (info->country_code.n || info->country_name.n) {
		vg_buf_adds(out, ",\"country\":{");
		first = true;
		member(out, &first, "countryCode", info->country_code);
		member(out, &first, "countryName", info->country_name);
		vg_buf_addc(out, '}');
	}
	if (info->has_location && isfinite(info->lat) && isfinite(info->lon))
		vg_buf_printf(out, ",\"geoLocation\":{\"lat\":%.6g,\"lon\":%.6g}", info->lat, info->lon);
	if (info->asn || info->asn_org.n || info->isp.n || info->org.n) {
		char asn[12];
		int n = info->asn ? snprintf(asn, sizeof(asn), "%" PRIu32, info->asn) : 0;
		vg_buf_adds(out, ",\"organization\":{");
		first = true;
		member(out, &first, "asn", (struct vg_str){asn, n > 0 ? (size_t)n : 0});
		member(out, &first, "asnOrg", info->asn_org);
		member(out, &first, "isp", info->isp);
		member(out, &first, "org", info->org);
		vg_buf_addc(out, '}');
	}
}
