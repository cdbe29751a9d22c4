/* test-cli-convert.c: boxmark-cli convert on the real datasets in testdata.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "dataset/bm-dataset-export.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-yolo-check.h"
#include "tests/bm-test-util.h"

static char *tmp_root;

static char *
testdata (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_root, name, NULL);
}

/* Runs boxmark-cli with @args (NULL-terminated); returns the exit status. */
static int
run_cli (char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  const char *arg;
  int status;
  va_list args;

  g_ptr_array_add (argv, cli);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s", stdout_text);
  g_test_message ("stderr: %s", stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Every row of a YOLO/DOTA-like text as doubles; tokens that are not numbers are skipped. */
static GPtrArray *
read_rows (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      GArray *row = g_array_new (FALSE, FALSE, sizeof (double));
      g_auto(GStrv) tokens = g_strsplit_set (lines[i], " \t\r", -1);

      for (guint k = 0; tokens[k] != NULL; k++)
        {
          char *end;
          double v = g_ascii_strtod (tokens[k], &end);

          if (tokens[k][0] != '\0' && *end == '\0')
            g_array_append_val (row, v);
        }
      if (row->len == 0)
        g_array_unref (row);
      else
        g_ptr_array_add (rows, row);
    }
  return rows;
}


/* The label file of image @stem in a YOLO export, whichever split it landed in. */
static char *
find_yolo_label (const char *out, const char *stem)
{
  static const char *const splits[] = { "train", "val", "test" };

  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    {
      g_autofree char *name = g_strconcat (stem, ".txt", NULL);
      char *path = g_build_filename (out, "labels", splits[i], name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
  g_error ("no label for %s in %s", stem, out);
  return NULL;
}

static void
assert_passes_strict_check (const char *out, guint expected_files)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  g_assert_true (bm_yolo_check_dataset (out, NULL, problems, &n_files, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", text);
    }
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (n_files, ==, expected_files);
}

static void
assert_same_bytes (const char *a, const char *b)
{
  g_autofree char *ta = NULL, *tb = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &ta, &la, NULL));
  g_assert_true (g_file_get_contents (b, &tb, &lb, NULL));
  g_assert_cmpmem (ta, la, tb, lb);
}

static void
test_dota_to_dota_is_byte_identical (void)
{
  static const char *const fixtures[] = {
    "dota/dota_devkit_example", "dota/dota_devkit_yolo_demo", "dota/mmrotate_tests",
  };

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *src = testdata (fixtures[f]);
      g_autofree char *labels = g_build_filename (src, "labelTxt", NULL);
      g_autofree char *name = g_strdup_printf ("dota2dota-%u", f);
      g_autofree char *out = tmp_path (name);
      g_autoptr(GDir) dir = g_dir_open (labels, 0, NULL);
      const char *file;
      guint n = 0;
      int status = run_cli (NULL, NULL, "convert", "--to", "dota", "--out", out, src, NULL);

      /* dota_devkit_example has label files without images: reported (1), still copied. */
      g_assert_cmpint (status, <=, 1);
      while ((file = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *a = g_build_filename (labels, file, NULL);
          g_autofree char *b = g_build_filename (out, "labelTxt", file, NULL);

          assert_same_bytes (a, b);
          n++;
        }
      g_assert_cmpuint (n, >, 0);
    }
}

static void
test_dota_to_yolo_obb (void)
{
  g_autofree char *src = testdata ("dota/dota_devkit_example");
  g_autofree char *label = testdata ("dota/dota_devkit_example/labelTxt/P0706.txt");
  g_autofree char *image = testdata ("dota/dota_devkit_example/images/P0706.png");
  g_autofree char *out = tmp_path ("dota2obb");
  g_autofree char *yaml = g_build_filename (out, "data.yaml", NULL);
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  g_autoptr(BmAnnotation) dota = bm_dota_load (label, NULL);
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *written = NULL;
  int w, h, channels;

  /* The other five label files have no image: problems (exit 1), P0706 converted. */
  g_assert_cmpint (run_cli (&stdout_text, &stderr_text, "convert", "--to", "yolo-obb", "--out", out, src, NULL), ==, 1);
  g_assert_nonnull (strstr (stderr_text, "P1234.txt"));
  g_assert_nonnull (strstr (stdout_text, "Class ids"));
  g_assert_true (bm_image_read_info (image, &w, &h, &channels, NULL));
  classes = bm_class_list_load (yaml, NULL);
  g_assert_nonnull (classes);
  written = find_yolo_label (out, "P0706");
  rows = read_rows (written);
  g_assert_cmpuint (rows->len, ==, bm_annotation_get_n_objects (dota));
  for (guint i = 0; i < rows->len; i++)
    {
      GArray *row = rows->pdata[i];
      BmObject *o = bm_annotation_get_object (dota, i);
      const BmShape *s = bm_object_get_shape (o);

      g_assert_cmpuint (row->len, ==, 9);
      g_assert_cmpstr (bm_class_list_get_name (classes, (guint) g_array_index (row, double, 0)), ==,
                       bm_object_get_label (o));
      for (int k = 0; k < 4; k++)
        {
          g_assert_cmpfloat_with_epsilon (g_array_index (row, double, 1 + 2 * k), s->p[k].x / w, 1e-6);
          g_assert_cmpfloat_with_epsilon (g_array_index (row, double, 2 + 2 * k), s->p[k].y / h, 1e-6);
        }
    }
  assert_passes_strict_check (out, 1);
}

static void
compare_yolo_trees (const char *original_root, const char *out)
{
  static const char *const splits[] = { "train", "val" };
  guint n = 0;

  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *dir = g_build_filename (original_root, "labels", splits[s], NULL);
      g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (handle)) != NULL)
        {
          g_autofree char *a = g_build_filename (dir, name, NULL);
          g_autofree char *stem = bm_path_get_stem (name);
          g_autofree char *b = find_yolo_label (out, stem);
          g_autoptr(GPtrArray) ra = read_rows (a);
          g_autoptr(GPtrArray) rb = read_rows (b);

          bm_test_assert_rows_close (ra, rb, 1e-6 + 1e-12);
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 8);
}

