/* test-eval.c: every evaluation case of ../shared/testdata/eval against the figures and the
 * per-detection decisions the reference implementations printed, compared with ==.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bm-file-util.h"
#include "dataset/bm-eval.h"
#include "dataset/bm-eval-conflicts.h"
#include "dataset/bm-eval-plot.h"
#include "dataset/bm-pred-review.h"
#include "dataset/bm-eval-numpy.h"
#include "dataset/bm-eval-polyiou.h"
#include "formats/bm-coco-json.h"
#include "bm-test-util.h"

static char *
eval_path (const char *first, ...)
{
  GString *path = g_string_new (g_getenv ("BM_TESTDATA"));
  const char *part;
  va_list ap;

  g_string_append (path, "/eval");
  va_start (ap, first);
  for (part = first; part != NULL; part = va_arg (ap, const char *))
    {
      g_string_append_c (path, '/');
      g_string_append (path, part);
    }
  va_end (ap);
  return g_string_free (path, FALSE);
}

/* The reference JSON files hold Python's NaN and -Infinity: read through the COCO JSON parser,
 * which takes them as null. */
static JsonNode *
load_json (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint line = 0;
  g_autoptr(GHashTable) nan_lines = g_hash_table_new (NULL, NULL);
  JsonNode *root;

  g_assert_true (bm_file_read_all (path, &data, &length, &error));
  root = bm_coco_json_parse (data, length, 0, NULL, nan_lines, &line, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static JsonNode *
member_path (JsonNode *node, const char *first, ...)
{
  const char *name;
  va_list ap;

  va_start (ap, first);
  for (name = first; name != NULL; name = va_arg (ap, const char *))
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      node = json_object_get_member (json_node_get_object (node), name);
      if (node == NULL)
        g_error ("no member %s", name);
    }
  va_end (ap);
  return node;
}

static double
number_at (JsonNode *node, const char *first, ...)
{
  const char *name;
  va_list ap;
  double value;

  va_start (ap, first);
  for (name = first; name != NULL; name = va_arg (ap, const char *))
    node = json_object_get_member (json_node_get_object (node), name);
  va_end (ap);
  g_assert_nonnull (node);
  g_assert_true (bm_coco_json_get_number (node, &value));
  return value;
}

static const BmEvalClass *
find_class (BmEvalResult *result, const char *name)
{
  for (guint i = 0; i < result->classes->len; i++)
    if (strcmp (((BmEvalClass *) result->classes->pdata[i])->name, name) == 0)
      return result->classes->pdata[i];
  g_error ("class %s not in the result", name);
  return NULL;
}

typedef struct
{
  BmEvalResult *result;
  BmPredSet *preds;
  BmEvalGt *gt;
} Evaluation;

static void
evaluation_clear (Evaluation *e)
{
  g_clear_pointer (&e->result, bm_eval_result_free);
  g_clear_pointer (&e->preds, bm_pred_set_unref);
  g_clear_pointer (&e->gt, bm_eval_gt_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Evaluation, evaluation_clear)

static void
evaluate (Evaluation *e, const char *gt_path, const char *pred_path, BmPredFormat format,
          BmEvalMetric metric, gboolean all_points, const char *classes, const char *imageset,
          const char *const *class_names)
{
  g_autoptr(GError) error = NULL;
  BmEvalOptions options;

  e->gt = bm_eval_gt_load (gt_path, &error);
  g_assert_no_error (error);
  e->preds = bm_pred_set_read (pred_path, format, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_pred_set_get_problems (e->preds)->len, ==, 0);
  g_assert_cmpint (bm_pred_set_get_format (e->preds), ==, format);
  bm_eval_options_init (&options, metric);
  options.all_points = all_points;
  options.classes_file = classes;
  options.imageset_file = imageset;
  options.class_names = class_names;
  e->result = bm_eval_run (e->gt, e->preds, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e->result);
  if (e->result->problems->len > 0)
    {
      g_autofree char *text = bm_problem_to_string (e->result->problems->pdata[0]);
      g_error ("unexpected problem: %s", text);
    }
}

/* Per class AP (and npos) of @figures {"per_class": {…}, "mAP": …}, and the mAP, with ==. */
static void
assert_figures (BmEvalResult *result, JsonNode *figures, JsonNode *npos)
{
  JsonObject *per_class = json_node_get_object (member_path (figures, "per_class", NULL));
  g_autoptr(GList) names = json_object_get_members (per_class);

  g_assert_cmpuint (g_list_length (names), ==, result->classes->len);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const BmEvalClass *klass = find_class (result, l->data);

      g_assert_cmpfloat (klass->ap, ==, number_at (figures, "per_class", l->data, NULL));
      if (npos != NULL)
        g_assert_cmpfloat (klass->npos, ==, number_at (npos, l->data, NULL));
    }
  g_assert_cmpfloat (result->map, ==, number_at (figures, "mAP", NULL));
}

static BmEvalOutcome
outcome_of (const char *text)
{
  if (strcmp (text, "TP") == 0)
    return BM_EVAL_TP;
  if (strcmp (text, "FP:iou") == 0)
    return BM_EVAL_FP;
  if (strcmp (text, "FP:dup") == 0)
    return BM_EVAL_DUPLICATE;
  g_assert_cmpstr (text, ==, "ignored");
  return BM_EVAL_IGNORED;
}

/* Every detection of every class in the order the reference visited it: line, image, score,
 * best IoU (None: no ground truth, NaN kept), its index and the decision. */
static guint
assert_matches (Evaluation *e, JsonNode *by_class)
{
  g_autoptr(GList) names = json_object_get_members (json_node_get_object (by_class));
  guint n_preds, checked = 0;
  const BmPred *preds = bm_pred_set_get_preds (e->preds, &n_preds);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const BmEvalClass *klass = find_class (e->result, l->data);
      JsonNode *table = member_path (by_class, l->data, NULL);
      JsonArray *rows = json_node_get_array (member_path (table, "rows", NULL));

      g_assert_cmpuint (json_array_get_length (rows), ==, klass->decisions->len);
      g_assert_cmpfloat (klass->tp, ==, number_at (table, "n_tp", NULL));
      g_assert_cmpfloat (klass->fp, ==, number_at (table, "n_fp", NULL));
      g_assert_cmpfloat (klass->n_ignored, ==, number_at (table, "n_ignored", NULL));
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonArray *row = json_array_get_array_element (rows, i);
          const BmEvalDecision *d = &g_array_index (klass->decisions, BmEvalDecision, i);
          const BmPred *pred = &preds[d->pred];
          JsonNode *ovmax = json_array_get_element (row, 3);
          JsonNode *jmax = json_array_get_element (row, 4);

          g_assert_cmpint (pred->line - 1, ==, json_array_get_int_element (row, 0));
          g_assert_cmpstr (bm_pred_set_get_image (e->preds, pred->image), ==, json_array_get_string_element (row, 1));
          g_assert_cmpfloat (d->score, ==, json_array_get_double_element (row, 2));
          if (JSON_NODE_HOLDS_NULL (ovmax) && JSON_NODE_HOLDS_NULL (jmax))
            {
              g_assert_true (isinf (d->iou) && d->iou < 0);
              g_assert_cmpint (d->gt, ==, -1);
            }
          else
            {
              if (JSON_NODE_HOLDS_NULL (ovmax))
                g_assert_true (isnan (d->iou));   /* Python's NaN */
              else
                g_assert_cmpfloat (d->iou, ==, json_node_get_double (ovmax));
              g_assert_cmpint (d->gt, ==, json_node_get_int (jmax));
            }
          g_assert_cmpint (d->outcome, ==, outcome_of (json_array_get_string_element (row, 5)));
          checked++;
        }
    }
  return checked;
}

