/* bm-yolo-check.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-problem.h"
#include "bm-class-list.h"
#include "bm-yolo.h"
#include "bm-yolo-check.h"
#include "bm-text-util.h"

typedef struct
{
  int line;
  guint n;           /* columns */
  double *values;    /* n values, or NULL when a token is not a number */
} Row;

static void
row_clear (Row *row)
{
  g_free (row->values);
}

static void
add_problem (GPtrArray *problems, const char *path, int line, const char *message)
{
  g_ptr_array_add (problems, bm_problem_new (path, line, message));
}

/* The values Ultralytics range-checks: cx cy w h of a detect row, or of the box around a
 * polygon's points. */
static void
row_box (const Row *row, double box[4])
{
  if (row->n == 5)
    {
      memcpy (box, row->values + 1, 4 * sizeof (double));
      return;
    }
  {
    double x1 = row->values[1], y1 = row->values[2], x2 = x1, y2 = y1;

    for (guint i = 3; i + 1 < row->n; i += 2)
      {
        x1 = MIN (x1, row->values[i]);
        x2 = MAX (x2, row->values[i]);
        y1 = MIN (y1, row->values[i + 1]);
        y2 = MAX (y2, row->values[i + 1]);
      }
    box[0] = (x1 + x2) / 2;
    box[1] = (y1 + y2) / 2;
    box[2] = x2 - x1;
    box[3] = y2 - y1;
  }
}

static gboolean
rows_equal (gconstpointer a, gconstpointer b)
{
  const Row *ra = a, *rb = b;

  return ra->n == rb->n && memcmp (ra->values, rb->values, ra->n * sizeof (double)) == 0;
}

/* FNV-1a over the values' bytes: equal rows (bytewise, as rows_equal compares) hash alike. */
static guint
row_hash (gconstpointer key)
{
  const Row *row = key;
  const guint8 *bytes = (const guint8 *) row->values;
  guint32 hash = 2166136261u ^ row->n;

  for (gsize i = 0; i < row->n * sizeof (double); i++)
    hash = (hash ^ bytes[i]) * 16777619u;
  return hash;
}

static int
compare_problem_lines (gconstpointer a, gconstpointer b)
{
  const BmProblem *pa = *(const BmProblem *const *) a;
  const BmProblem *pb = *(const BmProblem *const *) b;

  return (pa->line > pb->line) - (pa->line < pb->line);
}

GPtrArray *
bm_yolo_check_data (const char *data, gsize length, const char *path, int nc)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GHashTable) seen = NULL;   /* Row → itself: the first row with these values */
  gsize start = 0;
  int number = 0;
  int polygon_line = 0;
  int pending_blank = 0;

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  if (path == NULL)
    path = "";

  while (start < length)
    {
      gsize end;
      /* Lines as Ultralytics' splitlines() cuts them: also at a lone \r. */
      const char *eol = bm_line_next (data, length, start, BM_LINES_PYTHON, &end);
      g_autofree char *text = g_strndup (data + start, end - start);
      gboolean has_nul = memchr (data + start, '\0', end - start) != NULL;
      gboolean empty = end == start;
      g_auto(GStrv) tokens = NULL;
      Row row = { 0, 0, NULL };
      guint n = 0;

      number++;
      start = end + strlen (eol);
      if (has_nul)
        {
          add_problem (problems, path, number, _("the line contains a NUL byte"));
          continue;
        }
      tokens = g_strsplit_set (text, " \t\r\v\f", -1);
      for (guint i = 0; tokens[i] != NULL; i++)
        if (tokens[i][0] != '\0')
          tokens[n++] = tokens[i];
        else
          g_free (tokens[i]);
      tokens[n] = NULL;
      if (n == 0)
        {
          /* Ultralytics strips the file, then reads a blank-only line as an empty row. */
          if (!empty && pending_blank == 0)
            pending_blank = number;
          continue;
        }
      if (pending_blank != 0)
        {
          add_problem (problems, path, pending_blank,
                       _("a line holding only spaces between rows; Ultralytics cannot read this file"));
          pending_blank = 0;
        }

      row.line = number;
      row.n = n;
      row.values = g_new (double, n);
      for (guint i = 0; i < n; i++)
        if (!bm_text_parse_finite (tokens[i], &row.values[i]))
          {
            g_autofree char *token = bm_text_shown (tokens[i]);
            g_autofree char *message =
              g_strdup_printf (_("column %u “%s” is not a finite number"), i + 1, token);
            add_problem (problems, path, number, message);
            g_clear_pointer (&row.values, g_free);
            break;
          }
      if (row.values != NULL && n > 6 && polygon_line == 0)
        polygon_line = number;
      g_array_append_val (rows, row);
    }

  /* rows is complete: pointers into it stay valid. */
  seen = g_hash_table_new (row_hash, rows_equal);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      double cls, box[4];

      if (row->values == NULL)
        continue;
      if (row->n >= 6 && row->n % 2 == 0)
        {
          add_problem (problems, path, row->line,
                       _("a pre-annotation not accepted yet (its last column is the detector’s score); Ultralytics ignores every label of this image — accept or delete it first"));
          continue;
        }
      if (polygon_line == 0 && row->n != 5)
        {
          g_autofree char *message =
            g_strdup_printf (_("%u columns; a detect row has 5 (class cx cy w h)"), row->n);
          add_problem (problems, path, row->line, message);
          continue;
        }
      if (polygon_line != 0 && row->n == 5)
        {
          g_autofree char *message =
            g_strdup_printf (_("a 5-column row in a file with polygon or OBB rows (line %d): Ultralytics reads it as a 2-point polygon"),
                             polygon_line);
          add_problem (problems, path, row->line, message);
          continue;
        }
      if (polygon_line != 0 && (row->n % 2 == 0 || row->n < 3))
        {
          g_autofree char *message =
            g_strdup_printf (_("%u coordinates after the class; polygon and OBB rows need x y pairs"), row->n - 1);
          add_problem (problems, path, row->line, message);
          continue;
        }

      cls = row->values[0];
      if (cls != floor (cls) || cls < 0)
        {
          g_autofree char *message = g_strdup_printf (_("class id %g is not a whole number ≥ 0"), cls);
          add_problem (problems, path, row->line, message);
        }
      else if (nc >= 0 && cls >= nc)
        {
          g_autofree char *message =
            g_strdup_printf (_("class id %g but the dataset has %d classes; Ultralytics ignores every label of this image"),
                             cls, nc);
          add_problem (problems, path, row->line, message);
        }

      row_box (row, box);
      for (int k = 0; k < 4; k++)
        if (box[k] < BM_YOLO_MIN_VALUE || box[k] > BM_YOLO_MAX_VALUE)
          {
            static const char *const names[] = { "cx", "cy", "w", "h" };
            g_autofree char *message =
              row->n == 5
              ? g_strdup_printf (_("%s = %g is outside [-0.01, 1.01]; Ultralytics ignores every label of this image"),
                                 names[k], box[k])
              : g_strdup_printf (_("the enclosing box’s %s = %g is outside [-0.01, 1.01]; Ultralytics ignores every label of this image"),
                                 names[k], box[k]);
            add_problem (problems, path, row->line, message);
            break;
          }

      {
        const Row *other = g_hash_table_lookup (seen, row);

        if (other != NULL)
          {
            g_autofree char *message =
              g_strdup_printf (_("duplicate of line %d (Ultralytics removes it)"), other->line);
            add_problem (problems, path, row->line, message);
          }
        else
          g_hash_table_add (seen, row);
      }
    }
  g_ptr_array_sort (problems, compare_problem_lines);
  return problems;
}

