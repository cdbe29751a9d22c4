/* bm-image-stream.c
 *
 * Two background threads per stream, each with its own decoder: the pass thread runs the first
 * pass, then the full-resolution pass whenever the stream is active; the region thread, for
 * formats with regions, decodes the tiles asked for that no pass is about to reach. The stream's
 * mutex guards only the state; the pyramid has its own.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bm-error.h"
#include "bm-image-decoder.h"
#include "bm-image-stream.h"

/* The overview is the most reduced size the decoder gives directly whose long side still has
 * this many pixels (a screen's worth). */
#define OVERVIEW_MIN_SIDE 1024
/* Tile requests waiting at most; older ones are dropped (they scrolled out of view). */
#define MAX_REQUESTS 64

struct _BmImageStream
{
  gint ref_count;
  GMutex mutex;
  GCond cond;

  BmImageDecoder *decoder;   /* the pass thread's (or run ()'s) */
  BmImageDecoder *region_decoder;   /* the region thread's */
  BmImagePyramid *pyramid;
  int width, height, channels, orientation;
  gboolean small;
  guint overview_level;      /* what the first pass fills, with every coarser level */
  gboolean full_pass;        /* levels [pass_level, overview) come from a second pass */
  guint pass_level;
  gboolean on_request;       /* tiles below the overview can be decoded on their own */
  gboolean cheap_regions;    /* ... for about their own cost (else all rows above them too) */

  gboolean active;
  gboolean cancelled;
  gboolean shrink;           /* left the screen: lower the budget, give memory back */
  gboolean overview_done;
  gboolean full_done;
  GError *error;
  GThread *thread;
  GThread *region_thread;
  int pass_row;              /* level-0 row the full-resolution pass has reached, -1 when idle */
  GQueue requests;           /* of packed tile keys, newest first */
  GHashTable *queued;        /* the same keys */

  BmImagePyramidNotify notify;
  gpointer notify_data;
};

G_DEFINE_BOXED_TYPE (BmImageStream, bm_image_stream, bm_image_stream_ref, bm_image_stream_unref)

static guint64
tile_key (guint level, int column, int row)
{
  return ((guint64) level << 48) | ((guint64) (guint) column << 24) | (guint64) (guint) row;
}

static void
emit_notify (BmImageStream *self)
{
  BmImagePyramidNotify notify;
  gpointer data;

  g_mutex_lock (&self->mutex);
  notify = self->notify;
  data = self->notify_data;
  g_mutex_unlock (&self->mutex);
  if (notify != NULL)
    notify (data);
}

static void
pyramid_changed_cb (gpointer user_data)
{
  emit_notify (user_data);
}

/* The reduction for the first pass: the most reduced one the decoder reads directly with a long
 * side of at least OVERVIEW_MIN_SIDE (else its least reduced one above 0). */
static guint
choose_overview (BmImageDecoder *decoder, guint n_levels)
{
  guint reductions = bm_image_decoder_get_reductions (decoder);
  guint best = 0;

  for (guint s = 1; s < n_levels && s < 32; s++)
    {
      int w, h;

      if (!(reductions & (1u << s)))
        continue;
      bm_image_decoder_reduced_size (decoder, s, &w, &h);
      if (MAX (w, h) >= OVERVIEW_MIN_SIDE || best == 0)
        best = s;
      if (MAX (w, h) < OVERVIEW_MIN_SIDE)
        break;
    }
  return best;
}

BmImageStream *
bm_image_stream_new (const char *path, const char *spill_dir, GError **error)
{
  return bm_image_stream_new_with_limit (path, spill_dir, BM_IMAGE_STREAM_SMALL_PIXELS, error);
}

