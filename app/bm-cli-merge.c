/* bm-cli-merge.c: boxmark-cli merge — tile detections merged back onto whole images, as
 * DOTA_devkit's ResultMerge does (see dataset/bm-dota-merge.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-problem.h"
#include "dataset/bm-dota-merge.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

int
bm_cli_merge (int argc, char **argv)
{
  g_autofree char *nms = NULL, *out = NULL;
  g_auto(GStrv) paths = NULL;
  double thresh = BM_DOTA_MERGE_DEFAULT_THRESH;
  int threads = 0;
  GOptionEntry entries[] = {
    { "nms", 0, 0, G_OPTION_ARG_STRING, &nms, N_("poly: Task1 lines (8 coordinates), polygon IoU, as ResultMerge.mergebypoly; rect: Task2 lines (xmin ymin xmax ymax), as mergebyrec"), "poly|rect" },
    { "thresh", 0, 0, G_OPTION_ARG_DOUBLE, &thresh, N_("Drop a detection overlapping a kept one by more than this IoU (default 0.3 as ResultMerge.py; ResultMerge_multi_process.py uses 0.1)"), "T" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Folder for the merged files (new or empty)"), N_("DIR") },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per CPU); results do not depend on it"), "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, NULL },
    { NULL },
  };
  g_autoptr(GError) error = NULL;
  BmDotaMergeOptions options;
  BmDotaMergeReport report;

  if (!bm_cli_parse ("merge", _("TILE_RESULTS_DIR"),
                     _("Merge detections made on ImgSplit tiles (NAME__RATE__LEFT___UP) back onto the whole images,\n"
                       "with the non-maximum suppression of DOTA_devkit’s ResultMerge: every *.txt result file\n"
                       "(“TILE SCORE COORDINATES…”) becomes a file of the same name in --out."),
                     entries, &argc, &argv))
    return BM_CLI_EXIT_USAGE;

  bm_dota_merge_options_init (&options);
  if (nms == NULL)
    return bm_cli_usage_error ("merge", _("--nms poly or --nms rect is required"));
  if (strcmp (nms, "poly") == 0)
    options.nms = BM_DOTA_MERGE_POLY;
  else if (strcmp (nms, "rect") == 0)
    options.nms = BM_DOTA_MERGE_RECT;
  else
    return bm_cli_usage_error ("merge", _("--nms must be poly or rect"));
  if (!(thresh >= 0 && thresh <= 1))
    return bm_cli_usage_error ("merge", _("--thresh must lie between 0 and 1"));
  if (threads < 0)
    return bm_cli_usage_error ("merge", _("--threads must not be negative"));
  if (out == NULL)
    return bm_cli_usage_error ("merge", _("--out DIR is required"));
  if (paths == NULL || paths[0] == NULL || paths[1] != NULL)
    return bm_cli_usage_error ("merge", _("give exactly one folder of tile result files"));
  options.thresh = thresh;
  options.n_threads = (guint) threads;

  if (!g_file_test (paths[0], G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, _("%s: no such folder\n"), paths[0]);
      return BM_CLI_EXIT_FAILURE;
    }
  if (!bm_cli_check_out_outside_source ("merge", out, NULL, paths[0], NULL))
    return BM_CLI_EXIT_USAGE;

  if (!bm_dota_merge (paths[0], out, &options, &report, &error))
    {
      for (guint i = 0; report.problems != NULL && i < report.problems->len; i++)
        {
          g_autofree char *text = bm_problem_to_string (report.problems->pdata[i]);
          fprintf (stderr, "%s\n", text);
        }
      fprintf (stderr, "%s\n", error->message);
      bm_dota_merge_report_clear (&report);
      return BM_CLI_EXIT_FAILURE;
    }
  for (guint i = 0; i < report.problems->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (report.problems->pdata[i]);
      fprintf (stderr, "%s\n", text);
    }
  printf (_("Merged %u of %u result files into %s: %" PRIu64 " detections on %u images, "
            "%" PRIu64 " kept (--nms %s, --thresh %g).\n"),
          report.n_written, report.n_files, out, report.n_detections, report.n_images,
          report.n_kept, nms, thresh);
  if (report.n_written < report.n_files)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u result file was not merged: see the problems above.\n",
                         "%u result files were not merged: see the problems above.\n",
                         report.n_files - report.n_written),
            report.n_files - report.n_written);
  {
    int status = report.problems->len > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
    bm_dota_merge_report_clear (&report);
    return status;
  }
}
