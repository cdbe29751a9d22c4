/* bm-augment.c: framework profiles, samples, the text form of operations, and drawing random
 * parameters. The operations themselves are in bm-augment-ops.c.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bm-augment-private.h"
#include "bm-error.h"
#include "bm-number.h"

/* --- profiles ------------------------------------------------------------------------------ */

static const BmAugmentProfile profiles[BM_AUGMENT_N_FRAMEWORKS] = {
  [BM_AUGMENT_FRAMEWORK_ULTRALYTICS] = {
    .framework = BM_AUGMENT_FRAMEWORK_ULTRALYTICS,
    .id = "ultralytics",
    .name = N_("Ultralytics YOLO"),
    .angle_sign = 1,
    .centre = BM_AUGMENT_CENTRE_EDGE,
    .pixel_centres = FALSE,
    .canvas = BM_AUGMENT_CANVAS_KEEP,
    .canvas_round = FALSE,
    .box_method = BM_AUGMENT_BOX_LARGEST,
    .survival = BM_AUGMENT_KEEP_CANDIDATES,
    .crop_survival = BM_AUGMENT_KEEP_CANDIDATES,
    .border_value = 114,
    .expand_fill = { 114, 114, 114 },
    .expand_strict = FALSE,
    .mixup_style = BM_AUGMENT_MIXUP_ULTRALYTICS,
    .mixup_alpha = 32.0,
    .cutout_rule = BM_AUGMENT_CUTOUT_KEEP,
    .cutout_threshold = 1.0,
    .pad_value = 114,
  },
  [BM_AUGMENT_FRAMEWORK_PADDLE] = {
    .framework = BM_AUGMENT_FRAMEWORK_PADDLE,
    .id = "paddle",
    .name = N_("PaddleDetection"),
    .angle_sign = -1,
    .centre = BM_AUGMENT_CENTRE_INDEX,
    .pixel_centres = FALSE,
    .canvas = BM_AUGMENT_CANVAS_SHRINK,
    .canvas_round = TRUE,
    .box_method = BM_AUGMENT_BOX_LARGEST,
    .survival = BM_AUGMENT_KEEP_ALL,
    .crop_survival = BM_AUGMENT_KEEP_CENTRE,
    .border_value = 0,
    /* RandomExpand's default fill 127.5, rounded to 8 bits */
    .expand_fill = { 128, 128, 128 },
    .expand_strict = TRUE,
    .mixup_style = BM_AUGMENT_MIXUP_PADDLE,
    .mixup_alpha = 1.5,
    .cutout_rule = BM_AUGMENT_CUTOUT_KEEP,
    .cutout_threshold = 1.0,
    .pad_value = 0,
  },
  [BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS] = {
    .framework = BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS,
    .id = "albumentations",
    .name = N_("Albumentations"),
    .angle_sign = 1,
    .centre = BM_AUGMENT_CENTRE_EDGE,
    .pixel_centres = TRUE,
    .canvas = BM_AUGMENT_CANVAS_KEEP,
    .canvas_round = FALSE,
    .box_method = BM_AUGMENT_BOX_LARGEST,
    .survival = BM_AUGMENT_KEEP_NONEMPTY,
    .crop_survival = BM_AUGMENT_KEEP_NONEMPTY,
    .border_value = 0,
    .expand_fill = { 0, 0, 0 },
    .expand_strict = FALSE,
    .mixup_style = BM_AUGMENT_MIXUP_ULTRALYTICS,
    .mixup_alpha = 0.0,
    .cutout_rule = BM_AUGMENT_CUTOUT_SHRINK,
    .cutout_threshold = 1.0,
    .pad_value = 0,
  },
  [BM_AUGMENT_FRAMEWORK_MMDETECTION] = {
    .framework = BM_AUGMENT_FRAMEWORK_MMDETECTION,
    .id = "mmdetection",
    .name = N_("MMDetection"),
    .angle_sign = -1,
    .centre = BM_AUGMENT_CENTRE_EDGE,
    .pixel_centres = TRUE,
    .canvas = BM_AUGMENT_CANVAS_KEEP,
    .canvas_round = FALSE,
    .box_method = BM_AUGMENT_BOX_LARGEST,
    .survival = BM_AUGMENT_KEEP_OVERLAP,
    .crop_survival = BM_AUGMENT_KEEP_OVERLAP,
    .border_value = 0,
    .expand_fill = { 0, 0, 0 },
    .expand_strict = FALSE,
    .mixup_style = BM_AUGMENT_MIXUP_MMDET,
    .mixup_alpha = 0.0,
    .cutout_rule = BM_AUGMENT_CUTOUT_DROP_ERASED,
    .cutout_threshold = 0.9,
    .pad_value = 114,
  },
};

