/*
 * intel_pattern.c -- the STIX 2 patterning language, read just far enough
 * to tell whether an indicator's pattern is a list of addresses and host
 * names, and to collect them (OASIS STIX 2.1, part 9 "STIX Patterning":
 * observation expressions in [], comparison and observation operators
 * AND/OR/FOLLOWEDBY, qualifiers WITHIN/REPEATS/START-STOP).
 */
#include "../vg.h"
#include "intel_int.h"

/* ---- STIX 2 patterns -------------------------------------------------------- */

/*
 * A pattern becomes list entries only when it amounts to "any of these
 * addresses / names": comparisons with '=' (or IN, or ISSUBSET for a CIDR)
 * on ipv4-addr:value, ipv6-addr:value, domain-name:value, url:value or
 * network-traffic:{src,dst}_ref.value, joined with OR.  Comparisons on
 * other objects (file hashes, ...) joined by OR are ignored; a check of
 * a reference's type ("network-traffic:dst_ref.type = 'ipv4-addr'") ANDed
 * to an address is allowed.  Anything narrower (a network comparison ANDed
 * with another condition, NOT, LIKE, MATCHES, ...) cannot be a list entry
 * and the indicator is reported.  Qualifiers (WITHIN, REPEATS, START/STOP)
 * are ignored.
 */
enum cls {
	C_TYPE = 1, /* only type checks: true for any address */
	C_OTHER,    /* conditions on non-network objects */
	C_NET,      /* equivalent to the OR of the items collected */
	C_BAD,      /* cannot be a list entry; why says why */
};

enum tok {
	T_END = 1,
	T_LBRACK,
	T_RBRACK,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_STRING, /* '...' (also t'...', h'...', b'...'); raw, escapes kept */
	T_WORD,   /* path, keyword, number, boolean */
	T_OP,     /* = != < <= > >= */
	T_ERR,
};

struct pat {
	const char *p, *end;
	enum tok t;       /* current token */
	struct vg_str s;  /* its text */
	const char *why;  /* first reason for C_BAD */
	int depth;
	struct vg__intel_items *items; /* the caller's; appended to */
	int rc;           /* VG_ENOMEM when items could not grow */
};

static inline bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	       c == ':' || c == '.' || c == '*' || c == '$' || c == '+';
}

/* Scan a quoted string whose opening quote is at q; returns the byte after
 * the closing quote, or NULL when it is not closed. */
static const char *scan_string(const char *q, const char *end, struct vg_str *s)
{
	const char *start = ++q;
	while (q < end && *q != '\'') {
		if (*q == '\\' && q + 1 < end)
			q++;
		q++;
	}
	if (q >= end)
		return NULL;
	*s = (struct vg_str){start, (size_t)(q - start)};
	return q + 1;
}

static void next(struct pat *P)
{
	const char *q = P->p, *end = P->end;
	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
		q++;
	P->s = (struct vg_str){q, 0};
	if (q >= end) {
		P->t = T_END;
		P->p = q;
		return;
	}
	char c = *q;
	switch (c) {
	case '[': P->t = T_LBRACK; P->p = q + 1; return;
	case ']': P->t = T_RBRACK; P->p = q + 1; return;
	case '(': P->t = T_LPAREN; P->p = q + 1; return;
	case ')': P->t = T_RPAREN; P->p = q + 1; return;
	case ',': P->t = T_COMMA; P->p = q + 1; return;
	case '=':
		P->t = T_OP;
		P->s.n = 1;
		P->p = q + 1;
		return;
	case '!': case '<': case '>':
		P->t = T_OP;
		P->s.n = (q + 1 < end && q[1] == '=') ? 2 : 1;
		if (c == '!' && P->s.n == 1)
			P->t = T_ERR;
		P->p = q + P->s.n;
		return;
	case '\'': {
		const char *after = scan_string(q, end, &P->s);
		P->t = after ? T_STRING : T_ERR;
		P->p = after ? after : end;
		return;
	}
	default:
		break;
	}
	if ((c == 't' || c == 'h' || c == 'b') && q + 1 < end && q[1] == '\'') {
		const char *after = scan_string(q + 1, end, &P->s);
		P->t = after ? T_STRING : T_ERR;
		P->p = after ? after : end;
		return;
	}
	if (!word_char((unsigned char)c)) {
		P->t = T_ERR;
		P->p = end;
		return;
	}
	const char *w = q;
	bool path = false;
	while (q < end) {
		unsigned char d = (unsigned char)*q;
		if (d == ':')
			path = true;
		if (word_char(d)) {
			q++;
		} else if (d == '\'' && q > w && q[-1] == '.') {
			/* file:hashes.'SHA-256' */
			struct vg_str tmp;
			const char *after = scan_string(q, end, &tmp);
			if (!after)
				break;
			q = after;
		} else if (d == '[' && path) {
			/* a list index inside a path: to_refs[*] */
			const char *rb = memchr(q, ']', (size_t)(end - q));
			if (!rb)
				break;
			q = rb + 1;
		} else {
			break;
		}
	}
	P->t = T_WORD;
	P->s = (struct vg_str){w, (size_t)(q - w)};
	P->p = q;
}

