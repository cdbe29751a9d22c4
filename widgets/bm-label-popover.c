/* bm-label-popover.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-label-popover.h"

#include <glib/gi18n.h>

#include "bm-class-colour.h"

struct _BmLabelPopover
{
  GtkPopover parent_instance;

  /* Template widgets */
  GtkSearchEntry *entry;
  GtkListView *list;
  GtkLabel *hint;

  /* Owned references */
  BmClassCatalog *catalog;
  GtkStringList *names;

  /* Models owned by the list view */
  GtkCustomFilter *filter;
  GtkCustomSorter *sorter;
  GtkSingleSelection *selection;

  gboolean chosen;
};

G_DEFINE_FINAL_TYPE (BmLabelPopover, bm_label_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_CATALOG,
  N_PROPS
};

enum {
  LABEL_CHOSEN,
  CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
item_name (gpointer item)
{
  return gtk_string_object_get_string (GTK_STRING_OBJECT (item));
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  BmLabelPopover *self = user_data;

  return bm_class_catalog_match (item_name (item), bm_label_popover_get_text (self)) > 0;
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  BmLabelPopover *self = user_data;
  const char *text = bm_label_popover_get_text (self);
  int rank_a = bm_class_catalog_match (item_name ((gpointer) a), text);
  int rank_b = bm_class_catalog_match (item_name ((gpointer) b), text);
  int pos_a, pos_b;

  if (rank_a != rank_b)
    return rank_a > rank_b ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  /* Catalog order otherwise: the order never changes under the user's fingers. */
  pos_a = self->catalog ? bm_class_catalog_find (self->catalog, item_name ((gpointer) a)) : 0;
  pos_b = self->catalog ? bm_class_catalog_find (self->catalog, item_name ((gpointer) b)) : 0;
  return pos_a < pos_b ? GTK_ORDERING_SMALLER : pos_a > pos_b ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
update_hint (BmLabelPopover *self)
{
  g_autofree char *name = bm_class_catalog_normalize_name (bm_label_popover_get_text (self));
  g_autofree char *text = NULL;

  if (name == NULL)
    text = g_strdup (_("Type to filter · Enter chooses · Esc cancels"));
  else if (self->catalog != NULL && bm_class_catalog_find (self->catalog, name) >= 0)
    text = g_strdup (_("Enter chooses"));
  else if (bm_label_popover_get_n_matches (self) == 0)
    text = g_strdup_printf (_("Enter creates the label “%s”"), name);
  else
    text = g_strdup_printf (_("Enter chooses · Shift+Enter creates “%s”"), name);
  gtk_label_set_text (self->hint, text);
}

/* GTK 4.8 has no gtk_list_view_scroll_to(); the list's own action does the same. */
static void
scroll_to (BmLabelPopover *self,
           guint           position)
{
  gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", position);
}

static void
refilter (BmLabelPopover *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  if (bm_label_popover_get_n_matches (self) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      scroll_to (self, 0);
    }
  update_hint (self);
}

static void
reload_names (BmLabelPopover *self)
{
  const char * const *names = self->catalog ? bm_class_catalog_get_names (self->catalog) : NULL;

  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)), names);
  refilter (self);
}

static void
emit_chosen (BmLabelPopover *self,
             const char     *label)
{
  g_autofree char *copy = g_strdup (label);
  gboolean is_new = self->catalog == NULL || bm_class_catalog_find (self->catalog, copy) < 0;

  self->chosen = TRUE;
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[LABEL_CHOSEN], 0, copy, is_new);
}

/* Template callbacks ------------------------------------------------------------------------- */

static void
text_changed_cb (BmLabelPopover *self)
{
  refilter (self);
}

static void
entry_activate_cb (BmLabelPopover *self)
{
  if (!bm_label_popover_choose (self, FALSE))
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
stop_search_cb (BmLabelPopover *self)
{
  bm_label_popover_cancel (self);
}

static void
list_activate_cb (BmLabelPopover *self,
                  guint           position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item != NULL)
    emit_chosen (self, item_name (item));
}

