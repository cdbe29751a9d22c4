/* bm-window-status.c: what the window says around the canvas — title, banner, status bar,
 * spinner.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-window-private.h"

#define MAX_BANNER_PROBLEMS  5
#define SPINNER_DELAY_MS     150

const char *
_bm_window_current_image_path (BmWindow *self)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  int current = bm_session_get_current_index (self->session);

  if (dataset == NULL || current < 0)
    return NULL;
  return bm_dataset_get_item (dataset, current)->image_path;
}

const char *
_bm_window_current_name (BmWindow *self)
{
  int current = bm_session_get_current_index (self->session);

  if (self->model == NULL || current < 0)
    return NULL;
  return bm_file_list_model_get_name (self->model, current);
}

void
_bm_window_update_title (BmWindow *self)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  int current = bm_session_get_current_index (self->session);
  const char *name = _bm_window_current_name (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (name == NULL)
    title = g_strdup ("Boxmark");
  else if (bm_session_get_dirty (self->session))
    title = g_strdup_printf ("• %s", name);
  else
    title = g_strdup (name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);

  if (dataset != NULL && self->model != NULL)
    {
      g_autofree char *folder = g_filename_display_basename (bm_dataset_get_root (dataset));

      guint n = bm_dataset_get_n_items (dataset);
      /* TRANSLATORS: how many images of the folder are verified, as far as read yet */
      g_autofree char *verified = g_strdup_printf (_("%u verified"), bm_file_list_model_count_verified (self->model));

      if (current >= 0)
        subtitle = g_strdup_printf ("%d / %u · %s — %s", current + 1, n, verified, folder);
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

void
_bm_window_update_banner (BmWindow *self)
{
  BmAnnotation *annotation = bm_session_get_annotation (self->session);
  const char *save_error = bm_session_get_save_error (self->session);
  const char *label_error = bm_session_get_label_error (self->session);
  g_autofree char *text = NULL;
  gboolean error = FALSE;

  if (self->open_error != NULL)
    {
      text = g_strdup (self->open_error);
      error = TRUE;
    }
  else if (save_error != NULL)
    {
      text = g_strdup_printf (_("The labels could not be saved (Ctrl+S tries again): %s"), save_error);
      error = TRUE;
    }
  else if (label_error != NULL)
    text = g_strdup_printf (_("This label file cannot be read. It is open read-only and will not be saved:\n%s"),
                            label_error);
  else if (annotation != NULL && bm_annotation_get_problems (annotation)->len > 0)
    text = problems_text (annotation);
  else if (annotation != NULL && bm_annotation_is_read_only (annotation))
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

/* A labelling operation failed: the bell, and the reason in the banner. */
void
_bm_window_show_error (BmWindow   *self,
                       const char *message)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  g_free (self->edit_error);
  self->edit_error = g_strdup (message);
  _bm_window_update_banner (self);
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

static char *
drawing_hint (BmWindow *self)
{
  static const char *const hints[] = {
    [BM_DRAW_BOX] = N_("Drawing a box: drag (Shift: a square), Esc cancels"),
    [BM_DRAW_ROTATED] = N_("Drawing a rotated box: drag, then turn it with z x c v or its handle"),
    [BM_DRAW_QUAD] = N_("Drawing a quadrilateral: click its four corners, Backspace takes one back"),
  };
  BmDrawMode mode;

  if (self->edit == NULL)
    return NULL;
  mode = bm_shape_drawer_get_mode (bm_edit_controller_get_drawer (self->edit));
  if (mode != BM_DRAW_NONE && mode < G_N_ELEMENTS (hints))
    return g_strdup (_(hints[mode]));
  return NULL;
}

void
_bm_window_update_status (BmWindow *self)
{
  BmTileImage *image = bm_canvas_get_image (self->canvas);
  BmAnnotation *annotation = bm_session_get_annotation (self->session);
  g_autofree char *zoom = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  /* While a folder is read, the file list is empty (a big folder's first image already shows). */
  if (bm_session_is_running (self->session, BM_SESSION_JOB_OPEN))
    add_status_part (parts, g_strdup (_("Reading the folder…")));
  if (self->search_message != NULL)
    add_status_part (parts, g_strdup (self->search_message));
  if (_bm_window_review_is_loading (self))
    add_status_part (parts, g_strdup (_("Comparing with the predictions…")));
  if (image != NULL)
    add_status_part (parts, g_strdup_printf ("%d × %d", bm_tile_image_get_width (image), bm_tile_image_get_height (image)));
  if (annotation != NULL)
    {
      guint n = bm_annotation_get_n_objects (annotation);

      add_status_part (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u object", "%u objects", n), n));
      if (bm_annotation_get_format (annotation) != BM_FORMAT_NONE)
        add_status_part (parts, g_ascii_strup (bm_format_to_string (bm_annotation_get_format (annotation)), -1));   /* VOC, DOTA, YOLO */
      if (!bm_session_get_can_edit (self->session))
        add_status_part (parts, g_strdup (_("read-only")));
      else if (bm_annotation_get_verified (annotation))
        add_status_part (parts, g_strdup (_("verified")));
    }
  add_status_part (parts, drawing_hint (self));
  g_ptr_array_add (parts, NULL);
  text = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_text (self->status_label, text);

  zoom = image ? g_strdup_printf ("%.0f %%", bm_canvas_get_zoom (self->canvas) * 100) : g_strdup ("");
  gtk_label_set_text (self->zoom_label, zoom);
}

void
_bm_window_update_everything (BmWindow *self)
{
  if (self->edit == NULL)
    return;   /* disposed: the session may still finish an export */
  _bm_window_update_title (self);
  _bm_window_update_banner (self);
  _bm_window_update_status (self);
  _bm_window_update_actions (self);
}

void
_bm_window_stop_spinner (BmWindow *self)
{
  g_clear_handle_id (&self->spinner_source, g_source_remove);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
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

/* Shown only when the work takes long enough to be noticed. */
void
_bm_window_start_spinner (BmWindow *self)
{
  _bm_window_stop_spinner (self);
  self->spinner_source = g_timeout_add (SPINNER_DELAY_MS, show_spinner_cb, self);
}
