/* bm-crop.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-parallel.h"
#include "core/bm-problem.h"
#include "bm-crop.h"
#include "bm-crop-encode.h"
#include "bm-export-source.h"

#define MAX_FOLDER_BYTES 200
#define CUT_FOLDER_BYTES 180

typedef struct
{
  guint item;
  char *image_path;
  char *relative;          /* the image below the dataset root */
  guint first_crop;        /* its crops: [first_crop, first_crop + n_crops) */
  guint n_crops;
  gboolean in_shard;
} PlanImage;

struct _BmCropPlan
{
  BmCropOptions options;
  char **classes;          /* options->classes, owned */
  char *format;
  BmDataset *dataset;
  GArray *crops;           /* BmCrop */
  GArray *images;          /* PlanImage, images with at least one crop */
  guint n_small;
  guint n_other_classes;
  GHashTable *classes_used;
};

void
bm_crop_options_init (BmCropOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->quality = 95;
  options->shard = BM_SHARD_ALL;
}

/* ---- class folder names ---- */

static gboolean
byte_needs_escape (guchar c)
{
  return c < 0x20 || c == 0x7f || strchr ("/\\:*?\"<>|%", c) != NULL;
}

char *
bm_crop_class_folder (const char *class_name)
{
  gboolean valid;
  GString *out;
  gsize n;

  g_return_val_if_fail (class_name != NULL, NULL);

  if (class_name[0] == '\0')
    return g_strdup ("%00");
  valid = g_utf8_validate (class_name, -1, NULL);
  n = strlen (class_name);
  out = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      guchar c = (guchar) class_name[i];
      gboolean edge = (i == 0 && (c == '.' || c == ' ')) || (i == n - 1 && (c == '.' || c == ' '));

      /* bytes of invalid UTF-8 are escaped too: some file systems refuse them */
      if (byte_needs_escape (c) || edge || (!valid && c >= 0x80))
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
  if (out->len > MAX_FOLDER_BYTES)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, class_name, -1);
      gsize cut = CUT_FOLDER_BYTES;

      /* at a character, and not inside a %XX */
      while (cut > 0 && (((guchar) out->str[cut] & 0xc0) == 0x80))
        cut--;
      if (cut >= 1 && out->str[cut - 1] == '%')
        cut -= 1;
      else if (cut >= 2 && out->str[cut - 2] == '%')
        cut -= 2;
      g_string_truncate (out, cut);
      g_string_append_printf (out, "~%.8s", hash);
    }
  return g_string_free (out, FALSE);
}

