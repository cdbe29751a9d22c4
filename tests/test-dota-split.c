/* test-dota-split.c: boxmark-cli split and its layer against DOTA_devkit's ImgSplit outputs
 * (every reference tile: dota_devkit_example at rate 1, eval/merge_P0706 at rate 0.5), the
 * geometry of cut objects, the image tiles' pixels, bad input, and the command.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-create.h"
#include "core/bm-image.h"
#include "core/bm-png-write.h"
#include "core/bm-resize.h"
#include "dataset/bm-dota-split.h"
#include "dataset/bm-dota-split-private.h"
#include "tests/bm-test-util.h"

static char *
testdata (const char *first, ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_getenv ("BM_TESTDATA"));
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
  char *dir = g_dir_make_tmp ("bm-split-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static BmDataset *
open_dataset (const char *path)
{
  g_autoptr(GError) error = NULL;
  BmDataset *dataset = bm_dataset_open (path, FALSE, &error);

  g_assert_no_error (error);
  return dataset;
}

/* The image tile at @path equals @image's pixels from (@left, @up), @image being 3 channels. */
static void
assert_tile_pixels (const char *path, BmImage *image, int left, int up, int size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) tile = bm_image_load (path, &error);
  int width = MIN (size, image->width - left), height = MIN (size, image->height - up);

  g_assert_no_error (error);
  g_assert_cmpint (tile->channels, ==, 3);
  g_assert_cmpint (tile->width, ==, width);
  g_assert_cmpint (tile->height, ==, height);
  for (int y = 0; y < height; y++)
    g_assert_cmpmem (tile->data + (gsize) y * tile->stride, (gsize) width * 3,
                     image->data + (gsize) (up + y) * image->stride + (gsize) left * 3, (gsize) width * 3);
}

static BmImage *
load_rgb (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = bm_image_load (path, &error);

  g_assert_no_error (error);
  return bm_image_convert (image, 3);
}

/* ---- the reference tiles ---------------------------------------------------------------------- */

