/* bm-image-stream.h: decodes an image file into a BmImagePyramid in the background, the way a
 * 20000 × 20000 aerial photo must be shown: the overview first (JPEG's 1/8 DCT scaling, a
 * TIFF's own overview), drawn band by band as it decodes, then the full resolution, with memory
 * held to the pyramid's budget.
 *
 *   - JPEG: the overview at 1/2^a of the size in the DCT domain (levels a and coarser), then,
 *     while the image is active, a pass at 1/2 for the levels between; full-size tiles are
 *     decoded as they come into view (cropped, the rows above skipped without their inverse
 *     DCT), a tile row at a time, and dropped rather than kept when memory is short.
 *   - TIFF with overviews: the overview, then tiles of the finer levels read on request (tiles
 *     and strips can be read anywhere).
 *   - PNG, TIFF without overviews, everything else: one pass at full size; every level fills
 *     progressively as the rows arrive, and tiles beyond the budget wait in a temporary file.
 *
 * Images up to BM_IMAGE_STREAM_SMALL_PIXELS are decoded whole, with no budget.
 * Everything here is GTK-free and thread-safe; the stored frame is used throughout (the EXIF
 * orientation is for the drawing to apply).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "bm-image-pyramid.h"

G_BEGIN_DECLS

/* Up to this many pixels an image is decoded in one go and kept whole. */
#define BM_IMAGE_STREAM_SMALL_PIXELS ((gint64) 48 * 1024 * 1024)
/* Tile memory of the image on screen, beyond its coarse levels. */
#define BM_IMAGE_STREAM_ACTIVE_BUDGET ((gsize) 384 * 1024 * 1024)
/* ... and of an image decoded ahead (the next one in the folder). */
#define BM_IMAGE_STREAM_INACTIVE_BUDGET ((gsize) 32 * 1024 * 1024)

typedef struct _BmImageStream BmImageStream;

#define BM_TYPE_IMAGE_STREAM (bm_image_stream_get_type ())
GType            bm_image_stream_get_type        (void) G_GNUC_CONST;

/* Reads the header (errors name the file); nothing is decoded until run or start. @spill_dir as
 * for bm_image_pyramid_new. The stream starts inactive. */
BmImageStream   *bm_image_stream_new             (const char     *path,
                                                  const char     *spill_dir,
                                                  GError        **error);
/* The same with another size up to which images are decoded whole (for tests). */
BmImageStream   *bm_image_stream_new_with_limit  (const char     *path,
                                                  const char     *spill_dir,
                                                  gint64          small_pixels,
                                                  GError        **error);
BmImageStream   *bm_image_stream_ref             (BmImageStream  *self);
/* The last unref stops the decoding threads and waits for them. */
void             bm_image_stream_unref           (BmImageStream  *self);

BmImagePyramid  *bm_image_stream_get_pyramid     (BmImageStream  *self);
/* Stored frame. */
int              bm_image_stream_get_width       (BmImageStream  *self);
int              bm_image_stream_get_height      (BmImageStream  *self);
int              bm_image_stream_get_channels    (BmImageStream  *self);
int              bm_image_stream_get_orientation (BmImageStream  *self);
gboolean         bm_image_stream_is_small        (BmImageStream  *self);
/* The pyramid level the first pass fills (0 when there is no overview). */
guint            bm_image_stream_get_overview_level (BmImageStream *self);

/* Called from a decoding thread whenever tiles or the state change. */
void             bm_image_stream_set_notify      (BmImageStream        *self,
                                                  BmImagePyramidNotify  notify,
                                                  gpointer              user_data);

/* Decodes everything in the calling thread (what a small image needs). */
gboolean         bm_image_stream_run             (BmImageStream  *self,
                                                  GCancellable   *cancellable,
                                                  GError        **error);
/* Starts the background thread: the first pass always runs; the full-resolution pass and tile
 * requests only while the stream is active. */
void             bm_image_stream_start           (BmImageStream  *self);
/* Active: the image on screen, with the full budget. Inactive (decoded ahead, or left): the
 * second pass stops, its half-written tiles are dropped, and the budget shrinks (in the
 * background: it may write tiles out). */
void             bm_image_stream_set_active      (BmImageStream  *self,
                                                  gboolean        active);
gboolean         bm_image_stream_is_active       (BmImageStream  *self);
/* Asks for a tile that has no pixels yet, when the format can read it on its own (JPEG, TIFF). */
void             bm_image_stream_request_tile    (BmImageStream  *self,
                                                  guint           level,
                                                  int             column,
                                                  int             row);

/* The first pass is over: the whole image can be drawn (at some level). */
gboolean         bm_image_stream_is_overview_done (BmImageStream *self);
/* Everything the passes make is made (or failed); what comes on request is not counted. */
gboolean         bm_image_stream_is_done         (BmImageStream  *self);
/* Why decoding stopped (a copy), or NULL. */
GError          *bm_image_stream_get_error       (BmImageStream  *self);
/* Blocks until the first pass is over, or the second too when @all (which needs the stream
 * active). For tests and benchmarks. */
void             bm_image_stream_wait            (BmImageStream  *self,
                                                  gboolean        all);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmImageStream, bm_image_stream_unref)

G_END_DECLS
