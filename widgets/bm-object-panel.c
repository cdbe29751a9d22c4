/* bm-object-panel.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-object-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "bm-class-colour.h"
#include "bm-object-painter.h"

struct _BmObjectPanel
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *objects_heading;
  GtkListView *objects_list;
  GtkLabel *classes_heading;
  GtkListBox *classes_list;

  /* Owned references */
  GListStore *objects;            /* BmObject of the annotation, in order */
  GtkSingleSelection *selection;
  BmAnnotation *annotation;
  gulong changed_id;
  GHashTable *folder_counts;      /* label → images with it, or NULL */
  BmVisibility *visibility;       /* per-class toggles; NULL: none shown */

  int selected;
  guint n_classes;
  gboolean updating;
};

G_DEFINE_FINAL_TYPE (BmObjectPanel, bm_object_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ANNOTATION,
  PROP_SELECTED,
  N_PROPS
};

enum {
  OBJECT_ACTIVATED,
  CLASS_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *label = user_data ? user_data : g_object_get_data (G_OBJECT (area), "label");
  GdkRGBA colour;

  bm_class_colour_for_label (label, &colour);
  gdk_cairo_set_source_rgba (cr, &colour);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  cairo_fill (cr);
}

static GtkWidget *
new_swatch (const char *label)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 12);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, g_strdup (label), g_free);
  return area;
}

/* bm_shape_kind_to_string() is the file formats' word; this is the reader's. */
static const char *
shape_kind_name (BmShapeKind kind)
{
  switch (kind)
    {
    case BM_SHAPE_ROTATED: return _("rotated box");
    case BM_SHAPE_QUAD: return _("quadrilateral");
    case BM_SHAPE_BOX:
    default: return _("box");
    }
}

char *
bm_object_panel_format_details (BmObject *object)
{
  GString *text = g_string_new (shape_kind_name (bm_object_get_shape (object)->kind));

  if (bm_object_get_difficult (object) == 1)
    g_string_append_printf (text, " · %s", _("difficult"));
  else if (bm_object_get_difficult (object) == 2)
    g_string_append_printf (text, " · %s", _("cut"));
  if (bm_object_get_truncated (object))
    g_string_append_printf (text, " · %s", _("truncated"));
  if (bm_object_get_occluded (object))
    g_string_append_printf (text, " · %s", _("occluded"));
  if (bm_object_get_pre_annotation (object))
    g_string_append_printf (text, " · %s", _("pre-annotation"));
  if (bm_object_has_score (object))
    {
      g_autofree char *score = bm_object_painter_format_score (bm_object_get_score (object));

      g_string_append_printf (text, " · %s", score);
    }
  return g_string_free (text, FALSE);
}

static char *
object_tooltip (BmObject *object)
{
  const BmShape *shape = bm_object_get_shape (object);
  BmRect r = bm_shape_bounds (shape);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n", bm_object_get_label (object));
  if (shape->kind == BM_SHAPE_ROTATED)
    {
      double cx, cy, w, h, angle;

      bm_shape_get_rotated (shape, &cx, &cy, &w, &h, &angle);
      g_string_append_printf (text, _("centre %.1f, %.1f · %.1f × %.1f · %.1f°"), cx, cy, w, h, angle * 180.0 / G_PI);
    }
  else
    g_string_append_printf (text, _("%.1f, %.1f – %.1f, %.1f"), r.x1, r.y1, r.x2, r.y2);
  for (guint i = 0; i < bm_object_get_n_attributes (object); i++)
    {
      const char *key, *value;

      bm_object_get_attribute_nth (object, i, &key, &value);
      g_string_append_printf (text, "\n%s = %s", key, value);
    }
  return g_string_free (text, FALSE);
}

static void
setup_object_row_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     BmObjectPanel            *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, NULL, NULL);
  gtk_widget_add_css_class (box, "object-row");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (details, "kind");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), details);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_object_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    BmObjectPanel            *self)
{
  BmObject *object = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *swatch = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_next_sibling (swatch);
  GtkWidget *details = gtk_widget_get_next_sibling (name);
  g_autofree char *details_text = bm_object_panel_format_details (object);
  g_autofree char *tooltip = object_tooltip (object);

  g_object_set_data_full (G_OBJECT (swatch), "label", g_strdup (bm_object_get_label (object)), g_free);
  gtk_widget_queue_draw (swatch);
  gtk_label_set_text (GTK_LABEL (name), bm_object_get_label (object));
  gtk_label_set_text (GTK_LABEL (details), details_text);
  gtk_widget_set_tooltip_text (box, tooltip);
}

