/* bm-tile-image.c
 *
 * Drawing never waits: each frame draws the tiles that have pixels in memory, asks for the others
 * (read back from the temporary file, or decoded on their own for TIFF), and covers their place
 * with a coarser level meanwhile; "changed" then asks for another frame. Textures are made only
 * for the tiles drawn, and forgotten when they leave the view, so their memory stays a screenful.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-tile-image.h"

#include <math.h>

#include "core/bm-image.h"
#include "core/bm-image-stream.h"

#define REDRAW_INTERVAL_MS 40

/* A GdkTexture and cairo surface made from one tile's pixels, as long as it stays in view. */
typedef struct
{
  GdkTexture *texture;
  cairo_surface_t *surface;
  guint serial;
  int valid_rows;
  guint64 frame;          /* last frame it was drawn in */
} Drawn;

/* Shared with the decoding threads: they may call in after the image is gone. */
typedef struct
{
  gint ref_count;
  gint pending;           /* an idle is queued */
  GWeakRef image;
} Relay;

struct _BmTileImage
{
  GObject parent_instance;

  BmImagePyramid *pyramid;
  BmImageStream *stream;  /* NULL when decoded whole */
  int width, height;      /* upright */
  int channels;
  int orientation;
  Relay *relay;
  GHashTable *drawn;      /* tile key → Drawn */
  guint64 frame;
};

