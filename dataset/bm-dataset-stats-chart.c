/* bm-dataset-stats-chart.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-crop.h"
#include "bm-dataset-stats-chart.h"

/* ---- bins ---- */

/* Octaves of pixels: the upper edges of the bins below the last, open one. */
static const double side_edges[] = { 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192 };
static const double count_edges[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 50, 100, 200, 500, 1000 };
#define ASPECT_HALF_OCTAVES 6     /* 1:8 … 8:1 is 2^(-6/2) … 2^(6/2) */
#define N_ASPECT_BINS (2 * ASPECT_HALF_OCTAVES + 1)

static guint
bin_of (double value, const double *edges, guint n_edges)
{
  guint lo = 0, hi = n_edges;

  /* the first edge above value */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (value < edges[mid])
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

static double
aspect_edge (int k)
{
  /* between the bins centred on 2^(k/2) and 2^((k+1)/2) */
  return exp2 ((k + 0.5) / 2);
}

static double
aspect_of (const BmStatsObject *object)
{
  if (object->height > 0)
    return (double) object->width / object->height;
  return object->width > 0 ? INFINITY : 1;
}

static guint
aspect_bin (double ratio)
{
  for (int k = -ASPECT_HALF_OCTAVES; k < ASPECT_HALF_OCTAVES; k++)
    if (ratio < aspect_edge (k))
      return (guint) (k + ASPECT_HALF_OCTAVES);
  return N_ASPECT_BINS - 1;
}

static double
value_of (BmStatsChartKind kind, const BmStatsObject *object)
{
  switch (kind)
    {
    case BM_STATS_CHART_WIDTH:
      return object->width;
    case BM_STATS_CHART_HEIGHT:
      return object->height;
    case BM_STATS_CHART_AREA:
      return object->area;
    case BM_STATS_CHART_ASPECT:
    default:
      return aspect_of (object);
    }
}

static guint
n_bins (BmStatsChartKind kind)
{
  switch (kind)
    {
    case BM_STATS_CHART_ASPECT:
      return N_ASPECT_BINS;
    case BM_STATS_CHART_OBJECTS_PER_IMAGE:
      return G_N_ELEMENTS (count_edges) + 1;
    default:
      return G_N_ELEMENTS (side_edges) + 1;
    }
}

static guint
object_bin (BmStatsChartKind kind, const BmStatsObject *object)
{
  double value = value_of (kind, object);

  switch (kind)
    {
    case BM_STATS_CHART_ASPECT:
      return aspect_bin (value);
    case BM_STATS_CHART_AREA:
      return bin_of (sqrt (value), side_edges, G_N_ELEMENTS (side_edges));
    default:
      return bin_of (value, side_edges, G_N_ELEMENTS (side_edges));
    }
}

static void
bin_range (BmStatsChartKind kind, guint bin, double *min, double *max)
{
  const double *edges = kind == BM_STATS_CHART_OBJECTS_PER_IMAGE ? count_edges : side_edges;
  guint n_edges = n_bins (kind) - 1;

  if (kind == BM_STATS_CHART_ASPECT)
    {
      int k = (int) bin - ASPECT_HALF_OCTAVES;

      *min = bin == 0 ? 0 : aspect_edge (k - 1);
      *max = bin == N_ASPECT_BINS - 1 ? INFINITY : aspect_edge (k);
      return;
    }
  *min = bin == 0 ? 0 : edges[bin - 1];
  *max = bin == n_edges ? INFINITY : edges[bin];
  if (kind == BM_STATS_CHART_AREA)
    {
      *min *= *min;
      *max *= *max;
    }
}

static char *
ratio_text (int k)
{
  double r = exp2 (fabs ((double) k) / 2);
  /* whole octaves are whole numbers; the half-octaves between them get one decimal */
  g_autofree char *number = k % 2 == 0 ? g_strdup_printf ("%.0f", r) : g_strdup_printf ("%.1f", r);

  return k < 0 ? g_strdup_printf ("1:%s", number) : g_strdup_printf ("%s:1", number);
}

static char *
bin_label (BmStatsChartKind kind, guint bin)
{
  guint last = n_bins (kind) - 1;
  const char *square = kind == BM_STATS_CHART_AREA ? "²" : "";
  double min, max;

  if (kind == BM_STATS_CHART_ASPECT)
    {
      g_autofree char *ratio = ratio_text ((int) bin - ASPECT_HALF_OCTAVES);

      if (bin == 0)
        return g_strdup_printf ("≤%s", ratio);
      if (bin == last)
        return g_strdup_printf ("≥%s", ratio);
      return g_steal_pointer (&ratio);
    }
  bin_range (kind, bin, &min, &max);
  if (kind == BM_STATS_CHART_AREA)
    {
      min = sqrt (min);
      max = sqrt (max);
    }
  if (kind == BM_STATS_CHART_OBJECTS_PER_IMAGE)
    {
      if (bin == last)
        return g_strdup_printf ("≥%.0f", min);
      if (max - min == 1)
        return g_strdup_printf ("%.0f", min);
      return g_strdup_printf ("%.0f–%.0f", min, max - 1);
    }
  if (bin == 0)
    return g_strdup_printf ("<%.0f%s", max, square);
  if (bin == last)
    return g_strdup_printf ("≥%.0f%s", min, square);
  return g_strdup_printf ("%.0f%s–%.0f%s", min, square, max, square);
}

/* ---- the charts ---- */

static void
add_bar (BmStatsChart *chart, char *label, double min, double max, int key, guint count)
{
  BmStatsBar bar = { label, min, max, key, count };

  g_array_append_val (chart->bars, bar);
}

static void
bar_clear (gpointer data)
{
  g_free (((BmStatsBar *) data)->label);
}

static guint
overview_count (const BmStatsCounts *counts, BmStatsOverviewBar bar)
{
  switch (bar)
    {
    case BM_STATS_OVERVIEW_IMAGES: return counts->images;
    case BM_STATS_OVERVIEW_LABELLED: return counts->labelled;
    case BM_STATS_OVERVIEW_VERIFIED: return counts->verified;
    case BM_STATS_OVERVIEW_UNLABELLED: return counts->unlabelled;
    case BM_STATS_OVERVIEW_EMPTY: return counts->empty;
    case BM_STATS_OVERVIEW_PROBLEMS: return counts->files_with_problems;
    case BM_STATS_OVERVIEW_ORPHANS:
    default: return counts->orphan_labels;
    }
}

static const char *
overview_label (BmStatsOverviewBar bar)
{
  switch (bar)
    {
    case BM_STATS_OVERVIEW_IMAGES: return _("Images");
    case BM_STATS_OVERVIEW_LABELLED: return _("Labelled");
    case BM_STATS_OVERVIEW_VERIFIED: return _("Verified");
    case BM_STATS_OVERVIEW_UNLABELLED: return _("Without labels");
    case BM_STATS_OVERVIEW_EMPTY: return _("Label files without objects");
    case BM_STATS_OVERVIEW_PROBLEMS: return _("Label files with problems");
    case BM_STATS_OVERVIEW_ORPHANS:
    default: return _("Label files without image");
    }
}

static void
fill_overview (BmStatsChart *chart, BmDatasetStats *stats)
{
  const BmStatsCounts *counts = bm_dataset_stats_get_counts (stats);

  chart->id = g_strdup ("overview");
  chart->title = g_strdup (_("Images and label files"));
  {
    guint n_classes = bm_dataset_stats_get_n_classes (stats);
    g_autofree char *images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", counts->images), counts->images);
    g_autofree char *objects = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u object", "%u objects", counts->objects), counts->objects);
    g_autofree char *classes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u class", "%u classes", n_classes), n_classes);
    g_autofree char *problems = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems", counts->problems), counts->problems);

    /* TRANSLATORS: "160 images, 173 objects in 1 class, 0 problems" */
    chart->subtitle = g_strdup_printf (_("%s, %s in %s, %s"), images, objects, classes, problems);
  }
  chart->unit = g_strdup (_("images"));
  chart->total = counts->images;
  chart->horizontal = TRUE;
  for (int bar = 0; bar < BM_STATS_N_OVERVIEW; bar++)
    add_bar (chart, g_strdup (overview_label (bar)), NAN, NAN, bar, overview_count (counts, bar));
}

static void
fill_classes (BmStatsChart *chart, BmDatasetStats *stats)
{
  g_autoptr(GArray) order = bm_dataset_stats_sorted_classes (stats);

  chart->id = g_strdup ("classes");
  chart->title = g_strdup (_("Objects per class"));
  {
    guint n_objects = bm_dataset_stats_get_counts (stats)->objects;
    g_autofree char *objects = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u object", "%u objects", n_objects), n_objects);
    g_autofree char *classes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u class", "%u classes", order->len), order->len);

    /* TRANSLATORS: "173 objects in 1 class" */
    chart->subtitle = g_strdup_printf (_("%s in %s"), objects, classes);
  }
  chart->unit = g_strdup (_("objects"));
  chart->total = bm_dataset_stats_get_counts (stats)->objects;
  chart->horizontal = TRUE;
  for (guint i = 0; i < order->len; i++)
    {
      guint klass = g_array_index (order, guint, i);

      add_bar (chart, g_strdup (bm_dataset_stats_get_class_name (stats, klass)), NAN, NAN, (int) klass,
               bm_dataset_stats_get_class_objects (stats, klass));
    }
}

static gboolean
counts_per_image (BmDatasetStats *stats, guint item)
{
  BmStatsItemFlags flags = bm_dataset_stats_get_item_flags (stats, item);

  return (flags & BM_STATS_ITEM_HAS_IMAGE) && (flags & BM_STATS_ITEM_READ);
}

/* Bins with their counts; those outside the first and last non-empty one are left out. */
static void
add_bins (BmStatsChart *chart, const guint *counts, guint n)
{
  guint first = 0, last = n;

  while (first < n && counts[first] == 0)
    first++;
  while (last > first && counts[last - 1] == 0)
    last--;
  for (guint bin = first; bin < last; bin++)
    {
      double min, max;

      bin_range (chart->kind, bin, &min, &max);
      add_bar (chart, bin_label (chart->kind, bin), min, max, (int) bin, counts[bin]);
    }
}

static void
fill_objects_per_image (BmStatsChart *chart, BmDatasetStats *stats)
{
  guint n = n_bins (chart->kind);
  g_autofree guint *counts = g_new0 (guint, n);

  chart->id = g_strdup ("objects-per-image");
  chart->title = g_strdup (_("Objects per image"));
  chart->unit = g_strdup (_("images"));
  chart->horizontal = FALSE;
  for (guint item = 0; item < bm_dataset_stats_get_n_items (stats); item++)
    if (counts_per_image (stats, item))
      {
        counts[bin_of (bm_dataset_stats_get_item_objects (stats, item), count_edges, G_N_ELEMENTS (count_edges))]++;
        chart->total++;
      }
  chart->axis = g_strdup (_("objects in the image"));
  chart->subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u labelled image", "%u labelled images", chart->total),
                                     chart->total);
  add_bins (chart, counts, n);
}

