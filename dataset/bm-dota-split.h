/* bm-dota-split.h: a dataset cut into overlapping tiles with their labels, as DOTA_devkit's
 * ImgSplit cuts it (boxmark-cli split, and "Export a split of the folder…" in the window).
 *
 * For each image and each rate: the image scaled by the rate (OpenCV's INTER_CUBIC), then tiles
 * of size × size pixels every size − gap pixels, the last row and column aligned to the edge,
 * written as OUT/images/NAME__RATE__LEFT___UP.png with OUT/labelTxt/NAME__RATE__LEFT___UP.txt:
 * the objects inside the tile unchanged, the objects it cuts as their part inside it, marked
 * difficult 2 when no more than thresh of them is inside. Label tiles are byte-identical to
 * ImgSplit's, image tiles pixel-identical to its cv2 output (3 channels; alpha dropped, gray
 * repeated, as cv2.imread does).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-dataset.h"
#include "dataset/bm-shard.h"

G_BEGIN_DECLS

typedef struct
{
  int size;             /* tile side, 1024 */
  int gap;              /* overlap of neighbouring tiles, 100; less than size */
  double thresh;        /* a cut object keeps its difficult flag above this part inside, 0.7 */
  double rates[8];      /* scale factors, each its own set of tiles */
  guint n_rates;        /* 1 (rate 1) by default */
  int png_level;        /* zlib level of the image tiles: 1 (default) writes cv2.imwrite's very
                         * bytes; 0 is much faster and larger (see bm_png_write_file) */
  guint n_threads;      /* 0: every core */
  BmShard shard;        /* --shard K/N: only the images of that part (BM_SHARD_ALL: every one);
                         * the output folder may then hold other shards' tiles */
} BmDotaSplitOptions;

void bm_dota_split_options_init (BmDotaSplitOptions *options);

/* The rate as ImgSplit puts it in tile names, Python's str(): "1", "0.5", "1.5". Free with
 * g_free. */
char *bm_dota_split_rate_name (double rate);

typedef struct
{
  guint n_images;            /* images split (for each rate) */
  guint n_image_tiles;       /* PNG tiles written */
  guint n_label_tiles;       /* label tiles written */
  guint n_objects;           /* label lines written */
  guint n_whole;             /* of which objects inside their tile */
  guint n_cut;               /* of which parts of cut objects */
  guint n_difficult;         /* of those, marked difficult 2 */
  guint n_left_out;          /* parts left out as ImgSplit does (< 4 or > 5 corners) */
  guint n_unsplittable;      /* parts ImgSplit stops on, left out (listed in problems) */
  guint n_unlabelled;        /* images without a label file: image tiles only */
  guint n_failed;            /* images not split (listed in problems) */
  GPtrArray *problems;       /* char *: "FILE:LINE: problem", "FILE: …" */
  GPtrArray *renamed;        /* char *: "“small vehicle” → “small-vehicle”" */
} BmDotaSplitReport;

void bm_dota_split_report_clear (BmDotaSplitReport *report);

/* Called from worker threads, one call at a time, after each tile: tiles done of all tiles,
 * and @image when its last tile was written (else NULL). */
typedef void (*BmDotaSplitProgress) (guint64 tiles_done, guint64 n_tiles, const char *image,
                                     gpointer user_data);

/* Splits every image of @dataset into @out_dir, which must be new or empty (it is created).
 * Images whose label file has problems, or that cannot be decoded, are reported in @report and
 * left out whole. Every file appears complete or not at all; the data is flushed to disk before
 * this returns. FALSE with @error when nothing or not everything could be written (the folder,
 * a full disk, cancelled): what was written stays, complete. */
gboolean bm_dota_split (BmDataset                *dataset,
                        const char               *out_dir,
                        const BmDotaSplitOptions *options,
                        BmDotaSplitProgress       progress,
                        gpointer                  user_data,
                        GCancellable             *cancellable,
                        BmDotaSplitReport        *report,
                        GError                  **error);

/* The same in a worker thread, @progress called in the thread-default main context of the
 * caller (a call is skipped while the previous one is still pending). bm_dota_split_finish
 * always returns the report (free it with bm_dota_split_report_free) and sets @error when
 * bm_dota_split would have returned FALSE. */
void                bm_dota_split_async  (BmDataset                *dataset,
                                          const char               *out_dir,
                                          const BmDotaSplitOptions *options,
                                          BmDotaSplitProgress       progress,
                                          gpointer                  user_data,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  callback_data);
BmDotaSplitReport  *bm_dota_split_finish (GAsyncResult             *result,
                                          GError                  **error);
void                bm_dota_split_report_free (BmDotaSplitReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmDotaSplitReport, bm_dota_split_report_free)

G_END_DECLS