G_DEFINE_FINAL_TYPE (BmTileImage, bm_tile_image, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint64
tile_key (guint level, int column, int row)
{
  return ((guint64) level << 48) | ((guint64) (guint) column << 24) | (guint64) (guint) row;
}

static void
drawn_free (Drawn *drawn)
{
  g_clear_object (&drawn->texture);
  g_clear_pointer (&drawn->surface, cairo_surface_destroy);
  g_free (drawn);
}

/* --- notifications from the decoding threads ------------------------------------------------ */

static Relay *
relay_ref (Relay *relay)
{
  g_atomic_int_inc (&relay->ref_count);
  return relay;
}

static void
relay_unref (Relay *relay)
{
  if (g_atomic_int_dec_and_test (&relay->ref_count))
    {
      g_weak_ref_clear (&relay->image);
      g_free (relay);
    }
}

static gboolean
relay_idle_cb (gpointer data)
{
  Relay *relay = data;
  g_autoptr(BmTileImage) self = NULL;

  g_atomic_int_set (&relay->pending, 0);
  self = g_weak_ref_get (&relay->image);
  if (self != NULL)
    g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* From any thread: one "changed" per REDRAW_INTERVAL_MS at most on the main context, however
 * many bands arrive (each redraw makes new textures for the tiles still filling). */
static void
relay_notify_cb (gpointer data)
{
  Relay *relay = data;

  if (g_atomic_int_compare_and_exchange (&relay->pending, 0, 1))
    {
      GSource *source = g_timeout_source_new (REDRAW_INTERVAL_MS);

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, relay_idle_cb, relay_ref (relay), (GDestroyNotify) relay_unref);
      g_source_attach (source, g_main_context_default ());
      g_source_unref (source);
    }
}

/* --- the object ------------------------------------------------------------------------------ */

static void
bm_tile_image_finalize (GObject *object)
{
  BmTileImage *self = BM_TILE_IMAGE (object);

  /* Joins the decoding threads: no notification comes after this. */
  g_clear_pointer (&self->stream, bm_image_stream_unref);
  g_clear_pointer (&self->pyramid, bm_image_pyramid_unref);
  g_clear_pointer (&self->relay, relay_unref);
  g_clear_pointer (&self->drawn, g_hash_table_unref);

  G_OBJECT_CLASS (bm_tile_image_parent_class)->finalize (object);
}

static void
bm_tile_image_class_init (BmTileImageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bm_tile_image_finalize;

  /* Emitted on the main thread when more of the image can be drawn. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_tile_image_init (BmTileImage *self)
{
  self->orientation = 1;
  self->drawn = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) drawn_free);
  self->relay = g_new0 (Relay, 1);
  self->relay->ref_count = 1;
  g_weak_ref_init (&self->relay->image, self);
}

BmTileImage *
bm_tile_image_new (const guint8 *data,
                   int           width,
                   int           height,
                   int           channels,
                   int           stride)
{
  BmTileImage *self;
  g_autoptr(BmPyramidWriter) writer = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);
  g_return_val_if_fail (stride >= width * channels, NULL);

  if (width <= 0 || height <= 0)
    return NULL;

  self = g_object_new (BM_TYPE_TILE_IMAGE, NULL);
  self->width = width;
  self->height = height;
  self->channels = channels;
  self->pyramid = bm_image_pyramid_new (width, height, 0, NULL);
  writer = bm_pyramid_writer_new (self->pyramid, 0, bm_image_pyramid_get_n_levels (self->pyramid) - 1, 0);
  bm_pyramid_writer_push (writer, data, (gsize) stride, channels, height);
  return self;
}

BmTileImage *
bm_tile_image_new_for_file (const char  *path,
                            GError     **error)
{
  g_autoptr(BmImageStream) stream = NULL;
  BmTileImage *self;

  g_return_val_if_fail (path != NULL, NULL);

  stream = bm_image_stream_new (path, NULL, error);
  if (stream == NULL)
    return NULL;
  if (bm_image_stream_is_small (stream) && !bm_image_stream_run (stream, NULL, error))
    return NULL;

  self = g_object_new (BM_TYPE_TILE_IMAGE, NULL);
  self->orientation = bm_image_stream_get_orientation (stream);
  self->width = bm_image_stream_get_width (stream);
  self->height = bm_image_stream_get_height (stream);
  if (self->orientation >= 5)
    {
      self->width = bm_image_stream_get_height (stream);
      self->height = bm_image_stream_get_width (stream);
    }
  self->channels = bm_image_stream_get_channels (stream);
  self->pyramid = bm_image_pyramid_ref (bm_image_stream_get_pyramid (stream));
  if (!bm_image_stream_is_small (stream))
    {
      bm_image_stream_set_notify (stream, relay_notify_cb, self->relay);
      self->stream = g_steal_pointer (&stream);
      bm_image_stream_start (self->stream);
    }
  return self;
}

int
bm_tile_image_get_width (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->width;
}

int
bm_tile_image_get_height (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->height;
}

int
bm_tile_image_get_channels (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return self->channels;
}

guint
bm_tile_image_get_n_levels (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return bm_image_pyramid_get_n_levels (self->pyramid);
}

int
bm_tile_image_get_max_tile_size (BmTileImage *self)
{
  int max = 0;

  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);

  for (guint l = 0; l < bm_image_pyramid_get_n_levels (self->pyramid); l++)
    {
      int w, h;

      bm_image_pyramid_get_level_size (self->pyramid, l, &w, &h, NULL, NULL);
      max = MAX (max, MIN (BM_TILE_SIZE, MAX (w, h)));
    }
  return max;
}

gsize
bm_tile_image_get_memory_size (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), 0);
  return bm_image_pyramid_get_resident_bytes (self->pyramid);
}

BmImagePyramid *
bm_tile_image_get_pyramid (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), NULL);
  return self->pyramid;
}

void
bm_tile_image_set_active (BmTileImage *self,
                          gboolean     active)
{
  g_return_if_fail (BM_IS_TILE_IMAGE (self));

  if (self->stream != NULL)
    bm_image_stream_set_active (self->stream, active);
  if (!active)
    g_hash_table_remove_all (self->drawn);
}

gboolean
bm_tile_image_is_loading (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), FALSE);
  return self->stream != NULL && !bm_image_stream_is_done (self->stream);
}

gboolean
bm_tile_image_has_overview (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), FALSE);
  return self->stream == NULL || bm_image_stream_is_overview_done (self->stream);
}

GError *
bm_tile_image_get_error (BmTileImage *self)
{
  g_return_val_if_fail (BM_IS_TILE_IMAGE (self), NULL);
  return self->stream != NULL ? bm_image_stream_get_error (self->stream) : NULL;
}

/* --- drawing --------------------------------------------------------------------------------- */

/* The map from stored pixels (u, v) to upright ones (x, y): x = xx·u + xy·v + x0, y = yx·u +
 * yy·v + y0, as PIL's ImageOps.exif_transpose turns them. */
typedef struct
{
  double xx, yx, xy, yy, x0, y0;
} Orientation;

static Orientation
orientation_matrix (int orientation, double w, double h)
{
  switch (orientation)
    {
    case 2: return (Orientation) { -1, 0, 0, 1, w, 0 };     /* mirror */
    case 3: return (Orientation) { -1, 0, 0, -1, w, h };    /* rotate 180 */
    case 4: return (Orientation) { 1, 0, 0, -1, 0, h };     /* flip */
    case 5: return (Orientation) { 0, 1, 1, 0, 0, 0 };      /* transpose */
    case 6: return (Orientation) { 0, 1, -1, 0, h, 0 };     /* rotate 90 clockwise */
    case 7: return (Orientation) { 0, -1, -1, 0, h, w };    /* transverse */
    case 8: return (Orientation) { 0, -1, 1, 0, 0, w };     /* rotate 90 counter-clockwise */
    default: return (Orientation) { 1, 0, 0, 1, 0, 0 };
    }
}

/* The same map as snapshot operations GSK sees as 2D (a generic matrix would make the cairo
 * renderer draw through a 3D fallback): later calls apply first to the child's points. */
static void
apply_orientation (GtkSnapshot *snapshot, int orientation, double w, double h)
{
  switch (orientation)
    {
    case 2:
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (w, 0));
      gtk_snapshot_scale (snapshot, -1, 1);
      break;
    case 3:
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (w, h));
      gtk_snapshot_scale (snapshot, -1, -1);
      break;
    case 4:
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, h));
      gtk_snapshot_scale (snapshot, 1, -1);
      break;
    case 5:
      gtk_snapshot_scale (snapshot, -1, 1);
      gtk_snapshot_rotate (snapshot, 90);
      break;
    case 6:
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (h, 0));
      gtk_snapshot_rotate (snapshot, 90);
      break;
    case 7:
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (h, w));
      gtk_snapshot_scale (snapshot, 1, -1);
      gtk_snapshot_rotate (snapshot, 90);
      break;
    case 8:
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, w));
      gtk_snapshot_rotate (snapshot, 270);
      break;
    default:
      break;
    }
}

