/*
 * gen_cloudtrail.c -- writes a synthetic but realistic AWS CloudTrail corpus
 * in the layout CloudTrail delivers to S3, for bench/run.
 *
 *   gen_cloudtrail OUTDIR RECORDS [SEED]
 *
 * OUTDIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
 *     <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<random16>.json.gz
 *
 * Each file is one gzip member holding one compact line {"Records":[...]}
 * of 100 to 500 records, as AWS writes them.  The mix of calls, principals,
 * user agents and request/response shapes follows real trails: S3 data
 * events, KMS and STS calls made by services and roles, EC2 and SSM reads,
 * Lambda log streams, console sessions and the occasional large
 * RunInstances.  A small share of records (about 0.3 %) is what the
 * benchmark's detections fire on; their count per detection is written to
 * OUTDIR/MANIFEST so bench/run can check every tool found the same hits.
 *
 * Beside AWSLogs/ the generator writes OUTDIR/files.tsv (relative path,
 * records, uncompressed bytes, expected hits; one line per file) and
 * OUTDIR/MANIFEST (key=value lines, "complete=1" last).  The output is a
 * pure function of RECORDS and SEED.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libdeflate.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_util.h"

/* One stream for the whole corpus (bench_util.h). */
static struct prng rng;

/* rnd -- a uniform integer in [0, n). */
static inline uint32_t rnd(uint32_t n) { return prng_below32(&rng, n); }

/* chance -- true with probability per_mille / 1000. */
static inline bool chance(uint32_t per_mille) { return rnd(1000) < per_mille; }

#define PICK(arr) ((arr)[rnd(ARRAY_LEN(arr))])

/* ---- writing into the output buffer (bench_util.h), and a tiny JSON template formatter ---- */

static const char UPAN[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";   /* access-key style */
static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_random(struct buf *b, int n, const char *alpha)
{
	size_t k = strlen(alpha);
	reserve(b, (size_t)n);
	for (int i = 0; i < n; i++)
		b->p[b->len++] = alpha[rnd((uint32_t)k)];
}

static void put_uuid(struct buf *b)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	for (int g = 0; g < 5; g++) {
		if (g)
			put(b, "-", 1);
		put_random(b, groups[g], HEX);
	}
}

static void put_time(struct buf *b, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[32];
	gmtime_r(&tt, &tm);
	put(b, s, strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm));
}

static void put_int(struct buf *b, long long v)
{
	char s[24];
	put(b, s, (size_t)snprintf(s, sizeof(s), "%lld", v));
}

/*
 * fmt -- append a JSON template.  A single quote in the template is written
 * as a double quote, so templates read like the JSON they produce; the
 * same holds inside %s arguments, which may be template fragments (no value
 * the generator writes contains a single quote).
 * Conversions: %s a string (otherwise copied as is: no escaping),
 * %d an int, %L a long long, %T an int64_t epoch second as an ISO time,
 * %U a random UUID, %R an int n and an alphabet: n random characters,
 * %N an int n: a random number in [0, n).  Random draws in fmt happen in
 * template order; callers never pass two random values as arguments,
 * because C leaves the order of argument evaluation to the compiler and
 * the corpus must not depend on it.
 */
static void fmt(struct buf *b, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	while (*f) {
		const char *run = f;
		while (*f && *f != '%' && *f != '\'')
			f++;
		put(b, run, (size_t)(f - run));
		if (*f == '\'') {
			put(b, "\"", 1);
			f++;
			continue;
		}
		if (!*f)
			break;
		switch (f[1]) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n = strlen(s);
			reserve(b, n);
			for (size_t i = 0; i < n; i++)
				b->p[b->len + i] = s[i] == '\'' ? '"' : s[i];
			b->len += n;
			break;
		}
		case 'd': put_int(b, va_arg(ap, int)); break;
		case 'L': put_int(b, va_arg(ap, long long)); break;
		case 'T': put_time(b, va_arg(ap, int64_t)); break;
		case 'U': put_uuid(b); break;
		case 'N': put_int(b, rnd((uint32_t)va_arg(ap, int))); break;
		case 'R': {
			int n = va_arg(ap, int);
			put_random(b, n, va_arg(ap, const char *));
			break;
		}
		default: put(b, "%", 1); break;
		}
		f += 2;
	}
	va_end(ap);
}

/* ---- the world: accounts, principals, buckets, user agents ---- */

static const char *const REGIONS[] = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"};
static const int REGION_WEIGHT[] = {45, 20, 15, 12, 8};

static const char *const USERS[] = {"alice", "bob.smith", "ci-deploy", "terraform", "svc-backup", "j.doe"};
static const char *const SSO_USERS[] = {"alice@example.com", "bob.smith@example.com", "carol.w@example.com",
					"dave@example.com", "erin.k@example.com"};
static const char *const SSO_SETS[] = {"AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess"};
static const char *const LAMBDAS[] = {"ingest-events", "resize-images", "nightly-report", "api-authorizer",
				      "sqs-consumer", "cost-exporter"};
static const char *const BUCKET_KINDS[] = {"data-lake", "app-uploads", "backups", "static-assets", "athena-results"};
static const char *const PARAMS[] = {"/prod/app/db-url", "/prod/app/api-key", "/shared/datadog/api-key",
				     "/staging/app/feature-flags", "/prod/payments/stripe-secret"};
static const char *const TABLES[] = {"orders", "sessions", "users", "inventory", "audit-log"};

#define N_ACCOUNTS 4
#define N_INSTANCES 6

struct account {
	char id[16];                        /* 12 digits */
	char user_pid[ARRAY_LEN(USERS)][24]; /* AIDA... per user */
	char user_key[ARRAY_LEN(USERS)][24]; /* AKIA... per user */
	char user_ip[ARRAY_LEN(USERS)][20];  /* the user's home address */
	char role_pid[8][24];               /* AROA... per role kind */
	char sso_suffix[ARRAY_LEN(SSO_SETS)][20];
	char instance[N_INSTANCES][24];      /* i-... */
	char kms_key[40];                   /* key uuid */
};

static struct account accounts[N_ACCOUNTS];
static const int ACCOUNT_WEIGHT[] = {50, 25, 15, 10};

static void make_world(void)
{
	for (int a = 0; a < N_ACCOUNTS; a++) {
		struct account *ac = &accounts[a];
		prng_fill(&rng, ac->id, "", 12, "0123456789");
		ac->id[0] = (char)('1' + rnd(9));
		for (size_t u = 0; u < ARRAY_LEN(USERS); u++) {
			prng_fill(&rng, ac->user_pid[u], "AIDA", 17, UPAN);
			prng_fill(&rng, ac->user_key[u], "AKIA", 16, UPAN);
			/* Documentation ranges: plausible, and owned by nobody. */
			const char *net = rnd(2) ? "203.0.113" : "198.51.100";
			snprintf(ac->user_ip[u], sizeof(ac->user_ip[u]), "%s.%u", net, 1 + rnd(254));
		}
		for (int r = 0; r < 8; r++)
			prng_fill(&rng, ac->role_pid[r], "AROA", 17, UPAN);
		for (size_t s = 0; s < ARRAY_LEN(SSO_SETS); s++)
			prng_fill(&rng, ac->sso_suffix[s], "", 16, HEX);
		for (int i = 0; i < N_INSTANCES; i++)
			prng_fill(&rng, ac->instance[i], "i-0", 16, HEX);
		prng_fill(&rng, ac->kms_key, "", 8, HEX);
		strcat(ac->kms_key, "-4c1e-9a3b-");
		prng_fill(&rng, ac->kms_key + strlen(ac->kms_key), "", 12, HEX);
	}
}

