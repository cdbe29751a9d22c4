/* bm-window-folder.c: opening a folder (recent folders, its classes, the file list) and showing
 * one of its images with its labels.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "dataset/bm-dataset-root.h"
#include "formats/bm-label-io.h"
#include "bm-window-private.h"

#define MAX_RECENT_FOLDERS 10

/* Showing one image ------------------------------------------------------------------------- */

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

/* The item being decoded; the session is busy loading while there is one. */
void
_bm_window_set_pending (BmWindow *self,
                        int       index)
{
  self->pending = index;
  if (index >= 0)
    bm_session_begin_job (self->session, BM_SESSION_JOB_LOAD);   /* cancels the load it replaces */
  else
    bm_session_end_job (self->session, BM_SESSION_JOB_LOAD);
}

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
  BmDataset *dataset = bm_session_get_dataset (self->session);
  int current = bm_session_get_current_index (self->session);
  int steps[] = { 1, -1 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      int index = bm_file_list_find (self->file_list, current, steps[i], is_neighbour_candidate, NULL);

      if (index >= 0)
        bm_image_cache_prefetch (self->cache, bm_dataset_get_item (dataset, index)->image_path);
    }
}

static void
check_size (BmWindow     *self,
            BmAnnotation *annotation,
            BmTileImage  *image)
{
  int aw = bm_annotation_get_width (annotation);
  int ah = bm_annotation_get_height (annotation);
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

static GtkEditable *
focused_editable (BmWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    if (GTK_IS_EDITABLE (focus))
      return GTK_EDITABLE (focus);
  return NULL;
}

/* Review keys must reach the window, not the empty filter entry that GTK focuses first;
 * focus in the file list stays there so arrow keys keep working. */
void
_bm_window_focus_canvas_if_idle (BmWindow *self)
{
  GtkEditable *editable = focused_editable (self);

  if (gtk_root_get_focus (GTK_ROOT (self)) == NULL ||
      (editable != NULL && gtk_editable_get_text (editable)[0] == '\0'))
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
show_item (BmWindow     *self,
           guint         index,
           BmTileImage  *image,
           const GError *image_error)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  const BmDatasetItem *item = bm_dataset_get_item (dataset, index);
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autofree char *label_error = NULL;
  g_autofree char *message = NULL;

  g_clear_pointer (&self->size_warning, g_free);
  g_clear_pointer (&self->edit_error, g_free);

  annotation = bm_session_load_labels (dataset, index, &label_error);
  if (image_error != NULL)
    message = g_strdup_printf (_("Cannot show this image: %s"), image_error->message);
  else if (item->image_path == NULL)
    message = g_strdup_printf (_("The image of %s is missing"), item->label_path);

  /* Labels are edited only where the image can be seen. */
  bm_session_set_item (self->session, index, annotation, image != NULL, label_error);
  _bm_window_set_pending (self, -1);
  if (image != NULL)
    check_size (self, annotation, image);

  bm_canvas_set_content (self->canvas, image, annotation);
  bm_edit_controller_set_editor (self->edit, bm_session_get_editor (self->session));
  bm_canvas_set_message (self->canvas, message);
  bm_file_list_model_update (self->model, index, annotation);
  bm_object_panel_set_annotation (self->object_panel, annotation);
  _bm_window_update_augment_source (self);
  _bm_window_stop_spinner (self);
  _bm_window_update_everything (self);
  _bm_window_notify_verified (self);
  _bm_window_notify_current_index (self);
  _bm_window_focus_canvas_if_idle (self);

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
      bm_session_get_dataset (self->session) == NULL)
    return;
  show_item (self, data->index, image, error);
}

void
_bm_window_go_to (BmWindow *self,
                  int       index)
{
  BmDataset *dataset = bm_session_get_dataset (self->session);
  const BmDatasetItem *item;
  GCancellable *cancellable;
  LoadData *data;

  if (dataset == NULL || index < 0 || index >= (int) bm_dataset_get_n_items (dataset))
    return;
  _bm_window_stop_search (self);
  if (!_bm_window_leave (self, index))
    return;
  g_clear_pointer (&self->open_error, g_free);   /* seen; the user moved on */

  _bm_window_set_pending (self, index);
  cancellable = bm_session_get_job_cancellable (self->session, BM_SESSION_JOB_LOAD);
  bm_file_list_select_index (self->file_list, index);
  _bm_window_update_actions (self);   /* the review keys work before the first image of a folder is decoded */

  item = bm_dataset_get_item (dataset, index);
  if (item->image_path == NULL)
    {
      show_item (self, index, NULL, NULL);
      return;
    }
  /* the image shown while the folder was being read is not decoded a second time */
  if (self->first_image != NULL && g_strcmp0 (item->image_path, self->first_path) == 0)
    {
      g_autoptr(BmTileImage) image = g_steal_pointer (&self->first_image);

      g_clear_pointer (&self->first_path, g_free);
      show_item (self, index, image, NULL);
      return;
    }
  g_clear_object (&self->first_image);
  g_clear_pointer (&self->first_path, g_free);

  _bm_window_start_spinner (self);
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->index = index;
  bm_image_cache_load_async (self->cache, item->image_path, cancellable, image_loaded_cb, data);
}

