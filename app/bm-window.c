/* bm-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-window.h"
#include "bm-window-export.h"

#include <glib/gi18n.h>

#include "core/bm-preannotate.h"
#include "formats/bm-label-io.h"
#include "widgets/bm-augment-panel.h"
#include "widgets/bm-class-colour.h"
#include "widgets/bm-edit-controller.h"
#include "widgets/bm-file-list-model.h"
#include "widgets/bm-image-cache.h"
#include "bm-preannotate-popover.h"

#define MAX_RECENT_FOLDERS   10
#define MAX_BANNER_PROBLEMS  5
#define SPINNER_DELAY_MS     150

struct _BmWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkToggleButton *verified_button;
  GtkLabel        *verified_label;
  GtkRevealer     *banner_revealer;
  GtkWidget       *banner;
  GtkLabel        *banner_label;
  GtkPaned        *outer_paned;
  GtkPaned        *inner_paned;
  BmFileList      *file_list;
  BmCanvas        *canvas;
  GtkSpinner      *spinner;
  BmObjectPanel   *object_panel;
  GtkLabel        *status_label;
  GtkLabel        *zoom_label;
  GtkLabel        *pointer_label;
  GMenu           *recent_menu;
  GtkMenuButton   *preannotate_button;
  GtkRevealer     *batch_revealer;
  GtkProgressBar  *batch_progress;
  GtkButton       *batch_button;

  /* Owned references */
  GSettings       *settings;
  BmImageCache    *cache;
  BmDataset       *dataset;
  BmFileListModel *model;
  BmAnnotation    *annotation;
  BmEditController *edit;               /* drawing and editing on the canvas */
  BmClassCatalog  *catalog;
  GtkWindow       *augment_window;      /* Ctrl+G, made on first use; its panel is augment_panel */
  BmAugmentPanel  *augment_panel;
  GCancellable    *open_cancellable;
  GCancellable    *load_cancellable;
  GtkNativeDialog *chooser;
  char            *select_after_open;   /* image path given instead of a folder */
  char            *label_error;         /* the label file could not be read at all */
  char            *save_error;
  char            *open_error;
  char            *size_warning;
  char            *edit_error;          /* the last labelling operation that failed */
  char            *class_error;         /* the folder's class list could not be read */
  BmPreannotatePopover *preannotate_popover;
  GCancellable    *detect_cancellable;  /* I: set while detecting on the current image */
  GCancellable    *batch_cancellable;   /* Ctrl+B: set while the batch runs */
  GCancellable    *search_cancellable;  /* set while looking for the next unverified image … */
  const char      *search_message;      /* shown in the status bar while looking, or after */
  guint            search_message_source;
  BmPreannotateSummary *batch_summary;
  guint            batch_source;

  int              current;
  int              pending;
  guint            spinner_source;
  guint            opening : 1;
  guint            dirty : 1;
  guint            auto_save : 1;         /* save when moving on or closing, without asking */
  guint            show_file_list : 1;
  guint            show_side_panel : 1;
};

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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void     go_to         (BmWindow *self, int index);
static gboolean focus_is_text (BmWindow *self);
static GtkEditable *focused_editable (BmWindow *self);
static void     update_folder_counts (BmWindow *self);

/* State shown around the canvas ------------------------------------------------------------- */

static const char *
current_image_path (BmWindow *self)
{
  if (self->dataset == NULL || self->current < 0)
    return NULL;
  return bm_dataset_get_item (self->dataset, self->current)->image_path;
}

static const char *
current_name (BmWindow *self)
{
  if (self->model == NULL || self->current < 0)
    return NULL;
  return bm_file_list_model_get_name (self->model, self->current);
}

static gboolean
can_edit (BmWindow *self)
{
  /* Verifying means someone looked at the image, so it must be on screen. */
  return self->annotation != NULL && !bm_annotation_is_read_only (self->annotation) &&
         self->label_error == NULL && current_image_path (self) != NULL &&
         bm_canvas_get_image (self->canvas) != NULL;
}

static void
update_title (BmWindow *self)
{
  const char *name = current_name (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (name == NULL)
    title = g_strdup ("Boxmark");
  else if (self->dirty)
    title = g_strdup_printf ("• %s", name);
  else
    title = g_strdup (name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);

  if (self->dataset != NULL)
    {
      g_autofree char *folder = g_filename_display_basename (bm_dataset_get_root (self->dataset));

      guint n = bm_dataset_get_n_items (self->dataset);
      /* TRANSLATORS: how many images of the folder are verified, as far as read yet */
      g_autofree char *verified = g_strdup_printf (_("%u verified"), bm_file_list_model_count_verified (self->model));

      if (self->current >= 0)
        subtitle = g_strdup_printf ("%d / %u · %s — %s", self->current + 1, n, verified, folder);
      else
        subtitle = g_strdup (folder);
    }
  gtk_label_set_text (self->subtitle_label, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL);
}

static char *
problems_text (BmAnnotation *annotation)
{
  GPtrArray *problems = bm_annotation_get_problems (annotation);
  GString *text = g_string_new (_("This label file has problems. It is open read-only and will not be saved:"));

  for (guint i = 0; i < problems->len && i < MAX_BANNER_PROBLEMS; i++)
    {
      g_autofree char *line = bm_problem_to_string (g_ptr_array_index (problems, i));

      g_string_append_printf (text, "\n%s", line);
    }
  if (problems->len > MAX_BANNER_PROBLEMS)
    {
      guint more = problems->len - MAX_BANNER_PROBLEMS;

      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "…and %u more problem", "…and %u more problems", more), more);
    }
  return g_string_free (text, FALSE);
}

