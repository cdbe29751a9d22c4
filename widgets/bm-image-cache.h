/* bm-image-cache.h: decodes images in worker threads and keeps the few around the current one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "bm-tile-image.h"

G_BEGIN_DECLS

#define BM_TYPE_IMAGE_CACHE (bm_image_cache_get_type ())
G_DECLARE_FINAL_TYPE (BmImageCache, bm_image_cache, BM, IMAGE_CACHE, GObject)

BmImageCache *bm_image_cache_new            (guint          max_images);

/* Completes with the image (from the cache, from a prefetch under way, or freshly decoded). */
void          bm_image_cache_load_async     (BmImageCache  *self,
                                             const char    *path,
                                             GCancellable  *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer       user_data);
BmTileImage  *bm_image_cache_load_finish    (BmImageCache  *self,
                                             GAsyncResult  *result,
                                             GError       **error);

/* Starts decoding @path in the background unless it is cached or already being decoded. */
void          bm_image_cache_prefetch       (BmImageCache  *self,
                                             const char    *path);
/* The decoded image if it is cached, else NULL. Does not start anything. */
BmTileImage  *bm_image_cache_lookup         (BmImageCache  *self,
                                             const char    *path);
/* Drops everything (a new folder was opened). */
void          bm_image_cache_clear          (BmImageCache  *self);
guint         bm_image_cache_get_n_cached   (BmImageCache  *self);

G_END_DECLS
