/*
 * cmd_train.c -- `vigil train dga`: learn the DGA classifier (detect/dga.h)
 * from labelled domain lists and write its parameters as C source, the
 * committed src/detect/dga_model.c.
 *
 * Training is offline and deterministic: the same files, seed and hold-out
 * fraction give the same bytes out, so the committed model can be
 * reproduced from the command in its header.
 *
 *  1. Every name is reduced to its registrable domain with libpsl, as the
 *     detector sees it at run time, and deduplicated; a name listed both
 *     as generated and as benign is dropped.  The lists of names seen at
 *     resolvers (--benign-resolver) are cleaned of names of Conficker.B's
 *     shape by a rule that reads no model (see clean_rule): they are
 *     infected clients' queries, and taught as benign they held recall
 *     at 0.68; without them it was 0.80 at once.  They are left out of
 *     training and of the figures, which are also reported on the raw
 *     lists.
 *  2. A seeded hash of the label (the part left of the public suffix)
 *     puts each name in the held-out split or in one of FOLDS training
 *     folds.  Hashing the label, not the name, keeps "abc.com" and
 *     "abc.net" on the same side, so the held-out figures are for labels
 *     the model never saw.
 *  3. The model's word set is the --words words (4 or more letters) that
 *     the training names split into, split as dga.c splits a label but
 *     with the exact list: some 7,000 words, which a 64 KiB filter holds
 *     with few false answers, where the 63,000 of the whole list made it
 *     answer yes so often that the word features gained nothing.  Each
 *     fold's model has the set of the names outside the fold, so that
 *     the out-of-fold scores see a name's words as a new name's are seen.
 *  4. One logistic regression learns every weight at once: the
 *     whole-label features' and one per table entry (bigram, hashed
 *     3-, 4- and 5-gram, length, hashed suffix, (suffix, length), word,
 *     shape and (shape, suffix)), by stochastic gradient descent over a
 *     seeded order with a ridge penalty.  The suffix tables raised
 *     held-out recall from 0.63 to 0.68 at lower false positives (symmi,
 *     pushdo and kraken register under fixed suffixes); a weaker ridge
 *     penalty (1e-2, not 3e-2) let the rarer suffix slots grow.  Learning
 *     the n-gram weights discriminatively beat smoothed
 *     log-likelihood-ratio tables fed to a regression (held-out recall
 *     0.64 against 0.54 at the same false positives), and needs no second
 *     model to keep them honest.  On the cleaned lists (recall 0.80 at
 *     0.5 % out-of-fold false positives, means over seeds 1-3): larger
 *     3-, 4-gram and a 5-gram table, 40 passes and a benign share of 0.95
 *     took it to 0.83; the word features to 0.84; the shape tables to
 *     0.85 (simda 0.16 -> 0.50, vawtrak 0.11 -> 0.30).  Weighting the
 *     families evenly, or by the square root of their size, moved recall
 *     from the large families to the small ones and lowered it overall;
 *     a (word count, uncovered bytes, suffix) table raised the
 *     out-of-fold recall but not the held-out one at equal false
 *     positives, and was left out.
 *  5. Each table is quantized to int8 with its own scale, which becomes
 *     the table feature's weight.
 *  6. Each training name's first-stage inputs to the second (its features
 *     under the tables of the fold model that never saw it, and that
 *     model's logit) are kept, as the held-out names' will come from the
 *     finished model: the second stage learns from scores as kind as a
 *     new name's, not from the first stage's scores on its own training
 *     names.
 *  7. The second stage, gradient-boosted regression trees on the logistic
 *     loss (dga.h), is fitted to those inputs: GBM_TREES complete trees of
 *     depth VG_DGA_TREE_DEPTH, grown level by level on histograms of
 *     GBM_BINS quantile cuts per input, with Newton leaves shrunk by
 *     GBM_RATE; nothing is drawn at random.  The trees cut the
 *     regression's sum apart again (a random-looking label under a suffix
 *     and length no family uses; a pronounceable one whose shape a family
 *     uses).  Held-out recall at the threshold, means over seeds 1-3, on
 *     the cleaned lists: the regression alone 0.861 at FPR 0.0061; trees on
 *     its logit alone 0.860 (0.0059); on the logit and the whole-label
 *     features 0.873 (0.0057); on the table sums alone 0.875 (0.0060); on
 *     all of them 0.890 (0.0056).  Adding the label's length and the
 *     n-gram sums per n-gram moved it by 0.001-0.002, noise; depth 5, or
 *     150-300 trees at shrinkage 0.05-0.1, no better than 64 trees of depth
 *     4 at 0.2, which cost a fifth as much to score; 40 trees lost 0.006,
 *     10 names a leaf 0.005.  20 names a leaf did as well as 50 on the
 *     held-out names but flagged a few more of the Conficker-shaped names
 *     in the raw resolver lists (test_dga's ceilings); 50 it is.
 *     Cut points taken only at quantile positions left a rare 0/1 input
 *     (hex) without a cut and cost 0.017: an input with few distinct
 *     values gets a cut between each two.
 *  8. The threshold is set for at most MAX_FPR false positives on the
 *     training benign names' out-of-fold second-stage scores, nested: each
 *     fold's trees are fitted to the other folds' rows (whose inputs are
 *     themselves out of fold) and score the fold's, since a model's scores
 *     on the names it was fitted to are too kind.  Then the held-out split
 *     is scored through vg_dga_score with the finished model: those are
 *     the figures reported, beside the regression's alone at its own
 *     out-of-fold threshold.
 */
#include "vg.h"
#include "cmd.h"
#include "detect/dga.h"
#include "ingest/input.h"

#include <errno.h>
#include <getopt.h>
#include <libpsl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
	"usage: vigil train dga [--dga FILE]... [--benign FILE]... [options]\n"
	"\n"
	"Train the DGA (domain generation algorithm) classifier and write its\n"
	"parameters as C source: the file src/detect/dga_model.c is made this way.\n"
	"Held-out precision, recall and false-positive rate, overall and per family,\n"
	"and the score and recall at other false-positive rates (what the dns_dga\n"
	"detector's `score` parameter picks from) are printed on standard error and\n"
	"kept in the file's header comment.\n"
	"\n"
	"Each FILE holds one domain per line, labelled by the option that names it,\n"
	"or CSV rows 'class,family,domain' with class dga or legit (legit is\n"
	"benign), labelled by their class whichever option names the file.  A plain\n"
	"file's family is its name without folder and extension.  Blank lines and\n"
	"lines starting with '#' are skipped; gzip files are read as well.\n"
	"\n"
	"options:\n"
	"      --dga FILE          generated names (repeatable)\n"
	"      --benign FILE       benign names (repeatable)\n"
	"      --benign-resolver FILE\n"
	"                          benign names observed at DNS resolvers, which hold\n"
	"                          infected clients' queries as well (repeatable); names\n"
	"                          of Conficker.B's shape are cleaned out of them, from\n"
	"                          training and the figures: a label of 4-11 letters\n"
	"                          a-z under com net org info biz ws cn or cc holding no\n"
	"                          --words word of 4 or more letters.  The figures on the\n"
	"                          raw lists are reported as well\n"
	"      --words FILE        English words, one a line: the model's word set is\n"
	"                          those the training names split into, and the\n"
	"                          cleaning reads them (needed with --benign-resolver;\n"
	"                          without it the word features are idle).  The\n"
	"                          committed model used /usr/share/dict/words from\n"
	"                          Debian's wamerican, which only retraining needs\n"
	"      --holdout FRACTION  share of names held out for the figures (default 0.2)\n"
	"      --seed N            seed of the split and the training order (default 1)\n"
	"      --dictionary FAMILY a family that concatenates dictionary words, left out\n"
	"                          of the 'excluding dictionary families' recall\n"
	"                          (repeatable; default suppobox, matsnu and gozi)\n"
	"      --out FILE          write the model source here, and its tables beside it\n"
	"                          in FILE_tables.inc (FILE without .c), which it\n"
	"                          includes (default: one file to standard output)\n"
	"      --synthetic N       add N uniformly random labels per alphabet (letters;\n"
	"                          letters and digits; consonants and digits) as generated\n"
	"                          names, kept out of the overall figures (default 1000)\n"
	"      --scores FILE       write the held-out names as CSV\n"
	"                          class,family,domain,score,generated (class dga, legit,\n"
	"                          or cleaned for the names cleaned out; generated 1 when\n"
	"                          the score reaches the threshold)\n"
	"  -h, --help              this help\n";

#define FOLDS 5            /* cross-fitting folds of the training split */
#define MAX_FPR 0.005      /* false positives allowed on training benign names */
/* The held-out operating points reported beside the threshold: the score
 * that flags at most each share of the benign names, and the recall there,
 * which is what the dns_dga detector's `score` parameter trades. */
static const double op_fpr[] = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.05};
#define OPS VG_ARRAY_LEN(op_fpr)
#define SGD_EPOCHS 40      /* passes over the training names */
#define SGD_RATE 0.05      /* step size of the first pass ... */
#define SGD_DECAY 0.3      /* ... and of pass e: SGD_RATE / (1 + SGD_DECAY e) */
#define L2 1e-2            /* ridge penalty on every weight, per step */
/* The share of the loss carried by the benign names, whatever their number.
 * The decision is made at 0.5 % false positives, so the fit that matters
 * is in the benign names' tail: weighting them heavily moves the
 * regression's effort there (measured: held-out recall 0.55 at an even
 * split, 0.64 at 0.97; on the cleaned lists 0.95 did as well or better). */
