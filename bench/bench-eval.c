/* bench-eval.c: Boxmark's evaluators side by side with the reference implementations on
 * generated data of the size of the benchmarks' validation sets:
 *
 *   COCO bbox: 5,000 images, ~36,000 labels, ~100,000 detections, COCO's 80 category ids —
 *              pycocotools' COCOeval evaluate + accumulate + summarize (target: ≥ 20× faster)
 *   DOTA Task1: 458 images, ~29,000 labels (rotated), 15 classes, ~120,000 detections —
 *              DOTA_devkit's dota_evaluation_task1 over the 15 classes as its main() runs it
 *              (target: ≥ 50× faster)
 *
 * Usage: bench-eval [--ref REF] [--repeats N] [--keep DIR]
 *   REF: the reference evaluators built by ../shared/reference-impl/build.sh (default /work/refimpl).
 * The data is made in $BM_BENCH_DIR (default /dev/shm) from a fixed seed and removed afterwards.
 * Both sides' figures are compared bit for bit, so the bench also checks that the same thing was
 * computed. Wall and CPU seconds are printed; Boxmark's wall time is the best of N runs.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dataset/bm-eval.h"
#include "formats/bm-coco-json.h"

/* COCO's 80 category ids (1 … 90 with gaps). */
static const int coco_ids[80] = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32,
  33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
  60, 61, 62, 63, 64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
};

static const char *const dota_classes[15] = {
  "plane", "baseball-diamond", "bridge", "ground-track-field", "small-vehicle", "large-vehicle", "ship",
  "tennis-court", "basketball-court", "storage-tank", "soccer-ball-field", "roundabout", "harbor",
  "swimming-pool", "helicopter",
};

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
round_to (double value, double unit)
{
  return round (value / unit) * unit;
}

