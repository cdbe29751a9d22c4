/* bm-augment-export.c: what `boxmark-cli augment` and the augmentation panel's Export share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-problem.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "formats/bm-yolo.h"

/* ---- operations ---- */

void
bm_augment_export_op_init (BmAugmentExportOp       *op,
                           BmAugmentOpKind          kind,
                           const BmAugmentProfile  *profile,
                           const BmAugmentSettings *settings)
{
  g_return_if_fail (op != NULL && profile != NULL);
  g_return_if_fail (kind < BM_AUGMENT_N_OPS);

  memset (op, 0, sizeof *op);
  op->kind = kind;
  if (settings != NULL)
    op->settings = *settings;
  else
    bm_augment_settings_init (&op->settings, profile);
  op->profile = *profile;
  op->settings.probability[kind] = 1.0;
}

/* Same rules as the engine's expand draw, for a ratio range that does not start at 1. */
static void
redraw_expand (const BmAugmentExportOp *spec, const BmAugmentSample *sample, BmAugmentRng *rng, BmAugmentOp *op)
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

gboolean
bm_augment_export_op_draw (const BmAugmentExportOp *spec,
                           BmAugmentSample         *sample,
                           guint                    n_others,
                           BmAugmentRng            *rng,
                           BmAugmentOp             *op)
{
  const BmAugmentProfile *saved = sample->profile;
  gboolean apply;

  g_return_val_if_fail (spec != NULL && sample != NULL && rng != NULL && op != NULL, FALSE);

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

/* ---- --ops ---- */

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
parse_key (BmAugmentExportOp *spec, const char *key, const char *value, const char *part, gboolean *known,
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
parse_op (const char *part, const BmAugmentProfile *profile, BmAugmentExportOp *spec, GError **error)
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
  /* an operation the user lists is applied unless its p says otherwise */
  bm_augment_export_op_init (spec, spec->kind, profile, NULL);
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

GArray *
bm_augment_export_parse_ops (const char            *text,
                             const BmAugmentProfile *profile,
                             GError                **error)
{
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (BmAugmentExportOp));
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      BmAugmentExportOp spec;

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

gboolean
bm_augment_export_op_has_key (const BmAugmentExportOp *op,
                              const char              *key)
{
  guint bit;

  g_return_val_if_fail (op != NULL && key != NULL, FALSE);

  bit = key_bit (key);
  return bit != 0 && (op->seen_keys & bit) != 0;
}

guint
bm_augment_export_partners_needed (const BmAugmentExportOp *ops,
                                   guint                    n_ops)
{
  guint n = 0;

  for (guint i = 0; i < n_ops; i++)
    if (ops[i].kind == BM_AUGMENT_OP_MIXUP)
      n += 1;
    else if (ops[i].kind == BM_AUGMENT_OP_MOSAIC)
      n += 3;
  return n;
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

guint64
bm_augment_export_sample_seed (guint64 seed,
                               guint   image_index,
                               guint   k)
{
  return mix64 (mix64 (mix64 (seed) ^ image_index) ^ k);
}

/* ---- the pool ---- */

struct _BmAugmentExportPool
{
  gint ref_count;
  BmDataset *dataset;
  GArray *items;                 /* BmAugmentExportItem, one per dataset item */
  GArray *usable;                /* guint indices into items */
  GArray *by_channels[5];        /* usable indices by channel count: mixup and mosaic partners */
};

static gboolean
size_agrees (const BmDatasetItem *item, BmAnnotation *annotation, BmAugmentExportItem *entry, GPtrArray *problems)
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
  entry->channels = CLAMP (c, 1, 4);
  entry->width = w;
  entry->height = h;
  return TRUE;
}

/* The distinct labels, first met first: all that class lists and class checks need. */
static const char **
distinct_labels (BmAnnotation *annotation)
{
  guint n = bm_annotation_get_n_objects (annotation), n_distinct = 0;
  const char **labels = g_new0 (const char *, n + 1);

  for (guint k = 0; k < n; k++)
    {
      const char *label = g_intern_string (bm_object_get_label (bm_annotation_get_object (annotation, k)));
      gboolean seen = FALSE;

      for (guint j = 0; j < n_distinct && !seen; j++)
        seen = labels[j] == label;
      if (!seen)
        labels[n_distinct++] = label;
    }
  return labels;
}

static gboolean
label_file_exists (const BmDatasetItem *item)
{
  /* the dataset scan may predate a label file the window saved since */
  return item->has_label || (item->label_path != NULL && g_file_test (item->label_path, G_FILE_TEST_EXISTS));
}

/* Reads one item and lets its labels go; what is wrong with it goes to @problems. */
static void
load_one (const BmDatasetItem *item, BmAugmentExportItem *entry, GPtrArray *problems, guint *n_unlabelled,
          guint *n_unverified)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  GPtrArray *found;

  memset (entry, 0, sizeof *entry);
  entry->item = item;
  if (item->image_path == NULL)
    {
      g_ptr_array_add (problems, bm_problem_new (item->label_path, 0, _("label file without an image")));
      return;
    }
  entry->labelled = label_file_exists (item);
  if (!entry->labelled)
    {
      (*n_unlabelled)++;
      return;
    }
  annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
  if (annotation == NULL)
    {
      /* the message already reads FILE:LINE: problem */
      g_ptr_array_add (problems, bm_problem_new (NULL, 0, error->message));
      return;
    }
  found = bm_annotation_get_problems (annotation);
  for (guint k = 0; k < found->len; k++)
    g_ptr_array_add (problems, bm_problem_copy (found->pdata[k]));
  if (bm_annotation_is_read_only (annotation))
    g_ptr_array_add (problems, bm_problem_new (item->label_path, 0,
                                               found->len > 0 ? _("the label file has problems (see above); not augmented")
                                                              : _("the label file is read-only; not augmented")));
  else if (bm_annotation_get_n_objects (annotation) == 0
           && !bm_annotation_get_verified (annotation) && item->format != BM_FORMAT_YOLO)
    (*n_unverified)++;
  else
    entry->usable = size_agrees (item, annotation, entry, problems);
  if (entry->usable)
    entry->labels = distinct_labels (annotation);
}

static BmAugmentExportPool *
pool_alloc (BmDataset *dataset, guint n)
{
  BmAugmentExportPool *pool = g_new0 (BmAugmentExportPool, 1);

  pool->ref_count = 1;
  pool->dataset = dataset != NULL ? g_object_ref (dataset) : NULL;
  pool->items = g_array_sized_new (FALSE, TRUE, sizeof (BmAugmentExportItem), n);
  pool->usable = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint c = 0; c < G_N_ELEMENTS (pool->by_channels); c++)
    pool->by_channels[c] = g_array_new (FALSE, FALSE, sizeof (guint));
  return pool;
}

