/* test-model.c: the annotation model.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/bm-annotation.h"

static void
count_changed (gpointer instance, gpointer user_data)
{
  (*(int *) user_data)++;
}

static void
test_object_copy_is_deep (void)
{
  BmShape s;
  g_autoptr(BmObject) a = NULL;
  g_autoptr(BmObject) b = NULL;

  bm_shape_init_box (&s, 1, 2, 3, 4);
  a = bm_object_new ("car", &s);
  bm_object_set_attribute (a, "colour", "red");
  bm_object_set_difficult (a, 2);
  bm_object_set_score (a, 0.75);
  bm_object_set_origin (a, 7);
  b = bm_object_copy (a);
  g_assert_true (bm_object_content_equal (a, b));
  g_assert_cmpuint (bm_object_get_origin (b), ==, 7);

  bm_object_set_attribute (b, "colour", "blue");
  g_assert_cmpstr (bm_object_get_attribute (a, "colour"), ==, "red");
  g_assert_false (bm_object_content_equal (a, b));
  bm_object_set_attribute (b, "colour", "red");
  g_assert_true (bm_object_content_equal (a, b));
  bm_object_clear_score (b);
  g_assert_false (bm_object_content_equal (a, b));
}

static void
test_attributes_keep_order (void)
{
  g_autoptr(BmObject) o = bm_object_new ("x", NULL);
  const char *key, *value;

  bm_object_set_attribute (o, "z", "1");
  bm_object_set_attribute (o, "a", "2");
  bm_object_set_attribute (o, "m", "3");
  bm_object_set_attribute (o, "a", NULL);
  g_assert_cmpuint (bm_object_get_n_attributes (o), ==, 2);
  bm_object_get_attribute_nth (o, 1, &key, &value);
  g_assert_cmpstr (key, ==, "m");
  g_assert_cmpstr (value, ==, "3");
}

static void
test_object_changed_signal (void)
{
  g_autoptr(BmObject) o = bm_object_new ("x", NULL);
  int changes = 0;
  BmShape s;

  g_signal_connect (o, "changed", G_CALLBACK (count_changed), &changes);
  bm_object_set_label (o, "y");
  bm_object_set_label (o, "y");
  bm_shape_init_box (&s, 0, 0, 5, 5);
  bm_object_set_shape (o, &s);
  bm_object_set_shape (o, &s);
  g_assert_cmpint (changes, ==, 2);
}

static void
test_annotation_snapshot_restore (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(GPtrArray) snapshot = NULL;
  BmShape s;
  int changes = 0;

  g_signal_connect (ann, "changed", G_CALLBACK (count_changed), &changes);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(BmObject) o = NULL;
      bm_shape_init_box (&s, i, i, i + 10, i + 10);
      o = bm_object_new ("obj", &s);
      bm_annotation_add_object (ann, o);
    }
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 3);
  snapshot = bm_annotation_dup_objects (ann);

  bm_annotation_remove_object (ann, 1);
  bm_object_set_label (bm_annotation_get_object (ann, 0), "changed");
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 2);

  bm_annotation_set_objects (ann, snapshot);
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 3);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (ann, 0)), ==, "obj");
  g_assert_cmpfloat (bm_object_get_shape (bm_annotation_get_object (ann, 1))->p[0].x, ==, 1);
  /* The snapshot stays independent of the restored objects. */
  bm_object_set_label (bm_annotation_get_object (ann, 2), "again");
  g_assert_cmpstr (bm_object_get_label (g_ptr_array_index (snapshot, 2)), ==, "obj");
  g_assert_cmpint (changes, ==, 5);
}

static void
test_problems_make_read_only (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autofree char *text = NULL;
  GPtrArray *problems;

  g_assert_false (bm_annotation_is_read_only (ann));
  bm_annotation_add_problem (ann, bm_problem_new ("a.xml", 12, "empty <name>"));
  g_assert_true (bm_annotation_is_read_only (ann));
  problems = bm_annotation_get_problems (ann);
  g_assert_cmpuint (problems->len, ==, 1);
  text = bm_problem_to_string (g_ptr_array_index (problems, 0));
  g_assert_cmpstr (text, ==, "a.xml:12: empty <name>");
}

static void
test_format_names (void)
{
  BmFormat f = BM_FORMAT_NONE;

  g_assert_true (bm_format_from_string ("DOTA", &f));
  g_assert_cmpint (f, ==, BM_FORMAT_DOTA);
  g_assert_cmpstr (bm_format_to_string (BM_FORMAT_VOC), ==, "voc");
  g_assert_false (bm_format_from_string ("coco", &f));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/object-copy", test_object_copy_is_deep);
  g_test_add_func ("/model/attribute-order", test_attributes_keep_order);
  g_test_add_func ("/model/object-changed", test_object_changed_signal);
  g_test_add_func ("/model/snapshot-restore", test_annotation_snapshot_restore);
  g_test_add_func ("/model/problems-read-only", test_problems_make_read_only);
  g_test_add_func ("/model/format-names", test_format_names);
  return g_test_run ();
}
