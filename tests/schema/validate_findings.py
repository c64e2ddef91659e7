#!/usr/bin/env python3
"""Validate vigil findings against GuardDuty's own `Finding` shape.

The shape comes from the GuardDuty service model that botocore ships
(Debian: python3-botocore), so the check is against AWS's definition and not
against a second, hand-written list of fields.

Usage:
    vigil scan --format jsonl ... | validate_findings.py
    validate_findings.py [--min-count N] [FILE...]   # JSON lines or {"findings":[...]}
    validate_findings.py --self-test                 # the validator checks itself

What is checked, walking the model's shapes from `Finding` down:
  * keys are the members' `locationName` (else the member name); a key that is
    not a member is an error, except inside `service.additionalInfo`, which
    GuardDuty fills with free-form keys on the wire (there only `value` and
    `type`, when present, must be strings);
  * every `required` member is present; JSON null is never accepted (omit the key);
  * types: string (enum, min/max length), boolean, integer/long (JSON integer,
    min/max), double/float (JSON number), timestamp (ISO-8601 string, or epoch
    seconds as rest-json sends them), list (array, min/max, members), map
    (object, keys and values), structure (object);
  * wire conventions the model leaves as plain strings: createdAt, updatedAt,
    service.eventFirstSeen/eventLastSeen are ISO-8601; severity is in (0, 10];
    type looks like ThreatPurpose:ResourceType/ThreatFamily; arn names the
    finding's region, account, detector and id; resourceType has its details;
    action.actionType matches the action variant present.

Exit status: 0 all valid, 1 violations found, 2 cannot run (no model, bad input).
Standard library only.
"""

import gzip
import json
import math
import os
import re
import sys

DEBIAN_MODEL_DIR = "/usr/lib/python3/dist-packages/botocore/data/guardduty/2017-11-28"

ISO8601 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$")
FINDING_TYPE = re.compile(r"^[A-Za-z0-9]+:[A-Za-z0-9]+/[A-Za-z0-9.!&_-]+$")
FINDING_ARN = re.compile(
    r"^arn:(aws[a-z-]*):guardduty:([^:]+):([^:]+):detector/([^/]+)/finding/(.+)$")

# resourceType -> the Resource member (JSON key) that must carry its details.
RESOURCE_DETAILS = {
    "AccessKey": "accessKeyDetails",
    "S3Bucket": "s3BucketDetails",
    "Instance": "instanceDetails",
}
# actionType -> the Action member (JSON key) that must be present.
ACTION_VARIANTS = {
    "AWS_API_CALL": "awsApiCallAction",
    "NETWORK_CONNECTION": "networkConnectionAction",
    "PORT_PROBE": "portProbeAction",
    "DNS_REQUEST": "dnsRequestAction",
    "KUBERNETES_API_CALL": "kubernetesApiCallAction",
    "RDS_LOGIN_ATTEMPT": "rdsLoginAttemptAction",
}

# Shapes whose JSON object may hold keys that are not model members.
FREE_FORM_SHAPES = {"ServiceAdditionalInfo"}

# Members that later GuardDuty models added (model 1.43.11, as quoted in
# shared/reference/guardduty.md section 3.5) but Debian's botocore 1.29 does
# not have yet: shape -> {json key: (member name, shape name)}.
NEWER_MEMBERS = {
    "DnsRequestAction": {
        "domainWithSuffix": ("DomainWithSuffix", "String"),
        "vpcOwnerAccountId": ("VpcOwnerAccountId", "String"),
    },
}


# --------------------------------------------------------------------------
# Loading the model


class ModelError(Exception):
    pass


def _read_json_maybe_gz(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _model_in(data_dir):
    """Newest GuardDuty service-2.json[.gz] under a botocore data dir."""
    gd = os.path.join(data_dir, "guardduty")
    if not os.path.isdir(gd):
        return None
    for version in sorted(os.listdir(gd), reverse=True):
        for name in ("service-2.json", "service-2.json.gz"):
            p = os.path.join(gd, version, name)
            if os.path.isfile(p):
                return p
    return None


def _debian_botocore_version():
    init = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(DEBIAN_MODEL_DIR))),
                        "__init__.py")
    try:
        with open(init, encoding="utf-8") as f:
            m = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)", f.read(), re.M)
            return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


