/* bm-window-actions.c: every action of the window with its keys, in one table, and when each
 * is enabled. The labelling actions (win.draw-box …) are BmEditController's, in its own table.
 *
 * A key has one binding, with one exception: Escape is win.cancel-edit's (enabled only while a
 * shape is drawn, dragged or waits for its label) and win.select-none's (enabled only when
 * none is), so which runs never depends on the order the bindings were installed in.
 *
 * Most keys are class bindings, seen after the focused widget declined the key. A few are the
 * window's wherever the focus is (before_focus): the file list and text fields bind Ctrl+Shift+A
 * themselves, GtkWindow binds Ctrl+Shift+D to the inspector, and a focused button would take
 * Space as its own click. Those go to one shortcut controller of the window that sees keys
 * first (the capture phase), and nowhere else.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-window-export.h"
#include "bm-window-private.h"
#include "bm-window-split.h"

#define MAX_KEYS 3

typedef struct
{
  guint keyval;
  GdkModifierType mods;
} Key;

typedef struct
{
  const char *name;
  const char *parameter_type;
  GtkWidgetActionActivateFunc activate;   /* NULL: a property action */
  const char *property;                   /* the window property a property action toggles */
  Key keys[MAX_KEYS];
  const char *key_argument;               /* GVariant text of what the keys pass */
  gboolean before_focus;                  /* the keys are the window's wherever the focus is */
  gboolean (*key_allowed) (BmWindow *self);   /* NULL: always; FALSE leaves the key to the focus */
} WindowAction;

#define CTRL       GDK_CONTROL_MASK
#define SHIFT      GDK_SHIFT_MASK
#define CTRL_SHIFT (GDK_CONTROL_MASK | GDK_SHIFT_MASK)

/* Activations -------------------------------------------------------------------------------- */

static void
open_folder_chooser_cb (BmWindow             *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        bm_window_open_path (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
open_folder_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  BmDataset *dataset = bm_session_get_dataset (self->session);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Open Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (dataset != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (bm_dataset_get_root (dataset));

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (open_folder_chooser_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* An image opens inside its dataset (bm_window_open_path), like labelImg's Open. */
static void
open_image_action (GtkWidget *widget, const char *name, GVariant *param)
{
  static const char *const patterns[] = { "*.jpg", "*.jpeg", "*.png", "*.bmp", "*.gif", "*.tga", "*.psd",
                                          "*.pnm", "*.ppm", "*.pgm", "*.hdr", "*.JPG", "*.JPEG", "*.PNG" };
  BmWindow *self = BM_WINDOW (widget);
  BmDataset *dataset = bm_session_get_dataset (self->session);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Open Image"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Images"));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (dataset != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (bm_dataset_get_root (dataset));

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (open_folder_chooser_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
open_recent_action (GtkWidget *widget, const char *name, GVariant *param)
{
  bm_window_open_path (BM_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
next_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_step (BM_WINDOW (widget), 1);
}

static void
previous_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_step (BM_WINDOW (widget), -1);
}

static void
next_unverified_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_search (BM_WINDOW (widget), BM_REVIEW_NEXT_UNVERIFIED);
}

static void
previous_unverified_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_search (BM_WINDOW (widget), BM_REVIEW_PREVIOUS_UNVERIFIED);
}

static void
next_pre_annotated_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_search (BM_WINDOW (widget), BM_REVIEW_NEXT_PRE_ANNOTATED);
}

static void
previous_pre_annotated_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_search (BM_WINDOW (widget), BM_REVIEW_PREVIOUS_PRE_ANNOTATED);
}

/* The pre-annotations of this image scoring below the threshold that hides them, deleted in
 * one undo step. */
static void
delete_weak_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  double threshold = bm_visibility_get_min_score (self->visibility);

  if (threshold <= 0 || bm_edit_controller_delete_weak (self->edit, threshold) == 0)
    gtk_widget_error_bell (widget);
}

