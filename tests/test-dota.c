/* test-dota.c: DOTA labelTxt reading and lossless writing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "formats/bm-dota.h"

static char *
testdata (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

/* Every DOTA label file under testdata/dota (not the YOLO-OBB dota8 labels, not the Task1
 * detection results and image lists of the evaluation example). */
static void
collect_dota_files (const char *dir, GPtrArray *files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (strcmp (name, "ultralytics_dota8") != 0 && strcmp (name, "result_classname") != 0)
            collect_dota_files (path, files);
        }
      else if (g_str_has_suffix (name, ".txt") && strcmp (name, "imgnamefile.txt") != 0)
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

static GPtrArray *
all_dota_files (void)
{
  g_autofree char *root = testdata ("dota");
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  collect_dota_files (root, files);
  g_assert_cmpuint (files->len, >=, 20);
  return files;
}

/* An independent re-implementation of DOTA_devkit's parse_dota_poly (dota_utils.py):
 * line.strip().split(' '); fewer than 9 tokens → skipped; tokens 0-7 float(); token 8 the
 * class; difficult = token 9 when there are ≥ 10 tokens, else "0". */
typedef struct
{
  double xy[8];
  char *name;
  char *difficult;
} DevkitObject;

static void
devkit_object_free (DevkitObject *o)
{
  g_free (o->name);
  g_free (o->difficult);
  g_free (o);
}

static GPtrArray *
devkit_parse (const char *contents)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) devkit_object_free);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strdup (lines[i]);
      g_auto(GStrv) parts = NULL;
      DevkitObject *o;

      g_strstrip (stripped);   /* Python's strip(): \r, spaces, tabs */
      parts = g_strsplit (stripped, " ", -1);
      if (g_strv_length (parts) < 9)
        continue;
      o = g_new0 (DevkitObject, 1);
      for (int k = 0; k < 8; k++)
        {
          char *end;

          o->xy[k] = strtod (parts[k], &end);
          g_assert_true (*end == '\0' && end != parts[k]);   /* Python would raise here */
        }
      o->name = g_strdup (parts[8]);
      o->difficult = g_strdup (g_strv_length (parts) >= 10 ? parts[9] : "0");
      g_ptr_array_add (objects, o);
    }
  return objects;
}

