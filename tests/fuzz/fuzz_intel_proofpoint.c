/*
 * fuzz_intel_proofpoint.c -- libFuzzer target for the Proofpoint ET CSV (PROOF_POINT) threat-list format:
 * the input is the list file, parsed with the format forced.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	intel_fuzz_parse(data, size, VG_INTEL_PROOF_POINT);
	return 0;
}
