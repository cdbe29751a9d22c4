/* bm-eval-gt.c: ground truth for evaluation, from a dataset folder or a COCO file.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "formats/bm-class-list.h"
#include "formats/bm-coco.h"
#include "formats/bm-label-io.h"
#include "formats/bm-text-util.h"
#include "bm-eval-gt.h"
#include "bm-pred-private.h"

struct _BmEvalGt
{
  gint ref_count;
  char *path;
  char *format;
  gboolean is_coco;
  GArray *images;           /* BmEvalGtImage */
  GArray *objects;          /* BmEvalGtObject */
  GHashTable *image_index;  /* id → index + 1 */
  GHashTable *coco_index;   /* gint64 coco id → index + 1 */
  GPtrArray *classes;       /* char * */
  GArray *category_ids;     /* gint64 */
  GHashTable *class_index;  /* name → index + 1 */
  char *class_file;
  GPtrArray *problems;
  GPtrArray *notes;
  char *fractional_voc_file;
};

static void
image_clear (BmEvalGtImage *image)
{
  g_free (image->id);
  g_free (image->image_path);
  g_free (image->label_path);
}

static BmEvalGt *
gt_new (const char *path)
{
  BmEvalGt *self = g_new0 (BmEvalGt, 1);

  self->ref_count = 1;
  self->path = g_strdup (path);
  self->images = g_array_new (FALSE, TRUE, sizeof (BmEvalGtImage));
  g_array_set_clear_func (self->images, (GDestroyNotify) image_clear);
  self->objects = g_array_new (FALSE, TRUE, sizeof (BmEvalGtObject));
  self->image_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->coco_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->classes = g_ptr_array_new_with_free_func (g_free);
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->class_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  return self;
}

BmEvalGt *
bm_eval_gt_ref (BmEvalGt *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bm_eval_gt_unref (BmEvalGt *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_free (self->path);
  g_free (self->format);
  g_hash_table_unref (self->image_index);
  g_array_unref (self->images);
  g_array_unref (self->objects);
  g_hash_table_unref (self->coco_index);
  g_hash_table_unref (self->class_index);
  g_ptr_array_unref (self->classes);
  g_array_unref (self->category_ids);
  g_free (self->class_file);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->notes);
  g_free (self->fractional_voc_file);
  g_free (self);
}

static guint
add_class (BmEvalGt *self, const char *name, gint64 category_id)
{
  gpointer found = g_hash_table_lookup (self->class_index, name);
  char *copy;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  copy = g_strdup (name);
  g_ptr_array_add (self->classes, copy);
  g_array_append_val (self->category_ids, category_id);
  g_hash_table_insert (self->class_index, copy, GUINT_TO_POINTER (self->classes->len));
  return self->classes->len - 1;
}

/* Adds image @image (taking its strings); FALSE and a problem when its id is taken. */
static gboolean
add_image (BmEvalGt *self, BmEvalGtImage *image)
{
  if (g_hash_table_contains (self->image_index, image->id))
    {
      g_ptr_array_add (self->problems,
                       bm_problem_new_printf (image->label_path ? image->label_path : image->image_path, 0,
                                              _("another image has the id “%s”: predictions cannot tell them apart; this one is left out"),
                                              image->id));
      image_clear (image);
      return FALSE;
    }
  g_array_append_val (self->images, *image);
  g_hash_table_insert (self->image_index, g_array_index (self->images, BmEvalGtImage, self->images->len - 1).id,
                       GUINT_TO_POINTER (self->images->len));
  g_hash_table_insert (self->coco_index, g_memdup2 (&image->coco_id, sizeof image->coco_id),
                       GUINT_TO_POINTER (self->images->len));
  return TRUE;
}

