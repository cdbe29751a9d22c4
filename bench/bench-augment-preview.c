/* bench-augment-preview.c: the time from a parameter change to a finished preview sample, for a
 * 1920 × 1080 image with rotation + expand + mixup (target: under 30 ms).
 *
 *   build/bench/bench-augment-preview [ROUNDS]
 *   xvfb-run -a -s "-screen 0 1280x1024x24" env GTK_A11Y=none GSK_RENDERER=cairo \
 *     build/bench/bench-augment-preview [ROUNDS]
 *
 * Writes two synthetic 1920 × 1080 photos-like images (noise over gradients, 12 boxes) into a
 * temporary folder. Prints, per profile, the median and 90th percentile of
 *   compute: what the panel's worker does (engine run + display tiles of the result, for a
 *            view 1100 px wide), and
 *   panel:   moving the rotation slider → "preview-ready" on the panel (needs a display; the
 *            panel in a window, partners cached after the first round).
 * Nothing is asserted.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>

#include "core/bm-augment.h"
#include "core/bm-dataset.h"
#include "formats/bm-voc.h"
#include "widgets/bm-augment-panel.h"

#define WIDTH  1920
#define HEIGHT 1080

static BmImage *
synthetic_image (guint32 seed)
{
  BmImage *image = bm_image_new (WIDTH, HEIGHT, 3);
  GRand *rand = g_rand_new_with_seed (seed);

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guint8 *p = image->data + (gsize) y * image->stride + (gsize) x * 3;
        int noise = g_rand_int_range (rand, -20, 21);

        p[0] = (guint8) CLAMP (x * 255 / WIDTH + noise, 0, 255);
        p[1] = (guint8) CLAMP (y * 255 / HEIGHT + noise, 0, 255);
        p[2] = (guint8) CLAMP (128 + noise, 0, 255);
      }
  g_rand_free (rand);
  return image;
}

static BmAnnotation *
synthetic_labels (const char *image_path)
{
  BmAnnotation *annotation = bm_annotation_new ();

  bm_annotation_set_image_path (annotation, image_path);
  bm_annotation_set_size (annotation, WIDTH, HEIGHT, 3);
  for (int i = 0; i < 12; i++)
    {
      g_autoptr(BmObject) object = NULL;
      BmShape shape;
      double x = 60 + (i % 4) * 450, y = 60 + (i / 4) * 330;

      bm_shape_init_box (&shape, x, y, x + 200 + i * 10, y + 150 + i * 5);
      object = bm_object_new (i % 2 ? "car" : "person", &shape);
      bm_annotation_add_object (annotation, object);
    }
  return annotation;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what, const char *profile, GArray *times)
{
  g_array_sort (times, compare_doubles);
  printf ("%-8s %-15s median %6.1f ms   p90 %6.1f ms   (%u rounds)\n", what, profile,
          g_array_index (times, double, times->len / 2),
          g_array_index (times, double, MIN (times->len - 1, times->len * 9 / 10)), times->len);
}

/* What the panel's worker does for one preview. */
static void
bench_compute (BmImage *image, BmAnnotation *annotation, BmImage *partner_image, guint rounds)
{
  const BmAugmentOpKind kinds[] = { BM_AUGMENT_OP_ROTATE, BM_AUGMENT_OP_EXPAND, BM_AUGMENT_OP_MIXUP };

  for (int f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    {
      const BmAugmentProfile *profile = bm_augment_profile_get ((BmAugmentFramework) f);
      g_autoptr(BmAugmentSample) source = bm_augment_sample_new (image, annotation, profile);
      g_autoptr(BmAugmentSample) partner = bm_augment_sample_new (partner_image, annotation, profile);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      BmAugmentSettings settings;

      bm_augment_settings_init (&settings, profile);
      for (guint i = 0; i < BM_AUGMENT_N_OPS; i++)
        settings.probability[i] = 1.0;
      settings.expand_ratio = 2.0;
      for (guint r = 0; r < rounds; r++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(BmAugmentSample) sample = NULL;
          g_autoptr(BmTileImage) display = NULL;
          double ms, scale;

          settings.degrees = 5 + (r % 40);         /* a slider moving */
          sample = bm_augment_run (source, kinds, G_N_ELEMENTS (kinds), &settings, 1, &partner, 1, NULL);
          display = bm_augment_preview_make_display (sample->image, 1100, &scale);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);
        }
      report ("compute", profile->id, times);
    }
}

