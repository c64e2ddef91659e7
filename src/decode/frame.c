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

/* Find the end of the value starting at b[i] ('{' or '['): returns the
 * index just past it, or len if it is not closed.  *cut is set when the
 * value was cut short at a resync point or at a raw newline in a string
 * (JSON strings cannot hold one). */
static size_t value_end(const char *b, size_t i, size_t len, struct resync r, bool *cut)
{
	int depth = 0;
	bool in_str = false;
	*cut = false;
	for (; i < len; i++) {
		char c = b[i];
		if (c == '\n' && (in_str || (depth > 0 && next_value_starts(b, i, len, r)))) {
			*cut = true;
			return i;
		}
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		switch (c) {
		case '"': in_str = true; break;
		case '{': case '[': depth++; break;
		case '}': case ']':
			if (--depth == 0)
				return i + 1;
			break;
		}
	}
	return len;
}

static uint64_t count_lines(const char *b, size_t from, size_t to, uint64_t line)
{
	for (size_t i = from; i < to; i++)
		line += b[i] == '\n';
	return line;
}

/* Stream mode: JSON lines or concatenated documents. */
static int split_stream(struct vg_json_parser *p, const char *b, size_t len, const struct vg_frame_ops *ops,
			void *ctx)
{
	uint64_t line = 1;
	size_t i = 0, prev = 0;
	while ((i = skip_ws(b, i, len), i < len)) {
		line = count_lines(b, prev, i, line);
		struct vg_frame_pos pos = {line, 0};
		size_t start = i;
		bool resync = false;
		size_t end;
		if (b[i] == '{' || b[i] == '[') {
			end = value_end(b, i, len, resync_for(b, i), &resync);
		} else {
			/* Not a document start: the line is a bare value or junk.
			 * Either way it is no record; skip to the end of the line. */
			end = i;
			while (end < len && b[end] != '\n')
				end++;
			ops->bad(ctx, pos, VG_EFORMAT, "a record must be a JSON object");
			line = count_lines(b, start, end, line);
			i = prev = end;
			continue;
		}
		struct vg_json root;
		const char *why = NULL;
		int rc = resync ? VG_EJSON : vg_json_parse(p, b + start, end - start, &root, &why);
		if (rc == VG_ENOMEM)
			return rc;
		if (rc == VG_OK)
			ops->doc(ctx, &root, pos);
		else
			ops->bad(ctx, pos, rc,
				 resync ? (end == len ? "cut off at the end of the file" : "unbalanced brackets or unterminated string") : why);
		line = count_lines(b, start, end, line);
		i = prev = end;
	}
	return VG_OK;
}

/* Salvage mode: parse each element of the top-level records array.
 * arr is the index of the '['. */
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
		struct vg_frame_pos pos = {0, ++n};
		size_t end;
		bool resync;
		if (b[i] == '{') {
			end = value_end(b, i, len, resync_for(b, i), &resync);
		} else {
			/* Junk where a record should be: skip to the next comma at
			 * this level, approximately, by scanning for ",{". */
			end = i;
			while (end < len && !(b[end] == ',' && end + 1 < len && b[end + 1] == '{') && b[end] != ']')
				end++;
			ops->bad(ctx, pos, VG_EFORMAT, "a record must be a JSON object");
			i = end;
			continue;
		}
		struct vg_json root;
		const char *why = NULL;
		int rc = resync ? VG_EJSON : vg_json_parse(p, b + i, end - i, &root, &why);
		if (rc == VG_ENOMEM)
			return rc;
		if (rc == VG_OK)
			ops->doc(ctx, &root, pos);
		else
			ops->bad(ctx, pos, rc,
				 end == len ? "cut off at the end of the file" : resync ? "unbalanced brackets or unterminated string" : why);
		i = end;
	}
	return VG_OK;
}

/* Where the records array of a single damaged document starts, if the
 * document looks like {"Records":[ ... or [ ... ; else 0. */
static size_t records_array(const char *b, size_t len, size_t i)
{
	if (b[i] == '[')
		return i;
	if (b[i] != '{')
		return 0;
	i = skip_ws(b, i + 1, len);
	static const char key[] = "\"Records\"";
	if (len - i < sizeof(key) - 1 || memcmp(b + i, key, sizeof(key) - 1) != 0)
		return 0;
	i = skip_ws(b, i + sizeof(key) - 1, len);
	if (i >= len || b[i] != ':')
		return 0;
	i = skip_ws(b, i + 1, len);
	return i < len && b[i] == '[' ? i : 0;
}

int vg_frame_split(struct vg_json_parser *p, const char *b, size_t len, const struct vg_frame_ops *ops, void *ctx)
{
	size_t i = 0;
	if (len >= 3 && (unsigned char)b[0] == 0xef && (unsigned char)b[1] == 0xbb && (unsigned char)b[2] == 0xbf)
		i = 3; /* UTF-8 byte order mark */
	i = skip_ws(b, i, len);
	if (i == len)
		return VG_OK; /* empty input: nothing to report here */

	struct vg_json root;
	const char *why = NULL;
	int rc = vg_json_parse(p, b + i, len - i, &root, &why);
	if (rc == VG_OK) {
		ops->doc(ctx, &root, (struct vg_frame_pos){0, 0});
		return VG_OK;
	}
	if (rc == VG_ENOMEM)
		return rc;

	/* Not one valid document.  A first line that parses by itself means a
	 * stream; otherwise salvage a records array if there is one. */
	size_t eol = i;
	while (eol < len && b[eol] != '\n')
		eol++;
	bool first_line_ok = eol < len && vg_json_parse(p, b + i, eol - i, &root, &why) == VG_OK;
	size_t arr = first_line_ok ? 0 : records_array(b, len, i);
	if (arr)
		return split_elements(p, b, len, arr, ops, ctx);
	return split_stream(p, b, len, ops, ctx);
}