static void
fill_forms (BmEvalGtObject *object)
{
  double xmin = object->quad[0], xmax = object->quad[0];
  double ymin = object->quad[1], ymax = object->quad[1];

  for (int i = 1; i < 4; i++)
    {
      xmin = MIN (xmin, object->quad[2 * i]);
      xmax = MAX (xmax, object->quad[2 * i]);
      ymin = MIN (ymin, object->quad[2 * i + 1]);
      ymax = MAX (ymax, object->quad[2 * i + 1]);
    }
  object->box[0] = xmin;
  object->box[1] = ymin;
  object->box[2] = xmax;
  object->box[3] = ymax;
}

/* ---- a COCO file ---- */

static char *
stem_of (const char *file_name)
{
  g_autofree char *base = g_path_get_basename (file_name);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static BmEvalGt *
load_coco (const char *path, GError **error)
{
  g_autoptr(BmCoco) coco = bm_coco_load (path, error);
  g_autoptr(BmEvalGt) self = NULL;
  GPtrArray *problems;

  if (coco == NULL)
    return NULL;
  self = gt_new (path);
  self->is_coco = TRUE;
  self->format = g_strdup ("coco");
  problems = bm_coco_get_problems (coco);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (self->problems, bm_problem_copy (problems->pdata[i]));
  problems = bm_coco_get_notes (coco);
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (self->notes, bm_problem_copy (problems->pdata[i]));

  for (guint c = 0; c < bm_coco_get_n_categories (coco); c++)
    {
      const BmCocoCategory *category = bm_coco_get_category (coco, c);

      /* two categories with one name would merge: the problem was reported by the reader */
      if (g_hash_table_contains (self->class_index, category->name))
        continue;
      add_class (self, category->name, category->id);
    }
  for (guint i = 0; i < bm_coco_get_n_images (coco); i++)
    {
      const BmCocoImage *info = bm_coco_get_image (coco, i);
      BmEvalGtImage image = { 0 };
      const guint *indices;
      guint n;

      image.id = stem_of (info->file_name);
      image.label_path = g_strdup (path);
      image.coco_id = info->id;
      image.width = info->width;
      image.height = info->height;
      image.first = self->objects->len;
      if (!add_image (self, &image))
        continue;
      indices = bm_coco_get_image_annotations (coco, i, &n);
      for (guint k = 0; k < n; k++)
        {
          const BmCocoAnnotation *a = bm_coco_get_annotation (coco, indices[k]);
          BmEvalGtObject object = { 0 };

          object.klass = (guint) bm_eval_gt_find_class (self, bm_coco_get_category (coco, a->category)->name);
          object.difficult = a->difficult;
          object.iscrowd = a->iscrowd;
          object.shape = a->shape;
          if (a->shape == BM_SHAPE_BOX)
            {
              double q[8] = { a->bbox[0], a->bbox[1], a->bbox[0] + a->bbox[2], a->bbox[1],
                              a->bbox[0] + a->bbox[2], a->bbox[1] + a->bbox[3], a->bbox[0], a->bbox[1] + a->bbox[3] };
              memcpy (object.quad, q, sizeof q);
            }
          else
            memcpy (object.quad, a->quad, sizeof object.quad);
          fill_forms (&object);
          memcpy (object.coco, a->bbox, sizeof object.coco);
          object.area = a->area;
          object.id = a->id;
          object.line = a->line;
          g_array_append_val (self->objects, object);
        }
      g_array_index (self->images, BmEvalGtImage, self->images->len - 1).n_objects = n;
    }
  return g_steal_pointer (&self);
}

/* ---- DOTA label files, read as DOTA_devkit's parse_gt reads them ---- */

/* One object of a DOTA file: the shape and flags an evaluation needs, nothing to save it back. */
typedef struct
{
  char *label;
  int difficult;
  double quad[8];
  guint line;
} DotaObject;

typedef struct
{
  GArray *objects;      /* DotaObject */
  GPtrArray *problems;
  GPtrArray *notes;
  int width, height;
} DotaFile;

static void
dota_object_clear (DotaObject *object)
{
  g_free (object->label);
}

static void
dota_file_free (DotaFile *file)
{
  if (file == NULL)
    return;
  g_array_unref (file->objects);
  g_ptr_array_unref (file->problems);
  g_ptr_array_unref (file->notes);
  g_free (file);
}

/* parse_gt: a line of at least 9 whitespace-separated values is an object (x1 y1 … x4 y4 class
 * [difficult]); shorter lines (imagesource:, gsd:) are skipped. The difficult token is int()-ed
 * and any value but 0 is difficult (DOTA's 2, "cut by a tile", included). Where parse_gt would
 * stop (a coordinate that is no number, 11 or more values) the line is a problem instead. */
static DotaFile *
read_dota_file (const char *path)
{
  DotaFile *file = g_new0 (DotaFile, 1);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  char *end, *line;
  guint number = 0;
  gboolean noted = FALSE;

  file->objects = g_array_new (FALSE, FALSE, sizeof (DotaObject));
  g_array_set_clear_func (file->objects, (GDestroyNotify) dota_object_clear);
  file->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  file->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  if (!bm_file_read_all (path, &data, &length, &error))
    {
      g_ptr_array_add (file->problems, bm_problem_new (path, 0, error->message));
      return file;
    }
  end = data + length;
  for (line = data; line < end;)
    {
      char *newline = memchr (line, '\n', (gsize) (end - line));
      char *line_end = newline != NULL ? newline : end;
      char *token[12];
      guint n = 0;
      DotaObject object = { NULL, 0, { 0 }, ++number };
      gint64 difficult = 0;
      gboolean odd, bad = FALSE;
      char *text = line;

      /* Python's strip(), then split on whitespace */
      *line_end = '\0';
      while (g_ascii_isspace (*text))
        text++;
      for (char *t = line_end; t > text && g_ascii_isspace (t[-1]);)
        *--t = '\0';
      odd = strpbrk (text, "\t\v\f\r") != NULL || strstr (text, "  ") != NULL;
      for (char *p = text; *p != '\0';)
        {
          while (g_ascii_isspace (*p))
            p++;
          if (*p == '\0')
            break;
          if (n < G_N_ELEMENTS (token))
            token[n] = p;
          n++;
          while (*p != '\0' && !g_ascii_isspace (*p))
            p++;
          if (*p != '\0')
            *p++ = '\0';
        }
      line = line_end + 1;
      if (n < 9)
        {
          if (n > 0 && strchr (token[0], ':') == NULL)
            g_ptr_array_add (file->problems,
                             bm_problem_new_printf (path, (int) number,
                                                    _("%u values: not an object line (x1 y1 … x4 y4 class [difficult]); skipped, as DOTA_devkit skips it"),
                                                    n));
          continue;
        }
      if (n > 10)
        {
          g_ptr_array_add (file->problems,
                           bm_problem_new_printf (path, (int) number,
                                                  _("%u values where a DOTA line has 9 or 10; line left out (DOTA_devkit’s parse_gt would stop with KeyError)"),
                                                  n));
          continue;
        }
      for (guint k = 0; k < 8 && !bad; k++)
        if (!bm_pred_parse_finite (token[k], &object.quad[k]))
          {
            g_autofree char *shown = bm_text_shown (token[k]);

            g_ptr_array_add (file->problems,
                             bm_problem_new_printf (path, (int) number,
                                                    _("coordinate %u, “%s”, is not a finite number; line left out (DOTA_devkit would stop with ValueError)"),
                                                    k + 1, shown));
            bad = TRUE;
          }
      if (bad)
        continue;
      if (n == 10 && !bm_number_parse_int (token[9], G_MININT32, G_MAXINT32, &difficult))
        {
          g_autofree char *shown = bm_text_shown (token[9]);

          g_ptr_array_add (file->problems,
                           bm_problem_new_printf (path, (int) number,
                                                  _("difficult “%s” is not a whole number; line left out (DOTA_devkit would stop with ValueError)"),
                                                  shown));
          continue;
        }
      if (odd && !noted)
        {
          noted = TRUE;
          g_ptr_array_add (file->notes,
                           bm_problem_new (path, (int) number,
                                           _("values separated by more than one space or by tabs: read, but DOTA_devkit splits lines on single spaces and would misread this line")));
        }
      object.label = g_strdup (token[8]);
      object.difficult = difficult == 0 ? 0 : difficult == 2 ? 2 : 1;
      g_array_append_val (file->objects, object);
    }
  return file;
}

/* ---- a dataset ---- */

typedef struct
{
  BmDataset *dataset;
  GPtrArray *items;            /* const BmDatasetItem * */
  BmAnnotation **annotations;
  DotaFile **dota;             /* DOTA label files, read by read_dota_file instead */
  GError **errors;
} LoadJob;

static gboolean
is_dota_item (const BmDatasetItem *item)
{
  if (!item->has_label)
    return FALSE;
  if (item->format_guessed)
    return bm_dataset_sniff_txt_format (item->label_path) == BM_FORMAT_DOTA;
  return item->format == BM_FORMAT_DOTA;
}

static void
load_item (guint index, gpointer user_data)
{
  LoadJob *job = user_data;
  const BmDatasetItem *item = job->items->pdata[index];

  if (is_dota_item (item))
    {
      job->dota[index] = read_dota_file (item->label_path);
      if (item->image_path != NULL)
        bm_image_read_info (item->image_path, &job->dota[index]->width, &job->dota[index]->height, NULL, NULL);
      return;
    }
  job->annotations[index] = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &job->errors[index]);
}