static bool is_kw(const struct pat *P, const char *kw) { return P->t == T_WORD && vg__intel_caseeq(P->s, kw); }

static enum cls bad(struct pat *P, const char *why)
{
	if (!P->why)
		P->why = why;
	return C_BAD;
}

static enum cls cls_or(enum cls a, enum cls b)
{
	if (a == C_BAD || b == C_BAD)
		return C_BAD;
	if (a == C_NET || b == C_NET)
		return C_NET;
	if (a == C_OTHER || b == C_OTHER)
		return C_OTHER;
	return C_TYPE;
}

static enum cls cls_and(struct pat *P, enum cls a, enum cls b)
{
	if (a == C_BAD || b == C_BAD)
		return C_BAD;
	if (a == C_NET && b == C_TYPE)
		return C_NET;
	if (b == C_NET && a == C_TYPE)
		return C_NET;
	if (a == C_NET || b == C_NET)
		return bad(P, "pattern ANDs an address or domain with another condition");
	if (a == C_OTHER || b == C_OTHER)
		return C_OTHER;
	return C_TYPE;
}

/* What a comparison on path says: a want for a network value, or 0. */
static int net_path(struct vg_str path)
{
	if (vg__intel_caseeq(path, "ipv4-addr:value") || vg__intel_caseeq(path, "ipv6-addr:value"))
		return VG__WANT_IP;
	if (vg__intel_caseeq(path, "domain-name:value"))
		return VG__WANT_DOMAIN;
	if (vg__intel_caseeq(path, "url:value"))
		return VG__WANT_URL;
	if (vg__intel_caseeq(path, "network-traffic:dst_ref.value") ||
	    vg__intel_caseeq(path, "network-traffic:src_ref.value"))
		return VG__WANT_ANY;
	return 0;
}

static bool type_path(struct vg_str path)
{
	return path.n > 5 && vg__intel_caseeq((struct vg_str){path.p + path.n - 5, 5}, ".type");
}

static void add_item(struct pat *P, int want, struct vg_str v)
{
	struct vg__intel_items *it = P->items;
	if (P->rc)
		return;
	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 16;
		struct vg__intel_item *nv = vg_realloc(it->v, cap * sizeof(*nv));
		if (!nv) {
			P->rc = VG_ENOMEM;
			return;
		}
		it->v = nv;
		it->cap = cap;
	}
	it->v[it->n++] = (struct vg__intel_item){(enum vg__intel_want)want, v};
}

static enum cls obs_or(struct pat *P);
static enum cls cmp_or(struct pat *P);

/* path [NOT] op value | EXISTS path | ( cmp_or ) */
static enum cls cmp_unit(struct pat *P)
{
	if (P->t == T_LPAREN) {
		if (++P->depth > 32)
			return bad(P, "pattern nests too deep");
		next(P);
		enum cls r = cmp_or(P);
		if (P->t != T_RPAREN)
			return bad(P, "pattern syntax error: ')' expected");
		next(P);
		P->depth--;
		return r;
	}
	if (is_kw(P, "exists")) {
		next(P);
		if (P->t != T_WORD)
			return bad(P, "pattern syntax error: path expected after EXISTS");
		int w = net_path(P->s);
		next(P);
		return w ? bad(P, "EXISTS on an address or domain is not a list entry") : C_OTHER;
	}
	if (P->t != T_WORD || !memchr(P->s.p, ':', P->s.n))
		return bad(P, "pattern syntax error: object path expected");
	struct vg_str path = P->s;
	int want = net_path(path);
	bool negated = false;
	next(P);
	if (is_kw(P, "not")) {
		negated = true;
		next(P);
	}
	struct vg_str op = P->s;
	if (P->t != T_OP && !(P->t == T_WORD && (is_kw(P, "in") || is_kw(P, "like") || is_kw(P, "matches") ||
						 is_kw(P, "issubset") || is_kw(P, "issuperset"))))
		return bad(P, "pattern syntax error: comparison operator expected");
	enum tok opt = P->t;
	next(P);
	size_t first = P->items->n;
	if (vg__intel_caseeq(op, "in")) {
		if (P->t != T_LPAREN)
			return bad(P, "pattern syntax error: '(' expected after IN");
		next(P);
		for (;;) {
			if (P->t != T_STRING && P->t != T_WORD)
				return bad(P, "pattern syntax error: value expected");
			if (want && P->t == T_STRING)
				add_item(P, want, P->s);
			next(P);
			if (P->t == T_COMMA) {
				next(P);
				continue;
			}
			if (P->t != T_RPAREN)
				return bad(P, "pattern syntax error: ')' expected");
			next(P);
			break;
		}
	} else {
		if (P->t != T_STRING && P->t != T_WORD)
			return bad(P, "pattern syntax error: value expected");
		if (want && P->t == T_STRING &&
		    ((opt == T_OP && vg_str_eqc(op, "=")) || (want != VG__WANT_DOMAIN && want != VG__WANT_URL &&
							       vg__intel_caseeq(op, "issubset"))))
			add_item(P, want, P->s);
		next(P);
	}
	if (!want) {
		if (type_path(path) && !negated && opt == T_OP && vg_str_eqc(op, "="))
			return C_TYPE;
		return C_OTHER;
	}
	if (negated)
		return bad(P, "NOT on an address or domain is not a list entry");
	if (P->items->n == first)
		return bad(P, "only '=', IN and ISSUBSET compare addresses or domains as list entries");
	return C_NET;
}

