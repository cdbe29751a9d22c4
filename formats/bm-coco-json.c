/* bm-coco-json.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-float-repr.h"
#include "bm-coco-json.h"

typedef struct
{
  int depth;
  int wanted;
  GArray *lines;
} Tracker;

static void
on_array_start (JsonParser *parser, Tracker *tracker)
{
  tracker->depth++;
}

static void
on_array_end (JsonParser *parser, JsonArray *array, Tracker *tracker)
{
  tracker->depth--;
}

static void
on_object_start (JsonParser *parser, Tracker *tracker)
{
  tracker->depth++;
  if (tracker->depth == tracker->wanted && tracker->lines != NULL)
    {
      guint line = json_parser_get_current_line (parser);

      g_array_append_val (tracker->lines, line);
    }
}

static void
on_object_end (JsonParser *parser, JsonObject *object, Tracker *tracker)
{
  tracker->depth--;
}

static gboolean
word_at (const char *data, gsize length, gsize i, const char *word)
{
  gsize n = strlen (word);

  return length - i >= n && memcmp (data + i, word, n) == 0;
}

/* A copy with Python's NaN / Infinity / -Infinity (outside strings) turned into null, or NULL
 * when there are none. */
static char *
replace_python_words (const char *data, gsize length, GHashTable *lines)
{
  GString *out = NULL;
  gboolean in_string = FALSE;
  guint line = 1;
  gsize copied = 0;

  if (g_strstr_len (data, (gssize) length, "NaN") == NULL
      && g_strstr_len (data, (gssize) length, "Infinity") == NULL)
    return NULL;
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      gsize n = 0;

      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (word_at (data, length, i, "NaN"))
        n = 3;
      else if (word_at (data, length, i, "Infinity"))
        n = 8;
      else if (word_at (data, length, i, "-Infinity"))
        n = 9;
      if (n == 0)
        continue;
      if (out == NULL)
        out = g_string_sized_new (length + 16);
      g_string_append_len (out, data + copied, (gssize) (i - copied));
      g_string_append (out, "null");
      if (lines != NULL)
        g_hash_table_add (lines, GUINT_TO_POINTER (line));
      i += n - 1;
      copied = i + 1;
    }
  if (out == NULL)
    return NULL;
  g_string_append_len (out, data + copied, (gssize) (length - copied));
  return g_string_free (out, FALSE);
}

/* How many lines a text editor shows for @data (at least 1). */
static guint
count_lines (const char *data, gsize length)
{
  guint n = length > 0 && data[length - 1] != '\n' ? 1 : 0;

  for (gsize i = 0; i < length; i++)
    n += data[i] == '\n';
  return MAX (n, 1);
}

JsonNode *
bm_coco_json_parse (const char *data, gsize length, int depth, GArray *object_lines,
                    GHashTable *nan_lines, guint *error_line, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *replaced = replace_python_words (data, length, nan_lines);
  g_autoptr(GError) local = NULL;
  Tracker tracker = { 0, depth, object_lines };

  if (object_lines != NULL)
    {
      g_signal_connect (parser, "array-start", G_CALLBACK (on_array_start), &tracker);
      g_signal_connect (parser, "array-end", G_CALLBACK (on_array_end), &tracker);
      g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &tracker);
      g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &tracker);
    }
  if (length > 0 && memchr (replaced != NULL ? replaced : data, '\0', replaced != NULL ? strlen (replaced) : length) != NULL)
    {
      *error_line = 1;
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("not JSON: the file holds a NUL byte"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, replaced != NULL ? replaced : data,
                                   replaced != NULL ? -1 : (gssize) length, &local))
    {
      /* json-glib says "<data>:LINE:COLUMN: message" */
      const char *colon = strchr (local->message, ':');
      guint line = colon != NULL ? (guint) g_ascii_strtoull (colon + 1, NULL, 10) : 0;
      const char *text = strstr (local->message, ": ");

      /* at the end of a file that ends with a newline json-glib counts one line more than
       * the file has: the problem is on its last line */
      *error_line = CLAMP (line, 1, count_lines (data, length));
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("not valid JSON: %s"),
                   text != NULL ? text + 2 : local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      *error_line = 1;
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("empty file, not JSON"));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

void
bm_coco_json_append_double (GString *out, double value)
{
  char text[BM_FLOAT_REPR_SIZE];
  int length;

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  /* Python's repr is also what split/merge write (core/bm-float-repr.c): one implementation */
  length = bm_float_repr (value, text);
  g_string_append_len (out, text, length);
}

void
bm_coco_json_append_string (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_member (JsonObject *object, const char *name, JsonNode *node, gpointer user_data)
{
  GString *out = user_data;

  if (out->str[out->len - 1] != '{')
    g_string_append (out, ", ");
  bm_coco_json_append_string (out, name);
  g_string_append (out, ": ");
  bm_coco_json_append_node (out, node);
}

void
bm_coco_json_append_node (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      g_string_append_c (out, '{');
      json_object_foreach_member (json_node_get_object (node), append_member, out);
      g_string_append_c (out, '}');
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            bm_coco_json_append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          bm_coco_json_append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          bm_coco_json_append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
    }
}

gboolean
bm_coco_json_get_int (JsonNode *node, gint64 *value)
{
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return FALSE;
  d = json_node_get_double (node);
  if (d != floor (d) || fabs (d) > 9007199254740992.0)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

gboolean
bm_coco_json_get_number (JsonNode *node, double *value)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}
