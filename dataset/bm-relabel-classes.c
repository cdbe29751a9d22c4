/* bm-relabel-classes.c: editing one class in a class file, keeping every other byte.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-class-list.h"
#include "bm-relabel-classes.h"

typedef struct
{
  gsize start;       /* first byte of the line */
  gsize text_end;    /* before "\r\n" / "\n" */
  gsize end;         /* after the line ending */
} Line;

/* Lines as the class-list reader splits them (\n, \r\n and \r). */
static GArray *
split_lines (const char *data, gsize length)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  gsize start = 0;

  while (start < length)
    {
      Line line;
      const char *eol = bm_line_next (data, length, start, BM_LINES_UNIVERSAL, &line.text_end);

      line.start = start;
      line.end = line.text_end + strlen (eol);
      g_array_append_val (lines, line);
      if (line.end == start)
        break;
      start = line.end;
    }
  return lines;
}

/* One replacement of bytes [start, end) of the original text. */
typedef struct
{
  gsize start;
  gsize end;
  char *text;
} Patch;

static void
patch_clear (Patch *patch)
{
  g_free (patch->text);
}

static void
add_patch (GArray *patches, gsize start, gsize end, char *text)
{
  Patch patch = { start, end, text };

  g_array_append_val (patches, patch);
}

static int
compare_patches (gconstpointer a, gconstpointer b)
{
  const Patch *pa = a, *pb = b;

  return (pa->start > pb->start) - (pa->start < pb->start);
}

static GString *
apply_patches (const char *data, gsize length, GArray *patches)
{
  GString *out = g_string_sized_new (length);
  gsize at = 0;

  g_array_sort (patches, compare_patches);
  for (guint i = 0; i < patches->len; i++)
    {
      Patch *patch = &g_array_index (patches, Patch, i);

      g_string_append_len (out, data + at, patch->start - at);
      if (patch->text != NULL)
        g_string_append (out, patch->text);
      at = patch->end;
    }
  g_string_append_len (out, data + at, length - at);
  return out;
}

static GArray *
new_patches (void)
{
  GArray *patches = g_array_new (FALSE, FALSE, sizeof (Patch));

  g_array_set_clear_func (patches, (GDestroyNotify) patch_clear);
  return patches;
}

/* The names a list will have after the edit. */
static GPtrArray *
expected_names (BmClassList *classes, guint old_id, const char *new_name, gboolean removed)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < bm_class_list_get_n (classes); i++)
    {
      if (i == old_id && removed)
        continue;
      g_ptr_array_add (names, (gpointer) (i == old_id ? new_name : bm_class_list_get_name (classes, i)));
    }
  return names;
}

