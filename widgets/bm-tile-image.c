/* bm-tile-image.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-tile-image.h"

#include <math.h>

/* Levels stop once the whole image is this small. */
#define SMALLEST_LEVEL 512

typedef struct
{
  int x, y, width, height;        /* in pixels of its level */
  GBytes *bytes;                  /* cairo ARGB32 = GDK_MEMORY_DEFAULT, premultiplied */
  cairo_surface_t *surface;
  GdkTexture *texture;            /* created on first draw, on the main thread */
} Tile;

typedef struct
{
  int width, height;
  int cols, rows;
  Tile *tiles;
} Level;

struct _BmTileImage
{
  GObject parent_instance;

  int width;
  int height;
  int channels;
  guint n_levels;
  Level *levels;
  gsize memory_size;
};

G_DEFINE_FINAL_TYPE (BmTileImage, bm_tile_image, G_TYPE_OBJECT)

static inline guint32
pack_premultiplied (guint r, guint g, guint b, guint a)
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
convert_row (guint32 *dst, const guint8 *src, int n, int channels)
{
  switch (channels)
    {
    case 1:
      for (int i = 0; i < n; i++)
        dst[i] = 0xff000000u | ((guint32) src[i] << 16) | ((guint32) src[i] << 8) | src[i];
      break;
    case 2:
      for (int i = 0; i < n; i++)
        dst[i] = pack_premultiplied (src[2 * i], src[2 * i], src[2 * i], src[2 * i + 1]);
      break;
    case 3:
      for (int i = 0; i < n; i++)
        dst[i] = 0xff000000u | ((guint32) src[3 * i] << 16) | ((guint32) src[3 * i + 1] << 8) | src[3 * i + 2];
      break;
    default:
      for (int i = 0; i < n; i++)
        dst[i] = pack_premultiplied (src[4 * i], src[4 * i + 1], src[4 * i + 2], src[4 * i + 3]);
      break;
    }
}

static void
tile_set_pixels (Tile *tile, guint32 *pixels)
{
  gsize size = (gsize) tile->width * tile->height * 4;

  tile->bytes = g_bytes_new_take (pixels, size);
  tile->surface = cairo_image_surface_create_for_data ((guchar *) pixels, CAIRO_FORMAT_ARGB32,
                                                       tile->width, tile->height, tile->width * 4);
}

static void
level_init (Level *level, int width, int height)
{
  level->width = width;
  level->height = height;
  level->cols = (width + BM_TILE_SIZE - 1) / BM_TILE_SIZE;
  level->rows = (height + BM_TILE_SIZE - 1) / BM_TILE_SIZE;
  level->tiles = g_new0 (Tile, (gsize) level->cols * level->rows);

  for (int r = 0; r < level->rows; r++)
    for (int c = 0; c < level->cols; c++)
      {
        Tile *tile = &level->tiles[r * level->cols + c];

        tile->x = c * BM_TILE_SIZE;
        tile->y = r * BM_TILE_SIZE;
        tile->width = MIN (BM_TILE_SIZE, width - tile->x);
        tile->height = MIN (BM_TILE_SIZE, height - tile->y);
      }
}

static void
level_clear (Level *level)
{
  for (int i = 0; i < level->cols * level->rows; i++)
    {
      Tile *tile = &level->tiles[i];

      g_clear_object (&tile->texture);
      g_clear_pointer (&tile->surface, cairo_surface_destroy);
      g_clear_pointer (&tile->bytes, g_bytes_unref);
    }
  g_clear_pointer (&level->tiles, g_free);
}

