/* test-search-gui.c: next/previous unverified image and next problem in a big folder opened a
 * moment ago, whose label files the background scan has not read yet: the window keeps
 * running its main loop while it looks, lands where a synchronous search would, and writes no
 * label file. Exits 77 (skip) without a display.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <unistd.h>

#include "app/bm-window.h"
#include "tests/bm-test-window.h"
#include "core/bm-image.h"
#include "widgets/bm-file-list-model.h"
#include "tests/bm-test-util.h"

#define N_IMAGES     3000
#define UNVERIFIED   2950   /* the one image without a label file */
#define BAD_LABEL    1500   /* a label file that cannot be read: a problem */

static const char verified_voc[] =
  "<annotation verified=\"yes\">\n\t<filename>x.png</filename>\n\t<size>\n\t\t<width>8</width>\n"
  "\t\t<height>6</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<object>\n\t\t<name>thing</name>\n"
  "\t\t<bndbox>\n\t\t\t<xmin>1</xmin>\n\t\t\t<ymin>1</ymin>\n\t\t\t<xmax>5</xmax>\n\t\t\t<ymax>4</ymax>\n"
  "\t\t</bndbox>\n\t</object>\n</annotation>\n";
static const char bad_voc[] = "<annotation verified=\"yes\"><size><width>8</width>";

static char *tmp_root;
static char *folder;

static char *
item_path (guint       i,
           const char *extension)
{
  g_autofree char *name = g_strdup_printf ("img%05u.%s", i, extension);

  return g_build_filename (folder, name, NULL);
}

