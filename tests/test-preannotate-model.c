/* test-preannotate-model.c: pre-annotation with a YOLO model (ONNX) in the boxmark window under a
 * display (Xvfb): the model's classes mapped to the folder's by name, I gives the boxes
 * boxmark-cli detect --model --write gives (one undo), Ctrl+B writes every file on a worker,
 * the model and an edited class map come back when the folder is opened again. Skips without
 * a display or without OpenCV's DNN module.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "app/bm-window.h"
#include "core/bm-onnx-net.h"
#include "formats/bm-voc.h"
#include "tests/bm-test-util.h"
#include "tests/bm-test-window.h"
#include "bm-test-util.h"

static char *tmp_root;
/* In the window's order: the first is on screen when the folder opens. */
static const char *const images[] = { "astronaut.png", "two_people.png" };

static char *
model_path (void)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), "models", "tiny_det640.onnx", NULL);
}

/* The two fixture images (PNG, the references' pixels) and a classes.txt naming two of the
 * model's three classes (person, traffic light, dog's bowl). */
static char *
make_folder (const char *name)
{
  char *folder = g_build_filename (tmp_root, name, NULL);
  g_autofree char *classes = g_build_filename (folder, "classes.txt", NULL);
  const char *sources[] = { "detect/astronaut.png", "models/images/two_people.png" };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *from = g_build_filename (g_getenv ("BM_TESTDATA"), sources[i], NULL);
      g_autofree char *to = g_build_filename (folder, images[i], NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (from, &data, &length, NULL));
      g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
    }
  g_assert_true (g_file_set_contents (classes, "dog's bowl\nperson\n", -1, NULL));
  return folder;
}

static char *
label_path (const char *folder, const char *image)
{
  g_autofree char *stem = g_strndup (image, strlen (image) - strlen (".png"));
  g_autofree char *name = g_strconcat (stem, ".xml", NULL);

  return g_build_filename (folder, name, NULL);
}

/* boxmark-cli detect --model --write with the class map @map on @folder. */
static void
run_cli_write (const char *folder, const char *map)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autofree char *model = model_path ();
  g_autofree char *map_file = g_build_filename (tmp_root, "map.txt", NULL);
  const char *argv[] = { cli, "detect", "--model", model, "--classes-map", map_file, "--write", folder, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status;

  g_assert_true (g_file_set_contents (map_file, map, -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status,
                               &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
}

static BmAnnotation *
load_voc (const char *path)
{
  g_autoptr(GError) error = NULL;
  BmAnnotation *annotation = bm_voc_load (path, &error);

  g_assert_no_error (error);
  g_assert_false (bm_annotation_is_read_only (annotation));
  return annotation;
}

/* Same labels, boxes and scores (to the digits a VOC file keeps), in the same order. */
static void
assert_same_objects (BmAnnotation *a, BmAnnotation *b)
{
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, bm_annotation_get_n_objects (b));
  for (guint i = 0; i < bm_annotation_get_n_objects (a); i++)
    {
      BmObject *x = bm_annotation_get_object (a, i);
      BmObject *y = bm_annotation_get_object (b, i);

      g_assert_cmpstr (bm_object_get_label (x), ==, bm_object_get_label (y));
      for (int k = 0; k < 4; k++)
        {
          g_assert_cmpfloat (fabs (bm_object_get_shape (x)->p[k].x - bm_object_get_shape (y)->p[k].x), <, 1e-6);
          g_assert_cmpfloat (fabs (bm_object_get_shape (x)->p[k].y - bm_object_get_shape (y)->p[k].y), <, 1e-6);
        }
      g_assert_cmpfloat (fabs (bm_object_get_score (x) - bm_object_get_score (y)), <, 1e-6);
    }
}

static void
activate (BmWindow *window, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  bm_test_wait_until_idle (window);
}

static void
wait_for_model (BmPreannotatePopover *popover)
{
  while (bm_preannotate_popover_is_loading (popover))
    g_main_context_iteration (NULL, TRUE);
  bm_test_iterate ();
}

static BmWindow *
open_with_model (const char *folder)
{
  BmWindow *window = bm_test_window_open (folder);
  BmPreannotatePopover *popover = bm_window_get_preannotate_popover (window);
  g_autofree char *model = model_path ();

  bm_preannotate_popover_set_model_file (popover, model);
  wait_for_model (popover);
  g_assert_nonnull (bm_preannotate_popover_get_model (popover));
  return window;
}

static void
close_window (BmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

/* Classes found by name in the folder's class list; the one it lacks is skipped. I adds the
 * same boxes boxmark-cli writes with that map, marked, in one undo step. */
static void
test_detect_like_cli (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *folder = make_folder ("one");
  g_autofree char *cli_folder = make_folder ("one-cli");
  g_autofree char *cli_path = label_path (cli_folder, images[0]);
  g_autoptr(BmAnnotation) expected = NULL;
  BmPreannotatePopover *popover;
  BmAnnotation *annotation;
  BmWindow *window;
  guint n;

  run_cli_write (cli_folder, "person\ndog's bowl\n");
  expected = load_voc (cli_path);
  g_assert_cmpuint (bm_annotation_get_n_objects (expected), >, 2);

  window = open_with_model (folder);
  popover = bm_window_get_preannotate_popover (window);
  g_assert_cmpstr (bm_preannotate_popover_get_class_label (popover, 0), ==, "person");
  g_assert_cmpstr (bm_preannotate_popover_get_class_label (popover, 1), ==, "");
  g_assert_cmpstr (bm_preannotate_popover_get_class_label (popover, 2), ==, "dog's bowl");

  activate (window, "win.preannotate");
  annotation = bm_window_get_annotation (window);
  n = bm_annotation_get_n_objects (annotation);
  assert_same_objects (annotation, expected);
  for (guint i = 0; i < n; i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);

      g_assert_true (bm_object_get_pre_annotation (object));
      g_assert_cmpstr (bm_object_get_label (object), !=, "traffic light");
    }

  /* Again: every box is there already. */
  activate (window, "win.preannotate");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, n);
  activate (window, "win.undo");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 0);
  activate (window, "win.redo");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, n);
  activate (window, "win.save");
  close_window (window);
}

