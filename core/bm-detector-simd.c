/* bm-detector-simd.c: 8 neighbouring windows at once with AVX2.
 *
 * Each lane does exactly the scalar evaluator's IEEE operations (int→float conversion, float
 * multiply and add in the same order with no FMA, double stage sums, the same comparisons),
 * so the verdicts are bit-identical. Stage 0 runs for all 8 windows; OpenCV's skip rule is then
 * applied in order, and later stages run while any lane is still alive.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-detector-private.h"

static gboolean simd_enabled = TRUE;

void
bm_detector_set_simd_enabled (gboolean enabled)
{
  simd_enabled = enabled;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX2 __attribute__ ((target ("avx2")))
#define MAX_VECTOR_TREE_NODES 8
#define MAX_VECTOR_TREE_LEAVES 9

static AVX2 inline __m256i
load8 (const guint32 *p)
{
  return _mm256_loadu_si256 ((const __m256i *) p);
}

static AVX2 inline __m256i
rect_sum8 (const guint32 *p, const gint32 ofs[4])
{
  return _mm256_add_epi32 (_mm256_sub_epi32 (_mm256_sub_epi32 (load8 (p + ofs[0]), load8 (p + ofs[1])),
                                             load8 (p + ofs[2])),
                           load8 (p + ofs[3]));
}

static AVX2 inline __m256
haar_value8 (const BmHaarOpt *f, const guint32 *p, __m256 vnf)
{
  __m256 v = _mm256_add_ps (_mm256_mul_ps (_mm256_set1_ps (f->weight[0]), _mm256_cvtepi32_ps (rect_sum8 (p, f->ofs[0]))),
                            _mm256_mul_ps (_mm256_set1_ps (f->weight[1]), _mm256_cvtepi32_ps (rect_sum8 (p, f->ofs[1]))));

  if (f->weight[2] != 0.f)
    v = _mm256_add_ps (v, _mm256_mul_ps (_mm256_set1_ps (f->weight[2]), _mm256_cvtepi32_ps (rect_sum8 (p, f->ofs[2]))));
  return _mm256_mul_ps (v, vnf);
}

/* The next row of 4 corners (@r of the 4×4 grid) and the 3 cells between it and @top, which
 * then becomes that row: with d = bottom − top per column, a cell is d[right] − d[left]. */
#define LBP_CELLS(r, top, out0, out1, out2) \
  do { \
    __m256i b0 = load8 (p + o[(r) * 4 + 0]), b1 = load8 (p + o[(r) * 4 + 1]); \
    __m256i b2 = load8 (p + o[(r) * 4 + 2]), b3 = load8 (p + o[(r) * 4 + 3]); \
    __m256i d0 = _mm256_sub_epi32 (b0, top[0]), d1 = _mm256_sub_epi32 (b1, top[1]); \
    __m256i d2 = _mm256_sub_epi32 (b2, top[2]), d3 = _mm256_sub_epi32 (b3, top[3]); \
    out0 = _mm256_sub_epi32 (d1, d0); \
    out1 = _mm256_sub_epi32 (d2, d1); \
    out2 = _mm256_sub_epi32 (d3, d2); \
    top[0] = b0, top[1] = b1, top[2] = b2, top[3] = b3; \
  } while (0)

/* Bit @bit where cell >= centre, i.e. where not (centre > cell). */
#define LBP_BIT(cell, bit) _mm256_andnot_si256 (_mm256_cmpgt_epi32 (centre, cell), _mm256_set1_epi32 (bit))

/* All ones in lanes whose LBP code has its bit set in @subset. */
static AVX2 inline __m256i
lbp_left8 (const BmLbpOpt *f, const guint32 *subset, const guint32 *p)
{
  const gint32 *o = f->ofs;
  __m256i c00, c01, c02, c10, centre, c12, c20, c21, c22;
  __m256i code, words, bits;
  __m256i row[4] = { load8 (p + o[0]), load8 (p + o[1]), load8 (p + o[2]), load8 (p + o[3]) };

  LBP_CELLS (1, row, c00, c01, c02);
  LBP_CELLS (2, row, c10, centre, c12);
  LBP_CELLS (3, row, c20, c21, c22);

  code = _mm256_or_si256 (_mm256_or_si256 (_mm256_or_si256 (LBP_BIT (c00, 128), LBP_BIT (c01, 64)),
                                           _mm256_or_si256 (LBP_BIT (c02, 32), LBP_BIT (c12, 16))),
                          _mm256_or_si256 (_mm256_or_si256 (LBP_BIT (c22, 8), LBP_BIT (c21, 4)),
                                           _mm256_or_si256 (LBP_BIT (c20, 2), LBP_BIT (c10, 1))));
  words = _mm256_permutevar8x32_epi32 (_mm256_loadu_si256 ((const __m256i *) subset), _mm256_srli_epi32 (code, 5));
  bits = _mm256_and_si256 (_mm256_srlv_epi32 (words, _mm256_and_si256 (code, _mm256_set1_epi32 (31))),
                           _mm256_set1_epi32 (1));
  return _mm256_cmpeq_epi32 (bits, _mm256_set1_epi32 (1));
}

