/* bm-edit-controller-input.c: pointer and keys on the canvas, turned into drawing and edits.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "bm-edit-controller-private.h"

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
  self->has_click = TRUE;
  if (self->editor == NULL || self->has_pending)
    return;

  if (bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE)
    {
      if (bm_shape_drawer_press (self->drawer, x, y, (state & GDK_SHIFT_MASK) != 0) == BM_DRAW_FINISHED)
        _bm_edit_controller_shape_finished (self);
      _bm_edit_controller_redraw (self);
      return;
    }

  if (state & GDK_CONTROL_MASK)
    {
      int index = bm_editor_object_at (self->editor, x, y, _bm_edit_controller_tolerance (self));

      if (index >= 0)
        bm_editor_toggle_selected (self->editor, (guint) index);
      return;
    }

  if (!bm_editor_hit_test (self->editor, x, y, _bm_edit_controller_tolerance (self), &hit))
    {
      bm_editor_select (self->editor, -1);
      bm_editor_object_at (self->editor, x, y, _bm_edit_controller_tolerance (self));   /* forget the last pick */
      return;
    }
  if (hit.kind == BM_HANDLE_BODY)
    {
      /* A plain click on the selection keeps it (the next nudge or drag moves what the user
       * sees selected); Alt+click, or Tab, picks the next object stacked there (issue 12). */
      if (state & GDK_ALT_MASK)
        self->click_cycles = TRUE;
      else if (!bm_editor_is_selected (self->editor, (guint) hit.object))
        bm_editor_select (self->editor, hit.object);
    }
  if (_bm_edit_controller_can_edit (self))
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
      _bm_edit_controller_redraw (self);
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
        _bm_edit_controller_shape_finished (self);
      _bm_edit_controller_redraw (self);
      return;
    }
  if (self->editor == NULL)
    return;
  if (bm_editor_is_dragging (self->editor))
    bm_editor_end_drag (self->editor);
  if (self->click_cycles && !self->moved)
    bm_editor_select (self->editor, bm_editor_next_object_at (self->editor, x, y, _bm_edit_controller_tolerance (self),
                                                              bm_editor_get_primary (self->editor), 1));
  _bm_edit_controller_redraw (self);
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
  _bm_edit_controller_redraw (self);
}

static void
leave_cb (BmEditController         *self,
          GtkEventControllerMotion *controller)
{
  bm_shape_drawer_leave (self->drawer);
  _bm_edit_controller_redraw (self);
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
      _bm_edit_controller_redraw (self);
      return TRUE;
    }
  /* Tab / Shift+Tab: the next object stacked under the last click, instead of the next widget
   * (only while something is selected there) */
  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab || keyval == GDK_KEY_KP_Tab)
      && (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0 && bm_edit_controller_has_selection (self))
    return bm_edit_controller_cycle_stacked (self, (state & GDK_SHIFT_MASK) || keyval == GDK_KEY_ISO_Left_Tab ? -1 : 1);
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || !bm_edit_controller_has_selection (self) || !_bm_edit_controller_can_edit (self))
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


/* Setup -------------------------------------------------------------------------------------- */

void
_bm_edit_controller_input_init (BmEditController *self)
{
  GtkEventController *controller;
  GtkWidget *canvas = GTK_WIDGET (self->canvas);

  /* Capture phase and claimed: the canvas's own click-to-select and drag never see these. */
  self->drag = gtk_gesture_drag_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (self->drag), "bm-edit-drag");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drag), GTK_PHASE_CAPTURE);
  g_signal_connect_object (self->drag, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drag, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drag, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drag, "cancel", G_CALLBACK (drag_cancel_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (canvas, GTK_EVENT_CONTROLLER (self->drag));

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (controller, "bm-edit-hover");
  g_signal_connect_object (controller, "motion", G_CALLBACK (hover_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "enter", G_CALLBACK (hover_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (canvas, controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, "bm-edit-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "key-released", G_CALLBACK (key_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (canvas, controller);
}
