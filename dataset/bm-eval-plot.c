/* bm-eval-plot.c: the charts of `boxmark-cli eval --plot`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <cairo.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-eval-plot.h"
#include "bm-eval-private.h"

/* ---- the confusion matrix ---- */

typedef struct
{
  double iou;
  guint label;
  guint det;
} Pair;

static int
compare_pairs (gconstpointer a, gconstpointer b)
{
  const Pair *x = a, *y = b;

  if (x->iou != y->iou)
    return x->iou > y->iou ? -1 : 1;
  if (x->label != y->label)
    return x->label < y->label ? -1 : 1;
  return x->det < y->det ? -1 : x->det > y->det;
}

BmEvalConfusion *
bm_eval_confusion_compute (BmEvalGt *gt, BmPredSet *preds, double score_threshold, double iou)
{
  BmEvalConfusion *confusion = g_new0 (BmEvalConfusion, 1);
  g_autoptr(BmEvalResult) sink = NULL;
  g_autoptr(BmEvalInput) input = NULL;
  g_autofree GArray **by_image = NULL;
  BmEvalOptions options;
  guint n_preds, side;
  const BmPred *all = bm_pred_set_get_preds (preds, &n_preds);

  confusion->names = g_ptr_array_new_with_free_func (g_free);
  bm_eval_options_init (&options, BM_EVAL_VOC);
  sink = bm_eval_result_new (&options);
  input = bm_eval_bind (gt, preds, &options, TRUE, sink, NULL);
  if (input == NULL)
    {
      confusion->counts = g_new0 (guint, 1);
      return confusion;
    }
  for (guint k = 0; k < input->names->len; k++)
    g_ptr_array_add (confusion->names, g_strdup (input->names->pdata[k]));
  confusion->n = input->names->len;
  side = confusion->n + 1;
  confusion->counts = g_new0 (guint, (gsize) side * side);

  by_image = g_new0 (GArray *, MAX (input->n_gt_images, 1));
  for (guint i = 0; i < input->n_dets; i++)
    {
      const BmEvalDet *det = &input->dets[i];

      if (det->score < score_threshold || det->image >= input->n_gt_images)
        continue;
      if (by_image[det->image] == NULL)
        by_image[det->image] = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (by_image[det->image], i);
    }

  for (guint image = 0; image < input->n_gt_images; image++)
    {
      const BmEvalGtImage *info = &input->images[image];
      GArray *dets = by_image[image];
      guint n = dets != NULL ? dets->len : 0;
      g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
      g_autofree guint8 *label_used = g_new0 (guint8, MAX (info->n_objects, 1));
      g_autofree guint8 *det_used = g_new0 (guint8, MAX (n, 1));

      for (guint d = 0; d < n; d++)
        {
          const BmEvalDet *det = &input->dets[g_array_index (dets, guint, d)];
          const BmPred *pred = &all[det->pred];
          gboolean quad = pred->geometry == BM_PRED_QUAD || pred->geometry == BM_PRED_YOLO_QUAD;

          for (guint g = 0; g < info->n_objects; g++)
            {
              Pair pair = { bm_eval_overlap (&input->objects[info->first + g], det, quad), g, d };

              if (pair.iou > iou)
                g_array_append_val (pairs, pair);
            }
        }
      g_array_sort (pairs, compare_pairs);
      for (guint p = 0; p < pairs->len; p++)
        {
          const Pair *pair = &g_array_index (pairs, Pair, p);
          const BmEvalDet *det;
          int truth;

          if (label_used[pair->label] || det_used[pair->det])
            continue;
          label_used[pair->label] = det_used[pair->det] = 1;
          det = &input->dets[g_array_index (dets, guint, pair->det)];
          truth = input->class_of_gt[input->objects[info->first + pair->label].klass];
          confusion->counts[(gsize) det->klass * side + (guint) truth]++;
        }
      for (guint g = 0; g < info->n_objects; g++)
        if (!label_used[g])
          confusion->counts[(gsize) confusion->n * side + (guint) input->class_of_gt[input->objects[info->first + g].klass]]++;
      for (guint d = 0; d < n; d++)
        if (!det_used[d])
          confusion->counts[(gsize) input->dets[g_array_index (dets, guint, d)].klass * side + confusion->n]++;
      g_clear_pointer (&by_image[image], g_array_unref);
    }
  return confusion;
}

void
bm_eval_confusion_free (BmEvalConfusion *confusion)
{
  if (confusion == NULL)
    return;
  g_ptr_array_unref (confusion->names);
  g_free (confusion->counts);
  g_free (confusion);
}

/* ---- drawing ---- */

