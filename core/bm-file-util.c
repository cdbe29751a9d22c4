/* bm-file-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bm-error.h"
#include "bm-file-util.h"

static gboolean fail_writes;

void
bm_file_util_set_fail_writes (gboolean fail)
{
  fail_writes = fail;
}

static void
stamp_from_stat (const struct stat *st, BmFileStamp *stamp)
{
  memset (stamp, 0, sizeof *stamp);
  stamp->exists = TRUE;
  stamp->size = st->st_size;
  stamp->mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
  stamp->inode = st->st_ino;
  stamp->device = st->st_dev;
  stamp->uid = st->st_uid;
}

static void
hash_bytes (const char *data, gsize length, guint8 hash[32])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize hash_length = 32;

  g_checksum_update (checksum, (const guchar *) data, length);
  g_checksum_get_digest (checksum, hash, &hash_length);
}

/* ---------------------------------------------------------------------------------------------
 * Reading */

static gboolean
set_read_error (const char *path, int saved_errno, GError **error)
{
  g_autofree char *shown = bm_path_display (path);

  g_set_error (error, BM_ERROR, saved_errno == ENOENT ? BM_ERROR_NOT_FOUND : BM_ERROR_IO,
               _("Cannot read %s: %s"), shown, g_strerror (saved_errno));
  return FALSE;
}

static const char *
file_kind (mode_t mode)
{
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

/* A regular file of at most @max_size bytes (0: any)? Else @error says what it is. */
static gboolean
check_regular (const char *path, const struct stat *st, gint64 max_size, GError **error)
{
  g_autofree char *shown = NULL;

  if (S_ISREG (st->st_mode) && (max_size <= 0 || st->st_size <= max_size))
    return TRUE;
  shown = bm_path_display (path);
  if (S_ISDIR (st->st_mode))
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("Cannot read %s: it is a folder"), shown);
  else if (!S_ISREG (st->st_mode))
    g_set_error (error, BM_ERROR, BM_ERROR_IO,
                 _("Cannot read %s: it is %s, not a regular file; only regular files are read"),
                 shown, file_kind (st->st_mode));
  else
    g_set_error (error, BM_ERROR, BM_ERROR_IO,
                 _("Cannot read %s: the file is too large (%" PRId64 " MB; the limit is %" PRId64 " MB)"),
                 shown, (gint64) st->st_size / (1024 * 1024), max_size / (1024 * 1024));
  return FALSE;
}

static int open_regular (const char *path, gint64 max_size, struct stat *st, GError **error);

int
bm_file_open_regular (const char *path, gint64 max_size, GError **error)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, -1);

  return open_regular (path, max_size, &st, error);
}

/* bm_file_open_regular, also giving what fstat said. */
static int
open_regular (const char *path, gint64 max_size, struct stat *st, GError **error)
{
  int fd;

  /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer, forever. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_read_error (path, errno, error);
      return -1;
    }
  if (fstat (fd, st) != 0)
    {
      int saved = errno;
      close (fd);
      set_read_error (path, saved, error);
      return -1;
    }
  if (!check_regular (path, st, max_size, error))
    {
      close (fd);
      return -1;
    }
  /* O_NONBLOCK stays: it means nothing for a regular file. */
  return fd;
}

/* Reads @size bytes of @fd (what fstat said, matching the stamp; a file that grew meanwhile is
 * read to that size: the stamp then shows the change). NUL-terminates. */
static gboolean
read_fd (int fd, gsize size, char **contents, gsize *length)
{
  char *buffer = size < G_MAXSIZE ? g_try_malloc (size + 1) : NULL;
  gsize used = 0;

  if (buffer == NULL)
    {
      errno = ENOMEM;
      return FALSE;
    }
  while (used < size)
    {
      ssize_t n = read (fd, buffer + used, size - used);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_free (buffer);
          errno = saved;
          return FALSE;
        }
      if (n == 0)
        break;
      used += (gsize) n;
    }
  buffer[used] = '\0';
  *contents = buffer;
  if (length != NULL)
    *length = used;
  return TRUE;
}

