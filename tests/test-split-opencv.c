/* test-split-opencv.c: the split against the live reference: bm_resize_cubic against OpenCV's
 * cv2.resize(INTER_CUBIC), and whole splits against DOTA_devkit's ImgSplit itself (from
 * ../shared/reference-impl/dota, run in place) on random objects around tile edges, at rates 1,
 * 0.5 and 1.5: every label tile and every image tile byte for byte.
 * Exits 77 (skipped) when Debian's /usr/bin/python3 lacks cv2 and numpy; the ImgSplit part is
 * skipped without shapely.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/bm-dataset.h"
#include "core/bm-image.h"
#include "core/bm-png-write.h"
#include "core/bm-resize.h"
#include "dataset/bm-dota-split.h"
#include "tests/bm-test-util.h"

#define DEFAULT_PYTHON "/usr/bin/python3"
#define EXIT_SKIP 77

static char *tmp_root;

static const char *
python (void)
{
  const char *path = g_getenv ("BM_PYTHON");

  return path != NULL ? path : DEFAULT_PYTHON;
}

static gboolean
python_has (const char *modules)
{
  g_autofree char *code = g_strdup_printf ("import %s", modules);
  const char *argv[] = { python (), "-c", code, NULL };
  int status;

  if (!g_file_test (python (), G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
run_python (const char *script, const char *const *args)
{
  g_autofree char *script_path = g_build_filename (tmp_root, "script.py", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  g_ptr_array_add (argv, (gpointer) python ());
  g_ptr_array_add (argv, script_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python failed:\n%s\n%s", out, err);
}

/* ---- resize --------------------------------------------------------------------------------- */

/* Reads each image with cv2 (unchanged), resizes it, writes "W H C" + BGR(A) bytes. */
static const char resize_script[] =
  "import sys, cv2, numpy as np\n"
  "cv2.setNumThreads(1)\n"
  "src, out = sys.argv[1], sys.argv[2]\n"
  "img = cv2.imread(src, cv2.IMREAD_UNCHANGED)\n"
  "for i, f in enumerate(sys.argv[3:]):\n"
  "    r = cv2.resize(img, None, fx=float(f), fy=float(f), interpolation=cv2.INTER_CUBIC)\n"
  "    c = 1 if r.ndim == 2 else r.shape[2]\n"
  "    with open('%s.%d' % (out, i), 'wb') as fh:\n"
  "        fh.write(('%d %d %d\\n' % (r.shape[1], r.shape[0], c)).encode())\n"
  "        fh.write(np.ascontiguousarray(r).tobytes())\n";

static const char *const rates[] = { "0.5", "0.3", "1.5", "2", "0.7", "0.3333333333333333", "0.999", "0.123", NULL };

static void
compare_resize (const char *path)
{
  g_autofree char *out = g_build_filename (tmp_root, "resized", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = bm_image_load (path, &error);

  g_assert_no_error (error);
  g_ptr_array_add (args, (gpointer) path);
  g_ptr_array_add (args, out);
  for (guint i = 0; rates[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) rates[i]);
  g_ptr_array_add (args, NULL);
  run_python (resize_script, (const char *const *) args->pdata);

  for (guint i = 0; rates[i] != NULL; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.%u", out, i);
      g_autofree char *data = NULL;
      double rate = g_ascii_strtod (rates[i], NULL);
      g_autoptr(BmImage) ours = bm_resize_cubic (image, rate, rate, 0);
      int width, height, channels, max_diff = 0;
      guint64 n_diff = 0;
      const guint8 *theirs;
      gsize length;

      g_assert_true (g_file_get_contents (file, &data, &length, NULL));
      g_assert_cmpint (sscanf (data, "%d %d %d", &width, &height, &channels), ==, 3);
      theirs = (const guint8 *) strchr (data, '\n') + 1;
      g_assert_nonnull (ours);
      g_assert_cmpint (ours->width, ==, width);
      g_assert_cmpint (ours->height, ==, height);
      g_assert_cmpint (ours->channels, ==, channels);
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          for (int c = 0; c < channels; c++)
            {
              /* OpenCV's rows are BGR(A) */
              int their_c = channels >= 3 && c < 3 ? 2 - c : c;
              int a = ours->data[(gsize) y * ours->stride + (gsize) x * channels + c];
              int b = theirs[((gsize) y * width + x) * channels + their_c];

              if (a != b)
                {
                  n_diff++;
                  max_diff = MAX (max_diff, ABS (a - b));
                }
            }
      g_test_message ("%s at %s: %d x %d x %d, %" G_GUINT64_FORMAT " samples differ (largest %d)",
                      path, rates[i], width, height, channels, n_diff, max_diff);
      g_assert_cmpint (max_diff, <=, 1);
    }
}

static void
write_noise (const char *path, int width, int height, int channels, guint32 seed)
{
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * channels);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (seed);

  /* noise with some smooth structure, so that both strong and weak gradients occur */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < channels; c++)
        pixels[((gsize) y * width + x) * channels + c] =
          (x * 3 + y * 5 + c * 40) % 256 < 128 ? (guint8) g_rand_int_range (rand, 0, 256)
                                               : (guint8) ((x + y * 2 + c * 17) % 256);
  g_rand_free (rand);
  g_assert_true (bm_png_write_file (path, pixels, width, height, channels, (gsize) width * channels,
                                    BM_PNG_LEVEL_OPENCV, BM_PNG_WRITE_DEFAULT, &error));
  g_assert_no_error (error);
}

