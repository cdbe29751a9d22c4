/* test-cli-augment.c: boxmark-cli augment on a temporary copy of a few raccoon images.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "core/bm-augment.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-dota.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo.h"
#include "formats/bm-yolo-check.h"
#include "tests/bm-test-util.h"

static const char *const stems[] = { "raccoon-39", "raccoon-131", "raccoon-150", "raccoon-151" };
#define N_STEMS G_N_ELEMENTS (stems)

static const char *const geometric_ops = "rotate:deg=-15..15;expand:ratio=1..3;mixup:alpha=1.5";

static char *tmp_root;
static char *src_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_root, name, NULL);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &data, &length, NULL));
  g_assert_true (g_file_set_contents (to, data, (gssize) length, NULL));
}

/* The fixture: a flat folder with four raccoon images and their labelImg XML. */
static void
make_source (void)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  src_dir = tmp_path ("src");
  g_assert_cmpint (g_mkdir_with_parents (src_dir, 0755), ==, 0);
  for (guint i = 0; i < N_STEMS; i++)
    {
      g_autofree char *jpg = g_strconcat (stems[i], ".jpg", NULL);
      g_autofree char *xml = g_strconcat (stems[i], ".xml", NULL);
      g_autofree char *image_from = g_build_filename (root, "voc", "raccoon_labelimg", "images", jpg, NULL);
      g_autofree char *xml_from = g_build_filename (root, "voc", "raccoon_labelimg", "annotations", xml, NULL);
      g_autofree char *image_to = g_build_filename (src_dir, jpg, NULL);
      g_autofree char *xml_to = g_build_filename (src_dir, xml, NULL);

      copy_file (image_from, image_to);
      copy_file (xml_from, xml_to);
    }
}

/* Runs boxmark-cli with @args (NULL-terminated); returns the exit status. */
static int
run_cli (char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  const char *arg;
  int status;
  va_list args;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "augment");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s", stdout_text);
  g_test_message ("stderr: %s", stderr_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
read_text (const char *path)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

static GBytes *
read_bytes (const char *path)
{
  char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return g_bytes_new_take (data, length);
}

/* TRUE when the two trees hold the same files with the same bytes (@skip: a file left out). */
static gboolean
trees_equal (const char *a, const char *b, const char *skip)
{
  g_autoptr(GPtrArray) fa = bm_test_list_files (a);
  g_autoptr(GPtrArray) fb = bm_test_list_files (b);

  g_assert_cmpuint (fa->len, ==, fb->len);
  for (guint i = 0; i < fa->len; i++)
    {
      g_autofree char *pa = g_build_filename (a, fa->pdata[i], NULL);
      g_autofree char *pb = g_build_filename (b, fb->pdata[i], NULL);
      g_autoptr(GBytes) ba = NULL;
      g_autoptr(GBytes) bb = NULL;

      g_assert_cmpstr (fa->pdata[i], ==, fb->pdata[i]);
      if (skip != NULL && strcmp (fa->pdata[i], skip) == 0)
        continue;
      ba = read_bytes (pa);
      bb = read_bytes (pb);
      if (!g_bytes_equal (ba, bb))
        return FALSE;
    }
  return TRUE;
}

static void
test_writes_expected_files (void)
{
  g_autofree char *out = tmp_path ("files");
  g_autoptr(GPtrArray) files = NULL;

  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "1", "--profile", "paddle",
                            "--to", "voc", "--out", out, src_dir, NULL), ==, 0);

  files = bm_test_list_files (out);
  g_assert_cmpuint (files->len, ==, N_STEMS * 2 * 3);
  for (guint i = 0; i < N_STEMS; i++)
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *name = g_strdup_printf ("%s_aug%u", stems[i], k);
        g_autofree char *jpg = g_strconcat (name, ".jpg", NULL);
        g_autofree char *xml = g_strconcat (name, ".xml", NULL);
        g_autofree char *txt = g_strconcat (name, ".augment.txt", NULL);
        g_autofree char *image = g_build_filename (out, "JPEGImages", jpg, NULL);
        g_autofree char *label = g_build_filename (out, "Annotations", xml, NULL);
        g_autofree char *sidecar = g_build_filename (out, "augment", txt, NULL);
        g_autofree char *sidecar_text = NULL;
        g_autoptr(BmAnnotation) annotation = NULL;
        g_autoptr(GError) error = NULL;
        /* raccoon-150 is the only gray image: no partner to mix with */
        gboolean mixed = strcmp (stems[i], "raccoon-150") != 0;
        int w, h, c;

        g_assert_true (bm_image_read_info (image, &w, &h, &c, &error));
        g_assert_no_error (error);
        annotation = bm_voc_load (label, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (bm_annotation_get_problems (annotation)->len, ==, 0);
        /* the expanded canvas is recorded; Paddle's mixup keeps both images' boxes */
        g_assert_cmpint (bm_annotation_get_width (annotation), ==, w);
        g_assert_cmpint (bm_annotation_get_height (annotation), ==, h);
        g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, mixed ? 2 : 1);
        for (guint o = 0; o < bm_annotation_get_n_objects (annotation); o++)
          g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (annotation, o)), ==, "raccoon");
        sidecar_text = read_text (sidecar);
        g_assert_true (g_str_has_prefix (sidecar_text, "# boxmark-cli augment"));
        g_assert_nonnull (strstr (sidecar_text, "\nprofile paddle\n"));
        g_assert_nonnull (strstr (sidecar_text, "\nrotate degrees="));
        g_assert_true ((strstr (sidecar_text, "\nmixup lambda=") != NULL) == mixed);
      }
}

