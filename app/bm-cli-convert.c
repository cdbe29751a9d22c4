/* bm-cli-convert.c: boxmark-cli convert — VOC, DOTA and YOLO datasets into each other.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-dota.h"
#include "dataset/bm-export-source.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

typedef struct
{
  char *to;
  char *from;
  char *classes;
  char *data;
  double val_fraction;
  int seed;
  gboolean copy;
  gboolean clip;
  char *out;
  char **sources;
  char *shard_text;
  BmShard shard;
} Options;

static void
print_problem (const BmProblem *problem)
{
  g_autofree char *text = bm_problem_to_string (problem);
  fprintf (stderr, "%s\n", text);
}

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("convert", message);
}

/* Loads every item's labels (in parallel), then reports in item order. Problems go to stderr
 * and are counted; an item whose file has problems keeps its annotation (read-only) so the
 * exporters can leave its image out. */
static GArray *
load_items (BmDataset *dataset, BmFormat from, gboolean for_yolo, guint *n_problems, guint *n_orphans)
{
  GArray *loaded;

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->image_path == NULL)
        {
          g_autoptr(BmProblem) problem =
            bm_problem_new (item->label_path, 0, _("label file without an image"));
          print_problem (problem);
          (*n_orphans)++;
        }
    }

  loaded = bm_export_sources_load (dataset, from,
                                   for_yolo ? BM_EXPORT_SOURCE_FOR_YOLO : BM_EXPORT_SOURCE_DEFAULT);
  for (guint i = 0; i < loaded->len; i++)
    {
      const BmExportSource *entry = &g_array_index (loaded, BmExportSource, i);

      if (entry->error != NULL)
        fprintf (stderr, "%s\n", entry->error->message);
      else if (entry->annotation != NULL)
        {
          GPtrArray *problems = bm_annotation_get_problems (entry->annotation);

          for (guint k = 0; k < problems->len; k++)
            print_problem (problems->pdata[k]);
        }
      if (entry->size_problem != NULL)
        print_problem (entry->size_problem);
      *n_problems += bm_export_source_count_problems (entry);
    }
  return loaded;
}

static void
print_verified (guint n_verified, const char *where)
{
  if (n_verified > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u verified image stays verified (%s).\n",
                         "%u verified images stay verified (%s).\n", n_verified), n_verified, where);
}

/* ---- to YOLO ---- */

static BmClassList *
choose_classes (const Options *opts, BmDataset *dataset, BmFormat source_format, GError **error)
{
  const char *file = opts->classes != NULL ? opts->classes : opts->data;

  if (file != NULL)
    return bm_class_list_load (file, error);
  /* A YOLO source already has ids: keep them rather than renumber. */
  if (source_format == BM_FORMAT_YOLO && bm_dataset_get_class_file (dataset) != NULL)
    return bm_class_list_load (bm_dataset_get_class_file (dataset), error);
  return NULL;
}

