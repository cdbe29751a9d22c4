/* bm-xml-patch.c: lossless XML editing (see bm-xml-patch.h).
 *
 * A save copies the parsed tree, edits the copy in place for what changed, and writes every
 * node nobody touched as its original bytes, so unknown elements, comments, whitespace and
 * number spellings all survive.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "core/bm-error.h"
#include "core/bm-xml.h"
#include "bm-xml-patch.h"

/* ---------------------------------------------------------------------------------------------
 * Locating every node's markup in the original bytes. libxml2 has already checked that the
 * document is well-formed, so a small lexer walking the tree in document order suffices; any
 * disagreement just turns lossless saving off for this file (saves then go through libxml2). */

typedef struct
{
  const char *d;
  gsize n;
  gsize pos;
  GPtrArray *spans;
} Lexer;

static gboolean
lex_at (Lexer *lx, const char *s)
{
  gsize len = strlen (s);

  return lx->pos + len <= lx->n && memcmp (lx->d + lx->pos, s, len) == 0;
}

static gboolean
lex_skip_past (Lexer *lx, const char *s)
{
  gsize len = strlen (s);

  for (gsize i = lx->pos; i + len <= lx->n; i++)
    if (memcmp (lx->d + i, s, len) == 0)
      {
        lx->pos = i + len;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_xml_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
lex_skip_space (Lexer *lx)
{
  while (lx->pos < lx->n && is_xml_space (lx->d[lx->pos]))
    lx->pos++;
}

static gboolean
lex_name_matches (Lexer *lx, xmlNode *node)
{
  gsize start = lx->pos;
  g_autofree char *qname = NULL;

  while (lx->pos < lx->n && !is_xml_space (lx->d[lx->pos]) && lx->d[lx->pos] != '/'
         && lx->d[lx->pos] != '>')
    lx->pos++;
  if (node->ns != NULL && node->ns->prefix != NULL)
    qname = g_strdup_printf ("%s:%s", node->ns->prefix, node->name);
  else
    qname = g_strdup ((const char *) node->name);
  return strlen (qname) == lx->pos - start && memcmp (qname, lx->d + start, lx->pos - start) == 0;
}

static BmXmlSpan *
lex_new_span (Lexer *lx, xmlNode *node, gsize start)
{
  BmXmlSpan *span = g_new0 (BmXmlSpan, 1);

  span->start = start;
  g_ptr_array_add (lx->spans, span);
  node->_private = span;
  return span;
}

static gboolean lex_element (Lexer *lx, xmlNode *node);

static gboolean
lex_node (Lexer *lx, xmlNode *node)
{
  gsize start = lx->pos;
  BmXmlSpan *span;

  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      return lex_element (lx, node);
    case XML_TEXT_NODE:
      while (lx->pos < lx->n && lx->d[lx->pos] != '<')
        lx->pos++;
      if (lx->pos == start)
        return FALSE;
      break;
    case XML_COMMENT_NODE:
      if (!lex_at (lx, "<!--") || !lex_skip_past (lx, "-->"))
        return FALSE;
      break;
    case XML_PI_NODE:
      if (!lex_at (lx, "<?") || !lex_skip_past (lx, "?>"))
        return FALSE;
      break;
    case XML_CDATA_SECTION_NODE:
      if (!lex_at (lx, "<![CDATA[") || !lex_skip_past (lx, "]]>"))
        return FALSE;
      break;
    default:
      return FALSE;
    }
  span = lex_new_span (lx, node, start);
  span->end = lx->pos;
  return TRUE;
}

static gboolean
lex_element (Lexer *lx, xmlNode *node)
{
  BmXmlSpan *span;
  gsize start = lx->pos;

  if (!lex_at (lx, "<"))
    return FALSE;
  lx->pos++;
  if (!lex_name_matches (lx, node))
    return FALSE;
  span = lex_new_span (lx, node, start);

  /* Attributes: name = "value" | 'value' */
  for (;;)
    {
      lex_skip_space (lx);
      if (lx->pos >= lx->n)
        return FALSE;
      if (lex_at (lx, "/>"))
        {
          lx->pos += 2;
          span->self_closing = TRUE;
          break;
        }
      if (lx->d[lx->pos] == '>')
        {
          lx->pos++;
          break;
        }
      while (lx->pos < lx->n && lx->d[lx->pos] != '=' && !is_xml_space (lx->d[lx->pos]))
        lx->pos++;
      lex_skip_space (lx);
      if (!lex_at (lx, "="))
        return FALSE;
      lx->pos++;
      lex_skip_space (lx);
      if (lx->pos >= lx->n || (lx->d[lx->pos] != '"' && lx->d[lx->pos] != '\''))
        return FALSE;
      {
        char quote[2] = { lx->d[lx->pos], '\0' };

        lx->pos++;
        if (!lex_skip_past (lx, quote))
          return FALSE;
      }
    }
  span->stag_end = lx->pos;
  if (span->self_closing)
    {
      span->etag_start = span->end = lx->pos;
      return node->children == NULL;
    }

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (!lex_node (lx, child))
      return FALSE;

  span->etag_start = lx->pos;
  if (!lex_at (lx, "</"))
    return FALSE;
  lx->pos += 2;
  if (!lex_name_matches (lx, node))
    return FALSE;
  lex_skip_space (lx);
  if (!lex_at (lx, ">"))
    return FALSE;
  lx->pos++;
  span->end = lx->pos;
  return TRUE;
}

/* Skips <!DOCTYPE …> including an internal subset with quoted strings and comments. */
static gboolean
lex_skip_doctype (Lexer *lx)
{
  int in_subset = 0;

  lx->pos += strlen ("<!DOCTYPE");
  while (lx->pos < lx->n)
    {
      char c = lx->d[lx->pos];

      if (c == '"' || c == '\'')
        {
          char quote[2] = { c, '\0' };

          lx->pos++;
          if (!lex_skip_past (lx, quote))
            return FALSE;
          continue;
        }
      if (in_subset && lex_at (lx, "<!--"))
        {
          if (!lex_skip_past (lx, "-->"))
            return FALSE;
          continue;
        }
      lx->pos++;
      if (c == '[')
        in_subset++;
      else if (c == ']')
        in_subset--;
      else if (c == '>' && in_subset <= 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
lex_document (Lexer *lx, xmlNode *root)
{
  if (lex_at (lx, "\xEF\xBB\xBF"))
    lx->pos += 3;
  for (;;)
    {
      lex_skip_space (lx);
      if (lx->pos >= lx->n)
        return FALSE;
      if (lex_at (lx, "<?"))
        {
          if (!lex_skip_past (lx, "?>"))
            return FALSE;
        }
      else if (lex_at (lx, "<!--"))
        {
          if (!lex_skip_past (lx, "-->"))
            return FALSE;
        }
      else if (lex_at (lx, "<!DOCTYPE"))
        {
          if (!lex_skip_doctype (lx))
            return FALSE;
        }
      else
        return lex_element (lx, root);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Writing: a serializer that copies untouched nodes' bytes and regenerates the rest. */

static BmXmlSpan *
span_of (BmXmlPatch *w, xmlNode *node)
{
  return w->spans_ok ? node->_private : NULL;
}

static void
mark_dirty (BmXmlPatch *w, xmlNode *node)
{
  for (; node != NULL && node->type == XML_ELEMENT_NODE; node = node->parent)
    g_hash_table_add (w->dirty, node);
}

static void
append_escaped (BmXmlPatch *w, GString *out, const char *text, gboolean attribute)
{
  if (!g_utf8_validate (text, -1, NULL) && w->error == NULL)
    g_set_error (&w->error, BM_ERROR, BM_ERROR_INVALID, _("text is not valid UTF-8: “%s”"), text);
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          g_string_append (out, attribute ? "&quot;" : "\"");
          break;
        case '\r': g_string_append (out, "&#13;"); break;
        case '\n':
          g_string_append (out, attribute ? "&#10;" : w->newline);
          break;
        case '\t':
          g_string_append (out, attribute ? "&#9;" : "\t");
          break;
        default:
          if (c < 0x20 && w->error == NULL)
            g_set_error (&w->error, BM_ERROR, BM_ERROR_INVALID,
                         _("text contains a control character XML cannot store: “%s”"), text);
          g_string_append_c (out, (char) c);
        }
    }
}

static void
append_qname (GString *out, xmlNode *node)
{
  if (node->ns != NULL && node->ns->prefix != NULL)
    g_string_append_printf (out, "%s:", (const char *) node->ns->prefix);
  g_string_append (out, (const char *) node->name);
}

/* The root's start tag with only w->root_attribute changed, every other byte kept. */
static void
append_root_start_tag (BmXmlPatch *w, GString *out, xmlNode *root, const BmXmlSpan *span)
{
  const char *attribute = w->root_attribute;
  gsize attribute_len = strlen (attribute);
  xmlChar *value = xmlGetProp (root, (const xmlChar *) attribute);
  const char *tag = w->data + span->start;
  gsize len = span->stag_end - span->start;
  gsize name_end = 1, attr_start = 0, attr_end = 0;
  gboolean found = FALSE;
  gsize i;

  while (name_end < len && !is_xml_space (tag[name_end]) && tag[name_end] != '/' && tag[name_end] != '>')
    name_end++;
  /* Find attribute="…" with the whitespace before it. */
  for (i = name_end; i < len && !found;)
    {
      gsize ws = i, name_start, name_stop;

      while (i < len && is_xml_space (tag[i]))
        i++;
      if (i >= len || tag[i] == '/' || tag[i] == '>')
        break;
      name_start = i;
      while (i < len && tag[i] != '=' && !is_xml_space (tag[i]))
        i++;
      name_stop = i;
      while (i < len && tag[i] != '"' && tag[i] != '\'')
        i++;
      if (i >= len)
        break;
      {
        char quote = tag[i++];

        while (i < len && tag[i] != quote)
          i++;
        i++;
      }
      if (name_stop - name_start == attribute_len && memcmp (tag + name_start, attribute, attribute_len) == 0)
        {
          found = TRUE;
          attr_start = ws;
          attr_end = i;
        }
    }

  if (found)
    g_string_append_len (out, tag, attr_start);
  else
    g_string_append_len (out, tag, name_end);
  if (value != NULL)
    {
      g_string_append_printf (out, " %s=\"", attribute);
      append_escaped (w, out, (const char *) value, TRUE);
      g_string_append_c (out, '"');
    }
  if (found)
    g_string_append_len (out, tag + attr_end, len - attr_end);
  else
    g_string_append_len (out, tag + name_end, len - name_end);
  xmlFree (value);
}

static void write_node (BmXmlPatch *w, GString *out, xmlNode *node);

static void
write_element (BmXmlPatch *w, GString *out, xmlNode *node)
{
  BmXmlSpan *span = span_of (w, node);

  if (span != NULL && !g_hash_table_contains (w->dirty, node) && !(node == w->root && w->root_attribute != NULL))
    {
      g_string_append_len (out, w->data + span->start, span->end - span->start);
      return;
    }

  /* Start tag */
  if (span != NULL && node == w->root && w->root_attribute != NULL)
    append_root_start_tag (w, out, node, span);
  else if (span != NULL && span->self_closing && node->children != NULL)
    {
      gsize end = span->stag_end - 2;

      while (end > span->start && is_xml_space (w->data[end - 1]))
        end--;
      g_string_append_len (out, w->data + span->start, end - span->start);
      g_string_append_c (out, '>');
    }
  else if (span != NULL)
    g_string_append_len (out, w->data + span->start, span->stag_end - span->start);
  else
    {
      g_string_append_c (out, '<');
      append_qname (out, node);
      for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
        {
          xmlChar *value = xmlNodeGetContent ((xmlNode *) attr);

          g_string_append_printf (out, " %s=\"", (const char *) attr->name);
          append_escaped (w, out, value != NULL ? (const char *) value : "", TRUE);
          g_string_append_c (out, '"');
          xmlFree (value);
        }
      g_string_append (out, node->children != NULL ? ">" : "></");
      if (node->children == NULL)
        {
          append_qname (out, node);
          g_string_append_c (out, '>');
          return;
        }
    }
  if (span != NULL && span->self_closing && node->children == NULL)
    return;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    write_node (w, out, child);

  if (span != NULL && !span->self_closing)
    g_string_append_len (out, w->data + span->etag_start, span->end - span->etag_start);
  else
    {
      g_string_append (out, "</");
      append_qname (out, node);
      g_string_append_c (out, '>');
    }
}

static void
write_node (BmXmlPatch *w, GString *out, xmlNode *node)
{
  BmXmlSpan *span = span_of (w, node);

  if (node->type == XML_ELEMENT_NODE)
    {
      write_element (w, out, node);
      return;
    }
  if (span != NULL)
    {
      g_string_append_len (out, w->data + span->start, span->end - span->start);
      return;
    }
  switch (node->type)
    {
    case XML_TEXT_NODE:
      append_escaped (w, out, node->content != NULL ? (const char *) node->content : "", FALSE);
      break;
    case XML_COMMENT_NODE:
      g_string_append_printf (out, "<!--%s-->", node->content != NULL ? (const char *) node->content : "");
      break;
    case XML_CDATA_SECTION_NODE:
      g_string_append_printf (out, "<![CDATA[%s]]>", node->content != NULL ? (const char *) node->content : "");
      break;
    case XML_PI_NODE:
      g_string_append_printf (out, "<?%s %s?>", (const char *) node->name,
                              node->content != NULL ? (const char *) node->content : "");
      break;
    default:
      break;
    }
}

/* The whole document: prolog and epilog bytes as they were, the root element through write_node. */
char *
bm_xml_patch_write (BmXmlPatch *w, const char *data, gsize length, gsize *out_length)
{
  GString *out = g_string_new (NULL);
  BmXmlSpan *span = span_of (w, w->root);

  if (span != NULL)
    g_string_append_len (out, data, span->start);
  write_element (w, out, w->root);
  if (span != NULL)
    g_string_append_len (out, data + span->end, length - span->end);
  else
    g_string_append (out, w->newline);
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Editing the tree, indentation-aware. */

/* Whitespace from the last newline of the text node before @node ("" when none). */
static const char *
indent_before (xmlNode *node, gboolean *has_newline)
{
  xmlNode *prev = node->prev;
  const char *nl;

  *has_newline = FALSE;
  if (prev == NULL || !bm_xml_is_blank_text (prev))
    return "";
  nl = strrchr ((const char *) prev->content, '\n');
  if (nl == NULL)
    return "";
  *has_newline = TRUE;
  return nl + 1;
}

/* The whitespace text that should precede a new child of @parent, or NULL for compact markup. */
static char *
child_separator (BmXmlPatch *w, xmlNode *parent)
{
  gboolean has_newline = FALSE;
  const char *indent;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE || child->type == XML_COMMENT_NODE)
      {
        indent = indent_before (child, &has_newline);
        if (!has_newline)
          return NULL;
        return g_strconcat ("\n", indent, NULL);
      }
  if (parent == w->root)
    return g_strconcat ("\n", w->unit, NULL);
  indent = indent_before (parent, &has_newline);
  if (!has_newline)
    return NULL;
  return g_strconcat ("\n", indent, w->unit, NULL);
}

/* xmlAddPrevSibling merges text into a neighbouring text node: that node then no longer matches
 * its original bytes. */
static void
add_text_before (xmlNode *node, xmlNode *text)
{
  xmlNode *result = xmlAddPrevSibling (node, text);

  if (result != NULL && result != text)
    result->_private = NULL;
}

static xmlNode *
last_content_child (xmlNode *parent)
{
  xmlNode *last = NULL;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (!bm_xml_is_blank_text (child))
      last = child;
  return last;
}

/* Inserts @element as a child of @parent: before @before, or at the end when NULL. */
xmlNode *
bm_xml_patch_insert_child (BmXmlPatch *w, xmlNode *parent, xmlNode *element, xmlNode *before)
{
  g_autofree char *sep = child_separator (w, parent);

  mark_dirty (w, parent);
  if (before != NULL)
    {
      xmlAddPrevSibling (before, element);
      if (sep != NULL)
        add_text_before (before, xmlNewDocText (w->doc, (const xmlChar *) sep));
      return element;
    }
  {
    xmlNode *last = last_content_child (parent);

    if (last != NULL)
      {
        xmlAddNextSibling (last, element);
        if (sep != NULL)
          add_text_before (element, xmlNewDocText (w->doc, (const xmlChar *) sep));
      }
    else
      {
        gboolean has_newline = FALSE;
        const char *indent = parent == w->root ? "" : indent_before (parent, &has_newline);

        /* Empty parent: drop any whitespace inside, then child + closing indentation. */
        while (parent->children != NULL)
          {
            xmlNode *old = parent->children;
            xmlUnlinkNode (old);
            xmlFreeNode (old);
          }
        if (sep != NULL)
          xmlAddChild (parent, xmlNewDocText (w->doc, (const xmlChar *) sep));
        xmlAddChild (parent, element);
        if (sep != NULL)
          {
            g_autofree char *closing = g_strconcat ("\n", indent, NULL);
            xmlAddChild (parent, xmlNewDocText (w->doc, (const xmlChar *) closing));
          }
      }
  }
  return element;
}

xmlNode *
bm_xml_patch_insert_after (BmXmlPatch *w, xmlNode *parent, xmlNode *element, xmlNode *after)
{
  g_autofree char *sep = child_separator (w, parent);

  mark_dirty (w, parent);
  xmlAddNextSibling (after, element);
  if (sep != NULL)
    add_text_before (element, xmlNewDocText (w->doc, (const xmlChar *) sep));
  return element;
}

void
bm_xml_patch_remove_child (BmXmlPatch *w, xmlNode *node)
{
  xmlNode *prev = node->prev;

  mark_dirty (w, node->parent);
  if (bm_xml_is_blank_text (prev))
    {
      xmlUnlinkNode (prev);
      xmlFreeNode (prev);
    }
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

void
bm_xml_patch_set_text (BmXmlPatch *w, xmlNode *element, const char *text)
{
  while (element->children != NULL)
    {
      xmlNode *old = element->children;
      xmlUnlinkNode (old);
      xmlFreeNode (old);
    }
  if (text[0] != '\0')
    xmlAddChild (element, xmlNewDocText (w->doc, (const xmlChar *) text));
  mark_dirty (w, element);
}

xmlNode *
bm_xml_patch_new_element (BmXmlPatch *w, const char *name)
{
  return xmlNewDocNode (w->doc, NULL, (const xmlChar *) name, NULL);
}

/* Appends <name>text</name> to @parent (or before @before). */
xmlNode *
bm_xml_patch_add_text_child (BmXmlPatch *w, xmlNode *parent, const char *name, const char *text, xmlNode *before)
{
  xmlNode *element = bm_xml_patch_new_element (w, name);

  bm_xml_patch_insert_child (w, parent, element, before);
  if (text != NULL)
    bm_xml_patch_set_text (w, element, text);
  return element;
}

/* Sets the text of @parent's child @name, creating it (before @before) when missing. */
void
bm_xml_patch_set_child_text (BmXmlPatch *w, xmlNode *parent, const char *name, const char *text, xmlNode *before)
{
  xmlNode *node = bm_xml_find_child (parent, name);

  if (node == NULL)
    bm_xml_patch_add_text_child (w, parent, name, text, before);
  else
    {
      g_autofree char *old = bm_xml_element_text (node);

      if (g_strcmp0 (old, text) != 0)
        bm_xml_patch_set_text (w, node, text);
    }
}

/* @derived: @value was computed from the shape's corners (format_derived), so a file value
 * within rounding noise of it, or rounding to the same text, stands. */

void
bm_xml_patch_remove_named_child (BmXmlPatch *w, xmlNode *parent, const char *name)
{
  xmlNode *node;

  while ((node = bm_xml_find_child (parent, name)) != NULL)
    bm_xml_patch_remove_child (w, node);
}

xmlNode *
bm_xml_patch_first_content_child (xmlNode *parent)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (!bm_xml_is_blank_text (child))
      return child;
  return NULL;
}


static void
copy_private (xmlNode *from, xmlNode *to, GHashTable *map)
{
  for (; from != NULL && to != NULL; from = from->next, to = to->next)
    {
      to->_private = from->_private;
      g_hash_table_insert (map, from, to);
      if (from->type == XML_ELEMENT_NODE)
        copy_private (from->children, to->children, map);
    }
}

char *
bm_xml_patch_detect_unit (xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      {
        gboolean has_newline;
        const char *indent = indent_before (child, &has_newline);

        if (has_newline && indent[0] == '\t')
          return g_strdup ("\t");
        if (has_newline && indent[0] == ' ')
          {
            gsize n = strspn (indent, " ");
            return g_strnfill (n, ' ');
          }
        break;
      }
  return g_strdup ("\t");
}

xmlDoc *
bm_xml_patch_copy_doc (xmlDoc *doc, GHashTable *map)
{
  xmlDoc *copy = xmlCopyDoc (doc, 1);

  if (copy != NULL)
    copy_private (doc->children, copy->children, map);
  return copy;
}

void
bm_xml_patch_init (BmXmlPatch *patch, xmlDoc *doc, const char *data, gboolean spans_ok)
{
  memset (patch, 0, sizeof *patch);
  patch->doc = doc;
  patch->root = xmlDocGetRootElement (doc);
  patch->data = data;
  patch->spans_ok = spans_ok && data != NULL;
  patch->dirty = g_hash_table_new (NULL, NULL);
  patch->newline = "\n";
  patch->unit = "\t";
}

void
bm_xml_patch_clear (BmXmlPatch *patch)
{
  g_clear_pointer (&patch->dirty, g_hash_table_unref);
  g_clear_error (&patch->error);
}

gboolean
bm_xml_spans_locate (xmlDoc *doc, const char *data, gsize length, GPtrArray *spans)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  Lexer lx = { data, length, 0, spans };
  const char *encoding = (const char *) doc->encoding;
  BmXmlPatch w;
  g_autofree char *again = NULL;
  gsize again_length = 0;

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "UTF-8") != 0 && g_ascii_strcasecmp (encoding, "UTF8") != 0)
    return FALSE;
  if (root == NULL || !lex_document (&lx, root))
    return FALSE;

  /* Self-check: written back untouched, the tree must give the very same bytes. */
  bm_xml_patch_init (&w, doc, data, TRUE);
  again = bm_xml_patch_write (&w, data, length, &again_length);
  bm_xml_patch_clear (&w);
  return again_length == length && memcmp (again, data, again_length) == 0;
}
