/* test-cli-tools.c: boxmark-cli stats --plot, crop and synth, and their shards, run as a user
 * runs them, on the test data (read in place) and temporary folders.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bm-dataset.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "dataset/bm-crop.h"
#include "dataset/bm-synth.h"
#include "formats/bm-label-io.h"
#include "bm-test-util.h"

typedef struct
{
  char *out;
  char *err;
  int status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
testdata (const char *rel)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), rel, NULL);
}

static void
run_argv (Run *run, GPtrArray *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, args->pdata[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

/* Runs boxmark-cli with the arguments (NULL-terminated). */
static void
run_cli (Run *run, const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  run_argv (run, args);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("boxmark-tools-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* ---- stats --plot ---- */

static JsonObject *
find_chart (JsonArray *charts, const char *id, const char *class_name)
{
  for (guint i = 0; i < json_array_get_length (charts); i++)
    {
      JsonObject *chart = json_array_get_object_element (charts, i);
      JsonNode *klass = json_object_get_member (chart, "class");
      gboolean all = JSON_NODE_HOLDS_NULL (klass);

      if (strcmp (json_object_get_string_member (chart, "id"), id) != 0)
        continue;
      if ((class_name == NULL && all) || (class_name != NULL && !all && strcmp (json_node_get_string (klass), class_name) == 0))
        return chart;
    }
  g_assert_not_reached ();
  return NULL;
}

static guint
sum_bars (JsonObject *chart)
{
  JsonArray *bars = json_object_get_array_member (chart, "bars");
  guint sum = 0;

  for (guint i = 0; i < json_array_get_length (bars); i++)
    sum += (guint) json_object_get_int_member (json_array_get_object_element (bars, i), "count");
  return sum;
}

static guint
bar_count (JsonObject *chart, guint index)
{
  JsonArray *bars = json_object_get_array_member (chart, "bars");

  return (guint) json_object_get_int_member (json_array_get_object_element (bars, index), "count");
}

/* The chart's files: a PNG of the chart's width, an SVG, and the CSV of the very bars. */
static void
assert_chart_files (const char *plot_dir, JsonObject *chart)
{
  JsonNode *klass = json_object_get_member (chart, "class");
  const char *id = json_object_get_string_member (chart, "id");
  g_autofree char *folder_name = JSON_NODE_HOLDS_NULL (klass) ? NULL : bm_crop_class_folder (json_node_get_string (klass));
  g_autofree char *folder = folder_name == NULL ? g_strdup (plot_dir) : g_build_filename (plot_dir, "per-class", folder_name, NULL);
  g_autofree char *png = g_strdup_printf ("%s/%s.png", folder, id);
  g_autofree char *svg = g_strdup_printf ("%s/%s.svg", folder, id);
  g_autofree char *csv = g_strdup_printf ("%s/%s.csv", folder, id);
  g_autoptr(BmImage) image = NULL;
  g_autofree char *svg_text = NULL;
  g_autofree char *csv_text = NULL;
  g_auto(GStrv) rows = NULL;
  JsonArray *bars = json_object_get_array_member (chart, "bars");
  g_autoptr(GError) error = NULL;

  image = bm_image_load (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 800);
  g_assert_cmpint (image->height, >, 100);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_nonnull (strstr (svg_text, "<svg"));
  g_assert_nonnull (strstr (svg_text, "width=\"800"));
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  rows = g_strsplit (csv_text, "\n", -1);
  g_assert_cmpstr (rows[0], ==, "label,min,max,count");
  g_assert_cmpuint (g_strv_length (rows), ==, json_array_get_length (bars) + 2);
  for (guint i = 0; i < json_array_get_length (bars); i++)
    {
      JsonObject *bar = json_array_get_object_element (bars, i);
      g_autofree char *count = g_strdup_printf (",%" G_GINT64_FORMAT, json_object_get_int_member (bar, "count"));

      g_assert_true (g_str_has_suffix (rows[i + 1], count));
      /* class names with commas are quoted; the others start the row as they are */
      if (strpbrk (json_object_get_string_member (bar, "label"), ",\"") == NULL)
        g_assert_true (g_str_has_prefix (rows[i + 1], json_object_get_string_member (bar, "label")));
    }
}

static void
check_plot (const char *rel)
{
  g_autofree char *dir = testdata (rel);
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *plot = g_build_filename (tmp, "plots", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *root, *classes;
  JsonArray *charts;
  const char *const shapes[] = { "box-width", "box-height", "aspect-ratio", "box-area" };
  GList *names;

  run_cli (&run, "stats", "--json", "--per-class", "--plot", plot, dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  classes = json_object_get_object_member (root, "classes");
  charts = json_object_get_array_member (root, "charts");

  /* overview: images, labelled, verified, without labels, empty, with problems, orphans */
  {
    JsonObject *overview = find_chart (charts, "overview", NULL);
    guint images = (guint) json_object_get_int_member (root, "images");
    guint labeled = (guint) json_object_get_int_member (root, "labeled");

    g_assert_cmpuint (bar_count (overview, 0), ==, images);
    g_assert_cmpuint (bar_count (overview, 1), ==, labeled);
    g_assert_cmpuint (bar_count (overview, 2), ==, json_object_get_int_member (root, "verified"));
    g_assert_cmpuint (bar_count (overview, 3), ==, images - labeled);
    g_assert_cmpuint (bar_count (overview, 4), ==, json_object_get_int_member (root, "empty"));
    g_assert_cmpuint (bar_count (overview, 5), ==, json_object_get_int_member (root, "files_with_problems"));
    g_assert_cmpuint (bar_count (overview, 6), ==, json_object_get_int_member (root, "orphan_labels"));
    /* objects per image: every labelled image once (these sets read cleanly) */
    g_assert_cmpuint (sum_bars (find_chart (charts, "objects-per-image", NULL)), ==, labeled);
  }
  /* objects per class: the same classes and counts as the table */
  {
    JsonObject *chart = find_chart (charts, "classes", NULL);
    JsonArray *bars = json_object_get_array_member (chart, "bars");

    g_assert_cmpuint (json_array_get_length (bars), ==, json_object_get_size (classes));
    for (guint i = 0; i < json_array_get_length (bars); i++)
      {
        JsonObject *bar = json_array_get_object_element (bars, i);
        JsonObject *klass = json_object_get_object_member (classes, json_object_get_string_member (bar, "label"));

        g_assert_nonnull (klass);
        g_assert_cmpint (json_object_get_int_member (bar, "count"), ==, json_object_get_int_member (klass, "objects"));
      }
  }
  /* every histogram holds every object, of all classes or of its class */
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    g_assert_cmpuint (sum_bars (find_chart (charts, shapes[s], NULL)), ==, json_object_get_int_member (root, "objects"));
  names = json_object_get_members (classes);
  for (GList *l = names; l != NULL; l = l->next)
    for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
      g_assert_cmpuint (sum_bars (find_chart (charts, shapes[s], l->data)), ==,
                        json_object_get_int_member (json_object_get_object_member (classes, l->data), "objects"));
  g_list_free (names);
  for (guint i = 0; i < json_array_get_length (charts); i++)
    assert_chart_files (plot, json_array_get_object_element (charts, i));
  bm_test_remove_tree (tmp);
}

static void
test_stats_plot (void)
{
  check_plot ("voc/raccoon_labelimg");
  check_plot ("dota/dota_devkit_yolo_demo");
  check_plot ("yolo/ultralytics_coco8");
  check_plot ("voc/cvat_zavtrak_ru");
}

/* ---- crop ---- */

typedef struct
{
  char *crop;
  char *image;
  char *klass;
  guint object;
  int width, height;
} ManifestRow;

static void
manifest_row_clear (gpointer data)
{
  ManifestRow *row = data;

  g_free (row->crop);
  g_free (row->image);
  g_free (row->klass);
}

/* The manifest's rows; its class names here hold no commas or quotes. */
static GArray *
read_manifest (const char *out)
{
  g_autofree char *path = g_build_filename (out, "manifest.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (ManifestRow));

  g_array_set_clear_func (rows, manifest_row_clear);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "crop,image,class,object,shape,x1,y1,x2,y2,x3,y3,x4,y4,width,height,crop_x1"));
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      ManifestRow row = { 0 };

      g_assert_cmpuint (g_strv_length (f), ==, 23);
      row.crop = g_strdup (f[0]);
      row.image = g_strdup (f[1]);
      row.klass = g_strdup (f[2]);
      row.object = (guint) g_ascii_strtoull (f[3], NULL, 10);
      row.width = atoi (f[13]);
      row.height = atoi (f[14]);
      g_array_append_val (rows, row);
    }
  return rows;
}

/* The crops of raccoon with 10 pixels of padding: each the box plus padding, clipped to the image,
 * pixel for pixel the source image's (PNG, so nothing is lost). */
static void
test_crop_sizes (void)
{
  g_autofree char *src = testdata ("voc/raccoon_labelimg");
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *out = g_build_filename (tmp, "crops", NULL);
  g_autoptr(BmDataset) dataset = bm_dataset_open (src, TRUE, NULL);
  g_autoptr(GArray) rows = NULL;
  g_auto(Run) run = { 0 };
  guint n_objects = 0, row = 0;

  run_cli (&run, "crop", "--pad", "10", "--format", "png", "--out", out, src, NULL);
  g_assert_cmpint (run.status, ==, 0);
  rows = read_manifest (out);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = bm_label_load (item, NULL);
      g_autoptr(BmImage) image = bm_image_load (item->image_path, NULL);

      g_assert_nonnull (image);
      for (guint k = 0; k < bm_annotation_get_n_objects (annotation); k++, row++)
        {
          BmRect box = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, k)));
          int x1 = MAX ((int) floor (box.x1 - 10), 0), y1 = MAX ((int) floor (box.y1 - 10), 0);
          int x2 = MIN ((int) ceil (box.x2 + 10), image->width), y2 = MIN ((int) ceil (box.y2 + 10), image->height);
          const ManifestRow *r = &g_array_index (rows, ManifestRow, row);
          g_autofree char *stem = bm_path_get_stem (item->image_path);
          g_autofree char *expected = g_strdup_printf ("raccoon/%s_%u.png", stem, k);
          g_autofree char *path = g_build_filename (out, r->crop, NULL);
          g_autoptr(BmImage) crop = bm_image_load (path, NULL);

          g_assert_cmpstr (r->crop, ==, expected);
          g_assert_cmpuint (r->object, ==, k);
          g_assert_nonnull (crop);
          g_assert_cmpint (crop->width, ==, x2 - x1);
          g_assert_cmpint (crop->height, ==, y2 - y1);
          g_assert_cmpint (r->width, ==, x2 - x1);
          g_assert_cmpint (crop->channels, ==, image->channels);
          for (int y = 0; y < crop->height; y++)
            g_assert_cmpmem (crop->data + y * crop->stride, crop->width * crop->channels,
                             image->data + (y1 + y) * image->stride + x1 * image->channels, crop->width * image->channels);
          n_objects++;
        }
    }
  g_assert_cmpuint (n_objects, ==, 173);
  g_assert_cmpuint (rows->len, ==, n_objects);
  g_assert_nonnull (strstr (run.out, "Wrote 173 crops of 160 images"));

  /* a second run refuses to replace them, and says so */
  {
    g_auto(Run) again = { 0 };

    run_cli (&again, "crop", "--pad", "10", "--format", "png", "--out", out, src, NULL);
    g_assert_cmpint (again.status, ==, 3);
    g_assert_nonnull (strstr (again.err, "already exist"));
  }
  bm_test_remove_tree (tmp);
}