static void
test_equals_devkit_parser (void)
{
  g_autoptr(GPtrArray) files = all_dota_files ();
  guint total = 0;

  for (guint f = 0; f < files->len; f++)
    {
      const char *path = files->pdata[f];
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = NULL;
      g_autoptr(GPtrArray) expected = NULL;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      expected = devkit_parse (contents);
      a = bm_dota_load (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (a);
      if (bm_annotation_get_problems (a)->len > 0)
        g_error ("%s: unexpected problems", path);
      g_assert_false (bm_annotation_is_read_only (a));
      g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        {
          DevkitObject *e = expected->pdata[i];
          BmObject *o = bm_annotation_get_object (a, i);
          const BmShape *s = bm_object_get_shape (o);

          g_assert_cmpint (s->kind, ==, BM_SHAPE_QUAD);
          for (int k = 0; k < 4; k++)
            {
              g_assert_cmpfloat (s->p[k].x, ==, e->xy[2 * k]);
              g_assert_cmpfloat (s->p[k].y, ==, e->xy[2 * k + 1]);
            }
          g_assert_cmpstr (bm_object_get_label (o), ==, e->name);
          g_assert_cmpint (bm_object_get_difficult (o), ==, atoi (e->difficult));
          g_assert_cmpuint (bm_object_get_origin (o), ==, i + 1);
        }
      total += expected->len;
    }
  g_test_message ("%u files, %u objects equal parse_dota_poly's", files->len, total);
  g_assert_cmpuint (total, >, 2000);
}

static void
test_unedited_save_is_byte_identical (void)
{
  g_autoptr(GPtrArray) files = all_dota_files ();
  g_autofree char *tmp = g_dir_make_tmp ("bm-dota-XXXXXX", NULL);

  for (guint f = 0; f < files->len; f++)
    {
      g_autofree char *contents = NULL, *saved = NULL, *written = NULL;
      g_autofree char *out = g_build_filename (tmp, "out.txt", NULL);
      gsize length, saved_length, written_length;
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = NULL;

      g_assert_true (g_file_get_contents (files->pdata[f], &contents, &length, NULL));
      a = bm_dota_load_data (contents, length, files->pdata[f], &error);
      g_assert_no_error (error);
      saved = bm_dota_to_data (a, &saved_length, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (saved, saved_length, contents, length);

      g_assert_true (bm_dota_save (a, out, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (out, &written, &written_length, NULL));
      g_assert_cmpmem (written, written_length, contents, length);
      g_unlink (out);
    }
  g_rmdir (tmp);
}

static char *
line_of (const char *text, guint index)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpuint (index, <, g_strv_length (lines));
  return g_strdup (lines[index]);
}

static void
test_edits_touch_only_their_lines (void)
{
  g_autofree char *path = testdata ("dota/dota_devkit_example/labelTxt/P0706.txt");
  g_autofree char *contents = NULL, *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_auto(GStrv) before = NULL, after = NULL;
  BmObject *o;
  BmShape shape;
  double xy[8] = { 1, 2, 3, 4, 5, 6.5, 7, 8 };
  guint n;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  a = bm_dota_load (path, &error);
  g_assert_no_error (error);
  n = bm_annotation_get_n_objects (a);

  /* Object 0 (line 3) relabelled, object 1 (line 4) deleted, one new object appended. */
  o = bm_annotation_get_object (a, 0);
  bm_object_set_label (o, "harbor");
  bm_annotation_remove_object (a, 1);
  bm_shape_init_quad (&shape, xy);
  o = bm_object_new ("plane", &shape);
  bm_annotation_add_object (a, o);
  g_object_unref (o);

  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_no_error (error);
  before = g_strsplit (contents, "\n", -1);
  after = g_strsplit (saved, "\n", -1);
  g_assert_cmpuint (g_strv_length (after), ==, g_strv_length (before));
  g_assert_cmpstr (after[0], ==, "imagesource:GoogleEarth\r");
  g_assert_cmpstr (after[1], ==, "gsd:0.255589285596\r");
  g_assert_cmpstr (after[2], ==, "1054 1028 1063 1011 1111 1040 1112 1062 harbor 1\r");
  for (guint i = 3; i < n + 1; i++)
    g_assert_cmpstr (after[i], ==, before[i + 1]);
  g_assert_cmpstr (after[n + 1], ==, "1 2 3 4 5 6.5 7 8 plane 0\r");
  g_assert_cmpstr (after[n + 2], ==, "");
}

static void
test_number_texts_survive_edits (void)
{
  static const char data[] =
    "1006.0 10.50 1024.0 11.0 1024.0 20.0 1006.0 20.0 small-vehicle 2\n"
    "1 2 3 4 5 6 7 8 ship\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_dota_load_data (data, strlen (data), "t.txt", &error);
  g_autofree char *saved = NULL;
  g_autofree char *first = NULL, *second = NULL;
  BmShape shape;

  g_assert_no_error (error);
  bm_object_set_label (bm_annotation_get_object (a, 0), "large-vehicle");
  shape = *bm_object_get_shape (bm_annotation_get_object (a, 1));
  shape.p[0].x = 1.25;
  bm_object_set_shape (bm_annotation_get_object (a, 1), &shape);
  bm_object_set_difficult (bm_annotation_get_object (a, 1), 1);
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_no_error (error);
  first = line_of (saved, 0);
  second = line_of (saved, 1);
  g_assert_cmpstr (first, ==, "1006.0 10.50 1024.0 11.0 1024.0 20.0 1006.0 20.0 large-vehicle 2");
  g_assert_cmpstr (second, ==, "1.25 2 3 4 5 6 7 8 ship 1");
}

static void
test_bad_lines_are_reported (void)
{
  g_autofree char *path = testdata ("bad/dota_mixed.txt");
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autofree char *saved = NULL;
  GPtrArray *problems;
  static const int bad_lines[] = { 6, 7, 8, 9 };
  static const char *const labels[] = { "ship", "ship", "ship", "harbor" };
  const BmShape *s;

  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  a = bm_dota_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  problems = bm_annotation_get_problems (a);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", text);
      g_assert_true (g_str_has_prefix (text, path));
    }
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (bad_lines));
  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    g_assert_cmpint (((BmProblem *) problems->pdata[i])->line, ==, bad_lines[i]);
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[0])->message, "7"));
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[1])->message, "nan"));
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[2])->message, "3"));
  g_assert_nonnull (strstr (((BmProblem *) problems->pdata[3])->message, "extra tokens"));

  /* The good lines load: the tab-separated one, the double-spaced one, negative coordinates. */
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, G_N_ELEMENTS (labels));
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, i)), ==, labels[i]);
  g_assert_cmpint (bm_object_get_difficult (bm_annotation_get_object (a, 0)), ==, 1);
  g_assert_cmpint (bm_object_get_difficult (bm_annotation_get_object (a, 1)), ==, 0);
  s = bm_object_get_shape (bm_annotation_get_object (a, 1));
  g_assert_cmpfloat (s->p[0].x, ==, 807);
  g_assert_cmpfloat (s->p[0].y, ==, 331);
  s = bm_object_get_shape (bm_annotation_get_object (a, 3));
  g_assert_cmpfloat (s->p[0].x, ==, -5);

  /* Read-only: no save, and the file is untouched. */
  g_assert_true (bm_annotation_is_read_only (a));
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_null (saved);
  g_assert_error (error, BM_ERROR, BM_ERROR_READ_ONLY);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  /* Forced writable, nothing that could not be read is dropped. */
  g_clear_error (&error);
  bm_annotation_set_read_only (a, FALSE);
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==, before);
}

