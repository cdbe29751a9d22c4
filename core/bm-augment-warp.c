/* bm-augment-warp.c: affine matrices and a fixed-point bilinear warp.
 *
 * The warp reproduces cv2.warpAffine(INTER_LINEAR) arithmetic: the inverse matrix is evaluated in
 * 1/1024 px fixed point per row, positions are rounded to 1/32 px, and the four weights are
 * products of 5-bit fractions. Because those products are exact integers, interpolating first
 * along x and then along y gives the same sums with fewer multiplications.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include "bm-augment-warp.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define AB_BITS 10
#define SUB_BITS 5
#define SUB_SIZE (1 << SUB_BITS)
#define ROUND_DELTA ((1 << AB_BITS) / SUB_SIZE / 2)
#define WEIGHT_BITS (2 * SUB_BITS)

void
bm_affine_init_identity (BmAffine *a)
{
  *a = (BmAffine) { { 1, 0, 0, 0, 1, 0 } };
}

void
bm_affine_init_translate (BmAffine *a, double dx, double dy)
{
  *a = (BmAffine) { { 1, 0, dx, 0, 1, dy } };
}

void
bm_affine_init_scale (BmAffine *a, double sx, double sy)
{
  *a = (BmAffine) { { sx, 0, 0, 0, sy, 0 } };
}

static void
exact_cos_sin (double degrees, double *c, double *s)
{
  double quarter = degrees / 90.0;

  if (quarter == floor (quarter) && fabs (quarter) < 1e9)
    {
      static const double cs[4][2] = { { 1, 0 }, { 0, 1 }, { -1, 0 }, { 0, -1 } };
      long q = ((long) quarter % 4 + 4) % 4;
      *c = cs[q][0];
      *s = cs[q][1];
      return;
    }
  *c = cos (degrees * G_PI / 180.0);
  *s = sin (degrees * G_PI / 180.0);
}

void
bm_affine_init_rotation (BmAffine *a, double cx, double cy, double degrees_ccw, double scale)
{
  double c, s, alpha, beta;

  exact_cos_sin (degrees_ccw, &c, &s);
  alpha = scale * c;
  beta = scale * s;
  *a = (BmAffine) { { alpha, beta, (1 - alpha) * cx - beta * cy,
                      -beta, alpha, beta * cx + (1 - alpha) * cy } };
}

BmAffine
bm_affine_then (const BmAffine *first, const BmAffine *second)
{
  const double *f = first->m, *s = second->m;

  return (BmAffine) { {
    s[0] * f[0] + s[1] * f[3], s[0] * f[1] + s[1] * f[4], s[0] * f[2] + s[1] * f[5] + s[2],
    s[3] * f[0] + s[4] * f[3], s[3] * f[1] + s[4] * f[4], s[3] * f[2] + s[4] * f[5] + s[5],
  } };
}

/* The same operation order as cv2.warpAffine's own inversion, so the fixed-point rows match. */
gboolean
bm_affine_invert (const BmAffine *a, BmAffine *inverse)
{
  const double *m = a->m;
  double d = m[0] * m[4] - m[1] * m[3];
  double i0, i1, i3, i4;

  if (d == 0)
    return FALSE;
  d = 1.0 / d;
  i0 = m[4] * d;
  i4 = m[0] * d;
  i1 = m[1] * -d;
  i3 = m[3] * -d;
  *inverse = (BmAffine) { { i0, i1, -i0 * m[2] - i1 * m[5], i3, i4, -i3 * m[2] - i4 * m[5] } };
  return TRUE;
}

BmPoint
bm_affine_apply (const BmAffine *a, BmPoint p)
{
  const double *m = a->m;

  return (BmPoint) { m[0] * p.x + m[1] * p.y + m[2], m[3] * p.x + m[4] * p.y + m[5] };
}

BmAffine
bm_affine_edge_to_index (const BmAffine *a)
{
  BmAffine to_edge, to_index, r;

  bm_affine_init_translate (&to_edge, 0.5, 0.5);
  bm_affine_init_translate (&to_index, -0.5, -0.5);
  r = bm_affine_then (&to_edge, a);
  return bm_affine_then (&r, &to_index);
}

/* Round half to even and saturate, like OpenCV's saturate_cast<int>(double). */
static inline int
fixed_from_double (double v)
{
  if (!(v > G_MININT32))
    return isnan (v) ? 0 : G_MININT32;
  if (v >= (double) G_MAXINT32)
    return G_MAXINT32;
  return (int) lrint (v);
}

#ifdef __SSE2__
typedef struct
{
  __m128i w[SUB_SIZE];
} WeightPairs;
#endif

typedef struct
{
  const guint8 *data;
  int width, height, stride, channels;
  BmAugmentBorder border;
  int value[4];
#ifdef __SSE2__
  WeightPairs pairs;
#endif
} WarpSource;

static inline int
border_pixel (const WarpSource *s, int x, int y, int k)
{
  if (s->border == BM_AUGMENT_BORDER_REPLICATE)
    {
      x = CLAMP (x, 0, s->width - 1);
      y = CLAMP (y, 0, s->height - 1);
    }
  else if (x < 0 || y < 0 || x >= s->width || y >= s->height)
    return s->value[k];
  return s->data[(gsize) y * s->stride + (gsize) x * s->channels + k];
}

