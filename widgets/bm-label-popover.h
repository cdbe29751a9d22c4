/* bm-label-popover.h: choose a label from the keyboard.
 *
 * A search entry over the class catalog, listing every class with the last one highlighted
 * (bm_label_popover_present); typing filters (equal first, then names that start
 * with the text, then names that contain it, each in catalog order); Up/Down move the choice;
 * Enter picks the highlighted class, or creates the typed label when nothing matches;
 * Shift+Enter always takes the typed text as it is; Escape cancels.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dataset/bm-class-catalog.h"

G_BEGIN_DECLS

#define BM_TYPE_LABEL_POPOVER (bm_label_popover_get_type ())
G_DECLARE_FINAL_TYPE (BmLabelPopover, bm_label_popover, BM, LABEL_POPOVER, GtkPopover)

GtkWidget      *bm_label_popover_new          (void);

void            bm_label_popover_set_catalog  (BmLabelPopover *self,
                                               BmClassCatalog *catalog);
BmClassCatalog *bm_label_popover_get_catalog  (BmLabelPopover *self);

/* Shows every class, in catalog order, with @label highlighted (the last label given, or the
 * object's): Enter takes it, a click takes any other, typing filters. */
void            bm_label_popover_present      (BmLabelPopover *self,
                                               const char     *label);
/* The search text (for instance the current label, selected so typing replaces it). */
void            bm_label_popover_set_text     (BmLabelPopover *self,
                                               const char     *text);
const char     *bm_label_popover_get_text     (BmLabelPopover *self);

/* The classes shown for the current text, in the order shown. */
guint           bm_label_popover_get_n_matches (BmLabelPopover *self);
const char     *bm_label_popover_get_match    (BmLabelPopover *self,
                                               guint           position);
/* The highlighted class, or NULL. */
const char     *bm_label_popover_get_selected (BmLabelPopover *self);
/* Moves the highlight by @delta rows (Up/Down). */
void            bm_label_popover_move_selection (BmLabelPopover *self,
                                               int             delta);

/* What Enter does (@exact: what Shift+Enter does). Emits "label-chosen" and closes; returns
 * FALSE (and keeps the popover open) when there is nothing to choose. */
gboolean        bm_label_popover_choose       (BmLabelPopover *self,
                                               gboolean        exact);
/* What Escape does: emits "cancelled" and closes. */
void            bm_label_popover_cancel       (BmLabelPopover *self);

G_END_DECLS
