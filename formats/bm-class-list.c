/* bm-class-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "bm-class-list.h"

/* More classes than any dataset has; names are made up for each when there is no list. */
#define MAX_NC 100000

struct _BmClassList
{
  gint ref_count;
  GPtrArray *names;     /* char*, index = class id */
  GHashTable *index;    /* name → GUINT_TO_POINTER (id + 1) */
  GHashTable *yaml;     /* top-level key → first value (char*, may be NULL) */
  char *path;
};

G_DEFINE_BOXED_TYPE (BmClassList, bm_class_list, bm_class_list_ref, bm_class_list_unref)

BmClassList *
bm_class_list_new (void)
{
  BmClassList *self = g_new0 (BmClassList, 1);

  self->ref_count = 1;
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->yaml = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

BmClassList *
bm_class_list_ref (BmClassList *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bm_class_list_unref (BmClassList *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->names);
  g_hash_table_unref (self->yaml);
  g_free (self->path);
  g_free (self);
}

guint
bm_class_list_get_n (BmClassList *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->names->len;
}

const char *
bm_class_list_get_name (BmClassList *self, guint id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id < self->names->len, NULL);
  return g_ptr_array_index (self->names, id);
}

int
bm_class_list_find (BmClassList *self, const char *name)
{
  gpointer value;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);
  value = g_hash_table_lookup (self->index, name);
  return value != NULL ? (int) GPOINTER_TO_UINT (value) - 1 : -1;
}

static char *
loose_key (const char *name)
{
  GString *key = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '_' || *p == '\t')
        g_string_append_c (key, ' ');
      else
        g_string_append_c (key, g_ascii_tolower (*p));
    }
  return g_string_free (key, FALSE);
}

int
bm_class_list_find_loose (BmClassList *self, const char *name)
{
  g_autofree char *wanted = NULL;
  int found = -1;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  found = bm_class_list_find (self, name);
  if (found >= 0)
    return found;
  wanted = loose_key (name);
  for (guint i = 0; i < self->names->len; i++)
    {
      g_autofree char *key = loose_key (g_ptr_array_index (self->names, i));

      if (strcmp (key, wanted) != 0)
        continue;
      if (found >= 0)
        return -1;
      found = (int) i;
    }
  return found;
}

guint
bm_class_list_add (BmClassList *self, const char *name)
{
  int id;
  char *copy;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  id = bm_class_list_find (self, name);
  if (id >= 0)
    return (guint) id;
  copy = g_strdup (name);
  g_ptr_array_add (self->names, copy);
  g_hash_table_insert (self->index, copy, GUINT_TO_POINTER (self->names->len));
  return self->names->len - 1;
}

const char *
bm_class_list_get_yaml_value (BmClassList *self, const char *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_hash_table_lookup (self->yaml, key);
}

const char *
bm_class_list_get_path (BmClassList *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/* ---- reading: shared helpers ---- */

typedef struct
{
  const char *text;   /* not NUL-terminated: length */
  gsize length;
  int number;
} Line;

/* Splits on \n, \r\n and a lone \r (as Python reads the file); strips a UTF-8 BOM. */
static GArray *
split_lines (const char *data, gsize length)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  gsize start = 0;
  int number = 1;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  while (start < length)
    {
      gsize end;
      const char *eol = bm_line_next (data, length, start, BM_LINES_UNIVERSAL, &end);
      Line line = { data + start, end - start, number++ };

      g_array_append_val (lines, line);
      start = end + strlen (eol);
    }
  return lines;
}

static gboolean
set_line_error (GError **error, int code, const char *path, int line, const char *message)
{
  g_set_error (error, BM_ERROR, code, "%s:%d: %s", path, line, message);
  return FALSE;
}

static gboolean
add_checked (BmClassList *self, const char *name, const char *path, int line, GError **error)
{
  if (name[0] == '\0')
    return set_line_error (error, BM_ERROR_INVALID, path, line, _("empty class name"));
  if (!g_utf8_validate (name, -1, NULL))
    return set_line_error (error, BM_ERROR_PARSE, path, line, _("class name is not valid UTF-8"));
  if (bm_class_list_find (self, name) >= 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("class “%s” is listed twice (ids must be unique)"), name);
      return set_line_error (error, BM_ERROR_INVALID, path, line, message);
    }
  bm_class_list_add (self, name);
  return TRUE;
}

