/* bm-onnx-model.c: a user's Ultralytics YOLO model exported to ONNX, run as Ultralytics runs it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-onnx-meta.h"
#include "bm-onnx-model.h"
#include "bm-onnx-net.h"

/* Ultralytics writes these; a YOLOv5 export has only stride and names. */
#define DEFAULT_IMAGE_SIZE 640
#define DEFAULT_STRIDE 32

struct _BmOnnxModel
{
  char *path;
  GBytes *bytes;         /* the file, to make more networks from */
  BmOnnxTask task;
  BmYoloLayout layout;
  char **names;
  guint n_classes;
  int width, height;
  int n_anchors;
  int out_dims[BM_ONNX_MAX_DIMS];
  int n_out_dims;
  int n_patched;

  GMutex lock;
  GPtrArray *idle;       /* BmOnnxNet * not in use */
};

G_DEFINE_BOXED_TYPE (BmOnnxModel, bm_onnx_model, bm_onnx_model_ref, bm_onnx_model_unref)

char *
bm_onnx_export_hint (int image_size)
{
  return g_strdup_printf ("yolo export model=MODEL.pt format=onnx opset=12 imgsz=%d simplify=True",
                          image_size > 0 ? image_size : DEFAULT_IMAGE_SIZE);
}

static void
model_clear (gpointer data)
{
  BmOnnxModel *model = data;

  g_free (model->path);
  g_clear_pointer (&model->bytes, g_bytes_unref);
  g_strfreev (model->names);
  if (model->idle != NULL)
    g_ptr_array_unref (model->idle);
  g_mutex_clear (&model->lock);
}

BmOnnxModel *
bm_onnx_model_ref (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return g_atomic_rc_box_acquire (model);
}

void
bm_onnx_model_unref (BmOnnxModel *model)
{
  if (model != NULL)
    g_atomic_rc_box_release_full (model, model_clear);
}

/* ---- reading what the file says --------------------------------------------------------- */

static gboolean
refuse (GError **error, const BmOnnxModel *model, const char *why)
{
  g_autofree char *hint = bm_onnx_export_hint (MAX (model->width, model->height));

  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: %s; OpenCV 4.6 misreads such exports. Export it again with: %s"),
               model->path, why, hint);
  return FALSE;
}

static gboolean
metadata_error (GError **error, const BmOnnxModel *model, const char *key, const GError *cause)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: metadata “%s”: %s"), model->path, key, cause->message);
  return FALSE;
}

/* Input size: the graph's input shape [1, 3, H, W], checked against the metadata's imgsz. */
static gboolean
read_input_size (BmOnnxModel *model, const BmOnnxInfo *info, GError **error)
{
  const char *imgsz = bm_onnx_info_lookup (info, "imgsz");
  gint64 size[2] = { 0, 0 };
  int n = 0;

  if (imgsz != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      n = bm_onnx_parse_ints (imgsz, size, 2, &local_error);
      if (n < 0)
        return metadata_error (error, model, "imgsz", local_error);
      if (n == 1)
        size[1] = size[0];
      model->height = (int) CLAMP (size[0], 0, G_MAXINT);
      model->width = (int) CLAMP (size[1], 0, G_MAXINT);
    }
  if (info->n_input_dims != 4 || info->input_dims[0] > 1 || (info->input_dims[1] != 3 && info->input_dims[1] >= 0))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: the model's input is not one RGB image (1 × 3 × height × width)"), model->path);
      return FALSE;
    }
  if (info->input_dims[2] <= 0 || info->input_dims[3] <= 0 || info->input_dims[0] < 0)
    return refuse (error, model, _("its input size is not fixed (dynamic=True)"));
  if (info->input_dims[2] > 8192 || info->input_dims[3] > 8192)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: an input of %" PRId64 " × %" PRId64
                                                            " pixels is larger than Boxmark runs"),
                   model->path, info->input_dims[3], info->input_dims[2]);
      return FALSE;
    }
  if (n > 0 && (size[0] != info->input_dims[2] || size[1] != info->input_dims[3]))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("%s: metadata “imgsz” says %s but the input is %" PRId64 " × %" PRId64),
                   model->path, imgsz, info->input_dims[3], info->input_dims[2]);
      return FALSE;
    }
  model->height = (int) info->input_dims[2];
  model->width = (int) info->input_dims[3];
  return TRUE;
}

