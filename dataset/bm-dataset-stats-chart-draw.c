/* bm-dataset-stats-chart-draw.c: a chart's layout, its drawing with cairo and pango, and its
 * PNG, SVG and CSV files; what the charts count is in bm-dataset-stats-chart.c. The window's
 * overview and `boxmark-cli stats --plot` draw through the same functions, so both show the
 * same bars.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-dataset-stats-chart.h"

/* ---- layout ---- */

#define PAD 16.0
#define HEADER 64.0          /* title and subtitle */
#define ROW 24.0             /* one bar of a horizontal chart */
#define BAR_THICKNESS 16.0
#define AXIS_TITLE 22.0
#define TICK_LABELS 18.0
#define PLOT_HEIGHT 260.0    /* the bars of a vertical chart */
#define VALUE_ROOM 18.0      /* above the tallest bar */
#define Y_LABELS 64.0        /* tick labels and the axis title left of a vertical chart */
#define VALUE_COLUMN 130.0   /* "123,456 (100.0 %)" right of a horizontal bar */
#define AVERAGE_CHAR_WIDTH 7.0       /* an average character of the small font, for deciding layouts */
#define ROTATED_LABELS 64.0

typedef struct
{
  double x, y, width, height;   /* the plot area */
  double slot;                  /* room per bar */
  gboolean rotate_labels;       /* vertical charts: bin labels at 45° */
  double label_width;           /* horizontal charts: the label column */
  double axis_max;
  double step;
} Layout;

static guint
max_count (const BmStatsChart *chart)
{
  guint max = 0;

  for (guint i = 0; i < chart->bars->len; i++)
    max = MAX (max, g_array_index (chart->bars, BmStatsBar, i).count);
  return max;
}

/* A step of 1, 2 or 5 × 10^k giving about five grid lines, never below 1 (counts are whole). */
static void
nice_axis (guint max, double *axis_max, double *step)
{
  double raw, magnitude, fraction;

  if (max == 0)
    {
      *axis_max = 1;
      *step = 1;
      return;
    }
  raw = max / 5.0;
  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  *step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
  *step = MAX (*step, 1);
  *axis_max = ceil (max / *step) * *step;
}

static gboolean
labels_need_rotation (const BmStatsChart *chart, double slot)
{
  for (guint i = 0; i < chart->bars->len; i++)
    if (g_utf8_strlen (g_array_index (chart->bars, BmStatsBar, i).label, -1) * AVERAGE_CHAR_WIDTH > slot - 4)
      return TRUE;
  return FALSE;
}

static void
compute_layout (const BmStatsChart *chart, double width, double height, Layout *layout)
{
  guint n = MAX (chart->bars->len, 1);

  nice_axis (max_count (chart), &layout->axis_max, &layout->step);
  if (chart->horizontal)
    {
      layout->label_width = MIN (220, width * 0.3);
      layout->x = PAD + layout->label_width + 8;
      layout->y = HEADER;
      layout->width = MAX (width - PAD - VALUE_COLUMN - layout->x, 10);
      layout->height = n * ROW;
      layout->slot = ROW;
      layout->rotate_labels = FALSE;
      return;
    }
  layout->x = PAD + Y_LABELS;
  layout->y = HEADER + VALUE_ROOM;
  layout->width = MAX (width - PAD - layout->x, 10);
  layout->slot = layout->width / n;
  layout->rotate_labels = labels_need_rotation (chart, layout->slot);
  layout->height = MAX (height - layout->y - (layout->rotate_labels ? ROTATED_LABELS : TICK_LABELS) - AXIS_TITLE - PAD, 10);
}

double
bm_dataset_stats_chart_get_height (const BmStatsChart *chart,
                                   double              width)
{
  Layout layout;

  g_return_val_if_fail (chart != NULL, 0);

  if (chart->horizontal)
    return HEADER + MAX (chart->bars->len, 1) * ROW + TICK_LABELS + AXIS_TITLE + PAD;
  compute_layout (chart, width, 0, &layout);
  return HEADER + VALUE_ROOM + PLOT_HEIGHT + (layout.rotate_labels ? ROTATED_LABELS : TICK_LABELS) + AXIS_TITLE + PAD;
}

