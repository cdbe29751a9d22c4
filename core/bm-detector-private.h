/* bm-detector-private.h: the pieces of the detector, shared between its files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "bm-cascade.h"
#include "bm-detector.h"

G_BEGIN_DECLS

/* OpenCV's resize(INTER_LINEAR_EXACT) for 8-bit gray (bm-detector-resize.c). */
void bm_detector_resize_exact (const guint8 *src, int src_width, int src_height, int src_stride,
                               guint8 *dst, int dst_width, int dst_height, int dst_stride);

/* Offsets are 32-bit like OpenCV's; bm_detector_scan_scale() refuses scales whose integrals
 * would not fit. */

/* A Haar feature at one scale: the corners of its 3 rects as offsets from the window origin in
 * the integral buffer (tilted rects point into the tilted plane), and their weights. */
typedef struct
{
  gint32 ofs[3][4];
  float weight[3];
} BmHaarOpt;

/* An LBP feature at one scale: the 4×4 corners of its 3×3 cells. */
typedef struct
{
  gint32 ofs[16];
} BmLbpOpt;

/* A one-split tree with two leaves, flattened; a Haar stump carries a copy of its feature so
 * that a stage reads one array in order. */
typedef struct
{
  BmHaarOpt haar;
  int feature;
  int node;
  float threshold;
  float left;
  float right;
} BmStump;

/* One scale ready to scan. Window k of row y starts at base + y · row_stride + k: at step 1
 * k is x; at step 2 the integrals are stored with even and odd columns apart, so that
 * neighbouring windows (x = 2k) still read neighbouring elements. */
typedef struct
{
  const BmCascade *cascade;
  const guint32 *base;
  gsize row_stride;
  gint32 norm_ofs[4];      /* the window interior in the sum plane */
  gint32 norm_sq_ofs[4];   /* the same in the squared-sum plane */
  double norm_area;
  const BmHaarOpt *haar;
  const BmLbpOpt *lbp;
  const BmStump *stumps;   /* when every tree is a stump */
  const BmHaarOpt *node_haar;   /* Haar trees: each node's feature, in node order */
} BmScan;

/* TRUE when the CPU has AVX2 and the detector may use it. */
gboolean bm_detector_simd_cpu (void);
/* The resize's horizontal pass for the first @width pixels, which must each read 4 bytes from
 * @row at @ofs; @weights packs c0 | c1 << 16. Returns how many pixels it did. */
int      bm_detector_simd_horizontal (const guint8 *row, const gint32 *ofs, const gint32 *weights,
                                      guint16 *out, int width);
/* The resize's vertical pass for a multiple of 16 pixels; returns how many it did. */
int      bm_detector_simd_vertical (const guint16 *h0, const guint16 *h1, guint32 c0, guint32 c1,
                                    guint8 *out, int width);

/* AVX2 evaluation of 8 neighbouring windows at once, with the same float and double operations
 * as the scalar code (bm-detector-simd.c). */
gboolean bm_detector_simd_usable (const BmCascade *cascade);
/* Windows p … p + n_lanes − 1 of a row in order, applying the skip rule through @skip_next;
 * returns the bit mask of windows that pass every stage. */
guint    bm_detector_simd_batch  (const BmScan *scan, const guint32 *p, int n_lanes, gboolean *skip_next);

/* Working memory of one scan; reused across scales by one thread (bm-detector-scan.c). */
typedef struct _BmScanBuffers BmScanBuffers;

BmScanBuffers *bm_scan_buffers_new  (void);
void           bm_scan_buffers_free (BmScanBuffers *buffers);

/* Scans one scale: the image is resized to @scaled_width × @scaled_height, every window
 * origin (x, y) with y < @y_end is tried with OpenCV's step and skip rules, and the origins of
 * windows that pass every stage are appended to @hits as pairs of ints (x, y), in y then x order. */
void bm_detector_scan_scale (const BmCascade *cascade, BmScanBuffers *buffers,
                             const guint8 *pixels, int width, int height, int stride,
                             int scaled_width, int scaled_height, int step, int y_end,
                             GCancellable *cancellable, GArray *hits);

/* groupRectangles(rects, min_neighbors, 0.2) then clipping to the image (bm-detector-group.c).
 * @rects holds BmDetection (neighbors ignored); returns a new array. */
GArray *bm_detector_group (GArray *rects, int min_neighbors, int image_width, int image_height);

G_END_DECLS
