/* test-yolo.c: class lists and data.yaml, YOLO rows (read, write, strict check) and export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-dota.h"
#include "formats/bm-yolo.h"
#include "formats/bm-yolo-check.h"
#include "formats/bm-yolo-export.h"
#include "tests/bm-test-util.h"

static char *
testdata (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

/* Independent tokeniser for normalised rows: every row as an array of doubles (class first). */
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
      char *p = lines[i];

      for (;;)
        {
          char *end;
          double v = strtod (p, &end);

          if (end == p)
            break;
          g_array_append_val (row, v);
          p = end;
        }
      if (row->len == 0)
        g_array_unref (row);
      else
        g_ptr_array_add (rows, row);
    }
  return rows;
}


/* ---- class lists ---- */

static void
test_class_lists_from_testdata (void)
{
  g_autofree char *coco = testdata ("yolo/ultralytics_coco8/coco8.yaml");
  g_autofree char *dota = testdata ("dota/ultralytics_dota8/dota8.yaml");
  g_autofree char *robo = testdata ("yolo/roboflow_empire_state/data.yaml");
  g_autofree char *seg = testdata ("yolo/edge_cases/ultralytics_coco8_seg_labels/coco8-seg.yaml");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) c = bm_class_list_load (coco, &error);
  g_autoptr(BmClassList) d = NULL, r = NULL, s = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (c), ==, 80);
  g_assert_cmpstr (bm_class_list_get_name (c, 0), ==, "person");
  g_assert_cmpstr (bm_class_list_get_name (c, 9), ==, "traffic light");
  g_assert_cmpstr (bm_class_list_get_name (c, 79), ==, "toothbrush");
  g_assert_cmpstr (bm_class_list_get_yaml_value (c, "train"), ==, "images/train");
  g_assert_null (bm_class_list_get_yaml_value (c, "path"));
  g_assert_null (bm_class_list_get_yaml_value (c, "test"));

  d = bm_class_list_load (dota, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (d), ==, 15);
  g_assert_cmpint (bm_class_list_find (d, "storage tank"), ==, 2);
  g_assert_cmpint (bm_class_list_find (d, "storage-tank"), ==, -1);
  g_assert_cmpint (bm_class_list_find_loose (d, "storage-tank"), ==, 2);
  g_assert_cmpint (bm_class_list_find_loose (d, "Small_Vehicle"), ==, 10);
  g_assert_cmpint (bm_class_list_find_loose (d, "tank"), ==, -1);

  r = bm_class_list_load (robo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (r), ==, 1);
  g_assert_cmpstr (bm_class_list_get_name (r, 0), ==, "Empire-State-building");
  g_assert_cmpstr (bm_class_list_get_yaml_value (r, "val"), ==, "../valid/images");

  s = bm_class_list_load (seg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (s), ==, 80);
}

static void
test_yaml_forms (void)
{
  static const struct { const char *yaml; guint n; const char *last; } cases[] = {
    { "names: [a, 'b c', \"d\\\"e\"]\n", 3, "d\"e" },
    { "names: {0: a, 2: c, 1: b}\n", 3, "c" },
    { "names:\n- a\n- b # comment\n", 2, "b" },
    { "names:\n  - 'it''s'\n  - x\n", 2, "x" },
    { "# c\n---\npath: ../d\ndownload: |\n  import x\n  y: [\nroboflow:\n  a: 1\nnames:\n  0: a\n  1: b\nnc: 2\n", 2, "b" },
    { "names: [a,\n  b,\n  c]\ntrain: x\n", 3, "c" },
    { "nc: 2\n", 2, "class_1" },
    { "\xEF\xBB\xBFnames: ['Ёлка', '#x']\r\n", 2, "#x" },
    /* What libyaml brings beyond the old subset parser. */
    { "names:\r  - a\r  - b\r", 2, "b" },
    { "base: &classes [car, truck]\nnames: *classes\n", 2, "truck" },
    { "defaults: &d {nc: 2, names: [a, b]}\n<<: *d\n", 2, "b" },
    { "names: !!seq [!!str 1, '2', \"3\"]\n", 3, "3" },
    { "names: {'0': zero, \"1\": one}\n", 2, "one" },
    { "names:\n  0: >-\n    folded\n    name\n", 1, "folded name" },
    { "names:\n  - |-\n    literal\n", 1, "literal" },
    { "names: [a,   # the first\n        b]  # the second\n", 2, "b" },
    { "names:\n- a\n-   \"\\u5c0f\\u6c7d\\u8f66\"\n", 2, "小汽车" },
    { "%YAML 1.1\n---\nnames: [x, y]\n...\n", 2, "y" },
    { "names:\n  ? 0\n  : a\n", 1, "a" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmClassList) c = bm_class_list_load_yaml_data (cases[i].yaml, strlen (cases[i].yaml), "d.yaml", &error);

      g_assert_no_error (error);
      g_assert_cmpuint (bm_class_list_get_n (c), ==, cases[i].n);
      g_assert_cmpstr (bm_class_list_get_name (c, cases[i].n - 1), ==, cases[i].last);
    }
}

/* Every YAML file of the test data (Ultralytics', Roboflow's, the evaluation sets') loads through
 * libyaml with names; found by walking the tree so a new one is covered too. */
static void
collect_yaml (const char *dir, GPtrArray *found)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        collect_yaml (path, found);
      else if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
        g_ptr_array_add (found, g_steal_pointer (&path));
    }
}

static void
test_every_testdata_yaml (void)
{
  g_autofree char *root = testdata ("");
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  collect_yaml (root, found);
  g_assert_cmpuint (found->len, >=, 4);
  for (guint i = 0; i < found->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmClassList) c = bm_class_list_load (found->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (bm_class_list_get_n (c), >, 0);
      g_test_message ("%s: %u classes", (char *) found->pdata[i], bm_class_list_get_n (c));
    }
}

static void
test_bad_class_files (void)
{
  static const struct { const char *text; gboolean yaml; int line; } cases[] = {
    { "names: [a, b]\nnc: 3\n", TRUE, 2 },
    { "names:\n  0: a\n  2: b\n", TRUE, 3 },
    { "names:\n\t- a\n", TRUE, 2 },
    /* libyaml says where it stopped (the end here) and where the open quote or list began. */
    { "names: ['a, b]\n", TRUE, 2 },
    { "names: [a, b\n", TRUE, 2 },
    { "names:\n  - a\n  - a\n", TRUE, 3 },
    { "train: x\n", TRUE, 0 },
    { "names: a\n", TRUE, 1 },
    { "names:\n  - a\n  0: b\n", TRUE, 3 },
    { "names: [a, [b, c]]\n", TRUE, 1 },
    { "names:\n  - a\n  - {b: 1}\n", TRUE, 3 },
    { "names: [a, \"b\\0c\"]\n", TRUE, 1 },
    { "names: [a]\nnames: [b]\n", TRUE, 2 },
    { "names: [a]\n---\nnames: [b]\n", TRUE, 3 },
    { "nc: 1000000000\n", TRUE, 1 },
    { "nc: two\nnames: [a, b]\n", TRUE, 1 },
    { "- a\n- b\n", TRUE, 1 },
    { "names: [a, *undefined]\n", TRUE, 1 },
    { "names:\n  0: a\n  0: b\n", TRUE, 3 },
    { "names: [a]\nkey: [\n", TRUE, 3 },
    { "a\n\nb\n", FALSE, 2 },
    { "a\nb\na\n", FALSE, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmClassList) c = cases[i].yaml
        ? bm_class_list_load_yaml_data (cases[i].text, strlen (cases[i].text), "bad.yaml", &error)
        : bm_class_list_load_txt_data (cases[i].text, strlen (cases[i].text), "bad.txt", &error);
      g_autofree char *prefix = cases[i].line > 0
        ? g_strdup_printf ("%s:%d: ", cases[i].yaml ? "bad.yaml" : "bad.txt", cases[i].line)
        : g_strdup ("bad.yaml: ");

      g_assert_null (c);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, prefix));
    }
  {
    /* Trailing blank lines and \r\n are fine in classes.txt. */
    static const char ok[] = "cat\r\ndog \r\n\r\n\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(BmClassList) c = bm_class_list_load_txt_data (ok, strlen (ok), "ok.txt", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bm_class_list_get_n (c), ==, 2);
    g_assert_cmpstr (bm_class_list_get_name (c, 1), ==, "dog");
  }
}

