/* test-image.c: decoding, EXIF orientation, header-only sizes, gray conversion, saving.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "core/bm-error.h"
#include "core/bm-exif.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-image-private.h"
#include "bm-test-util.h"

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
  char *dir = g_dir_make_tmp ("bm-test-image-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static BmImage *
load_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  BmImage *image = bm_image_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (image);
  return image;
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

static double
mean_abs_diff (const BmImage *a, const BmImage *b)
{
  guint64 sum = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  g_assert_cmpint (a->channels, ==, b->channels);
  for (int y = 0; y < a->height; y++)
    for (int i = 0; i < a->width * a->channels; i++)
      sum += (guint64) ABS ((int) pixel (a, 0, y)[i] - (int) pixel (b, 0, y)[i]);
  return (double) sum / ((double) a->width * a->height * a->channels);
}

/* Mean absolute difference of factor×factor block means: JPEG noise averages out, a wrong
 * orientation does not. */
static double
downscaled_mean_abs_diff (const BmImage *a, const BmImage *b, int factor)
{
  int bw = a->width / factor, bh = a->height / factor, c = a->channels;
  double sum = 0;

  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      for (int k = 0; k < c; k++)
        {
          long sa = 0, sb = 0;

          for (int y = by * factor; y < (by + 1) * factor; y++)
            for (int x = bx * factor; x < (bx + 1) * factor; x++)
              {
                sa += pixel (a, x, y)[k];
                sb += pixel (b, x, y)[k];
              }
          sum += fabs ((double) (sa - sb)) / (factor * factor);
        }
  return sum / ((double) bw * bh * c);
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

static void
write_file (const char *path, const void *data, gsize length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
}

/* ---- expected.json (written by the EXIF generator) -------------------------------------- */

typedef struct
{
  int orientation;
  int stored_width, stored_height;
  double check_mad;
} ExifExpectation;

typedef struct
{
  int display_width, display_height;
  ExifExpectation files[9];   /* indexed by the N of orient_N.jpg */
} ExifExpected;

static void
read_exif_expected (ExifExpected *expected)
{
  g_autofree char *path = testdata ("exif/expected.json");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) display = NULL;
  g_autoptr(GRegex) file = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  int n_files = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  memset (expected, 0, sizeof *expected);

  display = g_regex_new ("\"display_size\":\\s*\\[\\s*(\\d+),\\s*(\\d+)\\s*\\]", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (display, text, 0, &match));
  {
    g_autofree char *w = g_match_info_fetch (match, 1);
    g_autofree char *h = g_match_info_fetch (match, 2);

    expected->display_width = atoi (w);
    expected->display_height = atoi (h);
  }
  g_clear_pointer (&match, g_match_info_free);

  file = g_regex_new ("\"orient_(\\d)\\.jpg\":\\s*\\{\\s*\"exif_orientation\":\\s*(\\d+),\\s*"
                      "\"stored_size\":\\s*\\[\\s*(\\d+),\\s*(\\d+)\\s*\\],\\s*"
                      "\"check_mean_abs_diff_vs_orient_1\":\\s*([0-9.]+)", 0, 0, &error);
  g_assert_no_error (error);
  g_regex_match (file, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *n = g_match_info_fetch (match, 1);
      g_autofree char *o = g_match_info_fetch (match, 2);
      g_autofree char *w = g_match_info_fetch (match, 3);
      g_autofree char *h = g_match_info_fetch (match, 4);
      g_autofree char *d = g_match_info_fetch (match, 5);
      ExifExpectation *e = &expected->files[atoi (n)];

      e->orientation = atoi (o);
      e->stored_width = atoi (w);
      e->stored_height = atoi (h);
      e->check_mad = g_ascii_strtod (d, NULL);
      n_files++;
      g_match_info_next (match, NULL);
    }
  g_assert_cmpint (n_files, ==, 8);
}

/* ---- EXIF --------------------------------------------------------------------------------- */

static void
test_exif_orientation_tag (void)
{
  ExifExpected expected;

  read_exif_expected (&expected);
  for (int n = 1; n <= 8; n++)
    {
      g_autofree char *name = g_strdup_printf ("exif/orient_%d.jpg", n);
      g_autofree char *path = testdata (name);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpint (bm_image_read_exif_orientation ((guint8 *) contents, length), ==,
                       expected.files[n].orientation);
    }
}

static void
test_exif_files_display_upright (void)
{
  ExifExpected expected;
  g_autofree char *path1 = testdata ("exif/orient_1.jpg");
  g_autoptr(BmImage) reference = load_ok (path1);
  g_autoptr(BmImage) mirrored = bm_image_apply_orientation (reference, 2);

  read_exif_expected (&expected);
  g_assert_cmpint (reference->width, ==, expected.display_width);
  g_assert_cmpint (reference->height, ==, expected.display_height);
  g_assert_cmpint (expected.display_width, ==, 1126);
  g_assert_cmpint (expected.display_height, ==, 661);
  /* The comparison below can tell a wrong orientation apart. */
  g_assert_cmpfloat (downscaled_mean_abs_diff (reference, mirrored, 8), >, 10.0);

  for (int n = 1; n <= 8; n++)
    {
      g_autofree char *name = g_strdup_printf ("exif/orient_%d.jpg", n);
      g_autofree char *path = testdata (name);
      g_autoptr(BmImage) image = load_ok (path);
      double mad, coarse;

      g_test_message ("%s", name);
      g_assert_cmpint (image->width, ==, 1126);
      g_assert_cmpint (image->height, ==, 661);
      g_assert_cmpint (image->channels, ==, 3);
      g_assert_cmpint (image->orientation, ==, expected.files[n].orientation);
      /* Stored frame: the generator wrote these sizes before the tag. */
      if (n >= 5)
        g_assert_cmpint (expected.files[n].stored_width, ==, image->height);
      else
        g_assert_cmpint (expected.files[n].stored_width, ==, image->width);

      mad = mean_abs_diff (image, reference);
      coarse = downscaled_mean_abs_diff (image, reference, 8);
      g_test_message ("orient_%d: mean abs diff %.3f (OpenCV %.3f), 8x8 blocks %.3f",
                      n, mad, expected.files[n].check_mad, coarse);
      if (n == 1)
        g_assert_cmpfloat (mad, ==, 0.0);
      /* stb_image's IDCT is not libjpeg's: allow a little more than OpenCV's figure. */
      g_assert_cmpfloat (mad, <=, expected.files[n].check_mad + 0.5);
      g_assert_cmpfloat (coarse, <, 1.0);
    }
}

