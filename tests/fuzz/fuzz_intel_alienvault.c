/*
 * fuzz_intel_alienvault.c -- libFuzzer target for the AlienVault reputation (ALIEN_VAULT) threat-list format:
 * the input is the list file, parsed with the format forced.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	intel_fuzz_parse(data, size, VG_INTEL_ALIEN_VAULT);
	return 0;
}
