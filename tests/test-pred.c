/* test-pred.c: the prediction readers on the same detections in every format of
 * ../shared/testdata/eval, and on bad input (FILE:LINE: problem, never a crash).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bm-file-util.h"
#include "dataset/bm-eval.h"
#include "dataset/bm-pred-set.h"
#include "formats/bm-coco-json.h"
#include "bm-test-util.h"

static char *
eval_path (const char *a, const char *b, const char *c)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), "eval", a, b, c, NULL);
}

static JsonNode *
load_json (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint line;
  JsonNode *root;

  g_assert_true (bm_file_read_all (path, &data, &length, &error));
  root = bm_coco_json_parse (data, length, 0, NULL, NULL, &line, &error);
  g_assert_no_error (error);
  return root;
}

/* One detection as "image|class|score|x1|y1|x2|y2[|x3|y3|x4|y4]", numbers as %.17g: the same
 * text means the same doubles. */
static char *
describe (const char *image, const char *klass, double score, const double *xy, guint n)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s|%s|%.17g", image, klass, score);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "|%.17g", xy[i] == 0 ? 0 : xy[i]);
  return g_string_free (text, FALSE);
}

typedef struct
{
  GHashTable *coco_image;     /* coco id text → image id */
  GHashTable *coco_class;     /* category id text → name */
  GHashTable *size;           /* image id → int[2] */
  BmClassList *yolo_names;
} CaseInfo;

static void
case_info_clear (CaseInfo *info)
{
  g_clear_pointer (&info->coco_image, g_hash_table_unref);
  g_clear_pointer (&info->coco_class, g_hash_table_unref);
  g_clear_pointer (&info->size, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CaseInfo, case_info_clear)

static void
read_case (const char *name, CaseInfo *info)
{
  g_autofree char *path = eval_path (name, "case.json", NULL);
  g_autoptr(JsonNode) root = load_json (path);
  JsonObject *object = json_node_get_object (root);
  JsonArray *images = json_object_get_array_member (object, "images");
  JsonObject *categories = json_object_get_object_member (object, "coco_category_ids");
  g_autoptr(GList) names = json_object_get_members (categories);

  info->coco_image = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info->coco_class = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  info->size = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < json_array_get_length (images); i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);
      int *size = g_new (int, 2);

      size[0] = (int) json_object_get_int_member (image, "width");
      size[1] = (int) json_object_get_int_member (image, "height");
      g_hash_table_insert (info->size, g_strdup (json_object_get_string_member (image, "id")), size);
      if (json_object_has_member (image, "coco_id"))
        g_hash_table_insert (info->coco_image,
                             g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (image, "coco_id")),
                             g_strdup (json_object_get_string_member (image, "id")));
    }
  for (GList *l = names; l != NULL; l = l->next)
    g_hash_table_insert (info->coco_class,
                         g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (categories, l->data)),
                         g_strdup (l->data));
}

/* What detections.json says, described as the readers' output is. */
static GPtrArray *
expected_detections (const char *name, gboolean quads)
{
  g_autofree char *path = eval_path (name, "predictions", "detections.json");
  g_autoptr(JsonNode) root = load_json (path);
  JsonArray *all = json_node_get_array (root);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *det = json_array_get_object_element (all, i);
      JsonArray *values = json_object_has_member (det, "poly") ? json_object_get_array_member (det, "poly")
                                                                : json_object_get_array_member (det, "box");
      double xy[8];
      guint n = json_array_get_length (values);

      for (guint k = 0; k < n; k++)
        xy[k] = json_array_get_double_element (values, k);
      if (n == 8 && !quads)
        {
          /* the horizontal box of the polygon */
          double b[4] = { xy[0], xy[1], xy[0], xy[1] };

          for (guint k = 1; k < 4; k++)
            {
              b[0] = MIN (b[0], xy[2 * k]);
              b[1] = MIN (b[1], xy[2 * k + 1]);
              b[2] = MAX (b[2], xy[2 * k]);
              b[3] = MAX (b[3], xy[2 * k + 1]);
            }
          memcpy (xy, b, sizeof b);
          n = 4;
        }
      else if (n == 4 && quads)
        {
          double q[8] = { xy[0], xy[1], xy[2], xy[1], xy[2], xy[3], xy[0], xy[3] };

          memcpy (xy, q, sizeof q);
          n = 8;
        }
      g_ptr_array_add (out, describe (json_object_get_string_member (det, "image"),
                                      json_object_get_string_member (det, "class"),
                                      json_object_get_double_member (det, "score"), xy, n));
    }
  return out;
}

