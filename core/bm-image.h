/* bm-image.h: decoded images (stb_image) in the EXIF-oriented frame, and header-only sizes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  int width;
  int height;
  int channels;       /* 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA */
  int stride;         /* bytes per row, >= width * channels */
  guint8 *data;
  int source_bits;    /* bits per channel in the file (8 or 16); data is always 8 bit */
  int orientation;    /* EXIF orientation (1-8) that was applied to reach this frame */
  /*< private >*/
  gint ref_count;
} BmImage;

#define BM_TYPE_IMAGE (bm_image_get_type ())
GType    bm_image_get_type (void) G_GNUC_CONST;

/* A zero-filled image. */
BmImage *bm_image_new        (int width, int height, int channels);
BmImage *bm_image_ref        (BmImage *image);
void     bm_image_unref      (BmImage *image);

/* Decodes @path and applies its EXIF orientation, so that width and height are what every
 * labelling tool and trainer sees. Errors name the file. */
BmImage *bm_image_load       (const char *path, GError **error);
BmImage *bm_image_load_from_memory (const guint8 *data, gsize length, const char *path, GError **error);

/* Reads only the file header: the size in the EXIF-oriented frame and the channel count,
 * without decoding pixels. */
gboolean bm_image_read_info  (const char *path, int *width, int *height, int *channels, GError **error);

/* EXIF orientation tag of a JPEG (1-8), 1 when absent or unreadable. */
int      bm_image_read_exif_orientation (const guint8 *data, gsize length);
/* A new image turned from orientation @orientation (1-8) into the upright frame. */
BmImage *bm_image_apply_orientation (BmImage *image, int orientation);

/* The same image with @channels channels (1, 3 or 4); gray from RGB uses OpenCV's BGR2GRAY
 * fixed-point formula so the detector sees what OpenCV sees. Returns a new reference. */
BmImage *bm_image_convert    (BmImage *image, int channels);

/* Writes PNG or JPEG (chosen by the extension) atomically. @quality is for JPEG (1-100). */
gboolean bm_image_save       (BmImage *image, const char *path, int quality, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmImage, bm_image_unref)

G_END_DECLS