static void
test_yaml_written_reads_back (void)
{
  static const char *const names[] = {
    "person", "traffic light", "yes", "No", "null", "a: b", "#x", "- y", " lead", "Ёлка", "it's",
    "q\"uote", "back\\slash", "123", "[x]", "{y}", "x,y",
  };
  g_autoptr(BmClassList) c = bm_class_list_new ();
  g_autoptr(BmClassList) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *yaml = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    bm_class_list_add (c, names[i]);
  yaml = bm_class_list_to_yaml (c, "/tmp/my data: set", "images/train", "images/val");
  back = bm_class_list_load_yaml_data (yaml, strlen (yaml), "w.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (back), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (bm_class_list_get_name (back, i), ==, names[i]);
  g_assert_cmpstr (bm_class_list_get_yaml_value (back, "path"), ==, "/tmp/my data: set");
  g_assert_cmpstr (bm_class_list_get_yaml_value (back, "val"), ==, "images/val");
  g_assert_nonnull (strstr (yaml, "\n  0: person\n"));
  g_assert_nonnull (strstr (yaml, "\n  2: \"yes\"\n"));
}

/* A classes.txt name holding a character YAML forbids in a file (a C1 control, U+FFFE) or reads
 * as a line break (NEL, U+2028) is written escaped: the data.yaml loads, with the same names
 * (fuzz-yolo: "\xC2\x8D" as the whole classes.txt made the written data.yaml unreadable). */
static void
test_yaml_written_escapes_unicode_controls (void)
{
  static const char txt[] = "\xC2\x8D\n" "a\xC2\x85" "b\n" "line\xE2\x80\xA8" "sep\n" "x\xEF\xBF\xBE\n"
                            "\xEF\xBB\xBF" "bom-inside\n" "\xC2\xA0nbsp \xE8\xBD\xA6 \xF0\x9F\x9A\x97\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) c = bm_class_list_load_txt_data (txt, strlen (txt), "classes.txt", &error);
  g_autoptr(BmClassList) back = NULL;
  g_autofree char *yaml = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (c), ==, 6);
  g_assert_cmpstr (bm_class_list_get_name (c, 0), ==, "\xC2\x8D");
  yaml = bm_class_list_to_yaml (c, "/data set", "images/train", "images/val");
  g_assert_nonnull (strstr (yaml, "\n  0: \"\\x8d\"\n"));
  g_assert_nonnull (strstr (yaml, "\n  1: \"a\\x85b\"\n"));
  g_assert_nonnull (strstr (yaml, "\n  2: \"line\\u2028sep\"\n"));
  /* Printable characters beyond ASCII stay as they are, readable in the file. */
  g_assert_nonnull (strstr (yaml, "\xC2\xA0nbsp \xE8\xBD\xA6 \xF0\x9F\x9A\x97\"\n"));
  back = bm_class_list_load_yaml_data (yaml, strlen (yaml), "w.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (back), ==, bm_class_list_get_n (c));
  for (guint i = 0; i < bm_class_list_get_n (c); i++)
    g_assert_cmpstr (bm_class_list_get_name (back, i), ==, bm_class_list_get_name (c, i));
}

/* ---- reading rows ---- */

static void
image_size_of (const char *image, int *w, int *h)
{
  g_autoptr(GError) error = NULL;
  int channels;

  g_assert_true (bm_image_read_info (image, w, h, &channels, &error));
  g_assert_no_error (error);
}

static void
test_read_coco8 (void)
{
  static const char *const splits[] = { "train", "val" };
  g_autofree char *yaml = testdata ("yolo/ultralytics_coco8/coco8.yaml");
  g_autoptr(BmClassList) classes = bm_class_list_load (yaml, NULL);
  guint total = 0;

  g_assert_nonnull (classes);
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *rel = g_build_filename ("yolo/ultralytics_coco8/labels", splits[s], NULL);
      g_autofree char *dir = testdata (rel);
      g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (handle)) != NULL)
        {
          g_autofree char *label = g_build_filename (dir, name, NULL);
          g_autofree char *stem = bm_path_get_stem (name);
          g_autofree char *image_rel = g_strdup_printf ("yolo/ultralytics_coco8/images/%s/%s.jpg", splits[s], stem);
          g_autofree char *image = testdata (image_rel);
          g_autoptr(GPtrArray) rows = read_rows (label);
          g_autoptr(GError) error = NULL;
          g_autoptr(BmAnnotation) a = NULL;
          g_autofree char *found = bm_yolo_find_class_file (label);
          int w, h;

          g_assert_cmpstr (found, ==, yaml);
          image_size_of (image, &w, &h);
          a = bm_yolo_load_for_image (label, image, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
          g_assert_cmpint (bm_annotation_get_width (a), ==, w);
          g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, rows->len);
          for (guint i = 0; i < rows->len; i++)
            {
              GArray *row = rows->pdata[i];
              BmObject *o = bm_annotation_get_object (a, i);
              BmRect r = bm_shape_bounds (bm_object_get_shape (o));
              double cx = g_array_index (row, double, 1) * w, cy = g_array_index (row, double, 2) * h;
              double bw = g_array_index (row, double, 3) * w, bh = g_array_index (row, double, 4) * h;

              g_assert_cmpint (bm_object_get_shape (o)->kind, ==, BM_SHAPE_BOX);
              g_assert_cmpstr (bm_object_get_label (o), ==,
                               bm_class_list_get_name (classes, (guint) g_array_index (row, double, 0)));
              g_assert_cmpfloat_with_epsilon (r.x1, cx - bw / 2, 1e-9);
              g_assert_cmpfloat_with_epsilon (r.y1, cy - bh / 2, 1e-9);
              g_assert_cmpfloat_with_epsilon (r.x2, cx + bw / 2, 1e-9);
              g_assert_cmpfloat_with_epsilon (r.y2, cy + bh / 2, 1e-9);
            }
          total += rows->len;
        }
    }
  g_assert_cmpuint (total, >, 20);
}

static void
test_segmentation_rows_become_boxes (void)
{
  g_autofree char *label = testdata ("yolo/edge_cases/ultralytics_coco8_seg_labels/labels/train/000000000009.txt");
  g_autoptr(GPtrArray) rows = read_rows (label);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_yolo_load (label, NULL, 640, 480, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      GArray *row = rows->pdata[i];
      BmObject *o = bm_annotation_get_object (a, i);
      BmRect r = bm_shape_bounds (bm_object_get_shape (o));
      double x1 = 2, y1 = 2, x2 = -1, y2 = -1;

      g_assert_cmpuint (row->len % 2, ==, 1);
      g_assert_cmpuint (row->len, >, 9);
      for (guint k = 1; k < row->len; k += 2)
        {
          x1 = MIN (x1, g_array_index (row, double, k));
          x2 = MAX (x2, g_array_index (row, double, k));
          y1 = MIN (y1, g_array_index (row, double, k + 1));
          y2 = MAX (y2, g_array_index (row, double, k + 1));
        }
      g_assert_cmpint (bm_object_get_shape (o)->kind, ==, BM_SHAPE_BOX);
      g_assert_cmpstr (bm_object_get_attribute (o, "yolo-shape"), ==, "polygon");
      g_assert_cmpfloat_with_epsilon (r.x1, x1 * 640, 1e-9);
      g_assert_cmpfloat_with_epsilon (r.y1, y1 * 480, 1e-9);
      g_assert_cmpfloat_with_epsilon (r.x2, x2 * 640, 1e-9);
      g_assert_cmpfloat_with_epsilon (r.y2, y2 * 480, 1e-9);
    }
}

