/* bm-augment-panel.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-panel.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-class-list.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "formats/bm-yolo.h"

#define SIDECAR_DIR        "augment"
#define PARTNER_CACHE_SIZE 8
#define EXPORT_QUALITY     95
#define MAX_PARTNERS       4

/* Operations in the order the preview applies them (Ultralytics' order: mosaic, affine, mixup,
 * colour, flips), each with a title. */
static const struct
{
  BmAugmentOpKind kind;
  const char *title;
  const char *tooltip;
} pipeline[] = {
  { BM_AUGMENT_OP_MOSAIC, N_("Mosaic"), N_("2×2 mosaic with three other images of the folder (Ultralytics)") },
  { BM_AUGMENT_OP_ROTATE, N_("Rotate"), N_("Angle drawn from ±range, counter-clockwise positive; canvas and box rule from the framework") },
  { BM_AUGMENT_OP_SCALE, N_("Scale"), N_("Resize by a factor drawn from 1 ± range") },
  { BM_AUGMENT_OP_CROP, N_("Random crop"), N_("Crop window of at least the minimum scale; the framework decides which boxes survive") },
  { BM_AUGMENT_OP_EXPAND, N_("Expand (zoom out)"), N_("Canvas up to ratio × the image, filled with the framework’s colour") },
  { BM_AUGMENT_OP_MIXUP, N_("Mixup"), N_("Blend with another image of the folder; λ from the framework’s Beta(α, α)") },
  { BM_AUGMENT_OP_CUTOUT, N_("Cutout"), N_("Erase random holes; the framework decides what happens to covered boxes") },
  { BM_AUGMENT_OP_HSV, N_("HSV jitter"), N_("Ultralytics RandomHSV gains; boxes never move") },
  { BM_AUGMENT_OP_BRIGHTNESS, N_("Brightness"), N_("Factor drawn from 1 ± range; boxes never move") },
  { BM_AUGMENT_OP_CONTRAST, N_("Contrast"), N_("Factor drawn from 1 ± range; boxes never move") },
  { BM_AUGMENT_OP_HFLIP, N_("Flip horizontally"), NULL },
  { BM_AUGMENT_OP_VFLIP, N_("Flip vertically"), NULL },
  { BM_AUGMENT_OP_LETTERBOX, N_("Letterbox"), N_("Resize and pad to the network’s square input (Ultralytics LetterBox)") },
};

typedef enum
{
  PARAM_ROTATE_DEGREES,
  PARAM_ROTATE_SCALE,
  PARAM_SCALE_RANGE,
  PARAM_CROP_MIN_SCALE,
  PARAM_EXPAND_RATIO,
  PARAM_CUTOUT_HOLES,
  PARAM_CUTOUT_SIZE,
  PARAM_HSV_H,
  PARAM_HSV_S,
  PARAM_HSV_V,
  PARAM_BRIGHTNESS,
  PARAM_CONTRAST,
  PARAM_SIZE,
  N_PARAMS
} ParamId;

/* The mosaic and letterbox rows share one "size" adjustment: the engine has one output size. */
static const struct
{
  const char *id;
  BmAugmentOpKind kind;
  BmAugmentOpKind also;           /* a second operation showing the same adjustment, or N_OPS */
  const char *label;
  double lower, upper, step, value;
  int digits;
  gboolean spin;
} params[N_PARAMS] = {
  [PARAM_ROTATE_DEGREES] = { "rotate.degrees", BM_AUGMENT_OP_ROTATE, BM_AUGMENT_N_OPS, N_("Angle ± (°)"), 0, 180, 1, 30, 0, FALSE },
  [PARAM_ROTATE_SCALE] = { "rotate.scale", BM_AUGMENT_OP_ROTATE, BM_AUGMENT_N_OPS, N_("Scale ±"), 0, 0.9, 0.05, 0, 2, FALSE },
  [PARAM_SCALE_RANGE] = { "scale.range", BM_AUGMENT_OP_SCALE, BM_AUGMENT_N_OPS, N_("Factor ±"), 0, 0.9, 0.05, 0.5, 2, FALSE },
  [PARAM_CROP_MIN_SCALE] = { "crop.min-scale", BM_AUGMENT_OP_CROP, BM_AUGMENT_N_OPS, N_("Minimum scale"), 0.1, 1, 0.05, 0.3, 2, FALSE },
  [PARAM_EXPAND_RATIO] = { "expand.ratio", BM_AUGMENT_OP_EXPAND, BM_AUGMENT_N_OPS, N_("Ratio up to"), 1, 4, 0.1, 2, 1, FALSE },
  [PARAM_CUTOUT_HOLES] = { "cutout.holes", BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_N_OPS, N_("Holes up to"), 1, BM_AUGMENT_MAX_HOLES, 1, 2, 0, TRUE },
  [PARAM_CUTOUT_SIZE] = { "cutout.size", BM_AUGMENT_OP_CUTOUT, BM_AUGMENT_N_OPS, N_("Hole side up to"), 0.05, 0.5, 0.01, 0.2, 2, FALSE },
  [PARAM_HSV_H] = { "hsv.h", BM_AUGMENT_OP_HSV, BM_AUGMENT_N_OPS, N_("Hue gain"), 0, 0.5, 0.005, 0.015, 3, FALSE },
  [PARAM_HSV_S] = { "hsv.s", BM_AUGMENT_OP_HSV, BM_AUGMENT_N_OPS, N_("Saturation gain"), 0, 1, 0.05, 0.7, 2, FALSE },
  [PARAM_HSV_V] = { "hsv.v", BM_AUGMENT_OP_HSV, BM_AUGMENT_N_OPS, N_("Value gain"), 0, 1, 0.05, 0.4, 2, FALSE },
  [PARAM_BRIGHTNESS] = { "brightness.factor", BM_AUGMENT_OP_BRIGHTNESS, BM_AUGMENT_N_OPS, N_("Factor ±"), 0, 0.9, 0.05, 0.5, 2, FALSE },
  [PARAM_CONTRAST] = { "contrast.factor", BM_AUGMENT_OP_CONTRAST, BM_AUGMENT_N_OPS, N_("Factor ±"), 0, 0.9, 0.05, 0.5, 2, FALSE },
  [PARAM_SIZE] = { "mosaic.size", BM_AUGMENT_OP_MOSAIC, BM_AUGMENT_OP_LETTERBOX, N_("Output size (px)"), 32, 2048, 32, 640, 0, TRUE },
};

