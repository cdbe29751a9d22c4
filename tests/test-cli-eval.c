/* test-cli-eval.c: boxmark-cli eval as a user runs it: --json's exact shape and figures, exit
 * statuses, FILE:LINE problems, --plot files and --errors files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bm-file-util.h"
#include "dataset/bm-eval-conflicts.h"
#include "bm-test-util.h"

typedef struct
{
  char *out;
  char *err;
  int status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
eval_path (const char *a, const char *b, const char *c)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), "eval", a, b, c, NULL);
}

static void
run_cli (Run *run, const char *first, ...)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;
  int wait_status;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "eval");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

/* The whole object, members and order as the issue specifies them. */
static void
test_json_voc07 (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  g_autofree char *gt = eval_path ("raccoon", "gt", "Annotations");
  g_autofree char *pred = eval_path ("raccoon", "predictions", "voc");
  g_auto(Run) run = { 0 };

  run_cli (&run, "--metric", "voc07", "--gt", gt, "--pred", pred, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==,
                   "{\"metric\": \"voc07\", \"map\": 0.5636275121390883, \"classes\": {\"raccoon\": "
                   "{\"ap\": 0.5636275121390883, \"npos\": 170, \"tp\": 122, \"fp\": 123}}}\n");
}

static void
test_json_coco (void)
{
  if (!bm_test_have_data ("eval/coco8"))
    return;
  g_autofree char *gt = eval_path ("coco8", "gt", "instances.json");
  g_autofree char *pred = eval_path ("coco8", "predictions", "coco");
  g_autofree char *reference = eval_path ("coco8", "reference_coco.json", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) ref = NULL;
  g_autofree char *ref_text = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *object, *classes;
  JsonArray *stats, *ref_stats;
  g_autoptr(GList) members = NULL;

  run_cli (&run, "--metric", "coco", "--gt", gt, "--pred", pred, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse (run.out);
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (members), ==, 4);
  g_assert_cmpstr (g_list_nth_data (members, 0), ==, "metric");
  g_assert_cmpstr (g_list_nth_data (members, 1), ==, "map");
  g_assert_cmpstr (g_list_nth_data (members, 2), ==, "classes");
  g_assert_cmpstr (g_list_nth_data (members, 3), ==, "stats");
  g_assert_cmpstr (json_object_get_string_member (object, "metric"), ==, "coco");
  g_assert_true (g_file_get_contents (reference, &ref_text, NULL, NULL));
  ref = parse (ref_text);
  stats = json_object_get_array_member (object, "stats");
  ref_stats = json_object_get_array_member (json_node_get_object (ref), "stats");
  g_assert_cmpuint (json_array_get_length (stats), ==, 12);
  for (guint i = 0; i < 12; i++)
    g_assert_cmpfloat (json_array_get_double_element (stats, i), ==, json_array_get_double_element (ref_stats, i));
  g_assert_cmpfloat (json_object_get_double_member (object, "map"), ==, json_array_get_double_element (ref_stats, 0));
  classes = json_object_get_object_member (object, "classes");
  /* 12 categories have ground truth; "cat" is only predicted and COCO leaves it out */
  g_assert_cmpuint (json_object_get_size (classes), ==, 12);
  g_assert_false (json_object_has_member (classes, "cat"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (classes, "person"), "ap"), ==,
                     json_object_get_double_member (json_object_get_object_member (
                       json_object_get_object_member (json_node_get_object (ref), "per_class"), "person"), "AP"));
}