static gboolean
is_whole (double value)
{
  return value == floor (value);
}

static void
add_annotation (BmEvalGt *self, const BmDatasetItem *item, BmAnnotation *annotation, gint64 *next_id)
{
  BmEvalGtImage image = { 0 };
  GPtrArray *problems;
  guint n = 0;

  image.id = bm_path_get_stem (item->has_label || item->image_path == NULL ? item->label_path : item->image_path);
  image.image_path = g_strdup (item->image_path);
  image.label_path = item->has_label ? g_strdup (item->label_path) : NULL;
  image.coco_id = self->images->len + 1;
  image.first = self->objects->len;
  if (annotation != NULL)
    {
      image.width = bm_annotation_get_width (annotation);
      image.height = bm_annotation_get_height (annotation);
      problems = bm_annotation_get_problems (annotation);
      for (guint i = 0; i < problems->len; i++)
        g_ptr_array_add (self->problems, bm_problem_copy (problems->pdata[i]));
    }
  if (!add_image (self, &image))
    return;
  for (guint i = 0; annotation != NULL && i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *source = bm_annotation_get_object (annotation, i);
      const BmShape *shape = bm_object_get_shape (source);
      BmEvalGtObject object = { 0 };

      object.klass = add_class (self, bm_object_get_label (source), self->classes->len + 1);
      object.difficult = bm_object_get_difficult (source);
      object.iscrowd = object.difficult != 0;
      object.shape = shape->kind;
      for (int k = 0; k < 4; k++)
        {
          object.quad[2 * k] = shape->p[k].x;
          object.quad[2 * k + 1] = shape->p[k].y;
        }
      fill_forms (&object);
      object.coco[0] = object.box[0];
      object.coco[1] = object.box[1];
      object.coco[2] = object.box[2] - object.box[0];
      object.coco[3] = object.box[3] - object.box[1];
      object.area = object.coco[2] * object.coco[3];
      object.id = (*next_id)++;
      g_array_append_val (self->objects, object);
      n++;
      if (self->fractional_voc_file == NULL && bm_annotation_get_format (annotation) == BM_FORMAT_VOC
          && (!is_whole (object.box[0]) || !is_whole (object.box[1]) || !is_whole (object.box[2]) || !is_whole (object.box[3])))
        self->fractional_voc_file = g_strdup (item->label_path);
    }
  g_array_index (self->images, BmEvalGtImage, self->images->len - 1).n_objects = n;
}