static void
test_resize (void)
{
  g_autofree char *p0706 = g_build_filename (g_getenv ("BM_TESTDATA"), "dota", "dota_devkit_example",
                                             "images", "P0706.png", NULL);
  static const int channels[] = { 1, 3, 4 };

  compare_resize (p0706);
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      g_autofree char *name = g_strdup_printf ("noise%d.png", channels[i]);
      g_autofree char *path = g_build_filename (tmp_root, name, NULL);

      write_noise (path, 331 + (int) i, 207 + 2 * (int) i, channels[i], 11 + i);
      compare_resize (path);
    }
}

/* ---- ImgSplit itself ------------------------------------------------------------------------ */

/* A DOTA dataset of one noisy image with 300 objects (boxes, rotated rectangles, convex quads;
 * whole and half-pixel coordinates), most of them on or near tile edges. Objects ImgSplit stops
 * on (invalid or concave quadrilaterals at some rate) are not written: only ImgSplit's own
 * behaviour can be compared. */
static const char dataset_script[] =
  "import random, sys, os, math, numpy as np, cv2\n"
  "import shapely.geometry as sg\n"
  "seed, out = int(sys.argv[1]), sys.argv[2]\n"
  "rnd = random.Random(seed)\n"
  "W, H = [(2500, 1900), (1111, 1182), (3000, 1024)][seed % 3]\n"
  "os.makedirs(out + '/images'); os.makedirs(out + '/labelTxt')\n"
  "img = (np.random.RandomState(seed).rand(H, W, 3) * 60).astype(np.uint8) + 90\n"
  "cv2.imwrite(out + '/images/img%d.png' % seed, img)\n"
  "lines = ['imagesource:GoogleEarth', 'gsd:0.1']\n"
  "xs = [0, 924, 1024, 1848, 1948, W - 1024, W - 1, W]\n"
  "ys = [0, 924, 1024, 1848, 1948, H - 1024, H - 1, H]\n"
  "def convex(q):\n"
  "    s = [(q[(k+1)%4][0]-q[k][0])*(q[(k+2)%4][1]-q[(k+1)%4][1]) - (q[(k+1)%4][1]-q[k][1])*(q[(k+2)%4][0]-q[(k+1)%4][0]) for k in range(4)]\n"
  "    return all(v > 0 for v in s) or all(v < 0 for v in s)\n"
  "while len(lines) < 302:\n"
  "    kind = rnd.random()\n"
  "    cx = rnd.choice(xs) + rnd.randint(-40, 40) if rnd.random() < 0.7 else rnd.uniform(0, W)\n"
  "    cy = rnd.choice(ys) + rnd.randint(-40, 40) if rnd.random() < 0.7 else rnd.uniform(0, H)\n"
  "    if kind < 0.3:\n"
  "        w, h = rnd.randint(2, 80), rnd.randint(2, 80)\n"
  "        pts = [(cx - w/2, cy - h/2), (cx + w/2, cy - h/2), (cx + w/2, cy + h/2), (cx - w/2, cy + h/2)]\n"
  "    elif kind < 0.8:\n"
  "        w, h, a = rnd.uniform(3, 90), rnd.uniform(3, 60), rnd.uniform(0, math.pi)\n"
  "        c, s = math.cos(a), math.sin(a)\n"
  "        pts = [(cx + c*dx - s*dy, cy + s*dx + c*dy) for dx, dy in ((-w/2,-h/2),(w/2,-h/2),(w/2,h/2),(-w/2,h/2))]\n"
  "    else:\n"
  "        angs = sorted(rnd.uniform(0, 2*math.pi) for _ in range(4))\n"
  "        pts = [(cx + rnd.uniform(5, 50)*math.cos(t), cy + rnd.uniform(5, 50)*math.sin(t)) for t in angs]\n"
  "    if rnd.random() < 0.5:\n"
  "        txt = ' '.join('%d %d' % (round(x), round(y)) for x, y in pts)\n"
  "    else:\n"
  "        txt = ' '.join('%.1f %.1f' % p for p in pts)\n"
  "    v = [int(float(t)) for t in txt.split()]\n"
  "    q = [(v[2*k], v[2*k+1]) for k in range(4)]\n"
  "    if not convex(q) or not all(sg.Polygon([(r*a, r*b) for a, b in q]).is_valid for r in (1, 0.5, 1.5)):\n"
  "        continue\n"
  "    lines.append('%s %s %d' % (txt, rnd.choice(['ship', 'plane', 'small-vehicle']), rnd.choice([0, 0, 1])))\n"
  "open(out + '/labelTxt/img%d.txt' % seed, 'w').write('\\n'.join(lines) + '\\n')\n";

