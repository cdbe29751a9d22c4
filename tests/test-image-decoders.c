/* test-image-decoders.c: the JPEG, PNG and TIFF decoders against their references (OpenCV's
 * cv2.imread for JPEG, stb_image for PNG, the pixels written for TIFF), their streaming and
 * region reads, and bad files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-image-decoder.h"
#include "core/bm-image-private.h"
#include "bm-test-util.h"

#define PYTHON "/usr/bin/python3"

/* ---- helpers ---------------------------------------------------------------------------- */

static char *
testdata (const char *rel)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, rel, NULL);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bm-test-decoders-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
collect_images (const char *dir, const char *suffix, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_images (path, suffix, out);
          g_free (path);
        }
      else if (g_str_has_suffix (path, suffix))
        g_ptr_array_add (out, path);
      else
        g_free (path);
    }
}

static guint8 *
pixel (const BmImage *image, int x, int y)
{
  return image->data + (gsize) y * image->stride + (gsize) x * image->channels;
}

static gboolean
images_equal (const BmImage *a, const BmImage *b)
{
  if (a->width != b->width || a->height != b->height || a->channels != b->channels)
    return FALSE;
  for (int y = 0; y < a->height; y++)
    if (memcmp (pixel (a, 0, y), pixel (b, 0, y), (gsize) a->width * a->channels) != 0)
      return FALSE;
  return TRUE;
}

static BmImage *
load_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  BmImage *image = bm_image_load (path, &error);

  g_assert_no_error (error);
  return image;
}

static BmImage *
crop (const BmImage *image, int x, int y, int width, int height)
{
  BmImage *out = bm_image_new (width, height, image->channels);

  for (int r = 0; r < height; r++)
    memcpy (pixel (out, 0, r), pixel (image, x, y + r), (gsize) width * image->channels);
  return out;
}

/* Rows of a decoder gathered into one image. */
typedef struct
{
  BmImage *image;
  int next_y;
} Gather;

static gboolean
gather_rows (const guint8 *rows, gsize stride, int y, int n_rows, gpointer user_data)
{
  Gather *g = user_data;

  g_assert_cmpint (y, ==, g->next_y);
  g_assert_cmpint (y + n_rows, <=, g->image->height);
  for (int r = 0; r < n_rows; r++)
    memcpy (pixel (g->image, 0, y + r), rows + (gsize) r * stride, (gsize) g->image->width * g->image->channels);
  g->next_y = y + n_rows;
  return TRUE;
}

static BmImage *
read_all_rows (BmImageDecoder *decoder, guint shift)
{
  g_autoptr(GError) error = NULL;
  Gather g = { NULL, 0 };
  int w, h;

  bm_image_decoder_reduced_size (decoder, shift, &w, &h);
  g.image = bm_image_new (w, h, bm_image_decoder_get_channels (decoder));
  g_assert_true (bm_image_decoder_read_rows (decoder, shift, 0, gather_rows, &g, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g.next_y, ==, h);
  return g.image;
}

/* ---- PNG: libpng gives stb_image's pixels ------------------------------------------------- */

static void
assert_png_matches_stb (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) ours = NULL;
  g_autoptr(BmImage) stb = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  ours = load_ok (path);
  stb = bm_image_stb_decode ((guint8 *) contents, length, path, &error);
  g_assert_no_error (error);
  if (!images_equal (ours, stb))
    g_error ("%s: libpng %dx%dx%d differs from stb_image %dx%dx%d", path, ours->width, ours->height,
             ours->channels, stb->width, stb->height, stb->channels);
  g_assert_cmpint (ours->source_bits, ==, stb->source_bits);
}

static void
test_png_testdata_matches_stb (void)
{
  g_autofree char *root = testdata ("");
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  collect_images (root, ".png", paths);
  g_assert_cmpuint (paths->len, >=, 10);
  for (guint i = 0; i < paths->len; i++)
    assert_png_matches_stb (paths->pdata[i]);
  g_test_message ("%u PNGs identical to stb_image", paths->len);
}

typedef struct
{
  const char *name;
  int color_type;
  int bit_depth;
  gboolean interlaced;
  gboolean trns;
} PngVariant;