static void
pool_append (BmAugmentExportPool *pool, const BmAugmentExportItem *entry)
{
  guint i = pool->items->len;

  g_array_append_vals (pool->items, entry, 1);
  if (entry->usable)
    {
      g_array_append_val (pool->usable, i);
      g_array_append_val (pool->by_channels[entry->channels], i);
    }
}

BmAugmentExportPool *
bm_augment_export_pool_new (BmDataset *dataset,
                            int        only,
                            GPtrArray *problems,
                            guint     *n_unlabelled,
                            guint     *n_unverified)
{
  BmAugmentExportPool *pool;
  guint n = dataset != NULL ? bm_dataset_get_n_items (dataset) : 0;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);

  g_return_val_if_fail (dataset == NULL || BM_IS_DATASET (dataset), NULL);

  pool = pool_alloc (dataset, n);
  for (guint i = 0; i < n; i++)
    {
      BmAugmentExportItem entry;
      guint unlabelled = 0, unverified = 0;

      g_ptr_array_set_size (found, 0);
      load_one (bm_dataset_get_item (dataset, i), &entry, found, &unlabelled, &unverified);
      if (only < 0 || (int) i == only)
        {
          if (problems != NULL)
            for (guint k = 0; k < found->len; k++)
              g_ptr_array_add (problems, bm_problem_copy (found->pdata[k]));
          if (n_unlabelled != NULL)
            *n_unlabelled += unlabelled;
          if (n_unverified != NULL)
            *n_unverified += unverified;
        }
      pool_append (pool, &entry);
    }
  return pool;
}

static const char **
copy_labels (const char **labels)
{
  guint n = 0;

  if (labels == NULL)
    return NULL;
  while (labels[n] != NULL)
    n++;
  return g_memdup2 (labels, (n + 1) * sizeof *labels);
}

