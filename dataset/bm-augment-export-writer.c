/* bm-augment-export-writer.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export-writer.h"

#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "formats/bm-yolo.h"

struct _BmAugmentExportWriter
{
  char *out_dir;
  char *image_dir, *label_dir, *sidecar_dir;
  BmExportTarget format;
  int quality;
  gboolean clip;
  gboolean replace;
  BmClassList *classes;
  GHashTable *class_names;       /* label → class name when matched loosely (YOLO) */
  GHashTable *renamed;           /* DOTA: label with blanks → token */
  guint n_objects, n_clipped, n_outside;
};


const char *
bm_augment_export_image_extension (const char *image_path,
                                   const char *format)
{
  g_autofree char *ext = NULL;

  if (format != NULL)
    return g_ascii_strcasecmp (format, "png") == 0 ? "png" : "jpg";
  ext = bm_path_get_extension (image_path);
  return strcmp (ext, "jpg") == 0 || strcmp (ext, "jpeg") == 0 ? "jpg" : "png";
}

BmAugmentExportWriter *
bm_augment_export_writer_new (const char            *out_dir,
                              BmExportTarget  format,
                              int                    quality,
                              gboolean               clip,
                              gboolean               replace)
{
  BmAugmentExportWriter *writer;

  g_return_val_if_fail (out_dir != NULL, NULL);
  g_return_val_if_fail (format <= BM_EXPORT_TARGET_YOLO_OBB, NULL);

  writer = g_new0 (BmAugmentExportWriter, 1);
  writer->out_dir = g_strdup (out_dir);
  writer->image_dir = g_build_filename (out_dir, bm_export_target_image_folder (format), NULL);
  writer->label_dir = g_build_filename (out_dir, bm_export_target_label_folder (format), NULL);
  writer->sidecar_dir = g_build_filename (out_dir, BM_AUGMENT_EXPORT_SIDECAR_DIR, NULL);
  writer->format = format;
  writer->quality = quality;
  writer->clip = clip;
  writer->replace = replace;
  writer->renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return writer;
}

void
bm_augment_export_writer_free (BmAugmentExportWriter *writer)
{
  if (writer == NULL)
    return;
  g_free (writer->out_dir);
  g_free (writer->image_dir);
  g_free (writer->label_dir);
  g_free (writer->sidecar_dir);
  g_clear_pointer (&writer->classes, bm_class_list_unref);
  g_clear_pointer (&writer->class_names, g_hash_table_unref);
  g_hash_table_unref (writer->renamed);
  g_free (writer);
}

char *
bm_augment_export_writer_path (BmAugmentExportWriter *writer,
                               const char            *stem,
                               const char            *ext,
                               guint                  k,
                               BmAugmentExportFile    file)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (writer != NULL && stem != NULL && ext != NULL, NULL);

  switch (file)
    {
    case BM_AUGMENT_EXPORT_FILE_IMAGE:
      name = g_strdup_printf ("%s_aug%u.%s", stem, k, ext);
      return g_build_filename (writer->image_dir, name, NULL);
    case BM_AUGMENT_EXPORT_FILE_LABELS:
      name = g_strdup_printf ("%s_aug%u.%s", stem, k, writer->format == BM_EXPORT_TARGET_VOC ? "xml" : "txt");
      return g_build_filename (writer->label_dir, name, NULL);
    case BM_AUGMENT_EXPORT_FILE_SIDECAR:
    default:
      name = g_strdup_printf ("%s_aug%u.augment.txt", stem, k);
      return g_build_filename (writer->sidecar_dir, name, NULL);
    }
}

static void
add_if_exists (GPtrArray *existing, char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_ptr_array_add (existing, path);
  else
    g_free (path);
}

void
bm_augment_export_writer_find_existing (BmAugmentExportWriter *writer,
                                        const char            *stem,
                                        const char            *ext,
                                        guint                  n,
                                        GPtrArray             *existing)
{
  g_return_if_fail (writer != NULL && existing != NULL);

  for (guint k = 0; k < n; k++)
    for (int file = BM_AUGMENT_EXPORT_FILE_IMAGE; file <= BM_AUGMENT_EXPORT_FILE_SIDECAR; file++)
      add_if_exists (existing, bm_augment_export_writer_path (writer, stem, ext, k, (BmAugmentExportFile) file));
}

/* data.yaml (0) or classes.txt (1) as this writer writes it. */
static char *
class_file_text (BmAugmentExportWriter *writer, int which)
{
  g_autofree char *absolute = NULL;

  if (which == 1)
    return bm_class_list_to_txt (writer->classes);
  absolute = g_canonicalize_filename (writer->out_dir, NULL);
  return bm_class_list_to_yaml (writer->classes, absolute, "images", "images");
}

