/* bm-class-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <yaml.h>

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

/* ---- data.yaml, through libyaml ---- */

typedef struct
{
  yaml_document_t document;
  const char *path;
  GError **error;
} YamlFile;

static int
node_line (const yaml_node_t *node)
{
  return (int) node->start_mark.line + 1;
}

static gboolean
yaml_error_at (YamlFile *file, int line, int code, const char *message)
{
  return set_line_error (file->error, code, file->path, line, message);
}

/* The parser's own words (English: libyaml has no translations) with where it stopped, and
 * where the construct it was reading began, as PyYAML says it. */
static void
set_parser_error (const yaml_parser_t *parser, const char *path, GError **error)
{
  int line = (int) parser->problem_mark.line + 1;
  const char *problem = parser->problem != NULL ? parser->problem : "unknown problem";
  g_autofree char *message = NULL;

  if (parser->error == YAML_MEMORY_ERROR)
    message = g_strdup (_("out of memory while reading YAML"));
  else if (parser->context != NULL)
    message = g_strdup_printf (_("not valid YAML: %s, column %d (%s, from line %d)"), problem,
                               (int) parser->problem_mark.column + 1, parser->context,
                               (int) parser->context_mark.line + 1);
  else
    message = g_strdup_printf (_("not valid YAML: %s, column %d"), problem,
                               (int) parser->problem_mark.column + 1);
  set_line_error (error, BM_ERROR_PARSE, path, line, message);
}

/* A scalar's text; NULL for a null (plain "", "~", "null", or tagged !!null) and for anything
 * that is not a scalar. *@has_nul is set for text holding a NUL byte ("\0" in double quotes). */
static const char *
scalar_text (const yaml_node_t *node, gboolean *has_nul)
{
  const char *text;

  if (has_nul != NULL)
    *has_nul = FALSE;
  if (node == NULL || node->type != YAML_SCALAR_NODE)
    return NULL;
  text = (const char *) node->data.scalar.value;
  if (node->tag != NULL && strcmp ((const char *) node->tag, YAML_NULL_TAG) == 0)
    return NULL;
  if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
      && (text[0] == '\0' || strcmp (text, "~") == 0 || strcmp (text, "null") == 0
          || strcmp (text, "Null") == 0 || strcmp (text, "NULL") == 0))
    return NULL;
  if (has_nul != NULL)
    *has_nul = strlen (text) != node->data.scalar.length;
  return text;
}