static void
warp_edge_pixel (const WarpSource *s, guint8 *d, int sx, int sy, int fx, int fy)
{
  int cn = s->channels;

  if (s->border == BM_AUGMENT_BORDER_CONSTANT
      && (sx >= s->width || sx + 1 < 0 || sy >= s->height || sy + 1 < 0))
    {
      for (int k = 0; k < cn; k++)
        d[k] = (guint8) s->value[k];
      return;
    }
  for (int k = 0; k < cn; k++)
    {
      int t0 = border_pixel (s, sx, sy, k) * (SUB_SIZE - fx) + border_pixel (s, sx + 1, sy, k) * fx;
      int t1 = border_pixel (s, sx, sy + 1, k) * (SUB_SIZE - fx) + border_pixel (s, sx + 1, sy + 1, k) * fx;
      d[k] = (guint8) ((t0 * (SUB_SIZE - fy) + t1 * fy + (1 << (WEIGHT_BITS - 1))) >> WEIGHT_BITS);
    }
}

static inline __attribute__ ((always_inline)) void
interpolate_scalar (const guint8 *p0, gsize stride, guint8 *d, int fx, int fy, const int cn)
{
  const guint8 *p1 = p0 + stride;
  int gx = SUB_SIZE - fx, gy = SUB_SIZE - fy;

  for (int k = 0; k < cn; k++)
    {
      int t0 = p0[k] * gx + p0[k + cn] * fx;
      int t1 = p1[k] * gx + p1[k + cn] * fx;
      d[k] = (guint8) ((t0 * gy + t1 * fy + (1 << (WEIGHT_BITS - 1))) >> WEIGHT_BITS);
    }
}

#ifdef __SSE2__
/* Both neighbours of one row as 16-bit pairs (c0, c0', c1, c1', ...), multiplied by (gx, fx) and
 * summed pairwise: the horizontal interpolation of up to 4 channels. Reads 8 bytes. */
static inline __attribute__ ((always_inline)) __m128i
horizontal_pair (const guint8 *p, __m128i wx, const int cn)
{
  __m128i a = _mm_loadl_epi64 ((const __m128i *) p);
  __m128i b = cn == 3 ? _mm_srli_si128 (a, 3) : _mm_srli_si128 (a, 4);
  __m128i pairs = _mm_unpacklo_epi8 (_mm_unpacklo_epi8 (a, b), _mm_setzero_si128 ());

  return _mm_madd_epi16 (pairs, wx);
}

/* (32 - f, f) as 16-bit pairs in all four 32-bit lanes, for f = 0..31. */
static void
weight_pairs_init (WeightPairs *t)
{
  for (int f = 0; f < SUB_SIZE; f++)
    t->w[f] = _mm_set1_epi32 ((f << 16) | (SUB_SIZE - f));
}

/* Writes 4 bytes even for 3 channels: the caller keeps one byte of slack. */
static inline __attribute__ ((always_inline)) void
interpolate_sse2 (const guint8 *p0, gsize stride, guint8 *d, __m128i wx, __m128i wy, const int cn)
{
  __m128i t0 = horizontal_pair (p0, wx, cn);
  __m128i t1 = horizontal_pair (p0 + stride, wx, cn);
  __m128i both = _mm_packs_epi32 (t0, t1);
  __m128i pairs = _mm_unpacklo_epi16 (both, _mm_srli_si128 (both, 8));
  __m128i v = _mm_madd_epi16 (pairs, wy);

  v = _mm_srai_epi32 (_mm_add_epi32 (v, _mm_set1_epi32 (1 << (WEIGHT_BITS - 1))), WEIGHT_BITS);
  v = _mm_packs_epi32 (v, v);
  v = _mm_packus_epi16 (v, v);
  {
    guint32 out = (guint32) _mm_cvtsi128_si32 (v);
    memcpy (d, &out, 4);
  }
}
#endif

/* Any pixel of a row, with every bounds check. */
static inline __attribute__ ((always_inline)) void
warp_pixel (const WarpSource *s, guint8 *d, int X, int Y, const int cn)
{
  int sx = X >> SUB_BITS, sy = Y >> SUB_BITS;
  int fx = X & (SUB_SIZE - 1), fy = Y & (SUB_SIZE - 1);

  if ((unsigned) sx < (unsigned) MAX (s->width - 1, 0) && (unsigned) sy < (unsigned) MAX (s->height - 1, 0))
    interpolate_scalar (s->data + (gsize) sy * s->stride + (gsize) sx * cn, (gsize) s->stride, d, fx, fy, cn);
  else if (s->border == BM_AUGMENT_BORDER_CONSTANT
           && (sx >= s->width || sx < -1 || sy >= s->height || sy < -1))
    {
      for (int k = 0; k < cn; k++)
        d[k] = (guint8) s->value[k];
    }
  else
    warp_edge_pixel (s, d, sx, sy, fx, fy);
}