/* Bars on whole pixels: crisp edges, and a length that reads as its count to the pixel. */
static void
bar_rect (const BmStatsChart *chart, const Layout *layout, guint bar, cairo_rectangle_t *rect)
{
  guint count = g_array_index (chart->bars, BmStatsBar, bar).count;
  double length;

  if (chart->horizontal)
    {
      length = round (layout->width * count / layout->axis_max);
      /* one object among a hundred thousand still shows */
      if (count > 0)
        length = MAX (length, 1);
      rect->x = round (layout->x);
      rect->y = round (layout->y + bar * ROW + (ROW - BAR_THICKNESS) / 2);
      rect->width = length;
      rect->height = BAR_THICKNESS;
      return;
    }
  length = round (layout->height * count / layout->axis_max);
  if (count > 0)
    length = MAX (length, 1);
  rect->x = round (layout->x + bar * layout->slot + layout->slot * 0.1);
  rect->width = MAX (round (layout->x + bar * layout->slot + layout->slot * 0.9) - rect->x, 1);
  rect->y = round (layout->y + layout->height) - length;
  rect->height = length;
}

gboolean
bm_dataset_stats_chart_get_bar_rect (const BmStatsChart *chart,
                                     double              width,
                                     double              height,
                                     guint               bar,
                                     cairo_rectangle_t  *rect)
{
  Layout layout;

  g_return_val_if_fail (chart != NULL && rect != NULL, FALSE);

  if (bar >= chart->bars->len)
    return FALSE;
  compute_layout (chart, width, height, &layout);
  bar_rect (chart, &layout, bar, rect);
  return TRUE;
}

int
bm_dataset_stats_chart_bar_at (const BmStatsChart *chart,
                               double              width,
                               double              height,
                               double              x,
                               double              y)
{
  Layout layout;
  double position;

  g_return_val_if_fail (chart != NULL, -1);

  compute_layout (chart, width, height, &layout);
  if (chart->horizontal)
    {
      /* the whole row, label included */
      if (y < layout.y || x < PAD || x > width - PAD)
        return -1;
      position = (y - layout.y) / ROW;
    }
  else
    {
      /* the whole column, from the value above the bar down to its label */
      if (x < layout.x || y < HEADER || y > layout.y + layout.height + TICK_LABELS)
        return -1;
      position = (x - layout.x) / layout.slot;
    }
  return position < chart->bars->len ? (int) position : -1;
}

/* ---- drawing ---- */

static const BmStatsChartStyle light_style = {
  { 1, 1, 1 },
  { 0x24 / 255.0, 0x1f / 255.0, 0x31 / 255.0 },
  { 0x5e / 255.0, 0x5c / 255.0, 0x64 / 255.0 },
  { 0xde / 255.0, 0xdd / 255.0, 0xda / 255.0 },
  { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0 },
  { 0xe6 / 255.0, 0x61 / 255.0, 0x00 / 255.0 },
};

const BmStatsChartStyle *
bm_dataset_stats_chart_style_light (void)
{
  return &light_style;
}

typedef enum
{
  ALIGN_START,
  ALIGN_CENTRE,
  ALIGN_END,
} Align;

static void
set_colour (cairo_t *cr, const double rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* One line of text whose top is at @y, aligned at @x; cut with … beyond @max_width (> 0). */
static void
draw_text (cairo_t *cr, const char *text, const char *font, double x, double y, Align align,
           double max_width, const double rgb[3])
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  if (align == ALIGN_CENTRE)
    x -= w / 2.0;
  else if (align == ALIGN_END)
    x -= w;
  set_colour (cr, rgb);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (description);
  g_object_unref (layout);
}

static double
text_width (cairo_t *cr, const char *text, const char *font)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  pango_font_description_free (description);
  g_object_unref (layout);
  return w;
}

