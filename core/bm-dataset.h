/* bm-dataset.h: a folder of images and their label files, whatever the layout.
 *
 * Layouts found automatically:
 *   flat  — labels beside the images (a.jpg + a.xml or a.txt)
 *   voc   — Annotations/ (*.xml) + JPEGImages/
 *   dota  — labelTxt/ (*.txt) + images/ (or labelTxt/ beside the images)
 *   yolo  — images/{train,val,...}/ + labels/{...}/ (Ultralytics) or train/images + train/labels
 *           (Roboflow), with data.yaml or classes.txt
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-annotation.h"
#include "bm-problem.h"

G_BEGIN_DECLS

typedef enum
{
  BM_LAYOUT_FLAT,
  BM_LAYOUT_VOC,
  BM_LAYOUT_DOTA,
  BM_LAYOUT_YOLO,
} BmLayout;

const char *bm_layout_to_string (BmLayout layout);

typedef struct
{
  char *image_path;     /* NULL for a label file whose image is missing */
  char *label_path;     /* the label file, or where a new one would go */
  BmFormat format;      /* format of label_path */
  gboolean has_label;   /* label_path exists on disk */
  char *split;          /* YOLO split ("train", "val") or NULL */
  gboolean format_guessed;  /* a .txt in a flat folder: DOTA or YOLO was guessed, check the content */
  gboolean label_shared;    /* another image has the same stem, so the same label file */
} BmDatasetItem;

#define BM_TYPE_DATASET (bm_dataset_get_type ())
G_DECLARE_FINAL_TYPE (BmDataset, bm_dataset, BM, DATASET, GObject)

/* @path is a folder or one image (then its folder is opened). Items are in natural order. */
BmDataset           *bm_dataset_open              (const char *path, gboolean recursive, GError **error);

/* Told, from the thread that opens the folder, the item that will be the dataset's first as soon
 * as it is known: after the folder is listed, before its names are sorted and paired (a window
 * shows that image while a million names sort). The item's strings belong to the dataset being
 * made: copy what is kept. @class_file is the one bm_dataset_get_class_file will give (or NULL),
 * so that the classes of that image get the colours they keep once the folder is open. Not
 * called when there is no image. */
typedef void (*BmDatasetFirstFunc) (const BmDatasetItem *item, const char *class_file, gpointer user_data);

BmDataset           *bm_dataset_open_with_first   (const char          *path,
                                                   gboolean             recursive,
                                                   BmDatasetFirstFunc   first_func,
                                                   gpointer             user_data,
                                                   GError             **error);

const char          *bm_dataset_get_root          (BmDataset *self);
BmLayout             bm_dataset_get_layout        (BmDataset *self);
/* The format new label files get: the one most existing labels use, VOC when none. */
BmFormat             bm_dataset_get_format        (BmDataset *self);

guint                bm_dataset_get_n_items       (BmDataset *self);
const BmDatasetItem *bm_dataset_get_item          (BmDataset *self, guint index);
/* Index of the item whose image is @image_path, or -1. */
int                  bm_dataset_find_image        (BmDataset *self, const char *image_path);

/* Label files that have no image; the same items also appear in the item list with
 * image_path NULL so validate and stats can report them. */
guint                bm_dataset_get_n_orphans     (BmDataset *self);

/* BmProblem (line 0) for what the scan had to leave out: folders it could not read. */
GPtrArray           *bm_dataset_get_problems      (BmDataset *self);

/* The class list file found (classes.txt, predefined_classes.txt, data.yaml), or NULL. */
const char          *bm_dataset_get_class_file    (BmDataset *self);

/* DOTA or YOLO, from the first object line of a .txt label file; BM_FORMAT_NONE when the file
 * has no object line or cannot tell. DOTA lines end with a class name, or (numeric class names)
 * have coordinates beyond what normalised YOLO values can be. */
BmFormat             bm_dataset_sniff_txt_format  (const char *path);
/* The same for a label file's contents. */
BmFormat             bm_dataset_sniff_txt_data    (const char *data, gsize length);

G_END_DECLS
