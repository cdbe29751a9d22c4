/* test-cli-model.c: boxmark-cli detect --model, run as a user would run it, on the YOLO models
 * of $BM_TESTDATA/models: the reference detections printed, pre-annotations written and never
 * duplicated, class maps, OBB as rotated boxes (VOC) and quadrilaterals (DOTA), refusals.
 * Skips without OpenCV's DNN module.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"
#include "core/bm-onnx-net.h"
#include "formats/bm-label-io.h"
#include "bm-test-util.h"
#include "bm-test-yolo.h"

typedef struct
{
  char *out;
  char *err;
  int status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs boxmark-cli with @args (NULL-terminated). */
static void
run_cli (Run *run, const char *first, ...)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status;
  va_list ap;

  g_ptr_array_add (argv, cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static gboolean
skip_without_opencv (void)
{
  if (bm_onnx_net_available ())
    return FALSE;
  g_test_skip ("built without OpenCV's DNN module (-Donnx=disabled)");
  return TRUE;
}

static char *
fixture_image (const char *stem)
{
  const char *testdata = g_getenv ("BM_TESTDATA");

  return strcmp (stem, "two_people") == 0 ? g_build_filename (testdata, "models", "images", "two_people.png", NULL)
                                          : g_build_filename (testdata, "detect", "astronaut.png", NULL);
}

static char *
model_file (const char *model)
{
  g_autofree char *file = g_strdup_printf ("%s.onnx", model);

  return bm_test_models_path (file);
}

/* A folder holding copies of the two fixture images (PNG: the same pixels as the references). */
static char *
make_folder (const char *layout)
{
  char *dir = g_dir_make_tmp ("bm-cli-model-XXXXXX", NULL);
  const char *stems[] = { "two_people", "astronaut" };
  g_autofree char *image_dir = strcmp (layout, "dota") == 0 ? g_build_filename (dir, "images", NULL) : g_strdup (dir);

  g_assert_cmpint (g_mkdir_with_parents (image_dir, 0755), ==, 0);
  if (strcmp (layout, "dota") == 0)
    {
      g_autofree char *labels = g_build_filename (dir, "labelTxt", NULL);

      g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stems); i++)
    {
      g_autofree char *source = fixture_image (stems[i]);
      g_autofree char *name = g_strdup_printf ("%s.png", stems[i]);
      g_autofree char *target = g_build_filename (image_dir, name, NULL);
      g_autofree char *data = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (source, &data, &length, NULL));
      g_assert_true (g_file_set_contents (target, data, (gssize) length, NULL));
    }
  return dir;
}