static int
convert_to_yolo (const Options *opts, BmCliTarget target, BmDataset *dataset, GArray *loaded,
                 BmClassList *classes, guint n_problems)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GError) error = NULL;
  BmYoloExportOptions options = {
    target == BM_CLI_TARGET_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT,
    classes, opts->val_fraction, (guint) opts->seed, opts->copy, opts->clip, TRUE,
  };
  BmYoloExportReport report;
  gboolean ok;

  for (guint i = 0; i < loaded->len; i++)
    {
      BmExportSource *entry = &g_array_index (loaded, BmExportSource, i);
      BmYoloExportItem *item = g_new0 (BmYoloExportItem, 1);

      item->image_path = entry->item->image_path;
      item->annotation = entry->annotation;
      item->split = entry->item->split;
      item->elsewhere = !bm_shard_contains_item (&opts->shard, dataset, entry->item);
      g_ptr_array_add (items, item);
    }

  ok = bm_yolo_export (items, opts->out, &options, &report, problems, &error);
  for (guint i = 0; i < problems->len; i++)
    print_problem (problems->pdata[i]);
  if (!ok)
    {
      fprintf (stderr, "%s\n", error->message);
      bm_yolo_export_report_clear (&report);
      return g_error_matches (error, BM_ERROR, BM_ERROR_NOT_FOUND) ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
    }

  if (report.classes_from_ids)
    printf (_("No class list: class ids kept as they are (0 … %u; data.yaml and classes.txt name them by their numbers).\n"),
            bm_class_list_get_n (report.classes) - 1);
  else if (report.classes_sorted)
    {
      printf (_("Class ids (every label, sorted; written to data.yaml and classes.txt):\n"));
      for (guint i = 0; i < bm_class_list_get_n (report.classes); i++)
        printf ("  %u %s\n", i, bm_class_list_get_name (report.classes, i));
    }
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "Class ids from %s (%u class).\n", "Class ids from %s (%u classes).\n", bm_class_list_get_n (report.classes)),
            bm_class_list_get_path (report.classes) ? bm_class_list_get_path (report.classes) : "",
            bm_class_list_get_n (report.classes));
  for (guint i = 0; i < report.notes->len; i++)
    printf (_("Matched %s (spaces, hyphens and underscores treated alike).\n"),
            (char *) report.notes->pdata[i]);
  if (report.classes_txt_left_out != NULL)
    printf ("%s.\n", report.classes_txt_left_out);
  for (guint i = 0; i < report.renamed_classes->len; i++)
    printf (_("Renamed %s: a class list holds one name per line, without line breaks or tabs.\n"),
            (char *) report.renamed_classes->pdata[i]);
  printf (_("Wrote %u images and %u label files (%u objects) to %s: %u train, %u val"),
          report.n_images, report.n_label_files, report.n_objects, opts->out, report.n_train, report.n_val);
  if (report.n_test > 0)
    printf (_(", %u test"), report.n_test);
  if (report.val_fraction >= 0)
    printf (_(" (val fraction %g, seed %d)"), report.val_fraction, opts->seed);
  else
    printf (_(" (the source’s splits)"));
  printf (".\n");
  printf (_("Images: %u hard-linked, %u symlinked, %u copied.\n"),
          report.n_hard_linked, report.n_symlinked, report.n_copied);
  print_verified (report.n_verified, _("listed in labels/*/.boxmark-verified"));
  if (report.n_empty_label_files > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u labelled image without objects got an empty .txt (background).\n",
                         "%u labelled images without objects got an empty .txt (background).\n", report.n_empty_label_files), report.n_empty_label_files);
  if (report.n_unlabelled > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was never labelled and was left out (Ultralytics would train on it as background).\n",
                         "%u images were never labelled and were left out (Ultralytics would train on them as background).\n", report.n_unlabelled),
            report.n_unlabelled);
  if (n_problems > 0 && bm_dataset_get_n_orphans (dataset) > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u label file without an image was left out.\n",
                         "%u label files without an image were left out.\n", bm_dataset_get_n_orphans (dataset)), bm_dataset_get_n_orphans (dataset));
  if (report.n_with_problems > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was left out because its label file has problems.\n",
                         "%u images were left out because their label files have problems.\n", report.n_with_problems), report.n_with_problems);
  if (report.n_clipped > 0)
    printf (options.task == BM_YOLO_DETECT
            ? g_dngettext (GETTEXT_PACKAGE, "%u box reached outside its image and was clipped to it.\n",
                           "%u boxes reached outside their image and were clipped to it.\n", report.n_clipped)
            : g_dngettext (GETTEXT_PACKAGE, "%u OBB row was clipped to the image (--clip).\n",
                           "%u OBB rows were clipped to the image (--clip).\n", report.n_clipped),
            report.n_clipped);
  if (report.n_enclosed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u rotated box or quadrilateral was written as its enclosing axis-aligned box (use --to yolo-obb to keep the rotation).\n",
                         "%u rotated boxes or quadrilaterals were written as their enclosing axis-aligned box (use --to yolo-obb to keep the rotation).\n", report.n_enclosed),
            report.n_enclosed);
  if (report.n_outside > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u object lies entirely outside its image and got no row.\n",
                         "%u objects lie entirely outside their image and got no row.\n", report.n_outside), report.n_outside);
  if (report.n_renamed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was renamed because another image had the same name.\n",
                         "%u images were renamed because another image had the same name.\n", report.n_renamed), report.n_renamed);
  n_problems += problems->len;
  bm_yolo_export_report_clear (&report);
  return n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}