static AVX2 inline __m256
goes_left8 (const BmScan *scan, int n, const guint32 *p, __m256 vnf)
{
  const BmCascadeNode *node = &scan->cascade->nodes[n];

  if (scan->cascade->type == BM_CASCADE_LBP)
    return _mm256_castsi256_ps (lbp_left8 (&scan->lbp[node->feature], node->subset, p));
  return _mm256_cmp_ps (haar_value8 (&scan->node_haar[n], p, vnf), _mm256_set1_ps (node->threshold), _CMP_LT_OQ);
}

/* The leaf each lane reaches in tree @t. Nodes are visited in index order, which is enough as
 * every child comes after its parent; nodes no lane reaches are not evaluated. */
static AVX2 __m256
tree_leaf8 (const BmScan *scan, int t, const guint32 *p, __m256 vnf)
{
  const BmCascade *c = scan->cascade;
  const BmCascadeTree *tree = &c->trees[t];
  __m256i idx = _mm256_setzero_si256 ();
  __m256 leaf = _mm256_setzero_ps ();

  for (int j = 0; j < tree->n_nodes; j++)
    {
      const BmCascadeNode *node = &c->nodes[tree->first_node + j];
      __m256i here = _mm256_cmpeq_epi32 (idx, _mm256_set1_epi32 (j));
      __m256 left;
      __m256i next;

      if (j > 0 && _mm256_testz_si256 (here, here))
        continue;
      left = goes_left8 (scan, tree->first_node + j, p, vnf);
      next = _mm256_castps_si256 (_mm256_blendv_ps (_mm256_castsi256_ps (_mm256_set1_epi32 (node->right)),
                                                    _mm256_castsi256_ps (_mm256_set1_epi32 (node->left)), left));
      idx = _mm256_castps_si256 (_mm256_blendv_ps (_mm256_castsi256_ps (idx), _mm256_castsi256_ps (next),
                                                   _mm256_castsi256_ps (here)));
    }
  for (int l = 0; l < tree->n_leaves; l++)
    leaf = _mm256_blendv_ps (leaf, _mm256_set1_ps (c->leaves[tree->first_leaf + l]),
                             _mm256_castsi256_ps (_mm256_cmpeq_epi32 (idx, _mm256_set1_epi32 (-l))));
  return leaf;
}

static AVX2 inline __m256
stump_leaf8 (const BmScan *scan, const BmStump *s, const guint32 *p, __m256 vnf)
{
  __m256 left;

  if (scan->cascade->type == BM_CASCADE_LBP)
    left = _mm256_castsi256_ps (lbp_left8 (&scan->lbp[s->feature], scan->cascade->nodes[s->node].subset, p));
  else
    left = _mm256_cmp_ps (haar_value8 (&s->haar, p, vnf), _mm256_set1_ps (s->threshold), _CMP_LT_OQ);
  return _mm256_blendv_ps (_mm256_set1_ps (s->right), _mm256_set1_ps (s->left), left);
}

/* Bit mask of the lanes that stage @si passes. */
static AVX2 guint
stage8 (const BmScan *scan, int si, const guint32 *p, __m256 vnf)
{
  const BmCascadeStage *stage = &scan->cascade->stages[si];
  __m256d lo = _mm256_setzero_pd (), hi = _mm256_setzero_pd ();
  __m256d threshold = _mm256_set1_pd ((double) stage->threshold);

  for (int t = 0; t < stage->n_trees; t++)
    {
      int tree = stage->first_tree + t;
      __m256 leaf = scan->stumps != NULL ? stump_leaf8 (scan, &scan->stumps[tree], p, vnf)
                                         : tree_leaf8 (scan, tree, p, vnf);

      lo = _mm256_add_pd (lo, _mm256_cvtps_pd (_mm256_castps256_ps128 (leaf)));
      hi = _mm256_add_pd (hi, _mm256_cvtps_pd (_mm256_extractf128_ps (leaf, 1)));
    }
  return ~((guint) _mm256_movemask_pd (_mm256_cmp_pd (lo, threshold, _CMP_LT_OQ))
           | (guint) _mm256_movemask_pd (_mm256_cmp_pd (hi, threshold, _CMP_LT_OQ)) << 4) & 0xff;
}

