/* test-augment.c: the augmentation engine against the worked examples of
 * shared/reference/augmentation.md §11, plus pixel-exact properties of the warps.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include "core/bm-augment.h"
#include "core/bm-error.h"

#define EPS 0.006   /* the reference rounds to 0.01 px */

static const BmAugmentProfile *
profile (BmAugmentFramework f)
{
  return bm_augment_profile_get (f);
}

static guint8
pattern (int x, int y, int k)
{
  guint32 h = (guint32) x * 73856093u ^ (guint32) y * 19349663u ^ (guint32) k * 83492791u;
  return (guint8) ((h ^ (h >> 13)) * 0x5bd1e995u >> 24);
}

static BmImage *
make_image (int w, int h, int cn)
{
  BmImage *image = bm_image_new (w, h, cn);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int k = 0; k < cn; k++)
        image->data[(gsize) y * image->stride + (gsize) x * cn + k] = pattern (x, y, k);
  return image;
}

static guint8
px (const BmImage *image, int x, int y, int k)
{
  return image->data[(gsize) y * image->stride + (gsize) x * image->channels + k];
}

/* A sample on a patterned w×h image holding one box. */
static BmAugmentSample *
sample_with_box (BmAugmentFramework f, int w, int h, double x1, double y1, double x2, double y2)
{
  g_autoptr(BmImage) image = make_image (w, h, 3);
  BmAugmentSample *sample = bm_augment_sample_new (image, NULL, profile (f));
  g_autoptr(BmObject) object = NULL;
  BmShape shape;

  bm_shape_init_box (&shape, x1, y1, x2, y2);
  object = bm_object_new ("car", &shape);
  bm_augment_sample_add_object (sample, object);
  return sample;
}

static void
add_shape (BmAugmentSample *sample, const BmShape *shape)
{
  g_autoptr(BmObject) object = bm_object_new ("ship", shape);
  bm_augment_sample_add_object (sample, object);
}

static const BmShape *
shape_of (BmAugmentSample *sample, guint i)
{
  return bm_object_get_shape (bm_augment_sample_get_item (sample, i)->object);
}

static void
assert_rect (BmRect r, double x1, double y1, double x2, double y2)
{
  g_assert_cmpfloat_with_epsilon (r.x1, x1, EPS);
  g_assert_cmpfloat_with_epsilon (r.y1, y1, EPS);
  g_assert_cmpfloat_with_epsilon (r.x2, x2, EPS);
  g_assert_cmpfloat_with_epsilon (r.y2, y2, EPS);
}

static void
assert_box (BmAugmentSample *sample, guint i, double x1, double y1, double x2, double y2)
{
  g_assert_cmpint (shape_of (sample, i)->kind, ==, BM_SHAPE_BOX);
  assert_rect (bm_shape_bounds (shape_of (sample, i)), x1, y1, x2, y2);
}

static void
assert_point (BmPoint p, double x, double y)
{
  g_assert_cmpfloat_with_epsilon (p.x, x, EPS);
  g_assert_cmpfloat_with_epsilon (p.y, y, EPS);
}

static void
apply_ok (BmAugmentSample *sample, const BmAugmentOp *op, BmAugmentSample *const *others, guint n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bm_augment_apply (sample, op, others, n, &error));
  g_assert_no_error (error);
}

static BmAugmentOp
rotate_op (double degrees, BmAugmentCanvas canvas, BmAugmentBoxMethod method)
{
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_ROTATE };

  op.rotate.degrees = degrees;
  op.rotate.scale = 1;
  op.rotate.canvas = canvas;
  op.rotate.box_method = method;
  return op;
}

/* --- flips (F1–F3) ------------------------------------------------------------------------- */

static void
test_flip_f1_f3 (void)
{
  g_autoptr(BmAugmentSample) h = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 640, 480, 100, 120, 300, 220);
  g_autoptr(BmAugmentSample) v = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_HFLIP };

  apply_ok (h, &op, NULL, 0);
  assert_box (h, 0, 340, 120, 540, 220);
  g_assert_cmpint (px (h->image, 0, 7, 1), ==, pattern (639, 7, 1));

  op.kind = BM_AUGMENT_OP_VFLIP;
  apply_ok (v, &op, NULL, 0);
  assert_box (v, 0, 100, 260, 300, 360);
  g_assert_cmpint (px (v->image, 5, 0, 2), ==, pattern (5, 479, 2));
}

static void
test_flip_f2_minus_one (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 0, 0, 1, 1);
  const double xy[8] = { 100, 120, 300, 120, 300, 220, 100, 220 };
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_HFLIP };
  BmShape quad;

  bm_shape_init_quad (&quad, xy);
  add_shape (s, &quad);
  op.flip.offset = 1;
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (shape_of (s, 1)->kind, ==, BM_SHAPE_QUAD);
  assert_rect (bm_shape_bounds (shape_of (s, 1)), 339, 120, 539, 220);
  /* vertex order is kept, as the frameworks do */
  assert_point (shape_of (s, 1)->p[0], 539, 120);
}

static void
test_flip_rotated_stays_clockwise (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 640, 480, 0, 0, 1, 1);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_HFLIP };
  BmShape r;
  double cx, cy, w, h, a;

  bm_shape_init_rotated (&r, 200, 150, 100, 40, 0.3);
  add_shape (s, &r);
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (shape_of (s, 1)->kind, ==, BM_SHAPE_ROTATED);
  bm_shape_get_rotated (shape_of (s, 1), &cx, &cy, &w, &h, &a);
  g_assert_cmpfloat_with_epsilon (cx, 440, 1e-9);
  g_assert_cmpfloat_with_epsilon (cy, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (a, G_PI - 0.3, 1e-9);
}

/* --- rotation of boxes (R1–R9) ------------------------------------------------------------- */

static void
test_rotate_r1_largest_box (void)
{
  BmAugmentFramework frameworks[] = { BM_AUGMENT_FRAMEWORK_ULTRALYTICS, BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS,
                                      BM_AUGMENT_FRAMEWORK_MMDETECTION };

  for (guint i = 0; i < G_N_ELEMENTS (frameworks); i++)
    {
      g_autoptr(BmAugmentSample) s = sample_with_box (frameworks[i], 640, 480, 100, 120, 300, 220);
      BmAugmentOp op = rotate_op (30, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);
      BmRect r;

      apply_ok (s, &op, NULL, 0);
      g_assert_cmpint (s->image->width, ==, 640);
      g_assert_cmpint (s->image->height, ==, 480);
      assert_box (s, 0, 69.47, 146.08, 292.68, 332.68);
      r = bm_shape_bounds (shape_of (s, 0));
      g_assert_cmpfloat_with_epsilon (bm_rect_area (&r) / 20000, 2.0825, 1e-4);
      g_assert_false (bm_augment_sample_get_item (s, 0)->dropped);
    }
  /* mmdet's own parameter for this rotation is -30 (clockwise positive) */
  g_assert_cmpint (profile (BM_AUGMENT_FRAMEWORK_MMDETECTION)->angle_sign, ==, -1);
}

static void
test_rotate_r2_ellipse (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = rotate_op (30, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_ELLIPSE);
  BmPoint c;

  apply_ok (s, &op, NULL, 0);
  assert_box (s, 0, 90.94, 173.23, 271.22, 305.52);
  c = bm_shape_centre (shape_of (s, 0));
  assert_point (c, 181.08, 239.38);

  /* both outlines for the same rotation, as the preview draws them */
  {
    BmShape largest, ellipse;
    BmAffine boxes;

    bm_augment_rotation_geometry (&op, s->profile, 640, 480, &boxes, NULL, NULL, NULL);
    bm_shape_init_box (&largest, 100, 120, 300, 220);
    ellipse = largest;
    bm_augment_transform_shape (&largest, &boxes, BM_AUGMENT_BOX_LARGEST);
    bm_augment_transform_shape (&ellipse, &boxes, BM_AUGMENT_BOX_ELLIPSE);
    assert_rect (bm_shape_bounds (&largest), 69.47, 146.08, 292.68, 332.68);
    assert_rect (bm_shape_bounds (&ellipse), 90.94, 173.23, 271.22, 305.52);
  }
}

static void
test_rotate_r3_paddle_enlarge (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 100, 120, 300, 220);
  /* RRotate(angle=-30, auto_bound=False): Paddle's -30 is 30° counter-clockwise */
  BmAugmentOp op = rotate_op (-30 * profile (BM_AUGMENT_FRAMEWORK_PADDLE)->angle_sign,
                              BM_AUGMENT_CANVAS_ENLARGE, BM_AUGMENT_BOX_LARGEST);

  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 794);
  g_assert_cmpint (s->image->height, ==, 736);
  assert_box (s, 0, 146.79, 273.61, 369.99, 460.21);
}

