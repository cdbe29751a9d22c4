/* test-model-detect.c: class maps and the model detections → pre-annotation rule of
 * dataset/bm-model-detect (no OpenCV needed).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "core/bm-error.h"
#include "dataset/bm-model-detect.h"
#include "bm-test-util.h"

/* Names that could be read as something else: a number, an arrow, a comment. */
static const char *const names[] = { "person", "traffic light", "dog's bowl", "1", "a -> b", "0", "#tag", NULL };

static void
assert_labels (GPtrArray *labels, const char *const *expected, guint n)
{
  g_assert_cmpuint (labels->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (labels, i), ==, expected[i]);
}

static void
test_map_parse (void)
{
  const char *text = "# people and lights\n"
                     "\n"
                     "  person -> 行人  \n"
                     "traffic light\n"
                     "2->bowl\n"
                     "a -> b\n";
  const char *const expected[] = { "行人", "traffic light", "bowl", NULL, "a -> b", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = bm_model_class_map_parse (text, strlen (text), "map.txt", names, &error);

  g_assert_no_error (error);
  /* "a -> b" names a class as a whole line, so it is kept, not read as a → b */
  assert_labels (labels, expected, 7);
}

static void
test_map_errors (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "person\ncat -> dog\n", "bad.txt:2: the model has no class “cat”" },
    { "person\n\nperson -> people\n", "bad.txt:3: class “person” is mapped twice" },
    { "person ->  \n", "bad.txt:1: no label after “->”" },
    { "7 -> seven\n", "bad.txt:1: the model has no class “7”" },
    { "person\n\xff\n", "bad.txt:1: not UTF-8 text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) labels = bm_model_class_map_parse (cases[i].text, strlen (cases[i].text), "bad.txt", names,
                                                              &error);

      g_assert_null (labels);
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* What to_text writes, parse reads back as it was, whatever the names look like. */
static void
test_map_round_trip (void)
{
  g_autoptr(GPtrArray) identity = bm_model_class_map_new_identity (names);
  g_autoptr(GPtrArray) some = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *maps[] = { identity, some };

  g_ptr_array_add (some, g_strdup ("people"));
  g_ptr_array_add (some, NULL);
  g_ptr_array_add (some, g_strdup ("bowl -> dish"));
  g_ptr_array_add (some, g_strdup ("one"));
  g_ptr_array_add (some, NULL);
  g_ptr_array_add (some, g_strdup ("zero"));
  g_ptr_array_add (some, g_strdup ("#tag"));
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      g_autofree char *text = bm_model_class_map_to_text (names, maps[m]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) back = bm_model_class_map_parse (text, strlen (text), "map.txt", names, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, maps[m]->len);
      for (guint i = 0; i < back->len; i++)
        g_assert_cmpstr (g_ptr_array_index (back, i), ==, g_ptr_array_index (maps[m], i));
    }
}

static BmYoloDetection
detection (int class_id, float score, double a, double b, double c, double d, double angle)
{
  BmYoloDetection det = { class_id, score, 0, { a, b, c, d, angle } };

  return det;
}

/* The cascades' rule: no box where an object of the same label already is (IoU ≥ 0.5), nor
 * twice in one run; classes without a label are skipped. */
static void
test_new_objects_detect (void)
{
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (BmYoloDetection));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(BmObject) existing = NULL;
  BmYoloDetection d;
  BmShape shape;

  bm_shape_init_box (&shape, 10, 10, 110, 110);
  existing = bm_object_new ("person", &shape);
  bm_annotation_add_object (annotation, existing);
  g_ptr_array_add (labels, g_strdup ("person"));   /* class 0 */
  g_ptr_array_add (labels, NULL);                  /* class 1: skipped */
  g_ptr_array_add (labels, g_strdup ("person"));   /* class 2: also a person */
  g_ptr_array_add (labels, g_strdup ("car"));      /* class 3 */

  d = detection (0, 0.9f, 15, 15, 115, 115, 0);     /* IoU 0.82 with the existing person */
  g_array_append_val (found, d);
  d = detection (3, 0.8f, 15, 15, 115, 115, 0);     /* the same place, another label: added */
  g_array_append_val (found, d);
  d = detection (1, 0.7f, 200, 200, 300, 300, 0);   /* unmapped */
  g_array_append_val (found, d);
  d = detection (0, 0.6f, 200, 200, 300, 300, 0);   /* added */
  g_array_append_val (found, d);
  d = detection (2, 0.5f, 205, 205, 305, 305, 0);   /* a person again, over the one just added */
  g_array_append_val (found, d);
  d = detection (2, 0.4f, 400, 10, 450, 60, 0);     /* added */
  g_array_append_val (found, d);

  objects = bm_model_detect_new_objects (annotation, found, BM_ONNX_TASK_DETECT, labels, BM_FORMAT_VOC, 0.5);
  g_assert_cmpuint (objects->len, ==, 3);
  g_assert_cmpstr (bm_object_get_label (g_ptr_array_index (objects, 0)), ==, "car");
  g_assert_cmpstr (bm_object_get_label (g_ptr_array_index (objects, 1)), ==, "person");
  g_assert_cmpstr (bm_object_get_label (g_ptr_array_index (objects, 2)), ==, "person");
  g_assert_cmpfloat (bm_object_get_score (g_ptr_array_index (objects, 0)), ==, 0.8f);
  g_assert_true (bm_object_get_pre_annotation (g_ptr_array_index (objects, 2)));
  g_assert_cmpint (bm_object_get_shape (g_ptr_array_index (objects, 2))->kind, ==, BM_SHAPE_BOX);
  g_assert_cmpfloat (bm_object_get_shape (g_ptr_array_index (objects, 2))->p[2].x, ==, 450);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, 1);
}

