#!/usr/bin/env bash
# tests/data/run_shared.sh -- vigil against the real third-party logs in
# ../shared/data (see its README.md; the data is read in place, never copied).
#
#   VIGIL=build/asan/vigil tests/data/run_shared.sh [TEST-NAME-SUBSTRING...]
#
# a. accounting: every CloudTrail dataset is read without a crash or a
#    sanitizer report, the records vigil counts in its summary line are the
#    records counted independently with jq minus the bad ones, and the bad
#    ones are exactly those a jq predicate (the CloudTrail record contract:
#    eventName/eventSource present, eventVersion 1.x, a parseable eventTime
#    or @timestamp, known fields of the right JSON type) calls invalid.
# b. detections: the Stratus techniques that map to implemented types fire,
#    and on each dataset the findings of every implemented type add up
#    (service.count) to the events a jq oracle of that type's trigger picks.
# c. Panther's labelled rule tests, for the rules that correspond to a vigil
#    type: each event alone, "finding of that type present" == expected_result,
#    apart from the exceptions table below (one reason each).
#
# Every finding printed in these runs is also checked against GuardDuty's
# Finding shape.  Without ../shared/data every test is skipped.  Ends with
# "N passed, N failed, N skipped".  VIGIL_SHARED_DATA overrides the data
# folder, SHARED_TIMEOUT the seconds per vigil run (default 300).
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || (cd "$HERE/../.." && pwd))
DATA=${VIGIL_SHARED_DATA:-$ROOT/../shared/data}
if [ -z "${VIGIL:-}" ]; then
	if [ -x "$ROOT/build/asan/vigil" ]; then VIGIL=$ROOT/build/asan/vigil; else VIGIL=$ROOT/build/vigil; fi
