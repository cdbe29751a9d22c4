/* bm-editor-drag.c: dragging with the pointer (one undo step per drag) and hit testing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-editor-private.h"

/* Geometry of hits --------------------------------------------------------------------------- */

static double
distance_to_segment (BmPoint p, BmPoint a, BmPoint b)
{
  BmPoint ab = sub (b, a), ap = sub (p, a);
  double length2 = dot (ab, ab);
  double t = length2 > 0 ? CLAMP (dot (ap, ab) / length2, 0.0, 1.0) : 0.0;

  return hypot (ap.x - t * ab.x, ap.y - t * ab.y);
}

static gboolean
point_in_shape (const BmShape *shape, BmPoint p)
{
  gboolean inside = FALSE;

  for (int i = 0, j = 3; i < 4; j = i++)
    {
      const BmPoint *a = &shape->p[i], *b = &shape->p[j];

      if ((a->y > p.y) != (b->y > p.y) &&
          p.x < (b->x - a->x) * (p.y - a->y) / (b->y - a->y) + a->x)
        inside = !inside;
    }
  return inside;
}

static double
distance_to_outline (const BmShape *shape, BmPoint p)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < 4; i++)
    best = MIN (best, distance_to_segment (p, shape->p[i], shape->p[(i + 1) % 4]));
  return best;
}

/* Dragging ----------------------------------------------------------------------------------- */

gboolean
bm_editor_begin_drag (BmEditor *self, const BmHit *hit, double x, double y)
{
  guint n;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  n = bm_annotation_get_n_objects (self->annotation);
  if (!bm_editor_can_edit (self) || hit->object < 0 || hit->object >= (int) n || hit->kind == BM_HANDLE_NONE)
    return FALSE;
  if ((hit->kind == BM_HANDLE_CORNER || hit->kind == BM_HANDLE_EDGE) && (hit->index < 0 || hit->index > 3))
    return FALSE;

  if (!bm_editor_is_selected (self, (guint) hit->object))
    bm_editor_select (self, hit->object);

  self->dragging = TRUE;
  self->drag_recorded = FALSE;
  self->drag_hit = *hit;
  self->drag_x = x;
  self->drag_y = y;
  g_array_set_size (self->drag_indices, 0);
  g_array_set_size (self->drag_shapes, 0);
  if (hit->kind == BM_HANDLE_BODY)
    {
      for (guint i = 0; i < self->selection->len; i++)
        g_array_append_val (self->drag_indices, g_array_index (self->selection, guint, i));
    }
  else
    {
      guint index = (guint) hit->object;

      g_array_append_val (self->drag_indices, index);
    }
  for (guint i = 0; i < self->drag_indices->len; i++)
    g_array_append_val (self->drag_shapes,
                        *bm_object_get_shape (_bm_editor_object_at_index (self, g_array_index (self->drag_indices, guint, i))));
  return TRUE;
}

void
bm_editor_update_drag (BmEditor *self, double x, double y)
{
  g_autoptr(GArray) shapes = NULL;
  const guint *indices;
  BmShape *s;
  guint n;

  g_return_if_fail (BM_IS_EDITOR (self));

  if (!self->dragging)
    return;
  n = self->drag_indices->len;
  for (guint i = 0; i < n; i++)
    if (g_array_index (self->drag_indices, guint, i) >= bm_annotation_get_n_objects (self->annotation))
      return;
  indices = (const guint *) (gpointer) self->drag_indices->data;
  shapes = g_array_copy (self->drag_shapes);
  s = (BmShape *) (gpointer) shapes->data;

  switch (self->drag_hit.kind)
    {
    case BM_HANDLE_BODY:
      _bm_editor_translate_shapes (self, indices, s, n, x - self->drag_x, y - self->drag_y);
      break;
    case BM_HANDLE_CORNER:
    case BM_HANDLE_EDGE:
      _bm_editor_compute_resize (self, &g_array_index (self->drag_shapes, BmShape, 0), self->drag_hit.kind,
                      self->drag_hit.index, x, y, &s[0]);
      break;
    case BM_HANDLE_ROTATE:
      {
        BmPoint c = bm_shape_centre (&s[0]);
        double angle = atan2 (y - c.y, x - c.x) - atan2 (self->drag_y - c.y, self->drag_x - c.x);
        BmShape before = s[0];

        bm_shape_rotate (&s[0], angle);
        if (!_bm_editor_acceptable (self, &before, &s[0]))
          return;
      }
      break;
    case BM_HANDLE_NONE:
    default:
      return;
    }
  if (self->drag_hit.kind != BM_HANDLE_ROTATE)
    _bm_editor_snap_shapes (self, indices, s, (const BmShape *) (gpointer) self->drag_shapes->data, n);

  if (!self->drag_recorded)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < n && !any; i++)
        any = !bm_shape_equal (bm_object_get_shape (_bm_editor_object_at_index (self, indices[i])), &s[i]);
      if (!any)
        return;
      /* Every dragged object, not only those changed now: later motions may change the others. */
      bm_history_record_changes (self->history, indices, n);
      self->drag_recorded = TRUE;
    }
  _bm_editor_apply_shapes (self, indices, s, n, FALSE);
}

