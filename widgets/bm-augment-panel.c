/* bm-augment-panel.c: the source, the preview and its workers. The operation list is in
 * bm-augment-panel-ops.c, Export… in bm-augment-panel-export.c.
 *
 * Three workers, each a BmAugmentJob (the newest request wins): the preview (one sample, made
 * from the settings when it starts; a result for older settings is dropped and the job runs
 * again), the full-resolution detail when zoomed in, and the decoding of an image to show.
 * The folder's partners are lent to the preview worker and come back with its result
 * (BmAugmentPartners). Each operation's drawn parameters are kept (self->draws): changing one
 * operation draws only that one anew.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <glib/gi18n.h>

#include "bm-augment-panel-private.h"

G_DEFINE_FINAL_TYPE (BmAugmentPanel, bm_augment_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SEED,
  PROP_BUSY,
  PROP_DESCRIPTION,
  N_PROPS
};

enum {
  PREVIEW_READY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void set_source (BmAugmentPanel *self, BmImage *image, BmAnnotation *annotation, BmDataset *dataset, guint index);
static void request_detail (BmAugmentPanel *self);

const BmAugmentProfile *
_bm_augment_panel_get_profile (BmAugmentPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->profile_dropdown);

  return bm_augment_profile_get (selected < BM_AUGMENT_N_FRAMEWORKS ? (BmAugmentFramework) selected
                                                                      : BM_AUGMENT_FRAMEWORK_ULTRALYTICS);
}

GArray *
_bm_augment_panel_parse_ops (BmAugmentPanel *self)
{
  g_autofree char *text = bm_augment_panel_dup_cli_ops (self);
  g_autoptr(GError) error = NULL;
  /* through the CLI's own parser: the operations are bit for bit those of --ops TEXT */
  GArray *ops = bm_augment_export_parse_ops (text, _bm_augment_panel_get_profile (self), &error);

  if (ops != NULL)
    return ops;
  if (text[0] != '\0')
    g_critical ("%s", error->message);
  return g_array_new (FALSE, FALSE, sizeof (BmAugmentExportOp));
}

static void
sync_busy (BmAugmentPanel *self)
{
  if (bm_augment_panel_get_busy (self))
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The preview worker ------------------------------------------------------------------------- */

typedef struct
{
  guint source_serial;
  BmAugmentSample *source;
  GArray *ops;                    /* BmAugmentExportOp, in the order they apply */
  guint64 seed;
  guint self_index;               /* of the source in the dataset (0 without one) */
  int chosen_partner;
  BmAugmentPartnersLoan *loan;
  BmAugmentExportDraws draws;     /* in: the panel's; out: what the sample applied */
  gboolean want_original;
  int display_budget;             /* longest side the preview can show without loss */
} PreviewInput;

typedef struct
{
  BmAugmentSample *sample;
  BmTileImage *display;
  double display_scale;
  BmTileImage *original_display;
  double original_scale;
  GError *error;
} PreviewResult;

static void
preview_input_free (PreviewInput *input)
{
  g_clear_pointer (&input->source, bm_augment_sample_free);
  g_clear_pointer (&input->ops, g_array_unref);
  g_clear_pointer (&input->loan, bm_augment_partners_loan_free);
  g_free (input);
}

static void
preview_result_free (PreviewResult *result)
{
  g_clear_pointer (&result->sample, bm_augment_sample_free);
  g_clear_object (&result->display);
  g_clear_object (&result->original_display);
  g_clear_error (&result->error);
  g_free (result);
}

static gpointer
preview_start (gpointer owner, guint generation)
{
  BmAugmentPanel *self = owner;
  PreviewInput *input;

  if (self->image == NULL)
    return NULL;
  input = g_new0 (PreviewInput, 1);
  input->source_serial = self->source_serial;
  input->source = bm_augment_sample_new (self->image, self->annotation, _bm_augment_panel_get_profile (self));
  input->ops = _bm_augment_panel_parse_ops (self);
  input->seed = self->seed;
  input->self_index = self->index != G_MAXUINT ? self->index : 0;
  input->chosen_partner = self->partner;
  input->loan = bm_augment_partners_lend (self->partners, FALSE);
  input->draws = self->draws;
  input->want_original = self->original_serial != self->source_serial;
  input->display_budget = bm_augment_preview_get_display_budget (self->preview);
  return input;
}

/* Sample 0 as `boxmark-cli augment --seed SEED` makes it for this image (the seed of its
 * dataset index, partners drawn from the folder), with the operations kept from before. */
static gpointer
preview_run (gpointer data, GCancellable *cancellable)
{
  PreviewInput *input = data;
  PreviewResult *result = g_new0 (PreviewResult, 1);
  const BmAugmentExportOp *ops = (const BmAugmentExportOp *) input->ops->data;

  bm_augment_partners_loan_prepare (input->loan, FALSE, ops, input->ops->len);
  if (input->want_original)
    result->original_display = bm_augment_preview_make_display (input->source->image, input->display_budget,
                                                                &result->original_scale);
  if (!g_cancellable_set_error_if_cancelled (cancellable, &result->error))
    result->sample = bm_augment_export_make_sample (input->loan->pool, input->loan->cache, ops, input->ops->len,
                                                    input->source, input->self_index, input->chosen_partner,
                                                    bm_augment_export_sample_seed (input->seed, input->self_index, 0),
                                                    &input->draws, NULL, &result->error);
  if (result->sample != NULL)
    result->display = bm_augment_preview_make_display (result->sample->image, input->display_budget,
                                                       &result->display_scale);
  return result;
}

static char *
status_text (const BmAugmentSample *sample)
{
  guint n = bm_augment_sample_get_n_items (sample), dropped = 0;

  for (guint i = 0; i < n; i++)
    dropped += bm_augment_sample_get_item (sample, i)->dropped ? 1 : 0;
  if (dropped == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d × %d px, %u object", "%d × %d px, %u objects", n),
                            sample->image->width, sample->image->height, n);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d × %d px, %u object, %u dropped by the %s rules (grey, dashed)",
                                       "%d × %d px, %u objects, %u dropped by the %s rules (grey, dashed)", n),
                          sample->image->width, sample->image->height, n, dropped, _(sample->profile->name));
}

