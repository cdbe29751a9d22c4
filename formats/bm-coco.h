/* bm-coco.h: COCO instances JSON (the "object detection" format of cocodataset.org), read and
 * written with json-glib.
 *
 * Read: images, categories and annotations with their ids as they are (category ids are never
 * renumbered); an annotation is a box from its "bbox" [x, y, w, h], or a quadrilateral when its
 * segmentation is one 4-point polygon that is not the box itself (as Boxmark writes DOTA quads
 * and rotated boxes). "iscrowd": 1 reads as difficult (COCOeval ignores crowd objects as VOC
 * ignores difficult ones). Boxmark's own additions, which other tools ignore: image "verified",
 * annotation "score", "difficult" (2 for DOTA's cut objects), "truncated", "occluded",
 * "bm_shape": "rotated", and CVAT's "attributes" object.
 *
 * Written losslessly where JSON allows: with the file it was read from as source, every member
 * we do not edit is written back as it was (info, licenses, segmentation masks, unknown keys),
 * annotations not edited are copied whole, ids are kept. Numbers are written as Python writes
 * them (shortest round-trip text); member order is kept; the bytes of the original (spacing,
 * \u escapes) are not.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-annotation.h"
#include "bm-class-list.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  const char *file_name;   /* as written ("" when missing) */
  int width, height;       /* 0 when missing */
  gboolean verified;
  guint line;
} BmCocoImage;

typedef struct
{
  gint64 id;
  const char *name;
  guint line;
} BmCocoCategory;

typedef struct
{
  gint64 id;
  guint image;             /* index of its image */
  guint category;          /* index of its category */
  double bbox[4];          /* x y w h as written */
  double area;             /* "area" as written, else w * h */
  gboolean has_area;
  gboolean iscrowd;
  gboolean has_iscrowd;
  int difficult;           /* Boxmark's "difficult", else iscrowd */
  gboolean has_score;
  double score;
  BmShapeKind shape;       /* BOX, or QUAD / ROTATED from a 4-point polygon */
  double quad[8];
  guint line;
} BmCocoAnnotation;

typedef struct _BmCoco BmCoco;

#define BM_TYPE_COCO (bm_coco_get_type ())
GType                   bm_coco_get_type     (void) G_GNUC_CONST;

/* NULL with BM_ERROR_PARSE ("FILE:LINE: problem") when the file is not JSON or not a COCO
 * instances file at all. Images, categories and annotations that are wrong (no id, an id used
 * twice, an image or category that does not exist, a bbox that is not four numbers) are
 * problems, FILE:LINE, and left out. */
BmCoco                 *bm_coco_load         (const char *path, GError **error);
BmCoco                 *bm_coco_load_data    (const char *data, gsize length, const char *path, GError **error);
BmCoco                 *bm_coco_ref          (BmCoco *self);
void                    bm_coco_unref        (BmCoco *self);

const char             *bm_coco_get_path     (BmCoco *self);
GPtrArray              *bm_coco_get_problems (BmCoco *self);
/* What pycocotools would stop on although Boxmark reads it (a missing "iscrowd" or "area"). */
GPtrArray              *bm_coco_get_notes    (BmCoco *self);

guint                   bm_coco_get_n_images      (BmCoco *self);
const BmCocoImage      *bm_coco_get_image         (BmCoco *self, guint index);
int                     bm_coco_find_image        (BmCoco *self, gint64 id);
guint                   bm_coco_get_n_categories  (BmCoco *self);
const BmCocoCategory   *bm_coco_get_category      (BmCoco *self, guint index);
int                     bm_coco_find_category     (BmCoco *self, gint64 id);
guint                   bm_coco_get_n_annotations (BmCoco *self);
const BmCocoAnnotation *bm_coco_get_annotation    (BmCoco *self, guint index);
/* Indices of image @image's annotations, in file order. */
const guint            *bm_coco_get_image_annotations (BmCoco *self, guint image, guint *n);

/* The object annotation @index reads as; its origin is @index + 1. */
BmObject               *bm_coco_make_object       (BmCoco *self, guint index);
/* Image @image as an annotation (objects in file order, size and verified from the file, the
 * problems of its annotations). @image_path may be NULL. Its label path is the JSON file. */
BmAnnotation           *bm_coco_make_annotation   (BmCoco *self, guint image, const char *image_path);

/* ---- writing ---- */

typedef struct
{
  const char *file_name;   /* as the file will name it (relative to the images folder) */
  int width, height;
  BmAnnotation *annotation;  /* NULL: an image without labels */
  guint source_image;      /* its index in the source file, or G_MAXUINT for a new image */
} BmCocoWriteImage;

/* The JSON text of @images (BmCocoWriteImage). Categories: those of @source with their ids,
 * then (or, without a source, from 1) the names of @classes not among them, then any other
 * label in order of appearance. With a source, what it holds besides images, annotations and
 * categories is kept, and so is each image and annotation that came from it (their ids too,
 * and for an edited object every member but its geometry, class and flags). New ids follow the
 * largest of the source. A label that is no category name and @strict: BM_ERROR_NOT_FOUND
 * naming it. Free with g_free. */
char *bm_coco_to_data (BmCoco                 *source,
                       const BmCocoWriteImage *images,
                       guint                   n_images,
                       BmClassList            *classes,
                       gboolean                strict,
                       gsize                  *length,
                       GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmCoco, bm_coco_unref)

G_END_DECLS