static void
test_rotate_r4_paddle_shrink (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = rotate_op (30, profile (BM_AUGMENT_FRAMEWORK_PADDLE)->canvas, BM_AUGMENT_BOX_LARGEST);
  BmAffine boxes;

  bm_augment_rotation_geometry (&op, s->profile, 640, 480, &boxes, NULL, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (hypot (boxes.m[0], boxes.m[1]), 0.65217, 1e-5);
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 640);
  g_assert_cmpint (s->image->height, ==, 480);
  assert_box (s, 0, 156.56, 178.37, 302.13, 300.06);
}

static void
test_rotate_r5_safe_rotate (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = rotate_op (30, BM_AUGMENT_CANVAS_SQUEEZE, BM_AUGMENT_BOX_LARGEST);

  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 640);
  assert_box (s, 0, 118.07, 178.66, 297.98, 300.53);
}

static void
test_rotate_r6_about_origin (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 640, 480, 100, 120, 300, 220);
  BmAffine m;

  /* mmdet RandomAffine rotation +30 = clockwise, about (0, 0) */
  bm_affine_init_rotation (&m, 0, 0, -30, 1);
  bm_augment_apply_matrix (s, &m, 640, 480, BM_AUGMENT_BOX_LARGEST, s->profile->survival, 1);
  assert_box (s, 0, 0, 153.92, 199.81, 340.53);
}

static void
test_rotate_r7_r8_ninety (void)
{
  g_autoptr(BmAugmentSample) keep = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 640, 480, 100, 120, 300, 220);
  g_autoptr(BmAugmentSample) turn = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 640, 480, 100, 120, 300, 220);
  g_autoptr(BmAugmentSample) paddle = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = rotate_op (90, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);
  BmAffine boxes;

  apply_ok (keep, &op, NULL, 0);
  assert_box (keep, 0, 200, 260, 300, 460);

  op.rotate.canvas = BM_AUGMENT_CANVAS_ENLARGE;   /* RandomRotate90 factor 1 */
  apply_ok (turn, &op, NULL, 0);
  g_assert_cmpint (turn->image->width, ==, 480);
  g_assert_cmpint (turn->image->height, ==, 640);
  assert_box (turn, 0, 120, 340, 220, 540);

  /* R8b: RRotate(angle=90) is clockwise */
  op = rotate_op (-90, BM_AUGMENT_CANVAS_SHRINK, BM_AUGMENT_BOX_LARGEST);
  bm_augment_rotation_geometry (&op, paddle->profile, 640, 480, &boxes, NULL, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (hypot (boxes.m[0], boxes.m[1]), 0.75, 1e-12);
  apply_ok (paddle, &op, NULL, 0);
  assert_box (paddle, 0, 334.12, 74.88, 409.12, 224.88);
}

static void
test_rotate_r9_half_pixel (void)
{
  BmAugmentOp op = rotate_op (30, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);
  BmAffine ul, al;
  BmPoint a, b;

  bm_augment_rotation_geometry (&op, profile (BM_AUGMENT_FRAMEWORK_ULTRALYTICS), 640, 480, NULL, &ul, NULL, NULL);
  bm_augment_rotation_geometry (&op, profile (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS), 640, 480, NULL, &al, NULL, NULL);
  a = bm_affine_apply (&ul, (BmPoint) { 123, 45 });
  b = bm_affine_apply (&al, (BmPoint) { 123, 45 });
  g_assert_cmpfloat_with_epsilon (hypot (a.x - b.x, a.y - b.y), 0.366, 1e-3);
}

/* --- rotation of rotated boxes and quads (Q1–Q3) ------------------------------------------- */

static void
test_rotate_q1_rbox (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 640, 480, 0, 0, 1, 1);
  /* mmrotate 1.x Rotate(30) is clockwise */
  BmAugmentOp op = rotate_op (30 * profile (BM_AUGMENT_FRAMEWORK_MMDETECTION)->angle_sign,
                              BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);
  const double corners[4][2] = { { 294.38, 144.38 }, { 314.38, 109.74 }, { 227.78, 59.74 }, { 207.78, 94.38 } };
  BmShape r;
  double cx, cy, w, h, a;

  bm_shape_init_rotated (&r, 200, 150, 100, 40, 0);
  add_shape (s, &r);
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (shape_of (s, 1)->kind, ==, BM_SHAPE_ROTATED);
  g_assert_false (bm_augment_sample_get_item (s, 1)->dropped);
  bm_shape_get_rotated (shape_of (s, 1), &cx, &cy, &w, &h, &a);
  g_assert_cmpfloat_with_epsilon (cx, 261.077, 1e-3);
  g_assert_cmpfloat_with_epsilon (cy, 102.058, 1e-3);
  g_assert_cmpfloat_with_epsilon (w, 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (a, 0.5236, 1e-4);
  /* the reference lists the corners of the mmrotate rbox, starting from its (+w/2, +h/2) corner */
  for (int i = 0; i < 4; i++)
    {
      gboolean found = FALSE;
      for (int j = 0; j < 4; j++)
        found |= fabs (shape_of (s, 1)->p[j].x - corners[i][0]) < EPS && fabs (shape_of (s, 1)->p[j].y - corners[i][1]) < EPS;
      g_assert_true (found);
    }
}

static void
test_rotate_q2_q3_quad (void)
{
  const double xy[8] = { 300, 200, 500, 250, 470, 370, 270, 320 };
  const double paddle[4][2] = { { 491.43, 236.64 }, { 599.91, 341.53 }, { 536.98, 406.62 }, { 428.50, 301.73 } };
  const double ultra[4][2] = { { 172.40, 347.80 }, { 370.61, 291.10 }, { 404.63, 410.02 }, { 206.42, 466.72 } };
  g_autoptr(BmAugmentSample) p = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 1024, 1024, 0, 0, 1, 1);
  g_autoptr(BmAugmentSample) u = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 1024, 1024, 0, 0, 1, 1);
  BmAugmentOp op = rotate_op (-30, BM_AUGMENT_CANVAS_SHRINK, BM_AUGMENT_BOX_LARGEST);
  BmShape quad;

  bm_shape_init_quad (&quad, xy);
  add_shape (p, &quad);
  add_shape (u, &quad);

  apply_ok (p, &op, NULL, 0);   /* RRotate(angle=30): clockwise, auto_bound */
  for (int i = 0; i < 4; i++)
    assert_point (shape_of (p, 1)->p[i], paddle[i][0], paddle[i][1]);
  assert_rect (bm_shape_bounds (shape_of (p, 1)), 428.50, 236.64, 599.91, 406.62);

  op = rotate_op (30, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);
  apply_ok (u, &op, NULL, 0);
  for (int i = 0; i < 4; i++)
    assert_point (shape_of (u, 1)->p[i], ultra[i][0], ultra[i][1]);
}

/* --- survival (U1–U3) ---------------------------------------------------------------------- */

static void
test_survival_u1_u3 (void)
{
  const struct { double dx, x1; gboolean kept; } cases[] = { { 30, 630, TRUE }, { 37, 637, FALSE }, { 38, 638, FALSE } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 640, 480, 600, 100, 640, 140);
      BmAffine m;

      bm_affine_init_translate (&m, cases[i].dx, 0);
      bm_augment_apply_matrix (s, &m, 640, 480, BM_AUGMENT_BOX_LARGEST, BM_AUGMENT_KEEP_CANDIDATES, 1);
      g_assert_cmpint (bm_augment_sample_get_item (s, 0)->dropped, ==, !cases[i].kept);
      if (cases[i].kept)
        assert_box (s, 0, cases[i].x1, 100, 640, 140);
    }
}

/* --- expand (X1–X3) ------------------------------------------------------------------------ */

static BmAugmentOp
expand_op (double ratio, int x, int y, guint8 fill)
{
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_EXPAND };

  op.expand.ratio = ratio;
  op.expand.x = x;
  op.expand.y = y;
  memset (op.expand.fill, fill, 3);
  return op;
}

static void
test_expand_x1_x3 (void)
{
  BmAugmentFramework frameworks[] = { BM_AUGMENT_FRAMEWORK_PADDLE, BM_AUGMENT_FRAMEWORK_MMDETECTION };

  for (guint f = 0; f < G_N_ELEMENTS (frameworks); f++)
    {
      g_autoptr(BmAugmentSample) s = sample_with_box (frameworks[f], 640, 480, 100, 120, 300, 220);
      BmAugmentOp op = expand_op (2.0, 150, 100, 128);

      apply_ok (s, &op, NULL, 0);
      g_assert_cmpint (s->image->width, ==, 1280);
      g_assert_cmpint (s->image->height, ==, 960);
      assert_box (s, 0, 250, 220, 450, 320);
      /* source pixels sit at the offset, untouched; the rest is the fill */
      for (int y = 0; y < 480; y++)
        for (int x = 0; x < 640; x++)
          for (int k = 0; k < 3; k++)
            g_assert_cmpint (px (s->image, x + 150, y + 100, k), ==, pattern (x, y, k));
      for (int k = 0; k < 3; k++)
        {
          g_assert_cmpint (px (s->image, 149, 100, k), ==, 128);
          g_assert_cmpint (px (s->image, 790, 579, k), ==, 128);
          g_assert_cmpint (px (s->image, 0, 0, k), ==, 128);
        }
    }
}