static void
test_headers_and_line_endings (void)
{
  static const char data[] = "imagesource:GF-2\r\ngsd:null\r\n\r\n1 1 2 1 2 2 1 2 plane 0";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_dota_load_data (data, strlen (data), "h.txt", &error);
  g_autofree char *saved = NULL;
  BmObject *o;
  BmShape shape;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 1);
  bm_shape_init_box (&shape, 10, 20, 30, 40);
  o = bm_object_new ("ship", &shape);
  bm_annotation_add_object (a, o);
  g_object_unref (o);
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==,
                   "imagesource:GF-2\r\ngsd:null\r\n\r\n1 1 2 1 2 2 1 2 plane 0\r\n"
                   "10 20 30 20 30 40 10 40 ship 0\r\n");
}

static void
test_byte_order_mark (void)
{
  static const char data[] = "\xEF\xBB\xBF" "1 1 2 1 2 2 1 2 plane 0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_dota_load_data (data, strlen (data), "b.txt", &error);
  g_autofree char *saved = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 1);
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_cmpstr (saved, ==, data);
}

static void
test_labels_with_spaces_are_refused (void)
{
  g_autoptr(BmAnnotation) a = bm_annotation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  BmObject *o;
  BmShape shape;

  bm_shape_init_box (&shape, 1, 2, 3, 4);
  o = bm_object_new ("storage tank", &shape);
  bm_annotation_add_object (a, o);
  g_object_unref (o);
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_null (saved);
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "storage tank"));
}

static void
test_empty_and_garbage_input (void)
{
  static const char *const inputs[] = {
    "", "\n", "   \n\t\n", "gsd:0.1", "1 2 3", "a b c d e f g h i j k",
    "1e400 0 0 0 0 0 0 0 x 0", "0x10 0 0 0 0 0 0 0 x 0", "1 2 3 4 5 6 7 8 \xff\xfe 0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = bm_dota_load_data (inputs[i], strlen (inputs[i]), "g.txt", &error);

      g_assert_no_error (error);
      g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 0);
    }
  {
    static const char nul[] = "1 2 3 4 5 6 7 8 x 0\n1 2\0003 4 5 6 7 8 y 0\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(BmAnnotation) a = bm_dota_load_data (nul, sizeof nul - 1, "n.txt", &error);

    g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 1);
    g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 1);
    g_assert_cmpint (((BmProblem *) bm_annotation_get_problems (a)->pdata[0])->line, ==, 2);
  }
}

/* Missing and unreadable files get the errors every format gives (one shared reader), and a
 * copied object (same origin) is a new line, not a second claim on its original's line. */
static void
test_read_errors_and_copies (void)
{
  static const char data[] = "imagesource:GoogleEarth\n1 2 3 4 5 6 7 8 car 0\n";
  g_autofree char *tmp = g_dir_make_tmp ("bm-dota-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing.txt", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmObject) copy = NULL;

  a = bm_dota_load (missing, &error);
  g_assert_null (a);
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.txt"));
  g_clear_error (&error);
  a = bm_dota_load (tmp, &error);
  g_assert_null (a);
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_clear_error (&error);

  a = bm_dota_load_data (data, strlen (data), "a.txt", &error);
  g_assert_no_error (error);
  copy = bm_object_copy (bm_annotation_get_object (a, 0));
  bm_object_set_label (copy, "bus");
  bm_annotation_insert_object (a, 0, copy);
  saved = bm_dota_to_data (a, NULL, &error);
  g_assert_no_error (error);
  /* The first object claiming origin 1 (the copy, now first) takes the line. */
  g_assert_cmpstr (saved, ==, "imagesource:GoogleEarth\n1 2 3 4 5 6 7 8 bus 0\n1 2 3 4 5 6 7 8 car 0\n");
  g_rmdir (tmp);
}

/* A detector's box stays a pre-annotation across save and reload: its score is an 11th token,
 * which DOTA_devkit's parse_dota_poly ignores (difficult is still token 10). Accepting it drops
 * the token and nothing else; relabelling keeps the rest of the line, separators included. */