static void
manage_class_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_manage_class (BM_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* (old, new): the class manager without its dialog */
static void
rename_class_action (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *old_name, *new_name;

  g_variant_get (param, "(&s&s)", &old_name, &new_name);
  _bm_window_rename_class (BM_WINDOW (widget), old_name, new_name);
}

static void
delete_class_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_delete_class (BM_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
next_problem_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_search (BM_WINDOW (widget), BM_REVIEW_NEXT_PROBLEM);
}

static void
previous_problem_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_search (BM_WINDOW (widget), BM_REVIEW_PREVIOUS_PROBLEM);
}

static void
first_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_first_or_last (BM_WINDOW (widget), 1);
}

static void
last_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_first_or_last (BM_WINDOW (widget), -1);
}

static void
go_to_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_go_to (BM_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
reload_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_reload (BM_WINDOW (widget));
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);

  if (bm_session_get_can_edit (self->session))
    _bm_window_save (self);
}

/* win.zoom-in … win.previous-object are the canvas's canvas.zoom-in … */
static void
forward_to_canvas (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  g_autofree char *canvas_action = g_strdup_printf ("canvas.%s", name + strlen ("win."));

  gtk_widget_activate_action (GTK_WIDGET (self->canvas), canvas_action, NULL);
}

static void
select_none_action (GtkWidget *widget, const char *name, GVariant *param)
{
  bm_canvas_set_selected (BM_WINDOW (widget)->canvas, -1);
}

static void
focus_filter_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);

  g_object_set (self, "show-file-list", TRUE, NULL);
  bm_file_list_focus_filter (self->file_list);
}

static void
augment_preview_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_toggle_augment_preview (BM_WINDOW (widget));
}

static void
overview_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_toggle_overview (BM_WINDOW (widget));
}

static void
preannotate_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_preannotate (BM_WINDOW (widget));
}

static void
preannotate_all_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_preannotate_all (BM_WINDOW (widget));
}

static void
preannotate_cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_preannotate_cancel (BM_WINDOW (widget));
}

/* (format, folder): "voc", "dota", "yolo" or "yolo-obb", and the output folder ("" asks for one). */
static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *format, *folder;
  BmExportTarget target;

  g_variant_get (param, "(&s&s)", &format, &folder);
  if (bm_export_target_from_string (format, &target))
    bm_window_export (BM_WINDOW (widget), target, folder);
  else
    g_warning ("win.export: unknown format “%s”", format);
}

/* (folder, tile size, overlap, scales): "" asks for the folder and the settings. */
static void
export_split_action (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *folder, *rates;
  gint32 size, gap;

  g_variant_get (param, "(&sii&s)", &folder, &size, &gap, &rates);
  bm_window_export_split (BM_WINDOW (widget), folder, size, gap, rates);
}

static void
export_split_cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_split_cancel (BM_WINDOW (widget));
}

static gboolean
focus_is_text (BmWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    if (GTK_IS_EDITABLE (focus))
      return TRUE;
  return FALSE;
}

/* Space means "verified" wherever the focus is, except in text fields and on the canvas (which
 * tells a tap from Space + drag and then activates the same action itself). */
static gboolean
space_verifies (BmWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return !focus_is_text (self) && focus != GTK_WIDGET (self->canvas);
}

static void
compare_predictions_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_choose_predictions (BM_WINDOW (widget));
}

static void
close_predictions_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_close_predictions (BM_WINDOW (widget));
}

static void
next_conflict_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_next_conflict (BM_WINDOW (widget), 1);
}

static void
previous_conflict_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_next_conflict (BM_WINDOW (widget), -1);
}

static void
accept_prediction_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_accept_prediction (BM_WINDOW (widget));
}

static void
dismiss_prediction_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _bm_window_dismiss_prediction (BM_WINDOW (widget));
}

/* The table ---------------------------------------------------------------------------------- */