void
bm_editor_end_drag (BmEditor *self)
{
  g_return_if_fail (BM_IS_EDITOR (self));
  self->dragging = FALSE;
}

void
bm_editor_cancel_drag (BmEditor *self)
{
  g_return_if_fail (BM_IS_EDITOR (self));

  if (!self->dragging)
    return;
  self->dragging = FALSE;
  /* The undo step holds exactly the state before the drag, dirty flag included. */
  if (self->drag_recorded)
    bm_history_undo (self->history);
}

gboolean
bm_editor_is_dragging (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  return self->dragging;
}

/* Hit testing -------------------------------------------------------------------------------- */

gboolean
bm_editor_get_rotate_handle (BmEditor *self, guint index, double tolerance, BmPoint *handle, BmPoint *anchor)
{
  const BmShape *s;
  BmPoint mid, c, out;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (index < bm_annotation_get_n_objects (self->annotation), FALSE);

  s = bm_object_get_shape (_bm_editor_object_at_index (self, index));
  if (s->kind == BM_SHAPE_QUAD)
    return FALSE;
  mid = _bm_editor_handle_position (s, BM_HANDLE_EDGE, 0);
  c = bm_shape_centre (s);
  {
    BmPoint edge = unit_or (sub (s->p[1], s->p[0]), (BmPoint) { 1, 0 });
    out = unit_or (sub (mid, c), (BmPoint) { edge.y, -edge.x });
  }
  if (anchor != NULL)
    *anchor = mid;
  if (handle != NULL)
    *handle = (BmPoint) { mid.x + out.x * BM_EDITOR_ROTATE_HANDLE_DISTANCE * tolerance,
                          mid.y + out.y * BM_EDITOR_ROTATE_HANDLE_DISTANCE * tolerance };
  return TRUE;
}

static gboolean
object_contains (BmObject *object, BmPoint p, double tolerance)
{
  const BmShape *s = bm_object_get_shape (object);
  /* Bounds widened by the tolerance (and a hair for rounding) hold every point that counts:
   * checking them first makes a pass over thousands of objects cost little more than a loop. */
  double slack = tolerance + 1e-9 * (1 + tolerance);
  double x1 = s->p[0].x, x2 = x1, y1 = s->p[0].y, y2 = y1;

  for (int i = 1; i < 4; i++)
    {
      x1 = MIN (x1, s->p[i].x), x2 = MAX (x2, s->p[i].x);
      y1 = MIN (y1, s->p[i].y), y2 = MAX (y2, s->p[i].y);
    }
  if (p.x < x1 - slack || p.x > x2 + slack || p.y < y1 - slack || p.y > y2 + slack)
    return FALSE;
  return point_in_shape (s, p) || distance_to_outline (s, p) <= tolerance;
}

static gboolean
hit_handles (BmEditor *self, guint index, BmPoint p, double tolerance, BmHit *hit)
{
  const BmShape *s = bm_object_get_shape (_bm_editor_object_at_index (self, index));
  double best = tolerance;
  int best_corner = -1, best_edge = -1;
  BmPoint handle;

  for (int k = 0; k < 4; k++)
    {
      double d = hypot (p.x - s->p[k].x, p.y - s->p[k].y);

      if (d <= best)
        best = d, best_corner = k;
    }
  if (best_corner >= 0)
    {
      *hit = (BmHit) { (int) index, BM_HANDLE_CORNER, best_corner };
      return TRUE;
    }
  if (bm_editor_get_rotate_handle (self, index, tolerance, &handle, NULL) &&
      hypot (p.x - handle.x, p.y - handle.y) <= tolerance)
    {
      *hit = (BmHit) { (int) index, BM_HANDLE_ROTATE, 0 };
      return TRUE;
    }
  if (s->kind == BM_SHAPE_QUAD)
    return FALSE;
  best = tolerance;
  for (int k = 0; k < 4; k++)
    {
      double d = distance_to_segment (p, s->p[k], s->p[(k + 1) % 4]);

      if (d <= best)
        best = d, best_edge = k;
    }
  if (best_edge >= 0)
    {
      *hit = (BmHit) { (int) index, BM_HANDLE_EDGE, best_edge };
      return TRUE;
    }
  return FALSE;
}

