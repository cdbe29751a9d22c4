/* fuzz-pred.c: libFuzzer target for the prediction readers (VOC and DOTA results files,
 * Ultralytics txt with confidence, COCO results JSON) and the evaluators behind them.
 *
 * The first byte picks the format, the rest is the file. Besides "no crash, no hang, no leak":
 * every problem and note names the file and a line inside it, every detection read has finite
 * numbers and a line inside the file, and every metric evaluates what was read against a small
 * fixed ground truth with figures in range: AP in [0, 1] or NaN, and no more TP than npos.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm-fuzz-lines.h"
#include <glib/gstdio.h>

#include "core/bm-file-util.h"
#include "dataset/bm-eval.h"
#include "dataset/bm-eval-conflicts.h"
#include "dataset/bm-pred-set.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

/* A VOC ground truth of two images with dogs, cats and a difficult dog; written once. */
static BmEvalGt *
ground_truth (void)
{
  static BmEvalGt *gt;

  if (gt == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("fuzz-pred-XXXXXX", NULL);
      g_autofree char *a = g_build_filename (dir, "a.xml", NULL);
      g_autofree char *b = g_build_filename (dir, "b.xml", NULL);

      check (g_file_set_contents (a,
        "<annotation><size><width>100</width><height>80</height></size>"
        "<object><name>dog</name><difficult>0</difficult><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox></object>"
        "<object><name>cat</name><difficult>0</difficult><bndbox><xmin>20</xmin><ymin>10</ymin><xmax>60</xmax><ymax>50</ymax></bndbox></object>"
        "<object><name>dog</name><difficult>1</difficult><bndbox><xmin>50</xmin><ymin>50</ymin><xmax>90</xmax><ymax>70</ymax></bndbox></object>"
        "</annotation>", -1, NULL));
      check (g_file_set_contents (b,
        "<annotation><size><width>64</width><height>64</height></size>"
        "<object><name>0</name><difficult>0</difficult><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>10</xmax><ymax>10</ymax></bndbox></object>"
        "</annotation>", -1, NULL));
      gt = bm_eval_gt_load (dir, NULL);
      check (gt != NULL);
      g_remove (a);
      g_remove (b);
      g_remove (dir);
    }
  return gt;
}

static void
check_problems (GPtrArray *problems, guint n_lines)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const BmProblem *problem = problems->pdata[i];

      check (problem->file != NULL && problem->message != NULL && problem->message[0] != '\0');
      check (problem->line >= 0 && (guint) problem->line <= n_lines);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const BmPredFormat formats[] = {
    BM_PRED_FORMAT_VOC, BM_PRED_FORMAT_DOTA_TASK1, BM_PRED_FORMAT_DOTA_TASK2, BM_PRED_FORMAT_YOLO, BM_PRED_FORMAT_COCO,
  };
  g_autoptr(BmPredSet) set = NULL;
  g_autoptr(GError) error = NULL;
  const BmPred *preds;
  guint n, n_lines;
  BmPredFormat format;

  if (size < 1)
    return 0;
  format = formats[data[0] % G_N_ELEMENTS (formats)];
  data++;
  size--;
  n_lines = bm_fuzz_count_lines (data, size);
  set = bm_pred_set_read_data ((const char *) data, size, "results.txt", format, "dog", &error);
  check (set != NULL && error == NULL);
  check_problems (bm_pred_set_get_problems (set), n_lines);
  check_problems (bm_pred_set_get_notes (set), n_lines);
  preds = bm_pred_set_get_preds (set, &n);
  for (guint i = 0; i < n; i++)
    {
      check (isfinite (preds[i].score));
      for (int k = 0; k < 8; k++)
        check (isfinite (preds[i].xy[k]));
      check (preds[i].line <= n_lines);
      check (preds[i].image < bm_pred_set_get_n_images (set));
      check (preds[i].klass < bm_pred_set_get_n_classes (set));
    }

  for (BmEvalMetric metric = BM_EVAL_VOC07; metric <= BM_EVAL_COCO; metric++)
    {
      g_autoptr(BmEvalResult) result = NULL;
      g_autoptr(GError) eval_error = NULL;
      g_autofree char *json = NULL;
      BmEvalOptions options;

      bm_eval_options_init (&options, metric);
      result = bm_eval_run (ground_truth (), set, &options, &eval_error);
      /* COCO ids without a COCO ground truth are refused, never crash */
      if (result == NULL)
        continue;
      for (guint k = 0; k < result->classes->len; k++)
        {
          const BmEvalClass *klass = result->classes->pdata[k];

          check (isnan (klass->ap) || (klass->ap >= 0 && klass->ap <= 1.0000000000000002));
          check (klass->tp <= klass->npos);
          check (klass->tp + klass->fp + klass->n_ignored == klass->decisions->len);
        }
      json = bm_eval_result_to_json (result);
      check (json != NULL && json[0] == '{');
    }
  {
    BmEvalConflictOptions options;
    g_autoptr(BmEvalConflicts) conflicts = NULL;

    bm_eval_conflict_options_init (&options);
    conflicts = bm_eval_conflicts_find (ground_truth (), set, &options);
    g_free (bm_eval_conflicts_to_json (conflicts));
  }
  return 0;
}
