/*
 * fuzz_intel_stix.c -- libFuzzer target for STIX lists: 2.x JSON bundles
 * (indicator patterns, observables) and 1.x XML (libxml2 with network,
 * DTD loading and entity substitution off), chosen by the content.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	intel_fuzz_parse(data, size, VG_INTEL_STIX);
	return 0;
}