/* Writes a PNG of every kind with libpng: samples from a fixed pattern. */
static void
write_png_variant (const char *path, const PngVariant *v, int width, int height)
{
  FILE *file = g_fopen (path, "wb");
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct (png);
  int samples = v->color_type == PNG_COLOR_TYPE_RGB ? 3 : v->color_type == PNG_COLOR_TYPE_RGBA ? 4
              : v->color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
  int max = (1 << v->bit_depth) - 1;
  gsize row_bytes = ((gsize) width * samples * v->bit_depth + 7) / 8;
  g_autofree guint8 *row = g_malloc0 (row_bytes);

  g_assert_nonnull (file);
  g_assert_false (setjmp (png_jmpbuf (png)));
  png_init_io (png, file);
  png_set_IHDR (png, info, width, height, v->bit_depth, v->color_type,
                v->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  if (v->color_type == PNG_COLOR_TYPE_PALETTE)
    {
      png_color palette[256];
      guint8 alpha[256];
      int n = 1 << v->bit_depth;

      for (int i = 0; i < n; i++)
        {
          palette[i] = (png_color) { (guint8) (i * 37), (guint8) (255 - i * 11), (guint8) (i * 5 + 3) };
          alpha[i] = (guint8) (i * 29);
        }
      png_set_PLTE (png, info, palette, n);
      if (v->trns)
        png_set_tRNS (png, info, alpha, MIN (n, 7), NULL);
    }
  else if (v->trns)
    {
      png_color_16 key = { 0, (png_uint_16) (3 % (max + 1)), (png_uint_16) (5 % (max + 1)), (png_uint_16) (7 % (max + 1)),
                           (png_uint_16) (3 % (max + 1)) };
      png_set_tRNS (png, info, NULL, 0, &key);
    }
  png_write_info (png, info);
  if (v->bit_depth == 16)
    png_set_swap (png);   /* rows below are little-endian 16-bit */
  {
    int passes = png_set_interlace_handling (png);

    for (int pass = 0; pass < passes; pass++)
      for (int y = 0; y < height; y++)
        {
          memset (row, 0, row_bytes);
          for (int x = 0; x < width; x++)
            for (int k = 0; k < samples; k++)
              {
                /* Every 9th pixel hits the tRNS key (3, 5, 7); the rest a pattern. */
                gboolean key = (x + y) % 9 == 0;
                int value = key ? (3 + 2 * k) % (max + 1) : (x * 13 + y * 7 + k * 50) % (max + 1);
                gsize bit = ((gsize) x * samples + k) * v->bit_depth;

                if (v->bit_depth == 16)
                  {
                    int wide = key ? value : (value * 257 + x) & 0xFFFF;

                    row[bit / 8] = (guint8) (wide & 255);
                    row[bit / 8 + 1] = (guint8) (wide >> 8);
                  }
                else
                  row[bit / 8] |= (guint8) (value << (8 - v->bit_depth - bit % 8));
              }
          png_write_row (png, row);
        }
  }
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  fclose (file);
}

static void
test_png_variants_match_stb (void)
{
  static const PngVariant variants[] = {
    { "gray1", PNG_COLOR_TYPE_GRAY, 1, FALSE, FALSE },
    { "gray2", PNG_COLOR_TYPE_GRAY, 2, FALSE, FALSE },
    { "gray4_trns", PNG_COLOR_TYPE_GRAY, 4, FALSE, TRUE },
    { "gray8", PNG_COLOR_TYPE_GRAY, 8, FALSE, FALSE },
    { "gray8_trns_adam7", PNG_COLOR_TYPE_GRAY, 8, TRUE, TRUE },
    { "gray16", PNG_COLOR_TYPE_GRAY, 16, FALSE, FALSE },
    { "gray16_trns", PNG_COLOR_TYPE_GRAY, 16, FALSE, TRUE },
    { "graya8", PNG_COLOR_TYPE_GRAY_ALPHA, 8, FALSE, FALSE },
    { "graya16_adam7", PNG_COLOR_TYPE_GRAY_ALPHA, 16, TRUE, FALSE },
    { "rgb8", PNG_COLOR_TYPE_RGB, 8, FALSE, FALSE },
    { "rgb8_trns", PNG_COLOR_TYPE_RGB, 8, FALSE, TRUE },
    { "rgb8_adam7", PNG_COLOR_TYPE_RGB, 8, TRUE, FALSE },
    { "rgb16", PNG_COLOR_TYPE_RGB, 16, FALSE, FALSE },
    { "rgb16_trns", PNG_COLOR_TYPE_RGB, 16, FALSE, TRUE },
    { "rgba8", PNG_COLOR_TYPE_RGBA, 8, FALSE, FALSE },
    { "rgba16_adam7", PNG_COLOR_TYPE_RGBA, 16, TRUE, FALSE },
    { "palette1", PNG_COLOR_TYPE_PALETTE, 1, FALSE, FALSE },
    { "palette2_trns", PNG_COLOR_TYPE_PALETTE, 2, FALSE, TRUE },
    { "palette4", PNG_COLOR_TYPE_PALETTE, 4, TRUE, FALSE },
    { "palette8_trns", PNG_COLOR_TYPE_PALETTE, 8, FALSE, TRUE },
  };
  g_autofree char *dir = make_temp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *name = g_strconcat (variants[i].name, ".png", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImageDecoder) decoder = NULL;
      g_autoptr(BmImage) streamed = NULL;
      g_autoptr(BmImage) loaded = NULL;
      int w, h, c;

      write_png_variant (path, &variants[i], 37, 23);
      assert_png_matches_stb (path);

      /* The header says what the decode gives; streaming gives the same rows. */
      loaded = load_ok (path);
      g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
      g_assert_cmpint (c, ==, loaded->channels);
      decoder = bm_image_decoder_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (bm_image_decoder_get_reductions (decoder), ==, 1);
      g_assert_false (bm_image_decoder_has_regions (decoder));
      streamed = read_all_rows (decoder, 0);
      g_assert_true (images_equal (streamed, loaded));
    }
  bm_test_remove_tree (dir);
}

/* A chunk put into @path just after IHDR (its CRC left wrong: libpng takes ancillary chunks
 * with a bad CRC here, so only the chunk's own rules decide). */
static void
insert_chunk_after_ihdr (const char *path, const char *type, const guint8 *payload, guint32 length)
{
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 head[8] = { (guint8) (length >> 24), (guint8) (length >> 16), (guint8) (length >> 8), (guint8) length };
  static const guint8 crc[4] = { 0 };
  gsize size;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  memcpy (head + 4, type, 4);
  g_byte_array_append (out, (const guint8 *) contents, 33);   /* signature + IHDR */
  g_byte_array_append (out, head, 8);
  g_byte_array_append (out, payload, length);
  g_byte_array_append (out, crc, 4);
  g_byte_array_append (out, (const guint8 *) contents + 33, (guint) (size - 33));
  g_assert_true (g_file_set_contents (path, (const char *) out->data, out->len, NULL));
}

/* tRNS chunks libpng ignores (wrong size for the colour type, before the palette) add no alpha:
 * the header says the channels the rows have (the stream copies that many; fuzz-png found a
 * header of 2 channels over rows of 1), and rows and whole decode agree. */
static void
test_png_ignored_transparency (void)
{
  static const PngVariant gray = { "gray8", PNG_COLOR_TYPE_GRAY, 8, FALSE, FALSE };
  static const PngVariant palette = { "palette8", PNG_COLOR_TYPE_PALETTE, 8, FALSE, FALSE };
  static const guint8 nine[9] = { 0, 0, 11, 19, 0, 0, 11, 19, 1 };
  static const guint8 two[2] = { 0, 3 };
  static const struct { const PngVariant *variant; const guint8 *trns; guint32 length; int channels; } cases[] = {
    { &gray, nine, 9, 1 },      /* gray takes 2 bytes */
    { &gray, two, 2, 2 },       /* …and then it is transparency */
    { &palette, two, 2, 3 },    /* before PLTE: out of place */
  };
  g_autofree char *dir = make_temp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/case%u.png", dir, i);
      g_autoptr(BmImageDecoder) decoder = NULL;
      g_autoptr(BmImage) rows = NULL;
      g_autoptr(BmImage) whole = NULL;
      g_autoptr(GError) error = NULL;

      write_png_variant (path, cases[i].variant, 37, 21);
      insert_chunk_after_ihdr (path, "tRNS", cases[i].trns, cases[i].length);
      decoder = bm_image_decoder_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (bm_image_decoder_get_channels (decoder), ==, cases[i].channels);
      rows = read_all_rows (decoder, 0);
      whole = load_ok (path);
      g_assert_cmpint (whole->channels, ==, cases[i].channels);
      g_assert_true (images_equal (rows, whole));
    }
  bm_test_remove_tree (dir);
}

