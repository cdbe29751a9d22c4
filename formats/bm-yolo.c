/* bm-yolo.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-number.h"
#include "bm-yolo.h"
#include "bm-text-util.h"

typedef struct
{
  char *text;            /* without the line ending; may hold NUL bytes (bad lines) */
  gsize length;
  const char *eol;       /* "\n", "\r\n" or "" */
  guint n_columns;       /* 0 for blank and bad lines; without a confidence column */
  gsize values_offset;   /* rows: where the text after the class id starts */
  gsize values_end;      /* rows: where the shape's last value ends (before a confidence) */
  char *score;           /* rows with a confidence column: its text, else NULL */
  double *polygon;       /* polygon rows: the normalised x y values as read, else NULL */
  guint n_polygon;       /* polygon rows: the number of values (2 per point) */
  BmObject *original;    /* rows: what was read; origin = line number */
} YoloLine;

typedef struct
{
  GPtrArray *lines;      /* YoloLine */
  const char *eol;
  BmClassList *classes;  /* may be NULL */
} YoloBacking;

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

static gboolean
parse_class_id (const char *token, guint *id)
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

  if (!parse_class_id (tokens[0], &id))
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

/* ---- writing ---- */

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
static BmYoloRowResult
append_row (GString *out, BmObject *object, guint class_id, int width, int height,
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

  return append_row (out, object, class_id, width, height, task, TRUE, clip, enclosed);
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

        if (memchr (line + id_start, '\0', id_end - id_start) != NULL || !parse_class_id (token, &id))
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

/* ---- datasets: class file lookup, load for an image, save ---- */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
yaml_has_names (const char *path)
{
  g_autoptr(BmClassList) classes = bm_class_list_load (path, NULL);

  return classes != NULL && bm_class_list_get_n (classes) > 0;
}

static gboolean
has_child_dir (const char *dir, const char *name)
{
  g_autofree char *child = g_build_filename (dir, name, NULL);

  return g_file_test (child, G_FILE_TEST_IS_DIR);
}

static gboolean
is_split_name (const char *name)
{
  return strcmp (name, "train") == 0 || strcmp (name, "valid") == 0 || strcmp (name, "val") == 0
         || strcmp (name, "test") == 0;
}

/* Roboflow's layout: ROOT/data.yaml with ROOT/{train,valid,test}/{images,labels}. A YAML of
 * another name there is not enough: it may well be another dataset's. */
static gboolean
is_roboflow_root (const char *dir, const char *split)
{
  static const char *const splits[] = { "train", "valid", "val", "test" };
  static const char *const lists[] = { "data.yaml", "data.yml", "classes.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autofree char *path = g_build_filename (dir, lists[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    if (strcmp (splits[i], split) != 0 && has_child_dir (dir, splits[i]))
      return TRUE;
  return FALSE;
}

/* The nearest folder named "labels" among @dir and its parents, or NULL. */
static char *
find_labels_folder (const char *dir)
{
  g_autofree char *current = g_strdup (dir);

  for (;;)
    {
      g_autofree char *base = g_path_get_basename (current);
      char *parent;

      if (strcmp (base, "labels") == 0)
        return g_steal_pointer (&current);
      parent = g_path_get_dirname (current);
      if (strcmp (parent, current) == 0)
        {
          g_free (parent);
          return NULL;
        }
      g_free (current);
      current = parent;
    }
}

/* The folders searched for a class list, nearest first: the label folder and its parents up to
 * the dataset root — the folder holding labels/ (Ultralytics), or the one above a split folder
 * holding labels/ (Roboflow) — and never more than two above labels/. A label folder that is
 * not inside a labels/ folder is a flat dataset: only that folder. Nothing outside the dataset
 * may name its classes (a coco.yaml beside it is another dataset's). */
static GPtrArray *
class_search_folders (const char *label_path)
{
  GPtrArray *folders = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_path_get_dirname (label_path);
  g_autofree char *labels = find_labels_folder (dir);
  g_autofree char *current = g_strdup (dir);
  int above_labels = -1;

  g_ptr_array_add (folders, g_strdup (dir));
  if (labels == NULL)
    return folders;
  for (;;)
    {
      g_autofree char *base = g_path_get_basename (current);
      char *parent;

      if (above_labels >= 0)
        above_labels++;
      else if (strcmp (current, labels) == 0)
        above_labels = 0;
      if (above_labels >= 2)
        break;
      if (has_child_dir (current, "labels") || has_child_dir (current, "images"))
        {
          g_autofree char *up = g_path_get_dirname (current);

          if (!is_split_name (base) || !is_roboflow_root (up, base))
            break;
        }
      parent = g_path_get_dirname (current);
      if (strcmp (parent, current) == 0)
        {
          g_free (parent);
          break;
        }
      g_free (current);
      current = parent;
      g_ptr_array_add (folders, g_strdup (current));
    }
  return folders;
}

static char *
search_class_file (const char *label_path)
{
  static const char *const names[] = {
    "data.yaml", "data.yml", "classes.txt", "predefined_classes.txt", "obj.names",
  };
  g_autoptr(GPtrArray) folders = class_search_folders (label_path);

  for (guint level = 0; level < folders->len; level++)
    {
      const char *dir = folders->pdata[level];
      g_autoptr(GDir) handle = NULL;
      g_autoptr(GPtrArray) yamls = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);

          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            return g_steal_pointer (&path);
        }
      handle = g_dir_open (dir, 0, NULL);
      while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
        if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
          g_ptr_array_add (yamls, g_build_filename (dir, name, NULL));
      g_ptr_array_sort (yamls, compare_strings);
      for (guint i = 0; i < yamls->len; i++)
        if (yaml_has_names (yamls->pdata[i]))
          return g_strdup (yamls->pdata[i]);
    }
  return NULL;
}

