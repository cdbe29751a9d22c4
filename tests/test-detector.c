/* test-detector.c: the cascade loader and the detector against OpenCV 4.6's recorded output.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "tests/bm-test-util.h"
#include "core/bm-cascade.h"
#include "core/bm-detector.h"
#include "core/bm-error.h"
#include "core/bm-image.h"
#include "bm-test-util.h"

/* ---- a minimal JSON reader, enough for reference.json ---- */

typedef enum { J_NULL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT, J_BOOL } JsonKind;

typedef struct _Json Json;
struct _Json
{
  JsonKind kind;
  double number;
  char *string;
  GPtrArray *items;        /* array elements, or object values */
  GPtrArray *keys;         /* object keys */
};

static void
json_free (gpointer data)
{
  Json *j = data;

  if (j == NULL)
    return;
  g_free (j->string);
  if (j->items != NULL)
    g_ptr_array_unref (j->items);
  if (j->keys != NULL)
    g_ptr_array_unref (j->keys);
  g_free (j);
}

static void
skip_space (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
}

static char *
parse_string (const char **p)
{
  GString *s = g_string_new (NULL);

  g_assert_cmpint (**p, ==, '"');
  (*p)++;
  while (**p != '"')
    {
      g_assert_cmpint (**p, !=, '\0');
      if (**p == '\\')
        (*p)++;
      g_string_append_c (s, **p);
      (*p)++;
    }
  (*p)++;
  return g_string_free (s, FALSE);
}

static Json *
parse_value (const char **p)
{
  Json *j = g_new0 (Json, 1);

  skip_space (p);
  if (**p == '{' || **p == '[')
    {
      gboolean object = **p == '{';
      j->kind = object ? J_OBJECT : J_ARRAY;
      j->items = g_ptr_array_new_with_free_func (json_free);
      if (object)
        j->keys = g_ptr_array_new_with_free_func (g_free);
      (*p)++;
      skip_space (p);
      while (**p != (object ? '}' : ']'))
        {
          if (object)
            {
              skip_space (p);
              g_ptr_array_add (j->keys, parse_string (p));
              skip_space (p);
              g_assert_cmpint (**p, ==, ':');
              (*p)++;
            }
          g_ptr_array_add (j->items, parse_value (p));
          skip_space (p);
          if (**p == ',')
            (*p)++;
          skip_space (p);
        }
      (*p)++;
    }
  else if (**p == '"')
    {
      j->kind = J_STRING;
      j->string = parse_string (p);
    }
  else if (strncmp (*p, "null", 4) == 0)
    *p += 4;
  else if (strncmp (*p, "true", 4) == 0 || strncmp (*p, "false", 5) == 0)
    {
      j->kind = J_BOOL;
      j->number = **p == 't';
      *p += **p == 't' ? 4 : 5;
    }
  else
    {
      char *end = NULL;
      j->kind = J_NUMBER;
      j->number = g_ascii_strtod (*p, &end);
      g_assert_true (end != *p);
      *p = end;
    }
  return j;
}

static Json *
json_get (Json *object, const char *key)
{
  g_assert_cmpint (object->kind, ==, J_OBJECT);
  for (guint i = 0; i < object->keys->len; i++)
    if (strcmp (g_ptr_array_index (object->keys, i), key) == 0)
      return g_ptr_array_index (object->items, i);
  return NULL;
}

static Json *
json_at (Json *array, guint i)
{
  g_assert_cmpint (array->kind, ==, J_ARRAY);
  g_assert_cmpuint (i, <, array->items->len);
  return g_ptr_array_index (array->items, i);
}

/* ---- helpers ---- */

static const char *
opencv_data_dir (void)
{
  const char *dir = g_getenv ("BM_OPENCV_DATA");

  return dir != NULL ? dir : "/usr/share/opencv4";
}

static char *
cascade_path (const char *file)
{
  const char *sub = g_str_has_prefix (file, "lbp") ? "lbpcascades" : "haarcascades";

  return g_build_filename (opencv_data_dir (), sub, file, NULL);
}

static char *
testdata_path (const char *first, ...)
{
  const char *root = g_getenv ("BM_TESTDATA");
  va_list args;
  char *rest, *path;

  g_assert_nonnull (root);
  va_start (args, first);
  rest = g_build_filename_valist (first, &args);
  va_end (args);
  path = g_build_filename (root, rest, NULL);
  g_free (rest);
  return path;
}

static BmCascade *
load_cascade_or_skip (const char *file)
{
  g_autofree char *path = cascade_path (file);
  g_autoptr(GError) error = NULL;
  BmCascade *cascade;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("%s missing (Debian package opencv-data)", path);
      g_test_skip (msg);
      return NULL;
    }
  cascade = bm_cascade_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cascade);
  return cascade;
}

static int
compare_detection (gconstpointer a, gconstpointer b)
{
  const BmDetection *p = a, *q = b;

  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  if (p->y != q->y)
    return p->y < q->y ? -1 : 1;
  if (p->width != q->width)
    return p->width < q->width ? -1 : 1;
  return p->height < q->height ? -1 : p->height > q->height;
}

