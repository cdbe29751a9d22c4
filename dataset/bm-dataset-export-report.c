/* bm-dataset-export-report.c: what an export did, in words — the window's dialog and the lines
 * `boxmark-cli convert` prints.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-dataset-export.h"

#define P_(singular, plural, n) g_dngettext (GETTEXT_PACKAGE, singular, plural, n)

char *
bm_dataset_export_result_headline (const BmDatasetExportResult *result)
{
  guint n_images;

  g_return_val_if_fail (result != NULL, NULL);

  n_images = bm_export_target_is_yolo (result->target) ? result->report.n_images : result->n_images;
  return g_strdup_printf (P_("Exported %u image (%u objects) to %s", "Exported %u images (%u objects) to %s", n_images),
                          n_images, result->n_objects, result->out_dir);
}

static void
append_problems (GString *out, const BmDatasetExportResult *result, guint max_problems)
{
  for (guint i = 0; i < result->problems->len && i < max_problems; i++)
    {
      g_string_append (out, result->problems->pdata[i]);
      g_string_append_c (out, '\n');
    }
  if (result->problems->len > max_problems)
    {
      guint more = result->problems->len - max_problems;

      g_string_append_printf (out, P_("… and %u more problem.\n", "… and %u more problems.\n", more), more);
    }
}

static void
append_renamed_labels (GString *out, const BmDatasetExportResult *result)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, result->renamed_labels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (out, _("DOTA class names cannot hold spaces: “%s” was written as “%s”.\n"),
                            (char *) key, (char *) value);
}

static void
append_yolo_details (GString *out, const BmDatasetExportResult *result)
{
  const BmYoloExportReport *r = &result->report;

  if (r->val_fraction >= 0)
    g_string_append_printf (out, _("%u train, %u val (val fraction %g, seed %u)."), r->n_train, r->n_val,
                            r->val_fraction, result->seed);
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
    g_string_append_printf (out, P_("%u labelled image without objects got an empty .txt (background).\n",
                                    "%u labelled images without objects got an empty .txt (background).\n", r->n_empty_label_files), r->n_empty_label_files);
  if (r->n_unlabelled > 0)
    g_string_append_printf (out, P_("%u image was never labelled and was left out.\n",
                                    "%u images were never labelled and were left out.\n", r->n_unlabelled), r->n_unlabelled);
  if (r->n_with_problems > 0)
    g_string_append_printf (out, P_("%u image was left out because its label file has problems.\n",
                                    "%u images were left out because their label files have problems.\n", r->n_with_problems), r->n_with_problems);
  if (r->n_clipped > 0)
    g_string_append_printf (out, P_("%u box reached outside its image and was clipped to it.\n",
                                    "%u boxes reached outside their image and were clipped to it.\n", r->n_clipped), r->n_clipped);
  if (r->n_enclosed > 0)
    g_string_append_printf (out, P_("%u rotated box or quadrilateral was written as its enclosing box.\n",
                                    "%u rotated boxes or quadrilaterals were written as their enclosing boxes.\n", r->n_enclosed), r->n_enclosed);
  if (r->n_outside > 0)
    g_string_append_printf (out, P_("%u object lies entirely outside its image and got no row.\n",
                                    "%u objects lie entirely outside their image and got no row.\n", r->n_outside), r->n_outside);
  if (r->n_out_of_range > 0)
    g_string_append_printf (out, P_("%u OBB row leaves the image by more than 1 %% (Ultralytics would ignore its image).\n",
                                    "%u OBB rows leave the image by more than 1 %% (Ultralytics would ignore their images).\n", r->n_out_of_range), r->n_out_of_range);
  if (result->n_orphans > 0)
    g_string_append_printf (out, P_("%u label file without an image was left out.\n",
                                    "%u label files without an image were left out.\n", result->n_orphans), result->n_orphans);
  if (r->n_verified > 0)
    g_string_append_printf (out, P_("%u verified image stays verified.\n", "%u verified images stay verified.\n", r->n_verified),
                            r->n_verified);
}

static void
append_labels_details (GString *out, const BmDatasetExportResult *result)
{
  g_string_append_printf (out, _("%u label files written (%u copied byte for byte)."), result->n_label_files,
                          result->n_copied_as_is);
  g_string_append_c (out, '\n');
  if (result->n_verified > 0)
    g_string_append_printf (out, P_("%u verified image stays verified.\n", "%u verified images stay verified.\n", result->n_verified),
                            result->n_verified);
  if (result->n_left_out > 0)
    g_string_append_printf (out, P_("%u image was left out because of problems.\n",
                                    "%u images were left out because of problems.\n", result->n_left_out), result->n_left_out);
  if (result->n_renamed > 0)
    g_string_append_printf (out, P_("%u image was renamed because another image had the same name.\n",
                                    "%u images were renamed because another image had the same name.\n", result->n_renamed), result->n_renamed);
  if (result->n_orphans_copied > 0)
    g_string_append_printf (out, P_("%u label file without an image was copied as it is.\n",
                                    "%u label files without an image were copied as they are.\n", result->n_orphans_copied), result->n_orphans_copied);
  if (result->n_orphans_left_out > 0)
    g_string_append_printf (out, P_("%u label file without an image was left out.\n",
                                    "%u label files without an image were left out.\n", result->n_orphans_left_out), result->n_orphans_left_out);
  append_renamed_labels (out, result);
}

char *
bm_dataset_export_result_details (const BmDatasetExportResult *result, guint max_problems)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (result != NULL, NULL);

  if (bm_export_target_is_yolo (result->target))
    append_yolo_details (out, result);
  else
    append_labels_details (out, result);
  append_problems (out, result, max_problems);
  if (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* ---- boxmark-cli convert ---- */