/* ---- VOC ---- */

static void
check_voc_case (const char *name)
{
  g_autofree char *gt = eval_path (name, "gt", "Annotations", NULL);
  g_autofree char *pred = eval_path (name, "predictions", "voc", NULL);
  g_autofree char *classes = eval_path (name, "gt", "classes.txt", NULL);
  g_autofree char *imageset = eval_path (name, "gt", "imageset.txt", NULL);
  g_autofree char *reference = eval_path (name, "reference_voc.json", NULL);
  g_autofree char *matches = eval_path (name, "reference_matches.json", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  g_autoptr(JsonNode) ref_matches = load_json (matches);

  for (int all_points = 0; all_points < 2; all_points++)
    {
      g_auto(Evaluation) e = { 0 };

      evaluate (&e, gt, pred, BM_PRED_FORMAT_VOC, all_points ? BM_EVAL_VOC : BM_EVAL_VOC07, FALSE,
                classes, imageset, NULL);
      assert_figures (e.result, member_path (ref, all_points ? "voc_all_points" : "voc07_11point", NULL),
                      member_path (ref, "npos", NULL));
      g_assert_cmpuint (assert_matches (&e, member_path (ref_matches, "voc", NULL)), >, 0);
    }
}

static void
test_voc_raccoon (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  check_voc_case ("raccoon");
}

static void
test_voc_coco8 (void)
{
  if (!bm_test_have_data ("eval/coco8"))
    return;
  check_voc_case ("coco8");
}

static void
test_voc_cvat (void)
{
  if (!bm_test_have_data ("eval/cvat_zavtrak_ru"))
    return;
  check_voc_case ("cvat_zavtrak_ru");
}

/* ---- DOTA ---- */

static void
check_dota (const char *gt_path, const char *task1_pred, const char *task2_pred, const char *hbb_gt,
            const char *classes, const char *imageset, const char *const *class_names,
            JsonNode *ref, JsonNode *ref_matches)
{
  for (int task = 1; task <= 2; task++)
    for (int all_points = 0; all_points < 2; all_points++)
      {
        g_auto(Evaluation) e = { 0 };
        const char *key = task == 1 ? "task1" : "task2";

        if (task == 2 && task2_pred == NULL)
          continue;
        evaluate (&e, task == 1 ? gt_path : hbb_gt, task == 1 ? task1_pred : task2_pred,
                  task == 1 ? BM_PRED_FORMAT_DOTA_TASK1 : BM_PRED_FORMAT_DOTA_TASK2,
                  task == 1 ? BM_EVAL_DOTA_TASK1 : BM_EVAL_DOTA_TASK2, all_points, classes, imageset, class_names);
        assert_figures (e.result, member_path (ref, key, all_points ? "all_points" : "voc07_11point", NULL),
                        member_path (ref, key, "npos", NULL));
        g_assert_cmpuint (assert_matches (&e, member_path (ref_matches, task == 1 ? "dota_task1" : "dota_task2", NULL)), >, 0);
      }
}

static void
test_dota_raccoon (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  g_autofree char *gt = eval_path ("raccoon", "gt", "labelTxt", NULL);
  g_autofree char *hbb = eval_path ("raccoon", "gt", "labelTxt_hbb", NULL);
  g_autofree char *t1 = eval_path ("raccoon", "predictions", "dota_task1", NULL);
  g_autofree char *t2 = eval_path ("raccoon", "predictions", "dota_task2", NULL);
  g_autofree char *classes = eval_path ("raccoon", "gt", "classes.txt", NULL);
  g_autofree char *imageset = eval_path ("raccoon", "gt", "imageset.txt", NULL);
  g_autofree char *reference = eval_path ("raccoon", "reference_dota.json", NULL);
  g_autofree char *matches = eval_path ("raccoon", "reference_matches.json", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  g_autoptr(JsonNode) ref_matches = load_json (matches);

  check_dota (gt, t1, t2, hbb, classes, imageset, NULL, ref, ref_matches);
}

static void
test_dota_yolo_demo (void)
{
  if (!bm_test_have_data ("eval/dota_yolo_demo"))
    return;
  g_autofree char *gt = eval_path ("dota_yolo_demo", "gt", "labelTxt", NULL);
  g_autofree char *hbb = eval_path ("dota_yolo_demo", "gt", "labelTxt_hbb", NULL);
  g_autofree char *t1 = eval_path ("dota_yolo_demo", "predictions", "dota_task1", NULL);
  g_autofree char *t2 = eval_path ("dota_yolo_demo", "predictions", "dota_task2", NULL);
  g_autofree char *classes = eval_path ("dota_yolo_demo", "gt", "classes.txt", NULL);
  g_autofree char *imageset = eval_path ("dota_yolo_demo", "gt", "imageset.txt", NULL);
  g_autofree char *reference = eval_path ("dota_yolo_demo", "reference_dota.json", NULL);
  g_autofree char *matches = eval_path ("dota_yolo_demo", "reference_matches.json", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  g_autoptr(JsonNode) ref_matches = load_json (matches);

  check_dota (gt, t1, t2, hbb, classes, imageset, NULL, ref, ref_matches);
}

static void
test_dota_devkit_example (void)
{
  if (!bm_test_have_data ("eval/dota_devkit_evaluation_example"))
    return;
  static const char *const classes[] = { "harbor", "large-vehicle", "ship", "small-vehicle", NULL };
  g_autofree char *root = g_build_filename (g_getenv ("BM_TESTDATA"), "dota", "dota_devkit_yolo_demo",
                                            "evaluation_example", NULL);
  g_autofree char *gt = g_build_filename (root, "row_DOTA_labels", NULL);
  g_autofree char *pred = g_build_filename (root, "result_classname", NULL);
  g_autofree char *imageset = g_build_filename (root, "imgnamefile.txt", NULL);
  g_autofree char *reference = eval_path ("dota_devkit_evaluation_example", "reference_task1.json", NULL);
  g_autofree char *matches = eval_path ("dota_devkit_evaluation_example", "reference_matches.json", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  g_autoptr(JsonNode) ref_matches = load_json (matches);

  check_dota (gt, pred, NULL, NULL, NULL, imageset, classes, ref, ref_matches);
}

static void
test_dota_merge_outputs (void)
{
  if (!bm_test_have_data ("eval/merge_P0706/reference_merge.json"))
    return;
  g_autofree char *reference = eval_path ("merge_P0706", "reference_merge.json", NULL);
  g_autofree char *matches = eval_path ("merge_P0706", "reference_matches.json", NULL);
  g_autofree char *classes = eval_path ("merge_P0706", "gt", "classes.txt", NULL);
  g_autofree char *imageset = eval_path ("merge_P0706", "gt", "imageset.txt", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  g_autoptr(JsonNode) ref_matches = load_json (matches);
  JsonNode *variants = member_path (ref, "variants", NULL);
  g_autoptr(GList) names = json_object_get_members (json_node_get_object (variants));
  guint n_variants = 0;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *output = member_path (variants, l->data, "evaluation_of_output", NULL);
      gboolean task1 = strstr (l->data, "mergebypoly") != NULL;
      g_autofree char *pred = eval_path ("merge_P0706", "reference_merge", l->data, NULL);
      g_autofree char *gt = eval_path ("merge_P0706", "gt", task1 ? "labelTxt" : "labelTxt_hbb", NULL);

      for (int all_points = 0; all_points < 2; all_points++)
        {
          g_auto(Evaluation) e = { 0 };

          evaluate (&e, gt, pred, task1 ? BM_PRED_FORMAT_DOTA_TASK1 : BM_PRED_FORMAT_DOTA_TASK2,
                    task1 ? BM_EVAL_DOTA_TASK1 : BM_EVAL_DOTA_TASK2, all_points, classes, imageset, NULL);
          assert_figures (e.result, member_path (output, all_points ? "all_points" : "voc07_11point", NULL),
                          member_path (output, "npos", NULL));
          g_assert_cmpuint (assert_matches (&e, member_path (ref_matches, l->data, NULL)), >, 0);
        }
      n_variants++;
    }
  g_assert_cmpuint (n_variants, ==, 4);
}

/* ---- COCO ---- */

static void
assert_coco_figures (BmEvalResult *result, JsonNode *ref)
{
  JsonArray *stats = json_node_get_array (member_path (ref, "stats", NULL));
  JsonObject *per_class = json_node_get_object (member_path (ref, "per_class", NULL));
  g_autoptr(GList) names = json_object_get_members (per_class);

  for (guint i = 0; i < 12; i++)
    g_assert_cmpfloat (result->stats[i], ==, json_array_get_double_element (stats, i));
  g_assert_cmpfloat (result->map, ==, result->stats[0]);
  g_assert_cmpuint (g_list_length (names), ==, result->classes->len);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const BmEvalClass *klass = find_class (result, l->data);
      JsonNode *figures = member_path (ref, "per_class", l->data, NULL);

      g_assert_cmpfloat (klass->category_id, ==, number_at (figures, "category_id", NULL));
      g_assert_cmpfloat (klass->ap, ==, number_at (figures, "AP", NULL));
      g_assert_cmpfloat (klass->ap50, ==, number_at (figures, "AP50", NULL));
      g_assert_cmpfloat (klass->ap75, ==, number_at (figures, "AP75", NULL));
      g_assert_cmpfloat (klass->ar100, ==, number_at (figures, "AR100", NULL));
    }
}

/* Per detection of the results file: the object matched at each threshold and the ignore flags
 * (area 'all', 100 detections), or none beyond the 100 best. */
static void
assert_coco_matches (BmEvalResult *result, JsonNode *ref_matches)
{
  JsonArray *rows = json_node_get_array (member_path (ref_matches, "coco", "all", "rows", NULL));
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < result->coco_matches->len; i++)
    {
      BmEvalCocoMatch *match = &g_array_index (result->coco_matches, BmEvalCocoMatch, i);

      g_hash_table_insert (by_id, &match->det_id, match);
    }
  g_assert_cmpuint (json_array_get_length (rows), ==, result->coco_matches->len);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i);
      gint64 id = json_array_get_int_element (row, 0);
      const BmEvalCocoMatch *match = g_hash_table_lookup (by_id, &id);
      JsonNode *matched = json_array_get_element (row, 4);

      g_assert_nonnull (match);
      if (JSON_NODE_HOLDS_NULL (matched))
        {
          g_assert_false (match->evaluated);
          continue;
        }
      g_assert_true (match->evaluated);
      for (guint t = 0; t < 10; t++)
        {
          JsonArray *ignored = json_array_get_array_element (row, 5);

          g_assert_cmpint (match->matched[t], ==, json_array_get_int_element (json_node_get_array (matched), t));
          g_assert_cmpint (match->ignored[t], ==, json_node_get_int (json_array_get_element (ignored, t)) != 0);
        }
    }
}

