/* bm-yolo-save.c: saving an edited YOLO annotation. Unchanged rows keep their bytes, an edited
 * row changes only what changed, new labels are appended to classes.txt; apart from export rows,
 * which are clipped and written whole.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-yolo-private.h"
#include "bm-text-util.h"

/* The class id of every object (@ids, in object order). A file read without a class list has
 * its ids as labels and keeps them; with one, a label missing from a classes.txt is collected
 * in @added for appending to *@append_to (existing ids never move). Never creates a class
 * list: that would fix ids for every other file of the folder behind the user's back. */
static gboolean
class_ids_for_save (BmAnnotation *annotation, const char *path, YoloBacking *backing,
                    guint *ids, char **append_to, GString *added, GError **error)
{
  g_autoptr(BmClassList) classes = NULL;
  g_autofree char *class_file = NULL;
  gboolean numeric = backing != NULL && backing->classes == NULL;
  gboolean can_append = FALSE;

  if (!numeric)
    {
      class_file = bm_yolo_find_class_file (path);
      if (class_file != NULL)
        {
          classes = bm_class_list_load (class_file, error);
          if (classes == NULL)
            return FALSE;
          can_append = !g_str_has_suffix (class_file, ".yaml") && !g_str_has_suffix (class_file, ".yml");
        }
      else if (backing != NULL && backing->classes != NULL)
        classes = bm_class_list_ref (backing->classes);
      else
        numeric = TRUE;
    }

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      const char *label = bm_object_get_label (bm_annotation_get_object (annotation, i));
      int id;

      if (numeric)
        {
          if (!_bm_yolo_parse_class_id (label, &ids[i]))
            {
              g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                           _("%s: the label “%s” has no class id, and this folder has no class list; add a class list (classes.txt or data.yaml) first"),
                           path, label);
              return FALSE;
            }
          continue;
        }
      id = bm_class_list_find (classes, label);
      if (id < 0 && can_append && label[0] != '\0' && strpbrk (label, "\r\n") == NULL)
        {
          id = (int) bm_class_list_add (classes, label);
          g_string_append_printf (added, "%s\n", label);
        }
      if (id < 0)
        {
          if (class_file != NULL)
            g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                         _("the label “%s” is not in %s; add it there so that its class id is fixed"),
                         label, class_file);
          else
            g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                         _("%s: the label “%s” is not in the class list it was read with, which is gone"),
                         path, label);
          return FALSE;
        }
      ids[i] = (guint) id;
    }
  if (added->len > 0)
    *append_to = g_steal_pointer (&class_file);
  return TRUE;
}

static gboolean
append_class_names (const char *class_file, const char *added, GError **error)
{
  g_autofree char *old = NULL;
  gsize old_length = 0;
  g_autoptr(GString) text = g_string_new (NULL);

  if (!bm_file_read_all (class_file, &old, &old_length, error))
    return FALSE;
  g_string_append_len (text, old, old_length);
  /* Drop trailing blank lines, then append: existing ids never move. */
  while (text->len > 0 && (text->str[text->len - 1] == '\n' || text->str[text->len - 1] == '\r'
                           || text->str[text->len - 1] == ' '))
    g_string_truncate (text, text->len - 1);
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, added);
  return bm_file_write_atomic (class_file, text->str, text->len, error);
}

/* Corner rows (4 points) when the file holds OBB or polygon rows — a 5-column row among them
 * reads as a 2-point polygon in Ultralytics — or an object is not an axis-aligned box. */
static gboolean
needs_corner_rows (BmAnnotation *annotation, YoloBacking *backing)
{
  if (backing != NULL)
    for (guint i = 0; i < backing->lines->len; i++)
      if (((YoloLine *) g_ptr_array_index (backing->lines, i))->n_columns > 6)
        return TRUE;
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    if (bm_object_get_shape (bm_annotation_get_object (annotation, i))->kind != BM_SHAPE_BOX)
      return TRUE;
  return FALSE;
}

