/* test-tile-image.c: drawing BmTileImage (suite 'gui', needs a display for GTK): the EXIF
 * orientation applied while drawing, and a huge image that fills in as it decodes, drawn from a
 * coarser level where its tiles are not there yet.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <jpeglib.h>

#include "core/bm-image.h"
#include "core/bm-image-stream.h"
#include "widgets/bm-tile-image.h"
#include "bm-test-util.h"

static char *tmp_root;

/* Renders @image at @zoom (image origin at the view's) into @width × @height B G R A bytes over
 * opaque red, so that what is not drawn shows. */
static guint8 *
render_with (BmTileImage *image, double zoom, double offset_x, double offset_y, int width, int height,
             gboolean paint_surfaces)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *pixels = g_malloc ((gsize) width * height * 4);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 0, 0, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  bm_tile_image_snapshot (image, snapshot, zoom, offset_x, offset_y, width, height, 1, paint_surfaces);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  gsk_renderer_unrealize (renderer);
  return pixels;
}

static guint8 *
render (BmTileImage *image, double zoom, double offset_x, double offset_y, int width, int height)
{
  return render_with (image, zoom, offset_x, offset_y, width, height, FALSE);
}

static char *
testdata (const char *rel)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), rel, NULL);
}

/* A file with EXIF orientation N is drawn as its upright decode is: exactly at 100 % and 300 %
 * (sharp pixels), closely at 50 % (the halved levels pair pixels from the other side when a
 * turned side is odd: a half-pixel shift, where a wrong orientation differs by tens). */
static void
test_orientation (void)
{
  for (int n = 1; n <= 8; n++)
    {
      g_autofree char *name = g_strdup_printf ("exif/orient_%d.jpg", n);
      g_autofree char *path = testdata (name);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmTileImage) from_file = bm_tile_image_new_for_file (path, &error);
      g_autoptr(BmImage) upright = bm_image_load (path, &error);
      g_autoptr(BmTileImage) reference = NULL;
      static const double zooms[] = { 1.0, 3.0, 0.5 };

      g_assert_no_error (error);
      reference = bm_tile_image_new (upright->data, upright->width, upright->height, upright->channels,
                                     upright->stride);
      g_assert_cmpint (bm_tile_image_get_width (from_file), ==, upright->width);
      g_assert_cmpint (bm_tile_image_get_height (from_file), ==, upright->height);
      g_assert_false (bm_tile_image_is_loading (from_file));
      for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
        {
          int w = (int) (upright->width * zooms[z]), h = (int) (upright->height * zooms[z]);
          g_autofree guint8 *a = render (from_file, zooms[z], 0, 0, w, h);
          g_autofree guint8 *b = render (reference, zooms[z], 0, 0, w, h);
          guint64 sum = 0;
          int worst = 0;

          for (gsize i = 0; i < (gsize) w * h * 4; i++)
            {
              int d = ABS ((int) a[i] - (int) b[i]);

              sum += (guint64) d;
              worst = MAX (worst, d);
            }
          g_test_message ("orientation %d at %.0f %%: mean difference %.3f, largest %d", n, zooms[z] * 100,
                          (double) sum / ((double) w * h * 4), worst);
          if (zooms[z] >= 1.0)
            g_assert_cmpint (worst, ==, 0);
          else
            g_assert_cmpfloat ((double) sum / ((double) w * h * 4), <, 6.0);
        }
    }
}

/* Tiles painted by cairo from their pixels (for GTK's cairo renderer) look as the textures do:
 * the same pixels zoomed in (both sharp), bilinear against GTK's GOOD filter zoomed out; where
 * tiles meet there is no seam, and every pixel is where it belongs, zoomed in too (GTK 4.8
 * scales the translation of a cairo node appended under a scaled snapshot: the image was drawn
 * 2.5 × its offset from the corner at 250 %). The image is offset by (20, 10) in the view. */
static void
test_painted_like_textures (void)
{
  const int width = 1500, height = 1100;
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  g_autoptr(BmTileImage) image = NULL;
  static const double zooms[] = { 0.3, 0.55, 0.9, 1.0, 2.5 };

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = rgb + ((gsize) y * width + x) * 3;

        p[0] = (guint8) (x * 255 / width);
        p[1] = (guint8) (y * 255 / height);
        p[2] = (guint8) ((x + y) * 255 / (width + height));
      }
  image = bm_tile_image_new (rgb, width, height, 3, width * 3);
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      const int w = 600, h = 400;
      g_autofree guint8 *textures = render_with (image, zooms[z], 20, 10, w, h, FALSE);
      g_autofree guint8 *painted = render_with (image, zooms[z], 20, 10, w, h, TRUE);
      guint64 sum = 0;
      int worst = 0;

      gsize n = 0;

      /* inside the image: at its edges the textures are antialiased, the painted tiles not */
      for (gsize i = 0; i < (gsize) w * h * 4; i++)
        {
          int d = ABS ((int) textures[i] - (int) painted[i]);
          double ix = ((double) (i / 4 % w) + 0.5 - 20) / zooms[z], iy = ((double) (i / 4 / w) + 0.5 - 10) / zooms[z];

          if (ix < 4 || iy < 4 || ix > width - 4 || iy > height - 4)
            continue;
          n++;
          sum += (guint64) d;
          worst = MAX (worst, d);
        }
      g_test_message ("zoom %.2f: mean difference %.3f, largest %d", zooms[z], (double) sum / (double) n, worst);
      if (zooms[z] >= 1.0)
        g_assert_cmpint (worst, ==, 0);
      else
        {
          g_assert_cmpfloat ((double) sum / (double) n, <, 4.0);
          g_assert_cmpint (worst, <, 40);
        }

      /* Where the tiles meet, no seam: every pixel is the gradient's value there (the background
       * is red). Pixels are BGRA words. */
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            double ix = (x + 0.5 - 20) / zooms[z], iy = (y + 0.5 - 10) / zooms[z];
            const guint8 *p = painted + ((gsize) y * w + x) * 4;

            if (ix < 4 || iy < 4 || ix > width - 4 || iy > height - 4)
              continue;
            g_assert_cmpfloat (fabs (p[2] - ix * 255 / width), <=, 4.0);
            g_assert_cmpfloat (fabs (p[1] - iy * 255 / height), <=, 4.0);
            g_assert_cmpfloat (fabs (p[0] - (ix + iy) * 255 / (width + height)), <=, 4.0);
          }
    }
}