/* The reader's detections in pixels, described; YOLO values are placed with the case's sizes and
 * rounded to 1e-6 px on both sides. */
static GPtrArray *
read_detections (const char *path, BmPredFormat format, CaseInfo *info, gboolean quads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmPredSet) set = bm_pred_set_read (path, BM_PRED_FORMAT_AUTO, &error);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const BmPred *preds;
  guint n;

  g_assert_no_error (error);
  g_assert_cmpint (bm_pred_set_get_format (set), ==, format);
  g_assert_cmpuint (bm_pred_set_get_problems (set)->len, ==, 0);
  preds = bm_pred_set_get_preds (set, &n);
  for (guint i = 0; i < n; i++)
    {
      const BmPred *p = &preds[i];
      const char *image = bm_pred_set_get_image (set, p->image);
      const char *klass = bm_pred_set_get_class (set, p->klass);
      double xy[8];
      guint count = 4;

      switch (p->geometry)
        {
        case BM_PRED_XYXY:
          memcpy (xy, p->xy, 4 * sizeof (double));
          break;
        case BM_PRED_XYWH:
          image = g_hash_table_lookup (info->coco_image, image);
          klass = g_hash_table_lookup (info->coco_class, klass);
          xy[0] = p->xy[0];
          xy[1] = p->xy[1];
          xy[2] = p->xy[0] + p->xy[2];
          xy[3] = p->xy[1] + p->xy[3];
          break;
        case BM_PRED_QUAD:
          memcpy (xy, p->xy, 8 * sizeof (double));
          count = 8;
          break;
        case BM_PRED_YOLO_BOX:
        case BM_PRED_YOLO_QUAD:
        default:
          {
            const int *size = g_hash_table_lookup (info->size, image);
            BmClassList *names = bm_pred_set_get_yolo_names (set);

            g_assert_nonnull (size);
            g_assert_nonnull (names);
            klass = bm_class_list_get_name (names, (guint) g_ascii_strtoull (klass, NULL, 10));
            if (p->geometry == BM_PRED_YOLO_BOX)
              {
                xy[0] = size[0] * (p->xy[0] - p->xy[2] / 2);
                xy[1] = size[1] * (p->xy[1] - p->xy[3] / 2);
                xy[2] = size[0] * (p->xy[0] + p->xy[2] / 2);
                xy[3] = size[1] * (p->xy[1] + p->xy[3] / 2);
              }
            else
              {
                for (int k = 0; k < 4; k++)
                  {
                    xy[2 * k] = p->xy[2 * k] * size[0];
                    xy[2 * k + 1] = p->xy[2 * k + 1] * size[1];
                  }
                count = 8;
              }
            for (guint k = 0; k < count; k++)
              xy[k] = round (xy[k] * 1e6) / 1e6;
          }
        }
      if (count == 8 && !quads)
        {
          double b[4] = { xy[0], xy[1], xy[0], xy[1] };

          for (guint k = 1; k < 4; k++)
            {
              b[0] = MIN (b[0], xy[2 * k]);
              b[1] = MIN (b[1], xy[2 * k + 1]);
              b[2] = MAX (b[2], xy[2 * k]);
              b[3] = MAX (b[3], xy[2 * k + 1]);
            }
          memcpy (xy, b, sizeof b);
          count = 4;
        }
      g_assert_nonnull (image);
      g_assert_nonnull (klass);
      g_ptr_array_add (out, describe (image, klass, p->score, xy, count));
    }
  return out;
}

