/*
 * test_config.c -- the configuration file (src/config.h): a full file,
 * every refusal with the line and column it names, relative paths, size
 * suffixes, YAML features that are refused (anchors, aliases, tags, deep
 * nesting), empty files, limits and allocation failures.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vg.h"
#include "config.h"
#include "enrich/intel.h"

static char dir[] = "/tmp/vigil-config-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static void teardown(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(config, .init = setup, .fini = teardown);

/* write_file -- a file in the test folder; returns its path (static). */
static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

static int parse(const char *text, struct vg_config *c, char *err, size_t errlen)
{
	return vg_config_parse(text, strlen(text), "etc/vigil.yaml", c, err, errlen);
}

static const char full[] =
	"# every key\n"
	"intel:\n"
	"  - path: lists/tor-exits.txt\n"
	"    category: tor\n"
	"    name: tor-exits\n"
	"    format: TXT\n"
	"  - {path: /srv/feeds/feed.json, format: stix}\n"
	"trusted:\n"
	"  - path: office.txt\n"
	"    name: office\n"
	"geo:\n"
	"  geoip: [geo/city-v4.mmdb, /srv/geo/city-v6.mmdb]\n"
	"  asn: geo/asn.mmdb\n"
	"  enabled: true\n"
	"database: 'findings.db'\n"
	"flow_format: version account-id interface-id srcaddr dstaddr\n"
	"region: eu-west-1\n"
	"state:\n"
	"  memory: 128MiB\n"
	"detectors:\n"
	"  flow_scan: {ports: 40, window: 300}\n"
	"  dns_exfil:\n"
	"    entropy: 3.25\n";

Test(config, a_full_file)
{
	struct vg_config c;
	char err[256];
	cr_assert_eq(parse(full, &c, err, sizeof(err)), VG_OK, "%s", err);
	cr_assert_eq(c.n_intel, 2);
	cr_expect_str_eq(c.intel[0].path, "etc/lists/tor-exits.txt");
	cr_expect_str_eq(c.intel[0].category, "tor");
	cr_expect_str_eq(c.intel[0].name, "tor-exits");
	cr_expect_str_eq(c.intel[0].format, "TXT");
	cr_expect_str_eq(c.intel[1].path, "/srv/feeds/feed.json");
	cr_expect_null(c.intel[1].name);
	cr_expect_null(c.intel[1].category);
	cr_expect_str_eq(c.intel[1].format, "stix");
	cr_assert_eq(c.n_trusted, 1);
	cr_expect_str_eq(c.trusted[0].path, "etc/office.txt");
	cr_expect_str_eq(c.trusted[0].name, "office");
	cr_expect_null(c.trusted[0].category);
	cr_assert_eq(c.n_geoip, 2);
	cr_expect_str_eq(c.geoip[0], "etc/geo/city-v4.mmdb");
	cr_expect_str_eq(c.geoip[1], "/srv/geo/city-v6.mmdb");
	cr_assert_eq(c.n_asn, 1);
	cr_expect_str_eq(c.asn[0], "etc/geo/asn.mmdb");
	cr_expect_eq(c.geo_enabled, 1);
	cr_expect_str_eq(c.database, "etc/findings.db");
	cr_expect_str_eq(c.flow_format, "version account-id interface-id srcaddr dstaddr");
	cr_expect_str_eq(c.region, "eu-west-1");
	cr_expect_eq(c.state_memory, (size_t)128 << 20);
	cr_assert_eq(c.n_params, 3);
	cr_expect_str_eq(c.params[0].detector, "flow_scan");
	cr_expect_str_eq(c.params[0].name, "ports");
	cr_expect_eq(c.params[0].value, 40);
	cr_expect_str_eq(c.params[1].name, "window");
	cr_expect_eq(c.params[1].value, 300);
	cr_expect_str_eq(c.params[2].detector, "dns_exfil");
	cr_expect_eq(c.params[2].value, 3.25);
	vg_config_free(&c);
	cr_expect_eq(c.n_intel, 0);
	cr_expect_null(c.intel);
	vg_config_free(&c); /* twice is fine */
}

