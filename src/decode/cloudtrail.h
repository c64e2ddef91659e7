/*
 * cloudtrail.h -- CloudTrail records into normalized events.
 *
 * Accepts the shapes CloudTrail data arrives in: S3 delivery files
 * ({"Records":[...]}), arrays of records, single records (JSON lines from
 * CloudWatch Logs or Lake exports) and EventBridge events whose detail is a
 * record.  CloudTrail digest files are recognised and skipped.
 */
#ifndef VG_DECODE_CLOUDTRAIL_H
#define VG_DECODE_CLOUDTRAIL_H

#include "../vg.h"
#include "../core/event.h"
#include "json.h"

/* A decoded record: the event plus the JSON handles it points into.  The
 * views are borrowed from the parser's document. */
struct vg_ct_record {
	struct vg_event ev;
	struct vg_json raw, request, response, additional;
};

/* What a document turned out to be. */
enum vg_ct_doc {
	VG_CT_DOC_RECORDS = 1, /* a list of records (S3 file or array) */
	VG_CT_DOC_RECORD,      /* one record, or one EventBridge event */
	VG_CT_DOC_DIGEST,      /* a CloudTrail digest file: skipped */
	VG_CT_DOC_UNKNOWN,     /* not CloudTrail */
};


/* vg_cloudtrail_decode_doc -- decode every record in a parsed document. */
enum vg_ct_doc vg_cloudtrail_decode_doc(const struct vg_json *root, const struct vg_event_sink *sink, void *ctx);

/* vg_cloudtrail_decode -- one record into rec.  Returns VG_OK, or VG_ETYPE /
 * VG_EMISSING / VG_EVERSION / VG_EFORMAT with *why set to a static message
 * naming the field. */
int vg_cloudtrail_decode(const struct vg_json *record, struct vg_ct_record *rec, const char **why) VG_WUR;

#endif /* VG_DECODE_CLOUDTRAIL_H */