gboolean
bm_file_read_all_stamped (const char *path, char **contents, gsize *length, BmFileStamp *stamp,
                          GError **error)
{
  struct stat st;
  gsize read_length = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if (stamp != NULL)
    memset (stamp, 0, sizeof *stamp);
  fd = open_regular (path, BM_FILE_READ_LIMIT, &st, error);
  if (fd < 0)
    return FALSE;
  /* Stamped before reading: a change made while we read then shows as a conflict on save,
   * never the other way round. */
  if (stamp != NULL)
    stamp_from_stat (&st, stamp);
  if (!read_fd (fd, (gsize) st.st_size, contents, &read_length))
    {
      int saved = errno;
      close (fd);
      if (stamp != NULL)
        memset (stamp, 0, sizeof *stamp);
      return set_read_error (path, saved, error);
    }
  close (fd);
  if (length != NULL)
    *length = read_length;
  if (stamp != NULL)
    {
      hash_bytes (*contents, read_length, stamp->hash);
      stamp->has_hash = TRUE;
      stamp->size = (gint64) read_length;
    }
  return TRUE;
}

gboolean
bm_file_read_all (const char *path, char **contents, gsize *length, GError **error)
{
  return bm_file_read_all_stamped (path, contents, length, NULL, error);
}

/* ---------------------------------------------------------------------------------------------
 * Folder locks: flock on the folder itself, so no lock file is left in anyone's dataset. Each
 * lock opens its own descriptor, so threads of one process exclude each other as processes
 * do; a thread taking a lock it already holds nests instead of waiting for itself. */

struct _BmFolderLock
{
  int fd;
  dev_t device;
  ino_t inode;
  int depth;
  BmFolderLock *next;
};

static _Thread_local BmFolderLock *held_locks;

static BmFolderLock *
lock_dir (const char *dir)
{
  BmFolderLock *lock;
  struct stat st;
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0)
    {
      close (fd);
      return NULL;
    }
  for (lock = held_locks; lock != NULL; lock = lock->next)
    if (lock->device == st.st_dev && lock->inode == st.st_ino)
      {
        close (fd);
        lock->depth++;
        return lock;
      }
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      {
        close (fd);
        return NULL;
      }
  lock = g_new0 (BmFolderLock, 1);
  lock->fd = fd;
  lock->device = st.st_dev;
  lock->inode = st.st_ino;
  lock->depth = 1;
  lock->next = held_locks;
  held_locks = lock;
  return lock;
}

void
bm_folder_lock_release (BmFolderLock *lock)
{
  if (lock == NULL || --lock->depth > 0)
    return;
  for (BmFolderLock **link = &held_locks; *link != NULL; link = &(*link)->next)
    if (*link == lock)
      {
        *link = lock->next;
        break;
      }
  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock);
}

/* The file a save must replace: through symlinks. A dangling link is followed only to a file
 * in the link's own folder: one pointing elsewhere (out of the dataset, say) is refused rather
 * than creating its target there. */
static char *
resolve_target (const char *path, GError **error)
{
  char *resolved = realpath (path, NULL);
  g_autofree char *link = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *target = NULL;
  g_autofree char *target_dir = NULL;
  g_autofree char *real_dir = NULL;
  g_autofree char *real_target_dir = NULL;

  if (resolved != NULL)
    {
      char *copy = g_strdup (resolved);
      free (resolved);
      return copy;
    }
  link = g_file_read_link (path, NULL);
  if (link == NULL)
    return g_strdup (path);
  dir = g_path_get_dirname (path);
  target = g_path_is_absolute (link) ? g_strdup (link) : g_build_filename (dir, link, NULL);
  target_dir = g_path_get_dirname (target);
  resolved = realpath (dir, NULL);
  real_dir = g_strdup (resolved);
  free (resolved);
  resolved = realpath (target_dir, NULL);
  real_target_dir = g_strdup (resolved);
  free (resolved);
  if (real_dir != NULL && real_target_dir != NULL && strcmp (real_dir, real_target_dir) == 0
      && !g_file_test (target, G_FILE_TEST_IS_SYMLINK))
    return g_steal_pointer (&target);
  {
    g_autofree char *shown = bm_path_display (path);
    g_autofree char *shown_link = bm_path_display (link);

    g_set_error (error, BM_ERROR, BM_ERROR_IO,
                 _("%s: is a symbolic link to “%s”, which does not exist and is outside the link’s folder; not followed — nothing was saved"),
                 shown, shown_link);
  }
  return NULL;
}

