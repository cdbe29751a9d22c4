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

BmOutlineStyle
bm_object_painter_outline_style (gboolean difficult,
                                 gboolean pre_annotation)
{
  if (pre_annotation)
    return difficult ? BM_OUTLINE_DIFFICULT_PRE_ANNOTATION : BM_OUTLINE_PRE_ANNOTATION;
  return difficult ? BM_OUTLINE_DIFFICULT : BM_OUTLINE_SOLID;
}

int
bm_object_painter_get_dash (BmOutlineStyle  style,
                            double         *dashes)
{
  g_return_val_if_fail (dashes != NULL, 0);

  switch (style)
    {
    case BM_OUTLINE_DIFFICULT:
      dashes[0] = 6.0;
      dashes[1] = 4.0;
      return 2;
    case BM_OUTLINE_PRE_ANNOTATION:
      /* Round caps turn these into dots: unlike difficult's dashes at a glance. */
      dashes[0] = 0.0;
      dashes[1] = 6.0;
      return 2;
    case BM_OUTLINE_DIFFICULT_PRE_ANNOTATION:
      /* A pre-annotation dot, then difficult's dash; the gaps leave room for the round caps.
       * The dot comes first: cairo 1.16 drops a zero-length dash later in the pattern. */
      dashes[0] = 0.0;
      dashes[1] = 6.0;
      dashes[2] = 6.0;
      dashes[3] = 6.0;
      return 4;
    case BM_OUTLINE_SOLID:
    default:
      return 0;
    }
}

void
bm_object_painter_stroke_styled (cairo_t        *cr,
                                 const GdkRGBA  *colour,
                                 double          halo_width,
                                 double          line_width,
                                 BmOutlineStyle  style)
{
  double dashes[BM_OUTLINE_MAX_DASHES];
  int n_dashes = bm_object_painter_get_dash (style, dashes);
  cairo_line_cap_t cap = cairo_get_line_cap (cr);

  cairo_set_dash (cr, dashes, n_dashes, 0);
  if (style == BM_OUTLINE_PRE_ANNOTATION || style == BM_OUTLINE_DIFFICULT_PRE_ANNOTATION)
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* A dark halo keeps the outline visible on any background. */
  cairo_set_line_width (cr, halo_width);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45 * colour->alpha);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, line_width);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_cap (cr, cap);
}

void
bm_object_painter_stroke_outline (cairo_t       *cr,
                                  const GdkRGBA *colour,
                                  double         halo_width,
                                  double         line_width,
                                  gboolean       dashed)
{
  bm_object_painter_stroke_styled (cr, colour, halo_width, line_width,
                                   dashed ? BM_OUTLINE_DIFFICULT : BM_OUTLINE_SOLID);
}

void
bm_object_painter_draw_pre_annotation_marker (cairo_t       *cr,
                                              const GdkRGBA *colour,
                                              double         x,
                                              double         y)
{
  const double r = 6.0, waist = 1.8;

  /* A four-pointed star, outlined dark so it shows on any image. */
  cairo_save (cr);
  cairo_new_path (cr);
  cairo_move_to (cr, x, y - r);
  cairo_line_to (cr, x + waist, y - waist);
  cairo_line_to (cr, x + r, y);
  cairo_line_to (cr, x + waist, y + waist);
  cairo_line_to (cr, x, y + r);
  cairo_line_to (cr, x - waist, y + waist);
  cairo_line_to (cr, x - r, y);
  cairo_line_to (cr, x - waist, y - waist);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6 * colour->alpha);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, colour->alpha);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Scores from a million up are shown with %g, so no caption grows to hundreds of digits. */
#define LARGE_SCORE 1e6

char *
bm_object_painter_format_score (double score)
{
  double hundredths;

  if (!isfinite (score))
    return g_strdup ("—");
  if (fabs (score) >= LARGE_SCORE)
    return g_strdup_printf ("%g", score);
  /* Two decimals, the nearest; a score that rounds to a whole number shows as one (a neighbour
   * count is 4, and 4.0000001 is float noise on it). */
  hundredths = nearbyint (score * 100);
  if (fmod (hundredths, 100) == 0)
    return g_strdup_printf ("%.0f", hundredths / 100 + 0.0);   /* + 0.0 turns -0 into 0 */
  return g_strdup_printf ("%.2f", hundredths / 100 + 0.0);
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
