/* bm-onnx-net-none.c: bm-onnx-net.h when Boxmark is built without OpenCV's DNN module
 * (meson -Donnx=disabled, or libopencv-dnn-dev missing): every call says so.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-onnx-net.h"

static void
set_unavailable (GError **error, const char *name)
{
  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
               _("%s: this Boxmark was built without OpenCV’s DNN module, so it cannot run ONNX models "
                 "(install libopencv-dnn-dev and libopencv-imgproc-dev, then rebuild)"), name);
}

gboolean
bm_onnx_net_available (void)
{
  return FALSE;
}

BmOnnxNet *
bm_onnx_net_new (const guint8 *data, gsize length, const char *name, int width, int height, int n_anchors,
                 GError **error)
{
  set_unavailable (error, name);
  return NULL;
}

void
bm_onnx_net_free (BmOnnxNet *net)
{
}

int
bm_onnx_net_get_n_patched (BmOnnxNet *net)
{
  return 0;
}

void
bm_onnx_net_get_output_shape (BmOnnxNet *net, int *dims, int *n_dims)
{
  *n_dims = 0;
}

float *
bm_onnx_net_get_input (BmOnnxNet *net)
{
  return NULL;
}

const float *
bm_onnx_net_forward (BmOnnxNet *net, int *dims, int *n_dims, GError **error)
{
  set_unavailable (error, "forward");
  return NULL;
}

gboolean
bm_onnx_resize_linear (const guint8 *src, int src_width, int src_height, int src_stride, int channels, guint8 *dst,
                       int dst_width, int dst_height, int dst_stride, GError **error)
{
  set_unavailable (error, "resize");
  return FALSE;
}

void
bm_onnx_set_threads (int n_threads)
{
}