static void
test_dota8_obb_dota_obb (void)
{
  g_autofree char *src = testdata ("dota/ultralytics_dota8");
  g_autofree char *yaml = testdata ("dota/ultralytics_dota8/dota8.yaml");
  g_autofree char *mid = tmp_path ("dota8-dota");
  g_autofree char *out = tmp_path ("dota8-obb");
  g_autofree char *stdout_text = NULL;

  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "dota", "--out", mid, src, NULL), ==, 0);
  /* Ultralytics' names have spaces; DOTA's tokens cannot: the change is said, not silent. */
  g_assert_nonnull (strstr (stdout_text, "“small-vehicle”"));
  g_clear_pointer (&stdout_text, g_free);
  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "yolo-obb", "--data", yaml,
                            "--val-fraction", "0.5", "--seed", "3", "--out", out, mid, NULL), ==, 0);
  g_assert_nonnull (strstr (stdout_text, "small-vehicle"));
  compare_yolo_trees (src, out);
  assert_passes_strict_check (out, 8);
}

static void
test_coco8_yolo_voc_yolo (void)
{
  g_autofree char *src = testdata ("yolo/ultralytics_coco8");
  g_autofree char *yaml = testdata ("yolo/ultralytics_coco8/coco8.yaml");
  g_autofree char *mid = tmp_path ("coco8-voc");
  g_autofree char *out = tmp_path ("coco8-yolo");
  g_autofree char *annotations = g_build_filename (mid, "Annotations", NULL);
  g_autoptr(GDir) dir = NULL;
  guint n = 0;

  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "voc", "--out", mid, src, NULL), ==, 0);
  dir = g_dir_open (annotations, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "yolo", "--data", yaml, "--out", out, mid, NULL), ==, 0);
  compare_yolo_trees (src, out);
  assert_passes_strict_check (out, 8);
}

static void
test_roboflow_layout (void)
{
  g_autofree char *src = testdata ("yolo/roboflow_empire_state");
  g_autofree char *out = tmp_path ("roboflow-voc");
  g_autofree char *again = tmp_path ("roboflow-yolo");
  g_autofree char *stdout_text = NULL;
  g_autofree char *annotations = g_build_filename (out, "Annotations", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "voc", "--out", out, src, NULL), ==, 0);
  dir = g_dir_open (annotations, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (annotations, name, NULL);
      g_autofree char *xml = NULL;

      g_assert_true (g_file_get_contents (path, &xml, NULL, NULL));
      g_assert_nonnull (strstr (xml, "<name>Empire-State-building</name>"));
      n++;
    }
  g_assert_cmpuint (n, ==, 10);

  /* Roboflow → Ultralytics keeps the source's splits (valid → val, test) and its class list. */
  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "yolo", "--out", again, src, NULL), ==, 0);
  g_assert_nonnull (strstr (stdout_text, "6 val"));
  g_assert_nonnull (strstr (stdout_text, "4 test"));
  assert_passes_strict_check (again, 10);
}

