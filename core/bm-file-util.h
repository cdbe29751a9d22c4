/* bm-file-util.h: safe file writing and small path helpers shared by every format.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes @contents to @path atomically: a temporary file in the same folder, fsync, rename.
 * An existing file keeps its permissions; a symlink is followed so the link itself survives.
 * On failure the old file is untouched and @error says why (with the path). */
gboolean bm_file_write_atomic (const char *path, const char *contents, gsize length, GError **error);

/* Reads all of @path; @contents is NUL-terminated. On failure @error is BM_ERROR_NOT_FOUND when
 * the file does not exist, else BM_ERROR_IO, naming the file. */
gboolean bm_file_read_all (const char *path, char **contents, gsize *length, GError **error);

/* Test hook: when set, bm_file_write_atomic fails after writing the temporary file, as a full
 * disk would. */
void     bm_file_util_set_fail_writes (gboolean fail);

/* What a file looked like when it was read, to notice another program changing it before we
 * save over it. */
typedef struct
{
  gboolean exists;
  gint64 size;
  gint64 mtime_ns;
  guint64 inode;
  guint64 device;
} BmFileStamp;

void     bm_file_stamp_read  (const char *path, BmFileStamp *stamp);
/* bm_file_read_all, also filling @stamp (may be NULL) from the file it opened, before reading
 * it. On failure @stamp says the file does not exist. */
gboolean bm_file_read_all_stamped (const char *path, char **contents, gsize *length,
                                   BmFileStamp *stamp, GError **error);
gboolean bm_file_stamp_equal (const BmFileStamp *a, const BmFileStamp *b);

/* Natural order for file names: "img2" < "img10", case-insensitive first, then bytewise. */
int      bm_natural_compare (const char *a, const char *b);

/* Lower-case extension without the dot ("jpg"), or "" when there is none. Free with g_free. */
char    *bm_path_get_extension (const char *path);
/* File name without folder and extension. Free with g_free. */
char    *bm_path_get_stem (const char *path);
/* TRUE for the image extensions Boxmark opens (jpg, jpeg, png, bmp, gif, tga, psd, pnm, ppm, pgm, hdr, webp is not). */
gboolean bm_path_is_image (const char *path);

G_END_DECLS