/* Padding as a share of the box, the size floor and the class list. */
static void
test_crop_options (void)
{
  g_autofree char *src = testdata ("dota/dota_devkit_yolo_demo");
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *out = g_build_filename (tmp, "crops", NULL);
  g_autoptr(BmDataset) dataset = bm_dataset_open (src, TRUE, NULL);
  g_autoptr(GArray) rows = NULL;
  g_auto(Run) run = { 0 };
  guint expected = 0, row = 0;

  run_cli (&run, "crop", "--pad-ratio", "0.25", "--min-size", "20", "--classes", "large-vehicle", "--out", out, src, NULL);
  g_assert_cmpint (run.status, ==, 0);
  rows = read_manifest (out);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = bm_label_load (item, NULL);
      int iw, ih;

      g_assert_true (bm_image_read_info (item->image_path, &iw, &ih, NULL, NULL));
      for (guint k = 0; k < bm_annotation_get_n_objects (annotation); k++)
        {
          BmObject *object = bm_annotation_get_object (annotation, k);
          BmRect box = bm_shape_bounds (bm_object_get_shape (object));
          double w = box.x2 - box.x1, h = box.y2 - box.y1;
          const ManifestRow *r;

          if (strcmp (bm_object_get_label (object), "large-vehicle") != 0 || w < 20 || h < 20)
            continue;
          expected++;
          r = &g_array_index (rows, ManifestRow, row++);
          g_assert_cmpstr (r->klass, ==, "large-vehicle");
          g_assert_cmpuint (r->object, ==, k);
          g_assert_cmpint (r->width, ==, MIN ((int) ceil (box.x2 + w / 4), iw) - MAX ((int) floor (box.x1 - w / 4), 0));
          g_assert_cmpint (r->height, ==, MIN ((int) ceil (box.y2 + h / 4), ih) - MAX ((int) floor (box.y1 - h / 4), 0));
        }
    }
  g_assert_cmpuint (expected, >, 100);
  g_assert_cmpuint (rows->len, ==, expected);
  g_assert_nonnull (strstr (run.out, "smaller than --min-size"));
  g_assert_nonnull (strstr (run.out, "of other classes were left out"));
  bm_test_remove_tree (tmp);
}

