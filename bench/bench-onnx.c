/* bench-onnx.c: a YOLO model through Boxmark (OpenCV 4.6 DNN behind core/bm-onnx-net.cc, our
 * letterbox and decode) against OpenCV's own Python cv2.dnn on the same forward pass, in one run;
 * then a batch over every core.
 *
 *   bench-onnx [--runs N] [--rounds R] [--model FILE.onnx] [--images N] [TESTDATA]
 *
 * Default: $TESTDATA/models/yolov8n.onnx (YOLOv8n, 640) on models/images/two_people.png, one
 * OpenCV thread on both sides, R = 3 rounds alternating the two sides, each the median of N = 10
 * forward passes after a warm-up. Printed per round and overall: wall and thread-CPU medians and
 * the ratios ours / cv2 (target: forward ≤ 1.2). The full detection (letterbox + forward +
 * decode + NMS) is timed too. The batch part detects on N copies of the two fixture images
 * with 1 and 2 worker threads and 1 or the default OpenCV threads (wall and process CPU time).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <glib.h>

#include "core/bm-image.h"
#include "core/bm-onnx-model.h"
#include "core/bm-onnx-net.h"
#include "core/bm-parallel.h"

#define PYTHON "/usr/bin/python3"

static int runs = 10;
static int rounds = 3;
static int n_images = 16;
static char *model_option;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *values, int n)
{
  qsort (values, (size_t) n, sizeof (double), compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
now_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

typedef struct
{
  double wall, cpu;
} Timing;

static Timing
time_forward (BmOnnxNet *net)
{
  g_autofree double *wall = g_new (double, runs);
  g_autofree double *cpu = g_new (double, runs);
  int dims[8], n_dims;

  for (int i = 0; i < runs; i++)
    {
      double c0 = now_ms (CLOCK_THREAD_CPUTIME_ID), t0 = now_ms (CLOCK_MONOTONIC);

      if (bm_onnx_net_forward (net, dims, &n_dims, NULL) == NULL)
        g_error ("forward failed");
      wall[i] = now_ms (CLOCK_MONOTONIC) - t0;
      cpu[i] = now_ms (CLOCK_THREAD_CPUTIME_ID) - c0;
    }
  return (Timing) { median (wall, runs), median (cpu, runs) };
}

static Timing
time_detect (BmOnnxModel *model, BmImage *image)
{
  g_autofree double *wall = g_new (double, runs);
  g_autofree double *cpu = g_new (double, runs);
  BmYoloParams params;

  bm_yolo_params_init (&params);
  for (int i = 0; i < runs; i++)
    {
      double c0 = now_ms (CLOCK_THREAD_CPUTIME_ID), t0 = now_ms (CLOCK_MONOTONIC);
      g_autoptr(GArray) found = bm_onnx_model_detect (model, image, &params, NULL);

      if (found == NULL)
        g_error ("detect failed");
      wall[i] = now_ms (CLOCK_MONOTONIC) - t0;
      cpu[i] = now_ms (CLOCK_THREAD_CPUTIME_ID) - c0;
    }
  return (Timing) { median (wall, runs), median (cpu, runs) };
}

static Timing
time_python (const char *model, const char *input)
{
  g_autofree char *script = g_build_filename (BM_BENCH_SOURCE_DIR, "bench_onnx_opencv.py", NULL);
  g_autofree char *runs_text = g_strdup_printf ("%d", runs);
  const char *argv[] = { PYTHON, script, model, input, runs_text, "1", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  Timing t;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error) || sscanf (out, "%lf %lf", &t.wall, &t.cpu) != 2)
    g_error ("python side failed: %s", error != NULL ? error->message : out);
  return t;
}

static double
process_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 + usage.ru_stime.tv_sec * 1000.0
         + usage.ru_stime.tv_usec / 1000.0;
}

/* The batch's own thread policy sets OpenCV's threads; the variants here set them by hand
 * through one worker at a time per image list, so the runs below call bm_onnx_model_detect
 * directly from bm_parallel_for. */
typedef struct
{
  BmOnnxModel *model;
  GPtrArray *images;
} BatchData;

static void
detect_item (guint index, gpointer user_data)
{
  BatchData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = bm_image_load (g_ptr_array_index (data->images, index), &error);
  g_autoptr(GArray) found = NULL;
  BmYoloParams params;

  bm_yolo_params_init (&params);
  if (image != NULL)
    found = bm_onnx_model_detect (data->model, image, &params, &error);
  if (found == NULL)
    g_error ("%s", error->message);
}

/* cv2 in a process of its own that runs one forward pass per request. */
typedef struct
{
  GPid pid;
  FILE *in, *out;
} Server;

static void
server_start (Server *server, const char *model, const char *input)
{
  g_autofree char *script = g_build_filename (BM_BENCH_SOURCE_DIR, "bench_onnx_opencv.py", NULL);
  const char *argv[] = { PYTHON, script, model, input, "serve", "1", NULL };
  g_autoptr(GError) error = NULL;
  char line[64];
  int in_fd, out_fd;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &server->pid, &in_fd,
                                 &out_fd, NULL, &error))
    g_error ("%s", error->message);
  server->in = fdopen (in_fd, "w");
  server->out = fdopen (out_fd, "r");
  if (fgets (line, sizeof line, server->out) == NULL || strncmp (line, "ready", 5) != 0)
    g_error ("the cv2 side did not start");
}

