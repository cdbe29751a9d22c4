/* bm-pred-read.c: finding the format of a predictions file or folder, and reading the
 * line-based ones (VOC and DOTA results files, Ultralytics txt with confidence) and label
 * folders whose objects carry a score.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "formats/bm-label-io.h"
#include "formats/bm-text-util.h"
#include "bm-eval-alloc.h"
#include "bm-pred-private.h"

#define MAX_TOKENS 64

/* ---- one line ---- */

typedef struct
{
  char *token[MAX_TOKENS];
  guint n;              /* tokens found (may exceed MAX_TOKENS: then only counted) */
  gboolean odd_spacing; /* separated by something else than single spaces */
} Tokens;

/* Splits the stripped line @text in place on runs of ASCII whitespace. */
static void
tokenize (char *text, Tokens *tokens)
{
  char *p = text;

  tokens->n = 0;
  /* py-faster-rcnn and DOTA_devkit split on single spaces: anything else gives empty tokens */
  tokens->odd_spacing = strpbrk (text, "\t\v\f\r") != NULL || strstr (text, "  ") != NULL;
  while (*p != '\0')
    {
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      if (tokens->n < MAX_TOKENS)
        tokens->token[tokens->n] = p;
      tokens->n++;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      if (*p != '\0')
        *p++ = '\0';
    }
}

/* Python's str.strip() of ASCII whitespace, in place. */
static char *
strip (char *line, char *end)
{
  while (line < end && g_ascii_isspace (*line))
    line++;
  while (end > line && g_ascii_isspace (end[-1]))
    end--;
  *end = '\0';
  return line;
}

typedef enum
{
  NUMBER_OK,
  NUMBER_BAD,
  NUMBER_NAN,
  NUMBER_INFINITE,
} NumberResult;

/* Powers of ten that doubles hold exactly. */
static const double exact_powers[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The common short decimals ("937.0", "0.8207", "-12.5e3") without strtod: when the digits make
 * an integer below 2^53 and the power of ten is exact, one IEEE multiplication or division of two
 * exact numbers is correctly rounded, so the result is strtod's (Clinger's fast path). FALSE
 * for anything else, which strtod then reads. Detection files hold millions of such numbers. */
static gboolean
parse_simple_decimal (const char *p, double *value)
{
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  int digits = 0, exponent = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (!g_ascii_isdigit (*p) && !(*p == '.' && g_ascii_isdigit (p[1])))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (mantissa == 0 && *p == '0')
        continue;
      if (++digits > 15)
        return FALSE;
      mantissa = mantissa * 10 + (guint64) (*p - '0');
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      {
        exponent--;
        if (mantissa == 0 && *p == '0')
          continue;
        if (++digits > 15)
          return FALSE;
        mantissa = mantissa * 10 + (guint64) (*p - '0');
      }
  if (*p == 'e' || *p == 'E')
    {
      int sign = 1, e = 0;

      p++;
      if (*p == '-' || *p == '+')
        sign = *p++ == '-' ? -1 : 1;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        if ((e = e * 10 + (*p - '0')) > 400)
          return FALSE;
      exponent += sign * e;
    }
  if (*p != '\0' || exponent < -22 || exponent > 22)
    return FALSE;
  *value = exponent >= 0 ? (double) mantissa * exact_powers[exponent] : (double) mantissa / exact_powers[-exponent];
  if (negative)
    *value = -*value;
  return TRUE;
}

/* A number as Python's float() reads it (decimal, no hex); NaN and infinities are told apart. */
static NumberResult
parse_number (const char *token, double *value)
{
  char *end = NULL;

  if (parse_simple_decimal (token, value))
    return NUMBER_OK;
  if (token[0] == '\0' || strpbrk (token, "xXpP") != NULL)
    return NUMBER_BAD;
  *value = g_ascii_strtod (token, &end);
  if (end == NULL || *end != '\0' || end == token)
    return NUMBER_BAD;
  if (isnan (*value))
    return NUMBER_NAN;
  if (isinf (*value))
    return NUMBER_INFINITE;
  return NUMBER_OK;
}