static void
test_voc_to_voc_is_byte_identical (void)
{
  g_autofree char *src = testdata ("voc/raccoon_labelimg");
  g_autofree char *annotations = testdata ("voc/raccoon_labelimg/annotations");
  g_autofree char *out = tmp_path ("voc2voc");
  g_autoptr(GDir) dir = g_dir_open (annotations, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "voc", "--out", out, src, NULL), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (annotations, name, NULL);
      g_autofree char *b = g_build_filename (out, "Annotations", name, NULL);

      assert_same_bytes (a, b);
      n++;
    }
  g_assert_cmpuint (n, ==, 160);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, length, NULL));
}

static void
test_bad_dota_file (void)
{
  g_autofree char *bad = testdata ("bad/dota_mixed.txt");
  g_autofree char *png = testdata ("dota/mmrotate_tests/images/P0004__1__0___0.png");
  g_autofree char *src = tmp_path ("bad-dota");
  g_autofree char *labels = g_build_filename (src, "labelTxt", NULL);
  g_autofree char *images = g_build_filename (src, "images", NULL);
  g_autofree char *label = g_build_filename (labels, "P1.txt", NULL);
  g_autofree char *image = g_build_filename (images, "P1.png", NULL);
  g_autofree char *out = tmp_path ("bad-dota-out");
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  g_autofree char *line6 = NULL, *line9 = NULL;

  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  copy_file (bad, label);
  copy_file (png, image);
  g_assert_cmpint (run_cli (&stdout_text, &stderr_text, "convert", "--to", "yolo-obb", "--out", out, src, NULL), ==, 1);
  line6 = g_strdup_printf ("%s:6: ", label);
  line9 = g_strdup_printf ("%s:9: ", label);
  g_assert_nonnull (strstr (stderr_text, line6));
  g_assert_nonnull (strstr (stderr_text, line9));
  g_assert_nonnull (strstr (stdout_text, "left out"));

  /* Into DOTA again, the file with problems is carried over byte for byte, still reported. */
  {
    g_autofree char *same = tmp_path ("bad-dota-same");
    g_autofree char *copied = g_build_filename (same, "labelTxt", "P1.txt", NULL);
    g_autofree char *err = NULL;

    g_assert_cmpint (run_cli (NULL, &err, "convert", "--to", "dota", "--out", same, src, NULL), ==, 1);
    g_assert_nonnull (strstr (err, line6));
    assert_same_bytes (bad, copied);
  }
}