static void
test_same_seed_same_bytes (void)
{
  g_autofree char *a = tmp_path ("seed-a");
  g_autofree char *b = tmp_path ("seed-b");
  g_autofree char *c = tmp_path ("seed-c");
  g_autofree char *snapshot = tmp_path ("seed-a-snapshot");
  g_autofree char *label_a = NULL, *label_c = NULL;

  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "1", "--to", "yolo",
                            "--out", a, src_dir, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "1", "--to", "yolo",
                            "--out", b, src_dir, NULL), ==, 0);
  /* data.yaml names its own folder; everything else is the same bytes */
  g_assert_true (trees_equal (a, b, "data.yaml"));

  /* again into the same folder (replacing the files): identical, data.yaml included */
  g_assert_cmpint (g_rename (a, snapshot), ==, 0);
  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "1", "--to", "yolo",
                            "--out", a, src_dir, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "1", "--to", "yolo",
                            "--force", "--out", a, src_dir, NULL), ==, 0);
  g_assert_true (trees_equal (a, snapshot, NULL));

  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "2", "--to", "yolo",
                            "--out", c, src_dir, NULL), ==, 0);
  g_assert_false (trees_equal (a, c, "data.yaml"));
  {
    g_autofree char *pa = g_build_filename (a, "labels", "raccoon-39_aug0.txt", NULL);
    g_autofree char *pc = g_build_filename (c, "labels", "raccoon-39_aug0.txt", NULL);
    g_autofree char *ia = g_build_filename (a, "images", "raccoon-39_aug0.jpg", NULL);
    g_autofree char *ic = g_build_filename (c, "images", "raccoon-39_aug0.jpg", NULL);
    g_autoptr(GBytes) ba = read_bytes (ia);
    g_autoptr(GBytes) bc = read_bytes (ic);

    label_a = read_text (pa);
    label_c = read_text (pc);
    g_assert_cmpstr (label_a, !=, label_c);
    g_assert_false (g_bytes_equal (ba, bc));
  }
}

