/*
 * dga.h -- is a domain name algorithmically generated?  A small classifier
 * for GuardDuty's Trojan:EC2/DGADomainRequest findings.
 *
 * Malware that finds its command server through a domain generation
 * algorithm (DGA) queries many names that no person chose: "kq3j2lzx.ru",
 * "cvyh1po636avyrsxebwbkn7.ddns.net", or, for the dictionary families,
 * concatenations of words from a fixed list ("brothernerveplacebring.com").
 * What the algorithm chooses is the label left of the public suffix, so
 * the classifier reads that label, and the suffix itself: a family
 * registers under a fixed set of suffixes (.ru, .info, ddns.net) with
 * labels of a fixed range of lengths and, for the pronounceable families,
 * of a fixed pattern of consonants and vowels.
 *
 * The model has two stages.  The first is a logistic regression.  Its
 * inputs are a few whole-label features (digit and vowel ratios, longest
 * consonant run, entropy, hex-likeness, hyphens, letter/digit
 * alternation, and how much of the label English words cover, and in how many words) and tables of learned
 * int8 weights: one per character bigram, per hashed 3-, 4- and 5-gram,
 * per label length, per hashed suffix, per hashed (suffix, label length)
 * pair, per hashed word, per hashed shape (the consonant-vowel pattern)
 * and per hashed (shape, suffix) pair.  The words are found by splitting
 * the label into the words of a set that the model carries (the English
 * words of 4 or more letters its training names held) so that as many
 * bytes as possible are covered.  A table feature is the sum of the
 * entries the label reads, and the table's weight scales that sum, so
 * each n-gram's or word's push towards "generated" or "benign" can be read
 * straight off the table.  The second stage is a few dozen small
 * gradient-boosted regression trees over the regression's features and
 * its logit (below, at struct vg_dga_tree), which take the sum apart
 * again where the regression could only add: they raised held-out recall
 * from about 0.86 to 0.89 at fewer false positives.  The parameters are
 * data, learned offline by `vigil train dga` (src/cmd_train.c) and
 * committed as src/detect/dga_model.c, whose header says which data, command and seed
 * produced it and the held-out figures it achieved.
 *
 * Input: the registrable domain of the queried name (libpsl's
 * psl_registrable_domain: "example.com" for "xjw3kq9zt.example.com",
 * "kq3j2lzx.ru", "abc.ddns.net" since ddns.net is a public suffix), in
 * lower case without the trailing dot; a name that is itself a public
 * suffix, and so has no registrable domain, is passed as it is.  The label
 * is what precedes the first dot and the suffix what follows it; a string
 * without a dot is taken as a label with the empty suffix, which scores
 * as no real suffix does, so callers should pass the registrable domain.
 * Upper case is folded.  Only the first VG_DGA_MAX_LABEL
 * bytes of the label are read (no DNS label is longer).
 *
 * What to expect (figures in dga_model.c): the threshold passes about
 * 0.2-0.9 % of benign names, and catches about 89 % of the real families'
 * names: nearly all of the long random ones, most of the short random and
 * the pronounceable ones, and few of those that pair two dictionary words
 * (suppobox, nymaim), which look like what people register.  The suffix weights are
 * learned from the labelled lists, so a family that moves to a suffix the
 * lists never showed it under is caught by its label alone.  One flagged
 * name is weak evidence: an instance that resolves a few hundred distinct domains will
 * produce one by chance, so a detector should want several flagged names
 * (or failed look-ups of them) from one source before it reports.
 *
 * Scoring never allocates, touches no mutable global and costs about
 * 650 ns: 300 ns the regression, half of it splitting the label into
 * words, and 300 ns the trees; any number of threads may score at once.
 */
#ifndef VG_DETECT_DGA_H
#define VG_DETECT_DGA_H

#include "../vg.h"
#include "../core/str.h"

/* The longest label scored (RFC 1035); longer input is cut here. */
#define VG_DGA_MAX_LABEL 63

/* Symbols: 0 is the label boundary, 1-26 the letters, 27-36 the digits, 37
 * the hyphen and 38 anything else. */
#define VG_DGA_SYMBOLS 39
/* Table sizes.  Bigrams are indexed directly; the longer n-grams, the
 * suffixes and the shapes are hashed into power-of-two bucket counts (see
 * dga.c).  Halving the 4- and 5-gram tables cost about 0.01 of held-out
 * recall; doubling them gained nothing. */
