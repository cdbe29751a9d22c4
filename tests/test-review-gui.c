/* test-review-gui.c: comparing with predictions in the window (under Xvfb), driven through its
 * actions: the conflicts of each image, stepping through them over the folder, accepting a
 * prediction as a label (undoable, saved losslessly), dismissing one, the score threshold and
 * the file-list words missing:, conflict: and fp:.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "app/bm-window.h"
#include "core/bm-editor.h"
#include "dataset/bm-pred-review.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"
#include "widgets/bm-file-list.h"
#include "widgets/bm-prediction-panel.h"

static char *tmp_root;

/* raccoon-1 … raccoon-4 with their labelImg files (one raccoon each), flat. */
static char *
make_folder (void)
{
  char *folder = g_build_filename (tmp_root, "data", NULL);
  g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), "voc", "raccoon_labelimg", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 1; i <= 4; i++)
    {
      const char *kinds[][2] = { { "images", "jpg" }, { "annotations", "xml" } };

      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *file = g_strdup_printf ("raccoon-%u.%s", i, kinds[k][1]);
          g_autofree char *from = g_build_filename (source, kinds[k][0], file, NULL);
          g_autofree char *to = g_build_filename (folder, file, NULL);
          g_autofree char *data = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (from, &data, &length, NULL));
          g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
        }
    }
  return folder;
}

/* VOC results files: raccoon-1 found, plus a raccoon where nobody labelled one; a dog on
 * raccoon-2's raccoon; nothing on raccoon-3; raccoon-4 found with a weak extra. */
static char *
make_predictions (void)
{
  char *dir = g_build_filename (tmp_root, "predictions", NULL);
  g_autofree char *raccoon = g_build_filename (dir, "comp4_det_test_raccoon.txt", NULL);
  g_autofree char *dog = g_build_filename (dir, "comp4_det_test_dog.txt", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (raccoon,
                                      "raccoon-1 0.95 81 88 522 408\n"
                                      "raccoon-1 0.80 10 10 60 70\n"
                                      "raccoon-4 0.90 20 22 200 180\n"
                                      "raccoon-4 0.30 100 10 140 60\n", -1, NULL));
  g_assert_true (g_file_set_contents (dog, "raccoon-2 0.85 57 76 405 514\n", -1, NULL));
  return dir;
}

