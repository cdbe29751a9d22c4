/* bm-cli-augment.c: boxmark-cli augment — writes augmented samples of a dataset, with their
 * labels moved the way a training framework moves them, in VOC, DOTA or YOLO.
 *
 * Every sample gets a sidecar (augment/STEM.augment.txt) holding bm_augment_sample_describe's
 * text plus the source and partner paths, so bm_augment_replay reproduces it exactly.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-augment.h"
#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "formats/bm-yolo.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

#define SIDECAR_DIR "augment"
#define MAX_CONFLICTS_NAMED 5
#define PARTNER_CACHE_SIZE 32

typedef struct
{
  char *ops;
  int n;
  gint64 seed;
  char *profile;
  char *to;
  char *classes;
  char *data;
  char *format;
  int quality;
  gboolean clip;
  gboolean force;
  char *out;
  char **sources;
} Options;

/* One entry of --ops with the ranges its parameters are drawn from. The engine draws
 * symmetric ranges (U(-d, d), U(1-s, 1+s), U(-g, g)); an asymmetric range A..B is drawn as
 * the symmetric one of half-width (B-A)/2, then shifted by its middle: exactly U(A, B). */
typedef struct
{
  BmAugmentOpKind kind;
  BmAugmentSettings settings;
  BmAugmentProfile profile;      /* the run's profile with this entry's mixup α */
  gboolean shift_degrees;
  double degrees_mid;
  gboolean shift_scale;
  double scale_mid;
  gboolean own_ratio;            /* expand ratio range not starting at 1: drawn here */
  double ratio[2];
  gboolean shift_hsv[3];
  double hsv_mid[3];
  guint seen_keys;               /* bit per key name, to refuse duplicates */
} OpSpec;

typedef struct
{
  const BmDatasetItem *item;
  BmAnnotation *annotation;      /* NULL: never labelled or unreadable */
  gboolean usable;               /* labelled (or verified empty), readable, size agrees */
  int channels;                  /* from the image header */
} Loaded;

typedef struct
{
  Options *opts;
  BmCliTarget target;
  const BmAugmentProfile *profile;
  GArray *specs;                 /* OpSpec */
  guint n_partners_needed;
  BmDataset *dataset;
  GArray *loaded;                /* Loaded, one per dataset item */
  GArray *usable;                /* guint indices into loaded */
  GArray *by_channels[5];        /* usable indices by channel count: mixup and mosaic partners */
  BmClassList *classes;          /* YOLO only */
  GHashTable *class_names;       /* label → class name when matched loosely (YOLO) */
  GHashTable *partner_cache;     /* item index → BmAugmentSample* */
  char *image_dir, *label_dir, *sidecar_dir;
  GHashTable *renamed;           /* DOTA: label with blanks → token */
  guint n_problems;
  guint n_samples, n_images, n_objects, n_dropped, n_clipped, n_outside, n_failed;
} Run;

static const char *const op_keys[BM_AUGMENT_N_OPS] = {
  [BM_AUGMENT_OP_ROTATE] = "deg, scale, canvas, boxes, p",
  [BM_AUGMENT_OP_EXPAND] = "ratio, p",
  [BM_AUGMENT_OP_MIXUP] = "alpha, source, size, p",
  [BM_AUGMENT_OP_HFLIP] = "offset, p",
  [BM_AUGMENT_OP_VFLIP] = "offset, p",
  [BM_AUGMENT_OP_CROP] = "min-scale, p",
  [BM_AUGMENT_OP_SCALE] = "range, p",
  [BM_AUGMENT_OP_HSV] = "h, s, v, p",
  [BM_AUGMENT_OP_BRIGHTNESS] = "factor, p",
  [BM_AUGMENT_OP_CONTRAST] = "factor, p",
  [BM_AUGMENT_OP_CUTOUT] = "holes, size, p",
  [BM_AUGMENT_OP_MOSAIC] = "size, p",
  [BM_AUGMENT_OP_LETTERBOX] = "size, p",
};

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("augment", message);
}

static void
print_problem (const BmProblem *problem)
{
  g_autofree char *text = bm_problem_to_string (problem);
  fprintf (stderr, "%s\n", text);
}

static void
report_problem (Run *run, const char *file, const char *message)
{
  g_autoptr(BmProblem) problem = bm_problem_new (file, 0, message);

  print_problem (problem);
  run->n_problems++;
}

/* ---- --ops ---- */

static gboolean
parse_number (const char *text, double *value)
{
  char *end = NULL;

  if (text[0] == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

/* "A..B" or a single number (then A = B). */
static gboolean
parse_range (const char *text, double range[2])
{
  const char *dots = strstr (text, "..");

  if (dots == NULL)
    {
      if (!parse_number (text, &range[0]))
        return FALSE;
      range[1] = range[0];
      return TRUE;
    }
  {
    g_autofree char *low = g_strndup (text, (gsize) (dots - text));

    return parse_number (low, &range[0]) && parse_number (dots + 2, &range[1]) && range[0] <= range[1];
  }
}

static gboolean
parse_int (const char *text, int lo, int hi, int *value)
{
  double v;

  if (!parse_number (text, &v) || v != floor (v) || v < lo || v > hi)
    return FALSE;
  *value = (int) v;
  return TRUE;
}

static gboolean
bad_value (GError **error, const char *part, const char *key, const char *value, const char *expected)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("--ops: “%s=%s” in “%s”: expected %s"), key, value, part, expected);
  return FALSE;
}

static gboolean
in_range (const double range[2], double lo, double hi)
{
  return range[0] >= lo && range[1] <= hi;
}

