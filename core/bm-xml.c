/* bm-xml.c: safe XML reading with libxml2, shared by the VOC reader and the cascade loader.
 *
 * No network, no DTD loading, no entity substitution, and no entity declarations at all (they
 * are either a bomb or a way to read other files). Every error reads "FILE:LINE: problem".
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "bm-error.h"
#include "bm-file-util.h"
#include "bm-xml.h"

gboolean
bm_xml_is_element (xmlNode *node, const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE
         && (name == NULL || strcmp ((const char *) node->name, name) == 0);
}

xmlNode *
bm_xml_find_child (xmlNode *parent, const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (bm_xml_is_element (child, name))
      return child;
  return NULL;
}

int
bm_xml_node_line (xmlNode *node)
{
  long line = node != NULL ? xmlGetLineNo (node) : 0;

  return line > 0 && line < G_MAXINT ? (int) line : 0;
}

char *
bm_xml_element_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup (content != NULL ? (const char *) content : "");

  xmlFree (content);
  return text;
}

gboolean
bm_xml_is_blank_text (xmlNode *node)
{
  if (node == NULL || node->type != XML_TEXT_NODE)
    return FALSE;
  for (const xmlChar *p = node->content; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Encodings: every file is parsed as UTF-8. Others (UTF-16 and UTF-32 by their byte order mark
 * or first bytes, 8-bit ones by their declaration) are converted first and converted back on
 * saving, so a UTF-16 file stays UTF-16, byte for byte where nothing changed. */

void
bm_xml_encoding_clear (BmXmlEncoding *encoding)
{
  g_clear_pointer (&encoding->name, g_free);
  encoding->bom_length = 0;
}

/* The encoding the <?xml … ?> declaration at @head names (ASCII-compatible text), or NULL. */
static char *
declared_encoding (const char *head, gsize length)
{
  g_autofree char *text = g_strndup (head, MIN (length, 200));
  const char *enc, *end;
  char quote;

  if (!g_str_has_prefix (text, "<?xml") || (end = strstr (text, "?>")) == NULL)
    return NULL;
  enc = g_strstr_len (text, end - text, "encoding");
  if (enc == NULL)
    return NULL;
  enc += strlen ("encoding");
  while (*enc == ' ' || *enc == '\t' || *enc == '\r' || *enc == '\n' || *enc == '=')
    enc++;
  quote = *enc;
  if (quote != '"' && quote != '\'')
    return NULL;
  enc++;
  end = strchr (enc, quote);
  if (end == NULL)
    return NULL;
  return g_strndup (enc, end - enc);
}

static gboolean
is_utf8_name (const char *name)
{
  return g_ascii_strcasecmp (name, "UTF-8") == 0 || g_ascii_strcasecmp (name, "UTF8") == 0;
}

/* Unicode encodings found by their first bytes, as the XML specification's appendix F does. */
static const char *
sniff_unicode (const guint8 *d, gsize n, gsize *bom_length)
{
  *bom_length = 0;
  if (n >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0)
    return *bom_length = 4, "UTF-32LE";
  if (n >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF)
    return *bom_length = 4, "UTF-32BE";
  if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
    return *bom_length = 2, "UTF-16LE";
  if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
    return *bom_length = 2, "UTF-16BE";
  if (n >= 4 && d[0] == '<' && d[1] == 0 && d[2] == 0 && d[3] == 0)
    return "UTF-32LE";
  if (n >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == '<')
    return "UTF-32BE";
  if (n >= 4 && d[0] == '<' && d[1] == 0 && d[2] == '?' && d[3] == 0)
    return "UTF-16LE";
  if (n >= 4 && d[0] == 0 && d[1] == '<' && d[2] == 0 && d[3] == '?')
    return "UTF-16BE";
  return NULL;
}

static int
line_at (const char *text, gsize offset)
{
  int line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;
  return line;
}

