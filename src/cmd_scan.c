/*
 * cmd_scan.c -- `vigil scan`: files in, findings out.  This half holds
 * the options, the set-up of lists, databases and the pipeline, and the
 * output; cmd_scan_read.c reads the files through the pipeline.
 */
#include "cmd_scan_int.h"
#include "core/time.h"
#include "decode/vpcflow.h"
#include "detect/state.h"
#include "detect/engine.h"
#include "enrich/domain.h"
#include "enrich/geo.h"
#include "enrich/intel.h"
#include "finding/finding.h"
#include "ingest/walk.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define VG_GEO_DEFAULT_DIR "/usr/local/share/vigil/geo"

static const char usage[] =
	"usage: vigil scan [options] PATH...\n"
	"       vigil scan --sample-findings [options]\n"
	"\n"
	"Read CloudTrail logs, VPC Flow Logs and Route 53 Resolver query logs and\n"
	"print the threats in them as GuardDuty findings.\n"
	"\n"
	"PATH is a file, a folder (read recursively, e.g. an S3 copy of\n"
	"AWSLogs/<account>/), or - for standard input.  Files may be CloudTrail S3\n"
	"deliveries ({\"Records\":[...]}), arrays of records, JSON lines (CloudTrail\n"
	"Lake exports), EventBridge events, VPC flow logs (any format their header\n"
	"declares) or Route 53 query logs, and any of the three as CloudWatch Logs\n"
	"hands them over: exports to S3 (each line the event's time, then the\n"
	"record), subscription batches ({\"logEvents\":[...]}, as Firehose writes\n"
	"them) and `aws logs filter-log-events` output ({\"events\":[...]}).  Plain\n"
	"or gzip, mixed in one scan: each file's kind is recognised from its\n"
	"content.  CloudTrail-Digest files are skipped.\n"
	"\n"
	"options:\n"
	"      --config FILE       read settings from this YAML file (default: the file\n"
	"                          $VIGIL_CONFIG names); the options below override its\n"
	"                          database, geo settings, state memory and flow format,\n"
	"                          and add to its lists (docs/configuration.md)\n"
	"  -f, --format FMT        table (default on a terminal), json, jsonl\n"
	"      --db FILE           keep findings in this SQLite file; a later scan\n"
	"                          updates the same findings (count, last seen),\n"
	"                          skips log files it has already read and carries\n"
	"                          on the detectors' windows and baselines\n"
	"      --rescan            with --db, read files again even if already read\n"
	"      --intel [NAME=][CATEGORY:]FILE\n"
	"                          load a threat list (repeatable); CATEGORY is tor,\n"
	"                          mining, c2, malware, phishing, blackhole,\n"
	"                          droppoint, scanner, dga or custom (the default) and picks\n"
	"                          the finding family, or young for newly registered\n"
	"                          domains (raises their reputation score, no findings\n"
	"                          of its own); NAME defaults to the file name\n"
	"      --trusted [NAME=]FILE\n"
	"                          load a trusted list (repeatable): no findings for\n"
	"                          activity from its addresses\n"
	"      --intel-format FMT  TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT or\n"
	"                          FIRE_EYE for the lists (default: from the content)\n"
	"      --geoip FILE[,FILE] city or country MMDB database(s): fills the remote\n"
	"                          address's country, city and location\n"
	"      --asn FILE[,FILE]   ASN or ISP MMDB database(s): fills its organization\n"
	"                          (without either, the databases scripts/install-geo\n"
	"                          put in $VIGIL_GEO_DIR, default " VG_GEO_DEFAULT_DIR ")\n"
	"      --no-geo            no geo or ASN enrichment\n"
	"      --state-memory N    at most N MiB for the detectors' per-entity state\n"
	"                          (256); the oldest entities are forgotten first\n"
	"      --flow-format FIELDS\n"
	"                          the VPC Flow Logs fields of files with no header\n"
	"                          line, space-separated (\"version account-id ...\");\n"
	"                          default: the version 2 format\n"
	"      --region NAME       the region of flow records that name none and were\n"
	"                          not read from an AWSLogs/ACCOUNT/vpcflowlogs/REGION/\n"
	"                          path (default: \"unknown\")\n"
	"      --account ID        likewise the account of records that name none\n"
	"      --sample-findings   print one sample finding of every type and exit\n"
	"  -q, --quiet             no progress line and no summary on stderr\n"
	"      --progress          show progress even when stderr is not a terminal\n"
	"      --max-file-size N   refuse files larger than N MiB decompressed (1024)\n"
	"      --max-record-size N parse at most N MiB as one JSON document (64)\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 when records were read (findings or not), 1 for a usage\n"
	"error, 2 when nothing could be read, 3 when the finding store failed.\n";

