/* bm-pred-read.c: finding the format of a predictions file or folder, and reading its files in
 * parallel (the line-based readers are in bm-pred-read-text.c, COCO JSON in bm-pred-read-coco.c),
 * and label folders whose objects carry a score.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "formats/bm-label-io.h"
#include "formats/bm-text-util.h"
#include "bm-eval-alloc.h"
#include "bm-pred-private.h"

/* ---- file names ---- */

static gboolean
has_txt_extension (const char *name)
{
  return g_str_has_suffix (name, ".txt") || g_str_has_suffix (name, ".TXT");
}

static gboolean
is_task_file (const char *name, int task)
{
  char prefix[] = "Task1_";

  prefix[4] = (char) ('0' + task);
  return g_str_has_prefix (name, prefix) && has_txt_extension (name);
}

static gboolean
is_voc_results_file (const char *name)
{
  return strstr (name, "_det_") != NULL && has_txt_extension (name);
}

/* The class a results file is for: Task1_<class>.txt, comp4_det_test_<class>.txt (any prefix,
 * any image-set name without '_'), else the file name without .txt. */
static char *
results_class_name (const char *path)
{
  g_autofree char *stem = bm_path_get_stem (path);
  const char *det;

  if (g_str_has_prefix (stem, "Task1_") || g_str_has_prefix (stem, "Task2_"))
    return g_strdup (stem + strlen ("Task1_"));
  det = strstr (stem, "_det_");
  if (det != NULL)
    {
      const char *set = det + strlen ("_det_");
      const char *underscore = strchr (set, '_');

      return g_strdup (underscore != NULL ? underscore + 1 : set);
    }
  return g_steal_pointer (&stem);
}

/* ---- reading files in parallel ---- */

/* @path whole, NUL-terminated, in memory from bm_eval_alloc_large (detection files reach
 * hundreds of MB). */
static char *
read_file_large (const char *path, gsize *length, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  struct stat st;
  char *data;
  gsize done = 0;

  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot read: %s"), path,
                   fd >= 0 && saved == 0 ? _("not a regular file") : g_strerror (saved));
      return NULL;
    }
  data = bm_eval_alloc_large ((gsize) st.st_size + 1);
  while (done < (gsize) st.st_size)
    {
      gssize got = read (fd, data + done, (gsize) st.st_size - done);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      done += (gsize) got;
    }
  close (fd);
  /* a file that shrank while read is read as far as it went */
  *length = done;
  data[done] = '\0';
  return data;
}

typedef struct
{
  BmPredSet *set;
  GPtrArray *paths;
  BmPredChunk **chunks;
  char **data;
  gsize *lengths;
  guint *n_lines;
} ReadJob;

/* Phase 1: the file in memory and its lines counted (a line gives at most one detection). */
static void
load_one (guint index, gpointer user_data)
{
  ReadJob *job = user_data;
  const char *path = job->paths->pdata[index];
  g_autofree char *class_name = NULL;
  g_autoptr(GError) error = NULL;
  BmPredChunk *chunk;

  if (job->set->format != BM_PRED_FORMAT_YOLO && job->set->format != BM_PRED_FORMAT_COCO)
    class_name = results_class_name (path);
  chunk = bm_pred_chunk_new (path, class_name);
  job->chunks[index] = chunk;
  job->data[index] = read_file_large (path, &job->lengths[index], &error);
  if (job->data[index] == NULL)
    {
      g_ptr_array_add (chunk->problems, bm_problem_new (path, 0, error->message));
      return;
    }
  job->n_lines[index] = 1;
  for (const char *p = job->data[index]; (p = memchr (p, '\n', job->lengths[index] - (gsize) (p - job->data[index]))) != NULL; p++)
    job->n_lines[index]++;
}

/* Phase 2: the detections, written straight into their slice of the set's array. */
static void
parse_one (guint index, gpointer user_data)
{
  ReadJob *job = user_data;
  BmPredChunk *chunk = job->chunks[index];
  char *data = job->data[index];

  if (data == NULL)
    return;
  if (job->set->format == BM_PRED_FORMAT_YOLO)
    bm_pred_parse_yolo (chunk, data, job->lengths[index]);
  else if (job->set->format == BM_PRED_FORMAT_COCO)
    bm_pred_parse_coco (chunk, data, job->lengths[index]);
  else
    bm_pred_parse_results (chunk, data, job->lengths[index], job->set->format);
  bm_eval_free_large (data);
  job->data[index] = NULL;
}

