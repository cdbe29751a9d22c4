/* bm-editor.h: every edit a labeler makes to one image's objects, each recorded for undo.
 *
 * The editor owns the image's BmHistory and a selection (a set of object indices with one
 * primary object, the one handles are shown on). Edits refuse to run on a read-only annotation.
 * Unless "allow-outside" is set, moves, resizes, rotations and pastes keep objects inside the
 * image (when its size is known); an object already outside is never pushed further out.
 * Editing a pre-annotation (a detection nobody has touched) clears its pre-annotation flag.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-annotation.h"
#include "bm-history.h"

G_BEGIN_DECLS

/* Keyboard rotation steps (z, x, c, v), in radians; positive is clockwise on screen. */
#define BM_EDITOR_ROTATE_CCW_LARGE  (-G_PI / 180.0)
#define BM_EDITOR_ROTATE_CCW_SMALL  (-G_PI / 1800.0)
#define BM_EDITOR_ROTATE_CW_SMALL   (G_PI / 1800.0)
#define BM_EDITOR_ROTATE_CW_LARGE   (G_PI / 180.0)
/* The rotation handle sits this many hit tolerances outside the middle of the top edge. */
#define BM_EDITOR_ROTATE_HANDLE_DISTANCE 4.0

typedef enum
{
  BM_HANDLE_NONE,
  BM_HANDLE_BODY,     /* inside or on the outline: moves the object */
  BM_HANDLE_CORNER,   /* index = corner/vertex 0..3: resizes a box, moves a quad's vertex */
  BM_HANDLE_EDGE,     /* index = edge from p[index] to p[index + 1]: resizes a box */
  BM_HANDLE_ROTATE,   /* rotates about the centre */
} BmHandleKind;

typedef struct
{
  int object;          /* index, -1 when nothing was hit */
  BmHandleKind kind;
  int index;
} BmHit;

#define BM_TYPE_EDITOR (bm_editor_get_type ())
G_DECLARE_FINAL_TYPE (BmEditor, bm_editor, BM, EDITOR, GObject)

/* Whether @object is shown (a view can hide boxes); hidden objects cannot be hit or selected. */
typedef gboolean (*BmEditorVisibleFunc) (BmObject *object, gpointer user_data);

BmEditor     *bm_editor_new                (BmAnnotation *annotation);
BmAnnotation *bm_editor_get_annotation     (BmEditor *self);
BmHistory    *bm_editor_get_history        (BmEditor *self);
gboolean      bm_editor_get_allow_outside  (BmEditor *self);
void          bm_editor_set_allow_outside  (BmEditor *self, gboolean allow_outside);
/* FALSE for a read-only annotation. */
gboolean      bm_editor_can_edit           (BmEditor *self);

/* Selection ---------------------------------------------------------------------------------- */
/* Selects only @index (-1 selects nothing). */
void          bm_editor_select             (BmEditor *self, int index);
/* Adds @index to the selection or removes it (Ctrl+click). */
void          bm_editor_toggle_selected    (BmEditor *self, guint index);
void          bm_editor_select_all         (BmEditor *self);
gboolean      bm_editor_is_selected        (BmEditor *self, guint index);
guint         bm_editor_get_n_selected     (BmEditor *self);
/* The selected indices in increasing order; valid until the selection changes. */
const guint  *bm_editor_get_selection      (BmEditor *self, guint *n_selected);
/* The object whose handles are shown, -1 for none. */
int           bm_editor_get_primary        (BmEditor *self);

/* Edits (each one undoable; FALSE when nothing changed) -------------------------------------- */
/* Appends a copy-free reference to @object (clamped into the image) and selects it; returns
 * its index, or -1 when the annotation is read-only. */
int           bm_editor_add_object         (BmEditor *self, BmObject *object);
/* Adds every object of @objects (references, clamped into the image) as one undo step and
 * selects them; returns how many were added (0 when read-only or @objects is empty). */
guint         bm_editor_add_objects        (BmEditor *self, GPtrArray *objects);
gboolean      bm_editor_delete_selected    (BmEditor *self);
/* Copies of the selected objects, shifted by (@offset, @offset) and kept inside the image;
 * the copies become the selection. */
gboolean      bm_editor_duplicate_selected (BmEditor *self, double offset);
/* Moves the selected objects together by (@dx, @dy), limited so they stay inside the image.
 * Also what the arrow keys do (1 px, 10 px with Shift). */
gboolean      bm_editor_move_selected      (BmEditor *self, double dx, double dy);
/* Rotates each selected object about its own centre; a box becomes a rotated box. Refused
 * when a result would leave the image. */
