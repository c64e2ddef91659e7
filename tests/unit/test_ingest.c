/*
 * test_ingest.c -- bytes in: files, stdin and memory, gzip detected by its
 * magic bytes (multi-member, and damaged streams salvaged), and the sorted
 * folder walk that finds the log files.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "vg.h"
#include "ingest/input.h"
#include "ingest/walk.h"

/* ---- helpers ------------------------------------------------------------ */

/* A scratch folder per test, removed by the suite's fini hook. */
static char tmpdir[64];

static void tmp_up(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigil-test-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void tmp_down(void)
{
	if (tmpdir[0])
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = '\0';
}

/* tmpdir/rel, in a static buffer (one at a time). */
static const char *tmp_path(const char *rel)
{
	static char p[512];
	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	return p;
}

/* Create tmpdir/rel with its parent folders and write n bytes to it. */
static void write_file(const char *rel, const void *data, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	for (char *s = path + strlen(tmpdir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
		*s = '/';
	}
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "fopen %s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(data, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
}

/* One gzip member holding data[0..n), as gzip(1) writes it.  The caller
 * frees the result with free(). */
static unsigned char *gz(const void *data, size_t n, size_t *out_n)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	cr_assert_eq(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&zs, (uLong)n) + 32;
	unsigned char *out = malloc(cap);
	cr_assert_not_null(out);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_n = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* n bytes of JSON-lines text that compress well but not to nothing. */
static char *sample_text(size_t n)
{
	char *t = malloc(n + 1);
	cr_assert_not_null(t);
	size_t o = 0;
	for (unsigned i = 0; o < n; i++) {
		char line[128];
		int k = snprintf(line, sizeof(line), "{\"eventName\":\"Op%u\",\"n\":%u,\"x\":%u}\n", i % 97, i,
				 (i * 2654435761u) >> 7);
		size_t take = (size_t)k < n - o ? (size_t)k : n - o;
		memcpy(t + o, line, take);
		o += take;
	}
	t[n] = '\0';
	return t;
}

/* Hex SHA-256 of n bytes, computed independently of input.c. */
static void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	cr_assert(EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL));
	cr_assert_eq(mdlen, 32);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The padding promise: VG_INPUT_PADDING zero bytes after the data. */
static void assert_padded(const struct vg_input *in)
{
	cr_assert_not_null(in->data);
	for (size_t i = 0; i < VG_INPUT_PADDING; i++)
		cr_assert_eq(in->data[in->len + i], 0, "padding byte %zu", i);
}

/* -- walk capture -- */

#define MAX_VISITS 64

struct visits {
	int n;
	int stop_after; /* return 1 from this visit on (0 = never) */
	char path[MAX_VISITS][256];
	enum vg_walk_kind kind[MAX_VISITS];
	bool had_text[MAX_VISITS];
};

static int visit(void *ctx, const char *path, enum vg_walk_kind kind, const char *errno_text)
{
	struct visits *v = ctx;
	cr_assert_lt(v->n, MAX_VISITS);
	snprintf(v->path[v->n], sizeof(v->path[0]), "%s", path);
	v->kind[v->n] = kind;
	v->had_text[v->n] = errno_text != NULL && errno_text[0] != '\0';
	v->n++;
	return v->stop_after && v->n >= v->stop_after ? 1 : 0;
}

/* ---- input: files ----------------------------------------------------------- */

TestSuite(input, .init = tmp_up, .fini = tmp_down);

Test(input, digest_of_a_file)
{
	char *text = sample_text(5000);
	write_file("d.json", text, 5000);
	char want[65];
	sha256_hex(text, 5000, want);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("d.json"), 1 << 20, VG_INPUT_DIGEST, &in), VG_OK);
	cr_assert_str_eq(in.sha256, want);
	vg_input_free(&in);
	free(text);
}

Test(input, plain_file)
{
	write_file("plain.json", "{\"a\":1}\n", 8);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("plain.json"), 1 << 20, 0, &in), VG_OK);
	cr_assert_eq(in.len, 8);
	cr_assert_eq(in.raw_len, 8);
	cr_assert_str_eq(in.sha256, "");
	cr_assert_not(in.gzip);
	cr_assert_not(in.truncated);
	cr_assert_eq(memcmp(in.data, "{\"a\":1}\n", 8), 0);
	assert_padded(&in);
	vg_input_free(&in);
	cr_assert_null(in.data);
	cr_assert_eq(in.len, 0);
}