static char *
read_file (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

/* N_IMAGES links to one tiny PNG, each with a verified VOC file but UNVERIFIED (none) and
 * BAD_LABEL (unreadable). */
static void
make_folder (void)
{
  g_autofree char *png = g_build_filename (tmp_root, "source.png", NULL);
  g_autofree char *xml = g_build_filename (tmp_root, "source.xml", NULL);
  g_autoptr(BmImage) image = bm_image_new (8, 6, 3);
  g_autoptr(GError) error = NULL;

  folder = g_build_filename (tmp_root, "big", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (int i = 0; i < 8 * 6 * 3; i++)
    image->data[i] = (guint8) (i * 5);
  g_assert_true (bm_image_save (image, png, 90, &error));
  g_assert_true (g_file_set_contents (xml, verified_voc, -1, &error));

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *image_path = item_path (i, "png");
      g_autofree char *label_path = item_path (i, "xml");

      g_assert_cmpint (link (png, image_path), ==, 0);
      if (i == BAD_LABEL)
        g_assert_true (g_file_set_contents (label_path, bad_voc, -1, &error));
      else if (i != UNVERIFIED)
        g_assert_cmpint (link (xml, label_path), ==, 0);
    }
}

/* Opens @path and returns as soon as the folder is listed, before any label file is read. */
static BmWindow *
open_fresh (const char *path)
{
  BmWindow *window = bm_test_window_new (1000, 700);
  BmFileListModel *model;

  bm_window_open_path (window, path);
  while (bm_window_get_dataset (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, N_IMAGES);

  model = bm_file_list_get_model (bm_window_get_file_list (window));
  g_assert_false (bm_file_list_model_is_scanned (model));
  g_assert_false (bm_file_list_model_is_item_scanned (model, N_IMAGES / 2));
  return window;
}

/* The status bar's parts are joined by " · ", none of them empty. */
static void
assert_status_well_formed (BmWindow *window)
{
  const char *text = bm_window_get_status_text (window);
  g_auto(GStrv) parts = g_strsplit (text, " · ", -1);

  g_assert_null (strstr (text, "·  ·"));
  g_assert_false (g_str_has_prefix (text, " ·") || g_str_has_prefix (text, "· "));
  g_assert_false (g_str_has_suffix (text, " ·") || g_str_has_suffix (text, "· "));
  for (guint i = 0; parts[i] != NULL; i++)
    g_assert_cmpstr (g_strstrip (parts[i]), !=, "");
}

static gboolean
is_looking (BmWindow *window)
{
  return strstr (bm_window_get_status_text (window), "Looking for") != NULL;
}

/* Activates @action, checks that it returned while still looking, and pumps the main loop
 * until the window has gone where it found; returns how many turns the loop made meanwhile. */
static guint
search_and_land (BmWindow   *window,
                 const char *action,
                 const char *looking)
{
  guint turns = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  g_assert_true (bm_window_is_busy (window));
  g_test_message ("status: %s", bm_window_get_status_text (window));
  g_assert_nonnull (strstr (bm_window_get_status_text (window), looking));
  assert_status_well_formed (window);

  while (bm_window_is_busy (window))
    {
      g_main_context_iteration (NULL, TRUE);
      turns += is_looking (window);
    }
  bm_test_wait_until_idle (window);
  g_assert_false (is_looking (window));
  return turns;
}

static void
assert_labels_untouched (void)
{
  g_autofree char *bad_path = item_path (BAD_LABEL, "xml");
  g_autofree char *missing_path = item_path (UNVERIFIED, "xml");
  g_autofree char *bad = read_file (bad_path);

  g_assert_cmpstr (bad, ==, bad_voc);
  g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < N_IMAGES; i += 97)
    if (i != BAD_LABEL && i != UNVERIFIED)
      {
        g_autofree char *path = item_path (i, "xml");
        g_autofree char *data = read_file (path);

        g_assert_cmpstr (data, ==, verified_voc);
      }
}

static void
test_next_unverified (void)
{
  BmWindow *window = open_fresh (folder);
  guint turns;

  turns = search_and_land (window, "win.next-unverified", "Looking for the next unverified image");
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  /* The labels are read in a worker thread, in batches, while the main loop goes on. */
  g_assert_cmpuint (turns, >=, 1);
  g_test_message ("the main loop turned %u times while looking", turns);

  /* Nothing after it, and (going on from the first) nothing before it either: no move, and the
   * status bar says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unverified", NULL));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "This is the only unverified image"));

  assert_labels_untouched ();
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_previous_unverified (void)
{
  g_autofree char *last = item_path (N_IMAGES - 1, "png");
  BmWindow *window = open_fresh (last);
  guint turns;

  turns = search_and_land (window, "win.previous-unverified", "Looking for the previous unverified image");
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  g_assert_cmpuint (turns, >=, 1);

  /* Every other image is verified, or has a problem (not a review job): going on from the last
   * finds only this one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-unverified", NULL));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "This is the only unverified image"));

  assert_labels_untouched ();
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_next_problem (void)
{
  BmWindow *window = open_fresh (folder);

  search_and_land (window, "win.next-problem", "Looking for the next image with problems");
  g_assert_cmpint (bm_window_get_current_index (window), ==, BAD_LABEL);
  g_assert_nonnull (bm_window_get_banner_text (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-problem", NULL));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, BAD_LABEL);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "This is the only image with problems"));

  assert_labels_untouched ();
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Moving elsewhere while it looks replaces the search; a second press starts it again. */
static void
test_move_cancels_search (void)
{
  BmWindow *window = open_fresh (folder);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unverified", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to", "u", 7));
  g_assert_false (is_looking (window));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, 7);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unverified", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unverified", NULL));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The asynchronous search finds what the synchronous one does, in both directions and from
 * everywhere, also with a filter hiding rows. */
static gboolean
is_unverified_now (BmFileListModel *model,
                   guint            index,
                   gpointer         user_data)
{
  BmFileState state = bm_file_list_model_get_state (model, index);

  return state != BM_FILE_STATE_VERIFIED && state != BM_FILE_STATE_PROBLEM;
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  int *found = user_data;
  g_autoptr(GError) error = NULL;

  *found = bm_file_list_find_finish (BM_FILE_LIST (object), result, &error);
  g_assert_no_error (error);
}

static int
find_async (BmFileList *list,
            int         from,
            int         step)
{
  int found = -2;

  bm_file_list_find_async (list, from, step, is_unverified_now, NULL, NULL, found_cb, &found);
  while (found == -2)
    g_main_context_iteration (NULL, TRUE);
  return found;
}