BmClassList *
bm_class_list_load_txt_data (const char *data, gsize length, const char *path, GError **error)
{
  g_autoptr(BmClassList) self = bm_class_list_new ();
  g_autoptr(GArray) lines = split_lines (data, length);
  guint last = lines->len;

  /* Blank lines at the end are harmless; in the middle they would shift every later id. */
  while (last > 0)
    {
      Line *line = &g_array_index (lines, Line, last - 1);
      g_autofree char *text = g_strndup (line->text, line->length);

      if (g_strstrip (text)[0] != '\0')
        break;
      last--;
    }
  for (guint i = 0; i < last; i++)
    {
      Line *line = &g_array_index (lines, Line, i);
      g_autofree char *text = g_strndup (line->text, line->length);

      if (memchr (line->text, '\0', line->length) != NULL)
        {
          set_line_error (error, BM_ERROR_PARSE, path, line->number, _("the file contains a NUL byte"));
          return NULL;
        }
      if (!add_checked (self, g_strstrip (text), path, line->number, error))
        return NULL;
    }
  self->path = g_strdup (path);
  return g_steal_pointer (&self);
}

/* ---- the YAML subset ---- */

typedef struct
{
  const char *path;
  int line;
  GError **error;
} YamlContext;

static gboolean
yaml_error (YamlContext *ctx, const char *message)
{
  return set_line_error (ctx->error, BM_ERROR_PARSE, ctx->path, ctx->line, message);
}

