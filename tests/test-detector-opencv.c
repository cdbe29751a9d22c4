/* test-detector-opencv.c: the detector against a live OpenCV 4.6 (Debian's /usr/bin/python3 with
 * cv2), for parameters and cascades that reference.json does not cover: other scale factors,
 * min/max sizes, trees, tilted features, LBP, the old-format cascade, random crops, colour input,
 * JPEG input (decoded by the same libjpeg-turbo as imread, set up the same way).
 * Exits 77 (skipped) when /usr/bin/python3 or its cv2 module is missing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/bm-cascade.h"
#include "core/bm-detector.h"
#include "core/bm-image.h"
#include "bm-test-util.h"

/* BM_PYTHON overrides it (to check the skip). */
#define DEFAULT_PYTHON "/usr/bin/python3"
#define PYTHON python_path ()
#define EXIT_SKIP 77

static const char *
python_path (void)
{
  const char *python = g_getenv ("BM_PYTHON");

  return python != NULL ? python : DEFAULT_PYTHON;
}

/* Reads jobs "image cascade scale minNeighbors minW minH maxW maxH cx cy cw ch colour" from the
 * file in argv[1] and prints, per job, "= index" then "x y w h neighbours" lines. */
static const char opencv_script[] =
  "import sys, cv2, numpy as np\n"
  "cv2.setNumThreads(1)\n"
  "cache = {}\n"
  "for i, line in enumerate(open(sys.argv[1])):\n"
  "    f = line.split()\n"
  "    img, casc = f[0], f[1]\n"
  "    sf = float(f[2]); mn, mw, mh, xw, xh, cx, cy, cw, ch, colour = map(int, f[3:])\n"
  "    key = (img, colour)\n"
  "    if key not in cache:\n"
  "        if colour:\n"
  "            cache[key] = cv2.cvtColor(cv2.imread(img, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)\n"
  "        else:\n"
  "            cache[key] = cv2.imread(img, cv2.IMREAD_GRAYSCALE)\n"
  "    g = np.ascontiguousarray(cache[key][cy:cy + ch, cx:cx + cw])\n"
  "    cc = cv2.CascadeClassifier(casc)\n"
  "    assert not cc.empty(), casc\n"
  "    print('=', i)\n"
  "    if mn == 0:\n"
  "        r = cc.detectMultiScale(g, sf, 0, minSize=(mw, mh), maxSize=(xw, xh))\n"
  "        n = [1] * len(r)\n"
  "    else:\n"
  "        r, n = cc.detectMultiScale2(g, sf, mn, minSize=(mw, mh), maxSize=(xw, xh))\n"
  "    for (x, y, w, h), k in zip(r, n):\n"
  "        print(int(x), int(y), int(w), int(h), int(k))\n"
  "print('end')\n";

typedef struct
{
  const char *image;
  const char *cascade;
  double scale;
  int min_neighbors;
  int min_w, min_h, max_w, max_h;
  int cx, cy, cw, ch;       /* crop; cw 0 = whole image */
  gboolean colour;          /* decode the colour file and convert, as OpenCV's BGR2GRAY */
} Job;

static GPtrArray *jobs;

static void
add_job (const char *image, const char *cascade, double scale, int mn, int min_size, int max_size)
{
  Job *job = g_new0 (Job, 1);

  *job = (Job) { image, cascade, scale, mn, min_size, min_size, max_size, max_size, 0, 0, 0, 0, FALSE };
  g_ptr_array_add (jobs, job);
}

static const char *images[] = {
  "astronaut.gray.png", "basketball1.gray.png", "camera.gray.png", "messi5.gray.png", "two_people.gray.png",
};