static void
add_dota_file (BmEvalGt *self, const BmDatasetItem *item, DotaFile *file, gint64 *next_id)
{
  BmEvalGtImage image = { 0 };

  image.id = bm_path_get_stem (item->label_path);
  image.image_path = g_strdup (item->image_path);
  image.label_path = g_strdup (item->label_path);
  image.coco_id = self->images->len + 1;
  image.first = self->objects->len;
  image.width = file->width;
  image.height = file->height;
  for (guint i = 0; i < file->problems->len; i++)
    g_ptr_array_add (self->problems, bm_problem_copy (file->problems->pdata[i]));
  for (guint i = 0; i < file->notes->len; i++)
    g_ptr_array_add (self->notes, bm_problem_copy (file->notes->pdata[i]));
  if (!add_image (self, &image))
    return;
  for (guint i = 0; i < file->objects->len; i++)
    {
      const DotaObject *source = &g_array_index (file->objects, DotaObject, i);
      BmEvalGtObject object = { 0 };

      object.klass = add_class (self, source->label, self->classes->len + 1);
      object.difficult = source->difficult;
      object.iscrowd = source->difficult != 0;
      object.shape = BM_SHAPE_QUAD;
      memcpy (object.quad, source->quad, sizeof object.quad);
      fill_forms (&object);
      object.coco[0] = object.box[0];
      object.coco[1] = object.box[1];
      object.coco[2] = object.box[2] - object.box[0];
      object.coco[3] = object.box[3] - object.box[1];
      object.area = object.coco[2] * object.coco[3];
      object.id = (*next_id)++;
      object.line = source->line;
      g_array_append_val (self->objects, object);
    }
  g_array_index (self->images, BmEvalGtImage, self->images->len - 1).n_objects = file->objects->len;
}

