/* bm-relabel-journal.c: the journal of a YOLO renumbering (see the header).
 *
 * The file is text headers with byte counts, each followed by the raw bytes they count, so any
 * label or class file (any encoding, any line ending) goes in and comes out unchanged:
 *
 *   boxmark relabel journal 1
 *   forward | back
 *   name N\n<N bytes>\n
 *   new N\n<N bytes>\n   or   delete\n
 *   file P O N\n<P bytes path><O bytes old><N bytes new>\n   (any number)
 *   end\n
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "bm-relabel-journal.h"

#define MAGIC "boxmark relabel journal 1\n"

char *
bm_relabel_journal_path (const char *root)
{
  return g_build_filename (root, BM_RELABEL_JOURNAL_NAME, NULL);
}

static void
append_counted (GString *out, const char *key, const char *data, gsize length)
{
  g_string_append_printf (out, "%s %" G_GSIZE_FORMAT "\n", key, length);
  g_string_append_len (out, data, (gssize) length);
  g_string_append_c (out, '\n');
}

gboolean
bm_relabel_journal_write (const char *journal, const char *old_name, const char *new_name,
                          gboolean back, const GArray *entries, GError **error)
{
  g_autoptr(GString) out = g_string_new (MAGIC);

  g_string_append (out, back ? "back\n" : "forward\n");
  append_counted (out, "name", old_name, strlen (old_name));
  if (new_name != NULL)
    append_counted (out, "new", new_name, strlen (new_name));
  else
    g_string_append (out, "delete\n");
  for (guint i = 0; i < entries->len; i++)
    {
      const BmRelabelJournalEntry *e = &g_array_index (entries, BmRelabelJournalEntry, i);

      g_string_append_printf (out, "file %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "\n",
                              strlen (e->path), e->old_length, e->new_length);
      g_string_append (out, e->path);
      g_string_append_len (out, e->old_data, (gssize) e->old_length);
      g_string_append_len (out, e->new_data, (gssize) e->new_length);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "end\n");
  return bm_file_write_full (journal, out->str, out->len, BM_FILE_WRITE_DEFAULT, NULL, NULL, error);
}

/* ---- reading ---- */

typedef struct
{
  const char *journal;
  const char *start;
  const char *p;
  const char *end;
} Cursor;

static gboolean
damaged (const Cursor *c, GError **error)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
               _("%s: damaged at byte %zu; the class change it records was not finished, see which files hold the old class ids"),
               c->journal, (gsize) (c->p - c->start));
  return FALSE;
}

/* The next line (without its \n) into @line, or FALSE at the end. */
static gboolean
next_line (Cursor *c, char **line)
{
  const char *nl = memchr (c->p, '\n', (gsize) (c->end - c->p));

  if (nl == NULL)
    return FALSE;
  *line = g_strndup (c->p, (gsize) (nl - c->p));
  c->p = nl + 1;
  return TRUE;
}

static gboolean
take (Cursor *c, gsize n, const char **data)
{
  if ((gsize) (c->end - c->p) < n)
    return FALSE;
  *data = c->p;
  c->p += n;
  return TRUE;
}

static gboolean
parse_size (const char *text, gsize *value)
{
  guint64 v = 0;

  if (!bm_number_parse_uint (text, G_MAXSIZE, &v))
    return FALSE;
  *value = (gsize) v;
  return TRUE;
}

/* "KEY N\n<N bytes>\n" → a new string */
static gboolean
read_counted (Cursor *c, const char *key, char **value)
{
  g_autofree char *line = NULL;
  const char *data = NULL, *nl = NULL;
  gsize n = 0;
  gsize key_length = strlen (key);

  if (!next_line (c, &line) || strncmp (line, key, key_length) != 0 || line[key_length] != ' '
      || !parse_size (line + key_length + 1, &n) || !take (c, n, &data) || !take (c, 1, &nl) || *nl != '\n')
    return FALSE;
  *value = g_strndup (data, n);
  return TRUE;
}