Test(config, unset_keys_stay_unset)
{
	struct vg_config c;
	char err[256];
	cr_assert_eq(parse("database: x.db\n", &c, err, sizeof(err)), VG_OK, "%s", err);
	cr_expect_eq(c.geo_enabled, -1);
	cr_expect_eq(c.state_memory, 0);
	cr_expect_null(c.flow_format);
	cr_expect_eq(c.n_intel + c.n_trusted + c.n_geoip + c.n_asn + c.n_params, 0);
	vg_config_free(&c);
	cr_assert_eq(parse("geo: {enabled: off}\n", &c, err, sizeof(err)), VG_OK, "%s", err);
	cr_expect_eq(c.geo_enabled, 0);
	vg_config_free(&c);
}

Test(config, relative_paths_are_taken_from_the_files_folder)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{"vigil.yaml", "lists/a.txt"},                 /* the current folder: left as written */
		{"./vigil.yaml", "./lists/a.txt"},
		{"/etc/vigil/vigil.yaml", "/etc/vigil/lists/a.txt"},
		{"../conf/v.yaml", "../conf/lists/a.txt"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static const char text[] = "intel: [{path: lists/a.txt}]\ntrusted: [{path: /abs/b.txt}]\n";
		struct vg_config c;
		char err[256];
		int rc = vg_config_parse(text, strlen(text), cases[i].name, &c, err, sizeof(err));
		cr_assert_eq(rc, VG_OK, "%s", err);
		cr_expect_str_eq(c.intel[0].path, cases[i].want, "config %s", cases[i].name);
		cr_expect_str_eq(c.trusted[0].path, "/abs/b.txt", "absolute paths are kept");
		vg_config_free(&c);
	}
}

Test(config, load_reads_the_file_and_resolves_against_its_folder)
{
	const char *path = write_file("vigil.yaml", "database: f.db\n", 15);
	char want[300], err[256];
	struct vg_config c;
	snprintf(want, sizeof(want), "%s/f.db", dir);
	cr_assert_eq(vg_config_load(path, &c, err, sizeof(err)), VG_OK, "%s", err);
	cr_expect_str_eq(c.database, want);
	vg_config_free(&c);

	snprintf(want, sizeof(want), "%s/missing.yaml", dir);
	cr_expect_eq(vg_config_load(want, &c, err, sizeof(err)), VG_ENOENT);
	cr_expect_not_null(strstr(err, "missing.yaml: cannot read"), "%s", err);
	vg_config_free(&c);
}

Test(config, memory_sizes)
{
	static const struct {
		const char *text;
		size_t bytes;
	} ok[] = {
		{"1", 1},
		{"4096", 4096},
		{"64KiB", (size_t)64 << 10},
		{"256MiB", (size_t)256 << 20},
		{"256 MiB", (size_t)256 << 20},
		{"2GiB", (size_t)2 << 30},
		{"1gib", (size_t)1 << 30},
		{"1024GiB", (size_t)1 << 40},
		{"'512MiB'", (size_t)512 << 20},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[64], err[256];
		struct vg_config c;
		snprintf(text, sizeof(text), "state:\n  memory: %s\n", ok[i].text);
		cr_assert_eq(parse(text, &c, err, sizeof(err)), VG_OK, "%s: %s", ok[i].text, err);
		cr_expect_eq(c.state_memory, ok[i].bytes, "%s", ok[i].text);
		vg_config_free(&c);
	}
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"0", "2:11: state.memory must be more than 0"},
		{"0MiB", "2:11: state.memory must be more than 0"},
		{"1025GiB", "2:11: state.memory is more than 1 TiB"},
		{"99999999999999999999999", "2:11: state.memory is more than 1 TiB"},
		{"256MB", "2:11: state.memory: '256MB' is not a size; give bytes or a whole number with KiB"},
		{"1.5GiB", "2:11: state.memory: '1.5GiB' is not a size"},
		{"-1", "2:11: state.memory: '-1' is not a size"},
		{"MiB", "2:11: state.memory: 'MiB' is not a size"},
		{"'5 '", "2:11: state.memory: '5 ' is not a size"},
		{"[1]", "2:11: state.memory must be a string, not a list"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[64], err[256];
		struct vg_config c;
		snprintf(text, sizeof(text), "state:\n  memory: %s\n", bad[i].text);
		cr_expect_eq(parse(text, &c, err, sizeof(err)), VG_EFORMAT, "%s", bad[i].text);
		cr_expect_not_null(strstr(err, bad[i].msg), "%s: got \"%s\", want \"%s\"", bad[i].text, err,
				   bad[i].msg);
		vg_config_free(&c);
	}
}

