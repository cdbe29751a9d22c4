/* bm-onnx-meta.c: a minimal protobuf reader for ONNX's ModelProto, and the Python literals
 * Ultralytics writes into its metadata.
 *
 * Field numbers are those of onnx/onnx.proto (IR version 8): ModelProto 1 ir_version,
 * 2 producer_name, 7 graph, 8 opset_import, 14 metadata_props; OperatorSetIdProto 1 domain,
 * 2 version; StringStringEntryProto 1 key, 2 value; GraphProto 1 node, 5 initializer, 11 input,
 * 12 output; NodeProto 4 op_type; TensorProto 8 name; ValueInfoProto 1 name, 2 type;
 * TypeProto 1 tensor_type; TypeProto.Tensor 2 shape; TensorShapeProto 1 dim;
 * Dimension 1 dim_value, 2 dim_param. Everything else is skipped by its wire type.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "bm-error.h"
#include "bm-number.h"
#include "bm-onnx-meta.h"

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5 };

/* A window on the file: [pos, end). Offsets are from the start of the file, for messages. */
typedef struct
{
  const guint8 *data;
  gsize pos;
  gsize end;
  const char *name;
  GError **error;
  gboolean failed;
} Reader;

typedef struct
{
  guint field;
  guint wire;
  guint64 value;       /* varint and fixed values */
  gsize start, end;    /* WIRE_BYTES: the payload */
} Field;

static gboolean
fail (Reader *r, const char *problem)
{
  if (!r->failed)
    g_set_error (r->error, BM_ERROR, BM_ERROR_PARSE, _("%s: not a readable ONNX model (byte %zu: %s)"),
                 r->name, r->pos, problem);
  r->failed = TRUE;
  return FALSE;
}

static gboolean
read_varint (Reader *r, guint64 *value)
{
  guint64 v = 0;

  for (int shift = 0; shift < 64; shift += 7)
    {
      guint8 byte;

      if (r->pos >= r->end)
        return fail (r, _("the file ends inside a number"));
      byte = r->data[r->pos++];
      if (shift == 63 && (byte & 0x7e) != 0)
        return fail (r, _("a number does not fit in 64 bits"));
      v |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = v;
          return TRUE;
        }
    }
  return fail (r, _("a number does not fit in 64 bits"));
}

/* The next field of the message in [r->pos, r->end), or FALSE at its end or on error. */
static gboolean
next_field (Reader *r, Field *f)
{
  guint64 tag;

  if (r->failed || r->pos >= r->end)
    return FALSE;
  if (!read_varint (r, &tag))
    return FALSE;
  if ((tag >> 3) == 0 || (tag >> 3) > G_MAXINT32)
    return fail (r, _("a field number is out of range"));
  f->field = (guint) (tag >> 3);
  f->wire = (guint) (tag & 7);
  f->value = 0;
  f->start = f->end = 0;
  switch (f->wire)
    {
    case WIRE_VARINT:
      return read_varint (r, &f->value);
    case WIRE_FIXED64:
    case WIRE_FIXED32:
      {
        gsize size = f->wire == WIRE_FIXED64 ? 8 : 4;

        if (r->end - r->pos < size)
          return fail (r, _("the file ends inside a number"));
        for (gsize i = 0; i < size; i++)
          f->value |= (guint64) r->data[r->pos + i] << (8 * i);
        r->pos += size;
        return TRUE;
      }
    case WIRE_BYTES:
      {
        guint64 length;

        if (!read_varint (r, &length))
          return FALSE;
        if (length > r->end - r->pos)
          return fail (r, _("a field is longer than what is left of its message"));
        f->start = r->pos;
        f->end = r->pos + (gsize) length;
        r->pos = f->end;
        return TRUE;
      }
    default:
      return fail (r, _("unknown wire type (groups are not used by ONNX)"));
    }
}

