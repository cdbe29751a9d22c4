/* bm-cli-scan.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-label-io.h"
#include "bm-dataset-scan.h"

typedef struct
{
  BmAnnotation *annotation;
  GError *error;
} LoadResult;

typedef struct
{
  BmDataset *dataset;
  LoadResult *results;
  guint next;            /* next item index a worker takes */
  guint done_upto;       /* items [0, done_upto) have been handed to the callback */
  gboolean *ready;
  GMutex lock;
  GCond cond;
} ScanJob;

static void
load_item (ScanJob *job, guint index)
{
  const BmDatasetItem *item = bm_dataset_get_item (job->dataset, index);
  LoadResult result = { NULL, NULL };

  /* a scan only reads: no editing backing */
  result.annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &result.error);
  g_mutex_lock (&job->lock);
  job->results[index] = result;
  job->ready[index] = TRUE;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->lock);
}

static gpointer
worker (gpointer data)
{
  ScanJob *job = data;
  guint n = bm_dataset_get_n_items (job->dataset);

  for (;;)
    {
      guint index;

      g_mutex_lock (&job->lock);
      /* Stay at most a bounded window ahead of the consumer so memory stays flat. */
      while (job->next < n && job->next >= job->done_upto + 256)
        g_cond_wait (&job->cond, &job->lock);
      index = job->next++;
      g_mutex_unlock (&job->lock);
      if (index >= n)
        return NULL;
      load_item (job, index);
    }
}

static void
scan_dataset (BmDataset *dataset, guint n_threads, BmDatasetScanFunc func, gpointer user_data)
{
  guint n = bm_dataset_get_n_items (dataset);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  ScanJob job = { 0 };

  for (guint i = 0; i < bm_dataset_get_problems (dataset)->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (g_ptr_array_index (bm_dataset_get_problems (dataset), i));
      g_autoptr(GError) error = g_error_new_literal (BM_ERROR, BM_ERROR_IO, text);

      func (dataset, NULL, NULL, error, user_data);
    }

  job.dataset = dataset;
  job.results = g_new0 (LoadResult, n);
  job.ready = g_new0 (gboolean, n);
  g_mutex_init (&job.lock);
  g_cond_init (&job.cond);

  for (guint t = 0; t < MAX (n_threads, 1); t++)
    g_ptr_array_add (threads, g_thread_new ("bm-load", worker, &job));

  for (guint i = 0; i < n; i++)
    {
      LoadResult result;

      g_mutex_lock (&job.lock);
      while (!job.ready[i])
        g_cond_wait (&job.cond, &job.lock);
      result = job.results[i];
      job.results[i] = (LoadResult) { NULL, NULL };
      job.done_upto = i + 1;
      g_cond_broadcast (&job.cond);
      g_mutex_unlock (&job.lock);

      func (dataset, bm_dataset_get_item (dataset, i), result.annotation, result.error, user_data);
      g_clear_object (&result.annotation);
      g_clear_error (&result.error);
    }

  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.cond);
  g_free (job.results);
  g_free (job.ready);
}

/* A single label file named on the command line: treated as a dataset of one orphan item. */
static void
scan_single_label (const char *path, BmDatasetScanFunc func, gpointer user_data)
{
  g_autofree char *ext = bm_path_get_extension (path);
  BmDatasetItem item = { NULL, (char *) path, BM_FORMAT_VOC, TRUE, NULL };
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  if (strcmp (ext, "txt") == 0)
    item.format = bm_dataset_sniff_txt_format (path) == BM_FORMAT_YOLO ? BM_FORMAT_YOLO : BM_FORMAT_DOTA;
  annotation = bm_label_load (&item, &error);
  func (NULL, &item, annotation, error, user_data);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(const char **) a, *(const char **) b);
}

/* A folder that is no dataset itself (no layout, no images at its top) may hold several:
 * ~/datasets/{coco8,dota8,raccoon}. Each subfolder is then scanned on its own, so each finds
 * its own layout. */
static gboolean
scan_folder (const char *path, gboolean recursive, guint n_threads,
             BmDatasetScanFunc func, gpointer user_data, GError **error)
{
  g_autoptr(BmDataset) top = bm_dataset_open (path, FALSE, error);
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (top == NULL)
    return FALSE;
  if (!recursive)
    {
      scan_dataset (top, n_threads, func, user_data);
      return TRUE;
    }
  if (bm_dataset_get_layout (top) != BM_LAYOUT_FLAT || bm_dataset_get_n_items (top) > 0)
    {
      g_autoptr(BmDataset) dataset = bm_dataset_open (path, TRUE, error);
      if (dataset == NULL)
        return FALSE;
      scan_dataset (dataset, n_threads, func, user_data);
      return TRUE;
    }

  children = g_ptr_array_new_with_free_func (g_free);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char *child = g_build_filename (path, name, NULL);
      if (name[0] != '.' && g_file_test (child, G_FILE_TEST_IS_DIR)
          && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        g_ptr_array_add (children, child);
      else
        g_free (child);
    }
  g_ptr_array_sort (children, compare_names);
  for (guint i = 0; i < children->len; i++)
    if (!scan_folder (g_ptr_array_index (children, i), TRUE, n_threads, func, user_data, error))
      return FALSE;
  return TRUE;
}

gboolean
bm_dataset_scan (const char *const *paths, gboolean recursive, guint n_threads,
             BmDatasetScanFunc func, gpointer user_data, GError **error)
{
  for (guint i = 0; paths[i] != NULL; i++)
    {
      if (g_file_test (paths[i], G_FILE_TEST_IS_REGULAR) && !bm_path_is_image (paths[i]))
        scan_single_label (paths[i], func, user_data);
      else if (g_file_test (paths[i], G_FILE_TEST_IS_DIR))
        {
          if (!scan_folder (paths[i], recursive, n_threads, func, user_data, error))
            return FALSE;
        }
      else
        {
          g_autoptr(BmDataset) dataset = bm_dataset_open (paths[i], FALSE, error);
          if (dataset == NULL)
            return FALSE;
          scan_dataset (dataset, n_threads, func, user_data);
        }
    }
  return TRUE;
}
