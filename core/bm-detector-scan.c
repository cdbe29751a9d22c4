/* bm-detector-scan.c: one scale of OpenCV's cascade scan.
 *
 * The image is resized (INTER_LINEAR_EXACT), its integrals are built (sum and squared sum wrap
 * modulo 2³² like OpenCV's int32 images; differences over a window stay exact), and every window
 * origin is tried in OpenCV's order: step 2 below scale 2 and 1 above, one extra step after a
 * window that stage 0 rejects. Feature values use float arithmetic in OpenCV's order and stage
 * sums use double, so each window gets exactly OpenCV's verdict.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-detector-private.h"

/* Room after the integrals for 8-wide loads past the last window. */
#define LOAD_PADDING 16

struct _BmScanBuffers
{
  guint8 *image;
  gsize image_size;
  guint32 *integral;       /* sum plane, then squared sum, then tilted, in the scan layout */
  gsize integral_size;
  guint32 *work;           /* rows and diagonal sums while building the integrals */
  gsize work_size;
  BmHaarOpt *haar;
  BmLbpOpt *lbp;
  BmStump *stumps;
  BmHaarOpt *node_haar;
  const BmCascade *prepared_for;
};

/* Where corner (row, col) of plane @plane lies relative to a window origin. */
typedef struct
{
  gboolean split;
  gsize plane;             /* elements per plane (per half when split) */
  gsize row;               /* elements per row (per half row when split) */
} Layout;

BmScanBuffers *
bm_scan_buffers_new (void)
{
  return g_new0 (BmScanBuffers, 1);
}

void
bm_scan_buffers_free (BmScanBuffers *buffers)
{
  if (buffers == NULL)
    return;
  g_free (buffers->image);
  g_free (buffers->integral);
  g_free (buffers->work);
  g_free (buffers->haar);
  g_free (buffers->lbp);
  g_free (buffers->stumps);
  g_free (buffers->node_haar);
  g_free (buffers);
}

static void *
ensure_size (void *block, gsize *current, gsize wanted)
{
  if (wanted <= *current)
    return block;
  g_free (block);
  *current = wanted;
  return g_malloc (wanted);
}

static gint32
corner (const Layout *l, int plane, int row, int col)
{
  if (!l->split)
    return (gint32) (plane * l->plane + row * l->row + col);
  return (gint32) (plane * 2 * l->plane + (col & 1) * l->plane + row * l->row + (col >> 1));
}

/* ---- integrals ---- */

/* Stores row @y of plane @plane (w + 1 values) in the scan layout. */
static void
put_row (guint32 *dst, const Layout *l, int plane, int y, const guint32 *row, int w)
{
  if (!l->split)
    {
      memcpy (dst + corner (l, plane, y, 0), row, sizeof (guint32) * (gsize) (w + 1));
      return;
    }
  {
    guint32 *even = dst + corner (l, plane, y, 0);
    guint32 *odd = dst + corner (l, plane, y, 1);

    for (int x = 0; x <= w; x += 2)
      even[x >> 1] = row[x];
    for (int x = 1; x <= w; x += 2)
      odd[x >> 1] = row[x];
    if (((w + 1) & 1) != 0)
      odd[(w + 1) >> 1] = 0;
  }
}

/* Builds the integral planes row by row straight into the scan layout: the sum S, the squared
 * sum Q (Haar) and the tilted sum T (Haar with tilted features).
 *
 * T(X, Y) is the sum of the pixels in the 45° triangle pointing up from (X−1, Y−1), i.e. rows
 * y < Y with |x − (X−1)| ≤ Y−1−y. Each row's part is a difference of that row's prefix sums P,
 * so T(X, Y) = A[X+Y−1] − B[X−Y], with A and B running sums of P along the two diagonals. */
