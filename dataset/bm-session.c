/* bm-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-session.h"

#include "formats/bm-label-io.h"

struct _BmSession
{
  GObject parent_instance;

  BmDataset *dataset;
  int current;
  BmAnnotation *annotation;
  BmEditor *editor;              /* NULL while the image is not on screen */
  gulong dirty_id;
  char *label_error;
  char *save_error;
  gboolean auto_save;

  GCancellable *jobs[BM_SESSION_N_JOBS];

  GSimpleActionGroup *actions;

  /* What the derived properties were last said to be, to notify only changes. */
  gboolean was_can_edit, was_dirty, was_can_save, was_verified, was_busy, was_has_items;
};

static void bm_session_action_group_init (GActionGroupInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BmSession, bm_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ACTION_GROUP, bm_session_action_group_init))

enum {
  PROP_0,
  PROP_DATASET,
  PROP_HAS_ITEMS,
  PROP_CURRENT_INDEX,
  PROP_ANNOTATION,
  PROP_EDITOR,
  PROP_LABEL_ERROR,
  PROP_CAN_EDIT,
  PROP_DIRTY,
  PROP_CAN_SAVE,
  PROP_SAVE_ERROR,
  PROP_VERIFIED,
  PROP_AUTO_SAVE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Derived state ------------------------------------------------------------------------------ */

static BmHistory *
history (BmSession *self)
{
  return self->editor != NULL ? bm_editor_get_history (self->editor) : NULL;
}

static void
notify_if_changed (BmSession *self, gboolean *was, gboolean now, guint prop)
{
  if (*was == now)
    return;
  *was = now;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_action (BmSession *self, const char *name, gboolean enabled, GVariant *state)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
  if (state != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), state);
}

/* Recomputes every derived property and the actions, and notifies those that changed. */
static void
update_state (BmSession *self)
{
  gboolean can_edit = bm_session_get_can_edit (self);
  gboolean dirty = bm_session_get_dirty (self);
  gboolean verified = bm_session_get_verified (self);

  notify_if_changed (self, &self->was_has_items, bm_session_get_has_items (self), PROP_HAS_ITEMS);
  notify_if_changed (self, &self->was_can_edit, can_edit, PROP_CAN_EDIT);
  notify_if_changed (self, &self->was_dirty, dirty, PROP_DIRTY);
  notify_if_changed (self, &self->was_can_save, bm_session_get_can_save (self), PROP_CAN_SAVE);
  notify_if_changed (self, &self->was_verified, verified, PROP_VERIFIED);
  notify_if_changed (self, &self->was_busy, bm_session_get_busy (self), PROP_BUSY);

  update_action (self, "save", bm_session_get_can_save (self), NULL);
  update_action (self, "toggle-verified", can_edit, g_variant_new_boolean (verified));
  update_action (self, "discard-changes", dirty, NULL);
  update_action (self, "auto-save", TRUE, g_variant_new_boolean (self->auto_save));
}

static void
set_save_error (BmSession *self, const char *message)
{
  if (g_strcmp0 (self->save_error, message) == 0)
    return;
  g_free (self->save_error);
  self->save_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
}

static void
history_dirty_cb (BmSession *self)
{
  update_state (self);
}

/* The item on screen -------------------------------------------------------------------------- */

static void
drop_item (BmSession *self)
{
  if (self->editor != NULL)
    g_clear_signal_handler (&self->dirty_id, history (self));
  g_clear_object (&self->editor);
  g_clear_object (&self->annotation);
  g_clear_pointer (&self->label_error, g_free);
  self->current = -1;
}

static void
notify_item (BmSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_INDEX]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITOR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL_ERROR]);
  update_state (self);
}

void
bm_session_set_item (BmSession    *self,
                     guint         index,
                     BmAnnotation *annotation,
                     gboolean      image_shown,
                     const char   *label_error)
{
  g_return_if_fail (BM_IS_SESSION (self));
  g_return_if_fail (self->dataset != NULL && index < bm_dataset_get_n_items (self->dataset));
  g_return_if_fail (BM_IS_ANNOTATION (annotation));

  drop_item (self);
  set_save_error (self, NULL);
  self->current = (int) index;
  self->annotation = g_object_ref (annotation);
  self->label_error = g_strdup (label_error);
  /* Labels are edited only where the image can be seen. */
  if (image_shown)
    {
      self->editor = bm_editor_new (annotation);
      self->dirty_id = g_signal_connect_swapped (history (self), "notify::dirty", G_CALLBACK (history_dirty_cb), self);
    }
  notify_item (self);
}

