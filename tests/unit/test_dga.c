/*
 * test_dga.c -- the DGA classifier (detect/dga.h) with the committed model
 * (detect/dga_model.c): obvious names on each side of the threshold,
 * determinism, input that must never crash, the agreement between the
 * slots the trainer learns and the slots a score reads, the second
 * stage's trees (a score is their sum over the inputs; a node sends at
 * most its split left), the split of a label into words, and, when the shared data is present, recall and
 * false-positive floors over the whole labelled sets so that a broken or
 * badly retrained model fails the suite (the OpenDNS lists both raw and
 * cleaned of Conficker's names as the trainer cleans them, when
 * /usr/share/dict/words is there).
 */
#include <criterion/criterion.h>

#include <libpsl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "shared_data.h"
#include "vg.h"
#include "core/str.h"
#include "detect/dga.h"

/* Deterministic PRNG (xorshift64*), one state per test. */
static uint64_t rng_state;
static void rng_seed(uint64_t s) { rng_state = s ? s : 1; }
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double score(const char *s) { return vg_dga_score(NULL, vg_str_c(s)); }
static bool generated(const char *s) { return vg_dga_is_generated(NULL, vg_str_c(s)); }

/* ---- obvious names ------------------------------------------------------ */

Test(dga, popular_names_score_low)
{
	static const char *const names[] = {
		"google.com", "wikipedia.org", "amazonaws.com", "facebook.com", "youtube.com",
		"github.com", "cloudfront.net", "microsoft.com", "ubuntu.com", "debian.org",
		"google", "wikipedia", "amazonaws", "facebook",
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		double s = score(names[i]);
		cr_expect(s < 0.1, "%s scores %.4f, expected < 0.1", names[i], s);
		cr_expect(!generated(names[i]), "%s flagged as generated (score %.4f)", names[i], s);
	}
}

Test(dga, random_consonant_digit_labels_score_high)
{
	/* 16 bytes drawn uniformly from consonants and digits: what the
	 * simplest DGA makes.  Measured: all of them flagged; a model that
	 * lets more than one in 25 through is broken. */
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz0123456789";
	rng_seed(0xd6a);
	int flagged = 0, n = 200;
	for (int i = 0; i < n; i++) {
		char name[32];
		for (int k = 0; k < 16; k++)
			name[k] = alphabet[rng() % (sizeof(alphabet) - 1)];
		memcpy(name + 16, ".com", 5);
		double s = score(name);
		cr_expect(s > 0.1, "%s scores %.4f", name, s);
		flagged += generated(name);
	}
	cr_expect(flagged >= n - n / 25, "%d of %d random labels flagged", flagged, n);
}

Test(dga, known_families_examples)
{
	/* One real name from each of a few random-looking families (the
	 * labelled CSV); all are flagged by the committed model. */
	static const char *const names[] = {
		"cvyh1po636avyrsxebwbkn7.ddns.net", /* corebot */
		"1sbh3891b5qfxt3dszss1grf20g.biz",  /* zeus */
		"eiyoesgwgagqgyue.org",             /* ramdo */
		"xvctydfxovhxfjkotaii.xxx",         /* necurs */
	};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++)
		cr_expect(generated(names[i]), "%s not flagged (score %.4f)", names[i], score(names[i]));
}

/* ---- determinism and the label rule --------------------------------------- */