static void
check_coco_case (const char *name)
{
  g_autofree char *gt = eval_path (name, "gt", "instances.json", NULL);
  g_autofree char *pred = eval_path (name, "predictions", "coco", "results.json", NULL);
  g_autofree char *reference = eval_path (name, "reference_coco.json", NULL);
  g_autofree char *matches = eval_path (name, "reference_matches.json", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  g_autoptr(JsonNode) ref_matches = load_json (matches);
  g_auto(Evaluation) e = { 0 };

  evaluate (&e, gt, pred, BM_PRED_FORMAT_COCO, BM_EVAL_COCO, FALSE, NULL, NULL, NULL);
  assert_coco_figures (e.result, ref);
  assert_coco_matches (e.result, ref_matches);
}

static void
test_coco_raccoon (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  check_coco_case ("raccoon");
}

static void
test_coco_coco8 (void)
{
  if (!bm_test_have_data ("eval/coco8"))
    return;
  check_coco_case ("coco8");
}

static void
test_coco_cvat (void)
{
  if (!bm_test_have_data ("eval/cvat_zavtrak_ru"))
    return;
  check_coco_case ("cvat_zavtrak_ru");
}

/* The same COCO figures from the VOC ground truth and the VOC results files: boxes become
 * [x, y, x2 - x, y2 - y], difficult becomes crowd, image ids follow the image set. */
static void
test_coco_from_voc_files (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  if (!bm_test_have_data ("eval/cvat_zavtrak_ru"))
    return;
  const char *const cases[] = { "raccoon", "cvat_zavtrak_ru", NULL };

  for (guint i = 0; cases[i] != NULL; i++)
    {
      g_autofree char *gt = eval_path (cases[i], "gt", "Annotations", NULL);
      g_autofree char *pred = eval_path (cases[i], "predictions", "voc", NULL);
      g_autofree char *imageset = eval_path (cases[i], "gt", "imageset.txt", NULL);
      g_autofree char *reference = eval_path (cases[i], "reference_coco.json", NULL);
      g_autoptr(JsonNode) ref = load_json (reference);
      JsonArray *stats = json_node_get_array (member_path (ref, "stats", NULL));
      g_auto(Evaluation) e = { 0 };

      evaluate (&e, gt, pred, BM_PRED_FORMAT_VOC, BM_EVAL_COCO, FALSE, NULL, imageset, NULL);
      for (guint s = 0; s < 12; s++)
        g_assert_cmpfloat (e.result->stats[s], ==, json_array_get_double_element (stats, s));
    }
}

/* ---- the numerics ---- */

static void
test_thresholds (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  g_autofree char *reference = eval_path ("raccoon", "reference_coco.json", NULL);
  g_autoptr(JsonNode) ref = load_json (reference);
  JsonArray *ious = json_node_get_array (member_path (ref, "iouThrs", NULL));
  JsonObject *odd = json_node_get_object (member_path (ref, "recThrs_not_equal_to_i_over_100", NULL));
  double t[11], iou[10], rec[101];

  bm_np_voc07_thresholds (t);
  g_assert_cmpfloat (t[3], ==, 0.30000000000000004);
  g_assert_cmpfloat (t[6], ==, 0.6000000000000001);
  g_assert_cmpfloat (t[7], ==, 0.7000000000000001);
  g_assert_cmpfloat (t[10], ==, 1.0);
  bm_np_linspace (.5, .95, 10, iou);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpfloat (iou[i], ==, json_array_get_double_element (ious, i));
  g_assert_cmpfloat (iou[8], ==, 0.8999999999999999);
  bm_np_linspace (0, 1, 101, rec);
  for (guint i = 0; i <= 100; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);

      if (json_object_has_member (odd, key))
        g_assert_cmpfloat (rec[i], ==, json_object_get_double_member (odd, key));
      else
        g_assert_cmpfloat (rec[i], ==, i / 100.0);
    }
}