static void
test_yolo_passes_strict_check (void)
{
  g_autofree char *out = tmp_path ("strict");
  g_autofree char *classes_path = g_build_filename (out, "classes.txt", NULL);
  g_autofree char *classes = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  g_assert_cmpint (run_cli (NULL, "--ops", "mosaic:size=320;rotate:deg=-30..30;crop;hflip:p=0.5;cutout;mixup",
                            "--n", "3", "--seed", "5", "--to", "yolo", "--out", out, src_dir, NULL), ==, 0);
  g_assert_true (bm_yolo_check_dataset (out, NULL, problems, &n_files, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *text = bm_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", text);
    }
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (n_files, ==, N_STEMS * 3);
  classes = read_text (classes_path);
  g_assert_cmpstr (classes, ==, "raccoon\n");
}

/* The value after "# KEY: " in a sidecar, or NULL. */
static char *
sidecar_value (const char *text, const char *key)
{
  g_autofree char *needle = g_strdup_printf ("# %s: ", key);
  const char *start = strstr (text, needle);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (needle);
  end = strchr (start, '\n');
  return g_strndup (start, end ? (gsize) (end - start) : strlen (start));
}

static BmAugmentSample *
sample_from (const char *image_path, const char *label_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmImage) image = bm_image_load (image_path, &error);
  g_autoptr(BmAnnotation) annotation = NULL;

  g_assert_no_error (error);
  annotation = bm_voc_load (label_path, &error);
  g_assert_no_error (error);
  return bm_augment_sample_new (image, annotation, NULL);
}

static void
check_replay (const char *profile, const char *ops)
{
  g_autofree char *dir_name = g_strconcat ("replay-", profile, NULL);
  g_autofree char *out = tmp_path (dir_name);
  g_autofree char *classes_path = g_build_filename (out, "classes.txt", NULL);
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_checked = 0, n_with_partner = 0;

  g_assert_cmpint (run_cli (NULL, "--ops", ops, "--n", "2", "--seed", "11", "--profile", profile, "--to", "yolo",
                            "--format", "png", "--out", out, src_dir, NULL), ==, 0);
  classes = bm_class_list_load (classes_path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_STEMS; i++)
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *name = g_strdup_printf ("%s_aug%u", stems[i], k);
        g_autofree char *sidecar_name = g_strconcat (name, ".augment.txt", NULL);
        g_autofree char *label_name = g_strconcat (name, ".txt", NULL);
        g_autofree char *image_name = g_strconcat (name, ".png", NULL);
        g_autofree char *sidecar_path = g_build_filename (out, "augment", sidecar_name, NULL);
        g_autofree char *label_path = g_build_filename (out, "labels", label_name, NULL);
        g_autofree char *image_path = g_build_filename (out, "images", image_name, NULL);
        g_autofree char *replayed_image_path = tmp_path (image_name);
        g_autofree char *text = read_text (sidecar_path);
        g_autofree char *source_image = sidecar_value (text, "source");
        g_autofree char *source_labels = sidecar_value (text, "source labels");
        g_autofree char *written = read_text (label_path);
        g_autofree char *rows = NULL;
        g_autoptr(BmAugmentSample) source = NULL;
        g_autoptr(BmAugmentSample) replayed = NULL;
        g_autoptr(BmAnnotation) annotation = NULL;
        g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_augment_sample_free);
        g_autoptr(GBytes) written_image = NULL;
        g_autoptr(GBytes) replayed_image = NULL;
        gsize length;

        g_assert_nonnull (source_image);
        g_assert_nonnull (source_labels);
        source = sample_from (source_image, source_labels);
        for (guint o = 0;; o++)
          {
            g_autofree char *key = g_strdup_printf ("other %u", o);
            g_autofree char *key_labels = g_strdup_printf ("other %u labels", o);
            g_autofree char *other_image = sidecar_value (text, key);
            g_autofree char *other_labels = sidecar_value (text, key_labels);

            if (other_image == NULL)
              break;
            g_assert_nonnull (other_labels);
            g_ptr_array_add (others, sample_from (other_image, other_labels));
          }
        n_with_partner += others->len > 0 ? 1 : 0;

        replayed = bm_augment_replay (source, text, (BmAugmentSample *const *) others->pdata, others->len, &error);
        g_assert_no_error (error);
        annotation = bm_augment_sample_to_annotation (replayed);
        rows = bm_yolo_to_data (annotation, classes, replayed->image->width, replayed->image->height,
                                BM_YOLO_DETECT, FALSE, NULL, NULL, &length, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (rows, ==, written);
        g_assert_cmpuint (strlen (written), >, 0);

        /* the pixels too */
        g_assert_true (bm_image_save (replayed->image, replayed_image_path, 95, &error));
        g_assert_no_error (error);
        written_image = read_bytes (image_path);
        replayed_image = read_bytes (replayed_image_path);
        g_assert_true (g_bytes_equal (written_image, replayed_image));
        g_unlink (replayed_image_path);
        n_checked++;
      }
  g_assert_cmpuint (n_checked, ==, N_STEMS * 2);
  /* raccoon-150 is the only gray image: it has no partner to mix with, the others do */
  g_assert_cmpuint (n_with_partner, ==, (N_STEMS - 1) * 2);
}

