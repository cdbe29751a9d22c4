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
  BmPred *preds;           /* bm_eval_alloc_large */
  guint n_preds;
  guint capacity;
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
  BmPred *slice;           /* or, when set, where they go instead (room for one per line) */
  guint slice_length;
  guint slice_capacity;
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
/* Adds a detection read (local image and class indices). */
void         bm_pred_chunk_add        (BmPredChunk *chunk, const BmPred *pred);
guint        bm_pred_chunk_get_n      (BmPredChunk *chunk);
void         bm_pred_chunk_problem    (BmPredChunk *chunk, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);
void         bm_pred_chunk_note       (BmPredChunk *chunk, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Moves the chunk's detections, keys, problems and notes into @self. A chunk that wrote into
 * a slice of @self's array (bm_pred_set_reserve) must be added in slice order. */
void         bm_pred_set_add_chunk    (BmPredSet *self, BmPredChunk *chunk);
/* Room for @n more detections; returns where they go. */
BmPred      *bm_pred_set_reserve      (BmPredSet *self, guint n);

/* A number as Python's float() reads it, bit for bit: FALSE for anything that is not a finite
 * decimal (NaN, infinities, hex, junk). Short decimals skip strtod (see bm-pred-read-text.c). */
gboolean     bm_pred_parse_finite     (const char *token, double *value);

/* The readers. Each reads @data (NUL-terminated, may be modified) of the file @chunk is for. */
void         bm_pred_parse_results    (BmPredChunk *chunk, char *data, gsize length, BmPredFormat format);
void         bm_pred_parse_yolo       (BmPredChunk *chunk, char *data, gsize length);
void         bm_pred_parse_coco       (BmPredChunk *chunk, const char *data, gsize length);

/* What the first row of the .txt file @path looks like: YOLO, VOC or DOTA task 1, or AUTO. */
BmPredFormat _bm_pred_sniff_txt       (const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmPredChunk, bm_pred_chunk_free)

G_END_DECLS