/* The same as apply_orientation, for a cairo context. */
static void
apply_orientation_cairo (cairo_t *cr, int orientation, double w, double h)
{
  switch (orientation)
    {
    case 2:
      cairo_translate (cr, w, 0);
      cairo_scale (cr, -1, 1);
      break;
    case 3:
      cairo_translate (cr, w, h);
      cairo_scale (cr, -1, -1);
      break;
    case 4:
      cairo_translate (cr, 0, h);
      cairo_scale (cr, 1, -1);
      break;
    case 5:
      cairo_scale (cr, -1, 1);
      cairo_rotate (cr, G_PI / 2);
      break;
    case 6:
      cairo_translate (cr, h, 0);
      cairo_rotate (cr, G_PI / 2);
      break;
    case 7:
      cairo_translate (cr, h, w);
      cairo_scale (cr, 1, -1);
      cairo_rotate (cr, G_PI / 2);
      break;
    case 8:
      cairo_translate (cr, 0, w);
      cairo_rotate (cr, 3 * G_PI / 2);
      break;
    default:
      break;
    }
}

/* The stored-frame box of an upright-frame box: the maps are axis-aligned, so corners suffice. */
static void
upright_to_stored (const Orientation *m, double x1, double y1, double x2, double y2,
                   double *u1, double *v1, double *u2, double *v2)
{
  /* The inverse of an orthogonal map with entries 0 and ±1 is its transpose. */
  double ax = m->xx * (x1 - m->x0) + m->yx * (y1 - m->y0), ay = m->xy * (x1 - m->x0) + m->yy * (y1 - m->y0);
  double bx = m->xx * (x2 - m->x0) + m->yx * (y2 - m->y0), by = m->xy * (x2 - m->x0) + m->yy * (y2 - m->y0);

  *u1 = MIN (ax, bx), *u2 = MAX (ax, bx);
  *v1 = MIN (ay, by), *v2 = MAX (ay, by);
}