static void
test_exif_read_info (void)
{
  for (int n = 1; n <= 8; n++)
    {
      g_autofree char *name = g_strdup_printf ("exif/orient_%d.jpg", n);
      g_autofree char *path = testdata (name);
      g_autoptr(GError) error = NULL;
      int w = 0, h = 0, c = 0;

      g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpint (w, ==, 1126);
      g_assert_cmpint (h, ==, 661);
      g_assert_cmpint (c, ==, 3);
    }
}

/* A TIFF block with one IFD0 entry. */
static gsize
build_tiff (guint8 *out, gboolean big_endian, guint16 tag, guint16 type, guint32 count, guint32 value)
{
  GByteArray *a = g_byte_array_new ();
  gsize n;
#define PUT16(v) do { guint16 _v = (v); guint8 _b[2] = { big_endian ? _v >> 8 : _v & 255, big_endian ? _v & 255 : _v >> 8 }; g_byte_array_append (a, _b, 2); } while (0)
#define PUT32(v) do { guint32 _v = (v); guint8 _b[4]; for (int _i = 0; _i < 4; _i++) _b[big_endian ? 3 - _i : _i] = (_v >> (8 * _i)) & 255; g_byte_array_append (a, _b, 4); } while (0)
  g_byte_array_append (a, (const guint8 *) (big_endian ? "MM" : "II"), 2);
  PUT16 (42);
  PUT32 (8);
  PUT16 (1);
  PUT16 (tag);
  PUT16 (type);
  PUT32 (count);
  if (type == 3)
    {
      PUT16 ((guint16) value);
      PUT16 (0);
    }
  else
    PUT32 (value);
  PUT32 (0);
#undef PUT16
#undef PUT32
  n = a->len;
  memcpy (out, a->data, n);
  g_byte_array_free (a, TRUE);
  return n;
}

static void
test_exif_parser_malformed (void)
{
  guint8 tiff[64];
  gsize n;

  for (int big = 0; big <= 1; big++)
    {
      for (guint32 o = 1; o <= 8; o++)
        {
          n = build_tiff (tiff, big, 0x0112, 3, 1, o);
          g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, (int) o);
          n = build_tiff (tiff, big, 0x0112, 4, 1, o);  /* LONG instead of SHORT */
          g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, (int) o);
        }
      n = build_tiff (tiff, big, 0x0112, 3, 1, 9);
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);
      n = build_tiff (tiff, big, 0x0112, 3, 1, 0);
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);
      n = build_tiff (tiff, big, 0x0112, 2, 1, 6);  /* ASCII */
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);
      n = build_tiff (tiff, big, 0x0112, 3, 0, 6);  /* count 0 */
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);
      n = build_tiff (tiff, big, 0x0110, 3, 1, 6);  /* another tag */
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);

      /* Every truncation of a valid block is rejected without reading past it. */
      n = build_tiff (tiff, big, 0x0112, 3, 1, 6);
      for (gsize cut = 0; cut < 20; cut++)
        {
          g_autofree guint8 *copy = g_memdup2 (tiff, cut);
          g_assert_cmpint (bm_exif_parse_orientation (copy, cut), ==, 0);
        }
      /* IFD offset past the end, and an entry count that runs past it. */
      tiff[big ? 7 : 4] = 200;
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);
      n = build_tiff (tiff, big, 0x0110, 3, 1, 6);
      tiff[big ? 9 : 8] = 0xFF;
      g_assert_cmpint (bm_exif_parse_orientation (tiff, n), ==, 0);
    }
  g_assert_cmpint (bm_exif_parse_orientation ((const guint8 *) "XX*\0\0\0\0\x08", 8), ==, 0);
  g_assert_cmpint (bm_exif_parse_app1 ((const guint8 *) "Exif", 4), ==, 0);
}

/* An APP1 Exif segment inside a real JPEG: truncating the file anywhere, or garbling the segment,
 * never crashes and never yields a value outside 1..8. */
static void
test_exif_jpeg_robust (void)
{
  g_autofree char *path = testdata ("exif/orient_6.jpg");
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize cut = 0; cut < 128; cut++)
    {
      g_autofree guint8 *copy = g_memdup2 (contents, cut);
      int o = bm_image_read_exif_orientation (copy, cut);
      g_assert_cmpint (o, >=, 1);
      g_assert_cmpint (o, <=, 8);
    }
  for (int round = 0; round < 2000; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (contents, 128);
      int o;

      for (int k = 0; k < 3; k++)
        copy[g_rand_int_range (rand, 2, 60)] = (guint8) g_rand_int_range (rand, 0, 256);
      o = bm_image_read_exif_orientation (copy, 128);
      g_assert_cmpint (o, >=, 1);
      g_assert_cmpint (o, <=, 8);
    }
  g_assert_cmpint (bm_image_read_exif_orientation ((const guint8 *) "\x89PNG", 4), ==, 1);
}

