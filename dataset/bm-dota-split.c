/* bm-dota-split.c: the images and tiles of a split, on every core.
 *
 * The work is the list of all tiles of all images in order. Each thread takes the next tile; the
 * first thread to need an image decodes (and scales) it while the others go on with tiles of
 * images already decoded, or decode the next image instead of waiting, so both cores stay busy
 * whether the folder holds one 20000-pixel image or thousands of small ones. An image is
 * decoded, and its labels read, once for all its rates; its pixels are freed after its last
 * tile. Label tiles come from bm_split_tile_labels; every file goes
 * through bm-file-create (complete or absent, never replacing one) and the file system is
 * synced once at the end instead of once per file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-create.h"
#include "core/bm-file-util.h"
#include "core/bm-float-repr.h"
#include "core/bm-image.h"
#include "core/bm-parallel.h"
#include "core/bm-png-write.h"
#include "core/bm-resize.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "bm-dota-split.h"
#include "bm-dota-split-private.h"

/* Images above this many pixels are not decoded ahead of need (each costs 3 bytes a pixel). */
#define MAX_PREFETCH_PIXELS (64 * 1024 * 1024)

void
bm_dota_split_options_init (BmDotaSplitOptions *options)
{
  memset (options, 0, sizeof *options);
  options->size = 1024;
  options->gap = 100;
  options->thresh = 0.7;
  options->rates[0] = 1;
  options->n_rates = 1;
  options->png_level = BM_PNG_LEVEL_OPENCV;
  options->shard = BM_SHARD_ALL;
}

char *
bm_dota_split_rate_name (double rate)
{
  char text[BM_FLOAT_REPR_SIZE];

  /* ImgSplit users pass 1 or 2 as Python ints (str: "1") and 0.5 as a float ("0.5"). */
  if (rate == trunc (rate) && fabs (rate) < 1e15)
    return g_strdup_printf ("%.0f", rate);
  bm_float_repr (rate, text);
  return g_strdup (text);
}

void
bm_dota_split_report_clear (BmDotaSplitReport *report)
{
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_clear_pointer (&report->renamed, g_ptr_array_unref);
  memset (report, 0, sizeof *report);
}

void
bm_dota_split_report_free (BmDotaSplitReport *report)
{
  if (report == NULL)
    return;
  bm_dota_split_report_clear (report);
  g_free (report);
}

/* ---- the work ----------------------------------------------------------------------------------- */

typedef enum
{
  JOB_IDLE,
  JOB_LOADING,
  JOB_READY,
  JOB_FAILED,
} JobState;

/* One image, shared by its rates: decoded (and its labels read) once. */
typedef struct
{
  const BmDatasetItem *item;
  JobState state;            /* under the split's lock */
  BmImage *image;            /* 3 channels, until every rate has been scaled from it */
  BmAnnotation *annotation;  /* NULL: no label file */
  guint pending;             /* rates not yet scaled (under the lock) */
} Source;

/* One image at one rate. */
typedef struct
{
  const BmDatasetItem *item;
  Source *source;
  double rate;
  char *base;                /* NAME__RATE__ */
  char *shown;               /* the image path, and the rate when there are several */
  int width, height;         /* scaled, from the header */
  guint first_tile, n_tiles;

  JobState state;            /* under the split's lock */
  BmImage *image;            /* scaled, 3 channels, while tiles remain */
  BmSplitObject *objects;
  guint n_objects;
  BmAnnotation *annotation;  /* owns the labels the objects point to; NULL: no label file */
  gint remaining;            /* tiles not yet written (atomic) */
} Job;

typedef struct
{
  int left, up;
  guint job;
} Tile;

typedef struct
{
  const BmDotaSplitOptions *options;
  GPtrArray *jobs;           /* Job */
  GPtrArray *sources;        /* Source */
  GArray *tiles;             /* Tile, in order */
  char *images_dir, *labels_dir;
  GCancellable *cancellable;
  BmDotaSplitProgress progress;
  gpointer progress_data;

  GMutex lock;               /* jobs' states, the report, the progress calls */
  GCond loaded;
  gint next_tile;            /* atomic */
  guint64 tiles_done;
  GError *fatal;             /* the first write failure: everything stops */
  BmDotaSplitReport *report;
  GHashTable *renamed;       /* label → hyphenated label */
} Split;

