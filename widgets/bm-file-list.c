/* bm-file-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-list.h"

#include <glib/gi18n.h>

#include "bm-file-row.h"

/* Re-filtering 100,000 rows on every scan step would be wasteful. */
#define REFILTER_INTERVAL_MS 400

/* bm_file_list_find_async(): items looked at per main-loop turn, and how many unread states
 * are sent to the worker at once (few first, as the next match is often close). */
#define FIND_SLICE       8192
#define FIND_FIRST_BATCH 32
#define FIND_MAX_BATCH   2048

typedef struct
{
  GPtrArray *names;       /* casefolded substrings */
  GPtrArray *labels;
  int verified;           /* -1 any, 0 no, 1 yes */
  int problem;
  int empty;
} FilterTerms;

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
  FilterTerms terms;
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

static void
filter_terms_clear (FilterTerms *terms)
{
  g_clear_pointer (&terms->names, g_ptr_array_unref);
  g_clear_pointer (&terms->labels, g_ptr_array_unref);
  terms->verified = terms->problem = terms->empty = -1;
}

static gboolean
filter_terms_empty (const FilterTerms *terms)
{
  return terms->names == NULL && terms->labels == NULL &&
         terms->verified < 0 && terms->problem < 0 && terms->empty < 0;
}

static gboolean
filter_terms_need_labels (const FilterTerms *terms)
{
  return terms->labels != NULL || terms->verified >= 0 || terms->problem >= 0 || terms->empty >= 0;
}

static int
parse_yes_no (const char *value)
{
  if (g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "true") == 0 || strcmp (value, "1") == 0)
    return 1;
  if (g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "false") == 0 || strcmp (value, "0") == 0)
    return 0;
  return -1;
}

static void
add_term (GPtrArray **array,
          char       *value)
{
  if (*array == NULL)
    *array = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (*array, value);
}

static void
filter_terms_parse (FilterTerms *terms,
                    const char  *text)
{
  g_auto(GStrv) words = NULL;

  filter_terms_clear (terms);
  if (text == NULL || *text == '\0')
    return;
  /* Shell quoting lets a label with spaces be one word; unbalanced quotes fall back to spaces. */
  if (!g_shell_parse_argv (text, NULL, &words, NULL))
    words = g_strsplit_set (text, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      const char *colon = strchr (word, ':');

      if (*word == '\0')
        continue;
      if (colon != NULL && colon[1] != '\0')
        {
          g_autofree char *key = g_ascii_strdown (word, colon - word);
          const char *value = colon + 1;

          if (strcmp (key, "label") == 0)
            {
              add_term (&terms->labels, g_strdup (value));
              continue;
            }
          if (strcmp (key, "verified") == 0 && parse_yes_no (value) >= 0)
            {
              terms->verified = parse_yes_no (value);
              continue;
            }
          if (strcmp (key, "problem") == 0 && parse_yes_no (value) >= 0)
            {
              terms->problem = parse_yes_no (value);
              continue;
            }
          if (strcmp (key, "empty") == 0 && parse_yes_no (value) >= 0)
            {
              terms->empty = parse_yes_no (value);
              continue;
            }
        }
      add_term (&terms->names, g_utf8_casefold (word, -1));
    }
}

static gboolean
names_match (const FilterTerms *terms,
             const char        *name)
{
  g_autofree char *folded = NULL;

  if (terms->names == NULL)
    return TRUE;
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < terms->names->len; i++)
    if (strstr (folded, g_ptr_array_index (terms->names, i)) == NULL)
      return FALSE;
  return TRUE;
}

/* The terms about labels, for an item whose label file was read (@state is not UNKNOWN). */
static gboolean
labels_match (BmFileList  *self,
              guint        index,
              BmFileState  state,
              int          n_objects)
{
  const FilterTerms *terms = &self->terms;

  if (terms->verified >= 0 && (state == BM_FILE_STATE_VERIFIED) != terms->verified)
    return FALSE;
  if (terms->problem >= 0 && (state == BM_FILE_STATE_PROBLEM) != terms->problem)
    return FALSE;
  if (terms->empty >= 0 && (n_objects <= 0) != terms->empty)
    return FALSE;
  if (terms->labels != NULL)
    for (guint i = 0; i < terms->labels->len; i++)
      if (!bm_file_list_model_has_label (self->model, index, g_ptr_array_index (terms->labels, i)))
        return FALSE;
  return TRUE;
}

/* Whether rows are filtered at all: by the text, or by a chart's images. */
static gboolean
filtering (BmFileList *self)
{
  return !filter_terms_empty (&self->terms) || self->item_set != NULL;
}

static gboolean
filter_match (gpointer item,
              gpointer user_data)
{
  BmFileList *self = user_data;
  BmFileItem *file = item;
  BmFileState state = bm_file_item_get_state (file);

  if (self->item_set != NULL
      && !g_hash_table_contains (self->item_set, GUINT_TO_POINTER (bm_file_item_get_index (file) + 1)))
    return FALSE;
  if (!names_match (&self->terms, bm_file_item_get_name (file)))
    return FALSE;
  if (!filter_terms_need_labels (&self->terms))
    return TRUE;
  if (state == BM_FILE_STATE_UNKNOWN)
    return FALSE;   /* shown once the background scan has read it */
  return labels_match (self, bm_file_item_get_index (file), state, bm_file_item_get_n_objects (file));
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
  if (filter_terms_need_labels (&self->terms))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
  return G_SOURCE_REMOVE;
}

