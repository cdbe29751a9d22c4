/* bm-detector.c: detectMultiScale — the scale list, the threads, mapping windows back to the
 * image, grouping.
 *
 * The scale list and per-scale sizes follow OpenCV 4.6 exactly (double accumulation of the
 * factor, float scales, float size arithmetic, round half to even), including the "stripe" row
 * limit that can leave out a scale's last row. Scales are scanned independently, each by one
 * thread, and their hits are concatenated in scale order, so the result never depends on the
 * number of threads.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-detector.h"
#include "bm-detector-private.h"

typedef struct
{
  float factor;
  int width;               /* the resized image */
  int height;
  int step;
  int y_end;
  double cost;             /* windows to try, for scheduling */
} Scale;

typedef struct
{
  const BmCascade *cascade;
  GCancellable *cancellable;
  const guint8 *pixels;
  int width;
  int height;
  int stride;
  Scale *scales;
  int n_scales;
  int *order;              /* scales, costliest first */
  GArray **hits;           /* per scale: (x, y) pairs */
  gint next;
} Job;

void
bm_detector_params_init (BmDetectorParams *params)
{
  g_return_if_fail (params != NULL);

  params->scale_factor = 1.1;
  params->min_neighbors = 3;
  params->min_width = 30;
  params->min_height = 30;
  params->max_width = 0;
  params->max_height = 0;
  params->n_threads = 0;
  params->cancellable = NULL;
}

void
bm_detector_to_gray (const guint8 *pixels, int width, int height, int stride, int channels,
                     guint8 *gray, int gray_stride)
{
  g_return_if_fail (channels >= 1 && channels <= 4);

  for (int y = 0; y < height; y++)
    {
      const guint8 *p = pixels + (gsize) y * stride;
      guint8 *out = gray + (gsize) y * gray_stride;

      if (channels < 3)
        for (int x = 0; x < width; x++)
          out[x] = p[x * channels];
      else
        for (int x = 0; x < width; x++, p += channels)
          out[x] = (guint8) ((3735u * p[2] + 19235u * p[1] + 9798u * p[0] + 16384u) >> 15);
    }
}

static int
round_float (float value)
{
  return (int) nearbyintf (value);
}

/* OpenCV's scale list: every factor whose window fits the image, then minSize/maxSize. */
static GArray *
make_scales (const BmCascade *c, int width, int height, const BmDetectorParams *p)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (float));
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (float));
  int max_w = p->max_width, max_h = p->max_height;

  if (max_w <= 0 || max_h <= 0)
    {
      max_w = width;
      max_h = height;
    }
  if (height < c->height || width < c->width)
    return kept;

  for (double f = 1.0;; f *= p->scale_factor)
    {
      float s = (float) f;

      if (nearbyint (c->width * f) > width || nearbyint (c->height * f) > height)
        break;
      g_array_append_val (all, s);
    }
  for (guint i = 0; i < all->len; i++)
    {
      float s = g_array_index (all, float, i);
      int ws = round_float ((float) c->width * s), hs = round_float ((float) c->height * s);

      if (ws > max_w || hs > max_h)
        break;
      if (ws < p->min_width || hs < p->min_height)
        continue;
      g_array_append_val (kept, s);
    }
  if (kept->len == 0 && all->len > 0)
    {
      /* No scale in range (minSize == maxSize off the grid): OpenCV takes the closest to minSize. */
      double best = G_MAXDOUBLE;
      float best_s = 1.f;

      for (guint i = 0; i < all->len; i++)
        {
          float s = g_array_index (all, float, i);
          double dw = (double) p->min_width - round_float ((float) c->width * s);
          double dh = (double) p->min_height - round_float ((float) c->height * s);

          if (dw * dw + dh * dh < best)
            {
              best = dw * dw + dh * dh;
              best_s = s;
            }
        }
      g_array_append_val (kept, best_s);
    }
  return kept;
}

static Scale *
make_scale_data (const BmCascade *c, GArray *factors, int width, int height)
{
  Scale *scales = g_new0 (Scale, MAX (factors->len, 1));
  int n_stripes = 1;

  for (guint i = 0; i < factors->len; i++)
    {
      Scale *s = &scales[i];
      int ww, wh, stripe;

      s->factor = g_array_index (factors, float, i);
      s->width = round_float ((float) width / s->factor);
      s->height = round_float ((float) height / s->factor);
      s->step = s->factor >= 2.f ? 1 : 2;
      ww = MAX (s->width + 1 - c->width, 0);
      wh = MAX (s->height + 1 - c->height, 0);
      if (i == 0)
        n_stripes = MAX ((int) ceil (ww / 32.0), 1);
      /* OpenCV scans rows in n_stripes bands of a whole number of steps; the bands can stop
       * short of the last row. */
      stripe = MAX ((wh / s->step + n_stripes - 1) / n_stripes, 1) * s->step;
      s->y_end = MIN (n_stripes * stripe, wh);
      s->cost = (double) (ww / s->step + 1) * (s->y_end / s->step + 1);
    }
  return scales;
}

