/* bm-cli-convert.c: boxmark-cli convert — VOC, DOTA and YOLO datasets into each other. The work
 * is bm_dataset_export's (dataset/), which the window's exports call too.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "dataset/bm-dataset-export.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

typedef struct
{
  char *to;
  char *from;
  char *classes;
  char *data;
  double val_fraction;
  int seed;
  gboolean copy;
  gboolean clip;
  char *out;
  char **sources;
  char *shard_text;
  BmShard shard;
} Options;

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("convert", message);
}

/* A YOLO source already has ids: keep them rather than renumber. */
static const char *
classes_file (const Options *opts, BmDataset *dataset, BmFormat from)
{
  if (opts->classes != NULL || opts->data != NULL)
    return opts->classes != NULL ? opts->classes : opts->data;
  return from == BM_FORMAT_YOLO ? bm_dataset_get_class_file (dataset) : NULL;
}

static int
convert_with_options (Options *opts)
{
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmDatasetExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  BmDatasetExportOptions options;
  BmCliTarget target;
  BmFormat from = BM_FORMAT_NONE;

  if (opts->to == NULL)
    return usage_error (_("--to is required"));
  if (bm_cli_convert_is_coco (opts->to, opts->from))
    {
      if (opts->out == NULL || opts->sources == NULL || opts->sources[0] == NULL || opts->sources[1] != NULL)
        return usage_error (_("give --out and one source"));
      return bm_cli_convert_coco (opts->to, opts->from, opts->classes != NULL ? opts->classes : opts->data,
                                  opts->copy, opts->out, opts->sources[0]);
    }
  if (!bm_cli_parse_target (opts->to, &target))
    return usage_error (_("--to must be voc, dota, yolo or yolo-obb"));
  if (opts->from != NULL && !bm_format_from_string (opts->from, &from))
    return usage_error (_("--from must be voc, dota or yolo"));
  if (opts->out == NULL)
    return usage_error (_("--out is required"));
  if (opts->sources == NULL || opts->sources[0] == NULL)
    return usage_error (_("the source dataset SRC is missing"));
  if (opts->sources[1] != NULL)
    return usage_error (_("only one source dataset can be converted at a time"));
  if (opts->classes != NULL && opts->data != NULL)
    return usage_error (_("give either --classes or --data, not both"));
  if (opts->val_fraction != -1 && (opts->val_fraction < 0 || opts->val_fraction >= 1))
    return usage_error (_("--val-fraction must be at least 0 and below 1"));
  if (opts->seed < 0)
    return usage_error (_("--seed must not be negative"));
  if ((opts->classes != NULL || opts->data != NULL || opts->val_fraction != -1 || opts->clip)
      && !bm_export_target_is_yolo (target))
    return usage_error (_("--classes, --data, --val-fraction and --clip are for --to yolo or yolo-obb"));

  dataset = bm_dataset_open (opts->sources[0], TRUE, &error);
  if (dataset == NULL)
    {
      fprintf (stderr, "boxmark-cli convert: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  bm_cli_print_dataset_problems ("convert", dataset);
  if (!bm_cli_check_out_outside_source ("convert", opts->out, NULL, opts->sources[0], bm_dataset_get_root (dataset)))
    return BM_CLI_EXIT_USAGE;
  printf (_("Reading %s: %s layout, %s labels, %u images.\n"), opts->sources[0],
          bm_layout_to_string (bm_dataset_get_layout (dataset)),
          bm_format_to_string (opts->from != NULL ? from : bm_dataset_get_format (dataset)),
          bm_dataset_get_n_items (dataset) - bm_dataset_get_n_orphans (dataset));
  fflush (stdout);

  bm_dataset_export_options_init (&options, target);
  options.from = from;
  options.classes_file = classes_file (opts, dataset, opts->from != NULL ? from : bm_dataset_get_format (dataset));
  options.val_fraction = opts->val_fraction;
  options.seed = (guint) opts->seed;
  options.copy = opts->copy;
  options.clip = opts->clip;
  options.shard = opts->shard;
  result = bm_dataset_export (dataset, opts->out, &options);
  for (guint i = 0; i < result->problems->len; i++)
    fprintf (stderr, "%s\n", (char *) result->problems->pdata[i]);
  if (result->error != NULL)
    {
      fprintf (stderr, "%s\n", result->error->message);
      return result->stopped_by_data ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
    }
  summary = bm_dataset_export_result_summary (result);
  fputs (summary, stdout);
  return result->n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}

int
bm_cli_convert (int argc, char **argv)
{
  Options opts = { NULL, NULL, NULL, NULL, -1, 0, FALSE, FALSE, NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &opts.to, N_("Output format: voc, dota, yolo, yolo-obb or coco"), N_("FORMAT") },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &opts.from, N_("Input label format when the layout is ambiguous: voc, dota or yolo; coco reads a COCO instances .json"), N_("FORMAT") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Ordered class list (one name per line) giving YOLO class ids"), N_("FILE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opts.data, N_("Ultralytics data.yaml whose names give YOLO class ids"), N_("FILE") },
    { "val-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &opts.val_fraction, N_("Fraction of images for val (default: keep the source’s splits, else 0.2)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &opts.seed, N_("Seed of the deterministic train/val split (default 0)"), N_("S") },
    { "copy", 0, 0, G_OPTION_ARG_NONE, &opts.copy, N_("Copy images instead of hard-linking (or symlinking) them"), NULL },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &opts.clip, N_("Clip YOLO-OBB corners to the image (detect rows are always clipped)"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder (new or empty)"), N_("DIR") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &opts.shard_text, N_("Only part K of N of the images; the shards may share DIR (see README: datasets larger than one machine)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.sources, NULL, NULL },
    { NULL }
  };
  if (bm_cli_parse ("convert", _("--to FORMAT --out DIR SRC"),
                     _("Converts the dataset in SRC (Pascal VOC, DOTA or YOLO, found from its layout) "
                       "into a new folder.\n\n"
                       "  --to voc       Annotations/*.xml + JPEGImages/ (VOC files are copied byte for byte)\n"
                       "  --to dota      labelTxt/*.txt + images/\n"
                       "  --to yolo      Ultralytics: images/{train,val}, labels/{train,val}, data.yaml\n"
                       "  --to yolo-obb  the same with 4-corner OBB rows\n"
                       "  --to coco      annotations/instances.json + images/ (--from coco reads one)\n\n"
                       "YOLO class ids come from --classes or --data, from a YOLO source’s own list, or else "
                       "from every label sorted (printed and written to data.yaml and classes.txt). "
                       "A label missing from a given list is an error; ids are never renumbered silently. "
                       "Labelled images without objects get an empty .txt; images never labelled are left "
                       "out (Ultralytics would train on them as background). Detect rows are clipped to the "
                       "image; rotated boxes become their enclosing box.\n\n"
                       "Verified images stay verified: VOC keeps the mark in the XML, DOTA and YOLO in a "
                       ".boxmark-verified file in each label folder. Label files without an image are copied "
                       "as they are (into the same format only), in their subfolders; each one left out is "
                       "named. OUT must be new or empty and lie outside SRC.\n\n"
                       "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                       "2 bad command line, 3 failure."),
                     entries, &argc, &argv) && bm_cli_parse_shard ("convert", opts.shard_text, &opts.shard))
    status = convert_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.to);
  g_free (opts.from);
  g_free (opts.classes);
  g_free (opts.data);
  g_free (opts.out);
  g_free (opts.shard_text);
  g_strfreev (opts.sources);
  return status;
}
