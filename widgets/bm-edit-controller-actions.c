/* bm-edit-controller-actions.c: the labelling actions a window gets from
 * bm_edit_controller_install_actions — each name, its keys and when it is enabled, written once
 * in the tables below.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-edit-controller-private.h"

#define ACTION_DATA_KEY "bm-edit-controller"

typedef enum
{
  DRAW_BOX,
  DRAW_ROTATED,
  DRAW_QUAD,
  DELETE_OBJECT,
  DUPLICATE,
  COPY,
  PASTE,
  COPY_PREVIOUS,
  UNDO,
  REDO,
  EDIT_LABEL,
  SELECT_ALL,
  TOGGLE_DIFFICULT,
  CANCEL_EDIT,
  ROTATE,
  NUDGE,
  LABEL_CLASS,
  ACCEPT,
  ACCEPT_ALL,
  N_EDIT_ACTIONS
} EditActionId;

/* When an action is enabled. */
typedef enum
{
  WHEN_EDITABLE,        /* the labels on the canvas can be changed */
  WHEN_SELECTED,        /* ... and something is selected */
  WHEN_LABELLING,       /* ... or a drawn shape waits for its label (digits label it) */
  WHEN_HAS_SELECTION,   /* something is selected, editable or not (copy) */
  WHEN_HAS_CLIPBOARD,   /* editable, and something was copied */
  WHEN_HAS_PREVIOUS,    /* editable, and an image was shown before */
  WHEN_HAS_OBJECTS,     /* the annotation has objects */
  WHEN_BUSY,            /* a shape is drawn, dragged or waits for its label */
} EnabledWhen;

typedef struct
{
  const char *name;
  const char *parameter_type;
  EnabledWhen when;
  gboolean (*run) (BmEditController *self, GVariant *parameter);
} EditAction;

static gboolean draw_box (BmEditController *self, GVariant *p) { return bm_edit_controller_start_drawing (self, BM_DRAW_BOX); }
static gboolean draw_rotated (BmEditController *self, GVariant *p) { return bm_edit_controller_start_drawing (self, BM_DRAW_ROTATED); }
static gboolean draw_quad (BmEditController *self, GVariant *p) { return bm_edit_controller_start_drawing (self, BM_DRAW_QUAD); }
static gboolean delete_object (BmEditController *self, GVariant *p) { return bm_edit_controller_delete (self); }
static gboolean duplicate (BmEditController *self, GVariant *p) { return bm_edit_controller_duplicate (self); }
static gboolean copy (BmEditController *self, GVariant *p) { return bm_edit_controller_copy (self); }
static gboolean paste (BmEditController *self, GVariant *p) { return bm_edit_controller_paste (self); }
static gboolean copy_previous (BmEditController *self, GVariant *p) { return bm_edit_controller_copy_previous (self); }
static gboolean undo (BmEditController *self, GVariant *p) { return bm_edit_controller_undo (self); }
static gboolean redo (BmEditController *self, GVariant *p) { return bm_edit_controller_redo (self); }
static gboolean edit_label (BmEditController *self, GVariant *p) { return bm_edit_controller_edit_label (self); }
static gboolean select_all (BmEditController *self, GVariant *p) { return bm_edit_controller_select_all (self); }
static gboolean toggle_difficult (BmEditController *self, GVariant *p) { return bm_edit_controller_toggle_difficult (self); }
static gboolean cancel_edit (BmEditController *self, GVariant *p) { return bm_edit_controller_escape (self); }
static gboolean rotate (BmEditController *self, GVariant *p) { return bm_edit_controller_rotate (self, g_variant_get_double (p)); }
static gboolean label_class (BmEditController *self, GVariant *p) { return bm_edit_controller_label_digit (self, g_variant_get_uint32 (p)); }
static gboolean accept (BmEditController *self, GVariant *p) { return bm_edit_controller_accept (self); }
static gboolean accept_all (BmEditController *self, GVariant *p) { return bm_edit_controller_accept_all (self); }

static gboolean
nudge (BmEditController *self, GVariant *p)
{
  double dx, dy;

  g_variant_get (p, "(dd)", &dx, &dy);
  return bm_edit_controller_nudge (self, dx, dy);
}