/* ---- output ---------------------------------------------------------- */

static int cmp_id(const void *a, const void *b) { return strcmp(a, b); }

struct print_ctx {
	struct scan *s;
	struct vg_printer p;
};

static int print_if_touched(void *ctx, const struct vg_stored_finding *f)
{
	struct print_ctx *pc = ctx;
	if (bsearch(f->id, pc->s->touched, pc->s->n_touched, sizeof(*pc->s->touched), cmp_id))
		vg_print_finding(&pc->p, f);
	return VG_OK;
}

static int print_findings(struct scan *s)
{
	struct print_ctx pc = {.s = s};
	if (s->n_touched)
		qsort(s->touched, s->n_touched, sizeof(*s->touched), cmp_id);
	vg_print_begin(&pc.p, stdout, s->o.fmt);
	int rc = s->store->ops->each(s->store, print_if_touched, &pc);
	vg_print_end(&pc.p);
	return rc;
}

static void summary(struct scan *s)
{
	if (s->o.quiet || s->o.sample)
		return;
	vg__scan_clear_progress(s);
	double secs = (double)(vg_time_mono_ms() - s->t0) / 1000.0;
	struct vg_state_stats st;
	char sources[128] = "";
	if (s->by_source[1] || s->by_source[2])
		snprintf(sources, sizeof(sources), " (%llu CloudTrail, %llu VPC flow, %llu DNS)",
			 (unsigned long long)s->by_source[0], (unsigned long long)s->by_source[1],
			 (unsigned long long)s->by_source[2]);
	fprintf(stderr,
		"vigil: scanned %llu files (%.1f MB), %llu records%s (%llu bad) in %.2f s, %.0f records/s; "
		"%llu digest, %llu other, %llu already read and %llu unreadable files skipped; "
		"%llu findings (%llu new, %llu updated, %llu suppressed by trusted lists)\n",
		(unsigned long long)s->files, (double)s->bytes / 1e6, (unsigned long long)s->records, sources,
		(unsigned long long)s->bad, secs, secs > 0 ? (double)s->records / secs : 0.0,
		(unsigned long long)s->digests, (unsigned long long)s->others, (unsigned long long)s->already_read,
		(unsigned long long)s->files_failed, (unsigned long long)(s->found_new + s->found_updated),
		(unsigned long long)s->found_new, (unsigned long long)s->found_updated,
		(unsigned long long)s->suppressed);
	/* State the detectors had to forget can hide slow activity: say so. */
	vg_detect_state_stats(s->engine, &st);
	if (st.evicted)
		fprintf(stderr,
			"vigil: per-entity state reached its %zu MiB ceiling; %llu entries were evicted "
			"(raise it with --state-memory)\n",
			st.ceiling >> 20, (unsigned long long)st.evicted);
}

/* ---- threat and trusted lists ----------------------------------------- */

static void on_bad_list_line(void *ctx, const char *path, uint64_t line, const char *why)
{
	struct scan *s = ctx;
	if (++s->file_errors > ERRORS_SHOWN_PER_FILE)
		return;
	fprintf(stderr, "vigil: %s:%llu: %s, skipped\n", path, (unsigned long long)line, why);
}

/* list_loaded -- tell what the last list loaded into in holds. */
static void list_loaded(const struct scan *s, const struct vg_intel *in, bool trusted)
{
	const struct vg_intel_list *l = vg_intel_list_at(in, vg_intel_list_count(in) - 1);
	if (!s->o.quiet)
		fprintf(stderr, "vigil: %s list %s (%s, %s): %llu entries, %llu bad lines\n",
			trusted ? "trusted" : l->category == VG_CAT_YOUNG ? "domain-age" : "threat", l->name, vg_intel_category_name(l->category),
			vg_intel_format_name(l->format), (unsigned long long)l->entries, (unsigned long long)l->bad);
}