static gboolean
check_inside (BmObject *object, guint index, int width, int height, const char *path, GError **error)
{
  BmRect r = bm_shape_bounds (bm_object_get_shape (object));

  if (r.x2 > 0 && r.y2 > 0 && r.x1 < width && r.y1 < height)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
               _("%s: object %u (“%s”) lies outside the image; move it back or delete it"),
               path, index + 1, bm_object_get_label (object));
  return FALSE;
}

/* The row of a new or edited box, OBB or quad: the true values, never clipped (a save must not
 * change what the user drew; export clips). */
static gboolean
append_shape_row (GString *out, BmObject *object, guint index, guint id, int width, int height,
                  BmYoloTask task, const char *path, GError **error)
{
  if (!check_inside (object, index, width, height, path, error))
    return FALSE;
  if (_bm_yolo_append_row (out, object, id, width, height, task, FALSE, FALSE, NULL) == BM_YOLO_ROW_OUTSIDE)
    return check_inside (object, index, 0, 0, path, error);
  return TRUE;
}

static double
map_coordinate (double v, double from1, double from2, double to1, double to2)
{
  if (from2 > from1)
    return to1 + (v - from1) * (to2 - to1) / (from2 - from1);
  return (to1 + to2) / 2;
}

/* An edited polygon keeps its points, moved and scaled as its enclosing box was. */
static gboolean
append_polygon_row (GString *out, BmObject *object, guint index, guint id, const YoloLine *line,
                    int width, int height, const char *path, GError **error)
{
  const BmShape *shape = bm_object_get_shape (object);
  BmRect was = bm_shape_bounds (bm_object_get_shape (line->original));
  BmRect now = bm_shape_bounds (shape);

  if (shape->kind != BM_SHAPE_BOX)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("%s: object %u (“%s”) is a polygon; turned into a rotated box or quadrilateral it would lose its points. Undo that change, or delete the object and draw a new one"),
                   path, index + 1, bm_object_get_label (object));
      return FALSE;
    }
  if (!check_inside (object, index, width, height, path, error))
    return FALSE;
  g_string_append_printf (out, "%u", id);
  for (guint k = 0; k + 1 < line->n_polygon; k += 2)
    {
      double x = map_coordinate (line->polygon[k] * width, was.x1, was.x2, now.x1, now.x2);
      double y = map_coordinate (line->polygon[k + 1] * height, was.y1, was.y2, now.y1, now.y2);

      g_string_append_c (out, ' ');
      bm_yolo_append_value (out, x / width);
      g_string_append_c (out, ' ');
      bm_yolo_append_value (out, y / height);
    }
  return TRUE;
}

/* Whether @object is written with a confidence column: a pre-annotation with a finite score
 * (the column is what marks it; one without a score cannot be marked and is written plain). */
static gboolean
writes_score (BmObject *object)
{
  return bm_object_get_pre_annotation (object) && bm_object_has_score (object)
         && isfinite (bm_object_get_score (object));
}

static gboolean
same_score (BmObject *a, BmObject *b)
{
  return bm_object_has_score (a) == bm_object_has_score (b)
         && (!bm_object_has_score (a) || bm_object_get_score (a) == bm_object_get_score (b));
}

/* The shortest text that reads back as @value ("37", "0.25"), as Ultralytics' "%g" would
 * mostly write it. */