Test(dga, scores_are_deterministic_and_label_based)
{
	static const char *const names[] = {"kq3j2lzx.ru", "example.com", "xn--80ak6aa92e.com", "a-b-c.net"};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		struct vg_str d = vg_str_c(names[i]);
		double a = vg_dga_score(NULL, d), b = vg_dga_score(&vg_dga_builtin, d);
		cr_expect(a == b, "%s: %.17g then %.17g", names[i], a, b);
		/* The suffix is a feature: the same label under another suffix
		 * reads another suffix entry, and a bare label the empty
		 * suffix's, but the label's own features are the same. */
		struct vg_str label = vg_dga_label(d);
		char other[128];
		snprintf(other, sizeof(other), "%.*s.co.uk", (int)label.n, label.p);
		double f[VG_DGA_NFEATURES], g[VG_DGA_NFEATURES];
		vg_dga_features(&vg_dga_builtin, d, f);
		vg_dga_features(&vg_dga_builtin, vg_str_c(other), g);
		for (int k = 0; k < VG_DGA_F_SUFFIX; k++)
			cr_expect(f[k] == g[k], "%s: feature %s differs under .co.uk", names[i], vg_dga_feature_name(k));
		double s_label = vg_dga_score(NULL, label);
		cr_expect(s_label >= 0 && s_label <= 1, "%s: the bare label scores %g", names[i], s_label);
	}
	cr_expect(score("KQ3J2LZX.RU") == score("kq3j2lzx.ru"), "upper case is folded, suffix included");
	cr_expect(score("kq3j2lzx.ru") != score("kq3j2lzx.co.uk"), "the suffix counts");
	cr_expect(vg_dga_label(vg_str_c("abc.ddns.net")).n == 3);
	cr_expect(vg_dga_label(vg_str_c("nodot")).n == 5);
}

Test(dga, the_threshold_decides)
{
	const struct vg_dga_model *m = &vg_dga_builtin;
	cr_assert(m->threshold > 0 && m->threshold < 1, "threshold %g", m->threshold);
	cr_assert(isfinite(m->bias));
	for (int k = 0; k < VG_DGA_NFEATURES; k++)
		cr_assert(isfinite(m->weight[k]), "weight %s", vg_dga_feature_name(k));
	static const char *const names[] = {"google.com", "cvyh1po636avyrsxebwbkn7.ddns.net", "bajeosei.ru"};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++)
		cr_expect(generated(names[i]) == (score(names[i]) >= m->threshold), "%s", names[i]);
	cr_expect_str_eq(vg_dga_feature_name(VG_DGA_F_ENTROPY), "entropy");
	cr_expect_str_eq(vg_dga_feature_name(-1), "?");
	cr_expect_str_eq(vg_dga_feature_name(VG_DGA_F_LOGIT), "logit");
	cr_expect_str_eq(vg_dga_feature_name(VG_DGA_INPUTS), "?");
}

/* ---- the second stage ------------------------------------------------------ */

Test(dga, the_trees_give_the_score)
{
	/* The committed model has trees, every node reads an input there is
	 * and splits at a number (+infinity where the trainer left it
	 * unsplit), every leaf is finite; a score is the logistic of the
	 * trees' sum over the inputs vg_dga_inputs gives, whose first part
	 * is vg_dga_features. */
	const struct vg_dga_model *m = &vg_dga_builtin;
	cr_assert(m->n_trees > 0 && m->n_trees <= VG_DGA_MAX_TREES, "%u trees", m->n_trees);
	cr_assert(isfinite(m->tree_bias));
	for (unsigned t = 0; t < m->n_trees; t++) {
		for (unsigned i = 0; i < VG_DGA_TREE_NODES; i++) {
			cr_assert(m->tree[t].feature[i] < VG_DGA_INPUTS, "tree %u node %u", t, i);
			cr_assert(!isnan(m->tree[t].split[i]), "tree %u node %u", t, i);
		}
		for (unsigned i = 0; i < VG_DGA_TREE_LEAVES; i++)
			cr_assert(isfinite(m->tree[t].leaf[i]), "tree %u leaf %u", t, i);
	}
	static const char *const names[] = {"google.com", "kq3j2lzx.ru", "cvyh1po636avyrsxebwbkn7.ddns.net",
					    "brothernerveplacebring.com", "pujotiq.info", "a-b-c.net", "x.co.uk"};
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		struct vg_str d = vg_str_c(names[i]);
		double x[VG_DGA_INPUTS], f[VG_DGA_NFEATURES];
		vg_dga_inputs(m, d, x);
		vg_dga_features(m, d, f);
		for (int k = 0; k < VG_DGA_NFEATURES; k++)
			cr_expect(x[k] == f[k], "%s: input %s", names[i], vg_dga_feature_name(k));
		double z = m->bias;
		for (int k = 0; k < VG_DGA_NFEATURES; k++)
			z += m->weight[k] * f[k];
		cr_expect(x[VG_DGA_F_LOGIT] == z, "%s: logit %.17g, expected %.17g", names[i], x[VG_DGA_F_LOGIT], z);
		double s = score(names[i]);
		cr_expect(s == 1 / (1 + exp(-vg_dga_trees(m, x))), "%s: score %.17g", names[i], s);
	}
}