static void
test_replay_reproduces_labels (void)
{
  check_replay ("ultralytics", "rotate:deg=-20..20,canvas=enlarge;expand:ratio=1..2;mixup;hflip:p=0.5");
  check_replay ("paddle", "rotate:deg=-20..20;expand:ratio=1.5..3;mixup:alpha=1.5");
  check_replay ("mmdetection", "mosaic:size=256;rotate:deg=-45..45;crop:min-scale=0.5;cutout;mixup");
}

/* Every profile into every format: clean label files that the readers accept. */
static void
test_every_profile_and_format (void)
{
  static const char *const profiles[] = { "ultralytics", "paddle", "albumentations", "mmdetection" };
  static const char *const targets[] = { "voc", "dota", "yolo", "yolo-obb" };
  const char *ops = "mosaic:size=256;rotate:deg=-30..30,canvas=enlarge;crop:min-scale=0.5;scale:range=0.8..1.2;"
                    "cutout:holes=3;hflip:p=0.5;vflip:p=0.5;hsv;brightness;contrast;mixup;letterbox:size=320";

  for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
    for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
      {
        g_autofree char *name = g_strdup_printf ("all-%s-%s", profiles[p], targets[t]);
        g_autofree char *out = tmp_path (name);
        g_autoptr(GPtrArray) files = NULL;
        guint n_labels = 0;

        g_assert_cmpint (run_cli (NULL, "--ops", ops, "--seed", "9", "--profile", profiles[p], "--to", targets[t],
                                  "--out", out, src_dir, NULL), ==, 0);
        files = bm_test_list_files (out);
        for (guint i = 0; i < files->len; i++)
          {
            const char *file = files->pdata[i];
            g_autofree char *path = g_build_filename (out, file, NULL);
            g_autoptr(BmAnnotation) annotation = NULL;
            g_autoptr(GPtrArray) problems = NULL;
            g_autoptr(GError) error = NULL;

            if (g_str_has_prefix (file, "Annotations"))
              annotation = bm_voc_load (path, &error);
            else if (g_str_has_prefix (file, "labelTxt"))
              annotation = bm_dota_load (path, &error);
            else if (g_str_has_prefix (file, "labels"))
              problems = bm_yolo_check_file (path, 1, &error);
            else
              continue;
            g_assert_no_error (error);
            if (annotation != NULL)
              g_assert_cmpuint (bm_annotation_get_problems (annotation)->len, ==, 0);
            if (problems != NULL)
              g_assert_cmpuint (problems->len, ==, 0);
            n_labels++;
          }
        g_assert_cmpuint (n_labels, ==, N_STEMS);
      }
}

/* An image inside a VOC layout (images/ beside annotations/) is found with its labels;
 * the test data is only read. */