static void
test_png_errors (void)
{
  g_autofree char *source = testdata ("detect/astronaut.png");
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *cut = g_build_filename (dir, "cut.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  /* Streaming meets the end of a cut file as an error naming it, for every cut. */
  for (gsize n = length / 5; n < length; n += length / 5)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImageDecoder) decoder = NULL;
      Gather g = { NULL, 0 };

      g_assert_true (g_file_set_contents (cut, contents, (gssize) n, NULL));
      decoder = bm_image_decoder_open (cut, &error);
      g_assert_no_error (error);
      g.image = bm_image_new (bm_image_decoder_get_width (decoder), bm_image_decoder_get_height (decoder),
                              bm_image_decoder_get_channels (decoder));
      g_assert_false (bm_image_decoder_read_rows (decoder, 0, 0, gather_rows, &g, NULL, &error));
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, cut));
      bm_image_unref (g.image);
    }
  bm_test_remove_tree (dir);
}

/* ---- JPEG: libjpeg-turbo gives OpenCV's pixels -------------------------------------------- */

/* Decodes each "SOURCE\tOUT\tFLAG" line with cv2.imread(SOURCE, FLAG) into OUT: "w h c\n" and
 * the BGR (or gray) bytes. */
static const char opencv_script[] =
  "import sys, cv2, numpy as np\n"
  "for line in open(sys.argv[1]):\n"
  "    src, dst, flag = line.rstrip('\\n').split('\\t')\n"
  "    img = cv2.imread(src, int(flag))\n"
  "    with open(dst, 'wb') as f:\n"
  "        if img is None:\n"
  "            continue\n"
  "        if img.ndim == 2:\n"
  "            img = img[:, :, None]\n"
  "        h, w, c = img.shape\n"
  "        f.write(('%d %d %d\\n' % (w, h, c)).encode())\n"
  "        f.write(np.ascontiguousarray(img).tobytes())\n";

static gboolean
opencv_available (void)
{
  const char *argv[] = { PYTHON, "-c", "import cv2, numpy", NULL };
  int status = -1;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

typedef struct
{
  char *source;
  int flag;             /* cv2.IMREAD_COLOR (1) or IMREAD_REDUCED_COLOR_N (17, 33, 65) */
  char *out;
} OpenCvJob;

static void
opencv_job_free (OpenCvJob *job)
{
  g_free (job->source);
  g_free (job->out);
  g_free (job);
}

static void
run_opencv (GPtrArray *jobs, const char *dir)
{
  g_autofree char *script = g_build_filename (dir, "imread.py", NULL);
  g_autofree char *list = g_build_filename (dir, "jobs.txt", NULL);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      OpenCvJob *job = jobs->pdata[i];

      job->out = g_strdup_printf ("%s/cv%u.raw", dir, i);
      g_string_append_printf (lines, "%s\t%s\t%d\n", job->source, job->out, job->flag);
    }
  g_assert_true (g_file_set_contents (script, opencv_script, -1, NULL));
  g_assert_true (g_file_set_contents (list, lines->str, -1, NULL));
  {
    const char *argv[] = { PYTHON, script, list, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("cv2.imread failed: %s", err);
}

/* OpenCV's BGR (3 channels even for gray files) against our RGB or gray. */
static void
assert_equals_opencv (const BmImage *ours, const OpenCvJob *job)
{
  g_autofree char *contents = NULL;
  gsize length;
  int w, h, c, header_end = 0;

  g_assert_true (g_file_get_contents (job->out, &contents, &length, NULL));
  if (length == 0)
    g_error ("%s: OpenCV cannot read it", job->source);
  /* Not "\n" in the format: it would also eat pixel bytes that look like white space. */
  g_assert_nonnull (memchr (contents, '\n', MIN (length, 64)));
  header_end = (int) ((const char *) memchr (contents, '\n', MIN (length, 64)) - contents) + 1;
  g_assert_cmpint (sscanf (contents, "%d %d %d", &w, &h, &c), ==, 3);
  g_assert_cmpint (c, ==, 3);
  if (w != ours->width || h != ours->height)
    g_error ("%s (flag %d): %dx%d, OpenCV %dx%d", job->source, job->flag, ours->width, ours->height, w, h);
  g_assert_cmpuint (length, ==, (gsize) header_end + (gsize) w * h * 3);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *bgr = (const guint8 *) contents + header_end + ((gsize) y * w + x) * 3;
        const guint8 *p = pixel (ours, x, y);
        guint8 r = p[0], g = ours->channels >= 3 ? p[1] : p[0], b = ours->channels >= 3 ? p[2] : p[0];

        if (bgr[2] != r || bgr[1] != g || bgr[0] != b)
          g_error ("%s (flag %d): pixel (%d, %d) is %d %d %d, OpenCV's %d %d %d", job->source, job->flag, x, y,
                   r, g, b, bgr[2], bgr[1], bgr[0]);
      }
}

static void
add_job (GPtrArray *jobs, const char *source, int flag)
{
  OpenCvJob *job = g_new0 (OpenCvJob, 1);

  job->source = g_strdup (source);
  job->flag = flag;
  g_ptr_array_add (jobs, job);
}

/* A CMYK or YCCK JPEG, written with libjpeg (OpenCV converts those to BGR its own way). */
static void
write_cmyk_jpeg (const char *path, gboolean ycck)
{
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  FILE *file = g_fopen (path, "wb");
  guint8 row[61 * 4];

  g_assert_nonnull (file);
  c.err = jpeg_std_error (&err);
  jpeg_create_compress (&c);
  jpeg_stdio_dest (&c, file);
  c.image_width = 61;
  c.image_height = 37;
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults (&c);
  if (ycck)
    jpeg_set_colorspace (&c, JCS_YCCK);
  jpeg_set_quality (&c, 90, TRUE);
  jpeg_start_compress (&c, TRUE);
  for (int y = 0; y < 37; y++)
    {
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < 61; x++)
        {
          row[4 * x] = (guint8) (x * 7);
          row[4 * x + 1] = (guint8) (y * 11);
          row[4 * x + 2] = (guint8) (x * y);
          row[4 * x + 3] = (guint8) (x + y * 3);
        }
      jpeg_write_scanlines (&c, rows, 1);
    }
  jpeg_finish_compress (&c);
  jpeg_destroy_compress (&c);
  fclose (file);
}

