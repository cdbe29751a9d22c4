/* test-history.c: unlimited undo/redo and the dirty flag.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/bm-history.h"

static BmObject *
box (const char *label, double x)
{
  BmShape s;

  bm_shape_init_box (&s, x, x, x + 10, x + 10);
  return bm_object_new (label, &s);
}

static void
add_box (BmAnnotation *ann, const char *label, double x)
{
  g_autoptr(BmObject) o = box (label, x);

  bm_annotation_add_object (ann, o);
}

static void
test_undo_redo_many_steps (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmHistory) history = bm_history_new (ann);

  g_assert_false (bm_history_can_undo (history));
  for (int i = 0; i < 500; i++)
    {
      bm_history_record (history);
      add_box (ann, "car", i);
    }
  g_assert_cmpuint (bm_history_get_n_undo (history), ==, 500);
  for (int i = 0; i < 500; i++)
    g_assert_true (bm_history_undo (history));
  g_assert_false (bm_history_undo (history));
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 0);
  for (int i = 0; i < 500; i++)
    g_assert_true (bm_history_redo (history));
  g_assert_false (bm_history_redo (history));
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 500);
  g_assert_cmpfloat (bm_object_get_shape (bm_annotation_get_object (ann, 499))->p[0].x, ==, 499);
}

static void
test_undo_edit_in_place (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmHistory) history = NULL;
  BmShape moved;

  add_box (ann, "car", 0);
  history = bm_history_new (ann);
  bm_history_record (history);
  bm_shape_init_box (&moved, 5, 5, 15, 15);
  bm_object_set_shape (bm_annotation_get_object (ann, 0), &moved);
  bm_history_record (history);
  bm_object_set_label (bm_annotation_get_object (ann, 0), "bus");
  bm_history_record (history);
  bm_annotation_set_verified (ann, TRUE);

  g_assert_true (bm_history_undo (history));
  g_assert_false (bm_annotation_get_verified (ann));
  g_assert_true (bm_history_undo (history));
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (ann, 0)), ==, "car");
  g_assert_cmpfloat (bm_object_get_shape (bm_annotation_get_object (ann, 0))->p[0].x, ==, 5);
  g_assert_true (bm_history_undo (history));
  g_assert_cmpfloat (bm_object_get_shape (bm_annotation_get_object (ann, 0))->p[0].x, ==, 0);
  g_assert_true (bm_history_redo (history));
  g_assert_cmpfloat (bm_object_get_shape (bm_annotation_get_object (ann, 0))->p[0].x, ==, 5);
}

static void
test_new_edit_clears_redo (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmHistory) history = bm_history_new (ann);

  bm_history_record (history);
  add_box (ann, "a", 0);
  g_assert_true (bm_history_undo (history));
  g_assert_true (bm_history_can_redo (history));
  bm_history_record (history);
  add_box (ann, "b", 1);
  g_assert_false (bm_history_can_redo (history));
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (ann, 0)), ==, "b");
}

static void
test_dirty_follows_saved_state (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmHistory) history = bm_history_new (ann);

  g_assert_false (bm_history_is_dirty (history));
  bm_history_record (history);
  add_box (ann, "a", 0);
  g_assert_true (bm_history_is_dirty (history));
  bm_history_mark_saved (history);
  g_assert_false (bm_history_is_dirty (history));
  bm_history_record (history);
  add_box (ann, "b", 1);
  g_assert_true (bm_history_is_dirty (history));
  bm_history_undo (history);
  g_assert_false (bm_history_is_dirty (history));
  bm_history_undo (history);
  g_assert_true (bm_history_is_dirty (history));
  bm_history_redo (history);
  g_assert_false (bm_history_is_dirty (history));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/many-steps", test_undo_redo_many_steps);
  g_test_add_func ("/history/edit-in-place", test_undo_edit_in_place);
  g_test_add_func ("/history/redo-cleared", test_new_edit_clears_redo);
  g_test_add_func ("/history/dirty", test_dirty_follows_saved_state);
  return g_test_run ();
}
