/* test-robustness.c: issue 16 below the command line — line endings as Python reads them,
 * symlink loops and unreadable folders in a scan, special files, concurrent label writers.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-dota.h"
#include "formats/bm-label-io.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo.h"
#include "formats/bm-yolo-check.h"
#include "tests/bm-test-util.h"

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bm-robust-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  return dir;
}

static char *
file_in (const char *dir, const char *name, const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  if (contents != NULL)
    g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* ---- line endings (issue 16, item 4) ---- */

static const char yolo_cr[] = "0 0.5 0.5 0.1 0.1\r1 0.2 0.2 0.1 0.1\r2 0.7 0.7 0.2 0.2\r";

/* Before: a file with CR line ends was one 15-value row: a single polygon. */
static void
test_yolo_cr_rows (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = file_in (dir, "a.txt", yolo_cr);
  g_autofree char *unedited = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_yolo_load_data (yolo_cr, strlen (yolo_cr), path, NULL, 100, 100, &error);
  g_autoptr(BmObject) added = NULL;
  BmShape shape;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 3);
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  g_assert_cmpint (bm_object_get_shape (bm_annotation_get_object (a, 2))->kind, ==, BM_SHAPE_BOX);
  g_assert_true (bm_yolo_save (a, path, &error));
  unedited = read_text (path);
  g_assert_cmpstr (unedited, ==, yolo_cr);

  bm_shape_init_box (&shape, 10, 10, 20, 20);
  added = bm_object_new ("1", &shape);
  bm_annotation_add_object (a, added);
  g_assert_true (bm_yolo_save (a, path, &error));
  edited = read_text (path);
  g_assert_true (g_str_has_prefix (edited, yolo_cr));
  g_assert_null (strchr (edited, '\n'));
  g_assert_true (g_str_has_suffix (edited, "\r"));
  bm_test_remove_tree (dir);
}

static void
test_yolo_check_cr_rows (void)
{
  static const char duplicate[] = "0 0.5 0.5 0.1 0.1\r0 0.5 0.5 0.1 0.1\r";
  static const char python_breaks[] = "0 0.5 0.5 0.1 0.1\v1 0.2 0.2 0.1 0.1\f";
  g_autoptr(GPtrArray) problems = bm_yolo_check_data (duplicate, strlen (duplicate), "a.txt", 2);
  g_autoptr(GPtrArray) none = bm_yolo_check_data (python_breaks, strlen (python_breaks), "b.txt", 2);
  BmProblem *problem;

  /* Ultralytics splits these into two rows and finds them equal. */
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpint (problem->line, ==, 2);
  g_assert_cmpuint (none->len, ==, 0);
}

static const char dota_cr[] =
  "imagesource:GoogleEarth\rgsd:0.146\r"
  "10 10 20 10 20 20 10 20 car 0\r30 30 40 30 40 40 30 40 bus 1\r";

/* Before: header and objects were one line: 0 objects and 0 problems. */
static void
test_dota_cr_lines (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = file_in (dir, "a.txt", dota_cr);
  g_autofree char *unedited = NULL;
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_dota_load (path, &error);
  BmShape shape;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 2);
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 1)), ==, "bus");
  g_assert_cmpint (bm_dataset_sniff_txt_data (dota_cr, strlen (dota_cr)), ==, BM_FORMAT_DOTA);
  g_assert_true (bm_dota_save (a, path, &error));
  unedited = read_text (path);
  g_assert_cmpstr (unedited, ==, dota_cr);
  shape = *bm_object_get_shape (bm_annotation_get_object (a, 0));
  bm_shape_translate (&shape, 1, 0);
  bm_object_set_shape (bm_annotation_get_object (a, 0), &shape);
  g_assert_true (bm_dota_save (a, path, &error));
  edited = read_text (path);
  g_assert_cmpstr (edited, ==, "imagesource:GoogleEarth\rgsd:0.146\r"
                               "11 10 21 10 21 20 11 20 car 0\r30 30 40 30 40 40 30 40 bus 1\r");
  bm_test_remove_tree (dir);
}

static void
test_class_lists_cr_and_nc (void)
{
  static const char txt[] = "car\rbus\rtruck";
  static const char yaml[] = "names:\r  - a\r  - b\r";
  static const char huge_nc[] = "nc: 1000000000\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) classes = bm_class_list_load_txt_data (txt, strlen (txt), "classes.txt", &error);
  g_autoptr(BmClassList) names = NULL;
  g_autoptr(BmClassList) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (classes), ==, 3);
  g_assert_cmpstr (bm_class_list_get_name (classes, 2), ==, "truck");
  names = bm_class_list_load_yaml_data (yaml, strlen (yaml), "data.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (names), ==, 2);
  /* Before: "must be a whole number", which it is. */
  none = bm_class_list_load_yaml_data (huge_nc, strlen (huge_nc), "data.yaml", &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "data.yaml:1:"));
  g_assert_nonnull (strstr (error->message, "more than"));
  g_assert_null (strstr (error->message, "whole number"));
}

