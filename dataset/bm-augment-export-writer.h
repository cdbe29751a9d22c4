/* bm-augment-export-writer.h: writes augmented samples — image, labels (VOC, DOTA, YOLO, YOLO-OBB)
 * and the sidecar augment/STEM_aug<k>.augment.txt that bm_augment_replay reproduces a sample from.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-augment.h"
#include "formats/bm-class-list.h"
#include "bm-export-target.h"

G_BEGIN_DECLS

typedef enum
{
  BM_AUGMENT_EXPORT_FILE_IMAGE,
  BM_AUGMENT_EXPORT_FILE_LABELS,
  BM_AUGMENT_EXPORT_FILE_SIDECAR,
} BmAugmentExportFile;

#define BM_AUGMENT_EXPORT_SIDECAR_DIR      "augment"
#define BM_AUGMENT_EXPORT_DEFAULT_QUALITY  95

/* "png" or "jpg": @format ("png", "jpg", "jpeg", any case) or, when NULL, the source's. */
const char *bm_augment_export_image_extension  (const char *image_path,
                                                const char *format);

typedef struct _BmAugmentExportWriter BmAugmentExportWriter;

/* @replace: existing files are replaced (atomically); otherwise an existing file is an error. */
BmAugmentExportWriter *bm_augment_export_writer_new  (const char            *out_dir,
                                                      BmExportTarget  format,
                                                      int                    quality,
                                                      gboolean               clip,
                                                      gboolean               replace);
void                   bm_augment_export_writer_free (BmAugmentExportWriter *writer);

/* DIR/<images>/STEM_aug<k>.EXT, DIR/<labels>/STEM_aug<k>.xml|txt, DIR/augment/STEM_aug<k>.augment.txt */
char    *bm_augment_export_writer_path            (BmAugmentExportWriter *writer,
                                                   const char            *stem,
                                                   const char            *ext,
                                                   guint                  k,
                                                   BmAugmentExportFile    file);
/* Adds to @existing (char*, owned) the files of samples 0..n-1 of @stem (and, for YOLO, the
 * class files) that already exist. */
void     bm_augment_export_writer_find_existing   (BmAugmentExportWriter *writer,
                                                   const char            *stem,
                                                   const char            *ext,
                                                   guint                  n,
                                                   GPtrArray             *existing);
void     bm_augment_export_writer_find_existing_class_files (BmAugmentExportWriter *writer,
                                                             GPtrArray             *existing);
gboolean bm_augment_export_writer_make_dirs       (BmAugmentExportWriter *writer,
                                                   GError               **error);
/* YOLO: the class ids, and labels matched loosely (label → class name; may be NULL). */
void     bm_augment_export_writer_set_classes     (BmAugmentExportWriter *writer,
                                                   BmClassList           *classes,
                                                   GHashTable            *class_names);
/* YOLO: DIR/data.yaml and DIR/classes.txt. */
gboolean bm_augment_export_writer_write_class_files (BmAugmentExportWriter *writer,
                                                     GError               **error);
/* Labels first (a label that cannot be written leaves no orphan image), then the image and the
 * sidecar. Samples are never marked verified. */
gboolean bm_augment_export_writer_write_sample    (BmAugmentExportWriter *writer,
                                                   const char            *stem,
                                                   const char            *ext,
                                                   guint                  k,
                                                   const BmAugmentSample *sample,
                                                   const char            *sidecar,
                                                   GError               **error);
guint       bm_augment_export_writer_get_n_objects (BmAugmentExportWriter *writer);
guint       bm_augment_export_writer_get_n_clipped (BmAugmentExportWriter *writer);
guint       bm_augment_export_writer_get_n_outside (BmAugmentExportWriter *writer);
/* DOTA: label with blanks → the token written. */
GHashTable *bm_augment_export_writer_get_renamed   (BmAugmentExportWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentExportWriter, bm_augment_export_writer_free)

G_END_DECLS
