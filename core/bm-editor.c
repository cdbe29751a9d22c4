/* bm-editor.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include "bm-editor.h"

/* Smallest width or height a resize leaves, in image pixels. */
#define MIN_SIZE 1.0
/* How much of the image edge counts as inside, for values that went through trigonometry. */
#define INSIDE_EPSILON 1e-6

struct _BmEditor
{
  GObject parent_instance;

  BmAnnotation *annotation;
  BmHistory *history;
  GArray *selection;        /* guint, increasing */
  int primary;
  gboolean allow_outside;

  /* The drag in progress */
  gboolean dragging;
  gboolean drag_recorded;
  BmHit drag_hit;
  double drag_x, drag_y;
  GArray *drag_indices;     /* guint */
  GArray *drag_shapes;      /* BmShape, the shapes when the drag began */

  /* The last pick, to cycle through stacked objects */
  gboolean has_last_pick;
  double last_pick_x, last_pick_y;
  int last_pick;
};

G_DEFINE_FINAL_TYPE (BmEditor, bm_editor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ANNOTATION,
  PROP_ALLOW_OUTSIDE,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Geometry helpers ---------------------------------------------------------------------------- */

static double
dot (BmPoint a, BmPoint b)
{
  return a.x * b.x + a.y * b.y;
}

static BmPoint
sub (BmPoint a, BmPoint b)
{
  return (BmPoint) { a.x - b.x, a.y - b.y };
}

static BmPoint
unit_or (BmPoint v, BmPoint fallback)
{
  double length = hypot (v.x, v.y);

  if (length < 1e-12)
    return fallback;
  return (BmPoint) { v.x / length, v.y / length };
}

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
static gboolean
acceptable (BmEditor *self, const BmShape *before, const BmShape *after)
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
static void
limit_translation (BmEditor *self, const BmRect *bounds, double *dx, double *dy)
{
  double w = bm_annotation_get_width (self->annotation);
  double h = bm_annotation_get_height (self->annotation);

  if (!clamps (self))
    return;
  *dx = CLAMP (*dx, MIN (0.0, -bounds->x1), MAX (0.0, w - bounds->x2));
  *dy = CLAMP (*dy, MIN (0.0, -bounds->y1), MAX (0.0, h - bounds->y2));
}

/* Shifts a new object into the image when it fits there. */
static void
fit_inside (BmEditor *self, BmShape *shape)
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

static BmPoint
handle_position (const BmShape *shape, BmHandleKind kind, int index)
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
static void
compute_resize (BmEditor *self, const BmShape *before, BmHandleKind kind, int index, double x, double y,
                BmShape *after)
{
  BmPoint p = clamp_point (self, x, y);
  BmPoint start;
  double lo = 0, hi = 1;

  resize_unchecked (before, kind, index, p, after);
  if (acceptable (self, before, after))
    return;

  /* A rotated corner can leave the image with the pointer inside: go as far as fits. */
  start = handle_position (before, kind, index);
  for (int i = 0; i < 40; i++)
    {
      double t = (lo + hi) / 2;
      BmPoint q = { start.x + t * (p.x - start.x), start.y + t * (p.y - start.y) };
      BmShape trial;

      resize_unchecked (before, kind, index, q, &trial);
      if (acceptable (self, before, &trial))
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

/* Selection ---------------------------------------------------------------------------------- */

static void
emit_selection_changed (BmEditor *self)
{
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
set_selection (BmEditor *self, const guint *indices, guint n, int primary)
{
  g_array_set_size (self->selection, 0);
  for (guint i = 0; i < n; i++)
    g_array_append_val (self->selection, indices[i]);
  self->primary = primary;
  emit_selection_changed (self);
}

static void
prune_selection (BmEditor *self)
{
  guint n = bm_annotation_get_n_objects (self->annotation);
  gboolean changed = FALSE;

  for (guint i = self->selection->len; i > 0; i--)
    if (g_array_index (self->selection, guint, i - 1) >= n)
      {
        g_array_remove_index (self->selection, i - 1);
        changed = TRUE;
      }
  if (self->primary >= (int) n)
    {
      self->primary = self->selection->len > 0 ? (int) g_array_index (self->selection, guint, self->selection->len - 1) : -1;
      changed = TRUE;
    }
  if (changed)
    emit_selection_changed (self);
}

static void
annotation_changed_cb (BmEditor *self, BmAnnotation *annotation)
{
  prune_selection (self);
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

void
bm_editor_select (BmEditor *self, int index)
{
  guint i = (guint) index;

  g_return_if_fail (BM_IS_EDITOR (self));
  g_return_if_fail (index < (int) bm_annotation_get_n_objects (self->annotation));

  if (index < 0)
    {
      if (self->selection->len == 0 && self->primary < 0)
        return;
      set_selection (self, NULL, 0, -1);
      return;
    }
  if (self->selection->len == 1 && g_array_index (self->selection, guint, 0) == i && self->primary == index)
    return;
  set_selection (self, &i, 1, index);
}

void
bm_editor_toggle_selected (BmEditor *self, guint index)
{
  g_return_if_fail (BM_IS_EDITOR (self));
  g_return_if_fail (index < bm_annotation_get_n_objects (self->annotation));

  for (guint i = 0; i < self->selection->len; i++)
    if (g_array_index (self->selection, guint, i) == index)
      {
        g_array_remove_index (self->selection, i);
        if (self->primary == (int) index)
          self->primary = self->selection->len > 0 ? (int) g_array_index (self->selection, guint, 0) : -1;
        emit_selection_changed (self);
        return;
      }
  g_array_append_val (self->selection, index);
  g_array_sort (self->selection, compare_uint);
  self->primary = (int) index;
  emit_selection_changed (self);
}

void
bm_editor_select_all (BmEditor *self)
{
  guint n;

  g_return_if_fail (BM_IS_EDITOR (self));

  n = bm_annotation_get_n_objects (self->annotation);
  g_array_set_size (self->selection, 0);
  for (guint i = 0; i < n; i++)
    g_array_append_val (self->selection, i);
  if (self->primary < 0 && n > 0)
    self->primary = (int) n - 1;
  emit_selection_changed (self);
}

gboolean
bm_editor_is_selected (BmEditor *self, guint index)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  for (guint i = 0; i < self->selection->len; i++)
    if (g_array_index (self->selection, guint, i) == index)
      return TRUE;
  return FALSE;
}

guint
bm_editor_get_n_selected (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), 0);
  return self->selection->len;
}

const guint *
bm_editor_get_selection (BmEditor *self, guint *n_selected)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), NULL);

  if (n_selected != NULL)
    *n_selected = self->selection->len;
  return (const guint *) (gpointer) self->selection->data;
}

