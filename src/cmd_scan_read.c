/*
 * cmd_scan_read.c -- the reading half of `vigil scan`:
 *
 *   walk -> input (gunzip) -> frame (documents) -> cloudtrail | route53
 *                            \-> vpcflow (text lines)       (events)
 *        -> detect engine -> aggregator -> store
 *
 * What a file holds is decided per file from its content, never from its
 * name: flow logs are text, CloudTrail and Route 53 query logs are JSON,
 * and within a JSON file each document is tried first as what the
 * previous one was.  Bad input is reported once per problem with file and
 * record, counted, and skipped; the scan goes on with every good record.
 */
#include "cmd_scan_int.h"
#include "core/time.h"
#include "decode/cloudtrail.h"
#include "decode/route53.h"
#include "ingest/input.h"
#include "store/merge.h"

#include <stdio.h>

/* ---- messages ------------------------------------------------------- */

void vg__scan_clear_progress(struct scan *s)
{
	if (s->progress_shown) {
		fputs("\r\033[K", stderr);
		s->progress_shown = false;
	}
}

static void progress(struct scan *s, bool force)
{
	if (!s->o.progress)
		return;
	int64_t now = vg_time_mono_ms();
	if (!force && (now - s->t0 < 1000 || now - s->last_progress < 250))
		return;
	s->last_progress = now;
	double secs = (double)(now - s->t0) / 1000.0;
	fprintf(stderr, "\r\033[Kvigil: %llu files, %llu records, %.1f MB/s", (unsigned long long)s->files,
		(unsigned long long)s->records, secs > 0 ? (double)s->bytes / 1e6 / secs : 0.0);
	s->progress_shown = true;
}

/* A line holding several records (a whole S3 file on one JSON line)
 * names the record too.  Asked only when there is a problem to report, so
 * the per-record path never looks at the document's shape. */
static bool doc_has_many(const struct vg_json *doc)
{
	struct vg_json recs;
	if (!doc)
		return false;
	if (vg_json_type(doc) == VG_JSON_ARRAY)
		return vg_json_len(doc) > 1;
	return vg_json_get(doc, "Records", &recs) && vg_json_len(&recs) > 1;
}

/* "line L" of the current document, and its column when it shares the
 * line with others; returns the length written. */
static size_t line_text(const struct scan *s, char *out, size_t n)
{
	int k = s->pos.column ? snprintf(out, n, "line %llu, column %llu", (unsigned long long)s->pos.line,
					 (unsigned long long)s->pos.column)
			      : snprintf(out, n, "line %llu", (unsigned long long)s->pos.line);
	return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
}

static void where(struct scan *s, uint64_t index, char *out, size_t n)
{
	size_t k = 0;
	if (s->text_lines) {
		snprintf(out, n, "line %llu", (unsigned long long)index);
	} else if (s->event) {
		/* A CloudWatch Logs event: its number in the batch, and its id,
		 * which finds the event in CloudWatch Logs too. */
		if (s->pos.line)
			k = line_text(s, out, n);
		snprintf(out + k, n - k, "%sevent %llu", k ? ", " : "", (unsigned long long)s->event);
		k = strlen(out);
		if (s->event_id.n)
			snprintf(out + k, n - k, " (id %.*s)", (int)(s->event_id.n < 64 ? s->event_id.n : 64), s->event_id.p);
	} else if (s->pos.line) {
		k = line_text(s, out, n);
		if (doc_has_many(s->doc))
			snprintf(out + k, n - k, ", record %llu", (unsigned long long)index);
	} else {
		snprintf(out, n, "record %llu", (unsigned long long)(s->pos.element ? s->pos.element : index));
	}
}

static void report_bad(struct scan *s, uint64_t index, const char *why)
{
	s->bad++;
	if (++s->file_errors > ERRORS_SHOWN_PER_FILE)
		return;
	char w[160];
	where(s, index, w, sizeof(w));
	vg__scan_clear_progress(s);
	fprintf(stderr, "vigil: %s: %s: %s\n", s->file, w, why);
}