static Timing
server_forward (Server *server)
{
  char line[64];
  Timing t;

  fputs ("f\n", server->in);
  fflush (server->in);
  if (fgets (line, sizeof line, server->out) == NULL || sscanf (line, "%lf %lf", &t.wall, &t.cpu) != 2)
    g_error ("the cv2 side failed");
  return t;
}

static void
server_stop (Server *server)
{
  fclose (server->in);
  fclose (server->out);
  g_spawn_close_pid (server->pid);
}

/* Boxmark's pass and cv2's alternately, n times: both meet the same load, and each pair gives a
 * ratio. */
static void
bench_paired (BmOnnxNet *net, const char *model, const char *input, int n)
{
  g_autofree double *ours = g_new (double, n);
  g_autofree double *ours_cpu = g_new (double, n);
  g_autofree double *theirs = g_new (double, n);
  g_autofree double *theirs_cpu = g_new (double, n);
  g_autofree double *ratio = g_new (double, n);
  g_autofree double *ratio_cpu = g_new (double, n);
  Server server;

  server_start (&server, model, input);
  for (int i = 0; i < n; i++)
    {
      int dims[8], n_dims;
      double c0 = now_ms (CLOCK_THREAD_CPUTIME_ID), t0 = now_ms (CLOCK_MONOTONIC);
      Timing b;

      if (bm_onnx_net_forward (net, dims, &n_dims, NULL) == NULL)
        g_error ("forward failed");
      ours[i] = now_ms (CLOCK_MONOTONIC) - t0;
      ours_cpu[i] = now_ms (CLOCK_THREAD_CPUTIME_ID) - c0;
      b = server_forward (&server);
      theirs[i] = b.wall;
      theirs_cpu[i] = b.cpu;
      ratio[i] = ours[i] / theirs[i];
      ratio_cpu[i] = ours_cpu[i] / theirs_cpu[i];
    }
  server_stop (&server);
  {
    /* median () sorts: the minimum is then the first element */
    double ow = median (ours, n), oc = median (ours_cpu, n), tw = median (theirs, n), tc = median (theirs_cpu, n);
    double rw = median (ratio, n), rc = median (ratio_cpu, n);

    printf ("\npaired: %d forward passes each, alternating (median; minimum)\n", n);
    printf ("  Boxmark  wall %7.1f ms (%7.1f)   CPU %7.1f ms (%7.1f)\n", ow, ours[0], oc, ours_cpu[0]);
    printf ("  cv2      wall %7.1f ms (%7.1f)   CPU %7.1f ms (%7.1f)\n", tw, theirs[0], tc, theirs_cpu[0]);
    printf ("  ratio Boxmark / cv2: median of the pairs %.3f (wall), %.3f (CPU); of the minima %.3f (wall), "
            "%.3f (CPU); target ≤ 1.2\n", rw, rc, ours[0] / theirs[0], ours_cpu[0] / theirs_cpu[0]);
  }
}