static void
run_job (Job *job)
{
  BmScanBuffers *buffers = bm_scan_buffers_new ();
  int i;

  while ((i = g_atomic_int_add (&job->next, 1)) < job->n_scales && !g_cancellable_is_cancelled (job->cancellable))
    {
      const Scale *s = &job->scales[job->order[i]];

      bm_detector_scan_scale (job->cascade, buffers, job->pixels, job->width, job->height, job->stride,
                              s->width, s->height, s->step, s->y_end, job->cancellable,
                              job->hits[job->order[i]]);
    }
  bm_scan_buffers_free (buffers);
}

static gpointer
worker (gpointer data)
{
  run_job (data);
  return NULL;
}

static int
compare_cost (gconstpointer a, gconstpointer b, gpointer data)
{
  const Scale *scales = data;
  double ca = scales[*(const int *) a].cost, cb = scales[*(const int *) b].cost;

  return ca > cb ? -1 : ca < cb ? 1 : *(const int *) a - *(const int *) b;
}

static int
thread_count (const BmDetectorParams *params, int n_scales)
{
  int n = params->n_threads > 0 ? params->n_threads : (int) g_get_num_processors ();

  return CLAMP (n, 1, MAX (n_scales, 1));
}

static void
scan_all (Job *job, int n_threads)
{
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);

  for (int t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("bm-detector", worker, job);
  run_job (job);
  for (int t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

GArray *
bm_detector_detect_gray (const BmCascade *cascade, const guint8 *pixels, int width, int height,
                         int stride, const BmDetectorParams *params)
{
  g_autoptr(GArray) factors = NULL;
  g_autoptr(GArray) raw = NULL;
  g_autofree Scale *scales = NULL;
  g_autofree int *order = NULL;
  g_autofree GArray **hits = NULL;
  Job job = { 0 };

  g_return_val_if_fail (cascade != NULL, NULL);
  g_return_val_if_fail (params != NULL && params->scale_factor > 1.0, NULL);
  g_return_val_if_fail (width >= 0 && height >= 0 && stride >= width, NULL);
  g_return_val_if_fail (pixels != NULL || width == 0 || height == 0, NULL);

  factors = make_scales (cascade, width, height, params);
  scales = make_scale_data (cascade, factors, width, height);
  order = g_new (int, MAX (factors->len, 1));
  hits = g_new0 (GArray *, MAX (factors->len, 1));
  for (guint i = 0; i < factors->len; i++)
    {
      order[i] = (int) i;
      hits[i] = g_array_new (FALSE, FALSE, sizeof (int));
    }
  g_qsort_with_data (order, (int) factors->len, sizeof (int), compare_cost, scales);

  job = (Job) { cascade, params->cancellable, pixels, width, height, stride, scales, (int) factors->len, order, hits, 0 };
  if (factors->len > 0)
    scan_all (&job, thread_count (params, (int) factors->len));
  if (g_cancellable_is_cancelled (params->cancellable))
    {
      for (guint i = 0; i < factors->len; i++)
        g_array_unref (hits[i]);
      return NULL;
    }

  raw = g_array_new (FALSE, FALSE, sizeof (BmDetection));
  for (guint i = 0; i < factors->len; i++)
    {
      float s = scales[i].factor;
      BmDetection d = { 0, 0, round_float ((float) cascade->width * s), round_float ((float) cascade->height * s), 1 };

      for (guint k = 0; k + 1 < hits[i]->len; k += 2)
        {
          d.x = round_float ((float) g_array_index (hits[i], int, k) * s);
          d.y = round_float ((float) g_array_index (hits[i], int, k + 1) * s);
          g_array_append_val (raw, d);
        }
      g_array_unref (hits[i]);
    }
  return bm_detector_group (raw, params->min_neighbors, width, height);
}

GArray *
bm_detector_detect (const BmCascade *cascade, const BmImage *image, const BmDetectorParams *params)
{
  g_autofree guint8 *gray = NULL;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (image->channels >= 1 && image->channels <= 4, NULL);

  if (image->channels == 1)
    return bm_detector_detect_gray (cascade, image->data, image->width, image->height, image->stride, params);
  gray = g_malloc ((gsize) MAX (image->width, 1) * MAX (image->height, 1));
  bm_detector_to_gray (image->data, image->width, image->height, image->stride, image->channels,
                       gray, image->width);
  return bm_detector_detect_gray (cascade, gray, image->width, image->height, image->width, params);
}
