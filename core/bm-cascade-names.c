/* bm-cascade-names.c: short names for the cascades of Debian's opencv-data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-file-util.h"
#include "bm-cascade-names.h"

#ifndef BM_OPENCV_DATA_DIR
#define BM_OPENCV_DATA_DIR "/usr/share/opencv4"
#endif

static const char *const names[] = {
  "face", "face-alt", "face-alt2", "face-alt-tree", "face-lbp", "face-lbp-classic", "profile",
  "profile-lbp", "eye", "eye-glasses", "left-eye", "right-eye", "smile", "fullbody", "upperbody",
  "lowerbody", "cat", "cat-extended", "cat-lbp", "plate", "plate-16stages", "silverware", NULL,
};

/* In the order of names[]. */
static const char *const files[] = {
  "haarcascades/haarcascade_frontalface_default.xml",
  "haarcascades/haarcascade_frontalface_alt.xml",
  "haarcascades/haarcascade_frontalface_alt2.xml",
  "haarcascades/haarcascade_frontalface_alt_tree.xml",
  "lbpcascades/lbpcascade_frontalface_improved.xml",
  "lbpcascades/lbpcascade_frontalface.xml",
  "haarcascades/haarcascade_profileface.xml",
  "lbpcascades/lbpcascade_profileface.xml",
  "haarcascades/haarcascade_eye.xml",
  "haarcascades/haarcascade_eye_tree_eyeglasses.xml",
  "haarcascades/haarcascade_lefteye_2splits.xml",
  "haarcascades/haarcascade_righteye_2splits.xml",
  "haarcascades/haarcascade_smile.xml",
  "haarcascades/haarcascade_fullbody.xml",
  "haarcascades/haarcascade_upperbody.xml",
  "haarcascades/haarcascade_lowerbody.xml",
  "haarcascades/haarcascade_frontalcatface.xml",
  "haarcascades/haarcascade_frontalcatface_extended.xml",
  "lbpcascades/lbpcascade_frontalcatface.xml",
  "haarcascades/haarcascade_russian_plate_number.xml",
  "haarcascades/haarcascade_licence_plate_rus_16stages.xml",
  "lbpcascades/lbpcascade_silverware.xml",
};

G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (files) + 1);

const char *const *
bm_cascade_names_list (void)
{
  return names;
}

const char *
bm_cascade_names_data_dir (void)
{
  const char *dir = g_getenv ("BM_OPENCV_DATA");

  return dir != NULL && *dir != '\0' ? dir : BM_OPENCV_DATA_DIR;
}

char *
bm_cascade_names_resolve (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (strcmp (name, names[i]) == 0)
      return g_build_filename (bm_cascade_names_data_dir (), files[i], NULL);
  return NULL;
}

char *
bm_cascade_names_resolve_argument (const char *value, char **default_label, GError **error)
{
  g_autoptr(GString) known = NULL;
  char *path;

  g_return_val_if_fail (value != NULL && default_label != NULL, NULL);

  if (strchr (value, '/') != NULL || g_str_has_suffix (value, ".xml"))
    {
      *default_label = bm_path_get_stem (value);
      return g_strdup (value);
    }
  path = bm_cascade_names_resolve (value);
  if (path != NULL)
    {
      *default_label = g_strdup (value);
      return path;
    }
  known = g_string_new (NULL);
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", names[i]);
  g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("unknown cascade “%s” (known: %s, or a file path)"),
               value, known->str);
  return NULL;
}

BmCascade *
bm_cascade_names_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                   _("%s: no such cascade file (the named cascades come from the Debian package opencv-data)"), path);
      return NULL;
    }
  return bm_cascade_load (path, error);
}