/* F5: the image and its labels as they are on disk now. */
void
_bm_window_reload (BmWindow *self)
{
  int index = bm_session_get_current_index (self->session);

  if (index < 0 || !_bm_window_save_if_dirty (self))
    return;
  bm_image_cache_clear (self->cache);
  _bm_window_go_to (self, index);
}

/* Recent folders ----------------------------------------------------------------------------- */

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

/* Opening a folder --------------------------------------------------------------------------- */

typedef struct
{
  char *path;
  gboolean recursive;
  int index;            /* an image given instead of a folder: its item, once opened */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data);
}

/* The first image of a folder, shown while the rest of it is still being sorted and paired
 * (a million names take seconds; the first in natural order is known after one pass). */
typedef struct
{
  BmWindow *self;
  GCancellable *cancellable;
  char *root;
  char *class_file;   /* the dataset's, as load_classes will load it; NULL: the root's */
  char *image_path;
  BmAnnotation *annotation;
} FirstData;

static void
first_data_free (FirstData *first)
{
  g_object_unref (first->self);
  g_clear_object (&first->cancellable);
  g_free (first->root);
  g_free (first->class_file);
  g_free (first->image_path);
  g_clear_object (&first->annotation);
  g_free (first);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FirstData, first_data_free)

/* This open is the one under way: a later open replaces its job, and its end clears it. */
static gboolean
still_opening (FirstData *first)
{
  return !g_cancellable_is_cancelled (first->cancellable)
         && bm_session_get_job_cancellable (first->self->session, BM_SESSION_JOB_OPEN) == first->cancellable;
}

static void
first_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FirstData) first = user_data;
  g_autoptr(BmTileImage) image = bm_image_cache_load_finish (BM_IMAGE_CACHE (object), result, NULL);
  BmWindow *self = first->self;

  if (image == NULL || !still_opening (first))
    return;
  /* the folder open until now is left here, as opening the new one would leave it: saved
   * (edits made while this one was being read included), or kept when it cannot be */
  if (bm_session_get_dataset (self->session) != NULL)
    {
      if (!_bm_window_save_if_dirty (self))
        return;
      _bm_window_clear_folder (self);
      _bm_window_update_everything (self);
    }
  /* seen, not edited: editing starts once the folder is open and this is its first item */
  bm_annotation_set_read_only (first->annotation, TRUE);
  /* in the colours they keep once the folder is open: its class file's order (the one
   * load_classes picks: data.yaml before classes.txt, coco8.yaml too), then these */
  if (first->class_file != NULL)
    bm_class_catalog_load_file (self->catalog, first->class_file, NULL);
  else
    bm_class_catalog_load_folder (self->catalog, first->root, NULL);
  bm_class_catalog_add_found_in (self->catalog, first->annotation);
  bm_canvas_set_content (self->canvas, image, first->annotation);
  bm_canvas_set_message (self->canvas, NULL);
  g_set_object (&self->first_image, image);
  g_free (self->first_path);
  self->first_path = g_strdup (first->image_path);
  _bm_window_update_status (self);
}

static gboolean
show_first_cb (gpointer user_data)
{
  FirstData *first = user_data;

  if (still_opening (first))
    bm_image_cache_load_async (first->self->cache, first->image_path, first->cancellable, first_loaded_cb, first);
  else
    first_data_free (first);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  BmWindow *self;
  GCancellable *cancellable;
  const char *root;
} OpenThread;

/* In the opening thread: the first item's labels are read here, its image on the main thread. */
static void
first_found (const BmDatasetItem *item,
             const char          *class_file,
             gpointer             user_data)
{
  OpenThread *thread = user_data;
  FirstData *first = g_new0 (FirstData, 1);
  BmDatasetItem copy = *item;
  g_autoptr(GError) error = NULL;

  first->self = g_object_ref (thread->self);
  first->cancellable = thread->cancellable ? g_object_ref (thread->cancellable) : g_cancellable_new ();
  first->root = g_strdup (thread->root);
  first->class_file = g_strdup (class_file);
  first->image_path = g_strdup (item->image_path);
  first->annotation = bm_label_load (&copy, &error);
  if (first->annotation == NULL)
    first->annotation = bm_annotation_new ();
  g_main_context_invoke (NULL, show_first_cb, first);
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
  OpenThread thread = { source_object, cancellable, data->path };

  /* An image opens inside the dataset it belongs to (its labels, its label folder). */
  data->index = -1;
  if (g_file_test (data->path, G_FILE_TEST_IS_DIR))
    dataset = bm_dataset_open_with_first (data->path, data->recursive, first_found, &thread, &error);
  else
    dataset = bm_dataset_open_for_image (data->path, data->recursive, &data->index, &error);
  if (dataset == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dataset, g_object_unref);
}