/* --upright: a rotated box is cut along its own sides, w × h (a part ceil'd), its centre pixel
 * the image's at the box centre; quads along their first edge. */
static void
test_crop_upright (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *set = g_build_filename (tmp, "set", NULL);
  g_autofree char *out = g_build_filename (tmp, "crops", NULL);
  g_autofree char *xml_src = testdata ("voc/dialects/rolabelimg.xml");
  g_autofree char *jpg_src = testdata ("voc/dialects/astronaut.jpg");
  g_autofree char *xml = g_build_filename (set, "astronaut.xml", NULL);
  g_autofree char *jpg = g_build_filename (set, "astronaut.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *flag_path = g_build_filename (out, "flag", "astronaut_1.png", NULL);
  g_autofree char *face_path = g_build_filename (out, "face", "astronaut_0.png", NULL);
  g_autoptr(BmImage) flag = NULL;
  g_autoptr(BmImage) face = NULL;
  g_autoptr(BmImage) image = NULL;
  gsize length;
  g_auto(Run) run = { 0 };

  g_assert_cmpint (g_mkdir (set, 0755), ==, 0);
  g_assert_true (g_file_get_contents (xml_src, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (xml, contents, (gssize) length, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (jpg_src, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (jpg, contents, (gssize) length, NULL));

  run_cli (&run, "crop", "--upright", "--format", "png", "--out", out, set, NULL);
  g_assert_cmpint (run.status, ==, 0);
  flag = bm_image_load (flag_path, NULL);
  face = bm_image_load (face_path, NULL);
  image = bm_image_load (jpg, NULL);
  g_assert_nonnull (flag);
  /* <robndbox> w 100, h 60.5 */
  g_assert_cmpint (flag->width, ==, 100);
  g_assert_cmpint (flag->height, ==, 61);
  /* the box is wholly inside the image: no transparent pixels were needed */
  g_assert_cmpint (flag->channels, ==, image->channels);
  {
    /* (452.5, 136.25) in the image is (50, 30.25) in the crop */
    const guint8 *in_crop = flag->data + 30 * flag->stride + 50 * flag->channels;
    const guint8 *in_image = image->data + 136 * image->stride + 452 * image->channels;

    for (int c = 0; c < image->channels; c++)
      g_assert_cmpint (abs (in_crop[c] - in_image[c]), <=, 24);
  }
  /* an axis-aligned box is cut as it is, whatever --upright says */
  g_assert_nonnull (face);
  g_assert_cmpint (face->width, ==, 112);
  g_assert_cmpint (face->height, ==, 112);
  bm_test_remove_tree (tmp);
}

/* Quads of DOTA, upright: the crop is the extent of the corners along the first edge and across. */
static void
test_crop_upright_quads (void)
{
  g_autofree char *src = testdata ("dota/dota_devkit_yolo_demo");
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *out = g_build_filename (tmp, "crops", NULL);
  g_autoptr(BmDataset) dataset = bm_dataset_open (src, TRUE, NULL);
  g_autoptr(GArray) rows = NULL;
  g_auto(Run) run = { 0 };
  guint row = 0;

  run_cli (&run, "crop", "--upright", "--pad", "3", "--out", out, src, NULL);
  g_assert_cmpint (run.status, ==, 0);
  rows = read_manifest (out);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = bm_label_load (item, NULL);

      for (guint k = 0; k < bm_annotation_get_n_objects (annotation); k++)
        {
          const BmPoint *p = bm_object_get_shape (bm_annotation_get_object (annotation, k))->p;
          double len = hypot (p[1].x - p[0].x, p[1].y - p[0].y), ux = (p[1].x - p[0].x) / len, uy = (p[1].y - p[0].y) / len;
          double umin = 0, umax = 0, vmin = 0, vmax = 0;
          const ManifestRow *r = &g_array_index (rows, ManifestRow, row++);
          g_autofree char *path = g_build_filename (out, r->crop, NULL);
          g_autoptr(BmImage) crop = bm_image_load (path, NULL);

          for (int c = 0; c < 4; c++)
            {
              double a = (p[c].x - p[0].x) * ux + (p[c].y - p[0].y) * uy, b = -(p[c].x - p[0].x) * uy + (p[c].y - p[0].y) * ux;

              umin = MIN (umin, a);
              umax = MAX (umax, a);
              vmin = MIN (vmin, b);
              vmax = MAX (vmax, b);
            }
          g_assert_nonnull (crop);
          /* level quads, and those whose first edge has no length, are cut as boxes */
          if (len < 1e-9 || (fabs (uy) < 1e-12 && ux > 0))
            continue;
          g_assert_cmpint (crop->width, ==, (int) ceil (umax - umin + 6 - 1e-9));
          g_assert_cmpint (crop->height, ==, (int) ceil (vmax - vmin + 6 - 1e-9));
        }
    }
  g_assert_cmpuint (row, ==, rows->len);
  g_assert_cmpuint (row, ==, 587);
  bm_test_remove_tree (tmp);
}

/* ---- synth ---- */

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
}

/* Crops of raccoon (no padding) and three of its images as backgrounds, in @tmp. */
static void
make_synth_inputs (const char *tmp, char **objects, char **backgrounds)
{
  g_autofree char *src = testdata ("voc/raccoon_labelimg");
  g_auto(Run) run = { 0 };

  *objects = g_build_filename (tmp, "objects", NULL);
  *backgrounds = g_build_filename (tmp, "backgrounds", NULL);
  run_cli (&run, "crop", "--out", *objects, src, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_mkdir (*backgrounds, 0755), ==, 0);
  for (int i = 10; i < 13; i++)
    {
      g_autofree char *name = g_strdup_printf ("raccoon-%d.jpg", i);
      g_autofree char *from = g_build_filename (src, "images", name, NULL);
      g_autofree char *to = g_build_filename (*backgrounds, name, NULL);

      copy_file (from, to);
    }
}

static void
project (const BmPoint *q, double ax, double ay, double *lo, double *hi)
{
  *lo = G_MAXDOUBLE;
  *hi = -G_MAXDOUBLE;
  for (int i = 0; i < 4; i++)
    {
      *lo = MIN (*lo, q[i].x * ax + q[i].y * ay);
      *hi = MAX (*hi, q[i].x * ax + q[i].y * ay);
    }
}

/* Whether two convex quadrilaterals share area (separating axis test). */
static gboolean
quads_overlap (const BmPoint *a, const BmPoint *b)
{
  for (int q = 0; q < 2; q++)
    for (int i = 0; i < 4; i++)
      {
        const BmPoint *s = q == 0 ? a : b;
        double ax = -(s[(i + 1) % 4].y - s[i].y), ay = s[(i + 1) % 4].x - s[i].x, alo, ahi, blo, bhi;

        project (a, ax, ay, &alo, &ahi);
        project (b, ax, ay, &blo, &bhi);
        if (ahi <= blo + 1e-9 || bhi <= alo + 1e-9)
          return FALSE;
      }
  return TRUE;
}

static guint
count_lines_starting (const char *text, const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

/* The output read back as a dataset: it validates, every object lies on its image, no two
 * overlap, and the sidecar names each of them. */
static guint
check_synth_output (const char *out, guint n_images)
{
  g_autoptr(BmDataset) dataset = bm_dataset_open (out, TRUE, NULL);
  g_auto(Run) validate = { 0 };
  guint n_objects = 0;

  run_cli (&validate, "validate", out, NULL);
  g_assert_cmpint (validate.status, ==, 0);
  g_assert_nonnull (dataset);
  g_assert_cmpuint (bm_dataset_get_n_items (dataset), ==, n_images);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) annotation = bm_label_load (item, &error);
      g_autofree char *stem = bm_path_get_stem (item->image_path);
      g_autofree char *sidecar_name = g_strdup_printf ("%s.synth.txt", stem);
      g_autofree char *sidecar_path = g_build_filename (out, "synth", sidecar_name, NULL);
      g_autofree char *sidecar = NULL;
      int w, h;
      guint n;

      g_assert_no_error (error);
      g_assert_cmpuint (bm_annotation_get_problems (annotation)->len, ==, 0);
      g_assert_true (bm_image_read_info (item->image_path, &w, &h, NULL, NULL));
      n = bm_annotation_get_n_objects (annotation);
      for (guint a = 0; a < n; a++)
        {
          const BmShape *sa = bm_object_get_shape (bm_annotation_get_object (annotation, a));

          for (int k = 0; k < 4; k++)
            {
              /* YOLO rows are 6 decimals of the size */
              g_assert_cmpfloat (sa->p[k].x, >=, -1e-3);
              g_assert_cmpfloat (sa->p[k].y, >=, -1e-3);
              g_assert_cmpfloat (sa->p[k].x, <=, w + 1e-3);
              g_assert_cmpfloat (sa->p[k].y, <=, h + 1e-3);
            }
          for (guint b = a + 1; b < n; b++)
            {
              const BmShape *sb = bm_object_get_shape (bm_annotation_get_object (annotation, b));

              if (quads_overlap (sa->p, sb->p))
                g_test_message ("%s: objects %u (%g,%g %g,%g %g,%g %g,%g) and %u (%g,%g %g,%g %g,%g %g,%g) overlap",
                                item->label_path, a, sa->p[0].x, sa->p[0].y, sa->p[1].x, sa->p[1].y, sa->p[2].x,
                                sa->p[2].y, sa->p[3].x, sa->p[3].y, b, sb->p[0].x, sb->p[0].y, sb->p[1].x, sb->p[1].y,
                                sb->p[2].x, sb->p[2].y, sb->p[3].x, sb->p[3].y);
              g_assert_false (quads_overlap (sa->p, sb->p));
            }
        }
      g_assert_true (g_file_get_contents (sidecar_path, &sidecar, NULL, NULL));
      g_assert_cmpuint (count_lines_starting (sidecar, "object "), ==, n);
      g_assert_nonnull (strstr (sidecar, "background file=\"raccoon-1"));
      n_objects += n;
    }
  return n_objects;
}

/* Every file below @root: relative path → GBytes. */
static GHashTable *
read_tree (const char *root)
{
  g_autoptr(GPtrArray) files = bm_test_list_files (root);
  GHashTable *tree = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *path = g_build_filename (root, files->pdata[i], NULL);
      char *contents;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_hash_table_insert (tree, g_strdup (files->pdata[i]), g_bytes_new_take (contents, length));
    }
  return tree;
}