/* Returns FALSE with @error for a bad value; *known FALSE for a key @spec's kind does not have. */
static gboolean
parse_key (OpSpec *spec, const char *key, const char *value, const char *part, gboolean *known,
           GError **error)
{
  BmAugmentSettings *s = &spec->settings;
  double r[2];
  int n;

  *known = TRUE;
  if (strcmp (key, "p") == 0)
    {
      if (!parse_number (value, &r[0]) || r[0] < 0 || r[0] > 1)
        return bad_value (error, part, key, value, _("a probability from 0 to 1"));
      s->probability[spec->kind] = r[0];
      return TRUE;
    }

  switch (spec->kind)
    {
    case BM_AUGMENT_OP_ROTATE:
      if (strcmp (key, "deg") == 0)
        {
          if (!parse_range (value, r) || !in_range (r, -360, 360))
            return bad_value (error, part, key, value, _("degrees (counter-clockwise), a number or a range A..B within -360..360"));
          s->degrees = (r[1] - r[0]) / 2;
          spec->shift_degrees = TRUE;
          spec->degrees_mid = (r[0] + r[1]) / 2;
          return TRUE;
        }
      if (strcmp (key, "scale") == 0)
        {
          if (!parse_range (value, r) || r[0] <= 0 || r[1] > 10)
            return bad_value (error, part, key, value, _("a factor or a range A..B above 0 and at most 10"));
          s->rotate_scale = (r[1] - r[0]) / 2;
          spec->shift_scale = TRUE;
          spec->scale_mid = (r[0] + r[1]) / 2;
          return TRUE;
        }
      if (strcmp (key, "canvas") == 0)
        {
          static const char *const names[] = { "keep", "enlarge", "shrink", "squeeze" };

          for (guint i = 0; i < G_N_ELEMENTS (names); i++)
            if (strcmp (value, names[i]) == 0)
              {
                s->canvas = (BmAugmentCanvas) i;
                return TRUE;
              }
          return bad_value (error, part, key, value, _("keep, enlarge, shrink or squeeze"));
        }
      if (strcmp (key, "boxes") == 0)
        {
          if (strcmp (value, "largest") == 0)
            s->box_method = BM_AUGMENT_BOX_LARGEST;
          else if (strcmp (value, "ellipse") == 0)
            s->box_method = BM_AUGMENT_BOX_ELLIPSE;
          else
            return bad_value (error, part, key, value, _("largest or ellipse"));
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_EXPAND:
      if (strcmp (key, "ratio") == 0)
        {
          if (!parse_range (value, r) || !in_range (r, 1, 10))
            return bad_value (error, part, key, value, _("a ratio or a range A..B within 1..10"));
          s->expand_ratio = r[1];
          spec->own_ratio = r[0] != 1.0;
          spec->ratio[0] = r[0];
          spec->ratio[1] = r[1];
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_MIXUP:
      if (strcmp (key, "alpha") == 0)
        {
          if (!parse_number (value, &r[0]) || r[0] <= 0 || r[0] > 1000)
            return bad_value (error, part, key, value, _("the α of λ ~ Beta(α, α), above 0"));
          spec->profile.mixup_alpha = r[0];
          return TRUE;
        }
      if (strcmp (key, "size") == 0)
        {
          if (!parse_int (value, 2, 8192, &n))
            return bad_value (error, part, key, value, _("mmdetection’s img_scale side in pixels, a whole number from 2 to 8192"));
          s->mosaic_size = n;
          return TRUE;
        }
      if (strcmp (key, "source") == 0)
        {
          if (strcmp (value, "random") != 0)
            return bad_value (error, part, key, value, _("random (another image of the dataset, chosen by the seed)"));
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_HFLIP:
    case BM_AUGMENT_OP_VFLIP:
      if (strcmp (key, "offset") == 0)
        {
          if (strcmp (value, "0") == 0)
            s->flip_minus_one = FALSE;
          else if (strcmp (value, "1") == 0)
            s->flip_minus_one = TRUE;
          else
            return bad_value (error, part, key, value, _("0 (x′ = W − x) or 1 (x′ = W − 1 − x)"));
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_CROP:
      if (strcmp (key, "min-scale") == 0)
        {
          if (!parse_number (value, &r[0]) || r[0] < 0.01 || r[0] > 1)
            return bad_value (error, part, key, value, _("the smallest side factor, from 0.01 to 1"));
          s->crop_min_scale = r[0];
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_SCALE:
      if (strcmp (key, "range") == 0)
        {
          if (!parse_range (value, r) || r[0] <= 0 || r[1] > 10)
            return bad_value (error, part, key, value, _("a factor or a range A..B above 0 and at most 10"));
          s->scale_range[0] = r[0];
          s->scale_range[1] = r[1];
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_HSV:
      for (guint c = 0; c < 3; c++)
        if (strcmp (key, (const char *[]) { "h", "s", "v" }[c]) == 0)
          {
            if (!parse_range (value, r) || !in_range (r, -1, 1))
              return bad_value (error, part, key, value, _("a gain or a range A..B within -1..1"));
            s->hsv_gain[c] = (r[1] - r[0]) / 2;
            spec->shift_hsv[c] = TRUE;
            spec->hsv_mid[c] = (r[0] + r[1]) / 2;
            return TRUE;
          }
      break;
    case BM_AUGMENT_OP_BRIGHTNESS:
    case BM_AUGMENT_OP_CONTRAST:
      if (strcmp (key, "factor") == 0)
        {
          double *target = spec->kind == BM_AUGMENT_OP_BRIGHTNESS ? s->brightness : s->contrast;

          if (!parse_range (value, r) || !in_range (r, 0, 10))
            return bad_value (error, part, key, value, _("a factor or a range A..B within 0..10"));
          target[0] = r[0];
          target[1] = r[1];
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_CUTOUT:
      if (strcmp (key, "holes") == 0)
        {
          if (!parse_int (value, 1, BM_AUGMENT_MAX_HOLES, &n))
            return bad_value (error, part, key, value, _("the most holes per sample, a whole number from 1 to 8"));
          s->cutout_holes = n;
          return TRUE;
        }
      if (strcmp (key, "size") == 0)
        {
          if (!parse_range (value, r) || r[0] <= 0 || r[1] > 1)
            return bad_value (error, part, key, value, _("the hole side as a fraction of the image side, or a range A..B, above 0 and at most 1"));
          s->cutout_size[0] = r[0];
          s->cutout_size[1] = r[1];
          return TRUE;
        }
      break;
    case BM_AUGMENT_OP_MOSAIC:
    case BM_AUGMENT_OP_LETTERBOX:
      if (strcmp (key, "size") == 0)
        {
          if (!parse_int (value, 2, 8192, &n))
            return bad_value (error, part, key, value, _("a side in pixels, a whole number from 2 to 8192"));
          s->mosaic_size = n;
          return TRUE;
        }
      break;
    case BM_AUGMENT_N_OPS:
    default:
      break;
    }
  *known = FALSE;
  return FALSE;
}

static guint
key_bit (const char *key)
{
  static const char *const keys[] = {
    "p", "deg", "scale", "canvas", "boxes", "ratio", "alpha", "source", "offset", "min-scale",
    "range", "h", "s", "v", "factor", "holes", "size",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (key, keys[i]) == 0)
      return 1u << i;
  return 0;
}

static gboolean
parse_op (const char *part, const BmAugmentProfile *profile, OpSpec *spec, GError **error)
{
  const char *colon = strchr (part, ':');
  g_autofree char *name = g_strstrip (colon ? g_strndup (part, (gsize) (colon - part)) : g_strdup (part));
  g_auto(GStrv) pairs = NULL;

  memset (spec, 0, sizeof *spec);
  if (!bm_augment_op_kind_from_string (name, &spec->kind))
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < BM_AUGMENT_N_OPS; i++)
        g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", bm_augment_op_kind_to_string ((BmAugmentOpKind) i));
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("--ops: unknown operation “%s” in “%s” (known: %s)"),
                   name, part, known->str);
      return FALSE;
    }
  bm_augment_settings_init (&spec->settings, profile);
  spec->profile = *profile;
  /* an operation the user lists is applied unless its p says otherwise */
  spec->settings.probability[spec->kind] = 1.0;
  if (colon == NULL)
    return TRUE;

  pairs = g_strsplit (colon + 1, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;
      gboolean known;
      guint bit;

      if (eq == NULL)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("--ops: “%s” in “%s” is not key=value"),
                       g_strstrip (pairs[i]), part);
          return FALSE;
        }
      key = g_strstrip (g_strndup (pairs[i], (gsize) (eq - pairs[i])));
      value = g_strstrip (g_strdup (eq + 1));
      bit = key_bit (key);
      if (bit != 0 && (spec->seen_keys & bit) != 0)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("--ops: “%s” is given twice in “%s”"), key, part);
          return FALSE;
        }
      spec->seen_keys |= bit;
      if (!parse_key (spec, key, value, part, &known, error))
        {
          if (!known)
            g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("--ops: unknown key “%s” in “%s” (%s takes: %s)"),
                         key, part, name, op_keys[spec->kind]);
          return FALSE;
        }
    }
  return TRUE;
}

