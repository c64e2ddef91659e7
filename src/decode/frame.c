/*
 * frame.c -- documents out of a buffer (see frame.h for the three shapes).
 *
 * The scanner below is not a JSON parser: it only tracks strings and
 * bracket depth to find where values begin and end, and each span it finds
 * is parsed by simdjson.  That is what lets a bad record be skipped while
 * its neighbours are still read.
 */
#include "../vg.h"
#include "frame.h"
#include "../core/time.h"

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t skip_ws(const char *b, size_t i, size_t len)
{
	while (i < len && is_ws(b[i]))
		i++;
	return i;
}

/* How a broken value is cut short so it cannot swallow its neighbours:
 * when a line starts with the same indentation as the value's own first
 * line followed by '{', at depth > 0, the next value has begun (records in
 * pretty-printed files and JSON lines all start that way).  indent is NULL
 * when the value did not start its line, which disables the check. */
struct resync {
	const char *indent;
	size_t n;
};

static struct resync resync_for(const char *b, size_t i)
{
	size_t j = i;
	while (j > 0 && (b[j - 1] == ' ' || b[j - 1] == '\t'))
		j--;
	if (j > 0 && b[j - 1] != '\n')
		return (struct resync){NULL, 0};
	return (struct resync){b + j, i - j};
}

static bool next_value_starts(const char *b, size_t i, size_t len, struct resync r)
{
	return r.indent && len - i > r.n + 1 && memcmp(b + i + 1, r.indent, r.n) == 0 && b[i + 1 + r.n] == '{';
}

/* The bytes value_end stops at: outside a string, brackets, a string's
 * start and a newline; inside one, its end, an escape and a raw newline.
 * Tables, so that the runs between them (most of a record) cost a load
 * and a test a byte. */
static const bool stop_outside[256] = {['"'] = true, ['{'] = true, ['['] = true,
				       ['}'] = true, [']'] = true, ['\n'] = true};
static const bool stop_in_string[256] = {['"'] = true, ['\\'] = true, ['\n'] = true};

/* Find the end of the value starting at b[i] ('{' or '['): returns the
 * index just past it.  *cut is set when the value is broken: cut short at a
 * resync point, at a raw newline in a string (JSON strings cannot hold
 * one), or by the end of the input. */
static size_t value_end(const char *b, size_t i, size_t len, struct resync r, bool *cut)
{
	int depth = 0;
	*cut = true; /* unless the value closes */
	while (i < len) {
		while (i < len && !stop_outside[(unsigned char)b[i]])
			i++;
		if (i == len)
			break;
		switch (b[i]) {
		case '\n':
			if (depth > 0 && next_value_starts(b, i, len, r))
				return i;
			i++;
			break;
		case '"':
			for (i++;;) {
				while (i < len && !stop_in_string[(unsigned char)b[i]])
					i++;
				if (i >= len)
					return len;
				if (b[i] == '\n')
					return i;
				if (b[i] == '"')
					break;
				i += 2; /* an escape and the byte it escapes */
			}
			i++;
			break;
		case '{': case '[':
			depth++;
			i++;
			break;
		default: /* '}' or ']' */
			i++;
			if (--depth == 0) {
				*cut = false;
				return i;
			}
		}
	}
	return len;
}

/* lines_to -- count the newlines of b[from..to) into *line, and note in
 * *line_start where the line after the last of them begins. */
static void lines_to(const char *b, size_t from, size_t to, uint64_t *line, size_t *line_start)
{
	for (const char *p = b + from, *end = b + to; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		++*line;
		*line_start = (size_t)(p - b) + 1;
	}
}

/* After a broken value ending at i: where the next value begins.  With a
 * known indentation that is the next line opening like the broken value
 * did; without one (compact text) the next ",{" is the best guess. */
static size_t next_start(const char *b, size_t i, size_t len, struct resync r)
{
	for (; i < len; i++) {
		if (r.indent && b[i] == '\n' && next_value_starts(b, i, len, r))
			return i + 1;
		if (!r.indent && b[i] == ',' && i + 1 < len && b[i + 1] == '{')
			return i + 1;
	}
	return len;
}

static const char *cut_reason(size_t end, size_t len)
{
	return end == len ? "cut off at the end of the file" : "unbalanced brackets or unterminated string";
}