static void
compute_integrals (const guint8 *img, int w, int h, int planes, guint32 *dst, const Layout *l, guint32 *work)
{
  gsize n_diag = (gsize) w + h + 1;
  guint32 *s0 = work, *s1 = s0 + w + 1;          /* S rows y and y + 1 */
  guint32 *q0 = s1 + w + 1, *q1 = q0 + w + 1;
  guint32 *t = q1 + w + 1;
  guint32 *a = t + w + 1;                         /* a[k + 1] = A[k], k in [−1, w + h − 1] */
  guint32 *b = a + n_diag;                        /* b[m + h] = B[m], m in [−h, w] */

  memset (s0, 0, sizeof (guint32) * (gsize) (w + 1));
  memset (q0, 0, sizeof (guint32) * (gsize) (w + 1));
  for (int p = 0; p < planes; p++)
    put_row (dst, l, p, 0, s0, w);
  if (planes == 3)
    memset (a, 0, sizeof (guint32) * 2 * n_diag);

  for (int y = 0; y < h; y++)
    {
      const guint8 *row = img + (gsize) y * w;
      guint32 run = 0, run_sq = 0;
      guint32 *swap;

      s1[0] = 0;
      for (int x = 0; x < w; x++)
        {
          run += row[x];
          s1[x + 1] = s0[x + 1] + run;
        }
      put_row (dst, l, 0, y + 1, s1, w);
      if (planes >= 2)
        {
          q1[0] = 0;
          for (int x = 0; x < w; x++)
            {
              run_sq += (guint32) row[x] * row[x];
              q1[x + 1] = q0[x + 1] + run_sq;
            }
          put_row (dst, l, 1, y + 1, q1, w);
        }
      if (planes == 3)
        {
          /* P_y(k) = S(k, y+1) − S(k, y), clamped to k in [0, w]. */
          guint32 total = s1[w] - s0[w];
          int Y = y + 1;

          for (gsize i = 0; i < n_diag; i++)
            {
              int k = (int) i - 1 - y;      /* argument of P for A[i − 1] */
              int m = (int) i - h + y;      /* argument of P for B[i − h] */

              a[i] += k <= 0 ? 0 : k >= w ? total : s1[k] - s0[k];
              b[i] += m <= 0 ? 0 : m >= w ? total : s1[m] - s0[m];
            }
          for (int X = 0; X <= w; X++)
            t[X] = a[X + Y] - b[X - Y + h];
          put_row (dst, l, 2, Y, t, w);
        }
      swap = s0, s0 = s1, s1 = swap;
      swap = q0, q0 = q1, q1 = swap;
    }
}

/* ---- features at this scale ---- */

static void
prepare_haar (BmScanBuffers *b, const BmCascade *c, const Layout *l)
{
  for (int f = 0; f < c->n_features; f++)
    {
      const BmCascadeHaarFeature *src = &c->haar_features[f];
      BmHaarOpt *opt = &b->haar[f];

      for (int r = 0; r < 3; r++)
        {
          const BmCascadeRect *rect = &src->rect[r];
          int x = rect->x, y = rect->y, w = rect->w, h = rect->h;

          opt->weight[r] = rect->weight;
          if (rect->weight == 0.f)
            x = y = w = h = 0;
          if (src->tilted && rect->weight != 0.f)
            {
              opt->ofs[r][0] = corner (l, 2, y, x);
              opt->ofs[r][1] = corner (l, 2, y + h, x - h);
              opt->ofs[r][2] = corner (l, 2, y + w, x + w);
              opt->ofs[r][3] = corner (l, 2, y + w + h, x + w - h);
            }
          else
            {
              opt->ofs[r][0] = corner (l, 0, y, x);
              opt->ofs[r][1] = corner (l, 0, y, x + w);
              opt->ofs[r][2] = corner (l, 0, y + h, x);
              opt->ofs[r][3] = corner (l, 0, y + h, x + w);
            }
        }
    }
}

static void
prepare_lbp (BmScanBuffers *b, const BmCascade *c, const Layout *l)
{
  for (int f = 0; f < c->n_features; f++)
    {
      const BmCascadeLbpFeature *src = &c->lbp_features[f];

      for (int r = 0; r < 4; r++)
        for (int k = 0; k < 4; k++)
          b->lbp[f].ofs[r * 4 + k] = corner (l, 0, src->y + r * src->h, src->x + k * src->w);
    }
}