char *
bm_crop_class_from_folder (const char *folder_name)
{
  GString *out;

  g_return_val_if_fail (folder_name != NULL, NULL);

  out = g_string_new (NULL);
  for (const char *p = folder_name; *p; p++)
    {
      if (p[0] == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          char c = (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));

          if (c == '\0')
            break;
          g_string_append_c (out, c);
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

BmProblem *
bm_crop_problem_new (const char *file,
                     const char *message)
{
  gsize n = strlen (file);

  if (strncmp (message, file, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
    message += n + 2;
  return bm_problem_new (file, 0, message);
}

/* ---- planning ---- */

static double
distance (const BmPoint *a, const BmPoint *b)
{
  return hypot (b->x - a->x, b->y - a->y);
}

static void
crop_clear (gpointer data)
{
  BmCrop *crop = data;

  g_free (crop->class_name);
  g_free (crop->path);
}

static void
plan_image_clear (gpointer data)
{
  PlanImage *image = data;

  g_free (image->image_path);
  g_free (image->relative);
}

static gboolean
class_wanted (BmCropPlan *plan, const char *label)
{
  if (plan->classes == NULL)
    return TRUE;
  if (!g_strv_contains ((const char *const *) plan->classes, label))
    return FALSE;
  g_hash_table_add (plan->classes_used, g_strdup (label));
  return TRUE;
}

static void
add_problem (GPtrArray *problems, const char *file, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
add_problem (GPtrArray *problems, const char *file, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (problems != NULL)
    g_ptr_array_add (problems, bm_problem_new (file, 0, message));
}

/* The axis-aligned cut: the enclosing box plus padding, whole pixels, clipped to the image. */
static gboolean
plan_box (BmCrop *crop, const BmCropOptions *options, int image_width, int image_height)
{
  BmRect bounds = bm_shape_bounds (&crop->shape);
  double pad_x = options->pad_ratio > 0 ? options->pad_ratio * (bounds.x2 - bounds.x1) : options->pad;
  double pad_y = options->pad_ratio > 0 ? options->pad_ratio * (bounds.y2 - bounds.y1) : options->pad;
  double x1 = MAX (floor (bounds.x1 - pad_x), 0), y1 = MAX (floor (bounds.y1 - pad_y), 0);
  double x2 = MIN (ceil (bounds.x2 + pad_x), image_width), y2 = MIN (ceil (bounds.y2 + pad_y), image_height);

  if (x2 <= x1 || y2 <= y1)
    return FALSE;
  crop->origin[0] = x1;
  crop->origin[1] = y1;
  crop->axis[0] = 1;
  crop->axis[1] = 0;
  crop->width = (int) (x2 - x1);
  crop->height = (int) (y2 - y1);
  crop->in_crop = crop->shape;
  bm_shape_translate (&crop->in_crop, -x1, -y1);
  return TRUE;
}

/* The upright cut of a rotated box or quad: its own axes, p0→p1 to the right. */
static gboolean
plan_upright (BmCrop *crop, const BmCropOptions *options, int image_width, int image_height)
{
  const BmPoint *p = crop->shape.p;
  double length = distance (&p[0], &p[1]);
  double ux, uy, vx, vy, umin = 0, umax = 0, vmin = 0, vmax = 0, pad_u, pad_v, u0, v0;

  if (length < 1e-9)
    return plan_box (crop, options, image_width, image_height);
  ux = (p[1].x - p[0].x) / length;
  uy = (p[1].y - p[0].y) / length;
  /* already level: the plain cut copies pixels instead of resampling them */
  if (fabs (uy) < 1e-12 && ux > 0)
    return plan_box (crop, options, image_width, image_height);
  vx = -uy;
  vy = ux;
  for (int i = 0; i < 4; i++)
    {
      double a = (p[i].x - p[0].x) * ux + (p[i].y - p[0].y) * uy;
      double b = (p[i].x - p[0].x) * vx + (p[i].y - p[0].y) * vy;

      umin = MIN (umin, a);
      umax = MAX (umax, a);
      vmin = MIN (vmin, b);
      vmax = MAX (vmax, b);
    }
  pad_u = options->pad_ratio > 0 ? options->pad_ratio * (umax - umin) : options->pad;
  pad_v = options->pad_ratio > 0 ? options->pad_ratio * (vmax - vmin) : options->pad;
  crop->width = MAX ((int) ceil (umax - umin + 2 * pad_u - 1e-9), 1);
  crop->height = MAX ((int) ceil (vmax - vmin + 2 * pad_v - 1e-9), 1);
  u0 = umin - pad_u;
  v0 = vmin - pad_v;
  crop->origin[0] = p[0].x + ux * u0 + vx * v0;
  crop->origin[1] = p[0].y + uy * u0 + vy * v0;
  crop->axis[0] = ux;
  crop->axis[1] = uy;
  crop->resampled = TRUE;
  crop->in_crop = crop->shape;
  crop->in_crop.kind = crop->shape.kind == BM_SHAPE_ROTATED ? BM_SHAPE_BOX : crop->shape.kind;
  for (int i = 0; i < 4; i++)
    {
      double a = (p[i].x - p[0].x) * ux + (p[i].y - p[0].y) * uy;
      double b = (p[i].x - p[0].x) * vx + (p[i].y - p[0].y) * vy;

      crop->in_crop.p[i].x = a - u0;
      crop->in_crop.p[i].y = b - v0;
    }
  /* a corner of the crop outside the image: those pixels get no colour */
  for (int i = 0; i < 4; i++)
    {
      double a = (i == 1 || i == 2) ? crop->width : 0, b = i >= 2 ? crop->height : 0;
      double x = crop->origin[0] + ux * a + vx * b, y = crop->origin[1] + uy * a + vy * b;

      if (x < -1e-6 || y < -1e-6 || x > image_width + 1e-6 || y > image_height + 1e-6)
        crop->alpha = TRUE;
    }
  /* nothing of it inside the image */
  {
    BmRect bounds = bm_shape_bounds (&crop->shape);

    if (bounds.x2 <= 0 || bounds.y2 <= 0 || bounds.x1 >= image_width || bounds.y1 >= image_height)
      return FALSE;
  }
  return TRUE;
}

static const char *
crop_extension (BmCropPlan *plan, const char *image_path)
{
  g_autofree char *ext = NULL;

  if (plan->format != NULL)
    return plan->format;
  ext = bm_path_get_extension (image_path);
  return strcmp (ext, "jpg") == 0 || strcmp (ext, "jpeg") == 0 ? "jpg" : "png";
}

static void
object_sides (const BmShape *shape, gboolean upright, double *width, double *height)
{
  BmRect bounds;

  if (upright && shape->kind != BM_SHAPE_BOX)
    {
      /* the sides of the shape itself, as the upright crop has them */
      *width = (distance (&shape->p[0], &shape->p[1]) + distance (&shape->p[2], &shape->p[3])) / 2;
      *height = (distance (&shape->p[1], &shape->p[2]) + distance (&shape->p[3], &shape->p[0])) / 2;
      return;
    }
  bounds = bm_shape_bounds (shape);
  *width = bounds.x2 - bounds.x1;
  *height = bounds.y2 - bounds.y1;
}

static void
report_source_problems (const BmExportSource *source, GPtrArray *problems)
{
  if (problems == NULL)
    return;
  if (source->error != NULL)
    g_ptr_array_add (problems, bm_crop_problem_new (source->item->label_path, source->error->message));
  if (source->annotation != NULL)
    {
      GPtrArray *file_problems = bm_annotation_get_problems (source->annotation);

      for (guint i = 0; i < file_problems->len; i++)
        g_ptr_array_add (problems, bm_problem_copy (file_problems->pdata[i]));
    }
  if (source->size_problem != NULL)
    g_ptr_array_add (problems, bm_problem_copy (source->size_problem));
}

static void
plan_image (BmCropPlan *plan, const BmExportSource *source, GHashTable *taken, GPtrArray *problems)
{
  BmAnnotation *annotation = source->annotation;
  const char *image_path = source->item->image_path;
  int width, height;
  PlanImage entry = { 0 };
  g_autofree char *stem = NULL;
  const char *ext;

  report_source_problems (source, problems);
  if (annotation == NULL || bm_annotation_get_n_objects (annotation) == 0)
    return;
  width = bm_annotation_get_width (annotation);
  height = bm_annotation_get_height (annotation);
  if (width <= 0 || height <= 0)
    {
      add_problem (problems, image_path, _("cannot read the image size; its objects are not cropped"));
      return;
    }
  stem = bm_export_unique_stem (taken, image_path, NULL);
  ext = crop_extension (plan, image_path);
  /* the dataset keeps its items in one array */
  entry.item = (guint) (source->item - bm_dataset_get_item (plan->dataset, 0));
  entry.image_path = g_strdup (image_path);
  entry.relative = bm_shard_relative_path (bm_dataset_get_root (plan->dataset), image_path);
  entry.first_crop = plan->crops->len;
  entry.in_shard = bm_shard_contains_path (&plan->options.shard, entry.relative);

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const char *label = bm_object_get_label (object);
      BmCrop crop = { 0 };
      gboolean inside;
      double w, h;

      if (!class_wanted (plan, label))
        {
          plan->n_other_classes++;
          continue;
        }
      if (label[0] == '\0')
        {
          add_problem (problems, source->item->label_path, _("object %u has no class name; it is not cropped"), i + 1);
          continue;
        }
      crop.item = entry.item;
      crop.object = i;
      crop.shape = *bm_object_get_shape (object);
      object_sides (&crop.shape, plan->options.upright, &w, &h);
      if (w < plan->options.min_size || h < plan->options.min_size)
        {
          plan->n_small++;
          continue;
        }
      inside = plan->options.upright && crop.shape.kind != BM_SHAPE_BOX
               ? plan_upright (&crop, &plan->options, width, height)
               : plan_box (&crop, &plan->options, width, height);
      if (!inside)
        {
          add_problem (problems, source->item->label_path,
                       _("object %u (%s) lies outside its %d × %d image; it is not cropped"), i + 1, label, width, height);
          continue;
        }
      {
        g_autofree char *folder = bm_crop_class_folder (label);
        g_autofree char *name = g_strdup_printf ("%s_%u.%s", stem, i, ext);

        crop.class_name = g_strdup (label);
        crop.path = g_build_filename (folder, name, NULL);
      }
      g_array_append_val (plan->crops, crop);
    }
  entry.n_crops = plan->crops->len - entry.first_crop;
  if (entry.n_crops > 0)
    g_array_append_val (plan->images, entry);
  else
    plan_image_clear (&entry);
}

BmCropPlan *
bm_crop_plan_new (BmDataset           *dataset,
                  const BmCropOptions *options,
                  GPtrArray           *problems)
{
  BmCropPlan *plan;
  GArray *sources;
  g_autoptr(GHashTable) taken = NULL;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  plan = g_new0 (BmCropPlan, 1);
  plan->options = *options;
  plan->classes = options->classes != NULL ? g_strdupv ((char **) options->classes) : NULL;
  plan->options.classes = (const char *const *) plan->classes;
  plan->format = options->format != NULL
                 ? g_strdup (g_ascii_strcasecmp (options->format, "png") == 0 ? "png" : "jpg") : NULL;
  plan->options.format = plan->format;
  plan->dataset = g_object_ref (dataset);
  plan->crops = g_array_new (FALSE, TRUE, sizeof (BmCrop));
  g_array_set_clear_func (plan->crops, crop_clear);
  plan->images = g_array_new (FALSE, TRUE, sizeof (PlanImage));
  g_array_set_clear_func (plan->images, plan_image_clear);
  plan->classes_used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* sizes from the image headers (EXIF-oriented), what the decoded image will have */
  sources = bm_export_sources_load (dataset, BM_FORMAT_NONE, BM_EXPORT_SOURCE_FOR_YOLO);
  taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sources->len; i++)
    plan_image (plan, &g_array_index (sources, BmExportSource, i), taken, problems);
  bm_export_sources_free (sources);
  return plan;
}

void
bm_crop_plan_free (BmCropPlan *plan)
{
  if (plan == NULL)
    return;
  g_strfreev (plan->classes);
  g_free (plan->format);
  g_object_unref (plan->dataset);
  g_array_unref (plan->crops);
  g_array_unref (plan->images);
  g_hash_table_unref (plan->classes_used);
  g_free (plan);
}

guint
bm_crop_plan_get_n_crops (BmCropPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->crops->len;
}

const BmCrop *
bm_crop_plan_get_crop (BmCropPlan *plan,
                       guint       index)
{
  g_return_val_if_fail (plan != NULL && index < plan->crops->len, NULL);
  return &g_array_index (plan->crops, BmCrop, index);
}

char **
bm_crop_plan_get_folders (BmCropPlan *plan)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *folders = g_ptr_array_new ();

  g_return_val_if_fail (plan != NULL, NULL);

  for (guint i = 0; i < plan->crops->len; i++)
    {
      char *folder = g_path_get_dirname (g_array_index (plan->crops, BmCrop, i).path);

      if (g_hash_table_add (seen, folder))
        g_ptr_array_add (folders, g_strdup (folder));
    }
  g_ptr_array_add (folders, NULL);
  return (char **) g_ptr_array_free (folders, FALSE);
}

guint
bm_crop_plan_get_n_small (BmCropPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->n_small;
}

guint
bm_crop_plan_get_n_other_classes (BmCropPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->n_other_classes;
}

GPtrArray *
bm_crop_plan_get_unused_classes (BmCropPlan *plan)
{
  GPtrArray *unused = g_ptr_array_new ();

  g_return_val_if_fail (plan != NULL, unused);

  for (guint i = 0; plan->classes != NULL && plan->classes[i] != NULL; i++)
    if (!g_hash_table_contains (plan->classes_used, plan->classes[i]))
      g_ptr_array_add (unused, plan->classes[i]);
  return unused;
}

/* ---- manifest ---- */

static void
csv_field (GString *out, const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_number (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* 10 significant digits, as VOC's derived values; never "-0" */
  if (value == 0)
    value = 0;
  g_string_append_c (out, ',');
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.10g", value));
}

char *
bm_crop_plan_manifest (BmCropPlan *plan)
{
  GString *out;

  g_return_val_if_fail (plan != NULL, NULL);

  out = g_string_new ("crop,image,class,object,shape,x1,y1,x2,y2,x3,y3,x4,y4,width,height,"
                      "crop_x1,crop_y1,crop_x2,crop_y2,crop_x3,crop_y3,crop_x4,crop_y4\n");
  for (guint i = 0; i < plan->images->len; i++)
    {
      const PlanImage *image = &g_array_index (plan->images, PlanImage, i);

      for (guint c = image->first_crop; c < image->first_crop + image->n_crops; c++)
        {
          const BmCrop *crop = &g_array_index (plan->crops, BmCrop, c);
          g_autofree char *path = g_strdup (crop->path);

          /* '/' whatever the system, as the relative image path */
          g_strdelimit (path, G_DIR_SEPARATOR_S, '/');
          csv_field (out, path);
          g_string_append_c (out, ',');
          csv_field (out, image->relative);
          g_string_append_c (out, ',');
          csv_field (out, crop->class_name);
          g_string_append_printf (out, ",%u,%s", crop->object, bm_shape_kind_to_string (crop->shape.kind));
          for (int k = 0; k < 4; k++)
            {
              csv_number (out, crop->shape.p[k].x);
              csv_number (out, crop->shape.p[k].y);
            }
          g_string_append_printf (out, ",%d,%d", crop->width, crop->height);
          for (int k = 0; k < 4; k++)
            {
              csv_number (out, crop->in_crop.p[k].x);
              csv_number (out, crop->in_crop.p[k].y);
            }
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
file_has_bytes (const char *path, const char *data, gsize length)
{
  g_autofree char *contents = NULL;
  gsize n;

  return g_file_get_contents (path, &contents, &n, NULL) && n == length && memcmp (contents, data, n) == 0;
}

GPtrArray *
bm_crop_plan_find_existing (BmCropPlan *plan,
                            const char *out_dir)
{
  GPtrArray *existing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_path = NULL;

  g_return_val_if_fail (plan != NULL && out_dir != NULL, existing);

  for (guint i = 0; i < plan->images->len; i++)
    {
      const PlanImage *image = &g_array_index (plan->images, PlanImage, i);

      if (!image->in_shard)
        continue;
      for (guint c = image->first_crop; c < image->first_crop + image->n_crops; c++)
        {
          char *path = g_build_filename (out_dir, g_array_index (plan->crops, BmCrop, c).path, NULL);

          if (g_file_test (path, G_FILE_TEST_EXISTS))
            g_ptr_array_add (existing, path);
          else
            g_free (path);
        }
    }
  /* the other shards write the very same manifest */
  manifest = bm_crop_plan_manifest (plan);
  manifest_path = g_build_filename (out_dir, BM_CROP_MANIFEST, NULL);
  if (g_file_test (manifest_path, G_FILE_TEST_EXISTS) && !file_has_bytes (manifest_path, manifest, strlen (manifest)))
    g_ptr_array_add (existing, g_steal_pointer (&manifest_path));
  return existing;
}

/* ---- cutting ---- */

static BmImage *
cut_box (const BmCrop *crop, BmImage *image)
{
  int x0 = (int) crop->origin[0], y0 = (int) crop->origin[1];
  BmImage *out = bm_image_new (crop->width, crop->height, image->channels);

  for (int y = 0; y < crop->height; y++)
    memcpy (out->data + (gsize) y * out->stride,
            image->data + (gsize) (y0 + y) * image->stride + (gsize) x0 * image->channels,
            (gsize) crop->width * image->channels);
  return out;
}

/* Bilinear sample of channel values at (x, y) in pixel-index coordinates (pixel i's centre is
 * i), clamped at the border. */
static void
sample (BmImage *image, double x, double y, double *values)
{
  int x0 = (int) floor (x), y0 = (int) floor (y);
  double fx = x - x0, fy = y - y0;
  int xs[2] = { CLAMP (x0, 0, image->width - 1), CLAMP (x0 + 1, 0, image->width - 1) };
  int ys[2] = { CLAMP (y0, 0, image->height - 1), CLAMP (y0 + 1, 0, image->height - 1) };
  double weights[4] = { (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy };

  for (int c = 0; c < image->channels; c++)
    values[c] = 0;
  for (int k = 0; k < 4; k++)
    {
      const guint8 *pixel = image->data + (gsize) ys[k / 2] * image->stride + (gsize) xs[k % 2] * image->channels;

      for (int c = 0; c < image->channels; c++)
        values[c] += weights[k] * pixel[c];
    }
}

static BmImage *
cut_upright (const BmCrop *crop, BmImage *image)
{
  gboolean has_alpha = image->channels == 2 || image->channels == 4;
  int channels = crop->alpha && !has_alpha ? image->channels + 1 : image->channels;
  BmImage *out = bm_image_new (crop->width, crop->height, channels);
  double ux = crop->axis[0], uy = crop->axis[1], vx = -uy, vy = ux;

  for (int j = 0; j < crop->height; j++)
    for (int i = 0; i < crop->width; i++)
      {
        /* the centre of the crop's pixel (i, j) in the image, in edge coordinates */
        double x = crop->origin[0] + ux * (i + 0.5) + vx * (j + 0.5);
        double y = crop->origin[1] + uy * (i + 0.5) + vy * (j + 0.5);
        guint8 *pixel = out->data + (gsize) j * out->stride + (gsize) i * channels;
        double values[4];

        if (x < 0 || y < 0 || x > image->width || y > image->height)
          continue;   /* outside the image: zero, transparent when there is alpha */
        sample (image, x - 0.5, y - 0.5, values);
        for (int c = 0; c < image->channels; c++)
          pixel[c] = (guint8) CLAMP (lround (values[c]), 0, 255);
        if (channels > image->channels)
          pixel[channels - 1] = 255;
      }
  return out;
}

BmImage *
bm_crop_cut (const BmCrop *crop,
             BmImage      *image)
{
  g_return_val_if_fail (crop != NULL && image != NULL, NULL);

  if (crop->resampled)
    return cut_upright (crop, image);
  /* a plan made from another size than the decoded one */
  if (crop->origin[0] + crop->width > image->width || crop->origin[1] + crop->height > image->height)
    return NULL;
  return cut_box (crop, image);
}

typedef struct
{
  BmCropPlan *plan;
  const char *out_dir;
  GArray *todo;            /* guint: indices into plan->images */
  GPtrArray *problems;
  GMutex lock;
  GError *error;           /* the first write that failed; the others stop */
  gint n_images;
  gint n_crops;
} RunJob;

static gboolean
job_failed (RunJob *job)
{
  gboolean failed;

  g_mutex_lock (&job->lock);
  failed = job->error != NULL;
  g_mutex_unlock (&job->lock);
  return failed;
}

static void
job_problem (RunJob *job, const char *file, const char *message)
{
  g_mutex_lock (&job->lock);
  if (job->problems != NULL)
    g_ptr_array_add (job->problems, bm_crop_problem_new (file, message));
  g_mutex_unlock (&job->lock);
}

static void
run_image (guint index, gpointer user_data)
{
  RunJob *job = user_data;
  const PlanImage *entry = &g_array_index (job->plan->images, PlanImage, g_array_index (job->todo, guint, index));
  g_autoptr(BmImage) image = NULL;
  g_autoptr(GError) error = NULL;

  if (job_failed (job))
    return;
  image = bm_image_load (entry->image_path, &error);
  if (image == NULL)
    {
      job_problem (job, entry->image_path, error->message);
      return;
    }
  for (guint c = entry->first_crop; c < entry->first_crop + entry->n_crops; c++)
    {
      const BmCrop *crop = &g_array_index (job->plan->crops, BmCrop, c);
      g_autofree char *path = g_build_filename (job->out_dir, crop->path, NULL);
      g_autofree char *folder = g_path_get_dirname (path);
      g_autoptr(BmImage) cut = bm_crop_cut (crop, image);

      if (cut == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("the image is %d × %d, not the size its labels were planned with; "
                                                        "object %u is not cropped"), image->width, image->height, crop->object + 1);
          job_problem (job, entry->image_path, message);
          continue;
        }
      if (g_mkdir_with_parents (folder, 0777) != 0)
        {
          int saved = errno;

          g_set_error (&error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create the folder: %s"), folder, g_strerror (saved));
        }
      if (error != NULL || !bm_crop_save_image (cut, path, job->plan->options.quality, &error))
        {
          g_mutex_lock (&job->lock);
          if (job->error == NULL)
            job->error = g_steal_pointer (&error);
          g_mutex_unlock (&job->lock);
          return;
        }
      g_atomic_int_inc (&job->n_crops);
    }
  g_atomic_int_inc (&job->n_images);
}

gboolean
bm_crop_plan_run (BmCropPlan    *plan,
                  const char    *out_dir,
                  guint          n_threads,
                  GPtrArray     *problems,
                  BmCropReport  *report,
                  GError       **error)
{
  RunJob job = { plan, out_dir, NULL, problems };
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_path = NULL;

  g_return_val_if_fail (plan != NULL && out_dir != NULL, FALSE);

  if (g_mkdir_with_parents (out_dir, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create the folder: %s"), out_dir, g_strerror (saved));
      return FALSE;
    }
  job.todo = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < plan->images->len; i++)
    if (g_array_index (plan->images, PlanImage, i).in_shard)
      g_array_append_val (job.todo, i);
  g_mutex_init (&job.lock);
  bm_parallel_for (job.todo->len, n_threads, run_image, &job);
  g_mutex_clear (&job.lock);
  g_array_unref (job.todo);
  if (report != NULL)
    {
      report->n_images = (guint) job.n_images;
      report->n_crops = (guint) job.n_crops;
    }
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  manifest = bm_crop_plan_manifest (plan);
  manifest_path = g_build_filename (out_dir, BM_CROP_MANIFEST, NULL);
  if (file_has_bytes (manifest_path, manifest, strlen (manifest)))
    return TRUE;
  return bm_file_write_atomic (manifest_path, manifest, strlen (manifest), error);
}