static GArray *
parse_ops (const char *text, const BmAugmentProfile *profile, GError **error)
{
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (OpSpec));
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      OpSpec spec;

      if (part[0] == '\0')
        continue;
      if (!parse_op (part, profile, &spec, error))
        return NULL;
      g_array_append_val (specs, spec);
    }
  if (specs->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("--ops: no operation in “%s”"), text);
      return NULL;
    }
  return g_steal_pointer (&specs);
}

/* ---- drawing ---- */

/* Same rules as the engine's expand draw, for a ratio range that does not start at 1. */
static void
redraw_expand (const OpSpec *spec, const BmAugmentSample *sample, BmAugmentRng *rng, BmAugmentOp *op)
{
  const BmImage *image = sample->image;
  double r = bm_augment_rng_uniform (rng, spec->ratio[0], spec->ratio[1]);
  int w = (int) (image->width * r), h = (int) (image->height * r);

  op->expand.ratio = r;
  if (sample->profile->expand_strict)
    {
      op->expand.y = bm_augment_rng_int (rng, 0, h - image->height);
      op->expand.x = bm_augment_rng_int (rng, 0, w - image->width);
    }
  else
    {
      op->expand.x = (int) bm_augment_rng_uniform (rng, 0, image->width * r - image->width);
      op->expand.y = (int) bm_augment_rng_uniform (rng, 0, image->height * r - image->height);
    }
}

static gboolean
draw_spec (const OpSpec *spec, BmAugmentSample *sample, guint n_others, BmAugmentRng *rng, BmAugmentOp *op)
{
  const BmAugmentProfile *saved = sample->profile;
  gboolean apply;

  /* the copy differs only in mixup α, which only the draw reads */
  sample->profile = &spec->profile;
  apply = bm_augment_draw_op (spec->kind, &spec->settings, sample, n_others, rng, op);
  sample->profile = saved;

  switch (spec->kind)
    {
    case BM_AUGMENT_OP_ROTATE:
      if (spec->shift_degrees)
        op->rotate.degrees += spec->degrees_mid;
      if (spec->shift_scale)
        op->rotate.scale += spec->scale_mid - 1.0;
      break;
    case BM_AUGMENT_OP_EXPAND:
      if (spec->own_ratio)
        redraw_expand (spec, sample, rng, op);
      break;
    case BM_AUGMENT_OP_HSV:
      if (spec->shift_hsv[0])
        op->hsv.hue += spec->hsv_mid[0];
      if (spec->shift_hsv[1])
        op->hsv.saturation += spec->hsv_mid[1];
      if (spec->shift_hsv[2])
        op->hsv.value += spec->hsv_mid[2];
      break;
    default:
      break;
    }
  return apply;
}

/* SplitMix64: spreads (seed, image, k) into independent generator seeds. */
static guint64
mix64 (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint64
sample_seed (guint64 seed, guint image_index, guint k)
{
  return mix64 (mix64 (mix64 (seed) ^ image_index) ^ k);
}

/* ---- loading ---- */

static void
clear_loaded (GArray *loaded)
{
  for (guint i = 0; i < loaded->len; i++)
    g_clear_object (&g_array_index (loaded, Loaded, i).annotation);
  g_array_unref (loaded);
}

static gboolean
size_agrees (const BmDatasetItem *item, BmAnnotation *annotation, int *channels, GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  int w = 0, h = 0, c = 0;

  if (!bm_image_read_info (item->image_path, &w, &h, &c, &error))
    {
      g_ptr_array_add (problems, bm_problem_new (item->image_path, 0, error->message));
      return FALSE;
    }
  if (bm_annotation_get_width (annotation) > 0 && bm_annotation_get_height (annotation) > 0
      && (bm_annotation_get_width (annotation) != w || bm_annotation_get_height (annotation) != h))
    {
      g_ptr_array_add (problems,
                       bm_problem_new_printf (item->label_path, 0,
                                              _("the label file records %d×%d but the image is %d×%d (EXIF-oriented); "
                                                "left out so that no box lands in the wrong place"),
                                              bm_annotation_get_width (annotation), bm_annotation_get_height (annotation), w, h));
      return FALSE;
    }
  *channels = CLAMP (c, 1, 4);
  return TRUE;
}

/* Loads one item; what is wrong with it goes to @problems. */
static void
load_one (const BmDatasetItem *item, Loaded *entry, GPtrArray *problems, guint *n_unlabelled, guint *n_unverified)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  if (item->image_path == NULL)
    {
      g_ptr_array_add (problems, bm_problem_new (item->label_path, 0, _("label file without an image")));
      return;
    }
  if (!item->has_label)
    {
      (*n_unlabelled)++;
      return;
    }
  entry->annotation = bm_label_load (item, &error);
  if (entry->annotation == NULL)
    {
      /* the message already reads FILE:LINE: problem */
      g_ptr_array_add (problems, bm_problem_new (NULL, 0, error->message));
      return;
    }
  found = bm_annotation_get_problems (entry->annotation);
  for (guint k = 0; k < found->len; k++)
    g_ptr_array_add (problems, bm_problem_copy (found->pdata[k]));
  if (bm_annotation_is_read_only (entry->annotation))
    g_ptr_array_add (problems, bm_problem_new (item->label_path, 0,
                                               found->len > 0 ? _("the label file has problems (see above); not augmented")
                                                              : _("the label file is read-only; not augmented")));
  else if (bm_annotation_get_n_objects (entry->annotation) == 0
           && !bm_annotation_get_verified (entry->annotation) && item->format != BM_FORMAT_YOLO)
    (*n_unverified)++;
  else
    entry->usable = size_agrees (item, entry->annotation, &entry->channels, problems);
}

/* Loads every item's labels; usable items are labelled (or verified empty, or a YOLO empty
 * .txt, which Ultralytics trains on as background), read cleanly and sized like their image.
 * With @only >= 0 (one image given) the others are loaded as mixup partners and only that
 * item's problems are reported. */
static void
load_items (Run *run, int only, guint *n_unlabelled, guint *n_unverified)
{
  run->loaded = g_array_new (FALSE, TRUE, sizeof (Loaded));
  run->usable = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint c = 0; c < G_N_ELEMENTS (run->by_channels); c++)
    run->by_channels[c] = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < bm_dataset_get_n_items (run->dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (run->dataset, i);
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
      Loaded entry = { item, NULL, FALSE, 0 };
      guint unlabelled = 0, unverified = 0;

      load_one (item, &entry, problems, &unlabelled, &unverified);
      if (only < 0 || (int) i == only)
        {
          for (guint k = 0; k < problems->len; k++)
            {
              const BmProblem *problem = problems->pdata[k];

              if (problem->file[0] == '\0')
                fprintf (stderr, "%s\n", problem->message);
              else
                print_problem (problem);
            }
          run->n_problems += problems->len;
          *n_unlabelled += unlabelled;
          *n_unverified += unverified;
        }
      g_array_append_val (run->loaded, entry);
      if (entry.usable)
        {
          g_array_append_val (run->usable, i);
          g_array_append_val (run->by_channels[entry.channels], i);
        }
    }
}