/* orient_1.jpg with an APP1 Exif segment (either byte order) and @padding bytes of APP2
 * segments placed in front of its own headers. */
static GByteArray *
jpeg_with_exif (const char *contents, gsize length, gboolean big_endian, int orientation, gsize padding)
{
  GByteArray *jpeg = g_byte_array_new ();
  guint8 tiff[64];
  gsize n = build_tiff (tiff, big_endian, 0x0112, 3, 1, (guint32) orientation);
  guint8 header[4] = { 0xFF, 0xE1, (n + 8) >> 8, (n + 8) & 255 };
  g_autofree guint8 *filler = g_malloc0 (65533);

  g_byte_array_append (jpeg, (const guint8 *) contents, 2);
  while (padding > 0)
    {
      gsize chunk = MIN (padding, 65533);
      guint8 app2[4] = { 0xFF, 0xE2, (chunk + 2) >> 8, (chunk + 2) & 255 };

      g_byte_array_append (jpeg, app2, 4);
      g_byte_array_append (jpeg, filler, (guint) chunk);
      padding -= chunk;
    }
  g_byte_array_append (jpeg, header, 4);
  g_byte_array_append (jpeg, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (jpeg, tiff, (guint) n);
  g_byte_array_append (jpeg, (const guint8 *) contents + 2, (guint) (length - 2));
  return jpeg;
}

/* Every orientation in both byte orders, behind 200 KB of other segments: the loader's result
 * is exactly the reference turned by bm_image_apply_orientation, and read_info agrees. */
static void
test_exif_load_paths_exact (void)
{
  g_autofree char *source = testdata ("exif/orient_1.jpg");
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *contents = NULL;
  g_autoptr(BmImage) reference = load_ok (source);
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  for (int big = 0; big <= 1; big++)
    for (int o = 1; o <= 8; o++)
      {
        g_autoptr(GByteArray) jpeg = jpeg_with_exif (contents, length, big, o, o == 6 ? 200000 : 0);
        g_autofree char *path = g_strdup_printf ("%s/o%d%s.jpg", dir, o, big ? "mm" : "ii");
        g_autoptr(BmImage) expected = bm_image_apply_orientation (reference, o);
        g_autoptr(BmImage) loaded = NULL;
        g_autoptr(GError) error = NULL;
        int w = 0, h = 0, c = 0;

        g_assert_cmpint (bm_image_read_exif_orientation (jpeg->data, jpeg->len), ==, o);
        write_file (path, jpeg->data, jpeg->len);
        loaded = load_ok (path);
        g_assert_cmpint (loaded->orientation, ==, o);
        g_assert_true (images_equal (loaded, expected));
        g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
        g_assert_no_error (error);
        g_assert_cmpint (w, ==, loaded->width);
        g_assert_cmpint (h, ==, loaded->height);
      }
  remove_temp_dir (dir);
}

/* ---- orientation ------------------------------------------------------------------------ */

static void
test_orientation_all_eight (void)
{
  /* Source 3x2:  a b c / d e f.  Expected upright frames, per EXIF / PIL exif_transpose. */
  static const struct { int w, h; const char *pixels; } expected[9] = {
    [1] = { 3, 2, "abcdef" },
    [2] = { 3, 2, "cbafed" },   /* mirror */
    [3] = { 3, 2, "fedcba" },   /* rotate 180 */
    [4] = { 3, 2, "defabc" },   /* flip */
    [5] = { 2, 3, "adbecf" },   /* transpose */
    [6] = { 2, 3, "daebfc" },   /* rotate 90 clockwise */
    [7] = { 2, 3, "fcebda" },   /* transverse */
    [8] = { 2, 3, "cfbead" },   /* rotate 90 counter-clockwise */
  };

  for (int channels = 1; channels <= 4; channels++)
    {
      g_autoptr(BmImage) src = bm_image_new (3, 2, channels);

      for (int i = 0; i < 6; i++)
        for (int k = 0; k < channels; k++)
          src->data[i * channels + k] = (guint8) ('a' + i + 10 * k);

      for (int o = 1; o <= 8; o++)
        {
          g_autoptr(BmImage) turned = bm_image_apply_orientation (src, o);

          g_assert_cmpint (turned->width, ==, expected[o].w);
          g_assert_cmpint (turned->height, ==, expected[o].h);
          g_assert_cmpint (turned->channels, ==, channels);
          g_assert_cmpint (turned->orientation, ==, o);
          for (int i = 0; i < 6; i++)
            for (int k = 0; k < channels; k++)
              g_assert_cmpint (turned->data[i * channels + k], ==, expected[o].pixels[i] + 10 * k);
        }
    }
}

/* Undo what the EXIF generator did (its inverse() per orientation) on a random image. */
static void
test_orientation_inverts_generator (void)
{
  g_autoptr(BmImage) src = random_image (37, 23, 3, 11);
  /* inverse(o) as stored pixels, then orientation o must give back src. The inverses are
   * themselves orientations: mirror, 180, flip, transpose are their own; 6's is 8, 8's is 6,
   * 7's is 7. */
  static const int inverse[9] = { 0, 1, 2, 3, 4, 5, 8, 7, 6 };

  for (int o = 1; o <= 8; o++)
    {
      g_autoptr(BmImage) stored = bm_image_apply_orientation (src, inverse[o]);
      g_autoptr(BmImage) shown = bm_image_apply_orientation (stored, o);

      g_assert_true (images_equal (shown, src));
    }
}

static void
test_orientation_large_blocks (void)
{
  /* Sizes that are not multiples of the internal block size. */
  g_autoptr(BmImage) src = random_image (131, 67, 4, 3);

  for (int o = 5; o <= 8; o++)
    {
      g_autoptr(BmImage) turned = bm_image_apply_orientation (src, o);
      g_autoptr(BmImage) once = bm_image_apply_orientation (turned, o == 6 ? 8 : o == 8 ? 6 : o);

      g_assert_cmpint (turned->width, ==, 67);
      g_assert_cmpint (turned->height, ==, 131);
      g_assert_true (images_equal (once, src));
    }
}

/* ---- header-only sizes -------------------------------------------------------------------- */

static void
collect_images (const char *dir, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_images (path, out);
          g_free (path);
        }
      else if (bm_path_is_image (path))
        g_ptr_array_add (out, path);
      else
        g_free (path);
    }
}