static void
update_banner (BmWindow *self)
{
  g_autofree char *text = NULL;
  gboolean error = FALSE;

  if (self->open_error != NULL)
    {
      text = g_strdup (self->open_error);
      error = TRUE;
    }
  else if (self->save_error != NULL)
    {
      text = g_strdup_printf (_("The labels could not be saved (Ctrl+S tries again): %s"), self->save_error);
      error = TRUE;
    }
  else if (self->label_error != NULL)
    text = g_strdup_printf (_("This label file cannot be read. It is open read-only and will not be saved:\n%s"),
                            self->label_error);
  else if (self->annotation != NULL && bm_annotation_get_problems (self->annotation)->len > 0)
    text = problems_text (self->annotation);
  else if (self->annotation != NULL && bm_annotation_is_read_only (self->annotation))
    text = g_strdup (_("This label file is open read-only and will not be saved."));
  else if (self->size_warning != NULL)
    text = g_strdup (self->size_warning);
  else if (self->edit_error != NULL)
    text = g_strdup (self->edit_error);
  else if (self->class_error != NULL)
    text = g_strdup (self->class_error);

  if (error)
    {
      gtk_widget_remove_css_class (self->banner, "warning");
      gtk_widget_add_css_class (self->banner, "error");
    }
  else
    {
      gtk_widget_remove_css_class (self->banner, "error");
      gtk_widget_add_css_class (self->banner, "warning");
    }
  if (text != NULL)
    gtk_label_set_text (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner_revealer, text != NULL);
}

/* Takes @part; an empty one is dropped so the status never shows two separators in a row. */
static void
add_status_part (GPtrArray *parts,
                 char      *part)
{
  if (part == NULL || *part == '\0')
    {
      g_free (part);
      return;
    }
  g_ptr_array_add (parts, part);
}

static void
update_status (BmWindow *self)
{
  BmTileImage *image = bm_canvas_get_image (self->canvas);
  g_autofree char *zoom = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (self->search_message != NULL)
    add_status_part (parts, g_strdup (self->search_message));
  if (image != NULL)
    add_status_part (parts, g_strdup_printf ("%d × %d", bm_tile_image_get_width (image), bm_tile_image_get_height (image)));
  if (self->annotation != NULL)
    {
      guint n = bm_annotation_get_n_objects (self->annotation);

      add_status_part (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u object", "%u objects", n), n));
      if (bm_annotation_get_format (self->annotation) != BM_FORMAT_NONE)
        add_status_part (parts, g_strdup (bm_format_to_string (bm_annotation_get_format (self->annotation))));
      if (!can_edit (self))
        add_status_part (parts, g_strdup (_("read-only")));
      else if (bm_annotation_get_verified (self->annotation))
        add_status_part (parts, g_strdup (_("verified")));
    }
  if (self->edit != NULL)
    {
      static const char *const hints[] = {
        [BM_DRAW_BOX] = N_("Drawing a box: drag (Shift: a square), Esc cancels"),
        [BM_DRAW_ROTATED] = N_("Drawing a rotated box: drag, then turn it with z x c v or its handle"),
        [BM_DRAW_QUAD] = N_("Drawing a quadrilateral: click its four corners, Backspace takes one back"),
      };
      BmDrawMode mode = bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (self->edit));

      if (mode != BM_DRAW_NONE && mode < G_N_ELEMENTS (hints))
        add_status_part (parts, g_strdup (_(hints[mode])));
    }
  g_ptr_array_add (parts, NULL);
  text = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->status_label, text);

  zoom = image ? g_strdup_printf ("%.0f %%", bm_canvas_get_zoom (self->canvas) * 100) : g_strdup ("");
  gtk_label_set_text (self->zoom_label, zoom);
}

static void
update_actions (BmWindow *self)
{
  gboolean has_items = self->dataset != NULL && bm_dataset_get_n_items (self->dataset) > 0;
  gboolean has_image = bm_canvas_get_image (self->canvas) != NULL;
  gboolean has_objects = self->annotation != NULL && bm_annotation_get_n_objects (self->annotation) > 0;
  gboolean verified = self->annotation != NULL && bm_annotation_get_verified (self->annotation);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.next", has_items);
  gtk_widget_action_set_enabled (widget, "win.previous", has_items);
  gtk_widget_action_set_enabled (widget, "win.next-unverified", has_items);
  gtk_widget_action_set_enabled (widget, "win.previous-unverified", has_items);
  gtk_widget_action_set_enabled (widget, "win.next-problem", has_items);
  gtk_widget_action_set_enabled (widget, "win.previous-problem", has_items);
  gtk_widget_action_set_enabled (widget, "win.go-to", has_items);
  gtk_widget_action_set_enabled (widget, "win.first", has_items);
  gtk_widget_action_set_enabled (widget, "win.last", has_items);
  gtk_widget_action_set_enabled (widget, "win.export-yolo", has_items);
  gtk_widget_action_set_enabled (widget, "win.reload", self->current >= 0);
  gtk_widget_action_set_enabled (widget, "win.toggle-verified", can_edit (self));
  gtk_widget_action_set_enabled (widget, "win.save", self->dirty && can_edit (self));
  gtk_widget_action_set_enabled (widget, "win.zoom-in", has_image);
  gtk_widget_action_set_enabled (widget, "win.zoom-out", has_image);
  gtk_widget_action_set_enabled (widget, "win.zoom-fit", has_image);
  gtk_widget_action_set_enabled (widget, "win.zoom-one", has_image);
  gtk_widget_action_set_enabled (widget, "win.next-object", has_objects);
  gtk_widget_action_set_enabled (widget, "win.previous-object", has_objects);
  gtk_widget_action_set_enabled (widget, "win.select-none", has_objects);
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

static void
update_everything (BmWindow *self)
{
  update_title (self);
  update_banner (self);
  update_status (self);
  update_actions (self);
}

static void
stop_spinner (BmWindow *self)
{
  g_clear_handle_id (&self->spinner_source, g_source_remove);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
show_spinner_cb (gpointer data)
{
  BmWindow *self = data;

  self->spinner_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  return G_SOURCE_REMOVE;
}

static void
start_spinner (BmWindow *self)
{
  stop_spinner (self);
  self->spinner_source = g_timeout_add (SPINNER_DELAY_MS, show_spinner_cb, self);
}

/* Saving ------------------------------------------------------------------------------------- */

static gboolean
save_labels (BmWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->save_error, g_free);
  if (bm_label_save (self->annotation, &error))
    {
      self->dirty = FALSE;
      bm_edit_controller_mark_saved (self->edit);
      /* the augmentation panel keeps the folder's partner pool across images */
      if (self->augment_panel != NULL && self->current >= 0)
        bm_augment_panel_labels_saved (self->augment_panel, self->dataset, (guint) self->current);
      if (self->model != NULL && self->current >= 0)
        bm_file_list_model_update (self->model, self->current, self->annotation);
      if (self->model != NULL && bm_file_list_model_is_scanned (self->model))
        update_folder_counts (self);
    }
  else
    {
      self->dirty = TRUE;
      self->save_error = g_strdup (error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
    }
  update_everything (self);
  return !self->dirty;
}

/* Without auto-save, moving on or closing with unsaved edits asks first. */
#define CLOSE_AFTER_ASKING (-2)

static gboolean
close_later_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
ask_to_save_response_cb (BmWindow  *self,
                         int        response,
                         GtkDialog *dialog)
{
  int then = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "then"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    {
      if (!save_labels (self))
        return;
    }
  else if (response == GTK_RESPONSE_REJECT)
    self->dirty = FALSE;   /* the user chose to drop the changes */
  else
    return;
  /* Closed once the dialog, which is transient for us, is gone. */
  if (then == CLOSE_AFTER_ASKING)
    g_idle_add_full (G_PRIORITY_DEFAULT, close_later_cb, g_object_ref (self), g_object_unref);
  else
    go_to (self, then);
}

static void
ask_to_save (BmWindow *self,
             int       then)
{
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Save the changes to the labels of %s?"), current_name (self));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("If you do not save, the changes are lost."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Discard Changes"), GTK_RESPONSE_REJECT);
  gtk_widget_add_css_class (button, "destructive-action");
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Save"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data (G_OBJECT (dialog), "then", GINT_TO_POINTER (then));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (ask_to_save_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Never leave an image whose changes are only in memory. */
static gboolean
save_if_dirty (BmWindow *self)
{
  if (!self->dirty || self->annotation == NULL)
    return TRUE;
  return save_labels (self);
}

static void
set_verified (BmWindow *self,
              gboolean  verified)
{
  if (!can_edit (self))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  if (verified == bm_annotation_get_verified (self->annotation))
    return;

  bm_annotation_set_verified (self->annotation, verified);
  self->dirty = TRUE;
  save_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFIED]);
}

