/* bm-preannotate-run.c: pre-annotation runs in worker threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-cascade-names.h"
#include "core/bm-error.h"
#include "core/bm-image.h"
#include "core/bm-preannotate.h"
#include "formats/bm-label-io.h"
#include "bm-model-detect.h"
#include "bm-preannotate-run.h"

void
bm_preannotate_setup_free (BmPreannotateSetup *setup)
{
  if (setup == NULL)
    return;
  g_free (setup->cascade_path);
  g_free (setup->label);
  g_clear_pointer (&setup->model, bm_onnx_model_unref);
  g_clear_pointer (&setup->labels, g_ptr_array_unref);
  g_free (setup);
}

BmPreannotateSetup *
bm_preannotate_setup_copy (const BmPreannotateSetup *setup)
{
  BmPreannotateSetup *copy;

  g_return_val_if_fail (setup != NULL, NULL);

  copy = g_memdup2 (setup, sizeof *setup);
  copy->cascade_path = g_strdup (setup->cascade_path);
  copy->label = g_strdup (setup->label);
  if (setup->model != NULL)
    copy->model = bm_onnx_model_ref (setup->model);
  if (setup->labels != NULL)
    {
      copy->labels = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < setup->labels->len; i++)
        g_ptr_array_add (copy->labels, g_strdup (g_ptr_array_index (setup->labels, i)));
    }
  return copy;
}

/* One image ---------------------------------------------------------------------------------- */

static void
detect_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  BmPreannotateSetup *setup = task_data;
  const char *image_path = g_object_get_data (G_OBJECT (task), "image-path");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) cascade = NULL;
  g_autoptr(BmImage) image = NULL;

  if (setup->model != NULL)
    {
      GArray *found = NULL;

      image = bm_image_load (image_path, &error);
      if (image != NULL)
        found = bm_onnx_model_detect (setup->model, image, &setup->yolo, &error);
      if (found == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, found, (GDestroyNotify) g_array_unref);
      return;
    }
  cascade = bm_cascade_names_load (setup->cascade_path, &error);
  if (cascade == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  image = bm_image_load (image_path, &error);
  if (image == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, bm_detector_detect (cascade, image, &setup->params), (GDestroyNotify) g_array_unref);
}

void
bm_preannotate_detect_async (BmPreannotateSetup *setup, const char *image_path, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, bm_preannotate_detect_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_object_set_data_full (G_OBJECT (task), "image-path", g_strdup (image_path), g_free);
  g_task_set_task_data (task, setup, (GDestroyNotify) bm_preannotate_setup_free);
  g_task_run_in_thread (task, detect_in_thread);
}

GArray *
bm_preannotate_detect_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
bm_preannotate_setup_new_objects (const BmPreannotateSetup *setup, BmAnnotation *annotation, GArray *found)
{
  g_autoptr(GPtrArray) identity = NULL;

  g_return_val_if_fail (setup != NULL && found != NULL, NULL);

  if (setup->model == NULL)
    return bm_preannotate_new_objects (annotation, found, setup->label, setup->iou);
  if (setup->labels == NULL)
    identity = bm_model_class_map_new_identity (bm_onnx_model_get_names (setup->model));
  return bm_model_detect_new_objects (annotation, found, bm_onnx_model_get_task (setup->model),
                                      setup->labels != NULL ? setup->labels : identity,
                                      bm_annotation_get_format (annotation), setup->iou);
}

/* A batch ------------------------------------------------------------------------------------ */

BmPreannotateSummary *
bm_preannotate_summary_new (void)
{
  return g_atomic_rc_box_new0 (BmPreannotateSummary);
}

BmPreannotateSummary *
bm_preannotate_summary_ref (BmPreannotateSummary *summary)
{
  return g_atomic_rc_box_acquire (summary);
}

static void
summary_clear (gpointer data)
{
  BmPreannotateSummary *summary = data;

  g_free (summary->first_error);
}

void
bm_preannotate_summary_unref (BmPreannotateSummary *summary)
{
  g_atomic_rc_box_release_full (summary, summary_clear);
}

