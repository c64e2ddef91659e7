/*
 * buf.c -- growable byte buffer with a hard cap.
 */
#include "../vg.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>

void vg_buf_free(struct vg_buf *b)
{
	vg_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

int vg_buf_reserve(struct vg_buf *b, size_t n)
{
	if (b->failed)
		return b->failed;
	if (n > b->max || b->len > b->max - n) {
		b->failed = VG_ETOOBIG;
		return b->failed;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return VG_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = vg_realloc(b->p, cap);
	if (!p) {
		b->failed = VG_ENOMEM;
		return b->failed;
	}
	if (!b->p)
		p[0] = '\0'; /* a fresh buffer is an empty string, not garbage */
	b->p = p;
	b->cap = cap;
	return VG_OK;
}

void vg_buf_add(struct vg_buf *b, const void *p, size_t n)
{
	if (vg_buf_reserve(b, n) != VG_OK || n == 0)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void vg_buf_addc(struct vg_buf *b, char c) { vg_buf_add(b, &c, 1); }

void vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = b->failed ? b->failed : VG_EINVAL;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		vg_buf_add(b, small, (size_t)n);
		return;
	}
	if (vg_buf_reserve(b, (size_t)n) != VG_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void vg_buf_json_str(struct vg_buf *b, struct vg_str s)
{
	static const char hex[] = "0123456789abcdef";
	vg_buf_addc(b, '"');
	if (!s.p) { /* an absent value prints as "" */
		vg_buf_addc(b, '"');
		return;
	}
	size_t run = 0; /* start of the current run of bytes needing no escape */
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		vg_buf_add(b, s.p + run, i - run);
		run = i + 1;
		char esc[6] = {'\\', 0};
		switch (c) {
		case '"': esc[1] = '"'; vg_buf_add(b, esc, 2); break;
		case '\\': esc[1] = '\\'; vg_buf_add(b, esc, 2); break;
		case '\n': esc[1] = 'n'; vg_buf_add(b, esc, 2); break;
		case '\r': esc[1] = 'r'; vg_buf_add(b, esc, 2); break;
		case '\t': esc[1] = 't'; vg_buf_add(b, esc, 2); break;
		default:
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
			vg_buf_add(b, esc, 6);
		}
	}
	vg_buf_add(b, s.p + run, s.n - run);
	vg_buf_addc(b, '"');
}

char *vg_buf_take(struct vg_buf *b, size_t *len)
{
	if (b->failed) {
		vg_buf_free(b);
		return NULL;
	}
	if (!b->p && vg_buf_reserve(b, 0) != VG_OK)
		return NULL;
	char *p = b->p;
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}