GPtrArray *
bm_yolo_check_file (const char *path, int nc, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  if (!bm_file_read_all (path, &data, &length, error))
    return NULL;
  return bm_yolo_check_data (data, length, path, nc);
}

static gboolean
is_class_file_name (const char *name)
{
  return strcmp (name, "classes.txt") == 0 || strcmp (name, "predefined_classes.txt") == 0
         || strcmp (name, "obj.names") == 0;
}

/* Collects label files: those inside a folder named "labels" when @in_labels, else all. */
static void
collect_label_files (const char *dir, gboolean in_labels, int depth, GPtrArray *files, GPtrArray *all)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL || depth > 8)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        collect_label_files (child, in_labels || strcmp (name, "labels") == 0, depth + 1, files, all);
      else if (g_str_has_suffix (name, ".txt") && !is_class_file_name (name)
               && g_file_test (child, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (in_labels ? files : all, g_steal_pointer (&child));
    }
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
find_class_file (const char *root)
{
  static const char *const names[] = { "data.yaml", "data.yml", "classes.txt", "obj.names" };
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) yamls = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (root, names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  /* Ultralytics names its YAML after the dataset (coco8.yaml): the first by name that has
   * names, whatever order the folder lists them in. */
  handle = g_dir_open (root, 0, NULL);
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
      g_ptr_array_add (yamls, g_build_filename (root, name, NULL));
  g_ptr_array_sort (yamls, compare_paths);
  for (guint i = 0; i < yamls->len; i++)
    {
      g_autoptr(BmClassList) classes = bm_class_list_load (yamls->pdata[i], NULL);

      if (classes != NULL && bm_class_list_get_n (classes) > 0)
        return g_strdup (yamls->pdata[i]);
    }
  return NULL;
}

gboolean
bm_yolo_check_dataset (const char *root, const char *class_file, GPtrArray *problems,
                       guint *n_files, GError **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) loose = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *found = NULL;
  GPtrArray *chosen;
  int nc = -1;

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s is not a folder"), root);
      return FALSE;
    }
  if (class_file == NULL)
    class_file = found = find_class_file (root);
  if (class_file != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BmClassList) classes = bm_class_list_load (class_file, &local_error);

      if (classes == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      nc = (int) bm_class_list_get_n (classes);
    }
  else
    g_ptr_array_add (problems, bm_problem_new (root, 0,
      _("no data.yaml or classes.txt: class ids cannot be checked against the class count")));

  collect_label_files (root, FALSE, 0, files, loose);
  chosen = files->len > 0 ? files : loose;
  g_ptr_array_sort (chosen, compare_paths);
  for (guint i = 0; i < chosen->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) found_problems = bm_yolo_check_file (chosen->pdata[i], nc, &local_error);

      if (found_problems == NULL)
        {
          g_ptr_array_add (problems, bm_problem_new (chosen->pdata[i], 0, local_error->message));
          continue;
        }
      for (guint k = 0; k < found_problems->len; k++)
        g_ptr_array_add (problems, bm_problem_copy (found_problems->pdata[k]));
    }
  if (n_files != NULL)
    *n_files = chosen->len;
  return TRUE;
}
