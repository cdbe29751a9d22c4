/* bm-eval-voc.c: one class evaluated as py-faster-rcnn's voc_eval and DOTA_devkit's
 * dota_evaluation_task1/2 do it, operation for operation.
 *
 * Detections are visited in np.argsort(-confidence) order. Each takes the single ground truth
 * object of its class in its image with the highest IoU (the first of equals). Above the
 * threshold (strictly) it is a TP if that object is not difficult and not taken yet, an FP
 * (duplicate) if taken, and neither if difficult; otherwise an FP. There is no fallback to the
 * second best object. IoU: VOC and Task2 on boxes with +1 widths; Task1 on quadrilaterals with
 * polyiou, for the objects whose +1 horizontal boxes overlap the detection's.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>
#include <string.h>

#include "bm-eval-numpy.h"
#include "bm-eval-polyiou.h"
#include "bm-eval-private.h"

/* np.maximum(x, 0.): NaN stays NaN. */
static double
at_least_zero (double x)
{
  return x >= 0. || isnan (x) ? x : 0.;
}

/* The IoU of boxes a (ground truth) and b (detection) with +1 widths, as voc_eval's overlaps. */
static double
iou_plus_one (const double *gt, const double *bb)
{
  double ixmin = gt[0] >= bb[0] || isnan (gt[0]) ? gt[0] : bb[0];
  double iymin = gt[1] >= bb[1] || isnan (gt[1]) ? gt[1] : bb[1];
  double ixmax = gt[2] <= bb[2] || isnan (gt[2]) ? gt[2] : bb[2];
  double iymax = gt[3] <= bb[3] || isnan (gt[3]) ? gt[3] : bb[3];
  double iw = at_least_zero (ixmax - ixmin + 1.);
  double ih = at_least_zero (iymax - iymin + 1.);
  double inters = iw * ih;
  double uni = ((bb[2] - bb[0] + 1.) * (bb[3] - bb[1] + 1.)
                + (gt[2] - gt[0] + 1.) * (gt[3] - gt[1] + 1.) - inters);

  return inters / uni;
}

/* Keeps the first maximum, and like np.max / np.argmax the first NaN over everything. */
static void
take_best (double value, int index, double *best, int *best_index, gboolean *seen_nan)
{
  if (*seen_nan)
    return;
  if (isnan (value))
    {
      *best = value;
      *best_index = index;
      *seen_nan = TRUE;
    }
  else if (*best_index < 0 || value > *best)
    {
      *best = value;
      *best_index = index;
    }
}

/* Task2 reads the ground truth's points 1 and 3 with int(float(token)): truncation. */
static void
task2_box (const BmEvalGtObject *object, double box[4])
{
  box[0] = trunc (object->quad[0]);
  box[1] = trunc (object->quad[1]);
  box[2] = trunc (object->quad[4]);
  box[3] = trunc (object->quad[5]);
}

/* The ground truth of one class: its objects grouped by image, in file order. */
typedef struct
{
  guint *objects;      /* global object indices */
  guint *first;        /* objects of image i: objects[first[i]] … objects[first[i + 1] - 1] */
  guint n_images;
  double *boxes;       /* their enclosing boxes, side by side for the Task1 prefilter */
} ClassObjects;

static void
class_objects_init (ClassObjects *c, const BmEvalInput *input, guint klass)
{
  guint n = 0;

  c->n_images = input->n_gt_images;
  c->first = g_new (guint, c->n_images + 1);
  for (guint i = 0; i < c->n_images; i++)
    for (guint k = 0; k < input->images[i].n_objects; k++)
      n += input->class_of_gt[input->objects[input->images[i].first + k].klass] == (int) klass;
  c->objects = g_new (guint, MAX (n, 1));
  n = 0;
  for (guint i = 0; i < c->n_images; i++)
    {
      c->first[i] = n;
      for (guint k = 0; k < input->images[i].n_objects; k++)
        if (input->class_of_gt[input->objects[input->images[i].first + k].klass] == (int) klass)
          c->objects[n++] = input->images[i].first + k;
    }
  c->first[c->n_images] = n;
  c->boxes = g_new (double, 4 * (gsize) MAX (n, 1));
  for (guint j = 0; j < n; j++)
    memcpy (c->boxes + 4 * j, input->objects[c->objects[j]].box, 4 * sizeof (double));
}

static void
class_objects_clear (ClassObjects *c)
{
  g_free (c->objects);
  g_free (c->first);
  g_free (c->boxes);
}

/* Best IoU of @det over the objects of its image in @c: *best is -inf and *jmax -1 when there are
 * none (or, Task1, none whose horizontal box overlaps). */
static void
best_overlap (const BmEvalInput *input, const ClassObjects *c, BmEvalMetric metric, const BmEvalDet *det,
              double *best, int *jmax)
{
  gboolean seen_nan = FALSE;
  guint from, to;

  *best = -INFINITY;
  *jmax = -1;
  if (!bm_eval_input_has_objects (input, det->image))
    return;
  from = c->first[det->image];
  to = c->first[det->image + 1];
  for (guint j = from; j < to; j++)
    {
      const BmEvalGtObject *object;
      double gb[4];

      if (metric == BM_EVAL_DOTA_TASK1)
        {
          const double *box = c->boxes + 4 * j;

          /* polyiou only for objects whose +1 horizontal boxes overlap: with boxes made of
           * minima and maxima that IoU is > 0 exactly when both +1 sides of the intersection are */
          if (MIN (box[2], det->box[2]) - MAX (box[0], det->box[0]) + 1. <= 0.
              || MIN (box[3], det->box[3]) - MAX (box[1], det->box[1]) + 1. <= 0.)
            continue;
          object = &input->objects[c->objects[j]];
          take_best (bm_eval_poly_iou (object->quad, det->quad), (int) (j - from), best, jmax, &seen_nan);
          continue;
        }
      object = &input->objects[c->objects[j]];
      if (metric == BM_EVAL_DOTA_TASK2)
        task2_box (object, gb);
      else
        memcpy (gb, object->box, sizeof gb);
      take_best (iou_plus_one (gb, det->box), (int) (j - from), best, jmax, &seen_nan);
    }
}