static void
job_free (Job *job)
{
  g_free (job->base);
  g_free (job->shown);
  g_clear_pointer (&job->image, bm_image_unref);
  g_free (job->objects);
  g_clear_object (&job->annotation);
  g_free (job);
}

static void
source_free (Source *source)
{
  g_clear_pointer (&source->image, bm_image_unref);
  g_clear_object (&source->annotation);
  g_free (source);
}

static void
add_problem (Split *split, char *text)
{
  g_mutex_lock (&split->lock);
  g_ptr_array_add (split->report->problems, text);
  g_mutex_unlock (&split->lock);
}

static gboolean
stopped (Split *split)
{
  gboolean stop;

  if (g_cancellable_is_cancelled (split->cancellable))
    return TRUE;
  g_mutex_lock (&split->lock);
  stop = split->fatal != NULL;
  g_mutex_unlock (&split->lock);
  return stop;
}

/* An image's labels, checked; FALSE (and said) when its label file has problems. */
static gboolean
load_source_labels (Split *split, Source *source)
{
  const BmDatasetItem *item = source->item;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  GPtrArray *problems;

  if (!item->has_label || !g_file_test (item->label_path, G_FILE_TEST_EXISTS))
    return TRUE;
  annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
  if (annotation == NULL)
    {
      add_problem (split, g_strdup_printf (_("%s; the image is left out"), error->message));
      return FALSE;
    }
  problems = bm_annotation_get_problems (annotation);
  if (problems->len > 0)
    {
      for (guint i = 0; i < problems->len; i++)
        add_problem (split, bm_problem_to_string (problems->pdata[i]));
      add_problem (split, g_strdup_printf (_("%s: the label file has problems; its image is left out"),
                                           item->label_path));
      return FALSE;
    }
  g_mutex_lock (&split->lock);
  bm_dota_hyphenate_labels (annotation, split->renamed);
  g_mutex_unlock (&split->lock);
  source->annotation = g_steal_pointer (&annotation);
  return TRUE;
}

static gboolean
load_source_image (Split *split, Source *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) decoded = bm_image_load (source->item->image_path, &error);

  if (decoded == NULL)
    {
      add_problem (split, g_strdup_printf (_("%s; the image is left out"), error->message));
      return FALSE;
    }
  /* cv2.imread's IMREAD_COLOR: alpha dropped, gray repeated */
  source->image = bm_image_convert (decoded, 3);
  return TRUE;
}

static void
load_source (Split *split, Source *source)
{
  gboolean ok = load_source_labels (split, source) && load_source_image (split, source);

  g_mutex_lock (&split->lock);
  source->state = ok ? JOB_READY : JOB_FAILED;
  if (!ok)
    {
      split->report->n_failed++;
      g_clear_object (&source->annotation);
    }
  else if (source->annotation == NULL)
    split->report->n_unlabelled++;
  g_cond_broadcast (&split->loaded);
  g_mutex_unlock (&split->lock);
}

/* The objects of @job as ImgSplit holds them: int() of each coordinate, times the rate. */
static void
make_objects (Job *job)
{
  job->n_objects = bm_annotation_get_n_objects (job->annotation);
  job->objects = g_new0 (BmSplitObject, MAX (job->n_objects, 1));
  for (guint i = 0; i < job->n_objects; i++)
    {
      BmObject *object = bm_annotation_get_object (job->annotation, i);
      const BmShape *shape = bm_object_get_shape (object);
      BmSplitObject *o = &job->objects[i];

      for (int k = 0; k < 4; k++)
        {
          o->poly[2 * k] = job->rate * trunc (shape->p[k].x);
          o->poly[2 * k + 1] = job->rate * trunc (shape->p[k].y);
        }
      o->label = bm_object_get_label (object);
      o->difficult = bm_object_get_difficult (object);
      o->number = i + 1;
      if (!bm_split_object_init (o))
        o->area = 0;
    }
}

/* Loads the image's source (once for all its rates: the first job to need it decodes it, the
 * others wait), then scales it and places the objects for this rate. */