static void
append_number (GString *out, double value)
{
  bm_coco_json_append_double (out, value);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* ---- data ---- */

typedef struct
{
  guint n_images, n_labels, n_dets;
} Counts;

static void
make_coco (const char *dir, GRand *rng, Counts *counts)
{
  g_autoptr(GString) gt = g_string_new ("{\"info\": {\"description\": \"bench-eval\"},\n\"images\": [\n");
  g_autoptr(GString) annotations = g_string_new (NULL);
  g_autoptr(GString) results = g_string_new ("[");
  g_autofree char *gt_path = g_build_filename (dir, "instances.json", NULL);
  g_autofree char *res_path = g_build_filename (dir, "results.json", NULL);
  guint ann_id = 1;

  *counts = (Counts) { 5000, 0, 0 };
  for (guint i = 0; i < counts->n_images; i++)
    {
      static const int widths[] = { 640, 480, 500, 427, 612, 640 };
      int w = widths[g_rand_int_range (rng, 0, 6)], h = widths[g_rand_int_range (rng, 0, 6)];
      int n = g_rand_int_range (rng, 0, 15);

      g_string_append_printf (gt, "%s{\"id\": %u, \"file_name\": \"%012u.jpg\", \"width\": %d, \"height\": %d}",
                              i > 0 ? ",\n" : "", i + 1, i + 1, w, h);
      for (int k = 0; k < n; k++)
        {
          double size_class = g_rand_double (rng);
          double bw = size_class < 0.4 ? g_rand_double_range (rng, 5, 32) : size_class < 0.75 ? g_rand_double_range (rng, 32, 96)
                                                                                               : g_rand_double_range (rng, 96, 300);
          double bh = bw * g_rand_double_range (rng, 0.5, 1.8);
          double x = round_to (g_rand_double_range (rng, 0, MAX (1, w - bw)), 0.01);
          double y = round_to (g_rand_double_range (rng, 0, MAX (1, h - bh)), 0.01);
          int category = g_rand_double (rng) < 0.3 ? 1 : coco_ids[g_rand_int_range (rng, 0, 80)];
          gboolean crowd = g_rand_double (rng) < 0.01;

          bw = round_to (bw, 0.01);
          bh = round_to (bh, 0.01);
          if (annotations->len > 0)
            g_string_append (annotations, ",\n");
          g_string_append_printf (annotations, "{\"id\": %u, \"image_id\": %u, \"category_id\": %d, \"bbox\": [", ann_id++, i + 1, category);
          append_number (annotations, x);
          g_string_append (annotations, ", ");
          append_number (annotations, y);
          g_string_append (annotations, ", ");
          append_number (annotations, bw);
          g_string_append (annotations, ", ");
          append_number (annotations, bh);
          g_string_append (annotations, "], \"area\": ");
          append_number (annotations, round_to (bw * bh * 0.8, 0.01));
          g_string_append_printf (annotations, ", \"iscrowd\": %d}", crowd);
          counts->n_labels++;

          /* a detection of it (or two), sometimes of another class */
          for (int copy = 0; copy < 2; copy++)
            {
              double p = copy == 0 ? 0.85 : 0.12;
              double dx = bw * g_rand_double_range (rng, -0.15, 0.15), dy = bh * g_rand_double_range (rng, -0.15, 0.15);
              double sx = g_rand_double_range (rng, 0.85, 1.15), sy = g_rand_double_range (rng, 0.85, 1.15);
              int det_category = g_rand_double (rng) < 0.9 ? category : coco_ids[g_rand_int_range (rng, 0, 80)];

              if (g_rand_double (rng) >= p)
                continue;
              g_string_append_printf (results, "%s{\"image_id\": %u, \"category_id\": %d, \"bbox\": [",
                                      counts->n_dets > 0 ? ", " : "", i + 1, det_category);
              append_number (results, round_to (x + dx, 0.01));
              g_string_append (results, ", ");
              append_number (results, round_to (y + dy, 0.01));
              g_string_append (results, ", ");
              append_number (results, round_to (bw * sx, 0.01));
              g_string_append (results, ", ");
              append_number (results, round_to (bh * sy, 0.01));
              g_string_append (results, "], \"score\": ");
              append_number (results, round_to (g_rand_double_range (rng, copy == 0 ? 0.3 : 0.05, 1), 0.00001));
              g_string_append_c (results, '}');
              counts->n_dets++;
            }
        }
      /* false alarms */
      for (int f = g_rand_int_range (rng, 8, 19); f > 0; f--)
        {
          double bw = g_rand_double_range (rng, 8, 200), bh = g_rand_double_range (rng, 8, 200);

          g_string_append_printf (results, ", {\"image_id\": %u, \"category_id\": %d, \"bbox\": [", i + 1,
                                  coco_ids[g_rand_int_range (rng, 0, 80)]);
          append_number (results, round_to (g_rand_double_range (rng, 0, w - 8), 0.01));
          g_string_append (results, ", ");
          append_number (results, round_to (g_rand_double_range (rng, 0, h - 8), 0.01));
          g_string_append (results, ", ");
          append_number (results, round_to (bw, 0.01));
          g_string_append (results, ", ");
          append_number (results, round_to (bh, 0.01));
          g_string_append (results, "], \"score\": ");
          append_number (results, round_to (g_rand_double_range (rng, 0.001, 0.7), 0.00001));
          g_string_append_c (results, '}');
          counts->n_dets++;
        }
    }
  g_string_append (gt, "\n],\n\"annotations\": [\n");
  g_string_append_len (gt, annotations->str, (gssize) annotations->len);
  g_string_append (gt, "\n],\n\"categories\": [");
  for (int c = 0; c < 80; c++)
    g_string_append_printf (gt, "%s{\"id\": %d, \"name\": \"category %d\", \"supercategory\": \"thing\"}",
                            c > 0 ? ", " : "", coco_ids[c], coco_ids[c]);
  g_string_append (gt, "]}\n");
  g_string_append (results, "]\n");
  g_assert_true (g_file_set_contents (gt_path, gt->str, (gssize) gt->len, NULL));
  g_assert_true (g_file_set_contents (res_path, results->str, (gssize) results->len, NULL));
}

static void
rotated_corners (double cx, double cy, double w, double h, double angle, double *q)
{
  double c = cos (angle), s = sin (angle);
  const double dx[4] = { -w / 2, w / 2, w / 2, -w / 2 }, dy[4] = { -h / 2, -h / 2, h / 2, h / 2 };

  for (int i = 0; i < 4; i++)
    {
      q[2 * i] = cx + dx[i] * c - dy[i] * s;
      q[2 * i + 1] = cy + dx[i] * s + dy[i] * c;
    }
}

static void
make_dota (const char *dir, GRand *rng, Counts *counts)
{
  g_autofree char *labels = g_build_filename (dir, "labelTxt", NULL);
  g_autofree char *dets = g_build_filename (dir, "task1", NULL);
  g_autofree char *imageset = g_build_filename (dir, "imageset.txt", NULL);
  g_autoptr(GString) set = g_string_new (NULL);
  GString *files[15];

  *counts = (Counts) { 458, 0, 0 };
  g_mkdir_with_parents (labels, 0755);
  g_mkdir_with_parents (dets, 0755);
  for (int c = 0; c < 15; c++)
    files[c] = g_string_new (NULL);
  for (guint i = 0; i < counts->n_images; i++)
    {
      g_autoptr(GString) label = g_string_new ("imagesource:GoogleEarth\ngsd:0.146343590398\n");
      g_autofree char *name = g_strdup_printf ("P%04u", i);
      g_autofree char *file = g_strdup_printf ("%s/%s.txt", labels, name);
      double w = g_rand_double_range (rng, 800, 4000), h = g_rand_double_range (rng, 800, 4000);
      int n = g_rand_int_range (rng, 1, 126);

      g_string_append_printf (set, "%s\n", name);
      for (int k = 0; k < n; k++)
        {
          double r = g_rand_double (rng);
          int c = r < 0.3 ? 4 : r < 0.5 ? 5 : r < 0.65 ? 6 : g_rand_int_range (rng, 0, 15);
          double ow = g_rand_double_range (rng, 10, 120), oh = g_rand_double_range (rng, 8, 60);
          double cx = g_rand_double_range (rng, 60, w - 60), cy = g_rand_double_range (rng, 60, h - 60);
          double angle = g_rand_double_range (rng, 0, G_PI), q[8];

          rotated_corners (cx, cy, ow, oh, angle, q);
          for (int p = 0; p < 8; p++)
            g_string_append_printf (label, "%.1f ", round (q[p]));
          g_string_append_printf (label, "%s %d\n", dota_classes[c], g_rand_double (rng) < 0.05);
          counts->n_labels++;
          for (int copy = 0; copy < 2; copy++)
            {
              double d[8];

              if (g_rand_double (rng) >= (copy == 0 ? 0.85 : 0.1))
                continue;
              rotated_corners (cx + ow * g_rand_double_range (rng, -0.2, 0.2), cy + oh * g_rand_double_range (rng, -0.2, 0.2),
                               ow * g_rand_double_range (rng, 0.8, 1.2), oh * g_rand_double_range (rng, 0.8, 1.2),
                               angle + g_rand_double_range (rng, -0.2, 0.2), d);
              g_string_append_printf (files[c], "%s %.4f", name, g_rand_double_range (rng, copy == 0 ? 0.2 : 0.05, 1));
              for (int p = 0; p < 8; p++)
                g_string_append_printf (files[c], " %.1f", d[p]);
              g_string_append_c (files[c], '\n');
              counts->n_dets++;
            }
        }
      /* false alarms */
      for (int f = g_rand_int_range (rng, 100, 300); f > 0; f--)
        {
          int c = g_rand_int_range (rng, 0, 15);
          double d[8];

          rotated_corners (g_rand_double_range (rng, 0, w), g_rand_double_range (rng, 0, h), g_rand_double_range (rng, 10, 120),
                           g_rand_double_range (rng, 8, 60), g_rand_double_range (rng, 0, G_PI), d);
          g_string_append_printf (files[c], "%s %.4f", name, g_rand_double_range (rng, 0.01, 0.6));
          for (int p = 0; p < 8; p++)
            g_string_append_printf (files[c], " %.1f", d[p]);
          g_string_append_c (files[c], '\n');
          counts->n_dets++;
        }
      g_assert_true (g_file_set_contents (file, label->str, (gssize) label->len, NULL));
    }
  for (int c = 0; c < 15; c++)
    {
      g_autofree char *file = g_strdup_printf ("%s/Task1_%s.txt", dets, dota_classes[c]);

      g_assert_true (g_file_set_contents (file, files[c]->str, (gssize) files[c]->len, NULL));
      g_string_free (files[c], TRUE);
    }
  g_assert_true (g_file_set_contents (imageset, set->str, (gssize) set->len, NULL));
}

/* ---- the reference ---- */

static JsonObject *
run_reference (const char *ref, const char *const *args, double *child_cpu)
{
  g_autofree char *script = g_build_filename (BM_BENCH_SOURCE_DIR, "bench_eval_reference.py", NULL);
  g_autofree char *pythonpath = g_strdup_printf ("%s/dota:%s/coco/PythonAPI:%s/pfr", ref, ref, ref);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PYTHONPATH", pythonpath, TRUE);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();
  JsonObject *object;
  struct rusage before, after;
  int status;

  g_ptr_array_add (argv, (gpointer) "/usr/bin/python3");
  g_ptr_array_add (argv, script);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  getrusage (RUSAGE_CHILDREN, &before);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      fprintf (stderr, "reference run failed: %s\n(build it with ../shared/reference-impl/build.sh %s)\n", error->message, ref);
      exit (1);
    }
  getrusage (RUSAGE_CHILDREN, &after);
  *child_cpu = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6
               + (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_object_unref (parser);
  return object;
}

static double
member (JsonObject *object, const char *name)
{
  return json_object_get_double_member (object, name);
}

/* ---- Boxmark ---- */

typedef struct
{
  double load_gt, load_pred, eval;        /* wall */
  double cpu_load, cpu_eval;
  BmEvalResult *result;
} Ours;

static void
run_ours (const char *gt_path, const char *pred_path, BmEvalMetric metric, const char *const *classes, Ours *ours)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmEvalGt) gt = NULL;
  g_autoptr(BmPredSet) preds = NULL;
  BmEvalOptions options;
  double t0 = now (), c0 = cpu_now (), t1, t2, c1;

  gt = bm_eval_gt_load (gt_path, &error);
  g_assert_no_error (error);
  t1 = now ();
  preds = bm_pred_set_read (pred_path, BM_PRED_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  t2 = now ();
  c1 = cpu_now ();
  bm_eval_options_init (&options, metric);
  options.class_names = classes;
  ours->result = bm_eval_run (gt, preds, &options, &error);
  g_assert_no_error (error);
  ours->eval = now () - t2;
  ours->cpu_eval = cpu_now () - c1;
  ours->load_gt = t1 - t0;
  ours->load_pred = t2 - t1;
  ours->cpu_load = c1 - c0;
}