Test(dga, a_tree_sends_at_most_the_split_left)
{
	/* A model of two trees by hand: the first splits on the logit at 0,
	 * then on digits at 0.5 (left) and unsplit (right); the second is
	 * unsplit throughout and adds its first leaf.  Without trees the
	 * score is the regression's. */
	struct vg_dga_model *m = calloc(1, sizeof(*m));
	cr_assert(m);
	m->bias = 0.25;
	cr_expect_float_eq(vg_dga_score(m, vg_str_c("abc.com")), 1 / (1 + exp(-0.25)), 1e-15,
			   "no trees: the regression's score");
	m->n_trees = 2;
	m->tree_bias = 0.5;
	for (unsigned t = 0; t < 2; t++)
		for (unsigned i = 0; i < VG_DGA_TREE_NODES; i++)
			m->tree[t].split[i] = HUGE_VALF;
	m->tree[0].feature[0] = VG_DGA_F_LOGIT;
	m->tree[0].split[0] = 0;
	m->tree[0].feature[1] = VG_DGA_F_DIGITS;
	m->tree[0].split[1] = 0.5f;
	for (unsigned i = 0; i < VG_DGA_TREE_LEAVES; i++)
		m->tree[0].leaf[i] = (float)(i + 1);
	m->tree[1].leaf[0] = 100;
	m->tree[1].leaf[1] = 1000;
	double x[VG_DGA_INPUTS] = {0};
	/* logit 0 (at most the split): left; digits 0.5: left again; then
	 * unsplit nodes: leftmost leaf */
	x[VG_DGA_F_DIGITS] = 0.5;
	cr_expect_float_eq(vg_dga_trees(m, x), 0.5 + 1 + 100, 1e-12);
	/* digits above 0.5: the right child of node 1, then left: leaf 4 of 16 */
	x[VG_DGA_F_DIGITS] = 0.75;
	cr_expect_float_eq(vg_dga_trees(m, x), 0.5 + (1u << (VG_DGA_TREE_DEPTH - 2)) + 1 + 100, 1e-12);
	/* logit above 0: the root's right child, then left: the first leaf
	 * of the right half */
	x[VG_DGA_F_LOGIT] = 0.1;
	cr_expect_float_eq(vg_dga_trees(m, x), 0.5 + VG_DGA_TREE_LEAVES / 2 + 1 + 100, 1e-12);
	free(m);
}

/* ---- input that must not crash -------------------------------------------- */

Test(dga, odd_input_never_crashes)
{
	cr_expect(vg_dga_score(NULL, (struct vg_str){NULL, 0}) == 0, "empty scores 0");
	cr_expect(!vg_dga_is_generated(NULL, (struct vg_str){NULL, 0}));
	cr_expect(score("") == 0);
	cr_expect(score(".com") == 0, "an empty label scores 0");
	cr_expect(score(".") == 0);
	static const char *const odd[] = {"a", "0", "-", "a.", "_dmarc", "--", "..", "a..b", "\x80\xff.com"};
	for (size_t i = 0; i < VG_ARRAY_LEN(odd); i++) {
		double s = score(odd[i]);
		cr_expect(s >= 0 && s <= 1, "'%s' scores %g", odd[i], s);
	}
	/* Longer than any label: only the first VG_DGA_MAX_LABEL bytes count. */
	static char big[10000];
	memset(big, 'q', sizeof(big) - 1);
	double s_big = score(big);
	cr_expect(s_big >= 0 && s_big <= 1);
	char cut[VG_DGA_MAX_LABEL + 1];
	memset(cut, 'q', VG_DGA_MAX_LABEL);
	cut[VG_DGA_MAX_LABEL] = '\0';
	cr_expect(score(cut) == s_big, "a long label is read up to VG_DGA_MAX_LABEL bytes");
	/* Every byte value, NUL included (a vg_str carries its length). */
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	for (size_t off = 0; off < 256; off += 7) {
		double s = vg_dga_score(NULL, (struct vg_str){all + off, 256 - off});
		cr_expect(s >= 0 && s <= 1);
	}
	/* Random bytes of random lengths. */
	rng_seed(42);
	char buf[300];
	for (int i = 0; i < 20000; i++) {
		size_t n = rng() % sizeof(buf);
		for (size_t k = 0; k < n; k++)
			buf[k] = (char)rng();
		double s = vg_dga_score(NULL, (struct vg_str){buf, n});
		cr_assert(s >= 0 && s <= 1 && !isnan(s), "random input %d scores %g", i, s);
	}
}

