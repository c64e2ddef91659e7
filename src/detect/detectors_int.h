/*
 * detectors_int.h -- the parts of each detector file that registry.c puts
 * in its table.  Shared within detect/ only.
 */
#ifndef VG_DETECT_DETECTORS_INT_H
#define VG_DETECT_DETECTORS_INT_H

#include "../vg.h"
#include "detector.h"

/* DETECTOR DECLARATIONS */

/* Each rule detector exports its NULL-terminated finding types and its
 * on_event; they keep no state, so init, on_tick and free are NULL. */

/* cloudtrail_logging.c: Stealth:IAMUser/CloudTrailLoggingDisabled */
extern const struct vg_finding_type *const vg__cloudtrail_logging_types[];
void vg__cloudtrail_logging_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				     const struct vg_emitter *out);

/* password_policy.c: Stealth:IAMUser/PasswordPolicyChange */
extern const struct vg_finding_type *const vg__password_policy_types[];
void vg__password_policy_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out);

/* s3_logging.c: Stealth:S3/ServerAccessLoggingDisabled */
extern const struct vg_finding_type *const vg__s3_logging_types[];
void vg__s3_logging_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out);

/* root_usage.c: Policy:IAMUser/RootCredentialUsage, ShortTermRootCredentialUsage */
extern const struct vg_finding_type *const vg__root_usage_types[];
void vg__root_usage_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out);

/* s3_block_public.c: Policy:S3/AccountBlockPublicAccessDisabled, BucketBlockPublicAccessDisabled */
extern const struct vg_finding_type *const vg__s3_block_public_types[];
void vg__s3_block_public_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out);

/* s3_public_access.c: Policy:S3/BucketAnonymousAccessGranted, BucketPublicAccessGranted */
extern const struct vg_finding_type *const vg__s3_public_access_types[];
void vg__s3_public_access_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				   const struct vg_emitter *out);

/* bedrock_logging.c: DefenseEvasion:IAMUser/BedrockLoggingDisabled */
extern const struct vg_finding_type *const vg__bedrock_logging_types[];
void vg__bedrock_logging_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
				  const struct vg_emitter *out);

/* pentest_ua.c: PenTest:IAMUser/ and PenTest:S3/ KaliLinux, ParrotLinux, PentooLinux */
extern const struct vg_finding_type *const vg__pentest_ua_types[];
void vg__pentest_ua_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out);

/* intel_ip.c: the TorIPCaller, MaliciousIPCaller and MaliciousIPCaller.Custom
 * types of CloudTrail management and S3 data events. */
extern const struct vg_finding_type *const vg__intel_ip_types[];
int vg__intel_ip_init(void **state, const struct vg_detect_init *init);
void vg__intel_ip_free(void *state);
void vg__intel_ip_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			   const struct vg_emitter *out);

#endif /* VG_DETECT_DETECTORS_INT_H */
