/*
 * fuzz_intel_otx.c -- libFuzzer target for the OTX CSV (OTX_CSV) threat-list format:
 * the input is the list file, parsed with the format forced.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	intel_fuzz_parse(data, size, VG_INTEL_OTX_CSV);
	return 0;
}