BmImageStream *
bm_image_stream_new_with_limit (const char *path, const char *spill_dir, gint64 small_pixels, GError **error)
{
  g_autoptr(BmImageDecoder) decoder = NULL;
  BmImageStream *self;
  gint64 pixels;

  g_return_val_if_fail (path != NULL, NULL);

  decoder = bm_image_decoder_open (path, error);
  if (decoder == NULL)
    return NULL;

  self = g_new0 (BmImageStream, 1);
  self->ref_count = 1;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->requests);
  self->queued = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->width = bm_image_decoder_get_width (decoder);
  self->height = bm_image_decoder_get_height (decoder);
  self->channels = bm_image_decoder_get_channels (decoder);
  self->orientation = bm_image_decoder_get_orientation (decoder);
  pixels = (gint64) self->width * (gint64) self->height;
  self->small = pixels <= small_pixels;
  self->pyramid = bm_image_pyramid_new (self->width, self->height,
                                        self->small ? 0 : BM_IMAGE_STREAM_INACTIVE_BUDGET, spill_dir);
  if (!self->small)
    {
      self->overview_level = choose_overview (decoder, bm_image_pyramid_get_n_levels (self->pyramid));
      guint reductions = bm_image_decoder_get_reductions (decoder);

      self->cheap_regions = bm_image_decoder_has_cheap_regions (decoder);
      self->on_request = self->overview_level > 0 && bm_image_decoder_has_regions (decoder);
      /* Where regions cost all the rows above them (JPEG), a second pass fills the levels
       * between full size and the overview from the least reduced size but full size itself
       * (1/2 in the DCT domain): zooming out to 25-50 % is then instant everywhere. Full-size
       * tiles are always decoded as they come into view: keeping the 1.6 GB of a 20000 × 20000
       * image in a temporary file would cost more than decoding what is looked at. */
      if (!self->cheap_regions)
        for (guint s = 1; s < self->overview_level && !self->full_pass; s++)
          if (reductions & (1u << s))
            {
              self->full_pass = TRUE;
              self->pass_level = s;
            }
      /* What requests can make again is dropped rather than written out when over budget. */
      if (self->on_request)
        bm_image_pyramid_set_droppable (self->pyramid, self->full_pass ? self->pass_level : self->overview_level);
    }
  self->pass_row = -1;
  self->decoder = g_steal_pointer (&decoder);
  bm_image_pyramid_set_notify (self->pyramid, pyramid_changed_cb, self);
  return self;
}