static void
test_argsort_ties (void)
{
  /* up to 16 elements ties keep their order (insertion sort) */
  double small[] = { -0.5, -0.9, -0.5, -0.9, -0.5 };
  guint order[40];
  /* 20 equal keys: a median-of-3 partition moves them */
  double many[20];

  bm_np_argsort_quick (small, 5, order);
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 3);
  g_assert_cmpuint (order[2], ==, 0);
  g_assert_cmpuint (order[3], ==, 2);
  g_assert_cmpuint (order[4], ==, 4);
  for (guint i = 0; i < 20; i++)
    many[i] = -0.5;
  bm_np_argsort_quick (many, 20, order);
  /* NumPy 1.24: np.argsort(np.full(20, -0.5)) */
  {
    const guint expected[] = { 0, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 18, 19 };

    for (guint i = 0; i < 20; i++)
      g_assert_cmpuint (order[i], ==, expected[i]);
  }
  bm_np_argsort_stable (many, 20, order);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (order[i], ==, i);
}

static void
test_pairwise_sum (void)
{
  double values[300];
  double plain = 0;

  for (guint i = 0; i < 300; i++)
    {
      values[i] = 1.0 / (i + 3);
      plain += values[i];
    }
  /* np.sum(1.0 / np.arange(3, 303)); a plain loop gives 4.789297397713856 */
  g_assert_cmpfloat (bm_np_sum (values, 300), ==, 4.789297397713862);
  g_assert_cmpfloat (plain, !=, bm_np_sum (values, 300));
  g_assert_cmpfloat (bm_np_sum (values, 0), ==, 0.0);
}

