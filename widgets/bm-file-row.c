/* bm-file-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-row.h"

#include <glib/gi18n.h>

struct _BmFileRow
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *state_label;
  GtkLabel *name_label;
  GtkLabel *count_label;

  /* Owned references */
  BmFileItem *item;
  gulong notify_id;
};

G_DEFINE_FINAL_TYPE (BmFileRow, bm_file_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *glyph;
  const char *css_class;
  const char *tooltip;
} state_looks[] = {
  [BM_FILE_STATE_UNKNOWN] = { "·", "state-none", N_("Not read yet") },
  [BM_FILE_STATE_NONE] = { "○", "state-none", N_("No labels") },
  [BM_FILE_STATE_LABELED] = { "●", "state-labeled", N_("Labeled") },
  [BM_FILE_STATE_VERIFIED] = { "✔", "state-verified", N_("Verified") },
  [BM_FILE_STATE_PROBLEM] = { "!", "state-problem", N_("The label file has problems") },
};

static void
update_summary (BmFileRow *self)
{
  BmFileState state = self->item ? bm_file_item_get_state (self->item) : BM_FILE_STATE_UNKNOWN;
  int n = self->item ? bm_file_item_get_n_objects (self->item) : -1;
  g_autofree char *count = n > 0 ? g_strdup_printf ("%d", n) : g_strdup ("");

  for (guint i = 0; i < G_N_ELEMENTS (state_looks); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_looks[i].css_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_looks[state].css_class);
  gtk_label_set_text (self->state_label, state_looks[state].glyph);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), _(state_looks[state].tooltip));
  gtk_label_set_text (self->count_label, count);
}

static void
item_notify_cb (BmFileRow  *self,
                GParamSpec *pspec,
                BmFileItem *item)
{
  update_summary (self);
}

static void
bm_file_row_dispose (GObject *object)
{
  BmFileRow *self = BM_FILE_ROW (object);
  GtkWidget *child;

  bm_file_row_set_item (self, NULL);
  /* The template's root box is not bound to a field, so unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bm_file_row_parent_class)->dispose (object);
}

static void
bm_file_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BmFileRow *self = BM_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_file_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BmFileRow *self = BM_FILE_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      bm_file_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_file_row_class_init (BmFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_file_row_dispose;
  object_class->get_property = bm_file_row_get_property;
  object_class->set_property = bm_file_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, BM_TYPE_FILE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bmfilerow");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BmFileRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, BmFileRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BmFileRow, count_label);
}

static void
bm_file_row_init (BmFileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
bm_file_row_new (void)
{
  return g_object_new (BM_TYPE_FILE_ROW, NULL);
}

BmFileItem *
bm_file_row_get_item (BmFileRow *self)
{
  g_return_val_if_fail (BM_IS_FILE_ROW (self), NULL);
  return self->item;
}

void
bm_file_row_set_item (BmFileRow  *self,
                      BmFileItem *item)
{
  g_return_if_fail (BM_IS_FILE_ROW (self));
  g_return_if_fail (item == NULL || BM_IS_FILE_ITEM (item));

  if (item == self->item)
    return;

  g_clear_signal_handler (&self->notify_id, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      self->notify_id = g_signal_connect_swapped (item, "notify", G_CALLBACK (item_notify_cb), self);
      gtk_label_set_text (self->name_label, bm_file_item_get_name (item));
    }
  else if (self->name_label != NULL)
    gtk_label_set_text (self->name_label, "");
  if (self->state_label != NULL)
    update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