/* Opening a dataset loads thousands of label files from a few folders: the class file found
 * for a folder and the lists read are remembered (a list is re-read when its file's inode, size
 * or modification time to the nanosecond changes; a folder without a class file is searched
 * again every time). Locked: the GUI loads in worker threads. */
typedef struct
{
  BmClassList *classes;
  gint64 mtime_ns;
  guint64 inode;
  goffset size;
} CachedList;

static GMutex cache_lock;
static GHashTable *class_file_by_dir;   /* label folder → class file */
static GHashTable *list_by_path;        /* class file → CachedList */

static void
cached_list_free (CachedList *cached)
{
  bm_class_list_unref (cached->classes);
  g_free (cached);
}

char *
bm_yolo_find_class_file (const char *label_path)
{
  g_autofree char *dir = NULL;
  char *found = NULL;

  g_return_val_if_fail (label_path != NULL, NULL);

  dir = g_path_get_dirname (label_path);
  g_mutex_lock (&cache_lock);
  if (class_file_by_dir != NULL)
    found = g_strdup (g_hash_table_lookup (class_file_by_dir, dir));
  g_mutex_unlock (&cache_lock);
  if (found != NULL && g_file_test (found, G_FILE_TEST_IS_REGULAR))
    return found;
  g_free (found);

  found = search_class_file (label_path);
  if (found != NULL)
    {
      g_mutex_lock (&cache_lock);
      if (class_file_by_dir == NULL)
        class_file_by_dir = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_replace (class_file_by_dir, g_steal_pointer (&dir), g_strdup (found));
      g_mutex_unlock (&cache_lock);
    }
  return found;
}

static gint64
stat_mtime_ns (const GStatBuf *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

static BmClassList *
load_class_list_cached (const char *path, GError **error)
{
  GStatBuf st;
  CachedList *cached;
  BmClassList *classes = NULL;

  if (g_stat (path, &st) != 0)
    return bm_class_list_load (path, error);
  g_mutex_lock (&cache_lock);
  cached = list_by_path != NULL ? g_hash_table_lookup (list_by_path, path) : NULL;
  if (cached != NULL && cached->mtime_ns == stat_mtime_ns (&st) && cached->inode == (guint64) st.st_ino
      && cached->size == (goffset) st.st_size)
    classes = bm_class_list_ref (cached->classes);
  g_mutex_unlock (&cache_lock);
  if (classes != NULL)
    return classes;

  classes = bm_class_list_load (path, error);
  if (classes == NULL)
    return NULL;
  cached = g_new0 (CachedList, 1);
  cached->classes = bm_class_list_ref (classes);
  cached->mtime_ns = stat_mtime_ns (&st);
  cached->inode = (guint64) st.st_ino;
  cached->size = (goffset) st.st_size;
  g_mutex_lock (&cache_lock);
  if (list_by_path == NULL)
    list_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_list_free);
  g_hash_table_replace (list_by_path, g_strdup (path), cached);
  g_mutex_unlock (&cache_lock);
  return classes;
}

BmAnnotation *
bm_yolo_load_data_for_image (const char *data, gsize length, const char *label_path,
                             const char *image_path, GError **error)
{
  g_autofree char *class_file = NULL;
  g_autoptr(BmClassList) classes = NULL;
  int width = 0, height = 0, channels = 0;
  BmAnnotation *annotation;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (label_path != NULL, NULL);

  class_file = bm_yolo_find_class_file (label_path);
  if (class_file != NULL)
    {
      classes = load_class_list_cached (class_file, error);
      if (classes == NULL)
        return NULL;
    }
  if (image_path == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                   _("%s: the image is missing, so YOLO’s normalised values cannot be read"), label_path);
      return NULL;
    }
  if (!bm_image_read_info (image_path, &width, &height, &channels, error))
    return NULL;
  annotation = bm_yolo_load_data (data, length, label_path, classes, width, height, error);
  if (annotation != NULL)
    {
      bm_annotation_set_image_path (annotation, image_path);
      bm_annotation_set_size (annotation, width, height, channels == 1 || channels == 2 ? 1 : 3);
    }
  return annotation;
}

BmAnnotation *
bm_yolo_load_for_image (const char *label_path, const char *image_path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (label_path != NULL, NULL);

  if (!bm_file_read_all (label_path, &data, &length, error))
    return NULL;
  return bm_yolo_load_data_for_image (data, length, label_path, image_path, error);
}

gboolean
bm_yolo_labels_are_ids (BmAnnotation *annotation)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);

  return bm_annotation_get_format (annotation) == BM_FORMAT_YOLO
         && g_object_get_data (G_OBJECT (annotation), LABELS_ARE_IDS) != NULL;
}

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
          if (!parse_class_id (label, &ids[i]))
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
  if (append_row (out, object, id, width, height, task, FALSE, FALSE, NULL) == BM_YOLO_ROW_OUTSIDE)
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