static void
test_image_in_voc_layout (void)
{
  g_autofree char *out = tmp_path ("voc-layout");
  g_autofree char *image = g_build_filename (g_getenv ("BM_TESTDATA"), "voc", "raccoon_labelimg", "images",
                                             "raccoon-150.jpg", NULL);
  g_autofree char *label = g_build_filename (out, "Annotations", "raccoon-150_aug0.xml", NULL);
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "voc", "--out", out, image, NULL), ==, 0);
  files = bm_test_list_files (out);
  g_assert_cmpuint (files->len, ==, 3);
  annotation = bm_voc_load (label, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, 1);
  g_assert_cmpint (bm_annotation_get_width (annotation), ==, 275);
}

static void
test_colour_ops_keep_boxes (void)
{
  g_autofree char *out = tmp_path ("colour");

  g_assert_cmpint (run_cli (NULL, "--ops", "hsv;brightness;contrast:factor=0.6..1.4", "--n", "2", "--seed", "3",
                            "--profile", "albumentations", "--to", "voc", "--out", out, src_dir, NULL), ==, 0);
  for (guint i = 0; i < N_STEMS; i++)
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *xml = g_strdup_printf ("%s_aug%u.xml", stems[i], k);
        g_autofree char *src_xml = g_strconcat (stems[i], ".xml", NULL);
        g_autofree char *jpg = g_strdup_printf ("%s_aug%u.jpg", stems[i], k);
        g_autofree char *src_jpg = g_strconcat (stems[i], ".jpg", NULL);
        g_autofree char *path = g_build_filename (out, "Annotations", xml, NULL);
        g_autofree char *src_path = g_build_filename (src_dir, src_xml, NULL);
        g_autofree char *image_path = g_build_filename (out, "JPEGImages", jpg, NULL);
        g_autofree char *src_image_path = g_build_filename (src_dir, src_jpg, NULL);
        g_autoptr(BmAnnotation) written = NULL;
        g_autoptr(BmAnnotation) original = NULL;
        g_autoptr(BmImage) image = NULL;
        g_autoptr(BmImage) src_image = NULL;
        g_autoptr(GError) error = NULL;

        written = bm_voc_load (path, &error);
        g_assert_no_error (error);
        original = bm_voc_load (src_path, &error);
        g_assert_no_error (error);
        g_assert_cmpint (bm_annotation_get_width (written), ==, bm_annotation_get_width (original));
        g_assert_cmpint (bm_annotation_get_height (written), ==, bm_annotation_get_height (original));
        g_assert_cmpuint (bm_annotation_get_n_objects (written), ==, bm_annotation_get_n_objects (original));
        for (guint o = 0; o < bm_annotation_get_n_objects (original); o++)
          {
            BmObject *a = bm_annotation_get_object (written, o);
            BmObject *b = bm_annotation_get_object (original, o);
            const BmShape *sa = bm_object_get_shape (a), *sb = bm_object_get_shape (b);

            g_assert_cmpstr (bm_object_get_label (a), ==, bm_object_get_label (b));
            g_assert_cmpint (sa->kind, ==, sb->kind);
            g_assert_cmpmem (sa->p, sizeof sa->p, sb->p, sizeof sb->p);
          }
        /* the colours did change */
        image = bm_image_load (image_path, &error);
        g_assert_no_error (error);
        src_image = bm_image_load (src_image_path, &error);
        g_assert_no_error (error);
        g_assert_cmpint (image->width, ==, src_image->width);
        g_assert_cmpint (image->height, ==, src_image->height);
        if (src_image->channels != image->channels)
          {
            /* stb writes every JPEG with three components, gray ones too */
            BmImage *converted = bm_image_convert (src_image, image->channels);

            bm_image_unref (src_image);
            src_image = converted;
          }
        g_assert_cmpint (image->stride, ==, src_image->stride);
        g_assert_true (memcmp (image->data, src_image->data, (gsize) image->stride * (gsize) image->height) != 0);
      }
}

