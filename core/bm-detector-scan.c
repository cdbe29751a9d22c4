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

/* A Haar feature at the current scale: offsets of 3 rects' corners from the window origin in
 * the integral buffer (tilted rects point into the tilted plane), and their weights. */
typedef struct
{
  int ofs[3][4];
  float weight[3];
} HaarOpt;

typedef struct
{
  int ofs[16];
} LbpOpt;

/* A stump of a Haar cascade, flattened. */
typedef struct
{
  int feature;
  float threshold;
  float left;
  float right;
} Stump;

struct _BmScanBuffers
{
  guint8 *image;
  gsize image_size;
  guint32 *integral;       /* sum plane, then squared sum, then tilted */
  gsize integral_size;
  guint32 *diag;           /* two running diagonal sums for the tilted integral */
  gsize diag_size;
  HaarOpt *haar;
  LbpOpt *lbp;
  Stump *stumps;
  int n_features;
};

typedef struct
{
  const BmCascade *cascade;
  const guint32 *sum;
  gsize plane;             /* elements per integral plane */
  int stride;
  int norm_ofs[4];
  double norm_area;
  const HaarOpt *haar;
  const LbpOpt *lbp;
  const Stump *stumps;
} Scan;

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
  g_free (buffers->diag);
  g_free (buffers->haar);
  g_free (buffers->lbp);
  g_free (buffers->stumps);
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

/* ---- integrals ---- */

static void
compute_integrals (const guint8 *img, int w, int h, gboolean squares, guint32 *sum, guint32 *sq)
{
  int stride = w + 1;

  memset (sum, 0, sizeof (guint32) * (gsize) stride);
  if (squares)
    memset (sq, 0, sizeof (guint32) * (gsize) stride);
  for (int y = 0; y < h; y++)
    {
      const guint8 *row = img + (gsize) y * w;
      const guint32 *above = sum + (gsize) y * stride;
      guint32 *out = sum + (gsize) (y + 1) * stride;
      guint32 run = 0;

      out[0] = 0;
      for (int x = 0; x < w; x++)
        {
          run += row[x];
          out[x + 1] = above[x + 1] + run;
        }
      if (squares)
        {
          const guint32 *sq_above = sq + (gsize) y * stride;
          guint32 *sq_out = sq + (gsize) (y + 1) * stride;

          run = 0;
          sq_out[0] = 0;
          for (int x = 0; x < w; x++)
            {
              run += (guint32) row[x] * row[x];
              sq_out[x + 1] = sq_above[x + 1] + run;
            }
        }
    }
}

/* The tilted integral T(X, Y): sum of pixels in the 45° triangle pointing up from (X−1, Y−1),
 * i.e. rows y < Y with |x − (X−1)| ≤ Y−1−y. Each row's part is a difference of the row's prefix
 * sums P, so T(X, Y) = A[X+Y−1] − B[X−Y], with A and B running sums along the two diagonals. */
static void
compute_tilted (const guint8 *img, int w, int h, guint32 *tilted, guint32 *diag, const guint32 *sum)
{
  int stride = w + 1;
  int n = w + h + 1;
  guint32 *a = diag;       /* a[k + 1] = A[k], k in [−1, w + h − 1] */
  guint32 *b = diag + n;   /* b[m + h] = B[m], m in [−h, w] */

  memset (diag, 0, sizeof (guint32) * 2 * (gsize) n);
  memset (tilted, 0, sizeof (guint32) * (gsize) stride);
  for (int Y = 1; Y <= h; Y++)
    {
      int y = Y - 1;
      /* P_y(k) = S(k, y+1) − S(k, y), clamped to k in [0, w]. */
      const guint32 *s1 = sum + (gsize) (y + 1) * stride;
      const guint32 *s0 = sum + (gsize) y * stride;
      guint32 total = s1[w] - s0[w];
      guint32 *out = tilted + (gsize) Y * stride;

      for (int i = 0; i < n; i++)
        {
          int k = i - 1 - y;            /* argument of P for A[i − 1] */
          int m = i - h + y;            /* argument of P for B[i − h] */

          a[i] += k <= 0 ? 0 : k >= w ? total : s1[k] - s0[k];
          b[i] += m <= 0 ? 0 : m >= w ? total : s1[m] - s0[m];
        }
      for (int X = 0; X <= w; X++)
        out[X] = a[X + Y] - b[X - Y + h];
    }
}

/* ---- features at this scale ---- */

