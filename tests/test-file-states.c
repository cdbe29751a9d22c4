/* test-file-states.c: the review's data without a display — BmFileStates (each image's state read
 * in the background or on demand), the file list's filter terms (BmFileFilter) and the search
 * walk (bm_file_search_async) that reads the states it needs in a worker.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "core/bm-image.h"
#include "dataset/bm-file-filter.h"
#include "dataset/bm-file-search.h"
#include "dataset/bm-file-states.h"
#include "tests/bm-test-util.h"

static char *tmp_root;

static const char voc_template[] =
  "<annotation%s>\n\t<filename>%s.png</filename>\n\t<size>\n\t\t<width>32</width>\n\t\t<height>24</height>\n"
  "\t\t<depth>3</depth>\n\t</size>\n%s</annotation>\n";
static const char voc_object[] =
  "\t<object>\n\t\t<name>%s</name>\n\t\t<bndbox>\n\t\t\t<xmin>2</xmin>\n\t\t\t<ymin>2</ymin>\n"
  "\t\t\t<xmax>20</xmax>\n\t\t\t<ymax>20</ymax>\n\t\t</bndbox>\n\t</object>\n";

/* a: verified car; b: car and "traffic light"; c: no label file; d: verified, no objects;
 * e: a broken label file; f: a label file without its image. */
static char *
make_folder (void)
{
  char *folder = g_build_filename (tmp_root, "states", NULL);
  g_autoptr(BmImage) image = bm_image_new (32, 24, 3);
  static const struct { const char *stem; const char *verified; const char *labels[2]; gboolean image; const char *raw; } files[] = {
    { "a", " verified=\"yes\"", { "car", NULL }, TRUE, NULL },
    { "b", "", { "car", "traffic light" }, TRUE, NULL },
    { "c", NULL, { NULL, NULL }, TRUE, NULL },
    { "d", " verified=\"yes\"", { NULL, NULL }, TRUE, NULL },
    { "e", NULL, { NULL, NULL }, TRUE, "<annotation><object><name>car</name><bndbox><xmin>oops" },
    { "f", "", { "bus", NULL }, FALSE, NULL },
  };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *png_name = g_strdup_printf ("%s.png", files[i].stem);
      g_autofree char *xml_name = g_strdup_printf ("%s.xml", files[i].stem);
      g_autofree char *png = g_build_filename (folder, png_name, NULL);
      g_autofree char *xml = g_build_filename (folder, xml_name, NULL);
      g_autoptr(GError) error = NULL;

      if (files[i].image)
        g_assert_true (bm_image_save (image, png, 90, &error));
      if (files[i].verified != NULL)
        {
          g_autoptr(GString) objects = g_string_new (NULL);
          g_autofree char *text = NULL;

          for (guint k = 0; k < 2 && files[i].labels[k] != NULL; k++)
            g_string_append_printf (objects, voc_object, files[i].labels[k]);
          text = g_strdup_printf (voc_template, files[i].verified, files[i].stem, objects->str);
          g_assert_true (g_file_set_contents (xml, text, -1, &error));
        }
      else if (files[i].raw != NULL)
        g_assert_true (g_file_set_contents (xml, files[i].raw, -1, &error));
      g_assert_no_error (error);
    }
  return folder;
}