int
bm_editor_get_primary (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), -1);
  return self->primary;
}

/* Edits -------------------------------------------------------------------------------------- */

gboolean
bm_editor_can_edit (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  return !bm_annotation_is_read_only (self->annotation);
}

static BmObject *
object_at_index (BmEditor *self, guint index)
{
  return bm_annotation_get_object (self->annotation, index);
}

/* Applies new shapes to objects @indices (only those that differ); records one undo step first.
 * Returns whether anything changed. */
static gboolean
apply_shapes (BmEditor *self, const guint *indices, const BmShape *shapes, guint n, gboolean record)
{
  gboolean any = FALSE;

  for (guint i = 0; i < n && !any; i++)
    any = !bm_shape_equal (bm_object_get_shape (object_at_index (self, indices[i])), &shapes[i]);
  if (!any)
    return FALSE;
  if (record)
    bm_history_record (self->history);
  for (guint i = 0; i < n; i++)
    {
      BmObject *object = object_at_index (self, indices[i]);

      if (bm_shape_equal (bm_object_get_shape (object), &shapes[i]))
        continue;
      bm_object_set_shape (object, &shapes[i]);
      bm_object_set_pre_annotation (object, FALSE);
    }
  bm_annotation_emit_changed (self->annotation);
  return TRUE;
}