static void
prepare_haar (Scan *scan, BmScanBuffers *buffers)
{
  const BmCascade *c = scan->cascade;
  int st = scan->stride;

  for (int f = 0; f < c->n_features; f++)
    {
      const BmCascadeHaarFeature *src = &c->haar_features[f];
      HaarOpt *opt = &buffers->haar[f];

      for (int r = 0; r < 3; r++)
        {
          const BmCascadeRect *rect = &src->rect[r];
          int x = rect->x, y = rect->y, w = rect->w, h = rect->h;

          opt->weight[r] = rect->weight;
          if (rect->weight == 0.f)
            x = y = w = h = 0;
          if (src->tilted && rect->weight != 0.f)
            {
              int base = (int) (2 * scan->plane);
              opt->ofs[r][0] = base + y * st + x;
              opt->ofs[r][1] = base + (y + h) * st + (x - h);
              opt->ofs[r][2] = base + (y + w) * st + (x + w);
              opt->ofs[r][3] = base + (y + w + h) * st + (x + w - h);
            }
          else
            {
              opt->ofs[r][0] = y * st + x;
              opt->ofs[r][1] = y * st + x + w;
              opt->ofs[r][2] = (y + h) * st + x;
              opt->ofs[r][3] = (y + h) * st + x + w;
            }
        }
    }
  scan->haar = buffers->haar;
}

static void
prepare_lbp (Scan *scan, BmScanBuffers *buffers)
{
  const BmCascade *c = scan->cascade;

  for (int f = 0; f < c->n_features; f++)
    {
      const BmCascadeLbpFeature *src = &c->lbp_features[f];
      for (int r = 0; r < 4; r++)
        for (int k = 0; k < 4; k++)
          buffers->lbp[f].ofs[r * 4 + k] = (src->y + r * src->h) * scan->stride + src->x + k * src->w;
    }
  scan->lbp = buffers->lbp;
}

static void
prepare_stumps (Scan *scan, BmScanBuffers *buffers)
{
  const BmCascade *c = scan->cascade;

  for (int t = 0; t < c->n_trees; t++)
    {
      const BmCascadeTree *tree = &c->trees[t];
      const BmCascadeNode *node = &c->nodes[tree->first_node];

      buffers->stumps[t] = (Stump) { node->feature, node->threshold,
                                     c->leaves[tree->first_leaf], c->leaves[tree->first_leaf + 1] };
    }
  scan->stumps = buffers->stumps;
}

/* ---- evaluation of one window ---- */

static inline gint32
rect_sum (const guint32 *p, const int ofs[4])
{
  return (gint32) (p[ofs[0]] - p[ofs[1]] - p[ofs[2]] + p[ofs[3]]);
}

static inline float
haar_value (const HaarOpt *f, const guint32 *p, float vnf)
{
  float v = f->weight[0] * (float) rect_sum (p, f->ofs[0]) + f->weight[1] * (float) rect_sum (p, f->ofs[1]);

  if (f->weight[2] != 0.f)
    v = v + f->weight[2] * (float) rect_sum (p, f->ofs[2]);
  return v * vnf;
}

static inline int
lbp_code (const LbpOpt *f, const guint32 *p)
{
  const int *o = f->ofs;
#define CELL(r, c) ((gint32) (p[o[(r) * 4 + (c)]] - p[o[(r) * 4 + (c) + 1]] - p[o[((r) + 1) * 4 + (c)]] + p[o[((r) + 1) * 4 + (c) + 1]]))
  gint32 centre = CELL (1, 1);

  return (CELL (0, 0) >= centre ? 128 : 0) | (CELL (0, 1) >= centre ? 64 : 0)
         | (CELL (0, 2) >= centre ? 32 : 0) | (CELL (1, 2) >= centre ? 16 : 0)
         | (CELL (2, 2) >= centre ? 8 : 0) | (CELL (2, 1) >= centre ? 4 : 0)
         | (CELL (2, 0) >= centre ? 2 : 0) | (CELL (1, 0) >= centre ? 1 : 0);
#undef CELL
}

static inline gboolean
node_goes_left (const Scan *scan, const BmCascadeNode *node, const guint32 *p, float vnf)
{
  if (scan->cascade->type == BM_CASCADE_LBP)
    {
      int code = lbp_code (&scan->lbp[node->feature], p);
      return (node->subset[code >> 5] >> (code & 31)) & 1;
    }
  return haar_value (&scan->haar[node->feature], p, vnf) < node->threshold;
}

/* OpenCV's variance test: FALSE for a flat window (σ below about 10 grey levels). */
static inline gboolean
haar_norm_factor (const Scan *scan, const guint32 *p, float *vnf)
{
  gint32 s1 = rect_sum (p, scan->norm_ofs);
  guint32 s2 = (guint32) rect_sum (p + scan->plane, scan->norm_ofs);
  double nf = scan->norm_area * (double) s2 - (double) s1 * (double) s1;

  if (!(nf > 0.))
    return FALSE;
  *vnf = (float) (1. / sqrt (nf));
  return scan->norm_area * (double) *vnf < 1e-1;
}