static void
test_synth (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *objects = NULL;
  g_autofree char *backgrounds = NULL;
  const char *const formats[] = { "voc", "dota", "yolo", "yolo-obb" };

  make_synth_inputs (tmp, &objects, &backgrounds);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *out = g_build_filename (tmp, formats[f], NULL);
      g_autofree char *other = g_strconcat (out, "-other-seed", NULL);
      g_auto(Run) run = { 0 };
      g_auto(Run) run_again = { 0 };
      g_auto(Run) run_other = { 0 };
      guint n_objects;

      run_cli (&run, "synth", "--objects", objects, "--backgrounds", backgrounds, "-n", "6", "--per-image", "2..6",
               "--rotate", "40", "--scale", "0.2..0.5", "--blend", "feather", "--seed", "5", "--to", formats[f],
               "--out", out, NULL);
      g_assert_cmpint (run.status, ==, 0);
      n_objects = check_synth_output (out, 6);
      g_assert_cmpuint (n_objects, >=, 12);

      /* the same seed writes the same bytes (into the same folder: VOC files name their image's
       * path), on one thread as on all; another seed does not */
      {
        g_autoptr(GHashTable) before = read_tree (out);
        g_autoptr(GHashTable) after = NULL;
        GHashTableIter iter;
        gpointer key, value;

        run_cli (&run_again, "synth", "--objects", objects, "--backgrounds", backgrounds, "-n", "6", "--per-image", "2..6",
                 "--rotate", "40", "--scale", "0.2..0.5", "--blend", "feather", "--seed", "5", "--to", formats[f],
                 "--threads", "1", "--force", "--out", out, NULL);
        g_assert_cmpint (run_again.status, ==, 0);
        after = read_tree (out);
        g_assert_cmpuint (g_hash_table_size (before), ==, 6 * 3 + (f >= 2 ? 2 : 0));
        g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
        g_hash_table_iter_init (&iter, before);
        while (g_hash_table_iter_next (&iter, &key, &value))
          {
            GBytes *now = g_hash_table_lookup (after, key);

            g_assert_nonnull (now);
            g_assert_true (g_bytes_equal (value, now));
          }
      }
      run_cli (&run_other, "synth", "--objects", objects, "--backgrounds", backgrounds, "-n", "6", "--per-image", "2..6",
               "--rotate", "40", "--scale", "0.2..0.5", "--blend", "feather", "--seed", "6", "--to", formats[f],
               "--out", other, NULL);
      g_assert_cmpint (run_other.status, ==, 0);
      {
        g_autofree char *a = g_build_filename (out, "synth", "synth_000000.synth.txt", NULL);
        g_autofree char *b = g_build_filename (other, "synth", "synth_000000.synth.txt", NULL);
        g_autofree char *ta = NULL;
        g_autofree char *tb = NULL;

        g_assert_true (g_file_get_contents (a, &ta, NULL, NULL));
        g_assert_true (g_file_get_contents (b, &tb, NULL, NULL));
        g_assert_cmpstr (ta, !=, tb);
      }
    }
  bm_test_remove_tree (tmp);
}

