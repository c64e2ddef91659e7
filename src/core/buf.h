/*
 * buf.h -- growable byte buffer with a hard cap (curl's dynbuf idea).
 *
 * A failed append is sticky: b->failed is set, later appends do nothing,
 * and the caller checks once at the end (SQLite's mallocFailed).
 */
#ifndef VG_CORE_BUF_H
#define VG_CORE_BUF_H

#include "../vg.h"
#include "str.h"

struct vg_buf {
	char *p;     /* bytes, always NUL-terminated when len > 0; owned */
	size_t len;  /* bytes used */
	size_t cap;  /* bytes allocated */
	size_t max;  /* hard cap on len; 0 means VG_BUF_DEFAULT_MAX */
	int failed;  /* first error (VG_ENOMEM or VG_ETOOBIG), sticky */
};

#define VG_BUF_DEFAULT_MAX ((size_t)1 << 30)

static inline void vg_buf_init(struct vg_buf *b, size_t max)
{
	*b = (struct vg_buf){.max = max ? max : VG_BUF_DEFAULT_MAX};
}
/* vg_buf_free -- releases the bytes; the buffer may be reused after init. */
void vg_buf_free(struct vg_buf *b);
static inline void vg_buf_reset(struct vg_buf *b) { b->len = 0; b->failed = 0; if (b->p) b->p[0] = '\0'; }
/* vg_buf_reserve -- make room for n more bytes (plus terminator). */
int vg_buf_reserve(struct vg_buf *b, size_t n);
void vg_buf_add(struct vg_buf *b, const void *p, size_t n);
static inline void vg_buf_adds(struct vg_buf *b, const char *s) { vg_buf_add(b, s, strlen(s)); }
static inline void vg_buf_addstr(struct vg_buf *b, struct vg_str s) { vg_buf_add(b, s.p, s.n); }
void vg_buf_addc(struct vg_buf *b, char c);
void vg_buf_printf(struct vg_buf *b, const char *fmt, ...) VG_PRINTF(2, 3);
/* vg_buf_json_str -- append s as a quoted, escaped JSON string. */
void vg_buf_json_str(struct vg_buf *b, struct vg_str s);
static inline void vg_buf_json_cstr(struct vg_buf *b, const char *s) { vg_buf_json_str(b, vg_str_c(s)); }
/* vg_buf_take -- hand the bytes to the caller (who frees them with
 * vg_free) and leave the buffer empty.  Returns NULL if the buffer failed. */
char *vg_buf_take(struct vg_buf *b, size_t *len);

#endif /* VG_CORE_BUF_H */
