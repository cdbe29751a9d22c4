/* test-yolo-decode.c: Ultralytics' letterbox geometry and post-processing in C, fed the
 * reference raw outputs of $BM_TESTDATA/models (no OpenCV needed).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "core/bm-yolo-decode.h"
#include "bm-test-yolo.h"
#include "bm-test-util.h"

/* The letterbox of every fixture image at 320 and 640 is the one inputs/letterbox.json records
 * (computed by Ultralytics' LetterBox and scale_boxes). */
static void
test_letterbox_fixtures (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *path = bm_test_models_path ("inputs/letterbox.json");
  g_autoptr(JsonNode) root = bm_test_json_load (path);
  JsonObject *images = json_node_get_object (root);
  g_autoptr(GList) names = json_object_get_members (images);
  guint checked = 0;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *image = json_object_get_object_member (images, l->data);
      JsonArray *hw = json_object_get_array_member (image, "orig_hw");

      for (int size = 320; size <= 640; size *= 2)
        {
          g_autofree char *key = g_strdup_printf ("%d", size);
          JsonObject *at = json_object_get_object_member (image, key);
          JsonArray *resized = json_object_get_array_member (at, "resized_wh");
          JsonArray *pad = json_object_get_array_member (at, "pad_top_bottom_left_right");
          BmLetterbox lb;

          bm_letterbox_init (&lb, (int) json_array_get_int_element (hw, 1), (int) json_array_get_int_element (hw, 0),
                             size, size);
          g_assert_cmpfloat (lb.gain, ==, json_object_get_double_member (at, "gain"));
          g_assert_cmpint (lb.resized_width, ==, json_array_get_int_element (resized, 0));
          g_assert_cmpint (lb.resized_height, ==, json_array_get_int_element (resized, 1));
          g_assert_cmpint (lb.top, ==, json_array_get_int_element (pad, 0));
          g_assert_cmpint (lb.bottom, ==, json_array_get_int_element (pad, 1));
          g_assert_cmpint (lb.left, ==, json_array_get_int_element (pad, 2));
          g_assert_cmpint (lb.right, ==, json_array_get_int_element (pad, 3));
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 4);
}

/* Python's round() halves to even: the letterbox edge cases of the README. */
static void
test_letterbox_rounding (void)
{
  BmLetterbox lb;

  /* 1280 × 375 at 640: gain 0.5, height 187.5 → 188 (even); free 452 → 226 + 226 */
  bm_letterbox_init (&lb, 1280, 375, 640, 640);
  g_assert_cmpfloat (lb.gain, ==, 0.5);
  g_assert_cmpint (lb.resized_width, ==, 640);
  g_assert_cmpint (lb.resized_height, ==, 188);
  g_assert_cmpint (lb.top, ==, 226);
  g_assert_cmpint (lb.bottom, ==, 226);
  /* 1280 × 377: 188.5 → 188 (even, not 189) */
  bm_letterbox_init (&lb, 1280, 377, 640, 640);
  g_assert_cmpint (lb.resized_height, ==, 188);
  /* 1280 × 379: 189.5 → 190; free 450 → 225 + 225 */
  bm_letterbox_init (&lb, 1280, 379, 640, 640);
  g_assert_cmpint (lb.resized_height, ==, 190);
  g_assert_cmpint (lb.top + lb.resized_height + lb.bottom, ==, 640);
  /* an odd free space: 100 × 51 at 64 → 64 × 33, free 31 = 15.5 → top round(15.4) = 15, bottom
   * round(15.6) = 16 */
  bm_letterbox_init (&lb, 100, 51, 64, 64);
  g_assert_cmpint (lb.resized_height, ==, 33);
  g_assert_cmpint (lb.top, ==, 15);
  g_assert_cmpint (lb.bottom, ==, 16);
  g_assert_cmpint (lb.left, ==, 0);
  g_assert_cmpint (lb.right, ==, 0);
  /* a small image is scaled up: 100 × 50 at 640 → gain 6.4, 640 × 320, 160 + 160 */
  bm_letterbox_init (&lb, 100, 50, 640, 640);
  g_assert_cmpfloat (lb.gain, ==, 6.4);
  g_assert_cmpint (lb.resized_height, ==, 320);
  g_assert_cmpint (lb.top, ==, 160);
  /* a strip that would round to 0 rows keeps one (Ultralytics would fail in cv2.resize) */
  bm_letterbox_init (&lb, 5000, 3, 640, 640);
  g_assert_cmpint (lb.resized_height, ==, 1);
  g_assert_cmpint (lb.top, ==, 319);
  g_assert_cmpint (lb.bottom, ==, 320);
  /* a rectangular input (imgsz [384, 640]) */
  bm_letterbox_init (&lb, 1126, 661, 640, 384);
  g_assert_cmpfloat (lb.gain, ==, 640.0 / 1126);
  g_assert_cmpint (lb.resized_width, ==, 640);
  g_assert_cmpint (lb.resized_height, ==, 376);
  g_assert_cmpint (lb.top, ==, 4);
  g_assert_cmpint (lb.bottom, ==, 4);
}