static void
test_jpeg_matches_opencv (void)
{
  g_autofree char *root = testdata ("");
  g_autofree char *dir = NULL;
  g_autofree char *cmyk = NULL;
  g_autofree char *ycck = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) opencv_job_free);
  static const int reduced[] = { 17, 33, 65 };   /* cv2.IMREAD_REDUCED_COLOR_2, _4, _8 */
  guint n_reduced = 0;

  if (!opencv_available ())
    {
      g_test_skip (PYTHON " with cv2 is not available");
      return;
    }
  dir = make_temp_dir ();
  collect_images (root, ".jpg", paths);
  g_assert_cmpuint (paths->len, >=, 100);
  cmyk = g_build_filename (dir, "cmyk.jpg", NULL);
  ycck = g_build_filename (dir, "ycck.jpg", NULL);
  write_cmyk_jpeg (cmyk, FALSE);
  write_cmyk_jpeg (ycck, TRUE);
  g_ptr_array_add (paths, g_strdup (cmyk));
  g_ptr_array_add (paths, g_strdup (ycck));

  for (guint i = 0; i < paths->len; i++)
    {
      add_job (jobs, paths->pdata[i], 1);
      /* Every image at one DCT scale, in turn. */
      add_job (jobs, paths->pdata[i], reduced[i % 3]);
    }
  run_opencv (jobs, dir);

  for (guint i = 0; i < jobs->len; i++)
    {
      const OpenCvJob *job = jobs->pdata[i];
      g_autoptr(BmImage) ours = NULL;

      if (job->flag == 1)
        ours = load_ok (job->source);
      else
        {
          g_autofree char *contents = NULL;
          g_autoptr(GError) error = NULL;
          BmImageHeader header;
          gsize length;

          g_assert_true (g_file_get_contents (job->source, &contents, &length, NULL));
          g_assert_true (bm_image_parse_header ((guint8 *) contents, length, BM_IMAGE_FORMAT_JPEG, &header));
          ours = bm_image_jpeg_decode ((guint8 *) contents, length, job->source, job->flag >> 3, &error);
          g_assert_no_error (error);
          ours = bm_image_orient_owned (ours, header.orientation);
          n_reduced++;
        }
      assert_equals_opencv (ours, job);
    }
  g_test_message ("%u JPEGs identical to cv2.imread, %u of them also reduced", paths->len, n_reduced);
  bm_test_remove_tree (dir);
}

/* Streaming at every DCT scale equals the whole decode; regions equal its crops. */
static void
test_jpeg_stream_and_regions (void)
{
  if (!bm_test_have_data ("detect/two_people.jpg"))
    return;
  static const char *files[] = { "detect/two_people.jpg", "exif/orient_6.jpg", "detect/messi5.jpg" };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = testdata (files[f]);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImageDecoder) decoder = bm_image_decoder_open (path, &error);
      gsize length;

      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (bm_image_decoder_get_reductions (decoder), ==, 0xF);
      g_assert_true (bm_image_decoder_has_regions (decoder));
      g_assert_false (bm_image_decoder_has_cheap_regions (decoder));
      for (guint shift = 0; shift <= 3; shift++)
        {
          g_autoptr(BmImage) whole = bm_image_jpeg_decode ((guint8 *) contents, length, path, 1 << shift, &error);
          g_autoptr(BmImage) streamed = read_all_rows (decoder, shift);
          int w = whole->width, h = whole->height;
          /* A band from the top, one in the middle (skipping rows), one cropped on both sides. */
          const int regions[][4] = { { 0, 0, w, MIN (h, 40) }, { 0, h / 2, w, h / 4 }, { w / 3, h / 3, w / 3, h / 5 },
                                     { 16, 8, 32, 8 }, { 17, 9, 15, 3 }, { w - 33, h - 17, 33, 17 } };

          g_assert_no_error (error);
          g_assert_true (images_equal (streamed, whole));
          for (guint r = 0; r < G_N_ELEMENTS (regions); r++)
            {
              g_autoptr(BmImage) region = NULL;
              g_autoptr(BmImage) expected = NULL;
              int differ = 0;

              if (regions[r][2] <= 0 || regions[r][3] <= 0)
                continue;
              region = bm_image_decoder_read_region (decoder, shift, regions[r][0], regions[r][1],
                                                     regions[r][2], regions[r][3], &error);
              g_assert_no_error (error);
              expected = crop (whole, regions[r][0], regions[r][1], regions[r][2], regions[r][3]);
              g_assert_cmpint (region->width, ==, expected->width);
              /* Skipped rows and cropped columns, exactly. */
              for (int y = 0; y < region->height; y++)
                for (int i = 0; i < region->width * region->channels; i++)
                  {
                    int d = ABS ((int) pixel (region, 0, y)[i] - (int) pixel (expected, 0, y)[i]);

                    differ += d != 0;
                  }
              g_assert_cmpint (differ, ==, 0);
            }
        }
      /* Outside the image: an error, not a crash. */
      g_assert_null (bm_image_decoder_read_region (decoder, 0, 0, 0, 100000, 1, &error));
      g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
    }
}

static void
test_jpeg_truncated_stream (void)
{
  if (!bm_test_have_data ("detect/two_people.jpg"))
    return;
  g_autofree char *source = testdata ("detect/two_people.jpg");
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *cut = g_build_filename (dir, "cut.jpg", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (cut, contents, (gssize) (length * 2 / 3), NULL));
  for (guint shift = 0; shift <= 3; shift++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImageDecoder) decoder = bm_image_decoder_open (cut, &error);
      g_autoptr(BmImage) region = NULL;
      Gather g = { NULL, 0 };
      int w, h;

      g_assert_no_error (error);
      bm_image_decoder_reduced_size (decoder, shift, &w, &h);
      g.image = bm_image_new (w, h, bm_image_decoder_get_channels (decoder));
      g_assert_false (bm_image_decoder_read_rows (decoder, shift, 0, gather_rows, &g, NULL, &error));
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, "truncated"));
      g_clear_error (&error);
      bm_image_unref (g.image);
      region = bm_image_decoder_read_region (decoder, shift, 0, h - 1, w, 1, &error);
      g_assert_null (region);
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
    }
  bm_test_remove_tree (dir);
}

/* ---- TIFF -------------------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  guint16 photometric;
  guint16 spp;
  guint16 bits;
  guint16 planar;
  guint16 compression;
  guint32 tile;            /* 0: strips */
  guint32 rows_per_strip;
  gboolean alpha;
  int overviews;           /* reduced images after the main one */
  guint16 orientation;
} TiffVariant;

static guint16
pattern (int x, int y, int k, int bits)
{
  guint v = (guint) (x * 7 + y * 13 + k * 61 + ((x ^ y) & 31));

  return bits == 16 ? (guint16) (v * 251 + (guint) x) : (guint16) (v & 255);
}

/* What our decoder must give for pixel (x, y) of a variant: 16 bits keep their high byte,
 * MINISWHITE is inverted, an undeclared extra sample is dropped. */