static gboolean
take_name (BmClassList *self, YamlFile *file, yaml_node_t *node)
{
  gboolean has_nul;
  const char *name = scalar_text (node, &has_nul);

  if (node->type != YAML_SCALAR_NODE)
    return yaml_error_at (file, node_line (node), BM_ERROR_INVALID,
                          _("a class name must be text, not a list or a mapping"));
  if (has_nul)
    return yaml_error_at (file, node_line (node), BM_ERROR_PARSE, _("a class name holds a NUL byte"));
  return add_checked (self, name != NULL ? name : "", file->path, node_line (node), file->error);
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

/* names: a list, or a mapping whose keys are exactly the ids 0 … n-1 (as Ultralytics requires). */
static gboolean
fill_names (BmClassList *self, YamlFile *file, yaml_node_t *names)
{
  yaml_document_t *doc = &file->document;

  if (names->type == YAML_SCALAR_NODE)
    {
      if (scalar_text (names, NULL) == NULL)
        return TRUE;
      return yaml_error_at (file, node_line (names), BM_ERROR_PARSE,
                            _("“names” must be a list or an “id: name” mapping"));
    }
  if (names->type == YAML_SEQUENCE_NODE)
    {
      for (yaml_node_item_t *item = names->data.sequence.items.start; item < names->data.sequence.items.top; item++)
        if (!take_name (self, file, yaml_document_get_node (doc, *item)))
          return FALSE;
      return TRUE;
    }
  {
    gsize n = (gsize) (names->data.mapping.pairs.top - names->data.mapping.pairs.start);
    g_autofree yaml_node_t **ordered = g_new0 (yaml_node_t *, MAX (n, 1));

    for (yaml_node_pair_t *pair = names->data.mapping.pairs.start; pair < names->data.mapping.pairs.top; pair++)
      {
        yaml_node_t *key = yaml_document_get_node (doc, pair->key);
        const char *key_text = scalar_text (key, NULL);
        guint id;

        if (!parse_class_id (key_text, &id) || id >= n)
          {
            g_autofree char *message =
              g_strdup_printf (_("class id “%s” is not one of 0 … %u (ids must be 0, 1, 2 … without gaps)"),
                               key_text != NULL ? key_text : "", (guint) n - 1);
            return yaml_error_at (file, node_line (key), BM_ERROR_PARSE, message);
          }
        if (ordered[id] != NULL)
          {
            g_autofree char *message = g_strdup_printf (_("class id %u is given twice"), id);
            return yaml_error_at (file, node_line (key), BM_ERROR_PARSE, message);
          }
        ordered[id] = yaml_document_get_node (doc, pair->value);
      }
    for (gsize id = 0; id < n; id++)
      if (!take_name (self, file, ordered[id]))
        return FALSE;
    return TRUE;
  }
}

static gboolean
read_nc (YamlFile *file, yaml_node_t *node, gint64 *nc)
{
  const char *text = scalar_text (node, NULL);
  guint64 value;

  if (text == NULL || text[0] == '\0' || text[strspn (text, "0123456789")] != '\0')
    return yaml_error_at (file, node_line (node), BM_ERROR_PARSE, _("“nc” must be a whole number"));
  if (!bm_number_parse_uint (text, MAX_NC, &value))
    {
      g_autofree char *message =
        g_strdup_printf (_("“nc” is %s; more than %d classes are refused"), text, MAX_NC);
      return yaml_error_at (file, node_line (node), BM_ERROR_PARSE, message);
    }
  *nc = (gint64) value;
  return TRUE;
}

/* path, train, val, test: a scalar, or a list whose first item is taken; NULL when empty. */
static char *
path_value (YamlFile *file, yaml_node_t *node)
{
  if (node->type == YAML_SEQUENCE_NODE)
    {
      if (node->data.sequence.items.start == node->data.sequence.items.top)
        return NULL;
      node = yaml_document_get_node (&file->document, node->data.sequence.items.start[0]);
    }
  return g_strdup (scalar_text (node, NULL));
}

static const char *const known_keys[] = { "names", "nc", "path", "train", "val", "validation", "test" };

static int
known_key_index (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_keys); i++)
    if (key != NULL && strcmp (key, known_keys[i]) == 0)
      return (int) i;
  return -1;
}

/* The top-level keys Boxmark reads, with "<<: *anchor" merge keys applied (a key of the mapping
 * itself wins over a merged one). A key given twice is an error, as in Ultralytics' loader. */
static gboolean
collect_keys (YamlFile *file, yaml_node_t *root, yaml_node_t *found[G_N_ELEMENTS (known_keys)])
{
  yaml_document_t *doc = &file->document;

  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = yaml_document_get_node (doc, pair->key);
      int index = known_key_index (scalar_text (key, NULL));

      if (index < 0)
        continue;
      if (found[index] != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is given twice"), known_keys[index]);
          return yaml_error_at (file, node_line (key), BM_ERROR_PARSE, message);
        }
      found[index] = yaml_document_get_node (doc, pair->value);
    }
  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = yaml_document_get_node (doc, pair->key);
      yaml_node_t *value = yaml_document_get_node (doc, pair->value);
      yaml_node_item_t single = pair->value;
      yaml_node_item_t *first = &single, *last = &single + 1;

      if (g_strcmp0 (scalar_text (key, NULL), "<<") != 0)
        continue;
      if (value->type == YAML_SEQUENCE_NODE)
        {
          first = value->data.sequence.items.start;
          last = value->data.sequence.items.top;
        }
      for (yaml_node_item_t *item = first; item < last; item++)
        {
          yaml_node_t *merged = yaml_document_get_node (doc, *item);

          if (merged->type != YAML_MAPPING_NODE)
            return yaml_error_at (file, node_line (merged), BM_ERROR_PARSE,
                                  _("“<<” must merge a mapping or a list of mappings"));
          for (yaml_node_pair_t *m = merged->data.mapping.pairs.start; m < merged->data.mapping.pairs.top; m++)
            {
              int index = known_key_index (scalar_text (yaml_document_get_node (doc, m->key), NULL));

              if (index >= 0 && found[index] == NULL)
                found[index] = yaml_document_get_node (doc, m->value);
            }
        }
    }
  return TRUE;
}

