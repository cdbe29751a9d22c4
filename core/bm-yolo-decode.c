/* bm-yolo-decode.c: Ultralytics' pre- and post-processing of YOLO models, in C.
 *
 * Written from Ultralytics' conventions (LetterBox in ultralytics/data/augment.py,
 * non_max_suppression and TorchNMS.fast_nms in ultralytics/utils/nms.py, batch_probiou in
 * ultralytics/utils/metrics.py, scale_boxes, clip_boxes and regularize_rboxes in
 * ultralytics/utils/ops.py; YOLOv5's utils/general.py), not from their code. Where PyTorch
 * computes in float32, so does this file — the same operations in the same order — so that a
 * tie or a threshold falls the same way; probiou alone is computed in double (its log, exp and
 * sqrt are not PyTorch's anyway).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bm-yolo-decode.h"

#define MAX_NMS 30000      /* Ultralytics' max_nms: candidates kept for NMS, best first */
#define MAX_WH 7680.0f     /* Ultralytics' class offset for class-aware NMS (max_wh) */

/* Python's round(): half to even, which rint() does in the default rounding mode. */
static int
round_half_even (double value)
{
  return (int) rint (value);
}

void
bm_letterbox_init (BmLetterbox *lb, int src_width, int src_height, int width, int height)
{
  double dw, dh;

  g_return_if_fail (lb != NULL);
  g_return_if_fail (src_width > 0 && src_height > 0 && width > 0 && height > 0);

  lb->src_width = src_width;
  lb->src_height = src_height;
  lb->width = width;
  lb->height = height;
  lb->gain = MIN ((double) height / src_height, (double) width / src_width);
  /* Ultralytics would ask cv2.resize for a size of 0 (and fail) for an image more than
   * 2 × input size times longer than wide; one pixel is the nearest that works. */
  lb->resized_width = CLAMP (round_half_even (src_width * lb->gain), 1, width);
  lb->resized_height = CLAMP (round_half_even (src_height * lb->gain), 1, height);
  dw = (width - lb->resized_width) / 2.0;
  dh = (height - lb->resized_height) / 2.0;
  lb->top = round_half_even (dh - 0.1);
  lb->bottom = round_half_even (dh + 0.1);
  lb->left = round_half_even (dw - 0.1);
  lb->right = round_half_even (dw + 0.1);
}

void
bm_letterbox_fill (const BmLetterbox *lb, const guint8 *resized, int stride, float *tensor)
{
  const gsize plane = (gsize) lb->width * (gsize) lb->height;
  const float pad = 114.0f / 255.0f;
  float lut[256];

  g_return_if_fail (lb != NULL && resized != NULL && tensor != NULL);

  /* uint8 → float32, then / 255 in float32: the division is correctly rounded, so a table of
   * the 256 quotients is exact. */
  for (int v = 0; v < 256; v++)
    lut[v] = (float) v / 255.0f;
  for (gsize i = 0; i < 3 * plane; i++)
    tensor[i] = pad;
  for (int y = 0; y < lb->resized_height; y++)
    {
      const guint8 *row = resized + (gsize) y * (gsize) stride;
      gsize at = (gsize) (y + lb->top) * (gsize) lb->width + (gsize) lb->left;
      float *r = tensor + at, *g = tensor + plane + at, *b = tensor + 2 * plane + at;

      for (int x = 0; x < lb->resized_width; x++)
        {
          r[x] = lut[row[3 * x]];
          g[x] = lut[row[3 * x + 1]];
          b[x] = lut[row[3 * x + 2]];
        }
    }
}

void
bm_yolo_params_init (BmYoloParams *params)
{
  g_return_if_fail (params != NULL);

  params->conf = 0.25;
  params->iou = 0.7;
  params->max_det = 300;
}

int
bm_yolo_count_anchors (int width, int height, int max_stride)
{
  int n = 0;

  g_return_val_if_fail (width > 0 && height > 0 && max_stride >= 8, 0);

  for (int s = 8; s <= max_stride; s *= 2)
    n += ((width + s - 1) / s) * ((height + s - 1) / s);
  return n;
}

/* ---- candidates --------------------------------------------------------------------------- */

typedef struct
{
  float b[4];      /* x1, y1, x2, y2 (detect) or cx, cy, w, h (OBB), letterboxed pixels */
  float angle;
  float score;
  int class_id;
  int anchor;
} Candidate;

/* Highest score first; equal scores keep their anchor order, as a stable sort would. */
static int
compare_candidates (const void *pa, const void *pb)
{
  const Candidate *a = pa, *b = pb;

  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return (a->anchor > b->anchor) - (a->anchor < b->anchor);
}