static void report_file(struct scan *s, const char *path, const char *what)
{
	vg__scan_clear_progress(s);
	fprintf(stderr, "vigil: %s: %s\n", path, what);
}

/* ---- findings -------------------------------------------------------- */

static int drained(void *ctx, const struct vg_occurrence *o)
{
	struct scan *s = ctx;
	bool created;
	int rc = vg_store_merge(s->store, o, vg_time_now_ms(), &s->scratch, &created);
	if (rc != VG_OK)
		return rc;
	if (created)
		s->found_new++;
	else
		s->found_updated++;
	if (s->n_touched == s->cap_touched) {
		size_t cap = s->cap_touched ? s->cap_touched * 2 : 256;
		void *p = vg_realloc(s->touched, cap * sizeof(*s->touched));
		if (!p)
			return VG_ENOMEM;
		s->touched = p;
		s->cap_touched = cap;
	}
	memcpy(s->touched[s->n_touched++], o->id, VG_FINDING_ID_LEN + 1);
	return VG_OK;
}

int vg__scan_flush(struct scan *s)
{
	int rc = s->store->ops->begin(s->store);
	if (rc == VG_OK)
		rc = vg_aggregator_drain(s->agg, drained, s);
	for (size_t i = 0; i < s->n_marks; i++) {
		if (rc == VG_OK)
			rc = s->store->ops->file_add(s->store, s->marks[i].sha256, s->marks[i].path, s->marks[i].records);
		vg_free(s->marks[i].path);
	}
	s->n_marks = 0;
	if (rc == VG_OK)
		rc = s->store->ops->commit(s->store);
	if (rc == VG_OK)
		rc = vg_aggregator_error(s->agg);
	return rc;
}

/* ---- decoding callbacks ---------------------------------------------- */

/* Windowed detectors forget idle state as event time passes; telling
 * them every so many records keeps that cheap. */
#define TICK_EVERY 65536

/* The detectors' clock is the latest event time of the source that is
 * furthest behind: one scan may mix last year's flow logs with today's
 * CloudTrail, and the flows' windows must not expire by CloudTrail's
 * time.  (Stateful detectors each read one source.) */
static void tick(struct scan *s)
{
	int64_t now = INT64_MAX;
	for (size_t i = 0; i < VG_ARRAY_LEN(s->max_time); i++)
		if (s->max_time[i] && s->max_time[i] < now)
			now = s->max_time[i];
	if (now != INT64_MAX)
		vg_detect_tick(s->engine, now, &s->emitter);
	s->last_tick = s->records;
}

static void on_event(void *ctx, struct vg_event *ev, uint64_t index)
{
	struct scan *s = ctx;
	ev->file = s->file;
	ev->record_no = s->pos.element ? s->pos.element : s->pos.line ? s->pos.line : index;
	/* Flow logs name neither account nor region in the default format;
	 * the S3 key they were delivered under does. */
	if (vg_str_empty(ev->account))
		ev->account = vg_str_empty(s->path_account) ? s->default_account : s->path_account;
	if (vg_str_empty(ev->region))
		ev->region = vg_str_empty(s->path_region) ? s->default_region : s->path_region;
	s->records++;
	size_t src = ev->source == VG_SRC_VPCFLOW ? 1 : ev->source == VG_SRC_DNS ? 2 : 0;
	s->by_source[src]++;
	if (ev->time_ms > s->max_time[src])
		s->max_time[src] = ev->time_ms;
	vg_detect_event(s->engine, ev, &s->emitter);
	if (vg_aggregator_full(s->agg) && !s->fatal)
		s->fatal = vg__scan_flush(s);
	if ((s->records & 4095) == 0)
		progress(s, false);
	if (s->records - s->last_tick >= TICK_EVERY)
		tick(s);
}

static void on_bad_record(void *ctx, uint64_t index, int rc, const char *why)
{
	(void)rc;
	report_bad(ctx, index, why);
}

