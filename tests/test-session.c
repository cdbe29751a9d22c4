/* test-session.c: BmSession without a display — dirty from the editor's history only, saving,
 * the save policy, verifying, unreadable label files, jobs and the session's GActions; the
 * review-search rules and the pre-annotation batch items of dataset/.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "dataset/bm-preannotate-run.h"
#include "dataset/bm-review-search.h"
#include "dataset/bm-session.h"
#include "formats/bm-label-io.h"
#include "bm-test-util.h"

typedef struct
{
  char *dir;
  BmDataset *dataset;
  BmSession *session;
  guint n_saved;
  guint saved_index;
  guint n_dirty_notified;
  guint n_busy_notified;
} Fixture;

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, &error));
  g_assert_no_error (error);
}

/* A flat folder: raccoon-1 and raccoon-10 (VOC, raccoon-1 verified), and broken.jpg whose label
 * file is not XML. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  const char *testdata = g_getenv ("BM_TESTDATA");
  const char *stems[] = { "raccoon-1", "raccoon-10" };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("boxmark-session-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (stems); i++)
    {
      g_autofree char *image = g_strdup_printf ("%s/voc/raccoon_labelimg/images/%s.jpg", testdata, stems[i]);
      g_autofree char *label = g_strdup_printf ("%s/voc/raccoon_labelimg/annotations/%s.xml", testdata, stems[i]);
      g_autofree char *image_to = g_strdup_printf ("%s/%s.jpg", f->dir, stems[i]);
      g_autofree char *label_to = g_strdup_printf ("%s/%s.xml", f->dir, stems[i]);

      copy_file (image, image_to);
      copy_file (label, label_to);
    }
  {
    g_autofree char *image = g_strdup_printf ("%s/voc/raccoon_labelimg/images/raccoon-1.jpg", testdata);
    g_autofree char *image_to = g_build_filename (f->dir, "raccoon-2.jpg", NULL);
    g_autofree char *label_to = g_build_filename (f->dir, "raccoon-2.xml", NULL);

    copy_file (image, image_to);
    g_assert_true (g_file_set_contents (label_to, "<annotation><object>", -1, &error));
  }
  f->dataset = bm_dataset_open (f->dir, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_dataset_get_n_items (f->dataset), ==, 3);
  f->session = bm_session_new ();
  bm_session_set_dataset (f->session, f->dataset);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->dataset);
  bm_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Natural order: raccoon-1, raccoon-2 (broken), raccoon-10. */
static guint
index_of (Fixture *f, const char *stem)
{
  g_autofree char *image = g_strdup_printf ("%s/%s.jpg", f->dir, stem);
  int index = bm_dataset_find_image (f->dataset, image);

  g_assert_cmpint (index, >=, 0);
  return (guint) index;
}

static void
show (Fixture *f, const char *stem, gboolean image_shown)
{
  guint index = index_of (f, stem);
  g_autofree char *label_error = NULL;
  g_autoptr(BmAnnotation) annotation = bm_session_load_labels (f->dataset, index, &label_error);

  bm_session_set_item (f->session, index, annotation, image_shown, label_error);
  g_assert_cmpint (bm_session_get_current_index (f->session), ==, (int) index);
  g_assert_true (bm_session_get_annotation (f->session) == annotation);
}

static guint
objects_on_disk (Fixture *f, const char *stem)
{
  const BmDatasetItem *item = bm_dataset_get_item (f->dataset, index_of (f, stem));
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = bm_label_load (item, &error);

  g_assert_no_error (error);
  return bm_annotation_get_n_objects (annotation);
}

static gboolean
verified_on_disk (Fixture *f, const char *stem)
{
  const BmDatasetItem *item = bm_dataset_get_item (f->dataset, index_of (f, stem));
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = bm_label_load (item, &error);

  g_assert_no_error (error);
  return bm_annotation_get_verified (annotation);
}

static void
add_box (Fixture *f, double x)
{
  BmShape shape;
  g_autoptr(BmObject) object = NULL;

  bm_shape_init_box (&shape, x, 10, x + 50, 60);
  object = bm_object_new ("raccoon", &shape);
  g_assert_cmpint (bm_editor_add_object (bm_session_get_editor (f->session), object), >=, 0);
}

static void
saved_cb (BmSession *session, guint index, BmAnnotation *annotation, Fixture *f)
{
  g_assert_true (annotation == bm_session_get_annotation (session));
  f->n_saved++;
  f->saved_index = index;
}

static void
dirty_notified_cb (Fixture *f)
{
  f->n_dirty_notified++;
}

static gboolean
action_enabled (Fixture *f, const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (f->session), name);
}

