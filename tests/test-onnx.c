/* test-onnx.c: the YOLO models of $BM_TESTDATA/models through OpenCV 4.6 and Boxmark's
 * pre- and post-processing, against Ultralytics' reference tensors and detections; the ONNX
 * metadata reader; exports that must be refused. Tests needing OpenCV skip without it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "core/bm-error.h"
#include "core/bm-image.h"
#include "core/bm-onnx-meta.h"
#include "core/bm-onnx-model.h"
#include "core/bm-onnx-net.h"
#include "core/bm-parallel.h"
#include "bm-test-util.h"
#include "bm-test-yolo.h"

static const char *const all_models[] = {
  "tiny_det320", "tiny_det640", "tiny_obb320", "yolov8n", "yolo11n", "yolov5n", "yolov8n-obb",
};

static gboolean
skip_without_opencv (void)
{
  if (bm_onnx_net_available ())
    return FALSE;
  g_test_skip ("built without OpenCV's DNN module (-Donnx=disabled)");
  return TRUE;
}

static char *
model_path (const char *model)
{
  g_autofree char *file = g_strdup_printf ("%s.onnx", model);

  return bm_test_models_path (file);
}

/* The image a fixture stands for, as the exact pixels OpenCV decoded. */
static BmImage *
load_fixture_image (const char *stem)
{
  const char *testdata = g_getenv ("BM_TESTDATA");
  g_autofree char *path = strcmp (stem, "two_people") == 0
                            ? g_build_filename (testdata, "models", "images", "two_people.png", NULL)
                            : g_build_filename (testdata, "detect", "astronaut.png", NULL);
  g_autoptr(GError) error = NULL;
  BmImage *image = bm_image_load (path, &error);

  g_assert_no_error (error);
  return image;
}

static JsonObject *
manifest_models (JsonNode *manifest)
{
  return json_object_get_object_member (json_node_get_object (manifest), "models");
}

static JsonNode *
load_manifest (void)
{
  g_autofree char *path = bm_test_models_path ("manifest.json");

  return bm_test_json_load (path);
}

/* ---- metadata ------------------------------------------------------------------------------ */

static BmOnnxInfo *
parse_file (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return bm_onnx_info_parse ((const guint8 *) data, length, path, error);
}

static void
test_meta_models (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autoptr(JsonNode) manifest = load_manifest ();

  for (guint m = 0; m < G_N_ELEMENTS (all_models); m++)
    {
      JsonObject *info_json = json_object_get_object_member (manifest_models (manifest), all_models[m]);
      JsonArray *expected_names = json_object_get_array_member (info_json, "names");
      g_autofree char *path = model_path (all_models[m]);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmOnnxInfo) info = parse_file (path, &error);
      g_auto(GStrv) names = NULL;
      const char *task = bm_onnx_info_lookup (info, "task");
      int size = (int) json_object_get_int_member (info_json, "imgsz");

      g_assert_no_error (error);
      g_assert_cmpint (info->opset, ==, 12);
      g_assert_cmpuint (info->n_shape_nodes, ==, 0);
      g_assert_cmpuint (info->n_nodes, >, 20);
      g_assert_cmpstr (info->input_name, ==, "images");
      g_assert_cmpint (info->n_input_dims, ==, 4);
      g_assert_cmpint (info->input_dims[0], ==, 1);
      g_assert_cmpint (info->input_dims[1], ==, 3);
      g_assert_cmpint (info->input_dims[2], ==, size);
      g_assert_cmpint (info->input_dims[3], ==, size);
      g_assert_cmpstr (info->output_name, ==, "output0");
      g_assert_cmpstr (bm_onnx_info_lookup (info, "stride"), ==, "32");
      names = bm_onnx_parse_names (bm_onnx_info_lookup (info, "names"), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (names), ==, json_array_get_length (expected_names));
      for (guint i = 0; names[i] != NULL; i++)
        g_assert_cmpstr (names[i], ==, json_array_get_string_element (expected_names, i));
      if (strcmp (all_models[m], "yolov5n") == 0)
        {
          /* yolov5's export.py writes only stride and names */
          g_assert_null (task);
          g_assert_null (bm_onnx_info_lookup (info, "imgsz"));
          g_assert_cmpuint (info->keys->len, ==, 2);
        }
      else
        {
          gint64 imgsz[2];

          g_assert_cmpstr (task, ==, json_object_get_string_member (info_json, "task"));
          g_assert_cmpint (bm_onnx_parse_ints (bm_onnx_info_lookup (info, "imgsz"), imgsz, 2, &error), ==, 2);
          g_assert_cmpint (imgsz[0], ==, size);
          g_assert_cmpint (imgsz[1], ==, size);
          g_assert_cmpstr (g_ptr_array_index (info->keys, 0), ==, "description");
        }
    }
}

