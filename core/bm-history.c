/* bm-history.c: undo steps that keep only what their edit changed.
 *
 * A step stands between two states of the objects: the one in the annotation and the one it
 * keeps. Of the objects that differ between the two, those of the state in the annotation are
 * there, at positions @here; those of the other state are in the step (@objects), with their
 * positions in that state (@kept). Undoing or redoing swaps the two sets with one
 * bm_annotation_splice_objects, and swaps the verified flags and serials: nothing is copied, so
 * a step costs what its edit touched. A NULL position list means every object (a step recorded
 * by bm_history_record).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-history.h"

typedef struct
{
  GArray *here;        /* guint, increasing; NULL: all the objects of the annotation */
  GArray *kept;        /* guint, increasing; NULL: 0 .. objects->len - 1 */
  GPtrArray *objects;  /* BmObject, the kept state's objects at @kept */
  gboolean verified;   /* of the kept state */
  guint serial;        /* identifies the kept state, to tell whether it is the saved one */
} Step;

struct _BmHistory
{
  GObject parent_instance;

  BmAnnotation *annotation;
  GPtrArray *undo;      /* Step, oldest first */
  GPtrArray *redo;      /* Step, next redo last */
  guint serial;         /* of the current state */
  guint next_serial;
  guint saved_serial;
  gboolean unsaved;     /* dirty whatever the serial says, until the next save */
};

G_DEFINE_FINAL_TYPE (BmHistory, bm_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_DIRTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->here, g_array_unref);
  g_clear_pointer (&step->kept, g_array_unref);
  g_ptr_array_unref (step->objects);
  g_free (step);
}

static GArray *
positions_new (const guint *indices, guint n)
{
  GArray *positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  g_array_append_vals (positions, indices, n);
  return positions;
}

static gboolean
valid_indices (const guint *indices, guint n, guint limit)
{
  if (n > 0 && indices == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (indices[i] >= limit || (i > 0 && indices[i] <= indices[i - 1]))
      return FALSE;
  return TRUE;
}

/* 0, 1, ... n - 1, standing for "all" in a splice. */
static GArray *
all_positions (guint n)
{
  GArray *positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  for (guint i = 0; i < n; i++)
    g_array_append_val (positions, i);
  return positions;
}

static void
step_swap (BmHistory *self, Step *step)
{
  g_autoptr(GArray) all_here = NULL;
  g_autoptr(GArray) all_kept = NULL;
  GArray *here = step->here, *kept = step->kept, *swap_positions;
  GPtrArray *taken;
  gboolean verified;
  guint serial;

  if (here == NULL)
    here = all_here = all_positions (bm_annotation_get_n_objects (self->annotation));
  if (kept == NULL)
    kept = all_kept = all_positions (step->objects->len);
  taken = g_ptr_array_new_full (here->len, g_object_unref);
  if (here->len == 0 && kept->len == 0)
    bm_annotation_emit_changed (self->annotation);
  else
    bm_annotation_splice_objects (self->annotation, (const guint *) (gpointer) here->data, here->len, taken,
                                  (const guint *) (gpointer) kept->data, (BmObject *const *) step->objects->pdata,
                                  kept->len);
  g_ptr_array_unref (step->objects);   /* the annotation holds them now */
  step->objects = taken;
  swap_positions = step->here;
  step->here = step->kept;
  step->kept = swap_positions;

  verified = bm_annotation_get_verified (self->annotation);
  bm_annotation_set_verified (self->annotation, step->verified);
  step->verified = verified;
  serial = self->serial;
  self->serial = step->serial;
  step->serial = serial;
}

static void
notify_state (BmHistory *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
bm_history_finalize (GObject *object)
{
  BmHistory *self = BM_HISTORY (object);

  g_clear_object (&self->annotation);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  G_OBJECT_CLASS (bm_history_parent_class)->finalize (object);
}

static void
bm_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BmHistory *self = BM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO: g_value_set_boolean (value, bm_history_can_undo (self)); break;
    case PROP_CAN_REDO: g_value_set_boolean (value, bm_history_can_redo (self)); break;
    case PROP_DIRTY: g_value_set_boolean (value, bm_history_is_dirty (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_history_class_init (BmHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bm_history_finalize;
  object_class->get_property = bm_history_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bm_history_init (BmHistory *self)
{
  self->undo = g_ptr_array_new_with_free_func (step_free);
  self->redo = g_ptr_array_new_with_free_func (step_free);
}

BmHistory *
bm_history_new (BmAnnotation *annotation)
{
  BmHistory *self;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), NULL);

  self = g_object_new (BM_TYPE_HISTORY, NULL);
  self->annotation = g_object_ref (annotation);
  return self;
}

BmAnnotation *
bm_history_get_annotation (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), NULL);
  return self->annotation;
}

/* A step whose kept state is the current one, before the edit. */
static Step *
step_new (BmHistory *self, GArray *here, GArray *kept, GPtrArray *objects)
{
  Step *step = g_new0 (Step, 1);

  step->here = here;
  step->kept = kept;
  step->objects = objects;
  step->verified = bm_annotation_get_verified (self->annotation);
  step->serial = self->serial;
  return step;
}

static void
push_step (BmHistory *self, Step *step)
{
  g_ptr_array_add (self->undo, step);
  g_ptr_array_set_size (self->redo, 0);
  /* The edit that follows creates a new state. */
  self->serial = ++self->next_serial;
  notify_state (self);
}

void
bm_history_record_changes (BmHistory *self, const guint *indices, guint n)
{
  GPtrArray *copies;
  GArray *positions;

  g_return_if_fail (BM_IS_HISTORY (self));
  g_return_if_fail (valid_indices (indices, n, bm_annotation_get_n_objects (self->annotation)));

  copies = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (copies, bm_object_copy (bm_annotation_get_object (self->annotation, indices[i])));
  /* The same positions on both sides: undo replaces the objects where they are. */
  positions = positions_new (indices, n);
  push_step (self, step_new (self, g_array_ref (positions), positions, copies));
}

void
bm_history_record_insertions (BmHistory *self, const guint *indices, guint n)
{
  g_return_if_fail (BM_IS_HISTORY (self));
  g_return_if_fail (valid_indices (indices, n, bm_annotation_get_n_objects (self->annotation) + n));

  push_step (self, step_new (self, positions_new (indices, n), positions_new (NULL, 0),
                             g_ptr_array_new_with_free_func (g_object_unref)));
}

void
bm_history_record_removals (BmHistory *self, const guint *indices, guint n)
{
  GPtrArray *objects;

  g_return_if_fail (BM_IS_HISTORY (self));
  g_return_if_fail (valid_indices (indices, n, bm_annotation_get_n_objects (self->annotation)));

  /* The removed objects themselves: once removed, nothing changes them. */
  objects = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, g_object_ref (bm_annotation_get_object (self->annotation, indices[i])));
  push_step (self, step_new (self, positions_new (NULL, 0), positions_new (indices, n), objects));
}

