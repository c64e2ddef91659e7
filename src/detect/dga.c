/*
 * dga.c -- scoring a label with the DGA model (dga.h).
 *
 * A score is one pass over the label: each byte becomes a symbol, the
 * symbol closes one bigram, trigram, 4-gram and 5-gram whose table entries
 * are summed, and the whole-label counts (digits, vowels, entropy, ...)
 * are gathered on the way.  A second pass splits the label into words
 * (split_words), and the suffix and the label's shape are hashed once
 * each.  That gives the first stage's features and logit, which the
 * second stage's trees read (vg_dga_trees).  Everything lives in
 * registers and small arrays on the stack, so a score allocates nothing,
 * and the only libm call is the final exp(); about 650 ns a name on the
 * held-out names: 300 ns the first stage, about half of it the word
 * split, whose probes of the 64 KiB word set miss the first-level cache,
 * and 300 ns the trees.
 *
 * vg_dga_ngrams lists the same table slots for the trainer
 * (src/cmd_train.c), which learns one weight per slot; the unit tests
 * check that both read the same slots, and the trainer scores its
 * held-out names through vg_dga_score itself.
 */
#include "../vg.h"
#include "dga.h"

#include <math.h>

static const char *const feature_names[VG_DGA_INPUTS] = {
	[VG_DGA_F_DIGITS] = "digits",
	[VG_DGA_F_VOWELS] = "vowels",
	[VG_DGA_F_CONSONANTS] = "consonant_run",
	[VG_DGA_F_ENTROPY] = "entropy",
	[VG_DGA_F_HEX] = "hex",
	[VG_DGA_F_HYPHEN] = "hyphen",
	[VG_DGA_F_SWITCHES] = "switches",
	[VG_DGA_F_COVER] = "word_cover",
	[VG_DGA_F_NWORDS] = "words",
	[VG_DGA_F_BIGRAM] = "bigram",
	[VG_DGA_F_TRIGRAM] = "trigram",
	[VG_DGA_F_QUADGRAM] = "quadgram",
	[VG_DGA_F_QUINTGRAM] = "quintgram",
	[VG_DGA_F_LENGTH] = "length",
	[VG_DGA_F_SUFFIX] = "suffix",
	[VG_DGA_F_SUFFIX_LENGTH] = "suffix_length",
	[VG_DGA_F_WORD] = "word",
	[VG_DGA_F_SHAPE] = "shape",
	[VG_DGA_F_SHAPE_SUFFIX] = "shape_suffix",
	[VG_DGA_F_LOGIT] = "logit",
};

/* n ln n for n = 0..63: the entropy of a label of at most 63 bytes with no
 * log() call. */
static const double nlogn[VG_DGA_MAX_LABEL + 1] = {
	0, 0, 1.3862943611198906, 3.2958368660043291, 5.5451774444795623, 8.0471895621705016,
	10.750556815368331, 13.621371043387192, 16.635532333438686, 19.775021196025975, 23.025850929940461,
	26.376848000782076, 29.818879797456006, 33.344341646999979, 36.946802614613617, 40.620753016533151,
	44.361419555836498, 48.164626848955677, 52.026691642130963, 55.944340604162363, 59.914645471079815,
	63.934971192191881, 68.002933973882961, 72.116366966370435, 76.273291928350702, 80.471895621705016,
	84.710509988558542, 88.987595382116893, 93.301726284905712, 97.651579069607749, 102.03592144986466,
	106.45360333903953, 110.90354888959125, 115.38474952839385, 119.89625783694949, 124.43718215212947,
	129.00668178441995, 133.60396276783629, 138.22827406960266, 142.87890419905619, 147.55517816455745,
	152.25645473487663, 156.98212396790149, 161.73160497482317, 166.50434389240348, 171.29981203966437,
	176.11750423849838, 180.95693728037276, 185.81764852357878, 190.69919460742071, 195.60115027140731,
	200.52310726894061, 205.46467336623422, 210.42547141826248, 215.40513851447082, 220.40332518778592,
	225.41969468116838, 230.45392226656938, 235.50569461169232, 240.57470919043746, 245.66067373332604,
	250.763305714572, 255.88233187279567, 261.01748776266658,
};

/* (k + 1) ln (k + 1) - k ln k: what one more occurrence of a symbol seen k
 * times adds to sum c ln c, so the entropy is summed as the label is read. */
