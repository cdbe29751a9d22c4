/* bm-crop-encode.h: PNG and JPEG encoding with Debian's libpng and libjpeg-turbo, and the atomic
 * image write that crop and synth share.
 *
 * (core/bm_image_save encodes with stb_image_write; engineer `split` is adding a libpng encoder
 * to core/. This file is the crop/synth side's own until the two are merged.)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/bm-image.h"

G_BEGIN_DECLS

/* PNG of @image as it is (gray, gray + alpha, RGB or RGBA, 8 bit). Deterministic. */
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
