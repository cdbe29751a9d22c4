/* bm-preannotate-popover.c: the pre-annotation settings, cascade or YOLO model.
 *
 * A model loads on a worker thread (OpenCV reads it and runs it once to check it). Its classes
 * are mapped to the folder's labels by name — loosely, "storage tank" to "storage-tank" — and
 * the user may type another label, or empty one to skip the class. The model file and the map
 * are remembered per folder (bm_model_detect_remember) when a run starts and when the popover
 * closes, and come back when the folder is opened again.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "core/bm-cascade-names.h"
#include "core/bm-error.h"
#include "dataset/bm-model-detect.h"
#include "bm-preannotate-popover.h"

struct _BmPreannotatePopover
{
  GtkPopover parent_instance;

  GtkStack      *stack;
  GtkDropDown   *cascade;
  GtkSpinButton *scale_factor;
  GtkSpinButton *min_neighbors;
  GtkSpinButton *min_size;
  GtkEntry      *label;
  GtkLabel      *model_name;
  GtkLabel      *model_status;
  GtkSpinButton *conf;
  GtkSpinButton *nms_iou;
  GtkListBox    *class_list;
  GtkSpinButton *iou;
  GtkSpinButton *min_score;
  GtkWidget     *delete_weak;

  BmSession      *session;      /* weak */
  BmClassCatalog *catalog;
  char           *folder;       /* the session's dataset root */
  char           *model_path;   /* loading or loaded */
  BmOnnxModel    *model;
  GCancellable   *loading;
  GPtrArray      *entries;      /* GtkEntry *, one per model class */
  gboolean        map_edited;   /* the map was typed or remembered: no guessing over it */
  gboolean        filling;      /* entries are being set by the popover itself */
};

G_DEFINE_FINAL_TYPE (BmPreannotatePopover, bm_preannotate_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_MIN_SCORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
min_score_changed_cb (BmPreannotatePopover *self)
{
  /* nothing is weak below 0: the button says so by being off */
  gtk_widget_set_sensitive (self->delete_weak, gtk_spin_button_get_value (self->min_score) > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_SCORE]);
}

static void
bm_preannotate_popover_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BmPreannotatePopover *self = BM_PREANNOTATE_POPOVER (object);

  switch (prop_id)
    {
    case PROP_MIN_SCORE:
      g_value_set_double (value, gtk_spin_button_get_value (self->min_score));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_preannotate_popover_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BmPreannotatePopover *self = BM_PREANNOTATE_POPOVER (object);

  switch (prop_id)
    {
    case PROP_MIN_SCORE:
      gtk_spin_button_set_value (self->min_score, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cascade_changed_cb (BmPreannotatePopover *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->cascade);

  if (item != NULL)
    gtk_entry_set_placeholder_text (self->label, gtk_string_object_get_string (item));
}

/* ---- the class map ------------------------------------------------------------------------ */

static void
entry_changed_cb (BmPreannotatePopover *self)
{
  if (!self->filling)
    self->map_edited = TRUE;
}

static void
clear_class_rows (BmPreannotatePopover *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->class_list))) != NULL)
    gtk_list_box_remove (self->class_list, child);
  g_ptr_array_set_size (self->entries, 0);
}

static void
add_class_row (BmPreannotatePopover *self, const char *name)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *model_class = gtk_label_new (name);
  GtkWidget *arrow = gtk_label_new ("→");
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  gtk_widget_set_margin_top (row, 3);
  gtk_widget_set_margin_bottom (row, 3);
  gtk_label_set_xalign (GTK_LABEL (model_class), 0);
  gtk_label_set_ellipsize (GTK_LABEL (model_class), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (model_class), 14);
  gtk_widget_set_hexpand (model_class, TRUE);
  gtk_widget_add_css_class (arrow, "dim-label");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("skipped"));
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 14);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (entry_changed_cb), self);
  gtk_box_append (GTK_BOX (row), model_class);
  gtk_box_append (GTK_BOX (row), arrow);
  gtk_box_append (GTK_BOX (row), entry);
  gtk_list_box_append (self->class_list, row);
  g_ptr_array_add (self->entries, entry);
}