void
bm_session_clear_item (BmSession *self)
{
  g_return_if_fail (BM_IS_SESSION (self));

  drop_item (self);
  set_save_error (self, NULL);
  notify_item (self);
}

BmAnnotation *
bm_session_load_labels (BmDataset  *dataset,
                        guint       index,
                        char      **label_error)
{
  const BmDatasetItem *item;
  BmDatasetItem copy;
  g_autoptr(GError) error = NULL;
  BmAnnotation *annotation;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (index < bm_dataset_get_n_items (dataset), NULL);
  g_return_val_if_fail (label_error != NULL && *label_error == NULL, NULL);

  item = bm_dataset_get_item (dataset, index);
  copy = *item;
  /* A label file written after the folder was opened (a verified empty image, say). */
  if (!copy.has_label && copy.label_path != NULL && g_file_test (copy.label_path, G_FILE_TEST_EXISTS))
    copy.has_label = TRUE;
  annotation = bm_label_load (&copy, &error);
  if (annotation != NULL)
    return annotation;

  /* Unreadable: the image can still be shown, and the file is kept as it is. */
  annotation = bm_annotation_new ();
  bm_annotation_set_image_path (annotation, item->image_path);
  bm_annotation_set_label_path (annotation, item->label_path);
  bm_annotation_set_format (annotation, item->format);
  bm_annotation_set_read_only (annotation, TRUE);
  *label_error = g_strdup (error->message);
  return annotation;
}

void
bm_session_set_dataset (BmSession *self,
                        BmDataset *dataset)
{
  g_return_if_fail (BM_IS_SESSION (self));
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  drop_item (self);
  set_save_error (self, NULL);
  g_set_object (&self->dataset, dataset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
  notify_item (self);
}

BmDataset *
bm_session_get_dataset (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  return self->dataset;
}

gboolean
bm_session_get_has_items (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  return self->dataset != NULL && bm_dataset_get_n_items (self->dataset) > 0;
}

int
bm_session_get_current_index (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), -1);
  return self->current;
}

BmAnnotation *
bm_session_get_annotation (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  return self->annotation;
}

BmEditor *
bm_session_get_editor (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  return self->editor;
}

const char *
bm_session_get_label_error (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  return self->label_error;
}

gboolean
bm_session_get_can_edit (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  return self->annotation != NULL && self->editor != NULL && self->label_error == NULL &&
         !bm_annotation_is_read_only (self->annotation);
}

gboolean
bm_session_get_dirty (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  return self->editor != NULL && bm_history_is_dirty (history (self));
}

gboolean
bm_session_get_can_save (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  return bm_session_get_dirty (self) && bm_session_get_can_edit (self);
}

const char *
bm_session_get_save_error (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  return self->save_error;
}

gboolean
bm_session_get_verified (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  return self->annotation != NULL && bm_annotation_get_verified (self->annotation);
}

/* Saving ------------------------------------------------------------------------------------- */

gboolean
bm_session_save (BmSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);

  if (!bm_session_get_can_edit (self))
    return FALSE;
  set_save_error (self, NULL);
  if (!bm_label_save (self->annotation, &error))
    {
      /* The changes stay in memory, dirty until a save works, even when undone. */
      bm_history_mark_unsaved (history (self));
      set_save_error (self, error->message);
      update_state (self);
      return FALSE;
    }
  bm_history_mark_saved (history (self));
  update_state (self);
  g_signal_emit (self, signals[SAVED], 0, (guint) self->current, self->annotation);
  return TRUE;
}

gboolean
bm_session_save_if_dirty (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);

  if (!bm_session_get_dirty (self) || self->annotation == NULL)
    return TRUE;
  return bm_session_save (self);
}

BmSessionLeave
bm_session_prepare_leave (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), BM_SESSION_LEAVE_FAILED);

  if (!self->auto_save && bm_session_get_dirty (self) && self->annotation != NULL)
    return BM_SESSION_LEAVE_ASK;
  return bm_session_save_if_dirty (self) ? BM_SESSION_LEAVE_OK : BM_SESSION_LEAVE_FAILED;
}

void
bm_session_discard_changes (BmSession *self)
{
  g_return_if_fail (BM_IS_SESSION (self));

  /* The file keeps what it has; the annotation in memory is left behind with the image. */
  if (self->editor != NULL)
    bm_history_mark_saved (history (self));
  update_state (self);
}

gboolean
bm_session_set_verified (BmSession *self,
                         gboolean   verified)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);

  /* Verifying means someone looked at the image, so it must be on screen. */
  if (!bm_session_get_can_edit (self))
    return FALSE;
  if (!verified == !bm_annotation_get_verified (self->annotation))
    return TRUE;
  /* Not an undo step of its own: it is saved at once. */
  bm_annotation_set_verified (self->annotation, verified);
  bm_history_mark_unsaved (history (self));
  return bm_session_save (self);
}