static void
test_bad_ops (void)
{
  static const struct { const char *spec; const char *quoted; } cases[] = {
    { "rotat:deg=5", "rotat" },
    { "rotate:dge=5", "dge" },
    { "rotate:deg=abc", "deg=abc" },
    { "rotate:deg=15..-15", "deg=15..-15" },
    { "rotate:deg", "“deg”" },
    { "hflip:p=1.5", "p=1.5" },
    { "expand:ratio=0.5..2", "ratio=0.5..2" },
    { "mixup:alpha=-1", "alpha=-1" },
    { "mixup:source=7", "source=7" },
    { "cutout:holes=2.5", "holes=2.5" },
    { "rotate:deg=1,deg=2", "deg" },
    { "rotate;expand:ratio=1..3;crop:min-scale=x", "min-scale=x" },
    { "", "--ops" },
  };
  g_autofree char *out = tmp_path ("bad-ops");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (&err, "--ops", cases[i].spec, "--to", "voc", "--out", out, src_dir, NULL), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].quoted));
      g_assert_nonnull (strstr (err, "--ops"));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

static void
test_existing_files_are_kept (void)
{
  g_autofree char *out = tmp_path ("existing");
  g_autofree char *image_dir = g_build_filename (out, "JPEGImages", NULL);
  g_autofree char *victim = g_build_filename (image_dir, "raccoon-150_aug0.jpg", NULL);
  g_autofree char *label_dir = g_build_filename (out, "Annotations", NULL);
  g_autofree char *err = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GPtrArray) files = NULL;
  int w, h, c;

  g_assert_cmpint (g_mkdir_with_parents (image_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (victim, "weeks of work", -1, NULL));

  g_assert_cmpint (run_cli (&err, "--ops", "hflip", "--to", "voc", "--out", out, src_dir, NULL), ==, 3);
  g_assert_nonnull (strstr (err, "raccoon-150_aug0.jpg"));
  g_assert_nonnull (strstr (err, "--force"));
  kept = read_text (victim);
  g_assert_cmpstr (kept, ==, "weeks of work");
  files = bm_test_list_files (out);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_false (g_file_test (label_dir, G_FILE_TEST_EXISTS));

  /* --force replaces it */
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "voc", "--force", "--out", out, src_dir, NULL), ==, 0);
  g_assert_true (bm_image_read_info (victim, &w, &h, &c, NULL));
  g_assert_cmpint (w, ==, 275);
  g_assert_cmpint (h, ==, 183);
}

/* --force replaces samples but never a class list that gives earlier labels their meaning. */
static void
test_force_keeps_class_ids (void)
{
  g_autofree char *out = tmp_path ("force-classes");
  g_autofree char *classes = g_build_filename (out, "classes.txt", NULL);
  g_autofree char *label = g_build_filename (out, "labels", "raccoon-39_aug0.txt", NULL);
  g_autofree char *before = NULL, *after = NULL, *kept = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "yolo", "--out", out, src_dir, NULL), ==, 0);
  g_assert_true (g_file_set_contents (classes, "cat\nraccoon\n", -1, NULL));
  before = read_text (label);
  g_assert_cmpint (run_cli (&err, "--ops", "vflip", "--to", "yolo", "--force", "--out", out, src_dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "classes.txt"));
  after = read_text (label);
  kept = read_text (classes);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (kept, ==, "cat\nraccoon\n");
}

static void
test_refuses_source_as_output (void)
{
  g_autofree char *inside = g_build_filename (src_dir, "augmented", NULL);
  g_autoptr(GPtrArray) before = bm_test_list_files (src_dir);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&err, "--ops", "hflip", "--to", "voc", "--out", src_dir, src_dir, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--out"));
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "voc", "--out", inside, src_dir, NULL), ==, 2);
  after = bm_test_list_files (src_dir);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
}

