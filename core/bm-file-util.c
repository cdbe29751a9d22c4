/* bm-file-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
}

static gboolean
set_read_error (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, BM_ERROR, saved_errno == ENOENT ? BM_ERROR_NOT_FOUND : BM_ERROR_IO,
               _("Cannot read %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Reads @fd to its end, or only @size bytes when @size_known (a regular file: what fstat said,
 * matching the stamp). NUL-terminates. */
static gboolean
read_fd (int fd, gboolean size_known, gsize size, char **contents, gsize *length)
{
  gsize capacity = size_known ? size : 4096, used = 0;
  char *buffer = capacity < G_MAXSIZE ? g_try_malloc (capacity + 1) : NULL;

  if (buffer == NULL)
    {
      errno = ENOMEM;
      return FALSE;
    }

  while (!size_known || used < size)
    {
      ssize_t n;

      if (used == capacity)
        {
          capacity = capacity * 2;
          buffer = g_realloc (buffer, capacity + 1);
        }
      n = read (fd, buffer + used, capacity - used);
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
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if (stamp != NULL)
    memset (stamp, 0, sizeof *stamp);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_read_error (path, errno, error);
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      close (fd);
      return set_read_error (path, saved, error);
    }
  if (S_ISDIR (st.st_mode))
    {
      close (fd);
      return set_read_error (path, EISDIR, error);
    }
  /* Stamped before reading: a change made while we read then shows as a conflict on save,
   * never the other way round. */
  if (stamp != NULL)
    stamp_from_stat (&st, stamp);
  if (!read_fd (fd, S_ISREG (st.st_mode), (gsize) st.st_size, contents, length))
    {
      int saved = errno;
      close (fd);
      if (stamp != NULL)
        memset (stamp, 0, sizeof *stamp);
      return set_read_error (path, saved, error);
    }
  close (fd);
  return TRUE;
}

gboolean
bm_file_read_all (const char *path, char **contents, gsize *length, GError **error)
{
  return bm_file_read_all_stamped (path, contents, length, NULL, error);
}

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

/* The file a save must replace: through symlinks, also a dangling one (its target is created). */
static char *
resolve_target (const char *path)
{
  char *resolved = realpath (path, NULL);
  g_autofree char *link = NULL;

  if (resolved != NULL)
    {
      char *copy = g_strdup (resolved);
      free (resolved);
      return copy;
    }
  link = g_file_read_link (path, NULL);
  if (link != NULL)
    {
      g_autofree char *dir = NULL;

      if (g_path_is_absolute (link))
        return g_steal_pointer (&link);
      dir = g_path_get_dirname (path);
      return g_build_filename (dir, link, NULL);
    }
  return g_strdup (path);
}

gboolean
bm_file_write_atomic (const char *path, const char *contents, gsize length, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  mode_t mode = 0644;
  struct stat st;
  int saved_errno;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  target = resolve_target (path);
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);

  if (g_stat (target, &st) == 0)
    {
      /* Renaming over a read-only file would succeed (only the folder must be writable), and
       * even root should not replace a file its owner protected. */
      if ((st.st_mode & 0222) == 0 || access (target, W_OK) != 0)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_IO,
                       _("%s: the file is read-only; change its permissions to save"), path);
          return FALSE;
        }
      mode = st.st_mode & 07777;
    }
  else
    {
      mode_t mask = umask (0);
      umask (mask);
      mode = 0666 & ~mask;
    }

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create a temporary file: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_all (fd, contents, length) || fail_writes || fchmod (fd, mode) != 0 || fsync (fd) != 0)
    {
      saved_errno = fail_writes ? ENOSPC : errno;
      close (fd);
      g_unlink (tmp);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot write: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  if (close (fd) != 0 || g_rename (tmp, target) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot write: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Make the rename itself durable. */
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
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
  return !a->exists
         || (a->size == b->size && a->mtime_ns == b->mtime_ns && a->inode == b->inode
             && a->device == b->device);
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
  g_autofree char *ext = bm_path_get_extension (path);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (strcmp (ext, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}