static void
test_reference_rate1 (void)
{
  g_autofree char *src = testdata ("dota", "dota_devkit_example", NULL);
  g_autofree char *reference = testdata ("dota", "dota_devkit_example", "reference_outputs",
                                         "ImgSplit_subsize1024_gap100_thresh0.7_rate1", "labelTxt", NULL);
  g_autofree char *png = testdata ("dota", "dota_devkit_example", "images", "P0706.png", NULL);
  g_autofree char *tmp = make_tmp ();
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *labels = g_build_filename (out, "labelTxt", NULL);
  g_autoptr(BmDataset) dataset = open_dataset (src);
  g_autoptr(BmImage) image = load_rgb (png);
  g_autoptr(GError) error = NULL;
  static const int origins[][2] = { { 0, 0 }, { 0, 158 }, { 87, 0 }, { 87, 158 } };
  BmDotaSplitOptions options;
  BmDotaSplitReport report;

  bm_dota_split_options_init (&options);
  g_assert_true (bm_dota_split (dataset, out, &options, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  /* every reference label tile, byte for byte, and no other */
  g_assert_cmpuint (bm_test_assert_same_tree (labels, reference), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autofree char *name = g_strdup_printf ("P0706__1__%d___%d.png", origins[i][0], origins[i][1]);
      g_autofree char *path = g_build_filename (out, "images", name, NULL);

      assert_tile_pixels (path, image, origins[i][0], origins[i][1], 1024);
    }
  g_assert_cmpuint (report.n_images, ==, 1);
  g_assert_cmpuint (report.n_image_tiles, ==, 4);
  g_assert_cmpuint (report.n_label_tiles, ==, 4);
  g_assert_cmpuint (report.n_failed, ==, 0);
  /* The five label files of the example whose images DOTA_devkit does not ship are named. */
  g_assert_cmpuint (report.problems->len, ==, 5);
  for (guint i = 0; i < report.problems->len; i++)
    g_assert_nonnull (strstr (report.problems->pdata[i], "label file without an image"));
  g_assert_cmpuint (report.n_objects, ==, report.n_whole + report.n_cut);
  bm_dota_split_report_clear (&report);
  bm_test_remove_tree (tmp);
}

static void
test_reference_rate_half (void)
{
  g_autofree char *src = testdata ("dota", "dota_devkit_example", NULL);
  g_autofree char *reference = testdata ("eval", "merge_P0706", "imgsplit_rate0.5", "labelTxt", NULL);
  g_autofree char *png = testdata ("dota", "dota_devkit_example", "images", "P0706.png", NULL);
  g_autofree char *tmp = make_tmp ();
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *labels = g_build_filename (out, "labelTxt", NULL);
  g_autofree char *tile = g_build_filename (out, "images", "P0706__0.5__0___0.png", NULL);
  g_autoptr(BmDataset) dataset = open_dataset (src);
  g_autoptr(BmImage) image = load_rgb (png);
  g_autoptr(BmImage) half = bm_resize_cubic (image, 0.5, 0.5, 0);
  g_autoptr(GError) error = NULL;
  BmDotaSplitOptions options;
  BmDotaSplitReport report;

  bm_dota_split_options_init (&options);
  options.rates[0] = 0.5;
  g_assert_true (bm_dota_split (dataset, out, &options, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bm_test_assert_same_tree (labels, reference), ==, 1);
  /* 1111 × 1182 at 0.5 is 556 × 591 (555.5 rounds to even): one tile, the whole scaled image */
  g_assert_cmpint (half->width, ==, 556);
  g_assert_cmpint (half->height, ==, 591);
  assert_tile_pixels (tile, half, 0, 0, 1024);
  bm_dota_split_report_clear (&report);
  bm_test_remove_tree (tmp);
}

/* Several rates at once, on one thread and on every core: the same files. */
static void
test_threads_and_rates (void)
{
  g_autofree char *src = testdata ("dota", "dota_devkit_example", NULL);
  g_autofree char *tmp = make_tmp ();
  g_autofree char *one = g_build_filename (tmp, "one", NULL);
  g_autofree char *all = g_build_filename (tmp, "all", NULL);
  g_autoptr(BmDataset) dataset = open_dataset (src);
  g_autoptr(GError) error = NULL;
  BmDotaSplitOptions options;
  BmDotaSplitReport report;

  bm_dota_split_options_init (&options);
  options.rates[0] = 1;
  options.rates[1] = 0.5;
  options.rates[2] = 1.5;
  options.n_rates = 3;
  options.n_threads = 1;
  g_assert_true (bm_dota_split (dataset, one, &options, NULL, NULL, NULL, &report, &error));
  g_assert_cmpuint (report.n_image_tiles, ==, 4 + 1 + 4);
  g_assert_cmpuint (report.n_images, ==, 3);
  bm_dota_split_report_clear (&report);
  options.n_threads = 0;
  g_assert_true (bm_dota_split (dataset, all, &options, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  bm_dota_split_report_clear (&report);
  g_assert_cmpuint (bm_test_assert_same_tree (one, all), ==, 2 * 9);
  bm_test_remove_tree (tmp);
}

/* ---- tiles and cut objects -------------------------------------------------------------------- */

static void
assert_origins (int width, int height, const int *expected, guint n)
{
  g_autoptr(GArray) tiles = g_array_new (FALSE, FALSE, sizeof (int));

  bm_split_tile_origins (width, height, 1024, 100, tiles);
  g_assert_cmpuint (tiles->len, ==, n);
  g_assert_cmpmem (tiles->data, tiles->len * sizeof (int), expected, n * sizeof (int));
}

static void
test_tile_origins (void)
{
  static const int p0706[] = { 0, 0, 0, 158, 87, 0, 87, 158 };
  static const int small[] = { 0, 0 };
  /* 3000 wide: every 924 px, the last aligned to the right edge (1976); by columns */
  static const int wide[] = { 0, 0, 924, 0, 1848, 0, 1976, 0 };

  assert_origins (1111, 1182, p0706, G_N_ELEMENTS (p0706));
  assert_origins (500, 300, small, G_N_ELEMENTS (small));
  assert_origins (3000, 1024, wide, G_N_ELEMENTS (wide));
}

static void
add_object (GArray *objects, const char *label, int difficult, double x1, double y1, double x2,
            double y2, double x3, double y3, double x4, double y4)
{
  BmSplitObject o = { { x1, y1, x2, y2, x3, y3, x4, y4 }, 0, 0, 0, 0, 0, label, difficult, objects->len + 1 };

  g_assert_true (bm_split_object_init (&o));
  g_array_append_val (objects, o);
}

/* Each case as ImgSplit's savepatches writes it for the tile (0, 0)–(1024, 1024) of a
 * 2000-pixel image (checked by hand and against ImgSplit itself). */
static void
test_cut_objects (void)
{
  g_autoptr(GArray) objects = g_array_new (FALSE, FALSE, sizeof (BmSplitObject));
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  BmSplitCounts counts = { 0 };

  /* inside: unchanged */
  add_object (objects, "ship", 1, 100, 100, 140, 100, 140, 120, 100, 120);
  /* 24 % inside: cut, difficult 2, clipped to 1024 */
  add_object (objects, "ship", 0, 1000, 100, 1100, 100, 1100, 150, 1000, 150);
  /* 80 % inside: cut, keeps its flag */
  add_object (objects, "plane", 0, 944, 300, 1044, 300, 1044, 350, 944, 350);
  /* a corner cut off: 5 corners, the shortest side (15.6 px) becomes its midpoint (1018, 525) */
  add_object (objects, "ship", 0, 1012, 470, 1042, 505, 1012, 530, 982, 500);
  /* only a triangle inside: left out */
  add_object (objects, "ship", 0, 1040, 600, 1070, 630, 1040, 660, 1010, 630);
  /* cut by two tile sides: 6 corners, left out */
  add_object (objects, "ship", 0, 1010, 985, 1035, 1010, 1010, 1035, 985, 1010);
  /* a dart cut into two pieces: ImgSplit stops on it; left out with a note */
  add_object (objects, "dart", 0, 1060, 200, 990, 100, 1030, 200, 990, 300);
  /* outside, and a zero-area one: nothing */
  add_object (objects, "far", 0, 1500, 1500, 1510, 1500, 1510, 1510, 1500, 1510);
  add_object (objects, "flat", 0, 10, 10, 20, 10, 20, 10, 10, 10);

  bm_split_tile_labels ((BmSplitObject *) (gpointer) objects->data, objects->len, 0, 0, 1024, 1024,
                        1024, 0.7, out, &counts, notes);
  g_assert_cmpstr (out->str, ==,
                   "100.0 100.0 140.0 100.0 140.0 120.0 100.0 120.0 ship 1\n"
                   "1000.0 100.0 1024.0 100.0 1024.0 150.0 1000.0 150.0 ship 2\n"
                   "944.0 300.0 1024.0 300.0 1024.0 350.0 944.0 350.0 plane 0\n"
                   "1012.0 470.0 1024.0 484.0 1018.0 525.0 982.0 500.0 ship 0\n");
  g_assert_cmpuint (counts.n_lines, ==, 4);
  g_assert_cmpuint (counts.n_whole, ==, 1);
  g_assert_cmpuint (counts.n_cut, ==, 3);
  g_assert_cmpuint (counts.n_difficult, ==, 1);
  g_assert_cmpuint (counts.n_left_out, ==, 2);
  g_assert_cmpuint (counts.n_unsplittable, ==, 1);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_nonnull (strstr (notes->pdata[0], "object 7 (dart)"));
}

/* ---- bad input -------------------------------------------------------------------------------- */

static void
write_png (const char *path, int width, int height, int channels, guint8 seed)
{
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * channels);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < (gsize) width * height * channels; i++)
    pixels[i] = (guint8) (i * 7 + seed);
  g_assert_true (bm_png_write_file (path, pixels, width, height, channels, (gsize) width * channels,
                                    BM_PNG_LEVEL_OPENCV, BM_PNG_WRITE_DEFAULT, &error));
  g_assert_no_error (error);
}

static void
write_text (const char *path, const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_bad_input (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autofree char *src = g_build_filename (tmp, "src", NULL);
  g_autofree char *images = g_build_filename (src, "images", NULL);
  g_autofree char *labels = g_build_filename (src, "labelTxt", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  BmDotaSplitOptions options;
  BmDotaSplitReport report;
  GString *problems = g_string_new (NULL);

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  {
    g_autofree char *a = g_build_filename (images, "a.png", NULL);
    g_autofree char *b = g_build_filename (images, "b.png", NULL);
    g_autofree char *c = g_build_filename (images, "c.png", NULL);
    g_autofree char *d = g_build_filename (images, "d.png", NULL);
    g_autofree char *e1 = g_build_filename (images, "e.jpg", NULL);
    g_autofree char *e2 = g_build_filename (images, "e.png", NULL);
    g_autofree char *at = g_build_filename (labels, "a.txt", NULL);
    g_autofree char *bt = g_build_filename (labels, "b.txt", NULL);
    g_autofree char *dt = g_build_filename (labels, "d.txt", NULL);

    write_png (a, 300, 200, 4, 1);      /* RGBA: tiles are RGB, alpha dropped as cv2 does */
    write_png (b, 300, 200, 3, 2);
    write_png (c, 300, 200, 1, 3);      /* gray, no label file: image tiles only */
    write_text (d, "not a PNG");
    write_png (e2, 64, 64, 3, 4);       /* e.jpg and e.png: the second is refused */
    g_assert_true (g_file_copy (g_file_new_for_path (e2), g_file_new_for_path (e1), G_FILE_COPY_NONE,
                                NULL, NULL, NULL, NULL));
    write_text (at, "imagesource:x\ngsd:null\n10 10 50 10 50 40 10 40 small-vehicle 0\n");
    write_text (bt, "10 10 50 10 50 40 10 40 car 0\n10 10 50 10 car\n");
    write_text (dt, "10 10 50 10 50 40 10 40 car 0\n");
  }
  dataset = open_dataset (src);
  bm_dota_split_options_init (&options);
  g_assert_true (bm_dota_split (dataset, out, &options, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < report.problems->len; i++)
    g_string_append_printf (problems, "%s\n", (char *) report.problems->pdata[i]);
  /* b's bad line named with its line; d undecodable; the second e named */
  g_assert_nonnull (strstr (problems->str, "b.txt:2: "));
  g_assert_nonnull (strstr (problems->str, "d.png"));
  g_assert_nonnull (strstr (problems->str, "same name"));
  g_assert_cmpuint (report.n_failed, ==, 3);
  g_assert_cmpuint (report.n_unlabelled, ==, 2);
  g_assert_cmpuint (report.n_images, ==, 3);

  files = bm_test_list_files (out);
  g_assert_cmpuint (files->len, ==, 4);
  g_assert_cmpstr (files->pdata[0], ==, "images/a__1__0___0.png");
  g_assert_cmpstr (files->pdata[1], ==, "images/c__1__0___0.png");
  g_assert_true (g_str_has_prefix (files->pdata[2], "images/e__1__0___0.png"));
  g_assert_cmpstr (files->pdata[3], ==, "labelTxt/a__1__0___0.txt");
  {
    g_autofree char *path = g_build_filename (out, "labelTxt", "a__1__0___0.txt", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    /* no header lines in a tile, as ImgSplit writes them */
    g_assert_cmpstr (text, ==, "10.0 10.0 50.0 10.0 50.0 40.0 10.0 40.0 small-vehicle 0\n");
  }
  {
    g_autofree char *a = g_build_filename (images, "a.png", NULL);
    g_autofree char *c = g_build_filename (images, "c.png", NULL);
    g_autofree char *ta = g_build_filename (out, "images", "a__1__0___0.png", NULL);
    g_autofree char *tc = g_build_filename (out, "images", "c__1__0___0.png", NULL);
    g_autoptr(BmImage) ia = load_rgb (a);
    g_autoptr(BmImage) ic = load_rgb (c);

    assert_tile_pixels (ta, ia, 0, 0, 1024);
    assert_tile_pixels (tc, ic, 0, 0, 1024);
  }
  bm_dota_split_report_clear (&report);

  /* Several rates: each image decoded and its labels read once, problems said once. */
  {
    g_autofree char *out2 = g_build_filename (tmp, "out2", NULL);
    const char *first_problem, *again;

    options.rates[1] = 0.5;
    options.n_rates = 2;
    g_assert_true (bm_dota_split (dataset, out2, &options, NULL, NULL, NULL, &report, &error));
    g_string_truncate (problems, 0);
    for (guint i = 0; i < report.problems->len; i++)
      g_string_append_printf (problems, "%s\n", (char *) report.problems->pdata[i]);
    first_problem = strstr (problems->str, "b.txt:2: ");
    g_assert_nonnull (first_problem);
    again = strstr (first_problem + 1, "b.txt:2: ");
    g_assert_null (again);
    g_assert_cmpuint (report.n_failed, ==, 3);
    g_assert_cmpuint (report.n_unlabelled, ==, 2);
    g_assert_cmpuint (report.n_images, ==, 6);
    g_assert_cmpuint (report.n_image_tiles, ==, 6);
    bm_dota_split_report_clear (&report);
    options.n_rates = 1;
  }

  /* the output folder is not empty now: refused, nothing changed */
  g_assert_false (bm_dota_split (dataset, out, &options, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  bm_dota_split_report_clear (&report);
  g_string_free (problems, TRUE);
  bm_test_remove_tree (tmp);
}

/* A new file never replaces one: refused, the old one intact, no temporary file left. */
static void
test_no_overwrite (void)
{
  g_autofree char *tmp = make_tmp ();
  g_autofree char *path = g_build_filename (tmp, "x.txt", NULL);
  g_autofree char *png = g_build_filename (tmp, "x.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *text = NULL;
  const guint8 pixel[3] = { 1, 2, 3 };

  write_text (path, "old");
  write_text (png, "old png");
  g_assert_false (bm_file_create_new (path, "new", 3, FALSE, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (bm_png_write_file (png, pixel, 1, 1, 3, 3, BM_PNG_LEVEL_OPENCV, BM_PNG_WRITE_DEFAULT, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "old");
  files = bm_test_list_files (tmp);
  g_assert_cmpuint (files->len, ==, 2);
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
  g_ptr_array_add (argv, (gpointer) "split");
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
  g_autofree char *src = testdata ("dota", "dota_devkit_example", NULL);
  g_autofree char *tmp = make_tmp ();
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *labels = g_build_filename (out, "labelTxt", NULL);
  g_autofree char *reference = testdata ("eval", "merge_P0706", "imgsplit_rate0.5", "labelTxt", NULL);
  static const char *const bad[][6] = {
    { "--gap", "1024", NULL },
    { "--size", "0", NULL },
    { "--rate", "0", NULL },
    { "--rate", "x", NULL },
    { "--thresh", "1.5", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *o = NULL, *e = NULL;
      const char *args[8] = { bad[i][0], bad[i][1], "--out", out, src, NULL };

      g_assert_cmpint (run_cli (&o, &e, args), ==, 2);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  {
    /* the output inside the source: refused */
    g_autofree char *o = NULL, *e = NULL;
    g_autofree char *inside = g_build_filename (tmp, "out2", NULL);
    const char *args[] = { "--out", src, src, NULL };

    g_assert_cmpint (run_cli (&o, &e, args), ==, 2);
    g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *o = NULL, *e = NULL;
    const char *args[] = { "--rate", "0.5", "--out", out, src, NULL };

    /* the five label files without images make it exit 1 (problems in the data) */
    g_assert_cmpint (run_cli (&o, &e, args), ==, 1);
    g_assert_nonnull (strstr (o, "Split 1 image into 1 tiles"));
    g_assert_nonnull (strstr (e, "P0706.png"));
    g_assert_nonnull (strstr (e, "P2709.txt: label file without an image"));
    g_assert_cmpuint (bm_test_assert_same_tree (labels, reference), ==, 1);
  }
  bm_test_remove_tree (tmp);
}


/* --shard K/N: three shards into one folder, one after the other, write exactly the files of the
 * unsharded run (disjoint: a tile written twice would be a conflict and fail the run). */
static void
test_shards (void)
{
  g_autofree char *src = testdata ("dota", "dota_devkit_yolo_demo", NULL);
  g_autofree char *tmp = make_tmp ();
  g_autofree char *whole = g_build_filename (tmp, "whole", NULL);
  g_autofree char *shared = g_build_filename (tmp, "shards", NULL);
  guint n_whole, n_seen = 0;

  {
    g_autofree char *o = NULL, *e = NULL;
    const char *args[] = { "--size", "512", "--gap", "100", "--rate", "0.5", "--out", whole, src, NULL };

    g_assert_cmpint (run_cli (&o, &e, args), ==, 0);
  }
  for (guint k = 1; k <= 3; k++)
    {
      g_autofree char *o = NULL, *e = NULL;
      g_autofree char *shard = g_strdup_printf ("%u/3", k);
      g_autofree char *prefix = g_strdup_printf ("Shard %u/3: ", k);
      const char *args[] = { "--size", "512", "--gap", "100", "--rate", "0.5", "--shard", shard,
                              "--out", shared, src, NULL };
      g_autoptr(GPtrArray) files = NULL;

      g_assert_cmpint (run_cli (&o, &e, args), ==, 0);
      g_assert_true (g_str_has_prefix (o, prefix));
      files = bm_test_list_files (shared);
      g_assert_cmpuint (files->len, >=, n_seen);
      n_seen = files->len;
    }
  n_whole = bm_test_assert_same_tree (whole, shared);
  g_assert_cmpuint (n_whole, >, 8);
  {
    /* a shard run again into the same folder overwrites nothing: its tiles are there */
    g_autofree char *o = NULL, *e = NULL;
    const char *args[] = { "--size", "512", "--gap", "100", "--rate", "0.5", "--shard", "1/1",
                           "--out", shared, src, NULL };
    const char *again[] = { "--size", "512", "--gap", "100", "--rate", "0.5", "--shard", "2/2",
                            "--out", shared, src, NULL };
    g_autofree char *o2 = NULL, *e2 = NULL;

    /* 1/1 is the whole dataset: the folder must be new or empty */
    g_assert_cmpint (run_cli (&o, &e, args), !=, 0);
    g_assert_nonnull (strstr (e, "new or empty"));
    g_assert_cmpint (run_cli (&o2, &e2, again), !=, 0);
    g_assert_cmpuint (bm_test_assert_same_tree (whole, shared), ==, n_whole);
  }
  {
    g_autofree char *o = NULL, *e = NULL;
    const char *args[] = { "--shard", "4/3", "--out", shared, src, NULL };

    g_assert_cmpint (run_cli (&o, &e, args), ==, 2);
  }
  bm_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dota-split/reference/rate-1", test_reference_rate1);
  g_test_add_func ("/dota-split/reference/rate-0.5", test_reference_rate_half);
  g_test_add_func ("/dota-split/threads-and-rates", test_threads_and_rates);
  g_test_add_func ("/dota-split/tile-origins", test_tile_origins);
  g_test_add_func ("/dota-split/cut-objects", test_cut_objects);
  g_test_add_func ("/dota-split/bad-input", test_bad_input);
  g_test_add_func ("/dota-split/no-overwrite", test_no_overwrite);
  g_test_add_func ("/dota-split/cli", test_cli);
  g_test_add_func ("/dota-split/shards", test_shards);
  return g_test_run ();
}