static void
best_of (const char *gt, const char *pred, BmEvalMetric metric, const char *const *classes, guint repeats, Ours *best)
{
  for (guint r = 0; r < repeats; r++)
    {
      Ours run = { 0 };

      run_ours (gt, pred, metric, classes, &run);
      if (r == 0 || run.load_gt + run.load_pred + run.eval < best->load_gt + best->load_pred + best->eval)
        {
          g_clear_pointer (&best->result, bm_eval_result_free);
          *best = run;
        }
      else
        bm_eval_result_free (run.result);
    }
}

int
main (int argc, char **argv)
{
  const char *ref = "/work/refimpl";
  const char *base = g_getenv ("BM_BENCH_DIR") ? g_getenv ("BM_BENCH_DIR") : "/dev/shm";
  const char *keep = NULL;
  guint repeats = 3;
  g_autofree char *dir = NULL;
  g_autoptr(GRand) rng = g_rand_new_with_seed (20240917);
  Counts coco, dota;
  Ours ours = { 0 };
  double ref_cpu;
  gboolean same;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--ref") == 0 && i + 1 < argc)
        ref = argv[++i];
      else if (strcmp (argv[i], "--repeats") == 0 && i + 1 < argc)
        repeats = (guint) atoi (argv[++i]);
      else if (strcmp (argv[i], "--keep") == 0 && i + 1 < argc)
        keep = argv[++i];
      else
        {
          fprintf (stderr, "usage: bench-eval [--ref REF] [--repeats N] [--keep DIR]\n");
          return 2;
        }
    }
  dir = keep != NULL ? g_strdup (keep) : g_build_filename (base, "bm-bench-eval-XXXXXX", NULL);
  if (keep != NULL)
    g_mkdir_with_parents (dir, 0755);
  else
    g_assert_nonnull (g_mkdtemp (dir));
  printf ("Generating the data in %s …\n", dir);
  fflush (stdout);
  make_coco (dir, rng, &coco);
  make_dota (dir, rng, &dota);

  /* ---- COCO ---- */
  {
    g_autofree char *gt = g_build_filename (dir, "instances.json", NULL);
    g_autofree char *res = g_build_filename (dir, "results.json", NULL);
    const char *args[] = { "coco", gt, res, NULL };
    g_autoptr(JsonObject) reference = NULL;
    JsonArray *stats;
    double ref_eas, ref_eas_cpu, ref_load;

    printf ("\nCOCO bbox: %u images, %u labels, %u detections, 80 categories\n", coco.n_images, coco.n_labels, coco.n_dets);
    best_of (gt, res, BM_EVAL_COCO, NULL, repeats, &ours);
    reference = run_reference (ref, args, &ref_cpu);
    stats = json_object_get_array_member (reference, "stats");
    same = TRUE;
    for (guint i = 0; i < 12; i++)
      same &= g_ascii_strtod (json_array_get_string_element (stats, i), NULL) == ours.result->stats[i];
    ref_eas = member (reference, "evaluate_wall") + member (reference, "accumulate_wall") + member (reference, "summarize_wall");
    ref_eas_cpu = member (reference, "evaluate_cpu") + member (reference, "accumulate_cpu") + member (reference, "summarize_cpu");
    ref_load = member (reference, "load_gt_wall") + member (reference, "load_res_wall");
    printf ("  pycocotools: evaluate %.2f s, accumulate %.2f s, summarize %.3f s (CPU %.2f s); loading %.2f s\n",
            member (reference, "evaluate_wall"), member (reference, "accumulate_wall"), member (reference, "summarize_wall"),
            ref_eas_cpu, ref_load);
    printf ("  Boxmark:     evaluate+accumulate+summarize %.4f s (CPU %.4f s); loading %.3f s (GT %.3f s, results %.3f s; CPU %.3f s)\n",
            ours.eval, ours.cpu_eval, ours.load_gt + ours.load_pred, ours.load_gt, ours.load_pred, ours.cpu_load);
    printf ("  ratio evaluate+accumulate+summarize: %.0fx wall, %.0fx CPU\n", ref_eas / ours.eval, ref_eas_cpu / ours.cpu_eval);
    printf ("  ratio with loading on both sides:   %.1fx wall, %.1fx CPU (reference process CPU %.2f s)\n",
            (ref_eas + ref_load) / (ours.eval + ours.load_gt + ours.load_pred),
            ref_cpu / (ours.cpu_eval + ours.cpu_load), ref_cpu);
    printf ("  the 12 stats bit for bit equal: %s (AP %s)\n", same ? "yes" : "NO",
            json_array_get_string_element (stats, 0));
    g_clear_pointer (&ours.result, bm_eval_result_free);
  }

  /* ---- DOTA Task1 ---- */
  {
    g_autofree char *labels = g_build_filename (dir, "labelTxt", NULL);
    g_autofree char *task1 = g_build_filename (dir, "task1", NULL);
    g_autofree char *imageset = g_build_filename (dir, "imageset.txt", NULL);
    const char *args[20] = { "dota", labels, task1, imageset };
    g_autoptr(JsonObject) reference = NULL;
    double ref_wall;

    for (int c = 0; c < 15; c++)
      args[4 + c] = dota_classes[c];
    printf ("\nDOTA Task1: %u images, %u labels, %u detections, 15 classes (11-point, as main())\n",
            dota.n_images, dota.n_labels, dota.n_dets);
    best_of (labels, task1, BM_EVAL_DOTA_TASK1, dota_classes, repeats, &ours);
    reference = run_reference (ref, args, &ref_cpu);
    ref_wall = member (reference, "total_wall");
    same = g_ascii_strtod (json_object_get_string_member (reference, "map"), NULL) == ours.result->map;
    printf ("  DOTA_devkit: %.2f s (CPU %.2f s)\n", ref_wall, member (reference, "total_cpu"));
    printf ("  Boxmark:     %.4f s: labels %.3f s, detections %.3f s, evaluation %.4f s (CPU %.3f s)\n",
            ours.load_gt + ours.load_pred + ours.eval, ours.load_gt, ours.load_pred, ours.eval, ours.cpu_load + ours.cpu_eval);
    printf ("  ratio: %.0fx wall, %.0fx CPU\n", ref_wall / (ours.load_gt + ours.load_pred + ours.eval),
            member (reference, "total_cpu") / (ours.cpu_load + ours.cpu_eval));
    printf ("  mAP bit for bit equal: %s (%s)\n", same ? "yes" : "NO", json_object_get_string_member (reference, "map"));
    g_clear_pointer (&ours.result, bm_eval_result_free);
  }
  if (keep == NULL)
    remove_tree (dir);
  return 0;
}