static GArray *
detections_from_json (Json *rects, Json *counts)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BmDetection));

  for (guint i = 0; i < rects->items->len; i++)
    {
      Json *r = json_at (rects, i);
      BmDetection d = { (int) json_at (r, 0)->number, (int) json_at (r, 1)->number,
                        (int) json_at (r, 2)->number, (int) json_at (r, 3)->number,
                        counts != NULL ? (int) json_at (counts, i)->number : 1 };
      g_array_append_val (out, d);
    }
  return out;
}

static char *
format_detections (GArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < a->len; i++)
    {
      BmDetection *d = &g_array_index (a, BmDetection, i);
      g_string_append_printf (s, "[%d %d %d %d n%d] ", d->x, d->y, d->width, d->height, d->neighbors);
    }
  return g_string_free (s, FALSE);
}

/* Equal as sets (neighbour counts included); with @same_order, also as lists. */
static void
assert_same_detections (GArray *got, GArray *want, gboolean same_order, const char *what)
{
  g_autoptr(GArray) a = g_array_copy (got);
  g_autoptr(GArray) b = g_array_copy (want);
  gboolean equal;

  if (!same_order)
    {
      g_array_sort (a, compare_detection);
      g_array_sort (b, compare_detection);
    }
  equal = a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (BmDetection)) == 0);
  if (!equal)
    {
      g_autofree char *sa = format_detections (a);
      g_autofree char *sb = format_detections (b);
      g_test_message ("%s\n got:  %s\n want: %s", what, sa, sb);
    }
  g_assert_true (equal);
}

