/* bm-onnx-meta.h: what an ONNX file says about itself, read without OpenCV.
 *
 * OpenCV does not expose an ONNX model's metadata, and Ultralytics keeps everything a
 * pre-annotator needs there (class names, image size, stride, task). This is a minimal reader of
 * the protobuf ModelProto: the opset, the metadata_props, the graph's input and output shapes
 * and its node types — and the parsers for the Python literals Ultralytics writes as values
 * (`str()` of a dict, list or int).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BM_ONNX_MAX_DIMS 8

typedef struct
{
  gint64 ir_version;
  gint64 opset;                 /* opset of the default domain ("" or "ai.onnx"); 0 when not listed */
  char *producer_name;          /* "" when absent */
  GPtrArray *keys;              /* metadata_props keys (char *), in file order */
  GPtrArray *values;            /* the matching values */
  char *input_name;             /* the first graph input that is not an initializer; NULL if none */
  int n_input_dims;
  gint64 input_dims[BM_ONNX_MAX_DIMS];    /* -1 where the size is symbolic or missing */
  char *output_name;            /* the first graph output; NULL if none */
  int n_output_dims;
  gint64 output_dims[BM_ONNX_MAX_DIMS];
  guint n_nodes;
  guint n_shape_nodes;          /* "Shape" nodes: shape arithmetic a simplifier folds away */
} BmOnnxInfo;

/* Parses an ONNX ModelProto. @name names the file in messages ("NAME: byte N: problem"). Bad
 * input of any kind gives an error, never a crash; the weights are skipped, not read. */
BmOnnxInfo  *bm_onnx_info_parse   (const guint8 *data, gsize length, const char *name, GError **error);
void         bm_onnx_info_free    (BmOnnxInfo *info);
/* The value of metadata key @key (the last one when repeated), or NULL. */
const char  *bm_onnx_info_lookup  (const BmOnnxInfo *info, const char *key);

/* Class names from Python's str() of a dict {0: 'a', 1: "b's"} (keys exactly 0 … n−1, in any
 * order) or a list ['a', 'b']. Returns a NULL-terminated array, or NULL with @error. */
char       **bm_onnx_parse_names  (const char *value, GError **error);
/* Whole numbers from "640", "[640, 640]" or "(384, 640)": fills up to @max_values, returns the
 * count, or −1 with @error. */
int          bm_onnx_parse_ints   (const char *value, gint64 *values, int max_values, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmOnnxInfo, bm_onnx_info_free)

G_END_DECLS