/* ---- YOLO classes ---- */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every label of the usable items, sorted, as convert's YOLO export numbers them. */
static BmClassList *
sorted_labels (Run *run)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BmClassList *classes = bm_class_list_new ();

  for (guint u = 0; u < run->usable->len; u++)
    {
      Loaded *entry = &g_array_index (run->loaded, Loaded, g_array_index (run->usable, guint, u));

      for (guint k = 0; k < bm_annotation_get_n_objects (entry->annotation); k++)
        {
          const char *label = bm_object_get_label (bm_annotation_get_object (entry->annotation, k));

          if (g_hash_table_add (seen, (gpointer) label))
            g_ptr_array_add (labels, (gpointer) label);
        }
    }
  g_ptr_array_sort (labels, compare_strings);
  for (guint i = 0; i < labels->len; i++)
    bm_class_list_add (classes, labels->pdata[i]);
  return classes;
}

/* Checks every label against the given list before anything is written. */
static gboolean
resolve_classes (Run *run)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);

  run->class_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint u = 0; u < run->usable->len; u++)
    {
      Loaded *entry = &g_array_index (run->loaded, Loaded, g_array_index (run->usable, guint, u));

      for (guint k = 0; k < bm_annotation_get_n_objects (entry->annotation); k++)
        {
          const char *label = bm_object_get_label (bm_annotation_get_object (entry->annotation, k));
          int id;

          if (bm_class_list_find (run->classes, label) >= 0 || g_hash_table_contains (run->class_names, label))
            continue;
          id = bm_class_list_find_loose (run->classes, label);
          if (id >= 0)
            {
              const char *name = bm_class_list_get_name (run->classes, (guint) id);

              printf (_("Matched label “%s” → class %d “%s” (spaces, hyphens and underscores treated alike).\n"),
                      label, id, name);
              g_hash_table_insert (run->class_names, g_strdup (label), g_strdup (name));
            }
          else if (g_hash_table_add (reported, (gpointer) label))
            g_string_append_printf (missing, "\n  “%s”: %s", label, entry->item->label_path);
        }
    }
  if (missing->len == 0)
    return TRUE;
  fprintf (stderr, _("Labels not in the class list %s:%s\n%s\n"),
           bm_class_list_get_path (run->classes) ? bm_class_list_get_path (run->classes) : "", missing->str,
           _("Add them to the class list (ids are never re-numbered silently). Nothing was written."));
  return FALSE;
}

/* ---- output names ---- */

typedef struct
{
  guint index;          /* into run->loaded */
  char *stem;           /* unique output stem of the image */
  const char *ext;      /* "png" or "jpg" */
} Planned;

static void
planned_clear (gpointer data)
{
  g_free (((Planned *) data)->stem);
}

static const char *
output_extension (const Options *opts, const char *image_path)
{
  g_autofree char *ext = NULL;

  if (opts->format != NULL)
    return g_ascii_strcasecmp (opts->format, "png") == 0 ? "png" : "jpg";
  ext = bm_path_get_extension (image_path);
  return strcmp (ext, "jpg") == 0 || strcmp (ext, "jpeg") == 0 ? "jpg" : "png";
}

static char *
unique_stem (GHashTable *taken, const char *image_path)
{
  g_autofree char *stem = bm_path_get_stem (image_path);
  char *candidate = g_strdup (stem);

  for (guint n = 2; g_hash_table_contains (taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", stem, n);
    }
  g_hash_table_add (taken, g_strdup (candidate));
  return candidate;
}

static const char *
image_folder (BmCliTarget target)
{
  return target == BM_CLI_TARGET_VOC ? "JPEGImages" : "images";
}

static const char *
label_folder (BmCliTarget target)
{
  return target == BM_CLI_TARGET_VOC ? "Annotations" : target == BM_CLI_TARGET_DOTA ? "labelTxt" : "labels";
}

static const char *
label_extension (BmCliTarget target)
{
  return target == BM_CLI_TARGET_VOC ? "xml" : "txt";
}

static char *
sample_path (const Run *run, const Planned *p, guint k, int which)
{
  g_autofree char *name = NULL;

  switch (which)
    {
    case 0:
      name = g_strdup_printf ("%s_aug%u.%s", p->stem, k, p->ext);
      return g_build_filename (run->image_dir, name, NULL);
    case 1:
      name = g_strdup_printf ("%s_aug%u.%s", p->stem, k, label_extension (run->target));
      return g_build_filename (run->label_dir, name, NULL);
    default:
      name = g_strdup_printf ("%s_aug%u.augment.txt", p->stem, k);
      return g_build_filename (run->sidecar_dir, name, NULL);
    }
}

/* Without --force nothing in DIR is replaced: every target is checked before the first write. */
static gboolean
check_conflicts (Run *run, GArray *plan)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->len; i++)
    for (guint k = 0; k < (guint) run->opts->n; k++)
      for (int which = 0; which < 3; which++)
        {
          char *path = sample_path (run, &g_array_index (plan, Planned, i), k, which);

          if (g_file_test (path, G_FILE_TEST_EXISTS))
            g_ptr_array_add (conflicts, path);
          else
            g_free (path);
        }
  if (run->target == BM_CLI_TARGET_YOLO || run->target == BM_CLI_TARGET_YOLO_OBB)
    for (int i = 0; i < 2; i++)
      {
        char *path = g_build_filename (run->opts->out, i == 0 ? "data.yaml" : "classes.txt", NULL);

        if (g_file_test (path, G_FILE_TEST_EXISTS))
          g_ptr_array_add (conflicts, path);
        else
          g_free (path);
      }
  if (conflicts->len == 0)
    return TRUE;
  for (guint i = 0; i < conflicts->len && i < MAX_CONFLICTS_NAMED; i++)
    fprintf (stderr, _("%s: already exists\n"), (char *) conflicts->pdata[i]);
  if (conflicts->len > MAX_CONFLICTS_NAMED)
    fprintf (stderr, _("… and %u more files\n"), conflicts->len - MAX_CONFLICTS_NAMED);
  fprintf (stderr, _("Nothing was written: %u output files already exist in %s (use --force to replace them, or choose another folder).\n"),
           conflicts->len, run->opts->out);
  return FALSE;
}

static gboolean
write_file (const Run *run, const char *path, const char *data, gsize length, GError **error)
{
  if (run->opts->force)
    return bm_file_write_atomic (path, data, length, error);
  return bm_export_write_new_file (path, data, length, error);
}

/* ---- samples ---- */