/* one_value -- the value starting at b[i]: parsed and delivered, or
 * reported and skipped up to where the next one starts.  arrays_ok: a '['
 * may start a document (streams), or only '{' a record (salvage).  *next
 * is where to go on.  Returns VG_OK, or VG_ENOMEM to stop. */
static int one_value(struct vg_json_parser *p, const char *b, size_t i, size_t len, bool arrays_ok,
		     struct vg_frame_pos pos, const struct vg_frame_ops *ops, void *ctx, size_t *next)
{
	struct resync r = resync_for(b, i);
	size_t end = i;
	bool cut = true;
	/* In a stream, a value that does not start its line (the next of
	 * documents one after another) is cut short by a line that opens with
	 * '{': the next line's document, which a broken value must not
	 * swallow. */
	if (!r.indent && arrays_ok)
		r.indent = b;
	if (b[i] == '{' || (arrays_ok && b[i] == '['))
		end = value_end(b, i, len, r, &cut);
	if (cut) {
		if (end == i)
			ops->bad(ctx, pos, VG_EFORMAT, "a record must be a JSON object");
		else
			ops->bad(ctx, pos, VG_EJSON, cut_reason(end, len));
		*next = next_start(b, end, len, r);
		return VG_OK;
	}
	struct vg_json root;
	const char *why = NULL;
	int rc = vg_json_parse(p, b + i, end - i, &root, &why);
	*next = end;
	if (rc == VG_ENOMEM)
		return rc;
	if (rc == VG_OK)
		ops->doc(ctx, &root, pos);
	else
		ops->bad(ctx, pos, rc, why);
	return VG_OK;
}

/* line_end -- index of the '\n' ending the line at b[i], or len. */
static size_t line_end(const char *b, size_t i, size_t len)
{
	const char *nl = memchr(b + i, '\n', len - i);
	return nl ? (size_t)(nl - b) : len;
}

/* export_prefix -- the length of the time a CloudWatch Logs export puts
 * before each event's message, "2024-03-01T10:41:07.123Z ", when the line
 * at b[i] starts with one and an object follows; else 0.  No JSON
 * document can be taken for one: a document starts with '{' or '['. */
static size_t export_prefix(const char *b, size_t i, size_t len)
{
	int64_t ms;
	if (b[i] < '0' || b[i] > '9')
		return 0;
	const char *sp = memchr(b + i, ' ', len - i < 40 ? len - i : 40);
	if (!sp || sp + 1 == b + len || sp[1] != '{' || sp[-1] != 'Z' ||
	    vg_time_parse((struct vg_str){b + i, (size_t)(sp - b) - i}, &ms) != VG_OK)
		return 0;
	return (size_t)(sp - b) + 1 - i;
}

/* Stream mode: JSON lines or concatenated documents, each starting a
 * line at the same indentation (column 0 in practice).  Most streams
 * are JSON lines, so each line is first parsed as it stands; only a line
 * that is no document by itself (a pretty-printed or broken one) goes
 * through the bracket scanner.  A line of a CloudWatch Logs export (its
 * time, then the message) is one event, so its document is the rest of
 * the line: when that does not parse, the next line is the next event.
 * first_failed: the caller parsed the first line already, and it is no
 * document by itself. */
static int split_stream(struct vg_json_parser *p, const char *b, size_t len, bool first_failed,
			const struct vg_frame_ops *ops, void *ctx)
{
	uint64_t line = 1;
	size_t i = 0, prev = 0, next, line_start = 0;
	while ((i = skip_ws(b, i, len), i < len)) {
		lines_to(b, prev, i, &line, &line_start);
		/* Only a document that starts its line can be the whole line.
		 * The next of several on one line (Firehose writes thousands
		 * so) goes straight to the scanner: parsing the rest of the
		 * line for each would be quadratic in the line's length.  What
		 * lies between prev and i is blank, so the document starts its
		 * line when that line began there. */
		bool starts_line = line_start >= prev;
		struct vg_frame_pos pos = {line, 0, starts_line ? 0 : i - line_start + 1};
		struct vg_json root;
		const char *why;
		size_t eol = i, skip = 0;
		if (starts_line) {
			eol = line_end(b, i, len);
			skip = export_prefix(b, i, len);
			i += skip;
		}
		bool try_line = starts_line && b[i] == '{' && !(first_failed && prev == 0);
		int rc = try_line ? vg_json_parse(p, b + i, eol - i, &root, &why) : VG_EJSON;
		if (rc == VG_ENOMEM)
			return rc;
		if (rc == VG_OK || skip) {
			if (rc == VG_OK)
				ops->doc(ctx, &root, pos);
			else
				ops->bad(ctx, pos, rc, why);
			i = prev = eol;
			continue;
		}
		if ((rc = one_value(p, b, i, len, true, pos, ops, ctx, &next)) != VG_OK)
			return rc;
		lines_to(b, i, next, &line, &line_start);
		i = prev = next;
	}
	return VG_OK;
}

