/* bm-detector-resize.c: OpenCV's resize(INTER_LINEAR_EXACT) for 8-bit gray images.
 *
 * Bilinear in 8.8 fixed point: per axis, source position fval = scale·(d + 0.5) − 0.5 in double
 * with scale = 1 / (dst / src), weights rne(frac·256) and 256 − that; a horizontal pass into
 * 16-bit sums, then (c0·h0 + c1·h1 + 2¹⁵) >> 16. Positions past the last pixel take the last
 * pixel (weights 256 and 0, which the same formula turns into a copy).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-detector-private.h"

typedef struct
{
  int ofs0;
  int ofs1;
  guint32 c0;
  guint32 c1;
} Tap;

static Tap *
compute_taps (int src, int dst)
{
  Tap *taps = g_new (Tap, dst);
  double scale = 1.0 / ((double) dst / (double) src);

  for (int d = 0; d < dst; d++)
    {
      double fval = scale * (d + 0.5) - 0.5;
      double whole = floor (fval);
      int i = (int) whole;

      if (i >= 0 && src > 1 && i < src - 1)
        {
          int c1 = (int) nearbyint ((fval - whole) * 256.0);

          taps[d] = (Tap) { i, i + 1, (guint32) (256 - c1), (guint32) c1 };
        }
      else
        {
          int edge = i < 0 ? 0 : src - 1;

          taps[d] = (Tap) { edge, edge, 256, 0 };
        }
    }
  return taps;
}

/* The x taps, also as arrays for the AVX2 pass: offsets, and both weights packed as 16-bit
 * pairs. That pass reads 4 bytes at each offset, so it covers only the leading taps whose
 * pixels are neighbours and whose read stays inside the row. */
typedef struct
{
  Tap *taps;
  gint32 *ofs;
  gint32 *weights;
  int vector_end;
} XTaps;

static void
compute_xtaps (XTaps *xt, int src, int dst)
{
  xt->taps = compute_taps (src, dst);
  xt->ofs = g_new (gint32, dst);
  xt->weights = g_new (gint32, dst);
  xt->vector_end = 0;
  for (int x = 0; x < dst; x++)
    {
      const Tap *t = &xt->taps[x];

      xt->ofs[x] = t->ofs0;
      xt->weights[x] = (gint32) (t->c0 | t->c1 << 16);
      if (xt->vector_end == x && t->ofs1 == t->ofs0 + 1 && t->ofs0 + 4 <= src)
        xt->vector_end = x + 1;
    }
}

static void
clear_xtaps (XTaps *xt)
{
  g_free (xt->taps);
  g_free (xt->ofs);
  g_free (xt->weights);
}

/* 16-bit sums: at most 256 · 255. */
static void
horizontal_pass (const guint8 *row, const XTaps *xt, int dst_width, guint16 *out, gboolean simd)
{
  const Tap *taps = xt->taps;
  int x = simd ? bm_detector_simd_horizontal (row, xt->ofs, xt->weights, out, xt->vector_end) : 0;

  for (; x < dst_width; x++)
    out[x] = (guint16) (taps[x].c0 * row[taps[x].ofs0] + taps[x].c1 * row[taps[x].ofs1]);
}

/* (c0 · h0 + c1 · h1 + 2¹⁵) >> 16, which never exceeds 255 as c0 + c1 = 256. */
static void
vertical_pass (const guint16 *h0, const guint16 *h1, guint32 c0, guint32 c1, guint8 *out, int width, gboolean simd)
{
  int x = simd ? bm_detector_simd_vertical (h0, h1, c0, c1, out, width) : 0;

  for (; x < width; x++)
    out[x] = (guint8) ((c0 * h0[x] + c1 * h1[x] + 32768u) >> 16);
}

static int
slot_of (const int h_row[2], int row)
{
  return h_row[0] == row ? 0 : h_row[1] == row ? 1 : -1;
}

/* Returns the slot holding source row @want, filling one other than @keep if needed. */
static int
ensure_row (const guint8 *src, int src_stride, const XTaps *xtaps, int dst_width,
            guint16 *h[2], int h_row[2], int want, int keep, gboolean simd)
{
  int slot = slot_of (h_row, want);

  if (slot >= 0)
    return slot;
  slot = keep == 0 ? 1 : 0;
  horizontal_pass (src + (gsize) want * src_stride, xtaps, dst_width, h[slot], simd);
  h_row[slot] = want;
  return slot;
}

void
bm_detector_resize_exact (const guint8 *src, int src_width, int src_height, int src_stride,
                          guint8 *dst, int dst_width, int dst_height, int dst_stride)
{
  XTaps xtaps;
  g_autofree Tap *ytaps = NULL;
  g_autofree guint16 *rows = NULL;
  guint16 *h[2];
  int h_row[2] = { -1, -1 };
  gboolean simd = bm_detector_simd_cpu ();

  if (src_width == dst_width && src_height == dst_height)
    {
      for (int y = 0; y < dst_height; y++)
        memcpy (dst + (gsize) y * dst_stride, src + (gsize) y * src_stride, (gsize) dst_width);
      return;
    }

  compute_xtaps (&xtaps, src_width, dst_width);
  ytaps = compute_taps (src_height, dst_height);
  rows = g_new (guint16, 2 * (gsize) dst_width);
  h[0] = rows;
  h[1] = rows + dst_width;

  for (int y = 0; y < dst_height; y++)
    {
      const Tap *t = &ytaps[y];
      guint8 *out = dst + (gsize) y * dst_stride;

      /* Keep the two source rows this output row needs, computing each only once. */
      int s0 = ensure_row (src, src_stride, &xtaps, dst_width, h, h_row, t->ofs0, slot_of (h_row, t->ofs1), simd);
      int s1 = ensure_row (src, src_stride, &xtaps, dst_width, h, h_row, t->ofs1, s0, simd);

      vertical_pass (h[s0], h[s1], t->c0, t->c1, out, dst_width, simd);
    }
  clear_xtaps (&xtaps);
}