def load_model(explicit=None):
    """Return (shapes, botocore_version, model_path)."""
    candidates = []
    if explicit:
        candidates.append((explicit, "unknown"))
    else:
        try:
            import botocore  # noqa: PLC0415 (optional dependency)
            p = _model_in(os.path.join(os.path.dirname(botocore.__file__), "data"))
            if p:
                candidates.append((p, getattr(botocore, "__version__", "unknown")))
        except Exception:  # noqa: BLE001 (no botocore on this Python: use the fallback)
            pass
        for name in ("service-2.json", "service-2.json.gz"):
            p = os.path.join(DEBIAN_MODEL_DIR, name)
            if os.path.isfile(p):
                candidates.append((p, _debian_botocore_version()))
    for path, version in candidates:
        try:
            model = _read_json_maybe_gz(path)
        except (OSError, ValueError) as e:
            raise ModelError("cannot read %s: %s" % (path, e)) from e
        shapes = model.get("shapes", {})
        if "Finding" not in shapes:
            raise ModelError("%s has no Finding shape" % path)
        return shapes, version, path
    raise ModelError(
        "GuardDuty service model not found: install python3-botocore "
        "(expected %s/service-2.json)" % DEBIAN_MODEL_DIR)


# --------------------------------------------------------------------------
# Validation


def _kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def _join(path, key):
    return key if not path else path + "." + key


