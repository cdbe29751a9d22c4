/* bm-dataset-overview.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-dataset-overview.h"

#include <math.h>
#include <glib/gi18n.h>

/* How often the progress bar looks at the count; the worker only raises a number. */
#define PROGRESS_INTERVAL_MS 100

struct _BmDatasetOverview
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkDropDown *class_dropdown;
  GtkSpinButton *percent_spin;
  GtkStack *stack;
  GtkLabel *counting_label;
  GtkProgressBar *progress_bar;
  GtkDrawingArea *chart_area;
  GtkLabel *hint_label;

  /* Owned references */
  BmDataset *dataset;
  BmDatasetStats *stats;
  GPtrArray *charts;             /* BmStatsChart, one of each kind, stacked in that order */
  GCancellable *cancellable;
  GtkStringList *class_names;    /* "All classes", then the classes by object count */
  GArray *class_order;           /* guint: the class index of each entry after the first */
  guint *progress;               /* raised by the worker; shared with the task while it runs */
  guint progress_source;
  int hovered_chart;             /* the bar under the pointer: its chart and place, -1 for none */
  int hovered;
  gboolean filling;              /* the dropdowns are being set by code */
};

G_DEFINE_FINAL_TYPE (BmDatasetOverview, bm_dataset_overview, GTK_TYPE_WIDGET)

enum {
  SHOW_ITEMS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  BmDatasetOverview *self;       /* a reference, held while counting */
  guint *progress;
  GCancellable *cancellable;
} CountData;

/* ---- the chart shown ---- */

static int
chosen_class (BmDatasetOverview *self)
{
  guint selected = gtk_drop_down_get_selected (self->class_dropdown);

  if (self->class_order == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION
      || selected > self->class_order->len)
    return -1;
  return (int) g_array_index (self->class_order, guint, selected - 1);
}

static gboolean
takes_class (int kind)
{
  return kind >= BM_STATS_CHART_WIDTH;
}

#define CHART_GAP 8.0

static double
area_width (BmDatasetOverview *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->chart_area));

  return width > 0 ? width : BM_STATS_CHART_DEFAULT_WIDTH;
}

/* The top of chart @index in the area, and (when not NULL) its height. */
static double
chart_top (BmDatasetOverview *self, guint index, double *height)
{
  double width = area_width (self), top = 0;

  for (guint i = 0; i < index; i++)
    top += bm_dataset_stats_chart_get_height (self->charts->pdata[i], width) + CHART_GAP;
  if (height != NULL)
    *height = bm_dataset_stats_chart_get_height (self->charts->pdata[index], width);
  return top;
}

/* Every chart at its natural height, one below the other: the scrolled window scrolls. */
static void
update_height (BmDatasetOverview *self)
{
  double height = 0;

  if (self->charts == NULL || self->charts->len == 0)
    return;
  chart_top (self, self->charts->len - 1, &height);
  gtk_drawing_area_set_content_height (self->chart_area,
                                       (int) ceil (chart_top (self, self->charts->len - 1, NULL) + height));
}

/* The chart and bar at (@x, @y) of the area; FALSE when none. */
static gboolean
bar_at (BmDatasetOverview *self, double x, double y, int *chart, int *bar)
{
  for (guint i = 0; self->charts != NULL && i < self->charts->len; i++)
    {
      double height, top = chart_top (self, i, &height);

      if (y >= top && y < top + height)
        {
          *chart = (int) i;
          *bar = bm_dataset_stats_chart_bar_at (self->charts->pdata[i], area_width (self), height, x, y - top);
          return *bar >= 0;
        }
    }
  return FALSE;
}

static void
rebuild_charts (BmDatasetOverview *self)
{
  int klass = chosen_class (self);

  g_clear_pointer (&self->charts, g_ptr_array_unref);
  self->hovered_chart = self->hovered = -1;
  gtk_widget_set_sensitive (GTK_WIDGET (self->class_dropdown), self->stats != NULL);
  if (self->stats == NULL)
    return;
  self->charts = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_dataset_stats_chart_free);
  for (int kind = 0; kind < BM_STATS_N_CHARTS; kind++)
    g_ptr_array_add (self->charts, bm_dataset_stats_chart_new (self->stats, kind, takes_class (kind) ? klass : -1));
  update_height (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
}

static void
selection_changed_cb (BmDatasetOverview *self)
{
  if (!self->filling)
    rebuild_charts (self);
}