gboolean
bm_session_get_auto_save (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  return self->auto_save;
}

void
bm_session_set_auto_save (BmSession *self,
                          gboolean   auto_save)
{
  g_return_if_fail (BM_IS_SESSION (self));

  auto_save = !!auto_save;
  if (self->auto_save == auto_save)
    return;
  self->auto_save = auto_save;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_SAVE]);
  update_state (self);
}

/* Jobs --------------------------------------------------------------------------------------- */

GCancellable *
bm_session_begin_job (BmSession    *self,
                      BmSessionJob  job)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  g_return_val_if_fail (job < BM_SESSION_N_JOBS, NULL);

  g_cancellable_cancel (self->jobs[job]);
  g_clear_object (&self->jobs[job]);
  self->jobs[job] = g_cancellable_new ();
  update_state (self);
  return self->jobs[job];
}

void
bm_session_end_job (BmSession    *self,
                    BmSessionJob  job)
{
  g_return_if_fail (BM_IS_SESSION (self));
  g_return_if_fail (job < BM_SESSION_N_JOBS);

  if (self->jobs[job] == NULL)
    return;
  g_clear_object (&self->jobs[job]);
  update_state (self);
}

void
bm_session_cancel_job (BmSession    *self,
                       BmSessionJob  job)
{
  g_return_if_fail (BM_IS_SESSION (self));
  g_return_if_fail (job < BM_SESSION_N_JOBS);

  g_cancellable_cancel (self->jobs[job]);
  bm_session_end_job (self, job);
}

gboolean
bm_session_is_running (BmSession    *self,
                       BmSessionJob  job)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (job < BM_SESSION_N_JOBS, FALSE);
  return self->jobs[job] != NULL;
}

GCancellable *
bm_session_get_job_cancellable (BmSession    *self,
                                BmSessionJob  job)
{
  g_return_val_if_fail (BM_IS_SESSION (self), NULL);
  g_return_val_if_fail (job < BM_SESSION_N_JOBS, NULL);
  return self->jobs[job];
}

gboolean
bm_session_get_busy (BmSession *self)
{
  g_return_val_if_fail (BM_IS_SESSION (self), FALSE);

  for (guint i = 0; i < BM_SESSION_N_JOBS; i++)
    if (self->jobs[i] != NULL)
      return TRUE;
  return FALSE;
}

/* GActions ----------------------------------------------------------------------------------- */

static void
save_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  bm_session_save (user_data);
}

static void
discard_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  bm_session_discard_changes (user_data);
}

static void
toggle_verified_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  bm_session_set_verified (user_data, !bm_session_get_verified (user_data));
}

static void
verified_change_state (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  bm_session_set_verified (user_data, g_variant_get_boolean (value));
}

static void
auto_save_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  bm_session_set_auto_save (user_data, !bm_session_get_auto_save (user_data));
}

static void
auto_save_change_state (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  bm_session_set_auto_save (user_data, g_variant_get_boolean (value));
}

static const GActionEntry session_actions[] = {
  { .name = "save", .activate = save_activated },
  { .name = "discard-changes", .activate = discard_activated },
  { .name = "toggle-verified", .activate = toggle_verified_activated, .state = "false",
    .change_state = verified_change_state },
  { .name = "auto-save", .activate = auto_save_activated, .state = "true", .change_state = auto_save_change_state },
};

/* The interface is the inner group's; its signals are passed on with the session as sender. */
static gchar **
list_actions (GActionGroup *group)
{
  return g_action_group_list_actions (G_ACTION_GROUP (BM_SESSION (group)->actions));
}

static gboolean
query_action (GActionGroup        *group,
              const char          *name,
              gboolean            *enabled,
              const GVariantType **parameter_type,
              const GVariantType **state_type,
              GVariant           **state_hint,
              GVariant           **state)
{
  return g_action_group_query_action (G_ACTION_GROUP (BM_SESSION (group)->actions), name, enabled, parameter_type,
                                      state_type, state_hint, state);
}

static void
activate_action (GActionGroup *group, const char *name, GVariant *parameter)
{
  g_action_group_activate_action (G_ACTION_GROUP (BM_SESSION (group)->actions), name, parameter);
}

static void
change_action_state (GActionGroup *group, const char *name, GVariant *value)
{
  g_action_group_change_action_state (G_ACTION_GROUP (BM_SESSION (group)->actions), name, value);
}