static void
read_files (BmPredSet *set, GPtrArray *paths)
{
  guint n = paths->len;
  ReadJob job = { set, paths, g_new0 (BmPredChunk *, MAX (n, 1)), g_new0 (char *, MAX (n, 1)),
                  g_new0 (gsize, MAX (n, 1)), g_new0 (guint, MAX (n, 1)) };
  gboolean lines = set->format != BM_PRED_FORMAT_COCO;
  gsize total = 0;

  bm_parallel_for (n, 0, load_one, &job);
  if (lines)
    {
      BmPred *base;

      for (guint i = 0; i < n; i++)
        total += job.n_lines[i];
      base = bm_pred_set_reserve (set, (guint) MIN (total, G_MAXUINT32));
      for (guint i = 0, offset = 0; i < n; offset += job.n_lines[i], i++)
        {
          job.chunks[i]->slice = base + offset;
          job.chunks[i]->slice_capacity = job.n_lines[i];
        }
    }
  bm_parallel_for (n, 0, parse_one, &job);
  for (guint i = 0; i < n; i++)
    {
      bm_pred_set_add_chunk (set, job.chunks[i]);
      bm_pred_chunk_free (job.chunks[i]);
    }
  g_free (job.chunks);
  g_free (job.data);
  g_free (job.lengths);
  g_free (job.n_lines);
}

/* ---- label folders ---- */

typedef struct
{
  BmDataset *dataset;
  GPtrArray *items;   /* const BmDatasetItem * with a label file */
  BmPredChunk **chunks;
} LabelJob;

static void
add_object_pred (BmPredChunk *chunk, BmObject *object, guint index, const char *image)
{
  const BmShape *shape = bm_object_get_shape (object);
  BmPred pred = { 0 };

  if (!bm_object_has_score (object))
    {
      g_autofree char *shown = bm_text_shown (bm_object_get_label (object));

      bm_pred_chunk_problem (chunk, 0, _("object %u (“%s”) has no score; left out"), index + 1, shown);
      return;
    }
  pred.score = bm_object_get_score (object);
  if (!isfinite (pred.score))
    {
      bm_pred_chunk_problem (chunk, 0, _("object %u has a score that is not a finite number; left out"), index + 1);
      return;
    }
  if (shape->kind == BM_SHAPE_BOX)
    {
      BmRect r = bm_shape_bounds (shape);

      pred.geometry = BM_PRED_XYXY;
      pred.xy[0] = r.x1;
      pred.xy[1] = r.y1;
      pred.xy[2] = r.x2;
      pred.xy[3] = r.y2;
    }
  else
    {
      pred.geometry = BM_PRED_QUAD;
      for (int k = 0; k < 4; k++)
        {
          pred.xy[2 * k] = shape->p[k].x;
          pred.xy[2 * k + 1] = shape->p[k].y;
        }
    }
  pred.klass = bm_pred_chunk_class (chunk, bm_object_get_label (object));
  pred.image = bm_pred_chunk_image (chunk, image, strlen (image));
  pred.index = index;
  bm_pred_chunk_add (chunk, &pred);
}

static void
read_label_item (guint index, gpointer user_data)
{
  LabelJob *job = user_data;
  const BmDatasetItem *item = job->items->pdata[index];
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *image = bm_path_get_stem (item->label_path);
  BmPredChunk *chunk = bm_pred_chunk_new (item->label_path, NULL);
  GPtrArray *problems;

  job->chunks[index] = chunk;
  annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
  if (annotation == NULL)
    {
      g_ptr_array_add (chunk->problems, bm_problem_new (item->label_path, 0, error->message));
      return;
    }
  problems = bm_annotation_get_problems (annotation);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (chunk->problems, bm_problem_copy (problems->pdata[i]));
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    add_object_pred (chunk, bm_annotation_get_object (annotation, i), i, image);
}

static void
read_label_folder (BmPredSet *set, BmDataset *dataset)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  LabelJob job;

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->has_label)
        g_ptr_array_add (items, (gpointer) item);
    }
  job = (LabelJob) { dataset, items, g_new0 (BmPredChunk *, MAX (items->len, 1)) };
  bm_parallel_for (items->len, 0, read_label_item, &job);
  for (guint i = 0; i < items->len; i++)
    {
      bm_pred_set_add_chunk (set, job.chunks[i]);
      bm_pred_chunk_free (job.chunks[i]);
    }
  g_free (job.chunks);
}

/* ---- finding the format ---- */

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(const char **) a, *(const char **) b);
}

/* Regular files directly in @dir that @want accepts, as full paths in natural order. */
static GPtrArray *
list_files (const char *dir, gboolean (*want) (const char *name))
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  if (folder == NULL)
    return paths;
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;

      if (name[0] == '.' || !want (name))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

static gboolean want_task1 (const char *name) { return is_task_file (name, 1); }
static gboolean want_task2 (const char *name) { return is_task_file (name, 2); }
static gboolean want_voc (const char *name) { return is_voc_results_file (name); }
static gboolean want_txt (const char *name) { return has_txt_extension (name) && !g_str_equal (name, "classes.txt"); }