static void
fill_classes (BmDatasetOverview *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->class_order, g_array_unref);
  gtk_string_list_append (names, _("All classes"));
  if (self->stats != NULL)
    {
      self->class_order = bm_dataset_stats_sorted_classes (self->stats);
      for (guint i = 0; i < self->class_order->len; i++)
        gtk_string_list_append (names, bm_dataset_stats_get_class_name (self->stats, g_array_index (self->class_order, guint, i)));
    }
  self->filling = TRUE;
  g_set_object (&self->class_names, names);
  gtk_drop_down_set_model (self->class_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->class_dropdown, 0);
  self->filling = FALSE;
}

/* ---- drawing ---- */

static void
mix (double out[3], const GdkRGBA *a, const GdkRGBA *b, double t)
{
  out[0] = a->red * (1 - t) + b->red * t;
  out[1] = a->green * (1 - t) + b->green * t;
  out[2] = a->blue * (1 - t) + b->blue * t;
}

/* The light chart style with the theme's text colour, so that a dark theme reads as well. */
static void
theme_style (BmDatasetOverview *self, BmStatsChartStyle *style)
{
  GdkRGBA text;
  /* the window's own ground: a light theme's is near white, a dark one's near black */
  gboolean dark;
  GdkRGBA ground;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &text);
  G_GNUC_END_IGNORE_DEPRECATIONS
  *style = *bm_dataset_stats_chart_style_light ();
  dark = text.red + text.green + text.blue > 1.5;
  ground = dark ? (GdkRGBA) { 0.14, 0.14, 0.14, 1 } : (GdkRGBA) { 1, 1, 1, 1 };
  style->background[0] = -1;
  mix (style->text, &text, &text, 0);
  mix (style->muted, &text, &ground, 0.35);
  mix (style->grid, &text, &ground, 0.85);
  if (dark)
    {
      /* GNOME's lighter blue and orange on dark ground */
      style->bar[0] = 0x62 / 255.0, style->bar[1] = 0xa0 / 255.0, style->bar[2] = 0xea / 255.0;
      style->highlight[0] = 0xff / 255.0, style->highlight[1] = 0xa3 / 255.0, style->highlight[2] = 0x48 / 255.0;
    }
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  BmDatasetOverview *self = user_data;
  BmStatsChartStyle style;

  if (self->charts == NULL)
    return;
  theme_style (self, &style);
  for (guint i = 0; i < self->charts->len; i++)
    {
      double chart_height, top = chart_top (self, i, &chart_height);

      cairo_save (cr);
      cairo_translate (cr, 0, top);
      bm_dataset_stats_chart_draw (self->charts->pdata[i], cr, width, chart_height,
                                   (int) i == self->hovered_chart ? self->hovered : -1, &style);
      cairo_restore (cr);
    }
}

static void
chart_resized_cb (BmDatasetOverview *self,
                  int                width,
                  int                height)
{
  update_height (self);
}

static void
set_hovered (BmDatasetOverview *self, int chart, int bar)
{
  if (chart == self->hovered_chart && bar == self->hovered)
    return;
  self->hovered_chart = chart;
  self->hovered = bar;
  gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           BmDatasetOverview        *self)
{
  int chart, bar;

  if (bar_at (self, x, y, &chart, &bar))
    set_hovered (self, chart, bar);
  else
    set_hovered (self, -1, -1);
}

static void
leave_cb (GtkEventControllerMotion *motion,
          BmDatasetOverview        *self)
{
  set_hovered (self, -1, -1);
}

