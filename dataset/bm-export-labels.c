/* bm-export-labels.c: bm_dataset_export into Pascal VOC or DOTA — a label file per image beside
 * a folder of (linked) images.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "bm-dataset-export-private.h"
#include "bm-export-source.h"

static void
add_problem (BmDatasetExportResult *result, const char *file, const char *message)
{
  g_autoptr(BmProblem) problem = bm_problem_new (file, 0, message);

  bm_dataset_export_add_problem (result, problem);
}

/* An orphan's path below the source's label folder: orphans with the same name in different
 * subfolders stay apart. */
static char *
orphan_relative_path (BmDataset *dataset, const char *label_path)
{
  const char *root = bm_dataset_get_root (dataset);
  BmLayout layout = bm_dataset_get_layout (dataset);
  gsize n = strlen (root);
  const char *relative;

  if (strncmp (label_path, root, n) != 0 || label_path[n] != G_DIR_SEPARATOR)
    return g_path_get_basename (label_path);
  relative = label_path + n + 1;
  /* in these layouts the first folder is the label folder (labelTxt/, Annotations/) */
  if (layout == BM_LAYOUT_VOC || layout == BM_LAYOUT_DOTA)
    {
      const char *slash = strchr (relative, G_DIR_SEPARATOR);

      if (slash != NULL)
        relative = slash + 1;
    }
  return g_strdup (relative);
}

/* @path, or path-2, path-3… (before the extension) when something was written there already. */
static char *
free_path (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *stem = bm_path_get_stem (path);
  const char *dot = strrchr (path, '.');
  char *candidate = g_strdup (path);

  if (dot != NULL && strchr (dot, G_DIR_SEPARATOR) != NULL)
    dot = NULL;
  for (guint n = 2; g_file_test (candidate, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); n++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u%s", stem, n, dot != NULL ? dot : "");

      g_free (candidate);
      candidate = g_build_filename (dir, name, NULL);
    }
  return candidate;
}

static BmFormat
orphan_format (const BmDatasetItem *item)
{
  BmFormat sniffed;

  if (!item->format_guessed)
    return item->format;
  sniffed = bm_dataset_sniff_txt_format (item->label_path);
  return sniffed != BM_FORMAT_NONE ? sniffed : item->format;
}

/* Label files without an image are carried over as they are when their format does not
 * change, in their subfolders (renamed only if their name is taken), verified ones staying
 * verified. Every one left out is said. */
static gboolean
copy_orphans (BmDataset *dataset, const BmShard *shard, BmFormat format, const char *label_dir, GPtrArray *verified,
              BmDatasetExportResult *result, GError **error)
{
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autofree char *data = NULL;
      g_autofree char *relative = NULL;
      g_autofree char *wanted = NULL;
      g_autofree char *target = NULL;
      g_autofree char *target_dir = NULL;
      gsize length;

      if (item->image_path != NULL || !item->has_label)
        continue;
      if (orphan_format (item) != format)
        {
          g_autofree char *message =
            g_strdup_printf (_("left out: a label file without an image cannot be converted to %s"),
                             bm_format_to_string (format));

          add_problem (result, item->label_path, message);
          result->n_orphans_left_out++;
          continue;
        }
      relative = orphan_relative_path (dataset, item->label_path);
      wanted = g_build_filename (label_dir, relative, NULL);
      if (!bm_shard_contains_item (shard, dataset, item))
        {
          /* another shard copies it; the verified list names it in every shard */
          if (format != BM_FORMAT_VOC && bm_label_sidecar_is_verified (item->label_path))
            g_ptr_array_add (verified, g_steal_pointer (&wanted));
          continue;
        }
      target_dir = g_path_get_dirname (wanted);
      if (!bm_export_make_dir (target_dir, error))
        return FALSE;
      target = free_path (wanted);
      if (strcmp (target, wanted) != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("label file without an image: copied as %s because %s was already written"),
                             target, wanted);

          add_problem (result, item->label_path, message);
        }
      if (!bm_file_read_all (item->label_path, &data, &length, error))
        return FALSE;
      if (!bm_export_write_new_file (target, data, length, error))
        return FALSE;
      /* VOC keeps verified in the file itself */
      if (format != BM_FORMAT_VOC && bm_label_sidecar_is_verified (item->label_path))
        g_ptr_array_add (verified, g_steal_pointer (&target));
      result->n_orphans_copied++;
    }
  return TRUE;
}

/* The bytes of @source's label file in @format: its own bytes when the format does not change
 * (nothing was edited), else written anew. NULL with @error on a fatal error; NULL without one
 * when this item is left out (the problem is added). */