BmFolderLock *
bm_folder_lock (const char *path)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  target = resolve_target (path, NULL);
  dir = g_path_get_dirname (target != NULL ? target : path);
  return lock_dir (dir);
}

/* ---------------------------------------------------------------------------------------------
 * Writing */

static gboolean
write_all (int fd, const char *data, gsize length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* The permissions a new file gets. umask() can only be read by setting it, which races with
 * other threads creating files: read it once. */
static mode_t
new_file_mode (void)
{
  static gsize mode;

  if (g_once_init_enter (&mode))
    {
      mode_t mask = umask (0);
      umask (mask);
      g_once_init_leave (&mode, (gsize) (0666 & ~mask) | 0x10000);
    }
  return (mode_t) (mode & 07777);
}

static gboolean
set_write_error (const char *path, const char *what, int saved_errno, GError **error)
{
  g_autofree char *shown = bm_path_display (path);

  if (saved_errno == EROFS)
    g_set_error (error, BM_ERROR, BM_ERROR_IO,
                 _("%s: cannot save: the file system is mounted read-only — nothing was saved"), shown);
  else if (saved_errno == EACCES || saved_errno == EPERM)
    g_set_error (error, BM_ERROR, BM_ERROR_IO,
                 _("%s: cannot save: permission denied (%s) — nothing was saved"), shown, what);
  else
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot write: %s"), shown, g_strerror (saved_errno));
  return FALSE;
}

/* Whether @target still holds what @expected recorded. */
static gboolean
check_expected (const char *path, const char *target, gboolean exists, const struct stat *st,
                const BmFileStamp *expected, GError **error)
{
  g_autofree char *shown = NULL;
  gboolean same;

  if (!exists || !expected->exists)
    same = exists == expected->exists;
  else if (expected->has_hash)
    {
      g_autofree char *now = NULL;
      gsize now_length = 0;
      guint8 hash[32];

      same = st->st_size == expected->size
             && bm_file_read_all (target, &now, &now_length, NULL);
      if (same)
        {
          hash_bytes (now, now_length, hash);
          same = memcmp (hash, expected->hash, sizeof hash) == 0;
        }
    }
  else
    {
      BmFileStamp now;

      stamp_from_stat (st, &now);
      same = bm_file_stamp_equal (expected, &now);
    }
  if (same)
    return TRUE;
  shown = bm_path_display (path);
  if (!expected->exists)
    g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT,
                 _("%s: was created by another program since this image was opened; reload it to see it — nothing was saved"),
                 shown);
  else if (!exists)
    g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT,
                 _("%s: was deleted or moved by another program since it was opened — nothing was saved"),
                 shown);
  else
    g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT,
                 _("%s: changed on disk since it was opened (by another program?); reload it to see those changes — nothing was saved"),
                 shown);
  return FALSE;
}

gboolean
bm_file_check_unchanged (const char *path, const BmFileStamp *expected, GError **error)
{
  g_autofree char *target = NULL;
  struct stat st;
  gboolean exists;

  g_return_val_if_fail (path != NULL && expected != NULL, FALSE);

  target = resolve_target (path, NULL);
  if (target == NULL)
    target = g_strdup (path);
  exists = lstat (target, &st) == 0;
  return check_expected (path, target, exists, &st, expected, error);
}

/* May @target (stat @st) be replaced? */
static gboolean
check_replaceable (const char *path, const char *target, const struct stat *st, GError **error)
{
  g_autofree char *shown = NULL;

  if (!S_ISREG (st->st_mode))
    {
      shown = bm_path_display (path);
      g_set_error (error, BM_ERROR, BM_ERROR_IO,
                   _("%s: is %s, not a regular file; it is not replaced — nothing was saved"),
                   shown, S_ISDIR (st->st_mode) ? _("a folder") : file_kind (st->st_mode));
      return FALSE;
    }
  /* Renaming over a read-only file would succeed (only the folder must be writable), and even
   * root should not replace a file its owner protected. */
  if ((st->st_mode & 0222) == 0)
    {
      shown = bm_path_display (path);
      g_set_error (error, BM_ERROR, BM_ERROR_IO,
                   _("%s: the file is read-only; change its permissions to save"), shown);
      return FALSE;
    }
  if (access (target, W_OK) != 0)
    return set_write_error (path, _("the file is not writable by you"), errno, error);
  return TRUE;
}

