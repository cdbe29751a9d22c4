/* bm-cli-synth.c: boxmark-cli synth — object crops pasted onto backgrounds (dataset/bm-synth).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-problem.h"
#include "dataset/bm-shard.h"
#include "dataset/bm-synth.h"
#include "formats/bm-class-list.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

#define MAX_IMAGES 100000000
#define MAX_PER_IMAGE 10000

typedef struct
{
  char *objects;
  char *backgrounds;
  int n;
  char *per_image;
  double rotate;
  char *scale;
  char *blend;
  gint64 seed;
  char *to;
  char *classes;
  char *data;
  char *format;
  int quality;
  gboolean force;
  int threads;
  char *shard;
  char *out;
  char **rest;
} Options;

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("synth", message);
}

/* "A..B" or "A". */
static gboolean
parse_range (const char *text, double *lo, double *hi)
{
  g_auto(GStrv) parts = NULL;
  char *end = NULL;

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, "..", 2);
  *lo = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end != '\0' || !isfinite (*lo))
    return FALSE;
  if (parts[1] == NULL)
    {
      *hi = *lo;
      return TRUE;
    }
  *hi = g_ascii_strtod (parts[1], &end);
  return end != parts[1] && *end == '\0' && isfinite (*hi) && *lo <= *hi;
}

static int
synth_with_options (Options *opts)
{
  g_autoptr(GPtrArray) existing = NULL;
  BmSynthOptions options;
  BmCliTarget target;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmSynth) synth = NULL;
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  BmSynthReport report = { 0 };
  double per_lo = 1, per_hi = 1;
  guint n_problems;

  bm_synth_options_init (&options);
  if (opts->rest != NULL && opts->rest[0] != NULL)
    return usage_error (_("synth takes no other arguments: give --objects, --backgrounds and --out"));
  if (opts->objects == NULL || opts->backgrounds == NULL || opts->out == NULL)
    return usage_error (_("--objects, --backgrounds and --out are required"));
  if (opts->to == NULL || !bm_cli_parse_target (opts->to, &target))
    return usage_error (_("--to must be voc, dota, yolo or yolo-obb"));
  if (opts->n < 1 || opts->n > MAX_IMAGES)
    return usage_error (_("-n must be from 1 to 100,000,000"));
  if (!parse_range (opts->per_image, &per_lo, &per_hi) || per_lo < 0 || per_hi > MAX_PER_IMAGE
      || per_lo != floor (per_lo) || per_hi != floor (per_hi))
    return usage_error (_("--per-image must be whole numbers A..B with 0 ≤ A ≤ B ≤ 10000"));
  if (!parse_range (opts->scale, &options.scale[0], &options.scale[1]) || options.scale[0] <= 0 || options.scale[1] > 100)
    return usage_error (_("--scale must be A..B with 0 < A ≤ B ≤ 100"));
  if (!isfinite (opts->rotate) || opts->rotate < 0 || opts->rotate > 180)
    return usage_error (_("--rotate must be from 0 to 180 degrees"));
  if (opts->blend != NULL && strcmp (opts->blend, "none") != 0 && strcmp (opts->blend, "feather") != 0)
    return usage_error (_("--blend must be none or feather"));
  if (opts->seed < 0)
    return usage_error (_("--seed must not be negative"));
  if (opts->quality < 1 || opts->quality > 100)
    return usage_error (_("--quality must be from 1 to 100"));
  if (opts->format != NULL && g_ascii_strcasecmp (opts->format, "png") != 0
      && g_ascii_strcasecmp (opts->format, "jpg") != 0 && g_ascii_strcasecmp (opts->format, "jpeg") != 0)
    return usage_error (_("--format must be png or jpg"));
  if (opts->classes != NULL && opts->data != NULL)
    return usage_error (_("give either --classes or --data, not both"));
  if ((opts->classes != NULL || opts->data != NULL) && target != BM_CLI_TARGET_YOLO && target != BM_CLI_TARGET_YOLO_OBB)
    return usage_error (_("--classes and --data are for --to yolo or yolo-obb"));
  if (opts->shard != NULL && !bm_shard_parse (opts->shard, &options.shard, &error))
    return usage_error (error->message);
  if (!bm_cli_check_out_outside_source ("synth", opts->out, NULL, opts->objects, NULL)
      || !bm_cli_check_out_outside_source ("synth", opts->out, NULL, opts->backgrounds, NULL))
    return BM_CLI_EXIT_USAGE;
  if (opts->classes != NULL || opts->data != NULL)
    {
      classes = bm_class_list_load (opts->classes != NULL ? opts->classes : opts->data, &error);
      if (classes == NULL)
        {
          fprintf (stderr, "boxmark-cli synth: %s\n", error->message);
          return BM_CLI_EXIT_FAILURE;
        }
    }

  options.n_images = (guint) opts->n;
  options.per_image[0] = (guint) per_lo;
  options.per_image[1] = (guint) per_hi;
  options.rotate = opts->rotate;
  options.feather = opts->blend != NULL && strcmp (opts->blend, "feather") == 0;
  options.seed = (guint64) opts->seed;
  options.format = (BmSynthFormat) target;
  options.image_format = opts->format;
  options.quality = opts->quality;
  options.classes = classes;

  synth = bm_synth_new (opts->objects, opts->backgrounds, &options, problems, &error);
  n_problems = bm_cli_print_problems (problems);
  g_ptr_array_set_size (problems, 0);
  if (synth == NULL)
    {
      fprintf (stderr, "boxmark-cli synth: %s\n", error->message);
      return error->code == BM_ERROR_NOT_FOUND && classes != NULL ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
    }
  printf (_("Objects: %u classes from %s; %u backgrounds from %s; seed %" PRId64 ".\n"),
          bm_synth_get_n_classes (synth), opts->objects, bm_synth_get_n_backgrounds (synth), opts->backgrounds, opts->seed);
  for (guint c = 0; c < bm_synth_get_n_classes (synth); c++)
    printf ("  %s: %u\n", bm_synth_get_class_name (synth, c), bm_synth_get_class_crops (synth, c));
  fflush (stdout);
  existing = bm_synth_find_existing (synth, opts->out);
  if (!bm_cli_check_existing ("synth", existing, opts->force, opts->out))
    return BM_CLI_EXIT_FAILURE;

  if (!bm_synth_run (synth, opts->out, (guint) MAX (opts->threads, 0), problems, &report, &error))
    {
      bm_cli_print_problems (problems);
      fprintf (stderr, "boxmark-cli synth: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  n_problems += bm_cli_print_problems (problems);
  if (report.n_not_placed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u object found no room on its background and was left out (see the sidecars).\n",
                         "%u objects found no room on their backgrounds and were left out (see the sidecars).\n",
                         report.n_not_placed), report.n_not_placed);
  if (report.n_failed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image could not be made (see above).\n",
                         "%u images could not be made (see above).\n", report.n_failed), report.n_failed);
  if (!bm_shard_is_all (&options.shard))
    printf (_("Shard %u/%u: "), options.shard.index + 1, options.shard.count);
  printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u image with %u objects to %s (%s).\n",
                       "Wrote %u images with %u objects to %s (%s).\n", report.n_images),
          report.n_images, report.n_objects, opts->out, opts->to);
  return n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}