static char *
label_data (const BmExportSource *source, BmFormat format, const char *image_target, const char *label_target,
            BmDatasetExportResult *result, gsize *length, GError **error)
{
  BmAnnotation *annotation = source->annotation;
  g_autoptr(GError) local_error = NULL;
  char *data;

  if (bm_annotation_get_format (annotation) == format && source->item->has_label)
    {
      if (!bm_file_read_all (source->item->label_path, &data, length, error))
        return NULL;
      result->n_copied_as_is++;
      return data;
    }
  if (format == BM_FORMAT_DOTA)
    bm_dota_hyphenate_labels (annotation, result->renamed_labels);
  bm_annotation_set_image_path (annotation, image_target);
  bm_annotation_set_label_path (annotation, label_target);
  data = format == BM_FORMAT_VOC ? bm_voc_to_data (annotation, length, &local_error)
                                 : bm_dota_to_data (annotation, length, &local_error);
  if (data == NULL)
    {
      g_ptr_array_add (result->problems, g_strdup_printf ("%s: %s", source->item->label_path, local_error->message));
      result->n_problems++;
      result->n_left_out++;
    }
  return data;
}

/* One image and its label file; FALSE with @error when the export must stop. */
static gboolean
write_item (BmExportRun *run, BmExportSource *source, BmFormat format, const char *image_dir, const char *label_dir,
            GHashTable *taken, GPtrArray *verified, GError **error)
{
  BmDatasetExportResult *result = run->result;
  BmAnnotation *annotation = source->annotation;
  g_autofree char *base = g_path_get_basename (source->item->image_path);
  g_autofree char *stem = NULL;
  g_autofree char *image_target = NULL;
  g_autofree char *label_target = NULL;
  g_autofree char *image_name = NULL;
  g_autofree char *label_name = NULL;
  const char *dot = strrchr (base, '.');
  gboolean renamed = FALSE;
  BmExportPlacement placement;

  /* A file with problems cannot be re-written without losing what could not be read, but
   * into the same format its bytes can be carried over as they are. */
  if (annotation != NULL && bm_annotation_is_read_only (annotation)
      && !(bm_annotation_get_format (annotation) == format && source->item->has_label))
    {
      add_problem (result, source->item->label_path,
                   _("the label file has problems (see above); left out so that nothing is half-converted"));
      result->n_left_out++;
      return TRUE;
    }
  stem = bm_export_unique_stem (taken, source->item->image_path, &renamed);
  result->n_renamed += renamed;
  image_name = g_strconcat (stem, dot != NULL ? dot : "", NULL);
  image_target = g_build_filename (image_dir, image_name, NULL);
  label_name = g_strconcat (stem, format == BM_FORMAT_VOC ? ".xml" : ".txt", NULL);
  label_target = g_build_filename (label_dir, label_name, NULL);
  if (!bm_shard_contains_item (&run->options->shard, run->dataset, source->item))
    {
      /* another shard writes it; the verified list names it in every shard */
      if (annotation != NULL && format != BM_FORMAT_VOC && bm_annotation_get_verified (annotation))
        g_ptr_array_add (verified, g_steal_pointer (&label_target));
      return TRUE;
    }

  if (annotation != NULL)
    {
      gsize length = 0;
      g_autofree char *data = label_data (source, format, image_target, label_target, result, &length, error);

      if (data == NULL)
        return error == NULL || *error == NULL;
      if (!bm_export_write_new_file (label_target, data, length, error))
        return FALSE;
      result->n_label_files++;
      result->n_objects += bm_annotation_get_n_objects (annotation);
      /* VOC keeps verified in the file (written, or carried in the copied bytes) */
      if (bm_annotation_get_verified (annotation))
        {
          result->n_verified++;
          if (format != BM_FORMAT_VOC)
            g_ptr_array_add (verified, g_strdup (label_target));
        }
    }
  if (!bm_export_place_image (source->item->image_path, image_target, run->options->copy, &placement, error))
    return FALSE;
  result->n_placed[placement]++;
  result->n_images++;
  return TRUE;
}

gboolean
bm_export_labels_write (BmExportRun *run)
{
  const BmDatasetExportOptions *options = run->options;
  BmDatasetExportResult *result = run->result;
  const char *out_dir = run->out_dir;
  GArray *sources = run->sources;
  gboolean to_voc = options->target == BM_EXPORT_TARGET_VOC;
  BmFormat format = to_voc ? BM_FORMAT_VOC : BM_FORMAT_DOTA;
  g_autofree char *image_dir = g_build_filename (out_dir, bm_export_target_image_folder (options->target), NULL);
  g_autofree char *label_dir = g_build_filename (out_dir, bm_export_target_label_folder (options->target), NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) verified = g_ptr_array_new_with_free_func (g_free);
  GError **error = &result->error;

  /* shards share the folder; each still never overwrites a file */
  if (bm_shard_is_all (&options->shard) && !bm_export_folder_is_empty_or_missing (out_dir))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO,
                   _("%s is not empty; choose a new or empty folder (nothing is ever overwritten)"), out_dir);
      return FALSE;
    }
  if (!bm_export_make_dir (image_dir, error) || !bm_export_make_dir (label_dir, error))
    return FALSE;
  for (guint i = 0; i < sources->len; i++)
    if (!write_item (run, &g_array_index (sources, BmExportSource, i), format, image_dir, label_dir, taken, verified,
                     error))
      return FALSE;
  return copy_orphans (run->dataset, &options->shard, format, label_dir, verified, result, error)
         && bm_label_write_sidecars (verified, error);
}