/* boxmark-cli @args… (not augment); returns the exit status, stdout in @out. */
static int
run_other (char **out, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  int status;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s", stdout_text);
  g_test_message ("stderr: %s", stderr_text);
  *out = g_steal_pointer (&stdout_text);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* The "verified" count that boxmark-cli stats --json gives for @dir. */
static guint
stats_verified (const char *dir)
{
  const char *const args[] = { "stats", "--json", dir, NULL };
  g_autofree char *json = NULL;
  const char *key;

  g_assert_cmpint (run_other (&json, args), ==, 0);
  key = strstr (json, "\"verified\": ");
  g_assert_nonnull (key);
  return (guint) g_ascii_strtoull (key + strlen ("\"verified\": "), NULL, 10);
}

/* Samples of verified images are new images nobody has reviewed: nothing marks them verified,
 * not the VOC file, nor a sidecar an earlier run's samples were reviewed in. */
static void
test_samples_are_not_verified (void)
{
  const char *const help_args[] = { "augment", "--help", NULL };
  g_autofree char *voc = tmp_path ("unverified-voc");
  g_autofree char *dota = tmp_path ("unverified-dota");
  g_autofree char *sidecar = g_build_filename (dota, "labelTxt", ".boxmark-verified", NULL);
  g_autofree char *help = NULL;
  g_autoptr(GPtrArray) files = NULL;

  g_assert_cmpuint (stats_verified (src_dir), ==, N_STEMS);
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--n", "2", "--to", "voc", "--out", voc, src_dir, NULL), ==, 0);
  g_assert_cmpuint (stats_verified (voc), ==, 0);
  files = bm_test_list_files (voc);
  for (guint i = 0; i < files->len; i++)
    if (g_str_has_suffix (files->pdata[i], ".xml"))
      {
        g_autofree char *path = g_build_filename (voc, files->pdata[i], NULL);
        g_autofree char *xml = read_text (path);

        g_assert_null (strstr (xml, "verified=\"yes\""));
      }

  /* a sample reviewed after an earlier run does not lend its mark to the one replacing it */
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "dota", "--out", dota, src_dir, NULL), ==, 0);
  g_assert_cmpuint (stats_verified (dota), ==, 0);
  g_assert_true (g_file_set_contents (sidecar, "raccoon-39_aug0.txt\nraccoon-131_aug0.txt\n", -1, NULL));
  g_assert_cmpuint (stats_verified (dota), ==, 2);
  g_assert_cmpint (run_cli (NULL, "--ops", "vflip", "--to", "dota", "--force", "--out", dota, src_dir, NULL), ==, 0);
  g_assert_cmpuint (stats_verified (dota), ==, 0);

  g_assert_cmpint (run_other (&help, help_args), ==, 0);
  g_assert_nonnull (strstr (help, "never marked verified"));
}

/* --out inside SRC is refused however it is spelled: through a symlink to SRC, with SRC named
 * through one, or with an output subfolder that is a link into SRC. */
static void
test_refuses_output_through_symlink (void)
{
  g_autofree char *link = tmp_path ("src-link");
  g_autofree char *through_link = g_build_filename (link, "augx", NULL);
  g_autofree char *inside = g_build_filename (src_dir, "augx", NULL);
  g_autofree char *linked_out = tmp_path ("linked-out");
  g_autofree char *linked_images = g_build_filename (linked_out, "images", NULL);
  g_autoptr(GPtrArray) before = bm_test_list_files (src_dir);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (symlink (src_dir, link), ==, 0);
  g_assert_cmpint (run_cli (&err, "--ops", "hflip", "--to", "voc", "--out", through_link, src_dir, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--out"));
  g_assert_nonnull (strstr (err, "Nothing was written"));
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "yolo", "--out", inside, link, NULL), ==, 2);
  g_assert_cmpint (g_mkdir_with_parents (linked_out, 0755), ==, 0);
  g_assert_cmpint (symlink (src_dir, linked_images), ==, 0);
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "yolo", "--out", linked_out, src_dir, NULL), ==, 2);
  g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "yolo", "--force", "--out", linked_out, src_dir, NULL), ==, 2);

  after = bm_test_list_files (src_dir);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));

  /* --force does not write through an earlier sample that is a link to a source file */
  {
    g_autofree char *out = tmp_path ("linked-file");
    g_autofree char *sample = g_build_filename (out, "Annotations", "raccoon-39_aug0.xml", NULL);
    g_autofree char *source = g_build_filename (src_dir, "raccoon-39.xml", NULL);
    g_autoptr(GBytes) kept = read_bytes (source);
    g_autoptr(GBytes) now = NULL;
    g_autofree char *link_err = NULL;

    g_assert_cmpint (run_cli (NULL, "--ops", "hflip", "--to", "voc", "--out", out, src_dir, NULL), ==, 0);
    g_assert_cmpint (g_unlink (sample), ==, 0);
    g_assert_cmpint (symlink (source, sample), ==, 0);
    g_assert_cmpint (run_cli (&link_err, "--ops", "vflip", "--to", "voc", "--force", "--out", out, src_dir, NULL), ==, 3);
    g_assert_nonnull (strstr (link_err, "raccoon-39_aug0.xml"));
    now = read_bytes (source);
    g_assert_true (g_bytes_equal (kept, now));
  }
}