#define VG_DGA_BIGRAMS (VG_DGA_SYMBOLS * VG_DGA_SYMBOLS)
#define VG_DGA_TRIGRAM_BITS 14
#define VG_DGA_QUADGRAM_BITS 15
#define VG_DGA_QUINTGRAM_BITS 15
#define VG_DGA_TRIGRAMS (1u << VG_DGA_TRIGRAM_BITS)
#define VG_DGA_QUADGRAMS (1u << VG_DGA_QUADGRAM_BITS)
#define VG_DGA_QUINTGRAMS (1u << VG_DGA_QUINTGRAM_BITS)
#define VG_DGA_LENGTHS (VG_DGA_MAX_LABEL + 1)
/* Suffixes (what follows the label: "com", "co.uk", "ddns.net", or nothing
 * for a bare label) are hashed into this many buckets. */
#define VG_DGA_SUFFIX_BITS 10
#define VG_DGA_SUFFIXES (1u << VG_DGA_SUFFIX_BITS)
/* Each family also draws its labels' lengths from a fixed range, so the
 * pair (suffix, label length up to VG_DGA_SUFFIX_LENGTH_CAP) has its own
 * hashed table. */
#define VG_DGA_SUFFIX_LENGTH_BITS 11
#define VG_DGA_SUFFIX_LENGTHS (1u << VG_DGA_SUFFIX_LENGTH_BITS)
#define VG_DGA_SUFFIX_LENGTH_CAP 20
/* A label's shape is its pattern of consonants, vowels, y, digits and
 * hyphens ("cvcvcvc" for simda's pujotiq), hashed alone and with the
 * suffix. */
#define VG_DGA_SHAPE_BITS 12
#define VG_DGA_SHAPES (1u << VG_DGA_SHAPE_BITS)
#define VG_DGA_SHAPE_SUFFIX_BITS 13
#define VG_DGA_SHAPE_SUFFIXES (1u << VG_DGA_SHAPE_SUFFIX_BITS)
/* Words: runs of VG_DGA_WORD_MIN to VG_DGA_WORD_MAX letters that are in
 * the model's word set, a Bloom filter of 2^VG_DGA_WORD_SET_BITS bits (64
 * KiB, two bits a word) with a bit per first three letters beside it that
 * lets most starts be passed over unprobed.  The trainer fills it with the
 * English words that its names split into (some 7,000; the whole
 * dictionary, 63,000 words, makes a filter this size answer yes too often
 * to help).  The words a label splits into read a hashed table. */
#define VG_DGA_WORD_MIN 4
#define VG_DGA_WORD_MAX 16
#define VG_DGA_WORD_SET_BITS 19
#define VG_DGA_WORD_SET_WORDS (1u << (VG_DGA_WORD_SET_BITS - 6))
#define VG_DGA_WORD_PREFIXES (26 * 26 * 26)
#define VG_DGA_WORD_PREFIX_WORDS ((VG_DGA_WORD_PREFIXES + 63) / 64)
#define VG_DGA_WORD_BITS 13
#define VG_DGA_WORDS (1u << VG_DGA_WORD_BITS)
/* The most words a label holds. */
#define VG_DGA_MAX_WORDS (VG_DGA_MAX_LABEL / VG_DGA_WORD_MIN)

/* The features, in the order of vg_dga_model.weight: the whole-label ones
 * first, then the table sums. */
enum vg_dga_feature {
	VG_DGA_F_DIGITS,     /* fraction of bytes that are digits */
	VG_DGA_F_VOWELS,     /* fraction of letters that are a, e, i, o, u */
	VG_DGA_F_CONSONANTS, /* longest run of consonants */
	VG_DGA_F_ENTROPY,    /* Shannon entropy of the symbols, bits */
	VG_DGA_F_HEX,        /* 1 when 8 or more bytes, all hex digits */
	VG_DGA_F_HYPHEN,     /* 1 when a hyphen is present */
	VG_DGA_F_SWITCHES,   /* letter/digit alternations per byte */
	VG_DGA_F_COVER,      /* fraction of bytes inside words */
	VG_DGA_F_NWORDS,     /* words the label is split into */
	VG_DGA_F_BIGRAM,     /* sum of bigram entries, boundaries included */
	VG_DGA_F_TRIGRAM,    /* sum of trigram entries */
	VG_DGA_F_QUADGRAM,   /* sum of 4-gram entries */
	VG_DGA_F_QUINTGRAM,  /* sum of 5-gram entries */
	VG_DGA_F_LENGTH,     /* the length entry */
	VG_DGA_F_SUFFIX,     /* the suffix entry */
	VG_DGA_F_SUFFIX_LENGTH, /* the (suffix, length) entry */
	VG_DGA_F_WORD,       /* sum of word entries */
	VG_DGA_F_SHAPE,      /* the shape entry */
	VG_DGA_F_SHAPE_SUFFIX, /* the (shape, suffix) entry */
	VG_DGA_NFEATURES
};
/* The first table feature: the ones before it are whole-label features. */
#define VG_DGA_F_TABLES VG_DGA_F_BIGRAM