/* A reader on the payload of @f, sharing the parent's error state. */
static Reader
sub_reader (const Reader *r, const Field *f)
{
  Reader sub = *r;

  sub.pos = f->start;
  sub.end = f->end;
  return sub;
}

static gboolean
expect_wire (Reader *r, const Field *f, guint wire)
{
  if (f->wire == wire)
    return TRUE;
  return fail (r, _("a field has the wrong type"));
}

/* A UTF-8 string field (protobuf strings are UTF-8; a NUL byte is refused too). */
static char *
read_string (Reader *r, const Field *f)
{
  const char *s = (const char *) r->data + f->start;
  gsize length = f->end - f->start;

  if (!expect_wire (r, f, WIRE_BYTES))
    return NULL;
  if (memchr (s, '\0', length) != NULL || !g_utf8_validate (s, (gssize) length, NULL))
    {
      r->pos = f->start;
      fail (r, _("a text field is not UTF-8"));
      return NULL;
    }
  return g_strndup (s, length);
}

static void
read_opset (Reader *r, BmOnnxInfo *info)
{
  g_autofree char *domain = NULL;
  gint64 version = 0;
  Field f;

  while (next_field (r, &f))
    if (f.field == 1)
      {
        g_free (domain);
        domain = read_string (r, &f);
      }
    else if (f.field == 2 && expect_wire (r, &f, WIRE_VARINT))
      version = (gint64) f.value;
  if (r->failed)
    return;
  if (domain == NULL || *domain == '\0' || strcmp (domain, "ai.onnx") == 0)
    info->opset = MAX (info->opset, version);
}

static void
read_metadata (Reader *r, BmOnnxInfo *info)
{
  char *key = NULL, *value = NULL;
  Field f;

  while (next_field (r, &f))
    if (f.field == 1 || f.field == 2)
      {
        char **slot = f.field == 1 ? &key : &value;

        g_free (*slot);
        *slot = read_string (r, &f);
      }
  if (r->failed)
    {
      g_free (key);
      g_free (value);
      return;
    }
  g_ptr_array_add (info->keys, key != NULL ? key : g_strdup (""));
  g_ptr_array_add (info->values, value != NULL ? value : g_strdup (""));
}

static void
read_dimension (Reader *r, gint64 *dims, int *n_dims)
{
  gint64 size = -1;
  Field f;

  while (next_field (r, &f))
    if (f.field == 1 && expect_wire (r, &f, WIRE_VARINT))
      size = (gint64) f.value >= 0 ? (gint64) f.value : -1;
  if (!r->failed && *n_dims < BM_ONNX_MAX_DIMS)
    dims[*n_dims] = size;
  (*n_dims)++;
}

/* ValueInfoProto → its name and tensor shape. */
static void
read_value_info (Reader *r, char **name, gint64 *dims, int *n_dims)
{
  Field f;

  *n_dims = 0;
  while (next_field (r, &f))
    if (f.field == 1)
      {
        g_free (*name);
        *name = read_string (r, &f);
      }
    else if (f.field == 2 && expect_wire (r, &f, WIRE_BYTES))
      {
        Reader type = sub_reader (r, &f);
        Field t;

        while (next_field (&type, &t))   /* TypeProto */
          if (t.field == 1 && expect_wire (&type, &t, WIRE_BYTES))
            {
              Reader tensor = sub_reader (&type, &t);
              Field s;

              while (next_field (&tensor, &s))   /* TypeProto.Tensor */
                if (s.field == 2 && expect_wire (&tensor, &s, WIRE_BYTES))
                  {
                    Reader shape = sub_reader (&tensor, &s);
                    Field d;

                    *n_dims = 0;
                    while (next_field (&shape, &d))   /* TensorShapeProto */
                      if (d.field == 1 && expect_wire (&shape, &d, WIRE_BYTES))
                        {
                          Reader dim = sub_reader (&shape, &d);

                          read_dimension (&dim, dims, n_dims);
                          shape.failed |= dim.failed;
                        }
                    tensor.failed |= shape.failed;
                  }
              type.failed |= tensor.failed;
            }
        r->failed |= type.failed;
      }
  if (*n_dims > BM_ONNX_MAX_DIMS)
    fail (r, _("a tensor has more than 8 dimensions"));
}