fi
case $VIGIL in
/*) ;;
*) if [ -e "$PWD/$VIGIL" ]; then VIGIL=$PWD/$VIGIL; else VIGIL=$ROOT/$VIGIL; fi ;;
esac
VALIDATE=$ROOT/tests/schema/validate_findings.py
TIMEOUT=${SHARED_TIMEOUT:-300}
export LC_ALL=C
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

STRATUS=$DATA/stratus-red-team-detonations
INVICTUS=$DATA/invictus-aws-stratus-cloudtrail
OTRF=$DATA/otrf-aws
EDGE=$DATA/cloudtrail-parser-edge-cases
PANTHER=$DATA/panther-aws-rule-tests
ELASTIC=$DATA/elastic-aws-samples

# name:function, in the order they run.
TESTS=(
	"accounting: stratus-red-team detonations (JSON arrays):t_acc_stratus"
	"accounting: invictus S3 delivery files (.json.gz, folder walk):t_acc_invictus"
	"accounting: invictus file through stdin (-):t_acc_stdin"
	"accounting: otrf-aws (JSON lines, @timestamp):t_acc_otrf"
	"accounting: cloudtrail-parser-edge-cases (valid files):t_acc_edge"
	"accounting: SerializerTestFileBadJsonFormat.json reported, neighbours salvaged:t_acc_badjson"
	"accounting: cloudtrail-parser-edge-cases folder:t_acc_edge_dir"
	"accounting: panther CloudTrail test events (JSON lines):t_acc_panther"
	"accounting: elastic CloudTrail samples (digest file skipped):t_acc_elastic"
	"detect: stratus cloudtrail-stop -> Stealth:IAMUser/CloudTrailLoggingDisabled:t_det_stratus_stop"
	"detect: stratus cloudtrail-delete -> Stealth:IAMUser/CloudTrailLoggingDisabled:t_det_stratus_delete"
	"detect: stratus findings match the jq oracles:t_det_stratus_oracles"
	"detect: invictus trails stopped/deleted -> CloudTrailLoggingDisabled per trail:t_det_invictus_trails"
	"detect: invictus findings match the jq oracles:t_det_invictus_oracles"
	"detect: otrf findings match the jq oracles:t_det_otrf_oracles"
	"detect: panther events findings match the jq oracles:t_det_panther_oracles"
	"panther: AWS.CloudTrail.Stopped:t_pan_ct_stopped"
	"panther: AWS.Bedrock.DeleteModelInvocationLoggingConfiguration:t_pan_bedrock"
	"panther: AWS.S3.DisableBucketLogging:t_pan_s3_logging"
	"panther: AWS.S3.DeletePublicAccessBlock:t_pan_s3_bpa"
	"panther: AWS.Root.Activity:t_pan_root_activity"
	"panther: AWS.Console.RootLogin:t_pan_root_login"
	"panther: AWS.CloudTrail.ResourceMadePublic (S3 events):t_pan_made_public"
	"intel: Tor exit and mining-pool lists -> TorIPCaller and MaliciousIPCaller:t_intel_lists"
)

# Panther rule -> vigil type(s) ("|"-separated: any of them counts as an alert).
declare -A PANTHER_TYPE=(
	[AWS.CloudTrail.Stopped]="Stealth:IAMUser/CloudTrailLoggingDisabled"
	[AWS.Bedrock.DeleteModelInvocationLoggingConfiguration]="DefenseEvasion:IAMUser/BedrockLoggingDisabled"
	[AWS.S3.DisableBucketLogging]="Stealth:S3/ServerAccessLoggingDisabled"
	[AWS.S3.DeletePublicAccessBlock]="Policy:S3/BucketBlockPublicAccessDisabled"
	[AWS.Root.Activity]="Policy:IAMUser/RootCredentialUsage|Policy:IAMUser/ShortTermRootCredentialUsage"
	[AWS.Console.RootLogin]="Policy:IAMUser/RootCredentialUsage|Policy:IAMUser/ShortTermRootCredentialUsage"
	[AWS.CloudTrail.ResourceMadePublic]="Policy:S3/BucketAnonymousAccessGranted"
)

# Where GuardDuty's semantics (which vigil follows) differ from Panther's rule:
# "RULE|TEST NAME" -> reason.  For these tests vigil must give the opposite of
# Panther's expected_result; an exception that stops disagreeing fails the
# test, so this table cannot go stale silently.
declare -A PANTHER_EXCEPTIONS=(
	["AWS.Root.Activity|Root Activity - CreateServiceLinkedRole"]="Panther skips service-linked-role creation; GuardDuty RootCredentialUsage reports every request made with root credentials."
	["AWS.Root.Activity|Root Read-Only Enumeration"]="Panther ignores read-only root calls; GuardDuty RootCredentialUsage reports read-only calls too."
	["AWS.Root.Activity|Root User Failed Activity"]="Panther ignores failed root activity; vigil reports refused root requests too (they prove someone holds the root credentials)."
)

# ---------------------------------------------------------------------------
# jq: the CloudTrail record contract and the per-type oracles.

read -r -d '' JQ_DEFS <<'JQ'
def strish: . == null or type == "string";
def timeok: type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}:[0-9]{2})?(\\.[0-9]+)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$");
def nes: type == "string" and length > 0;
# Why a record is not a usable CloudTrail record (empty when it is).
def ct_bad:
  if type != "object" then "not an object"
  elif ([.eventVersion, .eventTime, .eventSource, .eventName, .awsRegion, .sourceIPAddress, .userAgent,
         .errorCode, .errorMessage, .eventID, .eventType, .recipientAccountId, .eventCategory,
         ."@timestamp"] | all(strish) | not) then "a string field has another type"
  elif (.readOnly | . == null or type == "boolean" or . == "true" or . == "false" | not) then "readOnly"
  elif (.userIdentity | . == null or type == "object" | not) then "userIdentity is not an object"
  elif ((.userIdentity // {}) | [.type, .principalId, .arn, .accountId, .accessKeyId, .userName, .invokedBy]
        | all(strish) | not) then "userIdentity member is not a string"
  elif ([.requestParameters, .responseElements, .additionalEventData] | all(. == null or type == "object") | not)
    then "an object field has another type"
  elif (.eventName | nes | not) then "eventName missing"
  elif (.eventSource | nes | not) then "eventSource missing"
  elif ((.eventVersion // "") | . == "" or startswith("1.") | not) then "eventVersion not 1.x"
  elif ((if .eventTime != null then .eventTime else ."@timestamp" end) | timeok | not) then "eventTime"
  else empty end;
def valid: [ct_bad] | length == 0;

def ok: (.errorCode // "") == "";
def call($src; $names): .eventSource == $src and (.eventName as $n | $names | index([$n]) != null);
def flag_on: . == true or . == "true";
def bpa_weak: type == "object" and ([.BlockPublicAcls, .IgnorePublicAcls, .BlockPublicPolicy, .RestrictPublicBuckets] | any(flag_on | not));
def short_term_root: (.userIdentity.inScopeOf != null) or ((.userIdentity.sessionContext.assumedRoot // false) | flag_on);
# The finding types an event should produce, from each type's documented
# trigger (vigil types --markdown), written independently of the C code.
def oracle:
  (if call("cloudtrail.amazonaws.com"; ["StopLogging", "DeleteTrail"]) and ok
     then "Stealth:IAMUser/CloudTrailLoggingDisabled" else empty end),
  (if .userIdentity.type == "Root" and ((.userIdentity.invokedBy // "") == "")
     then (if short_term_root then "Policy:IAMUser/ShortTermRootCredentialUsage"
           else "Policy:IAMUser/RootCredentialUsage" end) else empty end),
  (if call("bedrock.amazonaws.com"; ["DeleteModelInvocationLoggingConfiguration"]) and ok
     then "DefenseEvasion:IAMUser/BedrockLoggingDisabled" else empty end),
  (if call("s3.amazonaws.com"; ["PutBucketLogging"]) and ok
        and (.requestParameters.BucketLoggingStatus | type == "object" and .LoggingEnabled == null)
     then "Stealth:S3/ServerAccessLoggingDisabled" else empty end),
  (if (call("s3.amazonaws.com"; ["DeleteBucketPublicAccessBlock"])
       or (call("s3.amazonaws.com"; ["PutBucketPublicAccessBlock"])
           and (.requestParameters.PublicAccessBlockConfiguration | bpa_weak))) and ok
     then "Policy:S3/BucketBlockPublicAccessDisabled" else empty end),
  (if ((call("s3.amazonaws.com"; ["DeleteAccountPublicAccessBlock"]) or call("s3-control.amazonaws.com"; ["DeleteAccountPublicAccessBlock"]))
       or ((call("s3.amazonaws.com"; ["PutAccountPublicAccessBlock"]) or call("s3-control.amazonaws.com"; ["PutAccountPublicAccessBlock"]))
           and (.requestParameters.PublicAccessBlockConfiguration | bpa_weak))) and ok
     then "Policy:S3/AccountBlockPublicAccessDisabled" else empty end),
  (if call("iam.amazonaws.com"; ["UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"]) and ok
     then "Stealth:IAMUser/PasswordPolicyChange" else empty end);
# Types whose exact trigger is not restated here: events that could trigger
# them.  When a dataset has none, vigil must report none of these types.
def candidates:
  (if call("s3.amazonaws.com"; ["PutBucketPolicy", "PutBucketAcl", "CreateBucket"]) and ok
        and ((.requestParameters | tostring)
             | test("\"Principal\\\\?\":\\\\?\"\\*|\"AWS\\\\?\":\\\\?\"\\*|NotPrincipal|AllUsers|AuthenticatedUsers|public-read|authenticated-read"))
     then "Policy:S3/BucketAnonymousAccessGranted", "Policy:S3/BucketPublicAccessGranted" else empty end),
  (if (.userAgent // "" | test("kali|parrot|pentoo"; "i"))
     then "PenTest:IAMUser/KaliLinux", "PenTest:IAMUser/ParrotLinux", "PenTest:IAMUser/PentooLinux",
          "PenTest:S3/KaliLinux", "PenTest:S3/ParrotLinux", "PenTest:S3/PentooLinux" else empty end);
JQ

# Types with an exact oracle above, and types with candidates only.
ORACLE_TYPES=(
	Stealth:IAMUser/CloudTrailLoggingDisabled Policy:IAMUser/RootCredentialUsage
	Policy:IAMUser/ShortTermRootCredentialUsage DefenseEvasion:IAMUser/BedrockLoggingDisabled
	Stealth:S3/ServerAccessLoggingDisabled Policy:S3/BucketBlockPublicAccessDisabled
	Policy:S3/AccountBlockPublicAccessDisabled Stealth:IAMUser/PasswordPolicyChange
)
CANDIDATE_TYPES=(
	Policy:S3/BucketAnonymousAccessGranted Policy:S3/BucketPublicAccessGranted
	PenTest:IAMUser/KaliLinux PenTest:IAMUser/ParrotLinux PenTest:IAMUser/PentooLinux
	PenTest:S3/KaliLinux PenTest:S3/ParrotLinux PenTest:S3/PentooLinux
)

# ---------------------------------------------------------------------------
# Helpers.  Each test prints detail lines and returns 0 pass, 1 fail, 77 skip.

say() { printf '    %s\n' "$*"; }

in_list() { # in_list WORD LIST...
	local w=$1 x
	shift
	for x in "$@"; do [ "$x" = "$w" ] && return 0; done
	return 1
}

need() { # need PATH... -- skip unless every path exists
	local p
	for p in "$@"; do
		if [ ! -e "$p" ]; then
			say "missing $p"
			return 77
		fi
	done
	return 0
}

# run_vigil NAME DIR ARGS... -- `vigil scan --format jsonl ARGS` in DIR, stdin
# from $STDIN (default /dev/null); leaves $W/NAME.{out,err,rc}.
run_vigil() {
	local name=$1 dir=$2
	shift 2
	(cd "$dir" && timeout -k 5 "$TIMEOUT" "$VIGIL" scan --format jsonl "$@") \
		<"${STDIN:-/dev/null}" >"$W/$name.out" 2>"$W/$name.err"
	echo $? >"$W/$name.rc"
}

# check_run NAME WANT_RC -- rc, no crash or sanitizer report, findings valid.
check_run() {
	local name=$1 want=$2 rc bad=0
	rc=$(cat "$W/$name.rc")
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		say "timed out after ${TIMEOUT}s"
		bad=1
	elif [ "$rc" != "$want" ]; then
		say "exit status $rc, expected $want"
		bad=1
	fi
	if grep -qE 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer|Segmentation fault|core dumped' "$W/$name.err"; then
		say "sanitizer report or crash:"
		grep -E -m 5 -A 3 'ERROR: |runtime error:|SUMMARY:' "$W/$name.err" | sed 's/^/      | /'
		bad=1
	fi
	if ! python3 "$VALIDATE" <"$W/$name.out" >"$W/$name.schema" 2>&1; then
		say "findings do not match the GuardDuty Finding shape:"
		head -n 10 "$W/$name.schema" | sed 's/^/      | /'
		bad=1
	fi
	if [ $bad -ne 0 ] && [ -s "$W/$name.err" ]; then
		say "stderr (last 8 lines):"
		tail -n 8 "$W/$name.err" | sed 's/^/      | /'
	fi
	return $bad
}

# summary NAME -- parse vigil's summary line into S_FILES S_RECORDS S_BAD S_DIGEST S_OTHER.
# The line (src/cmd_scan.c): "vigil: scanned F files (X MB), R records (B bad) in T s,
# N records/s; D digest, O other and U unreadable files skipped; ..."
summary() {
	local line
	line=$(grep -E '^vigil: scanned ' "$W/$1.err" | tail -n 1)
	S_FILES='' S_RECORDS='' S_BAD='' S_DIGEST='' S_OTHER=''
	if [ -z "$line" ]; then
		say "no summary line ('vigil: scanned ...') on stderr"
		return 1
	fi
	S_FILES=$(sed -nE 's/^vigil: scanned ([0-9]+) files?.*/\1/p' <<<"$line")
	S_RECORDS=$(sed -nE 's/.* ([0-9]+) records? \(([0-9]+) bad\).*/\1/p' <<<"$line")
	S_BAD=$(sed -nE 's/.* ([0-9]+) records? \(([0-9]+) bad\).*/\2/p' <<<"$line")
	S_DIGEST=$(sed -nE 's/.*; ([0-9]+) digest.*/\1/p' <<<"$line")
	S_OTHER=$(sed -nE 's/.* ([0-9]+) other.*/\1/p' <<<"$line")
	if [ -z "$S_RECORDS" ] || [ -z "$S_BAD" ]; then
		say "cannot parse the summary line: $line"
		return 1
	fi
	return 0
}

