/* test-dota-merge.c: boxmark-cli merge and its layer against DOTA_devkit's ResultMerge outputs in
 * eval/merge_P0706 (all four variants, byte for byte), Python's float repr, bad input.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-float-repr.h"
#include "core/bm-problem.h"
#include "dataset/bm-dota-merge.h"
#include "dataset/bm-dota-merge-private.h"
#include "dataset/bm-eval-polyiou.h"
#include "tests/bm-test-util.h"

static char *
case_path (const char *first, ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_getenv ("BM_TESTDATA"));
  g_ptr_array_add (parts, (gpointer) "eval");
  g_ptr_array_add (parts, (gpointer) "merge_P0706");
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static char *
make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bm-merge-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* ---- the four ResultMerge variants ------------------------------------------------------------ */

typedef struct
{
  const char *variant;     /* folder in reference_merge/ */
  const char *predictions; /* folder in predictions/ */
  BmDotaMergeNms nms;
  double thresh;
  guint n_kept;            /* lines of the reference output (README: harbor + ship) */
} Variant;

static const Variant variants[] = {
  { "ResultMerge.mergebypoly_nms0.3", "tiles_task1", BM_DOTA_MERGE_POLY, 0.3, 22 + 541 },
  { "ResultMerge.mergebyrec_nms0.3", "tiles_task2", BM_DOTA_MERGE_RECT, 0.3, 15 + 323 },
  { "ResultMerge_multi_process.mergebypoly_nms0.1", "tiles_task1", BM_DOTA_MERGE_POLY, 0.1, 21 + 538 },
  { "ResultMerge_multi_process.mergebyrec_nms0.1", "tiles_task2", BM_DOTA_MERGE_RECT, 0.1, 15 + 218 },
};

static void
test_reference_variant (gconstpointer data)
{
  const Variant *v = data;
  g_autofree char *tiles = case_path ("predictions", v->predictions, NULL);
  g_autofree char *reference = case_path ("reference_merge", v->variant, NULL);
  g_autofree char *tmp = make_tmp ();

  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autofree char *out = g_strdup_printf ("%s/out%u", tmp, threads);
      g_autoptr(GError) error = NULL;
      BmDotaMergeOptions options;
      BmDotaMergeReport report;

      bm_dota_merge_options_init (&options);
      options.nms = v->nms;
      options.thresh = v->thresh;
      options.n_threads = threads;
      g_assert_true (bm_dota_merge (tiles, out, &options, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.problems->len, ==, 0);
      g_assert_cmpuint (report.n_files, ==, 2);
      g_assert_cmpuint (report.n_written, ==, 2);
      g_assert_cmpuint (report.n_detections, ==, 2375);
      g_assert_cmpuint (report.n_kept, ==, v->n_kept);
      g_assert_cmpuint (report.n_images, ==, 1);
      /* Every reference file, byte for byte, and nothing else. */
      g_assert_cmpuint (bm_test_assert_same_tree (out, reference), ==, 2);
      bm_dota_merge_report_clear (&report);
    }
  bm_test_remove_tree (tmp);
}

/* With ties kept in file order (a stable sort) the ship output would differ, so this checks that
 * the merge visits ties in NumPy's order: a reversed stable order must give other lines. */
static void
test_tie_order_matters (void)
{
  g_autofree char *path = case_path ("predictions", "tiles_task1", "Task1_ship.txt", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GArray) scores = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) lines = NULL;
  g_autofree gsize *order = NULL;
  guint n_out_of_stable_order = 0;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = g_strsplit (lines[i], " ", -1);
      double score;

      if (tokens[0] == NULL || tokens[1] == NULL)
        continue;
      score = g_ascii_strtod (tokens[1], NULL);
      g_array_append_val (scores, score);
    }
  order = g_new (gsize, scores->len);
  bm_npy_argsort ((double *) (gpointer) scores->data, scores->len, order);
  for (guint i = 1; i < scores->len; i++)
    {
      double a = g_array_index (scores, double, order[i - 1]);
      double b = g_array_index (scores, double, order[i]);

      g_assert_cmpfloat (a, <=, b);
      if (a == b && order[i - 1] > order[i])
        n_out_of_stable_order++;
    }
  /* NumPy's introsort leaves some ties out of file order on this file. */
  g_assert_cmpuint (n_out_of_stable_order, >, 0);
}

/* ---- Python's float repr ---------------------------------------------------------------------- */