static const WindowAction window_actions[] = {
  { "win.open-folder", NULL, open_folder_action, NULL, { { GDK_KEY_o, CTRL } } },
  /* no key: Ctrl+Shift+O is the dataset overview; the main menu has it */
  { "win.open-image", NULL, open_image_action },
  { "win.open-recent", "s", open_recent_action },
  { "win.next", NULL, next_action, NULL, { { GDK_KEY_d }, { GDK_KEY_Right } } },
  { "win.previous", NULL, previous_action, NULL, { { GDK_KEY_a }, { GDK_KEY_Left } } },
  { "win.first", NULL, first_action, NULL, { { GDK_KEY_Home } } },
  { "win.last", NULL, last_action, NULL, { { GDK_KEY_End } } },
  { "win.go-to", "u", go_to_action },
  { "win.next-unverified", NULL, next_unverified_action, NULL, { { GDK_KEY_d, CTRL_SHIFT } }, NULL, TRUE },
  { "win.previous-unverified", NULL, previous_unverified_action, NULL, { { GDK_KEY_a, CTRL_SHIFT } }, NULL, TRUE },
  { "win.next-problem", NULL, next_problem_action, NULL, { { GDK_KEY_p } } },
  { "win.previous-problem", NULL, previous_problem_action, NULL, { { GDK_KEY_p, SHIFT } } },
  { "win.next-pre-annotated", NULL, next_pre_annotated_action, NULL, { { GDK_KEY_u } } },
  { "win.previous-pre-annotated", NULL, previous_pre_annotated_action, NULL, { { GDK_KEY_u, SHIFT } } },
  { "win.delete-weak", NULL, delete_weak_action },
  { "win.show-objects", NULL, NULL, "show-objects", { { GDK_KEY_h, CTRL } } },
  { "win.manage-class", "s", manage_class_action },
  { "win.rename-class", "(ss)", rename_class_action },
  { "win.delete-class", "s", delete_class_action },
  { "win.reload", NULL, reload_action, NULL, { { GDK_KEY_F5 } } },
  { "win.save", NULL, save_action, NULL, { { GDK_KEY_s, CTRL } } },
  /* On the canvas, Space is the canvas's (its space-action-name is this action). */
  { "win.toggle-verified", NULL, NULL, "verified", { { GDK_KEY_space } }, NULL, TRUE, space_verifies },
  { "win.show-file-list", NULL, NULL, "show-file-list", { { GDK_KEY_F9 } } },
  /* F10 opens the main menu (GTK's key for a primary menu), so not F10 here. */
  { "win.show-side-panel", NULL, NULL, "show-side-panel", { { GDK_KEY_F9, SHIFT } } },
  { "win.auto-save", NULL, NULL, "auto-save" },
  { "win.show-labels", NULL, NULL, "show-labels", { { GDK_KEY_p, CTRL_SHIFT } } },
  { "win.zoom-in", NULL, forward_to_canvas, NULL,
    { { GDK_KEY_plus, CTRL }, { GDK_KEY_equal, CTRL }, { GDK_KEY_KP_Add, CTRL } } },
  { "win.zoom-out", NULL, forward_to_canvas, NULL, { { GDK_KEY_minus, CTRL }, { GDK_KEY_KP_Subtract, CTRL } } },
  { "win.zoom-fit", NULL, forward_to_canvas, NULL, { { GDK_KEY_f, CTRL } } },
  { "win.zoom-one", NULL, forward_to_canvas, NULL, { { GDK_KEY_0, CTRL }, { GDK_KEY_KP_0, CTRL } } },
  { "win.next-object", NULL, forward_to_canvas, NULL, { { GDK_KEY_n } } },
  { "win.previous-object", NULL, forward_to_canvas, NULL, { { GDK_KEY_n, SHIFT } } },
  /* Shares Escape with win.cancel-edit; never enabled together (see the top of the file). */
  { "win.select-none", NULL, select_none_action, NULL, { { GDK_KEY_Escape } } },
  { "win.focus-filter", NULL, focus_filter_action, NULL, { { GDK_KEY_k, CTRL } } },
  { "win.augment-preview", NULL, augment_preview_action, NULL, { { GDK_KEY_g, CTRL } } },
  { "win.overview", NULL, overview_action, NULL, { { GDK_KEY_o, CTRL_SHIFT } } },
  { "win.preannotate", NULL, preannotate_action, NULL, { { GDK_KEY_i } } },
  { "win.preannotate-all", NULL, preannotate_all_action, NULL, { { GDK_KEY_b, CTRL } } },
  { "win.preannotate-cancel", NULL, preannotate_cancel_action },
  { "win.export", "(ss)", export_action, NULL, { { GDK_KEY_e, CTRL_SHIFT } }, "('yolo', '')" },
  /* Reviewing against predictions (bm-window-review.c) */
  { "win.compare-predictions", NULL, compare_predictions_action },
  { "win.close-predictions", NULL, close_predictions_action },
  { "win.next-conflict", NULL, next_conflict_action, NULL, { { GDK_KEY_j } } },
  { "win.previous-conflict", NULL, previous_conflict_action, NULL, { { GDK_KEY_j, SHIFT } } },
  { "win.accept-prediction", NULL, accept_prediction_action, NULL, { { GDK_KEY_y } } },
  { "win.dismiss-prediction", NULL, dismiss_prediction_action, NULL, { { GDK_KEY_y, SHIFT } } },
  { "win.export-split", "(siis)", export_split_action },
  { "win.export-split-cancel", NULL, export_split_cancel_action },
};

