/* bm-dataset-stats-chart.h: the charts of a dataset's statistics — what each bar counts, and
 * how it is drawn with cairo. `boxmark-cli stats --plot` writes them as PNG and SVG; the
 * window's overview draws the very same charts, so both show the same numbers, and
 * `stats --json` prints these bars as they are.
 *
 * Histogram bins are fixed, so charts of two datasets (or two shards) compare bar by bar:
 *   width, height   octaves of pixels: <4, 4–8, 8–16, …, 4096–8192, ≥8192
 *   area            squares of those: <4², 4²–8², …, ≥8192²
 *   aspect ratio    half-octaves centred on 1:8, 1:5.7, 1:4, …, 1:1, …, 8:1 (ends open)
 *   objects/image   0, 1, …, 9, 10–19, 20–49, 50–99, 100–199, 200–499, 500–999, ≥1000
 * Bins below the first and above the last non-empty one are left out.
 * GTK-free (cairo and pango only).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include "bm-dataset-stats.h"

G_BEGIN_DECLS

typedef enum
{
  BM_STATS_CHART_OVERVIEW,           /* images: labelled, verified, unlabelled, empty, problems */
  BM_STATS_CHART_CLASSES,            /* objects per class */
  BM_STATS_CHART_OBJECTS_PER_IMAGE,  /* labelled images by how many objects they hold */
  BM_STATS_CHART_WIDTH,
  BM_STATS_CHART_HEIGHT,
  BM_STATS_CHART_ASPECT,
  BM_STATS_CHART_AREA,
  BM_STATS_N_CHARTS
} BmStatsChartKind;

/* The bars of the overview chart, in the order drawn. */
typedef enum
{
  BM_STATS_OVERVIEW_IMAGES,
  BM_STATS_OVERVIEW_LABELLED,
  BM_STATS_OVERVIEW_VERIFIED,
  BM_STATS_OVERVIEW_UNLABELLED,
  BM_STATS_OVERVIEW_EMPTY,
  BM_STATS_OVERVIEW_PROBLEMS,
  BM_STATS_OVERVIEW_ORPHANS,
  BM_STATS_N_OVERVIEW
} BmStatsOverviewBar;

typedef struct
{
  char *label;         /* "8–16", "car", "Verified" */
  double min, max;     /* histograms: the bin [min, max); max is INFINITY for the last open bin */
  int key;             /* classes: class index; overview: BmStatsOverviewBar; histograms: bin */
  guint count;
} BmStatsBar;

typedef struct
{
  BmStatsChartKind kind;
  int klass;           /* the class the histogram is for, -1 for all */
  char *class_name;    /* its name, NULL for all */
  char *id;            /* file stem: "overview", "classes", "objects-per-image", "box-width", … */
  char *title;         /* translated */
  char *subtitle;      /* translated: what is counted, and how many */
  char *unit;          /* translated: what a bar counts ("objects", "images") */
  char *axis;          /* translated: what the bins are ("pixels"); NULL for horizontal charts */
  guint total;         /* the base of the percentages */
  gboolean horizontal; /* bars run left to right, one row each (overview, classes) */
  GArray *bars;        /* BmStatsBar */
} BmStatsChart;

/* The chart @kind of @stats. @klass: the class of a shape histogram (width, height, aspect,
 * area), -1 for all classes; the other charts ignore it. */
BmStatsChart *bm_dataset_stats_chart_new        (BmDatasetStats     *stats,
                                                 BmStatsChartKind    kind,
                                                 int                 klass);
void          bm_dataset_stats_chart_free       (BmStatsChart       *chart);

/* The items (sorted, distinct, guint) behind bar @bar: the images the bar counts, or the
 * images holding the objects it counts. */
GArray       *bm_dataset_stats_chart_bar_items  (BmDatasetStats     *stats,
                                                 const BmStatsChart *chart,
                                                 guint               bar);

/* {"id", "title", "class" (name or null), "unit", "total", "bars": [{"label", "min", "max",
 * "count"}]}; min and max only for histograms, max null for the last, open bin. */
void          bm_dataset_stats_chart_append_json (const BmStatsChart *chart,
                                                  GString            *out);
/* "label,min,max,count" rows (RFC 4180 quoting). Free with g_free. */
char         *bm_dataset_stats_chart_to_csv     (const BmStatsChart *chart);

/* Drawing. Sizes are in user units (pixels of the PNG). */
#define BM_STATS_CHART_DEFAULT_WIDTH 800

/* The height the chart wants at @width. */
double        bm_dataset_stats_chart_get_height (const BmStatsChart *chart,
                                                 double              width);
/* Where bar @bar is drawn in a chart of @width × @height. FALSE when the bar is not drawn. */
gboolean      bm_dataset_stats_chart_get_bar_rect (const BmStatsChart *chart,
                                                   double              width,
                                                   double              height,
                                                   guint               bar,
                                                   cairo_rectangle_t  *rect);
/* The bar at (@x, @y) (its whole row or column counts), or -1. */
int           bm_dataset_stats_chart_bar_at     (const BmStatsChart *chart,
                                                 double              width,
                                                 double              height,
                                                 double              x,
                                                 double              y);

typedef struct
{
  double background[3];   /* < 0: transparent (the window's own background) */
  double text[3];
  double muted[3];        /* axis titles, grid labels */
  double grid[3];
  double bar[3];
  double highlight[3];    /* the bar under the pointer or chosen */
} BmStatsChartStyle;

/* Light: white ground, GNOME blue bars. */
const BmStatsChartStyle *bm_dataset_stats_chart_style_light (void);

/* Draws the chart into @cr at (0, 0) – (@width, @height). @highlight: a bar to draw in the
 * highlight colour, or -1. @style NULL: light. */
void          bm_dataset_stats_chart_draw       (const BmStatsChart      *chart,
                                                 cairo_t                 *cr,
                                                 double                   width,
                                                 double                   height,
                                                 int                      highlight,
                                                 const BmStatsChartStyle *style);

/* Writes DIR/ID.png, DIR/ID.svg and DIR/ID.csv (each atomically), @width wide. */
gboolean      bm_dataset_stats_chart_write      (const BmStatsChart *chart,
                                                 const char         *dir,
                                                 double              width,
                                                 GError            **error);

/* What `stats --plot` draws: the seven charts of all classes, then with @per_class the four
 * shape histograms of every class (most objects first). BmStatsChart *, owned. */
GPtrArray    *bm_dataset_stats_charts           (BmDatasetStats     *stats,
                                                 gboolean            per_class);
/* Where @chart's files go below @dir: @dir itself, or DIR/per-class/CLASS for one class
 * (the class name made a safe folder name as bm_crop_class_folder does). Free with g_free. */
char         *bm_dataset_stats_chart_folder     (const BmStatsChart *chart,
                                                 const char         *dir);
/* Writes every chart of @charts below @dir (created when missing), @width wide. */
gboolean      bm_dataset_stats_write_charts     (GPtrArray          *charts,
                                                 const char         *dir,
                                                 double              width,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmStatsChart, bm_dataset_stats_chart_free)

G_END_DECLS
