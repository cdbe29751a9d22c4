/* bm-session.h: the folder a window works on, without GTK — the image on screen, its labels
 * and their editor, when they are saved, and what runs in the background.
 *
 * A plain object (as Sysprof's zoom manager is): the window shows its properties and binds its
 * actions' enabled state to them; tests drive it without a display. Whether the labels have
 * unsaved changes is the editor's BmHistory's "dirty", never a copy of it: edits, undo, a save
 * that failed (bm_history_mark_unsaved) and a save all go through that one history.
 *
 * Its GActions (g_action_group_*): "save" (enabled: can-save), "toggle-verified" (state:
 * verified, enabled: can-edit), "auto-save" (state: auto-save), "discard-changes" (enabled:
 * dirty).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/bm-annotation.h"
#include "core/bm-dataset.h"
#include "core/bm-editor.h"

G_BEGIN_DECLS

/* Work a session runs in the background; while any runs, the session is busy. */
typedef enum
{
  BM_SESSION_JOB_OPEN,      /* a folder being opened */
  BM_SESSION_JOB_LOAD,      /* the image to show being decoded */
  BM_SESSION_JOB_SEARCH,    /* looking for the next unverified image or problem */
  BM_SESSION_JOB_DETECT,    /* pre-annotating the image on screen (I) */
  BM_SESSION_JOB_BATCH,     /* pre-annotating to the end of the list (Ctrl+B) */
  BM_SESSION_JOB_EXPORT,    /* writing an export */
  BM_SESSION_JOB_RELABEL,   /* renaming, merging or deleting a class in the whole folder */
  BM_SESSION_N_JOBS
} BmSessionJob;

/* What to do before leaving the image on screen (another image, another folder, closing). */
typedef enum
{
  BM_SESSION_LEAVE_OK,      /* nothing unsaved, or it was saved now: go on */
  BM_SESSION_LEAVE_ASK,     /* unsaved changes and auto-save is off: ask Save / Discard / Cancel */
  BM_SESSION_LEAVE_FAILED,  /* saving failed: stay (save-error says why) */
} BmSessionLeave;

#define BM_TYPE_SESSION (bm_session_get_type ())
G_DECLARE_FINAL_TYPE (BmSession, bm_session, BM, SESSION, GObject)

BmSession     *bm_session_new                (void);

/* The folder (NULL: none). Leaves the image on screen without saving: call
 * bm_session_prepare_leave first. */
void           bm_session_set_dataset        (BmSession      *self,
                                              BmDataset      *dataset);
BmDataset     *bm_session_get_dataset        (BmSession      *self);
gboolean       bm_session_get_has_items      (BmSession      *self);

/* Item @index of the dataset is now on screen with @annotation. @image_shown: its pixels are on
 * screen, so it can be edited (an editor with its history is made) and verified. @label_error:
 * the label file could not be read at all (then @annotation is an empty read-only stand-in).
 * Does not save what was on screen before: call bm_session_prepare_leave first. */
void           bm_session_set_item           (BmSession      *self,
                                              guint           index,
                                              BmAnnotation   *annotation,
                                              gboolean        image_shown,
                                              const char     *label_error);
/* Loads the labels of item @index for bm_session_set_item: the label file as it is on disk now
 * (also one written since the folder was opened), or, when it cannot be read, an empty
 * read-only annotation with @label_error set to why. Thread-safe. */
BmAnnotation  *bm_session_load_labels        (BmDataset      *dataset,
                                              guint           index,
                                              char          **label_error);
/* Nothing on screen. */
void           bm_session_clear_item         (BmSession      *self);

/* -1 for none. */
int            bm_session_get_current_index  (BmSession      *self);
BmAnnotation  *bm_session_get_annotation     (BmSession      *self);
/* The editor of the annotation on screen, NULL when it is not editable at all (no image). */
BmEditor      *bm_session_get_editor         (BmSession      *self);
const char    *bm_session_get_label_error    (BmSession      *self);
/* The labels on screen can be changed and saved: an image on screen, a label file that was
 * read without problems. */
gboolean       bm_session_get_can_edit       (BmSession      *self);
gboolean       bm_session_get_dirty          (BmSession      *self);
gboolean       bm_session_get_can_save       (BmSession      *self);
/* Why the last save failed, NULL after a save that worked or another image. */
const char    *bm_session_get_save_error     (BmSession      *self);

gboolean       bm_session_get_verified       (BmSession      *self);
/* Sets the verified flag of the labels on screen and saves them at once. FALSE when it cannot
 * be changed (see can-edit) or the save failed (see save-error). */
gboolean       bm_session_set_verified       (BmSession      *self,
                                              gboolean        verified);

/* Saves the labels on screen (atomically, losslessly: bm_label_save). On failure the changes
 * stay in memory, dirty, and save-error says why. */
gboolean       bm_session_save               (BmSession      *self);
/* bm_session_save when there are unsaved changes; TRUE when nothing is left unsaved. */
gboolean       bm_session_save_if_dirty      (BmSession      *self);
/* The save policy: with auto-save, saves what is unsaved; without, says to ask. */
BmSessionLeave bm_session_prepare_leave      (BmSession      *self);
/* The user chose to drop the unsaved changes (the file stays as it is). */
void           bm_session_discard_changes    (BmSession      *self);

gboolean       bm_session_get_auto_save      (BmSession      *self);
void           bm_session_set_auto_save      (BmSession      *self,
                                              gboolean        auto_save);

/* Jobs: begin cancels a job of the same kind still running and returns the new one's
 * cancellable (owned by the session, valid while the job runs). end forgets it without
 * cancelling (the work is done); cancel cancels and ends it. */
GCancellable  *bm_session_begin_job          (BmSession      *self,
                                              BmSessionJob    job);
void           bm_session_end_job            (BmSession      *self,
                                              BmSessionJob    job);
void           bm_session_cancel_job         (BmSession      *self,
                                              BmSessionJob    job);
gboolean       bm_session_is_running         (BmSession      *self,
                                              BmSessionJob    job);
/* The running job's cancellable, NULL when it does not run. */
GCancellable  *bm_session_get_job_cancellable (BmSession     *self,
                                              BmSessionJob    job);
gboolean       bm_session_get_busy           (BmSession      *self);

G_END_DECLS
