/* test-image-pyramid.c: the tile pyramid (levels, halving, the memory budget and its temporary
 * file, restarts) and the stream that fills it from a file (JPEG overview then full resolution,
 * PNG within bounded memory, TIFF overviews and tiles on request).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>

#include "core/bm-error.h"
#include "core/bm-image.h"
#include "core/bm-image-private.h"
#include "core/bm-image-pyramid.h"
#include "core/bm-image-stream.h"
#include "bm-test-util.h"

#if defined(__SANITIZE_ADDRESS__)
#define BM_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BM_UNDER_ASAN 1
#endif
#endif
#ifndef BM_UNDER_ASAN
#define BM_UNDER_ASAN 0
#endif

/* ---- helpers ---------------------------------------------------------------------------- */

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bm-test-pyramid-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static BmImage *
random_image (int width, int height, int channels, guint32 seed)
{
  BmImage *image = bm_image_new (width, height, channels);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < (gsize) image->stride * image->height; i++)
    image->data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return image;
}

/* What the pyramid stores for one source pixel: premultiplied B G R A in a native 32-bit word. */
static guint32
argb_of (const guint8 *p, int channels)
{
  guint r, g, b, a = 255;

  if (channels <= 2)
    r = g = b = p[0];
  else
    r = p[0], g = p[1], b = p[2];
  if (channels == 2 || channels == 4)
    a = p[channels - 1];
  if (a != 255)
    r = (r * a + 127) / 255, g = (g * a + 127) / 255, b = (b * a + 127) / 255;
  return (a << 24) | (r << 16) | (g << 8) | b;
}

/* A whole level as one array, through the tiles (waiting for tiles in the temporary file). */
static guint32 *
read_level (BmImagePyramid *pyramid, guint level, int *width, int *height)
{
  int w, h, nc, nr;
  guint32 *out;

  bm_image_pyramid_get_level_size (pyramid, level, &w, &h, &nc, &nr);
  out = g_new0 (guint32, (gsize) w * h);
  for (int r = 0; r < nr; r++)
    for (int c = 0; c < nc; c++)
      {
        BmPyramidTile tile;
        const guint32 *px;

        /* A tile in the temporary file comes back in the background. */
        while (!bm_image_pyramid_get_tile (pyramid, level, c, r, &tile))
          {
            g_assert_true (bm_image_pyramid_tile_is_complete (pyramid, level, c, r));
            g_usleep (500);
          }
        g_assert_cmpint (tile.valid_rows, ==, tile.height);
        px = g_bytes_get_data (tile.pixels, NULL);
        for (int y = 0; y < tile.height; y++)
          memcpy (out + (gsize) (tile.y + y) * w + tile.x, px + (gsize) y * tile.width, (gsize) tile.width * 4);
        bm_pyramid_tile_clear (&tile);
      }
  *width = w;
  *height = h;
  return out;
}

/* The rounded mean of each 2 × 2 block, per channel; the last row or column repeats when odd. */
static guint32 *
halve_reference (const guint32 *in, int w, int h)
{
  int hw = (w + 1) / 2, hh = (h + 1) / 2;
  guint32 *out = g_new (guint32, (gsize) hw * hh);

  for (int y = 0; y < hh; y++)
    for (int x = 0; x < hw; x++)
      {
        guint32 v = 0;

        for (int k = 0; k < 4; k++)
          {
            int sum = 0;

            for (int dy = 0; dy < 2; dy++)
              for (int dx = 0; dx < 2; dx++)
                sum += (in[(gsize) MIN (2 * y + dy, h - 1) * w + MIN (2 * x + dx, w - 1)] >> (8 * k)) & 255;
            v |= (guint32) ((sum + 2) >> 2) << (8 * k);
          }
        out[(gsize) y * hw + x] = v;
      }
  return out;
}

static void
push_in_bands (BmImagePyramid *pyramid, const BmImage *image, GRand *rand)
{
  g_autoptr(BmPyramidWriter) writer = bm_pyramid_writer_new (pyramid, 0, bm_image_pyramid_get_n_levels (pyramid) - 1, 0);

  for (int y = 0; y < image->height;)
    {
      int wanted = g_rand_int_range (rand, 1, 300);   /* not inside MIN: it would draw twice */
      int n = MIN (image->height - y, wanted);

      bm_pyramid_writer_push (writer, image->data + (gsize) y * image->stride, (gsize) image->stride, image->channels, n);
      y += n;
    }
  g_assert_cmpint (bm_pyramid_writer_get_row (writer), ==, image->height);
}