static void
test_missing_class_is_an_error (void)
{
  g_autofree char *src = testdata ("yolo/ultralytics_coco8");
  g_autofree char *classes = tmp_path ("two-classes.txt");
  g_autofree char *out = tmp_path ("missing-class");
  g_autofree char *stderr_text = NULL;

  g_assert_true (g_file_set_contents (classes, "person\ndog\n", -1, NULL));
  g_assert_cmpint (run_cli (NULL, &stderr_text, "convert", "--to", "yolo", "--classes", classes,
                            "--out", out, src, NULL), ==, 1);
  g_assert_nonnull (strstr (stderr_text, "“bowl”"));
  g_assert_nonnull (strstr (stderr_text, ".txt"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_usage (void)
{
  g_autofree char *src = testdata ("yolo/ultralytics_coco8");
  g_autofree char *out = tmp_path ("usage");
  g_autofree char *help = NULL;

  g_assert_cmpint (run_cli (&help, NULL, "convert", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (help, "--val-fraction"));
  g_assert_nonnull (strstr (help, "yolo-obb"));
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--out", out, src, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "labelme", "--out", out, src, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "yolo", src, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "yolo", "--classes", "a", "--data", "b", "--out", out, src, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "yolo", "--val-fraction", "1.5", "--out", out, src, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "yolo", "--bogus", NULL), ==, 2);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* The "verified" count that boxmark-cli stats --json gives for @dir. */
static guint
stats_verified (const char *dir)
{
  g_autofree char *json = NULL;
  const char *key;

  g_assert_cmpint (run_cli (&json, NULL, "stats", "--json", dir, NULL), ==, 0);
  key = strstr (json, "\"verified\": ");
  g_assert_nonnull (key);
  return (guint) g_ascii_strtoull (key + strlen ("\"verified\": "), NULL, 10);
}

static guint
count_files_below (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return 1;
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      n += count_files_below (child);
    }
  return n;
}

/* A small DOTA dataset: images/P1.png with labelTxt/P1.txt, and with @orphans two label files
 * without an image that share a name, labelTxt/x/a.txt (listed as verified) and labelTxt/y/a.txt. */
static void
make_dota_source (const char *src, gboolean orphans)
{
  g_autofree char *png = testdata ("dota/mmrotate_tests/images/P0004__1__0___0.png");
  g_autofree char *label = testdata ("dota/mmrotate_tests/labelTxt/P0004__1__0___0.txt");
  g_autofree char *images = g_build_filename (src, "images", NULL);
  g_autofree char *labels = g_build_filename (src, "labelTxt", NULL);
  g_autofree char *image_to = g_build_filename (images, "P1.png", NULL);
  g_autofree char *label_to = g_build_filename (labels, "P1.txt", NULL);

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  copy_file (png, image_to);
  copy_file (label, label_to);
  if (orphans)
    {
      g_autofree char *x = g_build_filename (labels, "x", NULL);
      g_autofree char *y = g_build_filename (labels, "y", NULL);
      g_autofree char *xa = g_build_filename (x, "a.txt", NULL);
      g_autofree char *ya = g_build_filename (y, "a.txt", NULL);
      g_autofree char *x_verified = g_build_filename (x, ".boxmark-verified", NULL);

      g_assert_cmpint (g_mkdir_with_parents (x, 0755), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (y, 0755), ==, 0);
      g_assert_true (g_file_set_contents (xa, "1 1 9 1 9 9 1 9 plane 0\n", -1, NULL));
      g_assert_true (g_file_set_contents (ya, "2 2 8 2 8 8 2 8 ship 1\n", -1, NULL));
      g_assert_true (g_file_set_contents (x_verified, "a.txt\n", -1, NULL));
    }
}

/* Verified images stay verified through every target, and on from DOTA and YOLO (whose mark
 * lives in a sidecar) again. */
static void
test_verified_survives (void)
{
  static const char *const targets[] = { "dota", "yolo", "yolo-obb", "voc" };
  static const char *const onwards[][2] = {
    { "verified-dota", "dota" }, { "verified-dota", "yolo" }, { "verified-dota", "voc" },
    { "verified-yolo", "dota" }, { "verified-yolo", "voc" }, { "verified-yolo", "yolo" },
  };
  g_autofree char *src = testdata ("voc/raccoon_labelimg");
  g_autofree char *said = NULL;
  guint expected = stats_verified (src);

  /* 159 of the 160 raccoon images are verified: a count that could not come out by accident */
  g_assert_cmpuint (expected, ==, 159);
  said = g_strdup_printf ("%u verified images stay verified", expected);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *name = g_strconcat ("verified-", targets[t], NULL);
      g_autofree char *out = tmp_path (name);
      g_autofree char *stdout_text = NULL;

      g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", targets[t], "--out", out, src, NULL), ==, 0);
      g_assert_cmpuint (stats_verified (out), ==, expected);
      g_assert_nonnull (strstr (stdout_text, said));
    }
  for (guint i = 0; i < G_N_ELEMENTS (onwards); i++)
    {
      g_autofree char *from = tmp_path (onwards[i][0]);
      g_autofree char *name = g_strdup_printf ("%s-to-%s", onwards[i][0], onwards[i][1]);
      g_autofree char *out = tmp_path (name);

      g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", onwards[i][1], "--out", out, from, NULL), ==, 0);
      g_assert_cmpuint (stats_verified (out), ==, expected);
    }
}

/* Into the source, directly, through a symlink, or with ".." after a folder that does not
 * exist yet: refused before anything is written. */
static void
test_out_inside_source_is_refused (void)
{
  g_autofree char *src = tmp_path ("inside-src");
  g_autofree char *link = tmp_path ("inside-link");
  g_autofree char *sub = g_build_filename (src, "sub", NULL);
  g_autofree char *link_sub = g_build_filename (link, "sub", NULL);
  g_autofree char *dotdot = g_build_filename (tmp_root, "new", "..", "inside-link", "sub", NULL);
  const char *const outs[] = { src, sub, link, link_sub, dotdot };
  static const char *const targets[] = { "voc", "dota", "yolo" };
  guint before;

  make_dota_source (src, FALSE);
  g_assert_cmpint (symlink (src, link), ==, 0);
  before = count_files_below (src);
  for (guint o = 0; o < G_N_ELEMENTS (outs); o++)
    for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
      {
        g_autofree char *err = NULL;

        g_assert_cmpint (run_cli (NULL, &err, "convert", "--to", targets[t], "--out", outs[o], src, NULL), ==, 2);
        g_assert_nonnull (strstr (err, "--out"));
        g_assert_nonnull (strstr (err, "Nothing was written"));
      }
  /* SRC named through the link, OUT directly */
  g_assert_cmpint (run_cli (NULL, NULL, "convert", "--to", "voc", "--out", sub, link, NULL), ==, 2);
  g_assert_cmpuint (count_files_below (src), ==, before);
  g_assert_false (g_file_test (sub, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dotdot, G_FILE_TEST_EXISTS));
}

/* Label files without an image that share a name are all carried over, each in its subfolder,
 * the verified one still verified; into another format each is named as left out. */
static void
test_colliding_orphans_are_kept (void)
{
  g_autofree char *src = tmp_path ("orphans-src");
  g_autofree char *out = tmp_path ("orphans-dota");
  g_autofree char *voc = tmp_path ("orphans-voc");
  g_autofree char *xa = g_build_filename (src, "labelTxt", "x", "a.txt", NULL);
  g_autofree char *ya = g_build_filename (src, "labelTxt", "y", "a.txt", NULL);
  g_autofree char *out_xa = g_build_filename (out, "labelTxt", "x", "a.txt", NULL);
  g_autofree char *out_ya = g_build_filename (out, "labelTxt", "y", "a.txt", NULL);
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;

  make_dota_source (src, TRUE);
  /* the orphans are problems (exit 1), and still copied */
  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "dota", "--out", out, src, NULL), ==, 1);
  g_assert_nonnull (strstr (stdout_text, "2 label files without an image were copied"));
  assert_same_bytes (xa, out_xa);
  assert_same_bytes (ya, out_ya);
  g_assert_true (bm_label_sidecar_is_verified (out_xa));
  g_assert_false (bm_label_sidecar_is_verified (out_ya));

  g_clear_pointer (&stdout_text, g_free);
  g_assert_cmpint (run_cli (&stdout_text, &stderr_text, "convert", "--to", "voc", "--out", voc, src, NULL), ==, 1);
  g_assert_nonnull (strstr (stdout_text, "2 label files without an image were left out"));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s: left out", i == 0 ? xa : ya);

      g_assert_nonnull (strstr (stderr_text, line));
    }
}

