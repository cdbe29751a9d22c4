/* bm-yolo-export.h: writes a dataset in Ultralytics' layout:
 *   OUT/images/{train,val}/…   (hard links, else symlinks, or copies)
 *   OUT/labels/{train,val}/….txt
 *   OUT/data.yaml (path, train, val, names) and OUT/classes.txt
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-annotation.h"
#include "core/bm-problem.h"
#include "bm-class-list.h"
#include "bm-yolo.h"

G_BEGIN_DECLS

typedef struct
{
  const char *image_path;      /* required */
  BmAnnotation *annotation;    /* NULL: never labelled (the image is left out, not made background) */
  const char *split;           /* the source's split ("train", "val", "valid", "test") or NULL */
  gboolean elsewhere;          /* another shard (--shard) writes its files: it still counts for
                                * the class ids, the splits, the names and the verified lists,
                                * so that every shard writes what the whole run would */
} BmYoloExportItem;

typedef struct
{
  BmYoloTask task;
  BmClassList *classes;        /* the ids to use; NULL: YOLO sources read without a class list
                                * keep their ids, others get every label, sorted */
  double val_fraction;         /* < 0: keep the items' splits, or 0.2 when they have none */
  guint seed;
  gboolean copy;               /* copy images instead of linking them */
  gboolean clip;               /* clip OBB corners to the image (detect rows are always clipped) */
  gboolean sizes_checked;      /* the caller set every annotation's size from its image header:
                                * do not read the headers again */
} BmYoloExportOptions;

typedef struct
{
  BmClassList *classes;        /* the list written to data.yaml (owned; free with bm_yolo_export_report_clear) */
  gboolean classes_sorted;     /* TRUE when derived from the labels */
  gboolean classes_from_ids;   /* TRUE when every source was YOLO without a class list: the ids
                                * are kept and named "0" … "max" */
  GPtrArray *notes;            /* char*: labels matched loosely ("storage-tank" → 2 "storage tank") */
  GPtrArray *renamed_classes;  /* char*: labels holding line breaks or other control characters,
                                * which a class list cannot hold, and the class name they got */
  char *classes_txt_left_out;  /* why classes.txt was not written, or NULL */
  double val_fraction;         /* the fraction used, < 0 when the source's splits were kept */
  guint n_images;              /* images written */
  guint n_train, n_val, n_test;
  guint n_label_files;
  guint n_empty_label_files;   /* labelled images without objects: empty .txt (background) */
  guint n_unlabelled;          /* images never labelled: left out */
  guint n_with_problems;       /* images whose label file had problems: left out */
  guint n_objects;             /* rows written */
  guint n_clipped;             /* rows cut to the image */
  guint n_enclosed;            /* rotated boxes / quads written as their enclosing box */
  guint n_outside;             /* objects entirely outside their image: no row */
  guint n_out_of_range;        /* OBB rows Ultralytics would reject (see problems) */
  guint n_renamed;             /* images renamed because another one had the same name */
  guint n_verified;            /* verified images, listed in their label folder's .boxmark-verified */
  guint n_hard_linked, n_symlinked, n_copied;
} BmYoloExportReport;

void     bm_yolo_export_report_clear (BmYoloExportReport *report);

/* Exports @items to @out_dir (@report is filled from scratch: clear a used one first), which must not exist or be empty (nothing is ever overwritten).
 * When some items are elsewhere (sharded), @out_dir may hold other shards' files: this shard's
 * files must not exist, and data.yaml and classes.txt may exist with the bytes it would write.
 * Verified annotations are listed in the sidecar of their label folder (see bm_label_save).
 * Labels missing from options->classes are an error naming each label and its files, and then
 * nothing is written. Problems with single images are appended to @problems (BmProblem) and
 * the export goes on. FALSE and @error when nothing (or not everything) could be written. */
gboolean bm_yolo_export (GPtrArray *items, const char *out_dir, const BmYoloExportOptions *options,
                         BmYoloExportReport *report, GPtrArray *problems, GError **error);

/* Helpers shared with the other exporters (boxmark-cli convert). */
typedef enum
{
  BM_EXPORT_HARD_LINKED,
  BM_EXPORT_SYMLINKED,
  BM_EXPORT_COPIED,
} BmExportPlacement;

/* Puts @source at @target: a hard link, else a symlink, or a copy when @copy. Never replaces an
 * existing file. */
gboolean bm_export_place_image (const char *source, const char *target, gboolean copy,
                                BmExportPlacement *placement, GError **error);
/* Creates @path with @data; fails if it exists. */
gboolean bm_export_write_new_file (const char *path, const char *data, gsize length, GError **error);
/* TRUE when @dir does not exist or holds nothing: an export may go there. */
gboolean bm_export_folder_is_empty_or_missing (const char *dir);
/* The EXIF-oriented size from @image_path's header, which YOLO's numbers are relative to. When
 * @annotation's own size disagrees, @disagreement gets a problem naming @label_path. FALSE and
 * @error when the header cannot be read. */
gboolean bm_export_header_size (const char *image_path, BmAnnotation *annotation, const char *label_path,
                                int *width, int *height, BmProblem **disagreement, GError **error);
/* g_mkdir_with_parents with a BM_ERROR_IO naming @path. */
gboolean bm_export_make_dir (const char *path, GError **error);

/* The deterministic split: TRUE when @name goes to val, for @n_val of @n names ranked by a
 * seeded hash. Exposed for tests. */
guint64  bm_yolo_split_rank (const char *name, guint seed);

G_END_DECLS
