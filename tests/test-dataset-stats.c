/* test-dataset-stats.c: dataset statistics, their charts as drawn, crop folder names and shards.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "dataset/bm-crop.h"
#include "dataset/bm-dataset-stats-chart.h"
#include "dataset/bm-shard.h"
#include "dataset/bm-synth.h"
#include "formats/bm-label-io.h"

static char *
testdata (const char *rel)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), rel, NULL);
}

static BmDatasetStats *
compute (const char *rel, guint n_threads)
{
  g_autofree char *dir = testdata (rel);
  g_autoptr(BmDataset) dataset = bm_dataset_open (dir, TRUE, NULL);

  g_assert_nonnull (dataset);
  return bm_dataset_stats_compute (dataset, n_threads, NULL, NULL);
}

/* The same numbers item by item in one thread, the way boxmark-cli stats adds them. */
static BmDatasetStats *
accumulate (const char *rel)
{
  g_autofree char *dir = testdata (rel);
  g_autoptr(BmDataset) dataset = bm_dataset_open (dir, TRUE, NULL);
  BmDatasetStats *stats = bm_dataset_stats_new ();

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = NULL;
      g_autoptr(GError) error = NULL;

      if (item->has_label)
        annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
      bm_dataset_stats_add_item (stats, item, annotation, error);
    }
  return stats;
}

static void
assert_same_stats (BmDatasetStats *a, BmDatasetStats *b)
{
  g_assert_cmpmem (bm_dataset_stats_get_counts (a), sizeof (BmStatsCounts), bm_dataset_stats_get_counts (b),
                   sizeof (BmStatsCounts));
  g_assert_cmpuint (bm_dataset_stats_get_n_classes (a), ==, bm_dataset_stats_get_n_classes (b));
  for (guint c = 0; c < bm_dataset_stats_get_n_classes (a); c++)
    {
      g_assert_cmpstr (bm_dataset_stats_get_class_name (a, c), ==, bm_dataset_stats_get_class_name (b, c));
      g_assert_cmpuint (bm_dataset_stats_get_class_objects (a, c), ==, bm_dataset_stats_get_class_objects (b, c));
      g_assert_cmpuint (bm_dataset_stats_get_class_images (a, c), ==, bm_dataset_stats_get_class_images (b, c));
    }
  g_assert_cmpuint (bm_dataset_stats_get_n_objects (a), ==, bm_dataset_stats_get_n_objects (b));
  g_assert_cmpmem (bm_dataset_stats_get_objects (a), bm_dataset_stats_get_n_objects (a) * sizeof (BmStatsObject),
                   bm_dataset_stats_get_objects (b), bm_dataset_stats_get_n_objects (b) * sizeof (BmStatsObject));
  g_assert_cmpuint (bm_dataset_stats_get_n_items (a), ==, bm_dataset_stats_get_n_items (b));
  for (guint i = 0; i < bm_dataset_stats_get_n_items (a); i++)
    {
      g_assert_cmpuint (bm_dataset_stats_get_item_flags (a, i), ==, bm_dataset_stats_get_item_flags (b, i));
      g_assert_cmpuint (bm_dataset_stats_get_item_objects (a, i), ==, bm_dataset_stats_get_item_objects (b, i));
    }
}

/* Every core, one thread and the item-by-item path count alike. */
static void
test_parallel_equals_sequential (void)
{
  const char *const sets[] = { "voc/raccoon_labelimg", "dota/dota_devkit_yolo_demo", "yolo/ultralytics_coco8",
                               "voc/cvat_zavtrak_ru" };

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      g_autoptr(BmDatasetStats) parallel = compute (sets[s], 4);
      g_autoptr(BmDatasetStats) single = compute (sets[s], 1);
      g_autoptr(BmDatasetStats) sequential = accumulate (sets[s]);

      assert_same_stats (parallel, single);
      assert_same_stats (parallel, sequential);
    }
}

static const BmStatsBar *
find_bar (const BmStatsChart *chart, const char *label)
{
  for (guint i = 0; i < chart->bars->len; i++)
    if (strcmp (g_array_index (chart->bars, BmStatsBar, i).label, label) == 0)
      return &g_array_index (chart->bars, BmStatsBar, i);
  return NULL;
}