gboolean
bm_pred_parse_finite (const char *token, double *value)
{
  return parse_number (token, value) == NUMBER_OK;
}

static gboolean
parse_score (BmPredChunk *chunk, guint line, const char *token, double *score)
{
  g_autofree char *shown = NULL;

  switch (parse_number (token, score))
    {
    case NUMBER_OK:
      return TRUE;
    case NUMBER_NAN:
      bm_pred_chunk_problem (chunk, line, _("the score is NaN (the detection cannot be ranked); line left out"));
      return FALSE;
    case NUMBER_INFINITE:
      bm_pred_chunk_problem (chunk, line, _("the score is infinite; line left out"));
      return FALSE;
    case NUMBER_BAD:
    default:
      shown = bm_text_shown (token);
      bm_pred_chunk_problem (chunk, line, _("the score “%s” is not a number; line left out"), shown);
      return FALSE;
    }
}

static gboolean
parse_coordinates (BmPredChunk *chunk, guint line, char **tokens, guint n, double *xy)
{
  for (guint i = 0; i < n; i++)
    if (parse_number (tokens[i], &xy[i]) != NUMBER_OK)
      {
        g_autofree char *shown = bm_text_shown (tokens[i]);

        bm_pred_chunk_problem (chunk, line, _("coordinate %u, “%s”, is not a finite number; line left out"),
                               i + 1, shown);
        return FALSE;
      }
  return TRUE;
}

/* Calls @func for each line of @data (modified in place) with its stripped text. */
typedef void (*LineFunc) (BmPredChunk *chunk, guint line, char *text, gpointer user_data);

static void
for_each_line (BmPredChunk *chunk, char *data, gsize length, LineFunc func, gpointer user_data)
{
  char *end = data + length;
  guint line = 0;

  for (char *p = data; p < end;)
    {
      char *newline = memchr (p, '\n', (gsize) (end - p));
      char *line_end = newline != NULL ? newline : end;

      line++;
      func (chunk, line, strip (p, line_end), user_data);
      p = line_end + 1;
    }
  chunk->n_lines = line;
}

/* ---- VOC and DOTA results files ---- */

typedef struct
{
  BmPredFormat format;
  guint n_coordinates;
  gboolean noted_spacing;
  gboolean noted_blank;
} ResultsState;

static const char *
evaluator_of (BmPredFormat format)
{
  return format == BM_PRED_FORMAT_VOC ? "py-faster-rcnn’s voc_eval" : "DOTA_devkit";
}

static void
results_line (BmPredChunk *chunk, guint line, char *text, gpointer user_data)
{
  ResultsState *state = user_data;
  Tokens tokens;
  BmPred pred = { 0 };

  if (text[0] == '\0')
    {
      if (!state->noted_blank)
        {
          state->noted_blank = TRUE;
          bm_pred_chunk_note (chunk, line, _("blank line skipped (%s would stop here with IndexError)"),
                              evaluator_of (state->format));
        }
      return;
    }
  tokenize (text, &tokens);
  if (tokens.n != 2 + state->n_coordinates)
    {
      if (state->format == BM_PRED_FORMAT_DOTA_TASK1)
        bm_pred_chunk_problem (chunk, line,
                               _("%u values where a DOTA Task1 line has 10 (image score x1 y1 x2 y2 x3 y3 x4 y4); line left out"),
                               tokens.n);
      else if (tokens.n == 10)
        bm_pred_chunk_problem (chunk, line,
                               _("10 values where a %s line has 6 (image score xmin ymin xmax ymax): a DOTA Task1 line? (--pred-format dota-task1); line left out"),
                               state->format == BM_PRED_FORMAT_VOC ? "VOC results" : "DOTA Task2");
      else
        bm_pred_chunk_problem (chunk, line,
                               _("%u values where a %s line has 6 (image score xmin ymin xmax ymax); line left out"),
                               tokens.n, state->format == BM_PRED_FORMAT_VOC ? "VOC results" : "DOTA Task2");
      return;
    }
  if (!parse_score (chunk, line, tokens.token[1], &pred.score)
      || !parse_coordinates (chunk, line, tokens.token + 2, state->n_coordinates, pred.xy))
    return;
  if (tokens.odd_spacing && !state->noted_spacing)
    {
      state->noted_spacing = TRUE;
      bm_pred_chunk_note (chunk, line,
                          _("values separated by more than one space or by tabs: read, but %s splits lines on single spaces and would stop here with ValueError"),
                          evaluator_of (state->format));
    }
  pred.image = bm_pred_chunk_image (chunk, tokens.token[0], strlen (tokens.token[0]));
  pred.geometry = state->n_coordinates == 8 ? BM_PRED_QUAD : BM_PRED_XYXY;
  pred.line = line;
  pred.index = line - 1;
  bm_pred_chunk_add (chunk, &pred);
}