static void
test_poly_iou (void)
{
  double square[8] = { 0, 0, 2, 0, 2, 2, 0, 2 };
  double shifted[8] = { 1, 0, 3, 0, 3, 2, 1, 2 };
  double reversed[8] = { 0, 2, 2, 2, 2, 0, 0, 0 };
  double far[8] = { 10, 10, 11, 10, 11, 11, 10, 11 };

  g_assert_cmpfloat (bm_eval_poly_iou (square, square), ==, 1.0);
  g_assert_cmpfloat (bm_eval_poly_iou (square, shifted), ==, 1.0 / 3.0);
  g_assert_cmpfloat (bm_eval_poly_iou (square, reversed), ==, 1.0);
  g_assert_cmpfloat (bm_eval_poly_iou (square, far), ==, 0.0);
}

/* ---- conflicts and the confusion matrix ---- */

static const char *conflict_xml =
  "<annotation><filename>a.jpg</filename><size><width>1000</width><height>1000</height><depth>3</depth></size>"
  "<object><name>dog</name><difficult>0</difficult><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>100</xmax><ymax>100</ymax></bndbox></object>"
  "<object><name>cat</name><difficult>0</difficult><bndbox><xmin>200</xmin><ymin>0</ymin><xmax>300</xmax><ymax>100</ymax></bndbox></object>"
  "<object><name>dog</name><difficult>0</difficult><bndbox><xmin>0</xmin><ymin>200</ymin><xmax>100</xmax><ymax>300</ymax></bndbox></object>"
  "<object><name>dog</name><difficult>0</difficult><bndbox><xmin>400</xmin><ymin>400</ymin><xmax>500</xmax><ymax>500</ymax></bndbox></object>"
  "<object><name>dog</name><difficult>1</difficult><bndbox><xmin>600</xmin><ymin>600</ymin><xmax>700</xmax><ymax>700</ymax></bndbox></object>"
  "</annotation>\n";

