/* bm-crop-manifest.c: manifest.csv read back (RFC 4180, as bm-crop.c writes it, as a
 * spreadsheet may have saved it again).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-file-util.h"
#include "core/bm-problem.h"
#include "bm-crop.h"
#include "bm-crop-manifest.h"

/* RFC 4180 records: fields separated by commas, quoted with "…" ("" inside), records by CRLF or
 * LF (also inside quotes). Each record is a GStrv; @lines gets the line each starts on. */
static GPtrArray *
parse_csv (const char *data, gsize length, GArray *lines)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE, any = FALSE;
  int line = 1, record_line = 1;

  for (gsize i = 0; i <= length; i++)
    {
      char c = i < length ? data[i] : '\n';

      if (quoted)
        {
          if (c == '"' && i + 1 < length && data[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            {
              line += c == '\n';
              g_string_append_c (field, c);
            }
          continue;
        }
      if (c == '"')
        {
          quoted = TRUE;
          any = TRUE;
        }
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          any = TRUE;
        }
      else if (c == '\n' || c == '\r')
        {
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          if (any || field->len > 0)
            {
              g_ptr_array_add (fields, g_string_free (field, FALSE));
              field = g_string_new (NULL);
              g_ptr_array_add (fields, NULL);
              g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
              g_array_append_val (lines, record_line);
              fields = g_ptr_array_new ();
            }
          any = FALSE;
          line++;
          record_line = line;
        }
      else
        {
          g_string_append_c (field, c);
          any = TRUE;
        }
    }
  g_string_free (field, TRUE);
  g_ptr_array_free (fields, TRUE);
  return records;
}

static int
column (char **header, const char *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

static gboolean
parse_double (const char *text, double *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

static void
row_free (gpointer data)
{
  BmCropManifestRow *row = data;

  g_free (row->class_name);
  g_free (row);
}

GHashTable *
bm_crop_manifest_read (const char *objects_dir, GPtrArray *problems)
{
  g_autofree char *path = g_build_filename (objects_dir, BM_CROP_MANIFEST, NULL);
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, row_free);
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  static const char *const point_names[8] = { "crop_x1", "crop_y1", "crop_x2", "crop_y2",
                                              "crop_x3", "crop_y3", "crop_x4", "crop_y4" };
  int crop_col, class_col, shape_col, point_cols[8];
  gsize length;
  char **header;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return rows;
  if (!bm_file_read_all (path, &data, &length, &error))
    {
      g_ptr_array_add (problems, bm_crop_problem_new (path, error->message));
      return rows;
    }
  records = parse_csv (data, length, lines);
  if (records->len == 0)
    return rows;
  header = records->pdata[0];
  crop_col = column (header, "crop");
  class_col = column (header, "class");
  shape_col = column (header, "shape");
  for (int k = 0; k < 8; k++)
    point_cols[k] = column (header, point_names[k]);
  if (crop_col < 0 || class_col < 0)
    {
      g_ptr_array_add (problems, bm_problem_new (path, 1, _("no “crop” and “class” columns; the manifest is not used")));
      return rows;
    }
  for (guint r = 1; r < records->len; r++)
    {
      char **record = records->pdata[r];
      guint n = g_strv_length (record);
      BmCropManifestRow *row;
      double xy[8];
      gboolean shaped = shape_col >= 0 && (guint) shape_col < n;

      if ((guint) crop_col >= n || (guint) class_col >= n)
        {
          g_ptr_array_add (problems, bm_problem_new (path, g_array_index (lines, int, r), _("too few fields; the row is not used")));
          continue;
        }
      for (int k = 0; k < 8 && shaped; k++)
        shaped = point_cols[k] >= 0 && (guint) point_cols[k] < n && parse_double (record[point_cols[k]], &xy[k]);
      row = g_new0 (BmCropManifestRow, 1);
      row->class_name = g_strdup (record[class_col]);
      if (shaped)
        {
          bm_shape_init_quad (&row->shape, xy);
          row->shape.kind = strcmp (record[shape_col], "box") == 0 ? BM_SHAPE_BOX
                            : strcmp (record[shape_col], "rotated") == 0 ? BM_SHAPE_ROTATED : BM_SHAPE_QUAD;
          row->kind = row->shape.kind;
        }
      else
        {
          row->kind = (BmShapeKind) -1;
          if (shape_col >= 0)
            g_ptr_array_add (problems, bm_problem_new (path, g_array_index (lines, int, r),
                                                       _("the object’s corners in the crop are not numbers; the whole crop is taken")));
        }
      g_hash_table_replace (rows, g_strdup (record[crop_col]), row);
    }
  return rows;
}