static void
expected_pixel (const TiffVariant *v, int x, int y, guint8 *out, int *channels)
{
  gboolean rgb = v->photometric == PHOTOMETRIC_RGB || v->photometric == PHOTOMETRIC_YCBCR;
  int colours = rgb ? 3 : 1;

  for (int k = 0; k < colours; k++)
    {
      guint16 s = pattern (x, y, k, v->bits);

      out[k] = v->bits == 16 ? (guint8) (s >> 8) : (guint8) s;
      if (v->photometric == PHOTOMETRIC_MINISWHITE)
        out[k] = (guint8) (255 - out[k]);
    }
  *channels = colours;
  if (v->alpha)
    {
      guint16 s = pattern (x, y, colours, v->bits);

      out[colours] = v->bits == 16 ? (guint8) (s >> 8) : (guint8) s;
      *channels = colours + 1;
    }
}

static void
write_tiff_directory (TIFF *tif, const TiffVariant *v, int width, int height, gboolean reduced)
{
  tmsize_t sample_bytes = v->bits / 8;

  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (guint32) width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, (guint32) height);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, v->bits);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, v->spp);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, v->photometric);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, v->planar);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, v->compression);
  TIFFSetField (tif, TIFFTAG_ORIENTATION, v->orientation ? v->orientation : ORIENTATION_TOPLEFT);
  if (reduced)
    TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_REDUCEDIMAGE);
  if (v->spp > (v->photometric == PHOTOMETRIC_RGB ? 3 : 1))
    {
      guint16 extra = v->alpha ? EXTRASAMPLE_UNASSALPHA : EXTRASAMPLE_UNSPECIFIED;

      TIFFSetField (tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
    }
  if (v->compression == COMPRESSION_JPEG)
    TIFFSetField (tif, TIFFTAG_JPEGQUALITY, 95);

  if (v->tile)
    {
      int n_planes = v->planar == PLANARCONFIG_SEPARATE ? v->spp : 1;
      int per_pixel = n_planes == 1 ? v->spp : 1;
      g_autofree guint8 *buffer = NULL;

      TIFFSetField (tif, TIFFTAG_TILEWIDTH, v->tile);
      TIFFSetField (tif, TIFFTAG_TILELENGTH, v->tile);
      buffer = g_malloc0 ((gsize) TIFFTileSize (tif));
      for (int p = 0; p < n_planes; p++)
        for (guint32 ty = 0; ty < (guint32) height; ty += v->tile)
          for (guint32 tx = 0; tx < (guint32) width; tx += v->tile)
            {
              memset (buffer, 0, (gsize) TIFFTileSize (tif));
              for (guint32 y = 0; y < v->tile; y++)
                for (guint32 x = 0; x < v->tile; x++)
                  for (int k = 0; k < per_pixel; k++)
                    {
                      gsize i = ((gsize) y * v->tile + x) * per_pixel + k;
                      guint16 s = pattern ((int) (tx + x), (int) (ty + y), n_planes == 1 ? k : p, v->bits);

                      if (v->bits == 16)
                        ((guint16 *) buffer)[i] = s;
                      else
                        buffer[i] = (guint8) s;
                    }
              g_assert_cmpint (TIFFWriteTile (tif, buffer, tx, ty, 0, (guint16) p), >=, 0);
            }
    }
  else
    {
      int n_planes = v->planar == PLANARCONFIG_SEPARATE ? v->spp : 1;
      int per_pixel = n_planes == 1 ? v->spp : 1;
      g_autofree guint8 *row = g_malloc0 ((gsize) width * per_pixel * sample_bytes);

      TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, v->rows_per_strip ? v->rows_per_strip : (guint32) height);
      for (int p = 0; p < n_planes; p++)
        for (int y = 0; y < height; y++)
          {
            for (int x = 0; x < width; x++)
              for (int k = 0; k < per_pixel; k++)
                {
                  gsize i = (gsize) x * per_pixel + k;
                  guint16 s = pattern (x, y, n_planes == 1 ? k : p, v->bits);

                  if (v->bits == 16)
                    ((guint16 *) row)[i] = s;
                  else
                    row[i] = (guint8) s;
                }
            g_assert_cmpint (TIFFWriteScanline (tif, row, (guint32) y, (guint16) p), >=, 0);
          }
    }
  g_assert_true (TIFFWriteDirectory (tif));
}

static void
write_tiff_variant (const char *path, const TiffVariant *v, int width, int height)
{
  TIFF *tif = TIFFOpen (path, "w");

  g_assert_nonnull (tif);
  write_tiff_directory (tif, v, width, height, FALSE);
  /* Overviews hold the same pattern at their own size: what matters is that they are read. */
  for (int k = 1; k <= v->overviews; k++)
    write_tiff_directory (tif, v, (width + (1 << k) - 1) >> k, (height + (1 << k) - 1) >> k, TRUE);
  TIFFClose (tif);
}