#define BENIGN_SHARE 0.95
/* The second stage (see step 7 above). */
#define GBM_TREES 64       /* trees */
#define GBM_RATE 0.2       /* shrinkage of each tree's leaves */
#define GBM_BINS 255       /* cut points per input, at quantiles of the training names */
#define GBM_MIN_LEAF 50    /* training names a split leaves on either side, at least */
#define GBM_L2 1e-3        /* ridge on the leaves' Newton steps */
#define GBM_UNSPLIT HUGE_VALF /* the split of a node that sends every name left */
#define INPUTS VG_DGA_INPUTS
#define MAX_INPUTS 64      /* --dga, --benign and --benign-resolver files together */
#define MAX_DICTIONARY 32  /* --dictionary families */
#define MAX_BAD_SHOWN 20   /* bad lines reported per file; the rest counted */
#define MAX_NAME 253       /* the longest host name (RFC 1035) */

/* Every table entry is one weight of the regression: the tables laid end
 * to end. */
#define SLOT_TRI VG_DGA_BIGRAMS
#define SLOT_QUAD (SLOT_TRI + VG_DGA_TRIGRAMS)
#define SLOT_QUINT (SLOT_QUAD + VG_DGA_QUADGRAMS)
#define SLOT_LEN (SLOT_QUINT + VG_DGA_QUINTGRAMS)
#define SLOT_SUF (SLOT_LEN + VG_DGA_LENGTHS)
#define SLOT_SUFLEN (SLOT_SUF + VG_DGA_SUFFIXES)
#define SLOT_WORD (SLOT_SUFLEN + VG_DGA_SUFFIX_LENGTHS)
#define SLOT_SHAPE (SLOT_WORD + VG_DGA_WORDS)
#define SLOT_SHSUF (SLOT_SHAPE + VG_DGA_SHAPES)
#define SLOTS (SLOT_SHSUF + VG_DGA_SHAPE_SUFFIXES)
/* The whole-label features come first and are standardized in training. */
#define DENSE VG_DGA_F_TABLES
#define WEIGHTS (DENSE + SLOTS)

static const char *const default_dictionary[] = {"suppobox", "matsnu", "gozi"};

struct sample {
	char *domain;     /* registrable domain; owned */
	uint32_t family;  /* index into trainer.families */
	uint32_t order;   /* input position: the first of duplicates is kept */
	int16_t input;    /* index into trainer.in; -1 for a synthetic name */
	bool dga;         /* generated (true) or benign */
	bool resolver;    /* read from a --benign-resolver file */
	bool holdout;     /* in the held-out split */
	uint8_t fold;     /* training fold, 0..FOLDS-1 */
	bool drop;        /* a duplicate or a conflict */
	bool cleaned;     /* a resolver name of the Conficker shape: out of training and figures */
};

struct family {
	char *name;             /* owned */
	bool dga;               /* the class of its names */
	bool synthetic;         /* made up by --synthetic: not in the overall figures */
	size_t train, held;     /* names in each split */
	size_t flagged;         /* held-out names scored as generated */
	size_t cleaned;         /* names cleaned out, both splits */
	size_t held_cleaned;    /* ... of them held out */
	size_t flagged_cleaned; /* ... and of those scored as generated */
};

struct input {
	const char *path;  /* as given; borrowed from argv */
	bool dga;          /* the label of plain lines */
	bool resolver;     /* --benign-resolver: cleaned of the Conficker shape */
	size_t names, bad; /* names read, lines rejected */
	size_t cleaned;    /* names cleaned out (after deduplication) */
};

struct trainer {
	struct input in[MAX_INPUTS];
	size_t n_in;
	const char *dictionary[MAX_DICTIONARY];
	size_t n_dictionary;
	double holdout;
	uint64_t seed;
	const char *out;
	const char *scores; /* --scores FILE, or NULL */
	const char *words_path; /* --words FILE, or NULL */
	struct vg_input words_data; /* its bytes; the views below point here */
	struct vg_str *words;   /* its words of CLEAN_WORD_MIN or more letters, sorted */
	size_t n_words;
	struct vg_dga_model *base; /* all zero but the word set; owned */
	long synthetic;     /* --synthetic N: random labels per alphabet */
	FILE *scores_file;  /* open while training */

	const psl_ctx_t *psl;
	psl_ctx_t *psl_owned; /* psl when it is ours to free */
	struct sample *s;
	size_t n, cap;
	struct family *fam;
	size_t n_fam, cap_fam;
	size_t duplicates, conflicts;
};

/* The figures of one run, for the report and the model's header. */
struct figures {
	size_t train_dga, train_benign, held_dga, held_benign;
	size_t tp, fp;            /* held-out names flagged: generated, benign */
	size_t tp_nodict, held_nodict;
	size_t held_cleaned, fp_cleaned; /* held-out cleaned names, and those flagged */
	size_t held_curated, fp_curated; /* held-out benign names not from a resolver list */
	size_t synthetic;         /* synthetic names, both splits */
	size_t word_set;          /* words in the model's word set */
	double threshold;
	double threshold1;        /* the first stage's alone, from its out-of-fold scores */
	size_t tp1, fp1;          /* held-out names the first stage alone flags at it */
	double loss;              /* mean training loss in the last epoch */
	double train_fpr, train_recall; /* out-of-fold, at the threshold */
	struct {
		double score, fpr, recall;
	} op[OPS];                /* held out, at op_fpr[] */
};

/* ---- input ------------------------------------------------------------ */

static int family_index(struct trainer *t, const char *name, size_t len, bool dga, uint32_t *out)
{
	for (size_t i = 0; i < t->n_fam; i++)
		if (t->fam[i].dga == dga && strlen(t->fam[i].name) == len && memcmp(t->fam[i].name, name, len) == 0) {
			*out = (uint32_t)i;
			return VG_OK;
		}
	if (t->n_fam == t->cap_fam) {
		size_t cap = t->cap_fam ? 2 * t->cap_fam : 32;
		struct family *f = vg_realloc(t->fam, cap * sizeof(*f));
		if (!f)
			return VG_ENOMEM;
		t->fam = f;
		t->cap_fam = cap;
	}
	char *copy = vg_strndup(name, len);
	if (!copy)
		return VG_ENOMEM;
	t->fam[t->n_fam] = (struct family){.name = copy, .dga = dga};
	*out = (uint32_t)t->n_fam++;
	return VG_OK;
}

/* normalize -- domain in lower case without a trailing dot into buf;
 * returns NULL, or the reason it is not a host name. */
static const char *normalize(const char *p, size_t n, char *buf, size_t size)
{
	if (n && p[n - 1] == '.')
		n--;
	if (n == 0)
		return "empty";
	if (n >= size)
		return "longer than 253 bytes";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return "a byte that no host name holds";
		if (c == '.' && (i == 0 || p[i - 1] == '.'))
			return "an empty label";
		buf[i] = (char)c;
	}
	buf[n] = '\0';
	return NULL;
}

static void bad_line(struct input *in, size_t line, const char *field, const char *why)
{
	if (in->bad++ < MAX_BAD_SHOWN)
		fprintf(stderr, "vigil train: %s: line %zu: %s: %s; skipped\n", in->path, line, field, why);
}

/* add_sample -- a name of t->in[input] (-1: a synthetic name). */
static int add_sample(struct trainer *t, const char *registrable, uint32_t family, bool dga, int input)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		struct sample *s = vg_realloc(t->s, cap * sizeof(*s));
		if (!s)
			return VG_ENOMEM;
		t->s = s;
		t->cap = cap;
	}
	char *copy = vg_strndup(registrable, strlen(registrable));
	if (!copy)
		return VG_ENOMEM;
	t->s[t->n] = (struct sample){.domain = copy,
				     .family = family,
				     .order = (uint32_t)t->n,
				     .input = (int16_t)input,
				     .dga = dga,
				     .resolver = input >= 0 && t->in[input].resolver};
	t->n++;
	return VG_OK;
}

/* stem -- the file name without folder and extension: a plain file's
 * family. */
static void stem(const char *path, const char **p, size_t *n)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	const char *dot = strchr(b, '.');
	*p = b;
	*n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
}

/* One line: CSV "class,family,domain" or a plain domain. */
static int read_line(struct trainer *t, struct input *in, size_t line_no, const char *p, size_t n)
{
	const char *domain = p, *fam;
	size_t domain_n = n, fam_n;
	bool dga = in->dga;
	const char *comma = memchr(p, ',', n);
	if (comma) {
		const char *c2 = memchr(comma + 1, ',', (size_t)(p + n - comma - 1));
		if (!c2) {
			bad_line(in, line_no, "row", "CSV needs three fields, class,family,domain");
			return VG_OK;
		}
		size_t class_n = (size_t)(comma - p);
		fam = comma + 1;
		fam_n = (size_t)(c2 - fam);
		domain = c2 + 1;
		domain_n = (size_t)(p + n - domain);
		if (class_n == 5 && memcmp(p, "class", 5) == 0)
			return VG_OK; /* a header row */
		if (class_n == 3 && memcmp(p, "dga", 3) == 0) {
			dga = true;
		} else if (class_n == 5 && memcmp(p, "legit", 5) == 0) {
			dga = false;
		} else {
			bad_line(in, line_no, "class", "not dga or legit");
			return VG_OK;
		}
		if (fam_n == 0) {
			bad_line(in, line_no, "family", "empty");
			return VG_OK;
		}
		if (memchr(domain, ',', domain_n)) {
			bad_line(in, line_no, "domain", "holds a comma");
			return VG_OK;
		}
	} else {
		stem(in->path, &fam, &fam_n);
	}
	char buf[MAX_NAME + 1];
	const char *why = normalize(domain, domain_n, buf, sizeof(buf));
	if (why) {
		bad_line(in, line_no, "domain", why);
		return VG_OK;
	}
	/* A name that is itself a public suffix ("akamaihd.net" is one) has
	 * no registrable domain: it is scored as it stands. */
	const char *reg = psl_registrable_domain(t->psl, buf);
	if (!reg)
		reg = buf;
	uint32_t family;
	int rc = family_index(t, fam, fam_n, dga, &family);
	if (rc == VG_OK)
		rc = add_sample(t, reg, family, dga, (int)(in - t->in));
	if (rc == VG_OK)
		in->names++;
	return rc;
}