typedef struct
{
  BmTileImage *self;
  GtkSnapshot *snapshot;
  gboolean sharp;          /* zoomed in: full-size pixels as squares */
  cairo_t *cr;             /* set: tiles drawn through cairo (sharp, or for the cairo renderer) */
  double stored_width;     /* of the stored frame */
  double stored_height;
} Frame;

static Drawn *
drawn_for (BmTileImage *self, guint level, const BmPyramidTile *tile, gboolean want_surface)
{
  guint64 key = tile_key (level, tile->x / BM_TILE_SIZE, tile->y / BM_TILE_SIZE);
  Drawn *drawn = g_hash_table_lookup (self->drawn, &key);
  gsize stride = (gsize) tile->width * 4;

  if (drawn != NULL && (drawn->serial != tile->serial || drawn->valid_rows != tile->valid_rows))
    {
      g_hash_table_remove (self->drawn, &key);
      drawn = NULL;
    }
  if (drawn == NULL)
    {
      drawn = g_new0 (Drawn, 1);
      drawn->serial = tile->serial;
      drawn->valid_rows = tile->valid_rows;
      g_hash_table_insert (self->drawn, g_memdup2 (&key, sizeof key), drawn);
    }
  drawn->frame = self->frame;
  if (!want_surface && drawn->texture == NULL)
    {
      g_autoptr(GBytes) rows = g_bytes_new_from_bytes (tile->pixels, 0, stride * (gsize) tile->valid_rows);

      drawn->texture = gdk_memory_texture_new (tile->width, tile->valid_rows, GDK_MEMORY_DEFAULT, rows, stride);
    }
  if (want_surface && drawn->surface == NULL)
    {
      static const cairo_user_data_key_t bytes_key;

      /* cairo only reads it; the surface keeps the pixels alive. */
      drawn->surface = cairo_image_surface_create_for_data ((guchar *) g_bytes_get_data (tile->pixels, NULL),
                                                            CAIRO_FORMAT_ARGB32, tile->width, tile->valid_rows,
                                                            (int) stride);
      cairo_surface_set_user_data (drawn->surface, &bytes_key, g_bytes_ref (tile->pixels),
                                   (cairo_destroy_func_t) g_bytes_unref);
    }
  return drawn;
}

/* Draws one tile of @level with what it has, in stored-frame coordinates: through f->cr when
 * set (sharp full-size pixels), else smoothly scaled, as a texture or painted by cairo. */
static void
draw_tile (Frame *f, guint level, const BmPyramidTile *tile)
{
  BmTileImage *self = f->self;
  int lw, lh;
  double sx, sy;
  Drawn *drawn;

  bm_image_pyramid_get_level_size (self->pyramid, level, &lw, &lh, NULL, NULL);
  sx = f->stored_width / lw;
  sy = f->stored_height / lh;
  drawn = drawn_for (self, level, tile, f->cr != NULL);
  if (f->cr != NULL)
    {
      /* Full-size pixels zoomed in: sharp squares (NEAREST). Otherwise as GTK's cairo renderer
       * draws a texture (PAD: edge pixels continue, so tiles meet without a seam), minus its
       * copy of the pixels on every frame; bilinear, as the GL renderer samples textures (the
       * level drawn is at most twice the view's size; cairo's GOOD filter costs 10 times more). */
      cairo_save (f->cr);
      cairo_scale (f->cr, sx, sy);
      cairo_set_source_surface (f->cr, drawn->surface, tile->x, tile->y);
      if (f->sharp && level == 0)
        cairo_pattern_set_filter (cairo_get_source (f->cr), CAIRO_FILTER_NEAREST);
      else
        {
          cairo_pattern_set_extend (cairo_get_source (f->cr), CAIRO_EXTEND_PAD);
          cairo_pattern_set_filter (cairo_get_source (f->cr), CAIRO_FILTER_BILINEAR);
        }
      cairo_rectangle (f->cr, tile->x, tile->y, tile->width, tile->valid_rows);
      cairo_fill (f->cr);
      cairo_restore (f->cr);
    }
  else
    gtk_snapshot_append_texture (f->snapshot, drawn->texture,
                                 &GRAPHENE_RECT_INIT (tile->x * sx, tile->y * sy, tile->width * sx, tile->valid_rows * sy));
}