/* The raccoon set's own CSV export, binned here by octaves, against the width chart. */
static void
test_raccoon_against_csv (void)
{
  g_autoptr(BmDatasetStats) stats = compute ("voc/raccoon_labelimg", 0);
  g_autofree char *csv_path = testdata ("voc/raccoon_labelimg/data/train_labels.csv");
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  guint octave_counts[16] = { 0 }, rows = 0;
  g_autoptr(BmStatsChart) width = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_WIDTH, -1);
  g_autoptr(BmStatsChart) classes = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_CLASSES, -1);
  guint sum = 0;

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      double w;

      if (g_strv_length (fields) < 8)
        continue;
      w = g_ascii_strtod (fields[6], NULL) - g_ascii_strtod (fields[4], NULL);
      /* octave k: [2^k, 2^(k+1)) */
      octave_counts[(int) floor (log2 (w))]++;
      rows++;
    }
  g_assert_cmpuint (rows, ==, 173);
  g_assert_cmpuint (bm_dataset_stats_get_counts (stats)->objects, ==, rows);
  g_assert_cmpuint (width->total, ==, rows);
  for (guint k = 2; k < 13; k++)
    {
      g_autofree char *label = g_strdup_printf ("%u–%u", 1u << k, 2u << k);
      const BmStatsBar *bar = find_bar (width, label);

      g_assert_cmpuint (bar != NULL ? bar->count : 0, ==, octave_counts[k]);
      sum += bar != NULL ? bar->count : 0;
    }
  g_assert_cmpuint (sum, ==, rows);
  g_assert_cmpuint (classes->bars->len, ==, 1);
  g_assert_cmpstr (g_array_index (classes->bars, BmStatsBar, 0).label, ==, "raccoon");
  g_assert_cmpuint (g_array_index (classes->bars, BmStatsBar, 0).count, ==, rows);
}

static void
add_box (BmAnnotation *annotation, const char *label, double w, double h)
{
  BmShape shape;
  g_autoptr(BmObject) object = NULL;

  bm_shape_init_box (&shape, 10, 10, 10 + w, 10 + h);
  object = bm_object_new (label, &shape);
  bm_annotation_add_object (annotation, object);
}

static guint
bar_count (const BmStatsChart *chart, const char *label)
{
  const BmStatsBar *bar = find_bar (chart, label);

  return bar != NULL ? bar->count : 0;
}

