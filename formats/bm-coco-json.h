/* bm-coco-json.h: reading and writing the JSON of COCO files (instances, results) with
 * json-glib, with line numbers for problems and numbers written as Python writes them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @data. Python's json module writes NaN, Infinity and -Infinity as bare words, which
 * JSON does not allow: they are read as null, and their lines added to @nan_lines (a set of
 * GUINT_TO_POINTER (line); may be NULL). Every object that starts at nesting depth @depth (the
 * root is depth 1: 2 = the elements of a top-level list, 3 = the elements of the lists a
 * top-level object holds) adds its first line to @object_lines (guint; may be NULL), in
 * document order. On error NULL, the line in @error_line and a message without file or line. */
JsonNode *bm_coco_json_parse           (const char  *data,
                                        gsize        length,
                                        int          depth,
                                        GArray      *object_lines,
                                        GHashTable  *nan_lines,
                                        guint       *error_line,
                                        GError     **error);

/* @value as Python's repr() writes it: the shortest text that reads back to the same double
 * (0.1, 1e-05, 83.0, 1e+16); NaN and infinities, which JSON cannot hold, as null. */
void      bm_coco_json_append_double   (GString     *out,
                                        double       value);
/* A JSON string literal; text that is not valid UTF-8 has its bad bytes replaced. */
void      bm_coco_json_append_string   (GString     *out,
                                        const char  *text);
/* @node compactly, doubles as bm_coco_json_append_double, members in their order. */
void      bm_coco_json_append_node     (GString     *out,
                                        JsonNode    *node);

/* An integer held by @node (a JSON integer, or a double with a whole value). */
gboolean  bm_coco_json_get_int         (JsonNode    *node,
                                        gint64      *value);
/* A number held by @node (integer or double). */
gboolean  bm_coco_json_get_number      (JsonNode    *node,
                                        double      *value);

G_END_DECLS