static void
preview_done (gpointer owner, gpointer data, gpointer value, gboolean current)
{
  BmAugmentPanel *self = owner;
  PreviewInput *input = data;
  PreviewResult *result = value;
  g_autofree char *status = NULL;

  /* the folder's pool and the decoded partners serve the next previews */
  bm_augment_partners_take_back (self->partners, input->loan);
  if (!current)
    return;
  if (result->original_display != NULL && input->source_serial == self->source_serial)
    {
      bm_augment_preview_take_original (self->preview, bm_augment_sample_copy (input->source),
                                        g_steal_pointer (&result->original_display), result->original_scale);
      self->original_serial = input->source_serial;
    }
  if (result->sample == NULL)
    gtk_label_set_text (self->status_label, result->error ? result->error->message : "");
  else
    {
      self->draws = input->draws;
      g_free (self->description);
      self->description = bm_augment_sample_describe (result->sample);
      gtk_label_set_text (self->description_label, self->description);
      status = status_text (result->sample);
      gtk_label_set_text (self->status_label, status);
      bm_augment_preview_take_sample (self->preview, g_steal_pointer (&result->sample),
                                      g_steal_pointer (&result->display), result->display_scale);
      bm_augment_preview_set_message (self->preview, NULL);
      self->shown_generation = bm_augment_job_get_generation (self->preview_job);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
    }
  sync_busy (self);
  request_detail (self);
  g_signal_emit (self, signals[PREVIEW_READY], 0);
}

void
_bm_augment_panel_schedule_update (BmAugmentPanel *self)
{
  g_autofree char *seed = g_strdup_printf (_("Seed %" PRIu64), self->seed);

  gtk_label_set_text (self->seed_label, seed);
  bm_augment_job_request (self->preview_job);
  sync_busy (self);
}

/* Zoomed in: full-resolution displays of what is shown ----------------------------------------- */

typedef struct
{
  BmImage *images[2];             /* sample, original; NULL when not needed */
  BmTileImage *displays[2];
  double scales[2];
  guint generation;               /* of the preview shown */
  guint source_serial;            /* of the original shown */
} Detail;

static void
detail_free (Detail *detail)
{
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&detail->images[i], bm_image_unref);
      g_clear_object (&detail->displays[i]);
    }
  g_free (detail);
}

