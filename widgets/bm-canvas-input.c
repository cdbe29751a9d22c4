/* bm-canvas-input.c: pointer, wheel, panning (middle drag, Space + drag), a tap of Space, and the
 * canvas.* actions (zoom, next/previous object).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "bm-canvas-private.h"

/* Input -------------------------------------------------------------------------------------- */

static void
motion_cb (BmCanvas                 *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  double ix, iy;

  self->pointer_x = x;
  self->pointer_y = y;
  if (!self->panning)
    _bm_canvas_set_hovered (self, bm_canvas_object_at (self, x, y));

  bm_canvas_view_to_image (self, x, y, &ix, &iy);
  _bm_canvas_emit_pointer_moved (self,
                 self->image != NULL && ix >= 0 && iy >= 0 && ix < _bm_canvas_image_width (self) && iy < _bm_canvas_image_height (self),
                 ix, iy);
}

static void
leave_cb (BmCanvas                 *self,
          GtkEventControllerMotion *controller)
{
  _bm_canvas_set_hovered (self, -1);
  _bm_canvas_emit_pointer_moved (self, FALSE, 0.0, 0.0);
}

static gboolean
scroll_cb (BmCanvas                 *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->image == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      bm_canvas_zoom_at (self, pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK)
    {
      dx = dy;
      dy = 0;
    }
  self->fit = FALSE;
  _bm_canvas_set_zoom_and_offset (self, self->zoom, self->offset_x - dx * SCROLL_STEP, self->offset_y - dy * SCROLL_STEP);
  return TRUE;
}

static void
drag_begin_cb (BmCanvas       *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->panning = button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_held);
  self->pan_start_x = self->offset_x;
  self->pan_start_y = self->offset_y;
  if (self->panning)
    {
      self->space_used = self->space_held;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
    }
}

static void
drag_update_cb (BmCanvas       *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  if (!self->panning)
    return;
  self->fit = FALSE;
  _bm_canvas_set_zoom_and_offset (self, self->zoom, self->pan_start_x + dx, self->pan_start_y + dy);
}

static void
drag_end_cb (BmCanvas       *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  double x, y;

  if (self->panning)
    {
      self->panning = FALSE;
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      return;
    }

  if (button == GDK_BUTTON_PRIMARY && hypot (dx, dy) < CLICK_SLOP &&
      gtk_gesture_drag_get_start_point (gesture, &x, &y))
    bm_canvas_set_selected (self, bm_canvas_object_at (self, x + dx, y + dy));
}

static gboolean
key_pressed_cb (BmCanvas              *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_space || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)))
    return FALSE;
  if (!self->space_held)
    {
      self->space_held = TRUE;
      self->space_used = FALSE;
    }
  return TRUE;
}

static void
key_released_cb (BmCanvas              *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_space || !self->space_held)
    return;
  self->space_held = FALSE;
  /* A tap of Space (not Space + drag) is the key of the configured action. */
  if (!self->space_used && self->space_action_name != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), self->space_action_name, NULL);
}

/* Actions ------------------------------------------------------------------------------------ */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BmCanvas *self = BM_CANVAS (widget);

  bm_canvas_zoom_at (self, ZOOM_STEP, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  BmCanvas *self = BM_CANVAS (widget);

  bm_canvas_zoom_at (self, 1.0 / ZOOM_STEP, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  bm_canvas_zoom_fit (BM_CANVAS (widget));
}

static void
zoom_one_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  bm_canvas_set_zoom (BM_CANVAS (widget), 1.0);
}

static void
cycle_object (BmCanvas *self,
              int       step)
{
  int n = _bm_canvas_n_objects (self);
  int index = self->selected < 0 && step < 0 ? 0 : self->selected;

  /* the next one shown: hidden objects are skipped */
  for (int k = 0; k < n; k++)
    {
      index = (index + step + n) % n;
      if (_bm_canvas_is_shown (self, (guint) index))
        {
          bm_canvas_show_object (self, index, TRUE);
          return;
        }
    }
}

static void
next_object_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  cycle_object (BM_CANVAS (widget), 1);
}

static void
previous_object_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  cycle_object (BM_CANVAS (widget), -1);
}

/* Setup -------------------------------------------------------------------------------------- */

void
_bm_canvas_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-one", NULL, zoom_one_action);
  gtk_widget_class_install_action (widget_class, "canvas.next-object", NULL, next_object_action);
  gtk_widget_class_install_action (widget_class, "canvas.previous-object", NULL, previous_object_action);
  gtk_widget_class_install_property_action (widget_class, "canvas.show-labels", "show-labels");
}

void
_bm_canvas_input_init (BmCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *drag;

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect_swapped (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
