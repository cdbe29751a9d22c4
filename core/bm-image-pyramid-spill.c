/* bm-image-pyramid-spill.c: the memory budget of a BmImagePyramid: which tiles go out to the
 * temporary file, and reading them back on the loader thread; apart because it is the only part
 * that does file I/O.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bm-image-pyramid-private.h"

#define MAX_SPARE_BUFFERS 8
#define FULL_TILE_BYTES ((gsize) BM_TILE_SIZE * BM_TILE_SIZE * 4)

static void load_tile_in_thread (gpointer data, gpointer user_data);

/* --- memory accounting and the temporary file ---------------------------------------------- */

void
_bm_image_pyramid_account (BmImagePyramid *self, guint level, gssize delta)
{
  self->resident = (gsize) ((gssize) self->resident + delta);
  if (!self->levels[level].pinned)
    self->resident_unpinned = (gsize) ((gssize) self->resident_unpinned + delta);
  self->peak_resident = MAX (self->peak_resident, self->resident);
}

/* With the mutex held. */
guint32 *
_bm_image_pyramid_allocate_pixels (BmImagePyramid *self, gsize size)
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
            Tile *tile = _bm_image_pyramid_tile_at (self, l, c, r);
            int x, y, w, h;

            _bm_image_pyramid_tile_geometry (self, l, c, r, &x, &y, &w, &h);
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
      _bm_image_pyramid_tile_geometry (self, victim.level, victim.column, victim.row, &x, &y, &w, &h);
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
          self->spill_end += tile->packed ? (gsize) w * h * 3 : _bm_image_pyramid_tile_bytes (w, h);
          tile->writing = TRUE;
        }
      _bm_image_pyramid_account (self, victim.level, -(gssize) _bm_image_pyramid_tile_bytes (w, h));
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
          packed = _bm_image_pyramid_tile_at (self, v->level, v->column, v->row)->packed;
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
        Tile *tile = _bm_image_pyramid_tile_at (self, v->level, v->column, v->row);

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
            _bm_image_pyramid_account (self, v->level, (gssize) g_bytes_get_size (tile->bytes));
          }
      }
      g_mutex_unlock (&self->mutex);
    }
  g_array_unref (victims);
}

void
_bm_image_pyramid_enforce_budget (BmImagePyramid *self)
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
  _bm_image_pyramid_enforce_budget (self);
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
    total += _bm_image_pyramid_tile_bytes (self->levels[l].width, self->levels[l].height);
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

  _bm_image_pyramid_tile_geometry (self, request->level, request->column, request->row, &x, &y, &w, &h);
  g_mutex_lock (&self->mutex);
  offset = _bm_image_pyramid_tile_at (self, request->level, request->column, request->row)->offset;
  packed = _bm_image_pyramid_tile_at (self, request->level, request->column, request->row)->packed;
  g_mutex_unlock (&self->mutex);

  pixels = g_try_malloc (_bm_image_pyramid_tile_bytes (w, h));
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
    ok = pixels != NULL && offset >= 0 && pread_all (self->spill_fd, pixels, _bm_image_pyramid_tile_bytes (w, h), (guint64) offset);

  g_mutex_lock (&self->mutex);
  {
    Tile *tile = _bm_image_pyramid_tile_at (self, request->level, request->column, request->row);

    tile->loading = FALSE;
    if (ok)
      {
        tile->bytes = g_bytes_new_take (pixels, _bm_image_pyramid_tile_bytes (w, h));
        tile->pixels = (guint32 *) pixels;
        tile->last_use = ++self->clock;
        tile->serial++;
        _bm_image_pyramid_account (self, request->level, (gssize) _bm_image_pyramid_tile_bytes (w, h));
      }
    else
      g_free (pixels);
  }
  g_mutex_unlock (&self->mutex);

  _bm_image_pyramid_enforce_budget (self);
  _bm_image_pyramid_emit_notify (self);
}

/* With the mutex held. */
void
_bm_image_pyramid_request_load (BmImagePyramid *self, guint level, int column, int row)
{
  Tile *tile = _bm_image_pyramid_tile_at (self, level, column, row);
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