static void
fill_level_from_source (Level *level, const guint8 *data, int channels, int stride)
{
  for (int i = 0; i < level->cols * level->rows; i++)
    {
      Tile *tile = &level->tiles[i];
      guint32 *pixels = g_new (guint32, (gsize) tile->width * tile->height);

      for (int row = 0; row < tile->height; row++)
        convert_row (pixels + (gsize) row * tile->width,
                     data + (gsize) (tile->y + row) * stride + (gsize) tile->x * channels,
                     tile->width, channels);
      tile_set_pixels (tile, pixels);
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

/* Each pixel of @dst averages a 2×2 block of @src (the last row or column repeats when odd).
 * Tiles have an even size, so the 2×2 block of a pixel never straddles two source tiles, and
 * the source of one destination tile is at most 2×2 source tiles. */
static void
fill_level_by_halving (Level *dst, const Level *src)
{
  for (int r = 0; r < dst->rows; r++)
    for (int c = 0; c < dst->cols; c++)
      {
        Tile *tile = &dst->tiles[r * dst->cols + c];
        guint32 *pixels = g_new (guint32, (gsize) tile->width * tile->height);

        for (int row = 0; row < tile->height; row++)
          {
            int sy0 = 2 * (tile->y + row);
            int sy1 = MIN (sy0 + 1, src->height - 1);
            int src_row = sy0 / BM_TILE_SIZE;
            guint32 *out = pixels + (gsize) row * tile->width;

            for (int half = 0; half < 2; half++)
              {
                int src_col = 2 * c + half;
                int from = half * (BM_TILE_SIZE / 2);
                int to = MIN (tile->width, from + BM_TILE_SIZE / 2);
                const Tile *s;
                const guint32 *data, *r0, *r1;

                if (src_col >= src->cols || from >= to)
                  continue;
                s = &src->tiles[src_row * src->cols + src_col];
                data = g_bytes_get_data (s->bytes, NULL);
                r0 = data + (gsize) (sy0 - s->y) * s->width;
                r1 = data + (gsize) (sy1 - s->y) * s->width;

                for (int col = from; col < to; col++)
                  {
                    int sx0 = 2 * col - 2 * from;          /* within the source tile */
                    int sx1 = MIN (sx0 + 1, s->width - 1);

                    out[col] = average4 (r0[sx0], r0[sx1], r1[sx0], r1[sx1]);
                  }
              }
          }
        tile_set_pixels (tile, pixels);
      }
}

static void
bm_tile_image_finalize (GObject *object)
{
  BmTileImage *self = BM_TILE_IMAGE (object);

  for (guint i = 0; i < self->n_levels; i++)
    level_clear (&self->levels[i]);
  g_free (self->levels);

  G_OBJECT_CLASS (bm_tile_image_parent_class)->finalize (object);
}

static void
bm_tile_image_class_init (BmTileImageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bm_tile_image_finalize;
}

static void
bm_tile_image_init (BmTileImage *self)
{
}

BmTileImage *
bm_tile_image_new (const guint8 *data,
                   int           width,
                   int           height,
                   int           channels,
                   int           stride)
{
  BmTileImage *self;
  guint n_levels = 1;
  int w = width, h = height;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);
  g_return_val_if_fail (stride >= width * channels, NULL);

  if (width <= 0 || height <= 0)
    return NULL;

  while (MAX (w, h) > SMALLEST_LEVEL)
    {
      w = (w + 1) / 2;
      h = (h + 1) / 2;
      n_levels++;
    }

  self = g_object_new (BM_TYPE_TILE_IMAGE, NULL);
  self->width = width;
  self->height = height;
  self->channels = channels;
  self->n_levels = n_levels;
  self->levels = g_new0 (Level, n_levels);

  w = width;
  h = height;
  for (guint i = 0; i < n_levels; i++)
    {
      level_init (&self->levels[i], w, h);
      if (i == 0)
        fill_level_from_source (&self->levels[0], data, channels, stride);
      else
        fill_level_by_halving (&self->levels[i], &self->levels[i - 1]);
      self->memory_size += (gsize) w * h * 4;
      w = (w + 1) / 2;
      h = (h + 1) / 2;
    }

  return self;
}

int
bm_tile_image_get_width (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->width;
}

int
bm_tile_image_get_height (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->height;
}

int
bm_tile_image_get_channels (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->channels;
}

guint
bm_tile_image_get_n_levels (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->n_levels;
}

int
bm_tile_image_get_max_tile_size (BmTileImage *self)
{
  int max = 0;

  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);

  for (guint i = 0; i < self->n_levels; i++)
    for (int t = 0; t < self->levels[i].cols * self->levels[i].rows; t++)
      max = MAX (max, MAX (self->levels[i].tiles[t].width, self->levels[i].tiles[t].height));
  return max;
}

