/* bm-editor-geometry.c: keeping shapes inside the image (unless allowed outside) and resizing
 * a box or rotated box in its own frame.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-editor-private.h"

/* Image bounds ------------------------------------------------------------------------------- */

static gboolean
clamps (BmEditor *self)
{
  return !self->allow_outside && bm_annotation_get_width (self->annotation) > 0 &&
         bm_annotation_get_height (self->annotation) > 0;
}

static gboolean
rect_inside (BmEditor *self, const BmRect *r)
{
  double w = bm_annotation_get_width (self->annotation);
  double h = bm_annotation_get_height (self->annotation);

  return r->x1 >= -INSIDE_EPSILON && r->y1 >= -INSIDE_EPSILON &&
         r->x2 <= w + INSIDE_EPSILON && r->y2 <= h + INSIDE_EPSILON;
}

static gboolean
shape_inside (BmEditor *self, const BmShape *shape)
{
  BmRect r = bm_shape_bounds (shape);

  return rect_inside (self, &r);
}

/* A result may leave the image only when allowed, or when the object was outside already. */
gboolean
_bm_editor_acceptable (BmEditor *self, const BmShape *before, const BmShape *after)
{
  return !clamps (self) || shape_inside (self, after) || !shape_inside (self, before);
}

static BmPoint
clamp_point (BmEditor *self, double x, double y)
{
  if (clamps (self))
    {
      x = CLAMP (x, 0.0, (double) bm_annotation_get_width (self->annotation));
      y = CLAMP (y, 0.0, (double) bm_annotation_get_height (self->annotation));
    }
  return (BmPoint) { x, y };
}

/* Limits (@dx, @dy) so that @bounds moved by it stays inside the image; never pushes it further
 * out when it is outside already. */
void
_bm_editor_limit_translation (BmEditor *self, const BmRect *bounds, double *dx, double *dy)
{
  double w = bm_annotation_get_width (self->annotation);
  double h = bm_annotation_get_height (self->annotation);

  if (!clamps (self))
    return;
  *dx = CLAMP (*dx, MIN (0.0, -bounds->x1), MAX (0.0, w - bounds->x2));
  *dy = CLAMP (*dy, MIN (0.0, -bounds->y1), MAX (0.0, h - bounds->y2));
}

/* Shifts a new object into the image when it fits there. */
void
_bm_editor_fit_inside (BmEditor *self, BmShape *shape)
{
  BmRect r = bm_shape_bounds (shape);
  double w = bm_annotation_get_width (self->annotation);
  double h = bm_annotation_get_height (self->annotation);
  double dx = 0, dy = 0;

  if (!clamps (self))
    return;
  if (r.x2 - r.x1 <= w)
    dx = r.x1 < 0 ? -r.x1 : r.x2 > w ? w - r.x2 : 0;
  if (r.y2 - r.y1 <= h)
    dy = r.y1 < 0 ? -r.y1 : r.y2 > h ? h - r.y2 : 0;
  bm_shape_translate (shape, dx, dy);
}

/* Resizing in the object's own frame ---------------------------------------------------------- */

typedef struct
{
  BmPoint origin;
  BmPoint u;        /* along p0 → p1 */
  BmPoint v;        /* along p0 → p3 */
  double x1, y1, x2, y2;
} Frame;

static void
frame_init (Frame *f, const BmShape *shape)
{
  if (shape->kind == BM_SHAPE_BOX)
    {
      /* Image axes, so axis-aligned results are exact. */
      BmRect r = bm_shape_bounds (shape);

      f->origin = (BmPoint) { 0, 0 };
      f->u = (BmPoint) { 1, 0 };
      f->v = (BmPoint) { 0, 1 };
      f->x1 = r.x1, f->y1 = r.y1, f->x2 = r.x2, f->y2 = r.y2;
      return;
    }
  f->origin = shape->p[0];
  f->u = unit_or (sub (shape->p[1], shape->p[0]), (BmPoint) { 1, 0 });
  f->v = unit_or (sub (shape->p[3], shape->p[0]), (BmPoint) { -f->u.y, f->u.x });
  f->x1 = 0;
  f->y1 = 0;
  f->x2 = dot (sub (shape->p[1], shape->p[0]), f->u);
  f->y2 = dot (sub (shape->p[3], shape->p[0]), f->v);
}

static BmPoint
frame_to_image (const Frame *f, double lx, double ly)
{
  return (BmPoint) { f->origin.x + lx * f->u.x + ly * f->v.x, f->origin.y + lx * f->u.y + ly * f->v.y };
}