/* ---- to VOC or DOTA ---- */

static char *
unique_stem (GHashTable *taken, const char *image_path, guint *n_renamed)
{
  g_autofree char *stem = bm_path_get_stem (image_path);
  char *candidate = g_strdup (stem);

  for (guint n = 2; g_hash_table_contains (taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", stem, n);
      if (n == 2)
        (*n_renamed)++;
    }
  g_hash_table_add (taken, g_strdup (candidate));
  return candidate;
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
              guint *n_copied, guint *n_left_out, GError **error)
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
          g_autoptr(BmProblem) problem =
            bm_problem_new_printf (item->label_path, 0,
                                   _("left out: a label file without an image cannot be converted to %s"),
                                   bm_format_to_string (format));
          print_problem (problem);
          (*n_left_out)++;
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
          g_autoptr(BmProblem) problem =
            bm_problem_new_printf (item->label_path, 0,
                                   _("label file without an image: copied as %s because %s was already written"),
                                   target, wanted);
          print_problem (problem);
        }
      if (!bm_file_read_all (item->label_path, &data, &length, error))
        return FALSE;
      if (!bm_export_write_new_file (target, data, length, error))
        return FALSE;
      /* VOC keeps verified in the file itself */
      if (format != BM_FORMAT_VOC && bm_label_sidecar_is_verified (item->label_path))
        g_ptr_array_add (verified, g_steal_pointer (&target));
      (*n_copied)++;
    }
  return TRUE;
}

