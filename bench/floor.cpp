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
#include "floor_util.hpp"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	/* Walk first, so the timed part is the per-file work. */
	std::vector<std::string> files = corpus_files(argv[1], ".json.gz");
	auto t0 = floor_clock::now();
	libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	simdjson::dom::parser parser;
	std::vector<unsigned char> in;
	std::vector<char> out; /* grows to the largest file, plus padding */
	size_t records = 0, bytes = 0, name_bytes = 0;
	double t_read = 0, t_inflate = 0; /* seconds in each stage; parse is the rest */

	for (const std::string &path : files) {
		size_t got = 0;
		if (!read_gunzip(path, d, in, out, &got, &t_read, &t_inflate))
			return 1;
		bytes += got;

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