/* xywh → xyxy as ops.xywh2xyxy does it in float32: the half size first. */
static void
set_box (Candidate *c, float cx, float cy, float w, float h, gboolean xyxy)
{
  if (xyxy)
    {
      float hw = w / 2.0f, hh = h / 2.0f;

      c->b[0] = cx - hw;
      c->b[1] = cy - hh;
      c->b[2] = cx + hw;
      c->b[3] = cy + hh;
    }
  else
    {
      c->b[0] = cx;
      c->b[1] = cy;
      c->b[2] = w;
      c->b[3] = h;
    }
}

/* [1, 4+nc(+1), N]: one column per anchor. The best class (the first of equal scores) must
 * score above conf; NaN never does. */
static GArray *
candidates_v8 (const float *out, int nc, int n, gboolean obb, float conf)
{
  GArray *cands = g_array_new (FALSE, FALSE, sizeof (Candidate));

  for (int a = 0; a < n; a++)
    {
      float best = out[(gsize) 4 * n + a];
      int best_class = 0;
      Candidate c;

      for (int k = 1; k < nc; k++)
        {
          float v = out[(gsize) (4 + k) * n + a];

          if (v > best)
            best = v, best_class = k;
        }
      if (!(best > conf))
        continue;
      set_box (&c, out[a], out[(gsize) n + a], out[(gsize) 2 * n + a], out[(gsize) 3 * n + a], !obb);
      c.angle = obb ? out[(gsize) (4 + nc) * n + a] : 0.0f;
      c.score = best;
      c.class_id = best_class;
      c.anchor = a;
      g_array_append_val (cands, c);
    }
  return cands;
}

/* [1, N, 5+nc]: one row per anchor box; objectness above conf first, then obj × class. */
static GArray *
candidates_v5 (const float *out, int nc, int n, float conf)
{
  GArray *cands = g_array_new (FALSE, FALSE, sizeof (Candidate));
  const int row_length = 5 + nc;

  for (int a = 0; a < n; a++)
    {
      const float *row = out + (gsize) a * (gsize) row_length;
      float obj = row[4], best;
      int best_class = 0;
      Candidate c;

      if (!(obj > conf))
        continue;
      best = row[5] * obj;
      for (int k = 1; k < nc; k++)
        {
          float v = row[5 + k] * obj;

          if (v > best)
            best = v, best_class = k;
        }
      if (!(best > conf))
        continue;
      set_box (&c, row[0], row[1], row[2], row[3], TRUE);
      c.angle = 0.0f;
      c.score = best;
      c.class_id = best_class;
      c.anchor = a;
      g_array_append_val (cands, c);
    }
  return cands;
}

/* ---- NMS ---------------------------------------------------------------------------------- */

/* torchvision.ops.nms on the CPU, on boxes moved apart by class · 7680: greedy, best first, a
 * box is dropped when its IoU with a kept box is above @iou; all in float32 like the kernel.
 * @cands is sorted. Returns the kept indices, at most @max_det (later ones cannot change
 * earlier ones). */
static GArray *
nms_boxes (const Candidate *cands, guint n, double iou, int max_det)
{
  GArray *keep = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree float *boxes = g_new (float, 4 * (gsize) MAX (n, 1));
  g_autofree float *areas = g_new (float, MAX (n, 1));
  g_autofree guint8 *suppressed = g_new0 (guint8, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      float offset = (float) cands[i].class_id * MAX_WH;

      for (int k = 0; k < 4; k++)
        boxes[4 * i + k] = cands[i].b[k] + offset;
      areas[i] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
    }
  for (guint i = 0; i < n && (int) keep->len < max_det; i++)
    {
      const float *bi = boxes + 4 * i;

      if (suppressed[i])
        continue;
      g_array_append_val (keep, i);
      for (guint j = i + 1; j < n; j++)
        {
          const float *bj = boxes + 4 * j;
          float w, h, inter, overlap;

          if (suppressed[j])
            continue;
          w = fmaxf (0.0f, fminf (bi[2], bj[2]) - fmaxf (bi[0], bj[0]));
          h = fmaxf (0.0f, fminf (bi[3], bj[3]) - fmaxf (bi[1], bj[1]));
          inter = w * h;
          overlap = inter / (areas[i] + areas[j] - inter);
          if ((double) overlap > iou)
            suppressed[j] = 1;
        }
    }
  return keep;
}

/* A rotated box as the Gaussian batch_probiou compares: its centre and the covariance
 * (a, b, c) of _get_covariance_matrix, a w × h box turned by r. */
typedef struct
{
  double x, y;
  double a, b, c;
  double det;       /* a·b − c², never below 0 (clamped as Ultralytics clamps it) */
} Gaussian;

