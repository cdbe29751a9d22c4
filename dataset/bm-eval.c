/* bm-eval.c: tying predictions to the ground truth (images, classes, pixel coordinates), then
 * running the metric's evaluator.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "formats/bm-class-list.h"
#include "formats/bm-text-util.h"
#include "bm-eval-alloc.h"
#include "bm-eval-numpy.h"
#include "bm-eval-private.h"

static const char *const metric_names[] = { "voc07", "voc", "dota-task1", "dota-task2", "coco" };

const char *
bm_eval_metric_to_string (BmEvalMetric metric)
{
  g_return_val_if_fail ((guint) metric < G_N_ELEMENTS (metric_names), "voc");
  return metric_names[metric];
}

gboolean
bm_eval_metric_from_string (const char *name, BmEvalMetric *metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (metric_names); i++)
    if (g_ascii_strcasecmp (name, metric_names[i]) == 0)
      {
        *metric = (BmEvalMetric) i;
        return TRUE;
      }
  return FALSE;
}

void
bm_eval_options_init (BmEvalOptions *options, BmEvalMetric metric)
{
  memset (options, 0, sizeof *options);
  options->metric = metric;
  options->iou = 0.5;
}

BmEvalClass *
bm_eval_class_new (const char *name, gint64 category_id)
{
  BmEvalClass *klass = g_new0 (BmEvalClass, 1);

  klass->name = g_strdup (name);
  klass->category_id = category_id;
  klass->ap = klass->ap50 = klass->ap75 = klass->ar100 = NAN;
  klass->decisions = g_array_new (FALSE, FALSE, sizeof (BmEvalDecision));
  klass->recall = g_array_new (FALSE, FALSE, sizeof (double));
  klass->precision = g_array_new (FALSE, FALSE, sizeof (double));
  return klass;
}

void
bm_eval_class_free (BmEvalClass *klass)
{
  if (klass == NULL)
    return;
  g_free (klass->name);
  g_array_unref (klass->decisions);
  g_array_unref (klass->recall);
  g_array_unref (klass->precision);
  g_free (klass);
}

void
bm_eval_result_free (BmEvalResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->classes);
  g_clear_pointer (&result->coco_matches, g_array_unref);
  g_ptr_array_unref (result->problems);
  g_ptr_array_unref (result->notes);
  g_hash_table_unref (result->unevaluated);
  g_free (result);
}

BmEvalResult *
bm_eval_result_new (const BmEvalOptions *options)
{
  BmEvalResult *result = g_new0 (BmEvalResult, 1);

  result->metric = options->metric;
  result->all_points = options->all_points || options->metric == BM_EVAL_VOC;
  result->iou = options->iou;
  result->map = NAN;
  result->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_eval_class_free);
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  result->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  result->unevaluated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 12; i++)
    result->stats[i] = NAN;
  return result;
}

void
bm_eval_input_free (BmEvalInput *input)
{
  if (input == NULL)
    return;
  if (input->class_dets != NULL)
    for (guint k = 0; k < input->names->len; k++)
      g_array_unref (input->class_dets[k]);
  g_free (input->class_dets);
  g_clear_pointer (&input->set, g_array_unref);
  g_free (input->in_set);
  g_free (input->coco_ids);
  g_clear_pointer (&input->names, g_ptr_array_unref);
  g_clear_pointer (&input->category_ids, g_array_unref);
  g_free (input->class_of_gt);
  bm_eval_free_large (input->dets);
  g_free (input);
}

static void G_GNUC_PRINTF (4, 5)
add_problem (GPtrArray *to, const char *file, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (to, bm_problem_new (file, (int) line, message));
}

static void
copy_problems (GPtrArray *to, GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, bm_problem_copy (from->pdata[i]));
}

/* ---- the image set ---- */

