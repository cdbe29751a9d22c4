/* bm-edit-controller.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-edit-controller.h"

#include <math.h>

#include "bm-class-colour.h"

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
  gboolean click_cycles;        /* a click on the selection picks the next stacked object */
  gboolean syncing;
  double press_x, press_y;      /* image coordinates */

  gboolean has_pending;
  BmShape pending;
  gboolean relabel_selection;   /* the popover is open for the selection */
};

G_DEFINE_FINAL_TYPE (BmEditController, bm_edit_controller, G_TYPE_OBJECT)

enum {
  EDITED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers ------------------------------------------------------------------------------------ */

static double
tolerance (BmEditController *self)
{
  double zoom = bm_canvas_get_zoom (self->canvas);

  return BM_EDIT_CONTROLLER_TOLERANCE / (zoom > 0 ? zoom : 1.0);
}

static gboolean
can_edit (BmEditController *self)
{
  return self->editor != NULL && bm_editor_can_edit (self->editor);
}

static void
redraw (BmEditController *self)
{
  if (self->canvas != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  bm_edit_controller_update_actions (self);
}

static void
report_error (BmEditController *self,
              const char       *message)
{
  g_signal_emit (self, signals[ERROR], 0, message);
}

static void
update_cursor (BmEditController *self)
{
  if (bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self->canvas), "crosshair");
  else
    gtk_widget_set_cursor (GTK_WIDGET (self->canvas), NULL);
}

static void
remember_label (BmEditController *self,
                const char       *label)
{
  if (label == NULL || g_strcmp0 (label, self->last_label) == 0)
    return;
  g_free (self->last_label);
  self->last_label = g_strdup (label);
}

/* The label a new shape gets before the user says otherwise. */
static const char *
default_label (BmEditController *self)
{
  if (self->last_label != NULL)
    return self->last_label;
  if (self->catalog != NULL && bm_class_catalog_get_n (self->catalog) > 0)
    return bm_class_catalog_get_name (self->catalog, 0);
  return "";
}

/* Selection kept in step with the canvas ----------------------------------------------------- */

static void
editor_selection_changed_cb (BmEditController *self,
                             BmEditor         *editor)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  bm_canvas_set_selected (self->canvas, bm_editor_get_primary (editor));
  self->syncing = FALSE;
  redraw (self);
}

static void
canvas_selected_cb (BmEditController *self)
{
  int selected = bm_canvas_get_selected (self->canvas);

  if (self->syncing || self->editor == NULL || selected == bm_editor_get_primary (self->editor))
    return;
  if (selected >= (int) bm_annotation_get_n_objects (self->annotation))
    return;
  self->syncing = TRUE;
  bm_editor_select (self->editor, selected);
  self->syncing = FALSE;
  redraw (self);
}

static void
annotation_changed_cb (BmEditController *self)
{
  redraw (self);
  g_signal_emit (self, signals[EDITED], 0);
}

/* Pending shapes and labels ------------------------------------------------------------------ */

static void
view_bounds (BmEditController *self,
             const BmShape    *shape,
             GdkRectangle     *rect)
{
  BmRect r = bm_shape_bounds (shape);
  double x1, y1, x2, y2;

  double width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  double height = gtk_widget_get_height (GTK_WIDGET (self->canvas));

  bm_canvas_image_to_view (self->canvas, r.x1, r.y1, &x1, &y1);
  bm_canvas_image_to_view (self->canvas, r.x2, r.y2, &x2, &y2);
  /* Kept on the canvas: GTK 4.8 cannot place a popover that points off the screen. */
  x1 = CLAMP (x1, 0, MAX (0, width - 1));
  x2 = CLAMP (x2, 0, MAX (0, width - 1));
  y1 = CLAMP (y1, 0, MAX (0, height - 1));
  y2 = CLAMP (y2, 0, MAX (0, height - 1));
  rect->x = (int) floor (x1);
  rect->y = (int) floor (y1);
  rect->width = MAX (1, (int) ceil (x2 - x1));
  rect->height = MAX (1, (int) ceil (y2 - y1));
}

