/* bm-dataset-root.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-dataset-root.h"

/* How far above the image's folder a dataset root can be: ROOT/images/train/sub/x.jpg. */
#define MAX_LEVELS_UP 3

static gboolean
has_child_dir_named (const char *dir, const char *const *names)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    for (guint i = 0; names[i] != NULL; i++)
      if (g_ascii_strcasecmp (name, names[i]) == 0)
        {
          g_autofree char *child = g_build_filename (dir, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            return TRUE;
        }
  return FALSE;
}

static const char *const split_names[] = { "train", "valid", "val", "test", NULL };

/* Whether @dir looks like the root of a layout with a label folder of its own (cheap: one or
 * two folder listings); the dataset scan then decides. */
static gboolean
looks_like_layout_root (const char *dir)
{
  static const char *const label_dirs[] = { "Annotations", "labelTxt", "labels", NULL };

  if (has_child_dir_named (dir, label_dirs))
    return TRUE;
  for (guint i = 0; split_names[i] != NULL; i++)
    {
      g_autofree char *split = g_build_filename (dir, split_names[i], NULL);
      static const char *const labels[] = { "labels", NULL };

      if (g_file_test (split, G_FILE_TEST_IS_DIR) && has_child_dir_named (split, labels))
        return TRUE;
    }
  return FALSE;
}

/* The dataset at @dir when it lists @image_path (read recursively when needed). */
static BmDataset *
open_listing (const char *dir, const char *image_path, gboolean recursive, int *index)
{
  for (int pass = recursive ? 1 : 0; pass < 2; pass++)
    {
      g_autoptr(BmDataset) dataset = bm_dataset_open (dir, pass == 1, NULL);

      if (dataset == NULL)
        return NULL;
      *index = bm_dataset_find_image (dataset, image_path);
      if (*index >= 0)
        return g_steal_pointer (&dataset);
    }
  return NULL;
}

BmDataset *
bm_dataset_open_for_image (const char *image_path, gboolean recursive, int *index, GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *dir = NULL;
  BmDataset *dataset;
  int found = -1;

  g_return_val_if_fail (image_path != NULL, NULL);

  if (!g_file_test (image_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file"), image_path);
      return NULL;
    }
  canonical = g_canonicalize_filename (image_path, NULL);
  dir = g_path_get_dirname (canonical);
  for (int level = 0; level <= MAX_LEVELS_UP; level++)
    {
      char *parent;

      if (looks_like_layout_root (dir) && (dataset = open_listing (dir, canonical, recursive, &found)) != NULL)
        {
          /* Roboflow's split (ROOT/valid/images + labels) is a dataset of its own, but ROOT
           * (with data.yaml and the other splits) is the one the user works on */
          g_autofree char *base = g_path_get_basename (dir);
          g_autofree char *up = g_path_get_dirname (dir);
          BmDataset *whole;
          int whole_index = -1;

          if (g_strv_contains (split_names, base) && looks_like_layout_root (up)
              && (whole = open_listing (up, canonical, recursive, &whole_index)) != NULL)
            {
              g_object_unref (dataset);
              dataset = whole;
              found = whole_index;
            }
          if (index != NULL)
            *index = found;
          return dataset;
        }
      parent = g_path_get_dirname (dir);
      if (strcmp (parent, dir) == 0)
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }

  /* no layout lists it: the image's own folder, labels beside it */
  dataset = bm_dataset_open (canonical, recursive, error);
  if (dataset != NULL && index != NULL)
    *index = bm_dataset_find_image (dataset, canonical);
  return dataset;
}