const BmAugmentProfile *
bm_augment_profile_get (BmAugmentFramework framework)
{
  g_return_val_if_fail (framework < BM_AUGMENT_N_FRAMEWORKS, &profiles[0]);

  return &profiles[framework];
}

const BmAugmentProfile *
bm_augment_profile_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_ascii_strcasecmp (profiles[i].id, id) == 0)
      return &profiles[i];
  return NULL;
}

/* --- text form of operations --------------------------------------------------------------- */

static const char *const op_names[BM_AUGMENT_N_OPS] = {
  "rotate", "expand", "mixup", "hflip", "vflip", "crop", "scale", "hsv", "brightness",
  "contrast", "cutout", "mosaic", "letterbox",
};

static const char *const canvas_names[] = { "keep", "enlarge", "shrink", "squeeze" };
static const char *const box_method_names[] = { "largest", "ellipse" };

const char *
bm_augment_op_kind_to_string (BmAugmentOpKind kind)
{
  g_return_val_if_fail (kind < BM_AUGMENT_N_OPS, "");

  return op_names[kind];
}

gboolean
bm_augment_op_kind_from_string (const char *name, BmAugmentOpKind *kind)
{
  for (guint i = 0; i < BM_AUGMENT_N_OPS; i++)
    if (g_strcmp0 (name, op_names[i]) == 0)
      {
        *kind = (BmAugmentOpKind) i;
        return TRUE;
      }
  return FALSE;
}

/* The shortest of %.15g / %.17g that reads back as the same double. */
static void
append_double (GString *s, const char *key, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
  g_string_append_printf (s, " %s=%s", key, buf);
}

static void
append_int (GString *s, const char *key, int v)
{
  g_string_append_printf (s, " %s=%d", key, v);
}

char *
bm_augment_op_to_string (const BmAugmentOp *op)
{
  GString *s;

  g_return_val_if_fail (op != NULL && op->kind < BM_AUGMENT_N_OPS, NULL);

  s = g_string_new (op_names[op->kind]);
  switch (op->kind)
    {
    case BM_AUGMENT_OP_ROTATE:
      append_double (s, "degrees", op->rotate.degrees);
      append_double (s, "scale", op->rotate.scale);
      g_string_append_printf (s, " canvas=%s boxes=%s", canvas_names[op->rotate.canvas],
                              box_method_names[op->rotate.box_method]);
      break;
    case BM_AUGMENT_OP_EXPAND:
      append_double (s, "ratio", op->expand.ratio);
      append_int (s, "x", op->expand.x);
      append_int (s, "y", op->expand.y);
      g_string_append_printf (s, " fill=%u,%u,%u", op->expand.fill[0], op->expand.fill[1], op->expand.fill[2]);
      break;
    case BM_AUGMENT_OP_MIXUP:
      append_double (s, "lambda", op->mixup.lambda);
      append_int (s, "source", op->mixup.source);
      if (op->mixup.scale_w > 0)
        {
          g_string_append_printf (s, " scale=%dx%d", op->mixup.scale_w, op->mixup.scale_h);
          append_double (s, "jitter", op->mixup.jitter);
          append_int (s, "flip", op->mixup.flip);
          append_int (s, "x", op->mixup.x);
          append_int (s, "y", op->mixup.y);
        }
      break;
    case BM_AUGMENT_OP_HFLIP:
    case BM_AUGMENT_OP_VFLIP:
      append_int (s, "offset", op->flip.offset);
      break;
    case BM_AUGMENT_OP_CROP:
      append_int (s, "x", op->crop.x);
      append_int (s, "y", op->crop.y);
      append_int (s, "width", op->crop.width);
      append_int (s, "height", op->crop.height);
      break;
    case BM_AUGMENT_OP_SCALE:
      append_int (s, "width", op->scale.width);
      append_int (s, "height", op->scale.height);
      break;
    case BM_AUGMENT_OP_HSV:
      append_double (s, "hue", op->hsv.hue);
      append_double (s, "saturation", op->hsv.saturation);
      append_double (s, "value", op->hsv.value);
      break;
    case BM_AUGMENT_OP_BRIGHTNESS:
    case BM_AUGMENT_OP_CONTRAST:
      append_double (s, "factor", op->enhance.factor);
      break;
    case BM_AUGMENT_OP_CUTOUT:
      append_int (s, "fill", op->cutout.fill);
      g_string_append (s, " holes=");
      for (int i = 0; i < op->cutout.n_holes; i++)
        g_string_append_printf (s, "%s%d,%d,%d,%d", i ? ";" : "", op->cutout.holes[i][0],
                                op->cutout.holes[i][1], op->cutout.holes[i][2], op->cutout.holes[i][3]);
      break;
    case BM_AUGMENT_OP_MOSAIC:
      append_int (s, "size", op->mosaic.size);
      append_int (s, "xc", op->mosaic.xc);
      append_int (s, "yc", op->mosaic.yc);
      g_string_append_printf (s, " sources=%d,%d,%d", op->mosaic.sources[0], op->mosaic.sources[1],
                              op->mosaic.sources[2]);
      append_int (s, "crop", op->mosaic.crop ? 1 : 0);
      break;
    case BM_AUGMENT_OP_LETTERBOX:
      append_int (s, "width", op->letterbox.width);
      append_int (s, "height", op->letterbox.height);
      break;
    case BM_AUGMENT_N_OPS:
    default:
      g_assert_not_reached ();
    }
  return g_string_free (s, FALSE);
}

