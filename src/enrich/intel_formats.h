/*
 * intel_formats.h -- the list formats GuardDuty accepts for trusted IP
 * lists and threat intel sets (TXT, STIX, OTX_CSV, ALIEN_VAULT,
 * PROOF_POINT, FIRE_EYE), read into a stream of validated entries.
 *
 * A parser never builds the list itself: it hands each address, CIDR or
 * domain to a sink, which inserts it wherever the caller keeps lists
 * (enrich/iptrie, enrich/domainset).  A malformed line is reported to the
 * sink with its line number and skipped; its neighbours are kept.
 *
 * Ownership: every string a parser hands to the sink is borrowed and valid
 * only during the callback; the caller keeps the buffer it passes in.
 */
#ifndef VG_ENRICH_INTEL_FORMATS_H
#define VG_ENRICH_INTEL_FORMATS_H

#include "../vg.h"
#include "../core/str.h"

/* GuardDuty's format enum (CreateThreatIntelSet "format"), plus AUTO. */
enum vg_intel_format {
	VG_INTEL_AUTO = 0,    /* detect from the content */
	VG_INTEL_TXT,         /* one IP, CIDR or domain per line */
	VG_INTEL_STIX,        /* STIX 1.x XML or STIX 2.x JSON */
	VG_INTEL_OTX_CSV,     /* AlienVault OTX pulse export: type, indicator, description */
	VG_INTEL_ALIEN_VAULT, /* AlienVault reputation: ip#reliability#risk#activity#... */
	VG_INTEL_PROOF_POINT, /* Proofpoint ET Intelligence: ip|domain, category, score, ... */
	VG_INTEL_FIRE_EYE,    /* FireEye iSIGHT indicator CSV (47 named columns) */
};

enum vg_intel_kind {
	VG_INTEL_IP = 1, /* an address or a CIDR, IPv4 or IPv6 */
	VG_INTEL_DOMAIN, /* a host name; matches itself and its subdomains */
};

struct vg_intel_entry {
	enum vg_intel_kind kind; /* what value holds */
	/* "1.2.3.4", "10.0.0.0/8", "2001:db8::/32" or "evil.example" (lower
	 * case, no trailing dot or leading "*."; a URL gives its host);
	 * borrowed. */
	struct vg_str value;
	/* The format's label for the entry (STIX indicator name or label,
	 * ProofPoint category, FireEye malware family, AlienVault activity),
	 * else empty; borrowed. */
	struct vg_str threat_name;
	uint64_t line;           /* 1-based line; for STIX 2.x JSON the 1-based index of the object in the bundle */
};

struct vg_intel_sink {
	/* entry -- one validated entry.  Return 0 to go on; a positive value
	 * stops the parse, which then returns VG_OK; a negative VG_E* code
	 * stops it and is returned by vg_intel_parse (e.g. VG_ENOMEM from the
	 * caller's own insert). */
	int (*entry)(void *ctx, const struct vg_intel_entry *e);
	/* bad -- a malformed line or indicator, skipped.  line is as in
	 * vg_intel_entry, or 0 when the problem concerns the whole file (a JSON
	 * syntax error).  why is a static string.  May be NULL. */
	void (*bad)(void *ctx, uint64_t line, const char *why);
	void *ctx; /* handed to both callbacks */
};

/* vg_intel_detect -- the format of buf[0..len) judged from its content
 * alone (never the file name): the first non-blank byte for STIX, else
 * the first few lines that are not comments (headers, '#'-separated or
 * numeric columns).  Falls back to VG_INTEL_TXT. */
enum vg_intel_format vg_intel_detect(const char *buf, size_t len);

/* vg_intel_detect_why -- the same, and *why (if why is not NULL) is set to
 * a short static reason for --verbose ("header ip,category,score"). */
enum vg_intel_format vg_intel_detect_why(const char *buf, size_t len, const char **why);

/* vg_intel_format_name -- GuardDuty's name for f ("TXT", "STIX",
 * "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"; "AUTO" for
 * VG_INTEL_AUTO).  Static; never NULL. */
const char *vg_intel_format_name(enum vg_intel_format f);

/* vg_intel_format_parse -- the format named by name, as --intel-format
 * takes it: GuardDuty's names in any case, with '_' or '-' or neither
 * ("otx_csv", "OTX-CSV", "otxcsv", also "otx", "alienvault", "proofpoint",
 * "fireeye"), and "auto".  VG_OK, or VG_EINVAL for an unknown name. */
int vg_intel_format_parse(const char *name, enum vg_intel_format *out) VG_WUR;

/* vg_intel_parse -- parse buf[0..len) in format f (VG_INTEL_AUTO detects
 * it) and hand every entry to sink.  VG_INPUT_PADDING readable bytes must
 * follow buf[len), as vg_input_read leaves them (STIX JSON is parsed in
 * place).  A UTF-8 byte-order mark is skipped; text with a UTF-16
 * byte-order mark is transcoded to UTF-8 first.
 *
 * Returns VG_OK (also when the sink stopped the parse with a positive
 * value, and for a list with no entries), VG_EFORMAT when nothing in buf
 * looks like the format (no entry, and at least one malformed line or a
 * document that does not parse), VG_ENOMEM, the negative code the sink
 * returned, or VG_EINVAL for a NULL sink or an unknown format.  Allocates
 * only per parse, never per entry. */
int vg_intel_parse(const char *buf, size_t len, enum vg_intel_format f, const struct vg_intel_sink *sink) VG_WUR;

#endif /* VG_ENRICH_INTEL_FORMATS_H */
