/* bm-edit-controller.h: labelling on a BmCanvas — pointer input turned into BmEditor edits,
 * the drawing modes, the label popover, and the overlay (handles, shape being drawn, crosshair).
 *
 * The window keeps one controller for its canvas and gives it each image's annotation; the
 * controller makes a BmEditor (with its undo history) per image and keeps the clipboard and the
 * previously shown annotation (for "copy previous") across images. Operations return FALSE when
 * they did nothing (read-only annotation, nothing selected...), so a caller can ring the bell.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dataset/bm-class-catalog.h"
#include "core/bm-editor.h"
#include "core/bm-shape-drawer.h"
#include "bm-canvas.h"
#include "bm-label-popover.h"
#include "bm-visibility.h"

G_BEGIN_DECLS

/* Hit tolerance and handle size, in screen pixels. */
#define BM_EDIT_CONTROLLER_TOLERANCE 6.0
/* Offset of a duplicate or a second paste, in image pixels. */
#define BM_EDIT_CONTROLLER_COPY_OFFSET 10.0

#define BM_TYPE_EDIT_CONTROLLER (bm_edit_controller_get_type ())
G_DECLARE_FINAL_TYPE (BmEditController, bm_edit_controller, BM, EDIT_CONTROLLER, GObject)

/* Adds its event controllers to @canvas and parents the label popover to it. */
BmEditController *bm_edit_controller_new            (BmCanvas *canvas);
BmCanvas         *bm_edit_controller_get_canvas      (BmEditController *self);

/* The annotation being edited (NULL for none). A new editor and history start; the annotation
 * shown before stays available to bm_edit_controller_copy_previous. */
void              bm_edit_controller_set_annotation  (BmEditController *self, BmAnnotation *annotation);
/* Edits through @editor (NULL for none), whose history another object may also follow (the
 * window's BmSession makes one per image); otherwise as bm_edit_controller_set_annotation. */
void              bm_edit_controller_set_editor      (BmEditController *self, BmEditor *editor);
/* A shape is being drawn, dragged or waits for its label: what Escape cancels. Notified as
 * "busy". */
gboolean          bm_edit_controller_get_busy        (BmEditController *self);
BmEditor         *bm_edit_controller_get_editor      (BmEditController *self);
BmShapeDrawer    *bm_edit_controller_get_drawer      (BmEditController *self);
BmLabelPopover   *bm_edit_controller_get_label_popover (BmEditController *self);
void              bm_edit_controller_set_catalog     (BmEditController *self, BmClassCatalog *catalog);
BmClassCatalog   *bm_edit_controller_get_catalog     (BmEditController *self);
void              bm_edit_controller_set_allow_outside (BmEditController *self, gboolean allow_outside);
/* Objects hidden by @visibility cannot be hit or selected (NULL: all can). */
void              bm_edit_controller_set_visibility  (BmEditController *self, BmVisibility *visibility);
/* What the editors round edited coordinates to: 1 (whole pixels, the default), 0.01, 0 (none). */
void              bm_edit_controller_set_precision   (BmEditController *self, double precision);
double            bm_edit_controller_get_precision   (BmEditController *self);
/* "Use the last label without asking" (X-AnyLabeling's auto-label mode): a drawn shape takes
 * the last label given, without the popover; the first one of a session still asks. */
void              bm_edit_controller_set_use_last_label (BmEditController *self, gboolean use_last_label);
gboolean          bm_edit_controller_get_use_last_label (BmEditController *self);
/* The label the last shape got ("" before the first), for the popover's highlight. */
const char       *bm_edit_controller_get_last_label  (BmEditController *self);

/* Unsaved edits since the last bm_edit_controller_mark_saved (or since the image was shown). */
gboolean          bm_edit_controller_get_dirty       (BmEditController *self);
void              bm_edit_controller_mark_saved      (BmEditController *self);

/* Keyboard operations (the window's actions) */
gboolean          bm_edit_controller_start_drawing   (BmEditController *self, BmDrawMode mode);
/* Escape: drops the shape being drawn, a drag, or a shape waiting for its label. FALSE when
 * there was none (the window then clears the selection). */
