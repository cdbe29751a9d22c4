/* bm-window.h: the main window: file list, canvas and object panel for one folder.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"
#include "dataset/bm-session.h"
#include "widgets/bm-canvas.h"
#include "widgets/bm-edit-controller.h"
#include "bm-preannotate-popover.h"
#include "widgets/bm-file-list.h"
#include "widgets/bm-object-panel.h"

G_BEGIN_DECLS

#define BM_TYPE_WINDOW (bm_window_get_type ())
G_DECLARE_FINAL_TYPE (BmWindow, bm_window, BM, WINDOW, GtkApplicationWindow)

BmWindow      *bm_window_new               (GtkApplication *application);

/* Opens a folder, or the folder of an image and then that image, in the background. */
void           bm_window_open_path         (BmWindow       *self,
                                            const char     *path);
/* Compares the folder's labels with the predictions at @path (a results file or folder), in
 * the background; given before a folder is open, once it is. */
void           bm_window_compare_predictions (BmWindow     *self,
                                              const char   *path);
/* TRUE while a folder is being opened, an image decoded, a review jump searched, a detector run
 * or an export written. */
gboolean       bm_window_is_busy           (BmWindow       *self);

/* The folder, the image on screen and its labels, dirty, the save policy, the running jobs. */
BmSession     *bm_window_get_session       (BmWindow       *self);
BmDataset     *bm_window_get_dataset       (BmWindow       *self);
/* Index of the dataset item on screen, -1 for none. */
int            bm_window_get_current_index (BmWindow       *self);
BmAnnotation  *bm_window_get_annotation    (BmWindow       *self);
/* The text of the banner above the canvas, NULL when it is hidden. */
const char    *bm_window_get_banner_text   (BmWindow       *self);
/* The text of the status bar under the canvas (image size, objects, what the window is doing). */
const char    *bm_window_get_status_text   (BmWindow       *self);
gboolean       bm_window_get_dirty         (BmWindow       *self);

BmCanvas      *bm_window_get_canvas        (BmWindow       *self);
BmFileList    *bm_window_get_file_list     (BmWindow       *self);
BmObjectPanel *bm_window_get_object_panel  (BmWindow       *self);
/* Drawing and editing on the canvas (the win.draw-box … actions). */
BmEditController *bm_window_get_edit_controller (BmWindow *self);
/* What the last class change (win.rename-class, win.delete-class) did, or NULL. */
const char    *bm_window_get_relabel_message (BmWindow *self);
/* Which objects the canvas shows (Ctrl+H, the classes panel, the pre-annotation threshold). */
BmVisibility  *bm_window_get_visibility    (BmWindow       *self);
/* The pre-annotation settings used by win.preannotate (I) and win.preannotate-all (Ctrl+B). */
BmPreannotatePopover *bm_window_get_preannotate_popover (BmWindow *self);
/* The dataset overview (a BmDatasetOverview), NULL until Ctrl+Shift+O first opens it. */
GtkWidget     *bm_window_get_overview      (BmWindow       *self);

/* The comparison with predictions shown (NULL: none) and its panel (NULL until first used). */
struct _BmPredReview *bm_window_get_review (BmWindow *self);
struct _BmPredictionPanel *bm_window_get_prediction_panel (BmWindow *self);

G_END_DECLS