void
bm_pred_parse_results (BmPredChunk *chunk, char *data, gsize length, BmPredFormat format)
{
  ResultsState state = { format, format == BM_PRED_FORMAT_DOTA_TASK1 ? 8 : 4, FALSE, FALSE };

  for_each_line (chunk, data, length, results_line, &state);
  if (bm_pred_chunk_get_n (chunk) == 0 && chunk->problems->len == 0)
    bm_pred_chunk_problem (chunk, 1,
                           _("no detections in this results file: class “%s” gets AP 0 (%s would stop with IndexError)"),
                           chunk->class_name != NULL ? chunk->class_name : "", evaluator_of (format));
}

/* ---- Ultralytics txt with a confidence ---- */

static void
yolo_line (BmPredChunk *chunk, guint line, char *text, gpointer user_data)
{
  const char *image = user_data;
  Tokens tokens;
  BmPred pred = { 0 };
  guint64 class_id;
  guint n_values;
  double values[MAX_TOKENS];
  char key[32];

  if (text[0] == '\0')
    return;
  tokenize (text, &tokens);
  if (tokens.n == 5 || tokens.n == 9)
    {
      bm_pred_chunk_problem (chunk, line,
                             _("%u values and no confidence: a prediction row ends with its confidence (cls cx cy w h conf, or cls x1 y1 … x4 y4 conf); is this a label file? Line left out"),
                             tokens.n);
      return;
    }
  if (tokens.n > MAX_TOKENS || (tokens.n != 6 && (tokens.n < 8 || tokens.n % 2 != 0)))
    {
      bm_pred_chunk_problem (chunk, line,
                             _("%u values where a YOLO prediction row has 6 (cls cx cy w h conf) or 10 (cls x1 y1 … x4 y4 conf); line left out"),
                             tokens.n);
      return;
    }
  if (!bm_number_parse_uint (tokens.token[0], G_MAXUINT32, &class_id))
    {
      g_autofree char *shown = bm_text_shown (tokens.token[0]);

      bm_pred_chunk_problem (chunk, line, _("the class “%s” is not a class number; line left out"), shown);
      return;
    }
  n_values = tokens.n - 2;
  if (!parse_coordinates (chunk, line, tokens.token + 1, n_values, values)
      || !parse_score (chunk, line, tokens.token[tokens.n - 1], &pred.score))
    return;

  if (tokens.n == 6)
    {
      pred.geometry = BM_PRED_YOLO_BOX;
      memcpy (pred.xy, values, 4 * sizeof (double));
    }
  else if (tokens.n == 10)
    {
      pred.geometry = BM_PRED_YOLO_QUAD;
      memcpy (pred.xy, values, 8 * sizeof (double));
    }
  else
    {
      /* a polygon row: its enclosing box, as Ultralytics trains a detector on */
      double x1 = values[0], x2 = values[0], y1 = values[1], y2 = values[1];

      for (guint i = 2; i + 1 < n_values; i += 2)
        {
          x1 = MIN (x1, values[i]);
          x2 = MAX (x2, values[i]);
          y1 = MIN (y1, values[i + 1]);
          y2 = MAX (y2, values[i + 1]);
        }
      pred.geometry = BM_PRED_YOLO_BOX;
      pred.xy[0] = (x1 + x2) / 2;
      pred.xy[1] = (y1 + y2) / 2;
      pred.xy[2] = x2 - x1;
      pred.xy[3] = y2 - y1;
    }
  g_snprintf (key, sizeof key, "%" G_GUINT64_FORMAT, class_id);
  pred.klass = bm_pred_chunk_class (chunk, key);
  pred.image = bm_pred_chunk_image (chunk, image, strlen (image));
  pred.line = line;
  pred.index = line - 1;
  bm_pred_chunk_add (chunk, &pred);
}