typedef struct
{
  BmEvalInput *input;
  BmEvalResult *result;
  BmEvalGt *gt;
  BmPredSet *preds;
  const BmEvalOptions *options;
  GHashTable *extra;     /* image-set id without ground truth → image index */
  GPtrArray *extra_ids;  /* char * */
  gboolean all_classes;  /* every class of the ground truth and of the predictions */
} Binder;

static gboolean
read_imageset (Binder *b, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  char *line, *end;
  guint number = 0;

  if (!bm_file_read_all (b->options->imageset_file, &data, &length, error))
    return FALSE;
  end = data + length;
  for (line = data; line < end;)
    {
      char *newline = memchr (line, '\n', (gsize) (end - line));
      char *line_end = newline != NULL ? newline : end;
      g_autofree char *id = g_strstrip (g_strndup (line, (gsize) (line_end - line)));
      int image;

      number++;
      line = line_end + 1;
      if (id[0] == '\0')
        continue;
      image = bm_eval_gt_find_image (b->gt, id);
      if (image < 0)
        {
          gpointer found = g_hash_table_lookup (b->extra, id);

          if (found == NULL)
            {
              add_problem (b->result->problems, b->options->imageset_file, number,
                           _("image “%s” has no ground truth (no label file): evaluated as an image without objects (voc_eval would stop: no annotation file)"),
                           id);
              g_ptr_array_add (b->extra_ids, g_strdup (id));
              found = GUINT_TO_POINTER (b->input->n_gt_images + b->extra_ids->len);
              g_hash_table_insert (b->extra, b->extra_ids->pdata[b->extra_ids->len - 1], found);
            }
          image = (int) GPOINTER_TO_UINT (found) - 1;
        }
      else if (b->input->in_set[image])
        add_problem (b->result->notes, b->options->imageset_file, number,
                     _("image “%s” is listed twice: its objects count twice in npos, as voc_eval counts them"), id);
      if (image < (int) b->input->n_gt_images && !b->input->in_set[image])
        {
          b->input->in_set[image] = TRUE;
          if (!bm_eval_gt_is_coco (b->gt))
            b->input->coco_ids[image] = b->input->set->len + 1;
        }
      g_array_append_val (b->input->set, image);
    }
  b->input->n_extra_images = b->extra_ids->len;
  if (b->input->set->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: no image ids in the image set"),
                   b->options->imageset_file);
      return FALSE;
    }
  return TRUE;
}

/* ---- the classes ---- */

static void
add_evaluated (BmEvalInput *input, const char *name, gint64 category_id)
{
  g_ptr_array_add (input->names, g_strdup (name));
  g_array_append_val (input->category_ids, category_id);
}

/* COCO takes its categories in id order (np.unique of catIds). */
static void
sort_by_category (BmEvalInput *input)
{
  guint n = input->names->len;

  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && g_array_index (input->category_ids, gint64, j) < g_array_index (input->category_ids, gint64, j - 1); j--)
      {
        gint64 id = g_array_index (input->category_ids, gint64, j);
        gpointer name = input->names->pdata[j];

        g_array_index (input->category_ids, gint64, j) = g_array_index (input->category_ids, gint64, j - 1);
        g_array_index (input->category_ids, gint64, j - 1) = id;
        input->names->pdata[j] = input->names->pdata[j - 1];
        input->names->pdata[j - 1] = name;
      }
}

