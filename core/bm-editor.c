/* bm-editor.c: the object, the selection and every edit, each recorded for undo. Keeping shapes
 * inside the image and resizing are in bm-editor-geometry.c, dragging and hit testing in
 * bm-editor-drag.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-editor-private.h"

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
    if (_bm_editor_is_visible (self, i))
      g_array_append_val (self->selection, i);
  if (self->selection->len == 0)
    self->primary = -1;
  else if (self->primary < 0 || !bm_editor_is_selected (self, (guint) self->primary))
    self->primary = (int) g_array_index (self->selection, guint, self->selection->len - 1);
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

BmObject *
_bm_editor_object_at_index (BmEditor *self, guint index)
{
  return bm_annotation_get_object (self->annotation, index);
}

gboolean
_bm_editor_is_visible (BmEditor *self, guint index)
{
  return self->visible_func == NULL || self->visible_func (_bm_editor_object_at_index (self, index), self->visible_data);
}

static void
snap (BmEditor *self, BmShape *shape, const BmShape *before)
{
  if (self->precision > 0)
    bm_shape_snap (shape, before, self->precision);
}

void
_bm_editor_snap_shapes (BmEditor *self, const guint *indices, BmShape *shapes, const BmShape *before, guint n)
{
  for (guint i = 0; i < n; i++)
    snap (self, &shapes[i], before != NULL ? &before[i] : bm_object_get_shape (_bm_editor_object_at_index (self, indices[i])));
}

/* Applies new shapes to objects @indices (increasing; only those that differ change); with
 * @record, first records one undo step holding the objects that change. Returns whether anything
 * changed. */
gboolean
_bm_editor_apply_shapes (BmEditor *self, const guint *indices, const BmShape *shapes, guint n, gboolean record)
{
  g_autoptr(GArray) changing = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n; i++)
    if (!bm_shape_equal (bm_object_get_shape (_bm_editor_object_at_index (self, indices[i])), &shapes[i]))
      g_array_append_val (changing, indices[i]);
  if (changing->len == 0)
    return FALSE;
  if (record)
    bm_history_record_changes (self->history, (const guint *) (gpointer) changing->data, changing->len);
  for (guint i = 0; i < n; i++)
    {
      BmObject *object = _bm_editor_object_at_index (self, indices[i]);

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
  index = bm_annotation_get_n_objects (self->annotation);
  bm_history_record_insertions (self->history, &index, 1);
  shape = *bm_object_get_shape (object);
  snap (self, &shape, NULL);
  _bm_editor_fit_inside (self, &shape);
  if (!bm_shape_equal (&shape, bm_object_get_shape (object)))
    bm_object_set_shape (object, &shape);
  bm_annotation_add_object (self->annotation, object);
  bm_editor_select (self, (int) index);
  return (int) index;
}

/* Appends @objects (references) as one undo step, in one change of the annotation, and selects
 * them, the last one primary. */
static void
append_objects (BmEditor *self, GPtrArray *objects)
{
  g_autoptr(GArray) added = g_array_sized_new (FALSE, FALSE, sizeof (guint), objects->len);
  guint first = bm_annotation_get_n_objects (self->annotation);

  for (guint i = 0; i < objects->len; i++)
    g_array_append_val (added, ((guint) { first + i }));
  bm_history_record_insertions (self->history, (const guint *) (gpointer) added->data, added->len);
  bm_annotation_splice_objects (self->annotation, NULL, 0, NULL, (const guint *) (gpointer) added->data,
                                (BmObject *const *) objects->pdata, objects->len);
  set_selection (self, (const guint *) (gpointer) added->data, added->len, (int) (first + objects->len - 1));
}