/* ---- the trainer's slots are the scorer's -------------------------------- */

Test(dga, ngrams_list_the_slots_a_score_reads)
{
	/* vg_dga_features reads the tables in one fused pass; the trainer
	 * learns one weight per slot vg_dga_ngrams lists.  Both must name the
	 * same slots, or the trained weights land in the wrong places. */
	const struct vg_dga_model *m = &vg_dga_builtin;
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABZ0123456789-_.!";
	rng_seed(7);
	for (int i = 0; i < 5000; i++) {
		char label[80];
		size_t n = 1 + rng() % (sizeof(label) - 1);
		for (size_t k = 0; k < n; k++)
			label[k] = alphabet[rng() % (sizeof(alphabet) - 1)];
		struct vg_str l = {label, n};
		struct vg_dga_ngrams g;
		vg_dga_ngrams(m, l, &g);
		/* A dot ends the label: what follows is the suffix. */
		size_t ln = vg_dga_label(l).n;
		size_t len = ln < VG_DGA_MAX_LABEL ? ln : VG_DGA_MAX_LABEL;
		if (len == 0) {
			cr_assert(g.n_bigram == 0 && g.n_trigram == 0 && g.n_quadgram == 0 && g.n_quintgram == 0 &&
				  g.length == 0 && g.n_word == 0);
			continue;
		}
		cr_assert_eq(g.n_bigram, len + 1);
		cr_assert_eq(g.n_trigram, len);
		cr_assert_eq(g.n_quadgram, len - 1);
		cr_assert_eq(g.n_quintgram, len > 1 ? len - 2 : 0);
		cr_assert_eq(g.length, len);
		cr_assert_leq(g.n_word, VG_DGA_MAX_WORDS);
		long bi = 0, tri = 0, quad = 0, quint = 0, words = 0;
		for (unsigned k = 0; k < g.n_bigram; k++) {
			cr_assert_lt(g.bigram[k], VG_DGA_BIGRAMS);
			bi += m->bigram[g.bigram[k]];
		}
		for (unsigned k = 0; k < g.n_trigram; k++) {
			cr_assert_lt(g.trigram[k], VG_DGA_TRIGRAMS);
			tri += m->trigram[g.trigram[k]];
		}
		for (unsigned k = 0; k < g.n_quadgram; k++) {
			cr_assert_lt(g.quadgram[k], VG_DGA_QUADGRAMS);
			quad += m->quadgram[g.quadgram[k]];
		}
		for (unsigned k = 0; k < g.n_quintgram; k++) {
			cr_assert_lt(g.quintgram[k], VG_DGA_QUINTGRAMS);
			quint += m->quintgram[g.quintgram[k]];
		}
		for (unsigned k = 0; k < g.n_word; k++) {
			cr_assert_lt(g.word[k], VG_DGA_WORDS);
			words += m->word[g.word[k]];
		}
		double f[VG_DGA_NFEATURES];
		vg_dga_features(m, l, f);
		cr_assert(f[VG_DGA_F_BIGRAM] == (double)bi, "%.*s: bigram sum", (int)n, label);
		cr_assert(f[VG_DGA_F_TRIGRAM] == (double)tri, "%.*s: trigram sum", (int)n, label);
		cr_assert(f[VG_DGA_F_QUADGRAM] == (double)quad, "%.*s: 4-gram sum", (int)n, label);
		cr_assert(f[VG_DGA_F_QUINTGRAM] == (double)quint, "%.*s: 5-gram sum", (int)n, label);
		cr_assert(f[VG_DGA_F_WORD] == (double)words, "%.*s: word sum", (int)n, label);
		cr_assert(f[VG_DGA_F_NWORDS] == (double)g.n_word, "%.*s: word count", (int)n, label);
		cr_assert_lt(g.shape, VG_DGA_SHAPES);
		cr_assert_lt(g.shape_suffix, VG_DGA_SHAPE_SUFFIXES);
		cr_assert(f[VG_DGA_F_SHAPE] == (double)m->shape[g.shape]);
		cr_assert(f[VG_DGA_F_SHAPE_SUFFIX] == (double)m->shape_suffix[g.shape_suffix]);
		cr_assert(f[VG_DGA_F_LENGTH] == (double)m->length[g.length]);
		cr_assert_lt(g.suffix, VG_DGA_SUFFIXES);
		cr_assert_lt(g.suffix_length, VG_DGA_SUFFIX_LENGTHS);
		cr_assert(f[VG_DGA_F_SUFFIX] == (double)m->suffix[g.suffix]);
		cr_assert(f[VG_DGA_F_SUFFIX_LENGTH] == (double)m->suffix_length[g.suffix_length]);
	}
	/* A domain's suffix slots: the same as the scorer's, whatever the
	 * case, and the label's n-grams the bare label's. */
	static const char *const domains[] = {"abc.com", "ABC.COM", "kq3j2lzx.ru", "x.ddns.net", "abc.", "abc"};
	for (size_t i = 0; i < VG_ARRAY_LEN(domains); i++) {
		struct vg_str d = vg_str_c(domains[i]);
		struct vg_dga_ngrams g, gl;
		vg_dga_ngrams(m, d, &g);
		vg_dga_ngrams(m, vg_dga_label(d), &gl);
		cr_assert(g.n_bigram == gl.n_bigram && g.length == gl.length, "%s", domains[i]);
		double f[VG_DGA_NFEATURES];
		vg_dga_features(m, d, f);
		cr_assert(f[VG_DGA_F_SUFFIX] == (double)m->suffix[g.suffix], "%s", domains[i]);
		cr_assert(f[VG_DGA_F_SUFFIX_LENGTH] == (double)m->suffix_length[g.suffix_length], "%s", domains[i]);
	}
	struct vg_dga_ngrams ga, gb;
	vg_dga_ngrams(m, vg_str_c("abc.com"), &ga);
	vg_dga_ngrams(m, vg_str_c("ABC.COM"), &gb);
	cr_expect(ga.suffix == gb.suffix && ga.suffix_length == gb.suffix_length, "the suffix is case folded");
	cr_expect(ga.shape_suffix == gb.shape_suffix, "the shape's suffix is case folded");
	struct vg_dga_ngrams g;
	vg_dga_ngrams(m, (struct vg_str){NULL, 0}, &g);
	cr_expect(g.n_bigram == 0 && g.n_trigram == 0 && g.n_quadgram == 0 && g.length == 0 && g.n_word == 0);
}