static int
convert_to_voc_or_dota (const Options *opts, BmCliTarget target, BmDataset *dataset, GArray *loaded,
                        guint n_problems)
{
  gboolean to_voc = target == BM_CLI_TARGET_VOC;
  BmFormat format = to_voc ? BM_FORMAT_VOC : BM_FORMAT_DOTA;
  g_autofree char *image_dir = g_build_filename (opts->out, to_voc ? "JPEGImages" : "images", NULL);
  g_autofree char *label_dir = g_build_filename (opts->out, to_voc ? "Annotations" : "labelTxt", NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) verified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n_images = 0, n_labels = 0, n_copied_bytes = 0, n_skipped = 0, n_renamed = 0;
  guint n_orphans = 0, n_orphans_left_out = 0, n_verified = 0;
  guint placed[3] = { 0, 0, 0 };

  /* shards share the folder; each still never overwrites a file */
  if (bm_shard_is_all (&opts->shard) && !bm_export_folder_is_empty_or_missing (opts->out))
    {
      fprintf (stderr, _("%s is not empty; choose a new or empty folder (nothing is ever overwritten)\n"), opts->out);
      return BM_CLI_EXIT_FAILURE;
    }
  if (!bm_export_make_dir (image_dir, &error) || !bm_export_make_dir (label_dir, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }

  for (guint i = 0; i < loaded->len; i++)
    {
      BmExportSource *entry = &g_array_index (loaded, BmExportSource, i);
      BmAnnotation *annotation = entry->annotation;
      g_autofree char *base = g_path_get_basename (entry->item->image_path);
      g_autofree char *stem = NULL;
      g_autofree char *image_name = NULL;
      g_autofree char *image_target = NULL;
      g_autofree char *label_name = NULL;
      g_autofree char *label_target = NULL;
      g_autofree char *data = NULL;
      const char *dot = strrchr (base, '.');
      gsize length = 0;
      BmExportPlacement placement;

      gboolean same_format = annotation != NULL && bm_annotation_get_format (annotation) == format
                             && entry->item->has_label;

      /* A file with problems cannot be re-written without losing what could not be read, but
       * into the same format its bytes can be carried over as they are. */
      if (annotation != NULL && bm_annotation_is_read_only (annotation) && !same_format)
        {
          g_autoptr(BmProblem) problem =
            bm_problem_new (entry->item->label_path, 0,
                            _("the label file has problems (see above); left out so that nothing is half-converted"));
          print_problem (problem);
          n_skipped++;
          continue;
        }
      stem = unique_stem (taken, entry->item->image_path, &n_renamed);
      image_name = g_strconcat (stem, dot != NULL ? dot : "", NULL);
      image_target = g_build_filename (image_dir, image_name, NULL);
      label_name = g_strconcat (stem, to_voc ? ".xml" : ".txt", NULL);
      label_target = g_build_filename (label_dir, label_name, NULL);
      if (!bm_shard_contains_item (&opts->shard, dataset, entry->item))
        {
          /* another shard writes it; the verified list names it in every shard */
          if (annotation != NULL && !to_voc && bm_annotation_get_verified (annotation))
            g_ptr_array_add (verified, g_steal_pointer (&label_target));
          continue;
        }

      if (annotation != NULL)
        {
          if (same_format)
            {
              /* Same format, nothing edited: the bytes as they are. */
              if (!bm_file_read_all (entry->item->label_path, &data, &length, &error))
                {
                  fprintf (stderr, "%s\n", error->message);
                  return BM_CLI_EXIT_FAILURE;
                }
              n_copied_bytes++;
            }
          else
            {
              if (!to_voc)
                bm_dota_hyphenate_labels (annotation, renamed);
              bm_annotation_set_image_path (annotation, image_target);
              bm_annotation_set_label_path (annotation, label_target);
              data = to_voc ? bm_voc_to_data (annotation, &length, &error)
                            : bm_dota_to_data (annotation, &length, &error);
              if (data == NULL)
                {
                  fprintf (stderr, "%s: %s\n", entry->item->label_path, error->message);
                  g_clear_error (&error);
                  n_problems++;
                  n_skipped++;
                  continue;
                }
            }
          if (!bm_export_write_new_file (label_target, data, length, &error))
            {
              fprintf (stderr, "%s\n", error->message);
              return BM_CLI_EXIT_FAILURE;
            }
          n_labels++;
          /* VOC keeps verified in the file (written, or carried in the copied bytes) */
          if (bm_annotation_get_verified (annotation))
            {
              n_verified++;
              if (!to_voc)
                g_ptr_array_add (verified, g_strdup (label_target));
            }
        }
      if (!bm_export_place_image (entry->item->image_path, image_target, opts->copy, &placement, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return BM_CLI_EXIT_FAILURE;
        }
      placed[placement]++;
      n_images++;
    }

  if (!copy_orphans (dataset, &opts->shard, format, label_dir, verified, &n_orphans, &n_orphans_left_out, &error)
      || !bm_label_write_sidecars (verified, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  if (n_orphans > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u label file without an image was copied as it is.\n",
                         "%u label files without an image were copied as they are.\n", n_orphans), n_orphans);
  if (n_orphans_left_out > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u label file without an image was left out (see above).\n",
                         "%u label files without an image were left out (see above).\n", n_orphans_left_out),
            n_orphans_left_out);

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, renamed);
    while (g_hash_table_iter_next (&iter, &key, &value))
      printf (_("DOTA class names cannot hold spaces: “%s” was written as “%s”.\n"),
              (char *) key, (char *) value);
  }
  printf (_("Wrote %u images and %u label files to %s (%u label files copied byte for byte).\n"),
          n_images, n_labels, opts->out, n_copied_bytes);
  printf (_("Images: %u hard-linked, %u symlinked, %u copied.\n"),
          placed[BM_EXPORT_HARD_LINKED], placed[BM_EXPORT_SYMLINKED], placed[BM_EXPORT_COPIED]);
  print_verified (n_verified, to_voc ? _("in their XML files") : _("listed in labelTxt/.boxmark-verified"));
  if (n_skipped > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was left out because of problems.\n",
                         "%u images were left out because of problems.\n", n_skipped), n_skipped);
  if (n_renamed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was renamed because another image had the same name.\n",
                         "%u images were renamed because another image had the same name.\n", n_renamed), n_renamed);
  return n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}