/* Items made by hand: every bin edge, the aspect bins, objects per image, one class. */
static void
test_bins (void)
{
  g_autoptr(BmDatasetStats) stats = bm_dataset_stats_new ();
  BmDatasetItem item = { (char *) "/x/a.jpg", (char *) "/x/a.xml", BM_FORMAT_VOC, TRUE, NULL };
  g_autoptr(BmAnnotation) first = bm_annotation_new ();
  g_autoptr(BmAnnotation) second = bm_annotation_new ();
  g_autoptr(BmAnnotation) empty = bm_annotation_new ();
  g_autoptr(BmStatsChart) width = NULL;
  g_autoptr(BmStatsChart) car_width = NULL;
  g_autoptr(BmStatsChart) aspect = NULL;
  g_autoptr(BmStatsChart) area = NULL;
  g_autoptr(BmStatsChart) per_image = NULL;
  g_autoptr(BmStatsChart) overview = NULL;
  g_autoptr(GArray) smallest = NULL;
  g_autoptr(GArray) items = NULL;
  int car;

  add_box (first, "car", 3, 3);         /* <4, 1:1, area <4² */
  add_box (first, "car", 4, 8);         /* 4–8, 1:2, area 4²–8² (32) */
  add_box (first, "car", 7.9, 7.9);     /* 4–8 */
  add_box (first, "bus", 8, 2);         /* 8–16, 4:1, area 4² (16) */
  add_box (first, "bus", 9000, 10);     /* ≥8192, ≥8:1 */
  for (int i = 0; i < 12; i++)
    add_box (second, "car", 100, 100);  /* 64–128, 1:1 */
  bm_dataset_stats_add_item (stats, &item, first, NULL);
  bm_dataset_stats_add_item (stats, &item, second, NULL);
  bm_dataset_stats_add_item (stats, &item, empty, NULL);
  item.has_label = FALSE;
  bm_dataset_stats_add_item (stats, &item, NULL, NULL);

  car = bm_dataset_stats_find_class (stats, "car");
  g_assert_cmpint (car, >=, 0);
  width = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_WIDTH, -1);
  g_assert_cmpuint (bar_count (width, "<4"), ==, 1);
  g_assert_cmpuint (bar_count (width, "4–8"), ==, 2);
  g_assert_cmpuint (bar_count (width, "8–16"), ==, 1);
  g_assert_cmpuint (bar_count (width, "64–128"), ==, 12);
  g_assert_cmpuint (bar_count (width, "≥8192"), ==, 1);
  /* bins between are kept (empty), none beyond the last non-empty one */
  g_assert_cmpstr (g_array_index (width->bars, BmStatsBar, 0).label, ==, "<4");
  g_assert_cmpstr (g_array_index (width->bars, BmStatsBar, width->bars->len - 1).label, ==, "≥8192");
  g_assert_cmpuint (width->bars->len, ==, 13);
  car_width = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_WIDTH, car);
  g_assert_cmpuint (car_width->total, ==, 15);
  g_assert_cmpuint (bar_count (car_width, "8–16"), ==, 0);
  g_assert_cmpstr (car_width->class_name, ==, "car");

  aspect = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_ASPECT, -1);
  g_assert_cmpuint (bar_count (aspect, "1:1"), ==, 14);
  g_assert_cmpuint (bar_count (aspect, "1:2"), ==, 1);
  g_assert_cmpuint (bar_count (aspect, "4:1"), ==, 1);
  g_assert_cmpuint (bar_count (aspect, "≥8:1"), ==, 1);

  area = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_AREA, -1);
  g_assert_cmpuint (bar_count (area, "<4²"), ==, 1);
  g_assert_cmpuint (bar_count (area, "4²–8²"), ==, 3);
  g_assert_cmpuint (bar_count (area, "64²–128²"), ==, 12);

  per_image = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_OBJECTS_PER_IMAGE, -1);
  g_assert_cmpuint (per_image->total, ==, 3);
  g_assert_cmpuint (bar_count (per_image, "0"), ==, 1);
  g_assert_cmpuint (bar_count (per_image, "5"), ==, 1);
  g_assert_cmpuint (bar_count (per_image, "10–19"), ==, 1);

  overview = bm_dataset_stats_chart_new (stats, BM_STATS_CHART_OVERVIEW, -1);
  g_assert_cmpuint (bar_count (overview, "Images"), ==, 4);
  g_assert_cmpuint (bar_count (overview, "Labelled"), ==, 3);
  g_assert_cmpuint (bar_count (overview, "Without labels"), ==, 1);
  g_assert_cmpuint (bar_count (overview, "Label files without objects"), ==, 1);

  /* the images behind a bar */
  items = bm_dataset_stats_chart_bar_items (stats, width, (guint) (find_bar (width, "64–128") - (BmStatsBar *) (gpointer) width->bars->data));
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpuint (g_array_index (items, guint, 0), ==, 1);
  /* the smallest 5 % of 15 cars is one car, the 3 × 3 one, in item 0 */
  smallest = bm_dataset_stats_items_with_smallest (stats, car, 0.05);
  g_assert_cmpuint (smallest->len, ==, 1);
  g_assert_cmpuint (g_array_index (smallest, guint, 0), ==, 0);
  g_array_unref (smallest);
  smallest = bm_dataset_stats_items_with_smallest (stats, car, 0.5);
  g_assert_cmpuint (smallest->len, ==, 2);
}

static gboolean
pixel_is (cairo_surface_t *surface, double x, double y, const double rgb[3])
{
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 pixel = *(const guint32 *) (gconstpointer) (data + (int) y * stride + (int) x * 4);
  int r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff, b = pixel & 0xff;

  return abs (r - (int) lround (rgb[0] * 255)) <= 1 && abs (g - (int) lround (rgb[1] * 255)) <= 1
         && abs (b - (int) lround (rgb[2] * 255)) <= 1;
}

/* What is drawn: each bar in the bar colour over its rectangle, nothing of it beyond, and the
 * rectangles as long as the counts say. */