static gboolean
choose_classes (Binder *b, GError **error)
{
  BmEvalInput *input = b->input;
  guint n_gt_classes = bm_eval_gt_get_n_classes (b->gt);
  gboolean coco = b->options->metric == BM_EVAL_COCO;

  if (b->options->classes_file != NULL || b->options->class_names != NULL)
    {
      g_autoptr(BmClassList) list = NULL;
      const char *where = b->options->classes_file != NULL ? b->options->classes_file : bm_eval_gt_get_path (b->gt);

      if (b->options->classes_file != NULL)
        list = bm_class_list_load (b->options->classes_file, error);
      else
        {
          list = bm_class_list_new ();
          for (guint i = 0; b->options->class_names[i] != NULL; i++)
            bm_class_list_add (list, b->options->class_names[i]);
        }
      if (list == NULL)
        return FALSE;
      for (guint i = 0; i < bm_class_list_get_n (list); i++)
        {
          const char *name = bm_class_list_get_name (list, i);
          int gt_class = bm_eval_gt_find_class (b->gt, name);
          guint line = b->options->classes_file != NULL ? i + 1 : 0;

          if (coco && gt_class < 0)
            {
              add_problem (b->result->problems, where, line,
                           _("class “%s” is no category of the ground truth; left out"), name);
              continue;
            }
          if (gt_class < 0)
            add_problem (b->result->notes, where, line,
                         _("class “%s” has no ground truth: npos is 0 and its AP NaN, as voc_eval computes it"), name);
          add_evaluated (input, name, gt_class >= 0 ? bm_eval_gt_get_category_id (b->gt, (guint) gt_class) : i + 1);
        }
    }
  else if (coco || b->all_classes)
    for (guint c = 0; c < n_gt_classes; c++)
      add_evaluated (input, bm_eval_gt_get_class (b->gt, c), bm_eval_gt_get_category_id (b->gt, c));
  else
    {
      /* every class with an object that counts; one whose objects are all difficult would
       * give the reference's nan */
      guint n_objects;
      const BmEvalGtObject *objects = bm_eval_gt_get_objects (b->gt, &n_objects);
      g_autofree guint *counted = g_new0 (guint, MAX (n_gt_classes, 1));
      g_autofree guint *difficult = g_new0 (guint, MAX (n_gt_classes, 1));

      for (guint i = 0; i < input->n_gt_images; i++)
        if (input->in_set[i])
          for (guint k = 0; k < input->images[i].n_objects; k++)
            {
              const BmEvalGtObject *object = &objects[input->images[i].first + k];

              if (object->difficult == 0)
                counted[object->klass]++;
              else
                difficult[object->klass]++;
            }
      for (guint c = 0; c < n_gt_classes; c++)
        if (counted[c] > 0)
          add_evaluated (input, bm_eval_gt_get_class (b->gt, c), bm_eval_gt_get_category_id (b->gt, c));
        else if (difficult[c] > 0)
          add_problem (b->result->notes, bm_eval_gt_get_path (b->gt), 0,
                       _("class “%s” has only difficult objects: left out (npos would be 0 and its AP NaN); name it in --classes to evaluate it anyway"),
                       bm_eval_gt_get_class (b->gt, c));
    }
  if (coco)
    sort_by_category (input);
  if (input->names->len == 0 && !b->all_classes)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("no class to evaluate: the ground truth has no objects"));
      return FALSE;
    }

  input->class_of_gt = g_new (int, MAX (n_gt_classes, 1));
  for (guint c = 0; c < n_gt_classes; c++)
    {
      input->class_of_gt[c] = -1;
      for (guint k = 0; k < input->names->len; k++)
        if (strcmp (input->names->pdata[k], bm_eval_gt_get_class (b->gt, c)) == 0)
          {
            input->class_of_gt[c] = (int) k;
            break;
          }
    }
  input->class_dets = g_new (GArray *, MAX (input->names->len, 1));
  for (guint k = 0; k < input->names->len; k++)
    input->class_dets[k] = g_array_new (FALSE, FALSE, sizeof (guint));
  return TRUE;
}

/* spaces, hyphens and underscores alike, case ignored */
static char *
loose_name (const char *name)
{
  char *folded = g_utf8_casefold (name, -1);

  for (char *p = folded; *p != '\0'; p++)
    if (*p == ' ' || *p == '_')
      *p = '-';
  return folded;
}

