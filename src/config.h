/*
 * config.h -- the configuration file (YAML, read with libyaml).
 *
 * One file carries what the command line can say and what a long-running
 * `vigil serve` needs: threat and trusted lists, geo databases, the finding
 * database, detector thresholds and the state memory ceiling.  Relative
 * paths are taken from the file's folder.  Unknown keys, wrong types and
 * out-of-range values are errors that name the file, line and column:
 * a typo must not silently turn a detection off.  docs/configuration.md
 * documents every key; an example:
 *
 *   intel:
 *     - path: lists/tor-exits.txt
 *       category: tor             # default custom
 *       name: tor-exits           # default: the file name
 *       format: TXT               # default: detected from the content
 *   trusted:
 *     - path: lists/office.txt    # also name and format; no category
 *   geo:
 *     geoip: [/srv/geo/city.mmdb]  # a path or a list
 *     asn: /srv/geo/asn.mmdb
 *     enabled: true
 *   database: findings.db
 *   flow_format: version account-id interface-id srcaddr dstaddr ...
 *   region: eu-west-1            # for flow records that name none
 *   account: "111122223333"      # likewise
 *   state:
 *     memory: 256MiB              # bytes, or with KiB / MiB / GiB
 *   detectors:
 *     port_scan:
 *       ports: 25
 */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include "vg.h"
#include "detect/detector.h"

/* A threat or trusted list as the file names it.  Strings owned; name,
 * category and format NULL when not given (a trusted list never has a
 * category).  category and format are as written and known to parse
 * (vg_intel_category_parse, vg_intel_format_parse). */
struct vg_config_list {
	char *path;     /* resolved against the file's folder */
	char *name;
	char *category;
	char *format;
};

struct vg_config {
	struct vg_config_list *intel, *trusted;
	size_t n_intel, n_trusted;
	char **geoip, **asn;            /* resolved paths; NULL-free arrays */
	size_t n_geoip, n_asn;
	int geo_enabled;                /* -1 not set, 0 off, 1 on (the default: databases when there are) */
	char *database;                 /* NULL when not set */
	char *flow_format;              /* NULL when not set */
	char *region;                   /* for records that name none; NULL when not set */
	char *account;                  /* likewise */
	size_t state_memory;            /* bytes, 0 when not set */
	struct vg_param_value *params;  /* detector and name strings owned; each passed vg_detect_param_check */
	size_t n_params;
};

/* vg_config_load -- read and check the file at path into *out (cleared
 * first; release with vg_config_free, also after a failure).  Returns
 * VG_OK, VG_ENOENT / VG_EIO when it cannot be read, VG_ETOOBIG for a file
 * over 1 MiB, VG_ENOMEM, or VG_EFORMAT for any syntax or schema error,
 * with "FILE:LINE:COLUMN: what" in err (1-based; "FILE: what" for the
 * others).  An empty file, or one holding only comments, is a valid empty
 * configuration.  Anchors, aliases, tags, nesting deeper than 16 levels
 * and more than 1024 entries in a list (or detector parameters in all)
 * are refused. */
int vg_config_load(const char *path, struct vg_config *out, char *err, size_t errlen) VG_WUR;

/* vg_config_parse -- the same from text[0..len) in memory (no terminator
 * needed); name is used in messages and its folder for relative paths. */
int vg_config_parse(const char *text, size_t len, const char *name, struct vg_config *out, char *err,
		    size_t errlen) VG_WUR;

/* vg_config_free -- release everything *c holds and leave it as an empty
 * configuration; a zeroed or half-filled struct is fine, so is NULL. */
void vg_config_free(struct vg_config *c);

#endif /* VG_CONFIG_H */