Test(input, gzip_file_is_detected_by_magic_not_name)
{
	size_t n = 200000, zn;
	char *text = sample_text(n);
	unsigned char *z = gz(text, n, &zn);
	cr_assert_lt(zn, n / 2);
	write_file("no-extension", z, zn);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("no-extension"), 1 << 24, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert_not(in.truncated);
	cr_assert_eq(in.raw_len, zn);
	cr_assert_eq(in.len, n);
	cr_assert_eq(memcmp(in.data, text, n), 0);
	assert_padded(&in);
	vg_input_free(&in);

	/* And a plain file named .gz is read as it is. */
	write_file("plain.json.gz", text, 100);
	cr_assert_eq(vg_input_read(tmp_path("plain.json.gz"), 1 << 24, 0, &in), VG_OK);
	cr_assert_not(in.gzip);
	cr_assert_eq(in.len, 100);
	vg_input_free(&in);
	free(z);
	free(text);
}

Test(input, multi_member_gzip)
{
	/* A large first member and a tiny last one: the trailer's size hint
	 * (last member only) is far too small and the buffer must grow. */
	size_t an = 300000, bn = 10, azn, bzn;
	char *a = sample_text(an);
	const char *b = "{\"z\":9}\n\n";
	unsigned char *az = gz(a, an, &azn), *bz = gz(b, bn, &bzn);
	unsigned char *cat = malloc(azn + bzn);
	memcpy(cat, az, azn);
	memcpy(cat + azn, bz, bzn);
	write_file("cat.gz", cat, azn + bzn);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("cat.gz"), 1 << 24, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert_not(in.truncated);
	cr_assert_eq(in.len, an + bn);
	cr_assert_eq(memcmp(in.data, a, an), 0);
	cr_assert_eq(memcmp(in.data + an, b, bn), 0);
	assert_padded(&in);
	vg_input_free(&in);
	free(a), free(az), free(bz), free(cat);
}

Test(input, three_small_members)
{
	const char *parts[] = {"one\n", "two\n", "three\n"};
	unsigned char buf[1024];
	size_t o = 0;
	for (int i = 0; i < 3; i++) {
		size_t zn;
		unsigned char *z = gz(parts[i], strlen(parts[i]), &zn);
		memcpy(buf + o, z, zn);
		o += zn;
		free(z);
	}
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(buf, o, 1 << 20, 0, &in), VG_OK);
	cr_assert_eq(in.len, 14);
	cr_assert_eq(memcmp(in.data, "one\ntwo\nthree\n", 14), 0);
	cr_assert_not(in.truncated);
	vg_input_free(&in);
}

Test(input, truncated_gzip_keeps_a_prefix)
{
	size_t n = 400000, zn;
	char *text = sample_text(n);
	unsigned char *z = gz(text, n, &zn);
	size_t cut = zn * 6 / 10;
	write_file("cut.json.gz", z, cut);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("cut.json.gz"), 1 << 24, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert(in.truncated);
	cr_assert_eq(in.raw_len, cut);
	cr_assert_gt(in.len, n / 4, "most of what was compressed should come back (%zu)", in.len);
	cr_assert_lt(in.len, n);
	cr_assert_eq(memcmp(in.data, text, in.len), 0, "the salvaged bytes are a prefix of the original");
	assert_padded(&in);
	vg_input_free(&in);
	free(z);
	free(text);
}

Test(input, truncated_second_member)
{
	size_t an = 5000, bn = 50000, azn, bzn;
	char *a = sample_text(an), *b = sample_text(bn);
	unsigned char *az = gz(a, an, &azn), *bz = gz(b, bn, &bzn);
	unsigned char *cat = malloc(azn + bzn);
	memcpy(cat, az, azn);
	memcpy(cat + azn, bz, bzn / 2);
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(cat, azn + bzn / 2, 1 << 24, 0, &in), VG_OK);
	cr_assert(in.truncated);
	cr_assert_gt(in.len, an, "the whole first member and part of the second");
	cr_assert_lt(in.len, an + bn);
	cr_assert_eq(memcmp(in.data, a, an), 0);
	cr_assert_eq(memcmp(in.data + an, b, in.len - an), 0);
	vg_input_free(&in);
	free(a), free(b), free(az), free(bz), free(cat);
}