static void
assert_problem_lines (GPtrArray *problems, const int *lines, guint n)
{
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", text);
    }
  g_assert_cmpuint (problems->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (((BmProblem *) problems->pdata[i])->line, ==, lines[i]);
}

static void
test_bad_rows (void)
{
  g_autofree char *path = testdata ("bad/yolo_mixed.txt");
  g_autoptr(BmClassList) one = bm_class_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *before = NULL, *after = NULL;
  static const int reader_lines[] = { 2, 3, 5, 6 };
  static const int checker_lines[] = { 1, 2, 3, 4, 5, 6, 8 };

  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  bm_class_list_add (one, "building");
  a = bm_yolo_load (path, one, 100, 100, &error);
  g_assert_no_error (error);
  assert_problem_lines (bm_annotation_get_problems (a), reader_lines, G_N_ELEMENTS (reader_lines));
  g_assert_true (bm_annotation_is_read_only (a));
  /* Lines 1, 4, 7 (an OBB row) and 8 load. */
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 4);
  g_assert_cmpint (bm_object_get_shape (bm_annotation_get_object (a, 2))->kind, ==, BM_SHAPE_QUAD);
  g_assert_false (bm_yolo_save (a, path, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_READ_ONLY);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  /* The strict checker: line 7 has 9 columns, so Ultralytics reads the file as polygons and
   * every 5-column row (1, 3, 4, 5, 8) is misread; line 2 has an odd coordinate count; line 6
   * is not a number. */
  g_clear_error (&error);
  problems = bm_yolo_check_file (path, 1, &error);
  g_assert_no_error (error);
  assert_problem_lines (problems, checker_lines, G_N_ELEMENTS (checker_lines));
}

static void
test_checker_rules (void)
{
  static const struct { const char *text; int nc; int lines[4]; } cases[] = {
    { "0 0.5 0.5 0.2 0.2\n1 0.5 0.5 1 1\n", 2, { 0 } },
    { "0 0.5 0.5 0.2 0.2\n2 0.5 0.5 0.2 0.2\n", 2, { 2 } },
    { "0 1.2 0.5 0.2 0.2\n0 0.5 0.5 0.2 -0.02\n0 0.5 0.5 0.2 1.005\n", 1, { 1, 2 } },
    { "0 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2 0.2\n", 1, { 2 } },
    { "0 0.5 0.5 0.2 0.2\n  \n0 0.4 0.5 0.2 0.2\n\n", 1, { 2 } },
    { "0 -0.2 0.1 0.3 0.1 0.3 0.3 -0.2 0.3\n", 1, { 0 } },     /* OBB corner < 0 but box fine */
    { "0 -0.5 0.1 0.3 0.1 0.3 0.3 -0.5 0.3\n", 1, { 1 } },     /* enclosing cx < -0.01 */
    { "0 0.5 0.5 0.2 0.2 0.1\n", 1, { 1 } },
    { "0.5 0.5 0.5 0.2 0.2\n-1 0.5 0.5 0.2 0.2\n", 1, { 1, 2 } },
    { "0 nan 0.5 0.2 0.2\n", 1, { 1 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = bm_yolo_check_data (cases[i].text, strlen (cases[i].text), "c.txt", cases[i].nc);
      guint n = 0;

      while (n < 4 && cases[i].lines[n] != 0)
        n++;
      assert_problem_lines (problems, cases[i].lines, n);
    }
}

/* ---- writing rows ---- */

static void
test_dota_to_yolo_obb (void)
{
  g_autofree char *label = testdata ("dota/dota_devkit_example/labelTxt/P0706.txt");
  g_autofree char *image = testdata ("dota/dota_devkit_example/images/P0706.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_dota_load (label, &error);
  g_autoptr(BmClassList) classes = bm_class_list_new ();
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) lines = NULL;
  int w, h;
  guint n_clipped = 99, n_outside = 99;
  gsize length;

  g_assert_no_error (error);
  image_size_of (image, &w, &h);
  for (guint i = 0; i < bm_annotation_get_n_objects (a); i++)
    bm_class_list_add (classes, bm_object_get_label (bm_annotation_get_object (a, i)));
  data = bm_yolo_to_data (a, classes, w, h, BM_YOLO_OBB, FALSE, &n_clipped, &n_outside, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_clipped, ==, 0);
  g_assert_cmpuint (n_outside, ==, 0);
  lines = g_strsplit (data, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, bm_annotation_get_n_objects (a) + 1);
  for (guint i = 0; i < bm_annotation_get_n_objects (a); i++)
    {
      BmObject *o = bm_annotation_get_object (a, i);
      const BmShape *s = bm_object_get_shape (o);
      g_auto(GStrv) tokens = g_strsplit (lines[i], " ", -1);

      g_assert_cmpuint (g_strv_length (tokens), ==, 9);
      g_assert_cmpint (atoi (tokens[0]), ==, bm_class_list_find (classes, bm_object_get_label (o)));
      for (int k = 0; k < 4; k++)
        {
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (tokens[1 + 2 * k], NULL), s->p[k].x / w, 1e-6);
          g_assert_cmpfloat_with_epsilon (g_ascii_strtod (tokens[2 + 2 * k], NULL), s->p[k].y / h, 1e-6);
        }
    }
  problems = bm_yolo_check_data (data, length, "P0706.txt", (int) bm_class_list_get_n (classes));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* dota8's YOLO-OBB → objects → DOTA text → objects → YOLO-OBB, within 1e-6. */
static void
test_dota8_round_trip (void)
{
  static const char *const splits[] = { "train", "val" };
  g_autoptr(BmClassList) ids = bm_class_list_new ();

  for (int i = 0; i < 15; i++)
    {
      g_autofree char *name = g_strdup_printf ("%d", i);
      bm_class_list_add (ids, name);
    }
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *rel = g_build_filename ("dota/ultralytics_dota8/labels", splits[s], NULL);
      g_autofree char *dir = testdata (rel);
      g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (handle)) != NULL)
        {
          g_autofree char *label = g_build_filename (dir, name, NULL);
          g_autofree char *stem = bm_path_get_stem (name);
          g_autofree char *image_rel = g_strdup_printf ("dota/ultralytics_dota8/images/%s/%s.jpg", splits[s], stem);
          g_autofree char *image = testdata (image_rel);
          g_autoptr(GPtrArray) original = read_rows (label);
          g_autoptr(GError) error = NULL;
          g_autoptr(BmAnnotation) a = NULL;
          g_autoptr(BmAnnotation) b = NULL;
          g_autofree char *dota = NULL, *yolo = NULL;
          g_autofree char *out = NULL;
          g_autoptr(GPtrArray) again = NULL;
          g_autoptr(GPtrArray) problems = NULL;
          gsize length;
          int w, h;

          image_size_of (image, &w, &h);
          a = bm_yolo_load (label, NULL, w, h, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
          dota = bm_dota_to_data (a, &length, &error);
          g_assert_no_error (error);
          b = bm_dota_load_data (dota, length, "x.txt", &error);
          g_assert_no_error (error);
          yolo = bm_yolo_to_data (b, ids, w, h, BM_YOLO_OBB, FALSE, NULL, NULL, &length, &error);
          g_assert_no_error (error);
          out = g_build_filename (g_get_tmp_dir (), "bm-test-yolo-rt.txt", NULL);
          g_assert_true (g_file_set_contents (out, yolo, length, NULL));
          again = read_rows (out);
          g_unlink (out);
          bm_test_assert_rows_close (original, again, 1e-6 + 1e-12);
          problems = bm_yolo_check_data (yolo, length, name, 15);
          g_assert_cmpuint (problems->len, ==, 0);
        }
    }
}