static int
find_evaluated (BmEvalInput *input, const char *name, gboolean *loose)
{
  g_autofree char *wanted = NULL;
  int found = -1;

  *loose = FALSE;
  for (guint k = 0; k < input->names->len; k++)
    if (strcmp (input->names->pdata[k], name) == 0)
      return (int) k;
  wanted = loose_name (name);
  for (guint k = 0; k < input->names->len; k++)
    {
      g_autofree char *candidate = loose_name (input->names->pdata[k]);

      if (strcmp (candidate, wanted) == 0)
        {
          if (found >= 0)
            return -1;
          found = (int) k;
        }
    }
  *loose = found >= 0;
  return found;
}

/* Each class key of the predictions → the evaluated class, or -1; names for messages. */
static gboolean
map_classes (Binder *b, int *klass, char **names, GError **error)
{
  BmPredSet *preds = b->preds;
  guint n = bm_pred_set_get_n_classes (preds);
  gboolean numbers = bm_pred_set_get_format (preds) == BM_PRED_FORMAT_YOLO;
  g_autoptr(BmClassList) yolo_names = NULL;

  if (numbers)
    {
      if (bm_pred_set_get_yolo_names (preds) != NULL)
        yolo_names = bm_class_list_ref (bm_pred_set_get_yolo_names (preds));
      else if (bm_eval_gt_get_class_file (b->gt) != NULL)
        yolo_names = bm_class_list_load (bm_eval_gt_get_class_file (b->gt), NULL);
      if (yolo_names == NULL && n > 0)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                       _("%s: YOLO predictions give class numbers, and no names were found: put the data.yaml (or classes.txt) of the model beside them"),
                       bm_pred_set_get_path (preds));
          return FALSE;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      const char *key = bm_pred_set_get_class (preds, i);
      const char *name = key;
      guint64 number;
      gboolean loose;

      if (numbers)
        {
          name = NULL;
          if (bm_number_parse_uint (key, G_MAXUINT32, &number) && number < bm_class_list_get_n (yolo_names))
            name = bm_class_list_get_name (yolo_names, (guint) number);
          if (name == NULL)
            {
              names[i] = g_strdup_printf (_("class %s"), key);
              klass[i] = -1;
              continue;
            }
        }
      else if (bm_pred_set_has_coco_ids (preds) && bm_number_parse_uint (key, G_MAXINT64, &number))
        {
          int category = bm_eval_gt_is_coco (b->gt) ? bm_eval_gt_find_category (b->gt, (gint64) number) : -1;

          if (category < 0)
            {
              names[i] = g_strdup_printf (_("category_id %s"), key);
              klass[i] = -1;
              continue;
            }
          name = bm_eval_gt_get_class (b->gt, (guint) category);
        }
      names[i] = g_strdup (name);
      klass[i] = find_evaluated (b->input, name, &loose);
      if (klass[i] < 0 && b->all_classes)
        {
          add_evaluated (b->input, name, b->input->names->len + 1);
          b->input->class_dets = g_renew (GArray *, b->input->class_dets, b->input->names->len);
          b->input->class_dets[b->input->names->len - 1] = g_array_new (FALSE, FALSE, sizeof (guint));
          klass[i] = (int) b->input->names->len - 1;
          loose = FALSE;
        }
      if (loose)
        add_problem (b->result->notes, bm_pred_set_get_path (preds), 0,
                     _("predicted class “%s” taken as “%s” (spaces, hyphens and underscores alike)"),
                     name, (char *) b->input->names->pdata[klass[i]]);
    }
  return TRUE;
}

/* ---- the detections ---- */