Test(config, empty_files_are_empty_configurations)
{
	static const char *const texts[] = {"", "\n", "# nothing here\n  # at all\n", "---\n", "--- ~\n", "null\n",
					    "---\n...\n"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct vg_config c;
		char err[256];
		cr_expect_eq(parse(texts[i], &c, err, sizeof(err)), VG_OK, "'%s': %s", texts[i], err);
		cr_expect_eq(c.n_intel + c.n_trusted + c.n_params, 0);
		cr_expect_null(c.database);
		cr_expect_eq(c.geo_enabled, -1);
		vg_config_free(&c);
	}
	struct vg_config c;
	char err[256];
	cr_expect_eq(vg_config_parse(NULL, 0, "x.yaml", &c, err, sizeof(err)), VG_OK);
	vg_config_free(&c);
	const char *path = write_file("empty.yaml", "", 0);
	cr_expect_eq(vg_config_load(path, &c, err, sizeof(err)), VG_OK, "%s", err);
	vg_config_free(&c);
}

/* Every refusal, with the position and message it gives ("etc/vigil.yaml:"
 * in front). */
static const struct {
	const char *text;
	const char *msg;
} refused[] = {
	/* the top level */
	{"- a\n- b\n", "1:1: the file must be a mapping of keys (intel:, trusted:, geo:, ...), not a list"},
	{"just text\n", "1:1: the file must be a mapping of keys (intel:, trusted:, geo:, ...), not a single value"},
	{"intell:\n  - path: x\n", "1:1: unknown key 'intell' (did you mean 'intel'?); the top level takes intel, "
				   "trusted, geo, database, flow_format, region, account, state and detectors"},
	{"database: a.db\nverbose: true\n", "2:1: unknown key 'verbose'; the top level takes"},
	{"database: a.db\ndatabase: b.db\n", "2:1: 'database' appears twice (first at line 1); keep one"},
	{"? [a]\n: b\n", "1:3: a key in the top level must be a name, not a list"},
	/* strings */
	{"database: [a.db]\n", "1:11: database must be a string, not a list"},
	{"database: {a: b}\n", "1:11: database must be a string, not a mapping"},
	{"database:\n", "1:10: database has no value; give one or remove the key"},
	{"database: ~\n", "1:11: database has no value"},
	{"database: ''\n", "1:11: database is empty; give a value or remove the key"},
	{"flow_format: null\n", "1:14: flow_format has no value"},
	{"database: \"a\\0b\"\n", "1:11: a NUL character in a value"},
	/* lists */
	{"intel: tor.txt\n", "1:8: intel must be a list of '- path: FILE' entries, not a single value"},
	{"intel:\n", "1:7: intel must be a list of '- path: FILE' entries, not empty"},
	{"intel:\n  - tor.txt\n", "2:5: intel[1] must be a mapping (key: value lines), not a single value"},
	{"intel:\n  - name: x\n", "2:5: intel[1] has no path; add 'path: FILE'"},
	{"intel:\n  - path: a\n  - path: ''\n", "3:11: intel[2].path is empty"},
	{"intel:\n  - path: a\n    pth: b\n", "3:5: unknown key 'intel[1].pth' (did you mean 'path'?); intel[1] takes "
					     "path, name, category and format"},
	{"intel:\n  - path: a\n    path: b\n", "3:5: 'intel[1].path' appears twice (first at line 2); keep one"},
	{"intel:\n  - path: a\n    category: torr\n",
	 "3:15: intel[1].category: unknown category 'torr'; use tor, mining, c2, malware, phishing, blackhole, "
	 "droppoint, scanner, dga, young or custom"},
	{"intel:\n  - path: a\n    format: CSV\n",
	 "3:13: intel[1].format: unknown list format 'CSV'; use TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT, "
	 "FIRE_EYE or auto"},
	{"intel:\n  - path: a\n    name: [x]\n", "3:11: intel[1].name must be a string, not a list"},
	{"trusted:\n  - path: a\n    category: tor\n",
	 "3:5: unknown key 'trusted[1].category'; trusted[1] takes path, name and format (a trusted list has no "
	 "category)"},
	{"trusted: {path: a}\n", "1:10: trusted must be a list of '- path: FILE' entries, not a mapping"},
	/* geo */
	{"geo: /srv/city.mmdb\n", "1:6: geo must be a mapping (key: value lines), not a single value"},
	{"geo:\n  city: a.mmdb\n", "2:3: unknown key 'geo.city'; geo takes geoip, asn and enabled"},
	{"geo:\n  geoip: {a: b}\n", "2:10: geo.geoip must be a path or a list of paths, not a mapping"},
	{"geo:\n  geoip: []\n", "2:10: geo.geoip is an empty list; name a file or remove the key"},
	{"geo:\n  asn: [a, b, c, d, e]\n", "2:8: geo.asn names 5 files; at most 4"},
	{"geo:\n  asn: [a, [b]]\n", "2:12: geo.asn must be a string, not a list"},
	{"geo:\n  geoip: a.mmdb,b.mmdb\n",
	 "2:10: geo.geoip: a path with a comma; give several files as a list ([a.mmdb, b.mmdb])"},
	{"geo:\n  enabled: \"true\"\n", "2:12: geo.enabled must be true or false (without quotes)"},
	{"geo:\n  enabled: 1\n", "2:12: geo.enabled must be true or false"},
	{"geo:\n  enabled: true\n  enabled: false\n", "3:3: 'geo.enabled' appears twice (first at line 2)"},
	/* state */
	{"state: 256MiB\n", "1:8: state must be a mapping (key: value lines), not a single value"},
	{"state:\n  memroy: 1GiB\n", "2:3: unknown key 'state.memroy' (did you mean 'memory'?); state takes memory"},
	{"flow_format: hello world\n", "1:14: flow_format is no field list"},
	/* detectors: names and values are checked against the detector table */
	{"detectors:\n  flow_scan:\n    portz: 3\n", "3:5: detectors.flow_scan.portz"},
	{"detectors:\n  flow_scan:\n    ports: 1\n", "3:12: detectors.flow_scan.ports"},
	{"detectors: [root_usage]\n", "1:12: detectors must be a mapping of detector names, not a list"},
	{"detectors:\n", "1:11: detectors must be a mapping of detector names, not empty"},
	{"detectors:\n  root_usag: {x: 1}\n",
	 "2:3: no detector named 'root_usag' (did you mean 'root_usage'?); `vigil types` lists them"},
	{"detectors:\n  no_such_thing: {x: 1}\n", "2:3: no detector named 'no_such_thing'; `vigil types` lists them"},
	{"detectors:\n  root_usage: 5\n", "2:15: detectors.root_usage must be a mapping of PARAMETER: NUMBER, not a "
					  "single value"},
	{"detectors:\n  root_usage:\n", "2:14: detectors.root_usage must be a mapping of PARAMETER: NUMBER, not empty"},
	{"detectors:\n  root_usage:\n    window: 60\n",
	 "3:5: detectors.root_usage.window: the detector root_usage has no parameters"},
	{"detectors:\n  root_usage:\n    window: sixty\n", "3:13: detectors.root_usage.window must be a number"},
	{"detectors:\n  root_usage:\n    window: '60'\n", "3:13: detectors.root_usage.window must be a number"},
	{"detectors:\n  root_usage:\n    window: .inf\n", "3:13: detectors.root_usage.window must be a number"},
	{"detectors:\n  root_usage: {}\n  root_usage: {}\n",
	 "3:3: 'detectors.root_usage' appears twice (first at line 2); keep one"},
	{"detectors:\n  root_usage: {a: 1, a: 2}\n", "2:22: 'detectors.root_usage.a' appears twice (first at line 2)"},
	/* YAML features a configuration does not need */
	{"database: &db a.db\n", "1:11: anchors (&db) are not allowed in the configuration; write the value out"},
	{"intel: &l\n  - path: a\ntrusted: *l\n", "1:8: anchors (&l) are not allowed"},
	{"database: *db\n", "1:11: aliases (*db) are not allowed in the configuration; write the value out"},
	{"database: !!str a.db\n", "1:11: tags (tag:yaml.org,2002:str) are not allowed in the configuration"},
	{"database: a.db\n---\ndatabase: b.db\n", "2:1: a second YAML document; the configuration is one document"},
	/* syntax */
	{"intel: [\n", "2:1: YAML syntax: did not find expected node content (while parsing a flow node at line 2)"},
	{"database: a\n  b: c\n", "2:4: YAML syntax: mapping values are not allowed in this context"},
	{"intel:\n - path: a\n  name: b\n",
	 "3:3: YAML syntax: did not find expected '-' indicator (while parsing a block collection at line 2)"},
	{"database: \"a\n",
	 "2:1: YAML syntax: found unexpected end of stream (while scanning a quoted scalar at line 1)"},
	{"\tdatabase: a\n", "1:1: YAML syntax: found character that cannot start any token"},
	{"database: a\x01\n", "1:12: not YAML text: control characters are not allowed (0x1)"},
	{"database: \xff\n", "1:11: not YAML text: invalid leading UTF-8 octet (0xff)"},
};

