// duckdb_detect.mjs -- the DuckDB peer for bench/run: the benchmark's
// detections (bench/detections.jq) as one SQL query over the same
// CloudTrail delivery files, run by the engine the @duckdb/node-api
// package ships.
//
//   node duckdb_detect.mjs DIR [--threads N] [--schema typed|auto]
//
// DuckDB's JSON reader takes each {"Records":[...]} file as one row; the
// query unnests Records into one row per event.  --schema typed (the
// default) names only the fields the detections read, with the variable
// requestParameters kept as JSON; --schema auto lets DuckDB infer the whole
// record type (slower: every field is converted).
//
// Prints "records N hits H seconds S" on stdout (S is the query's own
// time; start-up is not included), and the hits per finding type on stderr.
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
let dir = null;
let threads = 2;
let schema = 'typed';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--schema') schema = args[++i];
  else dir = args[i];
}
if (!dir || !['typed', 'auto'].includes(schema) || !(threads > 0)) {
  console.error('usage: node duckdb_detect.mjs DIR [--threads N] [--schema typed|auto]');
  process.exit(2);
}

const sq = (s) => `'${s.replaceAll("'", "''")}'`;
const glob = sq(`${dir.replace(/\/+$/, '')}/**/*.json.gz`);

// The record fields the detections read.  Anything else in the file is
// skipped by the reader; requestParameters varies by call, so it stays JSON.
const recordType =
  'STRUCT(eventID VARCHAR, eventSource VARCHAR, eventName VARCHAR, eventType VARCHAR, ' +
  'userAgent VARCHAR, userIdentity STRUCT("type" VARCHAR, invokedBy VARCHAR), requestParameters JSON)';
const source =
  schema === 'typed'
    ? `read_json(${glob}, format = 'auto', compression = 'gzip', maximum_object_size = 268435456, ` +
      `columns = {Records: '${recordType}[]'})`
    : `read_json(${glob}, format = 'auto', compression = 'gzip', maximum_object_size = 268435456)`;

// requestParameters as JSON text (the auto schema infers a MAP of JSON).
const rp = schema === 'typed' ? 'e.requestParameters' : 'to_json(e.requestParameters)';
const str = (path) => `json_extract_string(${rp}, '${path}')`;

// One CASE per detection, same logic as bench/detections.jq.
const detections = [
  // The root user acting, not a service acting for it.
  `CASE WHEN e.userIdentity."type" = 'Root' AND e.userIdentity.invokedBy IS NULL
        AND e.eventType IS DISTINCT FROM 'AwsServiceEvent'
   THEN 'Policy:IAMUser/RootCredentialUsage' END`,
  // CloudTrail logging switched off or removed.
  `CASE WHEN e.eventSource = 'cloudtrail.amazonaws.com' AND e.eventName IN ('StopLogging', 'DeleteTrail')
   THEN 'Stealth:IAMUser/CloudTrailLoggingDisabled' END`,
  // The account password policy removed, or weakened below CIS.
  `CASE WHEN e.eventSource = 'iam.amazonaws.com' AND (e.eventName = 'DeleteAccountPasswordPolicy'
        OR (e.eventName = 'UpdateAccountPasswordPolicy'
            AND (coalesce(TRY_CAST(${str('$.minimumPasswordLength')} AS INTEGER), 0) < 14
                 OR ${str('$.requireSymbols')} IS DISTINCT FROM 'true'
                 OR ${str('$.requireNumbers')} IS DISTINCT FROM 'true'
                 OR ${str('$.requireUppercaseCharacters')} IS DISTINCT FROM 'true'
                 OR ${str('$.requireLowercaseCharacters')} IS DISTINCT FROM 'true')))
   THEN 'Stealth:IAMUser/PasswordPolicyChange' END`,
  // S3 server access logging switched off.
  `CASE WHEN e.eventSource = 's3.amazonaws.com' AND e.eventName = 'PutBucketLogging'
        AND json_type(${rp}, '$.BucketLoggingStatus') = 'OBJECT'
        AND json_extract(${rp}, '$.BucketLoggingStatus.LoggingEnabled') IS NULL
   THEN 'Stealth:S3/ServerAccessLoggingDisabled' END`,
  // Block Public Access turned (partly) off, on a bucket or the account.
  `CASE WHEN e.eventSource IN ('s3.amazonaws.com', 's3control.amazonaws.com')
        AND e.eventName LIKE 'Put%PublicAccessBlock'
        AND list_contains([${str('$.PublicAccessBlockConfiguration.BlockPublicAcls')},
                           ${str('$.PublicAccessBlockConfiguration.IgnorePublicAcls')},
                           ${str('$.PublicAccessBlockConfiguration.BlockPublicPolicy')},
                           ${str('$.PublicAccessBlockConfiguration.RestrictPublicBuckets')}], 'false')
   THEN 'Policy:S3/BucketBlockPublicAccessDisabled' END`,
  // A bucket policy that allows everyone ("*" or {"AWS": "*"}).  Statement
  // may be one object or an array; so may Principal.AWS.
  `CASE WHEN e.eventSource = 's3.amazonaws.com' AND e.eventName = 'PutBucketPolicy'
        AND len(list_filter(
              CASE WHEN json_type(${rp}, '$.bucketPolicy.Statement') = 'ARRAY'
                   THEN json_extract(${rp}, '$.bucketPolicy.Statement[*]')
                   ELSE [json_extract(${rp}, '$.bucketPolicy.Statement')] END,
              lambda st: json_extract_string(st, '$.Effect') = 'Allow'
                AND (json_extract_string(st, '$.Principal') = '*'
                     OR json_extract_string(st, '$.Principal.AWS') = '*'
                     OR list_contains(json_extract_string(st, '$.Principal.AWS[*]'), '*')))) > 0
   THEN 'Policy:S3/BucketAnonymousAccessGranted' END`,
  // Bedrock model invocation logging deleted.
  `CASE WHEN e.eventSource = 'bedrock.amazonaws.com' AND e.eventName = 'DeleteModelInvocationLoggingConfiguration'
   THEN 'DefenseEvasion:IAMUser/BedrockLoggingDisabled' END`,
  // Calls from penetration-testing distributions, named in the user agent.
  `CASE WHEN regexp_matches(e.userAgent, 'kali|parrot|pentoo', 'i') THEN
     CASE WHEN regexp_matches(e.userAgent, 'kali', 'i') THEN 'PenTest:IAMUser/KaliLinux'
          WHEN regexp_matches(e.userAgent, 'parrot', 'i') THEN 'PenTest:IAMUser/ParrotLinux'
          ELSE 'PenTest:IAMUser/PentooLinux' END END`,
];

const sql = `
WITH ev AS (SELECT unnest(Records) AS e FROM ${source}),
     typed AS (SELECT e.eventID AS key,
                      list_filter([${detections.join(',\n')}], lambda t: t IS NOT NULL) AS types
               FROM ev)
SELECT count(*) AS records,
       flatten(coalesce(list(types) FILTER (WHERE len(types) > 0), [])) AS hits
FROM typed`;

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const t0 = performance.now();
const reader = await con.runAndReadAll(sql);
const seconds = (performance.now() - t0) / 1000;
const [row] = reader.getRowObjectsJson();
const hits = row.hits ?? [];
const byType = {};
for (const t of hits) byType[t] = (byType[t] ?? 0) + 1;
for (const [t, n] of Object.entries(byType).sort()) console.error(`${n}\t${t}`);
console.log(`records ${row.records} hits ${hits.length} seconds ${seconds.toFixed(3)}`);