/* Loading one image -------------------------------------------------------------------------- */

typedef struct
{
  BmWindow *self;
  guint index;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static gboolean
is_neighbour_candidate (BmFileListModel *model,
                        guint            index,
                        gpointer         user_data)
{
  return bm_dataset_get_item (bm_file_list_model_get_dataset (model), index)->image_path != NULL;
}

static void
prefetch_neighbours (BmWindow *self)
{
  int steps[] = { 1, -1 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      int index = bm_file_list_find (self->file_list, self->current, steps[i], is_neighbour_candidate, NULL);

      if (index >= 0)
        bm_image_cache_prefetch (self->cache, bm_dataset_get_item (self->dataset, index)->image_path);
    }
}

static void
check_size (BmWindow    *self,
            BmTileImage *image)
{
  int aw = bm_annotation_get_width (self->annotation);
  int ah = bm_annotation_get_height (self->annotation);
  int iw = bm_tile_image_get_width (image);
  int ih = bm_tile_image_get_height (image);

  g_clear_pointer (&self->size_warning, g_free);
  if (aw <= 0 || ah <= 0 || (aw == iw && ah == ih))
    return;
  if (aw == ih && ah == iw)
    self->size_warning = g_strdup_printf (_("The label file says the image is %d × %d, but it is %d × %d once turned "
                                            "upright (EXIF orientation): the labels may have been drawn on the unrotated image."),
                                          aw, ah, iw, ih);
  else
    self->size_warning = g_strdup_printf (_("The label file says the image is %d × %d, but it is %d × %d."), aw, ah, iw, ih);
}

/* The augmentation preview follows the current image while it is shown. */
static void
update_augment_source (BmWindow *self)
{
  if (self->augment_window == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->augment_window)))
    return;
  if (self->current < 0 || self->dataset == NULL)
    bm_augment_panel_set_source (self->augment_panel, NULL, NULL, NULL, 0);
  else
    bm_augment_panel_load_source (self->augment_panel, self->annotation, self->dataset, (guint) self->current);
}

static void
augment_preview_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BmWindow *self = BM_WINDOW (widget);

  if (self->augment_window != NULL && gtk_widget_get_visible (GTK_WIDGET (self->augment_window)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->augment_window), FALSE);
      return;
    }
  if (self->augment_window == NULL)
    {
      self->augment_window = GTK_WINDOW (gtk_window_new ());
      self->augment_panel = BM_AUGMENT_PANEL (bm_augment_panel_new ());
      gtk_window_set_title (self->augment_window, _("Augmentation Preview"));
      gtk_window_set_default_size (self->augment_window, 1100, 760);
      gtk_window_set_transient_for (self->augment_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->augment_window, TRUE);
      gtk_window_set_child (self->augment_window, GTK_WIDGET (self->augment_panel));
    }
  gtk_window_present (self->augment_window);
  update_augment_source (self);
}

static void
show_item (BmWindow     *self,
           guint         index,
           BmTileImage  *image,
           const GError *image_error)
{
  const BmDatasetItem *item = bm_dataset_get_item (self->dataset, index);
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_clear_pointer (&self->label_error, g_free);
  g_clear_pointer (&self->save_error, g_free);
  g_clear_pointer (&self->size_warning, g_free);
  g_clear_pointer (&self->edit_error, g_free);

  annotation = bm_file_list_model_load_labels (self->dataset, index, &error);
  if (annotation == NULL)
    {
      /* Unreadable: show the image, keep the file as it is. */
      annotation = bm_annotation_new ();
      bm_annotation_set_image_path (annotation, item->image_path);
      bm_annotation_set_label_path (annotation, item->label_path);
      bm_annotation_set_format (annotation, item->format);
      bm_annotation_set_read_only (annotation, TRUE);
      self->label_error = g_strdup (error->message);
    }

  if (image_error != NULL)
    message = g_strdup_printf (_("Cannot show this image: %s"), image_error->message);
  else if (item->image_path == NULL)
    message = g_strdup_printf (_("The image of %s is missing"), item->label_path);

  g_set_object (&self->annotation, annotation);
  self->current = index;
  self->pending = -1;
  self->dirty = FALSE;
  if (image != NULL)
    check_size (self, image);

  bm_canvas_set_content (self->canvas, image, annotation);
  /* Labels are edited only where the image can be seen. */
  bm_edit_controller_set_annotation (self->edit, image != NULL ? annotation : NULL);
  bm_canvas_set_message (self->canvas, message);
  bm_file_list_model_update (self->model, index, annotation);
  bm_object_panel_set_annotation (self->object_panel, annotation);
  update_augment_source (self);
  stop_spinner (self);
  update_everything (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFIED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_INDEX]);

  /* Review keys must reach the window, not the empty filter entry that GTK focuses first;
   * focus in the file list stays there so arrow keys keep working. */
  if (gtk_root_get_focus (GTK_ROOT (self)) == NULL ||
      (focus_is_text (self) && gtk_editable_get_text (focused_editable (self))[0] == '\0'))
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));

  prefetch_neighbours (self);
  bm_file_list_model_start_scan (self->model);
}

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(BmTileImage) image = NULL;
  g_autoptr(GError) error = NULL;
  BmWindow *self = data->self;

  image = bm_image_cache_load_finish (BM_IMAGE_CACHE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->pending != (int) data->index ||
      self->dataset == NULL)
    return;
  show_item (self, data->index, image, error);
}