Test(input, corrupt_crc_is_flagged_but_data_kept)
{
	const char *text = "{\"eventName\":\"GetObject\"}\n";
	size_t n = strlen(text), zn;
	unsigned char *z = gz(text, n, &zn);
	z[zn - 8] ^= 0xff; /* first byte of the CRC-32 trailer */
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(z, zn, 1 << 20, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert(in.truncated);
	cr_assert_eq(in.len, n);
	cr_assert_eq(memcmp(in.data, text, n), 0);
	vg_input_free(&in);
	free(z);
}

Test(input, gzip_magic_alone)
{
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem("\x1f\x8b", 2, 1 << 20, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert(in.truncated);
	cr_assert_eq(in.len, 0);
	assert_padded(&in);
	vg_input_free(&in);
}

Test(input, trailing_garbage_after_a_member_is_ignored)
{
	size_t zn;
	unsigned char *z = gz("abc", 3, &zn);
	unsigned char buf[256];
	memcpy(buf, z, zn);
	memset(buf + zn, 0, 16); /* e.g. tape padding */
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(buf, zn + 16, 1 << 20, 0, &in), VG_OK);
	cr_assert_eq(in.len, 3);
	cr_assert_eq(memcmp(in.data, "abc", 3), 0);
	vg_input_free(&in);
	free(z);
}

Test(input, empty_file)
{
	write_file("empty.json", "", 0);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("empty.json"), 1 << 20, 0, &in), VG_OK);
	cr_assert_eq(in.len, 0);
	cr_assert_eq(in.raw_len, 0);
	cr_assert_not(in.gzip);
	assert_padded(&in);
	vg_input_free(&in);
}

Test(input, empty_gzip_member)
{
	size_t zn;
	unsigned char *z = gz("", 0, &zn);
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(z, zn, 1 << 20, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert_not(in.truncated);
	cr_assert_eq(in.len, 0);
	assert_padded(&in);
	vg_input_free(&in);
	free(z);
}

Test(input, size_limit)
{
	char *text = sample_text(1000);
	write_file("big.json", text, 1000);
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("big.json"), 999, 0, &in), VG_ETOOBIG);
	vg_input_free(&in); /* allowed after an error */
	cr_assert_eq(vg_input_read(tmp_path("big.json"), 1000, 0, &in), VG_OK);
	cr_assert_eq(in.len, 1000);
	vg_input_free(&in);

	/* A small gzip file that expands past the limit. */
	size_t big = 1 << 20, zn;
	char *zeros = calloc(1, big);
	unsigned char *z = gz(zeros, big, &zn);
	cr_assert_lt(zn, 4096);
	write_file("bomb.gz", z, zn);
	cr_assert_eq(vg_input_read(tmp_path("bomb.gz"), 64 * 1024, 0, &in), VG_ETOOBIG);
	vg_input_free(&in);
	cr_assert_eq(vg_input_read(tmp_path("bomb.gz"), big, 0, &in), VG_OK, "exactly the limit is allowed");
	cr_assert_eq(in.len, big);
	vg_input_free(&in);
	free(zeros), free(z), free(text);
}

Test(input, size_limit_on_a_truncated_gzip)
{
	size_t big = 1 << 20, zn;
	char *zeros = calloc(1, big);
	unsigned char *z = gz(zeros, big, &zn);
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(z, zn - 4, 64 * 1024, 0, &in), VG_ETOOBIG);
	vg_input_free(&in);
	free(zeros), free(z);
}