static void
load_job (Split *split, Job *job)
{
  Source *source = job->source;
  g_autoptr(BmImage) image = NULL;
  gboolean mine, ok;

  g_mutex_lock (&split->lock);
  mine = source->state == JOB_IDLE;
  if (mine)
    source->state = JOB_LOADING;
  g_mutex_unlock (&split->lock);
  if (mine)
    load_source (split, source);

  g_mutex_lock (&split->lock);
  while (source->state == JOB_LOADING)
    g_cond_wait (&split->loaded, &split->lock);
  ok = source->state == JOB_READY;
  if (ok)
    {
      image = bm_image_ref (source->image);
      job->annotation = source->annotation != NULL ? g_object_ref (source->annotation) : NULL;
    }
  /* The last rate to start lets go of the full-size pixels. */
  if (--source->pending == 0)
    g_clear_pointer (&source->image, bm_image_unref);
  g_mutex_unlock (&split->lock);

  if (ok)
    {
      if (job->annotation != NULL)
        make_objects (job);
      job->image = job->rate == 1 ? g_steal_pointer (&image) : bm_resize_cubic (image, job->rate, job->rate, 1);
      if (job->image == NULL || job->image->width != job->width || job->image->height != job->height)
        {
          add_problem (split, g_strdup_printf (_("%s: the decoded image is not the size its header gives; left out"),
                                               job->item->image_path));
          ok = FALSE;
        }
    }

  g_mutex_lock (&split->lock);
  job->state = ok ? JOB_READY : JOB_FAILED;
  if (!ok && source->state == JOB_READY)
    split->report->n_failed++;
  g_cond_broadcast (&split->loaded);
  g_mutex_unlock (&split->lock);
}

/* Claims @job for loading when nobody has; the caller holds the lock. */
static gboolean
claim (Job *job)
{
  if (job->state != JOB_IDLE)
    return FALSE;
  job->state = JOB_LOADING;
  return TRUE;
}

/* Makes sure @index is loaded; while another thread loads it, loads the next image instead
 * (one whose decoding nobody has started, small enough to hold beside it) rather than wait.
 * Returns whether it is usable. */
static gboolean
ensure_loaded (Split *split, guint index)
{
  Job *job = split->jobs->pdata[index];
  gboolean mine;

  g_mutex_lock (&split->lock);
  mine = claim (job);
  g_mutex_unlock (&split->lock);
  if (mine)
    load_job (split, job);

  g_mutex_lock (&split->lock);
  for (guint k = index + 1; job->state == JOB_LOADING && k < split->jobs->len && k <= index + 8; k++)
    {
      Job *next = split->jobs->pdata[k];

      if (next->source->state == JOB_IDLE && (gint64) next->width * next->height <= MAX_PREFETCH_PIXELS
          && claim (next))
        {
          g_mutex_unlock (&split->lock);
          load_job (split, next);
          g_mutex_lock (&split->lock);
          break;
        }
    }
  while (job->state == JOB_LOADING)
    g_cond_wait (&split->loaded, &split->lock);
  mine = job->state == JOB_READY;
  g_mutex_unlock (&split->lock);
  return mine;
}

static void
fail (Split *split, GError *error)
{
  g_mutex_lock (&split->lock);
  if (split->fatal == NULL)
    split->fatal = error;
  else
    g_error_free (error);
  g_mutex_unlock (&split->lock);
}

static void
add_counts (BmDotaSplitReport *report, const BmSplitCounts *counts)
{
  report->n_objects += counts->n_lines;
  report->n_whole += counts->n_whole;
  report->n_cut += counts->n_cut;
  report->n_difficult += counts->n_difficult;
  report->n_left_out += counts->n_left_out;
  report->n_unsplittable += counts->n_unsplittable;
}

