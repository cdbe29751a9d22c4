/* bm-dota-split-labels.c: ImgSplit's savepatches, one tile at a time.
 *
 * ImgSplit intersects each object with the tile through shapely, that is GEOS, and the shape of
 * what comes back decides what it writes: how many corners (and so whether a 5-gon is reduced,
 * or the part dropped), which corner comes first (and so which rotation best fits the object),
 * the last bits of a crossing point (and so int() of it). The same GEOS (Debian's libgeos,
 * the library shapely itself calls) computes it here, through its C API, so that every tile
 * gets ImgSplit's bytes. The rest is ImgSplit's arithmetic in doubles: NumPy's sums of eight
 * squares pairwise, first-minimum argsorts, int() truncation.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <geos_c.h>
#include <glib/gi18n.h>

#include "core/bm-float-repr.h"
#include "bm-dota-split-private.h"

/* ---- GEOS, one context per thread --------------------------------------------------------------- */

typedef struct
{
  GEOSContextHandle_t handle;
  char message[256];
} Geos;

static void
geos_free (gpointer data)
{
  Geos *geos = data;

  GEOS_finish_r (geos->handle);
  g_free (geos);
}

static GPrivate geos_private = G_PRIVATE_INIT (geos_free);

static void
geos_on_message (const char *message, void *user_data)
{
  Geos *geos = user_data;

  g_strlcpy (geos->message, message, sizeof geos->message);
}

static Geos *
geos_get (void)
{
  Geos *geos = g_private_get (&geos_private);

  if (geos == NULL)
    {
      geos = g_new0 (Geos, 1);
      geos->handle = GEOS_init_r ();
      GEOSContext_setErrorMessageHandler_r (geos->handle, geos_on_message, geos);
      GEOSContext_setNoticeMessageHandler_r (geos->handle, NULL, NULL);
      g_private_set (&geos_private, geos);
    }
  return geos;
}

/* shapely.geometry.Polygon(points): a ring closed by repeating the first point. */
static GEOSGeometry *
make_polygon (Geos *geos, const double *xy, int n)
{
  GEOSCoordSequence *seq = GEOSCoordSeq_create_r (geos->handle, (unsigned) n + 1, 2);
  GEOSGeometry *ring;

  if (seq == NULL)
    return NULL;
  for (int i = 0; i <= n; i++)
    GEOSCoordSeq_setXY_r (geos->handle, seq, (unsigned) i, xy[(i % n) * 2], xy[(i % n) * 2 + 1]);
  ring = GEOSGeom_createLinearRing_r (geos->handle, seq);
  if (ring == NULL)
    return NULL;
  return GEOSGeom_createPolygon_r (geos->handle, ring, NULL, 0);
}

static double
geos_area (Geos *geos, const GEOSGeometry *g)
{
  double area = 0;

  GEOSArea_r (geos->handle, g, &area);
  return area;
}

gboolean
bm_split_object_init (BmSplitObject *object)
{
  Geos *geos = geos_get ();
  GEOSGeometry *polygon = make_polygon (geos, object->poly, 4);

  object->x1 = object->x2 = object->poly[0];
  object->y1 = object->y2 = object->poly[1];
  for (int k = 1; k < 4; k++)
    {
      object->x1 = MIN (object->x1, object->poly[2 * k]);
      object->x2 = MAX (object->x2, object->poly[2 * k]);
      object->y1 = MIN (object->y1, object->poly[2 * k + 1]);
      object->y2 = MAX (object->y2, object->poly[2 * k + 1]);
    }
  if (polygon == NULL)
    {
      object->area = 0;
      return FALSE;
    }
  object->area = geos_area (geos, polygon);
  GEOSGeom_destroy_r (geos->handle, polygon);
  return TRUE;
}

/* ---- ImgSplit's arithmetic ---------------------------------------------------------------------- */

/* NumPy's np.sum of 8 float64: eight partial sums combined pairwise. */
static double
npy_sum8 (const double *d)
{
  return ((d[0] + d[1]) + (d[2] + d[3])) + ((d[4] + d[5]) + (d[6] + d[7]));
}

/* choose_best_pointorder_fit_another: the rotation of @poly (4 points) nearest @target,
 * by summed squared distances; the first of equal ones (argsort of 4 is an insertion sort). */