static int read_input(struct trainer *t, struct input *in)
{
	struct vg_input data;
	int rc = vg_input_read(in->path, (size_t)1 << 30, 0, &data);
	if (rc != VG_OK) {
		fprintf(stderr, "vigil train: %s: %s\n", in->path, vg_strerror(rc));
		vg_input_free(&data);
		return rc;
	}
	const char *p = data.data, *end = data.data + data.len;
	size_t line_no = 0;
	while (p < end && rc == VG_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		line_no++;
		const char *b = p;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b && *b != '#')
			rc = read_line(t, in, line_no, b, (size_t)(e - b));
		p = nl ? nl + 1 : end;
	}
	if (in->bad > MAX_BAD_SHOWN)
		fprintf(stderr, "vigil train: %s: %zu more bad lines\n", in->path, in->bad - MAX_BAD_SHOWN);
	vg_input_free(&data);
	return rc;
}

/* ---- random numbers: the split, the synthetic names, the training order - */

static uint64_t mix64(uint64_t x)
{
	/* splitmix64's finalizer */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* xorshift64*: the synthetic names and the order of the gradient steps. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

/* The alphabets of --synthetic: a label drawn uniformly from one of these
 * is what a DGA in its simplest form makes, so the model should flag
 * randomness as such and not only the families it was shown. */
static const struct {
	const char *family;
	const char *alphabet;
} synthetic_alphabets[] = {
	{"synthetic-letters", "abcdefghijklmnopqrstuvwxyz"},
	{"synthetic-alnum", "abcdefghijklmnopqrstuvwxyz0123456789"},
	{"synthetic-consonants-digits", "bcdfghjklmnpqrstvwxz0123456789"},
};
#define SYNTHETIC_MIN 10 /* label lengths drawn from [MIN, MAX] */
#define SYNTHETIC_MAX 24

/* add_synthetic -- t->synthetic random labels under .com per alphabet,
 * from the seed. */
static int add_synthetic(struct trainer *t)
{
	uint64_t state = mix64(t->seed ^ 0x5717e71c5717e71cull) | 1;
	for (size_t a = 0; a < VG_ARRAY_LEN(synthetic_alphabets) && t->synthetic > 0; a++) {
		const char *alphabet = synthetic_alphabets[a].alphabet;
		size_t n_alpha = strlen(alphabet);
		uint32_t family;
		int rc = family_index(t, synthetic_alphabets[a].family, strlen(synthetic_alphabets[a].family), true,
				      &family);
		if (rc != VG_OK)
			return rc;
		t->fam[family].synthetic = true;
		for (long i = 0; i < t->synthetic; i++) {
			char name[SYNTHETIC_MAX + 5];
			size_t len = SYNTHETIC_MIN + next_random(&state) % (SYNTHETIC_MAX - SYNTHETIC_MIN + 1);
			for (size_t k = 0; k < len; k++)
				name[k] = alphabet[next_random(&state) % n_alpha];
			memcpy(name + len, ".com", 5);
			if ((rc = add_sample(t, name, family, true, -1)) != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

/* ---- split ------------------------------------------------------------ */

static int by_domain(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	int c = strcmp(x->domain, y->domain);
	if (c)
		return c;
	if (x->resolver != y->resolver)
		return x->resolver ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* dedupe -- sort by domain (the order training sees: independent of the
 * order of the files) and mark duplicates and conflicts dropped.  Of
 * duplicates the first is kept, a curated list's copy before a resolver
 * list's, so that a name both list (zoho.com is in Alexa's and OpenDNS's)
 * stays benign even where the cleaning rule would take the resolver's. */
static void dedupe(struct trainer *t)
{
	qsort(t->s, t->n, sizeof(*t->s), by_domain);
	for (size_t i = 0; i < t->n;) {
		size_t j = i + 1;
		bool conflict = false;
		while (j < t->n && strcmp(t->s[j].domain, t->s[i].domain) == 0) {
			conflict |= t->s[j].dga != t->s[i].dga;
			t->s[j].drop = true;
			t->duplicates++;
			j++;
		}
		if (conflict) {
			t->s[i].drop = true;
			t->conflicts++;
		}
		i = j;
	}
}

static void split(struct trainer *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct vg_str label = vg_dga_label(vg_str_c(t->s[i].domain));
		uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
		for (size_t k = 0; k < label.n; k++)
			h = (h ^ (unsigned char)label.p[k]) * 0x100000001b3ull;
		h = mix64(h ^ mix64(t->seed + 0x9e3779b97f4a7c15ull));
		t->s[i].holdout = (double)(h >> 11) * 0x1p-53 < t->holdout;
		t->s[i].fold = (uint8_t)((h & 0xffff) % FOLDS);
	}
}

/* ---- cleaning the resolver lists ----------------------------------------- */

/* A list of names seen at resolvers (OpenDNS's, 2014) holds what infected
 * clients asked as well as what people did: hundreds of Conficker.B's
 * names, random 4-11-letter labels under its eight top-level domains
 * (wjfbhtvfktdcdxw.ws, xcwxufd.org).  Taught as benign they teach the
 * model that conficker, fobber, kraken and pykspa names are benign.  The
 * rule that takes them out reads no model: such a label, under one of
 * those suffixes, holding no English word of CLEAN_WORD_MIN letters.  It
 * takes some real names too (short brands), so it is applied only to the
 * resolver lists; the curated ones keep theirs. */
#define CLEAN_LABEL_MIN 4
#define CLEAN_LABEL_MAX 11
#define CLEAN_WORD_MIN 4
#define MAX_WORDS_BYTES ((size_t)64 << 20)
static const char *const conficker_suffixes[] = {"com", "net", "org", "info", "biz", "ws", "cn", "cc"};

static const char clean_rule[] =
	"a name from a --benign-resolver list is dropped, from training and from the\n"
	"held-out figures, when its label is 4-11 letters a-z, its suffix one of\n"
	"Conficker.B's com net org info biz ws cn cc, and no word of 4 or more\n"
	"letters from the --words list occurs in the label.\n";

static int by_str(const void *a, const void *b)
{
	const struct vg_str *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);
	return c ? c : x->n < y->n ? -1 : x->n > y->n;
}

/* read_words -- the words of --words FILE that the rule can match: lines
 * of CLEAN_WORD_MIN or more letters a-z (proper nouns and possessives,
 * which hold capitals or apostrophes, are left out), sorted. */
static int read_words(struct trainer *t)
{
	int rc = vg_input_read(t->words_path, MAX_WORDS_BYTES, 0, &t->words_data);
	if (rc != VG_OK) {
		fprintf(stderr, "vigil train: %s: %s\n", t->words_path, vg_strerror(rc));
		return rc;
	}
	const char *p = t->words_data.data, *end = p + t->words_data.len;
	size_t cap = 0;
	for (const char *q = p; q < end; q++)
		cap += *q == '\n';
	t->words = vg_malloc((cap + 1) * sizeof(*t->words));
	if (!t->words)
		return VG_ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if (e > p && e[-1] == '\r')
			e--;
		bool letters = e - p >= CLEAN_WORD_MIN;
		for (const char *q = p; q < e && letters; q++)
			letters = *q >= 'a' && *q <= 'z';
		if (letters)
			t->words[t->n_words++] = (struct vg_str){p, (size_t)(e - p)};
		p = nl ? nl + 1 : end;
	}
	if (t->n_words == 0) {
		fprintf(stderr, "vigil train: %s: no word of %d or more letters a-z\n", t->words_path, CLEAN_WORD_MIN);
		return VG_EINVAL;
	}
	qsort(t->words, t->n_words, sizeof(*t->words), by_str);
	return VG_OK;
}

static bool is_word(const struct trainer *t, const char *p, size_t n)
{
	struct vg_str key = {p, n};
	return bsearch(&key, t->words, t->n_words, sizeof(*t->words), by_str) != NULL;
}

/* conficker_shaped -- the cleaning rule (clean_rule) on a registrable
 * domain. */
static bool conficker_shaped(const struct trainer *t, const char *domain)
{
	struct vg_str label = vg_dga_label(vg_str_c(domain));
	if (label.n < CLEAN_LABEL_MIN || label.n > CLEAN_LABEL_MAX)
		return false;
	for (size_t i = 0; i < label.n; i++)
		if (label.p[i] < 'a' || label.p[i] > 'z')
			return false;
	if (domain[label.n] != '.')
		return false;
	const char *suffix = domain + label.n + 1;
	bool listed = false;
	for (size_t i = 0; i < VG_ARRAY_LEN(conficker_suffixes) && !listed; i++)
		listed = strcmp(suffix, conficker_suffixes[i]) == 0;
	if (!listed)
		return false;
	for (size_t i = 0; i + CLEAN_WORD_MIN <= label.n; i++)
		for (size_t n = CLEAN_WORD_MIN; i + n <= label.n; n++)
			if (is_word(t, label.p + i, n))
				return false;
	return true;
}

/* word_index -- the index in t->words of p[0..n), or -1. */
static long word_index(const struct trainer *t, const char *p, size_t n)
{
	struct vg_str key = {p, n};
	const struct vg_str *w = bsearch(&key, t->words, t->n_words, sizeof(*t->words), by_str);
	return w ? (long)(w - t->words) : -1;
}

/* mark_split -- the split of label into words (as dga.c's split_words
 * makes it, but with the exact word list), marking the words used. */
static void mark_split(const struct trainer *t, struct vg_str label, bool *used)
{
	size_t n = label.n < VG_DGA_MAX_LABEL ? label.n : VG_DGA_MAX_LABEL;
	int value[VG_DGA_MAX_LABEL + 1];
	uint8_t from[VG_DGA_MAX_LABEL + 1];
	long word[VG_DGA_MAX_LABEL + 1];
	value[0] = 0;
	for (size_t j = 1; j <= n; j++)
		value[j] = -1;
	for (size_t i = 0; i < n; i++) {
		if (value[i] > value[i + 1]) {
			value[i + 1] = value[i];
			from[i + 1] = (uint8_t)i;
			word[i + 1] = -1;
		}
		size_t max = n - i < VG_DGA_WORD_MAX ? n - i : VG_DGA_WORD_MAX;
		for (size_t len = 1; len <= max; len++) {
			char c = label.p[i + len - 1];
			if (c < 'a' || c > 'z')
				break;
			long k;
			if (len < VG_DGA_WORD_MIN || (k = word_index(t, label.p + i, len)) < 0)
				continue;
			int v = value[i] + (int)len * 64 - 1;
			if (v > value[i + len]) {
				value[i + len] = v;
				from[i + len] = (uint8_t)i;
				word[i + len] = k;
			}
		}
	}
	for (size_t j = n; j > 0; j = from[j])
		if (word[j] >= 0)
			used[word[j]] = true;
}

static bool has_resolver(const struct trainer *t)
{
	for (size_t i = 0; i < t->n_in; i++)
		if (t->in[i].resolver)
			return true;
	return false;
}

/* clean -- mark the resolver lists' Conficker-shaped names cleaned, after
 * deduplication, counting them per input. */
static void clean(struct trainer *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct sample *s = &t->s[i];
		if (s->drop || s->dga || !s->resolver || !conficker_shaped(t, s->domain))
			continue;
		s->cleaned = true;
		t->in[s->input].cleaned++;
		t->fam[s->family].cleaned++;
	}
}

/* ---- training --------------------------------------------------------- */

/* The training names as the regression sees them. */
struct rows {
	size_t n;           /* rows */
	double *x;          /* n x DENSE standardized whole-label features */
	uint32_t *off;      /* row i's slots are slot[off[i] .. off[i + 1]) */
	uint32_t *slot;     /* table entries read, numbered as SLOT_* say */
	bool *y;            /* generated */
	uint8_t *fold;      /* cross-fitting fold */
	size_t *sample;     /* index into trainer.s */
	double mean[DENSE]; /* standardization of the whole-label features */
	double sd[DENSE];
};

static void rows_free(struct rows *r)
{
	vg_free(r->x);
	vg_free(r->off);
	vg_free(r->slot);
	vg_free(r->y);
	vg_free(r->fold);
	vg_free(r->sample);
	*r = (struct rows){0};
}

/* rows_build -- the training split as rows; released with rows_free, also
 * after an error. */
static int rows_build(const struct trainer *t, struct rows *r)
{
	size_t n = 0, slots = 0;
	*r = (struct rows){0};
	for (size_t i = 0; i < t->n; i++)
		if (!t->s[i].drop && !t->s[i].cleaned && !t->s[i].holdout) {
			size_t len = vg_dga_label(vg_str_c(t->s[i].domain)).n;
			n++;
			/* at most: n + 1 bigrams, n trigrams, n - 1 4-grams, n - 2
			 * 5-grams, five whole-label slots and the words */
			slots += 4 * (len < VG_DGA_MAX_LABEL ? len : VG_DGA_MAX_LABEL) + 6 + VG_DGA_MAX_WORDS;
		}
	r->x = vg_malloc((n ? n : 1) * DENSE * sizeof(*r->x));
	r->off = vg_malloc((n + 1) * sizeof(*r->off));
	r->slot = vg_malloc((slots ? slots : 1) * sizeof(*r->slot));
	r->y = vg_malloc((n ? n : 1) * sizeof(*r->y));
	r->fold = vg_malloc((n ? n : 1) * sizeof(*r->fold));
	r->sample = vg_malloc((n ? n : 1) * sizeof(*r->sample));
	const struct vg_dga_model *zero = t->base;
	if (!r->x || !r->off || !r->slot || !r->y || !r->fold || !r->sample)
		return VG_ENOMEM;
	size_t used = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		if (s->drop || s->cleaned || s->holdout)
			continue;
		struct vg_str domain = vg_str_c(s->domain);
		double f[VG_DGA_NFEATURES];
		vg_dga_features(zero, domain, f);
		memcpy(&r->x[r->n * DENSE], f, DENSE * sizeof(*f));
		struct vg_dga_ngrams g;
		vg_dga_ngrams(zero, domain, &g);
		r->off[r->n] = (uint32_t)used;
		for (unsigned j = 0; j < g.n_bigram; j++)
			r->slot[used++] = g.bigram[j];
		for (unsigned j = 0; j < g.n_trigram; j++)
			r->slot[used++] = SLOT_TRI + g.trigram[j];
		for (unsigned j = 0; j < g.n_quadgram; j++)
			r->slot[used++] = SLOT_QUAD + g.quadgram[j];
		for (unsigned j = 0; j < g.n_quintgram; j++)
			r->slot[used++] = SLOT_QUINT + g.quintgram[j];
		r->slot[used++] = SLOT_LEN + g.length;
		r->slot[used++] = SLOT_SUF + g.suffix;
		r->slot[used++] = SLOT_SUFLEN + g.suffix_length;
		for (unsigned j = 0; j < g.n_word; j++)
			r->slot[used++] = SLOT_WORD + g.word[j];
		r->slot[used++] = SLOT_SHAPE + g.shape;
		r->slot[used++] = SLOT_SHSUF + g.shape_suffix;
		r->y[r->n] = s->dga;
		r->fold[r->n] = s->fold;
		r->sample[r->n] = i;
		r->n++;
	}
	r->off[r->n] = (uint32_t)used;

	for (int j = 0; j < DENSE; j++) {
		double sum = 0, sq = 0;
		for (size_t i = 0; i < n; i++)
			sum += r->x[i * DENSE + j];
		r->mean[j] = n ? sum / (double)n : 0;
		for (size_t i = 0; i < n; i++)
			sq += (r->x[i * DENSE + j] - r->mean[j]) * (r->x[i * DENSE + j] - r->mean[j]);
		r->sd[j] = n ? sqrt(sq / (double)n) : 1;
		if (r->sd[j] < 1e-12)
			r->sd[j] = 1;
		for (size_t i = 0; i < n; i++)
			r->x[i * DENSE + j] = (r->x[i * DENSE + j] - r->mean[j]) / r->sd[j];
	}
	return VG_OK;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0; }

static double sigmoid(double z) { return 1 / (1 + exp(-z)); }

/* sgd -- logistic regression on the rows outside fold skip (FOLDS: all of
 * them) by stochastic gradient descent in a seeded order, into w[WEIGHTS]
 * (whole-label weights on standardized features, then one per table
 * slot), *bias and the mean loss of the last pass in *loss. */
static int sgd(const struct rows *r, int skip, uint64_t seed, double *w, double *bias, double *loss)
{
	size_t *order = vg_malloc((r->n ? r->n : 1) * sizeof(*order));
	if (!order)
		return VG_ENOMEM;
	size_t n = 0, npos = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->fold[i] != skip) {
			order[n++] = i;
			npos += r->y[i];
		}
	double cw[2] = {1, 1};
	if (npos && npos < n) {
		cw[0] = BENIGN_SHARE * (double)n / (double)(n - npos);
		cw[1] = (1 - BENIGN_SHARE) * (double)n / (double)npos;
	}
	memset(w, 0, WEIGHTS * sizeof(*w));
	double b = 0;
	uint64_t state = mix64(seed ^ 0x5eed5eed5eed5eedull) | 1;
	for (int epoch = 0; epoch < SGD_EPOCHS; epoch++) {
		for (size_t i = n; i > 1; i--) {
			size_t j = (size_t)(next_random(&state) % i);
			size_t tmp = order[i - 1];
			order[i - 1] = order[j];
			order[j] = tmp;
		}
		double rate = SGD_RATE / (1 + SGD_DECAY * epoch);
		*loss = 0;
		for (size_t k = 0; k < n; k++) {
			size_t i = order[k];
			const double *x = &r->x[i * DENSE];
			double z = b;
			for (int d = 0; d < DENSE; d++)
				z += w[d] * x[d];
			for (uint32_t s = r->off[i]; s < r->off[i + 1]; s++)
				z += w[DENSE + r->slot[s]];
			double g = cw[r->y[i]] * (sigmoid(z) - (double)r->y[i]);
			*loss += cw[r->y[i]] * (log1p(exp(-fabs(z))) + (z > 0 ? z : 0) - (r->y[i] ? z : 0));
			for (int d = 0; d < DENSE; d++)
				w[d] -= rate * (g * x[d] + L2 * w[d]);
			for (uint32_t s = r->off[i]; s < r->off[i + 1]; s++)
				w[DENSE + r->slot[s]] -= rate * (g + L2 * w[DENSE + r->slot[s]]);
			b -= rate * g;
		}
		*loss /= (double)n;
	}
	*bias = b;
	vg_free(order);
	return VG_OK;
}