static void
test_meta_literals (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  gint64 v[3];

  names = bm_onnx_parse_names ("{0: 'person', 1: \"dog's bowl\", 2: 'a\\\\b\\n\\'c', 3: '\\u4eba\\x41', 4: '车'}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 5);
  g_assert_cmpstr (names[1], ==, "dog's bowl");
  g_assert_cmpstr (names[2], ==, "a\\b\n'c");
  g_assert_cmpstr (names[3], ==, "人A");
  g_assert_cmpstr (names[4], ==, "车");
  g_clear_pointer (&names, g_strfreev);
  names = bm_onnx_parse_names ("{1: 'b', 0: 'a',}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (names[0], ==, "a");
  g_assert_cmpstr (names[1], ==, "b");
  g_clear_pointer (&names, g_strfreev);
  names = bm_onnx_parse_names ("['x', 'y z']", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (names[1], ==, "y z");
  g_clear_pointer (&names, g_strfreev);

  static const char *const bad[] = {
    "", "{", "{0: 'a'", "{0: 'a', 2: 'c'}", "{0: 'a', 0: 'b'}", "{0 'a'}", "{0: a}", "['a' 'b']",
    "{0: 'a\\q'}", "{0: 'a\\x4'}", "{0: 'a\\x00'}", "{0: 'a'} x", "{-1: 'a'}", "{0: 'unterminated}",
    "{0: '\\ud800'}", "{99999999999999999999: 'a'}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      names = bm_onnx_parse_names (bad[i], &error);
      if (names != NULL)
        g_error ("names “%s” were accepted", bad[i]);
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
      g_clear_error (&error);
    }

  g_assert_cmpint (bm_onnx_parse_ints ("[640, 640]", v, 3, &error), ==, 2);
  g_assert_cmpint (v[1], ==, 640);
  g_assert_cmpint (bm_onnx_parse_ints ("(384, 640)", v, 3, &error), ==, 2);
  g_assert_cmpint (v[0], ==, 384);
  g_assert_cmpint (bm_onnx_parse_ints (" 32 ", v, 3, &error), ==, 1);
  g_assert_cmpint (v[0], ==, 32);
  g_assert_no_error (error);
  g_assert_cmpint (bm_onnx_parse_ints ("[1, 2, 3, 4]", v, 3, &error), ==, -1);
  g_clear_error (&error);
  g_assert_cmpint (bm_onnx_parse_ints ("32.0", v, 3, &error), ==, -1);
  g_clear_error (&error);
  g_assert_cmpint (bm_onnx_parse_ints ("[640 640]", v, 3, &error), ==, -1);
  g_clear_error (&error);
}

/* Bad files: every one an error naming the file, never a crash. */
static void
test_meta_bad_files (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *path = model_path ("tiny_det320");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  static const guint8 garbage[][6] = {
    { 0x08, 0x80, 0x80, 0x80, 0x80, 0x80 },   /* a varint that never ends */
    { 0x3a, 0x7f, 0x00, 0x00, 0x00, 0x00 },   /* graph longer than the file */
    { 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00 },   /* a group */
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },   /* field 0 */
  };

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  /* cut anywhere in the metadata at the end: refused, unless the cut falls between two fields
   * (protobuf cannot tell), when the entries after it are missing */
  {
    g_autoptr(BmOnnxInfo) whole = bm_onnx_info_parse ((const guint8 *) data, length, "whole.onnx", &error);
    guint refused = 0;

    g_assert_no_error (error);
    for (gsize cut = length - 1; cut > length - 400; cut--)
      {
        g_autoptr(BmOnnxInfo) info = bm_onnx_info_parse ((const guint8 *) data, cut, "cut.onnx", &error);

        if (info != NULL)
          {
            g_assert_no_error (error);
            g_assert_cmpuint (info->keys->len, <, whole->keys->len);
            continue;
          }
        g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
        g_assert_true (g_str_has_prefix (error->message, "cut.onnx: "));
        g_clear_error (&error);
        refused++;
      }
    g_assert_cmpuint (refused, >, 350);
  }
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(BmOnnxInfo) info = bm_onnx_info_parse (garbage[i], sizeof garbage[i], "bad.onnx", &error);

      g_assert_null (info);
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
      g_clear_error (&error);
    }
  {
    g_autoptr(BmOnnxInfo) info = bm_onnx_info_parse ((const guint8 *) "", 0, "empty.onnx", &error);

    g_assert_null (info);
    g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  }
}

/* ---- OpenCV: tensors and detections ----------------------------------------------------- */

/* The letterboxed input tensor is bit for bit the reference's (cv2.resize, padding, /255). */
static void
test_letterbox_tensor (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  static const char *const stems[] = { "two_people", "astronaut" };

  if (skip_without_opencv ())
    return;
  for (guint s = 0; s < G_N_ELEMENTS (stems); s++)
    for (int size = 320; size <= 640; size *= 2)
      {
        g_autoptr(BmImage) image = load_fixture_image (stems[s]);
        g_autofree char *relative = g_strdup_printf ("inputs/%s_%d.npy", stems[s], size);
        g_autofree char *path = bm_test_models_path (relative);
        int dims[8], n_dims;
        g_autofree float *expected = bm_test_npy_load (path, dims, &n_dims);
        g_autofree float *tensor = g_new (float, 3 * (gsize) size * size);
        g_autoptr(GError) error = NULL;
        BmLetterbox lb;
        gsize differ = 0;

        g_assert_cmpint (n_dims, ==, 4);
        g_assert_cmpint (dims[2], ==, size);
        g_assert_true (bm_onnx_letterbox_image (image, size, size, &lb, tensor, &error));
        g_assert_no_error (error);
        for (gsize i = 0; i < 3 * (gsize) size * size; i++)
          differ += tensor[i] != expected[i];
        g_assert_cmpuint (differ, ==, 0);
      }
}

/* Each model's raw output on the reference input, within the README's tolerances of the
 * reference (NumPy float64 for the tiny models, PyTorch for the replicas). */
static void
test_forward (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autoptr(JsonNode) manifest = load_manifest ();

  if (skip_without_opencv ())
    return;
  for (guint m = 0; m < G_N_ELEMENTS (all_models); m++)
    {
      const char *name = all_models[m];
      JsonObject *images = json_object_get_object_member (json_object_get_object_member (manifest_models (manifest), name),
                                                          "images");
      g_autoptr(GList) stems = json_object_get_members (images);
      g_autofree char *path = model_path (name);
      g_autofree char *data = NULL;
      gboolean tiny = g_str_has_prefix (name, "tiny");
      BmYoloLayout layout;
      int nc, size;
      gsize length;

      bm_test_model_layout (json_node_get_object (manifest), name, &layout, &nc, &size);
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      for (GList *s = stems; s != NULL; s = s->next)
        {
          JsonObject *entry = json_object_get_object_member (images, s->data);
          g_autofree char *input_path = bm_test_models_path (json_object_get_string_member (entry, "input"));
          g_autofree char *raw_path = bm_test_models_path (json_object_get_string_member (entry, "raw"));
          int in_dims[8], raw_dims[8], out_dims[8], n_in, n_raw, n_out;
          g_autofree float *input = bm_test_npy_load (input_path, in_dims, &n_in);
          g_autofree float *raw = bm_test_npy_load (raw_path, raw_dims, &n_raw);
          g_autoptr(GError) error = NULL;
          g_autoptr(BmOnnxNet) net = bm_onnx_net_new ((const guint8 *) data, length, path, size, size,
                                                      bm_yolo_count_anchors (size, size, 32), &error);
          const float *out;
          double max_box = 0, max_score = 0;
          gsize count = 1;

          g_assert_no_error (error);
          /* the stride constant is expanded in every v8/v11 head, and nothing in YOLOv5 */
          g_assert_cmpint (bm_onnx_net_get_n_patched (net), ==, layout == BM_YOLO_LAYOUT_V5 ? 0 : 1);
          memcpy (bm_onnx_net_get_input (net), input, sizeof (float) * 3 * (gsize) size * size);
          out = bm_onnx_net_forward (net, out_dims, &n_out, &error);
          g_assert_no_error (error);
          g_assert_cmpint (n_out, ==, n_raw);
          for (int d = 0; d < n_out; d++)
            {
              g_assert_cmpint (out_dims[d], ==, raw_dims[d]);
              count *= (gsize) out_dims[d];
            }
          for (gsize i = 0; i < count; i++)
            {
              gsize channel = layout == BM_YOLO_LAYOUT_V5 ? i % (gsize) raw_dims[2] : i / (gsize) raw_dims[2];
              double diff = fabs ((double) out[i] - raw[i]);

              if (channel < 4)
                max_box = MAX (max_box, diff);
              else
                max_score = MAX (max_score, diff);
            }
          g_test_message ("%s %s: raw output within %.2g (box rows) and %.2g (other rows)", name,
                          (const char *) s->data, max_box, max_score);
          g_assert_cmpfloat (max_box, <=, tiny ? 1e-3 : 0.1);
          g_assert_cmpfloat (max_score, <=, tiny ? 1e-5 : 2e-4);
        }
    }
}

/* Image file → detections, the whole way: the reference detections of every model and image,
 * in the same order, classes equal, coordinates within 0.05 px and scores within 5e-4. */
static void
test_detect (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autoptr(JsonNode) manifest = load_manifest ();
  double max_coord = 0, max_score = 0;
  guint n_sets = 0;

  if (skip_without_opencv ())
    return;
  for (guint m = 0; m < G_N_ELEMENTS (all_models); m++)
    {
      const char *name = all_models[m];
      JsonObject *images = json_object_get_object_member (json_object_get_object_member (manifest_models (manifest), name),
                                                          "images");
      g_autoptr(GList) stems = json_object_get_members (images);
      g_autofree char *path = model_path (name);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmOnnxModel) model = bm_onnx_model_load (path, &error);
      BmYoloLayout layout;
      int nc, size;

      g_assert_no_error (error);
      bm_test_model_layout (json_node_get_object (manifest), name, &layout, &nc, &size);
      g_assert_cmpint (bm_onnx_model_get_layout (model), ==, layout);
      g_assert_cmpuint (bm_onnx_model_get_n_classes (model), ==, (guint) nc);
      g_assert_cmpint (bm_onnx_model_get_task (model), ==, layout == BM_YOLO_LAYOUT_OBB ? BM_ONNX_TASK_OBB : BM_ONNX_TASK_DETECT);
      for (GList *s = stems; s != NULL; s = s->next)
        {
          JsonObject *entry = json_object_get_object_member (images, s->data);
          g_autofree char *det_path = bm_test_models_path (json_object_get_string_member (entry, "detections"));
          g_autoptr(BmImage) image = load_fixture_image (s->data);
          g_autoptr(GArray) found = NULL;
          BmYoloParams params;

          bm_yolo_params_init (&params);
          found = bm_onnx_model_detect (model, image, &params, &error);
          g_assert_no_error (error);
          bm_test_assert_detections (found, det_path, layout, 0.05, 5e-4, &max_coord, &max_score);
          n_sets++;
        }
    }
  g_assert_cmpuint (n_sets, ==, 14);
  g_test_message ("14 detection sets through OpenCV: coordinates within %.3g px, scores within %.2g", max_coord,
                  max_score);
}