# bad_positions NAME -- "FILE#N" for each bad record vigil reported
# (vigil: FILE: record N: ... | line N: ... | line L, record N: ...).
bad_positions() {
	sed -nE \
		-e 's/^vigil: (.+): line [0-9]+, record ([0-9]+): .*/\1#\2/p;t' \
		-e 's/^vigil: (.+): (line|record) ([0-9]+): .*/\1#\3/p' "$W/$1.err" | sort -u
}

# check_accounting NAME TOTAL EXPECTED_BAD_LIST_FILE -- summary counts and
# the reported bad records against the jq predicate.  The list holds
# "FILE#N" per invalid record; vigil shows at most 20 per file.
check_accounting() {
	local name=$1 total=$2 list=$3 nbad bad=0
	nbad=$(grep -c . "$list")
	summary "$name" || return 1
	say "jq: $total records, $nbad invalid; vigil: $S_RECORDS records, $S_BAD bad ($S_FILES files, $S_DIGEST digest, $S_OTHER other skipped)"
	if [ "$S_BAD" != "$nbad" ]; then
		say "bad records: vigil $S_BAD, jq predicate $nbad"
		bad=1
	fi
	if [ "$S_RECORDS" != "$((total - nbad))" ]; then
		say "records: vigil $S_RECORDS, expected $total - $nbad = $((total - nbad))"
		bad=1
	fi
	# The first 20 invalid records of each file are the ones vigil names.
	awk -F'#' '{ if (++n[$1] <= 20) print }' <(sort -t'#' -k1,1 -k2,2n "$list") | sort -u >"$W/$name.want_bad"
	bad_positions "$name" >"$W/$name.got_bad"
	if ! diff -u --label 'jq: invalid records' --label 'vigil: reported bad' \
		"$W/$name.want_bad" "$W/$name.got_bad" >"$W/$name.baddiff"; then
		say "the records reported bad are not the invalid ones:"
		head -n 20 "$W/$name.baddiff" | sed 's/^/      /'
		bad=1
	fi
	return $bad
}