/* The ground-truth image (or image-set id) of image key @key; -1 when none. */
static int
map_image (Binder *b, const char *key, gboolean coco_ids, gboolean *by_stem)
{
  guint64 number;
  int image = -1;
  gpointer extra;

  *by_stem = FALSE;
  if (coco_ids && bm_number_parse_uint (key, G_MAXINT64, &number) && bm_eval_gt_is_coco (b->gt))
    return bm_eval_gt_find_coco_image (b->gt, (gint64) number);
  image = bm_eval_gt_find_image (b->gt, key);
  if (image >= 0)
    return image;
  if ((extra = g_hash_table_lookup (b->extra, key)) != NULL)
    return (int) GPOINTER_TO_UINT (extra) - 1;
  /* some tools write file names: a.jpg for a */
  {
    g_autofree char *stem = bm_path_get_stem (key);

    if (strcmp (stem, key) != 0 && (image = bm_eval_gt_find_image (b->gt, stem)) >= 0)
      *by_stem = TRUE;
  }
  return image;
}

static void
corners_of_box (const double *box, double *quad)
{
  double q[8] = { box[0], box[1], box[2], box[1], box[2], box[3], box[0], box[3] };

  memcpy (quad, q, sizeof q);
}

static void
box_of_quad (const double *q, double *box)
{
  box[0] = MIN (MIN (q[0], q[2]), MIN (q[4], q[6]));
  box[1] = MIN (MIN (q[1], q[3]), MIN (q[5], q[7]));
  box[2] = MAX (MAX (q[0], q[2]), MAX (q[4], q[6]));
  box[3] = MAX (MAX (q[1], q[3]), MAX (q[5], q[7]));
}

/* Fills @det's forms from @pred; FALSE when a YOLO row's image size is not known. */
static gboolean
place (const BmPred *pred, int width, int height, BmEvalDet *det)
{
  const double *v = pred->xy;

  switch (pred->geometry)
    {
    case BM_PRED_XYXY:
      memcpy (det->box, v, 4 * sizeof (double));
      break;
    case BM_PRED_XYWH:
      memcpy (det->coco, v, 4 * sizeof (double));
      det->box[0] = v[0];
      det->box[1] = v[1];
      det->box[2] = v[0] + v[2];
      det->box[3] = v[1] + v[3];
      corners_of_box (det->box, det->quad);
      return TRUE;
    case BM_PRED_QUAD:
      memcpy (det->quad, v, 8 * sizeof (double));
      box_of_quad (det->quad, det->box);
      break;
    case BM_PRED_YOLO_BOX:
      if (width <= 0 || height <= 0)
        return FALSE;
      /* Ultralytics' xywhn2xyxy */
      det->box[0] = width * (v[0] - v[2] / 2);
      det->box[1] = height * (v[1] - v[3] / 2);
      det->box[2] = width * (v[0] + v[2] / 2);
      det->box[3] = height * (v[1] + v[3] / 2);
      break;
    case BM_PRED_YOLO_QUAD:
    default:
      if (width <= 0 || height <= 0)
        return FALSE;
      for (int i = 0; i < 4; i++)
        {
          det->quad[2 * i] = v[2 * i] * width;
          det->quad[2 * i + 1] = v[2 * i + 1] * height;
        }
      box_of_quad (det->quad, det->box);
      break;
    }
  if (pred->geometry != BM_PRED_QUAD && pred->geometry != BM_PRED_YOLO_QUAD)
    corners_of_box (det->box, det->quad);
  det->coco[0] = det->box[0];
  det->coco[1] = det->box[1];
  det->coco[2] = det->box[2] - det->box[0];
  det->coco[3] = det->box[3] - det->box[1];
  return TRUE;
}

static const char *
reference_of (BmEvalMetric metric)
{
  switch (metric)
    {
    case BM_EVAL_VOC07:
    case BM_EVAL_VOC:
      return "py-faster-rcnn’s voc_eval";
    case BM_EVAL_COCO:
      return "pycocotools";
    case BM_EVAL_DOTA_TASK1:
    case BM_EVAL_DOTA_TASK2:
    default:
      return "DOTA_devkit";
    }
}