static void
test_info_matches_decode (void)
{
  g_autofree char *root = testdata ("");
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint n_png = 0, n_jpeg = 0;

  collect_images (root, paths);
  g_assert_cmpuint (paths->len, >=, 200);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = paths->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImage) image = NULL;
      int w = 0, h = 0, c = 0;

      g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
      g_assert_no_error (error);
      image = load_ok (path);
      if (w != image->width || h != image->height || c != image->channels)
        g_error ("%s: read_info %dx%dx%d, decoded %dx%dx%d", path, w, h, c,
                 image->width, image->height, image->channels);
      if (g_str_has_suffix (path, ".png"))
        n_png++;
      else
        n_jpeg++;
    }
  g_test_message ("%u images (%u PNG, %u JPEG) agree", paths->len, n_png, n_jpeg);
  g_assert_cmpuint (n_png, >, 0);
  g_assert_cmpuint (n_jpeg, >, 0);
}

/* ---- gray conversion ---------------------------------------------------------------------- */

static void
test_gray_matches_opencv (void)
{
  if (!bm_test_have_data ("detect/camera.gray.png"))
    return;
  static const char *names[] = { "astronaut", "basketball1", "camera" };
  guint n_colour = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *colour_name = g_strdup_printf ("detect/%s.png", names[i]);
      g_autofree char *gray_name = g_strdup_printf ("detect/%s.gray.png", names[i]);
      g_autofree char *colour_path = testdata (colour_name);
      g_autofree char *gray_path = testdata (gray_name);
      g_autoptr(BmImage) colour = load_ok (colour_path);
      g_autoptr(BmImage) reference = load_ok (gray_path);
      g_autoptr(BmImage) gray = bm_image_convert (colour, 1);

      g_assert_cmpint (reference->channels, ==, 1);
      if (colour->channels >= 3)
        n_colour++;
      g_assert_true (images_equal (gray, reference));
    }
  /* astronaut.png is RGB: that one proves the fixed-point formula bit for bit. */
  g_assert_cmpuint (n_colour, >=, 1);
}

/* OpenCV decodes JPEG with libjpeg, we with stb_image: the gray images can differ by the
 * decoders' rounding, never by more. */
/* The .gray.png files are OpenCV's cvtColor(imread(jpg), BGR2GRAY): decoding the JPEG as imread
 * does and converting as cvtColor does gives them exactly. */
static void
test_gray_from_jpeg_equals_opencv (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  static const char *names[] = { "messi5", "two_people" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *colour_name = g_strdup_printf ("detect/%s.jpg", names[i]);
      g_autofree char *gray_name = g_strdup_printf ("detect/%s.gray.png", names[i]);
      g_autofree char *colour_path = testdata (colour_name);
      g_autofree char *gray_path = testdata (gray_name);
      g_autoptr(BmImage) colour = load_ok (colour_path);
      g_autoptr(BmImage) reference = load_ok (gray_path);
      g_autoptr(BmImage) gray = bm_image_convert (colour, 1);
      guint n_diff = 0, max_diff = 0;

      g_assert_cmpint (gray->width, ==, reference->width);
      g_assert_cmpint (gray->height, ==, reference->height);
      for (int y = 0; y < gray->height; y++)
        for (int x = 0; x < gray->width; x++)
          {
            guint d = (guint) ABS ((int) pixel (gray, x, y)[0] - (int) pixel (reference, x, y)[0]);
            n_diff += d != 0;
            max_diff = MAX (max_diff, d);
          }
      g_test_message ("%s: %u of %d pixels differ from OpenCV's gray, by at most %u",
                      names[i], n_diff, gray->width * gray->height, max_diff);
      g_assert_cmpuint (n_diff, ==, 0);
    }
}

static void
test_gray_formula (void)
{
  g_autoptr(BmImage) rgb = bm_image_new (256, 3, 3);
  g_autoptr(BmImage) gray = NULL;

  /* Pure primaries: the coefficients themselves, rounded. */
  for (int v = 0; v < 256; v++)
    {
      pixel (rgb, v, 0)[0] = (guint8) v;   /* red */
      pixel (rgb, v, 1)[1] = (guint8) v;   /* green */
      pixel (rgb, v, 2)[2] = (guint8) v;   /* blue */
    }
  gray = bm_image_convert (rgb, 1);
  for (int v = 0; v < 256; v++)
    {
      g_assert_cmpint (pixel (gray, v, 0)[0], ==, (9798 * v + 16384) >> 15);
      g_assert_cmpint (pixel (gray, v, 1)[0], ==, (19235 * v + 16384) >> 15);
      g_assert_cmpint (pixel (gray, v, 2)[0], ==, (3735 * v + 16384) >> 15);
    }
  /* White stays white. */
  memset (rgb->data, 255, (gsize) rgb->stride * rgb->height);
  g_clear_pointer (&gray, bm_image_unref);
  gray = bm_image_convert (rgb, 1);
  g_assert_cmpint (gray->data[0], ==, 255);
}

