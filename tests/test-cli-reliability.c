/* test-cli-reliability.c: issue 16 as a user meets it — boxmark-cli killed in the middle of
 * writing (detect --write, convert, augment, split, relabel), two writers on one folder, and
 * messages.
 *
 * Kill tests start the command, SIGKILL it at a random moment within the time a whole run takes
 * (measured first, so slow machines are covered as well as fast ones), and check after every
 * kill that each file written is whole (the very bytes a full run writes, or a label that loads
 * without problems) and that nothing already there was lost; then a rerun finishes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo-export.h"
#include "tests/bm-test-util.h"
#include "bm-test-util.h"

#define KILLS 25

static char *
cli_path (void)
{
  return g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
}

static char *
testdata (const char *first, ...)
{
  va_list ap;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;

  g_ptr_array_add (parts, (gpointer) g_getenv ("BM_TESTDATA"));
  va_start (ap, first);
  for (part = first; part != NULL; part = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bm-reliab-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
}

static GPtrArray *
cli_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs boxmark-cli to its end; returns the exit status. */
static int
run_cli (const char *const *args, char **err)
{
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static GPid
start_cli (const char *const *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

/* Kills @pid after @delay_us (unless it ended before). */
static void
kill_after (GPid pid, gint64 delay_us)
{
  int status = 0;

  g_usleep ((gulong) delay_us);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
}

/* How long a whole run of @args takes here, in µs. */
static gint64
time_run (const char *const *args)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (run_cli (args, NULL), ==, 0);
  return MAX (g_get_monotonic_time () - start, 1000);
}

/* What a killed writer may leave: ".NAME.boxmark-tmp" (saves) or ".NAME.XXXXXX" (new files). */
static gboolean
is_temp_name (const char *rel)
{
  g_autofree char *base = g_path_get_basename (rel);
  gsize n = strlen (base);

  if (base[0] != '.' || strcmp (base, ".boxmark-verified") == 0)
    return FALSE;
  return g_str_has_suffix (base, ".boxmark-tmp") || (n > 8 && base[n - 7] == '.');
}

/* Every file below @out that is not a temporary one has the bytes of the same file below
 * @reference: no torn, empty or foreign file. Returns how many there are. */
static guint
assert_files_whole (const char *out, const char *reference)
{
  g_autoptr(GPtrArray) files = bm_test_list_files (out);
  guint n = 0;

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (out, rel, NULL);
      g_autofree char *expected_path = g_build_filename (reference, rel, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *expected = NULL;
      gsize length = 0, expected_length = 0;

      if (is_temp_name (rel))
        continue;
      if (strcmp (rel, "data.yaml") == 0)
        continue;   /* names its own folder */
      g_assert_true (g_file_get_contents (expected_path, &expected, &expected_length, NULL));
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (length != expected_length || memcmp (contents, expected, length) != 0)
        g_error ("%s: %" G_GSIZE_FORMAT " bytes, not the %" G_GSIZE_FORMAT " of a whole run", path, length, expected_length);
      n++;
    }
  return n;
}

/* ---- detect --write ---- */

#define DETECT_IMAGES 4

static const char keep_xml[] =
  "<annotation>\n"
  "\t<filename>%s</filename>\n"
  "\t<object>\n\t\t<name>keep</name>\n"
  "\t\t<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox>\n"
  "\t</object>\n"
  "</annotation>\n";

/* A folder of DETECT_IMAGES copies of a photo with two faces, each with a label holding one
 * hand-made object. */
static char *
make_detect_folder (void)
{
  char *dir = make_temp_dir ();
  g_autofree char *photo = testdata ("detect", "two_people.gray.png", NULL);

  for (int i = 0; i < DETECT_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%d.png", i);
      g_autofree char *image = g_build_filename (dir, name, NULL);
      g_autofree char *label_name = g_strdup_printf ("p%d.xml", i);
      g_autofree char *label = g_build_filename (dir, label_name, NULL);
      g_autofree char *xml = g_strdup_printf (keep_xml, name);

      copy_file (photo, image);
      g_assert_true (g_file_set_contents (label, xml, -1, NULL));
    }
  return dir;
}

/* Objects per label in @dir; each loads without problems and still holds "keep". */
static guint
count_objects (const char *dir, const char *label, guint *with_label)
{
  guint total = 0;

  *with_label = 0;
  for (int i = 0; i < DETECT_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%d.xml", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = bm_voc_load (path, &error);
      gboolean kept = FALSE;

      g_assert_no_error (error);
      g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
      for (guint k = 0; k < bm_annotation_get_n_objects (a); k++)
        {
          const char *name_k = bm_object_get_label (bm_annotation_get_object (a, k));

          kept |= strcmp (name_k, "keep") == 0;
          if (label != NULL && strcmp (name_k, label) == 0)
            (*with_label)++;
        }
      g_assert_true (kept);
      total += bm_annotation_get_n_objects (a);
    }
  return total;
}

static gboolean
have_detector (void)
{
  if (g_getenv ("BM_OPENCV_DATA") == NULL
      || !g_file_test (g_getenv ("BM_OPENCV_DATA"), G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("opencv-data is not installed");
      return FALSE;
    }
  return TRUE;
}

/* Before: 19 of 50 runs of two writers lost detections, both exiting 0. */
static void
test_two_detect_writers (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  if (!have_detector ())
    return;
  for (int round = 0; round < 4; round++)
    {
      g_autofree char *dir = make_detect_folder ();
      const char *a[] = { "detect", "--write", "--cascade", "face-lbp", "--min-neighbors", "5",
                          "--threads", "1", "--label", "alpha", dir, NULL };
      const char *b[] = { "detect", "--write", "--cascade", "face-lbp", "--min-neighbors", "5",
                          "--threads", "1", "--label", "beta", dir, NULL };
      GPid pa = start_cli (a), pb = start_cli (b);
      int sa = 0, sb = 0;
      guint alpha = 0, beta = 0;

      g_assert_cmpint (waitpid (pa, &sa, 0), ==, pa);
      g_assert_cmpint (waitpid (pb, &sb, 0), ==, pb);
      g_spawn_close_pid (pa);
      g_spawn_close_pid (pb);
      g_assert_true (WIFEXITED (sa) && WEXITSTATUS (sa) == 0);
      g_assert_true (WIFEXITED (sb) && WEXITSTATUS (sb) == 0);
      /* Two faces per image, each written by both: 1 + 2 + 2 objects per file. */
      g_assert_cmpuint (count_objects (dir, "alpha", &alpha), ==, DETECT_IMAGES * 5);
      g_assert_cmpuint (alpha, ==, DETECT_IMAGES * 2);
      count_objects (dir, "beta", &beta);
      g_assert_cmpuint (beta, ==, DETECT_IMAGES * 2);
      bm_test_remove_tree (dir);
    }
}

static void
test_kill_detect_write (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  g_autofree char *dir = NULL;
  g_autofree char *timing_dir = NULL;
  g_autoptr(GPtrArray) files = NULL;
  guint before, with_label;
  gint64 full;

  if (!have_detector ())
    return;
  dir = make_detect_folder ();
  timing_dir = make_detect_folder ();
  {
    const char *args[] = { "detect", "--write", "--cascade", "face-lbp", "--min-neighbors", "5",
                           "--threads", "1", timing_dir, NULL };
    full = time_run (args);
  }
  before = count_objects (dir, NULL, &with_label);
  for (int k = 0; k < KILLS; k++)
    {
      g_autofree char *label = g_strdup_printf ("face%d", k);
      const char *args[] = { "detect", "--write", "--cascade", "face-lbp", "--min-neighbors", "5",
                             "--threads", "1", "--label", label, dir, NULL };
      guint now;

      kill_after (start_cli (args), g_test_rand_int_range (0, (gint32) MIN (full, G_MAXINT32)));
      /* Every label loads, keeps its hand-made object, and lost none of what earlier runs added. */
      now = count_objects (dir, NULL, &with_label);
      g_assert_cmpuint (now, >=, before);
      before = now;
    }
  {
    const char *args[] = { "detect", "--write", "--cascade", "face-lbp", "--min-neighbors", "5",
                           "--threads", "1", "--label", "last", dir, NULL };
    g_assert_cmpint (run_cli (args, NULL), ==, 0);
  }
  g_assert_cmpuint (count_objects (dir, "last", &with_label), ==, before + DETECT_IMAGES * 2);
  g_assert_cmpuint (with_label, ==, DETECT_IMAGES * 2);
  /* The rerun wrote every label again: what killed writers left is gone. */
  files = bm_test_list_files (dir);
  for (guint i = 0; i < files->len; i++)
    g_assert_false (is_temp_name (g_ptr_array_index (files, i)));
  bm_test_remove_tree (dir);
  bm_test_remove_tree (timing_dir);
}

/* ---- convert ---- */

static void
test_kill_convert (void)
{
  g_autofree char *source = testdata ("voc", "raccoon_labelimg", NULL);
  g_autofree char *root = make_temp_dir ();
  g_autofree char *reference = g_build_filename (root, "reference", NULL);
  gint64 full;
  guint whole = 0;

  {
    const char *args[] = { "convert", "--to", "yolo", "--copy", "--seed", "3", "--out", reference, source, NULL };
    full = time_run (args);
  }
  for (int k = 0; k < KILLS; k++)
    {
      g_autofree char *name = g_strdup_printf ("out%d", k);
      g_autofree char *out = g_build_filename (root, name, NULL);
      g_autofree char *err = NULL;
      const char *args[] = { "convert", "--to", "yolo", "--copy", "--seed", "3", "--out", out, source, NULL };

      kill_after (start_cli (args), g_test_rand_int_range (0, (gint32) MIN (full, G_MAXINT32)));
      /* Before: 0-byte YOLO labels (a "background image" to a trainer) after some kills. */
      if (g_file_test (out, G_FILE_TEST_IS_DIR))
        whole += assert_files_whole (out, reference);
      /* A rerun into what a killed run left refuses, saying why; into a new folder it finishes. */
      if (g_file_test (out, G_FILE_TEST_IS_DIR) && !bm_export_folder_is_empty_or_missing (out))
        {
          g_assert_cmpint (run_cli (args, &err), !=, 0);
          g_assert_nonnull (strstr (err, "is not empty"));
        }
      bm_test_remove_tree (out);
    }
  {
    g_autofree char *out = g_build_filename (root, "rerun", NULL);
    const char *args[] = { "convert", "--to", "yolo", "--copy", "--seed", "3", "--out", out, source, NULL };

    g_assert_cmpint (run_cli (args, NULL), ==, 0);
    g_assert_cmpuint (assert_files_whole (out, reference), ==, assert_files_whole (reference, reference));
  }
  g_test_message ("%u whole files seen after %d kills", whole, KILLS);
  bm_test_remove_tree (root);
}

/* ---- augment ---- */

static void
test_kill_augment (void)
{
  static const char *const stems[] = { "raccoon-39", "raccoon-131", "raccoon-150", "raccoon-151" };
  g_autofree char *root = make_temp_dir ();
  g_autofree char *source = g_build_filename (root, "source", NULL);
  g_autofree char *reference = g_build_filename (root, "reference", NULL);
  g_autofree char *out = g_build_filename (root, "out", NULL);
  const char *ops = "rotate:deg=-20..20;mixup:alpha=1.5;hflip:p=0.5";
  gint64 full;

  g_assert_cmpint (g_mkdir (source, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (stems); i++)
    {
      g_autofree char *jpg = g_strconcat (stems[i], ".jpg", NULL);
      g_autofree char *xml = g_strconcat (stems[i], ".xml", NULL);
      g_autofree char *image_from = testdata ("voc", "raccoon_labelimg", "images", jpg, NULL);
      g_autofree char *xml_from = testdata ("voc", "raccoon_labelimg", "annotations", xml, NULL);
      g_autofree char *image_to = g_build_filename (source, jpg, NULL);
      g_autofree char *xml_to = g_build_filename (source, xml, NULL);

      copy_file (image_from, image_to);
      copy_file (xml_from, xml_to);
    }
  {
    const char *args[] = { "augment", "--ops", ops, "-n", "3", "--seed", "5", "--to", "yolo",
                           "--out", reference, source, NULL };
    full = time_run (args);
  }
  for (int k = 0; k < KILLS; k++)
    {
      const char *args[] = { "augment", "--ops", ops, "-n", "3", "--seed", "5", "--to", "yolo",
                             "--force", "--out", out, source, NULL };

      kill_after (start_cli (args), g_test_rand_int_range (0, (gint32) MIN (full, G_MAXINT32)));
      if (g_file_test (out, G_FILE_TEST_IS_DIR))
        assert_files_whole (out, reference);
    }
  /* The rerun (--force: the files of the killed runs are its own) finishes with every file. */
  {
    const char *args[] = { "augment", "--ops", ops, "-n", "3", "--seed", "5", "--to", "yolo",
                           "--force", "--out", out, source, NULL };
    g_autoptr(GPtrArray) files = NULL;
    guint temps = 0;

    g_assert_cmpint (run_cli (args, NULL), ==, 0);
    g_assert_cmpuint (assert_files_whole (out, reference), ==, assert_files_whole (reference, reference));
    files = bm_test_list_files (out);
    for (guint i = 0; i < files->len; i++)
      temps += is_temp_name (g_ptr_array_index (files, i));
    g_assert_cmpuint (temps, ==, 0);
  }
  bm_test_remove_tree (root);
}

/* ---- split ---- */

/* Killed while it writes tiles: every tile there is whole (the bytes of a whole run), a rerun
 * into what the killed run left refuses (nothing is overwritten), into a new folder it ends. */
static void
test_kill_split (void)
{
  g_autofree char *source = testdata ("dota", "dota_devkit_yolo_demo", NULL);
  g_autofree char *root = make_temp_dir ();
  g_autofree char *reference = g_build_filename (root, "reference", NULL);
  gint64 full;
  guint whole = 0;

  {
    const char *args[] = { "split", "--size", "512", "--gap", "100", "--threads", "1", "--out", reference, source, NULL };
    full = time_run (args);
  }
  for (int k = 0; k < KILLS; k++)
    {
      g_autofree char *name = g_strdup_printf ("out%d", k);
      g_autofree char *out = g_build_filename (root, name, NULL);
      g_autofree char *err = NULL;
      const char *args[] = { "split", "--size", "512", "--gap", "100", "--threads", "1", "--out", out, source, NULL };

      kill_after (start_cli (args), g_test_rand_int_range (0, (gint32) MIN (full, G_MAXINT32)));
      if (g_file_test (out, G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GPtrArray) files = bm_test_list_files (out);

          whole += assert_files_whole (out, reference);
          if (files->len > 0)
            {
              g_assert_cmpint (run_cli (args, &err), !=, 0);
              g_assert_nonnull (strstr (err, "new or empty"));
            }
        }
      bm_test_remove_tree (out);
    }
  {
    g_autofree char *out = g_build_filename (root, "rerun", NULL);
    const char *args[] = { "split", "--size", "512", "--gap", "100", "--out", out, source, NULL };

    g_assert_cmpint (run_cli (args, NULL), ==, 0);
    g_assert_cmpuint (assert_files_whole (out, reference), ==, assert_files_whole (reference, reference));
  }
  g_test_message ("%u whole tiles seen after %d kills", whole, KILLS);
  bm_test_remove_tree (root);
}

/* ---- relabel ---- */

/* Each label and class file below @dir (images are symlinks, not compared; temporary files of a
 * killed writer skipped) holds the bytes of the same file below @original or below @reference:
 * never a torn or a third version. Says whether all of them are the original / the reference. */
static void
assert_each_file_before_or_after (const char *dir, const char *original, const char *reference,
                                  gboolean *all_original, gboolean *all_reference)
{
  g_autoptr(GPtrArray) files = bm_test_list_files (dir);

  *all_original = *all_reference = TRUE;
  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (dir, rel, NULL);
      g_autofree char *before_path = g_build_filename (original, rel, NULL);
      g_autofree char *after_path = g_build_filename (reference, rel, NULL);
      g_autofree char *now = NULL, *before = NULL, *after = NULL;
      gsize now_length = 0, before_length = 0, after_length = 0;
      gboolean is_before, is_after;

      if (is_temp_name (rel) || g_file_test (path, G_FILE_TEST_IS_SYMLINK)
          || strcmp (rel, ".boxmark-relabel-journal") == 0)
        continue;
      g_assert_true (g_file_get_contents (path, &now, &now_length, NULL));
      g_assert_true (g_file_get_contents (before_path, &before, &before_length, NULL));
      g_assert_true (g_file_get_contents (after_path, &after, &after_length, NULL));
      is_before = now_length == before_length && memcmp (now, before, now_length) == 0;
      is_after = now_length == after_length && memcmp (now, after, now_length) == 0;
      if (!is_before && !is_after)
        g_error ("%s: neither the file before relabel nor the file after it", path);
      *all_original &= is_before;
      *all_reference &= is_after;
    }
}

/* Kills `relabel ARGS DIR` KILLS times at random moments on fresh copies of @dataset; after
 * every kill each file is whole (its old or its new bytes), with @consistent the copy as a whole
 * is the original or the result unless the journal of an interrupted run is there, and the same
 * command run again ends with the very files of an uninterrupted run, and no journal. */
static void
kill_relabel (const char *dataset, const char *const *request, gboolean consistent)
{
  g_autofree char *source = testdata (dataset, NULL);
  g_autofree char *root = make_temp_dir ();
  g_autofree char *original = g_build_filename (root, "original", NULL);
  g_autofree char *reference = g_build_filename (root, "reference", NULL);
  guint interrupted = 0, journals = 0;
  gint64 full;

  bm_test_copy_dataset (source, original);
  bm_test_copy_dataset (source, reference);
  {
    const char *args[] = { "relabel", request[0], request[1], reference, NULL };

    full = time_run (args);
  }
  for (int k = 0; k < KILLS; k++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/kill%d", root, k);
      g_autofree char *journal = g_build_filename (dir, ".boxmark-relabel-journal", NULL);
      const char *args[] = { "relabel", request[0], request[1], dir, NULL };
      gboolean all_original, all_reference;
      g_autofree char *err = NULL;
      int status;

      bm_test_copy_dataset (source, dir);
      kill_after (start_cli (args), g_test_rand_int_range (0, (gint32) MIN (full, G_MAXINT32)));
      assert_each_file_before_or_after (dir, original, reference, &all_original, &all_reference);
      if (g_file_test (journal, G_FILE_TEST_EXISTS))
        journals++;
      else if (consistent)
        g_assert_true (all_original || all_reference);
      interrupted += !all_original && !all_reference;
      /* the same command again: it finishes (0), or finds the class gone when all was done (3) */
      status = run_cli (args, &err);
      if (status != 0)
        {
          g_assert_cmpint (status, ==, 3);
          g_assert_true (all_reference);
          g_assert_nonnull (strstr (err, "no class"));
        }
      g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
      assert_each_file_before_or_after (dir, original, reference, &all_original, &all_reference);
      g_assert_true (all_reference);
      bm_test_remove_tree (dir);
    }
  g_test_message ("%s: %u of %d kills left a run half-done, %u with its journal", dataset, interrupted,
                  KILLS, journals);
  bm_test_remove_tree (root);
}

/* labelImg's raccoons: a rename is written file by file; a rerun renames the rest. */
static void
test_kill_relabel_voc (void)
{
  const char *request[] = { "--rename", "raccoon=procyon" };

  kill_relabel ("voc/raccoon_labelimg", request, FALSE);
}

/* COCO8: deleting class 0 moves every other id down; killed half-way, the next relabel finishes
 * the renumbering from the journal, so ids and class list never disagree for good. */
static void
test_kill_relabel_yolo_renumbering (void)
{
  const char *request[] = { "--delete", "person" };

  kill_relabel ("yolo/ultralytics_coco8", request, TRUE);
}

/* ---- messages ---- */

static void
drop_to_nobody (gpointer data)
{
  if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
    _exit (9);
}

/* Before: "Input/output error" for an image nobody may read. */
static void
test_permission_denied_said (void)
{
  if (!bm_test_have_data ("detect/two_people.gray.png"))
    return;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *photo = testdata ("detect", "two_people.gray.png", NULL);
  g_autofree char *image = g_build_filename (dir, "a.png", NULL);
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!have_detector ())
    return;
  copy_file (photo, image);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (image, 0600), ==, 0);
  argv = cli_argv ((const char *[]) { "detect", "--cascade", "face-lbp", image, NULL });
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, drop_to_nobody, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 0);
  g_assert_nonnull (strstr (err, g_strerror (EACCES)));
  g_assert_null (strstr (err, g_strerror (EIO)));
  bm_test_remove_tree (dir);
}