/* OBB: a rotated box for VOC; for DOTA a quadrilateral in Ultralytics' corner order and a
 * one-word label. */
static void
test_new_objects_obb (void)
{
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (BmYoloDetection));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rotated = NULL;
  g_autoptr(GPtrArray) quads = NULL;
  BmYoloDetection d = detection (0, 0.9f, 100, 50, 40, 20, 0.5);
  const BmShape *shape;
  double cx, cy, w, h, angle, xy[8];

  g_ptr_array_add (labels, g_strdup ("storage tank"));
  g_array_append_val (found, d);
  rotated = bm_model_detect_new_objects (annotation, found, BM_ONNX_TASK_OBB, labels, BM_FORMAT_VOC, 0.5);
  quads = bm_model_detect_new_objects (annotation, found, BM_ONNX_TASK_OBB, labels, BM_FORMAT_DOTA, 0.5);

  shape = bm_object_get_shape (g_ptr_array_index (rotated, 0));
  g_assert_cmpint (shape->kind, ==, BM_SHAPE_ROTATED);
  bm_shape_get_rotated (shape, &cx, &cy, &w, &h, &angle);
  g_assert_cmpfloat_with_epsilon (cx, 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (h, 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (angle, 0.5, 1e-9);
  g_assert_cmpstr (bm_object_get_label (g_ptr_array_index (rotated, 0)), ==, "storage tank");

  shape = bm_object_get_shape (g_ptr_array_index (quads, 0));
  g_assert_cmpint (shape->kind, ==, BM_SHAPE_QUAD);
  bm_yolo_obb_corners (d.box, xy);
  for (int k = 0; k < 4; k++)
    {
      g_assert_cmpfloat (shape->p[k].x, ==, xy[2 * k]);
      g_assert_cmpfloat (shape->p[k].y, ==, xy[2 * k + 1]);
    }
  /* c + v1 + v2 first: right and down of the centre for a small clockwise turn */
  g_assert_cmpfloat (shape->p[0].x, >, 100);
  g_assert_cmpfloat (shape->p[0].y, >, 50);
  g_assert_cmpstr (bm_object_get_label (g_ptr_array_index (quads, 0)), ==, "storage-tank");
}

/* The window's first guess maps by name, loosely; without dataset classes, every class. */
static void
test_map_by_name (void)
{
  const char *const model[] = { "person", "storage tank", "Small_Vehicle", "car", NULL };
  const char *const dataset[] = { "car", "storage-tank", "small vehicle", "Person ", NULL };
  const char *const expected[] = { NULL, "storage-tank", "small vehicle", "car" };
  const char *const none[] = { NULL };
  g_autoptr(GPtrArray) labels = bm_model_class_map_by_name (model, dataset);
  g_autoptr(GPtrArray) all = bm_model_class_map_by_name (model, none);

  /* "Person " differs by a space at the end: not the same class */
  assert_labels (labels, expected, 4);
  assert_labels (all, model, 4);
}

/* The model and class map remembered per folder, in the user's configuration folder. */
static void
test_remember (void)
{
  g_autoptr(GPtrArray) labels = bm_model_class_map_by_name (names, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *map = NULL;
  g_autofree char *model = NULL;
  g_autofree char *other = NULL;

  g_assert_null (bm_model_detect_recall ("/data/a", &map));
  g_free (g_ptr_array_index (labels, 0));
  g_ptr_array_index (labels, 0) = g_strdup ("行人");
  g_free (g_ptr_array_index (labels, 2));
  g_ptr_array_index (labels, 2) = NULL;
  g_assert_true (bm_model_detect_remember ("/data/a", "/models/best.onnx", names, labels, &error));
  g_assert_no_error (error);
  g_assert_true (bm_model_detect_remember ("/data/b [2]", "/models/other.onnx", names, labels, &error));
  g_assert_no_error (error);

  model = bm_model_detect_recall ("/data/a", &map);
  g_assert_cmpstr (model, ==, "/models/best.onnx");
  {
    g_autoptr(GPtrArray) back = bm_model_class_map_parse (map, strlen (map), "models.ini", names, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (back->len, ==, labels->len);
    for (guint i = 0; i < back->len; i++)
      g_assert_cmpstr (g_ptr_array_index (back, i), ==, g_ptr_array_index (labels, i));
  }
  other = bm_model_detect_recall ("/data/b [2]", NULL);
  g_assert_cmpstr (other, ==, "/models/other.onnx");
}

int
main (int argc, char **argv)
{
  g_autofree char *config = g_dir_make_tmp ("bm-model-detect-XXXXXX", NULL);

  /* before GLib reads it: remembered models go to a temporary folder */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model-detect/map/by-name", test_map_by_name);
  g_test_add_func ("/model-detect/remember", test_remember);
  g_test_add_func ("/model-detect/map/parse", test_map_parse);
  g_test_add_func ("/model-detect/map/errors", test_map_errors);
  g_test_add_func ("/model-detect/map/round-trip", test_map_round_trip);
  g_test_add_func ("/model-detect/objects/detect", test_new_objects_detect);
  g_test_add_func ("/model-detect/objects/obb", test_new_objects_obb);
  {
    int status = g_test_run ();

    bm_test_remove_tree (config);
    return status;
  }
}