/* load_lists -- read the configuration file's lists (n_file of them) and
 * then every --intel (trusted false) or --trusted list into a new set;
 * NULL in *out when there are none. */
static int load_lists(struct scan *s, const struct vg_config_list *file, size_t n_file, const char *const *specs,
		      size_t n, bool trusted, struct vg_intel **out)
{
	const char *kind = trusted ? "trusted" : "threat";
	int rc;
	*out = NULL;
	if (n_file + n == 0)
		return VG_OK;
	if ((rc = vg_intel_new(out)) != VG_OK)
		return rc;
	for (size_t i = 0; i < n_file; i++) {
		const struct vg_config_list *l = &file[i];
		enum vg_intel_category cat = trusted ? VG_CAT_TRUSTED : VG_CAT_CUSTOM;
		enum vg_intel_format fmt = s->o.intel_format;
		const char *why;
		/* Both were checked when the file was read. */
		if ((l->category && vg_intel_category_parse(vg_str_c(l->category), &cat) != VG_OK) ||
		    (l->format && vg_intel_format_parse(l->format, &fmt) != VG_OK))
			return VG_EINVAL;
		s->file_errors = 0;
		rc = vg_intel_load_file(*out, l->path, l->name, cat, fmt, on_bad_list_line, s, &why);
		if (rc != VG_OK) {
			fprintf(stderr, "vigil scan: cannot load %s list %s (from %s): %s\n", kind, l->path,
				s->o.config, why ? why : vg_strerror(rc));
			return rc;
		}
		list_loaded(s, *out, trusted);
	}
	for (size_t i = 0; i < n; i++) {
		const char *why;
		s->file_errors = 0;
		rc = vg_intel_load(*out, specs[i], trusted, s->o.intel_format, on_bad_list_line, s, &why);
		if (rc != VG_OK) {
			fprintf(stderr, "vigil scan: cannot load %s list %s: %s\n", kind, specs[i],
				why ? why : vg_strerror(rc));
			return rc;
		}
		list_loaded(s, *out, trusted);
	}
	return vg_intel_build(*out);
}

/* GuardDuty generates no finding for activity from a trusted address;
 * the drafts are dropped here, in front of the aggregator, and counted.
 * The address is the caller's for API calls and the remote end for
 * network activity; IP lists do not apply to DNS findings. */
static void emit_unless_trusted(void *ctx, const struct vg_finding_draft *d)
{
	struct scan *s = ctx;
	struct vg_intel_hit hit;
	const struct vg_ip *ip = d->type->action == VG_ACT_AWS_API_CALL ? &d->ev->src_ip
				 : d->type->action == VG_ACT_DNS_REQUEST ? NULL
									 : &d->net.remote_ip;
	if (ip && ip->family && vg_intel_ip(s->trusted, ip, &hit)) {
		s->suppressed++;
		return;
	}
	vg_emit(&s->to_aggregator, d);
}

/* ---- the command ----------------------------------------------------- */

static int parse_mib(const char *arg, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v == 0 || v > (1ull << 20))
		return VG_EINVAL;
	*out = (size_t)v << 20;
	return VG_OK;
}

/* join_paths -- n > 0 paths with commas between, as vg_geo_open takes
 * them (the file refuses paths with commas).  Owned; NULL when out of
 * memory. */
static char *join_paths(char *const *paths, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(paths[i]) + 1;
	char *out = vg_malloc(len), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(paths[i]);
		memcpy(p, paths[i], k);
		p += k;
		*p++ = i + 1 < n ? ',' : '\0';
	}
	return out;
}

/* apply_config -- read o->config and fill in what the command line left
 * unset; returns an exit status.  What it holds is released by
 * scan_free. */
