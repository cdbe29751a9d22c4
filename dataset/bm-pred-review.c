/* bm-pred-review.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "bm-eval-private.h"
#include "bm-pred-review.h"

struct _BmPredReview
{
  GObject parent_instance;

  char *predictions_path;
  BmEvalGt *gt;
  BmPredSet *preds;
  BmEvalMetric metric;
  BmEvalResult *result;
  BmEvalResult *coco;
  GPtrArray *problems;
  GHashTable *by_path;            /* image path → image index + 1 */
  GArray *image_preds;            /* BmReviewPred, grouped by image */
  guint *first;                   /* image i: image_preds[first[i] … first[i + 1]) */
  guint n_images;
  BmEvalConflictOptions options;
  BmEvalConflicts *conflicts;
  GHashTable *resolved;           /* pred index + 1 */
};

G_DEFINE_FINAL_TYPE (BmPredReview, bm_pred_review, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
bm_pred_review_finalize (GObject *object)
{
  BmPredReview *self = BM_PRED_REVIEW (object);

  g_free (self->predictions_path);
  g_clear_pointer (&self->gt, bm_eval_gt_unref);
  g_clear_pointer (&self->preds, bm_pred_set_unref);
  g_clear_pointer (&self->result, bm_eval_result_free);
  g_clear_pointer (&self->coco, bm_eval_result_free);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->by_path, g_hash_table_unref);
  g_clear_pointer (&self->image_preds, g_array_unref);
  g_free (self->first);
  g_clear_pointer (&self->conflicts, bm_eval_conflicts_free);
  g_clear_pointer (&self->resolved, g_hash_table_unref);
  G_OBJECT_CLASS (bm_pred_review_parent_class)->finalize (object);
}

