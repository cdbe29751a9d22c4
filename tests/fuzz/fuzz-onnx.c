/* fuzz-onnx.c: libFuzzer target for the ONNX metadata reader (core/bm-onnx-meta.c), which reads
 * any file a user picks as a model before OpenCV sees it.
 *
 * Besides "no crash, no hang, no leak": a rejected file gets an error naming it; what is read is
 * consistent (dimensions within bounds, keys and values paired, UTF-8 text); the metadata values
 * go through the Python-literal parsers, whose results are checked too.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/bm-onnx-meta.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static void
check_literals (const char *value)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = bm_onnx_parse_names (value, &error);
  gint64 ints[4];
  int n;

  check ((names == NULL) == (error != NULL));
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    check (g_utf8_validate (names[i], -1, NULL));
  g_clear_error (&error);
  n = bm_onnx_parse_ints (value, ints, 4, &error);
  check ((n < 0) == (error != NULL) && n <= 4);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmOnnxInfo) info = bm_onnx_info_parse (data, size, "fuzz.onnx", &error);
  g_autofree char *text = g_strndup ((const char *) data, size);

  /* the input as a metadata value itself, when it is text */
  if (g_utf8_validate (text, -1, NULL))
    check_literals (text);
  if (info == NULL)
    {
      check (error != NULL && g_str_has_prefix (error->message, "fuzz.onnx: "));
      return 0;
    }
  check (error == NULL);
  check (info->keys->len == info->values->len);
  check (info->n_input_dims >= 0 && info->n_input_dims <= BM_ONNX_MAX_DIMS);
  check (info->n_output_dims >= 0 && info->n_output_dims <= BM_ONNX_MAX_DIMS);
  check (info->n_shape_nodes <= info->n_nodes);
  for (guint i = 0; i < info->keys->len; i++)
    {
      check (g_utf8_validate (g_ptr_array_index (info->keys, i), -1, NULL));
      check_literals (g_ptr_array_index (info->values, i));
    }
  return 0;
}
