/*
 * input.h -- bytes in: one file or stdin, decompressed when it is gzip.
 *
 * Compression is detected by the gzip magic bytes, never by the name.  The
 * decompressed bytes are followed by VG_INPUT_PADDING zero bytes so that
 * parsers which read ahead (simdjson) can use the buffer in place.
 */
#ifndef VG_INGEST_INPUT_H
#define VG_INGEST_INPUT_H

#include "../vg.h"

#define VG_INPUT_PADDING 64

struct vg_input {
	char *data;        /* decompressed bytes + padding; owned */
	size_t len;        /* decompressed length */
	size_t raw_len;    /* bytes read from the file or stream */
	bool gzip;         /* the input was gzip-compressed */
	bool truncated;    /* gzip data ended early or was corrupt; data holds what could be recovered */
	char sha256[65];   /* hex SHA-256 of the raw bytes, when asked for; else "" */
};

/* Flags for vg_input_read. */
#define VG_INPUT_DIGEST 1u /* fill in sha256 (identifies a log file however it is named) */

/* vg_input_read -- read path ("-" is stdin) into in, decompressing gzip.
 * Inputs whose decompressed size exceeds max are refused with VG_ETOOBIG.
 * A corrupt or truncated gzip stream is not an error: what decompressed
 * cleanly is kept and in->truncated is set, so good records survive.
 * Caller releases with vg_input_free (also after an error). */
int vg_input_read(const char *path, size_t max, unsigned flags, struct vg_input *in) VG_WUR;
void vg_input_free(struct vg_input *in);

/* vg_input_from_mem -- the same decoding over bytes already in memory (for
 * the fuzz targets and tests). */
int vg_input_from_mem(const void *bytes, size_t n, size_t max, unsigned flags, struct vg_input *in) VG_WUR;

#endif /* VG_INGEST_INPUT_H */