static void
fill_histogram (BmStatsChart *chart, BmDatasetStats *stats)
{
  guint n = n_bins (chart->kind);
  g_autofree guint *counts = g_new0 (guint, n);
  const BmStatsObject *objects = bm_dataset_stats_get_objects (stats);
  const char *what;

  switch (chart->kind)
    {
    case BM_STATS_CHART_WIDTH:
      chart->id = g_strdup ("box-width");
      chart->title = g_strdup (_("Object width"));
      chart->axis = g_strdup (_("pixels"));
      break;
    case BM_STATS_CHART_HEIGHT:
      chart->id = g_strdup ("box-height");
      chart->title = g_strdup (_("Object height"));
      chart->axis = g_strdup (_("pixels"));
      break;
    case BM_STATS_CHART_ASPECT:
      chart->id = g_strdup ("aspect-ratio");
      chart->title = g_strdup (_("Aspect ratio"));
      chart->axis = g_strdup (_("width : height"));
      break;
    case BM_STATS_CHART_AREA:
    default:
      chart->id = g_strdup ("box-area");
      chart->title = g_strdup (_("Object area"));
      chart->axis = g_strdup (_("pixels²"));
      break;
    }
  chart->unit = g_strdup (_("objects"));
  chart->horizontal = FALSE;
  for (guint i = 0; i < bm_dataset_stats_get_n_objects (stats); i++)
    if (chart->klass < 0 || objects[i].klass == (guint) chart->klass)
      {
        counts[object_bin (chart->kind, &objects[i])]++;
        chart->total++;
      }
  if (chart->klass >= 0)
    chart->class_name = g_strdup (bm_dataset_stats_get_class_name (stats, (guint) chart->klass));
  what = chart->class_name != NULL ? chart->class_name : _("all classes");
  /* TRANSLATORS: "car: 120 objects" or "all classes: 587 objects" */
  chart->subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u object", "%s: %u objects", chart->total),
                                     what, chart->total);
  add_bins (chart, counts, n);
}