static void
test_convert_channels (void)
{
  g_autoptr(BmImage) rgba = random_image (19, 7, 4, 5);
  g_autoptr(BmImage) rgb = bm_image_convert (rgba, 3);
  g_autoptr(BmImage) back = bm_image_convert (rgb, 4);
  g_autoptr(BmImage) gray = bm_image_convert (rgba, 1);
  g_autoptr(BmImage) gray_rgb = bm_image_convert (gray, 3);
  g_autoptr(BmImage) gray_rgba = bm_image_convert (gray, 4);
  g_autoptr(BmImage) same = bm_image_convert (rgb, 3);
  g_autoptr(BmImage) ga = bm_image_new (2, 1, 2);
  g_autoptr(BmImage) ga_rgba = NULL;
  g_autoptr(BmImage) ga_gray = NULL;

  g_assert_true (same == rgb);
  for (int y = 0; y < 7; y++)
    for (int x = 0; x < 19; x++)
      {
        const guint8 *p = pixel (rgba, x, y);
        g_assert_cmpmem (pixel (rgb, x, y), 3, p, 3);
        g_assert_cmpmem (pixel (back, x, y), 3, p, 3);
        g_assert_cmpint (pixel (back, x, y)[3], ==, 255);
        g_assert_cmpint (pixel (gray, x, y)[0], ==, (3735 * p[2] + 19235 * p[1] + 9798 * p[0] + 16384) >> 15);
        for (int k = 0; k < 3; k++)
          {
            g_assert_cmpint (pixel (gray_rgb, x, y)[k], ==, pixel (gray, x, y)[0]);
            g_assert_cmpint (pixel (gray_rgba, x, y)[k], ==, pixel (gray, x, y)[0]);
          }
        g_assert_cmpint (pixel (gray_rgba, x, y)[3], ==, 255);
      }

  ga->data[0] = 10, ga->data[1] = 20, ga->data[2] = 30, ga->data[3] = 40;
  ga_rgba = bm_image_convert (ga, 4);
  ga_gray = bm_image_convert (ga, 1);
  g_assert_cmpmem (ga_rgba->data, 8, "\x0a\x0a\x0a\x14\x1e\x1e\x1e\x28", 8);
  g_assert_cmpmem (ga_gray->data, 2, "\x0a\x1e", 2);
}

/* ---- hand-built PNGs (16 bit, gray + alpha, palette + tRNS) ------------------------------ */

static guint32
crc32_of (const guint8 *data, gsize length, guint32 crc)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
  return ~crc;
}

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255 };
  g_byte_array_append (a, b, 4);
}

static void
put_chunk (GByteArray *png, const char *type, const guint8 *data, gsize length)
{
  guint32 crc;

  put_be32 (png, (guint32) length);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (png, data, (guint) length);
  crc = crc32_of ((const guint8 *) type, 4, 0);
  crc = crc32_of (data, length, crc);
  put_be32 (png, crc);
}

/* zlib stream of stored (uncompressed) deflate blocks: no compressor needed. */
static GByteArray *
zlib_stored (const guint8 *raw, gsize length)
{
  GByteArray *z = g_byte_array_new ();
  guint32 a = 1, b = 0;
  gsize pos = 0;

  g_byte_array_append (z, (const guint8 *) "\x78\x01", 2);
  do
    {
      gsize n = MIN (length - pos, 65535);
      guint8 header[5] = { pos + n == length, n & 255, n >> 8, ~n & 255, (~n >> 8) & 255 };

      g_byte_array_append (z, header, 5);
      g_byte_array_append (z, raw + pos, (guint) n);
      pos += n;
    }
  while (pos < length);
  for (gsize i = 0; i < length; i++)
    {
      a = (a + raw[i]) % 65521;
      b = (b + a) % 65521;
    }
  put_be32 (z, (b << 16) | a);
  return z;
}

/* @samples: width·height·channels values of @bits bits; filter 0 on every row. */
static GByteArray *
build_png (int width, int height, int bits, int color_type, const guint16 *samples, int channels,
           const guint8 *plte, gsize plte_len, const guint8 *trns, gsize trns_len)
{
  GByteArray *png = g_byte_array_new ();
  GByteArray *raw = g_byte_array_new ();
  g_autoptr(GByteArray) z = NULL;
  guint8 ihdr[13];

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  ihdr[0] = width >> 24, ihdr[1] = width >> 16, ihdr[2] = width >> 8, ihdr[3] = width;
  ihdr[4] = height >> 24, ihdr[5] = height >> 16, ihdr[6] = height >> 8, ihdr[7] = height;
  ihdr[8] = bits, ihdr[9] = color_type, ihdr[10] = ihdr[11] = ihdr[12] = 0;
  put_chunk (png, "IHDR", ihdr, 13);
  if (plte != NULL)
    put_chunk (png, "PLTE", plte, plte_len);
  if (trns != NULL)
    put_chunk (png, "tRNS", trns, trns_len);

  {
    gsize bpp = (gsize) channels * (bits / 8), row_bytes = (gsize) width * bpp;
    g_autofree guint8 *prev = g_malloc0 (row_bytes);
    g_autofree guint8 *cur = g_malloc (row_bytes);

    /* Rows cycle through the five filter types, as real encoders mix them. */
    for (int y = 0; y < height; y++)
      {
        guint8 filter = (guint8) (y % 5);

        for (int i = 0; i < width * channels; i++)
          {
            guint16 v = samples[y * width * channels + i];

            if (bits == 16)
              cur[2 * i] = v >> 8, cur[2 * i + 1] = v & 255;
            else
              cur[i] = (guint8) v;
          }
        g_byte_array_append (raw, &filter, 1);
        for (gsize i = 0; i < row_bytes; i++)
          {
            int a = i >= bpp ? cur[i - bpp] : 0, b = y > 0 ? prev[i] : 0, c = i >= bpp && y > 0 ? prev[i - bpp] : 0;
            int p = a + b - c, pa = ABS (p - a), pb = ABS (p - b), pc = ABS (p - c);
            int predictor[5] = { 0, a, b, (a + b) / 2, pa <= pb && pa <= pc ? a : pb <= pc ? b : c };
            guint8 out = (guint8) (cur[i] - predictor[filter]);

            g_byte_array_append (raw, &out, 1);
          }
        memcpy (prev, cur, row_bytes);
      }
  }
  z = zlib_stored (raw->data, raw->len);
  g_byte_array_free (raw, TRUE);
  put_chunk (png, "IDAT", z->data, z->len);
  put_chunk (png, "IEND", NULL, 0);
  return png;
}

