/* bm-eval-conflicts.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-file-util.h"
#include "core/bm-parallel.h"
#include "formats/bm-coco-json.h"
#include "bm-eval-conflicts.h"
#include "bm-eval-numpy.h"
#include "bm-eval-polyiou.h"
#include "bm-eval-private.h"

static const char *const kind_names[BM_CONFLICT_N_KINDS] = {
  "possibly-missing", "unmatched-label", "wrong-class", "loose-box", "duplicate",
};

struct _BmEvalConflicts
{
  BmEvalGt *gt;
  BmPredSet *preds;
  BmEvalConflictOptions options;
  GPtrArray *class_names;   /* char *, the classes conflicts name */
  GArray **by_image;        /* per ground-truth image: BmConflict */
  guint n_images;
  guint counts[BM_CONFLICT_N_KINDS];
  guint n;
  guint n_with;
};

const char *
bm_conflict_kind_to_string (BmConflictKind kind)
{
  g_return_val_if_fail (kind < BM_CONFLICT_N_KINDS, "");
  return kind_names[kind];
}

gboolean
bm_conflict_kind_from_string (const char *name, BmConflictKind *kind)
{
  for (guint i = 0; i < BM_CONFLICT_N_KINDS; i++)
    if (g_ascii_strcasecmp (name, kind_names[i]) == 0)
      {
        *kind = (BmConflictKind) i;
        return TRUE;
      }
  return FALSE;
}

void
bm_eval_conflict_options_init (BmEvalConflictOptions *options)
{
  options->score_threshold = 0.5;
  options->iou = 0.5;
  options->loose_iou = 0.1;
}

/* Plain IoU of two boxes x1 y1 x2 y2 (no +1). */
static double
box_iou (const double *a, const double *b)
{
  double w = MIN (a[2], b[2]) - MAX (a[0], b[0]);
  double h = MIN (a[3], b[3]) - MAX (a[1], b[1]);
  double inter, uni;

  if (w <= 0 || h <= 0)
    return 0;
  inter = w * h;
  uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return uni > 0 ? inter / uni : 0;
}

double
bm_eval_overlap (const BmEvalGtObject *object, const BmEvalDet *det, gboolean det_is_quad)
{
  double iou;

  if (object->shape == BM_SHAPE_BOX && !det_is_quad)
    return box_iou (object->box, det->box);
  if (box_iou (object->box, det->box) <= 0)
    return 0;
  iou = bm_eval_poly_iou (object->quad, det->quad);
  return isfinite (iou) ? iou : 0;
}

typedef struct
{
  BmEvalConflicts *self;
  const BmEvalInput *input;
  GArray **dets_by_image;   /* guint indices into input->dets */
  const BmPred *preds;
} Job;

static void
add (GArray *list, BmConflictKind kind, guint image, const BmEvalDet *det, int object, double iou,
     const BmEvalInput *input)
{
  BmConflict conflict = { kind, image, det != NULL ? (int) det->pred : -1, object,
                          det != NULL ? det->score : 0, iou,
                          det != NULL ? input->names->pdata[det->klass] : NULL, { 0 } };

  if (det != NULL)
    memcpy (conflict.box, det->box, sizeof conflict.box);
  g_array_append_val (list, conflict);
}