static gboolean
parse_double (const char *text, double *v)
{
  char *end;

  *v = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*v);
}

static gboolean
parse_int (const char *text, int *v)
{
  gint64 n;

  if (!bm_number_parse_int (text, G_MININT32, G_MAXINT32, &n))
    return FALSE;
  *v = (int) n;
  return TRUE;
}

/* "a,b,c" into up to @max ints; returns how many, or -1 on bad input. */
static int
parse_int_list (const char *text, const char *sep, int *out, int max)
{
  g_auto(GStrv) parts = g_strsplit (text, sep, -1);
  int n = 0;

  for (; parts[n]; n++)
    if (n >= max || !parse_int (parts[n], &out[n]))
      return -1;
  return n;
}

static gboolean
parse_name (const char *text, const char *const *names, guint n_names, guint *v)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *v = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_holes (const char *text, BmAugmentOp *op)
{
  g_auto(GStrv) holes = g_strsplit (text, ";", -1);
  int n = 0;

  if (*text == '\0')
    {
      op->cutout.n_holes = 0;
      return TRUE;
    }
  for (; holes[n]; n++)
    if (n >= BM_AUGMENT_MAX_HOLES || parse_int_list (holes[n], ",", op->cutout.holes[n], 4) != 4)
      return FALSE;
  op->cutout.n_holes = n;
  return TRUE;
}

static gboolean
parse_key (BmAugmentOp *op, const char *key, const char *value)
{
  int i;
  guint u;
  double d;

#define KEY(k) (strcmp (key, k) == 0)
  switch (op->kind)
    {
    case BM_AUGMENT_OP_ROTATE:
      if (KEY ("degrees")) return parse_double (value, &op->rotate.degrees);
      if (KEY ("scale")) return parse_double (value, &op->rotate.scale) && op->rotate.scale > 0;
      if (KEY ("canvas") && parse_name (value, canvas_names, G_N_ELEMENTS (canvas_names), &u))
        return (op->rotate.canvas = (BmAugmentCanvas) u, TRUE);
      if (KEY ("boxes") && parse_name (value, box_method_names, G_N_ELEMENTS (box_method_names), &u))
        return (op->rotate.box_method = (BmAugmentBoxMethod) u, TRUE);
      return FALSE;
    case BM_AUGMENT_OP_EXPAND:
      if (KEY ("ratio")) return parse_double (value, &op->expand.ratio);
      if (KEY ("x")) return parse_int (value, &op->expand.x);
      if (KEY ("y")) return parse_int (value, &op->expand.y);
      if (KEY ("fill"))
        {
          int fill[3];
          if (parse_int_list (value, ",", fill, 3) != 3)
            return FALSE;
          for (i = 0; i < 3; i++)
            {
              if (fill[i] < 0 || fill[i] > 255)
                return FALSE;
              op->expand.fill[i] = (guint8) fill[i];
            }
          return TRUE;
        }
      return FALSE;
    case BM_AUGMENT_OP_MIXUP:
      if (KEY ("lambda")) return parse_double (value, &op->mixup.lambda);
      if (KEY ("source")) return parse_int (value, &op->mixup.source);
      if (KEY ("scale"))
        {
          g_auto(GStrv) wh = g_strsplit (value, "x", 3);
          return g_strv_length (wh) == 2 && parse_int (wh[0], &op->mixup.scale_w) && parse_int (wh[1], &op->mixup.scale_h);
        }
      if (KEY ("jitter")) return parse_double (value, &op->mixup.jitter);
      if (KEY ("flip")) return parse_int (value, &op->mixup.flip);
      if (KEY ("x")) return parse_int (value, &op->mixup.x);
      if (KEY ("y")) return parse_int (value, &op->mixup.y);
      return FALSE;
    case BM_AUGMENT_OP_HFLIP:
    case BM_AUGMENT_OP_VFLIP:
      if (KEY ("offset")) return parse_int (value, &op->flip.offset) && (op->flip.offset == 0 || op->flip.offset == 1);
      return FALSE;
    case BM_AUGMENT_OP_CROP:
      if (KEY ("x")) return parse_int (value, &op->crop.x);
      if (KEY ("y")) return parse_int (value, &op->crop.y);
      if (KEY ("width")) return parse_int (value, &op->crop.width);
      if (KEY ("height")) return parse_int (value, &op->crop.height);
      return FALSE;
    case BM_AUGMENT_OP_SCALE:
      if (KEY ("width")) return parse_int (value, &op->scale.width);
      if (KEY ("height")) return parse_int (value, &op->scale.height);
      return FALSE;
    case BM_AUGMENT_OP_HSV:
      if (KEY ("hue")) return parse_double (value, &op->hsv.hue);
      if (KEY ("saturation")) return parse_double (value, &op->hsv.saturation);
      if (KEY ("value")) return parse_double (value, &op->hsv.value);
      return FALSE;
    case BM_AUGMENT_OP_BRIGHTNESS:
    case BM_AUGMENT_OP_CONTRAST:
      if (KEY ("factor")) return parse_double (value, &op->enhance.factor) && op->enhance.factor >= 0;
      return FALSE;
    case BM_AUGMENT_OP_CUTOUT:
      if (KEY ("fill")) return parse_int (value, &i) && i >= 0 && i <= 255 && (op->cutout.fill = (guint8) i, TRUE);
      if (KEY ("holes")) return parse_holes (value, op);
      return FALSE;
    case BM_AUGMENT_OP_MOSAIC:
      if (KEY ("size")) return parse_int (value, &op->mosaic.size);
      if (KEY ("xc")) return parse_int (value, &op->mosaic.xc);
      if (KEY ("yc")) return parse_int (value, &op->mosaic.yc);
      if (KEY ("sources")) return parse_int_list (value, ",", op->mosaic.sources, 3) == 3;
      if (KEY ("crop")) return parse_double (value, &d) && (op->mosaic.crop = d != 0, TRUE);
      return FALSE;
    case BM_AUGMENT_OP_LETTERBOX:
      if (KEY ("width")) return parse_int (value, &op->letterbox.width);
      if (KEY ("height")) return parse_int (value, &op->letterbox.height);
      return FALSE;
    case BM_AUGMENT_N_OPS:
    default:
      return FALSE;
    }
#undef KEY
}