static void
bm_pred_review_class_init (BmPredReviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bm_pred_review_finalize;

  /* the conflicts changed: new thresholds, or a prediction resolved */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_pred_review_init (BmPredReview *self)
{
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  self->by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->image_preds = g_array_new (FALSE, FALSE, sizeof (BmReviewPred));
  self->resolved = g_hash_table_new (NULL, NULL);
  bm_eval_conflict_options_init (&self->options);
}

/* The predictions of each image in pixels, grouped by image, highest score first. */
static void
index_predictions (BmPredReview *self)
{
  g_autoptr(BmEvalResult) sink = NULL;
  g_autoptr(BmEvalInput) input = NULL;
  g_autofree guint *count = NULL;
  g_autofree guint *fill = NULL;
  BmEvalOptions options;
  guint n_preds;
  const BmPred *preds = bm_pred_set_get_preds (self->preds, &n_preds);

  bm_eval_options_init (&options, BM_EVAL_VOC);
  sink = bm_eval_result_new (&options);
  input = bm_eval_bind (self->gt, self->preds, &options, TRUE, sink, NULL);
  self->first = g_new0 (guint, self->n_images + 1);
  if (input == NULL)
    return;
  count = g_new0 (guint, self->n_images + 1);
  fill = g_new0 (guint, self->n_images + 1);
  for (guint i = 0; i < input->n_dets; i++)
    if (input->dets[i].image < self->n_images)
      count[input->dets[i].image]++;
  for (guint i = 0; i < self->n_images; i++)
    self->first[i + 1] = self->first[i] + count[i];
  g_array_set_size (self->image_preds, self->first[self->n_images]);
  for (guint i = 0; i < input->n_dets; i++)
    {
      const BmEvalDet *det = &input->dets[i];
      BmReviewPred *out;

      if (det->image >= self->n_images)
        continue;
      out = &g_array_index (self->image_preds, BmReviewPred, self->first[det->image] + fill[det->image]++);
      out->pred = det->pred;
      out->klass = g_intern_string (input->names->pdata[det->klass]);
      out->score = det->score;
      out->is_quad = preds[det->pred].geometry == BM_PRED_QUAD || preds[det->pred].geometry == BM_PRED_YOLO_QUAD;
      memcpy (out->quad, det->quad, sizeof out->quad);
      out->conflict = -1;
      out->object = -1;
    }
  /* highest score first in each image */
  for (guint i = 0; i < self->n_images; i++)
    for (guint a = self->first[i] + 1; a < self->first[i + 1]; a++)
      for (guint b = a; b > self->first[i]
           && g_array_index (self->image_preds, BmReviewPred, b).score > g_array_index (self->image_preds, BmReviewPred, b - 1).score; b--)
        {
          BmReviewPred t = g_array_index (self->image_preds, BmReviewPred, b);

          g_array_index (self->image_preds, BmReviewPred, b) = g_array_index (self->image_preds, BmReviewPred, b - 1);
          g_array_index (self->image_preds, BmReviewPred, b - 1) = t;
        }
}

/* Each prediction's conflict at the current thresholds. */
static void
apply_conflicts (BmPredReview *self, BmEvalConflicts *conflicts)
{
  g_clear_pointer (&self->conflicts, bm_eval_conflicts_free);
  self->conflicts = conflicts;
  for (guint image = 0; image < self->n_images; image++)
    {
      guint n;
      const BmConflict *list = bm_eval_conflicts_for_image (conflicts, image, &n);
      guint first = self->first[image];

      for (guint p = first; p < self->first[image + 1]; p++)
        {
          BmReviewPred *pred = &g_array_index (self->image_preds, BmReviewPred, p);

          pred->conflict = -1;
          pred->object = -1;
          for (guint c = 0; c < n; c++)
            if (list[c].pred == (int) pred->pred)
              {
                pred->conflict = list[c].kind;
                pred->object = list[c].object >= 0 ? list[c].object - (int) bm_eval_gt_get_images (self->gt, &(guint) { 0 })[image].first : -1;
                pred->iou = list[c].iou;
              }
        }
    }
}

static BmEvalResult *
evaluate (BmPredReview *self, BmEvalMetric metric)
{
  BmEvalOptions options;
  g_autoptr(GError) error = NULL;

  bm_eval_options_init (&options, metric);
  return bm_eval_run (self->gt, self->preds, &options, &error);
}

BmPredReview *
bm_pred_review_load (const char *dataset_root, const char *predictions, BmPredFormat format,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr(BmPredReview) self = g_object_new (BM_TYPE_PRED_REVIEW, NULL);
  const BmEvalGtImage *images;

  self->predictions_path = g_strdup (predictions);
  self->gt = bm_eval_gt_load_full (dataset_root, BM_EVAL_GT_WITH_UNLABELLED, error);
  if (self->gt == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self->preds = bm_pred_set_read (predictions, format, error);
  if (self->preds == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  images = bm_eval_gt_get_images (self->gt, &self->n_images);
  for (guint i = 0; i < self->n_images; i++)
    if (images[i].image_path != NULL)
      g_hash_table_insert (self->by_path, g_canonicalize_filename (images[i].image_path, NULL), GUINT_TO_POINTER (i + 1));
  index_predictions (self);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  apply_conflicts (self, bm_eval_conflicts_find (self->gt, self->preds, &self->options));
  self->metric = g_strcmp0 (bm_eval_gt_get_format (self->gt), "dota") == 0 ? BM_EVAL_DOTA_TASK1 : BM_EVAL_VOC07;
  self->result = evaluate (self, self->metric);
  self->coco = evaluate (self, BM_EVAL_COCO);
  if (self->result != NULL)
    for (guint i = 0; i < self->result->problems->len; i++)
      g_ptr_array_add (self->problems, bm_problem_copy (self->result->problems->pdata[i]));
  return g_steal_pointer (&self);
}

typedef struct
{
  char *root;
  char *predictions;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->root);
  g_free (data->predictions);
  g_free (data);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  BmPredReview *review = bm_pred_review_load (data->root, data->predictions, BM_PRED_FORMAT_AUTO, cancellable, &error);

  if (review == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, review, g_object_unref);
}

void
bm_pred_review_load_async (const char *dataset_root, const char *predictions, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->root = g_strdup (dataset_root);
  data->predictions = g_strdup (predictions);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_source_tag (task, bm_pred_review_load_async);
  g_task_run_in_thread (task, load_thread);
}

BmPredReview *
bm_pred_review_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
bm_pred_review_get_predictions_path (BmPredReview *self)
{
  return self->predictions_path;
}

BmPredSet *
bm_pred_review_get_preds (BmPredReview *self)
{
  return self->preds;
}

BmEvalGt *
bm_pred_review_get_gt (BmPredReview *self)
{
  return self->gt;
}

GPtrArray *
bm_pred_review_get_problems (BmPredReview *self)
{
  return self->problems;
}

BmEvalMetric
bm_pred_review_get_metric (BmPredReview *self)
{
  return self->metric;
}

double
bm_pred_review_get_map (BmPredReview *self)
{
  return self->result != NULL ? self->result->map : NAN;
}

double
bm_pred_review_get_coco_ap (BmPredReview *self)
{
  return self->coco != NULL ? self->coco->stats[0] : NAN;
}

BmEvalResult *
bm_pred_review_get_result (BmPredReview *self)
{
  return self->result;
}

int
bm_pred_review_find_image (BmPredReview *self, const char *image_path)
{
  g_autofree char *canonical = NULL;

  if (image_path == NULL)
    return -1;
  canonical = g_canonicalize_filename (image_path, NULL);
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_path, canonical)) - 1;
}

guint
bm_pred_review_get_n_images (BmPredReview *self)
{
  return self->n_images;
}

const char *
bm_pred_review_get_image_path (BmPredReview *self, guint image)
{
  guint n;

  g_return_val_if_fail (image < self->n_images, NULL);
  return bm_eval_gt_get_images (self->gt, &n)[image].image_path;
}