static void
gaussian_of (const double box[5], Gaussian *g)
{
  double ga = box[2] * box[2] / 12.0, gb = box[3] * box[3] / 12.0;
  double cs = cos (box[4]), sn = sin (box[4]);

  g->x = box[0];
  g->y = box[1];
  g->a = ga * cs * cs + gb * sn * sn;
  g->b = ga * sn * sn + gb * cs * cs;
  g->c = (ga - gb) * cs * sn;
  g->det = MAX (g->a * g->b - g->c * g->c, 0.0);
}

static double
probiou (const Gaussian *p, const Gaussian *q)
{
  const double eps = 1e-7;
  double a = p->a + q->a, b = p->b + q->b, c = p->c + q->c;
  double det = a * b - c * c;
  double dx = p->x - q->x, dy = p->y - q->y;
  double t1 = (a * dy * dy + b * dx * dx) / (det + eps) * 0.25;
  double t2 = (c * (q->x - p->x) * dy) / (det + eps) * 0.5;
  double t3 = log (det / (4.0 * sqrt (p->det * q->det) + eps) + eps) * 0.5;
  double bd = CLAMP (t1 + t2 + t3, eps, 100.0);

  return 1.0 - sqrt (1.0 - exp (-bd) + eps);
}

double
bm_yolo_probiou (const double p[5], const double q[5])
{
  Gaussian gp, gq;

  gaussian_of (p, &gp);
  gaussian_of (q, &gq);
  return probiou (&gp, &gq);
}

/* A Bhattacharyya distance beyond which probiou stays below @iou (with room to spare), or
 * INFINITY when none is: probiou ≥ iou needs 1 − e^−bd ≤ (1 − iou)². */
static double
distance_limit (double iou)
{
  double hd = 1.0 - iou;

  if (iou <= 0.0 || hd * hd >= 1.0)
    return INFINITY;
  return -2.0 * log (1.0 - hd * hd) + 1.0;
}

/* TRUE when @p and @q are too far apart for probiou to reach the iou of @limit: the distance
 * part of the Bhattacharyya distance, ¼ Δᵀ(Σp+Σq)⁻¹Δ, is at least ¼ |Δ|² / trace(Σp+Σq), and
 * the rest of it is not negative. Only where det(Σp+Σq) is far above Ultralytics' eps of 1e-7,
 * which otherwise dominates (tiny boxes then overlap wherever they are). */
static gboolean
too_far (const Gaussian *p, const Gaussian *q, double limit)
{
  double a = p->a + q->a, b = p->b + q->b, c = p->c + q->c;
  double dx = p->x - q->x, dy = p->y - q->y;

  return isfinite (limit) && a * b - c * c >= 1.0 && 0.25 * (dx * dx + dy * dy) > limit * (a + b);
}

/* TorchNMS.fast_nms with batch_probiou: box j (best first) is dropped when any better box —
 * kept or itself dropped — has probiou ≥ @iou with it. Centres are moved apart by
 * class · 7680 as Ultralytics does. */
static GArray *
nms_rotated (const Candidate *cands, guint n, double iou, int max_det)
{
  GArray *keep = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree Gaussian *gauss = g_new (Gaussian, MAX (n, 1));
  double limit = distance_limit (iou);

  for (guint i = 0; i < n; i++)
    {
      float offset = (float) cands[i].class_id * MAX_WH;
      double box[5] = { cands[i].b[0] + offset, cands[i].b[1] + offset, cands[i].b[2], cands[i].b[3],
                        cands[i].angle };

      gaussian_of (box, &gauss[i]);
    }
  for (guint j = 0; j < n && (int) keep->len < max_det; j++)
    {
      gboolean dropped = FALSE;

      for (guint i = 0; i < j && !dropped; i++)
        if (!too_far (&gauss[i], &gauss[j], limit))
          dropped = probiou (&gauss[i], &gauss[j]) >= iou;
      if (!dropped)
        g_array_append_val (keep, j);
    }
  return keep;
}

/* ---- back to the image -------------------------------------------------------------------- */

/* Python's float % as torch.remainder computes it in float32: the sign of the divisor. */
static float
remainder_f (float a, float b)
{
  float mod = fmodf (a, b);

  if (mod != 0.0f && ((b < 0.0f) != (mod < 0.0f)))
    mod += b;
  return mod;
}