int
bm_cli_synth (int argc, char **argv)
{
  Options opts = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "objects", 0, 0, G_OPTION_ARG_FILENAME, &opts.objects, N_("Objects: a folder per class, as crop writes them"), N_("DIR") },
    { "backgrounds", 0, 0, G_OPTION_ARG_FILENAME, &opts.backgrounds, N_("Images to paste onto (all below DIR)"), N_("DIR") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &opts.n, N_("Images to make"), N_("N") },
    { "per-image", 0, 0, G_OPTION_ARG_STRING, &opts.per_image, N_("Objects per image, drawn from A..B (default 1)"), N_("A..B") },
    { "rotate", 0, 0, G_OPTION_ARG_DOUBLE, &opts.rotate, N_("Turn each object by up to ±D degrees"), N_("D") },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &opts.scale, N_("Scale each object by A..B (default 1)"), N_("A..B") },
    { "blend", 0, 0, G_OPTION_ARG_STRING, &opts.blend, N_("Edges: none (default) or feather"), N_("MODE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, N_("Seed; the same seed writes the same bytes (default 0)"), N_("S") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &opts.to, N_("Label format: voc, dota, yolo or yolo-obb"), N_("FORMAT") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Ordered class list giving YOLO class ids"), N_("FILE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opts.data, N_("Ultralytics data.yaml whose names give YOLO class ids"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format, N_("Image format: png or jpg (default: the background’s)"), N_("FORMAT") },
    { "quality", 0, 0, G_OPTION_ARG_INT, &opts.quality, N_("JPEG quality, 1 to 100 (default 95)"), N_("Q") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &opts.force, N_("Replace files of an earlier run in DIR"), NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &opts.threads, N_("Worker threads (default: one per core)"), N_("N") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &opts.shard, N_("Make only part K of N of the images (see README: datasets larger than one machine)"), N_("K/N") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.rest, NULL, NULL },
    { NULL }
  };

  opts.n = 1;
  opts.quality = 95;
  if (bm_cli_parse ("synth", NULL,
                    _("Pastes object crops (a folder per class, as boxmark-cli crop writes them) onto background "
                      "images at random places where they overlap nothing and stay whole on the canvas, each "
                      "scaled by --scale and turned by up to --rotate degrees, and writes the images with their "
                      "labels: a turned box becomes a rotated box (VOC robndbox, DOTA quadrilateral, YOLO-OBB) "
                      "or, in YOLO detect rows, its enclosing box.\n\n"
                      "Transparent pixels and near-black corners of a crop are not pasted; --blend feather "
                      "softens the edges. Image i (DIR/…/synth_<i>) is drawn from the seed and i alone, so the "
                      "same seed writes the same bytes, and shards together write what one run writes. "
                      "DIR/synth/synth_<i>.synth.txt records the background and every placement.\n\n"
                      "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                      "2 bad command line, 3 failure."),
                    entries, &argc, &argv))
    status = synth_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.objects);
  g_free (opts.backgrounds);
  g_free (opts.per_image);
  g_free (opts.scale);
  g_free (opts.blend);
  g_free (opts.to);
  g_free (opts.classes);
  g_free (opts.data);
  g_free (opts.format);
  g_free (opts.shard);
  g_free (opts.out);
  g_strfreev (opts.rest);
  return status;
}
