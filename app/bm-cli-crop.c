/* bm-cli-crop.c: boxmark-cli crop — one image per labelled object (dataset/bm-crop).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-problem.h"
#include "dataset/bm-crop.h"
#include "dataset/bm-shard.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

typedef struct
{
  double pad;
  double pad_ratio;
  double min_size;
  char *classes;
  gboolean upright;
  char *format;
  int quality;
  gboolean force;
  int threads;
  char *shard;
  char *out;
  char **sources;
} Options;

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("crop", message);
}

static int
crop_with_options (Options *opts)
{
  g_autoptr(GPtrArray) existing = NULL;
  BmCropOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmCropPlan) plan = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GPtrArray) unused = NULL;
  g_auto(GStrv) classes = NULL;
  g_auto(GStrv) folders = NULL;
  BmCropReport report = { 0 };
  guint n_problems;

  bm_crop_options_init (&options);
  if (opts->out == NULL)
    return usage_error (_("--out is required"));
  if (opts->sources == NULL || opts->sources[0] == NULL)
    return usage_error (_("the source SRC (a dataset folder) is missing"));
  if (opts->sources[1] != NULL)
    return usage_error (_("name one dataset folder"));
  if (opts->pad < 0 || opts->pad_ratio < 0 || opts->pad_ratio > 10)
    return usage_error (_("--pad must not be negative, --pad-ratio must be from 0 to 10"));
  if (opts->pad > 0 && opts->pad_ratio > 0)
    return usage_error (_("give either --pad or --pad-ratio, not both"));
  if (opts->min_size < 0)
    return usage_error (_("--min-size must not be negative"));
  if (opts->quality < 1 || opts->quality > 100)
    return usage_error (_("--quality must be from 1 to 100"));
  if (opts->format != NULL && g_ascii_strcasecmp (opts->format, "png") != 0
      && g_ascii_strcasecmp (opts->format, "jpg") != 0 && g_ascii_strcasecmp (opts->format, "jpeg") != 0)
    return usage_error (_("--format must be png or jpg"));
  if (opts->shard != NULL && !bm_shard_parse (opts->shard, &options.shard, &error))
    return usage_error (error->message);
  if (opts->classes != NULL)
    {
      classes = g_strsplit (opts->classes, ",", -1);
      for (guint i = 0; classes[i] != NULL; i++)
        g_strstrip (classes[i]);
      options.classes = (const char *const *) classes;
    }
  options.pad = opts->pad;
  options.pad_ratio = opts->pad_ratio;
  options.min_size = opts->min_size;
  options.upright = opts->upright;
  options.format = opts->format;
  options.quality = opts->quality;

  if (!g_file_test (opts->sources[0], G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, _("boxmark-cli crop: %s: no such folder\n"), opts->sources[0]);
      return BM_CLI_EXIT_FAILURE;
    }
  dataset = bm_dataset_open (opts->sources[0], TRUE, &error);
  if (dataset == NULL)
    {
      fprintf (stderr, "boxmark-cli crop: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  plan = bm_crop_plan_new (dataset, &options, problems);
  n_problems = bm_cli_print_problems (problems);
  g_ptr_array_set_size (problems, 0);

  folders = bm_crop_plan_get_folders (plan);
  if (!bm_cli_check_out_outside_source ("crop", opts->out, (const char *const *) folders, opts->sources[0],
                                        bm_dataset_get_root (dataset)))
    return BM_CLI_EXIT_USAGE;
  unused = bm_crop_plan_get_unused_classes (plan);
  for (guint i = 0; i < unused->len; i++)
    fprintf (stderr, _("boxmark-cli crop: no object is labelled “%s”\n"), (char *) unused->pdata[i]);
  existing = bm_crop_plan_find_existing (plan, opts->out);
  if (!bm_cli_check_existing ("crop", existing, opts->force, opts->out))
    return BM_CLI_EXIT_FAILURE;

  if (!bm_crop_plan_run (plan, opts->out, (guint) MAX (opts->threads, 0), problems, &report, &error))
    {
      bm_cli_print_problems (problems);
      fprintf (stderr, "boxmark-cli crop: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  n_problems += bm_cli_print_problems (problems);

  if (bm_crop_plan_get_n_small (plan) > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u object smaller than --min-size was left out.\n",
                         "%u objects smaller than --min-size were left out.\n", bm_crop_plan_get_n_small (plan)),
            bm_crop_plan_get_n_small (plan));
  if (bm_crop_plan_get_n_other_classes (plan) > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u object of another class was left out.\n",
                         "%u objects of other classes were left out.\n", bm_crop_plan_get_n_other_classes (plan)),
            bm_crop_plan_get_n_other_classes (plan));
  if (!bm_shard_is_all (&options.shard))
    printf (_("Shard %u/%u: "), options.shard.index + 1, options.shard.count);
  printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u crop of %u images to %s (%s lists all %u of the dataset).\n",
                       "Wrote %u crops of %u images to %s (%s lists all %u of the dataset).\n", report.n_crops),
          report.n_crops, report.n_images, opts->out, BM_CROP_MANIFEST, bm_crop_plan_get_n_crops (plan));
  return n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}

int
bm_cli_crop (int argc, char **argv)
{
  Options opts = { 0, 0, 0, NULL, FALSE, NULL, 95, FALSE, 0, NULL, NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "pad", 0, 0, G_OPTION_ARG_DOUBLE, &opts.pad, N_("Pixels added on every side (clipped to the image)"), N_("PX") },
    { "pad-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &opts.pad_ratio, N_("Or this fraction of the object’s width / height added on each side"), N_("F") },
    { "min-size", 0, 0, G_OPTION_ARG_DOUBLE, &opts.min_size, N_("Leave out objects narrower or lower than this"), N_("PX") },
    { "classes", 0, 0, G_OPTION_ARG_STRING, &opts.classes, N_("Only these labels, separated by commas"), N_("A,B") },
    { "upright", 0, 0, G_OPTION_ARG_NONE, &opts.upright, N_("Cut rotated boxes and quadrilaterals along their own axes"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format, N_("png or jpg (default: the source image’s)"), N_("FORMAT") },
    { "quality", 0, 0, G_OPTION_ARG_INT, &opts.quality, N_("JPEG quality, 1 to 100 (default 95)"), N_("Q") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &opts.force, N_("Replace files of an earlier run in DIR"), NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &opts.threads, N_("Worker threads (default: one per core)"), N_("N") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &opts.shard, N_("Cut only part K of N of the images (see README: datasets larger than one machine)"), N_("K/N") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.sources, NULL, N_("SRC") },
    { NULL }
  };

  if (bm_cli_parse ("crop", NULL,
                    _("Writes one image per labelled object of the dataset SRC into DIR/<class>/<image>_<n>.<ext> "
                      "(n: the object’s place in its label file, from 0): its enclosing box plus padding, clipped "
                      "to the image. With --upright, rotated boxes and quadrilaterals are cut along their own axes "
                      "(their first edge on top), resampled; parts outside the image are transparent (PNG) or "
                      "black (JPEG).\n\n"
                      "DIR/manifest.csv lists every crop: its file, source image, class, object, the object’s "
                      "corners in the image, the crop’s size and the object’s corners in the crop.\n\n"
                      "Class names that cannot be folder names keep their other characters and have the bad "
                      "ones written %XX (“a/b” → “a%2Fb”); synth reads them back.\n\n"
                      "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                      "2 bad command line, 3 failure."),
                    entries, &argc, &argv))
    status = crop_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.classes);
  g_free (opts.format);
  g_free (opts.shard);
  g_free (opts.out);
  g_strfreev (opts.sources);
  return status;
}