void
bm_pred_parse_yolo (BmPredChunk *chunk, char *data, gsize length)
{
  g_autofree char *image = bm_path_get_stem (chunk->path);

  for_each_line (chunk, data, length, yolo_line, image);
}

/* ---- file names ---- */

static gboolean
has_txt_extension (const char *name)
{
  return g_str_has_suffix (name, ".txt") || g_str_has_suffix (name, ".TXT");
}

static gboolean
is_task_file (const char *name, int task)
{
  char prefix[] = "Task1_";

  prefix[4] = (char) ('0' + task);
  return g_str_has_prefix (name, prefix) && has_txt_extension (name);
}

static gboolean
is_voc_results_file (const char *name)
{
  return strstr (name, "_det_") != NULL && has_txt_extension (name);
}

/* The class a results file is for: Task1_<class>.txt, comp4_det_test_<class>.txt (any prefix,
 * any image-set name without '_'), else the file name without .txt. */
static char *
results_class_name (const char *path)
{
  g_autofree char *stem = bm_path_get_stem (path);
  const char *det;

  if (g_str_has_prefix (stem, "Task1_") || g_str_has_prefix (stem, "Task2_"))
    return g_strdup (stem + strlen ("Task1_"));
  det = strstr (stem, "_det_");
  if (det != NULL)
    {
      const char *set = det + strlen ("_det_");
      const char *underscore = strchr (set, '_');

      return g_strdup (underscore != NULL ? underscore + 1 : set);
    }
  return g_steal_pointer (&stem);
}

/* ---- reading files in parallel ---- */

/* @path whole, NUL-terminated, in memory from bm_eval_alloc_large (detection files reach
 * hundreds of MB). */
static char *
read_file_large (const char *path, gsize *length, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  struct stat st;
  char *data;
  gsize done = 0;

  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot read: %s"), path,
                   fd >= 0 && saved == 0 ? _("not a regular file") : g_strerror (saved));
      return NULL;
    }
  data = bm_eval_alloc_large ((gsize) st.st_size + 1);
  while (done < (gsize) st.st_size)
    {
      gssize got = read (fd, data + done, (gsize) st.st_size - done);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      done += (gsize) got;
    }
  close (fd);
  /* a file that shrank while read is read as far as it went */
  *length = done;
  data[done] = '\0';
  return data;
}

typedef struct
{
  BmPredSet *set;
  GPtrArray *paths;
  BmPredChunk **chunks;
  char **data;
  gsize *lengths;
  guint *n_lines;
} ReadJob;

/* Phase 1: the file in memory and its lines counted (a line gives at most one detection). */
static void
load_one (guint index, gpointer user_data)
{
  ReadJob *job = user_data;
  const char *path = job->paths->pdata[index];
  g_autofree char *class_name = NULL;
  g_autoptr(GError) error = NULL;
  BmPredChunk *chunk;

  if (job->set->format != BM_PRED_FORMAT_YOLO && job->set->format != BM_PRED_FORMAT_COCO)
    class_name = results_class_name (path);
  chunk = bm_pred_chunk_new (path, class_name);
  job->chunks[index] = chunk;
  job->data[index] = read_file_large (path, &job->lengths[index], &error);
  if (job->data[index] == NULL)
    {
      g_ptr_array_add (chunk->problems, bm_problem_new (path, 0, error->message));
      return;
    }
  job->n_lines[index] = 1;
  for (const char *p = job->data[index]; (p = memchr (p, '\n', job->lengths[index] - (gsize) (p - job->data[index]))) != NULL; p++)
    job->n_lines[index]++;
}

