/*
 * gen_network.c -- writes a synthetic but realistic VPC Flow Logs or Route 53
 * Resolver query log corpus in the layout AWS delivers to S3, for bench/run.
 *
 *   gen_network OUTDIR KIND RECORDS [SEED]        KIND: flow, dns or hostile
 *
 * flow     OUTDIR/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/
 *              <account>_vpcflowlogs_<region>_fl-<id>_<YYYYMMDDTHHMMZ>_<hash>.log.gz
 *          Space-separated flow records behind a header line, 10,000 to
 *          50,000 a file.  Six VPCs in three accounts and four regions, each
 *          with its own flow log: four write the default version 2 format,
 *          two a custom version 5 one (about a third of the files), as real
 *          estates mix them.  About 330 interfaces: load balancers taking
 *          web traffic from many public clients, web, app, database, cache,
 *          CI, bastion and domain-controller instances talking to each other
 *          and to AWS services and internet hosts (443, 80, 53, 123),
 *          internet background scanning that security groups REJECT,
 *          some IPv6, NODATA and SKIPDATA lines, over one day.  Both ends of
 *          a connection are logged (request and response records; both
 *          interfaces for east-west traffic).  Injected: outbound port scans
 *          (one interface, one public host, 100 ports in a minute), SSH
 *          brute force (one public address, 50 short connections to port 22
 *          from distinct client ports) and port sweeps (one interface, port
 *          445 of 200 public hosts).
 * dns      OUTDIR/AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/
 *              <vpc-id>_vpcdnsquerylogs_<account>_<YYYYMMDDTHHMM>Z_<hash>.log.gz
 *          Resolver query logs (JSON lines) of the same VPCs and instances:
 *          AWS endpoints, EC2 and private-zone names, popular internet names
 *          with CNAME chains, A/AAAA pairs, PTR look-ups, NXDOMAINs from
 *          search domains, a few TXT/SRV/MX/HTTPS queries, queries through an
 *          inbound resolver endpoint and some blocked by DNS Firewall.
 *          Injected: DNS tunnels (one instance, 200 queries of 40+ random
 *          base32 characters under one domain in three minutes).
 * hostile  Flow logs in which every record comes from a different public
 *          address: SSH attempts to five instances, 10 M distinct sources
 *          for 10 M records within five minutes, so a detector keeping
 *          state per remote host must hold (or evict) an entry per record.
 *
 * Every injected attack has its own key as vigil aggregates findings (a
 * new remote host or domain each time, a new instance for each sweep),
 * so each should make its own finding.  The generator writes
 * OUTDIR/files.tsv (relative path, records, uncompressed bytes, injected
 * records; one line per file) and OUTDIR/MANIFEST (key=value lines:
 * totals, injected attacks per kind, "complete=1" last).  Public addresses
 * are publicly routable (no private, shared, documentation, benchmarking,
 * multicast or reserved ranges).  The output is a pure function of KIND,
 * RECORDS and SEED; the world (accounts, VPCs, interfaces) depends on SEED
 * only, so flow and DNS corpora of one seed describe the same estate.  No
 * expression makes two random draws whose order C leaves to the compiler
 * (function arguments, operands of | or +), so gcc and clang builds write
 * the same bytes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libdeflate.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_util.h"

/* One stream for the whole corpus (bench_util.h). */
static struct prng rng;

/* rnd -- a uniform integer in [0, n). */
static inline uint32_t rnd(uint32_t n) { return prng_below32(&rng, n); }
static inline uint32_t rnd32(void) { return (uint32_t)(prng_next(&rng) >> 32); }

/* range -- a uniform integer in [lo, hi]. */
static inline uint32_t range(uint32_t lo, uint32_t hi) { return lo + rnd(hi - lo + 1); }

/* logr -- roughly log-uniform in [lo, hi]: transfer sizes span decades. */
static uint64_t logr(uint64_t lo, uint64_t hi)
{
	int a = 63 - __builtin_clzll(lo | 1), b = 63 - __builtin_clzll(hi | 1);
	int e = a + (int)rnd((uint32_t)(b - a + 1));
	uint64_t v = ((uint64_t)1 << e) + (((uint64_t)rnd32() << 32 | rnd32()) & (((uint64_t)1 << e) - 1));
	return v < lo ? lo : v > hi ? hi : v;
}

#define PICK(arr) ((arr)[rnd(ARRAY_LEN(arr))])

/* ---- writing into the output buffer (bench_util.h) ---- */

static inline void put_ch(struct buf *b, char c)
{
	reserve(b, 1);
	b->p[b->len++] = c;
}

static inline void put_s(struct buf *b, const char *s) { put(b, s, strlen(s)); }

static void put_u(struct buf *b, uint64_t v)
{
	char t[24];
	int i = 24;
	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(b, t + i, (size_t)(24 - i));
}