static const char *const export_format_names[] = { "Pascal VOC", "DOTA", "YOLO", "YOLO OBB", NULL };

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

  /* Built in init */
  GtkCheckButton *op_checks[BM_AUGMENT_N_OPS];
  GtkWidget *op_params[BM_AUGMENT_N_OPS];       /* box of parameter rows, or NULL */
  GtkAdjustment *adjustments[N_PARAMS];

  /* Owned references */
  BmImage *image;
  BmAnnotation *annotation;
  BmDataset *dataset;
  guint index;
  GHashTable *partners;           /* dataset index → BmAugmentSample*, loaded in workers */
  GCancellable *cancellable;
  char *description;
  char *image_path;               /* of @image when load_source decoded it */

  guint64 seed;
  int partner;                    /* dataset index, -1 = by the seed */
  guint source_serial;            /* bumped by set_source */
  guint generation;               /* bumped by every change that needs a new preview */
  guint shown_generation;
  guint original_serial;          /* source_serial of the original shown */
  guint load_serial;              /* bumped by every load_source and set_source */
  gboolean running;
  gboolean detail_running;
  gboolean loading;               /* load_source is decoding an image */
  gboolean updating_partners;
};

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

static void schedule_update (BmAugmentPanel *self);
static void annotation_changed_cb (BmAugmentPanel *self);

/* SplitMix64 */
static guint64
mix64 (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Sample 0 is the preview; later samples of an export get seeds of their own. */
static guint64
sample_seed (guint64 seed, guint k)
{
  return k == 0 ? seed : mix64 (mix64 (seed) ^ k);
}

/* Jobs: what a worker needs, all of it owned by the job -------------------------------------- */

typedef struct
{
  guint index;                    /* dataset index */
  BmDatasetItem item;             /* borrowed strings of the dataset, which the job references */
  BmAugmentSample *sample;        /* from the cache (a copy), or NULL: loaded by the worker */
} Partner;

typedef struct
{
  guint generation;
  guint source_serial;
  BmAugmentSample *source;
  BmDataset *dataset;
  GArray *partners;               /* Partner */
  GArray *kinds;                  /* BmAugmentOpKind */
  BmAugmentSettings settings;
  guint64 seed;
  gboolean want_original;
  int display_budget;             /* longest side the preview can show without loss */
  guint self_index;               /* of the source in the dataset */
  int chosen_partner;
  /* export only */
  char *out_dir;
  BmAugmentExportFormat format;
  guint n;
  char *image_path;
  BmClassList *classes;
  gboolean verified;
} Job;

typedef struct
{
  guint generation;
  guint source_serial;
  BmAugmentSample *sample;
  BmTileImage *display;
  double display_scale;
  BmTileImage *original_display;
  double original_scale;
  GArray *partners;               /* Partner, with the samples the worker loaded */
  GError *error;
} Result;

static void
partner_clear (gpointer data)
{
  Partner *p = data;

  g_clear_pointer (&p->sample, bm_augment_sample_free);
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->source, bm_augment_sample_free);
  g_clear_pointer (&job->partners, g_array_unref);
  g_clear_pointer (&job->kinds, g_array_unref);
  g_clear_object (&job->dataset);
  g_clear_pointer (&job->classes, bm_class_list_unref);
  g_free (job->out_dir);
  g_free (job->image_path);
  g_free (job);
}

static void
result_free (Result *result)
{
  g_clear_pointer (&result->sample, bm_augment_sample_free);
  g_clear_object (&result->display);
  g_clear_object (&result->original_display);
  g_clear_pointer (&result->partners, g_array_unref);
  g_clear_error (&result->error);
  g_free (result);
}

/* The partners of a sample drawn with @seed: the chosen one, or distinct other images of the
 * folder picked by a generator of their own (so op parameters do not depend on the folder). */
static GArray *
choose_partners (BmDataset *dataset, guint self_index, int chosen, guint want, guint64 seed)
{
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint));
  BmAugmentRng rng;

  if (dataset == NULL || want == 0)
    return indices;
  if (chosen >= 0 && (guint) chosen < bm_dataset_get_n_items (dataset)
      && bm_dataset_get_item (dataset, (guint) chosen)->image_path != NULL)
    {
      guint c = (guint) chosen;
      g_array_append_val (indices, c);
      return indices;
    }
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    if (i != self_index && bm_dataset_get_item (dataset, i)->image_path != NULL)
      g_array_append_val (candidates, i);
  bm_augment_rng_init (&rng, mix64 (seed ^ G_GUINT64_CONSTANT (0x70617274)));
  want = MIN (want, candidates->len);
  while (indices->len < want)
    {
      guint pick = g_array_index (candidates, guint, bm_augment_rng_int (&rng, 0, (int) candidates->len));
      gboolean taken = FALSE;

      for (guint i = 0; i < indices->len; i++)
        taken = taken || g_array_index (indices, guint, i) == pick;
      if (!taken)
        g_array_append_val (indices, pick);
    }
  return indices;
}

static BmAugmentSample *
load_partner (const BmDatasetItem *item, int channels, const BmAugmentProfile *profile, GError **error)
{
  g_autoptr(BmImage) image = bm_image_load (item->image_path, error);
  g_autoptr(BmAnnotation) annotation = NULL;

  if (image == NULL)
    return NULL;
  if (image->channels != channels && (channels == 1 || channels == 3 || channels == 4))
    {
      /* mixing needs one channel count */
      BmImage *converted = bm_image_convert (image, channels);

      bm_image_unref (image);
      image = converted;
    }
  /* an unreadable label file still lends its pixels */
  annotation = item->has_label ? bm_label_load (item, NULL) : NULL;
  return bm_augment_sample_new (image, annotation, profile);
}