int
bm_editor_add_object (BmEditor *self, BmObject *object)
{
  BmShape shape;
  guint index;

  g_return_val_if_fail (BM_IS_EDITOR (self), -1);
  g_return_val_if_fail (BM_IS_OBJECT (object), -1);

  if (!bm_editor_can_edit (self))
    return -1;
  bm_history_record (self->history);
  shape = *bm_object_get_shape (object);
  fit_inside (self, &shape);
  if (!bm_shape_equal (&shape, bm_object_get_shape (object)))
    bm_object_set_shape (object, &shape);
  bm_annotation_add_object (self->annotation, object);
  index = bm_annotation_get_n_objects (self->annotation) - 1;
  bm_editor_select (self, (int) index);
  return (int) index;
}

guint
bm_editor_add_objects (BmEditor *self, GPtrArray *objects)
{
  guint first;

  g_return_val_if_fail (BM_IS_EDITOR (self), 0);
  g_return_val_if_fail (objects != NULL, 0);

  if (!bm_editor_can_edit (self) || objects->len == 0)
    return 0;
  bm_history_record (self->history);
  first = bm_annotation_get_n_objects (self->annotation);
  for (guint i = 0; i < objects->len; i++)
    {
      BmObject *object = g_ptr_array_index (objects, i);
      BmShape shape = *bm_object_get_shape (object);

      fit_inside (self, &shape);
      if (!bm_shape_equal (&shape, bm_object_get_shape (object)))
        bm_object_set_shape (object, &shape);
      bm_annotation_add_object (self->annotation, object);
    }
  bm_editor_select (self, (int) first);
  for (guint i = first + 1; i < bm_annotation_get_n_objects (self->annotation); i++)
    bm_editor_toggle_selected (self, i);
  return objects->len;
}

gboolean
bm_editor_delete_selected (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (!bm_editor_can_edit (self) || self->selection->len == 0)
    return FALSE;
  bm_history_record (self->history);
  for (guint i = self->selection->len; i > 0; i--)
    bm_annotation_remove_object (self->annotation, g_array_index (self->selection, guint, i - 1));
  set_selection (self, NULL, 0, -1);
  return TRUE;
}

/* A copy that is a new object for the label file, chosen by the user (so not a pre-annotation). */
static BmObject *
new_copy (BmObject *object)
{
  BmObject *copy = bm_object_copy (object);

  bm_object_set_origin (copy, 0);
  bm_object_set_pre_annotation (copy, FALSE);
  return copy;
}

static gboolean
has_equal_object (BmAnnotation *annotation, BmObject *object)
{
  guint n = bm_annotation_get_n_objects (annotation);

  for (guint i = 0; i < n; i++)
    {
      BmObject *other = bm_annotation_get_object (annotation, i);

      if (g_strcmp0 (bm_object_get_label (other), bm_object_get_label (object)) == 0 &&
          bm_shape_equal (bm_object_get_shape (other), bm_object_get_shape (object)))
        return TRUE;
    }
  return FALSE;
}

/* Adds copies of @objects and selects them: each shifted by @offset when @always_shift, or
 * when it would land on an equal object; with @skip_equal, objects already here are left out. */
