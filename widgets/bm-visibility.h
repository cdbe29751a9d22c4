/* bm-visibility.h: which objects the canvas shows — all of them or none (Ctrl+H, as in
 * labelImg), the classes hidden in the classes panel, and pre-annotations scoring below a
 * threshold. Hidden objects are neither drawn nor hit; label text is shown or hidden apart from
 * this (show-labels).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "core/bm-object.h"

G_BEGIN_DECLS

#define BM_TYPE_VISIBILITY (bm_visibility_get_type ())
G_DECLARE_FINAL_TYPE (BmVisibility, bm_visibility, BM, VISIBILITY, GObject)

BmVisibility *bm_visibility_new               (void);

/* FALSE hides every object (Ctrl+H). */
gboolean      bm_visibility_get_show_objects  (BmVisibility *self);
void          bm_visibility_set_show_objects  (BmVisibility *self,
                                               gboolean      show_objects);
/* Pre-annotations (not accepted yet) scoring below this are hidden; 0 hides none. */
double        bm_visibility_get_min_score     (BmVisibility *self);
void          bm_visibility_set_min_score     (BmVisibility *self,
                                               double        min_score);
gboolean      bm_visibility_get_class_shown   (BmVisibility *self,
                                               const char   *label);
void          bm_visibility_set_class_shown   (BmVisibility *self,
                                               const char   *label,
                                               gboolean      shown);
/* Shows every class again. */
void          bm_visibility_show_all_classes  (BmVisibility *self);
guint         bm_visibility_get_n_hidden_classes (BmVisibility *self);

gboolean      bm_visibility_shows             (BmVisibility *self,
                                               BmObject     *object);
/* bm_visibility_shows as a BmEditorVisibleFunc (@user_data: the BmVisibility). */
gboolean      bm_visibility_editor_func       (BmObject     *object,
                                               gpointer      user_data);

G_END_DECLS