Test(config, every_refusal_names_line_and_column)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct vg_config c;
		char err[512], want[600];
		snprintf(want, sizeof(want), "etc/vigil.yaml:%s", refused[i].msg);
		int rc = parse(refused[i].text, &c, err, sizeof(err));
		cr_expect_eq(rc, VG_EFORMAT, "case %zu: %s", i, refused[i].text);
		cr_expect(strncmp(err, want, strlen(want)) == 0, "case %zu:\n got: %s\nwant: %s", i, err, want);
		vg_config_free(&c);
	}
}

Test(config, a_short_error_buffer_is_cut_not_overrun)
{
	struct vg_config c;
	char err[12];
	cr_expect_eq(parse("bad_key: 1\n", &c, err, sizeof(err)), VG_EFORMAT);
	cr_expect_str_eq(err, "etc/vigil.y");
	vg_config_free(&c);
	cr_expect_eq(parse("bad_key: 1\n", &c, NULL, 0), VG_EFORMAT);
	vg_config_free(&c);
}

/* nest -- "detectors:" with depth - 1 more levels of flow lists. */
static void nest(char *out, size_t n, int depth)
{
	size_t k = (size_t)snprintf(out, n, "detectors: ");
	for (int i = 1; i < depth; i++)
		out[k++] = '[';
	out[k++] = '1';
	for (int i = 1; i < depth; i++)
		out[k++] = ']';
	out[k++] = '\n';
	out[k] = '\0';
}