static BmAugmentSample *
load_sample (Run *run, guint index, int channels, GError **error)
{
  Loaded *entry = &g_array_index (run->loaded, Loaded, index);
  g_autoptr(BmImage) image = bm_image_load (entry->item->image_path, error);

  if (image == NULL)
    return NULL;
  if (channels > 0 && image->channels != channels && (channels == 1 || channels == 3 || channels == 4))
    {
      /* mixup and mosaic need the partner in the sample's channel count */
      BmImage *converted = bm_image_convert (image, channels);

      bm_image_unref (image);
      image = converted;
    }
  return bm_augment_sample_new (image, entry->annotation, run->profile);
}

static BmAugmentSample *
get_partner (Run *run, guint index, int channels, GError **error)
{
  BmAugmentSample *sample = g_hash_table_lookup (run->partner_cache, GUINT_TO_POINTER (index));

  if (sample != NULL && sample->image->channels == channels)
    return sample;
  sample = load_sample (run, index, channels, error);
  if (sample != NULL)
    g_hash_table_replace (run->partner_cache, GUINT_TO_POINTER (index), sample);
  return sample;
}

/* Distinct other usable images with the same channel count (mixing needs it; trainers see
 * one colour model), as many as the operations can use, drawn from @rng. */
static GArray *
choose_partners (Run *run, guint self, BmAugmentRng *rng)
{
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *group = run->by_channels[g_array_index (run->loaded, Loaded, self).channels];
  guint n_candidates = group->len;
  guint self_pos = G_MAXUINT;
  guint want;

  /* the group is in dataset order: binary search */
  for (guint lo = 0, hi = group->len; lo < hi;)
    {
      guint mid = lo + (hi - lo) / 2, value = g_array_index (group, guint, mid);

      if (value == self)
        {
          self_pos = mid;
          break;
        }
      if (value < self)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (self_pos != G_MAXUINT)
    n_candidates--;
  want = MIN (run->n_partners_needed, n_candidates);
  while (chosen->len < want)
    {
      guint pos = (guint) bm_augment_rng_int (rng, 0, (int) n_candidates);
      guint index;
      gboolean taken = FALSE;

      if (self_pos != G_MAXUINT && pos >= self_pos)
        pos++;
      index = g_array_index (group, guint, pos);
      for (guint c = 0; c < chosen->len; c++)
        taken = taken || g_array_index (chosen, guint, c) == index;
      if (!taken)
        g_array_append_val (chosen, index);
    }
  return chosen;
}

static void
hyphenate_labels (Run *run, BmAnnotation *annotation)
{
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const char *label = bm_object_get_label (object);
      g_autofree char *token = NULL;

      if (strpbrk (label, " \t\n\r\v\f") == NULL)
        continue;
      token = g_strdup (label);
      g_strdelimit (token, " \t\n\r\v\f", '-');
      if (!g_hash_table_contains (run->renamed, label))
        g_hash_table_insert (run->renamed, g_strdup (label), g_strdup (token));
      bm_object_set_label (object, token);
    }
}

static char *
labels_text (Run *run, BmAnnotation *annotation, gsize *length, GError **error)
{
  guint n_clipped = 0, n_outside = 0;
  char *data;

  switch (run->target)
    {
    case BM_CLI_TARGET_VOC:
      return bm_voc_to_data (annotation, length, error);
    case BM_CLI_TARGET_DOTA:
      hyphenate_labels (run, annotation);
      return bm_dota_to_data (annotation, length, error);
    case BM_CLI_TARGET_YOLO:
    case BM_CLI_TARGET_YOLO_OBB:
    default:
      for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
        {
          BmObject *object = bm_annotation_get_object (annotation, i);
          const char *name = g_hash_table_lookup (run->class_names, bm_object_get_label (object));

          if (name != NULL)
            bm_object_set_label (object, name);
        }
      data = bm_yolo_to_data (annotation, run->classes, bm_annotation_get_width (annotation),
                              bm_annotation_get_height (annotation),
                              run->target == BM_CLI_TARGET_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT, run->opts->clip,
                              &n_clipped, &n_outside, length, error);
      run->n_clipped += n_clipped;
      run->n_outside += n_outside;
      return data;
    }
}

static char *
sidecar_text (const Run *run, const BmAugmentSample *sample, const Loaded *source, guint k, guint64 seed,
              GArray *partners)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *description = bm_augment_sample_describe (sample);
  g_autofree char *image = g_canonicalize_filename (source->item->image_path, NULL);

  g_string_append_printf (s, "# boxmark-cli augment: sample %u, --seed %" G_GINT64_FORMAT ", sample seed %" G_GUINT64_FORMAT "\n",
                          k, run->opts->seed, seed);
  g_string_append_printf (s, "# source: %s\n", image);
  if (source->item->has_label)
    {
      g_autofree char *labels = g_canonicalize_filename (source->item->label_path, NULL);
      g_string_append_printf (s, "# source labels: %s\n", labels);
    }
  for (guint i = 0; i < partners->len; i++)
    {
      const Loaded *other = &g_array_index (run->loaded, Loaded, g_array_index (partners, guint, i));
      g_autofree char *other_image = g_canonicalize_filename (other->item->image_path, NULL);

      g_string_append_printf (s, "# other %u: %s\n", i, other_image);
      if (other->item->has_label)
        {
          g_autofree char *labels = g_canonicalize_filename (other->item->label_path, NULL);
          g_string_append_printf (s, "# other %u labels: %s\n", i, labels);
        }
    }
  g_string_append (s, description);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Runs the operations on @source for sample @k; NULL and @error when an operation does not fit. */
static BmAugmentSample *
augment_one (Run *run, const BmAugmentSample *source, guint index, guint k, guint64 *seed_out,
             GArray **partners_out, GError **error)
{
  g_autoptr(BmAugmentSample) sample = NULL;
  g_autoptr(GArray) partners = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  guint64 seed = sample_seed ((guint64) run->opts->seed, index, k);
  BmAugmentRng rng;

  bm_augment_rng_init (&rng, seed);
  partners = choose_partners (run, index, &rng);
  /* evicted only here, so no partner of this sample is freed while in use */
  if (g_hash_table_size (run->partner_cache) + partners->len > PARTNER_CACHE_SIZE)
    g_hash_table_remove_all (run->partner_cache);
  for (guint i = 0; i < partners->len; i++)
    {
      BmAugmentSample *other = get_partner (run, g_array_index (partners, guint, i), source->image->channels, error);

      if (other == NULL)
        return NULL;
      g_ptr_array_add (others, other);
    }

  sample = bm_augment_sample_copy (source);
  for (guint i = 0; i < run->specs->len; i++)
    {
      const OpSpec *spec = &g_array_index (run->specs, OpSpec, i);
      BmAugmentOp op;

      if (!draw_spec (spec, sample, others->len, &rng, &op))
        continue;
      if (!bm_augment_apply (sample, &op, (BmAugmentSample *const *) others->pdata, others->len, error))
        return NULL;
    }
  *seed_out = seed;
  *partners_out = g_steal_pointer (&partners);
  return g_steal_pointer (&sample);
}

/* A file of an earlier run replaced with --force could be a symlink into SRC: writing through
 * it would change the source. */
