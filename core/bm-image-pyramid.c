/* bm-image-pyramid.c
 *
 * Locking: one mutex guards the tile table (which tiles hold pixels, how many rows are written,
 * where they sit in the temporary file). Pixels are copied and halved outside it: only the
 * writer touches rows at or below a tile's valid_rows, and readers never look past it. The
 * temporary file is written and read outside the mutex too, with the tile marked busy meanwhile.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bm-image-pyramid.h"

/* Levels stop once the whole image fits in this. */
#define SMALLEST_LEVEL 512
/* The coarse levels kept in memory whatever the budget: they are what is drawn while finer
 * tiles load. */
#define PINNED_BYTES ((guint64) 64 * 1024 * 1024)
#define MAX_LEVELS 32
#define WRITER_BAND 64
#define MAX_SPARE_BUFFERS 8
#define FULL_TILE_BYTES ((gsize) BM_TILE_SIZE * BM_TILE_SIZE * 4)

typedef struct
{
  GBytes *bytes;        /* the pixels in memory (owning them), NULL when not */
  guint32 *pixels;      /* the data of bytes, for the writer */
  int valid_rows;       /* written from the top, in memory or in the file */
  gint64 offset;        /* in the temporary file, -1 when not there */
  guint64 last_use;
  guint serial;
  gboolean loading;     /* being read back */
  gboolean writing;     /* being written out */
  gboolean packed;      /* in the file as 3 bytes a pixel (it was opaque) */
} Tile;

typedef struct
{
  int width, height;
  int columns, rows;
  gboolean pinned;
  Tile *tiles;
} Level;

struct _BmImagePyramid
{
  gint ref_count;
  GMutex mutex;
  int width;
  int height;
  guint n_levels;
  Level levels[MAX_LEVELS];

  gsize budget;
  gboolean translucent;     /* some pixels were given alpha: tiles go out with theirs */
  guint droppable;          /* levels below it are dropped, not written out */
  gsize resident;           /* bytes of pixels in memory, pinned levels included */
  gsize resident_unpinned;
  gsize peak_resident;
  guint64 clock;

  char *spill_dir;
  int spill_fd;             /* -1 until the first tile goes out */
  guint64 spill_end;
  gboolean spill_failed;
  GThreadPool *loader;

  BmImagePyramidNotify notify;
  gpointer notify_data;

  /* Full-size tile buffers given back by tiles sent to the file: reused rather than freed, so
   * that a pass does not fault in fresh pages for every tile. */
  GPtrArray *spare;
};

G_DEFINE_BOXED_TYPE (BmImagePyramid, bm_image_pyramid, bm_image_pyramid_ref, bm_image_pyramid_unref)

static void load_tile_in_thread (gpointer data, gpointer user_data);

static gsize
tile_bytes (int width, int height)
{
  return (gsize) width * (gsize) height * 4;
}

static Tile *
tile_at (BmImagePyramid *self, guint level, int column, int row)
{
  Level *l = &self->levels[level];

  return &l->tiles[(gsize) row * (gsize) l->columns + (gsize) column];
}

static void
tile_geometry (BmImagePyramid *self, guint level, int column, int row, int *x, int *y, int *width, int *height)
{
  const Level *l = &self->levels[level];

  *x = column * BM_TILE_SIZE;
  *y = row * BM_TILE_SIZE;
  *width = MIN (BM_TILE_SIZE, l->width - *x);
  *height = MIN (BM_TILE_SIZE, l->height - *y);
}

BmImagePyramid *
bm_image_pyramid_new (int width, int height, gsize budget, const char *spill_dir)
{
  BmImagePyramid *self;
  guint64 pinned = 0;
  int w = width, h = height;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  self = g_new0 (BmImagePyramid, 1);
  self->ref_count = 1;
  g_mutex_init (&self->mutex);
  self->width = width;
  self->height = height;
  self->budget = budget;
  self->spill_fd = -1;
  self->spill_dir = g_strdup (spill_dir);
  self->spare = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      Level *level = &self->levels[self->n_levels++];

      level->width = w;
      level->height = h;
      level->columns = (w + BM_TILE_SIZE - 1) / BM_TILE_SIZE;
      level->rows = (h + BM_TILE_SIZE - 1) / BM_TILE_SIZE;
      level->tiles = g_new0 (Tile, (gsize) level->columns * (gsize) level->rows);
      for (gsize i = 0; i < (gsize) level->columns * (gsize) level->rows; i++)
        level->tiles[i].offset = -1;
      if (MAX (w, h) <= SMALLEST_LEVEL || self->n_levels == MAX_LEVELS)
        break;
      w = (w + 1) / 2;
      h = (h + 1) / 2;
    }

  /* The coarsest levels up to PINNED_BYTES (the last one always). */
  for (int i = (int) self->n_levels - 1; i >= 0; i--)
    {
      Level *level = &self->levels[i];

      pinned += tile_bytes (level->width, level->height);
      if (i < (int) self->n_levels - 1 && pinned > PINNED_BYTES)
        break;
      level->pinned = TRUE;
    }
  return self;
}

