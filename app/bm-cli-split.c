/* bm-cli-split.c: boxmark-cli split — images and labels cut into tiles as DOTA_devkit's ImgSplit
 * cuts them (see dataset/bm-dota-split.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "dataset/bm-dota-split.h"
#include "dataset/bm-shard.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

typedef struct
{
  gboolean tty;
  gint64 last_print;       /* monotonic µs of the last "\r" line */
  GCancellable *cancellable;
} Progress;

static volatile sig_atomic_t interrupted;

/* The first Ctrl-C stops after the tiles being written (each file is complete or absent); a
 * second one stops at once. */
static void
on_sigint (int signum)
{
  interrupted = 1;
  signal (SIGINT, SIG_DFL);
}

static void
on_progress (guint64 done, guint64 total, const char *image, gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  if (interrupted && !g_cancellable_is_cancelled (progress->cancellable))
    g_cancellable_cancel (progress->cancellable);
  if (image != NULL)
    {
      fprintf (stderr, progress->tty ? "\r\033[K[%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "] %s\n"
                                     : "[%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "] %s\n",
               done, total, image);
      progress->last_print = now;
    }
  else if (progress->tty && now - progress->last_print > G_USEC_PER_SEC / 10)
    {
      fputs ("\r\033[K", stderr);
      fprintf (stderr, _("%" PRIu64 "/%" PRIu64 " tiles"), done, total);
      progress->last_print = now;
    }
}

static gboolean
parse_rates (char **texts, BmDotaSplitOptions *options)
{
  if (texts == NULL)
    return TRUE;
  options->n_rates = 0;
  for (guint i = 0; texts[i] != NULL; i++)
    {
      char *end = NULL;
      double rate = g_ascii_strtod (texts[i], &end);

      if (end == texts[i] || *end != '\0' || !isfinite (rate) || rate <= 0
          || options->n_rates == G_N_ELEMENTS (options->rates))
        return FALSE;
      options->rates[options->n_rates++] = rate;
    }
  return options->n_rates > 0;
}

static void
print_report (const BmDotaSplitReport *report, const BmShard *shard, const char *out)
{
  for (guint i = 0; i < report->problems->len; i++)
    fprintf (stderr, "%s\n", (char *) report->problems->pdata[i]);
  if (!bm_shard_is_all (shard))
    printf (_("Shard %u/%u: "), shard->index + 1, shard->count);
  printf (g_dngettext (GETTEXT_PACKAGE, "Split %u image into %u tiles in %s", "Split %u images into %u tiles in %s",
                       report->n_images), report->n_images, report->n_image_tiles, out);
  printf (_(": %u label lines (%u objects whole, %u cut, of which %u marked difficult 2).\n"),
          report->n_objects, report->n_whole, report->n_cut, report->n_difficult);
  for (guint i = 0; i < report->renamed->len; i++)
    printf (_("Renamed %s: DOTA class names are one word.\n"), (char *) report->renamed->pdata[i]);
  if (report->n_left_out > 0)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "%u cut part with fewer than 4 or more than 5 corners was left out, as ImgSplit leaves it out.\n",
                         "%u cut parts with fewer than 4 or more than 5 corners were left out, as ImgSplit leaves them out.\n",
                         report->n_left_out), report->n_left_out);
  if (report->n_unsplittable > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u cut part ImgSplit stops on was left out (listed above).\n",
                         "%u cut parts ImgSplit stops on were left out (listed above).\n", report->n_unsplittable),
            report->n_unsplittable);
  if (report->n_unlabelled > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image has no label file: its tiles have none either.\n",
                         "%u images have no label file: their tiles have none either.\n", report->n_unlabelled),
            report->n_unlabelled);
  if (report->n_failed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image was left out (see the problems above).\n",
                         "%u images were left out (see the problems above).\n", report->n_failed), report->n_failed);
}