static gboolean
bind_detections (Binder *b, GError **error)
{
  BmEvalInput *input = b->input;
  BmPredSet *preds = b->preds;
  BmEvalMetric metric = b->options->metric;
  guint n_preds, n_classes = bm_pred_set_get_n_classes (preds), n_image_keys = bm_pred_set_get_n_images (preds);
  const BmPred *all = bm_pred_set_get_preds (preds, &n_preds);
  g_autofree int *klass = g_new (int, MAX (n_classes, 1));
  g_auto(GStrv) names = g_new0 (char *, n_classes + 1);
  g_autofree int *image_of = g_new (int, MAX (n_image_keys, 1));
  g_autofree guint8 *image_by_stem = g_new0 (guint8, MAX (n_image_keys, 1));
  /* said once per image: a YOLO file of 500 rows is one problem, not 500 */
  g_autofree guint8 *size_unknown = g_new0 (guint8, MAX (n_image_keys, 1));
  gboolean coco_ids = bm_pred_set_has_coco_ids (preds);
  gboolean coco_results = bm_pred_set_get_format (preds) == BM_PRED_FORMAT_COCO;
  gboolean noted_stem = FALSE, noted_quads = FALSE;
  guint n_outside_set = 0;

  if (coco_ids && !bm_eval_gt_is_coco (b->gt) && n_preds > 0)
    {
      guint64 number;

      if (bm_number_parse_uint (bm_pred_set_get_image (preds, all[0].image), G_MAXINT64, &number))
        {
          g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                       _("%s: COCO results name images by number: give --gt the COCO instances file those numbers come from"),
                       bm_pred_set_get_path (preds));
          return FALSE;
        }
    }
  if (!map_classes (b, klass, names, error))
    return FALSE;
  for (guint i = 0; i < n_image_keys; i++)
    {
      gboolean by_stem;

      image_of[i] = map_image (b, bm_pred_set_get_image (preds, i), coco_ids, &by_stem);
      image_by_stem[i] = by_stem;
    }

  input->dets = bm_eval_alloc_large ((gsize) MAX (n_preds, 1) * sizeof (BmEvalDet));
  for (guint i = 0; i < n_preds; i++)
    {
      const BmPred *pred = &all[i];
      const char *file = bm_pred_set_get_file (preds, pred->file);
      const char *key = bm_pred_set_get_image (preds, pred->image);
      int image = image_of[pred->image];
      BmEvalDet det = { 0 };
      int width = 0, height = 0;

      if (klass[pred->klass] < 0)
        {
          gpointer count = g_hash_table_lookup (b->result->unevaluated, names[pred->klass]);

          g_hash_table_insert (b->result->unevaluated, g_strdup (names[pred->klass]),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
          continue;
        }
      if (image < 0)
        {
          if (coco_results)
            add_problem (b->result->problems, file, pred->line,
                         _("image_id %s is no image of the ground truth; detection left out (pycocotools’ loadRes would stop: “Results do not correspond to current coco set”)"),
                         key);
          else
            add_problem (b->result->problems, file, pred->line,
                         _("image “%s” is not in the image set; detection left out (%s would stop with KeyError)"),
                         key, reference_of (metric));
          continue;
        }
      if (image < (int) input->n_gt_images && !input->in_set[image])
        {
          /* COCOeval leaves out images outside imgIds without a word; voc_eval stops */
          if (metric == BM_EVAL_COCO)
            n_outside_set++;
          else
            add_problem (b->result->problems, file, pred->line,
                         _("image “%s” is not in the image set; detection left out (%s would stop with KeyError)"),
                         key, reference_of (metric));
          continue;
        }
      if (image_by_stem[pred->image] && !noted_stem)
        {
          noted_stem = TRUE;
          add_problem (b->result->notes, file, pred->line,
                       _("“%s” read as the image “%s” (%s would stop with KeyError: its image ids have no extension)"),
                       key, input->images[image].id, reference_of (metric));
        }
      if (image < (int) input->n_gt_images)
        {
          width = input->images[image].width;
          height = input->images[image].height;
        }
      if (!place (pred, width, height, &det))
        {
          if (!size_unknown[pred->image])
            add_problem (b->result->problems, file, pred->line,
                         _("the size of image “%s” is not known (no image file beside its label), so its normalised YOLO values cannot be placed; its detections are left out"),
                         key);
          size_unknown[pred->image] = 1;
          continue;
        }
      if ((pred->geometry == BM_PRED_QUAD || pred->geometry == BM_PRED_YOLO_QUAD)
          && metric != BM_EVAL_DOTA_TASK1 && !noted_quads)
        {
          noted_quads = TRUE;
          add_problem (b->result->notes, file, pred->line,
                       _("quadrilateral detections are evaluated by their enclosing boxes (%s reads only boxes)"),
                       reference_of (metric));
        }
      det.pred = i;
      det.image = (guint) image;
      det.klass = (guint) klass[pred->klass];
      det.score = pred->score;
      det.det_id = coco_results ? (gint64) pred->index + 1 : (gint64) i + 1;
      input->dets[input->n_dets] = det;
      g_array_append_val (input->class_dets[det.klass], input->n_dets);
      input->n_dets++;
    }
  if (n_outside_set > 0)
    add_problem (b->result->notes, bm_pred_set_get_path (preds), 0,
                 g_dngettext (GETTEXT_PACKAGE, "%u detection on an image outside the image set was left out, as COCOeval does",
                              "%u detections on images outside the image set were left out, as COCOeval does", n_outside_set),
                 n_outside_set);
  return TRUE;
}