static void
class_toggled_cb (GtkToggleButton *button,
                  BmObjectPanel   *self)
{
  const char *label = g_object_get_data (G_OBJECT (button), "label");
  gboolean shown = gtk_toggle_button_get_active (button);

  gtk_button_set_icon_name (GTK_BUTTON (button), shown ? "view-reveal-symbolic" : "view-conceal-symbolic");
  if (self->visibility != NULL)
    bm_visibility_set_class_shown (self->visibility, label, shown);
}

/* The eye (show or hide the class) and the button of the class manager. */
static void
add_class_controls (BmObjectPanel *self,
                    GtkWidget     *box,
                    const char    *label)
{
  gboolean shown = bm_visibility_get_class_shown (self->visibility, label);
  GtkWidget *eye = gtk_toggle_button_new ();
  GtkWidget *manage = gtk_button_new_from_icon_name ("view-more-symbolic");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (eye), shown);
  gtk_button_set_icon_name (GTK_BUTTON (eye), shown ? "view-reveal-symbolic" : "view-conceal-symbolic");
  gtk_widget_add_css_class (eye, "flat");
  gtk_widget_add_css_class (eye, "class-eye");
  gtk_widget_set_tooltip_text (eye, _("Show or hide this class on the image"));
  g_object_set_data_full (G_OBJECT (eye), "label", g_strdup (label), g_free);
  g_signal_connect (eye, "toggled", G_CALLBACK (class_toggled_cb), self);
  gtk_widget_add_css_class (manage, "flat");
  gtk_widget_set_tooltip_text (manage, _("Rename, merge or delete this class in the whole folder"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (manage), "win.manage-class");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (manage), "s", label);
  gtk_box_prepend (GTK_BOX (box), eye);
  gtk_box_append (GTK_BOX (box), manage);
}

/* How much of a class name a row keeps before it is cut (DOTA's longest: "ground-track-field"). */
#define CLASS_NAME_CHARS 13

static GtkWidget *
new_class_row (BmObjectPanel *self,
               const char    *label,
               guint          count,
               int            images)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (label);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  GtkWidget *count_label = gtk_label_new (count_text);
  g_autofree char *tooltip = NULL;

  gtk_widget_add_css_class (box, "object-row");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  /* An ellipsized label asks for no more than "…": without a width of its own, DOTA's
   * "large-vehicle" was cut to "larg…" beside the counts and buttons. The whole name is in
   * its tooltip when it is still cut. */
  gtk_label_set_width_chars (GTK_LABEL (name), MIN ((int) g_utf8_strlen (label, -1), CLASS_NAME_CHARS));
  gtk_widget_set_tooltip_text (name, label);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), new_swatch (label));
  gtk_box_append (GTK_BOX (box), name);
  if (images >= 0)
    {
      /* TRANSLATORS: the number of images of the folder that have this class */
      g_autofree char *images_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d image", "%d images", images), images);
      GtkWidget *images_label = gtk_label_new (images_text);

      gtk_widget_add_css_class (images_label, "kind");
      gtk_box_append (GTK_BOX (box), images_label);
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u in this image; the folder has it in %d image. Click to list them.",
                                              "%u in this image; the folder has it in %d images. Click to list them.",
                                              images),
                                 count, images);
    }
  else
    tooltip = g_strdup (_("Show the images with this class"));
  gtk_box_append (GTK_BOX (box), count_label);
  if (self->visibility != NULL)
    add_class_controls (self, box, label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "label", g_strdup (label), g_free);
  gtk_widget_set_tooltip_text (row, tooltip);
  return row;
}

typedef struct
{
  const char *label;
  guint count;
} ClassCount;

static int
compare_class_counts (gconstpointer a,
                      gconstpointer b)
{
  const ClassCount *ca = a, *cb = b;

  if (ca->count != cb->count)
    return ca->count > cb->count ? -1 : 1;
  return g_utf8_collate (ca->label, cb->label);
}