static void
open_popover (BmEditController *self,
              const BmShape    *shape,
              const char       *text)
{
  GdkRectangle rect;

  view_bounds (self, shape, &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  bm_label_popover_set_text (self->popover, text);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static gboolean
commit_pending (BmEditController *self,
                const char       *label)
{
  g_autoptr(BmObject) object = NULL;

  if (!self->has_pending || label == NULL || label[0] == '\0' || !can_edit (self))
    return FALSE;
  self->has_pending = FALSE;
  object = bm_object_new (label, &self->pending);
  remember_label (self, label);
  return bm_editor_add_object (self->editor, object) >= 0;
}

static void
label_chosen_cb (BmEditController *self,
                 const char       *label,
                 gboolean          is_new,
                 BmLabelPopover   *popover)
{
  g_autoptr(GError) error = NULL;

  if (is_new && self->catalog != NULL && !bm_class_catalog_add (self->catalog, label, &error))
    report_error (self, error->message);
  if (self->has_pending)
    commit_pending (self, label);
  else if (self->relabel_selection && self->editor != NULL)
    {
      bm_editor_set_label_selected (self->editor, label);
      remember_label (self, label);
    }
  self->relabel_selection = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  redraw (self);
}

static void
label_cancelled_cb (BmEditController *self,
                    BmLabelPopover   *popover)
{
  self->has_pending = FALSE;
  self->relabel_selection = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  redraw (self);
}

static void
shape_finished (BmEditController *self)
{
  self->pending = *bm_shape_drawer_get_result (self->drawer);
  self->has_pending = TRUE;
  update_cursor (self);
  open_popover (self, &self->pending, default_label (self));
  redraw (self);
}

/* Pointer ------------------------------------------------------------------------------------ */

void
bm_edit_controller_press (BmEditController *self,
                          double            x,
                          double            y,
                          GdkModifierType   state)
{
  BmHit hit;

  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  self->pressed = TRUE;
  self->moved = FALSE;
  self->click_cycles = FALSE;
  self->press_x = x;
  self->press_y = y;
  if (self->editor == NULL || self->has_pending)
    return;

  if (bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE)
    {
      if (bm_shape_drawer_press (self->drawer, x, y, (state & GDK_SHIFT_MASK) != 0) == BM_DRAW_FINISHED)
        shape_finished (self);
      redraw (self);
      return;
    }

  if (state & GDK_CONTROL_MASK)
    {
      int index = bm_editor_object_at (self->editor, x, y, tolerance (self));

      if (index >= 0)
        bm_editor_toggle_selected (self->editor, (guint) index);
      return;
    }

  if (!bm_editor_hit_test (self->editor, x, y, tolerance (self), &hit))
    {
      bm_editor_select (self->editor, -1);
      bm_editor_object_at (self->editor, x, y, tolerance (self));   /* forget the last pick */
      return;
    }
  if (hit.kind == BM_HANDLE_BODY)
    {
      if (bm_editor_is_selected (self->editor, (guint) hit.object))
        self->click_cycles = TRUE;
      else
        {
          hit.object = bm_editor_object_at (self->editor, x, y, tolerance (self));
          bm_editor_select (self->editor, hit.object);
        }
    }
  if (can_edit (self))
    bm_editor_begin_drag (self->editor, &hit, x, y);
}

void
bm_edit_controller_motion (BmEditController *self,
                           double            x,
                           double            y,
                           GdkModifierType   state)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if (self->pressed && hypot (x - self->press_x, y - self->press_y) * bm_canvas_get_zoom (self->canvas) >= 3)
    self->moved = TRUE;
  if (bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE)
    {
      bm_shape_drawer_motion (self->drawer, x, y, (state & GDK_SHIFT_MASK) != 0);
      redraw (self);
      return;
    }
  if (self->pressed && self->editor != NULL && bm_editor_is_dragging (self->editor) && self->moved)
    bm_editor_update_drag (self->editor, x, y);
}

void
bm_edit_controller_release (BmEditController *self,
                            double            x,
                            double            y,
                            GdkModifierType   state)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if (!self->pressed)
    return;
  bm_edit_controller_motion (self, x, y, state);
  self->pressed = FALSE;
  if (bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE)
    {
      if (bm_shape_drawer_release (self->drawer, x, y, (state & GDK_SHIFT_MASK) != 0) == BM_DRAW_FINISHED)
        shape_finished (self);
      redraw (self);
      return;
    }
  if (self->editor == NULL)
    return;
  if (bm_editor_is_dragging (self->editor))
    bm_editor_end_drag (self->editor);
  if (self->click_cycles && !self->moved)
    bm_editor_select (self->editor, bm_editor_object_at (self->editor, x, y, tolerance (self)));
  redraw (self);
}