static void
scale_detect (const Candidate *c, const BmLetterbox *lb, gboolean v5, BmYoloDetection *d)
{
  const float gain = (float) lb->gain;
  float pad_x, pad_y;

  if (v5)
    {
      /* YOLOv5's scale_boxes: the padding unrounded */
      pad_x = (float) ((lb->width - lb->src_width * lb->gain) / 2.0);
      pad_y = (float) ((lb->height - lb->src_height * lb->gain) / 2.0);
    }
  else
    {
      /* Ultralytics' scale_boxes: whole pixels, as the letterbox placed the image */
      pad_x = (float) round_half_even ((lb->width - round_half_even (lb->src_width * lb->gain)) / 2.0 - 0.1);
      pad_y = (float) round_half_even ((lb->height - round_half_even (lb->src_height * lb->gain)) / 2.0 - 0.1);
    }
  for (int k = 0; k < 4; k++)
    {
      float v = (c->b[k] - (k % 2 == 0 ? pad_x : pad_y)) / gain;
      float limit = (float) (k % 2 == 0 ? lb->src_width : lb->src_height);

      d->box[k] = fminf (fmaxf (v, 0.0f), limit);
    }
  d->box[4] = 0.0;
}

static void
scale_obb (const Candidate *c, const BmLetterbox *lb, BmYoloDetection *d)
{
  const float gain = (float) lb->gain;
  float pad_x = (float) round_half_even ((lb->width - round_half_even (lb->src_width * lb->gain)) / 2.0 - 0.1);
  float pad_y = (float) round_half_even ((lb->height - round_half_even (lb->src_height * lb->gain)) / 2.0 - 0.1);
  float w = c->b[2], h = c->b[3], t = c->angle;

  /* regularize_rboxes: swap the sides when the angle mod π is π/2 or more, then mod π/2 */
  if (remainder_f (t, (float) G_PI) >= (float) (G_PI / 2))
    {
      float swap = w;

      w = h;
      h = swap;
    }
  t = remainder_f (t, (float) (G_PI / 2));
  d->box[0] = (c->b[0] - pad_x) / gain;
  d->box[1] = (c->b[1] - pad_y) / gain;
  d->box[2] = w / gain;
  d->box[3] = h / gain;
  d->box[4] = t;
}

GArray *
bm_yolo_decode (const float *output, BmYoloLayout layout, int n_classes, int n_anchors, const BmLetterbox *lb,
                const BmYoloParams *params)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (BmYoloDetection));
  g_autoptr(GArray) cands = NULL;
  g_autoptr(GArray) keep = NULL;
  float conf;

  g_return_val_if_fail (output != NULL && lb != NULL && params != NULL, result);
  g_return_val_if_fail (n_classes > 0 && n_anchors > 0, result);

  /* PyTorch compares a float32 tensor with a Python float in float32. */
  conf = (float) params->conf;
  if (layout == BM_YOLO_LAYOUT_V5)
    cands = candidates_v5 (output, n_classes, n_anchors, conf);
  else
    cands = candidates_v8 (output, n_classes, n_anchors, layout == BM_YOLO_LAYOUT_OBB, conf);
  if (cands->len == 0 || params->max_det <= 0)
    return result;
  qsort (cands->data, cands->len, sizeof (Candidate), compare_candidates);
  if (cands->len > MAX_NMS)
    g_array_set_size (cands, MAX_NMS);

  if (layout == BM_YOLO_LAYOUT_OBB)
    keep = nms_rotated ((const Candidate *) cands->data, cands->len, params->iou, params->max_det);
  else
    keep = nms_boxes ((const Candidate *) cands->data, cands->len, params->iou, params->max_det);

  for (guint i = 0; i < keep->len; i++)
    {
      const Candidate *c = &g_array_index (cands, Candidate, g_array_index (keep, guint, i));
      BmYoloDetection d = { c->class_id, c->score, c->anchor, { 0 } };

      if (layout == BM_YOLO_LAYOUT_OBB)
        scale_obb (c, lb, &d);
      else
        scale_detect (c, lb, layout == BM_YOLO_LAYOUT_V5, &d);
      g_array_append_val (result, d);
    }
  return result;
}

void
bm_yolo_obb_corners (const double box[5], double xy[8])
{
  double cs = cos (box[4]), sn = sin (box[4]);
  double v1x = box[2] / 2 * cs, v1y = box[2] / 2 * sn;
  double v2x = -box[3] / 2 * sn, v2y = box[3] / 2 * cs;
  const double sign[4][2] = { { 1, 1 }, { 1, -1 }, { -1, -1 }, { -1, 1 } };

  for (int k = 0; k < 4; k++)
    {
      xy[2 * k] = box[0] + sign[k][0] * v1x + sign[k][1] * v2x;
      xy[2 * k + 1] = box[1] + sign[k][0] * v1y + sign[k][1] * v2y;
    }
}