static void
op_init_defaults (BmAugmentOp *op, BmAugmentOpKind kind)
{
  memset (op, 0, sizeof *op);
  op->kind = kind;
  switch (kind)
    {
    case BM_AUGMENT_OP_ROTATE: op->rotate.scale = 1; break;
    case BM_AUGMENT_OP_EXPAND: op->expand.ratio = 1; break;
    case BM_AUGMENT_OP_MIXUP: op->mixup.lambda = 0.5; break;
    case BM_AUGMENT_OP_BRIGHTNESS:
    case BM_AUGMENT_OP_CONTRAST: op->enhance.factor = 1; break;
    case BM_AUGMENT_OP_MOSAIC:
      op->mosaic.size = 640;
      op->mosaic.xc = op->mosaic.yc = 640;
      for (int i = 0; i < 3; i++)
        op->mosaic.sources[i] = -1;
      op->mosaic.crop = TRUE;
      break;
    default: break;
    }
}

gboolean
bm_augment_op_parse (const char *line, BmAugmentOp *op, GError **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *copy = NULL;
  BmAugmentOpKind kind;

  g_return_val_if_fail (line != NULL && op != NULL, FALSE);

  copy = g_strdup (line);
  if (strchr (copy, '#'))
    *strchr (copy, '#') = '\0';   /* a trailing comment */
  g_strstrip (copy);
  words = g_strsplit_set (copy, " \t", -1);
  {
    /* drop empty words left by repeated blanks */
    guint n = 0;
    for (guint i = 0; words[i]; i++)
      if (*words[i])
        words[n++] = words[i];
      else
        g_free (words[i]);
    words[n] = NULL;
  }
  if (!words[0] || !bm_augment_op_kind_from_string (words[0], &kind))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("Unknown augmentation “%s”"), words[0] ? words[0] : "");
      return FALSE;
    }
  op_init_defaults (op, kind);
  for (guint i = 1; words[i]; i++)
    {
      char *eq = strchr (words[i], '=');

      if (!eq)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("Expected key=value, found “%s”"), words[i]);
          return FALSE;
        }
      *eq = '\0';
      if (!parse_key (op, words[i], eq + 1))
        {
          g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("Bad value for “%s” in %s: “%s”"),
                       words[i], words[0], eq + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/* --- samples ------------------------------------------------------------------------------- */

static BmAugmentItem *
item_new (BmObject *object, gboolean dropped, double weight)
{
  BmAugmentItem *item = g_new0 (BmAugmentItem, 1);

  item->object = object;
  item->dropped = dropped;
  item->weight = weight;
  return item;
}

static void
item_free (gpointer data)
{
  BmAugmentItem *item = data;

  g_clear_object (&item->object);
  g_free (item);
}

static BmAugmentSample *
sample_new_empty (BmImage *image, const BmAugmentProfile *profile)
{
  BmAugmentSample *sample = g_new0 (BmAugmentSample, 1);

  sample->image = bm_image_ref (image);
  sample->items = g_ptr_array_new_with_free_func (item_free);
  sample->applied = g_array_new (FALSE, TRUE, sizeof (BmAugmentOp));
  sample->profile = profile ? profile : bm_augment_profile_get (BM_AUGMENT_FRAMEWORK_ULTRALYTICS);
  return sample;
}

BmAugmentSample *
bm_augment_sample_new (BmImage *image, BmAnnotation *annotation, const BmAugmentProfile *profile)
{
  BmAugmentSample *sample;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation), NULL);

  sample = sample_new_empty (image, profile);
  if (annotation)
    for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
      bm_augment_sample_add_object (sample, bm_annotation_get_object (annotation, i));
  return sample;
}