static int
compare_text (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
assert_same_detections (GPtrArray *expected, GPtrArray *got, const char *what)
{
  g_ptr_array_sort (expected, compare_text);
  g_ptr_array_sort (got, compare_text);
  g_test_message ("%s: %u detections", what, got->len);
  g_assert_cmpuint (expected->len, ==, got->len);
  for (guint i = 0; i < got->len; i++)
    if (strcmp (expected->pdata[i], got->pdata[i]) != 0)
      g_error ("%s: expected %s, read %s", what, (char *) expected->pdata[i], (char *) got->pdata[i]);
}

/* The YOLO copy is `repr(coordinate / size)`: compare to 1e-6 px. */
static GPtrArray *
rounded (GPtrArray *described)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < described->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (described->pdata[i], "|", -1);
      GString *text = g_string_new (NULL);

      for (guint k = 0; parts[k] != NULL; k++)
        {
          if (k > 0)
            g_string_append_c (text, '|');
          if (k >= 3)
            {
              double v = round (g_ascii_strtod (parts[k], NULL) * 1e6) / 1e6;

              g_string_append_printf (text, "%.6f", v == 0 ? 0 : v);
            }
          else
            g_string_append (text, parts[k]);
        }
      g_ptr_array_add (out, g_string_free (text, FALSE));
    }
  return out;
}

static void
check_case (const char *name, gboolean dota)
{
  const struct { const char *folder; BmPredFormat format; gboolean quads; } formats[] = {
    { "voc", BM_PRED_FORMAT_VOC, FALSE },
    { "dota_task1", BM_PRED_FORMAT_DOTA_TASK1, TRUE },
    { "dota_task2", BM_PRED_FORMAT_DOTA_TASK2, FALSE },
    { "coco", BM_PRED_FORMAT_COCO, FALSE },
    { "voc_xml", BM_PRED_FORMAT_LABELS, FALSE },
    { "yolo", BM_PRED_FORMAT_YOLO, dota },
  };
  g_auto(CaseInfo) info = { 0 };

  read_case (name, &info);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *path = eval_path (name, "predictions", formats[f].folder);
      g_autoptr(GPtrArray) expected = expected_detections (name, formats[f].quads);
      g_autoptr(GPtrArray) got = read_detections (path, formats[f].format, &info, formats[f].quads);

      if (formats[f].format == BM_PRED_FORMAT_YOLO)
        {
          g_autoptr(GPtrArray) a = rounded (expected);
          g_autoptr(GPtrArray) b = rounded (got);

          /* class names: DOTA8's "large vehicle" is DOTA's "large-vehicle" */
          for (guint i = 0; i < b->len && dota; i++)
            for (char *p = b->pdata[i]; *p != '\0'; p++)
              if (*p == ' ')
                *p = '-';
          assert_same_detections (a, b, path);
        }
      else
        assert_same_detections (expected, got, path);
    }
}

static void
test_formats_raccoon (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  check_case ("raccoon", FALSE);
}

static void
test_formats_coco8 (void)
{
  if (!bm_test_have_data ("eval/coco8"))
    return;
  check_case ("coco8", FALSE);
}

static void
test_formats_cvat (void)
{
  if (!bm_test_have_data ("eval/cvat_zavtrak_ru"))
    return;
  check_case ("cvat_zavtrak_ru", FALSE);
}

static void
test_formats_dota (void)
{
  if (!bm_test_have_data ("eval/dota_yolo_demo"))
    return;
  check_case ("dota_yolo_demo", TRUE);
}

/* ---- bad input ---- */