static void
prepare_stumps (BmScanBuffers *b, const BmCascade *c)
{
  for (int t = 0; t < c->n_trees; t++)
    {
      const BmCascadeTree *tree = &c->trees[t];
      const BmCascadeNode *node = &c->nodes[tree->first_node];

      b->stumps[t] = (BmStump) { { { { 0 } } }, node->feature, tree->first_node, node->threshold,
                                 c->leaves[tree->first_leaf], c->leaves[tree->first_leaf + 1] };
    }
}

/* ---- evaluation of one window ---- */

static inline gint32
rect_sum (const guint32 *p, const gint32 ofs[4])
{
  return (gint32) (p[ofs[0]] - p[ofs[1]] - p[ofs[2]] + p[ofs[3]]);
}

static inline float
haar_value (const BmHaarOpt *f, const guint32 *p, float vnf)
{
  float v = f->weight[0] * (float) rect_sum (p, f->ofs[0]) + f->weight[1] * (float) rect_sum (p, f->ofs[1]);

  if (f->weight[2] != 0.f)
    v = v + f->weight[2] * (float) rect_sum (p, f->ofs[2]);
  return v * vnf;
}

static inline int
lbp_code (const BmLbpOpt *f, const guint32 *p)
{
  const gint32 *o = f->ofs;
#define CELL(r, c) ((gint32) (p[o[(r) * 4 + (c)]] - p[o[(r) * 4 + (c) + 1]] - p[o[((r) + 1) * 4 + (c)]] + p[o[((r) + 1) * 4 + (c) + 1]]))
  gint32 centre = CELL (1, 1);

  return (CELL (0, 0) >= centre ? 128 : 0) | (CELL (0, 1) >= centre ? 64 : 0)
         | (CELL (0, 2) >= centre ? 32 : 0) | (CELL (1, 2) >= centre ? 16 : 0)
         | (CELL (2, 2) >= centre ? 8 : 0) | (CELL (2, 1) >= centre ? 4 : 0)
         | (CELL (2, 0) >= centre ? 2 : 0) | (CELL (1, 0) >= centre ? 1 : 0);
#undef CELL
}

static inline gboolean
node_goes_left (const BmScan *scan, int n, const guint32 *p, float vnf)
{
  const BmCascadeNode *node = &scan->cascade->nodes[n];

  if (scan->cascade->type == BM_CASCADE_LBP)
    {
      int code = lbp_code (&scan->lbp[node->feature], p);
      return (node->subset[code >> 5] >> (code & 31)) & 1;
    }
  return haar_value (&scan->node_haar[n], p, vnf) < node->threshold;
}

/* OpenCV's variance test: FALSE for a flat window (σ below about 10 grey levels). */
static inline gboolean
haar_norm_factor (const BmScan *scan, const guint32 *p, float *vnf)
{
  gint32 s1 = rect_sum (p, scan->norm_ofs);
  guint32 s2 = (guint32) rect_sum (p, scan->norm_sq_ofs);
  double nf = scan->norm_area * (double) s2 - (double) s1 * (double) s1;

  if (!(nf > 0.))
    return FALSE;
  *vnf = (float) (1. / sqrt (nf));
  return scan->norm_area * (double) *vnf < 1e-1;
}