# implemented_types -- one per line, from --sample-findings (one per type).
implemented_types() {
	if [ ! -s "$W/types" ]; then
		"$VIGIL" scan --sample-findings --format jsonl --quiet </dev/null 2>/dev/null | jq -r '.type' | sort -u >"$W/types"
	fi
	cat "$W/types"
}

# check_oracles NAME RECORDS_JSONL -- for each implemented type, vigil's
# findings of that type add up (service.count) to the oracle's events.
check_oracles() {
	local name=$1 recs=$2 bad=0 t want got nf cand
	jq -r "$JQ_DEFS"' select(valid) | oracle' "$recs" | sort | uniq -c | awk '{print $2"\t"$1}' >"$W/$name.oracle"
	jq -r "$JQ_DEFS"' select(valid) | candidates' "$recs" | sort | uniq -c | awk '{print $2"\t"$1}' >"$W/$name.cand"
	jq -r '[.type, .service.count] | @tsv' "$W/$name.out" >"$W/$name.found"
	while IFS= read -r t; do
		got=$(awk -F'\t' -v t="$t" '$1 == t { s += $2 } END { print s + 0 }' "$W/$name.found")
		nf=$(awk -F'\t' -v t="$t" '$1 == t { n++ } END { print n + 0 }' "$W/$name.found")
		if in_list "$t" "${ORACLE_TYPES[@]}"; then
			want=$(awk -F'\t' -v t="$t" '$1 == t { print $2 }' "$W/$name.oracle")
			want=${want:-0}
			if [ "$want" != "$got" ]; then
				say "$t: oracle $want events, vigil $got (in $nf findings)  MISMATCH"
				bad=1
			elif [ "$want" != 0 ]; then
				say "$t: $want events -> $nf findings, count $got"
			fi
		elif in_list "$t" "${CANDIDATE_TYPES[@]}"; then
			cand=$(awk -F'\t' -v t="$t" '$1 == t { print $2 }' "$W/$name.cand")
			if [ -z "$cand" ]; then
				if [ "$got" != 0 ]; then
					say "$t: no candidate events in the data, vigil reports $got  MISMATCH"
					bad=1
				fi
			else
				say "$t: $cand candidate events, vigil $got (not asserted: no exact oracle)"
			fi
		else
			say "$t: no oracle in this script, not asserted (vigil $got)"
		fi
	done < <(implemented_types)
	# Types vigil reports that it does not list as implemented.
	while IFS= read -r t; do
		if ! grep -qxF "$t" "$W/types"; then
			say "$t: reported but has no sample finding (not in --sample-findings)"
			bad=1
		fi
	done < <(cut -f1 "$W/$name.found" | sort -u)
	return $bad
}

has_type() { # has_type NAME TYPE-ALTERNATIVES -- a finding of one of the types
	# (not jq -e: jq 1.6 exits 0 on empty input)
	[ -n "$(jq -r --arg t "$2" 'select(.type as $x | $t | split("|") | index([$x]) != null) | .id' "$W/$1.out" 2>/dev/null)" ]
}

# ---------------------------------------------------------------------------
# a. accounting

