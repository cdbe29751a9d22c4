/* test-history.c: unlimited undo/redo and the dirty flag.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "core/bm-editor.h"
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

/* Every field a label file can hold, per object in order, and the verified flag: two equal dumps
 * save to the same bytes. %a keeps doubles exact. */
static char *
dump (BmAnnotation *ann)
{
  GString *out = g_string_new (bm_annotation_get_verified (ann) ? "verified\n" : "not verified\n");

  for (guint i = 0; i < bm_annotation_get_n_objects (ann); i++)
    {
      BmObject *o = bm_annotation_get_object (ann, i);
      const BmShape *s = bm_object_get_shape (o);

      g_string_append_printf (out, "%u %s kind=%d", i, bm_object_get_label (o), (int) s->kind);
      for (int k = 0; k < 4; k++)
        g_string_append_printf (out, " (%a,%a)", s->p[k].x, s->p[k].y);
      g_string_append_printf (out, " d=%d t=%d o=%d pre=%d origin=%u", bm_object_get_difficult (o),
                              bm_object_get_truncated (o), bm_object_get_occluded (o),
                              bm_object_get_pre_annotation (o), bm_object_get_origin (o));
      if (bm_object_has_score (o))
        g_string_append_printf (out, " score=%a", bm_object_get_score (o));
      for (guint a = 0; a < bm_object_get_n_attributes (o); a++)
        {
          const char *key, *value;

          bm_object_get_attribute_nth (o, a, &key, &value);
          g_string_append_printf (out, " %s=%s", key, value);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static BmObject *
random_object (GRand *rand, guint i)
{
  static const char *const labels[] = { "car", "bus", "plane", "ship", "中文" };
  double cx = g_rand_double_range (rand, 50, 950), cy = g_rand_double_range (rand, 50, 950);
  double w = g_rand_double_range (rand, 8, 60), h = g_rand_double_range (rand, 8, 60);
  BmObject *object;
  BmShape shape;

  if (i % 3 == 0)
    bm_shape_init_box (&shape, round (cx - w / 2), round (cy - h / 2), round (cx + w / 2), round (cy + h / 2));
  else if (i % 3 == 1)
    bm_shape_init_rotated (&shape, cx, cy, w, h, g_rand_double_range (rand, -1.5, 1.5));
  else
    {
      double xy[8] = { cx - w / 2, cy - h / 2, cx + w / 2, cy - h / 3, cx + w / 3, cy + h / 2, cx - w / 2, cy + h / 3 };

      bm_shape_init_quad (&shape, xy);
    }
  object = bm_object_new (labels[g_rand_int_range (rand, 0, G_N_ELEMENTS (labels))], &shape);
  bm_object_set_origin (object, i + 1);
  bm_object_set_difficult (object, g_rand_int_range (rand, 0, 3));
  bm_object_set_truncated (object, g_rand_boolean (rand));
  if (g_rand_int_range (rand, 0, 4) == 0)
    {
      bm_object_set_pre_annotation (object, TRUE);
      bm_object_set_score (object, g_rand_double_range (rand, 0, 1));
    }
  if (g_rand_int_range (rand, 0, 5) == 0)
    bm_object_set_attribute (object, "pose", "Left");
  return object;
}

static void
select_some (BmEditor *editor, GRand *rand)
{
  guint n = bm_annotation_get_n_objects (bm_editor_get_annotation (editor));
  guint count = g_rand_int_range (rand, 0, 4) == 0 ? (guint) g_rand_int_range (rand, 2, 40) : 1;

  bm_editor_select (editor, -1);
  if (n == 0)
    return;
  bm_editor_select (editor, g_rand_int_range (rand, 0, (int) n));
  for (guint k = 1; k < count; k++)
    {
      guint index = (guint) g_rand_int_range (rand, 0, (int) n);

      if (!bm_editor_is_selected (editor, index))
        bm_editor_toggle_selected (editor, index);
    }
}

/* One random edit through the editor, as a labeler makes them; FALSE when it changed nothing. */
static gboolean
random_edit (BmEditor *editor, GRand *rand, guint step)
{
  BmAnnotation *ann = bm_editor_get_annotation (editor);
  int primary;

  select_some (editor, rand);
  primary = bm_editor_get_primary (editor);
  if (primary < 0)
    return FALSE;
  switch (g_rand_int_range (rand, 0, 13))
    {
    case 0:
      return bm_editor_move_selected (editor, g_rand_int_range (rand, -5, 6), g_rand_int_range (rand, -5, 6));
    case 1:
      return bm_editor_set_label_selected (editor, step % 2 ? "truck" : "car");
    case 2:
      return bm_editor_set_difficult_selected (editor, g_rand_int_range (rand, 0, 3));
    case 3:
      return bm_editor_rotate_selected (editor, 0.1);
    case 4:
      {
        const BmShape *s = bm_object_get_shape (bm_annotation_get_object (ann, (guint) primary));

        return bm_editor_resize (editor, (guint) primary, BM_HANDLE_CORNER, 2, s->p[2].x + 4, s->p[2].y + 3);
      }
    case 5:
      {
        const BmShape *s = bm_object_get_shape (bm_annotation_get_object (ann, (guint) primary));
        BmPoint c = bm_shape_centre (s);
        BmHit hit = { primary, BM_HANDLE_BODY, 0 };

        if (!bm_editor_begin_drag (editor, &hit, c.x, c.y))
          return FALSE;
        for (int k = 1; k <= 5; k++)
          bm_editor_update_drag (editor, c.x + 2 * k, c.y - k);
        bm_editor_end_drag (editor);
        return TRUE;
      }
    case 6:
      {
        g_autoptr(BmObject) object = random_object (rand, 5000 + step);

        return bm_editor_add_object (editor, object) >= 0;
      }
    case 7:
      return bm_editor_duplicate_selected (editor, 10);
    case 8:
    case 9:
      return bm_editor_delete_selected (editor);
    case 10:
      {
        g_autoptr(GPtrArray) clipboard = bm_editor_copy_selected (editor);

        return bm_editor_paste (editor, clipboard, 10) > 0;
      }
    case 11:
      return bm_editor_set_truncated_selected (editor, g_rand_boolean (rand)) ||
             bm_editor_set_occluded_selected (editor, g_rand_boolean (rand));
    default:
      return bm_editor_accept_selected (editor);
    }
}

/* Random edits through BmEditor, each undone and redone: every state comes back exactly, and a
 * step keeps only the objects its edit touched. */
static void
test_editor_steps_exact (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmEditor) editor = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  guint n_objects, n_positions, n_steps, edits = 0;

  bm_annotation_set_size (ann, 1000, 1000, 3);
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(BmObject) object = random_object (rand, i);

      bm_annotation_add_object (ann, object);
    }
  editor = bm_editor_new (ann);
  g_ptr_array_add (states, dump (ann));
  for (guint i = 0; i < 300; i++)
    if (random_edit (editor, rand, i))
      {
        g_ptr_array_add (states, dump (ann));
        edits++;
      }
  g_assert_cmpuint (edits, >, 200);
  g_assert_cmpuint (bm_history_get_n_undo (bm_editor_get_history (editor)), ==, edits);
  /* Hundreds of steps on 400 objects keep about as many objects as the edits touched, not
   * hundreds of copies of all of them. */
  bm_history_get_footprint (bm_editor_get_history (editor), &n_steps, &n_objects, &n_positions);
  g_assert_cmpuint (n_steps, ==, edits);
  g_assert_cmpuint (n_objects, <, edits * 10);

  for (guint i = states->len - 1; i > 0; i--)
    {
      g_autofree char *now = dump (ann);

      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i));
      g_assert_true (bm_editor_undo (editor));
    }
  {
    g_autofree char *first = dump (ann);

    g_assert_cmpstr (first, ==, g_ptr_array_index (states, 0));
    g_assert_false (bm_editor_undo (editor));
  }
  for (guint i = 1; i < states->len; i++)
    {
      g_autofree char *now = NULL;

      g_assert_true (bm_editor_redo (editor));
      now = dump (ann);
      g_assert_cmpstr (now, ==, g_ptr_array_index (states, i));
    }
  g_assert_false (bm_editor_redo (editor));

  /* Back half way, then a new edit: the redo list goes, and undo still returns exactly. */
  for (guint i = 0; i < edits / 2; i++)
    g_assert_true (bm_editor_undo (editor));
  {
    guint at = states->len - 1 - edits / 2;
    g_autofree char *before = dump (ann);
    g_autofree char *after = NULL;

    g_assert_cmpstr (before, ==, g_ptr_array_index (states, at));
    bm_editor_select_all (editor);
    g_assert_true (bm_editor_set_label_selected (editor, "everything"));
    g_assert_false (bm_editor_redo (editor));
    after = dump (ann);
    g_assert_cmpstr (after, !=, before);
    g_assert_true (bm_editor_undo (editor));
    g_clear_pointer (&after, g_free);
    after = dump (ann);
    g_assert_cmpstr (after, ==, before);
  }
}

