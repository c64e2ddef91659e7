/*
 * cmd_scan_int.h -- what the two halves of `vigil scan` share: the scan's
 * state, and the reading half's entry points (cmd_scan_read.c: files in,
 * events through the detectors, findings into the store) for the command
 * half (cmd_scan.c: options, set-up, output).
 */
#ifndef VG_CMD_SCAN_INT_H
#define VG_CMD_SCAN_INT_H

#include "vg.h"
#include "config.h"
#include "core/buf.h"
#include "decode/frame.h"
#include "decode/json.h"
#include "decode/vpcflow.h"
#include "detect/engine.h"
#include "enrich/intel.h"
#include "finding/finding.h"
#include "ingest/walk.h"
#include "store/store.h"
#include "cmd.h"

/* Problems reported one by one per file; the rest are counted. */
#define ERRORS_SHOWN_PER_FILE 20

struct scan_opts {
	enum vg_format fmt;
	const char *db;
	const char *geoip, *asn; /* MMDB paths, NULL when not given */
#define MAX_LISTS 64
	const char *intel[MAX_LISTS], *trusted[MAX_LISTS]; /* --intel, --trusted arguments */
	size_t n_intel, n_trusted;
	enum vg_intel_format intel_format;
	const char *config;      /* --config, else $VIGIL_CONFIG; NULL when none */
	struct vg_config file;   /* what it says; its lists load before the command line's */
	char *file_geo[2];       /* its geoip and asn paths joined with commas; owned */
	const char *flow_format; /* --flow-format, else the file's; NULL: version 2 */
	const char *region;      /* --region, else the file's: for records that name none */
	const char *account;     /* --account, else the file's: likewise */
	size_t state_memory;     /* bytes, --state-memory else the file's; 0: the default */
	bool rescan;
	bool no_geo;
	bool sample;
	bool quiet;
	bool progress;
	size_t max_file;
	size_t max_record;
};

/* What the documents of a JSON file turned out to be. */
enum doc_kind { DOC_UNKNOWN = 0, DOC_CLOUDTRAIL, DOC_DNS, DOC_CWL };

struct scan {
	struct scan_opts o;
	struct vg_json_parser *parser;
	struct vg_json_parser *nested; /* for the JSON inside CloudWatch Logs messages */
	struct vg_detect_config detect_cfg;
	struct vg_geo *geo;
	struct vg_intel *intel, *trusted;
	struct vg_psl *psl;
	struct vg_emitter to_aggregator;
	uint64_t suppressed; /* findings dropped because the caller is trusted */
	struct vg_detect_engine *engine;
	struct vg_aggregator *agg;
	struct vg_emitter emitter;
	struct vg_store *store;
	struct vg_buf scratch;

	/* The file being read. */
	const char *file;
	uint64_t file_errors;
	struct vg_frame_pos pos;
	const struct vg_json *doc; /* the document being decoded; NULL when it did not parse */
	uint64_t event;            /* the CloudWatch Logs event of doc being decoded (1-based), or 0 */
	struct vg_str event_id;    /* its id, borrowed from doc; empty when it has none */
	enum doc_kind kind;        /* of the file's last good document */
	bool text_lines;           /* the file is read line by line (flow logs) */
	struct vg_str path_account, path_region; /* from an AWSLogs/ACCOUNT/SERVICE/REGION/ path */
	struct vg_str default_region;            /* --region, else "unknown": for records naming none */
	struct vg_str default_account;           /* --account, else "unknown": likewise */
	struct vg_flow_format flow_fmt;          /* for flow logs without a header */
	int64_t max_time[3];       /* latest event time seen per source (as by_source) */
	uint64_t last_tick;        /* records at the last vg_detect_tick */

	/* Totals for the summary. */
	uint64_t files, files_failed, digests, others, empty, records, bad;
	uint64_t by_source[3]; /* records of CloudTrail, VPC flow, DNS */
	uint64_t bytes_raw, bytes;
	uint64_t found_new, found_updated;

	/* Log files read since the last flush, recorded with the findings
	 * they produced (in the same transaction). */
	struct file_mark {
		char sha256[65];
		char *path;      /* owned */
		uint64_t records;
	} *marks;
	size_t n_marks, cap_marks;
	uint64_t already_read;

	/* Ids of the findings this scan touched, for printing. */
	char (*touched)[VG_FINDING_ID_LEN + 1];
	size_t n_touched, cap_touched;

	int64_t t0, last_progress;
	bool progress_shown;
	int fatal; /* a store or allocation failure: stop */
};

/* vg__scan_on_path -- the walk callback: read one log file (or count a
 * skipped one).  Returns s->fatal. */
int vg__scan_on_path(void *ctx, const char *path, enum vg_walk_kind kind, const char *err);
/* vg__scan_flush -- move the aggregated findings and the files read into
 * the store, in one transaction. */
int vg__scan_flush(struct scan *s) VG_WUR;
/* vg__scan_clear_progress -- erase the progress line before a message. */
void vg__scan_clear_progress(struct scan *s);

#endif /* VG_CMD_SCAN_INT_H */