/* Gestures on the canvas --------------------------------------------------------------------- */

static GdkModifierType
current_state (GtkGesture *gesture)
{
  return gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
}

static void
drag_begin_cb (BmEditController *self,
               double            x,
               double            y,
               GtkGestureDrag   *gesture)
{
  double ix, iy;

  /* Space + drag pans: leave it to the canvas. So is everything when there is nothing to edit. */
  if (self->space_held || self->editor == NULL || bm_canvas_get_image (self->canvas) == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  self->drag_start_x = x;
  self->drag_start_y = y;
  bm_canvas_view_to_image (self->canvas, x, y, &ix, &iy);
  bm_edit_controller_press (self, ix, iy, current_state (GTK_GESTURE (gesture)));
}

static void
drag_update_cb (BmEditController *self,
                double            dx,
                double            dy,
                GtkGestureDrag   *gesture)
{
  double ix, iy;

  bm_canvas_view_to_image (self->canvas, self->drag_start_x + dx, self->drag_start_y + dy, &ix, &iy);
  bm_edit_controller_motion (self, ix, iy, current_state (GTK_GESTURE (gesture)));
}

static void
drag_end_cb (BmEditController *self,
             double            dx,
             double            dy,
             GtkGestureDrag   *gesture)
{
  double ix, iy;

  bm_canvas_view_to_image (self->canvas, self->drag_start_x + dx, self->drag_start_y + dy, &ix, &iy);
  bm_edit_controller_release (self, ix, iy, current_state (GTK_GESTURE (gesture)));
}

static void
drag_cancel_cb (BmEditController *self,
                GdkEventSequence *sequence,
                GtkGesture       *gesture)
{
  if (self->editor != NULL && bm_editor_is_dragging (self->editor))
    bm_editor_end_drag (self->editor);
  self->pressed = FALSE;
}

static void
hover_cb (BmEditController         *self,
          double                    x,
          double                    y,
          GtkEventControllerMotion *controller)
{
  double ix, iy;

  if (bm_shape_drawer_get_mode (self->drawer) == BM_DRAW_NONE)
    return;
  bm_canvas_view_to_image (self->canvas, x, y, &ix, &iy);
  bm_shape_drawer_hover (self->drawer, ix, iy);
  redraw (self);
}

static void
leave_cb (BmEditController         *self,
          GtkEventControllerMotion *controller)
{
  bm_shape_drawer_leave (self->drawer);
  redraw (self);
}

static gboolean
key_pressed_cb (BmEditController      *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  double step = (state & GDK_SHIFT_MASK) ? 10 : 1;

  if (keyval == GDK_KEY_space)
    self->space_held = TRUE;
  else if (keyval == GDK_KEY_BackSpace && bm_shape_drawer_remove_last_point (self->drawer))
    {
      redraw (self);
      return TRUE;
    }
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || !bm_edit_controller_has_selection (self) || !can_edit (self))
    return FALSE;
  /* Arrows nudge the selection. Handled here, on the focused canvas, because GtkWindow's own
   * arrow bindings (focus moves) would run before any window subclass binding. */
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      bm_edit_controller_nudge (self, -step, 0);
      return TRUE;
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      bm_edit_controller_nudge (self, step, 0);
      return TRUE;
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
      bm_edit_controller_nudge (self, 0, -step);
      return TRUE;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
      bm_edit_controller_nudge (self, 0, step);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
key_released_cb (BmEditController      *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_space)
    self->space_held = FALSE;
}

/* Operations --------------------------------------------------------------------------------- */

gboolean
bm_edit_controller_start_drawing (BmEditController *self,
                                  BmDrawMode        mode)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!can_edit (self) && mode != BM_DRAW_NONE)
    return FALSE;
  bm_shape_drawer_set_bounds (self->drawer, bm_annotation_get_width (self->annotation),
                              bm_annotation_get_height (self->annotation));
  bm_shape_drawer_set_allow_outside (self->drawer, self->allow_outside);
  bm_shape_drawer_set_mode (self->drawer, mode);
  update_cursor (self);
  redraw (self);
  return TRUE;
}