static gboolean
check_not_linked_into_source (const Run *run, const char *path, GError **error)
{
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return TRUE;
  if (!bm_cli_path_is_inside (path, run->opts->sources[0])
      && !bm_cli_path_is_inside (path, bm_dataset_get_root (run->dataset)))
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_IO,
               _("%s is a link into the source dataset; it is not written through (remove it first)"), path);
  return FALSE;
}

static gboolean
write_sample (Run *run, const Planned *p, guint k, const BmAugmentSample *sample, const Loaded *source,
              guint64 seed, GArray *partners, GError **error)
{
  g_autofree char *image_path = sample_path (run, p, k, 0);
  g_autofree char *label_path = sample_path (run, p, k, 1);
  g_autofree char *sidecar_path = sample_path (run, p, k, 2);
  g_autoptr(BmAnnotation) annotation = bm_augment_sample_to_annotation (sample);
  g_autofree char *labels = NULL;
  g_autofree char *sidecar = NULL;
  gsize length = 0;

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    bm_object_set_origin (bm_annotation_get_object (annotation, i), 0);
  bm_annotation_set_image_path (annotation, image_path);
  bm_annotation_set_label_path (annotation, label_path);
  /* a sample is a new image nobody has reviewed, even when its source is verified */
  bm_annotation_set_verified (annotation, FALSE);

  /* labels first: a label that cannot be written leaves no orphan image behind */
  labels = labels_text (run, annotation, &length, error);
  if (labels == NULL)
    return FALSE;
  if (!check_not_linked_into_source (run, image_path, error) || !check_not_linked_into_source (run, label_path, error)
      || !check_not_linked_into_source (run, sidecar_path, error))
    return FALSE;
  if (!bm_image_save (sample->image, image_path, run->opts->quality, error))
    return FALSE;
  /* an earlier run's sample (or a stale entry) must not lend this one its verified mark */
  if (run->target != BM_CLI_TARGET_VOC && !bm_label_sidecar_set_verified (label_path, FALSE, error))
    return FALSE;
  if (!write_file (run, label_path, labels, length, error))
    return FALSE;
  sidecar = sidecar_text (run, sample, source, k, seed, partners);
  if (!write_file (run, sidecar_path, sidecar, strlen (sidecar), error))
    return FALSE;
  run->n_objects += bm_annotation_get_n_objects (annotation);
  return TRUE;
}

static guint
count_dropped (const BmAugmentSample *sample)
{
  guint n = 0;

  for (guint i = 0; i < bm_augment_sample_get_n_items (sample); i++)
    n += bm_augment_sample_get_item (sample, i)->dropped ? 1 : 0;
  return n;
}

/* FALSE only when writing failed (then the run stops). */
static gboolean
augment_image (Run *run, const Planned *p, guint position, guint n_planned)
{
  const Loaded *entry = &g_array_index (run->loaded, Loaded, p->index);
  g_autoptr(BmAugmentSample) source = NULL;
  g_autoptr(GError) error = NULL;

  fprintf (stderr, _("[%u/%u] %s\n"), position + 1, n_planned, entry->item->image_path);
  source = load_sample (run, p->index, 0, &error);
  if (source == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      run->n_problems++;
      return TRUE;
    }
  for (guint k = 0; k < (guint) run->opts->n; k++)
    {
      g_autoptr(BmAugmentSample) sample = NULL;
      g_autoptr(GArray) partners = NULL;
      guint64 seed = 0;
      guint dropped;

      sample = augment_one (run, source, p->index, k, &seed, &partners, &error);
      if (sample == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("sample %u: %s"), k, error->message);

          report_problem (run, entry->item->image_path, message);
          g_clear_error (&error);
          run->n_failed++;
          continue;
        }
      dropped = count_dropped (sample);
      if (dropped > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "  %s_aug%u: %u of %u objects dropped by the %s rules\n",
                                      "  %s_aug%u: %u of %u objects dropped by the %s rules\n", dropped),
                 p->stem, k, dropped, bm_augment_sample_get_n_items (sample), run->profile->id);
      if (!write_sample (run, p, k, sample, entry, seed, partners, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return FALSE;
        }
      run->n_dropped += dropped;
      run->n_samples++;
    }
  run->n_images++;
  return TRUE;
}