static void
test_same_as_synchronous (void)
{
  BmWindow *window = open_fresh (folder);
  BmFileList *list = bm_window_get_file_list (window);
  const int froms[] = { -1, 0, 1, BAD_LABEL, UNVERIFIED - 1, UNVERIFIED, UNVERIFIED + 1, N_IMAGES - 1 };

  for (guint f = 0; f < G_N_ELEMENTS (froms); f++)
    for (int step = -1; step <= 1; step += 2)
      {
        int found = find_async (list, froms[f], step);

        g_assert_cmpint (found, ==, bm_file_list_find (list, froms[f], step, is_unverified_now, NULL));
        if (froms[f] < 0)
          g_assert_cmpint (found, ==, UNVERIFIED);
      }

  /* Only names ending in 0: the current item is hidden, the search goes on from its place. */
  bm_file_list_set_filter_text (list, "0.png");
  g_assert_cmpint (bm_file_list_get_n_shown (list), ==, N_IMAGES / 10);
  g_assert_cmpint (find_async (list, UNVERIFIED + 1, -1), ==, UNVERIFIED);
  g_assert_cmpint (find_async (list, UNVERIFIED - 1, 1), ==, UNVERIFIED);
  g_assert_cmpint (find_async (list, UNVERIFIED + 1, 1), ==, -1);
  g_assert_cmpint (bm_file_list_find (list, UNVERIFIED + 1, 1, is_unverified_now, NULL), ==, -1);
  /* From a hidden item after the last row shown: nothing after it (no wrapping to the first). */
  g_assert_cmpint (find_async (list, N_IMAGES - 1, 1), ==, -1);
  g_assert_cmpint (bm_file_list_find (list, N_IMAGES - 1, 1, NULL, NULL), ==, -1);
  g_assert_cmpint (bm_file_list_find (list, N_IMAGES - 1, -1, NULL, NULL), ==, N_IMAGES - 10);
  bm_file_list_set_filter_text (list, "");

  bm_test_wait_until_idle (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A label filter typed right after opening hides every row not read yet; the search reads
 * those too instead of saying there is nothing. */
static void
test_label_filter_unread (void)
{
  BmWindow *window = open_fresh (folder);
  BmFileList *list = bm_window_get_file_list (window);

  bm_file_list_set_filter_text (list, "verified:no");
  search_and_land (window, "win.next-unverified", "Looking for the next unverified image");
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  /* Its row is shown at once, so the list can select it. */
  g_assert_cmpint (bm_file_list_find (list, UNVERIFIED - 1, 1, NULL, NULL), ==, UNVERIFIED);

  /* "None" only once every item it passes is known. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-unverified", NULL));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "This is the only unverified image"));
  assert_status_well_formed (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-unverified", NULL));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, UNVERIFIED);
  g_assert_nonnull (strstr (bm_window_get_status_text (window), "This is the only unverified image"));
  /* Only the hidden problem image BAD_LABEL was before it. */
  g_assert_cmpint (bm_file_list_find (list, UNVERIFIED, -1, NULL, NULL), ==, BAD_LABEL);

  assert_labels_untouched ();
  gtk_window_destroy (GTK_WINDOW (window));
}

/* With label filters, found on a fresh folder, then checked against the synchronous search once
 * the scan has read everything and the rows show it. */
static void
test_label_filter_same_as_synchronous (void)
{
  /* Each with the first unverified image it shows: UNVERIFIED has no label file, no objects. */
  const struct { const char *text; int first; } filters[] = {
    { "verified:no", UNVERIFIED }, { "problem:no 0.png", UNVERIFIED }, { "empty:yes", UNVERIFIED },
    { "problem:yes", -1 }, { "label:thing", -1 },
  };
  const int froms[] = { -1, 0, 1, BAD_LABEL - 1, BAD_LABEL, UNVERIFIED - 1, UNVERIFIED, UNVERIFIED + 1, N_IMAGES - 1 };

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      BmWindow *window = open_fresh (folder);
      BmFileList *list = bm_window_get_file_list (window);
      BmFileListModel *model = bm_file_list_get_model (list);
      int found[G_N_ELEMENTS (froms)][2];

      bm_file_list_set_filter_text (list, filters[f].text);
      for (guint i = 0; i < G_N_ELEMENTS (froms); i++)
        for (int d = 0; d < 2; d++)
          found[i][d] = find_async (list, froms[i], d ? 1 : -1);

      while (!bm_file_list_model_is_scanned (model))
        g_main_context_iteration (NULL, TRUE);
      bm_test_wait_until_idle (window);
      /* Every state is known now; filter the rows again so that they show it. */
      bm_file_list_set_filter_text (list, filters[f].text);

      for (guint i = 0; i < G_N_ELEMENTS (froms); i++)
        for (int d = 0; d < 2; d++)
          {
            int expected = bm_file_list_find (list, froms[i], d ? 1 : -1, is_unverified_now, NULL);

            if (found[i][d] != expected)
              g_test_message ("filter %s, from %d, step %d: %d, not %d", filters[f].text, froms[i], d ? 1 : -1,
                              found[i][d], expected);
            g_assert_cmpint (found[i][d], ==, expected);
          }
      g_assert_cmpint (found[0][1], ==, filters[f].first);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* A folder with an unverified image, a verified one and a label file whose image is missing. */
static char *
make_small_folder (void)
{
  char *small = g_build_filename (tmp_root, "small", NULL);
  g_autofree char *png = g_build_filename (tmp_root, "source.png", NULL);
  g_autofree char *xml = g_build_filename (tmp_root, "source.xml", NULL);
  g_autofree char *a = g_build_filename (small, "a.png", NULL);
  g_autofree char *b = g_build_filename (small, "b.png", NULL);
  g_autofree char *b_xml = g_build_filename (small, "b.xml", NULL);
  g_autofree char *orphan = g_build_filename (small, "zorphan.xml", NULL);

  g_assert_cmpint (g_mkdir_with_parents (small, 0755), ==, 0);
  g_assert_cmpint (link (png, a), ==, 0);
  g_assert_cmpint (link (png, b), ==, 0);
  g_assert_cmpint (link (xml, b_xml), ==, 0);
  g_assert_cmpint (link (xml, orphan), ==, 0);
  return small;
}

/* A search message, an annotation and no image: one separator between the parts. */
static void
test_status_without_image (void)
{
  g_autofree char *small = make_small_folder ();
  BmWindow *window = bm_test_window_open (small);
  const char *status;
  guint orphan = 2;

  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, 3);
  g_assert_null (bm_dataset_get_item (bm_window_get_dataset (window), orphan)->image_path);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to", "u", orphan));
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, orphan);
  status = bm_window_get_status_text (window);
  g_test_message ("status: %s", status);
  g_assert_true (g_str_has_prefix (status, "1 object · "));
  assert_status_well_formed (window);

  /* No other image with a problem (the search goes on from the first and comes back): the
   * message stays, followed by the annotation's parts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-problem", NULL));
  bm_test_wait_until_idle (window);
  status = bm_window_get_status_text (window);
  g_test_message ("status: %s", status);
  g_assert_true (g_str_has_prefix (status, "This is the only image with problems · 1 object · "));
  assert_status_well_formed (window);

  /* While looking. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-unverified", NULL));
  status = bm_window_get_status_text (window);
  g_test_message ("status: %s", status);
  g_assert_true (g_str_has_prefix (status, "Looking for the previous unverified image… · 1 object · "));
  assert_status_well_formed (window);
  bm_test_wait_until_idle (window);
  g_assert_cmpint (bm_window_get_current_index (window), ==, 0);
  assert_status_well_formed (window);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "search", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */
  make_folder ();

  g_test_add_func ("/search/next-unverified", test_next_unverified);
  g_test_add_func ("/search/previous-unverified", test_previous_unverified);
  g_test_add_func ("/search/next-problem", test_next_problem);
  g_test_add_func ("/search/move-cancels-search", test_move_cancels_search);
  g_test_add_func ("/search/same-as-synchronous", test_same_as_synchronous);
  g_test_add_func ("/search/label-filter-unread", test_label_filter_unread);
  g_test_add_func ("/search/label-filter-same-as-synchronous", test_label_filter_same_as_synchronous);
  g_test_add_func ("/search/status-without-image", test_status_without_image);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  g_free (folder);
  g_free (tmp_root);
  return status;
}