/* ---- the pyramid ----------------------------------------------------------------------------- */

static void
test_levels (void)
{
  g_autoptr(BmImagePyramid) pyramid = bm_image_pyramid_new (2500, 1300, 0, NULL);
  g_autoptr(BmImagePyramid) small = bm_image_pyramid_new (300, 200, 0, NULL);
  static const int widths[] = { 2500, 1250, 625, 313 }, heights[] = { 1300, 650, 325, 163 };
  int c0, r0, c1, r1;

  g_assert_cmpuint (bm_image_pyramid_get_n_levels (pyramid), ==, 4);
  for (guint l = 0; l < 4; l++)
    {
      int w, h, nc, nr;

      bm_image_pyramid_get_level_size (pyramid, l, &w, &h, &nc, &nr);
      g_assert_cmpint (w, ==, widths[l]);
      g_assert_cmpint (h, ==, heights[l]);
      g_assert_cmpint (nc, ==, (w + BM_TILE_SIZE - 1) / BM_TILE_SIZE);
      g_assert_cmpint (nr, ==, (h + BM_TILE_SIZE - 1) / BM_TILE_SIZE);
    }
  g_assert_cmpuint (bm_image_pyramid_get_n_levels (small), ==, 1);
  g_assert_cmpuint (bm_image_pyramid_get_total_bytes (small), ==, 300 * 200 * 4);

  /* Visible tiles, in level-0 pixels, half-open. */
  g_assert_true (bm_image_pyramid_visible_tiles (pyramid, 0, 0, 0, 1024, 10, &c0, &r0, &c1, &r1));
  g_assert_cmpint (c0, ==, 0);
  g_assert_cmpint (c1, ==, 0);
  g_assert_true (bm_image_pyramid_visible_tiles (pyramid, 0, 1000.5, 1023.5, 5000, 5000, &c0, &r0, &c1, &r1));
  g_assert_cmpint (c0, ==, 0);
  g_assert_cmpint (c1, ==, 2);
  g_assert_cmpint (r0, ==, 0);
  g_assert_cmpint (r1, ==, 1);
  g_assert_true (bm_image_pyramid_visible_tiles (pyramid, 1, 2047, 0, 2049, 10, &c0, &r0, &c1, &r1));
  g_assert_cmpint (c0, ==, 0);
  g_assert_cmpint (c1, ==, 1);
  g_assert_false (bm_image_pyramid_visible_tiles (pyramid, 0, 2500, 0, 2600, 100, &c0, &r0, &c1, &r1));
  g_assert_false (bm_image_pyramid_visible_tiles (pyramid, 0, -100, 0, 0, 100, &c0, &r0, &c1, &r1));
}

/* Every channel count, odd sizes, rows pushed in random bands: level 0 is the converted source,
 * each level the rounded 2 × 2 mean of the one before. */
static void
test_halving (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int channels = 1; channels <= 4; channels++)
    {
      int width = 2100 + channels * 37, height = 1100 + channels * 13;
      g_autoptr(BmImage) image = random_image (width, height, channels, (guint32) channels);
      g_autoptr(BmImagePyramid) pyramid = bm_image_pyramid_new (width, height, 0, NULL);
      g_autofree guint32 *expected = g_new (guint32, (gsize) width * height);
      int ew = width, eh = height;

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          expected[(gsize) y * width + x] = argb_of (image->data + (gsize) y * image->stride + (gsize) x * channels, channels);
      push_in_bands (pyramid, image, rand);
      for (guint l = 0; l < bm_image_pyramid_get_n_levels (pyramid); l++)
        {
          int w, h;
          g_autofree guint32 *got = read_level (pyramid, l, &w, &h);

          g_assert_true (bm_image_pyramid_level_is_complete (pyramid, l));
          g_assert_cmpint (w, ==, ew);
          g_assert_cmpint (h, ==, eh);
          g_assert_cmpmem (got, (gsize) w * h * 4, expected, (gsize) ew * eh * 4);
          {
            guint32 *next = halve_reference (expected, ew, eh);

            g_free (expected);
            expected = next;
            ew = (ew + 1) / 2, eh = (eh + 1) / 2;
          }
        }
    }
}