/* Who made a call.  Each kind has its own identity, user agents and
 * source addresses. */
enum who { W_USER, W_SSO, W_INSTANCE, W_LAMBDA, W_CI, W_SERVICE, W_ROOT };

/* The roles behind AssumedRole callers, indexed by enum who. */
static const char *const ROLE_NAME[] = {
	[W_INSTANCE] = "app-server-role",
	[W_LAMBDA] = "lambda-exec-role",
	[W_CI] = "GitHubActionsDeploy",
};

static const char *const UA_CLI[] = {
	"aws-cli/2.15.30 Python/3.11.8 Linux/5.15.0-1055-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp",
	"aws-cli/2.13.25 Python/3.11.5 Darwin/23.1.0 exe/x86_64 prompt/off command/ec2.describe-instances",
	"aws-cli/2.15.10 Python/3.11.6 Windows/10 exe/AMD64 prompt/off command/sts.get-caller-identity",
	("Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.12.2 md/pyimpl#CPython "
	 "cfg/retry-mode#legacy Botocore/1.34.69"),
	"aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.4",
};
static const char *const UA_TERRAFORM[] = {
	("APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 "
	 "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 ua/2.0 os/linux lang/go#1.22.1 "
	 "md/GOOS#linux md/GOARCH#amd64 api/ec2#1.149.3"),
	"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off command/s3.sync",
};
static const char *const UA_INSTANCE[] = {
	("Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 "
	 "lang/python#3.9.16 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51"),
	("aws-sdk-java/1.12.640 Linux/5.10.209-198.858.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS "
	 "java/17.0.10 vendor/Amazon.com_Inc. cfg/retry-mode/standard"),
	("aws-sdk-java/2.25.6 Linux/6.1.79-99.164.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.2+13-LTS Java/21.0.2 "
	 "vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy"),
};
static const char *const UA_LAMBDA[] = {
	("aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.209-220.812.amzn2.x86_64 lang/js md/nodejs#20.11.1 "
	 "api/dynamodb#3.540.0 exec-env/AWS_Lambda_nodejs20.x"),
	("Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.209-220.812.amzn2.x86_64 md/arch#x86_64 "
	 "lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.42"),
};
static const char *const UA_CONSOLE[] = {
	"AWS Internal",
	"console.amazonaws.com",
	("[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.184-153.731.amzn2int.x86_64 "
	 "OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]"),
};
static const char *const UA_BROWSER[] = {
	("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 "
	 "Safari/537.36"),
	("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 "
	 "Safari/605.1.15"),
};
static const char UA_KALI[] = "aws-cli/1.22.34 Python/3.11.8 Linux/6.5.0-kali3-amd64 botocore/1.24.19";

/* ---- one record: envelope, then the call's own parts ---- */

/* The detections bench/run compares; the generator counts what it injects. */
enum hit { H_NONE, H_ROOT, H_TRAIL, H_PASSWORD, H_S3_LOGGING, H_S3_PAB, H_S3_POLICY, H_BEDROCK, H_KALI, H_COUNT };
static const char *const HIT_NAME[] = {
	[H_ROOT] = "root_usage",   [H_TRAIL] = "cloudtrail_stopped", [H_PASSWORD] = "password_policy_weakened",
	[H_S3_LOGGING] = "s3_logging_disabled", [H_S3_PAB] = "s3_public_access_block_off",
	[H_S3_POLICY] = "s3_policy_public", [H_BEDROCK] = "bedrock_logging_deleted", [H_KALI] = "pentest_user_agent",
};

struct rec {
	struct buf *b;
	const struct account *a;
	const char *region;
	int64_t t;       /* eventTime, epoch seconds */
	enum who who;    /* caller kind */
	int actor;       /* index into the kind's list (user, SSO user, instance, lambda) */
	const char *ua;  /* user agent override, or NULL */
	/* Filled by the call before tail(): */
	bool read_only;  /* readOnly */
	bool data;       /* eventCategory Data (managementEvent false) */
	bool s3_ids;     /* S3-style requestID and x-amz-id-2 */
	const char *host; /* TLS host header, or NULL for <service>.<region>.amazonaws.com */
	const char *event_type; /* eventType, NULL for AwsApiCall */
	char res[512];   /* resources array contents, or "" */
};

/* The services that call other services on a principal's behalf. */
static const char *const SERVICES[] = {"lambda.amazonaws.com", "ec2.amazonaws.com", "s3.amazonaws.com",
				       "cloudformation.amazonaws.com", "autoscaling.amazonaws.com"};