void
bm_history_record (BmHistory *self)
{
  g_return_if_fail (BM_IS_HISTORY (self));

  push_step (self, step_new (self, NULL, NULL, bm_annotation_dup_objects (self->annotation)));
}

gboolean
bm_history_can_undo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return self->undo->len > 0;
}

gboolean
bm_history_can_redo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return self->redo->len > 0;
}

guint
bm_history_get_n_undo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), 0);
  return self->undo->len;
}

/* Whether @step fits the objects in the annotation: an edit that changed them without recording
 * a step would make its positions point elsewhere. Such a step is refused, not applied to
 * the wrong objects. */
static gboolean
step_fits (BmHistory *self, Step *step)
{
  guint n = bm_annotation_get_n_objects (self->annotation);
  guint n_here = step->here != NULL ? step->here->len : n;
  guint n_kept = step->objects->len;

  if (step->here != NULL && !valid_indices ((const guint *) (gpointer) step->here->data, n_here, n))
    return FALSE;
  return step->kept == NULL ||
         (step->kept->len == n_kept &&
          valid_indices ((const guint *) (gpointer) step->kept->data, n_kept, n - n_here + n_kept));
}

static gboolean
move_step (BmHistory *self, GPtrArray *from, GPtrArray *to)
{
  Step *step;

  if (from->len == 0)
    return FALSE;
  if (!step_fits (self, g_ptr_array_index (from, from->len - 1)))
    {
      g_critical ("BmHistory: the objects were changed without an undo step; undo refused");
      return FALSE;
    }
  step = g_ptr_array_steal_index (from, from->len - 1);
  step_swap (self, step);
  g_ptr_array_add (to, step);
  notify_state (self);
  return TRUE;
}

gboolean
bm_history_undo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return move_step (self, self->undo, self->redo);
}

gboolean
bm_history_redo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return move_step (self, self->redo, self->undo);
}

void
bm_history_mark_saved (BmHistory *self)
{
  g_return_if_fail (BM_IS_HISTORY (self));

  self->saved_serial = self->serial;
  self->unsaved = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

void
bm_history_mark_unsaved (BmHistory *self)
{
  g_return_if_fail (BM_IS_HISTORY (self));

  self->unsaved = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

gboolean
bm_history_is_dirty (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return self->unsaved || self->serial != self->saved_serial;
}

static void
add_footprint (GPtrArray *steps, guint *n_objects, guint *n_positions)
{
  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = g_ptr_array_index (steps, i);

      *n_objects += step->objects->len;
      /* Changes share one list for both sides. */
      if (step->here != NULL)
        *n_positions += step->here->len;
      if (step->kept != NULL && step->kept != step->here)
        *n_positions += step->kept->len;
    }
}

void
bm_history_get_footprint (BmHistory *self, guint *n_steps, guint *n_objects, guint *n_positions)
{
  guint objects = 0, positions = 0;

  g_return_if_fail (BM_IS_HISTORY (self));

  add_footprint (self->undo, &objects, &positions);
  add_footprint (self->redo, &objects, &positions);
  if (n_steps != NULL)
    *n_steps = self->undo->len + self->redo->len;
  if (n_objects != NULL)
    *n_objects = objects;
  if (n_positions != NULL)
    *n_positions = positions;
}