BmAugmentExportPool *
bm_augment_export_pool_refresh (BmAugmentExportPool *pool,
                                const guint         *indices,
                                guint                n_indices)
{
  BmAugmentExportPool *fresh;
  g_autoptr(GPtrArray) ignored = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autofree gboolean *again = NULL;

  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (n_indices == 0 || indices != NULL, NULL);

  again = g_new0 (gboolean, pool->items->len + 1);
  for (guint k = 0; k < n_indices; k++)
    if (indices[k] < pool->items->len)
      again[indices[k]] = TRUE;
  fresh = pool_alloc (pool->dataset, pool->items->len);
  for (guint i = 0; i < pool->items->len; i++)
    {
      const BmAugmentExportItem *old = &g_array_index (pool->items, BmAugmentExportItem, i);
      BmAugmentExportItem entry = *old;
      guint unlabelled = 0, unverified = 0;

      if (again[i])
        load_one (old->item, &entry, ignored, &unlabelled, &unverified);
      else
        entry.labels = copy_labels (old->labels);
      pool_append (fresh, &entry);
    }
  return fresh;
}

BmAugmentExportPool *
bm_augment_export_pool_ref (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  g_atomic_int_inc (&pool->ref_count);
  return pool;
}

void
bm_augment_export_pool_unref (BmAugmentExportPool *pool)
{
  g_return_if_fail (pool != NULL);

  if (!g_atomic_int_dec_and_test (&pool->ref_count))
    return;
  for (guint i = 0; i < pool->items->len; i++)
    g_free (g_array_index (pool->items, BmAugmentExportItem, i).labels);
  g_array_unref (pool->items);
  g_array_unref (pool->usable);
  for (guint c = 0; c < G_N_ELEMENTS (pool->by_channels); c++)
    g_array_unref (pool->by_channels[c]);
  g_clear_object (&pool->dataset);
  g_free (pool);
}

BmDataset *
bm_augment_export_pool_get_dataset (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  return pool->dataset;
}

guint
bm_augment_export_pool_get_n_items (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, 0);
  return pool->items->len;
}

const BmAugmentExportItem *
bm_augment_export_pool_get_item (BmAugmentExportPool *pool,
                                 guint                index)
{
  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (index < pool->items->len, NULL);
  return &g_array_index (pool->items, BmAugmentExportItem, index);
}

GArray *
bm_augment_export_pool_get_usable (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  return pool->usable;
}

/* The labels of @entry as the pool judged them; NULL (no error) for an item it found unusable
 * whose labels cannot be read, as the sample of an unlabelled image has none. */
static BmAnnotation *
reload_labels (const BmAugmentExportItem *entry, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;

  if (!entry->labelled)
    return NULL;
  annotation = bm_label_load_full (entry->item, BM_LABEL_LOAD_FOR_READING, &local_error);
  if (!entry->usable)
    return g_steal_pointer (&annotation);
  if (annotation == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (bm_annotation_is_read_only (annotation)
      || (bm_annotation_get_width (annotation) > 0 && bm_annotation_get_height (annotation) > 0
          && (bm_annotation_get_width (annotation) != entry->width || bm_annotation_get_height (annotation) != entry->height)))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: changed while being augmented; run again"),
                   entry->item->label_path);
      return NULL;
    }
  return g_steal_pointer (&annotation);
}