static void
best_rotation (const double *poly, const double *target, double *out)
{
  double best = 0;
  int best_k = 0;

  for (int k = 0; k < 4; k++)
    {
      double d[8];
      double sum;

      for (int i = 0; i < 8; i++)
        {
          double v = poly[(2 * k + i) % 8] - target[i];
          d[i] = v * v;
        }
      sum = npy_sum8 (d);
      if (k == 0 || sum < best)
        {
          best = sum;
          best_k = k;
        }
    }
  for (int i = 0; i < 8; i++)
    out[i] = poly[(2 * best_k + i) % 8];
}

/* GetPoly4FromPoly5: the shortest side (the first of equal ones) replaced by its midpoint. */
static void
poly4_from_poly5 (const double *poly, double *out)
{
  double lengths[5];
  int shortest = 0, n = 0;

  for (int i = 0; i < 5; i++)
    {
      int j = (i + 1) % 5;
      double dx = poly[i * 2] - poly[j * 2], dy = poly[i * 2 + 1] - poly[j * 2 + 1];

      lengths[i] = sqrt (dx * dx + dy * dy);
    }
  for (int i = 1; i < 5; i++)
    if (lengths[i] < lengths[shortest])
      shortest = i;
  for (int count = 0; count < 5; count++)
    {
      if (count == shortest)
        {
          out[n++] = (poly[count * 2] + poly[(count * 2 + 2) % 10]) / 2;
          out[n++] = (poly[(count * 2 + 1) % 10] + poly[(count * 2 + 3) % 10]) / 2;
        }
      else if (count == (shortest + 1) % 5)
        continue;
      else
        {
          out[n++] = poly[count * 2];
          out[n++] = poly[count * 2 + 1];
        }
    }
}

/* shapely.algorithms.cga.signed_area of a closed ring of @n points (the last = the first). */
static double
shapely_signed_area (const double *x, const double *y, int n)
{
  double sum = 0;

  /* xs.append(xs[1]); sum(xs[i] * (ys[i+1] - ys[i-1]) for i in 1 … n-1) / 2 */
  for (int i = 1; i < n; i++)
    {
      double next_y = i + 1 < n ? y[i + 1] : y[1];
      sum += x[i] * (next_y - y[i - 1]);
    }
  return sum / 2.0;
}

/* Python's float(int(v)): truncated toward zero, and never -0.0. */
static inline double
py_int (double v)
{
  return trunc (v) + 0.0;
}

static void
append_number (GString *out, double value)
{
  char text[BM_FLOAT_REPR_SIZE];

  g_string_append_len (out, text, bm_float_repr (value, text));
  g_string_append_c (out, ' ');
}

static void
append_line (GString *out, const double *xy, const BmSplitObject *object, int difficult)
{
  for (int i = 0; i < 8; i++)
    append_number (out, xy[i]);
  g_string_append (out, object->label);
  g_string_append_printf (out, " %d\n", difficult);
}

