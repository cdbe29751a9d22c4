/* bm-dota-merge.c: reading tile result files, grouping by image, writing the merged files.
 *
 * Where ResultMerge is looser or crashes, Boxmark reports instead: a line it would split on
 * single spaces may use any blanks here; an empty line is skipped (ResultMerge stops with an
 * IndexError); a tile name without "__RATE__LEFT___UP", a missing or non-numeric value, or a
 * wrong count of coordinates is a FILE:LINE problem. The image name is what precedes the last
 * "__RATE__LEFT___UP" (ResultMerge takes what precedes the first "__", which merges the images
 * "a__b" and "a__c" into one "a").
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-float-repr.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "core/bm-problem.h"
#include "formats/bm-text-util.h"
#include "bm-dota-merge-private.h"

void
bm_dota_merge_options_init (BmDotaMergeOptions *options)
{
  options->nms = BM_DOTA_MERGE_POLY;
  options->thresh = BM_DOTA_MERGE_DEFAULT_THRESH;
  options->n_threads = 0;
}

void
bm_dota_merge_report_clear (BmDotaMergeReport *report)
{
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  memset (report, 0, sizeof *report);
}

/* ---- one file ---------------------------------------------------------------------------------- */

typedef struct
{
  char *name;          /* the image: the tile name before "__RATE__LEFT___UP" */
  GArray *dets;        /* double: coordinates then score, per detection */
  GArray *keep;        /* guint, after suppression */
} Group;

static void
group_free (Group *group)
{
  g_free (group->name);
  g_array_unref (group->dets);
  if (group->keep != NULL)
    g_array_unref (group->keep);
  g_free (group);
}