static guint
add_copies (BmEditor *self, GPtrArray *objects, double offset, gboolean always_shift, gboolean skip_equal)
{
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < objects->len; i++)
    {
      BmObject *object = g_ptr_array_index (objects, i);
      BmObject *copy;
      BmShape shape;

      if (skip_equal && has_equal_object (self->annotation, object))
        continue;
      copy = new_copy (object);
      shape = *bm_object_get_shape (copy);
      if (always_shift)
        bm_shape_translate (&shape, offset, offset);
      fit_inside (self, &shape);
      bm_object_set_shape (copy, &shape);
      if (!always_shift && offset != 0 && has_equal_object (self->annotation, copy))
        {
          /* Exactly on an equal object, the copy could not be seen. */
          bm_shape_translate (&shape, offset, offset);
          fit_inside (self, &shape);
          bm_object_set_shape (copy, &shape);
        }
      g_ptr_array_add (copies, copy);
    }
  if (copies->len == 0)
    return 0;

  bm_history_record (self->history);
  for (guint i = 0; i < copies->len; i++)
    {
      guint index = bm_annotation_get_n_objects (self->annotation);

      bm_annotation_add_object (self->annotation, g_ptr_array_index (copies, i));
      g_array_append_val (added, index);
    }
  set_selection (self, (const guint *) (gpointer) added->data, added->len,
                 (int) g_array_index (added, guint, added->len - 1));
  return added->len;
}

GPtrArray *
bm_editor_copy_selected (BmEditor *self)
{
  GPtrArray *copies;

  g_return_val_if_fail (BM_IS_EDITOR (self), NULL);

  copies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->selection->len; i++)
    g_ptr_array_add (copies, bm_object_copy (object_at_index (self, g_array_index (self->selection, guint, i))));
  return copies;
}

gboolean
bm_editor_duplicate_selected (BmEditor *self, double offset)
{
  g_autoptr(GPtrArray) copies = NULL;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (!bm_editor_can_edit (self) || self->selection->len == 0)
    return FALSE;
  copies = bm_editor_copy_selected (self);
  return add_copies (self, copies, offset, TRUE, FALSE) > 0;
}

guint
bm_editor_paste (BmEditor *self, GPtrArray *objects, double offset)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), 0);
  g_return_val_if_fail (objects != NULL, 0);

  if (!bm_editor_can_edit (self))
    return 0;
  return add_copies (self, objects, offset, FALSE, FALSE);
}

guint
bm_editor_copy_all_from (BmEditor *self, BmAnnotation *previous)
{
  g_autoptr(GPtrArray) objects = NULL;

  g_return_val_if_fail (BM_IS_EDITOR (self), 0);
  g_return_val_if_fail (BM_IS_ANNOTATION (previous), 0);

  if (!bm_editor_can_edit (self) || previous == self->annotation)
    return 0;
  objects = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < bm_annotation_get_n_objects (previous); i++)
    g_ptr_array_add (objects, g_object_ref (bm_annotation_get_object (previous, i)));
  return add_copies (self, objects, 0, FALSE, TRUE);
}

static BmRect
selection_bounds (BmEditor *self, const guint *indices, const BmShape *shapes, guint n)
{
  BmRect all = bm_shape_bounds (&shapes[0]);

  for (guint i = 1; i < n; i++)
    {
      BmRect r = bm_shape_bounds (&shapes[i]);

      all.x1 = MIN (all.x1, r.x1), all.y1 = MIN (all.y1, r.y1);
      all.x2 = MAX (all.x2, r.x2), all.y2 = MAX (all.y2, r.y2);
    }
  return all;
}

static GArray *
selected_shapes (BmEditor *self)
{
  GArray *shapes = g_array_sized_new (FALSE, FALSE, sizeof (BmShape), self->selection->len);

  for (guint i = 0; i < self->selection->len; i++)
    g_array_append_val (shapes, *bm_object_get_shape (object_at_index (self, g_array_index (self->selection, guint, i))));
  return shapes;
}

static void
translate_shapes (BmEditor *self, const guint *indices, BmShape *shapes, guint n, double dx, double dy)
{
  BmRect bounds = selection_bounds (self, indices, shapes, n);

  limit_translation (self, &bounds, &dx, &dy);
  for (guint i = 0; i < n; i++)
    bm_shape_translate (&shapes[i], dx, dy);
}