Test(config, nesting_deeper_than_16_levels_is_refused)
{
	char text[128], err[256];
	struct vg_config c;
	/* the top-level mapping is one level; the lists make the rest */
	nest(text, sizeof(text), 16);
	cr_expect_eq(parse(text, &c, err, sizeof(err)), VG_EFORMAT);
	cr_expect_not_null(strstr(err, "detectors must be a mapping"), "16 levels are read: %s", err);
	vg_config_free(&c);
	nest(text, sizeof(text), 17);
	cr_expect_eq(parse(text, &c, err, sizeof(err)), VG_EFORMAT);
	cr_expect_str_eq(err, "etc/vigil.yaml:1:27: a list nested deeper than 16 levels");
	vg_config_free(&c);

	/* A million levels only costs the time to read to the 17th. */
	size_t big = (size_t)1 << 20;
	char *deep = malloc(big);
	cr_assert_not_null(deep);
	memset(deep, '[', big);
	cr_expect_eq(vg_config_parse(deep, big, "deep.yaml", &c, err, sizeof(err)), VG_EFORMAT);
	cr_expect_str_eq(err, "deep.yaml:1:17: a list nested deeper than 16 levels");
	vg_config_free(&c);
	free(deep);
}

Test(config, billion_laughs_is_refused_at_the_first_anchor)
{
	static const char lol[] = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
				  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
				  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
				  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
	struct vg_config c;
	char err[256];
	cr_expect_eq(parse(lol, &c, err, sizeof(err)), VG_EFORMAT);
	cr_expect_str_eq(err, "etc/vigil.yaml:1:4: anchors (&a) are not allowed in the configuration; write the value "
			      "out");
	vg_config_free(&c);
}