BmAugmentSample *
bm_augment_export_pool_load_sample (BmAugmentExportPool    *pool,
                                    guint                   index,
                                    int                     channels,
                                    const BmAugmentProfile *profile,
                                    GError                **error)
{
  const BmAugmentExportItem *entry;
  g_autoptr(BmImage) image = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  GError *load_error = NULL;

  g_return_val_if_fail (pool != NULL && index < pool->items->len, NULL);

  entry = &g_array_index (pool->items, BmAugmentExportItem, index);
  annotation = reload_labels (entry, &load_error);
  if (load_error != NULL)
    {
      g_propagate_error (error, load_error);
      return NULL;
    }
  image = bm_image_load (entry->item->image_path, error);
  if (image == NULL)
    return NULL;
  if (channels > 0 && image->channels != channels && (channels == 1 || channels == 3 || channels == 4))
    {
      /* mixup and mosaic need the partner in the sample's channel count */
      BmImage *converted = bm_image_convert (image, channels);

      bm_image_unref (image);
      image = converted;
    }
  return bm_augment_sample_new (image, annotation, profile);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_label (GPtrArray *labels, GHashTable *seen, const char *label)
{
  if (g_hash_table_add (seen, (gpointer) label))
    g_ptr_array_add (labels, (gpointer) label);
}

BmClassList *
bm_augment_export_pool_sorted_labels (BmAugmentExportPool *pool,
                                      BmAnnotation        *extra)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BmClassList *classes = bm_class_list_new ();

  g_return_val_if_fail (pool != NULL, classes);

  for (guint u = 0; u < pool->usable->len; u++)
    {
      const char **item_labels = g_array_index (pool->items, BmAugmentExportItem, g_array_index (pool->usable, guint, u)).labels;

      for (guint k = 0; item_labels != NULL && item_labels[k] != NULL; k++)
        add_label (labels, seen, item_labels[k]);
    }
  for (guint k = 0; extra != NULL && k < bm_annotation_get_n_objects (extra); k++)
    add_label (labels, seen, bm_object_get_label (bm_annotation_get_object (extra, k)));
  g_ptr_array_sort (labels, compare_strings);
  for (guint i = 0; i < labels->len; i++)
    bm_class_list_add (classes, labels->pdata[i]);
  return classes;
}

/* Only a label's first sighting matters: later ones are matched or reported already. */
static void
match_label (const char *label, const char *label_path, BmClassList *classes, GHashTable *class_names,
             GHashTable *reported, GPtrArray *matched, GString *missing)
{
  int id;

  if (bm_class_list_find (classes, label) >= 0 || g_hash_table_contains (class_names, label))
    return;
  id = bm_class_list_find_loose (classes, label);
  if (id >= 0)
    {
      g_hash_table_insert (class_names, g_strdup (label), g_strdup (bm_class_list_get_name (classes, (guint) id)));
      if (matched != NULL)
        g_ptr_array_add (matched, g_strdup (label));
    }
  else if (g_hash_table_add (reported, g_strdup (label)))
    g_string_append_printf (missing, "\n  “%s”: %s", label, label_path ? label_path : "");
}

gboolean
bm_augment_export_pool_match_classes (BmAugmentExportPool *pool,
                                      BmAnnotation        *extra,
                                      BmClassList         *classes,
                                      GHashTable          *class_names,
                                      GPtrArray           *matched,
                                      GString             *missing)
{
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize before;

  g_return_val_if_fail (pool != NULL && classes != NULL && class_names != NULL && missing != NULL, FALSE);

  before = missing->len;
  for (guint u = 0; u < pool->usable->len; u++)
    {
      const BmAugmentExportItem *entry = &g_array_index (pool->items, BmAugmentExportItem,
                                                         g_array_index (pool->usable, guint, u));

      for (guint k = 0; entry->labels != NULL && entry->labels[k] != NULL; k++)
        match_label (entry->labels[k], entry->item->label_path, classes, class_names, reported, matched, missing);
    }
  for (guint k = 0; extra != NULL && k < bm_annotation_get_n_objects (extra); k++)
    match_label (bm_object_get_label (bm_annotation_get_object (extra, k)), bm_annotation_get_label_path (extra),
                 classes, class_names, reported, matched, missing);
  return missing->len == before;
}

/* ---- making a sample ---- */

struct _BmAugmentExportCache
{
  GHashTable *samples;           /* item index → BmAugmentSample* */
  guint max_size;
};

BmAugmentExportCache *
bm_augment_export_cache_new (guint max_size)
{
  BmAugmentExportCache *cache = g_new0 (BmAugmentExportCache, 1);

  cache->samples = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) bm_augment_sample_free);
  cache->max_size = MAX (max_size, 1);
  return cache;
}

void
bm_augment_export_cache_free (BmAugmentExportCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->samples);
  g_free (cache);
}

void
bm_augment_export_cache_forget (BmAugmentExportCache *cache,
                                guint                 index)
{
  g_return_if_fail (cache != NULL);
  g_hash_table_remove (cache->samples, GUINT_TO_POINTER (index));
}

static BmAugmentSample *
get_partner (BmAugmentExportPool *pool, BmAugmentExportCache *cache, guint index, const BmAugmentSample *source,
             GError **error)
{
  int channels = source->image->channels;
  BmAugmentSample *sample = g_hash_table_lookup (cache->samples, GUINT_TO_POINTER (index));

  if (sample == NULL || sample->image->channels != channels)
    {
      sample = bm_augment_export_pool_load_sample (pool, index, channels, source->profile, error);
      if (sample == NULL)
        return NULL;
      g_hash_table_replace (cache->samples, GUINT_TO_POINTER (index), sample);
    }
  sample->profile = source->profile;
  return sample;
}

