/* bm-history.h: unlimited undo and redo of edits to one image's annotation.
 *
 * Call bm_history_record() just before each edit; undo puts the objects and the verified flag
 * back as they were. Snapshots are deep copies, so any edit — move, relabel, delete, paste,
 * pre-annotation — is undone the same way.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-annotation.h"

G_BEGIN_DECLS

#define BM_TYPE_HISTORY (bm_history_get_type ())
G_DECLARE_FINAL_TYPE (BmHistory, bm_history, BM, HISTORY, GObject)

BmHistory    *bm_history_new          (BmAnnotation *annotation);
BmAnnotation *bm_history_get_annotation (BmHistory *self);

/* Remembers the current state as the one to go back to; clears the redo list. */
void          bm_history_record       (BmHistory *self);
gboolean      bm_history_can_undo     (BmHistory *self);
gboolean      bm_history_can_redo     (BmHistory *self);
gboolean      bm_history_undo         (BmHistory *self);
gboolean      bm_history_redo         (BmHistory *self);
guint         bm_history_get_n_undo   (BmHistory *self);

/* The annotation was just saved (or loaded): it is clean until the next edit, and undoing back
 * to this point makes it clean again. */
void          bm_history_mark_saved   (BmHistory *self);
/* The annotation differs from its file in a way that is not an undo step (the verified flag,
 * which is saved at once) or a save failed: dirty until the next bm_history_mark_saved, also
 * when undo goes back to the state last saved. */
void          bm_history_mark_unsaved (BmHistory *self);
gboolean      bm_history_is_dirty     (BmHistory *self);

G_END_DECLS