static const char *all_cascades[] = {
  "haarcascades/haarcascade_eye.xml",
  "haarcascades/haarcascade_eye_tree_eyeglasses.xml",
  "haarcascades/haarcascade_frontalcatface.xml",
  "haarcascades/haarcascade_frontalcatface_extended.xml",
  "haarcascades/haarcascade_frontalface_alt.xml",
  "haarcascades/haarcascade_frontalface_alt2.xml",
  "haarcascades/haarcascade_frontalface_alt_tree.xml",
  "haarcascades/haarcascade_frontalface_default.xml",
  "haarcascades/haarcascade_fullbody.xml",
  "haarcascades/haarcascade_lefteye_2splits.xml",
  "haarcascades/haarcascade_licence_plate_rus_16stages.xml",
  "haarcascades/haarcascade_lowerbody.xml",
  "haarcascades/haarcascade_profileface.xml",
  "haarcascades/haarcascade_righteye_2splits.xml",
  "haarcascades/haarcascade_russian_plate_number.xml",
  "haarcascades/haarcascade_smile.xml",
  "haarcascades/haarcascade_upperbody.xml",
  "lbpcascades/lbpcascade_frontalcatface.xml",
  "lbpcascades/lbpcascade_frontalface.xml",
  "lbpcascades/lbpcascade_frontalface_improved.xml",
  "lbpcascades/lbpcascade_profileface.xml",
  "lbpcascades/lbpcascade_silverware.xml",
};

#define DEFAULT "haarcascades/haarcascade_frontalface_default.xml"
#define ALT2 "haarcascades/haarcascade_frontalface_alt2.xml"
#define LBP "lbpcascades/lbpcascade_frontalface_improved.xml"

static void
make_jobs (void)
{
  static const double scales[] = { 1.05, 1.2, 1.3 };
  GRand *rand = g_rand_new_with_seed (4242);

  jobs = g_ptr_array_new_with_free_func (g_free);

  /* Other scale factors, three face cascades, raw and grouped. */
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    for (guint i = 0; i < G_N_ELEMENTS (images); i += 2)
      {
        add_job (images[i], DEFAULT, scales[s], s == 1 ? 0 : 3, 30, 0);
        add_job (images[i], ALT2, scales[s], s == 0 ? 0 : 5, 24, 0);
        add_job (images[i], LBP, scales[s], s == 2 ? 0 : 1, 0, 0);
      }

  /* Min and max sizes, including min == max on and off the scale grid. */
  add_job ("two_people.gray.png", DEFAULT, 1.1, 0, 0, 60);
  add_job ("two_people.gray.png", DEFAULT, 1.1, 3, 45, 200);
  add_job ("basketball1.gray.png", ALT2, 1.1, 0, 100, 100);
  add_job ("basketball1.gray.png", ALT2, 1.1, 0, 37, 37);
  add_job ("messi5.gray.png", LBP, 1.1, 2, 50, 120);
  add_job ("astronaut.gray.png", LBP, 1.15, 0, 0, 90);

  /* Every cascade Debian ships (trees, tilted features, LBP, the old format), minSize 0. */
  for (guint c = 0; c < G_N_ELEMENTS (all_cascades); c++)
    add_job (images[c % G_N_ELEMENTS (images)], all_cascades[c], 1.1, c % 3 == 0 ? 0 : 3, 0, 0);
  add_job ("two_people.gray.png", "haarcascades/haarcascade_eye.xml", 1.2, 0, 0, 0);
  add_job ("two_people.gray.png", "haarcascades/haarcascade_fullbody.xml", 1.05, 0, 0, 0);
  add_job ("two_people.gray.png", "haarcascades/haarcascade_upperbody.xml", 1.1, 2, 0, 0);
  add_job ("camera.gray.png", "haarcascades/haarcascade_licence_plate_rus_16stages.xml", 1.05, 0, 0, 0);

  /* Random crops (odd sizes, sizes near the window), random parameters. */
  for (int k = 0; k < 24; k++)
    {
      Job *job = g_new0 (Job, 1);
      static const int full_w[] = { 512, 640, 512, 548, 1126 };
      static const int full_h[] = { 512, 480, 512, 342, 661 };
      static const int min_sizes[] = { 0, 24, 30, 45 };
      static const int max_sizes[] = { 0, 0, 200, 77 };
      static const int neighbours[] = { 0, 1, 3, 5 };
      int i = g_rand_int_range (rand, 0, G_N_ELEMENTS (images));

      job->image = images[i];
      job->cascade = k % 4 == 3 ? all_cascades[g_rand_int_range (rand, 0, G_N_ELEMENTS (all_cascades))]
                                : k % 3 == 0 ? DEFAULT : k % 3 == 1 ? ALT2 : LBP;
      job->scale = 1.05 + 0.05 * g_rand_int_range (rand, 0, 6);
      job->min_neighbors = neighbours[g_rand_int_range (rand, 0, 4)];
      job->min_w = job->min_h = min_sizes[g_rand_int_range (rand, 0, 4)];
      job->max_w = job->max_h = max_sizes[g_rand_int_range (rand, 0, 4)];
      job->cw = g_rand_int_range (rand, 20, full_w[i] + 1);
      job->ch = g_rand_int_range (rand, 20, full_h[i] + 1);
      if (k % 5 == 0)
        job->cw = job->ch = 45 + k % 3;   /* barely one window */
      job->cw = MIN (job->cw, full_w[i]);
      job->ch = MIN (job->ch, full_h[i]);
      job->cx = g_rand_int_range (rand, 0, full_w[i] - job->cw + 1);
      job->cy = g_rand_int_range (rand, 0, full_h[i] - job->ch + 1);
      g_ptr_array_add (jobs, job);
    }

  /* JPEG input: libjpeg-turbo decodes it as imread does, then our BGR2GRAY, so OpenCV's
   * rectangles again (EXIF orientation included). */
  {
    static const char *jpegs[] = { "messi5.jpg", "two_people.jpg", "../exif/orient_6.jpg", "../exif/orient_3.jpg",
                                   "../yolo/ultralytics_coco8/images/train/000000000009.jpg",
                                   "../yolo/ultralytics_coco8/images/val/000000000036.jpg" };
    static const char *cascades[] = { DEFAULT, ALT2, LBP, "haarcascades/haarcascade_fullbody.xml",
                                      "haarcascades/haarcascade_eye.xml", "haarcascades/haarcascade_upperbody.xml" };

    for (guint i = 0; i < G_N_ELEMENTS (jpegs); i++)
      for (guint c = 0; c < G_N_ELEMENTS (cascades); c++)
        {
          Job *job = g_new0 (Job, 1);

          *job = (Job) { jpegs[i], cascades[c], c % 2 ? 1.1 : 1.05, (int) ((i + c) % 3) * 2, 0, 0, 0, 0,
                         0, 0, 0, 0, TRUE };
          g_ptr_array_add (jobs, job);
        }
  }

  /* Colour input converted by our BGR2GRAY. */
  {
    Job *job = g_new0 (Job, 1);
    *job = (Job) { "astronaut.png", DEFAULT, 1.1, 0, 30, 30, 0, 0, 0, 0, 0, 0, TRUE };
    g_ptr_array_add (jobs, job);
    job = g_new0 (Job, 1);
    *job = (Job) { "astronaut.png", LBP, 1.2, 2, 0, 0, 0, 0, 0, 0, 0, 0, TRUE };
    g_ptr_array_add (jobs, job);
  }
  g_rand_free (rand);
}

