/* bm-dota.c: DOTA labelTxt files.
 *
 * The backing keeps every line of the file as it was read (text and line ending). Saving walks
 * those lines: header, blank and unreadable lines are written back as they were, an unchanged
 * object keeps its line byte for byte, an edited object rewrites only its own line (keeping the
 * number texts of coordinates that did not change), a deleted object drops its line, and new
 * objects are appended.
 *
 * Pre-annotations (boxes a detector made that nobody has accepted yet) carry their score as an
 * 11th token after difficult: `x1 y1 … y4 class difficult score`. DOTA_devkit's parse_dota_poly,
 * Ultralytics' and mmrotate's DOTA loaders read the first ten tokens and ignore the rest, so the
 * file stays a DOTA file for them; accepting the box drops the token.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-dota.h"
#include "bm-text-util.h"

typedef enum
{
  DOTA_LINE_BLANK,
  DOTA_LINE_HEADER,
  DOTA_LINE_OBJECT,
  DOTA_LINE_BAD,
} DotaLineKind;

typedef struct
{
  char *text;            /* without the line ending; may hold NUL bytes (bad lines) */
  gsize length;
  const char *eol;       /* "\n", "\r\n" or "" (last line without one) */
  DotaLineKind kind;
  guint origin;          /* objects: 1-based index among the object lines */
  BmObject *original;    /* objects: what was read, to tell whether it was edited */
  char *numbers[8];      /* objects: the coordinate texts as read */
  char *difficult;       /* objects: the difficult text, NULL when the line had none */
  char *score;           /* objects: the pre-annotation score text, NULL when the line had none */
  gsize class_start;     /* objects: where the class token starts and ends in text */
  gsize class_end;
} DotaLine;

typedef struct
{
  GPtrArray *lines;      /* DotaLine */
  const char *eol;       /* the file's line ending, for appended lines */
} DotaBacking;

static void
dota_line_free (DotaLine *line)
{
  g_free (line->text);
  g_clear_object (&line->original);
  for (int i = 0; i < 8; i++)
    g_free (line->numbers[i]);
  g_free (line->difficult);
  g_free (line->score);
  g_free (line);
}

static void
dota_backing_free (DotaBacking *backing)
{
  g_ptr_array_unref (backing->lines);
  g_free (backing);
}

static gboolean
looks_like_number (const char *token)
{
  char *end = NULL;

  g_ascii_strtod (token, &end);
  return end != token && end != NULL && *end == '\0';
}

/* "imagesource:GoogleEarth", "gsd:null", "acquisition date:2016…": text with a colon whose first
 * token is not a number. */
static gboolean
is_header (char **tokens)
{
  double value;

  if (tokens[0] == NULL || bm_text_parse_finite (tokens[0], &value))
    return FALSE;
  for (guint i = 0; tokens[i] != NULL; i++)
    if (strchr (tokens[i], ':') != NULL)
      return TRUE;
  return FALSE;
}

/* Where the token @index (0-based, split on whitespace) of @text starts and ends. */
static void
token_span (const char *text, guint index, gsize *start, gsize *end)
{
  const char *p = text;

  for (guint i = 0;; i++)
    {
      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      *start = (gsize) (p - text);
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      *end = (gsize) (p - text);
      if (i == index || *p == '\0')
        return;
    }
}

static char **
split_whitespace (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new ();
  const char *p = text;

  for (;;)
    {
      const char *start;

      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      g_ptr_array_add (tokens, g_strndup (start, p - start));
    }
  g_ptr_array_add (tokens, NULL);
  return (char **) g_ptr_array_free (tokens, FALSE);
}