static BmFileStates *
open_states (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open (folder, TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (bm_dataset_get_n_items (dataset), ==, 6);
  return bm_file_states_new (dataset);
}

static int
index_of (BmFileStates *states, const char *name)
{
  for (guint i = 0; i < bm_file_states_get_n_items (states); i++)
    if (g_str_equal (bm_file_states_get_name (states, i), name))
      return (int) i;
  g_error ("no item %s", name);
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_scan (void)
{
  g_autoptr(BmFileStates) states = open_states ();
  g_autoptr(GHashTable) per_label = NULL;
  BmFileSummary summary;
  guint n_changed = 0;

  g_signal_connect_swapped (states, "changed", G_CALLBACK (count_cb), &n_changed);
  g_assert_false (bm_file_states_is_item_read (states, index_of (states, "a.png")));
  g_assert_false (bm_file_states_peek (states, index_of (states, "a.png"), &summary));
  bm_file_states_start_scan (states);
  while (!bm_file_states_is_scanned (states) || n_changed == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (bm_file_states_get_state (states, index_of (states, "a.png")), ==, BM_FILE_STATE_VERIFIED);
  g_assert_cmpint (bm_file_states_get_state (states, index_of (states, "b.png")), ==, BM_FILE_STATE_LABELED);
  g_assert_cmpint (bm_file_states_get_state (states, index_of (states, "c.png")), ==, BM_FILE_STATE_NONE);
  g_assert_cmpint (bm_file_states_get_state (states, index_of (states, "d.png")), ==, BM_FILE_STATE_VERIFIED);
  g_assert_cmpint (bm_file_states_get_state (states, index_of (states, "e.png")), ==, BM_FILE_STATE_PROBLEM);
  g_assert_cmpint (bm_file_states_get_state (states, index_of (states, "f.xml")), ==, BM_FILE_STATE_PROBLEM);
  g_assert_true (bm_file_states_peek (states, index_of (states, "b.png"), &summary));
  g_assert_cmpint (summary.n_objects, ==, 2);
  g_assert_true (bm_file_states_has_label (states, index_of (states, "b.png"), "traffic light"));
  g_assert_false (bm_file_states_has_label (states, index_of (states, "a.png"), "traffic light"));
  g_assert_cmpuint (bm_file_states_count_verified (states), ==, 2);
  per_label = bm_file_states_count_images_per_label (states);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (per_label, "car")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (per_label, "traffic light")), ==, 1);
}

/* Read on demand, without a scan: what the window asks for the image on screen. */
static void
test_on_demand (void)
{
  g_autoptr(BmFileStates) states = open_states ();
  int b = index_of (states, "b.png");

  g_assert_cmpint (bm_file_states_get_state (states, b), ==, BM_FILE_STATE_LABELED);
  g_assert_true (bm_file_states_is_item_read (states, b));
  g_assert_false (bm_file_states_is_item_read (states, index_of (states, "a.png")));
  g_assert_false (bm_file_states_is_scanned (states));
}

static void
test_filter (void)
{
  g_autoptr(BmFileStates) states = open_states ();
  static const struct { const char *text; const char *shown; gboolean needs_states; } cases[] = {
    { "", "a.png b.png c.png d.png e.png f.xml", FALSE },
    { "verified:yes", "a.png d.png", TRUE },
    { "VERIFIED:No", "b.png c.png e.png f.xml", TRUE },
    { "label:car", "a.png b.png", TRUE },
    { "label:'traffic light'", "b.png", TRUE },
    { "problem:yes", "e.png f.xml", TRUE },
    { "empty:yes verified:yes", "d.png", TRUE },
    { "b.PNG", "b.png", FALSE },
    /* a value the key does not read, or an unknown key: a file name word */
    { "verified:maybe", "", FALSE },
    { "png label:car", "a.png b.png", TRUE },
  };

  for (guint i = 0; i < bm_file_states_get_n_items (states); i++)
    bm_file_states_get_state (states, i);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(BmFileFilter) filter = bm_file_filter_new (cases[c].text);
      g_autoptr(GString) shown = g_string_new (NULL);

      for (guint i = 0; i < bm_file_states_get_n_items (states); i++)
        if (bm_file_filter_match (filter, states, i))
          g_string_append_printf (shown, "%s%s", shown->len > 0 ? " " : "", bm_file_states_get_name (states, i));
      g_assert_cmpstr (shown->str, ==, cases[c].shown);
      g_assert_cmpint (bm_file_filter_needs_states (filter), ==, cases[c].needs_states);
      g_assert_cmpint (bm_file_filter_is_empty (filter), ==, cases[c].text[0] == '\0');
    }
}

typedef struct
{
  int found;
  GError *error;
  gboolean done;
} Found;

static void
found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Found *found = user_data;

  found->found = bm_file_search_finish (BM_FILE_STATES (object), result, &found->error);
  found->done = TRUE;
}

static int
search (BmFileStates *states, const char *text, int from, int step, BmFileSearchMatch match, GCancellable *cancellable,
        GError **error)
{
  g_autoptr(BmFileFilter) filter = bm_file_filter_new (text);
  Found found = { -2, NULL, FALSE };

  bm_file_search_async (states, filter, from, step, match, NULL, cancellable, found_cb, &found);
  while (!found.done)
    g_main_context_iteration (NULL, TRUE);
  if (found.error != NULL)
    g_propagate_error (error, found.error);
  return found.found;
}

/* The window's "unverified": a state that can still be verified. */
static gboolean
unverified (BmFileStates *states, guint index, gpointer user_data)
{
  BmFileState state = bm_file_states_get_state (states, index);

  return state == BM_FILE_STATE_NONE || state == BM_FILE_STATE_LABELED;
}

static void
test_search (void)
{
  g_autoptr(BmFileStates) states = open_states ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  int a = index_of (states, "a.png"), b = index_of (states, "b.png"), c = index_of (states, "c.png");

  /* nothing read yet: the walk reads what it needs */
  g_assert_cmpint (search (states, NULL, -1, 1, unverified, NULL, &error), ==, b);
  g_assert_no_error (error);
  g_assert_true (bm_file_states_is_item_read (states, a));
  g_assert_false (bm_file_states_is_scanned (states));
  g_assert_cmpint (search (states, NULL, b, 1, unverified, NULL, &error), ==, c);
  g_assert_cmpint (search (states, NULL, c, 1, unverified, NULL, &error), ==, -1);
  g_assert_cmpint (search (states, NULL, c, -1, unverified, NULL, &error), ==, b);
  /* the filter too: only what it shows */
  g_assert_cmpint (search (states, "label:car", -1, 1, unverified, NULL, &error), ==, b);
  g_assert_cmpint (search (states, "problem:yes", -1, -1, NULL, NULL, &error), ==, index_of (states, "f.xml"));
  g_assert_cmpint (search (states, "c.png", -1, 1, NULL, NULL, &error), ==, c);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_cmpint (search (states, NULL, -1, 1, unverified, cancellable, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_root = g_dir_make_tmp ("bm-file-states-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);

  g_test_add_func ("/file-states/scan", test_scan);
  g_test_add_func ("/file-states/on-demand", test_on_demand);
  g_test_add_func ("/file-states/filter", test_filter);
  g_test_add_func ("/file-states/search", test_search);
  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  return status;
}