static gpointer
detail_start (gpointer owner, guint generation)
{
  BmAugmentPanel *self = owner;
  const BmAugmentSample *sample = bm_augment_preview_get_sample (self->preview);
  const BmAugmentSample *original = bm_augment_preview_get_original (self->preview);
  Detail *detail;

  if (bm_augment_preview_get_zoom (self->preview) <= 1.0)
    return NULL;
  detail = g_new0 (Detail, 1);
  if (sample != NULL && bm_augment_preview_get_display_scale (self->preview, FALSE) < 1.0)
    detail->images[0] = bm_image_ref (sample->image);
  if (original != NULL && bm_augment_preview_get_display_scale (self->preview, TRUE) < 1.0)
    detail->images[1] = bm_image_ref (original->image);
  if (detail->images[0] == NULL && detail->images[1] == NULL)
    {
      detail_free (detail);
      return NULL;
    }
  detail->generation = self->shown_generation;
  detail->source_serial = self->original_serial;
  return detail;
}

static gpointer
detail_run (gpointer data, GCancellable *cancellable)
{
  Detail *detail = data;

  for (int i = 0; i < 2; i++)
    if (detail->images[i] != NULL)
      detail->displays[i] = bm_augment_preview_make_display (detail->images[i], 0, &detail->scales[i]);
  return data;   /* the displays travel in the input */
}

static void
detail_done (gpointer owner, gpointer data, gpointer value, gboolean current)
{
  BmAugmentPanel *self = owner;
  Detail *detail = data;

  /* shown only over the very sample and original they were made of */
  if (detail->displays[0] != NULL && detail->generation == self->shown_generation)
    bm_augment_preview_set_display (self->preview, FALSE, detail->displays[0], detail->scales[0]);
  if (detail->displays[1] != NULL && detail->source_serial == self->original_serial)
    bm_augment_preview_set_display (self->preview, TRUE, detail->displays[1], detail->scales[1]);
}

static void
request_detail (BmAugmentPanel *self)
{
  bm_augment_job_request (self->detail_job);
}

/* Decoding an image to show (load_source) -------------------------------------------------------- */

typedef struct
{
  char *path;
  BmAnnotation *annotation;
  BmDataset *dataset;
  guint index;
  BmImage *image;                 /* out */
  GError *error;                  /* out */
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->path);
  g_clear_object (&request->annotation);
  g_clear_object (&request->dataset);
  g_clear_pointer (&request->image, bm_image_unref);
  g_clear_error (&request->error);
  g_free (request);
}

static gpointer
load_start (gpointer owner, guint generation)
{
  BmAugmentPanel *self = owner;

  return g_steal_pointer (&self->wanted_load);
}

static gpointer
load_run (gpointer data, GCancellable *cancellable)
{
  LoadRequest *request = data;

  request->image = bm_image_load (request->path, &request->error);
  return data;
}

static void
load_done (gpointer owner, gpointer data, gpointer value, gboolean current)
{
  BmAugmentPanel *self = owner;
  LoadRequest *request = data;

  if (!current)
    return;   /* another image was asked for meanwhile */
  set_source (self, request->image, request->annotation, request->dataset, request->index);
  if (request->image != NULL)
    self->image_path = g_strdup (request->path);
  else
    bm_augment_preview_set_message (self->preview, request->error->message);
  sync_busy (self);
}

/* Callbacks ---------------------------------------------------------------------------------- */

static void
profile_changed_cb (BmAugmentPanel *self)
{
  /* the partners are cached with the profile of their sample, and copies take ours anyway;
   * every operation is drawn anew under the new framework's rules */
  bm_augment_export_draws_clear (&self->draws);
  _bm_augment_panel_schedule_update (self);
}

static void
partner_changed_cb (BmAugmentPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->partner_dropdown);
  GtkStringObject *item;

  if (self->updating_partners)
    return;
  item = gtk_drop_down_get_selected_item (self->partner_dropdown);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || item == NULL)
    self->partner = -1;
  else
    self->partner = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "index"));
  bm_augment_export_draws_forget (&self->draws, BM_AUGMENT_OP_MIXUP);
  bm_augment_export_draws_forget (&self->draws, BM_AUGMENT_OP_MOSAIC);
  _bm_augment_panel_schedule_update (self);
}

static void
mode_changed_cb (BmAugmentPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->mode_dropdown);

  if (selected <= BM_AUGMENT_PREVIEW_ORIGINAL)
    bm_augment_preview_set_mode (self->preview, (BmAugmentPreviewMode) selected);
}

