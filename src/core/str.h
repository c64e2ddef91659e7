/*
 * str.h -- string views.  A vg_str never owns its bytes: it points into a
 * decoded buffer (or a static string) and lives as long as that buffer.
 */
#ifndef VG_CORE_STR_H
#define VG_CORE_STR_H

#include "../vg.h"

struct vg_str {
	const char *p; /* first byte; may be NULL when n == 0 */
	size_t n;      /* length in bytes, no terminator counted */
};

#define VG_STR_LIT(s) ((struct vg_str){(s), sizeof(s) - 1})
#define VG_STR_NULL ((struct vg_str){NULL, 0})

/* vg_mem_eq -- equality of n bytes.  Field names and API names are short,
 * so two overlapping 8-byte loads settle most comparisons without a call
 * into the C library's memcmp (measured: 4 % of a scan), and two 4-byte
 * ones settle 4 to 7 bytes (most Route 53 keys: "region", "rcode",
 * "srcaddr", ...), which a byte loop took one at a time. */
static inline bool vg_mem_eq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	if (n >= 8 && n <= 16) {
		uint64_t p, q, r, t;
		memcpy(&p, x, 8);
		memcpy(&q, y, 8);
		memcpy(&r, x + n - 8, 8);
		memcpy(&t, y + n - 8, 8);
		return p == q && r == t;
	}
	if (n >= 4 && n < 8) {
		uint32_t p, q, r, t;
		memcpy(&p, x, 4);
		memcpy(&q, y, 4);
		memcpy(&r, x + n - 4, 4);
		memcpy(&t, y + n - 4, 4);
		return p == q && r == t;
	}
	if (n < 4) {
		for (size_t i = 0; i < n; i++)
			if (x[i] != y[i])
				return false;
		return true;
	}
	return memcmp(a, b, n) == 0;
}

static inline struct vg_str vg_str_c(const char *s) { return (struct vg_str){s, s ? strlen(s) : 0}; }
static inline bool vg_str_empty(struct vg_str s) { return s.n == 0; }
static inline bool vg_str_eq(struct vg_str a, struct vg_str b) { return a.n == b.n && vg_mem_eq(a.p, b.p, a.n); }
static inline bool vg_str_eqc(struct vg_str a, const char *c) { return vg_str_eq(a, vg_str_c(c)); }

/* vg_str_casecontains -- true when needle (ASCII, lower case) occurs in
 * haystack ignoring ASCII case. */
bool vg_str_casecontains(struct vg_str haystack, const char *needle);
/* vg_str_prefix -- true when s starts with the C string prefix. */
bool vg_str_prefix(struct vg_str s, const char *prefix);

#endif /* VG_CORE_STR_H */
