/*
 * str.c -- helpers over string views.
 */
#include "../vg.h"
#include "str.h"

static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c; }

bool vg_str_casecontains(struct vg_str h, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	if (h.n < n)
		return false;
	for (size_t i = 0; i + n <= h.n; i++) {
		if (lower((unsigned char)h.p[i]) != (unsigned char)needle[0])
			continue;
		size_t j = 1;
		while (j < n && lower((unsigned char)h.p[i + j]) == (unsigned char)needle[j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

bool vg_str_prefix(struct vg_str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}