static void
test_expand_x2_paddle_needs_both_sides (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = expand_op (1.002, 0, 0, 128);

  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 640);
  g_assert_cmpint (s->image->height, ==, 480);
  assert_box (s, 0, 100, 120, 300, 220);
}

static void
test_expand_paddle_offsets_exclusive (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 100, 120, 300, 220);
  BmAugmentSettings settings;
  int max_x = 0;

  bm_augment_settings_init (&settings, s->profile);
  settings.expand_ratio = 1.01;   /* canvas 646 × 484 at most */
  for (guint64 seed = 0; seed < 300; seed++)
    {
      BmAugmentRng rng;
      BmAugmentOp op;

      bm_augment_rng_init (&rng, seed);
      bm_augment_draw_op (BM_AUGMENT_OP_EXPAND, &settings, s, 0, &rng, &op);
      g_assert_cmpint (op.expand.x, <, MAX ((int) (640 * op.expand.ratio) - 640, 1));
      g_assert_cmpint (op.expand.y, <, MAX ((int) (480 * op.expand.ratio) - 480, 1));
      max_x = MAX (max_x, op.expand.x);
    }
  g_assert_cmpint (max_x, >, 0);
}

/* --- mixup (M1, M2) ------------------------------------------------------------------------ */

static void
test_mixup_m1_paddle (void)
{
  g_autoptr(BmAugmentSample) a = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 100, 120, 300, 220);
  g_autoptr(BmAugmentSample) b = NULL;
  g_autoptr(BmAugmentSample) mixed = NULL;
  g_autoptr(BmImage) img2 = bm_image_new (500, 600, 3);
  g_autoptr(BmAnnotation) annotation = NULL;
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_MIXUP };
  BmShape c;

  for (gsize i = 0; i < (gsize) 500 * 600 * 3; i++)
    img2->data[i] = (guint8) (255 - i % 251);
  b = bm_augment_sample_new (img2, NULL, a->profile);
  bm_shape_init_box (&c, 50, 60, 250, 360);
  add_shape (b, &c);

  mixed = bm_augment_sample_copy (a);
  op.mixup.lambda = 0.7;
  op.mixup.source = 0;
  apply_ok (mixed, &op, &b, 1);

  g_assert_cmpint (mixed->image->width, ==, 640);
  g_assert_cmpint (mixed->image->height, ==, 600);
  g_assert_cmpuint (bm_augment_sample_get_n_items (mixed), ==, 2);
  assert_box (mixed, 0, 100, 120, 300, 220);
  assert_box (mixed, 1, 50, 60, 250, 360);
  g_assert_cmpfloat (bm_augment_sample_get_item (mixed, 0)->weight, ==, 0.7);
  g_assert_cmpfloat_with_epsilon (bm_augment_sample_get_item (mixed, 1)->weight, 0.3, 1e-12);

  for (int y = 0; y < 600; y += 7)
    for (int x = 0; x < 640; x += 5)
      for (int k = 0; k < 3; k++)
        {
          double ia = x < 640 && y < 480 ? px (a->image, x, y, k) : -1;
          double ib = x < 500 ? px (img2, x, y, k) : -1;
          double v = px (mixed->image, x, y, k), expect;

          if (ia >= 0 && ib >= 0)
            expect = 0.7 * ia + 0.3 * ib;
          else if (ia >= 0)
            expect = 0.7 * ia;
          else if (ib >= 0)
            expect = 0.3 * ib;
          else
            expect = 0;
          g_assert_cmpfloat (fabs (v - expect), <=, 1.0);
        }
  g_assert_cmpint (px (mixed->image, 600, 550, 0), ==, 0);

  /* the score travels to the annotation */
  annotation = bm_augment_sample_to_annotation (mixed);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, 2);
  g_assert_cmpfloat_with_epsilon (bm_object_get_score (bm_annotation_get_object (annotation, 1)), 0.3, 1e-12);
}

static void
test_mixup_ultralytics_pixels (void)
{
  g_autoptr(BmAugmentSample) a = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 320, 240, 10, 10, 50, 50);
  g_autoptr(BmAugmentSample) b = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 320, 240, 100, 100, 200, 200);
  g_autoptr(BmAugmentSample) mixed = bm_augment_sample_copy (a);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_MIXUP };

  /* a second image that differs from the first */
  for (gsize i = 0; i < (gsize) 320 * 240 * 3; i++)
    b->image->data[i] = (guint8) (b->image->data[i] * 7 + 31);
  op.mixup.lambda = 0.46;
  apply_ok (mixed, &op, &b, 1);
  g_assert_cmpint (mixed->image->width, ==, 320);
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 320; x++)
      for (int k = 0; k < 3; k++)
        g_assert_cmpfloat (fabs (px (mixed->image, x, y, k) - (0.46 * px (a->image, x, y, k) + 0.54 * px (b->image, x, y, k))), <=, 1.0);
  g_assert_cmpuint (bm_augment_sample_get_n_items (mixed), ==, 2);
  g_assert_cmpfloat (bm_augment_sample_get_item (mixed, 1)->weight, ==, 1.0);
}

static void
test_mixup_m3_mmdet (void)
{
  const struct { double jitter; int flip, x, y; double box[4]; } cases[] = {
    { 1.0, 0, 0, 0, { 20, 40, 220, 240 } },
    { 1.0, 1, 0, 0, { 420, 40, 620, 240 } },
    { 1.25, 0, 100, 40, { 0, 10, 175, 260 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BmAugmentSample) a = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 640, 640, 5, 5, 50, 50);
      g_autoptr(BmAugmentSample) b = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 320, 240, 10, 20, 110, 120);
      g_autoptr(BmAugmentSample) mixed = bm_augment_sample_copy (a);
      BmAugmentOp op = { .kind = BM_AUGMENT_OP_MIXUP };
      g_autofree char *text = NULL;
      BmAugmentOp back;

      op.mixup.lambda = 0.5;
      op.mixup.scale_w = op.mixup.scale_h = 640;
      op.mixup.jitter = cases[i].jitter;
      op.mixup.flip = cases[i].flip;
      op.mixup.x = cases[i].x;
      op.mixup.y = cases[i].y;
      apply_ok (mixed, &op, &b, 1);
      g_assert_cmpint (mixed->image->width, ==, 640);
      g_assert_cmpint (mixed->image->height, ==, 640);
      g_assert_cmpuint (bm_augment_sample_get_n_items (mixed), ==, 2);
      assert_box (mixed, 0, 5, 5, 50, 50);
      assert_box (mixed, 1, cases[i].box[0], cases[i].box[1], cases[i].box[2], cases[i].box[3]);
      g_assert_false (bm_augment_sample_get_item (mixed, 1)->dropped);
      g_assert_cmpfloat (bm_augment_sample_get_item (mixed, 1)->weight, ==, 1.0);
      if (i == 0)
        {
          /* below the fitted 640 × 480 second image only the 114 padding is mixed in */
          g_assert_cmpint (px (mixed->image, 10, 600, 0), ==, (int) (0.5 * pattern (10, 600, 0) + 57));
          /* output pixel (41, 61) samples the second image at index (20.25, 30.25) */
          double b41 = 0.5625 * pattern (20, 30, 1) + 0.1875 * pattern (21, 30, 1)
                       + 0.1875 * pattern (20, 31, 1) + 0.0625 * pattern (21, 31, 1);
          g_assert_cmpfloat (fabs (px (mixed->image, 41, 61, 1) - (0.5 * pattern (41, 61, 1) + 0.5 * b41)), <=, 1.0);
        }
      text = bm_augment_op_to_string (&op);
      g_assert_true (bm_augment_op_parse (text, &back, NULL));
      g_assert_cmpfloat (back.mixup.jitter, ==, op.mixup.jitter);
      g_assert_cmpint (back.mixup.scale_h, ==, 640);
      g_assert_cmpint (back.mixup.x, ==, op.mixup.x);
    }
}

/* A strongly enlarged second image blends into the padding over several output pixels: the
 * mixed result must equal mixing with a full-size warp. */