/* head -- from '{' to the user agent (and an error, sometimes). */
static void head(struct rec *r, const char *source, const char *name, bool error)
{
	struct buf *b = r->b;
	const struct account *a = r->a;
	const char *ip, *ua = r->ua;
	char ipbuf[24];
	fmt(b, "{'eventVersion':'%s','userIdentity':", rnd(3) ? "1.09" : "1.08");
	switch (r->who) {
	case W_USER:
		fmt(b, "{'type':'IAMUser','principalId':'%s','arn':'arn:aws:iam::%s:user/%s','accountId':'%s',"
		       "'accessKeyId':'%s','userName':'%s'}",
		    a->user_pid[r->actor], a->id, USERS[r->actor], a->id, a->user_key[r->actor], USERS[r->actor]);
		ip = a->user_ip[r->actor];
		if (!ua)
			ua = r->actor == 3 ? UA_TERRAFORM[0] : UA_CLI[(r->actor + rnd(2)) % ARRAY_LEN(UA_CLI)];
		break;
	case W_SSO: {
		const char *set = SSO_SETS[r->actor % ARRAY_LEN(SSO_SETS)];
		const char *sfx = a->sso_suffix[r->actor % ARRAY_LEN(SSO_SETS)];
		const char *who = SSO_USERS[r->actor % ARRAY_LEN(SSO_USERS)];
		fmt(b, "{'type':'AssumedRole','principalId':'%s:%s','arn':'arn:aws:sts::%s:assumed-role/"
		       "AWSReservedSSO_%s_%s/%s','accountId':'%s','accessKeyId':'ASIA%R','sessionContext':"
		       "{'sessionIssuer':{'type':'Role','principalId':'%s','arn':'arn:aws:iam::%s:role/aws-reserved/"
		       "sso.amazonaws.com/AWSReservedSSO_%s_%s','accountId':'%s','userName':'AWSReservedSSO_%s_%s'},"
		       "'webIdFederationData':{},'attributes':{'creationDate':'%T','mfaAuthenticated':'false'}}}",
		    a->role_pid[0], who, a->id, set, sfx, who, a->id, 16, UPAN, a->role_pid[0], a->id, set, sfx, a->id,
		    set, sfx, r->t - (int64_t)rnd(3600));
		ip = a->user_ip[r->actor % ARRAY_LEN(USERS)];
		if (!ua)
			ua = PICK(UA_CONSOLE);
		break;
	}
	case W_INSTANCE:
	case W_LAMBDA:
	case W_CI: {
		const char *role = ROLE_NAME[r->who];
		const char *sess = r->who == W_INSTANCE ? a->instance[r->actor % N_INSTANCES]
				 : r->who == W_LAMBDA ? LAMBDAS[r->actor % ARRAY_LEN(LAMBDAS)]
						      : "GitHubActions";
		fmt(b, "{'type':'AssumedRole','principalId':'%s:%s','arn':'arn:aws:sts::%s:assumed-role/%s/%s',"
		       "'accountId':'%s','accessKeyId':'ASIA%R','sessionContext':{'sessionIssuer':{'type':'Role',"
		       "'principalId':'%s','arn':'arn:aws:iam::%s:role/%s','accountId':'%s','userName':'%s'},"
		       "'webIdFederationData':{},'attributes':{'creationDate':'%T','mfaAuthenticated':'false'}%s}}",
		    a->role_pid[r->who], sess, a->id, role, sess, a->id, 16, UPAN, a->role_pid[r->who], a->id, role,
		    a->id, role, r->t - (int64_t)rnd(21600), r->who == W_INSTANCE ? ",'ec2RoleDelivery':'2.0'" : "");
		{
			/* Private for instances (through a VPC endpoint), AWS ranges
			 * for Lambda, cloud CI runners for CI. */
			const char *net = r->who == W_INSTANCE ? PICK(((const char *[]){"10.0", "10.1", "10.2"}))
					  : r->who == W_LAMBDA ? PICK(((const char *[]){"3.81", "52.23", "54.158"}))
								: PICK(((const char *[]){"20.51", "4.175", "172.183"}));
			unsigned hi = rnd(256), lo = 1 + rnd(254);
			snprintf(ipbuf, sizeof(ipbuf), "%s.%u.%u", net, hi, lo);
		}
		ip = ipbuf;
		if (!ua)
			ua = r->who == W_INSTANCE ? PICK(UA_INSTANCE) : r->who == W_LAMBDA ? PICK(UA_LAMBDA)
											  : PICK(UA_TERRAFORM);
		break;
	}
	case W_SERVICE:
		ip = PICK(SERVICES);
		fmt(b, "{'type':'AWSService','invokedBy':'%s'}", ip);
		if (!ua)
			ua = ip;
		break;
	case W_ROOT:
	default:
		fmt(b, "{'type':'Root','principalId':'%s','arn':'arn:aws:iam::%s:root','accountId':'%s',"
		       "'accessKeyId':'ASIA%R','sessionContext':{'sessionIssuer':{},'webIdFederationData':{},"
		       "'attributes':{'creationDate':'%T','mfaAuthenticated':'true'}}}",
		    a->id, a->id, a->id, 16, UPAN, r->t - (int64_t)rnd(1800));
		ip = a->user_ip[0];
		if (!ua)
			ua = PICK(UA_CONSOLE);
		break;
	}
	r->ua = ua;
	fmt(b, ",'eventTime':'%T','eventSource':'%s','eventName':'%s','awsRegion':'%s','sourceIPAddress':'%s',"
	       "'userAgent':'%s'",
	    r->t, source, name, r->region, ip, ua);
	if (error)
		fmt(b, ",'errorCode':'AccessDenied','errorMessage':'User: arn:aws:sts::%s:assumed-role/%s is not "
		       "authorized to perform: %s on resource: * because no identity-based policy allows the action'",
		    a->id, r->who == W_SSO ? "AWSReservedSSO_ReadOnlyAccess" : "app-server-role", name);
}

/* tail -- from requestID to '}'. */
static void tail(struct rec *r, const char *source)
{
	struct buf *b = r->b;
	if (r->s3_ids)
		fmt(b, ",'requestID':'%R'", 16, UPAN);
	else
		fmt(b, ",'requestID':'%U'");
	fmt(b, ",'eventID':'%U','readOnly':%s", r->read_only ? "true" : "false");
	if (r->res[0])
		fmt(b, ",'resources':[%s]", r->res);
	fmt(b, ",'eventType':'%s','managementEvent':%s,'recipientAccountId':'%s'",
	    r->event_type ? r->event_type : "AwsApiCall", r->data ? "false" : "true", r->a->id);
	if (r->who == W_INSTANCE && r->s3_ids)
		fmt(b, ",'vpcEndpointId':'vpce-0%R'", 16, HEX);
	fmt(b, ",'eventCategory':'%s'", r->data ? "Data" : "Management");
	if (r->who != W_SERVICE && strcmp(r->ua, "AWS Internal") != 0) {
		const char *version = rnd(3) ? "TLSv1.3" : "TLSv1.2";
		const char *cipher = rnd(3) ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256";
		fmt(b, ",'tlsDetails':{'tlsVersion':'%s','cipherSuite':'%s','clientProvidedHostHeader':'", version,
		    cipher);
		if (r->host) {
			fmt(b, "%s'}", r->host);
		} else {
			/* "ec2.amazonaws.com" becomes "ec2.<region>.amazonaws.com". */
			const char *dot = strchr(source, '.');
			put(b, source, (size_t)(dot - source));
			fmt(b, ".%s.amazonaws.com'}", r->region);
		}
	}
	if (r->who == W_SSO)
		fmt(b, ",'sessionCredentialFromConsole':'true'");
	put(b, "}", 1);
}

/* ---- the calls ---- */

static void bucket_name(char *dst, size_t n, const struct account *a)
{
	snprintf(dst, n, "acme-%s-%s", PICK(BUCKET_KINDS), a->id);
}

static void s3_extra(struct rec *r, long long in, long long out)
{
	fmt(r->b, ",'additionalEventData':{'SignatureVersion':'SigV4','CipherSuite':'TLS_AES_128_GCM_SHA256',"
		  "'bytesTransferredIn':%L,'AuthenticationMethod':'AuthHeader','x-amz-id-2':'%R=',"
		  "'bytesTransferredOut':%L}",
	    in, 75, B64, out);
}