/* quantize_table -- n weights as int8 entries times a scale, the weight of
 * the table's feature. */
static double quantize_table(const double *w, size_t n, int8_t *out)
{
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs(w[i]) > max)
			max = fabs(w[i]);
	double scale = max > 0 ? max / 127 : 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (int8_t)nearbyint(w[i] / scale);
	return scale;
}

/* model -- the learned weights as a vg_dga_model in raw feature units. */
static void model(const struct trainer *t, const struct rows *r, const double *w, double bias,
		  struct vg_dga_model *m)
{
	memcpy(m->word_set, t->base->word_set, sizeof(m->word_set));
	memcpy(m->word_prefix, t->base->word_prefix, sizeof(m->word_prefix));
	m->bias = bias;
	for (int d = 0; d < DENSE; d++) {
		m->weight[d] = w[d] / r->sd[d];
		m->bias -= w[d] * r->mean[d] / r->sd[d];
	}
	m->weight[VG_DGA_F_BIGRAM] = quantize_table(w + DENSE, VG_DGA_BIGRAMS, m->bigram);
	m->weight[VG_DGA_F_TRIGRAM] = quantize_table(w + DENSE + SLOT_TRI, VG_DGA_TRIGRAMS, m->trigram);
	m->weight[VG_DGA_F_QUADGRAM] = quantize_table(w + DENSE + SLOT_QUAD, VG_DGA_QUADGRAMS, m->quadgram);
	m->weight[VG_DGA_F_QUINTGRAM] = quantize_table(w + DENSE + SLOT_QUINT, VG_DGA_QUINTGRAMS, m->quintgram);
	m->weight[VG_DGA_F_LENGTH] = quantize_table(w + DENSE + SLOT_LEN, VG_DGA_LENGTHS, m->length);
	m->weight[VG_DGA_F_SUFFIX] = quantize_table(w + DENSE + SLOT_SUF, VG_DGA_SUFFIXES, m->suffix);
	m->weight[VG_DGA_F_SUFFIX_LENGTH] =
		quantize_table(w + DENSE + SLOT_SUFLEN, VG_DGA_SUFFIX_LENGTHS, m->suffix_length);
	m->weight[VG_DGA_F_WORD] = quantize_table(w + DENSE + SLOT_WORD, VG_DGA_WORDS, m->word);
	m->weight[VG_DGA_F_SHAPE] = quantize_table(w + DENSE + SLOT_SHAPE, VG_DGA_SHAPES, m->shape);
	m->weight[VG_DGA_F_SHAPE_SUFFIX] = quantize_table(w + DENSE + SLOT_SHSUF, VG_DGA_SHAPE_SUFFIXES, m->shape_suffix);
}