/* Salvage mode: parse each element of the top-level records array whose
 * '[' is at arr. */
static int split_elements(struct vg_json_parser *p, const char *b, size_t len, size_t arr,
			  const struct vg_frame_ops *ops, void *ctx)
{
	uint64_t n = 0;
	size_t i = arr + 1;
	for (;;) {
		i = skip_ws(b, i, len);
		if (i < len && b[i] == ',')
			i = skip_ws(b, i + 1, len);
		if (i >= len || b[i] == ']')
			break;
		int rc = one_value(p, b, i, len, false, (struct vg_frame_pos){0, ++n}, ops, ctx, &i);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* Whether the document at b[i] looks like {"Records":[ ... or [ ...; if so
 * *arr is the index of the records array's '['. */
static bool records_array(const char *b, size_t len, size_t i, size_t *arr)
{
	static const char key[] = "\"Records\"";
	if (b[i] == '[') {
		*arr = i;
		return true;
	}
	if (b[i] != '{')
		return false;
	i = skip_ws(b, i + 1, len);
	if (len - i < sizeof(key) - 1 || memcmp(b + i, key, sizeof(key) - 1) != 0)
		return false;
	i = skip_ws(b, i + sizeof(key) - 1, len);
	if (i >= len || b[i] != ':')
		return false;
	i = skip_ws(b, i + 1, len);
	*arr = i;
	return i < len && b[i] == '[';
}

int vg_frame_split(struct vg_json_parser *p, const char *b, size_t len, const struct vg_frame_ops *ops, void *ctx)
{
	if (len >= 3 && (unsigned char)b[0] == 0xef && (unsigned char)b[1] == 0xbb && (unsigned char)b[2] == 0xbf) {
		b += 3; /* UTF-8 byte order mark; the padding still follows */
		len -= 3;
	}
	size_t i = skip_ws(b, 0, len);
	if (i == len)
		return VG_OK; /* empty input: nothing to report here */
	if (export_prefix(b, i, len))
		return split_stream(p, b, len, false, ops, ctx);

	/* The first line decides: a document by itself is either the whole
	 * input (a compact S3 delivery file, one line) or the first of a
	 * stream.  Parsing it first spares JSON lines a failed parse of the
	 * whole buffer. */
	struct vg_json root;
	const char *why = NULL;
	size_t eol = line_end(b, i, len), arr;
	bool one_line = skip_ws(b, eol, len) == len;
	int rc = vg_json_parse(p, b + i, eol - i, &root, &why);
	if (rc == VG_ENOMEM)
		return rc;
	if (rc == VG_OK && one_line) {
		ops->doc(ctx, &root, (struct vg_frame_pos){0, 0});
		return VG_OK;
	}
	if (rc == VG_OK)
		return split_stream(p, b, len, false, ops, ctx);

	/* A document over several lines (pretty-printed), or damage.  (On
	 * one line that is the parse that just failed: documents one after
	 * another, as Firehose writes them, or damage.) */
	if (!one_line) {
		rc = vg_json_parse(p, b + i, len - i, &root, &why);
		if (rc == VG_OK) {
			ops->doc(ctx, &root, (struct vg_frame_pos){0, 0});
			return VG_OK;
		}
		if (rc == VG_ENOMEM)
			return rc;
	}
	if (records_array(b, len, i, &arr))
		return split_elements(p, b, len, arr, ops, ctx);
	return split_stream(p, b, len, true, ops, ctx);
}
