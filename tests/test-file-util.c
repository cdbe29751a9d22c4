/* test-file-util.c: atomic writes and natural sort.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "core/bm-error.h"
#include "core/bm-file-util.h"

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bm-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
test_atomic_write_keeps_mode (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (bm_file_write_atomic (path, "new", 3, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_failed_write_leaves_old_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;

  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));
  bm_file_util_set_fail_writes (TRUE);
  g_assert_false (bm_file_write_atomic (path, "new", 3, &error));
  bm_file_util_set_fail_writes (FALSE);
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  /* No temporary file is left behind. */
  d = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (d), ==, "a.xml");
  g_assert_null (g_dir_read_name (d));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_atomic_write_through_symlink (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *real = g_build_filename (dir, "real.txt", NULL);
  g_autofree char *link = g_build_filename (dir, "link.txt", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink (real, link), ==, 0);
  g_assert_true (bm_file_write_atomic (link, "new", 3, NULL));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new");
  g_unlink (link);
  g_unlink (real);
  g_rmdir (dir);
}

static void
test_read_only_file_is_refused (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "protected", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_false (bm_file_write_atomic (path, "new", 3, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "protected");
  g_chmod (path, 0644);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_dangling_symlink_creates_target (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *real = g_build_filename (dir, "real.txt", NULL);
  g_autofree char *link = g_build_filename (dir, "link.txt", NULL);
  g_autofree char *contents = NULL;

  g_assert_cmpint (symlink ("real.txt", link), ==, 0);
  g_assert_true (bm_file_write_atomic (link, "new", 3, NULL));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new");
  g_unlink (link);
  g_unlink (real);
  g_rmdir (dir);
}

static void
test_file_stamp (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  BmFileStamp missing, before, same, after;

  bm_file_stamp_read (path, &missing);
  g_assert_false (missing.exists);
  g_assert_true (g_file_set_contents (path, "one", -1, NULL));
  bm_file_stamp_read (path, &before);
  bm_file_stamp_read (path, &same);
  g_assert_true (before.exists);
  g_assert_false (bm_file_stamp_equal (&missing, &before));
  g_assert_true (bm_file_stamp_equal (&before, &same));
  /* Same size, rewritten: another program saved over it. */
  g_assert_true (bm_file_write_atomic (path, "two", 3, NULL));
  bm_file_stamp_read (path, &after);
  g_assert_false (bm_file_stamp_equal (&before, &after));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_natural_compare (void)
{
  g_assert_cmpint (bm_natural_compare ("img2.jpg", "img10.jpg"), <, 0);
  g_assert_cmpint (bm_natural_compare ("img10.jpg", "img2.jpg"), >, 0);
  g_assert_cmpint (bm_natural_compare ("img02.jpg", "img2.jpg"), !=, 0);
  g_assert_cmpint (bm_natural_compare ("a.jpg", "B.jpg"), <, 0);
  g_assert_cmpint (bm_natural_compare ("x", "x"), ==, 0);
  g_assert_cmpint (bm_natural_compare ("raccoon-9", "raccoon-100"), <, 0);
}

static void
test_path_helpers (void)
{
  g_autofree char *ext = bm_path_get_extension ("/a/b.c/Photo.JPG");
  g_autofree char *stem = bm_path_get_stem ("/a/b.c/photo.final.png");
  g_autofree char *none = bm_path_get_extension ("/a/b.c/README");

  g_assert_cmpstr (ext, ==, "jpg");
  g_assert_cmpstr (stem, ==, "photo.final");
  g_assert_cmpstr (none, ==, "");
  g_assert_true (bm_path_is_image ("x.jpeg"));
  g_assert_false (bm_path_is_image ("x.xml"));
}

/* The stamp comes from the file that was read, and reading reports what it could not read. */
static void
test_read_all_stamped (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.xml", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  BmFileStamp stamp, expected;
  gsize length = 0;

  g_assert_true (g_file_set_contents (path, "<annotation/>\n", -1, NULL));
  g_assert_true (bm_file_read_all_stamped (path, &contents, &length, &stamp, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "<annotation/>\n");
  g_assert_cmpuint (length, ==, 14);
  bm_file_stamp_read (path, &expected);
  g_assert_true (stamp.exists);
  g_assert_true (bm_file_stamp_equal (&stamp, &expected));
  g_clear_pointer (&contents, g_free);

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (bm_file_read_all_stamped (empty, &contents, &length, &stamp, &error));
  g_assert_cmpstr (contents, ==, "");
  g_assert_cmpuint (length, ==, 0);
  g_assert_true (stamp.exists);
  g_clear_pointer (&contents, g_free);

  g_assert_false (bm_file_read_all_stamped (missing, &contents, &length, &stamp, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_false (stamp.exists);
  g_assert_null (contents);
  g_clear_error (&error);

  g_assert_false (bm_file_read_all_stamped (dir, &contents, &length, &stamp, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_false (stamp.exists);
  g_clear_error (&error);

  g_unlink (path);
  g_unlink (empty);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/file-util/atomic-mode", test_atomic_write_keeps_mode);
  g_test_add_func ("/file-util/failed-write", test_failed_write_leaves_old_file);
  g_test_add_func ("/file-util/symlink", test_atomic_write_through_symlink);
  g_test_add_func ("/file-util/read-only", test_read_only_file_is_refused);
  g_test_add_func ("/file-util/dangling-symlink", test_dangling_symlink_creates_target);
  g_test_add_func ("/file-util/stamp", test_file_stamp);
  g_test_add_func ("/file-util/read-all-stamped", test_read_all_stamped);
  g_test_add_func ("/file-util/natural-compare", test_natural_compare);
  g_test_add_func ("/file-util/path-helpers", test_path_helpers);
  return g_test_run ();
}