static BmClassList *
class_list_from_document (YamlFile *file)
{
  g_autoptr(BmClassList) self = bm_class_list_new ();
  yaml_node_t *root = yaml_document_get_root_node (&file->document);
  yaml_node_t *found[G_N_ELEMENTS (known_keys)] = { NULL };
  yaml_node_t *names, *nc_node;
  gint64 nc = -1;

  if (root != NULL && root->type != YAML_MAPPING_NODE)
    {
      yaml_error_at (file, node_line (root), BM_ERROR_PARSE,
                     _("expected “key: value” lines (names, nc, path, train, val)"));
      return NULL;
    }
  if (root != NULL && !collect_keys (file, root, found))
    return NULL;
  names = found[0];
  nc_node = found[1];
  if (names == NULL && nc_node == NULL)
    {
      g_set_error (file->error, BM_ERROR, BM_ERROR_INVALID, _("%s: no “names” list (and no “nc”)"), file->path);
      return NULL;
    }
  if (nc_node != NULL && !read_nc (file, nc_node, &nc))
    return NULL;
  if (names != NULL && !fill_names (self, file, names))
    return NULL;
  if (names == NULL)
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
                         nc, node_line (names), self->names->len);
      yaml_error_at (file, node_line (nc_node), BM_ERROR_INVALID, message);
      return NULL;
    }

  for (guint i = 2; i < G_N_ELEMENTS (known_keys); i++)
    {
      const char *key = g_str_equal (known_keys[i], "validation") ? "val" : known_keys[i];

      if (found[i] == NULL || (i == 5 && found[4] != NULL))
        continue;
      g_hash_table_replace (self->yaml, g_strdup (key), path_value (file, found[i]));
    }
  return g_steal_pointer (&self);
}

BmClassList *
bm_class_list_load_yaml_data (const char *data, gsize length, const char *path, GError **error)
{
  yaml_parser_t parser;
  YamlFile file = { .path = path, .error = error };
  yaml_document_t extra;
  BmClassList *self = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (memchr (data, '\0', length) != NULL)
    {
      const char *nul = memchr (data, '\0', length);
      int line = 1;

      for (const char *p = data; p < nul; p++)
        line += *p == '\n';
      set_line_error (error, BM_ERROR_PARSE, path, line, _("the file contains a NUL byte"));
      return NULL;
    }
  if (!yaml_parser_initialize (&parser))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: out of memory while reading YAML"), path);
      return NULL;
    }
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);
  if (!yaml_parser_load (&parser, &file.document))
    {
      set_parser_error (&parser, path, error);
      yaml_parser_delete (&parser);
      return NULL;
    }

  /* One document, as Ultralytics' yaml.safe_load wants it. */
  if (!yaml_parser_load (&parser, &extra))
    set_parser_error (&parser, path, error);
  else
    {
      yaml_node_t *second = yaml_document_get_root_node (&extra);

      if (second != NULL)
        yaml_error_at (&file, node_line (second), BM_ERROR_PARSE,
                       _("a second YAML document (after “---”): the file must hold one"));
      else
        self = class_list_from_document (&file);
      yaml_document_delete (&extra);
    }
  yaml_document_delete (&file.document);
  yaml_parser_delete (&parser);
  if (self != NULL)
    self->path = g_strdup (path);
  return self;
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

/* Characters YAML 1.1 does not allow in a stream (libyaml rejects the whole file: the C1
 * controls, U+FFFE, U+FFFF) or reads as a line break that a quoted scalar folds into a space
 * (NEL, U+2028, U+2029), and the BOM, which a reader may drop: written as escapes, so the
 * name reads back unchanged (PyYAML reads the same escapes). */
static gboolean
yaml_needs_escape (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff
         || c == 0xfffe || c == 0xffff;
}

char *
bm_class_list_yaml_quote (const char *name)
{
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);
  if (is_safe_plain (name))
    return g_strdup (name);
  out = g_string_new ("\"");
  for (const char *p = name; *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *next = c < 0x110000 ? g_utf8_next_char (p) : p + 1;

      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (c < 0x110000 && yaml_needs_escape (c))
        g_string_append_printf (out, c <= 0xff ? "\\x%02x" : c <= 0xffff ? "\\u%04x" : "\\U%08x", c);
      else
        g_string_append_len (out, p, next - p);
      p = next;
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