/* Twenty colours that stay apart on white (Tableau's 20, reordered so neighbours differ). */
static const guint32 palette[] = {
  0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
  0x393b79, 0xe6550d, 0x31a354, 0xad494a, 0x756bb1, 0x843c39, 0xce6dbd, 0x636363, 0x8c6d31, 0x3182bd,
};

static void
set_colour (cairo_t *cr, guint index, double alpha)
{
  guint32 rgb = palette[index % G_N_ELEMENTS (palette)];

  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, alpha);
}

typedef enum
{
  ALIGN_LEFT,
  ALIGN_CENTRE,
  ALIGN_RIGHT,
} Align;

/* @text at (x, y) (its vertical middle), @size px, turned by @angle radians about that point. */
static void
draw_text (cairo_t *cr, const char *text, double x, double y, double size, Align align, double angle, gboolean bold)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int width, height;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, align == ALIGN_LEFT ? 0 : align == ALIGN_CENTRE ? -width / 2.0 : -width, -height / 2.0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static double
text_width (cairo_t *cr, const char *text, double size)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int width, height;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

static char *
format_ap (double ap)
{
  return isnan (ap) ? g_strdup ("nan") : g_strdup_printf ("%.3f", ap);
}

/* The precision envelope of one class's curve (what all-points AP integrates). */
static void
draw_curve (cairo_t *cr, const BmEvalClass *klass, double x0, double y0, double w, double h, guint colour, gboolean raw)
{
  guint n = klass->recall->len;
  g_autofree double *envelope = g_new (double, MAX (n, 1));
  const double *rec = (const double *) klass->recall->data;
  const double *prec = (const double *) klass->precision->data;

  if (n == 0)
    return;
  memcpy (envelope, prec, n * sizeof (double));
  for (guint i = n - 1; i > 0; i--)
    if (envelope[i] > envelope[i - 1])
      envelope[i - 1] = envelope[i];
  if (raw)
    {
      /* the precision after each detection, faint */
      set_colour (cr, colour, 0.35);
      cairo_set_line_width (cr, 1);
      for (guint i = 0; i < n; i++)
        {
          double x = x0 + (isfinite (rec[i]) ? CLAMP (rec[i], 0, 1) : 0) * w, y = y0 + h - prec[i] * h;

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
  set_colour (cr, colour, 1);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x0, y0 + h - envelope[0] * h);
  for (guint i = 0; i < n; i++)
    {
      double x = x0 + (isfinite (rec[i]) ? CLAMP (rec[i], 0, 1) : 0) * w;

      /* a step: recall grows at the current envelope, then the envelope falls */
      cairo_line_to (cr, x, y0 + h - envelope[i] * h);
      if (i + 1 < n)
        cairo_line_to (cr, x, y0 + h - envelope[i + 1] * h);
    }
  cairo_stroke (cr);
}

static void
draw_axes (cairo_t *cr, double x0, double y0, double w, double h, double font)
{
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
  cairo_set_line_width (cr, 1);
  for (int i = 1; i <= 5; i++)
    {
      cairo_move_to (cr, x0 + w * i / 5.0, y0);
      cairo_line_to (cr, x0 + w * i / 5.0, y0 + h);
      cairo_move_to (cr, x0, y0 + h - h * i / 5.0);
      cairo_line_to (cr, x0 + w, y0 + h - h * i / 5.0);
    }
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_stroke (cr);
  for (int i = 0; i <= 5; i++)
    {
      g_autofree char *label = g_strdup_printf ("%.1f", i / 5.0);

      draw_text (cr, label, x0 + w * i / 5.0, y0 + h + font, font, ALIGN_CENTRE, 0, FALSE);
      draw_text (cr, label, x0 - font * 0.5, y0 + h - h * i / 5.0, font, ALIGN_RIGHT, 0, FALSE);
    }
  draw_text (cr, _("Recall"), x0 + w / 2, y0 + h + font * 2.6, font * 1.1, ALIGN_CENTRE, 0, FALSE);
  draw_text (cr, _("Precision"), x0 - font * 3.4, y0 + h / 2, font * 1.1, ALIGN_CENTRE, -G_PI / 2, FALSE);
}

static const char *
metric_title (BmEvalResult *result)
{
  switch (result->metric)
    {
    case BM_EVAL_VOC07: return "VOC07 (11-point)";
    case BM_EVAL_VOC: return "VOC (all points)";
    case BM_EVAL_DOTA_TASK1: return result->all_points ? "DOTA Task1 (all points)" : "DOTA Task1 (11-point)";
    case BM_EVAL_DOTA_TASK2: return result->all_points ? "DOTA Task2 (all points)" : "DOTA Task2 (11-point)";
    case BM_EVAL_COCO:
    default: return "COCO";
    }
}

/* Every class on one chart, with a legend. */
static void
draw_all_curves (cairo_t *cr, BmEvalResult *result, double width, double height)
{
  double font = 13, legend_w = 0;
  double x0 = 70, y0 = 50, w, h;
  guint n = result->classes->len;
  g_autofree char *map = format_ap (result->map);
  g_autofree char *title = NULL;
  guint shown = MIN (n, 30u);

  for (guint i = 0; i < shown; i++)
    {
      const BmEvalClass *klass = result->classes->pdata[i];
      g_autofree char *ap = format_ap (klass->ap);
      g_autofree char *entry = g_strdup_printf ("%s  %s", klass->name, ap);

      legend_w = MAX (legend_w, text_width (cr, entry, font) + 30);
    }
  legend_w = MIN (legend_w, width * 0.4);
  w = width - x0 - legend_w - 30;
  h = height - y0 - 70;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  title = g_strdup_printf (_("Precision–recall, %s: mAP %s"), metric_title (result), map);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  draw_text (cr, title, x0 + w / 2, y0 / 2, font * 1.3, ALIGN_CENTRE, 0, TRUE);
  draw_axes (cr, x0, y0, w, h, font);
  for (guint i = 0; i < n; i++)
    draw_curve (cr, result->classes->pdata[i], x0, y0, w, h, i, FALSE);
  for (guint i = 0; i < shown; i++)
    {
      const BmEvalClass *klass = result->classes->pdata[i];
      g_autofree char *ap = format_ap (klass->ap);
      g_autofree char *entry = g_strdup_printf ("%s  %s", klass->name, ap);
      double ly = y0 + 10 + i * (font * 1.6);

      set_colour (cr, i, 1);
      cairo_rectangle (cr, x0 + w + 20, ly - 5, 14, 10);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      draw_text (cr, entry, x0 + w + 40, ly, font, ALIGN_LEFT, 0, FALSE);
    }
  if (n > shown)
    {
      g_autofree char *more = g_strdup_printf (_("… %u more (see pr-*.png)"), n - shown);

      draw_text (cr, more, x0 + w + 20, y0 + 10 + shown * font * 1.6, font, ALIGN_LEFT, 0, FALSE);
    }
}

static void
draw_one_curve (cairo_t *cr, BmEvalResult *result, guint index, double width, double height)
{
  const BmEvalClass *klass = result->classes->pdata[index];
  double font = 13, x0 = 70, y0 = 50, w = width - x0 - 30, h = height - y0 - 70;
  g_autofree char *ap = format_ap (klass->ap);
  g_autofree char *title = g_strdup_printf (_("%s — %s AP %s (npos %u, TP %u, FP %u)"), klass->name,
                                            metric_title (result), ap, klass->npos, klass->tp, klass->fp);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  draw_text (cr, title, x0 + w / 2, y0 / 2, font * 1.2, ALIGN_CENTRE, 0, TRUE);
  draw_axes (cr, x0, y0, w, h, font);
  draw_curve (cr, klass, x0, y0, w, h, index, TRUE);
}

static void
draw_confusion (cairo_t *cr, BmEvalConfusion *confusion, double score_threshold, double iou, double width, double height)
{
  guint side = confusion->n + 1;
  double label_w = 0, font, cell, x0, y0;
  g_autofree guint *column = g_new0 (guint, side);
  g_autofree char *title = g_strdup_printf (_("Confusion matrix (score ≥ %g, IoU > %g), coloured by share of each true class"),
                                            score_threshold, iou);

  font = CLAMP (520.0 / side, 7, 13);
  for (guint i = 0; i < side; i++)
    {
      const char *name = i < confusion->n ? confusion->names->pdata[i] : _("background");

      label_w = MAX (label_w, text_width (cr, name, font));
    }
  label_w = MIN (label_w, 220);
  x0 = label_w + 50;
  y0 = 60;
  cell = MIN ((width - x0 - 20) / side, (height - y0 - label_w - 50) / side);
  for (guint t = 0; t < side; t++)
    for (guint p = 0; p < side; p++)
      column[t] += confusion->counts[(gsize) p * side + t];

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  draw_text (cr, title, width / 2, 25, MIN (15, 15 * (width - 20) / MAX (text_width (cr, title, 15), 1)), ALIGN_CENTRE, 0, TRUE);
  for (guint p = 0; p < side; p++)
    for (guint t = 0; t < side; t++)
      {
        guint count = confusion->counts[(gsize) p * side + t];
        double share = column[t] > 0 ? (double) count / column[t] : 0;
        double x = x0 + t * cell, y = y0 + p * cell;

        cairo_set_source_rgb (cr, 1 - 0.85 * share, 1 - 0.6 * share, 1 - 0.25 * share);
        cairo_rectangle (cr, x, y, cell, cell);
        cairo_fill (cr);
        if (count > 0 && cell >= 16)
          {
            g_autofree char *text = g_strdup_printf ("%u", count);

            if (share > 0.55)
              cairo_set_source_rgb (cr, 1, 1, 1);
            else
              cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
            draw_text (cr, text, x + cell / 2, y + cell / 2, MIN (font, cell * 0.4), ALIGN_CENTRE, 0, FALSE);
          }
      }
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 0.5);
  for (guint i = 0; i <= side; i++)
    {
      cairo_move_to (cr, x0 + i * cell, y0);
      cairo_line_to (cr, x0 + i * cell, y0 + side * cell);
      cairo_move_to (cr, x0, y0 + i * cell);
      cairo_line_to (cr, x0 + side * cell, y0 + i * cell);
    }
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  for (guint i = 0; i < side; i++)
    {
      const char *name = i < confusion->n ? confusion->names->pdata[i] : _("background");

      draw_text (cr, name, x0 - 6, y0 + (i + 0.5) * cell, font, ALIGN_RIGHT, 0, FALSE);
      draw_text (cr, name, x0 + (i + 0.5) * cell, y0 + side * cell + 6, font, ALIGN_RIGHT, -G_PI / 2, FALSE);
    }
  draw_text (cr, _("True"), x0 + side * cell / 2, y0 + side * cell + label_w + 25, 14, ALIGN_CENTRE, 0, TRUE);
  draw_text (cr, _("Predicted"), 14, y0 + side * cell / 2, 14, ALIGN_CENTRE, -G_PI / 2, TRUE);
}

