/* bm-augment-mix.c: the operations that mix images — mixup (Paddle, Ultralytics and
 * mmdetection styles) and Ultralytics' 2×2 mosaic.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include "bm-augment-private.h"
#include "bm-error.h"

/* --- mixing -------------------------------------------------------------------------------- */

static void
append_items (BmAugmentSample *sample, const BmAugmentSample *other, const BmAffine *m,
              BmAugmentSurvival rule, double weight)
{
  guint first = sample->items->len;

  for (guint i = 0; i < other->items->len; i++)
    {
      const BmAugmentItem *src = g_ptr_array_index (other->items, i);
      BmAugmentItem *item = g_new0 (BmAugmentItem, 1);

      item->object = bm_object_copy (src->object);
      item->dropped = src->dropped;
      item->weight = weight < 0 ? src->weight : weight;
      g_ptr_array_add (sample->items, item);
    }
  if (m == NULL)
    return;

  /* Judge only the new objects: move them in a temporary sample that shares the profile. */
  {
    BmAugmentSample tmp = *sample;
    GPtrArray *added = g_ptr_array_new ();

    for (guint i = first; i < sample->items->len; i++)
      g_ptr_array_add (added, g_ptr_array_index (sample->items, i));
    tmp.items = added;
    _bm_augment_move_items (&tmp, m, BM_AUGMENT_BOX_LARGEST, rule, 1, sample->image->width, sample->image->height);
    g_ptr_array_unref (added);
  }
}

/* The blended byte depends only on the two input bytes, so one 256 × 256 table computed with the
 * framework's own arithmetic gives its exact result. PaddleDetection: float32 products, summed,
 * truncated; Ultralytics: the same in double. */
typedef struct
{
  guint8 lut[256 * 256];
  float la, lb;
  gboolean float_exact;   /* the float32 formula reproduces every entry: use it vectorised */
} MixTable;

static inline float
mix_float (int a, int b, float la, float lb)
{
  return (float) a * la + (float) b * lb;
}

static MixTable *
mix_table_new (double lambda, gboolean float32)
{
  MixTable *t = g_new (MixTable, 1);

  t->la = (float) lambda;
  t->lb = (float) (1.0 - lambda);
  t->float_exact = TRUE;
  for (int a = 0; a < 256; a++)
    for (int b = 0; b < 256; b++)
      {
        double v = float32 ? (double) mix_float (a, b, t->la, t->lb) : a * lambda + b * (1.0 - lambda);
        guint8 q = (guint8) CLAMP (v, 0.0, 255.0);

        t->lut[a << 8 | b] = q;
        if ((guint8) CLAMP (mix_float (a, b, t->la, t->lb), 0.0f, 255.0f) != q)
          t->float_exact = FALSE;
      }
  return t;
}

#ifdef __SSE2__
#include <emmintrin.h>

static inline __m128i
mix4 (__m128i a16, __m128i b16, gboolean high, __m128 la, __m128 lb)
{
  __m128i zero = _mm_setzero_si128 ();
  __m128i a = high ? _mm_unpackhi_epi16 (a16, zero) : _mm_unpacklo_epi16 (a16, zero);
  __m128i b = high ? _mm_unpackhi_epi16 (b16, zero) : _mm_unpacklo_epi16 (b16, zero);
  __m128 v = _mm_add_ps (_mm_mul_ps (_mm_cvtepi32_ps (a), la), _mm_mul_ps (_mm_cvtepi32_ps (b), lb));

  return _mm_cvttps_epi32 (v);
}

/* 16 bytes of the float32 formula; identical to mix_float per byte. */
static inline __m128i
mix16 (__m128i a, __m128i b, __m128 la, __m128 lb)
{
  __m128i zero = _mm_setzero_si128 ();
  __m128i alo = _mm_unpacklo_epi8 (a, zero), ahi = _mm_unpackhi_epi8 (a, zero);
  __m128i blo = _mm_unpacklo_epi8 (b, zero), bhi = _mm_unpackhi_epi8 (b, zero);
  __m128i lo = _mm_packs_epi32 (mix4 (alo, blo, FALSE, la, lb), mix4 (alo, blo, TRUE, la, lb));
  __m128i hi = _mm_packs_epi32 (mix4 (ahi, bhi, FALSE, la, lb), mix4 (ahi, bhi, TRUE, la, lb));

  return _mm_packus_epi16 (lo, hi);
}
#endif

