/* bm-edit-controller-private.h: what the files of BmEditController share:
 *
 *   bm-edit-controller.c          the object, the editor it drives, labels, operations
 *   bm-edit-controller-input.c    pointer and keys on the canvas
 *   bm-edit-controller-overlay.c  handles, the shape being drawn, the crosshair
 *   bm-edit-controller-actions.c  the window actions (win.draw-box …) and their keys, one table
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-edit-controller.h"

G_BEGIN_DECLS

struct _BmEditController
{
  GObject parent_instance;

  BmCanvas *canvas;             /* not owned: the canvas owns its controllers */
  GtkWidget *action_widget;     /* not owned: the window whose actions call us */
  BmLabelPopover *popover;      /* child of the canvas */
  BmEditor *editor;
  BmAnnotation *annotation;
  BmAnnotation *previous;       /* the annotation shown before, for copy-previous */
  BmShapeDrawer *drawer;
  BmClassCatalog *catalog;
  GPtrArray *clipboard;         /* BmObject copies */
  char *last_label;
  BmVisibility *visibility;     /* which objects can be hit; NULL: all */
  gulong visibility_id;
  double precision;             /* given to each editor: 1, 0.01 or 0 */
  gboolean use_last_label;      /* label new shapes with the last label, without the popover */
  gulong changed_id;
  gulong dirty_id;
  gulong selection_id;
  gulong canvas_selected_id;

  GtkGesture *drag;
  double drag_start_x, drag_start_y;   /* view coordinates */
  gboolean allow_outside;
  gboolean space_held;
  gboolean pressed;
  gboolean moved;
  gboolean click_cycles;        /* Alt+click: the next object stacked there */
  gboolean has_click;           /* press_x/y is where the user last clicked (Tab cycles there) */
  gboolean syncing;
  double press_x, press_y;      /* image coordinates */

  gboolean has_pending;
  BmShape pending;
  gboolean relabel_selection;   /* the popover is open for the selection */
  gboolean was_busy;            /* "busy" as last notified */
};

/* bm-edit-controller.c */
double   _bm_edit_controller_tolerance     (BmEditController *self);
gboolean _bm_edit_controller_can_edit      (BmEditController *self);
void     _bm_edit_controller_redraw        (BmEditController *self);
void     _bm_edit_controller_update_cursor (BmEditController *self);
void     _bm_edit_controller_shape_finished (BmEditController *self);

/* bm-edit-controller-input.c */
void     _bm_edit_controller_input_init    (BmEditController *self);

/* bm-edit-controller-actions.c */
void     _bm_edit_controller_actions_set_widget (BmEditController *self, GtkWidget *widget);

G_END_DECLS
