/* bench-warp.c: the augmentation warp against cv2.warpAffine, and a rotation + expand + mixup
 * pipeline, on 1920×1080 images.
 *
 *   bench-warp [--repeats N] [--no-opencv] [--keep-heap]
 *
 * --keep-heap raises glibc's mmap and trim thresholds, as an application may do, so that the
 * 6–14 MB images of the pipeline reuse heap memory instead of fresh pages: without it most of
 * the pipeline time is the kernel zeroing new pages on first touch.
 *
 * OpenCV runs in Debian's /usr/bin/python3 (python3-opencv) with cv2.setNumThreads(1) on the
 * same pixels and matrix; its output is compared with ours byte by byte. Times are the best of
 * N runs, in milliseconds of thread CPU time (time.thread_time() on the Python side), so that
 * other work on the machine disturbs them less.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/bm-augment.h"

#define WIDTH 1920
#define HEIGHT 1080

static BmImage *
make_photo_like (int width, int height, int channels, guint32 seed)
{
  BmImage *image = bm_image_new (width, height, channels);
  guint32 s = seed;

  /* smooth gradients plus noise, so neighbouring pixels differ as in a photo */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int k = 0; k < channels; k++)
        {
          s = s * 1664525u + 1013904223u;
          image->data[(gsize) y * image->stride + (gsize) x * channels + k] =
            (guint8) ((x * (k + 1) / 9 + y / 5 + (int) (s >> 28)) & 0xff);
        }
  return image;
}

#include <time.h>

/* Thread CPU time: on a shared, loaded machine it moves far less than wall time. */
static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
time_warp (const BmImage *src, BmImage *dst, const BmAffine *m, int repeats)
{
  const guint8 border[4] = { 114, 114, 114, 114 };
  double best = G_MAXDOUBLE;

  for (int r = 0; r < repeats; r++)
    {
      double t0 = now_ms ();
      bm_augment_warp_affine (src, dst, m, BM_AUGMENT_BORDER_CONSTANT, border);
      best = MIN (best, now_ms () - t0);
    }
  return best;
}

/* Runs the OpenCV script; returns its best time or a negative value when it cannot run. */
static double
time_opencv (const char *dir, const BmImage *src, const BmAffine *m, int repeats, GBytes **output)
{
  g_autofree char *raw = g_build_filename (dir, "src.raw", NULL);
  g_autofree char *out = g_build_filename (dir, "cv.raw", NULL);
  g_autofree char *w = g_strdup_printf ("%d", src->width), *h = g_strdup_printf ("%d", src->height);
  g_autofree char *cn = g_strdup_printf ("%d", src->channels), *rep = g_strdup_printf ("%d", repeats);
  char mv[6][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *stdout_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;
  int status = 0;

  if (!g_file_set_contents (raw, (const char *) src->data, (gssize) src->stride * src->height, &error))
    {
      g_printerr ("bench-warp: %s\n", error->message);
      return -1;
    }
  for (int i = 0; i < 6; i++)
    g_ascii_formatd (mv[i], sizeof mv[i], "%.17g", m->m[i]);
  {
    const char *argv[] = { "/usr/bin/python3", BM_BENCH_WARP_SCRIPT, raw, w, h, cn,
                           mv[0], mv[1], mv[2], mv[3], mv[4], mv[5], "114", rep, out, NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text, NULL, &status, &error)
        || !g_spawn_check_wait_status (status, &error))
      {
        g_printerr ("bench-warp: OpenCV not available: %s\n", error->message);
        return -1;
      }
  }
  line = strstr (stdout_text, "opencv_ms ");
  if (!line)
    return -1;
  {
    gsize length = 0;
    char *contents = NULL;

    if (g_file_get_contents (out, &contents, &length, NULL))
      *output = g_bytes_new_take (contents, length);
  }
  g_unlink (raw);
  g_unlink (out);
  return g_ascii_strtod (line + strlen ("opencv_ms "), NULL);
}

static void
compare_outputs (const BmImage *ours, GBytes *theirs)
{
  gsize length = 0;
  const guint8 *cv = theirs ? g_bytes_get_data (theirs, &length) : NULL;
  gsize n = (gsize) ours->stride * ours->height, differing = 0;
  int max_diff = 0;

  if (!cv || length != n)
    {
      printf ("  compare: OpenCV output missing or of another size\n");
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      int d = abs (ours->data[i] - cv[i]);
      max_diff = MAX (max_diff, d);
      differing += d != 0;
    }
  printf ("  identical to OpenCV: %s (max difference %d, %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes differ)\n",
          differing == 0 ? "yes" : "no", max_diff, differing, n);
}