gsize
bm_tile_image_get_memory_size (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->memory_size;
}

/* The range of tile columns (or rows) of @level that the view shows. */
static void
visible_tiles (double view_from, double view_to, double scale, int n, int *first, int *last)
{
  *first = CLAMP ((int) floor (view_from / scale / BM_TILE_SIZE), 0, n - 1);
  *last = CLAMP ((int) floor (view_to / scale / BM_TILE_SIZE), 0, n - 1);
}

static void
snapshot_sharp (BmTileImage *self,
                GtkSnapshot *snapshot,
                double       zoom,
                double       offset_x,
                double       offset_y,
                double       view_width,
                double       view_height)
{
  const Level *level = &self->levels[0];
  double x0 = MAX (offset_x, 0), y0 = MAX (offset_y, 0);
  double x1 = MIN (offset_x + self->width * zoom, view_width);
  double y1 = MIN (offset_y + self->height * zoom, view_height);
  int c0, c1, r0, r1;
  cairo_t *cr;

  if (x1 <= x0 || y1 <= y0)
    return;

  visible_tiles (x0 - offset_x, x1 - offset_x, zoom, level->cols, &c0, &c1);
  visible_tiles (y0 - offset_y, y1 - offset_y, zoom, level->rows, &r0, &r1);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
  cairo_translate (cr, offset_x, offset_y);
  cairo_scale (cr, zoom, zoom);
  /* Without antialiasing each screen pixel belongs to exactly one tile: no seams. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        const Tile *tile = &level->tiles[r * level->cols + c];

        cairo_set_source_surface (cr, tile->surface, tile->x, tile->y);
        cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
        cairo_rectangle (cr, tile->x, tile->y, tile->width, tile->height);
        cairo_fill (cr);
      }
  cairo_destroy (cr);
}

static void
snapshot_textures (BmTileImage *self,
                   GtkSnapshot *snapshot,
                   double       zoom,
                   double       offset_x,
                   double       offset_y,
                   double       view_width,
                   double       view_height,
                   double       scale)
{
  guint index = 0;
  Level *level;
  double sx, sy;
  int c0, c1, r0, r1;

  /* The smallest level that still has at least one pixel per device pixel. */
  while (index + 1 < self->n_levels && zoom * scale * ((double) self->width / self->levels[index + 1].width) <= 1.0)
    index++;
  level = &self->levels[index];
  sx = zoom * self->width / level->width;   /* screen pixels per level pixel */
  sy = zoom * self->height / level->height;

  visible_tiles (MAX (0, -offset_x), view_width - offset_x, sx, level->cols, &c0, &c1);
  visible_tiles (MAX (0, -offset_y), view_height - offset_y, sy, level->rows, &r0, &r1);

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        Tile *tile = &level->tiles[r * level->cols + c];

        if (tile->texture == NULL)
          tile->texture = gdk_memory_texture_new (tile->width, tile->height, GDK_MEMORY_DEFAULT,
                                                  tile->bytes, (gsize) tile->width * 4);
        gtk_snapshot_append_texture (snapshot, tile->texture,
                                     &GRAPHENE_RECT_INIT (offset_x + tile->x * sx,
                                                          offset_y + tile->y * sy,
                                                          tile->width * sx,
                                                          tile->height * sy));
      }
}

void
bm_tile_image_snapshot (BmTileImage *self,
                        GtkSnapshot *snapshot,
                        double       zoom,
                        double       offset_x,
                        double       offset_y,
                        double       view_width,
                        double       view_height,
                        double       scale)
{
  g_return_if_fail (BM_IS_TILE_IMAGE (self));
  g_return_if_fail (snapshot != NULL);

  if (zoom <= 0 || view_width <= 0 || view_height <= 0)
    return;
  scale = MAX (scale, 1.0);

  if (zoom * scale >= 1.0)
    snapshot_sharp (self, snapshot, zoom, offset_x, offset_y, view_width, view_height);
  else
    snapshot_textures (self, snapshot, zoom, offset_x, offset_y, view_width, view_height, scale);
}