static BmPredSet *
read_text (const char *text, BmPredFormat format)
{
  g_autoptr(GError) error = NULL;
  BmPredSet *set = bm_pred_set_read_data (text, strlen (text), "results.txt", format, "dog", &error);

  g_assert_no_error (error);
  g_assert_nonnull (set);
  return set;
}

/* The problem (or note) texts, "FILE:LINE: message", one per line. */
static char *
problems_text (GPtrArray *problems)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = bm_problem_to_string (problems->pdata[i]);

      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (text, FALSE);
}

static void
test_bad_results_lines (void)
{
  g_autoptr(BmPredSet) set = read_text ("a 0.9 1 2 3 4\n"
                                        "b 0.5 1 2 3\n"               /* 5 values */
                                        "c nan 1 2 3 4\n"             /* NaN score */
                                        "d inf 1 2 3 4\n"
                                        "e 0.4 1 2 x 4\n"
                                        "f 0.3 1 2 3 4 5 6 7 8\n"     /* a Task1 line */
                                        "g high 1 2 3 4\n"
                                        "h 0.2 1 2 3 4", BM_PRED_FORMAT_VOC);
  g_autofree char *text = problems_text (bm_pred_set_get_problems (set));
  guint n;
  const BmPred *preds = bm_pred_set_get_preds (set, &n);

  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (bm_pred_set_get_image (set, preds[0].image), ==, "a");
  g_assert_cmpuint (preds[1].line, ==, 8);
  g_assert_cmpfloat (preds[1].score, ==, 0.2);
  g_assert_cmpstr (bm_pred_set_get_class (set, preds[0].klass), ==, "dog");
  g_assert_nonnull (strstr (text, "results.txt:2: 5 values where a VOC results line has 6"));
  g_assert_nonnull (strstr (text, "results.txt:3: the score is NaN"));
  g_assert_nonnull (strstr (text, "results.txt:4: the score is infinite"));
  g_assert_nonnull (strstr (text, "results.txt:5: coordinate 3, “x”, is not a finite number"));
  g_assert_nonnull (strstr (text, "results.txt:6: 10 values where a VOC results line has 6"));
  g_assert_nonnull (strstr (text, "dota-task1"));
  g_assert_nonnull (strstr (text, "results.txt:7: the score “high” is not a number"));
  g_assert_cmpuint (bm_pred_set_get_problems (set)->len, ==, 6);
}

