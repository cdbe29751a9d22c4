/* bm-augment-panel.h: previews training augmentations of the current image, moving its objects
 * the way the chosen framework does.
 *
 * Operations are picked with check buttons and their ranges set with sliders; the preview is
 * one sample drawn from those ranges with the panel's seed (Shuffle draws a new seed) and is
 * computed in a worker thread, so sliders never block; results made for older settings are
 * dropped. Mixup and mosaic partners are other images of the current folder, drawn as
 * `boxmark-cli augment` draws them. After a new seed (Shuffle) or image the preview is sample 0
 * of "Export…"; ticking an operation or moving its range then draws only that operation anew,
 * the others keep their values so the picture does not jump. "Export…" writes N samples of the
 * current image with their labels and sidecars through the CLI's own code
 * (dataset/bm-augment-export-run.h): the same bytes as `boxmark-cli augment --seed SEED` on
 * that image, with the --ops the panel's operations spell.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-annotation.h"
#include "core/bm-augment.h"
#include "core/bm-dataset.h"
#include "core/bm-image.h"
#include "dataset/bm-augment-export.h"
#include "bm-augment-preview.h"

G_BEGIN_DECLS

#define BM_TYPE_AUGMENT_PANEL (bm_augment_panel_get_type ())
G_DECLARE_FINAL_TYPE (BmAugmentPanel, bm_augment_panel, BM, AUGMENT_PANEL, GtkWidget)

GtkWidget          *bm_augment_panel_new            (void);

/* The image to augment, its labels (may be NULL), the folder it belongs to (may be NULL: no
 * mixup/mosaic partners) and its index there. References are taken; the annotation is copied
 * when a preview starts, so later edits show on the next update. */
void                bm_augment_panel_set_source     (BmAugmentPanel *self,
                                                     BmImage        *image,
                                                     BmAnnotation   *annotation,
                                                     BmDataset      *dataset,
                                                     guint           index);

/* The same, for a window that has no decoded BmImage: decodes item @index of @dataset (or the
 * annotation's image) in a worker thread, then calls set_source. Requests overtaken by a newer
 * one are dropped; the image of the previous call is reused when the path is the same. */
void                bm_augment_panel_load_source    (BmAugmentPanel *self,
                                                     BmAnnotation   *annotation,
                                                     BmDataset      *dataset,
                                                     guint           index);

BmAugmentPreview   *bm_augment_panel_get_preview    (BmAugmentPanel *self);

/* Operation switches and the value of named parameters ("rotate.degrees", "expand.ratio", …,
 * listed in bm-augment-panel.c); both re-render the preview. */
void                bm_augment_panel_set_op_enabled (BmAugmentPanel *self,
                                                     BmAugmentOpKind kind,
                                                     gboolean        enabled);
gboolean            bm_augment_panel_get_op_enabled (BmAugmentPanel *self,
                                                     BmAugmentOpKind kind);
GtkAdjustment      *bm_augment_panel_get_adjustment (BmAugmentPanel *self,
                                                     const char     *parameter);

BmAugmentFramework  bm_augment_panel_get_framework  (BmAugmentPanel *self);
void                bm_augment_panel_set_framework  (BmAugmentPanel *self,
                                                     BmAugmentFramework framework);
guint64             bm_augment_panel_get_seed       (BmAugmentPanel *self);
void                bm_augment_panel_set_seed       (BmAugmentPanel *self,
                                                     guint64         seed);
/* A new seed, as the Shuffle button does. */
void                bm_augment_panel_shuffle        (BmAugmentPanel *self);
/* The dataset item used as mixup/mosaic partner, or -1 for partners chosen by the seed. */
void                bm_augment_panel_set_partner    (BmAugmentPanel *self,
                                                     int             index);

/* The ranges and the operations, in the order they are applied, that the preview uses now. */
void                bm_augment_panel_get_settings   (BmAugmentPanel    *self,
                                                     BmAugmentSettings *settings,
                                                     GArray            *kinds);
/* The operations as `boxmark-cli augment --ops` spells them (in the order they apply, each
 * range written so that the CLI reads the panel's exact numbers); "" when none is ticked.
 * With --seed SEED (and --profile, --to), the CLI writes what Export writes. */
char               *bm_augment_panel_dup_cli_ops    (BmAugmentPanel    *self);
/* TRUE while a preview is being computed or waits to be. "preview-ready" is emitted when the
 * preview shows a sample for the current settings. */
gboolean            bm_augment_panel_get_busy       (BmAugmentPanel *self);
/* The window saved the label file of item @index of @dataset: the folder's partner pool (built
 * once per folder, not per image) reads that item again before the next preview or export. */
void                bm_augment_panel_labels_saved   (BmAugmentPanel *self,
                                                     BmDataset      *dataset,
                                                     guint           index);
/* Label files of the folder were rewritten outside the window's saves (pre-annotation to the
 * end): forget the partner pool and every partner loaded. */
void                bm_augment_panel_labels_rewritten (BmAugmentPanel *self);
/* How many times the preview built the folder's partner pool (reading every label file of the
 * folder): once per folder, again only for a folder opened anew. For tests and benchmarks. */
guint               bm_augment_panel_get_n_pool_builds (BmAugmentPanel *self);
/* The shown sample's description (bm_augment_sample_describe), or "" before the first one. */
const char         *bm_augment_panel_get_description (BmAugmentPanel *self);

/* Writes @n samples of the current image to @out_dir (created when missing; existing files are
 * never replaced) in @format, with DIR/augment/<stem>_aug<k>.augment.txt sidecars: the files
 * `boxmark-cli augment --seed SEED -n N --to FORMAT IMAGE` writes for this image (sample 0 is
 * the preview). Runs in a worker thread. */
void                bm_augment_panel_export_async   (BmAugmentPanel        *self,
                                                     const char            *out_dir,
                                                     BmExportTarget  format,
                                                     guint                  n,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
/* The number of samples written, or 0 and @error. */
guint               bm_augment_panel_export_finish  (BmAugmentPanel        *self,
                                                     GAsyncResult          *result,
                                                     GError               **error);

G_END_DECLS