gboolean
bm_edit_controller_escape (BmEditController *self)
{
  gboolean did = FALSE;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->has_pending)
    {
      self->has_pending = FALSE;
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      did = TRUE;
    }
  if (self->editor != NULL && bm_editor_is_dragging (self->editor))
    {
      bm_editor_cancel_drag (self->editor);
      self->pressed = FALSE;
      did = TRUE;
    }
  if (bm_shape_drawer_cancel (self->drawer))
    did = TRUE;
  update_cursor (self);
  redraw (self);
  return did;
}

gboolean
bm_edit_controller_delete (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return can_edit (self) && bm_editor_delete_selected (self->editor);
}

gboolean
bm_edit_controller_duplicate (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return can_edit (self) && bm_editor_duplicate_selected (self->editor, BM_EDIT_CONTROLLER_COPY_OFFSET);
}

gboolean
bm_edit_controller_copy (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->editor == NULL || bm_editor_get_n_selected (self->editor) == 0)
    return FALSE;
  g_clear_pointer (&self->clipboard, g_ptr_array_unref);
  self->clipboard = bm_editor_copy_selected (self->editor);
  bm_edit_controller_update_actions (self);
  return TRUE;
}

gboolean
bm_edit_controller_paste (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!can_edit (self) || self->clipboard == NULL)
    return FALSE;
  return bm_editor_paste (self->editor, self->clipboard, BM_EDIT_CONTROLLER_COPY_OFFSET) > 0;
}

gboolean
bm_edit_controller_copy_previous (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!can_edit (self) || self->previous == NULL)
    return FALSE;
  return bm_editor_copy_all_from (self->editor, self->previous) > 0;
}

gboolean
bm_edit_controller_undo (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  bm_edit_controller_escape (self);
  return can_edit (self) && bm_editor_undo (self->editor);
}

gboolean
bm_edit_controller_redo (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  bm_edit_controller_escape (self);
  return can_edit (self) && bm_editor_redo (self->editor);
}

gboolean
bm_edit_controller_rotate (BmEditController *self,
                           double            angle)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return can_edit (self) && bm_editor_rotate_selected (self->editor, angle);
}

gboolean
bm_edit_controller_nudge (BmEditController *self,
                          double            dx,
                          double            dy)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return can_edit (self) && bm_editor_move_selected (self->editor, dx, dy);
}

gboolean
bm_edit_controller_has_selection (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->editor != NULL && bm_editor_get_n_selected (self->editor) > 0;
}

gboolean
bm_edit_controller_select_all (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->editor == NULL || bm_annotation_get_n_objects (self->annotation) == 0)
    return FALSE;
  bm_editor_select_all (self->editor);
  return TRUE;
}

gboolean
bm_edit_controller_set_label (BmEditController *self,
                              const char       *label)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (label == NULL || label[0] == '\0' || !can_edit (self))
    return FALSE;
  if (self->has_pending)
    {
      gboolean done = commit_pending (self, label);

      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return done;
    }
  if (!bm_editor_set_label_selected (self->editor, label))
    return FALSE;
  remember_label (self, label);
  return TRUE;
}

gboolean
bm_edit_controller_label_digit (BmEditController *self,
                                guint             digit)
{
  const char *label;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  label = self->catalog ? bm_class_catalog_get_for_digit (self->catalog, digit) : NULL;
  return label != NULL && bm_edit_controller_set_label (self, label);
}

gboolean
bm_edit_controller_edit_label (BmEditController *self)
{
  int primary;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!can_edit (self) || (primary = bm_editor_get_primary (self->editor)) < 0)
    return FALSE;
  self->relabel_selection = TRUE;
  open_popover (self, bm_object_get_shape (bm_annotation_get_object (self->annotation, (guint) primary)),
                bm_object_get_label (bm_annotation_get_object (self->annotation, (guint) primary)));
  return TRUE;
}

gboolean
bm_edit_controller_toggle_difficult (BmEditController *self)
{
  int primary;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!can_edit (self) || (primary = bm_editor_get_primary (self->editor)) < 0)
    return FALSE;
  return bm_editor_set_difficult_selected (self->editor,
                                           bm_object_get_difficult (bm_annotation_get_object (self->annotation, (guint) primary)) ? 0 : 1);
}

gboolean
bm_edit_controller_has_pending (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->has_pending;
}

/* Overlay ------------------------------------------------------------------------------------ */

static void
to_view (BmEditController *self,
         BmPoint           p,
         double           *x,
         double           *y)
{
  bm_canvas_image_to_view (self->canvas, p.x, p.y, x, y);
}