t_acc_stratus() {
	need "$STRATUS/detonation-logs" || return $?
	local d=$STRATUS f total
	total=$(jq -s 'map(length) | add' "$d"/detonation-logs/*.json)
	: >"$W/stratus.bad"
	for f in "$d"/detonation-logs/*.json; do
		jq -r --arg f "detonation-logs/${f##*/}" "$JQ_DEFS"' to_entries[] | select(.value | valid | not) | "\($f)#\(.key + 1)"' "$f" >>"$W/stratus.bad"
	done
	run_vigil stratus "$d" detonation-logs
	local r=0
	check_run stratus 0 || r=1
	check_accounting stratus "$total" "$W/stratus.bad" || r=1
	jq -c '.[]' "$d"/detonation-logs/*.json >"$W/stratus.records"
	return $r
}

t_acc_invictus() {
	need "$INVICTUS/CloudTrail" || return $?
	local d=$INVICTUS f total
	total=0
	: >"$W/invictus.bad"
	: >"$W/invictus.records"
	for f in "$d"/CloudTrail/*.json.gz; do
		gzip -dc "$f" | jq -c '.Records[]' >>"$W/invictus.records"
		gzip -dc "$f" | jq -r --arg f "CloudTrail/${f##*/}" "$JQ_DEFS"' .Records | to_entries[] | select(.value | valid | not) | "\($f)#\(.key + 1)"' >>"$W/invictus.bad"
	done
	total=$(wc -l <"$W/invictus.records")
	run_vigil invictus "$d" CloudTrail
	local r=0
	check_run invictus 0 || r=1
	check_accounting invictus "$total" "$W/invictus.bad" || r=1
	local nfiles
	local gzs=("$d"/CloudTrail/*.json.gz)
	nfiles=${#gzs[@]}
	if [ "${S_FILES:-}" != "$nfiles" ]; then
		say "files read: vigil ${S_FILES:-?}, expected $nfiles"
		r=1
	fi
	return $r
}

t_acc_stdin() {
	need "$INVICTUS/CloudTrail" || return $?
	local f total
	local gzs=("$INVICTUS"/CloudTrail/*.json.gz)
	f=${gzs[0]}
	total=$(gzip -dc "$f" | jq '.Records | length')
	: >"$W/stdin.bad"
	STDIN=$f run_vigil stdin "$W" -
	local r=0
	check_run stdin 0 || r=1
	check_accounting stdin "$total" "$W/stdin.bad" || r=1
	# The same file by name gives the same findings.
	run_vigil stdin_named "$INVICTUS" "CloudTrail/${f##*/}"
	if ! diff <(jq -r '[.type, .id, .service.count] | @tsv' "$W/stdin.out" | sort) \
		<(jq -r '[.type, .id, .service.count] | @tsv' "$W/stdin_named.out" | sort) >/dev/null; then
		say "findings from stdin differ from findings from the file"
		r=1
	fi
	return $r
}

t_acc_otrf() {
	local f=$OTRF/ec2_proxy_s3_exfiltration_2020-09-14011940.json
	need "$f" || return $?
	local total
	total=$(jq -n '[inputs] | length' "$f")
	jq -r --arg f "${f##*/}" "$JQ_DEFS"' select(valid | not) | "\($f)#\(input_line_number)"' "$f" >"$W/otrf.bad"
	jq -c . "$f" >"$W/otrf.records"
	run_vigil otrf "$OTRF" "${f##*/}"
	local r=0
	check_run otrf 0 || r=1
	check_accounting otrf "$total" "$W/otrf.bad" || r=1
	return $r
}

edge_valid_files() { # the edge-case files that are valid JSON, relative names
	local f
	for f in "$EDGE"/*.json "$EDGE"/*.gz; do
		[ "${f##*/}" = SerializerTestFileBadJsonFormat.json ] || echo "${f##*/}"
	done
}

t_acc_edge() {
	need "$EDGE/SerializerTestFile.json" || return $?
	local f total=0 n files=()
	: >"$W/edge.bad"
	while IFS= read -r f; do
		files+=("$f")
		if [ "${f%.gz}" != "$f" ]; then
			n=$(gzip -dc "$EDGE/$f" | jq '.Records | length')
			gzip -dc "$EDGE/$f" | jq -r --arg f "$f" "$JQ_DEFS"' .Records | to_entries[] | select(.value | valid | not) | "\($f)#\(.key + 1)"' >>"$W/edge.bad"
		else
			n=$(jq '.Records | length' "$EDGE/$f")
			jq -r --arg f "$f" "$JQ_DEFS"' .Records | to_entries[] | select(.value | valid | not) | "\($f)#\(.key + 1)"' "$EDGE/$f" >>"$W/edge.bad"
		fi
		total=$((total + n))
	done < <(edge_valid_files)
	say "invalid records by the jq predicate: $(tr '\n' ' ' <"$W/edge.bad")"
	run_vigil edge "$EDGE" "${files[@]}"
	local r=0
	check_run edge 0 || r=1
	check_accounting edge "$total" "$W/edge.bad" || r=1
	return $r
}

t_acc_badjson() {
	local f=SerializerTestFileBadJsonFormat.json
	need "$EDGE/$f" || return $?
	local r=0 objects
	if jq . "$EDGE/$f" >/dev/null 2>&1; then
		say "$f unexpectedly parses as JSON"
		return 1
	fi
	# jq cannot count records in a broken file: count the record openings.
	objects=$(grep -c '"eventVersion"' "$EDGE/$f")
	run_vigil badjson "$EDGE" "$f"
	# vigil salvages the well-formed records around the damage, so the file
	# still yields records (exit 0); with none salvaged it would be 2.
	summary badjson || return 1
	local want_rc=0
	[ "$S_RECORDS" = 0 ] && want_rc=2
	check_run badjson "$want_rc" || r=1
	say "records $S_RECORDS, bad $S_BAD; $objects record objects in the file"
	if ! grep -qE "^vigil: $f: .*(malformed|JSON|syntax)" "$W/badjson.err"; then
		say "no error naming $f as malformed JSON on stderr"
		r=1
	fi
	if [ "$S_BAD" -lt 1 ] || [ $((S_RECORDS + S_BAD)) -gt "$objects" ]; then
		say "expected at least 1 bad and at most $objects records + bad"
		r=1
	fi
	return $r
}