static void
test_rows_clip_and_enclose (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(BmObject) box = NULL;
  g_autoptr(BmObject) rotated = NULL;
  g_autoptr(BmObject) outside = NULL;
  BmShape s;
  gboolean enclosed;

  bm_shape_init_box (&s, -10, 20, 50, 60);
  box = bm_object_new ("a", &s);
  g_assert_cmpint (bm_yolo_append_row (out, box, 3, 100, 200, BM_YOLO_DETECT, FALSE, &enclosed), ==, BM_YOLO_ROW_CLIPPED);
  g_assert_false (enclosed);
  g_assert_cmpstr (out->str, ==, "3 0.250000 0.200000 0.500000 0.200000");

  g_string_truncate (out, 0);
  bm_shape_init_rotated (&s, 50, 100, 20, 10, G_PI / 2);
  rotated = bm_object_new ("b", &s);
  g_assert_cmpint (bm_yolo_append_row (out, rotated, 0, 100, 200, BM_YOLO_DETECT, FALSE, &enclosed), ==, BM_YOLO_ROW_OK);
  g_assert_true (enclosed);
  g_assert_cmpstr (out->str, ==, "0 0.500000 0.500000 0.100000 0.100000");

  g_string_truncate (out, 0);
  bm_shape_init_box (&s, 200, 20, 250, 60);
  outside = bm_object_new ("c", &s);
  g_assert_cmpint (bm_yolo_append_row (out, outside, 0, 100, 200, BM_YOLO_DETECT, FALSE, NULL), ==, BM_YOLO_ROW_OUTSIDE);
  g_assert_cmpstr (out->str, ==, "");

  /* OBB: corners kept unless clip; out-of-range enclosing box reported. */
  bm_shape_init_box (&s, -150, 20, 60, 60);
  bm_object_set_shape (outside, &s);
  g_assert_cmpint (bm_yolo_append_row (out, outside, 0, 100, 200, BM_YOLO_OBB, FALSE, NULL), ==, BM_YOLO_ROW_OUT_OF_RANGE);
  g_assert_true (g_str_has_prefix (out->str, "0 -1.500000 0.100000"));
  g_string_truncate (out, 0);
  g_assert_cmpint (bm_yolo_append_row (out, outside, 0, 100, 200, BM_YOLO_OBB, TRUE, NULL), ==, BM_YOLO_ROW_CLIPPED);
  g_assert_cmpstr (out->str, ==, "0 0.000000 0.100000 0.600000 0.100000 0.600000 0.300000 0.000000 0.300000");

  g_string_truncate (out, 0);
  bm_yolo_append_value (out, -0.0000001);
  g_assert_cmpstr (out->str, ==, "0.000000");
}

/* ---- in-place save (Roboflow layout) ---- */

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, length, NULL));
}

static void
test_roboflow_layout_and_save (void)
{
  g_autofree char *root = testdata ("yolo/roboflow_empire_state");
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-XXXXXX", NULL);
  g_autofree char *yaml_from = g_build_filename (root, "data.yaml", NULL);
  g_autofree char *yaml_to = g_build_filename (tmp, "data.yaml", NULL);
  g_autofree char *labels = g_build_filename (tmp, "valid", "labels", NULL);
  g_autofree char *label_from = g_build_filename (root, "valid/labels/15_jpg.rf.c0303296ab7a975d5d800c2a0c5a631f.txt", NULL);
  g_autofree char *image = g_build_filename (root, "valid/images/15_jpg.rf.c0303296ab7a975d5d800c2a0c5a631f.jpg", NULL);
  g_autofree char *label = g_build_filename (labels, "15.txt", NULL);
  g_autofree char *classes_txt = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  guint n_files = 0;
  BmObject *o;
  BmShape s;

  /* Checking the real Roboflow dataset in place. */
  g_assert_true (bm_yolo_check_dataset (root, NULL, problems, &n_files, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_files, ==, 10);
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  copy_file (yaml_from, yaml_to);
  copy_file (label_from, label);
  a = bm_yolo_load_for_image (label, image, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 1);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "Empire-State-building");

  /* Unedited: byte-identical (full-precision numbers, no final newline). */
  g_assert_true (g_file_get_contents (label, &before, NULL, NULL));
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (label, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  /* A new object is appended; a label missing from data.yaml is refused. */
  bm_shape_init_box (&s, 0, 0, bm_annotation_get_width (a) / 2.0, bm_annotation_get_height (a) / 2.0);
  o = bm_object_new ("Empire-State-building", &s);
  bm_annotation_add_object (a, o);
  g_object_unref (o);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  g_free (after);
  g_assert_true (g_file_get_contents (label, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, before));
  g_assert_cmpstr (after + strlen (before), ==, "\n0 0.250000 0.250000 0.500000 0.500000\n");

  bm_object_set_label (bm_annotation_get_object (a, 1), "tower");
  g_assert_false (bm_yolo_save (a, label, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "tower"));

  /* With a classes.txt instead, a new label is appended to it and keeps the others' ids. */
  g_clear_error (&error);
  g_unlink (yaml_to);
  classes_txt = g_build_filename (tmp, "classes.txt", NULL);
  g_assert_true (g_file_set_contents (classes_txt, "Empire-State-building\n", -1, NULL));
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  g_free (after);
  g_assert_true (g_file_get_contents (classes_txt, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "Empire-State-building\ntower\n");
  g_free (after);
  g_assert_true (g_file_get_contents (label, &after, NULL, NULL));
  g_assert_true (g_str_has_suffix (after, "\n1 0.250000 0.250000 0.500000 0.500000\n"));

  g_unlink (classes_txt);
  g_unlink (label);
  g_rmdir (labels);
  {
    g_autofree char *valid = g_build_filename (tmp, "valid", NULL);
    g_rmdir (valid);
  }
  g_rmdir (tmp);
}

static void
test_obb_save_keeps_line_endings (void)
{
  static const char data[] =
    "1 0.1 0.1 0.3 0.1 0.3 0.2 0.1 0.2\r\n"
    "0 0.5 0.5 0.2 0.2\r\n"
    "0 0.123456789 0.5 0.2 0.5 0.2 0.6 0.1 0.6\r\n";
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-obb-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "a.txt", NULL);
  g_autofree char *classes = g_build_filename (tmp, "classes.txt", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) list = bm_class_list_new ();
  g_autoptr(BmAnnotation) a = NULL;
  BmShape s;

  bm_class_list_add (list, "car");
  bm_class_list_add (list, "ship");
  g_assert_true (g_file_set_contents (classes, "car\nship\n", -1, NULL));
  a = bm_yolo_load_data (data, strlen (data), label, list, 1000, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 3);
  g_assert_cmpint (bm_object_get_shape (bm_annotation_get_object (a, 0))->kind, ==, BM_SHAPE_QUAD);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "ship");

  /* Object 0 moved; the detect row of this OBB file becomes an OBB row; row 3 is untouched. */
  s = *bm_object_get_shape (bm_annotation_get_object (a, 0));
  bm_shape_translate (&s, 100, 0);
  bm_object_set_shape (bm_annotation_get_object (a, 0), &s);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (label, &saved, NULL, NULL));
  g_assert_cmpstr (saved, ==,
                   "1 0.200000 0.100000 0.400000 0.100000 0.400000 0.200000 0.200000 0.200000\r\n"
                   "0 0.400000 0.400000 0.600000 0.400000 0.600000 0.600000 0.400000 0.600000\r\n"
                   "0 0.123456789 0.5 0.2 0.5 0.2 0.6 0.1 0.6\r\n");
  g_unlink (label);
  g_unlink (classes);
  g_rmdir (tmp);
}

/* ---- export ---- */


typedef struct
{
  GPtrArray *items;        /* BmYoloExportItem */
  GPtrArray *annotations;
  GPtrArray *strings;
} Items;

static void
items_clear (Items *it)
{
  g_ptr_array_unref (it->items);
  g_ptr_array_unref (it->annotations);
  g_ptr_array_unref (it->strings);
}