static void
test_mixup_mmdet_enlarged_edge (void)
{
  g_autoptr(BmAugmentSample) a = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 200, 150, 5, 5, 50, 50);
  g_autoptr(BmAugmentSample) b = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 12, 9, 1, 1, 5, 5);
  g_autoptr(BmAugmentSample) mixed = bm_augment_sample_copy (a);
  g_autoptr(BmImage) full = bm_image_new (200, 150, 3);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_MIXUP };
  const guint8 pad[4] = { 114, 114, 114, 114 };
  BmAffine m, pixels;

  op.mixup.lambda = 0.5;
  op.mixup.scale_w = op.mixup.scale_h = 120;   /* sr = min (120/9, 120/12) = 10 */
  op.mixup.jitter = 1.0;
  apply_ok (mixed, &op, &b, 1);

  bm_affine_init_scale (&m, 10, 10);
  pixels = bm_affine_edge_to_index (&m);
  bm_augment_warp_affine (b->image, full, &pixels, BM_AUGMENT_BORDER_CONSTANT, pad);
  for (int y = 0; y < 150; y++)
    for (int x = 0; x < 200; x++)
      for (int k = 0; k < 3; k++)
        g_assert_cmpint (px (mixed->image, x, y, k), ==, (int) (0.5 * px (a->image, x, y, k) + 0.5 * px (full, x, y, k)));
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
check_beta (double alpha, double sd, double q025, double q975)
{
  enum { N = 20000 };
  g_autofree double *v = g_new (double, N);
  BmAugmentRng rng;
  double mean = 0, var = 0;

  bm_augment_rng_init (&rng, 2024);
  for (int i = 0; i < N; i++)
    {
      v[i] = bm_augment_rng_beta (&rng, alpha, alpha);
      mean += v[i] / N;
    }
  for (int i = 0; i < N; i++)
    var += (v[i] - mean) * (v[i] - mean) / (N - 1);
  qsort (v, N, sizeof (double), compare_doubles);
  g_assert_cmpfloat_with_epsilon (mean, 0.5, 0.01);
  g_assert_cmpfloat_with_epsilon (sqrt (var), sd, sd * 0.04);
  g_assert_cmpfloat_with_epsilon (v[N * 25 / 1000], q025, 0.01);
  g_assert_cmpfloat_with_epsilon (v[N * 975 / 1000], q975, 0.01);
}

static void
test_mixup_m2_beta (void)
{
  check_beta (1.5, 0.25, 0.061, 0.939);
  check_beta (32, 0.062, 0.379, 0.621);
}

/* --- letterbox (L1, L2), mosaic (S1) ------------------------------------------------------- */

static void
test_letterbox_l1_l2 (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 1280, 720, 200, 240, 600, 440);
  g_autoptr(BmAugmentSample) odd = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 640, 481, 0, 0, 10, 10);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_LETTERBOX };

  op.letterbox.width = op.letterbox.height = 640;
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 640);
  g_assert_cmpint (s->image->height, ==, 640);
  assert_box (s, 0, 100, 260, 300, 360);
  g_assert_cmpint (px (s->image, 10, 139, 0), ==, 114);
  g_assert_cmpint (px (s->image, 10, 500, 0), ==, 114);

  apply_ok (odd, &op, NULL, 0);
  assert_box (odd, 0, 0, 79, 10, 89);   /* top 79, bottom 80 */
  g_assert_cmpint (px (odd->image, 3, 78, 1), ==, 114);
  g_assert_cmpint (px (odd->image, 3, 79, 1), ==, pattern (3, 0, 1));
  g_assert_cmpint (px (odd->image, 3, 559, 1), ==, pattern (3, 480, 1));
  g_assert_cmpint (px (odd->image, 3, 560, 1), ==, 114);
}

static void
test_mosaic_s1 (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 640, 480, 500, 400, 600, 470);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_MOSAIC };
  guint kept = 0;

  op.mosaic.size = 640;
  op.mosaic.xc = 700;
  op.mosaic.yc = 500;
  op.mosaic.sources[0] = op.mosaic.sources[1] = op.mosaic.sources[2] = -1;
  op.mosaic.crop = TRUE;
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 640);
  g_assert_cmpint (s->image->height, ==, 640);
  g_assert_cmpuint (bm_augment_sample_get_n_items (s), ==, 4);
  g_assert_false (bm_augment_sample_get_item (s, 0)->dropped);
  assert_box (s, 0, 240, 100, 340, 170);
  for (guint i = 0; i < 4; i++)
    kept += !bm_augment_sample_get_item (s, i)->dropped;
  g_assert_cmpuint (kept, ==, 2);
  assert_box (s, 2, 240, 580, 340, 640);
  /* output (0,0) is mosaic (320,320), tile 0 placed at (60,20) */
  g_assert_cmpint (px (s->image, 0, 0, 2), ==, pattern (260, 300, 2));
}

/* --- crop (C1–C3) and cut-out (E1) --------------------------------------------------------- */

static void
test_crop_c1_c3 (void)
{
  const double boxes[3][4] = { { 100, 120, 300, 220 }, { 350, 300, 500, 400 }, { 380, 60, 460, 100 } };
  const double clipped[3][4] = { { 0, 70, 200, 170 }, { 250, 250, 300, 300 }, { 280, 10, 300, 50 } };
  const gboolean paddle_kept[3] = { TRUE, FALSE, FALSE };
  BmAugmentFramework frameworks[] = { BM_AUGMENT_FRAMEWORK_PADDLE, BM_AUGMENT_FRAMEWORK_MMDETECTION };

  for (guint f = 0; f < G_N_ELEMENTS (frameworks); f++)
    {
      g_autoptr(BmAugmentSample) s = sample_with_box (frameworks[f], 640, 480, 0, 0, 1, 1);
      BmAugmentOp op = { .kind = BM_AUGMENT_OP_CROP };

      g_ptr_array_set_size (s->items, 0);
      for (int i = 0; i < 3; i++)
        {
          BmShape b;
          bm_shape_init_box (&b, boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3]);
          add_shape (s, &b);
        }
      op.crop.x = 100, op.crop.y = 50, op.crop.width = 300, op.crop.height = 300;
      apply_ok (s, &op, NULL, 0);
      g_assert_cmpint (s->image->width, ==, 300);
      g_assert_cmpint (px (s->image, 0, 0, 0), ==, pattern (100, 50, 0));
      for (int i = 0; i < 3; i++)
        {
          gboolean kept = frameworks[f] == BM_AUGMENT_FRAMEWORK_PADDLE ? paddle_kept[i] : TRUE;

          g_assert_cmpint (!bm_augment_sample_get_item (s, i)->dropped, ==, kept);
          if (kept)
            assert_box (s, i, clipped[i][0], clipped[i][1], clipped[i][2], clipped[i][3]);
        }
    }
}

/* Drawn crops follow PaddleDetection's RandomCrop: some object always survives. */
static void
test_crop_drawn_keeps_an_object (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 640, 480, 500, 380, 560, 430);
  BmAugmentSettings settings;
  guint cropped = 0;

  bm_augment_settings_init (&settings, s->profile);
  for (guint64 seed = 0; seed < 100; seed++)
    {
      g_autoptr(BmAugmentSample) c = bm_augment_sample_copy (s);
      BmAugmentRng rng;
      BmAugmentOp op;

      bm_augment_rng_init (&rng, seed);
      bm_augment_draw_op (BM_AUGMENT_OP_CROP, &settings, c, 0, &rng, &op);
      apply_ok (c, &op, NULL, 0);
      g_assert_false (bm_augment_sample_get_item (c, 0)->dropped);
      cropped += op.crop.width < 640 || op.crop.height < 480;
    }
  /* "no crop" comes before the only reachable threshold (0) about half the time */
  g_assert_cmpuint (cropped, >, 30);
}

static void
test_cutout_e1 (void)
{
  g_autoptr(BmAugmentSample) mm = sample_with_box (BM_AUGMENT_FRAMEWORK_MMDETECTION, 640, 480, 100, 120, 300, 220);
  g_autoptr(BmAugmentSample) al = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 640, 480, 100, 120, 300, 220);
  g_autoptr(BmAugmentSample) ul = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 640, 480, 100, 120, 300, 220);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_CUTOUT };
  const int hole[4] = { 100, 120, 190, 100 };

  op.cutout.n_holes = 1;
  memcpy (op.cutout.holes[0], hole, sizeof hole);
  op.cutout.fill = 7;
  apply_ok (mm, &op, NULL, 0);
  apply_ok (al, &op, NULL, 0);
  apply_ok (ul, &op, NULL, 0);

  g_assert_true (bm_augment_sample_get_item (mm, 0)->dropped);
  g_assert_false (bm_augment_sample_get_item (al, 0)->dropped);
  assert_box (al, 0, 290, 120, 300, 220);
  g_assert_false (bm_augment_sample_get_item (ul, 0)->dropped);
  assert_box (ul, 0, 100, 120, 300, 220);
  g_assert_cmpint (px (mm->image, 100, 120, 0), ==, 7);
  g_assert_cmpint (px (mm->image, 289, 219, 2), ==, 7);
  g_assert_cmpint (px (mm->image, 290, 219, 2), ==, pattern (290, 219, 2));
}

/* --- colour (H1) --------------------------------------------------------------------------- */