/* Shows @labels (one per model class, NULL: skipped) in the entries. */
static void
fill_map (BmPreannotatePopover *self, GPtrArray *labels)
{
  self->filling = TRUE;
  for (guint i = 0; i < self->entries->len && i < labels->len; i++)
    {
      const char *label = g_ptr_array_index (labels, i);

      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->entries, i)), label != NULL ? label : "");
    }
  self->filling = FALSE;
}

/* The map as typed: an empty or impossible label skips its class. */
static GPtrArray *
current_map (BmPreannotatePopover *self)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->entries, i)));

      g_ptr_array_add (labels, bm_class_catalog_normalize_name (text));
    }
  return labels;
}

static void
guess_map (BmPreannotatePopover *self)
{
  const char *const *classes = self->catalog != NULL ? bm_class_catalog_get_names (self->catalog) : NULL;
  g_autoptr(GPtrArray) labels = NULL;

  if (self->model == NULL)
    return;
  labels = bm_model_class_map_by_name (bm_onnx_model_get_names (self->model), classes);
  fill_map (self, labels);
}

/* The map remembered for this folder and model, else the guess by name. */
static void
restore_map (BmPreannotatePopover *self)
{
  g_autofree char *text = NULL;
  g_autofree char *remembered = self->folder != NULL ? bm_model_detect_recall (self->folder, &text) : NULL;
  g_autoptr(GPtrArray) labels = NULL;

  self->map_edited = FALSE;
  if (remembered != NULL && text != NULL && g_strcmp0 (remembered, self->model_path) == 0)
    labels = bm_model_class_map_parse (text, strlen (text), remembered, bm_onnx_model_get_names (self->model), NULL);
  if (labels == NULL)
    {
      guess_map (self);
      return;
    }
  fill_map (self, labels);
  self->map_edited = TRUE;
}

static void
remember (BmPreannotatePopover *self)
{
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;

  if (self->model == NULL || self->folder == NULL || !self->map_edited)
    return;
  labels = current_map (self);
  if (!bm_model_detect_remember (self->folder, self->model_path, bm_onnx_model_get_names (self->model), labels, &error))
    g_warning ("%s", error->message);
}

/* ---- loading a model ---------------------------------------------------------------------- */

static void
load_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  BmOnnxModel *model = bm_onnx_model_load (task_data, &error);

  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, (GDestroyNotify) bm_onnx_model_unref);
}

static void
show_model_status (BmPreannotatePopover *self)
{
  g_autofree char *text = NULL;
  int width, height;

  bm_onnx_model_get_input_size (self->model, &width, &height);
  text = g_strdup_printf (ngettext ("%s model, %u class, input %d × %d", "%s model, %u classes, input %d × %d",
                                    bm_onnx_model_get_n_classes (self->model)),
                          bm_onnx_model_get_task (self->model) == BM_ONNX_TASK_OBB ? _("Rotated-box (OBB)") : _("Detect"),
                          bm_onnx_model_get_n_classes (self->model), width, height);
  gtk_label_set_text (self->model_status, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->model_status), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->model_status), "dim-label");
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  BmOnnxModel *model = g_task_propagate_pointer (G_TASK (result), &error);
  BmPreannotatePopover *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))   /* another file was chosen, or disposed */
    {
      g_clear_pointer (&model, bm_onnx_model_unref);
      return;
    }
  self = BM_PREANNOTATE_POPOVER (user_data);
  g_clear_object (&self->loading);
  clear_class_rows (self);
  g_clear_pointer (&self->model, bm_onnx_model_unref);
  if (model == NULL)
    {
      gtk_label_set_text (self->model_status, error->message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->model_status), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->model_status), "error");
      return;
    }
  self->model = model;
  for (const char *const *name = bm_onnx_model_get_names (model); *name != NULL; name++)
    add_class_row (self, *name);
  restore_map (self);
  show_model_status (self);
}

void
bm_preannotate_popover_set_model_file (BmPreannotatePopover *self, const char *path)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  g_return_if_fail (path != NULL);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_free (self->model_path);
  self->model_path = g_strdup (path);
  name = g_path_get_basename (path);
  gtk_label_set_text (self->model_name, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->model_name), path);
  gtk_label_set_text (self->model_status, _("Loading…"));
  gtk_stack_set_visible_child_name (self->stack, "model");

  self->loading = g_cancellable_new ();
  /* The task holds the popover until it returns; a cancelled load only drops its result. */
  task = g_task_new (self, self->loading, loaded_cb, self);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_in_thread);
}

