/*
 * test_api_class.c -- the API classification table (detect/api_class.h).
 */
#include <criterion/criterion.h>

#include "vg.h"
#include "detect/api_class.h"

static enum vg_tactic tactic(const char *service, const char *name)
{
	return vg_api_tactic(vg_str_c(service), vg_str_c(name));
}

Test(api_class, documented_examples_land_in_their_family)
{
	/* The APIs GuardDuty's finding documentation names per family. */
	cr_expect_eq(tactic("ec2.amazonaws.com", "DescribeInstances"), VG_TACTIC_DISCOVERY);
	cr_expect_eq(tactic("iam.amazonaws.com", "GetRolePolicy"), VG_TACTIC_DISCOVERY);
	cr_expect_eq(tactic("iam.amazonaws.com", "ListAccessKeys"), VG_TACTIC_DISCOVERY);
	cr_expect_eq(tactic("ec2.amazonaws.com", "GetPasswordData"), VG_TACTIC_CREDENTIAL_ACCESS);
	cr_expect_eq(tactic("secretsmanager.amazonaws.com", "GetSecretValue"), VG_TACTIC_CREDENTIAL_ACCESS);
	cr_expect_eq(tactic("secretsmanager.amazonaws.com", "BatchGetSecretValue"), VG_TACTIC_CREDENTIAL_ACCESS);
	cr_expect_eq(tactic("rds.amazonaws.com", "GenerateDbAuthToken"), VG_TACTIC_CREDENTIAL_ACCESS);
	cr_expect_eq(tactic("iam.amazonaws.com", "CreateAccessKey"), VG_TACTIC_PERSISTENCE);
	cr_expect_eq(tactic("ec2.amazonaws.com", "ImportKeyPair"), VG_TACTIC_PERSISTENCE);
	cr_expect_eq(tactic("ec2.amazonaws.com", "ModifyInstanceAttribute"), VG_TACTIC_PERSISTENCE);
	cr_expect_eq(tactic("ec2.amazonaws.com", "AssociateIamInstanceProfile"), VG_TACTIC_PRIVILEGE_ESCALATION);
	cr_expect_eq(tactic("iam.amazonaws.com", "AddUserToGroup"), VG_TACTIC_PRIVILEGE_ESCALATION);
	cr_expect_eq(tactic("iam.amazonaws.com", "PutUserPolicy"), VG_TACTIC_PRIVILEGE_ESCALATION);
	cr_expect_eq(tactic("ec2.amazonaws.com", "DeleteFlowLogs"), VG_TACTIC_DEFENSE_EVASION);
	cr_expect_eq(tactic("monitoring.amazonaws.com", "DisableAlarmActions"), VG_TACTIC_DEFENSE_EVASION);
	cr_expect_eq(tactic("cloudtrail.amazonaws.com", "StopLogging"), VG_TACTIC_DEFENSE_EVASION);
	cr_expect_eq(tactic("ec2.amazonaws.com", "DeleteSecurityGroup"), VG_TACTIC_IMPACT);
	cr_expect_eq(tactic("iam.amazonaws.com", "UpdateUser"), VG_TACTIC_IMPACT);
	cr_expect_eq(tactic("s3.amazonaws.com", "PutBucketPolicy"), VG_TACTIC_IMPACT);
	cr_expect_eq(tactic("s3.amazonaws.com", "PutBucketReplication"), VG_TACTIC_EXFILTRATION);
	cr_expect_eq(tactic("ec2.amazonaws.com", "CreateSnapshot"), VG_TACTIC_EXFILTRATION);
	cr_expect_eq(tactic("rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot"), VG_TACTIC_EXFILTRATION);
	cr_expect_eq(tactic("ssm.amazonaws.com", "StartSession"), VG_TACTIC_INITIAL_ACCESS);
	cr_expect_eq(tactic("ecr.amazonaws.com", "GetAuthorizationToken"), VG_TACTIC_INITIAL_ACCESS);
}

Test(api_class, service_specific_rows_need_their_service)
{
	/* GetParameters is credential access in SSM only; elsewhere a read. */
	cr_expect_eq(tactic("ssm.amazonaws.com", "GetParameters"), VG_TACTIC_CREDENTIAL_ACCESS);
	cr_expect_eq(tactic("example.amazonaws.com", "GetParameters"), VG_TACTIC_DISCOVERY);
	/* StopLogging outside CloudTrail falls back to its verb (none). */
	cr_expect_eq(tactic("other.amazonaws.com", "StopLogging"), VG_TACTIC_OTHER);
}

Test(api_class, verbs_must_end_at_a_word_boundary)
{
	cr_expect_eq(tactic("x.amazonaws.com", "Getaway"), VG_TACTIC_OTHER);
	cr_expect_eq(tactic("x.amazonaws.com", "Get"), VG_TACTIC_OTHER);
	cr_expect_eq(tactic("x.amazonaws.com", "Putter"), VG_TACTIC_OTHER);
	cr_expect_eq(tactic("x.amazonaws.com", "CreateWidget"), VG_TACTIC_PERSISTENCE);
	cr_expect_eq(tactic("x.amazonaws.com", "TerminateInstances"), VG_TACTIC_IMPACT);
	cr_expect_eq(tactic("x.amazonaws.com", "AssumeRole"), VG_TACTIC_OTHER);
	cr_expect_eq(tactic("x.amazonaws.com", ""), VG_TACTIC_OTHER);
}

Test(api_class, s3_data_calls)
{
	/* Discovery (GetObjectAcl, ListObjects), exfiltration (GetObject,
	 * CopyObject), tampering (PutObject, PutObjectAcl) as documented. */
	cr_expect_eq(vg_s3_class(vg_str_c("ListObjects")), VG_S3_DISCOVERY);
	cr_expect_eq(vg_s3_class(vg_str_c("ListObjectsV2")), VG_S3_DISCOVERY);
	cr_expect_eq(vg_s3_class(vg_str_c("GetObjectAcl")), VG_S3_DISCOVERY);
	cr_expect_eq(vg_s3_class(vg_str_c("HeadObject")), VG_S3_DISCOVERY);
	cr_expect_eq(vg_s3_class(vg_str_c("GetObject")), VG_S3_READ);
	cr_expect_eq(vg_s3_class(vg_str_c("CopyObject")), VG_S3_READ);
	cr_expect_eq(vg_s3_class(vg_str_c("PutObject")), VG_S3_WRITE);
	cr_expect_eq(vg_s3_class(vg_str_c("PutObjectTagging")), VG_S3_WRITE);
	cr_expect_eq(vg_s3_class(vg_str_c("PutObjectAcl")), VG_S3_PERMISSION);
	cr_expect_eq(vg_s3_class(vg_str_c("DeleteObjects")), VG_S3_DELETE);
	cr_expect_eq(vg_s3_class(vg_str_c("Frobnicate")), VG_S3_OTHER);
}

Test(api_class, tactic_names_are_guardduty_threat_purposes)
{
	cr_expect_str_eq(vg_tactic_name(VG_TACTIC_DISCOVERY), "Discovery");
	cr_expect_str_eq(vg_tactic_name(VG_TACTIC_PRIVILEGE_ESCALATION), "PrivilegeEscalation");
	cr_expect_str_eq(vg_tactic_name(VG_TACTIC_OTHER), "Other");
	cr_expect_str_eq(vg_tactic_name((enum vg_tactic)99), "Other");
}
