/* bm-shape-drawer.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include "bm-shape-drawer.h"

struct _BmShapeDrawer
{
  GObject parent_instance;

  BmDrawMode mode;
  double width, height;
  gboolean allow_outside;
  gboolean sticky;

  gboolean pressed;         /* box: between press and release */
  BmPoint anchor;           /* box: where the drag began */
  BmPoint points[4];        /* quad: clicked points */
  guint n_points;
  gboolean has_pointer;
  BmPoint pointer;
  gboolean square;
  BmShape result;
};

G_DEFINE_FINAL_TYPE (BmShapeDrawer, bm_shape_drawer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Quad order --------------------------------------------------------------------------------- */

static double
cross (BmPoint o, BmPoint a, BmPoint b)
{
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

static gboolean
segments_cross (BmPoint a, BmPoint b, BmPoint c, BmPoint d)
{
  double d1 = cross (c, d, a), d2 = cross (c, d, b), d3 = cross (a, b, c), d4 = cross (a, b, d);

  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* Twice the signed area; positive when clockwise on screen (y down). */
static double
signed_area2 (const BmPoint p[4])
{
  double sum = 0;

  for (int i = 0; i < 4; i++)
    sum += p[i].x * p[(i + 1) % 4].y - p[(i + 1) % 4].x * p[i].y;
  return sum;
}

void
bm_quad_order_clockwise (BmPoint p[4])
{
  if (segments_cross (p[0], p[1], p[2], p[3]) || segments_cross (p[1], p[2], p[3], p[0]))
    {
      /* Sort the others by the angle they make about the centre, going clockwise from p[0]. */
      BmPoint c = { (p[0].x + p[1].x + p[2].x + p[3].x) / 4, (p[0].y + p[1].y + p[2].y + p[3].y) / 4 };
      double start = atan2 (p[0].y - c.y, p[0].x - c.x);
      double key[4];

      for (int i = 1; i < 4; i++)
        {
          key[i] = fmod (atan2 (p[i].y - c.y, p[i].x - c.x) - start + 4 * G_PI, 2 * G_PI);
          for (int j = i; j > 1 && key[j] < key[j - 1]; j--)
            {
              BmPoint tp = p[j];
              double tk = key[j];

              p[j] = p[j - 1], key[j] = key[j - 1];
              p[j - 1] = tp, key[j - 1] = tk;
            }
        }
    }
  if (signed_area2 (p) < 0)
    {
      BmPoint t = p[1];

      p[1] = p[3];
      p[3] = t;
    }
}

/* State -------------------------------------------------------------------------------------- */

static BmPoint
clamp (BmShapeDrawer *self, double x, double y)
{
  if (!self->allow_outside && self->width > 0 && self->height > 0)
    {
      x = CLAMP (x, 0.0, self->width);
      y = CLAMP (y, 0.0, self->height);
    }
  return (BmPoint) { x, y };
}

static void
reset (BmShapeDrawer *self)
{
  self->pressed = FALSE;
  self->n_points = 0;
}

static void
box_corners (BmShapeDrawer *self, BmPoint to, gboolean square, BmShape *shape)
{
  double dx = to.x - self->anchor.x, dy = to.y - self->anchor.y;

  if (square)
    {
      double side = MAX (fabs (dx), fabs (dy));

      if (!self->allow_outside && self->width > 0 && self->height > 0)
        {
          side = MIN (side, dx >= 0 ? self->width - self->anchor.x : self->anchor.x);
          side = MIN (side, dy >= 0 ? self->height - self->anchor.y : self->anchor.y);
        }
      dx = dx >= 0 ? side : -side;
      dy = dy >= 0 ? side : -side;
    }
  bm_shape_init_box (shape, MIN (self->anchor.x, self->anchor.x + dx), MIN (self->anchor.y, self->anchor.y + dy),
                     MAX (self->anchor.x, self->anchor.x + dx), MAX (self->anchor.y, self->anchor.y + dy));
}

static BmDrawResult
finish (BmShapeDrawer *self)
{
  reset (self);
  if (!self->sticky)
    bm_shape_drawer_set_mode (self, BM_DRAW_NONE);
  return BM_DRAW_FINISHED;
}

BmDrawResult
bm_shape_drawer_press (BmShapeDrawer *self, double x, double y, gboolean square)
{
  BmPoint p;

  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), BM_DRAW_IGNORED);

  if (self->mode == BM_DRAW_NONE)
    return BM_DRAW_IGNORED;
  p = clamp (self, x, y);
  self->pointer = p;
  self->has_pointer = TRUE;
  self->square = square;
  if (self->mode == BM_DRAW_QUAD)
    {
      self->points[self->n_points++] = p;
      if (self->n_points < 4)
        return BM_DRAW_CONTINUE;
      self->result.kind = BM_SHAPE_QUAD;
      memcpy (self->result.p, self->points, sizeof self->points);
      bm_quad_order_clockwise (self->result.p);
      return finish (self);
    }
  self->pressed = TRUE;
  self->anchor = p;
  return BM_DRAW_CONTINUE;
}

gboolean
bm_shape_drawer_hover (BmShapeDrawer *self, double x, double y)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), FALSE);

  if (self->mode == BM_DRAW_NONE)
    return FALSE;
  self->pointer = clamp (self, x, y);
  self->has_pointer = TRUE;
  return TRUE;
}