/* One edit on a large image keeps one object, whatever the number of objects. */
static void
test_step_keeps_what_changed (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmEditor) editor = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *again = NULL;
  guint n_objects, n_positions;

  bm_annotation_set_size (ann, 1000, 1000, 3);
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(BmObject) object = random_object (rand, i);

      bm_annotation_add_object (ann, object);
    }
  editor = bm_editor_new (ann);
  before = dump (ann);
  bm_editor_select (editor, 2500);
  g_assert_true (bm_editor_set_label_selected (editor, "bus-changed"));
  bm_history_get_footprint (bm_editor_get_history (editor), NULL, &n_objects, &n_positions);
  g_assert_cmpuint (n_objects, ==, 1);
  g_assert_cmpuint (n_positions, ==, 1);
  after = dump (ann);

  bm_editor_select (editor, 10);
  bm_editor_toggle_selected (editor, 4000);
  g_assert_true (bm_editor_delete_selected (editor));
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 4998);
  bm_history_get_footprint (bm_editor_get_history (editor), NULL, &n_objects, NULL);
  g_assert_cmpuint (n_objects, ==, 3);

  g_assert_true (bm_editor_undo (editor));
  again = dump (ann);
  g_assert_cmpstr (again, ==, after);
  g_assert_true (bm_editor_undo (editor));
  g_clear_pointer (&again, g_free);
  again = dump (ann);
  g_assert_cmpstr (again, ==, before);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (ann, 2500)), !=, "bus-changed");
}