static char *
read_node_op_type (Reader *r)
{
  char *op_type = NULL;
  Field f;

  while (next_field (r, &f))
    if (f.field == 4)
      {
        g_free (op_type);
        op_type = read_string (r, &f);
      }
  return op_type;
}

static char *
read_tensor_name (Reader *r)
{
  char *name = NULL;
  Field f;

  while (next_field (r, &f))
    if (f.field == 8)
      {
        g_free (name);
        name = read_string (r, &f);
      }
  return name;
}

typedef struct
{
  char *name;
  int n_dims;
  gint64 dims[BM_ONNX_MAX_DIMS];
} ValueInfo;

static void
value_info_free (gpointer data)
{
  ValueInfo *v = data;

  g_free (v->name);
  g_free (v);
}

static void
read_graph (Reader *r, BmOnnxInfo *info)
{
  g_autoptr(GHashTable) initializers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (value_info_free);
  gboolean have_output = FALSE;
  Field f;

  while (next_field (r, &f))
    {
      Reader sub;

      if (f.field != 1 && f.field != 5 && f.field != 11 && f.field != 12)
        continue;
      if (!expect_wire (r, &f, WIRE_BYTES))
        break;
      sub = sub_reader (r, &f);
      if (f.field == 1)
        {
          g_autofree char *op_type = read_node_op_type (&sub);

          info->n_nodes++;
          if (g_strcmp0 (op_type, "Shape") == 0)
            info->n_shape_nodes++;
        }
      else if (f.field == 5)
        {
          char *name = read_tensor_name (&sub);

          if (name != NULL)
            g_hash_table_add (initializers, name);
        }
      else if (f.field == 11)
        {
          ValueInfo *v = g_new0 (ValueInfo, 1);

          read_value_info (&sub, &v->name, v->dims, &v->n_dims);
          g_ptr_array_add (inputs, v);
        }
      else if (!have_output)
        {
          read_value_info (&sub, &info->output_name, info->output_dims, &info->n_output_dims);
          have_output = TRUE;
        }
      r->failed |= sub.failed;
    }
  if (r->failed)
    return;
  /* Before IR version 4 the weights were listed among the inputs as well. */
  for (guint i = 0; i < inputs->len; i++)
    {
      ValueInfo *v = g_ptr_array_index (inputs, i);

      if (v->name != NULL && g_hash_table_contains (initializers, v->name))
        continue;
      g_free (info->input_name);   /* a second graph field (fuzz-onnx) */
      info->input_name = g_steal_pointer (&v->name);
      info->n_input_dims = v->n_dims;
      memcpy (info->input_dims, v->dims, sizeof info->input_dims);
      break;
    }
}

BmOnnxInfo *
bm_onnx_info_parse (const guint8 *data, gsize length, const char *name, GError **error)
{
  g_autoptr(BmOnnxInfo) info = g_new0 (BmOnnxInfo, 1);
  Reader r = { data, 0, length, name, error, FALSE };
  gboolean have_graph = FALSE;
  Field f;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  info->keys = g_ptr_array_new_with_free_func (g_free);
  info->values = g_ptr_array_new_with_free_func (g_free);
  info->producer_name = g_strdup ("");
  while (next_field (&r, &f))
    {
      Reader sub = sub_reader (&r, &f);

      switch (f.field)
        {
        case 1:
          if (expect_wire (&r, &f, WIRE_VARINT))
            info->ir_version = (gint64) f.value;
          break;
        case 2:
          {
            char *producer = read_string (&r, &f);

            if (producer != NULL)
              {
                g_free (info->producer_name);
                info->producer_name = producer;
              }
          }
          break;
        case 7:
          if (expect_wire (&r, &f, WIRE_BYTES))
            {
              read_graph (&sub, info);
              have_graph = TRUE;
            }
          break;
        case 8:
          if (expect_wire (&r, &f, WIRE_BYTES))
            read_opset (&sub, info);
          break;
        case 14:
          if (expect_wire (&r, &f, WIRE_BYTES))
            read_metadata (&sub, info);
          break;
        default:
          break;
        }
      if (sub.failed)
        r.failed = TRUE;
    }
  if (r.failed)
    return NULL;
  if (!have_graph || info->ir_version <= 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: not an ONNX model (no %s)"), name,
                   have_graph ? "ir_version" : "graph");
      return NULL;
    }
  return g_steal_pointer (&info);
}

