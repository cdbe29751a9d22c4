/* bm-augment-ops.c: the augmentation operations on image and objects.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bm-augment-private.h"
#include "bm-error.h"

/* --- shapes -------------------------------------------------------------------------------- */

static BmRect
rect_clip (BmRect r, int width, int height)
{
  r.x1 = CLAMP (r.x1, 0, width);
  r.x2 = CLAMP (r.x2, 0, width);
  r.y1 = CLAMP (r.y1, 0, height);
  r.y2 = CLAMP (r.y2, 0, height);
  return r;
}

static gboolean
is_rectangle (const BmShape *s)
{
  double ex = s->p[1].x - s->p[0].x, ey = s->p[1].y - s->p[0].y;
  double fx = s->p[2].x - s->p[1].x, fy = s->p[2].y - s->p[1].y;
  double gx = s->p[3].x - s->p[0].x, gy = s->p[3].y - s->p[0].y;
  double scale = hypot (ex, ey) * hypot (fx, fy);

  return fabs (ex * fx + ey * fy) <= 1e-9 * scale
         && fabs (gx - fx) <= 1e-9 * (1 + fabs (fx)) && fabs (gy - fy) <= 1e-9 * (1 + fabs (fy));
}

static double
affine_det (const BmAffine *m)
{
  return m->m[0] * m->m[4] - m->m[1] * m->m[3];
}

/* A mirrored rotated box turns counter-clockwise; reorder it so that corners run clockwise again
 * with p0→p1 still the width edge. */
static void
restore_clockwise (BmShape *s)
{
  BmShape t = *s;

  s->p[0] = t.p[1];
  s->p[1] = t.p[0];
  s->p[2] = t.p[3];
  s->p[3] = t.p[2];
}

static void
transform_shape (BmShape *shape, const BmAffine *m, BmAugmentBoxMethod method)
{
  if (shape->kind == BM_SHAPE_BOX && method == BM_AUGMENT_BOX_ELLIPSE)
    {
      /* The ellipse inscribed in the box, moved: its bounding box has these half-extents. */
      BmRect r = bm_shape_bounds (shape);
      double a = (r.x2 - r.x1) / 2, b = (r.y2 - r.y1) / 2;
      BmPoint c = bm_affine_apply (m, (BmPoint) { r.x1 + a, r.y1 + b });
      double hw = hypot (m->m[0] * a, m->m[1] * b), hh = hypot (m->m[3] * a, m->m[4] * b);

      bm_shape_init_box (shape, c.x - hw, c.y - hh, c.x + hw, c.y + hh);
      return;
    }

  for (int i = 0; i < 4; i++)
    shape->p[i] = bm_affine_apply (m, shape->p[i]);

  if (shape->kind == BM_SHAPE_BOX)
    {
      BmRect r = bm_shape_bounds (shape);
      bm_shape_init_box (shape, r.x1, r.y1, r.x2, r.y2);
    }
  else if (shape->kind == BM_SHAPE_ROTATED)
    {
      if (!is_rectangle (shape))
        shape->kind = BM_SHAPE_QUAD;
      else if (affine_det (m) < 0)
        restore_clockwise (shape);
    }
}

void
bm_augment_transform_shape (BmShape *shape, const BmAffine *m, BmAugmentBoxMethod box_method)
{
  g_return_if_fail (shape != NULL && m != NULL);

  transform_shape (shape, m, box_method);
}

static gboolean
survives (BmAugmentSurvival rule, const BmShape *shape, const BmRect *before, double scale,
          int width, int height)
{
  BmRect b = bm_shape_bounds (shape);
  BmRect c = rect_clip (b, width, height);
  double cw = c.x2 - c.x1, ch = c.y2 - c.y1;
  BmPoint centre = bm_shape_centre (shape);

  switch (rule)
    {
    case BM_AUGMENT_KEEP_ALL:
      return TRUE;
    case BM_AUGMENT_KEEP_NONEMPTY:
      return bm_rect_area (&b) >= 1e-7 && cw > 0 && ch > 0;
    case BM_AUGMENT_KEEP_CANDIDATES:
      {
        double w1 = (before->x2 - before->x1) * scale, h1 = (before->y2 - before->y1) * scale;
        double aspect = MAX (cw / (ch + 1e-16), ch / (cw + 1e-16));
        return cw > 2 && ch > 2 && cw * ch / (w1 * h1 + 1e-16) > 0.10 && aspect < 100;
      }
    case BM_AUGMENT_KEEP_OVERLAP:
      if (shape->kind == BM_SHAPE_BOX)
        return b.x1 < width && b.y1 < height && b.x2 > 0 && b.y2 > 0;
      return centre.x >= 0 && centre.x <= width && centre.y >= 0 && centre.y <= height;
    case BM_AUGMENT_KEEP_CENTRE:
      return centre.x >= 0 && centre.x < width && centre.y >= 0 && centre.y < height && cw > 0 && ch > 0;
    default:
      g_assert_not_reached ();
    }
}