static int by_score_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* threshold -- the lowest score that flags at most the share fpr of the
 * benign scores (sorted in place, highest first): halfway to the next
 * higher score, so that names a little past the last benign one are
 * caught. */
static double threshold(double *benign, size_t n, double fpr)
{
	qsort(benign, n, sizeof(*benign), by_score_desc);
	size_t allowed = (size_t)floor(fpr * (double)n);
	if (allowed >= n)
		return 1;
	double below = benign[allowed];
	if (allowed > 0 && benign[allowed - 1] > below)
		return below + (benign[allowed - 1] - below) / 2;
	return nextafter(below, 2.0);
}

static bool is_dictionary(const struct trainer *t, const char *family)
{
	for (size_t i = 0; i < t->n_dictionary; i++)
		if (strcmp(t->dictionary[i], family) == 0)
			return true;
	return false;
}

/* ---- the second stage: gradient-boosted trees ------------------------ */

/* The second stage's training rows: each training name's inputs (the
 * first stage's features and logit, out of fold), cut into bins. */
struct gbm {
	size_t n;                       /* rows */
	const double *x;                /* n x INPUTS; borrowed */
	const bool *y;                  /* borrowed */
	const uint8_t *fold;            /* borrowed */
	uint8_t *bin;                   /* n x INPUTS: the bin of each input */
	double edge[INPUTS][GBM_BINS];  /* bin b holds values above edge[b - 1], at most edge[b] */
	unsigned n_edge[INPUTS];
	double *score, *g, *h;          /* per row: log-odds so far, gradient, hessian */
	uint8_t *node;                  /* per row: node reached in the tree being grown */
	double *hist;                   /* per node of a level, input and bin: g, h, count */
};