/* Loads the partners the job lacks; FALSE and @error when one cannot be read. */
static gboolean
job_load_partners (Job *job, GArray *partners, GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < partners->len; i++)
    {
      Partner *p = &g_array_index (partners, Partner, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (p->sample == NULL)
        p->sample = load_partner (&p->item, job->source->image->channels, job->source->profile, error);
      if (p->sample == NULL)
        return FALSE;
    }
  return TRUE;
}

static BmAugmentSample *
job_run (Job *job, GArray *partners, guint64 seed, GError **error)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new ();

  for (guint i = 0; i < partners->len; i++)
    g_ptr_array_add (others, g_array_index (partners, Partner, i).sample);
  return bm_augment_run (job->source, (const BmAugmentOpKind *) job->kinds->data, job->kinds->len,
                         &job->settings, seed, (BmAugmentSample *const *) others->pdata, others->len, error);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  Result *result = g_new0 (Result, 1);

  result->generation = job->generation;
  result->source_serial = job->source_serial;
  result->partners = g_steal_pointer (&job->partners);
  if (job->want_original)
    result->original_display = bm_augment_preview_make_display (job->source->image, job->display_budget,
                                                                &result->original_scale);
  if (job_load_partners (job, result->partners, cancellable, &result->error))
    result->sample = job_run (job, result->partners, job->seed, &result->error);
  if (result->sample != NULL)
    result->display = bm_augment_preview_make_display (result->sample->image, job->display_budget,
                                                       &result->display_scale);
  g_task_return_pointer (task, result, (GDestroyNotify) result_free);
}

/* Settings ----------------------------------------------------------------------------------- */

static const BmAugmentProfile *
current_profile (BmAugmentPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->profile_dropdown);

  return bm_augment_profile_get (selected < BM_AUGMENT_N_FRAMEWORKS ? (BmAugmentFramework) selected
                                                                      : BM_AUGMENT_FRAMEWORK_ULTRALYTICS);
}

static double
param (BmAugmentPanel *self, ParamId id)
{
  return gtk_adjustment_get_value (self->adjustments[id]);
}

void
bm_augment_panel_get_settings (BmAugmentPanel    *self,
                               BmAugmentSettings *settings,
                               GArray            *kinds)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (settings != NULL);

  bm_augment_settings_init (settings, current_profile (self));
  /* a preview shows the operation: it always applies */
  for (guint i = 0; i < BM_AUGMENT_N_OPS; i++)
    settings->probability[i] = 1.0;
  settings->degrees = param (self, PARAM_ROTATE_DEGREES);
  settings->rotate_scale = param (self, PARAM_ROTATE_SCALE);
  settings->scale_range[0] = 1.0 - param (self, PARAM_SCALE_RANGE);
  settings->scale_range[1] = 1.0 + param (self, PARAM_SCALE_RANGE);
  settings->crop_min_scale = param (self, PARAM_CROP_MIN_SCALE);
  settings->expand_ratio = param (self, PARAM_EXPAND_RATIO);
  settings->cutout_holes = (int) param (self, PARAM_CUTOUT_HOLES);
  settings->cutout_size[0] = param (self, PARAM_CUTOUT_SIZE) / 2;
  settings->cutout_size[1] = param (self, PARAM_CUTOUT_SIZE);
  settings->hsv_gain[0] = param (self, PARAM_HSV_H);
  settings->hsv_gain[1] = param (self, PARAM_HSV_S);
  settings->hsv_gain[2] = param (self, PARAM_HSV_V);
  settings->brightness[0] = 1.0 - param (self, PARAM_BRIGHTNESS);
  settings->brightness[1] = 1.0 + param (self, PARAM_BRIGHTNESS);
  settings->contrast[0] = 1.0 - param (self, PARAM_CONTRAST);
  settings->contrast[1] = 1.0 + param (self, PARAM_CONTRAST);
  settings->mosaic_size = (int) param (self, PARAM_SIZE);

  if (kinds != NULL)
    {
      g_array_set_size (kinds, 0);
      for (guint i = 0; i < G_N_ELEMENTS (pipeline); i++)
        if (gtk_check_button_get_active (self->op_checks[pipeline[i].kind]))
          g_array_append_val (kinds, pipeline[i].kind);
    }
}

static guint
partners_wanted (GArray *kinds)
{
  guint want = 0;

  for (guint i = 0; i < kinds->len; i++)
    {
      BmAugmentOpKind kind = g_array_index (kinds, BmAugmentOpKind, i);

      if (kind == BM_AUGMENT_OP_MIXUP)
        want += 1;
      else if (kind == BM_AUGMENT_OP_MOSAIC)
        want += 3;
    }
  return MIN (want, MAX_PARTNERS);
}

/* A job for the current source and settings; NULL when there is no source. */
static Job *
job_new (BmAugmentPanel *self, guint64 seed)
{
  Job *job;
  g_autoptr(GArray) indices = NULL;

  if (self->image == NULL)
    return NULL;
  job = g_new0 (Job, 1);
  job->generation = self->generation;
  job->source_serial = self->source_serial;
  job->source = bm_augment_sample_new (self->image, self->annotation, current_profile (self));
  job->dataset = self->dataset ? g_object_ref (self->dataset) : NULL;
  job->kinds = g_array_new (FALSE, FALSE, sizeof (BmAugmentOpKind));
  bm_augment_panel_get_settings (self, &job->settings, job->kinds);
  job->seed = seed;
  job->self_index = self->index;
  job->chosen_partner = self->partner;
  job->partners = g_array_new (FALSE, TRUE, sizeof (Partner));
  g_array_set_clear_func (job->partners, partner_clear);

  indices = choose_partners (self->dataset, self->index, self->partner, partners_wanted (job->kinds), seed);
  for (guint i = 0; i < indices->len; i++)
    {
      guint index = g_array_index (indices, guint, i);
      const BmAugmentSample *cached = g_hash_table_lookup (self->partners, GUINT_TO_POINTER (index));
      Partner p = { index, *bm_dataset_get_item (self->dataset, index), NULL };

      if (cached != NULL && cached->image->channels == self->image->channels)
        {
          p.sample = bm_augment_sample_copy (cached);
          p.sample->profile = job->source->profile;
        }
      g_array_append_val (job->partners, p);
    }
  return job;
}