static BmImage *
load_gray (const char *file)
{
  g_autofree char *path = testdata_path ("detect", file, NULL);
  g_autoptr(GError) error = NULL;
  BmImage *image = bm_image_load (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (image->channels, ==, 1);
  return image;
}

/* ---- exactness against reference.json ---- */

static void
test_reference (void)
{
  if (!bm_test_have_data ("detect/reference.json"))
    return;
  g_autofree char *path = testdata_path ("detect", "reference.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  Json *root, *images, *params;
  const char *p;
  int compared = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  p = text;
  root = parse_value (&p);
  params = json_get (root, "params");
  g_assert_cmpfloat (json_get (params, "scaleFactor")->number, ==, 1.1);
  images = json_get (root, "images");
  for (guint i = 0; i < images->items->len; i++)
    {
      Json *image = json_at (images, i);
      Json *results = json_get (image, "results");
      g_autoptr(BmImage) gray = load_gray (json_get (image, "gray_file")->string);

      g_assert_cmpint (gray->width, ==, (int) json_get (image, "width")->number);
      g_assert_cmpint (gray->height, ==, (int) json_get (image, "height")->number);
      for (guint c = 0; c < results->keys->len; c++)
        {
          const char *cascade_file = g_ptr_array_index (results->keys, c);
          Json *result = g_ptr_array_index (results->items, c);
          g_autoptr(BmCascade) cascade = load_cascade_or_skip (cascade_file);
          static const int neighbours[] = { 0, 3, 5 };

          if (cascade == NULL)
            return;
          for (guint k = 0; k < G_N_ELEMENTS (neighbours); k++)
            {
              g_autofree char *key = g_strdup_printf ("minNeighbors_%d", neighbours[k]);
              g_autofree char *what = g_strdup_printf ("%s %s minNeighbors %d", json_get (image, "file")->string,
                                                       cascade_file, neighbours[k]);
              Json *expected = neighbours[k] == 0 ? json_get (result, "raw_candidates") : json_get (result, key);
              g_autoptr(GArray) want = detections_from_json (json_get (expected, "rects"),
                                                             json_get (expected, "numDetections"));
              BmDetectorParams dp;
              g_autoptr(GArray) got = NULL;

              bm_detector_params_init (&dp);
              dp.min_neighbors = neighbours[k];
              dp.n_threads = 1;
              got = bm_detector_detect (cascade, gray, &dp);
              /* Raw windows come out in OpenCV's single-thread order. */
              assert_same_detections (got, want, neighbours[k] == 0, what);
              compared++;
            }
        }
    }
  g_assert_cmpint (compared, ==, 45);
  json_free (root);
}

static void
test_threads_deterministic (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  g_autoptr(BmCascade) cascade = load_cascade_or_skip ("haarcascade_frontalface_default.xml");
  g_autoptr(BmImage) gray = NULL;
  BmDetectorParams dp;
  g_autoptr(GArray) one = NULL;

  if (cascade == NULL)
    return;
  gray = load_gray ("two_people.gray.png");
  bm_detector_params_init (&dp);
  dp.min_neighbors = 0;
  dp.n_threads = 1;
  one = bm_detector_detect (cascade, gray, &dp);
  g_assert_cmpuint (one->len, >, 0);
  for (int threads = 2; threads <= 4; threads++)
    {
      g_autoptr(GArray) many = NULL;

      dp.n_threads = threads;
      many = bm_detector_detect (cascade, gray, &dp);
      assert_same_detections (many, one, TRUE, "threads");
    }
}

static void
test_colour_to_gray (void)
{
  /* R, G, B of a few pixels; expected values from OpenCV's cvtColor(BGR2GRAY). */
  const guint8 rgb[] = { 255, 0, 0,  0, 255, 0,  0, 0, 255,  255, 255, 255,  12, 200, 99,  1, 1, 1 };
  guint8 gray[6];

  bm_detector_to_gray (rgb, 6, 1, sizeof rgb, 3, gray, 6);
  g_assert_cmpint (gray[0], ==, 76);
  g_assert_cmpint (gray[1], ==, 150);
  g_assert_cmpint (gray[2], ==, 29);
  g_assert_cmpint (gray[3], ==, 255);
  g_assert_cmpint (gray[4], ==, (3735 * 99 + 19235 * 200 + 9798 * 12 + 16384) >> 15);
  g_assert_cmpint (gray[5], ==, 1);
}

static void
test_colour_image_same_as_gray (void)
{
  g_autoptr(BmCascade) cascade = load_cascade_or_skip ("lbpcascade_frontalface_improved.xml");
  g_autoptr(BmImage) gray = NULL;
  g_autoptr(BmImage) rgb = NULL;
  BmDetectorParams dp;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;

  if (cascade == NULL)
    return;
  gray = load_gray ("astronaut.gray.png");
  rgb = bm_image_new (gray->width, gray->height, 3);
  for (int y = 0; y < gray->height; y++)
    for (int x = 0; x < gray->width; x++)
      memset (rgb->data + (gsize) y * rgb->stride + 3 * x, gray->data[(gsize) y * gray->stride + x], 3);
  bm_detector_params_init (&dp);
  a = bm_detector_detect (cascade, gray, &dp);
  b = bm_detector_detect (cascade, rgb, &dp);
  assert_same_detections (b, a, TRUE, "gray vs rgb");
  g_assert_cmpuint (a->len, >, 0);
}

static void
test_small_and_empty_images (void)
{
  g_autoptr(BmCascade) cascade = load_cascade_or_skip ("haarcascade_frontalface_default.xml");
  guint8 pixels[30 * 30];
  BmDetectorParams dp;

  if (cascade == NULL)
    return;
  for (guint i = 0; i < sizeof pixels; i++)
    pixels[i] = (guint8) (i * 37 % 251);
  bm_detector_params_init (&dp);
  dp.min_width = dp.min_height = 0;
  dp.min_neighbors = 0;
  for (int size = 0; size <= 30; size += 5)
    {
      g_autoptr(GArray) d = bm_detector_detect_gray (cascade, pixels, size, size, 30, &dp);
      g_assert_nonnull (d);
      for (guint i = 0; i < d->len; i++)
        {
          BmDetection *r = &g_array_index (d, BmDetection, i);
          g_assert_cmpint (r->x + r->width, <=, size);
          g_assert_cmpint (r->y + r->height, <=, size);
        }
    }
}

static void
test_scalar_matches_simd (void)
{
  if (!bm_test_have_data ("detect/messi5.gray.png"))
    return;
  static const char *files[] = {
    "haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml", "haarcascade_frontalcatface_extended.xml",
    "haarcascade_frontalface_alt2.xml", "haarcascade_frontalface_default.xml", "haarcascade_fullbody.xml",
    "haarcascade_licence_plate_rus_16stages.xml", "haarcascade_righteye_2splits.xml", "haarcascade_smile.xml",
    "haarcascade_upperbody.xml", "lbpcascade_frontalface_improved.xml", "lbpcascade_silverware.xml",
  };
  g_autoptr(BmImage) gray = load_gray ("messi5.gray.png");
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(BmCascade) cascade = load_cascade_or_skip (files[i]);
      g_autoptr(GArray) vector = NULL;
      g_autoptr(GArray) scalar = NULL;
      BmDetectorParams dp;

      if (cascade == NULL)
        return;
      bm_detector_params_init (&dp);
      dp.min_width = dp.min_height = 0;
      dp.min_neighbors = 0;
      dp.scale_factor = 1.15;
      vector = bm_detector_detect (cascade, gray, &dp);
      bm_detector_set_simd_enabled (FALSE);
      scalar = bm_detector_detect (cascade, gray, &dp);
      bm_detector_set_simd_enabled (TRUE);
      assert_same_detections (vector, scalar, TRUE, files[i]);
      total += scalar->len;
    }
  g_assert_cmpuint (total, >, 100);
}

static void
test_cancelled (void)
{
  if (!bm_test_have_data ("detect/messi5.gray.png"))
    return;
  g_autoptr(BmCascade) cascade = load_cascade_or_skip ("haarcascade_frontalface_default.xml");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BmImage) gray = NULL;
  BmDetectorParams dp;

  if (cascade == NULL)
    return;
  gray = load_gray ("messi5.gray.png");
  bm_detector_params_init (&dp);
  dp.cancellable = cancellable;
  g_cancellable_cancel (cancellable);
  g_assert_null (bm_detector_detect (cascade, gray, &dp));
}

