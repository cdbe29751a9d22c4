/* bm-dota.h: DOTA label files (labelTxt/ *.txt), saved byte-identically when unedited.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"

G_BEGIN_DECLS

/* Same contract as bm_voc_load: bad lines become BmProblems (FILE:LINE), the good ones load,
 * and the annotation is then read-only. Objects are BM_SHAPE_QUAD with the point order kept.
 * A line with an 11th token that is a number (`… class difficult score`) is a pre-annotation
 * with that score; a pre-annotation with a score is written that way, and once accepted
 * without the token. */
BmAnnotation *bm_dota_load      (const char *path, GError **error);
BmAnnotation *bm_dota_load_data (const char *data, gsize length, const char *path, GError **error);
gboolean      bm_dota_save      (BmAnnotation *annotation, const char *path, GError **error);
char         *bm_dota_to_data   (BmAnnotation *annotation, gsize *length, GError **error);

/* DOTA class names are one token: every label of @annotation holding whitespace gets it turned
 * into hyphens ("small vehicle" → "small-vehicle"). Each renaming is recorded in @renamed
 * (old label → new, both owned by the table), so that callers can print it: never silent. */
void          bm_dota_hyphenate_labels (BmAnnotation *annotation, GHashTable *renamed);

G_END_DECLS