static int apply_config(struct scan_opts *o)
{
	char err[512];
	struct vg_config *f = &o->file;
	int rc = vg_config_load(o->config, f, err, sizeof(err));
	if (rc != VG_OK) {
		fprintf(stderr, "vigil scan: %s\n", err);
		return rc == VG_ENOMEM ? VG_EXIT_FAIL : VG_EXIT_USAGE;
	}
	if (!o->db)
		o->db = f->database;
	if (!o->flow_format)
		o->flow_format = f->flow_format;
	if (!o->region)
		o->region = f->region;
	if (!o->account)
		o->account = f->account;
	if (!o->state_memory)
		o->state_memory = f->state_memory;
	/* A geo database named on the command line wins over the file's
	 * "enabled: false", and --no-geo over everything. */
	if (f->geo_enabled == 0 && !o->geoip && !o->asn)
		o->no_geo = true;
	if (!o->no_geo && !o->geoip && f->n_geoip && !(o->geoip = o->file_geo[0] = join_paths(f->geoip, f->n_geoip)))
		goto nomem;
	if (!o->no_geo && !o->asn && f->n_asn && !(o->asn = o->file_geo[1] = join_paths(f->asn, f->n_asn)))
		goto nomem;
	return VG_EXIT_OK;
nomem:
	fprintf(stderr, "vigil scan: %s: %s\n", o->config, vg_strerror(VG_ENOMEM));
	return VG_EXIT_FAIL;
}

static int parse_args(int argc, char **argv, struct scan_opts *o)
{
	enum {
		OPT_DB = 256, OPT_RESCAN, OPT_SAMPLE, OPT_PROGRESS, OPT_MAXFILE, OPT_MAXREC, OPT_GEOIP, OPT_ASN,
		OPT_INTEL, OPT_TRUSTED, OPT_INTEL_FORMAT, OPT_NO_GEO, OPT_CONFIG, OPT_STATE_MEMORY, OPT_FLOW_FORMAT,
		OPT_REGION, OPT_ACCOUNT,
	};
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, OPT_DB},
		{"rescan", no_argument, NULL, OPT_RESCAN},
		{"geoip", required_argument, NULL, OPT_GEOIP},
		{"intel", required_argument, NULL, OPT_INTEL},
		{"trusted", required_argument, NULL, OPT_TRUSTED},
		{"intel-format", required_argument, NULL, OPT_INTEL_FORMAT},
		{"asn", required_argument, NULL, OPT_ASN},
		{"no-geo", no_argument, NULL, OPT_NO_GEO},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"state-memory", required_argument, NULL, OPT_STATE_MEMORY},
		{"flow-format", required_argument, NULL, OPT_FLOW_FORMAT},
		{"region", required_argument, NULL, OPT_REGION},
		{"account", required_argument, NULL, OPT_ACCOUNT},
		{"sample-findings", no_argument, NULL, OPT_SAMPLE},
		{"quiet", no_argument, NULL, 'q'},
		{"progress", no_argument, NULL, OPT_PROGRESS},
		{"max-file-size", required_argument, NULL, OPT_MAXFILE},
		{"max-record-size", required_argument, NULL, OPT_MAXREC},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool force_progress = false;
	int c, f;
	*o = (struct scan_opts){.fmt = vg_format_default(stdout), .max_file = (size_t)1 << 30,
				.max_record = (size_t)64 << 20};
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((f = vg_format_parse(optarg)) < 0) {
				fprintf(stderr, "vigil scan: unknown format '%s' (use table, json or jsonl)\n", optarg);
				return VG_EINVAL;
			}
			o->fmt = (enum vg_format)f;
			break;
		case OPT_DB: o->db = optarg; break;
		case OPT_RESCAN: o->rescan = true; break;
		case OPT_GEOIP: o->geoip = optarg; break;
		case OPT_ASN: o->asn = optarg; break;
		case OPT_NO_GEO: o->no_geo = true; break;
		case OPT_CONFIG: o->config = optarg; break;
		case OPT_STATE_MEMORY:
			if (parse_mib(optarg, &o->state_memory) != VG_OK) {
				fprintf(stderr, "vigil scan: --state-memory needs a size in MiB, got '%s'\n", optarg);
				return VG_EINVAL;
			}
			break;
		case OPT_FLOW_FORMAT:
			if (!*optarg) {
				fputs("vigil scan: --flow-format needs the field names (\"version account-id ...\")\n",
				      stderr);
				return VG_EINVAL;
			}
			o->flow_format = optarg;
			break;
		case OPT_REGION: o->region = optarg; break;
		case OPT_ACCOUNT: o->account = optarg; break;
		case OPT_INTEL:
		case OPT_TRUSTED: {
			size_t *n = c == OPT_INTEL ? &o->n_intel : &o->n_trusted;
			if (*n == MAX_LISTS) {
				fprintf(stderr, "vigil scan: at most %d lists of each kind\n", MAX_LISTS);
				return VG_EINVAL;
			}
			(c == OPT_INTEL ? o->intel : o->trusted)[(*n)++] = optarg;
			break;
		}
		case OPT_INTEL_FORMAT:
			if (vg_intel_format_parse(optarg, &o->intel_format) != VG_OK) {
				fprintf(stderr, "vigil scan: unknown list format '%s' (use TXT, STIX, OTX_CSV, "
						"ALIEN_VAULT, PROOF_POINT or FIRE_EYE)\n", optarg);
				return VG_EINVAL;
			}
			break;
		case OPT_SAMPLE: o->sample = true; break;
		case 'q': o->quiet = true; break;
		case OPT_PROGRESS: force_progress = true; break;
		case OPT_MAXFILE:
		case OPT_MAXREC:
			if (parse_mib(optarg, c == OPT_MAXFILE ? &o->max_file : &o->max_record) != VG_OK) {
				fprintf(stderr, "vigil scan: %s needs a size in MiB, got '%s'\n",
					c == OPT_MAXFILE ? "--max-file-size" : "--max-record-size", optarg);
				return VG_EINVAL;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			exit(VG_EXIT_OK);
		default:
			fputs("Try 'vigil scan --help'.\n", stderr);
			return VG_EINVAL;
		}
	}
	o->progress = !o->quiet && (force_progress || isatty(STDERR_FILENO));
	if (!o->sample && optind >= argc) {
		fputs("vigil scan: no PATH given (use - for standard input); try 'vigil scan --help'\n", stderr);
		return VG_EINVAL;
	}
	if (!o->config && (o->config = getenv("VIGIL_CONFIG")) && !*o->config)
		o->config = NULL;
	return VG_OK;
}

