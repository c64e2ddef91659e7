/*
 * input.c -- reading files and stdin; gzip through libdeflate (whole
 * buffers, about twice zlib's speed here) with zlib as the fallback that
 * can recover the readable prefix of a damaged stream.
 */
#include "../vg.h"
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static bool is_gzip(const unsigned char *p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

/* Read all of fd into a fresh buffer with room for padding. */
static int slurp(int fd, size_t max, char **out, size_t *out_len)
{
	struct stat st;
	size_t cap = 1 << 16, len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		/* Compressed inputs may legitimately be smaller than max while
		 * expanding beyond it; the raw size gets the same cap. */
		if ((uint64_t)st.st_size > max)
			return VG_ETOOBIG;
		cap = (size_t)st.st_size + 1;
	}
	char *buf = vg_malloc(cap + VG_INPUT_PADDING);
	if (!buf)
		return VG_ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				vg_free(buf);
				return VG_ETOOBIG;
			}
			size_t ncap = cap * 2 > max ? max : cap * 2;
			char *nb = vg_realloc(buf, ncap + VG_INPUT_PADDING);
			if (!nb) {
				vg_free(buf);
				return VG_ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			vg_free(buf);
			return VG_EIO;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	memset(buf + len, 0, VG_INPUT_PADDING);
	*out = buf;
	*out_len = len;
	return VG_OK;
}

/* zlib fallback: inflate as much as possible, concatenated members
 * included, keeping the clean prefix when the data is damaged. */
static int inflate_salvage(const unsigned char *src, size_t n, size_t max, struct vg_input *in)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return VG_ENOMEM;
	size_t cap = n * 4 + 4096, len = 0;
	if (cap > max)
		cap = max;
	char *out = vg_malloc(cap + VG_INPUT_PADDING);
	int rc = VG_OK;
	if (!out) {
		inflateEnd(&zs);
		return VG_ENOMEM;
	}
	zs.next_in = (unsigned char *)src;
	zs.avail_in = n > UINT_MAX ? UINT_MAX : (unsigned)n;
	bool clean = false;
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				rc = VG_ETOOBIG;
				break;
			}
			size_t ncap = cap * 2 > max ? max : cap * 2;
			char *nb = vg_realloc(out, ncap + VG_INPUT_PADDING);
			if (!nb) {
				rc = VG_ENOMEM;
				break;
			}
			out = nb;
			cap = ncap;
		}
		size_t room = cap - len;
		zs.next_out = (unsigned char *)out + len;
		zs.avail_out = room > UINT_MAX ? UINT_MAX : (unsigned)room;
		int zr = inflate(&zs, Z_NO_FLUSH);
		len = (size_t)((char *)zs.next_out - out);
		if (zr == Z_STREAM_END) {
			/* Another member may follow (gzip allows concatenation). */
			size_t used = (size_t)(zs.next_in - src);
			if (used < n && is_gzip(src + used, n - used)) {
				inflateReset(&zs);
				continue;
			}
			clean = true;
			break;
		}
		if (zr == Z_OK)
			continue;
		if (zr == Z_BUF_ERROR && zs.avail_out == 0)
			continue;
		break; /* Z_DATA_ERROR, or Z_BUF_ERROR: input ended early */
	}
	inflateEnd(&zs);
	if (rc != VG_OK) {
		vg_free(out);
		return rc;
	}
	memset(out + len, 0, VG_INPUT_PADDING);
	in->data = out;
	in->len = len;
	in->truncated = !clean;
	return VG_OK;
}

static int gunzip(const unsigned char *src, size_t n, size_t max, struct vg_input *in)
{
	/* The trailer's ISIZE is the size mod 2^32 of the last member only:
	 * a hint, grown on demand. */
	size_t guess = n >= 4 ? (size_t)src[n - 4] | (size_t)src[n - 3] << 8 | (size_t)src[n - 2] << 16 |
					(size_t)src[n - 1] << 24
			      : 0;
	/* Deflate expands at most about 1032:1, so a larger ISIZE is a damaged
	 * trailer: don't let it size the first allocation. */
	if (guess < n || guess / 1032 > n)
		guess = n * 4;
	if (guess > max)
		guess = max;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	if (!d)
		return VG_ENOMEM;
	char *out = NULL;
	size_t cap = guess, len = 0, in_off = 0;
	int rc = VG_OK;
	for (;;) {
		char *nb = vg_realloc(out, cap + VG_INPUT_PADDING);
		if (!nb) {
			rc = VG_ENOMEM;
			break;
		}
		out = nb;
		size_t used = 0, got = 0;
		enum libdeflate_result r = libdeflate_gzip_decompress_ex(d, src + in_off, n - in_off, out + len,
									 cap - len, &used, &got);
		if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
			if (cap >= max) {
				rc = VG_ETOOBIG;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			continue;
		}
		if (r != LIBDEFLATE_SUCCESS) {
			rc = VG_EGZIP;
			break;
		}
		len += got;
		in_off += used;
		if (in_off >= n || !is_gzip(src + in_off, n - in_off))
			break;
	}
	libdeflate_free_decompressor(d);
	if (rc == VG_EGZIP) {
		vg_free(out);
		return inflate_salvage(src, n, max, in);
	}
	if (rc != VG_OK) {
		vg_free(out);
		return rc;
	}
	memset(out + len, 0, VG_INPUT_PADDING);
	in->data = out;
	in->len = len;
	return VG_OK;
}

static int digest(const char *raw, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(raw, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return VG_ENOMEM;
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return VG_OK;
}

static int decode(char *raw, size_t raw_len, size_t max, unsigned flags, struct vg_input *in)
{
	in->raw_len = raw_len;
	if ((flags & VG_INPUT_DIGEST) && digest(raw, raw_len, in->sha256) != VG_OK) {
		vg_free(raw);
		return VG_ENOMEM;
	}
	if (!is_gzip((unsigned char *)raw, raw_len)) {
		in->data = raw; /* already padded by slurp or the caller */
		in->len = raw_len;
		return VG_OK;
	}
	in->gzip = true;
	int rc = gunzip((unsigned char *)raw, raw_len, max, in);
	vg_free(raw);
	return rc;
}

int vg_input_read(const char *path, size_t max, unsigned flags, struct vg_input *in)
{
	memset(in, 0, sizeof(*in));
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? VG_ENOENT : VG_EIO;
	char *raw = NULL;
	size_t raw_len = 0;
	int rc = slurp(fd, max, &raw, &raw_len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != VG_OK)
		return rc;
	return decode(raw, raw_len, max, flags, in);
}

int vg_input_from_mem(const void *bytes, size_t n, size_t max, unsigned flags, struct vg_input *in)
{
	memset(in, 0, sizeof(*in));
	if (n > max)
		return VG_ETOOBIG;
	char *raw = vg_malloc(n + VG_INPUT_PADDING);
	if (!raw)
		return VG_ENOMEM;
	if (n)
		memcpy(raw, bytes, n);
	memset(raw + n, 0, VG_INPUT_PADDING);
	return decode(raw, n, max, flags, in);
}

void vg_input_free(struct vg_input *in)
{
	vg_free(in->data);
	memset(in, 0, sizeof(*in));
}
