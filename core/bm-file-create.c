/* bm-file-create.c
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
#include "bm-file-create.h"

/* Below glibc's mmap threshold (128 KiB): a fresh mapping per file would cost a page fault per
 * page of every file. */
#define BUFFER_SIZE (64 * 1024)

struct _BmNewFile
{
  char *path;
  char *tmp;
  int fd;
  guint8 *buffer;
  gsize used;
  int error_number;   /* the first write error, reported at commit */
};

static void
set_io_error (GError **error, const char *path, const char *what, int number)
{
  g_set_error (error, BM_ERROR, BM_ERROR_IO, "%s: %s: %s", path, what, g_strerror (number));
}

BmNewFile *
bm_new_file_open (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  BmNewFile *file;
  mode_t mask;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_new0 (BmNewFile, 1);
  file->path = g_strdup (path);
  file->tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  file->fd = g_mkstemp_full (file->tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (file->fd < 0)
    {
      set_io_error (error, path, _("cannot create a temporary file"), errno);
      g_free (file->tmp);
      g_free (file->path);
      g_free (file);
      return NULL;
    }
  /* The permissions a plain create would give. */
  mask = umask (0);
  umask (mask);
  if (fchmod (file->fd, 0666 & ~mask) != 0)
    file->error_number = errno;
  file->buffer = g_malloc (BUFFER_SIZE);
  return file;
}

static gboolean
write_all (int fd, const guint8 *data, gsize length, int *error_number)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *error_number = errno;
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static gboolean
flush_buffer (BmNewFile *file)
{
  gboolean ok = file->error_number == 0
                && write_all (file->fd, file->buffer, file->used, &file->error_number);

  file->used = 0;
  return ok;
}

gboolean
bm_new_file_write (BmNewFile *file, const void *data, gsize length, GError **error)
{
  g_return_val_if_fail (file != NULL, FALSE);

  if (file->error_number == 0 && length >= BUFFER_SIZE)
    {
      if (flush_buffer (file))
        write_all (file->fd, data, length, &file->error_number);
    }
  else if (file->error_number == 0)
    {
      if (file->used + length > BUFFER_SIZE)
        flush_buffer (file);
      memcpy (file->buffer + file->used, data, length);
      file->used += length;
    }
  if (file->error_number != 0)
    {
      set_io_error (error, file->path, _("cannot write"), file->error_number);
      return FALSE;
    }
  return TRUE;
}

static void
new_file_free (BmNewFile *file)
{
  g_free (file->buffer);
  g_free (file->tmp);
  g_free (file->path);
  g_free (file);
}

void
bm_new_file_abort (BmNewFile *file)
{
  if (file == NULL)
    return;
  if (file->fd >= 0)
    close (file->fd);
  g_unlink (file->tmp);
  new_file_free (file);
}

/* Gives @tmp the name @path unless @path exists: renameat2's RENAME_NOREPLACE, or where the
 * file system lacks it, a hard link (which fails on an existing name too) then unlink. */
static int
rename_no_replace (const char *tmp, const char *path)
{
  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return errno;
  if (link (tmp, path) != 0)
    return errno;
  g_unlink (tmp);
  return 0;
}

gboolean
bm_new_file_commit (BmNewFile *file, gboolean sync, GError **error)
{
  int number;

  g_return_val_if_fail (file != NULL, FALSE);

  flush_buffer (file);
  if (file->error_number == 0 && sync && fsync (file->fd) != 0)
    file->error_number = errno;
  if (close (file->fd) != 0 && file->error_number == 0)
    file->error_number = errno;
  file->fd = -1;
  if (file->error_number != 0)
    {
      set_io_error (error, file->path, _("cannot write"), file->error_number);
      bm_new_file_abort (file);
      return FALSE;
    }
  number = rename_no_replace (file->tmp, file->path);
  if (number == EEXIST)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT,
                   _("%s: the file exists already and is left as it is"), file->path);
      bm_new_file_abort (file);
      return FALSE;
    }
  if (number != 0)
    {
      set_io_error (error, file->path, _("cannot write"), number);
      bm_new_file_abort (file);
      return FALSE;
    }
  new_file_free (file);
  return TRUE;
}

gboolean
bm_file_create_new (const char *path, const char *contents, gsize length, gboolean sync,
                    GError **error)
{
  BmNewFile *file = bm_new_file_open (path, error);

  if (file == NULL)
    return FALSE;
  if (!bm_new_file_write (file, contents, length, error))
    {
      bm_new_file_abort (file);
      return FALSE;
    }
  return bm_new_file_commit (file, sync, error);
}

gboolean
bm_file_sync_filesystem (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  int number = 0;

  if (fd < 0 || syncfs (fd) != 0)
    number = errno;
  if (fd >= 0)
    close (fd);
  if (number != 0)
    {
      set_io_error (error, path, _("cannot flush to disk"), number);
      return FALSE;
    }
  return TRUE;
}
