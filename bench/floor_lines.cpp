/*
 * floor_lines.cpp -- the floor for bench/run's network rows: the least work
 * any tool reading gzipped line-oriented logs (VPC flow logs, Route 53
 * Resolver query logs) must do.
 *
 *   floor_lines [--json] DIR
 *
 * For every *.log.gz under DIR (sorted, one thread): read the file, gunzip
 * it with libdeflate in one call (the size comes from the gzip trailer) and
 * split it into lines, counting those that are records (flow-log header
 * lines, "version ...", are not).  No field is looked at.  With --json each
 * line is also parsed by the simdjson DOM parser (parse_many over the
 * buffer) and its query_name read, the floor for JSON lines such as DNS
 * query logs.  No detection, no output per record.
 *
 * Prints one line: "records N bytes B seconds S" (B uncompressed), then a
 * human line on stderr that splits the time into read, inflate and split
 * (or parse).  Exit status 1 on any unreadable or invalid file.
 */
#include "floor_util.hpp"

int main(int argc, char **argv)
{
	bool json = argc == 3 && strcmp(argv[1], "--json") == 0;
	if (argc != 2 && !json) {
		fprintf(stderr, "usage: %s [--json] DIR\n", argv[0]);
		return 2;
	}
	const char *root = argv[argc - 1];
	std::vector<std::string> files = corpus_files(root, ".log.gz");
	auto t0 = floor_clock::now();
	libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	simdjson::dom::parser parser;
	std::vector<unsigned char> in;
	std::vector<char> out; /* grows to the largest file, plus padding */
	size_t records = 0, bytes = 0, longest = 0, name_bytes = 0;
	double t_read = 0, t_inflate = 0;

	for (const std::string &path : files) {
		size_t got = 0;
		if (!read_gunzip(path, d, in, out, &got, &t_read, &t_inflate))
			return 1;
		bytes += got;

		if (json) {
			simdjson::dom::document_stream docs;
			if (parser.parse_many(reinterpret_cast<const uint8_t *>(out.data()), got).get(docs)) {
				fprintf(stderr, "%s: JSON error\n", path.c_str());
				return 1;
			}
			for (auto doc : docs) {
				std::string_view name;
				if (doc.error() || doc["query_name"].get(name)) {
					fprintf(stderr, "%s: JSON error or no query_name\n", path.c_str());
					return 1;
				}
				name_bytes += name.size();
				records++;
			}
			continue;
		}
		const char *p = out.data(), *end = p + got;
		while (p < end) {
			const char *nl = static_cast<const char *>(memchr(p, '\n', (size_t)(end - p)));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			if (n && !(n >= 8 && memcmp(p, "version ", 8) == 0))
				records++;
			longest = std::max(longest, n);
			p += n + 1;
		}
	}
	double secs = since(t0);
	libdeflate_free_decompressor(d);

	printf("records %zu bytes %zu seconds %.3f\n", records, bytes, secs);
	fprintf(stderr,
		"floor: %zu files, %zu records, %.1f MB, %.2f s (read %.2f, inflate %.2f, %s %.2f): %.0f records/s, "
		"%.0f MB/s (longest line %zu B, names %zu B)\n",
		files.size(), records, bytes / 1e6, secs, t_read, t_inflate, json ? "parse" : "split",
		secs - t_read - t_inflate, records / secs, bytes / 1e6 / secs, longest, name_bytes);
	return 0;
}