static void
points_path (BmEditController *self,
             cairo_t          *cr,
             const BmPoint    *points,
             guint             n,
             gboolean          close)
{
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      to_view (self, points[i], &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (close)
    cairo_close_path (cr);
}

static void
stroke_dashed (cairo_t *cr)
{
  cairo_set_line_width (cr, 3.0);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, (double[]) { 5.0, 4.0 }, 2, 0);
  cairo_set_line_width (cr, 1.5);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
handle_square (cairo_t       *cr,
               double         x,
               double         y,
               const GdkRGBA *colour)
{
  double half = BM_EDIT_CONTROLLER_TOLERANCE / 2;

  cairo_rectangle (cr, round (x) - half, round (y) - half, 2 * half, 2 * half);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

static void
draw_handles (BmEditController *self,
              cairo_t          *cr,
              guint             index)
{
  BmObject *object = bm_annotation_get_object (self->annotation, index);
  const BmShape *s = bm_object_get_shape (object);
  GdkRGBA colour;
  BmPoint handle, anchor;
  double hx, hy, ax, ay;

  bm_class_colour_for_label (bm_object_get_label (object), &colour);
  if (s->kind != BM_SHAPE_QUAD)
    for (int k = 0; k < 4; k++)
      {
        BmPoint mid = { (s->p[k].x + s->p[(k + 1) % 4].x) / 2, (s->p[k].y + s->p[(k + 1) % 4].y) / 2 };
        double x, y;

        to_view (self, mid, &x, &y);
        handle_square (cr, x, y, &colour);
      }
  for (int k = 0; k < 4; k++)
    {
      double x, y;

      to_view (self, s->p[k], &x, &y);
      handle_square (cr, x, y, &colour);
    }
  if (bm_editor_get_rotate_handle (self->editor, index, tolerance (self), &handle, &anchor))
    {
      to_view (self, handle, &hx, &hy);
      to_view (self, anchor, &ax, &ay);
      cairo_move_to (cr, ax, ay);
      cairo_line_to (cr, hx, hy);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_arc (cr, hx, hy, BM_EDIT_CONTROLLER_TOLERANCE * 0.75, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_stroke (cr);
    }
}

static void
draw_crosshair (BmEditController *self,
                cairo_t          *cr)
{
  BmPoint p;
  double x, y;
  int width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (self->canvas));

  if (!bm_shape_drawer_get_crosshair (self->drawer, &p))
    return;
  to_view (self, p, &x, &y);
  x = round (x) + 0.5;
  y = round (y) + 0.5;
  cairo_move_to (cr, 0, y);
  cairo_line_to (cr, width, y);
  cairo_move_to (cr, x, 0);
  cairo_line_to (cr, x, height);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, (double[]) { 4.0, 4.0 }, 2, 0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

void
bm_edit_controller_draw_overlay (BmEditController *self,
                                 cairo_t          *cr)
{
  BmPoint preview[4];
  guint n;

  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if (self->annotation == NULL)
    return;
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);

  if (self->editor != NULL)
    {
      guint n_selected;
      const guint *selection = bm_editor_get_selection (self->editor, &n_selected);
      int primary = bm_editor_get_primary (self->editor);

      for (guint i = 0; i < n_selected; i++)
        if ((int) selection[i] != primary)
          {
            points_path (self, cr, bm_object_get_shape (bm_annotation_get_object (self->annotation, selection[i]))->p, 4, TRUE);
            stroke_dashed (cr);
          }
      if (primary >= 0 && can_edit (self) && bm_shape_drawer_get_mode (self->drawer) == BM_DRAW_NONE)
        draw_handles (self, cr, (guint) primary);
    }

  n = bm_shape_drawer_get_preview (self->drawer, preview);
  if (n > 0)
    {
      points_path (self, cr, preview, n, n == 4);
      stroke_dashed (cr);
      for (guint i = 0; i < n && bm_shape_drawer_get_mode (self->drawer) == BM_DRAW_QUAD; i++)
        {
          double x, y;

          to_view (self, preview[i], &x, &y);
          handle_square (cr, x, y, &(GdkRGBA) { 1, 1, 1, 1 });
        }
    }
  if (self->has_pending)
    {
      points_path (self, cr, self->pending.p, 4, TRUE);
      stroke_dashed (cr);
    }
  draw_crosshair (self, cr);
  cairo_restore (cr);
}

/* Window actions ----------------------------------------------------------------------------- */

#define ACTION_DATA_KEY "bm-edit-controller"

static BmEditController *
controller_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), ACTION_DATA_KEY);
}