const BmReviewPred *
bm_pred_review_get_image_preds (BmPredReview *self, guint image, guint *n)
{
  if (image >= self->n_images)
    {
      *n = 0;
      return NULL;
    }
  *n = self->first[image + 1] - self->first[image];
  return &g_array_index (self->image_preds, BmReviewPred, self->first[image]);
}

GArray *
bm_pred_review_dup_conflicts (BmPredReview *self, guint image)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BmConflict));
  guint n;
  const BmConflict *list = bm_eval_conflicts_for_image (self->conflicts, image, &n);

  for (guint i = 0; i < n; i++)
    if (list[i].pred < 0 || !bm_pred_review_is_resolved (self, (guint) list[i].pred))
      g_array_append_val (out, list[i]);
  return out;
}

guint
bm_pred_review_count (BmPredReview *self, guint image, BmConflictKind kind)
{
  guint n, count = 0;
  const BmConflict *list = bm_eval_conflicts_for_image (self->conflicts, image, &n);

  for (guint i = 0; i < n; i++)
    {
      if (list[i].pred >= 0 && bm_pred_review_is_resolved (self, (guint) list[i].pred))
        continue;
      if (kind == BM_CONFLICT_N_KINDS ? list[i].kind != BM_CONFLICT_UNMATCHED_LABEL : list[i].kind == kind)
        count++;
    }
  return count;
}

guint
bm_pred_review_count_all (BmPredReview *self, BmConflictKind kind)
{
  guint count = 0;

  for (guint i = 0; i < self->n_images; i++)
    count += bm_pred_review_count (self, i, kind);
  return count;
}

static gboolean
has_open_conflict (BmPredReview *self, guint image)
{
  guint n;
  const BmConflict *list = bm_eval_conflicts_for_image (self->conflicts, image, &n);

  for (guint i = 0; i < n; i++)
    if (list[i].pred < 0 || !bm_pred_review_is_resolved (self, (guint) list[i].pred))
      return TRUE;
  return FALSE;
}

int
bm_pred_review_next_image (BmPredReview *self, int image, int direction)
{
  gint64 n = self->n_images;

  for (gint64 step = 1; step <= n; step++)
    {
      gint64 candidate = image < 0 ? (direction > 0 ? step - 1 : n - step)
                                   : (((gint64) image + direction * step) % n + n) % n;

      if (has_open_conflict (self, (guint) candidate))
        return (int) candidate;
    }
  return -1;
}

const BmEvalConflictOptions *
bm_pred_review_get_options (BmPredReview *self)
{
  return &self->options;
}

void
bm_pred_review_set_options (BmPredReview *self, const BmEvalConflictOptions *options)
{
  self->options = *options;
  apply_conflicts (self, bm_eval_conflicts_find (self->gt, self->preds, options));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
options_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  BmPredReview *self = source;

  g_task_return_pointer (task, bm_eval_conflicts_find (self->gt, self->preds, task_data),
                         (GDestroyNotify) bm_eval_conflicts_free);
}

void
bm_pred_review_set_options_async (BmPredReview *self, const BmEvalConflictOptions *options,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_memdup2 (options, sizeof *options), g_free);
  g_task_run_in_thread (task, options_thread);
}

gboolean
bm_pred_review_set_options_finish (BmPredReview *self, GAsyncResult *result, GError **error)
{
  BmEvalConflicts *conflicts = g_task_propagate_pointer (G_TASK (result), error);

  if (conflicts == NULL)
    return FALSE;
  self->options = *(const BmEvalConflictOptions *) g_task_get_task_data (G_TASK (result));
  apply_conflicts (self, conflicts);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

BmObject *
bm_pred_review_make_object (BmPredReview *self, guint pred)
{
  for (guint i = 0; i < self->image_preds->len; i++)
    {
      const BmReviewPred *p = &g_array_index (self->image_preds, BmReviewPred, i);
      BmShape shape;

      if (p->pred != pred)
        continue;
      if (p->is_quad)
        bm_shape_init_quad (&shape, p->quad);
      else
        bm_shape_init_box (&shape, p->quad[0], p->quad[1], p->quad[4], p->quad[5]);
      return bm_object_new (p->klass, &shape);
    }
  return NULL;
}

void
bm_pred_review_resolve (BmPredReview *self, guint pred)
{
  g_hash_table_add (self->resolved, GUINT_TO_POINTER (pred + 1));
  for (guint i = 0; i < self->image_preds->len; i++)
    if (g_array_index (self->image_preds, BmReviewPred, i).pred == pred)
      g_array_index (self->image_preds, BmReviewPred, i).resolved = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
bm_pred_review_is_resolved (BmPredReview *self, guint pred)
{
  return g_hash_table_contains (self->resolved, GUINT_TO_POINTER (pred + 1));
}
