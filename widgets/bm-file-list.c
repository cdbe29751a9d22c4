/* bm-file-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-list.h"

#include <glib/gi18n.h>

#include "dataset/bm-file-filter.h"
#include "dataset/bm-file-search.h"
#include "bm-file-row.h"

/* Re-filtering 100,000 rows on every scan step would be wasteful. */
#define REFILTER_INTERVAL_MS 400

struct _BmFileList
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkSearchEntry *filter_entry;
  GtkListView *list_view;
  GtkLabel *count_label;

  /* Owned references */
  BmFileListModel *model;
  GtkFilterListModel *filter_model;
  GtkCustomFilter *filter;
  GtkSingleSelection *selection;
  BmFileFilter *terms;    /* the filter text, parsed (dataset/bm-file-filter.h) */
  BmFileListTermParse extra_parse;   /* words of the window's own (bm_file_list_set_extra_terms) */
  BmFileListTermMatch extra_match;
  GDestroyNotify extra_free;
  gpointer extra_data;
  GHashTable *item_set;   /* dataset indices + 1 a chart chose (bm_file_list_set_item_set), or NULL */
  char *item_set_description;
  gulong summaries_changed_id;
  guint refilter_source;

  gboolean selecting;     /* selection changed by code, not by the user */
};

G_DEFINE_FINAL_TYPE (BmFileList, bm_file_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_FILTER_TEXT,
  N_PROPS
};

enum {
  ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Whether rows are filtered at all: by the text, or by a chart's images. */
static gboolean
filtering (BmFileList *self)
{
  return !bm_file_filter_is_empty (self->terms) || self->item_set != NULL;
}

static gboolean
filter_match (gpointer item,
              gpointer user_data)
{
  BmFileList *self = user_data;
  BmFileItem *file = item;
  BmFileSummary summary = { bm_file_item_get_state (file), bm_file_item_get_n_objects (file) };
  GPtrArray *extra = bm_file_filter_get_extra_terms (self->terms);

  if (self->item_set != NULL
      && !g_hash_table_contains (self->item_set, GUINT_TO_POINTER (bm_file_item_get_index (file) + 1)))
    return FALSE;
  if (!bm_file_filter_match_name (self->terms, bm_file_item_get_name (file)))
    return FALSE;
  if (extra != NULL)
    for (guint i = 0; i < extra->len; i++)
      if (!self->extra_match (extra->pdata[i], bm_file_item_get_index (file), self->extra_data))
        return FALSE;
  if (!bm_file_filter_needs_states (self->terms))
    return TRUE;
  if (summary.state == BM_FILE_STATE_UNKNOWN)
    return FALSE;   /* shown once the background scan has read it */
  return bm_file_filter_match_states (self->terms, bm_file_list_model_get_states (self->model),
                                      bm_file_item_get_index (file), &summary);
}

static void
update_count (BmFileList *self)
{
  guint total = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  guint shown = bm_file_list_get_n_shown (self);
  g_autofree char *text = NULL;

  if (self->model == NULL)
    text = g_strdup ("");
  else if (!filtering (self))
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", total), total);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u image", "%u of %u images", total), shown, total);
  if (self->item_set_description != NULL)
    {
      /* TRANSLATORS: "12 of 160 images · car: width 8–16" */
      g_autofree char *with = g_strdup_printf (_("%s · %s"), text, self->item_set_description);

      g_free (text);
      text = g_steal_pointer (&with);
    }
  gtk_label_set_text (self->count_label, text);
}

static void
apply_filter (BmFileList *self)
{
  if (!filtering (self))
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  else
    gtk_custom_filter_set_filter_func (self->filter, filter_match, self, NULL);
  update_count (self);
}

static gboolean
refilter_cb (gpointer data)
{
  BmFileList *self = data;

  self->refilter_source = 0;
  if (bm_file_filter_needs_states (self->terms))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
  return G_SOURCE_REMOVE;
}

static void
summaries_changed_cb (BmFileList      *self,
                      BmFileListModel *model)
{
  gboolean scanned = bm_file_list_model_is_scanned (model);

  if (!bm_file_filter_needs_states (self->terms))
    return;
  /* The scan's last batch is shown at once, not after a wait set up for an earlier one. */
  if (scanned)
    g_clear_handle_id (&self->refilter_source, g_source_remove);
  if (self->refilter_source == 0)
    self->refilter_source = g_timeout_add (scanned ? 0 : REFILTER_INTERVAL_MS, refilter_cb, self);
}

static void
filter_changed_cb (BmFileList     *self,
                   GtkSearchEntry *entry)
{
  g_clear_pointer (&self->terms, bm_file_filter_free);
  self->terms = bm_file_filter_new_full (gtk_editable_get_text (GTK_EDITABLE (entry)),
                                         self->extra_parse, self->extra_free, self->extra_data);
  if (bm_file_filter_needs_states (self->terms) && self->model != NULL)
    bm_file_list_model_start_scan (self->model);
  apply_filter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_TEXT]);
}