/* Waits for a tile that may be in the temporary file. */
static void
get_tile_waiting (BmImagePyramid *pyramid, guint level, int column, int row, BmPyramidTile *tile)
{
  while (!bm_image_pyramid_get_tile (pyramid, level, column, row, tile))
    {
      g_assert_true (bm_image_pyramid_tile_is_complete (pyramid, level, column, row));
      g_usleep (500);
    }
}

static void
assert_same_tiles (BmImagePyramid *a, BmImagePyramid *b)
{
  g_assert_cmpuint (bm_image_pyramid_get_n_levels (a), ==, bm_image_pyramid_get_n_levels (b));
  for (guint l = 0; l < bm_image_pyramid_get_n_levels (a); l++)
    {
      int nc, nr;

      bm_image_pyramid_get_level_size (a, l, NULL, NULL, &nc, &nr);
      for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++)
          {
            BmPyramidTile ta, tb;

            get_tile_waiting (a, l, c, r, &ta);
            get_tile_waiting (b, l, c, r, &tb);
            g_assert_true (g_bytes_equal (ta.pixels, tb.pixels));
            bm_pyramid_tile_clear (&ta);
            bm_pyramid_tile_clear (&tb);
          }
    }
}

/* Over the budget, complete tiles go to the temporary file and come back identical. */
static void
check_budget (int width, int height, int channels, gboolean big)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(BmImage) image = random_image (width, height, channels, 5);
  g_autoptr(BmImagePyramid) whole = bm_image_pyramid_new (width, height, 0, NULL);
  g_autoptr(BmImagePyramid) bounded = bm_image_pyramid_new (width, height, 16 << 20, dir);
  gsize band = 0;

  push_in_bands (whole, image, rand);
  push_in_bands (bounded, image, rand);
  g_assert_cmpuint (bm_image_pyramid_get_spilled_bytes (whole), ==, 0);
  g_assert_cmpuint (bm_image_pyramid_get_spilled_bytes (bounded), >, 50 << 20);

  /* In memory at most: the budget, the coarse levels, and the tile rows being written. */
  for (guint l = 0; l < bm_image_pyramid_get_n_levels (bounded); l++)
    {
      int w;

      bm_image_pyramid_get_level_size (bounded, l, &w, NULL, NULL, NULL);
      band += (gsize) w * BM_TILE_SIZE * 4;
    }
  g_test_message ("peak %zu MB of %" G_GUINT64_FORMAT " MB, %" G_GUINT64_FORMAT " MB to the file",
                  bm_image_pyramid_get_peak_resident_bytes (bounded) >> 20,
                  bm_image_pyramid_get_total_bytes (bounded) >> 20, bm_image_pyramid_get_spilled_bytes (bounded) >> 20);
  g_assert_cmpuint (bm_image_pyramid_get_peak_resident_bytes (bounded), <=, (16 << 20) + (64u << 20) + band);
  if (big)
    g_assert_cmpuint (bm_image_pyramid_get_peak_resident_bytes (bounded), <, bm_image_pyramid_get_total_bytes (bounded) / 2);
  assert_same_tiles (whole, bounded);

  /* Lowering the budget sends tiles out at once. */
  bm_image_pyramid_set_budget (bounded, 4 << 20);
  g_assert_cmpuint (bm_image_pyramid_get_resident_bytes (bounded), <=, (4 << 20) + (64u << 20));
  bm_test_remove_tree (dir);
}

/* Opaque tiles go out as 3 bytes a pixel, translucent ones whole. */
static void
test_budget (void)
{
  check_budget (9000, 6000, 1, TRUE);
  check_budget (5000, 4000, 4, FALSE);
}

/* A writer stopped part way, its half-written tiles dropped, and another from the first
 * unfinished tile row gives the same pyramid as one pass. */
