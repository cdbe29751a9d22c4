/* bm-synth-paste.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-synth-paste.h"

/* Corners this dark are the fill of a rotated or clipped cut, not the object: JPEG leaves a few
 * levels of noise on pure black. */
#define BLACK_LEVEL 8
#define MAX_FEATHER 16.0
/* Below half size, bilinear samples would skip pixels: the crop is first averaged down. */
#define MAX_BILINEAR_SHRINK 0.5

static gboolean
has_alpha (const BmImage *image)
{
  return image->channels == 2 || image->channels == 4;
}

static gboolean
is_black (const guint8 *pixel, int channels)
{
  int colours = channels >= 3 ? 3 : 1;

  for (int c = 0; c < colours; c++)
    if (pixel[c] > BLACK_LEVEL)
      return FALSE;
  return TRUE;
}

guint8 *
bm_synth_crop_mask (BmImage *crop)
{
  int w, h;
  guint8 *mask;
  GArray *stack;

  g_return_val_if_fail (crop != NULL, NULL);

  w = crop->width;
  h = crop->height;
  mask = g_malloc ((gsize) w * h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *pixel = crop->data + (gsize) y * crop->stride + (gsize) x * crop->channels;

        mask[(gsize) y * w + x] = has_alpha (crop) ? pixel[crop->channels - 1] : 255;
      }

  /* flood the near-black regions that reach in from the four corners (4-connected) */
  stack = g_array_new (FALSE, FALSE, sizeof (gint64));
  {
    const int corners[4][2] = { { 0, 0 }, { w - 1, 0 }, { w - 1, h - 1 }, { 0, h - 1 } };

    for (int i = 0; i < 4; i++)
      {
        gint64 start = (gint64) corners[i][1] * w + corners[i][0];

        g_array_append_val (stack, start);
      }
  }
  while (stack->len > 0)
    {
      gint64 at = g_array_index (stack, gint64, stack->len - 1);
      int x = (int) (at % w), y = (int) (at / w);
      const guint8 *pixel = crop->data + (gsize) y * crop->stride + (gsize) x * crop->channels;
      const int next[4][2] = { { x - 1, y }, { x + 1, y }, { x, y - 1 }, { x, y + 1 } };

      g_array_set_size (stack, stack->len - 1);
      if (mask[at] == 0 || !is_black (pixel, crop->channels))
        continue;
      mask[at] = 0;
      for (int k = 0; k < 4; k++)
        if (next[k][0] >= 0 && next[k][0] < w && next[k][1] >= 0 && next[k][1] < h)
          {
            gint64 n = (gint64) next[k][1] * w + next[k][0];

            if (mask[n] != 0)
              g_array_append_val (stack, n);
          }
    }
  g_array_unref (stack);
  return mask;
}

/* Distance of each kept pixel to the nearest pixel not kept (or the crop's edge), in pixels:
 * the two-pass chamfer with 1 and √2. */
static float *
distance_to_edge (const guint8 *mask, int w, int h)
{
  float *d = g_new (float, (gsize) w * h);
  const float diagonal = (float) G_SQRT2;

  for (gsize i = 0; i < (gsize) w * h; i++)
    d[i] = mask[i] ? G_MAXFLOAT : 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        float *at = &d[(gsize) y * w + x];

        if (*at == 0)
          continue;
        /* beyond the crop counts as not kept */
        *at = MIN (*at, (float) MIN (x + 1, y + 1));
        if (x > 0)
          *at = MIN (*at, at[-1] + 1);
        if (y > 0)
          *at = MIN (*at, at[-w] + 1);
        if (x > 0 && y > 0)
          *at = MIN (*at, at[-w - 1] + diagonal);
        if (x < w - 1 && y > 0)
          *at = MIN (*at, at[-w + 1] + diagonal);
      }
  for (int y = h - 1; y >= 0; y--)
    for (int x = w - 1; x >= 0; x--)
      {
        float *at = &d[(gsize) y * w + x];

        if (*at == 0)
          continue;
        *at = MIN (*at, (float) MIN (w - x, h - y));
        if (x < w - 1)
          *at = MIN (*at, at[1] + 1);
        if (y < h - 1)
          *at = MIN (*at, at[w] + 1);
        if (x < w - 1 && y < h - 1)
          *at = MIN (*at, at[w + 1] + diagonal);
        if (x > 0 && y < h - 1)
          *at = MIN (*at, at[w - 1] + diagonal);
      }
  return d;
}

