/*
 * floor.cpp -- the floor for bench/run: the least work any CloudTrail tool
 * built on vigil's libraries must do.
 *
 *   floor DIR
 *
 * For every *.json.gz under DIR (sorted, one thread): read the file,
 * gunzip it with libdeflate in one call (the size comes from the gzip
 * trailer), parse it with the simdjson DOM parser from a padded buffer, and
 * walk the Records array, reading each record's eventName as a string so
 * the work cannot be optimised away.  No detection, no output per record.
 *
 * Prints one line: "records N bytes B seconds S" (B uncompressed), then a
 * human line on stderr that splits the time into read, inflate and parse.
 * Exit status 1 on any unreadable or invalid file.
 */
#include <libdeflate.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

static bool ends_with(const std::string &s, const char *suffix)
{
	size_t n = strlen(suffix);
	return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	/* Walk first, so the timed part is the per-file work (vigil walks too,
	 * but a directory walk of a few thousand entries is noise). */
	std::vector<std::string> files;
	for (const auto &e : fs::recursive_directory_iterator(argv[1]))
		if (e.is_regular_file() && ends_with(e.path().string(), ".json.gz"))
			files.push_back(e.path().string());
	std::sort(files.begin(), files.end());

	using clock = std::chrono::steady_clock;
	auto since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
	auto t0 = clock::now();
	libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	simdjson::dom::parser parser;
	std::vector<unsigned char> in;
	std::vector<char> out; /* grows to the largest file, plus padding */
	size_t records = 0, bytes = 0, name_bytes = 0;
	double t_read = 0, t_inflate = 0; /* seconds in each stage; parse is the rest */

	for (const std::string &path : files) {
		auto ts = clock::now();
		FILE *f = fopen(path.c_str(), "rb");
		if (!f) {
			perror(path.c_str());
			return 1;
		}
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		in.resize((size_t)len);
		if (len < 18 || fread(in.data(), 1, (size_t)len, f) != (size_t)len) {
			fprintf(stderr, "%s: short read\n", path.c_str());
			return 1;
		}
		fclose(f);
		t_read += since(ts);
		ts = clock::now();

		/* ISIZE: the last four bytes, little-endian, size mod 2^32. */
		size_t isize = (size_t)in[len - 4] | (size_t)in[len - 3] << 8 | (size_t)in[len - 2] << 16 |
			       (size_t)in[len - 1] << 24;
		if (out.size() < isize + simdjson::SIMDJSON_PADDING)
			out.resize(isize + simdjson::SIMDJSON_PADDING);
		size_t got = 0;
		if (libdeflate_gzip_decompress(d, in.data(), (size_t)len, out.data(), isize, &got) !=
		    LIBDEFLATE_SUCCESS) {
			fprintf(stderr, "%s: gzip error\n", path.c_str());
			return 1;
		}
		bytes += got;
		t_inflate += since(ts);

		simdjson::dom::element doc;
		if (parser.parse(reinterpret_cast<const uint8_t *>(out.data()), got, false).get(doc)) {
			fprintf(stderr, "%s: JSON error\n", path.c_str());
			return 1;
		}
		simdjson::dom::array recs;
		if (doc["Records"].get(recs)) {
			fprintf(stderr, "%s: no Records array\n", path.c_str());
			return 1;
		}
		for (simdjson::dom::element r : recs) {
			std::string_view name;
			if (!r["eventName"].get(name))
				name_bytes += name.size();
			records++;
		}
	}
	double secs = since(t0);
	libdeflate_free_decompressor(d);

	printf("records %zu bytes %zu seconds %.3f\n", records, bytes, secs);
	fprintf(stderr,
		"floor: %zu files, %zu records, %.1f MB, %.2f s (read %.2f, inflate %.2f, parse %.2f): %.0f records/s, "
		"%.0f MB/s (names %zu B)\n",
		files.size(), records, bytes / 1e6, secs, t_read, t_inflate, secs - t_read - t_inflate, records / secs,
		bytes / 1e6 / secs, name_bytes);
	return 0;
}