/* stats summarises a dataset folder; a label file is refused, not summarised as nothing. */
static void
test_stats_on_a_file (void)
{
  g_autofree char *label = testdata ("dota/mmrotate_tests/labelTxt/P0004__1__0___0.txt");
  g_autofree char *folder = testdata ("dota/mmrotate_tests");
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (NULL, &err, "stats", label, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "is a file"));
  g_assert_cmpint (run_cli (NULL, NULL, "stats", folder, NULL), ==, 0);
}


/* A YOLO source without a class list keeps its numeric ids (3, 10, 2 — not re-sorted as text). */
static void
test_yolo_without_class_list_keeps_ids (void)
{
  g_autofree char *image = testdata ("yolo/ultralytics_coco8/images/train/000000000009.jpg");
  g_autofree char *src = tmp_path ("noclasses");
  g_autofree char *images = g_build_filename (src, "images", "train", NULL);
  g_autofree char *labels = g_build_filename (src, "labels", "train", NULL);
  g_autofree char *image_to = g_build_filename (images, "a.jpg", NULL);
  g_autofree char *label = g_build_filename (labels, "a.txt", NULL);
  g_autofree char *out = tmp_path ("noclasses-yolo");
  g_autofree char *yaml = g_build_filename (out, "data.yaml", NULL);
  g_autofree char *stdout_text = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(BmClassList) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  static const double ids[] = { 3, 10, 2 };

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  g_assert_true (g_file_get_contents (image, &data, &length, NULL));
  g_assert_true (g_file_set_contents (image_to, data, length, NULL));
  g_assert_true (g_file_set_contents (label, "3 0.5 0.5 0.2 0.2\n10 0.3 0.3 0.1 0.1\n2 0.7 0.7 0.1 0.1\n", -1, NULL));

  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "yolo", "--out", out, src, NULL), ==, 0);
  g_assert_nonnull (strstr (stdout_text, "No class list"));
  written = find_yolo_label (out, "a");
  rows = read_rows (written);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpfloat (g_array_index ((GArray *) rows->pdata[i], double, 0), ==, ids[i]);
  names = bm_class_list_load (yaml, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (names), ==, 11);
  g_assert_cmpstr (bm_class_list_get_name (names, 3), ==, "3");
  g_assert_cmpstr (bm_class_list_get_name (names, 10), ==, "10");
  /* The source stays without a class list. */
  {
    g_autofree char *classes = g_build_filename (src, "classes.txt", NULL);
    g_autofree char *in_labels = g_build_filename (labels, "classes.txt", NULL);

    g_assert_false (g_file_test (classes, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (in_labels, G_FILE_TEST_EXISTS));
  }
}

