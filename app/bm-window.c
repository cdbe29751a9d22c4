/* bm-window.c: the GObject of BmWindow — template, properties, closing, public getters. The rest
 * is in the bm-window-*.c files (see bm-window-private.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-window.h"
#include "bm-window-export.h"
#include "bm-window-private.h"

#include <glib/gi18n.h>

#include "widgets/bm-class-colour.h"
#include "widgets/bm-edit-controller.h"
#include "bm-preannotate-popover.h"

G_DEFINE_FINAL_TYPE (BmWindow, bm_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SHOW_FILE_LIST,
  PROP_SHOW_SIDE_PANEL,
  PROP_SHOW_LABELS,
  PROP_VERIFIED,
  PROP_CURRENT_INDEX,
  PROP_BUSY,
  PROP_AUTO_SAVE,
  PROP_SHOW_OBJECTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_bm_window_notify_verified (BmWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFIED]);
}

void
_bm_window_notify_current_index (BmWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_INDEX]);
}

/* Template callbacks ------------------------------------------------------------------------- */

static void
file_activated_cb (BmWindow   *self,
                   guint       index,
                   BmFileList *list)
{
  if ((int) index != bm_session_get_current_index (self->session) || self->pending >= 0)
    _bm_window_go_to (self, index);
}

static void
zoom_changed_cb (BmWindow   *self,
                 GParamSpec *pspec,
                 BmCanvas   *canvas)
{
  _bm_window_update_status (self);
}

static void
canvas_selected_cb (BmWindow   *self,
                    GParamSpec *pspec,
                    BmCanvas   *canvas)
{
  bm_object_panel_set_selected (self->object_panel, bm_canvas_get_selected (self->canvas));
}

static void
pointer_moved_cb (BmWindow *self,
                  gboolean  inside,
                  double    x,
                  double    y,
                  BmCanvas *canvas)
{
  g_autofree char *text = inside ? g_strdup_printf ("%d, %d", (int) x, (int) y) : NULL;

  gtk_label_set_text (self->pointer_label, text ? text : "");
}

static void
object_activated_cb (BmWindow      *self,
                     int            index,
                     BmObjectPanel *panel)
{
  bm_canvas_show_object (self->canvas, index, FALSE);
}

static void
class_activated_cb (BmWindow      *self,
                    const char    *label,
                    BmObjectPanel *panel)
{
  g_autofree char *quoted = g_shell_quote (label);
  g_autofree char *filter = g_strdup_printf ("label:%s", quoted);

  g_object_set (self, "show-file-list", TRUE, NULL);
  bm_file_list_set_filter_text (self->file_list, filter);
}

/* Other signal handlers ---------------------------------------------------------------------- */

static void
show_labels_changed_cb (BmWindow   *self,
                        GParamSpec *pspec,
                        BmCanvas   *canvas)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

static gboolean
drop_cb (BmWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  GSList *files;
  g_autofree char *path = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files != NULL)
    path = g_file_get_path (files->data);
  g_slist_free (files);
  if (path == NULL)
    return FALSE;
  bm_window_open_path (self, path);
  return TRUE;
}

static void
edited_cb (BmWindow *self)
{
  int index = bm_session_get_current_index (self->session);
  BmAnnotation *annotation = bm_session_get_annotation (self->session);

  /* the file list counts what is on screen, not only what was saved */
  if (self->model != NULL && index >= 0 && annotation != NULL)
    bm_file_list_model_update (self->model, (guint) index, annotation);
  _bm_window_update_everything (self);
}

static void
show_objects_changed_cb (BmWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_OBJECTS]);
}

static void
precision_changed_cb (BmWindow *self)
{
  bm_edit_controller_set_precision (self->edit, g_settings_get_boolean (self->settings, "subpixel") ? 0.01 : 1);
}

static void
use_last_label_changed_cb (BmWindow *self)
{
  bm_edit_controller_set_use_last_label (self->edit, g_settings_get_boolean (self->settings, "use-last-label"));
}

static void
edit_error_cb (BmWindow   *self,
               const char *message)
{
  _bm_window_show_error (self, message);
}

static void
session_changed_cb (BmWindow *self)
{
  _bm_window_update_everything (self);
}