static void
bm_session_action_group_init (GActionGroupInterface *iface)
{
  iface->list_actions = list_actions;
  iface->query_action = query_action;
  iface->activate_action = activate_action;
  iface->change_action_state = change_action_state;
}

static void
inner_enabled_changed_cb (GActionGroup *inner, const char *name, gboolean enabled, BmSession *self)
{
  g_action_group_action_enabled_changed (G_ACTION_GROUP (self), name, enabled);
}

static void
inner_state_changed_cb (GActionGroup *inner, const char *name, GVariant *state, BmSession *self)
{
  g_action_group_action_state_changed (G_ACTION_GROUP (self), name, state);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
bm_session_dispose (GObject *object)
{
  BmSession *self = BM_SESSION (object);

  for (guint i = 0; i < BM_SESSION_N_JOBS; i++)
    {
      g_cancellable_cancel (self->jobs[i]);
      g_clear_object (&self->jobs[i]);
    }
  drop_item (self);
  g_clear_object (&self->dataset);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (bm_session_parent_class)->dispose (object);
}

static void
bm_session_finalize (GObject *object)
{
  BmSession *self = BM_SESSION (object);

  g_free (self->save_error);
  G_OBJECT_CLASS (bm_session_parent_class)->finalize (object);
}

static void
bm_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BmSession *self = BM_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET: g_value_set_object (value, self->dataset); break;
    case PROP_HAS_ITEMS: g_value_set_boolean (value, bm_session_get_has_items (self)); break;
    case PROP_CURRENT_INDEX: g_value_set_int (value, self->current); break;
    case PROP_ANNOTATION: g_value_set_object (value, self->annotation); break;
    case PROP_EDITOR: g_value_set_object (value, self->editor); break;
    case PROP_LABEL_ERROR: g_value_set_string (value, self->label_error); break;
    case PROP_CAN_EDIT: g_value_set_boolean (value, bm_session_get_can_edit (self)); break;
    case PROP_DIRTY: g_value_set_boolean (value, bm_session_get_dirty (self)); break;
    case PROP_CAN_SAVE: g_value_set_boolean (value, bm_session_get_can_save (self)); break;
    case PROP_SAVE_ERROR: g_value_set_string (value, self->save_error); break;
    case PROP_VERIFIED: g_value_set_boolean (value, bm_session_get_verified (self)); break;
    case PROP_AUTO_SAVE: g_value_set_boolean (value, self->auto_save); break;
    case PROP_BUSY: g_value_set_boolean (value, bm_session_get_busy (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BmSession *self = BM_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET: bm_session_set_dataset (self, g_value_get_object (value)); break;
    case PROP_VERIFIED: bm_session_set_verified (self, g_value_get_boolean (value)); break;
    case PROP_AUTO_SAVE: bm_session_set_auto_save (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
read_only_boolean (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
bm_session_class_init (BmSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bm_session_dispose;
  object_class->finalize = bm_session_finalize;
  object_class->get_property = bm_session_get_property;
  object_class->set_property = bm_session_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, BM_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_ITEMS] = read_only_boolean ("has-items");
  properties[PROP_CURRENT_INDEX] =
    g_param_spec_int ("current-index", NULL, NULL, -1, G_MAXINT, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, BM_TYPE_ANNOTATION, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITOR] =
    g_param_spec_object ("editor", NULL, NULL, BM_TYPE_EDITOR, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL_ERROR] =
    g_param_spec_string ("label-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_EDIT] = read_only_boolean ("can-edit");
  properties[PROP_DIRTY] = read_only_boolean ("dirty");
  properties[PROP_CAN_SAVE] = read_only_boolean ("can-save");
  properties[PROP_SAVE_ERROR] =
    g_param_spec_string ("save-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFIED] =
    g_param_spec_boolean ("verified", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_SAVE] =
    g_param_spec_boolean ("auto-save", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = read_only_boolean ("busy");
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After the labels of item @index were written: lists, counts and caches follow the file. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 2, G_TYPE_UINT, BM_TYPE_ANNOTATION);
}

static void
bm_session_init (BmSession *self)
{
  self->current = -1;
  self->auto_save = TRUE;
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), session_actions, G_N_ELEMENTS (session_actions), self);
  g_signal_connect (self->actions, "action-enabled-changed", G_CALLBACK (inner_enabled_changed_cb), self);
  g_signal_connect (self->actions, "action-state-changed", G_CALLBACK (inner_state_changed_cb), self);
  update_state (self);
}

BmSession *
bm_session_new (void)
{
  return g_object_new (BM_TYPE_SESSION, NULL);
}
