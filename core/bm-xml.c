/* bm-xml.c: safe XML reading with libxml2, shared by the VOC reader and the cascade loader.
 *
 * No network, no DTD loading, no entity substitution, and no entity declarations at all (they
 * are either a bomb or a way to read other files). Every error reads "FILE:LINE: problem".
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "bm-error.h"
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

typedef struct
{
  int line;
  char *message;     /* first error */
  gboolean entities; /* an entity declaration was refused */
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
refuse_entity (xmlParserCtxt *ctxt)
{
  ParseErrors *errors = ctxt->_private;
  int line = ctxt->input != NULL ? ctxt->input->line : 0;

  if (!errors->entities)
    {
      g_free (errors->message);
      errors->message = NULL;
      record_error (errors, line, _("entity declarations are not allowed (they can expand without limit or read other files)"));
      errors->entities = TRUE;
    }
  xmlStopParser (ctxt);
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

/* A UTF-8 byte order mark followed by a declaration of another encoding: libxml2 would quietly
 * believe the declaration. Returns the declared encoding when they disagree. */
static char *
bom_contradicts_declaration (const char *data, gsize length)
{
  g_autofree char *head = NULL;
  const char *enc, *end;
  char quote;
  char *name;

  if (length < 3 || memcmp (data, "\xEF\xBB\xBF", 3) != 0)
    return NULL;
  head = g_strndup (data + 3, MIN (length - 3, 200));
  if (!g_str_has_prefix (head, "<?xml") || (end = strstr (head, "?>")) == NULL)
    return NULL;
  enc = g_strstr_len (head, end - head, "encoding");
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
  name = g_strndup (enc, end - enc);
  if (g_ascii_strcasecmp (name, "UTF-8") == 0 || g_ascii_strcasecmp (name, "UTF8") == 0)
    {
      g_free (name);
      return NULL;
    }
  return name;
}

static gsize parser_ready;

xmlDoc *
bm_xml_parse (const char *data, gsize length, const char *path, GError **error)
{
  ParseErrors errors = { 0, NULL, FALSE };
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  g_autofree char *declared = NULL;
  xmlNode *where = NULL;

  if (length > G_MAXINT / 2)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is too large"), path);
      return NULL;
    }
  declared = bom_contradicts_declaration (data, length);
  if (declared != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: the file starts with a UTF-8 byte order mark but declares the encoding “%s”; save it as UTF-8 without that declaration or without the mark"),
                   path, 1, declared);
      return NULL;
    }

  /* libxml2 wants its globals set up once, before any thread uses it. */
  if (g_once_init_enter (&parser_ready))
    {
      xmlInitParser ();
      g_once_init_leave (&parser_ready, 1);
    }
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: out of memory"), path);
      return NULL;
    }
  ctxt->_private = &errors;
  ctxt->sax->serror = on_structured_error;
  ctxt->sax->entityDecl = on_entity_decl;
  ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;

  doc = xmlCtxtReadMemory (ctxt, data, (int) length, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
  if (doc != NULL && (!ctxt->wellFormed || errors.message != NULL))
    {
      xmlFreeDoc (doc);
      doc = NULL;
    }
  xmlFreeParserCtxt (ctxt);

  if (doc == NULL)
    {
      if (errors.entities)
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, "%s:%d: %s", path, MAX (errors.line, 1), errors.message);
      else
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: not well-formed XML: %s"), path,
                     MAX (errors.line, 1), errors.message != NULL ? errors.message : _("unknown error"));
      g_free (errors.message);
      return NULL;
    }
  g_free (errors.message);

  if (xmlDocGetRootElement (doc) != NULL && has_entity_refs (xmlDocGetRootElement (doc), &where))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: entity references are not allowed"),
                   path, MAX (bm_xml_node_line (where), 1));
      xmlFreeDoc (doc);
      return NULL;
    }
  return doc;
}