/* S3 object reads and writes: data events. */
static void c_s3_object(struct rec *r, bool put_obj)
{
	static const int w[] = {W_INSTANCE, W_INSTANCE, W_LAMBDA, W_LAMBDA, W_USER, W_CI};
	static struct buf kb; /* the object key, reused */
	const char *key;
	char bucket[96], host[160];
	r->who = w[rnd(ARRAY_LEN(w))];
	bucket_name(bucket, sizeof(bucket), r->a);
	snprintf(host, sizeof(host), "%s.s3.%s.amazonaws.com", bucket, r->region);
	kb.len = 0;
	switch (rnd(3)) {
	case 0: fmt(&kb, "data/year=2024/month=03/part-%d-%U.snappy.parquet", (int)rnd(200)); break;
	case 1: fmt(&kb, "uploads/%R/%U.jpg", 2, HEX); break;
	default: fmt(&kb, "reports/daily/%T.csv.gz", r->t - 86400 * (int64_t)rnd(30)); break;
	}
	put(&kb, "", 1);
	key = kb.p;
	head(r, "s3.amazonaws.com", put_obj ? "PutObject" : "GetObject", false);
	fmt(r->b, ",'requestParameters':{'bucketName':'%s','Host':'%s','key':'%s'%s}", bucket, host, key,
	    put_obj ? ",'x-amz-server-side-encryption':'aws:kms'" : "");
	if (put_obj)
		fmt(r->b, ",'responseElements':{'x-amz-server-side-encryption-aws-kms-key-id':'arn:aws:kms:%s:%s:key/%s',"
			  "'x-amz-server-side-encryption':'aws:kms','x-amz-version-id':'%R'}",
		    r->region, r->a->id, r->a->kms_key, 32, ALNUM);
	else
		fmt(r->b, ",'responseElements':null");
	s3_extra(r, put_obj ? 1000 + rnd(5000000) : 0, put_obj ? 0 : 1000 + rnd(5000000));
	r->read_only = !put_obj;
	r->data = true;
	r->s3_ids = true;
	r->host = host;
	snprintf(r->res, sizeof(r->res),
		 "{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::%s/%s\"},{\"accountId\":\"%s\","
		 "\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::%s\"}",
		 bucket, key, r->a->id, bucket);
	tail(r, "s3.amazonaws.com");
}

static void c_get_object(struct rec *r) { c_s3_object(r, false); }
static void c_put_object(struct rec *r) { c_s3_object(r, true); }

/* KMS Decrypt and GenerateDataKey, mostly on behalf of S3, Lambda or SSM. */
static void c_kms(struct rec *r)
{
	bool gen = rnd(3) == 0;
	r->who = rnd(3) ? W_SERVICE : W_LAMBDA;
	head(r, "kms.amazonaws.com", gen ? "GenerateDataKey" : "Decrypt", false);
	if (rnd(2))
		fmt(r->b, ",'requestParameters':{'encryptionContext':{'aws:lambda:FunctionArn':"
			  "'arn:aws:lambda:%s:%s:function:%s'},'encryptionAlgorithm':'SYMMETRIC_DEFAULT'%s}",
		    r->region, r->a->id, PICK(LAMBDAS), gen ? ",'keySpec':'AES_256'" : "");
	else
		fmt(r->b, ",'requestParameters':{'encryptionContext':{'PARAMETER_ARN':'arn:aws:ssm:%s:%s:parameter%s'},"
			  "'encryptionAlgorithm':'SYMMETRIC_DEFAULT'%s}",
		    r->region, r->a->id, PICK(PARAMS), gen ? ",'keyId':'alias/aws/ssm','numberOfBytes':32" : "");
	fmt(r->b, ",'responseElements':null");
	r->read_only = true;
	snprintf(r->res, sizeof(r->res),
		 "{\"accountId\":\"%s\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:%s:%s:key/%s\"}", r->a->id,
		 r->region, r->a->id, r->a->kms_key);
	tail(r, "kms.amazonaws.com");
}

/* STS AssumeRole: a service assuming a role, or a person switching roles. */
static void c_assume_role(struct rec *r)
{
	const char *role = PICK(((const char *[]){"lambda-exec-role", "app-server-role", "ReadOnlyAuditor",
						   "OrganizationAccountAccessRole"}));
	char sess[48];
	r->who = rnd(4) ? W_SERVICE : W_USER;
	r->actor = (int)rnd(ARRAY_LEN(USERS));
	if (r->who == W_SERVICE)
		snprintf(sess, sizeof(sess), "%s", PICK(LAMBDAS));
	else
		snprintf(sess, sizeof(sess), "%s-%u", USERS[r->actor], 1700000000u + rnd(9000000));
	head(r, "sts.amazonaws.com", "AssumeRole", false);
	fmt(r->b, ",'requestParameters':{'roleArn':'arn:aws:iam::%s:role/%s','roleSessionName':'%s',"
		  "'durationSeconds':%d}",
	    r->a->id, role, sess, rnd(2) ? 3600 : 43200);
	int token_len = 400 + (int)rnd(300), day = 1 + (int)rnd(28), hour = 1 + (int)rnd(12);
	fmt(r->b, ",'responseElements':{'credentials':{'accessKeyId':'ASIA%R','sessionToken':'IQoJb3JpZ2luX2Vj%R',"
		  "'expiration':'Mar %d, 2024, %d:%N%N:%N%N PM'},'assumedRoleUser':{'assumedRoleId':'%s:%s',"
		  "'arn':'arn:aws:sts::%s:assumed-role/%s/%s'}}",
	    16, UPAN, token_len, B64, day, hour, 6, 10, 6, 10, r->a->role_pid[1], sess, r->a->id, role, sess);
	r->read_only = true;
	snprintf(r->res, sizeof(r->res),
		 "{\"accountId\":\"%s\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"arn:aws:iam::%s:role/%s\"}", r->a->id,
		 r->a->id, role);
	tail(r, "sts.amazonaws.com");
}

/* EC2 reads: DescribeInstances and friends, from people, CI and instances. */
static void c_ec2_describe(struct rec *r)
{
	static const char *const names[] = {"DescribeInstances", "DescribeInstances", "DescribeSecurityGroups",
					    "DescribeSubnets", "DescribeVpcs", "DescribeVolumes"};
	static const int w[] = {W_USER, W_SSO, W_CI, W_INSTANCE, W_INSTANCE};
	const char *name = PICK(names);
	bool err;
	r->who = w[rnd(ARRAY_LEN(w))];
	err = chance(20);
	head(r, "ec2.amazonaws.com", name, err);
	if (name[8] == 'I' && rnd(2))
		fmt(r->b, ",'requestParameters':{'instancesSet':{'items':[{'instanceId':'%s'}]},'filterSet':{}}",
		    r->a->instance[rnd(N_INSTANCES)]);
	else if (rnd(2))
		fmt(r->b, ",'requestParameters':{'maxResults':1000,'%s':{},'filterSet':{'items':[{'name':'tag:Name',"
			  "'valueSet':{'items':[{'value':'%s-*'}]}},{'name':'instance-state-name','valueSet':{'items':"
			  "[{'value':'running'}]}}]}}",
		    name[8] == 'I' ? "instancesSet" : name[8] == 'S' && name[9] == 'e' ? "securityGroupSet"
						: name[8] == 'S' ? "subnetSet" : name[8] == 'V' && name[9] == 'p' ? "vpcSet"
														 : "volumeSet",
		    PICK(((const char *[]){"web", "api", "worker", "bastion"})));
	else
		fmt(r->b, ",'requestParameters':{'filterSet':{},'maxResults':%d}", 200 + (int)rnd(800));
	fmt(r->b, ",'responseElements':null");
	r->read_only = true;
	tail(r, "ec2.amazonaws.com");
}