Test(config, limits)
{
	struct vg_config c;
	char err[256];
	/* 1 MiB and not a byte more */
	size_t max = (size_t)1 << 20;
	char *text = malloc(max + 1);
	cr_assert_not_null(text);
	memset(text, '#', max + 1);
	cr_expect_eq(vg_config_parse(text, max, "big.yaml", &c, err, sizeof(err)), VG_OK, "%s", err);
	vg_config_free(&c);
	cr_expect_eq(vg_config_parse(text, max + 1, "big.yaml", &c, err, sizeof(err)), VG_ETOOBIG);
	cr_expect_str_eq(err, "big.yaml: larger than 1024 KiB; that is no configuration file");
	vg_config_free(&c);
	const char *path = write_file("big.yaml", text, max + 1);
	cr_expect_eq(vg_config_load(path, &c, err, sizeof(err)), VG_ETOOBIG);
	vg_config_free(&c);
	free(text);

	/* 1024 list entries, not 1025 */
	for (int n = 1024; n <= 1025; n++) {
		size_t cap = 32 + (size_t)n * 16, k;
		char *t = malloc(cap);
		cr_assert_not_null(t);
		k = (size_t)snprintf(t, cap, "intel:\n");
		for (int i = 0; i < n; i++)
			k += (size_t)snprintf(t + k, cap - k, "- path: l%d\n", i);
		int rc = vg_config_parse(t, k, "l.yaml", &c, err, sizeof(err));
		if (n == 1024) {
			cr_expect_eq(rc, VG_OK, "%s", err);
			cr_expect_eq(c.n_intel, 1024);
			cr_expect_str_eq(c.intel[1023].path, "l1023");
		} else {
			cr_expect_eq(rc, VG_EFORMAT);
			cr_expect_str_eq(err, "l.yaml:2:1: intel has 1025 entries; at most 1024");
		}
		vg_config_free(&c);
		free(t);
	}

	/* 1024 parameters per detector: the 1025th is refused before any is
	 * looked at */
	{
		size_t pcap = 64 + 1025 * 16, pk;
		char *pt = malloc(pcap);
		cr_assert_not_null(pt);
		pk = (size_t)snprintf(pt, pcap, "detectors:\n  root_usage:\n");
		for (int i = 0; i < 1025; i++)
			pk += (size_t)snprintf(pt + pk, pcap - pk, "    p%d: 1\n", i);
		cr_expect_eq(vg_config_parse(pt, pk, "p.yaml", &c, err, sizeof(err)), VG_EFORMAT);
		cr_expect_str_eq(err, "p.yaml:3:5: detectors.root_usage has 1025 parameters; at most 1024");
		vg_config_free(&c);
		free(pt);
	}

	/* more values than any valid file has */
	size_t cap = 8 + 70000 * 2;
	char *t = malloc(cap);
	cr_assert_not_null(t);
	size_t k = (size_t)snprintf(t, cap, "x: [");
	for (int i = 0; i < 70000; i++)
		t[k++] = '1', t[k++] = ',';
	t[k++] = ']';
	cr_expect_eq(vg_config_parse(t, k, "n.yaml", &c, err, sizeof(err)), VG_EFORMAT);
	cr_expect_not_null(strstr(err, "more than 65536 values"), "%s", err);
	vg_config_free(&c);
	free(t);
}

