/* bm-dataset-export.c: bm_dataset_export — loads every label file once (on every core), then
 * hands the items to the writer of the target format.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "bm-dataset-export-private.h"
#include "bm-export-source.h"

static gboolean write_yolo (BmExportRun *run);

/* The writer of each target format. A new format (COCO, …) is a line here, its writer, and its
 * name in bm-export-target.c. */
static gboolean (*const writers[BM_EXPORT_N_TARGETS]) (BmExportRun *run) = {
  [BM_EXPORT_TARGET_VOC] = bm_export_labels_write,
  [BM_EXPORT_TARGET_DOTA] = bm_export_labels_write,
  [BM_EXPORT_TARGET_YOLO] = write_yolo,
  [BM_EXPORT_TARGET_YOLO_OBB] = write_yolo,
};

void
bm_dataset_export_options_init (BmDatasetExportOptions *options, BmExportTarget target)
{
  g_return_if_fail (options != NULL);

  *options = (BmDatasetExportOptions) { target, BM_FORMAT_NONE, NULL, -1, 0, FALSE, FALSE, BM_SHARD_ALL };
}

void
bm_dataset_export_result_free (BmDatasetExportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out_dir);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_clear_error (&result->error);
  bm_yolo_export_report_clear (&result->report);
  g_clear_pointer (&result->renamed_labels, g_hash_table_unref);
  g_free (result);
}

void
bm_dataset_export_add_problem (BmDatasetExportResult *result, const BmProblem *problem)
{
  g_ptr_array_add (result->problems, bm_problem_to_string (problem));
}

/* What is wrong with the label files themselves, in item order. */
static void
collect_load_problems (BmDatasetExportResult *result, GArray *sources)
{
  for (guint i = 0; i < sources->len; i++)
    {
      const BmExportSource *source = &g_array_index (sources, BmExportSource, i);

      if (source->error != NULL)
        g_ptr_array_add (result->problems, g_strdup (source->error->message));
      else if (source->annotation != NULL)
        {
          GPtrArray *problems = bm_annotation_get_problems (source->annotation);

          for (guint k = 0; k < problems->len; k++)
            bm_dataset_export_add_problem (result, problems->pdata[k]);
        }
      if (source->size_problem != NULL)
        bm_dataset_export_add_problem (result, source->size_problem);
      result->n_problems += bm_export_source_count_problems (source);
    }
}

static gboolean
write_yolo (BmExportRun *run)
{
  const BmDatasetExportOptions *options = run->options;
  BmDatasetExportResult *result = run->result;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  BmYoloExportOptions yolo = {
    options->target == BM_EXPORT_TARGET_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT, run->classes,
    options->val_fraction, options->seed, options->copy, options->clip, TRUE,
  };
  gboolean ok;

  for (guint i = 0; i < run->sources->len; i++)
    {
      const BmExportSource *source = &g_array_index (run->sources, BmExportSource, i);
      BmYoloExportItem *item = g_new0 (BmYoloExportItem, 1);

      item->image_path = source->item->image_path;
      item->annotation = source->annotation;
      item->split = source->item->split;
      item->elsewhere = !bm_shard_contains_item (&options->shard, run->dataset, source->item);
      g_ptr_array_add (items, item);
    }
  ok = bm_yolo_export (items, run->out_dir, &yolo, &result->report, problems, &result->error);
  for (guint i = 0; i < problems->len; i++)
    bm_dataset_export_add_problem (result, problems->pdata[i]);
  result->n_problems += problems->len;
  result->n_objects = result->report.n_objects;
  if (!ok)
    result->stopped_by_data = g_error_matches (result->error, BM_ERROR, BM_ERROR_NOT_FOUND);
  return ok;
}

BmDatasetExportResult *
bm_dataset_export (BmDataset *dataset, const char *out_dir, const BmDatasetExportOptions *options)
{
  g_autoptr(BmClassList) classes = NULL;
  BmDatasetExportResult *result;
  BmExportRun run;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (out_dir != NULL && options != NULL, NULL);
  g_return_val_if_fail (options->target < BM_EXPORT_N_TARGETS, NULL);

  result = g_new0 (BmDatasetExportResult, 1);
  result->target = options->target;
  result->out_dir = g_strdup (out_dir);
  result->seed = options->seed;
  result->problems = g_ptr_array_new_with_free_func (g_free);
  result->renamed_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* a class list that cannot be read stops a YOLO export before any label file is read */
  if (bm_export_target_is_yolo (options->target) && options->classes_file != NULL
      && (classes = bm_class_list_load (options->classes_file, &result->error)) == NULL)
    {
      result->stopped_by_data = result->error->code != BM_ERROR_NOT_FOUND && result->error->code != BM_ERROR_IO;
      return result;
    }

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->image_path == NULL)
        {
          g_autoptr(BmProblem) problem = bm_problem_new (item->label_path, 0, _("label file without an image"));

          bm_dataset_export_add_problem (result, problem);
          result->n_orphans++;
        }
    }
  result->n_problems += result->n_orphans;
  run = (BmExportRun) { dataset, NULL, out_dir, options, classes, result };
  run.sources = bm_export_sources_load (dataset, options->from, bm_export_target_is_yolo (options->target)
                                                                 ? BM_EXPORT_SOURCE_FOR_YOLO : BM_EXPORT_SOURCE_DEFAULT);
  collect_load_problems (result, run.sources);
  writers[options->target] (&run);
  bm_export_sources_free (run.sources);
  return result;
}

typedef struct
{
  BmDataset *dataset;
  char *out_dir;
  BmDatasetExportOptions options;
  char *classes_file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->dataset);
  g_free (job->out_dir);
  g_free (job->classes_file);
  g_free (job);
}

static void
export_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;

  g_task_return_pointer (task, bm_dataset_export (job->dataset, job->out_dir, &job->options),
                         (GDestroyNotify) bm_dataset_export_result_free);
}

void
bm_dataset_export_async (BmDataset *dataset, const char *out_dir, const BmDatasetExportOptions *options,
                         GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (BM_IS_DATASET (dataset));
  g_return_if_fail (out_dir != NULL && options != NULL);

  job = g_new0 (ExportJob, 1);
  job->dataset = g_object_ref (dataset);
  job->out_dir = g_strdup (out_dir);
  job->options = *options;
  job->classes_file = g_strdup (options->classes_file);
  job->options.classes_file = job->classes_file;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_dataset_export_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

BmDatasetExportResult *
bm_dataset_export_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