static void
chooser_response_cb (BmPreannotatePopover *self, int response, GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        bm_preannotate_popover_set_model_file (self, path);
    }
  g_object_unref (chooser);
}

static void
choose_model_cb (BmPreannotatePopover *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) onnx = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a YOLO Model"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (onnx, _("ONNX models"));
  gtk_file_filter_add_pattern (onnx, "*.onnx");
  gtk_file_filter_add_pattern (onnx, "*.ONNX");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), onnx);
  if (self->model_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->model_path);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_popover_popdown (GTK_POPOVER (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- following the folder ----------------------------------------------------------------- */

static void
dataset_changed_cb (BmPreannotatePopover *self)
{
  BmDataset *dataset = self->session != NULL ? bm_session_get_dataset (self->session) : NULL;
  g_autofree char *remembered = NULL;

  remember (self);
  g_free (self->folder);
  self->folder = dataset != NULL ? g_strdup (bm_dataset_get_root (dataset)) : NULL;
  remembered = self->folder != NULL ? bm_model_detect_recall (self->folder, NULL) : NULL;
  if (remembered != NULL && g_strcmp0 (remembered, self->model_path) != 0)
    bm_preannotate_popover_set_model_file (self, remembered);
  else if (self->model != NULL)
    restore_map (self);
}

/* The folder's labels are still being found when it opens: guess again until the user edits. */
static void
shown_cb (BmPreannotatePopover *self)
{
  if (!self->map_edited)
    guess_map (self);
}

static void
closed_cb (BmPreannotatePopover *self)
{
  remember (self);
}

/* ---- the object --------------------------------------------------------------------------- */

static void
bm_preannotate_popover_dispose (GObject *object)
{
  BmPreannotatePopover *self = BM_PREANNOTATE_POPOVER (object);

  remember (self);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *) &self->session);
      self->session = NULL;
    }
  g_clear_object (&self->catalog);
  gtk_widget_dispose_template (GTK_WIDGET (object), BM_TYPE_PREANNOTATE_POPOVER);
  G_OBJECT_CLASS (bm_preannotate_popover_parent_class)->dispose (object);
}

static void
bm_preannotate_popover_finalize (GObject *object)
{
  BmPreannotatePopover *self = BM_PREANNOTATE_POPOVER (object);

  g_free (self->folder);
  g_free (self->model_path);
  g_clear_pointer (&self->model, bm_onnx_model_unref);
  g_ptr_array_unref (self->entries);
  G_OBJECT_CLASS (bm_preannotate_popover_parent_class)->finalize (object);
}

static void
bm_preannotate_popover_class_init (BmPreannotatePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_preannotate_popover_dispose;
  object_class->get_property = bm_preannotate_popover_get_property;
  object_class->set_property = bm_preannotate_popover_set_property;

  /* Pre-annotations scoring below this are hidden (the window's visibility follows it). */
  properties[PROP_MIN_SCORE] =
    g_param_spec_double ("min-score", NULL, NULL, 0, 100000, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->finalize = bm_preannotate_popover_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-preannotate-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, stack);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, cascade);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, scale_factor);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, min_neighbors);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, min_size);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, label);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, model_name);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, model_status);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, conf);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, nms_iou);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, class_list);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, iou);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, min_score);
  gtk_widget_class_bind_template_child (widget_class, BmPreannotatePopover, delete_weak);
  gtk_widget_class_bind_template_callback (widget_class, cascade_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, min_score_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_model_cb);
  gtk_widget_class_bind_template_callback (widget_class, shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, closed_cb);
}

static void
bm_preannotate_popover_init (BmPreannotatePopover *self)
{
  g_autoptr(GtkStringList) cascades = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_ptr_array_new ();
  /* The cascades Debian's opencv-data installs, known only at run time. */
  cascades = gtk_string_list_new ((const char *const *) bm_cascade_names_list ());
  gtk_drop_down_set_model (self->cascade, G_LIST_MODEL (cascades));
  cascade_changed_cb (self);
}