/* ---- files ---- */

typedef void (*DrawFunc) (cairo_t *cr, gpointer data, double width, double height);

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* @stem.png and @stem.svg in @dir, written atomically. */
static gboolean
write_pair (const char *dir, const char *stem, double width, double height, DrawFunc draw, gpointer data,
            GPtrArray *written, GError **error)
{
  for (int svg = 0; svg < 2; svg++)
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autofree char *name = g_strconcat (stem, svg ? ".svg" : ".png", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      cairo_surface_t *surface;
      cairo_t *cr;
      cairo_status_t status;

      if (svg)
        surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
      else
        surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
      cr = cairo_create (surface);
      draw (cr, data, width, height);
      cairo_destroy (cr);
      if (svg)
        cairo_surface_finish (surface);
      else
        cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
      status = cairo_surface_status (surface);
      cairo_surface_destroy (surface);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot draw: %s"), path, cairo_status_to_string (status));
          return FALSE;
        }
      if (!bm_file_write_atomic (path, (const char *) bytes->data, bytes->len, error))
        return FALSE;
      if (written != NULL)
        g_ptr_array_add (written, g_steal_pointer (&path));
    }
  return TRUE;
}

typedef struct
{
  BmEvalResult *result;
  guint index;
  BmEvalConfusion *confusion;
  double score_threshold;
} PlotData;

