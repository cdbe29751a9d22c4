/* bm-file-create.h: new files that appear whole or not at all, and never replace one.
 *
 * For outputs made of many derived files (tiles of a split): each is written to a temporary
 * file in its folder and then linked under its name only if that name is free, so a reader
 * never sees a half-written file and an existing file is never overwritten, even one created
 * meanwhile by another program. Syncing each file is optional: a batch syncs once at the end
 * (bm_file_sync_filesystem) instead of once per file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BmNewFile BmNewFile;

/* Starts the file @path: a temporary file beside it. */
BmNewFile *bm_new_file_open   (const char *path, GError **error);
/* Appends @length bytes (buffered). */
gboolean   bm_new_file_write  (BmNewFile *file, const void *data, gsize length, GError **error);
/* Flushes, optionally fsyncs, and gives the file its name when that name is free (else
 * BM_ERROR_CONFLICT); frees @file whatever happens, removing the temporary file on failure. */
gboolean   bm_new_file_commit (BmNewFile *file, gboolean sync, GError **error);
/* Drops the temporary file and frees @file. */
void       bm_new_file_abort  (BmNewFile *file);

/* All of @contents as the new file @path (see above). */
gboolean   bm_file_create_new (const char *path, const char *contents, gsize length,
                               gboolean sync, GError **error);

/* Flushes to disk everything written to the file system holding @path (syncfs). */
gboolean   bm_file_sync_filesystem (const char *path, GError **error);

G_END_DECLS