/* 0 when stage @si rejects the window. */
static inline gboolean
run_stage (const BmScan *scan, int si, const guint32 *p, float vnf)
{
  const BmCascade *c = scan->cascade;
  const BmCascadeStage *stage = &c->stages[si];
  double sum = 0;

  if (scan->stumps != NULL && c->type == BM_CASCADE_HAAR)
    {
      const BmStump *s = &scan->stumps[stage->first_tree];
      for (int t = 0; t < stage->n_trees; t++, s++)
        sum += haar_value (&s->haar, p, vnf) < s->threshold ? s->left : s->right;
    }
  else if (scan->stumps != NULL)
    {
      const BmStump *s = &scan->stumps[stage->first_tree];
      for (int t = 0; t < stage->n_trees; t++, s++)
        {
          const guint32 *subset = c->nodes[s->node].subset;
          int code = lbp_code (&scan->lbp[s->feature], p);
          sum += (subset[code >> 5] >> (code & 31)) & 1 ? s->left : s->right;
        }
    }
  else
    {
      for (int t = 0; t < stage->n_trees; t++)
        {
          const BmCascadeTree *tree = &c->trees[stage->first_tree + t];
          int idx = 0;

          do
            {
              const BmCascadeNode *node = &c->nodes[tree->first_node + idx];
              idx = node_goes_left (scan, tree->first_node + idx, p, vnf) ? node->left : node->right;
            }
          while (idx > 0);
          sum += c->leaves[tree->first_leaf - idx];
        }
    }
  return !(sum < (double) stage->threshold);
}

/* Stages @first_stage… of the window at @p. */
static gboolean
run_stages (const BmScan *scan, const guint32 *p, float vnf, int first_stage)
{
  for (int si = first_stage; si < scan->cascade->n_stages; si++)
    if (!run_stage (scan, si, p, vnf))
      return FALSE;
  return TRUE;
}

/* 1 = every stage passed, 0 = stage 0 rejected, −1 = a later stage rejected or a flat Haar
 * window (OpenCV's runAt gives −i for stage i; only 0 matters to the scan). */
static int
run_window (const BmScan *scan, const guint32 *p)
{
  float vnf = 1.f;

  if (scan->cascade->type == BM_CASCADE_HAAR && !haar_norm_factor (scan, p, &vnf))
    return -1;
  if (!run_stage (scan, 0, p, vnf))
    return 0;
  return run_stages (scan, p, vnf, 1) ? 1 : -1;
}

/* ---- the scale ---- */

static void
prepare_feature_tables (BmScanBuffers *b, const BmCascade *c)
{
  if (b->prepared_for == c)
    return;
  g_clear_pointer (&b->haar, g_free);
  g_clear_pointer (&b->lbp, g_free);
  g_clear_pointer (&b->stumps, g_free);
  g_clear_pointer (&b->node_haar, g_free);
  if (c->type == BM_CASCADE_HAAR)
    b->haar = g_new0 (BmHaarOpt, MAX (c->n_features, 1));
  if (c->type == BM_CASCADE_HAAR && !c->all_stumps)
    b->node_haar = g_new0 (BmHaarOpt, MAX (c->n_nodes, 1));
  else
    b->lbp = g_new0 (BmLbpOpt, MAX (c->n_features, 1));
  if (c->all_stumps)
    {
      b->stumps = g_new (BmStump, MAX (c->n_trees, 1));
      prepare_stumps (b, c);
    }
  b->prepared_for = c;
}

static void
scan_rows (const BmScan *scan, int n_positions, int step, int y_end, gboolean simd,
           GCancellable *cancellable, GArray *hits)
{
  for (int y = 0; y < y_end && !g_cancellable_is_cancelled (cancellable); y += step)
    {
      const guint32 *row = scan->base + (gsize) y * scan->row_stride;
      gboolean skip = FALSE;

      if (simd)
        {
          for (int k0 = 0; k0 < n_positions; k0 += 8)
            {
              guint found = bm_detector_simd_batch (scan, row + k0, MIN (8, n_positions - k0), &skip);

              for (int i = 0; found != 0; i++, found >>= 1)
                if (found & 1)
                  {
                    int xy[2] = { (k0 + i) * step, y };
                    g_array_append_vals (hits, xy, 2);
                  }
            }
          continue;
        }
      for (int k = 0; k < n_positions; k++)
        {
          int result;

          if (skip)
            {
              skip = FALSE;
              continue;
            }
          result = run_window (scan, row + k);
          if (result > 0)
            {
              int xy[2] = { k * step, y };
              g_array_append_vals (hits, xy, 2);
            }
          else if (result == 0)
            skip = TRUE;
        }
    }
}

