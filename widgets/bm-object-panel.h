/* bm-object-panel.h: the objects of the current image and the count of each class.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "core/bm-annotation.h"
#include "bm-visibility.h"

G_BEGIN_DECLS

#define BM_TYPE_OBJECT_PANEL (bm_object_panel_get_type ())
G_DECLARE_FINAL_TYPE (BmObjectPanel, bm_object_panel, BM, OBJECT_PANEL, GtkWidget)

GtkWidget    *bm_object_panel_new            (void);
BmAnnotation *bm_object_panel_get_annotation (BmObjectPanel *self);
void          bm_object_panel_set_annotation (BmObjectPanel *self,
                                              BmAnnotation  *annotation);
int           bm_object_panel_get_selected   (BmObjectPanel *self);
void          bm_object_panel_set_selected   (BmObjectPanel *self,
                                              int            index);
/* How many images of the folder have each label (label → count), shown beside the classes;
 * NULL while unknown. */
void          bm_object_panel_set_folder_counts (BmObjectPanel *self,
                                                 GHashTable    *counts);
/* The line under an object's label: shape, flags, pre-annotation and score ("4", "0.87"). */
char         *bm_object_panel_format_details (BmObject      *object);
/* Rows in the class list (distinct labels, and hidden classes the image lacks). */
guint         bm_object_panel_get_n_classes  (BmObjectPanel *self);
/* Each class row gets a toggle showing or hiding the class on the canvas (kept in
 * @visibility), and a button that activates "win.manage-class" with its label (rename, merge or
 * delete it in the whole folder). Hidden classes stay listed so they can be shown again. */
void          bm_object_panel_set_visibility (BmObjectPanel *self,
                                              BmVisibility  *visibility);

G_END_DECLS
