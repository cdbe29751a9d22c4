/* bm-prediction-painter.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "bm-prediction-painter.h"

void
bm_prediction_painter_get_colour (int kind, GdkRGBA *colour)
{
  /* GNOME's palette: apart from each other and from the class colours' saturation */
  static const char *const colours[] = {
    [BM_CONFLICT_POSSIBLY_MISSING] = "#ff7800",
    [BM_CONFLICT_UNMATCHED_LABEL] = "#e01b24",
    [BM_CONFLICT_WRONG_CLASS] = "#c061cb",
    [BM_CONFLICT_LOOSE_BOX] = "#f6d32d",
    [BM_CONFLICT_DUPLICATE] = "#62a0ea",
    [BM_CONFLICT_N_KINDS] = "#c0bfbc",
  };

  gdk_rgba_parse (colour, kind >= 0 && kind <= BM_CONFLICT_N_KINDS ? colours[kind] : colours[BM_CONFLICT_N_KINDS]);
}

static void
quad_path (BmCanvas *canvas, cairo_t *cr, const double *quad)
{
  for (int i = 0; i < 4; i++)
    {
      double x, y;

      bm_canvas_image_to_view (canvas, quad[2 * i], quad[2 * i + 1], &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
}

static void
caption (BmCanvas *canvas, cairo_t *cr, const BmReviewPred *pred, const GdkRGBA *colour)
{
  g_autofree char *text = g_strdup_printf ("%s %.2f", pred->klass, pred->score);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (canvas), text);
  double x = G_MAXDOUBLE, y = G_MAXDOUBLE;
  int tw, th;

  /* under the lowest corner's row, so it does not hide the label's own caption above */
  for (int i = 0; i < 4; i++)
    {
      double vx, vy;

      bm_canvas_image_to_view (canvas, pred->quad[2 * i], pred->quad[2 * i + 1], &vx, &vy);
      x = MIN (x, vx);
      y = i == 0 ? vy : MAX (y, vy);
    }
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_rectangle (cr, x, y + 1, tw + 6, th + 2);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.75);
  cairo_fill (cr);
  cairo_move_to (cr, x + 3, y + 2);
  gdk_cairo_set_source_rgba (cr, colour);
  pango_cairo_show_layout (cr, layout);
}

void
bm_prediction_painter_draw (BmCanvas *canvas, cairo_t *cr, BmPredReview *review, int image,
                            double score_threshold, int selected)
{
  static const double dashes[] = { 6, 4 };
  guint n, n_objects;
  const BmReviewPred *preds;
  const BmEvalGtObject *objects;

  if (review == NULL || image < 0)
    return;
  preds = bm_pred_review_get_image_preds (review, (guint) image, &n);
  objects = bm_eval_gt_get_objects (bm_pred_review_get_gt (review), &n_objects);

  /* labels no prediction found: a red halo around them */
  {
    g_autoptr(GArray) conflicts = bm_pred_review_dup_conflicts (review, (guint) image);

    for (guint c = 0; c < conflicts->len; c++)
      {
        const BmConflict *conflict = &g_array_index (conflicts, BmConflict, c);
        GdkRGBA colour;

        if (conflict->kind != BM_CONFLICT_UNMATCHED_LABEL || conflict->object < 0)
          continue;
        bm_prediction_painter_get_colour (BM_CONFLICT_UNMATCHED_LABEL, &colour);
        quad_path (canvas, cr, objects[conflict->object].quad);
        cairo_set_line_width (cr, 6);
        cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, 0.45);
        cairo_stroke (cr);
      }
  }

  /* lowest score first, so the strongest is drawn on top */
  for (guint k = n; k > 0; k--)
    {
      const BmReviewPred *pred = &preds[k - 1];
      gboolean is_selected = (int) pred->pred == selected;
      GdkRGBA colour;

      if (pred->resolved || pred->score < score_threshold)
        continue;
      bm_prediction_painter_get_colour (pred->conflict >= 0 ? pred->conflict : BM_CONFLICT_N_KINDS, &colour);
      quad_path (canvas, cr, pred->quad);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_width (cr, is_selected ? 5 : 3);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_set_line_width (cr, is_selected ? 3 : 1.5);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      caption (canvas, cr, pred, &colour);
    }
}