/* Phase 2: the detections, written straight into their slice of the set's array. */
static void
parse_one (guint index, gpointer user_data)
{
  ReadJob *job = user_data;
  BmPredChunk *chunk = job->chunks[index];
  char *data = job->data[index];

  if (data == NULL)
    return;
  if (job->set->format == BM_PRED_FORMAT_YOLO)
    bm_pred_parse_yolo (chunk, data, job->lengths[index]);
  else if (job->set->format == BM_PRED_FORMAT_COCO)
    bm_pred_parse_coco (chunk, data, job->lengths[index]);
  else
    bm_pred_parse_results (chunk, data, job->lengths[index], job->set->format);
  bm_eval_free_large (data);
  job->data[index] = NULL;
}

static void
read_files (BmPredSet *set, GPtrArray *paths)
{
  guint n = paths->len;
  ReadJob job = { set, paths, g_new0 (BmPredChunk *, MAX (n, 1)), g_new0 (char *, MAX (n, 1)),
                  g_new0 (gsize, MAX (n, 1)), g_new0 (guint, MAX (n, 1)) };
  gboolean lines = set->format != BM_PRED_FORMAT_COCO;
  gsize total = 0;

  bm_parallel_for (n, 0, load_one, &job);
  if (lines)
    {
      BmPred *base;

      for (guint i = 0; i < n; i++)
        total += job.n_lines[i];
      base = bm_pred_set_reserve (set, (guint) MIN (total, G_MAXUINT32));
      for (guint i = 0, offset = 0; i < n; offset += job.n_lines[i], i++)
        {
          job.chunks[i]->slice = base + offset;
          job.chunks[i]->slice_capacity = job.n_lines[i];
        }
    }
  bm_parallel_for (n, 0, parse_one, &job);
  for (guint i = 0; i < n; i++)
    {
      bm_pred_set_add_chunk (set, job.chunks[i]);
      bm_pred_chunk_free (job.chunks[i]);
    }
  g_free (job.chunks);
  g_free (job.data);
  g_free (job.lengths);
  g_free (job.n_lines);
}

/* ---- label folders ---- */

typedef struct
{
  BmDataset *dataset;
  GPtrArray *items;   /* const BmDatasetItem * with a label file */
  BmPredChunk **chunks;
} LabelJob;

static void
add_object_pred (BmPredChunk *chunk, BmObject *object, guint index, const char *image)
{
  const BmShape *shape = bm_object_get_shape (object);
  BmPred pred = { 0 };

  if (!bm_object_has_score (object))
    {
      g_autofree char *shown = bm_text_shown (bm_object_get_label (object));

      bm_pred_chunk_problem (chunk, 0, _("object %u (“%s”) has no score; left out"), index + 1, shown);
      return;
    }
  pred.score = bm_object_get_score (object);
  if (!isfinite (pred.score))
    {
      bm_pred_chunk_problem (chunk, 0, _("object %u has a score that is not a finite number; left out"), index + 1);
      return;
    }
  if (shape->kind == BM_SHAPE_BOX)
    {
      BmRect r = bm_shape_bounds (shape);

      pred.geometry = BM_PRED_XYXY;
      pred.xy[0] = r.x1;
      pred.xy[1] = r.y1;
      pred.xy[2] = r.x2;
      pred.xy[3] = r.y2;
    }
  else
    {
      pred.geometry = BM_PRED_QUAD;
      for (int k = 0; k < 4; k++)
        {
          pred.xy[2 * k] = shape->p[k].x;
          pred.xy[2 * k + 1] = shape->p[k].y;
        }
    }
  pred.klass = bm_pred_chunk_class (chunk, bm_object_get_label (object));
  pred.image = bm_pred_chunk_image (chunk, image, strlen (image));
  pred.index = index;
  bm_pred_chunk_add (chunk, &pred);
}

static void
read_label_item (guint index, gpointer user_data)
{
  LabelJob *job = user_data;
  const BmDatasetItem *item = job->items->pdata[index];
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *image = bm_path_get_stem (item->label_path);
  BmPredChunk *chunk = bm_pred_chunk_new (item->label_path, NULL);
  GPtrArray *problems;

  job->chunks[index] = chunk;
  annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
  if (annotation == NULL)
    {
      g_ptr_array_add (chunk->problems, bm_problem_new (item->label_path, 0, error->message));
      return;
    }
  problems = bm_annotation_get_problems (annotation);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (chunk->problems, bm_problem_copy (problems->pdata[i]));
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    add_object_pred (chunk, bm_annotation_get_object (annotation, i), i, image);
}

