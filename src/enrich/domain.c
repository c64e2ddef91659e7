/*
 * domain.c -- domain-name helpers (domain.h).
 *
 * The registrable domain comes from libpsl rather than a suffix table of
 * our own: the Public Suffix List changes monthly and the distribution
 * ships it (Debian's publicsuffix package), so vg_psl_open can pick up a
 * newer list than the one libpsl was built with.  libpsl wants a
 * NUL-terminated lower-case name, so look-ups copy the view into a stack
 * buffer first; the answer is a pointer into that copy, which maps back to
 * the same offset in the caller's view.
 */
#include "../vg.h"
#include "domain.h"

#include <libpsl.h>
#include <math.h>
#include <stdio.h>

struct vg_psl {
	psl_ctx_t *ctx; /* owned; psl_free leaves libpsl's built-in list alone */
};

/* Byte classes for normalization: 0 refused, '.' a separator, else the
 * lower-case byte to write. */
static const unsigned char name_byte[256] = {
	['-'] = '-', ['_'] = '_', ['.'] = '.',
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
	['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
	['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
	['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
	['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
	['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
	['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
};

size_t vg_domain_normalize(struct vg_str name, char *out, size_t cap)
{
	size_t n = name.n;
	if (cap > 0)
		out[0] = '\0';
	if (n > 0 && name.p[n - 1] == '.')
		n--;
	if (n == 0 || n > VG_DOMAIN_NAME_MAX || n >= cap)
		return 0;
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = name_byte[(unsigned char)name.p[i]];
		if (c == 0)
			goto bad;
		if (c == '.') {
			if (label == 0)
				goto bad;
			label = 0;
		} else if (++label > VG_DOMAIN_LABEL_MAX) {
			goto bad;
		}
		out[i] = (char)c;
	}
	if (label == 0)
		goto bad; /* "a.." : the dot before the one dropped ends an empty label */
	out[n] = '\0';
	return n;
bad:
	out[0] = '\0';
	return 0;
}

/* A list read from path; NULL with *rc VG_ENOENT or VG_EFORMAT on failure. */
static psl_ctx_t *load_path(const char *path, int *rc)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*rc = VG_ENOENT;
		return NULL;
	}
	psl_ctx_t *ctx = psl_load_fp(f);
	fclose(f);
	*rc = ctx ? VG_OK : VG_EFORMAT;
	return ctx;
}

int vg_psl_open(struct vg_psl **out, const char *path)
{
	int rc = VG_OK;
	struct vg_psl *psl = vg_malloc(sizeof(*psl));
	if (!psl)
		return VG_ENOMEM;
	if (path) {
		psl->ctx = load_path(path, &rc);
	} else {
		/* The text list the distribution keeps up to date (the file
		 * libpsl's built-in list was made from) first: libpsl searches
		 * a text list by binary search, 2 to 4 times faster than its
		 * DAFSA form (bench/route53_decode.c).  psl_latest otherwise. */
		const char *dat = psl_builtin_filename();
		psl->ctx = dat ? load_path(dat, &rc) : NULL;
		if (!psl->ctx)
			psl->ctx = psl_latest(NULL);
		rc = psl->ctx ? VG_OK : VG_ENOMEM;
	}
	if (!psl->ctx) {
		vg_free(psl);
		return rc;
	}
	*out = psl;
	return VG_OK;
}

void vg_psl_free(struct vg_psl *psl)
{
	if (!psl)
		return;
	psl_free(psl->ctx);
	vg_free(psl);
}

/* The last two labels of name, or all of it when it has one. */
static struct vg_str last_two_labels(struct vg_str name)
{
	int dots = 0;
	for (size_t i = name.n; i > 0; i--)
		if (name.p[i - 1] == '.' && ++dots == 2)
			return (struct vg_str){name.p + i, name.n - i};
	return name;
}

struct vg_str vg_domain_registrable(const struct vg_psl *psl, struct vg_str name)
{
	char buf[VG_DOMAIN_NAME_CAP];
	if (name.n == 0 || name.n > VG_DOMAIN_NAME_MAX)
		return last_two_labels(name);
	const psl_ctx_t *ctx = psl ? psl->ctx : psl_builtin();
	if (!ctx) /* a libpsl built without a compiled-in list */
		return last_two_labels(name);
	/* Folding case here too keeps a caller that skipped normalization
	 * from getting a wrong answer silently. */
	for (size_t i = 0; i < name.n; i++) {
		unsigned char c = (unsigned char)name.p[i];
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	buf[name.n] = '\0';
	if (memchr(buf, '\0', name.n))
		return last_two_labels(name); /* a NUL inside would cut the look-up short */
	const char *reg = psl_registrable_domain(ctx, buf);
	if (!reg || reg < buf || reg >= buf + name.n)
		return last_two_labels(name);
	size_t off = (size_t)(reg - buf);
	return (struct vg_str){name.p + off, name.n - off};
}

struct vg_str vg_domain_subpart(struct vg_str name, struct vg_str registrable)
{
	/* registrable must end name and start right after a dot. */
	if (registrable.n == 0 || registrable.n + 2 > name.n)
		return (struct vg_str){name.p, 0};
	size_t sub = name.n - registrable.n - 1;
	if (name.p[sub] != '.' || !vg_mem_eq(name.p + sub + 1, registrable.p, registrable.n))
		return (struct vg_str){name.p, 0};
	return (struct vg_str){name.p, sub};
}

size_t vg_domain_labels(struct vg_str name, struct vg_str *out, size_t max)
{
	if (name.n == 0)
		return 0;
	size_t count = 0, start = 0;
	for (size_t i = 0; i <= name.n; i++) {
		if (i < name.n && name.p[i] != '.')
			continue;
		if (count < max)
			out[count] = (struct vg_str){name.p + start, i - start};
		count++;
		start = i + 1;
	}
	return count;
}

size_t vg_domain_longest_label(struct vg_str name)
{
	size_t best = 0, cur = 0;
	for (size_t i = 0; i < name.n; i++) {
		if (name.p[i] == '.') {
			cur = 0;
		} else if (++cur > best) {
			best = cur;
		}
	}
	return best;
}

double vg_str_entropy(struct vg_str s)
{
	if (s.n < 2)
		return 0.0;
	uint32_t count[256] = {0};
	for (size_t i = 0; i < s.n; i++)
		count[(unsigned char)s.p[i]]++;
	/* H = log2(n) - (1/n) * sum(c * log2(c)), one log per distinct byte:
	 * the second walk over s visits each byte's count once and clears it,
	 * cheaper than scanning 256 counts for the short labels of a name. */
	double sum = 0.0;
	for (size_t i = 0; i < s.n; i++) {
		uint32_t *c = &count[(unsigned char)s.p[i]];
		if (*c > 1)
			sum += (double)*c * log2((double)*c);
		*c = 0;
	}
	double h = log2((double)s.n) - sum / (double)s.n;
	return h < 0.0 ? 0.0 : h;
}