guint
bm_editor_add_objects (BmEditor *self, GPtrArray *objects)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), 0);
  g_return_val_if_fail (objects != NULL, 0);

  if (!bm_editor_can_edit (self) || objects->len == 0)
    return 0;
  for (guint i = 0; i < objects->len; i++)
    {
      BmObject *object = g_ptr_array_index (objects, i);
      BmShape shape = *bm_object_get_shape (object);

      _bm_editor_fit_inside (self, &shape);
      if (!bm_shape_equal (&shape, bm_object_get_shape (object)))
        bm_object_set_shape (object, &shape);
    }
  append_objects (self, objects);
  return objects->len;
}

gboolean
bm_editor_delete_selected (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  if (!bm_editor_can_edit (self) || self->selection->len == 0)
    return FALSE;
  bm_history_record_removals (self->history, (const guint *) (gpointer) self->selection->data,
                              self->selection->len);
  bm_annotation_splice_objects (self->annotation, (const guint *) (gpointer) self->selection->data,
                                self->selection->len, NULL, NULL, NULL, 0);
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
      _bm_editor_fit_inside (self, &shape);
      bm_object_set_shape (copy, &shape);
      if (!always_shift && offset != 0 && has_equal_object (self->annotation, copy))
        {
          /* Exactly on an equal object, the copy could not be seen. */
          bm_shape_translate (&shape, offset, offset);
          _bm_editor_fit_inside (self, &shape);
          bm_object_set_shape (copy, &shape);
        }
      g_ptr_array_add (copies, copy);
    }
  if (copies->len == 0)
    return 0;
  append_objects (self, copies);
  return copies->len;
}

GPtrArray *
bm_editor_copy_selected (BmEditor *self)
{
  GPtrArray *copies;

  g_return_val_if_fail (BM_IS_EDITOR (self), NULL);

  copies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->selection->len; i++)
    g_ptr_array_add (copies, bm_object_copy (_bm_editor_object_at_index (self, g_array_index (self->selection, guint, i))));
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
    g_array_append_val (shapes, *bm_object_get_shape (_bm_editor_object_at_index (self, g_array_index (self->selection, guint, i))));
  return shapes;
}

void
_bm_editor_translate_shapes (BmEditor *self, const guint *indices, BmShape *shapes, guint n, double dx, double dy)
{
  BmRect bounds = selection_bounds (self, indices, shapes, n);

  _bm_editor_limit_translation (self, &bounds, &dx, &dy);
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
  _bm_editor_translate_shapes (self, indices, (BmShape *) (gpointer) shapes->data, shapes->len, dx, dy);
  _bm_editor_snap_shapes (self, indices, (BmShape *) (gpointer) shapes->data, NULL, shapes->len);
  return _bm_editor_apply_shapes (self, indices, (BmShape *) (gpointer) shapes->data, shapes->len, TRUE);
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
      if (!_bm_editor_acceptable (self, &before, shape))
        return FALSE;
    }
  return _bm_editor_apply_shapes (self, indices, (BmShape *) (gpointer) shapes->data, shapes->len, TRUE);
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
  _bm_editor_compute_resize (self, bm_object_get_shape (_bm_editor_object_at_index (self, index)), kind, handle_index, x, y, &after);
  _bm_editor_snap_shapes (self, &index, &after, NULL, 1);
  return _bm_editor_apply_shapes (self, &index, &after, 1, TRUE);
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
  before = bm_object_get_shape (_bm_editor_object_at_index (self, index));
  g_return_val_if_fail (before->kind == BM_SHAPE_QUAD, FALSE);
  _bm_editor_compute_resize (self, before, BM_HANDLE_CORNER, (int) vertex, x, y, &after);
  _bm_editor_snap_shapes (self, &index, &after, NULL, 1);
  return _bm_editor_apply_shapes (self, &index, &after, 1, TRUE);
}

typedef gboolean (*ObjectEdit) (BmObject *object, gconstpointer value, gboolean apply);