static gboolean
want_json (const char *name)
{
  return g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".JSON");
}

/* The first .txt file of @paths with a row in it, sniffed. */
static BmPredFormat
sniff_txt_files (GPtrArray *paths)
{
  for (guint i = 0; i < paths->len && i < 64; i++)
    {
      BmPredFormat format = _bm_pred_sniff_txt (paths->pdata[i]);

      if (format != BM_PRED_FORMAT_AUTO)
        return format;
    }
  return BM_PRED_FORMAT_AUTO;
}

/* A single JSON file of @dir: the only one, or the one named like results. */
static char *
find_results_json (const char *dir)
{
  g_autoptr(GPtrArray) jsons = list_files (dir, want_json);

  if (jsons->len == 1)
    return g_strdup (jsons->pdata[0]);
  for (guint i = 0; i < jsons->len; i++)
    {
      g_autofree char *base = g_path_get_basename (jsons->pdata[i]);

      if (strstr (base, "result") != NULL || strstr (base, "pred") != NULL || strstr (base, "det") != NULL)
        return g_strdup (jsons->pdata[i]);
    }
  return NULL;
}

/* Ultralytics' names, from data.yaml (or classes.txt) beside or above the txt files. */
static BmClassList *
find_yolo_names (const char *dir)
{
  static const char *const names[] = { "data.yaml", "classes.txt", NULL };
  g_autofree char *parent = g_path_get_dirname (dir);
  const char *const folders[] = { dir, parent, NULL };

  for (guint f = 0; folders[f] != NULL; f++)
    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *path = g_build_filename (folders[f], names[i], NULL);

        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          return bm_class_list_load (path, NULL);
      }
  return NULL;
}

/* The files to read for @format in the folder @dir (and which folder YOLO rows are in). */
static GPtrArray *
files_for (const char *dir, BmPredFormat format, char **yolo_dir)
{
  switch (format)
    {
    case BM_PRED_FORMAT_DOTA_TASK1:
      return list_files (dir, want_task1);
    case BM_PRED_FORMAT_DOTA_TASK2:
      return list_files (dir, want_task2);
    case BM_PRED_FORMAT_VOC:
      {
        GPtrArray *paths = list_files (dir, want_voc);

        if (paths->len > 0)
          return paths;
        g_ptr_array_unref (paths);
        return list_files (dir, want_txt);
      }
    case BM_PRED_FORMAT_COCO:
      {
        GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
        char *json = find_results_json (dir);

        if (json != NULL)
          g_ptr_array_add (paths, json);
        return paths;
      }
    case BM_PRED_FORMAT_YOLO:
      {
        g_autofree char *labels = g_build_filename (dir, "labels", NULL);

        *yolo_dir = g_strdup (g_file_test (labels, G_FILE_TEST_IS_DIR) ? labels : dir);
        return list_files (*yolo_dir, want_txt);
      }
    case BM_PRED_FORMAT_AUTO:
    case BM_PRED_FORMAT_LABELS:
    default:
      return g_ptr_array_new_with_free_func (g_free);
    }
}

/* Which format the folder @dir holds. */
static BmPredFormat
detect_folder (const char *dir, GError **error)
{
  g_autoptr(GPtrArray) task1 = list_files (dir, want_task1);
  g_autoptr(GPtrArray) task2 = list_files (dir, want_task2);
  g_autoptr(GPtrArray) voc = list_files (dir, want_voc);
  g_autoptr(GPtrArray) txt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *labels = g_build_filename (dir, "labels", NULL);
  guint kinds = (task1->len > 0) + (task2->len > 0) + (voc->len > 0);

  if (kinds > 1)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s holds results files of more than one kind (Task1_*, Task2_*, *_det_*): choose one with --pred-format"),
                   dir);
      return BM_PRED_FORMAT_AUTO;
    }
  if (task1->len > 0)
    return BM_PRED_FORMAT_DOTA_TASK1;
  if (task2->len > 0)
    return BM_PRED_FORMAT_DOTA_TASK2;
  if (voc->len > 0)
    return BM_PRED_FORMAT_VOC;
  if ((json = find_results_json (dir)) != NULL)
    return BM_PRED_FORMAT_COCO;
  if (g_file_test (labels, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GPtrArray) rows = list_files (labels, want_txt);

      if (sniff_txt_files (rows) == BM_PRED_FORMAT_YOLO)
        return BM_PRED_FORMAT_YOLO;
    }
  txt = list_files (dir, want_txt);
  if (sniff_txt_files (txt) == BM_PRED_FORMAT_YOLO)
    return BM_PRED_FORMAT_YOLO;
  return BM_PRED_FORMAT_LABELS;
}

