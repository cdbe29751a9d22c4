/* bm-cli-stats.c: boxmark-cli stats [--json] DIR
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-file-util.h"
#include "dataset/bm-dataset-stats-chart.h"
#include "bm-cli.h"
#include "bm-cli-scan.h"

typedef struct
{
  guint objects;
  guint images;     /* images with at least one object of the class */
} ClassCount;

typedef struct
{
  guint images;
  guint labeled;
  guint verified;
  guint empty;            /* label file present, no objects */
  guint objects;
  guint rotated;
  guint quads;
  guint difficult;
  guint pre_annotations;
  guint pre_annotated_images;   /* images with at least one pre-annotation not accepted yet */
  guint orphan_labels;
  guint files_with_problems;
  guint problems;
  GHashTable *classes;    /* label → ClassCount */
  GPtrArray *problem_lines;
  const char *layout;
  const char *format;
  BmDatasetStats *all;    /* the same items for the charts (--plot, and "charts" in --json) */
  gboolean per_class;
} Stats;

static void
count_objects (Stats *stats, BmAnnotation *annotation)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = bm_annotation_get_n_objects (annotation);
  guint pre_annotations = stats->pre_annotations;

  for (guint i = 0; i < n; i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const char *label = bm_object_get_label (object);
      ClassCount *count = g_hash_table_lookup (stats->classes, label);

      if (count == NULL)
        {
          count = g_new0 (ClassCount, 1);
          g_hash_table_insert (stats->classes, g_strdup (label), count);
        }
      count->objects++;
      if (g_hash_table_add (seen, (gpointer) label))
        count->images++;
      stats->objects++;
      stats->rotated += bm_object_get_shape (object)->kind == BM_SHAPE_ROTATED;
      stats->quads += bm_object_get_shape (object)->kind == BM_SHAPE_QUAD;
      stats->difficult += bm_object_get_difficult (object) > 0;
      stats->pre_annotations += bm_object_get_pre_annotation (object);
    }
  stats->pre_annotated_images += stats->pre_annotations > pre_annotations;
}

static void
stats_item (BmDataset *dataset, const BmDatasetItem *item, BmAnnotation *annotation,
            const GError *error, gpointer user_data)
{
  Stats *stats = user_data;

  bm_dataset_stats_add_item (stats->all, item, annotation, error);
  if (dataset != NULL && stats->layout == NULL)
    {
      stats->layout = bm_layout_to_string (bm_dataset_get_layout (dataset));
      stats->format = bm_format_to_string (bm_dataset_get_format (dataset));
    }
  if (item == NULL)
    {
      stats->problems++;
      g_ptr_array_add (stats->problem_lines, g_strdup (error->message));
      return;
    }
  if (item->image_path != NULL)
    stats->images++;
  else
    stats->orphan_labels++;
  if (!item->has_label)
    return;
  if (item->image_path != NULL)
    stats->labeled++;

  if (annotation == NULL)
    {
      stats->files_with_problems++;
      stats->problems++;
      g_ptr_array_add (stats->problem_lines, g_strdup (error->message));
      return;
    }
  if (bm_annotation_get_problems (annotation)->len > 0)
    {
      GPtrArray *problems = bm_annotation_get_problems (annotation);
      stats->files_with_problems++;
      stats->problems += problems->len;
      for (guint i = 0; i < problems->len; i++)
        g_ptr_array_add (stats->problem_lines, bm_problem_to_string (g_ptr_array_index (problems, i)));
    }
  if (item->image_path != NULL && bm_annotation_get_verified (annotation))
    stats->verified++;
  if (bm_annotation_get_n_objects (annotation) == 0)
    stats->empty++;
  count_objects (stats, annotation);
}

static int
compare_classes (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GHashTable *classes = user_data;
  const char *la = *(const char **) a, *lb = *(const char **) b;
  const ClassCount *ca = g_hash_table_lookup (classes, la), *cb = g_hash_table_lookup (classes, lb);

  if (ca->objects != cb->objects)
    return ca->objects > cb->objects ? -1 : 1;
  return strcmp (la, lb);
}

static GPtrArray *
sorted_class_names (Stats *stats)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, stats->classes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort_with_data (names, compare_classes, stats->classes);
  return names;
}