static const char *
skip_blanks (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* TRUE when only blanks and maybe a comment are left. */
static gboolean
at_line_end (const char *p)
{
  p = skip_blanks (p);
  return *p == '\0' || *p == '#';
}

static gboolean
parse_single_quoted (YamlContext *ctx, const char **pp, GString *out)
{
  const char *p = *pp + 1;

  for (;;)
    {
      if (*p == '\0')
        return yaml_error (ctx, _("a quoted name has no closing quote"));
      if (*p == '\'')
        {
          if (p[1] != '\'')
            break;
          p++;
        }
      g_string_append_c (out, *p);
      p++;
    }
  *pp = p + 1;
  return TRUE;
}

static gboolean
parse_double_quoted (YamlContext *ctx, const char **pp, GString *out)
{
  const char *p = *pp + 1;

  while (*p != '"')
    {
      if (*p == '\0')
        return yaml_error (ctx, _("a quoted name has no closing quote"));
      if (*p != '\\')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p++;
      switch (*p)
        {
        case '"': case '\\': case '/': case ' ': g_string_append_c (out, *p); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'x': case 'u': case 'U':
          {
            int digits = *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
            gunichar c = 0;

            for (int i = 0; i < digits; i++)
              {
                int v = g_ascii_xdigit_value (p[1]);

                if (v < 0)
                  return yaml_error (ctx, _("bad escape sequence in a quoted name"));
                c = c * 16 + (gunichar) v;
                p++;
              }
            if (c == 0 || !g_unichar_validate (c))
              return yaml_error (ctx, _("bad escape sequence in a quoted name"));
            g_string_append_unichar (out, c);
            break;
          }
        default:
          return yaml_error (ctx, _("bad escape sequence in a quoted name"));
        }
      p++;
    }
  *pp = p + 1;
  return TRUE;
}

/* A plain scalar ends at " #", at the end, or (in a flow collection) at , ] } or ": ". */
static void
parse_plain (const char **pp, gboolean in_flow, gboolean is_key, GString *out)
{
  const char *p = *pp;
  const char *end;

  while (*p != '\0')
    {
      if ((*p == ' ' || *p == '\t') && p[1] == '#')
        break;
      if (in_flow && (*p == ',' || *p == ']' || *p == '}'))
        break;
      if (is_key && *p == ':' && (p[1] == ' ' || p[1] == '\t' || p[1] == '\0'
                                  || (in_flow && (p[1] == ',' || p[1] == '}'))))
        break;
      p++;
    }
  end = p;
  while (end > *pp && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  g_string_append_len (out, *pp, end - *pp);
  *pp = p;
}

/* Sets *is_null for a plain empty, "~" or "null" value. */
static gboolean
parse_scalar (YamlContext *ctx, const char **pp, gboolean in_flow, gboolean is_key,
              GString *out, gboolean *is_null)
{
  const char *p = skip_blanks (*pp);

  g_string_truncate (out, 0);
  *is_null = FALSE;
  if (*p == '\'' || *p == '"')
    {
      if (!(*p == '\'' ? parse_single_quoted (ctx, &p, out) : parse_double_quoted (ctx, &p, out)))
        return FALSE;
      *pp = p;
      return TRUE;
    }
  if (*p == '[' || *p == '{' || *p == '&' || *p == '*' || *p == '!' || *p == '|' || *p == '>')
    return yaml_error (ctx, _("nested collections, anchors, tags and block text are not supported here"));
  parse_plain (&p, in_flow, is_key, out);
  *pp = p;
  if (out->len == 0 || strcmp (out->str, "~") == 0 || strcmp (out->str, "null") == 0
      || strcmp (out->str, "Null") == 0 || strcmp (out->str, "NULL") == 0)
    *is_null = TRUE;
  return TRUE;
}

/* Parses "[a, b]" or "{0: a, 1: b}" from @text (all continuation lines joined). Keys go to
 * @keys (NULL for a list), values to @values. */
static gboolean
parse_flow (YamlContext *ctx, const char *text, GPtrArray *keys, GPtrArray *values)
{
  const char *p = skip_blanks (text);
  char close = *p == '[' ? ']' : '}';
  gboolean is_map = *p == '{';
  g_autoptr(GString) item = g_string_new (NULL);
  gboolean is_null;

  p++;
  for (;;)
    {
      p = skip_blanks (p);
      if (*p == close)
        break;
      if (is_map)
        {
          if (!parse_scalar (ctx, &p, TRUE, TRUE, item, &is_null))
            return FALSE;
          p = skip_blanks (p);
          if (*p != ':')
            return yaml_error (ctx, _("expected “id: name” in the {…} mapping"));
          g_ptr_array_add (keys, g_strdup (item->str));
          p++;
        }
      if (!parse_scalar (ctx, &p, TRUE, FALSE, item, &is_null))
        return FALSE;
      g_ptr_array_add (values, is_null ? NULL : g_strdup (item->str));
      p = skip_blanks (p);
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p != close)
        return yaml_error (ctx, close == ']' ? _("expected “,” or “]” in the […] list")
                                             : _("expected “,” or “}” in the {…} mapping"));
    }
  if (!at_line_end (p + 1))
    return yaml_error (ctx, _("unexpected text after the closing bracket"));
  return TRUE;
}

static int
line_indent (const Line *line, gboolean *has_tab)
{
  gsize i = 0;

  *has_tab = FALSE;
  while (i < line->length && (line->text[i] == ' ' || line->text[i] == '\t'))
    {
      if (line->text[i] == '\t')
        *has_tab = TRUE;
      i++;
    }
  return (int) i;
}

static gboolean
line_is_blank (const Line *line)
{
  gsize i = 0;

  while (i < line->length && (line->text[i] == ' ' || line->text[i] == '\t'))
    i++;
  return i == line->length || line->text[i] == '#';
}

/* Lines belonging to the value of the top-level key on line @i: indented ones, and "- item"
 * lines at column 0 (a block list may sit at the key's own indent). */
static gboolean
line_continues_block (const Line *line)
{
  gboolean has_tab;

  if (line_is_blank (line))
    return TRUE;
  if (line_indent (line, &has_tab) > 0)
    return TRUE;
  return line->length >= 1 && line->text[0] == '-'
         && (line->length == 1 || line->text[1] == ' ');
}

/* Joins a flow collection that may span lines until its brackets balance. Returns the index of
 * the last line used. Quotes are honoured so that "[a, ']']" works. */
static gboolean
collect_flow (YamlContext *ctx, GArray *lines, guint first, const char *start, GString *text, guint *last)
{
  int depth = 0;
  char quote = 0;
  guint i = first;
  const char *p = start;
  gsize remaining = ((Line *) &g_array_index (lines, Line, first))->length
                    - (gsize) (start - g_array_index (lines, Line, first).text);

  g_string_truncate (text, 0);
  for (;;)
    {
      for (gsize k = 0; k < remaining; k++)
        {
          char c = p[k];

          if (c == '\0')
            return yaml_error (ctx, _("the file contains a NUL byte"));
          if (quote != 0)
            {
              if (c == '\\' && quote == '"' && k + 1 < remaining)
                {
                  g_string_append_c (text, c);
                  c = p[++k];
                }
              else if (c == quote)
                quote = 0;
            }
          else if (c == '\'' || c == '"')
            quote = c;
          else if (c == '#' && (k == 0 || p[k - 1] == ' ' || p[k - 1] == '\t'))
            break;
          else if (c == '[' || c == '{')
            depth++;
          else if (c == ']' || c == '}')
            depth--;
          g_string_append_c (text, c);
        }
      if (depth <= 0)
        break;
      g_string_append_c (text, ' ');
      if (++i >= lines->len)
        return yaml_error (ctx, _("a […] or {…} collection is never closed"));
      p = g_array_index (lines, Line, i).text;
      remaining = g_array_index (lines, Line, i).length;
      quote = 0;
    }
  *last = i;
  return TRUE;
}

/* Parses the block list or block mapping of "names:" (or a split key) on lines after @i. */
static gboolean
parse_block (YamlContext *ctx, GArray *lines, guint *i, GPtrArray *keys, GPtrArray *values)
{
  g_autoptr(GString) item = g_string_new (NULL);
  int kind = 0;   /* 1 list, 2 mapping */
  int indent = -1;
  gboolean is_null;

  while (*i + 1 < lines->len && line_continues_block (&g_array_index (lines, Line, *i + 1)))
    {
      Line *line = &g_array_index (lines, Line, ++*i);
      g_autofree char *text = g_strndup (line->text, line->length);
      gboolean has_tab;
      int this_indent;
      const char *p;

      if (line_is_blank (line))
        continue;
      ctx->line = line->number;
      if (strlen (text) != line->length)
        return yaml_error (ctx, _("the file contains a NUL byte"));
      this_indent = line_indent (line, &has_tab);
      if (has_tab)
        return yaml_error (ctx, _("tabs are not allowed for indentation in YAML"));
      if (indent < 0)
        indent = this_indent;
      else if (this_indent != indent)
        return yaml_error (ctx, _("inconsistent indentation"));
      p = text + this_indent;
      if (*p == '-' && (p[1] == ' ' || p[1] == '\0'))
        {
          if (kind == 2)
            return yaml_error (ctx, _("a list item inside an “id: name” mapping"));
          kind = 1;
          p++;
        }
      else
        {
          if (kind == 1)
            return yaml_error (ctx, _("an “id: name” line inside a “- name” list"));
          kind = 2;
          if (!parse_scalar (ctx, &p, FALSE, TRUE, item, &is_null))
            return FALSE;
          if (*p != ':')
            return yaml_error (ctx, _("expected “- name” or “id: name”"));
          g_ptr_array_add (keys, g_strdup (item->str));
          p++;
        }
      if (!parse_scalar (ctx, &p, FALSE, FALSE, item, &is_null))
        return FALSE;
      if (!at_line_end (p))
        return yaml_error (ctx, _("unexpected text after the name"));
      g_ptr_array_add (values, is_null ? NULL : g_strdup (item->str));
    }
  return TRUE;
}

/* The value of a top-level key: scalar, flow collection or block below. */
static gboolean
parse_value (YamlContext *ctx, GArray *lines, guint *i, const char *base, const char *rest,
             GPtrArray *keys, GPtrArray *values, gboolean *is_collection)
{
  g_autoptr(GString) item = g_string_new (NULL);
  const char *p = skip_blanks (rest);
  gboolean is_null;

  *is_collection = FALSE;
  if (*p == '[' || *p == '{')
    {
      g_autoptr(GString) flow = g_string_new (NULL);
      const char *line_start = g_array_index (lines, Line, *i).text;
      guint last;

      /* @base is a copy of line *i: point into the original so continuation lines follow. */
      *is_collection = TRUE;
      if (!collect_flow (ctx, lines, *i, line_start + (p - base), flow, &last))
        return FALSE;
      *i = last;
      return parse_flow (ctx, flow->str, keys, values);
    }
  if (at_line_end (p))
    {
      guint before = *i;

      if (!parse_block (ctx, lines, i, keys, values))
        return FALSE;
      *is_collection = *i != before && values->len > 0;
      return TRUE;
    }
  if (!parse_scalar (ctx, &p, FALSE, FALSE, item, &is_null))
    return FALSE;
  if (!at_line_end (p))
    return yaml_error (ctx, _("unexpected text after the value"));
  g_ptr_array_add (values, is_null ? NULL : g_strdup (item->str));
  return TRUE;
}

static gboolean
parse_class_id (const char *key, guint *id)
{
  guint64 value;

  if (key == NULL || !g_ascii_isdigit (key[0]))
    return FALSE;
  if (!bm_number_parse_uint (key, G_MAXINT, &value))
    return FALSE;
  *id = (guint) value;
  return TRUE;
}

static gboolean
fill_names (BmClassList *self, YamlContext *ctx, GPtrArray *keys, GPtrArray *values, gboolean is_map)
{
  g_autofree const char **ordered = NULL;

  if (!is_map)
    {
      for (guint k = 0; k < values->len; k++)
        if (!add_checked (self, values->pdata[k] ? values->pdata[k] : "", ctx->path, ctx->line, ctx->error))
          return FALSE;
      return TRUE;
    }
  /* Ultralytics requires the ids of a mapping to be exactly 0 … n-1. */
  ordered = g_new0 (const char *, values->len);
  for (guint k = 0; k < keys->len; k++)
    {
      guint id;

      if (!parse_class_id (keys->pdata[k], &id) || id >= values->len)
        {
          g_autofree char *message =
            g_strdup_printf (_("class id “%s” is not one of 0 … %u (ids must be 0, 1, 2 … without gaps)"),
                             (char *) keys->pdata[k], values->len - 1);
          return yaml_error (ctx, message);
        }
      if (ordered[id] != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("class id %u is given twice"), id);
          return yaml_error (ctx, message);
        }
      ordered[id] = values->pdata[k] ? values->pdata[k] : "";
    }
  for (guint id = 0; id < values->len; id++)
    if (!add_checked (self, ordered[id], ctx->path, ctx->line, ctx->error))
      return FALSE;
  return TRUE;
}