static void
read_label_folder (BmPredSet *set, BmDataset *dataset)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  LabelJob job;

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->has_label)
        g_ptr_array_add (items, (gpointer) item);
    }
  job = (LabelJob) { dataset, items, g_new0 (BmPredChunk *, MAX (items->len, 1)) };
  bm_parallel_for (items->len, 0, read_label_item, &job);
  for (guint i = 0; i < items->len; i++)
    {
      bm_pred_set_add_chunk (set, job.chunks[i]);
      bm_pred_chunk_free (job.chunks[i]);
    }
  g_free (job.chunks);
}

/* ---- finding the format ---- */

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(const char **) a, *(const char **) b);
}

/* Regular files directly in @dir that @want accepts, as full paths in natural order. */
static GPtrArray *
list_files (const char *dir, gboolean (*want) (const char *name))
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  if (folder == NULL)
    return paths;
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = NULL;

      if (name[0] == '.' || !want (name))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

static gboolean want_task1 (const char *name) { return is_task_file (name, 1); }
static gboolean want_task2 (const char *name) { return is_task_file (name, 2); }
static gboolean want_voc (const char *name) { return is_voc_results_file (name); }
static gboolean want_txt (const char *name) { return has_txt_extension (name) && !g_str_equal (name, "classes.txt"); }

static gboolean
want_json (const char *name)
{
  return g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".JSON");
}

/* What the first row of a .txt file looks like: YOLO with a confidence (numbers only, a whole
 * class number first), a results line (image name, then numbers), or neither. */
static BmPredFormat
sniff_txt (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;
  char *line, *end;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return BM_PRED_FORMAT_AUTO;
  end = data + length;
  for (line = data; line < end;)
    {
      char *newline = memchr (line, '\n', (gsize) (end - line));
      char *line_end = newline != NULL ? newline : end;
      char *text = strip (line, line_end);
      Tokens tokens;
      guint64 id;
      double value;

      line = line_end + 1;
      if (text[0] == '\0')
        continue;
      tokenize (text, &tokens);
      if (tokens.n > MAX_TOKENS)
        return BM_PRED_FORMAT_AUTO;
      if (bm_number_parse_uint (tokens.token[0], G_MAXUINT32, &id)
          && (tokens.n == 6 || (tokens.n >= 8 && tokens.n % 2 == 0)))
        return BM_PRED_FORMAT_YOLO;
      if (parse_number (tokens.token[0], &value) == NUMBER_BAD && tokens.n == 6)
        return BM_PRED_FORMAT_VOC;
      if (parse_number (tokens.token[0], &value) == NUMBER_BAD && tokens.n == 10)
        return BM_PRED_FORMAT_DOTA_TASK1;
      return BM_PRED_FORMAT_AUTO;
    }
  return BM_PRED_FORMAT_AUTO;
}

/* The first .txt file of @paths with a row in it, sniffed. */
static BmPredFormat
sniff_txt_files (GPtrArray *paths)
{
  for (guint i = 0; i < paths->len && i < 64; i++)
    {
      BmPredFormat format = sniff_txt (paths->pdata[i]);

      if (format != BM_PRED_FORMAT_AUTO)
        return format;
    }
  return BM_PRED_FORMAT_AUTO;
}

/* A single JSON file of @dir: the only one, or the one named like results. */
static char *
find_results_json (const char *dir)
{
  g_autoptr(GPtrArray) jsons = list_files (dir, want_json);

  if (jsons->len == 1)
    return g_strdup (jsons->pdata[0]);
  for (guint i = 0; i < jsons->len; i++)
    {
      g_autofree char *base = g_path_get_basename (jsons->pdata[i]);

      if (strstr (base, "result") != NULL || strstr (base, "pred") != NULL || strstr (base, "det") != NULL)
        return g_strdup (jsons->pdata[i]);
    }
  return NULL;
}