static char *
sidecar_value (const char *line, const char *key)
{
  g_autofree char *pattern = g_strdup_printf (" %s=", key);
  const char *at = strstr (line, pattern);
  const char *end;

  g_assert_nonnull (at);
  at += strlen (pattern);
  if (*at == '"')
    {
      at++;
      end = strchr (at, '"');
    }
  else
    end = at + strcspn (at, " \n");
  return g_strndup (at, (gsize) (end - at));
}

/* Unturned, unscaled, unfeathered, PNG: each pasted object is its crop, pixel for pixel (where
 * its mask keeps it), at the place the sidecar and the label say. */
static void
test_synth_pixels (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *src = testdata ("dota/dota_devkit_yolo_demo");
  g_autofree char *objects = g_build_filename (tmp, "trucks", NULL);
  g_autofree char *backgrounds = NULL;
  g_autofree char *raccoon_objects = NULL;
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autoptr(BmDataset) dataset = NULL;
  g_auto(Run) crop = { 0 };
  g_auto(Run) run = { 0 };
  guint checked = 0;

  make_synth_inputs (tmp, &raccoon_objects, &backgrounds);
  run_cli (&crop, "crop", "--classes", "large-vehicle", "--format", "png", "--out", objects, src, NULL);
  g_assert_cmpint (crop.status, ==, 0);
  run_cli (&run, "synth", "--objects", objects, "--backgrounds", backgrounds, "-n", "4", "--per-image", "5",
           "--format", "png", "--seed", "9", "--to", "voc", "--out", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  dataset = bm_dataset_open (out, TRUE, NULL);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = bm_label_load (item, NULL);
      g_autoptr(BmImage) image = bm_image_load (item->image_path, NULL);
      g_autofree char *stem = bm_path_get_stem (item->image_path);
      g_autofree char *sidecar_name = g_strdup_printf ("%s.synth.txt", stem);
      g_autofree char *sidecar_path = g_build_filename (out, "synth", sidecar_name, NULL);
      g_autofree char *sidecar = NULL;
      g_auto(GStrv) lines = NULL;
      guint k = 0;

      g_assert_true (g_file_get_contents (sidecar_path, &sidecar, NULL, NULL));
      lines = g_strsplit (sidecar, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_autofree char *crop_name = NULL;
          g_autofree char *x_text = NULL;
          g_autofree char *y_text = NULL;
          g_autofree char *crop_path = NULL;
          g_autoptr(BmImage) piece = NULL;
          g_autofree guint8 *mask = NULL;
          BmRect box;
          int x0, y0;

          if (!g_str_has_prefix (lines[l], "object "))
            continue;
          crop_name = sidecar_value (lines[l], "crop");
          x_text = sidecar_value (lines[l], "x");
          y_text = sidecar_value (lines[l], "y");
          x0 = atoi (x_text);
          y0 = atoi (y_text);
          crop_path = g_build_filename (objects, crop_name, NULL);
          piece = bm_image_load (crop_path, NULL);
          g_assert_nonnull (piece);
          mask = bm_synth_crop_mask (piece);
          /* the label is the crop's place (the manifest says the object fills its crop) */
          box = bm_shape_bounds (bm_object_get_shape (bm_annotation_get_object (annotation, k++)));
          g_assert_cmpfloat (box.x1, ==, x0);
          g_assert_cmpfloat (box.y1, ==, y0);
          g_assert_cmpfloat (box.x2, ==, x0 + piece->width);
          g_assert_cmpfloat (box.y2, ==, y0 + piece->height);
          for (int y = 0; y < piece->height; y++)
            for (int x = 0; x < piece->width; x++)
              if (mask[y * piece->width + x] == 255)
                g_assert_cmpmem (image->data + (y0 + y) * image->stride + (x0 + x) * 3, 3,
                                 piece->data + y * piece->stride + x * piece->channels, 3);
          checked++;
        }
      g_assert_cmpuint (k, ==, bm_annotation_get_n_objects (annotation));
    }
  g_assert_cmpuint (checked, >=, 12);
  bm_test_remove_tree (tmp);
}

