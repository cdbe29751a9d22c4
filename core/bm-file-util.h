/* bm-file-util.h: safe file writing and small path helpers shared by every format.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every label, class list and output file Boxmark writes goes through bm_file_write_full():
 * a temporary file in the target's folder, fsync, rename. The folder's advisory lock
 * (bm_folder_lock) is held from the comparison with what was read through the rename, so two
 * Boxmark writers never both replace the same original; the temporary file then has a fixed
 * name (".NAME.boxmark-tmp") that a writer killed half-way leaves for the next save of NAME to
 * reuse, and every scan skips (hidden). New output files (BM_FILE_WRITE_NEW) need no lock:
 * their rename never replaces anything; their temporary files (".NAME.XXXXXX") are hidden too. */

/* What a file looked like when it was read, to notice another program changing it before we
 * save over it. */
typedef struct
{
  gboolean exists;
  gint64 size;
  gint64 mtime_ns;
  guint64 inode;
  guint64 device;
  guint32 uid;            /* owner */
  gboolean has_hash;      /* hash holds the SHA-256 of the bytes read */
  guint8 hash[32];
} BmFileStamp;

typedef enum
{
  BM_FILE_WRITE_DEFAULT  = 0,
  /* Create only: BM_ERROR_CONFLICT when the file exists (also one that appears meanwhile). */
  BM_FILE_WRITE_NEW      = 1 << 0,
  /* No fsync: for many outputs into a new folder, where a kill still leaves each file whole or
   * absent (only a power cut may lose the last ones). */
  BM_FILE_WRITE_NO_FSYNC = 1 << 1,
} BmFileWriteFlags;

/* Writes @contents to @path atomically. An existing file keeps its permissions, group and (when
 * allowed: root, or our own file) its owner; a symlink is followed so the link itself survives,
 * but a dangling one only to a file in its own folder. With @expected (a stamp taken when the
 * file was read), refuses with BM_ERROR_CONFLICT when the file now holds other bytes (or
 * appeared, or vanished): compared by content, so a rewrite keeping size and mtime is noticed
 * and a mere touch is not. @written (may be NULL) receives the new file's stamp, with its hash.
 * On failure the old file is untouched and @error says why, naming @path. */
gboolean bm_file_write_full   (const char *path, const char *contents, gsize length,
                               BmFileWriteFlags flags, const BmFileStamp *expected,
                               BmFileStamp *written, GError **error);
/* bm_file_write_full() with no flags and no comparison. */
gboolean bm_file_write_atomic (const char *path, const char *contents, gsize length, GError **error);
/* Copies the regular file @source to the new file @target the same way (BM_FILE_WRITE_NEW), in
 * pieces: images can be large. */
gboolean bm_file_copy_new     (const char *source, const char *target, BmFileWriteFlags flags,
                               GError **error);

/* The advisory lock (flock) of the folder holding @path (after symlinks), waited for. Taken
 * again by the same thread it nests. NULL when the folder cannot be locked (not readable, or a
 * file system without locks): callers then go on unlocked. */
typedef struct _BmFolderLock BmFolderLock;
BmFolderLock *bm_folder_lock         (const char *path);
void          bm_folder_lock_release (BmFolderLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmFolderLock, bm_folder_lock_release)

/* Label and class files larger than this are refused before reading. */
#define BM_FILE_READ_LIMIT (G_GINT64_CONSTANT (256) * 1024 * 1024)

/* Reads all of @path; @contents is NUL-terminated. Only regular files are read (a FIFO would
 * block, /dev/zero never end), and only up to BM_FILE_READ_LIMIT, checked before reading. On
 * failure @error is BM_ERROR_NOT_FOUND when the file does not exist, else BM_ERROR_IO, naming
 * the file and saying why (permission denied, not a regular file, too large). */
gboolean bm_file_read_all (const char *path, char **contents, gsize *length, GError **error);

/* Opens @path for reading when it is a regular file (without blocking on a FIFO) of at most
 * @max_size bytes (0: any). Returns the descriptor or -1 with @error as bm_file_read_all's. */
int      bm_file_open_regular (const char *path, gint64 max_size, GError **error);

/* Test hook: when set, bm_file_write_atomic fails after writing the temporary file, as a full
 * disk would. */
void     bm_file_util_set_fail_writes (gboolean fail);

/* Whether @path still holds what @expected recorded (see bm_file_write_full); else
 * BM_ERROR_CONFLICT saying how it changed. Call with the folder lock held. */
gboolean bm_file_check_unchanged (const char *path, const BmFileStamp *expected, GError **error);

/* A stamp from metadata only (no hash). */
void     bm_file_stamp_read  (const char *path, BmFileStamp *stamp);
/* bm_file_read_all, also filling @stamp (may be NULL) from the file it opened, before reading
 * it, and with the hash of the bytes read. On failure @stamp says the file does not exist. */
gboolean bm_file_read_all_stamped (const char *path, char **contents, gsize *length,
                                   BmFileStamp *stamp, GError **error);
/* Two stamps with hashes are equal when both files are missing or hold the same bytes; without
 * hashes, when size, mtime and inode agree. */
gboolean bm_file_stamp_equal (const BmFileStamp *a, const BmFileStamp *b);

/* @path made printable for a "FILE:LINE: problem" message: control characters (a line break in
 * a file name would split the message) are written as \n, \t, \x1b. Free with g_free. */
char    *bm_path_display (const char *path);

/* Which bytes end a line of a text label file. */
typedef enum
{
  /* \n, \r\n and \r: Python's universal newlines, as DOTA_devkit reads DOTA files. */
  BM_LINES_UNIVERSAL,
  /* Also what Python's str.splitlines() breaks on: \v, \f, \x1c–\x1e, U+0085, U+2028 and
   * U+2029 (in UTF-8), as Ultralytics reads YOLO labels. */
  BM_LINES_PYTHON,
} BmLineBreaks;

/* The line of @data starting at @start: sets @end to where its text ends and returns the line
 * break that follows (a static string: "\n", "\r\n", "\r", …, or "" at the end of @data). The
 * next line starts at @end + strlen (break). */
const char *bm_line_next (const char *data, gsize length, gsize start, BmLineBreaks breaks,
                          gsize *end);

/* Natural order for file names: "img2" < "img10", case-insensitive first, then bytewise. */
int      bm_natural_compare (const char *a, const char *b);

/* Lower-case extension without the dot ("jpg"), or "" when there is none. Free with g_free. */
char    *bm_path_get_extension (const char *path);
/* File name without folder and extension. Free with g_free. */
char    *bm_path_get_stem (const char *path);
/* TRUE for the image extensions Boxmark opens (jpg, jpeg, png, bmp, gif, tga, psd, pnm, ppm, pgm, hdr, webp is not). */
gboolean bm_path_is_image (const char *path);

G_END_DECLS