static const char *conflict_results =
  "a 0.9 0 0 100 100\n"          /* matches dog #1 */
  "a 0.8 2 2 100 100\n"          /* a second one on #1: duplicate */
  "a 0.7 200 0 300 100\n"        /* on the cat: wrong class */
  "a 0.6 0 200 30 300\n"         /* IoU 0.3 with dog #3: loose box */
  "a 0.95 800 800 900 900\n"     /* on nothing: possibly missing */
  "a 0.3 400 400 500 500\n"      /* below the score threshold: #4 stays unmatched */
  "a 0.9 600 600 700 700\n";     /* on the difficult dog: nothing */

static void
make_conflict_case (char **dir, BmEvalGt **gt, BmPredSet **preds)
{
  g_autofree char *labels = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *results = NULL;
  g_autoptr(GError) error = NULL;

  *dir = g_dir_make_tmp ("bm-eval-XXXXXX", NULL);
  labels = g_build_filename (*dir, "labels", NULL);
  g_assert_cmpint (g_mkdir (labels, 0755), ==, 0);
  xml = g_build_filename (labels, "a.xml", NULL);
  results = g_build_filename (*dir, "comp4_det_test_dog.txt", NULL);
  g_assert_true (g_file_set_contents (xml, conflict_xml, -1, NULL));
  g_assert_true (g_file_set_contents (results, conflict_results, -1, NULL));
  *gt = bm_eval_gt_load (labels, &error);
  g_assert_no_error (error);
  *preds = bm_pred_set_read (results, BM_PRED_FORMAT_AUTO, &error);
  g_assert_no_error (error);
}

static void
test_conflicts (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(BmEvalGt) gt = NULL;
  g_autoptr(BmPredSet) preds = NULL;
  g_autoptr(BmEvalConflicts) conflicts = NULL;
  BmEvalConflictOptions options;
  const BmConflict *list;
  guint n, n_objects;
  const BmEvalGtObject *objects;
  struct { BmConflictKind kind; double score; int label; } expected[] = {
    { BM_CONFLICT_DUPLICATE, 0.8, 0 },
    { BM_CONFLICT_POSSIBLY_MISSING, 0.95, -1 },
    { BM_CONFLICT_WRONG_CLASS, 0.7, 1 },
    { BM_CONFLICT_LOOSE_BOX, 0.6, 2 },
    { BM_CONFLICT_UNMATCHED_LABEL, 0, 3 },
  };

  make_conflict_case (&dir, &gt, &preds);
  objects = bm_eval_gt_get_objects (gt, &n_objects);
  g_assert_cmpuint (n_objects, ==, 5);
  bm_eval_conflict_options_init (&options);
  conflicts = bm_eval_conflicts_find (gt, preds, &options);
  list = bm_eval_conflicts_for_image (conflicts, 0, &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (list[i].kind, ==, expected[i].kind);
      g_assert_cmpfloat (list[i].score, ==, expected[i].score);
      g_assert_cmpint (list[i].object, ==, expected[i].label);
    }
  g_assert_cmpfloat (list[3].iou, ==, 0.3);
  g_assert_cmpstr (list[2].pred_class, ==, "dog");
  g_assert_cmpstr (bm_eval_gt_get_class (gt, objects[list[2].object].klass), ==, "cat");
  for (guint k = 0; k < BM_CONFLICT_N_KINDS; k++)
    g_assert_cmpuint (bm_eval_conflicts_count_kind (conflicts, k), ==, 1);
  g_assert_cmpuint (bm_eval_conflicts_image_count (conflicts, 0, BM_CONFLICT_WRONG_CLASS), ==, 1);

  /* with the score threshold at 0.2 the 0.3 prediction matches label #4 */
  bm_eval_conflicts_free (g_steal_pointer (&conflicts));
  options.score_threshold = 0.2;
  conflicts = bm_eval_conflicts_find (gt, preds, &options);
  g_assert_cmpuint (bm_eval_conflicts_count_kind (conflicts, BM_CONFLICT_UNMATCHED_LABEL), ==, 0);
  /* and with a loose threshold above 0.3 the loose box is possibly missing */
  bm_eval_conflicts_free (g_steal_pointer (&conflicts));
  options.loose_iou = 0.35;
  conflicts = bm_eval_conflicts_find (gt, preds, &options);
  g_assert_cmpuint (bm_eval_conflicts_count_kind (conflicts, BM_CONFLICT_LOOSE_BOX), ==, 0);
  g_assert_cmpuint (bm_eval_conflicts_count_kind (conflicts, BM_CONFLICT_POSSIBLY_MISSING), ==, 2);
  g_assert_cmpuint (bm_eval_conflicts_count_kind (conflicts, BM_CONFLICT_UNMATCHED_LABEL), ==, 1);
  bm_test_remove_tree (dir);
}

