/* bm-preannotate-popover.h: the pre-annotation settings (cascade, detector parameters, label,
 * IoU threshold) and the buttons that run it on this image or on the rest of the list.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "dataset/bm-preannotate-run.h"

G_BEGIN_DECLS

#define BM_TYPE_PREANNOTATE_POPOVER (bm_preannotate_popover_get_type ())
G_DECLARE_FINAL_TYPE (BmPreannotatePopover, bm_preannotate_popover, BM, PREANNOTATE_POPOVER, GtkPopover)

GtkWidget          *bm_preannotate_popover_new               (void);
/* The current settings; the label defaults to the cascade's name. */
BmPreannotateSetup *bm_preannotate_popover_get_setup         (BmPreannotatePopover *self);
void                bm_preannotate_popover_set_min_neighbors (BmPreannotatePopover *self, int min_neighbors);
void                bm_preannotate_popover_set_iou           (BmPreannotatePopover *self, double iou);

G_END_DECLS