static const struct vg_event_sink event_sink = {on_event, on_bad_record};

static bool try_cloudtrail(struct scan *s, const struct vg_json *root)
{
	switch (vg_cloudtrail_decode_doc(root, &event_sink, s)) {
	case VG_CT_DOC_DIGEST:
		s->digests++;
		return true;
	case VG_CT_DOC_UNKNOWN:
		return false;
	default:
		return true;
	}
}

static bool try_dns(struct scan *s, const struct vg_json *root)
{
	struct vg_event ev;
	const char *why;
	if (!vg_route53_is_query(root))
		return false;
	int rc = vg_route53_decode(root, &ev, &why);
	if (rc == VG_OK)
		on_event(s, &ev, 1);
	else
		report_bad(s, 1, why);
	return true;
}

/* ---- CloudWatch Logs --------------------------------------------------- */

/* Any of the three sources can reach vigil through CloudWatch Logs, whose
 * events carry each record as a message string: a flow log line, or a
 * CloudTrail event or Route 53 query as JSON text.  The JSON is parsed
 * with a parser of its own, since the enclosing document (its string
 * included) must outlive it. */

static bool json_text(struct vg_str t) { return t.n && t.p[0] == '{'; }

static bool decode_inner(struct scan *s, const struct vg_json *root)
{
	return try_cloudtrail(s, root) || try_dns(s, root);
}

/* cwl_event -- CloudWatch Logs event number index (1-based) of the
 * current document: its message decoded, or reported. */
static void cwl_event(struct scan *s, const struct vg_json *event, uint64_t index)
{
	struct vg_event ev;
	struct vg_str text;
	struct vg_json msg, root;
	const char *why = NULL;
	int rc;
	s->event = index;
	/* A subscription's events have an "id", filter-log-events' an "eventId". */
	s->event_id = vg_json_get_str(event, "id");
	if (vg_str_empty(s->event_id))
		s->event_id = vg_json_get_str(event, "eventId");
	if (!vg_json_get(event, "message", &msg)) {
		report_bad(s, index, "an event without a message");
	} else if (!vg_json_string(&msg, &text)) {
		report_bad(s, index, "message: not a string");
	} else if (json_text(text)) {
		if ((rc = vg_json_parse_copy(s->nested, text.p, text.n, &root, &why)) == VG_ENOMEM) {
			s->fatal = rc;
		} else if (rc != VG_OK) {
			char m[160];
			snprintf(m, sizeof(m), "message: malformed JSON: %s", why);
			report_bad(s, index, m);
		} else if (!decode_inner(s, &root)) {
			report_bad(s, index, "message: not a CloudTrail event, Route 53 query or flow log record");
		}
	} else if ((rc = vg_vpcflow_decode_line(&s->flow_fmt, text.p, text.n, &ev, &why)) == VG_OK) {
		on_event(s, &ev, index);
	} else {
		report_bad(s, index, why);
	}
	s->event = 0;
	s->event_id = VG_STR_NULL;
}

/* try_cwl -- a CloudWatch Logs document: a subscription delivery
 * {"messageType": "DATA_MESSAGE", "logEvents": [{"message": ...}, ...]}
 * (Firehose writes them to S3 one after another), what `aws logs
 * filter-log-events` and get-log-events print ({"events": [...]}), or one
 * event {"message": ...} a line.  A subscription's CONTROL_MESSAGE (a
 * health check) holds no log record. */
