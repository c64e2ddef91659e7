/*
 * ct_util.c -- readers shared by the CloudTrail rule detectors.
 */
#include "../vg.h"
#include "ct_util_int.h"
#include "detector.h"

bool vg__ct_flag(const struct vg_json *obj, const char *key, bool *out)
{
	struct vg_json v;
	struct vg_str s;
	if (!obj || !vg_json_get(obj, key, &v))
		return false;
	if (vg_json_bool(&v, out))
		return true;
	if (!vg_json_string(&v, &s))
		return false;
	if (vg_str_eqc(s, "true") || vg_str_eqc(s, "false")) {
		*out = vg_str_eqc(s, "true");
		return true;
	}
	return false;
}

bool vg__ct_int(const struct vg_json *obj, const char *key, int64_t *out)
{
	struct vg_json v;
	struct vg_str s;
	int64_t n = 0;
	if (!obj || !vg_json_get(obj, key, &v))
		return false;
	if (vg_json_int64(&v, out))
		return true;
	/* Digits only, and few enough that n cannot overflow. */
	if (!vg_json_string(&v, &s) || s.n == 0 || s.n > 18)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		n = n * 10 + (s.p[i] - '0');
	}
	*out = n;
	return true;
}

void vg__ct_each_init(struct vg__ct_each *e, const struct vg_json *v)
{
	e->state = 0;
	if (!v)
		return;
	switch (vg_json_type(v)) {
	case VG_JSON_NONE:
	case VG_JSON_NULL:
		return;
	case VG_JSON_ARRAY:
		if (vg_json_iter_init(&e->it, v))
			e->state = 1;
		return;
	default:
		e->one = *v;
		e->state = 2;
		return;
	}
}

bool vg__ct_each_next(struct vg__ct_each *e, struct vg_json *out)
{
	if (e->state == 1) {
		if (vg_json_iter_next(&e->it, NULL, out))
			return true;
		e->state = 0;
		return false;
	}
	if (e->state == 2) {
		*out = e->one;
		e->state = 0;
		return true;
	}
	return false;
}

void vg__ct_info_add(struct vg_finding_draft *d, const char *key, struct vg_str value)
{
	if (d->n_info >= VG_DRAFT_MAX_INFO || vg_str_empty(value))
		return;
	d->info[d->n_info].key = key;
	d->info[d->n_info].value = value;
	d->n_info++;
}