BmStatsChart *
bm_dataset_stats_chart_new (BmDatasetStats   *stats,
                            BmStatsChartKind  kind,
                            int               klass)
{
  BmStatsChart *chart;

  g_return_val_if_fail (BM_IS_DATASET_STATS (stats), NULL);
  g_return_val_if_fail (kind < BM_STATS_N_CHARTS, NULL);
  g_return_val_if_fail (klass < (int) bm_dataset_stats_get_n_classes (stats), NULL);

  chart = g_new0 (BmStatsChart, 1);
  chart->kind = kind;
  chart->klass = -1;
  chart->bars = g_array_new (FALSE, TRUE, sizeof (BmStatsBar));
  g_array_set_clear_func (chart->bars, bar_clear);
  switch (kind)
    {
    case BM_STATS_CHART_OVERVIEW:
      fill_overview (chart, stats);
      break;
    case BM_STATS_CHART_CLASSES:
      fill_classes (chart, stats);
      break;
    case BM_STATS_CHART_OBJECTS_PER_IMAGE:
      fill_objects_per_image (chart, stats);
      break;
    default:
      chart->klass = klass;
      fill_histogram (chart, stats);
      break;
    }
  return chart;
}

void
bm_dataset_stats_chart_free (BmStatsChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->id);
  g_free (chart->class_name);
  g_free (chart->title);
  g_free (chart->subtitle);
  g_free (chart->unit);
  g_free (chart->axis);
  g_array_unref (chart->bars);
  g_free (chart);
}