static void
write_tile (Split *split, Job *job, const Tile *tile)
{
  const int size = split->options->size;
  g_autofree char *name = g_strdup_printf ("%s%d___%d", job->base, tile->left, tile->up);
  g_autofree char *png_path = NULL;
  GError *error = NULL;
  BmImage *image = job->image;
  int width = MIN (size, image->width - tile->left);
  int height = MIN (size, image->height - tile->up);
  BmSplitCounts counts = { 0 };
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  if (job->annotation != NULL)
    {
      g_autofree char *txt_path = g_strdup_printf ("%s/%s.txt", split->labels_dir, name);
      g_autoptr(GString) text = g_string_new (NULL);
      int right = MIN (tile->left + size, image->width - 1);
      int down = MIN (tile->up + size, image->height - 1);

      bm_split_tile_labels (job->objects, job->n_objects, tile->left, tile->up, right, down, size,
                            split->options->thresh, text, &counts, notes);
      if (!bm_file_create_new (txt_path, text->str, text->len, FALSE, &error))
        {
          fail (split, error);
          return;
        }
    }
  png_path = g_strdup_printf ("%s/%s.png", split->images_dir, name);
  if (!bm_png_write_file (png_path,
                          image->data + (gsize) tile->up * image->stride + (gsize) tile->left * 3,
                          width, height, 3, image->stride, split->options->png_level,
                          BM_PNG_WRITE_DEFAULT, &error))
    {
      fail (split, error);
      return;
    }

  g_mutex_lock (&split->lock);
  split->report->n_image_tiles++;
  if (job->annotation != NULL)
    split->report->n_label_tiles++;
  add_counts (split->report, &counts);
  for (guint i = 0; i < notes->len; i++)
    g_ptr_array_add (split->report->problems,
                     g_strdup_printf ("%s: %s: %s", job->item->label_path, name, (char *) notes->pdata[i]));
  g_mutex_unlock (&split->lock);
}

static void
finish_tile (Split *split, Job *job)
{
  gboolean last = g_atomic_int_dec_and_test (&job->remaining);

  if (last)
    {
      g_clear_pointer (&job->image, bm_image_unref);
      g_clear_pointer (&job->objects, g_free);
      g_clear_object (&job->annotation);
    }
  g_mutex_lock (&split->lock);
  split->tiles_done++;
  if (last && job->state == JOB_READY)
    split->report->n_images++;
  if (split->progress != NULL)
    split->progress (split->tiles_done, split->tiles->len, last ? job->shown : NULL, split->progress_data);
  g_mutex_unlock (&split->lock);
}

static void
worker (guint thread, gpointer user_data)
{
  Split *split = user_data;

  for (;;)
    {
      guint index = (guint) g_atomic_int_add (&split->next_tile, 1);
      const Tile *tile;
      Job *job;

      if (index >= split->tiles->len || stopped (split))
        return;
      tile = &g_array_index (split->tiles, Tile, index);
      job = split->jobs->pdata[tile->job];
      if (ensure_loaded (split, tile->job) && !stopped (split))
        write_tile (split, job, tile);
      finish_tile (split, job);
    }
}

/* ---- planning ------------------------------------------------------------------------------------ */

/* A sharded run may share its folder with the other shards (they write disjoint tiles, and each
 * tile is created, never replaced: a tile already there is a conflict, not overwritten). */
