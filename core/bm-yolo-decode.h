/* bm-yolo-decode.h: Ultralytics' pre- and post-processing of YOLO models, in C.
 *
 * The same numbers as Ultralytics' own Python: LetterBox (scale, rounding, padding 114), the
 * RGB /255 input tensor, decoding of YOLOv5 ([1, N, 5+nc], objectness × class), YOLOv8/YOLO11
 * ([1, 4+nc, N]) and OBB ([1, 4+nc+1, N], angle last) outputs, class-aware NMS (torchvision's
 * greedy NMS; OBB: Fast-NMS by probiou), and boxes scaled back to the image. Needs no OpenCV:
 * the resize itself is the caller's (bm_onnx_resize_linear, which is cv::resize).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where an image goes in the network input (Ultralytics' LetterBox with auto=False, center=True,
 * scaleup=True). */
typedef struct
{
  int src_width, src_height;           /* the image */
  int width, height;                   /* the network input */
  double gain;                         /* min(height / src_height, width / src_width) */
  int resized_width, resized_height;   /* round(src · gain) (half to even, as Python), at least 1 */
  int top, bottom, left, right;        /* padding: round(d ∓ 0.1) of half the free space d */
} BmLetterbox;

void bm_letterbox_init (BmLetterbox *lb, int src_width, int src_height, int width, int height);

/* Writes the 3 × height × width float tensor (RGB planes): @resized (resized_width ×
 * resized_height, 3 bytes per pixel in R, G, B order, rows @stride bytes apart) at (left, top),
 * padding 114, every value / 255 in float as PyTorch computes it. */
void bm_letterbox_fill (const BmLetterbox *lb, const guint8 *resized, int stride, float *tensor);

typedef enum
{
  BM_YOLO_LAYOUT_V8,    /* [1, 4+nc, N]: cx, cy, w, h, class scores (YOLOv8, YOLO11, …) */
  BM_YOLO_LAYOUT_V5,    /* [1, N, 5+nc]: cx, cy, w, h, objectness, class scores */
  BM_YOLO_LAYOUT_OBB,   /* [1, 4+nc+1, N]: cx, cy, w, h, class scores, angle (radians) */
} BmYoloLayout;

typedef struct
{
  double conf;     /* keep a box whose best class score is above this (0.25) */
  double iou;      /* NMS drops a box overlapping a kept one of its class above this (0.7) */
  int max_det;     /* at most this many detections (300) */
} BmYoloParams;

/* conf 0.25, iou 0.7, max_det 300: Ultralytics' predict defaults. */
void bm_yolo_params_init (BmYoloParams *params);

typedef struct
{
  int class_id;
  float score;
  int anchor;        /* the column of the raw output (the row for YOLOv5) it came from */
  /* Image pixels. Detect: x1, y1, x2, y2, clipped to the image. OBB: cx, cy, w, h and the
   * angle in radians in [0, π/2) (regularize_rboxes; positive turns clockwise on screen), not
   * clipped. */
  double box[5];
} BmYoloDetection;

/* The number of output columns (anchors) of a head with strides 8, 16, 32, … up to
 * @max_stride on a @width × @height input. */
int     bm_yolo_count_anchors (int width, int height, int max_stride);

/* Decodes a raw output (batch 1, float32, laid out as @layout with @n_classes classes and
 * @n_anchors columns, or rows for YOLOv5) into detections (BmYoloDetection) in Ultralytics'
 * order: by score, highest first. */
GArray *bm_yolo_decode (const float *output, BmYoloLayout layout, int n_classes, int n_anchors,
                        const BmLetterbox *lb, const BmYoloParams *params);

/* Ultralytics' batch_probiou for two rotated boxes (cx, cy, w, h, angle), in double. */
double  bm_yolo_probiou (const double a[5], const double b[5]);

/* The four corners of an OBB detection as Ultralytics' xywhr2xyxyxyxy orders them:
 * c + v1 + v2, c + v1 − v2, c − v1 − v2, c − v1 + v2 with v1 = w/2 (cos θ, sin θ) and
 * v2 = h/2 (−sin θ, cos θ). */
void    bm_yolo_obb_corners (const double box[5], double xy[8]);

G_END_DECLS