/* ---- boxmark-cli detect ---- */

static char *
cli_path (void)
{
  const char *build = g_getenv ("BM_BUILD_ROOT");
  char *path = build != NULL ? g_build_filename (build, "app", "boxmark-cli", NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

static int
run_cli (const char *const *args, char **out, char **err)
{
  g_autofree char *cli = cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "detect");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli_json (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  g_autofree char *image = testdata_path ("detect", "two_people.gray.png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cli = cli_path ();
  const char *args[] = { "--json", "--cascade", "face-lbp", "--min-neighbors", "5", "--threads", "2", image, NULL };

  if (cli == NULL || g_getenv ("BM_OPENCV_DATA") == NULL)
    {
      g_test_skip ("boxmark-cli or opencv-data not available");
      return;
    }
  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  /* reference.json: lbpcascade_frontalface_improved, minNeighbors 5 on two_people. */
  g_assert_nonnull (strstr (out, "\"width\":1126,\"height\":661,\"detections\":["));
  g_assert_nonnull (strstr (out, "{\"x\":265,\"y\":71,\"w\":116,\"h\":116,\"neighbors\":"));
  g_assert_nonnull (strstr (out, "{\"x\":817,\"y\":103,\"w\":122,\"h\":122,\"neighbors\":"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);   /* one line per image */
  g_assert_true (g_str_has_suffix (out, "]}\n"));
}

static void
test_cli_errors (void)
{
  if (!bm_test_have_data ("detect/messi5.gray.png"))
    return;
  g_autofree char *image = testdata_path ("detect", "messi5.gray.png", NULL);
  g_autofree char *cli = cli_path ();
  g_autofree char *out1 = NULL, *err1 = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL, *err3 = NULL;
  const char *unknown[] = { "--cascade", "no-such-cascade", image, NULL };
  const char *missing[] = { "--cascade", "/nonexistent/cascade.xml", image, NULL };
  const char *bad_scale[] = { "--scale-factor", "1", image, NULL };

  if (cli == NULL)
    {
      g_test_skip ("boxmark-cli not built");
      return;
    }
  g_assert_cmpint (run_cli (unknown, &out1, &err1), ==, 2);
  g_assert_nonnull (strstr (err1, "no-such-cascade"));
  g_assert_cmpint (run_cli (missing, &out2, &err2), ==, 3);
  g_assert_nonnull (strstr (err2, "/nonexistent/cascade.xml: "));
  g_assert_nonnull (strstr (err2, "opencv-data"));
  g_assert_cmpint (run_cli (bad_scale, &out3, &err3), ==, 2);
}

static int stats_pre_annotations (const char *dir);

static guint
count_occurrences (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_cli_write (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bm-detect-XXXXXX", &error);
  g_autofree char *source = testdata_path ("detect", "two_people.gray.png", NULL);
  g_autofree char *image = g_build_filename (dir, "people.png", NULL);
  g_autofree char *label = g_build_filename (dir, "people.xml", NULL);
  g_autofree char *cli = cli_path ();
  g_autofree char *contents = NULL;
  g_autofree char *again = NULL;
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  const char *args[] = { "--write", "--cascade", "face-lbp", "--label", "person face", "--min-neighbors", "5", dir, NULL };
  gsize length = 0;

  g_assert_no_error (error);
  if (cli == NULL || g_getenv ("BM_OPENCV_DATA") == NULL)
    {
      g_test_skip ("boxmark-cli or opencv-data not available");
      g_rmdir (dir);
      return;
    }
  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (image, contents, (gssize) length, &error);
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_file_get_contents (label, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "<name>person face</name>"));
  g_assert_nonnull (strstr (contents, "<xmin>265</xmin>"));
  g_assert_nonnull (strstr (contents, "<xmin>817</xmin>"));
  g_assert_nonnull (strstr (err, "2 added"));
  /* marked as pre-annotations, and counted so, until a person accepts them */
  g_assert_cmpuint (count_occurrences (contents, "<pre_annotation>1</pre_annotation>"), ==, 2);
  g_assert_cmpint (stats_pre_annotations (dir), ==, 2);

  /* A second run finds the same boxes and adds nothing (IoU 1 with the existing objects). */
  g_assert_cmpint (run_cli (args, &out2, &err2), ==, 0);
  g_assert_nonnull (strstr (err2, "0 added"));
  g_file_get_contents (label, &again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, contents);

  g_unlink (label);
  g_unlink (image);
  g_rmdir (dir);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

/* boxmark-cli stats --json on @dir: the value of "pre_annotations". */
static int
stats_pre_annotations (const char *dir)
{
  g_autofree char *cli = cli_path ();
  const char *argv[] = { cli, "stats", "--json", dir, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *field;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  field = strstr (out, "\"pre_annotated_images\": 1, ");
  g_assert_nonnull (field);
  field = strstr (out, "\"pre_annotations\": ");
  g_assert_nonnull (field);
  return atoi (field + strlen ("\"pre_annotations\": "));
}

/* detect --write into a DOTA and a YOLO dataset: the detections are written in the dataset's
 * own format, marked as pre-annotations with their scores (DOTA: an 11th token, YOLO: a
 * confidence column), and stats counts them; a second run adds nothing. */
static void
test_cli_write_dota_yolo (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  static const char *const layouts[] = { "labelTxt", "labels" };
  g_autofree char *source = testdata_path ("detect", "two_people.gray.png", NULL);
  g_autofree char *cli = cli_path ();

  if (cli == NULL || g_getenv ("BM_OPENCV_DATA") == NULL)
    {
      g_test_skip ("boxmark-cli or opencv-data not available");
      return;
    }
  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("bm-detect-XXXXXX", &error);
      g_autofree char *images = g_build_filename (dir, "images", NULL);
      g_autofree char *labels = g_build_filename (dir, layouts[l], NULL);
      g_autofree char *image = g_build_filename (images, "people.png", NULL);
      g_autofree char *label = g_build_filename (labels, "people.txt", NULL);
      g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
      g_autofree char *contents = NULL, *again = NULL;
      const char *args[] = { "--write", "--cascade", "face-lbp", "--label", "face", "--min-neighbors", "5", dir, NULL };
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
      copy_file (source, image);
      if (l == 0)
        g_assert_true (g_file_set_contents (label, "imagesource:GoogleEarth\ngsd:null\n", -1, NULL));
      else
        {
          g_autofree char *classes = g_build_filename (dir, "classes.txt", NULL);
          g_assert_true (g_file_set_contents (classes, "face\n", -1, NULL));
        }

      g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
      g_assert_nonnull (strstr (err, "2 added"));
      g_file_get_contents (label, &contents, NULL, &error);
      g_assert_no_error (error);
      lines = g_strsplit (contents, "\n", -1);
      if (l == 0)
        {
          /* header kept; "x1 y1 … y4 face 0 NEIGHBOURS" */
          g_assert_cmpstr (lines[0], ==, "imagesource:GoogleEarth");
          g_assert_true (g_str_has_prefix (lines[2], "265 71 381 71 381 187 265 187 face 0 "));
          g_assert_cmpint (atoi (strrchr (lines[2], ' ') + 1), >=, 5);
          {
            g_auto(GStrv) tokens = g_strsplit (lines[3], " ", -1);
            g_assert_cmpuint (g_strv_length (tokens), ==, 11);
          }
        }
      else
        {
          /* "0 cx cy w h NEIGHBOURS" */
          g_auto(GStrv) row = g_strsplit (lines[0], " ", -1);

          g_assert_cmpuint (g_strv_length (row), ==, 6);
          g_assert_cmpstr (row[0], ==, "0");
          g_assert_cmpint (atoi (row[5]), >=, 5);
        }
      g_assert_cmpint (stats_pre_annotations (dir), ==, 2);

      g_assert_cmpint (run_cli (args, &out2, &err2), ==, 0);
      g_assert_nonnull (strstr (err2, "0 added"));
      g_file_get_contents (label, &again, NULL, &error);
      g_assert_cmpstr (again, ==, contents);
      bm_test_remove_tree (dir);
    }
}

/* detect --write on one image of a VOC dataset writes into the dataset's annotations/, never a
 * stray file beside the image. */
static void
test_cli_write_single_image_in_dataset (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bm-detect-XXXXXX", &error);
  g_autofree char *source = testdata_path ("detect", "two_people.gray.png", NULL);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *annotations = g_build_filename (dir, "annotations", NULL);
  g_autofree char *image = g_build_filename (images, "people.png", NULL);
  g_autofree char *stray = g_build_filename (images, "people.xml", NULL);
  g_autofree char *label = g_build_filename (annotations, "people.xml", NULL);
  g_autofree char *cli = cli_path ();
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "--write", "--cascade", "face-lbp", "--min-neighbors", "5", image, NULL };

  if (cli == NULL || g_getenv ("BM_OPENCV_DATA") == NULL)
    {
      g_test_skip ("boxmark-cli or opencv-data not available");
      bm_test_remove_tree (dir);
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (annotations, 0755), ==, 0);
  copy_file (source, image);
  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (err, "2 added"));
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (label, G_FILE_TEST_IS_REGULAR));
  bm_test_remove_tree (dir);
}

/* ---- the loader ---- */

static void
test_load_debian_cascades (void)
{
  static const struct { const char *file; BmCascadeType type; int w, h, stages; gboolean stumps, tilted; } expected[] = {
    { "haarcascade_frontalface_default.xml", BM_CASCADE_HAAR, 24, 24, 25, TRUE, FALSE },
    { "haarcascade_frontalface_alt2.xml", BM_CASCADE_HAAR, 20, 20, 20, FALSE, FALSE },
    { "haarcascade_frontalface_alt_tree.xml", BM_CASCADE_HAAR, 20, 20, 47, TRUE, FALSE },
    { "haarcascade_eye_tree_eyeglasses.xml", BM_CASCADE_HAAR, 20, 20, 30, FALSE, TRUE },
    { "haarcascade_fullbody.xml", BM_CASCADE_HAAR, 14, 28, 30, TRUE, TRUE },
    { "haarcascade_licence_plate_rus_16stages.xml", BM_CASCADE_HAAR, 64, 16, 16, TRUE, FALSE },
    { "lbpcascade_frontalface_improved.xml", BM_CASCADE_LBP, 45, 45, 19, FALSE, FALSE },
    { "lbpcascade_silverware.xml", BM_CASCADE_LBP, 12, 80, 16, FALSE, FALSE },
  };
  g_autoptr(GDir) dir = NULL;
  int n_loaded = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(BmCascade) c = load_cascade_or_skip (expected[i].file);

      if (c == NULL)
        return;
      g_assert_cmpint (c->type, ==, expected[i].type);
      g_assert_cmpint (c->width, ==, expected[i].w);
      g_assert_cmpint (c->height, ==, expected[i].h);
      g_assert_cmpint (c->n_stages, ==, expected[i].stages);
      g_assert_cmpint (c->has_tilted, ==, expected[i].tilted);
      if (expected[i].type == BM_CASCADE_HAAR)
        g_assert_cmpint (c->all_stumps, ==, expected[i].stumps);
    }

  /* Every file Debian ships loads. */
  for (int k = 0; k < 2; k++)
    {
      g_autofree char *path = g_build_filename (opencv_data_dir (), k == 0 ? "haarcascades" : "lbpcascades", NULL);
      const char *name;

      g_clear_pointer (&dir, g_dir_close);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(BmCascade) c = NULL;

          if (!g_str_has_suffix (name, ".xml"))
            continue;
          c = bm_cascade_load (file, &error);
          g_assert_no_error (error);
          g_assert_cmpint (c->n_stages, >, 0);
          n_loaded++;
        }
    }
  g_assert_cmpint (n_loaded, ==, 22);
}