/* ---- scans (items 5 and 7) ---- */

/* Before: `ln -s . loop` made 1 image 17, and three links 4,180. */
static void
test_scan_symlink_loops (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(BmDataset) one = NULL;
  g_autoptr(BmDataset) three = NULL;
  g_autofree char *loop = g_build_filename (dir, "loop", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *back = g_build_filename (dir, "sub", "back", NULL);

  g_free (file_in (dir, "a.jpg", "not decoded by a scan"));
  g_free (file_in (dir, "a.xml", "<annotation/>"));
  g_assert_cmpint (symlink (".", loop), ==, 0);
  one = bm_dataset_open (dir, TRUE, NULL);
  g_assert_cmpuint (bm_dataset_get_n_items (one), ==, 1);
  g_assert_cmpuint (bm_dataset_get_n_orphans (one), ==, 0);

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_cmpint (symlink ("..", back), ==, 0);
  for (const char *const *name = (const char *const[]) { "l2", "l3", NULL }; *name != NULL; name++)
    {
      g_autofree char *link = g_build_filename (sub, *name, NULL);
      g_assert_cmpint (symlink (dir, link), ==, 0);
    }
  three = bm_dataset_open (dir, TRUE, NULL);
  g_assert_cmpuint (bm_dataset_get_n_items (three), ==, 1);
  bm_test_remove_tree (dir);
}

static void
check_unreadable_folder_reported (const char *dir)
{
  g_autoptr(BmDataset) dataset = bm_dataset_open (dir, TRUE, NULL);
  GPtrArray *problems;
  g_autofree char *text = NULL;

  if (dataset == NULL || bm_dataset_get_n_items (dataset) != 1)
    _exit (1);
  problems = bm_dataset_get_problems (dataset);
  if (problems->len != 1)
    _exit (2);
  text = bm_problem_to_string (g_ptr_array_index (problems, 0));
  if (strstr (text, "locked") == NULL || strstr (text, "cannot be read") == NULL)
    _exit (3);
  _exit (0);
}

/* Before: the folder's images were simply missing. Run as user nobody when we are root (root
 * reads every folder). */
static void
test_scan_reports_unreadable_folder (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *locked = g_build_filename (dir, "locked", NULL);
  g_autofree char *hidden = NULL;
  int status = 0;
  pid_t pid;

  g_free (file_in (dir, "a.jpg", "x"));
  g_assert_cmpint (g_mkdir (locked, 0755), ==, 0);
  hidden = file_in (locked, "b.jpg", "x");
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        _exit (9);
      check_unreadable_folder_reported (dir);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_chmod (locked, 0755);
  bm_test_remove_tree (dir);
}

/* ---- special files (item 8) ---- */

static void
test_fifo_label_and_image (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *image = g_build_filename (dir, "a.jpg", NULL);
  g_autofree char *label = g_build_filename (dir, "a.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmImage) decoded = NULL;
  BmDatasetItem item = { 0 };
  int width, height, channels;

  /* Before: each of these calls waited forever for someone to write into the pipe. */
  g_assert_cmpint (mkfifo (image, 0644), ==, 0);
  g_assert_cmpint (mkfifo (label, 0644), ==, 0);
  item.label_path = label;
  item.format = BM_FORMAT_VOC;
  item.has_label = TRUE;
  annotation = bm_label_load (&item, &error);
  g_assert_null (annotation);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);
  g_assert_false (bm_image_read_info (image, &width, &height, &channels, &error));
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);
  decoded = bm_image_load (image, &error);
  g_assert_null (decoded);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  bm_test_remove_tree (dir);
}

static void
test_problem_with_line_break_in_name (void)
{
  g_autoptr(BmProblem) problem = bm_problem_new ("/data/a\nb.xml", 3, "bad");
  g_autofree char *text = bm_problem_to_string (problem);

  g_assert_cmpstr (text, ==, "/data/a\\nb.xml:3: bad");
}

/* ---- concurrent writers (item 2) ---- */

typedef struct
{
  const char *label_path;
  int thread;
  int rounds;
} UpdateJob;

static int
add_one (BmAnnotation *annotation, gpointer user_data, GError **error)
{
  const char *label = user_data;
  g_autoptr(BmObject) object = NULL;
  BmShape shape;

  bm_shape_init_box (&shape, 1, 2, 3, 4);
  object = bm_object_new (label, &shape);
  bm_annotation_add_object (annotation, object);
  return 1;
}