/* Another shard of the same run (--shard) wrote the same class file: it is no conflict. */
static gboolean
class_file_already_written (BmAugmentExportWriter *writer, const char *path, int which)
{
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (writer->classes == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  text = class_file_text (writer, which);
  return length == strlen (text) && memcmp (contents, text, length) == 0;
}

void
bm_augment_export_writer_find_existing_class_files (BmAugmentExportWriter *writer,
                                                    GPtrArray             *existing)
{
  g_return_if_fail (writer != NULL && existing != NULL);

  if (bm_export_target_is_yolo (writer->format))
    for (int i = 0; i < 2; i++)
      {
        char *path = g_build_filename (writer->out_dir, i == 0 ? "data.yaml" : "classes.txt", NULL);

        if (class_file_already_written (writer, path, i))
          g_free (path);
        else
          add_if_exists (existing, path);
      }
}

gboolean
bm_augment_export_writer_make_dirs (BmAugmentExportWriter *writer,
                                    GError               **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  return bm_export_make_dir (writer->image_dir, error) && bm_export_make_dir (writer->label_dir, error)
         && bm_export_make_dir (writer->sidecar_dir, error);
}

void
bm_augment_export_writer_set_classes (BmAugmentExportWriter *writer,
                                      BmClassList           *classes,
                                      GHashTable            *class_names)
{
  g_return_if_fail (writer != NULL);

  g_clear_pointer (&writer->classes, bm_class_list_unref);
  g_clear_pointer (&writer->class_names, g_hash_table_unref);
  writer->classes = classes != NULL ? bm_class_list_ref (classes) : NULL;
  writer->class_names = class_names != NULL ? g_hash_table_ref (class_names) : NULL;
}

static gboolean
write_file (BmAugmentExportWriter *writer, const char *path, const char *data, gsize length, GError **error)
{
  if (writer->replace)
    return bm_file_write_atomic (path, data, length, error);
  return bm_export_write_new_file (path, data, length, error);
}

gboolean
bm_augment_export_writer_write_class_files (BmAugmentExportWriter *writer,
                                            GError               **error)
{
  g_autofree char *yaml = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *yaml_path = NULL;
  g_autofree char *txt_path = NULL;

  g_return_val_if_fail (writer != NULL && writer->classes != NULL, FALSE);

  yaml = class_file_text (writer, 0);
  txt = class_file_text (writer, 1);
  yaml_path = g_build_filename (writer->out_dir, "data.yaml", NULL);
  txt_path = g_build_filename (writer->out_dir, "classes.txt", NULL);
  return (class_file_already_written (writer, yaml_path, 0) || write_file (writer, yaml_path, yaml, strlen (yaml), error))
         && (class_file_already_written (writer, txt_path, 1) || write_file (writer, txt_path, txt, strlen (txt), error));
}

static char *
labels_text (BmAugmentExportWriter *writer, BmAnnotation *annotation, gsize *length, GError **error)
{
  guint n_clipped = 0, n_outside = 0;
  char *data;

  switch (writer->format)
    {
    case BM_EXPORT_TARGET_VOC:
      return bm_voc_to_data (annotation, length, error);
    case BM_EXPORT_TARGET_DOTA:
      bm_dota_hyphenate_labels (annotation, writer->renamed);
      return bm_dota_to_data (annotation, length, error);
    case BM_EXPORT_TARGET_YOLO:
    case BM_EXPORT_TARGET_YOLO_OBB:
    default:
      if (writer->classes == NULL)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("YOLO labels need class ids"));
          return NULL;
        }
      for (guint i = 0; writer->class_names != NULL && i < bm_annotation_get_n_objects (annotation); i++)
        {
          BmObject *object = bm_annotation_get_object (annotation, i);
          const char *name = g_hash_table_lookup (writer->class_names, bm_object_get_label (object));

          if (name != NULL)
            bm_object_set_label (object, name);
        }
      data = bm_yolo_to_data (annotation, writer->classes, bm_annotation_get_width (annotation),
                              bm_annotation_get_height (annotation),
                              writer->format == BM_EXPORT_TARGET_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT, writer->clip,
                              &n_clipped, &n_outside, length, error);
      writer->n_clipped += n_clipped;
      writer->n_outside += n_outside;
      return data;
    }
}

gboolean
bm_augment_export_writer_write_sample (BmAugmentExportWriter *writer,
                                       const char            *stem,
                                       const char            *ext,
                                       guint                  k,
                                       const BmAugmentSample *sample,
                                       const char            *sidecar,
                                       GError               **error)
{
  g_autofree char *image_path = NULL;
  g_autofree char *label_path = NULL;
  g_autofree char *sidecar_path = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autofree char *labels = NULL;
  gsize length = 0;

  g_return_val_if_fail (writer != NULL && sample != NULL && sidecar != NULL, FALSE);

  image_path = bm_augment_export_writer_path (writer, stem, ext, k, BM_AUGMENT_EXPORT_FILE_IMAGE);
  label_path = bm_augment_export_writer_path (writer, stem, ext, k, BM_AUGMENT_EXPORT_FILE_LABELS);
  sidecar_path = bm_augment_export_writer_path (writer, stem, ext, k, BM_AUGMENT_EXPORT_FILE_SIDECAR);
  annotation = bm_augment_sample_to_annotation (sample);
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    bm_object_set_origin (bm_annotation_get_object (annotation, i), 0);
  bm_annotation_set_image_path (annotation, image_path);
  bm_annotation_set_label_path (annotation, label_path);
  /* a sample is a new image nobody has reviewed, even when its source is verified */
  bm_annotation_set_verified (annotation, FALSE);

  /* labels first: a label that cannot be written leaves no orphan image behind */
  labels = labels_text (writer, annotation, &length, error);
  if (labels == NULL)
    return FALSE;
  if (!bm_image_save (sample->image, image_path, writer->quality, error))
    return FALSE;
  /* an earlier run's sample (or a stale entry) must not lend this one its verified mark */
  if (writer->format != BM_EXPORT_TARGET_VOC && !bm_label_sidecar_set_verified (label_path, FALSE, error))
    return FALSE;
  if (!write_file (writer, label_path, labels, length, error))
    return FALSE;
  if (!write_file (writer, sidecar_path, sidecar, strlen (sidecar), error))
    return FALSE;
  writer->n_objects += bm_annotation_get_n_objects (annotation);
  return TRUE;
}

guint
bm_augment_export_writer_get_n_objects (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_objects;
}

guint
bm_augment_export_writer_get_n_clipped (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_clipped;
}

guint
bm_augment_export_writer_get_n_outside (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_outside;
}

GHashTable *
bm_augment_export_writer_get_renamed (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, NULL);
  return writer->renamed;
}