gboolean
bm_editor_move_selected (BmEditor *self, double dx, double dy)
{
  g_autoptr(GArray) shapes = NULL;
  const guint *indices;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (!bm_editor_can_edit (self) || self->selection->len == 0)
    return FALSE;
  indices = (const guint *) (gpointer) self->selection->data;
  shapes = selected_shapes (self);
  translate_shapes (self, indices, (BmShape *) (gpointer) shapes->data, shapes->len, dx, dy);
  return apply_shapes (self, indices, (BmShape *) (gpointer) shapes->data, shapes->len, TRUE);
}

gboolean
bm_editor_rotate_selected (BmEditor *self, double angle)
{
  g_autoptr(GArray) shapes = NULL;
  const guint *indices;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (!bm_editor_can_edit (self) || self->selection->len == 0 || angle == 0)
    return FALSE;
  indices = (const guint *) (gpointer) self->selection->data;
  shapes = selected_shapes (self);
  for (guint i = 0; i < shapes->len; i++)
    {
      BmShape *shape = &g_array_index (shapes, BmShape, i);
      BmShape before = *shape;

      bm_shape_rotate (shape, angle);
      if (!acceptable (self, &before, shape))
        return FALSE;
    }
  return apply_shapes (self, indices, (BmShape *) (gpointer) shapes->data, shapes->len, TRUE);
}

static gboolean
valid_handle (BmHandleKind kind, int handle_index)
{
  return (kind == BM_HANDLE_CORNER || kind == BM_HANDLE_EDGE) && handle_index >= 0 && handle_index < 4;
}

gboolean
bm_editor_resize (BmEditor *self, guint index, BmHandleKind kind, int handle_index, double x, double y)
{
  BmShape after;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (index < bm_annotation_get_n_objects (self->annotation), FALSE);
  g_return_val_if_fail (valid_handle (kind, handle_index), FALSE);

  if (!bm_editor_can_edit (self))
    return FALSE;
  compute_resize (self, bm_object_get_shape (object_at_index (self, index)), kind, handle_index, x, y, &after);
  return apply_shapes (self, &index, &after, 1, TRUE);
}

gboolean
bm_editor_move_vertex (BmEditor *self, guint index, guint vertex, double x, double y)
{
  BmShape after;
  const BmShape *before;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (index < bm_annotation_get_n_objects (self->annotation), FALSE);
  g_return_val_if_fail (vertex < 4, FALSE);

  if (!bm_editor_can_edit (self))
    return FALSE;
  before = bm_object_get_shape (object_at_index (self, index));
  g_return_val_if_fail (before->kind == BM_SHAPE_QUAD, FALSE);
  compute_resize (self, before, BM_HANDLE_CORNER, (int) vertex, x, y, &after);
  return apply_shapes (self, &index, &after, 1, TRUE);
}

typedef gboolean (*ObjectEdit) (BmObject *object, gconstpointer value, gboolean apply);

/* Applies @edit to every selected object where it changes something, in one undo step. */
static gboolean
edit_selected (BmEditor *self, ObjectEdit edit, gconstpointer value)
{
  gboolean any = FALSE;

  if (!bm_editor_can_edit (self))
    return FALSE;
  for (guint i = 0; i < self->selection->len && !any; i++)
    any = edit (object_at_index (self, g_array_index (self->selection, guint, i)), value, FALSE);
  if (!any)
    return FALSE;
  bm_history_record (self->history);
  for (guint i = 0; i < self->selection->len; i++)
    {
      BmObject *object = object_at_index (self, g_array_index (self->selection, guint, i));

      if (edit (object, value, TRUE))
        bm_object_set_pre_annotation (object, FALSE);
    }
  bm_annotation_emit_changed (self->annotation);
  return TRUE;
}

