/* bm-onnx-model.h: a user's Ultralytics YOLO model exported to ONNX, run as Ultralytics runs it.
 *
 * Loading reads the file's metadata (class names, image size, stride, task), refuses exports
 * OpenCV 4.6 misreads (opset 13 and later, not simplified, dynamic size) with the command that
 * exports them right, and makes one network to check that OpenCV runs it. Detecting letterboxes
 * the image, runs the network and decodes its output (bm-yolo-decode.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-image.h"
#include "bm-yolo-decode.h"

G_BEGIN_DECLS

typedef enum
{
  BM_ONNX_TASK_DETECT,
  BM_ONNX_TASK_OBB,
} BmOnnxTask;

typedef struct _BmOnnxModel BmOnnxModel;

#define BM_TYPE_ONNX_MODEL (bm_onnx_model_get_type ())
GType          bm_onnx_model_get_type       (void) G_GNUC_CONST;

BmOnnxModel   *bm_onnx_model_load           (const char *path, GError **error);
BmOnnxModel   *bm_onnx_model_ref            (BmOnnxModel *model);
void           bm_onnx_model_unref          (BmOnnxModel *model);

const char    *bm_onnx_model_get_path       (BmOnnxModel *model);
BmOnnxTask     bm_onnx_model_get_task       (BmOnnxModel *model);
BmYoloLayout   bm_onnx_model_get_layout     (BmOnnxModel *model);
/* The class names (from the metadata, else "0", "1", …), NULL-terminated. */
const char *const *bm_onnx_model_get_names  (BmOnnxModel *model);
guint          bm_onnx_model_get_n_classes  (BmOnnxModel *model);
void           bm_onnx_model_get_input_size (BmOnnxModel *model, int *width, int *height);
/* The Scale layers whose stride blob had to be expanded for OpenCV 4.6 (0 for YOLOv5). */
int            bm_onnx_model_get_n_patched  (BmOnnxModel *model);

/* Detects on @image (any channel count: gray is repeated, alpha ignored, as cv2.imread's
 * IMREAD_COLOR does). Returns BmYoloDetection in image pixels, best first, or NULL with
 * @error. Thread-safe: concurrent calls each get a network of their own, made when first needed
 * and kept for the next call. */
GArray        *bm_onnx_model_detect         (BmOnnxModel *model, BmImage *image, const BmYoloParams *params,
                                             GError **error);

/* The network input for @image as Ultralytics' LetterBox and preprocess make it: fills @lb
 * and the 3 × @height × @width floats of @tensor. Needs OpenCV (cv::resize). */
gboolean       bm_onnx_letterbox_image      (BmImage *image, int width, int height, BmLetterbox *lb,
                                             float *tensor, GError **error);

/* "yolo export …" with the options OpenCV 4.6 needs, for messages. */
char          *bm_onnx_export_hint          (int image_size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmOnnxModel, bm_onnx_model_unref)

G_END_DECLS