/* Returns the problem message for a bad object line, or NULL and fills @line and @object. */
static char *
parse_object_line (char **tokens, DotaLine *line, BmObject **object)
{
  guint n = g_strv_length (tokens);
  double xy[8];
  int difficult = 0;
  double score = 0;
  gboolean has_score = FALSE;
  BmShape shape;

  for (guint i = 0; i < 8; i++)
    {
      if (i >= n)
        return g_strdup_printf (_("only %u values; a DOTA line is 8 coordinates, a class and optionally difficult"), n);
      if (!bm_text_parse_finite (tokens[i], &xy[i]))
        {
          g_autofree char *token = bm_text_shown (tokens[i]);

          if (looks_like_number (tokens[i]))
            return g_strdup_printf (_("coordinate %u “%s” is not a finite number"), i + 1, token);
          if (i > 0)
            return g_strdup_printf (_("only %u coordinates before the class “%s”; DOTA needs 8"), i, token);
          return g_strdup_printf (_("coordinate 1 “%s” is not a number"), token);
        }
    }
  if (n < 9)
    return g_strdup (_("no class after the 8 coordinates"));
  if (!g_utf8_validate (tokens[8], -1, NULL))
    return g_strdup (_("the class name is not valid UTF-8"));
  if (n >= 10)
    {
      if (strcmp (tokens[9], "0") == 0 || strcmp (tokens[9], "1") == 0 || strcmp (tokens[9], "2") == 0)
        difficult = tokens[9][0] - '0';
      else
        {
          g_autofree char *token = bm_text_shown (tokens[9]);
          return g_strdup_printf (_("difficult must be 0, 1 or 2, not “%s”"), token);
        }
    }
  if (n == 11 && bm_text_parse_finite (tokens[10], &score))
    has_score = TRUE;
  else if (n > 10)
    {
      g_autofree char *extra = g_strjoinv (" ", tokens + 10);
      g_autofree char *text = bm_text_shown (extra);
      return g_strdup_printf (_("unexpected text after difficult: “%s”"), text);
    }

  bm_shape_init_quad (&shape, xy);
  *object = bm_object_new (tokens[8], &shape);
  bm_object_set_difficult (*object, difficult);
  if (has_score)
    {
      bm_object_set_score (*object, score);
      bm_object_set_pre_annotation (*object, TRUE);
      line->score = g_strdup (tokens[10]);
    }
  for (guint i = 0; i < 8; i++)
    line->numbers[i] = g_strdup (tokens[i]);
  line->difficult = n >= 10 ? g_strdup (tokens[9]) : NULL;
  return NULL;
}

BmAnnotation *
bm_dota_load_data (const char *data, gsize length, const char *path, GError **error)
{
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  DotaBacking *backing = g_new0 (DotaBacking, 1);
  gboolean seen_object = FALSE;
  gsize start = 0;
  int number = 0;
  guint origin = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  if (path == NULL)
    path = "";

  backing->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) dota_line_free);
  backing->eol = NULL;
  bm_annotation_set_format (annotation, BM_FORMAT_DOTA);
  bm_annotation_set_label_path (annotation, path);

  while (start < length)
    {
      gsize end;
      /* DOTA_devkit reads with Python's universal newlines: \n, \r\n and a lone \r. */
      const char *eol = bm_line_next (data, length, start, BM_LINES_UNIVERSAL, &end);
      DotaLine *line = g_new0 (DotaLine, 1);
      g_auto(GStrv) tokens = NULL;
      g_autofree char *problem = NULL;
      BmObject *object = NULL;

      number++;
      line->eol = eol;
      if (backing->eol == NULL && eol[0] != '\0')
        backing->eol = line->eol;
      line->length = end - start;
      line->text = g_malloc (line->length + 1);
      memcpy (line->text, data + start, line->length);
      line->text[line->length] = '\0';
      g_ptr_array_add (backing->lines, line);
      start = end + strlen (eol);

      if (memchr (line->text, '\0', line->length) != NULL)
        {
          line->kind = DOTA_LINE_BAD;
          bm_annotation_add_problem (annotation,
            bm_problem_new (path, number, _("the line contains a NUL byte")));
          continue;
        }
      /* A UTF-8 byte-order mark is kept in the text but is not part of the first token. */
      tokens = split_whitespace (number == 1 && g_str_has_prefix (line->text, "\xEF\xBB\xBF")
                                 ? line->text + 3 : line->text);
      if (tokens[0] == NULL)
        {
          line->kind = DOTA_LINE_BLANK;
          continue;
        }
      if (!seen_object && is_header (tokens))
        {
          line->kind = DOTA_LINE_HEADER;
          if (!g_utf8_validate (line->text, -1, NULL))
            {
              line->kind = DOTA_LINE_BAD;
              bm_annotation_add_problem (annotation,
                bm_problem_new (path, number, _("the header line is not valid UTF-8")));
            }
          continue;
        }
      problem = parse_object_line (tokens, line, &object);
      if (problem != NULL)
        {
          line->kind = DOTA_LINE_BAD;
          bm_annotation_add_problem (annotation, bm_problem_new (path, number, problem));
          continue;
        }
      seen_object = TRUE;
      line->kind = DOTA_LINE_OBJECT;
      {
        gsize skip = number == 1 && g_str_has_prefix (line->text, "\xEF\xBB\xBF") ? 3 : 0;

        token_span (line->text + skip, 8, &line->class_start, &line->class_end);
        line->class_start += skip;
        line->class_end += skip;
      }
      line->origin = ++origin;
      bm_object_set_origin (object, origin);
      line->original = bm_object_copy (object);
      bm_annotation_add_object (annotation, object);
      g_object_unref (object);
    }

  if (backing->eol == NULL)
    backing->eol = "\n";
  bm_annotation_set_backing (annotation, backing, (GDestroyNotify) dota_backing_free);
  return g_steal_pointer (&annotation);
}