Test(input, missing_file_and_folder)
{
	struct vg_input in;
	cr_assert_eq(vg_input_read(tmp_path("does-not-exist.json"), 1 << 20, 0, &in), VG_ENOENT);
	cr_assert_null(in.data);
	vg_input_free(&in);
	cr_assert_eq(vg_input_read(tmpdir, 1 << 20, 0, &in), VG_EIO, "a folder cannot be read as a file");
	vg_input_free(&in);
}

Test(input, stdin_from_a_pipe)
{
	/* A pipe has no size up front, so the buffer grows as it reads. */
	size_t n = 300000;
	char *text = sample_text(n);
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		size_t o = 0;
		while (o < n) {
			ssize_t w = write(fds[1], text + o, n - o);
			if (w <= 0)
				_exit(1);
			o += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	cr_assert_geq(dup2(fds[0], STDIN_FILENO), 0);
	close(fds[0]);
	struct vg_input in;
	int rc = vg_input_read("-", 1 << 24, 0, &in);
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(rc, VG_OK);
	cr_assert_eq(in.len, n);
	cr_assert_eq(memcmp(in.data, text, n), 0);
	assert_padded(&in);
	vg_input_free(&in);
	free(text);
}

Test(input, stdin_over_the_limit)
{
	size_t n = 200000;
	char *text = sample_text(n);
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		ssize_t w = write(fds[1], text, n); /* may stop early when the reader goes */
		_exit(w > 0 ? 0 : 1);
	}
	close(fds[1]);
	cr_assert_geq(dup2(fds[0], STDIN_FILENO), 0);
	close(fds[0]);
	struct vg_input in;
	int rc = vg_input_read("-", 100000, 0, &in);
	close(STDIN_FILENO);
	waitpid(pid, NULL, 0);
	cr_assert_eq(rc, VG_ETOOBIG);
	vg_input_free(&in);
	free(text);
}

/* ---- input: memory ---------------------------------------------------------- */

Test(input_mem, plain_bytes_are_copied_and_padded)
{
	char src[] = "{\"Records\":[]}";
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(src, sizeof(src) - 1, 1 << 20, 0, &in), VG_OK);
	src[0] = 'X'; /* the input owns its copy */
	cr_assert_eq(in.len, sizeof(src) - 1);
	cr_assert_eq(in.raw_len, sizeof(src) - 1);
	cr_assert_eq(in.data[0], '{');
	cr_assert_not(in.gzip);
	assert_padded(&in);
	vg_input_free(&in);
}

Test(input_mem, gzip_bytes)
{
	size_t zn;
	unsigned char *z = gz("hello gzip", 10, &zn);
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(z, zn, 1 << 20, 0, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert_eq(in.raw_len, zn);
	cr_assert_eq(in.len, 10);
	cr_assert_eq(memcmp(in.data, "hello gzip", 10), 0);
	vg_input_free(&in);
	free(z);
}

Test(input_mem, empty_and_too_big)
{
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem(NULL, 0, 1 << 20, 0, &in), VG_OK);
	cr_assert_eq(in.len, 0);
	assert_padded(&in);
	vg_input_free(&in);
	cr_assert_eq(vg_input_from_mem("0123456789", 10, 9, 0, &in), VG_ETOOBIG);
	cr_assert_null(in.data);
	vg_input_free(&in);
	/* One byte that is half a gzip magic is plain data. */
	cr_assert_eq(vg_input_from_mem("\x1f", 1, 10, 0, &in), VG_OK);
	cr_assert_not(in.gzip);
	vg_input_free(&in);
}

