/* bm-resize.c
 *
 * OpenCV's resizeGeneric_ for INTER_CUBIC on 8-bit data, as its x86-64 build runs it:
 *   - source position of output x: fx = (float)((x + 0.5) / factor - 0.5), sx = floor(fx),
 *     the fraction's four Keys weights (A = -0.75) in float, rounded to shorts scaled by 2048;
 *   - horizontal pass: integer sums of four neighbours, the edge pixel repeated beyond the edge;
 *   - vertical pass: four horizontal rows weighted the same way. OpenCV's SSE2 loop
 *     (VResizeCubicVec_32s8u) does it in float, ((s3·b3 + s2·b2) + s1·b1) + s0·b0 with the
 *     weights divided by 2048², rounded half to even, for the first multiple of 8 samples of a
 *     row; its scalar loop does the rest in integers, (Σ s·b + 2²¹) >> 22. Both are kept here,
 *     so that the last few samples of a row match too.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-parallel.h"
#include "bm-resize.h"

#define COEF_BITS 11
#define COEF_SCALE (1 << COEF_BITS)
/* Samples per SSE2 iteration of OpenCV's vertical loop (8 int16 lanes). */
#define VECTOR_STEP 8
#define ROWS_PER_JOB 32

gboolean
bm_resize_cubic_size (int width, int height, double fx, double fy, int *out_width, int *out_height)
{
  double w = nearbyint ((double) width * fx);
  double h = nearbyint ((double) height * fy);

  if (!(fx > 0) || !(fy > 0) || !(w >= 1) || !(h >= 1) || w > G_MAXINT / 4 || h > G_MAXINT / 4)
    return FALSE;
  *out_width = (int) w;
  *out_height = (int) h;
  return TRUE;
}

