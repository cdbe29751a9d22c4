/* bm-cli-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "dataset/bm-export-folder.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

gboolean
bm_cli_parse_target (const char *name, BmCliTarget *target)
{
  return bm_export_target_from_string (name, target);
}

void
bm_cli_print_problem (const BmProblem *problem)
{
  g_autofree char *text = bm_problem_to_string (problem);

  fprintf (stderr, "%s\n", text);
}

guint
bm_cli_print_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    bm_cli_print_problem (problems->pdata[i]);
  return problems->len;
}

int
bm_cli_usage_error (const char *command, const char *message)
{
  g_autofree char *hint = g_strdup_printf (_("Run “boxmark-cli %s --help” for the options."), command);

  fprintf (stderr, "boxmark-cli %s: %s\n%s\n", command, message, hint);
  return BM_CLI_EXIT_USAGE;
}

gboolean
bm_cli_check_out_outside_source (const char *command, const char *out, const char *const *subfolders,
                                 const char *source, const char *root)
{
  const char *const sources[] = { source, root };
  guint n_written = 1 + (subfolders != NULL ? g_strv_length ((char **) subfolders) : 0);

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  for (guint w = 0; w < n_written; w++)
    {
      g_autofree char *written = w == 0 ? g_strdup (out) : g_build_filename (out, subfolders[w - 1], NULL);
      g_autofree char *resolved = bm_export_resolve_path (written);

      for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
        {
          g_autofree char *resolved_source = NULL;
          g_autofree char *message = NULL;

          if (sources[s] == NULL)
            continue;
          resolved_source = bm_export_resolve_path (sources[s]);
          if (!bm_export_resolved_is_inside (resolved, resolved_source))
            continue;
          message = g_strdup_printf (_("--out must lie outside the source dataset, but %s (that is %s) lies in %s; "
                                       "choose another folder (a later run would read what is written there "
                                       "as source data). Nothing was written."),
                                     written, resolved, resolved_source);
          bm_cli_usage_error (command, message);
          return FALSE;
        }
    }
  return TRUE;
}

#define MAX_EXISTING_NAMED 5

gboolean
bm_cli_check_existing (const char *command, GPtrArray *existing, gboolean force, const char *out)
{
  g_return_val_if_fail (command != NULL && existing != NULL && out != NULL, FALSE);

  if (existing->len == 0)
    return TRUE;
  if (force)
    {
      for (guint i = 0; i < existing->len; i++)
        if (g_file_test (existing->pdata[i], G_FILE_TEST_IS_SYMLINK))
          {
            fprintf (stderr, _("boxmark-cli %s: %s is a symbolic link; it is not written through (remove it first). "
                               "Nothing was written.\n"), command, (char *) existing->pdata[i]);
            return FALSE;
          }
      return TRUE;
    }
  for (guint i = 0; i < existing->len && i < MAX_EXISTING_NAMED; i++)
    fprintf (stderr, _("%s: already exists\n"), (char *) existing->pdata[i]);
  if (existing->len > MAX_EXISTING_NAMED)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "… and %u more file\n", "… and %u more files\n", existing->len - MAX_EXISTING_NAMED),
             existing->len - MAX_EXISTING_NAMED);
  fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Nothing was written: %u file already exists in %s (use --force to replace it, or choose another folder).\n",
                             "Nothing was written: %u files already exist in %s (use --force to replace them, or choose another folder).\n", existing->len),
           existing->len, out);
  return FALSE;
}

void
bm_cli_print_dataset_problems (const char *command, gpointer dataset)
{
  GPtrArray *problems = bm_dataset_get_problems (dataset);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (g_ptr_array_index (problems, i));

      fprintf (stderr, "boxmark-cli %s: %s\n", command, text);
    }
}

void
bm_cli_print_json_string (const char *s)
{
  putchar ('"');
  for (; *s != '\0'; s++)
    {
      unsigned char c = (unsigned char) *s;

      if (c == '"' || c == '\\')
        printf ("\\%c", c);
      else if (c < 0x20)
        printf ("\\u%04x", c);
      else
        putchar (c);
    }
  putchar ('"');
}

gboolean
bm_cli_parse_shard (const char *command, const char *text, BmShard *shard)
{
  g_autoptr(GError) error = NULL;

  *shard = BM_SHARD_ALL;
  if (text == NULL || bm_shard_parse (text, shard, &error))
    return TRUE;
  bm_cli_usage_error (command, error->message);
  return FALSE;
}