static gboolean
chart_tooltip_cb (BmDatasetOverview *self,
                  int                x,
                  int                y,
                  gboolean           keyboard,
                  GtkTooltip        *tooltip)
{
  const BmStatsChart *chart;
  const BmStatsBar *bar;
  g_autofree char *text = NULL;
  int c, b;

  if (!bar_at (self, x, y, &c, &b))
    return FALSE;
  chart = self->charts->pdata[c];
  bar = &g_array_index (chart->bars, BmStatsBar, b);
  /* TRANSLATORS: "8–16: 120 objects (12.5 %) — click to show their images" */
  text = g_strdup_printf (_("%s: %u %s (%.1f %%) — click to show their images"), bar->label, bar->count,
                          chart->unit, chart->total > 0 ? 100.0 * bar->count / chart->total : 0.0);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
released_cb (GtkGestureClick   *gesture,
             int                n_press,
             double             x,
             double             y,
             BmDatasetOverview *self)
{
  int chart, bar;

  if (bar_at (self, x, y, &chart, &bar))
    gtk_widget_activate_action (GTK_WIDGET (self), "overview.show-bar", "(ii)", chart, bar);
}

/* ---- counting ---- */

static gboolean
progress_cb (gpointer data)
{
  BmDatasetOverview *self = data;
  guint n = self->dataset != NULL ? bm_dataset_get_n_items (self->dataset) : 0;
  guint done = self->progress != NULL ? (guint) g_atomic_int_get ((gint *) self->progress) : 0;
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u label file", "%u of %u label files", n), done, n);

  gtk_progress_bar_set_fraction (self->progress_bar, n > 0 ? (double) done / n : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_CONTINUE;
}

static void
count_data_free (CountData *data)
{
  g_object_unref (data->self);
  g_free (data->progress);
  g_object_unref (data->cancellable);
  g_free (data);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CountData *data = user_data;
  BmDatasetOverview *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDatasetStats) stats = bm_dataset_stats_compute_finish (result, &error);

  /* a later count, or the end of this widget, cancelled this one */
  if (g_cancellable_is_cancelled (data->cancellable) || self->cancellable != data->cancellable)
    {
      count_data_free (data);
      return;
    }
  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress = NULL;
  g_clear_object (&self->cancellable);
  g_set_object (&self->stats, stats);
  fill_classes (self);
  rebuild_charts (self);
  gtk_stack_set_visible_child_name (self->stack, "chart");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.show-bar", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.show-smallest", TRUE);
  count_data_free (data);
}

static void
start_count (BmDatasetOverview *self)
{
  CountData *data;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress = NULL;
  g_clear_object (&self->stats);
  fill_classes (self);
  rebuild_charts (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.show-bar", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.show-smallest", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "counting");
  if (self->dataset == NULL)
    {
      gtk_label_set_text (self->counting_label, _("No folder is open."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      return;
    }
  gtk_label_set_text (self->counting_label, _("Counting the labels…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);

  data = g_new0 (CountData, 1);
  data->self = g_object_ref (self);
  data->progress = g_new0 (guint, 1);
  data->cancellable = g_cancellable_new ();
  self->cancellable = g_object_ref (data->cancellable);
  self->progress = data->progress;
  progress_cb (self);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
  bm_dataset_stats_compute_async (self->dataset, data->cancellable, data->progress, counted_cb, data);
}

/* ---- actions ---- */

static void
emit_items (BmDatasetOverview *self, GArray *items, const char *description)
{
  g_signal_emit (self, signals[SHOW_ITEMS], 0, items, description);
}

static void
show_bar_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  BmDatasetOverview *self = BM_DATASET_OVERVIEW (widget);
  int c, bar;
  const BmStatsChart *chart;
  const BmStatsBar *b;
  g_autoptr(GArray) items = NULL;
  g_autofree char *description = NULL;

  g_variant_get (param, "(ii)", &c, &bar);
  if (self->charts == NULL || c < 0 || (guint) c >= self->charts->len)
    return;
  chart = self->charts->pdata[c];
  if (bar < 0 || (guint) bar >= chart->bars->len)
    return;
  b = &g_array_index (chart->bars, BmStatsBar, bar);
  items = bm_dataset_stats_chart_bar_items (self->stats, chart, (guint) bar);
  if (chart->class_name != NULL)
    /* TRANSLATORS: "car: Object width 8–16" */
    description = g_strdup_printf (_("%s: %s %s"), chart->class_name, chart->title, b->label);
  else if (chart->kind == BM_STATS_CHART_OVERVIEW || chart->kind == BM_STATS_CHART_CLASSES)
    description = g_strdup (b->label);
  else
    description = g_strdup_printf ("%s %s", chart->title, b->label);
  set_hovered (self, c, bar);
  emit_items (self, items, description);
}

static void
show_smallest_action (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  BmDatasetOverview *self = BM_DATASET_OVERVIEW (widget);
  double percent = gtk_spin_button_get_value (self->percent_spin);
  int klass = chosen_class (self);
  g_autoptr(GArray) items = NULL;
  g_autofree char *description = NULL;

  if (self->stats == NULL)
    return;
  items = bm_dataset_stats_items_with_smallest (self->stats, klass, percent / 100);
  /* TRANSLATORS: "the smallest 5 % of car objects" */
  description = g_strdup_printf (_("the smallest %g %% of %s objects"), percent,
                                 klass >= 0 ? bm_dataset_stats_get_class_name (self->stats, (guint) klass) : _("all"));
  emit_items (self, items, description);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  emit_items (BM_DATASET_OVERVIEW (widget), NULL, NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  start_count (BM_DATASET_OVERVIEW (widget));
}

/* ---- the object ---- */

static void
bm_dataset_overview_dispose (GObject *object)
{
  BmDatasetOverview *self = BM_DATASET_OVERVIEW (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress = NULL;
  /* the template's root box is not bound to a field: unparent it by hand */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->dataset);
  g_clear_object (&self->stats);
  g_clear_pointer (&self->charts, g_ptr_array_unref);
  g_clear_object (&self->class_names);
  g_clear_pointer (&self->class_order, g_array_unref);
  G_OBJECT_CLASS (bm_dataset_overview_parent_class)->dispose (object);
}

static void
bm_dataset_overview_class_init (BmDatasetOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_dataset_overview_dispose;

  /* ::show-items (GArray *items or NULL for all, const char *description) */
  signals[SHOW_ITEMS] = g_signal_new ("show-items", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 2, G_TYPE_ARRAY, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bmdatasetoverview");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-dataset-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, class_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, percent_spin);
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, stack);
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, counting_label);
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, chart_area);
  gtk_widget_class_bind_template_child (widget_class, BmDatasetOverview, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, chart_resized_cb);
  gtk_widget_class_bind_template_callback (widget_class, chart_tooltip_cb);

  gtk_widget_class_install_action (widget_class, "overview.show-bar", "(ii)", show_bar_action);
  gtk_widget_class_install_action (widget_class, "overview.show-smallest", NULL, show_smallest_action);
  gtk_widget_class_install_action (widget_class, "overview.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "overview.refresh", NULL, refresh_action);
}

static void
bm_dataset_overview_init (BmDatasetOverview *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  self->hovered_chart = self->hovered = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->chart_area, draw_chart, self, NULL);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart_area), motion);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart_area), GTK_EVENT_CONTROLLER (click));
  fill_classes (self);
  start_count (self);
}

