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

/* Divides by the inverse of a fractional step, so that 0.01 gives the double nearest to the
 * two-decimal value (320.61, not 320.61000000000001), which prints back as written. */
static double
snap_value (double value, double step)
{
  if (step < 1)
    {
      double inverse = round (1 / step);

      return round (value * inverse) / inverse;
    }
  return round (value / step) * step;
}

static double
snap_changed (double value, const double *before, double step)
{
  if (before != NULL && *before == value)
    return value;
  return snap_value (value, step);
}

void
bm_shape_snap (BmShape *shape, const BmShape *before, double step)
{
  g_return_if_fail (shape != NULL);
  g_return_if_fail (step > 0);

  if (before != NULL && before->kind != shape->kind)
    before = NULL;
  switch (shape->kind)
    {
    case BM_SHAPE_BOX:
      {
        double was[4], now[4] = { shape->p[0].x, shape->p[0].y, shape->p[2].x, shape->p[2].y };

        if (before != NULL)
          {
            was[0] = before->p[0].x, was[1] = before->p[0].y, was[2] = before->p[2].x, was[3] = before->p[2].y;
          }
        for (int i = 0; i < 4; i++)
          now[i] = snap_changed (now[i], before != NULL ? &was[i] : NULL, step);
        if (now[2] - now[0] < step)
          now[2] = now[0] + step;
        if (now[3] - now[1] < step)
          now[3] = now[1] + step;
        bm_shape_init_box (shape, now[0], now[1], now[2], now[3]);
        break;
      }
    case BM_SHAPE_ROTATED:
      {
        double now[5], was[5];
        gboolean same = TRUE;

        bm_shape_get_rotated (shape, &now[0], &now[1], &now[2], &now[3], &now[4]);
        if (before != NULL)
          bm_shape_get_rotated (before, &was[0], &was[1], &was[2], &was[3], &was[4]);
        for (int i = 0; i < 4; i++)
          {
            double snapped = snap_changed (now[i], before != NULL ? &was[i] : NULL, step);

            same = same && snapped == now[i];
            now[i] = snapped;
          }
        if (same && now[2] >= step && now[3] >= step)
          break;   /* corners rebuilt from the same values could still move in the last bit */
        now[2] = MAX (now[2], step);
        now[3] = MAX (now[3], step);
        /* bm_shape_get_rotated folds the angle into [0, π): the corners keep their order */
        {
          BmShape snapped;
          double turn = atan2 (shape->p[1].y - shape->p[0].y, shape->p[1].x - shape->p[0].x);

          bm_shape_init_rotated (&snapped, now[0], now[1], now[2], now[3], turn);
          *shape = snapped;
        }
        break;
      }
    case BM_SHAPE_QUAD:
    default:
      for (int i = 0; i < 4; i++)
        {
          shape->p[i].x = snap_changed (shape->p[i].x, before != NULL ? &before->p[i].x : NULL, step);
          shape->p[i].y = snap_changed (shape->p[i].y, before != NULL ? &before->p[i].y : NULL, step);
        }
      break;
    }
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
