/* bm-dataset-stats-chart.c: what each chart counts (bins, bars, the items behind a bar) and its
 * JSON and CSV forms; layout, drawing and files in bm-dataset-stats-chart-draw.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

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
