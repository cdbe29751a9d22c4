/* bm-voc-private.h: what the VOC reader (bm-voc.c) keeps for the writer (bm-voc-writer.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libxml/tree.h>

#include "core/bm-annotation.h"
#include "core/bm-xml.h"

G_BEGIN_DECLS

/* Coordinates, sizes and angles beyond this are no real image's: refused, not carried along. */
#define MAX_COORDINATE 1e7

typedef struct
{
  xmlNode *node;      /* the <object> element in VocBacking.doc */
  BmObject *loaded;   /* the object as read, to tell an edited object from an untouched one */
} VocEntry;

/* The annotation's backing: the tree and bytes as read. */
typedef struct
{
  xmlDoc *doc;
  char *data;           /* the file as UTF-8 text, what the tree and spans refer to */
  gsize length;
  BmXmlEncoding encoding; /* the file's own, written back on saving */
  char *original;       /* the file's bytes when not UTF-8 (an unedited save gives them back) */
  gsize original_length;
  gboolean spans_ok;    /* every node has a BmXmlSpan in _private that matches data */
  GPtrArray *spans;     /* BmXmlSpan, owned; nodes point into it */
  GPtrArray *entries;   /* VocEntry, index = origin - 1 */
  int width, height, depth;
  gboolean verified;
  gboolean uses_type;   /* roLabelImg: objects carry <type> */
} VocBacking;

/* Plain decimal text: [+-]digits[.digits][e[+-]digits]; no hex, nan or inf. */
gboolean bm_voc_parse_number     (const char *text, double *value);
/* K in a polygon point element's name "xK" or "yK" for @axis 'x' or 'y', else 0. */
gsize    bm_voc_point_index      (xmlNode *node, char axis);
/* The root's verified attribute says yes ("yes", "true", "1"). */
gboolean bm_voc_is_verified_text (const char *value);

G_END_DECLS
