/* bm-augment-panel.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-panel.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "dataset/bm-augment-export.h"
#include "formats/bm-class-list.h"

#define PARTNER_CACHE_SIZE 8

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
  BmAugmentExportPool *pool;      /* the folder's partner candidates, made once by a worker */
  guint pool_serial;              /* bumped whenever @pool is replaced or dropped */
  GArray *saved;                  /* guint: items saved since @pool read them, oldest first */
  BmAugmentExportCache *cache;    /* partners loaded by workers; NULL while a job has it */
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
  guint n_pool_builds;            /* pools the preview workers built: once per folder */
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

/* Jobs: what a worker needs, all of it owned by the job -------------------------------------- */

typedef struct
{
  guint generation;
  guint source_serial;
  BmAugmentSample *source;
  BmDataset *dataset;
  BmAugmentExportPool *pool;      /* NULL: made by the worker when partners are wanted */
  guint pool_serial;
  GArray *saved;                  /* guint: items to read again into @pool (and out of @cache) */
  BmAugmentExportCache *cache;    /* loaded partners, lent by the panel */
  GArray *ops;                    /* BmAugmentExportOp, in the order they apply */
  guint64 seed;
  gboolean want_original;
  int display_budget;             /* longest side the preview can show without loss */
  guint self_index;               /* of the source in the dataset (0 without one) */
  int chosen_partner;
  gboolean built_pool;            /* the worker built @pool */
  gboolean new_pool;              /* the worker built or refreshed @pool */
  guint n_saved;                  /* of the panel's saved items when the job started */
  /* export only */
  char *out_dir;
  BmAugmentExportFormat format;
  guint n;
  char *image_path;
  char *label_path;               /* NULL: the image has no label file */
  BmAnnotation *labels;           /* the labels as the panel has them (unsaved edits too) */
  BmClassList *classes;
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
  BmDataset *dataset;
  BmAugmentExportPool *pool;
  BmAugmentExportCache *cache;
  guint self_index;
  guint pool_serial;
  guint n_saved;                  /* saved items the new pool has read */
  gboolean built_pool;
  gboolean new_pool;
  GError *error;
} Result;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->source, bm_augment_sample_free);
  g_clear_pointer (&job->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&job->saved, g_array_unref);
  g_clear_pointer (&job->cache, bm_augment_export_cache_free);
  g_clear_pointer (&job->ops, g_array_unref);
  g_clear_object (&job->dataset);
  g_clear_object (&job->labels);
  g_clear_pointer (&job->classes, bm_class_list_unref);
  g_free (job->out_dir);
  g_free (job->image_path);
  g_free (job->label_path);
  g_free (job);
}

static void
result_free (Result *result)
{
  g_clear_pointer (&result->sample, bm_augment_sample_free);
  g_clear_object (&result->display);
  g_clear_object (&result->original_display);
  g_clear_object (&result->dataset);
  g_clear_pointer (&result->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&result->cache, bm_augment_export_cache_free);
  g_clear_error (&result->error);
  g_free (result);
}

/* In the worker: the folder's pool, built when first wanted (@always, or when the operations
 * take partners), then kept for the whole folder; label files the window saved since are read
 * again into it and their partners loaded anew. */
static void
job_prepare_pool (Job *job, gboolean always)
{
  if (job->pool == NULL && job->dataset != NULL
      && (always || bm_augment_export_partners_needed ((const BmAugmentExportOp *) job->ops->data, job->ops->len) > 0))
    {
      job->pool = bm_augment_export_pool_new (job->dataset, -1, NULL, NULL, NULL);
      job->built_pool = job->new_pool = TRUE;
    }
  else if (job->pool != NULL && job->saved != NULL && job->saved->len > 0)
    {
      BmAugmentExportPool *fresh = bm_augment_export_pool_refresh (job->pool, (const guint *) job->saved->data,
                                                                   job->saved->len);

      bm_augment_export_pool_unref (job->pool);
      job->pool = fresh;
      job->new_pool = TRUE;
    }
  for (guint i = 0; job->cache != NULL && job->saved != NULL && i < job->saved->len; i++)
    bm_augment_export_cache_forget (job->cache, g_array_index (job->saved, guint, i));
  g_clear_pointer (&job->saved, g_array_unref);
}