static void
remove_all_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
rebuild_classes (BmObjectPanel *self)
{
  guint n = self->annotation ? bm_annotation_get_n_objects (self->annotation) : 0;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) classes = g_array_new (FALSE, FALSE, sizeof (ClassCount));
  g_autofree char *heading = NULL;
  GHashTableIter iter;
  gpointer key, value;

  remove_all_rows (self->classes_list);
  for (guint i = 0; i < n; i++)
    {
      const char *label = bm_object_get_label (bm_annotation_get_object (self->annotation, i));

      g_hash_table_insert (counts, (gpointer) label,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, label)) + 1));
    }

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_array_append_val (classes, ((ClassCount) { key, GPOINTER_TO_UINT (value) }));
  g_array_sort (classes, compare_class_counts);
  /* a hidden class stays listed (with 0 here), so that it can be shown again */
  if (self->visibility != NULL && self->folder_counts != NULL)
    {
      g_hash_table_iter_init (&iter, self->folder_counts);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (counts, key) && !bm_visibility_get_class_shown (self->visibility, key))
          g_array_append_val (classes, ((ClassCount) { key, 0 }));
    }
  for (guint i = 0; i < classes->len; i++)
    {
      const ClassCount *c = &g_array_index (classes, ClassCount, i);
      gpointer images;
      gboolean known = self->folder_counts != NULL &&
                       g_hash_table_lookup_extended (self->folder_counts, c->label, NULL, &images);

      gtk_list_box_append (self->classes_list, new_class_row (self, c->label, c->count, known ? GPOINTER_TO_INT (images) : -1));
    }
  self->n_classes = classes->len;

  heading = g_strdup_printf (_("Classes (%u)"), classes->len);
  gtk_label_set_text (self->classes_heading, heading);
}

static void
rebuild (BmObjectPanel *self)
{
  guint n = self->annotation ? bm_annotation_get_n_objects (self->annotation) : 0;
  g_autoptr(GPtrArray) objects = g_ptr_array_new ();
  g_autofree char *heading = NULL;

  self->updating = TRUE;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, bm_annotation_get_object (self->annotation, i));
  g_list_store_splice (self->objects, 0, g_list_model_get_n_items (G_LIST_MODEL (self->objects)),
                       objects->pdata, objects->len);
  heading = g_strdup_printf (_("Objects (%u)"), n);
  gtk_label_set_text (self->objects_heading, heading);

  rebuild_classes (self);

  if (self->selected >= (int) n)
    self->selected = -1;
  gtk_single_selection_set_selected (self->selection,
                                     self->selected >= 0 ? (guint) self->selected : GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;
}

static void
annotation_changed_cb (BmObjectPanel *self,
                       BmAnnotation  *annotation)
{
  rebuild (self);
}

static void
object_selection_changed_cb (BmObjectPanel      *self,
                             GParamSpec         *pspec,
                             GtkSingleSelection *selection)
{
  guint position = gtk_single_selection_get_selected (selection);
  int index = position == GTK_INVALID_LIST_POSITION ? -1 : (int) position;

  if (self->updating || index == self->selected)
    return;
  self->selected = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (index >= 0)
    g_signal_emit (self, signals[OBJECT_ACTIVATED], 0, index);
}

static void
object_activated_cb (BmObjectPanel *self,
                     guint          position,
                     GtkListView   *list)
{
  g_signal_emit (self, signals[OBJECT_ACTIVATED], 0, (int) position);
}

static void
class_row_activated_cb (BmObjectPanel *self,
                        GtkListBoxRow *row,
                        GtkListBox    *list)
{
  g_signal_emit (self, signals[CLASS_ACTIVATED], 0, g_object_get_data (G_OBJECT (row), "label"));
}