static void
test_restart (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(BmImage) image = random_image (3000, 4500, 3, 9);
  g_autoptr(BmImagePyramid) whole = bm_image_pyramid_new (3000, 4500, 0, NULL);
  g_autoptr(BmImagePyramid) restarted = bm_image_pyramid_new (3000, 4500, 0, NULL);
  int restart;

  push_in_bands (whole, image, rand);
  {
    g_autoptr(BmPyramidWriter) writer = bm_pyramid_writer_new (restarted, 0, 1, 0);

    bm_pyramid_writer_push (writer, image->data, (gsize) image->stride, 3, 2500);
  }
  g_assert_cmpint (bm_image_pyramid_get_complete_rows (restarted, 0), ==, 2048);
  g_assert_cmpint (bm_image_pyramid_get_complete_rows (restarted, 1), ==, 1024);
  bm_image_pyramid_discard_partial (restarted, 0, 1);
  restart = MIN (bm_image_pyramid_get_complete_rows (restarted, 0), bm_image_pyramid_get_complete_rows (restarted, 1) * 2);
  restart = restart / (2 * BM_TILE_SIZE) * 2 * BM_TILE_SIZE;
  g_assert_cmpint (restart, ==, 2048);
  {
    g_autoptr(BmPyramidWriter) writer = bm_pyramid_writer_new (restarted, 0, bm_image_pyramid_get_n_levels (restarted) - 1, 0);

    /* From the top again for the coarse levels: complete tiles are left alone. */
    bm_pyramid_writer_push (writer, image->data, (gsize) image->stride, 3, image->height);
  }
  for (guint l = 0; l < bm_image_pyramid_get_n_levels (whole); l++)
    {
      int w, h, w2, h2;
      g_autofree guint32 *a = read_level (whole, l, &w, &h);
      g_autofree guint32 *b = read_level (restarted, l, &w2, &h2);

      g_assert_cmpmem (a, (gsize) w * h * 4, b, (gsize) w2 * h2 * 4);
    }
}

/* A tile made from a finer region equals the one the writer halves down to. */
static void
test_put_tile (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(BmImage) image = random_image (5000, 3100, 4, 21);
  g_autoptr(BmImagePyramid) whole = bm_image_pyramid_new (5000, 3100, 0, NULL);
  g_autoptr(BmImagePyramid) put = bm_image_pyramid_new (5000, 3100, 0, NULL);

  push_in_bands (whole, image, rand);
  for (guint level = 0; level <= 2; level++)
    for (guint halvings = 0; halvings <= level; halvings++)
      {
        int nc, nr, sw, sh;

        bm_image_pyramid_get_level_size (put, level, NULL, NULL, &nc, &nr);
        bm_image_pyramid_get_level_size (put, level - halvings, &sw, &sh, NULL, NULL);
        for (int r = 0; r < nr; r++)
          for (int c = 0; c < nc; c++)
            {
              int x = (c * BM_TILE_SIZE) << halvings, y = (r * BM_TILE_SIZE) << halvings;
              int w = MIN (BM_TILE_SIZE << halvings, sw - x), h = MIN (BM_TILE_SIZE << halvings, sh - y);
              g_autoptr(BmImage) source = NULL;
              BmPyramidTile a, b;

              if (level - halvings == 0)
                {
                  source = bm_image_new (w, h, 4);
                  for (int yy = 0; yy < h; yy++)
                    memcpy (source->data + (gsize) yy * source->stride,
                            image->data + (gsize) (y + yy) * image->stride + (gsize) x * 4, (gsize) w * 4);
                }
              else
                continue;   /* sources come from the decoder's reductions: level 0 here */
              bm_image_pyramid_put_tile (put, level, c, r, source, halvings);
              g_assert_true (bm_image_pyramid_get_tile (whole, level, c, r, &a));
              g_assert_true (bm_image_pyramid_get_tile (put, level, c, r, &b));
              g_assert_true (g_bytes_equal (a.pixels, b.pixels));
              bm_pyramid_tile_clear (&a);
              bm_pyramid_tile_clear (&b);
            }
      }
}

/* ---- the stream ------------------------------------------------------------------------------ */