/* OpenCV's variance test on 4 lanes: valid-lane bits and the float factors. */
static AVX2 inline guint
norm4 (__m128i s1, __m128i s2, double area, __m128 *vnf)
{
  __m256d a = _mm256_set1_pd (area);
  __m256d sum = _mm256_cvtepi32_pd (s1);
  /* uint32 → double, exactly */
  __m256d sq = _mm256_add_pd (_mm256_cvtepi32_pd (_mm_xor_si128 (s2, _mm_set1_epi32 ((int) 0x80000000u))),
                              _mm256_set1_pd (2147483648.0));
  __m256d nf = _mm256_sub_pd (_mm256_mul_pd (a, sq), _mm256_mul_pd (sum, sum));
  __m256d positive = _mm256_cmp_pd (nf, _mm256_setzero_pd (), _CMP_GT_OQ);
  __m256d safe = _mm256_blendv_pd (_mm256_set1_pd (1.0), nf, positive);
  __m128 f = _mm256_cvtpd_ps (_mm256_div_pd (_mm256_set1_pd (1.0), _mm256_sqrt_pd (safe)));
  __m256d small = _mm256_cmp_pd (_mm256_mul_pd (a, _mm256_cvtps_pd (f)), _mm256_set1_pd (1e-1), _CMP_LT_OQ);

  *vnf = f;
  return (guint) _mm256_movemask_pd (_mm256_and_pd (positive, small));
}

static AVX2 guint
haar_norm8 (const BmScan *scan, const guint32 *p, __m256 *vnf)
{
  __m256i s1 = rect_sum8 (p, scan->norm_ofs);
  __m256i s2 = rect_sum8 (p, scan->norm_sq_ofs);
  __m128 lo, hi;
  guint valid = norm4 (_mm256_castsi256_si128 (s1), _mm256_castsi256_si128 (s2), scan->norm_area, &lo);

  valid |= norm4 (_mm256_extracti128_si256 (s1, 1), _mm256_extracti128_si256 (s2, 1), scan->norm_area, &hi) << 4;
  *vnf = _mm256_insertf128_ps (_mm256_castps128_ps256 (lo), hi, 1);
  return valid;
}

static AVX2 guint
batch_avx2 (const BmScan *scan, const guint32 *p, int n_lanes, gboolean *skip_next)
{
  const BmCascade *c = scan->cascade;
  guint lanes = (1u << n_lanes) - 1;
  guint valid = lanes, pass0 = 0, alive = 0;
  __m256 vnf = _mm256_set1_ps (1.f);

  if (c->type == BM_CASCADE_HAAR)
    valid &= haar_norm8 (scan, p, &vnf);
  if (valid != 0)
    pass0 = stage8 (scan, 0, p, vnf) & valid;

  /* OpenCV's order: a window right after a stage-0 rejection is not tried at all. */
  for (int i = 0; i < n_lanes; i++)
    {
      if (*skip_next)
        *skip_next = FALSE;
      else if (valid & (1u << i))
        {
          if (pass0 & (1u << i))
            alive |= 1u << i;
          else
            *skip_next = TRUE;
        }
    }

  /* Lanes that die keep being computed (their loads are the neighbours' anyway) until the
   * batch is empty; measured faster than finishing the last few windows one by one. */
  for (int si = 1; si < c->n_stages && alive != 0; si++)
    alive &= stage8 (scan, si, p, vnf);
  return alive;
}

static gboolean
cpu_has_avx2 (void)
{
  static gsize checked = 0;
  static gboolean has = FALSE;

  if (g_once_init_enter (&checked))
    {
      __builtin_cpu_init ();
      has = __builtin_cpu_supports ("avx2");
      g_once_init_leave (&checked, 1);
    }
  return has;
}

static gboolean
trees_fit_vectors (const BmCascade *cascade)
{
  for (int t = 0; t < cascade->n_trees; t++)
    if (cascade->trees[t].n_nodes > MAX_VECTOR_TREE_NODES || cascade->trees[t].n_leaves > MAX_VECTOR_TREE_LEAVES)
      return FALSE;
  return TRUE;
}

gboolean
bm_detector_simd_usable (const BmCascade *cascade)
{
  return simd_enabled && cpu_has_avx2 () && trees_fit_vectors (cascade);
}