gboolean          bm_edit_controller_escape          (BmEditController *self);
gboolean          bm_edit_controller_delete          (BmEditController *self);
gboolean          bm_edit_controller_duplicate       (BmEditController *self);
gboolean          bm_edit_controller_copy            (BmEditController *self);
gboolean          bm_edit_controller_paste           (BmEditController *self);
gboolean          bm_edit_controller_copy_previous   (BmEditController *self);
gboolean          bm_edit_controller_undo            (BmEditController *self);
gboolean          bm_edit_controller_redo            (BmEditController *self);
gboolean          bm_edit_controller_rotate          (BmEditController *self, double angle);
gboolean          bm_edit_controller_nudge           (BmEditController *self, double dx, double dy);
gboolean          bm_edit_controller_has_selection   (BmEditController *self);
gboolean          bm_edit_controller_select_all      (BmEditController *self);
/* Relabels the selection (or labels the shape waiting for its label) with the @digit-th class. */
gboolean          bm_edit_controller_label_digit     (BmEditController *self, guint digit);
gboolean          bm_edit_controller_set_label       (BmEditController *self, const char *label);
/* Opens the label popover for the selection. */
gboolean          bm_edit_controller_edit_label      (BmEditController *self);
gboolean          bm_edit_controller_toggle_difficult (BmEditController *self);
/* Pre-annotations: accept the selected ones, all of the image, or delete those scoring below
 * @threshold (each one undo step). */
gboolean          bm_edit_controller_accept          (BmEditController *self);
gboolean          bm_edit_controller_accept_all      (BmEditController *self);
guint             bm_edit_controller_delete_weak     (BmEditController *self, double threshold);
/* Tab: selects the next object stacked under the last click (@step -1: the previous one). */
gboolean          bm_edit_controller_cycle_stacked   (BmEditController *self, int step);

/* Pointer input in image coordinates (what the canvas gestures call). */
void              bm_edit_controller_press           (BmEditController *self, double x, double y, GdkModifierType state);
void              bm_edit_controller_motion          (BmEditController *self, double x, double y, GdkModifierType state);
void              bm_edit_controller_release         (BmEditController *self, double x, double y, GdkModifierType state);

/* A drawn shape waiting for its label (the popover is open). */
gboolean          bm_edit_controller_has_pending     (BmEditController *self);

/* Draws handles, the multi-selection, the shape being drawn and the crosshair, in the
 * canvas's view coordinates. */
void              bm_edit_controller_draw_overlay    (BmEditController *self, cairo_t *cr);

/* Window actions ---------------------------------------------------------------------------- */
/* Installs the labelling actions on a window class, with their keys (the table in
 * bm-edit-controller-actions.c): win.draw-box (w), win.draw-rotated (e), win.draw-quad (q),
 * win.delete-object (Delete), win.duplicate (Ctrl+D), win.copy (Ctrl+C), win.paste (Ctrl+V),
 * win.copy-previous (Ctrl+Shift+V), win.undo (Ctrl+Z), win.redo (Ctrl+Shift+Z, Ctrl+Y),
 * win.rotate(d) (z x c v), win.nudge((dd)) (no key here: the arrows, Shift for 10 px, are
 * handled on the focused canvas), win.label-class(u) (1–9), win.edit-label (Ctrl+E, F2),
 * win.select-all (Ctrl+A), win.toggle-difficult (Ctrl+Shift+F), win.cancel-edit (Escape),
 * win.accept (Enter: the selected pre-annotations), win.accept-all (Ctrl+Enter).
 * win.cancel-edit is enabled only while busy: a window that binds Escape too must keep its own
 * action disabled then, and either may be installed first. */
void              bm_edit_controller_install_actions (GtkWidgetClass *widget_class);
/* The widget (a window of that class) whose actions this controller serves. */
void              bm_edit_controller_set_action_widget (BmEditController *self, GtkWidget *widget);
/* Recomputes which actions are enabled (the controller also does it after every change). */
void              bm_edit_controller_update_actions  (BmEditController *self);

G_END_DECLS
