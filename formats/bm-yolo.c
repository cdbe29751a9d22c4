/* bm-yolo.c: reading a YOLO label file (detect, OBB, polygon rows, a confidence column); each
 * row's text is kept for bm-yolo-save.c, so reading stays apart from every kind of writing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-number.h"
#include "bm-yolo-private.h"
#include "bm-text-util.h"

#define LABELS_ARE_IDS "bm-yolo-labels-are-ids"

static void
yolo_line_free (YoloLine *line)
{
  g_free (line->text);
  g_free (line->polygon);
  g_free (line->score);
  g_clear_object (&line->original);
  g_free (line);
}

static void
yolo_backing_free (YoloBacking *backing)
{
  g_ptr_array_unref (backing->lines);
  g_clear_pointer (&backing->classes, bm_class_list_unref);
  g_free (backing);
}

gboolean
_bm_yolo_parse_class_id (const char *token, guint *id)
{
  guint64 value;

  if (!g_ascii_isdigit (token[0]))
    return FALSE;
  if (!bm_number_parse_uint (token, G_MAXINT, &value))
    return FALSE;
  *id = (guint) value;
  return TRUE;
}

/* Returns a problem message, or NULL and the object (and, for a polygon row, its values).
 * A shape has an even number of values (4, 8, or a polygon's x y pairs), so an odd count of 5
 * or more is a shape followed by a confidence, as Ultralytics' `save_conf` writes predictions:
 * the object is then a pre-annotation with that score. */