typedef struct
{
  BmOnnxModel *model;
  BmImage *images[2];
  GArray *found[8];
} ThreadData;

static void
detect_one (guint index, gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GError) error = NULL;
  BmYoloParams params;

  bm_yolo_params_init (&params);
  data->found[index] = bm_onnx_model_detect (data->model, data->images[index % 2], &params, &error);
  g_assert_no_error (error);
}

/* Concurrent calls on one model each get a network of their own and the same results. */
static void
test_detect_threads (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *path = model_path ("tiny_obb320");
  g_autoptr(GError) error = NULL;
  ThreadData data = { 0 };

  if (skip_without_opencv ())
    return;
  data.model = bm_onnx_model_load (path, &error);
  g_assert_no_error (error);
  data.images[0] = load_fixture_image ("two_people");
  data.images[1] = load_fixture_image ("astronaut");
  bm_parallel_for (8, 4, detect_one, &data);
  for (guint i = 2; i < 8; i++)
    {
      g_assert_cmpuint (data.found[i]->len, ==, data.found[i % 2]->len);
      g_assert_cmpmem (data.found[i]->data, data.found[i]->len * sizeof (BmYoloDetection), data.found[i % 2]->data,
                       data.found[i % 2]->len * sizeof (BmYoloDetection));
    }
  for (guint i = 0; i < 8; i++)
    g_array_unref (data.found[i]);
  bm_image_unref (data.images[0]);
  bm_image_unref (data.images[1]);
  bm_onnx_model_unref (data.model);
}

