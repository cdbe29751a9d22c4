/* bm-detector-private.h: the pieces of the detector, shared between its files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "bm-cascade.h"
#include "bm-detector.h"

G_BEGIN_DECLS

/* OpenCV's resize(INTER_LINEAR_EXACT) for 8-bit gray (bm-detector-resize.c). */
void bm_detector_resize_exact (const guint8 *src, int src_width, int src_height, int src_stride,
                               guint8 *dst, int dst_width, int dst_height, int dst_stride);

/* Working memory of one scan; reused across scales by one thread (bm-detector-scan.c). */
typedef struct _BmScanBuffers BmScanBuffers;

BmScanBuffers *bm_scan_buffers_new  (void);
void           bm_scan_buffers_free (BmScanBuffers *buffers);

/* Scans one scale: the image is resized to @scaled_width × @scaled_height, every window
 * origin (x, y) with y < @y_end is tried with OpenCV's step and skip rules, and the origins of
 * windows that pass every stage are appended to @hits as pairs of ints (x, y), in y then x order. */
void bm_detector_scan_scale (const BmCascade *cascade, BmScanBuffers *buffers,
                             const guint8 *pixels, int width, int height, int stride,
                             int scaled_width, int scaled_height, int step, int y_end, GArray *hits);

/* groupRectangles(rects, min_neighbors, 0.2) then clipping to the image (bm-detector-group.c).
 * @rects holds BmDetection (neighbors ignored); returns a new array. */
GArray *bm_detector_group (GArray *rects, int min_neighbors, int image_width, int image_height);

G_END_DECLS
