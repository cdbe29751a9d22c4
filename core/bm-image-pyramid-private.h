/* bm-image-pyramid-private.h: what the files of BmImagePyramid share: the tile table and the
 * helpers each of them uses.
 *
 *   bm-image-pyramid.c         the object, its levels, reading tiles and which are complete
 *   bm-image-pyramid-spill.c   the memory budget, the temporary file tiles go out to and come back from
 *   bm-image-pyramid-writer.c  filling the levels from decoded rows, halving each into the next
 *
 * Locking: one mutex guards the tile table (which tiles hold pixels, how many rows are written,
 * where they sit in the temporary file). Pixels are copied and halved outside it: only the
 * writer touches rows at or below a tile's valid_rows, and readers never look past it. The
 * temporary file is written and read outside the mutex too, with the tile marked busy meanwhile.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-image-pyramid.h"

G_BEGIN_DECLS

#define MAX_LEVELS 32

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

static inline gsize
_bm_image_pyramid_tile_bytes (int width, int height)
{
  return (gsize) width * (gsize) height * 4;
}

static inline Tile *
_bm_image_pyramid_tile_at (BmImagePyramid *self, guint level, int column, int row)
{
  Level *l = &self->levels[level];

  return &l->tiles[(gsize) row * (gsize) l->columns + (gsize) column];
}

static inline void
_bm_image_pyramid_tile_geometry (BmImagePyramid *self, guint level, int column, int row, int *x, int *y, int *width, int *height)
{
  const Level *l = &self->levels[level];

  *x = column * BM_TILE_SIZE;
  *y = row * BM_TILE_SIZE;
  *width = MIN (BM_TILE_SIZE, l->width - *x);
  *height = MIN (BM_TILE_SIZE, l->height - *y);
}

void      _bm_image_pyramid_emit_notify     (BmImagePyramid *self);
void      _bm_image_pyramid_account         (BmImagePyramid *self, guint level, gssize delta);
guint32  *_bm_image_pyramid_allocate_pixels (BmImagePyramid *self, gsize size);
void      _bm_image_pyramid_enforce_budget  (BmImagePyramid *self);
void      _bm_image_pyramid_request_load    (BmImagePyramid *self, guint level, int column, int row);

G_END_DECLS