/* STS GetCallerIdentity: every SDK start-up and every CI job. */
static void c_whoami(struct rec *r)
{
	static const int w[] = {W_USER, W_USER, W_CI, W_INSTANCE, W_LAMBDA, W_SSO};
	r->who = w[rnd(ARRAY_LEN(w))];
	head(r, "sts.amazonaws.com", "GetCallerIdentity", false);
	fmt(r->b, ",'requestParameters':null,'responseElements':null");
	r->read_only = true;
	tail(r, "sts.amazonaws.com");
}

/* CloudWatch Logs CreateLogStream from Lambda functions. */
static void c_log_stream(struct rec *r)
{
	char day[16];
	struct tm tm;
	time_t tt = (time_t)r->t;
	gmtime_r(&tt, &tm);
	strftime(day, sizeof(day), "%Y/%m/%d", &tm);
	r->who = W_LAMBDA;
	r->ua = "awslambda-worker/1.0 rusage/0.5";
	head(r, "logs.amazonaws.com", "CreateLogStream", false);
	fmt(r->b, ",'requestParameters':{'logGroupName':'/aws/lambda/%s','logStreamName':'%s/[$LATEST]%R'},"
		  "'responseElements':null",
	    LAMBDAS[r->actor % ARRAY_LEN(LAMBDAS)], day, 32, HEX);
	tail(r, "logs.amazonaws.com");
}

/* S3 bucket-level reads (management events). */
static void c_s3_bucket_read(struct rec *r)
{
	static const char *const names[] = {"ListBuckets", "GetBucketAcl", "GetBucketLocation", "GetBucketVersioning",
					    "GetBucketPolicy", "GetBucketEncryption"};
	static const int w[] = {W_USER, W_SSO, W_CI, W_INSTANCE, W_SERVICE};
	const char *name = PICK(names);
	char bucket[96], host[160];
	r->who = w[rnd(ARRAY_LEN(w))];
	bucket_name(bucket, sizeof(bucket), r->a);
	head(r, "s3.amazonaws.com", name, false);
	if (name[0] == 'L') {
		snprintf(host, sizeof(host), "s3.%s.amazonaws.com", r->region);
		fmt(r->b, ",'requestParameters':{'Host':'%s'},'responseElements':null", host);
	} else {
		snprintf(host, sizeof(host), "%s.s3.%s.amazonaws.com", bucket, r->region);
		fmt(r->b, ",'requestParameters':{'bucketName':'%s','Host':'%s','%s':''},'responseElements':null",
		    bucket, host, name[9] == 'A' ? "acl" : name[9] == 'L' ? "location" : name[9] == 'V' ? "versioning"
						   : name[9] == 'P' ? "policy" : "encryption");
		snprintf(r->res, sizeof(r->res),
			 "{\"accountId\":\"%s\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::%s\"}", r->a->id,
			 bucket);
	}
	s3_extra(r, 0, 300 + rnd(6000));
	r->read_only = true;
	r->s3_ids = true;
	r->host = host;
	tail(r, "s3.amazonaws.com");
}

/* SSM GetParameter, Secrets Manager GetSecretValue, DynamoDB DescribeTable,
 * ECR GetAuthorizationToken: the reads applications make all day. */
static void c_app_reads(struct rec *r)
{
	static const int w[] = {W_INSTANCE, W_LAMBDA, W_LAMBDA, W_CI};
	r->who = w[rnd(ARRAY_LEN(w))];
	switch (rnd(4)) {
	case 0:
		head(r, "ssm.amazonaws.com", "GetParameter", false);
		fmt(r->b, ",'requestParameters':{'name':'%s','withDecryption':true},'responseElements':null",
		    PICK(PARAMS));
		r->read_only = true;
		tail(r, "ssm.amazonaws.com");
		break;
	case 1:
		head(r, "secretsmanager.amazonaws.com", "GetSecretValue", false);
		fmt(r->b, ",'requestParameters':{'secretId':'arn:aws:secretsmanager:%s:%s:secret:prod/%s-%R'},"
			  "'responseElements':null",
		    r->region, r->a->id, PICK(TABLES), 6, ALNUM);
		r->read_only = true;
		tail(r, "secretsmanager.amazonaws.com");
		break;
	case 2:
		head(r, "dynamodb.amazonaws.com", "DescribeTable", false);
		fmt(r->b, ",'requestParameters':{'tableName':'%s'},'responseElements':null", PICK(TABLES));
		r->read_only = true;
		snprintf(r->res, sizeof(r->res),
			 "{\"accountId\":\"%s\",\"type\":\"AWS::DynamoDB::Table\",\"ARN\":\"arn:aws:dynamodb:%s:%s:"
			 "table/%s\"}",
			 r->a->id, r->region, r->a->id, PICK(TABLES));
		tail(r, "dynamodb.amazonaws.com");
		break;
	default:
		head(r, "ecr.amazonaws.com", "GetAuthorizationToken", false);
		fmt(r->b, ",'requestParameters':{'registryIds':['%s']},'responseElements':null", r->a->id);
		r->read_only = true;
		tail(r, "ecr.amazonaws.com");
		break;
	}
}

/* IAM reads (global: logged in us-east-1 only). */
static void c_iam_read(struct rec *r)
{
	static const char *const names[] = {"GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "GetUser",
					    "ListAccessKeys"};
	const char *name = PICK(names);
	r->who = rnd(2) ? W_CI : W_SSO;
	head(r, "iam.amazonaws.com", name, chance(30));
	if (strcmp(name, "GetUser") == 0 || strcmp(name, "ListAccessKeys") == 0)
		fmt(r->b, ",'requestParameters':{'userName':'%s'},'responseElements':null", PICK(USERS));
	else
		fmt(r->b, ",'requestParameters':{'roleName':'%s'},'responseElements':null",
		    PICK(((const char *[]){"lambda-exec-role", "app-server-role", "GitHubActionsDeploy"})));
	r->read_only = true;
	r->host = "iam.amazonaws.com";
	tail(r, "iam.amazonaws.com");
}

/* Console sign-ins. */
static void c_console_login(struct rec *r)
{
	r->who = W_USER;
	r->actor = (int)rnd(2); /* alice or bob: the humans with IAM users */
	r->ua = PICK(UA_BROWSER);
	head(r, "signin.amazonaws.com", "ConsoleLogin", false);
	fmt(r->b, ",'requestParameters':null,'responseElements':{'ConsoleLogin':'Success'},'additionalEventData':"
		  "{'LoginTo':'https://console.aws.amazon.com/console/home?hashArgs=%%23&isauthcode=true&state="
		  "hashArgsFromTB_%s_%R','MobileVersion':'No','MFAIdentifier':'arn:aws:iam::%s:mfa/%s','MFAUsed':'Yes'}",
	    r->region, 16, HEX, r->a->id, USERS[r->actor]);
	r->event_type = "AwsConsoleSignIn";
	r->host = "signin.aws.amazon.com";
	tail(r, "signin.amazonaws.com");
}