static void
test_colour_h1_boxes_untouched (void)
{
  BmAugmentOpKind kinds[] = { BM_AUGMENT_OP_HSV, BM_AUGMENT_OP_BRIGHTNESS, BM_AUGMENT_OP_CONTRAST };

  for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autoptr(BmAugmentSample) s = sample_with_box (f, 200, 100, 10.25, 20.5, 110.125, 70.75);
        g_autoptr(BmAugmentSample) before = NULL;
        BmAugmentOp op = { .kind = kinds[i] };
        const double xy[8] = { 1.5, 2.25, 50.125, 3, 40, 60.5, 2, 55 };
        BmShape quad, rotated;
        gboolean changed = FALSE;

        bm_shape_init_quad (&quad, xy);
        bm_shape_init_rotated (&rotated, 100, 50, 30, 10, 0.7);
        add_shape (s, &quad);
        add_shape (s, &rotated);
        before = bm_augment_sample_copy (s);
        op.hsv.hue = 0.3;
        op.hsv.saturation = 0.5;
        op.hsv.value = -0.3;
        if (kinds[i] != BM_AUGMENT_OP_HSV)
          op.enhance.factor = 1.4;
        apply_ok (s, &op, NULL, 0);
        for (guint k = 0; k < 3; k++)
          {
            g_assert_true (bm_shape_equal (shape_of (s, k), shape_of (before, k)));
            g_assert_false (bm_augment_sample_get_item (s, k)->dropped);
          }
        for (gsize b = 0; b < (gsize) 200 * 100 * 3; b++)
          changed |= s->image->data[b] != before->image->data[b];
        g_assert_true (changed);
        /* the source image is not modified in place */
        g_assert_cmpint (px (before->image, 3, 4, 0), ==, pattern (3, 4, 0));
      }
}

static void
test_colour_values (void)
{
  g_autoptr(BmImage) image = bm_image_new (2, 1, 3);
  g_autoptr(BmAugmentSample) s = NULL;
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_BRIGHTNESS };
  const guint8 pixels[6] = { 100, 50, 200, 10, 20, 30 };

  memcpy (image->data, pixels, 6);
  s = bm_augment_sample_new (image, NULL, NULL);
  op.enhance.factor = 1.5;
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (px (s->image, 0, 0, 0), ==, 150);
  g_assert_cmpint (px (s->image, 0, 0, 2), ==, 255);
  g_assert_cmpint (px (s->image, 1, 0, 1), ==, 30);

  /* a hue turn by 1/3 (120°) sends pure red to pure green */
  memset (image->data, 0, 6);
  image->data[0] = 200;
  bm_augment_sample_free (s);
  s = bm_augment_sample_new (image, NULL, NULL);
  op = (BmAugmentOp) { .kind = BM_AUGMENT_OP_HSV };
  op.hsv.hue = 1.0 / 3.0;
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (px (s->image, 0, 0, 0), ==, 0);
  g_assert_cmpint (px (s->image, 0, 0, 1), ==, 200);
  g_assert_cmpint (px (s->image, 0, 0, 2), ==, 0);
}

/* --- pixel-exact warps --------------------------------------------------------------------- */

static void
test_rotate_ninety_is_permutation (void)
{
  const int n = 37;

  for (int cn = 1; cn <= 4; cn++)
    {
      g_autoptr(BmImage) image = make_image (n, n, cn);
      g_autoptr(BmAugmentSample) s = bm_augment_sample_new (image, NULL, profile (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS));
      BmAugmentOp op = rotate_op (90, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);

      apply_ok (s, &op, NULL, 0);
      /* counter-clockwise on screen: dst(x, y) = src(n-1-y, x) */
      for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
          for (int k = 0; k < cn; k++)
            g_assert_cmpint (px (s->image, x, y, k), ==, pattern (n - 1 - y, x, k));
    }
}

static void
test_rotate_ninety_enlarge_is_transpose (void)
{
  g_autoptr(BmImage) image = make_image (61, 40, 3);
  g_autoptr(BmAugmentSample) s = bm_augment_sample_new (image, NULL, profile (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS));
  BmAugmentOp op = rotate_op (-90, BM_AUGMENT_CANVAS_ENLARGE, BM_AUGMENT_BOX_LARGEST);

  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 40);
  g_assert_cmpint (s->image->height, ==, 61);
  /* clockwise: dst(x, y) = src(y, H-1-x) */
  for (int y = 0; y < 61; y++)
    for (int x = 0; x < 40; x++)
      for (int k = 0; k < 3; k++)
        g_assert_cmpint (px (s->image, x, y, k), ==, pattern (y, 39 - x, k));
}

static void
test_rotate_180_is_permutation (void)
{
  BmAugmentFramework frameworks[] = { BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, BM_AUGMENT_FRAMEWORK_MMDETECTION,
                                      BM_AUGMENT_FRAMEWORK_PADDLE };

  for (guint f = 0; f < G_N_ELEMENTS (frameworks); f++)
    {
      g_autoptr(BmImage) image = make_image (64, 45, 4);
      g_autoptr(BmAugmentSample) s = bm_augment_sample_new (image, NULL, profile (frameworks[f]));
      BmAugmentOp op = rotate_op (180, BM_AUGMENT_CANVAS_KEEP, BM_AUGMENT_BOX_LARGEST);

      apply_ok (s, &op, NULL, 0);
      for (int y = 0; y < 45; y++)
        for (int x = 0; x < 64; x++)
          for (int k = 0; k < 4; k++)
            g_assert_cmpint (px (s->image, x, y, k), ==, pattern (63 - x, 44 - y, k));
    }
}

static void
test_warp_identity_and_shift (void)
{
  for (int cn = 1; cn <= 4; cn++)
    {
      g_autoptr(BmImage) src = make_image (33, 21, cn);
      g_autoptr(BmImage) dst = bm_image_new (33, 21, cn);
      const guint8 border[4] = { 9, 8, 7, 6 };
      BmAffine m;

      bm_affine_init_identity (&m);
      bm_augment_warp_affine (src, dst, &m, BM_AUGMENT_BORDER_CONSTANT, border);
      g_assert_cmpmem (src->data, (gsize) 33 * 21 * cn, dst->data, (gsize) 33 * 21 * cn);

      bm_affine_init_translate (&m, 3, -2);
      bm_augment_warp_affine (src, dst, &m, BM_AUGMENT_BORDER_CONSTANT, border);
      for (int y = 0; y < 21; y++)
        for (int x = 0; x < 33; x++)
          for (int k = 0; k < cn; k++)
            {
              int sx = x - 3, sy = y + 2;
              int expect = sx >= 0 && sy < 21 ? pattern (sx, sy, k) : border[k];
              g_assert_cmpint (px (dst, x, y, k), ==, expect);
            }

      bm_augment_warp_affine (src, dst, &m, BM_AUGMENT_BORDER_REPLICATE, NULL);
      g_assert_cmpint (px (dst, 0, 20, 0), ==, pattern (0, 20, 0));
      g_assert_cmpint (px (dst, 5, 0, 0), ==, pattern (2, 2, 0));
    }
}

static void
test_warp_half_pixel_average (void)
{
  g_autoptr(BmImage) src = bm_image_new (2, 2, 1);
  g_autoptr(BmImage) dst = bm_image_new (1, 1, 1);
  BmAffine m;

  src->data[0] = 10, src->data[1] = 20, src->data[2] = 30, src->data[3] = 41;
  bm_affine_init_translate (&m, -0.5, -0.5);
  bm_augment_warp_affine (src, dst, &m, BM_AUGMENT_BORDER_REPLICATE, NULL);
  g_assert_cmpint (dst->data[0], ==, 25);   /* (10 + 20 + 30 + 41) / 4 = 25.25 */
}

/* --- determinism and replay ---------------------------------------------------------------- */

static const BmAugmentOpKind pipeline[] = {
  BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND, BM_AUGMENT_OP_HFLIP, BM_AUGMENT_OP_VFLIP,
  BM_AUGMENT_OP_HSV, BM_AUGMENT_OP_CROP, BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_OP_MIXUP,
  BM_AUGMENT_OP_BRIGHTNESS, BM_AUGMENT_OP_CONTRAST, BM_AUGMENT_OP_SCALE,
};

static void
assert_same_sample (const BmAugmentSample *a, const BmAugmentSample *b)
{
  g_assert_cmpint (a->image->width, ==, b->image->width);
  g_assert_cmpint (a->image->height, ==, b->image->height);
  for (int y = 0; y < a->image->height; y++)
    g_assert_cmpmem (a->image->data + (gsize) y * a->image->stride, a->image->width * a->image->channels,
                     b->image->data + (gsize) y * b->image->stride, b->image->width * b->image->channels);
  g_assert_cmpuint (a->items->len, ==, b->items->len);
  for (guint i = 0; i < a->items->len; i++)
    {
      BmAugmentItem *x = g_ptr_array_index (a->items, i), *y = g_ptr_array_index (b->items, i);
      g_assert_true (bm_shape_equal (bm_object_get_shape (x->object), bm_object_get_shape (y->object)));
      g_assert_cmpint (x->dropped, ==, y->dropped);
      g_assert_cmpfloat (x->weight, ==, y->weight);
    }
}