static gboolean
read_metadata (BmOnnxModel *model, const BmOnnxInfo *info, int *stride, GError **error)
{
  const char *task = bm_onnx_info_lookup (info, "task");
  const char *value;

  if (task == NULL || strcmp (task, "detect") == 0)
    model->task = BM_ONNX_TASK_DETECT;
  else if (strcmp (task, "obb") == 0)
    model->task = BM_ONNX_TASK_OBB;
  else
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: a “%s” model; Boxmark pre-annotates with detect and obb models"), model->path, task);
      return FALSE;
    }

  *stride = DEFAULT_STRIDE;
  value = bm_onnx_info_lookup (info, "stride");
  if (value != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 s;

      if (bm_onnx_parse_ints (value, &s, 1, &local_error) != 1)
        return metadata_error (error, model, "stride", local_error);
      if (s != 32 && s != 64)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: metadata “stride” is %s; YOLO heads have 32 or 64"),
                       model->path, value);
          return FALSE;
        }
      *stride = (int) s;
    }

  value = bm_onnx_info_lookup (info, "names");
  if (value != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      model->names = bm_onnx_parse_names (value, &local_error);
      if (model->names == NULL)
        return metadata_error (error, model, "names", local_error);
      model->n_classes = g_strv_length (model->names);
      if (model->n_classes == 0)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: metadata “names” lists no class"), model->path);
          return FALSE;
        }
    }
  return TRUE;
}

/* Which head made the output, from its shape: [1, 4+nc(+1), N] or YOLOv5's [1, 3N, 5+nc]. */
static gboolean
recognise_output (BmOnnxModel *model, GError **error)
{
  const int *d = model->out_dims;
  const int extra = model->task == BM_ONNX_TASK_OBB ? 5 : 4;
  g_autoptr(GString) shape = g_string_new (NULL);

  if (model->n_out_dims == 3 && d[0] == 1)
    {
      if (d[2] == model->n_anchors && d[1] > extra
          && (model->n_classes == 0 || (guint) (d[1] - extra) == model->n_classes))
        {
          model->layout = model->task == BM_ONNX_TASK_OBB ? BM_YOLO_LAYOUT_OBB : BM_YOLO_LAYOUT_V8;
          model->n_classes = (guint) (d[1] - extra);
          return TRUE;
        }
      if (model->task == BM_ONNX_TASK_DETECT && d[1] == 3 * model->n_anchors && d[2] > 5
          && (model->n_classes == 0 || (guint) (d[2] - 5) == model->n_classes))
        {
          model->layout = BM_YOLO_LAYOUT_V5;
          model->n_anchors = d[1];
          model->n_classes = (guint) (d[2] - 5);
          return TRUE;
        }
    }
  for (int i = 0; i < model->n_out_dims; i++)
    g_string_append_printf (shape, "%s%d", i > 0 ? ", " : "", d[i]);
  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
               _("%s: its output [%s] is not a YOLO %s head for %u classes at %d × %d "
                 "(an end-to-end export, with NMS inside, is not supported either)"),
               model->path, shape->str, model->task == BM_ONNX_TASK_OBB ? "OBB" : "detect", model->n_classes,
               model->width, model->height);
  return FALSE;
}

static BmOnnxNet *
new_net (BmOnnxModel *model, GError **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (model->bytes, &length);
  GError *local_error = NULL;
  BmOnnxNet *net;

  net = bm_onnx_net_new (data, length, model->path, model->width, model->height, model->n_anchors, &local_error);
  if (net == NULL && bm_onnx_net_available ())
    {
      g_autofree char *hint = bm_onnx_export_hint (MAX (model->width, model->height));

      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s. If it was not exported like this, export it again: %s"),
                   local_error->message, hint);
      g_error_free (local_error);
      return NULL;
    }
  if (net == NULL)
    g_propagate_error (error, local_error);
  return net;
}

BmOnnxModel *
bm_onnx_model_load (const char *path, GError **error)
{
  g_autoptr(BmOnnxModel) model = g_atomic_rc_box_new0 (BmOnnxModel);
  g_autoptr(BmOnnxInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  BmOnnxNet *net;
  gsize length;
  int stride;

  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_init (&model->lock);
  model->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_onnx_net_free);
  model->path = g_strdup (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file"), path);
      else
        g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot be read (%s)"), path, local_error->message);
      return NULL;
    }
  model->bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  info = bm_onnx_info_parse (g_bytes_get_data (model->bytes, NULL), length, path, error);
  if (info == NULL)
    return NULL;

  /* For the size in the export command of a refusal; read_input_size checks it. */
  if (info->n_input_dims == 4)
    {
      model->height = (int) CLAMP (info->input_dims[2], 0, 8192);
      model->width = (int) CLAMP (info->input_dims[3], 0, 8192);
    }
  if (info->opset >= 13)
    {
      g_autofree char *why = g_strdup_printf (_("exported with ONNX opset %" PRId64), info->opset);

      refuse (error, model, why);
      return NULL;
    }
  if (info->n_shape_nodes > 0)
    {
      refuse (error, model, _("the export was not simplified (it still computes tensor shapes as it runs)"));
      return NULL;
    }
  if (!read_input_size (model, info, error) || !read_metadata (model, info, &stride, error))
    return NULL;
  model->n_anchors = bm_yolo_count_anchors (model->width, model->height, stride);

  net = new_net (model, error);
  if (net == NULL)
    return NULL;
  g_ptr_array_add (model->idle, net);
  model->n_patched = bm_onnx_net_get_n_patched (net);
  bm_onnx_net_get_output_shape (net, model->out_dims, &model->n_out_dims);
  if (!recognise_output (model, error))
    return NULL;
  if (model->names == NULL)
    {
      model->names = g_new0 (char *, model->n_classes + 1);
      for (guint i = 0; i < model->n_classes; i++)
        model->names[i] = g_strdup_printf ("%u", i);
    }
  return g_steal_pointer (&model);
}