static void
preview_mode_changed_cb (BmAugmentPanel *self)
{
  gtk_drop_down_set_selected (self->mode_dropdown, bm_augment_preview_get_mode (self->preview));
}

static void
zoom_changed_cb (BmAugmentPanel *self)
{
  request_detail (self);
}

static void
shuffle_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  bm_augment_panel_shuffle (BM_AUGMENT_PANEL (widget));
}

static void
fill_profiles (BmAugmentPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    gtk_string_list_append (list, _(bm_augment_profile_get ((BmAugmentFramework) f)->name));
  gtk_drop_down_set_model (self->profile_dropdown, G_LIST_MODEL (list));
}

/* "Random" and every other image of the folder. */
static void
fill_partners (BmAugmentPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0, n = self->dataset ? bm_dataset_get_n_items (self->dataset) : 0;

  gtk_string_list_append (list, _("Random (by the seed)"));
  for (guint i = 0; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (self->dataset, i);
      g_autofree char *name = NULL;
      GObject *entry;

      if (item->image_path == NULL || i == self->index)
        continue;
      name = g_path_get_basename (item->image_path);
      gtk_string_list_append (list, name);
      entry = g_list_model_get_item (G_LIST_MODEL (list), g_list_model_get_n_items (G_LIST_MODEL (list)) - 1);
      g_object_set_data (entry, "index", GUINT_TO_POINTER (i));
      if ((int) i == self->partner)
        selected = g_list_model_get_n_items (G_LIST_MODEL (list)) - 1;
      g_object_unref (entry);
    }
  if (selected == 0)
    self->partner = -1;
  self->updating_partners = TRUE;
  gtk_drop_down_set_model (self->partner_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->partner_dropdown, selected);
  self->updating_partners = FALSE;
}

/* GObject -------------------------------------------------------------------------------------- */

static void annotation_changed_cb (BmAugmentPanel *self);