/* Looking for the next unverified image or problem ----------------------------------------- */

static void
set_search_message (BmWindow   *self,
                    const char *message)
{
  g_clear_handle_id (&self->search_message_source, g_source_remove);
  self->search_message = message;
  update_status (self);
}

static gboolean
clear_search_message_cb (gpointer data)
{
  BmWindow *self = data;

  self->search_message_source = 0;
  set_search_message (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
stop_search (BmWindow *self)
{
  if (self->search_message != NULL)
    set_search_message (self, NULL);
  if (self->search_cancellable == NULL)
    return;
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
go_to (BmWindow *self,
       int       index)
{
  const BmDatasetItem *item;
  LoadData *data;

  if (self->dataset == NULL || index < 0 || index >= (int) bm_dataset_get_n_items (self->dataset))
    return;
  stop_search (self);
  if (!self->auto_save && self->dirty && self->annotation != NULL)
    {
      ask_to_save (self, index);
      return;
    }
  if (!save_if_dirty (self))
    return;
  g_clear_pointer (&self->open_error, g_free);   /* seen; the user moved on */

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->pending = index;
  bm_file_list_select_index (self->file_list, index);
  update_actions (self);   /* the review keys work before the first image of a folder is decoded */

  item = bm_dataset_get_item (self->dataset, index);
  if (item->image_path == NULL)
    {
      show_item (self, index, NULL, NULL);
      return;
    }

  start_spinner (self);
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->index = index;
  bm_image_cache_load_async (self->cache, item->image_path, self->load_cancellable, image_loaded_cb, data);
}

/* Opening a folder --------------------------------------------------------------------------- */

static void
add_recent_folder (BmWindow   *self,
                   const char *folder)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-folders");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_strv_builder_add (builder, folder);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT_FOLDERS; i++)
    if (g_strcmp0 (old[i], folder) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-folders", (const char * const *) recent);
}

static void
rebuild_recent_menu (BmWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-folders");
  const char *home = g_get_home_dir ();

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *display = g_filename_display_name (recent[i]);
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (home != NULL && g_str_has_prefix (recent[i], home) && recent[i][strlen (home)] == G_DIR_SEPARATOR)
        label = g_strdup_printf ("~%s", display + strlen (home));
      else
        label = g_strdup (display);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", recent[i]);
      g_menu_append_item (self->recent_menu, item);
    }
}

typedef struct
{
  char *path;
  gboolean recursive;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  BmDataset *dataset;

  dataset = bm_dataset_open (data->path, data->recursive, &error);
  if (dataset == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dataset, g_object_unref);
}

static void
clear_folder (BmWindow *self)
{
  stop_search (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  bm_file_list_set_model (self->file_list, NULL);
  bm_canvas_set_content (self->canvas, NULL, NULL);
  bm_object_panel_set_annotation (self->object_panel, NULL);
  bm_object_panel_set_folder_counts (self->object_panel, NULL);
  bm_image_cache_clear (self->cache);
  g_clear_object (&self->model);
  g_clear_object (&self->dataset);
  g_clear_object (&self->annotation);
  g_clear_pointer (&self->label_error, g_free);
  g_clear_pointer (&self->save_error, g_free);
  g_clear_pointer (&self->size_warning, g_free);
  self->current = -1;
  self->pending = -1;
  self->dirty = FALSE;
}

static void
update_folder_counts (BmWindow *self)
{
  g_autoptr(GHashTable) counts = NULL;

  if (self->model != NULL)
    counts = bm_file_list_model_count_images_per_label (self->model);
  bm_object_panel_set_folder_counts (self->object_panel, counts);
}

static int
compare_labels (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Every label of the folder's files becomes a class to pick, after those already offered
 * (whose order, and so their digit keys, never changes). New ones come in name order. */
static void
offer_labels_found (BmWindow        *self,
                    BmFileListModel *model)
{
  g_autoptr(GHashTable) counts = bm_file_list_model_count_images_per_label (model);
  g_autofree const char **labels = (const char **) g_hash_table_get_keys_as_array (counts, NULL);
  guint n = g_hash_table_size (counts);

  g_qsort_with_data (labels, (gint) n, sizeof (char *), compare_labels, NULL);
  for (guint i = 0; i < n; i++)
    bm_class_catalog_add_found (self->catalog, labels[i]);
}

static void
summaries_changed_cb (BmWindow        *self,
                      BmFileListModel *model)
{
  update_title (self);
  /* Counting is cheap, but the rows need not change ten times a second while scanning. */
  if (bm_file_list_model_is_scanned (model))
    {
      update_folder_counts (self);
      offer_labels_found (self, model);
    }
}

/* The classes offered when labelling: the folder's class file, then labels met in its files. */
static void
load_classes (BmWindow *self)
{
  const char *class_file = bm_dataset_get_class_file (self->dataset);
  g_autoptr(GError) error = NULL;

  if (class_file != NULL)
    bm_class_catalog_load_file (self->catalog, class_file, &error);
  else
    bm_class_catalog_load_folder (self->catalog, bm_dataset_get_root (self->dataset), &error);
  g_clear_pointer (&self->class_error, g_free);
  if (error != NULL)
    self->class_error = g_strdup_printf (_("The class list cannot be read, new classes will not be added to it: %s"),
                                         error->message);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BmWindow *self = BM_WINDOW (object);
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  OpenData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *path = g_strdup (data->path);
  int start = 0;

  dataset = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->opening = FALSE;
  stop_spinner (self);

  if (dataset == NULL)
    {
      self->open_error = g_strdup_printf (_("Cannot open %s: %s"), path, error->message);
      bm_canvas_set_message (self->canvas, _("Open a folder of images to start (Ctrl+O)"));
      update_everything (self);
      return;
    }

  clear_folder (self);
  self->dataset = g_steal_pointer (&dataset);
  load_classes (self);
  self->model = bm_file_list_model_new (self->dataset);
  g_signal_connect_object (self->model, "summaries-changed", G_CALLBACK (summaries_changed_cb), self,
                           G_CONNECT_SWAPPED);
  bm_file_list_set_model (self->file_list, self->model);
  add_recent_folder (self, bm_dataset_get_root (self->dataset));

  if (self->select_after_open != NULL)
    start = MAX (0, bm_dataset_find_image (self->dataset, self->select_after_open));
  g_clear_pointer (&self->select_after_open, g_free);

  if (bm_dataset_get_n_items (self->dataset) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("No images in %s"), bm_dataset_get_root (self->dataset));

      bm_canvas_set_message (self->canvas, message);
      update_everything (self);
      return;
    }
  bm_canvas_set_message (self->canvas, NULL);
  go_to (self, start);
}

/* Actions ------------------------------------------------------------------------------------ */

/* These two ask for states: bm_file_list_find_async() calls them only once a state is known. */
static gboolean
is_unverified (BmFileListModel *model,
               guint            index,
               gpointer         user_data)
{
  BmFileState state = bm_file_list_model_get_state (model, index);

  return state != BM_FILE_STATE_VERIFIED && state != BM_FILE_STATE_PROBLEM &&
         bm_dataset_get_item (bm_file_list_model_get_dataset (model), index)->image_path != NULL;
}

static gboolean
has_problem (BmFileListModel *model,
             guint            index,
             gpointer         user_data)
{
  return bm_file_list_model_get_state (model, index) == BM_FILE_STATE_PROBLEM;
}

static void
step (BmWindow *self,
      int       direction)
{
  int from = self->pending >= 0 ? self->pending : self->current;
  int index;

  stop_search (self);
  index = bm_file_list_find (self->file_list, from, direction, NULL, NULL);
  if (index < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  go_to (self, index);
}

typedef struct
{
  BmWindow *self;
  const char *none_message;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchData, search_data_free)

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SearchData) data = user_data;
  g_autoptr(GError) error = NULL;
  BmWindow *self = data->self;
  int index = bm_file_list_find_finish (BM_FILE_LIST (object), result, &error);

  if (error != NULL)
    return;   /* cancelled by a newer search, a move or closing the folder */

  g_clear_object (&self->search_cancellable);
  if (index >= 0)
    {
      set_search_message (self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      go_to (self, index);
      return;
    }
  gtk_widget_error_bell (GTK_WIDGET (self));
  set_search_message (self, data->none_message);
  self->search_message_source = g_timeout_add_seconds (4, clear_search_message_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* States not read yet are read in a worker thread: the window keeps drawing and taking keys,
 * and another move replaces the search. */
static void
search (BmWindow        *self,
        int              direction,
        BmFileListMatch  match,
        const char      *looking_message,
        const char      *none_message)
{
  int from = self->pending >= 0 ? self->pending : self->current;
  SearchData *data;

  if (self->model == NULL)
    return;
  stop_search (self);
  self->search_cancellable = g_cancellable_new ();
  data = g_new0 (SearchData, 1);
  data->self = g_object_ref (self);
  data->none_message = none_message;
  set_search_message (self, looking_message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  bm_file_list_find_async (self->file_list, from, direction, match, NULL, self->search_cancellable, found_cb, data);
}

static void
next_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step (BM_WINDOW (widget), 1);
}

static void
previous_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step (BM_WINDOW (widget), -1);
}

static void
next_unverified_action (GtkWidget *widget, const char *name, GVariant *param)
{
  search (BM_WINDOW (widget), 1, is_unverified, _("Looking for the next unverified image…"),
          _("No unverified image after this one"));
}

static void
previous_unverified_action (GtkWidget *widget, const char *name, GVariant *param)
{
  search (BM_WINDOW (widget), -1, is_unverified, _("Looking for the previous unverified image…"),
          _("No unverified image before this one"));
}

static void
next_problem_action (GtkWidget *widget, const char *name, GVariant *param)
{
  search (BM_WINDOW (widget), 1, has_problem, _("Looking for the next image with problems…"),
          _("No image with problems after this one"));
}

static void
previous_problem_action (GtkWidget *widget, const char *name, GVariant *param)
{
  search (BM_WINDOW (widget), -1, has_problem, _("Looking for the previous image with problems…"),
          _("No image with problems before this one"));
}

static void
first_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  int index = bm_file_list_find (self->file_list, -1, 1, NULL, NULL);

  if (index >= 0)
    go_to (self, index);
}

static void
last_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  int index = bm_file_list_find (self->file_list, -1, -1, NULL, NULL);

  if (index >= 0)
    go_to (self, index);
}

static void
go_to_action (GtkWidget *widget, const char *name, GVariant *param)
{
  go_to (BM_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
reload_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  int index = self->current;

  if (index < 0 || !save_if_dirty (self))
    return;
  bm_image_cache_clear (self->cache);
  go_to (self, index);
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);

  if (self->annotation != NULL && can_edit (self))
    save_labels (self);
}

static void
chooser_response_cb (BmWindow             *self,
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
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Open Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (self->dataset != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (bm_dataset_get_root (self->dataset));

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
open_recent_action (GtkWidget *widget, const char *name, GVariant *param)
{
  bm_window_open_path (BM_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
forward_to_canvas (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
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

/* Signal handlers ---------------------------------------------------------------------------- */

static void
file_activated_cb (BmWindow   *self,
                   guint       index,
                   BmFileList *list)
{
  if ((int) index != self->current || self->pending >= 0)
    go_to (self, index);
}

static void
show_labels_changed_cb (BmWindow   *self,
                        GParamSpec *pspec,
                        BmCanvas   *canvas)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

static void
zoom_changed_cb (BmWindow   *self,
                 GParamSpec *pspec,
                 BmCanvas   *canvas)
{
  update_status (self);
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

static GtkEditable *
focused_editable (BmWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    if (GTK_IS_EDITABLE (focus))
      return GTK_EDITABLE (focus);
  return NULL;
}

static gboolean
focus_is_text (BmWindow *self)
{
  return focused_editable (self) != NULL;
}

/* Space means "verified" wherever the focus is, except in text fields and on the canvas
 * (which tells a tap from Space + drag and then activates the same action). Runs before the
 * focused widget and the window's own bindings see the key. */
static gboolean
capture_key_cb (BmWindow              *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK);
  guint key = gdk_keyval_to_lower (keyval);
  GtkWidget *focus;

  /* GtkWindow binds Ctrl+Shift+D to the GTK Inspector before any subclass binding is seen. */
  if (mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) && (key == GDK_KEY_d || key == GDK_KEY_a))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), key == GDK_KEY_d ? "win.next-unverified" : "win.previous-unverified", NULL);
      return TRUE;
    }

  if (keyval != GDK_KEY_space || mods != 0)
    return FALSE;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus_is_text (self) || (focus != NULL && (focus == GTK_WIDGET (self->canvas))))
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toggle-verified", NULL);
  return TRUE;
}

static void
recent_folders_changed_cb (BmWindow  *self,
                           const char *key,
                           GSettings *settings)
{
  rebuild_recent_menu (self);
}

static void
close_dialog_response_cb (BmWindow  *self,
                          int        response,
                          GtkDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  self->dirty = FALSE;   /* the user chose to drop the change */
  /* Not from inside the dialog's response: closing frees the window the dialog belongs to. */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_later_cb, g_object_ref (self), g_object_unref);
}

/* The labels could not be saved: the user decides, nothing is dropped silently. */
static void
ask_before_closing (BmWindow *self)
{
  GtkWidget *dialog;
  GtkWidget *button;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("The labels of %s could not be saved"), current_name (self));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", self->save_error);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Keep Open"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Close Without Saving"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (close_dialog_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
bm_window_close_request (GtkWindow *window)
{
  BmWindow *self = BM_WINDOW (window);
  int width, height;

  if (!self->auto_save && self->dirty && self->annotation != NULL)
    {
      ask_to_save (self, CLOSE_AFTER_ASKING);
      return TRUE;
    }
  if (!save_if_dirty (self))
    {
      ask_before_closing (self);
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (bm_window_parent_class)->close_request (window);
}

static void
edited_cb (BmWindow *self)
{
  /* Undoing back to the saved state makes the image clean again, unless a save failed. */
  if (bm_edit_controller_get_dirty (self->edit))
    self->dirty = TRUE;
  else if (self->save_error == NULL)
    self->dirty = FALSE;
  update_everything (self);
}

static void
edit_error_cb (BmWindow   *self,
               const char *message)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  g_free (self->edit_error);
  self->edit_error = g_strdup (message);
  update_banner (self);
}

/* Pre-annotation ----------------------------------------------------------------------------- */

#define BATCH_PROGRESS_MS 100

typedef struct
{
  BmWindow *self;
  char *image_path;
  char *label;
  double iou;
} DetectData;

static void
detect_data_free (DetectData *data)
{
  g_object_unref (data->self);
  g_free (data->image_path);
  g_free (data->label);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DetectData, detect_data_free)

static void
show_preannotate_error (BmWindow *self, const char *message)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  g_free (self->edit_error);
  self->edit_error = g_strdup (message);
  update_banner (self);
}

