/*
 * fuzz_cloudtrail.c -- libFuzzer target for the CloudTrail decoder.
 *
 * The input is parsed as one JSON document (copied into a padded buffer,
 * as the framer would hand it over) and every record in it is decoded.
 * The sink reads every byte of every view in the event, so a view that
 * points outside the parser's buffers shows up under AddressSanitizer.
 * Everything is allocated and freed within one run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "vg.h"
#include "core/event.h"
#include "decode/cloudtrail.h"
#include "decode/json.h"

#define MAX_DOC (1u << 20)

/* Walk a JSON value (bounded depth), reading every key and string. */
static uint64_t touch_json(const struct vg_json *v, int depth)
{
	uint64_t h = (uint64_t)vg_json_type(v);
	struct vg_str s;
	if (vg_json_string(v, &s))
		return h + touch_str(s);
	if (depth > 8)
		return h;
	struct vg_json_iter it;
	struct vg_json child;
	struct vg_str key;
	if (vg_json_iter_init(&it, v))
		while (vg_json_iter_next(&it, &key, &child))
			h += touch_str(key) + touch_json(&child, depth + 1);
	return h;
}

static uint64_t touch_event(const struct vg_event *ev)
{
	const struct vg_actor *a = &ev->actor;
	const struct vg_api_call *c = &ev->api;
	uint64_t h = (uint64_t)ev->source + (uint64_t)ev->time_ms + ev->record_no;
	h += touch_str(ev->account) + touch_str(ev->region) + touch_str(ev->user_agent);
	h += touch_str(a->type) + touch_str(a->principal_id) + touch_str(a->arn) + touch_str(a->account) +
	     touch_str(a->access_key_id) + touch_str(a->user_name) + touch_str(a->invoked_by) +
	     touch_str(a->issuer_type) + touch_str(a->issuer_arn) + a->mfa + a->assumed_root;
	h += touch_str(c->service) + touch_str(c->name) + touch_str(c->event_type) + touch_str(c->event_id) +
	     touch_str(c->version) + touch_str(c->error_code) + touch_str(c->error_message) +
	     touch_str(c->source_ip_text) + (uint64_t)c->category + c->read_only;
	h += ev->src_ip.family;
	for (int i = 0; i < 16; i++)
		h += ev->src_ip.b[i];
	if (c->request)
		h += touch_json(c->request, 0);
	if (c->response)
		h += touch_json(c->response, 0);
	if (c->additional)
		h += touch_json(c->additional, 0);
	if (ev->raw)
		h += vg_json_len(ev->raw) + touch_str(vg_json_get_str(ev->raw, "eventName"));
	return h;
}

static void on_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	*(volatile uint64_t *)ctx += touch_event(ev) + index;
}

static void on_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	/* The reason is a static string: read all of it. */
	*(volatile uint64_t *)ctx += index + (uint64_t)(-rc) + (why ? strlen(why) : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_DOC)
		return 0;
	struct vg_json_parser *p;
	if (vg_json_parser_new(&p, MAX_DOC) != VG_OK)
		return 0;
	char *buf = padded_copy(data, size, VG_JSON_PADDING);
	if (!buf) {
		vg_json_parser_free(p);
		return 0;
	}

	struct vg_json root;
	const char *why = NULL;
	volatile uint64_t sink_acc = 0;
	if (vg_json_parse(p, buf, size, &root, &why) == VG_OK) {
		static const struct vg_event_sink sink = {on_event, on_bad};
		enum vg_ct_doc kind = vg_cloudtrail_decode_doc(&root, &sink, (void *)&sink_acc);
		if (kind < VG_CT_DOC_RECORDS || kind > VG_CT_DOC_UNKNOWN)
			abort();
		/* The single-record entry point too, on whatever the root is. */
		struct vg_ct_record rec;
		why = NULL;
		int rc = vg_cloudtrail_decode(&root, &rec, &why);
		if (rc == VG_OK)
			sink_acc += touch_event(&rec.ev);
		else if (!why || rc >= 0)
			abort(); /* a refusal always says why */
	} else if (!why) {
		abort();
	}
	free(buf);
	vg_json_parser_free(p);
	return 0;
}
