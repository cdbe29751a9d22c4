/* bm-prediction-panel.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <glib/gi18n.h>

#include "bm-prediction-painter.h"
#include "bm-prediction-panel.h"

struct _BmPredictionPanel
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *source_label;
  GtkLabel *map_label;
  GtkLabel *totals_label;
  GtkLabel *image_heading;
  GtkAdjustment *threshold_adjustment;
  GtkListBox *conflict_list;

  BmPredReview *review;
  gulong changed_id;
  int image;
  GArray *conflicts;       /* BmConflict of the rows, in order */
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (BmPredictionPanel, bm_prediction_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SCORE_THRESHOLD,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
kind_name (BmConflictKind kind)
{
  switch (kind)
    {
    case BM_CONFLICT_POSSIBLY_MISSING: return _("possibly missing");
    case BM_CONFLICT_UNMATCHED_LABEL: return _("unmatched label");
    case BM_CONFLICT_WRONG_CLASS: return _("wrong class");
    case BM_CONFLICT_LOOSE_BOX: return _("loose box");
    case BM_CONFLICT_DUPLICATE: return _("duplicate");
    case BM_CONFLICT_N_KINDS:
    default: return "";
    }
}

static char *
describe (BmPredictionPanel *self, const BmConflict *conflict)
{
  guint n;
  const BmEvalGtObject *objects = bm_eval_gt_get_objects (bm_pred_review_get_gt (self->review), &n);
  const char *label = conflict->object >= 0
                      ? bm_eval_gt_get_class (bm_pred_review_get_gt (self->review), objects[conflict->object].klass) : NULL;

  switch (conflict->kind)
    {
    case BM_CONFLICT_UNMATCHED_LABEL:
      return g_strdup_printf (_("“%s”: no prediction found it"), label);
    case BM_CONFLICT_WRONG_CLASS:
      return g_strdup_printf (_("“%s” %.2f on a “%s” label (IoU %.2f)"), conflict->pred_class, conflict->score, label, conflict->iou);
    case BM_CONFLICT_LOOSE_BOX:
      return g_strdup_printf (_("“%s” %.2f, IoU %.2f with its label"), conflict->pred_class, conflict->score, conflict->iou);
    case BM_CONFLICT_DUPLICATE:
      return g_strdup_printf (_("“%s” %.2f on a label matched already"), conflict->pred_class, conflict->score);
    case BM_CONFLICT_POSSIBLY_MISSING:
    case BM_CONFLICT_N_KINDS:
    default:
      return g_strdup_printf (_("“%s” %.2f where there is no label"), conflict->pred_class, conflict->score);
    }
}

static GtkWidget *
make_row (BmPredictionPanel *self, const BmConflict *conflict)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *kind = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);
  g_autofree char *description = describe (self, conflict);
  g_autofree char *markup = NULL;
  char colour_text[8];
  GdkRGBA colour;

  bm_prediction_painter_get_colour (conflict->kind, &colour);
  g_snprintf (colour_text, sizeof colour_text, "#%02x%02x%02x", (int) (colour.red * 255 + 0.5),
              (int) (colour.green * 255 + 0.5), (int) (colour.blue * 255 + 0.5));
  markup = g_markup_printf_escaped ("<span foreground=\"%s\">●</span> <b>%s</b>", colour_text, kind_name (conflict->kind));
  gtk_label_set_markup (GTK_LABEL (kind), markup);
  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_label_set_text (GTK_LABEL (text), description);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  /* not wrapped: a wrapping label in the side paned makes its height depend on the width */
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (text, description);
  gtk_widget_add_css_class (text, "dim-label");
  gtk_box_append (GTK_BOX (box), kind);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