static gboolean
prepare_out_dir (const char *out_dir, gboolean shared, char **images_dir, char **labels_dir, GError **error)
{
  if (!shared && g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GDir) dir = g_dir_open (out_dir, 0, error);

      if (dir == NULL)
        return FALSE;
      if (g_dir_read_name (dir) != NULL)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                       _("%s: the output folder must be new or empty; nothing is ever overwritten"), out_dir);
          return FALSE;
        }
    }
  *images_dir = g_build_filename (out_dir, "images", NULL);
  *labels_dir = g_build_filename (out_dir, "labelTxt", NULL);
  if (g_mkdir_with_parents (*images_dir, 0777) != 0 || g_mkdir_with_parents (*labels_dir, 0777) != 0)
    {
      int saved = errno;
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create the folder: %s"), out_dir,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* One job per image and rate, with its tiles from the header size; images whose stems repeat
 * (a.png and a.jpg would write the same tiles) and unreadable headers are reported. */
static void
plan (Split *split, BmDataset *dataset)
{
  const BmDotaSplitOptions *options = split->options;
  g_autoptr(GHashTable) stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) origins = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *stem = NULL;
      int width, height, channels;
      const char *first;
      Source *source;

      if (item->image_path == NULL)
        {
          g_ptr_array_add (split->report->problems,
                           g_strdup_printf (_("%s: label file without an image; left out"), item->label_path));
          continue;
        }
      stem = bm_path_get_stem (item->image_path);
      first = g_hash_table_lookup (stems, stem);
      /* Every shard sees every name, so a repeated name is found whichever shards the two
       * images fall in; the shard of the image left out says so. */
      if (!bm_shard_contains_item (&options->shard, dataset, item))
        {
          if (first == NULL)
            g_hash_table_insert (stems, g_strdup (stem), g_strdup (item->image_path));
          continue;
        }
      if (first != NULL)
        {
          g_ptr_array_add (split->report->problems,
                           g_strdup_printf (_("%s: %s has the same name, and their tiles would have the same names; left out"),
                                            item->image_path, first));
          split->report->n_failed++;
          continue;
        }
      g_hash_table_insert (stems, g_strdup (stem), g_strdup (item->image_path));
      if (!bm_image_read_info (item->image_path, &width, &height, &channels, &error))
        {
          g_ptr_array_add (split->report->problems, g_strdup_printf (_("%s; the image is left out"), error->message));
          split->report->n_failed++;
          continue;
        }
      source = g_new0 (Source, 1);
      source->item = item;
      g_ptr_array_add (split->sources, source);

      for (guint r = 0; r < options->n_rates; r++)
        {
          Job *job = g_new0 (Job, 1);
          g_autofree char *rate = bm_dota_split_rate_name (options->rates[r]);

          job->item = item;
          job->source = source;
          source->pending++;
          job->rate = options->rates[r];
          job->base = g_strdup_printf ("%s__%s__", stem, rate);
          job->shown = options->n_rates > 1 ? g_strdup_printf (_("%s at rate %s"), item->image_path, rate)
                                            : g_strdup (item->image_path);
          if (job->rate == 1)
            job->width = width, job->height = height;
          else if (!bm_resize_cubic_size (width, height, job->rate, job->rate, &job->width, &job->height))
            {
              g_ptr_array_add (split->report->problems,
                               g_strdup_printf (_("%s: at rate %s the image would have no pixels; left out at that rate"),
                                                item->image_path, rate));
              split->report->n_failed++;
              source->pending--;
              job_free (job);
              continue;
            }
          g_array_set_size (origins, 0);
          bm_split_tile_origins (job->width, job->height, options->size, options->gap, origins);
          job->first_tile = split->tiles->len;
          job->n_tiles = origins->len / 2;
          job->remaining = (gint) job->n_tiles;
          for (guint t = 0; t < job->n_tiles; t++)
            {
              Tile tile = { g_array_index (origins, int, 2 * t), g_array_index (origins, int, 2 * t + 1),
                            split->jobs->len };
              g_array_append_val (split->tiles, tile);
            }
          g_ptr_array_add (split->jobs, job);
        }
    }
}

static void
collect_renamed (Split *split)
{
  GHashTableIter iter;
  gpointer from, to;

  g_hash_table_iter_init (&iter, split->renamed);
  while (g_hash_table_iter_next (&iter, &from, &to))
    g_ptr_array_add (split->report->renamed, g_strdup_printf ("“%s” → “%s”", (char *) from, (char *) to));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

gboolean
bm_dota_split (BmDataset *dataset, const char *out_dir, const BmDotaSplitOptions *options,
               BmDotaSplitProgress progress, gpointer user_data, GCancellable *cancellable,
               BmDotaSplitReport *report, GError **error)
{
  Split split = { 0 };
  gboolean ok = TRUE;
  guint threads;

  g_return_val_if_fail (BM_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (out_dir != NULL && options != NULL && report != NULL, FALSE);
  g_return_val_if_fail (options->n_rates >= 1 && options->n_rates <= G_N_ELEMENTS (options->rates), FALSE);
  g_return_val_if_fail (options->size > 0 && options->gap >= 0 && options->gap < options->size, FALSE);
  g_return_val_if_fail (options->png_level >= 0 && options->png_level <= 9, FALSE);

  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  report->renamed = g_ptr_array_new_with_free_func (g_free);
  if (!prepare_out_dir (out_dir, !bm_shard_is_all (&options->shard), &split.images_dir, &split.labels_dir, error))
    return FALSE;

  split.options = options;
  split.jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  split.sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);
  split.tiles = g_array_new (FALSE, FALSE, sizeof (Tile));
  split.cancellable = cancellable;
  split.progress = progress;
  split.progress_data = user_data;
  split.report = report;
  split.renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&split.lock);
  g_cond_init (&split.loaded);

  plan (&split, dataset);
  /* One call of worker per thread; each takes tiles until none are left. */
  threads = options->n_threads > 0 ? options->n_threads : bm_parallel_default_threads ();
  bm_parallel_for (MIN (split.tiles->len, threads), threads, worker, &split);
  collect_renamed (&split);
  g_ptr_array_sort (report->renamed, compare_strings);

  if (split.fatal != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&split.fatal));
      ok = FALSE;
    }
  else if (g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  /* Whatever was written is complete; make it durable before saying so. */
  if (!bm_file_sync_filesystem (out_dir, ok ? error : NULL))
    ok = FALSE;

  g_mutex_clear (&split.lock);
  g_cond_clear (&split.loaded);
  g_hash_table_unref (split.renamed);
  g_array_unref (split.tiles);
  g_ptr_array_unref (split.jobs);
  g_ptr_array_unref (split.sources);
  g_free (split.images_dir);
  g_free (split.labels_dir);
  return ok;
}