static const double nlogn_step[VG_DGA_MAX_LABEL] = {
	0, 1.3862943611198906, 1.9095425048844386, 2.2493405784752332, 2.5020121176909393,
	2.703367253197829, 2.8708142280188618, 3.0141612900514936, 3.1394888625872888, 3.250829733914486,
	3.3509970708416148, 3.4420317966739304, 3.5254618495439729, 3.6024609676136379, 3.6739504019195337,
	3.7406665393033478, 3.8032072931191792, 3.8620647931752856, 3.9176489620314001, 3.9703048669174521,
	4.0203257211120658, 4.0679627816910795, 4.1134329924874748, 4.1569249619802662, 4.1986036933543147,
	4.2386143668535254, 4.2770853935583517, 4.3141309027888184, 4.349852784702037, 4.3843423802569106,
	4.4176818891748724, 4.4499455505517176, 4.4812006388026049, 4.5115083085556336, 4.5409243151799785,
	4.5694996322904871, 4.59728098341634, 4.6243113017663688, 4.6506301294535319, 4.6762739655012524,
	4.7012765703191803, 4.7256692330248598, 4.749481006921684, 4.7727389175803125, 4.7954681472608911,
	4.8176921988340098, 4.8394330418743721, 4.8607112432060262, 4.8815460838419256, 4.9019556639865982,
	4.9219569975333002, 4.9415660972936166, 4.9607980520282524, 4.9796670962083454, 4.9981866733151037,
	5.0163694933824559, 5.0342275854009984, 5.0517723451229415, 5.0690145787451399, 5.0859645428885756,
	5.1026319812459633, 5.1190261582236758, 5.1351558898709015,
};

enum { SYM_BOUNDARY = 0 };

/* The symbol of each byte: letters in either case 1-26, digits 27-36,
 * '-' 37, anything else 38.  A table, not comparisons: DGA labels mix
 * letters and digits at random, which defeats branch prediction. */
static const uint8_t symbol_of[256] = {
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 37, 38, 38,
	27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 38, 38, 38, 38, 38, 38,
	38,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 38, 38, 38, 38, 38,
	38,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38,
};

/* What each symbol is, for the whole-label features. */
enum { LETTER = 1, VOWEL = 2, DIGIT = 4, HEX = 8, HYPHEN = 16 };
static const uint8_t symbol_class[VG_DGA_SYMBOLS] = {
	0,                                             /* boundary */
	LETTER | VOWEL | HEX, LETTER | HEX, LETTER | HEX, LETTER | HEX, /* a b c d */
	LETTER | VOWEL | HEX, LETTER | HEX,            /* e f */
	LETTER, LETTER, LETTER | VOWEL, LETTER, LETTER, LETTER, LETTER, LETTER, /* g h i j k l m n */
	LETTER | VOWEL, LETTER, LETTER, LETTER, LETTER, LETTER, /* o p q r s t */
	LETTER | VOWEL, LETTER, LETTER, LETTER, LETTER, LETTER, /* u v w x y z */
	DIGIT | HEX, DIGIT | HEX, DIGIT | HEX, DIGIT | HEX, DIGIT | HEX, /* 0-4 */
	DIGIT | HEX, DIGIT | HEX, DIGIT | HEX, DIGIT | HEX, DIGIT | HEX, /* 5-9 */
	HYPHEN,                                        /* - */
	0,                                             /* anything else */
};

/* Fibonacci hashing of an n-gram's symbol number into 2^bits buckets:
 * multiplicative hashing spreads the consecutive codes of related n-grams
 * over the whole table.  The trainer hashes through the same functions. */
static inline uint32_t bucket(uint32_t code, unsigned bits) { return (code * 0x9E3779B1u) >> (32 - bits); }

/* grams -- the table slots of symbol string s[0..n+1] (boundaries
 * included): n + 1 bigrams, n trigrams and n - 1 4-grams. */
static void grams(const uint8_t *s, size_t n, struct vg_dga_ngrams *g)
{
	g->n_bigram = g->n_trigram = g->n_quadgram = g->n_quintgram = 0;
	g->length = (unsigned)n;
	for (size_t i = 0; i <= n; i++)
		g->bigram[g->n_bigram++] = (uint16_t)(s[i] * VG_DGA_SYMBOLS + s[i + 1]);
	for (size_t i = 0; i + 2 <= n + 1; i++) {
		uint32_t code = ((uint32_t)s[i] * VG_DGA_SYMBOLS + s[i + 1]) * VG_DGA_SYMBOLS + s[i + 2];
		g->trigram[g->n_trigram++] = (uint16_t)bucket(code, VG_DGA_TRIGRAM_BITS);
		if (i + 3 <= n + 1)
			g->quadgram[g->n_quadgram++] =
				(uint16_t)bucket(code * VG_DGA_SYMBOLS + s[i + 3], VG_DGA_QUADGRAM_BITS);
		if (i + 4 <= n + 1)
			g->quintgram[g->n_quintgram++] = (uint16_t)bucket(
				(code * VG_DGA_SYMBOLS + s[i + 3]) * VG_DGA_SYMBOLS + s[i + 4], VG_DGA_QUINTGRAM_BITS);
	}
}