static void
done_or_bell (GtkWidget *widget,
              gboolean   done)
{
  if (!done)
    gtk_widget_error_bell (widget);
}

static void
draw_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  BmEditController *self = controller_of (widget);
  BmDrawMode mode = g_str_equal (name, "win.draw-box") ? BM_DRAW_BOX :
                    g_str_equal (name, "win.draw-rotated") ? BM_DRAW_ROTATED : BM_DRAW_QUAD;

  if (self != NULL)
    done_or_bell (widget, bm_edit_controller_start_drawing (self, mode));
}

static void
simple_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  static const struct
  {
    const char *name;
    gboolean (*run) (BmEditController *self);
  } simple[] = {
    { "win.delete-object", bm_edit_controller_delete },
    { "win.duplicate", bm_edit_controller_duplicate },
    { "win.copy", bm_edit_controller_copy },
    { "win.paste", bm_edit_controller_paste },
    { "win.copy-previous", bm_edit_controller_copy_previous },
    { "win.undo", bm_edit_controller_undo },
    { "win.redo", bm_edit_controller_redo },
    { "win.edit-label", bm_edit_controller_edit_label },
    { "win.select-all", bm_edit_controller_select_all },
    { "win.toggle-difficult", bm_edit_controller_toggle_difficult },
    { "win.cancel-edit", bm_edit_controller_escape },
  };
  BmEditController *self = controller_of (widget);

  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    if (g_str_equal (name, simple[i].name))
      {
        done_or_bell (widget, simple[i].run (self));
        return;
      }
}

static void
rotate_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  BmEditController *self = controller_of (widget);

  if (self != NULL)
    done_or_bell (widget, bm_edit_controller_rotate (self, g_variant_get_double (param)));
}

static void
nudge_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  BmEditController *self = controller_of (widget);
  double dx, dy;

  g_variant_get (param, "(dd)", &dx, &dy);
  if (self != NULL)
    done_or_bell (widget, bm_edit_controller_nudge (self, dx, dy));
}

static void
label_class_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  BmEditController *self = controller_of (widget);

  if (self != NULL)
    done_or_bell (widget, bm_edit_controller_label_digit (self, g_variant_get_uint32 (param)));
}

void
bm_edit_controller_install_actions (GtkWidgetClass *widget_class)
{
  static const struct { guint key; double angle; } rotations[] = {
    { GDK_KEY_z, BM_EDITOR_ROTATE_CCW_LARGE }, { GDK_KEY_x, BM_EDITOR_ROTATE_CCW_SMALL },
    { GDK_KEY_c, BM_EDITOR_ROTATE_CW_SMALL }, { GDK_KEY_v, BM_EDITOR_ROTATE_CW_LARGE },
  };

  g_return_if_fail (GTK_IS_WIDGET_CLASS (widget_class));

  gtk_widget_class_install_action (widget_class, "win.draw-box", NULL, draw_action);
  gtk_widget_class_install_action (widget_class, "win.draw-rotated", NULL, draw_action);
  gtk_widget_class_install_action (widget_class, "win.draw-quad", NULL, draw_action);
  gtk_widget_class_install_action (widget_class, "win.delete-object", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.copy", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.copy-previous", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.edit-label", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.select-all", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-difficult", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-edit", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "win.rotate", "d", rotate_action);
  gtk_widget_class_install_action (widget_class, "win.nudge", "(dd)", nudge_action);
  gtk_widget_class_install_action (widget_class, "win.label-class", "u", label_class_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0, "win.draw-box", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "win.draw-rotated", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, 0, "win.draw-quad", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete-object", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete-object", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "win.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.copy-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.edit-label", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.edit-label", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "win.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.toggle-difficult", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-edit", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rotations); i++)
    gtk_widget_class_add_binding_action (widget_class, rotations[i].key, 0, "win.rotate", "d", rotations[i].angle);
  for (guint digit = 1; digit <= 9; digit++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + digit, 0, "win.label-class", "u", digit);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + digit, 0, "win.label-class", "u", digit);
    }
}

