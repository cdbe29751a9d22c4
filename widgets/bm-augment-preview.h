/* bm-augment-preview.h: draws an augmentation sample with its moved objects, optionally beside
 * (or instead of) the original.
 *
 * The image is drawn from a BmTileImage (tiles of at most BM_TILE_SIZE px), never as one
 * texture (GTK 4.8's GL renderer crashes on some sizes above 16384 px). While the view shows
 * the whole sample, that tile image is made from a copy downscaled to the view's size (fast
 * enough to follow a slider); zoomed in, the panel swaps in one at full resolution, or
 * downscaled to BM_AUGMENT_PREVIEW_MAX_DISPLAY px a side for larger images, which keeps memory
 * bounded. Objects the profile drops are drawn grey and dashed;
 * mixup weights below 1 make the outline fainter.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-augment.h"
#include "bm-tile-image.h"

G_BEGIN_DECLS

#define BM_AUGMENT_PREVIEW_MAX_DISPLAY 8192

typedef enum
{
  BM_AUGMENT_PREVIEW_SAMPLE,        /* the augmented sample only */
  BM_AUGMENT_PREVIEW_SIDE_BY_SIDE,  /* original left, sample right */
  BM_AUGMENT_PREVIEW_ORIGINAL,      /* the original only (toggled) */
} BmAugmentPreviewMode;

#define BM_TYPE_AUGMENT_PREVIEW_MODE (bm_augment_preview_mode_get_type ())
GType bm_augment_preview_mode_get_type (void) G_GNUC_CONST;

#define BM_TYPE_AUGMENT_PREVIEW (bm_augment_preview_get_type ())
G_DECLARE_FINAL_TYPE (BmAugmentPreview, bm_augment_preview, BM, AUGMENT_PREVIEW, GtkWidget)

GtkWidget             *bm_augment_preview_new          (void);

/* What to draw for @image: a tile image of @image itself, or of a copy downscaled by a whole
 * factor so that its longest side is still at least @max_side (the view's size in device
 * pixels: nothing it can show is lost) and at most BM_AUGMENT_PREVIEW_MAX_DISPLAY (@max_side 0:
 * as sharp as that allows). @scale receives display px per image px. Safe to call from a
 * worker thread. NULL for an empty image. */
BmTileImage           *bm_augment_preview_make_display (const BmImage      *image,
                                                        int                 max_side,
                                                        double             *scale);

/* Takes @sample (may be NULL); @display is what bm_augment_preview_make_display made of its
 * image (a reference is taken; NULL makes one here). */
void                   bm_augment_preview_take_sample  (BmAugmentPreview   *self,
                                                        BmAugmentSample    *sample,
                                                        BmTileImage        *display,
                                                        double              display_scale);
const BmAugmentSample *bm_augment_preview_get_sample   (BmAugmentPreview   *self);
void                   bm_augment_preview_take_original (BmAugmentPreview  *self,
                                                         BmAugmentSample   *original,
                                                         BmTileImage       *display,
                                                         double             display_scale);
const BmAugmentSample *bm_augment_preview_get_original (BmAugmentPreview   *self);
/* Replaces the display of the shown sample (@original FALSE) or original by a sharper one. */
void                   bm_augment_preview_set_display  (BmAugmentPreview   *self,
                                                        gboolean            original,
                                                        BmTileImage        *display,
                                                        double              display_scale);
/* Display px per image px of the sample or the original (1 = full resolution). */
double                 bm_augment_preview_get_display_scale (BmAugmentPreview *self,
                                                             gboolean          original);
/* The longest side, in device pixels, a display needs to be drawn without loss at zoom 1. */
int                    bm_augment_preview_get_display_budget (BmAugmentPreview *self);

BmAugmentPreviewMode   bm_augment_preview_get_mode     (BmAugmentPreview   *self);
void                   bm_augment_preview_set_mode     (BmAugmentPreview   *self,
                                                        BmAugmentPreviewMode mode);

/* Text shown over the view ("Working…", an error); NULL for none. */
void                   bm_augment_preview_set_message  (BmAugmentPreview   *self,
                                                        const char         *message);

/* 1 = fitted; larger zooms in about the middle of the view. Scrolling zooms at the pointer, dragging pans, double-click fits. */
double                 bm_augment_preview_get_zoom     (BmAugmentPreview   *self);
void                   bm_augment_preview_set_zoom     (BmAugmentPreview   *self,
                                                        double              zoom);

/* Where image point (@x, @y) of the sample (@original FALSE) or the original is drawn, in
 * widget coordinates. FALSE when that image is not shown. */
gboolean               bm_augment_preview_image_to_view (BmAugmentPreview  *self,
                                                         gboolean           original,
                                                         double             x,
                                                         double             y,
                                                         double            *view_x,
                                                         double            *view_y);

G_END_DECLS