static void
test_fill (void)
{
  BmLetterbox lb;
  guint8 resized[3 * 12];
  float tensor[3 * 4 * 4];

  bm_letterbox_init (&lb, 3, 2, 4, 4);   /* gain 4/3: 4 × 3 (2.67 → 3), free 1 → top 0, bottom 1 */
  g_assert_cmpint (lb.resized_width, ==, 4);
  g_assert_cmpint (lb.resized_height, ==, 3);
  g_assert_cmpint (lb.top, ==, 0);
  g_assert_cmpint (lb.bottom, ==, 1);
  for (int i = 0; i < 36; i++)
    resized[i] = (guint8) (i * 7);
  bm_letterbox_fill (&lb, resized, 12, tensor);
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < 4; y++)
      for (int x = 0; x < 4; x++)
        {
          float expected = y < 3 ? (float) resized[y * 12 + 3 * x + c] / 255.0f : 114.0f / 255.0f;

          g_assert_cmpfloat (tensor[c * 16 + y * 4 + x], ==, expected);
        }
}

/* Every model × image of the manifest: the reference raw output decodes to the reference
 * detections. Same input, same float32 operations: scores are the same floats, and boxes agree
 * to float32 rounding. */
static void
test_reference_outputs (void)
{
  if (!bm_test_have_data ("models/manifest.json"))
    return;
  g_autofree char *manifest_path = bm_test_models_path ("manifest.json");
  g_autofree char *letterbox_path = bm_test_models_path ("inputs/letterbox.json");
  g_autoptr(JsonNode) manifest_root = bm_test_json_load (manifest_path);
  g_autoptr(JsonNode) letterbox_root = bm_test_json_load (letterbox_path);
  JsonObject *manifest = json_node_get_object (manifest_root);
  JsonObject *models = json_object_get_object_member (manifest, "models");
  g_autoptr(GList) model_names = json_object_get_members (models);
  double max_coord = 0, max_score = 0;
  guint n_sets = 0, n_detections = 0;

  for (GList *m = model_names; m != NULL; m = m->next)
    {
      JsonObject *images = json_object_get_object_member (json_object_get_object_member (models, m->data), "images");
      g_autoptr(GList) image_names = json_object_get_members (images);
      BmYoloLayout layout;
      int nc, size;

      bm_test_model_layout (manifest, m->data, &layout, &nc, &size);
      for (GList *i = image_names; i != NULL; i = i->next)
        {
          JsonObject *entry = json_object_get_object_member (images, i->data);
          JsonArray *hw = json_object_get_array_member (
            json_object_get_object_member (json_node_get_object (letterbox_root), i->data), "orig_hw");
          g_autofree char *raw_path = bm_test_models_path (json_object_get_string_member (entry, "raw"));
          g_autofree char *det_path = bm_test_models_path (json_object_get_string_member (entry, "detections"));
          int dims[8], n_dims, n_anchors;
          g_autofree float *raw = bm_test_npy_load (raw_path, dims, &n_dims);
          g_autoptr(GArray) found = NULL;
          BmYoloParams params;
          BmLetterbox lb;

          g_assert_cmpint (n_dims, ==, 3);
          n_anchors = layout == BM_YOLO_LAYOUT_V5 ? dims[1] : dims[2];
          g_assert_cmpint (layout == BM_YOLO_LAYOUT_V5 ? n_anchors : n_anchors * 1, ==,
                           (layout == BM_YOLO_LAYOUT_V5 ? 3 : 1) * bm_yolo_count_anchors (size, size, 32));
          bm_letterbox_init (&lb, (int) json_array_get_int_element (hw, 1), (int) json_array_get_int_element (hw, 0),
                             size, size);
          bm_yolo_params_init (&params);
          found = bm_yolo_decode (raw, layout, nc, n_anchors, &lb, &params);
          g_assert_cmpuint (found->len, ==, json_object_get_int_member (entry, "n_detections"));
          bm_test_assert_detections (found, det_path, layout, 1e-4, 0.0, &max_coord, &max_score);
          n_sets++;
          n_detections += found->len;
        }
    }
  g_assert_cmpuint (n_sets, ==, 14);
  g_test_message ("%u detection sets, %u detections: coordinates within %.2g px, scores exactly equal", n_sets,
                  n_detections, max_coord);
}