/* A VOC label holding a line break cannot be one line of classes.txt: it is renamed, said so,
 * and classes.txt and data.yaml still give every line its id. */
static void
test_label_with_line_break (void)
{
  g_autofree char *image = testdata ("yolo/ultralytics_coco8/images/train/000000000009.jpg");
  g_autofree char *src = tmp_path ("linebreak");
  g_autofree char *image_to = g_build_filename (src, "a.jpg", NULL);
  g_autofree char *xml = g_build_filename (src, "a.xml", NULL);
  g_autofree char *out = tmp_path ("linebreak-yolo");
  g_autofree char *txt_path = g_build_filename (out, "classes.txt", NULL);
  g_autofree char *yaml_path = g_build_filename (out, "data.yaml", NULL);
  g_autofree char *stdout_text = NULL;
  g_autofree char *data = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *written = NULL;
  g_autoptr(BmClassList) from_yaml = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_cmpint (g_mkdir_with_parents (src, 0755), ==, 0);
  g_assert_true (g_file_get_contents (image, &data, &length, NULL));
  g_assert_true (g_file_set_contents (image_to, data, length, NULL));
  g_assert_true (g_file_set_contents (xml,
    "<annotation><filename>a.jpg</filename>"
    "<object><name>traffic&#10;light</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>50</xmax><ymax>50</ymax></bndbox></object>"
    "<object><name>car</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>50</xmax><ymax>50</ymax></bndbox></object>"
    "</annotation>\n", -1, NULL));

  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "yolo", "--out", out, src, NULL), ==, 0);
  g_assert_nonnull (strstr (stdout_text, "Renamed label “traffic\\nlight” → class 1 “traffic light”"));
  g_assert_true (g_file_get_contents (txt_path, &txt, NULL, NULL));
  g_assert_cmpstr (txt, ==, "car\ntraffic light\n");
  from_yaml = bm_class_list_load (yaml_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (from_yaml), ==, 2);
  g_assert_cmpstr (bm_class_list_get_name (from_yaml, 1), ==, "traffic light");
  written = find_yolo_label (out, "a");
  rows = read_rows (written);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpfloat (g_array_index ((GArray *) rows->pdata[0], double, 0), ==, 1);
  g_assert_cmpfloat (g_array_index ((GArray *) rows->pdata[1], double, 0), ==, 0);
}

/* The window's exports (bm_dataset_export, with the folder's class list) write what `convert`
 * writes. */