/* Ctrl+B with an edited map: every image's file written on a worker, under the typed label;
 * the model and the map are remembered for the folder. */
static void
test_batch_and_remembered (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *folder = make_folder ("batch");
  g_autofree char *cli_folder = make_folder ("batch-cli");
  BmPreannotatePopover *popover;
  BmWindow *window;

  run_cli_write (cli_folder, "person -> 行人\ndog's bowl\ntraffic light\n");
  window = open_with_model (folder);
  popover = bm_window_get_preannotate_popover (window);
  bm_preannotate_popover_set_class_label (popover, 0, "行人");
  bm_preannotate_popover_set_class_label (popover, 1, "traffic light");
  activate (window, "win.preannotate-all");
  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *path = label_path (folder, images[i]);
      g_autofree char *cli_path = label_path (cli_folder, images[i]);
      g_autoptr(BmAnnotation) got = load_voc (path);
      g_autoptr(BmAnnotation) expected = load_voc (cli_path);

      assert_same_objects (got, expected);
      g_assert_cmpuint (bm_annotation_get_n_objects (got), >, 0);
    }
  /* the window shows what the batch wrote for the image on screen */
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), >, 0);
  close_window (window);

  /* Opened again: the model loads by itself, with the map as it was typed. */
  window = bm_test_window_open (folder);
  popover = bm_window_get_preannotate_popover (window);
  wait_for_model (popover);
  g_assert_nonnull (bm_preannotate_popover_get_model (popover));
  g_assert_cmpstr (bm_preannotate_popover_get_class_label (popover, 0), ==, "行人");
  g_assert_cmpstr (bm_preannotate_popover_get_class_label (popover, 1), ==, "traffic light");
  g_assert_cmpstr (bm_preannotate_popover_get_class_label (popover, 2), ==, "dog's bowl");
  /* Run again: nothing new. */
  {
    g_autofree char *path = label_path (folder, images[1]);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
    activate (window, "win.preannotate-all");
    g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
    g_assert_cmpstr (before, ==, after);
  }
  close_window (window);
}

/* A file that is no model: the reason is shown in the popover, and I says what is missing. */
static void
test_bad_model (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *folder = make_folder ("bad");
  g_autofree char *bad = g_build_filename (tmp_root, "not-a-model.onnx", NULL);
  BmWindow *window = bm_test_window_open (folder);
  BmPreannotatePopover *popover = bm_window_get_preannotate_popover (window);

  g_assert_true (g_file_set_contents (bad, "names: [cat]\n", -1, NULL));
  bm_preannotate_popover_set_model_file (popover, bad);
  wait_for_model (popover);
  g_assert_null (bm_preannotate_popover_get_model (popover));
  activate (window, "win.preannotate");
  g_assert_cmpuint (bm_annotation_get_n_objects (bm_window_get_annotation (window)), ==, 0);
  g_assert_nonnull (strstr (bm_window_get_banner_text (window), "Choose a YOLO model"));
  close_window (window);
}

/* Not a test: with BM_SCREENSHOT set, shows the popover with a model for a screenshot
 * (scripts take it with `import -window root`) and waits BM_SCREENSHOT seconds. */
static void
show_for_screenshot (void)
{
  g_autofree char *folder = make_folder ("shot");
  BmWindow *window = open_with_model (folder);
  BmPreannotatePopover *popover = bm_window_get_preannotate_popover (window);
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC * g_ascii_strtoll (g_getenv ("BM_SCREENSHOT"), NULL, 10);

  activate (window, "win.preannotate");
  gtk_popover_popup (GTK_POPOVER (popover));
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "preannotate-model", "BM_TESTDATA", NULL);
  if (tmp_root == NULL)
    return 0;   /* TAP: the plan printed is the skip */
  if (!bm_onnx_net_available ())
    {
      g_print ("1..0 # SKIP built without OpenCV's DNN module\n");
      bm_test_remove_tree (tmp_root);
      return 0;
    }
  if (g_getenv ("BM_SCREENSHOT") != NULL)
    {
      show_for_screenshot ();
      return 0;
    }

  g_test_add_func ("/preannotate-model/detect-like-cli", test_detect_like_cli);
  g_test_add_func ("/preannotate-model/batch-and-remembered", test_batch_and_remembered);
  g_test_add_func ("/preannotate-model/bad-model", test_bad_model);

  status = g_test_run ();
  if (status == 0 && g_getenv ("BM_KEEP_TMP") == NULL)
    bm_test_remove_tree (tmp_root);
  return status;
}