static void
session_busy_cb (BmWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
allow_outside_changed_cb (BmWindow *self)
{
  bm_edit_controller_set_allow_outside (self->edit, g_settings_get_boolean (self->settings, "allow-outside"));
}

/* GtkWindow ---------------------------------------------------------------------------------- */

static gboolean
bm_window_close_request (GtkWindow *window)
{
  BmWindow *self = BM_WINDOW (window);
  int width, height;

  if (!_bm_window_may_close (self))
    return TRUE;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (bm_window_parent_class)->close_request (window);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
bm_window_dispose (GObject *object)
{
  BmWindow *self = BM_WINDOW (object);

  /* Its label popover is a child of the canvas, which goes away with the template. */
  if (self->edit != NULL)
    bm_edit_controller_set_action_widget (self->edit, NULL);
  g_clear_object (&self->edit);

  g_clear_handle_id (&self->spinner_source, g_source_remove);
  g_clear_handle_id (&self->search_message_source, g_source_remove);
  if (self->session != NULL)
    {
      /* Not the export: closing the window does not stop the files being written. */
      bm_session_cancel_job (self->session, BM_SESSION_JOB_OPEN);
      bm_session_cancel_job (self->session, BM_SESSION_JOB_LOAD);
      bm_session_cancel_job (self->session, BM_SESSION_JOB_SEARCH);
      _bm_window_preannotate_dispose (self);
    }
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  _bm_window_augment_dispose (self);
  _bm_window_review_dispose (self);
  _bm_window_overview_dispose (self);
  _bm_window_split_dispose (self);

  G_OBJECT_CLASS (bm_window_parent_class)->dispose (object);
}

static void
bm_window_finalize (GObject *object)
{
  BmWindow *self = BM_WINDOW (object);

  g_clear_pointer (&self->batch_summary, bm_preannotate_summary_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->catalog);
  g_clear_object (&self->visibility);
  g_free (self->relabel_message);
  g_clear_object (&self->model);
  g_clear_object (&self->cache);
  g_clear_object (&self->settings);
  g_free (self->select_after_open);
  g_clear_object (&self->first_image);
  g_free (self->first_path);
  g_free (self->open_error);
  g_free (self->size_warning);
  g_free (self->edit_error);
  g_free (self->class_error);

  G_OBJECT_CLASS (bm_window_parent_class)->finalize (object);
}

static void
bm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BmWindow *self = BM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_FILE_LIST:
      g_value_set_boolean (value, self->show_file_list);
      break;
    case PROP_SHOW_SIDE_PANEL:
      g_value_set_boolean (value, self->show_side_panel);
      break;
    case PROP_SHOW_LABELS:
      /* Asked by the action state also while the window is being taken down. */
      g_value_set_boolean (value, self->canvas == NULL || bm_canvas_get_show_labels (self->canvas));
      break;
    case PROP_VERIFIED:
      g_value_set_boolean (value, self->session != NULL && bm_session_get_verified (self->session));
      break;
    case PROP_CURRENT_INDEX:
      g_value_set_int (value, bm_window_get_current_index (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, bm_window_is_busy (self));
      break;
    case PROP_AUTO_SAVE:
      g_value_set_boolean (value, self->session == NULL || bm_session_get_auto_save (self->session));
      break;
    case PROP_SHOW_OBJECTS:
      g_value_set_boolean (value, self->visibility == NULL || bm_visibility_get_show_objects (self->visibility));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BmWindow *self = BM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_FILE_LIST:
      if (self->show_file_list != g_value_get_boolean (value))
        {
          self->show_file_list = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->file_list), self->show_file_list);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SHOW_SIDE_PANEL:
      if (self->show_side_panel != g_value_get_boolean (value))
        {
          self->show_side_panel = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->object_panel), self->show_side_panel);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SHOW_LABELS:
      if (self->canvas != NULL)
        bm_canvas_set_show_labels (self->canvas, g_value_get_boolean (value));
      break;
    case PROP_VERIFIED:
      _bm_window_set_verified (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_OBJECTS:
      if (self->visibility != NULL)
        bm_visibility_set_show_objects (self->visibility, g_value_get_boolean (value));
      break;
    case PROP_AUTO_SAVE:
      if (bm_session_get_auto_save (self->session) != g_value_get_boolean (value))
        {
          bm_session_set_auto_save (self->session, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_window_class_init (BmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bm_window_dispose;
  object_class->finalize = bm_window_finalize;
  object_class->get_property = bm_window_get_property;
  object_class->set_property = bm_window_set_property;
  window_class->close_request = bm_window_close_request;

  properties[PROP_SHOW_FILE_LIST] =
    g_param_spec_boolean ("show-file-list", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SIDE_PANEL] =
    g_param_spec_boolean ("show-side-panel", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFIED] =
    g_param_spec_boolean ("verified", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_INDEX] =
    g_param_spec_int ("current-index", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_SAVE] =
    g_param_spec_boolean ("auto-save", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* FALSE hides every box (Ctrl+H), as labelImg's Hide All; label text is show-labels. */
  properties[PROP_SHOW_OBJECTS] =
    g_param_spec_boolean ("show-objects", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BM_TYPE_CANVAS);
  g_type_ensure (BM_TYPE_FILE_LIST);
  g_type_ensure (BM_TYPE_OBJECT_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BmWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, verified_button);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, verified_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, preannotate_button);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, batch_revealer);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, batch_progress);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, batch_button);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, outer_paned);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, inner_paned);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, file_list);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, object_panel);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, pointer_label);
  gtk_widget_class_bind_template_child (widget_class, BmWindow, recent_menu);
  gtk_widget_class_bind_template_callback (widget_class, file_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, canvas_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, pointer_moved_cb);
  gtk_widget_class_bind_template_callback (widget_class, object_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, class_activated_cb);

  _bm_window_class_actions_init (widget_class);
}

