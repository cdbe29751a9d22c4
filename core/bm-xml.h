/* bm-xml.h: safe XML reading with libxml2, shared by every XML file Boxmark reads (Pascal VOC
 * labels, OpenCV cascades), and the few tree look-ups they all need.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Parses @data (any encoding, see bm_xml_decode) into a tree with line numbers. Never touches
 * the network, never loads a DTD, refuses entity declarations and references (a bomb or a way
 * to read other files) and every other DTD declaration (an <!ATTLIST> default adds attributes
 * the file does not show), NUL bytes, and elements with over 1,000 attributes (libxml2 would
 * take minutes on them). On failure returns NULL and a BM_ERROR_PARSE whose message is
 * "PATH:LINE: problem" in plain words. Thread-safe. */
xmlDoc   *bm_xml_parse         (const char *data, gsize length, const char *path, GError **error);
/* The same for UTF-8 text; @converted: it came from bm_xml_decode, so the encoding it declares
 * is the file's, not the text's. */
xmlDoc   *bm_xml_parse_utf8    (const char *data, gsize length, const char *path,
                                gboolean converted, GError **error);

/* A file's encoding: @name NULL for UTF-8, else an iconv name ("UTF-16LE", "GBK"), with the
 * length of the byte order mark it starts with (0 without). */
typedef struct
{
  char *name;
  gsize bom_length;
} BmXmlEncoding;

void      bm_xml_encoding_clear (BmXmlEncoding *encoding);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BmXmlEncoding, bm_xml_encoding_clear)
/* Finds @data's encoding: UTF-16 and UTF-32 by byte order mark or first bytes, others by the
 * XML declaration. Sets @utf8 to the text converted to UTF-8 (without the mark), or NULL when
 * @data is UTF-8 already (@utf8_length is then @length). FALSE with "PATH:LINE: problem" for
 * bytes that are not text in that encoding, an encoding we cannot convert, or a byte order mark
 * that contradicts the declaration. */
gboolean  bm_xml_decode        (const char *data, gsize length, const char *path, char **utf8,
                                gsize *utf8_length, BmXmlEncoding *encoding, GError **error);
/* UTF-8 text back into @encoding (with its byte order mark); NUL-terminated. BM_ERROR_INVALID
 * when a character cannot be written in it. */
char     *bm_xml_encode        (const char *utf8, gsize length, const BmXmlEncoding *encoding,
                                gsize *out_length, GError **error);

/* An element, named @name unless @name is NULL. NULL-safe. */
gboolean  bm_xml_is_element    (xmlNode *node, const char *name);
/* @parent's first child element named @name, or NULL. */
xmlNode  *bm_xml_find_child    (xmlNode *parent, const char *name);
/* @node's line in the file, 0 when unknown (or @node is NULL). */
int       bm_xml_node_line     (xmlNode *node);
/* All of the element's descendant text. Free with g_free. */
char     *bm_xml_element_text  (xmlNode *node);
/* A text node holding only whitespace. */
gboolean  bm_xml_is_blank_text (xmlNode *node);

G_END_DECLS