static double
ap_11_point (const double *rec, const double *prec, guint n)
{
  double thresholds[11];
  double ap = 0.;

  bm_np_voc07_thresholds (thresholds);
  for (int t = 0; t < 11; t++)
    {
      double p = 0.;
      gboolean any = FALSE;

      for (guint i = 0; i < n; i++)
        if (rec[i] >= thresholds[t])
          {
            /* np.max: the first NaN, else the largest */
            if (!any || isnan (prec[i]) || (!isnan (p) && prec[i] > p))
              p = prec[i];
            any = TRUE;
          }
      ap = ap + p / 11.;
    }
  return ap;
}

static double
ap_all_points (const double *rec, const double *prec, guint n)
{
  g_autofree double *mrec = g_new (double, n + 2);
  g_autofree double *mpre = g_new (double, n + 2);
  g_autofree double *terms = g_new (double, n + 1);
  guint n_terms = 0;

  mrec[0] = 0.;
  mpre[0] = 0.;
  memcpy (mrec + 1, rec, n * sizeof (double));
  memcpy (mpre + 1, prec, n * sizeof (double));
  mrec[n + 1] = 1.;
  mpre[n + 1] = 0.;
  /* the precision envelope, from the right; np.maximum keeps NaN */
  for (guint i = n + 1; i > 0; i--)
    if (!(mpre[i - 1] >= mpre[i] || isnan (mpre[i - 1])))
      mpre[i - 1] = mpre[i];
  for (guint i = 0; i < n + 1; i++)
    if (mrec[i + 1] != mrec[i])
      terms[n_terms++] = (mrec[i + 1] - mrec[i]) * mpre[i + 1];
  return bm_np_sum (terms, n_terms);
}

void
bm_eval_voc_class (const BmEvalInput *input, BmEvalMetric metric, gboolean all_points,
                   double threshold, guint klass, BmEvalClass *out)
{
  GArray *indices = input->class_dets[klass];
  guint n = indices->len;
  g_autofree double *negated = g_new (double, MAX (n, 1));
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  g_autofree double *rec = g_new (double, MAX (n, 1));
  g_autofree double *prec = g_new (double, MAX (n, 1));
  g_autofree guint8 *taken = NULL;
  ClassObjects c;
  double tp = 0, fp = 0;
  guint npos = 0;

  class_objects_init (&c, input, klass);
  taken = g_new0 (guint8, MAX (c.first[c.n_images], 1));
  /* npos: non-difficult objects over the image set, a repeated image counted again */
  for (guint s = 0; s < input->set->len; s++)
    {
      guint image = g_array_index (input->set, guint, s);

      if (!bm_eval_input_has_objects (input, image))
        continue;
      for (guint j = c.first[image]; j < c.first[image + 1]; j++)
        npos += input->objects[c.objects[j]].difficult == 0;
    }

  for (guint i = 0; i < n; i++)
    negated[i] = -input->dets[g_array_index (indices, guint, i)].score;
  bm_np_argsort_quick (negated, n, order);
  g_array_set_size (out->decisions, n);
  g_array_set_size (out->recall, n);
  g_array_set_size (out->precision, n);

  for (guint d = 0; d < n; d++)
    {
      const BmEvalDet *det = &input->dets[g_array_index (indices, guint, order[d])];
      BmEvalDecision decision = { det->pred, det->image, det->score, 0, -1, BM_EVAL_FP };
      double ovmax;
      int jmax;

      best_overlap (input, &c, metric, det, &ovmax, &jmax);
      decision.iou = ovmax;
      decision.gt = jmax;
      if (ovmax > threshold)
        {
          guint j = c.first[det->image] + (guint) jmax;

          if (input->objects[c.objects[j]].difficult != 0)
            decision.outcome = BM_EVAL_IGNORED;
          else if (!taken[j])
            {
              decision.outcome = BM_EVAL_TP;
              taken[j] = 1;
            }
          else
            decision.outcome = BM_EVAL_DUPLICATE;
        }
      if (decision.outcome == BM_EVAL_TP)
        tp += 1.;
      else if (decision.outcome != BM_EVAL_IGNORED)
        fp += 1.;
      /* rec = tp / float(npos); prec = tp / np.maximum(tp + fp, eps) */
      rec[d] = tp / (double) npos;
      prec[d] = tp / fmax (tp + fp, DBL_EPSILON);
      g_array_index (out->decisions, BmEvalDecision, d) = decision;
      g_array_index (out->recall, double, d) = rec[d];
      g_array_index (out->precision, double, d) = prec[d];
      out->tp += decision.outcome == BM_EVAL_TP;
      out->fp += decision.outcome == BM_EVAL_FP || decision.outcome == BM_EVAL_DUPLICATE;
      out->n_ignored += decision.outcome == BM_EVAL_IGNORED;
    }
  class_objects_clear (&c);
  out->npos = npos;
  out->n_detections = n;
  out->ap = metric == BM_EVAL_VOC07 || ((metric == BM_EVAL_DOTA_TASK1 || metric == BM_EVAL_DOTA_TASK2) && !all_points)
            ? ap_11_point (rec, prec, n)
            : ap_all_points (rec, prec, n);
}