static bool try_cwl(struct scan *s, const struct vg_json *root)
{
	struct vg_json msg, events, item;
	struct vg_str text;
	if (vg_json_get(root, "message", &msg)) {
		/* Only a message that is a record makes this a CloudWatch Logs
		 * event: an application's log line has a "message" too. */
		if (!vg_json_string(&msg, &text) || !(json_text(text) || vg_vpcflow_sniff(text.p, text.n)))
			return false;
		cwl_event(s, root, 1);
		return true;
	}
	if (!(vg_json_get(root, "logEvents", &events) || vg_json_get(root, "events", &events)) ||
	    vg_json_type(&events) != VG_JSON_ARRAY)
		return false;
	if (vg_str_eqc(vg_json_get_str(root, "messageType"), "CONTROL_MESSAGE"))
		return true;
	struct vg_json_iter it;
	struct vg_str key;
	uint64_t i = 0;
	if (!vg_json_iter_init(&it, &events))
		return false;
	while (vg_json_iter_next(&it, &key, &item) && !s->fatal)
		cwl_event(s, &item, ++i);
	return true;
}

/* The decoders in the order they are tried for a file's first document;
 * later documents try the kind that worked last time first. */
static const struct {
	enum doc_kind kind;
	bool (*decode)(struct scan *s, const struct vg_json *root);
} doc_decoders[] = {
	{DOC_CLOUDTRAIL, try_cloudtrail},
	{DOC_DNS, try_dns},
	{DOC_CWL, try_cwl},
};

static void on_doc(void *ctx, const struct vg_json *root, struct vg_frame_pos pos)
{
	struct scan *s = ctx;
	s->pos = pos;
	s->doc = root;
	bool done = false;
	for (size_t i = 0; i < VG_ARRAY_LEN(doc_decoders) && !done; i++)
		if (doc_decoders[i].kind == s->kind)
			done = doc_decoders[i].decode(s, root);
	for (size_t i = 0; i < VG_ARRAY_LEN(doc_decoders) && !done; i++)
		if (doc_decoders[i].kind != s->kind && (done = doc_decoders[i].decode(s, root)))
			s->kind = doc_decoders[i].kind;
	if (!done)
		report_bad(s, 1,
			   "not a CloudTrail, Route 53 query log or CloudWatch Logs record "
			   "(no eventName, eventSource, Records, query_name, message or logEvents)");
	s->doc = NULL; /* borrowed for this call only */
}

static void on_bad_doc(void *ctx, struct vg_frame_pos pos, int rc, const char *why)
{
	struct scan *s = ctx;
	char msg[160];
	s->pos = pos;
	s->doc = NULL;
	if (rc == VG_ETOOBIG)
		snprintf(msg, sizeof(msg), "record larger than the %zu MiB limit (--max-record-size), skipped",
			 s->o.max_record >> 20);
	else if (rc == VG_EFORMAT)
		snprintf(msg, sizeof(msg), "%s", why);
	else
		snprintf(msg, sizeof(msg), "malformed JSON: %s", why ? why : "syntax error");
	report_bad(s, 1, msg);
}

static const struct vg_frame_ops frame_ops = {on_doc, on_bad_doc};

/* ---- files ----------------------------------------------------------- */

static void remember_file(struct scan *s, const struct vg_input *in, const char *path, uint64_t records)
{
	if (s->n_marks == s->cap_marks) {
		size_t cap = s->cap_marks ? s->cap_marks * 2 : 64;
		void *p = vg_realloc(s->marks, cap * sizeof(*s->marks));
		if (!p) {
			s->fatal = VG_ENOMEM;
			return;
		}
		s->marks = p;
		s->cap_marks = cap;
	}
	struct file_mark *m = &s->marks[s->n_marks];
	memcpy(m->sha256, in->sha256, sizeof(m->sha256));
	m->records = records;
	if (!(m->path = vg_strndup(path, strlen(path)))) {
		s->fatal = VG_ENOMEM;
		return;
	}
	s->n_marks++;
}

/* from_path -- account and region from an S3 key such as
 * AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/..., else empty. */
static void from_path(struct scan *s, const char *path)
{
	s->path_account = s->path_region = (struct vg_str){NULL, 0};
	const char *p = strstr(path, "AWSLogs/");
	if (!p)
		return;
	const char *acct = p + 8, *svc = strchr(acct, '/');
	const char *region = svc ? strchr(svc + 1, '/') : NULL;
	const char *end = region ? strchr(region + 1, '/') : NULL;
	if (!end)
		return;
	s->path_account = (struct vg_str){acct, (size_t)(svc - acct)};
	s->path_region = (struct vg_str){region + 1, (size_t)(end - region - 1)};
}