static void scan_free(struct scan *s)
{
	vg_json_parser_free(s->parser);
	vg_json_parser_free(s->nested);
	vg_detect_engine_free(s->engine);
	vg_aggregator_free(s->agg);
	vg_geo_close(s->geo);
	vg_intel_free(s->intel);
	vg_intel_free(s->trusted);
	vg_psl_free(s->psl);
	if (s->store)
		s->store->ops->close(s->store);
	vg_buf_free(&s->scratch);
	for (size_t i = 0; i < s->n_marks; i++)
		vg_free(s->marks[i].path);
	vg_free(s->marks);
	vg_free(s->touched);
	vg_config_free(&s->o.file);
	vg_free(s->o.file_geo[0]);
	vg_free(s->o.file_geo[1]);
}

/* default_geo -- the databases scripts/install-geo installed, from the
 * geo.conf it writes ("geoip=FILES" and "asn=FILE" lines).  Returns false
 * when there is none, which is no error: enrichment is optional. */
static bool default_geo(char *city, char *asn, size_t n)
{
	const char *dir = getenv("VIGIL_GEO_DIR");
	char path[1024], line[1024];
	snprintf(path, sizeof(path), "%s/geo.conf", dir && *dir ? dir : VG_GEO_DEFAULT_DIR);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	city[0] = asn[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "geoip=", 6) == 0)
			snprintf(city, n, "%s", line + 6);
		else if (strncmp(line, "asn=", 4) == 0)
			snprintf(asn, n, "%s", line + 4);
	}
	fclose(f);
	return city[0] || asn[0];
}

/* open_geo -- the databases named on the command line, else the installed
 * ones.  A broken installed set only warns: the scan goes on without. */
