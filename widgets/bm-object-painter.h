/* bm-object-painter.h: how an object's outline and caption look, shared by the canvas and the
 * augmentation preview.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-geometry.h"

G_BEGIN_DECLS

/* Image point (x, y) is drawn at (offset_x + x * zoom, offset_y + y * zoom). */
void bm_object_painter_shape_path     (cairo_t       *cr,
                                       const BmShape *shape,
                                       double         offset_x,
                                       double         offset_y,
                                       double         zoom);
/* How an outline is drawn: difficult objects are dashed, pre-annotations (a detector's guess
 * not yet accepted by a person) dotted, with a marker (bm_object_painter_draw_pre_annotation_marker);
 * a difficult pre-annotation dash-dotted, with the marker too. */
typedef enum
{
  BM_OUTLINE_SOLID,
  BM_OUTLINE_DIFFICULT,
  BM_OUTLINE_PRE_ANNOTATION,
  BM_OUTLINE_DIFFICULT_PRE_ANNOTATION,
} BmOutlineStyle;

/* The most values bm_object_painter_get_dash() fills in. */
#define BM_OUTLINE_MAX_DASHES 4

BmOutlineStyle bm_object_painter_outline_style (gboolean difficult,
                                                gboolean pre_annotation);
/* The dash pattern of @style in view px: fills @dashes (at least BM_OUTLINE_MAX_DASHES) and
 * returns how many values it holds, 0 for a solid line. */
int  bm_object_painter_get_dash       (BmOutlineStyle  style,
                                       double         *dashes);
/* Strokes the current path: a dark halo, then the outline in @colour. @dashed is
 * BM_OUTLINE_DIFFICULT's dashes. */
void bm_object_painter_stroke_outline (cairo_t       *cr,
                                       const GdkRGBA *colour,
                                       double         halo_width,
                                       double         line_width,
                                       gboolean       dashed);
void bm_object_painter_stroke_styled  (cairo_t        *cr,
                                       const GdkRGBA  *colour,
                                       double          halo_width,
                                       double          line_width,
                                       BmOutlineStyle  style);
/* The small sparkle put at the top-right corner (x, y) in view px of a pre-annotation. */
void bm_object_painter_draw_pre_annotation_marker (cairo_t       *cr,
                                                   const GdkRGBA *colour,
                                                   double         x,
                                                   double         y);
/* A detector's score as shown: rounded to two decimals ("0.87"), and shown as a whole number
 * when it rounds to one ("4" for a neighbour count, "1" for 0.999; "0", never "-0"); "1e+12"
 * from a million up; "—" for NaN and infinities. */
char *bm_object_painter_format_score  (double         score);
/* A caption above (x, y) in view px, or below it when there is no room above @top. */
void bm_object_painter_draw_caption   (cairo_t       *cr,
                                       GtkWidget     *widget,
                                       const char    *text,
                                       const GdkRGBA *colour,
                                       double         x,
                                       double         y,
                                       double         top);

G_END_DECLS
