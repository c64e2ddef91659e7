/*
 * frame.h -- splitting a decompressed buffer into JSON documents.
 *
 * Three shapes are recognised without trusting file names:
 *  - one document (a CloudTrail file {"Records":[...]}, an array of
 *    records, one record, one EventBridge event): parsed whole;
 *  - a stream of documents (JSON lines, concatenated objects, or the
 *    lines of a CloudWatch Logs export, each event's time before its
 *    document): parsed one by one, a bad one reported by line and skipped;
 *  - a damaged single document whose top level is {"Records":[ or [:
 *    its elements are parsed one by one, so every intact record survives
 *    a truncated or corrupted file.  Documents over the parser's size limit
 *    take the same path, so huge files do not need a huge parse.
 */
#ifndef VG_DECODE_FRAME_H
#define VG_DECODE_FRAME_H

#include "../vg.h"
#include "json.h"

/* Where a document sits in its file, for messages: line is 1-based in
 * stream mode (0 otherwise); element is the 1-based array element in
 * salvage mode (0 otherwise); column is the document's 1-based byte in its
 * line when it does not start the line (documents one after another, as
 * Firehose writes them; 0 otherwise). */
struct vg_frame_pos {
	uint64_t line;
	uint64_t element;
	uint64_t column;
};

struct vg_frame_ops {
	/* A parsed document; root is borrowed until the callback returns. */
	void (*doc)(void *ctx, const struct vg_json *root, struct vg_frame_pos pos);
	/* A document that could not be parsed. */
	void (*bad)(void *ctx, struct vg_frame_pos pos, int rc, const char *why);
};

/* vg_frame_split -- feed every document in buf[0..len) to ops.  buf must be
 * followed by VG_JSON_PADDING readable bytes.  Returns VG_OK, or
 * VG_ENOMEM when the parser could not allocate. */
int vg_frame_split(struct vg_json_parser *p, const char *buf, size_t len, const struct vg_frame_ops *ops,
		   void *ctx) VG_WUR;

#endif /* VG_DECODE_FRAME_H */