static int
convert_with_options (Options *opts)
{
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(GError) error = NULL;
  GArray *loaded;
  BmCliTarget target;
  BmFormat from = BM_FORMAT_NONE;
  guint n_problems = 0, n_orphans = 0;
  gint64 start;
  int status;

  if (opts->to == NULL)
    return usage_error (_("--to is required"));
  if (!bm_cli_parse_target (opts->to, &target))
    return usage_error (_("--to must be voc, dota, yolo or yolo-obb"));
  if (opts->from != NULL && !bm_format_from_string (opts->from, &from))
    return usage_error (_("--from must be voc, dota or yolo"));
  if (opts->out == NULL)
    return usage_error (_("--out is required"));
  if (opts->sources == NULL || opts->sources[0] == NULL)
    return usage_error (_("the source dataset SRC is missing"));
  if (opts->sources[1] != NULL)
    return usage_error (_("only one source dataset can be converted at a time"));
  if (opts->classes != NULL && opts->data != NULL)
    return usage_error (_("give either --classes or --data, not both"));
  if (opts->val_fraction != -1 && (opts->val_fraction < 0 || opts->val_fraction >= 1))
    return usage_error (_("--val-fraction must be at least 0 and below 1"));
  if (opts->seed < 0)
    return usage_error (_("--seed must not be negative"));
  if ((opts->classes != NULL || opts->data != NULL || opts->val_fraction != -1 || opts->clip)
      && target != BM_CLI_TARGET_YOLO && target != BM_CLI_TARGET_YOLO_OBB)
    return usage_error (_("--classes, --data, --val-fraction and --clip are for --to yolo or yolo-obb"));

  start = g_get_monotonic_time ();
  dataset = bm_dataset_open (opts->sources[0], TRUE, &error);
  if (dataset == NULL)
    {
      fprintf (stderr, "boxmark-cli convert: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  g_debug ("dataset opened in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  bm_cli_print_dataset_problems ("convert", dataset);
  if (!bm_cli_check_out_outside_source ("convert", opts->out, NULL, opts->sources[0], bm_dataset_get_root (dataset)))
    return BM_CLI_EXIT_USAGE;
  if (opts->from == NULL)
    from = bm_dataset_get_format (dataset);
  printf (_("Reading %s: %s layout, %s labels, %u images.\n"), opts->sources[0],
          bm_layout_to_string (bm_dataset_get_layout (dataset)), bm_format_to_string (from),
          bm_dataset_get_n_items (dataset) - bm_dataset_get_n_orphans (dataset));
  fflush (stdout);

  if (target == BM_CLI_TARGET_YOLO || target == BM_CLI_TARGET_YOLO_OBB)
    {
      classes = choose_classes (opts, dataset, from, &error);
      if (classes == NULL && error != NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return error->code == BM_ERROR_NOT_FOUND || error->code == BM_ERROR_IO
                 ? BM_CLI_EXIT_FAILURE : BM_CLI_EXIT_PROBLEMS;
        }
    }

  start = g_get_monotonic_time ();
  loaded = load_items (dataset, opts->from != NULL ? from : BM_FORMAT_NONE,
                       target == BM_CLI_TARGET_YOLO || target == BM_CLI_TARGET_YOLO_OBB,
                       &n_problems, &n_orphans);
  g_debug ("labels loaded in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  start = g_get_monotonic_time ();
  n_problems += n_orphans;
  if (target == BM_CLI_TARGET_YOLO || target == BM_CLI_TARGET_YOLO_OBB)
    status = convert_to_yolo (opts, target, dataset, loaded, classes, n_problems);
  else
    status = convert_to_voc_or_dota (opts, target, dataset, loaded, n_problems);
  g_debug ("written in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  start = g_get_monotonic_time ();
  bm_export_sources_free (loaded);
  g_debug ("freed in %.3f s", (g_get_monotonic_time () - start) / 1e6);

  return status;
}

int
bm_cli_convert (int argc, char **argv)
{
  Options opts = { NULL, NULL, NULL, NULL, -1, 0, FALSE, FALSE, NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &opts.to, N_("Output format: voc, dota, yolo or yolo-obb"), N_("FORMAT") },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &opts.from, N_("Input label format when the layout is ambiguous: voc, dota or yolo"), N_("FORMAT") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Ordered class list (one name per line) giving YOLO class ids"), N_("FILE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opts.data, N_("Ultralytics data.yaml whose names give YOLO class ids"), N_("FILE") },
    { "val-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &opts.val_fraction, N_("Fraction of images for val (default: keep the source’s splits, else 0.2)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &opts.seed, N_("Seed of the deterministic train/val split (default 0)"), N_("S") },
    { "copy", 0, 0, G_OPTION_ARG_NONE, &opts.copy, N_("Copy images instead of hard-linking (or symlinking) them"), NULL },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &opts.clip, N_("Clip YOLO-OBB corners to the image (detect rows are always clipped)"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder (new or empty)"), N_("DIR") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &opts.shard_text, N_("Only part K of N of the images; the shards may share DIR (see README: datasets larger than one machine)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.sources, NULL, NULL },
    { NULL }
  };
  if (bm_cli_parse ("convert", _("--to FORMAT --out DIR SRC"),
                     _("Converts the dataset in SRC (Pascal VOC, DOTA or YOLO, found from its layout) "
                       "into a new folder.\n\n"
                       "  --to voc       Annotations/*.xml + JPEGImages/ (VOC files are copied byte for byte)\n"
                       "  --to dota      labelTxt/*.txt + images/\n"
                       "  --to yolo      Ultralytics: images/{train,val}, labels/{train,val}, data.yaml\n"
                       "  --to yolo-obb  the same with 4-corner OBB rows\n\n"
                       "YOLO class ids come from --classes or --data, from a YOLO source’s own list, or else "
                       "from every label sorted (printed and written to data.yaml and classes.txt). "
                       "A label missing from a given list is an error; ids are never renumbered silently. "
                       "Labelled images without objects get an empty .txt; images never labelled are left "
                       "out (Ultralytics would train on them as background). Detect rows are clipped to the "
                       "image; rotated boxes become their enclosing box.\n\n"
                       "Verified images stay verified: VOC keeps the mark in the XML, DOTA and YOLO in a "
                       ".boxmark-verified file in each label folder. Label files without an image are copied "
                       "as they are (into the same format only), in their subfolders; each one left out is "
                       "named. OUT must be new or empty and lie outside SRC.\n\n"
                       "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                       "2 bad command line, 3 failure."),
                     entries, &argc, &argv) && bm_cli_parse_shard ("convert", opts.shard_text, &opts.shard))
    status = convert_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.to);
  g_free (opts.from);
  g_free (opts.classes);
  g_free (opts.data);
  g_free (opts.out);
  g_free (opts.shard_text);
  g_strfreev (opts.sources);
  return status;
}
