/*
 * fuzz_intel_csv.c -- libFuzzer target for the delimited intel formats.
 * The first input byte picks the format (modulo 4: OTX_CSV, ALIEN_VAULT,
 * PROOF_POINT, FIRE_EYE); the rest is the list.  Seeds start with '0',
 * '1', '2' or '3' so they stay readable.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum vg_intel_format formats[] = {VG_INTEL_OTX_CSV, VG_INTEL_ALIEN_VAULT, VG_INTEL_PROOF_POINT,
						       VG_INTEL_FIRE_EYE};
	if (size == 0)
		return 0;
	intel_fuzz_parse(data + 1, size - 1, formats[data[0] % 4]);
	return 0;
}