static enum cls cmp_and(struct pat *P)
{
	enum cls r = cmp_unit(P);
	while (r != C_BAD && is_kw(P, "and")) {
		next(P);
		r = cls_and(P, r, cmp_unit(P));
	}
	return r;
}

static enum cls cmp_or(struct pat *P)
{
	enum cls r = cmp_and(P);
	while (r != C_BAD && is_kw(P, "or")) {
		next(P);
		r = cls_or(r, cmp_and(P));
	}
	return r;
}

/* WITHIN n SECONDS, REPEATS n TIMES, START t'..' STOP t'..' */
static bool qualifiers(struct pat *P)
{
	for (;;) {
		if (is_kw(P, "within") || is_kw(P, "repeats")) {
			bool within = is_kw(P, "within");
			next(P);
			if (P->t != T_WORD)
				return false;
			next(P);
			if (!is_kw(P, within ? "seconds" : "times"))
				return false;
			next(P);
		} else if (is_kw(P, "start")) {
			next(P);
			if (P->t != T_STRING)
				return false;
			next(P);
			if (!is_kw(P, "stop"))
				return false;
			next(P);
			if (P->t != T_STRING)
				return false;
			next(P);
		} else {
			return true;
		}
	}
}

static enum cls obs_unit(struct pat *P)
{
	enum cls r;
	if (++P->depth > 32)
		return bad(P, "pattern nests too deep");
	if (P->t == T_LBRACK) {
		next(P);
		r = cmp_or(P);
		if (r != C_BAD && P->t != T_RBRACK)
			r = bad(P, "pattern syntax error: ']' expected");
	} else if (P->t == T_LPAREN) {
		next(P);
		r = obs_or(P);
		if (r != C_BAD && P->t != T_RPAREN)
			r = bad(P, "pattern syntax error: ')' expected");
	} else {
		return bad(P, "pattern syntax error: '[' expected");
	}
	if (r == C_BAD)
		return r;
	next(P);
	if (!qualifiers(P))
		return bad(P, "pattern syntax error in a qualifier");
	P->depth--;
	return r;
}

static enum cls obs_and(struct pat *P)
{
	enum cls r = obs_unit(P);
	while (r != C_BAD && (is_kw(P, "and") || is_kw(P, "followedby"))) {
		next(P);
		r = cls_and(P, r, obs_unit(P));
	}
	return r;
}

static enum cls obs_or(struct pat *P)
{
	enum cls r = obs_and(P);
	while (r != C_BAD && is_kw(P, "or")) {
		next(P);
		r = cls_or(r, obs_and(P));
	}
	return r;
}

int vg__intel_pattern(struct vg_str pattern, struct vg__intel_items *items, const char **why)
{
	struct pat P = {.p = pattern.p, .end = pattern.p + pattern.n, .items = items};
	items->n = 0;
	*why = NULL;
	next(&P);
	enum cls r = obs_or(&P);
	if (r != C_BAD && P.t != T_END)
		r = bad(&P, "pattern syntax error: text after the pattern");
	if (P.rc)
		return P.rc;
	if (r == C_BAD)
		*why = P.why;
	if (r != C_NET)
		items->n = 0; /* nothing usable: hashes and the like, or reported */
	return VG_OK;
}
