/* bm-image-pyramid-writer.c: filling a BmImagePyramid's levels from decoded rows (converted to
 * premultiplied pixels) and halving each level into the next; apart from the tile table it writes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "bm-image-pyramid-private.h"

#define WRITER_BAND 64

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
      Tile *tile = _bm_image_pyramid_tile_at (self, level, c, tile_row);
      int x0, y0, w, h;

      _bm_image_pyramid_tile_geometry (self, level, c, tile_row, &x0, &y0, &w, &h);
      /* Complete already (an overview read earlier, or a pass that was restarted). */
      skip[c] = tile->valid_rows == h || tile->writing || tile->loading || tile->valid_rows < y - y0;
      if (skip[c] || tile->bytes != NULL)
        continue;
      tile->pixels = _bm_image_pyramid_allocate_pixels (self, _bm_image_pyramid_tile_bytes (w, h));
      tile->bytes = g_bytes_new_take (tile->pixels, _bm_image_pyramid_tile_bytes (w, h));
      _bm_image_pyramid_account (self, level, (gssize) _bm_image_pyramid_tile_bytes (w, h));
    }
  g_mutex_unlock (&self->mutex);

  for (int c = 0; c < columns; c++)
    {
      Tile *tile = _bm_image_pyramid_tile_at (self, level, c, tile_row);
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
      Tile *tile = _bm_image_pyramid_tile_at (self, level, c, tile_row);

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
      _bm_image_pyramid_enforce_budget (self);
    }
  _bm_image_pyramid_emit_notify (self);
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

  _bm_image_pyramid_tile_geometry (self, level, column, row, &x, &y, &w, &h);
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
  tile = _bm_image_pyramid_tile_at (self, level, column, row);
  if (tile->valid_rows < h && !tile->writing && !tile->loading)
    {
      if (tile->bytes == NULL)
        _bm_image_pyramid_account (self, level, (gssize) _bm_image_pyramid_tile_bytes (w, h));
      g_clear_pointer (&tile->bytes, g_bytes_unref);
      tile->pixels = g_steal_pointer (&argb);
      tile->bytes = g_bytes_new_take (tile->pixels, _bm_image_pyramid_tile_bytes (w, h));
      tile->valid_rows = h;
      tile->serial++;
      tile->last_use = ++self->clock;
    }
  g_mutex_unlock (&self->mutex);
  _bm_image_pyramid_enforce_budget (self);
  _bm_image_pyramid_emit_notify (self);
}