/* 1234567 → "1,234,567": counts up to millions read at a glance. */
static char *
format_count (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", value);
  GString *out = g_string_new (NULL);
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* "12k", "3.4M": for values above narrow bars. */
static char *
format_compact (guint value)
{
  if (value < 1000)
    return g_strdup_printf ("%u", value);
  if (value < 10000)
    return g_strdup_printf ("%.1fk", value / 1000.0);
  if (value < 1000000)
    return g_strdup_printf ("%.0fk", value / 1000.0);
  return g_strdup_printf ("%.1fM", value / 1000000.0);
}

#define FONT_TITLE "Sans Bold 12"
#define FONT_SMALL "Sans 9"

static void
draw_header (const BmStatsChart *chart, cairo_t *cr, double width, const BmStatsChartStyle *style)
{
  draw_text (cr, chart->title, FONT_TITLE, PAD, PAD - 4, ALIGN_START, width - 2 * PAD, style->text);
  draw_text (cr, chart->subtitle, FONT_SMALL, PAD, PAD + 20, ALIGN_START, width - 2 * PAD, style->muted);
}

static void
draw_horizontal (const BmStatsChart *chart, cairo_t *cr, double width, const Layout *layout, int highlight,
                 const BmStatsChartStyle *style)
{
  double bottom = layout->y + layout->height;

  /* grid lines and their values below */
  for (double v = 0; v <= layout->axis_max + 0.5; v += layout->step)
    {
      double x = round (layout->x + layout->width * v / layout->axis_max) + 0.5;
      g_autofree char *text = format_count (v);

      set_colour (cr, style->grid);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x, layout->y);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      draw_text (cr, text, FONT_SMALL, x, bottom + 2, ALIGN_CENTRE, 0, style->muted);
    }
  draw_text (cr, chart->unit, FONT_SMALL, layout->x + layout->width / 2, bottom + TICK_LABELS + 2, ALIGN_CENTRE, 0,
             style->muted);

  for (guint i = 0; i < chart->bars->len; i++)
    {
      const BmStatsBar *bar = &g_array_index (chart->bars, BmStatsBar, i);
      cairo_rectangle_t rect;
      g_autofree char *count = format_count (bar->count);
      g_autofree char *value = NULL;
      double text_y = layout->y + i * ROW + (ROW - 15) / 2;

      bar_rect (chart, layout, i, &rect);
      set_colour (cr, (int) i == highlight ? style->highlight : style->bar);
      cairo_rectangle (cr, rect.x, rect.y, rect.width, rect.height);
      cairo_fill (cr);
      draw_text (cr, bar->label, FONT_SMALL, layout->x - 8, text_y, ALIGN_END, layout->label_width, style->text);
      value = chart->total > 0 ? g_strdup_printf ("%s (%.1f %%)", count, 100.0 * bar->count / chart->total)
                               : g_strdup (count);
      draw_text (cr, value, FONT_SMALL, rect.x + rect.width + 6, text_y, ALIGN_START, 0, style->text);
    }
}