static void
summaries_changed_cb (BmFileList      *self,
                      BmFileListModel *model)
{
  gboolean scanned = bm_file_list_model_is_scanned (model);

  if (!filter_terms_need_labels (&self->terms))
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
  filter_terms_parse (&self->terms, gtk_editable_get_text (GTK_EDITABLE (entry)));
  if (filter_terms_need_labels (&self->terms) && self->model != NULL)
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
  filter_terms_clear (&self->terms);
  g_clear_pointer (&self->item_set, g_hash_table_unref);
  g_clear_pointer (&self->item_set_description, g_free);

  G_OBJECT_CLASS (bm_file_list_parent_class)->dispose (object);
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
  filter_terms_clear (&self->terms);

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
  if (model != NULL && filter_terms_need_labels (&self->terms))
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

/* bm_file_list_find_async() walks the items, not the rows shown: while the filter needs labels
 * the rows hide every item not read yet, and those must be read before it can say where the
 * next match is or that there is none. */
typedef struct
{
  BmFileListModel *model;
  int step;
  BmFileListMatch match;
  gpointer match_data;
  int index;              /* the next item to look at */
  guint batch;            /* how many unread states to ask for next */
} FindData;

static void
find_data_free (FindData *data)
{
  g_clear_object (&data->model);
  g_free (data);
}

static void find_continue (GTask *task);

static void
states_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bm_file_list_model_read_states_finish (BM_FILE_LIST_MODEL (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  find_continue (task);
}

/* Whether the search must know the state of @index before it can pass it. */
static gboolean
needs_state (BmFileList *self,
             FindData   *data,
             guint       index)
{
  return (data->match != NULL || filter_terms_need_labels (&self->terms)) &&
         !bm_file_list_model_is_item_scanned (data->model, index) &&
         names_match (&self->terms, bm_file_list_model_get_name (data->model, index));
}

/* Sends the unread states from item data->index on to the worker; the search goes on after. */
static void
read_states_ahead (GTask *task,
                   int    n)
{
  BmFileList *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  g_autoptr(GArray) indices = g_array_sized_new (FALSE, FALSE, sizeof (guint), data->batch);

  for (int index = data->index; index >= 0 && index < n && indices->len < data->batch; index += data->step)
    if (needs_state (self, data, index))
      g_array_append_val (indices, index);
  data->batch = MIN (data->batch * 2, FIND_MAX_BATCH);
  bm_file_list_model_read_states_async (data->model, (const guint *) indices->data, indices->len,
                                        g_task_get_cancellable (task), states_read_cb, g_object_ref (task));
}

static gboolean
find_idle_cb (gpointer user_data)
{
  find_continue (user_data);
  return G_SOURCE_REMOVE;
}

/* Whether the filter shows item @index once its state is known (it is, or is not needed). */
static gboolean
shown_when_read (BmFileList *self,
                 guint       index)
{
  BmFileState state = BM_FILE_STATE_UNKNOWN;
  int n_objects = -1;

  if (!names_match (&self->terms, bm_file_list_model_get_name (self->model, index)))
    return FALSE;
  if (!filter_terms_need_labels (&self->terms))
    return TRUE;
  if (!bm_file_list_model_peek_summary (self->model, index, &state, &n_objects))
    return FALSE;
  return labels_match (self, index, state, n_objects);
}

/* The rows hide items not read yet until the next refilter: show what the search read now,
 * so that the window can select the row it lands on. */
static void
show_states_read (BmFileList *self)
{
  if (!filter_terms_need_labels (&self->terms))
    return;
  bm_file_list_model_flush (self->model);
  g_clear_handle_id (&self->refilter_source, g_source_remove);
  /* Rows appearing above the selected one move the selection by code: not an activation,
   * which would make the window go to the image again and cancel this very search. */
  self->selecting = TRUE;
  refilter_cb (self);
  self->selecting = FALSE;
}

static void
find_return (GTask *task,
             int    index)
{
  /* Nothing to select when nothing was found: the periodic refilter shows the rest. */
  if (index >= 0)
    show_states_read (g_task_get_source_object (task));
  g_task_return_int (task, index);
}

static void
find_continue (GTask *task)
{
  BmFileList *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  int n = g_list_model_get_n_items (G_LIST_MODEL (data->model));

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->model != data->model)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The folder was closed"));
      return;
    }

  for (guint looked = 0; data->index >= 0 && data->index < n; data->index += data->step)
    {
      guint index = data->index;

      if (looked++ == FIND_SLICE)
        {
          /* Let the window draw and take keys before looking further. */
          g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, find_idle_cb, g_object_ref (task), g_object_unref);
          return;
        }
      if (needs_state (self, data, index))
        {
          read_states_ahead (task, n);
          return;
        }
      if (!shown_when_read (self, index))
        continue;
      if (data->match == NULL || data->match (data->model, index, data->match_data))
        {
          find_return (task, index);
          return;
        }
    }
  find_return (task, -1);
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
  int n;

  g_return_if_fail (BM_IS_FILE_LIST (self));
  g_return_if_fail (step == 1 || step == -1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_file_list_find_async);

  if (self->model == NULL)
    {
      g_task_return_int (task, -1);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  data = g_new0 (FindData, 1);
  data->model = g_object_ref (self->model);
  data->step = step;
  data->match = match;
  data->match_data = match_data;
  if (from_index < 0)
    data->index = step > 0 ? 0 : n - 1;
  else
    data->index = MIN (from_index, n) + step;
  data->batch = FIND_FIRST_BATCH;
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  find_continue (task);
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
