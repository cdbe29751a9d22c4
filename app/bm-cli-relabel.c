/* bm-cli-relabel.c: boxmark-cli relabel --rename OLD=NEW | --delete NAME [--dry-run]
 * [--shard K/N] DIR — the class manager of dataset/bm-relabel.h on the command line.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "dataset/bm-relabel.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

/* A reason that already names its file (from a format's error) is printed as it is. */
static void
print_file_reason (const BmRelabelFile *file)
{
  if (g_str_has_prefix (file->reason, file->path) && file->reason[strlen (file->path)] == ':')
    printf ("  %s\n", file->reason);
  else
    printf ("  %s: %s\n", file->path, file->reason);
}

static void
print_report (const BmRelabelReport *report)
{
  for (guint i = 0; i < report->changed->len; i++)
    {
      const BmRelabelFile *file = g_ptr_array_index (report->changed, i);

      printf ("%s: ", file->path);
      if (file->n_objects > 0)
        printf (ngettext ("%u object", "%u objects", file->n_objects), file->n_objects);
      if (file->n_objects > 0 && file->n_renumbered > 0)
        printf (", ");
      if (file->n_renumbered > 0)
        printf (ngettext ("%u id of another class renumbered", "%u ids of other classes renumbered",
                          file->n_renumbered), file->n_renumbered);
      putchar ('\n');
    }
  for (guint i = 0; i < report->class_files->len; i++)
    {
      const BmRelabelFile *file = g_ptr_array_index (report->class_files, i);

      printf ("%s: %s\n", file->path, file->reason);
    }
  if (report->skipped->len > 0)
    {
      printf ("%s\n", report->dry_run ? _("Would be skipped:") : _("Skipped (left as they were):"));
      for (guint i = 0; i < report->skipped->len; i++)
        print_file_reason (g_ptr_array_index (report->skipped, i));
    }
  for (guint i = 0; i < report->notes->len; i++)
    printf ("%s\n", (char *) g_ptr_array_index (report->notes, i));
  if (report->dry_run)
    printf (_("Dry run: would change %u label files (%u objects) and %u class files; %u skipped. Nothing was written.\n"),
            report->changed->len, report->n_objects, report->class_files->len, report->skipped->len);
  else
    printf (_("Changed %u label files (%u objects) and %u class files; %u skipped.\n"),
            report->changed->len, report->n_objects, report->class_files->len, report->skipped->len);
}

int
bm_cli_relabel (int argc, char **argv)
{
  g_autofree char *rename = NULL;
  g_autofree char *delete = NULL;
  g_auto(GStrv) paths = NULL;
  g_autofree char *shard_text = NULL;
  BmShard shard = BM_SHARD_ALL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "rename", 'r', 0, G_OPTION_ARG_STRING, &rename, N_("Rename class OLD to NEW (merged into NEW when NEW is a class already)"), N_("OLD=NEW") },
    { "delete", 'd', 0, G_OPTION_ARG_STRING, &delete, N_("Delete every object of class NAME and its class-file entry"), N_("NAME") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("List the files that would change; write nothing"), NULL },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text, N_("Only the label files of part K of N of the images (not for a YOLO merge or delete)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("DIR") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmRelabelReport) report = NULL;
  g_autofree char *old_name = NULL;
  const char *new_name = NULL;

  if (!bm_cli_parse ("relabel", _("DIR"),
                     _("Renames, merges or deletes a class in every label file and class file of a dataset.\n"
                       "Only the changed names, ids and objects are rewritten, each file atomically; files\n"
                       "with problems, read-only files and files changed meanwhile are skipped and listed."),
                     entries, &argc, &argv) || !bm_cli_parse_shard ("relabel", shard_text, &shard))
    return BM_CLI_EXIT_USAGE;
  if ((rename == NULL) == (delete == NULL))
    return bm_cli_usage_error ("relabel", _("give exactly one of --rename OLD=NEW and --delete NAME"));
  if (paths == NULL || paths[0] == NULL || paths[1] != NULL)
    return bm_cli_usage_error ("relabel", _("name exactly one dataset folder"));
  if (!g_file_test (paths[0], G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, _("boxmark-cli relabel: %s is not a folder\n"), paths[0]);
      return BM_CLI_EXIT_FAILURE;
    }
  if (rename != NULL)
    {
      /* OLD=NEW: split at the first “=” (class names hardly ever hold one) */
      char *equals = strchr (rename, '=');

      if (equals == NULL || equals == rename || equals[1] == '\0')
        return bm_cli_usage_error ("relabel", _("--rename takes OLD=NEW"));
      old_name = g_strndup (rename, equals - rename);
      new_name = equals + 1;
    }
  else
    old_name = g_strdup (delete);

  dataset = bm_dataset_open (paths[0], TRUE, &error);
  if (dataset == NULL)
    {
      fprintf (stderr, "boxmark-cli relabel: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  report = bm_relabel_full (dataset, old_name, new_name, dry_run, &shard, NULL, &error);
  if (report == NULL)
    {
      fprintf (stderr, "boxmark-cli relabel: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  if (new_name == NULL)
    printf (_("Deleting class “%s” in %s\n"), old_name, paths[0]);
  else if (report->merge)
    printf (_("Merging class “%s” into “%s” in %s\n"), old_name, new_name, paths[0]);
  else
    printf (_("Renaming class “%s” to “%s” in %s\n"), old_name, new_name, paths[0]);
  print_report (report);
  return report->skipped->len > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}