static void
test_confusion (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(BmEvalGt) gt = NULL;
  g_autoptr(BmPredSet) preds = NULL;
  g_autoptr(BmEvalConfusion) confusion = NULL;
  guint side, dog, cat, bg;

  make_conflict_case (&dir, &gt, &preds);
  confusion = bm_eval_confusion_compute (gt, preds, 0.5, 0.5);
  g_assert_cmpuint (confusion->n, ==, 2);
  side = confusion->n + 1;
  dog = strcmp (confusion->names->pdata[0], "dog") == 0 ? 0 : 1;
  cat = 1 - dog;
  bg = confusion->n;
  /* dog on dog #1 and on the difficult dog; dog on the cat; dog #3 (IoU 0.3) and #4 missed */
  g_assert_cmpuint (confusion->counts[dog * side + dog], ==, 2);
  g_assert_cmpuint (confusion->counts[dog * side + cat], ==, 1);
  g_assert_cmpuint (confusion->counts[bg * side + dog], ==, 2);
  /* the duplicate, the loose box and the one on nothing: false alarms */
  g_assert_cmpuint (confusion->counts[dog * side + bg], ==, 3);
  g_assert_cmpuint (confusion->counts[cat * side + cat], ==, 0);
  bm_test_remove_tree (dir);
}

