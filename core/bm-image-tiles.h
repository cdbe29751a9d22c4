/* bm-image-tiles.h: a pyramid of half-size levels and a tile grid, for showing very large images
 * (20000x20000 aerial photos) without ever making a texture near GTK 4.8's 16384 px limit.
 *
 * Typical use in a canvas: build the pyramid once in a worker thread, pick the level for the
 * zoom, and turn the visible tiles of that level into GdkMemoryTextures (GDK_MEMORY_R8G8B8 or
 * GDK_MEMORY_R8G8B8A8, see bm_image_tile_bytes), cached by (level, column, row).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-image.h"

G_BEGIN_DECLS

/* Recommended tile edge: far below every GL texture limit, few enough tiles per view. */
#define BM_TILE_SIZE 1024

typedef struct
{
  int x;
  int y;
  int width;
  int height;
} BmTileRect;

/* Half the size, rounded up; each output pixel is the rounded mean of its 2x2 block (of its 2x1,
 * 1x2 or 1x1 block at an odd right or bottom edge). Channels are kept. */
BmImage *bm_image_downscale_half (BmImage *image);

typedef struct _BmImagePyramid BmImagePyramid;

#define BM_TYPE_IMAGE_PYRAMID (bm_image_pyramid_get_type ())
GType            bm_image_pyramid_get_type   (void) G_GNUC_CONST;

/* Level 0 is @image itself (a reference, no copy); level k is level k-1 halved; halving stops
 * once both sides are at most @min_size (e.g. BM_TILE_SIZE), so the last level fits in one
 * tile. Costs about a third of the image's memory. Thread-safe to build off the main thread. */
BmImagePyramid  *bm_image_pyramid_new        (BmImage *image, int min_size);
BmImagePyramid  *bm_image_pyramid_ref        (BmImagePyramid *pyramid);
void             bm_image_pyramid_unref      (BmImagePyramid *pyramid);
guint            bm_image_pyramid_get_n_levels (BmImagePyramid *pyramid);
/* Borrowed; 0 <= @level < n_levels. */
BmImage         *bm_image_pyramid_get_level  (BmImagePyramid *pyramid, guint level);
/* Scale of a level relative to level 0 (1, 1/2, 1/4, ...), exact for the sizes it has: level
 * width / level-0 width may differ slightly from this when sizes were rounded up. */
double           bm_image_pyramid_get_level_scale (BmImagePyramid *pyramid, guint level);
/* The coarsest level that still has at least one image pixel per screen pixel at @zoom
 * (screen pixels per level-0 pixel): floor(log2(1/zoom)), clamped to the levels there are. */
guint            bm_image_pyramid_level_for_zoom (BmImagePyramid *pyramid, double zoom);

/* The grid of @tile_size tiles over a @width x @height level; edge tiles are smaller. */
void             bm_tile_grid_size           (int width, int height, int tile_size, int *n_columns, int *n_rows);
BmTileRect       bm_tile_grid_rect           (int width, int height, int tile_size, int column, int row);
/* Columns and rows (inclusive ranges) of the tiles touching the rectangle [x1, x2) x [y1, y2)
 * in level pixels. FALSE when the rectangle misses the level. */
gboolean         bm_tile_grid_visible        (int width, int height, int tile_size,
                                              double x1, double y1, double x2, double y2,
                                              int *first_column, int *first_row,
                                              int *last_column, int *last_row);

/* The pixels of @rect (inside @image) packed as 8-bit RGB for 1- and 3-channel images, or RGBA
 * with straight alpha for 2- and 4-channel images: the formats GTK 4.8's GdkMemoryTexture takes
 * (it has no gray formats). *@channels receives 3 or 4, *@stride the row length in bytes. */
GBytes          *bm_image_tile_bytes         (BmImage *image, const BmTileRect *rect, int *channels, gsize *stride);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmImagePyramid, bm_image_pyramid_unref)

G_END_DECLS