static const char imgsplit_script[] =
  "import sys\n"
  "sys.dont_write_bytecode = True\n"
  "sys.path.insert(0, sys.argv[1])\n"
  "import ImgSplit\n"
  "for r in (1, 0.5, 1.5):\n"
  "    ImgSplit.splitbase(sys.argv[2], sys.argv[3], gap=100, subsize=1024, thresh=0.7,\n"
  "                       choosebestpoint=True, ext='.png').splitdata(r)\n";

static void
test_imgsplit (void)
{
  g_autofree char *reference = g_build_filename (g_getenv ("BM_SOURCE_ROOT"), "..", "shared",
                                                 "reference-impl", "dota", NULL);
  g_autofree char *module = g_build_filename (reference, "ImgSplit.py", NULL);

  if (!g_file_test (module, G_FILE_TEST_EXISTS) || !python_has ("cv2, numpy, shapely"))
    {
      g_test_skip ("DOTA_devkit's ImgSplit.py with shapely is not available");
      return;
    }
  for (guint seed = 1; seed <= 3; seed++)
    {
      g_autofree char *seed_text = g_strdup_printf ("%u", seed);
      g_autofree char *dir = g_strdup_printf ("%s/imgsplit%u", tmp_root, seed);
      g_autofree char *src = g_build_filename (dir, "src", NULL);
      g_autofree char *theirs = g_build_filename (dir, "imgsplit", NULL);
      g_autofree char *ours = g_build_filename (dir, "boxmark", NULL);
      const char *make_args[] = { seed_text, src, NULL };
      const char *split_args[] = { reference, src, theirs, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(BmDataset) dataset = NULL;
      BmDotaSplitOptions options;
      BmDotaSplitReport report;
      guint n;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      run_python (dataset_script, make_args);
      run_python (imgsplit_script, split_args);
      dataset = bm_dataset_open (src, FALSE, &error);
      g_assert_no_error (error);
      bm_dota_split_options_init (&options);
      options.rates[0] = 1;
      options.rates[1] = 0.5;
      options.rates[2] = 1.5;
      options.n_rates = 3;
      g_assert_true (bm_dota_split (dataset, ours, &options, NULL, NULL, NULL, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.problems->len, ==, 0);
      /* every tile, label text and PNG bytes alike */
      n = bm_test_assert_same_tree (theirs, ours);
      g_test_message ("seed %u: %u files equal to ImgSplit's (%u label lines, %u cut)", seed, n,
                      report.n_objects, report.n_cut);
      g_assert_cmpuint (n, ==, 2 * report.n_image_tiles);
      g_assert_cmpuint (report.n_cut, >, 50);
      bm_dota_split_report_clear (&report);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  if (!python_has ("cv2, numpy"))
    {
      g_printerr ("skipped: %s with cv2 is not available\n", python ());
      return EXIT_SKIP;
    }
  g_test_init (&argc, &argv, NULL);
  tmp_root = g_dir_make_tmp ("bm-split-opencv-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/split-opencv/resize", test_resize);
  g_test_add_func ("/split-opencv/imgsplit", test_imgsplit);
  result = g_test_run ();
  bm_test_remove_tree (tmp_root);
  g_free (tmp_root);
  return result;
}