/* symbols -- label as symbols between boundaries in s[0..n+1]; returns n,
 * the bytes scored. */
static size_t symbols(struct vg_str label, uint8_t s[VG_DGA_MAX_LABEL + 2])
{
	size_t n = label.n < VG_DGA_MAX_LABEL ? label.n : VG_DGA_MAX_LABEL;
	s[0] = SYM_BOUNDARY;
	for (size_t i = 0; i < n; i++)
		s[i + 1] = symbol_of[(unsigned char)label.p[i]];
	s[n + 1] = SYM_BOUNDARY;
	return n;
}

/* shape_of -- a symbol's class in a label's shape: consonant, vowel, y
 * (a vowel to some generators, a consonant to others), digit, hyphen,
 * other. */
static const uint8_t shape_of[VG_DGA_SYMBOLS] = {
	0, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, /* boundary, a-z */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 6,                                            /* 0-9, -, other */
};

enum { FNV_SEED = 0x811c9dc5u, FNV_PRIME = 0x01000193u };

/* whole_slots -- the slots that read the whole label and its suffix:
 * the suffix (what follows the label of registrable, the empty string
 * for a bare label, case folded), the suffix with the label's length,
 * the label's shape (its pattern of consonants, vowels and digits, s[1..n])
 * and the shape with the suffix.  FNV-1a, then Fibonacci hashing.
 * Families register under fixed sets of suffixes (.ru, .info, ddns.net)
 * with labels of fixed lengths and, the pronounceable ones, of fixed
 * patterns (simda's cvcvcvc), which the n-grams alone cannot show. */
struct whole {
	unsigned suffix, suffix_length, shape, shape_suffix; /* as in vg_dga_ngrams */
};

static void whole_slots(struct vg_str registrable, size_t label_n, const uint8_t *s, size_t n, struct whole *out)
{
	uint32_t h = FNV_SEED;
	for (size_t i = label_n + 1; i < registrable.n; i++) {
		unsigned char c = (unsigned char)registrable.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * FNV_PRIME;
	}
	out->suffix = bucket(h, VG_DGA_SUFFIX_BITS);
	uint32_t len = (uint32_t)(label_n < VG_DGA_SUFFIX_LENGTH_CAP ? label_n : VG_DGA_SUFFIX_LENGTH_CAP);
	out->suffix_length = bucket((h ^ len) * FNV_PRIME, VG_DGA_SUFFIX_LENGTH_BITS);
	uint32_t shape = FNV_SEED;
	for (size_t i = 1; i <= n; i++)
		shape = (shape ^ shape_of[s[i]]) * FNV_PRIME;
	out->shape = bucket(shape, VG_DGA_SHAPE_BITS);
	out->shape_suffix = bucket((shape ^ h * 0x2545F491u) * FNV_PRIME, VG_DGA_SHAPE_SUFFIX_BITS);
}

/* ---- words ---------------------------------------------------------------- */

/* The two bits of a word's hash in the word set. */
static inline uint32_t word_bit1(uint32_t h) { return (h * 0x9E3779B1u) >> (32 - VG_DGA_WORD_SET_BITS); }
static inline uint32_t word_bit2(uint32_t h) { return ((h ^ (h >> 15)) * 0x85EBCA6Bu) >> (32 - VG_DGA_WORD_SET_BITS); }

/* prefix -- the number of three letters (symbols 1-26). */
static inline unsigned prefix(unsigned a, unsigned b, unsigned c) { return ((a - 1) * 26 + (b - 1)) * 26 + (c - 1); }

static inline bool in_word_set(const struct vg_dga_model *m, uint32_t h)
{
	uint32_t a = word_bit1(h), b = word_bit2(h);
	return (m->word_set[a >> 6] >> (a & 63) & 1) && (m->word_set[b >> 6] >> (b & 63) & 1);
}

