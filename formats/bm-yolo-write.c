/* bm-yolo-write.c: YOLO rows as an export writes them (clipped to the image), a whole file from
 * a class list, and class id remaps that touch only the id tokens; apart from the lossless save,
 * which keeps the rows that were read.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "bm-yolo-private.h"
#include "bm-text-util.h"

void
bm_yolo_append_value (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.6f", value);
  if (strcmp (buffer, "-0.000000") == 0)
    g_string_append (out, "0.000000");
  else
    g_string_append (out, buffer);
}

/* @clip_detect: cut detect rows to the image (export) or write the true values (save). */
BmYoloRowResult
_bm_yolo_append_row (GString *out, BmObject *object, guint class_id, int width, int height,
                     BmYoloTask task, gboolean clip_detect, gboolean clip, gboolean *enclosed)
{
  const BmShape *shape = bm_object_get_shape (object);
  BmYoloRowResult result = BM_YOLO_ROW_OK;

  if (enclosed != NULL)
    *enclosed = task == BM_YOLO_DETECT && shape->kind != BM_SHAPE_BOX;

  if (task == BM_YOLO_DETECT)
    {
      BmRect r = bm_shape_bounds (shape);
      BmRect image = { 0, 0, width, height };
      BmRect c = bm_rect_intersect (&r, &image);
      /* Float noise from a normalised round trip is not worth a "clipped" notice. */
      double slack = 1e-9 * MAX (width, height);

      if (clip_detect && (c.x2 <= c.x1 || c.y2 <= c.y1))
        return BM_YOLO_ROW_OUTSIDE;
      if (!clip_detect)
        c = r;
      else if (r.x1 < -slack || r.y1 < -slack || r.x2 > width + slack || r.y2 > height + slack)
        result = BM_YOLO_ROW_CLIPPED;
      g_string_append_printf (out, "%u ", class_id);
      bm_yolo_append_value (out, (c.x1 + c.x2) / 2 / width);
      g_string_append_c (out, ' ');
      bm_yolo_append_value (out, (c.y1 + c.y2) / 2 / height);
      g_string_append_c (out, ' ');
      bm_yolo_append_value (out, (c.x2 - c.x1) / width);
      g_string_append_c (out, ' ');
      bm_yolo_append_value (out, (c.y2 - c.y1) / height);
      return result;
    }

  {
    double xy[8];
    double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;

    for (int i = 0; i < 4; i++)
      {
        xy[2 * i] = shape->p[i].x / width;
        xy[2 * i + 1] = shape->p[i].y / height;
        x1 = MIN (x1, xy[2 * i]);
        x2 = MAX (x2, xy[2 * i]);
        y1 = MIN (y1, xy[2 * i + 1]);
        y2 = MAX (y2, xy[2 * i + 1]);
      }
    if (x2 <= 0 || y2 <= 0 || x1 >= 1 || y1 >= 1)
      return BM_YOLO_ROW_OUTSIDE;
    if (clip && (x1 < 0 || y1 < 0 || x2 > 1 || y2 > 1))
      {
        for (int i = 0; i < 8; i++)
          xy[i] = CLAMP (xy[i], 0.0, 1.0);
        result = BM_YOLO_ROW_CLIPPED;
      }
    else
      {
        /* Ultralytics checks the enclosing box as cx cy w h. */
        double box[4] = { (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1 };

        for (int i = 0; i < 4; i++)
          if (box[i] < BM_YOLO_MIN_VALUE || box[i] > BM_YOLO_MAX_VALUE)
            result = BM_YOLO_ROW_OUT_OF_RANGE;
      }
    g_string_append_printf (out, "%u", class_id);
    for (int i = 0; i < 8; i++)
      {
        g_string_append_c (out, ' ');
        bm_yolo_append_value (out, xy[i]);
      }
    return result;
  }
}

BmYoloRowResult
bm_yolo_append_row (GString *out, BmObject *object, guint class_id,
                    int width, int height, BmYoloTask task, gboolean clip, gboolean *enclosed)
{
  g_return_val_if_fail (out != NULL, BM_YOLO_ROW_OUTSIDE);
  g_return_val_if_fail (BM_IS_OBJECT (object), BM_YOLO_ROW_OUTSIDE);
  g_return_val_if_fail (width > 0 && height > 0, BM_YOLO_ROW_OUTSIDE);

  return _bm_yolo_append_row (out, object, class_id, width, height, task, TRUE, clip, enclosed);
}

char *
bm_yolo_to_data (BmAnnotation *annotation, BmClassList *classes, int width, int height,
                 BmYoloTask task, gboolean clip, guint *n_clipped, guint *n_outside,
                 gsize *length, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint clipped = 0, outside = 0;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), NULL);
  g_return_val_if_fail (classes != NULL, NULL);

  if (width <= 0 || height <= 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("the image size is unknown"));
      return NULL;
    }
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      int id = bm_class_list_find (classes, bm_object_get_label (object));
      gsize mark = out->len;

      if (id < 0)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                       _("the label “%s” is not in the class list"), bm_object_get_label (object));
          return NULL;
        }
      switch (bm_yolo_append_row (out, object, (guint) id, width, height, task, clip, NULL))
        {
        case BM_YOLO_ROW_OUTSIDE:
          outside++;
          g_string_truncate (out, mark);
          continue;
        case BM_YOLO_ROW_CLIPPED:
          clipped++;
          break;
        case BM_YOLO_ROW_OK:
        case BM_YOLO_ROW_OUT_OF_RANGE:
        default:
          break;
        }
      g_string_append_c (out, '\n');
    }
  if (n_clipped != NULL)
    *n_clipped = clipped;
  if (n_outside != NULL)
    *n_outside = outside;
  if (length != NULL)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
