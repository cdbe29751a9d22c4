/* bm-canvas.h: shows one image with its objects; zoom, pan, hover and selection.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-annotation.h"
#include "bm-tile-image.h"
#include "bm-visibility.h"

G_BEGIN_DECLS

#define BM_TYPE_CANVAS (bm_canvas_get_type ())
G_DECLARE_FINAL_TYPE (BmCanvas, bm_canvas, BM, CANVAS, GtkWidget)

GtkWidget    *bm_canvas_new                (void);

/* Shows @image with @annotation (either may be NULL) and fits the image to the view. */
void          bm_canvas_set_content        (BmCanvas     *self,
                                            BmTileImage  *image,
                                            BmAnnotation *annotation);
BmTileImage  *bm_canvas_get_image          (BmCanvas     *self);
BmAnnotation *bm_canvas_get_annotation     (BmCanvas     *self);

/* Text shown instead of an image ("Cannot open …"); NULL for none. */
void          bm_canvas_set_message        (BmCanvas     *self,
                                            const char   *message);
const char   *bm_canvas_get_message        (BmCanvas     *self);

gboolean      bm_canvas_get_show_labels    (BmCanvas     *self);
void          bm_canvas_set_show_labels    (BmCanvas     *self,
                                            gboolean      show_labels);

/* Index of the selected object, -1 for none. */
int           bm_canvas_get_selected       (BmCanvas     *self);
void          bm_canvas_set_selected       (BmCanvas     *self,
                                            int           index);
int           bm_canvas_get_hovered        (BmCanvas     *self);

double        bm_canvas_get_zoom           (BmCanvas     *self);
void          bm_canvas_zoom_fit           (BmCanvas     *self);
/* Zooms by @factor keeping the image point under view point (@x, @y) in place. */
void          bm_canvas_zoom_at            (BmCanvas     *self,
                                            double        factor,
                                            double        x,
                                            double        y);
void          bm_canvas_set_zoom           (BmCanvas     *self,
                                            double        zoom);
/* Selects object @index and brings it to the middle, zooming in (@zoom_in) or only as far
 * out as needed for it to fit. */
void          bm_canvas_show_object        (BmCanvas     *self,
                                            int           index,
                                            gboolean      zoom_in);

void          bm_canvas_image_to_view      (BmCanvas     *self,
                                            double        x,
                                            double        y,
                                            double       *view_x,
                                            double       *view_y);
void          bm_canvas_view_to_image      (BmCanvas     *self,
                                            double        view_x,
                                            double        view_y,
                                            double       *x,
                                            double       *y);
/* The topmost (smallest) object under view point (@view_x, @view_y), or -1. */
int           bm_canvas_object_at          (BmCanvas     *self,
                                            double        view_x,
                                            double        view_y);

/* Which objects are drawn and picked (NULL: all). The canvas redraws when it changes. */
void          bm_canvas_set_visibility     (BmCanvas            *self,
                                            BmVisibility        *visibility);
/* Draws on top of the objects, in view coordinates (the labelling overlay: handles, the shape
 * being drawn, the crosshair). */
typedef void (*BmCanvasOverlayFunc) (BmCanvas *canvas,
                                     cairo_t  *cr,
                                     gpointer  user_data);
void          bm_canvas_set_overlay_func   (BmCanvas            *self,
                                            BmCanvasOverlayFunc  func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);
/* A layer drawn between the objects and the overlay (predictions under review), in view
 * coordinates. */
void          bm_canvas_set_layer_func     (BmCanvas            *self,
                                            BmCanvasOverlayFunc  func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);

G_END_DECLS