static void
write_jpeg (const char *path, int width, int height, int cut_at)
{
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  unsigned char *buffer = NULL;
  unsigned long length = 0;
  g_autofree guint8 *row = g_malloc ((gsize) width * 3);

  c.err = jpeg_std_error (&err);
  jpeg_create_compress (&c);
  jpeg_mem_dest (&c, &buffer, &length);
  c.image_width = (JDIMENSION) width;
  c.image_height = (JDIMENSION) height;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults (&c);
  jpeg_set_quality (&c, 85, TRUE);
  jpeg_start_compress (&c, TRUE);
  for (int y = 0; y < height; y++)
    {
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < width; x++)
        {
          row[3 * x] = (guint8) (x / 5 + y / 7);
          row[3 * x + 1] = (guint8) ((x ^ y) & 0x3F) * 4;
          row[3 * x + 2] = (guint8) (y / 3);
        }
      jpeg_write_scanlines (&c, rows, 1);
    }
  jpeg_finish_compress (&c);
  jpeg_destroy_compress (&c);
  g_assert_true (g_file_set_contents (path, (char *) buffer, cut_at > 0 ? cut_at : (gssize) length, NULL));
  free (buffer);
}

/* Level @level of @pyramid against @image converted (the same size). */
static void
assert_level_is (BmImagePyramid *pyramid, guint level, const BmImage *image)
{
  int w, h;
  g_autofree guint32 *got = read_level (pyramid, level, &w, &h);

  g_assert_cmpint (w, ==, image->width);
  g_assert_cmpint (h, ==, image->height);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (got[(gsize) y * w + x] != argb_of (image->data + (gsize) y * image->stride + (gsize) x * image->channels,
                                             image->channels))
        g_error ("level %u: pixel (%d, %d) differs", level, x, y);
}

static void
test_stream_jpeg (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImageStream) stream = NULL;
  g_autoptr(BmImage) eighth = NULL;
  g_autoptr(BmImage) full = NULL;
  BmImagePyramid *pyramid;
  gsize length;

  write_jpeg (path, 8500, 4100, 0);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  stream = bm_image_stream_new_with_limit (path, dir, 1 << 20, &error);
  g_assert_no_error (error);
  g_assert_false (bm_image_stream_is_small (stream));
  /* 8500 / 8 = 1063: the overview at 1/8 in the DCT domain is pyramid level 3. */
  g_assert_cmpuint (bm_image_stream_get_overview_level (stream), ==, 3);
  pyramid = bm_image_stream_get_pyramid (stream);

  /* Decoded ahead (inactive): the overview only. */
  bm_image_stream_start (stream);
  bm_image_stream_wait (stream, FALSE);
  g_assert_true (bm_image_stream_is_overview_done (stream));
  g_assert_false (bm_image_stream_is_done (stream));
  eighth = bm_image_jpeg_decode ((guint8 *) contents, length, path, 8, &error);
  g_assert_no_error (error);
  assert_level_is (pyramid, 3, eighth);
  g_assert_cmpint (bm_image_pyramid_get_complete_rows (pyramid, 0), ==, 0);

  full = bm_image_jpeg_decode ((guint8 *) contents, length, path, 1, &error);
  g_assert_no_error (error);

  /* On screen: a tile asked for near the bottom is decoded on its own, ahead of the
   * full-resolution pass, and exactly as the whole decode gives it. */
  bm_image_stream_set_active (stream, TRUE);
  {
    int nc, nr;
    BmPyramidTile tile;

    bm_image_pyramid_get_level_size (pyramid, 0, NULL, NULL, &nc, &nr);
    bm_image_stream_request_tile (stream, 0, nc - 2, nr - 1);
    bm_image_stream_request_tile (stream, 0, nc - 1, nr - 1);
    while (!bm_image_pyramid_tile_is_complete (pyramid, 0, nc - 1, nr - 1)
           || !bm_image_pyramid_tile_is_complete (pyramid, 0, nc - 2, nr - 1))
      g_usleep (1000);
    for (int c = nc - 2; c < nc; c++)
      {
        const guint32 *px;

        g_assert_true (bm_image_pyramid_get_tile (pyramid, 0, c, nr - 1, &tile));
        px = g_bytes_get_data (tile.pixels, NULL);
        for (int y = 0; y < tile.height; y++)
          for (int x = 0; x < tile.width; x++)
            g_assert_cmpuint (px[(gsize) y * tile.width + x], ==,
                              argb_of (full->data + (gsize) (tile.y + y) * full->stride + (gsize) (tile.x + x) * 3, 3));
        bm_pyramid_tile_clear (&tile);
      }
  }

  /* The second pass (1/2 in the DCT domain, levels 1 and 2), stopped part way by leaving and
   * finished on return. */
  while (bm_image_pyramid_get_complete_rows (pyramid, 1) < 1024 && !bm_image_stream_is_done (stream))
    g_usleep (1000);
  bm_image_stream_set_active (stream, FALSE);
  bm_image_stream_set_active (stream, TRUE);
  bm_image_stream_wait (stream, TRUE);
  g_assert_true (bm_image_stream_is_done (stream));
  g_assert_null (bm_image_stream_get_error (stream));
  {
    g_autoptr(BmImage) half = bm_image_jpeg_decode ((guint8 *) contents, length, path, 2, &error);

    g_assert_no_error (error);
    assert_level_is (pyramid, 1, half);
  }
  for (guint l = 1; l < bm_image_pyramid_get_n_levels (pyramid); l++)
    g_assert_true (bm_image_pyramid_level_is_complete (pyramid, l));

  /* Full size only as asked for (what comes into view at 100 %), exactly the whole decode. */
  {
    int nc, nr;

    bm_image_pyramid_get_level_size (pyramid, 0, NULL, NULL, &nc, &nr);
    for (int r = 0; r < nr; r++)
      for (int c = 0; c < nc; c++)
        bm_image_stream_request_tile (stream, 0, c, r);
    for (int r = 0; r < nr; r++)
      for (int c = 0; c < nc; c++)
        while (!bm_image_pyramid_tile_is_complete (pyramid, 0, c, r))
          g_usleep (1000);
  }
  assert_level_is (pyramid, 0, full);
  g_clear_pointer (&stream, bm_image_stream_unref);
  bm_test_remove_tree (dir);
}

