/* bm-augment-panel-private.h: what the files of BmAugmentPanel share — bm-augment-panel.c (the
 * source, the preview and its workers), bm-augment-panel-ops.c (the operation list and its
 * settings) and bm-augment-panel-export.c (Export…).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dataset/bm-augment-job.h"
#include "dataset/bm-augment-partners.h"
#include "bm-augment-panel.h"

G_BEGIN_DECLS

#define BM_AUGMENT_PANEL_N_PARAMS 13

struct _BmAugmentPanel
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkDropDown *profile_dropdown;
  GtkBox *ops_box;
  GtkDropDown *partner_dropdown;
  GtkDropDown *format_dropdown;
  GtkSpinButton *count_spin;
  GtkLabel *seed_label;
  GtkSpinner *spinner;
  GtkDropDown *mode_dropdown;
  BmAugmentPreview *preview;
  GtkLabel *status_label;
  GtkLabel *description_label;

  /* Built in init (bm-augment-panel-ops.c) */
  GtkCheckButton *op_checks[BM_AUGMENT_N_OPS];
  GtkWidget *op_params[BM_AUGMENT_N_OPS];       /* box of parameter rows, or NULL */
  GtkAdjustment *adjustments[BM_AUGMENT_PANEL_N_PARAMS];

  /* The source */
  BmImage *image;
  BmAnnotation *annotation;
  BmDataset *dataset;
  guint index;                    /* in @dataset, G_MAXUINT without one */
  char *image_path;               /* of @image when a load decoded it */
  guint source_serial;            /* bumped when the image or its labels change */
  guint original_serial;          /* source_serial of the original on screen */
  gpointer wanted_load;           /* the newest load_source request, until the load job takes it */

  /* What the preview draws from */
  guint64 seed;
  int partner;                    /* dataset index, -1 = by the seed */
  BmAugmentExportDraws draws;     /* each operation's parameters as shown, kept while others change */
  BmAugmentPartners *partners;    /* the folder's pool and decoded partners, lent to workers */

  /* Workers: the newest request wins (see bm-augment-job.h) */
  BmAugmentJob *preview_job;
  BmAugmentJob *detail_job;
  BmAugmentJob *load_job;
  guint shown_generation;         /* of the preview job, for the sample on screen */

  char *description;
  gboolean updating_partners;     /* the partner list is being refilled: not the user's choice */
};

/* bm-augment-panel.c */
void                    _bm_augment_panel_schedule_update (BmAugmentPanel *self);
const BmAugmentProfile *_bm_augment_panel_get_profile     (BmAugmentPanel *self);
/* The operations as the preview and the export parse them (never NULL). */
GArray                 *_bm_augment_panel_parse_ops       (BmAugmentPanel *self);

/* bm-augment-panel-ops.c */
void                    _bm_augment_panel_build_operations (BmAugmentPanel *self);
void                    _bm_augment_panel_dispose_operations (BmAugmentPanel *self);

/* bm-augment-panel-export.c */
void                    _bm_augment_panel_export_action   (GtkWidget      *widget,
                                                           const char     *action_name,
                                                           GVariant       *parameter);
void                    _bm_augment_panel_fill_formats    (BmAugmentPanel *self);

G_END_DECLS
