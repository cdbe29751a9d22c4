/* bm-window-split.h: "Export a Split of the Folder…" for BmWindow: the folder's images and
 * labels cut into tiles as DOTA_devkit's ImgSplit cuts them (the files `boxmark-cli split`
 * writes), with a progress bar and Cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-window.h"

G_BEGIN_DECLS

/* Saves the image on screen when it has changes, then splits the whole folder into @out_dir
 * (NULL or "": ask for a folder, tile size, overlap and scales) in the background, exactly as
 * `boxmark-cli split --size SIZE --gap GAP --rate R… --out OUT_DIR FOLDER` would (@rates: one
 * or more numbers separated by commas), and tells what happened in a dialog (see
 * bm_window_get_export_dialog). */
void     bm_window_export_split  (BmWindow   *self,
                                  const char *out_dir,
                                  int         size,
                                  int         gap,
                                  const char *rates);
/* TRUE while a split is being written. */
gboolean bm_window_is_splitting  (BmWindow   *self);
/* The progress bar of the split running (or just finished), NULL before the first (for tests). */
GtkProgressBar *bm_window_get_split_progress (BmWindow *self);

G_END_DECLS