static gpointer
update_many (gpointer data)
{
  UpdateJob *job = data;
  BmDatasetItem item = { 0 };

  item.label_path = (char *) job->label_path;
  item.format = BM_FORMAT_VOC;
  item.has_label = TRUE;
  for (int k = 0; k < job->rounds; k++)
    {
      g_autofree char *label = g_strdup_printf ("t%d-%d", job->thread, k);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (bm_label_update (&item, add_one, label, NULL, &error), ==, 1);
      g_assert_no_error (error);
    }
  return NULL;
}

/* Before: detect --write loaded and saved without any check, and with only the window's check
 * both writers would have been refused or lost each other's objects. */
static void
test_concurrent_updates_all_land (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = file_in (dir, "a.xml", "<annotation>\n</annotation>\n");
  UpdateJob jobs[6];
  GThread *threads[6];
  g_autoptr(BmAnnotation) result = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  for (int t = 0; t < 6; t++)
    {
      jobs[t] = (UpdateJob) { path, t, 30 };
      threads[t] = g_thread_new ("update", update_many, &jobs[t]);
    }
  for (int t = 0; t < 6; t++)
    g_thread_join (threads[t]);
  result = bm_voc_load (path, NULL);
  g_assert_nonnull (result);
  g_assert_cmpuint (bm_annotation_get_n_objects (result), ==, 6 * 30);
  for (guint i = 0; i < bm_annotation_get_n_objects (result); i++)
    g_hash_table_add (labels, (gpointer) bm_object_get_label (bm_annotation_get_object (result, i)));
  g_assert_cmpuint (g_hash_table_size (labels), ==, 6 * 30);
  bm_test_remove_tree (dir);
}

/* Two annotations loaded from one original: the second save is told, whatever the timing. */
static void
test_second_save_of_one_original_is_a_conflict (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = file_in (dir, "a.xml", "<annotation>\n</annotation>\n");
  BmDatasetItem item = { 0 };
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(BmObject) object = NULL;
  g_autoptr(GError) error = NULL;
  BmShape shape;

  item.label_path = path;
  item.format = BM_FORMAT_VOC;
  item.has_label = TRUE;
  a = bm_label_load (&item, NULL);
  b = bm_label_load (&item, NULL);
  bm_shape_init_box (&shape, 1, 2, 3, 4);
  object = bm_object_new ("x", &shape);
  bm_annotation_add_object (a, object);
  bm_annotation_add_object (b, object);
  g_assert_true (bm_label_save (a, &error));
  g_assert_false (bm_label_save (b, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  /* The winner saves again: its stamp is the file it wrote. */
  g_clear_error (&error);
  bm_annotation_set_verified (a, TRUE);
  g_assert_true (bm_label_save (a, &error));
  bm_test_remove_tree (dir);
}

static void
check_owner_notice (const char *path)
{
  BmDatasetItem item = { 0 };
  g_autoptr(BmAnnotation) a = NULL;
  g_autofree char *notice = NULL;
  struct stat st;

  item.label_path = (char *) path;
  item.format = BM_FORMAT_VOC;
  item.has_label = TRUE;
  a = bm_label_load (&item, NULL);
  if (a == NULL)
    _exit (1);
  bm_annotation_set_verified (a, TRUE);
  if (!bm_label_save_full (a, &notice, NULL))
    _exit (2);
  if (stat (path, &st) != 0 || st.st_uid != geteuid ())
    _exit (3);
  /* Before: the owner changed without a word. */
  if (notice == NULL || strstr (notice, "owned by you") == NULL)
    _exit (4);
  _exit (0);
}

/* A user who may write into a shared folder saves a colleague's file: it can only become the
 * saver's (atomic saves replace the file), and the save says so. */
static void
test_owner_change_is_said (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = file_in (dir, "a.xml", "<annotation>\n</annotation>\n");
  int status = 0;
  pid_t pid;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to make a file another user's");
      bm_test_remove_tree (dir);
      return;
    }
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (setgid (65534) != 0 || setuid (65534) != 0)
        _exit (9);
      check_owner_notice (path);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/robust/yolo-cr", test_yolo_cr_rows);
  g_test_add_func ("/robust/yolo-check-cr", test_yolo_check_cr_rows);
  g_test_add_func ("/robust/dota-cr", test_dota_cr_lines);
  g_test_add_func ("/robust/class-lists", test_class_lists_cr_and_nc);
  g_test_add_func ("/robust/scan-symlink-loops", test_scan_symlink_loops);
  g_test_add_func ("/robust/scan-unreadable-folder", test_scan_reports_unreadable_folder);
  g_test_add_func ("/robust/fifo", test_fifo_label_and_image);
  g_test_add_func ("/robust/problem-line-break", test_problem_with_line_break_in_name);
  g_test_add_func ("/robust/concurrent-updates", test_concurrent_updates_all_land);
  g_test_add_func ("/robust/second-save-conflict", test_second_save_of_one_original_is_a_conflict);
  g_test_add_func ("/robust/owner-change-said", test_owner_change_is_said);
  return g_test_run ();
}