static void
check_png (const char *dir, const char *name, GByteArray *png, int width, int height,
           int channels, int bits, const guint8 *expected)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = NULL;
  int w = 0, h = 0, c = 0;

  write_file (path, png->data, png->len);
  g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
  g_assert_no_error (error);
  image = load_ok (path);
  g_assert_cmpint (image->width, ==, width);
  g_assert_cmpint (image->height, ==, height);
  g_assert_cmpint (image->channels, ==, channels);
  g_assert_cmpint (image->source_bits, ==, bits);
  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
  g_assert_cmpint (c, ==, channels);
  g_assert_cmpmem (image->data, width * height * channels, expected, width * height * channels);

  /* stb_image, which decoded PNGs before libpng, gives the same pixels. */
  {
    g_autoptr(BmImage) stb = bm_image_stb_decode (png->data, png->len, path, &error);

    g_assert_no_error (error);
    g_assert_true (images_equal (stb, image));
    g_assert_cmpint (stb->source_bits, ==, bits);
  }
}

static void
test_png_variants (void)
{
  g_autofree char *dir = make_temp_dir ();
  guint16 samples[5 * 3 * 4];
  guint8 expected[5 * 3 * 4];
  const int w = 5, h = 3;

  for (int channels = 1; channels <= 4; channels++)
    {
      static const int color_types[] = { 0, 0, 4, 2, 6 };
      g_autofree char *name = g_strdup_printf ("sixteen_%d.png", channels);
      g_autoptr(GByteArray) png = NULL;

      for (int i = 0; i < w * h * channels; i++)
        {
          samples[i] = (guint16) (i * 4099 + 257);
          expected[i] = samples[i] >> 8;   /* stb keeps the high byte */
        }
      png = build_png (w, h, 16, color_types[channels], samples, channels, NULL, 0, NULL, 0);
      check_png (dir, name, png, w, h, channels, 16, expected);
    }

  /* 8-bit gray + alpha. */
  {
    g_autoptr(GByteArray) png = NULL;

    for (int i = 0; i < w * h * 2; i++)
      samples[i] = expected[i] = (guint8) (i * 37);
    png = build_png (w, h, 8, 4, samples, 2, NULL, 0, NULL, 0);
    check_png (dir, "gray_alpha.png", png, w, h, 2, 8, expected);
  }

  /* Palette with tRNS: four channels, alpha from the table. */
  {
    static const guint8 plte[] = { 255, 0, 0, 0, 255, 0, 0, 0, 255 };
    static const guint8 trns[] = { 0, 128 };
    g_autoptr(GByteArray) png = NULL;

    for (int i = 0; i < w * h; i++)
      {
        int index = i % 3;

        samples[i] = (guint16) index;
        memcpy (expected + i * 4, plte + index * 3, 3);
        expected[i * 4 + 3] = index < 2 ? trns[index] : 255;
      }
    png = build_png (w, h, 8, 3, samples, 1, plte, sizeof plte, trns, sizeof trns);
    check_png (dir, "palette_trns.png", png, w, h, 4, 8, expected);
  }

  /* Gray with a tRNS colour key: stb adds an alpha channel. */
  {
    static const guint8 trns[] = { 0, 7 };
    g_autoptr(GByteArray) png = NULL;

    for (int i = 0; i < w * h; i++)
      {
        samples[i] = (guint16) (i % 2 ? 7 : 200);
        expected[i * 2] = (guint8) samples[i];
        expected[i * 2 + 1] = samples[i] == 7 ? 0 : 255;
      }
    png = build_png (w, h, 8, 0, samples, 1, NULL, 0, trns, sizeof trns);
    check_png (dir, "gray_trns.png", png, w, h, 2, 8, expected);
  }
  remove_temp_dir (dir);
}

/* ---- errors ------------------------------------------------------------------------------- */