Test(dga, whole_label_features)
{
	double f[VG_DGA_NFEATURES];
	vg_dga_features(&vg_dga_builtin, vg_str_c("a1b2"), f);
	cr_expect_float_eq(f[VG_DGA_F_DIGITS], 0.5, 1e-12);
	cr_expect_float_eq(f[VG_DGA_F_VOWELS], 0.5, 1e-12);
	cr_expect_float_eq(f[VG_DGA_F_ENTROPY], 2.0, 1e-12); /* four distinct symbols */
	cr_expect_float_eq(f[VG_DGA_F_SWITCHES], 0.75, 1e-12);
	vg_dga_features(&vg_dga_builtin, vg_str_c("deadbeef00"), f);
	cr_expect(f[VG_DGA_F_HEX] == 1);
	vg_dga_features(&vg_dga_builtin, vg_str_c("strengths"), f);
	cr_expect(f[VG_DGA_F_CONSONANTS] == 5, "ngths"); /* n g t h s */
	cr_expect(f[VG_DGA_F_HEX] == 0 && f[VG_DGA_F_HYPHEN] == 0);
	vg_dga_features(&vg_dga_builtin, vg_str_c("a-b"), f);
	cr_expect(f[VG_DGA_F_HYPHEN] == 1);
	vg_dga_features(&vg_dga_builtin, vg_str_c("aaaa"), f);
	cr_expect(f[VG_DGA_F_ENTROPY] == 0);
}

