/* bm-shape-drawer.h: the state machines that turn pointer input into a new shape.
 *
 *   BOX      (W) press, drag, release: an axis-aligned box; "square" (Shift) keeps it square.
 *   ROTATED  (E) the same drag gives an upright BM_SHAPE_ROTATED box, to be turned with the
 *            editor's rotation handle or z/x/c/v.
 *   QUAD     (Q) four clicks; stored in DOTA's order, clockwise on screen (y down), with the
 *            first clicked point kept first.
 * Escape cancels (bm_shape_drawer_cancel). Points are in image coordinates; unless
 * allow-outside is set they are clamped to the image.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-geometry.h"

G_BEGIN_DECLS

typedef enum
{
  BM_DRAW_NONE,
  BM_DRAW_BOX,
  BM_DRAW_ROTATED,
  BM_DRAW_QUAD,
} BmDrawMode;

typedef enum
{
  BM_DRAW_IGNORED,    /* the event was not for the drawer (no mode) */
  BM_DRAW_CONTINUE,   /* taken; the shape is not finished */
  BM_DRAW_FINISHED,   /* a shape is ready: bm_shape_drawer_get_result */
  BM_DRAW_CANCELLED,  /* too small (a click without a drag) or cancelled */
} BmDrawResult;

/* A drag shorter than this (in image pixels, both ways) is a click, not a box. */
#define BM_SHAPE_DRAWER_MIN_SIZE 2.0

#define BM_TYPE_SHAPE_DRAWER (bm_shape_drawer_get_type ())
G_DECLARE_FINAL_TYPE (BmShapeDrawer, bm_shape_drawer, BM, SHAPE_DRAWER, GObject)

BmShapeDrawer *bm_shape_drawer_new            (void);

/* Image size for clamping; 0 × 0 when unknown (no clamping). */
void          bm_shape_drawer_set_bounds      (BmShapeDrawer *self, double width, double height);
void          bm_shape_drawer_set_allow_outside (BmShapeDrawer *self, gboolean allow_outside);

/* Starts drawing a new shape of @mode (BM_DRAW_NONE stops); anything half-drawn is dropped. */
void          bm_shape_drawer_set_mode        (BmShapeDrawer *self, BmDrawMode mode);
BmDrawMode    bm_shape_drawer_get_mode        (BmShapeDrawer *self);
/* TRUE between the first press and the end of the shape. */
gboolean      bm_shape_drawer_is_active       (BmShapeDrawer *self);

BmDrawResult  bm_shape_drawer_press           (BmShapeDrawer *self, double x, double y, gboolean square);
BmDrawResult  bm_shape_drawer_motion          (BmShapeDrawer *self, double x, double y, gboolean square);
BmDrawResult  bm_shape_drawer_release         (BmShapeDrawer *self, double x, double y, gboolean square);
/* Drops the shape being drawn and leaves the mode (Escape). Returns whether anything was
 * being drawn or a mode was on. */
gboolean      bm_shape_drawer_cancel          (BmShapeDrawer *self);
/* Removes the last quad point (Backspace); FALSE when there was none. */
gboolean      bm_shape_drawer_remove_last_point (BmShapeDrawer *self);

/* The finished shape after BM_DRAW_FINISHED. The drawer then leaves its mode unless
 * "sticky" is set (draw several shapes in a row). */
const BmShape *bm_shape_drawer_get_result     (BmShapeDrawer *self);
void          bm_shape_drawer_set_sticky      (BmShapeDrawer *self, gboolean sticky);

/* What to draw while drawing: the points placed so far plus the pointer (for a box, its 4
 * corners). Returns the number of points written to @points (at most 4). */
guint         bm_shape_drawer_get_preview     (BmShapeDrawer *self, BmPoint points[4]);
/* The last pointer position (clamped), for the crosshair; FALSE when outside any drawing mode
 * or before the pointer was seen. */
gboolean      bm_shape_drawer_get_crosshair   (BmShapeDrawer *self, BmPoint *point);
/* Tells the drawer where the pointer is without a button (for the crosshair and the quad
 * preview); FALSE when no mode. */
gboolean      bm_shape_drawer_hover           (BmShapeDrawer *self, double x, double y);
void          bm_shape_drawer_leave           (BmShapeDrawer *self);

/* Orders four points as DOTA wants: clockwise on screen, @points[0] kept first. A
 * self-crossing order is untangled. */
void          bm_quad_order_clockwise         (BmPoint points[4]);

G_END_DECLS