static gboolean
overview_item_matches (BmDatasetStats *stats, guint item, BmStatsOverviewBar bar)
{
  BmStatsItemFlags flags = bm_dataset_stats_get_item_flags (stats, item);
  gboolean image = (flags & BM_STATS_ITEM_HAS_IMAGE) != 0;

  switch (bar)
    {
    case BM_STATS_OVERVIEW_IMAGES: return image;
    case BM_STATS_OVERVIEW_LABELLED: return image && (flags & BM_STATS_ITEM_LABELLED);
    case BM_STATS_OVERVIEW_VERIFIED: return (flags & BM_STATS_ITEM_VERIFIED) != 0;
    case BM_STATS_OVERVIEW_UNLABELLED: return image && !(flags & BM_STATS_ITEM_LABELLED);
    case BM_STATS_OVERVIEW_EMPTY:
      return (flags & BM_STATS_ITEM_READ) && bm_dataset_stats_get_item_objects (stats, item) == 0;
    case BM_STATS_OVERVIEW_PROBLEMS: return (flags & BM_STATS_ITEM_PROBLEMS) != 0;
    case BM_STATS_OVERVIEW_ORPHANS:
    default: return !image;
    }
}

GArray *
bm_dataset_stats_chart_bar_items (BmDatasetStats     *stats,
                                  const BmStatsChart *chart,
                                  guint               bar)
{
  const BmStatsBar *b;
  const BmStatsObject *objects;
  GArray *items;

  g_return_val_if_fail (BM_IS_DATASET_STATS (stats), NULL);
  g_return_val_if_fail (chart != NULL && bar < chart->bars->len, NULL);

  b = &g_array_index (chart->bars, BmStatsBar, bar);
  objects = bm_dataset_stats_get_objects (stats);
  items = g_array_new (FALSE, FALSE, sizeof (guint));
  switch (chart->kind)
    {
    case BM_STATS_CHART_OVERVIEW:
      for (guint item = 0; item < bm_dataset_stats_get_n_items (stats); item++)
        if (overview_item_matches (stats, item, b->key))
          g_array_append_val (items, item);
      break;
    case BM_STATS_CHART_CLASSES:
      for (guint i = 0; i < bm_dataset_stats_get_n_objects (stats); i++)
        if (objects[i].klass == (guint) b->key)
          g_array_append_val (items, objects[i].item);
      break;
    case BM_STATS_CHART_OBJECTS_PER_IMAGE:
      for (guint item = 0; item < bm_dataset_stats_get_n_items (stats); item++)
        if (counts_per_image (stats, item)
            && bin_of (bm_dataset_stats_get_item_objects (stats, item), count_edges, G_N_ELEMENTS (count_edges)) == (guint) b->key)
          g_array_append_val (items, item);
      break;
    default:
      for (guint i = 0; i < bm_dataset_stats_get_n_objects (stats); i++)
        if ((chart->klass < 0 || objects[i].klass == (guint) chart->klass)
            && object_bin (chart->kind, &objects[i]) == (guint) b->key)
          g_array_append_val (items, objects[i].item);
      break;
    }
  return bm_dataset_stats_unique_items (items);
}