static void
test_reference_would_stop (void)
{
  g_autoptr(BmPredSet) set = read_text ("a 0.9 1 2 3 4\n\nb  0.5 1 2 3 4\nc\t0.4 1 2 3 4\r\n", BM_PRED_FORMAT_VOC);
  g_autofree char *notes = problems_text (bm_pred_set_get_notes (set));
  guint n;

  bm_pred_set_get_preds (set, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (bm_pred_set_get_problems (set)->len, ==, 0);
  g_assert_nonnull (strstr (notes, "results.txt:2: blank line skipped (py-faster-rcnn’s voc_eval would stop here with IndexError)"));
  g_assert_nonnull (strstr (notes, "results.txt:3: values separated by more than one space"));
  g_assert_nonnull (strstr (notes, "ValueError"));
}

static void
test_empty_file (void)
{
  g_autoptr(BmPredSet) set = read_text ("", BM_PRED_FORMAT_DOTA_TASK1);
  g_autofree char *text = problems_text (bm_pred_set_get_problems (set));
  guint n;

  bm_pred_set_get_preds (set, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpstr (text, ==, "results.txt:1: no detections in this results file: class “dog” gets AP 0 (DOTA_devkit would stop with IndexError)\n");
  /* the class is still known, so it is evaluated (AP 0) */
  g_assert_cmpuint (bm_pred_set_get_n_classes (set), ==, 1);
}

static void
test_task1_lines (void)
{
  g_autoptr(BmPredSet) set = read_text ("P1 0.9 1 2 3 4 5 6 7 8\nP1 0.8 1 2 3 4\n", BM_PRED_FORMAT_DOTA_TASK1);
  g_autofree char *text = problems_text (bm_pred_set_get_problems (set));
  guint n;
  const BmPred *preds = bm_pred_set_get_preds (set, &n);

  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (preds[0].geometry, ==, BM_PRED_QUAD);
  g_assert_cmpfloat (preds[0].xy[7], ==, 8);
  g_assert_nonnull (strstr (text, "results.txt:2: 6 values where a DOTA Task1 line has 10"));
}

static void
test_bad_coco_results (void)
{
  struct { const char *json; const char *problem; guint n; } cases[] = {
    { "[\n{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.5},\n"
      "{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": NaN}\n]",
      "results.txt:3: detection 2: the score is NaN or infinite", 1 },
    { "[{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3], \"score\": 0.5}]",
      "results.txt:1: detection 1 has no “bbox”", 0 },
    { "[{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3, 4]}]",
      "results.txt:1: detection 1 has no “score” number", 0 },
    { "[{\"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 1}]",
      "results.txt:1: detection 1 has no usable “image_id”", 0 },
    { "{\"image_id\": 1}", "results.txt:1: not COCO results: the top level is not a list", 0 },
    { "[]", "results.txt:1: no detections in this results file (pycocotools’ loadRes would stop with IndexError)", 0 },
    { "[\n{\"image_id\": 1,\n\"score\": }\n]", "results.txt:3: not valid JSON", 0 },
    /* cut short after a newline: the problem is on the file's last line, not one past it
     * (json-glib says line 3 here; fuzz-pred) */
    { "[\n\"\n", "results.txt:2: not valid JSON", 0 },
    { "", "results.txt:1: ", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BmPredSet) set = read_text (cases[i].json, BM_PRED_FORMAT_COCO);
      g_autofree char *text = problems_text (bm_pred_set_get_problems (set));
      guint n;

      bm_pred_set_get_preds (set, &n);
      g_assert_cmpuint (n, ==, cases[i].n);
      if (strstr (text, cases[i].problem) == NULL)
        g_error ("case %u: expected “%s” in:\n%s", i, cases[i].problem, text);
    }
}

static void
test_bad_yolo_rows (void)
{
  g_autoptr(BmPredSet) set = read_text ("0 0.5 0.5 0.2 0.2\n"
                                        "1 0.5 0.5 0.2 0.2 0.9\n"
                                        "x 0.5 0.5 0.2 0.2 0.9\n"
                                        "2 0.1 0.1 0.2 0.1 0.2 0.2 0.1 0.2 0.7\n"
                                        "3 0.1 0.1 0.3 0.1 0.2 0.3 0.4\n", BM_PRED_FORMAT_YOLO);
  g_autofree char *text = problems_text (bm_pred_set_get_problems (set));
  guint n;
  const BmPred *preds = bm_pred_set_get_preds (set, &n);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (preds[0].geometry, ==, BM_PRED_YOLO_BOX);
  g_assert_cmpint (preds[1].geometry, ==, BM_PRED_YOLO_QUAD);
  /* a triangle: its enclosing box */
  g_assert_cmpint (preds[2].geometry, ==, BM_PRED_YOLO_BOX);
  g_assert_cmpfloat (fabs (preds[2].xy[2] - 0.2), <, 1e-12);
  g_assert_cmpfloat (preds[2].score, ==, 0.4);
  g_assert_cmpstr (bm_pred_set_get_image (set, preds[0].image), ==, "results");
  g_assert_nonnull (strstr (text, "results.txt:1: 5 values and no confidence"));
  g_assert_nonnull (strstr (text, "results.txt:3: the class “x” is not a class number"));
}

