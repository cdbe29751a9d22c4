/* bm-eval.h: detection metrics computed exactly as the benchmarks' own code computes them.
 *
 *   voc07       py-faster-rcnn voc_eval, use_07_metric=True (11-point AP), mAP = np.mean
 *   voc         the same, all-points AP
 *   dota-task1  DOTA_devkit dota_evaluation_task1 (polygon IoU as polyiou), 11-point as its
 *               main(), all-points with all_points; mAP = sum of APs in order / n
 *   dota-task2  DOTA_devkit dota_evaluation_task2 (horizontal boxes from points 1 and 3)
 *   coco        pycocotools COCOeval(…, 'bbox'): evaluate, accumulate, summarize (12 stats)
 *
 * "Exactly" means bit for bit: the same tie order (NumPy's introsort for VOC and DOTA), the
 * same +1 areas, the same strict > (VOC, DOTA) or >= (COCO), the same 11-point thresholds
 * (np.arange) and the same pairwise summation (np.sum, np.mean). Every detection's decision
 * (TP, FP, duplicate, ignored) is kept, in the order the reference visits them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bm-eval-gt.h"
#include "bm-pred-set.h"

G_BEGIN_DECLS

typedef enum
{
  BM_EVAL_VOC07,
  BM_EVAL_VOC,
  BM_EVAL_DOTA_TASK1,
  BM_EVAL_DOTA_TASK2,
  BM_EVAL_COCO,
} BmEvalMetric;

/* "voc07", "voc", "dota-task1", "dota-task2", "coco". */
const char *bm_eval_metric_to_string   (BmEvalMetric metric);
gboolean    bm_eval_metric_from_string (const char *name, BmEvalMetric *metric);

typedef struct
{
  BmEvalMetric metric;
  gboolean all_points;        /* VOC, DOTA: all-points AP (voc07 with it is voc) */
  double iou;                 /* VOC, DOTA: TP needs IoU > iou (0.5). COCO: which of its ten
                               * thresholds the per-class TP/FP counts and curves use (0.5) */
  const char *classes_file;   /* the classes evaluated and their order; NULL: every class of
                               * the ground truth with at least one non-difficult object */
  const char *const *class_names; /* the same as a NULL-terminated list (instead of the file) */
  const char *imageset_file;  /* image ids, one per line; NULL: every image of the ground truth */
} BmEvalOptions;

void bm_eval_options_init (BmEvalOptions *options, BmEvalMetric metric);

typedef enum
{
  BM_EVAL_TP,
  BM_EVAL_FP,          /* best IoU not above the threshold, or no ground truth */
  BM_EVAL_DUPLICATE,   /* its best ground truth was taken already: FP */
  BM_EVAL_IGNORED,     /* its best ground truth is difficult (COCO: crowd, or outside the area) */
} BmEvalOutcome;

typedef struct
{
  guint pred;          /* index in the prediction set */
  guint image;         /* index in the ground truth's images (G_MAXUINT: an image-set id without ground truth) */
  double score;
  double iou;          /* ovmax: best IoU; -inf when the image has no ground truth of the class */
  int gt;              /* jmax: among the image's objects of the class, in file order; -1 */
  BmEvalOutcome outcome;
} BmEvalDecision;

typedef struct
{
  char *name;
  gint64 category_id;  /* COCO category id (else position + 1) */
  guint npos;          /* non-difficult ground truth (COCO: not ignored) */
  guint n_detections;
  guint tp, fp, n_ignored;
  double ap;           /* NaN where the reference computes nan (no ground truth) */
  double ap50, ap75, ar100;  /* COCO */
  GArray *decisions;   /* BmEvalDecision in the order visited (COCO: at options.iou, area all,
                        * 100 detections) */
  GArray *recall;      /* double, after each decision: the precision–recall curve */
  GArray *precision;
} BmEvalClass;

/* COCO: what became of one detection, as COCOeval's evalImgs hold it (area 'all', maxDets 100). */
typedef struct
{
  guint pred;
  gint64 det_id;        /* COCOeval's id: position in the results + 1 */
  gboolean evaluated;   /* FALSE: beyond the 100 best of its image and category, or not in the set */
  gint64 matched[10];   /* ground truth id matched at each IoU threshold, 0 = none */
  gboolean ignored[10];
} BmEvalCocoMatch;

typedef struct
{
  BmEvalMetric metric;
  gboolean all_points;
  double iou;
  double map;
  GPtrArray *classes;        /* BmEvalClass *, in the order the mAP takes them */
  double stats[12];          /* COCO */
  GArray *coco_matches;      /* COCO: BmEvalCocoMatch, one per detection in prediction order */
  GPtrArray *problems;       /* BmProblem *: input left out */
  GPtrArray *notes;          /* BmProblem *: accepted, but the reference would have done otherwise */
  /* Detections not evaluated: class key → count (no ground truth, not in --classes). */
  GHashTable *unevaluated;
} BmEvalResult;

/* Evaluates @preds against @gt. NULL with @error only when it cannot start (a class or image
 * set file that cannot be read, COCO ids without a COCO ground truth, YOLO class numbers with
 * no names). Bad detections are problems of the result and left out. */
BmEvalResult *bm_eval_run              (BmEvalGt            *gt,
                                        BmPredSet           *preds,
                                        const BmEvalOptions *options,
                                        GError             **error);
void          bm_eval_result_free      (BmEvalResult        *result);

/* `boxmark-cli eval --json`: {"metric", "map", "classes": {NAME: {"ap", "npos", "tp", "fp"}}}
 * and for COCO "stats"; numbers as Python's repr writes them, NaN as null. */
char         *bm_eval_result_to_json   (BmEvalResult        *result);
/* A table for people: per class AP, npos, TP, FP, then the mAP (and the 12 COCO stats). */
char         *bm_eval_result_to_text   (BmEvalResult        *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmEvalResult, bm_eval_result_free)

G_END_DECLS
