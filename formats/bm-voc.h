/* bm-voc.h: Pascal VOC XML, every dialect in the wild, saved losslessly.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"

G_BEGIN_DECLS

/* Reads @path. A file that cannot be parsed at all returns NULL and an error whose message is
 * "FILE:LINE: problem". A file with bad objects returns the annotation with the good objects,
 * one BmProblem per bad part, and read-only set. The libxml2 tree is kept as the backing so
 * bm_voc_save() changes only what was edited. Never loads DTDs, external entities or the network. */
BmAnnotation *bm_voc_load      (const char *path, GError **error);
/* Parses @data (for the fuzzer and tests); @path is only used in messages. */
BmAnnotation *bm_voc_load_data (const char *data, gsize length, const char *path, GError **error);

typedef enum
{
  BM_VOC_LOAD_DEFAULT    = 0,
  /* The annotation is only read (exported, counted, checked), never saved: the tree and the
   * byte spans that lossless saving needs are not kept. Saving it would rewrite the file in
   * labelImg's layout, so callers must not. */
  BM_VOC_LOAD_NO_BACKING = 1 << 0,
} BmVocLoadFlags;

BmAnnotation *bm_voc_load_data_full (const char *data, gsize length, const char *path,
                                     BmVocLoadFlags flags, GError **error);

/* Writes @annotation to @path atomically. Objects whose origin is set and whose content is
 * unchanged keep their bytes; new files follow labelImg's layout. Refuses a read-only annotation. */
gboolean      bm_voc_save      (BmAnnotation *annotation, const char *path, GError **error);
/* The bytes bm_voc_save() would write. Free with g_free. */
char         *bm_voc_to_data   (BmAnnotation *annotation, gsize *length, GError **error);

G_END_DECLS
