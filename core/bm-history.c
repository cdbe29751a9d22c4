/* bm-history.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-history.h"

typedef struct
{
  GPtrArray *objects;
  gboolean verified;
  guint serial;        /* identifies the state, to tell whether it is the saved one */
} Snapshot;

struct _BmHistory
{
  GObject parent_instance;

  BmAnnotation *annotation;
  GPtrArray *undo;      /* Snapshot, oldest first */
  GPtrArray *redo;      /* Snapshot, next redo last */
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
snapshot_free (gpointer data)
{
  Snapshot *snapshot = data;

  g_ptr_array_unref (snapshot->objects);
  g_free (snapshot);
}

static Snapshot *
snapshot_take (BmHistory *self)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->objects = bm_annotation_dup_objects (self->annotation);
  snapshot->verified = bm_annotation_get_verified (self->annotation);
  snapshot->serial = self->serial;
  return snapshot;
}

static void
snapshot_restore (BmHistory *self, Snapshot *snapshot)
{
  bm_annotation_set_objects (self->annotation, snapshot->objects);
  bm_annotation_set_verified (self->annotation, snapshot->verified);
  self->serial = snapshot->serial;
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
  self->undo = g_ptr_array_new_with_free_func (snapshot_free);
  self->redo = g_ptr_array_new_with_free_func (snapshot_free);
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

void
bm_history_record (BmHistory *self)
{
  g_return_if_fail (BM_IS_HISTORY (self));

  g_ptr_array_add (self->undo, snapshot_take (self));
  g_ptr_array_set_size (self->redo, 0);
  /* The edit that follows creates a new state. */
  self->serial = ++self->next_serial;
  notify_state (self);
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

static gboolean
move_state (BmHistory *self, GPtrArray *from, GPtrArray *to)
{
  Snapshot *target;

  if (from->len == 0)
    return FALSE;
  g_ptr_array_add (to, snapshot_take (self));
  target = g_ptr_array_steal_index (from, from->len - 1);
  snapshot_restore (self, target);
  snapshot_free (target);
  notify_state (self);
  return TRUE;
}

gboolean
bm_history_undo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return move_state (self, self->undo, self->redo);
}

gboolean
bm_history_redo (BmHistory *self)
{
  g_return_val_if_fail (BM_IS_HISTORY (self), FALSE);
  return move_state (self, self->redo, self->undo);
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
