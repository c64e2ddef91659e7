/*
 * time.c -- ISO-8601 parsing and formatting without the C library's
 * locale- and timezone-dependent calls (localtime and friends are banned).
 */
#include "../vg.h"
#include "time.h"

#include <stdio.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool digits(const char *p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

int vg_time_parse(struct vg_str s, int64_t *ms)
{
	int Y, M, D, h = 0, mi = 0, sec = 0;
	const char *p = s.p;
	size_t n = s.n;
	if (n < 10 || !digits(p, 4, &Y) || p[4] != '-' || !digits(p + 5, 2, &M) || p[7] != '-' ||
	    !digits(p + 8, 2, &D))
		return VG_EFORMAT;
	size_t i = 10;
	if (i < n && (p[i] == 'T' || p[i] == ' ')) {
		if (n < i + 9 || !digits(p + i + 1, 2, &h) || p[i + 3] != ':' ||
		    !digits(p + i + 4, 2, &mi) || p[i + 6] != ':' || !digits(p + i + 7, 2, &sec))
			return VG_EFORMAT;
		i += 9;
	}
	int frac = 0;
	if (i < n && p[i] == '.') {
		int scale = 100;
		i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			return VG_EFORMAT;
		while (i < n && p[i] >= '0' && p[i] <= '9') {
			frac += (p[i] - '0') * scale;
			scale /= 10;
			i++;
		}
	}
	int64_t off = 0;
	if (i < n && (p[i] == 'Z' || p[i] == 'z')) {
		i++;
	} else if (i < n && (p[i] == '+' || p[i] == '-')) {
		int oh, om = 0;
		if (n < i + 3 || !digits(p + i + 1, 2, &oh))
			return VG_EFORMAT;
		size_t j = i + 3;
		if (j < n && p[j] == ':')
			j++;
		if (j + 2 <= n && digits(p + j, 2, &om))
			j += 2;
		if (oh > 23 || om > 59)
			return VG_EFORMAT;
		off = (int64_t)(oh * 60 + om) * 60000 * (p[i] == '+' ? 1 : -1);
		i = j;
	}
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
	if (i != n || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] + (M == 2 && leap) || h > 23 || mi > 59 ||
	    sec > 60)
		return VG_EFORMAT;
	int64_t days = days_from_civil(Y, (unsigned)M, (unsigned)D);
	*ms = ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000) + frac - off;
	return VG_OK;
}

void vg_time_format(int64_t ms, char *out)
{
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int msec = (int)(ms - secs * 1000);
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int rem = (int)(secs - days * 86400);
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) { /* keep the fixed width the format promises */
		memcpy(out, "0000-00-00T00:00:00.000Z", VG_TIME_ISO_LEN + 1);
		return;
	}
	/* Every field is range-checked above, so the text fits exactly. */
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m % 100, d % 100, rem / 3600 % 100,
		 (rem / 60) % 60, rem % 60, msec % 1000);
	memcpy(out, tmp, VG_TIME_ISO_LEN + 1);
}

int64_t vg_time_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t vg_time_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
