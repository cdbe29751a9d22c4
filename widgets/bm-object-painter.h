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
/* Strokes the current path: a dark halo, then the outline in @colour. */
void bm_object_painter_stroke_outline (cairo_t       *cr,
                                       const GdkRGBA *colour,
                                       double         halo_width,
                                       double         line_width,
                                       gboolean       dashed);
/* A caption above (x, y) in view px, or below it when there is no room above @top. */
void bm_object_painter_draw_caption   (cairo_t       *cr,
                                       GtkWidget     *widget,
                                       const char    *text,
                                       const GdkRGBA *colour,
                                       double         x,
                                       double         y,
                                       double         top);

G_END_DECLS