/* ---- the word split -------------------------------------------------------- */

Test(dga, words_split_a_label)
{
	/* A model whose word set holds four words and nothing else: the
	 * split covers what those words can cover, with as few words as
	 * covering it takes. */
	struct vg_dga_model *m = calloc(1, sizeof(*m));
	cr_assert(m);
	static const char *const words[] = {"brother", "nerve", "place", "bring", "other", "BROTHERHOOD"};
	for (size_t i = 0; i < VG_ARRAY_LEN(words); i++)
		vg_dga_add_word(m, vg_str_c(words[i]));
	/* Not words to the set: too short, too long, not letters. */
	vg_dga_add_word(m, vg_str_c("the"));
	vg_dga_add_word(m, vg_str_c("abcdefghijklmnopq"));
	vg_dga_add_word(m, vg_str_c("ab1cd"));

	double f[VG_DGA_NFEATURES];
	vg_dga_features(m, vg_str_c("brothernerveplacebring.com"), f);
	cr_expect(f[VG_DGA_F_COVER] == 1, "cover %g", f[VG_DGA_F_COVER]);
	cr_expect(f[VG_DGA_F_NWORDS] == 4, "words %g", f[VG_DGA_F_NWORDS]);
	/* "brother" covers what "other" does and more: one word, not two. */
	vg_dga_features(m, vg_str_c("xqbrotherzz.net"), f);
	cr_expect_float_eq(f[VG_DGA_F_COVER], 7.0 / 11, 1e-12);
	cr_expect(f[VG_DGA_F_NWORDS] == 1);
	/* Case is folded, in the set and in the label. */
	vg_dga_features(m, vg_str_c("BrotherHood.org"), f);
	cr_expect(f[VG_DGA_F_COVER] == 1 && f[VG_DGA_F_NWORDS] == 1, "cover %g, words %g", f[VG_DGA_F_COVER],
		  f[VG_DGA_F_NWORDS]);
	/* A digit or hyphen ends a word; the words left were never added. */
	static const char *const none[] = {"bro-ther.com", "bro1ther.com", "the.com", "abcdefghijklmnopq.com",
					   "ab1cd.com",   "qqqq.com",     "-",       ""};
	for (size_t i = 0; i < VG_ARRAY_LEN(none); i++) {
		vg_dga_features(m, vg_str_c(none[i]), f);
		cr_expect(f[VG_DGA_F_COVER] == 0 && f[VG_DGA_F_NWORDS] == 0, "%s: cover %g", none[i],
			  f[VG_DGA_F_COVER]);
	}
	/* The split the trainer counts is the scorer's. */
	struct vg_dga_ngrams g;
	vg_dga_ngrams(m, vg_str_c("placebring-brother.com"), &g);
	cr_expect_eq(g.n_word, 3);
	free(m);

	/* The committed model knows common words and no random ones. */
	vg_dga_features(&vg_dga_builtin, vg_str_c("freeonlinegames.com"), f);
	cr_expect(f[VG_DGA_F_COVER] >= 0.7, "freeonlinegames: cover %g", f[VG_DGA_F_COVER]);
	vg_dga_features(&vg_dga_builtin, vg_str_c("xkqzvjwpqh.com"), f);
	cr_expect(f[VG_DGA_F_COVER] == 0, "xkqzvjwpqh: cover %g", f[VG_DGA_F_COVER]);
}

/* ---- floors over the real lists in ../shared/data ------------------------------ */

struct tally {
	size_t n, flagged;
};

/* The cleaning rule of `vigil train dga --benign-resolver` (cmd_train.c):
 * the OpenDNS lists hold infected clients' Conficker queries, a label of
 * 4-11 letters under one of Conficker.B's eight suffixes holding no
 * English word of 4 or more letters.  The words are
 * /usr/share/dict/words's (Debian's wamerican), as the trainer's were. */