BmSynthPatch *
bm_synth_patch_new (BmImage  *crop,
                    gboolean  feather)
{
  BmSynthPatch *patch;
  g_autofree guint8 *mask = NULL;
  g_autofree float *distance = NULL;
  float width;
  int w, h;
  int x1, y1, x2, y2;

  g_return_val_if_fail (crop != NULL, NULL);

  w = crop->width;
  h = crop->height;
  mask = bm_synth_crop_mask (crop);
  width = (float) CLAMP (MIN (w, h) / 10.0, 1, MAX_FEATHER);
  if (feather)
    distance = distance_to_edge (mask, w, h);

  patch = g_new0 (BmSynthPatch, 1);
  patch->ref_count = 1;
  patch->width = w;
  patch->height = h;
  patch->rgba = bm_image_new (w, h, 4);
  x1 = w;
  y1 = h;
  x2 = y2 = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *in = crop->data + (gsize) y * crop->stride + (gsize) x * crop->channels;
        guint8 *out = patch->rgba->data + (gsize) y * patch->rgba->stride + (gsize) x * 4;
        gsize i = (gsize) y * w + x;
        guint alpha = mask[i];

        if (alpha == 0)
          continue;
        x1 = MIN (x1, x);
        y1 = MIN (y1, y);
        x2 = MAX (x2, x + 1);
        y2 = MAX (y2, y + 1);
        /* the edge pixel itself half-way, full strength at the feather's width */
        if (distance != NULL && distance[i] - 0.5f < width)
          alpha = (guint) (alpha * ((distance[i] - 0.5f) / width) + 0.5f);
        /* premultiplied, rounded to nearest */
        for (int c = 0; c < 3; c++)
          out[c] = (guint8) ((in[crop->channels >= 3 ? c : 0] * alpha + 127) / 255);
        out[3] = (guint8) alpha;
      }
  patch->empty = x2 <= x1;
  patch->visible = (BmRect) { x1, y1, x2, y2 };
  return patch;
}

BmSynthPatch *
bm_synth_patch_ref (BmSynthPatch *patch)
{
  g_atomic_int_inc (&patch->ref_count);
  return patch;
}

void
bm_synth_patch_unref (BmSynthPatch *patch)
{
  if (patch == NULL || !g_atomic_int_dec_and_test (&patch->ref_count))
    return;
  bm_image_unref (patch->rgba);
  g_free (patch);
}

BmAffine
bm_synth_placement (int    width,
                    int    height,
                    double out_width,
                    double out_height,
                    double degrees,
                    double cx,
                    double cy)
{
  BmAffine to_centre, scale, turn, to_canvas, m;

  bm_affine_init_translate (&to_centre, -width / 2.0, -height / 2.0);
  bm_affine_init_scale (&scale, out_width / width, out_height / height);
  bm_affine_init_rotation (&turn, 0, 0, degrees, 1);
  bm_affine_init_translate (&to_canvas, cx, cy);
  m = bm_affine_then (&to_centre, &scale);
  m = bm_affine_then (&m, &turn);
  return bm_affine_then (&m, &to_canvas);
}

void
bm_synth_footprint (const BmSynthPatch *patch,
                    const BmAffine     *placement,
                    BmPoint             corners[4])
{
  const BmPoint rect[4] = { { 0, 0 }, { patch->width, 0 }, { patch->width, patch->height }, { 0, patch->height } };

  for (int i = 0; i < 4; i++)
    corners[i] = bm_affine_apply (placement, rect[i]);
}

static void
project (const BmPoint quad[4], double ax, double ay, double *min, double *max)
{
  *min = G_MAXDOUBLE;
  *max = -G_MAXDOUBLE;
  for (int i = 0; i < 4; i++)
    {
      double v = quad[i].x * ax + quad[i].y * ay;

      *min = MIN (*min, v);
      *max = MAX (*max, v);
    }
}