/* --force may replace samples, but never the class list under an earlier run's labels. */
static gboolean
class_files_agree (Run *run)
{
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (run->opts->out, i == 0 ? "classes.txt" : "data.yaml", NULL);
      g_autoptr(BmClassList) existing = NULL;
      g_autoptr(GError) error = NULL;
      gboolean same;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      existing = bm_class_list_load (path, &error);
      same = existing != NULL && bm_class_list_get_n (existing) == bm_class_list_get_n (run->classes);
      for (guint c = 0; same && c < bm_class_list_get_n (existing); c++)
        same = strcmp (bm_class_list_get_name (existing, c), bm_class_list_get_name (run->classes, c)) == 0;
      if (!same)
        {
          fprintf (stderr, _("%s holds other class ids than this run would write; replacing it would change the "
                             "meaning of the labels already there. Nothing was written (give --classes %s to keep its ids).\n"),
                   path, path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_class_files (Run *run, GError **error)
{
  g_autofree char *absolute = g_canonicalize_filename (run->opts->out, NULL);
  g_autofree char *yaml = bm_class_list_to_yaml (run->classes, absolute, "images", "images");
  g_autofree char *txt = bm_class_list_to_txt (run->classes);
  g_autofree char *yaml_path = g_build_filename (run->opts->out, "data.yaml", NULL);
  g_autofree char *txt_path = g_build_filename (run->opts->out, "classes.txt", NULL);

  return write_file (run, yaml_path, yaml, strlen (yaml), error)
         && write_file (run, txt_path, txt, strlen (txt), error);
}

/* ---- setup ---- */

/* A single image: its folder, or up to two folders above (VOC JPEGImages/, YOLO images/train/)
 * when that is where its labels are found. */
static BmDataset *
open_for_image (const char *path, int *index, GError **error)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *folder = g_path_get_dirname (canonical);
  g_autofree char *parent = g_path_get_dirname (folder);
  g_autofree char *grandparent = g_path_get_dirname (parent);
  const char *const candidates[] = { canonical, parent, grandparent };
  BmDataset *first = bm_dataset_open (canonical, TRUE, error);

  if (first == NULL)
    return NULL;
  *index = bm_dataset_find_image (first, canonical);
  if (*index >= 0 && bm_dataset_get_item (first, (guint) *index)->has_label)
    return first;
  for (guint i = 1; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autoptr(BmDataset) dataset = NULL;
      int found;

      if (strcmp (candidates[i], candidates[i - 1]) == 0 || strcmp (candidates[i], folder) == 0)
        break;
      dataset = bm_dataset_open (candidates[i], TRUE, NULL);
      if (dataset == NULL)
        break;
      found = bm_dataset_find_image (dataset, canonical);
      if (found >= 0 && bm_dataset_get_item (dataset, (guint) found)->has_label)
        {
          g_object_unref (first);
          *index = found;
          return g_steal_pointer (&dataset);
        }
    }
  return first;
}

static int
augment_with_options (Options *opts)
{
  Run run = { opts };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) plan = NULL;
  g_autoptr(GHashTable) taken = NULL;
  gboolean single_image;
  int single_index = -1;
  guint n_unlabelled = 0, n_unverified = 0;
  int status = BM_CLI_EXIT_OK;

  if (opts->ops == NULL)
    return usage_error (_("--ops is required, e.g. --ops \"rotate:deg=-15..15;expand:ratio=1..3\""));
  if (opts->to == NULL)
    return usage_error (_("--to is required"));
  if (!bm_cli_parse_target (opts->to, &run.target))
    return usage_error (_("--to must be voc, dota, yolo or yolo-obb"));
  if (opts->out == NULL)
    return usage_error (_("--out is required"));
  if (opts->sources == NULL || opts->sources[0] == NULL)
    return usage_error (_("the source SRC (a dataset folder or an image) is missing"));
  if (opts->sources[1] != NULL)
    return usage_error (_("only one source can be augmented at a time"));
  if (opts->n < 1 || opts->n > 10000)
    return usage_error (_("--n must be from 1 to 10000"));
  if (opts->seed < 0)
    return usage_error (_("--seed must not be negative"));
  if (opts->quality < 1 || opts->quality > 100)
    return usage_error (_("--quality must be from 1 to 100"));
  if (opts->format != NULL && g_ascii_strcasecmp (opts->format, "png") != 0
      && g_ascii_strcasecmp (opts->format, "jpg") != 0 && g_ascii_strcasecmp (opts->format, "jpeg") != 0)
    return usage_error (_("--format must be png or jpg"));
  if (opts->classes != NULL && opts->data != NULL)
    return usage_error (_("give either --classes or --data, not both"));
  if ((opts->classes != NULL || opts->data != NULL || opts->clip) && run.target != BM_CLI_TARGET_YOLO && run.target != BM_CLI_TARGET_YOLO_OBB)
    return usage_error (_("--classes, --data and --clip are for --to yolo or yolo-obb"));
  run.profile = bm_augment_profile_find (opts->profile != NULL ? opts->profile : "ultralytics");
  if (run.profile == NULL)
    return usage_error (_("--profile must be ultralytics, paddle, albumentations or mmdetection"));
  run.specs = parse_ops (opts->ops, run.profile, &error);
  if (run.specs == NULL)
    {
      fprintf (stderr, "boxmark-cli augment: %s\n", error->message);
      return BM_CLI_EXIT_USAGE;
    }
  for (guint i = 0; i < run.specs->len; i++)
    {
      const OpSpec *spec = &g_array_index (run.specs, OpSpec, i);

      if (spec->kind == BM_AUGMENT_OP_MIXUP)
        {
          run.n_partners_needed += 1;
          if (run.profile->mixup_style == BM_AUGMENT_MIXUP_MMDET && (spec->seen_keys & key_bit ("alpha")))
            fprintf (stderr, _("boxmark-cli augment: note: mmdetection mixes 0.5 / 0.5, so mixup’s alpha has no effect\n"));
        }
      else if (spec->kind == BM_AUGMENT_OP_MOSAIC)
        run.n_partners_needed += 3;
    }

  if (!g_file_test (opts->sources[0], G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, _("boxmark-cli augment: %s: no such file or folder\n"), opts->sources[0]);
      g_array_unref (run.specs);
      return BM_CLI_EXIT_FAILURE;
    }
  single_image = !g_file_test (opts->sources[0], G_FILE_TEST_IS_DIR);
  run.dataset = single_image ? open_for_image (opts->sources[0], &single_index, &error)
                             : bm_dataset_open (opts->sources[0], TRUE, &error);
  if (run.dataset == NULL || (single_image && single_index < 0))
    {
      if (error != NULL)
        fprintf (stderr, "boxmark-cli augment: %s\n", error->message);
      else
        fprintf (stderr, _("boxmark-cli augment: %s is not an image Boxmark opens\n"), opts->sources[0]);
      g_clear_object (&run.dataset);
      g_array_unref (run.specs);
      return BM_CLI_EXIT_FAILURE;
    }

  {
    /* also through symlinks, and an output subfolder that is a link into SRC */
    const char *const written[] = { image_folder (run.target), label_folder (run.target), SIDECAR_DIR, NULL };

    if (!bm_cli_check_out_outside_source ("augment", opts->out, written, opts->sources[0],
                                          bm_dataset_get_root (run.dataset)))
      {
        g_clear_object (&run.dataset);
        g_array_unref (run.specs);
        return BM_CLI_EXIT_USAGE;
      }
  }

  printf (_("Reading %s: %s layout, %s labels; profile %s, seed %" G_GINT64_FORMAT ", %d samples per image.\n"),
          opts->sources[0], bm_layout_to_string (bm_dataset_get_layout (run.dataset)),
          bm_format_to_string (bm_dataset_get_format (run.dataset)), run.profile->id, opts->seed, opts->n);
  fflush (stdout);
  load_items (&run, single_image ? single_index : -1, &n_unlabelled, &n_unverified);

  if (run.target == BM_CLI_TARGET_YOLO || run.target == BM_CLI_TARGET_YOLO_OBB)
    {
      const char *file = opts->classes != NULL ? opts->classes : opts->data;

      if (file == NULL && bm_dataset_get_format (run.dataset) == BM_FORMAT_YOLO && bm_dataset_get_class_file (run.dataset))
        file = bm_dataset_get_class_file (run.dataset);
      if (file != NULL)
        run.classes = bm_class_list_load (file, &error);
      else
        {
          run.classes = sorted_labels (&run);
          printf (_("Class ids (every label, sorted; written to data.yaml and classes.txt):\n"));
          for (guint i = 0; i < bm_class_list_get_n (run.classes); i++)
            printf ("  %u %s\n", i, bm_class_list_get_name (run.classes, i));
        }
      if (run.classes == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          status = error->code == BM_ERROR_NOT_FOUND || error->code == BM_ERROR_IO ? BM_CLI_EXIT_FAILURE : BM_CLI_EXIT_PROBLEMS;
          goto out;
        }
      if (!resolve_classes (&run))
        {
          status = BM_CLI_EXIT_PROBLEMS;
          goto out;
        }
    }

  /* what will be written, and under which names */
  plan = g_array_new (FALSE, TRUE, sizeof (Planned));
  g_array_set_clear_func (plan, planned_clear);
  taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint u = 0; u < run.usable->len; u++)
    {
      guint index = g_array_index (run.usable, guint, u);
      const Loaded *entry = &g_array_index (run.loaded, Loaded, index);
      Planned p;

      if (single_image && (int) index != single_index)
        continue;
      p.index = index;
      p.stem = unique_stem (taken, entry->item->image_path);
      p.ext = output_extension (opts, entry->item->image_path);
      g_array_append_val (plan, p);
    }
  if (plan->len == 0)
    {
      fprintf (stderr, _("boxmark-cli augment: no labelled image to augment in %s\n"), opts->sources[0]);
      status = run.n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
      goto out;
    }
  if (run.n_partners_needed > 0 && run.usable->len < 2)
    fprintf (stderr, _("boxmark-cli augment: note: mixup and mosaic need other labelled images; there are none, so mixup is skipped and mosaic repeats the image\n"));

  run.image_dir = g_build_filename (opts->out, image_folder (run.target), NULL);
  run.label_dir = g_build_filename (opts->out, label_folder (run.target), NULL);
  run.sidecar_dir = g_build_filename (opts->out, SIDECAR_DIR, NULL);
  if (!opts->force && !check_conflicts (&run, plan))
    {
      status = BM_CLI_EXIT_FAILURE;
      goto out;
    }
  if (opts->force && run.classes != NULL && !class_files_agree (&run))
    {
      status = BM_CLI_EXIT_PROBLEMS;
      goto out;
    }
  if (!bm_export_make_dir (run.image_dir, &error) || !bm_export_make_dir (run.label_dir, &error)
      || !bm_export_make_dir (run.sidecar_dir, &error)
      || ((run.target == BM_CLI_TARGET_YOLO || run.target == BM_CLI_TARGET_YOLO_OBB) && !write_class_files (&run, &error)))
    {
      fprintf (stderr, "%s\n", error->message);
      status = BM_CLI_EXIT_FAILURE;
      goto out;
    }

  run.partner_cache = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) bm_augment_sample_free);
  run.renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < plan->len; i++)
    if (!augment_image (&run, &g_array_index (plan, Planned, i), i, plan->len))
      {
        status = BM_CLI_EXIT_FAILURE;
        goto out;
      }

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, run.renamed);
    while (g_hash_table_iter_next (&iter, &key, &value))
      printf (_("DOTA class names cannot hold spaces: “%s” was written as “%s”.\n"), (char *) key, (char *) value);
  }
  if (n_unlabelled > 0 && !single_image)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image has no label file and was not augmented.\n",
                         "%u images have no label file and were not augmented.\n", n_unlabelled), n_unlabelled);
  if (n_unverified > 0 && !single_image)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image has a label file without objects that is not marked verified; not augmented.\n",
                         "%u images have a label file without objects that is not marked verified; not augmented.\n", n_unverified),
            n_unverified);
  if (run.n_clipped > 0)
    printf (_("%u rows were clipped to their image.\n"), run.n_clipped);
  if (run.n_outside > 0)
    printf (_("%u objects lie entirely outside their sample and got no row.\n"), run.n_outside);
  if (run.n_failed > 0)
    printf (_("%u samples could not be made (see above).\n"), run.n_failed);
  printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u sample of %u images to %s (%s): %u objects, %u dropped by the %s rules.\n",
                       "Wrote %u samples of %u images to %s (%s): %u objects, %u dropped by the %s rules.\n", run.n_samples),
          run.n_samples, run.n_images, opts->out, opts->to, run.n_objects, run.n_dropped, run.profile->id);
  status = run.n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;