/* d[i] = mix (a[i], b[i]) for i < n; b (a) reads as pad_b (pad_a) from nb (na) on. */
static void
mix_row (guint8 *d, const guint8 *pa, int na, const guint8 *pb, int nb, int n,
         const MixTable *t, guint8 pad_a, guint8 pad_b)
{
  int both = MIN (MIN (na, nb), n), i = 0;

#ifdef __SSE2__
  if (t->float_exact)
    {
      __m128 la = _mm_set1_ps (t->la), lb = _mm_set1_ps (t->lb);
      __m128i va_pad = _mm_set1_epi8 ((char) pad_a), vb_pad = _mm_set1_epi8 ((char) pad_b);
      int only_a = MIN (na, n), only_b = MIN (nb, n);

      for (; i + 16 <= both; i += 16)
        _mm_storeu_si128 ((__m128i *) (d + i), mix16 (_mm_loadu_si128 ((const __m128i *) (pa + i)),
                                                     _mm_loadu_si128 ((const __m128i *) (pb + i)), la, lb));
      for (; i < both; i++)
        d[i] = t->lut[pa[i] << 8 | pb[i]];
      for (; i + 16 <= only_a; i += 16)
        _mm_storeu_si128 ((__m128i *) (d + i), mix16 (_mm_loadu_si128 ((const __m128i *) (pa + i)), vb_pad, la, lb));
      for (; i < only_a; i++)
        d[i] = t->lut[pa[i] << 8 | pad_b];
      for (; i + 16 <= only_b; i += 16)
        _mm_storeu_si128 ((__m128i *) (d + i), mix16 (va_pad, _mm_loadu_si128 ((const __m128i *) (pb + i)), la, lb));
    }
#endif
  for (; i < both; i++)
    d[i] = t->lut[pa[i] << 8 | pb[i]];
  for (; i < MIN (na, n); i++)
    d[i] = t->lut[pa[i] << 8 | pad_b];
  for (; i < MIN (nb, n); i++)
    d[i] = t->lut[pad_a << 8 | pb[i]];
  if (i < n)
    memset (d + i, t->lut[pad_a << 8 | pad_b], n - i);
}

static void
mix_images (BmImage *dst, const BmImage *a, const BmImage *b, const MixTable *t, guint8 pad_a, guint8 pad_b)
{
  int cn = dst->channels;

  for (int y = 0; y < dst->height; y++)
    mix_row (_bm_augment_pixel_at (dst, 0, y),
             y < a->height ? a->data + (gsize) y * a->stride : NULL, y < a->height ? a->width * cn : 0,
             y < b->height ? b->data + (gsize) y * b->stride : NULL, y < b->height ? b->width * cn : 0,
             dst->width * cn, t, pad_a, pad_b);
}

/* Mixes @b into the sample's image on a w × h canvas: in place when allowed and the canvas is
 * the image's own size (each byte is read before it is written), else into a new image. */
static void
mix_into_sample (BmAugmentSample *sample, const BmImage *b, int w, int h, const MixTable *t,
                 guint8 pad_a, guint8 pad_b, gboolean in_place)
{
  BmImage *a = sample->image;

  if (in_place && w == a->width && h == a->height)
    {
      mix_images (a, a, b, t, pad_a, pad_b);
      return;
    }
  {
    BmImage *image = bm_image_new (w, h, a->channels);

    mix_images (image, a, b, t, pad_a, pad_b);
    _bm_augment_replace_image (sample, image);
  }
}

/* The part of a w × h output that @src can reach under @m (edge coordinates), as [x0, x1) ×
 * [y0, y1); outside it the warp would only produce the border value. The margin covers the
 * source pixel of blending into the border, and the ½ px the pixel matrix may differ by. */
static gboolean
warp_reach (const BmImage *src, const BmAffine *m, int w, int h, int *x0, int *y0, int *x1, int *y1)
{
  BmShape outline;
  BmRect r;
  double margin;

  bm_shape_init_box (&outline, 0, 0, src->width, src->height);
  for (int i = 0; i < 4; i++)
    outline.p[i] = bm_affine_apply (m, outline.p[i]);
  r = bm_shape_bounds (&outline);
  margin = ceil (fabs (m->m[0]) + fabs (m->m[1]) + fabs (m->m[3]) + fabs (m->m[4])) + 2;
  *x0 = (int) CLAMP (floor (r.x1) - margin, 0, w);
  *y0 = (int) CLAMP (floor (r.y1) - margin, 0, h);
  *x1 = (int) CLAMP (ceil (r.x2) + margin, 0, w);
  *y1 = (int) CLAMP (ceil (r.y2) + margin, 0, h);
  return *x1 > *x0 && *y1 > *y0;
}