GPtrArray *
bm_preannotate_batch_items (BmDataset *dataset, guint from)
{
  GPtrArray *items = g_ptr_array_new ();
  guint n;

  g_return_val_if_fail (BM_IS_DATASET (dataset), items);

  n = bm_dataset_get_n_items (dataset);
  for (guint i = from; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->image_path != NULL)
        g_ptr_array_add (items, (gpointer) item);
    }
  return items;
}

char *
bm_preannotate_summary_progress (BmPreannotateSummary *summary)
{
  g_return_val_if_fail (summary != NULL, NULL);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Pre-annotating: %d of %d image", "Pre-annotating: %d of %d images", summary->total),
                          g_atomic_int_get (&summary->done), summary->total);
}

char *
bm_preannotate_summary_to_string (BmPreannotateSummary *summary)
{
  g_return_val_if_fail (summary != NULL, NULL);
  return g_strdup_printf (_("Pre-annotated %d of %d images: %d boxes added to %d files, %d skipped, "
                            "%d save conflicts (left unchanged), %d failed%s%s"),
                          summary->done, summary->total, summary->added, summary->saved, summary->skipped,
                          summary->conflicts, summary->failed, summary->first_error != NULL ? " — " : "",
                          summary->first_error != NULL ? summary->first_error : "");
}

typedef struct
{
  BmPreannotateSetup *setup;
  GPtrArray *items;   /* BmDatasetItem * */
  BmPreannotateSummary *summary;
} BatchData;

static void
item_free (gpointer data)
{
  BmDatasetItem *item = data;

  g_free (item->image_path);
  g_free (item->label_path);
  g_free (item->split);
  g_free (item);
}

static void
batch_data_free (BatchData *data)
{
  bm_preannotate_setup_free (data->setup);
  g_ptr_array_unref (data->items);
  bm_preannotate_summary_unref (data->summary);
  g_free (data);
}

static void
note_error (BmPreannotateSummary *summary, int *count, const GError *error)
{
  (*count)++;
  if (summary->first_error == NULL && error != NULL)
    summary->first_error = g_strdup (error->message);
}

BmAnnotation *
bm_preannotate_open_labels (const BmDatasetItem *item, GError **error)
{
  g_autoptr(BmAnnotation) annotation = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  annotation = bm_label_load (item, error);
  if (annotation != NULL && bm_annotation_is_read_only (annotation))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s: the label file has problems (see boxmark-cli validate); left unchanged"), item->label_path);
      return NULL;
    }
  return g_steal_pointer (&annotation);
}

/* Adds the new pre-annotations to @annotation; how many. */
static int
add_detections (BmAnnotation *annotation, const BmImage *image, GArray *found, const char *label, double iou)
{
  g_autoptr(GPtrArray) objects = NULL;

  if (bm_annotation_get_width (annotation) <= 0)
    bm_annotation_set_size (annotation, image->width, image->height, image->channels >= 3 ? 3 : 1);
  objects = bm_preannotate_new_objects (annotation, found, label, iou);
  for (guint i = 0; i < objects->len; i++)
    bm_annotation_add_object (annotation, g_ptr_array_index (objects, i));
  return (int) objects->len;
}

typedef struct
{
  const BmImage *image;
  GArray *found;
  const char *label;
  double iou;
} WriteItem;

static int
update_cb (BmAnnotation *annotation, gpointer user_data, GError **error)
{
  const WriteItem *write = user_data;

  return add_detections (annotation, write->image, write->found, write->label, write->iou);
}

int
bm_preannotate_write_item (const BmDatasetItem *item, const BmImage *image, GArray *found, const char *label,
                           double iou, char **notice, GError **error)
{
  WriteItem write = { image, found, label, iou };
  GError *local_error = NULL;
  int added;

  g_return_val_if_fail (item != NULL && image != NULL && found != NULL && label != NULL, -1);

  added = bm_label_update (item, update_cb, &write, notice, &local_error);
  if (added < 0 && g_error_matches (local_error, BM_ERROR, BM_ERROR_READ_ONLY))
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s: the label file has problems (see boxmark-cli validate); left unchanged"), item->label_path);
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return added;
}