/* Applies @edit to every selected object where it changes something, in one undo step. */
static gboolean
edit_selected (BmEditor *self, ObjectEdit edit, gconstpointer value)
{
  g_autoptr(GArray) changing = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!bm_editor_can_edit (self))
    return FALSE;
  /* A dry run says which objects change; the undo step keeps those. */
  for (guint i = 0; i < self->selection->len; i++)
    {
      guint index = g_array_index (self->selection, guint, i);

      if (edit (_bm_editor_object_at_index (self, index), value, FALSE))
        g_array_append_val (changing, index);
    }
  if (changing->len == 0)
    return FALSE;
  bm_history_record_changes (self->history, (const guint *) (gpointer) changing->data, changing->len);
  for (guint i = 0; i < changing->len; i++)
    {
      BmObject *object = _bm_editor_object_at_index (self, g_array_index (changing, guint, i));

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
bm_editor_accept_all (BmEditor *self)
{
  guint n;
  gboolean any = FALSE;

  g_return_val_if_fail (BM_IS_EDITOR (self), FALSE);

  n = bm_annotation_get_n_objects (self->annotation);
  for (guint i = 0; i < n && !any; i++)
    any = bm_object_get_pre_annotation (_bm_editor_object_at_index (self, i));
  if (!any || !bm_editor_can_edit (self))
    return FALSE;
  bm_history_record (self->history);
  for (guint i = 0; i < n; i++)
    bm_object_set_pre_annotation (_bm_editor_object_at_index (self, i), FALSE);
  bm_annotation_emit_changed (self->annotation);
  return TRUE;
}

static gboolean
is_weak (BmObject *object, double threshold)
{
  return bm_object_get_pre_annotation (object) && bm_object_has_score (object)
         && bm_object_get_score (object) < threshold;
}

guint
bm_editor_delete_pre_annotations_below (BmEditor *self, double threshold)
{
  guint n, weak = 0;

  g_return_val_if_fail (BM_IS_EDITOR (self), 0);

  n = bm_annotation_get_n_objects (self->annotation);
  for (guint i = 0; i < n; i++)
    weak += is_weak (_bm_editor_object_at_index (self, i), threshold);
  if (weak == 0 || !bm_editor_can_edit (self))
    return 0;
  bm_history_record (self->history);
  set_selection (self, NULL, 0, -1);
  for (guint i = n; i > 0; i--)
    if (is_weak (_bm_editor_object_at_index (self, i - 1), threshold))
      bm_annotation_remove_object (self->annotation, i - 1);
  return weak;
}

double
bm_editor_get_precision (BmEditor *self)
{
  g_return_val_if_fail (BM_IS_EDITOR (self), 0);
  return self->precision;
}

void
bm_editor_set_precision (BmEditor *self, double precision)
{
  g_return_if_fail (BM_IS_EDITOR (self));
  g_return_if_fail (precision >= 0);
  self->precision = precision;
}

void
bm_editor_set_visible_func (BmEditor *self, BmEditorVisibleFunc func, gpointer user_data)
{
  g_return_if_fail (BM_IS_EDITOR (self));

  self->visible_func = func;
  self->visible_data = user_data;
  /* what is hidden cannot stay selected */
  for (guint i = self->selection->len; i > 0; i--)
    if (!_bm_editor_is_visible (self, g_array_index (self->selection, guint, i - 1)))
      {
        g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));

        for (guint k = 0; k < self->selection->len; k++)
          if (_bm_editor_is_visible (self, g_array_index (self->selection, guint, k)))
            g_array_append_val (kept, g_array_index (self->selection, guint, k));
        set_selection (self, (const guint *) (gpointer) kept->data, kept->len,
                       kept->len > 0 ? (int) g_array_index (kept, guint, kept->len - 1) : -1);
        break;
      }
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
  self->precision = 1;
}

BmEditor *
bm_editor_new (BmAnnotation *annotation)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), NULL);
  return g_object_new (BM_TYPE_EDITOR, "annotation", annotation, NULL);
}
