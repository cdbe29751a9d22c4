/* bm-geometry.h: shapes of annotated objects and the geometry on them.
 *
 * All coordinates are doubles in pixels of the EXIF-oriented image, x to the right, y down.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double x;
  double y;
} BmPoint;

typedef enum
{
  BM_SHAPE_BOX,      /* axis-aligned: p[0] = (xmin, ymin), p[1] = (xmax, ymin), p[2] = (xmax, ymax), p[3] = (xmin, ymax) */
  BM_SHAPE_ROTATED,  /* a rectangle at any angle: its 4 corners, p[0]→p[1] is the "width" edge */
  BM_SHAPE_QUAD,     /* any 4 points in the order they were given (DOTA: clockwise, p[0] meaningful) */
} BmShapeKind;

typedef struct
{
  BmShapeKind kind;
  BmPoint p[4];
} BmShape;

typedef struct
{
  double x1, y1, x2, y2;   /* x1 <= x2, y1 <= y2 */
} BmRect;

void     bm_shape_init_box      (BmShape *shape, double xmin, double ymin, double xmax, double ymax);
/* Rotated box from centre, size and angle in radians. Positive angle turns the box clockwise on
 * screen (y down), as roLabelImg's <robndbox> angle does. */
void     bm_shape_init_rotated  (BmShape *shape, double cx, double cy, double w, double h, double angle);
void     bm_shape_init_quad     (BmShape *shape, const double xy[8]);
/* Inverse of bm_shape_init_rotated for a BM_SHAPE_ROTATED shape: w = |p0p1|, h = |p1p2|,
 * angle = direction of p0→p1 in [0, π). */
void     bm_shape_get_rotated   (const BmShape *shape, double *cx, double *cy, double *w, double *h, double *angle);
BmRect   bm_shape_bounds        (const BmShape *shape);
BmPoint  bm_shape_centre        (const BmShape *shape);
gboolean bm_shape_equal         (const BmShape *a, const BmShape *b);
void     bm_shape_translate     (BmShape *shape, double dx, double dy);
/* Rotates about the shape's centre; positive radians are clockwise on screen. A BOX becomes ROTATED. */
void     bm_shape_rotate        (BmShape *shape, double angle);
double   bm_shape_area          (const BmShape *shape);
/* Rounds the coordinates of @shape to multiples of @step (1: whole pixels, 0.01: two decimals):
 * a box's edges, a quad's vertices, a rotated box's centre and size (its angle stays). With
 * @before (the shape before an edit, of the same kind), only the values that differ from it are
 * rounded, so an edit leaves the values it did not touch as they were. A box or rotated box keeps
 * at least @step of width and height. */
void     bm_shape_snap          (BmShape *shape, const BmShape *before, double step);

double   bm_rect_area           (const BmRect *r);
double   bm_rect_iou            (const BmRect *a, const BmRect *b);
BmRect   bm_rect_intersect      (const BmRect *a, const BmRect *b);

const char *bm_shape_kind_to_string (BmShapeKind kind);

G_END_DECLS