static void
bm_augment_panel_dispose (GObject *object)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  GtkWidget *child;

  g_clear_pointer (&self->preview_job, bm_augment_job_close);
  g_clear_pointer (&self->detail_job, bm_augment_job_close);
  g_clear_pointer (&self->load_job, bm_augment_job_close);
  g_clear_pointer (&self->wanted_load, load_request_free);
  _bm_augment_panel_dispose_operations (self);
  /* The template's root box is not bound to a field, so unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->image, bm_image_unref);
  if (self->annotation != NULL)
    g_signal_handlers_disconnect_by_func (self->annotation, annotation_changed_cb, self);
  g_clear_object (&self->annotation);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->partners, bm_augment_partners_free);

  G_OBJECT_CLASS (bm_augment_panel_parent_class)->dispose (object);
}

static void
bm_augment_panel_finalize (GObject *object)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);

  g_free (self->description);
  g_free (self->image_path);

  G_OBJECT_CLASS (bm_augment_panel_parent_class)->finalize (object);
}

static void
bm_augment_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);

  switch (prop_id)
    {
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, bm_augment_panel_get_busy (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, bm_augment_panel_get_description (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_augment_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);

  switch (prop_id)
    {
    case PROP_SEED:
      bm_augment_panel_set_seed (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_augment_panel_class_init (BmAugmentPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bm_augment_panel_dispose;
  object_class->finalize = bm_augment_panel_finalize;
  object_class->get_property = bm_augment_panel_get_property;
  object_class->set_property = bm_augment_panel_set_property;

  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The preview shows a sample for the current source and settings. */
  signals[PREVIEW_READY] =
    g_signal_new ("preview-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "augment.shuffle", NULL, shuffle_action);
  gtk_widget_class_install_action (widget_class, "augment.export", NULL, _bm_augment_panel_export_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bmaugmentpanel");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/boxmark/Boxmark/ui/bm-augment-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, ops_box);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, partner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, count_spin);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, seed_label);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, preview);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, BmAugmentPanel, description_label);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, partner_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_changed_cb);

  g_type_ensure (BM_TYPE_AUGMENT_PREVIEW);
}

static void
bm_augment_panel_init (BmAugmentPanel *self)
{
  self->seed = 1;
  self->partner = -1;
  self->index = G_MAXUINT;
  self->source_serial = 1;
  self->updating_partners = TRUE;
  self->partners = bm_augment_partners_new ();
  self->preview_job = bm_augment_job_new (self, preview_start, preview_run, preview_done,
                                          (GDestroyNotify) preview_input_free, (GDestroyNotify) preview_result_free);
  self->detail_job = bm_augment_job_new (self, detail_start, detail_run, detail_done, (GDestroyNotify) detail_free, NULL);
  self->load_job = bm_augment_job_new (self, load_start, load_run, load_done, (GDestroyNotify) load_request_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  fill_profiles (self);
  _bm_augment_panel_fill_formats (self);
  _bm_augment_panel_build_operations (self);
  fill_partners (self);
  gtk_check_button_set_active (self->op_checks[BM_AUGMENT_OP_ROTATE], TRUE);
  g_signal_connect_object (self->preview, "notify::mode", G_CALLBACK (preview_mode_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preview, "notify::zoom", G_CALLBACK (zoom_changed_cb), self, G_CONNECT_SWAPPED);
  bm_augment_preview_set_message (self->preview, _("No image"));
}

GtkWidget *
bm_augment_panel_new (void)
{
  return g_object_new (BM_TYPE_AUGMENT_PANEL, NULL);
}

/* The source ------------------------------------------------------------------------------------- */

/* Edits on the canvas show in the preview: the original and the sample are made again, with the
 * operations' parameters kept. */
static void
annotation_changed_cb (BmAugmentPanel *self)
{
  self->source_serial++;
  _bm_augment_panel_schedule_update (self);
}

void
bm_augment_panel_set_source (BmAugmentPanel *self,
                             BmImage        *image,
                             BmAnnotation   *annotation,
                             BmDataset      *dataset,
                             guint           index)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  /* a load still running is for an image no longer wanted */
  g_clear_pointer (&self->wanted_load, load_request_free);
  bm_augment_job_request (self->load_job);
  set_source (self, image, annotation, dataset, index);
}

static void
set_source (BmAugmentPanel *self,
            BmImage        *image,
            BmAnnotation   *annotation,
            BmDataset      *dataset,
            guint           index)
{
  index = dataset != NULL && index < bm_dataset_get_n_items (dataset) ? index : G_MAXUINT;
  /* another image draws everything from its own seed */
  if (image != self->image || dataset != self->dataset || index != self->index)
    bm_augment_export_draws_clear (&self->draws);
  if (image != self->image)
    g_clear_pointer (&self->image_path, g_free);
  if (image != NULL)
    bm_image_ref (image);
  g_clear_pointer (&self->image, bm_image_unref);
  self->image = image;
  if (annotation != self->annotation)
    {
      if (self->annotation != NULL)
        g_signal_handlers_disconnect_by_func (self->annotation, annotation_changed_cb, self);
      g_set_object (&self->annotation, annotation);
      if (annotation != NULL)
        g_signal_connect_swapped (annotation, "changed", G_CALLBACK (annotation_changed_cb), self);
    }
  if (dataset != self->dataset)
    {
      g_set_object (&self->dataset, dataset);
      self->partner = -1;
    }
  /* another folder: its pool is built when partners are first wanted; another image of the
   * same folder keeps it (saves reach it through bm_augment_panel_labels_saved) */
  bm_augment_partners_set_dataset (self->partners, dataset);
  self->index = index;
  /* a partner chosen by hand stays, unless it is now the image itself */
  if (self->partner >= 0 && (guint) self->partner == self->index)
    self->partner = -1;
  fill_partners (self);
  self->source_serial++;
  if (image == NULL)
    {
      bm_augment_preview_take_sample (self->preview, NULL, NULL, 1.0);
      bm_augment_preview_take_original (self->preview, NULL, NULL, 1.0);
      bm_augment_preview_set_message (self->preview, _("No image"));
      gtk_label_set_text (self->description_label, "");
      gtk_label_set_text (self->status_label, "");
    }
  else
    bm_augment_preview_set_message (self->preview, NULL);
  _bm_augment_panel_schedule_update (self);
}

void
bm_augment_panel_load_source (BmAugmentPanel *self,
                              BmAnnotation   *annotation,
                              BmDataset      *dataset,
                              guint           index)
{
  LoadRequest *request;
  const char *path = NULL;

  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  if (dataset != NULL && index < bm_dataset_get_n_items (dataset))
    path = bm_dataset_get_item (dataset, index)->image_path;
  if (path == NULL && annotation != NULL)
    path = bm_annotation_get_image_path (annotation);
  if (path == NULL || (self->image != NULL && g_strcmp0 (path, self->image_path) == 0))
    {
      /* nothing to decode, or the same image: set_source keeps it and its path */
      g_autoptr(BmImage) image = path != NULL ? bm_image_ref (self->image) : NULL;

      bm_augment_panel_set_source (self, image, annotation, dataset, index);
      return;
    }
  request = g_new0 (LoadRequest, 1);
  request->path = g_strdup (path);
  request->annotation = annotation ? g_object_ref (annotation) : NULL;
  request->dataset = dataset ? g_object_ref (dataset) : NULL;
  request->index = index;
  g_clear_pointer (&self->wanted_load, load_request_free);
  self->wanted_load = request;
  bm_augment_preview_set_message (self->preview, _("Loading…"));
  bm_augment_job_request (self->load_job);
  sync_busy (self);
}

BmAugmentPreview *
bm_augment_panel_get_preview (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), NULL);
  return self->preview;
}