/* EC2 RunInstances: rare, and the largest record in a trail. */
static void c_run_instances(struct rec *r)
{
	char eni[32], subnet[32], vpc[32], sg[32];
	r->who = rnd(2) ? W_CI : W_SERVICE;
	head(r, "ec2.amazonaws.com", "RunInstances", false);
	prng_fill(&rng, subnet, "subnet-0", 16, HEX);
	prng_fill(&rng, vpc, "vpc-0", 16, HEX);
	prng_fill(&rng, sg, "sg-0", 16, HEX);
	prng_fill(&rng, eni, "eni-0", 16, HEX);
	fmt(r->b, ",'requestParameters':{'instancesSet':{'items':[{'imageId':'ami-0%R','minCount':1,'maxCount':1}]},"
		  "'instanceType':'%s','blockDeviceMapping':{},'availabilityZone':'%sa','monitoring':{'enabled':false},"
		  "'subnetId':'%s','disableApiTermination':false,'disableApiStop':false,'clientToken':'%U',"
		  "'iamInstanceProfile':{'name':'app-server-role'},'launchTemplate':{'launchTemplateId':'lt-0%R',"
		  "'version':'$Latest'},'metadataOptions':{'httpTokens':'required','httpPutResponseHopLimit':2}}",
	    16, HEX, PICK(((const char *[]){"t3.medium", "m6i.large", "c7g.xlarge"})), r->region, subnet, 16, HEX);
	fmt(r->b, ",'responseElements':{'requestId':'%U','reservationId':'r-0%R','ownerId':'%s','groupSet':{},"
		  "'instancesSet':{'items':[{'instanceId':'i-0%R','imageId':'ami-0%R','currentInstanceBootMode':'uefi',"
		  "'instanceState':{'code':0,'name':'pending'},'privateDnsName':'ip-10-0-%N-%N.ec2.internal',"
		  "'amiLaunchIndex':0,'productCodes':{},'instanceType':'m6i.large','launchTime':%L,'placement':"
		  "{'availabilityZone':'%sa','tenancy':'default'},'monitoring':{'state':'disabled'},'subnetId':'%s',"
		  "'vpcId':'%s','privateIpAddress':'10.0.%N.%N','stateReason':{'code':'pending','message':'pending'},"
		  "'architecture':'x86_64','rootDeviceType':'ebs','rootDeviceName':'/dev/xvda','blockDeviceMapping':{},"
		  "'virtualizationType':'hvm','clientToken':'%U','groupSet':{'items':[{'groupId':'%s','groupName':"
		  "'app-sg'}]},'sourceDestCheck':true,'hypervisor':'xen','networkInterfaceSet':{'items':[{"
		  "'networkInterfaceId':'%s','subnetId':'%s','vpcId':'%s','ownerId':'%s','status':'in-use',"
		  "'macAddress':'0e:%R:%R:%R:%R:%R','privateIpAddress':'10.0.%N.%N','sourceDestCheck':true,"
		  "'interfaceType':'interface','groupSet':{'items':[{'groupId':'%s','groupName':'app-sg'}]},"
		  "'attachment':{'attachmentId':'eni-attach-0%R','deviceIndex':0,'networkCardIndex':0,'status':"
		  "'attaching','attachTime':%L,'deleteOnTermination':true}}]},'ebsOptimized':true,'enaSupport':true,"
		  "'cpuOptions':{'coreCount':1,'threadsPerCore':2},'capacityReservationSpecification':"
		  "{'capacityReservationPreference':'open'},'enclaveOptions':{'enabled':false},'metadataOptions':"
		  "{'state':'pending','httpTokens':'required','httpPutResponseHopLimit':2,'httpEndpoint':'enabled'},"
		  "'maintenanceOptions':{'autoRecovery':'default'}}]}}",
	    16, HEX, r->a->id, 16, HEX, 16, HEX, 256, 256, (long long)r->t * 1000, r->region, subnet, vpc, 256, 256,
	    sg, eni, subnet, vpc, r->a->id, 2, HEX, 2, HEX, 2, HEX, 2, HEX, 2, HEX, 256, 256, sg, 16, HEX,
	    (long long)r->t * 1000);
	snprintf(r->res, sizeof(r->res),
		 "{\"accountId\":\"%s\",\"type\":\"AWS::EC2::Instance\",\"ARN\":\"arn:aws:ec2:%s:%s:instance/%s\"}",
		 r->a->id, r->region, r->a->id, r->a->instance[0]);
	tail(r, "ec2.amazonaws.com");
}

/* CloudTrail reads. */
static void c_trail_read(struct rec *r)
{
	static const char *const names[] = {"DescribeTrails", "GetTrailStatus", "LookupEvents", "GetEventSelectors"};
	const char *name = PICK(names);
	r->who = rnd(2) ? W_SSO : W_SERVICE;
	head(r, "cloudtrail.amazonaws.com", name, false);
	if (name[0] == 'L')
		fmt(r->b, ",'requestParameters':{'maxResults':50,'lookupAttributes':[{'attributeKey':'ReadOnly',"
			  "'attributeValue':'false'}]},'responseElements':null");
	else
		fmt(r->b, ",'requestParameters':{'trailNameList':[],'includeShadowTrails':true%s},"
			  "'responseElements':null",
		    name[0] == 'G' ? ",'name':'management-events'" : "");
	r->read_only = true;
	tail(r, "cloudtrail.amazonaws.com");
}

/* Benign S3 configuration changes: the same calls some detections watch,
 * with safe values, so a detector must look at the parameters. */