static void
check_dataset_export_like_cli (const char *source_rel, BmExportTarget target, const char *to, guint min_files)
{
  g_autofree char *src = testdata (source_rel);
  g_autofree char *out_rel = g_strconcat (source_rel, "-", to, NULL);
  g_autofree char *cli = tmp_path (out_rel);
  g_autofree char *ours = g_strconcat (cli, "-window", NULL);
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmDatasetExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *headline = NULL;
  g_autofree char *details = NULL;
  BmDatasetExportOptions options;
  const char *class_file;
  int status;

  dataset = bm_dataset_open (src, TRUE, &error);
  g_assert_no_error (error);
  class_file = bm_export_target_is_yolo (target) ? bm_dataset_get_class_file (dataset) : NULL;
  bm_dataset_export_options_init (&options, target);
  options.classes_file = class_file;
  /* written where the CLI writes next, then moved: VOC files name their image's path */
  result = bm_dataset_export (dataset, cli, &options);
  g_assert_nonnull (result);
  g_assert_no_error (result->error);
  g_assert_cmpint (g_rename (cli, ours), ==, 0);
  if (class_file != NULL)
    status = run_cli (NULL, NULL, "convert", "--to", to, "--classes", class_file, "--out", cli, src, NULL);
  else
    status = run_cli (NULL, NULL, "convert", "--to", to, "--out", cli, src, NULL);
  /* convert exits 1 when it reported problems, as the export listed them */
  g_assert_cmpint (status, ==, (result->n_problems > 0) ? 1 : 0);
  g_assert_cmpuint (bm_test_assert_same_tree (ours, cli), >=, min_files);

  headline = bm_dataset_export_result_headline (result);
  details = bm_dataset_export_result_details (result, 10);
  g_test_message ("%s\n%s", headline, details);
  g_assert_nonnull (strstr (headline, cli));
  g_assert_cmpuint (bm_export_target_is_yolo (target) ? result->report.n_images : result->n_images, >, 0);
}

static void
test_dataset_export_like_cli (void)
{
  check_dataset_export_like_cli ("voc/raccoon_labelimg", BM_EXPORT_TARGET_YOLO, "yolo", 160);
  check_dataset_export_like_cli ("dota/dota_devkit_example", BM_EXPORT_TARGET_YOLO_OBB, "yolo-obb", 2);
  check_dataset_export_like_cli ("dota/ultralytics_dota8", BM_EXPORT_TARGET_YOLO_OBB, "yolo-obb", 8);
  /* the same into VOC and DOTA, for the window's Export as Pascal VOC / DOTA */
  check_dataset_export_like_cli ("dota/dota_devkit_example", BM_EXPORT_TARGET_VOC, "voc", 2);
  check_dataset_export_like_cli ("voc/raccoon_labelimg", BM_EXPORT_TARGET_DOTA, "dota", 160);
}

/* "traffic\nlight" and "traffic light" cannot be told apart in a class list: refused, both
 * named, nothing written. A given data.yaml name with a line break: no classes.txt, said so. */
static void
test_labels_that_would_merge (void)
{
  g_autofree char *image = testdata ("yolo/ultralytics_coco8/images/train/000000000009.jpg");
  g_autofree char *src = tmp_path ("merge");
  g_autofree char *image_to = g_build_filename (src, "a.jpg", NULL);
  g_autofree char *xml = g_build_filename (src, "a.xml", NULL);
  g_autofree char *out = tmp_path ("merge-yolo");
  g_autofree char *yaml = tmp_path ("merge-classes.yaml");
  g_autofree char *out2 = tmp_path ("merge-yolo-given");
  g_autofree char *txt = g_build_filename (out2, "classes.txt", NULL);
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_assert_cmpint (g_mkdir_with_parents (src, 0755), ==, 0);
  g_assert_true (g_file_get_contents (image, &data, &length, NULL));
  g_assert_true (g_file_set_contents (image_to, data, length, NULL));
  g_assert_true (g_file_set_contents (xml,
    "<annotation><filename>a.jpg</filename>"
    "<object><name>traffic&#10;light</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>50</xmax><ymax>50</ymax></bndbox></object>"
    "<object><name>traffic light</name><bndbox><xmin>2</xmin><ymin>2</ymin><xmax>50</xmax><ymax>50</ymax></bndbox></object>"
    "<object><name>traffic&#9;light</name><bndbox><xmin>3</xmin><ymin>3</ymin><xmax>50</xmax><ymax>50</ymax></bndbox></object>"
    "</annotation>\n", -1, NULL));

  g_assert_cmpint (run_cli (NULL, &stderr_text, "convert", "--to", "yolo", "--out", out, src, NULL), !=, 0);
  g_assert_nonnull (strstr (stderr_text, "“traffic\\nlight” and “traffic light” would both be class “traffic light”"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* The names as given: the tab one is a class of its own, the line break one has no line. */
  g_assert_true (g_file_set_contents (yaml,
    "names:\n  0: \"traffic\\nlight\"\n  1: traffic light\n  2: \"traffic\\tlight\"\n", -1, NULL));
  g_assert_cmpint (run_cli (&stdout_text, NULL, "convert", "--to", "yolo", "--data", yaml, "--out", out2, src, NULL), ==, 0);
  g_assert_nonnull (strstr (stdout_text, "classes.txt was not written: class 0 “traffic\\nlight” holds a line break"));
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));
}