Test(config, free_takes_zeroed_and_half_filled_structs)
{
	struct vg_config c = {0};
	vg_config_free(&c);
	vg_config_free(NULL);
	/* A failure part-way through a list leaves what was read so far;
	 * free releases it. */
	char err[256];
	cr_expect_eq(parse("geo: {geoip: a.mmdb}\nintel:\n  - path: a\n    name: b\n  - path: c\n    name: [d]\n", &c,
			   err, sizeof(err)),
		     VG_EFORMAT);
	vg_config_free(&c);
	cr_expect_eq(c.n_intel, 0);
	cr_expect_eq(c.geo_enabled, -1);
}

Test(config, every_allocation_failure_is_clean)
{
	struct vg_config c;
	char err[256];
	int rc = VG_ENOMEM;
	long n;
	for (n = 1; n < 500 && rc == VG_ENOMEM; n++) {
		vg_alloc_fail_after(n);
		rc = parse(full, &c, err, sizeof(err));
		vg_alloc_fail_after(0);
		if (rc == VG_ENOMEM)
			cr_expect_str_eq(err, "etc/vigil.yaml: out of memory");
		vg_config_free(&c);
	}
	cr_expect_eq(rc, VG_OK, "succeeds once allocations do (after %ld)", n);
}

Test(config, lists_load_with_any_name_and_path)
{
	/* What the configuration hands to vg_intel_load_file is never taken
	 * apart, unlike an --intel spec. */
	const char *path = write_file("tor:exits=1.txt", "185.220.101.1\n", 14);
	struct vg_intel *in;
	const char *why;
	cr_assert_eq(vg_intel_new(&in), VG_OK);
	cr_assert_eq(vg_intel_load_file(in, path, "a=b/c", VG_CAT_TOR, VG_INTEL_AUTO, NULL, NULL, &why), VG_OK, "%s",
		     why ? why : "");
	cr_assert_eq(vg_intel_load_file(in, path, NULL, VG_CAT_TRUSTED, VG_INTEL_TXT, NULL, NULL, &why), VG_OK);
	cr_expect_eq(vg_intel_load_file(in, path, "", VG_CAT_TOR, VG_INTEL_AUTO, NULL, NULL, &why), VG_EINVAL);
	cr_expect_eq(vg_intel_load_file(in, "", NULL, VG_CAT_TOR, VG_INTEL_AUTO, NULL, NULL, &why), VG_EINVAL);
	cr_assert_eq(vg_intel_build(in), VG_OK);
	cr_assert_eq(vg_intel_list_count(in), 2);
	cr_expect_str_eq(vg_intel_list_at(in, 0)->name, "a=b/c");
	cr_expect_str_eq(vg_intel_list_at(in, 0)->path, path);
	cr_expect_eq(vg_intel_list_at(in, 0)->category, VG_CAT_TOR);
	cr_expect_str_eq(vg_intel_list_at(in, 1)->name, "tor:exits=1.txt");
	cr_expect_eq(vg_intel_list_at(in, 1)->category, VG_CAT_TRUSTED);
	vg_intel_free(in);
}
