/*
 * fuzz_route53.c -- libFuzzer target for the Route 53 Resolver query log
 * decoder.
 *
 * The input is parsed as one JSON document (copied into a padded buffer,
 * as the framer would hand over one line), then vg_route53_is_query and
 * vg_route53_decode run on it and, when it is an array, on each element.
 * Every byte of every view in a decoded event is read, so a view that
 * points outside the parser's buffers shows up under AddressSanitizer; the
 * answer count and addresses are checked against their bounds.
 * Everything is allocated and freed within one run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "vg.h"
#include "core/event.h"
#include "decode/json.h"
#include "decode/route53.h"

#define MAX_DOC (1u << 20)

static uint64_t touch_event(const struct vg_event *ev, const struct vg_json *obj)
{
	const struct vg_dns *d = &ev->dns;
	if (ev->source != VG_SRC_DNS || ev->raw != obj || d->n_answer_ips > VG_DNS_MAX_ANSWER_IPS ||
	    d->n_answer_ips > d->n_answers || vg_str_empty(d->query_name))
		abort();
	uint64_t h = (uint64_t)ev->time_ms + touch_str(ev->account) + touch_str(ev->region) + touch_ip(&ev->src_ip);
	h += touch_str(d->query_name) + touch_str(d->query_type) + touch_str(d->query_class) + touch_str(d->rcode) +
	     touch_str(d->transport) + touch_str(d->instance_id) + touch_str(d->resolver_endpoint) +
	     touch_str(d->vpc_id) + touch_str(d->firewall_action) + d->src_port + d->n_answers;
	for (unsigned i = 0; i < d->n_answer_ips; i++) {
		if (d->answer_ip[i].family == 0)
			abort();
		h += touch_ip(&d->answer_ip[i]);
	}
	h += vg_json_len(ev->raw) + touch_str(vg_json_get_str(ev->raw, "query_name"));
	return h;
}

static uint64_t run_one(const struct vg_json *v)
{
	uint64_t h = vg_route53_is_query(v);
	struct vg_event ev;
	const char *why = NULL;
	int rc = vg_route53_decode(v, &ev, &why);
	if (rc == VG_OK)
		return h + touch_event(&ev, v);
	if (!why || rc >= 0)
		abort(); /* a refusal always says why */
	return h + (uint64_t)(-rc) + strlen(why);
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
	volatile uint64_t acc = 0;
	if (vg_json_parse(p, buf, size, &root, &why) == VG_OK) {
		acc += run_one(&root);
		struct vg_json_iter it;
		struct vg_json v;
		if (vg_json_type(&root) == VG_JSON_ARRAY && vg_json_iter_init(&it, &root))
			while (vg_json_iter_next(&it, NULL, &v))
				acc += run_one(&v);
	} else if (!why) {
		abort();
	}
	(void)acc; /* read once: the sums exist only to make every byte be read */
	free(buf);
	vg_json_parser_free(p);
	return 0;
}