/* The second stage: gradient-boosted regression trees over the
 * first's features and its logit (bias + sum weight[i] * feature[i]),
 * VG_DGA_INPUTS inputs in all, the logit last.  The trees can cut the
 * parts of the first stage's sum apart (a name whose n-grams look random
 * but whose suffix and length no family uses) where the regression can
 * only add them.  Each tree is complete, VG_DGA_TREE_DEPTH levels deep:
 * node i (0 the root) sends a name to node 2i + 1 when its input
 * feature[i] is at most split[i], else to 2i + 2; the last level's
 * children are the leaves.  A node the trainer left unsplit has the split
 * +infinity, sending every name left.  Splits and leaves are floats,
 * which keeps 150 trees in 21 KiB, inside the first-level cache. */
#define VG_DGA_F_LOGIT VG_DGA_NFEATURES
#define VG_DGA_INPUTS (VG_DGA_NFEATURES + 1)
#define VG_DGA_TREE_DEPTH 4
#define VG_DGA_TREE_NODES ((1u << VG_DGA_TREE_DEPTH) - 1)
#define VG_DGA_TREE_LEAVES (1u << VG_DGA_TREE_DEPTH)
/* The most trees a model holds. */
#define VG_DGA_MAX_TREES 128

struct vg_dga_tree {
	uint8_t feature[VG_DGA_TREE_NODES]; /* the input each node reads */
	float split[VG_DGA_TREE_NODES];     /* at most this goes left */
	float leaf[VG_DGA_TREE_LEAVES];     /* log-odds added, left to right */
};

/* The parameters.  A model is plain constant data: the built-in one is
 * vg_dga_builtin (dga_model.c), and `vigil train` fills one on the heap.
 * Without trees (n_trees 0) the score is the first stage's,
 * 1 / (1 + exp(-(bias + sum weight[i] * feature[i]))); with them it is
 * 1 / (1 + exp(-(tree_bias + the leaves the name reaches))). */
struct vg_dga_model {
	int8_t bigram[VG_DGA_BIGRAMS];     /* by symbol pair, a * VG_DGA_SYMBOLS + b */
	int8_t trigram[VG_DGA_TRIGRAMS];   /* by hashed symbol triple */
	int8_t quadgram[VG_DGA_QUADGRAMS]; /* by hashed symbol quadruple */
	int8_t quintgram[VG_DGA_QUINTGRAMS]; /* by hashed symbol quintuple */
	int8_t length[VG_DGA_LENGTHS];     /* by label length */
	int8_t suffix[VG_DGA_SUFFIXES];    /* by hashed suffix */
	int8_t suffix_length[VG_DGA_SUFFIX_LENGTHS]; /* by hashed suffix and length */
	int8_t word[VG_DGA_WORDS];         /* by hashed word */
	int8_t shape[VG_DGA_SHAPES];       /* by hashed consonant-vowel pattern */
	int8_t shape_suffix[VG_DGA_SHAPE_SUFFIXES]; /* by hashed pattern and suffix */
	uint64_t word_set[VG_DGA_WORD_SET_WORDS]; /* the words, two hashed bits each */
	uint64_t word_prefix[VG_DGA_WORD_PREFIX_WORDS]; /* a bit per first three letters of a word */
	double weight[VG_DGA_NFEATURES];   /* per feature, raw units; a table's is its scale */
	double bias;                       /* intercept */
	double threshold;                  /* score at and above which a label is generated */
	unsigned n_trees;                  /* second-stage trees used; 0: none */
	double tree_bias;                  /* the second stage's starting log-odds */
	struct vg_dga_tree tree[VG_DGA_MAX_TREES];
};

