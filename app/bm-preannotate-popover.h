/* bm-preannotate-popover.h: the pre-annotation settings — a cascade (detector parameters, label)
 * or the user's YOLO model (ONNX file, score threshold, NMS IoU, its classes mapped to the
 * folder's labels), the overlap that skips a detection — and the buttons that run it on this
 * image or on the rest of the list.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "dataset/bm-class-catalog.h"
#include "dataset/bm-preannotate-run.h"
#include "dataset/bm-session.h"

G_BEGIN_DECLS

#define BM_TYPE_PREANNOTATE_POPOVER (bm_preannotate_popover_get_type ())
G_DECLARE_FINAL_TYPE (BmPreannotatePopover, bm_preannotate_popover, BM, PREANNOTATE_POPOVER, GtkPopover)

GtkWidget          *bm_preannotate_popover_new               (void);
/* The window's session (its folder decides which model and class map are remembered) and class
 * catalog (the labels model classes are mapped to by name). */
void                bm_preannotate_popover_set_context       (BmPreannotatePopover *self, BmSession *session,
                                                              BmClassCatalog *catalog);
/* The current settings; the cascade's label defaults to its name. NULL with @error when the
 * model page is chosen and no model is loaded. Remembers the model and its class map for the
 * folder. */
BmPreannotateSetup *bm_preannotate_popover_get_setup         (BmPreannotatePopover *self, GError **error);
void                bm_preannotate_popover_set_min_neighbors (BmPreannotatePopover *self, int min_neighbors);
void                bm_preannotate_popover_set_iou           (BmPreannotatePopover *self, double iou);

/* Loads @path as the model on a worker thread and shows the model page (also what choosing a
 * file does). */
void                bm_preannotate_popover_set_model_file    (BmPreannotatePopover *self, const char *path);
gboolean            bm_preannotate_popover_is_loading        (BmPreannotatePopover *self);
/* The loaded model, or NULL. */
BmOnnxModel        *bm_preannotate_popover_get_model         (BmPreannotatePopover *self);
/* The label model class @class_id gets ("" when skipped), as in its entry. */
const char         *bm_preannotate_popover_get_class_label   (BmPreannotatePopover *self, guint class_id);
void                bm_preannotate_popover_set_class_label   (BmPreannotatePopover *self, guint class_id,
                                                              const char *label);
/* "cascade" or "model". */
void                bm_preannotate_popover_set_mode          (BmPreannotatePopover *self, const char *mode);

G_END_DECLS