out:
  g_clear_pointer (&run.partner_cache, g_hash_table_unref);
  g_clear_pointer (&run.renamed, g_hash_table_unref);
  g_clear_pointer (&run.class_names, g_hash_table_unref);
  g_clear_pointer (&run.classes, bm_class_list_unref);
  g_clear_pointer (&run.loaded, clear_loaded);
  g_clear_pointer (&run.usable, g_array_unref);
  for (guint c = 0; c < G_N_ELEMENTS (run.by_channels); c++)
    g_clear_pointer (&run.by_channels[c], g_array_unref);
  g_clear_pointer (&run.specs, g_array_unref);
  g_clear_object (&run.dataset);
  g_free (run.image_dir);
  g_free (run.label_dir);
  g_free (run.sidecar_dir);
  return status;
}

int
bm_cli_augment (int argc, char **argv)
{
  Options opts = { NULL, 1, 0, NULL, NULL, NULL, NULL, NULL, 95, FALSE, FALSE, NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "ops", 0, 0, G_OPTION_ARG_STRING, &opts.ops, N_("Operations, e.g. \"rotate:deg=-15..15;expand:ratio=1..3;mixup:alpha=1.5\""), N_("SPEC") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &opts.n, N_("Samples per image (default 1)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, N_("Seed; the same seed writes the same bytes (default 0)"), N_("S") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &opts.profile, N_("Framework whose rules move the boxes: ultralytics (default), paddle, albumentations or mmdetection"), N_("NAME") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &opts.to, N_("Output format: voc, dota, yolo or yolo-obb"), N_("FORMAT") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Ordered class list (one name per line) giving YOLO class ids"), N_("FILE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opts.data, N_("Ultralytics data.yaml whose names give YOLO class ids"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format, N_("Image format of the samples: png or jpg (default: the source’s)"), N_("FORMAT") },
    { "quality", 0, 0, G_OPTION_ARG_INT, &opts.quality, N_("JPEG quality, 1 to 100 (default 95)"), N_("Q") },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &opts.clip, N_("Clip YOLO-OBB corners to the image (detect rows are always clipped)"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &opts.force, N_("Replace files of an earlier run in DIR"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.sources, NULL, N_("SRC") },
    { NULL }
  };

  if (bm_cli_parse ("augment", NULL,
                    _("Writes N augmented samples of every labelled image in SRC (a dataset folder of any layout, "
                      "or one image), moving the labels as the --profile framework does.\n\n"
                      "--ops: operations separated by ‘;’, each NAME[:KEY=VALUE[,KEY=VALUE…]]. A value A..B is "
                      "drawn uniformly, a single number is used as it is. Every operation takes p (probability, "
                      "default 1).\n"
                      "  rotate      deg (counter-clockwise, -30..30), scale (1), canvas=keep|enlarge|shrink|squeeze, boxes=largest|ellipse\n"
                      "  expand      ratio (1..4)\n"
                      "  mixup       alpha (λ ~ Beta(α, α); default the profile’s), source=random, size (mmdetection img_scale, 640)\n"
                      "  hflip vflip offset=0|1 (x′ = W − x, or W − 1 − x)\n"
                      "  crop        min-scale (0.3)\n"
                      "  scale       range (0.5..1.5)\n"
                      "  hsv         h, s, v gains (default ±0.015, ±0.7, ±0.4)\n"
                      "  brightness contrast  factor (0.5..1.5)\n"
                      "  cutout      holes (at most, 2), size (fraction of the side, 0.1..0.2)\n"
                      "  mosaic letterbox  size (640)\n"
                      "Mixup and mosaic partners are other labelled images of the dataset, chosen by the seed.\n\n"
                      "Output: <stem>_aug<k> in DIR/Annotations + JPEGImages (voc), labelTxt + images (dota), or "
                      "labels + images + data.yaml (yolo, yolo-obb), and DIR/augment/<stem>_aug<k>.augment.txt "
                      "with what was applied. Existing files are never replaced without --force; DIR must lie "
                      "outside SRC.\n\n"
                      "Samples are new images nobody has reviewed: they are never marked verified, not even "
                      "those of a verified image.\n\n"
                      "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                      "2 bad command line, 3 failure."),
                    entries, &argc, &argv))
    status = augment_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.ops);
  g_free (opts.profile);
  g_free (opts.to);
  g_free (opts.classes);
  g_free (opts.data);
  g_free (opts.format);
  g_free (opts.out);
  g_strfreev (opts.sources);
  return status;
}
