/* bm-cli-eval.c: boxmark-cli eval — mAP of predictions against ground truth, as the benchmarks'
 * own code computes it (dataset/bm-eval.h), with plots and a list of conflicts.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "dataset/bm-eval.h"
#include "dataset/bm-eval-conflicts.h"
#include "dataset/bm-eval-plot.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

/* Past this many, problems of one kind are counted rather than listed. */
#define MAX_LISTED 200

typedef struct
{
  char *metric;
  gboolean all_points;
  double iou;
  char *gt;
  char *pred;
  char *pred_format;
  char *imageset;
  char *classes;
  gboolean json;
  char *plot;
  char *errors;
  double score_threshold;
  double loose_iou;
} Options;

static guint
print_problems (GPtrArray *problems, const char *prefix)
{
  for (guint i = 0; i < problems->len && i < MAX_LISTED; i++)
    {
      g_autofree char *text = bm_problem_to_string (problems->pdata[i]);

      fprintf (stderr, "%s%s\n", prefix, text);
    }
  if (problems->len > MAX_LISTED)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%s… and %u more\n", "%s… and %u more\n", problems->len - MAX_LISTED),
             prefix, problems->len - MAX_LISTED);
  return problems->len;
}

static int
eval_with_options (Options *opts)
{
  g_autoptr(BmEvalGt) gt = NULL;
  g_autoptr(BmPredSet) preds = NULL;
  g_autoptr(BmEvalResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BmEvalOptions options;
  BmEvalMetric metric;
  BmPredFormat format = BM_PRED_FORMAT_AUTO;
  guint n_problems;

  if (opts->metric == NULL)
    return bm_cli_usage_error ("eval", _("--metric is required (voc07, voc, coco, dota-task1 or dota-task2)"));
  if (!bm_eval_metric_from_string (opts->metric, &metric))
    return bm_cli_usage_error ("eval", _("--metric must be voc07, voc, coco, dota-task1 or dota-task2"));
  if (opts->gt == NULL || opts->pred == NULL)
    return bm_cli_usage_error ("eval", _("--gt and --pred are required"));
  if (opts->pred_format != NULL && !bm_pred_format_from_string (opts->pred_format, &format))
    return bm_cli_usage_error ("eval", _("--pred-format must be voc, dota-task1, dota-task2, coco, yolo or labels"));
  if (!(opts->iou > 0 && opts->iou < 1))
    return bm_cli_usage_error ("eval", _("--iou must lie between 0 and 1"));
  if (metric == BM_EVAL_COCO && opts->all_points)
    return bm_cli_usage_error ("eval", _("--all-points is for voc07 and the DOTA metrics (COCO interpolates at 101 recall points)"));
  if (metric == BM_EVAL_COCO)
    {
      gboolean found = FALSE;

      for (int t = 0; t < 10; t++)
        found |= fabs (opts->iou - (0.5 + 0.05 * t)) < 1e-9;
      if (!found)
        return bm_cli_usage_error ("eval", _("with --metric coco, --iou picks one of COCO’s thresholds 0.5, 0.55, … 0.95 for the per-class counts and the curves"));
    }
  if (!(opts->score_threshold >= 0) || !(opts->loose_iou > 0 && opts->loose_iou < opts->iou))
    return bm_cli_usage_error ("eval", _("--score-threshold must not be negative, and --loose-iou must lie between 0 and --iou"));

  gt = bm_eval_gt_load (opts->gt, &error);
  if (gt == NULL)
    {
      fprintf (stderr, "boxmark-cli eval: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  preds = bm_pred_set_read (opts->pred, format, &error);
  if (preds == NULL)
    {
      fprintf (stderr, "boxmark-cli eval: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  bm_eval_options_init (&options, metric);
  options.all_points = opts->all_points;
  options.iou = opts->iou;
  options.classes_file = opts->classes;
  options.imageset_file = opts->imageset;
  result = bm_eval_run (gt, preds, &options, &error);
  if (result == NULL)
    {
      fprintf (stderr, "boxmark-cli eval: %s\n", error->message);
      return error->domain == BM_ERROR && error->code == BM_ERROR_INVALID ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
    }

  n_problems = print_problems (result->problems, "");
  print_problems (result->notes, _("note: "));
  if (opts->json)
    {
      g_autofree char *json = bm_eval_result_to_json (result);

      fputs (json, stdout);
    }
  else
    {
      g_autofree char *text = bm_eval_result_to_text (result);

      fputs (text, stdout);
    }

  if (opts->plot != NULL)
    {
      g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);

      if (!bm_eval_plot_write (result, gt, preds, opts->score_threshold, opts->plot, written, &error))
        {
          fprintf (stderr, "boxmark-cli eval: %s\n", error->message);
          return BM_CLI_EXIT_FAILURE;
        }
      if (!opts->json)
        printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u plot to %s.\n", "Wrote %u plots to %s.\n", written->len),
                written->len, opts->plot);
    }
  if (opts->errors != NULL)
    {
      BmEvalConflictOptions conflict_options;
      g_autoptr(BmEvalConflicts) conflicts = NULL;

      bm_eval_conflict_options_init (&conflict_options);
      conflict_options.score_threshold = opts->score_threshold;
      conflict_options.iou = opts->iou;
      conflict_options.loose_iou = opts->loose_iou;
      conflicts = bm_eval_conflicts_find (gt, preds, &conflict_options);
      if (!bm_eval_conflicts_write (conflicts, opts->errors, &error))
        {
          fprintf (stderr, "boxmark-cli eval: %s\n", error->message);
          return BM_CLI_EXIT_FAILURE;
        }
      if (!opts->json)
        printf (_("Wrote %u conflicts on %u images to %s.\n"), bm_eval_conflicts_get_n (conflicts),
                bm_eval_conflicts_get_n_images (conflicts), opts->errors);
    }
  return n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}

int
bm_cli_eval (int argc, char **argv)
{
  Options opts = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "metric", 'm', 0, G_OPTION_ARG_STRING, &opts.metric, N_("voc07, voc, coco, dota-task1 or dota-task2"), N_("METRIC") },
    { "all-points", 0, 0, G_OPTION_ARG_NONE, &opts.all_points, N_("All-points AP instead of 11-point (voc07, dota-task1, dota-task2)"), NULL },
    { "iou", 0, 0, G_OPTION_ARG_DOUBLE, &opts.iou, N_("IoU threshold (default 0.5; VOC and DOTA: a TP needs more than it)"), N_("T") },
    { "gt", 'g', 0, G_OPTION_ARG_FILENAME, &opts.gt, N_("Ground truth: a dataset folder or a COCO instances .json"), N_("PATH") },
    { "pred", 'p', 0, G_OPTION_ARG_FILENAME, &opts.pred, N_("Predictions: a results file or folder"), N_("PATH") },
    { "pred-format", 0, 0, G_OPTION_ARG_STRING, &opts.pred_format, N_("voc, dota-task1, dota-task2, coco, yolo or labels (default: found from the files)"), N_("FORMAT") },
    { "imageset", 0, 0, G_OPTION_ARG_FILENAME, &opts.imageset, N_("Image ids to evaluate, one per line"), N_("FILE") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Classes to evaluate, in mAP order (classes.txt or data.yaml)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opts.json, N_("Print one JSON object"), NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &opts.plot, N_("Write precision–recall curves and a confusion matrix (PNG and SVG) into DIR"), N_("DIR") },
    { "errors", 0, 0, G_OPTION_ARG_FILENAME, &opts.errors, N_("Write every conflict between predictions and labels, per image, to FILE (.json for JSON)"), N_("FILE") },
    { "score-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &opts.score_threshold, N_("Predictions below this score are not conflicts nor in the confusion matrix (default 0.5)"), N_("S") },
    { "loose-iou", 0, 0, G_OPTION_ARG_DOUBLE, &opts.loose_iou, N_("A prediction of the right class overlapping a label by at least this (and less than --iou) is a loose box (default 0.1)"), N_("L") },
    { NULL }
  };

  opts.iou = 0.5;
  opts.score_threshold = 0.5;
  opts.loose_iou = 0.1;
  if (bm_cli_parse ("eval", _("--metric METRIC --gt DATASET|instances.json --pred PATH"),
                    _("Evaluates predictions against ground truth exactly as the benchmark’s own code does:\n\n"
                      "  voc07       py-faster-rcnn voc_eval, 11-point AP (VOC2007)\n"
                      "  voc         the same, all-points AP\n"
                      "  dota-task1  DOTA_devkit Task1 (polygon IoU), 11-point as its main(); --all-points\n"
                      "  dota-task2  DOTA_devkit Task2 (horizontal boxes)\n"
                      "  coco        pycocotools COCOeval bbox, its 12 stats\n\n"
                      "Predictions: VOC results files (comp4_det_test_CLASS.txt), DOTA Task1_/Task2_CLASS.txt, COCO "
                      "results JSON, Ultralytics txt with a trailing confidence, or a label folder whose objects "
                      "carry a score; the format is found from the files. Bad lines are reported as "
                      "FILE:LINE: problem and left out; where the reference would stop, the message says so.\n\n"
                      "Exit status: 0 done, 1 done but input was left out, 2 bad command line, 3 failure."),
                    entries, &argc, &argv))
    status = eval_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.metric);
  g_free (opts.gt);
  g_free (opts.pred);
  g_free (opts.pred_format);
  g_free (opts.imageset);
  g_free (opts.classes);
  g_free (opts.plot);
  g_free (opts.errors);
  return status;
}