BmClassList *
bm_class_list_load_yaml_data (const char *data, gsize length, const char *path, GError **error)
{
  g_autoptr(BmClassList) self = bm_class_list_new ();
  g_autoptr(GArray) lines = split_lines (data, length);
  YamlContext ctx = { path, 0, error };
  gboolean have_names = FALSE;
  gint64 nc = -1;
  int names_line = 0, nc_line = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = &g_array_index (lines, Line, i);
      g_autofree char *text = g_strndup (line->text, line->length);
      g_autoptr(GString) key = g_string_new (NULL);
      g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      const char *p = text;
      gboolean is_null, is_collection;

      ctx.line = line->number;
      if (line_is_blank (line))
        continue;
      if (strlen (text) != line->length)
        return yaml_error (&ctx, _("the file contains a NUL byte")), NULL;
      if (g_str_has_prefix (text, "---") || g_str_has_prefix (text, "...") || text[0] == '%')
        continue;
      if (text[0] == ' ' || text[0] == '\t')
        return yaml_error (&ctx, _("indented line outside of a key")), NULL;
      if (!parse_scalar (&ctx, &p, FALSE, TRUE, key, &is_null))
        return NULL;
      if (*p != ':')
        return yaml_error (&ctx, _("expected “key: value”")), NULL;
      p++;

      if (strcmp (key->str, "names") != 0 && strcmp (key->str, "nc") != 0
          && strcmp (key->str, "path") != 0 && strcmp (key->str, "train") != 0
          && strcmp (key->str, "val") != 0 && strcmp (key->str, "validation") != 0
          && strcmp (key->str, "test") != 0)
        {
          /* Other keys (download scripts, roboflow blocks...) are skipped with their contents. */
          while (i + 1 < lines->len && line_continues_block (&g_array_index (lines, Line, i + 1)))
            i++;
          continue;
        }
      if (!parse_value (&ctx, lines, &i, text, p, keys, values, &is_collection))
        return NULL;

      if (strcmp (key->str, "names") == 0)
        {
          if (have_names)
            return yaml_error (&ctx, _("“names” is given twice")), NULL;
          have_names = TRUE;
          names_line = line->number;
          if (!is_collection && values->len == 1)
            {
              ctx.line = line->number;
              return yaml_error (&ctx, _("“names” must be a list or an “id: name” mapping")), NULL;
            }
          if (!fill_names (self, &ctx, keys, values, keys->len > 0))
            return NULL;
        }
      else if (strcmp (key->str, "nc") == 0)
        {
          guint64 value;

          const char *nc_text = values->len == 1 ? values->pdata[0] : NULL;
          gboolean digits = nc_text != NULL && nc_text[0] != '\0'
                            && nc_text[strspn (nc_text, "0123456789")] == '\0';

          if (is_collection || nc_text == NULL || (!digits && !bm_number_parse_uint (nc_text, MAX_NC, &value)))
            return yaml_error (&ctx, _("“nc” must be a whole number")), NULL;
          /* A whole number all the same: say what is wrong with it. */
          if (!bm_number_parse_uint (nc_text, MAX_NC, &value))
            {
              g_autofree char *message =
                g_strdup_printf (_("“nc” is %s; more than %d classes are refused"),
                                 (const char *) values->pdata[0], MAX_NC);
              return yaml_error (&ctx, message), NULL;
            }
          nc = (gint64) value;
          nc_line = line->number;
        }
      else
        {
          const char *name = strcmp (key->str, "validation") == 0 ? "val" : key->str;

          g_hash_table_replace (self->yaml, g_strdup (name),
                                values->len > 0 ? g_strdup (values->pdata[0]) : NULL);
        }
    }

  if (!have_names && nc < 0)
    {
      ctx.line = 0;
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: no “names” list (and no “nc”)"), path);
      return NULL;
    }
  if (!have_names)
    {
      for (gint64 k = 0; k < nc; k++)
        {
          g_autofree char *name = g_strdup_printf ("class_%" G_GINT64_FORMAT, k);
          bm_class_list_add (self, name);
        }
    }
  else if (nc >= 0 && (guint64) nc != self->names->len)
    {
      g_autofree char *message =
        g_strdup_printf (_("“nc” is %" PRId64 " but “names” (line %d) has %u classes"),
                         nc, names_line, self->names->len);
      ctx.line = nc_line;
      set_line_error (error, BM_ERROR_INVALID, path, nc_line, message);
      return NULL;
    }
  self->path = g_strdup (path);
  return g_steal_pointer (&self);
}