Test(input_mem, digest_of_the_raw_bytes_on_request)
{
	struct vg_input in;
	cr_assert_eq(vg_input_from_mem("abc", 3, 100, VG_INPUT_DIGEST, &in), VG_OK);
	cr_assert_str_eq(in.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	vg_input_free(&in);
	cr_assert_eq(vg_input_from_mem(NULL, 0, 100, VG_INPUT_DIGEST, &in), VG_OK);
	cr_assert_str_eq(in.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	vg_input_free(&in);
	cr_assert_eq(vg_input_from_mem("abc", 3, 100, 0, &in), VG_OK);
	cr_assert_str_eq(in.sha256, "", "no digest unless asked");
	vg_input_free(&in);

	/* gzip: the digest identifies the file, so it covers the compressed
	 * bytes, not what they expand to. */
	size_t zn;
	unsigned char *z = gz("{\"a\":1}", 7, &zn);
	char want[65], plain[65];
	sha256_hex(z, zn, want);
	sha256_hex("{\"a\":1}", 7, plain);
	cr_assert_eq(vg_input_from_mem(z, zn, 100, VG_INPUT_DIGEST, &in), VG_OK);
	cr_assert(in.gzip);
	cr_assert_str_eq(in.sha256, want);
	cr_assert_str_neq(in.sha256, plain);
	vg_input_free(&in);
	free(z);
}

Test(input_mem, allocation_failure_is_reported)
{
	struct vg_input in;
	vg_alloc_fail_after(1);
	int rc = vg_input_from_mem("abc", 3, 100, 0, &in);
	vg_alloc_fail_after(0);
	cr_assert_eq(rc, VG_ENOMEM);
	vg_input_free(&in);
}

/* ---- walk -------------------------------------------------------------------- */

TestSuite(walk, .init = tmp_up, .fini = tmp_down);

#define CT_DAY "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/"
#define DG_DAY "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/"

static void make_tree(void)
{
	write_file(CT_DAY "x.json.gz", "x", 1);
	write_file(CT_DAY "a.json", "{}", 2);
	write_file(DG_DAY "d.json.gz", "d", 1);
	write_file("README.md", "# hi", 4);
	write_file(".hidden", "h", 1);
	write_file("events.jsonl", "{}", 2);
	write_file("b.log", "{}", 2);
	write_file("notes.txt", "t", 1);
}

Test(walk, s3_layout_in_sorted_order)
{
	make_tree();
	struct visits v = {0};
	cr_assert_eq(vg_walk(tmpdir, visit, &v), VG_OK);
	static const struct {
		const char *rel;
		enum vg_walk_kind kind;
	} want[] = {
		{CT_DAY "a.json", VG_WALK_LOG},
		{CT_DAY "x.json.gz", VG_WALK_LOG},
		{DG_DAY "d.json.gz", VG_WALK_DIGEST},
		{"README.md", VG_WALK_OTHER},
		{"b.log", VG_WALK_LOG},
		{"events.jsonl", VG_WALK_LOG},
		{"notes.txt", VG_WALK_OTHER},
	};
	/* Hidden entries (.hidden) are not visited at all. */
	cr_assert_eq(v.n, (int)VG_ARRAY_LEN(want), "visited %d paths", v.n);
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
		cr_assert_str_eq(v.path[i], tmp_path(want[i].rel), "visit %zu", i);
		cr_assert_eq(v.kind[i], want[i].kind, "%s: kind %d", want[i].rel, v.kind[i]);
		cr_assert_not(v.had_text[i], "no error text for %s", want[i].rel);
	}
}

Test(walk, trailing_slash_gives_clean_paths)
{
	write_file("a.json", "{}", 2);
	char root[128];
	snprintf(root, sizeof(root), "%s/", tmpdir);
	struct visits v = {0};
	cr_assert_eq(vg_walk(root, visit, &v), VG_OK);
	cr_assert_eq(v.n, 1);
	cr_assert_str_eq(v.path[0], tmp_path("a.json"));
}

Test(walk, callback_can_stop_the_walk)
{
	make_tree();
	struct visits v = {.stop_after = 2};
	cr_assert_eq(vg_walk(tmpdir, visit, &v), 1, "the callback's value comes back");
	cr_assert_eq(v.n, 2);
}

Test(walk, a_named_file_is_read_whatever_its_name)
{
	make_tree();
	struct visits v = {0};
	cr_assert_eq(vg_walk(tmp_path("README.md"), visit, &v), VG_OK);
	cr_assert_eq(v.n, 1);
	cr_assert_eq(v.kind[0], VG_WALK_LOG);
	v.n = 0;
	cr_assert_eq(vg_walk(tmp_path(DG_DAY "d.json.gz"), visit, &v), VG_OK);
	cr_assert_eq(v.n, 1);
	cr_assert_eq(v.kind[0], VG_WALK_DIGEST);
}

Test(walk, stdin_is_a_log)
{
	struct visits v = {0};
	cr_assert_eq(vg_walk("-", visit, &v), VG_OK);
	cr_assert_eq(v.n, 1);
	cr_assert_str_eq(v.path[0], "-");
	cr_assert_eq(v.kind[0], VG_WALK_LOG);
}

Test(walk, missing_path_is_an_error)
{
	struct visits v = {0};
	cr_assert_eq(vg_walk(tmp_path("nope/nothing"), visit, &v), VG_OK);
	cr_assert_eq(v.n, 1);
	cr_assert_eq(v.kind[0], VG_WALK_ERROR);
	cr_assert(v.had_text[0], "the error says why");
	cr_assert_str_eq(v.path[0], tmp_path("nope/nothing"));
	/* The callback decides whether an error stops the run. */
	v = (struct visits){.stop_after = 1};
	cr_assert_eq(vg_walk(tmp_path("nope"), visit, &v), 1);
}

/* A regression test: walk_dir once called qsort(names, 0, ...) with names
 * == NULL for a folder with no entries, which UBSan aborts on ("null
 * pointer passed as argument 1, which is declared to never be null"). */
Test(walk, empty_folder)
{
	struct visits v = {0};
	cr_assert_eq(vg_walk(tmpdir, visit, &v), VG_OK);
	cr_assert_eq(v.n, 0);
}

Test(walk, symlink_loop_ends_in_an_error)
{
	write_file("loop/f.json", "{}", 2);
	cr_assert_eq(symlink(".", tmp_path("loop/again")), 0);
	struct visits v = {0};
	cr_assert_eq(vg_walk(tmp_path("loop"), visit, &v), VG_OK);
	cr_assert_gt(v.n, 2);
	cr_assert_lt(v.n, MAX_VISITS);
	int errors = 0;
	for (int i = 0; i < v.n; i++)
		errors += v.kind[i] == VG_WALK_ERROR;
	cr_assert_eq(errors, 1, "the depth limit stops the loop once");
	/* "again" sorts before "f.json": the error comes first, then one
	 * f.json per level on the way back up. */
	cr_assert_eq(v.kind[0], VG_WALK_ERROR);
	cr_assert(strstr(v.path[0], "again/again/again/") != NULL, "%s", v.path[0]);
	for (int i = 1; i < v.n; i++)
		cr_assert_eq(v.kind[i], VG_WALK_LOG, "%s", v.path[i]);
}

Test(walk, dangling_symlink_is_an_error)
{
	cr_assert_eq(symlink("/nonexistent/target", tmp_path("dangling.json")), 0);
	struct visits v = {0};
	cr_assert_eq(vg_walk(tmpdir, visit, &v), VG_OK);
	cr_assert_eq(v.n, 1);
	cr_assert_eq(v.kind[0], VG_WALK_ERROR);
	cr_assert(v.had_text[0]);
}

Test(walk, classify_by_name)
{
	static const struct {
		const char *path;
		enum vg_walk_kind kind;
	} cases[] = {
		{"a/b/x.json", VG_WALK_LOG},
		{"x.json.gz", VG_WALK_LOG},
		{"x.jsonl", VG_WALK_LOG},
		{"x.jsonl.gz", VG_WALK_LOG},
		{"x.ndjson", VG_WALK_LOG},
		{"x.ndjson.gz", VG_WALK_LOG},
		{"x.log", VG_WALK_LOG},
		{"x.log.gz", VG_WALK_LOG},
		{"x.gz", VG_WALK_LOG},
		{"x.txt", VG_WALK_OTHER},
		{"README.md", VG_WALK_OTHER},
		{"json", VG_WALK_OTHER},
		{"x.json.bak", VG_WALK_OTHER},
		{"dir/.x.json", VG_WALK_OTHER},
		{".x.json.gz", VG_WALK_OTHER},
		{"AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/01/d.json.gz", VG_WALK_DIGEST},
		{"AWSLogs/1/CloudTrail/us-east-1/2024/01/01/c.json.gz", VG_WALK_LOG},
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++)
		cr_assert_eq(vg_walk_classify(cases[i].path), cases[i].kind, "%s", cases[i].path);
}