static void
assert_drawn_as_counted (const BmStatsChart *chart)
{
  const BmStatsChartStyle *style = bm_dataset_stats_chart_style_light ();
  double width = BM_STATS_CHART_DEFAULT_WIDTH, height = bm_dataset_stats_chart_get_height (chart, width);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) ceil (height));
  cairo_t *cr = cairo_create (surface);
  double per_count = 0;
  guint biggest = 0;

  /* the longest bar gives the pixels per count */
  for (guint i = 0; i < chart->bars->len; i++)
    if (g_array_index (chart->bars, BmStatsBar, i).count > g_array_index (chart->bars, BmStatsBar, biggest).count)
      biggest = i;
  if (chart->bars->len > 0 && g_array_index (chart->bars, BmStatsBar, biggest).count > 0)
    {
      cairo_rectangle_t rect;

      g_assert_true (bm_dataset_stats_chart_get_bar_rect (chart, width, height, biggest, &rect));
      per_count = (chart->horizontal ? rect.width : rect.height) / g_array_index (chart->bars, BmStatsBar, biggest).count;
      /* the axis ends at a round number at most 2.5 times the biggest count */
      g_assert_cmpfloat ((chart->horizontal ? rect.width : rect.height), >, 0.3 * (chart->horizontal ? width - 400 : 260));
    }
  bm_dataset_stats_chart_draw (chart, cr, width, height, -1, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (guint i = 0; i < chart->bars->len; i++)
    {
      const BmStatsBar *bar = &g_array_index (chart->bars, BmStatsBar, i);
      cairo_rectangle_t rect;
      double length;

      g_assert_true (bm_dataset_stats_chart_get_bar_rect (chart, width, height, i, &rect));
      length = chart->horizontal ? rect.width : rect.height;
      if (bar->count == 0)
        {
          g_assert_cmpfloat (length, ==, 0);
          continue;
        }
      /* the bar's middle and its far end are the bar colour; just past the end is not */
      g_assert_true (pixel_is (surface, rect.x + rect.width / 2, rect.y + rect.height / 2, style->bar));
      if (chart->horizontal)
        {
          g_assert_true (pixel_is (surface, rect.x + rect.width - 0.5, rect.y + rect.height / 2, style->bar));
          g_assert_false (pixel_is (surface, rect.x + rect.width + 1.5, rect.y + rect.height / 2, style->bar));
        }
      else
        {
          g_assert_true (pixel_is (surface, rect.x + rect.width / 2, rect.y + 0.5, style->bar));
          g_assert_false (pixel_is (surface, rect.x + rect.width / 2, rect.y - 1.5, style->bar));
        }
      /* proportional, to the pixel (a bar of a tiny count is one pixel long) */
      g_assert_cmpfloat_with_epsilon (length, MAX (per_count * bar->count, 1), 1.0);
      g_assert_cmpint (bm_dataset_stats_chart_bar_at (chart, width, height, rect.x + rect.width / 2,
                                                      rect.y + rect.height / 2), ==, (int) i);
    }
  cairo_surface_destroy (surface);
}

static void
test_charts_drawn (void)
{
  const char *const sets[] = { "voc/raccoon_labelimg", "dota/dota_devkit_yolo_demo", "yolo/ultralytics_coco8" };

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      g_autoptr(BmDatasetStats) stats = compute (sets[s], 0);
      g_autoptr(GPtrArray) charts = bm_dataset_stats_charts (stats, TRUE);

      g_assert_cmpuint (charts->len, ==, BM_STATS_N_CHARTS + 4 * bm_dataset_stats_get_n_classes (stats));
      for (guint i = 0; i < charts->len; i++)
        assert_drawn_as_counted (charts->pdata[i]);
    }
}

static void
test_class_folders (void)
{
  const struct { const char *name; const char *folder; } cases[] = {
    { "car", "car" },
    { "small vehicle", "small vehicle" },
    { "小汽车", "小汽车" },
    { "a/b", "a%2Fb" },
    { "a%2Fb", "a%252Fb" },
    { "..", "%2E%2E" },
    { ".hidden", "%2Ehidden" },
    { "dot.", "dot%2E" },
    { " pad ", "%20pad%20" },
    { "C:\\x*?\"<>|", "C%3A%5Cx%2A%3F%22%3C%3E%7C" },
    { "tab\there", "tab%09here" },
    { "", "%00" },
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *long_folder = bm_crop_class_folder (long_name);
  g_autofree char *long_name2 = g_strconcat (long_name, "y", NULL);
  g_autofree char *long_folder2 = bm_crop_class_folder (long_name2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folder = bm_crop_class_folder (cases[i].name);
      g_autofree char *back = bm_crop_class_from_folder (folder);

      g_assert_cmpstr (folder, ==, cases[i].folder);
      g_assert_cmpstr (back, ==, cases[i].name);
      g_assert_null (strchr (folder, '/'));
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&folder)));
    }
  g_assert_cmpuint (strlen (long_folder), <=, 200);
  g_assert_true (g_str_has_prefix (long_folder, "xxxx"));
  g_assert_cmpstr (long_folder, !=, long_folder2);
}