/* Distinct other usable images with the same channel count (mixing needs it; trainers see
 * one colour model), as many as the operations can use, drawn from @rng. */
static GArray *
choose_partners (BmAugmentExportPool *pool, guint self, int channels, guint n_needed, BmAugmentRng *rng)
{
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *group;
  guint n_candidates, self_pos = G_MAXUINT, want;

  if (pool == NULL || n_needed == 0)
    return chosen;
  group = pool->by_channels[CLAMP (channels, 0, 4)];
  n_candidates = group->len;
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
  want = MIN (n_needed, n_candidates);
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

BmAugmentSample *
bm_augment_export_make_sample (BmAugmentExportPool     *pool,
                               BmAugmentExportCache    *cache,
                               const BmAugmentExportOp *ops,
                               guint                    n_ops,
                               const BmAugmentSample   *source,
                               guint                    index,
                               int                      chosen_partner,
                               guint64                  sample_seed,
                               GArray                 **partners_out,
                               GError                 **error)
{
  g_autoptr(BmAugmentSample) sample = NULL;
  g_autoptr(GArray) partners = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  guint n_needed = bm_augment_export_partners_needed (ops, n_ops);
  int channels;
  BmAugmentRng rng;

  g_return_val_if_fail (source != NULL && cache != NULL, NULL);
  g_return_val_if_fail (n_ops == 0 || ops != NULL, NULL);

  /* the group of the source as the pool saw it; a source the pool does not use (the panel's
   * unlabelled image) by its decoded channels */
  if (pool != NULL && index < pool->items->len && g_array_index (pool->items, BmAugmentExportItem, index).usable)
    channels = g_array_index (pool->items, BmAugmentExportItem, index).channels;
  else
    channels = CLAMP (source->image->channels, 1, 4);

  bm_augment_rng_init (&rng, sample_seed);
  partners = choose_partners (pool, index, channels, n_needed, &rng);
  if (n_needed > 0 && pool != NULL && chosen_partner >= 0 && (guint) chosen_partner < pool->items->len
      && (guint) chosen_partner != index
      && g_array_index (pool->items, BmAugmentExportItem, chosen_partner).item->image_path != NULL)
    {
      guint chosen = (guint) chosen_partner;

      g_array_set_size (partners, 0);
      g_array_append_val (partners, chosen);
    }
  /* evicted only here, so no partner of this sample is freed while in use */
  if (g_hash_table_size (cache->samples) + partners->len > cache->max_size)
    g_hash_table_remove_all (cache->samples);
  for (guint i = 0; i < partners->len; i++)
    {
      BmAugmentSample *other = get_partner (pool, cache, g_array_index (partners, guint, i), source, error);

      if (other == NULL)
        return NULL;
      g_ptr_array_add (others, other);
    }

  sample = bm_augment_sample_copy (source);
  for (guint i = 0; i < n_ops; i++)
    {
      BmAugmentOp op;

      if (!bm_augment_export_op_draw (&ops[i], sample, others->len, &rng, &op))
        continue;
      if (!bm_augment_apply (sample, &op, (BmAugmentSample *const *) others->pdata, others->len, error))
        return NULL;
    }
  if (partners_out != NULL)
    *partners_out = g_steal_pointer (&partners);
  return g_steal_pointer (&sample);
}

char *
bm_augment_export_sidecar_text (const BmAugmentSample *sample,
                                guint                  k,
                                guint64                seed,
                                guint64                sample_seed,
                                const char            *image_path,
                                const char            *label_path,
                                BmAugmentExportPool   *pool,
                                GArray                *partners)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *description = bm_augment_sample_describe (sample);
  g_autofree char *image = g_canonicalize_filename (image_path, NULL);

  /* "boxmark-cli augment" also in what the panel writes: the file says how to make it again */
  g_string_append_printf (s, "# boxmark-cli augment: sample %u, --seed %" G_GUINT64_FORMAT ", sample seed %" G_GUINT64_FORMAT "\n",
                          k, seed, sample_seed);
  g_string_append_printf (s, "# source: %s\n", image);
  if (label_path != NULL)
    {
      g_autofree char *labels = g_canonicalize_filename (label_path, NULL);
      g_string_append_printf (s, "# source labels: %s\n", labels);
    }
  for (guint i = 0; partners != NULL && pool != NULL && i < partners->len; i++)
    {
      const BmAugmentExportItem *entry = &g_array_index (pool->items, BmAugmentExportItem, g_array_index (partners, guint, i));
      const BmDatasetItem *other = entry->item;
      g_autofree char *other_image = g_canonicalize_filename (other->image_path, NULL);

      g_string_append_printf (s, "# other %u: %s\n", i, other_image);
      if (entry->labelled)
        {
          g_autofree char *labels = g_canonicalize_filename (other->label_path, NULL);
          g_string_append_printf (s, "# other %u labels: %s\n", i, labels);
        }
    }
  g_string_append (s, description);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---- writing ---- */

struct _BmAugmentExportWriter
{
  char *out_dir;
  char *image_dir, *label_dir, *sidecar_dir;
  BmAugmentExportFormat format;
  int quality;
  gboolean clip;
  gboolean replace;
  BmClassList *classes;
  GHashTable *class_names;       /* label → class name when matched loosely (YOLO) */
  GHashTable *renamed;           /* DOTA: label with blanks → token */
  guint n_objects, n_clipped, n_outside;
};

static gboolean
is_yolo (BmAugmentExportFormat format)
{
  return format == BM_AUGMENT_EXPORT_YOLO || format == BM_AUGMENT_EXPORT_YOLO_OBB;
}

const char *
bm_augment_export_image_folder (BmAugmentExportFormat format)
{
  return format == BM_AUGMENT_EXPORT_VOC ? "JPEGImages" : "images";
}

const char *
bm_augment_export_label_folder (BmAugmentExportFormat format)
{
  return format == BM_AUGMENT_EXPORT_VOC ? "Annotations" : format == BM_AUGMENT_EXPORT_DOTA ? "labelTxt" : "labels";
}

const char *
bm_augment_export_image_extension (const char *image_path,
                                   const char *format)
{
  g_autofree char *ext = NULL;

  if (format != NULL)
    return g_ascii_strcasecmp (format, "png") == 0 ? "png" : "jpg";
  ext = bm_path_get_extension (image_path);
  return strcmp (ext, "jpg") == 0 || strcmp (ext, "jpeg") == 0 ? "jpg" : "png";
}

BmAugmentExportWriter *
bm_augment_export_writer_new (const char            *out_dir,
                              BmAugmentExportFormat  format,
                              int                    quality,
                              gboolean               clip,
                              gboolean               replace)
{
  BmAugmentExportWriter *writer;

  g_return_val_if_fail (out_dir != NULL, NULL);
  g_return_val_if_fail (format <= BM_AUGMENT_EXPORT_YOLO_OBB, NULL);

  writer = g_new0 (BmAugmentExportWriter, 1);
  writer->out_dir = g_strdup (out_dir);
  writer->image_dir = g_build_filename (out_dir, bm_augment_export_image_folder (format), NULL);
  writer->label_dir = g_build_filename (out_dir, bm_augment_export_label_folder (format), NULL);
  writer->sidecar_dir = g_build_filename (out_dir, BM_AUGMENT_EXPORT_SIDECAR_DIR, NULL);
  writer->format = format;
  writer->quality = quality;
  writer->clip = clip;
  writer->replace = replace;
  writer->renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return writer;
}

void
bm_augment_export_writer_free (BmAugmentExportWriter *writer)
{
  if (writer == NULL)
    return;
  g_free (writer->out_dir);
  g_free (writer->image_dir);
  g_free (writer->label_dir);
  g_free (writer->sidecar_dir);
  g_clear_pointer (&writer->classes, bm_class_list_unref);
  g_clear_pointer (&writer->class_names, g_hash_table_unref);
  g_hash_table_unref (writer->renamed);
  g_free (writer);
}

char *
bm_augment_export_writer_path (BmAugmentExportWriter *writer,
                               const char            *stem,
                               const char            *ext,
                               guint                  k,
                               BmAugmentExportFile    file)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (writer != NULL && stem != NULL && ext != NULL, NULL);

  switch (file)
    {
    case BM_AUGMENT_EXPORT_FILE_IMAGE:
      name = g_strdup_printf ("%s_aug%u.%s", stem, k, ext);
      return g_build_filename (writer->image_dir, name, NULL);
    case BM_AUGMENT_EXPORT_FILE_LABELS:
      name = g_strdup_printf ("%s_aug%u.%s", stem, k, writer->format == BM_AUGMENT_EXPORT_VOC ? "xml" : "txt");
      return g_build_filename (writer->label_dir, name, NULL);
    case BM_AUGMENT_EXPORT_FILE_SIDECAR:
    default:
      name = g_strdup_printf ("%s_aug%u.augment.txt", stem, k);
      return g_build_filename (writer->sidecar_dir, name, NULL);
    }
}

