/* bm-dota-merge-nms.c: ResultMerge's non-maximum suppression.
 *
 * ResultMerge visits detections in the order of `scores.argsort()[::-1]`, and with equal scores
 * that order decides which of two overlapping detections survives. NumPy's default argsort is
 * an introsort whose order of ties is neither stable nor its reverse, so it is reproduced here
 * step by step. The polygon IoU is DOTA_devkit's polyiou, again step by step: its result is
 * compared with the threshold with <=, and a value a hair above 0.5 or 0.3 must stay above.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>
#include <string.h>

#include "bm-dota-merge-private.h"
#include "bm-eval-polyiou.h"

/* ---- NumPy's argsort ------------------------------------------------------------------------ */

/* NumPy's npysort constants: partitions of at most 16 elements are insertion-sorted, and a
 * depth limit of twice the bit length switches a partition to heapsort. */
#define NPY_SMALL_QUICKSORT 15
#define NPY_STACK 128

static inline void
swap_index (gsize *a, gsize *b)
{
  gsize t = *a;
  *a = *b;
  *b = t;
}

static int
most_significant_bit (gsize n)
{
  int depth = 0;

  while (n > 1)
    {
      n >>= 1;
      depth++;
    }
  return depth;
}

/* Heapsort of the @n indices at @order, 1-based as NumPy writes it. */
static void
npy_aheapsort (const double *v, gsize *order, gsize n)
{
  gsize *a = order - 1;
  gsize i, j, l, tmp;

  for (l = n >> 1; l > 0; l--)
    {
      tmp = a[l];
      for (i = l, j = l << 1; j <= n;)
        {
          if (j < n && v[a[j]] < v[a[j + 1]])
            j++;
          if (v[tmp] < v[a[j]])
            {
              a[i] = a[j];
              i = j;
              j += j;
            }
          else
            break;
        }
      a[i] = tmp;
    }
  for (; n > 1;)
    {
      tmp = a[n];
      a[n] = a[1];
      n--;
      for (i = 1, j = 2; j <= n;)
        {
          if (j < n && v[a[j]] < v[a[j + 1]])
            j++;
          if (v[tmp] < v[a[j]])
            {
              a[i] = a[j];
              i = j;
              j += j;
            }
          else
            break;
        }
      a[i] = tmp;
    }
}

void
bm_npy_argsort (const double *v, gsize n, gsize *order)
{
  gsize *pl, *pr, *pi, *pj, *pk, *pm;
  gsize *stack[NPY_STACK], **sptr = stack;
  int depth[NPY_STACK], *psdepth = depth;
  int cdepth;
  double vp;

  for (gsize i = 0; i < n; i++)
    order[i] = i;
  if (n <= 1)
    return;

  pl = order;
  pr = order + n - 1;
  cdepth = most_significant_bit (n) * 2;
  for (;;)
    {
      if (cdepth < 0)
        {
          npy_aheapsort (v, pl, (gsize) (pr - pl) + 1);
          goto pop;
        }
      while ((pr - pl) > NPY_SMALL_QUICKSORT)
        {
          /* median of three */
          pm = pl + ((pr - pl) >> 1);
          if (v[*pm] < v[*pl])
            swap_index (pm, pl);
          if (v[*pr] < v[*pm])
            swap_index (pr, pm);
          if (v[*pm] < v[*pl])
            swap_index (pm, pl);
          vp = v[*pm];
          pi = pl;
          pj = pr - 1;
          swap_index (pm, pj);
          for (;;)
            {
              do
                ++pi;
              while (v[*pi] < vp);
              do
                --pj;
              while (vp < v[*pj]);
              if (pi >= pj)
                break;
              swap_index (pi, pj);
            }
          pk = pr - 1;
          swap_index (pi, pk);
          /* the larger partition waits on the stack */
          if (pi - pl < pr - pi)
            {
              *sptr++ = pi + 1;
              *sptr++ = pr;
              pr = pi - 1;
            }
          else
            {
              *sptr++ = pl;
              *sptr++ = pi - 1;
              pl = pi + 1;
            }
          *psdepth++ = --cdepth;
        }

      /* insertion sort */
      for (pi = pl + 1; pi <= pr; pi++)
        {
          gsize vi = *pi;

          vp = v[vi];
          pj = pi;
          pk = pi - 1;
          while (pj > pl && vp < v[*pk])
            *pj-- = *pk--;
          *pj = vi;
        }
pop:
      if (sptr == stack)
        break;
      pr = *(--sptr);
      pl = *(--sptr);
      cdepth = *(--psdepth);
    }
}

/* ---- suppression ------------------------------------------------------------------------------ */