/* Moves every object by @m; live ones are judged by @rule and, when kept, boxes are clipped to
 * the new canvas. Dropped objects move too (unclipped) so the UI can draw them in place. */
void
_bm_augment_move_items (BmAugmentSample *sample, const BmAffine *m, BmAugmentBoxMethod method,
                        BmAugmentSurvival rule, double scale, int width, int height)
{
  for (guint i = 0; i < sample->items->len; i++)
    {
      BmAugmentItem *item = g_ptr_array_index (sample->items, i);
      BmShape shape = *bm_object_get_shape (item->object);
      BmRect before = bm_shape_bounds (&shape);

      transform_shape (&shape, m, method);
      if (!item->dropped)
        {
          if (!survives (rule, &shape, &before, scale, width, height))
            item->dropped = TRUE;
          else if (shape.kind == BM_SHAPE_BOX)
            {
              BmRect r = rect_clip (bm_shape_bounds (&shape), width, height);
              bm_shape_init_box (&shape, r.x1, r.y1, r.x2, r.y2);
            }
        }
      bm_object_set_shape (item->object, &shape);
    }
}

/* --- images -------------------------------------------------------------------------------- */

/* Fill colour of a new canvas: gray from the first entry, alpha opaque. */
static void
make_fill (const BmImage *like, const guint8 rgb[3], guint8 fill[4])
{
  switch (like->channels)
    {
    case 1: fill[0] = rgb[0]; break;
    case 2: fill[0] = rgb[0]; fill[1] = 255; break;
    case 3: memcpy (fill, rgb, 3); break;
    default: memcpy (fill, rgb, 3); fill[3] = 255; break;
    }
}

static BmImage *
canvas_new (int width, int height, int channels, const guint8 *fill)
{
  BmImage *image = bm_image_new (width, height, channels);

  for (int x = 0; x < width; x++)
    memcpy (image->data + (gsize) x * channels, fill, channels);
  for (int y = 1; y < height; y++)
    memcpy (_bm_augment_pixel_at (image, 0, y), image->data, (gsize) width * channels);
  return image;
}

/* A w × h canvas with @src at (x, y) (inside) and @fill elsewhere, each byte written once. */
static BmImage *
canvas_around (const BmImage *src, int w, int h, int x, int y, const guint8 *fill)
{
  int cn = src->channels;
  BmImage *image = bm_image_new (w, h, cn);
  g_autofree guint8 *row = g_malloc ((gsize) w * cn);

  for (int i = 0; i < w; i++)
    memcpy (row + (gsize) i * cn, fill, cn);
  for (int r = 0; r < h; r++)
    {
      guint8 *d = _bm_augment_pixel_at (image, 0, r);

      if (r < y || r >= y + src->height)
        memcpy (d, row, (gsize) w * cn);
      else
        {
          memcpy (d, row, (gsize) x * cn);
          memcpy (d + (gsize) x * cn, src->data + (gsize) (r - y) * src->stride, (gsize) src->width * cn);
          memcpy (d + (gsize) (x + src->width) * cn, row, (gsize) (w - x - src->width) * cn);
        }
    }
  return image;
}

BmImage *
_bm_augment_canvas_new_gray (const BmImage *like, int width, int height, guint8 value)
{
  guint8 rgb[3] = { value, value, value }, fill[4];

  make_fill (like, rgb, fill);
  return canvas_new (width, height, like->channels, fill);
}

/* Copies the part of @src that lands inside @dst when its top-left goes to (x, y). */
void
_bm_augment_paste (BmImage *dst, const BmImage *src, int x, int y)
{
  int x0 = MAX (x, 0), y0 = MAX (y, 0);
  int x1 = MIN (x + src->width, dst->width), y1 = MIN (y + src->height, dst->height);

  g_return_if_fail (dst->channels == src->channels);
  if (x1 <= x0)
    return;
  for (int row = y0; row < y1; row++)
    memcpy (_bm_augment_pixel_at (dst, x0, row),
            src->data + (gsize) (row - y) * src->stride + (gsize) (x0 - x) * src->channels,
            (gsize) (x1 - x0) * src->channels);
}