/* Moves @tmp to @target. A new file never replaces one that appeared meanwhile. */
static gboolean
move_into_place (const char *tmp, const char *target, gboolean new_file)
{
  if (!new_file)
    return rename (tmp, target) == 0;
  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return FALSE;
  /* File systems without RENAME_NOREPLACE: a hard link refuses an existing name too. */
  if (link (tmp, target) == 0)
    {
      unlink (tmp);
      return TRUE;
    }
  if (errno == EEXIST)
    return FALSE;
  /* Nor hard links (FAT): the folder lock keeps other Boxmark writers out meanwhile. */
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      errno = EEXIST;
      return FALSE;
    }
  return rename (tmp, target) == 0;
}

/* Writes the temporary file: with the folder locked its name is fixed (a stale one from a
 * killed writer is replaced), else random. Returns the descriptor, @tmp set. */
static int
create_temp (const char *dir, const char *base, gboolean locked, char **tmp)
{
  int fd;

  if (!locked)
    {
      *tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
      return g_mkstemp_full (*tmp, O_WRONLY | O_CLOEXEC, 0600);
    }
  *tmp = g_strdup_printf ("%s/.%s.boxmark-tmp", dir, base);
  unlink (*tmp);
  fd = open (*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  return fd;
}

static gboolean
write_locked (const char *path, const char *target, const char *contents, gsize length,
              BmFileWriteFlags flags, gboolean locked, const BmFileStamp *expected,
              BmFileStamp *written, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *tmp = NULL;
  gboolean sync = !(flags & BM_FILE_WRITE_NO_FSYNC);
  gboolean exists;
  struct stat st, written_st;
  mode_t mode;
  int fd;

  exists = lstat (target, &st) == 0;
  if (exists && (flags & BM_FILE_WRITE_NEW))
    {
      g_autofree char *shown = bm_path_display (path);
      g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT, _("%s: already exists; it is not replaced"), shown);
      return FALSE;
    }
  if (expected != NULL && !check_expected (path, target, exists, &st, expected, error))
    return FALSE;
  if (exists && !check_replaceable (path, target, &st, error))
    return FALSE;
  mode = exists ? st.st_mode & 07777 : new_file_mode ();

  fd = create_temp (dir, base, locked, &tmp);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *shown = bm_path_display (path);

      if (saved == EROFS || saved == EACCES || saved == EPERM)
        return set_write_error (path, _("its folder is not writable by you"), saved, error);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create a temporary file: %s"),
                   shown, g_strerror (saved));
      return FALSE;
    }
  if (!write_all (fd, contents, length) || fail_writes || fchmod (fd, mode) != 0
      || (sync && fsync (fd) != 0) || fstat (fd, &written_st) != 0)
    {
      int saved = fail_writes ? ENOSPC : errno;
      close (fd);
      unlink (tmp);
      return set_write_error (path, "", saved, error);
    }
  /* Keep owner and group: a team's shared folder must stay the team's. Only root may give a
   * file to someone else; the group we can keep when we belong to it. */
  if (exists && (st.st_uid != written_st.st_uid || st.st_gid != written_st.st_gid))
    {
      if (fchown (fd, st.st_uid, st.st_gid) != 0)
        (void) !fchown (fd, (uid_t) -1, st.st_gid);
      fstat (fd, &written_st);
    }
  if (close (fd) != 0 || !move_into_place (tmp, target, (flags & BM_FILE_WRITE_NEW) != 0))
    {
      int saved = errno;
      g_autofree char *shown = bm_path_display (path);

      unlink (tmp);
      if (saved == EEXIST)
        g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT, _("%s: already exists; it is not replaced"), shown);
      else
        set_write_error (path, "", saved, error);
      return FALSE;
    }

  /* Make the rename itself durable. */
  if (sync)
    {
      fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd >= 0)
        {
          fsync (fd);
          close (fd);
        }
    }
  if (written != NULL)
    {
      stamp_from_stat (&written_st, written);
      hash_bytes (contents, length, written->hash);
      written->has_hash = TRUE;
    }
  return TRUE;
}