void
bm_onnx_info_free (BmOnnxInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->producer_name);
  if (info->keys != NULL)
    g_ptr_array_unref (info->keys);
  if (info->values != NULL)
    g_ptr_array_unref (info->values);
  g_free (info->input_name);
  g_free (info->output_name);
  g_free (info);
}

const char *
bm_onnx_info_lookup (const BmOnnxInfo *info, const char *key)
{
  g_return_val_if_fail (info != NULL && key != NULL, NULL);

  for (guint i = info->keys->len; i-- > 0;)
    if (strcmp (g_ptr_array_index (info->keys, i), key) == 0)
      return g_ptr_array_index (info->values, i);
  return NULL;
}

/* ---- Python literals ---------------------------------------------------------------------- */

typedef struct
{
  const char *s;
  const char *p;
  GError **error;
} Literal;

static gboolean
literal_fail (Literal *l, const char *problem)
{
  g_set_error (l->error, BM_ERROR, BM_ERROR_PARSE, _("character %d: %s"), (int) (l->p - l->s) + 1, problem);
  return FALSE;
}

static void
skip_space (Literal *l)
{
  while (*l->p == ' ' || *l->p == '\t' || *l->p == '\n' || *l->p == '\r')
    l->p++;
}

static gboolean
accept (Literal *l, char c)
{
  skip_space (l);
  if (*l->p != c)
    return FALSE;
  l->p++;
  return TRUE;
}

