/*
 * ct_util_int.h -- small CloudTrail questions the rule detectors share:
 * did the call succeed, which API is it, is it an S3 data event, and
 * tolerant readers for the flags and numbers in requestParameters.
 * Shared within detect/ only.
 */
#ifndef VG_DETECT_CT_UTIL_INT_H
#define VG_DETECT_CT_UTIL_INT_H

#include "../vg.h"
#include "../core/event.h"
#include "../core/str.h"
#include "../decode/json.h"
#include "detector.h"

#define VG__CT_S3 "s3.amazonaws.com"

/* vg__ct_succeeded -- true when the call has no errorCode. */
static inline bool vg__ct_succeeded(const struct vg_event *ev) { return vg_str_empty(ev->api.error_code); }

/* vg__ct_is -- true when the event is the API call name of service. */
static inline bool vg__ct_is(const struct vg_event *ev, const char *service, const char *name)
{
	return vg_str_eqc(ev->api.name, name) && vg_str_eqc(ev->api.service, service);
}

/* vg__ct_is_s3_data -- true for an S3 data-plane event (GetObject, ...),
 * which GuardDuty treats as its own data source. */
static inline bool vg__ct_is_s3_data(const struct vg_event *ev)
{
	return ev->api.category == VG_CT_DATA && vg_str_eqc(ev->api.service, VG__CT_S3);
}

/* vg__ct_request_str -- a string member of requestParameters, or empty. */
static inline struct vg_str vg__ct_request_str(const struct vg_event *ev, const char *key)
{
	return ev->api.request ? vg_json_get_str(ev->api.request, key) : VG_STR_NULL;
}

/* vg__ct_flag -- read the boolean member key of obj into *out.  Accepts a
 * JSON boolean or the strings "true"/"false" (some exports stringify).
 * Returns false, leaving *out alone, when the member is absent or is
 * neither. */
bool vg__ct_flag(const struct vg_json *obj, const char *key, bool *out);

/* vg__ct_int -- read the integer member key of obj into *out; a JSON
 * number or a string of decimal digits.  Returns false when absent or
 * not a whole number. */
bool vg__ct_int(const struct vg_json *obj, const char *key, int64_t *out);

/* vg__ct_each -- iterate v as a list: an array yields its elements, any
 * other present value yields itself once (IAM policies and S3 ACLs write a
 * single element without the array).  Initialise *it with
 * vg__ct_each_init and call vg__ct_each_next until it returns false. */
struct vg__ct_each {
	struct vg_json_iter it; /* used when the value is an array */
	struct vg_json one;     /* the single value otherwise */
	int state;              /* 0 done, 1 array, 2 single pending */
};
void vg__ct_each_init(struct vg__ct_each *e, const struct vg_json *v);
bool vg__ct_each_next(struct vg__ct_each *e, struct vg_json *out);

/* vg__ct_info_add -- append one additionalInfo pair to a draft, keeping
 * VG_DRAFT_MAX_INFO; value is borrowed until the emit call returns. */
void vg__ct_info_add(struct vg_finding_draft *d, const char *key, struct vg_str value);

#endif /* VG_DETECT_CT_UTIL_INT_H */