/* Before: a line break in a file name split "FILE:LINE: problem" over two lines. */
static void
test_file_name_with_line_break (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *bad = g_build_filename (dir, "a\nb.xml", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_file_set_contents (bad, "<annotation><object><name>x</name></object></annotation>\n", -1, NULL));
  argv = cli_argv ((const char *[]) { "validate", dir, NULL });
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (out), >, 0);
  /* one problem, one line: every line names the file whole */
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    g_autofree char *prefix = g_build_filename (dir, "a\\nb.xml:", NULL);

    for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
      g_assert_true (g_str_has_prefix (lines[i], prefix));
  }
  g_assert_nonnull (strstr (out, "a\\nb.xml:1: "));
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reliability/two-detect-writers", test_two_detect_writers);
  g_test_add_func ("/reliability/kill/detect-write", test_kill_detect_write);
  g_test_add_func ("/reliability/kill/convert", test_kill_convert);
  g_test_add_func ("/reliability/kill/augment", test_kill_augment);
  g_test_add_func ("/reliability/kill/split", test_kill_split);
  g_test_add_func ("/reliability/kill/relabel-voc", test_kill_relabel_voc);
  g_test_add_func ("/reliability/kill/relabel-yolo-renumbering", test_kill_relabel_yolo_renumbering);
  g_test_add_func ("/reliability/messages/permission-denied", test_permission_denied_said);
  g_test_add_func ("/reliability/messages/line-break-in-name", test_file_name_with_line_break);
  return g_test_run ();
}
