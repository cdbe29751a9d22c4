/* bm-window-private.h: what the files of BmWindow share (gnome-text-editor's layout):
 *
 *   bm-window.c            the GObject: template, properties, close-request, public getters
 *   bm-window-actions.c    every action and accelerator in one table; enabled states
 *   bm-window-status.c     title, banner, status bar, spinner
 *   bm-window-folder.c     opening a folder, recent folders, classes, showing an image
 *   bm-window-save.c       the save policy's dialogs (save-or-ask, a save that failed)
 *   bm-window-search.c     stepping and the review searches (next unverified, next problem)
 *   bm-window-preannotate.c  I and Ctrl+B
 *   bm-window-augment.c    the augmentation preview window
 *   bm-window-export.c     Export as YOLO
 *   bm-window-classes.c    the class manager (rename, merge, delete a class in the folder)
 *   bm-window-split.c      Export a split of the folder (DOTA tiles)
 *
 * The folder, the image on screen, its labels, dirty, the save policy and the running jobs are
 * the BmSession's (dataset/, GTK-free); the window shows them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dataset/bm-class-catalog.h"
#include "dataset/bm-pred-review.h"
#include "dataset/bm-review-search.h"
#include "dataset/bm-session.h"
#include "widgets/bm-augment-panel.h"
#include "widgets/bm-file-list-model.h"
#include "widgets/bm-image-cache.h"
#include "widgets/bm-prediction-panel.h"
#include "widgets/bm-visibility.h"
#include "bm-window.h"

G_BEGIN_DECLS

typedef struct _BmWindowSplit BmWindowSplit;

struct _BmWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkToggleButton *verified_button;
  GtkLabel        *verified_label;
  GtkRevealer     *banner_revealer;
  GtkWidget       *banner;
  GtkLabel        *banner_label;
  GtkPaned        *outer_paned;
  GtkPaned        *inner_paned;
  BmFileList      *file_list;
  BmCanvas        *canvas;
  GtkSpinner      *spinner;
  BmObjectPanel   *object_panel;
  GtkLabel        *status_label;
  GtkLabel        *zoom_label;
  GtkLabel        *pointer_label;
  GMenu           *recent_menu;
  GtkMenuButton   *preannotate_button;
  GtkRevealer     *batch_revealer;
  GtkProgressBar  *batch_progress;
  GtkButton       *batch_button;

  /* Owned references */
  BmSession       *session;             /* folder, image on screen, labels, dirty, jobs */
  GSettings       *settings;
  BmImageCache    *cache;
  BmFileListModel *model;
  BmEditController *edit;               /* drawing and editing on the canvas */
  BmClassCatalog  *catalog;
  BmVisibility    *visibility;          /* hidden boxes: all (Ctrl+H), per class, weak pre-annotations */
  char            *relabel_message;     /* what the last class change did */
  GtkWindow       *augment_window;      /* Ctrl+G, made on first use; its panel is augment_panel */
  BmAugmentPanel  *augment_panel;
  GtkWindow       *overview_window;     /* Ctrl+Shift+O, made on first use */
  GtkWidget       *overview;            /* its BmDatasetOverview */
  GtkNativeDialog *chooser;
  GtkWindow       *export_dialog;       /* the outcome of the last export, while it is open */
  BmWindowSplit   *split;               /* the split's progress bar and state (bm-window-split.c) */
  char            *select_after_open;   /* image path given instead of a folder */
  BmTileImage     *first_image;         /* shown while its folder was still being read, */
  char            *first_path;          /* so that showing it for real does not decode it again */
  char            *open_error;
  char            *size_warning;
  char            *edit_error;          /* the last labelling operation that failed */
  char            *class_error;         /* the folder's class list could not be read */
  BmPreannotatePopover *preannotate_popover;
  const char      *search_message;      /* shown in the status bar while looking, or after */
  guint            search_message_source;
  BmPreannotateSummary *batch_summary;
  guint            batch_source;

  /* Compare with predictions (bm-window-review.c) */
  BmPredReview    *review;
  BmPredictionPanel *prediction_panel;  /* under the object panel, made on first use */
  GCancellable    *review_cancellable;
  GCancellable    *threshold_cancellable;
  char            *review_path;         /* predictions given before the folder was open */
  int              review_select;       /* select the first (1) or last (-1) conflict of the next image */
  gboolean         review_loading;

  int              pending;             /* the item whose image is being decoded, -1 for none */
  guint            spinner_source;
  guint            show_file_list : 1;
  guint            show_side_panel : 1;
};