static void
test_text_table (void)
{
  if (!bm_test_have_data ("eval/cvat_zavtrak_ru"))
    return;
  g_autofree char *gt = eval_path ("cvat_zavtrak_ru", "gt", "Annotations");
  g_autofree char *pred = eval_path ("cvat_zavtrak_ru", "predictions", "voc");
  g_autofree char *classes = eval_path ("cvat_zavtrak_ru", "gt", "classes.txt");
  g_auto(Run) run = { 0 };

  run_cli (&run, "--metric", "voc", "--gt", gt, "--pred", pred, "--classes", classes, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Кесадилья с курицей"));
  g_assert_nonnull (strstr (run.out, "\nmAP 0.6056412337662338\n"));
}

static void
test_bad_input (void)
{
  if (!bm_test_have_data ("eval/raccoon"))
    return;
  g_autofree char *dir = g_dir_make_tmp ("bm-cli-eval-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "comp4_det_test_raccoon.txt", NULL);
  g_autofree char *gt = eval_path ("raccoon", "gt", "Annotations");
  g_auto(Run) run = { 0 };

  g_assert_true (g_file_set_contents (file,
                                      "raccoon-1 0.9 81 88 522 408\n"
                                      "raccoon-2 0.8 1 2 3\n"
                                      "raccoon-3 nan 1 2 3 4\n"
                                      "not-an-image 0.7 1 2 3 4\n", -1, NULL));
  run_cli (&run, "--metric", "voc07", "--gt", gt, "--pred", dir, "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "comp4_det_test_raccoon.txt:2: 5 values where a VOC results line has 6"));
  g_assert_nonnull (strstr (run.err, "comp4_det_test_raccoon.txt:3: the score is NaN"));
  g_assert_nonnull (strstr (run.err, "comp4_det_test_raccoon.txt:4: image “not-an-image” is not in the image set"));
  g_assert_nonnull (strstr (run.err, "KeyError"));
  /* the figures of what could be read are still printed */
  g_assert_nonnull (strstr (run.out, "\"tp\": 1, \"fp\": 0"));

  g_assert_true (g_file_set_contents (file, "", -1, NULL));
  run_clear (&run);
  run_cli (&run, "--metric", "voc07", "--gt", gt, "--pred", file, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "comp4_det_test_raccoon.txt:1: no detections in this results file"));
  bm_test_remove_tree (dir);
}

static void
test_usage (void)
{
  g_autofree char *gt = eval_path ("raccoon", "gt", "Annotations");
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) d = { 0 };

  run_cli (&a, "--gt", gt, "--pred", gt, NULL);
  g_assert_cmpint (a.status, ==, 2);
  run_cli (&b, "--metric", "map", "--gt", gt, "--pred", gt, NULL);
  g_assert_cmpint (b.status, ==, 2);
  run_cli (&c, "--metric", "coco", "--iou", "0.62", "--gt", gt, "--pred", gt, NULL);
  g_assert_cmpint (c.status, ==, 2);
  run_cli (&d, "--metric", "voc", "--gt", "/nonexistent", "--pred", gt, NULL);
  g_assert_cmpint (d.status, ==, 3);
  g_assert_nonnull (strstr (d.err, "/nonexistent: no such file or folder"));
}

static gboolean
starts_with_bytes (const char *path, const char *magic, gsize n)
{
  g_autofree char *data = NULL;
  gsize length;

  return g_file_get_contents (path, &data, &length, NULL) && length > n && memcmp (data, magic, n) == 0;
}

static void
test_plot_and_errors (void)
{
  if (!bm_test_have_data ("eval/dota_yolo_demo"))
    return;
  g_autofree char *dir = g_dir_make_tmp ("bm-cli-eval-XXXXXX", NULL);
  g_autofree char *plots = g_build_filename (dir, "plots", NULL);
  g_autofree char *errors = g_build_filename (dir, "errors.txt", NULL);
  g_autofree char *errors_json = g_build_filename (dir, "errors.json", NULL);
  g_autofree char *gt = eval_path ("dota_yolo_demo", "gt", "labelTxt");
  g_autofree char *pred = eval_path ("dota_yolo_demo", "predictions", "dota_task1");
  const char *const files[] = { "pr-curves.png", "pr-curves.svg", "pr-01-small-vehicle.png", "pr-02-large-vehicle.svg",
                                "confusion-matrix.png", "confusion-matrix.svg", NULL };
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) run2 = { 0 };

  run_cli (&run, "--metric", "dota-task1", "--gt", gt, "--pred", pred, "--plot", plots, "--errors", errors,
           "--score-threshold", "0.4", "--loose-iou", "0.2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (plots, files[i], NULL);

      if (g_str_has_suffix (files[i], ".png"))
        g_assert_true (starts_with_bytes (path, "\x89PNG", 4));
      else
        {
          g_autofree char *svg = NULL;

          g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
          g_assert_nonnull (strstr (svg, "<svg"));
        }
    }
  g_assert_true (g_file_get_contents (errors, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "# Conflicts between predictions (score ≥ 0.4) and labels: a match needs IoU ≥ 0.5, a loose box IoU ≥ 0.2."));
  for (guint k = 0; k < BM_CONFLICT_N_KINDS; k++)
    g_assert_nonnull (strstr (text, bm_conflict_kind_to_string (k)));
  g_assert_nonnull (strstr (text, "\nP0003  ("));

  run_cli (&run2, "--metric", "dota-task1", "--gt", gt, "--pred", pred, "--errors", errors_json, "--json", NULL);
  g_assert_cmpint (run2.status, ==, 0);
  g_assert_true (g_file_get_contents (errors_json, &json, NULL, NULL));
  root = parse (json);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (root), "score_threshold"), ==, 0.5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "images")), >, 0);
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-eval/json-voc07", test_json_voc07);
  g_test_add_func ("/cli-eval/json-coco", test_json_coco);
  g_test_add_func ("/cli-eval/text-table", test_text_table);
  g_test_add_func ("/cli-eval/bad-input", test_bad_input);
  g_test_add_func ("/cli-eval/usage", test_usage);
  g_test_add_func ("/cli-eval/plot-and-errors", test_plot_and_errors);
  return g_test_run ();
}
