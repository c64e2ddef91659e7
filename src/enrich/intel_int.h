/*
 * intel_int.h -- what the intel list parsers share (intel_formats.c,
 * intel_value.c, intel_csv.c, intel_stix.c, intel_pattern.c): the
 * per-parse state, value validation and normalisation, a small RFC 4180
 * CSV reader, and the STIX 2 pattern reader.  Not for other modules.
 */
#ifndef VG_ENRICH_INTEL_INT_H
#define VG_ENRICH_INTEL_INT_H

#include "../vg.h"
#include "../core/buf.h"
#include "../core/ip.h"
#include "../core/str.h"
#include "intel_formats.h"

/* What a field is expected to hold. */
enum vg__intel_want {
	VG__WANT_IP = 1, /* an address or CIDR */
	VG__WANT_DOMAIN, /* a host name */
	VG__WANT_ANY,    /* an address, a CIDR, a URL or a host name */
	VG__WANT_URL,    /* a URL (or a bare host); its host is the value */
};

#define VG__INTEL_SCRATCH_MAX ((size_t)1 << 20) /* one CSV record or XML text */

/* The state of one vg_intel_parse call.  Normalised values are written to
 * the fixed buffers here, so entries need no allocation. */
struct vg__intel {
	const struct vg_intel_sink *sink; /* where entries go; borrowed */
	uint64_t entries;     /* entries handed to the sink */
	uint64_t bad;         /* malformed lines reported */
	int stop;             /* 0 = go on; > 0 the sink stopped us; < 0 a VG_E* code */
	bool from_utf16;      /* the text was transcoded to UTF-8 (an XML declaration's encoding no longer holds) */
	char norm[256];       /* a host name normalised to lower case */
	char cidr[VG_IP_STRLEN + 8]; /* an address or CIDR written here ("/128" and NUL) */
	struct vg_buf scratch; /* unescaped CSV fields, joined XML text; owned */
};

/* vg__intel_bad -- report a malformed line (why is static). */
void vg__intel_bad(struct vg__intel *x, uint64_t line, const char *why);

/* vg__intel_value -- validate raw (trimmed here) as want, normalise it and
 * hand it to the sink with threat as its threat name; a value that does not
 * validate is reported as bad.  Returns x->stop (0 = go on). */
int vg__intel_value(struct vg__intel *x, enum vg__intel_want want, struct vg_str raw, struct vg_str threat,
		    uint64_t line);

/* vg__intel_range -- the addresses lo..hi (inclusive, one family) as the
 * fewest CIDRs, each handed to the sink.  Returns x->stop. */
int vg__intel_range(struct vg__intel *x, struct vg_str lo, struct vg_str hi, struct vg_str threat, uint64_t line);

/* vg__intel_is_ip / vg__intel_is_host -- classification without emitting
 * (format detection): an address or CIDR; a valid host name. */
bool vg__intel_is_ip(struct vg_str s);
bool vg__intel_is_host(struct vg_str s);

/* String helpers over views. */
struct vg_str vg__intel_trim(struct vg_str s);
bool vg__intel_caseeq(struct vg_str s, const char *lower);
bool vg__intel_is_number(struct vg_str s);

/* ---- CSV (RFC 4180) -------------------------------------------------------- */

#define VG__CSV_MAX 64 /* fields kept per record; FireEye has 47 */

/* A record reader over buf.  Fields are views into buf, or into scratch
 * when unquoting changed them ("" inside a quoted field); either way they
 * stay valid until the next vg__csv_next.  Unquoted fields are trimmed of
 * spaces and tabs; quoted fields may span lines. */
struct vg__csv {
	const char *p, *end;   /* the unread bytes */
	uint64_t line;         /* line of *p, 1-based */
	char delim;            /* ',' */
	struct vg_buf *scratch; /* borrowed from struct vg__intel */
	struct vg_str f[VG__CSV_MAX]; /* this record's fields */
	size_t nf;             /* fields in this record (may exceed VG__CSV_MAX; only that many are kept) */
	uint64_t rec_line;     /* line where this record starts */
	const char *why;       /* NULL, or why this record is malformed */
};

void vg__csv_init(struct vg__csv *c, const char *buf, size_t len, char delim, struct vg_buf *scratch);
/* vg__csv_next -- read one record: true if there was one, false at the end
 * of the buffer.  A malformed record sets c->why (the caller reports it).
 * VG_ENOMEM while unquoting is reported as *rc (else *rc is untouched). */
bool vg__csv_next(struct vg__csv *c, int *rc);
/* vg__csv_field -- field i of the current record, or an empty view. */
static inline struct vg_str vg__csv_field(const struct vg__csv *c, size_t i)
{
	return i < c->nf && i < VG__CSV_MAX ? c->f[i] : VG_STR_NULL;
}
/* vg__csv_skip -- true for a record to pass over silently: blank, or a
 * comment (its first field starts with '#'). */
bool vg__csv_skip(const struct vg__csv *c);

/* ---- the parsers ----------------------------------------------------------- */

/* Each returns VG_OK, VG_EFORMAT (nothing in buf is that format; reported
 * through bad) or VG_ENOMEM; a sink stop leaves its code in x->stop. */
int vg__intel_parse_txt(struct vg__intel *x, const char *buf, size_t len);
int vg__intel_parse_otx(struct vg__intel *x, const char *buf, size_t len);
int vg__intel_parse_alienvault(struct vg__intel *x, const char *buf, size_t len);
int vg__intel_parse_proofpoint(struct vg__intel *x, const char *buf, size_t len);
int vg__intel_parse_fireeye(struct vg__intel *x, const char *buf, size_t len);
int vg__intel_parse_stix(struct vg__intel *x, const char *buf, size_t len);

/* ---- STIX 2 patterns -------------------------------------------------------- */

struct vg__intel_item {
	enum vg__intel_want want; /* what the compared object holds */
	struct vg_str value;      /* the quoted value, escapes kept; a view into the pattern */
};

struct vg__intel_items {
	struct vg__intel_item *v; /* owned by whoever holds the struct; vg_free */
	size_t n, cap;
};

/* vg__intel_pattern -- read a STIX 2 pattern.  When it amounts to "any of
 * these addresses or names" the values are left in items (n > 0, views
 * into pattern); a pattern about other objects only leaves n = 0 and
 * *why NULL; a pattern that cannot be a list entry (AND with another
 * condition, NOT, LIKE, a syntax error) leaves n = 0 and *why static.
 * items->v is grown as needed and kept for the next call.  VG_OK or
 * VG_ENOMEM. */
int vg__intel_pattern(struct vg_str pattern, struct vg__intel_items *items, const char **why);

/* vg__intel_otx_type -- how an OTX indicator type is read: a want, 0 for
 * a known type that is not a network indicator (hashes, e-mail, ...), or
 * -1 for an unknown type. */
int vg__intel_otx_type(struct vg_str type);

#endif /* VG_ENRICH_INTEL_INT_H */