static void
coco8_items (Items *it)
{
  static const char *const splits[] = { "train", "val" };

  it->items = g_ptr_array_new_with_free_func (g_free);
  it->annotations = g_ptr_array_new_with_free_func (g_object_unref);
  it->strings = g_ptr_array_new_with_free_func (g_free);
  for (guint s = 0; s < 2; s++)
    {
      g_autofree char *rel = g_build_filename ("yolo/ultralytics_coco8/images", splits[s], NULL);
      g_autofree char *dir = testdata (rel);
      g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (handle)) != NULL)
        {
          BmYoloExportItem *item = g_new0 (BmYoloExportItem, 1);
          char *image = g_build_filename (dir, name, NULL);
          g_autofree char *stem = bm_path_get_stem (name);
          g_autofree char *label_rel = g_strdup_printf ("yolo/ultralytics_coco8/labels/%s/%s.txt", splits[s], stem);
          g_autofree char *label = testdata (label_rel);
          g_autoptr(GError) error = NULL;
          BmAnnotation *a = bm_yolo_load_for_image (label, image, &error);

          g_assert_no_error (error);
          g_ptr_array_add (it->strings, image);
          g_ptr_array_add (it->annotations, a);
          item->image_path = image;
          item->annotation = a;
          item->split = splits[s];
          g_ptr_array_add (it->items, item);
        }
    }
}