/* ---- text forms ---- */

static void
json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
json_number (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value) || isinf (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
}

void
bm_dataset_stats_chart_append_json (const BmStatsChart *chart,
                                    GString            *out)
{
  g_return_if_fail (chart != NULL && out != NULL);

  g_string_append (out, "{\"id\": ");
  json_string (out, chart->id);
  g_string_append (out, ", \"title\": ");
  json_string (out, chart->title);
  g_string_append (out, ", \"class\": ");
  if (chart->class_name != NULL)
    json_string (out, chart->class_name);
  else
    g_string_append (out, "null");
  g_string_append (out, ", \"unit\": ");
  json_string (out, chart->unit);
  g_string_append_printf (out, ", \"total\": %u, \"bars\": [", chart->total);
  for (guint i = 0; i < chart->bars->len; i++)
    {
      const BmStatsBar *bar = &g_array_index (chart->bars, BmStatsBar, i);

      g_string_append (out, i == 0 ? "{\"label\": " : ", {\"label\": ");
      json_string (out, bar->label);
      if (!isnan (bar->min))
        {
          g_string_append (out, ", \"min\": ");
          json_number (out, bar->min);
          g_string_append (out, ", \"max\": ");
          json_number (out, bar->max);
        }
      g_string_append_printf (out, ", \"count\": %u}", bar->count);
    }
  g_string_append (out, "]}");
}

static void
csv_field (GString *out, const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_number (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isnan (value) && !isinf (value))
    g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
}

char *
bm_dataset_stats_chart_to_csv (const BmStatsChart *chart)
{
  GString *out = g_string_new ("label,min,max,count\n");

  g_return_val_if_fail (chart != NULL, NULL);

  for (guint i = 0; i < chart->bars->len; i++)
    {
      const BmStatsBar *bar = &g_array_index (chart->bars, BmStatsBar, i);

      csv_field (out, bar->label);
      g_string_append_c (out, ',');
      csv_number (out, bar->min);
      g_string_append_c (out, ',');
      csv_number (out, bar->max);
      g_string_append_printf (out, ",%u\n", bar->count);
    }
  return g_string_free (out, FALSE);
}

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

/* ---- every chart ---- */

static const BmStatsChartKind shape_charts[] = {
  BM_STATS_CHART_WIDTH, BM_STATS_CHART_HEIGHT, BM_STATS_CHART_ASPECT, BM_STATS_CHART_AREA,
};

GPtrArray *
bm_dataset_stats_charts (BmDatasetStats *stats,
                         gboolean        per_class)
{
  GPtrArray *charts = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_dataset_stats_chart_free);
  g_autoptr(GArray) order = NULL;

  g_return_val_if_fail (BM_IS_DATASET_STATS (stats), NULL);

  for (int kind = 0; kind < BM_STATS_N_CHARTS; kind++)
    g_ptr_array_add (charts, bm_dataset_stats_chart_new (stats, kind, -1));
  if (!per_class)
    return charts;
  order = bm_dataset_stats_sorted_classes (stats);
  for (guint i = 0; i < order->len; i++)
    for (guint k = 0; k < G_N_ELEMENTS (shape_charts); k++)
      g_ptr_array_add (charts, bm_dataset_stats_chart_new (stats, shape_charts[k], (int) g_array_index (order, guint, i)));
  return charts;
}

char *
bm_dataset_stats_chart_folder (const BmStatsChart *chart,
                               const char         *dir)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (chart != NULL && dir != NULL, NULL);

  if (chart->class_name == NULL)
    return g_strdup (dir);
  name = bm_crop_class_folder (chart->class_name);
  return g_build_filename (dir, "per-class", name, NULL);
}

gboolean
bm_dataset_stats_write_charts (GPtrArray   *charts,
                               const char  *dir,
                               double       width,
                               GError     **error)
{
  g_return_val_if_fail (charts != NULL && dir != NULL, FALSE);

  for (guint i = 0; i < charts->len; i++)
    {
      const BmStatsChart *chart = charts->pdata[i];
      g_autofree char *folder = bm_dataset_stats_chart_folder (chart, dir);

      if (g_mkdir_with_parents (folder, 0777) != 0)
        {
          int saved = errno;

          g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create the folder: %s"), folder, g_strerror (saved));
          return FALSE;
        }
      if (!bm_dataset_stats_chart_write (chart, folder, width, error))
        return FALSE;
    }
  return TRUE;
}