static void
test_pre_annotation_score_token (void)
{
  const char text[] =
    "imagesource:GoogleEarth\n"
    "1 1 9 1 9 9 1 9 ship 0 37\n"
    "2.0\t2 8 2 8 8 2 8 plane 1\n"
    "3 3 7 3 7 7 3 7 harbor 0 0.25\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_dota_load_data (text, strlen (text), "p.txt", &error);
  /* (the devkit splits on ' ' only and would raise on the tab line) */
  g_autoptr(GPtrArray) devkit = devkit_parse ("1 1 9 1 9 9 1 9 ship 0 37\n3 3 7 3 7 7 3 7 harbor 0 0.25\n");
  g_autoptr(BmAnnotation) again = NULL;
  g_autofree char *saved = NULL, *accepted = NULL, *added = NULL;
  BmObject *ship, *plane, *harbor, *fresh;
  BmShape shape;
  gsize length;

  g_assert_no_error (error);
  g_assert_false (bm_annotation_is_read_only (a));
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 3);
  ship = bm_annotation_get_object (a, 0);
  plane = bm_annotation_get_object (a, 1);
  harbor = bm_annotation_get_object (a, 2);
  g_assert_true (bm_object_get_pre_annotation (ship));
  g_assert_true (bm_object_has_score (ship));
  g_assert_cmpfloat (bm_object_get_score (ship), ==, 37);
  g_assert_false (bm_object_get_pre_annotation (plane));
  g_assert_false (bm_object_has_score (plane));
  g_assert_cmpfloat (bm_object_get_score (harbor), ==, 0.25);

  /* the devkit reads the same objects, names and difficult */
  g_assert_cmpuint (devkit->len, ==, 2);
  g_assert_cmpstr (((DevkitObject *) devkit->pdata[0])->name, ==, "ship");
  g_assert_cmpstr (((DevkitObject *) devkit->pdata[0])->difficult, ==, "0");
  g_assert_cmpstr (((DevkitObject *) devkit->pdata[1])->name, ==, "harbor");

  saved = bm_dota_to_data (a, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==, text);

  /* accept the ship, relabel the plane (the tab stays), add a new pre-annotation */
  bm_object_set_pre_annotation (ship, FALSE);
  bm_object_set_label (plane, "helicopter");
  {
    double xy[8] = { 10, 10, 14, 10, 14, 12, 10, 12 };
    bm_shape_init_quad (&shape, xy);
  }
  fresh = bm_object_new ("ship", &shape);
  bm_object_set_score (fresh, 12.5);
  bm_object_set_pre_annotation (fresh, TRUE);
  bm_annotation_add_object (a, fresh);
  g_object_unref (fresh);
  accepted = bm_dota_to_data (a, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (accepted, ==,
                   "imagesource:GoogleEarth\n"
                   "1 1 9 1 9 9 1 9 ship 0\n"
                   "2.0\t2 8 2 8 8 2 8 helicopter 1\n"
                   "3 3 7 3 7 7 3 7 harbor 0 0.25\n"
                   "10 10 14 10 14 12 10 12 ship 0 12.5\n");

  again = bm_dota_load_data (accepted, length, "p.txt", &error);
  g_assert_no_error (error);
  g_assert_false (bm_object_get_pre_annotation (bm_annotation_get_object (again, 0)));
  g_assert_true (bm_object_get_pre_annotation (bm_annotation_get_object (again, 3)));
  g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (again, 3)), ==, 12.5);

  /* a score that changes is written again; the harbor's other tokens stay */
  bm_object_set_score (harbor, 3);
  added = bm_dota_to_data (a, &length, &error);
  g_assert_nonnull (strstr (added, "\n3 3 7 3 7 7 3 7 harbor 0 3\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dota/equals-devkit-parser", test_equals_devkit_parser);
  g_test_add_func ("/dota/unedited-save-byte-identical", test_unedited_save_is_byte_identical);
  g_test_add_func ("/dota/edits-touch-only-their-lines", test_edits_touch_only_their_lines);
  g_test_add_func ("/dota/number-texts-survive-edits", test_number_texts_survive_edits);
  g_test_add_func ("/dota/bad-lines-reported", test_bad_lines_are_reported);
  g_test_add_func ("/dota/headers-and-line-endings", test_headers_and_line_endings);
  g_test_add_func ("/dota/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/dota/labels-with-spaces-refused", test_labels_with_spaces_are_refused);
  g_test_add_func ("/dota/empty-and-garbage-input", test_empty_and_garbage_input);
  g_test_add_func ("/dota/read-errors-and-copies", test_read_errors_and_copies);
  g_test_add_func ("/dota/pre-annotation-score-token", test_pre_annotation_score_token);
  return g_test_run ();
}
