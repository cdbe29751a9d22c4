/* boxmark-cli.c: the headless Boxmark. Links no GTK.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "bm-cli.h"

static const BmCliCommand commands[] = {
  { "validate", N_("Check label files and report every problem as FILE:LINE: problem"), bm_cli_validate },
  { "stats", N_("Summarise a dataset: images, labeled, verified, objects per class, problems"), bm_cli_stats },
  { "convert", N_("Convert a dataset between Pascal VOC, DOTA and YOLO"), bm_cli_convert },
  { "detect", N_("Detect objects with an OpenCV cascade, optionally adding them to the labels"), bm_cli_detect },
  { "augment", N_("Write augmented samples with their labels moved as a training framework moves them"), bm_cli_augment },
  { "eval", N_("Measure predictions against the labels: mAP exactly as VOC, DOTA or COCO compute it"), bm_cli_eval },
  { "relabel", N_("Rename, merge or delete a class across a dataset"), bm_cli_relabel },
  { "crop", N_("Write one image per labelled object, for classifier sets and synth"), bm_cli_crop },
  { "synth", N_("Paste object crops onto backgrounds: synthetic images with their labels"), bm_cli_synth },
  { "split", N_("Cut images and DOTA labels into overlapping tiles, as DOTA_devkit’s ImgSplit does"), bm_cli_split },
  { "merge", N_("Merge detections on tiles back onto whole images, as DOTA_devkit’s ResultMerge does"), bm_cli_merge },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: boxmark-cli COMMAND [OPTION…] ARGUMENTS"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “boxmark-cli COMMAND --help” for a command’s options."));
}

gboolean
bm_cli_parse (const char *command, const char *parameter, const char *summary,
              GOptionEntry *entries, int *argc, char ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("boxmark-cli %s", command);

  g_set_prgname (name);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "boxmark-cli %s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* An uninstalled build finds its translations through BOXMARK_LOCALEDIR (build/po; set by
   * `meson devenv` and the tests). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BOXMARK_LOCALEDIR") != NULL ? g_getenv ("BOXMARK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? BM_CLI_EXIT_USAGE : BM_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("boxmark-cli %s\n", PACKAGE_VERSION);
      return BM_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("boxmark-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return BM_CLI_EXIT_USAGE;
}
