/* bm-cascade-names.c: short names for the cascades of Debian's opencv-data.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

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