static void
detect_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(DetectData) data = user_data;
  BmWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = bm_preannotate_detect_finish (result, &error);
  g_autoptr(GPtrArray) objects = NULL;

  if (self->detect_cancellable == NULL)   /* disposed */
    return;
  g_clear_object (&self->detect_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (found == NULL)
    {
      show_preannotate_error (self, error->message);
      return;
    }
  /* The user may have moved on while the detector ran. */
  if (!can_edit (self) || g_strcmp0 (current_image_path (self), data->image_path) != 0)
    return;
  objects = bm_preannotate_new_objects (self->annotation, found, data->label, data->iou);
  bm_editor_add_objects (bm_edit_controller_get_editor (self->edit), objects);
}

static void
preannotate_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  BmPreannotateSetup *setup;
  DetectData *data;

  if (!can_edit (self) || self->detect_cancellable != NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  setup = bm_preannotate_popover_get_setup (self->preannotate_popover);
  data = g_new0 (DetectData, 1);
  data->self = g_object_ref (self);
  data->image_path = g_strdup (current_image_path (self));
  data->label = g_strdup (setup->label);
  data->iou = setup->iou;
  self->detect_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  bm_preannotate_detect_async (setup, data->image_path, self->detect_cancellable, detect_done_cb, data);
}

static void
update_batch_progress (BmWindow *self)
{
  int done = g_atomic_int_get (&self->batch_summary->done);
  int total = self->batch_summary->total;
  g_autofree char *text = g_strdup_printf (_("Pre-annotating: %d of %d images"), done, total);

  gtk_progress_bar_set_fraction (self->batch_progress, total > 0 ? (double) done / total : 1.0);
  gtk_progress_bar_set_text (self->batch_progress, text);
}