static void
add_if_exists (GPtrArray *existing, char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_ptr_array_add (existing, path);
  else
    g_free (path);
}

void
bm_augment_export_writer_find_existing (BmAugmentExportWriter *writer,
                                        const char            *stem,
                                        const char            *ext,
                                        guint                  n,
                                        GPtrArray             *existing)
{
  g_return_if_fail (writer != NULL && existing != NULL);

  for (guint k = 0; k < n; k++)
    for (int file = BM_AUGMENT_EXPORT_FILE_IMAGE; file <= BM_AUGMENT_EXPORT_FILE_SIDECAR; file++)
      add_if_exists (existing, bm_augment_export_writer_path (writer, stem, ext, k, (BmAugmentExportFile) file));
}

/* data.yaml (0) or classes.txt (1) as this writer writes it. */
static char *
class_file_text (BmAugmentExportWriter *writer, int which)
{
  g_autofree char *absolute = NULL;

  if (which == 1)
    return bm_class_list_to_txt (writer->classes);
  absolute = g_canonicalize_filename (writer->out_dir, NULL);
  return bm_class_list_to_yaml (writer->classes, absolute, "images", "images");
}

/* Another shard of the same run (--shard) wrote the same class file: it is no conflict. */
static gboolean
class_file_already_written (BmAugmentExportWriter *writer, const char *path, int which)
{
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (writer->classes == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  text = class_file_text (writer, which);
  return length == strlen (text) && memcmp (contents, text, length) == 0;
}

void
bm_augment_export_writer_find_existing_class_files (BmAugmentExportWriter *writer,
                                                    GPtrArray             *existing)
{
  g_return_if_fail (writer != NULL && existing != NULL);

  if (is_yolo (writer->format))
    for (int i = 0; i < 2; i++)
      {
        char *path = g_build_filename (writer->out_dir, i == 0 ? "data.yaml" : "classes.txt", NULL);

        if (class_file_already_written (writer, path, i))
          g_free (path);
        else
          add_if_exists (existing, path);
      }
}

gboolean
bm_augment_export_writer_make_dirs (BmAugmentExportWriter *writer,
                                    GError               **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  return bm_export_make_dir (writer->image_dir, error) && bm_export_make_dir (writer->label_dir, error)
         && bm_export_make_dir (writer->sidecar_dir, error);
}

void
bm_augment_export_writer_set_classes (BmAugmentExportWriter *writer,
                                      BmClassList           *classes,
                                      GHashTable            *class_names)
{
  g_return_if_fail (writer != NULL);

  g_clear_pointer (&writer->classes, bm_class_list_unref);
  g_clear_pointer (&writer->class_names, g_hash_table_unref);
  writer->classes = classes != NULL ? bm_class_list_ref (classes) : NULL;
  writer->class_names = class_names != NULL ? g_hash_table_ref (class_names) : NULL;
}

static gboolean
write_file (BmAugmentExportWriter *writer, const char *path, const char *data, gsize length, GError **error)
{
  if (writer->replace)
    return bm_file_write_atomic (path, data, length, error);
  return bm_export_write_new_file (path, data, length, error);
}

gboolean
bm_augment_export_writer_write_class_files (BmAugmentExportWriter *writer,
                                            GError               **error)
{
  g_autofree char *yaml = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *yaml_path = NULL;
  g_autofree char *txt_path = NULL;

  g_return_val_if_fail (writer != NULL && writer->classes != NULL, FALSE);

  yaml = class_file_text (writer, 0);
  txt = class_file_text (writer, 1);
  yaml_path = g_build_filename (writer->out_dir, "data.yaml", NULL);
  txt_path = g_build_filename (writer->out_dir, "classes.txt", NULL);
  return (class_file_already_written (writer, yaml_path, 0) || write_file (writer, yaml_path, yaml, strlen (yaml), error))
         && (class_file_already_written (writer, txt_path, 1) || write_file (writer, txt_path, txt, strlen (txt), error));
}

static char *
labels_text (BmAugmentExportWriter *writer, BmAnnotation *annotation, gsize *length, GError **error)
{
  guint n_clipped = 0, n_outside = 0;
  char *data;

  switch (writer->format)
    {
    case BM_AUGMENT_EXPORT_VOC:
      return bm_voc_to_data (annotation, length, error);
    case BM_AUGMENT_EXPORT_DOTA:
      bm_dota_hyphenate_labels (annotation, writer->renamed);
      return bm_dota_to_data (annotation, length, error);
    case BM_AUGMENT_EXPORT_YOLO:
    case BM_AUGMENT_EXPORT_YOLO_OBB:
    default:
      if (writer->classes == NULL)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("YOLO labels need class ids"));
          return NULL;
        }
      for (guint i = 0; writer->class_names != NULL && i < bm_annotation_get_n_objects (annotation); i++)
        {
          BmObject *object = bm_annotation_get_object (annotation, i);
          const char *name = g_hash_table_lookup (writer->class_names, bm_object_get_label (object));

          if (name != NULL)
            bm_object_set_label (object, name);
        }
      data = bm_yolo_to_data (annotation, writer->classes, bm_annotation_get_width (annotation),
                              bm_annotation_get_height (annotation),
                              writer->format == BM_AUGMENT_EXPORT_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT, writer->clip,
                              &n_clipped, &n_outside, length, error);
      writer->n_clipped += n_clipped;
      writer->n_outside += n_outside;
      return data;
    }
}