static void
write_big_jpeg (const char *path, int width, int height)
{
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  FILE *file = g_fopen (path, "wb");
  g_autofree guint8 *row = g_malloc ((gsize) width * 3);

  c.err = jpeg_std_error (&err);
  jpeg_create_compress (&c);
  jpeg_stdio_dest (&c, file);
  c.image_width = (JDIMENSION) width;
  c.image_height = (JDIMENSION) height;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults (&c);
  jpeg_set_quality (&c, 80, TRUE);
  jpeg_start_compress (&c, TRUE);
  for (int y = 0; y < height; y++)
    {
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < width; x++)
        {
          /* Blue left of the middle, green right of it, with a texture. */
          row[3 * x] = (guint8) ((x ^ y) & 15);
          row[3 * x + 1] = x < width / 2 ? 20 : 220;
          row[3 * x + 2] = x < width / 2 ? 220 : 20;
        }
      jpeg_write_scanlines (&c, rows, 1);
    }
  jpeg_finish_compress (&c);
  jpeg_destroy_compress (&c);
  fclose (file);
}

static void
count_changed_cb (BmTileImage *image, guint *count)
{
  (*count)++;
}

/* A huge image opens on its header, says "changed" as it fills in, shows whole at fit once its
 * overview is decoded, and at 100 % draws a coarser level where full-size tiles are still coming,
 * then the full-size pixels. */
static void
test_huge_fills_in (void)
{
  const int width = 9000, height = 6000;
  g_autofree char *path = g_build_filename (tmp_root, "huge.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmTileImage) image = NULL;
  g_autofree guint8 *fit = NULL;
  g_autofree guint8 *full = NULL;
  guint changed = 0;

  write_big_jpeg (path, width, height);
  g_assert_cmpint ((gint64) width * height, >, BM_IMAGE_STREAM_SMALL_PIXELS);
  image = bm_tile_image_new_for_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bm_tile_image_get_width (image), ==, width);
  g_signal_connect (image, "changed", G_CALLBACK (count_changed_cb), &changed);
  bm_tile_image_set_active (image, TRUE);

  while (!bm_tile_image_has_overview (image) || bm_tile_image_is_loading (image) || changed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changed, >, 0);

  /* At fit: blue left, green right, nothing red. */
  fit = render (image, 600.0 / width, 0, 0, 600, 400);
  for (int y = 10; y < 390; y += 20)
    {
      const guint8 *left = fit + ((gsize) y * 600 + 100) * 4, *right = fit + ((gsize) y * 600 + 500) * 4;

      g_assert_cmpint (left[0], >, 180);    /* B */
      g_assert_cmpint (left[2], <, 60);     /* R */
      g_assert_cmpint (right[1], >, 180);   /* G */
      g_assert_cmpint (right[2], <, 60);
    }

  /* At 100 % around the middle: first whatever level is there (never the red ground), then,
   * once the full-size tiles asked for by drawing have come, the decoded pixels themselves. */
  full = render (image, 1.0, -(width / 2.0 - 300), -(height / 2.0 - 200), 600, 400);
  for (gsize i = 0; i < 600 * 400; i += 97)
    g_assert_false (full[i * 4 + 2] > 200 && full[i * 4 + 1] < 50 && full[i * 4] < 50);
  {
    g_autoptr(BmImage) decoded = bm_image_load (path, &error);
    gboolean exact = FALSE;

    g_assert_no_error (error);
    while (!exact)
      {
        g_clear_pointer (&full, g_free);
        g_main_context_iteration (NULL, FALSE);
        full = render (image, 1.0, -(width / 2.0 - 300), -(height / 2.0 - 200), 600, 400);
        exact = TRUE;
        for (int y = 0; y < 400 && exact; y += 7)
          for (int x = 0; x < 600 && exact; x += 5)
            {
              const guint8 *p = full + ((gsize) y * 600 + x) * 4;
              const guint8 *q = decoded->data + (gsize) (height / 2 - 200 + y) * decoded->stride
                                + (gsize) (width / 2 - 300 + x) * 3;

              exact = p[2] == q[0] && p[1] == q[1] && p[0] == q[2];
            }
        if (!exact)
          g_usleep (2000);
      }
  }
  g_assert_null (bm_tile_image_get_error (image));
  g_clear_object (&image);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  tmp_root = g_dir_make_tmp ("boxmark-tile-image-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);
  /* Huge images' tiles beyond their budget go to a temporary folder, not the user's cache
   * (set before GTK starts its threads). */
  g_setenv ("BM_TILE_SPILL_DIR", tmp_root, TRUE);
  if (!gtk_init_check () || g_getenv ("BM_TESTDATA") == NULL)
    {
      g_print ("1..0 # SKIP no display, or BM_TESTDATA missing\n");
      g_rmdir (tmp_root);
      return 0;
    }

  g_test_add_func ("/tile-image/orientation", test_orientation);
  g_test_add_func ("/tile-image/painted-like-textures", test_painted_like_textures);
  g_test_add_func ("/tile-image/huge-fills-in", test_huge_fills_in);
  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
