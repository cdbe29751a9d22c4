/* bm-window-export.h: "Export as YOLO…" for BmWindow (the dataset as Ultralytics trains on it).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "formats/bm-yolo.h"
#include "bm-window.h"

G_BEGIN_DECLS

/* Saves the image on screen when it has changes, then exports the whole dataset to @out_dir
 * (NULL: ask for a folder) in the background, exactly as `boxmark-cli convert --to yolo|yolo-obb
 * --classes CLASS_FILE` would, and tells what happened in a dialog. */
void     bm_window_export_yolo            (BmWindow   *self,
                                           BmYoloTask  task,
                                           const char *out_dir);
/* TRUE while an export runs. */
gboolean bm_window_is_exporting           (BmWindow   *self);
/* The dialog that told the outcome of the last export, while it is open (for tests). */
GtkWindow *bm_window_get_export_dialog    (BmWindow   *self);

G_END_DECLS