BmImageStream *
bm_image_stream_ref (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bm_image_stream_unref (BmImageStream *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_mutex_lock (&self->mutex);
  self->cancelled = TRUE;
  self->notify = NULL;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  if (self->thread != NULL)
    g_thread_join (self->thread);
  if (self->region_thread != NULL)
    g_thread_join (self->region_thread);
  bm_image_pyramid_set_notify (self->pyramid, NULL, NULL);
  bm_image_pyramid_unref (self->pyramid);
  bm_image_decoder_free (self->decoder);
  bm_image_decoder_free (self->region_decoder);
  g_queue_clear (&self->requests);
  g_hash_table_unref (self->queued);
  g_clear_error (&self->error);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

BmImagePyramid *
bm_image_stream_get_pyramid (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pyramid;
}

int
bm_image_stream_get_width (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

int
bm_image_stream_get_height (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

int
bm_image_stream_get_channels (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->channels;
}

int
bm_image_stream_get_orientation (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->orientation;
}

gboolean
bm_image_stream_is_small (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->small;
}

guint
bm_image_stream_get_overview_level (BmImageStream *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->overview_level;
}

void
bm_image_stream_set_notify (BmImageStream *self, BmImagePyramidNotify notify, gpointer user_data)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->notify = notify;
  self->notify_data = user_data;
  g_mutex_unlock (&self->mutex);
}

/* --- passes ----------------------------------------------------------------------------------- */

/* A pass runs on two threads: the decoder's (inflating, the inverse DCT) hands bands of rows
 * over to a builder thread that turns them into tiles (conversion, halving, the temporary
 * file), so that the two halves of the work overlap on two cores. PIPE_BANDS bands in flight. */
#define PIPE_BANDS 4

typedef struct
{
  guint8 *data;
  gsize capacity;
  gsize stride;
  int y;
  int n_rows;        /* 0: the end */
} Band;

typedef struct
{
  BmImageStream *self;
  BmPyramidWriter *writer;
  guint shift;
  int channels;
  gboolean stop_when_inactive;
  gboolean stopped;
  GAsyncQueue *free_bands;
  GAsyncQueue *full_bands;
  Band bands[PIPE_BANDS + 1];
} Pass;

static gboolean
should_stop (Pass *pass)
{
  BmImageStream *self = pass->self;
  gboolean stop;

  g_mutex_lock (&self->mutex);
  stop = self->cancelled || (pass->stop_when_inactive && !self->active);
  g_mutex_unlock (&self->mutex);
  return stop;
}

static gboolean
pass_rows_cb (const guint8 *rows, gsize stride, int y, int n_rows, gpointer user_data)
{
  Pass *pass = user_data;
  Band *band;
  gsize row_bytes;

  if (should_stop (pass))
    {
      pass->stopped = TRUE;
      return FALSE;
    }
  band = g_async_queue_pop (pass->free_bands);
  row_bytes = stride;
  if (band->capacity < row_bytes * (gsize) n_rows)
    {
      band->capacity = row_bytes * (gsize) n_rows;
      band->data = g_realloc (band->data, band->capacity);
    }
  memcpy (band->data, rows, row_bytes * (gsize) n_rows);
  band->stride = stride;
  band->y = y;
  band->n_rows = n_rows;
  g_async_queue_push (pass->full_bands, band);
  return TRUE;
}

static gpointer
builder_thread_main (gpointer data)
{
  Pass *pass = data;

  for (;;)
    {
      Band *band = g_async_queue_pop (pass->full_bands);

      if (band->n_rows == 0)
        break;
      bm_pyramid_writer_push (pass->writer, band->data, band->stride, pass->channels, band->n_rows);
      if (pass->stop_when_inactive)
        g_atomic_int_set (&pass->self->pass_row, (band->y + band->n_rows) << pass->shift);
      g_async_queue_push (pass->free_bands, band);
    }
  return NULL;
}

/* Reads reduction @shift from @first_row into levels [shift, last_level]. FALSE with @error on
 * a decoding error; *@stopped when it stopped early on purpose. */
static gboolean
run_pass (BmImageStream *self, guint shift, guint last_level, int first_row, gboolean stop_when_inactive,
          GCancellable *cancellable, gboolean *stopped, GError **error)
{
  Pass pass = { self, NULL, shift, self->channels, stop_when_inactive, FALSE };
  GThread *builder;
  gboolean ok;

  pass.writer = bm_pyramid_writer_new (self->pyramid, shift, last_level, first_row);
  pass.free_bands = g_async_queue_new ();
  pass.full_bands = g_async_queue_new ();
  for (int i = 0; i < PIPE_BANDS; i++)
    g_async_queue_push (pass.free_bands, &pass.bands[i]);
  builder = g_thread_new ("bm-image-tiles", builder_thread_main, &pass);

  ok = bm_image_decoder_read_rows (self->decoder, shift, first_row, pass_rows_cb, &pass, cancellable, error);

  /* The end marker, after every band handed over. */
  pass.bands[PIPE_BANDS].n_rows = 0;
  g_async_queue_push (pass.full_bands, &pass.bands[PIPE_BANDS]);
  g_thread_join (builder);
  for (int i = 0; i < PIPE_BANDS; i++)
    g_free (pass.bands[i].data);
  g_async_queue_unref (pass.free_bands);
  g_async_queue_unref (pass.full_bands);
  bm_pyramid_writer_free (pass.writer);
  *stopped = pass.stopped;
  return ok;
}

static void
set_error (BmImageStream *self, GError *error)
{
  g_mutex_lock (&self->mutex);
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&self->mutex);
}

/* Where a stopped second pass picks up: the first row with an unfinished tile at any of its
 * levels, so that each level restarts on a tile boundary (in rows of the pass's level). */
static int
full_pass_restart_row (BmImageStream *self)
{
  guint first = self->pass_level, last = self->overview_level - 1;
  int align = BM_TILE_SIZE << (last - first), height;
  gint64 row;

  bm_image_pyramid_get_level_size (self->pyramid, first, NULL, &height, NULL, NULL);
  row = height;
  for (guint l = first; l <= last; l++)
    row = MIN (row, (gint64) bm_image_pyramid_get_complete_rows (self->pyramid, l) << (l - first));
  return row >= height ? height : (int) (row / align * align);
}

static void
run_full_pass (BmImageStream *self)
{
  g_autoptr(GError) error = NULL;
  gboolean stopped = FALSE;
  int first_row = full_pass_restart_row (self), height;

  bm_image_pyramid_get_level_size (self->pyramid, self->pass_level, NULL, &height, NULL, NULL);
  if (first_row < height
      && !run_pass (self, self->pass_level, self->overview_level - 1, first_row, TRUE, NULL, &stopped, &error))
    {
      set_error (self, g_steal_pointer (&error));
      stopped = FALSE;   /* failed: done trying */
    }
  g_atomic_int_set (&self->pass_row, -1);
  if (stopped)
    bm_image_pyramid_discard_partial (self->pyramid, self->pass_level, self->overview_level - 1);
  g_mutex_lock (&self->mutex);
  if (!stopped)
    self->full_done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  emit_notify (self);
}

/* Tiles [@c0, @c1] of tile row @row of @level, from one region of the finest reduction at or
 * above the level (TIFF), or of the level's own DCT scale (JPEG: one pass over the rows above
 * serves the whole row of tiles). */
static void
make_tiles (BmImageStream *self, guint level, int row, int c0, int c1)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) region = NULL;
  guint reductions = bm_image_decoder_get_reductions (self->region_decoder);
  guint source = level, k;
  int lw, lh, sw, sh, x, y, w, h;

  while (c0 <= c1 && bm_image_pyramid_tile_is_complete (self->pyramid, level, c0, row))
    c0++;
  while (c1 >= c0 && bm_image_pyramid_tile_is_complete (self->pyramid, level, c1, row))
    c1--;
  if (c0 > c1)
    return;
  while (source > 0 && !(reductions & (1u << source)))
    source--;
  k = level - source;
  bm_image_decoder_reduced_size (self->region_decoder, source, &sw, &sh);
  bm_image_pyramid_get_level_size (self->pyramid, level, &lw, &lh, NULL, NULL);
  x = (c0 * BM_TILE_SIZE) << k;
  y = (row * BM_TILE_SIZE) << k;
  w = MIN ((MIN ((c1 + 1) * BM_TILE_SIZE, lw) << k), sw) - x;
  h = MIN ((MIN ((row + 1) * BM_TILE_SIZE, lh) << k), sh) - y;
  region = bm_image_decoder_read_region (self->region_decoder, source, x, y, w, h, &error);
  if (region == NULL)
    {
      set_error (self, g_steal_pointer (&error));
      return;
    }
  for (int c = c0; c <= c1; c++)
    {
      int tx = ((c * BM_TILE_SIZE) << k) - x, tw = MIN ((BM_TILE_SIZE << k), w - tx);
      g_autoptr(BmImage) part = bm_image_new (tw, h, region->channels);

      for (int r = 0; r < h; r++)
        memcpy (part->data + (gsize) r * part->stride,
                region->data + (gsize) r * region->stride + (gsize) tx * region->channels, (gsize) tw * region->channels);
      bm_image_pyramid_put_tile (self->pyramid, level, c, row, part, k);
    }
}

