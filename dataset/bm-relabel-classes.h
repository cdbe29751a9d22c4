/* bm-relabel-classes.h: renaming and removing a class in the class files a dataset keeps beside
 * its labels — classes.txt / predefined_classes.txt / obj.names (one name a line), an
 * Ultralytics data.yaml (`names` and `nc`) and CVAT's labelmap.txt (`name:color:parts:actions`).
 *
 * Only the entry of the class changes (and, in data.yaml, the ids of a mapping after a removed
 * entry and `nc`): comments, other keys, line endings and the other names keep their bytes. Every
 * edit is read back with the file's own reader and refused unless it lists exactly the expected
 * names, so a layout this editor does not understand is never written wrong.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a class file's names go once @old_name is renamed to @new_name, or removed when
 * @new_name is NULL or already listed (a merge: the list keeps the name once). Returns the new
 * text, or NULL: with @error set when the file cannot be read or edited safely, without it when
 * @old_name is not listed (nothing to do).
 * @old_id: the id (position) @old_name had; @removed: whether its entry was removed, so that the
 * ids after it move down by one. Free with g_free. */
char *bm_relabel_class_file_text (const char *path, const char *data, gsize length,
                                  const char *old_name, const char *new_name,
                                  int *old_id, gboolean *removed, gsize *out_length, GError **error);

/* TRUE for the file names bm_relabel_class_file_text edits. */
gboolean bm_relabel_is_class_file_name (const char *name);

G_END_DECLS