static void
test_tiff_variants (void)
{
  static const TiffVariant variants[] = {
    { "rgb8_strips_lzw", PHOTOMETRIC_RGB, 3, 8, PLANARCONFIG_CONTIG, COMPRESSION_LZW, 0, 5, FALSE, 0, 0 },
    { "rgb8_one_strip", PHOTOMETRIC_RGB, 3, 8, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 0, 0, FALSE, 0, 0 },
    { "rgb8_tiles_deflate_overviews", PHOTOMETRIC_RGB, 3, 8, PLANARCONFIG_CONTIG, COMPRESSION_ADOBE_DEFLATE, 16, 0, FALSE, 3, 0 },
    { "rgba8_tiles", PHOTOMETRIC_RGB, 4, 8, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 32, 0, TRUE, 0, 0 },
    { "rgbx8_strips", PHOTOMETRIC_RGB, 4, 8, PLANARCONFIG_CONTIG, COMPRESSION_PACKBITS, 0, 7, FALSE, 0, 0 },
    { "rgb16_planar_strips", PHOTOMETRIC_RGB, 3, 16, PLANARCONFIG_SEPARATE, COMPRESSION_LZW, 0, 4, FALSE, 0, 0 },
    { "rgb8_planar_tiles", PHOTOMETRIC_RGB, 3, 8, PLANARCONFIG_SEPARATE, COMPRESSION_NONE, 16, 0, FALSE, 1, 0 },
    { "gray8_strips", PHOTOMETRIC_MINISBLACK, 1, 8, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 0, 3, FALSE, 0, 0 },
    { "gray16_tiles", PHOTOMETRIC_MINISBLACK, 1, 16, PLANARCONFIG_CONTIG, COMPRESSION_ADOBE_DEFLATE, 16, 0, FALSE, 0, 0 },
    { "white8_strips", PHOTOMETRIC_MINISWHITE, 1, 8, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 0, 8, FALSE, 0, 0 },
    { "graya8_strips", PHOTOMETRIC_MINISBLACK, 2, 8, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 0, 8, TRUE, 0, 0 },
    { "rgb8_orientation6", PHOTOMETRIC_RGB, 3, 8, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 0, 8, FALSE, 0, 6 },
  };
  g_autofree char *dir = make_temp_dir ();
  const int width = 45, height = 29;

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      const TiffVariant *v = &variants[i];
      g_autofree char *name = g_strconcat (v->name, ".tif", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImage) image = NULL;
      g_autoptr(BmImageDecoder) decoder = NULL;
      g_autoptr(BmImage) streamed = NULL;
      g_autoptr(BmImage) stored = NULL;
      int w = 0, h = 0, c = 0, expected_channels = 0;

      g_test_message ("%s", v->name);
      write_tiff_variant (path, v, width, height);
      g_assert_true (bm_path_is_image (path));
      g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
      g_assert_no_error (error);
      image = load_ok (path);
      g_assert_cmpint (image->width, ==, w);
      g_assert_cmpint (image->height, ==, h);
      g_assert_cmpint (image->channels, ==, c);
      g_assert_cmpint (image->source_bits, ==, v->bits);
      stored = v->orientation == 6 ? bm_image_apply_orientation (image, 8) : bm_image_ref (image);
      g_assert_cmpint (stored->width, ==, width);
      g_assert_cmpint (stored->height, ==, height);
      if (v->orientation == 6)
        g_assert_cmpint (w, ==, height);

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            guint8 expected[4];

            expected_pixel (v, x, y, expected, &expected_channels);
            g_assert_cmpint (stored->channels, ==, expected_channels);
            if (memcmp (pixel (stored, x, y), expected, (gsize) expected_channels) != 0)
              g_error ("%s: pixel (%d, %d) differs", v->name, x, y);
          }

      decoder = bm_image_decoder_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (bm_image_decoder_has_cheap_regions (decoder));
      g_assert_cmpint (bm_image_decoder_get_orientation (decoder), ==, v->orientation ? v->orientation : 1);
      g_assert_cmpuint (bm_image_decoder_get_reductions (decoder), ==, (1u << (v->overviews + 1)) - 1);
      streamed = read_all_rows (decoder, 0);
      g_assert_true (images_equal (streamed, stored));
      for (int k = 1; k <= v->overviews; k++)
        {
          g_autoptr(BmImage) overview = read_all_rows (decoder, (guint) k);
          guint8 expected[4];

          g_assert_cmpint (overview->width, ==, (width + (1 << k) - 1) >> k);
          expected_pixel (v, 3, 2, expected, &expected_channels);
          g_assert_cmpmem (pixel (overview, 3, 2), expected_channels, expected, expected_channels);
        }
      {
        g_autoptr(BmImage) region = bm_image_decoder_read_region (decoder, 0, 7, 5, 20, 17, &error);
        g_autoptr(BmImage) expected = crop (stored, 7, 5, 20, 17);

        g_assert_no_error (error);
        g_assert_true (images_equal (region, expected));
      }
    }
  bm_test_remove_tree (dir);
}

/* libtiff's RGBA interface: a palette image and 4-bit gray. */
static void
test_tiff_through_rgba (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *palette_path = g_build_filename (dir, "palette.tif", NULL);
  g_autoptr(BmImage) image = NULL;
  TIFF *tif = TIFFOpen (palette_path, "w");
  guint16 red[16], green[16], blue[16];
  guint8 row[8];

  for (int i = 0; i < 16; i++)
    red[i] = (guint16) (i * 4369), green[i] = (guint16) ((15 - i) * 4369), blue[i] = (guint16) (i * 1000);
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, 16);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, 3);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 4);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_PALETTE);
  TIFFSetField (tif, TIFFTAG_COLORMAP, red, green, blue);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 2);
  for (int y = 0; y < 3; y++)
    {
      for (int i = 0; i < 8; i++)
        row[i] = (guint8) ((((2 * i + y) % 16) << 4) | ((2 * i + 1 + y) % 16));
      g_assert_cmpint (TIFFWriteScanline (tif, row, (guint32) y, 0), >=, 0);
    }
  TIFFClose (tif);

  image = load_ok (palette_path);
  g_assert_cmpint (image->channels, ==, 3);
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 16; x++)
      {
        int index = (x + y) % 16;

        g_assert_cmpint (pixel (image, x, y)[0], ==, red[index] >> 8);
        g_assert_cmpint (pixel (image, x, y)[1], ==, green[index] >> 8);
      }
  bm_test_remove_tree (dir);
}

/* JPEG-compressed YCbCr tiles, as many GeoTIFFs are: libtiff is asked for RGB. */
static void
test_tiff_jpeg_ycbcr (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "jpeg.tif", NULL);
  g_autoptr(BmImage) image = NULL;
  g_autoptr(BmImageDecoder) decoder = NULL;
  g_autoptr(BmImage) region = NULL;
  g_autoptr(GError) error = NULL;
  TIFF *tif = TIFFOpen (path, "w");
  guint8 tile[32 * 32 * 3];
  double sum = 0;

  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, 80);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, 50);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
  TIFFSetField (tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  TIFFSetField (tif, TIFFTAG_JPEGQUALITY, 95);
  TIFFSetField (tif, TIFFTAG_TILEWIDTH, 32);
  TIFFSetField (tif, TIFFTAG_TILELENGTH, 32);
  for (int ty = 0; ty < 50; ty += 32)
    for (int tx = 0; tx < 80; tx += 32)
      {
        for (int y = 0; y < 32; y++)
          for (int x = 0; x < 32; x++)
            {
              guint8 *p = tile + (y * 32 + x) * 3;

              p[0] = (guint8) ((tx + x) * 3), p[1] = (guint8) ((ty + y) * 5), p[2] = 128;
            }
        g_assert_cmpint (TIFFWriteTile (tif, tile, (guint32) tx, (guint32) ty, 0, 0), >=, 0);
      }
  TIFFClose (tif);

  image = load_ok (path);
  g_assert_cmpint (image->channels, ==, 3);
  for (int y = 0; y < 50; y++)
    for (int x = 0; x < 80; x++)
      sum += ABS (pixel (image, x, y)[0] - x * 3) + ABS (pixel (image, x, y)[1] - y * 5) + ABS (pixel (image, x, y)[2] - 128);
  g_test_message ("JPEG in TIFF: mean error %.2f", sum / (80 * 50 * 3));
  g_assert_cmpfloat (sum / (80 * 50 * 3), <, 3.0);
  decoder = bm_image_decoder_open (path, &error);
  g_assert_no_error (error);
  region = bm_image_decoder_read_region (decoder, 0, 30, 20, 40, 25, &error);
  g_assert_no_error (error);
  {
    g_autoptr(BmImage) expected = crop (image, 30, 20, 40, 25);

    g_assert_true (images_equal (region, expected));
  }
  bm_test_remove_tree (dir);
}