void vg_dga_add_word(struct vg_dga_model *m, struct vg_str word)
{
	if (word.n < VG_DGA_WORD_MIN || word.n > VG_DGA_WORD_MAX)
		return;
	uint32_t h = FNV_SEED;
	for (size_t i = 0; i < word.n; i++) {
		unsigned c = symbol_of[(unsigned char)word.p[i]];
		if (c < 1 || c > 26)
			return;
		h = (h ^ c) * FNV_PRIME;
	}
	uint32_t a = word_bit1(h), b = word_bit2(h);
	m->word_set[a >> 6] |= (uint64_t)1 << (a & 63);
	m->word_set[b >> 6] |= (uint64_t)1 << (b & 63);
	unsigned p = prefix(symbol_of[(unsigned char)word.p[0]], symbol_of[(unsigned char)word.p[1]],
			    symbol_of[(unsigned char)word.p[2]]);
	m->word_prefix[p >> 6] |= (uint64_t)1 << (p & 63);
}

/* The words a label splits into. */
struct split {
	unsigned covered;                 /* bytes inside words */
	unsigned n;                       /* words */
	uint16_t slot[VG_DGA_MAX_WORDS];  /* their word-table buckets */
};

/* split_words -- the split of symbols s[1..n] into words of m's set and
 * other bytes that covers the most bytes, and of those the one with the
 * fewest words: a left-to-right dynamic programme whose states are the
 * label's prefixes.  A word is letters only, so a digit or hyphen ends
 * the candidates from a start. */
static void split_words(const struct vg_dga_model *m, const uint8_t *s, size_t n, struct split *out)
{
	/* value[j]: of the splits of the first j bytes, the best as bytes
	 * covered times 64 less the words (never more than 63 of them); from[j]
	 * where its last step started, hash[j] that word's hash when the step
	 * is a word. */
	int value[VG_DGA_MAX_LABEL + 1];
	uint8_t from[VG_DGA_MAX_LABEL + 1];
	bool is_word[VG_DGA_MAX_LABEL + 1];
	uint32_t hash[VG_DGA_MAX_LABEL + 1];
	value[0] = 0;
	for (size_t j = 1; j <= n; j++)
		value[j] = -1;
	for (size_t i = 0; i < n; i++) {
		if (value[i] > value[i + 1]) {
			value[i + 1] = value[i];
			from[i + 1] = (uint8_t)i;
			is_word[i + 1] = false;
		}
		if (n - i < VG_DGA_WORD_MIN)
			continue;
		unsigned a = s[i + 1], b = s[i + 2], c3 = s[i + 3];
		if (a - 1 > 25 || b - 1 > 25 || c3 - 1 > 25)
			continue;
		unsigned p = prefix(a, b, c3);
		if (!(m->word_prefix[p >> 6] >> (p & 63) & 1))
			continue;
		uint32_t h = FNV_SEED;
		size_t max = n - i < VG_DGA_WORD_MAX ? n - i : VG_DGA_WORD_MAX;
		for (size_t len = 1; len <= max; len++) {
			unsigned c = s[i + len];
			if (c < 1 || c > 26)
				break;
			h = (h ^ c) * FNV_PRIME;
			if (len < VG_DGA_WORD_MIN || !in_word_set(m, h))
				continue;
			int v = value[i] + (int)len * 64 - 1;
			if (v > value[i + len]) {
				value[i + len] = v;
				from[i + len] = (uint8_t)i;
				is_word[i + len] = true;
				hash[i + len] = h;
			}
		}
	}
	out->covered = out->n = 0;
	for (size_t j = n; j > 0; j = from[j])
		if (is_word[j]) {
			out->covered += (unsigned)(j - from[j]);
			out->slot[out->n++] = (uint16_t)bucket(hash[j], VG_DGA_WORD_BITS);
		}
}

void vg_dga_ngrams(const struct vg_dga_model *m, struct vg_str registrable, struct vg_dga_ngrams *out)
{
	struct vg_str label = vg_dga_label(registrable);
	uint8_t s[VG_DGA_MAX_LABEL + 2];
	size_t n = symbols(label, s);
	struct whole whole;
	whole_slots(registrable, label.n, s, n, &whole);
	out->suffix = whole.suffix;
	out->suffix_length = whole.suffix_length;
	out->shape = whole.shape;
	out->shape_suffix = whole.shape_suffix;
	out->n_word = 0;
	if (n == 0) {
		out->n_bigram = out->n_trigram = out->n_quadgram = out->n_quintgram = out->length = 0;
		return;
	}
	grams(s, n, out);
	struct split w;
	split_words(m, s, n, &w);
	out->n_word = w.n;
	memcpy(out->word, w.slot, w.n * sizeof(*w.slot));
}