static void
bench_warp (const char *dir, int channels, int repeats, gboolean with_opencv)
{
  g_autoptr(BmImage) src = make_photo_like (WIDTH, HEIGHT, channels, 1);
  g_autoptr(BmImage) dst = bm_image_new (WIDTH, HEIGHT, channels);
  g_autoptr(GBytes) cv_output = NULL;
  BmAffine m;
  double ours, theirs = -1;

  /* 30° about the centre with a slight zoom: every pixel interpolated, corners on the border */
  bm_affine_init_rotation (&m, WIDTH / 2.0, HEIGHT / 2.0, 30, 1.1);
  ours = time_warp (src, dst, &m, repeats);
  printf ("warp %dx%d, %d channels, rotate 30° scale 1.1, bilinear, constant border:\n", WIDTH, HEIGHT, channels);
  printf ("  boxmark        %8.2f ms\n", ours);
  if (with_opencv)
    theirs = time_opencv (dir, src, &m, repeats, &cv_output);
  if (theirs > 0)
    {
      printf ("  opencv 1 thread %7.2f ms\n", theirs);
      printf ("  ratio boxmark/opencv %.2f (below 1 = faster)\n", ours / theirs);
      compare_outputs (dst, cv_output);
    }
  else
    printf ("  opencv: skipped\n");
}

static BmAugmentSample *
make_sample (const BmAugmentProfile *profile, guint32 seed, int n_boxes)
{
  g_autoptr(BmImage) image = make_photo_like (WIDTH, HEIGHT, 3, seed);
  BmAugmentSample *sample = bm_augment_sample_new (image, NULL, profile);

  for (int i = 0; i < n_boxes; i++)
    {
      g_autoptr(BmObject) object = NULL;
      BmShape shape;

      bm_shape_init_box (&shape, 50 + i * 90, 100 + i * 40, 150 + i * 95, 300 + i * 30);
      object = bm_object_new ("object", &shape);
      bm_augment_sample_add_object (sample, object);
    }
  return sample;
}

static void
bench_pipeline (int repeats)
{
  for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    {
      const BmAugmentProfile *profile = bm_augment_profile_get (f);
      g_autoptr(BmAugmentSample) source = make_sample (profile, 1, 20);
      g_autoptr(BmAugmentSample) other = make_sample (profile, 2, 20);
      BmAugmentOp ops[3] = { { .kind = BM_AUGMENT_OP_ROTATE }, { .kind = BM_AUGMENT_OP_EXPAND },
                             { .kind = BM_AUGMENT_OP_MIXUP } };
      double best = G_MAXDOUBLE, step_best[3] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };
      g_autoptr(GString) description = g_string_new (NULL);
      int out_w = 0, out_h = 0;

      ops[0].rotate.degrees = 30;
      ops[0].rotate.scale = 1;
      ops[0].rotate.canvas = profile->canvas;
      ops[0].rotate.box_method = profile->box_method;
      ops[1].expand.ratio = 1.5;
      ops[1].expand.x = 300;
      ops[1].expand.y = 200;
      memcpy (ops[1].expand.fill, profile->expand_fill, 3);
      ops[2].mixup.lambda = profile->mixup_style == BM_AUGMENT_MIXUP_MMDET ? 0.5 : 0.6;
      ops[2].mixup.source = 0;
      /* mmdet style: the second image fitted into 1920 × 1080, no jitter, flipped */
      ops[2].mixup.scale_w = WIDTH;
      ops[2].mixup.scale_h = HEIGHT;
      ops[2].mixup.jitter = 1.0;
      ops[2].mixup.flip = 1;
      for (int i = 0; i < 3; i++)
        {
          g_autofree char *line = bm_augment_op_to_string (&ops[i]);
          g_string_append_printf (description, "%s\n", line);
        }

      /* what a preview calls: the whole chain at once */
      for (int r = 0; r < repeats; r++)
        {
          g_autoptr(BmAugmentSample) sample = NULL;
          g_autoptr(GError) error = NULL;
          double t0 = now_ms ();

          sample = bm_augment_replay (source, description->str, &other, 1, &error);
          if (!sample)
            g_error ("pipeline failed: %s", error->message);
          best = MIN (best, now_ms () - t0);
          out_w = sample->image->width;
          out_h = sample->image->height;
        }
      /* each step on its own, through the public one-operation call */
      for (int r = 0; r < repeats; r++)
        {
          g_autoptr(BmAugmentSample) sample = bm_augment_sample_copy (source);

          for (int i = 0; i < 3; i++)
            {
              g_autoptr(GError) error = NULL;
              double t1 = now_ms ();

              if (!bm_augment_apply (sample, &ops[i], &other, 1, &error))
                g_error ("pipeline step %d failed: %s", i, error->message);
              step_best[i] = MIN (step_best[i], now_ms () - t1);
            }
        }
      printf ("rotate 30° + expand 1.5 + mixup, %dx%d RGB, 20 boxes, %-14s %7.2f ms (output %dx%d; "
              "steps alone %.2f + %.2f + %.2f ms)\n",
              WIDTH, HEIGHT, profile->id, best, out_w, out_h, step_best[0], step_best[1], step_best[2]);
    }
}