typedef struct
{
  double x1, y1, x2, y2;   /* stored-frame pixels */
} Box;

static Box
tile_box (BmTileImage *self, guint level, int column, int row, double stored_width, double stored_height)
{
  int lw, lh;
  double sx, sy;

  bm_image_pyramid_get_level_size (self->pyramid, level, &lw, &lh, NULL, NULL);
  sx = stored_width / lw;
  sy = stored_height / lh;
  return (Box) { column * BM_TILE_SIZE * sx, row * BM_TILE_SIZE * sy,
                 MIN ((column + 1) * BM_TILE_SIZE, lw) * sx, MIN ((row + 1) * BM_TILE_SIZE, lh) * sy };
}

static void
request (BmTileImage *self, guint level, int column, int row)
{
  if (self->stream != NULL)
    bm_image_stream_request_tile (self->stream, level, column, row);
}

/* Draws level @level over the stored-frame box @view; where its tiles have no pixels yet, the
 * coarser levels that do are drawn first, under it. */
static void
draw_level (Frame *f, guint level, const Box *view)
{
  BmTileImage *self = f->self;
  guint n_levels = bm_image_pyramid_get_n_levels (self->pyramid);
  g_autoptr(GArray) tiles = g_array_new (FALSE, FALSE, sizeof (BmPyramidTile));
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (Box));
  g_autoptr(GArray) under = g_array_new (FALSE, FALSE, sizeof (BmPyramidTile));
  g_autoptr(GArray) under_levels = g_array_new (FALSE, FALSE, sizeof (guint));
  int c0, r0, c1, r1;

  if (!bm_image_pyramid_visible_tiles (self->pyramid, level, view->x1, view->y1, view->x2, view->y2, &c0, &r0, &c1, &r1))
    return;
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        BmPyramidTile tile;
        gboolean found = bm_image_pyramid_get_tile (self->pyramid, level, c, r, &tile);

        if (found)
          g_array_append_val (tiles, tile);
        if (!found || tile.valid_rows < tile.height)
          {
            Box box = tile_box (self, level, c, r, f->stored_width, f->stored_height);

            g_array_append_val (missing, box);
            if (!found)
              request (self, level, c, r);
          }
      }

  /* Coarser levels, finest first, for the places still missing. */
  for (guint k = level + 1; k < n_levels && missing->len > 0; k++)
    for (guint m = 0; m < missing->len;)
      {
        Box *box = &g_array_index (missing, Box, m);
        gboolean covered = FALSE;

        if (bm_image_pyramid_visible_tiles (self->pyramid, k, MAX (box->x1, view->x1), MAX (box->y1, view->y1),
                                            MIN (box->x2, view->x2), MIN (box->y2, view->y2), &c0, &r0, &c1, &r1))
          {
            covered = TRUE;
            for (int r = r0; r <= r1; r++)
              for (int c = c0; c <= c1; c++)
                {
                  BmPyramidTile tile;
                  gboolean dup = FALSE;

                  if (!bm_image_pyramid_get_tile (self->pyramid, k, c, r, &tile))
                    {
                      covered = FALSE;
                      continue;
                    }
                  if (tile.valid_rows < tile.height)
                    covered = FALSE;
                  for (guint i = 0; i < under->len && !dup; i++)
                    dup = g_array_index (under_levels, guint, i) == k
                          && g_array_index (under, BmPyramidTile, i).x == tile.x
                          && g_array_index (under, BmPyramidTile, i).y == tile.y;
                  if (dup)
                    bm_pyramid_tile_clear (&tile);
                  else
                    {
                      g_array_append_val (under, tile);
                      g_array_append_val (under_levels, k);
                    }
                }
          }
        if (covered)
          g_array_remove_index_fast (missing, m);
        else
          m++;
      }

  for (guint i = under->len; i-- > 0;)
    {
      BmPyramidTile *tile = &g_array_index (under, BmPyramidTile, i);

      draw_tile (f, g_array_index (under_levels, guint, i), tile);
      bm_pyramid_tile_clear (tile);
    }
  if (tiles->len == 0)
    return;
  for (guint i = 0; i < tiles->len; i++)
    {
      BmPyramidTile *tile = &g_array_index (tiles, BmPyramidTile, i);

      draw_tile (f, level, tile);
      bm_pyramid_tile_clear (tile);
    }
}

