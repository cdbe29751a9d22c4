/* bm-annotation.h: everything labelled on one image, independent of the file format.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-file-util.h"
#include "bm-object.h"
#include "bm-problem.h"

G_BEGIN_DECLS

typedef enum
{
  BM_FORMAT_NONE,   /* not read from a file yet */
  BM_FORMAT_VOC,
  BM_FORMAT_DOTA,
  BM_FORMAT_YOLO,
} BmFormat;

const char *bm_format_to_string   (BmFormat format);
/* "voc", "dota", "yolo"; returns FALSE for anything else. */
gboolean    bm_format_from_string (const char *name, BmFormat *format);

#define BM_TYPE_ANNOTATION (bm_annotation_get_type ())
G_DECLARE_FINAL_TYPE (BmAnnotation, bm_annotation, BM, ANNOTATION, GObject)

BmAnnotation *bm_annotation_new              (void);

const char   *bm_annotation_get_image_path   (BmAnnotation *self);
void          bm_annotation_set_image_path   (BmAnnotation *self, const char *path);
const char   *bm_annotation_get_label_path   (BmAnnotation *self);
void          bm_annotation_set_label_path   (BmAnnotation *self, const char *path);
BmFormat      bm_annotation_get_format       (BmAnnotation *self);
void          bm_annotation_set_format       (BmAnnotation *self, BmFormat format);

/* Image size in the EXIF-oriented frame; 0 when unknown. depth 0 = unknown. */
int           bm_annotation_get_width        (BmAnnotation *self);
int           bm_annotation_get_height       (BmAnnotation *self);
int           bm_annotation_get_depth        (BmAnnotation *self);
void          bm_annotation_set_size         (BmAnnotation *self, int width, int height, int depth);

gboolean      bm_annotation_get_verified     (BmAnnotation *self);
void          bm_annotation_set_verified     (BmAnnotation *self, gboolean verified);

guint         bm_annotation_get_n_objects    (BmAnnotation *self);
BmObject     *bm_annotation_get_object       (BmAnnotation *self, guint index);
/* Takes a reference of its own. */
void          bm_annotation_add_object       (BmAnnotation *self, BmObject *object);
void          bm_annotation_insert_object    (BmAnnotation *self, guint index, BmObject *object);
void          bm_annotation_remove_object    (BmAnnotation *self, guint index);
int           bm_annotation_find_object      (BmAnnotation *self, BmObject *object);
/* Removes the objects at @remove (@n_remove indices, increasing) and appends them to @removed
 * (when not NULL, which then owns them), then inserts @objects so that they end up at @insert
 * (@n_insert indices into the result, increasing); emits "changed" once, when anything changed.
 * A batch delete, paste or undo step costs one pass over the objects, not one per object. */
void          bm_annotation_splice_objects   (BmAnnotation *self, const guint *remove, guint n_remove,
                                              GPtrArray *removed, const guint *insert,
                                              BmObject *const *objects, guint n_insert);
/* Deep copies of all objects; free with g_ptr_array_unref. */
GPtrArray    *bm_annotation_dup_objects      (BmAnnotation *self);
/* Replaces all objects with copies of those in @objects (an undo step restores a snapshot). */
void          bm_annotation_set_objects      (BmAnnotation *self, GPtrArray *objects);

/* Problems found while reading the label file. An annotation with problems is read-only:
 * saving it could drop what we could not read. */
void          bm_annotation_add_problem      (BmAnnotation *self, BmProblem *problem);
GPtrArray    *bm_annotation_get_problems     (BmAnnotation *self);
gboolean      bm_annotation_is_read_only     (BmAnnotation *self);
void          bm_annotation_set_read_only    (BmAnnotation *self, gboolean read_only);

/* Format-private state a writer needs for lossless saving (the libxml2 tree, the DOTA lines...).
 * Owned by the annotation. Only the format that set it may read it (check get_format first). */
void          bm_annotation_set_backing      (BmAnnotation *self, gpointer backing, GDestroyNotify destroy);
gpointer      bm_annotation_get_backing      (BmAnnotation *self);

/* The label file as it was when read (or that it did not exist); a save that finds it changed
 * refuses rather than undo someone else's work. NULL when never set. */
void               bm_annotation_set_file_stamp (BmAnnotation *self, const BmFileStamp *stamp);
const BmFileStamp *bm_annotation_get_file_stamp (BmAnnotation *self);

/* Emitted after any change to objects, verified or size. */
void          bm_annotation_emit_changed     (BmAnnotation *self);

G_END_DECLS