/* ---- in a worker thread --------------------------------------------------------------------------- */

typedef struct
{
  BmDataset *dataset;
  char *out_dir;
  BmDotaSplitOptions options;
  BmDotaSplitProgress progress;
  gpointer progress_data;
  GMainContext *context;
  gint pending;              /* a progress call waits in the main context (atomic) */
  guint64 done, total;       /* the latest figures, under lock */
  char *image;
  GMutex lock;
  BmDotaSplitReport *report;
} AsyncSplit;

static void
async_split_free (AsyncSplit *data)
{
  g_clear_object (&data->dataset);
  g_free (data->out_dir);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data->image);
  g_mutex_clear (&data->lock);
  bm_dota_split_report_free (data->report);
  g_free (data);
}

static gboolean
deliver_progress (gpointer user_data)
{
  GTask *task = user_data;
  AsyncSplit *data = g_task_get_task_data (task);
  guint64 done, total;
  g_autofree char *image = NULL;

  g_mutex_lock (&data->lock);
  done = data->done;
  total = data->total;
  image = g_steal_pointer (&data->image);
  g_mutex_unlock (&data->lock);
  g_atomic_int_set (&data->pending, 0);
  /* Never after the result was delivered: the caller may have let go of @progress_data. */
  if (!g_task_get_completed (task))
    data->progress (done, total, image, data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
async_progress (guint64 done, guint64 total, const char *image, gpointer user_data)
{
  GTask *task = user_data;
  AsyncSplit *data = g_task_get_task_data (task);

  g_mutex_lock (&data->lock);
  data->done = done;
  data->total = total;
  if (image != NULL)
    {
      g_free (data->image);
      data->image = g_strdup (image);
    }
  g_mutex_unlock (&data->lock);
  if (g_atomic_int_compare_and_exchange (&data->pending, 0, 1))
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_progress, g_object_ref (task), g_object_unref);
      g_source_attach (source, data->context);
      g_source_unref (source);
    }
}

static void
split_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  AsyncSplit *data = task_data;
  GError *error = NULL;

  data->report = g_new0 (BmDotaSplitReport, 1);
  if (bm_dota_split (data->dataset, data->out_dir, &data->options,
                     data->progress != NULL ? async_progress : NULL, task, cancellable,
                     data->report, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
bm_dota_split_async (BmDataset *dataset, const char *out_dir, const BmDotaSplitOptions *options,
                     BmDotaSplitProgress progress, gpointer user_data, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer callback_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncSplit *data;

  g_return_if_fail (BM_IS_DATASET (dataset));
  g_return_if_fail (out_dir != NULL && options != NULL);

  data = g_new0 (AsyncSplit, 1);
  data->dataset = g_object_ref (dataset);
  data->out_dir = g_strdup (out_dir);
  data->options = *options;
  data->progress = progress;
  data->progress_data = user_data;
  data->context = g_main_context_ref_thread_default ();
  g_mutex_init (&data->lock);
  task = g_task_new (NULL, cancellable, callback, callback_data);
  g_task_set_source_tag (task, bm_dota_split_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_split_free);
  g_task_run_in_thread (task, split_thread);
}

BmDotaSplitReport *
bm_dota_split_finish (GAsyncResult *result, GError **error)
{
  AsyncSplit *data;
  BmDotaSplitReport *report;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  g_task_propagate_boolean (G_TASK (result), error);
  report = data->report != NULL ? data->report : g_new0 (BmDotaSplitReport, 1);
  data->report = NULL;
  if (report->problems == NULL)
    report->problems = g_ptr_array_new_with_free_func (g_free);
  if (report->renamed == NULL)
    report->renamed = g_ptr_array_new_with_free_func (g_free);
  return report;
}