int
bm_cli_split (int argc, char **argv)
{
  g_autofree char *out = NULL, *shard = NULL;
  g_auto(GStrv) rates = NULL, paths = NULL;
  int size = 1024, gap = 100, threads = 0, png_level = 1;
  double thresh = 0.7;
  GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Tile side in pixels (default 1024)"), N_("PX") },
    { "gap", 0, 0, G_OPTION_ARG_INT, &gap, N_("Overlap of neighbouring tiles in pixels (default 100)"), N_("PX") },
    { "thresh", 0, 0, G_OPTION_ARG_DOUBLE, &thresh, N_("A cut object with no more than this part inside a tile is marked difficult 2 there (default 0.7)"), "T" },
    { "rate", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rates, N_("Scale the images by R first (OpenCV’s bicubic); repeat for several scales (default 1)"), "R" },
    /* xgettext:no-c-format */
    { "png-level", 0, 0, G_OPTION_ARG_INT, &png_level, N_("zlib level of the PNG tiles: 1 (default) writes the very files ImgSplit writes; 0 writes about 20 times faster, files about 40 % larger; 9 is smallest"), "0-9" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Folder for images/ and labelTxt/ (new or empty)"), N_("DIR") },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per CPU); results do not depend on it"), "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard, N_("Split only part K of N of the images; the N parts may share one --out folder (see README: datasets larger than one machine)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, NULL },
    { NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *const subfolders[] = { "images", "labelTxt", NULL };
  BmDotaSplitOptions options;
  BmDotaSplitReport report;
  Progress progress = { isatty (STDERR_FILENO), 0, cancellable };
  gboolean ok;
  int status;

  if (!bm_cli_parse ("split", _("SRC"),
                     _("Cut every image of a dataset (DOTA: images/ and labelTxt/; any layout Boxmark reads) into\n"
                       "overlapping tiles with their labels, as DOTA_devkit’s ImgSplit does: --out gets images/NAME__RATE__LEFT___UP.png\n"
                       "and labelTxt/NAME__RATE__LEFT___UP.txt, byte for byte what ImgSplit writes."),
                     entries, &argc, &argv))
    return BM_CLI_EXIT_USAGE;

  bm_dota_split_options_init (&options);
  if (size <= 0)
    return bm_cli_usage_error ("split", _("--size must be positive"));
  if (gap < 0 || gap >= size)
    return bm_cli_usage_error ("split", _("--gap must be at least 0 and less than --size"));
  if (!(thresh >= 0 && thresh <= 1))
    return bm_cli_usage_error ("split", _("--thresh must lie between 0 and 1"));
  if (!parse_rates (rates, &options))
    return bm_cli_usage_error ("split", _("--rate takes a positive number, at most 8 times"));
  if (threads < 0)
    return bm_cli_usage_error ("split", _("--threads must not be negative"));
  if (png_level < 0 || png_level > 9)
    return bm_cli_usage_error ("split", _("--png-level must lie between 0 and 9"));
  if (out == NULL)
    return bm_cli_usage_error ("split", _("--out DIR is required"));
  if (shard != NULL && !bm_shard_parse (shard, &options.shard, &error))
    return bm_cli_usage_error ("split", error->message);
  if (paths == NULL || paths[0] == NULL || paths[1] != NULL)
    return bm_cli_usage_error ("split", _("give exactly one dataset folder"));
  options.size = size;
  options.gap = gap;
  options.thresh = thresh;
  options.n_threads = (guint) threads;
  options.png_level = png_level;

  if (!g_file_test (paths[0], G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, _("%s: no such folder\n"), paths[0]);
      return BM_CLI_EXIT_FAILURE;
    }
  if (!bm_cli_check_out_outside_source ("split", out, subfolders, paths[0], NULL))
    return BM_CLI_EXIT_USAGE;
  dataset = bm_dataset_open (paths[0], FALSE, &error);
  if (dataset == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }

  signal (SIGINT, on_sigint);
  ok = bm_dota_split (dataset, out, &options, on_progress, &progress, cancellable, &report, &error);
  signal (SIGINT, SIG_DFL);
  if (progress.tty)
    fprintf (stderr, "\r\033[K");
  if (report.problems != NULL)
    print_report (&report, &options.shard, out);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fprintf (stderr, _("boxmark-cli split: interrupted; every file written so far is complete\n"));
      else
        fprintf (stderr, "%s\n", error->message);
      status = BM_CLI_EXIT_FAILURE;
    }
  else
    status = report.problems->len > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
  bm_dota_split_report_clear (&report);
  return status;
}