static void
test_float_repr (void)
{
  /* Each pair is a double and what Python 3.11 prints for it. */
  static const struct { double value; const char *text; } cases[] = {
    { 807.0, "807.0" }, { 0.1, "0.1" }, { 0.30000000000000004, "0.30000000000000004" },
    { 1e16, "1e+16" }, { 1e15, "1000000000000000.0" }, { 1e-4, "0.0001" }, { 1e-5, "1e-05" },
    { 123456789.125, "123456789.125" }, { -0.0, "-0.0" }, { 0.0, "0.0" }, { 5e-324, "5e-324" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" }, { 2.0 / 3.0, "0.6666666666666666" },
    { 9007199254740993.0, "9007199254740992.0" }, { 1.5e-7, "1.5e-07" }, { 0.9308, "0.9308" },
    { 2.5e16, "2.5e+16" }, { 1234.5678, "1234.5678" }, { 4.35, "4.35" },
    /* powers of two, where the shortest decimal lies on the wide side */
    { 9007199254740992.0 * 2, "1.8014398509481984e+16" }, { 0x1p-1022, "2.2250738585072014e-308" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char text[BM_FLOAT_REPR_SIZE];
      int length = bm_float_repr (cases[i].value, text);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpint (length, ==, (int) strlen (cases[i].text));
    }
  {
    char text[BM_FLOAT_REPR_SIZE];

    bm_float_repr (INFINITY, text);
    g_assert_cmpstr (text, ==, "inf");
    bm_float_repr (-INFINITY, text);
    g_assert_cmpstr (text, ==, "-inf");
    bm_float_repr (NAN, text);
    g_assert_cmpstr (text, ==, "nan");
  }
  /* Whatever the value, the text reads back to it and no shorter text would. */
  {
    GRand *rand = g_rand_new_with_seed (7);

    for (guint i = 0; i < 20000; i++)
      {
        guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
        char text[BM_FLOAT_REPR_SIZE];
        double value;

        memcpy (&value, &bits, sizeof value);
        if (!isfinite (value))
          continue;
        bm_float_repr (value, text);
        g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, value);
      }
    g_rand_free (rand);
  }
}

/* ---- polyiou and the suppression -------------------------------------------------------------- */

static void
test_poly_iou (void)
{
  static const double square[8] = { 0, 0, 10, 0, 10, 10, 0, 10 };
  static const double half[8] = { 5, 0, 15, 0, 15, 10, 5, 10 };
  static const double far[8] = { 100, 100, 110, 100, 110, 110, 100, 110 };
  static const double line[8] = { 0, 0, 10, 0, 10, 0, 0, 0 };
  double counter_clockwise[8] = { 0, 10, 10, 10, 10, 0, 0, 0 };

  g_assert_cmpfloat (bm_eval_poly_iou (square, square), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (bm_eval_poly_iou (square, half), 1.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (bm_eval_poly_iou (square, counter_clockwise), 1.0, 1e-12);
  g_assert_cmpfloat (fabs (bm_eval_poly_iou (square, far)), <, 1e-12);
  /* two zero-area quads: 0 / 0, which the suppression treats as an overlap (not <= thresh) */
  g_assert_true (isnan (bm_eval_poly_iou (line, line)));
}

static void
test_nms_order_and_threshold (void)
{
  /* Three detections: B overlaps A by 1/3, C is far; scores C < A < B. */
  const double dets[] = {
    0, 0, 10, 0, 10, 10, 0, 10, 0.8,
    5, 0, 15, 0, 15, 10, 5, 10, 0.9,
    100, 100, 110, 100, 110, 110, 100, 110, 0.1,
  };
  g_autoptr(GArray) loose = bm_dota_nms (dets, 3, BM_DOTA_MERGE_POLY, 0.34, NULL);
  g_autoptr(GArray) strict = bm_dota_nms (dets, 3, BM_DOTA_MERGE_POLY, 0.3, NULL);
  const double boxes[] = { 0, 0, 9, 9, 0.5, 0, 0, 9, 9, 0.5, 20, 20, 29, 29, 0.7 };
  g_autoptr(GArray) rect = bm_dota_nms (boxes, 3, BM_DOTA_MERGE_RECT, 0.3, NULL);

  g_assert_cmpuint (loose->len, ==, 3);
  g_assert_cmpuint (g_array_index (loose, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (loose, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (loose, guint, 2), ==, 2);
  g_assert_cmpuint (strict->len, ==, 2);
  g_assert_cmpuint (g_array_index (strict, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (strict, guint, 1), ==, 2);
  /* Two equal boxes with equal scores: argsort gives 0 1, reversed 1 0: box 1 stays. */
  g_assert_cmpuint (rect->len, ==, 2);
  g_assert_cmpuint (g_array_index (rect, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (rect, guint, 1), ==, 1);
}

/* ---- parsing ---------------------------------------------------------------------------------- */

static char *
merge_text (const char *text, BmDotaMergeNms nms, GPtrArray *problems)
{
  BmDotaMergeOptions options;

  bm_dota_merge_options_init (&options);
  options.nms = nms;
  return bm_dota_merge_data (text, strlen (text), "r.txt", &options, problems, NULL, NULL, NULL, NULL);
}

static void
test_coordinates_and_names (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autofree char *merged = NULL;

  /* Rate 0.5 doubles; the offset is added first; blank lines and tabs are fine; a name holding
   * "__" keeps it (ResultMerge would cut it at the first "__"). */
  merged = merge_text ("P1__0.5__10___20 0.5 1 2 3 2 3 4 1 4\n"
                       "\n"
                       "a__b__1__0___0\t1 0 0 1 0 1 1 0 1\r\n"
                       "a__c__1__0___0 1 0 0 1 0 1 1 0 1\n",
                       BM_DOTA_MERGE_POLY, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (merged, ==,
                   "P1 0.5 22.0 44.0 26.0 44.0 26.0 48.0 22.0 48.0\n"
                   "a__b 1.0 0.0 0.0 1.0 0.0 1.0 1.0 0.0 1.0\n"
                   "a__c 1.0 0.0 0.0 1.0 0.0 1.0 1.0 0.0 1.0\n");
  g_clear_pointer (&merged, g_free);

  merged = merge_text ("", BM_DOTA_MERGE_RECT, problems);
  g_assert_cmpstr (merged, ==, "");
}

static void
test_bad_lines (void)
{
  static const struct { const char *line; BmDotaMergeNms nms; const char *problem; } cases[] = {
    { "P1 0.5 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "__RATE__LEFT___UP" },
    { "P1__1__0__0 0.5 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "__RATE__LEFT___UP" },
    { "P1__x__0___0 0.5 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "__RATE__LEFT___UP" },
    { "P1__0__0___0 0.5 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "rate" },
    { "P1__1..2__0___0 0.5 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "rate" },
    { "P1__1__0___0", BM_DOTA_MERGE_POLY, "no score" },
    { "P1__1__0___0 high 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "score" },
    { "P1__1__0___0 nan 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_POLY, "score" },
    { "P1__1__0___0 0.5 1 2 3 4", BM_DOTA_MERGE_POLY, "needs 8" },
    { "P1__1__0___0 0.5 1 2 3 4 5 6 7 8", BM_DOTA_MERGE_RECT, "needs 4" },
    { "P1__1__0___0 0.5 1 2 3 inf", BM_DOTA_MERGE_RECT, "coordinate 4" },
    { "P1__1__99999999999999999999___0 0.5 1 2 3 4", BM_DOTA_MERGE_RECT, "too large" },
    { "P\xff__1__0___0 0.5 1 2 3 4", BM_DOTA_MERGE_RECT, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
      g_autofree char *text = g_strconcat ("P9__1__0___0 0.9 0 0 1 0 1 1 0 1\n", cases[i].line, "\n", NULL);
      g_autofree char *merged = NULL;
      g_autofree char *shown = NULL;
      BmDotaMergeOptions options;

      bm_dota_merge_options_init (&options);
      options.nms = cases[i].nms;
      if (cases[i].nms == BM_DOTA_MERGE_RECT)
        {
          g_free (text);
          text = g_strconcat ("P9__1__0___0 0.9 0 0 1 1\n", cases[i].line, "\n", NULL);
        }
      merged = bm_dota_merge_data (text, strlen (text), "r.txt", &options, problems, NULL, NULL, NULL, NULL);
      g_assert_null (merged);
      g_assert_cmpuint (problems->len, ==, 1);
      shown = bm_problem_to_string (problems->pdata[0]);
      g_assert_true (g_str_has_prefix (shown, "r.txt:2: "));
      if (strstr (shown, cases[i].problem) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, shown, cases[i].problem);
    }
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
    const char text[] = "P1__1__0___0 0.5 1 2\0 3 4\n";
    BmDotaMergeOptions options;
    g_autofree char *merged = NULL;

    bm_dota_merge_options_init (&options);
    options.nms = BM_DOTA_MERGE_RECT;
    merged = bm_dota_merge_data (text, sizeof text - 1, "r.txt", &options, problems, NULL, NULL, NULL, NULL);
    g_assert_null (merged);
    g_assert_cmpuint (problems->len, ==, 1);
  }
}

/* A folder: a bad file is reported and not written, the good one is; a name met twice is
 * refused; a non-empty output folder is refused with nothing written. */
static void
test_folder (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autofree char *in = g_build_filename (tmp, "in", NULL);
  g_autofree char *sub = g_build_filename (in, "sub", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *good = g_build_filename (in, "Task1_a.txt", NULL);
  g_autofree char *bad = g_build_filename (in, "Task1_b.txt", NULL);
  g_autofree char *twice = g_build_filename (sub, "Task1_a.txt", NULL);
  g_autofree char *ignored = g_build_filename (in, "README.md", NULL);
  g_autofree char *written = g_build_filename (out, "Task1_a.txt", NULL);
  g_autofree char *not_written = g_build_filename (out, "Task1_b.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  BmDotaMergeOptions options;
  BmDotaMergeReport report;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (good, "P1__1__0___0 0.5 0 0 4 0 4 4 0 4\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad, "P1__1__0___0 0.5 0 0 4\n", -1, NULL));
  g_assert_true (g_file_set_contents (twice, "P1__1__0___0 0.5 0 0 4 0 4 4 0 4\n", -1, NULL));
  g_assert_true (g_file_set_contents (ignored, "not a result file\n", -1, NULL));

  bm_dota_merge_options_init (&options);
  g_assert_true (bm_dota_merge (in, out, &options, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.n_files, ==, 3);
  g_assert_cmpuint (report.n_written, ==, 1);
  g_assert_cmpuint (report.problems->len, ==, 2);
  g_assert_true (g_file_get_contents (written, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "P1 0.5 0.0 0.0 4.0 0.0 4.0 4.0 0.0 4.0\n");
  g_assert_false (g_file_test (not_written, G_FILE_TEST_EXISTS));
  bm_dota_merge_report_clear (&report);

  g_assert_false (bm_dota_merge (in, out, &options, &report, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  bm_dota_merge_report_clear (&report);
  g_clear_error (&error);

  g_assert_false (bm_dota_merge (not_written, out, &options, &report, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  bm_dota_merge_report_clear (&report);
  bm_test_remove_tree (tmp);
}

/* ---- the command ------------------------------------------------------------------------------ */

static int
run_cli (char **out_text, char **err_text, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "merge");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out_text, err_text, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autofree char *out = g_build_filename (tmp, "merged", NULL);
  g_autofree char *tiles = case_path ("predictions", "tiles_task2", NULL);
  g_autofree char *reference = case_path ("reference_merge", "ResultMerge_multi_process.mergebyrec_nms0.1", NULL);
  g_autofree char *out_text = NULL, *err_text = NULL;

  {
    const char *const args[] = { "--nms", "rect", "--thresh", "0.1", "--out", out, tiles, NULL };

    g_assert_cmpint (run_cli (&out_text, &err_text, args), ==, 0);
    g_assert_nonnull (strstr (out_text, "2375 detections"));
    g_assert_cmpuint (bm_test_assert_same_tree (out, reference), ==, 2);
  }
  {
    const char *const args[] = { "--nms", "box", "--out", out, tiles, NULL };

    g_clear_pointer (&out_text, g_free);
    g_clear_pointer (&err_text, g_free);
    g_assert_cmpint (run_cli (&out_text, &err_text, args), ==, 2);
  }
  {
    /* Task2 lines given to poly: every line reported, nothing written */
    g_autofree char *out2 = g_build_filename (tmp, "poly", NULL);
    const char *const args[] = { "--nms", "poly", "--out", out2, tiles, NULL };

    g_clear_pointer (&out_text, g_free);
    g_clear_pointer (&err_text, g_free);
    g_assert_cmpint (run_cli (&out_text, &err_text, args), ==, 1);
    g_assert_nonnull (strstr (err_text, "Task2_ship.txt:1: 4 coordinates after the score"));
    g_assert_nonnull (strstr (out_text, "Merged 0 of 2"));
  }
  {
    /* output inside the input: refused */
    g_autofree char *inside = g_build_filename (tmp, "merged", "again", NULL);
    const char *const args[] = { "--nms", "rect", "--out", inside, out, NULL };

    g_clear_pointer (&out_text, g_free);
    g_clear_pointer (&err_text, g_free);
    g_assert_cmpint (run_cli (&out_text, &err_text, args), ==, 2);
    g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  }
  bm_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *name = g_strdup_printf ("/dota-merge/reference/%s", variants[i].variant);
      g_test_add_data_func (name, &variants[i], test_reference_variant);
    }
  g_test_add_func ("/dota-merge/tie-order", test_tie_order_matters);
  g_test_add_func ("/dota-merge/float-repr", test_float_repr);
  g_test_add_func ("/dota-merge/poly-iou", test_poly_iou);
  g_test_add_func ("/dota-merge/nms", test_nms_order_and_threshold);
  g_test_add_func ("/dota-merge/coordinates-and-names", test_coordinates_and_names);
  g_test_add_func ("/dota-merge/bad-lines", test_bad_lines);
  g_test_add_func ("/dota-merge/folder", test_folder);
  g_test_add_func ("/dota-merge/cli", test_cli);
  return g_test_run ();
}
