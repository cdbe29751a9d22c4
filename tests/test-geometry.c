/* test-geometry.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include "core/bm-geometry.h"

static void
test_box_bounds (void)
{
  BmShape s;
  BmRect r;

  bm_shape_init_box (&s, 10, 20, 110, 70);
  r = bm_shape_bounds (&s);
  g_assert_cmpfloat (r.x1, ==, 10);
  g_assert_cmpfloat (r.y1, ==, 20);
  g_assert_cmpfloat (r.x2, ==, 110);
  g_assert_cmpfloat (r.y2, ==, 70);
  g_assert_cmpfloat (bm_shape_area (&s), ==, 5000);
}

static void
test_rotated_roundtrip (void)
{
  BmShape s;
  double cx, cy, w, h, a;

  bm_shape_init_rotated (&s, 452.5, 136.25, 100.0, 60.5, 0.523599);
  bm_shape_get_rotated (&s, &cx, &cy, &w, &h, &a);
  g_assert_cmpfloat_with_epsilon (cx, 452.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (cy, 136.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 60.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (a, 0.523599, 1e-9);
  g_assert_cmpfloat_with_epsilon (bm_shape_area (&s), 6050, 1e-6);
}

static void
test_rotated_clockwise_on_screen (void)
{
  BmShape s;

  /* A 90° clockwise turn (y down) sends the width edge p0→p1 straight down. */
  bm_shape_init_rotated (&s, 0, 0, 10, 2, G_PI / 2);
  g_assert_cmpfloat_with_epsilon (s.p[0].x, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.p[0].y, -5, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.p[1].x, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.p[1].y, 5, 1e-12);
}

static void
test_rotate_box_becomes_rotated (void)
{
  BmShape s;
  BmRect r;

  bm_shape_init_box (&s, 0, 0, 4, 2);
  bm_shape_rotate (&s, G_PI / 2);
  g_assert_cmpint (s.kind, ==, BM_SHAPE_ROTATED);
  r = bm_shape_bounds (&s);
  g_assert_cmpfloat_with_epsilon (r.x1, 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.x2, 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.y1, -1, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.y2, 3, 1e-12);
}

static void
test_iou (void)
{
  BmRect a = { 0, 0, 10, 10 }, b = { 5, 0, 15, 10 }, c = { 20, 20, 30, 30 };

  g_assert_cmpfloat_with_epsilon (bm_rect_iou (&a, &b), 50.0 / 150.0, 1e-12);
  g_assert_cmpfloat (bm_rect_iou (&a, &c), ==, 0);
  g_assert_cmpfloat (bm_rect_iou (&a, &a), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geometry/box-bounds", test_box_bounds);
  g_test_add_func ("/geometry/rotated-roundtrip", test_rotated_roundtrip);
  g_test_add_func ("/geometry/rotated-clockwise", test_rotated_clockwise_on_screen);
  g_test_add_func ("/geometry/rotate-box", test_rotate_box_becomes_rotated);
  g_test_add_func ("/geometry/iou", test_iou);
  return g_test_run ();
}