/* OpenCV's interpolateCubic, in float as it is written there. */
static void
cubic_weights (float x, float *w)
{
  const float A = -0.75f;

  w[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
  w[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
  w[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
  w[3] = 1.f - w[0] - w[1] - w[2];
}

static short
to_short (float value)
{
  long r = lrintf (value);

  return (short) CLAMP (r, G_MINSHORT, G_MAXSHORT);
}

/* For each output position along an axis: the first of the four source positions (clamped
 * later) and the four fixed-point weights. */
static void
axis_table (int n_out, double factor, int *first, short *weights)
{
  double scale = 1. / factor;

  for (int i = 0; i < n_out; i++)
    {
      float f = (float) ((i + 0.5) * scale - 0.5);
      int s = (int) floorf (f);
      float w[4];

      f -= (float) s;
      cubic_weights (f, w);
      first[i] = s - 1;
      for (int k = 0; k < 4; k++)
        weights[i * 4 + k] = to_short (w[k] * COEF_SCALE);
    }
}

typedef struct
{
  BmImage *src;
  BmImage *dst;
  int cn;
  int *xfirst;          /* per output column */
  short *alpha;         /* 4 per output column */
  int *yfirst;          /* per output row */
  short *beta;          /* 4 per output row */
  int vector_end;       /* samples of a row done the SSE2 way, counted in OpenCV's BGR order */
  int n_jobs;
} Resize;

/* One source row resampled horizontally: dst->width · cn integer sums. */
static void
horizontal_row (const Resize *r, int sy, int *out)
{
  const guint8 *row = r->src->data + (gsize) sy * r->src->stride;
  const int cn = r->cn, last = r->src->width - 1;
  const int width = r->dst->width;

  for (int x = 0; x < width; x++)
    {
      const short *a = r->alpha + x * 4;
      int s = r->xfirst[x];
      const guint8 *p0, *p1, *p2, *p3;

      if (s >= 0 && s + 3 <= last)
        {
          p0 = row + s * cn;
          p1 = p0 + cn;
          p2 = p1 + cn;
          p3 = p2 + cn;
        }
      else
        {
          p0 = row + CLAMP (s, 0, last) * cn;
          p1 = row + CLAMP (s + 1, 0, last) * cn;
          p2 = row + CLAMP (s + 2, 0, last) * cn;
          p3 = row + CLAMP (s + 3, 0, last) * cn;
        }
      for (int c = 0; c < cn; c++)
        out[x * cn + c] = p0[c] * a[0] + p1[c] * a[1] + p2[c] * a[2] + p3[c] * a[3];
    }
}

static inline guint8
saturate_u8 (long v)
{
  return (guint8) CLAMP (v, 0, 255);
}

static inline guint8
vertical_float (int s0, int s1, int s2, int s3, float b0, float b1, float b2, float b3)
{
  float t = (float) s3 * b3;

  t = (float) s2 * b2 + t;
  t = (float) s1 * b1 + t;
  t = (float) s0 * b0 + t;
  return saturate_u8 (lrintf (t));
}

static inline guint8
vertical_fixed (int s0, int s1, int s2, int s3, const short *b)
{
  int v = s0 * b[0] + s1 * b[1] + s2 * b[2] + s3 * b[3];

  return saturate_u8 ((v + (1 << (2 * COEF_BITS - 1))) >> (2 * COEF_BITS));
}

/* Where sample @c of a pixel stands in OpenCV's BGR(A) layout of the same pixel. */
static inline int
opencv_channel (int c, int cn)
{
  return cn >= 3 && c < 3 ? 2 - c : c;
}

static void
vertical_row (const Resize *r, const int *const rows[4], const short *b, guint8 *out)
{
  const int cn = r->cn, n = r->dst->width * cn;
  const float scale = 1.f / (COEF_SCALE * COEF_SCALE);
  const float b0 = b[0] * scale, b1 = b[1] * scale, b2 = b[2] * scale, b3 = b[3] * scale;
  const int *s0 = rows[0], *s1 = rows[1], *s2 = rows[2], *s3 = rows[3];
  /* Whole pixels before this are all in OpenCV's SSE2 part; the pixel holding the boundary is
   * split by OpenCV's channel order, not ours. */
  const int whole = r->vector_end / cn * cn;
  int x;

  for (x = 0; x < whole; x++)
    out[x] = vertical_float (s0[x], s1[x], s2[x], s3[x], b0, b1, b2, b3);
  for (; x < n; x++)
    {
      int opencv_index = x - x % cn + opencv_channel (x % cn, cn);

      if (opencv_index < r->vector_end)
        out[x] = vertical_float (s0[x], s1[x], s2[x], s3[x], b0, b1, b2, b3);
      else
        out[x] = vertical_fixed (s0[x], s1[x], s2[x], s3[x], b);
    }
}

/* Output rows [y0, y1): each needed source row is resampled once, kept in a ring of four. */
static void
resize_rows (guint job, gpointer user_data)
{
  const Resize *r = user_data;
  const int height = r->dst->height, last = r->src->height - 1;
  const gsize row_len = (gsize) r->dst->width * r->cn;
  int y0 = (int) ((gint64) height * job / r->n_jobs);
  int y1 = (int) ((gint64) height * (job + 1) / r->n_jobs);
  g_autofree int *ring = g_new (int, row_len * 4);
  int ring_row[4] = { -1, -1, -1, -1 };

  for (int y = y0; y < y1; y++)
    {
      const int *rows[4];

      for (int k = 0; k < 4; k++)
        {
          int sy = CLAMP (r->yfirst[y] + k, 0, last);
          int slot = sy & 3;

          if (ring_row[slot] != sy)
            {
              /* Four consecutive clamped rows never share a slot unless they are equal. */
              horizontal_row (r, sy, ring + slot * row_len);
              ring_row[slot] = sy;
            }
          rows[k] = ring + slot * row_len;
        }
      vertical_row (r, rows, r->beta + y * 4, r->dst->data + (gsize) y * r->dst->stride);
    }
}

BmImage *
bm_resize_cubic (BmImage *src, double fx, double fy, guint n_threads)
{
  Resize r = { 0 };
  int width, height;
  BmImage *dst;

  g_return_val_if_fail (src != NULL, NULL);

  if (!bm_resize_cubic_size (src->width, src->height, fx, fy, &width, &height))
    return NULL;
  /* OpenCV copies the source when the size does not change, whatever the factors. */
  if (width == src->width && height == src->height)
    {
      dst = bm_image_new (width, height, src->channels);
      for (int y = 0; y < height; y++)
        memcpy (dst->data + (gsize) y * dst->stride, src->data + (gsize) y * src->stride,
                (gsize) width * src->channels);
      return dst;
    }
  dst = bm_image_new (width, height, src->channels);
  if (dst == NULL)
    return NULL;

  r.src = src;
  r.dst = dst;
  r.cn = src->channels;
  r.xfirst = g_new (int, width);
  r.alpha = g_new (short, (gsize) width * 4);
  r.yfirst = g_new (int, height);
  r.beta = g_new (short, (gsize) height * 4);
  axis_table (width, fx, r.xfirst, r.alpha);
  axis_table (height, fy, r.yfirst, r.beta);
  r.vector_end = (width * r.cn) / VECTOR_STEP * VECTOR_STEP;
  r.n_jobs = MAX (1, (height + ROWS_PER_JOB - 1) / ROWS_PER_JOB);
  bm_parallel_for ((guint) r.n_jobs, n_threads, resize_rows, &r);

  g_free (r.xfirst);
  g_free (r.alpha);
  g_free (r.yfirst);
  g_free (r.beta);
  return dst;
}