/* A VOC <size> that disagrees with the image header is reported, and the header's size (what
 * YOLO's numbers are relative to) is used. */
static void
test_size_disagreement (void)
{
  g_autofree char *image = testdata ("yolo/ultralytics_coco8/images/train/000000000009.jpg");
  g_autofree char *src = tmp_path ("size");
  g_autofree char *image_to = g_build_filename (src, "a.jpg", NULL);
  g_autofree char *xml = g_build_filename (src, "a.xml", NULL);
  g_autofree char *out = tmp_path ("size-yolo");
  g_autofree char *stderr_text = NULL;
  g_autofree char *written = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  int w = 0, h = 0, channels = 0;
  gsize length;
  GArray *row;

  g_assert_cmpint (g_mkdir_with_parents (src, 0755), ==, 0);
  g_assert_true (g_file_get_contents (image, &data, &length, NULL));
  g_assert_true (g_file_set_contents (image_to, data, length, NULL));
  g_assert_true (bm_image_read_info (image_to, &w, &h, &channels, NULL));
  g_assert_true (g_file_set_contents (xml,
    "<annotation><filename>a.jpg</filename><size><width>10</width><height>20</height><depth>3</depth></size>"
    "<object><name>car</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>64</xmax><ymax>48</ymax></bndbox></object>"
    "</annotation>\n", -1, NULL));

  g_assert_cmpint (run_cli (NULL, &stderr_text, "convert", "--to", "yolo", "--out", out, src, NULL), ==, 1);
  g_assert_nonnull (strstr (stderr_text, "the label file says the image is 10×20 but"));
  written = find_yolo_label (out, "a");
  rows = read_rows (written);
  g_assert_cmpuint (rows->len, ==, 1);
  row = rows->pdata[0];
  g_assert_cmpfloat_with_epsilon (g_array_index (row, double, 3), 64.0 / w, 1e-6);
  g_assert_cmpfloat_with_epsilon (g_array_index (row, double, 4), 48.0 / h, 1e-6);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_root = g_dir_make_tmp ("bm-cli-convert-XXXXXX", NULL);
  g_test_add_func ("/cli-convert/dota-to-dota-byte-identical", test_dota_to_dota_is_byte_identical);
  g_test_add_func ("/cli-convert/dota-to-yolo-obb", test_dota_to_yolo_obb);
  g_test_add_func ("/cli-convert/dota8-obb-dota-obb", test_dota8_obb_dota_obb);
  g_test_add_func ("/cli-convert/coco8-yolo-voc-yolo", test_coco8_yolo_voc_yolo);
  g_test_add_func ("/cli-convert/roboflow-layout", test_roboflow_layout);
  g_test_add_func ("/cli-convert/voc-to-voc-byte-identical", test_voc_to_voc_is_byte_identical);
  g_test_add_func ("/cli-convert/bad-dota-file", test_bad_dota_file);
  g_test_add_func ("/cli-convert/missing-class-is-an-error", test_missing_class_is_an_error);
  g_test_add_func ("/cli-convert/usage", test_usage);
  g_test_add_func ("/cli-convert/verified-survives", test_verified_survives);
  g_test_add_func ("/cli-convert/out-inside-source-is-refused", test_out_inside_source_is_refused);
  g_test_add_func ("/cli-convert/colliding-orphans-are-kept", test_colliding_orphans_are_kept);
  g_test_add_func ("/cli-convert/stats-on-a-file", test_stats_on_a_file);
  g_test_add_func ("/cli-convert/yolo-without-class-list-keeps-ids", test_yolo_without_class_list_keeps_ids);
  g_test_add_func ("/cli-convert/label-with-line-break", test_label_with_line_break);
  g_test_add_func ("/cli-convert/labels-that-would-merge", test_labels_that_would_merge);
  g_test_add_func ("/cli-convert/size-disagreement", test_size_disagreement);
  g_test_add_func ("/cli-convert/dataset-export-like-cli", test_dataset_export_like_cli);
  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