static gboolean
all_digits (const char *start, const char *end)
{
  if (start == end)
    return FALSE;
  for (const char *p = start; p < end; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Splits "NAME__RATE__LEFT___UP" from the right. Returns NULL and fills the parts, or the
 * problem. */
static char *
parse_tile_name (const char *tile, gsize *name_length, double *rate, double *left, double *up)
{
  const char *end = tile + strlen (tile);
  const char *up_start, *left_start, *rate_start, *p;
  const char *what = _("a tile name must end in __RATE__LEFT___UP, as ImgSplit names tiles");
  g_autofree char *rate_text = NULL, *left_text = NULL, *up_text = NULL;
  guint64 number;

  p = g_strrstr (tile, "___");
  if (p == NULL || !all_digits (p + 3, end))
    return g_strdup (what);
  up_start = p + 3;
  /* "__LEFT" before "___UP" */
  p = up_start - 3;
  while (p > tile && g_ascii_isdigit (p[-1]))
    p--;
  left_start = p;
  if (left_start == up_start - 3 || left_start - tile < 2 || strncmp (left_start - 2, "__", 2) != 0)
    return g_strdup (what);
  /* "__RATE" before "__LEFT" */
  p = left_start - 2;
  while (p > tile && (g_ascii_isdigit (p[-1]) || p[-1] == '.'))
    p--;
  rate_start = p;
  if (rate_start == left_start - 2 || rate_start - tile < 3 || strncmp (rate_start - 2, "__", 2) != 0)
    return g_strdup (what);

  rate_text = g_strndup (rate_start, left_start - 2 - rate_start);
  left_text = g_strndup (left_start, up_start - 3 - left_start);
  up_text = g_strdup (up_start);
  if (!bm_text_parse_finite (rate_text, rate) || *rate <= 0)
    return g_strdup_printf (_("the rate “%s” in the tile name is not a positive number"), rate_text);
  /* Whole numbers beyond 2^53 would not stay exact as doubles (Python adds them exactly). */
  if (!bm_number_parse_uint (left_text, G_GUINT64_CONSTANT (1) << 53, &number))
    return g_strdup_printf (_("the left offset “%s” in the tile name is too large"), left_text);
  *left = (double) number;
  if (!bm_number_parse_uint (up_text, G_GUINT64_CONSTANT (1) << 53, &number))
    return g_strdup_printf (_("the top offset “%s” in the tile name is too large"), up_text);
  *up = (double) number;
  *name_length = (gsize) (rate_start - 2 - tile);
  return NULL;
}

static char **
split_blanks (const char *line, gsize length)
{
  GPtrArray *tokens = g_ptr_array_new ();
  gsize i = 0;

  while (i < length)
    {
      gsize start;

      while (i < length && g_ascii_isspace (line[i]))
        i++;
      if (i == length)
        break;
      start = i;
      while (i < length && !g_ascii_isspace (line[i]))
        i++;
      g_ptr_array_add (tokens, g_strndup (line + start, i - start));
    }
  g_ptr_array_add (tokens, NULL);
  return (char **) g_ptr_array_free (tokens, FALSE);
}

/* Parses one line into @values (coordinates already on the whole image, then the score).
 * Returns NULL, or the problem. */
static char *
parse_line (char **tokens, guint n_coords, char **name, double *values)
{
  guint n = g_strv_length (tokens);
  gsize name_length = 0;
  double rate = 1, left = 0, up = 0;
  char *problem;

  if (!g_utf8_validate (tokens[0], -1, NULL))
    return g_strdup (_("the tile name is not valid UTF-8"));
  problem = parse_tile_name (tokens[0], &name_length, &rate, &left, &up);
  if (problem != NULL)
    {
      g_autofree char *shown = bm_text_shown (tokens[0]);
      g_autofree char *message = problem;
      return g_strdup_printf ("“%s”: %s", shown, message);
    }
  if (n < 2)
    return g_strdup (_("no score after the tile name"));
  if (!bm_text_parse_finite (tokens[1], &values[n_coords]))
    {
      g_autofree char *shown = bm_text_shown (tokens[1]);
      return g_strdup_printf (_("the score “%s” is not a finite number"), shown);
    }
  if (n - 2 != n_coords)
    return n_coords == 8
      ? g_strdup_printf (_("%u coordinates after the score; --nms poly needs 8 (x1 y1 … x4 y4, DOTA Task1)"), n - 2)
      : g_strdup_printf (_("%u coordinates after the score; --nms rect needs 4 (xmin ymin xmax ymax, DOTA Task2)"), n - 2);
  for (guint i = 0; i < n_coords; i++)
    {
      double c;

      if (!bm_text_parse_finite (tokens[2 + i], &c))
        {
          g_autofree char *shown = bm_text_shown (tokens[2 + i]);
          return g_strdup_printf (_("coordinate %u “%s” is not a finite number"), i + 1, shown);
        }
      /* ResultMerge's poly2origpoly: float(c + x) / float(rate) */
      values[i] = (c + (i % 2 == 0 ? left : up)) / rate;
    }
  *name = g_strndup (tokens[0], name_length);
  return NULL;
}

typedef struct
{
  GPtrArray *groups;
  const BmDotaMergeOptions *options;
} NmsJob;

static void
suppress_group (guint index, gpointer user_data)
{
  NmsJob *job = user_data;
  Group *group = job->groups->pdata[index];
  const gsize stride = job->options->nms == BM_DOTA_MERGE_POLY ? 9 : 5;

  group->keep = bm_dota_nms ((const double *) (gpointer) group->dets->data, group->dets->len / stride,
                             job->options->nms, job->options->thresh, NULL);
}

static void
append_double (GString *out, double value)
{
  char text[BM_FLOAT_REPR_SIZE];
  int length = bm_float_repr (value, text);

  g_string_append_len (out, text, length);
}

char *
bm_dota_merge_data (const char *data, gsize length, const char *path,
                    const BmDotaMergeOptions *options, GPtrArray *problems, gsize *out_length,
                    guint *n_detections, guint *n_kept, GHashTable *image_names)
{
  const guint n_coords = options->nms == BM_DOTA_MERGE_POLY ? 8 : 4;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out;
  gsize start = 0;
  int line_number = 0;
  guint n_bad = 0, n_lines = 0, n_out = 0;
  NmsJob job = { groups, options };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  if (path == NULL)
    path = "";

  while (start < length)
    {
      const char *nl = memchr (data + start, '\n', length - start);
      gsize end = nl != NULL ? (gsize) (nl - data) : length;
      g_auto(GStrv) tokens = NULL;
      g_autofree char *problem = NULL;
      g_autofree char *name = NULL;
      double values[9];

      line_number++;
      if (memchr (data + start, '\0', end - start) != NULL)
        problem = g_strdup (_("the line contains a NUL byte"));
      else
        {
          tokens = split_blanks (data + start, end - start);
          if (tokens[0] != NULL)
            problem = parse_line (tokens, n_coords, &name, values);
        }
      start = end + 1;
      if (problem != NULL)
        {
          n_bad++;
          if (problems != NULL)
            g_ptr_array_add (problems, bm_problem_new (path, line_number, problem));
          continue;
        }
      if (name == NULL)
        continue;   /* a blank line */

      {
        Group *group = g_hash_table_lookup (by_name, name);

        if (group == NULL)
          {
            group = g_new0 (Group, 1);
            group->name = g_steal_pointer (&name);
            group->dets = g_array_new (FALSE, FALSE, sizeof (double));
            g_ptr_array_add (groups, group);
            g_hash_table_insert (by_name, group->name, group);
          }
        g_array_append_vals (group->dets, values, n_coords + 1);
        n_lines++;
      }
    }
  if (n_bad > 0)
    return NULL;

  bm_parallel_for (groups->len, options->n_threads, suppress_group, &job);

  out = g_string_sized_new (length);
  for (guint g = 0; g < groups->len; g++)
    {
      Group *group = groups->pdata[g];
      const double *dets = (const double *) (gpointer) group->dets->data;

      for (guint k = 0; k < group->keep->len; k++)
        {
          const double *d = dets + (gsize) g_array_index (group->keep, guint, k) * (n_coords + 1);

          g_string_append (out, group->name);
          g_string_append_c (out, ' ');
          append_double (out, d[n_coords]);
          for (guint i = 0; i < n_coords; i++)
            {
              g_string_append_c (out, ' ');
              append_double (out, d[i]);
            }
          g_string_append_c (out, '\n');
          n_out++;
        }
    }
  if (n_detections != NULL)
    *n_detections = n_lines;
  if (n_kept != NULL)
    *n_kept = n_out;
  for (guint g = 0; image_names != NULL && g < groups->len; g++)
    g_hash_table_add (image_names, g_strdup (((Group *) groups->pdata[g])->name));
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* ---- a folder ---------------------------------------------------------------------------------- */

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(char *const *) a, *(char *const *) b);
}

static void
collect_result_files (const char *dir, GPtrArray *files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_result_files (path, files);
      else if (g_str_has_suffix (names->pdata[i], ".txt") && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

/* Creates @out_dir, or checks that it is an empty folder. */
static gboolean
prepare_out_dir (const char *out_dir, GError **error)
{
  g_autoptr(GDir) handle = NULL;

  if (!g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      if (g_mkdir_with_parents (out_dir, 0777) != 0)
        {
          int saved = errno;
          g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create the folder: %s"),
                       out_dir, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  handle = g_dir_open (out_dir, 0, error);
  if (handle == NULL)
    return FALSE;
  if (g_dir_read_name (handle) != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("%s: the output folder must be new or empty; nothing is ever overwritten"), out_dir);
      return FALSE;
    }
  return TRUE;
}

gboolean
bm_dota_merge (const char *tiles_dir, const char *out_dir, const BmDotaMergeOptions *options,
               BmDotaMergeReport *report, GError **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (tiles_dir != NULL && out_dir != NULL && options != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  if (!g_file_test (tiles_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such folder"), tiles_dir);
      return FALSE;
    }
  collect_result_files (tiles_dir, files);
  if (!prepare_out_dir (out_dir, error))
    return FALSE;

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = files->pdata[i];
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *contents = NULL, *merged = NULL, *out_path = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length = 0, merged_length = 0;
      guint n_detections = 0, n_kept = 0;
      const char *first;

      report->n_files++;
      first = g_hash_table_lookup (written, base);
      if (first != NULL)
        {
          g_ptr_array_add (report->problems,
            bm_problem_new_printf (path, 0, _("another result file has the same name (%s); each "
                                              "would be written to the same merged file"), first));
          continue;
        }
      g_hash_table_insert (written, g_strdup (base), g_strdup (path));
      if (!bm_file_read_all (path, &contents, &length, &local_error))
        {
          g_ptr_array_add (report->problems, bm_problem_new (path, 0, local_error->message));
          continue;
        }
      merged = bm_dota_merge_data (contents, length, path, options, report->problems,
                                   &merged_length, &n_detections, &n_kept, images);
      if (merged == NULL)
        continue;
      out_path = g_build_filename (out_dir, base, NULL);
      if (!bm_file_write_atomic (out_path, merged, merged_length, error))
        return FALSE;
      report->n_written++;
      report->n_detections += n_detections;
      report->n_kept += n_kept;
    }
  report->n_images = g_hash_table_size (images);
  return TRUE;
}