/* Sample @k as `boxmark-cli augment --seed SEED` makes it for this image: the seed of the
 * image's dataset index and k, partners drawn from the usable items of the folder first. */
static BmAugmentSample *
job_make_sample (Job *job, guint k, guint64 *sample_seed, GArray **partners, GError **error)
{
  guint64 seed = bm_augment_export_sample_seed (job->seed, job->self_index, k);

  if (sample_seed != NULL)
    *sample_seed = seed;
  return bm_augment_export_make_sample (job->pool, job->cache, (const BmAugmentExportOp *) job->ops->data, job->ops->len,
                                        job->source, job->self_index, job->chosen_partner, seed, partners, error);
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
  job_prepare_pool (job, FALSE);
  if (job->want_original)
    result->original_display = bm_augment_preview_make_display (job->source->image, job->display_budget,
                                                                &result->original_scale);
  if (!g_cancellable_set_error_if_cancelled (cancellable, &result->error))
    result->sample = job_make_sample (job, 0, NULL, NULL, &result->error);
  if (result->sample != NULL)
    result->display = bm_augment_preview_make_display (result->sample->image, job->display_budget,
                                                       &result->display_scale);
  /* the pool and the loaded partners go back to the panel for the next preview */
  result->dataset = job->dataset ? g_object_ref (job->dataset) : NULL;
  result->self_index = job->self_index;
  result->built_pool = job->built_pool;
  result->new_pool = job->new_pool;
  result->pool_serial = job->pool_serial;
  result->n_saved = job->n_saved;
  result->pool = g_steal_pointer (&job->pool);
  result->cache = g_steal_pointer (&job->cache);
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

/* The shortest text that reads back as @value, so that the CLI parses the panel's very doubles. */
static void
append_number (GString *s, double value)
{
  static const char *const formats[] = { "%.1g", "%.2g", "%.3g", "%.4g", "%.5g", "%.6g", "%.7g", "%.8g", "%.9g",
                                         "%.10g", "%.11g", "%.12g", "%.13g", "%.14g", "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (s, buffer);
}

static void
append_range (GString *s, const char *key, double lo, double hi)
{
  g_string_append_printf (s, "%s=", key);
  append_number (s, lo);
  g_string_append (s, "..");
  append_number (s, hi);
}

static void
append_op (GString *s, BmAugmentOpKind kind, const BmAugmentSettings *settings)
{
  if (s->len > 0)
    g_string_append_c (s, ';');
  g_string_append (s, bm_augment_op_kind_to_string (kind));
  switch (kind)
    {
    case BM_AUGMENT_OP_MOSAIC:
    case BM_AUGMENT_OP_LETTERBOX:
    case BM_AUGMENT_OP_MIXUP:
      /* mixup's size is mmdetection's img_scale, the same adjustment */
      g_string_append_printf (s, ":size=%d", settings->mosaic_size);
      break;
    case BM_AUGMENT_OP_ROTATE:
      g_string_append_c (s, ':');
      append_range (s, "deg", -settings->degrees, settings->degrees);
      if (settings->rotate_scale > 0)
        {
          g_string_append_c (s, ',');
          append_range (s, "scale", 1.0 - settings->rotate_scale, 1.0 + settings->rotate_scale);
        }
      break;
    case BM_AUGMENT_OP_SCALE:
      g_string_append_c (s, ':');
      append_range (s, "range", settings->scale_range[0], settings->scale_range[1]);
      break;
    case BM_AUGMENT_OP_CROP:
      g_string_append (s, ":min-scale=");
      append_number (s, settings->crop_min_scale);
      break;
    case BM_AUGMENT_OP_EXPAND:
      g_string_append_c (s, ':');
      append_range (s, "ratio", 1.0, settings->expand_ratio);
      break;
    case BM_AUGMENT_OP_CUTOUT:
      g_string_append_printf (s, ":holes=%d,", settings->cutout_holes);
      append_range (s, "size", settings->cutout_size[0], settings->cutout_size[1]);
      break;
    case BM_AUGMENT_OP_HSV:
      for (guint c = 0; c < 3; c++)
        {
          g_string_append_c (s, c == 0 ? ':' : ',');
          append_range (s, (const char *[]) { "h", "s", "v" }[c], -settings->hsv_gain[c], settings->hsv_gain[c]);
        }
      break;
    case BM_AUGMENT_OP_BRIGHTNESS:
      g_string_append_c (s, ':');
      append_range (s, "factor", settings->brightness[0], settings->brightness[1]);
      break;
    case BM_AUGMENT_OP_CONTRAST:
      g_string_append_c (s, ':');
      append_range (s, "factor", settings->contrast[0], settings->contrast[1]);
      break;
    case BM_AUGMENT_OP_HFLIP:
    case BM_AUGMENT_OP_VFLIP:
    case BM_AUGMENT_N_OPS:
    default:
      break;
    }
}

char *
bm_augment_panel_dup_cli_ops (BmAugmentPanel *self)
{
  g_autoptr(GArray) kinds = NULL;
  GString *s;
  BmAugmentSettings settings;

  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), NULL);

  kinds = g_array_new (FALSE, FALSE, sizeof (BmAugmentOpKind));
  s = g_string_new (NULL);
  bm_augment_panel_get_settings (self, &settings, kinds);
  for (guint i = 0; i < kinds->len; i++)
    append_op (s, g_array_index (kinds, BmAugmentOpKind, i), &settings);
  return g_string_free (s, FALSE);
}