static void
selection_changed_cb (BmFileList         *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  BmFileItem *item = gtk_single_selection_get_selected_item (selection);

  if (!self->selecting && item != NULL)
    g_signal_emit (self, signals[ACTIVATED], 0, bm_file_item_get_index (item));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              BmFileList               *self)
{
  gtk_list_item_set_child (list_item, bm_file_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BmFileList               *self)
{
  bm_file_row_set_item (BM_FILE_ROW (gtk_list_item_get_child (list_item)), gtk_list_item_get_item (list_item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               BmFileList               *self)
{
  bm_file_row_set_item (BM_FILE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static int
position_of_index (BmFileList *self,
                   guint       index)
{
  GListModel *shown = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (shown);

  if (!filtering (self))
    return index < n ? (int) index : -1;

  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr(BmFileItem) item = g_list_model_get_item (shown, pos);

      if (bm_file_item_get_index (item) == index)
        return pos;
    }
  return -1;
}

static guint
index_at (BmFileList *self,
          guint       position)
{
  g_autoptr(BmFileItem) item = NULL;

  /* Without a filter the rows are the items: no need to make a row object for each. */
  if (!filtering (self))
    return position;

  item = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  return bm_file_item_get_index (item);
}

static void
bm_file_list_dispose (GObject *object)
{
  BmFileList *self = BM_FILE_LIST (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refilter_source, g_source_remove);
  if (self->model != NULL)
    g_clear_signal_handler (&self->summaries_changed_id, self->model);
  g_clear_object (&self->model);
  /* The template's root box is not bound to a field, so unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->item_set, g_hash_table_unref);
  g_clear_pointer (&self->item_set_description, g_free);

  G_OBJECT_CLASS (bm_file_list_parent_class)->dispose (object);
}

static void
bm_file_list_finalize (GObject *object)
{
  BmFileList *self = BM_FILE_LIST (object);

  bm_file_filter_free (self->terms);

  G_OBJECT_CLASS (bm_file_list_parent_class)->finalize (object);
}

static void
bm_file_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BmFileList *self = BM_FILE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_FILTER_TEXT:
      g_value_set_string (value, bm_file_list_get_filter_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_file_list_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BmFileList *self = BM_FILE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      bm_file_list_set_model (self, g_value_get_object (value));
      break;
    case PROP_FILTER_TEXT:
      bm_file_list_set_filter_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_file_list_class_init (BmFileListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_file_list_dispose;
  object_class->finalize = bm_file_list_finalize;
  object_class->get_property = bm_file_list_get_property;
  object_class->set_property = bm_file_list_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, BM_TYPE_FILE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_TEXT] =
    g_param_spec_string ("filter-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The user picked dataset item @index (click or arrow keys). */
  signals[ACTIVATED] =
    g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bmfilelist");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-file-list.ui");
  gtk_widget_class_bind_template_child (widget_class, BmFileList, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, BmFileList, list_view);
  gtk_widget_class_bind_template_child (widget_class, BmFileList, count_label);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
}

static void
bm_file_list_init (BmFileList *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->terms = bm_file_filter_new (NULL);

  self->filter = gtk_custom_filter_new (NULL, NULL, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
bm_file_list_new (void)
{
  return g_object_new (BM_TYPE_FILE_LIST, NULL);
}

BmFileListModel *
bm_file_list_get_model (BmFileList *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST (self), NULL);
  return self->model;
}

void
bm_file_list_set_model (BmFileList      *self,
                        BmFileListModel *model)
{
  g_return_if_fail (BM_IS_FILE_LIST (self));
  g_return_if_fail (model == NULL || BM_IS_FILE_LIST_MODEL (model));

  if (model == self->model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->summaries_changed_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    self->summaries_changed_id =
      g_signal_connect_swapped (model, "summaries-changed", G_CALLBACK (summaries_changed_cb), self);

  self->selecting = TRUE;
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (model));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  if (model != NULL && bm_file_filter_needs_states (self->terms))
    bm_file_list_model_start_scan (model);
  update_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

const char *
bm_file_list_get_filter_text (BmFileList *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
}

void
bm_file_list_set_filter_text (BmFileList *self,
                              const char *text)
{
  g_return_if_fail (BM_IS_FILE_LIST (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text ? text : "");
  /* GtkSearchEntry reports changes after a delay; the caller wants the result now. */
  filter_changed_cb (self, self->filter_entry);
}

void
bm_file_list_focus_filter (BmFileList *self)
{
  g_return_if_fail (BM_IS_FILE_LIST (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

void
bm_file_list_select_index (BmFileList *self,
                           guint       index)
{
  int pos;

  g_return_if_fail (BM_IS_FILE_LIST (self));

  pos = position_of_index (self, index);
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, pos >= 0 ? (guint) pos : GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  if (pos >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) pos);
}

guint
bm_file_list_get_n_shown (BmFileList *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
}

/* The position to start looking after (@step 1) or before (-1) in a list of @n rows. */
static int
start_position (BmFileList *self,
                int         from_index,
                int         step,
                int         n)
{
  int pos = from_index >= 0 ? position_of_index (self, from_index) : -1;

  if (pos < 0 && from_index >= 0)
    {
      /* The current image is filtered out: continue from where it would be (after every
       * row when none comes after it). */
      pos = step > 0 ? n - 1 : n;
      for (int p = 0; p < n; p++)
        if ((int) index_at (self, p) > from_index)
          {
            pos = step > 0 ? p - 1 : p;
            break;
          }
    }
  else if (pos < 0)
    pos = step > 0 ? -1 : n;
  return pos;
}

int
bm_file_list_find (BmFileList      *self,
                   int              from_index,
                   int              step,
                   BmFileListMatch  match,
                   gpointer         user_data)
{
  int n, pos;

  g_return_val_if_fail (BM_IS_FILE_LIST (self), -1);
  g_return_val_if_fail (step == 1 || step == -1, -1);

  n = bm_file_list_get_n_shown (self);
  if (n == 0 || self->model == NULL)
    return -1;

  pos = start_position (self, from_index, step, n);
  for (pos += step; pos >= 0 && pos < n; pos += step)
    {
      guint index = index_at (self, pos);

      if (match == NULL || match (self->model, index, user_data))
        return index;
    }
  return -1;
}

/* The rows hide items not read yet until the next refilter: show what the search read now,
 * so that the window can select the row it lands on. */
static void
show_states_read (BmFileList *self)
{
  if (!bm_file_filter_needs_states (self->terms))
    return;
  bm_file_list_model_flush (self->model);
  g_clear_handle_id (&self->refilter_source, g_source_remove);
  /* Rows appearing above the selected one move the selection by code: not an activation,
   * which would make the window go to the image again and cancel this very search. */
  self->selecting = TRUE;
  refilter_cb (self);
  self->selecting = FALSE;
}

typedef struct
{
  BmFileListModel *model;
  BmFileListMatch match;
  gpointer match_data;
} FindData;

static void
find_data_free (FindData *data)
{
  g_clear_object (&data->model);
  g_free (data);
}

static gboolean
find_match (BmFileStates *states, guint index, gpointer user_data)
{
  FindData *data = user_data;

  return data->match (data->model, index, data->match_data);
}

static void
search_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  BmFileList *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  GError *error = NULL;
  int index = bm_file_search_finish (BM_FILE_STATES (object), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (self->model != data->model)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The folder was closed"));
  else
    {
      /* Nothing to select when nothing was found: the periodic refilter shows the rest. */
      if (index >= 0)
        show_states_read (self);
      g_task_return_int (task, index);
    }
}

void
bm_file_list_find_async (BmFileList          *self,
                         int                  from_index,
                         int                  step,
                         BmFileListMatch      match,
                         gpointer             match_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (BM_IS_FILE_LIST (self));
  g_return_if_fail (step == 1 || step == -1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_file_list_find_async);
  if (self->model == NULL)
    {
      g_task_return_int (task, -1);
      return;
    }
  data = g_new0 (FindData, 1);
  data->model = g_object_ref (self->model);
  data->match = match;
  data->match_data = match_data;
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  /* the walk is the dataset layer's; the rows are shown here when it lands */
  bm_file_search_async (bm_file_list_model_get_states (self->model), self->terms, from_index, step,
                        match != NULL ? find_match : NULL, data, cancellable, search_done_cb, g_object_ref (task));
}

int
bm_file_list_find_finish (BmFileList    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bm_file_list_find_async, -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

void
bm_file_list_set_extra_terms (BmFileList          *self,
                              BmFileListTermParse  parse,
                              BmFileListTermMatch  match,
                              GDestroyNotify       free_term,
                              gpointer             user_data)
{
  g_return_if_fail (BM_IS_FILE_LIST (self));

  self->extra_parse = parse;
  self->extra_match = match;
  self->extra_free = free_term;
  self->extra_data = user_data;
}

void
bm_file_list_refilter (BmFileList *self)
{
  g_return_if_fail (BM_IS_FILE_LIST (self));

  if (bm_file_filter_get_extra_terms (self->terms) == NULL)
    return;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

void
bm_file_list_set_item_set (BmFileList *self,
                           GArray     *items,
                           const char *description)
{
  g_return_if_fail (BM_IS_FILE_LIST (self));

  g_clear_pointer (&self->item_set, g_hash_table_unref);
  g_clear_pointer (&self->item_set_description, g_free);
  if (items != NULL)
    {
      self->item_set = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < items->len; i++)
        g_hash_table_add (self->item_set, GUINT_TO_POINTER (g_array_index (items, guint, i) + 1));
      self->item_set_description = g_strdup (description);
    }
  apply_filter (self);
  /* the same filter function with other images */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

gboolean
bm_file_list_has_item_set (BmFileList *self)
{
  g_return_val_if_fail (BM_IS_FILE_LIST (self), FALSE);
  return self->item_set != NULL;
}
