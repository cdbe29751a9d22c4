/* bm-detector-group.c: OpenCV's groupRectangles(rects, minNeighbors, 0.2) and clipObjects.
 *
 * Windows are clustered as connected components of the "similar" relation, each cluster is
 * averaged with float arithmetic and round-half-even, clusters with too few members are dropped,
 * and so is a cluster lying inside a bigger, better supported one.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "bm-detector-private.h"

#define GROUP_EPS 0.2

static gboolean
similar (const BmDetection *a, const BmDetection *b)
{
  double delta = GROUP_EPS * (MIN (a->width, b->width) + MIN (a->height, b->height)) * 0.5;

  return abs (a->x - b->x) <= delta && abs (a->y - b->y) <= delta
         && abs (a->x + a->width - b->x - b->width) <= delta
         && abs (a->y + a->height - b->y - b->height) <= delta;
}

static int
find_root (int *parent, int i)
{
  int root = i;

  while (parent[root] != root)
    root = parent[root];
  while (parent[i] != root)
    {
      int next = parent[i];
      parent[i] = root;
      i = next;
    }
  return root;
}

/* Class of every rect, numbered 0, 1, ... in order of first appearance. */
static int
partition (const BmDetection *r, int n, int *labels)
{
  g_autofree int *parent = g_new (int, n);
  g_autofree int *class_of_root = g_new (int, n);
  int n_classes = 0;

  for (int i = 0; i < n; i++)
    parent[i] = i;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (similar (&r[i], &r[j]))
        {
          int a = find_root (parent, i), b = find_root (parent, j);
          if (a != b)
            parent[MAX (a, b)] = MIN (a, b);
        }
  for (int i = 0; i < n; i++)
    class_of_root[i] = -1;
  for (int i = 0; i < n; i++)
    {
      int root = find_root (parent, i);
      if (class_of_root[root] < 0)
        class_of_root[root] = n_classes++;
      labels[i] = class_of_root[root];
    }
  return n_classes;
}

static int
round_float (float value)
{
  return (int) nearbyintf (value);
}

static gboolean
nested_in_better (const BmDetection *avg, int i, int n_classes, int min_neighbors)
{
  const BmDetection *r1 = &avg[i];

  for (int j = 0; j < n_classes; j++)
    {
      const BmDetection *r2 = &avg[j];
      int dx, dy;

      if (j == i || r2->neighbors <= min_neighbors)
        continue;
      dx = (int) nearbyint (r2->width * GROUP_EPS);
      dy = (int) nearbyint (r2->height * GROUP_EPS);
      if (r1->x >= r2->x - dx && r1->y >= r2->y - dy
          && r1->x + r1->width <= r2->x + r2->width + dx
          && r1->y + r1->height <= r2->y + r2->height + dy
          && (r2->neighbors > MAX (3, r1->neighbors) || r1->neighbors < 3))
        return TRUE;
    }
  return FALSE;
}

static GArray *
group (GArray *rects, int min_neighbors)
{
  const BmDetection *r = (const BmDetection *) rects->data;
  int n = (int) rects->len;
  g_autofree int *labels = g_new (int, MAX (n, 1));
  int n_classes = partition (r, n, labels);
  g_autofree gint64 *sums = g_new0 (gint64, 4 * (gsize) MAX (n_classes, 1));
  g_autofree BmDetection *avg = g_new0 (BmDetection, MAX (n_classes, 1));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BmDetection));

  for (int i = 0; i < n; i++)
    {
      gint64 *s = &sums[4 * labels[i]];
      s[0] += r[i].x;
      s[1] += r[i].y;
      s[2] += r[i].width;
      s[3] += r[i].height;
      avg[labels[i]].neighbors++;
    }
  for (int c = 0; c < n_classes; c++)
    {
      const gint64 *s = &sums[4 * c];
      float scale = 1.f / (float) avg[c].neighbors;

      avg[c].x = round_float ((float) s[0] * scale);
      avg[c].y = round_float ((float) s[1] * scale);
      avg[c].width = round_float ((float) s[2] * scale);
      avg[c].height = round_float ((float) s[3] * scale);
    }
  for (int c = 0; c < n_classes; c++)
    if (avg[c].neighbors > min_neighbors && !nested_in_better (avg, c, n_classes, min_neighbors))
      g_array_append_val (out, avg[c]);
  return out;
}

static GArray *
clip (GArray *rects, int image_width, int image_height)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (BmDetection), rects->len);

  for (guint i = 0; i < rects->len; i++)
    {
      BmDetection d = g_array_index (rects, BmDetection, i);
      int x1 = MAX (d.x, 0), y1 = MAX (d.y, 0);
      int x2 = MIN (d.x + d.width, image_width), y2 = MIN (d.y + d.height, image_height);

      if (x2 > x1 && y2 > y1)
        {
          d.x = x1;
          d.y = y1;
          d.width = x2 - x1;
          d.height = y2 - y1;
          g_array_append_val (out, d);
        }
    }
  return out;
}

GArray *
bm_detector_group (GArray *rects, int min_neighbors, int image_width, int image_height)
{
  g_autoptr(GArray) grouped = NULL;

  if (min_neighbors <= 0 || rects->len == 0)
    {
      grouped = g_array_sized_new (FALSE, FALSE, sizeof (BmDetection), rects->len);
      for (guint i = 0; i < rects->len; i++)
        {
          BmDetection d = g_array_index (rects, BmDetection, i);
          d.neighbors = 1;
          g_array_append_val (grouped, d);
        }
    }
  else
    grouped = group (rects, min_neighbors);
  return clip (grouped, image_width, image_height);
}