static const EditAction edit_actions[N_EDIT_ACTIONS] = {
  [DRAW_BOX] = { "win.draw-box", NULL, WHEN_EDITABLE, draw_box },
  [DRAW_ROTATED] = { "win.draw-rotated", NULL, WHEN_EDITABLE, draw_rotated },
  [DRAW_QUAD] = { "win.draw-quad", NULL, WHEN_EDITABLE, draw_quad },
  [DELETE_OBJECT] = { "win.delete-object", NULL, WHEN_SELECTED, delete_object },
  [DUPLICATE] = { "win.duplicate", NULL, WHEN_SELECTED, duplicate },
  [COPY] = { "win.copy", NULL, WHEN_HAS_SELECTION, copy },
  [PASTE] = { "win.paste", NULL, WHEN_HAS_CLIPBOARD, paste },
  [COPY_PREVIOUS] = { "win.copy-previous", NULL, WHEN_HAS_PREVIOUS, copy_previous },
  [UNDO] = { "win.undo", NULL, WHEN_EDITABLE, undo },
  [REDO] = { "win.redo", NULL, WHEN_EDITABLE, redo },
  [EDIT_LABEL] = { "win.edit-label", NULL, WHEN_SELECTED, edit_label },
  [SELECT_ALL] = { "win.select-all", NULL, WHEN_HAS_OBJECTS, select_all },
  [TOGGLE_DIFFICULT] = { "win.toggle-difficult", NULL, WHEN_SELECTED, toggle_difficult },
  /* Shares Escape with the window's own Escape action, which must be disabled while this one is
   * enabled: then the order the two bindings were installed in does not matter. */
  [CANCEL_EDIT] = { "win.cancel-edit", NULL, WHEN_BUSY, cancel_edit },
  [ROTATE] = { "win.rotate", "d", WHEN_SELECTED, rotate },
  /* No key here: the arrows (Shift: 10 px) are handled on the focused canvas, because
   * GtkWindow's own arrow bindings (focus moves) run before any window subclass binding. */
  [NUDGE] = { "win.nudge", "(dd)", WHEN_SELECTED, nudge },
  [LABEL_CLASS] = { "win.label-class", "u", WHEN_LABELLING, label_class },
  /* Pre-annotations: the selected ones, all of the image (editing one accepts it too). */
  [ACCEPT] = { "win.accept", NULL, WHEN_SELECTED, accept },
  [ACCEPT_ALL] = { "win.accept-all", NULL, WHEN_EDITABLE, accept_all },
};

typedef struct
{
  EditActionId action;
  guint keyval;
  GdkModifierType mods;
  double argument;      /* for an action with a parameter: the angle (d) or the digit (u) */
} EditKey;

#define CTRL       GDK_CONTROL_MASK
#define CTRL_SHIFT (GDK_CONTROL_MASK | GDK_SHIFT_MASK)

/* labelImg's keys where it has them, roLabelImg's and X-AnyLabeling's rotation keys. */
static const EditKey edit_keys[] = {
  { DRAW_BOX, GDK_KEY_w },
  { DRAW_ROTATED, GDK_KEY_e },
  { DRAW_QUAD, GDK_KEY_q },
  { DELETE_OBJECT, GDK_KEY_Delete },
  { DELETE_OBJECT, GDK_KEY_KP_Delete },
  { DUPLICATE, GDK_KEY_d, CTRL },
  { COPY, GDK_KEY_c, CTRL },
  { PASTE, GDK_KEY_v, CTRL },
  { COPY_PREVIOUS, GDK_KEY_v, CTRL_SHIFT },
  { UNDO, GDK_KEY_z, CTRL },
  { REDO, GDK_KEY_z, CTRL_SHIFT },
  { REDO, GDK_KEY_y, CTRL },
  { EDIT_LABEL, GDK_KEY_e, CTRL },
  { EDIT_LABEL, GDK_KEY_F2 },
  { SELECT_ALL, GDK_KEY_a, CTRL },
  { TOGGLE_DIFFICULT, GDK_KEY_f, CTRL_SHIFT },
  { CANCEL_EDIT, GDK_KEY_Escape },
  { ACCEPT, GDK_KEY_Return },
  { ACCEPT, GDK_KEY_KP_Enter },
  { ACCEPT_ALL, GDK_KEY_Return, CTRL },
  { ACCEPT_ALL, GDK_KEY_KP_Enter, CTRL },
  { ROTATE, GDK_KEY_z, 0, BM_EDITOR_ROTATE_CCW_LARGE },
  { ROTATE, GDK_KEY_x, 0, BM_EDITOR_ROTATE_CCW_SMALL },
  { ROTATE, GDK_KEY_c, 0, BM_EDITOR_ROTATE_CW_SMALL },
  { ROTATE, GDK_KEY_v, 0, BM_EDITOR_ROTATE_CW_LARGE },
  /* The n-th class of the class list, on the digit row and the keypad. */
  { LABEL_CLASS, GDK_KEY_1, 0, 1 }, { LABEL_CLASS, GDK_KEY_KP_1, 0, 1 },
  { LABEL_CLASS, GDK_KEY_2, 0, 2 }, { LABEL_CLASS, GDK_KEY_KP_2, 0, 2 },
  { LABEL_CLASS, GDK_KEY_3, 0, 3 }, { LABEL_CLASS, GDK_KEY_KP_3, 0, 3 },
  { LABEL_CLASS, GDK_KEY_4, 0, 4 }, { LABEL_CLASS, GDK_KEY_KP_4, 0, 4 },
  { LABEL_CLASS, GDK_KEY_5, 0, 5 }, { LABEL_CLASS, GDK_KEY_KP_5, 0, 5 },
  { LABEL_CLASS, GDK_KEY_6, 0, 6 }, { LABEL_CLASS, GDK_KEY_KP_6, 0, 6 },
  { LABEL_CLASS, GDK_KEY_7, 0, 7 }, { LABEL_CLASS, GDK_KEY_KP_7, 0, 7 },
  { LABEL_CLASS, GDK_KEY_8, 0, 8 }, { LABEL_CLASS, GDK_KEY_KP_8, 0, 8 },
  { LABEL_CLASS, GDK_KEY_9, 0, 9 }, { LABEL_CLASS, GDK_KEY_KP_9, 0, 9 },
};

