/* bm-dataset-validate.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-yolo.h"
#include "formats/bm-yolo-check.h"
#include "bm-dataset-validate.h"

struct _BmDatasetValidator
{
  guint files;
  guint problems;
  gboolean yolo_strict;
  GHashTable *class_counts;   /* class file → number of classes (-1 when unreadable) */
  GHashTable *printed;        /* lines already given: a broken class file is found twice */
  GPtrArray *lines;           /* where the item being checked puts them */
};

static void
emit (BmDatasetValidator *state, const char *line)
{
  if (!g_hash_table_add (state->printed, g_strdup (line)))
    return;
  g_ptr_array_add (state->lines, g_strdup (line));
  state->problems++;
}

static void
emit_problem (BmDatasetValidator *state, const BmProblem *problem)
{
  g_autofree char *line = bm_problem_to_string (problem);

  emit (state, line);
}

static void
report (BmDatasetValidator *state, const char *file, int line, const char *message)
{
  g_autoptr(BmProblem) problem = bm_problem_new (file, line, message);

  emit_problem (state, problem);
}

/* A label file whose recorded size disagrees with the image usually means the image was
 * labelled in a tool that ignored its EXIF orientation: every box is then in the wrong place. */
static void
check_size (BmDatasetValidator *state, const BmDatasetItem *item, BmAnnotation *annotation)
{
  int width = 0, height = 0, channels = 0;
  int w = bm_annotation_get_width (annotation), h = bm_annotation_get_height (annotation);
  g_autofree char *message = NULL;

  if (item->image_path == NULL || w <= 0 || h <= 0
      || !bm_image_read_info (item->image_path, &width, &height, &channels, NULL))
    return;
  if (w == width && h == height)
    return;
  if (w == height && h == width)
    message = g_strdup_printf (_("size %d×%d differs from the image’s %d×%d (its EXIF orientation was probably ignored when it was labelled)"),
                               w, h, width, height);
  else
    message = g_strdup_printf (_("size %d×%d differs from the image’s %d×%d"), w, h, width, height);
  report (state, item->label_path, 0, message);
}

/* The number of classes of the YOLO dataset holding @label_path, -1 when it has no readable
 * class list (a broken one is reported once). */
static int
class_count_for (BmDatasetValidator *state, const char *label_path)
{
  g_autofree char *class_file = bm_yolo_find_class_file (label_path);
  gpointer cached;

  if (class_file == NULL)
    return -1;
  if (!g_hash_table_lookup_extended (state->class_counts, class_file, NULL, &cached))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmClassList) classes = bm_class_list_load (class_file, &error);

      if (classes == NULL)
        {
          emit (state, error->message);
        }
      cached = GINT_TO_POINTER (classes ? (int) bm_class_list_get_n (classes) : -1);
      g_hash_table_insert (state->class_counts, g_strdup (class_file), cached);
    }
  return GPOINTER_TO_INT (cached);
}

/* Ultralytics' own rules, stricter than what Boxmark can read: one bad row makes it ignore the
 * whole image. */
static void
check_yolo_strict (BmDatasetValidator *state, const BmDatasetItem *item)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  if (item->format_guessed ? bm_dataset_sniff_txt_format (item->label_path) != BM_FORMAT_YOLO
                           : item->format != BM_FORMAT_YOLO)
    return;
  problems = bm_yolo_check_file (item->label_path, class_count_for (state, item->label_path), &error);
  if (problems == NULL)
    {
      report (state, item->label_path, 0, error->message);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    {
      emit_problem (state, g_ptr_array_index (problems, i));
    }
}

BmDatasetValidator *
bm_dataset_validator_new (gboolean yolo_strict)
{
  BmDatasetValidator *validator = g_new0 (BmDatasetValidator, 1);

  validator->yolo_strict = yolo_strict;
  validator->class_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  validator->printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return validator;
}

void
bm_dataset_validator_free (BmDatasetValidator *validator)
{
  if (validator == NULL)
    return;
  g_hash_table_unref (validator->class_counts);
  g_hash_table_unref (validator->printed);
  g_free (validator);
}

guint
bm_dataset_validator_get_n_files (BmDatasetValidator *validator)
{
  g_return_val_if_fail (validator != NULL, 0);
  return validator->files;
}

guint
bm_dataset_validator_get_n_problems (BmDatasetValidator *validator)
{
  g_return_val_if_fail (validator != NULL, 0);
  return validator->problems;
}

void
bm_dataset_validator_check (BmDatasetValidator *state, BmDataset *dataset, const BmDatasetItem *item,
                            BmAnnotation *annotation, const GError *error, GPtrArray *lines)
{
  GPtrArray *problems;

  g_return_if_fail (state != NULL && lines != NULL);

  state->lines = lines;
  /* a folder the scan could not read */
  if (item == NULL)
    {
      emit (state, error->message);
      return;
    }
  if (!item->has_label)
    return;
  state->files++;
  /* Ultralytics' rules come on top of everything Boxmark itself checks. */
  if (state->yolo_strict && g_str_has_suffix (item->label_path, ".txt"))
    check_yolo_strict (state, item);
  if (annotation == NULL)
    {
      emit (state, error->message);
      return;
    }
  problems = bm_annotation_get_problems (annotation);
  for (guint i = 0; i < problems->len; i++)
    {
      emit_problem (state, g_ptr_array_index (problems, i));
    }
  if (item->image_path == NULL && dataset != NULL)
    report (state, item->label_path, 0, _("label file has no image"));
  check_size (state, item, annotation);
}
