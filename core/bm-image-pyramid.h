/* bm-image-pyramid.h: an image as tiles ready to draw, at full size and at halved sizes, filled
 * a band of rows at a time while it decodes, within a memory budget.
 *
 * Tiles hold premultiplied 32-bit pixels, B G R A in memory on little-endian machines (cairo's
 * ARGB32, GDK's GDK_MEMORY_DEFAULT), at most BM_TILE_SIZE a side, so no image is ever one
 * texture (GTK 4.8 crashes on textures above the GL limit; cairo cannot draw 32768 px). Level k
 * is level k-1 halved (sizes rounded up), down to a level that fits in 512 × 512.
 *
 * With a budget, complete tiles beyond it go to an unlinked temporary file and come back on
 * request; the coarse levels (up to 64 MB in all) always stay. So a 20000 × 20000 image (2.1 GB
 * of tiles) is shown with a few hundred MB. Every function is thread-safe: one thread writes a
 * range of levels while others read and draw.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-image.h"

G_BEGIN_DECLS

#define BM_TILE_SIZE 1024

typedef struct _BmImagePyramid BmImagePyramid;

#define BM_TYPE_IMAGE_PYRAMID (bm_image_pyramid_get_type ())
GType            bm_image_pyramid_get_type          (void) G_GNUC_CONST;

/* @budget: bytes of tiles kept in memory beyond the coarse levels; 0 keeps everything (no
 * temporary file). @spill_dir: where the temporary file goes (NULL: the user cache folder, or
 * $BM_TILE_SPILL_DIR when set). */
BmImagePyramid  *bm_image_pyramid_new               (int         width,
                                                     int         height,
                                                     gsize       budget,
                                                     const char *spill_dir);
BmImagePyramid  *bm_image_pyramid_ref               (BmImagePyramid *self);
void             bm_image_pyramid_unref             (BmImagePyramid *self);

int              bm_image_pyramid_get_width         (BmImagePyramid *self);
int              bm_image_pyramid_get_height        (BmImagePyramid *self);
guint            bm_image_pyramid_get_n_levels      (BmImagePyramid *self);
void             bm_image_pyramid_get_level_size    (BmImagePyramid *self,
                                                     guint           level,
                                                     int            *width,
                                                     int            *height,
                                                     int            *n_columns,
                                                     int            *n_rows);

/* Called from whichever thread changed tiles (a band written, a tile read back): hop to your
 * own thread before touching widgets. */
typedef void (*BmImagePyramidNotify) (gpointer user_data);
void             bm_image_pyramid_set_notify        (BmImagePyramid       *self,
                                                     BmImagePyramidNotify  notify,
                                                     gpointer              user_data);

/* --- writing ---------------------------------------------------------------------------------- */

typedef struct _BmPyramidWriter BmPyramidWriter;

/* Writes rows of level @level from row @first_row on (a multiple of BM_TILE_SIZE ·
 * 2^(@last_level - @level), so that every level starts at a tile boundary), and their halves
 * into the levels up to @last_level. Tiles already complete are left as they are. */
BmPyramidWriter *bm_pyramid_writer_new              (BmImagePyramid *pyramid,
                                                     guint           level,
                                                     guint           last_level,
                                                     int             first_row);
/* The next @n_rows rows: 8-bit samples, 1 gray, 2 gray + alpha, 3 RGB or 4 RGBA (straight). */
void             bm_pyramid_writer_push             (BmPyramidWriter *writer,
                                                     const guint8    *rows,
                                                     gsize            stride,
                                                     int              channels,
                                                     int              n_rows);
/* Rows written so far at the writer's first level. */
int              bm_pyramid_writer_get_row          (BmPyramidWriter *writer);
void             bm_pyramid_writer_free             (BmPyramidWriter *writer);

/* A whole tile of @level made from @source, which covers the tile's area at level
 * @level - @halvings (so its size is the tile's times 2^@halvings, cut at the image's edges),
 * halved @halvings times as the writer halves. Ignored when the tile is complete already. */
void             bm_image_pyramid_put_tile          (BmImagePyramid *self,
                                                     guint           level,
                                                     int             column,
                                                     int             row,
                                                     const BmImage  *source,
                                                     guint           halvings);

/* Frees the tiles of levels [@first, @last] that a stopped writer left half filled. */
void             bm_image_pyramid_discard_partial   (BmImagePyramid *self,
                                                     guint           first,
                                                     guint           last);
/* The first row of @level whose tile row is not entirely written (the level height when done). */
int              bm_image_pyramid_get_complete_rows (BmImagePyramid *self,
                                                     guint           level);
gboolean         bm_image_pyramid_level_is_complete (BmImagePyramid *self,
                                                     guint           level);

/* --- reading ---------------------------------------------------------------------------------- */

typedef struct
{
  GBytes *pixels;       /* width × height × 4 bytes; rows below valid_rows are not written yet */
  int x, y;             /* in pixels of its level */
  int width, height;
  int valid_rows;
  guint serial;         /* changes whenever the pixels do */
} BmPyramidTile;

/* Non-blocking: FALSE when the tile has no pixels in memory (not written yet, or waiting in the
 * temporary file, in which case it is read back in the background and notify is called). */
gboolean         bm_image_pyramid_get_tile          (BmImagePyramid *self,
                                                     guint           level,
                                                     int             column,
                                                     int             row,
                                                     BmPyramidTile  *tile);
/* Whether the tile has every row written (in memory or in the temporary file). */
gboolean         bm_image_pyramid_tile_is_complete  (BmImagePyramid *self,
                                                     guint           level,
                                                     int             column,
                                                     int             row);
void             bm_pyramid_tile_clear              (BmPyramidTile  *tile);

/* Columns and rows (inclusive) of @level's tiles that touch [x1, x2) × [y1, y2), in pixels of
 * level 0. FALSE when the rectangle misses the image. */
gboolean         bm_image_pyramid_visible_tiles     (BmImagePyramid *self,
                                                     guint           level,
                                                     double x1, double y1, double x2, double y2,
                                                     int *first_column, int *first_row,
                                                     int *last_column, int *last_row);

/* --- memory ----------------------------------------------------------------------------------- */

/* Tiles of the levels below @level are dropped rather than written out when over budget (the
 * caller can make them again). 0, the default, drops none. */
void             bm_image_pyramid_set_droppable     (BmImagePyramid *self,
                                                     guint           level);
/* Lowering it sends tiles to the temporary file now. */
void             bm_image_pyramid_set_budget        (BmImagePyramid *self,
                                                     gsize           budget);
gsize            bm_image_pyramid_get_budget        (BmImagePyramid *self);
/* Bytes of tile pixels in memory now, and the most there ever were. */
gsize            bm_image_pyramid_get_resident_bytes (BmImagePyramid *self);
gsize            bm_image_pyramid_get_peak_resident_bytes (BmImagePyramid *self);
/* Bytes written to the temporary file. */
guint64          bm_image_pyramid_get_spilled_bytes (BmImagePyramid *self);
/* Bytes of all tiles, wherever they are. */
guint64          bm_image_pyramid_get_total_bytes   (BmImagePyramid *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmImagePyramid, bm_image_pyramid_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmPyramidWriter, bm_pyramid_writer_free)

G_END_DECLS