BmImagePyramid *
bm_image_pyramid_ref (BmImagePyramid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bm_image_pyramid_unref (BmImagePyramid *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  if (self->loader != NULL)
    g_thread_pool_free (self->loader, TRUE, TRUE);
  for (guint l = 0; l < self->n_levels; l++)
    {
      Level *level = &self->levels[l];

      for (gsize i = 0; i < (gsize) level->columns * (gsize) level->rows; i++)
        g_clear_pointer (&level->tiles[i].bytes, g_bytes_unref);
      g_free (level->tiles);
    }
  if (self->spill_fd >= 0)
    close (self->spill_fd);
  g_ptr_array_unref (self->spare);
  g_free (self->spill_dir);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

int
bm_image_pyramid_get_width (BmImagePyramid *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

int
bm_image_pyramid_get_height (BmImagePyramid *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

guint
bm_image_pyramid_get_n_levels (BmImagePyramid *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_levels;
}

void
bm_image_pyramid_get_level_size (BmImagePyramid *self, guint level, int *width, int *height, int *n_columns, int *n_rows)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (level < self->n_levels);

  if (width != NULL)
    *width = self->levels[level].width;
  if (height != NULL)
    *height = self->levels[level].height;
  if (n_columns != NULL)
    *n_columns = self->levels[level].columns;
  if (n_rows != NULL)
    *n_rows = self->levels[level].rows;
}

void
bm_image_pyramid_set_notify (BmImagePyramid *self, BmImagePyramidNotify notify, gpointer user_data)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->notify = notify;
  self->notify_data = user_data;
  g_mutex_unlock (&self->mutex);
}

static void
emit_notify (BmImagePyramid *self)
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

/* --- memory accounting and the temporary file ---------------------------------------------- */

static void
account (BmImagePyramid *self, guint level, gssize delta)
{
  self->resident = (gsize) ((gssize) self->resident + delta);
  if (!self->levels[level].pinned)
    self->resident_unpinned = (gsize) ((gssize) self->resident_unpinned + delta);
  self->peak_resident = MAX (self->peak_resident, self->resident);
}

/* With the mutex held. */
static guint32 *
allocate_pixels (BmImagePyramid *self, gsize size)
{
  if (size == FULL_TILE_BYTES && self->spare->len > 0)
    return g_ptr_array_steal_index_fast (self->spare, self->spare->len - 1);
  return g_malloc (size);
}

/* With the mutex held: drops our reference, keeping the buffer when nobody else holds it. */
static void
release_pixels (BmImagePyramid *self, GBytes *bytes)
{
  gsize size;
  gpointer data;

  if (g_bytes_get_size (bytes) != FULL_TILE_BYTES || self->spare->len >= MAX_SPARE_BUFFERS)
    {
      g_bytes_unref (bytes);
      return;
    }
  /* No copy when ours is the last reference (a texture may still hold it). */
  data = g_bytes_unref_to_data (bytes, &size);
  g_ptr_array_add (self->spare, data);
}

static int
open_spill_file (BmImagePyramid *self)
{
  const char *env = g_getenv ("BM_TILE_SPILL_DIR");
  g_autofree char *dir = g_strdup (self->spill_dir != NULL ? self->spill_dir
                                   : env != NULL ? env
                                   : NULL);
  g_autofree char *template = NULL;
  int fd;

  if (dir == NULL)
    {
      dir = g_build_filename (g_get_user_cache_dir (), "boxmark", NULL);
      g_mkdir_with_parents (dir, 0700);
    }
#ifdef O_TMPFILE
  /* Unnamed: nothing is left behind, even after a crash. */
  fd = g_open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    return fd;
#endif
  template = g_build_filename (dir, "boxmark-tiles-XXXXXX", NULL);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    g_unlink (template);
  return fd;
}

static gboolean
pwrite_all (int fd, const guint8 *data, gsize length, guint64 offset)
{
  while (length > 0)
    {
      ssize_t n = pwrite (fd, data, length, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n, length -= (gsize) n, offset += (guint64) n;
    }
  return TRUE;
}

static gboolean
pread_all (int fd, guint8 *data, gsize length, guint64 offset)
{
  while (length > 0)
    {
      ssize_t n = pread (fd, data, length, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n, length -= (gsize) n, offset += (guint64) n;
    }
  return TRUE;
}

typedef struct
{
  guint level;
  int column, row;
  GBytes *bytes;
  gint64 offset;       /* where to write it, -1 when it is already in the file */
} Victim;

static int
compare_last_use (gconstpointer a, gconstpointer b)
{
  const Tile *ta = *(Tile *const *) a, *tb = *(Tile *const *) b;

  return ta->last_use < tb->last_use ? -1 : ta->last_use > tb->last_use;
}

/* With the mutex held: takes the least recently used complete tiles out of memory until the
 * budget is met, returning what must be written to the file. */
static GArray *
choose_victims (BmImagePyramid *self)
{
  g_autoptr(GPtrArray) candidates = NULL;
  GArray *victims = g_array_new (FALSE, FALSE, sizeof (Victim));

  if (self->budget == 0 || self->resident_unpinned <= self->budget || self->spill_failed)
    return victims;

  candidates = g_ptr_array_new ();
  for (guint l = 0; l < self->n_levels; l++)
    {
      Level *level = &self->levels[l];

      if (level->pinned)
        continue;
      for (int r = 0; r < level->rows; r++)
        for (int c = 0; c < level->columns; c++)
          {
            Tile *tile = tile_at (self, l, c, r);
            int x, y, w, h;

            tile_geometry (self, l, c, r, &x, &y, &w, &h);
            if (tile->bytes != NULL && tile->valid_rows == h && !tile->writing && !tile->loading)
              g_ptr_array_add (candidates, tile);
          }
    }
  g_ptr_array_sort (candidates, compare_last_use);

  for (guint i = 0; i < candidates->len && self->resident_unpinned > self->budget; i++)
    {
      Tile *tile = candidates->pdata[i];
      Victim victim = { 0 };
      int x, y, w, h;

      /* Find the tile's place again (the array only held pointers). */
      for (guint l = 0; l < self->n_levels; l++)
        {
          Level *level = &self->levels[l];
          gsize n = (gsize) level->columns * (gsize) level->rows;

          if (tile >= level->tiles && tile < level->tiles + n)
            {
              gsize index = (gsize) (tile - level->tiles);

              victim.level = l;
              victim.column = (int) (index % (gsize) level->columns);
              victim.row = (int) (index / (gsize) level->columns);
              break;
            }
        }
      tile_geometry (self, victim.level, victim.column, victim.row, &x, &y, &w, &h);
      victim.bytes = g_steal_pointer (&tile->bytes);
      tile->pixels = NULL;
      if (victim.level < self->droppable)
        {
          /* Made again on request: forget it. */
          victim.offset = -1;
          tile->valid_rows = 0;
          tile->serial++;
        }
      else if (tile->offset >= 0)
        victim.offset = -1;            /* unchanged since it was read back */
      else
        {
          /* An opaque tile goes out without its alpha bytes: a quarter less to write. */
          tile->packed = !self->translucent;
          victim.offset = (gint64) self->spill_end;
          self->spill_end += tile->packed ? (gsize) w * h * 3 : tile_bytes (w, h);
          tile->writing = TRUE;
        }
      account (self, victim.level, -(gssize) tile_bytes (w, h));
      g_array_append_val (victims, victim);
    }
  return victims;
}

/* Without the mutex: writes the victims out. A tile that cannot be written comes back into
 * memory, and the budget is given up (a full disk must not lose pixels). */
static void
write_victims (BmImagePyramid *self, GArray *victims)
{
  g_autofree guint8 *scratch = NULL;

  for (guint i = 0; i < victims->len; i++)
    {
      Victim *v = &g_array_index (victims, Victim, i);
      gboolean ok = TRUE;

      if (v->offset >= 0)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (v->bytes, &size);
          gboolean packed;

          g_mutex_lock (&self->mutex);
          if (self->spill_fd < 0 && !self->spill_failed)
            {
              self->spill_fd = open_spill_file (self);
              if (self->spill_fd < 0)
                self->spill_failed = TRUE;
            }
          packed = tile_at (self, v->level, v->column, v->row)->packed;
          g_mutex_unlock (&self->mutex);
          if (packed)
            {
              const guint32 *argb = (const guint32 *) data;

              size = size / 4 * 3;
              if (scratch == NULL)
                scratch = g_malloc (FULL_TILE_BYTES / 4 * 3);
              for (gsize p = 0, n = size / 3; p < n; p++)
                memcpy (scratch + 3 * p, argb + p, 3);   /* B G R of little-endian B G R A */
              data = scratch;
            }
          ok = self->spill_fd >= 0 && pwrite_all (self->spill_fd, data, size, (guint64) v->offset);
        }

      g_mutex_lock (&self->mutex);
      {
        Tile *tile = tile_at (self, v->level, v->column, v->row);

        tile->writing = FALSE;
        if (ok)
          {
            if (v->offset >= 0)
              tile->offset = v->offset;
            release_pixels (self, g_steal_pointer (&v->bytes));
          }
        else
          {
            if (!self->spill_failed)
              g_warning ("Cannot write image tiles to a temporary file (%s): keeping them in memory",
                         g_strerror (errno));
            self->spill_failed = TRUE;
            tile->bytes = g_steal_pointer (&v->bytes);
            tile->pixels = (guint32 *) g_bytes_get_data (tile->bytes, NULL);
            account (self, v->level, (gssize) g_bytes_get_size (tile->bytes));
          }
      }
      g_mutex_unlock (&self->mutex);
    }
  g_array_unref (victims);
}

static void
enforce_budget (BmImagePyramid *self)
{
  GArray *victims;

  g_mutex_lock (&self->mutex);
  victims = choose_victims (self);
  g_mutex_unlock (&self->mutex);
  write_victims (self, victims);
}

void
bm_image_pyramid_set_droppable (BmImagePyramid *self, guint level)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->droppable = level;
  g_mutex_unlock (&self->mutex);
}

void
bm_image_pyramid_set_budget (BmImagePyramid *self, gsize budget)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->budget = budget;
  g_mutex_unlock (&self->mutex);
  enforce_budget (self);
}

gsize
bm_image_pyramid_get_budget (BmImagePyramid *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->budget;
}

gsize
bm_image_pyramid_get_resident_bytes (BmImagePyramid *self)
{
  gsize n;

  g_return_val_if_fail (self != NULL, 0);
  g_mutex_lock (&self->mutex);
  n = self->resident;
  g_mutex_unlock (&self->mutex);
  return n;
}

gsize
bm_image_pyramid_get_peak_resident_bytes (BmImagePyramid *self)
{
  gsize n;

  g_return_val_if_fail (self != NULL, 0);
  g_mutex_lock (&self->mutex);
  n = self->peak_resident;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint64
bm_image_pyramid_get_spilled_bytes (BmImagePyramid *self)
{
  guint64 n;

  g_return_val_if_fail (self != NULL, 0);
  g_mutex_lock (&self->mutex);
  n = self->spill_end;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint64
bm_image_pyramid_get_total_bytes (BmImagePyramid *self)
{
  guint64 total = 0;

  g_return_val_if_fail (self != NULL, 0);
  for (guint l = 0; l < self->n_levels; l++)
    total += tile_bytes (self->levels[l].width, self->levels[l].height);
  return total;
}

/* --- reading ---------------------------------------------------------------------------------- */

typedef struct
{
  guint level;
  int column, row;
} LoadRequest;

static void
load_tile_in_thread (gpointer data, gpointer user_data)
{
  g_autofree LoadRequest *request = data;
  BmImagePyramid *self = user_data;
  guint8 *pixels;
  gint64 offset;
  gboolean ok, packed;
  int x, y, w, h;

  tile_geometry (self, request->level, request->column, request->row, &x, &y, &w, &h);
  g_mutex_lock (&self->mutex);
  offset = tile_at (self, request->level, request->column, request->row)->offset;
  packed = tile_at (self, request->level, request->column, request->row)->packed;
  g_mutex_unlock (&self->mutex);

  pixels = g_try_malloc (tile_bytes (w, h));
  if (packed)
    {
      gsize n = (gsize) w * h;

      /* Read into the last three quarters, then spread out front to back. */
      ok = pixels != NULL && offset >= 0 && pread_all (self->spill_fd, pixels + n, n * 3, (guint64) offset);
      for (gsize p = 0; ok && p < n; p++)
        {
          const guint8 *in = pixels + n + 3 * p;

          ((guint32 *) pixels)[p] = 0xff000000u | ((guint32) in[2] << 16) | ((guint32) in[1] << 8) | in[0];
        }
    }
  else
    ok = pixels != NULL && offset >= 0 && pread_all (self->spill_fd, pixels, tile_bytes (w, h), (guint64) offset);

  g_mutex_lock (&self->mutex);
  {
    Tile *tile = tile_at (self, request->level, request->column, request->row);

    tile->loading = FALSE;
    if (ok)
      {
        tile->bytes = g_bytes_new_take (pixels, tile_bytes (w, h));
        tile->pixels = (guint32 *) pixels;
        tile->last_use = ++self->clock;
        tile->serial++;
        account (self, request->level, (gssize) tile_bytes (w, h));
      }
    else
      g_free (pixels);
  }
  g_mutex_unlock (&self->mutex);

  enforce_budget (self);
  emit_notify (self);
}

/* With the mutex held. */
static void
request_load (BmImagePyramid *self, guint level, int column, int row)
{
  Tile *tile = tile_at (self, level, column, row);
  LoadRequest *request;

  if (tile->bytes != NULL || tile->offset < 0 || tile->loading || tile->writing || self->spill_fd < 0)
    return;
  tile->loading = TRUE;
  if (self->loader == NULL)
    self->loader = g_thread_pool_new (load_tile_in_thread, self, 1, FALSE, NULL);
  request = g_new (LoadRequest, 1);
  *request = (LoadRequest) { level, column, row };
  g_thread_pool_push (self->loader, request, NULL);
}

gboolean
bm_image_pyramid_get_tile (BmImagePyramid *self, guint level, int column, int row, BmPyramidTile *out)
{
  Tile *tile;
  gboolean found;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (level < self->n_levels, FALSE);
  g_return_val_if_fail (column >= 0 && column < self->levels[level].columns, FALSE);
  g_return_val_if_fail (row >= 0 && row < self->levels[level].rows, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  tile_geometry (self, level, column, row, &out->x, &out->y, &out->width, &out->height);
  g_mutex_lock (&self->mutex);
  tile = tile_at (self, level, column, row);
  found = tile->bytes != NULL && tile->valid_rows > 0;
  if (found)
    {
      out->pixels = g_bytes_ref (tile->bytes);
      out->valid_rows = tile->valid_rows;
      out->serial = tile->serial;
      tile->last_use = ++self->clock;
    }
  else
    request_load (self, level, column, row);
  g_mutex_unlock (&self->mutex);
  return found;
}

gboolean
bm_image_pyramid_tile_is_complete (BmImagePyramid *self, guint level, int column, int row)
{
  gboolean complete;
  int x, y, w, h;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (level < self->n_levels, FALSE);

  tile_geometry (self, level, column, row, &x, &y, &w, &h);
  g_mutex_lock (&self->mutex);
  complete = tile_at (self, level, column, row)->valid_rows == h;
  g_mutex_unlock (&self->mutex);
  return complete;
}

void
bm_pyramid_tile_clear (BmPyramidTile *tile)
{
  g_clear_pointer (&tile->pixels, g_bytes_unref);
}

gboolean
bm_image_pyramid_visible_tiles (BmImagePyramid *self, guint level,
                                double x1, double y1, double x2, double y2,
                                int *first_column, int *first_row, int *last_column, int *last_row)
{
  const Level *l;
  double sx, sy;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (level < self->n_levels, FALSE);

  l = &self->levels[level];
  x1 = MAX (x1, 0.0), y1 = MAX (y1, 0.0);
  x2 = MIN (x2, (double) self->width), y2 = MIN (y2, (double) self->height);
  if (!(x1 < x2 && y1 < y2))
    return FALSE;
  sx = (double) l->width / self->width;
  sy = (double) l->height / self->height;
  *first_column = CLAMP ((int) floor (x1 * sx / BM_TILE_SIZE), 0, l->columns - 1);
  *first_row = CLAMP ((int) floor (y1 * sy / BM_TILE_SIZE), 0, l->rows - 1);
  /* [x1, x2) is half-open: an edge on a tile boundary does not touch the next tile. */
  *last_column = CLAMP ((int) ceil (x2 * sx / BM_TILE_SIZE) - 1, 0, l->columns - 1);
  *last_row = CLAMP ((int) ceil (y2 * sy / BM_TILE_SIZE) - 1, 0, l->rows - 1);
  return TRUE;
}

int
bm_image_pyramid_get_complete_rows (BmImagePyramid *self, guint level)
{
  const Level *l;
  int rows;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (level < self->n_levels, 0);

  l = &self->levels[level];
  rows = l->height;
  g_mutex_lock (&self->mutex);
  for (int r = 0; r < l->rows && rows == l->height; r++)
    for (int c = 0; c < l->columns; c++)
      {
        int x, y, w, h;

        tile_geometry (self, level, c, r, &x, &y, &w, &h);
        if (tile_at (self, level, c, r)->valid_rows < h)
          {
            rows = y;
            break;
          }
      }
  g_mutex_unlock (&self->mutex);
  return rows;
}

gboolean
bm_image_pyramid_level_is_complete (BmImagePyramid *self, guint level)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (level < self->n_levels, FALSE);

  return bm_image_pyramid_get_complete_rows (self, level) == self->levels[level].height;
}

void
bm_image_pyramid_discard_partial (BmImagePyramid *self, guint first, guint last)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  for (guint l = first; l <= last && l < self->n_levels; l++)
    for (int r = 0; r < self->levels[l].rows; r++)
      for (int c = 0; c < self->levels[l].columns; c++)
        {
          Tile *tile = tile_at (self, l, c, r);
          int x, y, w, h;

          tile_geometry (self, l, c, r, &x, &y, &w, &h);
          if (tile->bytes == NULL || tile->valid_rows == h)
            continue;
          g_clear_pointer (&tile->bytes, g_bytes_unref);
          tile->pixels = NULL;
          tile->valid_rows = 0;
          tile->serial++;
          account (self, l, -(gssize) tile_bytes (w, h));
        }
  g_mutex_unlock (&self->mutex);
}

/* --- writing ---------------------------------------------------------------------------------- */

struct _BmPyramidWriter
{
  BmImagePyramid *pyramid;
  guint first_level;
  guint last_level;
  int next_row[MAX_LEVELS];     /* next row expected at each level */
  guint32 *carry[MAX_LEVELS];   /* an even row waiting for its odd partner */
  gboolean has_carry[MAX_LEVELS];
  guint32 *argb;                /* WRITER_BAND rows of the first level, converted */
  guint32 *halves[MAX_LEVELS];  /* halved rows going to level + 1 */
  gsize halves_rows[MAX_LEVELS];
};

BmPyramidWriter *
bm_pyramid_writer_new (BmImagePyramid *pyramid, guint level, guint last_level, int first_row)
{
  BmPyramidWriter *writer;

  g_return_val_if_fail (pyramid != NULL, NULL);
  g_return_val_if_fail (level <= last_level && last_level < pyramid->n_levels, NULL);
  g_return_val_if_fail (first_row >= 0 && first_row % BM_TILE_SIZE == 0, NULL);
  g_return_val_if_fail ((first_row >> (last_level - level)) % BM_TILE_SIZE == 0, NULL);

  writer = g_new0 (BmPyramidWriter, 1);
  writer->pyramid = bm_image_pyramid_ref (pyramid);
  writer->first_level = level;
  writer->last_level = last_level;
  for (guint l = level; l <= last_level; l++)
    {
      writer->next_row[l] = first_row >> (l - level);
      writer->carry[l] = g_new (guint32, (gsize) pyramid->levels[l].width);
    }
  return writer;
}

void
bm_pyramid_writer_free (BmPyramidWriter *writer)
{
  if (writer == NULL)
    return;
  for (guint l = 0; l < MAX_LEVELS; l++)
    {
      g_free (writer->carry[l]);
      g_free (writer->halves[l]);
    }
  g_free (writer->argb);
  bm_image_pyramid_unref (writer->pyramid);
  g_free (writer);
}

int
bm_pyramid_writer_get_row (BmPyramidWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->next_row[writer->first_level];
}

static inline guint32
premultiply (guint r, guint g, guint b, guint a)
{
  if (a != 255)
    {
      r = (r * a + 127) / 255;
      g = (g * a + 127) / 255;
      b = (b * a + 127) / 255;
    }
  return (a << 24) | (r << 16) | (g << 8) | b;
}

static void
convert_row (guint32 *out, const guint8 *in, int n, int channels)
{
  switch (channels)
    {
    case 1:
      for (int i = 0; i < n; i++)
        out[i] = 0xff000000u | ((guint32) in[i] << 16) | ((guint32) in[i] << 8) | in[i];
      break;
    case 2:
      for (int i = 0; i < n; i++)
        out[i] = premultiply (in[2 * i], in[2 * i], in[2 * i], in[2 * i + 1]);
      break;
    case 3:
      for (int i = 0; i < n; i++)
        out[i] = 0xff000000u | ((guint32) in[3 * i] << 16) | ((guint32) in[3 * i + 1] << 8) | in[3 * i + 2];
      break;
    default:
      for (int i = 0; i < n; i++)
        out[i] = premultiply (in[4 * i], in[4 * i + 1], in[4 * i + 2], in[4 * i + 3]);
      break;
    }
}

static inline guint32
average4 (guint32 a, guint32 b, guint32 c, guint32 d)
{
  /* Two channels per 32-bit word, 16 bits each: room for the sum of four, rounded. */
  guint32 rb = (a & 0x00ff00ffu) + (b & 0x00ff00ffu) + (c & 0x00ff00ffu) + (d & 0x00ff00ffu) + 0x00020002u;
  guint32 ag = ((a >> 8) & 0x00ff00ffu) + ((b >> 8) & 0x00ff00ffu) + ((c >> 8) & 0x00ff00ffu) +
               ((d >> 8) & 0x00ff00ffu) + 0x00020002u;

  return ((rb >> 2) & 0x00ff00ffu) | (((ag >> 2) & 0x00ff00ffu) << 8);
}

/* One row of the next level from two rows (the same row twice at an odd bottom edge); the last
 * column repeats at an odd right edge. */
static void
halve_row (const guint32 *top, const guint32 *bottom, guint32 *out, int width)
{
  int pairs = width / 2;

  for (int x = 0; x < pairs; x++)
    out[x] = average4 (top[2 * x], top[2 * x + 1], bottom[2 * x], bottom[2 * x + 1]);
  if (width % 2 == 1)
    out[pairs] = average4 (top[width - 1], top[width - 1], bottom[width - 1], bottom[width - 1]);
}

/* Copies rows [y, y + n) of @level into its tiles (all in one tile row). */
static void
store_rows (BmImagePyramid *self, guint level, int y, const guint32 *rows, int n)
{
  Level *l = &self->levels[level];
  int tile_row = y / BM_TILE_SIZE;
  gboolean skip[4096];
  int columns = l->columns;

  g_assert (columns <= (int) G_N_ELEMENTS (skip));
  g_mutex_lock (&self->mutex);
  for (int c = 0; c < columns; c++)
    {
      Tile *tile = tile_at (self, level, c, tile_row);
      int x0, y0, w, h;

      tile_geometry (self, level, c, tile_row, &x0, &y0, &w, &h);
      /* Complete already (an overview read earlier, or a pass that was restarted). */
      skip[c] = tile->valid_rows == h || tile->writing || tile->loading || tile->valid_rows < y - y0;
      if (skip[c] || tile->bytes != NULL)
        continue;
      tile->pixels = allocate_pixels (self, tile_bytes (w, h));
      tile->bytes = g_bytes_new_take (tile->pixels, tile_bytes (w, h));
      account (self, level, (gssize) tile_bytes (w, h));
    }
  g_mutex_unlock (&self->mutex);

  for (int c = 0; c < columns; c++)
    {
      Tile *tile = tile_at (self, level, c, tile_row);
      int x0 = c * BM_TILE_SIZE, w = MIN (BM_TILE_SIZE, l->width - x0);

      if (skip[c])
        continue;
      for (int r = 0; r < n; r++)
        memcpy (tile->pixels + (gsize) (y - tile_row * BM_TILE_SIZE + r) * (gsize) w, rows + (gsize) r * l->width + x0,
                (gsize) w * 4);
    }

  g_mutex_lock (&self->mutex);
  for (int c = 0; c < columns; c++)
    {
      Tile *tile = tile_at (self, level, c, tile_row);

      if (skip[c])
        continue;
      tile->valid_rows = y + n - tile_row * BM_TILE_SIZE;
      tile->serial++;
      tile->last_use = ++self->clock;
    }
  g_mutex_unlock (&self->mutex);
}

static guint32 *
halves_buffer (BmPyramidWriter *writer, guint level, gsize rows)
{
  if (writer->halves_rows[level] < rows)
    {
      g_free (writer->halves[level]);
      writer->halves[level] = g_new (guint32, rows * (gsize) writer->pyramid->levels[level + 1].width);
      writer->halves_rows[level] = rows;
    }
  return writer->halves[level];
}

static void
push_argb (BmPyramidWriter *writer, guint level, const guint32 *rows, int n)
{
  BmImagePyramid *self = writer->pyramid;
  const Level *l = &self->levels[level];
  int y = writer->next_row[level];

  g_return_if_fail (y + n <= l->height);

  /* Tile row by tile row. */
  for (int done = 0; done < n;)
    {
      int chunk = MIN (n - done, BM_TILE_SIZE - (y + done) % BM_TILE_SIZE);

      store_rows (self, level, y + done, rows + (gsize) done * (gsize) l->width, chunk);
      done += chunk;
    }
  writer->next_row[level] = y + n;

  if (level < writer->last_level)
    {
      int width = l->width, next_width = self->levels[level + 1].width;
      guint32 *out = halves_buffer (writer, level, (gsize) n / 2 + 2);
      int m = 0;

      for (int i = 0; i < n; i++)
        {
          const guint32 *row = rows + (gsize) i * (gsize) width;
          gboolean last_row = y + i == l->height - 1;

          if ((y + i) % 2 == 1)
            {
              g_assert (writer->has_carry[level]);
              halve_row (writer->carry[level], row, out + (gsize) m++ * (gsize) next_width, width);
              writer->has_carry[level] = FALSE;
            }
          else if (last_row)
            halve_row (row, row, out + (gsize) m++ * (gsize) next_width, width);
          else
            {
              memcpy (writer->carry[level], row, (gsize) width * 4);
              writer->has_carry[level] = TRUE;
            }
        }
      if (m > 0)
        push_argb (writer, level + 1, out, m);
    }
}

void
bm_pyramid_writer_push (BmPyramidWriter *writer, const guint8 *rows, gsize stride, int channels, int n_rows)
{
  BmImagePyramid *self;
  int width;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (channels >= 1 && channels <= 4);

  if (n_rows <= 0)
    return;
  self = writer->pyramid;
  width = self->levels[writer->first_level].width;
  if (channels == 2 || channels == 4)
    g_atomic_int_set (&self->translucent, TRUE);
  /* In bands, so that a whole image pushed at once needs no second copy of itself. */
  for (int done = 0; done < n_rows; done += WRITER_BAND)
    {
      int n = MIN (WRITER_BAND, n_rows - done);

      if (writer->argb == NULL)
        writer->argb = g_new (guint32, (gsize) WRITER_BAND * (gsize) width);
      for (int r = 0; r < n; r++)
        convert_row (writer->argb + (gsize) r * (gsize) width, rows + (gsize) (done + r) * stride, width, channels);
      push_argb (writer, writer->first_level, writer->argb, n);
      enforce_budget (self);
    }
  emit_notify (self);
}

void
bm_image_pyramid_put_tile (BmImagePyramid *self, guint level, int column, int row, const BmImage *source, guint halvings)
{
  g_autofree guint32 *argb = NULL;
  Tile *tile;
  int x, y, w, h, sw, sh;

  g_return_if_fail (self != NULL);
  g_return_if_fail (level < self->n_levels && halvings <= level);
  g_return_if_fail (source != NULL);

  tile_geometry (self, level, column, row, &x, &y, &w, &h);
  if (source->channels == 2 || source->channels == 4)
    g_atomic_int_set (&self->translucent, TRUE);
  sw = source->width;
  sh = source->height;
  argb = g_new (guint32, (gsize) sw * (gsize) sh);
  for (int r = 0; r < sh; r++)
    convert_row (argb + (gsize) r * (gsize) sw, source->data + (gsize) r * (gsize) source->stride, sw, source->channels);
  /* In place: each halved row is written over rows already read. */
  for (guint k = 0; k < halvings; k++)
    {
      int hw = (sw + 1) / 2, hh = (sh + 1) / 2;

      for (int r = 0; r < hh; r++)
        halve_row (argb + (gsize) (2 * r) * (gsize) sw, argb + (gsize) MIN (2 * r + 1, sh - 1) * (gsize) sw,
                   argb + (gsize) r * (gsize) hw, sw);
      sw = hw, sh = hh;
    }
  g_return_if_fail (sw == w && sh == h);

  g_mutex_lock (&self->mutex);
  tile = tile_at (self, level, column, row);
  if (tile->valid_rows < h && !tile->writing && !tile->loading)
    {
      if (tile->bytes == NULL)
        account (self, level, (gssize) tile_bytes (w, h));
      g_clear_pointer (&tile->bytes, g_bytes_unref);
      tile->pixels = g_steal_pointer (&argb);
      tile->bytes = g_bytes_new_take (tile->pixels, tile_bytes (w, h));
      tile->valid_rows = h;
      tile->serial++;
      tile->last_use = ++self->clock;
    }
  g_mutex_unlock (&self->mutex);
  enforce_budget (self);
  emit_notify (self);
}