BmAnnotation *
bm_dota_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!bm_file_read_all (path, &data, &length, error))
    return NULL;
  return bm_dota_load_data (data, length, path, error);
}

/* ---- writing ---- */

/* The shortest text that reads back as @value. */
static void
append_number (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == 0)
    value = 0;   /* no "-0" */
  if (fabs (value) >= 1e15 || (value != 0 && fabs (value) < 1e-6))
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  else
    for (int decimals = 0; decimals <= 17; decimals++)
      {
        char format[8];

        g_snprintf (format, sizeof format, "%%.%df", decimals);
        g_ascii_formatd (buffer, sizeof buffer, format, value);
        if (g_ascii_strtod (buffer, NULL) == value)
          break;
        if (decimals == 17)
          g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
      }
  g_string_append (out, buffer);
}

static gboolean
check_class_token (BmObject *object, GError **error)
{
  const char *label = bm_object_get_label (object);

  if (label[0] == '\0')
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("an object has no label; DOTA needs a class name"));
      return FALSE;
    }
  for (const char *p = label; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      {
        g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                     _("the label “%s” contains a space, which a DOTA class name cannot hold (use “-”)"),
                     label);
        return FALSE;
      }
  return TRUE;
}

static void
shape_corners (const BmShape *shape, double xy[8])
{
  for (int i = 0; i < 4; i++)
    {
      xy[2 * i] = shape->p[i].x;
      xy[2 * i + 1] = shape->p[i].y;
    }
}

/* Whether @object is written as a pre-annotation: a DOTA line has room for its score only
 * (a pre-annotation without a finite score cannot be marked, and is written as a plain object). */
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

/* TRUE when what follows the class (difficult, score) would be written as it was read. */
static gboolean
tail_unchanged (BmObject *object, const DotaLine *line)
{
  if (bm_object_get_difficult (object) != bm_object_get_difficult (line->original))
    return FALSE;
  if (line->score != NULL)
    return writes_score (object) && same_score (object, line->original);
  return !writes_score (object);
}

/* Difficult and, for a pre-annotation, the score; @line as for append_object_line. */
static void
append_tail (GString *out, BmObject *object, const DotaLine *line)
{
  int difficult = bm_object_get_difficult (object);
  gboolean score = writes_score (object);

  if (line != NULL && line->difficult != NULL && difficult == bm_object_get_difficult (line->original))
    g_string_append_printf (out, " %s", line->difficult);
  else if (score || line == NULL || line->difficult != NULL || difficult != 0)
    g_string_append_printf (out, " %d", CLAMP (difficult, 0, 2));
  if (!score)
    return;
  g_string_append_c (out, ' ');
  if (line != NULL && line->score != NULL && same_score (object, line->original))
    g_string_append (out, line->score);
  else
    append_number (out, bm_object_get_score (object));
}