/* Ultralytics' names, from data.yaml (or classes.txt) beside or above the txt files. */
static BmClassList *
find_yolo_names (const char *dir)
{
  static const char *const names[] = { "data.yaml", "classes.txt", NULL };
  g_autofree char *parent = g_path_get_dirname (dir);
  const char *const folders[] = { dir, parent, NULL };

  for (guint f = 0; folders[f] != NULL; f++)
    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *path = g_build_filename (folders[f], names[i], NULL);

        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          return bm_class_list_load (path, NULL);
      }
  return NULL;
}

/* The files to read for @format in the folder @dir (and which folder YOLO rows are in). */
static GPtrArray *
files_for (const char *dir, BmPredFormat format, char **yolo_dir)
{
  switch (format)
    {
    case BM_PRED_FORMAT_DOTA_TASK1:
      return list_files (dir, want_task1);
    case BM_PRED_FORMAT_DOTA_TASK2:
      return list_files (dir, want_task2);
    case BM_PRED_FORMAT_VOC:
      {
        GPtrArray *paths = list_files (dir, want_voc);

        if (paths->len > 0)
          return paths;
        g_ptr_array_unref (paths);
        return list_files (dir, want_txt);
      }
    case BM_PRED_FORMAT_COCO:
      {
        GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
        char *json = find_results_json (dir);

        if (json != NULL)
          g_ptr_array_add (paths, json);
        return paths;
      }
    case BM_PRED_FORMAT_YOLO:
      {
        g_autofree char *labels = g_build_filename (dir, "labels", NULL);

        *yolo_dir = g_strdup (g_file_test (labels, G_FILE_TEST_IS_DIR) ? labels : dir);
        return list_files (*yolo_dir, want_txt);
      }
    case BM_PRED_FORMAT_AUTO:
    case BM_PRED_FORMAT_LABELS:
    default:
      return g_ptr_array_new_with_free_func (g_free);
    }
}

/* Which format the folder @dir holds. */
static BmPredFormat
detect_folder (const char *dir, GError **error)
{
  g_autoptr(GPtrArray) task1 = list_files (dir, want_task1);
  g_autoptr(GPtrArray) task2 = list_files (dir, want_task2);
  g_autoptr(GPtrArray) voc = list_files (dir, want_voc);
  g_autoptr(GPtrArray) txt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *labels = g_build_filename (dir, "labels", NULL);
  guint kinds = (task1->len > 0) + (task2->len > 0) + (voc->len > 0);

  if (kinds > 1)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s holds results files of more than one kind (Task1_*, Task2_*, *_det_*): choose one with --pred-format"),
                   dir);
      return BM_PRED_FORMAT_AUTO;
    }
  if (task1->len > 0)
    return BM_PRED_FORMAT_DOTA_TASK1;
  if (task2->len > 0)
    return BM_PRED_FORMAT_DOTA_TASK2;
  if (voc->len > 0)
    return BM_PRED_FORMAT_VOC;
  if ((json = find_results_json (dir)) != NULL)
    return BM_PRED_FORMAT_COCO;
  if (g_file_test (labels, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GPtrArray) rows = list_files (labels, want_txt);

      if (sniff_txt_files (rows) == BM_PRED_FORMAT_YOLO)
        return BM_PRED_FORMAT_YOLO;
    }
  txt = list_files (dir, want_txt);
  if (sniff_txt_files (txt) == BM_PRED_FORMAT_YOLO)
    return BM_PRED_FORMAT_YOLO;
  return BM_PRED_FORMAT_LABELS;
}

static BmPredFormat
detect_file (const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  BmPredFormat sniffed;

  if (want_json (base))
    return BM_PRED_FORMAT_COCO;
  if (is_task_file (base, 1))
    return BM_PRED_FORMAT_DOTA_TASK1;
  if (is_task_file (base, 2))
    return BM_PRED_FORMAT_DOTA_TASK2;
  if (is_voc_results_file (base))
    return BM_PRED_FORMAT_VOC;
  if (has_txt_extension (base) && (sniffed = sniff_txt (path)) != BM_PRED_FORMAT_AUTO)
    return sniffed;
  if (g_str_has_suffix (base, ".xml") || g_str_has_suffix (base, ".XML"))
    return BM_PRED_FORMAT_LABELS;
  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
               _("%s: cannot tell which predictions format this is; name it comp4_det_test_CLASS.txt, "
                 "Task1_CLASS.txt or Task2_CLASS.txt, or give --pred-format"), path);
  return BM_PRED_FORMAT_AUTO;
}

