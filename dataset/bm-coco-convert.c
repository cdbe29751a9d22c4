/* bm-coco-convert.c: datasets to COCO instances JSON and back.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "bm-coco-convert.h"
#include "bm-export-source.h"

void
bm_coco_convert_report_clear (BmCocoConvertReport *report)
{
  g_clear_pointer (&report->renamed, g_ptr_array_unref);
  memset (report, 0, sizeof *report);
}

static void
count_placement (BmCocoConvertReport *report, BmExportPlacement placement)
{
  if (placement == BM_EXPORT_HARD_LINKED)
    report->n_hard_linked++;
  else if (placement == BM_EXPORT_SYMLINKED)
    report->n_symlinked++;
  else
    report->n_copied++;
}

/* @name, or name-2.ext, name-3.ext … when @taken has it. */
static char *
unique_name (GHashTable *taken, const char *name)
{
  g_autofree char *stem = bm_path_get_stem (name);
  const char *dot = strrchr (name, '.');
  char *candidate = g_strdup (name);

  for (guint n = 2; g_hash_table_contains (taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u%s", stem, n, dot != NULL ? dot : "");
    }
  g_hash_table_add (taken, g_strdup (candidate));
  return candidate;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* ---- a dataset to COCO ---- */

typedef struct
{
  char *split;
  GArray *images;       /* BmCocoWriteImage; file names owned by names */
  GPtrArray *names;
  GHashTable *taken;
} Split;

static void
split_free (Split *split)
{
  g_free (split->split);
  g_array_unref (split->images);
  g_ptr_array_unref (split->names);
  g_hash_table_unref (split->taken);
  g_free (split);
}

static BmClassList *
classes_of (BmDataset *dataset, GArray *loaded, GError **error)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BmClassList *classes;

  if (bm_dataset_get_class_file (dataset) != NULL)
    return bm_class_list_load (bm_dataset_get_class_file (dataset), error);
  for (guint i = 0; i < loaded->len; i++)
    {
      BmAnnotation *annotation = g_array_index (loaded, BmExportSource, i).annotation;

      for (guint k = 0; annotation != NULL && k < bm_annotation_get_n_objects (annotation); k++)
        {
          const char *label = bm_object_get_label (bm_annotation_get_object (annotation, k));

          if (!g_hash_table_contains (seen, label))
            {
              g_hash_table_add (seen, (gpointer) label);
              g_ptr_array_add (labels, (gpointer) label);
            }
        }
    }
  g_ptr_array_sort (labels, compare_names);
  classes = bm_class_list_new ();
  for (guint i = 0; i < labels->len; i++)
    bm_class_list_add (classes, labels->pdata[i]);
  return classes;
}

static gboolean
write_json (const char *out_dir, const char *split, BmCoco *source, GArray *images, BmClassList *classes,
            const char *json_name, BmCocoConvertReport *report, GError **error)
{
  g_autofree char *dir = g_build_filename (out_dir, "annotations", NULL);
  g_autofree char *name = json_name != NULL ? g_strdup (json_name)
                          : split != NULL ? g_strdup_printf ("instances_%s.json", split) : g_strdup ("instances.json");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  gsize length;

  data = bm_coco_to_data (source, (const BmCocoWriteImage *) images->data, images->len, classes, TRUE, &length, error);
  if (data == NULL || !bm_export_make_dir (dir, error) || !bm_export_write_new_file (path, data, length, error))
    return FALSE;
  report->n_files++;
  return TRUE;
}

gboolean
bm_coco_convert_dataset (BmDataset *dataset, GArray *loaded, BmClassList *classes, const char *out_dir,
                         gboolean copy, BmCocoConvertReport *report, GPtrArray *problems, GError **error)
{
  g_autoptr(BmClassList) own_classes = NULL;
  g_autoptr(GPtrArray) splits = g_ptr_array_new_with_free_func ((GDestroyNotify) split_free);

  memset (report, 0, sizeof *report);
  if (!bm_export_folder_is_empty_or_missing (out_dir))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s is not empty; choose a new or empty folder (nothing is ever overwritten)"), out_dir);
      return FALSE;
    }
  if (classes == NULL)
    {
      own_classes = classes_of (dataset, loaded, error);
      if (own_classes == NULL)
        return FALSE;
      classes = own_classes;
    }
  report->n_categories = bm_class_list_get_n (classes);

  for (guint i = 0; i < loaded->len; i++)
    {
      BmExportSource *entry = &g_array_index (loaded, BmExportSource, i);
      BmAnnotation *annotation = entry->annotation;
      const char *split_name = entry->item->split;
      g_autofree char *base = g_path_get_basename (entry->item->image_path);
      g_autofree char *image_dir = NULL;
      g_autofree char *target = NULL;
      BmCocoWriteImage image = { 0 };
      BmExportPlacement placement;
      Split *split = NULL;
      int width, height;

      if (annotation == NULL || entry->error != NULL)
        {
          if (entry->error != NULL)
            report->n_with_problems++;
          else
            report->n_unlabelled++;
          continue;
        }
      if (bm_annotation_is_read_only (annotation))
        {
          report->n_with_problems++;
          continue;
        }
      width = bm_annotation_get_width (annotation);
      height = bm_annotation_get_height (annotation);
      if ((width <= 0 || height <= 0)
          && !bm_export_header_size (entry->item->image_path, annotation, entry->item->label_path, &width, &height, NULL, NULL))
        {
          g_ptr_array_add (problems, bm_problem_new (entry->item->image_path, 0,
                                                     _("the image size is not known (no size in the label file, and the image header cannot be read); left out")));
          report->n_with_problems++;
          continue;
        }
      for (guint s = 0; s < splits->len; s++)
        if (g_strcmp0 (((Split *) splits->pdata[s])->split, split_name) == 0)
          split = splits->pdata[s];
      if (split == NULL)
        {
          split = g_new0 (Split, 1);
          split->split = g_strdup (split_name);
          split->images = g_array_new (FALSE, FALSE, sizeof (BmCocoWriteImage));
          split->names = g_ptr_array_new_with_free_func (g_free);
          split->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_ptr_array_add (splits, split);
        }
      image.file_name = unique_name (split->taken, base);
      g_ptr_array_add (split->names, (gpointer) image.file_name);
      image.width = width;
      image.height = height;
      image.annotation = annotation;
      image.source_image = G_MAXUINT;
      image_dir = split_name != NULL ? g_build_filename (out_dir, "images", split_name, NULL)
                                     : g_build_filename (out_dir, "images", NULL);
      target = g_build_filename (image_dir, image.file_name, NULL);
      if (!bm_export_make_dir (image_dir, error)
          || !bm_export_place_image (entry->item->image_path, target, copy, &placement, error))
        return FALSE;
      count_placement (report, placement);
      g_array_append_val (split->images, image);
      report->n_images++;
      report->n_objects += bm_annotation_get_n_objects (annotation);
      report->n_verified += bm_annotation_get_verified (annotation);
    }

  for (guint s = 0; s < splits->len; s++)
    {
      Split *split = splits->pdata[s];

      /* one split only: instances.json, as most tools expect */
      if (!write_json (out_dir, splits->len > 1 ? split->split : NULL, NULL, split->images, classes, NULL, report, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- COCO to a dataset ---- */

/* The COCO files at @source: the file itself, or the .json files of the folder and of its
 * annotations/ folder that read as COCO instances. */
static GPtrArray *
find_json_files (const char *source, GError **error)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *annotations = g_build_filename (source, "annotations", NULL);
  const char *const folders[] = { source, annotations, NULL };

  if (!g_file_test (source, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (source));
      return files;
    }
  for (guint f = 0; folders[f] != NULL; f++)
    {
      g_autoptr(GDir) dir = g_dir_open (folders[f], 0, NULL);
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json") && name[0] != '.')
          g_ptr_array_add (found, g_build_filename (folders[f], name, NULL));
      g_ptr_array_sort (found, compare_names);
      for (guint i = 0; i < found->len; i++)
        g_ptr_array_add (files, g_strdup (found->pdata[i]));
    }
  if (files->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no COCO .json file found (in the folder or its annotations/ folder)"), source);
      g_clear_pointer (&files, g_ptr_array_unref);
    }
  return files;
}

/* instances_val2017.json → "val2017"; NULL for a name without a split. */
static char *
split_of (const char *json_path)
{
  g_autofree char *stem = bm_path_get_stem (json_path);
  const char *underscore = strrchr (stem, '_');

  if (underscore == NULL || underscore[1] == '\0')
    return NULL;
  return g_strdup (underscore + 1);
}

/* Where the image @file_name of the COCO file @json_path is: beside it, in images/, in a folder
 * named like its split, one folder up. NULL when none exists. */
static char *
find_image (const char *json_path, const char *split, const char *file_name)
{
  g_autofree char *dir = g_path_get_dirname (json_path);
  g_autofree char *parent = g_path_get_dirname (dir);
  char *candidates[8] = { NULL };
  char *found = NULL;
  guint n = 0;

  candidates[n++] = g_build_filename (dir, file_name, NULL);
  candidates[n++] = g_build_filename (dir, "images", file_name, NULL);
  candidates[n++] = g_build_filename (parent, "images", file_name, NULL);
  candidates[n++] = g_build_filename (parent, file_name, NULL);
  if (split != NULL)
    {
      candidates[n++] = g_build_filename (parent, split, file_name, NULL);
      candidates[n++] = g_build_filename (parent, "images", split, file_name, NULL);
      candidates[n++] = g_build_filename (dir, split, file_name, NULL);
    }
  for (guint i = 0; i < n; i++)
    {
      if (found == NULL && g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
        found = g_steal_pointer (&candidates[i]);
      g_free (candidates[i]);
    }
  return found;
}

/* The categories in id order, as YOLO class ids. */
static BmClassList *
categories_in_id_order (GPtrArray *cocos)
{
  BmClassList *classes = bm_class_list_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint f = 0; f < cocos->len; f++)
    for (guint c = 0; c < bm_coco_get_n_categories (cocos->pdata[f]); c++)
      {
        const BmCocoCategory *category = bm_coco_get_category (cocos->pdata[f], c);
        guint at = 0;

        while (at < ids->len && g_array_index (ids, gint64, at) <= category->id)
          at++;
        g_array_insert_val (ids, at, category->id);
        g_ptr_array_insert (names, (gint) at, (gpointer) category->name);
      }
  for (guint i = 0; i < names->len; i++)
    bm_class_list_add (classes, names->pdata[i]);
  return classes;
}

static gboolean
write_label_file (BmAnnotation *annotation, BmCocoTarget target, const char *out_dir, const char *stem,
                  const char *image_target, GPtrArray *verified, BmCocoConvertReport *report, GError **error)
{
  gboolean voc = target == BM_COCO_TO_VOC;
  g_autofree char *label_dir = g_build_filename (out_dir, voc ? "Annotations" : "labelTxt", NULL);
  g_autofree char *name = g_strconcat (stem, voc ? ".xml" : ".txt", NULL);
  g_autofree char *path = g_build_filename (label_dir, name, NULL);
  g_autofree char *data = NULL;
  gsize length;

  bm_annotation_set_format (annotation, voc ? BM_FORMAT_VOC : BM_FORMAT_DOTA);
  if (image_target != NULL)
    bm_annotation_set_image_path (annotation, image_target);
  bm_annotation_set_label_path (annotation, path);
  if (!voc)
    {
      g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer key, value;

      bm_dota_hyphenate_labels (annotation, renamed);
      g_hash_table_iter_init (&iter, renamed);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *text = g_strdup_printf ("%s → %s", (char *) key, (char *) value);

          if (!g_ptr_array_find_with_equal_func (report->renamed, text, g_str_equal, NULL))
            g_ptr_array_add (report->renamed, g_steal_pointer (&text));
        }
    }
  data = voc ? bm_voc_to_data (annotation, &length, error) : bm_dota_to_data (annotation, &length, error);
  if (data == NULL || !bm_export_make_dir (label_dir, error) || !bm_export_write_new_file (path, data, length, error))
    return FALSE;
  if (!voc && bm_annotation_get_verified (annotation))
    g_ptr_array_add (verified, g_strdup (path));
  report->n_files++;
  return TRUE;
}

gboolean
bm_coco_convert_from (const char *source, BmCocoTarget target, BmClassList *classes, const char *out_dir,
                      gboolean copy, BmCocoConvertReport *report, GPtrArray *problems, GError **error)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) cocos = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_coco_unref);
  g_autoptr(GPtrArray) yolo_items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) verified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  memset (report, 0, sizeof *report);
  report->renamed = g_ptr_array_new_with_free_func (g_free);
  if (!bm_export_folder_is_empty_or_missing (out_dir))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s is not empty; choose a new or empty folder (nothing is ever overwritten)"), out_dir);
      return FALSE;
    }
  files = find_json_files (source, error);
  if (files == NULL)
    return FALSE;
  for (guint f = 0; f < files->len; f++)
    {
      g_autoptr(GError) local = NULL;
      BmCoco *coco = bm_coco_load (files->pdata[f], &local);

      if (coco == NULL)
        {
          /* in a folder, other JSON files are not an error; a file given by name is */
          if (!g_file_test (source, G_FILE_TEST_IS_DIR))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_ptr_array_remove_index (files, f--);
          continue;
        }
      for (guint i = 0; i < bm_coco_get_problems (coco)->len; i++)
        g_ptr_array_add (problems, bm_problem_copy (bm_coco_get_problems (coco)->pdata[i]));
      g_ptr_array_add (cocos, coco);
    }
  if (cocos->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no COCO instances file found"), source);
      return FALSE;
    }

  for (guint f = 0; f < cocos->len; f++)
    {
      BmCoco *coco = cocos->pdata[f];
      g_autofree char *file_split = split_of (files->pdata[f]);
      const char *split = cocos->len > 1 ? file_split : NULL;
      g_autoptr(GArray) images = g_array_new (FALSE, FALSE, sizeof (BmCocoWriteImage));

      report->n_categories = MAX (report->n_categories, bm_coco_get_n_categories (coco));
      for (guint i = 0; i < bm_coco_get_n_images (coco); i++)
        {
          const BmCocoImage *info = bm_coco_get_image (coco, i);
          g_autofree char *image_path = find_image (files->pdata[f], file_split, info->file_name);
          BmAnnotation *annotation = bm_coco_make_annotation (coco, i, image_path);
          g_autofree char *image_target = NULL;
          BmExportPlacement placement;

          g_ptr_array_add (keep, annotation);
          report->n_objects += bm_annotation_get_n_objects (annotation);
          report->n_verified += bm_annotation_get_verified (annotation);
          if (image_path == NULL)
            {
              g_ptr_array_add (problems, bm_problem_new_printf (bm_coco_get_path (coco), (int) info->line,
                                                                _("image “%s” not found beside the file, in images/ or in its split’s folder"),
                                                                info->file_name));
              report->n_missing_images++;
            }
          if (target == BM_COCO_TO_YOLO || target == BM_COCO_TO_YOLO_OBB)
            {
              BmYoloExportItem *item;

              if (image_path == NULL)
                continue;
              item = g_new0 (BmYoloExportItem, 1);
              item->image_path = g_strdup (image_path);
              g_ptr_array_add (strings, (gpointer) item->image_path);
              item->annotation = annotation;
              item->split = split != NULL ? g_strdup (split) : NULL;
              if (item->split != NULL)
                g_ptr_array_add (strings, (gpointer) item->split);
              g_ptr_array_add (yolo_items, item);
              continue;
            }
          if (target == BM_COCO_TO_COCO)
            {
              BmCocoWriteImage image = { info->file_name, info->width, info->height, annotation, i };
              g_autofree char *dir = NULL;

              if (image_path != NULL)
                {
                  image_target = g_build_filename (out_dir, "images", info->file_name, NULL);
                  dir = g_path_get_dirname (image_target);
                  if (!bm_export_make_dir (dir, error)
                      || !bm_export_place_image (image_path, image_target, copy, &placement, error))
                    return FALSE;
                  count_placement (report, placement);
                }
              g_array_append_val (images, image);
              report->n_images++;
              continue;
            }
          /* VOC or DOTA: one label file per image, names kept unique */
          {
            g_autofree char *base = g_path_get_basename (info->file_name[0] != '\0' ? info->file_name : "image");
            g_autofree char *name = unique_name (taken, base);
            g_autofree char *stem = bm_path_get_stem (name);
            g_autofree char *dir = g_build_filename (out_dir, target == BM_COCO_TO_VOC ? "JPEGImages" : "images", NULL);

            image_target = g_build_filename (dir, name, NULL);
            if (image_path != NULL)
              {
                if (!bm_export_make_dir (dir, error)
                    || !bm_export_place_image (image_path, image_target, copy, &placement, error))
                  return FALSE;
                count_placement (report, placement);
                report->n_images++;
              }
            if (!write_label_file (annotation, target, out_dir, stem, image_target, verified, report, error))
              return FALSE;
          }
        }
      if (target == BM_COCO_TO_COCO)
        {
          g_autofree char *json_name = g_path_get_basename (files->pdata[f]);

          if (!write_json (out_dir, NULL, coco, images, NULL, json_name, report, error))
            return FALSE;
        }
    }

  if (target == BM_COCO_TO_YOLO || target == BM_COCO_TO_YOLO_OBB)
    {
      g_autoptr(BmClassList) ids = classes != NULL ? bm_class_list_ref (classes) : categories_in_id_order (cocos);
      BmYoloExportOptions options = { target == BM_COCO_TO_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT, ids, -1, 0, copy, FALSE, FALSE };
      BmYoloExportReport yolo = { 0 };
      gboolean ok = bm_yolo_export (yolo_items, out_dir, &options, &yolo, problems, error);

      report->n_images = yolo.n_images;
      report->n_files = yolo.n_label_files;
      report->n_hard_linked = yolo.n_hard_linked;
      report->n_symlinked = yolo.n_symlinked;
      report->n_copied = yolo.n_copied;
      bm_yolo_export_report_clear (&yolo);
      return ok;
    }
  return bm_label_write_sidecars (verified, error);
}
