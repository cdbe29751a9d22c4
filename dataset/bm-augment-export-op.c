/* bm-augment-export-op.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export-op.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"

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

/* --ops ----------------------------------------------------------------------------------- */

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

/* Spelling --ops --------------------------------------------------------------------------- */

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
bm_augment_export_ops_to_string (const BmAugmentOpKind   *kinds,
                                 guint                    n_kinds,
                                 const BmAugmentSettings *settings)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (n_kinds == 0 || kinds != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  for (guint i = 0; i < n_kinds; i++)
    append_op (s, kinds[i], settings);
  return g_string_free (s, FALSE);
}