static void
find_in_image (guint image, gpointer user_data)
{
  Job *job = user_data;
  const BmEvalInput *input = job->input;
  const BmEvalConflictOptions *options = &job->self->options;
  const BmEvalGtImage *info = &input->images[image];
  GArray *dets = job->dets_by_image[image];
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BmConflict));
  guint n = dets != NULL ? dets->len : 0, G = info->n_objects;
  g_autofree double *neg = g_new (double, MAX (n, 1));
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  g_autofree guint8 *matched = g_new0 (guint8, MAX (G, 1));
  g_autofree guint8 *explained = g_new0 (guint8, MAX (G, 1));
  g_autofree double *ious = g_new (double, (gsize) MAX (n, 1) * MAX (G, 1));
  g_autofree int *state = g_new (int, MAX (n, 1));   /* -1 unmatched, else matched */

  for (guint i = 0; i < n; i++)
    {
      const BmEvalDet *det = &input->dets[g_array_index (dets, guint, i)];
      const BmPred *pred = &job->preds[det->pred];
      gboolean quad = pred->geometry == BM_PRED_QUAD || pred->geometry == BM_PRED_YOLO_QUAD;

      neg[i] = -det->score;
      for (guint g = 0; g < G; g++)
        ious[(gsize) i * G + g] = bm_eval_overlap (&input->objects[info->first + g], det, quad);
    }
  bm_np_argsort_stable (neg, n, order);

  /* matches first, by score: the best free label of the class */
  for (guint k = 0; k < n; k++)
    {
      guint i = order[k];
      const BmEvalDet *det = &input->dets[g_array_index (dets, guint, i)];
      int best = -1, best_taken = -1;
      double best_iou = options->iou, taken_iou = options->iou;

      state[i] = -1;
      for (guint g = 0; g < G; g++)
        {
          const BmEvalGtObject *object = &input->objects[info->first + g];
          double iou = ious[(gsize) i * G + g];

          if (input->class_of_gt[object->klass] != (int) det->klass || iou < options->iou)
            continue;
          if (!matched[g] && iou >= best_iou)
            {
              best = (int) g;
              best_iou = iou;
            }
          else if (matched[g] && iou >= taken_iou)
            {
              best_taken = (int) g;
              taken_iou = iou;
            }
        }
      if (best >= 0)
        {
          /* a difficult label takes the prediction and makes no conflict */
          matched[best] = 1;
          state[i] = best;
        }
      else if (best_taken >= 0)
        {
          state[i] = best_taken;
          if (input->objects[info->first + best_taken].difficult == 0)
            add (out, BM_CONFLICT_DUPLICATE, image, det, (int) (info->first + best_taken), taken_iou, input);
        }
    }

  /* what the others are */
  for (guint k = 0; k < n; k++)
    {
      guint i = order[k];
      const BmEvalDet *det = &input->dets[g_array_index (dets, guint, i)];
      int other = -1, loose = -1;
      double other_iou = options->iou, loose_iou = options->loose_iou, best_any = 0;

      if (state[i] >= 0)
        continue;
      for (guint g = 0; g < G; g++)
        {
          const BmEvalGtObject *object = &input->objects[info->first + g];
          double iou = ious[(gsize) i * G + g];
          gboolean same = input->class_of_gt[object->klass] == (int) det->klass;

          best_any = MAX (best_any, iou);
          if (!same && iou >= other_iou)
            {
              other = (int) g;
              other_iou = iou;
            }
          else if (same && iou >= loose_iou && iou < options->iou)
            {
              loose = (int) g;
              loose_iou = iou;
            }
        }
      if (other >= 0)
        {
          explained[other] = 1;
          if (input->objects[info->first + other].difficult == 0)
            add (out, BM_CONFLICT_WRONG_CLASS, image, det, (int) (info->first + other), other_iou, input);
        }
      else if (loose >= 0)
        {
          explained[loose] = 1;
          if (input->objects[info->first + loose].difficult == 0)
            add (out, BM_CONFLICT_LOOSE_BOX, image, det, (int) (info->first + loose), loose_iou, input);
        }
      else
        add (out, BM_CONFLICT_POSSIBLY_MISSING, image, det, -1, best_any, input);
    }

  for (guint g = 0; g < G; g++)
    if (!matched[g] && !explained[g] && input->objects[info->first + g].difficult == 0)
      add (out, BM_CONFLICT_UNMATCHED_LABEL, image, NULL, (int) (info->first + g), 0, input);
  job->self->by_image[image] = out;
}

BmEvalConflicts *
bm_eval_conflicts_find (BmEvalGt *gt, BmPredSet *preds, const BmEvalConflictOptions *options)
{
  BmEvalConflicts *self = g_new0 (BmEvalConflicts, 1);
  g_autoptr(BmEvalResult) sink = NULL;
  g_autoptr(BmEvalInput) input = NULL;
  BmEvalOptions eval_options;
  Job job = { self };
  guint n_preds;

  self->gt = bm_eval_gt_ref (gt);
  self->preds = bm_pred_set_ref (preds);
  self->options = *options;
  self->class_names = g_ptr_array_new_with_free_func (g_free);
  bm_eval_options_init (&eval_options, BM_EVAL_VOC);
  sink = bm_eval_result_new (&eval_options);
  input = bm_eval_bind (gt, preds, &eval_options, TRUE, sink, NULL);
  self->n_images = input != NULL ? input->n_gt_images : 0;
  self->by_image = g_new0 (GArray *, MAX (self->n_images, 1));
  if (input == NULL)
    return self;

  for (guint k = 0; k < input->names->len; k++)
    g_ptr_array_add (self->class_names, g_strdup (input->names->pdata[k]));
  job.input = input;
  job.preds = bm_pred_set_get_preds (preds, &n_preds);
  job.dets_by_image = g_new0 (GArray *, MAX (self->n_images, 1));
  for (guint i = 0; i < input->n_dets; i++)
    {
      const BmEvalDet *det = &input->dets[i];

      if (det->score < options->score_threshold || det->image >= self->n_images)
        continue;
      if (job.dets_by_image[det->image] == NULL)
        job.dets_by_image[det->image] = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (job.dets_by_image[det->image], i);
    }
  bm_parallel_for (self->n_images, 0, find_in_image, &job);

  for (guint i = 0; i < self->n_images; i++)
    {
      GArray *list = self->by_image[i];

      /* the class names point into the input, which goes: point into our own copy */
      for (guint c = 0; c < list->len; c++)
        {
          BmConflict *conflict = &g_array_index (list, BmConflict, c);

          if (conflict->pred_class != NULL)
            for (guint k = 0; k < self->class_names->len; k++)
              if (strcmp (conflict->pred_class, input->names->pdata[k]) == 0)
                {
                  conflict->pred_class = self->class_names->pdata[k];
                  break;
                }
          self->counts[conflict->kind]++;
        }
      self->n += list->len;
      self->n_with += list->len > 0;
      g_clear_pointer (&job.dets_by_image[i], g_array_unref);
    }
  g_free (job.dets_by_image);
  return self;
}

