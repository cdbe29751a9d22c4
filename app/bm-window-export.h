/* bm-window-export.h: "Export as Pascal VOC / DOTA / YOLO / YOLO OBB…" for BmWindow.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dataset/bm-export-target.h"
#include "bm-window.h"

G_BEGIN_DECLS

/* Saves the image on screen when it has changes, then exports the whole dataset to @out_dir
 * (NULL: ask for a folder) in the background with bm_dataset_export — exactly what
 * `boxmark-cli convert --to FORMAT` writes (for YOLO with `--classes` the folder's class file) —
 * and tells what happened in a dialog. */
void       bm_window_export            (BmWindow       *self,
                                        BmExportTarget  target,
                                        const char     *out_dir);
/* TRUE while an export runs. */
gboolean   bm_window_is_exporting      (BmWindow       *self);
/* The dialog that told the outcome of the last export, while it is open (for tests). */
GtkWindow *bm_window_get_export_dialog (BmWindow       *self);

G_END_DECLS