static int open_geo(struct scan *s)
{
	char why[256], city[1100], asn[1100];
	bool named = s->o.geoip || s->o.asn;
	if (s->o.no_geo || (!named && !default_geo(city, asn, sizeof(city))))
		return VG_EXIT_OK;
	const char *c = named ? s->o.geoip : (city[0] ? city : NULL);
	const char *a = named ? s->o.asn : (asn[0] ? asn : NULL);
	int rc = vg_geo_open(&s->geo, c, a, why, sizeof(why));
	if (rc != VG_OK) {
		s->geo = NULL;
		fprintf(stderr, "vigil scan: %s%s\n", why,
			named ? "" : " (from the installed geo.conf; run scripts/install-geo again, or pass --no-geo)");
		return rc == VG_ENOMEM ? VG_EXIT_FAIL : named ? VG_EXIT_USAGE : VG_EXIT_OK;
	}
	vg_aggregator_set_geo(s->agg, s->geo);
	return VG_EXIT_OK;
}

/* setup -- open the store, the lists and the databases, and build the
 * pipeline; returns an exit status (VG_EXIT_OK to go on). */
static int setup(struct scan *s)
{
	char why[256];
	int rc;
	/* First: the file can name the database, the lists and the rest. */
	if (s->o.config && (rc = apply_config(&s->o)) != VG_EXIT_OK)
		return rc;
	rc = vg_store_open_sqlite(s->o.db ? s->o.db : ":memory:", &s->store, why, sizeof(why));
	if (rc != VG_OK) {
		fprintf(stderr, "vigil scan: cannot open finding database %s: %s\n", s->o.db ? s->o.db : "(memory)",
			why);
		s->store = NULL;
		return VG_EXIT_FAIL;
	}
	/* A list that cannot be read is the user's to fix: exit as for a usage
	 * error, before reading any log. */
	if ((rc = load_lists(s, s->o.file.intel, s->o.file.n_intel, s->o.intel, s->o.n_intel, false, &s->intel)) !=
		    VG_OK ||
	    (rc = load_lists(s, s->o.file.trusted, s->o.file.n_trusted, s->o.trusted, s->o.n_trusted, true,
			     &s->trusted)) != VG_OK) {
		if (rc != VG_ENOMEM)
			return VG_EXIT_USAGE;
		fprintf(stderr, "vigil scan: cannot load the lists: %s\n", vg_strerror(rc));
		return VG_EXIT_FAIL; /* no fault of the lists */
	}
	s->detect_cfg.intel = s->intel;
	/* The public suffix list names the registrable domain of DNS queries;
	 * without one libpsl's compiled-in copy serves, only slower. */
	if ((rc = vg_psl_open(&s->psl, NULL)) == VG_OK) {
		s->detect_cfg.psl = s->psl;
	} else if (rc == VG_ENOMEM) {
		fprintf(stderr, "vigil scan: cannot start: %s\n", vg_strerror(rc));
		return VG_EXIT_FAIL;
	}
	s->detect_cfg.params = s->o.file.params;
	s->detect_cfg.n_params = s->o.file.n_params;
	s->detect_cfg.state_ceiling = s->o.state_memory;
	if ((rc = vg_json_parser_new(&s->parser, s->o.max_record)) != VG_OK ||
	    (rc = vg_json_parser_new(&s->nested, s->o.max_record)) != VG_OK ||
	    (rc = vg_detect_engine_new(&s->engine, &s->detect_cfg)) != VG_OK ||
	    (rc = vg_aggregator_new(&s->agg, 0)) != VG_OK) {
		fprintf(stderr, "vigil scan: cannot start: %s\n", vg_strerror(rc));
		return VG_EXIT_FAIL;
	}
	if ((rc = open_geo(s)) != VG_EXIT_OK)
		return rc;
	s->emitter = s->to_aggregator = vg_aggregator_emitter(s->agg);
	if (s->trusted)
		s->emitter = (struct vg_emitter){emit_unless_trusted, s};
	return VG_EXIT_OK;
}

/* use_flow_format -- the layout assumed for flow logs without a header:
 * --flow-format (or the configuration's), else the default version 2;
 * and the region of records that name none. */