static void
bm_object_panel_dispose (GObject *object)
{
  BmObjectPanel *self = BM_OBJECT_PANEL (object);
  GtkWidget *child;

  if (self->annotation != NULL)
    g_clear_signal_handler (&self->changed_id, self->annotation);
  g_clear_object (&self->annotation);
  /* The template's root box is not bound to a field, so unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->objects);
  g_clear_pointer (&self->folder_counts, g_hash_table_unref);
  g_clear_object (&self->visibility);

  G_OBJECT_CLASS (bm_object_panel_parent_class)->dispose (object);
}

static void
bm_object_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BmObjectPanel *self = BM_OBJECT_PANEL (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION:
      g_value_set_object (value, self->annotation);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_object_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BmObjectPanel *self = BM_OBJECT_PANEL (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION:
      bm_object_panel_set_annotation (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      bm_object_panel_set_selected (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_object_panel_class_init (BmObjectPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_object_panel_dispose;
  object_class->get_property = bm_object_panel_get_property;
  object_class->set_property = bm_object_panel_set_property;

  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, BM_TYPE_ANNOTATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user picked object @index in the list. */
  signals[OBJECT_ACTIVATED] =
    g_signal_new ("object-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* The user picked a class: the window shows the images that have it. */
  signals[CLASS_ACTIVATED] =
    g_signal_new ("class-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bmobjectpanel");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-object-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BmObjectPanel, objects_heading);
  gtk_widget_class_bind_template_child (widget_class, BmObjectPanel, objects_list);
  gtk_widget_class_bind_template_child (widget_class, BmObjectPanel, classes_heading);
  gtk_widget_class_bind_template_child (widget_class, BmObjectPanel, classes_list);
  gtk_widget_class_bind_template_callback (widget_class, object_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, class_row_activated_cb);
}

static void
bm_object_panel_init (BmObjectPanel *self)
{
  GtkListItemFactory *factory;

  self->selected = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->objects = g_list_store_new (BM_TYPE_OBJECT);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->objects)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (object_selection_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_object_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_object_row_cb), self);
  gtk_list_view_set_factory (self->objects_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->objects_list, GTK_SELECTION_MODEL (self->selection));

  rebuild (self);
}

GtkWidget *
bm_object_panel_new (void)
{
  return g_object_new (BM_TYPE_OBJECT_PANEL, NULL);
}

BmAnnotation *
bm_object_panel_get_annotation (BmObjectPanel *self)
{
  g_return_val_if_fail (BM_IS_OBJECT_PANEL (self), NULL);
  return self->annotation;
}

void
bm_object_panel_set_annotation (BmObjectPanel *self,
                                BmAnnotation  *annotation)
{
  g_return_if_fail (BM_IS_OBJECT_PANEL (self));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));

  if (self->annotation != NULL)
    g_clear_signal_handler (&self->changed_id, self->annotation);
  g_set_object (&self->annotation, annotation);
  if (annotation != NULL)
    self->changed_id = g_signal_connect_swapped (annotation, "changed", G_CALLBACK (annotation_changed_cb), self);
  self->selected = -1;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATION]);
}

int
bm_object_panel_get_selected (BmObjectPanel *self)
{
  g_return_val_if_fail (BM_IS_OBJECT_PANEL (self), -1);
  return self->selected;
}

void
bm_object_panel_set_selected (BmObjectPanel *self,
                              int            index)
{
  g_return_if_fail (BM_IS_OBJECT_PANEL (self));

  if (index >= (int) g_list_model_get_n_items (G_LIST_MODEL (self->objects)))
    index = -1;
  if (index == self->selected)
    return;
  self->selected = index;
  self->updating = TRUE;
  gtk_single_selection_set_selected (self->selection, index >= 0 ? (guint) index : GTK_INVALID_LIST_POSITION);
  if (index >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self->objects_list), "list.scroll-to-item", "u", (guint) index);
  self->updating = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

void
bm_object_panel_set_folder_counts (BmObjectPanel *self,
                                   GHashTable    *counts)
{
  g_return_if_fail (BM_IS_OBJECT_PANEL (self));

  if (counts == self->folder_counts)
    return;
  if (counts != NULL)
    g_hash_table_ref (counts);
  g_clear_pointer (&self->folder_counts, g_hash_table_unref);
  self->folder_counts = counts;
  rebuild_classes (self);
}

void
bm_object_panel_set_visibility (BmObjectPanel *self,
                                BmVisibility  *visibility)
{
  g_return_if_fail (BM_IS_OBJECT_PANEL (self));
  g_return_if_fail (visibility == NULL || BM_IS_VISIBILITY (visibility));

  if (self->visibility == visibility)
    return;
  g_set_object (&self->visibility, visibility);
  rebuild_classes (self);
}

guint
bm_object_panel_get_n_classes (BmObjectPanel *self)
{
  g_return_val_if_fail (BM_IS_OBJECT_PANEL (self), 0);
  return self->n_classes;
}
