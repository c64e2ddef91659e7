/*
 * time.h -- timestamps.  vigil keeps times as milliseconds since the Unix
 * epoch (UTC) in an int64_t and prints them in GuardDuty's ISO-8601 form.
 */
#ifndef VG_CORE_TIME_H
#define VG_CORE_TIME_H

#include "../vg.h"
#include "str.h"

#define VG_TIME_ISO_LEN 24 /* "2022-11-17T09:33:19.224Z" */

/* vg_time_parse -- parse an ISO-8601 / RFC 3339 timestamp ("2024-07-31T10:00:00Z",
 * with optional fraction and +hh:mm offset).  Returns VG_OK or VG_EFORMAT. */
int vg_time_parse(struct vg_str s, int64_t *ms) VG_WUR;
/* vg_time_format -- write ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into out, which
 * must hold VG_TIME_ISO_LEN + 1 bytes. */
void vg_time_format(int64_t ms, char *out);
/* vg_time_now_ms -- wall-clock time. */
int64_t vg_time_now_ms(void);
/* vg_time_mono_ms -- monotonic clock, for progress and rates. */
int64_t vg_time_mono_ms(void);

#endif /* VG_CORE_TIME_H */
