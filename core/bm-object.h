/* bm-object.h: one annotated object (a box, rotated box or quadrilateral with its label).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-geometry.h"

G_BEGIN_DECLS

#define BM_TYPE_OBJECT (bm_object_get_type ())
G_DECLARE_FINAL_TYPE (BmObject, bm_object, BM, OBJECT, GObject)

BmObject      *bm_object_new             (const char *label, const BmShape *shape);
/* A deep copy that keeps the origin (so a format writer still knows where it came from). */
BmObject      *bm_object_copy            (BmObject *self);

const char    *bm_object_get_label       (BmObject *self);
void           bm_object_set_label       (BmObject *self, const char *label);
const BmShape *bm_object_get_shape       (BmObject *self);
void           bm_object_set_shape       (BmObject *self, const BmShape *shape);
/* 0 = no, 1 = difficult, 2 = DOTA's "cut by a tile edge" */
int            bm_object_get_difficult   (BmObject *self);
void           bm_object_set_difficult   (BmObject *self, int difficult);
gboolean       bm_object_get_truncated   (BmObject *self);
void           bm_object_set_truncated   (BmObject *self, gboolean truncated);
gboolean       bm_object_get_occluded    (BmObject *self);
void           bm_object_set_occluded    (BmObject *self, gboolean occluded);
/* Detector confidence (for the cascade detector: the neighbour count). */
gboolean       bm_object_has_score       (BmObject *self);
double         bm_object_get_score       (BmObject *self);
void           bm_object_set_score       (BmObject *self, double score);
void           bm_object_clear_score     (BmObject *self);
/* TRUE for a detection nobody has edited or verified yet. */
gboolean       bm_object_get_pre_annotation (BmObject *self);
void           bm_object_set_pre_annotation (BmObject *self, gboolean pre_annotation);

/* Free attributes, in insertion order. value NULL removes the key. */
void           bm_object_set_attribute   (BmObject *self, const char *key, const char *value);
const char    *bm_object_get_attribute   (BmObject *self, const char *key);
guint          bm_object_get_n_attributes (BmObject *self);
void           bm_object_get_attribute_nth (BmObject *self, guint index, const char **key, const char **value);

/* Where the object came from in its label file: 0 for a new object, otherwise a format-defined
 * index (1-based) into the objects the reader found. Writers use it to keep untouched objects
 * byte-identical. */
guint          bm_object_get_origin      (BmObject *self);
void           bm_object_set_origin      (BmObject *self, guint origin);

/* TRUE when label, shape, flags, score and attributes are all equal (origin ignored). */
gboolean       bm_object_content_equal   (BmObject *a, BmObject *b);

G_END_DECLS