static gpointer
pass_thread_main (gpointer data)
{
  BmImageStream *self = data;
  g_autoptr(GError) error = NULL;
  gboolean stopped = FALSE;
  guint n_levels = bm_image_pyramid_get_n_levels (self->pyramid);

  if (!run_pass (self, self->overview_level, n_levels - 1, 0, FALSE, NULL, &stopped, &error))
    set_error (self, g_steal_pointer (&error));
  g_mutex_lock (&self->mutex);
  self->overview_done = TRUE;
  if (!self->full_pass || self->error != NULL || stopped)
    self->full_done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  emit_notify (self);

  for (;;)
    {
      gboolean shrink;

      g_mutex_lock (&self->mutex);
      while (!self->cancelled && !(self->active && !self->full_done) && !self->shrink)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->cancelled)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      shrink = self->shrink;
      self->shrink = FALSE;
      g_mutex_unlock (&self->mutex);
      if (shrink)
        {
          /* Here, not on the main thread: lowering the budget may write hundreds of MB out. */
          if (!bm_image_stream_is_active (self))
            bm_image_pyramid_set_budget (self->pyramid, BM_IMAGE_STREAM_INACTIVE_BUDGET);
#ifdef __GLIBC__
          /* Tiles freed by other threads sit in their malloc arenas: stepping through a folder of
           * huge images would otherwise keep the high-water mark of every one of them. */
          malloc_trim (0);
#endif
          continue;
        }
      run_full_pass (self);
    }
  return NULL;
}

/* Whether the second pass makes tile row @row of @level soon (within two of its tile rows):
 * decoding it on its own too would only cost twice. */
static gboolean
pass_is_near (BmImageStream *self, guint level, int row)
{
  int pass_row = g_atomic_int_get (&self->pass_row);

  return self->full_pass && level >= self->pass_level && pass_row >= 0
         && ((gint64) (row * BM_TILE_SIZE) << level) < pass_row + ((gint64) 2 * BM_TILE_SIZE << self->pass_level);
}

