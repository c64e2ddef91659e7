# detections.jq -- the benchmark's detections as jq filters, for bench/run:
#
#   zcat FILES | jq -c -f bench/detections.jq
#
# Input: CloudTrail delivery files ({"Records":[...]}).  Output: one line per
# hit, {"type": <finding type>, "key": <eventID>}.  The logic follows the
# single-record detectors vigil ships for the same finding types; each
# branch says what it looks at.

def detect:
  . as $e
  | ($e.eventSource // "") as $src
  | ($e.eventName // "") as $name
  | ($e.requestParameters // {}) as $rp
  # The root user acting, not a service acting for it.
  | (if $e.userIdentity.type == "Root" and $e.userIdentity.invokedBy == null
        and $e.eventType != "AwsServiceEvent"
     then "Policy:IAMUser/RootCredentialUsage" else empty end),
  # CloudTrail logging switched off or removed.
    (if $src == "cloudtrail.amazonaws.com" and ($name == "StopLogging" or $name == "DeleteTrail")
     then "Stealth:IAMUser/CloudTrailLoggingDisabled" else empty end),
  # The account password policy removed, or weakened below CIS 1.8-1.11.
    (if $src == "iam.amazonaws.com"
        and ($name == "DeleteAccountPasswordPolicy"
             or ($name == "UpdateAccountPasswordPolicy"
                 and (($rp.minimumPasswordLength // 0) < 14
                      or $rp.requireSymbols != true or $rp.requireNumbers != true
                      or $rp.requireUppercaseCharacters != true
                      or $rp.requireLowercaseCharacters != true)))
     then "Stealth:IAMUser/PasswordPolicyChange" else empty end),
  # S3 server access logging switched off: a BucketLoggingStatus with no LoggingEnabled.
    (if $src == "s3.amazonaws.com" and $name == "PutBucketLogging"
        and ($rp.BucketLoggingStatus | type) == "object"
        and $rp.BucketLoggingStatus.LoggingEnabled == null
     then "Stealth:S3/ServerAccessLoggingDisabled" else empty end),
  # Block Public Access turned (partly) off, on a bucket or the account.
    (if ($src == "s3.amazonaws.com" or $src == "s3control.amazonaws.com")
        and ($name | startswith("Put") and endswith("PublicAccessBlock"))
        and ([$rp.PublicAccessBlockConfiguration
              | objects | (.BlockPublicAcls, .IgnorePublicAcls, .BlockPublicPolicy, .RestrictPublicBuckets)]
             | any(. == false))
     then "Policy:S3/BucketBlockPublicAccessDisabled" else empty end),
  # A bucket policy that allows everyone ("*" or {"AWS": "*"}).
    (if $src == "s3.amazonaws.com" and $name == "PutBucketPolicy"
        and ([$rp.bucketPolicy.Statement? | if type == "array" then .[] else . end | objects
              | select(.Effect == "Allow")
              | .Principal | (if type == "object" then .AWS else . end)
              | if type == "array" then .[] else . end]
             | any(. == "*"))
     then "Policy:S3/BucketAnonymousAccessGranted" else empty end),
  # Bedrock model invocation logging deleted.
    (if $src == "bedrock.amazonaws.com" and $name == "DeleteModelInvocationLoggingConfiguration"
     then "DefenseEvasion:IAMUser/BedrockLoggingDisabled" else empty end),
  # Calls from penetration-testing distributions, named in the user agent.
  # jq 1.6 compiles a regex on every test() call, and ascii_downcase is
  # slower still, so a substring pre-filter over the spellings seen in the
  # wild keeps jq at its best; test() then names the distribution.
    (($e.userAgent // "")
     | select(contains("kali") or contains("Kali") or contains("KALI")
              or contains("parrot") or contains("Parrot") or contains("PARROT")
              or contains("pentoo") or contains("Pentoo") or contains("PENTOO"))
     | if test("kali"; "i") then "PenTest:IAMUser/KaliLinux"
       elif test("parrot"; "i") then "PenTest:IAMUser/ParrotLinux"
       else "PenTest:IAMUser/PentooLinux" end)
  | {type: ., key: $e.eventID};

.Records[]? | detect
