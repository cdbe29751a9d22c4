/* bm-pred-read-coco.c: COCO results JSON, read with json-glib.
 *
 * [{"image_id": 42, "category_id": 18, "bbox": [x, y, w, h], "score": 0.97}, …] as detectors and
 * pycocotools' loadRes() use it. Each detection's line is taken from the parser as it goes, so
 * problems say FILE:LINE. Python's json module writes a NaN score as the bare word NaN, which is
 * not JSON: such words are read as null first (bm_coco_json_parse), and the detection is
 * reported.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "formats/bm-coco-json.h"
#include "formats/bm-text-util.h"
#include "bm-pred-private.h"

/* An integer id, or a string (some tools name images by file name). */
static gboolean
read_key (JsonObject *object, const char *member, char *buffer, gsize size, const char **key)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_snprintf (buffer, size, "%" G_GINT64_FORMAT, json_node_get_int (node));
      *key = buffer;
      return TRUE;
    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (node);

        /* 42.0 is the id 42, as Python's dict lookup would find it */
        if (value != floor (value) || fabs (value) > 9007199254740992.0)
          return FALSE;
        g_snprintf (buffer, size, "%.0f", value);
        *key = buffer;
        return TRUE;
      }
    case G_TYPE_STRING:
      *key = json_node_get_string (node);
      return *key != NULL && (*key)[0] != '\0';
    default:
      return FALSE;
    }
}

static gboolean
read_number (JsonNode *node, double *value)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
read_detection (BmPredChunk *chunk, JsonNode *node, guint index, guint line, GHashTable *nan_lines)
{
  char image_buffer[32], class_buffer[32];
  const char *image = NULL, *klass = NULL;
  JsonObject *object;
  JsonNode *bbox, *score;
  JsonArray *values;
  BmPred pred = { 0 };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bm_pred_chunk_problem (chunk, line, _("detection %u is not an object {…}; left out"), index + 1);
      return;
    }
  object = json_node_get_object (node);
  if (!read_key (object, "image_id", image_buffer, sizeof image_buffer, &image))
    {
      bm_pred_chunk_problem (chunk, line, _("detection %u has no usable “image_id”; left out"), index + 1);
      return;
    }
  if (!read_key (object, "category_id", class_buffer, sizeof class_buffer, &klass))
    {
      bm_pred_chunk_problem (chunk, line, _("detection %u has no usable “category_id”; left out"), index + 1);
      return;
    }
  bbox = json_object_get_member (object, "bbox");
  if (bbox == NULL || !JSON_NODE_HOLDS_ARRAY (bbox)
      || json_array_get_length (values = json_node_get_array (bbox)) != 4)
    {
      bm_pred_chunk_problem (chunk, line, _("detection %u has no “bbox”: [x, y, width, height]; left out"), index + 1);
      return;
    }
  for (guint k = 0; k < 4; k++)
    if (!read_number (json_array_get_element (values, k), &pred.xy[k]) || !isfinite (pred.xy[k]))
      {
        bm_pred_chunk_problem (chunk, line, _("detection %u: “bbox” value %u is not a finite number; left out"),
                               index + 1, k + 1);
        return;
      }
  score = json_object_get_member (object, "score");
  if (score != NULL && JSON_NODE_HOLDS_NULL (score) && g_hash_table_contains (nan_lines, GUINT_TO_POINTER (line)))
    {
      bm_pred_chunk_problem (chunk, line, _("detection %u: the score is NaN or infinite (the detection cannot be ranked); left out"),
                             index + 1);
      return;
    }
  if (!read_number (score, &pred.score) || !isfinite (pred.score))
    {
      bm_pred_chunk_problem (chunk, line, _("detection %u has no “score” number; left out"), index + 1);
      return;
    }
  pred.geometry = BM_PRED_XYWH;
  pred.image = bm_pred_chunk_image (chunk, image, strlen (image));
  pred.klass = bm_pred_chunk_class (chunk, klass);
  pred.line = line;
  pred.index = index;
  bm_pred_chunk_add (chunk, &pred);
}

void
bm_pred_parse_coco (BmPredChunk *chunk, const char *data, gsize length)
{
  g_autoptr(GHashTable) nan_lines = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  guint error_line = 0;
  g_autoptr(JsonNode) root = bm_coco_json_parse (data, length, 2, lines, nan_lines, &error_line, &error);
  JsonNode *list = root;
  JsonArray *array;

  if (root == NULL)
    {
      bm_pred_chunk_problem (chunk, error_line, "%s", error->message);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "annotations"))
    {
      /* a COCO dataset file whose annotations carry scores: its detections' lines are not known */
      list = json_object_get_member (json_node_get_object (root), "annotations");
      g_array_set_size (lines, 0);
    }
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      bm_pred_chunk_problem (chunk, 1,
                             _("not COCO results: the top level is not a list of detections […] (pycocotools’ loadRes would stop: “results in not an array of objects”)"));
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) == 0)
    {
      bm_pred_chunk_problem (chunk, 1, _("no detections in this results file (pycocotools’ loadRes would stop with IndexError)"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    read_detection (chunk, json_array_get_element (array, i), i,
                    i < lines->len ? g_array_index (lines, guint, i) : 0, nan_lines);
}
