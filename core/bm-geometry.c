/* bm-geometry.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include "bm-geometry.h"

void
bm_shape_init_box (BmShape *shape, double xmin, double ymin, double xmax, double ymax)
{
  g_return_if_fail (shape != NULL);

  shape->kind = BM_SHAPE_BOX;
  shape->p[0] = (BmPoint) { xmin, ymin };
  shape->p[1] = (BmPoint) { xmax, ymin };
  shape->p[2] = (BmPoint) { xmax, ymax };
  shape->p[3] = (BmPoint) { xmin, ymax };
}

void
bm_shape_init_rotated (BmShape *shape, double cx, double cy, double w, double h, double angle)
{
  static const double corner[4][2] = { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } };
  double c = cos (angle), s = sin (angle);

  g_return_if_fail (shape != NULL);

  shape->kind = BM_SHAPE_ROTATED;
  for (int i = 0; i < 4; i++)
    {
      double dx = corner[i][0] * w, dy = corner[i][1] * h;
      shape->p[i].x = cx + dx * c - dy * s;
      shape->p[i].y = cy + dx * s + dy * c;
    }
}

void
bm_shape_init_quad (BmShape *shape, const double xy[8])
{
  g_return_if_fail (shape != NULL);

  shape->kind = BM_SHAPE_QUAD;
  for (int i = 0; i < 4; i++)
    shape->p[i] = (BmPoint) { xy[2 * i], xy[2 * i + 1] };
}

void
bm_shape_get_rotated (const BmShape *shape, double *cx, double *cy, double *w, double *h, double *angle)
{
  BmPoint c = bm_shape_centre (shape);
  double a = atan2 (shape->p[1].y - shape->p[0].y, shape->p[1].x - shape->p[0].x);

  a = fmod (a, G_PI);
  if (a < 0)
    a += G_PI;
  if (cx) *cx = c.x;
  if (cy) *cy = c.y;
  if (w) *w = hypot (shape->p[1].x - shape->p[0].x, shape->p[1].y - shape->p[0].y);
  if (h) *h = hypot (shape->p[2].x - shape->p[1].x, shape->p[2].y - shape->p[1].y);
  if (angle) *angle = a;
}

BmRect
bm_shape_bounds (const BmShape *shape)
{
  BmRect r = { shape->p[0].x, shape->p[0].y, shape->p[0].x, shape->p[0].y };

  for (int i = 1; i < 4; i++)
    {
      r.x1 = MIN (r.x1, shape->p[i].x);
      r.y1 = MIN (r.y1, shape->p[i].y);
      r.x2 = MAX (r.x2, shape->p[i].x);
      r.y2 = MAX (r.y2, shape->p[i].y);
    }
  return r;
}

BmPoint
bm_shape_centre (const BmShape *shape)
{
  BmPoint c = { 0, 0 };

  for (int i = 0; i < 4; i++)
    {
      c.x += shape->p[i].x / 4;
      c.y += shape->p[i].y / 4;
    }
  return c;
}

gboolean
bm_shape_equal (const BmShape *a, const BmShape *b)
{
  if (a->kind != b->kind)
    return FALSE;
  for (int i = 0; i < 4; i++)
    if (a->p[i].x != b->p[i].x || a->p[i].y != b->p[i].y)
      return FALSE;
  return TRUE;
}

void
bm_shape_translate (BmShape *shape, double dx, double dy)
{
  for (int i = 0; i < 4; i++)
    {
      shape->p[i].x += dx;
      shape->p[i].y += dy;
    }
}

void
bm_shape_rotate (BmShape *shape, double angle)
{
  BmPoint c = bm_shape_centre (shape);
  double co = cos (angle), si = sin (angle);

  for (int i = 0; i < 4; i++)
    {
      double dx = shape->p[i].x - c.x, dy = shape->p[i].y - c.y;
      shape->p[i].x = c.x + dx * co - dy * si;
      shape->p[i].y = c.y + dx * si + dy * co;
    }
  if (shape->kind == BM_SHAPE_BOX)
    shape->kind = BM_SHAPE_ROTATED;
}

double
bm_shape_area (const BmShape *shape)
{
  double twice = 0;

  for (int i = 0; i < 4; i++)
    {
      const BmPoint *a = &shape->p[i], *b = &shape->p[(i + 1) % 4];
      twice += a->x * b->y - b->x * a->y;
    }
  return fabs (twice) / 2;
}

double
bm_rect_area (const BmRect *r)
{
  if (r->x2 <= r->x1 || r->y2 <= r->y1)
    return 0;
  return (r->x2 - r->x1) * (r->y2 - r->y1);
}

BmRect
bm_rect_intersect (const BmRect *a, const BmRect *b)
{
  BmRect r = { MAX (a->x1, b->x1), MAX (a->y1, b->y1), MIN (a->x2, b->x2), MIN (a->y2, b->y2) };

  if (r.x2 < r.x1)
    r.x2 = r.x1;
  if (r.y2 < r.y1)
    r.y2 = r.y1;
  return r;
}

double
bm_rect_iou (const BmRect *a, const BmRect *b)
{
  BmRect i = bm_rect_intersect (a, b);
  double inter = bm_rect_area (&i);
  double uni = bm_rect_area (a) + bm_rect_area (b) - inter;

  return uni > 0 ? inter / uni : 0;
}

const char *
bm_shape_kind_to_string (BmShapeKind kind)
{
  switch (kind)
    {
    case BM_SHAPE_BOX: return "box";
    case BM_SHAPE_ROTATED: return "rotated";
    case BM_SHAPE_QUAD: return "quad";
    default: g_return_val_if_reached ("box");
    }
}