static void
print_text (Stats *stats, const char *root)
{
  g_autoptr(GPtrArray) names = sorted_class_names (stats);
  guint width = 5;

  printf (_("Dataset:        %s (%s layout, %s labels)\n"), root,
          stats->layout ? stats->layout : "-", stats->format ? stats->format : "-");
  printf (_("Images:         %u\n"), stats->images);
  printf (_("Labeled:        %u (%.1f%%)\n"), stats->labeled,
          stats->images ? 100.0 * stats->labeled / stats->images : 0.0);
  printf (_("Verified:       %u (%.1f%%)\n"), stats->verified,
          stats->images ? 100.0 * stats->verified / stats->images : 0.0);
  printf (_("Empty labels:   %u\n"), stats->empty);
  printf (_("Objects:        %u (%u rotated, %u quadrilaterals, %u difficult, %u pre-annotations)\n"),
          stats->objects, stats->rotated, stats->quads, stats->difficult, stats->pre_annotations);
  printf (_("Pre-annotations not accepted yet: %u in %u images\n"), stats->pre_annotations,
          stats->pre_annotated_images);
  printf (_("Label files without image: %u\n"), stats->orphan_labels);
  printf (_("Files with problems: %u (%u problems)\n"), stats->files_with_problems, stats->problems);

  for (guint i = 0; i < names->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (g_ptr_array_index (names, i), -1));
  printf ("\n%-*s %8s %8s\n", (int) width, _("Class"), _("Objects"), _("Images"));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const ClassCount *count = g_hash_table_lookup (stats->classes, name);
      /* Pad by characters, not bytes, so UTF-8 names line up. */
      int pad = (int) width - (int) g_utf8_strlen (name, -1);
      printf ("%s%*s %8u %8u\n", name, pad, "", count->objects, count->images);
    }
  for (guint i = 0; i < stats->problem_lines->len && i < 20; i++)
    printf (i == 0 ? "\n%s\n" : "%s\n", (char *) g_ptr_array_index (stats->problem_lines, i));
  if (stats->problem_lines->len > 20)
    printf (_("… and %u more (boxmark-cli validate lists them all)\n"), stats->problem_lines->len - 20);
}

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
print_json (Stats *stats, const char *root)
{
  g_autoptr(GPtrArray) names = sorted_class_names (stats);
  g_autoptr(GString) out = g_string_new ("{\"root\": ");

  json_string (out, root);
  g_string_append (out, ", \"layout\": ");
  json_string (out, stats->layout ? stats->layout : "");
  g_string_append (out, ", \"format\": ");
  json_string (out, stats->format ? stats->format : "");
  g_string_append_printf (out, ", \"images\": %u, \"labeled\": %u, \"verified\": %u, \"empty\": %u, "
                          "\"objects\": %u, \"rotated\": %u, \"quads\": %u, \"difficult\": %u, "
                          "\"pre_annotations\": %u, \"pre_annotated_images\": %u, "
                          "\"orphan_labels\": %u, \"files_with_problems\": %u, "
                          "\"problems\": %u, \"classes\": {",
                          stats->images, stats->labeled, stats->verified, stats->empty,
                          stats->objects, stats->rotated, stats->quads, stats->difficult,
                          stats->pre_annotations, stats->pre_annotated_images, stats->orphan_labels,
                          stats->files_with_problems, stats->problems);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const ClassCount *count = g_hash_table_lookup (stats->classes, name);
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, name);
      g_string_append_printf (out, ": {\"objects\": %u, \"images\": %u}", count->objects, count->images);
    }
  g_string_append (out, "}, \"problem_list\": [");
  for (guint i = 0; i < stats->problem_lines->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, g_ptr_array_index (stats->problem_lines, i));
    }
  g_string_append (out, "], \"charts\": [");
  {
    g_autoptr(GPtrArray) charts = bm_dataset_stats_charts (stats->all, stats->per_class);

    for (guint i = 0; i < charts->len; i++)
      {
        if (i > 0)
          g_string_append (out, ", ");
        bm_dataset_stats_chart_append_json (charts->pdata[i], out);
      }
  }
  g_string_append (out, "]}\n");
  fputs (out->str, stdout);
}

int
bm_cli_stats (int argc, char **argv)
{
  gboolean json = FALSE, no_recursive = FALSE, per_class = FALSE;
  g_autofree char *plot = NULL;
  int threads = 0;
  g_auto(GStrv) paths = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot, N_("Also draw the charts into DIR as PNG and SVG (with their numbers as CSV)"), N_("DIR") },
    { "per-class", 0, 0, G_OPTION_ARG_NONE, &per_class, N_("Also the size and shape charts of every class (DIR/per-class/CLASS/)"), NULL },
    { "no-recursive", 0, 0, G_OPTION_ARG_NONE, &no_recursive, N_("Do not look into subfolders"), NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per core)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("DIR") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) problem_lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BmDatasetStats) all = bm_dataset_stats_new ();
  Stats stats = { 0 };
  const char *one[2] = { NULL, NULL };

  if (!bm_cli_parse ("stats", _("DIR"),
                     _("Summarises a dataset: images, labeled, verified, objects per class, problems."),
                     entries, &argc, &argv))
    return BM_CLI_EXIT_USAGE;
  if (paths == NULL || paths[0] == NULL || paths[1] != NULL)
    {
      fprintf (stderr, "%s\n", _("boxmark-cli stats: name exactly one dataset folder"));
      return BM_CLI_EXIT_USAGE;
    }
  /* a label file or an image would be summarised as a dataset of nothing */
  if (g_file_test (paths[0], G_FILE_TEST_EXISTS) && !g_file_test (paths[0], G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, _("boxmark-cli stats: %s is a file; name the dataset folder that holds it "
                         "(boxmark-cli validate checks single label files)\n"), paths[0]);
      return BM_CLI_EXIT_USAGE;
    }
  if (threads <= 0)
    threads = (int) g_get_num_processors ();

  stats.classes = classes;
  stats.problem_lines = problem_lines;
  stats.all = all;
  stats.per_class = per_class;
  one[0] = paths[0];
  if (!bm_cli_scan (one, !no_recursive, (guint) threads, stats_item, &stats, &error))
    {
      fprintf (stderr, "boxmark-cli stats: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  if (json)
    print_json (&stats, paths[0]);
  else
    print_text (&stats, paths[0]);
  if (plot != NULL)
    {
      g_autoptr(GPtrArray) charts = bm_dataset_stats_charts (all, per_class);

      if (!bm_dataset_stats_write_charts (charts, plot, BM_STATS_CHART_DEFAULT_WIDTH, &error))
        {
          fprintf (stderr, "boxmark-cli stats: %s\n", error->message);
          return BM_CLI_EXIT_FAILURE;
        }
      fprintf (json ? stderr : stdout, _("\nCharts: %u PNG + SVG + CSV in %s\n"), charts->len, plot);
    }
  return BM_CLI_EXIT_OK;
}