void
bm_eval_conflicts_free (BmEvalConflicts *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_images; i++)
    g_clear_pointer (&self->by_image[i], g_array_unref);
  g_free (self->by_image);
  g_ptr_array_unref (self->class_names);
  bm_eval_gt_unref (self->gt);
  bm_pred_set_unref (self->preds);
  g_free (self);
}

guint
bm_eval_conflicts_get_n (BmEvalConflicts *self)
{
  return self->n;
}

guint
bm_eval_conflicts_get_n_images (BmEvalConflicts *self)
{
  return self->n_with;
}

guint
bm_eval_conflicts_count_kind (BmEvalConflicts *self, BmConflictKind kind)
{
  g_return_val_if_fail (kind < BM_CONFLICT_N_KINDS, 0);
  return self->counts[kind];
}

const BmConflict *
bm_eval_conflicts_for_image (BmEvalConflicts *self, guint image, guint *n)
{
  if (image >= self->n_images || self->by_image[image] == NULL)
    {
      *n = 0;
      return NULL;
    }
  *n = self->by_image[image]->len;
  return (const BmConflict *) self->by_image[image]->data;
}

guint
bm_eval_conflicts_image_count (BmEvalConflicts *self, guint image, BmConflictKind kind)
{
  guint n, count = 0;
  const BmConflict *list = bm_eval_conflicts_for_image (self, image, &n);

  for (guint i = 0; i < n; i++)
    count += list[i].kind == kind;
  return count;
}

/* ---- writing ---- */

static void
append_box (GString *out, const double *box)
{
  for (int i = 0; i < 4; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      bm_coco_json_append_double (out, box[i]);
    }
}

static const char *
kind_label (BmConflictKind kind)
{
  switch (kind)
    {
    case BM_CONFLICT_POSSIBLY_MISSING: return _("possibly missing");
    case BM_CONFLICT_UNMATCHED_LABEL: return _("unmatched label");
    case BM_CONFLICT_WRONG_CLASS: return _("wrong class");
    case BM_CONFLICT_LOOSE_BOX: return _("loose box");
    case BM_CONFLICT_DUPLICATE: return _("duplicate");
    case BM_CONFLICT_N_KINDS:
    default: return "";
    }
}