void
bm_detector_scan_scale (const BmCascade *cascade, BmScanBuffers *buffers,
                        const guint8 *pixels, int width, int height, int stride,
                        int scaled_width, int scaled_height, int step, int y_end,
                        GCancellable *cancellable, GArray *hits)
{
  int sw = scaled_width, sh = scaled_height;
  int ww = MAX (sw + 1 - cascade->width, 0);
  int planes = cascade->type == BM_CASCADE_LBP ? 1 : cascade->has_tilted ? 3 : 2;
  gsize plane = (gsize) (sw + 1) * (sh + 1);
  gsize integral_size;
  gboolean simd = bm_detector_simd_usable (cascade);
  Layout layout;
  BmScan scan = { 0 };

  if (ww == 0 || y_end <= 0)
    return;
  buffers->image = ensure_size (buffers->image, &buffers->image_size, (gsize) sw * sh + 1);
  buffers->work = ensure_size (buffers->work, &buffers->work_size,
                               sizeof (guint32) * (5 * (gsize) (sw + 1) + 2 * (gsize) (sw + sh + 1)));
  if (step == 2)
    {
      gsize half_row = (gsize) (sw + 2) / 2;
      layout = (Layout) { TRUE, half_row * (sh + 1), half_row };
    }
  else
    layout = (Layout) { FALSE, plane, (gsize) sw + 1 };
  /* Planes are 2 · layout.plane apart when split, layout.plane apart otherwise. */
  integral_size = (layout.split ? 2 : 1) * layout.plane * planes;
  if (integral_size + LOAD_PADDING > G_MAXINT32)
    {
      g_warning ("Image too large for the detector: %d×%d at one scale", sw, sh);
      return;
    }
  buffers->integral = ensure_size (buffers->integral, &buffers->integral_size,
                                   sizeof (guint32) * (integral_size + LOAD_PADDING));
  memset (buffers->integral + integral_size, 0, sizeof (guint32) * LOAD_PADDING);
  prepare_feature_tables (buffers, cascade);

  bm_detector_resize_exact (pixels, width, height, stride, buffers->image, sw, sh, sw);
  compute_integrals (buffers->image, sw, sh, planes, buffers->integral, &layout, buffers->work);
  scan.base = buffers->integral;

  scan.cascade = cascade;
  scan.row_stride = layout.row;
  if (cascade->type == BM_CASCADE_HAAR)
    {
      int nw = cascade->width - 2, nh = cascade->height - 2;

      scan.norm_ofs[0] = corner (&layout, 0, 1, 1);
      scan.norm_ofs[1] = corner (&layout, 0, 1, 1 + nw);
      scan.norm_ofs[2] = corner (&layout, 0, 1 + nh, 1);
      scan.norm_ofs[3] = corner (&layout, 0, 1 + nh, 1 + nw);
      for (int i = 0; i < 4; i++)
        scan.norm_sq_ofs[i] = scan.norm_ofs[i] + (gint32) (layout.split ? 2 * layout.plane : layout.plane);
      scan.norm_area = (double) nw * nh;
      prepare_haar (buffers, cascade, &layout);
      scan.haar = buffers->haar;
      for (int t = 0; buffers->stumps != NULL && t < cascade->n_trees; t++)
        buffers->stumps[t].haar = buffers->haar[buffers->stumps[t].feature];
      for (int n = 0; buffers->node_haar != NULL && n < cascade->n_nodes; n++)
        buffers->node_haar[n] = buffers->haar[cascade->nodes[n].feature];
      scan.node_haar = buffers->node_haar;
    }
  else
    {
      prepare_lbp (buffers, cascade, &layout);
      scan.lbp = buffers->lbp;
    }
  scan.stumps = buffers->stumps;

  scan_rows (&scan, (ww + step - 1) / step, step, y_end, simd, cancellable, hits);
}