/* One image gives the same bytes as that image's part of a whole-dataset run. */
static void
test_single_image_matches_dataset_run (void)
{
  g_autofree char *whole = tmp_path ("whole");
  g_autofree char *single = tmp_path ("single");
  g_autofree char *image = g_build_filename (src_dir, "raccoon-131.jpg", NULL);
  g_autoptr(GPtrArray) files = NULL;

  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "4", "--to", "yolo",
                            "--out", whole, src_dir, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, "--ops", geometric_ops, "--n", "2", "--seed", "4", "--to", "yolo",
                            "--out", single, image, NULL), ==, 0);
  files = bm_test_list_files (single);
  g_assert_cmpuint (files->len, ==, 2 + 2 * 3);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *a = g_build_filename (whole, files->pdata[i], NULL);
      g_autofree char *b = g_build_filename (single, files->pdata[i], NULL);
      g_autoptr(GBytes) ba = NULL;
      g_autoptr(GBytes) bb = NULL;

      if (strcmp (files->pdata[i], "data.yaml") == 0)
        continue;
      g_assert_true (g_str_has_prefix (files->pdata[i], "classes.txt") || strstr (files->pdata[i], "raccoon-131_aug") != NULL);
      ba = read_bytes (a);
      bb = read_bytes (b);
      g_assert_true (g_bytes_equal (ba, bb));
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_root = g_dir_make_tmp ("bm-cli-augment-XXXXXX", NULL);
  g_assert_nonnull (tmp_root);
  make_source ();
  g_test_add_func ("/cli-augment/writes-expected-files", test_writes_expected_files);
  g_test_add_func ("/cli-augment/same-seed-same-bytes", test_same_seed_same_bytes);
  g_test_add_func ("/cli-augment/yolo-passes-strict-check", test_yolo_passes_strict_check);
  g_test_add_func ("/cli-augment/replay-reproduces-labels", test_replay_reproduces_labels);
  g_test_add_func ("/cli-augment/every-profile-and-format", test_every_profile_and_format);
  g_test_add_func ("/cli-augment/image-in-voc-layout", test_image_in_voc_layout);
  g_test_add_func ("/cli-augment/colour-ops-keep-boxes", test_colour_ops_keep_boxes);
  g_test_add_func ("/cli-augment/bad-ops", test_bad_ops);
  g_test_add_func ("/cli-augment/existing-files-are-kept", test_existing_files_are_kept);
  g_test_add_func ("/cli-augment/force-keeps-class-ids", test_force_keeps_class_ids);
  g_test_add_func ("/cli-augment/refuses-source-as-output", test_refuses_source_as_output);
  g_test_add_func ("/cli-augment/single-image-matches-dataset-run", test_single_image_matches_dataset_run);
  g_test_add_func ("/cli-augment/samples-are-not-verified", test_samples_are_not_verified);
  g_test_add_func ("/cli-augment/refuses-output-through-symlink", test_refuses_output_through_symlink);
  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  g_free (tmp_root);
  g_free (src_dir);
  return status;
}