BmClassList *
bm_class_list_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!bm_file_read_all (path, &data, &length, error))
    return NULL;
  if (g_str_has_suffix (path, ".yaml") || g_str_has_suffix (path, ".yml")
      || g_str_has_suffix (path, ".YAML") || g_str_has_suffix (path, ".YML"))
    return bm_class_list_load_yaml_data (data, length, path, error);
  return bm_class_list_load_txt_data (data, length, path, error);
}

/* ---- writing ---- */

/* Line breaks and the other control characters, but not the tab, which keeps a line a line. */
static gboolean
breaks_a_line (char c)
{
  return ((guchar) c < 0x20 && c != '\t') || c == 0x7f;
}

gboolean
bm_class_list_name_fits_a_line (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (const char *p = name; *p != '\0'; p++)
    if (breaks_a_line (*p))
      return FALSE;
  return TRUE;
}

int
bm_class_list_find_unfit_name (BmClassList *self)
{
  g_return_val_if_fail (self != NULL, -1);
  for (guint i = 0; i < self->names->len; i++)
    if (!bm_class_list_name_fits_a_line (g_ptr_array_index (self->names, i)))
      return (int) i;
  return -1;
}

char *
bm_class_list_make_name (const char *label)
{
  char *name;

  g_return_val_if_fail (label != NULL, NULL);
  name = g_strdup (label);
  for (char *p = name; *p != '\0'; p++)
    if (breaks_a_line (*p))
      *p = ' ';
  return name;
}