#define WORDS_PATH "/usr/share/dict/words"
struct wordlist {
	char **w;
	size_t n;
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool words_load(struct wordlist *wl)
{
	*wl = (struct wordlist){0};
	FILE *f = fopen(WORDS_PATH, "r");
	if (!f)
		return false;
	size_t cap = 0;
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		size_t n = strlen(line);
		bool letters = n >= 4;
		for (size_t i = 0; i < n && letters; i++)
			letters = line[i] >= 'a' && line[i] <= 'z';
		if (!letters)
			continue;
		if (wl->n == cap) {
			cap = cap ? 2 * cap : 65536;
			wl->w = realloc(wl->w, cap * sizeof(*wl->w));
			cr_assert(wl->w);
		}
		wl->w[wl->n] = strdup(line);
		cr_assert(wl->w[wl->n]);
		wl->n++;
	}
	fclose(f);
	qsort(wl->w, wl->n, sizeof(*wl->w), cmp_str);
	return wl->n > 0;
}

static void words_free(struct wordlist *wl)
{
	for (size_t i = 0; i < wl->n; i++)
		free(wl->w[i]);
	free(wl->w);
}

static bool conficker_shaped(const struct wordlist *wl, const char *reg)
{
	static const char *const suffixes[] = {"com", "net", "org", "info", "biz", "ws", "cn", "cc"};
	const char *dot = strchr(reg, '.');
	size_t n = dot ? (size_t)(dot - reg) : 0;
	if (n < 4 || n > 11)
		return false;
	for (size_t i = 0; i < n; i++)
		if (reg[i] < 'a' || reg[i] > 'z')
			return false;
	bool listed = false;
	for (size_t i = 0; i < VG_ARRAY_LEN(suffixes); i++)
		listed |= strcmp(dot + 1, suffixes[i]) == 0;
	if (!listed)
		return false;
	for (size_t i = 0; i + 4 <= n; i++)
		for (size_t len = 4; i + len <= n; len++) {
			char sub[16];
			memcpy(sub, reg + i, len);
			sub[len] = '\0';
			const char *key = sub;
			if (bsearch(&key, wl->w, wl->n, sizeof(*wl->w), cmp_str))
				return false;
		}
	return true;
}

/* The registrable domain, as the detector will pass it; a name that is a
 * public suffix itself is passed whole (the trainer does the same).  With
 * a word list, a name of the Conficker shape is tallied in *shaped
 * only in *raw, else in *cleaned as well. */
static void tally_name(const psl_ctx_t *psl, const struct wordlist *wl, char *name, struct tally *raw,
		       struct tally *cleaned)
{
	for (char *c = name; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	const char *reg = psl_registrable_domain(psl, name);
	if (!reg)
		reg = name;
	bool flag = generated(reg);
	raw->n++;
	raw->flagged += flag;
	if (cleaned && !(wl && conficker_shaped(wl, reg))) {
		cleaned->n++;
		cleaned->flagged += flag;
	}
}

/* count_file -- every line of a one-name-a-line file, or, for CSV rows
 * "class,family,domain", the rows of class want_class. */
static void count_file(const psl_ctx_t *psl, const struct wordlist *wl, const char *path, const char *want_class,
		       struct tally *raw, struct tally *cleaned)
{
	FILE *f = fopen(path, "r");
	cr_assert(f, "%s", path);
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *name = line;
		if (want_class) {
			char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
			if (!c2 || (size_t)(c1 - line) != strlen(want_class) || strncmp(line, want_class, strlen(want_class)))
				continue;
			name = c2 + 1;
		}
		if (*name)
			tally_name(psl, wl, name, raw, cleaned);
	}
	fclose(f);
}

static double rate(struct tally t) { return t.n ? (double)t.flagged / (double)t.n : 0; }