static char *
image_path (const Job *job)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), "detect", job->image, NULL);
}

static char *
cascade_path (const Job *job)
{
  const char *dir = g_getenv ("BM_OPENCV_DATA");

  return g_build_filename (dir != NULL ? dir : "/usr/share/opencv4", job->cascade, NULL);
}

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

/* Runs every job through OpenCV; returns one GArray of BmDetection per job. */
static GPtrArray *
run_opencv (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bm-detector-XXXXXX", &error);
  g_autofree char *job_file = NULL;
  g_autofree char *script_file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GString *lines = g_string_new (NULL);
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_auto(GStrv) out_lines = NULL;
  GArray *current = NULL;
  int status = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      const Job *j = g_ptr_array_index (jobs, i);
      g_autofree char *image = image_path (j);
      g_autofree char *cascade = cascade_path (j);
      char scale[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (scale, sizeof scale, j->scale);
      g_string_append_printf (lines, "%s %s %s %d %d %d %d %d %d %d %d %d %d\n", image, cascade, scale,
                              j->min_neighbors, j->min_w, j->min_h, j->max_w, j->max_h,
                              j->cx, j->cy, j->cw ? j->cw : 100000, j->ch ? j->ch : 100000, j->colour);
    }
  job_file = g_build_filename (dir, "jobs.txt", NULL);
  script_file = g_build_filename (dir, "opencv.py", NULL);
  g_file_set_contents (job_file, lines->str, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (script_file, opencv_script, -1, &error);
  g_assert_no_error (error);
  g_string_free (lines, TRUE);

  {
    const char *argv[] = { PYTHON, script_file, job_file, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("OpenCV script failed: %s", err);
  g_unlink (job_file);
  g_unlink (script_file);
  g_rmdir (dir);

  out_lines = g_strsplit (out, "\n", -1);
  for (guint k = 0; out_lines[k] != NULL; k++)
    {
      const char *l = out_lines[k];
      BmDetection d;

      if (g_str_has_prefix (l, "= "))
        {
          current = g_array_new (FALSE, FALSE, sizeof (BmDetection));
          g_ptr_array_add (results, current);
        }
      else if (sscanf (l, "%d %d %d %d %d", &d.x, &d.y, &d.width, &d.height, &d.neighbors) == 5)
        {
          g_assert_nonnull (current);
          g_array_append_val (current, d);
        }
    }
  g_assert_cmpuint (results->len, ==, jobs->len);
  return results;
}

static int
compare_detection (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (BmDetection));
}

static BmImage *
load_image (const Job *job)
{
  g_autofree char *path = image_path (job);
  g_autoptr(GError) error = NULL;
  BmImage *image = bm_image_load (path, &error);

  g_assert_no_error (error);
  return image;
}

static GArray *
run_ours (const Job *job)
{
  g_autofree char *path = cascade_path (job);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) cascade = bm_cascade_load (path, &error);
  g_autoptr(BmImage) image = load_image (job);
  BmDetectorParams params;
  int cw, ch;
  const guint8 *origin;
  g_autofree guint8 *gray = NULL;
  int stride;

  g_assert_no_error (error);
  bm_detector_params_init (&params);
  params.scale_factor = job->scale;
  params.min_neighbors = job->min_neighbors;
  params.min_width = job->min_w;
  params.min_height = job->min_h;
  params.max_width = job->max_w;
  params.max_height = job->max_h;
  params.n_threads = 1 + (int) (job->cx % 2);

  if (image->channels == 1)
    {
      origin = image->data;
      stride = image->stride;
    }
  else
    {
      gray = g_malloc ((gsize) image->width * image->height);
      bm_detector_to_gray (image->data, image->width, image->height, image->stride, image->channels,
                           gray, image->width);
      origin = gray;
      stride = image->width;
    }
  cw = job->cw ? job->cw : image->width;
  ch = job->ch ? job->ch : image->height;
  return bm_detector_detect_gray (cascade, origin + (gsize) job->cy * stride + job->cx, cw, ch, stride, &params);
}

static void
test_against_opencv (void)
{
  g_autoptr(GPtrArray) expected = run_opencv ();
  int failures = 0;
  guint total_rects = 0, jpeg_rects = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      const Job *job = g_ptr_array_index (jobs, i);
      g_autoptr(GArray) got = run_ours (job);
      GArray *want = g_ptr_array_index (expected, i);

      /* The raw list must match in order too: OpenCV ran single-threaded. */
      if (job->min_neighbors > 0)
        {
          g_array_sort (got, compare_detection);
          g_array_sort (want, compare_detection);
        }
      total_rects += want->len;
      if (g_str_has_suffix (job->image, ".jpg"))
        jpeg_rects += want->len;
      if (got->len != want->len || (got->len > 0 && memcmp (got->data, want->data, got->len * sizeof (BmDetection)) != 0))
        {
          g_test_message ("MISMATCH job %u: %s %s scale %g mn %d min %d max %d crop %d,%d %dx%d: got %u, OpenCV %u",
                          i, job->image, job->cascade, job->scale, job->min_neighbors, job->min_w, job->max_w,
                          job->cx, job->cy, job->cw, job->ch, got->len, want->len);
          failures++;
        }
    }
  g_test_message ("%u jobs, %u OpenCV rectangles (%u on JPEGs), %d mismatches", jobs->len, total_rects,
                  jpeg_rects, failures);
  g_assert_cmpint (failures, ==, 0);
  g_assert_cmpuint (total_rects, >, 100);
  g_assert_cmpuint (jpeg_rects, >, 50);
}

int
main (int argc, char **argv)
{
  int result;

  if (!opencv_available ())
    {
      g_printerr ("skipped: %s with cv2 is not available\n", PYTHON);
      return EXIT_SKIP;
    }
  bm_test_require_data ("detect/two_people.gray.png", FALSE);
  g_test_init (&argc, &argv, NULL);
  make_jobs ();
  g_test_add_func ("/detector/opencv-live", test_against_opencv);
  result = g_test_run ();
  g_ptr_array_unref (jobs);
  return result;
}
