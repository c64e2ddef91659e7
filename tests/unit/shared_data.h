/*
 * shared_data.h -- where the unit tests find ../shared/data: the real
 * third-party logs and lists (see its README) that tests use when present
 * and skip, with a message, when absent.
 */
#ifndef VG_TESTS_SHARED_DATA_H
#define VG_TESTS_SHARED_DATA_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* shared -- $VIGIL_SHARED_DATA/rel, else <cwd>/../shared/data/rel (the
 * suite runs from the repository root; the data sits beside the
 * repository); NULL when it cannot be read.  The path is in a static
 * buffer, valid until the next call. */
static const char *shared(const char *rel)
{
	static char path[PATH_MAX + 256];
	const char *env = getenv("VIGIL_SHARED_DATA");
	char base[PATH_MAX];
	if (env && *env) {
		snprintf(base, sizeof(base), "%s", env);
	} else {
		char cwd[PATH_MAX / 2];
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		snprintf(base, sizeof(base), "%s/../shared/data", cwd);
	}
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	return access(path, R_OK) == 0 ? path : NULL;
}

#endif /* VG_TESTS_SHARED_DATA_H */