/* Mixes a: the sample's image, with b: @src warped by @m (border @pad) onto the same canvas,
 * warping only the reachable part and mixing the rest with the padding directly. */
static void
mix_warped_into_sample (BmAugmentSample *sample, const BmImage *src, const BmAffine *m,
                        const BmAffine *pixels, const MixTable *t, guint8 pad, gboolean in_place)
{
  BmImage *a = sample->image;
  int cn = a->channels, w = a->width, h = a->height;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  g_autoptr(BmImage) warped = NULL;
  BmImage *out = in_place ? a : bm_image_new (w, h, cn);

  if (warp_reach (src, m, w, h, &x0, &y0, &x1, &y1))
    {
      guint8 fill[4];
      BmAffine shift, shifted;

      /* every channel, alpha too, pads with the same byte as the rows mixed directly below */
      memset (fill, pad, sizeof fill);
      warped = bm_image_new (x1 - x0, y1 - y0, cn);
      bm_affine_init_translate (&shift, -x0, -y0);
      shifted = bm_affine_then (pixels, &shift);
      bm_augment_warp_affine (src, warped, &shifted, BM_AUGMENT_BORDER_CONSTANT, fill);
    }
  for (int y = 0; y < h; y++)
    {
      guint8 *d = _bm_augment_pixel_at (out, 0, y);
      const guint8 *pa = a->data + (gsize) y * a->stride;

      if (!warped || y < y0 || y >= y1)
        {
          mix_row (d, pa, w * cn, NULL, 0, w * cn, t, 0, pad);
          continue;
        }
      mix_row (d, pa, x0 * cn, NULL, 0, x0 * cn, t, 0, pad);
      mix_row (d + (gsize) x0 * cn, pa + (gsize) x0 * cn, (x1 - x0) * cn,
               _bm_augment_pixel_at (warped, 0, y - y0), (x1 - x0) * cn, (x1 - x0) * cn, t, 0, pad);
      mix_row (d + (gsize) x1 * cn, pa + (gsize) x1 * cn, (w - x1) * cn, NULL, 0, (w - x1) * cn, t, 0, pad);
    }
  if (!in_place)
    _bm_augment_replace_image (sample, out);
}

/* mmdet MixUp (YOLOX): the second image fitted into scale_w × scale_h at the top-left (pad 114),
 * that canvas resized by jitter, flipped, padded to the first image's size and cropped at (x, y).
 * One warp does all of it; the boxes follow the same map with mmdet's clipping steps. */
static gboolean
apply_mixup_mmdet (BmAugmentSample *sample, const BmAugmentOp *op, const BmAugmentSample *other,
                   gboolean in_place, GError **error)
{
  const BmImage *a = sample->image, *b = other->image;
  int target_w = a->width, target_h = a->height;
  double j = op->mixup.jitter, sr;
  int canvas_w, canvas_h;
  g_autoptr(BmAugmentSample) moved = NULL;
  g_autofree MixTable *t = NULL;
  BmAffine scale, flip, shift, m;

  if (op->mixup.scale_w < 1 || op->mixup.scale_h < 1 || op->mixup.scale_w > 1 << 15 || op->mixup.scale_h > 1 << 15
      || !(j > 0.01 && j < 100) || op->mixup.x < 0 || op->mixup.y < 0)
    return _bm_augment_fail (error, _("Mixup parameters out of range"));
  sr = MIN ((double) op->mixup.scale_h / b->height, (double) op->mixup.scale_w / b->width) * j;
  canvas_w = (int) (op->mixup.scale_w * j);
  canvas_h = (int) (op->mixup.scale_h * j);
  if (op->mixup.x > MAX (canvas_w, target_w) - target_w || op->mixup.y > MAX (canvas_h, target_h) - target_h)
    return _bm_augment_fail (error, _("Mixup offset outside the padded image"));

  bm_affine_init_scale (&scale, sr, sr);
  if (op->mixup.flip)
    flip = (BmAffine) { { -1, 0, canvas_w, 0, 1, 0 } };
  else
    bm_affine_init_identity (&flip);
  bm_affine_init_translate (&shift, -op->mixup.x, -op->mixup.y);

  /* the second sample's boxes: scaled, clipped to the jittered canvas, flipped, moved, clipped */
  moved = bm_augment_sample_copy (other);
  moved->profile = sample->profile;
  _bm_augment_move_items (moved, &scale, BM_AUGMENT_BOX_LARGEST, BM_AUGMENT_KEEP_ALL, 1, canvas_w, canvas_h);
  m = bm_affine_then (&flip, &shift);
  _bm_augment_move_items (moved, &m, BM_AUGMENT_BOX_LARGEST, sample->profile->survival, 1, target_w, target_h);

  m = bm_affine_then (&scale, &m);
  {
    BmAffine pixels = sample->profile->pixel_centres ? bm_affine_edge_to_index (&m) : m;

    t = mix_table_new (op->mixup.lambda, FALSE);
    mix_warped_into_sample (sample, b, &m, &pixels, t, sample->profile->pad_value, in_place);
  }
  append_items (sample, moved, NULL, BM_AUGMENT_KEEP_ALL, -1);
  return TRUE;
}