static gboolean
read_int (Literal *l, gint64 *value)
{
  const char *start;
  g_autofree char *text = NULL;

  skip_space (l);
  start = l->p;
  if (*l->p == '-')
    l->p++;
  while (g_ascii_isdigit (*l->p))
    l->p++;
  text = g_strndup (start, (gsize) (l->p - start));
  if (!bm_number_parse_int (text, G_MININT64, G_MAXINT64, value))
    {
      l->p = start;
      return literal_fail (l, _("a whole number was expected"));
    }
  return TRUE;
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* A Python string literal as repr() writes it: quoted with ' or ", with \-escapes. */
static char *
read_string_literal (Literal *l)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char quote;

  skip_space (l);
  if (*l->p != '\'' && *l->p != '"')
    {
      literal_fail (l, _("a quoted name was expected"));
      return NULL;
    }
  quote = *l->p++;
  while (*l->p != quote)
    {
      gunichar c;
      int digits = 0;

      if (*l->p == '\0' || *l->p == '\n')
        {
          literal_fail (l, _("a quoted name does not end"));
          return NULL;
        }
      if (*l->p != '\\')
        {
          g_string_append_c (out, *l->p++);
          continue;
        }
      l->p++;
      switch (*l->p)
        {
        case '\\': case '\'': case '"': c = (guchar) *l->p; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'a': c = '\a'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'v': c = '\v'; break;
        case 'x': digits = 2; break;
        case 'u': digits = 4; break;
        case 'U': digits = 8; break;
        default:
          if (*l->p >= '0' && *l->p <= '7')
            {
              c = 0;
              for (int i = 0; i < 3 && *l->p >= '0' && *l->p <= '7'; i++)
                c = c * 8 + (gunichar) (*l->p++ - '0');
              l->p--;
              break;
            }
          literal_fail (l, _("unknown escape in a quoted name"));
          return NULL;
        }
      l->p++;
      if (digits > 0)
        {
          c = 0;
          for (int i = 0; i < digits; i++, l->p++)
            {
              int v = hex_value (*l->p);

              if (v < 0)
                {
                  literal_fail (l, _("bad hexadecimal escape in a quoted name"));
                  return NULL;
                }
              c = c * 16 + (gunichar) v;
            }
        }
      if (c == 0 || !g_unichar_validate (c))
        {
          literal_fail (l, _("a quoted name holds a character that is not allowed"));
          return NULL;
        }
      g_string_append_unichar (out, c);
    }
  l->p++;
  if (!g_utf8_validate (out->str, (gssize) out->len, NULL))
    {
      literal_fail (l, _("a quoted name is not UTF-8"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
at_end (Literal *l)
{
  skip_space (l);
  return *l->p == '\0' || literal_fail (l, _("unexpected text after the value"));
}

char **
bm_onnx_parse_names (const char *value, GError **error)
{
  Literal l = { value, value, error };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean is_dict;
  char close;

  g_return_val_if_fail (value != NULL, NULL);

  if (accept (&l, '{'))
    is_dict = TRUE, close = '}';
  else if (accept (&l, '['))
    is_dict = FALSE, close = ']';
  else
    {
      literal_fail (&l, _("class names are a {0: 'name', …} dict or a ['name', …] list"));
      return NULL;
    }
  if (!accept (&l, close))
    for (;;)
      {
        gint64 key = names->len;
        char *name;

        if (is_dict)
          {
            if (!read_int (&l, &key))
              return NULL;
            if (key < 0 || key >= 100000)
              {
                literal_fail (&l, _("a class number is out of range"));
                return NULL;
              }
            if (!accept (&l, ':'))
              {
                literal_fail (&l, _("“:” was expected"));
                return NULL;
              }
          }
        name = read_string_literal (&l);
        if (name == NULL)
          return NULL;
        if ((guint) key >= names->len)
          g_ptr_array_set_size (names, (guint) key + 1);
        if (g_ptr_array_index (names, key) != NULL)
          {
            g_free (name);
            literal_fail (&l, _("a class number appears twice"));
            return NULL;
          }
        g_ptr_array_index (names, key) = name;
        if (accept (&l, close))
          break;
        if (!accept (&l, ','))
          {
            literal_fail (&l, _("“,” was expected"));
            return NULL;
          }
        if (accept (&l, close))   /* a trailing comma */
          break;
      }
  if (!at_end (&l))
    return NULL;
  for (guint i = 0; i < names->len; i++)
    if (g_ptr_array_index (names, i) == NULL)
      {
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("class %u has no name"), i);
        return NULL;
      }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

int
bm_onnx_parse_ints (const char *value, gint64 *values, int max_values, GError **error)
{
  Literal l = { value, value, error };
  char close = 0;
  int n = 0;

  g_return_val_if_fail (value != NULL && values != NULL && max_values > 0, -1);

  if (accept (&l, '['))
    close = ']';
  else if (accept (&l, '('))
    close = ')';
  if (close == 0 || !accept (&l, close))
    for (;;)
      {
        gint64 v;

        if (!read_int (&l, &v))
          return -1;
        if (n == max_values)
          {
            literal_fail (&l, _("too many numbers"));
            return -1;
          }
        values[n++] = v;
        if (close == 0 || accept (&l, close))
          break;
        if (!accept (&l, ','))
          {
            literal_fail (&l, _("“,” was expected"));
            return -1;
          }
        if (accept (&l, close))
          break;
      }
  return at_end (&l) ? n : -1;
}