typedef struct
{
  double x1, y1, x2, y2;
  double area;   /* |signed area| as polyiou computes it before reversing: only for the guard */
  double reach;  /* largest |coordinate| */
} Extent;

static void
poly_extent (const double *d, Extent *e)
{
  double s = 0;

  e->x1 = e->x2 = d[0];
  e->y1 = e->y2 = d[1];
  e->reach = 0;
  for (int k = 0; k < 4; k++)
    {
      double x = d[2 * k], y = d[2 * k + 1];
      double nx = d[(2 * k + 2) % 8], ny = d[(2 * k + 3) % 8];

      e->x1 = MIN (e->x1, x);
      e->x2 = MAX (e->x2, x);
      e->y1 = MIN (e->y1, y);
      e->y2 = MAX (e->y2, y);
      e->reach = MAX (e->reach, MAX (fabs (x), fabs (y)));
      s += x * ny - y * nx;
    }
  e->area = fabs (s) / 2;
}

/* Whether iou_poly of @a and @b is certainly <= @thresh without computing it: their bounding
 * boxes are apart, so the true overlap is 0 and polyiou's result is rounding noise, bounded
 * here (16 fan triangles of size at most reach², each off by a few ulps). A zero-area pair,
 * whose polyiou is NaN (and suppressed), is always computed. */
static gboolean
certainly_apart (const Extent *a, const Extent *b, double thresh)
{
  double reach, noise, uni;

  if (a->x2 >= b->x1 && b->x2 >= a->x1 && a->y2 >= b->y1 && b->y2 >= a->y1)
    return FALSE;
  reach = MAX (a->reach, b->reach);
  noise = 16 * 64 * DBL_EPSILON * (reach * reach + 1);
  uni = MAX (a->area, b->area) - noise;
  return uni > 0 && thresh > 0 && noise < thresh * uni / 2;
}

static double
rect_overlap (const double *a, const double *b, double area_a, double area_b)
{
  /* numpy.maximum/minimum keep a NaN; these inputs are finite. */
  double xx1 = MAX (a[0], b[0]);
  double yy1 = MAX (a[1], b[1]);
  double xx2 = MIN (a[2], b[2]);
  double yy2 = MIN (a[3], b[3]);
  double w = xx2 - xx1 + 1;
  double h = yy2 - yy1 + 1;
  double inter;

  w = w > 0.0 ? w : 0.0;
  h = h > 0.0 ? h : 0.0;
  inter = w * h;
  return inter / (area_a + area_b - inter);
}

GArray *
bm_dota_nms (const double *dets, gsize n, BmDotaMergeNms nms, double thresh, guint64 *n_iou)
{
  const gsize stride = nms == BM_DOTA_MERGE_POLY ? 9 : 5;
  const gsize score_at = stride - 1;
  g_autofree double *scores = g_new (double, MAX (n, 1));
  g_autofree gsize *order = g_new (gsize, MAX (n, 1));
  g_autofree gsize *rest = g_new (gsize, MAX (n, 1));
  g_autofree Extent *extents = NULL;
  g_autofree double *areas = NULL;
  GArray *keep = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize n_rest = n;
  guint64 computed = 0;

  for (gsize i = 0; i < n; i++)
    scores[i] = dets[i * stride + score_at];
  bm_npy_argsort (scores, n, order);
  /* order[::-1] */
  for (gsize i = 0; i < n; i++)
    rest[i] = order[n - 1 - i];

  if (nms == BM_DOTA_MERGE_POLY)
    {
      extents = g_new (Extent, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        poly_extent (dets + i * stride, &extents[i]);
    }
  else
    {
      areas = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        {
          const double *d = dets + i * stride;
          areas[i] = (d[2] - d[0] + 1) * (d[3] - d[1] + 1);
        }
    }

  while (n_rest > 0)
    {
      gsize i = rest[0], kept = 0;
      const double *di = dets + i * stride;
      guint index = (guint) i;

      g_array_append_val (keep, index);
      for (gsize k = 1; k < n_rest; k++)
        {
          gsize j = rest[k];
          double ovr;

          if (nms == BM_DOTA_MERGE_POLY)
            {
              if (certainly_apart (&extents[i], &extents[j], thresh))
                {
                  rest[kept++] = j;
                  continue;
                }
              ovr = bm_eval_poly_iou (di, dets + j * stride);
              computed++;
            }
          else
            ovr = rect_overlap (di, dets + j * stride, areas[i], areas[j]);
          /* NaN is not <= anything: such a detection goes, as in NumPy's np.where. */
          if (ovr <= thresh)
            rest[kept++] = j;
        }
      n_rest = kept;
    }
  if (n_iou != NULL)
    *n_iou += computed;
  return keep;
}