static void
draw_all_page (cairo_t *cr, gpointer data, double width, double height)
{
  draw_all_curves (cr, ((PlotData *) data)->result, width, height);
}

static void
draw_class_page (cairo_t *cr, gpointer data, double width, double height)
{
  PlotData *plot = data;

  draw_one_curve (cr, plot->result, plot->index, width, height);
}

static void
draw_confusion_page (cairo_t *cr, gpointer data, double width, double height)
{
  PlotData *plot = data;

  draw_confusion (cr, plot->confusion, plot->score_threshold, plot->result->iou, width, height);
}

/* A file name part from a class name: letters and digits of any script kept, the rest '-'. */
static char *
safe_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0' && out->len < 60; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  return g_string_free (out, FALSE);
}

gboolean
bm_eval_plot_write (BmEvalResult *result, BmEvalGt *gt, BmPredSet *preds, double score_threshold,
                    const char *dir, GPtrArray *written, GError **error)
{
  g_autoptr(BmEvalConfusion) confusion = NULL;
  PlotData data = { result, 0, NULL, score_threshold };
  double side;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot make the folder: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (!write_pair (dir, "pr-curves", 1000, 640, draw_all_page, &data, written, error))
    return FALSE;
  for (guint i = 0; i < result->classes->len; i++)
    {
      g_autofree char *name = safe_name (((BmEvalClass *) result->classes->pdata[i])->name);
      g_autofree char *stem = g_strdup_printf ("pr-%02u-%s", i + 1, name);

      data.index = i;
      if (!write_pair (dir, stem, 720, 560, draw_class_page, &data, written, error))
        return FALSE;
    }
  confusion = bm_eval_confusion_compute (gt, preds, score_threshold, result->iou);
  data.confusion = confusion;
  side = CLAMP (300 + 28.0 * (confusion->n + 1), 600, 2400);
  return write_pair (dir, "confusion-matrix", side, side + 40, draw_confusion_page, &data, written, error);
}
