/* bm-export-source.c
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "core/bm-file-util.h"
#include "core/bm-parallel.h"
#include "bm-export-source.h"
#include "formats/bm-label-io.h"
#include "formats/bm-yolo-export.h"

typedef struct
{
  GArray *sources;
  BmFormat from;
  BmExportSourceFlags flags;
} LoadJob;

/* For YOLO: the EXIF-oriented size from the image header is the truth; a VOC <size> that
 * disagrees is reported. DOTA and YOLO labels got theirs from the header when loaded. Without a
 * readable header the label file's size stays. */
static void
check_size (BmExportSource *source)
{
  BmAnnotation *annotation = source->annotation;
  int w, h;

  if (bm_annotation_get_format (annotation) != BM_FORMAT_VOC
      && bm_annotation_get_width (annotation) > 0 && bm_annotation_get_height (annotation) > 0)
    return;
  if (bm_export_header_size (source->item->image_path, annotation, source->item->label_path, &w, &h,
                             &source->size_problem, NULL))
    bm_annotation_set_size (annotation, w, h, bm_annotation_get_depth (annotation));
}

static void
load_one (guint index, gpointer user_data)
{
  const LoadJob *job = user_data;
  BmExportSource *source = &g_array_index (job->sources, BmExportSource, index);
  gboolean for_yolo = (job->flags & BM_EXPORT_SOURCE_FOR_YOLO) != 0;
  const BmDatasetItem *item = source->item;
  BmDatasetItem forced;

  if (job->from != BM_FORMAT_NONE && item->format != job->from)
    {
      forced = *item;
      forced.format = job->from;
      item = &forced;
    }
  /* In YOLO an image without a .txt is background: it is labelled, with nothing. Elsewhere an
   * image without a label file was never labelled; the disk says, not the folder scan (the
   * window may have saved its first label file since). */
  if (!item->has_label && item->format != BM_FORMAT_YOLO
      && !g_file_test (item->label_path, G_FILE_TEST_EXISTS))
    return;
  source->annotation = bm_label_load_full (item, for_yolo ? BM_LABEL_LOAD_FOR_READING : BM_LABEL_LOAD_DEFAULT,
                                           &source->error);
  if (source->annotation == NULL || !for_yolo)
    return;
  /* The export only needs the objects: drop the format's tree now to keep memory small. */
  if (!bm_annotation_is_read_only (source->annotation))
    bm_annotation_set_backing (source->annotation, NULL, NULL);
  check_size (source);
}

GArray *
bm_export_sources_load (BmDataset *dataset, BmFormat from, BmExportSourceFlags flags)
{
  GArray *sources = g_array_new (FALSE, TRUE, sizeof (BmExportSource));
  LoadJob job = { sources, from, flags };

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      BmExportSource source = { bm_dataset_get_item (dataset, i), NULL, NULL, NULL };

      if (source.item->image_path != NULL)
        g_array_append_val (sources, source);
    }
  bm_parallel_for (sources->len, 0, load_one, &job);
  return sources;
}

void
bm_export_sources_free (GArray *sources)
{
  if (sources == NULL)
    return;
  for (guint i = 0; i < sources->len; i++)
    {
      BmExportSource *source = &g_array_index (sources, BmExportSource, i);

      g_clear_object (&source->annotation);
      g_clear_error (&source->error);
      g_clear_pointer (&source->size_problem, bm_problem_free);
    }
  g_array_unref (sources);
}

guint
bm_export_source_count_problems (const BmExportSource *source)
{
  guint n = 0;

  g_return_val_if_fail (source != NULL, 0);

  if (source->error != NULL)
    n++;
  else if (source->annotation != NULL)
    {
      guint n_file = bm_annotation_get_problems (source->annotation)->len;

      n += n_file;
      if (bm_annotation_is_read_only (source->annotation) && n_file == 0)
        n++;
    }
  if (source->size_problem != NULL)
    n++;
  return n;
}

char *
bm_export_unique_stem (GHashTable *taken, const char *path, gboolean *renamed)
{
  g_autofree char *stem = bm_path_get_stem (path);
  char *candidate = g_strdup (stem);

  g_return_val_if_fail (taken != NULL && path != NULL, NULL);

  for (guint n = 2; g_hash_table_contains (taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", stem, n);
    }
  if (renamed != NULL)
    *renamed = strcmp (candidate, stem) != 0;
  g_hash_table_add (taken, g_strdup (candidate));
  return candidate;
}