static gboolean
batch_progress_cb (gpointer user_data)
{
  update_batch_progress (BM_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
batch_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(BmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BmPreannotateSummary *summary = self->batch_summary;

  if (self->batch_cancellable == NULL)   /* disposed */
    return;
  g_clear_object (&self->batch_cancellable);
  g_clear_handle_id (&self->batch_source, g_source_remove);
  if (!bm_preannotate_batch_finish (result, &error))
    text = g_strdup (error->message);
  else
    text = g_strdup_printf (_("Pre-annotated %d of %d images: %d boxes added to %d files, %d skipped, "
                              "%d save conflicts (left unchanged), %d failed%s%s"),
                            summary->done, summary->total, summary->added, summary->saved, summary->skipped,
                            summary->conflicts, summary->failed, summary->first_error != NULL ? " — " : "",
                            summary->first_error != NULL ? summary->first_error : "");
  gtk_progress_bar_set_fraction (self->batch_progress, summary->total > 0 ? (double) summary->done / summary->total : 1.0);
  gtk_progress_bar_set_text (self->batch_progress, text);
  gtk_button_set_label (self->batch_button, _("_Close"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  /* The batch wrote label files: the augmentation partners must see them. */
  if (self->augment_panel != NULL)
    bm_augment_panel_labels_rewritten (self->augment_panel);
  /* The batch may have written the current image's label file. */
  if (!self->dirty && self->current >= 0)
    go_to (self, self->current);
}

static void
preannotate_all_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  if (self->dataset == NULL || self->current < 0 || self->batch_cancellable != NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  /* The batch reads the label files, so this image's edits must be on disk first. */
  if (!save_if_dirty (self))
    return;
  items = g_ptr_array_new ();
  n = bm_dataset_get_n_items (self->dataset);
  for (guint i = (guint) self->current; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (self->dataset, i);

      if (item->image_path != NULL)
        g_ptr_array_add (items, (gpointer) item);
    }
  g_clear_pointer (&self->batch_summary, bm_preannotate_summary_unref);
  self->batch_summary = bm_preannotate_summary_new ();
  self->batch_cancellable = g_cancellable_new ();
  bm_preannotate_batch_async (bm_preannotate_popover_get_setup (self->preannotate_popover), items,
                              self->batch_summary, self->batch_cancellable, batch_done_cb, g_object_ref (self));
  gtk_button_set_label (self->batch_button, _("_Cancel"));
  update_batch_progress (self);
  gtk_revealer_set_reveal_child (self->batch_revealer, TRUE);
  self->batch_source = g_timeout_add (BATCH_PROGRESS_MS, batch_progress_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Cancel stops the batch after the image it is on; once it has finished, the bar is closed. */
static void
preannotate_cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  BmWindow *self = BM_WINDOW (widget);

  if (self->batch_cancellable != NULL)
    g_cancellable_cancel (self->batch_cancellable);
  else
    gtk_revealer_set_reveal_child (self->batch_revealer, FALSE);
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

  g_cancellable_cancel (self->open_cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_handle_id (&self->spinner_source, g_source_remove);
  g_cancellable_cancel (self->detect_cancellable);
  g_clear_object (&self->detect_cancellable);
  g_cancellable_cancel (self->batch_cancellable);
  g_clear_object (&self->batch_cancellable);
  g_clear_handle_id (&self->batch_source, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_handle_id (&self->search_message_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->augment_window != NULL)
    gtk_window_destroy (self->augment_window);
  self->augment_window = NULL;
  self->augment_panel = NULL;

  G_OBJECT_CLASS (bm_window_parent_class)->dispose (object);
}

static void
bm_window_finalize (GObject *object)
{
  BmWindow *self = BM_WINDOW (object);

  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->batch_summary, bm_preannotate_summary_unref);
  g_clear_object (&self->annotation);
  g_clear_object (&self->catalog);
  g_clear_object (&self->model);
  g_clear_object (&self->dataset);
  g_clear_object (&self->cache);
  g_clear_object (&self->settings);
  g_free (self->select_after_open);
  g_free (self->label_error);
  g_free (self->save_error);
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
      g_value_set_boolean (value, self->annotation != NULL && bm_annotation_get_verified (self->annotation));
      break;
    case PROP_CURRENT_INDEX:
      g_value_set_int (value, self->current);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, bm_window_is_busy (self));
      break;
    case PROP_AUTO_SAVE:
      g_value_set_boolean (value, self->auto_save);
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
      set_verified (self, g_value_get_boolean (value));
      break;
    case PROP_AUTO_SAVE:
      if (self->auto_save != g_value_get_boolean (value))
        {
          self->auto_save = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* (task, folder): "detect" or "obb", and the output folder ("" asks for one). */
static void
export_yolo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *task, *folder;

  g_variant_get (param, "(&s&s)", &task, &folder);
  bm_window_export_yolo (BM_WINDOW (widget), g_str_equal (task, "obb") ? BM_YOLO_OBB : BM_YOLO_DETECT, folder);
}

static void
add_binding (GtkWidgetClass  *widget_class,
             guint            keyval,
             GdkModifierType  mods,
             const char      *action)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, mods, action, NULL);
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

  gtk_widget_class_install_action (widget_class, "win.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "win.next-unverified", NULL, next_unverified_action);
  gtk_widget_class_install_action (widget_class, "win.previous-unverified", NULL, previous_unverified_action);
  gtk_widget_class_install_action (widget_class, "win.next-problem", NULL, next_problem_action);
  gtk_widget_class_install_action (widget_class, "win.previous-problem", NULL, previous_problem_action);
  gtk_widget_class_install_action (widget_class, "win.first", NULL, first_action);
  gtk_widget_class_install_action (widget_class, "win.last", NULL, last_action);
  gtk_widget_class_install_action (widget_class, "win.go-to", "u", go_to_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_property_action (widget_class, "win.toggle-verified", "verified");
  gtk_widget_class_install_property_action (widget_class, "win.show-file-list", "show-file-list");
  gtk_widget_class_install_property_action (widget_class, "win.show-side-panel", "show-side-panel");
  gtk_widget_class_install_property_action (widget_class, "win.auto-save", "auto-save");
  gtk_widget_class_install_property_action (widget_class, "win.show-labels", "show-labels");
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, forward_to_canvas);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, forward_to_canvas);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, forward_to_canvas);
  gtk_widget_class_install_action (widget_class, "win.zoom-one", NULL, forward_to_canvas);
  gtk_widget_class_install_action (widget_class, "win.next-object", NULL, forward_to_canvas);
  gtk_widget_class_install_action (widget_class, "win.previous-object", NULL, forward_to_canvas);
  gtk_widget_class_install_action (widget_class, "win.select-none", NULL, select_none_action);
  gtk_widget_class_install_action (widget_class, "win.focus-filter", NULL, focus_filter_action);
  gtk_widget_class_install_action (widget_class, "win.augment-preview", NULL, augment_preview_action);
  gtk_widget_class_install_action (widget_class, "win.preannotate", NULL, preannotate_action);
  gtk_widget_class_install_action (widget_class, "win.preannotate-all", NULL, preannotate_all_action);
  gtk_widget_class_install_action (widget_class, "win.preannotate-cancel", NULL, preannotate_cancel_action);
  gtk_widget_class_install_action (widget_class, "win.export-yolo", "(ss)", export_yolo_action);

  /* First, so that Escape reaches win.select-none when there is no drawing to cancel. */
  bm_edit_controller_install_actions (widget_class);

  add_binding (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-folder");
  add_binding (widget_class, GDK_KEY_d, 0, "win.next");
  add_binding (widget_class, GDK_KEY_Right, 0, "win.next");
  add_binding (widget_class, GDK_KEY_a, 0, "win.previous");
  add_binding (widget_class, GDK_KEY_Left, 0, "win.previous");
  add_binding (widget_class, GDK_KEY_Home, 0, "win.first");
  add_binding (widget_class, GDK_KEY_End, 0, "win.last");
  add_binding (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.next-unverified");
  add_binding (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.previous-unverified");
  add_binding (widget_class, GDK_KEY_p, 0, "win.next-problem");
  add_binding (widget_class, GDK_KEY_p, GDK_SHIFT_MASK, "win.previous-problem");
  add_binding (widget_class, GDK_KEY_F5, 0, "win.reload");
  add_binding (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save");
  add_binding (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.focus-filter");
  add_binding (widget_class, GDK_KEY_F9, 0, "win.show-file-list");
  /* F10 opens the main menu (GTK's key for a primary menu), so not F10 here. */
  add_binding (widget_class, GDK_KEY_F9, GDK_SHIFT_MASK, "win.show-side-panel");
  add_binding (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-labels");
  add_binding (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in");
  add_binding (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in");
  add_binding (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in");
  add_binding (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out");
  add_binding (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out");
  add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.zoom-fit");
  add_binding (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-one");
  add_binding (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-one");
  add_binding (widget_class, GDK_KEY_n, 0, "win.next-object");
  add_binding (widget_class, GDK_KEY_n, GDK_SHIFT_MASK, "win.previous-object");
  add_binding (widget_class, GDK_KEY_Escape, 0, "win.select-none");
  add_binding (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.augment-preview");
  add_binding (widget_class, GDK_KEY_i, 0, "win.preannotate");
  add_binding (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.preannotate-all");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-yolo", "(ss)", "detect", "");
}

static void
allow_outside_changed_cb (BmWindow *self)
{
  bm_edit_controller_set_allow_outside (self->edit, g_settings_get_boolean (self->settings, "allow-outside"));
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
  GtkEventController *controller;
  GtkDropTarget *drop;

  self->current = -1;
  self->pending = -1;
  self->show_file_list = TRUE;
  self->show_side_panel = TRUE;
  self->auto_save = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->preannotate_popover = BM_PREANNOTATE_POPOVER (bm_preannotate_popover_new ());
  gtk_menu_button_set_popover (self->preannotate_button, GTK_WIDGET (self->preannotate_popover));

  self->catalog = bm_class_catalog_new ();
  bm_class_colour_follow_catalog (self->catalog);   /* class i of the class order gets colour i */
  self->edit = bm_edit_controller_new (self->canvas);
  bm_edit_controller_set_catalog (self->edit, self->catalog);
  bm_edit_controller_set_action_widget (self->edit, GTK_WIDGET (self));
  g_signal_connect_object (self->edit, "edited", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->edit, "error", G_CALLBACK (edit_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bm_edit_controller_get_drawer (self->edit), "notify::mode", G_CALLBACK (update_status),
                           self, G_CONNECT_SWAPPED);

  self->cache = bm_image_cache_new (4);
  self->settings = g_settings_new ("io.github.boxmark.Boxmark");
  g_settings_bind (self->settings, "show-file-list", self, "show-file-list", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-side-panel", self, "show-side-panel", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "auto-save", self, "auto-save", G_SETTINGS_BIND_DEFAULT);
  add_settings_action (self, "auto-save");
  add_settings_action (self, "open-recursive");
  add_settings_action (self, "allow-outside");
  g_signal_connect_object (self->settings, "changed::allow-outside", G_CALLBACK (allow_outside_changed_cb),
                           self, G_CONNECT_SWAPPED);
  allow_outside_changed_cb (self);
  g_signal_connect_object (self->canvas, "notify::show-labels", G_CALLBACK (show_labels_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "show-labels", self, "show-labels", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::recent-folders", G_CALLBACK (recent_folders_changed_cb),
                           self, G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (capture_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_swapped (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  bm_canvas_set_message (self->canvas, _("Open a folder of images to start (Ctrl+O)"));
  update_everything (self);
}

BmWindow *
bm_window_new (GtkApplication *application)
{
  return g_object_new (BM_TYPE_WINDOW, "application", application, NULL);
}

void
bm_window_open_path (BmWindow   *self,
                     const char *path)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (BM_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (!save_if_dirty (self))
    return;

  g_clear_pointer (&self->open_error, g_free);
  g_clear_pointer (&self->select_after_open, g_free);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    self->select_after_open = g_canonicalize_filename (path, NULL);

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();
  self->opening = TRUE;
  start_spinner (self);
  bm_canvas_set_message (self->canvas, bm_canvas_get_image (self->canvas) ? NULL : _("Opening…"));
  update_banner (self);

  task = g_task_new (self, self->open_cancellable, opened_cb, NULL);
  g_task_set_source_tag (task, bm_window_open_path);
  data = g_new0 (OpenData, 1);
  data->path = g_canonicalize_filename (path, NULL);
  data->recursive = g_settings_get_boolean (self->settings, "open-recursive");
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_in_thread);
}

gboolean
bm_window_is_busy (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), FALSE);
  return self->opening || self->pending >= 0 || self->detect_cancellable != NULL || self->batch_cancellable != NULL ||
         self->search_cancellable != NULL || bm_window_is_exporting (self);
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
  return self->dataset;
}

int
bm_window_get_current_index (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), -1);
  return self->current;
}

BmAnnotation *
bm_window_get_annotation (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->annotation;
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
  return self->dirty;
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

BmEditController *
bm_window_get_edit_controller (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->edit;
}