static void
test_stream_truncated (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "cut.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImageStream) stream = NULL;

  write_jpeg (path, 4000, 3000, 300000);
  stream = bm_image_stream_new_with_limit (path, dir, 1 << 20, &error);
  g_assert_no_error (error);
  bm_image_stream_set_active (stream, TRUE);
  bm_image_stream_start (stream);
  bm_image_stream_wait (stream, TRUE);
  error = bm_image_stream_get_error (stream);
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  /* The part decoded before the error stays. */
  {
    BmPyramidTile tile;

    g_assert_true (bm_image_pyramid_get_tile (bm_image_stream_get_pyramid (stream),
                                              bm_image_stream_get_overview_level (stream), 0, 0, &tile));
    g_assert_cmpint (tile.valid_rows, >, 100);
    bm_pyramid_tile_clear (&tile);
  }
  g_clear_pointer (&stream, bm_image_stream_unref);
  bm_test_remove_tree (dir);
}

static gsize
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

/* Resident memory now, from /proc/self/statm (pages). */
static gsize
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  char **fields;
  gsize pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    {
      fields = g_strsplit (statm, " ", 3);
      if (fields[0] != NULL && fields[1] != NULL)
        pages = (gsize) g_ascii_strtoull (fields[1], NULL, 10);
      g_strfreev (fields);
    }
  return pages * (gsize) sysconf (_SC_PAGESIZE);
}

/* Sampled each time a band of rows lands in the pyramid. */
typedef struct
{
  gsize heap_base;
  gsize heap_peak;
  gsize rss_base;
  gsize rss_peak;
} Watch;

static void
watch_cb (gpointer data)
{
  Watch *watch = data;
  gsize heap = heap_bytes (), rss = rss_bytes ();

  watch->heap_peak = MAX (watch->heap_peak, heap > watch->heap_base ? heap - watch->heap_base : 0);
  watch->rss_peak = MAX (watch->rss_peak, rss > watch->rss_base ? rss - watch->rss_base : 0);
}

static guint8
png_pattern (int x, int y)
{
  return (guint8) ((x / 3) ^ (y / 5) ^ ((x * y) >> 9));
}