gboolean
bm_detector_simd_cpu (void)
{
  return simd_enabled && cpu_has_avx2 ();
}

static AVX2 int
vertical_avx2 (const guint16 *h0, const guint16 *h1, guint32 c0, guint32 c1, guint8 *out, int width)
{
  __m256i k0 = _mm256_set1_epi32 ((int) c0), k1 = _mm256_set1_epi32 ((int) c1);
  __m256i half = _mm256_set1_epi32 (32768);
  int x = 0;

  for (; x + 16 <= width; x += 16)
    {
      __m256i a = _mm256_loadu_si256 ((const __m256i *) (h0 + x));
      __m256i b = _mm256_loadu_si256 ((const __m256i *) (h1 + x));
      __m256i lo = _mm256_add_epi32 (_mm256_add_epi32 (_mm256_mullo_epi32 (_mm256_cvtepu16_epi32 (_mm256_castsi256_si128 (a)), k0),
                                                       _mm256_mullo_epi32 (_mm256_cvtepu16_epi32 (_mm256_castsi256_si128 (b)), k1)),
                                     half);
      __m256i hi = _mm256_add_epi32 (_mm256_add_epi32 (_mm256_mullo_epi32 (_mm256_cvtepu16_epi32 (_mm256_extracti128_si256 (a, 1)), k0),
                                                       _mm256_mullo_epi32 (_mm256_cvtepu16_epi32 (_mm256_extracti128_si256 (b, 1)), k1)),
                                     half);
      /* 16-bit results, restored to pixel order after the in-lane pack. */
      __m256i words = _mm256_permute4x64_epi64 (_mm256_packus_epi32 (_mm256_srli_epi32 (lo, 16), _mm256_srli_epi32 (hi, 16)), 0xd8);
      __m128i bytes = _mm_packus_epi16 (_mm256_castsi256_si128 (words), _mm256_extracti128_si256 (words, 1));

      _mm_storeu_si128 ((__m128i *) (out + x), bytes);
    }
  return x;
}

static AVX2 int
horizontal_avx2 (const guint8 *row, const gint32 *ofs, const gint32 *weights, guint16 *out, int width)
{
  __m256i low_byte = _mm256_set1_epi32 (0xff), second_byte = _mm256_set1_epi32 (0xff00);
  int x = 0;

  for (; x + 8 <= width; x += 8)
    {
      __m256i words = _mm256_i32gather_epi32 ((const int *) row, _mm256_loadu_si256 ((const __m256i *) (ofs + x)), 1);
      /* p[i] in the low 16 bits, p[i+1] in the high 16: one madd gives c0·p[i] + c1·p[i+1]. */
      __m256i pairs = _mm256_or_si256 (_mm256_and_si256 (words, low_byte),
                                       _mm256_slli_epi32 (_mm256_and_si256 (words, second_byte), 8));
      __m256i sums = _mm256_madd_epi16 (pairs, _mm256_loadu_si256 ((const __m256i *) (weights + x)));
      __m256i packed = _mm256_permute4x64_epi64 (_mm256_packus_epi32 (sums, sums), 0x08);

      _mm_storeu_si128 ((__m128i *) (out + x), _mm256_castsi256_si128 (packed));
    }
  return x;
}

int
bm_detector_simd_horizontal (const guint8 *row, const gint32 *ofs, const gint32 *weights, guint16 *out, int width)
{
  return horizontal_avx2 (row, ofs, weights, out, width);
}

int
bm_detector_simd_vertical (const guint16 *h0, const guint16 *h1, guint32 c0, guint32 c1, guint8 *out, int width)
{
  return vertical_avx2 (h0, h1, c0, c1, out, width);
}

guint
bm_detector_simd_batch (const BmScan *scan, const guint32 *p, int n_lanes, gboolean *skip_next)
{
  return batch_avx2 (scan, p, n_lanes, skip_next);
}

#else

gboolean
bm_detector_simd_usable (const BmCascade *cascade)
{
  return FALSE;
}

gboolean
bm_detector_simd_cpu (void)
{
  return FALSE;
}

int
bm_detector_simd_vertical (const guint16 *h0, const guint16 *h1, guint32 c0, guint32 c1, guint8 *out, int width)
{
  return 0;
}

int
bm_detector_simd_horizontal (const guint8 *row, const gint32 *ofs, const gint32 *weights, guint16 *out, int width)
{
  return 0;
}

guint
bm_detector_simd_batch (const BmScan *scan, const guint32 *p, int n_lanes, gboolean *skip_next)
{
  g_assert_not_reached ();
  return 0;
}

#endif
