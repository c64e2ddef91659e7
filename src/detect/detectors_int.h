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
void vg__intel_ip_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			   const struct vg_emitter *out);

/* flow_intel.c: VPC flows to addresses on threat lists (TorClient, TorRelay,
 * MaliciousIPCaller.Custom, BitcoinTool.B, C&CActivity.B, BlackholeTraffic,
 * DropPoint). */
extern const struct vg_finding_type *const vg__flow_intel_types[];
void vg__flow_intel_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out);

/* flow_scan.c: Recon:EC2/Portscan, Impact:EC2/PortSweep */
extern const struct vg_finding_type *const vg__flow_scan_types[];
extern const struct vg_param vg__flow_scan_params[];
int vg__flow_scan_init(void **state, const struct vg_detect_init *init);
void vg__flow_scan_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                            const struct vg_emitter *out);
void vg__flow_scan_free(void *state);

/* flow_bruteforce.c: SSH, RDP and WinRM brute force */
extern const struct vg_finding_type *const vg__flow_bruteforce_types[];
extern const struct vg_param vg__flow_bruteforce_params[];
int vg__flow_bruteforce_init(void **state, const struct vg_detect_init *init);
void vg__flow_bruteforce_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                                  const struct vg_emitter *out);
void vg__flow_bruteforce_free(void *state);

/* flow_dos.c: Backdoor:EC2/DenialOfService.* */
extern const struct vg_finding_type *const vg__flow_dos_types[];
extern const struct vg_param vg__flow_dos_params[];
int vg__flow_dos_init(void **state, const struct vg_detect_init *init);
void vg__flow_dos_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                           const struct vg_emitter *out);
void vg__flow_dos_free(void *state);

/* flow_probe.c: Recon:EC2/PortProbeUnprotectedPort, PortProbeEMRUnprotectedPort */
extern const struct vg_finding_type *const vg__flow_probe_types[];
int vg__flow_probe_init(void **state, const struct vg_detect_init *init);
void vg__flow_probe_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                             const struct vg_emitter *out);

/* flow_baseline.c: Spambot, NetworkPortUnusual, TrafficVolumeUnusual, UnusualDNSResolver, UnusualDoHActivity, UnusualDoTActivity */
extern const struct vg_finding_type *const vg__flow_baseline_types[];
extern const struct vg_param vg__flow_baseline_params[];
int vg__flow_baseline_init(void **state, const struct vg_detect_init *init);
void vg__flow_baseline_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                                const struct vg_emitter *out);
void vg__flow_baseline_free(void *state);

/* dns_intel.c: the eight !DNS / .Custom threat-list types */
extern const struct vg_finding_type *const vg__dns_intel_types[];
int vg__dns_intel_init(void **state, const struct vg_detect_init *init);
void vg__dns_intel_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                            const struct vg_emitter *out);

/* dns_rebind.c: UnauthorizedAccess:EC2/MetadataDNSRebind */
extern const struct vg_finding_type *const vg__dns_rebind_types[];
void vg__dns_rebind_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                             const struct vg_emitter *out);

/* dns_exfil.c: Trojan:EC2/DNSDataExfiltration */
extern const struct vg_finding_type *const vg__dns_exfil_types[];
extern const struct vg_param vg__dns_exfil_params[];
int vg__dns_exfil_init(void **state, const struct vg_detect_init *init);
void vg__dns_exfil_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
                            const struct vg_emitter *out);
void vg__dns_exfil_free(void *state);

/* dns_dga.c: Trojan:EC2/DGADomainRequest.B */
extern const struct vg_finding_type *const vg__dns_dga_types[];
extern const struct vg_param vg__dns_dga_params[];
int vg__dns_dga_init(void **state, const struct vg_detect_init *init);
void vg__dns_dga_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
		      const struct vg_emitter *out);
void vg__dns_dga_free(void *state);

/* dns_reputation.c: the four *DomainRequest.Reputation types */
extern const struct vg_finding_type *const vg__dns_reputation_types[];
extern const struct vg_param vg__dns_reputation_params[];
extern const char vg__dns_reputation_notes[];
int vg__dns_reputation_init(void **state, const struct vg_detect_init *init);
void vg__dns_reputation_on_event(void *state, struct vg_detect_scratch *s, const struct vg_event *ev,
			     const struct vg_emitter *out);
void vg__dns_reputation_free(void *state);

#endif /* VG_DETECT_DETECTORS_INT_H */
