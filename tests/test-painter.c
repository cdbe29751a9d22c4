/* test-painter.c: how objects look: pre-annotations apart from difficult objects (and a difficult
 * pre-annotation as both), whole detector scores without decimals and odd ones kept short, in
 * the painter and the object panel's details.
 * Draws into cairo image surfaces only; no display needed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>

#include "core/bm-object.h"
#include "widgets/bm-object-painter.h"
#include "widgets/bm-object-panel.h"

static void
test_outline_styles (void)
{
  double solid[BM_OUTLINE_MAX_DASHES], difficult[BM_OUTLINE_MAX_DASHES], pre[BM_OUTLINE_MAX_DASHES];
  double both[BM_OUTLINE_MAX_DASHES];
  int n_solid, n_difficult, n_pre, n_both;

  g_assert_cmpint (bm_object_painter_outline_style (FALSE, FALSE), ==, BM_OUTLINE_SOLID);
  g_assert_cmpint (bm_object_painter_outline_style (TRUE, FALSE), ==, BM_OUTLINE_DIFFICULT);
  g_assert_cmpint (bm_object_painter_outline_style (FALSE, TRUE), ==, BM_OUTLINE_PRE_ANNOTATION);
  /* A difficult pre-annotation is still the detector's guess to review, and still difficult. */
  g_assert_cmpint (bm_object_painter_outline_style (TRUE, TRUE), ==, BM_OUTLINE_DIFFICULT_PRE_ANNOTATION);

  n_solid = bm_object_painter_get_dash (BM_OUTLINE_SOLID, solid);
  n_difficult = bm_object_painter_get_dash (BM_OUTLINE_DIFFICULT, difficult);
  n_pre = bm_object_painter_get_dash (BM_OUTLINE_PRE_ANNOTATION, pre);
  g_assert_cmpint (n_solid, ==, 0);

  /* Difficult keeps its 6-on 4-off dashes. */
  g_assert_cmpint (n_difficult, ==, 2);
  g_assert_cmpfloat (difficult[0], ==, 6.0);
  g_assert_cmpfloat (difficult[1], ==, 4.0);

  /* Pre-annotations: dots, clearly unlike the dashes. */
  g_assert_cmpint (n_pre, ==, 2);
  g_assert_cmpfloat (pre[0], <, difficult[0] / 2);
  g_assert_cmpfloat (pre[1], >, difficult[1]);

  /* Both: a pre-annotation dot, then difficult's dash. */
  n_both = bm_object_painter_get_dash (BM_OUTLINE_DIFFICULT_PRE_ANNOTATION, both);
  g_assert_cmpint (n_both, ==, 4);
  g_assert_cmpint (n_both, <=, BM_OUTLINE_MAX_DASHES);
  g_assert_cmpfloat (both[0], ==, pre[0]);
  g_assert_cmpfloat (both[2], ==, difficult[0]);
  g_assert_cmpfloat (both[1], >, 0);
  g_assert_cmpfloat (both[3], >, 0);
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *row = cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface);

  return ((const guint32 *) row)[x] & 0xffffff;
}

/* Strokes a horizontal line in @style and counts the gaps along it. */
static int
count_gaps (BmOutlineStyle style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 120, 20);
  cairo_t *cr = cairo_create (surface);
  GdkRGBA red = { 1, 0, 0, 1 };
  gboolean inside = FALSE;
  int gaps = 0;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* Thick enough for a dot to cover whole pixels. */
  cairo_move_to (cr, 10, 10);
  cairo_line_to (cr, 110, 10);
  bm_object_painter_stroke_styled (cr, &red, 6.0, 4.0, style);
  cairo_surface_flush (surface);

  for (int x = 12; x < 108; x++)
    {
      gboolean red_here = pixel (surface, x, 10) == 0xff0000;

      gaps += inside && !red_here;
      inside = red_here;
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return gaps;
}

