/* bm-onnx-net.cc: one ONNX network in OpenCV 4.6's DNN module, behind a C API.
 *
 * The only C++ file of Boxmark. Nothing may leave it as an exception: every entry point catches
 * everything and reports a GError. OpenCV's own log (which prints importer errors to stderr
 * before throwing) is silenced once, the first time a network is made.
 *
 * Why the two changes after loading (measured in ../shared/testdata/models/README.md):
 *  - Ultralytics v8/v11 heads end with Mul(dbox [1,4,N], strides [1,N]); 4.6 imports a Mul by a
 *    constant as a "Scale" layer that cannot broadcast [1,N], and the first forward fails in
 *    shape_utils total(). Expanding that one blob to [1,4,N] fixes it. The rule is kept narrow
 *    (type Scale, one blob, float, exactly [1,N]) because a looser one changes YOLOv5 exports.
 *  - With layer fusion on, 4.6 folds YOLO11's attention scale (a Power after a two-input MatMul)
 *    into the MatMul and drops it: boxes come out hundreds of pixels off. Fusion off costs no
 *    measurable time on these models (their BatchNorms are folded already), so it is always off.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <cstring>
#include <mutex>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-onnx-net.h"

struct _BmOnnxNet
{
  cv::dnn::Net net;
  cv::Mat input;     /* 1 × 3 × height × width, float */
  cv::Mat output;    /* the last forward's first output */
  int n_patched;
  std::string name;
};

static void
quiet_opencv (void)
{
  static std::once_flag once;

  std::call_once (once, [] { cv::utils::logging::setLogLevel (cv::utils::logging::LOG_LEVEL_SILENT); });
}

/* OpenCV's message without its file, line and function: what went wrong, for a person. */
static std::string
reason_of (const cv::Exception &e)
{
  std::string reason = e.err.empty () ? e.msg : e.err;

  while (!reason.empty () && (reason.back () == '\n' || reason.back () == ' '))
    reason.pop_back ();
  return reason;
}

static void
set_error (GError **error, const char *name, const char *what, const std::string &reason)
{
  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, "%s: %s (OpenCV %s: %s)", name, what, CV_VERSION,
               reason.c_str ());
}

static int
expand_stride_blobs (cv::dnn::Net &net, int n_anchors)
{
  int n_patched = 0;

  for (const std::string &layer_name : net.getLayerNames ())
    {
      cv::Ptr<cv::dnn::Layer> layer = net.getLayer (net.getLayerId (layer_name));

      if (layer.empty () || layer->type != "Scale" || layer->blobs.size () != 1)
        continue;
      const cv::Mat &blob = layer->blobs[0];
      if (blob.dims != 2 || blob.size[0] != 1 || blob.size[1] != n_anchors || blob.type () != CV_32F)
        continue;

      const int sizes[3] = { 1, 4, n_anchors };
      cv::Mat full (3, sizes, CV_32F);
      cv::Mat row = blob.isContinuous () ? blob : blob.clone ();
      for (int c = 0; c < 4; c++)
        std::memcpy (full.ptr<float> (0, c), row.ptr<float> (), sizeof (float) * (size_t) n_anchors);
      layer->blobs[0] = full;
      n_patched++;
    }
  return n_patched;
}

extern "C" gboolean
bm_onnx_net_available (void)
{
  return TRUE;
}

extern "C" BmOnnxNet *
bm_onnx_net_new (const guint8 *data, gsize length, const char *name, int width, int height, int n_anchors,
                 GError **error)
{
  g_return_val_if_fail (data != NULL && name != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && n_anchors > 0, NULL);

  quiet_opencv ();
  BmOnnxNet *net = nullptr;
  try
    {
      net = new BmOnnxNet ();
      net->name = name;
      net->net = cv::dnn::readNetFromONNX (reinterpret_cast<const char *> (data), length);
      if (net->net.empty ())
        {
          g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: OpenCV %s read no network from it"), name,
                       CV_VERSION);
          delete net;
          return NULL;
        }
      net->net.setPreferableBackend (cv::dnn::DNN_BACKEND_OPENCV);
      net->net.setPreferableTarget (cv::dnn::DNN_TARGET_CPU);
      net->net.enableFusion (false);
      net->n_patched = expand_stride_blobs (net->net, n_anchors);

      const int sizes[4] = { 1, 3, height, width };
      net->input.create (4, sizes, CV_32F);
      net->input.setTo (cv::Scalar::all (0));
    }
  catch (const cv::Exception &e)
    {
      set_error (error, name, _("OpenCV cannot load this model"), reason_of (e));
      delete net;
      return NULL;
    }
  catch (const std::exception &e)
    {
      set_error (error, name, _("OpenCV cannot load this model"), e.what ());
      delete net;
      return NULL;
    }
  catch (...)
    {
      set_error (error, name, _("OpenCV cannot load this model"), "unknown exception");
      delete net;
      return NULL;
    }

  int dims[8], n_dims;
  GError *local_error = NULL;
  if (bm_onnx_net_forward (net, dims, &n_dims, &local_error) == NULL)
    {
      g_propagate_error (error, local_error);
      delete net;
      return NULL;
    }
  return net;
}