/* A menu toggle for a GSettings key, as "win.KEY". */
static void
add_settings_action (BmWindow *self, const char *key)
{
  g_autoptr(GAction) action = g_settings_create_action (self->settings, key);

  g_action_map_add_action (G_ACTION_MAP (self), action);
}

static void
bm_window_init (BmWindow *self)
{
  GtkDropTarget *drop;

  self->pending = -1;
  self->show_file_list = TRUE;
  self->show_side_panel = TRUE;
  self->session = bm_session_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->preannotate_popover = BM_PREANNOTATE_POPOVER (bm_preannotate_popover_new ());
  gtk_menu_button_set_popover (self->preannotate_button, GTK_WIDGET (self->preannotate_popover));

  self->catalog = bm_class_catalog_new ();
  bm_class_colour_follow_catalog (self->catalog);   /* class i of the class order gets colour i */
  self->visibility = bm_visibility_new ();
  bm_canvas_set_visibility (self->canvas, self->visibility);
  bm_object_panel_set_visibility (self->object_panel, self->visibility);
  g_signal_connect_object (self->visibility, "notify::show-objects", G_CALLBACK (show_objects_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* the detector popover's "hide scores below" is the canvas's threshold */
  g_object_bind_property (self->preannotate_popover, "min-score", self->visibility, "min-score",
                          G_BINDING_SYNC_CREATE);
  self->edit = bm_edit_controller_new (self->canvas);
  bm_edit_controller_set_visibility (self->edit, self->visibility);
  bm_edit_controller_set_catalog (self->edit, self->catalog);
  bm_preannotate_popover_set_context (self->preannotate_popover, self->session, self->catalog);
  bm_edit_controller_set_action_widget (self->edit, GTK_WIDGET (self));
  g_signal_connect_object (self->edit, "edited", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->edit, "error", G_CALLBACK (edit_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->edit, "notify::busy", G_CALLBACK (_bm_window_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (bm_edit_controller_get_drawer (self->edit), "notify::mode",
                           G_CALLBACK (_bm_window_update_status), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->session, "saved", G_CALLBACK (_bm_window_session_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::dirty", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::save-error", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::busy", G_CALLBACK (session_busy_cb), self, G_CONNECT_SWAPPED);
  _bm_window_actions_init (self);

  self->cache = bm_image_cache_new (4);
  self->settings = g_settings_new ("io.github.boxmark.Boxmark");
  g_settings_bind (self->settings, "show-file-list", self, "show-file-list", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-side-panel", self, "show-side-panel", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "auto-save", self, "auto-save", G_SETTINGS_BIND_DEFAULT);
  add_settings_action (self, "auto-save");
  add_settings_action (self, "open-recursive");
  add_settings_action (self, "allow-outside");
  add_settings_action (self, "subpixel");
  add_settings_action (self, "use-last-label");
  g_signal_connect_object (self->settings, "changed::subpixel", G_CALLBACK (precision_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::use-last-label", G_CALLBACK (use_last_label_changed_cb), self,
                           G_CONNECT_SWAPPED);
  precision_changed_cb (self);
  use_last_label_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::allow-outside", G_CALLBACK (allow_outside_changed_cb),
                           self, G_CONNECT_SWAPPED);
  allow_outside_changed_cb (self);
  g_signal_connect_object (self->canvas, "notify::show-labels", G_CALLBACK (show_labels_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "show-labels", self, "show-labels", G_SETTINGS_BIND_DEFAULT);
  _bm_window_folder_init (self);
  _bm_window_review_init (self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_swapped (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  bm_canvas_set_message (self->canvas, _("Open a folder of images to start (Ctrl+O)"));
  _bm_window_update_everything (self);
}

/* Public API --------------------------------------------------------------------------------- */

BmWindow *
bm_window_new (GtkApplication *application)
{
  return g_object_new (BM_TYPE_WINDOW, "application", application, NULL);
}

gboolean
bm_window_is_busy (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), FALSE);
  return bm_session_get_busy (self->session);
}

BmSession *
bm_window_get_session (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->session;
}

/* The text of the status bar under the canvas. */
const char *
bm_window_get_status_text (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/* The pre-annotation settings (the popover of the header's detector button). */
BmPreannotatePopover *
bm_window_get_preannotate_popover (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->preannotate_popover;
}

BmDataset *
bm_window_get_dataset (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return bm_session_get_dataset (self->session);
}

int
bm_window_get_current_index (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), -1);
  return self->session != NULL ? bm_session_get_current_index (self->session) : -1;
}

BmAnnotation *
bm_window_get_annotation (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return bm_session_get_annotation (self->session);
}

const char *
bm_window_get_banner_text (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}

gboolean
bm_window_get_dirty (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), FALSE);
  return bm_session_get_dirty (self->session);
}

BmCanvas *
bm_window_get_canvas (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->canvas;
}

BmFileList *
bm_window_get_file_list (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->file_list;
}

BmObjectPanel *
bm_window_get_object_panel (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->object_panel;
}

const char *
bm_window_get_relabel_message (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->relabel_message;
}

BmVisibility *
bm_window_get_visibility (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->visibility;
}

BmEditController *
bm_window_get_edit_controller (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->edit;
}
