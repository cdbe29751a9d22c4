/* bm-detector.h: cascade object detection, giving exactly what OpenCV 4.6's
 * CascadeClassifier::detectMultiScale returns for the same gray image and parameters.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "bm-cascade.h"
#include "bm-image.h"

G_BEGIN_DECLS

typedef struct
{
  double scale_factor;   /* > 1; OpenCV's scaleFactor */
  int min_neighbors;     /* 0 returns every raw window, ungrouped */
  int min_width;         /* smallest window searched; 0 = the cascade's own size */
  int min_height;
  int max_width;         /* largest window searched; 0 = the image size */
  int max_height;
  int n_threads;         /* 0 = one per CPU; the result does not depend on it */
  GCancellable *cancellable;   /* optional; checked between rows */
} BmDetectorParams;

typedef struct
{
  int x, y, width, height;
  int neighbors;         /* windows grouped into this one (1 when min_neighbors is 0) */
} BmDetection;

/* scale 1.1, min neighbours 3, min size 30×30, no max size, all CPUs. */
void    bm_detector_params_init (BmDetectorParams *params);

/* Detects on an 8-bit gray buffer. Reentrant: one BmCascade may serve concurrent calls. Returns a GArray of BmDetection in OpenCV's single-thread
 * order (clusters by first appearance; raw windows scale, then y, then x), or NULL when
 * params->cancellable was cancelled. */
GArray *bm_detector_detect_gray (const BmCascade *cascade, const guint8 *pixels, int width, int height,
                                 int stride, const BmDetectorParams *params);

/* Detects on any BmImage: colour is turned gray with OpenCV's BGR2GRAY fixed-point formula,
 * alpha is ignored. */
GArray *bm_detector_detect      (const BmCascade *cascade, const BmImage *image, const BmDetectorParams *params);

/* OpenCV's COLOR_BGR2GRAY for 8 bits: (3735 B + 19235 G + 9798 R + 16384) >> 15. @pixels has
 * @channels channels in R, G, B(, A) order (1 or 2: the first channel is copied). */
void    bm_detector_to_gray     (const guint8 *pixels, int width, int height, int stride, int channels,
                                 guint8 *gray, int gray_stride);

/* Test hook: FALSE forces the scalar window evaluator (the default uses AVX2 when the CPU has it). */
void    bm_detector_set_simd_enabled (gboolean enabled);

G_END_DECLS