/* Edits, undo and redo make the labels dirty and clean again; a save writes them and says so. */
static void
test_dirty_follows_history (Fixture *f, gconstpointer data)
{
  BmEditor *editor;

  g_signal_connect (f->session, "saved", G_CALLBACK (saved_cb), f);
  g_signal_connect_swapped (f->session, "notify::dirty", G_CALLBACK (dirty_notified_cb), f);
  show (f, "raccoon-10", TRUE);
  editor = bm_session_get_editor (f->session);
  g_assert_nonnull (editor);
  g_assert_true (bm_session_get_can_edit (f->session));
  g_assert_false (bm_session_get_dirty (f->session));
  g_assert_false (action_enabled (f, "save"));
  g_assert_cmpuint (objects_on_disk (f, "raccoon-10"), ==, 1);

  add_box (f, 10);
  g_assert_true (bm_session_get_dirty (f->session));
  g_assert_true (bm_session_get_can_save (f->session));
  g_assert_true (action_enabled (f, "save"));
  g_assert_true (action_enabled (f, "discard-changes"));
  g_assert_cmpuint (f->n_dirty_notified, ==, 1);

  /* Undo back to the file's state is clean; redo is dirty again. */
  g_assert_true (bm_editor_undo (editor));
  g_assert_false (bm_session_get_dirty (f->session));
  g_assert_false (action_enabled (f, "save"));
  g_assert_true (bm_editor_redo (editor));
  g_assert_true (bm_session_get_dirty (f->session));
  g_assert_cmpuint (f->n_dirty_notified, ==, 3);

  /* The session's save action writes the file. */
  g_action_group_activate_action (G_ACTION_GROUP (f->session), "save", NULL);
  g_assert_false (bm_session_get_dirty (f->session));
  g_assert_null (bm_session_get_save_error (f->session));
  g_assert_cmpuint (f->n_saved, ==, 1);
  g_assert_cmpuint (f->saved_index, ==, index_of (f, "raccoon-10"));
  g_assert_cmpuint (objects_on_disk (f, "raccoon-10"), ==, 2);

  /* Undo after a save makes it dirty: the file has the box. */
  g_assert_true (bm_editor_undo (editor));
  g_assert_true (bm_session_get_dirty (f->session));
  g_assert_true (bm_session_save_if_dirty (f->session));
  g_assert_cmpuint (objects_on_disk (f, "raccoon-10"), ==, 1);
  g_assert_cmpuint (f->n_saved, ==, 2);
}

/* A save that fails keeps the edit in memory and dirty, also when undone to the state last
 * saved, until a save works or the user discards the changes. */
static void
test_failed_save_stays_dirty (Fixture *f, gconstpointer data)
{
  const BmDatasetItem *item;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->session, "saved", G_CALLBACK (saved_cb), f);
  show (f, "raccoon-10", TRUE);
  item = bm_dataset_get_item (f->dataset, index_of (f, "raccoon-10"));
  /* Another program changes the file: Boxmark must not overwrite it. */
  g_assert_true (g_file_get_contents (item->label_path, &contents, NULL, &error));
  {
    g_autofree char *changed = g_strconcat (contents, "<!-- changed elsewhere -->\n", NULL);

    g_assert_true (g_file_set_contents (item->label_path, changed, -1, &error));
  }
  add_box (f, 10);
  g_assert_false (bm_session_save (f->session));
  g_assert_nonnull (bm_session_get_save_error (f->session));
  g_assert_true (bm_session_get_dirty (f->session));
  g_assert_cmpuint (f->n_saved, ==, 0);

  g_assert_true (bm_editor_undo (bm_session_get_editor (f->session)));
  g_assert_true (bm_session_get_dirty (f->session));
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_FAILED);

  bm_session_discard_changes (f->session);
  g_assert_false (bm_session_get_dirty (f->session));
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_OK);
  /* The other program's change is still there. */
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (item->label_path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "changed elsewhere"));

  /* Another image: no save error any more. */
  show (f, "raccoon-1", TRUE);
  g_assert_null (bm_session_get_save_error (f->session));
}

/* With auto-save, leaving saves; without, it says to ask, and the file is left alone. */
static void
test_save_policy (Fixture *f, gconstpointer data)
{
  g_assert_true (bm_session_get_auto_save (f->session));
  show (f, "raccoon-10", TRUE);
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_OK);
  add_box (f, 10);
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_OK);
  g_assert_false (bm_session_get_dirty (f->session));
  g_assert_cmpuint (objects_on_disk (f, "raccoon-10"), ==, 2);

  g_action_group_change_action_state (G_ACTION_GROUP (f->session), "auto-save", g_variant_new_boolean (FALSE));
  g_assert_false (bm_session_get_auto_save (f->session));
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_OK);
  add_box (f, 100);
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_ASK);
  g_assert_true (bm_session_get_dirty (f->session));
  g_assert_cmpuint (objects_on_disk (f, "raccoon-10"), ==, 2);
  g_object_set (f->session, "auto-save", TRUE, NULL);
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_OK);
  g_assert_cmpuint (objects_on_disk (f, "raccoon-10"), ==, 3);
}