/* Preview updates ---------------------------------------------------------------------------- */

static void
set_busy (BmAugmentPanel *self, gboolean busy)
{
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
cache_partners (BmAugmentPanel *self, GArray *partners)
{
  for (guint i = 0; i < partners->len; i++)
    {
      Partner *p = &g_array_index (partners, Partner, i);

      if (p->sample == NULL || g_hash_table_contains (self->partners, GUINT_TO_POINTER (p->index)))
        continue;
      if (g_hash_table_size (self->partners) >= PARTNER_CACHE_SIZE)
        g_hash_table_remove_all (self->partners);
      g_hash_table_insert (self->partners, GUINT_TO_POINTER (p->index), g_steal_pointer (&p->sample));
    }
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
show_result (BmAugmentPanel *self, Result *result)
{
  g_autofree char *status = NULL;

  if (result->original_display != NULL && result->source_serial == self->source_serial)
    {
      bm_augment_preview_take_original (self->preview,
                                        bm_augment_sample_new (self->image, self->annotation, current_profile (self)),
                                        result->original_display, result->original_scale);
      self->original_serial = result->source_serial;
    }
  if (result->sample == NULL)
    {
      gtk_label_set_text (self->status_label, result->error ? result->error->message : "");
      return;
    }
  g_free (self->description);
  self->description = bm_augment_sample_describe (result->sample);
  gtk_label_set_text (self->description_label, self->description);
  status = status_text (result->sample);
  gtk_label_set_text (self->status_label, status);
  bm_augment_preview_take_sample (self->preview, g_steal_pointer (&result->sample),
                                  result->display, result->display_scale);
  bm_augment_preview_set_message (self->preview, NULL);
  self->shown_generation = result->generation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

/* Zoomed in: full-resolution displays of what is shown, made once per sample. */
typedef struct
{
  BmImage *images[2];             /* sample, original; NULL when not needed */
  BmTileImage *displays[2];
  double scales[2];
  guint generation;
  guint source_serial;
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

static void
detail_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Detail *detail = task_data;

  for (int i = 0; i < 2; i++)
    if (detail->images[i] != NULL)
      detail->displays[i] = bm_augment_preview_make_display (detail->images[i], 0, &detail->scales[i]);
  g_task_return_boolean (task, TRUE);
}

static void
detail_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  Detail *detail = g_task_get_task_data (G_TASK (result));

  self->detail_running = FALSE;
  if (self->cancellable == NULL)
    return;
  if (detail->displays[0] != NULL && detail->generation == self->shown_generation)
    bm_augment_preview_set_display (self->preview, FALSE, detail->displays[0], detail->scales[0]);
  if (detail->displays[1] != NULL && detail->source_serial == self->original_serial)
    bm_augment_preview_set_display (self->preview, TRUE, detail->displays[1], detail->scales[1]);
}

static void
request_detail (BmAugmentPanel *self)
{
  const BmAugmentSample *sample = bm_augment_preview_get_sample (self->preview);
  const BmAugmentSample *original = bm_augment_preview_get_original (self->preview);
  g_autoptr(GTask) task = NULL;
  Detail *detail;

  if (self->detail_running || bm_augment_preview_get_zoom (self->preview) <= 1.0)
    return;
  detail = g_new0 (Detail, 1);
  if (sample != NULL && bm_augment_preview_get_display_scale (self->preview, FALSE) < 1.0)
    detail->images[0] = bm_image_ref (sample->image);
  if (original != NULL && bm_augment_preview_get_display_scale (self->preview, TRUE) < 1.0)
    detail->images[1] = bm_image_ref (original->image);
  if (detail->images[0] == NULL && detail->images[1] == NULL)
    {
      detail_free (detail);
      return;
    }
  detail->generation = self->shown_generation;
  detail->source_serial = self->original_serial;
  self->detail_running = TRUE;
  task = g_task_new (self, self->cancellable, detail_done_cb, NULL);
  g_task_set_task_data (task, detail, (GDestroyNotify) detail_free);
  g_task_run_in_thread (task, detail_thread);
}

static void
zoom_changed_cb (BmAugmentPanel *self)
{
  request_detail (self);
}

static void start_job (BmAugmentPanel *self);

static void
preview_done_cb (GObject      *object,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  Result *result = g_task_propagate_pointer (G_TASK (async_result), NULL);

  self->running = FALSE;
  if (result == NULL || self->cancellable == NULL)   /* disposed meanwhile */
    {
      g_clear_pointer (&result, result_free);
      return;
    }
  if (result->partners != NULL && result->source_serial == self->source_serial)
    cache_partners (self, result->partners);
  /* a result for older settings is dropped: a newer job is already wanted */
  if (result->generation == self->generation)
    {
      show_result (self, result);
      set_busy (self, FALSE);
      request_detail (self);
      g_signal_emit (self, signals[PREVIEW_READY], 0);
    }
  else
    start_job (self);
  result_free (result);
}

static void
start_job (BmAugmentPanel *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->running)
    return;
  job = job_new (self, self->seed);
  if (job == NULL)
    {
      set_busy (self, FALSE);
      return;
    }
  job->want_original = self->original_serial != self->source_serial;
  job->display_budget = bm_augment_preview_get_display_budget (self->preview);
  self->running = TRUE;
  task = g_task_new (self, self->cancellable, preview_done_cb, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, preview_thread);
}

static void
schedule_update (BmAugmentPanel *self)
{
  g_autofree char *seed = g_strdup_printf (_("Seed %" G_GUINT64_FORMAT), self->seed);

  gtk_label_set_text (self->seed_label, seed);
  self->generation++;
  if (self->image == NULL)
    return;
  /* one job at a time: while one runs, the next starts from the newest settings when it ends */
  if (!self->running)
    start_job (self);
  set_busy (self, TRUE);
}

/* Callbacks ---------------------------------------------------------------------------------- */

static void
profile_changed_cb (BmAugmentPanel *self)
{
  /* the partners are cached with the profile of their sample, and copies take ours anyway */
  schedule_update (self);
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
  schedule_update (self);
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
op_toggled_cb (GtkCheckButton *check,
               BmAugmentPanel *self)
{
  for (guint k = 0; k < BM_AUGMENT_N_OPS; k++)
    if (self->op_checks[k] == check && self->op_params[k] != NULL)
      gtk_widget_set_visible (self->op_params[k], gtk_check_button_get_active (check));
  schedule_update (self);
}

static void
value_changed_cb (GtkAdjustment  *adjustment,
                  BmAugmentPanel *self)
{
  schedule_update (self);
}

/* Export ------------------------------------------------------------------------------------- */

static const char *
export_image_dir (BmAugmentExportFormat format)
{
  return format == BM_AUGMENT_EXPORT_VOC ? "JPEGImages" : "images";
}

static const char *
export_label_dir (BmAugmentExportFormat format)
{
  switch (format)
    {
    case BM_AUGMENT_EXPORT_VOC:
      return "Annotations";
    case BM_AUGMENT_EXPORT_DOTA:
      return "labelTxt";
    case BM_AUGMENT_EXPORT_YOLO:
    case BM_AUGMENT_EXPORT_YOLO_OBB:
    default:
      return "labels";
    }
}

static gboolean
export_is_yolo (BmAugmentExportFormat format)
{
  return format == BM_AUGMENT_EXPORT_YOLO || format == BM_AUGMENT_EXPORT_YOLO_OBB;
}

static char *
export_path (const Job *job, const char *stem, guint k, int which)
{
  g_autofree char *ext = bm_path_get_extension (job->image_path);
  g_autofree char *name = NULL;

  switch (which)
    {
    case 0:
      name = g_strdup_printf ("%s_aug%u.%s", stem, k, strcmp (ext, "jpg") == 0 || strcmp (ext, "jpeg") == 0 ? "jpg" : "png");
      return g_build_filename (job->out_dir, export_image_dir (job->format), name, NULL);
    case 1:
      name = g_strdup_printf ("%s_aug%u.%s", stem, k, job->format == BM_AUGMENT_EXPORT_VOC ? "xml" : "txt");
      return g_build_filename (job->out_dir, export_label_dir (job->format), name, NULL);
    default:
      name = g_strdup_printf ("%s_aug%u.augment.txt", stem, k);
      return g_build_filename (job->out_dir, SIDECAR_DIR, name, NULL);
    }
}

static gboolean
export_check_free (const Job *job, const char *stem, GError **error)
{
  for (guint k = 0; k < job->n; k++)
    for (int which = 0; which < 3; which++)
      {
        g_autofree char *path = export_path (job, stem, k, which);

        if (g_file_test (path, G_FILE_TEST_EXISTS))
          {
            g_set_error (error, BM_ERROR, BM_ERROR_IO,
                         _("%s already exists; nothing was written (choose an empty folder)"), path);
            return FALSE;
          }
      }
  if (export_is_yolo (job->format))
    for (int i = 0; i < 2; i++)
      {
        g_autofree char *path = g_build_filename (job->out_dir, i == 0 ? "data.yaml" : "classes.txt", NULL);

        if (g_file_test (path, G_FILE_TEST_EXISTS))
          {
            g_set_error (error, BM_ERROR, BM_ERROR_IO,
                         _("%s already exists; nothing was written (choose an empty folder)"), path);
            return FALSE;
          }
      }
  return TRUE;
}

static gboolean
export_make_dirs (const Job *job, GError **error)
{
  const char *dirs[] = { export_image_dir (job->format), export_label_dir (job->format), SIDECAR_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (job->out_dir, dirs[i], NULL);

      if (g_mkdir_with_parents (path, 0755) != 0)
        {
          int saved = errno;
          g_set_error (error, BM_ERROR, BM_ERROR_IO, _("Cannot create %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

static char *
export_labels (const Job *job, BmAnnotation *annotation, gsize *length, GError **error)
{
  switch (job->format)
    {
    case BM_AUGMENT_EXPORT_VOC:
      return bm_voc_to_data (annotation, length, error);
    case BM_AUGMENT_EXPORT_DOTA:
      /* DOTA class names are one token */
      for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
        {
          BmObject *object = bm_annotation_get_object (annotation, i);
          g_autofree char *token = g_strdup (bm_object_get_label (object));

          g_strdelimit (token, " \t\n\r\v\f", '-');
          bm_object_set_label (object, token);
        }
      return bm_dota_to_data (annotation, length, error);
    case BM_AUGMENT_EXPORT_YOLO:
    case BM_AUGMENT_EXPORT_YOLO_OBB:
    default:
      {
        guint n_clipped = 0, n_outside = 0;

        return bm_yolo_to_data (annotation, job->classes, bm_annotation_get_width (annotation),
                                bm_annotation_get_height (annotation),
                                job->format == BM_AUGMENT_EXPORT_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT,
                                FALSE, &n_clipped, &n_outside, length, error);
      }
    }
}

static char *
export_sidecar (const Job *job, const BmAugmentSample *sample, guint k, guint64 seed, GArray *partners)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *description = bm_augment_sample_describe (sample);
  g_autofree char *image = g_canonicalize_filename (job->image_path, NULL);

  g_string_append_printf (s, "# boxmark augmentation preview: sample %u, seed %" G_GUINT64_FORMAT ", sample seed %" G_GUINT64_FORMAT "\n",
                          k, job->seed, seed);
  g_string_append_printf (s, "# source: %s\n", image);
  for (guint i = 0; i < partners->len; i++)
    {
      const Partner *p = &g_array_index (partners, Partner, i);
      g_autofree char *other = g_canonicalize_filename (p->item.image_path, NULL);

      g_string_append_printf (s, "# other %u: %s\n", i, other);
    }
  g_string_append (s, description);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
export_one (Job *job, const char *stem, guint k, GHashTable *loaded_partners, GCancellable *cancellable, GError **error)
{
  guint64 seed = sample_seed (job->seed, k);
  g_autoptr(GArray) partners = g_array_new (FALSE, TRUE, sizeof (Partner));
  g_autoptr(GArray) indices = NULL;
  g_autoptr(BmAugmentSample) sample = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autofree char *image_path = export_path (job, stem, k, 0);
  g_autofree char *label_path = export_path (job, stem, k, 1);
  g_autofree char *sidecar_path = export_path (job, stem, k, 2);
  g_autofree char *labels = NULL;
  g_autofree char *sidecar = NULL;
  gsize length = 0;

  g_array_set_clear_func (partners, partner_clear);
  /* the partners the seed of this sample chooses, as the preview does for sample 0 */
  indices = choose_partners (job->dataset, job->self_index, job->chosen_partner, partners_wanted (job->kinds), seed);
  for (guint i = 0; i < indices->len; i++)
    {
      guint index = g_array_index (indices, guint, i);
      BmAugmentSample *loaded = g_hash_table_lookup (loaded_partners, GUINT_TO_POINTER (index));
      Partner p = { index, *bm_dataset_get_item (job->dataset, index), NULL };

      if (loaded == NULL)
        {
          loaded = load_partner (&p.item, job->source->image->channels, job->source->profile, error);
          if (loaded == NULL)
            return FALSE;
          if (g_hash_table_size (loaded_partners) >= PARTNER_CACHE_SIZE)
            g_hash_table_remove_all (loaded_partners);
          g_hash_table_insert (loaded_partners, GUINT_TO_POINTER (index), loaded);
        }
      p.sample = bm_augment_sample_copy (loaded);
      g_array_append_val (partners, p);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  sample = job_run (job, partners, seed, error);
  if (sample == NULL)
    return FALSE;

  annotation = bm_augment_sample_to_annotation (sample);
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    bm_object_set_origin (bm_annotation_get_object (annotation, i), 0);
  bm_annotation_set_image_path (annotation, image_path);
  bm_annotation_set_label_path (annotation, label_path);
  bm_annotation_set_verified (annotation, job->verified);
  /* labels first: a label that cannot be written leaves no orphan image behind */
  labels = export_labels (job, annotation, &length, error);
  if (labels == NULL)
    return FALSE;
  if (!bm_image_save (sample->image, image_path, EXPORT_QUALITY, error))
    return FALSE;
  if (!bm_export_write_new_file (label_path, labels, length, error))
    return FALSE;
  sidecar = export_sidecar (job, sample, k, seed, partners);
  return bm_export_write_new_file (sidecar_path, sidecar, strlen (sidecar), error);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_labels (GPtrArray *labels, GHashTable *seen, const BmAugmentSample *sample, BmAnnotation *annotation)
{
  guint n = sample ? bm_augment_sample_get_n_items (sample) : bm_annotation_get_n_objects (annotation);

  for (guint i = 0; i < n; i++)
    {
      BmObject *object = sample ? bm_augment_sample_get_item (sample, i)->object : bm_annotation_get_object (annotation, i);
      const char *label = bm_object_get_label (object);

      if (!g_hash_table_contains (seen, label))
        {
          g_hash_table_add (seen, g_strdup (label));
          g_ptr_array_add (labels, g_strdup (label));
        }
    }
}

/* Without a class list of the folder, YOLO ids are every label the samples can hold, sorted:
 * the image's and those of every partner a sample will mix in. */
static BmClassList *
export_sorted_labels (Job *job)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) partners = g_hash_table_new (g_direct_hash, g_direct_equal);
  BmClassList *classes = bm_class_list_new ();

  add_labels (labels, seen, job->source, NULL);
  for (guint k = 0; k < job->n && job->dataset != NULL; k++)
    {
      g_autoptr(GArray) indices = choose_partners (job->dataset, job->self_index, job->chosen_partner,
                                                   partners_wanted (job->kinds), sample_seed (job->seed, k));

      for (guint i = 0; i < indices->len; i++)
        {
          guint index = g_array_index (indices, guint, i);
          const BmDatasetItem *item = bm_dataset_get_item (job->dataset, index);
          g_autoptr(BmAnnotation) annotation = NULL;

          if (!g_hash_table_add (partners, GUINT_TO_POINTER (index)) || !item->has_label)
            continue;
          annotation = bm_label_load (item, NULL);
          if (annotation != NULL)
            add_labels (labels, seen, NULL, annotation);
        }
    }
  g_ptr_array_sort (labels, compare_strings);
  for (guint i = 0; i < labels->len; i++)
    bm_class_list_add (classes, labels->pdata[i]);
  return classes;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autofree char *stem = bm_path_get_stem (job->image_path);
  g_autoptr(GHashTable) loaded_partners = NULL;
  GError *error = NULL;

  if (!export_check_free (job, stem, &error) || !export_make_dirs (job, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (export_is_yolo (job->format) && job->classes == NULL)
    job->classes = export_sorted_labels (job);
  if (export_is_yolo (job->format))
    {
      g_autofree char *absolute = g_canonicalize_filename (job->out_dir, NULL);
      g_autofree char *yaml = bm_class_list_to_yaml (job->classes, absolute, "images", "images");
      g_autofree char *txt = bm_class_list_to_txt (job->classes);
      g_autofree char *yaml_path = g_build_filename (job->out_dir, "data.yaml", NULL);
      g_autofree char *txt_path = g_build_filename (job->out_dir, "classes.txt", NULL);

      if (!bm_export_write_new_file (yaml_path, yaml, strlen (yaml), &error)
          || !bm_export_write_new_file (txt_path, txt, strlen (txt), &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  loaded_partners = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) bm_augment_sample_free);
  for (guint k = 0; k < job->n; k++)
    if (!export_one (job, stem, k, loaded_partners, cancellable, &error))
      {
        g_prefix_error (&error, _("Sample %u: "), k);
        g_task_return_error (task, error);
        return;
      }
  g_task_return_int (task, job->n);
}

void
bm_augment_panel_export_async (BmAugmentPanel        *self,
                               const char            *out_dir,
                               BmAugmentExportFormat  format,
                               guint                  n,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (out_dir != NULL);
  g_return_if_fail (format <= BM_AUGMENT_EXPORT_YOLO_OBB);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_augment_panel_export_async);
  job = job_new (self, self->seed);
  if (job == NULL || n == 0)
    {
      g_clear_pointer (&job, job_free);
      g_task_return_new_error (task, BM_ERROR, BM_ERROR_INVALID, _("There is no image to augment"));
      return;
    }
  job->out_dir = g_strdup (out_dir);
  job->format = format;
  job->n = n;
  job->image_path = g_strdup (self->annotation && bm_annotation_get_image_path (self->annotation)
                              ? bm_annotation_get_image_path (self->annotation) : "image.png");
  job->verified = self->annotation != NULL && bm_annotation_get_verified (self->annotation);
  if (export_is_yolo (format) && self->dataset != NULL && bm_dataset_get_format (self->dataset) == BM_FORMAT_YOLO
      && bm_dataset_get_class_file (self->dataset) != NULL)
    {
      GError *error = NULL;

      job->classes = bm_class_list_load (bm_dataset_get_class_file (self->dataset), &error);
      if (job->classes == NULL)
        {
          job_free (job);
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, export_thread);
}

guint
bm_augment_panel_export_finish (BmAugmentPanel  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  gssize n;

  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  return n > 0 ? (guint) n : 0;
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  g_autofree char *out_dir = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = bm_augment_panel_export_finish (self, result, &error);

  if (self->cancellable == NULL)   /* disposed meanwhile */
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "augment.export", TRUE);
  if (n == 0)
    message = g_strdup_printf (_("Export failed: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u sample to %s", "Wrote %u samples to %s", n), n, out_dir);
  gtk_label_set_text (self->status_label, message);
}

static void
export_folder_chosen_cb (GtkNativeDialog *dialog,
                         int              response,
                         BmAugmentPanel  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *path = folder ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        {
          gtk_widget_action_set_enabled (GTK_WIDGET (self), "augment.export", FALSE);
          gtk_label_set_text (self->status_label, _("Exporting…"));
          bm_augment_panel_export_async (self, path, gtk_drop_down_get_selected (self->format_dropdown),
                                         (guint) gtk_spin_button_get_value_as_int (self->count_spin),
                                         self->cancellable, export_done_cb, path);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  GtkFileChooserNative *dialog;

  if (self->image == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Augmented Samples To"),
                                        GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_folder_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
shuffle_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  bm_augment_panel_shuffle (BM_AUGMENT_PANEL (widget));
}

/* Building the operation list ------------------------------------------------------------------ */

static GtkWidget *
param_row (BmAugmentPanel *self, ParamId id)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (_(params[id].label));
  GtkWidget *control;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_size_request (label, 110, -1);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (row), label);
  if (params[id].spin)
    {
      control = gtk_spin_button_new (self->adjustments[id], params[id].step, (guint) params[id].digits);
      gtk_widget_set_halign (control, GTK_ALIGN_START);
    }
  else
    {
      control = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, self->adjustments[id]);
      gtk_scale_set_digits (GTK_SCALE (control), params[id].digits);
      gtk_scale_set_draw_value (GTK_SCALE (control), TRUE);
      gtk_scale_set_value_pos (GTK_SCALE (control), GTK_POS_RIGHT);
    }
  gtk_widget_set_hexpand (control, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, _(params[id].label), -1);
  g_object_set_data (G_OBJECT (control), "parameter", (gpointer) params[id].id);
  gtk_box_append (GTK_BOX (row), control);
  return row;
}

static void
build_operations (BmAugmentPanel *self)
{
  for (guint p = 0; p < N_PARAMS; p++)
    {
      self->adjustments[p] = g_object_ref_sink (gtk_adjustment_new (params[p].value, params[p].lower, params[p].upper,
                                                                    params[p].step, params[p].step * 10, 0));
      g_signal_connect (self->adjustments[p], "value-changed", G_CALLBACK (value_changed_cb), self);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pipeline); i++)
    {
      BmAugmentOpKind kind = pipeline[i].kind;
      GtkWidget *check = gtk_check_button_new_with_label (_(pipeline[i].title));
      GtkWidget *box = NULL;

      if (pipeline[i].tooltip != NULL)
        gtk_widget_set_tooltip_text (check, _(pipeline[i].tooltip));
      gtk_box_append (self->ops_box, check);
      for (guint p = 0; p < N_PARAMS; p++)
        if (params[p].kind == kind || params[p].also == kind)
          {
            if (box == NULL)
              {
                box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
                gtk_widget_set_margin_start (box, 28);
                gtk_widget_set_visible (box, FALSE);
                gtk_box_append (self->ops_box, box);
              }
            gtk_box_append (GTK_BOX (box), param_row (self, (ParamId) p));
          }
      self->op_checks[kind] = GTK_CHECK_BUTTON (check);
      self->op_params[kind] = box;
      g_signal_connect (check, "toggled", G_CALLBACK (op_toggled_cb), self);
    }
}

static void
fill_profiles (BmAugmentPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint f = 0; f < BM_AUGMENT_N_FRAMEWORKS; f++)
    gtk_string_list_append (list, _(bm_augment_profile_get ((BmAugmentFramework) f)->name));
  gtk_drop_down_set_model (self->profile_dropdown, G_LIST_MODEL (list));
}

static void
fill_formats (BmAugmentPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new ((const char *const *) export_format_names);

  gtk_drop_down_set_model (self->format_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->format_dropdown, BM_AUGMENT_EXPORT_VOC);
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

static void
bm_augment_panel_dispose (GObject *object)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (guint p = 0; p < N_PARAMS; p++)
    if (self->adjustments[p] != NULL)
      g_signal_handlers_disconnect_by_data (self->adjustments[p], self);
  /* The template's root box is not bound to a field, so unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  for (guint p = 0; p < N_PARAMS; p++)
    g_clear_object (&self->adjustments[p]);
  g_clear_pointer (&self->image, bm_image_unref);
  if (self->annotation != NULL)
    g_signal_handlers_disconnect_by_func (self->annotation, annotation_changed_cb, self);
  g_clear_object (&self->annotation);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->partners, g_hash_table_unref);

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
  gtk_widget_class_install_action (widget_class, "augment.export", NULL, export_action);

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
  self->source_serial = 1;
  self->updating_partners = TRUE;
  self->partners = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) bm_augment_sample_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  fill_profiles (self);
  fill_formats (self);
  build_operations (self);
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

static void set_source (BmAugmentPanel *self, BmImage *image, BmAnnotation *annotation, BmDataset *dataset, guint index);

/* Edits on the canvas show in the preview: the original and the sample are made again. */
static void
annotation_changed_cb (BmAugmentPanel *self)
{
  self->source_serial++;
  schedule_update (self);
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

  self->load_serial++;
  self->loading = FALSE;
  set_source (self, image, annotation, dataset, index);
}

static void
set_source (BmAugmentPanel *self,
            BmImage        *image,
            BmAnnotation   *annotation,
            BmDataset      *dataset,
            guint           index)
{
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
      g_hash_table_remove_all (self->partners);
      self->partner = -1;
    }
  self->index = dataset != NULL && index < bm_dataset_get_n_items (dataset) ? index : G_MAXUINT;
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
  schedule_update (self);
}

typedef struct
{
  guint serial;
  char *path;
  BmAnnotation *annotation;
  BmDataset *dataset;
  guint index;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_free (request->path);
  g_clear_object (&request->annotation);
  g_clear_object (&request->dataset);
  g_free (request);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  GError *error = NULL;
  BmImage *image = bm_image_load (request->path, &error);

  if (image != NULL)
    g_task_return_pointer (task, image, (GDestroyNotify) bm_image_unref);
  else
    g_task_return_error (task, error);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BmAugmentPanel *self = BM_AUGMENT_PANEL (object);
  LoadRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->cancellable == NULL || request->serial != self->load_serial)
    return;   /* disposed, or another image was asked for meanwhile */
  self->loading = FALSE;
  set_source (self, image, request->annotation, request->dataset, request->index);
  if (image != NULL)
    self->image_path = g_strdup (request->path);
  else
    {
      bm_augment_preview_set_message (self->preview, error->message);
      set_busy (self, FALSE);
    }
}

void
bm_augment_panel_load_source (BmAugmentPanel *self,
                              BmAnnotation   *annotation,
                              BmDataset      *dataset,
                              guint           index)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;
  const char *path = NULL;

  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  self->load_serial++;
  if (dataset != NULL && index < bm_dataset_get_n_items (dataset))
    path = bm_dataset_get_item (dataset, index)->image_path;
  if (path == NULL && annotation != NULL)
    path = bm_annotation_get_image_path (annotation);
  if (path == NULL)
    {
      set_source (self, NULL, annotation, dataset, index);
      return;
    }
  self->loading = FALSE;
  if (self->image != NULL && g_strcmp0 (path, self->image_path) == 0)
    {
      /* the same image: set_source keeps it and its path */
      g_autoptr(BmImage) image = bm_image_ref (self->image);

      set_source (self, image, annotation, dataset, index);
      return;
    }
  request = g_new0 (LoadRequest, 1);
  request->serial = self->load_serial;
  request->path = g_strdup (path);
  request->annotation = annotation ? g_object_ref (annotation) : NULL;
  request->dataset = dataset ? g_object_ref (dataset) : NULL;
  request->index = index;
  bm_augment_preview_set_message (self->preview, _("Loading…"));
  self->loading = TRUE;
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  g_task_run_in_thread (task, load_thread);
}

BmAugmentPreview *
bm_augment_panel_get_preview (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), NULL);
  return self->preview;
}

void
bm_augment_panel_set_op_enabled (BmAugmentPanel  *self,
                                 BmAugmentOpKind  kind,
                                 gboolean         enabled)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (kind < BM_AUGMENT_N_OPS);

  gtk_check_button_set_active (self->op_checks[kind], enabled);
}

gboolean
bm_augment_panel_get_op_enabled (BmAugmentPanel  *self,
                                 BmAugmentOpKind  kind)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), FALSE);
  g_return_val_if_fail (kind < BM_AUGMENT_N_OPS, FALSE);

  return gtk_check_button_get_active (self->op_checks[kind]);
}

GtkAdjustment *
bm_augment_panel_get_adjustment (BmAugmentPanel *self,
                                 const char     *parameter)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), NULL);
  g_return_val_if_fail (parameter != NULL, NULL);

  for (guint p = 0; p < N_PARAMS; p++)
    if (strcmp (params[p].id, parameter) == 0)
      return self->adjustments[p];
  return NULL;
}

BmAugmentFramework
bm_augment_panel_get_framework (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), BM_AUGMENT_FRAMEWORK_ULTRALYTICS);
  return current_profile (self)->framework;
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
  schedule_update (self);
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

gboolean
bm_augment_panel_get_busy (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), FALSE);
  return self->loading || (self->image != NULL && (self->running || self->shown_generation != self->generation));
}

const char *
bm_augment_panel_get_description (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), "");
  return self->description ? self->description : "";
}