void
bm_shape_drawer_leave (BmShapeDrawer *self)
{
  g_return_if_fail (BM_IS_SHAPE_DRAWER (self));
  self->has_pointer = FALSE;
}

BmDrawResult
bm_shape_drawer_motion (BmShapeDrawer *self, double x, double y, gboolean square)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), BM_DRAW_IGNORED);

  if (!bm_shape_drawer_hover (self, x, y))
    return BM_DRAW_IGNORED;
  self->square = square;
  return BM_DRAW_CONTINUE;
}

BmDrawResult
bm_shape_drawer_release (BmShapeDrawer *self, double x, double y, gboolean square)
{
  BmShape box;

  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), BM_DRAW_IGNORED);

  if (self->mode == BM_DRAW_NONE)
    return BM_DRAW_IGNORED;
  bm_shape_drawer_hover (self, x, y);
  self->square = square;
  if (self->mode == BM_DRAW_QUAD || !self->pressed)
    return BM_DRAW_CONTINUE;

  box_corners (self, self->pointer, square, &box);
  self->pressed = FALSE;
  if (box.p[2].x - box.p[0].x < BM_SHAPE_DRAWER_MIN_SIZE || box.p[2].y - box.p[0].y < BM_SHAPE_DRAWER_MIN_SIZE)
    return BM_DRAW_CANCELLED;
  self->result = box;
  if (self->mode == BM_DRAW_ROTATED)
    self->result.kind = BM_SHAPE_ROTATED;   /* same corner order as an angle of 0 */
  return finish (self);
}

gboolean
bm_shape_drawer_cancel (BmShapeDrawer *self)
{
  gboolean was = FALSE;

  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), FALSE);

  was = self->mode != BM_DRAW_NONE;
  reset (self);
  bm_shape_drawer_set_mode (self, BM_DRAW_NONE);
  return was;
}

gboolean
bm_shape_drawer_remove_last_point (BmShapeDrawer *self)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), FALSE);

  if (self->mode != BM_DRAW_QUAD || self->n_points == 0)
    return FALSE;
  self->n_points--;
  return TRUE;
}

gboolean
bm_shape_drawer_is_active (BmShapeDrawer *self)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), FALSE);
  return self->pressed || self->n_points > 0;
}

const BmShape *
bm_shape_drawer_get_result (BmShapeDrawer *self)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), NULL);
  return &self->result;
}

guint
bm_shape_drawer_get_preview (BmShapeDrawer *self, BmPoint points[4])
{
  guint n;

  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), 0);

  if (self->pressed)
    {
      BmShape box;

      box_corners (self, self->pointer, self->square, &box);
      memcpy (points, box.p, sizeof box.p);
      return 4;
    }
  if (self->mode != BM_DRAW_QUAD || self->n_points == 0)
    return 0;
  n = self->n_points;
  memcpy (points, self->points, n * sizeof (BmPoint));
  if (self->has_pointer && n < 4)
    points[n++] = self->pointer;
  return n;
}

gboolean
bm_shape_drawer_get_crosshair (BmShapeDrawer *self, BmPoint *point)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), FALSE);

  if (self->mode == BM_DRAW_NONE || !self->has_pointer)
    return FALSE;
  if (point != NULL)
    *point = self->pointer;
  return TRUE;
}

/* Settings ----------------------------------------------------------------------------------- */

void
bm_shape_drawer_set_bounds (BmShapeDrawer *self, double width, double height)
{
  g_return_if_fail (BM_IS_SHAPE_DRAWER (self));
  self->width = MAX (width, 0);
  self->height = MAX (height, 0);
}

void
bm_shape_drawer_set_allow_outside (BmShapeDrawer *self, gboolean allow_outside)
{
  g_return_if_fail (BM_IS_SHAPE_DRAWER (self));
  self->allow_outside = !!allow_outside;
}

void
bm_shape_drawer_set_sticky (BmShapeDrawer *self, gboolean sticky)
{
  g_return_if_fail (BM_IS_SHAPE_DRAWER (self));
  self->sticky = !!sticky;
}

void
bm_shape_drawer_set_mode (BmShapeDrawer *self, BmDrawMode mode)
{
  g_return_if_fail (BM_IS_SHAPE_DRAWER (self));
  g_return_if_fail (mode <= BM_DRAW_QUAD);

  reset (self);
  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

BmDrawMode
bm_shape_drawer_get_mode (BmShapeDrawer *self)
{
  g_return_val_if_fail (BM_IS_SHAPE_DRAWER (self), BM_DRAW_NONE);
  return self->mode;
}

static void
bm_shape_drawer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BmShapeDrawer *self = BM_SHAPE_DRAWER (object);

  switch (prop_id)
    {
    case PROP_MODE: g_value_set_int (value, self->mode); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_shape_drawer_class_init (BmShapeDrawerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bm_shape_drawer_get_property;

  /* A plain int: core has no registered enum types. */
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL, BM_DRAW_NONE, BM_DRAW_QUAD, BM_DRAW_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bm_shape_drawer_init (BmShapeDrawer *self)
{
}

BmShapeDrawer *
bm_shape_drawer_new (void)
{
  return g_object_new (BM_TYPE_SHAPE_DRAWER, NULL);
}