static gboolean
forget_undrawn (gpointer key, gpointer value, gpointer user_data)
{
  return ((Drawn *) value)->frame != *(guint64 *) user_data;
}

void
bm_tile_image_snapshot (BmTileImage *self,
                        GtkSnapshot *snapshot,
                        double       zoom,
                        double       offset_x,
                        double       offset_y,
                        double       view_width,
                        double       view_height,
                        double       scale,
                        gboolean     paint_surfaces)
{
  Frame f = { self, snapshot, FALSE, NULL, 0, 0 };
  Orientation m;
  double x1, y1, x2, y2;
  Box view;
  guint level = 0, n_levels;

  g_return_if_fail (BM_IS_TILE_IMAGE (self));
  g_return_if_fail (snapshot != NULL);

  if (zoom <= 0 || view_width <= 0 || view_height <= 0)
    return;
  scale = MAX (scale, 1.0);
  self->frame++;
  f.stored_width = bm_image_pyramid_get_width (self->pyramid);
  f.stored_height = bm_image_pyramid_get_height (self->pyramid);
  m = orientation_matrix (self->orientation, f.stored_width, f.stored_height);

  /* The visible part, in upright pixels, then stored ones. */
  x1 = MAX (0, -offset_x / zoom), y1 = MAX (0, -offset_y / zoom);
  x2 = MIN (self->width, (view_width - offset_x) / zoom), y2 = MIN (self->height, (view_height - offset_y) / zoom);
  if (x1 >= x2 || y1 >= y2)
    return;
  upright_to_stored (&m, x1, y1, x2, y2, &view.x1, &view.y1, &view.x2, &view.y2);

  /* The smallest level that still has at least one pixel per device pixel. */
  n_levels = bm_image_pyramid_get_n_levels (self->pyramid);
  if (zoom * scale < 1.0)
    while (level + 1 < n_levels)
      {
        int w;

        bm_image_pyramid_get_level_size (self->pyramid, level + 1, &w, NULL, NULL, NULL);
        if (zoom * scale * (f.stored_width / w) > 1.0)
          break;
        level++;
      }

  /* Zoomed in, full-size pixels as sharp squares. */
  f.sharp = zoom * scale >= 1.0;
  if (f.sharp || paint_surfaces)
    {
      /* Through cairo: zoomed in (GTK 4.8 cannot filter textures NEAREST), or zoomed out for
       * GTK's cairo renderer, which would copy every texture on every frame. One cairo node in
       * view coordinates with the image's transform set on the context: GTK 4.8 misplaces a
       * cairo node appended under a scaled, translated snapshot (it scales the translation
       * too). Without antialiasing, each screen pixel belongs to exactly one tile: no seams. */
      f.cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, view_width, view_height));
      cairo_set_antialias (f.cr, CAIRO_ANTIALIAS_NONE);
      cairo_translate (f.cr, offset_x, offset_y);
      cairo_scale (f.cr, zoom, zoom);
      apply_orientation_cairo (f.cr, self->orientation, f.stored_width, f.stored_height);
      draw_level (&f, f.sharp ? 0 : level, &view);
      g_clear_pointer (&f.cr, cairo_destroy);
    }
  else
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (offset_x, offset_y));
      gtk_snapshot_scale (snapshot, zoom, zoom);
      apply_orientation (snapshot, self->orientation, f.stored_width, f.stored_height);
      draw_level (&f, level, &view);
      gtk_snapshot_restore (snapshot);
    }

  /* Only what this frame drew keeps its texture. */
  g_hash_table_foreach_remove (self->drawn, forget_undrawn, &self->frame);
}

gboolean
bm_tile_image_widget_uses_cairo (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}