static void c_s3_config_ok(struct rec *r)
{
	char bucket[96], host[160];
	r->who = W_CI;
	bucket_name(bucket, sizeof(bucket), r->a);
	snprintf(host, sizeof(host), "%s.s3.%s.amazonaws.com", bucket, r->region);
	switch (rnd(3)) {
	case 0:
		head(r, "s3.amazonaws.com", "PutBucketPolicy", false);
		fmt(r->b, ",'requestParameters':{'bucketPolicy':{'Version':'2012-10-17','Statement':[{'Sid':"
			  "'AllowAppRole','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::%s:role/app-server-role'},"
			  "'Action':['s3:GetObject','s3:PutObject'],'Resource':'arn:aws:s3:::%s/*'},{'Sid':'DenyInsecure',"
			  "'Effect':'Deny','Principal':'*','Action':'s3:*','Resource':['arn:aws:s3:::%s','arn:aws:s3:::%s/*'],"
			  "'Condition':{'Bool':{'aws:SecureTransport':'false'}}}]},'bucketName':'%s','Host':'%s',"
			  "'policy':''},'responseElements':null",
		    r->a->id, bucket, bucket, bucket, bucket, host);
		break;
	case 1:
		head(r, "s3.amazonaws.com", "PutBucketPublicAccessBlock", false);
		fmt(r->b, ",'requestParameters':{'publicAccessBlock':'','bucketName':'%s','PublicAccessBlockConfiguration':"
			  "{'xmlns':'http://s3.amazonaws.com/doc/2006-03-01/','RestrictPublicBuckets':true,"
			  "'BlockPublicPolicy':true,'BlockPublicAcls':true,'IgnorePublicAcls':true},'Host':'%s'},"
			  "'responseElements':null",
		    bucket, host);
		break;
	default:
		head(r, "s3.amazonaws.com", "PutBucketLogging", false);
		fmt(r->b, ",'requestParameters':{'logging':'','bucketName':'%s','BucketLoggingStatus':{'xmlns':"
			  "'http://s3.amazonaws.com/doc/2006-03-01/','LoggingEnabled':{'TargetBucket':'acme-access-logs-%s',"
			  "'TargetPrefix':'%s/'}},'Host':'%s'},'responseElements':null",
		    bucket, r->a->id, bucket, host);
		break;
	}
	s3_extra(r, 200 + rnd(600), 0);
	r->s3_ids = true;
	r->host = host;
	snprintf(r->res, sizeof(r->res), "{\"accountId\":\"%s\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::%s\"}",
		 r->a->id, bucket);
	tail(r, "s3.amazonaws.com");
}

/* ---- the injected records the detections fire on ---- */

static void attack(struct rec *r, enum hit h)
{
	char bucket[96], host[160];
	bucket_name(bucket, sizeof(bucket), r->a);
	snprintf(host, sizeof(host), "%s.s3.%s.amazonaws.com", bucket, r->region);
	r->who = rnd(2) ? W_USER : W_SSO;
	switch (h) {
	case H_ROOT:
		/* Root doing everyday reads: the use itself is the finding. */
		r->who = W_ROOT;
		r->read_only = true;
		if (rnd(2)) {
			snprintf(host, sizeof(host), "s3.%s.amazonaws.com", r->region);
			head(r, "s3.amazonaws.com", "ListBuckets", false);
			fmt(r->b, ",'requestParameters':{'Host':'%s'},'responseElements':null", host);
			s3_extra(r, 0, 4000 + rnd(3000));
			r->s3_ids = true;
			r->host = host;
			tail(r, "s3.amazonaws.com");
		} else {
			head(r, "ec2.amazonaws.com", rnd(2) ? "DescribeInstances" : "DescribeRegions", false);
			fmt(r->b, ",'requestParameters':{'filterSet':{},'maxResults':1000},'responseElements':null");
			tail(r, "ec2.amazonaws.com");
		}
		return;
	case H_TRAIL: {
		const char *name = rnd(3) ? "StopLogging" : "DeleteTrail";
		head(r, "cloudtrail.amazonaws.com", name, false);
		fmt(r->b, ",'requestParameters':{'name':'arn:aws:cloudtrail:%s:%s:trail/management-events'},"
			  "'responseElements':null",
		    r->region, r->a->id);
		tail(r, "cloudtrail.amazonaws.com");
		return;
	}
	case H_PASSWORD:
		r->host = "iam.amazonaws.com";
		if (rnd(4) == 0) {
			head(r, "iam.amazonaws.com", "DeleteAccountPasswordPolicy", false);
			fmt(r->b, ",'requestParameters':null,'responseElements':null");
		} else {
			const char *lower = rnd(2) ? "true" : "false";
			head(r, "iam.amazonaws.com", "UpdateAccountPasswordPolicy", false);
			fmt(r->b, ",'requestParameters':{'minimumPasswordLength':%d,'requireSymbols':false,"
				  "'requireNumbers':false,'requireUppercaseCharacters':false,"
				  "'requireLowercaseCharacters':%s,'allowUsersToChangePassword':true,'maxPasswordAge':0,"
				  "'passwordReusePrevention':0,'hardExpiry':false},'responseElements':null",
			    6 + (int)rnd(3), lower);
		}
		tail(r, "iam.amazonaws.com");
		return;
	case H_S3_LOGGING:
		head(r, "s3.amazonaws.com", "PutBucketLogging", false);
		fmt(r->b, ",'requestParameters':{'logging':'','bucketName':'%s','BucketLoggingStatus':{'xmlns':"
			  "'http://s3.amazonaws.com/doc/2006-03-01/'},'Host':'%s'},'responseElements':null",
		    bucket, host);
		break;
	case H_S3_PAB:
		head(r, "s3.amazonaws.com", "PutBucketPublicAccessBlock", false);
		fmt(r->b, ",'requestParameters':{'publicAccessBlock':'','bucketName':'%s','PublicAccessBlockConfiguration':"
			  "{'xmlns':'http://s3.amazonaws.com/doc/2006-03-01/','RestrictPublicBuckets':false,"
			  "'BlockPublicPolicy':false,'BlockPublicAcls':%s,'IgnorePublicAcls':false},'Host':'%s'},"
			  "'responseElements':null",
		    bucket, rnd(2) ? "true" : "false", host);
		break;
	case H_S3_POLICY:
		head(r, "s3.amazonaws.com", "PutBucketPolicy", false);
		fmt(r->b, ",'requestParameters':{'bucketPolicy':{'Version':'2012-10-17','Statement':[{'Sid':'PublicRead',"
			  "'Effect':'Allow','Principal':%s,'Action':['s3:GetObject'],'Resource':'arn:aws:s3:::%s/*'}]},"
			  "'bucketName':'%s','Host':'%s','policy':''},'responseElements':null",
		    rnd(2) ? "'*'" : "{'AWS':'*'}", bucket, bucket, host);
		break;
	case H_BEDROCK:
		head(r, "bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", false);
		fmt(r->b, ",'requestParameters':null,'responseElements':null");
		tail(r, "bedrock.amazonaws.com");
		return;
	case H_KALI:
	default:
		/* Reconnaissance with stolen long-term keys from a Kali box. */
		r->who = W_USER;
		r->ua = UA_KALI;
		r->read_only = true;
		if (rnd(2)) {
			head(r, "sts.amazonaws.com", "GetCallerIdentity", false);
			fmt(r->b, ",'requestParameters':null,'responseElements':null");
			tail(r, "sts.amazonaws.com");
		} else {
			head(r, "ec2.amazonaws.com", "DescribeInstances", false);
			fmt(r->b, ",'requestParameters':{'instancesSet':{},'filterSet':{}},'responseElements':null");
			tail(r, "ec2.amazonaws.com");
		}
		return;
	}
	/* The S3 configuration changes share their tail. */
	s3_extra(r, 200 + rnd(600), 0);
	r->s3_ids = true;
	r->host = host;
	snprintf(r->res, sizeof(r->res), "{\"accountId\":\"%s\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::%s\"}",
		 r->a->id, bucket);
	tail(r, "s3.amazonaws.com");
}

/* ---- the call mix ---- */

struct call {
	int weight;              /* per mille, roughly */
	bool global;             /* IAM-style: us-east-1 only */
	void (*write)(struct rec *r);
};

