/* bm-image-pyramid.c: the tile pyramid of a huge image: its levels, reading tiles and knowing
 * which are complete. The memory budget and the temporary file (bm-image-pyramid-spill.c) and
 * filling the levels (bm-image-pyramid-writer.c) are apart; bm-image-pyramid-private.h has the
 * locking rules.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bm-image-pyramid-private.h"

/* Levels stop once the whole image fits in this. */
#define SMALLEST_LEVEL 512
/* The coarse levels kept in memory whatever the budget: they are what is drawn while finer
 * tiles load. */
#define PINNED_BYTES ((guint64) 64 * 1024 * 1024)

G_DEFINE_BOXED_TYPE (BmImagePyramid, bm_image_pyramid, bm_image_pyramid_ref, bm_image_pyramid_unref)

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

      pinned += _bm_image_pyramid_tile_bytes (level->width, level->height);
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

void
_bm_image_pyramid_emit_notify (BmImagePyramid *self)
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
  _bm_image_pyramid_tile_geometry (self, level, column, row, &out->x, &out->y, &out->width, &out->height);
  g_mutex_lock (&self->mutex);
  tile = _bm_image_pyramid_tile_at (self, level, column, row);
  found = tile->bytes != NULL && tile->valid_rows > 0;
  if (found)
    {
      out->pixels = g_bytes_ref (tile->bytes);
      out->valid_rows = tile->valid_rows;
      out->serial = tile->serial;
      tile->last_use = ++self->clock;
    }
  else
    _bm_image_pyramid_request_load (self, level, column, row);
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

  _bm_image_pyramid_tile_geometry (self, level, column, row, &x, &y, &w, &h);
  g_mutex_lock (&self->mutex);
  complete = _bm_image_pyramid_tile_at (self, level, column, row)->valid_rows == h;
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

        _bm_image_pyramid_tile_geometry (self, level, c, r, &x, &y, &w, &h);
        if (_bm_image_pyramid_tile_at (self, level, c, r)->valid_rows < h)
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
          Tile *tile = _bm_image_pyramid_tile_at (self, l, c, r);
          int x, y, w, h;

          _bm_image_pyramid_tile_geometry (self, l, c, r, &x, &y, &w, &h);
          if (tile->bytes == NULL || tile->valid_rows == h)
            continue;
          g_clear_pointer (&tile->bytes, g_bytes_unref);
          tile->pixels = NULL;
          tile->valid_rows = 0;
          tile->serial++;
          _bm_image_pyramid_account (self, l, -(gssize) _bm_image_pyramid_tile_bytes (w, h));
        }
  g_mutex_unlock (&self->mutex);
}

/* --- writing ---------------------------------------------------------------------------------- */