class Validator:
    def __init__(self, shapes):
        self.shapes = shapes
        self._members = {}  # shape name -> {json key: (member name, shape name)}

    def members(self, shape_name):
        m = self._members.get(shape_name)
        if m is None:
            m = {}
            for name, mem in self.shapes[shape_name].get("members", {}).items():
                m[mem.get("locationName", name)] = (name, mem["shape"])
            for key, member in NEWER_MEMBERS.get(shape_name, {}).items():
                if member[1] in self.shapes:
                    m.setdefault(key, member)
            self._members[shape_name] = m
        return m

    # Returns a list of (path, problem).
    def validate_finding(self, finding):
        errs = []
        self._check(finding, "Finding", "", errs)
        if isinstance(finding, dict):
            self._conventions(finding, errs)
        return errs

    def _check(self, v, shape_name, path, errs):
        shape = self.shapes[shape_name]
        t = shape["type"]
        where = path or "(finding)"
        if v is None:
            errs.append((where, "null is not a %s (omit the key instead)" % t))
            return
        if t == "structure":
            if not isinstance(v, dict):
                errs.append((where, "expected object (%s), got %s" % (shape_name, _kind(v))))
                return
            self._structure(v, shape_name, shape, path, errs)
        elif t == "list":
            if not isinstance(v, list):
                errs.append((where, "expected array (%s), got %s" % (shape_name, _kind(v))))
                return
            self._bounds(len(v), shape, where, "array length", errs)
            for i, item in enumerate(v):
                self._check(item, shape["member"]["shape"], "%s[%d]" % (path, i), errs)
        elif t == "map":
            if not isinstance(v, dict):
                errs.append((where, "expected object (map %s), got %s" % (shape_name, _kind(v))))
                return
            self._bounds(len(v), shape, where, "map size", errs)
            for k, item in v.items():
                self._check(k, shape["key"]["shape"], "%s{%s}" % (where, k), errs)
                self._check(item, shape["value"]["shape"], "%s[%s]" % (where, json.dumps(k)), errs)
        elif t == "string":
            if not isinstance(v, str):
                errs.append((where, "expected string, got %s %s" % (_kind(v), json.dumps(v)[:40])))
                return
            if "enum" in shape and v not in shape["enum"]:
                errs.append((where, "%s is not one of %s (%s)" % (
                    json.dumps(v), "|".join(shape["enum"]), shape_name)))
            self._bounds(len(v), shape, where, "string length", errs)
            if "pattern" in shape:
                try:
                    if not re.search(shape["pattern"], v):
                        errs.append((where, "%s does not match pattern %s" % (
                            json.dumps(v), shape["pattern"])))
                except re.error:
                    pass  # a Java-only regex; the model's other checks still apply
        elif t == "boolean":
            if not isinstance(v, bool):
                errs.append((where, "expected boolean, got %s %s" % (_kind(v), json.dumps(v)[:40])))
        elif t in ("integer", "long"):
            if isinstance(v, bool) or not isinstance(v, int):
                errs.append((where, "expected integer (%s), got %s %s" % (
                    t, _kind(v), json.dumps(v)[:40])))
                return
            self._bounds(v, shape, where, "value", errs)
        elif t in ("double", "float"):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                errs.append((where, "expected number (%s), got %s %s" % (
                    t, _kind(v), json.dumps(v)[:40])))
                return
            if isinstance(v, float) and not math.isfinite(v):
                errs.append((where, "number is not finite"))
        elif t == "timestamp":
            if isinstance(v, str):
                if not ISO8601.match(v):
                    errs.append((where, "timestamp %s is not ISO-8601" % json.dumps(v)))
            elif isinstance(v, bool) or not isinstance(v, (int, float)):
                errs.append((where, "expected timestamp (ISO-8601 string or epoch seconds), got %s"
                             % _kind(v)))
        elif t == "blob":
            if not isinstance(v, str):
                errs.append((where, "expected base64 string (blob), got %s" % _kind(v)))
        else:
            errs.append((where, "model shape %s has unsupported type %s" % (shape_name, t)))

    def _bounds(self, n, shape, where, what, errs):
        if "min" in shape and n < shape["min"]:
            errs.append((where, "%s %s is below the model minimum %s" % (what, n, shape["min"])))
        if "max" in shape and n > shape["max"]:
            errs.append((where, "%s %s is above the model maximum %s" % (what, n, shape["max"])))

    def _structure(self, v, shape_name, shape, path, errs):
        members = self.members(shape_name)
        free = shape_name in FREE_FORM_SHAPES
        for key, item in v.items():
            if key not in members:
                if not free:
                    errs.append((_join(path, key), "unknown key (not a member of %s)" % shape_name))
                continue
            self._check(item, members[key][1], _join(path, key), errs)
        by_name = {name: key for key, (name, _) in members.items()}
        for req in shape.get("required", []):
            key = by_name.get(req, req)
            if key not in v:
                errs.append((_join(path, key), "required member missing (%s.%s)" % (shape_name, req)))

    # Checks the model cannot express: GuardDuty's conventions on the wire.
    def _conventions(self, f, errs):
        def iso(path, val):
            if isinstance(val, str) and not ISO8601.match(val):
                errs.append((path, "%s is not an ISO-8601 time" % json.dumps(val)))

        iso("createdAt", f.get("createdAt"))
        iso("updatedAt", f.get("updatedAt"))
        svc = f.get("service")
        if isinstance(svc, dict):
            iso("service.eventFirstSeen", svc.get("eventFirstSeen"))
            iso("service.eventLastSeen", svc.get("eventLastSeen"))
            if (isinstance(svc.get("eventFirstSeen"), str) and isinstance(svc.get("eventLastSeen"), str)
                    and ISO8601.match(svc["eventFirstSeen"]) and ISO8601.match(svc["eventLastSeen"])
                    and svc["eventFirstSeen"] > svc["eventLastSeen"]
                    and svc["eventFirstSeen"][-1] == svc["eventLastSeen"][-1] == "Z"):
                errs.append(("service.eventFirstSeen", "is later than eventLastSeen"))
            c = svc.get("count")
            if isinstance(c, int) and not isinstance(c, bool) and c < 1:
                errs.append(("service.count", "count %d is below 1" % c))
            act = svc.get("action")
            if isinstance(act, dict) and isinstance(act.get("actionType"), str):
                want = ACTION_VARIANTS.get(act["actionType"])
                if want is None:
                    errs.append(("service.action.actionType", "unknown actionType %s (one of %s)" % (
                        json.dumps(act["actionType"]), "|".join(ACTION_VARIANTS))))
                elif want not in act:
                    errs.append(("service.action." + want,
                                 "missing for actionType %s" % act["actionType"]))
        sev = f.get("severity")
        if isinstance(sev, (int, float)) and not isinstance(sev, bool) and not 0 < sev <= 10:
            errs.append(("severity", "%s is outside (0, 10]" % sev))
        t = f.get("type")
        if isinstance(t, str) and not FINDING_TYPE.match(t):
            errs.append(("type", "%s is not ThreatPurpose:ResourceType/ThreatFamily" % json.dumps(t)))
        arn = f.get("arn")
        if isinstance(arn, str):
            m = FINDING_ARN.match(arn)
            if not m:
                errs.append(("arn", "%s is not arn:aws:guardduty:REGION:ACCOUNT:detector/ID/finding/ID"
                             % json.dumps(arn)))
            else:
                part, region, account, det, fid = m.groups()
                exp = [("partition", part, f.get("partition")), ("region", region, f.get("region")),
                       ("accountId", account, f.get("accountId")), ("id", fid, f.get("id")),
                       ("service.detectorId", det,
                        svc.get("detectorId") if isinstance(svc, dict) else None)]
                for name, in_arn, actual in exp:
                    if actual is not None and in_arn != actual:
                        errs.append(("arn", "names %s %s but the finding has %s" % (
                            name, json.dumps(in_arn), json.dumps(actual))))
        res = f.get("resource")
        if isinstance(res, dict) and isinstance(res.get("resourceType"), str):
            want = RESOURCE_DETAILS.get(res["resourceType"])
            # Account-level S3 findings (Policy:S3/AccountBlockPublicAccessDisabled)
            # keep resourceType S3Bucket but name no bucket: the actor's key instead.
            if want == "s3BucketDetails" and isinstance(t, str) and ":S3/Account" in t:
                want = "accessKeyDetails"
            if want and not res.get(want):
                errs.append(("resource." + want, "missing or empty for resourceType %s"
                             % res["resourceType"]))