/* A PNG much larger than the budget streams through bounded memory: the heap and the process'
 * peak grow by the budget and a band of tiles, not by the image. */
static void
test_stream_png_bounded_memory (void)
{
  const int width = 12000, height = 7000;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImageStream) stream = NULL;
  Watch watch = { 0 };
  BmImagePyramid *pyramid;
  gsize bound, band = 0;

  {
    FILE *file = g_fopen (path, "wb");
    png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct (png);
    g_autofree guint8 *row = g_malloc (width);

    g_assert_false (setjmp (png_jmpbuf (png)));
    png_init_io (png, file);
    png_set_compression_level (png, 1);
    png_set_IHDR (png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                  PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info (png, info);
    for (int y = 0; y < height; y++)
      {
        for (int x = 0; x < width; x++)
          row[x] = png_pattern (x, y);
        png_write_row (png, row);
      }
    png_write_end (png, NULL);
    png_destroy_write_struct (&png, &info);
    fclose (file);
  }

  stream = bm_image_stream_new (path, dir, &error);
  g_assert_no_error (error);
  g_assert_false (bm_image_stream_is_small (stream));
  g_assert_cmpuint (bm_image_stream_get_overview_level (stream), ==, 0);
  pyramid = bm_image_stream_get_pyramid (stream);

  malloc_trim (0);
  watch.heap_base = heap_bytes ();
  watch.rss_base = rss_bytes ();
  bm_image_stream_set_notify (stream, watch_cb, &watch);
  bm_image_stream_start (stream);   /* inactive: the smaller budget */
  bm_image_stream_wait (stream, TRUE);
  g_assert_null (bm_image_stream_get_error (stream));

  for (guint l = 0; l < bm_image_pyramid_get_n_levels (pyramid); l++)
    {
      int w;

      bm_image_pyramid_get_level_size (pyramid, l, &w, NULL, NULL, NULL);
      band += (gsize) w * BM_TILE_SIZE * 4;
    }
  bound = BM_IMAGE_STREAM_INACTIVE_BUDGET + (64u << 20) + band;
  g_test_message ("tiles %" G_GUINT64_FORMAT " MB; peak in memory %zu MB, heap growth %zu MB, RSS growth %zu MB, "
                  "bound %zu MB", bm_image_pyramid_get_total_bytes (pyramid) >> 20,
                  bm_image_pyramid_get_peak_resident_bytes (pyramid) >> 20, watch.heap_peak >> 20,
                  watch.rss_peak >> 20, bound >> 20);
  g_assert_cmpuint (bm_image_pyramid_get_total_bytes (pyramid), >, 2 * bound);
  g_assert_cmpuint (bm_image_pyramid_get_peak_resident_bytes (pyramid), <=, bound);
#if BM_UNDER_ASAN
  /* AddressSanitizer has its own allocator (mallinfo sees nothing) and keeps freed memory in
   * quarantine: the memory figures mean nothing there; the pixels are still checked below. */
  g_test_message ("memory not measured under AddressSanitizer");
#else
  g_assert_cmpuint (watch.heap_peak, >, 0);
  g_assert_cmpuint (watch.heap_peak, <=, bound + (16u << 20));
  g_assert_cmpuint (watch.rss_peak, <=, bound + (64u << 20));
#endif

  /* And the pixels are right, including tiles read back from the temporary file. */
  {
    int nc, nr;

    bm_image_pyramid_get_level_size (pyramid, 0, NULL, NULL, &nc, &nr);
    for (int r = 0; r < nr; r += 3)
      for (int c = 0; c < nc; c += 4)
        {
          BmPyramidTile tile;
          const guint32 *px;

          while (!bm_image_pyramid_get_tile (pyramid, 0, c, r, &tile))
            g_usleep (500);
          px = g_bytes_get_data (tile.pixels, NULL);
          for (int y = 0; y < tile.height; y += 7)
            for (int x = 0; x < tile.width; x += 5)
              {
                guint8 v = png_pattern (tile.x + x, tile.y + y);

                g_assert_cmpuint (px[(gsize) y * tile.width + x], ==, 0xff000000u | (v << 16) | (v << 8) | v);
              }
          bm_pyramid_tile_clear (&tile);
        }
  }
  g_clear_pointer (&stream, bm_image_stream_unref);
  bm_test_remove_tree (dir);
}