static void
append_placed (GString *out, guint hard_linked, guint symlinked, guint copied)
{
  g_string_append_printf (out, _("Images: %u hard-linked, %u symlinked, %u copied.\n"), hard_linked, symlinked, copied);
}

static void
append_verified (GString *out, guint n_verified, const char *where)
{
  if (n_verified > 0)
    g_string_append_printf (out, P_("%u verified image stays verified (%s).\n", "%u verified images stay verified (%s).\n", n_verified),
                            n_verified, where);
}

static void
append_yolo_summary (GString *out, const BmDatasetExportResult *result)
{
  const BmYoloExportReport *r = &result->report;

  if (r->classes_from_ids)
    g_string_append_printf (out, _("No class list: class ids kept as they are (0 … %u; data.yaml and classes.txt name them by their numbers).\n"),
                            bm_class_list_get_n (r->classes) - 1);
  else if (r->classes_sorted)
    {
      g_string_append (out, _("Class ids (every label, sorted; written to data.yaml and classes.txt):\n"));
      for (guint i = 0; i < bm_class_list_get_n (r->classes); i++)
        g_string_append_printf (out, "  %u %s\n", i, bm_class_list_get_name (r->classes, i));
    }
  else
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Class ids from %s (%u class).\n", "Class ids from %s (%u classes).\n",
                                              bm_class_list_get_n (r->classes)),
                            bm_class_list_get_path (r->classes) ? bm_class_list_get_path (r->classes) : "",
                            bm_class_list_get_n (r->classes));
  for (guint i = 0; i < r->notes->len; i++)
    g_string_append_printf (out, _("Matched %s (spaces, hyphens and underscores treated alike).\n"), (char *) r->notes->pdata[i]);
  if (r->classes_txt_left_out != NULL)
    g_string_append_printf (out, "%s.\n", r->classes_txt_left_out);
  for (guint i = 0; i < r->renamed_classes->len; i++)
    g_string_append_printf (out, _("Renamed %s: a class list holds one name per line, without line breaks or tabs.\n"),
                            (char *) r->renamed_classes->pdata[i]);
  g_string_append_printf (out, _("Wrote %u images and %u label files (%u objects) to %s: %u train, %u val"),
                          r->n_images, r->n_label_files, r->n_objects, result->out_dir, r->n_train, r->n_val);
  if (r->n_test > 0)
    g_string_append_printf (out, _(", %u test"), r->n_test);
  if (r->val_fraction >= 0)
    g_string_append_printf (out, _(" (val fraction %g, seed %d)"), r->val_fraction, (int) result->seed);
  else
    g_string_append (out, _(" (the source’s splits)"));
  g_string_append (out, ".\n");
  append_placed (out, r->n_hard_linked, r->n_symlinked, r->n_copied);
  append_verified (out, r->n_verified, _("listed in labels/*/.boxmark-verified"));
  if (r->n_empty_label_files > 0)
    g_string_append_printf (out, P_("%u labelled image without objects got an empty .txt (background).\n",
                                    "%u labelled images without objects got an empty .txt (background).\n", r->n_empty_label_files), r->n_empty_label_files);
  if (r->n_unlabelled > 0)
    g_string_append_printf (out, P_("%u image was never labelled and was left out (Ultralytics would train on it as background).\n",
                                    "%u images were never labelled and were left out (Ultralytics would train on them as background).\n", r->n_unlabelled),
                            r->n_unlabelled);
  if (result->n_orphans > 0)
    g_string_append_printf (out, P_("%u label file without an image was left out.\n",
                                    "%u label files without an image were left out.\n", result->n_orphans), result->n_orphans);
  if (r->n_with_problems > 0)
    g_string_append_printf (out, P_("%u image was left out because its label file has problems.\n",
                                    "%u images were left out because their label files have problems.\n", r->n_with_problems), r->n_with_problems);
  if (r->n_clipped > 0)
    g_string_append_printf (out, result->target == BM_EXPORT_TARGET_YOLO
                                 ? P_("%u box reached outside its image and was clipped to it.\n",
                                      "%u boxes reached outside their image and were clipped to it.\n", r->n_clipped)
                                 : P_("%u OBB row was clipped to the image (--clip).\n",
                                      "%u OBB rows were clipped to the image (--clip).\n", r->n_clipped),
                            r->n_clipped);
  if (r->n_enclosed > 0)
    g_string_append_printf (out, P_("%u rotated box or quadrilateral was written as its enclosing axis-aligned box (use --to yolo-obb to keep the rotation).\n",
                                    "%u rotated boxes or quadrilaterals were written as their enclosing axis-aligned box (use --to yolo-obb to keep the rotation).\n", r->n_enclosed),
                            r->n_enclosed);
  if (r->n_outside > 0)
    g_string_append_printf (out, P_("%u object lies entirely outside its image and got no row.\n",
                                    "%u objects lie entirely outside their image and got no row.\n", r->n_outside), r->n_outside);
  if (r->n_renamed > 0)
    g_string_append_printf (out, P_("%u image was renamed because another image had the same name.\n",
                                    "%u images were renamed because another image had the same name.\n", r->n_renamed), r->n_renamed);
}