/* Class names no folder can hold go through crop and come back whole from synth. */
static void
test_odd_class_names (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *set = g_build_filename (tmp, "set", NULL);
  g_autofree char *objects = g_build_filename (tmp, "objects", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *jpg_src = testdata ("voc/dialects/astronaut.jpg");
  g_autofree char *jpg = g_build_filename (set, "astronaut.jpg", NULL);
  g_autofree char *xml = g_build_filename (set, "astronaut.xml", NULL);
  const char *names[] = { "a/b", "..", "小汽车" };
  const char *folders[] = { "a%2Fb", "%2E%2E", "小汽车" };
  g_autoptr(GString) text = g_string_new ("<annotation><size><width>512</width><height>512</height><depth>3</depth></size>");
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(Run) run = { 0 };
  g_auto(Run) synth = { 0 };

  g_assert_cmpint (g_mkdir (set, 0755), ==, 0);
  copy_file (jpg_src, jpg);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_append_printf (text, "<object><name>%s</name><bndbox><xmin>%u</xmin><ymin>10</ymin><xmax>%u</xmax>"
                            "<ymax>60</ymax></bndbox></object>", names[i], 10 + i * 100, 60 + i * 100);
  g_string_append (text, "</annotation>\n");
  g_assert_true (g_file_set_contents (xml, text->str, -1, NULL));

  run_cli (&run, "crop", "--out", objects, set, NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strdup_printf ("astronaut_%u.jpg", i);
      g_autofree char *path = g_build_filename (objects, folders[i], name, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  run_cli (&synth, "synth", "--objects", objects, "--backgrounds", set, "-n", "3", "--per-image", "3", "--to", "voc",
           "--out", out, NULL);
  g_assert_cmpint (synth.status, ==, 0);
  dataset = bm_dataset_open (out, TRUE, NULL);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      g_autoptr(BmAnnotation) annotation = bm_label_load (bm_dataset_get_item (dataset, i), NULL);

      for (guint k = 0; k < bm_annotation_get_n_objects (annotation); k++)
        g_hash_table_add (seen, (gpointer) g_intern_string (bm_object_get_label (bm_annotation_get_object (annotation, k))));
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (g_hash_table_contains (seen, names[i]));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3);
  bm_test_remove_tree (tmp);
}

/* ---- shards ---- */

/* N shards into one folder, one after the other: each adds only files of its own, and together
 * they hold what one unsharded run writes, file for file. */
static void
check_shards (GPtrArray *args, const char *out_whole, const char *out_shards, guint n)
{
  g_autoptr(GPtrArray) whole_args = g_ptr_array_new ();
  g_auto(Run) whole = { 0 };
  guint before = 0;
  int worst = 0;

  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (whole_args, args->pdata[i]);
  /* the whole run writes where the shards will, then moves aside: files that name their own
   * path (VOC <path>, data.yaml) come out alike */
  g_ptr_array_add (whole_args, "--out");
  g_ptr_array_add (whole_args, (gpointer) out_shards);
  run_argv (&whole, whole_args);
  g_assert_cmpint (g_rename (out_shards, out_whole), ==, 0);
  /* 1: problems in the data, which every shard reports alike */
  g_assert_cmpint (whole.status, <=, 1);

  for (guint k = 1; k <= n; k++)
    {
      g_autoptr(GPtrArray) shard_args = g_ptr_array_new ();
      g_autofree char *shard = g_strdup_printf ("%u/%u", k, n);
      g_autoptr(GPtrArray) files = NULL;
      g_auto(Run) run = { 0 };

      for (guint i = 0; i < args->len; i++)
        g_ptr_array_add (shard_args, args->pdata[i]);
      g_ptr_array_add (shard_args, "--shard");
      g_ptr_array_add (shard_args, shard);
      g_ptr_array_add (shard_args, "--out");
      g_ptr_array_add (shard_args, (gpointer) out_shards);
      run_argv (&run, shard_args);
      g_assert_cmpint (run.status, <=, whole.status);
      worst = MAX (worst, run.status);
      files = bm_test_list_files (out_shards);
      /* every shard has work (the sets are large enough) */
      g_assert_cmpuint (files->len, >, before);
      before = files->len;
    }
  /* a problem of one image is said by the shard that has it */
  g_assert_cmpint (worst, ==, whole.status);
  bm_test_assert_same_tree (out_whole, out_shards);
}

static void
test_shards_crop_synth (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *src = testdata ("voc/raccoon_labelimg");
  g_autofree char *crop_whole = g_build_filename (tmp, "crop-whole", NULL);
  g_autofree char *crop_shards = g_build_filename (tmp, "crop-shards", NULL);
  g_autofree char *synth_whole = g_build_filename (tmp, "synth-whole", NULL);
  g_autofree char *synth_shards = g_build_filename (tmp, "synth-shards", NULL);
  g_autofree char *objects = NULL;
  g_autofree char *backgrounds = NULL;
  g_autoptr(GPtrArray) crop_args = g_ptr_array_new ();
  g_autoptr(GPtrArray) synth_args = g_ptr_array_new ();
  const char *crop_list[] = { "crop", "--pad", "5", src };
  g_autoptr(GPtrArray) shard_files = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (crop_list); i++)
    g_ptr_array_add (crop_args, (gpointer) crop_list[i]);
  check_shards (crop_args, crop_whole, crop_shards, 3);

  make_synth_inputs (tmp, &objects, &backgrounds);
  {
    const char *synth_list[] = { "synth", "--objects", objects, "--backgrounds", backgrounds, "-n", "12",
                                 "--per-image", "1..4", "--rotate", "90", "--scale", "0.3..0.6", "--seed", "2",
                                 "--to", "yolo" };

    for (guint i = 0; i < G_N_ELEMENTS (synth_list); i++)
      g_ptr_array_add (synth_args, (gpointer) synth_list[i]);
    check_shards (synth_args, synth_whole, synth_shards, 3);
  }
  shard_files = bm_test_list_files (synth_shards);
  /* 12 images, labels and sidecars, data.yaml and classes.txt */
  g_assert_cmpuint (shard_files->len, ==, 12 * 3 + 2);
  bm_test_remove_tree (tmp);
}

/* A copy of @rel below @dst (every file, subfolders too). */
static void
copy_tree (const char *from, const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);

      if (g_file_test (a, G_FILE_TEST_IS_DIR))
        copy_tree (a, b);
      else
        copy_file (a, b);
    }
}