static void
test_same_seed_same_output (void)
{
  for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    {
      g_autoptr(BmAugmentSample) src = sample_with_box (f, 160, 120, 30, 20, 90, 70);
      g_autoptr(BmAugmentSample) other = sample_with_box (f, 140, 130, 10, 10, 60, 50);
      g_autoptr(BmAugmentSample) a = NULL, b = NULL, c = NULL, replayed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *da = NULL, *dc = NULL;
      BmAugmentSettings settings;
      BmShape quad;
      const double xy[8] = { 40, 40, 80, 45, 75, 90, 35, 85 };

      bm_shape_init_quad (&quad, xy);
      add_shape (src, &quad);
      bm_augment_settings_init (&settings, src->profile);
      settings.probability[BM_AUGMENT_OP_HFLIP] = 1;
      a = bm_augment_run (src, pipeline, G_N_ELEMENTS (pipeline), &settings, 42, &other, 1, &error);
      g_assert_no_error (error);
      b = bm_augment_run (src, pipeline, G_N_ELEMENTS (pipeline), &settings, 42, &other, 1, &error);
      g_assert_no_error (error);
      c = bm_augment_run (src, pipeline, G_N_ELEMENTS (pipeline), &settings, 43, &other, 1, &error);
      g_assert_no_error (error);
      assert_same_sample (a, b);
      g_assert_cmpuint (a->applied->len, >=, G_N_ELEMENTS (pipeline) - 1);

      da = bm_augment_sample_describe (a);
      dc = bm_augment_sample_describe (c);
      g_assert_cmpstr (da, !=, dc);
      g_assert_true (g_str_has_prefix (da, "profile "));

      /* the description alone reproduces the sample */
      replayed = bm_augment_replay (src, da, &other, 1, &error);
      g_assert_no_error (error);
      assert_same_sample (a, replayed);

      /* a run (which may reuse its own intermediate images) equals applying the recorded
       * operations one by one, and leaves the source and the other image untouched */
      {
        g_autoptr(BmAugmentSample) stepwise = bm_augment_sample_copy (src);

        for (guint k = 0; k < a->applied->len; k++)
          apply_ok (stepwise, &g_array_index (a->applied, BmAugmentOp, k), &other, 1);
        assert_same_sample (a, stepwise);
        g_assert_cmpint (px (src->image, 7, 9, 1), ==, pattern (7, 9, 1));
        g_assert_cmpint (px (other->image, 7, 9, 1), ==, pattern (7, 9, 1));
      }
    }
}

static void
test_rng_pinned_values (void)
{
  BmAugmentRng a, b;

  bm_augment_rng_init (&a, 1);
  bm_augment_rng_init (&b, 1);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (bm_augment_rng_next (&a), ==, bm_augment_rng_next (&b));
  for (int i = 0; i < 1000; i++)
    {
      int r = bm_augment_rng_int (&a, 3, 7);
      double u = bm_augment_rng_double (&a);
      g_assert_cmpint (r, >=, 3);
      g_assert_cmpint (r, <, 7);
      g_assert_cmpfloat (u, >=, 0);
      g_assert_cmpfloat (u, <, 1);
    }
  g_assert_cmpint (bm_augment_rng_int (&a, 5, 5), ==, 5);
}

static void
test_op_text_round_trip (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 300, 200, 10, 10, 50, 50);
  BmAugmentSettings settings;
  BmAugmentRng rng;
  g_autoptr(GError) error = NULL;
  BmAugmentOp bad;

  bm_augment_settings_init (&settings, s->profile);
  bm_augment_rng_init (&rng, 7);
  for (guint k = 0; k < BM_AUGMENT_N_OPS; k++)
    {
      BmAugmentOp op, back;
      g_autofree char *text = NULL, *again = NULL;

      bm_augment_draw_op ((BmAugmentOpKind) k, &settings, s, 2, &rng, &op);
      text = bm_augment_op_to_string (&op);
      g_assert_true (g_str_has_prefix (text, bm_augment_op_kind_to_string ((BmAugmentOpKind) k)));
      g_assert_true (bm_augment_op_parse (text, &back, &error));
      g_assert_no_error (error);
      again = bm_augment_op_to_string (&back);
      g_assert_cmpstr (text, ==, again);
    }

  g_assert_false (bm_augment_op_parse ("spin degrees=3", &bad, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (bm_augment_op_parse ("rotate degrees=abc", &bad, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (bm_augment_op_parse ("rotate degrees", &bad, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
}

static void
test_describe_framework_angle (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_PADDLE, 64, 48, 10, 10, 20, 20);
  BmAugmentOp op = rotate_op (30, BM_AUGMENT_CANVAS_SHRINK, BM_AUGMENT_BOX_LARGEST);
  g_autofree char *text = NULL;

  apply_ok (s, &op, NULL, 0);
  text = bm_augment_sample_describe (s);
  g_assert_cmpstr (text, ==, "profile paddle\nrotate degrees=30 scale=1 canvas=shrink boxes=largest  # paddle angle=-30\n");
}

static void
test_annotation_round_trip (void)
{
  g_autoptr(BmImage) image = make_image (100, 80, 3);
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(BmAugmentSample) s = NULL;
  g_autoptr(BmAnnotation) out = NULL;
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_CROP };
  const double boxes[2][4] = { { 10, 10, 30, 30 }, { 70, 50, 95, 75 } };

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(BmObject) object = NULL;
      BmShape shape;

      bm_shape_init_box (&shape, boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3]);
      object = bm_object_new (i ? "dog" : "cat", &shape);
      bm_annotation_add_object (annotation, object);
    }
  s = bm_augment_sample_new (image, annotation, profile (BM_AUGMENT_FRAMEWORK_PADDLE));
  g_assert_cmpuint (bm_augment_sample_get_n_items (s), ==, 2);
  /* the sample holds copies: the annotation is not touched */
  g_assert_true (bm_augment_sample_get_item (s, 0)->object != bm_annotation_get_object (annotation, 0));

  op.crop.x = 0, op.crop.y = 0, op.crop.width = 60, op.crop.height = 60;
  apply_ok (s, &op, NULL, 0);
  g_assert_true (bm_augment_sample_get_item (s, 1)->dropped);
  out = bm_augment_sample_to_annotation (s);
  g_assert_cmpint (bm_annotation_get_width (out), ==, 60);
  g_assert_cmpuint (bm_annotation_get_n_objects (out), ==, 1);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (out, 0)), ==, "cat");
  g_assert_false (bm_object_has_score (bm_annotation_get_object (out, 0)));
  assert_rect (bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, 1))), 70, 50, 95, 75);
}