gboolean
bm_xml_decode (const char *data, gsize length, const char *path, char **utf8, gsize *utf8_length,
               BmXmlEncoding *encoding, GError **error)
{
  g_autofree char *shown = bm_path_display (path);
  g_autofree char *declared = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GError) convert_error = NULL;
  const char *unicode;
  gsize bom_length = 0, bytes_read = 0, written = 0;

  *utf8 = NULL;
  *utf8_length = length;
  memset (encoding, 0, sizeof *encoding);

  unicode = sniff_unicode ((const guint8 *) data, length, &bom_length);
  if (unicode == NULL)
    {
      gboolean utf8_bom = length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0;

      declared = utf8_bom ? declared_encoding (data + 3, length - 3) : declared_encoding (data, length);
      /* A byte order mark and a declaration that disagree: libxml2 would quietly believe the
       * declaration. UTF-16 declared over 8-bit bytes is left to libxml2 to refuse. */
      if (declared != NULL && utf8_bom && !is_utf8_name (declared))
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                       _("%s:%d: the file starts with a UTF-8 byte order mark but declares the encoding “%s”; save it as UTF-8 without that declaration or without the mark"),
                       shown, 1, declared);
          return FALSE;
        }
      if (declared == NULL || is_utf8_name (declared) || g_ascii_strncasecmp (declared, "UTF-16", 6) == 0
          || g_ascii_strncasecmp (declared, "UTF16", 5) == 0)
        return TRUE;
      converted = g_convert (data, (gssize) length, "UTF-8", declared, &bytes_read, &written, &convert_error);
      if (converted == NULL)
        {
          if (g_error_matches (convert_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
            g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                         _("%s:%d: the encoding “%s” the file declares is not one Boxmark can read; save it as UTF-8"),
                         shown, 1, declared);
          else
            g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: not valid %s text"), shown,
                         line_at (data, MIN (bytes_read, length)), declared);
          return FALSE;
        }
      encoding->name = g_steal_pointer (&declared);
    }
  else
    {
      converted = g_convert (data + bom_length, (gssize) (length - bom_length), "UTF-8", unicode,
                             &bytes_read, &written, &convert_error);
      if (converted == NULL)
        {
          g_autofree char *before = g_convert (data + bom_length, (gssize) bytes_read, "UTF-8", unicode,
                                               NULL, NULL, NULL);

          g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: not valid %s text"), shown,
                       before != NULL ? line_at (before, strlen (before)) : 1, unicode);
          return FALSE;
        }
      declared = declared_encoding (converted, written);
      if (declared != NULL && g_ascii_strncasecmp (declared, unicode, 3) != 0
          && g_ascii_strncasecmp (declared, "UCS", 3) != 0)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                       _("%s:%d: the file is %s but declares the encoding “%s”; save it again in one encoding"),
                       shown, 1, unicode, declared);
          return FALSE;
        }
      encoding->name = g_strdup (unicode);
      encoding->bom_length = bom_length;
    }
  *utf8 = g_steal_pointer (&converted);
  *utf8_length = written;
  return TRUE;
}

/* Appends @in (UTF-8) converted by @cd to @out. A character the encoding cannot hold is written
 * as a character reference (&#N;), as libxml2 does: text and attribute values are all Boxmark
 * writes with new characters, and references are valid there. */
static gboolean
convert_append (GIConv cd, const char *in, gsize in_left, GByteArray *out, gboolean references)
{
  char buffer[4096];

  while (in_left > 0)
    {
      gchar *inp = (gchar *) in;
      gchar *outp = buffer;
      gsize out_left = sizeof buffer;
      gsize r = g_iconv (cd, &inp, &in_left, &outp, &out_left);
      int saved = errno;

      g_byte_array_append (out, (const guint8 *) buffer, sizeof buffer - out_left);
      in = inp;
      if (r != (gsize) -1 || saved == E2BIG)
        continue;
      if (saved == EILSEQ && references)
        {
          gunichar c = g_utf8_get_char_validated (in, (gssize) in_left);
          char reference[16];

          if (c == (gunichar) -1 || c == (gunichar) -2)
            return FALSE;
          g_snprintf (reference, sizeof reference, "&#%u;", (guint) c);
          if (!convert_append (cd, reference, strlen (reference), out, FALSE))
            return FALSE;
          in_left -= (gsize) (g_utf8_next_char (in) - in);
          in = g_utf8_next_char (in);
          continue;
        }
      return FALSE;
    }
  return TRUE;
}