gboolean
_bm_augment_apply_mixup (BmAugmentSample *sample, const BmAugmentOp *op, BmAugmentSample *const *others,
                         guint n_others, gboolean in_place, GError **error)
{
  g_autofree MixTable *t = NULL;
  const BmAugmentSample *other;
  double lambda = op->mixup.lambda;

  if (op->mixup.source < 0 || (guint) op->mixup.source >= n_others || !others[op->mixup.source])
    return _bm_augment_fail (error, _("Mixup needs a second image"));
  other = others[op->mixup.source];
  if (other->image->channels != sample->image->channels)
    return _bm_augment_fail (error, _("Mixup needs images with the same number of channels"));
  if (!isfinite (lambda))
    return _bm_augment_fail (error, _("Mixup weight must be a number"));

  if (sample->profile->mixup_style == BM_AUGMENT_MIXUP_MMDET)
    return apply_mixup_mmdet (sample, op, other, in_place, error);
  if (sample->profile->mixup_style == BM_AUGMENT_MIXUP_PADDLE)
    {
      if (lambda >= 1)
        return TRUE;
      if (lambda <= 0)
        {
          /* a copy, so that every image an operation leaves is the sample's own */
          BmImage *copy = bm_image_new (other->image->width, other->image->height, other->image->channels);

          _bm_augment_paste (copy, other->image, 0, 0);
          _bm_augment_replace_image (sample, copy);
          g_ptr_array_set_size (sample->items, 0);
          append_items (sample, other, NULL, BM_AUGMENT_KEEP_ALL, -1);
          return TRUE;
        }
      t = mix_table_new (lambda, TRUE);
      mix_into_sample (sample, other->image, MAX (sample->image->width, other->image->width),
                       MAX (sample->image->height, other->image->height), t, 0, 0, in_place);
      for (guint i = 0; i < sample->items->len; i++)
        ((BmAugmentItem *) g_ptr_array_index (sample->items, i))->weight = lambda;
      append_items (sample, other, NULL, BM_AUGMENT_KEEP_ALL, 1.0 - lambda);
    }
  else
    {
      BmAffine identity;

      lambda = CLAMP (lambda, 0.0, 1.0);
      t = mix_table_new (lambda, FALSE);
      mix_into_sample (sample, other->image, sample->image->width, sample->image->height, t,
                       sample->profile->pad_value, sample->profile->pad_value, in_place);
      bm_affine_init_identity (&identity);
      append_items (sample, other, &identity, sample->profile->survival, -1);
    }
  return TRUE;
}