const char *vg_dga_feature_name(int feature)
{
	return feature >= 0 && feature < VG_DGA_INPUTS ? feature_names[feature] : "?";
}

struct vg_str vg_dga_label(struct vg_str registrable)
{
	const char *dot = registrable.n ? memchr(registrable.p, '.', registrable.n) : NULL;
	if (dot)
		registrable.n = (size_t)(dot - registrable.p);
	return registrable;
}

void vg_dga_features(const struct vg_dga_model *m, struct vg_str registrable, double f[VG_DGA_NFEATURES])
{
	for (int i = 0; i < VG_DGA_NFEATURES; i++)
		f[i] = 0;
	struct vg_str label = vg_dga_label(registrable);
	uint8_t s[VG_DGA_MAX_LABEL + 2];
	size_t n = symbols(label, s);
	if (n == 0)
		return;

	/* One pass over the label and its end boundary: symbol i closes
	 * bigram (i-1, i), trigram (i-2 .. i), 4-gram (i-3 .. i) and 5-gram
	 * (i-4 .. i), the slots grams() lists, with the boundary before the
	 * first byte. */
	uint8_t count[VG_DGA_SYMBOLS] = {0};
	unsigned digits = 0, letters = 0, vowels = 0, hex = 0, hyphens = 0, switches = 0;
	unsigned run = 0, longest = 0, prev_class = 0;
	uint32_t p1 = SYM_BOUNDARY, p2 = SYM_BOUNDARY, p3 = SYM_BOUNDARY, p4 = SYM_BOUNDARY; /* the symbols before */
	double clogc = 0;
	int bi = 0, tri = 0, quad = 0, quint = 0;
	for (size_t i = 1; i <= n + 1; i++) {
		unsigned c = s[i];
		uint32_t pair = p1 * VG_DGA_SYMBOLS + c;
		uint32_t triple = p2 * (VG_DGA_SYMBOLS * VG_DGA_SYMBOLS) + pair;
		uint32_t quadruple = p3 * (VG_DGA_SYMBOLS * VG_DGA_SYMBOLS * VG_DGA_SYMBOLS) + triple;
		bi += m->bigram[pair];
		if (i >= 2)
			tri += m->trigram[bucket(triple, VG_DGA_TRIGRAM_BITS)];
		if (i >= 3)
			quad += m->quadgram[bucket(quadruple, VG_DGA_QUADGRAM_BITS)];
		if (i >= 4)
			quint += m->quintgram[bucket(p4 * (VG_DGA_SYMBOLS * VG_DGA_SYMBOLS * VG_DGA_SYMBOLS * VG_DGA_SYMBOLS) +
							     quadruple,
						     VG_DGA_QUINTGRAM_BITS)];
		if (i > n)
			break;
		p4 = p3;
		p3 = p2;
		p2 = p1;
		p1 = c;
		unsigned k = symbol_class[c];
		clogc += nlogn_step[count[c]++];
		digits += (k & DIGIT) != 0;
		hex += (k & HEX) != 0;
		hyphens += (k & HYPHEN) != 0;
		letters += (k & LETTER) != 0;
		vowels += (k & VOWEL) != 0;
		run = (k & LETTER) && !(k & VOWEL) ? run + 1 : 0;
		longest = run > longest ? run : longest;
		switches += ((k & DIGIT) && (prev_class & LETTER)) || ((k & LETTER) && (prev_class & DIGIT));
		prev_class = k;
	}
	struct split w;
	split_words(m, s, n, &w);
	int words = 0;
	for (unsigned i = 0; i < w.n; i++)
		words += m->word[w.slot[i]];
	struct whole whole;
	whole_slots(registrable, label.n, s, n, &whole);

	f[VG_DGA_F_DIGITS] = (double)digits / (double)n;
	f[VG_DGA_F_VOWELS] = letters ? (double)vowels / (double)letters : 0;
	f[VG_DGA_F_CONSONANTS] = (double)longest;
	/* H = ln n - (1/n) sum c ln c, in bits. */
	f[VG_DGA_F_ENTROPY] = (nlogn[n] - clogc) / (double)n / 0.69314718055994531;
	f[VG_DGA_F_HEX] = n >= 8 && hex == n;
	f[VG_DGA_F_HYPHEN] = hyphens > 0;
	f[VG_DGA_F_SWITCHES] = (double)switches / (double)n;
	f[VG_DGA_F_COVER] = (double)w.covered / (double)n;
	f[VG_DGA_F_NWORDS] = w.n;
	f[VG_DGA_F_BIGRAM] = bi;
	f[VG_DGA_F_TRIGRAM] = tri;
	f[VG_DGA_F_QUADGRAM] = quad;
	f[VG_DGA_F_QUINTGRAM] = quint;
	f[VG_DGA_F_LENGTH] = m->length[n];
	f[VG_DGA_F_SUFFIX] = m->suffix[whole.suffix];
	f[VG_DGA_F_SUFFIX_LENGTH] = m->suffix_length[whole.suffix_length];
	f[VG_DGA_F_WORD] = words;
	f[VG_DGA_F_SHAPE] = m->shape[whole.shape];
	f[VG_DGA_F_SHAPE_SUFFIX] = m->shape_suffix[whole.shape_suffix];
}

