/* bm-eval-coco.c: pycocotools' COCOeval for bounding boxes, evaluate + accumulate + summarize,
 * with its arithmetic.
 *
 * Per image and category (a "cell"): detections sorted by score (stable), the 100 best kept,
 * IoU as maskApi's bbIou (no +1; a crowd object's union is the detection's area). Per area
 * range and IoU threshold, each detection in turn takes the best free object with IoU >= the
 * threshold, preferring objects not ignored (crowd objects may take several detections, which
 * are then ignored). Per category, area and detection limit, the image cells are concatenated
 * in image-id order, sorted by score (stable), and precision is read at 101 recall points
 * (searchsorted, left) from its envelope. The 12 stats are np.mean over what is not -1.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>
#include <string.h>

#include "core/bm-parallel.h"
#include "bm-eval-numpy.h"
#include "bm-eval-private.h"

#define T_COUNT 10
#define R_COUNT 101
#define A_COUNT 4
#define M_COUNT 3

static const double area_ranges[A_COUNT][2] = {
  { 0, 1e10 }, { 0, 1024 }, { 1024, 9216 }, { 9216, 1e10 },
};
static const guint max_dets[M_COUNT] = { 1, 10, 100 };

typedef struct
{
  guint rank;          /* of its image in image-id order */
  guint image;         /* ground-truth image index */
  guint g_first, g_n;  /* into the category's objects */
  guint d_first, d_n;  /* into the category's detections, sorted by score, at most 100 */
  double *ious;        /* d_n × g_n, objects in file order */
} Cell;

typedef struct
{
  /* per cell, for one area range: what evaluateImg returns (slices of the category's arrays) */
  gint64 *dt_matches;  /* T × d_n */
  guint8 *dt_ignore;   /* T × d_n */
  guint8 *gt_ignore;   /* g_n, in the order objects were sorted by ignore */
} CellEval;

/* What evaluate_cell works in, sized for the category's largest cell and reused. */
typedef struct
{
  guint8 *ignore;
  guint *gt_order;
  guint8 *crowd;
  gint64 *gt_matched;  /* T × G */
} Scratch;

typedef struct
{
  const BmEvalInput *input;
  guint *image_rank;        /* per image (ground truth and extra): rank, or G_MAXUINT when not evaluated */
  guint n_ranked;
  double iou_thresholds[T_COUNT];
  double rec_thresholds[R_COUNT];
  int chosen_t;             /* the threshold of the per-class counts and curves */
  double *precision;        /* [T][R][K][A][M] */
  double *recall;           /* [T][K][A][M] */
  BmEvalClass **classes;    /* per category */
  BmEvalCocoMatch *matches; /* per detection of input->dets */
} Coco;

static gsize
p_index (const Coco *c, int t, int r, guint k, int a, int m)
{
  guint K = c->input->names->len;

  return ((((gsize) t * R_COUNT + r) * K + k) * A_COUNT + a) * M_COUNT + m;
}

static gsize
r_index (const Coco *c, int t, guint k, int a, int m)
{
  guint K = c->input->names->len;

  return (((gsize) t * K + k) * A_COUNT + a) * M_COUNT + m;
}

/* maskApi.c bbIou for one pair: no +1, a crowd object's union is the detection's area */
static double
bb_iou (const double *d, const double *g, gboolean crowd)
{
  double da = d[2] * d[3], ga = g[2] * g[3];
  double w = fmin (d[2] + d[0], g[2] + g[0]) - fmax (d[0], g[0]);
  double h, i, u;

  if (w <= 0)
    return 0;
  h = fmin (d[3] + d[1], g[3] + g[1]) - fmax (d[1], g[1]);
  if (h <= 0)
    return 0;
  i = w * h;
  u = crowd ? da : da + ga - i;
  return i / u;
}