/* DOTA label files as DOTA_devkit's parse_gt reads them: headers skipped, difficult int()-ed. */
static void
test_dota_ground_truth_lines (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bm-eval-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "P0001.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmEvalGt) gt = NULL;
  GString *text = g_string_new (NULL);
  const BmEvalGtObject *objects;
  guint n;

  g_assert_true (g_file_set_contents (file,
                                      "imagesource:GoogleEarth\n"
                                      "gsd:0.1\n"
                                      "1 1 10 1 10 10 1 10 plane 2\n"
                                      "1.5 1 10 1 10 10 1 10 ship\n"
                                      "1 1 10 1 x 10 1 10 ship 0\n"
                                      "1 1 10 1 10 10 1 10 ship 0 extra\n"
                                      "1 2 3\n"
                                      "1 1 10 1 10 10 1 10 ship one\n", -1, NULL));
  gt = bm_eval_gt_load (dir, &error);
  g_assert_no_error (error);
  objects = bm_eval_gt_get_objects (gt, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (objects[0].difficult, ==, 2);
  g_assert_cmpstr (bm_eval_gt_get_class (gt, objects[0].klass), ==, "plane");
  g_assert_cmpint (objects[1].difficult, ==, 0);
  g_assert_cmpfloat (objects[1].quad[0], ==, 1.5);
  g_assert_cmpfloat (objects[1].box[2], ==, 10);
  g_assert_cmpuint (objects[1].line, ==, 4);
  for (guint i = 0; i < bm_eval_gt_get_problems (gt)->len; i++)
    {
      g_autofree char *line = bm_problem_to_string (bm_eval_gt_get_problems (gt)->pdata[i]);

      g_string_append_printf (text, "%s\n", strrchr (line, '/') + 1);
    }
  g_assert_cmpstr (text->str, ==,
                   "P0001.txt:5: coordinate 5, “x”, is not a finite number; line left out (DOTA_devkit would stop with ValueError)\n"
                   "P0001.txt:6: 11 values where a DOTA line has 9 or 10; line left out (DOTA_devkit’s parse_gt would stop with KeyError)\n"
                   "P0001.txt:7: 3 values: not an object line (x1 y1 … x4 y4 class [difficult]); skipped, as DOTA_devkit skips it\n"
                   "P0001.txt:8: difficult “one” is not a whole number; line left out (DOTA_devkit would stop with ValueError)\n");
  g_string_free (text, TRUE);
  bm_test_remove_tree (dir);
}

/* The window's review, without a display: the raccoon images with the VOC results. */
static void
test_review (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  g_autofree char *root = g_build_filename (g_getenv ("BM_TESTDATA"), "voc", "raccoon_labelimg", NULL);
  g_autofree char *image = g_build_filename (root, "images", "raccoon-1.jpg", NULL);
  g_autofree char *pred = eval_path ("raccoon", "predictions", "voc", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmPredReview) review = bm_pred_review_load (root, pred, BM_PRED_FORMAT_AUTO, NULL, &error);
  g_autoptr(BmObject) object = NULL;
  g_autoptr(GArray) conflicts = NULL;
  BmEvalConflictOptions options;
  const BmReviewPred *preds;
  guint n, missing, first_missing = 0;
  int index, next;

  g_assert_no_error (error);
  /* the negative image of the eval case is not in this folder: its detections are problems */
  g_assert_cmpuint (bm_pred_review_get_problems (review)->len, ==, 3);
  g_assert_cmpint (bm_pred_review_get_metric (review), ==, BM_EVAL_VOC07);
  g_assert_true (bm_pred_review_get_map (review) > 0.3 && bm_pred_review_get_map (review) < 0.8);
  g_assert_true (bm_pred_review_get_coco_ap (review) > 0.2);
  index = bm_pred_review_find_image (review, image);
  g_assert_cmpint (index, >=, 0);
  preds = bm_pred_review_get_image_preds (review, (guint) index, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (preds[0].score, ==, 0.7199);
  g_assert_cmpfloat (preds[0].quad[0], ==, 83.5);
  g_assert_cmpfloat (preds[0].quad[5], ==, 378.5);
  g_assert_cmpstr (preds[0].klass, ==, "raccoon");
  /* 0.7199 matches the label; 0.4493 is below the score threshold */
  g_assert_cmpint (preds[0].conflict, ==, -1);

  missing = bm_pred_review_count_all (review, BM_CONFLICT_POSSIBLY_MISSING);
  g_assert_cmpuint (missing, >, 0);
  next = bm_pred_review_next_image (review, -1, 1);
  g_assert_cmpint (next, >=, 0);
  g_assert_cmpint (bm_pred_review_next_image (review, next, -1), !=, -1);
  for (guint i = 0; i < bm_pred_review_get_n_images (review) && first_missing == 0; i++)
    {
      conflicts = bm_pred_review_dup_conflicts (review, i);
      for (guint c = 0; c < conflicts->len; c++)
        if (g_array_index (conflicts, BmConflict, c).kind == BM_CONFLICT_POSSIBLY_MISSING)
          first_missing = (guint) g_array_index (conflicts, BmConflict, c).pred + 1;
      g_clear_pointer (&conflicts, g_array_unref);
    }
  g_assert_cmpuint (first_missing, >, 0);
  object = bm_pred_review_make_object (review, first_missing - 1);
  g_assert_nonnull (object);
  g_assert_cmpstr (bm_object_get_label (object), ==, "raccoon");
  g_assert_false (bm_object_has_score (object));
  bm_pred_review_resolve (review, first_missing - 1);
  g_assert_true (bm_pred_review_is_resolved (review, first_missing - 1));
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_POSSIBLY_MISSING), ==, missing - 1);

  /* a lower score threshold: more predictions take part */
  options = *bm_pred_review_get_options (review);
  options.score_threshold = 0.05;
  bm_pred_review_set_options (review, &options);
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_N_KINDS), >,
                    missing - 1);
  preds = bm_pred_review_get_image_preds (review, (guint) index, &n);
  g_assert_cmpint (preds[1].conflict, ==, BM_CONFLICT_DUPLICATE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/eval/numpy/thresholds", test_thresholds);
  g_test_add_func ("/eval/numpy/argsort-ties", test_argsort_ties);
  g_test_add_func ("/eval/numpy/pairwise-sum", test_pairwise_sum);
  g_test_add_func ("/eval/polyiou", test_poly_iou);
  g_test_add_func ("/eval/voc/raccoon", test_voc_raccoon);
  g_test_add_func ("/eval/voc/coco8", test_voc_coco8);
  g_test_add_func ("/eval/voc/cvat-zavtrak-ru", test_voc_cvat);
  g_test_add_func ("/eval/dota/raccoon", test_dota_raccoon);
  g_test_add_func ("/eval/dota/yolo-demo", test_dota_yolo_demo);
  g_test_add_func ("/eval/dota/devkit-evaluation-example", test_dota_devkit_example);
  g_test_add_func ("/eval/dota/merge-p0706-outputs", test_dota_merge_outputs);
  g_test_add_func ("/eval/coco/raccoon", test_coco_raccoon);
  g_test_add_func ("/eval/coco/coco8", test_coco_coco8);
  g_test_add_func ("/eval/coco/cvat-zavtrak-ru", test_coco_cvat);
  g_test_add_func ("/eval/coco/from-voc-files", test_coco_from_voc_files);
  g_test_add_func ("/eval/dota-ground-truth-lines", test_dota_ground_truth_lines);
  g_test_add_func ("/eval/conflicts", test_conflicts);
  g_test_add_func ("/eval/review", test_review);
  g_test_add_func ("/eval/confusion", test_confusion);
  return g_test_run ();
}