static gboolean
edit_label (BmObject *object, gconstpointer value, gboolean apply)
{
  if (g_strcmp0 (bm_object_get_label (object), value) == 0 && !bm_object_get_pre_annotation (object))
    return FALSE;
  if (apply)
    bm_object_set_label (object, value);
  return TRUE;
}

static gboolean
edit_difficult (BmObject *object, gconstpointer value, gboolean apply)
{
  int difficult = *(const int *) value;

  if (bm_object_get_difficult (object) == difficult)
    return FALSE;
  if (apply)
    bm_object_set_difficult (object, difficult);
  return TRUE;
}

static gboolean
edit_truncated (BmObject *object, gconstpointer value, gboolean apply)
{
  gboolean truncated = *(const gboolean *) value;

  if (bm_object_get_truncated (object) == truncated)
    return FALSE;
  if (apply)
    bm_object_set_truncated (object, truncated);
  return TRUE;
}

static gboolean
edit_occluded (BmObject *object, gconstpointer value, gboolean apply)
{
  gboolean occluded = *(const gboolean *) value;

  if (bm_object_get_occluded (object) == occluded)
    return FALSE;
  if (apply)
    bm_object_set_occluded (object, occluded);
  return TRUE;
}

static gboolean
edit_accept (BmObject *object, gconstpointer value, gboolean apply)
{
  return bm_object_get_pre_annotation (object);
}

gboolean
bm_editor_set_label_selected (BmEditor *self, const char *label)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (label != NULL && label[0] != '\0', FALSE);
  return edit_selected (self, edit_label, label);
}

gboolean
bm_editor_set_difficult_selected (BmEditor *self, int difficult)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (difficult >= 0 && difficult <= 2, FALSE);
  return edit_selected (self, edit_difficult, &difficult);
}

gboolean
bm_editor_set_truncated_selected (BmEditor *self, gboolean truncated)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  truncated = !!truncated;
  return edit_selected (self, edit_truncated, &truncated);
}

gboolean
bm_editor_set_occluded_selected (BmEditor *self, gboolean occluded)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  occluded = !!occluded;
  return edit_selected (self, edit_occluded, &occluded);
}

gboolean
bm_editor_accept_selected (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  return edit_selected (self, edit_accept, NULL);
}

gboolean
bm_editor_undo (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (self->dragging)
    bm_editor_end_drag (self);
  return bm_history_undo (self->history);
}

gboolean
bm_editor_redo (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (self->dragging)
    bm_editor_end_drag (self);
  return bm_history_redo (self->history);
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
                        *bm_object_get_shape (object_at_index (self, g_array_index (self->drag_indices, guint, i))));
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
      translate_shapes (self, indices, s, n, x - self->drag_x, y - self->drag_y);
      break;
    case BM_HANDLE_CORNER:
    case BM_HANDLE_EDGE:
      compute_resize (self, &g_array_index (self->drag_shapes, BmShape, 0), self->drag_hit.kind,
                      self->drag_hit.index, x, y, &s[0]);
      break;
    case BM_HANDLE_ROTATE:
      {
        BmPoint c = bm_shape_centre (&s[0]);
        double angle = atan2 (y - c.y, x - c.x) - atan2 (self->drag_y - c.y, self->drag_x - c.x);
        BmShape before = s[0];

        bm_shape_rotate (&s[0], angle);
        if (!acceptable (self, &before, &s[0]))
          return;
      }
      break;
    case BM_HANDLE_NONE:
    default:
      return;
    }

  if (!self->drag_recorded)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < n && !any; i++)
        any = !bm_shape_equal (bm_object_get_shape (object_at_index (self, indices[i])), &s[i]);
      if (!any)
        return;
      bm_history_record (self->history);
      self->drag_recorded = TRUE;
    }
  apply_shapes (self, indices, s, n, FALSE);
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

  s = bm_object_get_shape (object_at_index (self, index));
  if (s->kind == BM_SHAPE_QUAD)
    return FALSE;
  mid = handle_position (s, BM_HANDLE_EDGE, 0);
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

  return point_in_shape (s, p) || distance_to_outline (s, p) <= tolerance;
}

