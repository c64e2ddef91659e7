/*
 * fuzz_vpcflow.c -- libFuzzer target for the VPC Flow Logs decoder.
 *
 * The input is a file's text.  It is decoded three ways: with the default
 * format (header lines and the all-fields guess apply), with its first
 * line as a declared format when that line is one, and line by line
 * through vg_vpcflow_decode_line.  The sink reads every byte of every view
 * in the event, so a view that points outside the input shows up under
 * AddressSanitizer; the input sits in a heap buffer of exactly its size,
 * so does any read past the end of the text.
 *
 * The first token of the input is also parsed as an address, a number and
 * a time through one-column formats, short (the byte-at-a-time paths) and
 * followed by blanks (the word-at-a-time paths), and the results must
 * agree with vg_ip_parse and with a plain reference parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "vg.h"
#include "core/event.h"
#include "core/ip.h"
#include "decode/vpcflow.h"

#define MAX_TEXT (1u << 20)

static uint64_t touch_event(const struct vg_event *ev)
{
	const struct vg_flow *f = &ev->flow;
	if (ev->source != VG_SRC_VPCFLOW || ev->src_ip.family != 0)
		abort();
	if (f->present >> VG_FF_COUNT)
		abort();
	if (f->traffic_path > 8 || (unsigned)f->action > VG_FLOW_REJECT || (unsigned)f->status > VG_FLOW_SKIPDATA ||
	    (unsigned)f->direction > VG_FLOW_EGRESS)
		abort();
	uint64_t h = (uint64_t)ev->time_ms + f->present + (uint64_t)f->version;
	h += touch_str(ev->account) + touch_str(ev->region);
	h += touch_str(f->interface_id) + touch_str(f->instance_id) + touch_str(f->vpc_id) + touch_str(f->subnet_id) +
	     touch_str(f->type) + touch_str(f->az_id) + touch_str(f->pkt_src_service) +
	     touch_str(f->pkt_dst_service) + touch_str(f->reject_reason);
	h += touch_ip(&f->src) + touch_ip(&f->dst) + touch_ip(&f->pkt_src) + touch_ip(&f->pkt_dst);
	h += f->src_port + f->dst_port + f->protocol + f->traffic_path + f->tcp_flags + f->packets + f->bytes +
	     (uint64_t)f->start_ms + (uint64_t)f->end_ms + f->action + f->status + f->direction;
	return h;
}

static void on_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	*(volatile uint64_t *)ctx += touch_event(ev) + index;
}

static void on_bad(void *ctx, uint64_t index, int rc, const char *why)
{
	if (rc >= 0 || !why)
		abort(); /* a refusal is an error code and says why */
	*(volatile uint64_t *)ctx += index + (uint64_t)(-rc) + strlen(why);
}

/* One column of format fmt holding tok, alone or followed by blanks. */
static int one_column(const char *fmt_text, const char *tok, size_t n, bool pad, struct vg_event *ev)
{
	struct vg_flow_format fmt;
	const char *why = NULL;
	if (vg_vpcflow_parse_format(fmt_text, strlen(fmt_text), &fmt, &why) != VG_OK)
		abort();
	size_t len = n + (pad ? 32 : 0);
	char *b = malloc(len ? len : 1);
	if (!b)
		abort();
	memcpy(b, tok, n);
	memset(b + n, ' ', len - n);
	int rc = vg_vpcflow_decode_line(&fmt, b, len, ev, &why);
	if (rc != VG_OK && !why)
		abort();
	free(b);
	return rc;
}

/* The token's digits as a number no larger than max; false if it is not. */
static bool ref_uint(const char *t, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return false;
		unsigned d = (unsigned)(t[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return v <= max;
}

static void differential(const uint8_t *data, size_t size)
{
	size_t n = 0;
	while (n < size && n < 48 && data[n] > ' ')
		n++;
	if (n == 0 || (size > n && n == 48))
		return;
	const char *t = (const char *)data;
	bool dash = n == 1 && t[0] == '-';
	struct vg_event ev;
	for (int pad = 0; pad < 2; pad++) {
		struct vg_ip ref;
		bool ok = vg_ip_parse((struct vg_str){t, n}, &ref) == VG_OK;
		int rc = one_column("srcaddr", t, n, pad, &ev);
		if (dash) {
			if (rc != VG_OK || ev.flow.src.family != 0)
				abort();
		} else if ((rc == VG_OK) != ok || (ok && memcmp(&ref, &ev.flow.src, sizeof(ref)) != 0)) {
			abort();
		}

		uint64_t v = 0;
		ok = ref_uint(t, n, UINT64_MAX, &v);
		rc = one_column("packets", t, n, pad, &ev);
		if (dash ? rc != VG_OK : (rc == VG_OK) != ok || (ok && ev.flow.packets != v))
			abort();

		ok = ref_uint(t, n, 999999999999999ull, &v);
		rc = one_column("end", t, n, pad, &ev);
		if (dash ? rc != VG_OK : (rc == VG_OK) != ok || (ok && ev.flow.end_ms != (int64_t)v * 1000))
			abort();

		ok = ref_uint(t, n, 65535, &v);
		rc = one_column("dstport", t, n, pad, &ev);
		if (dash ? rc != VG_OK : (rc == VG_OK) != ok || (ok && ev.flow.dst_port != v))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_TEXT)
		return 0;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	volatile uint64_t acc = 0;
	static const struct vg_event_sink sink = {on_event, on_bad};

	acc += vg_vpcflow_sniff(buf, size);
	if (vg_vpcflow_decode_text(buf, size, NULL, &sink, (void *)&acc) != VG_OK)
		abort();

	/* The first line as a declared format (a --flow-format value). */
	const char *nl = memchr(buf, '\n', size);
	size_t first = nl ? (size_t)(nl - buf) : size;
	struct vg_flow_format fmt;
	const char *why = NULL;
	if (vg_vpcflow_parse_format(buf, first, &fmt, &why) == VG_OK) {
		if (fmt.n == 0 || fmt.n > VG_FLOW_MAX_FIELDS)
			abort();
		for (unsigned i = 0; i < fmt.n; i++)
			if (fmt.field[i] >= VG_FF_COUNT)
				abort();
		if (vg_vpcflow_decode_text(buf, size, &fmt, &sink, (void *)&acc) != VG_OK)
			abort();
	} else if (!why) {
		abort();
	}

	/* Each line on its own, each as its own heap block. */
	struct vg_event ev;
	for (size_t p = 0; p < size;) {
		const char *e = memchr(buf + p, '\n', size - p);
		size_t len = e ? (size_t)(e - (buf + p)) : size - p;
		char *l = malloc(len ? len : 1);
		if (!l)
			abort();
		memcpy(l, buf + p, len);
		why = NULL;
		int rc = vg_vpcflow_decode_line(NULL, l, len, &ev, &why);
		if (rc == VG_OK)
			acc += touch_event(&ev);
		else if (rc >= 0 || !why)
			abort();
		free(l);
		p += len + 1;
	}

	differential(data, size);
	free(buf);
	return 0;
}