static void
activate_cb (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  BmEditController *self = g_object_get_data (G_OBJECT (widget), ACTION_DATA_KEY);

  if (self == NULL)
    return;
  for (guint i = 0; i < N_EDIT_ACTIONS; i++)
    if (g_str_equal (name, edit_actions[i].name))
      {
        if (!edit_actions[i].run (self, parameter))
          gtk_widget_error_bell (widget);
        return;
      }
}

static GVariant *
key_argument (const EditKey *key)
{
  const char *type = edit_actions[key->action].parameter_type;

  if (type == NULL)
    return NULL;
  if (g_str_equal (type, "d"))
    return g_variant_new_double (key->argument);
  return g_variant_new_uint32 ((guint32) key->argument);
}

void
bm_edit_controller_install_actions (GtkWidgetClass *widget_class)
{
  g_return_if_fail (GTK_IS_WIDGET_CLASS (widget_class));

  for (guint i = 0; i < N_EDIT_ACTIONS; i++)
    gtk_widget_class_install_action (widget_class, edit_actions[i].name, edit_actions[i].parameter_type, activate_cb);
  for (guint i = 0; i < G_N_ELEMENTS (edit_keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (edit_keys[i].keyval, edit_keys[i].mods),
                                                gtk_named_action_new (edit_actions[edit_keys[i].action].name));
      GVariant *argument = key_argument (&edit_keys[i]);

      if (argument != NULL)
        gtk_shortcut_set_arguments (shortcut, argument);
      gtk_widget_class_add_shortcut (widget_class, shortcut);
      g_object_unref (shortcut);
    }
}

void
_bm_edit_controller_actions_set_widget (BmEditController *self,
                                        GtkWidget        *widget)
{
  if (self->action_widget != NULL)
    {
      g_object_set_data (G_OBJECT (self->action_widget), ACTION_DATA_KEY, NULL);
      g_object_remove_weak_pointer (G_OBJECT (self->action_widget), (gpointer *) &self->action_widget);
    }
  self->action_widget = widget;
  if (widget != NULL)
    {
      g_object_set_data (G_OBJECT (widget), ACTION_DATA_KEY, self);
      g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->action_widget);
    }
}

static gboolean
is_enabled (BmEditController *self,
            EnabledWhen       when)
{
  gboolean editable = _bm_edit_controller_can_edit (self);
  gboolean selected = bm_edit_controller_has_selection (self);

  switch (when)
    {
    case WHEN_EDITABLE: return editable;
    case WHEN_SELECTED: return editable && selected;
    case WHEN_LABELLING: return editable && (selected || self->has_pending);
    case WHEN_HAS_SELECTION: return selected;
    case WHEN_HAS_CLIPBOARD: return editable && self->clipboard != NULL;
    case WHEN_HAS_PREVIOUS: return editable && self->previous != NULL;
    case WHEN_HAS_OBJECTS: return self->annotation != NULL && bm_annotation_get_n_objects (self->annotation) > 0;
    case WHEN_BUSY: return bm_edit_controller_get_busy (self);
    default: g_return_val_if_reached (FALSE);
    }
}

void
bm_edit_controller_update_actions (BmEditController *self)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if (self->action_widget != NULL)
    for (guint i = 0; i < N_EDIT_ACTIONS; i++)
      gtk_widget_action_set_enabled (self->action_widget, edit_actions[i].name, is_enabled (self, edit_actions[i].when));
  if (self->was_busy != bm_edit_controller_get_busy (self))
    {
      self->was_busy = !self->was_busy;
      g_object_notify (G_OBJECT (self), "busy");
    }
}