void
_bm_augment_replace_image (BmAugmentSample *sample, BmImage *image)
{
  bm_image_unref (sample->image);
  sample->image = image;
}

static BmImage *
resize_image (const BmImage *src, int width, int height)
{
  BmImage *dst = bm_image_new (width, height, src->channels);
  BmAffine scale, pixels;

  bm_affine_init_scale (&scale, (double) width / src->width, (double) height / src->height);
  pixels = bm_affine_edge_to_index (&scale);
  bm_augment_warp_affine (src, dst, &pixels, BM_AUGMENT_BORDER_REPLICATE, NULL);
  return dst;
}

gboolean
_bm_augment_fail (GError **error, const char *message)
{
  g_set_error_literal (error, BM_ERROR, BM_ERROR_INVALID, message);
  return FALSE;
}

/* Largest canvas an operation may create: 2^27 pixels (a 16384 × 8192 image). */
gboolean
_bm_augment_canvas_size_ok (double width, double height)
{
  return width >= 1 && height >= 1 && width <= 65536 && height <= 65536 && width * height <= (double) (1 << 27);
}

/* --- geometric operations ------------------------------------------------------------------ */

void
bm_augment_apply_matrix (BmAugmentSample    *sample,
                         const BmAffine     *boxes,
                         int                 out_width,
                         int                 out_height,
                         BmAugmentBoxMethod  box_method,
                         BmAugmentSurvival   survival,
                         double              scale)
{
  const BmAugmentProfile *profile;
  BmAffine pixels;
  BmImage *image;
  guint8 gray[3], fill[4];

  g_return_if_fail (sample != NULL && boxes != NULL);
  g_return_if_fail (out_width > 0 && out_height > 0);

  profile = sample->profile;
  pixels = profile->pixel_centres ? bm_affine_edge_to_index (boxes) : *boxes;
  memset (gray, profile->border_value, 3);
  make_fill (sample->image, gray, fill);
  image = bm_image_new (out_width, out_height, sample->image->channels);
  bm_augment_warp_affine (sample->image, image, &pixels, BM_AUGMENT_BORDER_CONSTANT, fill);
  _bm_augment_replace_image (sample, image);
  _bm_augment_move_items (sample, boxes, box_method, survival, scale, out_width, out_height);
}

static int
canvas_side (double exact, gboolean round_it)
{
  return MAX (1, (int) (round_it ? lround (exact) : exact));
}

