/* bm-edit-controller-overlay.c: what the controller draws over the canvas — the handles of the
 * selected object, the rest of the selection, the shape being drawn, the crosshair.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "bm-class-colour.h"
#include "bm-edit-controller-private.h"

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
  if (bm_editor_get_rotate_handle (self->editor, index, _bm_edit_controller_tolerance (self), &handle, &anchor))
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
      if (primary >= 0 && _bm_edit_controller_can_edit (self) && bm_shape_drawer_get_mode (self->drawer) == BM_DRAW_NONE)
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

