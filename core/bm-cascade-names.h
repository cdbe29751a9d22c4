/* bm-cascade-names.h: short names for the cascades of Debian's opencv-data, shared by
 * boxmark-cli detect and the window's pre-annotation.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bm-cascade.h"

G_BEGIN_DECLS

/* The known short names, in a fixed order ("face" first); NULL-terminated, static. */
const char *const *bm_cascade_names_list     (void);
/* The folder holding opencv-data's files: $BM_OPENCV_DATA, else /usr/share/opencv4. */
const char        *bm_cascade_names_data_dir (void);
/* The file for short name @name, or NULL when unknown. */
char              *bm_cascade_names_resolve  (const char *name);
/* What the user typed for a cascade: a file (a path, or a name ending in .xml) or a short name.
 * Returns the file and, in @default_label, the label its detections get (the short name, or
 * the file's stem); NULL with BM_ERROR_NOT_FOUND, listing the known names, for an unknown one. */
char              *bm_cascade_names_resolve_argument (const char  *value,
                                                      char       **default_label,
                                                      GError     **error);
/* bm_cascade_load, saying where the named cascades come from when @path does not exist. */
BmCascade         *bm_cascade_names_load     (const char *path,
                                              GError    **error);

G_END_DECLS
