/* bm-cli-convert-coco.c: `boxmark-cli convert --to coco` and `--from coco`, kept apart from the
 * VOC/DOTA/YOLO paths of bm-cli-convert.c; the work is dataset/bm-coco-convert.c's.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "dataset/bm-coco-convert.h"
#include "dataset/bm-export-source.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

gboolean
bm_cli_convert_is_coco (const char *to, const char *from)
{
  return (to != NULL && g_ascii_strcasecmp (to, "coco") == 0)
         || (from != NULL && g_ascii_strcasecmp (from, "coco") == 0);
}

static void
print_report (const BmCocoConvertReport *report, const char *out, GPtrArray *problems)
{
  for (guint i = 0; i < problems->len && i < 200; i++)
    {
      g_autofree char *text = bm_problem_to_string (problems->pdata[i]);

      fprintf (stderr, "%s\n", text);
    }
  if (problems->len > 200)
    fprintf (stderr, _("… and %u more\n"), problems->len - 200);
  for (guint i = 0; report->renamed != NULL && i < report->renamed->len; i++)
    printf (_("DOTA class names cannot hold spaces: %s.\n"), (char *) report->renamed->pdata[i]);
  printf (_("Wrote %u images, %u objects, %u categories in %u files to %s.\n"), report->n_images, report->n_objects,
          report->n_categories, report->n_files, out);
  printf (_("Images: %u hard-linked, %u symlinked, %u copied.\n"), report->n_hard_linked, report->n_symlinked, report->n_copied);
  if (report->n_verified > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u verified image stays verified.\n", "%u verified images stay verified.\n",
                         report->n_verified), report->n_verified);
  if (report->n_unlabelled > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was never labelled and was left out.\n",
                         "%u images were never labelled and were left out.\n", report->n_unlabelled), report->n_unlabelled);
  if (report->n_with_problems > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was left out because of problems (see above).\n",
                         "%u images were left out because of problems (see above).\n", report->n_with_problems),
            report->n_with_problems);
  if (report->n_missing_images > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was not found: its labels were written without it.\n",
                         "%u images were not found: their labels were written without them.\n", report->n_missing_images),
            report->n_missing_images);
}

int
bm_cli_convert_coco (const char *to, const char *from, const char *classes_file, gboolean copy,
                     const char *out, const char *source)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(GError) error = NULL;
  BmCocoConvertReport report = { 0 };
  gboolean ok;

  if (classes_file != NULL && (classes = bm_class_list_load (classes_file, &error)) == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  if (!bm_cli_check_out_outside_source ("convert", out, NULL, source, NULL))
    return BM_CLI_EXIT_USAGE;

  if (from != NULL && g_ascii_strcasecmp (from, "coco") == 0)
    {
      static const char *const names[] = { "voc", "dota", "yolo", "yolo-obb", "coco" };
      BmCocoTarget target = BM_COCO_TO_COCO;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_ascii_strcasecmp (to, names[i]) == 0)
          {
            target = (BmCocoTarget) i;
            known = TRUE;
          }
      if (!known)
        return bm_cli_usage_error ("convert", _("--to must be voc, dota, yolo, yolo-obb or coco"));
      printf (_("Reading %s: COCO instances JSON.\n"), source);
      ok = bm_coco_convert_from (source, target, classes, out, copy, &report, problems, &error);
    }
  else
    {
      g_autoptr(BmDataset) dataset = bm_dataset_open (source, TRUE, &error);
      GArray *loaded;

      if (dataset == NULL)
        {
          fprintf (stderr, "boxmark-cli convert: %s\n", error->message);
          return BM_CLI_EXIT_FAILURE;
        }
      if (!bm_cli_check_out_outside_source ("convert", out, NULL, source, bm_dataset_get_root (dataset)))
        return BM_CLI_EXIT_USAGE;
      printf (_("Reading %s: %s layout, %s labels, %u images.\n"), source,
              bm_layout_to_string (bm_dataset_get_layout (dataset)),
              bm_format_to_string (bm_dataset_get_format (dataset)),
              bm_dataset_get_n_items (dataset) - bm_dataset_get_n_orphans (dataset));
      loaded = bm_export_sources_load (dataset, BM_FORMAT_NONE, BM_EXPORT_SOURCE_DEFAULT);
      for (guint i = 0; i < loaded->len; i++)
        {
          const BmExportSource *entry = &g_array_index (loaded, BmExportSource, i);

          if (entry->error != NULL)
            g_ptr_array_add (problems, bm_problem_new (entry->item->label_path, 0, entry->error->message));
          else if (entry->annotation != NULL)
            for (guint k = 0; k < bm_annotation_get_problems (entry->annotation)->len; k++)
              g_ptr_array_add (problems, bm_problem_copy (bm_annotation_get_problems (entry->annotation)->pdata[k]));
        }
      ok = bm_coco_convert_dataset (dataset, loaded, classes, out, copy, &report, problems, &error);
      bm_export_sources_free (loaded);
    }
  if (!ok)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *text = bm_problem_to_string (problems->pdata[i]);

          fprintf (stderr, "%s\n", text);
        }
      fprintf (stderr, "%s\n", error->message);
      bm_coco_convert_report_clear (&report);
      return g_error_matches (error, BM_ERROR, BM_ERROR_NOT_FOUND) ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
    }
  print_report (&report, out, problems);
  bm_coco_convert_report_clear (&report);
  return problems->len > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}