BmAugmentFramework
bm_augment_panel_get_framework (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), BM_AUGMENT_FRAMEWORK_ULTRALYTICS);
  return _bm_augment_panel_get_profile (self)->framework;
}

void
bm_augment_panel_set_framework (BmAugmentPanel     *self,
                                BmAugmentFramework  framework)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (framework < BM_AUGMENT_N_FRAMEWORKS);

  gtk_drop_down_set_selected (self->profile_dropdown, framework);
}

guint64
bm_augment_panel_get_seed (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), 0);
  return self->seed;
}

void
bm_augment_panel_set_seed (BmAugmentPanel *self,
                           guint64         seed)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));

  if (seed == self->seed)
    return;
  self->seed = seed;
  /* another seed: every operation drawn anew, as `boxmark-cli augment --seed` draws them */
  bm_augment_export_draws_clear (&self->draws);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
  _bm_augment_panel_schedule_update (self);
}

void
bm_augment_panel_shuffle (BmAugmentPanel *self)
{
  guint64 seed;

  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));

  /* short seeds, so a user can note one down and type it into boxmark-cli */
  do
    seed = (guint64) g_random_int_range (1, 1000000);
  while (seed == self->seed);
  bm_augment_panel_set_seed (self, seed);
}

void
bm_augment_panel_set_partner (BmAugmentPanel *self,
                              int             index)
{
  GListModel *model;

  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));

  model = gtk_drop_down_get_model (self->partner_dropdown);
  for (guint i = 1; index >= 0 && model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) entry = g_list_model_get_item (model, i);

      if (GPOINTER_TO_INT (g_object_get_data (entry, "index")) == index)
        {
          gtk_drop_down_set_selected (self->partner_dropdown, i);
          return;
        }
    }
  gtk_drop_down_set_selected (self->partner_dropdown, 0);
}

void
bm_augment_panel_labels_saved (BmAugmentPanel *self,
                               BmDataset      *dataset,
                               guint           index)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  /* another folder's pool, if any, is built from the disk when it is first wanted */
  if (dataset == NULL || dataset != self->dataset)
    return;
  bm_augment_partners_labels_saved (self->partners, index);
  /* a new label file may be a new partner candidate, and changes the draw */
  if (bm_augment_partners_has_pool (self->partners) && self->image != NULL)
    _bm_augment_panel_schedule_update (self);
}

void
bm_augment_panel_labels_rewritten (BmAugmentPanel *self)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));

  /* Many label files changed (a batch run): the pool is built again from the disk when next
   * wanted, and partners decoded so far are read again. */
  bm_augment_partners_labels_rewritten (self->partners);
  if (self->image != NULL)
    _bm_augment_panel_schedule_update (self);
}

guint
bm_augment_panel_get_n_pool_builds (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), 0);
  return bm_augment_partners_get_n_builds (self->partners);
}

gboolean
bm_augment_panel_get_busy (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), FALSE);
  if (self->preview_job == NULL)
    return FALSE;
  return bm_augment_job_is_pending (self->load_job)
         || (self->image != NULL && bm_augment_job_is_pending (self->preview_job));
}

const char *
bm_augment_panel_get_description (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), "");
  return self->description ? self->description : "";
}