static gboolean
entry_key_pressed_cb (BmLabelPopover        *self,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      GtkEventControllerKey *controller)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      bm_label_popover_move_selection (self, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      bm_label_popover_move_selection (self, 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if ((state & GDK_SHIFT_MASK) == 0)
        return FALSE;
      if (!bm_label_popover_choose (self, TRUE))
        gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
closed_cb (BmLabelPopover *self)
{
  if (!self->chosen)
    g_signal_emit (self, signals[CANCELLED], 0);
  self->chosen = TRUE;   /* one answer per opening */
}

/* Rows --------------------------------------------------------------------------------------- */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *label = g_object_get_data (G_OBJECT (area), "label");
  GdkRGBA colour;

  if (label == NULL)
    return;
  bm_class_colour_for_label (label, &colour);
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *key = gtk_label_new (NULL);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, NULL, NULL);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), key);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BmLabelPopover           *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *swatch = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_next_sibling (swatch);
  GtkWidget *key = gtk_widget_get_next_sibling (name);
  const char *label = item_name (gtk_list_item_get_item (list_item));
  int position = self->catalog ? bm_class_catalog_find (self->catalog, label) : -1;
  g_autofree char *digit = position >= 0 && position < 9 ? g_strdup_printf ("%d", position + 1) : NULL;

  g_object_set_data_full (G_OBJECT (swatch), "label", g_strdup (label), g_free);
  gtk_widget_queue_draw (swatch);
  gtk_label_set_text (GTK_LABEL (name), label);
  gtk_label_set_text (GTK_LABEL (key), digit ? digit : "");
}

/* Public API --------------------------------------------------------------------------------- */

GtkWidget *
bm_label_popover_new (void)
{
  return g_object_new (BM_TYPE_LABEL_POPOVER, NULL);
}

static void
catalog_changed_cb (BmLabelPopover *self)
{
  reload_names (self);
}

void
bm_label_popover_set_catalog (BmLabelPopover *self,
                              BmClassCatalog *catalog)
{
  g_return_if_fail (BM_IS_LABEL_POPOVER (self));
  g_return_if_fail (catalog == NULL || BM_IS_CLASS_CATALOG (catalog));

  if (self->catalog == catalog)
    return;
  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_func (self->catalog, catalog_changed_cb, self);
  g_set_object (&self->catalog, catalog);
  if (catalog != NULL)
    g_signal_connect_object (catalog, "changed", G_CALLBACK (catalog_changed_cb), self, G_CONNECT_SWAPPED);
  reload_names (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG]);
}

BmClassCatalog *
bm_label_popover_get_catalog (BmLabelPopover *self)
{
  g_return_val_if_fail (BM_IS_LABEL_POPOVER (self), NULL);
  return self->catalog;
}