/* bm-window.c */
void         _bm_window_notify_verified       (BmWindow *self);
void         _bm_window_notify_current_index  (BmWindow *self);

/* bm-window-actions.c */
void         _bm_window_class_actions_init    (GtkWidgetClass *widget_class);
void         _bm_window_actions_init          (BmWindow *self);
void         _bm_window_update_actions        (BmWindow *self);

/* bm-window-status.c */
const char  *_bm_window_current_name          (BmWindow *self);
const char  *_bm_window_current_image_path    (BmWindow *self);
void         _bm_window_update_title          (BmWindow *self);
void         _bm_window_update_banner         (BmWindow *self);
void         _bm_window_update_status         (BmWindow *self);
void         _bm_window_update_everything     (BmWindow *self);
void         _bm_window_start_spinner         (BmWindow *self);
void         _bm_window_stop_spinner          (BmWindow *self);
void         _bm_window_show_error            (BmWindow *self, const char *message);

/* bm-window-folder.c */
void         _bm_window_folder_init           (BmWindow *self);
void         _bm_window_go_to                 (BmWindow *self, int index);
void         _bm_window_reload                (BmWindow *self);
void         _bm_window_clear_folder          (BmWindow *self);
void         _bm_window_update_folder_counts  (BmWindow *self);
void         _bm_window_set_pending           (BmWindow *self, int index);
void         _bm_window_focus_canvas_if_idle  (BmWindow *self);

/* bm-window-save.c */
gboolean     _bm_window_save                  (BmWindow *self);
gboolean     _bm_window_save_if_dirty         (BmWindow *self);
/* Applies the save policy before the window leaves the image on screen: TRUE to go on now;
 * FALSE when it asked (it then goes to @then, or closes for BM_WINDOW_CLOSE_AFTER_ASKING, once
 * answered) or when the save failed. */
gboolean     _bm_window_leave                 (BmWindow *self, int then);
#define BM_WINDOW_CLOSE_AFTER_ASKING (-2)
void         _bm_window_set_verified          (BmWindow *self, gboolean verified);
/* The close request's part: FALSE when the window must stay open for now. */
gboolean     _bm_window_may_close             (BmWindow *self);
void         _bm_window_session_saved_cb      (BmWindow *self, guint index, BmAnnotation *annotation, BmSession *session);

/* bm-window-search.c */
void         _bm_window_step                  (BmWindow *self, int direction);
void         _bm_window_first_or_last         (BmWindow *self, int direction);
void         _bm_window_search                (BmWindow *self, BmReviewSearch search);
void         _bm_window_stop_search           (BmWindow *self);

/* bm-window-preannotate.c */
void         _bm_window_preannotate           (BmWindow *self);
void         _bm_window_preannotate_all       (BmWindow *self);
void         _bm_window_preannotate_cancel    (BmWindow *self);
void         _bm_window_preannotate_dispose   (BmWindow *self);

/* bm-window-classes.c */
void         _bm_window_manage_class          (BmWindow *self, const char *name);
void         _bm_window_rename_class          (BmWindow *self, const char *old_name, const char *new_name);
void         _bm_window_delete_class          (BmWindow *self, const char *name);

/* bm-window-augment.c */
void         _bm_window_toggle_augment_preview (BmWindow *self);
void         _bm_window_update_augment_source (BmWindow *self);
void         _bm_window_augment_dispose       (BmWindow *self);

/* bm-window-review.c */
void         _bm_window_review_init           (BmWindow *self);
void         _bm_window_review_dispose        (BmWindow *self);
void         _bm_window_review_folder_changed (BmWindow *self);
gboolean     _bm_window_review_is_loading     (BmWindow *self);
void         _bm_window_compare_predictions   (BmWindow *self, const char *path);
void         _bm_window_choose_predictions    (BmWindow *self);
void         _bm_window_close_predictions     (BmWindow *self);
void         _bm_window_next_conflict         (BmWindow *self, int direction);
void         _bm_window_accept_prediction     (BmWindow *self);
void         _bm_window_dismiss_prediction    (BmWindow *self);
/* bm-window-overview.c */
void         _bm_window_toggle_overview       (BmWindow *self);
void         _bm_window_overview_dispose      (BmWindow *self);

/* bm-window-split.c: the Cancel of its progress bar; the window going away (the split goes on) */
void         _bm_window_split_cancel          (BmWindow *self);
void         _bm_window_split_dispose         (BmWindow *self);

G_END_DECLS