void vg_dga_inputs(const struct vg_dga_model *m, struct vg_str registrable, double x[VG_DGA_INPUTS])
{
	vg_dga_features(m, registrable, x);
	double z = m->bias;
	for (int i = 0; i < VG_DGA_NFEATURES; i++)
		z += m->weight[i] * x[i];
	x[VG_DGA_F_LOGIT] = z;
}

/* The trees are walked eight at a time, a level of each in turn: each
 * step of a walk waits on the loads of the step before, so eight walks
 * side by side keep the core busy where one leaves it waiting (150
 * trees took 1.3 us one by one, 0.9 us side by side; the 64 of the
 * committed model take about 0.3 us).  A comparison picks the
 * child, VG_DGA_TREE_DEPTH steps, then the leaf; the inputs are copied
 * into an array of 32 so that a node's feature, masked, reads nothing
 * else. */
#define WALK_INPUTS 32
#define WALK_LANES 8
_Static_assert(VG_DGA_INPUTS <= WALK_INPUTS, "the walk's input array holds every input");

double vg_dga_trees(const struct vg_dga_model *m, const double x[VG_DGA_INPUTS])
{
	double in[WALK_INPUTS] = {0};
	memcpy(in, x, VG_DGA_INPUTS * sizeof(*x));
	unsigned n = m->n_trees < VG_DGA_MAX_TREES ? m->n_trees : VG_DGA_MAX_TREES;
	double z[WALK_LANES] = {m->tree_bias};
	for (unsigned t = 0; t < n; t += WALK_LANES) {
		const struct vg_dga_tree *tr = &m->tree[t];
		unsigned lanes = n - t < WALK_LANES ? n - t : WALK_LANES;
		unsigned i[WALK_LANES] = {0};
		if (lanes == WALK_LANES) {
			for (int d = 0; d < VG_DGA_TREE_DEPTH; d++)
				for (unsigned k = 0; k < WALK_LANES; k++)
					i[k] = 2 * i[k] + 1 + (in[tr[k].feature[i[k]] & (WALK_INPUTS - 1)] > (double)tr[k].split[i[k]]);
		} else {
			for (unsigned k = 0; k < lanes; k++)
				for (int d = 0; d < VG_DGA_TREE_DEPTH; d++)
					i[k] = 2 * i[k] + 1 + (in[tr[k].feature[i[k]] & (WALK_INPUTS - 1)] > (double)tr[k].split[i[k]]);
		}
		for (unsigned k = 0; k < lanes; k++)
			z[k] += (double)tr[k].leaf[i[k] - VG_DGA_TREE_NODES];
	}
	double sum = 0;
	for (unsigned k = 0; k < WALK_LANES; k++)
		sum += z[k];
	return sum;
}

double vg_dga_score(const struct vg_dga_model *m, struct vg_str registrable)
{
	if (!m)
		m = &vg_dga_builtin;
	if (vg_dga_label(registrable).n == 0)
		return 0;
	double x[VG_DGA_INPUTS];
	vg_dga_inputs(m, registrable, x);
	double z = m->n_trees ? vg_dga_trees(m, x) : x[VG_DGA_F_LOGIT];
	return 1 / (1 + exp(-z));
}

bool vg_dga_is_generated(const struct vg_dga_model *m, struct vg_str registrable)
{
	if (!m)
		m = &vg_dga_builtin;
	return vg_dga_score(m, registrable) >= m->threshold;
}