/* --json prints the reference detections of every image, in order. */
static void
test_json_matches_reference (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  static const char *const models[] = { "yolov8n", "yolov5n", "tiny_obb320" };

  if (skip_without_opencv ())
    return;
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      g_autofree char *model = model_file (models[m]);
      g_autofree char *a = fixture_image ("two_people");
      g_autofree char *b = fixture_image ("astronaut");
      g_auto(Run) run = { 0 };
      g_auto(GStrv) lines = NULL;
      BmYoloLayout layout = strcmp (models[m], "yolov5n") == 0 ? BM_YOLO_LAYOUT_V5
                            : strstr (models[m], "obb") != NULL ? BM_YOLO_LAYOUT_OBB : BM_YOLO_LAYOUT_V8;
      double max_coord = 0, max_score = 0;

      run_cli (&run, "detect", "--model", model, "--json", a, b, NULL);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, 0);
      lines = g_strsplit (run.out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 3);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;
          g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (BmYoloDetection));
          g_autofree char *relative = g_strdup_printf ("detections/%s__%s.json", models[m],
                                                       i == 0 ? "two_people" : "astronaut");
          g_autofree char *reference = bm_test_models_path (relative);
          JsonObject *image;
          JsonArray *detections;

          g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
          image = json_node_get_object (json_parser_get_root (parser));
          g_assert_cmpstr (json_object_get_string_member (image, "image"), ==, i == 0 ? a : b);
          g_assert_cmpint (json_object_get_int_member (image, "width"), ==, i == 0 ? 1126 : 512);
          detections = json_object_get_array_member (image, "detections");
          for (guint k = 0; k < json_array_get_length (detections); k++)
            {
              JsonObject *o = json_array_get_object_element (detections, k);
              BmYoloDetection d = { (int) json_object_get_int_member (o, "class"),
                                    (float) json_object_get_double_member (o, "score"), 0, { 0 } };
              static const char *const xyxy[] = { "x1", "y1", "x2", "y2" };
              static const char *const xywhr[] = { "cx", "cy", "w", "h", "angle" };

              for (int c = 0; c < (layout == BM_YOLO_LAYOUT_OBB ? 5 : 4); c++)
                d.box[c] = json_object_get_double_member (o, layout == BM_YOLO_LAYOUT_OBB ? xywhr[c] : xyxy[c]);
              g_assert_cmpstr (json_object_get_string_member (o, "label"), ==,
                               json_object_get_string_member (o, "name"));
              g_array_append_val (found, d);
            }
          bm_test_assert_detections (found, reference, layout, 0.05, 5e-4, &max_coord, &max_score);
        }
    }
}

static BmAnnotation *
load_labels (const char *folder, const char *stem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open (folder, FALSE, &error);
  g_autofree char *image = NULL;
  int index;

  g_assert_no_error (error);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    if (strstr (bm_dataset_get_item (dataset, i)->image_path, stem) != NULL)
      image = g_strdup (bm_dataset_get_item (dataset, i)->image_path);
  g_assert_nonnull (image);
  index = bm_dataset_find_image (dataset, image);
  g_assert_cmpint (index, >=, 0);
  {
    BmAnnotation *annotation = bm_label_load (bm_dataset_get_item (dataset, (guint) index), &error);

    g_assert_no_error (error);
    return annotation;
  }
}

/* --write adds the detections as scored pre-annotations; a second run adds nothing. */
static void
test_write_voc (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *dir = NULL;
  g_autofree char *model = model_file ("tiny_det640");
  g_autofree char *reference = bm_test_models_path ("detections/tiny_det640__two_people.json");
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  guint n_objects;

  if (skip_without_opencv ())
    return;
  dir = make_folder ("flat");
  run_cli (&first, "detect", "--model", model, "--write", dir, NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.err, "[1/2]"));
  annotation = load_labels (dir, "two_people");
  n_objects = bm_annotation_get_n_objects (annotation);
  expected = bm_test_json_load (reference);
  /* NMS works per class at 0.7; the written objects also skip any overlapping an earlier one
   * of the same label by 0.5, so there are at most as many */
  g_assert_cmpuint (n_objects, >, 0);
  g_assert_cmpuint (n_objects, <=, json_array_get_length (json_node_get_array (expected)));
  for (guint i = 0; i < n_objects; i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const char *label = bm_object_get_label (object);

      g_assert_true (bm_object_get_pre_annotation (object) || bm_object_has_score (object));
      g_assert_cmpfloat (bm_object_get_score (object), >, 0.25);
      g_assert_true (strcmp (label, "person") == 0 || strcmp (label, "traffic light") == 0
                     || strcmp (label, "dog's bowl") == 0);
      g_assert_cmpint (bm_object_get_shape (object)->kind, ==, BM_SHAPE_BOX);
    }
  /* the first written object is the best detection, at its coordinates */
  {
    JsonObject *best = json_array_get_object_element (json_node_get_array (expected), 0);
    BmRect bounds = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, 0)));

    g_assert_cmpfloat (fabs (bounds.x1 - json_object_get_double_member (best, "x1")), <, 0.05);
    g_assert_cmpfloat (fabs (bounds.y2 - json_object_get_double_member (best, "y2")), <, 0.05);
  }

  run_cli (&second, "detect", "--model", model, "--write", dir, NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_nonnull (strstr (second.err, "0 added to 0 label files"));
  g_clear_object (&annotation);
  annotation = load_labels (dir, "two_people");
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, n_objects);
  bm_test_remove_tree (dir);
}