static void
test_export_coco8 (void)
{
  Items it;
  g_autofree char *tmp = g_dir_make_tmp ("bm-export-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *yaml_path = g_build_filename (out, "data.yaml", NULL);
  g_autofree char *coco_yaml = testdata ("yolo/ultralytics_coco8/coco8.yaml");
  g_autoptr(BmClassList) coco = bm_class_list_load (coco_yaml, NULL);
  g_autoptr(BmClassList) written = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GPtrArray) check = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GError) error = NULL;
  BmYoloExportOptions options = { BM_YOLO_DETECT, coco, -1, 0, FALSE, FALSE };
  BmYoloExportReport report;
  guint n_files;

  coco8_items (&it);
  g_assert_true (bm_yolo_export (it.items, out, &options, &report, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (report.n_images, ==, 8);
  g_assert_cmpuint (report.n_train, ==, 4);
  g_assert_cmpuint (report.n_val, ==, 4);
  g_assert_cmpuint (report.n_clipped, ==, 0);
  written = bm_class_list_load (yaml_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (written), ==, 80);
  g_assert_cmpstr (bm_class_list_get_name (written, 9), ==, "traffic light");
  g_assert_cmpstr (bm_class_list_get_yaml_value (written, "train"), ==, "images/train");
  g_assert_true (g_path_is_absolute (bm_class_list_get_yaml_value (written, "path")));

  /* Every label file equals the original within 1e-6 and passes the strict checker. */
  for (guint i = 0; i < it.items->len; i++)
    {
      BmYoloExportItem *item = it.items->pdata[i];
      g_autofree char *base = g_path_get_basename (item->image_path);
      g_autofree char *stem = bm_path_get_stem (base);
      g_autofree char *txt = g_strconcat (stem, ".txt", NULL);
      g_autofree char *label = g_build_filename (out, "labels", item->split, txt, NULL);
      g_autofree char *linked = g_build_filename (out, "images", item->split, base, NULL);
      g_autoptr(GPtrArray) a = read_rows (bm_annotation_get_label_path (item->annotation));
      g_autoptr(GPtrArray) b = read_rows (label);

      g_assert_true (g_file_test (linked, G_FILE_TEST_IS_REGULAR));
      bm_test_assert_rows_close (a, b, 1e-6);
    }
  g_assert_true (bm_yolo_check_dataset (out, NULL, check, &n_files, &error));
  g_assert_cmpuint (n_files, ==, 8);
  g_assert_cmpuint (check->len, ==, 0);

  bm_yolo_export_report_clear (&report);

  /* Not into a folder with something in it. */
  g_assert_false (bm_yolo_export (it.items, out, &options, &report, problems, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  bm_yolo_export_report_clear (&report);

  items_clear (&it);
  bm_test_remove_tree (tmp);
}

static void
test_export_classes_split_and_empty (void)
{
  Items it;
  g_autofree char *tmp = g_dir_make_tmp ("bm-export-XXXXXX", NULL);
  g_autofree char *out1 = g_build_filename (tmp, "a", NULL);
  g_autofree char *out2 = g_build_filename (tmp, "b", NULL);
  g_autofree char *out3 = g_build_filename (tmp, "c", NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(BmClassList) small = bm_class_list_new ();
  g_autoptr(GError) error = NULL;
  BmYoloExportOptions options = { BM_YOLO_DETECT, NULL, 0.25, 7, TRUE, FALSE };
  BmYoloExportReport r1, r2;
  g_autoptr(BmAnnotation) empty = bm_annotation_new ();
  BmYoloExportItem *item;
  g_autofree char *empty_txt = NULL;
  g_autofree char *contents = NULL;

  coco8_items (&it);
  /* One labelled image without objects, one never labelled. */
  item = it.items->pdata[0];
  bm_annotation_set_label_path (empty, "empty.xml");
  item->annotation = empty;
  item = it.items->pdata[1];
  item->annotation = NULL;
  for (guint i = 0; i < it.items->len; i++)
    ((BmYoloExportItem *) it.items->pdata[i])->split = NULL;

  g_assert_true (bm_yolo_export (it.items, out1, &options, &r1, problems, &error));
  g_assert_no_error (error);
  g_assert_true (r1.classes_sorted);
  for (guint i = 1; i < bm_class_list_get_n (r1.classes); i++)
    g_assert_cmpint (strcmp (bm_class_list_get_name (r1.classes, i - 1), bm_class_list_get_name (r1.classes, i)), <, 0);
  g_assert_cmpuint (r1.n_images, ==, 7);
  g_assert_cmpuint (r1.n_unlabelled, ==, 1);
  g_assert_cmpuint (r1.n_empty_label_files, ==, 1);
  g_assert_cmpuint (r1.n_val, ==, 2);          /* round (0.25 * 7) */
  g_assert_cmpuint (r1.n_copied, ==, 7);
  {
    g_autofree char *base = g_path_get_basename (((BmYoloExportItem *) it.items->pdata[0])->image_path);
    g_autofree char *stem = bm_path_get_stem (base);
    g_autofree char *txt = g_strconcat (stem, ".txt", NULL);
    g_autofree char *in_train = g_build_filename (out1, "labels", "train", txt, NULL);
    g_autofree char *in_val = g_build_filename (out1, "labels", "val", txt, NULL);

    empty_txt = g_file_test (in_train, G_FILE_TEST_EXISTS) ? g_strdup (in_train) : g_strdup (in_val);
    g_assert_true (g_file_get_contents (empty_txt, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "");
  }
  {
    g_autofree char *base = g_path_get_basename (((BmYoloExportItem *) it.items->pdata[1])->image_path);
    g_autofree char *stem = bm_path_get_stem (base);
    g_autofree char *txt = g_strconcat (stem, ".txt", NULL);
    g_autofree char *in_train = g_build_filename (out1, "labels", "train", txt, NULL);
    g_autofree char *in_val = g_build_filename (out1, "labels", "val", txt, NULL);

    g_assert_false (g_file_test (in_train, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (in_val, G_FILE_TEST_EXISTS));
  }

  /* Same seed, same split. */
  g_assert_true (bm_yolo_export (it.items, out2, &options, &r2, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < it.items->len; i++)
    {
      BmYoloExportItem *x = it.items->pdata[i];
      g_autofree char *base = g_path_get_basename (x->image_path);
      g_autofree char *a = g_build_filename (out1, "images", "val", base, NULL);
      g_autofree char *b = g_build_filename (out2, "images", "val", base, NULL);

      g_assert_cmpint (g_file_test (a, G_FILE_TEST_EXISTS), ==, g_file_test (b, G_FILE_TEST_EXISTS));
    }
  bm_yolo_export_report_clear (&r1);
  bm_yolo_export_report_clear (&r2);

  /* A given list without some labels: an error naming them and their files; nothing written. */
  bm_class_list_add (small, "person");
  options.classes = small;
  g_assert_false (bm_yolo_export (it.items, out3, &options, &r1, problems, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“dog”"));
  g_assert_nonnull (strstr (error->message, "labels"));
  g_assert_false (g_file_test (out3, G_FILE_TEST_EXISTS));
  bm_yolo_export_report_clear (&r1);

  items_clear (&it);
  bm_test_remove_tree (tmp);
}

/* ---- saving without a class list, polygons, objects off the image ---- */

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
move_object (BmAnnotation *a, guint index, double dx, double dy)
{
  BmObject *o = bm_annotation_get_object (a, index);
  BmShape s = *bm_object_get_shape (o);

  bm_shape_translate (&s, dx, dy);
  bm_object_set_shape (o, &s);
}

static void
test_save_without_class_list_keeps_ids (void)
{
  static const char data[] = "3 0.5 0.5 0.2 0.2\n0 0.25 0.25 0.1 0.1\n";
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-ids-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "a.txt", NULL);
  g_autofree char *other = g_build_filename (tmp, "b.txt", NULL);
  g_autofree char *classes = g_build_filename (tmp, "classes.txt", NULL);
  g_autofree char *saved = NULL, *other_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  BmObject *o;
  BmShape s;

  g_assert_true (g_file_set_contents (label, data, -1, NULL));
  g_assert_true (g_file_set_contents (other, "7 0.5 0.5 0.2 0.2\n", -1, NULL));
  a = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);
  g_assert_true (bm_yolo_labels_are_ids (a));
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "3");

  /* An edited row keeps its id; a new object labelled with an id gets it; no classes.txt. */
  move_object (a, 0, 1, 0);
  bm_shape_init_box (&s, 0, 0, 100, 50);
  o = bm_object_new ("12", &s);
  bm_annotation_add_object (a, o);
  g_object_unref (o);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  saved = read_text (label);
  g_assert_cmpstr (saved, ==,
                   "3 0.505000 0.500000 0.200000 0.200000\n"
                   "0 0.25 0.25 0.1 0.1\n"
                   "12 0.250000 0.250000 0.500000 0.500000\n");
  g_assert_false (g_file_test (classes, G_FILE_TEST_EXISTS));
  other_text = read_text (other);
  g_assert_cmpstr (other_text, ==, "7 0.5 0.5 0.2 0.2\n");

  /* A name cannot get an id without a class list: refused, nothing written. */
  bm_object_set_label (bm_annotation_get_object (a, 1), "car");
  g_assert_false (bm_yolo_save (a, label, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“car”"));
  g_assert_nonnull (strstr (error->message, "add a class list"));
  g_free (saved);
  saved = read_text (label);
  g_assert_true (g_str_has_prefix (saved, "3 0.505000"));
  g_assert_false (g_file_test (classes, G_FILE_TEST_EXISTS));

  g_unlink (label);
  g_unlink (other);
  g_rmdir (tmp);
}

static void
assert_row (const char *line, const double *expected, guint n)
{
  g_auto(GStrv) tokens = g_strsplit (line, " ", -1);

  g_assert_cmpuint (g_strv_length (tokens), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (tokens[i], NULL), expected[i], 1e-6);
}

static void
test_edited_polygon_stays_polygon (void)
{
  static const char data[] =
    "0 0.1 0.1 0.3 0.1 0.3 0.3 0.2 0.4 0.1 0.3\n"
    "1 0.5 0.5 0.7 0.5 0.7 0.7 0.5 0.7 0.6 0.6\n";
  static const double moved[] = { 0, 0.2, 0.1, 0.4, 0.1, 0.4, 0.3, 0.3, 0.4, 0.2, 0.3 };
  /* Object 1's box (100,50)-(140,70) scaled to (100,50)-(180,90): x and y doubled from the corner. */
  static const double scaled[] = { 1, 0.5, 0.5, 0.9, 0.5, 0.9, 0.9, 0.5, 0.9, 0.7, 0.7 };
  static const double added[] = { 0, 0.05, 0.1, 0.1, 0.1, 0.1, 0.2, 0.05, 0.2 };
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-seg-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "a.txt", NULL);
  g_autofree char *saved = NULL, *after = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  BmObject *o;
  BmShape s;

  g_assert_true (g_file_set_contents (label, data, -1, NULL));
  a = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);
  move_object (a, 0, 20, 0);
  o = bm_annotation_get_object (a, 1);
  bm_shape_init_box (&s, 100, 50, 180, 90);
  bm_object_set_shape (o, &s);
  bm_shape_init_box (&s, 10, 10, 20, 20);
  o = bm_object_new ("0", &s);
  bm_annotation_add_object (a, o);
  g_object_unref (o);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  saved = read_text (label);
  g_test_message ("%s", saved);
  lines = g_strsplit (saved, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  assert_row (lines[0], moved, G_N_ELEMENTS (moved));
  assert_row (lines[1], scaled, G_N_ELEMENTS (scaled));
  /* A new box in a polygon file is a 4-point polygon, not a 5-column row. */
  assert_row (lines[2], added, G_N_ELEMENTS (added));
  g_assert_cmpstr (lines[3], ==, "");

  /* Rotating a polygon would lose its points: refused, the file stays as it was. */
  g_clear_object (&a);
  a = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);
  o = bm_annotation_get_object (a, 0);
  s = *bm_object_get_shape (o);
  bm_shape_rotate (&s, 0.3);
  bm_object_set_shape (o, &s);
  g_assert_false (bm_yolo_save (a, label, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "polygon"));
  after = read_text (label);
  g_assert_cmpstr (after, ==, saved);

  g_unlink (label);
  g_rmdir (tmp);
}

static void
test_object_off_the_image_fails_the_save (void)
{
  static const char data[] = "1 0.925000 0.500000 0.150000 0.200000\n0 0.25 0.25 0.1 0.1\n";
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-off-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "a.txt", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;

  g_assert_true (g_file_set_contents (label, data, -1, NULL));
  a = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);

  move_object (a, 0, 500, 0);
  g_assert_false (bm_yolo_save (a, label, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "object 1"));
  g_assert_nonnull (strstr (error->message, "outside the image"));
  saved = read_text (label);
  g_assert_cmpstr (saved, ==, data);
  g_clear_error (&error);

  /* Partly outside: written as it is, not clipped (only export clips). */
  move_object (a, 0, -480, 0);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  g_free (saved);
  saved = read_text (label);
  g_assert_cmpstr (saved, ==, "1 1.025000 0.500000 0.150000 0.200000\n0 0.25 0.25 0.1 0.1\n");

  g_unlink (label);
  g_rmdir (tmp);
}

static void
make_dirs (const char *root, const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

static void
write_in (const char *root, const char *relative, const char *text)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_class_search_stops_at_dataset_root (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-root-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "my", "labels", "train", "a.txt", NULL);
  g_autofree char *flat = g_build_filename (tmp, "flat", "a.txt", NULL);
  g_autofree char *robo = g_build_filename (tmp, "rf", "train", "labels", "a.txt", NULL);
  g_autofree char *found = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;

  /* Another dataset's YAML beside this one, and a classes.txt above a flat folder. */
  write_in (tmp, "coco.yaml", "names:\n  0: person\n  1: bicycle\n");
  write_in (tmp, "classes.txt", "person\n");
  make_dirs (tmp, "my/images/train");
  make_dirs (tmp, "my/labels/train");
  make_dirs (tmp, "flat");
  write_in (tmp, "my/labels/train/a.txt", "1 0.5 0.5 0.2 0.2\n");
  write_in (tmp, "flat/a.txt", "0 0.5 0.5 0.2 0.2\n");

  found = bm_yolo_find_class_file (label);
  g_assert_null (found);
  found = bm_yolo_find_class_file (flat);
  g_assert_null (found);

  /* Read and saved with its own ids; nothing written outside the dataset. */
  a = bm_yolo_load (label, NULL, 100, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "1");
  move_object (a, 0, 1, 0);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  {
    g_autofree char *classes = read_text (expected = g_build_filename (tmp, "classes.txt", NULL));
    g_autofree char *mine = g_build_filename (tmp, "my", "classes.txt", NULL);

    g_assert_cmpstr (classes, ==, "person\n");
    g_assert_false (g_file_test (mine, G_FILE_TEST_EXISTS));
    g_clear_pointer (&expected, g_free);
  }

  /* The dataset's own list is found: Ultralytics root … */
  write_in (tmp, "my/data.yaml", "names: [a, b]\n");
  found = bm_yolo_find_class_file (label);
  expected = g_build_filename (tmp, "my", "data.yaml", NULL);
  g_assert_cmpstr (found, ==, expected);
  g_clear_pointer (&found, g_free);
  g_clear_pointer (&expected, g_free);

  /* … and Roboflow's ROOT/data.yaml above ROOT/train/labels. */
  make_dirs (tmp, "rf/train/labels");
  make_dirs (tmp, "rf/train/images");
  make_dirs (tmp, "rf/valid/labels");
  write_in (tmp, "rf/data.yaml", "names: [x]\n");
  write_in (tmp, "rf/train/labels/a.txt", "0 0.5 0.5 0.2 0.2\n");
  found = bm_yolo_find_class_file (robo);
  expected = g_build_filename (tmp, "rf", "data.yaml", NULL);
  g_assert_cmpstr (found, ==, expected);

  bm_test_remove_tree (tmp);
}

static void
test_class_list_cache_sees_same_second_rewrite (void)
{
  g_autofree char *image = testdata ("yolo/ultralytics_coco8/images/train/000000000009.jpg");
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-cache-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "a.txt", NULL);
  g_autofree char *classes = g_build_filename (tmp, "classes.txt", NULL);
  struct timespec times[2] = { { 1000000000, 100 }, { 1000000000, 100 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;

  g_assert_true (g_file_set_contents (label, "1 0.5 0.5 0.2 0.2\n", -1, NULL));
  g_assert_true (g_file_set_contents (classes, "aa\nbb\n", -1, NULL));
  g_assert_cmpint (utimensat (AT_FDCWD, classes, times, 0), ==, 0);
  a = bm_yolo_load_for_image (label, image, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "bb");
  g_clear_object (&a);

  /* Same size, same second: still a different file. */
  g_assert_true (g_file_set_contents (classes, "cc\ndd\n", -1, NULL));
  times[0].tv_nsec = times[1].tv_nsec = 200;
  g_assert_cmpint (utimensat (AT_FDCWD, classes, times, 0), ==, 0);
  a = bm_yolo_load_for_image (label, image, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "dd");

  g_unlink (label);
  g_unlink (classes);
  g_rmdir (tmp);
}

static void
test_strict_check_many_rows (void)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GPtrArray) problems = NULL;
  static const guint duplicated[] = { 0, 4242, 99999 };
  guint n_duplicates = 0;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (data, "%u 0.%06u 0.5 0.01 0.01\n", i % 80, i);
  for (guint i = 0; i < G_N_ELEMENTS (duplicated); i++)
    g_string_append_printf (data, "%u 0.%06u 0.5 0.01 0.01\n", duplicated[i] % 80, duplicated[i]);
  /* Equal values written differently are still the same row for Ultralytics. */
  g_string_append (data, "5 0.000005 0.50 0.010 0.01\n");

  problems = bm_yolo_check_data (data->str, data->len, "big.txt", 80);
  for (guint i = 0; i < problems->len; i++)
    {
      BmProblem *problem = problems->pdata[i];

      if (strstr (problem->message, "duplicate") != NULL)
        n_duplicates++;
    }
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_cmpuint (n_duplicates, ==, 4);
  g_assert_cmpint (((BmProblem *) problems->pdata[0])->line, ==, 100001);
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[0])->message, "line 1 "));
  g_assert_cmpint (((BmProblem *) problems->pdata[3])->line, ==, 100004);
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[3])->message, "line 6 "));
}