void
bm_edit_controller_set_action_widget (BmEditController *self,
                                      GtkWidget        *widget)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (self->action_widget != NULL)
    {
      g_object_set_data (G_OBJECT (self->action_widget), ACTION_DATA_KEY, NULL);
      g_object_remove_weak_pointer (G_OBJECT (self->action_widget), (gpointer *) &self->action_widget);
    }
  self->action_widget = widget;
  if (widget != NULL)
    {
      g_object_set_data (G_OBJECT (widget), ACTION_DATA_KEY, self);
      g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->action_widget);
    }
  bm_edit_controller_update_actions (self);
}

void
bm_edit_controller_update_actions (BmEditController *self)
{
  static const char *const editing[] = {
    "win.draw-box", "win.draw-rotated", "win.draw-quad", "win.undo", "win.redo",
  };
  static const char *const on_selection[] = {
    "win.delete-object", "win.duplicate", "win.rotate", "win.nudge", "win.edit-label",
    "win.toggle-difficult", "win.label-class",
  };
  GtkWidget *widget;
  gboolean editable, selected, busy;

  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if ((widget = self->action_widget) == NULL)
    return;
  editable = can_edit (self);
  selected = editable && bm_edit_controller_has_selection (self);
  busy = self->has_pending || bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE ||
         (self->editor != NULL && bm_editor_is_dragging (self->editor));
  for (guint i = 0; i < G_N_ELEMENTS (editing); i++)
    gtk_widget_action_set_enabled (widget, editing[i], editable);
  for (guint i = 0; i < G_N_ELEMENTS (on_selection); i++)
    gtk_widget_action_set_enabled (widget, on_selection[i], selected);
  /* Digits also label the shape waiting for its label. */
  gtk_widget_action_set_enabled (widget, "win.label-class", selected || (editable && self->has_pending));
  gtk_widget_action_set_enabled (widget, "win.copy", self->editor != NULL && bm_edit_controller_has_selection (self));
  gtk_widget_action_set_enabled (widget, "win.paste", editable && self->clipboard != NULL);
  gtk_widget_action_set_enabled (widget, "win.copy-previous", editable && self->previous != NULL);
  gtk_widget_action_set_enabled (widget, "win.select-all", self->annotation != NULL &&
                                 bm_annotation_get_n_objects (self->annotation) > 0);
  gtk_widget_action_set_enabled (widget, "win.cancel-edit", busy);
}

static void
draw_overlay_cb (BmCanvas *canvas,
                 cairo_t  *cr,
                 gpointer  user_data)
{
  bm_edit_controller_draw_overlay (user_data, cr);
}

/* Setup -------------------------------------------------------------------------------------- */

static void
drop_editor (BmEditController *self)
{
  if (self->editor != NULL)
    {
      g_clear_signal_handler (&self->selection_id, self->editor);
      g_clear_signal_handler (&self->dirty_id, bm_editor_get_history (self->editor));
    }
  if (self->annotation != NULL)
    g_clear_signal_handler (&self->changed_id, self->annotation);
  g_clear_object (&self->editor);
}

void
bm_edit_controller_set_annotation (BmEditController *self,
                                   BmAnnotation     *annotation)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));

  if (annotation == self->annotation)
    return;
  bm_edit_controller_escape (self);
  drop_editor (self);
  if (self->annotation != NULL)
    g_set_object (&self->previous, self->annotation);
  g_set_object (&self->annotation, annotation);
  if (annotation != NULL)
    {
      self->editor = bm_editor_new (annotation);
      bm_editor_set_allow_outside (self->editor, self->allow_outside);
      self->selection_id = g_signal_connect_swapped (self->editor, "selection-changed",
                                                     G_CALLBACK (editor_selection_changed_cb), self);
      self->changed_id = g_signal_connect_swapped (annotation, "changed", G_CALLBACK (annotation_changed_cb), self);
      /* Undo restores the objects before it restores the saved-state mark: tell again after. */
      self->dirty_id = g_signal_connect_swapped (bm_editor_get_history (self->editor), "notify::dirty",
                                                 G_CALLBACK (annotation_changed_cb), self);
      if (self->catalog != NULL)
        bm_class_catalog_add_found_in (self->catalog, annotation);
    }
  redraw (self);
}

BmEditor *
bm_edit_controller_get_editor (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->editor;
}

BmShapeDrawer *
bm_edit_controller_get_drawer (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->drawer;
}

BmLabelPopover *
bm_edit_controller_get_label_popover (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->popover;
}

BmCanvas *
bm_edit_controller_get_canvas (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->canvas;
}