/* Ultralytics' 2×2 mosaic: tile i has its inner corner at (xc, yc) on a 2s × 2s canvas. */
static void
mosaic_tile_rects (int i, int xc, int yc, int w, int h, int s2, int a[4], int b[4])
{
  switch (i)
    {
    case 0:
      a[0] = MAX (xc - w, 0), a[1] = MAX (yc - h, 0), a[2] = xc, a[3] = yc;
      b[0] = w - (a[2] - a[0]), b[1] = h - (a[3] - a[1]), b[2] = w, b[3] = h;
      break;
    case 1:
      a[0] = xc, a[1] = MAX (yc - h, 0), a[2] = MIN (xc + w, s2), a[3] = yc;
      b[0] = 0, b[1] = h - (a[3] - a[1]), b[2] = MIN (w, a[2] - a[0]), b[3] = h;
      break;
    case 2:
      a[0] = MAX (xc - w, 0), a[1] = yc, a[2] = xc, a[3] = MIN (s2, yc + h);
      b[0] = w - (a[2] - a[0]), b[1] = 0, b[2] = w, b[3] = MIN (a[3] - a[1], h);
      break;
    default:
      a[0] = xc, a[1] = yc, a[2] = MIN (xc + w, s2), a[3] = MIN (s2, yc + h);
      b[0] = 0, b[1] = 0, b[2] = MIN (w, a[2] - a[0]), b[3] = MIN (a[3] - a[1], h);
      break;
    }
}

/* Ultralytics load_image: long side to the mosaic size, ceil, INTER_LINEAR. */
static BmAugmentSample *
mosaic_tile (const BmAugmentSample *tile, int s)
{
  BmAugmentSample *copy = bm_augment_sample_copy (tile);
  int w0 = tile->image->width, h0 = tile->image->height;
  double r = (double) s / MAX (w0, h0);

  if (r != 1.0)
    {
      BmAugmentOp scale = { .kind = BM_AUGMENT_OP_SCALE };

      scale.scale.width = MIN ((int) ceil (w0 * r), s);
      scale.scale.height = MIN ((int) ceil (h0 * r), s);
      _bm_augment_apply_scale (copy, &scale, NULL);
    }
  return copy;
}

gboolean
_bm_augment_apply_mosaic (BmAugmentSample *sample, const BmAugmentOp *op, BmAugmentSample *const *others,
                          guint n_others, GError **error)
{
  int s = op->mosaic.size, s2 = 2 * s;
  const BmAugmentSample *sources[4] = { sample, NULL, NULL, NULL };
  BmAugmentSample *tiles[4];

  if (s < 2 || !_bm_augment_canvas_size_ok (2.0 * s, 2.0 * s) || op->mosaic.xc < 0 || op->mosaic.xc > s2 || op->mosaic.yc < 0 || op->mosaic.yc > s2)
    return _bm_augment_fail (error, _("Mosaic size or centre out of range"));
  for (int i = 0; i < 3; i++)
    {
      int k = op->mosaic.sources[i];

      if (k < -1 || k >= (int) n_others || (k >= 0 && !others[k]))
        return _bm_augment_fail (error, _("Mosaic source missing"));
      sources[i + 1] = k < 0 ? sample : others[k];
      if (sources[i + 1]->image->channels != sample->image->channels)
        return _bm_augment_fail (error, _("Mosaic needs images with the same number of channels"));
    }

  for (int i = 0; i < 4; i++)
    tiles[i] = mosaic_tile (sources[i], s);
  _bm_augment_replace_image (sample, _bm_augment_canvas_new_gray (sample->image, s2, s2, sample->profile->pad_value));
  g_ptr_array_set_size (sample->items, 0);
  for (int i = 0; i < 4; i++)
    {
      int a[4], b[4];
      BmAffine shift;

      mosaic_tile_rects (i, op->mosaic.xc, op->mosaic.yc, tiles[i]->image->width, tiles[i]->image->height, s2, a, b);
      /* the whole tile at its offset, clipped by the canvas, is exactly region b copied to a */
      _bm_augment_paste (sample->image, tiles[i]->image, a[0] - b[0], a[1] - b[1]);
      bm_affine_init_translate (&shift, a[0] - b[0], a[1] - b[1]);
      append_items (sample, tiles[i], &shift, BM_AUGMENT_KEEP_NONEMPTY, -1);
      bm_augment_sample_free (tiles[i]);
    }

  if (op->mosaic.crop)
    {
      /* RandomPerspective with border -s/2 and no other change: the centre s × s */
      BmAugmentOp crop = { .kind = BM_AUGMENT_OP_CROP };

      crop.crop.x = crop.crop.y = s / 2;
      crop.crop.width = crop.crop.height = s;
      return _bm_augment_apply_crop (sample, &crop, error);
    }
  return TRUE;
}