static BmEvalGt *
load_dataset (const char *path, BmEvalGtFlags flags, GError **error)
{
  g_autoptr(BmDataset) dataset = bm_dataset_open (path, TRUE, error);
  g_autoptr(BmEvalGt) self = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gboolean yolo;
  guint n_unlabelled = 0;
  gint64 next_id = 1;
  LoadJob job;

  if (dataset == NULL)
    return NULL;
  self = gt_new (path);
  self->format = g_strdup (bm_format_to_string (bm_dataset_get_format (dataset)));
  yolo = bm_dataset_get_layout (dataset) == BM_LAYOUT_YOLO;
  if (bm_dataset_get_class_file (dataset) != NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(BmClassList) list = bm_class_list_load (bm_dataset_get_class_file (dataset), &local);

      if (list == NULL)
        g_ptr_array_add (self->problems, bm_problem_new (bm_dataset_get_class_file (dataset), 0, local->message));
      else
        {
          self->class_file = g_strdup (bm_dataset_get_class_file (dataset));
          for (guint i = 0; i < bm_class_list_get_n (list); i++)
            add_class (self, bm_class_list_get_name (list, i), self->classes->len + 1);
        }
    }

  /* a YOLO image without a .txt is background; elsewhere an image never labelled is no
   * ground truth at all */
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);

      if (item->has_label || ((yolo || (flags & BM_EVAL_GT_WITH_UNLABELLED)) && item->image_path != NULL))
        g_ptr_array_add (items, (gpointer) item);
      else
        n_unlabelled++;
    }
  if (n_unlabelled > 0)
    g_ptr_array_add (self->notes,
                     bm_problem_new_printf (path, 0,
                                            g_dngettext (GETTEXT_PACKAGE,
                                                         "%u image has no label file: it is not part of the ground truth",
                                                         "%u images have no label file: they are not part of the ground truth",
                                                         n_unlabelled), n_unlabelled));
  if (items->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no label files found"), path);
      return NULL;
    }

  job = (LoadJob) { dataset, items, g_new0 (BmAnnotation *, items->len), g_new0 (DotaFile *, items->len),
                    g_new0 (GError *, items->len) };
  bm_parallel_for (items->len, 0, load_item, &job);
  for (guint i = 0; i < items->len; i++)
    {
      const BmDatasetItem *item = items->pdata[i];

      if (job.dota[i] != NULL)
        {
          add_dota_file (self, item, job.dota[i], &next_id);
          dota_file_free (job.dota[i]);
        }
      else if (job.errors[i] != NULL)
        {
          g_ptr_array_add (self->problems, bm_problem_new (item->label_path, 0, job.errors[i]->message));
          g_error_free (job.errors[i]);
        }
      else
        add_annotation (self, item, job.annotations[i], &next_id);
      g_clear_object (&job.annotations[i]);
    }
  g_free (job.annotations);
  g_free (job.dota);
  g_free (job.errors);
  return g_steal_pointer (&self);
}

