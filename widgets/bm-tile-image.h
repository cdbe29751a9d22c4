/* bm-tile-image.h: an image cut into tiles, with downscaled levels, ready to draw, filling in as
 * it decodes.
 *
 * GTK 4.8 crashes on textures just above the GL size limit and cairo cannot draw surfaces of
 * 32768 px, so no image is ever one texture: each level is cut into tiles of at most
 * BM_TILE_SIZE pixels a side (core/bm-image-pyramid.h). A huge image (a 20000 × 20000 aerial
 * photo) shows its overview first and its finer levels as they decode, within a memory budget
 * (core/bm-image-stream.h); the EXIF orientation is applied while drawing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "core/bm-image-pyramid.h"

G_BEGIN_DECLS

#define BM_TYPE_TILE_IMAGE (bm_tile_image_get_type ())
G_DECLARE_FINAL_TYPE (BmTileImage, bm_tile_image, BM, TILE_IMAGE, GObject)

/* Converts 8-bit pixels with 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels, already
 * upright. Safe to call from a worker thread. Returns NULL when the image is empty. */
BmTileImage *bm_tile_image_new               (const guint8 *data,
                                              int           width,
                                              int           height,
                                              int           channels,
                                              int           stride);
/* Opens an image file. Small images are decoded here (call it from a worker thread); big ones
 * read their header here and decode in the background: "changed" tells when more is there to
 * draw. Errors name the file. */
BmTileImage *bm_tile_image_new_for_file      (const char   *path,
                                              GError      **error);

/* Size in the upright (EXIF-oriented) frame. */
int          bm_tile_image_get_width         (BmTileImage  *self);
int          bm_tile_image_get_height        (BmTileImage  *self);
/* Channels of the source pixels (what VOC calls depth). */
int          bm_tile_image_get_channels      (BmTileImage  *self);
guint        bm_tile_image_get_n_levels      (BmTileImage  *self);
/* Size of the largest tile side over all levels. */
int          bm_tile_image_get_max_tile_size (BmTileImage  *self);
/* Bytes of tiles in memory now. */
gsize        bm_tile_image_get_memory_size   (BmTileImage  *self);
BmImagePyramid *bm_tile_image_get_pyramid    (BmTileImage  *self);

/* The image on screen decodes at full resolution with the full memory budget; the others (decoded
 * ahead, or left behind) keep little more than their overview. */
void         bm_tile_image_set_active        (BmTileImage  *self,
                                              gboolean      active);
/* Still decoding something that is not on screen yet. */
gboolean     bm_tile_image_is_loading        (BmTileImage  *self);
/* Whether the whole image can be drawn (at some level). */
gboolean     bm_tile_image_has_overview      (BmTileImage  *self);
/* Why decoding stopped part way (the part decoded stays drawn), or NULL. */
GError      *bm_tile_image_get_error         (BmTileImage  *self);

/* Appends the visible part of the image to @snapshot: image pixel (x, y) lands on view point
 * (offset_x + x * zoom, offset_y + y * zoom). @scale is the display's scale factor (2 on HiDPI
 * screens), so levels are picked for device pixels. Zoomed in (one image pixel covers a
 * device pixel or more), pixels stay sharp squares; zoomed out, the nearest larger level is
 * drawn as textures. Tiles not decoded yet are drawn from a coarser level meanwhile. */
void         bm_tile_image_snapshot          (BmTileImage  *self,
                                              GtkSnapshot  *snapshot,
                                              double        zoom,
                                              double        offset_x,
                                              double        offset_y,
                                              double        view_width,
                                              double        view_height,
                                              double        scale,
                                              gboolean      paint_surfaces);
/* Whether @widget is drawn by GTK's cairo renderer (no GL), which copies every texture into a
 * new surface on every frame: pass it as @paint_surfaces, and smoothly scaled tiles are painted
 * by cairo straight from their pixels (33 ms → 1.4 ms a fitted 6000 × 6000 frame). */
gboolean     bm_tile_image_widget_uses_cairo (GtkWidget    *widget);

G_END_DECLS
