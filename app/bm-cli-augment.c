/* bm-cli-augment.c: boxmark-cli augment — writes augmented samples of a dataset, with their
 * labels moved the way a training framework moves them, in VOC, DOTA or YOLO.
 *
 * The work is bm_augment_export_run's (dataset/). Every sample gets a sidecar
 * (augment/STEM.augment.txt) holding bm_augment_sample_describe's text plus the source and
 * partner paths, so bm_augment_replay reproduces it exactly.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "dataset/bm-augment-export-run.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

typedef struct
{
  char *ops;
  int n;
  gint64 seed;
  char *profile;
  char *to;
  char *classes;
  char *data;
  char *format;
  int quality;
  gboolean clip;
  gboolean force;
  char *out;
  char **sources;
  char *shard_text;
  BmShard shard;
} Options;

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("augment", message);
}

static void
say (BmAugmentExportSay kind, const char *text, gpointer user_data)
{
  if (kind == BM_AUGMENT_EXPORT_SAY_INFO)
    {
      printf ("%s\n", text);
      fflush (stdout);
    }
  else
    fprintf (stderr, kind == BM_AUGMENT_EXPORT_SAY_NOTICE ? "boxmark-cli augment: %s\n" : "%s\n", text);
}

static int
augment_with_options (Options *opts)
{
  BmAugmentExportRunOptions options = { opts->ops, NULL, (guint) opts->n, (guint64) opts->seed, BM_EXPORT_TARGET_VOC,
                                        opts->classes != NULL ? opts->classes : opts->data, opts->format, opts->quality,
                                        opts->clip, opts->force, opts->shard };
  g_autoptr(BmAugmentExportRun) run = NULL;
  g_autoptr(GError) error = NULL;
  /* also through symlinks, and an output subfolder that is a link into SRC */
  const char *written[] = { NULL, NULL, BM_AUGMENT_EXPORT_SIDECAR_DIR, NULL };

  if (opts->ops == NULL)
    return usage_error (_("--ops is required, e.g. --ops \"rotate:deg=-15..15;expand:ratio=1..3\""));
  if (opts->to == NULL)
    return usage_error (_("--to is required"));
  if (!bm_export_target_from_string (opts->to, &options.target))
    return usage_error (_("--to must be voc, dota, yolo or yolo-obb"));
  if (opts->out == NULL)
    return usage_error (_("--out is required"));
  if (opts->sources == NULL || opts->sources[0] == NULL)
    return usage_error (_("the source SRC (a dataset folder or an image) is missing"));
  if (opts->sources[1] != NULL)
    return usage_error (_("only one source can be augmented at a time"));
  if (opts->n < 1 || opts->n > 10000)
    return usage_error (_("--n must be from 1 to 10000"));
  if (opts->seed < 0)
    return usage_error (_("--seed must not be negative"));
  if (opts->quality < 1 || opts->quality > 100)
    return usage_error (_("--quality must be from 1 to 100"));
  if (opts->format != NULL && g_ascii_strcasecmp (opts->format, "png") != 0
      && g_ascii_strcasecmp (opts->format, "jpg") != 0 && g_ascii_strcasecmp (opts->format, "jpeg") != 0)
    return usage_error (_("--format must be png or jpg"));
  if (opts->classes != NULL && opts->data != NULL)
    return usage_error (_("give either --classes or --data, not both"));
  if ((opts->classes != NULL || opts->data != NULL || opts->clip) && !bm_export_target_is_yolo (options.target))
    return usage_error (_("--classes, --data and --clip are for --to yolo or yolo-obb"));
  options.profile = bm_augment_profile_find (opts->profile != NULL ? opts->profile : "ultralytics");
  if (options.profile == NULL)
    return usage_error (_("--profile must be ultralytics, paddle, albumentations or mmdetection"));

  run = bm_augment_export_run_open (opts->sources[0], &options, say, NULL, &error);
  if (run == NULL)
    {
      fprintf (stderr, "boxmark-cli augment: %s\n", error->message);
      return g_error_matches (error, BM_ERROR, BM_ERROR_PARSE) ? BM_CLI_EXIT_USAGE : BM_CLI_EXIT_FAILURE;
    }
  bm_cli_print_dataset_problems ("augment", bm_augment_export_run_get_dataset (run));
  written[0] = bm_export_target_image_folder (options.target);
  written[1] = bm_export_target_label_folder (options.target);
  if (!bm_cli_check_out_outside_source ("augment", opts->out, written, opts->sources[0],
                                        bm_dataset_get_root (bm_augment_export_run_get_dataset (run))))
    return BM_CLI_EXIT_USAGE;
  switch (bm_augment_export_run_write (run, opts->out))
    {
    case BM_AUGMENT_EXPORT_DONE:
      return BM_CLI_EXIT_OK;
    case BM_AUGMENT_EXPORT_PROBLEMS:
      return BM_CLI_EXIT_PROBLEMS;
    case BM_AUGMENT_EXPORT_FAILED:
    default:
      return BM_CLI_EXIT_FAILURE;
    }
}