/* A job for the current source and settings; NULL when there is no source. */
static Job *
job_new (BmAugmentPanel *self, guint64 seed)
{
  const BmAugmentProfile *profile = current_profile (self);
  g_autofree char *ops = NULL;
  g_autoptr(GError) error = NULL;
  Job *job;

  if (self->image == NULL)
    return NULL;
  job = g_new0 (Job, 1);
  job->generation = self->generation;
  job->source_serial = self->source_serial;
  job->source = bm_augment_sample_new (self->image, self->annotation, profile);
  job->dataset = self->dataset ? g_object_ref (self->dataset) : NULL;
  /* through the CLI's own parser: the operations are bit for bit those of --ops OPS */
  ops = bm_augment_panel_dup_cli_ops (self);
  job->ops = bm_augment_export_parse_ops (ops, profile, &error);
  if (job->ops == NULL)
    {
      if (ops[0] != '\0')
        g_critical ("%s", error->message);
      job->ops = g_array_new (FALSE, FALSE, sizeof (BmAugmentExportOp));
    }
  job->seed = seed;
  job->self_index = self->index != G_MAXUINT ? self->index : 0;
  job->chosen_partner = self->partner;
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

/* The folder's pool and the loaded partners serve the next previews of every image of the folder.
 * A pool the worker built or refreshed replaces the one it started from, unless the panel
 * dropped that one meanwhile (another folder). */
static void
take_back (BmAugmentPanel *self, Result *result)
{
  if (result->dataset != self->dataset)
    return;
  if (result->new_pool && result->pool != NULL && result->pool_serial == self->pool_serial)
    {
      g_clear_pointer (&self->pool, bm_augment_export_pool_unref);
      self->pool = g_steal_pointer (&result->pool);
      self->pool_serial++;
      if (self->saved != NULL)
        g_array_remove_range (self->saved, 0, MIN (result->n_saved, self->saved->len));
    }
  if (self->cache == NULL)
    self->cache = g_steal_pointer (&result->cache);
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
  if (result->built_pool)
    self->n_pool_builds++;
  take_back (self, result);
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
  job->pool = self->pool ? bm_augment_export_pool_ref (self->pool) : NULL;
  job->pool_serial = self->pool_serial;
  /* saves made while it runs wait for the next job; an export meanwhile reads them all */
  job->saved = self->saved ? g_array_copy (self->saved) : NULL;
  job->n_saved = self->saved ? self->saved->len : 0;
  job->cache = self->cache ? g_steal_pointer (&self->cache) : bm_augment_export_cache_new (PARTNER_CACHE_SIZE);
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
  g_autofree char *seed = g_strdup_printf (_("Seed %" PRIu64), self->seed);

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

/* The export is `boxmark-cli augment --seed SEED --to FORMAT IMAGE` run on the current image
 * (BmAugmentExportWriter and bm_augment_export_make_sample are what the CLI uses), with these
 * differences, all of them the panel's own concepts:
 *   - the labels are the panel's, unsaved edits included (the CLI reads the label file);
 *   - a partner picked by hand replaces the partners the seed draws (the CLI has no such
 *     option; the operations still draw what the CLI draws);
 *   - operations always apply, in the pipeline order, with symmetric ranges: what
 *     bm_augment_panel_dup_cli_ops spells, parsed by the CLI's parser;
 *   - an image without labels or with problems is exported too (the CLI leaves it out);
 *   - existing files are never replaced (no --force), JPEG quality is the CLI's default and
 *     YOLO rows are not clipped (no --clip); YOLO ids come from the folder's class list (YOLO
 *     folders) or every label of the folder, sorted, as the CLI numbers them. */
static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autofree char *stem = bm_path_get_stem (job->image_path);
  const char *ext = bm_augment_export_image_extension (job->image_path, NULL);
  g_autoptr(BmAugmentExportWriter) writer = bm_augment_export_writer_new (job->out_dir, job->format,
                                                                         BM_AUGMENT_EXPORT_DEFAULT_QUALITY, FALSE, FALSE);
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);
  gboolean yolo = job->format == BM_AUGMENT_EXPORT_YOLO || job->format == BM_AUGMENT_EXPORT_YOLO_OBB;
  GError *error = NULL;

  /* the panel's pool with the label files the window saved since read again, as the CLI would
   * read them now; built here when the previews did not need one */
  job_prepare_pool (job, TRUE);
  if (job->pool == NULL)
    job->pool = bm_augment_export_pool_new (NULL, -1, NULL, NULL, NULL);
  if (yolo)
    {
      g_autoptr(GHashTable) class_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GString) missing = g_string_new (NULL);

      if (job->classes == NULL)
        job->classes = bm_augment_export_pool_sorted_labels (job->pool, job->labels);
      if (!bm_augment_export_pool_match_classes (job->pool, job->labels, job->classes, class_names, NULL, missing))
        {
          g_task_return_new_error (task, BM_ERROR, BM_ERROR_INVALID, _("Labels not in the class list %s:%s"),
                                   bm_class_list_get_path (job->classes) ? bm_class_list_get_path (job->classes) : "",
                                   missing->str);
          return;
        }
      bm_augment_export_writer_set_classes (writer, job->classes, class_names);
    }
  bm_augment_export_writer_find_existing (writer, stem, ext, job->n, existing);
  bm_augment_export_writer_find_existing_class_files (writer, existing);
  if (existing->len > 0)
    {
      g_task_return_new_error (task, BM_ERROR, BM_ERROR_IO,
                               _("%s already exists; nothing was written (choose an empty folder)"),
                               (char *) existing->pdata[0]);
      return;
    }
  if (!bm_augment_export_writer_make_dirs (writer, &error)
      || (yolo && !bm_augment_export_writer_write_class_files (writer, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint k = 0; k < job->n; k++)
    {
      g_autoptr(BmAugmentSample) sample = NULL;
      g_autoptr(GArray) partners = NULL;
      g_autofree char *sidecar = NULL;
      guint64 seed = 0;

      if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
        sample = job_make_sample (job, k, &seed, &partners, &error);
      if (sample != NULL)
        sidecar = bm_augment_export_sidecar_text (sample, k, job->seed, seed, job->image_path, job->label_path,
                                                  job->pool, partners);
      if (sample == NULL || !bm_augment_export_writer_write_sample (writer, stem, ext, k, sample, sidecar, &error))
        {
          g_prefix_error (&error, _("Sample %u: "), k);
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_int (task, job->n);
}

/* The source's paths as the CLI names them: the folder's item, else the annotation's. */
static void
export_source_paths (BmAugmentPanel *self, Job *job)
{
  const BmDatasetItem *item = NULL;
  const char *label = NULL;

  if (self->dataset != NULL && self->index != G_MAXUINT)
    item = bm_dataset_get_item (self->dataset, self->index);
  if (item != NULL && item->image_path != NULL)
    job->image_path = g_strdup (item->image_path);
  else if (self->annotation != NULL && bm_annotation_get_image_path (self->annotation) != NULL)
    job->image_path = g_strdup (bm_annotation_get_image_path (self->annotation));
  else if (self->image_path != NULL)
    job->image_path = g_strdup (self->image_path);
  else
    job->image_path = g_strdup ("image.png");
  if (item != NULL)
    label = item->label_path;   /* saved since the folder was opened, maybe: the disk says below */
  else if (self->annotation != NULL)
    label = bm_annotation_get_label_path (self->annotation);
  if (label != NULL && g_file_test (label, G_FILE_TEST_IS_REGULAR))
    job->label_path = g_strdup (label);
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
  job->cache = bm_augment_export_cache_new (PARTNER_CACHE_SIZE);
  job->pool = self->pool ? bm_augment_export_pool_ref (self->pool) : NULL;
  job->saved = self->saved ? g_array_copy (self->saved) : NULL;
  export_source_paths (self, job);
  job->labels = bm_augment_sample_to_annotation (job->source);
  bm_annotation_set_label_path (job->labels, job->label_path);
  if ((format == BM_AUGMENT_EXPORT_YOLO || format == BM_AUGMENT_EXPORT_YOLO_OBB) && self->dataset != NULL
      && bm_dataset_get_format (self->dataset) == BM_FORMAT_YOLO && bm_dataset_get_class_file (self->dataset) != NULL)
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
  g_clear_pointer (&self->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&self->saved, g_array_unref);
  g_clear_pointer (&self->cache, bm_augment_export_cache_free);

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
      g_clear_pointer (&self->cache, bm_augment_export_cache_free);
      self->partner = -1;
      /* another folder: its pool is built when partners are first wanted; another image of the
       * same folder keeps it (saves reach it through bm_augment_panel_labels_saved) */
      g_clear_pointer (&self->pool, bm_augment_export_pool_unref);
      g_clear_pointer (&self->saved, g_array_unref);
      self->pool_serial++;
    }
  index = dataset != NULL && index < bm_dataset_get_n_items (dataset) ? index : G_MAXUINT;
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

void
bm_augment_panel_labels_saved (BmAugmentPanel *self,
                               BmDataset      *dataset,
                               guint           index)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));
  g_return_if_fail (dataset == NULL || BM_IS_DATASET (dataset));

  /* another folder's pool, if any, is built from the disk when it is first wanted */
  if (dataset == NULL || dataset != self->dataset || index >= bm_dataset_get_n_items (dataset))
    return;
  if (self->saved == NULL)
    self->saved = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (self->saved, index);
  /* a new label file may be a new partner candidate, and changes the draw */
  if (self->pool != NULL && self->image != NULL)
    schedule_update (self);
}

void
bm_augment_panel_labels_rewritten (BmAugmentPanel *self)
{
  g_return_if_fail (BM_IS_AUGMENT_PANEL (self));

  /* Many label files changed (a batch run): the pool is built again from the disk when next
   * wanted, and partners loaded so far are read again. */
  g_clear_pointer (&self->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&self->saved, g_array_unref);
  g_clear_pointer (&self->cache, bm_augment_export_cache_free);
  self->pool_serial++;
  if (self->image != NULL)
    schedule_update (self);
}

guint
bm_augment_panel_get_n_pool_builds (BmAugmentPanel *self)
{
  g_return_val_if_fail (BM_IS_AUGMENT_PANEL (self), 0);
  return self->n_pool_builds;
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