static void
test_bad_parameters (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 64, 48, 10, 10, 20, 20);
  g_autoptr(GError) error = NULL;
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_CROP };

  op.crop.x = 60, op.crop.y = 0, op.crop.width = 10, op.crop.height = 10;
  g_assert_false (bm_augment_apply (s, &op, NULL, 0, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_clear_error (&error);

  op = (BmAugmentOp) { .kind = BM_AUGMENT_OP_MIXUP };
  g_assert_false (bm_augment_apply (s, &op, NULL, 0, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_clear_error (&error);

  op = expand_op (2, 100, 0, 0);
  g_assert_false (bm_augment_apply (s, &op, NULL, 0, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_cmpuint (s->applied->len, ==, 0);
  g_assert_cmpint (s->image->width, ==, 64);
}

/* --- other operations and channel counts -------------------------------------------------- */

static void
test_scale_and_shapes (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS, 200, 100, 10, 20, 50, 60);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_SCALE };
  BmShape rotated, axis;
  double cx, cy, w, h, a;

  bm_shape_init_rotated (&rotated, 100, 50, 40, 10, 0.5);
  bm_shape_init_rotated (&axis, 100, 50, 40, 10, 0);
  add_shape (s, &rotated);
  add_shape (s, &axis);
  op.scale.width = 400;
  op.scale.height = 50;
  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (s->image->width, ==, 400);
  g_assert_cmpint (s->image->height, ==, 50);
  assert_box (s, 0, 20, 10, 100, 30);
  /* a tilted rectangle stretched unevenly is no rectangle any more */
  g_assert_cmpint (shape_of (s, 1)->kind, ==, BM_SHAPE_QUAD);
  /* an upright one still is */
  g_assert_cmpint (shape_of (s, 2)->kind, ==, BM_SHAPE_ROTATED);
  bm_shape_get_rotated (shape_of (s, 2), &cx, &cy, &w, &h, &a);
  g_assert_cmpfloat_with_epsilon (cx, 200, 1e-9);
  g_assert_cmpfloat_with_epsilon (cy, 25, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 80, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 5, 1e-9);
}

static void
test_mosaic_resizes_tiles (void)
{
  g_autoptr(BmAugmentSample) s = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 320, 240, 0, 0, 160, 120);
  g_autoptr(BmAugmentSample) big = sample_with_box (BM_AUGMENT_FRAMEWORK_ULTRALYTICS, 1280, 960, 640, 480, 1280, 960);
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_MOSAIC };

  op.mosaic.size = 640;
  op.mosaic.xc = op.mosaic.yc = 640;
  op.mosaic.sources[0] = 0, op.mosaic.sources[1] = -1, op.mosaic.sources[2] = -1;
  op.mosaic.crop = FALSE;
  apply_ok (s, &op, &big, 1);
  g_assert_cmpint (s->image->width, ==, 1280);
  /* tile 0 (320×240 → 640×480, long side to 640) ends at the centre: its box (0,0)-(160,120)
   * becomes (0,0)-(320,240) placed at (0, 160) */
  assert_box (s, 0, 0, 160, 320, 400);
  /* tile 1 (1280×960 → 640×480) starts at x = 640: its box is the lower right quarter */
  assert_box (s, 1, 960, 400, 1280, 640);
  g_assert_cmpint (px (s->image, 1000, 10, 0), ==, 114);
}

static void
test_channel_counts (void)
{
  static const BmAugmentOpKind all[] = {
    BM_AUGMENT_OP_MOSAIC, BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND, BM_AUGMENT_OP_HFLIP, BM_AUGMENT_OP_VFLIP,
    BM_AUGMENT_OP_CROP, BM_AUGMENT_OP_SCALE, BM_AUGMENT_OP_HSV, BM_AUGMENT_OP_BRIGHTNESS,
    BM_AUGMENT_OP_CONTRAST, BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_OP_MIXUP, BM_AUGMENT_OP_LETTERBOX,
  };

  for (int cn = 1; cn <= 4; cn++)
    for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
      {
        g_autoptr(BmImage) image = make_image (90, 70, cn);
        g_autoptr(BmImage) image2 = make_image (60, 80, cn);
        g_autoptr(BmAugmentSample) s = bm_augment_sample_new (image, NULL, profile (f));
        g_autoptr(BmAugmentSample) other = bm_augment_sample_new (image2, NULL, profile (f));
        g_autoptr(BmAugmentSample) out = NULL;
        g_autoptr(GError) error = NULL;
        BmAugmentSettings settings;
        BmShape box;

        bm_shape_init_box (&box, 10, 10, 40, 30);
        add_shape (s, &box);
        add_shape (other, &box);
        bm_augment_settings_init (&settings, s->profile);
        settings.mosaic_size = 64;
        out = bm_augment_run (s, all, G_N_ELEMENTS (all), &settings, 99 + cn, &other, 1, &error);
        g_assert_no_error (error);
        g_assert_cmpint (out->image->channels, ==, cn);
        g_assert_cmpint (out->image->width, ==, 64);
        g_assert_cmpint (out->image->height, ==, 64);
        g_assert_cmpuint (out->applied->len, >=, G_N_ELEMENTS (all) - 2);
      }
}

static void
test_expand_alpha_opaque (void)
{
  g_autoptr(BmImage) image = make_image (10, 10, 4);
  g_autoptr(BmAugmentSample) s = bm_augment_sample_new (image, NULL, profile (BM_AUGMENT_FRAMEWORK_MMDETECTION));
  BmAugmentOp op = expand_op (2, 3, 4, 9);

  apply_ok (s, &op, NULL, 0);
  g_assert_cmpint (px (s->image, 0, 0, 0), ==, 9);
  g_assert_cmpint (px (s->image, 0, 0, 3), ==, 255);
  g_assert_cmpint (px (s->image, 3, 4, 3), ==, pattern (0, 0, 3));
}

/* --- cross-checks against OpenCV (Debian's /usr/bin/python3 with cv2; skipped without) ------ */

static gboolean
have_opencv (void)
{
  static int known = -1;

  if (known < 0)
    {
      const char *argv[] = { "/usr/bin/python3", "-c", "import cv2", NULL };
      int status = 0;

      known = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, NULL, NULL, &status, NULL)
              && g_spawn_check_wait_status (status, NULL);
    }
  return known;
}

static void
write_raw (const char *path, const BmImage *image)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, (const char *) image->data, (gssize) image->stride * image->height, &error));
  g_assert_no_error (error);
}

static void
run_python (const char *const *argv)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python failed: %s", err);
}

/* cv2.warpAffine(INTER_LINEAR, BORDER_CONSTANT) on gray, RGB and RGBA for a few matrices, all in
 * one Python run: our warp must give the same bytes. */
static void
test_opencv_warp_bit_exact (void)
{
  static const char code[] =
    "import sys, numpy as np, cv2\n"
    "d = sys.argv[1]; ms = [float(v) for v in sys.argv[2:]]\n"
    "for cn in (1, 3, 4):\n"
    "    img = np.fromfile('%s/src%d.raw' % (d, cn), np.uint8).reshape(61, 97, cn)\n"
    "    for i in range(len(ms) // 6):\n"
    "        m = np.array(ms[6 * i:6 * i + 6], np.float64).reshape(2, 3)\n"
    "        out = cv2.warpAffine(img, m, (97, 61), flags=cv2.INTER_LINEAR,\n"
    "                             borderMode=cv2.BORDER_CONSTANT, borderValue=(114, 114, 114, 114))\n"
    "        np.ascontiguousarray(out).tofile('%s/out%d_%d.raw' % (d, cn, i))\n";
  const double matrices[][6] = {
    { 0.95262794416288261, 0.55000000000000004, -112.3, -0.55000000000000004, 0.95262794416288261, 60.7 },
    { 0.7, 0.21, 5.25, -0.13, 1.3, -20.5 },
    { 0, 1, 0, -1, 0, 96 },
    { 2.5, 0, -30.25, 0, 2.5, -20.75 },
  };
  enum { N = G_N_ELEMENTS (matrices) };
  char values[N * 6][G_ASCII_DTOSTR_BUF_SIZE];
  const char *argv[4 + N * 6 + 1] = { "/usr/bin/python3", "-c", code, NULL };
  g_autofree char *dir = NULL;
  const guint8 border[4] = { 114, 114, 114, 114 };

  if (!have_opencv ())
    {
      g_test_skip ("no /usr/bin/python3 with cv2");
      return;
    }
  dir = g_dir_make_tmp ("test-augment-XXXXXX", NULL);
  g_assert_nonnull (dir);
  argv[3] = dir;
  for (int i = 0; i < N * 6; i++)
    {
      g_ascii_formatd (values[i], sizeof values[i], "%.17g", matrices[i / 6][i % 6]);
      argv[4 + i] = values[i];
    }
  for (int cn = 1; cn <= 4; cn += cn == 1 ? 2 : 1)
    {
      g_autoptr(BmImage) src = make_image (97, 61, cn);
      g_autofree char *name = g_strdup_printf ("%s/src%d.raw", dir, cn);
      write_raw (name, src);
    }
  run_python (argv);

  for (int cn = 1; cn <= 4; cn += cn == 1 ? 2 : 1)
    for (int i = 0; i < N; i++)
      {
        g_autoptr(BmImage) src = make_image (97, 61, cn);
        g_autoptr(BmImage) dst = bm_image_new (97, 61, cn);
        g_autofree char *name = g_strdup_printf ("%s/out%d_%d.raw", dir, cn, i);
        g_autofree char *cv = NULL;
        gsize length = 0;
        BmAffine m;

        memcpy (m.m, matrices[i], sizeof m.m);
        bm_augment_warp_affine (src, dst, &m, BM_AUGMENT_BORDER_CONSTANT, border);
        g_assert_true (g_file_get_contents (name, &cv, &length, NULL));
        g_assert_cmpmem (dst->data, (gsize) 97 * 61 * cn, cv, length);
        g_unlink (name);
      }
  for (int cn = 1; cn <= 4; cn += cn == 1 ? 2 : 1)
    {
      g_autofree char *name = g_strdup_printf ("%s/src%d.raw", dir, cn);
      g_unlink (name);
    }
  g_rmdir (dir);
}

