/* bm-export-folder.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "bm-export-folder.h"

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
bm_export_resolve_path (const char *path)
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

gboolean
bm_export_resolved_is_inside (const char *path, const char *folder)
{
  gsize n = strlen (folder);

  if (strcmp (folder, G_DIR_SEPARATOR_S) == 0)
    return TRUE;
  return strncmp (path, folder, n) == 0 && (path[n] == '\0' || path[n] == G_DIR_SEPARATOR);
}

gboolean
bm_export_path_is_inside (const char *path, const char *folder)
{
  g_autofree char *resolved_path = NULL;
  g_autofree char *resolved_folder = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  resolved_path = bm_export_resolve_path (path);
  resolved_folder = bm_export_resolve_path (folder);
  return bm_export_resolved_is_inside (resolved_path, resolved_folder);
}
