/*
 * fuzz_dga.c -- libFuzzer target for the DGA classifier (detect/dga.h).
 *
 * The input is taken whole as a registrable domain and scored with the
 * committed model; the slot list the trainer uses (label n-grams, words,
 * shape, suffix and suffix-length buckets) is read for it too.  A score
 * must be a number in [0, 1] and the scoring passes must read the slots
 * vg_dga_ngrams lists; the second stage's inputs must be the features and
 * a finite logit, and its trees, walked here one node at a time, must
 * give the score; anything else aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg.h"
#include "detect/dga.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str in = {(const char *)data, size};
	double s = vg_dga_score(NULL, in);
	if (!(s >= 0 && s <= 1))
		abort();
	if (vg_dga_is_generated(NULL, in) != (s >= vg_dga_builtin.threshold))
		abort();

	struct vg_str label = vg_dga_label(in);
	if (label.n > in.n || (label.n < in.n && data[label.n] != '.'))
		abort();
	struct vg_dga_ngrams g;
	vg_dga_ngrams(&vg_dga_builtin, in, &g);
	if (g.suffix >= VG_DGA_SUFFIXES || g.suffix_length >= VG_DGA_SUFFIX_LENGTHS || g.shape >= VG_DGA_SHAPES ||
	    g.shape_suffix >= VG_DGA_SHAPE_SUFFIXES || g.n_word > VG_DGA_MAX_WORDS)
		abort();
	long bi = 0;
	for (unsigned k = 0; k < g.n_bigram; k++) {
		if (g.bigram[k] >= VG_DGA_BIGRAMS)
			abort();
		bi += vg_dga_builtin.bigram[g.bigram[k]];
	}
	for (unsigned k = 0; k < g.n_trigram; k++)
		if (g.trigram[k] >= VG_DGA_TRIGRAMS)
			abort();
	for (unsigned k = 0; k < g.n_quadgram; k++)
		if (g.quadgram[k] >= VG_DGA_QUADGRAMS)
			abort();
	for (unsigned k = 0; k < g.n_quintgram; k++)
		if (g.quintgram[k] >= VG_DGA_QUINTGRAMS)
			abort();
	long words = 0;
	for (unsigned k = 0; k < g.n_word; k++) {
		if (g.word[k] >= VG_DGA_WORDS)
			abort();
		words += vg_dga_builtin.word[g.word[k]];
	}
	double f[VG_DGA_NFEATURES];
	vg_dga_features(&vg_dga_builtin, in, f);
	if (f[VG_DGA_F_BIGRAM] != (double)bi || f[VG_DGA_F_WORD] != (double)words ||
	    f[VG_DGA_F_NWORDS] != (double)g.n_word || !(f[VG_DGA_F_COVER] >= 0 && f[VG_DGA_F_COVER] <= 1))
		abort();
	if (label.n && (f[VG_DGA_F_SUFFIX] != vg_dga_builtin.suffix[g.suffix] ||
			f[VG_DGA_F_SUFFIX_LENGTH] != vg_dga_builtin.suffix_length[g.suffix_length] ||
			f[VG_DGA_F_SHAPE] != vg_dga_builtin.shape[g.shape] ||
			f[VG_DGA_F_SHAPE_SUFFIX] != vg_dga_builtin.shape_suffix[g.shape_suffix]))
		abort();
	for (int k = 0; k < VG_DGA_NFEATURES; k++)
		if (!isfinite(f[k]))
			abort();

	double x[VG_DGA_INPUTS];
	vg_dga_inputs(&vg_dga_builtin, in, x);
	for (int k = 0; k < VG_DGA_NFEATURES; k++)
		if (x[k] != f[k])
			abort();
	if (!isfinite(x[VG_DGA_F_LOGIT]))
		abort();
	const struct vg_dga_model *m = &vg_dga_builtin;
	double z = m->tree_bias;
	for (unsigned t = 0; t < m->n_trees; t++) {
		unsigned i = 0;
		while (i < VG_DGA_TREE_NODES) {
			if (m->tree[t].feature[i] >= VG_DGA_INPUTS)
				abort();
			i = x[m->tree[t].feature[i]] <= m->tree[t].split[i] ? 2 * i + 1 : 2 * i + 2;
		}
		z += m->tree[t].leaf[i - VG_DGA_TREE_NODES];
	}
	double trees = vg_dga_trees(m, x);
	if (!isfinite(trees) || fabs(trees - z) > 1e-9)
		abort();
	if (label.n && fabs(s - 1 / (1 + exp(-trees))) > 1e-12)
		abort();
	return 0;
}