/* A [1, 4+nc, N] output built by hand: columns are anchors. */
static float *
v8_output (int nc, int n, const float (*columns)[7])
{
  float *out = g_new0 (float, (gsize) (4 + nc + 1) * n);

  for (int a = 0; a < n; a++)
    for (int r = 0; r < 4 + nc + 1 && r < 7; r++)
      out[r * n + a] = columns[a][r];
  return out;
}

/* Greedy NMS (detect): A suppresses B, B would suppress C but is gone, A does not reach C, so C
 * stays. Different classes never suppress each other; a score of exactly conf is dropped. */
static void
test_nms_greedy (void)
{
  /* cx, cy, w, h, class 0, class 1 */
  const float columns[][7] = {
    { 50, 50, 20, 20, 0.9f, 0.0f },     /* A */
    { 53, 50, 20, 20, 0.8f, 0.0f },     /* B: IoU(A,B) = 340/460 = 0.74 */
    { 56, 50, 20, 20, 0.7f, 0.0f },     /* C: IoU(B,C) = 0.74, IoU(A,C) = 280/520 = 0.54 */
    { 50, 50, 20, 20, 0.0f, 0.6f },     /* D: same box as A, other class */
    { 10, 10, 5, 5, 0.25f, 0.0f },      /* E: score exactly 0.25 */
  };
  g_autofree float *out = v8_output (2, 5, columns);
  g_autoptr(GArray) found = NULL;
  BmYoloParams params;
  BmLetterbox lb;

  bm_letterbox_init (&lb, 100, 100, 100, 100);
  bm_yolo_params_init (&params);
  found = bm_yolo_decode (out, BM_YOLO_LAYOUT_V8, 2, 5, &lb, &params);
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpint (g_array_index (found, BmYoloDetection, 0).anchor, ==, 0);
  g_assert_cmpint (g_array_index (found, BmYoloDetection, 1).anchor, ==, 2);
  g_assert_cmpint (g_array_index (found, BmYoloDetection, 2).anchor, ==, 3);
  g_assert_cmpint (g_array_index (found, BmYoloDetection, 2).class_id, ==, 1);
  g_assert_cmpfloat (g_array_index (found, BmYoloDetection, 1).box[0], ==, 46.0);
  g_assert_cmpfloat (g_array_index (found, BmYoloDetection, 1).box[2], ==, 66.0);

  params.max_det = 2;
  g_clear_pointer (&found, g_array_unref);
  found = bm_yolo_decode (out, BM_YOLO_LAYOUT_V8, 2, 5, &lb, &params);
  g_assert_cmpuint (found->len, ==, 2);
}

/* Fast-NMS (OBB): the same chain drops C too, because B (itself dropped) still suppresses. */
static void
test_nms_fast_obb (void)
{
  /* cx, cy, w, h, class 0, class 1, angle */
  const float columns[][7] = {
    { 50, 50, 40, 10, 0.9f, 0.0f, 0.0f },     /* A */
    { 50, 52, 40, 10, 0.8f, 0.0f, 0.0f },     /* B */
    { 50, 54, 40, 10, 0.7f, 0.0f, 0.0f },     /* C */
  };
  g_autofree float *out = v8_output (2, 3, columns);
  g_autoptr(GArray) found = NULL;
  double a[5] = { 50, 50, 40, 10, 0 }, b[5] = { 50, 52, 40, 10, 0 }, c[5] = { 50, 54, 40, 10, 0 };
  BmYoloParams params;
  BmLetterbox lb;

  /* the chain: A–B and B–C above 0.7, A–C below */
  g_assert_cmpfloat (bm_yolo_probiou (a, b), >=, 0.7);
  g_assert_cmpfloat (bm_yolo_probiou (b, c), >=, 0.7);
  g_assert_cmpfloat (bm_yolo_probiou (a, c), <, 0.7);
  g_assert_cmpfloat (fabs (bm_yolo_probiou (a, a) - 1.0), <, 1e-3);

  bm_letterbox_init (&lb, 100, 100, 100, 100);
  bm_yolo_params_init (&params);
  found = bm_yolo_decode (out, BM_YOLO_LAYOUT_OBB, 2, 3, &lb, &params);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, BmYoloDetection, 0).anchor, ==, 0);
}