/* Every other operation once on a 1920×1080 RGB image, parameters drawn from seed 5. */
static void
bench_operations (int repeats)
{
  const BmAugmentOpKind kinds[] = { BM_AUGMENT_OP_HSV, BM_AUGMENT_OP_BRIGHTNESS, BM_AUGMENT_OP_CONTRAST,
                                    BM_AUGMENT_OP_HFLIP, BM_AUGMENT_OP_VFLIP, BM_AUGMENT_OP_CROP,
                                    BM_AUGMENT_OP_SCALE, BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_OP_MOSAIC,
                                    BM_AUGMENT_OP_LETTERBOX };
  const BmAugmentProfile *profile = bm_augment_profile_get (BM_AUGMENT_FRAMEWORK_ULTRALYTICS);
  g_autoptr(BmAugmentSample) source = make_sample (profile, 1, 20);
  BmAugmentSettings settings;

  bm_augment_settings_init (&settings, profile);
  printf ("other operations, %dx%d RGB, 20 boxes (ultralytics profile):\n", WIDTH, HEIGHT);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      double best = G_MAXDOUBLE;
      g_autofree char *text = NULL;
      BmAugmentRng rng;
      BmAugmentOp op;

      bm_augment_rng_init (&rng, 5);
      bm_augment_draw_op (kinds[k], &settings, source, 0, &rng, &op);
      for (int r = 0; r < repeats; r++)
        {
          g_autoptr(BmAugmentSample) sample = bm_augment_sample_copy (source);
          double t0 = now_ms ();

          if (!bm_augment_apply (sample, &op, NULL, 0, NULL))
            g_error ("%s failed", bm_augment_op_kind_to_string (kinds[k]));
          best = MIN (best, now_ms () - t0);
        }
      text = bm_augment_op_to_string (&op);
      printf ("  %7.2f ms  %s\n", best, text);
    }
}

int
main (int argc, char **argv)
{
  int repeats = 10;
  gboolean with_opencv = TRUE;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--repeats") == 0 && i + 1 < argc)
        {
          repeats = atoi (argv[++i]);
          repeats = MAX (repeats, 1);
        }
      else if (g_strcmp0 (argv[i], "--no-opencv") == 0)
        with_opencv = FALSE;
      else if (g_strcmp0 (argv[i], "--keep-heap") == 0)
        {
          mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
          mallopt (M_TRIM_THRESHOLD, 256 * 1024 * 1024);
          printf ("glibc malloc: mmap threshold 32 MB, trim threshold 256 MB\n");
        }
      else
        {
          g_printerr ("usage: bench-warp [--repeats N] [--no-opencv] [--keep-heap]\n");
          return 2;
        }
    }

  dir = g_dir_make_tmp ("bench-warp-XXXXXX", &error);
  if (!dir)
    {
      g_printerr ("bench-warp: %s\n", error->message);
      return 1;
    }
  bench_warp (dir, 3, repeats, with_opencv);
  bench_warp (dir, 4, repeats, with_opencv);
  bench_pipeline (repeats);
  bench_operations (repeats);
  g_rmdir (dir);
  return 0;
}
