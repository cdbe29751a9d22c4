/* bm-eval-numpy.c: NumPy 1.24's argsort, sum and threshold arrays, written from their
 * documented algorithms (see ../shared/testdata/eval/npy_aquicksort.py and npy_pairwise_sum.py
 * for the behaviour they must match).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "bm-eval-numpy.h"

/* Partitions of at most this many + 1 elements are insertion-sorted. */
#define SMALL_PARTITION 15
#define STACK_SIZE      128

static void
swap_index (guint *a, guint *b)
{
  guint t = *a;

  *a = *b;
  *b = t;
}

/* Heapsort of order[0..n-1] by values, as NumPy falls back to when the partitions go too
 * deep. 1-based heap indices, as the algorithm is written. */
static void
heapsort_indices (const double *v, guint *order, gsize n)
{
  guint *a = order - 1;
  gsize i, j, l;
  guint tmp;

  for (l = n >> 1; l > 0; l--)
    {
      tmp = a[l];
      for (i = l, j = l << 1; j <= n;)
        {
          if (j < n && bm_np_less (v[a[j]], v[a[j + 1]]))
            j++;
          if (!bm_np_less (v[tmp], v[a[j]]))
            break;
          a[i] = a[j];
          i = j;
          j += j;
        }
      a[i] = tmp;
    }
  while (n > 1)
    {
      tmp = a[n];
      a[n] = a[1];
      n--;
      for (i = 1, j = 2; j <= n;)
        {
          if (j < n && bm_np_less (v[a[j]], v[a[j + 1]]))
            j++;
          if (!bm_np_less (v[tmp], v[a[j]]))
            break;
          a[i] = a[j];
          i = j;
          j += j;
        }
      a[i] = tmp;
    }
}

static int
floor_log2 (gsize n)
{
  int depth = 0;

  while (n >>= 1)
    depth++;
  return depth;
}

void
bm_np_argsort_quick (const double *v, guint n, guint *order)
{
  guint *stack[STACK_SIZE];
  int depth_stack[STACK_SIZE];
  guint **top = stack;
  int *depth_top = depth_stack;
  guint *pl, *pr;
  int depth;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  if (n <= 1)
    return;

  pl = order;
  pr = order + n - 1;
  depth = floor_log2 (n) * 2;
  for (;;)
    {
      if (depth < 0)
        heapsort_indices (v, pl, (gsize) (pr - pl + 1));
      else
        {
          while (pr - pl > SMALL_PARTITION)
            {
              guint *pm = pl + ((pr - pl) >> 1);
              guint *pi, *pj;
              double pivot;

              /* median of three, left in the middle, then parked at pr - 1 */
              if (bm_np_less (v[*pm], v[*pl]))
                swap_index (pm, pl);
              if (bm_np_less (v[*pr], v[*pm]))
                swap_index (pr, pm);
              if (bm_np_less (v[*pm], v[*pl]))
                swap_index (pm, pl);
              pivot = v[*pm];
              pi = pl;
              pj = pr - 1;
              swap_index (pm, pj);
              for (;;)
                {
                  do
                    pi++;
                  while (bm_np_less (v[*pi], pivot));
                  do
                    pj--;
                  while (bm_np_less (pivot, v[*pj]));
                  if (pi >= pj)
                    break;
                  swap_index (pi, pj);
                }
              swap_index (pi, pr - 1);
              /* the larger side waits on the stack, the smaller is sorted next */
              if (pi - pl < pr - pi)
                {
                  *top++ = pi + 1;
                  *top++ = pr;
                  pr = pi - 1;
                }
              else
                {
                  *top++ = pl;
                  *top++ = pi - 1;
                  pl = pi + 1;
                }
              *depth_top++ = --depth;
            }

          for (guint *pi = pl + 1; pi <= pr; pi++)
            {
              guint vi = *pi;
              double key = v[vi];
              guint *pj = pi;

              while (pj > pl && bm_np_less (key, v[*(pj - 1)]))
                {
                  *pj = *(pj - 1);
                  pj--;
                }
              *pj = vi;
            }
        }

      if (top == stack)
        break;
      pr = *--top;
      pl = *--top;
      depth = *--depth_top;
    }
}

/* Bottom-up merge sort: stable, so any stable algorithm gives NumPy's mergesort order. */
void
bm_np_argsort_stable (const double *v, guint n, guint *order)
{
  g_autofree guint *buffer = g_new (guint, MAX (n, 1));
  guint *from = order, *to = buffer;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint width = 1; width < n; width *= 2)
    {
      for (guint lo = 0; lo < n; lo += 2 * width)
        {
          guint mid = MIN (lo + width, n), hi = MIN (lo + 2 * width, n);
          guint a = lo, b = mid, k = lo;

          while (a < mid && b < hi)
            to[k++] = bm_np_less (v[from[b]], v[from[a]]) ? from[b++] : from[a++];
          while (a < mid)
            to[k++] = from[a++];
          while (b < hi)
            to[k++] = from[b++];
        }
      guint *t = from;
      from = to;
      to = t;
    }
  if (from != order)
    memcpy (order, from, n * sizeof (guint));
}

#define PAIRWISE_BLOCK 128
#define REDUCE_BUFFER  8192

static double
pairwise_sum (const double *a, gsize n)
{
  if (n < 8)
    {
      double res = 0.;

      for (gsize i = 0; i < n; i++)
        res += a[i];
      return res;
    }
  if (n <= PAIRWISE_BLOCK)
    {
      double r[8];
      double res;
      gsize i;

      for (int j = 0; j < 8; j++)
        r[j] = a[j];
      for (i = 8; i < n - (n % 8); i += 8)
        for (int j = 0; j < 8; j++)
          r[j] += a[i + j];
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++)
        res += a[i];
      return res;
    }
  else
    {
      gsize n2 = n / 2;

      n2 -= n2 % 8;
      return pairwise_sum (a, n2) + pairwise_sum (a + n2, n - n2);
    }
}

double
bm_np_sum (const double *values, gsize n)
{
  double total = 0.;

  /* NumPy reduces a long array buffer by buffer and adds the buffers' sums in order. */
  for (gsize start = 0; start < n; start += REDUCE_BUFFER)
    {
      double part = pairwise_sum (values + start, MIN ((gsize) REDUCE_BUFFER, n - start));

      total = start == 0 ? part : total + part;
    }
  return total;
}

double
bm_np_mean (const double *values, gsize n)
{
  return bm_np_sum (values, n) / (double) n;
}

void
bm_np_voc07_thresholds (double thresholds[11])
{
  /* np.arange fills start + i * step; start is 0 */
  for (int i = 0; i < 11; i++)
    thresholds[i] = i * 0.1;
}

void
bm_np_linspace (double start, double stop, guint num, double *out)
{
  double step;

  if (num == 0)
    return;
  if (num == 1)
    {
      out[0] = start;
      return;
    }
  step = (stop - start) / (double) (num - 1);
  for (guint i = 0; i < num; i++)
    out[i] = (double) i * step + start;
  out[num - 1] = stop;
}