GtkWidget *
bm_preannotate_popover_new (void)
{
  return g_object_new (BM_TYPE_PREANNOTATE_POPOVER, NULL);
}

void
bm_preannotate_popover_set_context (BmPreannotatePopover *self, BmSession *session, BmClassCatalog *catalog)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  g_return_if_fail (BM_IS_SESSION (session) && BM_IS_CLASS_CATALOG (catalog));
  g_return_if_fail (self->session == NULL);

  self->session = session;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &self->session);
  g_set_object (&self->catalog, catalog);
  g_signal_connect_swapped (session, "notify::dataset", G_CALLBACK (dataset_changed_cb), self);
  dataset_changed_cb (self);
}

BmPreannotateSetup *
bm_preannotate_popover_get_setup (BmPreannotatePopover *self, GError **error)
{
  BmPreannotateSetup *setup;
  const char *name;
  const char *label;

  g_return_val_if_fail (BM_IS_PREANNOTATE_POPOVER (self), NULL);

  setup = g_new0 (BmPreannotateSetup, 1);
  setup->iou = gtk_spin_button_get_value (self->iou);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "model") == 0)
    {
      if (self->model == NULL)
        {
          g_set_error_literal (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                               self->loading != NULL ? _("The YOLO model is still loading.")
                                                     : _("Choose a YOLO model (an ONNX file) first."));
          bm_preannotate_setup_free (setup);
          return NULL;
        }
      self->map_edited = TRUE;   /* a run was made with it: keep it as it is */
      remember (self);
      setup->model = bm_onnx_model_ref (self->model);
      bm_yolo_params_init (&setup->yolo);
      setup->yolo.conf = gtk_spin_button_get_value (self->conf);
      setup->yolo.iou = gtk_spin_button_get_value (self->nms_iou);
      setup->labels = current_map (self);
      return setup;
    }
  name = bm_cascade_names_list ()[gtk_drop_down_get_selected (self->cascade)];
  label = gtk_editable_get_text (GTK_EDITABLE (self->label));
  setup->cascade_path = bm_cascade_names_resolve (name);
  bm_detector_params_init (&setup->params);
  setup->params.scale_factor = gtk_spin_button_get_value (self->scale_factor);
  setup->params.min_neighbors = gtk_spin_button_get_value_as_int (self->min_neighbors);
  setup->params.min_width = setup->params.min_height = gtk_spin_button_get_value_as_int (self->min_size);
  setup->label = g_strdup (label != NULL && *label != '\0' ? label : name);
  return setup;
}

void
bm_preannotate_popover_set_min_neighbors (BmPreannotatePopover *self, int min_neighbors)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  gtk_spin_button_set_value (self->min_neighbors, min_neighbors);
}

void
bm_preannotate_popover_set_iou (BmPreannotatePopover *self, double iou)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  gtk_spin_button_set_value (self->iou, iou);
}

gboolean
bm_preannotate_popover_is_loading (BmPreannotatePopover *self)
{
  g_return_val_if_fail (BM_IS_PREANNOTATE_POPOVER (self), FALSE);
  return self->loading != NULL;
}

BmOnnxModel *
bm_preannotate_popover_get_model (BmPreannotatePopover *self)
{
  g_return_val_if_fail (BM_IS_PREANNOTATE_POPOVER (self), NULL);
  return self->model;
}

const char *
bm_preannotate_popover_get_class_label (BmPreannotatePopover *self, guint class_id)
{
  g_return_val_if_fail (BM_IS_PREANNOTATE_POPOVER (self), NULL);
  g_return_val_if_fail (class_id < self->entries->len, NULL);
  return gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->entries, class_id)));
}

void
bm_preannotate_popover_set_class_label (BmPreannotatePopover *self, guint class_id, const char *label)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  g_return_if_fail (class_id < self->entries->len);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->entries, class_id)), label);
}

void
bm_preannotate_popover_set_mode (BmPreannotatePopover *self, const char *mode)
{
  g_return_if_fail (BM_IS_PREANNOTATE_POPOVER (self));
  gtk_stack_set_visible_child_name (self->stack, mode);
}