/* Verifying saves at once and is possible only with the image on screen. */
static void
test_verified (Fixture *f, gconstpointer data)
{
  GVariant *state;

  /* raccoon-10.xml says verified="yes". */
  show (f, "raccoon-10", FALSE);
  g_assert_true (bm_session_get_verified (f->session));
  g_assert_null (bm_session_get_editor (f->session));
  g_assert_false (bm_session_get_can_edit (f->session));
  g_assert_false (action_enabled (f, "toggle-verified"));
  g_assert_false (bm_session_set_verified (f->session, FALSE));
  g_assert_true (verified_on_disk (f, "raccoon-10"));

  show (f, "raccoon-10", TRUE);
  g_assert_true (action_enabled (f, "toggle-verified"));
  g_action_group_activate_action (G_ACTION_GROUP (f->session), "toggle-verified", NULL);
  g_assert_false (bm_session_get_verified (f->session));
  g_assert_false (bm_session_get_dirty (f->session));
  g_assert_false (verified_on_disk (f, "raccoon-10"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (f->session), "toggle-verified");
  g_assert_false (g_variant_get_boolean (state));
  g_variant_unref (state);

  g_object_set (f->session, "verified", TRUE, NULL);
  g_assert_true (verified_on_disk (f, "raccoon-10"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (f->session), "toggle-verified");
  g_assert_true (g_variant_get_boolean (state));
  g_variant_unref (state);
  /* Not an undo step: undo has nothing to take back. */
  g_assert_false (bm_editor_undo (bm_session_get_editor (f->session)));
}

/* A label file that cannot be read is shown read-only with the reason, and never saved. */
static void
test_unreadable_labels (Fixture *f, gconstpointer data)
{
  const BmDatasetItem *item = bm_dataset_get_item (f->dataset, index_of (f, "raccoon-2"));
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_get_contents (item->label_path, &before, NULL, NULL));
  show (f, "raccoon-2", TRUE);
  g_assert_nonnull (bm_session_get_label_error (f->session));
  g_assert_true (bm_annotation_is_read_only (bm_session_get_annotation (f->session)));
  g_assert_false (bm_session_get_can_edit (f->session));
  g_assert_false (bm_session_set_verified (f->session, TRUE));
  g_assert_false (bm_session_save (f->session));
  g_assert_cmpint (bm_session_prepare_leave (f->session), ==, BM_SESSION_LEAVE_OK);
  g_assert_true (g_file_get_contents (item->label_path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  bm_session_clear_item (f->session);
  g_assert_cmpint (bm_session_get_current_index (f->session), ==, -1);
  g_assert_null (bm_session_get_label_error (f->session));
  g_assert_null (bm_session_get_annotation (f->session));
}

static void
busy_notified_cb (Fixture *f)
{
  f->n_busy_notified++;
}

/* Jobs make the session busy; beginning one again cancels the one it replaces. */
static void
test_jobs (Fixture *f, gconstpointer data)
{
  GCancellable *first, *second;

  g_signal_connect_swapped (f->session, "notify::busy", G_CALLBACK (busy_notified_cb), f);
  g_assert_false (bm_session_get_busy (f->session));
  first = g_object_ref (bm_session_begin_job (f->session, BM_SESSION_JOB_LOAD));
  g_assert_true (bm_session_get_busy (f->session));
  g_assert_true (bm_session_is_running (f->session, BM_SESSION_JOB_LOAD));
  g_assert_false (bm_session_is_running (f->session, BM_SESSION_JOB_EXPORT));
  g_assert_cmpuint (f->n_busy_notified, ==, 1);

  second = bm_session_begin_job (f->session, BM_SESSION_JOB_LOAD);
  g_assert_true (g_cancellable_is_cancelled (first));
  g_assert_false (g_cancellable_is_cancelled (second));
  g_assert_true (bm_session_get_job_cancellable (f->session, BM_SESSION_JOB_LOAD) == second);

  bm_session_begin_job (f->session, BM_SESSION_JOB_EXPORT);
  bm_session_end_job (f->session, BM_SESSION_JOB_LOAD);
  g_assert_true (bm_session_get_busy (f->session));
  g_assert_cmpuint (f->n_busy_notified, ==, 1);
  bm_session_cancel_job (f->session, BM_SESSION_JOB_EXPORT);
  g_assert_false (bm_session_get_busy (f->session));
  g_assert_cmpuint (f->n_busy_notified, ==, 2);
  /* Ending a job that does not run does nothing. */
  bm_session_end_job (f->session, BM_SESSION_JOB_SEARCH);
  g_assert_cmpuint (f->n_busy_notified, ==, 2);
  g_object_unref (first);
}

/* Another folder drops the image on screen. */
static void
test_dataset_change (Fixture *f, gconstpointer data)
{
  show (f, "raccoon-1", TRUE);
  g_assert_true (bm_session_get_has_items (f->session));
  bm_session_set_dataset (f->session, NULL);
  g_assert_false (bm_session_get_has_items (f->session));
  g_assert_cmpint (bm_session_get_current_index (f->session), ==, -1);
  g_assert_null (bm_session_get_editor (f->session));
  g_assert_false (bm_session_get_can_edit (f->session));
}

static void
test_review_search_rules (Fixture *f, gconstpointer data)
{
  guint index = index_of (f, "raccoon-1");
  BmReviewState plain = { FALSE, FALSE }, verified = { TRUE, FALSE }, problem = { FALSE, TRUE };

  g_assert_cmpint (bm_review_search_get_step (BM_REVIEW_NEXT_UNVERIFIED), ==, 1);
  g_assert_cmpint (bm_review_search_get_step (BM_REVIEW_PREVIOUS_UNVERIFIED), ==, -1);
  g_assert_cmpint (bm_review_search_get_step (BM_REVIEW_NEXT_PROBLEM), ==, 1);
  g_assert_cmpint (bm_review_search_get_step (BM_REVIEW_PREVIOUS_PROBLEM), ==, -1);
  g_assert_true (bm_review_search_matches (BM_REVIEW_NEXT_UNVERIFIED, f->dataset, index, &plain));
  g_assert_false (bm_review_search_matches (BM_REVIEW_NEXT_UNVERIFIED, f->dataset, index, &verified));
  /* An image with problems cannot be verified: it is not what "next unverified" looks for. */
  g_assert_false (bm_review_search_matches (BM_REVIEW_NEXT_UNVERIFIED, f->dataset, index, &problem));
  g_assert_true (bm_review_search_matches (BM_REVIEW_PREVIOUS_PROBLEM, f->dataset, index, &problem));
  g_assert_false (bm_review_search_matches (BM_REVIEW_PREVIOUS_PROBLEM, f->dataset, index, &plain));
  g_assert_cmpstr (bm_review_search_looking_text (BM_REVIEW_NEXT_UNVERIFIED), ==,
                   "Looking for the next unverified image…");
  g_assert_cmpstr (bm_review_search_none_text (BM_REVIEW_PREVIOUS_PROBLEM), ==,
                   "No image with problems before this one");
}

static void
test_preannotate_batch_items (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) all = bm_preannotate_batch_items (f->dataset, 0);
  g_autoptr(GPtrArray) last = bm_preannotate_batch_items (f->dataset, 2);
  g_autoptr(GPtrArray) none = bm_preannotate_batch_items (f->dataset, 3);
  BmPreannotateSummary *summary = bm_preannotate_summary_new ();
  g_autofree char *progress = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpuint (last->len, ==, 1);
  g_assert_true (g_ptr_array_index (last, 0) == bm_dataset_get_item (f->dataset, 2));
  g_assert_cmpuint (none->len, ==, 0);

  summary->total = 3;
  summary->done = 2;
  summary->added = 5;
  summary->saved = 2;
  progress = bm_preannotate_summary_progress (summary);
  g_assert_cmpstr (progress, ==, "Pre-annotating: 2 of 3 images");
  text = bm_preannotate_summary_to_string (summary);
  g_assert_cmpstr (text, ==, "Pre-annotated 2 of 3 images: 5 boxes added to 2 files, 0 skipped, "
                             "0 save conflicts (left unchanged), 0 failed");
  bm_preannotate_summary_unref (summary);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "C.UTF-8");

  if (g_getenv ("BM_TESTDATA") == NULL)
    {
      g_print ("1..0 # SKIP BM_TESTDATA not set\n");
      return 0;
    }

#define ADD(path, func) g_test_add ("/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("dirty-follows-history", test_dirty_follows_history);
  ADD ("failed-save-stays-dirty", test_failed_save_stays_dirty);
  ADD ("save-policy", test_save_policy);
  ADD ("verified", test_verified);
  ADD ("unreadable-labels", test_unreadable_labels);
  ADD ("jobs", test_jobs);
  ADD ("dataset-change", test_dataset_change);
  ADD ("review-search-rules", test_review_search_rules);
  ADD ("preannotate-batch-items", test_preannotate_batch_items);
#undef ADD

  return g_test_run ();
}
