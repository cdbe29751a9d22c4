/* bm-pred-private.h: how the prediction readers fill a BmPredSet. Not for other modules.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-pred-set.h"

G_BEGIN_DECLS

struct _BmPredSet
{
  gint ref_count;
  BmPredFormat format;
  char *path;
  GPtrArray *files;        /* char * */
  GPtrArray *images;       /* char * keys */
  GHashTable *image_index; /* key → index + 1 */
  GPtrArray *classes;
  GHashTable *class_index;
  gboolean coco_ids;
  BmClassList *yolo_names;
  GArray *preds;           /* BmPred */
  GPtrArray *problems;
  GPtrArray *notes;
};

/* What one file gave, read on a worker thread and then added in file order: image keys are
 * local to the chunk until bm_pred_set_add_chunk maps them. */
typedef struct
{
  char *path;
  char *class_name;        /* one class per file (VOC, DOTA), or NULL */
  GPtrArray *images;       /* local image keys */
  GHashTable *image_index; /* local key → index + 1 */
  GPtrArray *classes;      /* local class keys (YOLO, labels) */
  GHashTable *class_index;
  GArray *preds;           /* BmPred with local image and class indices; file unset */
  GPtrArray *problems;
  GPtrArray *notes;
  guint n_lines;
} BmPredChunk;

BmPredSet   *bm_pred_set_new          (BmPredFormat format, const char *path);
guint        bm_pred_set_intern_image (BmPredSet *self, const char *key);
guint        bm_pred_set_intern_class (BmPredSet *self, const char *key);

BmPredChunk *bm_pred_chunk_new        (const char *path, const char *class_name);
void         bm_pred_chunk_free       (BmPredChunk *chunk);
guint        bm_pred_chunk_image      (BmPredChunk *chunk, const char *key, gsize length);
guint        bm_pred_chunk_class      (BmPredChunk *chunk, const char *key);
void         bm_pred_chunk_problem    (BmPredChunk *chunk, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);
void         bm_pred_chunk_note       (BmPredChunk *chunk, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Moves the chunk's detections, keys, problems and notes into @self. */
void         bm_pred_set_add_chunk    (BmPredSet *self, BmPredChunk *chunk);

/* The readers. Each reads @data (NUL-terminated, may be modified) of the file @chunk is for. */
void         bm_pred_parse_results    (BmPredChunk *chunk, char *data, gsize length, BmPredFormat format);
void         bm_pred_parse_yolo       (BmPredChunk *chunk, char *data, gsize length);
void         bm_pred_parse_coco       (BmPredChunk *chunk, const char *data, gsize length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmPredChunk, bm_pred_chunk_free)

G_END_DECLS