static void
bench_batch (BmOnnxModel *model, const char *testdata)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  g_autofree char *a = g_build_filename (testdata, "models", "images", "two_people.png", NULL);
  g_autofree char *b = g_build_filename (testdata, "detect", "astronaut.png", NULL);
  const struct { guint workers; int cv_threads; } variants[] = { { 1, 1 }, { 1, 0 }, { 2, 1 }, { 2, 0 } };
  BatchData data = { model, images };

  for (int i = 0; i < n_images; i++)
    g_ptr_array_add (images, i % 2 ? b : a);
  printf ("\nbatch: %d images (1126×661 and 512×512 PNG: decode, letterbox, forward, decode), best of %d\n",
          n_images, rounds);
  printf ("%-10s %-16s %10s %12s %12s\n", "workers", "OpenCV threads", "wall s", "images/s", "CPU s/image");
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      double best = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;

      bm_onnx_set_threads (variants[v].cv_threads);
      for (int r = 0; r <= rounds; r++)   /* round 0 makes the networks */
        {
          double t0 = now_ms (CLOCK_MONOTONIC), c0 = process_cpu_ms ();

          bm_parallel_for (images->len, variants[v].workers, detect_item, &data);
          if (r > 0)
            {
              best = MIN (best, now_ms (CLOCK_MONOTONIC) - t0);
              best_cpu = MIN (best_cpu, process_cpu_ms () - c0);
            }
        }
      printf ("%-10u %-16s %10.2f %12.2f %12.3f\n", variants[v].workers,
              variants[v].cv_threads == 0 ? "default" : "1", best / 1000, n_images / (best / 1000),
              best_cpu / 1000 / n_images);
    }
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Forward passes per round (median)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds alternating Boxmark and cv2", "R" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model_option, "The model (default: yolov8n.onnx)", "FILE" },
    { "images", 0, 0, G_OPTION_ARG_INT, &n_images, "Images in the batch part", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[TESTDATA]");
  g_autoptr(GError) error = NULL;
  const char *testdata;
  g_autofree char *model_path = NULL;
  g_autofree char *image_path = NULL;
  g_autofree char *input_path = NULL;
  g_autoptr(BmOnnxModel) model = NULL;
  g_autoptr(BmOnnxNet) net = NULL;
  g_autoptr(BmImage) image = NULL;
  g_autofree char *data = NULL;
  g_autofree double *ours = NULL, *ours_cpu = NULL, *theirs = NULL, *theirs_cpu = NULL, *full = NULL;
  BmLetterbox lb;
  gsize length;
  int width, height;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (!bm_onnx_net_available ())
    {
      printf ("built without OpenCV's DNN module: nothing to measure\n");
      return 0;
    }
  testdata = argc > 1 ? argv[1] : BM_DEFAULT_TESTDATA;
  model_path = model_option != NULL ? g_strdup (model_option) : g_build_filename (testdata, "models", "yolov8n.onnx", NULL);
  image_path = g_build_filename (testdata, "models", "images", "two_people.png", NULL);

  bm_onnx_set_threads (1);
  model = bm_onnx_model_load (model_path, &error);
  if (model == NULL)
    g_error ("%s", error->message);
  image = bm_image_load (image_path, &error);
  if (image == NULL)
    g_error ("%s", error->message);
  bm_onnx_model_get_input_size (model, &width, &height);
  g_assert_true (g_file_get_contents (model_path, &data, &length, NULL));
  net = bm_onnx_net_new ((const guint8 *) data, length, model_path, width, height,
                         bm_yolo_count_anchors (width, height, 32), &error);
  if (net == NULL)
    g_error ("%s", error->message);
  if (!bm_onnx_letterbox_image (image, width, height, &lb, bm_onnx_net_get_input (net), &error))
    g_error ("%s", error->message);
  {
    /* the same tensor for cv2, as a .npy file */
    g_autofree char *dir = g_dir_make_tmp ("bm-bench-onnx-XXXXXX", NULL);
    g_autofree char *header = g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, %d, %d), }",
                                               height, width);
    g_autoptr(GByteArray) npy = g_byte_array_new ();
    gsize padded = (10 + strlen (header) + 1 + 63) / 64 * 64 - 10;
    guint8 head[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (guint8) (padded & 0xff), (guint8) (padded >> 8) };

    g_byte_array_append (npy, head, 10);
    g_byte_array_append (npy, (const guint8 *) header, (guint) strlen (header));
    while (npy->len < 10 + padded - 1)
      g_byte_array_append (npy, (const guint8 *) " ", 1);
    g_byte_array_append (npy, (const guint8 *) "\n", 1);
    g_byte_array_append (npy, (const guint8 *) bm_onnx_net_get_input (net), (guint) (sizeof (float) * 3 * width * height));
    input_path = g_build_filename (dir, "input.npy", NULL);
    g_assert_true (g_file_set_contents (input_path, (const char *) npy->data, npy->len, NULL));
  }

  printf ("%s, %d×%d, one OpenCV thread on both sides; ms = median of %d forward passes\n", model_path, width, height,
          runs);
  printf ("%-6s %22s %22s %14s %14s %18s\n", "round", "Boxmark wall / CPU", "cv2 wall / CPU", "ratio (wall)",
          "ratio (CPU)", "Boxmark detect");
  ours = g_new (double, rounds);
  ours_cpu = g_new (double, rounds);
  theirs = g_new (double, rounds);
  theirs_cpu = g_new (double, rounds);
  full = g_new (double, rounds);
  time_forward (net);   /* warm-up */
  for (int r = 0; r < rounds; r++)
    {
      Timing a = time_forward (net);
      Timing b = time_python (model_path, input_path);
      Timing d = time_detect (model, image);

      ours[r] = a.wall, ours_cpu[r] = a.cpu, theirs[r] = b.wall, theirs_cpu[r] = b.cpu, full[r] = d.wall;
      printf ("%-6d %10.1f / %7.1f ms %10.1f / %7.1f ms %14.3f %14.3f %15.1f ms\n", r + 1, a.wall, a.cpu, b.wall, b.cpu,
              a.wall / b.wall, a.cpu / b.cpu, d.wall);
    }
  {
    double ow = median (ours, rounds), oc = median (ours_cpu, rounds), tw = median (theirs, rounds),
           tc = median (theirs_cpu, rounds), fw = median (full, rounds);

    printf ("%-6s %10.1f / %7.1f ms %10.1f / %7.1f ms %14.3f %14.3f %15.1f ms\n", "median", ow, oc, tw, tc, ow / tw,
            oc / tc, fw);
    printf ("forward ratio Boxmark / cv2: %.3f (wall), %.3f (CPU); target ≤ 1.2\n", ow / tw, oc / tc);
    printf ("whole detection (letterbox + forward + decode + NMS) / cv2 forward alone: %.3f\n", fw / tw);
  }
  bench_paired (net, model_path, input_path, runs * rounds);
  g_clear_pointer (&net, bm_onnx_net_free);
  bench_batch (model, testdata);
  return 0;
}