/* @line: the line the object was read from (to reuse unchanged number texts), or NULL. An
 * object whose shape did not change keeps the text before its class as it was, and one whose
 * difficult and score did not change keeps the text after it: relabelling or accepting a box
 * changes only those tokens. */
static void
append_object_line (GString *out, BmObject *object, const DotaLine *line)
{
  double xy[8], was[8];

  if (line != NULL && bm_shape_equal (bm_object_get_shape (object), bm_object_get_shape (line->original)))
    g_string_append_len (out, line->text, line->class_start);
  else
    {
      shape_corners (bm_object_get_shape (object), xy);
      if (line != NULL)
        shape_corners (bm_object_get_shape (line->original), was);
      for (int i = 0; i < 8; i++)
        {
          if (line != NULL && xy[i] == was[i])
            g_string_append (out, line->numbers[i]);
          else
            append_number (out, xy[i]);
          g_string_append_c (out, ' ');
        }
    }
  g_string_append (out, bm_object_get_label (object));
  if (line != NULL && tail_unchanged (object, line))
    g_string_append_len (out, line->text + line->class_end, line->length - line->class_end);
  else
    append_tail (out, object, line);
}

char *
bm_dota_to_data (BmAnnotation *annotation, gsize *length, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) by_origin = NULL;
  g_autoptr(GHashTable) written = g_hash_table_new (NULL, NULL);
  DotaBacking *backing = NULL;
  const char *eol = "\n";
  gboolean last_line_open = FALSE;   /* the file's last line has no line break */
  guint n;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), NULL);

  if (bm_annotation_is_read_only (annotation))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s has problems; saving it could lose what could not be read"),
                   bm_annotation_get_label_path (annotation) ? bm_annotation_get_label_path (annotation) : "");
      return NULL;
    }
  n = bm_annotation_get_n_objects (annotation);
  for (guint i = 0; i < n; i++)
    if (!check_class_token (bm_annotation_get_object (annotation, i), error))
      return NULL;

  if (bm_annotation_get_format (annotation) == BM_FORMAT_DOTA)
    backing = bm_annotation_get_backing (annotation);
  if (backing != NULL)
    {
      eol = backing->eol;
      by_origin = bm_text_objects_by_origin (annotation);
      for (guint i = 0; i < backing->lines->len; i++)
        {
          DotaLine *line = g_ptr_array_index (backing->lines, i);
          BmObject *object;

          if (line->kind != DOTA_LINE_OBJECT)
            {
              g_string_append_len (out, line->text, line->length);
              g_string_append (out, line->eol);
              last_line_open = line->eol[0] == '\0' && line->length > 0;
              continue;
            }
          object = g_hash_table_lookup (by_origin, GUINT_TO_POINTER (line->origin));
          if (object == NULL)
            continue;
          g_hash_table_add (written, object);
          if (bm_object_content_equal (object, line->original))
            g_string_append_len (out, line->text, line->length);
          else
            append_object_line (out, object, line);
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
      append_object_line (out, object, NULL);
      g_string_append (out, eol);
    }

  if (length != NULL)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
bm_dota_save (BmAnnotation *annotation, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = bm_dota_to_data (annotation, &length, error);
  if (data == NULL)
    return FALSE;
  return bm_file_write_atomic (path, data, length, error);
}

void
bm_dota_hyphenate_labels (BmAnnotation *annotation, GHashTable *renamed)
{
  g_return_if_fail (BM_IS_ANNOTATION (annotation));
  g_return_if_fail (renamed != NULL);

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const char *label = bm_object_get_label (object);
      g_autofree char *token = NULL;

      if (strpbrk (label, " \t\n\r\v\f") == NULL)
        continue;
      token = g_strdup (label);
      g_strdelimit (token, " \t\n\r\v\f", '-');
      if (!g_hash_table_contains (renamed, label))
        g_hash_table_insert (renamed, g_strdup (label), g_strdup (token));
      bm_object_set_label (object, token);
    }
}