static gboolean
lists_equal (BmClassList *classes, GPtrArray *names)
{
  if (bm_class_list_get_n (classes) != names->len)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    if (strcmp (bm_class_list_get_name (classes, i), names->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

static void
set_cannot_edit (GError **error, const char *path, const char *why)
{
  g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
               _("%s: Boxmark cannot change its class names safely (%s); change them by hand, then run again"),
               path, why);
}

/* ---- one name a line ---- */

static GString *
edit_txt (const char *data, gsize length, guint old_id, const char *new_name, gboolean removed)
{
  g_autoptr(GArray) lines = split_lines (data, length);
  g_autoptr(GArray) patches = new_patches ();
  Line *line;
  gsize text_start;

  if (old_id >= lines->len)
    return NULL;   /* cannot be: the reader found the class on that line */
  line = &g_array_index (lines, Line, old_id);
  text_start = line->start;

  /* The loader made line i class i (no blank lines in between) and skipped a byte-order mark. */
  if (old_id == 0 && length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    text_start += 3;
  if (removed)
    add_patch (patches, text_start, line->end, NULL);
  else
    add_patch (patches, text_start, line->text_end, g_strdup (new_name));
  return apply_patches (data, length, patches);
}

/* ---- CVAT's labelmap.txt: "# label:color_rgb:parts:actions", then name:r,g,b:: lines ---- */

static GPtrArray *
labelmap_names (const char *data, gsize length, GArray **name_spans)
{
  g_autoptr(GArray) lines = split_lines (data, length);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  *name_spans = g_array_new (FALSE, FALSE, sizeof (Line));
  for (guint i = 0; i < lines->len; i++)
    {
      Line line = g_array_index (lines, Line, i);
      const char *colon;

      if (line.text_end == line.start || data[line.start] == '#')
        continue;
      colon = memchr (data + line.start, ':', line.text_end - line.start);
      /* the span of the name; end = the whole line with its ending, for removal */
      line.text_end = colon != NULL ? (gsize) (colon - data) : line.text_end;
      g_ptr_array_add (names, g_strndup (data + line.start, line.text_end - line.start));
      g_array_append_val (*name_spans, line);
    }
  return names;
}

static GString *
edit_labelmap (const char *path, const char *data, gsize length, const char *old_name,
               const char *new_name, int *old_id, gboolean *removed, GError **error)
{
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GPtrArray) names = labelmap_names (data, length, &spans);
  g_autoptr(GArray) patches = new_patches ();
  int found = -1;
  gboolean listed_new = FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      if (strcmp (names->pdata[i], old_name) == 0 && found < 0)
        found = (int) i;
      if (new_name != NULL && strcmp (names->pdata[i], new_name) == 0)
        listed_new = TRUE;
    }
  if (found < 0)
    return NULL;
  *old_id = found;
  *removed = new_name == NULL || listed_new;
  if (!*removed && strpbrk (new_name, ":\r\n") != NULL)
    {
      set_cannot_edit (error, path, _("a name there cannot hold “:” or a line break"));
      return NULL;
    }
  {
    const Line *span = &g_array_index (spans, Line, found);

    if (*removed)
      add_patch (patches, span->start, span->end, NULL);
    else
      add_patch (patches, span->start, span->text_end, g_strdup (new_name));
  }
  return apply_patches (data, length, patches);
}

/* ---- data.yaml: the names list or mapping and nc ---- */

static const char *
skip_blanks (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* Where a scalar starting at @p ends: after its closing quote, or (plain) before " #", a flow
 * separator when @in_flow, or the end of the line, trailing blanks excluded. */
static const char *
scalar_end (const char *p, const char *end, gboolean in_flow, gboolean is_key)
{
  const char *q;

  if (p < end && (*p == '\'' || *p == '"'))
    {
      char quote = *p;

      for (q = p + 1; q < end; q++)
        {
          if (quote == '"' && *q == '\\' && q + 1 < end)
            q++;
          else if (*q == quote)
            {
              if (quote == '\'' && q + 1 < end && q[1] == '\'')
                q++;
              else
                return q + 1;
            }
        }
      return end;
    }
  for (q = p; q < end; q++)
    {
      if ((*q == ' ' || *q == '\t') && q + 1 < end && q[1] == '#')
        break;
      if (in_flow && (*q == ',' || *q == ']' || *q == '}'))
        break;
      if (is_key && *q == ':' && (q + 1 == end || q[1] == ' ' || q[1] == '\t'
                                  || (in_flow && (q[1] == ',' || q[1] == '}'))))
        break;
    }
  while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
    q--;
  return q;
}

/* A top-level "KEY:" line: where its value starts, or NULL. */
static const char *
top_level_value (const char *data, const Line *line, const char *key)
{
  gsize n = strlen (key);
  const char *p = data + line->start, *end = data + line->text_end;

  if ((gsize) (end - p) < n + 1 || memcmp (p, key, n) != 0)
    return NULL;
  p = skip_blanks (p + n, end);
  if (p >= end || *p != ':')
    return NULL;
  return skip_blanks (p + 1, end);
}

static gboolean
line_is_blank (const char *data, const Line *line)
{
  const char *p = skip_blanks (data + line->start, data + line->text_end);

  return p == data + line->text_end || *p == '#';
}

static gboolean
line_continues_block (const char *data, const Line *line)
{
  const char *p = data + line->start;

  if (line_is_blank (data, line))
    return TRUE;
  if (*p == ' ' || *p == '\t')
    return TRUE;
  return *p == '-' && (line->text_end == line->start + 1 || p[1] == ' ' || p[1] == '\t');
}

typedef struct
{
  gsize line_start;    /* the item's line, for removal */
  gsize line_end;
  gsize key_start;     /* a mapping's key, else key_start == key_end */
  gsize key_end;
  gsize value_start;
  gsize value_end;
} Item;

/* The items of a block list or mapping under "names:" on the lines after @first. */
static gboolean
block_items (const char *data, GArray *lines, guint first, GArray *items, gboolean *is_map)
{
  *is_map = FALSE;
  for (guint i = first + 1; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      const char *p, *end = data + line->text_end;
      Item item = { line->start, line->end, 0, 0, 0, 0 };

      if (!line_continues_block (data, line))
        break;
      if (line_is_blank (data, line))
        continue;
      p = skip_blanks (data + line->start, end);
      if (*p == '-' && (p + 1 == end || p[1] == ' ' || p[1] == '\t'))
        {
          if (items->len > 0 && *is_map)
            return FALSE;
          p = skip_blanks (p + 1, end);
          item.key_start = item.key_end = (gsize) (p - data);
        }
      else
        {
          const char *key_end = scalar_end (p, end, FALSE, TRUE);

          if (items->len > 0 && !*is_map)
            return FALSE;
          *is_map = TRUE;
          item.key_start = (gsize) (p - data);
          item.key_end = (gsize) (key_end - data);
          p = skip_blanks (key_end, end);
          if (p >= end || *p != ':')
            return FALSE;
          p = skip_blanks (p + 1, end);
        }
      item.value_start = (gsize) (p - data);
      item.value_end = (gsize) (scalar_end (p, end, FALSE, FALSE) - data);
      g_array_append_val (items, item);
    }
  return TRUE;
}

/* The byte after the bracket closing the flow collection opened at @open, or 0. */
static gsize
flow_end (const char *data, gsize length, gsize open)
{
  int depth = 0;
  char quote = 0;

  for (gsize k = open; k < length; k++)
    {
      char c = data[k];

      if (quote != 0)
        {
          if (c == '\\' && quote == '"')
            k++;
          else if (c == quote)
            quote = 0;
        }
      else if (c == '\'' || c == '"')
        quote = c;
      else if (c == '#' && (data[k - 1] == ' ' || data[k - 1] == '\t'))
        {
          while (k < length && data[k] != '\n')
            k++;
        }
      else if (c == '[' || c == '{')
        depth++;
      else if ((c == ']' || c == '}') && --depth == 0)
        return k + 1;
    }
  return 0;
}

/* The items of the flow collection whose brackets are at @open and @close - 1, or FALSE when
 * one is not "scalar" or "key: scalar" on one line. */
static gboolean
flow_items (const char *data, gsize open, gsize close, gboolean is_map, GArray *items)
{
  const char *p = data + open + 1, *last = data + close - 1;

  for (;;)
    {
      const char *line_end;
      Item item = { 0, 0, 0, 0, 0, 0 };

      while (p < last && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
      if (p < last && *p == '#')
        {
          while (p < last && *p != '\n')
            p++;
          continue;
        }
      if (p >= last)
        return TRUE;
      line_end = memchr (p, '\n', (gsize) (last - p));
      if (line_end == NULL)
        line_end = last;
      item.line_start = (gsize) (p - data);
      item.key_start = item.key_end = item.line_start;
      if (is_map)
        {
          const char *key_end = scalar_end (p, line_end, TRUE, TRUE);

          item.key_end = (gsize) (key_end - data);
          p = skip_blanks (key_end, line_end);
          if (p >= line_end || *p != ':')
            return FALSE;
          p = skip_blanks (p + 1, line_end);
        }
      item.value_start = (gsize) (p - data);
      p = scalar_end (p, line_end, TRUE, FALSE);
      item.value_end = (gsize) (p - data);
      if (item.value_end == item.value_start)
        return FALSE;
      p = skip_blanks (p, line_end);
      if (p < line_end && *p == ',')
        p++;
      else if (p < line_end && p != last)
        return FALSE;
      item.line_end = (gsize) (p - data);   /* after the comma, if any */
      g_array_append_val (items, item);
    }
}

/* Removes item @k of a flow collection with its comma: the one after it, or for the last item
 * the one before it. */
static void
remove_flow_item (GArray *patches, GArray *items, guint k)
{
  const Item *item = &g_array_index (items, Item, k);

  if (k + 1 < items->len)
    add_patch (patches, item->line_start, g_array_index (items, Item, k + 1).line_start, NULL);
  else if (k > 0)
    add_patch (patches, g_array_index (items, Item, k - 1).value_end, item->value_end, NULL);
  else
    add_patch (patches, item->line_start, item->value_end, NULL);
}

static gboolean
parse_key (const char *data, const Item *item, guint *key)
{
  g_autofree char *text = g_strndup (data + item->key_start, item->key_end - item->key_start);
  char *end = NULL;
  guint64 value;

  if (text[0] == '\'' || text[0] == '"')
    {
      gsize n = strlen (text);

      if (n < 2)
        return FALSE;
      memmove (text, text + 1, n - 2);
      text[n - 2] = '\0';
    }
  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || value > G_MAXINT)
    return FALSE;
  *key = (guint) value;
  return TRUE;
}

static GString *
edit_yaml (const char *path, const char *data, gsize length, BmClassList *classes, guint old_id,
           const char *new_name, gboolean removed, GError **error)
{
  g_autoptr(GArray) lines = split_lines (data, length);
  g_autoptr(GArray) patches = new_patches ();
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
  g_autoptr(GPtrArray) names = expected_names (classes, old_id, new_name, removed);
  int names_line = -1;

  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      const char *value;

      if ((value = top_level_value (data, line, "names")) != NULL)
        names_line = (int) i;
      else if (removed && (value = top_level_value (data, line, "nc")) != NULL)
        {
          const char *end = scalar_end (value, data + line->text_end, FALSE, FALSE);

          add_patch (patches, (gsize) (value - data), (gsize) (end - data),
                     g_strdup_printf ("%u", names->len));
        }
    }
  if (names_line < 0)
    {
      set_cannot_edit (error, path, _("no “names:” line at the start of a line"));
      return NULL;
    }
  {
    const Line *line = &g_array_index (lines, Line, names_line);
    const char *value = top_level_value (data, line, "names");
    const char *end = data + line->text_end;
    gboolean is_map;

    gboolean flow = value < end && (*value == '[' || *value == '{');
    const Item *item = NULL;
    guint index = 0;

    if (flow)
      {
        /* a flow list or mapping, maybe over several lines */
        gsize close = flow_end (data, length, (gsize) (value - data));

        is_map = *value == '{';
        if (close == 0 || !flow_items (data, (gsize) (value - data), close, is_map, items))
          {
            set_cannot_edit (error, path, _("the “names” brackets hold more than plain names"));
            return NULL;
          }
      }
    else if (value == end || *value == '#')
      {
        if (!block_items (data, lines, (guint) names_line, items, &is_map))
          {
            set_cannot_edit (error, path, _("“names” mixes list and mapping lines"));
            return NULL;
          }
      }
    else
      {
        set_cannot_edit (error, path, _("“names” is neither a list nor a mapping"));
        return NULL;
      }
    for (guint k = 0; k < items->len; k++)
      {
        const Item *candidate = &g_array_index (items, Item, k);
        guint key = k;

        if (is_map && !parse_key (data, candidate, &key))
          {
            set_cannot_edit (error, path, _("a “names” key is not a class id"));
            return NULL;
          }
        if (key == old_id)
          {
            item = candidate;
            index = k;
          }
        else if (removed && is_map && key > old_id)
          add_patch (patches, candidate->key_start, candidate->key_end, g_strdup_printf ("%u", key - 1));
      }
    if (item == NULL)
      {
        set_cannot_edit (error, path, _("its entry was not found"));
        return NULL;
      }
    if (!removed)
      add_patch (patches, item->value_start, item->value_end, bm_class_list_yaml_quote (new_name));
    else if (flow)
      remove_flow_item (patches, items, index);
    else
      {
        add_patch (patches, item->line_start, item->line_end, NULL);
        /* an empty block would read as null, which Ultralytics refuses: the empty list */
        if (items->len == 1)
          {
            const char *colon = memchr (data + line->start, ':', line->text_end - line->start);

            add_patch (patches, (gsize) (colon + 1 - data), line->text_end, g_strdup (" []"));
          }
      }
  }
  return apply_patches (data, length, patches);
}

/* ---- all kinds ---- */

gboolean
bm_relabel_is_class_file_name (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return strcmp (name, "classes.txt") == 0 || strcmp (name, "predefined_classes.txt") == 0
         || strcmp (name, "obj.names") == 0 || strcmp (name, "labelmap.txt") == 0
         || g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml");
}

static gboolean
is_yaml (const char *path)
{
  return g_str_has_suffix (path, ".yaml") || g_str_has_suffix (path, ".yml");
}

char *
bm_relabel_class_file_text (const char *path, const char *data, gsize length,
                            const char *old_name, const char *new_name,
                            int *old_id, gboolean *removed, gsize *out_length, GError **error)
{
  g_autofree char *base = NULL;
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(BmClassList) after = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) local_error = NULL;
  GString *out;
  int id;

  g_return_val_if_fail (path != NULL && old_name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (old_id != NULL && removed != NULL, NULL);

  *old_id = -1;
  *removed = FALSE;
  base = g_path_get_basename (path);
  if (strcmp (base, "labelmap.txt") == 0)
    {
      out = edit_labelmap (path, data, length, old_name, new_name, old_id, removed, error);
      if (out == NULL)
        return NULL;
      if (out_length != NULL)
        *out_length = out->len;
      return g_string_free (out, FALSE);
    }

  classes = is_yaml (path) ? bm_class_list_load_yaml_data (data, length, path, error)
                           : bm_class_list_load_txt_data (data, length, path, error);
  if (classes == NULL)
    return NULL;
  id = bm_class_list_find (classes, old_name);
  if (id < 0)
    return NULL;
  *old_id = id;
  *removed = new_name == NULL || bm_class_list_find (classes, new_name) >= 0;
  if (!*removed && !bm_class_list_name_fits_a_line (new_name))
    {
      set_cannot_edit (error, path, _("a class name there cannot hold a line break"));
      return NULL;
    }

  out = is_yaml (path) ? edit_yaml (path, data, length, classes, (guint) id, new_name, *removed, error)
                       : edit_txt (data, length, (guint) id, new_name, *removed);
  if (out == NULL)
    {
      if (error != NULL && *error == NULL)
        set_cannot_edit (error, path, _("its entry was not found"));
      return NULL;
    }

  /* Read back with the file's own reader: exactly the expected names, or nothing is written. */
  names = expected_names (classes, (guint) id, new_name, *removed);
  after = is_yaml (path) ? bm_class_list_load_yaml_data (out->str, out->len, path, &local_error)
                         : bm_class_list_load_txt_data (out->str, out->len, path, &local_error);
  if (after == NULL || !lists_equal (after, names))
    {
      set_cannot_edit (error, path, local_error != NULL ? local_error->message : _("the edit did not read back as intended"));
      g_string_free (out, TRUE);
      return NULL;
    }
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