static void
ready_cb (BmAugmentPanel *panel, gboolean *ready)
{
  *ready = TRUE;
}

static void
bench_panel (BmImage *image, BmAnnotation *annotation, BmDataset *dataset, guint index, guint rounds)
{
  GtkWidget *window = gtk_window_new ();
  BmAugmentPanel *panel = BM_AUGMENT_PANEL (bm_augment_panel_new ());
  GtkAdjustment *degrees = bm_augment_panel_get_adjustment (panel, "rotate.degrees");
  gboolean ready = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (panel, "preview-ready", G_CALLBACK (ready_cb), &ready);
  bm_augment_panel_set_op_enabled (panel, BM_AUGMENT_OP_ROTATE, TRUE);
  bm_augment_panel_set_op_enabled (panel, BM_AUGMENT_OP_EXPAND, TRUE);
  bm_augment_panel_set_op_enabled (panel, BM_AUGMENT_OP_MIXUP, TRUE);
  gtk_adjustment_set_value (bm_augment_panel_get_adjustment (panel, "expand.ratio"), 2.0);

  for (int f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

      bm_augment_panel_set_framework (panel, (BmAugmentFramework) f);
      bm_augment_panel_set_source (panel, image, annotation, dataset, index);
      while (bm_augment_panel_get_busy (panel))     /* partners loaded and cached */
        g_main_context_iteration (NULL, TRUE);
      for (guint r = 0; r < rounds; r++)
        {
          gint64 start;
          double ms;

          while (g_main_context_pending (NULL))
            g_main_context_iteration (NULL, FALSE);
          ready = FALSE;
          start = g_get_monotonic_time ();
          gtk_adjustment_set_value (degrees, 5 + (r % 40) + (f + 1) * 0.01);
          while (!ready)
            g_main_context_iteration (NULL, TRUE);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);
        }
      report ("panel", bm_augment_profile_get ((BmAugmentFramework) f)->id, times);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  guint rounds = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 30;
  g_autofree char *dir = g_dir_make_tmp ("bm-bench-augment-XXXXXX", NULL);
  g_autofree char *a_path = g_build_filename (dir, "a.png", NULL);
  g_autofree char *b_path = g_build_filename (dir, "b.png", NULL);
  g_autofree char *command = NULL;
  g_autoptr(BmImage) a = synthetic_image (1);
  g_autoptr(BmImage) b = synthetic_image (2);
  g_autoptr(BmAnnotation) labels = synthetic_labels (a_path);
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  rounds = MAX (rounds, 1);
  if (!bm_image_save (a, a_path, 95, &error) || !bm_image_save (b, b_path, 95, &error))
    g_error ("%s", error->message);

  printf ("1920 × 1080 RGB, rotation (±5…45°) + expand (up to 2×) + mixup, 12 boxes\n");
  bench_compute (a, labels, b, rounds);

  if (gtk_init_check ())
    {
      dataset = bm_dataset_open (dir, FALSE, &error);
      if (dataset == NULL)
        g_error ("%s", error->message);
      bench_panel (a, labels, dataset, (guint) bm_dataset_find_image (dataset, a_path), rounds);
    }
  else
    printf ("panel    (no display: run under xvfb-run for the slider → preview time)\n");

  command = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (command) != 0)
    g_warning ("could not remove %s", dir);
  return 0;
}