/* Makes @path hold @target when it holds @source (or already @target). */
static gboolean
redo_file (const char *path, const char *source, gsize source_length, const char *target,
           gsize target_length, guint *n_written, GPtrArray *notes, GError **error)
{
  g_autofree char *now = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize now_length = 0;
  BmFileStamp stamp;

  if (!bm_file_read_all_stamped (path, &now, &now_length, &stamp, &local_error))
    {
      g_ptr_array_add (notes, g_strdup_printf (_("%s: left as it is (%s)"), path, local_error->message));
      return TRUE;
    }
  if (now_length == target_length && memcmp (now, target, target_length) == 0)
    return TRUE;
  if (now_length != source_length || memcmp (now, source, source_length) != 0)
    {
      g_ptr_array_add (notes, g_strdup_printf (_("%s: changed by another program meanwhile; left as it is"), path));
      return TRUE;
    }
  if (!bm_file_write_full (path, target, target_length, BM_FILE_WRITE_DEFAULT, &stamp, NULL, &local_error))
    {
      if (g_error_matches (local_error, BM_ERROR, BM_ERROR_CONFLICT))
        {
          g_ptr_array_add (notes, g_strdup (local_error->message));
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  (*n_written)++;
  return TRUE;
}

gboolean
bm_relabel_journal_recover (const char *journal, gboolean *found, char **old_name, char **new_name,
                            guint *n_written, GPtrArray *notes, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *name = NULL;
  g_autofree char *replacement = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  gboolean back;
  Cursor c;

  *found = FALSE;
  *n_written = 0;
  if (!bm_file_read_all (journal, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, BM_ERROR, BM_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *found = TRUE;
  c.journal = journal;
  c.start = data;
  c.p = data;
  c.end = data + length;
  if (length < strlen (MAGIC) || memcmp (data, MAGIC, strlen (MAGIC)) != 0)
    return damaged (&c, error);
  c.p += strlen (MAGIC);
  if (!next_line (&c, &mode) || (strcmp (mode, "forward") != 0 && strcmp (mode, "back") != 0))
    return damaged (&c, error);
  back = strcmp (mode, "back") == 0;
  if (!read_counted (&c, "name", &name))
    return damaged (&c, error);
  if (c.end - c.p >= 7 && memcmp (c.p, "delete\n", 7) == 0)
    c.p += 7;
  else if (!read_counted (&c, "new", &replacement))
    return damaged (&c, error);

  /* the whole journal is checked before the first file is touched */
  for (int pass = 0; pass < 2; pass++)
    {
      const char *files = c.p;

      for (;;)
        {
          g_autofree char *line = NULL;
          g_auto(GStrv) fields = NULL;
          const char *path_data = NULL, *old_data = NULL, *new_data = NULL, *nl = NULL;
          gsize path_length = 0, old_length = 0, new_length = 0;
          g_autofree char *path = NULL;

          if (!next_line (&c, &line))
            return damaged (&c, error);
          if (strcmp (line, "end") == 0)
            {
              if (c.p != c.end)
                return damaged (&c, error);
              break;
            }
          fields = g_strsplit (line, " ", -1);
          if (g_strv_length (fields) != 4 || strcmp (fields[0], "file") != 0
              || !parse_size (fields[1], &path_length) || !parse_size (fields[2], &old_length)
              || !parse_size (fields[3], &new_length) || path_length == 0
              || !take (&c, path_length, &path_data) || !take (&c, old_length, &old_data)
              || !take (&c, new_length, &new_data) || !take (&c, 1, &nl) || *nl != '\n')
            return damaged (&c, error);
          path = g_strndup (path_data, path_length);
          if (strlen (path) != path_length)
            return damaged (&c, error);
          if (pass == 1
              && !(back ? redo_file (path, new_data, new_length, old_data, old_length, n_written, notes, error)
                        : redo_file (path, old_data, old_length, new_data, new_length, n_written, notes, error)))
            return FALSE;
        }
      if (pass == 0)
        c.p = files;
    }
  if (g_unlink (journal) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot remove: %s"), journal, g_strerror (saved));
      return FALSE;
    }
  *old_name = g_steal_pointer (&name);
  *new_name = back ? NULL : g_steal_pointer (&replacement);
  if (back)
    {
      /* taken back: the request was not carried out */
      g_free (*old_name);
      *old_name = NULL;
    }
  return TRUE;
}