static void
test_missing_files_are_not_found (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = bm_yolo_check_file ("/nonexistent/boxmark/a.txt", 3, &error);
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmClassList) classes = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-dir-XXXXXX", NULL);

  g_assert_null (problems);
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  a = bm_yolo_load ("/nonexistent/boxmark/a.txt", NULL, 10, 10, &error);
  g_assert_null (a);
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  classes = bm_class_list_load (tmp, &error);
  g_assert_null (classes);
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_rmdir (tmp);
}

static void
test_split_rank_is_stable (void)
{
  g_assert_cmpuint (bm_yolo_split_rank ("a.jpg", 0), ==, bm_yolo_split_rank ("a.jpg", 0));
  g_assert_cmpuint (bm_yolo_split_rank ("a.jpg", 0), !=, bm_yolo_split_rank ("a.jpg", 1));
  g_assert_cmpuint (bm_yolo_split_rank ("a.jpg", 0), !=, bm_yolo_split_rank ("b.jpg", 0));
}

/* classes.txt keeps one line per id even for names a line cannot hold. */
static void
test_txt_keeps_one_line_per_id (void)
{
  g_autoptr(BmClassList) list = bm_class_list_new ();
  g_autoptr(BmClassList) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *made = bm_class_list_make_name ("a\tb\r\nc\x7f");

  g_assert_cmpstr (made, ==, "a\tb  c ");   /* a tab keeps a line a line */
  g_assert_true (bm_class_list_name_fits_a_line ("traffic\tlight"));
  g_assert_false (bm_class_list_name_fits_a_line ("traffic\nlight"));
  g_assert_false (bm_class_list_name_fits_a_line ("traffic\rlight"));
  bm_class_list_add (list, "car");
  bm_class_list_add (list, "traffic\nlight");
  bm_class_list_add (list, "bus");
  g_assert_cmpint (bm_class_list_find_unfit_name (list), ==, 1);
  txt = bm_class_list_to_txt (list);
  g_assert_cmpstr (txt, ==, "car\ntraffic light\nbus\n");
  again = bm_class_list_load_txt_data (txt, strlen (txt), "classes.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (again), ==, 3);
  g_assert_cmpstr (bm_class_list_get_name (again, 2), ==, "bus");
}

/* Ultralytics' save_conf rows (`cls cx cy w h conf`, `cls x1 … y4 conf`) are pre-annotations
 * with their score; an unchanged one is written back as it was, an accepted one loses only its
 * confidence column, a new one gets it, and the strict check says Ultralytics would skip the
 * image while one is left. */
static void
test_confidence_column_is_a_pre_annotation (void)
{
  static const char data[] =
    "0 0.5 0.5 0.2 0.2 0.87\n"
    "1 0.25 0.25 0.1 0.1\n"
    "0 0.6 0.6 0.2 0.2 37\n"
    "1  0.75 0.75 0.1 0.1\t0.5 \n";
  static const char obb[] = "0 0.1 0.1 0.3 0.1 0.3 0.3 0.1 0.3 37\n1 0.1 0.1 0.3 0.1 0.3 0.3 0.1 0.4\n";
  g_autofree char *tmp = g_dir_make_tmp ("bm-yolo-conf-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (tmp, "a.txt", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmAnnotation) again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  BmObject *o;
  BmShape s;

  g_assert_true (g_file_set_contents (label, data, -1, NULL));
  a = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);
  g_assert_false (bm_annotation_is_read_only (a));
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 4);
  o = bm_annotation_get_object (a, 0);
  g_assert_true (bm_object_get_pre_annotation (o));
  g_assert_cmpfloat (bm_object_get_score (o), ==, 0.87);
  g_assert_cmpint (bm_object_get_shape (o)->kind, ==, BM_SHAPE_BOX);
  g_assert_cmpfloat_with_epsilon (bm_object_get_shape (o)->p[2].x, 120, 1e-9);
  g_assert_false (bm_object_get_pre_annotation (bm_annotation_get_object (a, 1)));
  g_assert_false (bm_object_has_score (bm_annotation_get_object (a, 1)));
  o = bm_annotation_get_object (a, 2);
  g_assert_true (bm_object_get_pre_annotation (o));
  g_assert_cmpfloat (bm_object_get_score (o), ==, 37);
  g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (a, 3)), ==, 0.5);

  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  saved = read_text (label);
  g_assert_cmpstr (saved, ==, data);

  /* accept the first and the last (relabelled: its spacing stays), add a new one */
  bm_object_set_pre_annotation (bm_annotation_get_object (a, 0), FALSE);
  bm_object_set_pre_annotation (bm_annotation_get_object (a, 3), FALSE);
  bm_object_set_label (bm_annotation_get_object (a, 3), "0");
  bm_object_set_score (bm_annotation_get_object (a, 2), 41);
  bm_shape_init_box (&s, 0, 0, 100, 50);
  o = bm_object_new ("1", &s);
  bm_object_set_score (o, 12.25);
  bm_object_set_pre_annotation (o, TRUE);
  bm_annotation_add_object (a, o);
  g_object_unref (o);
  g_assert_true (bm_yolo_save (a, label, &error));
  g_assert_no_error (error);
  g_free (saved);
  saved = read_text (label);
  g_assert_cmpstr (saved, ==,
                   "0 0.5 0.5 0.2 0.2\n"
                   "1 0.25 0.25 0.1 0.1\n"
                   "0 0.6 0.6 0.2 0.2 41\n"
                   "0  0.75 0.75 0.1 0.1\n"
                   "1 0.250000 0.250000 0.500000 0.500000 12.25\n");
  again = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);
  g_assert_false (bm_object_get_pre_annotation (bm_annotation_get_object (again, 0)));
  g_assert_true (bm_object_get_pre_annotation (bm_annotation_get_object (again, 4)));
  g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (again, 4)), ==, 12.25);

  /* an OBB row with a confidence: a quadrilateral pre-annotation; accepted, 9 columns */
  g_assert_true (g_file_set_contents (label, obb, -1, NULL));
  g_clear_object (&again);
  again = bm_yolo_load (label, NULL, 200, 100, &error);
  g_assert_no_error (error);
  o = bm_annotation_get_object (again, 0);
  g_assert_cmpint (bm_object_get_shape (o)->kind, ==, BM_SHAPE_QUAD);
  g_assert_true (bm_object_get_pre_annotation (o));
  g_assert_cmpfloat (bm_object_get_score (o), ==, 37);
  g_assert_false (bm_object_get_pre_annotation (bm_annotation_get_object (again, 1)));
  bm_object_set_pre_annotation (o, FALSE);
  g_assert_true (bm_yolo_save (again, label, &error));
  g_free (saved);
  saved = read_text (label);
  g_assert_cmpstr (saved, ==, "0 0.1 0.1 0.3 0.1 0.3 0.3 0.1 0.3\n1 0.1 0.1 0.3 0.1 0.3 0.3 0.1 0.4\n");

  /* Ultralytics would drop the image: the strict check names the rows with a confidence */
  problems = bm_yolo_check_data (data, strlen (data), "a.txt", 2);
  g_assert_cmpuint (problems->len, >=, 3);
  g_assert_cmpint (((BmProblem *) problems->pdata[0])->line, ==, 1);
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[0])->message, "pre-annotation"));

  bm_test_remove_tree (tmp);
}