# --------------------------------------------------------------------------
# Input


class InputError(Exception):
    pass


def _reject_constant(name):
    raise ValueError("%s is not valid JSON" % name)


def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key %s" % json.dumps(k))
        d[k] = v
    return d


def _loads(text):
    return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)


def parse_findings(text, source):
    """A {"findings":[...]} document, a JSON array, or JSON lines."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        doc = _loads(stripped)
    except ValueError:
        doc = None
        multi = True
    else:
        multi = False
    if not multi:
        if isinstance(doc, dict) and set(doc) == {"findings"}:
            if not isinstance(doc["findings"], list):
                raise InputError("%s: \"findings\" is not an array" % source)
            return doc["findings"]
        if isinstance(doc, list):
            return doc
        return [doc]
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_loads(line))
        except ValueError as e:
            raise InputError("%s: line %d: not JSON: %s: %.80s" % (source, lineno, e, line)) from e
    return out


def run(findings, validator, out=sys.stdout):
    """Print violations; return how many findings had any."""
    bad = 0
    for n, f in enumerate(findings, 1):
        t = f.get("type") if isinstance(f, dict) else None
        errs = validator.validate_finding(f)
        if errs:
            bad += 1
        for path, problem in errs:
            print("finding %d (type %s): %s: %s" % (n, t if isinstance(t, str) else "?", path, problem),
                  file=out)
    return bad


# --------------------------------------------------------------------------
# Self-test


def _good_api_call():
    return {
        "schemaVersion": "2.0",
        "accountId": "123456789012",
        "region": "us-east-1",
        "partition": "aws",
        "id": "0123456789abcdef0123456789abcdef",
        "arn": "arn:aws:guardduty:us-east-1:123456789012:detector/"
               "d0000000000000000000000000000000/finding/0123456789abcdef0123456789abcdef",
        "type": "Stealth:IAMUser/CloudTrailLoggingDisabled",
        "resource": {
            "resourceType": "AccessKey",
            "accessKeyDetails": {"accessKeyId": "AKIAEXAMPLE", "principalId": "AIDAEXAMPLE",
                                 "userName": "alice", "userType": "IAMUser"},
        },
        "service": {
            "serviceName": "guardduty",
            "detectorId": "d0000000000000000000000000000000",
            "action": {
                "actionType": "AWS_API_CALL",
                "awsApiCallAction": {
                    "api": "StopLogging", "serviceName": "cloudtrail.amazonaws.com",
                    "callerType": "Remote IP", "userAgent": "aws-cli/2.0",
                    "errorCode": "AccessDenied",
                    "remoteIpDetails": {"ipAddressV4": "198.51.100.7",
                                        "geoLocation": {"lat": 0.0, "lon": 0},
                                        "organization": {"asn": "16509", "asnOrg": "AMAZON-02"}},
                    "affectedResources": {"AWS::CloudTrail::Trail": "arn:aws:cloudtrail:::trail/t"},
                },
            },
            "resourceRole": "TARGET",
            "additionalInfo": {"value": "{\"sample\":true}", "type": "default",
                               "sample": True, "unusual": {"anything": [1, 2]}},
            "evidence": {"threatIntelligenceDetails": [
                {"threatListName": "list", "threatNames": ["bad"]}]},
            "eventFirstSeen": "2024-07-31T10:00:00Z",
            "eventLastSeen": "2024-07-31T10:05:00.123Z",
            "archived": False,
            "count": 2,
        },
        "severity": 2,
        "createdAt": "2024-07-31T10:00:01.000Z",
        "updatedAt": "2024-07-31T10:05:01.000Z",
        "title": "CloudTrail logging disabled.",
        "description": "A trail was stopped.",
    }


def _good_s3():
    f = _good_api_call()
    f["type"] = "Policy:S3/BucketBlockPublicAccessDisabled"
    f["severity"] = 5.5
    f["resource"] = {
        "resourceType": "S3Bucket",
        "accessKeyDetails": {"accessKeyId": "ASIAEXAMPLE", "principalId": "AROAEXAMPLE:s",
                             "userName": "role", "userType": "AssumedRole"},
        "s3BucketDetails": [{"name": "bucket", "arn": "arn:aws:s3:::bucket", "type": "Destination",
                             "createdAt": 1513612692.5, "owner": {"id": "abc"},
                             "tags": [{"key": "k", "value": "v"}]}],
    }
    return f


def _good_dns():
    f = _good_api_call()
    f["type"] = "Trojan:EC2/BlackholeTraffic!DNS"
    f["resource"] = {"resourceType": "Instance", "instanceDetails": {
        "instanceId": "i-99999999", "launchTime": "2016-08-02T02:05:06.000Z",
        "networkInterfaces": [{"networkInterfaceId": "eni-1", "ipv6Addresses": [],
                               "privateIpAddresses": [{"privateIpAddress": "10.0.0.1"}],
                               "securityGroups": [{"groupId": "sg-1", "groupName": "g"}]}],
        "tags": [{"key": "k", "value": "v"}]}}
    f["service"]["action"] = {"actionType": "DNS_REQUEST", "dnsRequestAction": {
        "domain": "example.com", "protocol": "UDP", "blocked": True}}
    return f


def _mutate(make, fn):
    f = make()
    fn(f)
    return f


def _self_test(shapes, version):
    v = Validator(shapes)
    failures = []

    def _account_s3():
        f = _good_api_call()
        f["type"] = "Policy:S3/AccountBlockPublicAccessDisabled"
        f["resource"]["resourceType"] = "S3Bucket"
        return f

    for name, make in (("api-call", _good_api_call), ("s3", _good_s3), ("dns", _good_dns),
                       ("account-level s3", _account_s3)):
        errs = v.validate_finding(make())
        if errs:
            failures.append("good finding %s rejected: %s" % (name, errs))

    def setp(path, value):
        def fn(f):
            cur = f
            for k in path[:-1]:
                cur = cur[k]
            cur[path[-1]] = value
        return fn

    def delp(path):
        def fn(f):
            cur = f
            for k in path[:-1]:
                cur = cur[k]
            del cur[path[-1]]
        return fn

    A = ("service", "action", "awsApiCallAction")
    bad_cases = [
        # (description, mutation, expected substring in a reported "path: problem")
        ("unknown top-level key", setp(("Severity",), 5), "Severity: unknown key"),
        ("unknown nested key", setp(A + ("apiName",), "x"),
         "service.action.awsApiCallAction.apiName: unknown key"),
        ("PascalCase instead of camelCase", setp(("resource", "AccessKeyDetails"), {}),
         "resource.AccessKeyDetails: unknown key"),
        ("missing required accountId", delp(("accountId",)), "accountId: required member missing"),
        ("missing required resource", delp(("resource",)), "resource: required member missing"),
        ("severity as string", setp(("severity",), "5"), "severity: expected number"),
        ("severity as boolean", setp(("severity",), True), "severity: expected number"),
        ("severity out of range", setp(("severity",), 11), "severity: 11 is outside"),
        ("count as float", setp(("service", "count"), 1.5), "service.count: expected integer"),
        ("count below one", setp(("service", "count"), 0), "service.count: count 0"),
        ("archived as string", setp(("service", "archived"), "false"),
         "service.archived: expected boolean"),
        ("null value", setp(A + ("errorCode",), None), "errorCode: null"),
        ("list expected", setp(("resource", "s3BucketDetails"), {"name": "b"}),
         "resource.s3BucketDetails: expected array"),
        ("bad list member", setp(("service", "evidence", "threatIntelligenceDetails"), [{"x": 1}]),
         "threatIntelligenceDetails[0].x: unknown key"),
        ("map value type", setp(A + ("affectedResources",), {"k": 1}),
         "affectedResources[\"k\"]: expected string"),
        ("additionalInfo value not a string", setp(("service", "additionalInfo", "value"), {"a": 1}),
         "service.additionalInfo.value: expected string"),
        ("additionalInfo type not a string", setp(("service", "additionalInfo", "type"), 3),
         "service.additionalInfo.type: expected string"),
        ("createdAt not ISO-8601", setp(("createdAt",), "31/07/2024 10:00"),
         "createdAt: \"31/07/2024 10:00\" is not an ISO-8601"),
        ("createdAt as epoch number", setp(("createdAt",), 1722420000),
         "createdAt: expected string"),
        ("eventLastSeen before eventFirstSeen", setp(("service", "eventLastSeen"), "2024-07-31T09:00:00Z"),
         "service.eventFirstSeen: is later"),
        ("type too long", setp(("type",), "Stealth:IAMUser/" + "X" * 120),
         "type: string length"),
        ("type badly formed", setp(("type",), "CloudTrailLoggingDisabled"), "type: \"CloudTrail"),
        ("arn names another account", setp(("accountId",), "210987654321"), "arn: names accountId"),
        ("arn badly formed", setp(("arn",), "finding-1"), "arn: \"finding-1\" is not"),
        ("actionType without its variant", setp(("service", "action", "actionType"), "DNS_REQUEST"),
         "service.action.dnsRequestAction: missing"),
        ("resourceType without details", setp(("resource", "resourceType"), "S3Bucket"),
         "resource.s3BucketDetails: missing"),
        ("account-level S3 type without a key", lambda f: f.update(
            type="Policy:S3/AccountBlockPublicAccessDisabled",
            resource={"resourceType": "S3Bucket"}), "resource.accessKeyDetails: missing"),
        ("geoLocation lat as string", setp(A + ("remoteIpDetails", "geoLocation", "lat"), "0"),
         "geoLocation.lat: expected number"),
        ("finding not an object", lambda f: None, None),
    ]
    for desc, fn, want in bad_cases:
        if want is None:
            errs = v.validate_finding(["not", "an", "object"])
        else:
            errs = v.validate_finding(_mutate(_good_api_call, fn))
        lines = ["%s: %s" % e for e in errs]
        if not errs:
            failures.append("bad finding accepted: %s" % desc)
        elif want is not None and not any(want in l for l in lines):
            failures.append("bad finding (%s) rejected for another reason: %s" % (desc, lines))

    s3 = _mutate(_good_s3, setp(("resource", "s3BucketDetails"), [{"name": "b", "createdAt": "yesterday"}]))
    if not any("createdAt" in p and "ISO-8601" in m for p, m in v.validate_finding(s3)):
        failures.append("timestamp shape accepted a non-ISO string")

    # Enum, string length and free-form shapes on a small synthetic model, so the
    # checks are exercised whatever the installed model holds.
    toy = {
        "Finding": {"type": "structure", "required": ["Kind"], "members": {
            "Kind": {"shape": "Kind", "locationName": "kind"},
            "Short": {"shape": "Short", "locationName": "short"},
            "Info": {"shape": "ServiceAdditionalInfo", "locationName": "additionalInfo"},
            "Tags": {"shape": "Tags", "locationName": "tags"},
            "NoLoc": {"shape": "Long"}}},
        "Kind": {"type": "string", "enum": ["A", "B"]},
        "Short": {"type": "string", "min": 1, "max": 3},
        "Long": {"type": "long"},
        "Tags": {"type": "list", "member": {"shape": "Short"}, "min": 1},
        "ServiceAdditionalInfo": {"type": "structure", "members": {
            "Value": {"shape": "Short", "locationName": "value"}}},
    }
    tv = Validator(toy)
    toy_cases = [
        ({"kind": "A", "short": "abc", "NoLoc": 3, "additionalInfo": {"free": {"x": 1}, "value": "v"},
          "tags": ["a"]}, None),
        ({"kind": "C"}, "kind: \"C\" is not one of A|B"),
        ({"kind": "A", "short": ""}, "short: string length 0 is below"),
        ({"kind": "A", "short": "abcd"}, "short: string length 4 is above"),
        ({"kind": "A", "tags": []}, "tags: array length 0 is below"),
        ({"kind": "A", "noLoc": 3}, "noLoc: unknown key"),
        ({"kind": "A", "NoLoc": 3.0}, "NoLoc: expected integer"),
        ({"short": "a"}, "kind: required member missing"),
        ({"kind": "A", "additionalInfo": {"value": 7}}, "additionalInfo.value: expected string"),
    ]
    for doc, want in toy_cases:
        errs = []
        tv._check(doc, "Finding", "", errs)
        lines = ["%s: %s" % e for e in errs]
        if want is None and lines:
            failures.append("toy model: good document rejected: %s" % lines)
        if want is not None and not any(want in l for l in lines):
            failures.append("toy model: expected %r, got %s" % (want, lines))

    # Input parsing: all three shapes, and invalid JSON is refused.
    one = json.dumps(_good_api_call())
    for text, n in ((one, 1), (one + "\n" + one + "\n", 2), ('{"findings":[%s,%s]}' % (one, one), 2),
                    ("[%s]" % one, 1), ("", 0), ("\n\n", 0)):
        got = parse_findings(text, "self-test")
        if len(got) != n:
            failures.append("parse_findings read %d findings, want %d" % (len(got), n))
    for text in ('{"severity": NaN}', one + "\n{not json\n", '{"a":1,"a":2}'):
        try:
            parse_findings(text, "self-test")
            failures.append("parse_findings accepted invalid input %.40r" % text)
        except InputError:
            pass

    checks = 4 + len(bad_cases) + 1 + len(toy_cases) + 9
    if failures:
        for f in failures:
            print("self-test FAIL: %s" % f)
        print("validate_findings self-test: %d of %d checks failed" % (len(failures), checks))
        return 1
    print("validate_findings self-test: %d checks passed against botocore %s Finding shape"
          % (checks, version))
    return 0


# --------------------------------------------------------------------------


def main(argv):
    args = list(argv)
    model_path = None
    min_count = 0
    self_test = False
    files = []
    while args:
        a = args.pop(0)
        if a == "--self-test":
            self_test = True
        elif a == "--model" and args:
            model_path = args.pop(0)
        elif a == "--min-count" and args:
            try:
                min_count = int(args.pop(0))
            except ValueError:
                print("validate_findings: --min-count needs a number", file=sys.stderr)
                return 2
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("--"):
            print("validate_findings: unknown option %s" % a, file=sys.stderr)
            return 2
        else:
            files.append(a)
    try:
        shapes, version, _ = load_model(model_path)
    except ModelError as e:
        print("validate_findings: %s" % e, file=sys.stderr)
        return 2
    if self_test:
        return _self_test(shapes, version)

    findings = []
    try:
        if not files or files == ["-"]:
            findings = parse_findings(sys.stdin.read(), "stdin")
        else:
            for path in files:
                with open(path, encoding="utf-8") as f:
                    findings.extend(parse_findings(f.read(), path))
    except (InputError, OSError, UnicodeDecodeError) as e:
        print("validate_findings: %s" % e, file=sys.stderr)
        return 2
    bad = run(findings, Validator(shapes))
    if bad:
        print("%d of %d findings violate the botocore %s Finding shape" % (bad, len(findings), version))
        return 1
    if len(findings) < min_count:
        print("validate_findings: %d findings, expected at least %d" % (len(findings), min_count))
        return 1
    print("validated %d findings against botocore %s Finding shape" % (len(findings), version))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