t_acc_edge_dir() {
	need "$EDGE/SerializerTestFile.json" || return $?
	run_vigil edge_dir "$(dirname "$EDGE")" "$(basename "$EDGE")"
	local r=0
	check_run edge_dir 0 || r=1
	summary edge_dir || return 1
	if ! grep -q "^vigil: $(basename "$EDGE")/SerializerTestFileBadJsonFormat.json: " "$W/edge_dir.err"; then
		say "the malformed file is not named on stderr"
		r=1
	fi
	# SOURCE.md and the two extension-less SQS notification files are not logs.
	local f others=0
	for f in "$EDGE"/*; do
		case $f in *.json | *.gz) ;; *) others=$((others + 1)) ;; esac
	done
	if [ "$S_OTHER" != "$others" ]; then
		say "other files skipped: vigil $S_OTHER, expected $others"
		r=1
	fi
	say "$S_FILES files, $S_RECORDS records ($S_BAD bad), $S_OTHER other files skipped"
	return $r
}

t_acc_panther() {
	local p=$PANTHER/tests/tests_AWS_CloudTrail.jsonl
	need "$p" || return $?
	jq -c '.log' "$p" >"$W/panther_ct.jsonl"
	cp "$W/panther_ct.jsonl" "$W/panther.records"
	local total
	total=$(wc -l <"$W/panther_ct.jsonl")
	jq -r "$JQ_DEFS"' select(valid | not) | "panther_ct.jsonl#\(input_line_number)"' "$W/panther_ct.jsonl" >"$W/panther.bad"
	run_vigil panther "$W" panther_ct.jsonl
	local r=0
	check_run panther 0 || r=1
	check_accounting panther "$total" "$W/panther.bad" || r=1
	return $r
}

t_acc_elastic() {
	local d=$ELASTIC/cloudtrail
	need "$d/test-cloudtrail-digest-json.log" "$d/test-console-login-json.log" || return $?
	local total f
	total=0
	: >"$W/elastic.bad"
	for f in "$d"/*.log; do
		[ "${f##*/}" = test-cloudtrail-digest-json.log ] && continue
		total=$((total + $(jq -n '[inputs] | length' "$f")))
		jq -r --arg f "cloudtrail/${f##*/}" "$JQ_DEFS"' select(valid | not) | "\($f)#\(input_line_number)"' "$f" >>"$W/elastic.bad"
	done
	run_vigil elastic "$ELASTIC" cloudtrail
	local r=0
	check_run elastic 0 || r=1
	check_accounting elastic "$total" "$W/elastic.bad" || r=1
	if [ "${S_DIGEST:-0}" != 1 ]; then
		say "digest files skipped: vigil ${S_DIGEST:-?}, expected 1"
		r=1
	fi
	return $r
}

# ---------------------------------------------------------------------------
# b. detections

stratus_one() { # stratus_one NAME TECHNIQUE TYPE
	local name=$1 f=detonation-logs/$2.json t=$3
	need "$STRATUS/$f" || return $?
	local r=0 keys
	run_vigil "$name" "$STRATUS" "$f"
	check_run "$name" 0 || r=1
	keys=$(jq -r '.[] | select(.eventSource == "cloudtrail.amazonaws.com" and (.errorCode // "") == "") | .userIdentity.accessKeyId' "$STRATUS/$f" | sort -u)
	say "jq: $(jq -r '[.[] | .eventName + (if .errorCode then " (" + .errorCode + ")" else "" end)] | join(", ")' "$STRATUS/$f") by ${keys//$'\n'/ }"
	if ! has_type "$name" "$t"; then
		say "no $t finding"
		return 1
	fi
	local got
	got=$(jq -r --arg t "$t" 'select(.type == $t) | .resource.accessKeyDetails.accessKeyId' "$W/$name.out" | sort -u)
	if [ "$got" != "$keys" ]; then
		say "$t names access key(s) ${got//$'\n'/ }, expected ${keys//$'\n'/ }"
		r=1
	else
		say "$t for access key $got"
	fi
	return $r
}

t_det_stratus_stop() { stratus_one stratus_stop aws.defense-evasion.cloudtrail-stop "Stealth:IAMUser/CloudTrailLoggingDisabled"; }
t_det_stratus_delete() { stratus_one stratus_delete aws.defense-evasion.cloudtrail-delete "Stealth:IAMUser/CloudTrailLoggingDisabled"; }

# The accounting run of a dataset is reused; run it when it was filtered out.
ensure_run() { # ensure_run NAME TESTFUNC
	[ -f "$W/$1.out" ] && [ -f "$W/$1.records" ] && return 0
	"$2" >/dev/null
	[ -f "$W/$1.out" ] && [ -f "$W/$1.records" ]
}

t_det_stratus_oracles() {
	need "$STRATUS/detonation-logs" || return $?
	ensure_run stratus t_acc_stratus || return 1
	local r=0
	check_oracles stratus "$W/stratus.records" || r=1
	# Which technique files fire what (information for recall tracking).
	local f fired n=0 hit=0
	for f in "$STRATUS"/detonation-logs/*.json; do
		n=$((n + 1))
		run_vigil stratus_each "$STRATUS" "detonation-logs/${f##*/}"
		check_run stratus_each 0 >/dev/null || { say "${f##*/}: run failed"; r=1; }
		fired=$(jq -r '.type' "$W/stratus_each.out" | sort -u | tr '\n' ' ')
		if [ -n "$fired" ]; then
			hit=$((hit + 1))
			say "$(basename "$f" .json): $fired"
		fi
	done
	say "techniques with a finding: $hit of $n (vigil implements $(implemented_types | wc -l) types)"
	return $r
}