BmPredSet *
bm_pred_set_read (const char *path, BmPredFormat format, GError **error)
{
  g_autoptr(BmPredSet) set = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autofree char *yolo_dir = NULL;
  gboolean is_dir;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file or folder"), path);
      return NULL;
    }
  is_dir = g_file_test (path, G_FILE_TEST_IS_DIR);
  if (format == BM_PRED_FORMAT_AUTO)
    format = is_dir ? detect_folder (path, error) : detect_file (path, error);
  if (format == BM_PRED_FORMAT_AUTO)
    return NULL;

  set = bm_pred_set_new (format, path);
  set->coco_ids = format == BM_PRED_FORMAT_COCO;
  if (format == BM_PRED_FORMAT_LABELS)
    {
      g_autoptr(BmDataset) dataset = NULL;

      if (is_dir)
        dataset = bm_dataset_open (path, TRUE, error);
      else
        {
          g_autofree char *dir = g_path_get_dirname (path);
          g_autofree char *canonical = g_canonicalize_filename (path, NULL);
          g_autoptr(BmDataset) whole = bm_dataset_open (dir, FALSE, error);

          /* one label file: its item only */
          if (whole != NULL)
            {
              for (guint i = 0; i < bm_dataset_get_n_items (whole); i++)
                {
                  const BmDatasetItem *item = bm_dataset_get_item (whole, i);

                  if (g_strcmp0 (item->label_path, canonical) == 0 && item->has_label)
                    {
                      BmPredChunk *chunk = NULL;
                      LabelJob job = { whole, g_ptr_array_new (), &chunk };

                      g_ptr_array_add (job.items, (gpointer) item);
                      read_label_item (0, &job);
                      bm_pred_set_add_chunk (set, chunk);
                      bm_pred_chunk_free (chunk);
                      g_ptr_array_unref (job.items);
                    }
                }
              return g_steal_pointer (&set);
            }
        }
      if (dataset == NULL)
        return NULL;
      read_label_folder (set, dataset);
      return g_steal_pointer (&set);
    }

  if (is_dir)
    paths = files_for (path, format, &yolo_dir);
  else
    {
      paths = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (paths, g_strdup (path));
      if (format == BM_PRED_FORMAT_YOLO)
        yolo_dir = g_path_get_dirname (path);
    }
  if (paths->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no %s predictions files found"),
                   path, bm_pred_format_to_string (format));
      return NULL;
    }
  if (format == BM_PRED_FORMAT_YOLO)
    set->yolo_names = find_yolo_names (yolo_dir);
  read_files (set, paths);
  return g_steal_pointer (&set);
}

BmPredSet *
bm_pred_set_read_data (const char *data, gsize length, const char *path, BmPredFormat format,
                       const char *class_name, GError **error)
{
  g_autoptr(BmPredSet) set = NULL;
  g_autoptr(BmPredChunk) chunk = NULL;
  g_autofree char *copy = NULL;

  if (format == BM_PRED_FORMAT_AUTO || format == BM_PRED_FORMAT_LABELS)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: give the format of these predictions"), path);
      return NULL;
    }
  set = bm_pred_set_new (format, path);
  set->coco_ids = format == BM_PRED_FORMAT_COCO;
  chunk = bm_pred_chunk_new (path, format == BM_PRED_FORMAT_YOLO || format == BM_PRED_FORMAT_COCO ? NULL : class_name);
  copy = g_malloc (length + 1);
  memcpy (copy, data, length);
  copy[length] = '\0';
  if (format == BM_PRED_FORMAT_YOLO)
    bm_pred_parse_yolo (chunk, copy, length);
  else if (format == BM_PRED_FORMAT_COCO)
    bm_pred_parse_coco (chunk, copy, length);
  else
    bm_pred_parse_results (chunk, copy, length, format);
  bm_pred_set_add_chunk (set, chunk);
  return g_steal_pointer (&set);
}
