/* bm-history.h: unlimited undo and redo of edits to one image's annotation.
 *
 * Each edit records one step just before it changes anything, saying what it will touch: the
 * objects it changes in place, where the objects it inserts will be, or which it removes. A step
 * keeps copies of the changed objects only (the removed ones themselves), so its memory and the
 * time to undo or redo it grow with the edit, not with the number of objects on the image.
 * Undo puts back exactly what was there before, verified flag included: the same content,
 * origin and attributes, so a save after an undo writes the bytes it wrote before the edit.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-annotation.h"

G_BEGIN_DECLS

#define BM_TYPE_HISTORY (bm_history_get_type ())
G_DECLARE_FINAL_TYPE (BmHistory, bm_history, BM, HISTORY, GObject)

BmHistory    *bm_history_new          (BmAnnotation *annotation);
BmAnnotation *bm_history_get_annotation (BmHistory *self);

/* Each of these remembers the current state as the one to go back to and clears the redo list.
 * Indices are increasing. The edit must then do exactly what it recorded.
 *
 * The edit changes the objects at @indices in place (shape, label, flags...). */
void          bm_history_record_changes    (BmHistory *self, const guint *indices, guint n);
/* The edit inserts @n objects, which will be at @indices (positions after the edit). */
void          bm_history_record_insertions (BmHistory *self, const guint *indices, guint n);
/* The edit removes the objects at @indices. */
void          bm_history_record_removals   (BmHistory *self, const guint *indices, guint n);
/* The edit may change anything: the step keeps a copy of every object. Only for edits that
 * cannot say what they touch; the calls above are what keep undo fast on large images. */
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

/* What the undo and redo lists hold, for tests and benchmarks: steps, objects kept (copies of
 * changed objects, removed objects) and positions. Any may be NULL. */
void          bm_history_get_footprint (BmHistory *self, guint *n_steps, guint *n_objects, guint *n_positions);

G_END_DECLS