static int use_flow_format(struct scan *s)
{
	const char *why;
	vg_vpcflow_default_format(&s->flow_fmt);
	s->default_region = vg_str_c(s->o.region ? s->o.region : "unknown");
	s->default_account = vg_str_c(s->o.account ? s->o.account : "unknown");
	if (!s->o.flow_format)
		return VG_EXIT_OK;
	if (vg_vpcflow_parse_format(s->o.flow_format, strlen(s->o.flow_format), &s->flow_fmt, &why) != VG_OK) {
		fprintf(stderr, "vigil scan: --flow-format: %s (give the field names, e.g. \"version account-id "
				"interface-id srcaddr dstaddr ...\")\n", why);
		return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}

/* ---- detector state between runs ------------------------------------ */

static int restore_entry(void *ctx, const struct vg_stored_state *r)
{
	struct vg_state *st = ctx;
	if (r->format != VG_STATE_FORMAT)
		return VG_OK; /* written by a vigil whose detectors kept other state */
	struct vg_state_entry e = {r->table, r->key_size, r->val_size, r->key, r->val, r->touched_ms};
	int rc = vg_state_restore(st, &e);
	return rc == VG_ENOENT || rc == VG_ELIMIT ? VG_OK : rc; /* such entries are dropped */
}

static int save_entry(void *ctx, const struct vg_state_entry *e)
{
	struct vg_store *store = ctx;
	struct vg_stored_state r = {e->table, VG_STATE_FORMAT, e->key, e->val, e->key_size, e->val_size, e->touched_ms};
	return store->ops->state_put(store, &r);
}

/* With --db the detectors' windows and baselines carry over from one run
 * to the next, as the findings do: a port scan split between two runs, or
 * a learning period longer than one, still completes. */
static int restore_state(struct scan *s)
{
	return s->o.db ? s->store->ops->state_each(s->store, restore_entry, vg_detect_state(s->engine)) : VG_OK;
}

static int save_state(struct scan *s)
{
	if (!s->o.db || s->o.sample)
		return VG_OK;
	int rc = s->store->ops->begin(s->store);
	if (rc == VG_OK)
		rc = s->store->ops->state_clear(s->store);
	if (rc == VG_OK)
		rc = vg_state_save(vg_detect_state(s->engine), save_entry, s->store);
	return rc == VG_OK ? s->store->ops->commit(s->store) : rc;
}

int vg_cmd_scan(int argc, char **argv)
{
	struct scan s = {0};
	int status;

	if (parse_args(argc, argv, &s.o) != VG_OK)
		return VG_EXIT_USAGE;
	s.t0 = s.last_progress = vg_time_mono_ms();
	vg_buf_init(&s.scratch, 0);
	if ((status = setup(&s)) != VG_EXIT_OK || (status = use_flow_format(&s)) != VG_EXIT_OK) {
		scan_free(&s);
		return status;
	}
	s.fatal = restore_state(&s);

	if (s.o.sample) {
		(void)vg_sample_findings(NULL, &s.emitter);
	} else {
		for (int i = optind; i < argc && !s.fatal; i++)
			s.fatal = vg_walk(argv[i], vg__scan_on_path, &s);
	}
	if (!s.fatal)
		s.fatal = vg__scan_flush(&s);
	if (!s.fatal)
		s.fatal = save_state(&s);
	if (s.fatal) {
		vg__scan_clear_progress(&s);
		fprintf(stderr, "vigil scan: stopped: %s\n", vg_strerror(s.fatal));
		status = VG_EXIT_FAIL;
	} else if (print_findings(&s) != VG_OK) {
		fprintf(stderr, "vigil scan: cannot read back findings: %s\n", vg_strerror(VG_ESTORE));
		status = VG_EXIT_FAIL;
	}
	summary(&s);
	if (status == VG_EXIT_OK && !s.o.sample && s.records == 0 && s.already_read == 0) {
		fputs("vigil scan: no log records (CloudTrail, VPC flow or DNS) could be read from the given paths "
		      "(see the messages above)\n",
		      stderr);
		status = VG_EXIT_NOINPUT;
	}
	scan_free(&s);
	return status;
}
