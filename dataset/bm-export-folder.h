/* bm-export-folder.h: where an export may write. An output folder inside the dataset it comes
 * from would be read back as data by the next run or the next opening, also when a symlink
 * leads there; so paths are compared with every symlink resolved.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @path absolute, with every symlink resolved in its longest existing prefix (realpath); the
 * part that does not exist yet is appended with "." and ".." folded. Free with g_free. */
char     *bm_export_resolve_path    (const char *path);
/* Whether @path (which need not exist yet) is @folder or lies inside it, with symlinks of both
 * resolved. */
gboolean  bm_export_path_is_inside  (const char *path,
                                     const char *folder);
/* The same for paths bm_export_resolve_path resolved already. */
gboolean  bm_export_resolved_is_inside (const char *resolved_path,
                                        const char *resolved_folder);

G_END_DECLS
