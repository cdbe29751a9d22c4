/* bm-xml-patch.h: lossless XML editing. Where every node's markup sits in the original bytes
 * (a small lexer run over a libxml2 tree), tree edits that keep the file's indentation, and a
 * writer that copies every untouched node's bytes and regenerates only what changed.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Where a node's markup is in the original bytes: [start, end). For elements also the end of
 * the start tag and the start of the end tag. */
typedef struct
{
  gsize start;
  gsize stag_end;
  gsize etag_start;
  gsize end;
  gboolean self_closing;
} BmXmlSpan;

/* Gives every node of @doc its BmXmlSpan in @data (node->_private; the spans are appended to
 * @spans, which owns them). FALSE when the bytes and the tree disagree anywhere, or the
 * document is not UTF-8, or writing the untouched tree back would not give @data exactly: the
 * caller must then write through libxml2 instead. */
gboolean bm_xml_spans_locate (xmlDoc *doc, const char *data, gsize length, GPtrArray *spans);

/* One save in progress: a copy of the tree being edited and the original bytes. */
typedef struct
{
  xmlDoc *doc;
  xmlNode *root;
  const char *data;          /* original bytes, NULL for a new file */
  gboolean spans_ok;         /* nodes carry BmXmlSpans into @data */
  GHashTable *dirty;         /* elements whose content changed (and their ancestors) */
  const char *root_attribute; /* the one root attribute whose value changed, or NULL */
  const char *newline;       /* "\n" or "\r\n" */
  const char *unit;          /* one level of indentation: "\t", "  "… */
  GError *error;             /* text we cannot write */
} BmXmlPatch;

/* @data may be NULL (a new document); @doc is not owned. */
void      bm_xml_patch_init   (BmXmlPatch *patch, xmlDoc *doc, const char *data, gboolean spans_ok);
void      bm_xml_patch_clear  (BmXmlPatch *patch);

/* Copies @doc with the spans, and fills @map with original node → copied node. */
xmlDoc   *bm_xml_patch_copy_doc (xmlDoc *doc, GHashTable *map);
/* The indentation unit the root's children use ("\t" when unsure). Free with g_free. */
char     *bm_xml_patch_detect_unit (xmlNode *root);

/* Tree edits. Each marks what it touched dirty and keeps the surrounding indentation. */
xmlNode  *bm_xml_patch_new_element      (BmXmlPatch *patch, const char *name);
/* Inserts @element as a child of @parent: before @before, or after the last child when NULL. */
xmlNode  *bm_xml_patch_insert_child     (BmXmlPatch *patch, xmlNode *parent, xmlNode *element, xmlNode *before);
xmlNode  *bm_xml_patch_insert_after     (BmXmlPatch *patch, xmlNode *parent, xmlNode *element, xmlNode *after);
/* Removes @node with the indentation before it. */
void      bm_xml_patch_remove_child     (BmXmlPatch *patch, xmlNode *node);
void      bm_xml_patch_remove_named_child (BmXmlPatch *patch, xmlNode *parent, const char *name);
void      bm_xml_patch_set_text         (BmXmlPatch *patch, xmlNode *element, const char *text);
/* Appends <name>text</name> to @parent (or before @before). @text may be NULL (empty). */
xmlNode  *bm_xml_patch_add_text_child   (BmXmlPatch *patch, xmlNode *parent, const char *name,
                                         const char *text, xmlNode *before);
/* Sets the text of @parent's child @name, creating it (before @before) when missing; an equal
 * text is left alone. */
void      bm_xml_patch_set_child_text   (BmXmlPatch *patch, xmlNode *parent, const char *name,
                                         const char *text, xmlNode *before);
xmlNode  *bm_xml_patch_first_content_child (xmlNode *parent);

/* The whole document: prolog and epilog bytes of @data as they were, the root element with
 * untouched nodes as their bytes. Sets patch->error for text XML cannot hold. */
char     *bm_xml_patch_write (BmXmlPatch *patch, const char *data, gsize length, gsize *out_length);

G_END_DECLS