static void
update_totals (BmPredictionPanel *self)
{
  g_autofree char *map = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *source = NULL;

  if (self->review == NULL)
    {
      gtk_label_set_text (self->source_label, "");
      gtk_label_set_text (self->map_label, "");
      gtk_label_set_text (self->totals_label, "");
      return;
    }
  {
    const char *path = bm_pred_review_get_predictions_path (self->review);
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *parent = g_path_get_basename (dir);
    g_autofree char *base = g_path_get_basename (path);

    source = g_build_filename (parent, base, NULL);
  }
  gtk_label_set_text (self->source_label, source);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), bm_pred_review_get_predictions_path (self->review));
  map = g_strdup_printf (_("%s mAP %.4f · COCO AP %.4f"),
                         bm_pred_review_get_metric (self->review) == BM_EVAL_DOTA_TASK1 ? "DOTA Task1" : "VOC07",
                         bm_pred_review_get_map (self->review), bm_pred_review_get_coco_ap (self->review));
  gtk_label_set_text (self->map_label, map);
  totals = g_strdup_printf (_("%u possibly missing · %u unmatched labels\n%u wrong class · %u loose · %u duplicates"),
                            bm_pred_review_count_all (self->review, BM_CONFLICT_POSSIBLY_MISSING),
                            bm_pred_review_count_all (self->review, BM_CONFLICT_UNMATCHED_LABEL),
                            bm_pred_review_count_all (self->review, BM_CONFLICT_WRONG_CLASS),
                            bm_pred_review_count_all (self->review, BM_CONFLICT_LOOSE_BOX),
                            bm_pred_review_count_all (self->review, BM_CONFLICT_DUPLICATE));
  gtk_label_set_text (self->totals_label, totals);
}

static void
fill_list (BmPredictionPanel *self)
{
  GtkWidget *child;
  g_autofree char *heading = NULL;
  int keep = -1;
  BmConflict selected;

  if (bm_prediction_panel_get_selected (self, &selected))
    keep = selected.pred >= 0 ? selected.pred : -2 - selected.object;
  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflict_list))) != NULL)
    gtk_list_box_remove (self->conflict_list, child);
  g_clear_pointer (&self->conflicts, g_array_unref);
  if (self->review != NULL && self->image >= 0)
    {
      self->conflicts = bm_pred_review_dup_conflicts (self->review, (guint) self->image);
      for (guint i = 0; i < self->conflicts->len; i++)
        {
          const BmConflict *conflict = &g_array_index (self->conflicts, BmConflict, i);

          gtk_list_box_append (self->conflict_list, make_row (self, conflict));
          if ((conflict->pred >= 0 ? conflict->pred : -2 - conflict->object) == keep)
            gtk_list_box_select_row (self->conflict_list, gtk_list_box_get_row_at_index (self->conflict_list, (int) i));
        }
    }
  self->filling = FALSE;
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "This image: %u conflict", "This image: %u conflicts",
                                          self->conflicts != NULL ? self->conflicts->len : 0),
                             self->conflicts != NULL ? self->conflicts->len : 0);
  gtk_label_set_text (self->image_heading, heading);
}

static void
review_changed_cb (BmPredictionPanel *self, BmPredReview *review)
{
  update_totals (self);
  fill_list (self);
}

static void
threshold_changed_cb (BmPredictionPanel *self, GtkRange *range)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE_THRESHOLD]);
}