static void
assert_load_fails (const char *path, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = bm_image_load (path, &error);

  g_assert_null (image);
  g_assert_error (error, BM_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing.jpg", NULL);
  g_autofree char *text = g_build_filename (dir, "text.jpg", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.png", NULL);
  g_autoptr(GError) error = NULL;
  int w, h, c;

  assert_load_fails (missing, BM_ERROR_NOT_FOUND);
  g_assert_false (bm_image_read_info (missing, &w, &h, &c, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  write_file (text, "<annotation>not an image</annotation>\n", 39);
  assert_load_fails (text, BM_ERROR_UNSUPPORTED);
  g_assert_false (bm_image_read_info (text, &w, &h, &c, &error));
  g_assert_nonnull (strstr (error->message, text));
  g_clear_error (&error);

  write_file (empty, "", 0);
  assert_load_fails (empty, BM_ERROR_PARSE);
  g_assert_false (bm_image_read_info (empty, &w, &h, &c, &error));
  g_clear_error (&error);

  assert_load_fails (dir, BM_ERROR_IO);
  remove_temp_dir (dir);
}

static void
check_truncations (const char *source_rel, const char *ext)
{
  g_autofree char *source = testdata (source_rel);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *contents = NULL;
  gsize length;
  gsize cuts[] = { 1, 2, 3, 8, 20, 100, 300, 1000, 0, 0, 0, 0 };

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  cuts[8] = length / 3;
  cuts[9] = length / 2;
  cuts[10] = length - 100;
  cuts[11] = length - 2;
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autofree char *name = g_strdup_printf ("cut_%" G_GSIZE_FORMAT ".%s", cuts[i], ext);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmImage) image = NULL;
      int w, h, c;

      write_file (path, contents, cuts[i]);
      image = bm_image_load (path, &error);
      g_assert_null (image);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      /* The header alone may be complete: then read_info may succeed, but must not crash. */
      if (!bm_image_read_info (path, &w, &h, &c, &error))
        g_assert_nonnull (strstr (error->message, path));
    }
  remove_temp_dir (dir);
}

static void
test_truncated_jpeg (void)
{
  check_truncations ("exif/orient_6.jpg", "jpg");
}

static void
test_truncated_png (void)
{
  check_truncations ("detect/astronaut.png", "png");
}

/* A header that promises more than 2 GB of pixels is refused before anything is allocated. */
static void
test_decompression_bomb (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *png_path = g_build_filename (dir, "bomb.png", NULL);
  g_autofree char *jpg_path = g_build_filename (dir, "bomb.jpg", NULL);
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = NULL;
  static const guint8 ihdr[13] = { 0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50, 8, 6, 0, 0, 0 }; /* 50000² RGBA */
  static const guint8 idat[] = { 0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0, 0, 0, 1 };
  /* SOI, SOF0 65535 x 65535 x 3, SOS, EOI */
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x03,
                                 0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
                                 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,
                                 0xFF, 0xD9 };
  int w = 0, h = 0, c = 0;

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  put_chunk (png, "IHDR", ihdr, 13);
  put_chunk (png, "IDAT", idat, sizeof idat);
  put_chunk (png, "IEND", NULL, 0);
  write_file (png_path, png->data, png->len);
  write_file (jpg_path, jpeg, sizeof jpeg);

  image = bm_image_load (png_path, &error);
  g_assert_null (image);
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2 GB"));
  g_assert_nonnull (strstr (error->message, png_path));
  g_clear_error (&error);
  /* The header is fine to read: it is the size the user sees in the file list. */
  g_assert_true (bm_image_read_info (png_path, &w, &h, &c, &error));
  g_assert_cmpint (w, ==, 50000);
  g_assert_cmpint (c, ==, 4);

  image = bm_image_load (jpg_path, &error);
  g_assert_null (image);
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_true (bm_image_read_info (jpg_path, &w, &h, &c, NULL));
  g_assert_cmpint (w, ==, 65535);
  g_assert_cmpint (h, ==, 65535);
  remove_temp_dir (dir);
}

/* Random damage to small JPEG and PNG files (of every channel count): an error or an image,
 * never a crash (the sanitizer build checks the memory accesses). */
static void
test_mutations (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  static const char *extensions[] = { "png", "jpg" };
  guint n_errors = 0, n_images = 0;

  for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
    for (int channels = 1; channels <= 4; channels++)
      {
        g_autofree char *path = g_strdup_printf ("%s/seed_%d.%s", dir, channels, extensions[e]);
        g_autoptr(BmImage) image = random_image (24, 17, channels, (guint32) channels);
        g_autofree char *contents = NULL;
        gsize length;

        g_assert_true (bm_image_save (image, path, 80, NULL));
        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        for (int round = 0; round < 150; round++)
          {
            g_autofree guint8 *copy = g_memdup2 (contents, length);
            g_autoptr(GError) error = NULL;
            g_autoptr(BmImage) loaded = NULL;
            int n_changes = g_rand_int_range (rand, 1, 6);

            for (int k = 0; k < n_changes; k++)
              copy[g_rand_int_range (rand, 2, (gint32) length)] = (guint8) g_rand_int_range (rand, 0, 256);
            loaded = bm_image_load_from_memory (copy, length, path, &error);
            if (loaded == NULL)
              {
                g_assert_nonnull (error);
                n_errors++;
              }
            else
              {
                g_assert_cmpint (loaded->width, >, 0);
                n_images++;
              }
            bm_image_read_exif_orientation (copy, length);
          }
      }
  g_test_message ("%u damaged files refused, %u still decoded", n_errors, n_images);
  remove_temp_dir (dir);
}

/* ---- saving ------------------------------------------------------------------------------- */

static void
test_save_png_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();

  for (int channels = 1; channels <= 4; channels++)
    {
      g_autofree char *path = g_strdup_printf ("%s/round_%d.png", dir, channels);
      g_autoptr(BmImage) image = random_image (61, 29, channels, (guint32) channels);
      g_autoptr(BmImage) loaded = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (bm_image_save (image, path, 90, &error));
      g_assert_no_error (error);
      loaded = load_ok (path);
      g_assert_true (images_equal (image, loaded));
    }
  remove_temp_dir (dir);
}