char *
bm_xml_encode (const char *utf8, gsize length, const BmXmlEncoding *encoding, gsize *out_length,
               GError **error)
{
  static const guint8 boms[][4] = { { 0xFF, 0xFE, 0, 0 }, { 0, 0, 0xFE, 0xFF }, { 0xFF, 0xFE }, { 0xFE, 0xFF } };
  g_autoptr(GByteArray) out = NULL;
  GIConv cd;
  gboolean ok;

  if (encoding == NULL || encoding->name == NULL)
    {
      *out_length = length;
      return g_memdup2 (utf8, length + 1);
    }
  cd = g_iconv_open (encoding->name, "UTF-8");
  if (cd == (GIConv) -1)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("the file’s encoding (%s) cannot be written; save the file as UTF-8"), encoding->name);
      return NULL;
    }
  out = g_byte_array_sized_new ((guint) MIN (length * 2 + 8, G_MAXUINT));
  if (encoding->bom_length > 0)
    {
      const guint8 *bom = g_str_has_prefix (encoding->name, "UTF-32LE") ? boms[0]
                          : g_str_has_prefix (encoding->name, "UTF-32BE") ? boms[1]
                          : g_str_has_prefix (encoding->name, "UTF-16LE") ? boms[2] : boms[3];
      g_byte_array_append (out, bom, (guint) encoding->bom_length);
    }
  ok = convert_append (cd, utf8, length, out, TRUE);
  g_iconv_close (cd);
  if (!ok)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("some text cannot be written in the file’s encoding (%s); save the file as UTF-8 to use it"),
                   encoding->name);
      return NULL;
    }
  *out_length = out->len;
  g_byte_array_append (out, (const guint8 *) "\0\0\0", 4);
  return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * What is refused before libxml2 sees it: NUL bytes (never in XML text; a file cut short by a
 * crash is often padded with them, and libxml2 stops reading at the first one, quietly), and
 * elements with very many attributes (libxml2 checks them for duplicates pairwise: 100,000
 * attributes take minutes). One linear pass over the markup. */

#define MAX_ATTRIBUTES 1000

static gsize
skip_past (const char *d, gsize n, gsize i, const char *end)
{
  gsize len = strlen (end);

  for (; i + len <= n; i++)
    if (memcmp (d + i, end, len) == 0)
      return i + len;
  return n;
}

static gboolean
check_markup (const char *d, gsize n, const char *shown, GError **error)
{
  const char *nul = memchr (d, '\0', n);

  if (nul != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: the file holds a NUL byte (a file cut short and padded, or not XML text)"),
                   shown, line_at (d, (gsize) (nul - d)));
      return FALSE;
    }
  for (gsize i = 0; i < n;)
    {
      gsize start;
      guint attributes = 0;
      char quote = 0;

      if (d[i] != '<')
        {
          const char *next = memchr (d + i, '<', n - i);
          i = next != NULL ? (gsize) (next - d) : n;
          continue;
        }
      if (i + 4 <= n && memcmp (d + i, "<!--", 4) == 0)
        {
          i = skip_past (d, n, i + 4, "-->");
          continue;
        }
      if (i + 9 <= n && memcmp (d + i, "<![CDATA[", 9) == 0)
        {
          i = skip_past (d, n, i + 9, "]]>");
          continue;
        }
      if (i + 2 <= n && d[i + 1] == '?')
        {
          i = skip_past (d, n, i + 2, "?>");
          continue;
        }
      start = i;
      for (i++; i < n; i++)
        {
          if (quote != 0)
            {
              if (d[i] == quote)
                quote = 0;
            }
          else if (d[i] == '"' || d[i] == '\'')
            quote = d[i];
          else if (d[i] == '=')
            attributes++;
          else if (d[i] == '>')
            break;
        }
      i++;
      if (attributes > MAX_ATTRIBUTES && d[start + 1] != '!')
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                       _("%s:%d: an element has %u attributes; more than %d are refused (no label file has them)"),
                       shown, line_at (d, start), attributes, MAX_ATTRIBUTES);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Parsing: libxml2 with no network, no DTD loading, no entity substitution, no entity
 * declarations (a bomb or a way to read other files) and no other declarations either (an
 * <!ATTLIST> default would set attributes the file does not show, such as verified="yes"). */