void
bm_augment_rotation_geometry (const BmAugmentOp      *op,
                              const BmAugmentProfile *profile,
                              int                     width,
                              int                     height,
                              BmAffine               *boxes,
                              BmAffine               *pixels,
                              int                    *out_width,
                              int                    *out_height)
{
  double cx, cy, a, b, exact_w, exact_h;
  double degrees = op->rotate.degrees, scale = op->rotate.scale;
  BmAffine m;
  int w = width, h = height;

  g_return_if_fail (op->kind == BM_AUGMENT_OP_ROTATE);

  if (profile->centre == BM_AUGMENT_CENTRE_INDEX)
    cx = (width - 1) * 0.5, cy = (height - 1) * 0.5;
  else
    cx = width * 0.5, cy = height * 0.5;

  bm_affine_init_rotation (&m, cx, cy, degrees, scale);
  a = fabs (m.m[0]);
  b = fabs (m.m[1]);
  exact_w = height * b + width * a;
  exact_h = height * a + width * b;

  switch (op->rotate.canvas)
    {
    case BM_AUGMENT_CANVAS_KEEP:
      break;
    case BM_AUGMENT_CANVAS_ENLARGE:
      w = canvas_side (exact_w, profile->canvas_round);
      h = canvas_side (exact_h, profile->canvas_round);
      /* PaddleDetection centres on the unrounded size, Albumentations on the integer one. */
      m.m[2] += ((profile->canvas_round ? exact_w : w) - width) * 0.5;
      m.m[5] += ((profile->canvas_round ? exact_h : h) - height) * 0.5;
      break;
    case BM_AUGMENT_CANVAS_SHRINK:
      {
        double fit = MIN ((double) width / canvas_side (exact_w, profile->canvas_round),
                          (double) height / canvas_side (exact_h, profile->canvas_round));
        bm_affine_init_rotation (&m, cx, cy, degrees, fit);
      }
      break;
    case BM_AUGMENT_CANVAS_SQUEEZE:
      {
        int nw = canvas_side (exact_w, profile->canvas_round);
        int nh = canvas_side (exact_h, profile->canvas_round);
        BmAffine squeeze;

        m.m[2] += nw * 0.5 - cx;
        m.m[5] += nh * 0.5 - cy;
        bm_affine_init_scale (&squeeze, (double) width / nw, (double) height / nh);
        m = bm_affine_then (&m, &squeeze);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (boxes)
    *boxes = m;
  if (pixels)
    *pixels = profile->pixel_centres ? bm_affine_edge_to_index (&m) : m;
  if (out_width)
    *out_width = w;
  if (out_height)
    *out_height = h;
}

static gboolean
apply_rotate (BmAugmentSample *sample, const BmAugmentOp *op, GError **error)
{
  BmAffine boxes;
  int w, h;

  if (!(op->rotate.scale > 0 && op->rotate.scale <= 100) || !isfinite (op->rotate.degrees)
      || op->rotate.canvas > BM_AUGMENT_CANVAS_SQUEEZE || op->rotate.box_method > BM_AUGMENT_BOX_ELLIPSE)
    return _bm_augment_fail (error, _("Rotation needs a finite angle and a scale in (0, 100]"));
  if (op->rotate.canvas == BM_AUGMENT_CANVAS_ENLARGE
      && !_bm_augment_canvas_size_ok (op->rotate.scale * (sample->image->width + sample->image->height),
                                      op->rotate.scale * (sample->image->width + sample->image->height)))
    return _bm_augment_fail (error, _("Rotated canvas too large"));
  bm_augment_rotation_geometry (op, sample->profile, sample->image->width, sample->image->height,
                                &boxes, NULL, &w, &h);
  /* the Ultralytics area rule compensates the scale actually used (shrink-to-fit included) */
  bm_augment_apply_matrix (sample, &boxes, w, h, op->rotate.box_method, sample->profile->survival,
                           sqrt (fabs (affine_det (&boxes))));
  return TRUE;
}

static inline __attribute__ ((always_inline)) void
mirror_row (guint8 *d, const guint8 *src, int width, const int cn)
{
  const guint8 *p = src + (gsize) (width - 1) * cn;

  for (int x = 0; x < width; x++, d += cn, p -= cn)
    for (int k = 0; k < cn; k++)
      d[k] = p[k];
}

static BmImage *
flipped_image (const BmImage *src, gboolean horizontal)
{
  BmImage *image = bm_image_new (src->width, src->height, src->channels);
  gsize row = (gsize) src->width * src->channels;

  for (int y = 0; y < src->height; y++)
    {
      guint8 *d = _bm_augment_pixel_at (image, 0, y);

      if (!horizontal)
        {
          memcpy (d, src->data + (gsize) (src->height - 1 - y) * src->stride, row);
          continue;
        }
      switch (src->channels)
        {
        case 1: mirror_row (d, src->data + (gsize) y * src->stride, src->width, 1); break;
        case 2: mirror_row (d, src->data + (gsize) y * src->stride, src->width, 2); break;
        case 3: mirror_row (d, src->data + (gsize) y * src->stride, src->width, 3); break;
        default: mirror_row (d, src->data + (gsize) y * src->stride, src->width, 4); break;
        }
    }
  return image;
}

static gboolean
apply_flip (BmAugmentSample *sample, const BmAugmentOp *op, GError **error)
{
  gboolean horizontal = op->kind == BM_AUGMENT_OP_HFLIP;
  BmImage *image = flipped_image (sample->image, horizontal);
  BmAffine m;

  _bm_augment_replace_image (sample, image);
  if (horizontal)
    m = (BmAffine) { { -1, 0, image->width - op->flip.offset, 0, 1, 0 } };
  else
    m = (BmAffine) { { 1, 0, 0, 0, -1, image->height - op->flip.offset } };
  _bm_augment_move_items (sample, &m, BM_AUGMENT_BOX_LARGEST, BM_AUGMENT_KEEP_ALL, 1, G_MAXINT, G_MAXINT);
  return TRUE;
}

static gboolean
apply_expand (BmAugmentSample *sample, const BmAugmentOp *op, GError **error)
{
  const BmImage *src = sample->image;
  double r = op->expand.ratio;
  guint8 fill[4];
  BmImage *image;
  BmAffine m;
  int w, h;

  if (!(r > 0) || !_bm_augment_canvas_size_ok (src->width * r, src->height * r))
    return _bm_augment_fail (error, _("Expansion ratio out of range"));
  w = (int) (src->width * r);
  h = (int) (src->height * r);
  if (sample->profile->expand_strict && !(h > src->height && w > src->width))
    return TRUE;   /* PaddleDetection leaves the sample alone unless both sides grow */
  if (w < src->width || h < src->height)
    return _bm_augment_fail (error, _("Expansion ratio below 1"));
  if (op->expand.x < 0 || op->expand.y < 0 || op->expand.x > w - src->width || op->expand.y > h - src->height)
    return _bm_augment_fail (error, _("Expansion offset outside the new canvas"));

  make_fill (src, op->expand.fill, fill);
  image = canvas_around (src, w, h, op->expand.x, op->expand.y, fill);
  _bm_augment_replace_image (sample, image);
  bm_affine_init_translate (&m, op->expand.x, op->expand.y);
  _bm_augment_move_items (sample, &m, BM_AUGMENT_BOX_LARGEST, BM_AUGMENT_KEEP_ALL, 1, w, h);
  return TRUE;
}

static BmImage *
crop_image (const BmImage *src, int x, int y, int w, int h)
{
  BmImage *image = bm_image_new (w, h, src->channels);

  _bm_augment_paste (image, src, -x, -y);
  return image;
}

gboolean
_bm_augment_apply_crop (BmAugmentSample *sample, const BmAugmentOp *op, GError **error)
{
  int x = op->crop.x, y = op->crop.y, w = op->crop.width, h = op->crop.height;
  BmAffine m;

  if (w < 1 || h < 1 || x < 0 || y < 0 || (gint64) x + w > sample->image->width || (gint64) y + h > sample->image->height)
    return _bm_augment_fail (error, _("Crop window outside the image"));
  _bm_augment_replace_image (sample, crop_image (sample->image, x, y, w, h));
  bm_affine_init_translate (&m, -x, -y);
  _bm_augment_move_items (sample, &m, BM_AUGMENT_BOX_LARGEST, sample->profile->crop_survival, 1, w, h);
  return TRUE;
}

gboolean
_bm_augment_apply_scale (BmAugmentSample *sample, const BmAugmentOp *op, GError **error)
{
  int w = op->scale.width, h = op->scale.height;
  BmAffine m;

  if (!_bm_augment_canvas_size_ok (w, h))
    return _bm_augment_fail (error, _("Scaled size out of range"));
  bm_affine_init_scale (&m, (double) w / sample->image->width, (double) h / sample->image->height);
  _bm_augment_replace_image (sample, resize_image (sample->image, w, h));
  _bm_augment_move_items (sample, &m, BM_AUGMENT_BOX_LARGEST, BM_AUGMENT_KEEP_ALL, 1, w, h);
  return TRUE;
}

/* Ultralytics LetterBox(auto=False, scaleup=True, center=True): Python's round() is half-even,
 * as rint() is in the default rounding mode. */
static gboolean
apply_letterbox (BmAugmentSample *sample, const BmAugmentOp *op, GError **error)
{
  const BmImage *src = sample->image;
  int tw = op->letterbox.width, th = op->letterbox.height;
  double r, dw, dh;
  int uw, uh, top, left;
  BmImage *image;
  BmAffine m;

  if (!_bm_augment_canvas_size_ok (tw, th))
    return _bm_augment_fail (error, _("Letterbox size out of range"));
  r = MIN ((double) th / src->height, (double) tw / src->width);
  uw = MAX (1, (int) rint (src->width * r));
  uh = MAX (1, (int) rint (src->height * r));
  dw = (tw - uw) / 2.0;
  dh = (th - uh) / 2.0;
  top = (int) rint (dh - 0.1);
  left = (int) rint (dw - 0.1);

  image = _bm_augment_canvas_new_gray (src, tw, th, sample->profile->pad_value);
  if (uw != src->width || uh != src->height)
    {
      g_autoptr(BmImage) resized = resize_image (src, uw, uh);
      _bm_augment_paste (image, resized, left, top);
    }
  else
    _bm_augment_paste (image, src, left, top);
  _bm_augment_replace_image (sample, image);
  m = (BmAffine) { { r, 0, left, 0, r, top } };
  _bm_augment_move_items (sample, &m, BM_AUGMENT_BOX_LARGEST, BM_AUGMENT_KEEP_ALL, 1, tw, th);
  return TRUE;
}

/* --- colour -------------------------------------------------------------------------------- */

static void
build_hsv_luts (const BmAugmentOp *op, guint8 hue[256], guint8 sat[256], guint8 val[256])
{
  for (int x = 0; x < 256; x++)
    {
      double h = fmod (x + op->hsv.hue * 180.0, 180.0);

      if (h < 0)
        h += 180.0;
      hue[x] = (guint8) h;
      sat[x] = (guint8) CLAMP (x * (1.0 + op->hsv.saturation), 0.0, 255.0);
      val[x] = (guint8) CLAMP (x * (1.0 + op->hsv.value), 0.0, 255.0);
    }
  sat[0] = 0;
}

/* OpenCV's 8-bit HSV (H in [0, 180), S and V in [0, 255]) in integer arithmetic with 12-bit
 * reciprocal tables, so the hue the LUTs see matches cv2.cvtColor(RGB2HSV). */
typedef struct
{
  int sdiv[256];   /* round(255·4096 / v) */
  int hdiv[256];   /* round(180·4096 / (6·d)) */
} HsvTables;

static void
hsv_tables_init (HsvTables *t)
{
  t->sdiv[0] = t->hdiv[0] = 0;
  for (int i = 1; i < 256; i++)
    {
      t->sdiv[i] = (int) lrint ((255 << 12) / (double) i);
      t->hdiv[i] = (int) lrint ((180 << 12) / (6.0 * i));
    }
}

static inline void
rgb_to_hsv8 (const HsvTables *t, const guint8 *p, int *h, int *s, int *v)
{
  int r = p[0], g = p[1], b = p[2];
  int mx = MAX (r, MAX (g, b)), mn = MIN (r, MIN (g, b)), d = mx - mn;
  int hh;

  if (mx == r)
    hh = g - b;
  else if (mx == g)
    hh = b - r + 2 * d;
  else
    hh = r - g + 4 * d;
  hh = (hh * t->hdiv[d] + (1 << 11)) >> 12;
  if (hh < 0)
    hh += 180;
  *h = hh;
  *s = (d * t->sdiv[mx] + (1 << 11)) >> 12;
  *v = mx;
}

/* cv2.cvtColor(HSV2RGB) for 8 bits as OpenCV 4.6 computes it: float32 sector arithmetic on S and V
 * scaled to [0, 1], then ×255 truncated (matches it on all but ~0.03 % of HSV triples, by 1). */
static inline void
hsv8_to_rgb (int h, int s, int v, guint8 *p)
{
  float hh = h * (6.0f / 180.0f), sf = s * (1.0f / 255.0f), vf = v * (1.0f / 255.0f);
  int sector = (int) hh;
  float f = hh - sector;
  float a = vf * (1 - sf), b = vf * (1 - sf * f), c = vf * (1 - sf * (1 - f));
  float rgb[3];

  if (s == 0)
    {
      p[0] = p[1] = p[2] = (guint8) v;
      return;
    }
  switch (sector % 6)
    {
    case 0: rgb[0] = vf, rgb[1] = c, rgb[2] = a; break;
    case 1: rgb[0] = b, rgb[1] = vf, rgb[2] = a; break;
    case 2: rgb[0] = a, rgb[1] = vf, rgb[2] = c; break;
    case 3: rgb[0] = a, rgb[1] = b, rgb[2] = vf; break;
    case 4: rgb[0] = c, rgb[1] = a, rgb[2] = vf; break;
    default: rgb[0] = vf, rgb[1] = a, rgb[2] = b; break;
    }
  for (int k = 0; k < 3; k++)
    p[k] = (guint8) CLAMP ((int) (rgb[k] * 255.0f), 0, 255);
}

static void
apply_hsv (BmImage *image, const BmAugmentOp *op)
{
  guint8 hue[256], sat[256], val[256];
  HsvTables tables;

  build_hsv_luts (op, hue, sat, val);
  hsv_tables_init (&tables);
  for (int y = 0; y < image->height; y++)
    {
      guint8 *p = _bm_augment_pixel_at (image, 0, y);

      for (int x = 0; x < image->width; x++, p += image->channels)
        {
          int h, s, v;

          if (image->channels < 3)
            {
              p[0] = val[p[0]];
              continue;
            }
          rgb_to_hsv8 (&tables, p, &h, &s, &v);
          hsv8_to_rgb (hue[h], sat[s], val[v], p);
        }
    }
}

static int
colour_channels (const BmImage *image)
{
  return image->channels >= 3 ? 3 : 1;
}

static void
apply_colour_lut (BmImage *image, const guint8 lut[256])
{
  int cc = colour_channels (image);

  for (int y = 0; y < image->height; y++)
    {
      guint8 *p = _bm_augment_pixel_at (image, 0, y);

      for (int x = 0; x < image->width; x++, p += image->channels)
        for (int k = 0; k < cc; k++)
          p[k] = lut[p[k]];
    }
}

/* PIL ImageEnhance.Brightness: a blend with black. */
static void
apply_brightness (BmImage *image, double factor)
{
  guint8 lut[256];

  for (int i = 0; i < 256; i++)
    lut[i] = (guint8) CLAMP (i * factor, 0.0, 255.0);
  apply_colour_lut (image, lut);
}

/* PIL ImageEnhance.Contrast: a blend with the mean gray level (ITU-R 601 luma, rounded). */
static void
apply_contrast (BmImage *image, double factor)
{
  int cc = colour_channels (image);
  guint64 sum = 0;
  guint8 lut[256];
  int mean;

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *p = _bm_augment_pixel_at (image, 0, y);

      for (int x = 0; x < image->width; x++, p += image->channels)
        sum += cc == 3 ? (guint64) ((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16) : p[0];
    }
  mean = (int) ((double) sum / ((double) image->width * image->height) + 0.5);
  for (int i = 0; i < 256; i++)
    lut[i] = (guint8) CLAMP (mean + factor * (i - mean), 0.0, 255.0);
  apply_colour_lut (image, lut);
}

static void
copy_image_in_place (BmAugmentSample *sample)
{
  BmImage *image = bm_image_new (sample->image->width, sample->image->height, sample->image->channels);

  _bm_augment_paste (image, sample->image, 0, 0);
  _bm_augment_replace_image (sample, image);
}

/* --- cutout -------------------------------------------------------------------------------- */

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Area of @box covered by the holes, and the bounding box of what stays visible, by cutting the
 * box along every hole edge (exact for rectangles). */
static double
erased_area (const BmRect *box, const BmRect *holes, int n_holes, BmRect *visible)
{
  double xs[2 * BM_AUGMENT_MAX_HOLES + 2], ys[2 * BM_AUGMENT_MAX_HOLES + 2];
  int nx = 0, ny = 0;
  double erased = 0;
  gboolean any = FALSE;

  xs[nx++] = box->x1, xs[nx++] = box->x2;
  ys[ny++] = box->y1, ys[ny++] = box->y2;
  for (int i = 0; i < n_holes; i++)
    {
      if (holes[i].x1 > box->x1 && holes[i].x1 < box->x2) xs[nx++] = holes[i].x1;
      if (holes[i].x2 > box->x1 && holes[i].x2 < box->x2) xs[nx++] = holes[i].x2;
      if (holes[i].y1 > box->y1 && holes[i].y1 < box->y2) ys[ny++] = holes[i].y1;
      if (holes[i].y2 > box->y1 && holes[i].y2 < box->y2) ys[ny++] = holes[i].y2;
    }
  qsort (xs, nx, sizeof (double), compare_double);
  qsort (ys, ny, sizeof (double), compare_double);

  *visible = (BmRect) { box->x2, box->y2, box->x1, box->y1 };
  for (int i = 0; i + 1 < nx; i++)
    for (int j = 0; j + 1 < ny; j++)
      {
        double cx = (xs[i] + xs[i + 1]) / 2, cy = (ys[j] + ys[j + 1]) / 2;
        double area = (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
        gboolean covered = FALSE;

        if (area <= 0)
          continue;
        for (int k = 0; k < n_holes && !covered; k++)
          covered = cx > holes[k].x1 && cx < holes[k].x2 && cy > holes[k].y1 && cy < holes[k].y2;
        if (covered)
          erased += area;
        else
          {
            visible->x1 = MIN (visible->x1, xs[i]);
            visible->y1 = MIN (visible->y1, ys[j]);
            visible->x2 = MAX (visible->x2, xs[i + 1]);
            visible->y2 = MAX (visible->y2, ys[j + 1]);
            any = TRUE;
          }
      }
  if (!any)
    *visible = (BmRect) { 0, 0, 0, 0 };
  return erased;
}

static gboolean
apply_cutout (BmAugmentSample *sample, const BmAugmentOp *op, gboolean in_place, GError **error)
{
  BmRect holes[BM_AUGMENT_MAX_HOLES];
  const BmAugmentProfile *profile = sample->profile;
  BmImage *image;
  int n = op->cutout.n_holes;

  if (n < 0 || n > BM_AUGMENT_MAX_HOLES)
    return _bm_augment_fail (error, _("Too many cut-out holes"));
  if (!in_place)
    copy_image_in_place (sample);
  image = sample->image;
  for (int i = 0; i < n; i++)
    {
      const int *h = op->cutout.holes[i];
      int x0 = CLAMP (h[0], 0, image->width), y0 = CLAMP (h[1], 0, image->height);
      int x1 = (int) CLAMP ((gint64) h[0] + MAX (h[2], 0), 0, image->width);
      int y1 = (int) CLAMP ((gint64) h[1] + MAX (h[3], 0), 0, image->height);

      holes[i] = (BmRect) { x0, y0, x1, y1 };
      for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
          memset (_bm_augment_pixel_at (image, x, y), op->cutout.fill, colour_channels (image));
    }

  if (profile->cutout_rule == BM_AUGMENT_CUTOUT_KEEP)
    return TRUE;
  for (guint i = 0; i < sample->items->len; i++)
    {
      BmAugmentItem *item = g_ptr_array_index (sample->items, i);
      BmShape shape = *bm_object_get_shape (item->object);
      BmRect box = bm_shape_bounds (&shape), visible;
      double area = bm_rect_area (&box), erased;

      if (item->dropped || area <= 0)
        continue;
      erased = erased_area (&box, holes, n, &visible);
      if (profile->cutout_rule == BM_AUGMENT_CUTOUT_DROP_ERASED)
        item->dropped = erased / area >= profile->cutout_threshold;
      else if (bm_rect_area (&visible) <= 0)
        item->dropped = TRUE;
      else if (shape.kind == BM_SHAPE_BOX)
        {
          bm_shape_init_box (&shape, visible.x1, visible.y1, visible.x2, visible.y2);
          bm_object_set_shape (item->object, &shape);
        }
    }
  return TRUE;
}

/* --- entry point --------------------------------------------------------------------------- */

gboolean
bm_augment_apply (BmAugmentSample        *sample,
                  const BmAugmentOp      *op,
                  BmAugmentSample *const *others,
                  guint                   n_others,
                  GError                **error)
{
  return bm_augment_apply_full (sample, op, others, n_others, FALSE, error);
}

gboolean
bm_augment_apply_full (BmAugmentSample        *sample,
                       const BmAugmentOp      *op,
                       BmAugmentSample *const *others,
                       guint                   n_others,
                       gboolean                in_place,
                       GError                **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (sample != NULL && op != NULL, FALSE);
  g_return_val_if_fail (n_others == 0 || others != NULL, FALSE);

  switch (op->kind)
    {
    case BM_AUGMENT_OP_ROTATE: ok = apply_rotate (sample, op, error); break;
    case BM_AUGMENT_OP_EXPAND: ok = apply_expand (sample, op, error); break;
    case BM_AUGMENT_OP_MIXUP: ok = _bm_augment_apply_mixup (sample, op, others, n_others, in_place, error); break;
    case BM_AUGMENT_OP_HFLIP:
    case BM_AUGMENT_OP_VFLIP: ok = apply_flip (sample, op, error); break;
    case BM_AUGMENT_OP_CROP: ok = _bm_augment_apply_crop (sample, op, error); break;
    case BM_AUGMENT_OP_SCALE: ok = _bm_augment_apply_scale (sample, op, error); break;
    case BM_AUGMENT_OP_LETTERBOX: ok = apply_letterbox (sample, op, error); break;
    case BM_AUGMENT_OP_MOSAIC: ok = _bm_augment_apply_mosaic (sample, op, others, n_others, error); break;
    case BM_AUGMENT_OP_CUTOUT: ok = apply_cutout (sample, op, in_place, error); break;
    case BM_AUGMENT_OP_HSV:
      if (!isfinite (op->hsv.hue) || !isfinite (op->hsv.saturation) || !isfinite (op->hsv.value))
        return _bm_augment_fail (error, _("Colour gains must be numbers"));
      if (!in_place)
        copy_image_in_place (sample);
      apply_hsv (sample->image, op);
      break;
    case BM_AUGMENT_OP_BRIGHTNESS:
      if (!(op->enhance.factor >= 0 && op->enhance.factor < 1e6))
        return _bm_augment_fail (error, _("Enhancement factor out of range"));
      if (!in_place)
        copy_image_in_place (sample);
      apply_brightness (sample->image, op->enhance.factor);
      break;
    case BM_AUGMENT_OP_CONTRAST:
      if (!(op->enhance.factor >= 0 && op->enhance.factor < 1e6))
        return _bm_augment_fail (error, _("Enhancement factor out of range"));
      if (!in_place)
        copy_image_in_place (sample);
      apply_contrast (sample->image, op->enhance.factor);
      break;
    case BM_AUGMENT_N_OPS:
    default:
      return _bm_augment_fail (error, _("Unknown augmentation"));
    }
  if (ok)
    g_array_append_val (sample->applied, *op);
  return ok;
}