static void
test_save_jpeg (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "photo.JPEG", NULL);
  g_autofree char *bad = g_build_filename (dir, "photo.tiff", NULL);
  g_autofree char *source = testdata ("detect/astronaut.png");
  g_autoptr(BmImage) image = load_ok (source);
  g_autoptr(BmImage) loaded = NULL;
  g_autoptr(GError) error = NULL;
  int w = 0, h = 0, c = 0;

  g_assert_true (bm_image_save (image, path, 95, &error));
  g_assert_no_error (error);
  loaded = load_ok (path);
  g_assert_cmpint (loaded->width, ==, 512);
  g_assert_cmpint (loaded->height, ==, 512);
  g_assert_cmpfloat (mean_abs_diff (image, loaded), <, 3.0);
  g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
  g_assert_cmpint (w, ==, 512);
  g_assert_cmpint (c, ==, 3);

  g_assert_false (bm_image_save (image, bad, 95, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  remove_temp_dir (dir);
}

static void
test_boxed_type (void)
{
  g_autoptr(BmImage) image = bm_image_new (4, 4, 3);
  BmImage *copy = g_boxed_copy (BM_TYPE_IMAGE, image);

  g_assert_true (copy == image);
  g_assert_cmpint (image->ref_count, ==, 2);
  g_boxed_free (BM_TYPE_IMAGE, copy);
  g_assert_cmpint (image->ref_count, ==, 1);
  g_assert_cmpint (image->stride, ==, 12);
  g_assert_cmpint (image->orientation, ==, 1);
  g_assert_cmpint (image->source_bits, ==, 8);
}

static void
test_read_info_behind_large_segments (void)
{
  g_autofree char *source = testdata ("exif/orient_6.jpg");
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "padded.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = NULL;
  static const guint8 app2[] = { 0xFF, 0xE2, 0x9C, 0x42 };   /* length 40002 */
  gsize length, pos = 2;
  gboolean grew_exif = FALSE;
  int w = 0, h = 0, c = 0, w0 = 0, h0 = 0, c0 = 0;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (bm_image_read_info (source, &w0, &h0, &c0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (w0, !=, h0);   /* orientation 6 swaps them: the check below sees it */

  g_byte_array_append (out, (const guint8 *) contents, 2);
  g_byte_array_append (out, app2, sizeof app2);
  for (guint i = 0; i < 40000; i++)
    g_byte_array_append (out, (const guint8 *) "\0", 1);
  /* Copy the segments, growing the Exif one with zeros after its TIFF data. */
  while (pos + 4 <= length && (guchar) contents[pos] == 0xFF && (guchar) contents[pos + 1] != 0xDA)
    {
      guint marker = (guchar) contents[pos + 1];
      guint seg = ((guint) (guchar) contents[pos + 2] << 8) | (guchar) contents[pos + 3];

      if (marker == 0xE1 && !grew_exif && memcmp (contents + pos + 4, "Exif", 4) == 0)
        {
          guint grown = seg + 20000;
          guint8 head[4] = { 0xFF, 0xE1, (guint8) (grown >> 8), (guint8) (grown & 0xFF) };

          g_assert_cmpuint (grown, <=, 0xFFFF);
          g_byte_array_append (out, head, 4);
          g_byte_array_append (out, (const guint8 *) contents + pos + 4, seg - 2);
          for (guint i = 0; i < 20000; i++)
            g_byte_array_append (out, (const guint8 *) "\0", 1);
          grew_exif = TRUE;
        }
      else
        g_byte_array_append (out, (const guint8 *) contents + pos, seg + 2);
      pos += seg + 2;
    }
  g_assert_true (grew_exif);
  g_byte_array_append (out, (const guint8 *) contents + pos, length - pos);
  write_file (path, out->data, out->len);

  g_assert_true (bm_image_read_info (path, &w, &h, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, w0);
  g_assert_cmpint (h, ==, h0);
  g_assert_cmpint (c, ==, c0);
  image = bm_image_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, w);
  g_assert_cmpint (image->height, ==, h);

  /* Cut inside the grown Exif segment: an error naming the file, not a size. */
  write_file (path, out->data, 50000);
  g_assert_false (bm_image_read_info (path, &w, &h, &c, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* A folder is named as one. */
  g_assert_false (bm_image_read_info (dir, &w, &h, &c, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "folder"));
  g_unlink (path);
  remove_temp_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/boxed-type", test_boxed_type);
  g_test_add_func ("/image/exif/orientation-tag", test_exif_orientation_tag);
  g_test_add_func ("/image/exif/display-upright", test_exif_files_display_upright);
  g_test_add_func ("/image/exif/read-info", test_exif_read_info);
  g_test_add_func ("/image/exif/parser-malformed", test_exif_parser_malformed);
  g_test_add_func ("/image/exif/jpeg-robust", test_exif_jpeg_robust);
  g_test_add_func ("/image/exif/load-paths-exact", test_exif_load_paths_exact);
  g_test_add_func ("/image/orientation/all-eight", test_orientation_all_eight);
  g_test_add_func ("/image/orientation/inverts-generator", test_orientation_inverts_generator);
  g_test_add_func ("/image/orientation/large-blocks", test_orientation_large_blocks);
  g_test_add_func ("/image/info/matches-decode", test_info_matches_decode);
  g_test_add_func ("/image/gray/matches-opencv", test_gray_matches_opencv);
  g_test_add_func ("/image/gray/jpeg-equals-opencv", test_gray_from_jpeg_equals_opencv);
  g_test_add_func ("/image/gray/formula", test_gray_formula);
  g_test_add_func ("/image/convert/channels", test_convert_channels);
  g_test_add_func ("/image/png/variants", test_png_variants);
  g_test_add_func ("/image/errors/basic", test_errors);
  g_test_add_func ("/image/read-info/behind-large-segments", test_read_info_behind_large_segments);
  g_test_add_func ("/image/errors/truncated-jpeg", test_truncated_jpeg);
  g_test_add_func ("/image/errors/truncated-png", test_truncated_png);
  g_test_add_func ("/image/errors/decompression-bomb", test_decompression_bomb);
  g_test_add_func ("/image/errors/mutations", test_mutations);
  g_test_add_func ("/image/save/png-round-trip", test_save_png_round_trip);
  g_test_add_func ("/image/save/jpeg", test_save_jpeg);

  return g_test_run ();
}