static const char HEX[] = "0123456789abcdef";
static const char B32[] = "abcdefghijklmnopqrstuvwxyz234567"; /* base32, lower case as tunnels send it */
static const char LALNUM[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* put_iso -- epoch seconds as 2024-03-01T12:34:56Z, without gmtime per call. */
static void put_iso(struct buf *b, int64_t t)
{
	static int64_t day = -1;
	static char date[16];
	char s[48];
	if (t / 86400 != day) {
		struct tm tm;
		time_t tt = (time_t)(t / 86400 * 86400);
		day = t / 86400;
		gmtime_r(&tt, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT", &tm);
	}
	unsigned sec = (unsigned)(t % 86400);
	snprintf(s, sizeof(s), "%s%02u:%02u:%02uZ", date, sec / 3600, sec / 60 % 60, sec % 60);
	put_s(b, s);
}

/* ---- addresses ---- */

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

struct addr {
	bool v6;
	uint32_t v4;
	uint8_t b[16];
};

static struct addr a4(uint32_t ip)
{
	struct addr a;
	memset(&a, 0, sizeof(a));
	a.v4 = ip;
	return a;
}

static void put_addr(struct buf *b, const struct addr *a)
{
	if (a->v6) {
		char s[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, a->b, s, sizeof(s));
		put_s(b, s);
		return;
	}
	put_u(b, a->v4 >> 24);
	put_ch(b, '.');
	put_u(b, a->v4 >> 16 & 255);
	put_ch(b, '.');
	put_u(b, a->v4 >> 8 & 255);
	put_ch(b, '.');
	put_u(b, a->v4 & 255);
}

static void fmt_ip4(char *s, size_t n, uint32_t ip)
{
	snprintf(s, n, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
}

/* is_public4 -- publicly routable: what vigil's vg_ip_is_public accepts,
 * less the 6to4 relay anycast block. */
static bool is_public4(uint32_t ip)
{
	uint32_t a = ip >> 24, b = ip >> 16 & 255, c = ip >> 8 & 255;
	if (a == 0 || a == 10 || a == 127 || a >= 224)
		return false;
	if ((a == 100 && (b & 0xc0) == 64) || (a == 169 && b == 254) || (a == 172 && (b & 0xf0) == 16) ||
	    (a == 192 && b == 168))
		return false;
	if (a == 192 && ((b == 0 && (c == 0 || c == 2)) || (b == 88 && c == 99)))
		return false;
	if (a == 198 && ((b & 0xfe) == 18 || (b == 51 && c == 100)))
		return false;
	if (a == 203 && b == 0 && c == 113)
		return false;
	return true;
}

static uint32_t random_public4(void)
{
	uint32_t x;
	do
		x = rnd32();
	while (!is_public4(x) || (x & 255) == 0 || (x & 255) == 255);
	return x;
}

struct cidr {
	uint32_t base;
	uint8_t bits;
};
#define C4(a, b, c, d, n) {IP4(a, b, c, d), n}

static uint32_t in_cidr(struct cidr c)
{
	uint32_t size = c.bits >= 32 ? 1 : (uint32_t)1 << (32 - c.bits);
	if (size <= 2)
		return c.base + (size == 2 ? rnd(2) : 0);
	return c.base + 1 + rnd(size - 2);
}

/* An IPv6 address in a prefix of whole bytes, the rest of the network
 * part random and a short host part, as providers number servers. */
static struct addr in_prefix6(const uint8_t *p, int n, bool random_iid)
{
	struct addr a;
	memset(&a, 0, sizeof(a));
	a.v6 = true;
	memcpy(a.b, p, (size_t)n);
	for (int i = n; i < 8; i++)
		a.b[i] = (uint8_t)rnd(256);
	if (random_iid)
		for (int i = 8; i < 16; i++)
			a.b[i] = (uint8_t)rnd(256);
	else
		a.b[15] = (uint8_t)(1 + rnd(254));
	return a;
}

static const uint8_t V6_GOOGLE[] = {0x26, 0x07, 0xf8, 0xb0, 0x40, 0x04};
static const uint8_t V6_CLOUDFLARE[] = {0x26, 0x06, 0x47, 0x00};
static const uint8_t V6_FASTLY[] = {0x2a, 0x04, 0x4e, 0x42};

/* ---- the world: accounts, regions, VPCs, interfaces ---- */

/* Where AWS services answer in each region (ip-ranges.json, abridged). */
enum svc { SVC_S3, SVC_DDB, SVC_AMAZON, SVC_EC2, SVC_COUNT };
static const char *const SVC_NAME[] = {"S3", "DYNAMODB", "AMAZON", "EC2"};

struct region {
	const char *name;
	const char *az;       /* az-id prefix, e.g. "use1" */
	const char *internal; /* EC2 private DNS suffix */
	struct cidr pool[SVC_COUNT][2];
};

static const struct region REGIONS[] = {
	{"us-east-1", "use1", "ec2.internal",
	 {{C4(52, 216, 0, 0, 15), C4(54, 231, 0, 0, 17)}, {C4(3, 218, 180, 0, 22), C4(52, 94, 0, 0, 22)},
	  {C4(52, 46, 128, 0, 19), C4(54, 239, 0, 0, 17)}, {C4(3, 80, 0, 0, 12), C4(54, 144, 0, 0, 14)}}},
	{"eu-west-1", "euw1", "eu-west-1.compute.internal",
	 {{C4(52, 218, 0, 0, 17), C4(3, 5, 64, 0, 21)}, {C4(52, 119, 240, 0, 21), C4(52, 94, 24, 0, 23)},
	  {C4(52, 94, 216, 0, 21), C4(54, 239, 32, 0, 20)}, {C4(34, 240, 0, 0, 13), C4(52, 208, 0, 0, 13)}}},
	{"us-west-2", "usw2", "us-west-2.compute.internal",
	 {{C4(52, 218, 128, 0, 17), C4(3, 5, 76, 0, 22)}, {C4(52, 94, 8, 0, 22), C4(52, 119, 184, 0, 22)},
	  {C4(52, 94, 204, 0, 23), C4(54, 240, 128, 0, 18)}, {C4(34, 208, 0, 0, 12), C4(54, 184, 0, 0, 13)}}},
	{"us-east-2", "use2", "us-east-2.compute.internal",
	 {{C4(52, 219, 80, 0, 20), C4(3, 5, 128, 0, 22)}, {C4(52, 94, 4, 0, 24), C4(3, 218, 182, 0, 24)},
	  {C4(52, 95, 16, 0, 21), C4(52, 94, 248, 0, 22)}, {C4(18, 216, 0, 0, 14), C4(3, 12, 0, 0, 14)}}},
};

/* Internet services instances depend on. */
struct remote {
	struct cidr net;
	uint16_t port;
	uint8_t proto;
	int8_t svc; /* enum svc when AWS hosts it, else -1 */
};
static const struct remote INTERNET[] = {
	{C4(140, 82, 112, 0, 20), 443, 6, -1},       /* GitHub */
	{C4(142, 250, 0, 0, 15), 443, 6, -1},        /* Google */
	{C4(104, 16, 0, 0, 13), 443, 6, -1},         /* Cloudflare: npm, Docker layers */
	{C4(151, 101, 0, 0, 16), 443, 6, -1},        /* Fastly: PyPI, Maven, Debian */
	{C4(23, 32, 0, 0, 11), 443, 6, -1},          /* Akamai */
	{C4(3, 233, 144, 0, 20), 443, 6, SVC_EC2},   /* Datadog intake */
	{C4(54, 187, 0, 0, 16), 443, 6, SVC_EC2},    /* a payments API */
	{C4(44, 205, 64, 0, 18), 443, 6, SVC_EC2},   /* Docker Hub registry */
	{C4(20, 190, 128, 0, 18), 443, 6, -1},       /* Microsoft login */
	{C4(34, 120, 195, 0, 24), 443, 6, -1},       /* Sentry */
	{C4(185, 199, 108, 0, 22), 443, 6, -1},      /* GitHub content */
	{C4(91, 189, 91, 0, 24), 80, 6, -1},         /* Ubuntu archive */
	{C4(185, 125, 190, 0, 24), 80, 6, -1},       /* Ubuntu security */
};
static const struct remote NTP[] = {
	{C4(185, 125, 190, 56, 30), 123, 17, -1}, {C4(216, 239, 35, 0, 28), 123, 17, -1},
	{C4(162, 159, 200, 1, 32), 123, 17, -1},  {C4(162, 159, 200, 123, 32), 123, 17, -1},
};
static const struct remote RESOLVERS[] = {
	{C4(8, 8, 8, 8, 32), 53, 17, -1}, {C4(8, 8, 4, 4, 32), 53, 17, -1},
	{C4(1, 1, 1, 1, 32), 53, 17, -1}, {C4(1, 0, 0, 1, 32), 53, 17, -1},
};

enum role { R_ALB, R_WEB, R_APP, R_DB, R_CACHE, R_BASTION, R_CI, R_DC, R_COUNT };
static const struct {
	int count;          /* per VPC, before up to 50 % more */
	bool instance;      /* an EC2 instance (load balancer interfaces are not) */
	bool public_subnet; /* has a public address: the internet can reach it */
	int dns_weight;     /* how much of the VPC's DNS traffic it makes */
} ROLE[R_COUNT] = {
	[R_ALB] = {3, false, true, 0},   [R_WEB] = {12, true, true, 20},    [R_APP] = {16, true, false, 30},
	[R_DB] = {4, true, false, 2},    [R_CACHE] = {3, true, false, 1},   [R_BASTION] = {1, true, true, 3},
	[R_CI] = {5, true, true, 25},    [R_DC] = {2, true, false, 10},
};

#define N_ACCOUNTS 3
#define N_VPCS 6
#define MAX_ENIS 80
#define MAX_DEPS 24

struct dep {
	struct addr ip;
	uint16_t port;
	uint8_t proto;
	int8_t svc;
};

struct eni {
	char id[24];       /* eni-0 + 16 hex */
	char instance[24]; /* i-0 + 16 hex; "" for load balancer interfaces */
	uint32_t ip;       /* primary private IPv4 */
	struct addr ip6;   /* dual-stack instances; ip6.v6 false otherwise */
	struct addr v6dep[3]; /* and the IPv6 services they call */
	enum role role;
	int subnet;
	bool swept;        /* already made an injected sweep */
	struct dep deps[MAX_DEPS];
	int n_deps;
};

struct account {
	char id[16];
	uint32_t office[2]; /* where people SSH from */
};

struct vpc {
	const struct account *a;
	const struct region *r;
	char id[24];    /* vpc-0 + 16 hex */
	char fl[24];    /* fl-0 + 16 hex */
	bool v5;        /* the flow log writes the custom version 5 format */
	bool gw_endpoint; /* S3 and DynamoDB through gateway endpoints */
	int octet;      /* 10.<octet>.0.0/16 */
	uint8_t v6[7];  /* its IPv6 /56 */
	char subnet[6][28];
	char az[6][12];
	struct eni eni[MAX_ENIS];
	int n_eni;
	int by_role[R_COUNT][32];
	int n_role[R_COUNT];
	char bucket[3][64];
	char rds[40];   /* cluster-<id> part of its database endpoint */
	char rslvr_in[32];
	char frg[32], fdl[32]; /* DNS Firewall rule group and domain list */
	int dns_weight[MAX_ENIS];
};

static struct account accounts[N_ACCOUNTS];
static struct vpc vpcs[N_VPCS];

/* Which account and region each VPC is in, its share of the traffic and
 * its flow log's format: the two version 5 VPCs carry about a third. */
static const struct {
	int account, region, weight;
	bool v5;
} VPC_SPEC[N_VPCS] = {
	{0, 0, 30, false}, {0, 1, 20, true}, {0, 2, 8, false}, {1, 0, 15, true}, {2, 0, 15, false}, {2, 3, 12, false},
};
static int VPC_WEIGHT[N_VPCS];

static const char *const BUCKET_KINDS[] = {"data-lake", "app-uploads", "backups", "static-assets", "athena-results"};

static void add_dep(struct eni *e, const struct vpc *v, bool internet)
{
	struct dep *d = &e->deps[e->n_deps++];
	memset(d, 0, sizeof(*d));
	if (internet) {
		const struct remote *r = &PICK(INTERNET);
		d->ip = a4(in_cidr(r->net));
		d->port = r->port;
		d->proto = r->proto;
		d->svc = r->svc;
		return;
	}
	static const int w[] = {40, 20, 40};
	int s = prng_weighted(&rng, w, ARRAY_LEN(w));
	d->ip = a4(in_cidr(v->r->pool[s][rnd(2)]));
	d->port = 443;
	d->proto = 6;
	d->svc = (int8_t)s;
}

static void make_world(void)
{
	for (int i = 0; i < N_ACCOUNTS; i++) {
		prng_fill(&rng, accounts[i].id, "", 12, "0123456789");
		accounts[i].id[0] = (char)('1' + rnd(9));
		for (int k = 0; k < 2; k++)
			accounts[i].office[k] = random_public4();
	}
	for (int i = 0; i < N_VPCS; i++) {
		struct vpc *v = &vpcs[i];
		VPC_WEIGHT[i] = VPC_SPEC[i].weight;
		v->a = &accounts[VPC_SPEC[i].account];
		v->r = &REGIONS[VPC_SPEC[i].region];
		v->v5 = VPC_SPEC[i].v5;
		v->gw_endpoint = rnd(2);
		v->octet = 16 * i + (int)rnd(16);
		prng_fill(&rng, v->id, "vpc-0", 16, HEX);
		prng_fill(&rng, v->fl, "fl-0", 16, HEX);
		v->v6[0] = 0x26;
		v->v6[1] = 0x00;
		v->v6[2] = 0x1f;
		v->v6[3] = (uint8_t)(0x10 + VPC_SPEC[i].region * 4);
		for (int k = 4; k < 7; k++)
			v->v6[k] = (uint8_t)rnd(256);
		for (int s = 0; s < 6; s++) {
			prng_fill(&rng, v->subnet[s], "subnet-0", 16, HEX);
			snprintf(v->az[s], sizeof(v->az[s]), "%s-az%d", v->r->az, 1 + s % 3);
		}
		for (int b = 0; b < 3; b++)
			snprintf(v->bucket[b], sizeof(v->bucket[b]), "acme-%s-%s-%s", BUCKET_KINDS[rnd(ARRAY_LEN(BUCKET_KINDS))],
				 v->a->id, v->r->name);
		prng_fill(&rng, v->rds, "cluster-", 12, LALNUM);
		prng_fill(&rng, v->rslvr_in, "rslvr-in-", 17, HEX);
		prng_fill(&rng, v->frg, "rslvr-frg-", 17, HEX);
		prng_fill(&rng, v->fdl, "rslvr-fdl-", 17, HEX);
		for (int r = 0; r < R_COUNT; r++) {
			int n = ROLE[r].count + (int)rnd((uint32_t)ROLE[r].count / 2 + 1);
			for (int k = 0; k < n && v->n_eni < MAX_ENIS; k++) {
				struct eni *e = &v->eni[v->n_eni];
				memset(e, 0, sizeof(*e));
				e->role = (enum role)r;
				prng_fill(&rng, e->id, "eni-0", 16, HEX);
				if (ROLE[r].instance)
					prng_fill(&rng, e->instance, "i-0", 16, HEX);
				/* Public subnets 0-2, private 3-5, one of each per AZ; /20s. */
				e->subnet = (int)rnd(3) + (ROLE[r].public_subnet ? 0 : 3);
				uint32_t third = (uint32_t)e->subnet * 16 + rnd(16);
				e->ip = IP4(10, v->octet, third, 4 + rnd(250));
				if (r == R_WEB && rnd(3) == 0) {
					uint8_t p[8];
					memcpy(p, v->v6, 7);
					p[7] = (uint8_t)e->subnet;
					e->ip6 = in_prefix6(p, 8, true);
					e->v6dep[0] = in_prefix6(V6_GOOGLE, 6, false);
					e->v6dep[1] = in_prefix6(V6_CLOUDFLARE, 4, false);
					e->v6dep[2] = in_prefix6(V6_FASTLY, 4, false);
				}
				if (r != R_ALB) {
					int n_aws = r == R_APP ? 6 + (int)rnd(10) : r == R_CI ? 4 + (int)rnd(6) : 1 + (int)rnd(4);
					int n_net = r == R_CI ? 5 + (int)rnd(6) : r == R_DB || r == R_CACHE ? 0 : 1 + (int)rnd(5);
					for (int d = 0; d < n_aws; d++)
						add_dep(e, v, false);
					for (int d = 0; d < n_net; d++)
						add_dep(e, v, true);
				}
				v->by_role[r][v->n_role[r]++] = v->n_eni;
				v->dns_weight[v->n_eni] = ROLE[r].dns_weight;
				v->n_eni++;
			}
		}
	}
}

static struct eni *role_eni(struct vpc *v, enum role r) { return &v->eni[v->by_role[r][rnd((uint32_t)v->n_role[r])]]; }

/* An instance that can be reached from the internet (web, bastion, CI). */
static struct eni *public_eni(struct vpc *v)
{
	static const int w[R_COUNT] = {[R_ALB] = 30, [R_WEB] = 50, [R_BASTION] = 5, [R_CI] = 15};
	return role_eni(v, (enum role)prng_weighted(&rng, w, R_COUNT));
}

/* Any instance (no load balancer interfaces). */
static struct eni *any_instance(struct vpc *v)
{
	struct eni *e;
	do
		e = &v->eni[rnd((uint32_t)v->n_eni)];
	while (!e->instance[0]);
	return e;
}

/* ---- flow records ---- */

#define HEADER_V2 "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
#define HEADER_V5                                                                                           \
	HEADER_V2 " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type " \
		  "sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"

enum status { ST_OK, ST_NODATA, ST_SKIPDATA };

struct flow {
	const struct eni *e; /* the interface whose log it is */
	struct addr src, dst;
	uint16_t sport, dport;
	uint8_t proto;
	uint32_t packets;
	uint64_t bytes;
	int64_t start, end;
	bool reject;
	enum status status;
	uint8_t flags;       /* tcp-flags */
	bool egress;         /* flow-direction */
	uint8_t path;        /* traffic-path; 0 for "-" */
	int8_t src_svc, dst_svc; /* pkt-*-aws-service: enum svc, -1 for "-" */
};

static void put_svc(struct buf *b, int svc) { put_s(b, svc < 0 ? "-" : SVC_NAME[svc]); }

static void write_flow(struct buf *b, const struct vpc *v, const struct flow *f)
{
	const struct eni *e = f->e;
	bool ok = f->status == ST_OK;
	put(b, v->v5 ? "5 " : "2 ", 2);
	put_s(b, v->a->id);
	put_ch(b, ' ');
	put_s(b, e->id);
	if (ok) {
		put_ch(b, ' ');
		put_addr(b, &f->src);
		put_ch(b, ' ');
		put_addr(b, &f->dst);
		put_ch(b, ' ');
		put_u(b, f->sport);
		put_ch(b, ' ');
		put_u(b, f->dport);
		put_ch(b, ' ');
		put_u(b, f->proto);
		put_ch(b, ' ');
		put_u(b, f->packets);
		put_ch(b, ' ');
		put_u(b, f->bytes);
	} else {
		put_s(b, " - - - - - - -");
	}
	put_ch(b, ' ');
	put_u(b, (uint64_t)f->start);
	put_ch(b, ' ');
	put_u(b, (uint64_t)f->end);
	put_s(b, ok ? (f->reject ? " REJECT OK" : " ACCEPT OK") : f->status == ST_NODATA ? " - NODATA" : " - SKIPDATA");
	if (v->v5) {
		put_ch(b, ' ');
		put_s(b, v->id);
		put_ch(b, ' ');
		put_s(b, v->subnet[e->subnet]);
		put_ch(b, ' ');
		put_s(b, e->instance[0] ? e->instance : "-");
		if (ok) {
			put_ch(b, ' ');
			put_u(b, f->flags);
			put_s(b, f->src.v6 ? " IPv6 " : " IPv4 ");
			put_addr(b, &f->src);
			put_ch(b, ' ');
			put_addr(b, &f->dst);
		} else {
			put_s(b, " - - - -");
		}
		put_ch(b, ' ');
		put_s(b, v->r->name);
		put_ch(b, ' ');
		put_s(b, v->az[e->subnet]);
		put_s(b, " - - ");
		if (ok) {
			put_svc(b, f->src_svc);
			put_ch(b, ' ');
			put_svc(b, f->dst_svc);
			put_s(b, f->egress ? " egress " : " ingress ");
			if (f->path)
				put_u(b, f->path);
			else
				put_ch(b, '-');
		} else {
			put_s(b, "- - - -");
		}
	}
	put_ch(b, '\n');
}

static inline uint16_t ephemeral(void) { return (uint16_t)range(32768, 60999); }

/* Flags of the two records of one TCP connection in a capture window,
 * opener's first: tcp-flags logs SYN, SYN-ACK, FIN and RST only, ORed
 * over the window. */
static void tcp_flags(uint8_t *opener, uint8_t *responder)
{
	static const int w[] = {70, 15, 10, 5};
	static const uint8_t o[] = {3, 2, 0, 1}, r[] = {19, 18, 0, 1};
	int k = prng_weighted(&rng, w, ARRAY_LEN(w));
	*opener = o[k];
	*responder = r[k];
}

struct conn {
	const struct eni *e;      /* whose log */
	struct addr local, remote;
	uint16_t lport, rport;
	uint8_t proto;
	bool outbound;            /* the local end opened it */
	uint32_t pk_up, pk_down;  /* packets opener -> responder, and back */
	uint64_t by_up, by_down;
	int64_t t;
	int8_t remote_svc;
	uint8_t path;             /* traffic-path of the local end's egress */
};

/* conn_records -- the two records of one connection as c->e logs it:
 * opener to responder, then the answer. */
static int conn_records(struct flow *out, const struct conn *c)
{
	uint8_t fo = 0, fr = 0;
	if (c->proto == 6)
		tcp_flags(&fo, &fr);
	int64_t start = c->t - (int64_t)rnd(60), end = start + (int64_t)rnd(60);
	for (int k = 0; k < 2; k++) {
		struct flow *f = &out[k];
		bool from_local = (k == 0) == c->outbound;
		memset(f, 0, sizeof(*f));
		f->e = c->e;
		f->src = from_local ? c->local : c->remote;
		f->dst = from_local ? c->remote : c->local;
		f->sport = from_local ? c->lport : c->rport;
		f->dport = from_local ? c->rport : c->lport;
		f->proto = c->proto;
		f->packets = k == 0 ? c->pk_up : c->pk_down;
		f->bytes = k == 0 ? c->by_up : c->by_down;
		f->start = start;
		f->end = end;
		f->flags = k == 0 ? fo : fr;
		f->egress = from_local;
		f->path = from_local ? c->path : 0;
		f->src_svc = from_local ? -1 : c->remote_svc;
		f->dst_svc = from_local ? c->remote_svc : -1;
	}
	return 2;
}

/* sizes -- packets and bytes of a connection carrying up and down bytes
 * of payload (log-uniform in the ranges given): full TCP segments of 1448
 * bytes (MSS 1460 less timestamps), a few more for pushes and
 * retransmissions, an ACK for every other segment of the other way, the
 * handshake, and 40 (IPv4) or 60 (IPv6) bytes of headers plus 12 of
 * options a packet; UDP one datagram per 1,400 bytes and 8 bytes of
 * header. */
static void sizes(struct conn *c, uint64_t up_lo, uint64_t up_hi, uint64_t down_lo, uint64_t down_hi)
{
	uint64_t up = logr(up_lo, up_hi), down = logr(down_lo, down_hi);
	uint32_t ip = c->local.v6 ? 40 : 20;
	if (c->proto != 6) {
		c->pk_up = (uint32_t)(up / 1400 + 1);
		c->pk_down = (uint32_t)(down / 1400 + 1);
		c->by_up = up + c->pk_up * (ip + 8);
		c->by_down = down + c->pk_down * (ip + 8);
		return;
	}
	uint64_t su = up / 1448 + 1 + rnd(3), sd = down / 1448 + 1 + rnd(3);
	c->pk_up = (uint32_t)(su + sd / 2 + 2);
	c->pk_down = (uint32_t)(sd + su / 2 + 2);
	c->by_up = up + (uint64_t)c->pk_up * (ip + 32);
	c->by_down = down + (uint64_t)c->pk_down * (ip + 32);
}

/* ---- benign traffic: one activity writes 1 to 4 records into out ---- */

enum act {
	A_AWS, A_NET, A_UDP, A_EW, A_WEB_IN, A_SCAN_IN, A_BASTION, A_ICMP, A_V6, A_EW_REJECT, A_NODATA, A_SKIPDATA,
	A_COUNT
};
static const int ACT_WEIGHT[A_COUNT] = {
	[A_AWS] = 280, [A_NET] = 100, [A_UDP] = 30,  [A_EW] = 220,      [A_WEB_IN] = 200,  [A_SCAN_IN] = 70,
	[A_BASTION] = 2, [A_ICMP] = 10, [A_V6] = 15, [A_EW_REJECT] = 5, [A_NODATA] = 15, [A_SKIPDATA] = 1,
};

/* Ports internet scanners knock on (80 and 443 left out: they are open). */
static const uint16_t SCAN_TCP[] = {22, 23, 25, 445, 1433, 2375, 3306, 3389, 5432, 5900, 6379, 7547, 8080,
				    8443, 8888, 9200, 11211, 27017, 2222, 81, 8000, 5060, 21, 110, 143};
static const uint16_t SCAN_UDP[] = {53, 123, 161, 1900, 5060, 11211, 389};

static uint32_t client_ip(uint32_t k, uint64_t salt)
{
	uint64_t x = k * 0x9e3779b97f4a7c15ULL ^ salt;
	for (;;) {
		uint32_t ip = (uint32_t)(splitmix64(&x) >> 32);
		if (is_public4(ip) && (ip & 255) != 0 && (ip & 255) != 255)
			return ip;
	}
}

static uint64_t client_salt;

/* east_west -- a connection between two interfaces of the VPC: both log it. */
static int east_west(struct flow *out, struct vpc *v, int64_t t)
{
	static const int w[] = {30, 15, 25, 15, 3, 7, 5};
	struct eni *cl, *sv;
	uint16_t port = 0;
	uint8_t proto = 6;
	struct conn c;
	memset(&c, 0, sizeof(c));
	switch (prng_weighted(&rng, w, ARRAY_LEN(w))) {
	case 0: cl = role_eni(v, R_ALB); sv = role_eni(v, R_WEB); port = 8080; break;
	case 1: cl = role_eni(v, R_WEB); sv = role_eni(v, R_APP); port = rnd(3) ? 8080 : 9090; break;
	case 2:
		cl = role_eni(v, rnd(2) ? R_WEB : R_APP);
		sv = role_eni(v, R_DB);
		port = (v->octet & 1) ? 5432 : 3306;
		break;
	case 3: cl = role_eni(v, rnd(2) ? R_WEB : R_APP); sv = role_eni(v, R_CACHE); port = 6379; break;
	case 4: cl = role_eni(v, rnd(2) ? R_CI : R_BASTION); sv = any_instance(v); port = 22; break;
	case 5: cl = role_eni(v, R_CI); sv = any_instance(v); port = 9100; break;
	default: {
		static const uint16_t dc_ports[] = {53, 53, 53, 88, 389, 445, 135};
		cl = any_instance(v);
		sv = role_eni(v, R_DC);
		port = PICK(dc_ports);
		proto = port == 53 && rnd(10) ? 17 : 6;
		break;
	}
	}
	if (cl == sv)
		sv = role_eni(v, R_DB);
	c.local = a4(cl->ip);
	c.remote = a4(sv->ip);
	c.lport = ephemeral();
	c.rport = port;
	c.proto = proto;
	c.outbound = true;
	c.t = t;
	c.remote_svc = -1;
	c.path = 1;
	if (port == 22)
		sizes(&c, 3000, 300000, 5000, 2000000);
	else if (proto == 17)
		sizes(&c, 30, 100, 50, 500);
	else
		sizes(&c, 200, 50000, 200, 3000000);
	c.e = cl;
	conn_records(out, &c);
	/* The server's interface logs the same connection, inbound. */
	struct conn s = c;
	s.e = sv;
	s.local = c.remote;
	s.remote = c.local;
	s.lport = c.rport;
	s.rport = c.lport;
	s.outbound = false;
	conn_records(out + 2, &s);
	for (int k = 2; k < 4; k++) {
		out[k].flags = out[k - 2].flags;
		out[k].start = out[k - 2].start;
		out[k].end = out[k - 2].end;
	}
	return 4;
}

static int benign(struct flow *out, struct vpc *v, int64_t t)
{
	struct conn c;
	struct eni *e;
	memset(&c, 0, sizeof(c));
	c.t = t;
	c.remote_svc = -1;
	switch ((enum act)prng_weighted(&rng, ACT_WEIGHT, A_COUNT)) {
	case A_AWS:
	case A_NET:
	case A_V6: {
		/* An instance calling a service it depends on. */
		do
			e = any_instance(v);
		while (e->n_deps == 0);
		const struct dep *d = &e->deps[rnd((uint32_t)e->n_deps)];
		c.e = e;
		c.local = a4(e->ip);
		c.remote = d->ip;
		c.rport = d->port;
		c.remote_svc = d->svc;
		c.path = (d->svc == SVC_S3 || d->svc == SVC_DDB) && v->gw_endpoint ? 7 : ROLE[e->role].public_subnet ? 8 : 1;
		if (e->ip6.v6 && rnd(2)) {
			/* Dual-stack: the same kind of call over IPv6. */
			c.local = e->ip6;
			c.remote = e->v6dep[rnd(3)];
			c.rport = 443;
			c.remote_svc = -1;
			c.path = 8;
		}
		c.lport = ephemeral();
		c.proto = 6;
		c.outbound = true;
		if (d->svc == SVC_S3 && rnd(3) == 0) /* PutObject */
			sizes(&c, 1000, 50000000, 300, 2000);
		else if (d->svc == SVC_S3)
			sizes(&c, 300, 2000, 1000, 80000000);
		else
			sizes(&c, 300, 60000, 200, 300000);
		return conn_records(out, &c);
	}
	case A_UDP: {
		const struct remote *r = rnd(2) ? &PICK(NTP) : &PICK(RESOLVERS);
		c.e = e = any_instance(v);
		c.local = a4(e->ip);
		c.remote = a4(in_cidr(r->net));
		c.lport = r->port == 123 && rnd(2) ? 123 : ephemeral(); /* ntpd binds 123 */
		c.rport = r->port;
		c.proto = 17;
		c.outbound = true;
		c.path = ROLE[e->role].public_subnet ? 8 : 1;
		if (r->port == 123)
			sizes(&c, 48, 48, 48, 48);
		else
			sizes(&c, 30, 100, 50, 1200);
		return conn_records(out, &c);
	}
	case A_EW: return east_west(out, v, t);
	case A_WEB_IN: {
		/* Web clients: a long tail of addresses, some much more frequent. */
		uint32_t k = rnd(1 + rnd(400000));
		c.e = e = rnd(5) ? role_eni(v, R_ALB) : role_eni(v, R_WEB);
		c.local = a4(e->ip);
		c.remote = a4(client_ip(k, client_salt));
		c.lport = rnd(10) ? 443 : 80;
		c.rport = (uint16_t)range(1025, 65535);
		c.proto = 6;
		c.outbound = false;
		c.path = 8;
		sizes(&c, 300, 20000, 500, 2000000);
		return conn_records(out, &c);
	}
	case A_SCAN_IN: {
		/* Internet background noise, refused by the security group. */
		struct flow *f = out;
		memset(f, 0, sizeof(*f));
		f->e = e = public_eni(v);
		f->src = a4(random_public4());
		f->dst = a4(e->ip);
		f->proto = rnd(8) ? 6 : 17;
		f->dport = f->proto == 6 ? PICK(SCAN_TCP) : PICK(SCAN_UDP);
		f->sport = (uint16_t)range(32768, 65535);
		f->packets = rnd(4) ? 1 : 2;
		f->bytes = f->packets * (f->proto == 6 ? (rnd(2) ? 40 : 60) : range(40, 120));
		f->start = t - (int64_t)rnd(60);
		f->end = f->start + (int64_t)rnd(3);
		f->reject = true;
		f->flags = f->proto == 6 ? 2 : 0;
		f->egress = false;
		f->src_svc = f->dst_svc = -1;
		return 1;
	}
	case A_BASTION: {
		e = role_eni(v, R_BASTION);
		c.e = e;
		c.local = a4(e->ip);
		c.remote = a4(v->a->office[rnd(2)]);
		c.lport = 22;
		c.rport = ephemeral();
		c.proto = 6;
		c.outbound = false;
		c.path = 8;
		sizes(&c, 200000, 5000000, 500000, 20000000); /* sessions, not guesses */
		return conn_records(out, &c);
	}
	case A_ICMP: {
		e = any_instance(v);
		c.e = e;
		c.local = a4(e->ip);
		c.remote = rnd(2) ? a4(any_instance(v)->ip) : a4(IP4(8, 8, 8, 8));
		c.proto = 1;
		c.outbound = true;
		c.path = is_public4(c.remote.v4) ? (ROLE[e->role].public_subnet ? 8 : 1) : 1;
		c.pk_up = c.pk_down = range(1, 10);
		c.by_up = c.by_down = c.pk_up * 84;
		return conn_records(out, &c);
	}
	case A_EW_REJECT: {
		/* A misconfigured client the database's security group refuses. */
		struct flow *f = out;
		memset(f, 0, sizeof(*f));
		struct eni *cl = role_eni(v, R_CI);
		f->e = e = role_eni(v, R_DB);
		f->src = a4(cl->ip);
		f->dst = a4(e->ip);
		f->sport = ephemeral();
		f->dport = rnd(2) ? 5432 : 3306;
		f->proto = 6;
		f->packets = range(1, 3);
		f->bytes = f->packets * 60;
		f->start = t - (int64_t)rnd(60);
		f->end = f->start + (int64_t)rnd(10);
		f->reject = true;
		f->flags = 2;
		f->src_svc = f->dst_svc = -1;
		return 1;
	}
	case A_NODATA:
	case A_SKIPDATA:
	default: {
		struct flow *f = out;
		memset(f, 0, sizeof(*f));
		f->e = &v->eni[rnd((uint32_t)v->n_eni)];
		f->status = rnd(16) ? ST_NODATA : ST_SKIPDATA;
		f->start = t - 60;
		f->end = t;
		return 1;
	}
	}
	return 0;
}

/* ---- injected attacks ---- */

enum attack_kind { K_PORTSCAN, K_BRUTEFORCE, K_SWEEP, K_TUNNEL, K_COUNT };
static const char *const KIND_KEY[K_COUNT] = {"portscans", "bruteforce", "sweeps", "tunnels"};

#define MAX_ATTACK_RECORDS 512

/* Ports a scan tries: common services, all below the scanner's own port. */
static const uint16_t SCAN_PORTS[] = {
	21,    22,    23,    25,    53,    80,    81,    88,    110,   111,   119,   135,   139,   143,   161,   179,
	199,   389,   443,   444,   445,   465,   513,   514,   515,   548,   554,   587,   631,   636,   646,   873,
	990,   993,   995,   1025,  1026,  1027,  1028,  1029,  1080,  1110,  1433,  1521,  1720,  1723,  1755,  1900,
	2000,  2001,  2049,  2121,  2181,  2375,  2376,  2717,  3000,  3128,  3306,  3389,  3986,  4369,  4899,  5000,
	5009,  5051,  5060,  5101,  5190,  5357,  5432,  5601,  5631,  5666,  5800,  5900,  5984,  6000,  6001,  6379,
	6443,  6646,  7000,  7070,  7547,  8000,  8008,  8009,  8080,  8081,  8086,  8088,  8443,  8888,  9000,  9042,
	9090,  9100,  9200,  9300,  9999,  10000, 10250, 11211, 15672, 27017, 27018, 28017, 32400,
};

struct attack {
	enum attack_kind kind;
	struct vpc *v;
	struct eni *e;
	int n, done;     /* records in all, written so far */
	int64_t base;    /* time of its first record */
	uint32_t remote; /* the scanned host, the brute-forcing address */
	uint16_t sport;
	/* Per record: a port or host index, and whether it is the answer. */
	uint16_t item[MAX_ATTACK_RECORDS];
	bool answer[MAX_ATTACK_RECORDS];
	uint32_t hosts[200];
	uint16_t ports[200];
	char domain[64];
	int index;       /* among attacks of its kind, for names */
};

static struct eni *unswept(struct vpc *v)
{
	for (int tries = 0; tries < 1000; tries++) {
		struct eni *e = any_instance(v);
		if (!e->swept) {
			e->swept = true;
			return e;
		}
	}
	return any_instance(v);
}

static const char *const TUNNEL_WORDS[] = {"cdn",  "sync",  "metrics", "update", "cloud", "edge", "stat",
					   "telemetry", "relay", "static", "img", "api", "node", "track"};
static const char *const TUNNEL_TLDS[] = {"com", "net", "org", "io", "xyz", "top", "info", "cc"};

/* plan_attack -- an attack of kind k in VPC v: who, whom and the order of
 * its records. */
static void plan_attack(struct attack *a, enum attack_kind k, struct vpc *v, int index)
{
	memset(a, 0, sizeof(*a));
	a->kind = k;
	a->v = v;
	a->index = index;
	switch (k) {
	case K_PORTSCAN: {
		/* A SYN scan from one source port (as nmap's): 100 ports, about
		 * half answer with RST (closed) or SYN-ACK (open). */
		uint16_t p[ARRAY_LEN(SCAN_PORTS)];
		memcpy(p, SCAN_PORTS, sizeof(p));
		for (int i = 0; i < 100; i++) {
			int j = i + (int)rnd((uint32_t)(ARRAY_LEN(p) - (size_t)i));
			uint16_t x = p[i];
			p[i] = p[j];
			p[j] = x;
			a->ports[i] = p[i];
		}
		a->e = any_instance(v);
		a->remote = random_public4();
		a->sport = (uint16_t)range(40000, 60999);
		for (int i = 0; i < 100; i++) {
			a->item[a->n] = (uint16_t)i;
			a->answer[a->n++] = false;
			if (rnd(2)) {
				a->item[a->n] = (uint16_t)i;
				a->answer[a->n++] = true;
			}
		}
		break;
	}
	case K_BRUTEFORCE:
		/* 50 guesses, each a short connection from a new client port. */
		a->e = role_eni(v, R_WEB);
		a->remote = random_public4();
		a->sport = (uint16_t)range(33000, 50000);
		for (int i = 0; i < 50; i++) {
			a->ports[i] = (uint16_t)(a->sport + i * 17 + (int)rnd(17));
			a->item[a->n] = (uint16_t)i;
			a->answer[a->n++] = false;
			a->item[a->n] = (uint16_t)i;
			a->answer[a->n++] = true;
		}
		break;
	case K_SWEEP:
		/* Port 445 of 200 public hosts; one in ten answers. */
		a->e = unswept(v);
		for (int i = 0; i < 200; i++) {
			a->hosts[i] = random_public4();
			a->ports[i] = ephemeral();
			a->item[a->n] = (uint16_t)i;
			a->answer[a->n++] = false;
			if (rnd(10) == 0) {
				a->item[a->n] = (uint16_t)i;
				a->answer[a->n++] = true;
			}
		}
		break;
	case K_TUNNEL:
	default:
		do
			a->e = any_instance(v);
		while (ROLE[a->e->role].dns_weight == 0);
		const char *w1 = PICK(TUNNEL_WORDS), *w2 = PICK(TUNNEL_WORDS), *tld = PICK(TUNNEL_TLDS);
		snprintf(a->domain, sizeof(a->domain), "%s-%s%d.%s.", w1, w2, index + 1, tld);
		a->n = 200;
		break;
	}
}

/* The next record of a flow attack into f. */
static void attack_flow(struct attack *a, struct flow *f)
{
	int j = a->done++;
	int i = a->item[j];
	bool ans = a->answer[j];
	struct eni *e = a->e;
	memset(f, 0, sizeof(*f));
	f->e = e;
	f->proto = 6;
	f->src_svc = f->dst_svc = -1;
	/* The whole attack within a minute, records in order. */
	f->start = a->base + (int64_t)(60 * j / a->n);
	f->end = f->start + (int64_t)rnd(2);
	struct addr local = a4(e->ip), remote;
	uint16_t lport, rport;
	uint8_t path = ROLE[e->role].public_subnet ? 8 : 1;
	bool outbound = true;
	switch (a->kind) {
	case K_PORTSCAN:
		remote = a4(a->remote);
		lport = a->sport;
		rport = a->ports[i];
		f->packets = 1;
		f->bytes = ans ? 40 : 44;
		f->flags = ans ? (rport == 22 || rport == 80 || rport == 443 ? 18 : 4) : 2;
		break;
	case K_BRUTEFORCE:
		remote = a4(a->remote);
		lport = 22;
		rport = a->ports[i];
		outbound = false;
		f->packets = ans ? range(9, 22) : range(10, 25);
		f->bytes = ans ? range(2500, 5500) : range(2000, 4500);
		f->flags = ans ? 19 : 3;
		break;
	case K_SWEEP:
	default:
		remote = a4(a->hosts[i]);
		lport = a->ports[i];
		rport = 445;
		f->packets = ans ? 1 : range(1, 2);
		f->bytes = f->packets * (ans ? 40 : 52);
		f->flags = ans ? 4 : 2;
		break;
	}
	bool from_local = ans != outbound;
	f->src = from_local ? local : remote;
	f->dst = from_local ? remote : local;
	f->sport = from_local ? lport : rport;
	f->dport = from_local ? rport : lport;
	f->egress = from_local;
	f->path = from_local ? path : 0;
}

/* ---- DNS query log records ---- */

struct answer {
	const char *type;
	char rdata[160]; /* JSON-escaped */
};

struct query {
	char name[300];
	const char *type;
	const char *rcode;
	struct answer ans[8];
	int n_ans;
	bool blocked;    /* DNS Firewall BLOCK */
	bool tcp;
};

static void answer(struct query *q, const char *type, const char *rdata)
{
	if (q->n_ans >= (int)ARRAY_LEN(q->ans))
		return;
	q->ans[q->n_ans].type = type;
	size_t n = strlen(rdata);
	if (n >= sizeof(q->ans[0].rdata))
		n = sizeof(q->ans[0].rdata) - 1;
	memcpy(q->ans[q->n_ans].rdata, rdata, n);
	q->ans[q->n_ans].rdata[n] = 0;
	q->n_ans++;
}

static void answer_ip4(struct query *q, uint32_t ip)
{
	char s[20];
	fmt_ip4(s, sizeof(s), ip);
	answer(q, "A", s);
}

static void answer_ip6(struct query *q, struct addr a)
{
	char s[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a.b, s, sizeof(s));
	answer(q, "AAAA", s);
}

/* Internet names instances resolve: the CNAME chain the resolver returns,
 * where the A records are, how many, and the AAAA prefix if any. */
struct site {
	const char *name;
	const char *cname[3];
	struct cidr a;
	int n_a;
	const uint8_t *v6;
	int v6_len;
	int weight;
};
static const struct site SITES[] = {
	{"github.com.", {0}, C4(140, 82, 112, 0, 22), 1, NULL, 0, 8},
	{"api.github.com.", {0}, C4(140, 82, 112, 0, 22), 1, NULL, 0, 12},
	{"codeload.github.com.", {0}, C4(140, 82, 113, 0, 24), 1, NULL, 0, 3},
	{"objects.githubusercontent.com.", {0}, C4(185, 199, 108, 0, 22), 4, NULL, 0, 4},
	{"raw.githubusercontent.com.", {0}, C4(185, 199, 108, 0, 22), 4, NULL, 0, 3},
	{"registry.npmjs.org.", {0}, C4(104, 16, 0, 0, 13), 2, V6_CLOUDFLARE, 4, 6},
	{"pypi.org.", {0}, C4(151, 101, 0, 0, 16), 4, V6_FASTLY, 4, 5},
	{"files.pythonhosted.org.", {"dualstack.python.map.fastly.net."}, C4(151, 101, 0, 0, 16), 1, V6_FASTLY, 4, 5},
	{"repo.maven.apache.org.", {"maven.map.fastly.net."}, C4(151, 101, 0, 0, 16), 1, V6_FASTLY, 4, 2},
	{"registry-1.docker.io.", {0}, C4(44, 205, 64, 0, 18), 3, NULL, 0, 5},
	{"auth.docker.io.", {0}, C4(44, 205, 64, 0, 18), 3, NULL, 0, 3},
	{"production.cloudflare.docker.com.", {0}, C4(104, 16, 0, 0, 13), 2, V6_CLOUDFLARE, 4, 4},
	{"www.google.com.", {0}, C4(142, 250, 0, 0, 15), 1, V6_GOOGLE, 6, 4},
	{"oauth2.googleapis.com.", {0}, C4(142, 250, 0, 0, 15), 1, V6_GOOGLE, 6, 2},
	{"www.googleapis.com.", {0}, C4(172, 217, 0, 0, 16), 1, V6_GOOGLE, 6, 2},
	{"api.datadoghq.com.", {0}, C4(3, 233, 144, 0, 20), 3, NULL, 0, 8},
	{"http-intake.logs.datadoghq.com.", {"alb-logs-http-shard0-1405237958.us-east-1.elb.amazonaws.com."},
	 C4(3, 233, 144, 0, 20), 3, NULL, 0, 8},
	{"o450213.ingest.sentry.io.", {0}, C4(34, 120, 195, 0, 24), 1, NULL, 0, 3},
	{"hooks.slack.com.", {0}, C4(54, 192, 0, 0, 16), 4, NULL, 0, 2},
	{"api.stripe.com.", {0}, C4(54, 187, 0, 0, 16), 3, NULL, 0, 3},
	{"login.microsoftonline.com.",
	 {"login.mso.msidentity.com.", "ak.privatelink.msidentity.com.", "www.tm.ak.prd.aadg.trafficmanager.net."},
	 C4(20, 190, 128, 0, 18), 3, NULL, 0, 2},
	{"www.amazon.com.", {"tp.47cf2c8c9-frontier.amazon.com.", "www.amazon.com.edgekey.net.", "e15316.dsca.akamaiedge.net."},
	 C4(23, 32, 0, 0, 11), 1, NULL, 0, 1},
	{"archive.ubuntu.com.", {0}, C4(91, 189, 91, 0, 24), 3, NULL, 0, 4},
	{"security.ubuntu.com.", {0}, C4(185, 125, 190, 0, 24), 3, NULL, 0, 3},
	{"ntp.ubuntu.com.", {0}, C4(185, 125, 190, 56, 30), 4, NULL, 0, 2},
	{"deb.debian.org.", {"debian.map.fastly.net."}, C4(151, 101, 0, 0, 16), 1, V6_FASTLY, 4, 2},
	{"ocsp.digicert.com.", {"ocsp.edge.digicert.com.", "fp2e7a.wpc.2be4.phicdn.net."}, C4(192, 229, 211, 0, 24), 1,
	 NULL, 0, 2},
	{"time.cloudflare.com.", {0}, C4(162, 159, 200, 0, 24), 2, V6_CLOUDFLARE, 4, 1},
	{"dl.k8s.io.", {"cdn.dl.k8s.io."}, C4(34, 107, 204, 0, 24), 1, NULL, 0, 1},
};
static int SITE_WEIGHT[ARRAY_LEN(SITES)];

/* AWS endpoints, with the address pool that answers them. */
static const struct {
	const char *name;
	enum svc svc;
	int weight;
} AWS_ENDPOINTS[] = {
	{"sts", SVC_AMAZON, 12}, {"s3", SVC_S3, 8},        {"dynamodb", SVC_DDB, 8},       {"sqs", SVC_AMAZON, 10},
	{"sns", SVC_AMAZON, 3},  {"logs", SVC_AMAZON, 8},  {"monitoring", SVC_AMAZON, 5},  {"ssm", SVC_AMAZON, 5},
	{"ssmmessages", SVC_AMAZON, 5}, {"ec2messages", SVC_AMAZON, 5}, {"kms", SVC_AMAZON, 5},
	{"secretsmanager", SVC_AMAZON, 4}, {"api.ecr", SVC_AMAZON, 2}, {"ec2", SVC_EC2, 3},
	{"events", SVC_AMAZON, 1},   {"lambda", SVC_AMAZON, 1}, {"elasticloadbalancing", SVC_AMAZON, 1},
};
static int AWS_WEIGHT[ARRAY_LEN(AWS_ENDPOINTS)];

static const char *const PRIVATE_NAMES[] = {"api", "orders", "payments", "auth", "search", "inventory", "kafka-1",
					    "kafka-2", "vault", "grafana", "prometheus", "jenkins"};
static const char *const ISPS[] = {"hsd1.ca.comcast.net.", "res.spectrum.com.", "dyn.telefonica.de.",
				   "static.kpn.net.", "bb.sky.com.", "ip.telstra.net."};
static const char *const BLOCKED[] = {"pastebin.com.", "transfer.sh.", "anonfiles.com.", "temp.sh.", "ngrok.io."};

static void reverse_name(char *s, size_t n, uint32_t ip)
{
	snprintf(s, n, "%u.%u.%u.%u.in-addr.arpa.", ip & 255, ip >> 8 & 255, ip >> 16 & 255, ip >> 24);
}

static void ec2_name(char *s, size_t n, const struct vpc *v, uint32_t ip)
{
	snprintf(s, n, "ip-%u-%u-%u-%u.%s.", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255, v->r->internal);
}

/* A name and its answers for an A or AAAA query of one of the named kinds. */
static void site_answers(struct query *q, const struct site *s, bool aaaa)
{
	snprintf(q->name, sizeof(q->name), "%s", s->name);
	for (int k = 0; k < 3 && s->cname[k]; k++)
		answer(q, "CNAME", s->cname[k]);
	if (!aaaa)
		for (int k = 0; k < s->n_a; k++)
			answer_ip4(q, in_cidr(s->a));
	else if (s->v6)
		for (int k = 0; k < (s->n_a < 2 ? s->n_a : 2); k++)
			answer_ip6(q, in_prefix6(s->v6, s->v6_len, false));
}

enum dns_kind { D_AWS, D_INTERNAL, D_SITE, D_NX, D_PTR, D_MISC, D_BLOCKED, D_COUNT };
static const int DNS_WEIGHT[D_COUNT] = {
	[D_AWS] = 350, [D_INTERNAL] = 200, [D_SITE] = 300, [D_NX] = 60, [D_PTR] = 60, [D_MISC] = 25, [D_BLOCKED] = 1,
};

/* make_query -- a benign query of the given kind (enum dns_kind) for
 * the name pick chooses: an A query, or the AAAA query glibc sends beside
 * it.  The random draws that choose the name come first, so replaying
 * the generator's state gives the AAAA query the same name. */
static void make_query(struct query *q, struct vpc *v, bool aaaa, int kind, int pick)
{
	char s[200];
	memset(q, 0, sizeof(*q));
	q->type = aaaa ? "AAAA" : "A";
	q->rcode = "NOERROR";
	switch (kind) {
	case D_AWS: {
		int k = pick;
		enum svc sv = AWS_ENDPOINTS[k].svc;
		bool alt = rnd(2);
		if (sv == SVC_S3 && alt) {
			snprintf(q->name, sizeof(q->name), "%s.s3.%s.amazonaws.com.", v->bucket[rnd(3)], v->r->name);
			snprintf(s, sizeof(s), "s3-r-w.%s.amazonaws.com.", v->r->name);
			answer(q, "CNAME", s);
		} else if (strcmp(AWS_ENDPOINTS[k].name, "api.ecr") == 0 && alt) {
			snprintf(q->name, sizeof(q->name), "%s.dkr.ecr.%s.amazonaws.com.", v->a->id, v->r->name);
		} else {
			snprintf(q->name, sizeof(q->name), "%s.%s.amazonaws.com.", AWS_ENDPOINTS[k].name, v->r->name);
		}
		if (!aaaa) {
			int n = sv == SVC_S3 ? 8 : sv == SVC_AMAZON ? 1 + (int)rnd(3) : 1;
			for (int i = 0; i < n; i++)
				answer_ip4(q, in_cidr(v->r->pool[sv][rnd(2)]));
		}
		break;
	}
	case D_INTERNAL: {
		struct eni *t = any_instance(v);
		switch (pick % 4) {
		case 0: /* EC2 private DNS name */
			ec2_name(q->name, sizeof(q->name), v, t->ip);
			if (!aaaa)
				answer_ip4(q, t->ip);
			break;
		case 1: /* the database endpoint */
			t = role_eni(v, R_DB);
			snprintf(q->name, sizeof(q->name), "orders.%s.%s.rds.amazonaws.com.", v->rds, v->r->name);
			if (!aaaa)
				answer_ip4(q, t->ip);
			break;
		default: /* a private hosted zone */
			snprintf(q->name, sizeof(q->name), "%s.prod.acme.internal.", PRIVATE_NAMES[pick % ARRAY_LEN(PRIVATE_NAMES)]);
			if (!aaaa)
				answer_ip4(q, t->ip);
			break;
		}
		break;
	}
	case D_SITE: site_answers(q, &SITES[pick], aaaa); break;
	case D_NX:
		/* Search-domain expansions and stale names. */
		q->rcode = "NXDOMAIN";
		switch (pick % 4) {
		case 0:
			snprintf(q->name, sizeof(q->name), "%s%s.", SITES[rnd(ARRAY_LEN(SITES))].name, v->r->internal);
			break;
		case 1: snprintf(q->name, sizeof(q->name), "wpad.%s.", v->r->internal); break;
		case 2: snprintf(q->name, sizeof(q->name), "metadata.google.internal."); break;
		default: snprintf(q->name, sizeof(q->name), "old-%s.prod.acme.internal.", PRIVATE_NAMES[pick % ARRAY_LEN(PRIVATE_NAMES)]); break;
		}
		break;
	case D_PTR: {
		q->type = "PTR";
		if (pick % 3) {
			uint32_t ip = any_instance(v)->ip;
			reverse_name(q->name, sizeof(q->name), ip);
			ec2_name(s, sizeof(s), v, ip);
			answer(q, "PTR", s);
		} else {
			/* A web server looking up a client. */
			uint32_t ip = client_ip(rnd(1 + rnd(400000)), client_salt);
			reverse_name(q->name, sizeof(q->name), ip);
			if (rnd(2)) {
				snprintf(s, sizeof(s), "c-%u-%u-%u-%u.%s", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255,
					 ISPS[rnd(ARRAY_LEN(ISPS))]);
				answer(q, "PTR", s);
			} else {
				q->rcode = "NXDOMAIN";
			}
		}
		break;
	}
	case D_MISC:
		switch (pick % 4) {
		case 0:
			q->type = "TXT";
			snprintf(q->name, sizeof(q->name), "_dmarc.acme-corp.com.");
			answer(q, "TXT", "\\\"v=DMARC1; p=quarantine; rua=mailto:dmarc@acme-corp.com\\\"");
			break;
		case 1:
			q->type = "SRV";
			snprintf(q->name, sizeof(q->name), "_ldap._tcp.dc._msdcs.corp.acme.internal.");
			answer(q, "SRV", "0 100 389 dc1.corp.acme.internal.");
			answer(q, "SRV", "0 100 389 dc2.corp.acme.internal.");
			break;
		case 2:
			q->type = "MX";
			snprintf(q->name, sizeof(q->name), "acme-corp.com.");
			snprintf(s, sizeof(s), "10 inbound-smtp.%s.amazonaws.com.", v->r->name);
			answer(q, "MX", s);
			break;
		default:
			q->type = "HTTPS";
			snprintf(q->name, sizeof(q->name), "www.google.com.");
			answer(q, "HTTPS", "1 . alpn=\\\"h2,h3\\\"");
			break;
		}
		break;
	case D_BLOCKED:
	default:
		snprintf(q->name, sizeof(q->name), "%s", BLOCKED[pick % ARRAY_LEN(BLOCKED)]);
		q->rcode = "NXDOMAIN";
		q->blocked = true;
		break;
	}
	q->tcp = rnd(100) == 0;
}

struct dns_src {
	const struct eni *e;   /* NULL: through the inbound endpoint */
	uint32_t ip;
	uint16_t port;
};

static void write_dns(struct buf *b, const struct vpc *v, const struct query *q, const struct dns_src *src, int64_t t)
{
	put_s(b, "{\"version\":\"1.100000\",\"account_id\":\"");
	put_s(b, v->a->id);
	put_s(b, "\",\"region\":\"");
	put_s(b, v->r->name);
	put_s(b, "\",\"vpc_id\":\"");
	put_s(b, v->id);
	put_s(b, "\",\"query_timestamp\":\"");
	put_iso(b, t);
	put_s(b, "\",\"query_name\":\"");
	put_s(b, q->name);
	put_s(b, "\",\"query_type\":\"");
	put_s(b, q->type);
	put_s(b, "\",\"query_class\":\"IN\",\"rcode\":\"");
	put_s(b, q->rcode);
	put_s(b, "\",\"answers\":[");
	for (int i = 0; i < q->n_ans; i++) {
		put_s(b, i ? ",{\"Rdata\":\"" : "{\"Rdata\":\"");
		put_s(b, q->ans[i].rdata);
		put_s(b, "\",\"Type\":\"");
		put_s(b, q->ans[i].type);
		put_s(b, "\",\"Class\":\"IN\"}");
	}
	put_s(b, "],\"srcaddr\":\"");
	put_addr(b, &(struct addr){.v4 = src->ip});
	put_s(b, "\",\"srcport\":\"");
	put_u(b, src->port);
	put_s(b, q->tcp ? "\",\"transport\":\"TCP\",\"srcids\":{" : "\",\"transport\":\"UDP\",\"srcids\":{");
	if (src->e) {
		put_s(b, "\"instance\":\"");
		put_s(b, src->e->instance);
	} else {
		put_s(b, "\"resolver_endpoint\":\"");
		put_s(b, v->rslvr_in);
	}
	put_s(b, "\"}");
	if (q->blocked) {
		put_s(b, ",\"firewall_rule_action\":\"BLOCK\",\"firewall_rule_group_id\":\"");
		put_s(b, v->frg);
		put_s(b, "\",\"firewall_domain_list_id\":\"");
		put_s(b, v->fdl);
		put_s(b, "\"");
	}
	put_s(b, "}\n");
}

static const struct eni *dns_client(struct vpc *v)
{
	return &v->eni[prng_weighted(&rng, v->dns_weight, (size_t)v->n_eni)];
}

/* dns_benign -- one lookup: a query, or an A and AAAA pair (at most room
 * records).  Returns the records written. */
static int dns_benign(struct buf *b, struct vpc *v, int64_t t, int room)
{
	struct query q;
	struct dns_src src;
	int kind = prng_weighted(&rng, DNS_WEIGHT, D_COUNT), pick = 0;
	if (kind == D_AWS)
		pick = prng_weighted(&rng, AWS_WEIGHT, ARRAY_LEN(AWS_ENDPOINTS));
	else if (kind == D_SITE)
		pick = prng_weighted(&rng, SITE_WEIGHT, ARRAY_LEN(SITES));
	else
		pick = (int)rnd(1 << 16);
	/* Which name a lookup is for must not depend on A or AAAA: draw the
	 * per-name choices from the same numbers for both queries of a pair. */
	struct prng save, after;
	memset(&src, 0, sizeof(src));
	if (rnd(50) == 0 && (kind == D_AWS || kind == D_INTERNAL)) {
		src.e = NULL; /* on-premises, through the inbound endpoint */
		uint32_t third = rnd(16);
		src.ip = IP4(172, 20, third, 2 + rnd(250));
	} else {
		src.e = dns_client(v);
		src.ip = src.e->ip;
	}
	src.port = (uint16_t)range(1024, 65535);
	bool pair = (kind == D_AWS || kind == D_INTERNAL || kind == D_SITE) && rnd(100) < 45 && room >= 2;
	save = rng;
	make_query(&q, v, false, kind, pick);
	write_dns(b, v, &q, &src, t);
	if (!pair)
		return 1;
	after = rng;
	rng = save;
	make_query(&q, v, true, kind, pick);
	rng = after;
	src.port = (uint16_t)range(1024, 65535);
	write_dns(b, v, &q, &src, t);
	return 2;
}

/* The next query of a DNS tunnel. */
static void attack_dns(struct buf *b, struct attack *a)
{
	struct query q;
	struct dns_src src = {a->e, a->e->ip, (uint16_t)range(1024, 65535)};
	char data[140];
	int j = a->done++;
	int64_t t = a->base + 180 * j / a->n;
	memset(&q, 0, sizeof(q));
	int n = (int)range(40, 56);
	prng_fill(&rng, data, "", n, B32);
	if (rnd(10) < 3) {
		/* A second label: tunnels split at 63 characters or sooner. */
		data[n] = '.';
		prng_fill(&rng, data + n + 1, "", (int)range(20, 40), B32);
	}
	snprintf(q.name, sizeof(q.name), "%s.%s", data, a->domain);
	q.rcode = "NOERROR";
	switch (rnd(10)) {
	case 0:
	case 1: {
		q.type = "CNAME";
		char s[160];
		prng_fill(&rng, data, "", (int)range(16, 40), B32);
		snprintf(s, sizeof(s), "%s.%s", data, a->domain);
		answer(&q, "CNAME", s);
		break;
	}
	case 2:
		q.type = "A";
		answer_ip4(&q, random_public4());
		break;
	default: {
		q.type = "TXT";
		char s[160];
		prng_fill(&rng, data, "", (int)range(16, 60), B32);
		snprintf(s, sizeof(s), "\\\"%s\\\"", data);
		answer(&q, "TXT", s);
		break;
	}
	}
	write_dns(b, a->v, &q, &src, t);
}

/* ---- files ---- */

enum corpus { KIND_FLOW, KIND_DNS, KIND_HOSTILE };

/* next_vpc -- the VPC of the next file, by smooth weighted round robin:
 * every VPC gets its share of the files at any corpus size (so about a
 * third are in the version 5 format), interleaved. */
static int next_vpc(int *credit)
{
	int best = 0, total = 0;
	for (int i = 0; i < N_VPCS; i++) {
		credit[i] += VPC_WEIGHT[i];
		total += VPC_WEIGHT[i];
		if (credit[i] > credit[best])
			best = i;
	}
	credit[best] -= total;
	return best;
}

/* Bijective mixing of a 32-bit counter: distinct inputs, distinct outputs. */
static uint32_t mix32(uint32_t x)
{
	x *= 0x9e3779b1u;
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

int main(int argc, char **argv)
{
	const char *out;
	enum corpus kind;
	long long want, done = 0, files = 0, raw_total = 0, gz_total = 0, v5_files = 0, attack_records = 0;
	long long planned[K_COUNT] = {0}, injected[K_COUNT] = {0};
	uint64_t seed = 1, x;
	struct buf doc = {0};
	size_t gz_cap = 0;
	unsigned char *gz = NULL;
	char dir[512], last_dir[512] = "", path[768];
	struct libdeflate_compressor *c;
	FILE *tsv, *mf;

	if (argc < 4 || argc > 5 || (want = atoll(argv[3])) <= 0 || want > 4000000000LL) {
		fprintf(stderr, "usage: %s OUTDIR flow|dns|hostile RECORDS [SEED]\n", argv[0]);
		return 2;
	}
	out = argv[1];
	if (strcmp(argv[2], "flow") == 0)
		kind = KIND_FLOW;
	else if (strcmp(argv[2], "dns") == 0)
		kind = KIND_DNS;
	else if (strcmp(argv[2], "hostile") == 0)
		kind = KIND_HOSTILE;
	else {
		fprintf(stderr, "%s: KIND must be flow, dns or hostile, not %s\n", argv[0], argv[2]);
		return 2;
	}
	if (argc == 5)
		seed = strtoull(argv[4], NULL, 10);
	prng_seed(&rng, seed);
	make_world();
	client_salt = prng_next(&rng);
	for (size_t i = 0; i < ARRAY_LEN(SITES); i++)
		SITE_WEIGHT[i] = SITES[i].weight;
	for (size_t i = 0; i < ARRAY_LEN(AWS_ENDPOINTS); i++)
		AWS_WEIGHT[i] = AWS_ENDPOINTS[i].weight;
	/* Each kind its own stream after the shared world. */
	x = seed ^ (0x6b696e64ULL + (uint64_t)kind * 0x1000193ULL);
	for (int i = 0; i < 4; i++)
		rng.s[i] ^= splitmix64(&x);

	/* The injected attacks, spread evenly over the corpus in a shuffled
	 * order of kinds: 1 port scan and 1 brute force per 200,000 flow
	 * records, 1 sweep per 500,000, 1 tunnel per 200,000 queries; none
	 * below 10,000 records. */
	enum attack_kind order[4096];
	int n_attacks = 0;
	if (want >= 10000) {
		if (kind == KIND_FLOW) {
			planned[K_PORTSCAN] = want / 200000 > 0 ? want / 200000 : 1;
			planned[K_BRUTEFORCE] = want / 200000 > 0 ? want / 200000 : 1;
			planned[K_SWEEP] = want / 500000 > 0 ? want / 500000 : 1;
		} else if (kind == KIND_DNS) {
			planned[K_TUNNEL] = want / 200000 > 0 ? want / 200000 : 1;
		}
	}
	for (int k = 0; k < K_COUNT; k++)
		for (long long i = 0; i < planned[k] && n_attacks < (int)ARRAY_LEN(order); i++)
			order[n_attacks++] = (enum attack_kind)k;
	for (int i = n_attacks - 1; i > 0; i--) {
		int j = (int)rnd((uint32_t)i + 1);
		enum attack_kind t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	int next_attack = 0, kind_index[K_COUNT] = {0};
	static struct attack attacks[8];

	/* Level 6 is what gzip and AWS's own writers default to. */
	c = libdeflate_alloc_compressor(6);
	snprintf(path, sizeof(path), "%s", out);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/files.tsv", out);
	if (!c || !(tsv = fopen(path, "w"))) {
		perror(path);
		return 1;
	}

	/* 2024-03-01T00:00:00Z; flow and DNS corpora cover a day whatever their
	 * size, the hostile one five minutes. */
	const int64_t t_begin = 1709251200, span = kind == KIND_HOSTILE ? 300 : 86400;
	struct vpc *hv = &vpcs[0];
	int n_targets = 5;
	struct eni *targets[5];
	for (int i = 0; i < n_targets; i++)
		targets[i] = &hv->eni[hv->by_role[R_WEB][i]]; /* every VPC has at least 12 web instances */
	int vpc_credit[N_VPCS] = {0};
	uint32_t hostile_ctr = 0;
	uint32_t hostile_key = (uint32_t)prng_next(&rng);

	while (done < want) {
		struct vpc *v = kind == KIND_HOSTILE ? hv : &vpcs[next_vpc(vpc_credit)];
		long long n = kind == KIND_HOSTILE ? range(40000, 50000) : kind == KIND_DNS ? range(5000, 30000)
										    : range(10000, 50000);
		long long file_attack_records = 0;
		int n_file_attacks = 0;
		struct tm tm;
		time_t tt;
		size_t gz_len;

		/* No file smaller than 10,000 records at the end: the last takes the rest. */
		if (n > want - done || want - done - n < 10000)
			n = want - done;
		int64_t t0 = t_begin + span * done / want, t1 = t_begin + span * (done + n) / want;

		/* This file's attacks: those whose place falls in it, while they
		 * take at most half its records. */
		while (next_attack < n_attacks && n_file_attacks < (int)ARRAY_LEN(attacks)) {
			long long pos = (long long)((2.0 * next_attack + 1) * (double)want / (2.0 * n_attacks));
			if (pos >= done + n)
				break;
			struct attack *a = &attacks[n_file_attacks];
			enum attack_kind k = order[next_attack];
			plan_attack(a, k, v, kind_index[k]);
			if (file_attack_records + a->n > n / 2)
				break;
			kind_index[k]++;
			file_attack_records += a->n;
			n_file_attacks++;
			next_attack++;
		}
		/* Each attack starts at a random slot; the forced drain at the end
		 * keeps the count exact. */
		long long start_slot = n_file_attacks ? (long long)rnd((uint32_t)(n - 2 * file_attack_records)) : 0;

		doc.len = 0;
		if (kind != KIND_DNS) {
			put_s(&doc, v->v5 ? HEADER_V5 : HEADER_V2);
			put_ch(&doc, '\n');
		}
		long long i = 0, left = file_attack_records;
		int cur = 0;
		while (i < n) {
			int64_t t = t0 + (t1 - t0) * i / n;
			long long room = n - i - left;
			if (left > 0 && i >= start_slot && (rnd(2) || room <= 0)) {
				struct attack *a = &attacks[cur];
				if (a->done == 0)
					a->base = t;
				if (kind == KIND_DNS) {
					attack_dns(&doc, a);
				} else {
					struct flow f;
					attack_flow(a, &f);
					write_flow(&doc, v, &f);
				}
				if (a->done == a->n) {
					injected[a->kind]++;
					cur++;
				}
				left--;
				i++;
				continue;
			}
			if (kind == KIND_DNS) {
				i += dns_benign(&doc, v, t, (int)room);
			} else if (kind == KIND_FLOW) {
				struct flow f[4];
				int got = benign(f, v, t);
				for (int k = 0; k < got && k < room; k++)
					write_flow(&doc, v, &f[k]);
				i += got < room ? got : room;
			} else {
				/* Hostile: one SSH attempt from a never-seen address. */
				struct flow f;
				uint32_t ip;
				do
					ip = mix32(hostile_ctr++ ^ hostile_key);
				while (!is_public4(ip));
				/* mix32 is a bijection of its input; xor with a constant
				 * is too, so the addresses never repeat. */
				memset(&f, 0, sizeof(f));
				f.e = targets[rnd((uint32_t)n_targets)];
				f.src = a4(ip);
				f.dst = a4(f.e->ip);
				f.sport = (uint16_t)range(32768, 60999);
				f.dport = 22;
				f.proto = 6;
				if (rnd(10) < 7) {
					f.packets = range(5, 25);
					f.bytes = range(400, 4500);
					f.flags = 3;
				} else {
					f.packets = 1;
					f.bytes = 60;
					f.flags = 2;
					f.reject = true;
				}
				f.start = t - (int64_t)rnd(5);
				f.end = f.start + (int64_t)rnd(5);
				f.src_svc = f.dst_svc = -1;
				write_flow(&doc, v, &f);
				i++;
			}
		}
		attack_records += file_attack_records;

		if (libdeflate_gzip_compress_bound(c, doc.len) > gz_cap) {
			gz_cap = libdeflate_gzip_compress_bound(c, doc.len) * 2;
			gz = realloc(gz, gz_cap);
		}
		gz_len = gz ? libdeflate_gzip_compress(c, doc.p, doc.len, gz, gz_cap) : 0;
		if (!gz_len) {
			fprintf(stderr, "compression failed\n");
			return 1;
		}

		/* Delivered a few minutes after the file's last record. */
		tt = (time_t)(t1 + 60 + rnd(240));
		gmtime_r(&tt, &tm);
		char hash[9];
		prng_fill(&rng, hash, "", 8, HEX);
		if (kind == KIND_DNS) {
			snprintf(dir, sizeof(dir), "%s/AWSLogs/%s/vpcdnsquerylogs/%s/%04d/%02d/%02d", out, v->a->id, v->id,
				 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			snprintf(path, sizeof(path), "%s/%s_vpcdnsquerylogs_%s_%04d%02d%02dT%02d%02dZ_%s.log.gz", dir, v->id,
				 v->a->id, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, hash);
		} else {
			snprintf(dir, sizeof(dir), "%s/AWSLogs/%s/vpcflowlogs/%s/%04d/%02d/%02d", out, v->a->id, v->r->name,
				 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			snprintf(path, sizeof(path), "%s/%s_vpcflowlogs_%s_%s_%04d%02d%02dT%02d%02dZ_%s.log.gz", dir, v->a->id,
				 v->r->name, v->fl, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, hash);
		}
		if (strcmp(dir, last_dir) != 0) {
			mkdirs(dir);
			snprintf(last_dir, sizeof(last_dir), "%s", dir);
		}
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(gz, 1, gz_len, f) != gz_len || fclose(f) != 0) {
			perror(path);
			return 1;
		}
		fprintf(tsv, "%s\t%lld\t%zu\t%lld\n", path + strlen(out) + 1, n, doc.len, file_attack_records);
		done += n;
		files++;
		v5_files += kind != KIND_DNS && v->v5;
		raw_total += (long long)doc.len;
		gz_total += (long long)gz_len;
	}
	if (fclose(tsv) != 0)
		return 1;

	snprintf(path, sizeof(path), "%s/MANIFEST", out);
	if (!(mf = fopen(path, "w"))) {
		perror(path);
		return 1;
	}
	fprintf(mf, "kind=%s\nrecords=%lld\nseed=%llu\nfiles=%lld\ncompressed_bytes=%lld\nuncompressed_bytes=%lld\n",
		argv[2], done, (unsigned long long)seed, files, gz_total, raw_total);
	if (kind != KIND_DNS)
		fprintf(mf, "v5_files=%lld\n", v5_files);
	if (kind == KIND_FLOW)
		fprintf(mf, "portscans=%lld\nbruteforce=%lld\nsweeps=%lld\n", injected[K_PORTSCAN], injected[K_BRUTEFORCE],
			injected[K_SWEEP]);
	else if (kind == KIND_DNS)
		fprintf(mf, "tunnels=%lld\n", injected[K_TUNNEL]);
	else
		fprintf(mf, "distinct_sources=%lld\ntargets=%d\n", done, n_targets);
	fprintf(mf, "attack_records=%lld\ncomplete=1\n", attack_records);
	if (fclose(mf) != 0)
		return 1;

	printf("%s: files %lld, records %lld, %lld compressed, %lld uncompressed bytes (%.0f B/record, ratio %.1f)",
	       argv[2], files, done, gz_total, raw_total, (double)raw_total / (double)done,
	       (double)raw_total / (double)gz_total);
	for (int k = 0; k < K_COUNT; k++)
		if (planned[k])
			printf(", %s %lld", KIND_KEY[k], injected[k]);
	printf("\n");
	libdeflate_free_compressor(c);
	free(doc.p);
	free(gz);
	return 0;
}