static char *
parse_row (char **tokens, BmClassList *classes, int width, int height, BmObject **object,
           double **polygon, gboolean *has_score, double *score)
{
  guint n = g_strv_length (tokens);
  guint n_values = n - 1;
  g_autofree double *values = NULL;
  g_autofree char *id_text = NULL;
  const char *label;
  guint id;
  BmShape shape;

  if (!_bm_yolo_parse_class_id (tokens[0], &id))
    {
      g_autofree char *token = bm_text_shown (tokens[0]);
      return g_strdup_printf (_("class id “%s” is not a whole number ≥ 0"), token);
    }
  if (classes != NULL && id >= bm_class_list_get_n (classes))
    return g_strdup_printf (_("class id %u is not in the class list (%u classes, ids 0 … %u)"),
                            id, bm_class_list_get_n (classes), bm_class_list_get_n (classes) - 1);
  *has_score = n_values >= 5 && n_values % 2 == 1;
  if (*has_score)
    {
      if (!bm_text_parse_finite (tokens[n - 1], score))
        {
          g_autofree char *token = bm_text_shown (tokens[n - 1]);
          return g_strdup_printf (_("the confidence “%s” (value %u) is not a finite number"), token, n);
        }
      n_values--;
    }
  if (n_values != 4 && (n_values < 6 || n_values % 2 != 0))
    return g_strdup_printf (_("%u values after the class id; expected 4 (cx cy w h), 8 (four corners) or an even number ≥ 6 (a polygon), each optionally followed by a confidence"),
                            n_values);

  values = g_new0 (double, n_values);
  for (guint i = 0; i < n_values; i++)
    {
      gboolean parsed = bm_text_parse_finite (tokens[i + 1], &values[i]);

      if (!parsed || fabs (values[i]) > 1e6)
        {
          g_autofree char *token = bm_text_shown (tokens[i + 1]);
          return g_strdup_printf (parsed ? _("value %u “%s” is not a normalised coordinate")
                                         : _("value %u “%s” is not a finite number"),
                                  i + 2, token);
        }
    }

  if (classes != NULL)
    label = bm_class_list_get_name (classes, id);
  else
    label = id_text = g_strdup_printf ("%u", id);

  if (n_values == 4)
    {
      double cx = values[0] * width, cy = values[1] * height;
      double w = values[2] * width, h = values[3] * height;

      if (values[2] < 0 || values[3] < 0)
        return g_strdup (_("width and height must not be negative"));
      bm_shape_init_box (&shape, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
      *object = bm_object_new (label, &shape);
      return NULL;
    }
  if (n_values == 8)
    {
      double xy[8];

      for (int i = 0; i < 4; i++)
        {
          xy[2 * i] = values[2 * i] * width;
          xy[2 * i + 1] = values[2 * i + 1] * height;
        }
      bm_shape_init_quad (&shape, xy);
      *object = bm_object_new (label, &shape);
      return NULL;
    }
  {
    double x1 = values[0], y1 = values[1], x2 = values[0], y2 = values[1];

    for (guint i = 2; i < n_values; i += 2)
      {
        x1 = MIN (x1, values[i]);
        x2 = MAX (x2, values[i]);
        y1 = MIN (y1, values[i + 1]);
        y2 = MAX (y2, values[i + 1]);
      }
    bm_shape_init_box (&shape, x1 * width, y1 * height, x2 * width, y2 * height);
    *object = bm_object_new (label, &shape);
    bm_object_set_attribute (*object, "yolo-shape", "polygon");
    *polygon = g_steal_pointer (&values);
    return NULL;
  }
}

/* Where the text after a row's first token starts (past a first line's byte-order mark). */
static gsize
class_id_end (const char *text, gboolean first_line)
{
  const char *p = text;

  if (first_line && g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;
  while (*p != '\0' && strchr (" \t\r\v\f", *p) != NULL)
    p++;
  while (*p != '\0' && strchr (" \t\r\v\f", *p) == NULL)
    p++;
  return (gsize) (p - text);
}

/* Where the @n-th token after @offset in @text ends (@n ≥ 1). */
static gsize
token_end (const char *text, gsize offset, guint n)
{
  const char *p = text + offset;

  for (guint i = 0; i < n; i++)
    {
      while (*p != '\0' && strchr (" \t\r\v\f", *p) != NULL)
        p++;
      while (*p != '\0' && strchr (" \t\r\v\f", *p) == NULL)
        p++;
    }
  return (gsize) (p - text);
}

BmAnnotation *
bm_yolo_load_data (const char *data, gsize length, const char *path,
                   BmClassList *classes, int width, int height, GError **error)
{
  g_autoptr(BmAnnotation) annotation = NULL;
  YoloBacking *backing;
  gsize start = 0;
  int number = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  if (path == NULL)
    path = "";
  if (width <= 0 || height <= 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("%s: the image size is unknown, so YOLO’s normalised values cannot be read"), path);
      return NULL;
    }

  backing = g_new0 (YoloBacking, 1);
  backing->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) yolo_line_free);
  backing->classes = classes != NULL ? bm_class_list_ref (classes) : NULL;
  annotation = bm_annotation_new ();
  bm_annotation_set_backing (annotation, backing, (GDestroyNotify) yolo_backing_free);
  bm_annotation_set_format (annotation, BM_FORMAT_YOLO);
  bm_annotation_set_label_path (annotation, path);
  bm_annotation_set_size (annotation, width, height, 0);
  /* Kept apart from the backing, which exporters drop to save memory. */
  if (classes == NULL)
    g_object_set_data (G_OBJECT (annotation), LABELS_ARE_IDS, GINT_TO_POINTER (TRUE));

  while (start < length)
    {
      gsize end;
      /* Rows end where Ultralytics' splitlines() ends them: also at a lone \r. */
      const char *eol = bm_line_next (data, length, start, BM_LINES_PYTHON, &end);
      g_autofree char *text = g_strndup (data + start, end - start);
      gboolean has_nul = memchr (data + start, '\0', end - start) != NULL;
      g_auto(GStrv) tokens = NULL;
      g_autofree char *problem = NULL;
      BmObject *object = NULL;
      YoloLine *line = g_new0 (YoloLine, 1);
      gboolean has_score = FALSE;
      double score = 0;

      number++;
      line->length = end - start;
      line->eol = eol;
      if (backing->eol == NULL && eol[0] != '\0')
        backing->eol = line->eol;
      line->text = g_malloc (line->length + 1);
      memcpy (line->text, data + start, line->length);
      line->text[line->length] = '\0';
      g_ptr_array_add (backing->lines, line);
      start = end + strlen (eol);
      if (has_nul)
        {
          bm_annotation_add_problem (annotation,
            bm_problem_new (path, number, _("the line contains a NUL byte")));
          continue;
        }
      tokens = g_strsplit_set (g_strstrip (number == 1 && g_str_has_prefix (text, "\xEF\xBB\xBF") ? text + 3 : text),
                               " \t\r\v\f", -1);
      /* g_strsplit_set keeps empty pieces between repeated separators: drop them. */
      {
        guint k = 0;

        for (guint i = 0; tokens[i] != NULL; i++)
          {
            if (tokens[i][0] == '\0')
              g_free (tokens[i]);
            else
              tokens[k++] = tokens[i];
          }
        tokens[k] = NULL;
      }
      if (tokens[0] == NULL)
        continue;
      problem = parse_row (tokens, classes, width, height, &object, &line->polygon, &has_score, &score);
      if (problem != NULL)
        {
          bm_annotation_add_problem (annotation, bm_problem_new (path, number, problem));
          continue;
        }
      bm_object_set_origin (object, (guint) number);
      line->n_columns = g_strv_length (tokens) - (has_score ? 1 : 0);
      if (line->polygon != NULL)
        line->n_polygon = line->n_columns - 1;
      line->values_offset = class_id_end (line->text, number == 1);
      line->values_end = token_end (line->text, line->values_offset, line->n_columns - 1);
      if (has_score)
        {
          line->score = g_strdup (tokens[line->n_columns]);
          bm_object_set_score (object, score);
          bm_object_set_pre_annotation (object, TRUE);
        }
      line->original = bm_object_copy (object);
      bm_annotation_add_object (annotation, object);
      g_object_unref (object);
    }
  if (backing->eol == NULL)
    backing->eol = "\n";
  return g_steal_pointer (&annotation);
}

BmAnnotation *
bm_yolo_load (const char *path, BmClassList *classes, int width, int height, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!bm_file_read_all (path, &data, &length, error))
    return NULL;
  return bm_yolo_load_data (data, length, path, classes, width, height, error);
}

gboolean
bm_yolo_labels_are_ids (BmAnnotation *annotation)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);

  return bm_annotation_get_format (annotation) == BM_FORMAT_YOLO
         && g_object_get_data (G_OBJECT (annotation), LABELS_ARE_IDS) != NULL;
}