void
bm_augment_sample_add_object (BmAugmentSample *sample, BmObject *object)
{
  g_return_if_fail (sample != NULL);
  g_return_if_fail (BM_IS_OBJECT (object));

  g_ptr_array_add (sample->items, item_new (bm_object_copy (object), FALSE, 1.0));
}

BmAugmentSample *
bm_augment_sample_copy (const BmAugmentSample *sample)
{
  BmAugmentSample *copy;

  g_return_val_if_fail (sample != NULL, NULL);

  copy = sample_new_empty (sample->image, sample->profile);
  for (guint i = 0; i < sample->items->len; i++)
    {
      const BmAugmentItem *item = g_ptr_array_index (sample->items, i);
      g_ptr_array_add (copy->items, item_new (bm_object_copy (item->object), item->dropped, item->weight));
    }
  g_array_append_vals (copy->applied, sample->applied->data, sample->applied->len);
  return copy;
}

void
bm_augment_sample_free (BmAugmentSample *sample)
{
  if (!sample)
    return;
  g_clear_pointer (&sample->image, bm_image_unref);
  g_ptr_array_unref (sample->items);
  g_array_unref (sample->applied);
  g_free (sample);
}

guint
bm_augment_sample_get_n_items (const BmAugmentSample *sample)
{
  g_return_val_if_fail (sample != NULL, 0);

  return sample->items->len;
}

BmAugmentItem *
bm_augment_sample_get_item (const BmAugmentSample *sample, guint index)
{
  g_return_val_if_fail (sample != NULL, NULL);
  g_return_val_if_fail (index < sample->items->len, NULL);

  return g_ptr_array_index (sample->items, index);
}

BmAnnotation *
bm_augment_sample_to_annotation (const BmAugmentSample *sample)
{
  BmAnnotation *annotation;

  g_return_val_if_fail (sample != NULL, NULL);

  annotation = bm_annotation_new ();
  bm_annotation_set_size (annotation, sample->image->width, sample->image->height, sample->image->channels);
  for (guint i = 0; i < sample->items->len; i++)
    {
      const BmAugmentItem *item = g_ptr_array_index (sample->items, i);
      g_autoptr(BmObject) object = NULL;

      if (item->dropped)
        continue;
      object = bm_object_copy (item->object);
      if (item->weight != 1.0)
        bm_object_set_score (object, item->weight);
      bm_annotation_add_object (annotation, object);
    }
  return annotation;
}