static void
preannotate_item (const BmPreannotateSetup *setup, const BmCascade *cascade, BmDatasetItem *item,
                  BmPreannotateSummary *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmImage) image = NULL;
  g_autoptr(GArray) found = NULL;
  int added;

  /* The dataset was scanned earlier: the window may have saved a first label file since. */
  item->has_label = g_file_test (item->label_path, G_FILE_TEST_EXISTS);
  annotation = bm_preannotate_open_labels (item, &error);
  if (annotation == NULL)
    {
      summary->skipped++;
      return;
    }
  image = bm_image_load (item->image_path, &error);
  if (image == NULL)
    {
      note_error (summary, &summary->skipped, error);
      return;
    }
  found = bm_detector_detect (cascade, image, &setup->params);
  /* The labels read above only said whether the file can take pre-annotations (before the image
   * is read and searched); the detections are added to the file as it is now, with the folder's
   * lock held from reading to the rename, so that a save from the window or a `detect --write`
   * meanwhile is neither lost nor lost to. */
  g_clear_object (&annotation);
  added = bm_preannotate_write_item (item, image, found, setup->label, setup->iou, NULL, &error);
  if (added < 0)
    note_error (summary,
                g_error_matches (error, BM_ERROR, BM_ERROR_CONFLICT) ? &summary->conflicts
                : g_error_matches (error, BM_ERROR, BM_ERROR_READ_ONLY) ? &summary->skipped
                : &summary->failed,
                error);
  else if (added > 0)
    {
      summary->saved++;
      summary->added += added;
    }
}

static gboolean
count_done (const BmModelDetectResult *result, gpointer user_data)
{
  BmPreannotateSummary *summary = user_data;

  g_atomic_int_inc (&summary->done);
  return TRUE;
}

/* A model: on every core, each image handed back in order counted as done. */
static void
batch_model (BatchData *data, GCancellable *cancellable)
{
  BmPreannotateSummary *summary = data->summary;
  BmModelDetectSummary counts = { 0 };
  BmModelDetectSetup setup;

  bm_model_detect_setup_init (&setup, data->setup->model);
  setup.params = data->setup->yolo;
  setup.labels = data->setup->labels;
  setup.skip_iou = data->setup->iou;
  setup.write = TRUE;
  bm_model_detect_run (&setup, data->items, count_done, summary, cancellable, &counts);
  summary->added = counts.added;
  summary->saved = counts.saved;
  summary->skipped = counts.skipped;
  summary->conflicts = counts.conflicts;
  summary->failed = counts.failed;
  summary->first_error = g_steal_pointer (&counts.first_error);
  bm_model_detect_summary_clear (&counts);
}

static void
batch_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  BatchData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) cascade = NULL;

  if (data->setup->model != NULL)
    {
      batch_model (data, cancellable);
      g_task_return_boolean (task, TRUE);
      return;
    }
  cascade = bm_cascade_names_load (data->setup->cascade_path, &error);
  if (cascade == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < data->items->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      preannotate_item (data->setup, cascade, g_ptr_array_index (data->items, i), data->summary);
      g_atomic_int_inc (&data->summary->done);
    }
  g_task_return_boolean (task, TRUE);
}

void
bm_preannotate_batch_async (BmPreannotateSetup *setup, GPtrArray *items, BmPreannotateSummary *summary,
                            GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  BatchData *data = g_new0 (BatchData, 1);

  data->setup = setup;
  data->items = g_ptr_array_new_with_free_func (item_free);
  for (guint i = 0; i < items->len; i++)
    {
      const BmDatasetItem *item = g_ptr_array_index (items, i);
      BmDatasetItem *copy = g_new0 (BmDatasetItem, 1);

      *copy = *item;
      copy->image_path = g_strdup (item->image_path);
      copy->label_path = g_strdup (item->label_path);
      copy->split = g_strdup (item->split);
      g_ptr_array_add (data->items, copy);
    }
  data->summary = bm_preannotate_summary_ref (summary);
  summary->total = (int) items->len;
  g_task_set_source_tag (task, bm_preannotate_batch_async);
  /* Cancelling only stops the loop: the task returns once the current image is saved. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);
  g_task_run_in_thread (task, batch_in_thread);
}

gboolean
bm_preannotate_batch_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