/* Notes on ground truth the reference would read otherwise. */
static void
note_ground_truth (Binder *b)
{
  BmEvalMetric metric = b->options->metric;

  if ((metric == BM_EVAL_VOC07 || metric == BM_EVAL_VOC) && bm_eval_gt_get_fractional_voc_file (b->gt) != NULL)
    add_problem (b->result->notes, bm_eval_gt_get_fractional_voc_file (b->gt), 0,
                 _("coordinates that are not whole numbers are used as they are (py-faster-rcnn’s parse_rec reads them with int() and would stop with ValueError)"));
  if (metric == BM_EVAL_DOTA_TASK2)
    for (guint i = 0; i < b->input->n_gt_images; i++)
      {
        const BmEvalGtImage *image = &b->input->images[i];

        for (guint k = 0; k < image->n_objects; k++)
          {
            const double *q = b->input->objects[image->first + k].quad;

            /* dots4ToRec8: (xmin ymin) (xmax ymin) (xmax ymax) (xmin ymax) */
            if (!(q[1] == q[3] && q[2] == q[4] && q[5] == q[7] && q[6] == q[0]))
              {
                add_problem (b->result->notes, image->label_path, 0,
                             _("an object that is not an axis-aligned box in DOTA_devkit’s dots4ToRec8 order: Task2 takes its points 1 and 3 as the box corners, as dota_evaluation_task2 does"));
                return;
              }
          }
      }
}

BmEvalInput *
bm_eval_bind (BmEvalGt *gt, BmPredSet *preds, const BmEvalOptions *options, gboolean all_classes,
              BmEvalResult *result, GError **error)
{
  g_autoptr(BmEvalInput) input = g_new0 (BmEvalInput, 1);
  g_autoptr(GHashTable) extra = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) extra_ids = g_ptr_array_new_with_free_func (g_free);
  Binder b = { input, result, gt, preds, options, extra, extra_ids, all_classes };

  input->gt = gt;
  input->images = bm_eval_gt_get_images (gt, &input->n_gt_images);
  input->objects = bm_eval_gt_get_objects (gt, &(guint) { 0 });
  input->set = g_array_new (FALSE, FALSE, sizeof (guint));
  input->in_set = g_new0 (gboolean, MAX (input->n_gt_images, 1));
  input->coco_ids = g_new (gint64, MAX (input->n_gt_images, 1));
  for (guint i = 0; i < input->n_gt_images; i++)
    input->coco_ids[i] = input->images[i].coco_id;
  input->names = g_ptr_array_new_with_free_func (g_free);
  input->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (options->imageset_file != NULL)
    {
      if (!read_imageset (&b, error))
        return NULL;
    }
  else
    for (guint i = 0; i < input->n_gt_images; i++)
      {
        input->in_set[i] = TRUE;
        g_array_append_val (input->set, i);
      }
  if (!choose_classes (&b, error) || !bind_detections (&b, error))
    return NULL;
  note_ground_truth (&b);
  return g_steal_pointer (&input);
}