/* The three kinds of steps on BmHistory directly, and a full step mixed in. */
static void
test_record_kinds (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmHistory) history = bm_history_new (ann);
  g_autofree char *s0 = NULL, *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
  const guint inserted[] = { 0, 2, 5 };
  const guint removed[] = { 1, 3 };
  const guint changed[] = { 0, 4 };
  g_autoptr(BmObject) a = box ("new-a", 100);
  g_autoptr(BmObject) b = box ("new-b", 200);
  g_autoptr(BmObject) c = box ("new-c", 300);
  BmObject *objects[] = { a, b, c };

  for (int i = 0; i < 4; i++)
    add_box (ann, "old", i);
  s0 = dump (ann);

  bm_history_record_insertions (history, inserted, 3);
  bm_annotation_splice_objects (ann, NULL, 0, NULL, inserted, objects, 3);
  s1 = dump (ann);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (ann, 2)), ==, "new-b");
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (ann, 5)), ==, "new-c");

  bm_history_record_removals (history, removed, 2);
  bm_annotation_splice_objects (ann, removed, 2, NULL, NULL, NULL, 0);
  s2 = dump (ann);
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 5);

  bm_history_record_changes (history, changed, 2);
  bm_object_set_label (bm_annotation_get_object (ann, 0), "changed");
  bm_object_set_difficult (bm_annotation_get_object (ann, 4), 1);
  s3 = dump (ann);

  bm_history_record (history);
  bm_annotation_remove_object (ann, 0);
  bm_annotation_set_verified (ann, TRUE);
  s4 = dump (ann);

  for (int round = 0; round < 2; round++)
    {
      const char *expected[] = { s3, s2, s1, s0 };
      g_autofree char *now = NULL;

      for (int k = 0; k < 4; k++)
        {
          g_assert_true (bm_history_undo (history));
          g_clear_pointer (&now, g_free);
          now = dump (ann);
          g_assert_cmpstr (now, ==, expected[k]);
        }
      g_assert_false (bm_history_undo (history));
      for (int k = 0; k < 4; k++)
        g_assert_true (bm_history_redo (history));
      g_clear_pointer (&now, g_free);
      now = dump (ann);
      g_assert_cmpstr (now, ==, s4);
    }
}

/* Objects added without a step: an undo whose positions no longer exist is refused, not applied
 * to the wrong objects. */
static void
test_unrecorded_change_refused (void)
{
  g_autoptr(BmAnnotation) ann = bm_annotation_new ();
  g_autoptr(BmHistory) history = bm_history_new (ann);
  const guint removed[] = { 2 };

  for (int i = 0; i < 3; i++)
    add_box (ann, "a", i);
  bm_history_record_removals (history, removed, 1);
  bm_annotation_remove_object (ann, 2);
  bm_annotation_remove_object (ann, 0);
  bm_annotation_remove_object (ann, 0);
  bm_history_record_removals (history, NULL, 0);
  /* The second step (nothing removed) undoes; the first would put an object at 2 of 1. */
  g_assert_true (bm_history_undo (history));
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*without an undo step*");
  g_assert_false (bm_history_undo (history));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (bm_annotation_get_n_objects (ann), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/many-steps", test_undo_redo_many_steps);
  g_test_add_func ("/history/edit-in-place", test_undo_edit_in_place);
  g_test_add_func ("/history/redo-cleared", test_new_edit_clears_redo);
  g_test_add_func ("/history/dirty", test_dirty_follows_saved_state);
  g_test_add_func ("/history/record-kinds", test_record_kinds);
  g_test_add_func ("/history/step-keeps-what-changed", test_step_keeps_what_changed);
  g_test_add_func ("/history/editor-steps-exact", test_editor_steps_exact);
  g_test_add_func ("/history/unrecorded-change-refused", test_unrecorded_change_refused);
  return g_test_run ();
}
