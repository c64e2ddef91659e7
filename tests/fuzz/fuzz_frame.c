/*
 * fuzz_frame.c -- libFuzzer target for everything between the bytes of a
 * file and the CloudTrail decoder: gzip detection and salvage
 * (vg_input_from_mem), then the framing of the result into documents
 * (one document, JSON lines, salvage of damaged record arrays), then the
 * decoder on every document found.  Callbacks read every position, reason
 * and event view.  Everything is allocated and freed within one run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "vg.h"
#include "core/event.h"
#include "decode/cloudtrail.h"
#include "decode/frame.h"
#include "decode/json.h"
#include "ingest/input.h"

#define MAX_INPUT (1u << 20) /* decompressed bytes */
#define MAX_DOC 2048         /* small, so bigger documents take the salvage path */

struct run {
	volatile uint64_t acc;
	uint64_t docs, bads;
};

static void on_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	struct run *r = ctx;
	const struct vg_actor *a = &ev->actor;
	const struct vg_api_call *c = &ev->api;
	uint64_t h = index + (uint64_t)ev->time_ms + ev->src_ip.family;
	h += touch_str(ev->account) + touch_str(ev->region) + touch_str(ev->user_agent);
	h += touch_str(a->type) + touch_str(a->principal_id) + touch_str(a->arn) + touch_str(a->account) +
	     touch_str(a->access_key_id) + touch_str(a->user_name) + touch_str(a->invoked_by) +
	     touch_str(a->issuer_type) + touch_str(a->issuer_arn);
	h += touch_str(c->service) + touch_str(c->name) + touch_str(c->event_type) + touch_str(c->event_id) +
	     touch_str(c->version) + touch_str(c->error_code) + touch_str(c->error_message) +
	     touch_str(c->source_ip_text);
	if (c->request)
		h += vg_json_len(c->request);
	r->acc += h;
}

static void on_record_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	struct run *r = ctx;
	r->acc += index + (uint64_t)(-rc) + strlen(why);
}

static void on_doc(void *ctx, const struct vg_json *root, struct vg_frame_pos pos)
{
	static const struct vg_event_sink sink = {on_event, on_record_bad};
	struct run *r = ctx;
	r->docs++;
	r->acc += pos.line + pos.element;
	if (pos.line && pos.element)
		abort(); /* a position is a line or an element, never both */
	(void)vg_cloudtrail_decode_doc(root, &sink, r);
}

static void on_bad(void *ctx, struct vg_frame_pos pos, int rc, const char *why)
{
	struct run *r = ctx;
	r->bads++;
	if (rc >= 0 || !why)
		abort();
	r->acc += pos.line + pos.element + strlen(why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_input in;
	int rc = vg_input_from_mem(data, size, MAX_INPUT, VG_INPUT_DIGEST, &in);
	if (rc != VG_OK) {
		vg_input_free(&in);
		return 0;
	}
	if (in.len > MAX_INPUT || in.sha256[64] != '\0' || strlen(in.sha256) != 64)
		abort();
	struct vg_json_parser *p;
	if (vg_json_parser_new(&p, MAX_DOC) == VG_OK) {
		static const struct vg_frame_ops ops = {on_doc, on_bad};
		struct run r = {0};
		rc = vg_frame_split(p, in.data, in.len, &ops, &r);
		if (rc != VG_OK && rc != VG_ENOMEM)
			abort();
		vg_json_parser_free(p);
	}
	vg_input_free(&in);
	return 0;
}
