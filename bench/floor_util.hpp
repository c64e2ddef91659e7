/*
 * floor_util.hpp -- what the floors (floor.cpp, floor_lines.cpp) share:
 * finding the corpus files and reading one into a padded buffer the way
 * vigil does (read whole, gunzip with libdeflate in one call, the size from
 * the gzip trailer), with the time each step took.
 */
#ifndef VG_BENCH_FLOOR_UTIL_HPP
#define VG_BENCH_FLOOR_UTIL_HPP

#include <libdeflate.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using floor_clock = std::chrono::steady_clock;

static inline double since(floor_clock::time_point t)
{
	return std::chrono::duration<double>(floor_clock::now() - t).count();
}

/* corpus_files -- every regular file under root whose name ends with
 * suffix, sorted.  Walked before timing starts: a walk of a few thousand
 * entries is noise next to reading them, and vigil walks too. */
static inline std::vector<std::string> corpus_files(const char *root, const char *suffix)
{
	std::vector<std::string> files;
	size_t n = strlen(suffix);
	for (const auto &e : std::filesystem::recursive_directory_iterator(root)) {
		std::string s = e.path().string();
		if (e.is_regular_file() && s.size() >= n && s.compare(s.size() - n, n, suffix) == 0)
			files.push_back(s);
	}
	std::sort(files.begin(), files.end());
	return files;
}

/* read_gunzip -- path into in, its decompressed bytes into out (followed
 * by simdjson's padding); *got is their size.  Adds the seconds spent
 * reading and inflating to *t_read and *t_inflate.  False, with a message
 * on stderr, when the file cannot be read or is no gzip. */
static inline bool read_gunzip(const std::string &path, libdeflate_decompressor *d, std::vector<unsigned char> &in,
			       std::vector<char> &out, size_t *got, double *t_read, double *t_inflate)
{
	auto ts = floor_clock::now();
	FILE *f = fopen(path.c_str(), "rb");
	if (!f) {
		perror(path.c_str());
		return false;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	in.resize((size_t)len);
	bool ok = len >= 18 && fread(in.data(), 1, (size_t)len, f) == (size_t)len;
	fclose(f);
	if (!ok) {
		fprintf(stderr, "%s: short read\n", path.c_str());
		return false;
	}
	*t_read += since(ts);
	ts = floor_clock::now();

	/* ISIZE: the last four bytes, little-endian, size mod 2^32. */
	size_t isize = (size_t)in[len - 4] | (size_t)in[len - 3] << 8 | (size_t)in[len - 2] << 16 |
		       (size_t)in[len - 1] << 24;
	if (out.size() < isize + simdjson::SIMDJSON_PADDING)
		out.resize(isize + simdjson::SIMDJSON_PADDING);
	if (libdeflate_gzip_decompress(d, in.data(), (size_t)len, out.data(), isize, got) != LIBDEFLATE_SUCCESS) {
		fprintf(stderr, "%s: gzip error\n", path.c_str());
		return false;
	}
	*t_inflate += since(ts);
	return true;
}

#endif /* VG_BENCH_FLOOR_UTIL_HPP */
