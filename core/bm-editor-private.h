/* bm-editor-private.h: what the files of BmEditor share:
 *
 *   bm-editor.c           the object, the selection, every edit (each one undo step)
 *   bm-editor-geometry.c  keeping shapes inside the image, resizing in an object's own frame
 *   bm-editor-drag.c      dragging with the pointer and hit testing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>

#include "bm-editor.h"

G_BEGIN_DECLS

/* Smallest width or height a resize leaves, in image pixels. */
#define MIN_SIZE 1.0
/* How much of the image edge counts as inside, for values that went through trigonometry. */
#define INSIDE_EPSILON 1e-6

struct _BmEditor
{
  GObject parent_instance;

  BmAnnotation *annotation;
  BmHistory *history;
  GArray *selection;        /* guint, increasing */
  int primary;
  gboolean allow_outside;
  double precision;         /* edited coordinates are rounded to this step; 0: not rounded */
  BmEditorVisibleFunc visible_func;
  gpointer visible_data;

  /* The drag in progress */
  gboolean dragging;
  gboolean drag_recorded;
  BmHit drag_hit;
  double drag_x, drag_y;
  GArray *drag_indices;     /* guint */
  GArray *drag_shapes;      /* BmShape, the shapes when the drag began */

  /* The last pick, to cycle through stacked objects */
  gboolean has_last_pick;
  double last_pick_x, last_pick_y;
  int last_pick;
};

static inline double
dot (BmPoint a, BmPoint b)
{
  return a.x * b.x + a.y * b.y;
}

static inline BmPoint
sub (BmPoint a, BmPoint b)
{
  return (BmPoint) { a.x - b.x, a.y - b.y };
}

static inline BmPoint
unit_or (BmPoint v, BmPoint fallback)
{
  double length = hypot (v.x, v.y);

  if (length < 1e-12)
    return fallback;
  return (BmPoint) { v.x / length, v.y / length };
}

/* bm-editor.c */
BmObject *_bm_editor_object_at_index     (BmEditor *self, guint index);
/* Whether object @index is shown, so that it can be hit (see bm_editor_set_visible_func). */
gboolean  _bm_editor_is_visible          (BmEditor *self, guint index);
gboolean  _bm_editor_apply_shapes        (BmEditor *self, const guint *indices, const BmShape *shapes, guint n,
                                          gboolean record);
/* Rounds what moving, resizing or drawing changed to the editor's precision: the values that
 * differ from @before (NULL: from the objects' shapes now). Rotation is not rounded (a small turn
 * must not vanish). */
void      _bm_editor_snap_shapes         (BmEditor *self, const guint *indices, BmShape *shapes,
                                          const BmShape *before, guint n);
void      _bm_editor_translate_shapes    (BmEditor *self, const guint *indices, BmShape *shapes, guint n,
                                          double dx, double dy);

/* bm-editor-geometry.c */
/* Whether @after may replace @before: inside the image, or not further out than it was. */
gboolean  _bm_editor_acceptable          (BmEditor *self, const BmShape *before, const BmShape *after);
void      _bm_editor_limit_translation   (BmEditor *self, const BmRect *bounds, double *dx, double *dy);
void      _bm_editor_fit_inside          (BmEditor *self, BmShape *shape);
BmPoint   _bm_editor_handle_position     (const BmShape *shape, BmHandleKind kind, int index);
/* The resize of @before by its handle dragged to (@x, @y), as far as the image allows. */
void      _bm_editor_compute_resize      (BmEditor *self, const BmShape *before, BmHandleKind kind, int index,
                                          double x, double y, BmShape *after);

G_END_DECLS
