/* bm-cli-validate.c: boxmark-cli validate PATH...
 *
 * Prints one "FILE:LINE: problem" per problem; exit 1 when there is any.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "dataset/bm-dataset-scan.h"
#include "dataset/bm-dataset-validate.h"
#include "bm-cli.h"

static void
validate_item (BmDataset *dataset, const BmDatasetItem *item, BmAnnotation *annotation,
               const GError *error, gpointer user_data)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  bm_dataset_validator_check (user_data, dataset, item, annotation, error, lines);
  for (guint i = 0; i < lines->len; i++)
    printf ("%s\n", (char *) lines->pdata[i]);
}

int
bm_cli_validate (int argc, char **argv)
{
  gboolean no_recursive = FALSE, yolo_strict = FALSE;
  int threads = 0;
  g_auto(GStrv) paths = NULL;
  GOptionEntry entries[] = {
    { "no-recursive", 0, 0, G_OPTION_ARG_NONE, &no_recursive, N_("Do not look into subfolders"), NULL },
    { "yolo-strict", 0, 0, G_OPTION_ARG_NONE, &yolo_strict,
      N_("Check YOLO label files against Ultralytics’ own rules (a bad row makes it ignore the image)"), NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per core)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("PATH…") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDatasetValidator) validator = NULL;
  guint n_files, n_problems;

  if (!bm_cli_parse ("validate", _("PATH…"),
                     _("Checks every label file under the paths (Pascal VOC, DOTA, YOLO) and prints\n"
                       "one line per problem as FILE:LINE: problem. Exit status 1 when any."),
                     entries, &argc, &argv))
    return BM_CLI_EXIT_USAGE;
  if (paths == NULL || paths[0] == NULL)
    {
      fprintf (stderr, "%s\n", _("boxmark-cli validate: name at least one folder or label file"));
      return BM_CLI_EXIT_USAGE;
    }
  if (threads <= 0)
    threads = (int) g_get_num_processors ();
  validator = bm_dataset_validator_new (yolo_strict);

  if (!bm_dataset_scan ((const char *const *) paths, !no_recursive, (guint) threads,
                    validate_item, validator, &error))
    {
      fprintf (stderr, "boxmark-cli validate: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  fflush (stdout);
  n_files = bm_dataset_validator_get_n_files (validator);
  n_problems = bm_dataset_validator_get_n_problems (validator);
  fprintf (stderr, ngettext ("%u label file checked, ", "%u label files checked, ", n_files), n_files);
  fprintf (stderr, ngettext ("%u problem\n", "%u problems\n", n_problems), n_problems);
  return n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}