/* decode -- every record of one decompressed file. */
static int decode(struct scan *s, const struct vg_input *in)
{
	static const struct vg_event_sink flow_sink = {on_event, on_bad_record};
	s->kind = DOC_UNKNOWN;
	s->pos = (struct vg_frame_pos){0, 0};
	s->text_lines = vg_vpcflow_sniff(in->data, in->len);
	if (s->text_lines)
		/* Without --flow-format the decoder may recognise a header-less
		 * file's layout from its column count. */
		return vg_vpcflow_decode_text(in->data, in->len, s->o.flow_format ? &s->flow_fmt : NULL, &flow_sink,
					      s);
	return vg_frame_split(s->parser, in->data, in->len, &frame_ops, s);
}

static void read_file(struct scan *s, const char *path)
{
	struct vg_input in;
	bool dedup = s->o.db && !s->o.rescan;
	int rc = vg_input_read(path, s->o.max_file, dedup ? VG_INPUT_DIGEST : 0, &in);
	s->file = path;
	s->file_errors = 0;
	if (rc == VG_ENOMEM) {
		s->fatal = rc; /* out of memory ends the scan; it is no property of the file */
		return;
	}
	if (rc != VG_OK) {
		char msg[160];
		if (rc == VG_ETOOBIG)
			snprintf(msg, sizeof(msg), "larger than %zu MiB (--max-file-size), skipped", s->o.max_file >> 20);
		else
			snprintf(msg, sizeof(msg), "cannot read: %s", vg_strerror(rc));
		report_file(s, path, msg);
		s->files_failed++;
		vg_input_free(&in);
		return;
	}
	if (dedup && (rc = s->store->ops->file_seen(s->store, in.sha256)) != VG_ENOENT) {
		/* Counted in the summary, not reported one by one: re-running a
		 * scan over a growing log folder is the normal way to use --db. */
		if (rc == VG_OK)
			s->already_read++;
		else
			s->fatal = rc;
		vg_input_free(&in);
		return;
	}
	s->files++;
	s->bytes_raw += in.raw_len;
	s->bytes += in.len;
	if (in.truncated) {
		char msg[160];
		snprintf(msg, sizeof(msg), "gzip data is truncated or corrupt; reading the %zu bytes before the damage",
			 in.len);
		report_file(s, path, msg);
	}
	uint64_t before = s->records + s->bad + s->digests, records_before = s->records;
	from_path(s, path);
	rc = decode(s, &in);
	if (rc != VG_OK && !s->fatal)
		s->fatal = rc;
	s->path_account = s->path_region = (struct vg_str){NULL, 0}; /* they point into path */
	tick(s);
	if (s->records + s->bad + s->digests == before && !in.truncated) {
		report_file(s, path, "empty: no records");
		s->empty++;
	}
	if (dedup)
		remember_file(s, &in, path, s->records - records_before);
	if (s->file_errors > ERRORS_SHOWN_PER_FILE) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%llu more bad records not shown",
			 (unsigned long long)(s->file_errors - ERRORS_SHOWN_PER_FILE));
		report_file(s, path, msg);
	}
	vg_input_free(&in);
	progress(s, false);
}

int vg__scan_on_path(void *ctx, const char *path, enum vg_walk_kind kind, const char *err)
{
	struct scan *s = ctx;
	switch (kind) {
	case VG_WALK_LOG:
		read_file(s, path);
		break;
	case VG_WALK_DIGEST:
		s->digests++;
		break;
	case VG_WALK_OTHER:
		s->others++;
		break;
	case VG_WALK_ERROR: {
		char msg[256];
		snprintf(msg, sizeof(msg), "cannot read: %s", err ? err : "error");
		report_file(s, path, msg);
		s->files_failed++;
		break;
	}
	}
	return s->fatal;
}