BmEvalGt *
bm_eval_gt_load (const char *path, GError **error)
{
  return bm_eval_gt_load_full (path, BM_EVAL_GT_DEFAULT, error);
}

BmEvalGt *
bm_eval_gt_load_full (const char *path, BmEvalGtFlags flags, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file or folder"), path);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR)
      && (g_str_has_suffix (path, ".json") || g_str_has_suffix (path, ".JSON")))
    return load_coco (path, error);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: the ground truth is a dataset folder or a COCO instances .json"), path);
      return NULL;
    }
  return load_dataset (path, flags, error);
}

const char *
bm_eval_gt_get_path (BmEvalGt *self)
{
  return self->path;
}

gboolean
bm_eval_gt_is_coco (BmEvalGt *self)
{
  return self->is_coco;
}

const char *
bm_eval_gt_get_format (BmEvalGt *self)
{
  return self->format;
}

const BmEvalGtImage *
bm_eval_gt_get_images (BmEvalGt *self, guint *n_images)
{
  *n_images = self->images->len;
  return (const BmEvalGtImage *) self->images->data;
}

const BmEvalGtObject *
bm_eval_gt_get_objects (BmEvalGt *self, guint *n_objects)
{
  *n_objects = self->objects->len;
  return (const BmEvalGtObject *) self->objects->data;
}

int
bm_eval_gt_find_image (BmEvalGt *self, const char *id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->image_index, id)) - 1;
}

int
bm_eval_gt_find_coco_image (BmEvalGt *self, gint64 coco_id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->coco_index, &coco_id)) - 1;
}

guint
bm_eval_gt_get_n_classes (BmEvalGt *self)
{
  return self->classes->len;
}

const char *
bm_eval_gt_get_class (BmEvalGt *self, guint index)
{
  g_return_val_if_fail (index < self->classes->len, NULL);
  return self->classes->pdata[index];
}

gint64
bm_eval_gt_get_category_id (BmEvalGt *self, guint index)
{
  g_return_val_if_fail (index < self->classes->len, 0);
  return g_array_index (self->category_ids, gint64, index);
}

int
bm_eval_gt_find_class (BmEvalGt *self, const char *name)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->class_index, name)) - 1;
}

int
bm_eval_gt_find_category (BmEvalGt *self, gint64 id)
{
  for (guint i = 0; i < self->category_ids->len; i++)
    if (g_array_index (self->category_ids, gint64, i) == id)
      return (int) i;
  return -1;
}

const char *
bm_eval_gt_get_class_file (BmEvalGt *self)
{
  return self->class_file;
}

GPtrArray *
bm_eval_gt_get_problems (BmEvalGt *self)
{
  return self->problems;
}

GPtrArray *
bm_eval_gt_get_notes (BmEvalGt *self)
{
  return self->notes;
}

const char *
bm_eval_gt_get_fractional_voc_file (BmEvalGt *self)
{
  return self->fractional_voc_file;
}