/* A detection on an image the ground truth does not have, through bm_eval_run. */
static void
test_unknown_image (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  g_autofree char *dir = g_dir_make_tmp ("bm-pred-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "comp4_det_test_raccoon.txt", NULL);
  g_autofree char *gt_path = eval_path ("raccoon", "gt", "Annotations");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmEvalGt) gt = bm_eval_gt_load (gt_path, &error);
  g_autoptr(BmPredSet) preds = NULL;
  g_autoptr(BmEvalResult) result = NULL;
  g_autofree char *text = NULL;
  BmEvalOptions options;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, "raccoon-1 0.9 81 88 522 408\nraccoon-999 0.8 1 2 3 4\n", -1, NULL));
  preds = bm_pred_set_read (dir, BM_PRED_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  bm_eval_options_init (&options, BM_EVAL_VOC07);
  result = bm_eval_run (gt, preds, &options, &error);
  g_assert_no_error (error);
  text = problems_text (result->problems);
  g_assert_nonnull (strstr (text, "comp4_det_test_raccoon.txt:2: image “raccoon-999” is not in the image set; detection left out (py-faster-rcnn’s voc_eval would stop with KeyError)"));
  g_assert_cmpuint (((BmEvalClass *) result->classes->pdata[0])->tp, ==, 1);
  g_assert_cmpuint (((BmEvalClass *) result->classes->pdata[0])->n_detections, ==, 1);
  bm_test_remove_tree (dir);
}

/* YOLO rows are normalised: without the image's size they cannot be placed. That is said once
 * per image, at its first row, not once per row. */
static void
test_yolo_size_unknown (void)
{
  if (!bm_test_have_data ("eval/dota_yolo_demo"))
    return;
  g_autofree char *gt_path = eval_path ("dota_yolo_demo", "gt", "labelTxt");
  g_autofree char *pred_path = eval_path ("dota_yolo_demo", "predictions", "yolo");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmEvalGt) gt = bm_eval_gt_load (gt_path, &error);
  g_autoptr(BmPredSet) preds = NULL;
  g_autoptr(BmEvalResult) result = NULL;
  g_autofree char *text = NULL;
  BmEvalOptions options;
  guint n_evaluated = 0;

  g_assert_no_error (error);
  preds = bm_pred_set_read (pred_path, BM_PRED_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  bm_eval_options_init (&options, BM_EVAL_DOTA_TASK1);
  result = bm_eval_run (gt, preds, &options, &error);
  g_assert_no_error (error);
  /* gt/labelTxt has no images beside it: all 5 prediction files are left out, one problem each */
  g_assert_cmpuint (result->problems->len, ==, 5);
  text = problems_text (result->problems);
  g_assert_nonnull (strstr (text, "P0003.txt:1: the size of image “P0003” is not known"));
  g_assert_null (strstr (text, "P0003.txt:2:"));
  for (guint i = 0; i < result->classes->len; i++)
    n_evaluated += ((BmEvalClass *) result->classes->pdata[i])->n_detections;
  g_assert_cmpuint (n_evaluated, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pred/formats/raccoon", test_formats_raccoon);
  g_test_add_func ("/pred/formats/coco8", test_formats_coco8);
  g_test_add_func ("/pred/formats/cvat-zavtrak-ru", test_formats_cvat);
  g_test_add_func ("/pred/formats/dota-yolo-demo", test_formats_dota);
  g_test_add_func ("/pred/bad/results-lines", test_bad_results_lines);
  g_test_add_func ("/pred/bad/reference-would-stop", test_reference_would_stop);
  g_test_add_func ("/pred/bad/empty-file", test_empty_file);
  g_test_add_func ("/pred/bad/task1-lines", test_task1_lines);
  g_test_add_func ("/pred/bad/coco", test_bad_coco_results);
  g_test_add_func ("/pred/bad/yolo", test_bad_yolo_rows);
  g_test_add_func ("/pred/bad/unknown-image", test_unknown_image);
  g_test_add_func ("/pred/bad/yolo-size-unknown", test_yolo_size_unknown);
  return g_test_run ();
}