static gboolean
hit_handles (BmEditor *self, guint index, BmPoint p, double tolerance, BmHit *hit)
{
  const BmShape *s = bm_object_get_shape (object_at_index (self, index));
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
    if (object_contains (object_at_index (self, i - 1), p, tolerance))
      {
        guint index = i - 1;
        guint at = 0;
        double area = bm_shape_area (bm_object_get_shape (object_at_index (self, index)));

        while (at < found->len &&
               bm_shape_area (bm_object_get_shape (object_at_index (self, g_array_index (found, guint, at)))) <= area)
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
  if (self->primary >= 0 && hit_handles (self, (guint) self->primary, p, tolerance, hit))
    return TRUE;

  /* A press on the selection drags the selection, even under a smaller object. */
  if (self->primary >= 0 && object_contains (object_at_index (self, (guint) self->primary), p, tolerance))
    {
      *hit = (BmHit) { self->primary, BM_HANDLE_BODY, 0 };
      return TRUE;
    }
  for (guint i = 0; i < self->selection->len; i++)
    {
      guint index = g_array_index (self->selection, guint, i);

      if (object_contains (object_at_index (self, index), p, tolerance))
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

/* GObject ------------------------------------------------------------------------------------ */

gboolean
bm_editor_get_allow_outside (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);
  return self->allow_outside;
}

void
bm_editor_set_allow_outside (BmEditor *self, gboolean allow_outside)
{
  g_return_if_fail (BM_IS_EDITOR (self));

  allow_outside = !!allow_outside;
  if (self->allow_outside == allow_outside)
    return;
  self->allow_outside = allow_outside;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_OUTSIDE]);
}

BmAnnotation *
bm_editor_get_annotation (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), NULL);
  return self->annotation;
}

BmHistory *
bm_editor_get_history (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), NULL);
  return self->history;
}

static void
bm_editor_constructed (GObject *object)
{
  BmEditor *self = BM_EDITOR (object);

  G_OBJECT_CLASS (bm_editor_parent_class)->constructed (object);

  if (self->annotation == NULL)
    self->annotation = bm_annotation_new ();
  self->history = bm_history_new (self->annotation);
  g_signal_connect_object (self->annotation, "changed", G_CALLBACK (annotation_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
bm_editor_finalize (GObject *object)
{
  BmEditor *self = BM_EDITOR (object);

  g_clear_object (&self->history);
  g_clear_object (&self->annotation);
  g_array_unref (self->selection);
  g_array_unref (self->drag_indices);
  g_array_unref (self->drag_shapes);
  G_OBJECT_CLASS (bm_editor_parent_class)->finalize (object);
}

static void
bm_editor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BmEditor *self = BM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION: g_value_set_object (value, self->annotation); break;
    case PROP_ALLOW_OUTSIDE: g_value_set_boolean (value, self->allow_outside); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_editor_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BmEditor *self = BM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION: self->annotation = g_value_dup_object (value); break;
    case PROP_ALLOW_OUTSIDE: bm_editor_set_allow_outside (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_editor_class_init (BmEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bm_editor_constructed;
  object_class->finalize = bm_editor_finalize;
  object_class->get_property = bm_editor_get_property;
  object_class->set_property = bm_editor_set_property;

  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, BM_TYPE_ANNOTATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_OUTSIDE] =
    g_param_spec_boolean ("allow-outside", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_editor_init (BmEditor *self)
{
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint));
  self->drag_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  self->drag_shapes = g_array_new (FALSE, FALSE, sizeof (BmShape));
  self->primary = -1;
  self->last_pick = -1;
}

BmEditor *
bm_editor_new (BmAnnotation *annotation)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), NULL);
  return g_object_new (BM_TYPE_EDITOR, "annotation", annotation, NULL);
}
