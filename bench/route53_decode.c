/*
 * route53_decode.c -- decode speed of Route 53 Resolver query logs
 * (src/decode/route53.c), JSON parsing included, and of the domain helpers
 * (src/enrich/domain.c) a DNS detector would run per query.
 *
 *   route53_decode [LINES] [--seed S]
 *
 * LINES (default 1000000) query log lines are generated into one buffer in
 * memory: names of 2 to 5 labels (a fifth with a long random first label,
 * as DNS tunnels send), types A / AAAA / PTR / TXT / CNAME-then-A, 0 to 4
 * answers, srcids on most, a firewall action on a few; about 480 bytes a
 * line on average (the AWS samples: 300 to 700).  Then, on one thread, each pass
 * walks the buffer line by line:
 *   parse    vg_json_parse only (the floor),
 *   decode   vg_json_parse + vg_route53_is_query + vg_route53_decode,
 *   domain   decode, then vg_domain_normalize + vg_domain_registrable
 *            (vg_psl_open(NULL): the distribution's text list) +
 *            vg_domain_subpart + vg_str_entropy,
 * and prints records/s and MB/s of thread CPU time for the fastest of
 * five runs.
 *
 * Build (after `make build/vigil`):
 *   gcc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o bench/build/route53_decode \
 *       bench/route53_decode.c build/rel/libvigil.a \
 *       $(pkg-config --libs simdjson libdeflate zlib sqlite3 libcrypto \
 *         libxml-2.0 libmaxminddb libpsl yaml-0.1) -lstdc++ -lm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vg.h"
#include "core/event.h"
#include "decode/json.h"
#include "decode/route53.h"
#include "enrich/domain.h"

#include "bench_util.h"

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void) { return xorshift64(&rng_state); }

static void label(char *out, size_t n)
{
	static const char a[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	for (size_t i = 0; i < n; i++)
		out[i] = a[rnd() % 36];
	out[n] = '\0';
}

/* Append one query log line to buf at *off. */
static void gen_line(char *buf, size_t *off, uint64_t i)
{
	static const char *tlds[] = {"com", "net", "org", "co.uk", "io", "amazonaws.com", "internal", "de"};
	static const char *rcodes[] = {"NOERROR", "NOERROR", "NOERROR", "NXDOMAIN", "SERVFAIL"};
	char name[300] = "", l[80];
	int labels = 1 + (int)(rnd() % 3);
	if (rnd() % 5 == 0) {
		label(l, 30 + rnd() % 30);
		strcat(name, l);
		strcat(name, ".");
	}
	for (int k = 0; k < labels; k++) {
		label(l, 3 + rnd() % 8);
		strcat(name, l);
		strcat(name, ".");
	}
	strcat(name, tlds[rnd() % 8]);
	strcat(name, ".");

	int kind = (int)(rnd() % 10);
	const char *qtype = kind < 5 ? "A" : kind < 7 ? "AAAA" : kind < 8 ? "PTR" : kind < 9 ? "TXT" : "A";
	char answers[2048] = ""; /* 5 answers of at most ~330 bytes */
	size_t ao = 0;
	int nans = (int)(rnd() % 5);
	if (kind == 9)
		ao += (size_t)snprintf(answers + ao, sizeof(answers) - ao,
				       "{\"Rdata\":\"edge.%s\",\"Type\":\"CNAME\",\"Class\":\"IN\"}%s", name,
				       nans ? "," : "");
	for (int k = 0; k < nans; k++) {
		if (qtype[0] == 'A' && qtype[1] == 'A')
			ao += (size_t)snprintf(answers + ao, sizeof(answers) - ao,
					       "%s{\"Rdata\":\"2600:1f18:%x::%x\",\"Type\":\"AAAA\",\"Class\":\"IN\"}",
					       k ? "," : "", (unsigned)(rnd() & 0xffff), (unsigned)(rnd() & 0xffff));
		else if (qtype[0] == 'A')
			ao += (size_t)snprintf(answers + ao, sizeof(answers) - ao,
					       "%s{\"Rdata\":\"%u.%u.%u.%u\",\"Type\":\"A\",\"Class\":\"IN\"}", k ? "," : "",
					       (unsigned)(rnd() % 223 + 1), (unsigned)(rnd() & 255), (unsigned)(rnd() & 255),
					       (unsigned)(rnd() & 255));
		else
			ao += (size_t)snprintf(answers + ao, sizeof(answers) - ao,
					       "%s{\"Rdata\":\"v=spf1 include:%s -all\",\"Type\":\"%s\",\"Class\":\"IN\"}",
					       k ? "," : "", name, qtype);
	}
	char srcids[120] = "{}";
	if (rnd() % 10 < 8)
		snprintf(srcids, sizeof(srcids), "{\"instance\":\"i-%016llx\"}", (unsigned long long)rnd());
	char fw[200] = "";
	if (rnd() % 50 == 0)
		snprintf(fw, sizeof(fw),
			 ",\"firewall_rule_group_id\":\"rslvr-frg-0123456789abcdef\",\"firewall_rule_action\":\"%s\","
			 "\"firewall_domain_list_id\":\"rslvr-fdl-0123456789abcdef\"",
			 rnd() & 1 ? "BLOCK" : "ALERT");
	unsigned sec = (unsigned)(i / 1000 % 86400);
	*off += (size_t)sprintf(
		buf + *off,
		"{\"version\":\"1.100000\",\"account_id\":\"%012llu\",\"region\":\"us-east-1\",\"vpc_id\":\"vpc-%08x\","
		"\"query_timestamp\":\"2024-06-01T%02u:%02u:%02u.%03uZ\",\"query_name\":\"%s\",\"query_type\":\"%s\","
		"\"query_class\":\"IN\",\"rcode\":\"%s\",\"answers\":[%s],\"srcaddr\":\"172.31.%u.%u\","
		"\"srcport\":\"%u\",\"transport\":\"UDP\",\"srcids\":%s%s}\n",
		(unsigned long long)(111122223333ull + rnd() % 4), (unsigned)(rnd() & 0xff), sec / 3600,
		sec / 60 % 60, sec % 60, (unsigned)(i % 1000), name, qtype, rcodes[rnd() % 5], answers,
		(unsigned)(rnd() & 255), (unsigned)(rnd() & 255), (unsigned)(1024 + rnd() % 60000), srcids, fw);
}