typedef struct
{
  int line;
  char *message;     /* first error */
  gboolean refused;  /* a declaration was refused: the message is ours */
} ParseErrors;

static void
record_error (ParseErrors *errors, int line, const char *message)
{
  if (errors->message != NULL)
    return;
  errors->line = line;
  errors->message = g_strdup (message);
  g_strchomp (errors->message);
}

static void
on_structured_error (void *user_data, xmlError *error)
{
  xmlParserCtxt *ctxt = user_data;
  ParseErrors *errors = ctxt->_private;

  if (error == NULL || error->level < XML_ERR_ERROR)
    return;
  record_error (errors, error->line, error->message != NULL ? error->message : "");
}

static void
refuse (xmlParserCtxt *ctxt, const char *message)
{
  ParseErrors *errors = ctxt->_private;
  int line = ctxt->input != NULL ? ctxt->input->line : 0;

  if (!errors->refused)
    {
      g_free (errors->message);
      errors->message = NULL;
      record_error (errors, line, message);
      errors->refused = TRUE;
    }
  xmlStopParser (ctxt);
}

static void
refuse_entity (xmlParserCtxt *ctxt)
{
  refuse (ctxt, _("entity declarations are not allowed (they can expand without limit or read other files)"));
}

static void
refuse_declaration (xmlParserCtxt *ctxt)
{
  refuse (ctxt, _("DTD declarations (<!ATTLIST>, <!ELEMENT>, <!NOTATION>) are not allowed (they can add attributes and values the file does not show)"));
}

static void
on_element_decl (void *ctx, const xmlChar *name, int type, xmlElementContent *content)
{
  refuse_declaration (ctx);
}

static void
on_attribute_decl (void *ctx, const xmlChar *elem, const xmlChar *fullname, int type, int def,
                   const xmlChar *default_value, xmlEnumeration *tree)
{
  if (tree != NULL)
    xmlFreeEnumeration (tree);
  refuse_declaration (ctx);
}

static void
on_notation_decl (void *ctx, const xmlChar *name, const xmlChar *public_id, const xmlChar *system_id)
{
  refuse_declaration (ctx);
}

/* libxml2's own words where they would puzzle a user ("use XML_PARSE_HUGE option"). */
static char *
plain_message (const char *message)
{
  if (message == NULL)
    return g_strdup (_("unknown error"));
  if (strstr (message, "Excessive depth") != NULL)
    return g_strdup (_("elements are nested too deeply (more than 256 levels)"));
  if (strstr (message, "XML_PARSE_HUGE") != NULL || strstr (message, "huge") != NULL
      || strstr (message, "Huge") != NULL || strstr (message, "too long") != NULL
      || strstr (message, "too big") != NULL)
    return g_strdup (_("a name, value or text is longer than an XML reader accepts (10 MB)"));
  /* "xmlSAX2Characters: …": an internal function name says nothing to a user. */
  if (g_str_has_prefix (message, "xml"))
    {
      const char *colon = strstr (message, ": ");
      gboolean identifier = colon != NULL;

      for (const char *p = message; identifier && p < colon; p++)
        identifier = g_ascii_isalnum (*p) || *p == '_';
      if (identifier)
        return g_strdup (colon + 2);
    }
  return g_strdup (message);
}