static void gbm_free(struct gbm *d)
{
	vg_free(d->bin);
	vg_free(d->score);
	vg_free(d->g);
	vg_free(d->h);
	vg_free(d->node);
	vg_free(d->hist);
	*d = (struct gbm){0};
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static unsigned bin_of(const struct gbm *d, int f, double v)
{
	unsigned lo = 0, hi = d->n_edge[f]; /* the first edge v is at most */
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (v <= d->edge[f][mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* gbm_build -- bins for rows x[n x INPUTS]: cut points halfway between
 * neighbouring distinct values at GBM_BINS quantiles of each input, read
 * from every training name (labels unread).  Released with gbm_free, also
 * after an error. */
static int gbm_build(struct gbm *d, size_t n, const double *x, const bool *y, const uint8_t *fold)
{
	*d = (struct gbm){.n = n, .x = x, .y = y, .fold = fold};
	size_t nn = n ? n : 1;
	d->bin = vg_malloc(nn * INPUTS);
	d->score = vg_malloc(nn * sizeof(*d->score));
	d->g = vg_malloc(nn * sizeof(*d->g));
	d->h = vg_malloc(nn * sizeof(*d->h));
	d->node = vg_malloc(nn);
	d->hist = vg_malloc((size_t)(VG_DGA_TREE_LEAVES / 2) * INPUTS * (GBM_BINS + 1) * 3 * sizeof(*d->hist));
	double *v = vg_malloc(nn * sizeof(*v));
	if (!d->bin || !d->score || !d->g || !d->h || !d->node || !d->hist || !v) {
		vg_free(v);
		return VG_ENOMEM;
	}
	for (int f = 0; f < INPUTS; f++) {
		for (size_t i = 0; i < n; i++)
			v[i] = x[i * INPUTS + f];
		qsort(v, n, sizeof(*v), by_double);
		/* Walk the distinct values: a cut after each one when there are
		 * few (a 0/1 input has its one cut however rare the 1s), else
		 * after the one where the next quantile falls. */
		size_t distinct = n ? 1 : 0;
		for (size_t i = 1; i < n; i++)
			distinct += v[i] != v[i - 1];
		unsigned k = 0;
		double next = (double)n / (GBM_BINS + 1);
		for (size_t i = 1; i < n && k < GBM_BINS; i++) {
			if (v[i] == v[i - 1])
				continue;
			if (distinct > GBM_BINS + 1 && (double)i < next)
				continue;
			/* a float, as the model keeps it: the bins are what
			 * the scorer's comparisons will see */
			double e = (float)(v[i - 1] + (v[i] - v[i - 1]) / 2);
			if (e >= v[i - 1] && e < v[i] && (k == 0 || e > d->edge[f][k - 1]))
				d->edge[f][k++] = e;
			while (next <= (double)i)
				next += (double)n / (GBM_BINS + 1);
		}
		d->n_edge[f] = k;
		for (size_t i = 0; i < n; i++)
			d->bin[i * INPUTS + f] = (uint8_t)bin_of(d, f, x[i * INPUTS + f]);
	}
	vg_free(v);
	return VG_OK;
}

/* gbm_fit -- GBM_TREES trees on the logistic loss, fitted to the rows
 * outside fold skip (FOLDS: all of them), into m's trees.  Level by level
 * each node takes the split of the most loss reduction (second-order,
 * as XGBoost's) that leaves GBM_MIN_LEAF rows either side; the leaves take
 * the Newton step, shrunk by GBM_RATE.  Nothing is drawn at random. */
static void gbm_fit(struct gbm *d, int skip, struct vg_dga_model *m)
{
	size_t used = 0, pos = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->fold[i] != skip) {
			used++;
			pos += d->y[i];
		}
	double p0 = used ? ((double)pos + 0.5) / ((double)used + 1) : 0.5;
	m->tree_bias = log(p0 / (1 - p0));
	m->n_trees = GBM_TREES;
	for (size_t i = 0; i < d->n; i++)
		d->score[i] = m->tree_bias;
	const size_t stride = (size_t)INPUTS * (GBM_BINS + 1) * 3;
	for (unsigned t = 0; t < GBM_TREES; t++) {
		struct vg_dga_tree *tr = &m->tree[t];
		for (size_t i = 0; i < d->n; i++) {
			double p = sigmoid(d->score[i]);
			d->g[i] = p - (double)d->y[i];
			d->h[i] = p * (1 - p);
			d->node[i] = 0;
		}
		for (unsigned level = 0; level < VG_DGA_TREE_DEPTH; level++) {
			unsigned first = (1u << level) - 1, width = 1u << level;
			int split_f[VG_DGA_TREE_LEAVES / 2];
			unsigned split_b[VG_DGA_TREE_LEAVES / 2];
			memset(d->hist, 0, width * stride * sizeof(*d->hist));
			for (size_t i = 0; i < d->n; i++) {
				if (d->fold[i] == skip)
					continue;
				double *hn = d->hist + (d->node[i] - first) * stride;
				const uint8_t *b = &d->bin[i * INPUTS];
				for (int f = 0; f < INPUTS; f++) {
					double *c = hn + ((size_t)f * (GBM_BINS + 1) + b[f]) * 3;
					c[0] += d->g[i];
					c[1] += d->h[i];
					c[2] += 1;
				}
			}
			for (unsigned k = 0; k < width; k++) {
				const double *hn = d->hist + k * stride;
				double G = 0, H = 0, C = 0;
				for (unsigned b = 0; b <= GBM_BINS; b++) {
					G += hn[b * 3];
					H += hn[b * 3 + 1];
					C += hn[b * 3 + 2];
				}
				double parent = G * G / (H + GBM_L2), best = 1e-9;
				int best_f = -1;
				unsigned best_b = 0;
				for (int f = 0; f < INPUTS; f++) {
					const double *hf = hn + (size_t)f * (GBM_BINS + 1) * 3;
					double gl = 0, hl = 0, cl = 0;
					for (unsigned b = 0; b < d->n_edge[f]; b++) {
						gl += hf[b * 3];
						hl += hf[b * 3 + 1];
						cl += hf[b * 3 + 2];
						if (cl < GBM_MIN_LEAF)
							continue;
						if (C - cl < GBM_MIN_LEAF)
							break;
						double gain = gl * gl / (hl + GBM_L2) + (G - gl) * (G - gl) / (H - hl + GBM_L2) - parent;
						if (gain > best) {
							best = gain;
							best_f = f;
							best_b = b;
						}
					}
				}
				tr->feature[first + k] = (uint8_t)(best_f < 0 ? 0 : best_f);
				tr->split[first + k] = best_f < 0 ? GBM_UNSPLIT : (float)d->edge[best_f][best_b];
				split_f[k] = best_f; /* -1: unsplit, every row goes left */
				split_b[k] = best_b;
			}
			for (size_t i = 0; i < d->n; i++) {
				if (d->fold[i] == skip)
					continue;
				unsigned k = d->node[i] - first;
				bool right = split_f[k] >= 0 && d->bin[i * INPUTS + split_f[k]] > split_b[k];
				d->node[i] = (uint8_t)(2 * d->node[i] + 1 + right);
			}
		}
		double lg[VG_DGA_TREE_LEAVES] = {0}, lh[VG_DGA_TREE_LEAVES] = {0};
		for (size_t i = 0; i < d->n; i++)
			if (d->fold[i] != skip) {
				lg[d->node[i] - VG_DGA_TREE_NODES] += d->g[i];
				lh[d->node[i] - VG_DGA_TREE_NODES] += d->h[i];
			}
		for (unsigned k = 0; k < VG_DGA_TREE_LEAVES; k++)
			tr->leaf[k] = (float)(-GBM_RATE * lg[k] / (lh[k] + GBM_L2));
		for (size_t i = 0; i < d->n; i++)
			if (d->fold[i] != skip)
				d->score[i] += tr->leaf[d->node[i] - VG_DGA_TREE_NODES];
	}
}

/* word_set -- t->base's word set: the --words words that the training
 * names outside fold skip (FOLDS: all of them) split into, synthetic ones
 * aside; their number in *n_set.  A fold's model must not know the words
 * of the fold's own names, or its out-of-fold scores would see a label
 * split more fully than a new one is, and set the threshold too low. */
static int word_set(struct trainer *t, int skip, size_t *n_set)
{
	memset(t->base->word_set, 0, sizeof(t->base->word_set));
	memset(t->base->word_prefix, 0, sizeof(t->base->word_prefix));
	*n_set = 0;
	if (t->n_words == 0)
		return VG_OK;
	bool *used = vg_calloc(t->n_words, sizeof(*used));
	if (!used)
		return VG_ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		if (!s->drop && !s->cleaned && !s->holdout && s->fold != skip && !t->fam[s->family].synthetic)
			mark_split(t, vg_dga_label(vg_str_c(s->domain)), used);
	}
	for (size_t i = 0; i < t->n_words; i++)
		if (used[i]) {
			vg_dga_add_word(t->base, t->words[i]);
			(*n_set)++;
		}
	vg_free(used);
	return VG_OK;
}

static int train(struct trainer *t, struct vg_dga_model *m, struct figures *fig)
{
	struct rows r = {0};
	size_t n_rows = t->n ? t->n : 1; /* at least the rows */
	int rc = VG_OK;
	double *w = vg_malloc(WEIGHTS * sizeof(*w));
	double *oof = vg_malloc(n_rows * sizeof(*oof));
	double *oof2 = vg_malloc(n_rows * sizeof(*oof2));
	double *bscore = vg_malloc(n_rows * sizeof(*bscore));
	double *gscore = vg_malloc(n_rows * sizeof(*gscore));
	double *x = vg_malloc(n_rows * INPUTS * sizeof(*x));
	struct vg_dga_model *fold = vg_calloc(1, sizeof(*fold));
	struct gbm d = {0};
	if (!w || !oof || !oof2 || !bscore || !gscore || !x || !fold)
		rc = VG_ENOMEM;
	if (rc != VG_OK)
		goto out;

	*fig = (struct figures){0};
	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		if (s->drop || s->cleaned)
			continue;
		if (t->fam[s->family].synthetic)
			fig->synthetic++;
		else if (s->holdout)
			s->dga ? fig->held_dga++ : fig->held_benign++;
		else
			s->dga ? fig->train_dga++ : fig->train_benign++;
	}
	if (!fig->train_dga || !fig->train_benign) {
		fprintf(stderr, "vigil train: the training split needs both generated and benign names\n");
		rc = VG_EINVAL;
		goto out;
	}

	/* Out-of-fold scores: each training name scored by a model that
	 * never saw it, as the held-out names will be; they set the
	 * threshold.  Then the model itself, from every training name. */
	double bias, loss;
	size_t n_set;
	for (int f = 0; f < FOLDS; f++) {
		if ((rc = word_set(t, f, &n_set)) != VG_OK || (rc = rows_build(t, &r)) != VG_OK ||
		    (rc = sgd(&r, f, t->seed + (uint64_t)f, w, &bias, &loss)) != VG_OK)
			goto out;
		model(t, &r, w, bias, fold);
		for (size_t i = 0; i < r.n; i++)
			if (r.fold[i] == f) {
				vg_dga_inputs(fold, vg_str_c(t->s[r.sample[i]].domain), &x[i * INPUTS]);
				oof[i] = sigmoid(x[i * INPUTS + VG_DGA_F_LOGIT]);
			}
		rows_free(&r);
	}
	if ((rc = word_set(t, FOLDS, &fig->word_set)) != VG_OK || (rc = rows_build(t, &r)) != VG_OK ||
	    (rc = sgd(&r, FOLDS, t->seed + FOLDS, w, &bias, &fig->loss)) != VG_OK)
		goto out;
	model(t, &r, w, bias, m);

	/* The first stage's own threshold, for the figures of the first
	 * stage alone. */
	size_t nb = 0, ng = 0, caught = 0, fp = 0;
	for (size_t i = 0; i < r.n; i++)
		if (!r.y[i])
			bscore[nb++] = oof[i];
	fig->threshold1 = threshold(bscore, nb, MAX_FPR);

	/* The second stage, on the out-of-fold inputs: nested, each fold's
	 * trees fitted to the other folds' rows and scoring the fold's, for
	 * the threshold; then the trees from every row. */
	if ((rc = gbm_build(&d, r.n, x, r.y, r.fold)) != VG_OK)
		goto out;
	for (int f = 0; f < FOLDS; f++) {
		gbm_fit(&d, f, fold);
		for (size_t i = 0; i < r.n; i++)
			if (r.fold[i] == f)
				oof2[i] = sigmoid(vg_dga_trees(fold, &x[i * INPUTS]));
	}
	gbm_fit(&d, FOLDS, m);
	nb = 0;
	for (size_t i = 0; i < r.n; i++)
		if (!r.y[i])
			bscore[nb++] = oof2[i];
	m->threshold = fig->threshold = threshold(bscore, nb, MAX_FPR);
	for (size_t i = 0; i < r.n; i++) {
		bool flag = oof2[i] >= m->threshold;
		if (!r.y[i]) {
			fp += flag;
		} else if (!t->fam[t->s[r.sample[i]].family].synthetic) {
			ng++;
			caught += flag;
		}
	}
	fig->train_recall = ratio(caught, ng);
	fig->train_fpr = ratio(fp, nb);

	/* The held-out names, through the scoring code itself; their scores
	 * (bscore now the held-out benign ones) give the operating points. */
	nb = ng = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sample *s = &t->s[i];
		if (s->drop)
			continue;
		struct family *fa = &t->fam[s->family];
		if (!s->holdout) {
			fa->train += !s->cleaned;
			continue;
		}
		double in[INPUTS];
		vg_dga_inputs(m, vg_str_c(s->domain), in);
		double score = vg_dga_score(m, vg_str_c(s->domain));
		bool flag = score >= m->threshold, flag1 = sigmoid(in[VG_DGA_F_LOGIT]) >= fig->threshold1;
		if (t->scores_file)
			fprintf(t->scores_file, "%s,%s,%s,%.6f,%d\n", s->dga ? "dga" : s->cleaned ? "cleaned" : "legit",
				fa->name, s->domain, score, flag);
		if (s->cleaned) {
			/* Only in the figures on the raw lists. */
			fa->held_cleaned++;
			fa->flagged_cleaned += flag;
			fig->held_cleaned++;
			fig->fp_cleaned += flag;
			continue;
		}
		fa->held++;
		fa->flagged += flag;
		if (!s->dga && !s->resolver) {
			fig->held_curated++;
			fig->fp_curated += flag;
		}
		if (fa->synthetic) {
			continue;
		} else if (s->dga) {
			gscore[ng++] = score;
			fig->tp += flag;
			fig->tp1 += flag1;
			if (!is_dictionary(t, fa->name)) {
				fig->held_nodict++;
				fig->tp_nodict += flag;
			}
		} else {
			bscore[nb++] = score;
			fig->fp += flag;
			fig->fp1 += flag1;
		}
	}
	for (size_t k = 0; k < OPS; k++) {
		double cut = threshold(bscore, nb, op_fpr[k]);
		size_t flagged = 0, found = 0;
		for (size_t i = 0; i < nb; i++)
			flagged += bscore[i] >= cut;
		for (size_t i = 0; i < ng; i++)
			found += gscore[i] >= cut;
		fig->op[k].score = cut;
		fig->op[k].fpr = ratio(flagged, nb);
		fig->op[k].recall = ratio(found, ng);
	}
out:
	gbm_free(&d);
	vg_free(oof2);
	vg_free(x);
	rows_free(&r);
	vg_free(w);
	vg_free(oof);
	vg_free(bscore);
	vg_free(gscore);
	vg_free(fold);
	return rc;
}

/* ---- report and model source ------------------------------------------ */

/* put -- text for a C comment: "*" followed by "/" would end it. */
static void put(FILE *f, const char *s)
{
	for (; *s; s++) {
		fputc(*s, f);
		if (s[0] == '*' && s[1] == '/')
			fputc(' ', f);
	}
}

/* blank -- an empty line: the lead without its trailing space. */
static void blank(FILE *f, const char *lead)
{
	size_t n = strlen(lead);
	while (n && lead[n - 1] == ' ')
		n--;
	fprintf(f, "%.*s\n", (int)n, lead);
}

/* report -- the figures, each line prefixed with lead (" * " inside the
 * model's comment, "" on standard error). */