/* ---- refusals ---------------------------------------------------------------------------- */

static void
put_varint (GByteArray *b, guint64 v)
{
  do
    {
      guint8 byte = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);

      g_byte_array_append (b, &byte, 1);
      v >>= 7;
    }
  while (v != 0);
}

static void
put_bytes (GByteArray *b, guint field, const void *data, gsize length)
{
  put_varint (b, (guint64) field << 3 | 2);
  put_varint (b, length);
  g_byte_array_append (b, data, (guint) length);
}

static void
put_string (GByteArray *b, guint field, const char *s)
{
  put_bytes (b, field, s, strlen (s));
}

static void
put_message (GByteArray *b, guint field, GByteArray *message)
{
  put_bytes (b, field, message->data, message->len);
}

static guint64
get_varint (const guint8 *data, gsize *pos)
{
  guint64 v = 0;

  for (int shift = 0;; shift += 7)
    {
      guint8 byte = data[(*pos)++];

      v |= (guint64) (byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return v;
    }
}

typedef enum { EDIT_OPSET_13, EDIT_SHAPE_NODE, EDIT_DYNAMIC_INPUT, EDIT_TASK_SEGMENT, EDIT_BAD_NAMES } Edit;

/* Rewrites the well-formed ModelProto @data with one change: a test-only protobuf writer. */
static GByteArray *
edit_model (const guint8 *data, gsize length, Edit edit)
{
  GByteArray *out = g_byte_array_new ();
  gsize pos = 0;

  while (pos < length)
    {
      gsize start = pos;
      guint64 tag = get_varint (data, &pos);
      guint field = (guint) (tag >> 3), wire = (guint) (tag & 7);
      gsize payload = pos, payload_length = 0;

      if (wire == 0)
        get_varint (data, &pos);
      else
        {
          g_assert_cmpuint (wire, ==, 2);
          payload_length = get_varint (data, &pos);
          payload = pos;
          pos += payload_length;
        }
      if (edit == EDIT_OPSET_13 && field == 8)
        continue;
      if (field == 7 && (edit == EDIT_SHAPE_NODE || edit == EDIT_DYNAMIC_INPUT))
        {
          g_autoptr(GByteArray) graph = g_byte_array_new ();
          gsize gpos = payload;

          while (gpos < payload + payload_length)
            {
              gsize gstart = gpos;
              guint64 gtag = get_varint (data, &gpos);
              gsize glength = (gtag & 7) == 2 ? get_varint (data, &gpos) : 0;

              if ((gtag & 7) == 0)
                get_varint (data, &gpos);
              gpos += glength;
              if (edit == EDIT_DYNAMIC_INPUT && (gtag >> 3) == 11)
                continue;
              g_byte_array_append (graph, data + gstart, (guint) (gpos - gstart));
            }
          if (edit == EDIT_SHAPE_NODE)
            {
              g_autoptr(GByteArray) node = g_byte_array_new ();

              put_string (node, 1, "images");
              put_string (node, 2, "images_shape");
              put_string (node, 4, "Shape");
              put_message (graph, 1, node);
            }
          else
            {
              g_autoptr(GByteArray) shape = g_byte_array_new ();
              g_autoptr(GByteArray) tensor = g_byte_array_new ();
              g_autoptr(GByteArray) type = g_byte_array_new ();
              g_autoptr(GByteArray) value = g_byte_array_new ();
              const char *dims[] = { "1", "3", "height", "width" };

              for (int d = 0; d < 4; d++)
                {
                  g_autoptr(GByteArray) dim = g_byte_array_new ();

                  if (g_ascii_isdigit (dims[d][0]))
                    {
                      put_varint (dim, 1 << 3 | 0);
                      put_varint (dim, (guint64) (dims[d][0] - '0'));
                    }
                  else
                    put_string (dim, 2, dims[d]);
                  put_message (shape, 1, dim);
                }
              put_varint (tensor, 1 << 3 | 0);
              put_varint (tensor, 1);
              put_message (tensor, 2, shape);
              put_message (type, 1, tensor);
              put_string (value, 1, "images");
              put_message (value, 2, type);
              put_message (graph, 11, value);
            }
          put_message (out, 7, graph);
          continue;
        }
      g_byte_array_append (out, data + start, (guint) (pos - start));
    }
  if (edit == EDIT_OPSET_13)
    {
      g_autoptr(GByteArray) opset = g_byte_array_new ();

      put_string (opset, 1, "");
      put_varint (opset, 2 << 3 | 0);
      put_varint (opset, 13);
      put_message (out, 8, opset);
    }
  if (edit == EDIT_TASK_SEGMENT || edit == EDIT_BAD_NAMES)
    {
      g_autoptr(GByteArray) entry = g_byte_array_new ();

      put_string (entry, 1, edit == EDIT_TASK_SEGMENT ? "task" : "names");
      put_string (entry, 2, edit == EDIT_TASK_SEGMENT ? "segment" : "{0: 'cat', 1: 'dog'");
      put_message (out, 14, entry);
    }
  return out;
}

static char *
write_edited (const char *dir, const char *model, Edit edit)
{
  g_autofree char *path = model_path (model);
  g_autofree char *data = NULL;
  g_autoptr(GByteArray) edited = NULL;
  g_autofree char *file = g_strdup_printf ("%s-%d.onnx", model, edit);
  char *out = g_build_filename (dir, file, NULL);
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  edited = edit_model ((const guint8 *) data, length, edit);
  g_assert_true (g_file_set_contents (out, (const char *) edited->data, edited->len, NULL));
  return out;
}

static void
assert_refused (const char *path, const char *const *needles, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmOnnxModel) model = bm_onnx_model_load (path, &error);

  g_assert_null (model);
  g_assert_error (error, BM_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, path));
  for (; *needles != NULL; needles++)
    if (strstr (error->message, *needles) == NULL)
      g_error ("“%s” not in the message “%s”", *needles, error->message);
}