static void
test_tiff_errors (void)
{
  static const TiffVariant v = { "rgb8", PHOTOMETRIC_RGB, 3, 8, PLANARCONFIG_CONTIG, COMPRESSION_LZW, 16, 0, FALSE, 0, 0 };
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "whole.tif", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.tif", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  guint n_refused = 0;
  gsize length;

  write_tiff_variant (path, &v, 64, 48);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize n = 1; n < length; n += length / 9)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImage) image = NULL;

      g_assert_true (g_file_set_contents (cut, contents, (gssize) n, NULL));
      image = bm_image_load (cut, &error);
      if (image == NULL)
        {
          g_assert_nonnull (strstr (error->message, cut));
          n_refused++;
        }
    }
  g_assert_cmpuint (n_refused, >, 3);
  /* Random damage: an error or an image, never a crash. */
  for (int round = 0; round < 200; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (contents, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImage) image = NULL;

      for (int k = 0; k < 4; k++)
        copy[g_rand_int_range (rand, 4, (gint32) length)] = (guint8) g_rand_int_range (rand, 0, 256);
      image = bm_image_load_from_memory (copy, length, "damaged.tif", &error);
      g_assert_true ((image == NULL) == (error != NULL));
    }
  bm_test_remove_tree (dir);
}

/* A Deflate strip or tile whose stream decodes to more bytes than it holds: libtiff (through
 * libdeflate) reports success but leaves the end of the buffer unwritten. @big: the TIFF the
 * streams are taken from, whose strips or tiles are taller than @small's. */
static void
write_overlong_deflate (const char *big, const char *small, gboolean tiled, guint16 photometric)
{
  const int width = 32, n_chunks = 4;
  const guint32 big_rows = tiled ? 32 : 60, small_rows = tiled ? 16 : 40;
  guint16 map[3][256];
  TIFF *in = NULL, *out = NULL;
  g_autofree guint8 *raw = NULL;

  for (int i = 0; i < 256; i++)
    map[0][i] = (guint16) (i * 257), map[1][i] = (guint16) ((255 - i) * 257), map[2][i] = (guint16) ((i * 7 % 256) * 257);
  for (int pass = 0; pass < 2; pass++)
    {
      TIFF *tif = TIFFOpen (pass == 0 ? big : small, "w");
      const guint32 rows = pass == 0 ? big_rows : small_rows;
      const guint32 height = tiled ? rows * 2 : rows * (guint32) n_chunks;

      TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (guint32) width);
      TIFFSetField (tif, TIFFTAG_IMAGELENGTH, height);
      TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
      TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
      TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
      TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, pass == 0 ? PHOTOMETRIC_MINISBLACK : photometric);
      if (pass == 1 && photometric == PHOTOMETRIC_PALETTE)
        TIFFSetField (tif, TIFFTAG_COLORMAP, map[0], map[1], map[2]);
      if (tiled)
        {
          TIFFSetField (tif, TIFFTAG_TILEWIDTH, 16);
          TIFFSetField (tif, TIFFTAG_TILELENGTH, rows);
        }
      else
        TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, rows);
      if (pass == 0)
        {
          /* Each chunk: its own pattern, then a run from its middle on, which Deflate codes as
           * one long match across the end of the smaller chunk. */
          tmsize_t size = tiled ? TIFFTileSize (tif) : TIFFStripSize (tif);
          g_autofree guint8 *chunk = g_malloc ((gsize) size);

          for (int c = 0; c < n_chunks; c++)
            {
              for (tmsize_t i = 0; i < size; i++)
                chunk[i] = i < size / 4 + (n_chunks - c) * 8 ? (guint8) (i * 3 + c * 50) : (guint8) (40 + c * 60);
              g_assert_cmpint (tiled ? TIFFWriteEncodedTile (tif, (guint32) c, chunk, size)
                                     : TIFFWriteEncodedStrip (tif, (guint32) c, chunk, size), ==, size);
            }
          TIFFClose (tif);
          in = TIFFOpen (big, "r");
          g_assert_nonnull (in);
          continue;
        }
      out = tif;
      for (int c = 0; c < n_chunks; c++)
        {
          guint64 *counts = NULL;
          tmsize_t n;

          g_assert_true (TIFFGetField (in, tiled ? TIFFTAG_TILEBYTECOUNTS : TIFFTAG_STRIPBYTECOUNTS, &counts));
          raw = g_realloc (raw, (gsize) counts[c]);
          n = tiled ? TIFFReadRawTile (in, (guint32) c, raw, (tmsize_t) counts[c])
                    : TIFFReadRawStrip (in, (guint32) c, raw, (tmsize_t) counts[c]);
          g_assert_cmpint (n, ==, (tmsize_t) counts[c]);
          g_assert_cmpint (tiled ? TIFFWriteRawTile (out, (guint32) c, raw, n) : TIFFWriteRawStrip (out, (guint32) c, raw, n), ==, n);
        }
    }
  TIFFClose (in);
  TIFFClose (out);
}

/* Every way of reading @path gives the same pixels: the whole image from the file and from
 * memory, the decoder's rows, and its regions, aligned to tiles or strips or not. */
static void
assert_tiff_reads_agree (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) whole = load_ok (path);
  g_autoptr(BmImage) from_memory = NULL;
  g_autoptr(BmImageDecoder) decoder = NULL;
  g_autoptr(BmImage) rows = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  from_memory = bm_image_load_from_memory ((const guint8 *) contents, length, path, &error);
  g_assert_no_error (error);
  g_assert_true (images_equal (from_memory, whole));
  decoder = bm_image_decoder_open (path, &error);
  g_assert_no_error (error);
  rows = read_all_rows (decoder, 0);
  if (!images_equal (rows, whole))
    g_error ("%s: the rows differ from the whole image", path);
  for (int y = 0; y < whole->height; y += 3)
    for (int x = 0; x < whole->width; x += 5)
      {
        int w = MIN (whole->width - x, 1 + (x * 7 + y) % 23), h = MIN (whole->height - y, 1 + (y * 5 + x) % 19);
        g_autoptr(BmImage) region = bm_image_decoder_read_region (decoder, 0, x, y, w, h, &error);
        g_autoptr(BmImage) expected = crop (whole, x, y, w, h);

        g_assert_no_error (error);
        if (!images_equal (region, expected))
          g_error ("%s: the region %d,%d %dx%d differs from the whole image", path, x, y, w, h);
      }
}

/* A palette TIFF (libtiff's RGBA interface) with strips libtiff cannot decode, found by
 * fuzz-tiff: once read as zeros or as the previous strip's bytes depending on the read, now
 * refused the same way by every read. */