static void
row_selected_cb (BmPredictionPanel *self, GtkListBoxRow *row, GtkListBox *list)
{
  if (!self->filling)
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
bm_prediction_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BmPredictionPanel *self = BM_PREDICTION_PANEL (object);

  switch (prop_id)
    {
    case PROP_SCORE_THRESHOLD:
      g_value_set_double (value, bm_prediction_panel_get_score_threshold (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_prediction_panel_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BmPredictionPanel *self = BM_PREDICTION_PANEL (object);

  switch (prop_id)
    {
    case PROP_SCORE_THRESHOLD:
      bm_prediction_panel_set_score_threshold (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_prediction_panel_dispose (GObject *object)
{
  BmPredictionPanel *self = BM_PREDICTION_PANEL (object);
  GtkWidget *child;

  bm_prediction_panel_set_review (self, NULL);
  g_clear_pointer (&self->conflicts, g_array_unref);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (bm_prediction_panel_parent_class)->dispose (object);
}

static void
bm_prediction_panel_class_init (BmPredictionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = bm_prediction_panel_get_property;
  object_class->set_property = bm_prediction_panel_set_property;
  object_class->dispose = bm_prediction_panel_dispose;

  properties[PROP_SCORE_THRESHOLD] =
    g_param_spec_double ("score-threshold", NULL, NULL, 0, 1, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user picked another conflict in the list. */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bmpredictionpanel");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-prediction-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BmPredictionPanel, source_label);
  gtk_widget_class_bind_template_child (widget_class, BmPredictionPanel, map_label);
  gtk_widget_class_bind_template_child (widget_class, BmPredictionPanel, totals_label);
  gtk_widget_class_bind_template_child (widget_class, BmPredictionPanel, image_heading);
  gtk_widget_class_bind_template_child (widget_class, BmPredictionPanel, threshold_adjustment);
  gtk_widget_class_bind_template_child (widget_class, BmPredictionPanel, conflict_list);
  gtk_widget_class_bind_template_callback (widget_class, threshold_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
}

static void
bm_prediction_panel_init (BmPredictionPanel *self)
{
  self->image = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
bm_prediction_panel_new (void)
{
  return g_object_new (BM_TYPE_PREDICTION_PANEL, NULL);
}

void
bm_prediction_panel_set_review (BmPredictionPanel *self, BmPredReview *review)
{
  g_return_if_fail (BM_IS_PREDICTION_PANEL (self));

  if (self->review == review)
    return;
  if (self->review != NULL)
    g_clear_signal_handler (&self->changed_id, self->review);
  g_set_object (&self->review, review);
  if (review != NULL)
    {
      self->changed_id = g_signal_connect_swapped (review, "changed", G_CALLBACK (review_changed_cb), self);
      gtk_adjustment_set_value (self->threshold_adjustment, bm_pred_review_get_options (review)->score_threshold);
    }
  self->image = -1;
  update_totals (self);
  fill_list (self);
}

BmPredReview *
bm_prediction_panel_get_review (BmPredictionPanel *self)
{
  g_return_val_if_fail (BM_IS_PREDICTION_PANEL (self), NULL);
  return self->review;
}

void
bm_prediction_panel_set_image (BmPredictionPanel *self, int image)
{
  g_return_if_fail (BM_IS_PREDICTION_PANEL (self));

  self->image = image;
  fill_list (self);
}

int
bm_prediction_panel_get_image (BmPredictionPanel *self)
{
  return self->image;
}

double
bm_prediction_panel_get_score_threshold (BmPredictionPanel *self)
{
  return gtk_adjustment_get_value (self->threshold_adjustment);
}

void
bm_prediction_panel_set_score_threshold (BmPredictionPanel *self, double threshold)
{
  gtk_adjustment_set_value (self->threshold_adjustment, CLAMP (threshold, 0, 1));
}

gboolean
bm_prediction_panel_get_selected (BmPredictionPanel *self, BmConflict *conflict)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->conflict_list);
  int index;

  if (row == NULL || self->conflicts == NULL)
    return FALSE;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->conflicts->len)
    return FALSE;
  *conflict = g_array_index (self->conflicts, BmConflict, index);
  return TRUE;
}

gboolean
bm_prediction_panel_select_next (BmPredictionPanel *self, int direction, gboolean from_start)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->conflict_list);
  guint n = self->conflicts != NULL ? self->conflicts->len : 0;
  int index;

  if (n == 0)
    return FALSE;
  if (from_start || row == NULL)
    index = direction > 0 ? 0 : (int) n - 1;
  else
    index = gtk_list_box_row_get_index (row) + direction;
  if (index < 0 || (guint) index >= n)
    return FALSE;
  gtk_list_box_select_row (self->conflict_list, gtk_list_box_get_row_at_index (self->conflict_list, index));
  return TRUE;
}

guint
bm_prediction_panel_get_n_conflicts (BmPredictionPanel *self)
{
  return self->conflicts != NULL ? self->conflicts->len : 0;
}