/* Enabled exactly when a session property is TRUE. */
static const struct
{
  const char *action;
  const char *property;
} session_bound[] = {
  { "win.next", "has-items" },
  { "win.previous", "has-items" },
  { "win.first", "has-items" },
  { "win.last", "has-items" },
  { "win.go-to", "has-items" },
  { "win.next-unverified", "has-items" },
  { "win.previous-unverified", "has-items" },
  { "win.next-problem", "has-items" },
  { "win.previous-problem", "has-items" },
  { "win.export", "has-items" },
  { "win.compare-predictions", "has-items" },
  { "win.next-pre-annotated", "has-items" },
  { "win.previous-pre-annotated", "has-items" },
  { "win.manage-class", "has-items" },
  { "win.rename-class", "has-items" },
  { "win.delete-class", "has-items" },
  { "win.export-split", "has-items" },
  { "win.toggle-verified", "can-edit" },
  { "win.save", "can-save" },
};

static gboolean
same_key (const Key *a, const Key *b)
{
  return gdk_keyval_to_lower (a->keyval) == gdk_keyval_to_lower (b->keyval) && a->mods == b->mods;
}

/* One binding per key (see the top of the file): a second one would make the order matter. */
static void
check_keys_unique (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    for (guint k = 0; k < MAX_KEYS && window_actions[i].keys[k].keyval != 0; k++)
      for (guint j = i; j < G_N_ELEMENTS (window_actions); j++)
        for (guint l = (j == i ? k + 1 : 0); l < MAX_KEYS && window_actions[j].keys[l].keyval != 0; l++)
          if (same_key (&window_actions[i].keys[k], &window_actions[j].keys[l]))
            g_critical ("%s and %s share a key", window_actions[i].name, window_actions[j].name);
}

void
_bm_window_class_actions_init (GtkWidgetClass *widget_class)
{
  check_keys_unique ();
  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    {
      const WindowAction *action = &window_actions[i];
      g_autoptr(GVariant) argument = NULL;

      if (action->activate != NULL)
        gtk_widget_class_install_action (widget_class, action->name, action->parameter_type, action->activate);
      else
        gtk_widget_class_install_property_action (widget_class, action->name, action->property);
      if (action->before_focus)
        continue;   /* see window_keys_controller */
      if (action->key_argument != NULL)
        argument = g_variant_ref_sink (g_variant_new_parsed (action->key_argument));
      for (guint k = 0; k < MAX_KEYS && action->keys[k].keyval != 0; k++)
        {
          GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (action->keys[k].keyval, action->keys[k].mods),
                                                    gtk_named_action_new (action->name));

          if (argument != NULL)
            gtk_shortcut_set_arguments (shortcut, argument);
          gtk_widget_class_add_shortcut (widget_class, shortcut);
          g_object_unref (shortcut);
        }
    }
  bm_edit_controller_install_actions (widget_class);
}