void
bm_label_popover_set_text (BmLabelPopover *self,
                           const char     *text)
{
  g_return_if_fail (BM_IS_LABEL_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
  refilter (self);
}

void
bm_label_popover_present (BmLabelPopover *self,
                          const char     *label)
{
  guint n;

  g_return_if_fail (BM_IS_LABEL_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  refilter (self);
  n = bm_label_popover_get_n_matches (self);
  for (guint i = 0; label != NULL && i < n; i++)
    if (g_strcmp0 (bm_label_popover_get_match (self, i), label) == 0)
      {
        gtk_single_selection_set_selected (self->selection, i);
        scroll_to (self, i);
        break;
      }
}

const char *
bm_label_popover_get_text (BmLabelPopover *self)
{
  g_return_val_if_fail (BM_IS_LABEL_POPOVER (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

guint
bm_label_popover_get_n_matches (BmLabelPopover *self)
{
  g_return_val_if_fail (BM_IS_LABEL_POPOVER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

const char *
bm_label_popover_get_match (BmLabelPopover *self,
                            guint           position)
{
  g_autoptr(GObject) item = NULL;

  g_return_val_if_fail (BM_IS_LABEL_POPOVER (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  /* The string list keeps the item alive. */
  return item ? item_name (item) : NULL;
}

const char *
bm_label_popover_get_selected (BmLabelPopover *self)
{
  gpointer item;

  g_return_val_if_fail (BM_IS_LABEL_POPOVER (self), NULL);

  item = gtk_single_selection_get_selected_item (self->selection);
  return item ? item_name (item) : NULL;
}

void
bm_label_popover_move_selection (BmLabelPopover *self,
                                 int             delta)
{
  guint n, selected;
  int target;

  g_return_if_fail (BM_IS_LABEL_POPOVER (self));

  n = bm_label_popover_get_n_matches (self);
  if (n == 0)
    return;
  selected = gtk_single_selection_get_selected (self->selection);
  target = selected == GTK_INVALID_LIST_POSITION ? 0 : (int) selected + delta;
  target = CLAMP (target, 0, (int) n - 1);
  gtk_single_selection_set_selected (self->selection, (guint) target);
  scroll_to (self, (guint) target);
}

gboolean
bm_label_popover_choose (BmLabelPopover *self,
                         gboolean        exact)
{
  g_autofree char *typed = NULL;
  const char *selected;

  g_return_val_if_fail (BM_IS_LABEL_POPOVER (self), FALSE);

  typed = bm_class_catalog_normalize_name (bm_label_popover_get_text (self));
  selected = bm_label_popover_get_selected (self);
  if (!exact && selected != NULL)
    {
      emit_chosen (self, selected);
      return TRUE;
    }
  if (typed == NULL)
    return FALSE;
  emit_chosen (self, typed);
  return TRUE;
}

void
bm_label_popover_cancel (BmLabelPopover *self)
{
  g_return_if_fail (BM_IS_LABEL_POPOVER (self));

  /* "closed" reports the cancellation, also when the popover is closed by a click outside. */
  gtk_popover_popdown (GTK_POPOVER (self));
  if (!self->chosen)
    {
      self->chosen = TRUE;
      g_signal_emit (self, signals[CANCELLED], 0);
    }
}

/* GObject ------------------------------------------------------------------------------------ */

static void
bm_label_popover_show (GtkWidget *widget)
{
  BmLabelPopover *self = BM_LABEL_POPOVER (widget);

  self->chosen = FALSE;
  GTK_WIDGET_CLASS (bm_label_popover_parent_class)->show (widget);
}

static void
bm_label_popover_map (GtkWidget *widget)
{
  BmLabelPopover *self = BM_LABEL_POPOVER (widget);

  GTK_WIDGET_CLASS (bm_label_popover_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static void
bm_label_popover_dispose (GObject *object)
{
  BmLabelPopover *self = BM_LABEL_POPOVER (object);

  if (self->catalog != NULL)
    g_signal_handlers_disconnect_by_func (self->catalog, catalog_changed_cb, self);
  g_clear_object (&self->catalog);
  gtk_widget_dispose_template (GTK_WIDGET (self), BM_TYPE_LABEL_POPOVER);
  G_OBJECT_CLASS (bm_label_popover_parent_class)->dispose (object);
}

static void
bm_label_popover_finalize (GObject *object)
{
  BmLabelPopover *self = BM_LABEL_POPOVER (object);

  g_clear_object (&self->names);
  G_OBJECT_CLASS (bm_label_popover_parent_class)->finalize (object);
}

static void
bm_label_popover_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BmLabelPopover *self = BM_LABEL_POPOVER (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_label_popover_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BmLabelPopover *self = BM_LABEL_POPOVER (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      bm_label_popover_set_catalog (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_label_popover_class_init (BmLabelPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_label_popover_dispose;
  object_class->finalize = bm_label_popover_finalize;
  object_class->get_property = bm_label_popover_get_property;
  object_class->set_property = bm_label_popover_set_property;
  widget_class->show = bm_label_popover_show;
  widget_class->map = bm_label_popover_map;

  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, BM_TYPE_CLASS_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BmLabelPopover::label-chosen:
   * @label: the label
   * @is_new: TRUE when @label is not in the catalog (the caller may add it)
   */
  signals[LABEL_CHOSEN] = g_signal_new ("label-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-label-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, BmLabelPopover, entry);
  gtk_widget_class_bind_template_child (widget_class, BmLabelPopover, list);
  gtk_widget_class_bind_template_child (widget_class, BmLabelPopover, hint);
  gtk_widget_class_bind_template_callback (widget_class, text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, closed_cb);
}

static void
bm_label_popover_init (BmLabelPopover *self)
{
  GtkListItemFactory *factory;
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->chosen = TRUE;

  self->names = gtk_string_list_new (NULL);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->names)), GTK_FILTER (self->filter));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered), GTK_SORTER (self->sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->selection);   /* the list view holds it */

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);

  update_hint (self);
}
