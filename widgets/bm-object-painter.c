/* bm-object-painter.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-object-painter.h"

#include <math.h>

void
bm_object_painter_shape_path (cairo_t       *cr,
                              const BmShape *shape,
                              double         offset_x,
                              double         offset_y,
                              double         zoom)
{
  for (int i = 0; i < 4; i++)
    {
      double x = offset_x + shape->p[i].x * zoom;
      double y = offset_y + shape->p[i].y * zoom;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
}

void
bm_object_painter_stroke_outline (cairo_t       *cr,
                                  const GdkRGBA *colour,
                                  double         halo_width,
                                  double         line_width,
                                  gboolean       dashed)
{
  if (dashed)
    cairo_set_dash (cr, (double[]) { 6.0, 4.0 }, 2, 0);
  else
    cairo_set_dash (cr, NULL, 0, 0);
  /* A dark halo keeps the outline visible on any background. */
  cairo_set_line_width (cr, halo_width);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45 * colour->alpha);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, line_width);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

void
bm_object_painter_draw_caption (cairo_t       *cr,
                                GtkWidget     *widget,
                                const char    *text,
                                const GdkRGBA *colour,
                                double         x,
                                double         y,
                                double         top)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  double luminance = 0.299 * colour->red + 0.587 * colour->green + 0.114 * colour->blue;
  int tw, th;

  pango_layout_get_pixel_size (layout, &tw, &th);
  x = round (x) - 1;
  y = round (y) - th - 2;
  if (y < top)
    y += th + 3;   /* no room above: inside the box */

  cairo_set_source_rgba (cr, colour->red, colour->green, colour->blue, 0.85);
  cairo_rectangle (cr, x, y, tw + 6, th + 2);
  cairo_fill (cr);
  if (luminance > 0.55)
    cairo_set_source_rgb (cr, 0, 0, 0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x + 3, y + 1);
  pango_cairo_show_layout (cr, layout);
}
