/* bm-dota-merge.h: tile detections merged back onto their whole images, as DOTA_devkit's
 * ResultMerge does it (boxmark-cli merge).
 *
 * A result file holds one detection per line, "TILE SCORE COORDINATES…", where TILE is an
 * ImgSplit tile name NAME__RATE__LEFT___UP. Every coordinate becomes (c + LEFT or UP) / RATE on
 * the image NAME, and the detections of each image go through non-maximum suppression: polygon
 * IoU (DOTA_devkit's polyiou) for Task1 lines of 8 coordinates, or box IoU with VOC's +1 for
 * Task2 lines "xmin ymin xmax ymax". The same detections are kept, in the same order, written
 * with the same numbers as ResultMerge writes them under Python 3.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  BM_DOTA_MERGE_POLY,   /* ResultMerge.mergebypoly: 8 coordinates, polygon IoU */
  BM_DOTA_MERGE_RECT,   /* ResultMerge.mergebyrec: xmin ymin xmax ymax, IoU with +1 sizes */
} BmDotaMergeNms;

/* ResultMerge.py's threshold; ResultMerge_multi_process.py uses 0.1. */
#define BM_DOTA_MERGE_DEFAULT_THRESH 0.3

typedef struct
{
  BmDotaMergeNms nms;
  double thresh;        /* a detection overlapping a kept one by more than this goes */
  guint n_threads;      /* 0: every core */
} BmDotaMergeOptions;

void bm_dota_merge_options_init (BmDotaMergeOptions *options);

typedef struct
{
  guint n_files;               /* result files read */
  guint n_written;             /* merged files written */
  guint64 n_detections;        /* detection lines read (in the files written) */
  guint64 n_kept;              /* detections written */
  guint n_images;              /* distinct image names in the files written */
  GPtrArray *problems;         /* BmProblem: FILE:LINE: problem; such a file is not written */
} BmDotaMergeReport;

void bm_dota_merge_report_clear (BmDotaMergeReport *report);

/* Merges every *.txt file in @tiles_dir and its subfolders into a file of the same name in
 * @out_dir, which must be new or empty (it is created). A file with a bad line is reported
 * line by line in @report and not written; the others are. Returns FALSE with @error only when
 * nothing could be done (no such folder, @out_dir not empty, a write failed). */
gboolean bm_dota_merge      (const char               *tiles_dir,
                             const char               *out_dir,
                             const BmDotaMergeOptions *options,
                             BmDotaMergeReport        *report,
                             GError                  **error);

/* The merge of one result file's contents (@path names it in problems). Returns the merged
 * text, or NULL when a line is bad: every bad line is appended to @problems (BmProblem). The
 * image names met are added to @image_names (a set of strings it frees; may be NULL). */
char    *bm_dota_merge_data (const char               *data,
                             gsize                     length,
                             const char               *path,
                             const BmDotaMergeOptions *options,
                             GPtrArray                *problems,
                             gsize                    *out_length,
                             guint                    *n_detections,
                             guint                    *n_kept,
                             GHashTable               *image_names);

G_END_DECLS