static const struct call CALLS[] = {
	{150, false, c_get_object},   {50, false, c_put_object},      {150, false, c_kms},
	{80, false, c_assume_role},   {110, false, c_ec2_describe},   {70, false, c_whoami},
	{60, false, c_log_stream},    {70, false, c_s3_bucket_read},  {110, false, c_app_reads},
	{40, true, c_iam_read},       {6, false, c_console_login},    {4, false, c_run_instances},
	{30, false, c_trail_read},    {8, false, c_s3_config_ok},
};

/* One injected record per this many, on average (about 0.3 %). */
#define ATTACK_ONE_IN 330

static enum hit write_record(struct buf *b, const struct account *a, const char *region, int64_t t)
{
	static int total_weight;
	struct rec r = {.b = b, .a = a, .region = region, .t = t};
	if (!total_weight)
		for (size_t i = 0; i < ARRAY_LEN(CALLS); i++)
			total_weight += CALLS[i].weight;
	r.actor = (int)rnd(ARRAY_LEN(USERS));
	if (rnd(ATTACK_ONE_IN) == 0) {
		enum hit h = (enum hit)(1 + rnd(H_COUNT - 1));
		if (h == H_PASSWORD && strcmp(region, "us-east-1") != 0)
			h = H_S3_POLICY; /* IAM calls are logged in us-east-1 only */
		attack(&r, h);
		return h;
	}
	for (;;) {
		int x = (int)rnd((uint32_t)total_weight);
		for (size_t i = 0; i < ARRAY_LEN(CALLS); i++) {
			if ((x -= CALLS[i].weight) >= 0)
				continue;
			if (CALLS[i].global && strcmp(region, "us-east-1") != 0)
				break; /* pick again */
			CALLS[i].write(&r);
			return H_NONE;
		}
	}
}

/* ---- files ---- */

int main(int argc, char **argv)
{
	const char *out;
	long long want, done = 0, files = 0, raw_total = 0, gz_total = 0, hits[H_COUNT] = {0};
	uint64_t seed = 1;
	int64_t t, step;
	struct buf doc = {0};
	size_t gz_cap = 0;
	unsigned char *gz = NULL;
	char dir[512], last_dir[512] = "", path[640];
	struct libdeflate_compressor *c;
	FILE *tsv, *mf;

	if (argc < 3 || argc > 4 || (want = atoll(argv[2])) <= 0) {
		fprintf(stderr, "usage: %s OUTDIR RECORDS [SEED]\n", argv[0]);
		return 2;
	}
	out = argv[1];
	if (argc == 4)
		seed = strtoull(argv[3], NULL, 10);
	prng_seed(&rng, seed);
	make_world();

	/* Level 6 is what gzip and AWS's own writers default to. */
	c = libdeflate_alloc_compressor(6);
	snprintf(path, sizeof(path), "%s", out);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/files.tsv", out);
	if (!c || !(tsv = fopen(path, "w"))) {
		perror(path);
		return 1;
	}

	/* A week of deliveries, whatever the size: files get denser as RECORDS grows.
	 * 2024-03-01T00:00:00Z is the start. */
	t = 1709251200;
	step = (int64_t)7 * 86400 / (want / 300 + 1);
	if (step < 1)
		step = 1;

	while (done < want) {
		int ai = prng_weighted(&rng, ACCOUNT_WEIGHT, N_ACCOUNTS);
		int ri = prng_weighted(&rng, REGION_WEIGHT, ARRAY_LEN(REGIONS));
		const struct account *a = &accounts[ai];
		const char *region = REGIONS[ri];
		long long n = 100 + rnd(401), file_hits = 0;
		struct tm tm;
		time_t tt;
		size_t gz_len;

		if (n > want - done)
			n = want - done;
		t += 1 + (int64_t)rnd((uint32_t)(2 * step));
		tt = (time_t)t;
		gmtime_r(&tt, &tm);

		doc.len = 0;
		put(&doc, "{\"Records\":[", 12);
		for (long long i = 0; i < n; i++) {
			enum hit h;
			if (i)
				put(&doc, ",", 1);
			/* Events reach a file up to about 15 minutes after they happen. */
			h = write_record(&doc, a, region, t - 60 - (int64_t)rnd(840));
			if (h != H_NONE) {
				hits[h]++;
				file_hits++;
			}
		}
		put(&doc, "]}", 2);

		if (libdeflate_gzip_compress_bound(c, doc.len) > gz_cap) {
			gz_cap = libdeflate_gzip_compress_bound(c, doc.len) * 2;
			gz = realloc(gz, gz_cap);
		}
		gz_len = libdeflate_gzip_compress(c, doc.p, doc.len, gz, gz_cap);
		if (!gz || !gz_len) {
			fprintf(stderr, "compression failed\n");
			return 1;
		}

		snprintf(dir, sizeof(dir), "%s/AWSLogs/%s/CloudTrail/%s/%04d/%02d/%02d", out, a->id, region,
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		if (strcmp(dir, last_dir) != 0) {
			mkdirs(dir);
			snprintf(last_dir, sizeof(last_dir), "%s", dir);
		}
		{
			char rand16[17];
			prng_fill(&rng, rand16, "", 16, ALNUM);
			snprintf(path, sizeof(path), "%s/%s_CloudTrail_%s_%04d%02d%02dT%02d%02dZ_%s.json.gz", dir, a->id,
				 region, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, rand16);
		}
		{
			FILE *f = fopen(path, "wb");
			if (!f || fwrite(gz, 1, gz_len, f) != gz_len || fclose(f) != 0) {
				perror(path);
				return 1;
			}
		}
		fprintf(tsv, "%s\t%lld\t%zu\t%lld\n", path + strlen(out) + 1, n, doc.len, file_hits);
		done += n;
		files++;
		raw_total += (long long)doc.len;
		gz_total += (long long)gz_len;
	}
	if (fclose(tsv) != 0)
		return 1;

	snprintf(path, sizeof(path), "%s/MANIFEST", out);
	if (!(mf = fopen(path, "w"))) {
		perror(path);
		return 1;
	}
	fprintf(mf, "records=%lld\nseed=%llu\nfiles=%lld\ncompressed_bytes=%lld\nuncompressed_bytes=%lld\n", done,
		(unsigned long long)seed, files, gz_total, raw_total);
	long long all = 0;
	for (int h = 1; h < H_COUNT; h++) {
		fprintf(mf, "hits.%s=%lld\n", HIT_NAME[h], hits[h]);
		all += hits[h];
	}
	fprintf(mf, "hits=%lld\ncomplete=1\n", all);
	if (fclose(mf) != 0)
		return 1;

	printf("files %lld, records %lld, hits %lld, bytes %lld compressed, %lld uncompressed (%.0f B/record, "
	       "ratio %.1f)\n",
	       files, done, all, gz_total, raw_total, (double)raw_total / (double)done,
	       (double)raw_total / (double)gz_total);
	libdeflate_free_compressor(c);
	free(doc.p);
	free(gz);
	return 0;
}