enum mode { PARSE, DECODE, DOMAIN };

static double pass(struct vg_json_parser *p, const struct vg_psl *psl, const char *buf, size_t len, enum mode mode, uint64_t *good,
		   uint64_t *acc)
{
	double t0 = thread_cpu_seconds();
	const char *s = buf, *end = buf + len;
	*good = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);
		struct vg_json root;
		const char *why;
		if (vg_json_parse(p, s, n, &root, &why) != VG_OK) {
			fprintf(stderr, "parse: %s\n", why);
			exit(1);
		}
		if (mode == PARSE) {
			(*good)++;
		} else {
			struct vg_event ev;
			if (vg_route53_is_query(&root) && vg_route53_decode(&root, &ev, &why) == VG_OK) {
				(*good)++;
				*acc += ev.dns.n_answer_ips + (uint64_t)ev.time_ms;
				if (mode == DOMAIN) {
					char norm[VG_DOMAIN_NAME_CAP];
					size_t nn = vg_domain_normalize(ev.dns.query_name, norm, sizeof(norm));
					struct vg_str name = {norm, nn};
					struct vg_str reg = vg_domain_registrable(psl, name);
					struct vg_str sub = vg_domain_subpart(name, reg);
					*acc += reg.n + (uint64_t)(vg_str_entropy(sub) * 1000);
				}
			}
		}
		s += n + 1;
	}
	return thread_cpu_seconds() - t0;
}

int main(int argc, char **argv)
{
	uint64_t lines = 1000000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state ^= strtoull(argv[++i], NULL, 10) * 0x9e3779b97f4a7c15ull;
		else
			lines = strtoull(argv[i], NULL, 10);
	}
	size_t cap = (size_t)lines * 3000 + VG_JSON_PADDING;
	char *buf = malloc(cap);
	if (!buf)
		return 1;
	size_t len = 0;
	for (uint64_t i = 0; i < lines; i++)
		gen_line(buf, &len, i);
	memset(buf + len, 0, VG_JSON_PADDING);
	printf("%llu lines, %.1f MB, %.0f bytes a line\n", (unsigned long long)lines, len / 1e6, (double)len / lines);

	struct vg_json_parser *p;
	struct vg_psl *psl;
	if (vg_json_parser_new(&p, 1 << 16) != VG_OK || vg_psl_open(&psl, NULL) != VG_OK)
		return 1;
	static const char *names[] = {"parse", "decode", "domain"};
	uint64_t acc = 0;
	for (int m = PARSE; m <= DOMAIN; m++) {
		double best = 1e30;
		uint64_t good = 0;
		for (int r = 0; r < 5; r++) {
			double t = pass(p, psl, buf, len, (enum mode)m, &good, &acc);
			best = t < best ? t : best;
		}
		printf("%-7s %8.2f M records/s  %7.0f MB/s  %.3f s  (%llu good)\n", names[m], lines / best / 1e6,
		       len / best / 1e6, best, (unsigned long long)good);
	}
	vg_json_parser_free(p);
	vg_psl_free(psl);
	free(buf);
	return acc == 42 ? 2 : 0;
}