/* convert, to every format, in three shards into one folder, equals the whole run. */
static void
test_shards_convert (void)
{
  g_autofree char *tmp = make_temp_dir ();
  const char *const sources[] = { "voc/raccoon_labelimg", "dota/dota_devkit_yolo_demo", "yolo/ultralytics_coco8" };
  const char *const targets[] = { "yolo", "dota", "voc", "yolo-obb" };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
      {
        g_autofree char *src = testdata (sources[s]);
        g_autofree char *name = g_strdup_printf ("%u-%s", s, targets[t]);
        g_autofree char *whole = g_build_filename (tmp, name, "whole", NULL);
        g_autofree char *shards = g_build_filename (tmp, name, "shards", NULL);
        g_autoptr(GPtrArray) args = g_ptr_array_new ();

        g_ptr_array_add (args, "convert");
        g_ptr_array_add (args, "--to");
        g_ptr_array_add (args, (gpointer) targets[t]);
        g_ptr_array_add (args, src);
        check_shards (args, whole, shards, 3);
      }
  bm_test_remove_tree (tmp);
}

/* detect --write on two copies of the same folder, once whole and once in three shards. */
static void
test_shards_detect (void)
{
  if (!bm_test_have_data ("detect/two_people.jpg"))
    return;
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *src = testdata ("detect");
  g_autofree char *whole = g_build_filename (tmp, "whole", NULL);
  g_autofree char *shards = g_build_filename (tmp, "shards", NULL);
  g_auto(Run) run = { 0 };
  guint before = 0;

  /* both runs on a copy at the same place: new VOC files name their image's path */
  copy_tree (src, shards);
  run_cli (&run, "detect", "--write", "--min-neighbors", "1", shards, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_rename (shards, whole), ==, 0);
  copy_tree (src, shards);
  for (guint k = 1; k <= 3; k++)
    {
      g_autofree char *shard = g_strdup_printf ("%u/3", k);
      g_autoptr(GPtrArray) files = NULL;
      g_auto(Run) part = { 0 };

      run_cli (&part, "detect", "--write", "--min-neighbors", "1", "--shard", shard, shards, NULL);
      g_assert_cmpint (part.status, ==, 0);
      files = bm_test_list_files (shards);
      g_assert_cmpuint (files->len, >=, before);
      before = files->len;
    }
  g_assert_cmpuint (bm_test_assert_same_tree (whole, shards), >, 12);
  bm_test_remove_tree (tmp);
}