static void
note (GPtrArray *notes, const char *format, ...)
{
  va_list args;

  if (notes == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* The corners of the part of @object inside @tile, oriented as ImgSplit orients them, or -1
 * (and a note) when ImgSplit would stop. Returns the number of corners (without the closing
 * one) and the part's area through @area. */
static int
intersect (Geos *geos, const BmSplitObject *object, const GEOSGeometry *tile, double *xy,
           int max_corners, double *area, GPtrArray *notes, BmSplitCounts *counts)
{
  GEOSGeometry *polygon = make_polygon (geos, object->poly, 4);
  GEOSGeometry *part = polygon != NULL ? GEOSIntersection_r (geos->handle, polygon, tile) : NULL;
  const GEOSCoordSequence *seq;
  unsigned size = 0;
  int n = -1;

  if (polygon != NULL)
    GEOSGeom_destroy_r (geos->handle, polygon);
  if (part == NULL)
    {
      counts->n_unsplittable++;
      note (notes, _("object %u (%s): GEOS cannot intersect it with the tile (%s); left out of this tile"),
            object->number, object->label, geos->message);
      return -1;
    }
  *area = geos_area (geos, part);
  if (!(*area > 0))
    {
      GEOSGeom_destroy_r (geos->handle, part);
      return 0;
    }
  if (GEOSGeomTypeId_r (geos->handle, part) != GEOS_POLYGON)
    {
      counts->n_unsplittable++;
      note (notes, _("object %u (%s): the tile cuts it into several pieces; left out of this tile "
                     "(ImgSplit stops with an error here)"), object->number, object->label);
      GEOSGeom_destroy_r (geos->handle, part);
      return -1;
    }
  seq = GEOSGeom_getCoordSeq_r (geos->handle, GEOSGetExteriorRing_r (geos->handle, part));
  if (seq != NULL)
    GEOSCoordSeq_getSize_r (geos->handle, seq, &size);
  if (size >= 1 && (int) size - 1 <= max_corners)
    {
      g_autofree double *x = g_new (double, size);
      g_autofree double *y = g_new (double, size);

      for (unsigned i = 0; i < size; i++)
        GEOSCoordSeq_getXY_r (geos->handle, seq, i, &x[i], &y[i]);
      n = (int) size - 1;
      /* orient(part, sign=1): reversed when its signed area is negative (the start stays) */
      if (shapely_signed_area (x, y, (int) size) >= 0.0)
        for (int i = 0; i < n; i++)
          xy[2 * i] = x[i], xy[2 * i + 1] = y[i];
      else
        for (int i = 0; i < n; i++)
          xy[2 * i] = x[size - 1 - i], xy[2 * i + 1] = y[size - 1 - i];
    }
  else
    n = (int) size - 1;   /* too many corners: the caller drops it */
  GEOSGeom_destroy_r (geos->handle, part);
  return n;
}

void
bm_split_tile_labels (const BmSplitObject *objects, guint n_objects, int left, int up, int right,
                      int down, int size, double thresh, GString *out, BmSplitCounts *counts,
                      GPtrArray *notes)
{
  const double tile_xy[8] = { left, up, right, up, right, down, left, down };
  Geos *geos = NULL;
  GEOSGeometry *tile = NULL;

  for (guint i = 0; i < n_objects; i++)
    {
      const BmSplitObject *object = &objects[i];
      double xy[10], four[8], best[8], sub[8];
      double area = 0, inside;
      int n;

      if (!(object->area > 0))
        continue;
      /* No overlap of positive area is possible: the part would be empty, a line or a point. */
      if (object->x2 <= left || object->x1 >= right || object->y2 <= up || object->y1 >= down)
        continue;
      /* Entirely inside: the intersection is the object itself, whose area ratio is exactly 1
       * (GEOS's shoelace on the same corners). Written as it is, shifted. */
      if (object->x1 >= left && object->x2 <= right && object->y1 >= up && object->y2 <= down)
        {
          for (int k = 0; k < 4; k++)
            {
              sub[2 * k] = py_int (object->poly[2 * k] - left);
              sub[2 * k + 1] = py_int (object->poly[2 * k + 1] - up);
            }
          append_line (out, sub, object, object->difficult);
          counts->n_lines++;
          counts->n_whole++;
          continue;
        }

      if (tile == NULL)
        {
          geos = geos_get ();
          tile = make_polygon (geos, tile_xy, 4);
        }
      n = intersect (geos, object, tile, xy, 5, &area, notes, counts);
      if (n <= 0)
        continue;
      inside = area / object->area;
      if (inside == 1)
        {
          /* Cut only by a zero-area sliver: ImgSplit writes it whole. */
          for (int k = 0; k < 4; k++)
            {
              sub[2 * k] = py_int (object->poly[2 * k] - left);
              sub[2 * k + 1] = py_int (object->poly[2 * k + 1] - up);
            }
          append_line (out, sub, object, object->difficult);
          counts->n_lines++;
          counts->n_whole++;
          continue;
        }
      if (n < 4 || n > 5)
        {
          counts->n_left_out++;
          continue;
        }
      if (n == 5)
        poly4_from_poly5 (xy, four);
      else
        memcpy (four, xy, sizeof four);
      best_rotation (four, object->poly, best);
      for (int k = 0; k < 8; k++)
        {
          double v = py_int (best[k] - (k % 2 == 0 ? left : up));

          sub[k] = v <= 1 ? 1 : v >= size ? size : v;
        }
      append_line (out, sub, object, inside > thresh ? object->difficult : 2);
      counts->n_lines++;
      counts->n_cut++;
      if (!(inside > thresh))
        counts->n_difficult++;
    }
  if (tile != NULL)
    GEOSGeom_destroy_r (geos->handle, tile);
}

void
bm_split_tile_origins (int width, int height, int size, int gap, GArray *tiles)
{
  const int slide = size - gap;

  g_return_if_fail (slide > 0);

  for (int left = 0; left < width;)
    {
      if (left + size >= width)
        left = MAX (width - size, 0);
      for (int up = 0; up < height;)
        {
          if (up + size >= height)
            up = MAX (height - size, 0);
          g_array_append_val (tiles, left);
          g_array_append_val (tiles, up);
          if (up + size >= height)
            break;
          up += slide;
        }
      if (left + size >= width)
        break;
      left += slide;
    }
}