static BmPredReview *
wait_for_review (BmWindow *window)
{
  while (bm_window_get_review (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  bm_test_iterate ();
  return bm_window_get_review (window);
}

static void
activate (BmWindow *window, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  bm_test_wait_until_idle (window);
}

static const char *
current_name (BmWindow *window)
{
  BmAnnotation *annotation = bm_window_get_annotation (window);

  return strrchr (bm_annotation_get_image_path (annotation), '/') + 1;
}

static void
test_review (void)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *predictions = make_predictions ();
  g_autofree char *xml = g_build_filename (folder, "raccoon-1.xml", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *head = NULL;
  BmWindow *window = bm_test_window_open (folder);
  BmPredictionPanel *panel;
  BmPredReview *review;
  BmFileList *list = bm_window_get_file_list (window);
  BmConflict conflict;

  g_assert_true (g_file_get_contents (xml, &before, NULL, NULL));
  bm_window_compare_predictions (window, predictions);
  review = wait_for_review (window);
  panel = bm_window_get_prediction_panel (window);
  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_POSSIBLY_MISSING), ==, 1);
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_WRONG_CLASS), ==, 1);
  /* raccoon-3's label; raccoon-2's is explained by the dog on it (wrong class) */
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_UNMATCHED_LABEL), ==, 1);

  /* raccoon-1 on screen: its one conflict is selected, ready for Y */
  g_assert_cmpstr (current_name (window), ==, "raccoon-1.jpg");
  g_assert_cmpuint (bm_prediction_panel_get_n_conflicts (panel), ==, 1);
  g_assert_true (bm_prediction_panel_get_selected (panel, &conflict));
  g_assert_cmpint (conflict.kind, ==, BM_CONFLICT_POSSIBLY_MISSING);

  /* accepted: a new label, one undoable step */
  activate (window, "win.accept-prediction");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 2);
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_POSSIBLY_MISSING), ==, 0);
  activate (window, "win.undo");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 1);
  activate (window, "win.redo");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 2);
  activate (window, "win.save");
  g_assert_true (g_file_get_contents (xml, &after, NULL, NULL));
  /* saved losslessly: the file as it was, the new object after the last one */
  head = g_strndup (before, strstr (before, "</object>") - before);
  g_assert_true (g_str_has_prefix (after, head));
  g_assert_nonnull (strstr (after, "<xmin>10</xmin>"));
  g_assert_nonnull (strstr (after, "<ymax>70</ymax>"));

  /* J: raccoon-2 (a dog on a raccoon), then raccoon-3 (a label nobody found) */
  activate (window, "win.next-conflict");
  g_assert_cmpstr (current_name (window), ==, "raccoon-2.jpg");
  g_assert_true (bm_prediction_panel_get_selected (panel, &conflict));
  g_assert_cmpint (conflict.kind, ==, BM_CONFLICT_WRONG_CLASS);
  g_assert_cmpstr (conflict.pred_class, ==, "dog");
  activate (window, "win.next-conflict");
  g_assert_cmpstr (current_name (window), ==, "raccoon-3.jpg");
  g_assert_true (bm_prediction_panel_get_selected (panel, &conflict));
  g_assert_cmpint (conflict.kind, ==, BM_CONFLICT_UNMATCHED_LABEL);
  /* Shift+J back */
  activate (window, "win.previous-conflict");
  g_assert_cmpstr (current_name (window), ==, "raccoon-2.jpg");

  /* the file list's words */
  bm_file_list_set_filter_text (list, "conflict:wrong-class");
  bm_test_iterate ();
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 1);
  bm_file_list_set_filter_text (list, "fp:>0");
  bm_test_iterate ();
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 1);
  bm_file_list_set_filter_text (list, "conflict:unmatched-label");
  bm_test_iterate ();
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 1);

  /* dismissed: the dog is no conflict any more, and the list follows */
  activate (window, "win.dismiss-prediction");
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_WRONG_CLASS), ==, 0);
  bm_file_list_set_filter_text (list, "conflict:wrong-class");
  bm_test_iterate ();
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 0);

  /* a threshold of 0.25: raccoon-4's weak extra now counts, computed in the background */
  bm_file_list_set_filter_text (list, "missing:yes");
  bm_test_iterate ();
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 0);
  bm_prediction_panel_set_score_threshold (panel, 0.25);
  while (bm_pred_review_get_options (review)->score_threshold != 0.25)
    g_main_context_iteration (NULL, TRUE);
  bm_test_iterate ();
  g_assert_cmpuint (bm_pred_review_count_all (review, BM_CONFLICT_POSSIBLY_MISSING), ==, 1);
  g_assert_cmpuint (bm_file_list_get_n_shown (list), ==, 1);
  bm_file_list_set_filter_text (list, "");

  activate (window, "win.close-predictions");
  g_assert_null (bm_window_get_review (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* The four review keys are listed in the shortcuts window, which lays out
 * without GTK warnings (they are fatal here). */
static void
test_shortcuts_listed (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui", 0, NULL);
  const char *text = g_bytes_get_data (bytes, NULL);
  static const char *const accelerators[] = {
    ">j<", ">&lt;Shift&gt;j<", ">y<", ">&lt;Shift&gt;y<",
  };

  g_assert_nonnull (overlay);
  g_object_set (overlay, "section-name", "predictions", NULL);
  gtk_window_present (GTK_WINDOW (overlay));
  gtk_test_widget_wait_for_draw (overlay);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    g_assert_nonnull (strstr (text, accelerators[i]));
  gtk_window_destroy (GTK_WINDOW (overlay));
  bm_test_iterate ();
}

int
main (int argc, char **argv)
{
  tmp_root = bm_test_window_setup (&argc, &argv, "test-review-gui", NULL);
  if (tmp_root == NULL)
    return 0;
  g_test_add_func ("/review/compare-with-predictions", test_review);
  g_test_add_func ("/review/shortcuts-listed", test_shortcuts_listed);
  return g_test_run ();
}