static void report(FILE *f, const char *lead, const struct trainer *t, const struct figures *g)
{
	fprintf(f, "%sTraining names: %zu generated, %zu benign; held out: %zu generated, %zu benign;\n", lead,
		g->train_dga, g->train_benign, g->held_dga, g->held_benign);
	fprintf(f, "%s%zu synthetic names besides, in neither count nor the overall figures.\n", lead, g->synthetic);
	size_t cleaned = 0;
	for (size_t i = 0; i < t->n_in; i++)
		cleaned += t->in[i].cleaned;
	fprintf(f, "%sDropped: %zu duplicates, %zu names listed in both classes, %zu cleaned out of the\n", lead,
		t->duplicates, t->conflicts, cleaned);
	fprintf(f, "%sresolver lists (%zu of them held out).\n", lead, g->held_cleaned);
	fprintf(f, "%sThreshold %.6f; out-of-fold on the training names: FPR %.4f, recall %.4f.\n", lead,
		g->threshold, g->train_fpr, g->train_recall);
	fprintf(f, "%sRegression: mean loss %.6f in the last of %d epochs.\n", lead, g->loss, SGD_EPOCHS);
	fprintf(f, "%sTrees: %d of depth %d, shrinkage %g, %d cut points an input at most, %d names a\n", lead,
		GBM_TREES, VG_DGA_TREE_DEPTH, GBM_RATE, GBM_BINS, GBM_MIN_LEAF);
	fprintf(f, "%sleaf at least, ridge %g; inputs: the features below and the regression's logit.\n", lead,
		GBM_L2);
	fprintf(f, "%sThe regression alone (threshold %.6f from its out-of-fold scores), held out:\n", lead,
		g->threshold1);
	fprintf(f, "%s           precision %.4f  recall %.4f  false-positive rate %.4f\n", lead,
		ratio(g->tp1, g->tp1 + g->fp1), ratio(g->tp1, g->held_dga), ratio(g->fp1, g->held_benign));
	fprintf(f, "%sWord set: %zu of the --words words, those the training names split into.\n", lead,
		g->word_set);
	blank(f, lead);
	fprintf(f, "%sHeld out:  precision %.4f  recall %.4f  false-positive rate %.4f\n", lead,
		ratio(g->tp, g->tp + g->fp), ratio(g->tp, g->held_dga), ratio(g->fp, g->held_benign));
	fprintf(f, "%s           recall excluding dictionary families %.4f\n", lead, ratio(g->tp_nodict, g->held_nodict));
	fprintf(f, "%s           (dictionary families:", lead);
	for (size_t i = 0; i < t->n_dictionary; i++) {
		fputc(' ', f);
		put(f, t->dictionary[i]);
	}
	fputs(")\n", f);
	fprintf(f, "%s           false-positive rate on the curated lists (not --benign-resolver) %.4f (%zu)\n", lead,
		ratio(g->fp_curated, g->held_curated), g->held_curated);
	fprintf(f, "%sOperating points, held out: the score at which at most a share of the benign names\n", lead);
	fprintf(f, "%sis flagged (the dns_dga detector's `score` parameter; its default is the threshold):\n", lead);
	fprintf(f, "%s           %-9s %-9s %-7s %s\n", lead, "at most", "score", "FPR", "recall");
	for (size_t k = 0; k < OPS; k++)
		fprintf(f, "%s           %-9.4f %.6f  %.4f  %.4f\n", lead, op_fpr[k], g->op[k].score, g->op[k].fpr,
			g->op[k].recall);
	if (has_resolver(t)) {
		/* The same model on the lists as they came, the cleaned names
		 * counted as benign: what it flags among them is mostly
		 * Conficker, but whoever reads only these figures should see
		 * it. */
		size_t fp = g->fp + g->fp_cleaned, nb = g->held_benign + g->held_cleaned;
		fprintf(f, "%sRaw lists (the %zu held-out cleaned names counted as benign):\n", lead, g->held_cleaned);
		fprintf(f, "%s           precision %.4f  recall %.4f  false-positive rate %.4f\n", lead,
			ratio(g->tp, g->tp + fp), ratio(g->tp, g->held_dga), ratio(fp, nb));
	}
	blank(f, lead);
	fprintf(f, "%s%-28s %7s %7s %7s\n", lead, "generated family", "train", "held", "recall");
	for (int pass = 1; pass >= 0; pass--) {
		if (pass == 0) {
			blank(f, lead);
			fprintf(f, "%s%-28s %7s %7s %7s%s\n", lead, "benign source", "train", "held", "FPR",
				has_resolver(t) ? "  cleaned  held  raw FPR" : "");
		}
		for (size_t i = 0; i < t->n_fam; i++) {
			const struct family *fa = &t->fam[i];
			if (fa->dga != pass)
				continue;
			fputs(lead, f);
			char name[29];
			snprintf(name, sizeof(name), "%s", fa->name);
			put(f, name);
			fprintf(f, "%*s %7zu %7zu %7.4f", (int)(28 - strlen(name)), "", fa->train, fa->held,
				ratio(fa->flagged, fa->held));
			if (pass == 0 && has_resolver(t))
				/* cleaned (both splits), of them held out, and the FPR
				 * with those put back */
				fprintf(f, "  %7zu %5zu  %7.4f", fa->cleaned, fa->held_cleaned,
					ratio(fa->flagged + fa->flagged_cleaned, fa->held + fa->held_cleaned));
			fputs(fa->synthetic ? "  (synthetic)\n" : pass && is_dictionary(t, fa->name) ? "  (dictionary)\n" : "\n",
			      f);
		}
	}
}

static void int8_array(FILE *f, const char *name, const int8_t *v, size_t n)
{
	fprintf(f, "\t.%s = {", name);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%d,", i % 24 ? " " : "\n\t\t", v[i]);
	fputs("\n\t},\n", f);
}

static void uint64_array(FILE *f, const char *name, const uint64_t *v, size_t n)
{
	fprintf(f, "\t.%s = {", name);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s0x%016llx,", i % 4 ? " " : "\n\t\t", (unsigned long long)v[i]);
	fputs("\n\t},\n", f);
}

/* write_tables -- the model's tables and word set as designated
 * initializers of struct vg_dga_model: some 6,500 lines of numbers. */
static void write_tables(FILE *f, const struct vg_dga_model *m)
{
	int8_array(f, "bigram", m->bigram, VG_DGA_BIGRAMS);
	int8_array(f, "trigram", m->trigram, VG_DGA_TRIGRAMS);
	int8_array(f, "quadgram", m->quadgram, VG_DGA_QUADGRAMS);
	int8_array(f, "quintgram", m->quintgram, VG_DGA_QUINTGRAMS);
	int8_array(f, "length", m->length, VG_DGA_LENGTHS);
	int8_array(f, "suffix", m->suffix, VG_DGA_SUFFIXES);
	int8_array(f, "suffix_length", m->suffix_length, VG_DGA_SUFFIX_LENGTHS);
	int8_array(f, "word", m->word, VG_DGA_WORDS);
	int8_array(f, "shape", m->shape, VG_DGA_SHAPES);
	int8_array(f, "shape_suffix", m->shape_suffix, VG_DGA_SHAPE_SUFFIXES);
	uint64_array(f, "word_set", m->word_set, VG_DGA_WORD_SET_WORDS);
	uint64_array(f, "word_prefix", m->word_prefix, VG_DGA_WORD_PREFIX_WORDS);
}

/* write_model -- the model as C source: the note of its data and
 * figures, the weights and the trees.  The tables go to the stream tables,
 * which the source includes by the name tables_name; with tables NULL
 * they are written inline, one self-contained file. */
static void write_model(FILE *f, FILE *tables, const char *tables_name, int argc, char **argv,
			const struct trainer *t, const struct vg_dga_model *m, const struct figures *g)
{
	fputs("/*\n * dga_model.c -- the DGA classifier's parameters (detect/dga.h).  GENERATED by\n"
	      " * `vigil train dga` (src/cmd_train.c): retrain rather than edit.\n *\n * Command, from the repository root:\n *   ",
	      f);
	fputs("vigil train dga", f);
	for (int i = 1; i < argc; i++) {
		/* one option a line */
		fputs(argv[i][0] == '-' ? " \\\n *     " : " ", f);
		put(f, argv[i]);
	}
	fprintf(f, "\n *\n * Data (names read, bad lines%s):\n", has_resolver(t) ? ", cleaned out" : "");
	for (size_t i = 0; i < t->n_in; i++) {
		const struct input *in = &t->in[i];
		fprintf(f, " *   %-7s ", in->dga ? "--dga" : in->resolver ? "--benign-resolver" : "--benign");
		put(f, in->path);
		fprintf(f, "  %zu, %zu", in->names, in->bad);
		if (has_resolver(t))
			fprintf(f, ", %zu", in->cleaned);
		fputc('\n', f);
	}
	if (t->synthetic)
		fprintf(f, " *   --synthetic %ld random labels per alphabet: %zu names\n", t->synthetic, g->synthetic);
	if (t->words_path) {
		fputs(" *   --words   ", f);
		put(f, t->words_path);
		fprintf(f, "  %zu words of %d or more letters a-z\n", t->n_words, CLEAN_WORD_MIN);
	}
	if (has_resolver(t)) {
		fputs(" *\n * Cleaning (--benign-resolver):\n *   ", f);
		for (const char *p = clean_rule; *p; p++) {
			fputc(*p, f);
			if (*p == '\n' && p[1])
				fputs(" *   ", f);
		}
	}
	fprintf(f, " *\n * Seed %llu, held-out fraction %g; names reduced to registrable domains with\n"
		   " * libpsl %s.  Held-out figures at the threshold, from vg_dga_score itself:\n *\n",
		(unsigned long long)t->seed, t->holdout, psl_get_version());
	report(f, " * ", t, g);
	fputs(" *\n * Weights (raw feature units; a table's weight is its scale):\n", f);
	for (int k = 0; k < VG_DGA_NFEATURES; k++)
		fprintf(f, " *   %-14s %+.4f\n", vg_dga_feature_name(k), m->weight[k]);
	fprintf(f, " */\n#include \"../vg.h\"\n#include \"dga.h\"\n\n#include <math.h>\n\n"
		   "const struct vg_dga_model vg_dga_builtin = {\n");
	if (tables) {
		fprintf(tables, "/* %s -- the tables of dga_model.c, included there.  GENERATED by\n"
				" * `vigil train dga` with it: retrain rather than edit. */\n", tables_name);
		write_tables(tables, m);
		fprintf(f, "\t/* the tables and the word set: generated data */\n#include \"%s\"\n", tables_name);
	} else {
		write_tables(f, m);
	}
	fputs("\t.weight = {\n", f);
	for (int k = 0; k < VG_DGA_NFEATURES; k++)
		fprintf(f, "\t\t%.17g, /* %s */\n", m->weight[k], vg_dga_feature_name(k));
	fprintf(f, "\t},\n\t.bias = %.17g,\n\t.threshold = %.17g,\n", m->bias, m->threshold);
	fprintf(f, "\t.n_trees = %u,\n\t.tree_bias = %.17g,\n\t.tree = {\n", m->n_trees, m->tree_bias);
	for (unsigned k = 0; k < m->n_trees; k++) {
		const struct vg_dga_tree *tr = &m->tree[k];
		fputs("\t\t{.feature = {", f);
		for (unsigned i = 0; i < VG_DGA_TREE_NODES; i++)
			fprintf(f, "%s%u", i ? ", " : "", tr->feature[i]);
		fputs("},\n\t\t .split = {", f);
		for (unsigned i = 0; i < VG_DGA_TREE_NODES; i++)
			if (isinf(tr->split[i]))
				fprintf(f, "%sHUGE_VALF", i ? ", " : "");
			else
				fprintf(f, "%s%.9g", i ? ", " : "", (double)tr->split[i]);
		fputs("},\n\t\t .leaf = {", f);
		for (unsigned i = 0; i < VG_DGA_TREE_LEAVES; i++)
			fprintf(f, "%s%.9g", i ? ", " : "", (double)tr->leaf[i]);
		fputs("}},\n", f);
	}
	fputs("\t},\n};\n", f);
}