/* A tiled TIFF with an overview opens on it; finer tiles come on request, read on their own. */
static void
test_stream_tiff_requests (void)
{
  const int width = 5000, height = 4200;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "tiled.tif", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImageStream) stream = NULL;
  g_autoptr(BmImage) whole = NULL;
  BmImagePyramid *pyramid;
  TIFF *tif = TIFFOpen (path, "w");
  g_autofree guint8 *tile = g_malloc (256 * 256);

  /* The main image and its 1/4 overview (level 1 then comes from level 0, halved). */
  for (int level = 0; level <= 2; level += 2)
    {
      int w = (width + (1 << level) - 1) >> level, h = (height + (1 << level) - 1) >> level;

      TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, w);
      TIFFSetField (tif, TIFFTAG_IMAGELENGTH, h);
      TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
      TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
      TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
      TIFFSetField (tif, TIFFTAG_TILEWIDTH, 256);
      TIFFSetField (tif, TIFFTAG_TILELENGTH, 256);
      if (level > 0)
        TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_REDUCEDIMAGE);
      for (int ty = 0; ty < h; ty += 256)
        for (int tx = 0; tx < w; tx += 256)
          {
            for (int y = 0; y < 256; y++)
              for (int x = 0; x < 256; x++)
                tile[y * 256 + x] = png_pattern ((tx + x) << level, (ty + y) << level);
            g_assert_cmpint (TIFFWriteTile (tif, tile, (guint32) tx, (guint32) ty, 0, 0), >=, 0);
          }
      g_assert_true (TIFFWriteDirectory (tif));
    }
  TIFFClose (tif);

  stream = bm_image_stream_new_with_limit (path, dir, 1 << 20, &error);
  g_assert_no_error (error);
  /* 5000 / 4 = 1250 ≥ 1024: the 1/4 overview. */
  g_assert_cmpuint (bm_image_stream_get_overview_level (stream), ==, 2);
  pyramid = bm_image_stream_get_pyramid (stream);
  bm_image_stream_start (stream);
  bm_image_stream_wait (stream, TRUE);
  g_assert_true (bm_image_stream_is_done (stream));
  g_assert_true (bm_image_pyramid_level_is_complete (pyramid, 2));
  g_assert_cmpint (bm_image_pyramid_get_complete_rows (pyramid, 0), ==, 0);

  whole = bm_image_load (path, &error);
  g_assert_no_error (error);
  bm_image_stream_set_active (stream, TRUE);
  for (guint level = 0; level <= 1; level++)
    {
      int nc, nr;

      bm_image_pyramid_get_level_size (pyramid, level, NULL, NULL, &nc, &nr);
      for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++)
          bm_image_stream_request_tile (stream, level, c, r);
      for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++)
          while (!bm_image_pyramid_tile_is_complete (pyramid, level, c, r))
            g_usleep (1000);
    }
  assert_level_is (pyramid, 0, whole);
  {
    int w, h;
    g_autofree guint32 *level0 = read_level (pyramid, 0, &w, &h);
    g_autofree guint32 *half = halve_reference (level0, w, h);
    g_autofree guint32 *level1 = read_level (pyramid, 1, &w, &h);

    g_assert_cmpmem (level1, (gsize) w * h * 4, half, (gsize) w * h * 4);
  }
  g_assert_null (bm_image_stream_get_error (stream));
  g_clear_pointer (&stream, bm_image_stream_unref);
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image-pyramid/levels", test_levels);
  g_test_add_func ("/image-pyramid/halving", test_halving);
  g_test_add_func ("/image-pyramid/budget", test_budget);
  g_test_add_func ("/image-pyramid/restart", test_restart);
  g_test_add_func ("/image-pyramid/put-tile", test_put_tile);
  g_test_add_func ("/image-stream/jpeg", test_stream_jpeg);
  g_test_add_func ("/image-stream/truncated", test_stream_truncated);
  g_test_add_func ("/image-stream/png-bounded-memory", test_stream_png_bounded_memory);
  g_test_add_func ("/image-stream/tiff-requests", test_stream_tiff_requests);
  return g_test_run ();
}