char *
bm_eval_conflicts_to_text (BmEvalConflicts *self)
{
  GString *out = g_string_new (NULL);
  guint n_images, n_objects;
  const BmEvalGtImage *images = bm_eval_gt_get_images (self->gt, &n_images);
  const BmEvalGtObject *objects = bm_eval_gt_get_objects (self->gt, &n_objects);

  g_string_append_printf (out, _("# Conflicts between predictions (score ≥ %g) and labels: a match needs IoU ≥ %g, a loose box IoU ≥ %g.\n"),
                          self->options.score_threshold, self->options.iou, self->options.loose_iou);
  g_string_append_printf (out, _("# %u conflicts on %u of %u images:"), self->n, self->n_with, self->n_images);
  for (guint k = 0; k < BM_CONFLICT_N_KINDS; k++)
    g_string_append_printf (out, " %s %u%s", kind_names[k], self->counts[k], k + 1 < BM_CONFLICT_N_KINDS ? "," : "\n");
  for (guint i = 0; i < self->n_images; i++)
    {
      GArray *list = self->by_image[i];

      if (list == NULL || list->len == 0)
        continue;
      g_string_append_printf (out, "\n%s", images[i].id);
      if (images[i].label_path != NULL)
        g_string_append_printf (out, "  (%s)", images[i].label_path);
      g_string_append_c (out, '\n');
      for (guint c = 0; c < list->len; c++)
        {
          const BmConflict *conflict = &g_array_index (list, BmConflict, c);
          const BmEvalGtObject *object = conflict->object >= 0 ? &objects[conflict->object] : NULL;

          g_string_append_printf (out, "  %-16s ", kind_label (conflict->kind));
          if (conflict->pred >= 0)
            {
              g_string_append_printf (out, _("prediction “%s” %.3f at "), conflict->pred_class, conflict->score);
              append_box (out, conflict->box);
            }
          if (object != NULL)
            {
              g_string_append_printf (out, conflict->pred >= 0 ? _(", label #%u “%s” at ") : _("label #%u “%s” at "),
                                      (guint) (conflict->object - images[i].first) + 1,
                                      bm_eval_gt_get_class (self->gt, object->klass));
              append_box (out, object->box);
            }
          if (conflict->kind != BM_CONFLICT_UNMATCHED_LABEL)
            g_string_append_printf (out, conflict->kind == BM_CONFLICT_POSSIBLY_MISSING ? _(" (best IoU with a label %.3f)")
                                                                                          : _(" (IoU %.3f)"),
                                    conflict->iou);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

char *
bm_eval_conflicts_to_json (BmEvalConflicts *self)
{
  GString *out = g_string_new ("{\"score_threshold\": ");
  guint n_images, n_objects;
  const BmEvalGtImage *images = bm_eval_gt_get_images (self->gt, &n_images);
  const BmEvalGtObject *objects = bm_eval_gt_get_objects (self->gt, &n_objects);
  gboolean first_image = TRUE;

  bm_coco_json_append_double (out, self->options.score_threshold);
  g_string_append (out, ", \"iou\": ");
  bm_coco_json_append_double (out, self->options.iou);
  g_string_append (out, ", \"loose_iou\": ");
  bm_coco_json_append_double (out, self->options.loose_iou);
  g_string_append (out, ", \"counts\": {");
  for (guint k = 0; k < BM_CONFLICT_N_KINDS; k++)
    g_string_append_printf (out, "%s\"%s\": %u", k > 0 ? ", " : "", kind_names[k], self->counts[k]);
  g_string_append (out, "},\n\"images\": [");
  for (guint i = 0; i < self->n_images; i++)
    {
      GArray *list = self->by_image[i];

      if (list == NULL || list->len == 0)
        continue;
      g_string_append (out, first_image ? "\n" : ",\n");
      first_image = FALSE;
      g_string_append (out, "{\"image\": ");
      bm_coco_json_append_string (out, images[i].id);
      if (images[i].label_path != NULL)
        {
          g_string_append (out, ", \"label_file\": ");
          bm_coco_json_append_string (out, images[i].label_path);
        }
      g_string_append (out, ", \"conflicts\": [");
      for (guint c = 0; c < list->len; c++)
        {
          const BmConflict *conflict = &g_array_index (list, BmConflict, c);

          g_string_append_printf (out, "%s{\"kind\": \"%s\"", c > 0 ? ", " : "", kind_names[conflict->kind]);
          if (conflict->pred >= 0)
            {
              g_string_append (out, ", \"class\": ");
              bm_coco_json_append_string (out, conflict->pred_class);
              g_string_append (out, ", \"score\": ");
              bm_coco_json_append_double (out, conflict->score);
              g_string_append (out, ", \"box\": [");
              append_box (out, conflict->box);
              g_string_append_c (out, ']');
            }
          if (conflict->object >= 0)
            {
              g_string_append_printf (out, ", \"label\": %u, \"label_class\": ",
                                      (guint) (conflict->object - images[i].first) + 1);
              bm_coco_json_append_string (out, bm_eval_gt_get_class (self->gt, objects[conflict->object].klass));
              g_string_append (out, ", \"label_box\": [");
              append_box (out, objects[conflict->object].box);
              g_string_append_c (out, ']');
            }
          if (conflict->kind != BM_CONFLICT_UNMATCHED_LABEL)
            {
              g_string_append (out, ", \"iou\": ");
              bm_coco_json_append_double (out, conflict->iou);
            }
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "\n]}\n");
  return g_string_free (out, FALSE);
}

gboolean
bm_eval_conflicts_write (BmEvalConflicts *self, const char *path, GError **error)
{
  gboolean json = g_str_has_suffix (path, ".json") || g_str_has_suffix (path, ".JSON");
  g_autofree char *text = json ? bm_eval_conflicts_to_json (self) : bm_eval_conflicts_to_text (self);

  return bm_file_write_atomic (path, text, strlen (text), error);
}
