/*
 * fuzz_config.c -- libFuzzer target for the configuration file reader.
 *
 * The input is the file's text, handed to vg_config_parse as is (no
 * terminator: the reader must keep to the length).  Checks what the
 * header promises: an accepted file's strings are all there and readable,
 * a refused one says why, with the file name in front; every run frees
 * what it got, so a leak shows up under LeakSanitizer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg.h"
#include "config.h"

static size_t touch(const char *s)
{
	if (!s)
		abort();
	return strlen(s);
}

static size_t touch_lists(const struct vg_config_list *l, size_t n)
{
	size_t h = 0;
	for (size_t i = 0; i < n; i++) {
		h += touch(l[i].path);
		h += l[i].name ? touch(l[i].name) : 0;
		h += l[i].category ? touch(l[i].category) : 0;
		h += l[i].format ? touch(l[i].format) : 0;
	}
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so that a read past size hits the redzone. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	struct vg_config c;
	char err[256];
	volatile size_t h = 0;
	int rc = vg_config_parse(text, size, "dir/fuzz.yaml", &c, err, sizeof(err));
	if (rc == VG_OK) {
		h += touch_lists(c.intel, c.n_intel) + touch_lists(c.trusted, c.n_trusted);
		for (size_t i = 0; i < c.n_geoip; i++)
			h += touch(c.geoip[i]);
		for (size_t i = 0; i < c.n_asn; i++)
			h += touch(c.asn[i]);
		for (size_t i = 0; i < c.n_params; i++)
			h += touch(c.params[i].detector) + touch(c.params[i].name);
		h += c.database ? touch(c.database) : 0;
		h += c.flow_format ? touch(c.flow_format) : 0;
		if (c.geo_enabled < -1 || c.geo_enabled > 1)
			abort();
	} else if (rc == VG_EFORMAT || rc == VG_ETOOBIG) {
		if (strncmp(err, "dir/fuzz.yaml:", 14) != 0)
			abort(); /* a refusal names the file */
	} else if (rc != VG_ENOMEM) {
		abort();
	}
	vg_config_free(&c);
	free(text);
	return h == SIZE_MAX; /* reads h, so the reads above stay */
}