extern "C" void
bm_onnx_net_free (BmOnnxNet *net)
{
  try
    {
      delete net;
    }
  catch (...)
    {
    }
}

extern "C" int
bm_onnx_net_get_n_patched (BmOnnxNet *net)
{
  g_return_val_if_fail (net != NULL, 0);
  return net->n_patched;
}

extern "C" void
bm_onnx_net_get_output_shape (BmOnnxNet *net, int *dims, int *n_dims)
{
  g_return_if_fail (net != NULL && dims != NULL && n_dims != NULL);

  *n_dims = net->output.dims;
  for (int i = 0; i < net->output.dims; i++)
    dims[i] = net->output.size[i];
}

extern "C" float *
bm_onnx_net_get_input (BmOnnxNet *net)
{
  g_return_val_if_fail (net != NULL, NULL);
  return net->input.ptr<float> ();
}

extern "C" const float *
bm_onnx_net_forward (BmOnnxNet *net, int *dims, int *n_dims, GError **error)
{
  g_return_val_if_fail (net != NULL && dims != NULL && n_dims != NULL, NULL);

  try
    {
      net->net.setInput (net->input);
      cv::Mat out = net->net.forward ();
      if (out.type () != CV_32F || out.dims < 1 || out.dims > 8)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: the model's output is not a float tensor"),
                       net->name.c_str ());
          return NULL;
        }
      net->output = out.isContinuous () ? out : out.clone ();
      *n_dims = net->output.dims;
      for (int i = 0; i < net->output.dims; i++)
        dims[i] = net->output.size[i];
      return net->output.ptr<float> ();
    }
  catch (const cv::Exception &e)
    {
      set_error (error, net->name.c_str (), _("OpenCV cannot run this model"), reason_of (e));
    }
  catch (const std::exception &e)
    {
      set_error (error, net->name.c_str (), _("OpenCV cannot run this model"), e.what ());
    }
  catch (...)
    {
      set_error (error, net->name.c_str (), _("OpenCV cannot run this model"), "unknown exception");
    }
  return NULL;
}

extern "C" gboolean
bm_onnx_resize_linear (const guint8 *src, int src_width, int src_height, int src_stride, int channels, guint8 *dst,
                       int dst_width, int dst_height, int dst_stride, GError **error)
{
  g_return_val_if_fail (src != NULL && dst != NULL, FALSE);
  g_return_val_if_fail (channels >= 1 && channels <= 4, FALSE);

  try
    {
      cv::Mat in (src_height, src_width, CV_8UC (channels), const_cast<guint8 *> (src), (size_t) src_stride);
      cv::Mat out (dst_height, dst_width, CV_8UC (channels), dst, (size_t) dst_stride);
      cv::resize (in, out, out.size (), 0, 0, cv::INTER_LINEAR);
      if (out.data != dst)   /* cv::resize reallocated: it must not, the caller owns dst */
        throw cv::Exception (cv::Error::StsInternal, "resize did not write in place", __func__, __FILE__, __LINE__);
      return TRUE;
    }
  catch (const cv::Exception &e)
    {
      set_error (error, "resize", _("OpenCV cannot resize the image"), reason_of (e));
    }
  catch (...)
    {
      set_error (error, "resize", _("OpenCV cannot resize the image"), "unknown exception");
    }
  return FALSE;
}

extern "C" void
bm_onnx_set_threads (int n_threads)
{
  try
    {
      /* OpenCV: 0 runs without threads, a negative count restores its default. */
      cv::setNumThreads (n_threads > 0 ? n_threads : -1);
    }
  catch (...)
    {
    }
}