/* A new output file (convert, augment: thousands into a new folder), with as few system calls
 * as a plain write: RENAME_NOREPLACE already refuses to replace anything, so neither the lock
 * nor a look at the target first is needed; the temporary file has a random name and the
 * permissions a new file gets (umask). A killed writer's temporary file stays, hidden. */
static gboolean
write_new_quickly (const char *path, const char *contents, gsize length, gboolean sync, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  gboolean ok;
  int saved;

  if (fd < 0)
    return set_write_error (path, _("its folder is not writable by you"), errno, error);
  ok = write_all (fd, contents, length) && !fail_writes && (!sync || fsync (fd) == 0);
  saved = fail_writes ? ENOSPC : errno;
  if (close (fd) != 0 && ok)
    ok = FALSE, saved = errno;
  if (ok && !move_into_place (tmp, path, TRUE))
    ok = FALSE, saved = errno;
  if (!ok)
    {
      g_autofree char *shown = bm_path_display (path);

      unlink (tmp);
      if (saved == EEXIST)
        g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT, _("%s: already exists; it is not replaced"), shown);
      else
        set_write_error (path, "", saved, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
bm_file_write_full (const char *path, const char *contents, gsize length, BmFileWriteFlags flags,
                    const BmFileStamp *expected, BmFileStamp *written, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(BmFolderLock) lock = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  if ((flags & BM_FILE_WRITE_NEW) && expected == NULL && written == NULL)
    return write_new_quickly (path, contents != NULL ? contents : "", length,
                              !(flags & BM_FILE_WRITE_NO_FSYNC), error);
  target = resolve_target (path, error);
  if (target == NULL)
    return FALSE;
  dir = g_path_get_dirname (target);
  lock = lock_dir (dir);
  return write_locked (path, target, contents != NULL ? contents : "", length, flags, lock != NULL,
                       expected, written, error);
}

gboolean
bm_file_write_atomic (const char *path, const char *contents, gsize length, GError **error)
{
  return bm_file_write_full (path, contents, length, BM_FILE_WRITE_DEFAULT, NULL, NULL, error);
}

gboolean
bm_file_copy_new (const char *source, const char *target, BmFileWriteFlags flags, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  char buffer[65536];
  gboolean ok = TRUE;
  int in, out, saved = 0;

  g_return_val_if_fail (source != NULL && target != NULL, FALSE);

  in = bm_file_open_regular (source, 0, error);
  if (in < 0)
    return FALSE;
  /* As write_new_quickly: RENAME_NOREPLACE keeps anything already there. */
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  out = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (out < 0)
    {
      saved = errno;
      close (in);
      return set_write_error (target, _("its folder is not writable by you"), saved, error);
    }
  for (;;)
    {
      ssize_t n = read (in, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_autofree char *shown = bm_path_display (source);

          saved = errno;
          close (in);
          close (out);
          unlink (tmp);
          g_set_error (error, BM_ERROR, BM_ERROR_IO, _("Cannot copy %s: %s"), shown, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      if (!write_all (out, buffer, (gsize) n))
        {
          ok = FALSE;
          saved = errno;
          break;
        }
    }
  close (in);
  if (ok && !(flags & BM_FILE_WRITE_NO_FSYNC) && fsync (out) != 0)
    ok = FALSE, saved = errno;
  if (close (out) != 0 && ok)
    ok = FALSE, saved = errno;
  if (ok && !move_into_place (tmp, target, TRUE))
    ok = FALSE, saved = errno;
  if (!ok)
    {
      g_autofree char *shown = bm_path_display (target);

      unlink (tmp);
      if (saved == EEXIST)
        g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT, _("%s: already exists; it is not replaced"), shown);
      else
        set_write_error (target, "", saved, error);
      return FALSE;
    }
  return TRUE;
}

void
bm_file_stamp_read (const char *path, BmFileStamp *stamp)
{
  struct stat st;

  memset (stamp, 0, sizeof *stamp);
  if (stat (path, &st) == 0)
    stamp_from_stat (&st, stamp);
}

gboolean
bm_file_stamp_equal (const BmFileStamp *a, const BmFileStamp *b)
{
  if (a->exists != b->exists)
    return FALSE;
  if (!a->exists)
    return TRUE;
  if (a->has_hash && b->has_hash)
    return a->size == b->size && memcmp (a->hash, b->hash, sizeof a->hash) == 0;
  return a->size == b->size && a->mtime_ns == b->mtime_ns && a->inode == b->inode
         && a->device == b->device;
}

char *
bm_path_display (const char *path)
{
  GString *out;

  if (path == NULL)
    return g_strdup ("(null)");
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      goto escape;
  return g_strdup (path);

escape:
  out = g_string_new (NULL);
  for (const char *p = path; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  return g_string_free (out, FALSE);
}

const char *
bm_line_next (const char *data, gsize length, gsize start, BmLineBreaks breaks, gsize *end)
{
  gboolean python = breaks == BM_LINES_PYTHON;

  for (gsize i = start; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if (c == '\n')
        return *end = i, "\n";
      if (c == '\r')
        {
          *end = i;
          return i + 1 < length && data[i + 1] == '\n' ? "\r\n" : "\r";
        }
      if (!python || (c > 0x1e && c != 0xC2 && c != 0xE2))
        continue;
      switch (c)
        {
        case '\v': return *end = i, "\v";
        case '\f': return *end = i, "\f";
        case 0x1c: return *end = i, "\x1c";
        case 0x1d: return *end = i, "\x1d";
        case 0x1e: return *end = i, "\x1e";
        case 0xC2:
          if (i + 1 < length && (guchar) data[i + 1] == 0x85)
            return *end = i, "\xC2\x85";
          break;
        case 0xE2:
          if (i + 2 < length && (guchar) data[i + 1] == 0x80 && (guchar) data[i + 2] == 0xA8)
            return *end = i, "\xE2\x80\xA8";
          if (i + 2 < length && (guchar) data[i + 1] == 0x80 && (guchar) data[i + 2] == 0xA9)
            return *end = i, "\xE2\x80\xA9";
          break;
        default:
          break;
        }
    }
  *end = length;
  return "";
}

int
bm_natural_compare (const char *a, const char *b)
{
  const char *pa = a, *pb = b;

  while (*pa && *pb)
    {
      if (g_ascii_isdigit (*pa) && g_ascii_isdigit (*pb))
        {
          const char *sa, *sb;
          gsize la, lb;
          int c;

          while (*pa == '0' && g_ascii_isdigit (pa[1]))
            pa++;
          while (*pb == '0' && g_ascii_isdigit (pb[1]))
            pb++;
          for (sa = pa; g_ascii_isdigit (*pa); pa++)
            ;
          for (sb = pb; g_ascii_isdigit (*pb); pb++)
            ;
          la = (gsize) (pa - sa);
          lb = (gsize) (pb - sb);
          if (la != lb)
            return la < lb ? -1 : 1;
          c = strncmp (sa, sb, la);
          if (c != 0)
            return c;
        }
      else
        {
          int ca = g_ascii_tolower (*pa), cb = g_ascii_tolower (*pb);
          if (ca != cb)
            return ca < cb ? -1 : 1;
          pa++;
          pb++;
        }
    }
  if (*pa || *pb)
    return *pa ? 1 : -1;
  return strcmp (a, b);
}

char *
bm_path_get_extension (const char *path)
{
  const char *base = strrchr (path, G_DIR_SEPARATOR);
  const char *dot;

  base = base ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return g_strdup ("");
  return g_ascii_strdown (dot + 1, -1);
}

char *
bm_path_get_stem (const char *path)
{
  char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return base;
}

gboolean
bm_path_is_image (const char *path)
{
  static const char *const extensions[] = {
    "jpg", "jpeg", "jpe", "png", "tif", "tiff", "bmp", "gif", "tga", "psd", "pnm", "ppm", "pgm", "hdr",
  };
  const char *base = strrchr (path, G_DIR_SEPARATOR);
  const char *dot;

  /* called for every file of a million-image folder: no copy of the extension */
  base = base ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}