char *
bm_augment_sample_describe (const BmAugmentSample *sample)
{
  GString *s;

  g_return_val_if_fail (sample != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "profile %s\n", sample->profile->id);
  for (guint i = 0; i < sample->applied->len; i++)
    {
      const BmAugmentOp *op = &g_array_index (sample->applied, BmAugmentOp, i);
      g_autofree char *line = bm_augment_op_to_string (op);

      g_string_append (s, line);
      if (op->kind == BM_AUGMENT_OP_ROTATE)
        {
          /* the angle as the framework's own parameter spells it */
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_ascii_formatd (buf, sizeof buf, "%.15g", sample->profile->angle_sign * op->rotate.degrees + 0.0);
          g_string_append_printf (s, "  # %s angle=%s", sample->profile->id, buf);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* --- drawing parameters -------------------------------------------------------------------- */

void
bm_augment_settings_init (BmAugmentSettings *settings, const BmAugmentProfile *profile)
{
  g_return_if_fail (settings != NULL && profile != NULL);

  memset (settings, 0, sizeof *settings);
  for (guint i = 0; i < BM_AUGMENT_N_OPS; i++)
    settings->probability[i] = 1.0;
  settings->probability[BM_AUGMENT_OP_HFLIP] = 0.5;
  settings->probability[BM_AUGMENT_OP_VFLIP] = 0.5;
  settings->degrees = 30;
  settings->rotate_scale = 0;
  settings->canvas = profile->canvas;
  settings->box_method = profile->box_method;
  settings->expand_ratio = 4;
  settings->crop_min_scale = 0.3;
  settings->scale_range[0] = 0.5;
  settings->scale_range[1] = 1.5;
  /* Ultralytics' hsv_h, hsv_s, hsv_v */
  settings->hsv_gain[0] = 0.015;
  settings->hsv_gain[1] = 0.7;
  settings->hsv_gain[2] = 0.4;
  settings->brightness[0] = settings->contrast[0] = 0.5;
  settings->brightness[1] = settings->contrast[1] = 1.5;
  settings->cutout_holes = 2;
  settings->cutout_size[0] = 0.1;
  settings->cutout_size[1] = 0.2;
  settings->mosaic_size = 640;
  settings->flip_minus_one = FALSE;
}

static void
draw_expand (const BmAugmentSettings *settings, const BmAugmentProfile *profile, const BmImage *image,
             BmAugmentRng *rng, BmAugmentOp *op)
{
  double r = bm_augment_rng_uniform (rng, 1.0, MAX (settings->expand_ratio, 1.0));
  int w = (int) (image->width * r), h = (int) (image->height * r);

  op->expand.ratio = r;
  memcpy (op->expand.fill, profile->expand_fill, 3);
  if (profile->expand_strict)
    {
      /* numpy randint: the high end is exclusive */
      op->expand.y = bm_augment_rng_int (rng, 0, h - image->height);
      op->expand.x = bm_augment_rng_int (rng, 0, w - image->width);
    }
  else
    {
      op->expand.x = (int) bm_augment_rng_uniform (rng, 0, image->width * r - image->width);
      op->expand.y = (int) bm_augment_rng_uniform (rng, 0, image->height * r - image->height);
    }
}

/* mmdet MixUp: jitter U(0.5, 1.5), flip when U > flip_ratio 0.5, offsets numpy randint into the
 * canvas padded to at least the first image's size. */
static void
draw_mmdet_mixup (const BmAugmentSettings *settings, const BmImage *image, BmAugmentRng *rng, BmAugmentOp *op)
{
  int cw, ch;

  op->mixup.lambda = 0.5;
  op->mixup.scale_w = op->mixup.scale_h = MAX (settings->mosaic_size, 1);
  op->mixup.jitter = bm_augment_rng_uniform (rng, 0.5, 1.5);
  op->mixup.flip = bm_augment_rng_double (rng) > 0.5;
  cw = (int) (op->mixup.scale_w * op->mixup.jitter);
  ch = (int) (op->mixup.scale_h * op->mixup.jitter);
  op->mixup.y = bm_augment_rng_int (rng, 0, MAX (ch, image->height) - image->height);
  op->mixup.x = bm_augment_rng_int (rng, 0, MAX (cw, image->width) - image->width);
}

static void
draw_crop_window (const BmAugmentSettings *settings, const BmImage *image, BmAugmentRng *rng, BmAugmentOp *op)
{
  double lo = CLAMP (settings->crop_min_scale, 0.01, 1.0);
  double s = bm_augment_rng_uniform (rng, lo, 1.0);
  double ar = bm_augment_rng_uniform (rng, MAX (0.5, s * s), MIN (2.0, 1.0 / (s * s)));
  int h = CLAMP ((int) (image->height * s / sqrt (ar)), 1, image->height);
  int w = CLAMP ((int) (image->width * s * sqrt (ar)), 1, image->width);

  op->crop.y = bm_augment_rng_int (rng, 0, image->height - h);
  op->crop.x = bm_augment_rng_int (rng, 0, image->width - w);
  op->crop.width = w;
  op->crop.height = h;
}

/* PaddleDetection's RandomCrop acceptance: some live object overlaps the window with
 * IoU ≥ @threshold and has its centre inside it. */
static gboolean
crop_acceptable (const BmAugmentSample *sample, const BmAugmentOp *op, double threshold)
{
  BmRect window = { op->crop.x, op->crop.y, op->crop.x + op->crop.width, op->crop.y + op->crop.height };
  double best = -1;
  gboolean any_centre = FALSE;

  for (guint i = 0; i < sample->items->len; i++)
    {
      const BmAugmentItem *item = g_ptr_array_index (sample->items, i);
      const BmShape *shape = bm_object_get_shape (item->object);
      BmRect box = bm_shape_bounds (shape);
      BmPoint c = bm_shape_centre (shape);

      if (item->dropped)
        continue;
      best = MAX (best, bm_rect_iou (&box, &window));
      any_centre |= c.x >= window.x1 && c.x < window.x2 && c.y >= window.y1 && c.y < window.y2;
    }
  return best >= threshold && any_centre;
}

/* SSD-style sampling as PaddleDetection's RandomCrop does it: the IoU thresholds and "no crop"
 * in random order, 50 tries each, the first acceptable window wins. Without live objects any
 * window is taken. "No crop" yields the whole image. */
static void
draw_crop (const BmAugmentSettings *settings, const BmAugmentSample *sample, BmAugmentRng *rng, BmAugmentOp *op)
{
  double thresholds[] = { 0.0, 0.1, 0.3, 0.5, 0.7, 0.9, -1 /* no crop */ };
  const BmImage *image = sample->image;
  gboolean has_live = FALSE;

  for (guint i = 0; i < sample->items->len && !has_live; i++)
    has_live = !((BmAugmentItem *) g_ptr_array_index (sample->items, i))->dropped;
  if (!has_live)
    {
      draw_crop_window (settings, image, rng, op);
      return;
    }
  for (int i = G_N_ELEMENTS (thresholds) - 1; i > 0; i--)
    {
      int j = bm_augment_rng_int (rng, 0, i + 1);
      double t = thresholds[i];

      thresholds[i] = thresholds[j];
      thresholds[j] = t;
    }
  for (guint k = 0; k < G_N_ELEMENTS (thresholds); k++)
    {
      if (thresholds[k] < 0)
        break;
      for (int attempt = 0; attempt < 50; attempt++)
        {
          draw_crop_window (settings, image, rng, op);
          if (crop_acceptable (sample, op, thresholds[k]))
            return;
        }
    }
  op->crop.x = op->crop.y = 0;
  op->crop.width = image->width;
  op->crop.height = image->height;
}

static void
draw_cutout (const BmAugmentSettings *settings, const BmImage *image, BmAugmentRng *rng, BmAugmentOp *op)
{
  int n = bm_augment_rng_int (rng, 1, CLAMP (settings->cutout_holes, 1, BM_AUGMENT_MAX_HOLES) + 1);

  op->cutout.n_holes = n;
  for (int i = 0; i < n; i++)
    {
      int h = MAX (1, (int) (image->height * bm_augment_rng_uniform (rng, settings->cutout_size[0], settings->cutout_size[1])));
      int w = MAX (1, (int) (image->width * bm_augment_rng_uniform (rng, settings->cutout_size[0], settings->cutout_size[1])));

      h = MIN (h, image->height);
      w = MIN (w, image->width);
      op->cutout.holes[i][0] = bm_augment_rng_int (rng, 0, image->width - w + 1);
      op->cutout.holes[i][1] = bm_augment_rng_int (rng, 0, image->height - h + 1);
      op->cutout.holes[i][2] = w;
      op->cutout.holes[i][3] = h;
    }
  op->cutout.fill = 0;
}

gboolean
bm_augment_draw_op (BmAugmentOpKind          kind,
                    const BmAugmentSettings *settings,
                    const BmAugmentSample   *sample,
                    guint                    n_others,
                    BmAugmentRng            *rng,
                    BmAugmentOp             *op)
{
  const BmAugmentProfile *profile;
  const BmImage *image;
  gboolean apply;

  g_return_val_if_fail (kind < BM_AUGMENT_N_OPS, FALSE);
  g_return_val_if_fail (settings != NULL && sample != NULL && rng != NULL && op != NULL, FALSE);

  profile = sample->profile;
  image = sample->image;
  apply = bm_augment_rng_double (rng) < settings->probability[kind];
  op_init_defaults (op, kind);

  switch (kind)
    {
    case BM_AUGMENT_OP_ROTATE:
      op->rotate.degrees = bm_augment_rng_uniform (rng, -settings->degrees, settings->degrees);
      op->rotate.scale = bm_augment_rng_uniform (rng, 1 - settings->rotate_scale, 1 + settings->rotate_scale);
      op->rotate.canvas = settings->canvas;
      op->rotate.box_method = settings->box_method;
      break;
    case BM_AUGMENT_OP_EXPAND:
      draw_expand (settings, profile, image, rng, op);
      break;
    case BM_AUGMENT_OP_MIXUP:
      if (profile->mixup_alpha > 0)
        op->mixup.lambda = CLAMP (bm_augment_rng_beta (rng, profile->mixup_alpha, profile->mixup_alpha), 0.0, 1.0);
      else
        op->mixup.lambda = 0.5;
      op->mixup.source = bm_augment_rng_int (rng, 0, (int) n_others);
      apply = apply && n_others > 0;
      if (profile->mixup_style == BM_AUGMENT_MIXUP_MMDET)
        draw_mmdet_mixup (settings, image, rng, op);
      break;
    case BM_AUGMENT_OP_HFLIP:
    case BM_AUGMENT_OP_VFLIP:
      op->flip.offset = settings->flip_minus_one ? 1 : 0;
      break;
    case BM_AUGMENT_OP_CROP:
      draw_crop (settings, sample, rng, op);
      break;
    case BM_AUGMENT_OP_SCALE:
      {
        double f = bm_augment_rng_uniform (rng, settings->scale_range[0], settings->scale_range[1]);
        op->scale.width = MAX (1, (int) lround (image->width * f));
        op->scale.height = MAX (1, (int) lround (image->height * f));
      }
      break;
    case BM_AUGMENT_OP_HSV:
      op->hsv.hue = bm_augment_rng_uniform (rng, -1, 1) * settings->hsv_gain[0];
      op->hsv.saturation = bm_augment_rng_uniform (rng, -1, 1) * settings->hsv_gain[1];
      op->hsv.value = bm_augment_rng_uniform (rng, -1, 1) * settings->hsv_gain[2];
      break;
    case BM_AUGMENT_OP_BRIGHTNESS:
      op->enhance.factor = bm_augment_rng_uniform (rng, settings->brightness[0], settings->brightness[1]);
      break;
    case BM_AUGMENT_OP_CONTRAST:
      op->enhance.factor = bm_augment_rng_uniform (rng, settings->contrast[0], settings->contrast[1]);
      break;
    case BM_AUGMENT_OP_CUTOUT:
      draw_cutout (settings, image, rng, op);
      break;
    case BM_AUGMENT_OP_MOSAIC:
      {
        int s = MAX (settings->mosaic_size, 2);
        op->mosaic.size = s;
        op->mosaic.xc = (int) bm_augment_rng_uniform (rng, s / 2.0, 1.5 * s);
        op->mosaic.yc = (int) bm_augment_rng_uniform (rng, s / 2.0, 1.5 * s);
        for (int i = 0; i < 3; i++)
          op->mosaic.sources[i] = n_others > 0 ? bm_augment_rng_int (rng, 0, (int) n_others) : -1;
        op->mosaic.crop = TRUE;
      }
      break;
    case BM_AUGMENT_OP_LETTERBOX:
      op->letterbox.width = op->letterbox.height = MAX (settings->mosaic_size, 1);
      break;
    case BM_AUGMENT_N_OPS:
    default:
      g_assert_not_reached ();
    }
  return apply;
}

/* One operation of a run: once an operation has made the sample a new image, nobody outside
 * the run can see that image yet, so later operations may overwrite it. */
static gboolean
apply_step (BmAugmentSample *sample, const BmAugmentOp *op, BmAugmentSample *const *others,
            guint n_others, gboolean *owned, GError **error)
{
  BmImage *before = sample->image;

  if (!bm_augment_apply_full (sample, op, others, n_others, *owned, error))
    return FALSE;
  if (sample->image != before)
    *owned = TRUE;
  return TRUE;
}

BmAugmentSample *
bm_augment_run (const BmAugmentSample   *source,
                const BmAugmentOpKind   *kinds,
                guint                    n_kinds,
                const BmAugmentSettings *settings,
                guint64                  seed,
                BmAugmentSample *const  *others,
                guint                    n_others,
                GError                 **error)
{
  g_autoptr(BmAugmentSample) sample = NULL;
  gboolean owned = FALSE;
  BmAugmentRng rng;

  g_return_val_if_fail (source != NULL && settings != NULL, NULL);
  g_return_val_if_fail (n_kinds == 0 || kinds != NULL, NULL);

  bm_augment_rng_init (&rng, seed);
  sample = bm_augment_sample_copy (source);
  for (guint i = 0; i < n_kinds; i++)
    {
      BmAugmentOp op;

      if (!bm_augment_draw_op (kinds[i], settings, sample, n_others, &rng, &op))
        continue;
      if (!apply_step (sample, &op, others, n_others, &owned, error))
        return NULL;
    }
  return g_steal_pointer (&sample);
}

BmAugmentSample *
bm_augment_replay (const BmAugmentSample   *source,
                   const char              *description,
                   BmAugmentSample *const  *others,
                   guint                    n_others,
                   GError                 **error)
{
  g_autoptr(BmAugmentSample) sample = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean owned = FALSE;

  g_return_val_if_fail (source != NULL && description != NULL, NULL);

  sample = bm_augment_sample_copy (source);
  lines = g_strsplit (description, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      BmAugmentOp op;

      if (*line == '\0' || *line == '#')
        continue;
      if (g_str_has_prefix (line, "profile "))
        {
          const BmAugmentProfile *profile = bm_augment_profile_find (g_strstrip (line + 8));

          if (!profile)
            {
              g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("Line %u: unknown profile “%s”"), i + 1, line + 8);
              return NULL;
            }
          sample->profile = profile;
          continue;
        }
      if (!bm_augment_op_parse (line, &op, error))
        {
          g_prefix_error (error, _("Line %u: "), i + 1);
          return NULL;
        }
      if (!apply_step (sample, &op, others, n_others, &owned, error))
        return NULL;
    }
  return g_steal_pointer (&sample);
}
