/*
 * fuzz_util.h -- what the decoder fuzz targets share: reading every byte
 * of what a decoder produced (so the sanitizers see any view that points
 * outside the input) and copying the input into a buffer with the zero
 * padding simdjson reads past the end, as vg_input_read leaves it.
 */
#ifndef VG_TESTS_FUZZ_UTIL_H
#define VG_TESTS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg.h"
#include "core/ip.h"
#include "core/str.h"

static inline uint64_t touch_str(struct vg_str s)
{
	uint64_t h = s.n;
	for (size_t i = 0; i < s.n; i++)
		h = h * 31 + (unsigned char)s.p[i];
	return h;
}

/* touch_ip -- also aborts on an address of no known family. */
static inline uint64_t touch_ip(const struct vg_ip *ip)
{
	uint64_t h = ip->family;
	if (ip->family != 0 && ip->family != 4 && ip->family != 6)
		abort();
	for (int i = 0; i < 16; i++)
		h = h * 31 + ip->b[i];
	return h;
}

/* padded_copy -- data followed by pad zero bytes; the caller frees it
 * with free().  NULL when out of memory. */
static inline char *padded_copy(const uint8_t *data, size_t size, size_t pad)
{
	char *buf = malloc(size + pad);
	if (!buf)
		return NULL;
	if (size)
		memcpy(buf, data, size);
	memset(buf + size, 0, pad);
	return buf;
}

#endif /* VG_TESTS_FUZZ_UTIL_H */