/* augment, YOLO, in three shards into one folder, equals the whole run. */
static void
test_shards_augment (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *src = testdata ("voc/raccoon_labelimg");
  g_autofree char *whole = g_build_filename (tmp, "whole", NULL);
  g_autofree char *shards = g_build_filename (tmp, "shards", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *list[] = { "augment", "--ops", "hflip;rotate:deg=-10..10;mixup", "-n", "1", "--seed", "3",
                         "--format", "jpg", "--quality", "60", "--to", "yolo", src };

  for (guint i = 0; i < G_N_ELEMENTS (list); i++)
    g_ptr_array_add (args, (gpointer) list[i]);
  check_shards (args, whole, shards, 3);
  bm_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/stats-plot", test_stats_plot);
  g_test_add_func ("/cli/crop-sizes", test_crop_sizes);
  g_test_add_func ("/cli/crop-options", test_crop_options);
  g_test_add_func ("/cli/crop-upright", test_crop_upright);
  g_test_add_func ("/cli/crop-upright-quads", test_crop_upright_quads);
  g_test_add_func ("/cli/synth", test_synth);
  g_test_add_func ("/cli/synth-pixels", test_synth_pixels);
  g_test_add_func ("/cli/odd-class-names", test_odd_class_names);
  g_test_add_func ("/cli/shards-crop-synth", test_shards_crop_synth);
  g_test_add_func ("/cli/shards-convert", test_shards_convert);
  g_test_add_func ("/cli/shards-detect", test_shards_detect);
  g_test_add_func ("/cli/shards-augment", test_shards_augment);
  return g_test_run ();
}
