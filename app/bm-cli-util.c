/* bm-cli-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

gboolean
bm_cli_parse_target (const char *name, BmCliTarget *target)
{
  static const struct { const char *name; BmCliTarget target; } names[] = {
    { "voc", BM_CLI_TARGET_VOC }, { "dota", BM_CLI_TARGET_DOTA },
    { "yolo", BM_CLI_TARGET_YOLO }, { "yolo-obb", BM_CLI_TARGET_YOLO_OBB },
  };

  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *target = names[i].target;
        return TRUE;
      }
  return FALSE;
}

int
bm_cli_usage_error (const char *command, const char *message)
{
  g_autofree char *hint = g_strdup_printf (_("Run “boxmark-cli %s --help” for the options."), command);

  fprintf (stderr, "boxmark-cli %s: %s\n%s\n", command, message, hint);
  return BM_CLI_EXIT_USAGE;
}

static char *
real_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *copy;

  if (resolved == NULL)
    return NULL;
  copy = g_strdup (resolved);
  free (resolved);
  return copy;
}

/* Component by component: ".." then means the parent of what the kernel would reach, not of
 * the text before it (link/.. is the link target's parent). */
char *
bm_cli_resolve_path (const char *path)
{
  g_autofree char *cwd = NULL;
  g_autofree char *absolute = NULL;
  g_auto(GStrv) parts = NULL;
  char *current;

  g_return_val_if_fail (path != NULL, NULL);

  cwd = g_get_current_dir ();
  absolute = g_path_is_absolute (path) ? g_strdup (path) : g_build_filename (cwd, path, NULL);
  parts = g_strsplit (absolute, G_DIR_SEPARATOR_S, -1);
  current = g_strdup (G_DIR_SEPARATOR_S);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *next;
      char *resolved;

      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0)
        continue;
      if (strcmp (parts[i], "..") == 0)
        next = g_path_get_dirname (current);
      else
        {
          next = g_build_filename (current, parts[i], NULL);
          /* Below a folder that does not exist nothing does: take the rest as written. */
          resolved = real_path (next);
          if (resolved != NULL)
            {
              g_free (next);
              next = resolved;
            }
        }
      g_free (current);
      current = next;
    }
  return current;
}

static gboolean
resolved_is_inside (const char *path, const char *folder)
{
  gsize n = strlen (folder);

  if (strcmp (folder, G_DIR_SEPARATOR_S) == 0)
    return TRUE;
  return strncmp (path, folder, n) == 0 && (path[n] == '\0' || path[n] == G_DIR_SEPARATOR);
}

gboolean
bm_cli_path_is_inside (const char *path, const char *folder)
{
  g_autofree char *resolved_path = NULL;
  g_autofree char *resolved_folder = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  resolved_path = bm_cli_resolve_path (path);
  resolved_folder = bm_cli_resolve_path (folder);
  return resolved_is_inside (resolved_path, resolved_folder);
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
      g_autofree char *resolved = bm_cli_resolve_path (written);

      for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
        {
          g_autofree char *resolved_source = NULL;
          g_autofree char *message = NULL;

          if (sources[s] == NULL)
            continue;
          resolved_source = bm_cli_resolve_path (sources[s]);
          if (!resolved_is_inside (resolved, resolved_source))
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
