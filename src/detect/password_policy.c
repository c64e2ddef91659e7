/*
 * password_policy.c -- Stealth:IAMUser/PasswordPolicyChange.
 *
 * GuardDuty grades a password policy change by how much weaker it made
 * the policy.  vigil sees only the new policy, so it grades the new policy
 * against the CIS AWS Foundations baseline instead: one weakness per
 * setting that misses it (table below; an absent setting takes the AWS
 * default, which always misses it).  Deleting the policy is High.
 *
 * Update and delete are separate findings (the event name is the extra
 * aggregation key): a deletion must not be folded into a Low update.
 */
#include "../vg.h"
#include "detectors_int.h"
#include "ct_util_int.h"

#include <stdio.h>

/* CIS baseline. */
#define MIN_LENGTH_CIS 14  /* minimumPasswordLength at least */
#define MIN_LENGTH_HIGH 8  /* below this is High on its own (AWS default is 8) */
#define REUSE_CIS 24       /* passwordReusePrevention at least */
#define MAX_AGE_CIS 90     /* maxPasswordAge at most, and set */

static const struct vg_finding_type password_policy_change = {
	.name = "Stealth:IAMUser/PasswordPolicyChange",
	.severity = 2,
	.severity_varies = true,
	.resource = VG_RES_ACCESS_KEY,
	.action = VG_ACT_AWS_API_CALL,
	.title = "The account password policy was changed with access key {resource}.",
	.description = "The account password policy was changed or deleted with access key {resource} by {actor}. "
		       "A weaker policy makes password guessing easier.",
	.trigger = "A successful iam:UpdateAccountPasswordPolicy or iam:DeleteAccountPasswordPolicy; "
		   "delete is High, an update is graded by the settings that miss the CIS baseline "
		   "(length >= 14, symbols, numbers, upper and lower case required, reuse prevention >= 24, "
		   "maximum age set and <= 90 days): none Low, 1-2 Medium, 3 or more or length < 8 High.",
};

const struct vg_finding_type *const vg__password_policy_types[] = {&password_policy_change, NULL};

/* How one setting is judged. */
enum check_kind {
	REQUIRE_TRUE, /* flag must be true */
	AT_LEAST,     /* number must be >= limit */
	AT_MOST,      /* number must be set, > 0 and <= limit */
};

struct check {
	const char *param; /* requestParameters member */
	enum check_kind kind;
	int64_t limit;
};

static const struct check checks[] = {
	{"minimumPasswordLength", AT_LEAST, MIN_LENGTH_CIS},
	{"requireSymbols", REQUIRE_TRUE, 0},
	{"requireNumbers", REQUIRE_TRUE, 0},
	{"requireUppercaseCharacters", REQUIRE_TRUE, 0},
	{"requireLowercaseCharacters", REQUIRE_TRUE, 0},
	{"passwordReusePrevention", AT_LEAST, REUSE_CIS},
	{"maxPasswordAge", AT_MOST, MAX_AGE_CIS},
};

static bool meets(const struct vg_json *req, const struct check *c)
{
	bool b = false;
	int64_t n = 0;
	switch (c->kind) {
	case REQUIRE_TRUE:
		return vg__ct_flag(req, c->param, &b) && b;
	case AT_LEAST:
		return vg__ct_int(req, c->param, &n) && n >= c->limit;
	case AT_MOST:
		return vg__ct_int(req, c->param, &n) && n > 0 && n <= c->limit;
	}
	return false;
}

void vg__password_policy_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out)
{
	char weak_buf[16], len_buf[24], names[256];
	size_t names_n = 0;
	int weak = 0;
	int64_t length = -1;
	struct vg_finding_draft d = {.type = &password_policy_change, .ev = ev, .key_extra = ev->api.name};

	if (!vg__ct_succeeded(ev))
		return;
	if (vg__ct_is(ev, "iam.amazonaws.com", "DeleteAccountPasswordPolicy")) {
		d.severity = 8;
		vg__ct_info_add(&d, "passwordPolicy", VG_STR_LIT("deleted"));
		vg_emit(out, &d);
		return;
	}
	if (!vg__ct_is(ev, "iam.amazonaws.com", "UpdateAccountPasswordPolicy"))
		return;

	/* Without requestParameters every setting takes its default. */
	names[0] = '\0';
	for (size_t i = 0; i < VG_ARRAY_LEN(checks); i++) {
		if (meets(ev->api.request, &checks[i]))
			continue;
		weak++;
		int w = snprintf(names + names_n, sizeof(names) - names_n, "%s%s", names_n ? "," : "",
				 checks[i].param);
		if (w > 0 && (size_t)w < sizeof(names) - names_n)
			names_n += (size_t)w;
	}
	(void)vg__ct_int(ev->api.request, "minimumPasswordLength", &length);

	if (weak >= 3 || (length >= 0 && length < MIN_LENGTH_HIGH))
		d.severity = 8;
	else if (weak >= 1)
		d.severity = 5;
	else
		d.severity = 2;

	snprintf(weak_buf, sizeof(weak_buf), "%d", weak);
	vg__ct_info_add(&d, "weaknesses", vg_str_c(weak_buf));
	vg__ct_info_add(&d, "weakSettings", (struct vg_str){names, names_n});
	if (length >= 0) {
		snprintf(len_buf, sizeof(len_buf), "%lld", (long long)length);
		vg__ct_info_add(&d, "minimumPasswordLength", vg_str_c(len_buf));
	}
	vg_emit(out, &d);
}