gboolean
bm_synth_quads_touch (const BmPoint a[4],
                      const BmPoint b[4],
                      double        gap)
{
  /* separating axes: the edge normals of both */
  for (int q = 0; q < 2; q++)
    {
      const BmPoint *quad = q == 0 ? a : b;

      for (int i = 0; i < 4; i++)
        {
          double ex = quad[(i + 1) % 4].x - quad[i].x, ey = quad[(i + 1) % 4].y - quad[i].y;
          double length = hypot (ex, ey);
          double amin, amax, bmin, bmax;

          if (length < 1e-12)
            continue;
          project (a, -ey / length, ex / length, &amin, &amax);
          project (b, -ey / length, ex / length, &bmin, &bmax);
          if (amax + gap <= bmin || bmax + gap <= amin)
            return FALSE;
        }
    }
  return TRUE;
}

/* @image averaged down by @factor in each direction (premultiplied RGBA, so edges stay clean). */
static BmImage *
shrink (BmImage *image, int factor)
{
  int w = (image->width + factor - 1) / factor, h = (image->height + factor - 1) / factor;
  BmImage *out = bm_image_new (w, h, 4);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint sum[4] = { 0, 0, 0, 0 };
        /* the pixels past the crop's edge count as transparent */
        guint n = (guint) (factor * factor);

        for (int sy = y * factor; sy < MIN ((y + 1) * factor, image->height); sy++)
          for (int sx = x * factor; sx < MIN ((x + 1) * factor, image->width); sx++)
            {
              const guint8 *pixel = image->data + (gsize) sy * image->stride + (gsize) sx * 4;

              for (int c = 0; c < 4; c++)
                sum[c] += pixel[c];
            }
        for (int c = 0; c < 4; c++)
          out->data[(gsize) y * out->stride + (gsize) x * 4 + c] = (guint8) ((sum[c] + n / 2) / n);
      }
  return out;
}

void
bm_synth_paste (const BmSynthPatch *patch,
                const BmAffine     *placement,
                BmImage            *canvas)
{
  BmPoint corners[4];
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE, shrink_by;
  int left, top, right, bottom;
  g_autoptr(BmImage) source = NULL;
  g_autoptr(BmImage) layer = NULL;
  BmAffine m, to_layer, scale_up;
  const guint8 transparent[4] = { 0, 0, 0, 0 };

  g_return_if_fail (patch != NULL && placement != NULL && canvas != NULL && canvas->channels == 3);

  bm_synth_footprint (patch, placement, corners);
  for (int i = 0; i < 4; i++)
    {
      x1 = MIN (x1, corners[i].x);
      y1 = MIN (y1, corners[i].y);
      x2 = MAX (x2, corners[i].x);
      y2 = MAX (y2, corners[i].y);
    }
  left = MAX ((int) floor (x1), 0);
  top = MAX ((int) floor (y1), 0);
  right = MIN ((int) ceil (x2), canvas->width);
  bottom = MIN ((int) ceil (y2), canvas->height);
  if (right <= left || bottom <= top)
    return;

  /* how much the placement shrinks the crop, along its more shrunk axis */
  shrink_by = MIN (hypot (placement->m[0], placement->m[3]), hypot (placement->m[1], placement->m[4]));
  m = *placement;
  if (shrink_by < MAX_BILINEAR_SHRINK)
    {
      int factor = (int) floor (1 / shrink_by);

      source = shrink (patch->rgba, factor);
      bm_affine_init_scale (&scale_up, factor, factor);
      m = bm_affine_then (&scale_up, &m);
    }
  else
    source = bm_image_ref (patch->rgba);

  layer = bm_image_new (right - left, bottom - top, 4);
  bm_affine_init_translate (&to_layer, -left, -top);
  m = bm_affine_then (&m, &to_layer);
  m = bm_affine_edge_to_index (&m);
  bm_augment_warp_affine (source, layer, &m, BM_AUGMENT_BORDER_CONSTANT, transparent);

  for (int y = 0; y < layer->height; y++)
    for (int x = 0; x < layer->width; x++)
      {
        const guint8 *over = layer->data + (gsize) y * layer->stride + (gsize) x * 4;
        guint8 *under = canvas->data + (gsize) (top + y) * canvas->stride + (gsize) (left + x) * 3;
        guint keep = 255 - over[3];

        if (over[3] == 0)
          continue;
        for (int c = 0; c < 3; c++)
          under[c] = (guint8) MIN (255u, (under[c] * keep + 127) / 255 + over[c]);
      }
}