GtkWidget *
bm_dataset_overview_new (void)
{
  return g_object_new (BM_TYPE_DATASET_OVERVIEW, NULL);
}

void
bm_dataset_overview_set_dataset (BmDatasetOverview *self,
                                 BmDataset         *dataset)
{
  g_return_if_fail (BM_IS_DATASET_OVERVIEW (self));

  g_set_object (&self->dataset, dataset);
  start_count (self);
}

BmDatasetStats *
bm_dataset_overview_get_stats (BmDatasetOverview *self)
{
  g_return_val_if_fail (BM_IS_DATASET_OVERVIEW (self), NULL);
  return self->stats;
}

gboolean
bm_dataset_overview_is_counting (BmDatasetOverview *self)
{
  g_return_val_if_fail (BM_IS_DATASET_OVERVIEW (self), FALSE);
  return self->cancellable != NULL;
}

void
bm_dataset_overview_set_class (BmDatasetOverview *self,
                               int                klass)
{
  guint position = 0;

  g_return_if_fail (BM_IS_DATASET_OVERVIEW (self));

  for (guint i = 0; klass >= 0 && self->class_order != NULL && i < self->class_order->len; i++)
    if (g_array_index (self->class_order, guint, i) == (guint) klass)
      position = i + 1;
  gtk_drop_down_set_selected (self->class_dropdown, position);
}

const BmStatsChart *
bm_dataset_overview_get_chart (BmDatasetOverview *self,
                               BmStatsChartKind   kind)
{
  g_return_val_if_fail (BM_IS_DATASET_OVERVIEW (self), NULL);
  g_return_val_if_fail (kind < BM_STATS_N_CHARTS, NULL);

  return self->charts != NULL ? self->charts->pdata[kind] : NULL;
}

void
bm_dataset_overview_set_percent (BmDatasetOverview *self,
                                 double             percent)
{
  g_return_if_fail (BM_IS_DATASET_OVERVIEW (self));
  gtk_spin_button_set_value (self->percent_spin, percent);
}