static void
test_tiff_bad_strip_refused (void)
{
  const char *root = g_getenv ("BM_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImageDecoder) decoder = NULL;
  Gather g = { NULL, 0 };
  gsize length;

  g_assert_nonnull (root);
  path = g_build_filename (root, "tests", "fuzz", "known", "tiff-palette-bad-strip.tif", NULL);
  g_assert_null (bm_image_load (path, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_null (bm_image_load_from_memory ((const guint8 *) contents, length, path, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_clear_error (&error);

  decoder = bm_image_decoder_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bm_image_decoder_get_width (decoder), ==, 40);
  g.image = bm_image_new (40, 40, bm_image_decoder_get_channels (decoder));
  g_assert_false (bm_image_decoder_read_rows (decoder, 0, 0, gather_rows, &g, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  bm_image_unref (g.image);
  /* Its strips of 8 rows are read in one block of 40 rows (libtiff's RGBA reader costs a set-up
   * per block): every region, however small, is refused like the whole. */
  for (int y = 0; y < 40; y += 3)
    for (int x = 0; x < 40; x += 7)
      {
        int h = MIN (40 - y, 1 + (x + y) % 11);
        g_autoptr(BmImage) region = bm_image_decoder_read_region (decoder, 0, x, y, MIN (40 - x, 5), h, &error);

        g_assert_null (region);
        g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
        g_assert_nonnull (strstr (error->message, path));
        g_clear_error (&error);
      }
}

/* A 1.9-megapixel gray TIFF of 1.9 KB declaring 63999 16-bit samples per pixel: 8 GB a row,
 * which the decoder would hold and zero (fuzz-tiff find). Refused at once, naming the file. */
static void
test_tiff_huge_row_refused (void)
{
  const char *root = g_getenv ("BM_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (root);
  path = g_build_filename (root, "tests", "fuzz", "known", "tiff-huge-row.tif", NULL);
  g_assert_null (bm_image_decoder_open (path, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "row too big"));
  g_clear_error (&error);
  g_assert_null (bm_image_load (path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, path));
}

/* Corrupt TIFFs that libtiff decodes without an error give the same pixels whichever way they
 * are read: the window, the detector and an export see one image. */
static void
test_tiff_corrupt_reads_agree (void)
{
  const char *root = g_getenv ("BM_SOURCE_ROOT");
  g_autofree char *known = NULL;
  g_autofree char *dir = make_temp_dir ();
  static const struct { const char *name; gboolean tiled; guint16 photometric; } cases[] = {
    { "gray_strips", FALSE, PHOTOMETRIC_MINISBLACK },
    { "gray_tiles", TRUE, PHOTOMETRIC_MINISBLACK },
    { "palette_strips", FALSE, PHOTOMETRIC_PALETTE },
    { "palette_tiles", TRUE, PHOTOMETRIC_PALETTE },
  };

  /* Found by fuzz-tiff: 48 × 48 gray, Deflate with a predictor in 16 × 16 tiles, one of which
   * decodes to 264 bytes with a bad checksum. */
  g_assert_nonnull (root);
  known = g_build_filename (root, "tests", "fuzz", "known", "tiff-rows-differ.tif", NULL);
  assert_tiff_reads_agree (known);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *big = g_build_filename (dir, "big.tif", NULL);
      g_autofree char *name = g_strconcat (cases[i].name, ".tif", NULL);
      g_autofree char *small = g_build_filename (dir, name, NULL);

      g_test_message ("%s", cases[i].name);
      write_overlong_deflate (big, small, cases[i].tiled, cases[i].photometric);
      assert_tiff_reads_agree (small);
    }
  bm_test_remove_tree (dir);
}

/* ---- only regular files are opened --------------------------------------------------------- */

/* A FIFO named like an image would block every decoder's open forever (no writer), a folder
 * would fail obscurely: each is refused at once, naming the file. */
static void
test_not_regular_files (void)
{
  g_autofree char *dir = make_temp_dir ();
  static const char *names[] = { "fifo.jpg", "fifo.png", "fifo.tif", "fifo.bmp" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *fifo = g_build_filename (dir, names[i], NULL);
      g_autofree char *folder = g_build_filename (dir, "folder", names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImageDecoder) decoder = NULL;
      BmImageHeader header = { 0 };

      g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
      decoder = bm_image_decoder_open (fifo, &error);
      g_assert_null (decoder);
      g_assert_error (error, BM_ERROR, BM_ERROR_IO);
      g_assert_nonnull (strstr (error->message, fifo));
      g_clear_error (&error);
      /* The readers that open the file themselves. */
      g_assert_false (bm_image_tiff_read_info (fifo, &header, &error));
      g_assert_error (error, BM_ERROR, BM_ERROR_IO);
      g_clear_error (&error);
      g_assert_false (bm_image_stb_read_info (fifo, &header, &error));
      g_assert_error (error, BM_ERROR, BM_ERROR_IO);
      g_clear_error (&error);

      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      g_assert_null (bm_image_decoder_open (folder, &error));
      g_assert_error (error, BM_ERROR, BM_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "is a folder"));
    }
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image-decoders/png/testdata-matches-stb", test_png_testdata_matches_stb);
  g_test_add_func ("/image-decoders/png/variants-match-stb", test_png_variants_match_stb);
  g_test_add_func ("/image-decoders/png/errors", test_png_errors);
  g_test_add_func ("/image-decoders/png/ignored-transparency", test_png_ignored_transparency);
  g_test_add_func ("/image-decoders/jpeg/matches-opencv", test_jpeg_matches_opencv);
  g_test_add_func ("/image-decoders/jpeg/stream-and-regions", test_jpeg_stream_and_regions);
  g_test_add_func ("/image-decoders/jpeg/truncated-stream", test_jpeg_truncated_stream);
  g_test_add_func ("/image-decoders/tiff/variants", test_tiff_variants);
  g_test_add_func ("/image-decoders/tiff/through-rgba", test_tiff_through_rgba);
  g_test_add_func ("/image-decoders/tiff/jpeg-ycbcr", test_tiff_jpeg_ycbcr);
  g_test_add_func ("/image-decoders/tiff/errors", test_tiff_errors);
  g_test_add_func ("/image-decoders/tiff/corrupt-reads-agree", test_tiff_corrupt_reads_agree);
  g_test_add_func ("/image-decoders/tiff/bad-strip-refused", test_tiff_bad_strip_refused);
  g_test_add_func ("/image-decoders/tiff/huge-row-refused", test_tiff_huge_row_refused);
  g_test_add_func ("/image-decoders/not-regular-files", test_not_regular_files);
  return g_test_run ();
}