int
bm_cli_augment (int argc, char **argv)
{
  Options opts = { NULL, 1, 0, NULL, NULL, NULL, NULL, NULL, 95, FALSE, FALSE, NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "ops", 0, 0, G_OPTION_ARG_STRING, &opts.ops, N_("Operations, e.g. \"rotate:deg=-15..15;expand:ratio=1..3;mixup:alpha=1.5\""), N_("SPEC") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &opts.n, N_("Samples per image (default 1)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, N_("Seed; the same seed writes the same bytes (default 0)"), N_("S") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &opts.profile, N_("Framework whose rules move the boxes: ultralytics (default), paddle, albumentations or mmdetection"), N_("NAME") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &opts.to, N_("Output format: voc, dota, yolo or yolo-obb"), N_("FORMAT") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Ordered class list (one name per line) giving YOLO class ids"), N_("FILE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opts.data, N_("Ultralytics data.yaml whose names give YOLO class ids"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format, N_("Image format of the samples: png or jpg (default: the source’s)"), N_("FORMAT") },
    { "quality", 0, 0, G_OPTION_ARG_INT, &opts.quality, N_("JPEG quality, 1 to 100 (default 95)"), N_("Q") },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &opts.clip, N_("Clip YOLO-OBB corners to the image (detect rows are always clipped)"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &opts.force, N_("Replace files of an earlier run in DIR"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder"), N_("DIR") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &opts.shard_text, N_("Only part K of N of the images (see README: datasets larger than one machine)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.sources, NULL, N_("SRC") },
    { NULL }
  };

  if (bm_cli_parse ("augment", NULL,
                    _("Writes N augmented samples of every labelled image in SRC (a dataset folder of any layout, "
                      "or one image), moving the labels as the --profile framework does.\n\n"
                      "--ops: operations separated by ‘;’, each NAME[:KEY=VALUE[,KEY=VALUE…]]. A value A..B is "
                      "drawn uniformly, a single number is used as it is. Every operation takes p (probability, "
                      "default 1).\n"
                      "  rotate      deg (counter-clockwise, -30..30), scale (1), canvas=keep|enlarge|shrink|squeeze, boxes=largest|ellipse\n"
                      "  expand      ratio (1..4)\n"
                      "  mixup       alpha (λ ~ Beta(α, α); default the profile’s), source=random, size (mmdetection img_scale, 640)\n"
                      "  hflip vflip offset=0|1 (x′ = W − x, or W − 1 − x)\n"
                      "  crop        min-scale (0.3)\n"
                      "  scale       range (0.5..1.5)\n"
                      "  hsv         h, s, v gains (default ±0.015, ±0.7, ±0.4)\n"
                      "  brightness contrast  factor (0.5..1.5)\n"
                      "  cutout      holes (at most, 2), size (fraction of the side, 0.1..0.2)\n"
                      "  mosaic letterbox  size (640)\n"
                      "Mixup and mosaic partners are other labelled images of the dataset, chosen by the seed.\n\n"
                      "Output: <stem>_aug<k> in DIR/Annotations + JPEGImages (voc), labelTxt + images (dota), or "
                      "labels + images + data.yaml (yolo, yolo-obb), and DIR/augment/<stem>_aug<k>.augment.txt "
                      "with what was applied. Existing files are never replaced without --force; DIR must lie "
                      "outside SRC.\n\n"
                      "Samples are new images nobody has reviewed: they are never marked verified, not even "
                      "those of a verified image.\n\n"
                      "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                      "2 bad command line, 3 failure."),
                    entries, &argc, &argv) && bm_cli_parse_shard ("augment", opts.shard_text, &opts.shard))
    status = augment_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.ops);
  g_free (opts.profile);
  g_free (opts.to);
  g_free (opts.classes);
  g_free (opts.data);
  g_free (opts.format);
  g_free (opts.out);
  g_free (opts.shard_text);
  g_strfreev (opts.sources);
  return status;
}
