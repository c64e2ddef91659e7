/*
 * alloc.c -- the allocation wrappers declared in vg.h, and vg_strerror.
 */
#include "../vg.h"

#include <stdlib.h>

#ifdef VG_ALLOC_DEBUG
/* Countdown for fault injection.  Only in test builds: the one mutable
 * global outside main, and it exists to prove allocation failures are
 * handled (STYLE.md 29). */
static long fail_countdown;
static bool should_fail(void)
{
	if (fail_countdown > 0 && --fail_countdown == 0)
		return true;
	return false;
}
void vg_alloc_fail_after(long n) { fail_countdown = n; }
#else
static bool should_fail(void) { return false; }
void vg_alloc_fail_after(long n) { (void)n; }
#endif

void *vg_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *vg_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *vg_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *vg_strndup(const char *s, size_t n)
{
	char *d = vg_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void vg_free(void *p) { free(p); }

const char *vg_strerror(int rc)
{
	switch (rc) {
	case VG_OK:
		return "success";
#define VG_ERR_CASE(name, val, msg) \
	case VG_E##name:            \
		return msg;
		VG_ERRNO_MAP(VG_ERR_CASE)
#undef VG_ERR_CASE
	}
	return "unknown error";
}