/* ---- the command ------------------------------------------------------ */

static int parse_args(int argc, char **argv, struct trainer *t)
{
	enum { OPT_DGA = 256, OPT_BENIGN, OPT_RESOLVER, OPT_WORDS, OPT_HOLDOUT, OPT_SEED, OPT_OUT, OPT_DICT, OPT_SCORES,
	       OPT_SYNTH };
	static const struct option longopts[] = {
		{"dga", required_argument, NULL, OPT_DGA},
		{"benign", required_argument, NULL, OPT_BENIGN},
		{"benign-resolver", required_argument, NULL, OPT_RESOLVER},
		{"words", required_argument, NULL, OPT_WORDS},
		{"holdout", required_argument, NULL, OPT_HOLDOUT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"dictionary", required_argument, NULL, OPT_DICT},
		{"out", required_argument, NULL, OPT_OUT},
		{"scores", required_argument, NULL, OPT_SCORES},
		{"synthetic", required_argument, NULL, OPT_SYNTH},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DGA:
		case OPT_BENIGN:
		case OPT_RESOLVER:
			if (t->n_in == MAX_INPUTS) {
				fprintf(stderr, "vigil train: at most %d input files\n", MAX_INPUTS);
				return VG_EINVAL;
			}
			t->in[t->n_in++] = (struct input){.path = optarg, .dga = c == OPT_DGA, .resolver = c == OPT_RESOLVER};
			break;
		case OPT_WORDS: t->words_path = optarg; break;
		case OPT_HOLDOUT:
			t->holdout = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(t->holdout >= 0 && t->holdout < 1)) {
				fprintf(stderr, "vigil train: --holdout needs a fraction in [0, 1), got '%s'\n", optarg);
				return VG_EINVAL;
			}
			break;
		case OPT_SEED:
			t->seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *optarg == '-' || *end != '\0') {
				fprintf(stderr, "vigil train: --seed needs a whole number, got '%s'\n", optarg);
				return VG_EINVAL;
			}
			break;
		case OPT_DICT:
			if (t->n_dictionary == MAX_DICTIONARY) {
				fprintf(stderr, "vigil train: at most %d --dictionary families\n", MAX_DICTIONARY);
				return VG_EINVAL;
			}
			t->dictionary[t->n_dictionary++] = optarg;
			break;
		case OPT_OUT: t->out = optarg; break;
		case OPT_SCORES: t->scores = optarg; break;
		case OPT_SYNTH:
			t->synthetic = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || t->synthetic < 0 || t->synthetic > 1000000) {
				fprintf(stderr, "vigil train: --synthetic needs a count from 0 to 1000000, got '%s'\n",
					optarg);
				return VG_EINVAL;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			exit(VG_EXIT_OK);
		default:
			fputs("Try 'vigil train dga --help'.\n", stderr);
			return VG_EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil train: unexpected argument '%s'; try 'vigil train dga --help'\n", argv[optind]);
		return VG_EINVAL;
	}
	if (t->n_in == 0) {
		fputs("vigil train: no --dga or --benign file given; try 'vigil train dga --help'\n", stderr);
		return VG_EINVAL;
	}
	if (has_resolver(t) && !t->words_path) {
		fputs("vigil train: --benign-resolver needs --words FILE, the word list its cleaning reads\n", stderr);
		return VG_EINVAL;
	}
	if (t->n_dictionary == 0)
		for (size_t i = 0; i < VG_ARRAY_LEN(default_dictionary); i++)
			t->dictionary[t->n_dictionary++] = default_dictionary[i];
	return VG_OK;
}

static void trainer_free(struct trainer *t)
{
	for (size_t i = 0; i < t->n; i++)
		vg_free(t->s[i].domain);
	vg_free(t->s);
	for (size_t i = 0; i < t->n_fam; i++)
		vg_free(t->fam[i].name);
	vg_free(t->fam);
	psl_free(t->psl_owned);
	vg_free(t->words);
	vg_free(t->base);
	vg_input_free(&t->words_data);
	if (t->scores_file)
		fclose(t->scores_file);
}

static int train_dga(int argc, char **argv)
{
	struct trainer t = {.holdout = 0.2, .seed = 1, .synthetic = 1000};
	struct vg_dga_model *m = NULL;
	struct figures fig;
	int status = VG_EXIT_USAGE;
	if (parse_args(argc, argv, &t) != VG_OK)
		goto out;
	status = VG_EXIT_FAIL;
	/* The system's list (the one the detector loads), else the copy
	 * built into libpsl. */
	t.psl = t.psl_owned = psl_latest(NULL);
	if (!t.psl)
		t.psl = psl_builtin();
	if (!t.psl) {
		fputs("vigil train: libpsl has no public suffix list\n", stderr);
		goto out;
	}
	for (size_t i = 0; i < t.n_in; i++)
		if (read_input(&t, &t.in[i]) != VG_OK) {
			status = VG_EXIT_NOINPUT;
			goto out;
		}
	if (t.words_path && read_words(&t) != VG_OK) {
		status = VG_EXIT_NOINPUT;
		goto out;
	}
	if (!(t.base = vg_calloc(1, sizeof(*t.base))))
		goto out;
	if (add_synthetic(&t) != VG_OK)
		goto out;
	dedupe(&t);
	clean(&t);
	split(&t);
	if (t.scores && !(t.scores_file = fopen(t.scores, "w"))) {
		fprintf(stderr, "vigil train: cannot write %s: %s\n", t.scores, strerror(errno));
		goto out;
	}
	m = vg_calloc(1, sizeof(*m));
	if (!m || train(&t, m, &fig) != VG_OK)
		goto out;
	if (t.scores_file) {
		int bad = ferror(t.scores_file);
		bad |= fclose(t.scores_file);
		t.scores_file = NULL;
		if (bad) {
			fprintf(stderr, "vigil train: cannot write %s\n", t.scores);
			goto out;
		}
	}
	report(stderr, "", &t, &fig);

	/* A file FILE.c gets its tables beside it in FILE_tables.inc, which
	 * it includes, so that the note and the weights stay readable. */
	char tables_path[4096];
	const char *tables_name = NULL;
	FILE *f = stdout, *tables = NULL;
	if (t.out) {
		size_t n = strlen(t.out);
		if (n >= 2 && strcmp(t.out + n - 2, ".c") == 0)
			n -= 2;
		if (snprintf(tables_path, sizeof(tables_path), "%.*s_tables.inc", (int)n, t.out) >=
		    (int)sizeof(tables_path)) {
			fprintf(stderr, "vigil train: --out %s: path too long\n", t.out);
			goto out;
		}
		const char *slash = strrchr(tables_path, '/');
		tables_name = slash ? slash + 1 : tables_path;
		if (!(f = fopen(t.out, "w")) || !(tables = fopen(tables_path, "w"))) {
			fprintf(stderr, "vigil train: cannot write %s: %s\n", f ? tables_path : t.out, strerror(errno));
			if (f)
				fclose(f);
			goto out;
		}
	}
	write_model(f, tables, tables_name, argc, argv, &t, m, &fig);
	bool bad = fflush(f) != 0 || ferror(f);
	if (t.out)
		bad |= fclose(f) != 0;
	if (bad)
		fprintf(stderr, "vigil train: cannot write %s\n", t.out ? t.out : "standard output");
	if (tables && (ferror(tables) | fclose(tables))) {
		fprintf(stderr, "vigil train: cannot write %s\n", tables_path);
		bad = true;
	}
	if (bad)
		goto out;
	status = VG_EXIT_OK;
out:
	vg_free(m);
	trainer_free(&t);
	return status;
}

/* The models `vigil train` knows, one row each. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} models[] = {
	{"dga", train_dga},
};

int vg_cmd_train(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? VG_EXIT_USAGE : VG_EXIT_OK;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(models); i++) {
		if (strcmp(argv[1], models[i].name) != 0)
			continue;
		/* getopt prefixes its messages with argv[0]. */
		char name[48];
		snprintf(name, sizeof(name), "vigil train %s", models[i].name);
		argv[1] = name;
		return models[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "vigil train: unknown model '%s' (known: dga)\n%s", argv[1], usage);
	return VG_EXIT_USAGE;
}
