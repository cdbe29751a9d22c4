/* bm-text-util.h: helpers shared by the line-based label formats (DOTA, YOLO).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"

G_BEGIN_DECLS

/* A finite number in C syntax (what Python's float() takes, minus hex, inf and nan). */
gboolean    bm_text_parse_finite (const char *token, double *value);

/* @token as shown in a message: valid UTF-8 and at most 40 characters (then "…").
 * Free with g_free. */
char       *bm_text_shown        (const char *token);

/* origin → object for the objects of @annotation read from a line: the first object claiming an
 * origin takes its line; later copies (duplicates) count as new objects. */
GHashTable *bm_text_objects_by_origin (BmAnnotation *annotation);

G_END_DECLS