static void
append_labels_summary (GString *out, const BmDatasetExportResult *result)
{
  gboolean to_voc = result->target == BM_EXPORT_TARGET_VOC;

  if (result->n_orphans_copied > 0)
    g_string_append_printf (out, P_("%u label file without an image was copied as it is.\n",
                                    "%u label files without an image were copied as they are.\n", result->n_orphans_copied), result->n_orphans_copied);
  if (result->n_orphans_left_out > 0)
    g_string_append_printf (out, P_("%u label file without an image was left out (see above).\n",
                                    "%u label files without an image were left out (see above).\n", result->n_orphans_left_out),
                            result->n_orphans_left_out);
  append_renamed_labels (out, result);
  g_string_append_printf (out, _("Wrote %u images and %u label files to %s (%u label files copied byte for byte).\n"),
                          result->n_images, result->n_label_files, result->out_dir, result->n_copied_as_is);
  append_placed (out, result->n_placed[BM_EXPORT_HARD_LINKED], result->n_placed[BM_EXPORT_SYMLINKED],
                 result->n_placed[BM_EXPORT_COPIED]);
  append_verified (out, result->n_verified, to_voc ? _("in their XML files") : _("listed in labelTxt/.boxmark-verified"));
  if (result->n_left_out > 0)
    g_string_append_printf (out, P_("%u image was left out because of problems.\n",
                                    "%u images were left out because of problems.\n", result->n_left_out), result->n_left_out);
  if (result->n_renamed > 0)
    g_string_append_printf (out, P_("%u image was renamed because another image had the same name.\n",
                                    "%u images were renamed because another image had the same name.\n", result->n_renamed), result->n_renamed);
}

char *
bm_dataset_export_result_summary (const BmDatasetExportResult *result)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (result != NULL, NULL);

  if (result->error != NULL)
    return g_string_free (out, FALSE);
  if (bm_export_target_is_yolo (result->target))
    append_yolo_summary (out, result);
  else
    append_labels_summary (out, result);
  return g_string_free (out, FALSE);
}