static void
test_old_format_tree (void)
{
  /* A two-node old-format tree: left child is node 1, right a leaf; node 1 has two leaves. */
  const char *xml =
    "<opencv_storage><c type_id=\"opencv-haar-classifier\"><size>4 4</size><stages><_><trees><_>"
    "<_><feature><rects><_>0 0 4 4 -1.</_><_>0 0 2 4 2.</_><_>0 0 1 1 1e-9</_></rects><tilted>0</tilted></feature>"
    "<threshold>0.5</threshold><left_node>1</left_node><right_val>3.</right_val></_>"
    "<_><feature><rects><_>0 0 4 2 -1.</_><_>0 0 4 1 2.</_></rects><tilted>0</tilted></feature>"
    "<threshold>-0.25</threshold><left_val>1.</left_val><right_val>2.</right_val></_>"
    "</_></trees><stage_threshold>1.5</stage_threshold><parent>-1</parent><next>-1</next></_></stages></c></opencv_storage>";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) c = bm_cascade_load_from_memory (xml, strlen (xml), "tree.xml", &error);

  g_assert_no_error (error);
  g_assert_cmpint (c->n_trees, ==, 1);
  g_assert_cmpint (c->n_nodes, ==, 2);
  g_assert_cmpint (c->n_leaves, ==, 3);
  g_assert_cmpint (c->nodes[0].left, ==, 1);
  g_assert_cmpint (c->nodes[0].right, ==, 0);   /* leaf 0 = 3. */
  g_assert_cmpint (c->nodes[1].left, ==, -1);
  g_assert_cmpint (c->nodes[1].right, ==, -2);
  g_assert_cmpfloat (c->leaves[0], ==, 3.f);
  g_assert_cmpfloat (c->leaves[2], ==, 2.f);
  g_assert_cmpfloat (c->haar_features[0].rect[2].weight, ==, 0.f);   /* tiny third rect dropped */
  g_assert_cmpfloat (c->stages[0].threshold, ==, 1.5f - 1e-5f);
  g_assert_false (c->all_stumps);
}