char *
bm_class_list_to_txt (BmClassList *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; i < self->names->len; i++)
    {
      g_autofree char *name = bm_class_list_make_name (g_ptr_array_index (self->names, i));

      g_string_append (out, name);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_safe_plain (const char *name)
{
  static const char *const special[] = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);
  const char *end;

  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (" _-./()", *p) == NULL)
      return FALSE;
  end = name + strlen (name);
  if (end[-1] == ' ')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (special); i++)
    if (strcmp (lower, special[i]) == 0)
      return FALSE;
  return TRUE;
}

char *
bm_class_list_yaml_quote (const char *name)
{
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);
  if (is_safe_plain (name))
    return g_strdup (name);
  out = g_string_new ("\"");
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
bm_class_list_to_yaml (BmClassList *self, const char *path, const char *train, const char *val)
{
  GString *out = g_string_new ("# Written by Boxmark\n");

  g_return_val_if_fail (self != NULL, NULL);
  if (path != NULL)
    {
      g_autofree char *quoted = bm_class_list_yaml_quote (path);
      g_string_append_printf (out, "path: %s\n", quoted);
    }
  if (train != NULL)
    g_string_append_printf (out, "train: %s\n", train);
  if (val != NULL)
    g_string_append_printf (out, "val: %s\n", val);
  g_string_append (out, self->names->len > 0 ? "\nnames:\n" : "\nnames: []\n");
  for (guint i = 0; i < self->names->len; i++)
    {
      g_autofree char *quoted = bm_class_list_yaml_quote (g_ptr_array_index (self->names, i));
      g_string_append_printf (out, "  %u: %s\n", i, quoted);
    }
  return g_string_free (out, FALSE);
}
