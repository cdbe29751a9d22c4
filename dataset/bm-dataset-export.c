/* bm-dataset-export.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "formats/bm-class-list.h"
#include "bm-dataset-export.h"
#include "bm-export-source.h"

typedef struct
{
  BmDataset *dataset;
  char *out_dir;
  BmYoloTask task;
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

void
bm_dataset_export_result_free (BmDatasetExportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out_dir);
  bm_yolo_export_report_clear (&result->report);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static void
add_problem (BmDatasetExportResult *result, const BmProblem *problem)
{
  g_ptr_array_add (result->problems, bm_problem_to_string (problem));
}

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
            add_problem (result, problems->pdata[k]);
        }
      if (source->size_problem != NULL)
        add_problem (result, source->size_problem);
      result->n_load_problems += bm_export_source_count_problems (source);
    }
}

BmDatasetExportResult *
bm_dataset_export_yolo (BmDataset *dataset, const char *out_dir, BmYoloTask task,
                        const char *classes_file, GError **error)
{
  g_autoptr(BmDatasetExportResult) result = g_new0 (BmDatasetExportResult, 1);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) export_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(BmClassList) classes = NULL;
  BmYoloExportOptions options = { task, NULL, -1, 0, FALSE, FALSE, TRUE };
  GArray *sources;
  gboolean ok;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (out_dir != NULL, NULL);

  if (classes_file == NULL)
    classes_file = bm_dataset_get_class_file (dataset);
  if (classes_file != NULL && (classes = bm_class_list_load (classes_file, error)) == NULL)
    return NULL;
  options.classes = classes;
  result->out_dir = g_strdup (out_dir);
  result->problems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->image_path == NULL)
        {
          g_autoptr(BmProblem) problem = bm_problem_new (item->label_path, 0, _("label file without an image"));

          add_problem (result, problem);
          result->n_orphans++;
        }
    }
  sources = bm_export_sources_load (dataset, BM_FORMAT_NONE, BM_EXPORT_SOURCE_FOR_YOLO);
  collect_load_problems (result, sources);
  for (guint i = 0; i < sources->len; i++)
    {
      const BmExportSource *source = &g_array_index (sources, BmExportSource, i);
      BmYoloExportItem *item = g_new0 (BmYoloExportItem, 1);

      item->image_path = source->item->image_path;
      item->annotation = source->annotation;
      item->split = source->item->split;
      g_ptr_array_add (items, item);
    }
  ok = bm_yolo_export (items, out_dir, &options, &result->report, export_problems, error);
  for (guint i = 0; i < export_problems->len; i++)
    add_problem (result, export_problems->pdata[i]);
  bm_export_sources_free (sources);
  if (!ok)
    return NULL;
  return g_steal_pointer (&result);
}

static void
export_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  BmDatasetExportResult *result;

  result = bm_dataset_export_yolo (job->dataset, job->out_dir, job->task, job->classes_file, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) bm_dataset_export_result_free);
}

void
bm_dataset_export_yolo_async (BmDataset *dataset, const char *out_dir, BmYoloTask task,
                              const char *classes_file, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) gtask = NULL;
  ExportJob *job;

  g_return_if_fail (BM_IS_DATASET (dataset));
  g_return_if_fail (out_dir != NULL);

  job = g_new0 (ExportJob, 1);
  job->dataset = g_object_ref (dataset);
  job->out_dir = g_strdup (out_dir);
  job->task = task;
  job->classes_file = g_strdup (classes_file);
  gtask = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, bm_dataset_export_yolo_async);
  g_task_set_task_data (gtask, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (gtask, export_thread);
}

BmDatasetExportResult *
bm_dataset_export_yolo_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
bm_dataset_export_result_headline (const BmDatasetExportResult *result)
{
  const BmYoloExportReport *r = &result->report;

  g_return_val_if_fail (result != NULL, NULL);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u image (%u objects) to %s",
                                       "Exported %u images (%u objects) to %s", r->n_images),
                          r->n_images, r->n_objects, result->out_dir);
}

char *
bm_dataset_export_result_details (const BmDatasetExportResult *result, guint max_problems)
{
  const BmYoloExportReport *r = &result->report;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (result != NULL, NULL);

  if (r->val_fraction >= 0)
    g_string_append_printf (out, _("%u train, %u val (val fraction %g, seed 0)."), r->n_train, r->n_val,
                            r->val_fraction);
  else
    g_string_append_printf (out, _("%u train, %u val, %u test (the dataset’s own splits)."),
                            r->n_train, r->n_val, r->n_test);
  g_string_append_c (out, '\n');
  if (r->classes_from_ids)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Class ids: kept as they are (no class list; %u class named by its number).",
                                                 "Class ids: kept as they are (no class list; %u classes named by their numbers).", bm_class_list_get_n (r->classes)),
                            bm_class_list_get_n (r->classes));
  else if (r->classes_sorted)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Class ids: every label, sorted (%u class, in data.yaml and classes.txt).",
                                                 "Class ids: every label, sorted (%u classes, in data.yaml and classes.txt).", bm_class_list_get_n (r->classes)),
                            bm_class_list_get_n (r->classes));
  else
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Class ids: from %s (%u class).", "Class ids: from %s (%u classes).",
                                              bm_class_list_get_n (r->classes)),
                            bm_class_list_get_path (r->classes) != NULL ? bm_class_list_get_path (r->classes) : "",
                            bm_class_list_get_n (r->classes));
  g_string_append_c (out, '\n');
  if (r->classes_txt_left_out != NULL)
    g_string_append_printf (out, "%s.\n", r->classes_txt_left_out);
  for (guint i = 0; i < r->renamed_classes->len; i++)
    {
      g_string_append_printf (out, _("Renamed %s: a class list holds one name per line."),
                              (char *) r->renamed_classes->pdata[i]);
      g_string_append_c (out, '\n');
    }
  if (r->n_empty_label_files > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u labelled image without objects got an empty .txt (background).\n",
                                              "%u labelled images without objects got an empty .txt (background).\n", r->n_empty_label_files), r->n_empty_label_files);
  if (r->n_unlabelled > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u image was never labelled and was left out.\n",
                                              "%u images were never labelled and were left out.\n", r->n_unlabelled), r->n_unlabelled);
  if (r->n_with_problems > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u image was left out because its label file has problems.\n",
                                              "%u images were left out because their label files have problems.\n", r->n_with_problems), r->n_with_problems);
  if (r->n_clipped > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u box reached outside its image and was clipped to it.\n",
                                              "%u boxes reached outside their image and were clipped to it.\n", r->n_clipped), r->n_clipped);
  if (r->n_enclosed > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u rotated box or quadrilateral was written as its enclosing box.\n",
                                              "%u rotated boxes or quadrilaterals were written as their enclosing boxes.\n", r->n_enclosed), r->n_enclosed);
  if (r->n_outside > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u object lies entirely outside its image and got no row.\n",
                                              "%u objects lie entirely outside their image and got no row.\n", r->n_outside), r->n_outside);
  if (r->n_out_of_range > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u OBB row leaves the image by more than 1 %% (Ultralytics would ignore its image).\n",
                                              "%u OBB rows leave the image by more than 1 %% (Ultralytics would ignore their images).\n", r->n_out_of_range), r->n_out_of_range);
  if (result->n_orphans > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u label file without an image was left out.\n",
                                              "%u label files without an image were left out.\n", result->n_orphans),
                            result->n_orphans);
  if (r->n_verified > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u verified image stays verified.\n",
                                              "%u verified images stay verified.\n", r->n_verified), r->n_verified);
  for (guint i = 0; i < result->problems->len && i < max_problems; i++)
    {
      g_string_append (out, result->problems->pdata[i]);
      g_string_append_c (out, '\n');
    }
  if (result->problems->len > max_problems)
    {
      guint more = result->problems->len - max_problems;

      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "… and %u more problem.\n",
                                                "… and %u more problems.\n", more), more);
    }
  if (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}