typedef struct
{
  Coco *coco;
  guint k;
  GArray *objects;   /* guint object indices, grouped by cell in rank order, file order inside */
  GArray *dets;      /* guint input->dets indices, grouped by cell, sorted by score, ≤ 100 */
  GArray *cells;     /* Cell */
} Category;

static int
compare_uint_pair (gconstpointer a, gconstpointer b)
{
  const guint *x = a, *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* evaluateImg for one cell and area range. */
static void
evaluate_cell (const Coco *c, const Category *cat, const Cell *cell, int a, CellEval *out, Scratch *scratch)
{
  const BmEvalInput *input = c->input;
  guint D = cell->d_n, G = cell->g_n;
  guint8 *ignore = scratch->ignore, *crowd = scratch->crowd;
  guint *gt_order = scratch->gt_order;
  gint64 *gt_matched = scratch->gt_matched;
  guint n_kept = 0;

  /* out's arrays come cleared */
  memset (gt_matched, 0, (gsize) T_COUNT * G * sizeof (gint64));

  /* objects not ignored first, in file order (a stable sort on the flag) */
  for (guint g = 0; g < G; g++)
    {
      const BmEvalGtObject *object = &input->objects[g_array_index (cat->objects, guint, cell->g_first + g)];

      ignore[g] = object->iscrowd || object->area < area_ranges[a][0] || object->area > area_ranges[a][1];
    }
  for (int pass = 0; pass < 2; pass++)
    for (guint g = 0; g < G; g++)
      if (ignore[g] == pass)
        gt_order[n_kept++] = g;
  for (guint g = 0; g < G; g++)
    {
      out->gt_ignore[g] = ignore[gt_order[g]];
      crowd[g] = input->objects[g_array_index (cat->objects, guint, cell->g_first + gt_order[g])].iscrowd;
    }

  if (D > 0 && G > 0)
    for (int t = 0; t < T_COUNT; t++)
      for (guint d = 0; d < D; d++)
        {
          const BmEvalDet *det = &input->dets[g_array_index (cat->dets, guint, cell->d_first + d)];
          double iou = MIN (c->iou_thresholds[t], 1 - 1e-10);
          int m = -1;

          for (guint g = 0; g < G; g++)
            {
              double value = cell->ious[(gsize) d * G + gt_order[g]];

              /* taken, and not a crowd */
              if (gt_matched[(gsize) t * G + g] > 0 && !crowd[g])
                continue;
              /* matched to an object that counts: ignored ones come after, stop */
              if (m > -1 && out->gt_ignore[m] == 0 && out->gt_ignore[g] == 1)
                break;
              if (value < iou)
                continue;
              iou = value;
              m = (int) g;
            }
          if (m == -1)
            continue;
          out->dt_ignore[(gsize) t * D + d] = out->gt_ignore[m];
          out->dt_matches[(gsize) t * D + d] =
            input->objects[g_array_index (cat->objects, guint, cell->g_first + gt_order[m])].id;
          gt_matched[(gsize) t * G + m] = det->det_id;
        }

  /* unmatched detections outside the area range are ignored */
  for (guint d = 0; d < D; d++)
    {
      const BmEvalDet *det = &input->dets[g_array_index (cat->dets, guint, cell->d_first + d)];
      double area = det->coco[2] * det->coco[3];
      gboolean outside = area < area_ranges[a][0] || area > area_ranges[a][1];

      for (int t = 0; t < T_COUNT; t++)
        if (outside && out->dt_matches[(gsize) t * D + d] == 0)
          out->dt_ignore[(gsize) t * D + d] = 1;
    }
}

/* accumulate for one category, area range and detection limit. */
static void
accumulate (Coco *c, Category *cat, CellEval *evals, int a, int m)
{
  const BmEvalInput *input = c->input;
  guint max_det = max_dets[m], n_cells = cat->cells->len, nd = 0, npig = 0;
  g_autofree double *neg_scores = NULL;
  g_autofree guint *order = NULL;
  g_autofree gint64 *matches = NULL;   /* T × nd, concatenated */
  g_autofree guint8 *ignores = NULL;
  g_autofree guint *det_of = NULL;     /* concatenated position → input->dets index */
  g_autofree int *gt_of = NULL;        /* → index of the matched object in its cell, -1 */
  gboolean curves = a == 0 && m == M_COUNT - 1;

  for (guint i = 0; i < n_cells; i++)
    {
      const Cell *cell = &g_array_index (cat->cells, Cell, i);

      nd += MIN (cell->d_n, max_det);
      for (guint g = 0; g < cell->g_n; g++)
        npig += evals[i].gt_ignore[g] == 0;
    }
  if (npig == 0)
    return;

  neg_scores = g_new (double, MAX (nd, 1));
  order = g_new (guint, MAX (nd, 1));
  matches = g_new (gint64, (gsize) T_COUNT * MAX (nd, 1));
  ignores = g_new (guint8, (gsize) T_COUNT * MAX (nd, 1));
  det_of = g_new (guint, MAX (nd, 1));
  gt_of = g_new (int, MAX (nd, 1));
  for (guint i = 0, j = 0; i < n_cells; i++)
    {
      const Cell *cell = &g_array_index (cat->cells, Cell, i);
      guint n = MIN (cell->d_n, max_det);

      for (guint d = 0; d < n; d++, j++)
        {
          guint det = g_array_index (cat->dets, guint, cell->d_first + d);

          neg_scores[j] = -input->dets[det].score;
          det_of[j] = det;
          gt_of[j] = -1;
          for (int t = 0; t < T_COUNT; t++)
            {
              matches[(gsize) t * nd + j] = evals[i].dt_matches[(gsize) t * cell->d_n + d];
              ignores[(gsize) t * nd + j] = evals[i].dt_ignore[(gsize) t * cell->d_n + d];
            }
          if (curves && matches[(gsize) c->chosen_t * nd + j] != 0)
            for (guint g = 0; g < cell->g_n; g++)
              if (input->objects[g_array_index (cat->objects, guint, cell->g_first + g)].id
                  == matches[(gsize) c->chosen_t * nd + j])
                {
                  gt_of[j] = (int) g;
                  break;
                }
        }
    }
  bm_np_argsort_stable (neg_scores, nd, order);

  for (int t = 0; t < T_COUNT; t++)
    {
      g_autofree double *pr = g_new (double, MAX (nd, 1));
      g_autofree double *rc = g_new (double, MAX (nd, 1));
      double tp = 0, fp = 0;
      guint pi = 0;
      BmEvalClass *out = c->classes[cat->k];

      for (guint i = 0; i < nd; i++)
        {
          guint j = order[i];
          gboolean matched = matches[(gsize) t * nd + j] != 0;
          gboolean ignored = ignores[(gsize) t * nd + j] != 0;

          if (matched && !ignored)
            tp += 1;
          else if (!matched && !ignored)
            fp += 1;
          rc[i] = tp / (double) npig;
          pr[i] = tp / (fp + tp + DBL_EPSILON);
          if (curves && t == c->chosen_t)
            {
              const BmEvalDet *det = &input->dets[det_of[j]];
              BmEvalDecision decision = { det->pred, det->image, det->score, NAN, gt_of[j],
                                          ignored ? BM_EVAL_IGNORED : matched ? BM_EVAL_TP : BM_EVAL_FP };

              g_array_append_val (out->decisions, decision);
              g_array_append_val (out->recall, rc[i]);
              g_array_append_val (out->precision, pr[i]);
              out->tp += decision.outcome == BM_EVAL_TP;
              out->fp += decision.outcome == BM_EVAL_FP;
              out->n_ignored += decision.outcome == BM_EVAL_IGNORED;
            }
        }
      if (curves && t == c->chosen_t)
        {
          out->npos = npig;
          out->n_detections = nd;
        }
      c->recall[r_index (c, t, cat->k, a, m)] = nd > 0 ? rc[nd - 1] : 0;
      for (guint i = nd; i > 1; i--)
        if (pr[i - 1] > pr[i - 2])
          pr[i - 2] = pr[i - 1];
      for (int r = 0; r < R_COUNT; r++)
        {
          /* searchsorted(rc, recThrs, side='left'); 0 past the last recall reached */
          while (pi < nd && rc[pi] < c->rec_thresholds[r])
            pi++;
          c->precision[p_index (c, t, r, cat->k, a, m)] = pi < nd ? pr[pi] : 0;
        }
    }
}

static void
evaluate_category (guint k, gpointer user_data)
{
  Coco *c = user_data;
  const BmEvalInput *input = c->input;
  Category cat = { c, k, g_array_new (FALSE, FALSE, sizeof (guint)), g_array_new (FALSE, FALSE, sizeof (guint)),
                   g_array_new (FALSE, FALSE, sizeof (Cell)) };
  g_autoptr(GArray) objects = g_array_new (FALSE, FALSE, 2 * sizeof (guint));   /* (rank, object) */
  g_autoptr(GArray) dets = g_array_new (FALSE, FALSE, 2 * sizeof (guint));      /* (rank, position) */
  GArray *class_dets = input->class_dets[k];
  g_autoptr(GArray) cell_dets = NULL;
  g_autoptr(GArray) neg = NULL;
  g_autoptr(GArray) order = NULL;
  guint io = 0, id = 0, max_g = 0;
  Scratch scratch;
  g_autofree gint64 *matches = NULL;
  g_autofree guint8 *dt_ignore = NULL;
  g_autofree guint8 *gt_ignore = NULL;
  g_autofree CellEval *evals = NULL;

  /* the category's objects and detections on evaluated images, by image rank then file order */
  for (guint s = 0; s < input->n_gt_images; s++)
    {
      const BmEvalGtImage *image = &input->images[s];

      if (c->image_rank[s] == G_MAXUINT)
        continue;
      for (guint i = 0; i < image->n_objects; i++)
        if (input->class_of_gt[input->objects[image->first + i].klass] == (int) k)
          {
            guint pair[2] = { c->image_rank[s], image->first + i };

            g_array_append_vals (objects, pair, 1);
          }
    }
  for (guint i = 0; i < class_dets->len; i++)
    {
      guint det = g_array_index (class_dets, guint, i);
      guint rank = c->image_rank[input->dets[det].image];

      if (rank != G_MAXUINT)
        {
          guint pair[2] = { rank, i };

          g_array_append_vals (dets, pair, 1);
        }
    }
  g_array_sort (objects, compare_uint_pair);
  g_array_sort (dets, compare_uint_pair);
  cell_dets = g_array_new (FALSE, FALSE, sizeof (guint));
  neg = g_array_new (FALSE, FALSE, sizeof (double));
  order = g_array_new (FALSE, FALSE, sizeof (guint));

  while (io < objects->len || id < dets->len)
    {
      const guint *o = io < objects->len ? &g_array_index (objects, guint, 2 * io) : NULL;
      const guint *d = id < dets->len ? &g_array_index (dets, guint, 2 * id) : NULL;
      guint rank = MIN (o != NULL ? o[0] : G_MAXUINT, d != NULL ? d[0] : G_MAXUINT);
      Cell cell = { rank, 0, cat.objects->len, 0, cat.dets->len, 0, NULL };

      g_array_set_size (cell_dets, 0);

      while (io < objects->len && g_array_index (objects, guint, 2 * io) == rank)
        {
          g_array_append_val (cat.objects, g_array_index (objects, guint, 2 * io + 1));
          io++;
        }
      while (id < dets->len && g_array_index (dets, guint, 2 * id) == rank)
        {
          guint det = g_array_index (class_dets, guint, g_array_index (dets, guint, 2 * id + 1));

          g_array_append_val (cell_dets, det);
          id++;
        }
      cell.g_n = cat.objects->len - cell.g_first;
      max_g = MAX (max_g, cell.g_n);
      /* detections by score, stable, the 100 best */
      g_array_set_size (neg, cell_dets->len);
      g_array_set_size (order, MAX (cell_dets->len, 1));
      for (guint i = 0; i < cell_dets->len; i++)
        g_array_index (neg, double, i) = -input->dets[g_array_index (cell_dets, guint, i)].score;
      bm_np_argsort_stable ((const double *) neg->data, cell_dets->len, (guint *) order->data);
      cell.d_n = MIN (cell_dets->len, max_dets[M_COUNT - 1]);
      for (guint i = 0; i < cell_dets->len; i++)
        {
          guint det = g_array_index (cell_dets, guint, g_array_index (order, guint, i));
          BmEvalCocoMatch *match = &c->matches[det];

          if (i < cell.d_n)
            {
              g_array_append_val (cat.dets, det);
              match->evaluated = TRUE;
            }
        }
      if (cell.d_n > 0 && cell.g_n > 0)
        {
          cell.ious = g_new (double, (gsize) cell.d_n * cell.g_n);
          for (guint dd = 0; dd < cell.d_n; dd++)
            {
              const BmEvalDet *det = &input->dets[g_array_index (cat.dets, guint, cell.d_first + dd)];

              for (guint g = 0; g < cell.g_n; g++)
                {
                  const BmEvalGtObject *object = &input->objects[g_array_index (cat.objects, guint, cell.g_first + g)];

                  cell.ious[(gsize) dd * cell.g_n + g] = bb_iou (det->coco, object->coco, object->iscrowd);
                }
            }
        }
      g_array_append_val (cat.cells, cell);
    }

  scratch.ignore = g_new (guint8, MAX (max_g, 1));
  scratch.gt_order = g_new (guint, MAX (max_g, 1));
  scratch.crowd = g_new (guint8, MAX (max_g, 1));
  scratch.gt_matched = g_new (gint64, (gsize) T_COUNT * MAX (max_g, 1));
  matches = g_new (gint64, (gsize) T_COUNT * MAX (cat.dets->len, 1));
  dt_ignore = g_new (guint8, (gsize) T_COUNT * MAX (cat.dets->len, 1));
  gt_ignore = g_new (guint8, MAX (cat.objects->len, 1));
  evals = g_new0 (CellEval, MAX (cat.cells->len, 1));
  for (guint i = 0; i < cat.cells->len; i++)
    {
      const Cell *cell = &g_array_index (cat.cells, Cell, i);

      evals[i].dt_matches = matches + (gsize) T_COUNT * cell->d_first;
      evals[i].dt_ignore = dt_ignore + (gsize) T_COUNT * cell->d_first;
      evals[i].gt_ignore = gt_ignore + cell->g_first;
    }
  for (int a = 0; a < A_COUNT; a++)
    {
      memset (matches, 0, (gsize) T_COUNT * cat.dets->len * sizeof (gint64));
      memset (dt_ignore, 0, (gsize) T_COUNT * cat.dets->len);
      for (guint i = 0; i < cat.cells->len; i++)
        evaluate_cell (c, &cat, &g_array_index (cat.cells, Cell, i), a, &evals[i], &scratch);
      if (a == 0)
        for (guint i = 0; i < cat.cells->len; i++)
          {
            const Cell *cell = &g_array_index (cat.cells, Cell, i);

            for (guint d = 0; d < cell->d_n; d++)
              {
                BmEvalCocoMatch *match = &c->matches[g_array_index (cat.dets, guint, cell->d_first + d)];

                for (int t = 0; t < T_COUNT; t++)
                  {
                    match->matched[t] = evals[i].dt_matches[(gsize) t * cell->d_n + d];
                    match->ignored[t] = evals[i].dt_ignore[(gsize) t * cell->d_n + d];
                  }
              }
          }
      for (int m = 0; m < M_COUNT; m++)
        accumulate (c, &cat, evals, a, m);
    }
  g_free (scratch.ignore);
  g_free (scratch.gt_order);
  g_free (scratch.crowd);
  g_free (scratch.gt_matched);

  for (guint i = 0; i < cat.cells->len; i++)
    g_free (g_array_index (cat.cells, Cell, i).ious);
  g_array_unref (cat.cells);
  g_array_unref (cat.objects);
  g_array_unref (cat.dets);
}

/* np.mean(s[s > -1]) of @values (in C order), or -1 when none is above -1. */
static double
mean_of_valid (const double *values, gsize n)
{
  g_autofree double *kept = g_new (double, MAX (n, 1));
  gsize n_kept = 0;

  for (gsize i = 0; i < n; i++)
    if (values[i] > -1)
      kept[n_kept++] = values[i];
  return n_kept == 0 ? -1 : bm_np_mean (kept, n_kept);
}

/* _summarize: AP over precision[t, :, :, a, m] or AR over recall[t, :, a, m]; @t < 0: all. */
static double
summarize (const Coco *c, gboolean ap, int t, int a, int m)
{
  guint K = c->input->names->len;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (int tt = 0; tt < T_COUNT; tt++)
    {
      if (t >= 0 && tt != t)
        continue;
      if (ap)
        {
          for (int r = 0; r < R_COUNT; r++)
            for (guint k = 0; k < K; k++)
              g_array_append_val (values, c->precision[p_index (c, tt, r, k, a, m)]);
        }
      else
        for (guint k = 0; k < K; k++)
          g_array_append_val (values, c->recall[r_index (c, tt, k, a, m)]);
    }
  return mean_of_valid ((const double *) values->data, values->len);
}

void
bm_eval_coco (const BmEvalInput *input, double iou, BmEvalResult *result)
{
  guint K = input->names->len;
  guint n_images = input->n_gt_images + input->n_extra_images;
  Coco c = { input };
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  gsize n_precision, n_recall;
  int t50 = -1, t75 = -1;

  bm_np_linspace (.5, 0.95, T_COUNT, c.iou_thresholds);
  bm_np_linspace (.0, 1.00, R_COUNT, c.rec_thresholds);
  c.chosen_t = 0;
  for (int t = 0; t < T_COUNT; t++)
    {
      if (fabs (c.iou_thresholds[t] - iou) < 1e-9)
        c.chosen_t = t;
      if (c.iou_thresholds[t] == .5)
        t50 = t;
      if (c.iou_thresholds[t] == .75)
        t75 = t;
    }

  /* p.imgIds: the evaluated images' ids, sorted (np.unique) */
  c.image_rank = g_new (guint, MAX (n_images, 1));
  for (guint i = 0; i < n_images; i++)
    c.image_rank[i] = G_MAXUINT;
  for (guint i = 0; i < input->n_gt_images; i++)
    if (input->in_set[i])
      {
        guint pair[2] = { i, 0 };

        g_array_append_vals (ranked, pair, 1);
      }
  {
    g_autofree gint64 *ids = g_new (gint64, MAX (ranked->len, 1));
    g_autofree guint *order = g_new (guint, MAX (ranked->len, 1));

    for (guint i = 0; i < ranked->len; i++)
      {
        ids[i] = input->coco_ids[g_array_index (ranked, guint, 2 * i)];
        order[i] = i;
      }
    /* ids are unique: any sort gives np.unique's order */
    for (guint i = 1; i < ranked->len; i++)
      for (guint j = i; j > 0 && ids[order[j]] < ids[order[j - 1]]; j--)
        {
          guint tmp = order[j];
          order[j] = order[j - 1];
          order[j - 1] = tmp;
        }
    for (guint r = 0; r < ranked->len; r++)
      c.image_rank[g_array_index (ranked, guint, 2 * order[r])] = r;
  }

  n_precision = (gsize) T_COUNT * R_COUNT * MAX (K, 1) * A_COUNT * M_COUNT;
  n_recall = (gsize) T_COUNT * MAX (K, 1) * A_COUNT * M_COUNT;
  c.precision = g_new (double, n_precision);
  c.recall = g_new (double, n_recall);
  for (gsize i = 0; i < n_precision; i++)
    c.precision[i] = -1;
  for (gsize i = 0; i < n_recall; i++)
    c.recall[i] = -1;
  c.classes = g_new0 (BmEvalClass *, MAX (K, 1));
  for (guint k = 0; k < K; k++)
    c.classes[k] = bm_eval_class_new (input->names->pdata[k], g_array_index (input->category_ids, gint64, k));
  c.matches = g_new0 (BmEvalCocoMatch, MAX (input->n_dets, 1));
  for (guint i = 0; i < input->n_dets; i++)
    {
      const BmEvalDet *det = &input->dets[i];

      c.matches[i].pred = det->pred;
      c.matches[i].det_id = det->det_id;
    }

  bm_parallel_for (K, 0, evaluate_category, &c);

  result->stats[0] = summarize (&c, TRUE, -1, 0, 2);
  result->stats[1] = t50 >= 0 ? summarize (&c, TRUE, t50, 0, 2) : -1;
  result->stats[2] = t75 >= 0 ? summarize (&c, TRUE, t75, 0, 2) : -1;
  result->stats[3] = summarize (&c, TRUE, -1, 1, 2);
  result->stats[4] = summarize (&c, TRUE, -1, 2, 2);
  result->stats[5] = summarize (&c, TRUE, -1, 3, 2);
  result->stats[6] = summarize (&c, FALSE, -1, 0, 0);
  result->stats[7] = summarize (&c, FALSE, -1, 0, 1);
  result->stats[8] = summarize (&c, FALSE, -1, 0, 2);
  result->stats[9] = summarize (&c, FALSE, -1, 1, 2);
  result->stats[10] = summarize (&c, FALSE, -1, 2, 2);
  result->stats[11] = summarize (&c, FALSE, -1, 3, 2);
  result->map = result->stats[0];

  for (guint k = 0; k < K; k++)
    {
      BmEvalClass *klass = c.classes[k];
      double values[T_COUNT * R_COUNT];
      double recalls[T_COUNT];

      if (c.recall[r_index (&c, 0, k, 0, 2)] == -1)
        {
          /* no ground truth: COCO leaves the category out */
          bm_eval_class_free (klass);
          continue;
        }
      for (int t = 0; t < T_COUNT; t++)
        {
          for (int r = 0; r < R_COUNT; r++)
            values[t * R_COUNT + r] = c.precision[p_index (&c, t, r, k, 0, 2)];
          recalls[t] = c.recall[r_index (&c, t, k, 0, 2)];
        }
      klass->ap = mean_of_valid (values, T_COUNT * R_COUNT);
      klass->ap50 = t50 >= 0 ? mean_of_valid (values + t50 * R_COUNT, R_COUNT) : -1;
      klass->ap75 = t75 >= 0 ? mean_of_valid (values + t75 * R_COUNT, R_COUNT) : -1;
      klass->ar100 = mean_of_valid (recalls, T_COUNT);
      g_ptr_array_add (result->classes, klass);
    }

  result->coco_matches = g_array_sized_new (FALSE, FALSE, sizeof (BmEvalCocoMatch), input->n_dets);
  g_array_append_vals (result->coco_matches, c.matches, input->n_dets);
  g_free (c.matches);
  g_free (c.classes);
  g_free (c.precision);
  g_free (c.recall);
  g_free (c.image_rank);
}
