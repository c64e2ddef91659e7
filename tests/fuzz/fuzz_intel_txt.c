/*
 * fuzz_intel_txt.c -- libFuzzer target for the TXT intel list format (and
 * format detection): every entry is re-checked by the sink in
 * intel_fuzz.h, which aborts on anything vg_intel_parse must not emit.
 */
#include "intel_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	intel_fuzz_parse(data, size, VG_INTEL_TXT);
	return 0;
}