/* Strokes a horizontal line in @style and returns the lengths of the red runs along it, the
 * first and last (cut by the ends) left out. */
static GArray *
red_runs (BmOutlineStyle style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 20);
  cairo_t *cr = cairo_create (surface);
  GdkRGBA red = { 1, 0, 0, 1 };
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (int));
  int run = 0;
  gboolean first = TRUE;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_move_to (cr, 10, 10);
  cairo_line_to (cr, 190, 10);
  bm_object_painter_stroke_styled (cr, &red, 6.0, 4.0, style);
  cairo_surface_flush (surface);

  for (int x = 8; x < 192; x++)
    {
      if (pixel (surface, x, 10) == 0xff0000)
        run++;
      else if (run > 0)
        {
          if (!first)
            g_array_append_val (runs, run);
          first = FALSE;
          run = 0;
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return runs;
}

/* How many of @runs are at least @min_length and at most @max_length. */
static guint
count_runs (GArray *runs,
            int     min_length,
            int     max_length)
{
  guint n = 0;

  for (guint i = 0; i < runs->len; i++)
    n += g_array_index (runs, int, i) >= min_length && g_array_index (runs, int, i) <= max_length;
  return n;
}

static void
test_difficult_pre_annotation_pixels (void)
{
  g_autoptr(GArray) difficult = red_runs (BM_OUTLINE_DIFFICULT);
  g_autoptr(GArray) pre = red_runs (BM_OUTLINE_PRE_ANNOTATION);
  g_autoptr(GArray) both = red_runs (BM_OUTLINE_DIFFICULT_PRE_ANNOTATION);
  g_autoptr(GString) lengths = g_string_new (NULL);

  for (guint i = 0; i < both->len; i++)
    g_string_append_printf (lengths, " %d", g_array_index (both, int, i));
  g_test_message ("red runs of a difficult pre-annotation:%s", lengths->str);

  /* Difficult alone: dashes only; a pre-annotation alone: dots only. */
  g_assert_cmpuint (difficult->len, >=, 10);
  g_assert_cmpuint (count_runs (difficult, 5, 8), ==, difficult->len);
  g_assert_cmpuint (pre->len, >=, 20);
  g_assert_cmpuint (count_runs (pre, 1, 4), ==, pre->len);

  /* Both: dashes at least as long as difficult's and dots, taking turns. */
  g_assert_cmpuint (both->len, >=, 16);   /* a dash and a dot every 18 px */
  g_assert_cmpuint (count_runs (both, 6, 12) + count_runs (both, 1, 4), ==, both->len);
  g_assert_cmpint (ABS ((int) count_runs (both, 6, 12) - (int) count_runs (both, 1, 4)), <=, 1);
  for (guint i = 0; i + 1 < both->len; i++)
    g_assert_cmpint ((g_array_index (both, int, i) >= 6), !=, (g_array_index (both, int, i + 1) >= 6));
}

static void
test_outline_pixels (void)
{
  int solid = count_gaps (BM_OUTLINE_SOLID);
  int difficult = count_gaps (BM_OUTLINE_DIFFICULT);
  int pre = count_gaps (BM_OUTLINE_PRE_ANNOTATION);

  g_assert_cmpint (solid, ==, 0);
  g_assert_cmpint (difficult, >=, 8);   /* every 10 px */
  g_assert_cmpint (pre, >=, 12);        /* a dot every 6 px */
  g_test_message ("gaps: difficult %d, pre-annotation %d", difficult, pre);
  g_assert_cmpint (pre, !=, difficult);
}

static void
test_pre_annotation_marker (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 40, 40);
  cairo_t *cr = cairo_create (surface);
  GdkRGBA blue = { 0, 0, 1, 1 };

  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_paint (cr);
  bm_object_painter_draw_pre_annotation_marker (cr, &blue, 20, 20);
  cairo_surface_flush (surface);

  /* A light star with a dark rim on the corner; far from it, nothing. */
  g_assert_cmphex (pixel (surface, 20, 20), ==, 0xffffff);
  g_assert_cmphex (pixel (surface, 20, 17) & 0x808080, ==, 0x808080);   /* light, up the top point */
  g_assert_cmphex (pixel (surface, 23, 20) & 0x808080, ==, 0x808080);
  g_assert_cmphex (pixel (surface, 20, 13) & 0xff, <, 0x80);           /* dark rim beyond the tip */
  g_assert_cmphex (pixel (surface, 2, 2), ==, 0x0000ff);
  g_assert_cmphex (pixel (surface, 38, 38), ==, 0x0000ff);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_format_score (void)
{
  const struct { double score; const char *text; } cases[] = {
    { 4, "4" }, { 0, "0" }, { 17, "17" }, { 123456, "123456" }, { 999999, "999999" }, { -2, "-2" },
    { -0.0, "0" }, { 1.0, "1" },
    { 0.87, "0.87" }, { 4.5, "4.50" }, { -0.25, "-0.25" }, { 0.5, "0.50" }, { 0.994, "0.99" },
    /* The nearest two decimals, never overstated; what rounds to a whole number shows as one. */
    { 0.999, "1" }, { 3.999, "4" }, { 1.001, "1" }, { 1.005, "1" }, { 4.0000001, "4" },
    { 0.001, "0" }, { 1e-300, "0" }, { -0.001, "0" }, { 1.236, "1.24" }, { 0.125, "0.12" },
    { 999999.5, "999999.50" },
    /* Large: short, in any case. */
    { 1e6, "1e+06" }, { 1234567.0, "1.23457e+06" }, { 1e12, "1e+12" }, { -1e12, "-1e+12" },
    { 1e300, "1e+300" }, { 1e300 * 10.5, "1.05e+301" },
    /* Not a number at all. */
    { NAN, "—" }, { -NAN, "—" }, { INFINITY, "—" }, { -INFINITY, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bm_object_painter_format_score (cases[i].score);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpuint (strlen (text), <=, 12);
    }
}

static BmObject *
new_box (void)
{
  BmShape shape;

  bm_shape_init_box (&shape, 1, 2, 30, 40);
  return bm_object_new ("face", &shape);
}

static void
test_panel_details (void)
{
  g_autoptr(BmObject) detected = new_box ();
  g_autoptr(BmObject) scored = new_box ();
  g_autoptr(BmObject) difficult = new_box ();
  g_autofree char *detected_text = NULL;
  g_autofree char *scored_text = NULL;
  g_autofree char *difficult_text = NULL;

  bm_object_set_pre_annotation (detected, TRUE);
  bm_object_set_score (detected, 4);
  bm_object_set_score (scored, 0.5);
  bm_object_set_difficult (difficult, 1);

  detected_text = bm_object_panel_format_details (detected);
  scored_text = bm_object_panel_format_details (scored);
  difficult_text = bm_object_panel_format_details (difficult);
  g_assert_true (g_str_has_suffix (detected_text, " · pre-annotation · 4"));
  g_assert_true (g_str_has_suffix (scored_text, " · 0.50"));
  g_assert_null (strstr (scored_text, "pre-annotation"));
  g_assert_true (g_str_has_suffix (difficult_text, " · difficult"));
  g_assert_null (strstr (difficult_text, "pre-annotation"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "C.UTF-8");

  g_test_add_func ("/painter/outline-styles", test_outline_styles);
  g_test_add_func ("/painter/outline-pixels", test_outline_pixels);
  g_test_add_func ("/painter/difficult-pre-annotation-pixels", test_difficult_pre_annotation_pixels);
  g_test_add_func ("/painter/pre-annotation-marker", test_pre_annotation_marker);
  g_test_add_func ("/painter/format-score", test_format_score);
  g_test_add_func ("/painter/panel-details", test_panel_details);
  return g_test_run ();
}