static BmPredFormat
detect_file (const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  BmPredFormat sniffed;

  if (want_json (base))
    return BM_PRED_FORMAT_COCO;
  if (is_task_file (base, 1))
    return BM_PRED_FORMAT_DOTA_TASK1;
  if (is_task_file (base, 2))
    return BM_PRED_FORMAT_DOTA_TASK2;
  if (is_voc_results_file (base))
    return BM_PRED_FORMAT_VOC;
  if (has_txt_extension (base) && (sniffed = _bm_pred_sniff_txt (path)) != BM_PRED_FORMAT_AUTO)
    return sniffed;
  if (g_str_has_suffix (base, ".xml") || g_str_has_suffix (base, ".XML"))
    return BM_PRED_FORMAT_LABELS;
  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
               _("%s: cannot tell which predictions format this is; name it comp4_det_test_CLASS.txt, "
                 "Task1_CLASS.txt or Task2_CLASS.txt, or give --pred-format"), path);
  return BM_PRED_FORMAT_AUTO;
}

BmPredSet *
bm_pred_set_read (const char *path, BmPredFormat format, GError **error)
{
  g_autoptr(BmPredSet) set = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autofree char *yolo_dir = NULL;
  gboolean is_dir;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file or folder"), path);
      return NULL;
    }
  is_dir = g_file_test (path, G_FILE_TEST_IS_DIR);
  if (format == BM_PRED_FORMAT_AUTO)
    format = is_dir ? detect_folder (path, error) : detect_file (path, error);
  if (format == BM_PRED_FORMAT_AUTO)
    return NULL;

  set = bm_pred_set_new (format, path);
  set->coco_ids = format == BM_PRED_FORMAT_COCO;
  if (format == BM_PRED_FORMAT_LABELS)
    {
      g_autoptr(BmDataset) dataset = NULL;

      if (is_dir)
        dataset = bm_dataset_open (path, TRUE, error);
      else
        {
          g_autofree char *dir = g_path_get_dirname (path);
          g_autofree char *canonical = g_canonicalize_filename (path, NULL);
          g_autoptr(BmDataset) whole = bm_dataset_open (dir, FALSE, error);

          /* one label file: its item only */
          if (whole != NULL)
            {
              for (guint i = 0; i < bm_dataset_get_n_items (whole); i++)
                {
                  const BmDatasetItem *item = bm_dataset_get_item (whole, i);

                  if (g_strcmp0 (item->label_path, canonical) == 0 && item->has_label)
                    {
                      BmPredChunk *chunk = NULL;
                      LabelJob job = { whole, g_ptr_array_new (), &chunk };

                      g_ptr_array_add (job.items, (gpointer) item);
                      read_label_item (0, &job);
                      bm_pred_set_add_chunk (set, chunk);
                      bm_pred_chunk_free (chunk);
                      g_ptr_array_unref (job.items);
                    }
                }
              return g_steal_pointer (&set);
            }
        }
      if (dataset == NULL)
        return NULL;
      read_label_folder (set, dataset);
      return g_steal_pointer (&set);
    }

  if (is_dir)
    paths = files_for (path, format, &yolo_dir);
  else
    {
      paths = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (paths, g_strdup (path));
      if (format == BM_PRED_FORMAT_YOLO)
        yolo_dir = g_path_get_dirname (path);
    }
  if (paths->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no %s predictions files found"),
                   path, bm_pred_format_to_string (format));
      return NULL;
    }
  if (format == BM_PRED_FORMAT_YOLO)
    set->yolo_names = find_yolo_names (yolo_dir);
  read_files (set, paths);
  return g_steal_pointer (&set);
}

BmPredSet *
bm_pred_set_read_data (const char *data, gsize length, const char *path, BmPredFormat format,
                       const char *class_name, GError **error)
{
  g_autoptr(BmPredSet) set = NULL;
  g_autoptr(BmPredChunk) chunk = NULL;
  g_autofree char *copy = NULL;

  if (format == BM_PRED_FORMAT_AUTO || format == BM_PRED_FORMAT_LABELS)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: give the format of these predictions"), path);
      return NULL;
    }
  set = bm_pred_set_new (format, path);
  set->coco_ids = format == BM_PRED_FORMAT_COCO;
  chunk = bm_pred_chunk_new (path, format == BM_PRED_FORMAT_YOLO || format == BM_PRED_FORMAT_COCO ? NULL : class_name);
  copy = g_malloc (length + 1);
  memcpy (copy, data, length);
  copy[length] = '\0';
  if (format == BM_PRED_FORMAT_YOLO)
    bm_pred_parse_yolo (chunk, copy, length);
  else if (format == BM_PRED_FORMAT_COCO)
    bm_pred_parse_coco (chunk, copy, length);
  else
    bm_pred_parse_results (chunk, copy, length, format);
  bm_pred_set_add_chunk (set, chunk);
  return g_steal_pointer (&set);
}
