/* bm-cascade-names.h: short names for the cascades of Debian's opencv-data, shared by
 * boxmark-cli detect and the window's pre-annotation.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The known short names, in a fixed order ("face" first); NULL-terminated, static. */
const char *const *bm_cascade_names_list     (void);
/* The folder holding opencv-data's files: $BM_OPENCV_DATA, else /usr/share/opencv4. */
const char        *bm_cascade_names_data_dir (void);
/* The file for short name @name, or NULL when unknown. */
char              *bm_cascade_names_resolve  (const char *name);

G_END_DECLS