/* One destination row; cn is a compile-time constant at each call site so the channel loop
 * unrolls. Source positions move monotonically along a row, so the pixels whose four neighbours
 * are all inside form one run [first, last): that run needs no bounds checks. */
static inline __attribute__ ((always_inline)) void
warp_row (const WarpSource *s, guint8 *d, int dst_width, int x0, int y0,
          const int *adelta, const int *bdelta, const int cn)
{
  const guint8 *data = s->data;
  const gsize stride = (gsize) s->stride;
  const unsigned inner_h = (unsigned) MAX (s->height - 1, 0);
#ifdef __SSE2__
  const WeightPairs *pairs = &s->pairs;
  /* The vector path reads 8 bytes from each source row and writes 4: keep both in bounds. */
  const unsigned run_w = (unsigned) MAX (s->width - (cn == 3 ? 3 : 1), 0);
  const int run_end = cn == 3 ? dst_width - 1 : dst_width;
#else
  const unsigned run_w = (unsigned) MAX (s->width - 1, 0);
  const int run_end = dst_width;
#endif
  int first = 0, last = MAX (run_end, 0);

#define POS_X(x) ((x0 + adelta[x]) >> (AB_BITS - SUB_BITS))
#define POS_Y(x) ((y0 + bdelta[x]) >> (AB_BITS - SUB_BITS))
#define IN_RUN(x) ((unsigned) (POS_X (x) >> SUB_BITS) < run_w && (unsigned) (POS_Y (x) >> SUB_BITS) < inner_h)
  while (first < last && !IN_RUN (first))
    first++;
  while (last > first && !IN_RUN (last - 1))
    last--;

  for (int x = 0; x < first; x++)
    warp_pixel (s, d + (gsize) x * cn, POS_X (x), POS_Y (x), cn);
  for (int x = first; x < last; x++)
    {
      int X = POS_X (x), Y = POS_Y (x);
      const guint8 *p0 = data + (gsize) (Y >> SUB_BITS) * stride + (gsize) (X >> SUB_BITS) * cn;
      guint8 *dp = d + (gsize) x * cn;

#ifdef __SSE2__
      if (cn >= 3)
        {
          interpolate_sse2 (p0, stride, dp, pairs->w[X & (SUB_SIZE - 1)], pairs->w[Y & (SUB_SIZE - 1)], cn);
          continue;
        }
#endif
      interpolate_scalar (p0, stride, dp, X & (SUB_SIZE - 1), Y & (SUB_SIZE - 1), cn);
    }
  for (int x = last; x < dst_width; x++)
    warp_pixel (s, d + (gsize) x * cn, POS_X (x), POS_Y (x), cn);
#undef POS_X
#undef POS_Y
#undef IN_RUN
}

void
bm_augment_warp_affine (const BmImage   *src,
                        BmImage         *dst,
                        const BmAffine  *m,
                        BmAugmentBorder  border,
                        const guint8    *border_value)
{
  WarpSource s;
  BmAffine inv;
  int *adelta, *bdelta;

  g_return_if_fail (src != NULL && dst != NULL && m != NULL);
  g_return_if_fail (src->channels == dst->channels);
  g_return_if_fail (src->channels >= 1 && src->channels <= 4);

  s = (WarpSource) { src->data, src->width, src->height, src->stride, src->channels, border, { 0 } };
#ifdef __SSE2__
  weight_pairs_init (&s.pairs);
#endif
  for (int k = 0; k < src->channels; k++)
    s.value[k] = border_value ? border_value[k] : 0;

  if (!bm_affine_invert (m, &inv))
    {
      /* A singular map shows nothing of the source. */
      for (int y = 0; y < dst->height; y++)
        for (int x = 0; x < dst->width; x++)
          for (int k = 0; k < dst->channels; k++)
            dst->data[(gsize) y * dst->stride + (gsize) x * dst->channels + k] = (guint8) s.value[k];
      return;
    }

  adelta = g_new (int, MAX (dst->width, 1) * 2);
  bdelta = adelta + MAX (dst->width, 1);
  for (int x = 0; x < dst->width; x++)
    {
      adelta[x] = fixed_from_double (inv.m[0] * x * (1 << AB_BITS));
      bdelta[x] = fixed_from_double (inv.m[3] * x * (1 << AB_BITS));
    }

  for (int y = 0; y < dst->height; y++)
    {
      int x0 = fixed_from_double ((inv.m[1] * y + inv.m[2]) * (1 << AB_BITS)) + ROUND_DELTA;
      int y0 = fixed_from_double ((inv.m[4] * y + inv.m[5]) * (1 << AB_BITS)) + ROUND_DELTA;
      guint8 *row = dst->data + (gsize) y * dst->stride;

      switch (src->channels)
        {
        case 1: warp_row (&s, row, dst->width, x0, y0, adelta, bdelta, 1); break;
        case 2: warp_row (&s, row, dst->width, x0, y0, adelta, bdelta, 2); break;
        case 3: warp_row (&s, row, dst->width, x0, y0, adelta, bdelta, 3); break;
        default: warp_row (&s, row, dst->width, x0, y0, adelta, bdelta, 4); break;
        }
    }
  g_free (adelta);
}