#define NEW_HEAD "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType>" \
                 "<height>4</height><width>4</width><featureParams><maxCatCount>0</maxCatCount></featureParams>"
#define STAGE(thr, nodes, leaves) "<stages><_><stageThreshold>" thr "</stageThreshold><weakClassifiers><_>" \
                 "<internalNodes>" nodes "</internalNodes><leafValues>" leaves "</leafValues></_></weakClassifiers></_></stages>"
#define FEATURE(rects) "<features><_><rects>" rects "</rects></_></features>"
#define GOOD_RECTS "<_>0 0 4 4 -1.</_><_>0 0 2 4 2.</_>"
#define TAIL "</cascade></opencv_storage>"

static void
test_valid_minimal (void)
{
  const char *xml = NEW_HEAD "<stageNum>1</stageNum>" STAGE ("-0.5", "0 -1 0 1.25e+00", "-1. 1.") FEATURE (GOOD_RECTS) TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) c = bm_cascade_load_from_memory (xml, strlen (xml), "ok.xml", &error);

  g_assert_no_error (error);
  g_assert_true (c->all_stumps);
  g_assert_cmpfloat (c->nodes[0].threshold, ==, 1.25f);
}

static void
test_locale_independent (void)
{
  const char *xml = NEW_HEAD STAGE ("-0.5", "0 -1 0 1.25", "-1.5 1.") FEATURE (GOOD_RECTS) TAIL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) c = NULL;
  char *old = g_strdup (setlocale (LC_NUMERIC, NULL));

  /* Any comma-decimal locale that happens to be installed. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL && setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_free (old);
      g_test_skip ("no comma-decimal locale installed");
      return;
    }
  c = bm_cascade_load_from_memory (xml, strlen (xml), "ok.xml", &error);
  setlocale (LC_NUMERIC, old);
  g_free (old);
  g_assert_no_error (error);
  g_assert_cmpfloat (c->nodes[0].threshold, ==, 1.25f);
  g_assert_cmpfloat (c->leaves[0], ==, -1.5f);
}

static void
test_malformed (void)
{
  static const struct { const char *name; const char *xml; } cases[] = {
    { "empty", "" },
    { "not xml", "hello" },
    { "truncated", NEW_HEAD "<stages><_><stageThreshold>1" },
    { "no cascade", "<opencv_storage></opencv_storage>" },
    { "unknown root child", "<opencv_storage><x/></opencv_storage>" },
    { "stage type", "<opencv_storage><cascade><stageType>GENTLE</stageType></cascade></opencv_storage>" },
    { "HOG", "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HOG</featureType></cascade></opencv_storage>" },
    { "no width", "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType><height>4</height></cascade></opencv_storage>" },
    { "zero width", "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType><height>4</height><width>0</width></cascade></opencv_storage>" },
    { "no stages", NEW_HEAD FEATURE (GOOD_RECTS) TAIL },
    { "stage count", NEW_HEAD "<stageNum>2</stageNum>" STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "weak count", NEW_HEAD "<stages><_><maxWeakCount>3</maxWeakCount><stageThreshold>0.5</stageThreshold><weakClassifiers><_>"
                    "<internalNodes>0 -1 0 1.</internalNodes><leafValues>-1. 1.</leafValues></_></weakClassifiers></_></stages>"
                    FEATURE (GOOD_RECTS) TAIL },
    { "empty stages", NEW_HEAD "<stages></stages>" FEATURE (GOOD_RECTS) TAIL },
    { "nan stage threshold", NEW_HEAD STAGE ("nan", "0 -1 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "inf leaf", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. inf") FEATURE (GOOD_RECTS) TAIL },
    { "nan node threshold", NEW_HEAD STAGE ("0.5", "0 -1 0 NaN", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "float overflow", NEW_HEAD STAGE ("1e300", "0 -1 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "node count", NEW_HEAD STAGE ("0.5", "0 -1 0 1. 7", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "no nodes", NEW_HEAD STAGE ("0.5", "", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "no leaves", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "") FEATURE (GOOD_RECTS) TAIL },
    { "feature index", NEW_HEAD STAGE ("0.5", "0 -1 1 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "negative feature", NEW_HEAD STAGE ("0.5", "0 -1 -1 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "leaf index", NEW_HEAD STAGE ("0.5", "0 -2 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "node loop", NEW_HEAD STAGE ("0.5", "0 1 0 1. 1 0 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "node self", NEW_HEAD STAGE ("0.5", "1 0 0 1. 1 -1 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "node past end", NEW_HEAD STAGE ("0.5", "0 5 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "fractional index", NEW_HEAD STAGE ("0.5", "0 -1 0.5 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "text in numbers", NEW_HEAD STAGE ("0.5", "0 -1 zero 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "rect outside", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("<_>0 0 5 4 -1.</_>") TAIL },
    { "rect negative", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("<_>-1 0 2 2 -1.</_>") TAIL },
    { "rect huge", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("<_>2147483647 0 2147483647 2 -1.</_>") TAIL },
    { "rect short", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("<_>0 0 2 -1.</_>") TAIL },
    { "rect nan weight", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("<_>0 0 2 2 nan</_>") TAIL },
    { "four rects", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("<_>0 0 1 1 1.</_><_>0 0 1 1 1.</_><_>0 0 1 1 1.</_><_>0 0 1 1 1.</_>") TAIL },
    { "no rects", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") FEATURE ("") TAIL },
    { "tilted outside", NEW_HEAD STAGE ("0.5", "0 -1 0 1.", "-1. 1.") "<features><_><rects><_>0 0 2 2 -1.</_></rects><tilted>1</tilted></_></features>" TAIL },
    { "entity", "<!DOCTYPE x [<!ENTITY e \"1\">]>" NEW_HEAD STAGE ("&e;", "0 -1 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "external entity", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" NEW_HEAD STAGE ("&e;", "0 -1 0 1.", "-1. 1.") FEATURE (GOOD_RECTS) TAIL },
    { "lbp maxcat", "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>LBP</featureType><height>6</height><width>6</width>"
                    "<featureParams><maxCatCount>0</maxCatCount></featureParams></cascade></opencv_storage>" },
    { "lbp outside", "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>LBP</featureType><height>6</height><width>6</width>"
                     "<featureParams><maxCatCount>256</maxCatCount></featureParams>"
                     "<stages><_><stageThreshold>0</stageThreshold><weakClassifiers><_><internalNodes>0 -1 0 1 2 3 4 5 6 7 8</internalNodes>"
                     "<leafValues>1. -1.</leafValues></_></weakClassifiers></_></stages>"
                     "<features><_><rect>1 0 2 2</rect></_></features></cascade></opencv_storage>" },
    { "lbp subset range", "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>LBP</featureType><height>6</height><width>6</width>"
                          "<featureParams><maxCatCount>256</maxCatCount></featureParams>"
                          "<stages><_><stageThreshold>0</stageThreshold><weakClassifiers><_><internalNodes>0 -1 0 1 2 3 4 5 6 7 99999999999</internalNodes>"
                          "<leafValues>1. -1.</leafValues></_></weakClassifiers></_></stages>"
                          "<features><_><rect>0 0 2 2</rect></_></features></cascade></opencv_storage>" },
    { "old no leaf", "<opencv_storage><c><size>4 4</size><stages><_><trees><_><_><feature><rects><_>0 0 4 4 -1.</_></rects></feature>"
                     "<threshold>0.5</threshold><left_val>1.</left_val></_></_></trees><stage_threshold>1</stage_threshold></_></stages></c></opencv_storage>" },
    { "old backward node", "<opencv_storage><c><size>4 4</size><stages><_><trees><_><_><feature><rects><_>0 0 4 4 -1.</_></rects></feature>"
                           "<threshold>0.5</threshold><left_val>1.</left_val><right_node>0</right_node></_></_></trees><stage_threshold>1</stage_threshold></_></stages></c></opencv_storage>" },
    { "old bad size", "<opencv_storage><c><size>4</size><stages/></c></opencv_storage>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmCascade) c = bm_cascade_load_from_memory (cases[i].xml, strlen (cases[i].xml), "bad.xml", &error);

      g_test_message ("%s: %s", cases[i].name, error != NULL ? error->message : "(no error)");
      g_assert_null (c);
      g_assert_error (error, BM_ERROR, error->code);
      g_assert_true (g_str_has_prefix (error->message, "bad.xml:"));
    }
}

static void
test_truncated_real_file (void)
{
  g_autofree char *path = cascade_path ("haarcascade_frontalface_alt2.xml");
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    {
      g_test_skip ("opencv-data is not installed");
      return;
    }
  for (gsize cut = 0; cut < length; cut += length / 97 + 1)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmCascade) c = bm_cascade_load_from_memory (contents, cut, "cut.xml", &error);

      g_assert_null (c);
      g_assert_nonnull (error);
    }
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) c = bm_cascade_load ("/nonexistent/cascade.xml", &error);

  g_assert_null (c);
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cascade/load-debian", test_load_debian_cascades);
  g_test_add_func ("/cascade/old-format-tree", test_old_format_tree);
  g_test_add_func ("/cascade/valid-minimal", test_valid_minimal);
  g_test_add_func ("/cascade/locale-independent", test_locale_independent);
  g_test_add_func ("/cascade/malformed", test_malformed);
  g_test_add_func ("/cascade/truncated-real-file", test_truncated_real_file);
  g_test_add_func ("/cascade/missing-file", test_missing_file);
  g_test_add_func ("/detector/colour-to-gray", test_colour_to_gray);
  g_test_add_func ("/detector/reference", test_reference);
  g_test_add_func ("/detector/threads-deterministic", test_threads_deterministic);
  g_test_add_func ("/detector/colour-image", test_colour_image_same_as_gray);
  g_test_add_func ("/detector/small-images", test_small_and_empty_images);
  g_test_add_func ("/detector/scalar-matches-simd", test_scalar_matches_simd);
  g_test_add_func ("/detector/cancelled", test_cancelled);
  g_test_add_func ("/cli/detect-json", test_cli_json);
  g_test_add_func ("/cli/detect-errors", test_cli_errors);
  g_test_add_func ("/cli/detect-write", test_cli_write);
  g_test_add_func ("/cli/detect-write-dota-yolo", test_cli_write_dota_yolo);
  g_test_add_func ("/cli/detect-write-single-image", test_cli_write_single_image_in_dataset);

  return g_test_run ();
}