/* Ultralytics RandomHSV with cv2 (RGB order) against apply_hsv. */
static void
test_opencv_hsv (void)
{
  static const char code[] =
    "import sys, numpy as np, cv2\n"
    "w, h = int(sys.argv[2]), int(sys.argv[3]); r = [float(v) for v in sys.argv[4:7]]\n"
    "img = np.fromfile(sys.argv[1], np.uint8).reshape(h, w, 3)\n"
    "hue, sat, val = cv2.split(cv2.cvtColor(img, cv2.COLOR_RGB2HSV))\n"
    "x = np.arange(0, 256, dtype=np.float64)\n"
    "lh = ((x + r[0] * 180) % 180).astype(np.uint8)\n"
    "ls = np.clip(x * (r[1] + 1), 0, 255).astype(np.uint8); ls[0] = 0\n"
    "lv = np.clip(x * (r[2] + 1), 0, 255).astype(np.uint8)\n"
    "out = cv2.cvtColor(cv2.merge((cv2.LUT(hue, lh), cv2.LUT(sat, ls), cv2.LUT(val, lv))), cv2.COLOR_HSV2RGB)\n"
    "out.tofile(sys.argv[7])\n";
  g_autofree char *dir = NULL, *raw = NULL, *out = NULL, *cv = NULL;
  g_autoptr(BmImage) image = make_image (256, 128, 3);
  g_autoptr(BmAugmentSample) s = NULL;
  BmAugmentOp op = { .kind = BM_AUGMENT_OP_HSV };
  gsize length = 0, differ = 0;

  if (!have_opencv ())
    {
      g_test_skip ("no /usr/bin/python3 with cv2");
      return;
    }
  dir = g_dir_make_tmp ("test-augment-XXXXXX", NULL);
  raw = g_build_filename (dir, "in.raw", NULL);
  out = g_build_filename (dir, "out.raw", NULL);
  write_raw (raw, image);
  {
    const char *argv[] = { "/usr/bin/python3", "-c", code, raw, "256", "128", "0.1", "0.3", "-0.2", out, NULL };
    run_python (argv);
  }
  s = bm_augment_sample_new (image, NULL, NULL);
  op.hsv.hue = 0.1;
  op.hsv.saturation = 0.3;
  op.hsv.value = -0.2;
  apply_ok (s, &op, NULL, 0);
  g_assert_true (g_file_get_contents (out, &cv, &length, NULL));
  g_assert_cmpuint (length, ==, (gsize) 256 * 128 * 3);
  for (gsize i = 0; i < length; i++)
    {
      int d = abs (s->image->data[i] - (guint8) cv[i]);
      g_assert_cmpint (d, <=, 1);
      differ += d != 0;
    }
  /* OpenCV's vectorised HSV→RGB rounds a handful of values differently */
  g_assert_cmpuint (differ, <=, length / 1000);
  g_unlink (raw);
  g_unlink (out);
  g_rmdir (dir);
}

/* Sidecar lines from an untrusted file: each either fails cleanly or applies. */
static void
test_hostile_lines (void)
{
  const char *lines[] = {
    "expand ratio=1e300 x=0 y=0", "expand ratio=-3", "expand ratio=2 x=-1 y=0", "expand ratio=1.5 fill=1,2,300",
    "rotate degrees=1e308 scale=1e-300", "rotate degrees=45 scale=1e300 canvas=enlarge", "rotate canvas=sideways",
    "rotate degrees=-90 scale=0.001 canvas=shrink boxes=ellipse", "rotate degrees=nan",
    "mosaic size=100000 xc=1 yc=1", "mosaic size=64 xc=64 yc=64 sources=5,0,0", "mosaic size=64 xc=200 yc=64",
    "mosaic size=16 xc=3 yc=29 sources=-1,-1,-1 crop=1",
    "crop x=2147483647 y=0 width=10 height=10", "crop x=0 y=0 width=0 height=5",
    "cutout fill=3 holes=2147483647,2147483647,2147483647,2147483647;-5,-5,2147483647,3",
    "cutout holes=1,2,3", "scale width=0 height=5", "scale width=3 height=2",
    "letterbox width=100000 height=100000", "letterbox width=7 height=3",
    "mixup lambda=nan", "mixup lambda=0.3 source=9", "mixup lambda=-1 source=0",
    "hsv hue=1e300 saturation=-1e300 value=5", "brightness factor=1e300", "contrast factor=-1",
    "hflip offset=2", "vflip offset=1", "unknown", "", "   # only a comment", "rotate =5", "rotate degrees==5",
  };

  for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
      {
        g_autoptr(BmAugmentSample) s = sample_with_box (f, 32, 24, 2, 3, 20, 18);
        g_autoptr(BmAugmentSample) other = sample_with_box (f, 20, 30, 1, 1, 5, 5);
        g_autoptr(BmAugmentSample) out = NULL;
        g_autoptr(GError) error = NULL;
        BmShape quad;
        const double xy[8] = { 1, 1, 30, 2, 28, 20, 3, 22 };

        bm_shape_init_quad (&quad, xy);
        add_shape (s, &quad);
        out = bm_augment_replay (s, lines[i], &other, 1, &error);
        g_assert_true ((out == NULL) == (error != NULL));
        if (error)
          g_assert_true (error->domain == BM_ERROR);
        else
          g_assert_cmpint (out->image->width, >, 0);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/augment/flip/f1-f3", test_flip_f1_f3);
  g_test_add_func ("/augment/flip/f2-minus-one", test_flip_f2_minus_one);
  g_test_add_func ("/augment/flip/rotated-stays-clockwise", test_flip_rotated_stays_clockwise);
  g_test_add_func ("/augment/rotate/r1-largest-box", test_rotate_r1_largest_box);
  g_test_add_func ("/augment/rotate/r2-ellipse", test_rotate_r2_ellipse);
  g_test_add_func ("/augment/rotate/r3-paddle-enlarge", test_rotate_r3_paddle_enlarge);
  g_test_add_func ("/augment/rotate/r4-paddle-shrink", test_rotate_r4_paddle_shrink);
  g_test_add_func ("/augment/rotate/r5-safe-rotate", test_rotate_r5_safe_rotate);
  g_test_add_func ("/augment/rotate/r6-about-origin", test_rotate_r6_about_origin);
  g_test_add_func ("/augment/rotate/r7-r8-ninety", test_rotate_r7_r8_ninety);
  g_test_add_func ("/augment/rotate/r9-half-pixel", test_rotate_r9_half_pixel);
  g_test_add_func ("/augment/rotate/q1-rbox", test_rotate_q1_rbox);
  g_test_add_func ("/augment/rotate/q2-q3-quad", test_rotate_q2_q3_quad);
  g_test_add_func ("/augment/survival/u1-u3", test_survival_u1_u3);
  g_test_add_func ("/augment/expand/x1-x3", test_expand_x1_x3);
  g_test_add_func ("/augment/expand/x2-paddle-needs-both-sides", test_expand_x2_paddle_needs_both_sides);
  g_test_add_func ("/augment/expand/paddle-offsets-exclusive", test_expand_paddle_offsets_exclusive);
  g_test_add_func ("/augment/mixup/m1-paddle", test_mixup_m1_paddle);
  g_test_add_func ("/augment/mixup/ultralytics-pixels", test_mixup_ultralytics_pixels);
  g_test_add_func ("/augment/mixup/m2-beta", test_mixup_m2_beta);
  g_test_add_func ("/augment/mixup/m3-mmdet", test_mixup_m3_mmdet);
  g_test_add_func ("/augment/mixup/mmdet-enlarged-edge", test_mixup_mmdet_enlarged_edge);
  g_test_add_func ("/augment/letterbox/l1-l2", test_letterbox_l1_l2);
  g_test_add_func ("/augment/mosaic/s1", test_mosaic_s1);
  g_test_add_func ("/augment/crop/c1-c3", test_crop_c1_c3);
  g_test_add_func ("/augment/crop/drawn-keeps-an-object", test_crop_drawn_keeps_an_object);
  g_test_add_func ("/augment/cutout/e1", test_cutout_e1);
  g_test_add_func ("/augment/colour/h1-boxes-untouched", test_colour_h1_boxes_untouched);
  g_test_add_func ("/augment/colour/values", test_colour_values);
  g_test_add_func ("/augment/warp/rotate-90-permutation", test_rotate_ninety_is_permutation);
  g_test_add_func ("/augment/warp/rotate-90-enlarge-transpose", test_rotate_ninety_enlarge_is_transpose);
  g_test_add_func ("/augment/warp/rotate-180-permutation", test_rotate_180_is_permutation);
  g_test_add_func ("/augment/warp/identity-and-shift", test_warp_identity_and_shift);
  g_test_add_func ("/augment/warp/half-pixel-average", test_warp_half_pixel_average);
  g_test_add_func ("/augment/determinism/same-seed", test_same_seed_same_output);
  g_test_add_func ("/augment/determinism/rng", test_rng_pinned_values);
  g_test_add_func ("/augment/text/round-trip", test_op_text_round_trip);
  g_test_add_func ("/augment/text/describe-framework-angle", test_describe_framework_angle);
  g_test_add_func ("/augment/sample/annotation-round-trip", test_annotation_round_trip);
  g_test_add_func ("/augment/errors/bad-parameters", test_bad_parameters);
  g_test_add_func ("/augment/errors/hostile-lines", test_hostile_lines);
  g_test_add_func ("/augment/scale/shapes", test_scale_and_shapes);
  g_test_add_func ("/augment/mosaic/resizes-tiles", test_mosaic_resizes_tiles);
  g_test_add_func ("/augment/channels/all-operations", test_channel_counts);
  g_test_add_func ("/augment/expand/alpha-opaque", test_expand_alpha_opaque);
  g_test_add_func ("/augment/opencv/warp-bit-exact", test_opencv_warp_bit_exact);
  g_test_add_func ("/augment/opencv/hsv", test_opencv_hsv);

  return g_test_run ();
}