static void
test_refuse (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *dir = g_dir_make_tmp ("bm-onnx-XXXXXX", NULL);
  const char *const how[] = { "opset=12", "simplify=True", "format=onnx", NULL };
  const char *const opset[] = { "opset 13", "opset=12", "imgsz=320", "simplify=True", NULL };
  const char *const dynamic[] = { "not fixed", "simplify=True", NULL };
  const char *const segment[] = { "“segment” model", NULL };
  const char *const names[] = { "metadata “names”", NULL };
  const char *const missing[] = { "no such file", NULL };
  g_autofree char *p_opset = write_edited (dir, "tiny_det320", EDIT_OPSET_13);
  g_autofree char *p_shape = write_edited (dir, "yolov5n", EDIT_SHAPE_NODE);
  g_autofree char *p_dynamic = write_edited (dir, "tiny_det640", EDIT_DYNAMIC_INPUT);
  g_autofree char *p_segment = write_edited (dir, "tiny_det320", EDIT_TASK_SEGMENT);
  g_autofree char *p_names = write_edited (dir, "tiny_det320", EDIT_BAD_NAMES);
  g_autofree char *p_missing = g_build_filename (dir, "nothing.onnx", NULL);
  g_autofree char *p_text = g_build_filename (dir, "text.onnx", NULL);

  assert_refused (p_opset, opset, BM_ERROR_UNSUPPORTED);
  assert_refused (p_shape, how, BM_ERROR_UNSUPPORTED);
  assert_refused (p_dynamic, dynamic, BM_ERROR_UNSUPPORTED);
  assert_refused (p_segment, segment, BM_ERROR_UNSUPPORTED);
  assert_refused (p_names, names, BM_ERROR_PARSE);
  assert_refused (p_missing, missing, BM_ERROR_NOT_FOUND);
  g_assert_true (g_file_set_contents (p_text, "names: [cat, dog]\n", -1, NULL));
  {
    const char *const parse[] = { "not", NULL };

    assert_refused (p_text, parse, BM_ERROR_PARSE);
  }
  /* the edits themselves are sound: the reader sees what was changed */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BmOnnxInfo) a = parse_file (p_opset, &error);
    g_autoptr(BmOnnxInfo) b = parse_file (p_dynamic, &error);
    g_autoptr(BmOnnxInfo) c = parse_file (p_shape, &error);

    g_assert_no_error (error);
    g_assert_cmpint (a->opset, ==, 13);
    g_assert_cmpint (b->input_dims[2], ==, -1);
    g_assert_cmpint (b->input_dims[1], ==, 3);
    g_assert_cmpuint (c->n_shape_nodes, ==, 1);
  }
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/onnx/meta/models", test_meta_models);
  g_test_add_func ("/onnx/meta/literals", test_meta_literals);
  g_test_add_func ("/onnx/meta/bad-files", test_meta_bad_files);
  g_test_add_func ("/onnx/letterbox-tensor", test_letterbox_tensor);
  g_test_add_func ("/onnx/forward", test_forward);
  g_test_add_func ("/onnx/detect", test_detect);
  g_test_add_func ("/onnx/detect-threads", test_detect_threads);
  g_test_add_func ("/onnx/refuse", test_refuse);
  return g_test_run ();
}