gboolean      bm_editor_rotate_selected    (BmEditor *self, double angle);
/* Drags handle (@kind, @handle_index) of object @index to image point (@x, @y): a box or a
 * rotated box keeps its angle and is resized in its own frame, the opposite corner or edge
 * staying put; a quad's corner is moved on its own. */
gboolean      bm_editor_resize             (BmEditor *self, guint index, BmHandleKind kind, int handle_index,
                                            double x, double y);
gboolean      bm_editor_move_vertex        (BmEditor *self, guint index, guint vertex, double x, double y);
gboolean      bm_editor_set_label_selected (BmEditor *self, const char *label);
gboolean      bm_editor_set_difficult_selected (BmEditor *self, int difficult);
gboolean      bm_editor_set_truncated_selected (BmEditor *self, gboolean truncated);
gboolean      bm_editor_set_occluded_selected  (BmEditor *self, gboolean occluded);
/* Marks selected pre-annotations as accepted (clears the flag) without other changes. */
gboolean      bm_editor_accept_selected    (BmEditor *self);
/* Accepts every pre-annotation of the image, in one undo step. */
gboolean      bm_editor_accept_all         (BmEditor *self);
/* Deletes the pre-annotations (not accepted yet) scoring below @threshold, in one undo step;
 * returns how many. */
guint         bm_editor_delete_pre_annotations_below (BmEditor *self, double threshold);

/* Edited and drawn coordinates are rounded to multiples of @precision: 1 (the default) for
 * whole pixels, 0.01 for two decimals, 0 for no rounding. Values an edit does not change keep
 * what they were (bm_shape_snap). */
double        bm_editor_get_precision      (BmEditor *self);
void          bm_editor_set_precision      (BmEditor *self, double precision);
/* Hidden objects (@func returns FALSE) are not hit, picked or selected by select-all. NULL: all
 * are shown. @user_data must outlive the editor or be unset first. */
void          bm_editor_set_visible_func   (BmEditor *self, BmEditorVisibleFunc func, gpointer user_data);

/* Copy and paste: the clipboard is a GPtrArray of BmObject copies owned by the caller, so it
 * can be pasted onto another image's editor. */
GPtrArray    *bm_editor_copy_selected      (BmEditor *self);
/* Adds copies of @objects (new objects for the label file), kept inside the image; when a copy
 * would land exactly on an equal object it is shifted by @offset. The copies become the
 * selection. Returns how many were added. */
guint         bm_editor_paste              (BmEditor *self, GPtrArray *objects, double offset);
/* Adds copies of every object of @previous (another image) that this image does not already
 * have with the same label and shape. Returns how many were added. */
guint         bm_editor_copy_all_from      (BmEditor *self, BmAnnotation *previous);

gboolean      bm_editor_undo               (BmEditor *self);
gboolean      bm_editor_redo               (BmEditor *self);

/* Dragging with the pointer: one undo step per drag, recorded on the first real change.
 * Begin with a hit from bm_editor_hit_test (BODY, CORNER, EDGE or ROTATE). Updates are
 * computed from the state at the start, so a long drag does not accumulate rounding. */
gboolean      bm_editor_begin_drag         (BmEditor *self, const BmHit *hit, double x, double y);
void          bm_editor_update_drag        (BmEditor *self, double x, double y);
void          bm_editor_end_drag           (BmEditor *self);
/* Puts the objects back as they were when the drag began. */
void          bm_editor_cancel_drag        (BmEditor *self);
gboolean      bm_editor_is_dragging        (BmEditor *self);

/* Hit testing, in image coordinates; @tolerance is in image pixels (a few screen pixels divided
 * by the zoom). Handles of the primary object win over bodies. Returns TRUE when something
 * was hit. */
gboolean      bm_editor_hit_test           (BmEditor *self, double x, double y, double tolerance, BmHit *hit);
/* The object under (@x, @y), smallest first. Asked again at the same point (a repeated
 * click), it returns the next object stacked there, cycling; -1 when none. */
int           bm_editor_object_at          (BmEditor *self, double x, double y, double tolerance);
/* The object stacked under (@x, @y) after object @after in bm_editor_object_at's order
 * (smallest first), cycling; the first when @after is not there; -1 when none. @step 1 or -1. */
int           bm_editor_next_object_at     (BmEditor *self, double x, double y, double tolerance,
                                            int after, int step);
/* Where the rotation handle of object @index is drawn (for boxes and rotated boxes). */
gboolean      bm_editor_get_rotate_handle  (BmEditor *self, guint index, double tolerance, BmPoint *handle, BmPoint *anchor);

G_END_DECLS
