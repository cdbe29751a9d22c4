/* bm-dota-split-private.h: the label side of a DOTA split, one tile at a time (shared by the
 * split, its tests and its benchmark).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One object of an image, as ImgSplit holds it. */
typedef struct
{
  double poly[8];            /* rate × int(coordinate): parse_dota_poly2 then the rate */
  double x1, y1, x2, y2;     /* its bounds */
  double area;               /* its area as shapely (GEOS) computes it */
  const char *label;
  int difficult;
  guint number;              /* 1-based among the objects of its label file, for messages */
} BmSplitObject;

/* Fills the derived fields of @object from its poly; FALSE when GEOS cannot take it. */
gboolean bm_split_object_init (BmSplitObject *object);

typedef struct
{
  guint n_lines;             /* label lines written */
  guint n_whole;             /* objects entirely inside the tile, written as they are */
  guint n_cut;               /* cut objects written as their part inside the tile */
  guint n_difficult;         /* of those, marked difficult 2 (no more than thresh inside) */
  guint n_left_out;          /* parts left out as ImgSplit leaves them out: < 4 or > 5 corners */
  guint n_unsplittable;      /* parts ImgSplit stops on (several pieces, an invalid quad) */
} BmSplitCounts;

/* Appends to @out the lines ImgSplit's savepatches writes for the tile whose top-left is
 * (@left, @up) and whose far corner is (@right, @down), tiles being @size pixels: each object
 * inside the tile unchanged, each cut one as its intersection with the tile (a 5-gon reduced
 * to 4 corners, coordinates clipped to [1, size]), difficult 2 when no more than @thresh of it
 * is inside. Objects ImgSplit would stop on are left out, with a note in @notes (char *). */
void bm_split_tile_labels (const BmSplitObject *objects, guint n_objects,
                           int left, int up, int right, int down, int size, double thresh,
                           GString *out, BmSplitCounts *counts, GPtrArray *notes);

/* The tiles ImgSplit cuts from a @width × @height image: appends (left, up) pairs (int) to
 * @tiles in its order (by columns). */
void bm_split_tile_origins (int width, int height, int size, int gap, GArray *tiles);

G_END_DECLS
