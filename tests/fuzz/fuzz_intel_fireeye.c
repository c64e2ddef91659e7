/*
 * fuzz_intel_fireeye.c -- libFuzzer target for the FireEye iSIGHT CSV (FIRE_EYE) threat-list format:
 * the input is the list file, parsed with the format forced.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	intel_fuzz_parse(data, size, VG_INTEL_FIRE_EYE);
	return 0;
}