bm_yolo_remap_class_ids (const char *data, gsize length, const char *path, const int *map,
                         guint n_map, guint *n_changed, gsize *out_length, GError **error)
{
  g_autoptr(GString) out = g_string_sized_new (length);
  gsize start = 0;
  guint changed = 0;
  int number = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (map != NULL || n_map == 0, NULL);

  while (start < length)
    {
      gsize text_end;
      /* the lines the reader sees (Python's str.splitlines(), as Ultralytics reads them) */
      const char *eol = bm_line_next (data, length, start, BM_LINES_PYTHON, &text_end);
      gsize end = text_end + strlen (eol);
      const char *line = data + start;
      gsize line_length = end - start;
      gsize id_start = 0, id_end;
      guint id;

      number++;
      if (end == start)
        break;
      if (number == 1 && line_length >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        id_start = 3;
      /* the first token of the line's text (its line break excluded) */
      while (id_start < text_end - start && line[id_start] != '\0' && strchr (" \t\r\v\f", line[id_start]) != NULL)
        id_start++;
      id_end = id_start;
      while (id_end < text_end - start && (line[id_end] == '\0' || strchr (" \t\r\v\f", line[id_end]) == NULL))
        id_end++;
      start = end;
      if (id_end == id_start)
        {
          g_string_append_len (out, line, line_length);   /* a blank line */
          continue;
        }
      {
        g_autofree char *token = g_strndup (line + id_start, id_end - id_start);

        if (memchr (line + id_start, '\0', id_end - id_start) != NULL || !_bm_yolo_parse_class_id (token, &id))
          {
            g_autofree char *shown = bm_text_shown (token);

            g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: class id “%s” is not a whole number ≥ 0"),
                         path != NULL ? path : "", number, shown);
            return NULL;
          }
      }
      if (id >= n_map || map[id] == (int) id)
        {
          g_string_append_len (out, line, line_length);
          continue;
        }
      changed++;
      if (map[id] < 0)
        continue;
      g_string_append_len (out, line, id_start);
      g_string_append_printf (out, "%d", map[id]);
      g_string_append_len (out, line + id_end, line_length - id_end);
    }
  if (n_changed != NULL)
    *n_changed = changed;
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