typedef struct
{
  const BmEvalInput *input;
  BmEvalMetric metric;
  gboolean all_points;
  double iou;
  BmEvalClass **classes;
} ClassJob;

static void
evaluate_class (guint k, gpointer user_data)
{
  ClassJob *job = user_data;
  BmEvalClass *klass = bm_eval_class_new (job->input->names->pdata[k], g_array_index (job->input->category_ids, gint64, k));

  bm_eval_voc_class (job->input, job->metric, job->all_points, job->iou, k, klass);
  job->classes[k] = klass;
}

BmEvalResult *
bm_eval_run (BmEvalGt *gt, BmPredSet *preds, const BmEvalOptions *options, GError **error)
{
  g_autoptr(BmEvalResult) result = NULL;
  g_autoptr(BmEvalInput) input = NULL;
  BmEvalMetric metric;

  g_return_val_if_fail (gt != NULL && preds != NULL && options != NULL, NULL);

  result = bm_eval_result_new (options);
  metric = options->metric == BM_EVAL_VOC07 && options->all_points ? BM_EVAL_VOC : options->metric;
  result->metric = metric;
  copy_problems (result->problems, bm_eval_gt_get_problems (gt));
  copy_problems (result->notes, bm_eval_gt_get_notes (gt));
  copy_problems (result->problems, bm_pred_set_get_problems (preds));
  copy_problems (result->notes, bm_pred_set_get_notes (preds));
  input = bm_eval_bind (gt, preds, options, FALSE, result, error);
  if (input == NULL)
    return NULL;

  if (metric == BM_EVAL_COCO)
    {
      bm_eval_coco (input, options->iou, result);
      /* categories evaluated without ground truth: COCO leaves them out, say so */
      for (guint k = 0; k < input->names->len; k++)
        {
          gboolean kept = FALSE;

          for (guint i = 0; i < result->classes->len && !kept; i++)
            kept = strcmp (((BmEvalClass *) result->classes->pdata[i])->name, input->names->pdata[k]) == 0;
          if (!kept && input->class_dets[k]->len > 0)
            g_hash_table_insert (result->unevaluated, g_strdup (input->names->pdata[k]),
                                 GUINT_TO_POINTER (input->class_dets[k]->len));
        }
      return g_steal_pointer (&result);
    }

  {
    g_autofree double *aps = g_new (double, input->names->len);
    ClassJob job = { input, metric, result->all_points, options->iou, g_new0 (BmEvalClass *, input->names->len) };
    double sum = 0;

    /* classes are independent: one per thread */
    bm_parallel_for (input->names->len, 0, evaluate_class, &job);
    for (guint k = 0; k < input->names->len; k++)
      {
        aps[k] = job.classes[k]->ap;
        /* DOTA's main(): map = map + ap, then / len */
        sum = sum + job.classes[k]->ap;
        g_ptr_array_add (result->classes, job.classes[k]);
      }
    g_free (job.classes);
    if (metric == BM_EVAL_VOC07 || metric == BM_EVAL_VOC)
      result->map = bm_np_mean (aps, input->names->len);
    else
      result->map = sum / (double) input->names->len;
  }
  return g_steal_pointer (&result);
}