/* regularize_rboxes: an angle of π/2 or more mod π swaps the sides; the angle ends in [0, π/2). */
static void
test_obb_regularize (void)
{
  const float columns[][7] = {
    { 50, 40, 30, 10, 0.9f, 0.0f, 2.0f },      /* 2.0 rad ≥ π/2: w and h swap, angle 2 − π/2 */
    { 20, 80, 12, 6, 0.0f, 0.8f, -0.5f },      /* −0.5 mod π = 2.64 ≥ π/2: swap, angle 1.07 */
  };
  g_autofree float *out = v8_output (2, 2, columns);
  g_autoptr(GArray) found = NULL;
  BmYoloParams params;
  BmLetterbox lb;
  const BmYoloDetection *d;

  bm_letterbox_init (&lb, 200, 100, 100, 100);   /* gain 0.5, image at rows 25 … 75 */
  bm_yolo_params_init (&params);
  found = bm_yolo_decode (out, BM_YOLO_LAYOUT_OBB, 2, 2, &lb, &params);
  g_assert_cmpuint (found->len, ==, 2);
  d = &g_array_index (found, BmYoloDetection, 0);
  g_assert_cmpfloat (d->box[0], ==, 100.0);
  g_assert_cmpfloat (d->box[1], ==, 30.0);
  g_assert_cmpfloat (d->box[2], ==, 20.0);
  g_assert_cmpfloat (d->box[3], ==, 60.0);
  g_assert_cmpfloat (fabs (d->box[4] - (2.0 - G_PI / 2)), <, 1e-6);
  d = &g_array_index (found, BmYoloDetection, 1);
  g_assert_cmpfloat (d->box[1], ==, 110.0);   /* not clipped to the image */
  g_assert_cmpfloat (d->box[2], ==, 12.0);
  g_assert_cmpfloat (d->box[3], ==, 24.0);
  g_assert_cmpfloat (fabs (d->box[4] - (-0.5 + G_PI - G_PI / 2)), <, 1e-6);
}

/* YOLOv5: objectness above conf first, then objectness × class; boxes clipped, padding not
 * rounded. */
static void
test_v5 (void)
{
  /* rows: cx, cy, w, h, obj, class 0, class 1 */
  float out[3][7] = {
    { 50, 50, 20, 20, 0.9f, 0.5f, 0.2f },    /* 0.45 */
    { 10, 50, 40, 20, 0.2f, 1.0f, 1.0f },    /* objectness too low */
    { 80, 60, 20, 20, 0.6f, 0.1f, 0.9f },    /* 0.54, class 1 */
  };
  g_autoptr(GArray) found = NULL;
  BmYoloParams params;
  BmLetterbox lb;
  const BmYoloDetection *d;

  bm_letterbox_init (&lb, 101, 100, 100, 100);   /* gain 100/101: 100 × 99, pad (100 − 99.0099) / 2 unrounded */
  bm_yolo_params_init (&params);
  found = bm_yolo_decode (&out[0][0], BM_YOLO_LAYOUT_V5, 2, 3, &lb, &params);
  g_assert_cmpuint (found->len, ==, 2);
  d = &g_array_index (found, BmYoloDetection, 0);
  g_assert_cmpint (d->class_id, ==, 1);
  g_assert_cmpint (d->anchor, ==, 2);
  g_assert_cmpfloat (d->score, ==, 0.9f * 0.6f);
  g_assert_cmpfloat (fabs (d->box[0] - 70 * 1.01), <, 1e-4);
  g_assert_cmpfloat (fabs (d->box[1] - (50 - (100 - 100 * (100.0 / 101)) / 2) * 1.01), <, 1e-4);
  g_assert_cmpfloat (fabs (d->box[2] - 90 * 1.01), <, 1e-4);
  d = &g_array_index (found, BmYoloDetection, 1);
  g_assert_cmpint (d->class_id, ==, 0);
  g_assert_cmpfloat (d->score, ==, 0.5f * 0.9f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yolo/letterbox/fixtures", test_letterbox_fixtures);
  g_test_add_func ("/yolo/letterbox/rounding", test_letterbox_rounding);
  g_test_add_func ("/yolo/letterbox/fill", test_fill);
  g_test_add_func ("/yolo/decode/reference-outputs", test_reference_outputs);
  g_test_add_func ("/yolo/nms/greedy", test_nms_greedy);
  g_test_add_func ("/yolo/nms/fast-obb", test_nms_fast_obb);
  g_test_add_func ("/yolo/obb/regularize", test_obb_regularize);
  g_test_add_func ("/yolo/v5", test_v5);
  return g_test_run ();
}
