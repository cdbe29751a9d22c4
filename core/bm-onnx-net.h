/* bm-onnx-net.h: one ONNX network in OpenCV 4.6's DNN module, behind a C API.
 *
 * core/bm-onnx-net.cc is the only C++ in Boxmark: it turns every OpenCV exception into a GError
 * and keeps OpenCV's log quiet. Built without OpenCV (meson -Donnx=disabled),
 * core/bm-onnx-net-none.c answers every call with an error instead.
 *
 * A BmOnnxNet is not thread-safe: use one per thread (BmOnnxModel keeps a pool of them).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BmOnnxNet BmOnnxNet;

/* FALSE when Boxmark was built without OpenCV's DNN module. */
gboolean     bm_onnx_net_available (void);

/* Loads the ONNX file held in @data for an input of 1×3×@height×@width, then makes OpenCV 4.6
 * run Ultralytics exports right:
 *  - every "Scale" layer whose only blob is a float [1, @n_anchors] (the head's stride
 *    constant, which 4.6 cannot broadcast over [1, 4, N]) gets that blob expanded to
 *    [1, 4, @n_anchors]; nothing else is touched, so YOLOv5 exports stay as they are;
 *  - layer fusion is off (4.6 loses the attention scale of YOLO11 when it fuses a MatMul).
 * Then runs one forward pass on a blank input, so a model OpenCV cannot run is refused here
 * rather than at the first image. @name is the file name used in messages. */
BmOnnxNet   *bm_onnx_net_new         (const guint8 *data, gsize length, const char *name,
                                      int width, int height, int n_anchors, GError **error);
void         bm_onnx_net_free        (BmOnnxNet *net);

/* The Scale layers whose blob was expanded by bm_onnx_net_new. */
int          bm_onnx_net_get_n_patched (BmOnnxNet *net);

/* The shape of the last output (after bm_onnx_net_new: of the blank run) into @dims (at most 8). */
void         bm_onnx_net_get_output_shape (BmOnnxNet *net, int *dims, int *n_dims);

/* The input tensor, 3 × height × width floats (NCHW, batch 1) for the caller to fill. */
float       *bm_onnx_net_get_input   (BmOnnxNet *net);

/* Runs the network on the input tensor. Returns the first output, owned by @net and valid until
 * the next call; its shape goes to @dims (at most 8) and @n_dims. NULL with @error on failure. */
const float *bm_onnx_net_forward     (BmOnnxNet *net, int *dims, int *n_dims, GError **error);

/* OpenCV's cv::resize(INTER_LINEAR) on 8-bit pixels with @channels (1-4) channels: the very
 * pixels Ultralytics' LetterBox gets from cv2.resize. */
gboolean     bm_onnx_resize_linear   (const guint8 *src, int src_width, int src_height, int src_stride,
                                      int channels, guint8 *dst, int dst_width, int dst_height,
                                      int dst_stride, GError **error);

/* Threads OpenCV uses inside one forward pass (process-wide; 0 = OpenCV's default). */
void         bm_onnx_set_threads     (int n_threads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmOnnxNet, bm_onnx_net_free)

G_END_DECLS