void
bm_edit_controller_set_catalog (BmEditController *self,
                                BmClassCatalog   *catalog)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  g_set_object (&self->catalog, catalog);
  bm_label_popover_set_catalog (self->popover, catalog);
  if (catalog != NULL && self->annotation != NULL)
    bm_class_catalog_add_found_in (catalog, self->annotation);
}

BmClassCatalog *
bm_edit_controller_get_catalog (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->catalog;
}

void
bm_edit_controller_set_allow_outside (BmEditController *self,
                                      gboolean          allow_outside)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  self->allow_outside = !!allow_outside;
  if (self->editor != NULL)
    bm_editor_set_allow_outside (self->editor, allow_outside);
  bm_shape_drawer_set_allow_outside (self->drawer, allow_outside);
}

gboolean
bm_edit_controller_get_dirty (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->editor != NULL && bm_history_is_dirty (bm_editor_get_history (self->editor));
}

void
bm_edit_controller_mark_saved (BmEditController *self)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if (self->editor != NULL)
    bm_history_mark_saved (bm_editor_get_history (self->editor));
}

static void
bm_edit_controller_dispose (GObject *object)
{
  BmEditController *self = BM_EDIT_CONTROLLER (object);

  drop_editor (self);
  if (self->action_widget != NULL)
    bm_edit_controller_set_action_widget (self, NULL);
  if (self->canvas != NULL)
    {
      g_clear_signal_handler (&self->canvas_selected_id, self->canvas);
      bm_canvas_set_overlay_func (self->canvas, NULL, NULL, NULL);
      if (self->popover != NULL)
        gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
      g_object_remove_weak_pointer (G_OBJECT (self->canvas), (gpointer *) &self->canvas);
      self->canvas = NULL;
    }
  g_clear_object (&self->annotation);
  g_clear_object (&self->previous);
  g_clear_object (&self->catalog);
  g_clear_object (&self->drawer);
  g_clear_pointer (&self->clipboard, g_ptr_array_unref);
  G_OBJECT_CLASS (bm_edit_controller_parent_class)->dispose (object);
}

static void
bm_edit_controller_finalize (GObject *object)
{
  BmEditController *self = BM_EDIT_CONTROLLER (object);

  g_free (self->last_label);
  G_OBJECT_CLASS (bm_edit_controller_parent_class)->finalize (object);
}

static void
bm_edit_controller_class_init (BmEditControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bm_edit_controller_dispose;
  object_class->finalize = bm_edit_controller_finalize;

  /* After any change to the objects (edits, undo, redo). */
  signals[EDITED] = g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something could not be done; the message is for the user. */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bm_edit_controller_init (BmEditController *self)
{
  self->drawer = bm_shape_drawer_new ();
}

BmEditController *
bm_edit_controller_new (BmCanvas *canvas)
{
  BmEditController *self;
  GtkEventController *controller;

  g_return_val_if_fail (BM_IS_CANVAS (canvas), NULL);

  self = g_object_new (BM_TYPE_EDIT_CONTROLLER, NULL);
  self->canvas = canvas;
  g_object_add_weak_pointer (G_OBJECT (canvas), (gpointer *) &self->canvas);

  self->popover = BM_LABEL_POPOVER (bm_label_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (canvas));
  g_signal_connect_object (self->popover, "label-chosen", G_CALLBACK (label_chosen_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "cancelled", G_CALLBACK (label_cancelled_cb), self, G_CONNECT_SWAPPED);

  /* Capture phase and claimed: the canvas's own click-to-select and drag never see these. */
  self->drag = gtk_gesture_drag_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (self->drag), "bm-edit-drag");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drag), GTK_PHASE_CAPTURE);
  g_signal_connect_object (self->drag, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drag, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drag, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drag, "cancel", G_CALLBACK (drag_cancel_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (canvas), GTK_EVENT_CONTROLLER (self->drag));

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (controller, "bm-edit-hover");
  g_signal_connect_object (controller, "motion", G_CALLBACK (hover_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "enter", G_CALLBACK (hover_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (canvas), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, "bm-edit-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "key-released", G_CALLBACK (key_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (canvas), controller);

  self->canvas_selected_id = g_signal_connect_swapped (canvas, "notify::selected", G_CALLBACK (canvas_selected_cb), self);
  bm_canvas_set_overlay_func (canvas, draw_overlay_cb, self, NULL);
  return self;
}
