/* bm-test-yolo.c: reading the YOLO fixtures of $BM_TESTDATA/models.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-test-yolo.h"

char *
bm_test_models_path (const char *relative)
{
  const char *testdata = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (testdata);
  return g_build_filename (testdata, "models", relative, NULL);
}

float *
bm_test_npy_load (const char *path, int *dims, int *n_dims)
{
  g_autofree char *data = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GError) error = NULL;
  gsize length, header_length, offset, count = 1;
  const char *shape;
  float *values;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_cmpuint (length, >, 10);
  g_assert_cmpmem (data, 6, "\x93NUMPY", 6);
  if (data[6] == 1)
    {
      header_length = (guint8) data[8] | (gsize) (guint8) data[9] << 8;
      offset = 10;
    }
  else
    {
      header_length = (guint8) data[8] | (gsize) (guint8) data[9] << 8 | (gsize) (guint8) data[10] << 16
                      | (gsize) (guint8) data[11] << 24;
      offset = 12;
    }
  g_assert_cmpuint (offset + header_length, <=, length);
  header = g_strndup (data + offset, header_length);
  g_assert_nonnull (strstr (header, "'descr': '<f4'"));
  g_assert_nonnull (strstr (header, "'fortran_order': False"));
  shape = strstr (header, "'shape': (");
  g_assert_nonnull (shape);
  shape += strlen ("'shape': (");
  *n_dims = 0;
  while (*shape != ')')
    {
      char *end;
      guint64 v = g_ascii_strtoull (shape, &end, 10);

      g_assert_true (end != shape);
      g_assert_cmpint (*n_dims, <, 8);
      dims[(*n_dims)++] = (int) v;
      count *= v;
      shape = end;
      while (*shape == ',' || *shape == ' ')
        shape++;
    }
  offset += header_length;
  g_assert_cmpuint (length - offset, ==, count * sizeof (float));
  values = g_new (float, count);
  memcpy (values, data + offset, count * sizeof (float));   /* the test machines are little-endian */
  return values;
}

JsonNode *
bm_test_json_load (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

void
bm_test_model_layout (JsonObject *manifest, const char *model, BmYoloLayout *layout, int *n_classes, int *image_size)
{
  JsonObject *info = json_object_get_object_member (json_object_get_object_member (manifest, "models"), model);
  const char *task = json_object_get_string_member (info, "task");
  const char *architecture = json_object_get_string_member_with_default (info, "architecture", "");

  if (strcmp (architecture, "YOLOv5n") == 0)
    *layout = BM_YOLO_LAYOUT_V5;
  else
    *layout = strcmp (task, "obb") == 0 ? BM_YOLO_LAYOUT_OBB : BM_YOLO_LAYOUT_V8;
  *n_classes = (int) json_object_get_int_member (info, "nc");
  *image_size = (int) json_object_get_int_member (info, "imgsz");
}

void
bm_test_assert_detections (GArray *found, const char *path, BmYoloLayout layout, double coord_tolerance,
                           double score_tolerance, double *max_coord, double *max_score)
{
  g_autoptr(JsonNode) root = bm_test_json_load (path);
  JsonArray *expected = json_node_get_array (root);
  static const char *const detect_keys[] = { "x1", "y1", "x2", "y2" };
  static const char *const obb_keys[] = { "cx", "cy", "w", "h", "angle" };
  const char *const *keys = layout == BM_YOLO_LAYOUT_OBB ? obb_keys : detect_keys;
  int n_keys = layout == BM_YOLO_LAYOUT_OBB ? 5 : 4;

  g_assert_cmpuint (found->len, ==, json_array_get_length (expected));
  for (guint i = 0; i < found->len; i++)
    {
      const BmYoloDetection *d = &g_array_index (found, BmYoloDetection, i);
      JsonObject *e = json_array_get_object_element (expected, i);
      double score_diff = fabs (d->score - json_object_get_double_member (e, "score"));

      g_assert_cmpint (d->class_id, ==, json_object_get_int_member (e, "class"));
      g_assert_cmpfloat (score_diff, <=, score_tolerance);
      *max_score = MAX (*max_score, score_diff);
      for (int k = 0; k < n_keys; k++)
        {
          double diff = fabs (d->box[k] - json_object_get_double_member (e, keys[k]));

          /* an angle is in radians: its tolerance is the coordinates' over the box size */
          if (k == 4)
            diff *= MAX (d->box[2], d->box[3]) / 2;
          if (diff > coord_tolerance)
            g_error ("%s: detection %u: %s is %.6f, expected %.6f", path, i, keys[k], d->box[k],
                     json_object_get_double_member (e, keys[k]));
          *max_coord = MAX (*max_coord, diff);
        }
      if (layout == BM_YOLO_LAYOUT_OBB)
        {
          JsonArray *corners = json_object_get_array_member (e, "corners");
          double xy[8];

          bm_yolo_obb_corners (d->box, xy);
          for (int k = 0; k < 4; k++)
            {
              JsonArray *point = json_array_get_array_element (corners, k);

              g_assert_cmpfloat (fabs (xy[2 * k] - json_array_get_double_element (point, 0)), <=, coord_tolerance);
              g_assert_cmpfloat (fabs (xy[2 * k + 1] - json_array_get_double_element (point, 1)), <=, coord_tolerance);
            }
        }
    }
}