t_det_invictus_trails() {
	need "$INVICTUS/CloudTrail" || return $?
	ensure_run invictus t_acc_invictus || return 1
	local r=0 t="Stealth:IAMUser/CloudTrailLoggingDisabled"
	jq -r 'select(.eventSource == "cloudtrail.amazonaws.com" and (.eventName == "StopLogging" or .eventName == "DeleteTrail") and (.errorCode // "") == "") | "\(.userIdentity.accessKeyId) \(.requestParameters.name | sub(".*:trail/"; ""))"' \
		"$W/invictus.records" | sort -u >"$W/invictus.trails"
	say "jq: $(jq -r 'select(.eventSource == "cloudtrail.amazonaws.com" and (.eventName == "StopLogging" or .eventName == "DeleteTrail")) | "\(.eventName)(\(.errorCode // "ok"))"' "$W/invictus.records" | sort | uniq -c | tr -s ' \n' ' ')"
	if [ ! -s "$W/invictus.trails" ]; then
		say "no successful StopLogging/DeleteTrail in the data: nothing to assert"
		return 0
	fi
	local key trail n
	while read -r key trail; do
		n=$(jq -r --arg t "$t" --arg k "$key" --arg n "$trail" \
			'select(.type == $t and .resource.accessKeyDetails.accessKeyId == $k and (tostring | contains($n))) | .id' "$W/invictus.out" | wc -l)
		if [ "$n" = 1 ]; then
			say "trail $trail (key $key): 1 finding"
		else
			say "trail $trail (key $key): $n findings, expected 1"
			r=1
		fi
	done <"$W/invictus.trails"
	local total
	total=$(jq -r --arg t "$t" 'select(.type == $t) | .id' "$W/invictus.out" | wc -l)
	if [ "$total" != "$(wc -l <"$W/invictus.trails")" ]; then
		say "$total $t findings in all, expected $(wc -l <"$W/invictus.trails") (one per trail)"
		r=1
	fi
	return $r
}

t_det_invictus_oracles() {
	need "$INVICTUS/CloudTrail" || return $?
	ensure_run invictus t_acc_invictus || return 1
	check_oracles invictus "$W/invictus.records"
}

t_det_otrf_oracles() {
	need "$OTRF/ec2_proxy_s3_exfiltration_2020-09-14011940.json" || return $?
	ensure_run otrf t_acc_otrf || return 1
	check_oracles otrf "$W/otrf.records"
}

t_det_panther_oracles() {
	need "$PANTHER/tests/tests_AWS_CloudTrail.jsonl" || return $?
	ensure_run panther t_acc_panther || return 1
	check_oracles panther "$W/panther.records"
}

# ---------------------------------------------------------------------------
# c. Panther labelled tests

# panther_rule RULE [JQ-FILTER] -- each test event of RULE alone.
panther_rule() {
	local rule=$1 filter=${2:-true} p=$PANTHER/tests/tests_AWS_CloudTrail.jsonl
	need "$p" || return $?
	local types=${PANTHER_TYPE[$rule]} i=0 agree=0 n=0 r=0 exc=0 normalized=0
	local name expected got key reason tag
	jq -c --arg r "$rule" "select(.rule_id == \$r) | select(.log | $filter)" "$p" >"$W/pan.cases"
	if [ ! -s "$W/pan.cases" ]; then
		say "no test events for $rule"
		return 77
	fi
	while IFS= read -r line; do
		i=$((i + 1))
		name=$(jq -r '.test_name' <<<"$line")
		expected=$(jq -r '.expected_result' <<<"$line")
		# Panther normalises eventTime itself (p_event_time) and many tests
		# leave it out or redact it; give those a valid time so the test is
		# about the rule, not the parser (the parser has its own tests above).
		jq -c "$JQ_DEFS"' .log | if ((if .eventTime != null then .eventTime else ."@timestamp" end) | timeok) then . else .eventTime = "2019-01-01T00:00:00Z" end' <<<"$line" >"$W/pan_event.json"
		if ! jq -e "$JQ_DEFS"' (.log | (if .eventTime != null then .eventTime else ."@timestamp" end) | timeok)' <<<"$line" >/dev/null; then
			normalized=$((normalized + 1))
		fi
		run_vigil pan_one "$W" pan_event.json
		local want_rc=0
		jq -e "$JQ_DEFS"' valid' "$W/pan_event.json" >/dev/null || want_rc=2
		local run_problems
		run_problems=$(check_run pan_one "$want_rc") || r=1
		if has_type pan_one "$types"; then got=true; else got=false; fi
		n=$((n + 1))
		[ "$got" = "$expected" ] && agree=$((agree + 1))
		key="$rule|$name"
		reason=${PANTHER_EXCEPTIONS[$key]:-}
		if [ -n "$reason" ]; then
			exc=$((exc + 1))
			if [ "$got" = "$expected" ]; then
				tag="STALE EXCEPTION (vigil now agrees with Panther; remove it from the table)"
				r=1
			else
				tag="exception: $reason"
			fi
		elif [ "$got" = "$expected" ]; then
			tag="ok"
		else
			tag="DISAGREES"
			r=1
		fi
		say "[$i] $name: panther $expected, vigil $got -- $tag"
		[ -n "$run_problems" ] && printf '%s\n' "$run_problems" | sed 's/^/  /'
	done <"$W/pan.cases"
	say "agreement with Panther: $agree/$n ($((100 * agree / n))%); $exc documented exceptions; $normalized events given an eventTime; vigil type: $types"
	return $r
}

t_pan_ct_stopped() { panther_rule AWS.CloudTrail.Stopped; }
t_pan_bedrock() { panther_rule AWS.Bedrock.DeleteModelInvocationLoggingConfiguration; }
t_pan_s3_logging() { panther_rule AWS.S3.DisableBucketLogging; }
t_pan_s3_bpa() { panther_rule AWS.S3.DeletePublicAccessBlock; }
t_pan_root_activity() { panther_rule AWS.Root.Activity; }
t_pan_root_login() { panther_rule AWS.Console.RootLogin; }
# The rule covers many services; only its S3 events map to the S3 type.
t_pan_made_public() { panther_rule AWS.CloudTrail.ResourceMadePublic '.eventSource == "s3.amazonaws.com"'; }

# d. Threat intelligence: CloudTrail calls from addresses taken from the Tor
# exit list and the mining-pool server list, with those lists loaded as
# --intel tor: and --intel mining:, give exactly the expected findings: a
# Recon (DescribeInstances) or UnauthorizedAccess (CreateUser) TorIPCaller
# per Tor address and an Exfiltration:S3 (GetObject) MaliciousIPCaller per
# mining address, each naming its list in the evidence.
t_intel_lists() {
	local tor=$DATA/tor-exit-nodes/tor-exit-nodes.lst mining=$DATA/crypto-mining-pools/MiningServerIPList.txt
	need "$tor" "$mining" || return $?
	local r=0 d=$W/intel
	mkdir -p "$d"
	local tor4 tor6 mine
	tor4=$(grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$tor" | head -n 3)
	tor6=$(grep -F ':' "$tor" | head -n 1)
	mine=$(grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$mining" | head -n 2)
	local who='{type:"IAMUser",principalId:"AIDATORTEST",arn:"arn:aws:iam::123456789012:user/t",accountId:"123456789012",accessKeyId:"AKIATORTEST0000001",userName:"t"}'
	{
		for ip in $tor4; do
			jq -nc --arg ip "$ip" "{eventVersion:\"1.08\",eventTime:\"2024-02-27T10:00:00Z\",eventSource:\"ec2.amazonaws.com\",
				eventName:\"DescribeInstances\",awsRegion:\"us-east-1\",sourceIPAddress:\$ip,userAgent:\"aws-cli/2.15.0\",
				recipientAccountId:\"123456789012\",userIdentity:$who}"
		done
		jq -nc --arg ip "$tor6" "{eventVersion:\"1.08\",eventTime:\"2024-02-27T10:05:00Z\",eventSource:\"iam.amazonaws.com\",
			eventName:\"CreateUser\",awsRegion:\"us-east-1\",sourceIPAddress:\$ip,userAgent:\"aws-cli/2.15.0\",
			recipientAccountId:\"123456789012\",userIdentity:$who}"
		for ip in $mine; do
			jq -nc --arg ip "$ip" '{eventVersion:"1.08",eventTime:"2024-02-27T11:00:00Z",eventSource:"s3.amazonaws.com",
				eventName:"GetObject",awsRegion:"us-east-1",sourceIPAddress:$ip,userAgent:"aws-sdk-go/1.44",
				eventCategory:"Data",requestParameters:{bucketName:"payroll",key:"2024.csv"},
				recipientAccountId:"123456789012",userIdentity:{type:"AssumedRole",principalId:"AROAMINE:x",
				arn:"arn:aws:sts::123456789012:assumed-role/r/x",accountId:"123456789012",accessKeyId:"ASIAMINETEST000001"}}'
		done
	} >"$d/events.jsonl"
	run_vigil intel "$d" --intel "tor:$tor" --intel "mining:$mining" events.jsonl
	check_run intel 0 || r=1
	local want got
	want=$( { for ip in $tor4; do printf 'Recon:IAMUser/TorIPCaller\t%s\ttor-exit-nodes.lst\t1\n' "$ip"; done
		printf 'UnauthorizedAccess:IAMUser/TorIPCaller\t%s\ttor-exit-nodes.lst\t1\n' \
			"$(python3 -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]))' "$tor6")"
		for ip in $mine; do printf 'Exfiltration:S3/MaliciousIPCaller\t%s\tMiningServerIPList.txt\t1\n' "$ip"; done; } | sort)
	got=$(jq -r '[.type, (.service.action.awsApiCallAction.remoteIpDetails | .ipAddressV4 // .ipAddressV6),
		.service.evidence.threatIntelligenceDetails[0].threatListName, (.service.count | tostring)] | @tsv' "$W/intel.out" | sort)
	if [ "$got" != "$want" ]; then
		say "findings differ:"
		diff <(echo "$want") <(echo "$got") | sed 's/^/      | /'
		r=1
	else
		say "$(wc -l <<<"$got") findings, one per listed address, as expected"
	fi
	return $r
}

# ---------------------------------------------------------------------------
# Driver

passed=0
failed=0
skipped=0

selected=()
for entry in "${TESTS[@]}"; do
	if [ $# -eq 0 ]; then
		selected+=("$entry")
	else
		for pat in "$@"; do
			case ${entry%:*} in *"$pat"*) selected+=("$entry"); break ;; esac
		done
	fi
done

if [ ! -d "$DATA" ]; then
	echo "SKIP shared-data tests: ../shared/data not found ($DATA)"
	echo "0 passed, 0 failed, ${#selected[@]} skipped"
	exit 0
fi
for tool in jq python3 timeout gzip; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "shared-data tests: $tool is not installed (scripts/install-deps installs it)"
		echo "0 passed, ${#selected[@]} failed, 0 skipped"
		exit 1
	fi
done
if [ ! -x "$VIGIL" ]; then
	echo "shared-data tests: vigil binary not found or not executable: $VIGIL (build it: make build/asan/vigil)"
	echo "0 passed, ${#selected[@]} failed, 0 skipped"
	exit 1
fi
case $VIGIL in
*/asan/*) ;;
*) echo "note: $VIGIL is not the sanitizer build; crashes are caught, memory errors may not be" ;;
esac

W=$(mktemp -d "${TMPDIR:-/tmp}/vigil-shared.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo "shared data: $DATA"
echo "vigil: $VIGIL"

for entry in "${selected[@]}"; do
	name=${entry%:*}
	fn=${entry##*:}
	"$fn" >"$W/.detail" 2>&1
	rc=$?
	case $rc in
	0) echo "PASS $name"; passed=$((passed + 1)) ;;
	77) echo "SKIP $name"; skipped=$((skipped + 1)) ;;
	*) echo "FAIL $name"; failed=$((failed + 1)) ;;
	esac
	cat "$W/.detail"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