/* Objects under @p, smallest first (then the later one, drawn on top). */
static GArray *
objects_under (BmEditor *self, BmPoint p, double tolerance)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = bm_annotation_get_n_objects (self->annotation);

  for (guint i = n; i > 0; i--)
    if (_bm_editor_is_visible (self, i - 1) && object_contains (_bm_editor_object_at_index (self, i - 1), p, tolerance))
      {
        guint index = i - 1;
        guint at = 0;
        double area = bm_shape_area (bm_object_get_shape (_bm_editor_object_at_index (self, index)));

        while (at < found->len &&
               bm_shape_area (bm_object_get_shape (_bm_editor_object_at_index (self, g_array_index (found, guint, at)))) <= area)
          at++;
        g_array_insert_val (found, at, index);
      }
  return found;
}

gboolean
bm_editor_hit_test (BmEditor *self, double x, double y, double tolerance, BmHit *hit)
{
  BmPoint p = { x, y };
  g_autoptr(GArray) under = NULL;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  *hit = (BmHit) { -1, BM_HANDLE_NONE, 0 };
  if (self->primary >= 0 && _bm_editor_is_visible (self, (guint) self->primary)
      && hit_handles (self, (guint) self->primary, p, tolerance, hit))
    return TRUE;

  /* A press on the selection drags the selection, even under a smaller object. */
  if (self->primary >= 0 && _bm_editor_is_visible (self, (guint) self->primary)
      && object_contains (_bm_editor_object_at_index (self, (guint) self->primary), p, tolerance))
    {
      *hit = (BmHit) { self->primary, BM_HANDLE_BODY, 0 };
      return TRUE;
    }
  for (guint i = 0; i < self->selection->len; i++)
    {
      guint index = g_array_index (self->selection, guint, i);

      if (_bm_editor_is_visible (self, index) && object_contains (_bm_editor_object_at_index (self, index), p, tolerance))
        {
          *hit = (BmHit) { (int) index, BM_HANDLE_BODY, 0 };
          return TRUE;
        }
    }
  under = objects_under (self, p, tolerance);
  if (under->len == 0)
    return FALSE;
  *hit = (BmHit) { (int) g_array_index (under, guint, 0), BM_HANDLE_BODY, 0 };
  return TRUE;
}

int
bm_editor_object_at (BmEditor *self, double x, double y, double tolerance)
{
  g_autoptr(GArray) under = NULL;
  guint pick = 0;

  g_return_val_if_fail (BM_IS_EDITOR (self), -1);

  under = objects_under (self, (BmPoint) { x, y }, tolerance);
  if (under->len == 0)
    {
      self->has_last_pick = FALSE;
      return -1;
    }
  if (self->has_last_pick && hypot (x - self->last_pick_x, y - self->last_pick_y) <= tolerance)
    for (guint i = 0; i < under->len; i++)
      if ((int) g_array_index (under, guint, i) == self->last_pick)
        {
          pick = (i + 1) % under->len;
          break;
        }
  self->has_last_pick = TRUE;
  self->last_pick_x = x;
  self->last_pick_y = y;
  self->last_pick = (int) g_array_index (under, guint, pick);
  return self->last_pick;
}


int
bm_editor_next_object_at (BmEditor *self, double x, double y, double tolerance, int after, int step)
{
  g_autoptr(GArray) under = NULL;
  guint pick = 0;

  g_return_val_if_fail (BM_IS_EDITOR (self), -1);
  g_return_val_if_fail (step == 1 || step == -1, -1);

  under = objects_under (self, (BmPoint) { x, y }, tolerance);
  if (under->len == 0)
    return -1;
  for (guint i = 0; i < under->len; i++)
    if ((int) g_array_index (under, guint, i) == after)
      {
        pick = (guint) (((int) i + step + (int) under->len) % (int) under->len);
        break;
      }
  /* what a later bm_editor_object_at at this point continues from */
  self->has_last_pick = TRUE;
  self->last_pick_x = x;
  self->last_pick_y = y;
  self->last_pick = (int) g_array_index (under, guint, pick);
  return self->last_pick;
}