static void
append_score_value (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

/* The confidence column of a pre-annotation; @line: the row it was read from, or NULL. */
static void
append_score (GString *out, BmObject *object, const YoloLine *line)
{
  if (!writes_score (object))
    return;
  g_string_append_c (out, ' ');
  if (line != NULL && line->score != NULL && same_score (object, line->original))
    g_string_append (out, line->score);
  else
    append_score_value (out, bm_object_get_score (object));
}

/* An edited row: only the class id when the shape is unchanged (the number texts stay), and
 * the confidence when it was accepted (dropped) or its score changed. */
static gboolean
append_edited_row (GString *out, BmObject *object, guint index, guint id, const YoloLine *line,
                   int width, int height, BmYoloTask task, const char *path, GError **error)
{
  if (bm_shape_equal (bm_object_get_shape (object), bm_object_get_shape (line->original))
      && !(task == BM_YOLO_OBB && line->n_columns == 5))
    {
      g_string_append_printf (out, "%u", id);
      if ((line->score == NULL && !writes_score (object))
          || (line->score != NULL && writes_score (object) && same_score (object, line->original)))
        g_string_append (out, line->text + line->values_offset);
      else
        {
          g_string_append_len (out, line->text + line->values_offset, line->values_end - line->values_offset);
          append_score (out, object, line);
        }
      return TRUE;
    }
  if (line->polygon != NULL)
    {
      if (!append_polygon_row (out, object, index, id, line, width, height, path, error))
        return FALSE;
    }
  else if (!append_shape_row (out, object, index, id, width, height, task, path, error))
    return FALSE;
  append_score (out, object, line);
  return TRUE;
}

gboolean
bm_yolo_save (BmAnnotation *annotation, const char *path, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) added = g_string_new (NULL);
  g_autoptr(GHashTable) by_origin = NULL;
  g_autoptr(GHashTable) index_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) written = g_hash_table_new (NULL, NULL);
  g_autofree guint *ids = NULL;
  g_autofree char *append_to = NULL;
  YoloBacking *backing = NULL;
  int width, height;
  BmYoloTask task;
  const char *eol = "\n";
  gboolean last_line_open = FALSE;   /* the file's last line has no line break */
  guint n;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (bm_annotation_is_read_only (annotation))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s has problems; saving it could lose what could not be read"), path);
      return FALSE;
    }
  width = bm_annotation_get_width (annotation);
  height = bm_annotation_get_height (annotation);
  if (width <= 0 || height <= 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("%s: the image size is unknown, so the YOLO rows cannot be normalised"), path);
      return FALSE;
    }
  if (bm_annotation_get_format (annotation) == BM_FORMAT_YOLO)
    backing = bm_annotation_get_backing (annotation);
  n = bm_annotation_get_n_objects (annotation);
  ids = g_new0 (guint, MAX (n, 1));
  if (!class_ids_for_save (annotation, path, backing, ids, &append_to, added, error))
    return FALSE;
  task = needs_corner_rows (annotation, backing) ? BM_YOLO_OBB : BM_YOLO_DETECT;
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index_of, bm_annotation_get_object (annotation, i), GUINT_TO_POINTER (i));

  if (backing != NULL)
    {
      eol = backing->eol;
      by_origin = bm_text_objects_by_origin (annotation);
      for (guint i = 0; i < backing->lines->len; i++)
        {
          YoloLine *line = g_ptr_array_index (backing->lines, i);
          BmObject *object;
          guint index;

          if (line->original == NULL)
            {
              g_string_append_len (out, line->text, line->length);
              g_string_append (out, line->eol);
              last_line_open = line->eol[0] == '\0' && line->length > 0;
              continue;
            }
          object = g_hash_table_lookup (by_origin, GUINT_TO_POINTER (bm_object_get_origin (line->original)));
          if (object == NULL)
            continue;
          g_hash_table_add (written, object);
          index = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, object));
          if (bm_object_content_equal (object, line->original)
              && !(task == BM_YOLO_OBB && line->n_columns == 5))
            g_string_append_len (out, line->text, line->length);
          else if (!append_edited_row (out, object, index, ids[index], line, width, height, task, path, error))
            return FALSE;
          g_string_append (out, line->eol);
          last_line_open = line->eol[0] == '\0';
        }
    }
  for (guint i = 0; i < n; i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);

      if (g_hash_table_contains (written, object))
        continue;
      if (last_line_open)
        g_string_append (out, eol);
      last_line_open = FALSE;
      if (!append_shape_row (out, object, i, ids[i], width, height, task, path, error))
        return FALSE;
      append_score (out, object, NULL);
      g_string_append (out, eol);
    }
  if (append_to != NULL && !append_class_names (append_to, added->str, error))
    return FALSE;
  return bm_file_write_atomic (path, out->str, out->len, error);
}