/* 1 = every stage passed, 0 = stage 0 rejected, −i = stage i rejected (or −1 for a flat Haar
 * window), as OpenCV's runAt. */
static int
run_window (const Scan *scan, const guint32 *p)
{
  const BmCascade *c = scan->cascade;
  float vnf = 1.f;

  if (c->type == BM_CASCADE_HAAR && !haar_norm_factor (scan, p, &vnf))
    return -1;

  for (int si = 0; si < c->n_stages; si++)
    {
      const BmCascadeStage *stage = &c->stages[si];
      double sum = 0;

      if (scan->stumps != NULL)
        {
          const Stump *s = &scan->stumps[stage->first_tree];
          for (int t = 0; t < stage->n_trees; t++, s++)
            sum += haar_value (&scan->haar[s->feature], p, vnf) < s->threshold ? s->left : s->right;
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
                  idx = node_goes_left (scan, node, p, vnf) ? node->left : node->right;
                }
              while (idx > 0);
              sum += c->leaves[tree->first_leaf - idx];
            }
        }
      if (sum < (double) stage->threshold)
        return -si;
    }
  return 1;
}

/* ---- the scale ---- */

static void
prepare_buffers (BmScanBuffers *b, const BmCascade *c, int sw, int sh)
{
  gsize plane = (gsize) (sw + 1) * (sh + 1);
  int planes = c->type == BM_CASCADE_LBP ? 1 : c->has_tilted ? 3 : 2;

  b->image = ensure_size (b->image, &b->image_size, (gsize) sw * sh + 1);
  b->integral = ensure_size (b->integral, &b->integral_size, sizeof (guint32) * plane * planes);
  if (c->has_tilted)
    b->diag = ensure_size (b->diag, &b->diag_size, sizeof (guint32) * 2 * (gsize) (sw + sh + 1));
  if (b->n_features < c->n_features || (b->haar == NULL && b->lbp == NULL))
    {
      g_clear_pointer (&b->haar, g_free);
      g_clear_pointer (&b->lbp, g_free);
      g_clear_pointer (&b->stumps, g_free);
      b->n_features = c->n_features;
    }
  if (c->type == BM_CASCADE_HAAR && b->haar == NULL)
    b->haar = g_new0 (HaarOpt, MAX (c->n_features, 1));
  if (c->type == BM_CASCADE_LBP && b->lbp == NULL)
    b->lbp = g_new0 (LbpOpt, MAX (c->n_features, 1));
  if (c->type == BM_CASCADE_HAAR && c->all_stumps)
    {
      g_free (b->stumps);
      b->stumps = g_new (Stump, c->n_trees);
    }
}

void
bm_detector_scan_scale (const BmCascade *cascade, BmScanBuffers *buffers,
                        const guint8 *pixels, int width, int height, int stride,
                        int scaled_width, int scaled_height, int step, int y_end, GArray *hits)
{
  int sw = scaled_width, sh = scaled_height;
  int ww = MAX (sw + 1 - cascade->width, 0);
  Scan scan = { 0 };

  if (ww == 0 || y_end <= 0)
    return;
  prepare_buffers (buffers, cascade, sw, sh);
  bm_detector_resize_exact (pixels, width, height, stride, buffers->image, sw, sh, sw);

  scan.cascade = cascade;
  scan.stride = sw + 1;
  scan.plane = (gsize) (sw + 1) * (sh + 1);
  scan.sum = buffers->integral;
  compute_integrals (buffers->image, sw, sh, cascade->type == BM_CASCADE_HAAR,
                     buffers->integral, buffers->integral + scan.plane);
  if (cascade->type == BM_CASCADE_HAAR)
    {
      int nw = cascade->width - 2, nh = cascade->height - 2;

      if (cascade->has_tilted)
        compute_tilted (buffers->image, sw, sh, buffers->integral + 2 * scan.plane, buffers->diag, scan.sum);
      scan.norm_ofs[0] = scan.stride + 1;
      scan.norm_ofs[1] = scan.stride + 1 + nw;
      scan.norm_ofs[2] = (1 + nh) * scan.stride + 1;
      scan.norm_ofs[3] = (1 + nh) * scan.stride + 1 + nw;
      scan.norm_area = (double) nw * nh;
      prepare_haar (&scan, buffers);
      if (cascade->all_stumps)
        prepare_stumps (&scan, buffers);
    }
  else
    prepare_lbp (&scan, buffers);

  for (int y = 0; y < y_end; y += step)
    {
      const guint32 *row = scan.sum + (gsize) y * scan.stride;

      for (int x = 0; x < ww; x += step)
        {
          int result = run_window (&scan, row + x);

          if (result > 0)
            {
              int xy[2] = { x, y };
              g_array_append_vals (hits, xy, 2);
            }
          else if (result == 0)
            x += step;
        }
    }
}