const char *
bm_onnx_model_get_path (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->path;
}

BmOnnxTask
bm_onnx_model_get_task (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, BM_ONNX_TASK_DETECT);
  return model->task;
}

BmYoloLayout
bm_onnx_model_get_layout (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, BM_YOLO_LAYOUT_V8);
  return model->layout;
}

const char *const *
bm_onnx_model_get_names (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return (const char *const *) model->names;
}

guint
bm_onnx_model_get_n_classes (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->n_classes;
}

void
bm_onnx_model_get_input_size (BmOnnxModel *model, int *width, int *height)
{
  g_return_if_fail (model != NULL);
  if (width != NULL)
    *width = model->width;
  if (height != NULL)
    *height = model->height;
}

int
bm_onnx_model_get_n_patched (BmOnnxModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->n_patched;
}

/* ---- detecting ---------------------------------------------------------------------------- */

gboolean
bm_onnx_letterbox_image (BmImage *image, int width, int height, BmLetterbox *lb, float *tensor, GError **error)
{
  g_autoptr(BmImage) rgb = NULL;
  g_autofree guint8 *resized = NULL;
  const guint8 *pixels;
  int stride;

  g_return_val_if_fail (image != NULL && lb != NULL && tensor != NULL, FALSE);

  rgb = bm_image_convert (image, 3);
  bm_letterbox_init (lb, rgb->width, rgb->height, width, height);
  pixels = rgb->data;
  stride = rgb->stride;
  if (lb->resized_width != rgb->width || lb->resized_height != rgb->height)
    {
      stride = 3 * lb->resized_width;
      resized = g_malloc ((gsize) stride * (gsize) lb->resized_height);
      if (!bm_onnx_resize_linear (rgb->data, rgb->width, rgb->height, rgb->stride, 3, resized, lb->resized_width,
                                  lb->resized_height, stride, error))
        return FALSE;
      pixels = resized;
    }
  bm_letterbox_fill (lb, pixels, stride, tensor);
  return TRUE;
}

static BmOnnxNet *
take_net (BmOnnxModel *model, GError **error)
{
  BmOnnxNet *net = NULL;

  g_mutex_lock (&model->lock);
  if (model->idle->len > 0)
    net = g_ptr_array_steal_index_fast (model->idle, model->idle->len - 1);
  g_mutex_unlock (&model->lock);
  return net != NULL ? net : new_net (model, error);
}

static void
give_back_net (BmOnnxModel *model, BmOnnxNet *net)
{
  g_mutex_lock (&model->lock);
  g_ptr_array_add (model->idle, net);
  g_mutex_unlock (&model->lock);
}

GArray *
bm_onnx_model_detect (BmOnnxModel *model, BmImage *image, const BmYoloParams *params, GError **error)
{
  BmOnnxNet *net;
  BmLetterbox lb;
  const float *output;
  int dims[BM_ONNX_MAX_DIMS], n_dims;
  GArray *found = NULL;

  g_return_val_if_fail (model != NULL && image != NULL && params != NULL, NULL);

  net = take_net (model, error);
  if (net == NULL)
    return NULL;
  if (bm_onnx_letterbox_image (image, model->width, model->height, &lb, bm_onnx_net_get_input (net), error))
    {
      output = bm_onnx_net_forward (net, dims, &n_dims, error);
      if (output != NULL && (n_dims != model->n_out_dims || memcmp (dims, model->out_dims, sizeof (int) * (gsize) n_dims) != 0))
        g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: the output changed shape between runs"), model->path);
      else if (output != NULL)
        found = bm_yolo_decode (output, model->layout, (int) model->n_classes, model->n_anchors, &lb, params);
    }
  give_back_net (model, net);
  return found;
}
