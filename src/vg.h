/*
 * vg.h -- included first by every vigil source file.
 *
 * Holds what every stage shares: error codes (one X-macro that also builds
 * vg_strerror), the allocation wrappers all heap use goes through, and the
 * compiler attributes.  Nothing here depends on any pipeline stage.
 */
#ifndef VG_H
#define VG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define VG_WUR __attribute__((warn_unused_result))
#define VG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define VG_LIKELY(x) __builtin_expect(!!(x), 1)
#define VG_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define VG_WUR
#define VG_PRINTF(f, a)
#define VG_LIKELY(x) (x)
#define VG_UNLIKELY(x) (x)
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define VG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Error codes: 0 is success, failures are negative.  The X-macro keeps the
 * name, the value and the message in one place. */
#define VG_ERRNO_MAP(X)                                                   \
	X(NOMEM, -1, "out of memory")                                     \
	X(IO, -2, "input/output error")                                   \
	X(NOENT, -3, "no such file or directory")                         \
	X(GZIP, -4, "corrupt or truncated gzip data")                     \
	X(TOOBIG, -5, "input exceeds the configured size limit")          \
	X(JSON, -6, "malformed JSON")                                     \
	X(TYPE, -7, "field has the wrong type")                           \
	X(MISSING, -8, "required field missing")                          \
	X(VERSION, -9, "unsupported record version")                      \
	X(FORMAT, -10, "unrecognised record format")                      \
	X(STORE, -11, "finding store error")                              \
	X(INVAL, -12, "invalid argument")                                 \
	X(DEPTH, -13, "nesting too deep")                                 \
	X(LIMIT, -14, "memory ceiling reached")

enum vg_errno {
	VG_OK = 0,
#define VG_ERR_ENUM(name, val, msg) VG_E##name = (val),
	VG_ERRNO_MAP(VG_ERR_ENUM)
#undef VG_ERR_ENUM
};

/* vg_strerror -- static message for an error code; never NULL. */
const char *vg_strerror(int rc);

/* Allocation.  Every heap allocation in src/ goes through these so that a
 * debug build can count and fail them (see core/alloc.c).  vg_malloc and
 * friends return NULL on failure; callers own the result and release it
 * with vg_free. */
void *vg_malloc(size_t n) VG_WUR;
void *vg_calloc(size_t n, size_t size) VG_WUR;
void *vg_realloc(void *p, size_t n) VG_WUR;
char *vg_strndup(const char *s, size_t n) VG_WUR;
void vg_free(void *p);

/* vg_alloc_fail_after -- test hook: make the Nth following allocation fail
 * (0 disables).  Only honoured in builds with VG_ALLOC_DEBUG. */
void vg_alloc_fail_after(long n);

#ifdef __cplusplus
}
#endif

#endif /* VG_H */