/* The committed model (src/detect/dga_model.c). */
extern const struct vg_dga_model vg_dga_builtin;

/* vg_dga_label -- the label of a registrable domain: the bytes before its
 * first dot (all of it without a dot). */
struct vg_str vg_dga_label(struct vg_str registrable);

/* The table slots a label reads, boundaries included: n + 1 bigrams, n
 * trigrams, n - 1 4-grams and n - 2 5-grams for a label of n bytes, one
 * slot of each whole-label table, and one a word it splits into. */
struct vg_dga_ngrams {
	uint16_t bigram[VG_DGA_MAX_LABEL + 1];    /* indexes into vg_dga_model.bigram */
	uint16_t trigram[VG_DGA_MAX_LABEL];       /* indexes into vg_dga_model.trigram */
	uint16_t quadgram[VG_DGA_MAX_LABEL - 1];  /* indexes into vg_dga_model.quadgram */
	uint16_t quintgram[VG_DGA_MAX_LABEL - 2]; /* indexes into vg_dga_model.quintgram */
	unsigned n_bigram, n_trigram, n_quadgram, n_quintgram; /* entries used */
	unsigned length;                          /* index into vg_dga_model.length */
	unsigned suffix;                          /* index into vg_dga_model.suffix */
	unsigned suffix_length;                   /* index into vg_dga_model.suffix_length */
	unsigned shape;                           /* index into vg_dga_model.shape */
	unsigned shape_suffix;                    /* index into vg_dga_model.shape_suffix */
	uint16_t word[VG_DGA_MAX_WORDS];          /* indexes into vg_dga_model.word, last word first */
	unsigned n_word;                          /* entries used */
};

/* vg_dga_ngrams -- the slots of a registrable domain (its label's
 * n-grams, length, shape and words, and its suffix), as vg_dga_features
 * reads them under model m (whose word set decides the words; its tables
 * are not read); the trainer counts through this, so training and scoring
 * agree.  A bare label has the empty suffix. */
void vg_dga_ngrams(const struct vg_dga_model *m, struct vg_str registrable, struct vg_dga_ngrams *out);

/* vg_dga_add_word -- put word (VG_DGA_WORD_MIN to VG_DGA_WORD_MAX
 * letters, either case; anything else is ignored) in m's word set.  For
 * the trainer. */
void vg_dga_add_word(struct vg_dga_model *m, struct vg_str word);

/* vg_dga_features -- the feature vector of a registrable domain (or a bare
 * label) under model m's tables, into f[VG_DGA_NFEATURES].  For the
 * trainer and for explaining a score. */
void vg_dga_features(const struct vg_dga_model *m, struct vg_str registrable, double f[VG_DGA_NFEATURES]);

/* vg_dga_inputs -- the second stage's inputs for a registrable domain
 * under model m: the features of vg_dga_features into x[0 ..
 * VG_DGA_NFEATURES), the first stage's logit into x[VG_DGA_F_LOGIT].
 * For the trainer, which fits the trees to them. */
void vg_dga_inputs(const struct vg_dga_model *m, struct vg_str registrable, double x[VG_DGA_INPUTS]);

/* vg_dga_trees -- the second stage's log-odds for inputs x under m's
 * trees (tree_bias when it has none). */
double vg_dga_trees(const struct vg_dga_model *m, const double x[VG_DGA_INPUTS]);

/* vg_dga_score -- score in [0, 1], higher meaning more likely generated,
 * of a registrable domain (see above); model NULL means vg_dga_builtin.
 * An empty label scores 0. */
double vg_dga_score(const struct vg_dga_model *m, struct vg_str registrable);

/* vg_dga_is_generated -- vg_dga_score(m, registrable) >= m->threshold: the
 * trained decision, set for at most 0.5 % false positives on the benign
 * training names.  Model NULL means vg_dga_builtin. */
bool vg_dga_is_generated(const struct vg_dga_model *m, struct vg_str registrable);

/* vg_dga_feature_name -- "digits", "vowels", ..., "logit" for
 * VG_DGA_F_LOGIT; "?" out of range. */
const char *vg_dga_feature_name(int feature);

#endif /* VG_DETECT_DGA_H */
