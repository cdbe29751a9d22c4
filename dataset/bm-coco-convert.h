/* bm-coco-convert.h: `boxmark-cli convert --to coco` and `--from coco`.
 *
 * To COCO: OUT/annotations/instances.json and the images in OUT/images/ (a dataset with splits:
 * instances_SPLIT.json and images/SPLIT/ per split). Image ids follow the dataset order, category
 * ids the class list (1, 2, … in its order), annotation ids the objects in reading order. Images
 * never labelled, or whose label file has problems, are left out and counted.
 *
 * From COCO: an instances .json (or a folder holding such files, one per split) whose images are
 * found beside it, in images/, or in the folder named like its split; its images with their
 * annotations as Boxmark annotations, to be written in any format. COCO to COCO keeps every id and
 * every member (see formats/bm-coco.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-dataset.h"
#include "formats/bm-class-list.h"
#include "formats/bm-coco.h"

G_BEGIN_DECLS

typedef struct
{
  guint n_images;          /* images written */
  guint n_objects;
  guint n_categories;
  guint n_files;           /* JSON or label files written */
  guint n_unlabelled;      /* left out: never labelled */
  guint n_with_problems;   /* left out: their label file has problems */
  guint n_missing_images;  /* COCO source images not found: labels written, no image */
  guint n_verified;
  guint n_hard_linked, n_symlinked, n_copied;
  GPtrArray *renamed;      /* char *: DOTA labels with spaces, "old → new" */
} BmCocoConvertReport;

void     bm_coco_convert_report_clear (BmCocoConvertReport *report);

/* Writes the labelled images of @dataset (its labels in @loaded, BmExportSource in item order,
 * as bm_export_sources_load returns them) to @out_dir in COCO. @classes gives the category ids
 * (NULL: the dataset's class file, else every label sorted). Problems of single images go to
 * @problems (BmProblem). */
gboolean bm_coco_convert_dataset      (BmDataset           *dataset,
                                       GArray              *loaded,
                                       BmClassList         *classes,
                                       const char          *out_dir,
                                       gboolean             copy,
                                       BmCocoConvertReport *report,
                                       GPtrArray           *problems,
                                       GError             **error);

typedef enum
{
  BM_COCO_TO_VOC,
  BM_COCO_TO_DOTA,
  BM_COCO_TO_YOLO,
  BM_COCO_TO_YOLO_OBB,
  BM_COCO_TO_COCO,
} BmCocoTarget;

/* Converts the COCO file(s) at @source (a .json, or a folder of them) to @target in @out_dir.
 * YOLO: class ids from @classes, else the categories in id order. */
gboolean bm_coco_convert_from         (const char          *source,
                                       BmCocoTarget         target,
                                       BmClassList         *classes,
                                       const char          *out_dir,
                                       gboolean             copy,
                                       BmCocoConvertReport *report,
                                       GPtrArray           *problems,
                                       GError             **error);

G_END_DECLS