static void
on_entity_decl (void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                const xmlChar *system_id, xmlChar *content)
{
  refuse_entity (ctx);
}

static void
on_unparsed_entity_decl (void *ctx, const xmlChar *name, const xmlChar *public_id,
                         const xmlChar *system_id, const xmlChar *notation)
{
  refuse_entity (ctx);
}

static gboolean
has_entity_refs (xmlNode *node, xmlNode **where)
{
  for (xmlNode *child = node; child != NULL; child = child->next)
    {
      if (child->type == XML_ENTITY_REF_NODE || child->type == XML_ENTITY_NODE)
        {
          *where = child->parent;
          return TRUE;
        }
      if (child->type == XML_ELEMENT_NODE && has_entity_refs (child->children, where))
        return TRUE;
    }
  return FALSE;
}

static gsize parser_ready;

xmlDoc *
bm_xml_parse (const char *data, gsize length, const char *path, GError **error)
{
  g_autofree char *utf8 = NULL;
  BmXmlEncoding encoding;
  gsize utf8_length = 0;
  xmlDoc *doc;

  if (!bm_xml_decode (data, length, path, &utf8, &utf8_length, &encoding, error))
    return NULL;
  doc = bm_xml_parse_utf8 (utf8 != NULL ? utf8 : data, utf8_length, path, utf8 != NULL, error);
  bm_xml_encoding_clear (&encoding);
  return doc;
}

xmlDoc *
bm_xml_parse_utf8 (const char *data, gsize length, const char *path, gboolean converted,
                   GError **error)
{
  ParseErrors errors = { 0, NULL, FALSE };
  g_autofree char *shown = bm_path_display (path);
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  xmlNode *where = NULL;
  int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING;

  if (length > G_MAXINT / 2)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is too large"), shown);
      return NULL;
    }
  if (!check_markup (data, length, shown, error))
    return NULL;
  /* Converted text still declares the file's encoding: it is UTF-8 now. */
  if (converted)
    options |= XML_PARSE_IGNORE_ENC;

  /* libxml2 wants its globals set up once, before any thread uses it. */
  if (g_once_init_enter (&parser_ready))
    {
      xmlInitParser ();
      g_once_init_leave (&parser_ready, 1);
    }
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: out of memory"), shown);
      return NULL;
    }
  ctxt->_private = &errors;
  ctxt->sax->serror = on_structured_error;
  ctxt->sax->entityDecl = on_entity_decl;
  ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
  ctxt->sax->elementDecl = on_element_decl;
  ctxt->sax->attributeDecl = on_attribute_decl;
  ctxt->sax->notationDecl = on_notation_decl;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;

  doc = xmlCtxtReadMemory (ctxt, data, (int) length, NULL, converted ? "UTF-8" : NULL, options);
  if (doc != NULL && (!ctxt->wellFormed || errors.message != NULL))
    {
      xmlFreeDoc (doc);
      doc = NULL;
    }
  xmlFreeParserCtxt (ctxt);

  if (doc == NULL)
    {
      if (errors.refused)
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, "%s:%d: %s", shown, MAX (errors.line, 1), errors.message);
      else
        {
          g_autofree char *message = plain_message (errors.message);

          g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: not well-formed XML: %s"), shown,
                       MAX (errors.line, 1), message);
        }
      g_free (errors.message);
      return NULL;
    }
  g_free (errors.message);

  if (xmlDocGetRootElement (doc) != NULL && has_entity_refs (xmlDocGetRootElement (doc), &where))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: entity references are not allowed"),
                   shown, MAX (bm_xml_node_line (where), 1));
      xmlFreeDoc (doc);
      return NULL;
    }
  return doc;
}
