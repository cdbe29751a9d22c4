/* bm-xml.h: safe XML reading with libxml2, shared by every XML file Boxmark reads (Pascal VOC
 * labels, OpenCV cascades), and the few tree look-ups they all need.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Parses @data into a tree with line numbers. Never touches the network, never loads a DTD,
 * refuses entity declarations and references (a bomb or a way to read other files). On failure
 * returns NULL and a BM_ERROR_PARSE whose message is "PATH:LINE: problem". Thread-safe. */
xmlDoc   *bm_xml_parse         (const char *data, gsize length, const char *path, GError **error);

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