gboolean
bm_augment_export_writer_write_sample (BmAugmentExportWriter *writer,
                                       const char            *stem,
                                       const char            *ext,
                                       guint                  k,
                                       const BmAugmentSample *sample,
                                       const char            *sidecar,
                                       GError               **error)
{
  g_autofree char *image_path = NULL;
  g_autofree char *label_path = NULL;
  g_autofree char *sidecar_path = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autofree char *labels = NULL;
  gsize length = 0;

  g_return_val_if_fail (writer != NULL && sample != NULL && sidecar != NULL, FALSE);

  image_path = bm_augment_export_writer_path (writer, stem, ext, k, BM_AUGMENT_EXPORT_FILE_IMAGE);
  label_path = bm_augment_export_writer_path (writer, stem, ext, k, BM_AUGMENT_EXPORT_FILE_LABELS);
  sidecar_path = bm_augment_export_writer_path (writer, stem, ext, k, BM_AUGMENT_EXPORT_FILE_SIDECAR);
  annotation = bm_augment_sample_to_annotation (sample);
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    bm_object_set_origin (bm_annotation_get_object (annotation, i), 0);
  bm_annotation_set_image_path (annotation, image_path);
  bm_annotation_set_label_path (annotation, label_path);
  /* a sample is a new image nobody has reviewed, even when its source is verified */
  bm_annotation_set_verified (annotation, FALSE);

  /* labels first: a label that cannot be written leaves no orphan image behind */
  labels = labels_text (writer, annotation, &length, error);
  if (labels == NULL)
    return FALSE;
  if (!bm_image_save (sample->image, image_path, writer->quality, error))
    return FALSE;
  /* an earlier run's sample (or a stale entry) must not lend this one its verified mark */
  if (writer->format != BM_AUGMENT_EXPORT_VOC && !bm_label_sidecar_set_verified (label_path, FALSE, error))
    return FALSE;
  if (!write_file (writer, label_path, labels, length, error))
    return FALSE;
  if (!write_file (writer, sidecar_path, sidecar, strlen (sidecar), error))
    return FALSE;
  writer->n_objects += bm_annotation_get_n_objects (annotation);
  return TRUE;
}

guint
bm_augment_export_writer_get_n_objects (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_objects;
}

guint
bm_augment_export_writer_get_n_clipped (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_clipped;
}

guint
bm_augment_export_writer_get_n_outside (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);
  return writer->n_outside;
}

GHashTable *
bm_augment_export_writer_get_renamed (BmAugmentExportWriter *writer)
{
  g_return_val_if_fail (writer != NULL, NULL);
  return writer->renamed;
}