static void
session_property_changed_cb (BmWindow   *self,
                             GParamSpec *pspec,
                             BmSession  *session)
{
  for (guint i = 0; i < G_N_ELEMENTS (session_bound); i++)
    if (g_str_equal (session_bound[i].property, pspec->name))
      {
        gboolean enabled = FALSE;

        g_object_get (session, pspec->name, &enabled, NULL);
        gtk_widget_action_set_enabled (GTK_WIDGET (self), session_bound[i].action, enabled);
      }
}

static gboolean
before_focus_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  const WindowAction *action = user_data;

  if (action->key_allowed != NULL && !action->key_allowed (BM_WINDOW (widget)))
    return FALSE;
  gtk_widget_activate_action_variant (widget, action->name, args);
  return TRUE;
}

/* The keys of the before_focus actions, seen by the window before the focused widget. */
static GtkEventController *
window_keys_controller (void)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "bm-window-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    {
      const WindowAction *action = &window_actions[i];

      for (guint k = 0; action->before_focus && k < MAX_KEYS && action->keys[k].keyval != 0; k++)
        {
          GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (action->keys[k].keyval, action->keys[k].mods),
                                                    gtk_callback_action_new (before_focus_cb, (gpointer) action, NULL));

          if (action->key_argument != NULL)
            gtk_shortcut_set_arguments (shortcut, g_variant_new_parsed (action->key_argument));
          gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
        }
    }
  return controller;
}

/* The window's keys, and the actions of session_bound following the session's properties. */
void
_bm_window_actions_init (BmWindow *self)
{
  g_autoptr(GHashTable) connected = g_hash_table_new (g_str_hash, g_str_equal);

  gtk_widget_add_controller (GTK_WIDGET (self), window_keys_controller ());
  for (guint i = 0; i < G_N_ELEMENTS (session_bound); i++)
    {
      const char *property = session_bound[i].property;

      if (g_hash_table_add (connected, (gpointer) property))
        {
          g_autofree char *signal = g_strdup_printf ("notify::%s", property);

          g_signal_connect_object (self->session, signal, G_CALLBACK (session_property_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          session_property_changed_cb (self, g_object_class_find_property (G_OBJECT_GET_CLASS (self->session), property),
                                       self->session);
        }
    }
}

/* The enabled states that follow the canvas rather than the session. */
void
_bm_window_update_actions (BmWindow *self)
{
  BmAnnotation *annotation = bm_session_get_annotation (self->session);
  gboolean has_image = bm_canvas_get_image (self->canvas) != NULL;
  gboolean has_objects = annotation != NULL && bm_annotation_get_n_objects (annotation) > 0;
  gboolean verified = bm_session_get_verified (self->session);
  gboolean editing = bm_edit_controller_get_busy (self->edit);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.reload", bm_session_get_current_index (self->session) >= 0);
  gtk_widget_action_set_enabled (widget, "win.zoom-in", has_image);
  gtk_widget_action_set_enabled (widget, "win.zoom-out", has_image);
  gtk_widget_action_set_enabled (widget, "win.zoom-fit", has_image);
  gtk_widget_action_set_enabled (widget, "win.zoom-one", has_image);
  gtk_widget_action_set_enabled (widget, "win.next-object", has_objects);
  gtk_widget_action_set_enabled (widget, "win.previous-object", has_objects);
  gtk_widget_action_set_enabled (widget, "win.select-none", has_objects && !editing);
  bm_edit_controller_update_actions (self->edit);

  gtk_label_set_text (self->verified_label, verified ? _("Verified") : _("Verify"));
  if (verified)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->verified_button), "verified-badge");
      gtk_widget_add_css_class (GTK_WIDGET (self->canvas), "verified");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->verified_button), "verified-badge");
      gtk_widget_remove_css_class (GTK_WIDGET (self->canvas), "verified");
    }
}