/* Moves side @moved of an interval to @to, keeping at least MIN_SIZE from the @fixed side; when
 * too close it stays on its own side (@side = -1 below @fixed, +1 above). */
static void
move_side (double *moved, double fixed, double to, double side)
{
  if (fabs (to - fixed) < MIN_SIZE)
    to = fixed + side * MIN_SIZE;
  *moved = to;
}

static void
frame_resize (Frame *f, BmHandleKind kind, int index, BmPoint p)
{
  BmPoint local_p = sub (p, f->origin);
  double lx = dot (local_p, f->u), ly = dot (local_p, f->v);
  /* Which sides a handle moves: corner k = (x1|x2, y1|y2); edge k = one side. */
  static const int corner_x[4] = { 1, 2, 2, 1 }, corner_y[4] = { 1, 1, 2, 2 };
  static const int edge_x[4] = { 0, 2, 0, 1 }, edge_y[4] = { 1, 0, 2, 0 };
  int sx = kind == BM_HANDLE_CORNER ? corner_x[index] : edge_x[index];
  int sy = kind == BM_HANDLE_CORNER ? corner_y[index] : edge_y[index];
  double x1 = f->x1, x2 = f->x2, y1 = f->y1, y2 = f->y2;

  if (sx == 1)
    move_side (&x1, f->x2, lx, -1);
  else if (sx == 2)
    move_side (&x2, f->x1, lx, 1);
  if (sy == 1)
    move_side (&y1, f->y2, ly, -1);
  else if (sy == 2)
    move_side (&y2, f->y1, ly, 1);
  f->x1 = MIN (x1, x2), f->x2 = MAX (x1, x2);
  f->y1 = MIN (y1, y2), f->y2 = MAX (y1, y2);
}

static void
frame_to_shape (const Frame *f, BmShapeKind kind, BmShape *out)
{
  if (kind == BM_SHAPE_BOX)
    {
      bm_shape_init_box (out, f->x1, f->y1, f->x2, f->y2);
      return;
    }
  out->kind = kind;
  out->p[0] = frame_to_image (f, f->x1, f->y1);
  out->p[1] = frame_to_image (f, f->x2, f->y1);
  out->p[2] = frame_to_image (f, f->x2, f->y2);
  out->p[3] = frame_to_image (f, f->x1, f->y2);
}

BmPoint
_bm_editor_handle_position (const BmShape *shape, BmHandleKind kind, int index)
{
  if (kind == BM_HANDLE_CORNER)
    return shape->p[index];
  return (BmPoint) { (shape->p[index].x + shape->p[(index + 1) % 4].x) / 2,
                     (shape->p[index].y + shape->p[(index + 1) % 4].y) / 2 };
}

static void
resize_unchecked (const BmShape *before, BmHandleKind kind, int index, BmPoint p, BmShape *after)
{
  Frame f;

  if (before->kind == BM_SHAPE_QUAD)
    {
      *after = *before;
      if (kind == BM_HANDLE_CORNER)
        after->p[index] = p;
      return;
    }
  frame_init (&f, before);
  frame_resize (&f, kind, index, p);
  frame_to_shape (&f, before->kind, after);
}

/* The resize of @before by its handle dragged to (@x, @y), as far as the image allows. */
void
_bm_editor_compute_resize (BmEditor *self, const BmShape *before, BmHandleKind kind, int index, double x,
                           double y, BmShape *after)
{
  BmPoint p = clamp_point (self, x, y);
  BmPoint start;
  double lo = 0, hi = 1;

  resize_unchecked (before, kind, index, p, after);
  if (_bm_editor_acceptable (self, before, after))
    return;

  /* A rotated corner can leave the image with the pointer inside: go as far as fits. */
  start = _bm_editor_handle_position (before, kind, index);
  for (int i = 0; i < 40; i++)
    {
      double t = (lo + hi) / 2;
      BmPoint q = { start.x + t * (p.x - start.x), start.y + t * (p.y - start.y) };
      BmShape trial;

      resize_unchecked (before, kind, index, q, &trial);
      if (_bm_editor_acceptable (self, before, &trial))
        lo = t;
      else
        hi = t;
    }
  if (lo == 0)
    *after = *before;
  else
    resize_unchecked (before, kind, index,
                      (BmPoint) { start.x + lo * (p.x - start.x), start.y + lo * (p.y - start.y) }, after);
}