Test(dga, recall_and_false_positive_floors_on_the_shared_data, .timeout = 120)
{
	static const char csv_rel[] = "dga-domains/dga_domains_sample_netlab360_alexa.csv";
	static const char *const benign_rel[] = {
		"benign-domains-opendns/opendns-top-domains.txt",
		"benign-domains-opendns/opendns-random-domains.txt",
	};
	/* Raw and cleaned FPR ceilings per OpenDNS list. */
	static const double raw_max[] = {0.045, 0.006}, cleaned_max[] = {0.001, 0.0015};
	const char *p = shared(csv_rel);
	if (!p)
		cr_skip_test("../shared/data/%s not found (set VIGIL_SHARED_DATA)", csv_rel);
	char csv[PATH_MAX + 256];
	snprintf(csv, sizeof(csv), "%s", p);
	psl_ctx_t *latest = psl_latest(NULL);
	const psl_ctx_t *psl = latest ? latest : psl_builtin();
	cr_assert(psl, "libpsl has no public suffix list");
	struct wordlist words;
	bool have_words = words_load(&words);
	if (!have_words)
		cr_log_warn("%s not found (Debian's wamerican): the OpenDNS lists are checked raw only", WORDS_PATH);

	/* Measured with the committed model (most of these names were in its
	 * training split, so the figures are kinder than its held-out ones in
	 * dga_model.c): CSV recall 0.858, CSV legit FPR 0.0002, andrewaeva
	 * recall 0.971; OpenDNS top FPR 0.0428 raw (mostly Conficker's own
	 * names, which the model is right to flag) and 0.0003 cleaned, random
	 * 0.0059 raw and 0.0008 cleaned; benign FPR 0.0005 overall (CSV legit
	 * and the cleaned OpenDNS lists).  The floors sit a little below, the
	 * ceilings a little above; the raw ones were left where the
	 * regression alone had them (it flagged 0.0335 and 0.0025). */
	struct tally dga = {0}, legit = {0}, all_benign = {0};
	count_file(psl, NULL, csv, "dga", &dga, NULL);
	count_file(psl, NULL, csv, "legit", &legit, NULL);
	cr_expect_eq(dga.n, 4981, "CSV generated rows");
	cr_expect_eq(legit.n, 5019, "CSV legit rows");
	cr_expect(rate(dga) >= 0.85, "CSV recall %.4f (%zu/%zu) below 0.85", rate(dga), dga.flagged, dga.n);
	cr_expect(rate(legit) <= 0.001, "CSV legit FPR %.4f above 0.001", rate(legit));
	all_benign = legit;
	for (size_t i = 0; i < VG_ARRAY_LEN(benign_rel); i++) {
		const char *b = shared(benign_rel[i]);
		if (!b) {
			cr_log_warn("../shared/data/%s not found; skipped", benign_rel[i]);
			continue;
		}
		struct tally raw = {0}, cleaned = {0};
		count_file(psl, have_words ? &words : NULL, b, NULL, &raw, &cleaned);
		cr_log_info("%s: FPR %.4f raw (%zu/%zu), %.4f cleaned (%zu/%zu)", benign_rel[i], rate(raw), raw.flagged,
			    raw.n, rate(cleaned), cleaned.flagged, cleaned.n);
		cr_expect(rate(raw) <= raw_max[i], "%s: raw FPR %.4f above %.3f", benign_rel[i], rate(raw), raw_max[i]);
		if (have_words) {
			cr_expect(rate(cleaned) <= cleaned_max[i], "%s: cleaned FPR %.4f above %.4f", benign_rel[i],
				  rate(cleaned), cleaned_max[i]);
			all_benign.n += cleaned.n;
			all_benign.flagged += cleaned.flagged;
		}
	}
	cr_expect(rate(all_benign) <= 0.001, "benign FPR %.4f (%zu/%zu) above 0.001", rate(all_benign),
		  all_benign.flagged, all_benign.n);

	static const char *const families[] = {"conficker", "cryptolocker", "matsnu", "pushdo",
					       "ramdo",     "rovnix",       "tinba",  "zeus"};
	struct tally aeva = {0};
	for (size_t i = 0; i < VG_ARRAY_LEN(families); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "dga-domains/andrewaeva/%s_1000.txt", families[i]);
		const char *f = shared(rel);
		if (f)
			count_file(psl, NULL, f, NULL, &aeva, NULL);
	}
	cr_log_info("CSV recall %.4f, CSV legit FPR %.4f, benign FPR %.4f (%zu/%zu), andrewaeva recall %.4f",
		    rate(dga), rate(legit), rate(all_benign), all_benign.flagged, all_benign.n, rate(aeva));
	if (aeva.n)
		cr_expect(rate(aeva) >= 0.96, "andrewaeva recall %.4f (%zu/%zu) below 0.96", rate(aeva), aeva.flagged,
			  aeva.n);
	if (have_words)
		words_free(&words);
	psl_free(latest);
}
