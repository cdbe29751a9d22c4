/* bm-cli-stats.c: boxmark-cli stats [--json] [--plot DIR] DIR — the counts and charts are
 * dataset/bm-dataset-stats's, fed by bm_dataset_scan; this file prints them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "dataset/bm-dataset-scan.h"
#include "dataset/bm-dataset-stats-chart.h"
#include "bm-cli.h"

/* What the scan feeds: the counts are BmDatasetStats's (dataset/), which the window's overview
 * shows too; only the first dataset's layout and format are the command's. */
typedef struct
{
  BmDatasetStats *all;
  const char *layout;
  const char *format;
  gboolean per_class;
} Stats;

static void
stats_item (BmDataset *dataset, const BmDatasetItem *item, BmAnnotation *annotation,
            const GError *error, gpointer user_data)
{
  Stats *stats = user_data;

  /* a folder the scan could not read */
  if (item == NULL)
    bm_dataset_stats_add_problem (stats->all, error->message);
  else
    bm_dataset_stats_add_item (stats->all, item, annotation, error);
  if (dataset != NULL && stats->layout == NULL)
    {
      stats->layout = bm_layout_to_string (bm_dataset_get_layout (dataset));
      stats->format = bm_format_to_string (bm_dataset_get_format (dataset));
    }
}

static void
print_text (Stats *stats, const char *root)
{
  const BmStatsCounts *c = bm_dataset_stats_get_counts (stats->all);
  g_autoptr(GArray) classes = bm_dataset_stats_sorted_classes (stats->all);
  GPtrArray *problem_lines = bm_dataset_stats_get_problem_lines (stats->all);
  guint width = 5;

  printf (_("Dataset:        %s (%s layout, %s labels)\n"), root,
          stats->layout ? stats->layout : "-", stats->format ? stats->format : "-");
  printf (_("Images:         %u\n"), c->images);
  printf (_("Labeled:        %u (%.1f%%)\n"), c->labelled, c->images ? 100.0 * c->labelled / c->images : 0.0);
  printf (_("Verified:       %u (%.1f%%)\n"), c->verified, c->images ? 100.0 * c->verified / c->images : 0.0);
  printf (_("Empty labels:   %u\n"), c->empty);
  printf (_("Objects:        %u (%u rotated, %u quadrilaterals, %u difficult, %u pre-annotations)\n"),
          c->objects, c->rotated, c->quads, c->difficult, c->pre_annotations);
  printf (_("Pre-annotations not accepted yet: %u in %u images\n"), c->pre_annotations,
          c->pre_annotated_images);
  printf (_("Label files without image: %u\n"), c->orphan_labels);
  printf (_("Files with problems: %u (%u problems)\n"), c->files_with_problems, c->problems);

  for (guint i = 0; i < classes->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (bm_dataset_stats_get_class_name (stats->all, g_array_index (classes, guint, i)), -1));
  printf ("\n%-*s %8s %8s\n", (int) width, _("Class"), _("Objects"), _("Images"));
  for (guint i = 0; i < classes->len; i++)
    {
      guint k = g_array_index (classes, guint, i);
      const char *name = bm_dataset_stats_get_class_name (stats->all, k);
      /* Pad by characters, not bytes, so UTF-8 names line up. */
      int pad = (int) width - (int) g_utf8_strlen (name, -1);

      printf ("%s%*s %8u %8u\n", name, pad, "", bm_dataset_stats_get_class_objects (stats->all, k),
              bm_dataset_stats_get_class_images (stats->all, k));
    }
  for (guint i = 0; i < problem_lines->len && i < 20; i++)
    printf (i == 0 ? "\n%s\n" : "%s\n", (char *) g_ptr_array_index (problem_lines, i));
  if (problem_lines->len > 20)
    printf (_("… and %u more (boxmark-cli validate lists them all)\n"), problem_lines->len - 20);
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
  const BmStatsCounts *c = bm_dataset_stats_get_counts (stats->all);
  g_autoptr(GArray) classes = bm_dataset_stats_sorted_classes (stats->all);
  GPtrArray *problem_lines = bm_dataset_stats_get_problem_lines (stats->all);
  g_autoptr(GString) out = g_string_new ("{\"root\": ");

  json_string (out, root);
  g_string_append (out, ", \"layout\": ");
  json_string (out, stats->layout ? stats->layout : "");
  g_string_append (out, ", \"format\": ");
  json_string (out, stats->format ? stats->format : "");
  g_string_append_printf (out, ", \"images\": %u, \"labeled\": %u, \"verified\": %u, \"empty\": %u, "
                          "\"objects\": %u, \"rotated\": %u, \"quads\": %u, \"difficult\": %u, "
                          "\"pre_annotations\": %u, \"pre_annotated_images\": %u, \"orphan_labels\": %u, "
                          "\"files_with_problems\": %u, \"problems\": %u, \"classes\": {",
                          c->images, c->labelled, c->verified, c->empty, c->objects, c->rotated, c->quads,
                          c->difficult, c->pre_annotations, c->pre_annotated_images, c->orphan_labels,
                          c->files_with_problems, c->problems);
  for (guint i = 0; i < classes->len; i++)
    {
      guint k = g_array_index (classes, guint, i);

      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, bm_dataset_stats_get_class_name (stats->all, k));
      g_string_append_printf (out, ": {\"objects\": %u, \"images\": %u}", bm_dataset_stats_get_class_objects (stats->all, k),
                              bm_dataset_stats_get_class_images (stats->all, k));
    }
  g_string_append (out, "}, \"problem_list\": [");
  for (guint i = 0; i < problem_lines->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, g_ptr_array_index (problem_lines, i));
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

  stats.all = all;
  stats.per_class = per_class;
  one[0] = paths[0];
  if (!bm_dataset_scan (one, !no_recursive, (guint) threads, stats_item, &stats, &error))
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