static void
test_shards (void)
{
  BmShard shard;
  g_autoptr(GError) error = NULL;
  guint counts[4] = { 0 };

  g_assert_true (bm_shard_parse ("3/8", &shard, NULL));
  g_assert_cmpuint (shard.index, ==, 2);
  g_assert_cmpuint (shard.count, ==, 8);
  g_assert_false (bm_shard_parse ("0/8", &shard, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_false (bm_shard_parse ("9/8", &shard, NULL));
  g_assert_false (bm_shard_parse ("1/", &shard, NULL));
  g_assert_false (bm_shard_parse ("-1/2", &shard, NULL));
  g_assert_false (bm_shard_parse ("1/2/3", &shard, NULL));
  /* SHA-256("images/raccoon-1.jpg"), first 8 bytes big-endian, mod N, plus 1 — the README's
   * Python one-liner gives these */
  g_assert_cmpuint (bm_shard_of_path ("images/raccoon-1.jpg", 1), ==, 1);
  {
    GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize length = sizeof digest;
    guint64 h = 0;

    g_checksum_update (checksum, (const guchar *) "images/raccoon-1.jpg", -1);
    g_checksum_get_digest (checksum, digest, &length);
    g_checksum_free (checksum);
    for (int i = 0; i < 8; i++)
      h = h << 8 | digest[i];
    g_assert_cmpuint (bm_shard_of_path ("images/raccoon-1.jpg", 7), ==, h % 7 + 1);
  }
  /* every path in exactly one shard, and the shards about even */
  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *path = g_strdup_printf ("images/img%u.jpg", i);
      guint in = 0;

      for (guint k = 0; k < 4; k++)
        {
          BmShard s = { k, 4 };

          if (bm_shard_contains_path (&s, path))
            {
              in++;
              counts[k]++;
            }
        }
      g_assert_cmpuint (in, ==, 1);
    }
  for (guint k = 0; k < 4; k++)
    g_assert_cmpuint (counts[k], >, 900);
  {
    g_autofree char *relative = bm_shard_relative_path ("/data/set", "/data/set/images/a.jpg");
    g_autofree char *outside = bm_shard_relative_path ("/data/set", "/data/settle/a.jpg");

    g_assert_cmpstr (relative, ==, "images/a.jpg");
    g_assert_cmpstr (outside, ==, "/data/settle/a.jpg");
  }
}

/* Black corners (JPEG noise included) and transparent pixels are not pasted; black inside is. */
static void
test_synth_mask (void)
{
  g_autoptr(BmImage) rgb = bm_image_new (20, 10, 3);
  g_autoptr(BmImage) rgba = bm_image_new (4, 4, 4);
  g_autofree guint8 *mask = NULL;
  g_autofree guint8 *alpha = NULL;

  /* grey everywhere but a black triangle in the top-left corner (with a little noise), a black
   * corner bottom-right, and a black hole in the middle that touches no corner */
  for (int y = 0; y < 10; y++)
    for (int x = 0; x < 20; x++)
      {
        guint8 *p = rgb->data + y * rgb->stride + x * 3;
        gboolean corner = x + y < 4 || (x >= 18 && y >= 8);
        gboolean hole = x >= 9 && x <= 11 && y >= 4 && y <= 6;

        p[0] = p[1] = p[2] = corner || hole ? (guint8) ((x + y) % 3 * 3) : 120;
      }
  mask = bm_synth_crop_mask (rgb);
  for (int y = 0; y < 10; y++)
    for (int x = 0; x < 20; x++)
      {
        gboolean corner = x + y < 4 || (x >= 18 && y >= 8);

        g_assert_cmpuint (mask[y * 20 + x], ==, corner ? 0 : 255);
      }
  for (int i = 0; i < 16; i++)
    {
      guint8 *p = rgba->data + i * 4;

      p[0] = p[1] = p[2] = 200;
      p[3] = i == 5 ? 0 : 255;
    }
  alpha = bm_synth_crop_mask (rgba);
  for (int i = 0; i < 16; i++)
    g_assert_cmpuint (alpha[i], ==, i == 5 ? 0 : 255);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/parallel-equals-sequential", test_parallel_equals_sequential);
  g_test_add_func ("/stats/raccoon-against-csv", test_raccoon_against_csv);
  g_test_add_func ("/stats/bins", test_bins);
  g_test_add_func ("/stats/charts-drawn", test_charts_drawn);
  g_test_add_func ("/crop/class-folders", test_class_folders);
  g_test_add_func ("/shard/partition", test_shards);
  g_test_add_func ("/synth/mask", test_synth_mask);
  return g_test_run ();
}