void
_bm_window_clear_folder (BmWindow *self)
{
  _bm_window_stop_search (self);
  bm_session_cancel_job (self->session, BM_SESSION_JOB_LOAD);
  _bm_window_set_pending (self, -1);
  bm_file_list_set_model (self->file_list, NULL);
  bm_canvas_set_content (self->canvas, NULL, NULL);
  bm_object_panel_set_annotation (self->object_panel, NULL);
  bm_object_panel_set_folder_counts (self->object_panel, NULL);
  bm_image_cache_clear (self->cache);
  g_clear_object (&self->model);
  bm_session_set_dataset (self->session, NULL);
  g_clear_pointer (&self->size_warning, g_free);
}

void
_bm_window_update_folder_counts (BmWindow *self)
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
  _bm_window_update_title (self);
  /* Counting is cheap, but the rows need not change ten times a second while scanning. */
  if (bm_file_list_model_is_scanned (model))
    {
      _bm_window_update_folder_counts (self);
      offer_labels_found (self, model);
    }
}

/* The classes offered when labelling: the folder's class file, then labels met in its files. */
static void
load_classes (BmWindow  *self,
              BmDataset *dataset)
{
  const char *class_file = bm_dataset_get_class_file (dataset);
  g_autoptr(GError) error = NULL;

  if (class_file != NULL)
    bm_class_catalog_load_file (self->catalog, class_file, &error);
  else
    bm_class_catalog_load_folder (self->catalog, bm_dataset_get_root (dataset), &error);
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
  bm_session_end_job (self->session, BM_SESSION_JOB_OPEN);
  _bm_window_stop_spinner (self);

  if (dataset == NULL)
    {
      /* no folder is open: what the canvas shows is an earlier open's first image */
      if (bm_session_get_dataset (self->session) == NULL)
        bm_canvas_set_content (self->canvas, NULL, NULL);
      g_clear_object (&self->first_image);
      g_clear_pointer (&self->first_path, g_free);
      self->open_error = g_strdup_printf (_("Cannot open %s: %s"), path, error->message);
      bm_canvas_set_message (self->canvas, _("Open a folder of images to start (Ctrl+O)"));
      _bm_window_update_everything (self);
      return;
    }

  /* edits made to the folder open until now while this one was being read: saved before it is
   * left, and when they cannot be (the save error is shown), it is not left */
  if (!_bm_window_save_if_dirty (self))
    {
      _bm_window_update_everything (self);
      return;
    }
  _bm_window_clear_folder (self);
  load_classes (self, dataset);
  bm_session_set_dataset (self->session, dataset);
  _bm_window_review_folder_changed (self);
  self->model = bm_file_list_model_new (dataset);
  g_signal_connect_object (self->model, "summaries-changed", G_CALLBACK (summaries_changed_cb), self,
                           G_CONNECT_SWAPPED);
  bm_file_list_set_model (self->file_list, self->model);
  add_recent_folder (self, bm_dataset_get_root (dataset));

  if (self->select_after_open != NULL)
    start = MAX (0, data->index >= 0 ? data->index : bm_dataset_find_image (dataset, self->select_after_open));
  g_clear_pointer (&self->select_after_open, g_free);

  if (bm_dataset_get_n_items (dataset) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("No images in %s"), bm_dataset_get_root (dataset));

      bm_canvas_set_message (self->canvas, message);
      _bm_window_update_everything (self);
      return;
    }
  bm_canvas_set_message (self->canvas, NULL);
  _bm_window_go_to (self, start);
}

void
bm_window_open_path (BmWindow   *self,
                     const char *path)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  OpenData *data;

  g_return_if_fail (BM_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (!_bm_window_save_if_dirty (self))
    return;

  g_clear_pointer (&self->open_error, g_free);
  g_clear_pointer (&self->select_after_open, g_free);
  g_clear_object (&self->first_image);
  g_clear_pointer (&self->first_path, g_free);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    self->select_after_open = g_canonicalize_filename (path, NULL);

  cancellable = bm_session_begin_job (self->session, BM_SESSION_JOB_OPEN);
  _bm_window_start_spinner (self);
  _bm_window_update_status (self);
  bm_canvas_set_message (self->canvas, bm_canvas_get_image (self->canvas) ? NULL : _("Opening…"));
  _bm_window_update_banner (self);

  task = g_task_new (self, cancellable, opened_cb, NULL);
  g_task_set_source_tag (task, bm_window_open_path);
  data = g_new0 (OpenData, 1);
  data->path = g_canonicalize_filename (path, NULL);
  data->recursive = g_settings_get_boolean (self->settings, "open-recursive");
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_in_thread);
}

static void
recent_folders_changed_cb (BmWindow   *self,
                           const char *key,
                           GSettings  *settings)
{
  rebuild_recent_menu (self);
}

void
_bm_window_folder_init (BmWindow *self)
{
  g_signal_connect_object (self->settings, "changed::recent-folders", G_CALLBACK (recent_folders_changed_cb),
                           self, G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);
}