/* The class ids of rows change and nothing else, on every line the reader sees (\r included);
 * rows of a deleted class go with their line ending. */
static void
test_remap_class_ids (void)
{
  static const char data[] = "3 0.5 0.5 0.2 0.2\r1  0.1 0.1 0.1 0.1\r\n\n3 0.2 0.2 0.1 0.1 0.9\n2 0.3 0.3 0.1 0.1";
  const int merge[] = { 0, 1, 2, 1 };
  const int drop[] = { 0, 1, -1, 2 };
  g_autofree char *merged = NULL, *dropped = NULL, *bad = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gsize length = 0;

  merged = bm_yolo_remap_class_ids (data, strlen (data), "a.txt", merge, 4, &n, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (merged, ==, "1 0.5 0.5 0.2 0.2\r1  0.1 0.1 0.1 0.1\r\n\n1 0.2 0.2 0.1 0.1 0.9\n2 0.3 0.3 0.1 0.1");
  dropped = bm_yolo_remap_class_ids (data, strlen (data), "a.txt", drop, 4, &n, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (dropped, ==, "2 0.5 0.5 0.2 0.2\r1  0.1 0.1 0.1 0.1\r\n\n2 0.2 0.2 0.1 0.1 0.9\n");
  bad = bm_yolo_remap_class_ids ("0 0.1 0.1 0.1 0.1\rx 0.1 0.1 0.1 0.1\r", 36, "b.txt", merge, 4, &n, &length, &error);
  g_assert_null (bad);
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "b.txt:2:"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yolo/class-list/testdata", test_class_lists_from_testdata);
  g_test_add_func ("/yolo/class-list/yaml-forms", test_yaml_forms);
  g_test_add_func ("/yolo/class-list/every-testdata-yaml", test_every_testdata_yaml);
  g_test_add_func ("/yolo/class-list/bad-files", test_bad_class_files);
  g_test_add_func ("/yolo/class-list/written-reads-back", test_yaml_written_reads_back);
  g_test_add_func ("/yolo/class-list/written-escapes-unicode-controls", test_yaml_written_escapes_unicode_controls);
  g_test_add_func ("/yolo/class-list/txt-one-line-per-id", test_txt_keeps_one_line_per_id);
  g_test_add_func ("/yolo/read/coco8", test_read_coco8);
  g_test_add_func ("/yolo/read/segmentation-rows", test_segmentation_rows_become_boxes);
  g_test_add_func ("/yolo/read/bad-rows", test_bad_rows);
  g_test_add_func ("/yolo/check/rules", test_checker_rules);
  g_test_add_func ("/yolo/write/dota-to-obb", test_dota_to_yolo_obb);
  g_test_add_func ("/yolo/write/dota8-round-trip", test_dota8_round_trip);
  g_test_add_func ("/yolo/write/clip-and-enclose", test_rows_clip_and_enclose);
  g_test_add_func ("/yolo/save/roboflow", test_roboflow_layout_and_save);
  g_test_add_func ("/yolo/save/obb-line-endings", test_obb_save_keeps_line_endings);
  g_test_add_func ("/yolo/export/coco8", test_export_coco8);
  g_test_add_func ("/yolo/export/classes-split-empty", test_export_classes_split_and_empty);
  g_test_add_func ("/yolo/export/split-rank", test_split_rank_is_stable);
  g_test_add_func ("/yolo/save/no-class-list-keeps-ids", test_save_without_class_list_keeps_ids);
  g_test_add_func ("/yolo/save/edited-polygon-stays-polygon", test_edited_polygon_stays_polygon);
  g_test_add_func ("/yolo/save/off-the-image-fails", test_object_off_the_image_fails_the_save);
  g_test_add_func ("/yolo/class-list/search-stops-at-root", test_class_search_stops_at_dataset_root);
  g_test_add_func ("/yolo/class-list/cache-same-second", test_class_list_cache_sees_same_second_rewrite);
  g_test_add_func ("/yolo/check/many-rows", test_strict_check_many_rows);
  g_test_add_func ("/yolo/read/missing-files", test_missing_files_are_not_found);
  g_test_add_func ("/yolo/save/confidence-column", test_confidence_column_is_a_pre_annotation);
  g_test_add_func ("/yolo/remap-class-ids", test_remap_class_ids);
  return g_test_run ();
}