/* A class map renames, and skips the classes it does not list; errors name the line. */
static void
test_classes_map (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *dir = NULL;
  g_autofree char *model = model_file ("tiny_det640");
  g_autofree char *map = NULL;
  g_autofree char *bad_map = NULL;
  g_autofree char *image = fixture_image ("two_people");
  g_auto(Run) all = { 0 };
  g_auto(Run) mapped = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(GStrv) lines = NULL;
  guint n_person = 0;

  if (skip_without_opencv ())
    return;
  dir = g_dir_make_tmp ("bm-cli-map-XXXXXX", NULL);
  map = g_build_filename (dir, "map.txt", NULL);
  bad_map = g_build_filename (dir, "bad.txt", NULL);
  g_assert_true (g_file_set_contents (map, "# people only\n\nperson -> 行人\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad_map, "person\n2 -> bowl\ncat -> dog\n", -1, NULL));

  run_cli (&all, "detect", "--model", model, image, NULL);
  g_assert_cmpint (all.status, ==, 0);
  lines = g_strsplit (all.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n_person += g_str_has_suffix (lines[i], " person");
  g_assert_cmpuint (n_person, >, 0);

  run_cli (&mapped, "detect", "--model", model, "--classes-map", map, image, NULL);
  g_assert_cmpint (mapped.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (mapped.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_person + 1);
  for (guint i = 0; i < n_person; i++)
    g_assert_true (g_str_has_suffix (lines[i], " 行人"));

  run_cli (&bad, "detect", "--model", model, "--classes-map", bad_map, image, NULL);
  g_assert_cmpint (bad.status, ==, 3);
  g_assert_true (g_str_has_prefix (bad.err, bad_map));
  g_assert_nonnull (strstr (bad.err, ":3: the model has no class “cat”"));
  bm_test_remove_tree (dir);
}

/* OBB models: rotated boxes in VOC, quadrilaterals in Ultralytics' corner order in DOTA. */
static void
test_write_obb (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *model = model_file ("tiny_obb320");
  g_autofree char *reference = bm_test_models_path ("detections/tiny_obb320__astronaut.json");
  g_autoptr(JsonNode) expected = NULL;
  JsonObject *best;

  if (skip_without_opencv ())
    return;
  expected = bm_test_json_load (reference);
  best = json_array_get_object_element (json_node_get_array (expected), 0);
  for (int dota = 0; dota <= 1; dota++)
    {
      g_autofree char *dir = make_folder (dota ? "dota" : "flat");
      g_autoptr(BmAnnotation) annotation = NULL;
      g_auto(Run) run = { 0 };
      const BmShape *shape;

      run_cli (&run, "detect", "--model", model, "--write", dir, NULL);
      g_assert_cmpint (run.status, ==, 0);
      annotation = load_labels (dir, "astronaut");
      g_assert_cmpint (bm_annotation_get_format (annotation), ==, dota ? BM_FORMAT_DOTA : BM_FORMAT_VOC);
      g_assert_cmpuint (bm_annotation_get_n_objects (annotation), >, 0);
      shape = bm_object_get_shape (bm_annotation_get_object (annotation, 0));
      g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (annotation, 0)), ==,
                       json_object_get_string_member (best, "name"));
      if (dota)
        {
          JsonArray *corners = json_object_get_array_member (best, "corners");

          gboolean tank = FALSE;

          /* a DOTA class name is one word */
          for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
            {
              const char *label = bm_object_get_label (bm_annotation_get_object (annotation, i));

              g_assert_null (strchr (label, ' '));
              tank |= strcmp (label, "storage-tank") == 0;
            }
          g_assert_true (tank);
          g_assert_nonnull (strstr (run.err, "“storage tank” is written as “storage-tank”"));
          g_assert_cmpint (shape->kind, ==, BM_SHAPE_QUAD);
          for (int k = 0; k < 4; k++)
            {
              JsonArray *point = json_array_get_array_element (corners, k);

              /* DOTA text keeps what was written; the corner order is Ultralytics' */
              g_assert_cmpfloat (fabs (shape->p[k].x - json_array_get_double_element (point, 0)), <, 0.05);
              g_assert_cmpfloat (fabs (shape->p[k].y - json_array_get_double_element (point, 1)), <, 0.05);
            }
        }
      else
        {
          double cx, cy, w, h, angle;

          g_assert_cmpint (shape->kind, ==, BM_SHAPE_ROTATED);
          bm_shape_get_rotated (shape, &cx, &cy, &w, &h, &angle);
          g_assert_cmpfloat (fabs (cx - json_object_get_double_member (best, "cx")), <, 0.05);
          g_assert_cmpfloat (fabs (cy - json_object_get_double_member (best, "cy")), <, 0.05);
          g_assert_cmpfloat (fabs (w - json_object_get_double_member (best, "w")), <, 0.05);
          g_assert_cmpfloat (fabs (h - json_object_get_double_member (best, "h")), <, 0.05);
          g_assert_cmpfloat (fabs (angle - json_object_get_double_member (best, "angle")), <, 1e-3);
        }
      bm_test_remove_tree (dir);
    }
}

/* One thread or several: the same output, byte for byte, in the same order. */
static void
test_threads (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *model = model_file ("tiny_det320");
  g_autofree char *dir = NULL;
  g_auto(Run) one = { 0 };
  g_auto(Run) two = { 0 };

  if (skip_without_opencv ())
    return;
  dir = make_folder ("flat");
  run_cli (&one, "detect", "-j", "1", "--model", model, dir, NULL);
  run_cli (&two, "detect", "-j", "2", "--model", model, dir, NULL);
  g_assert_cmpint (one.status, ==, 0);
  g_assert_cmpstr (one.out, ==, two.out);
  g_assert_cmpuint (strlen (one.out), >, 100);
  bm_test_remove_tree (dir);
}

static void
test_refused (void)
{
  g_autofree char *model = model_file ("tiny_det320");
  g_autofree char *image = fixture_image ("astronaut");
  g_auto(Run) missing = { 0 };
  g_auto(Run) both = { 0 };
  g_auto(Run) conf = { 0 };
  g_auto(Run) map_alone = { 0 };

  run_cli (&both, "detect", "--model", model, "--cascade", "face", image, NULL);
  g_assert_cmpint (both.status, ==, 2);
  g_assert_nonnull (strstr (both.err, "--classes-map"));
  run_cli (&conf, "detect", "--model", model, "--conf", "1.5", image, NULL);
  g_assert_cmpint (conf.status, ==, 2);
  run_cli (&map_alone, "detect", "--classes-map", "x.txt", image, NULL);
  g_assert_cmpint (map_alone.status, ==, 2);
  if (skip_without_opencv ())
    return;
  run_cli (&missing, "detect", "--model", "/nonexistent/m.onnx", image, NULL);
  g_assert_cmpint (missing.status, ==, 3);
  g_assert_cmpstr (missing.err, ==, "/nonexistent/m.onnx: no such file\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/model/json", test_json_matches_reference);
  g_test_add_func ("/cli/model/write-voc", test_write_voc);
  g_test_add_func ("/cli/model/classes-map", test_classes_map);
  g_test_add_func ("/cli/model/write-obb", test_write_obb);
  g_test_add_func ("/cli/model/threads", test_threads);
  g_test_add_func ("/cli/model/refused", test_refused);
  return g_test_run ();
}
