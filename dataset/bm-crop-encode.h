/* bm-crop-encode.h: the image files crop and synth write: PNG through core's libpng encoder
 * (core/bm-png-write, shared with split), JPEG with libjpeg-turbo, written atomically.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/bm-image.h"

G_BEGIN_DECLS

/* PNG of @image as it is (gray, gray + alpha, RGB or RGBA, 8 bit), as cv2.imwrite writes it. */
GBytes  *bm_crop_encode_png  (BmImage    *image,
                              GError    **error);
/* Baseline JPEG at @quality (1–100), 4:2:0 for colour. Alpha is dropped. Deterministic. */
GBytes  *bm_crop_encode_jpeg (BmImage    *image,
                              int         quality,
                              GError    **error);
/* Encodes by @path's extension (.png, .jpg, .jpeg) and writes atomically (bm_file_write_atomic). */
gboolean bm_crop_save_image  (BmImage    *image,
                              const char *path,
                              int         quality,
                              GError    **error);

G_END_DECLS