static gpointer
region_thread_main (gpointer data)
{
  BmImageStream *self = data;

  for (;;)
    {
      guint64 key;
      guint level;
      int row, c0, c1;

      g_mutex_lock (&self->mutex);
      while (!self->cancelled && !(self->active && self->overview_done && !g_queue_is_empty (&self->requests)))
        g_cond_wait (&self->cond, &self->mutex);
      if (self->cancelled)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      /* The newest request, with every other one of the same tile row. */
      {
        guint64 *head = g_queue_pop_head (&self->requests);

        key = *head;
        g_hash_table_remove (self->queued, head);
      }
      level = (guint) (key >> 48);
      row = (int) (key & 0xFFFFFF);
      c0 = c1 = (int) ((key >> 24) & 0xFFFFFF);
      for (GList *l = self->requests.head; l != NULL;)
        {
          GList *next = l->next;
          guint64 other = *(guint64 *) l->data;

          if ((guint) (other >> 48) == level && (int) (other & 0xFFFFFF) == row)
            {
              int c = (int) ((other >> 24) & 0xFFFFFF);

              c0 = MIN (c0, c), c1 = MAX (c1, c);
              g_hash_table_remove (self->queued, l->data);
              g_queue_delete_link (&self->requests, l);
            }
          l = next;
        }
      g_mutex_unlock (&self->mutex);

      if (!pass_is_near (self, level, row))
        make_tiles (self, level, row, c0, c1);
    }
  return NULL;
}

gboolean
bm_image_stream_run (BmImageStream *self, GCancellable *cancellable, GError **error)
{
  gboolean stopped = FALSE, ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  ok = run_pass (self, 0, bm_image_pyramid_get_n_levels (self->pyramid) - 1, 0, FALSE, cancellable, &stopped, error);
  g_mutex_lock (&self->mutex);
  self->overview_done = self->full_done = TRUE;
  self->overview_level = 0;
  self->full_pass = self->on_request = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  return ok;
}

void
bm_image_stream_start (BmImageStream *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->thread == NULL && !self->overview_done);

  self->thread = g_thread_new ("bm-image-pass", pass_thread_main, self);
  if (self->on_request)
    {
      g_autoptr(GError) error = NULL;

      self->region_decoder = bm_image_decoder_open (bm_image_decoder_get_path (self->decoder), &error);
      if (self->region_decoder != NULL)
        self->region_thread = g_thread_new ("bm-image-regions", region_thread_main, self);
      else
        self->on_request = FALSE;
    }
}

void
bm_image_stream_set_active (BmImageStream *self, gboolean active)
{
  gboolean was_active;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  was_active = self->active;
  self->active = active;
  if (!active)
    {
      g_queue_clear_full (&self->requests, NULL);
      g_hash_table_remove_all (self->queued);
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  if (self->small || active == was_active)
    return;
  if (active)
    bm_image_pyramid_set_budget (self->pyramid, BM_IMAGE_STREAM_ACTIVE_BUDGET);
  else if (self->thread != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->shrink = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }
  else
    bm_image_pyramid_set_budget (self->pyramid, BM_IMAGE_STREAM_INACTIVE_BUDGET);
}

void
bm_image_stream_request_tile (BmImageStream *self, guint level, int column, int row)
{
  guint64 key = tile_key (level, column, row);

  g_return_if_fail (self != NULL);

  if (!self->on_request || level >= self->overview_level)
    return;
  g_mutex_lock (&self->mutex);
  if (self->active && !g_hash_table_contains (self->queued, &key))
    {
      guint64 *stored = g_memdup2 (&key, sizeof key);

      g_hash_table_add (self->queued, stored);
      g_queue_push_head (&self->requests, stored);
      while (g_queue_get_length (&self->requests) > MAX_REQUESTS)
        g_hash_table_remove (self->queued, g_queue_pop_tail (&self->requests));
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
}

gboolean
bm_image_stream_is_active (BmImageStream *self)
{
  gboolean active;

  g_return_val_if_fail (self != NULL, FALSE);
  g_mutex_lock (&self->mutex);
  active = self->active;
  g_mutex_unlock (&self->mutex);
  return active;
}

gboolean
bm_image_stream_is_overview_done (BmImageStream *self)
{
  gboolean done;

  g_return_val_if_fail (self != NULL, FALSE);
  g_mutex_lock (&self->mutex);
  done = self->overview_done;
  g_mutex_unlock (&self->mutex);
  return done;
}

gboolean
bm_image_stream_is_done (BmImageStream *self)
{
  gboolean done;

  g_return_val_if_fail (self != NULL, FALSE);
  g_mutex_lock (&self->mutex);
  done = self->overview_done && (self->full_done || !self->full_pass);
  g_mutex_unlock (&self->mutex);
  return done;
}

GError *
bm_image_stream_get_error (BmImageStream *self)
{
  GError *error;

  g_return_val_if_fail (self != NULL, NULL);
  g_mutex_lock (&self->mutex);
  error = self->error != NULL ? g_error_copy (self->error) : NULL;
  g_mutex_unlock (&self->mutex);
  return error;
}

void
bm_image_stream_wait (BmImageStream *self, gboolean all)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  while (!self->overview_done || (all && self->full_pass && !self->full_done && self->error == NULL))
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}