static void
draw_vertical (const BmStatsChart *chart, cairo_t *cr, const Layout *layout, int highlight,
               const BmStatsChartStyle *style)
{
  double bottom = layout->y + layout->height;
  double labels_bottom = bottom + (layout->rotate_labels ? ROTATED_LABELS : TICK_LABELS);

  for (double v = 0; v <= layout->axis_max + 0.5; v += layout->step)
    {
      double y = round (bottom - layout->height * v / layout->axis_max) + 0.5;
      g_autofree char *text = format_count (v);

      set_colour (cr, style->grid);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, layout->x, y);
      cairo_line_to (cr, layout->x + layout->width, y);
      cairo_stroke (cr);
      draw_text (cr, text, FONT_SMALL, layout->x - 6, y - 8, ALIGN_END, 0, style->muted);
    }
  /* the axis titles: what a bar counts (left, turned), what the bins are (below) */
  cairo_save (cr);
  cairo_translate (cr, PAD, layout->y + layout->height / 2);
  cairo_rotate (cr, -G_PI / 2);
  draw_text (cr, chart->unit, FONT_SMALL, 0, -2, ALIGN_CENTRE, 0, style->muted);
  cairo_restore (cr);
  draw_text (cr, chart->axis, FONT_SMALL, layout->x + layout->width / 2, labels_bottom + 2, ALIGN_CENTRE, 0,
             style->muted);

  if (chart->bars->len == 0)
    {
      draw_text (cr, _("No objects"), FONT_SMALL, layout->x + layout->width / 2, layout->y + layout->height / 2,
                 ALIGN_CENTRE, 0, style->muted);
      return;
    }
  for (guint i = 0; i < chart->bars->len; i++)
    {
      const BmStatsBar *bar = &g_array_index (chart->bars, BmStatsBar, i);
      cairo_rectangle_t rect;
      g_autofree char *value = format_count (bar->count);
      double centre;

      bar_rect (chart, layout, i, &rect);
      centre = rect.x + rect.width / 2;
      set_colour (cr, (int) i == highlight ? style->highlight : style->bar);
      cairo_rectangle (cr, rect.x, rect.y, rect.width, rect.height);
      cairo_fill (cr);
      if (text_width (cr, value, FONT_SMALL) > layout->slot - 2)
        {
          g_free (value);
          value = format_compact (bar->count);
        }
      if (bar->count > 0)
        draw_text (cr, value, FONT_SMALL, centre, rect.y - 16, ALIGN_CENTRE, 0, style->text);
      if (layout->rotate_labels)
        {
          cairo_save (cr);
          cairo_translate (cr, centre + 4, bottom + 4);
          cairo_rotate (cr, -G_PI / 4);
          draw_text (cr, bar->label, FONT_SMALL, 0, -8, ALIGN_END, ROTATED_LABELS * 1.3, style->text);
          cairo_restore (cr);
        }
      else
        draw_text (cr, bar->label, FONT_SMALL, centre, bottom + 2, ALIGN_CENTRE, 0, style->text);
    }
}

void
bm_dataset_stats_chart_draw (const BmStatsChart      *chart,
                             cairo_t                 *cr,
                             double                   width,
                             double                   height,
                             int                      highlight,
                             const BmStatsChartStyle *style)
{
  Layout layout;

  g_return_if_fail (chart != NULL && cr != NULL);

  if (style == NULL)
    style = &light_style;
  cairo_save (cr);
  if (style->background[0] >= 0)
    {
      set_colour (cr, style->background);
      cairo_paint (cr);
    }
  compute_layout (chart, width, height, &layout);
  draw_header (chart, cr, width, style);
  if (chart->horizontal)
    draw_horizontal (chart, cr, width, &layout, highlight, style);
  else
    draw_vertical (chart, cr, &layout, highlight, style);
  cairo_restore (cr);
}

/* ---- files ---- */

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_bytes (const char *dir, const char *id, const char *extension, GByteArray *bytes, GError **error)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", id, extension);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return bm_file_write_atomic (path, (const char *) bytes->data, bytes->len, error);
}

static gboolean
cairo_failed (cairo_status_t status, const char *dir, const char *id, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return FALSE;
  g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s/%s: cannot draw the chart: %s"), dir, id,
               cairo_status_to_string (status));
  return TRUE;
}

gboolean
bm_dataset_stats_chart_write (const BmStatsChart *chart,
                              const char         *dir,
                              double              width,
                              GError            **error)
{
  double height;
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) svg = g_byte_array_new ();
  g_autoptr(GByteArray) csv = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  char *text;

  g_return_val_if_fail (chart != NULL && dir != NULL, FALSE);

  height = ceil (bm_dataset_stats_chart_get_height (chart, width));

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cr = cairo_create (surface);
  bm_dataset_stats_chart_draw (chart, cr, width, height, -1, NULL);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  if (cairo_failed (status, dir, chart->id, error))
    return FALSE;

  surface = cairo_svg_surface_create_for_stream (append_bytes, svg, width, height);
  cr = cairo_create (surface);
  bm_dataset_stats_chart_draw (chart, cr, width, height, -1, NULL);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (cairo_failed (status, dir, chart->id, error))
    return FALSE;

  text = bm_dataset_stats_chart_to_csv (chart);
  csv = g_byte_array_new_take ((guint8 *) text, strlen (text));
  return write_bytes (dir, chart->id, "png", png, error) && write_bytes (dir, chart->id, "svg", svg, error)
         && write_bytes (dir, chart->id, "csv", csv, error);
}
