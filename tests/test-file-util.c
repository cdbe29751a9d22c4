/* test-file-util.c: atomic writes, reads that cannot hang, saves that cannot race, natural sort.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "tests/bm-test-util.h"

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

/* Issue 16: a dangling link is not followed out of its folder (out of the dataset). */
static void
test_dangling_symlink_elsewhere_is_refused (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *other = make_temp_dir ();
  g_autofree char *real = g_build_filename (other, "real.xml", NULL);
  g_autofree char *link = g_build_filename (dir, "a.xml", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink (real, link), ==, 0);
  g_assert_false (bm_file_write_atomic (link, "new", 3, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_assert_false (g_file_test (real, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  bm_test_remove_tree (dir);
  bm_test_remove_tree (other);
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


/* ---- issue 16: reading only what can be read ---- */

static void
test_read_refuses_fifo_and_devices (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *fifo = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *zero = g_build_filename (dir, "b.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  /* Before: opening the FIFO waited for a writer forever; /dev/zero read until memory ran out. */
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_false (bm_file_read_all (fifo, &contents, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_false (bm_file_read_all (zero, &contents, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "device"));
  g_assert_cmpint (bm_file_open_regular (zero, 0, NULL), ==, -1);
  bm_test_remove_tree (dir);
}

static void
test_read_refuses_huge_file_before_reading (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  int fd = open (path, O_WRONLY | O_CREAT, 0644);

  /* 3 GB, sparse: it takes no disk, and reading it whole would take 3 GB of memory. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, G_GINT64_CONSTANT (3) << 30), ==, 0);
  close (fd);
  g_assert_false (bm_file_read_all (path, &contents, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_null (contents);
  bm_test_remove_tree (dir);
}

/* ---- issue 16: "changed since read" by content, under the folder lock ---- */

static void
test_stamp_compares_content (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  BmFileStamp read, written;
  struct stat st;
  struct timespec times[2];

  g_assert_true (g_file_set_contents (path, "<a>1</a>", -1, NULL));
  g_assert_true (bm_file_read_all_stamped (path, &contents, NULL, &read, NULL));
  g_assert_true (read.has_hash);
  /* Another program rewrites it in place, same size, and puts the mtime back. */
  g_assert_cmpint (stat (path, &st), ==, 0);
  {
    int fd = open (path, O_WRONLY);
    g_assert_cmpint (pwrite (fd, "2", 1, 3), ==, 1);
    close (fd);
  }
  times[0] = st.st_atim;
  times[1] = st.st_mtim;
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
  g_assert_false (bm_file_write_full (path, "<a>3</a>", 8, 0, &read, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "<a>2</a>");

  /* A mere touch (same bytes) is no change. */
  g_clear_pointer (&contents, g_free);
  g_assert_true (bm_file_read_all_stamped (path, &contents, NULL, &read, NULL));
  g_assert_cmpint (utimensat (AT_FDCWD, path, NULL, 0), ==, 0);
  g_assert_true (bm_file_write_full (path, "<a>4</a>", 8, 0, &read, &written, &error));
  g_assert_no_error (error);
  g_assert_true (written.has_hash);
  g_assert_true (bm_file_check_unchanged (path, &written, NULL));
  bm_test_remove_tree (dir);
}

typedef struct
{
  const char *path;
  BmFileStamp stamp;
  gboolean ok;
  char text[32];
} Writer;

static GMutex start_lock;
static GCond start_cond;
static int start_waiting;

static gpointer
race_writer (gpointer data)
{
  Writer *w = data;

  g_mutex_lock (&start_lock);
  start_waiting--;
  g_cond_broadcast (&start_cond);
  while (start_waiting > 0)
    g_cond_wait (&start_cond, &start_lock);
  g_mutex_unlock (&start_lock);
  w->ok = bm_file_write_full (w->path, w->text, strlen (w->text), 0, &w->stamp, NULL, NULL);
  return NULL;
}

/* Before: the check and the rename were separate steps, and two saves of the same original
 * both succeeded (one update lost) in about one round in ten. */
static void
test_two_writers_never_both_replace_one_original (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);

  for (int round = 0; round < 200; round++)
    {
      Writer writers[4];
      GThread *threads[4];
      g_autofree char *original = g_strdup_printf ("original %d", round);
      g_autofree char *contents = NULL;
      int succeeded = 0;

      g_assert_true (g_file_set_contents (path, original, -1, NULL));
      start_waiting = G_N_ELEMENTS (writers);
      for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
        {
          g_autofree char *read = NULL;

          writers[i].path = path;
          g_snprintf (writers[i].text, sizeof writers[i].text, "writer %u round %d", i, round);
          g_assert_true (bm_file_read_all_stamped (path, &read, NULL, &writers[i].stamp, NULL));
        }
      for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
        threads[i] = g_thread_new ("writer", race_writer, &writers[i]);
      for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
        g_thread_join (threads[i]);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
        if (writers[i].ok)
          {
            succeeded++;
            g_assert_cmpstr (contents, ==, writers[i].text);
          }
      g_assert_cmpint (succeeded, ==, 1);
    }
  bm_test_remove_tree (dir);
}

static void
test_folder_lock_nests_and_excludes (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  BmFolderLock *outer = bm_folder_lock (path);
  BmFolderLock *inner = bm_folder_lock (path);
  int fd;

  g_assert_nonnull (outer);
  g_assert_true (inner == outer);
  /* A save with the lock held by this very thread does not wait for itself. */
  g_assert_true (bm_file_write_atomic (path, "x", 1, NULL));
  /* Another open file description (another process, another thread) cannot take it. */
  fd = open (dir, O_RDONLY | O_DIRECTORY);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, -1);
  bm_folder_lock_release (inner);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, -1);
  bm_folder_lock_release (outer);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  close (fd);
  bm_test_remove_tree (dir);
}

/* ---- issue 16: what a kill leaves behind, and new files ---- */

static void
test_stale_temp_file_is_reused (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *stale = g_build_filename (dir, ".a.xml.boxmark-tmp", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) files = NULL;

  /* What a writer killed between writing and renaming leaves. */
  g_assert_true (g_file_set_contents (stale, "half a fi", -1, NULL));
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (bm_file_write_atomic (path, "new", 3, NULL));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new");
  files = bm_test_list_files (dir);
  g_assert_cmpuint (files->len, ==, 1);
  bm_test_remove_tree (dir);
}

static void
test_new_file_never_replaces (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *copy = g_build_filename (dir, "b.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bm_file_write_full (path, "one", 3, BM_FILE_WRITE_NEW, NULL, NULL, &error));
  g_assert_false (bm_file_write_full (path, "two", 3, BM_FILE_WRITE_NEW, NULL, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "one");
  g_assert_true (bm_file_copy_new (path, copy, 0, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (copy, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "one");
  g_assert_false (bm_file_copy_new (path, copy, 0, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  bm_test_remove_tree (dir);
}

/* ---- issue 16: owners and permissions ---- */

static void
test_owner_is_kept (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  struct stat st;

  if (geteuid () != 0)
    {
      g_test_skip ("only root can give a file to another user");
      bm_test_remove_tree (dir);
      return;
    }
  g_assert_true (g_file_set_contents (path, "theirs", -1, NULL));
  g_assert_cmpint (chown (path, 12345, 23456), ==, 0);
  g_assert_true (bm_file_write_atomic (path, "edited", 6, NULL));
  g_assert_cmpint (stat (path, &st), ==, 0);
  /* Before: the file became root's. */
  g_assert_cmpuint (st.st_uid, ==, 12345);
  g_assert_cmpuint (st.st_gid, ==, 23456);
  bm_test_remove_tree (dir);
}

/* Runs @check in a child process as user nobody (when we are root, who may read anything), so
 * permissions apply. */
static void
run_as_nobody (void (*check) (const char *dir), const char *dir)
{
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
        _exit (2);
      check (dir);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

#define child_assert(condition) do { if (!(condition)) { g_printerr ("failed: %s\n", #condition); _exit (1); } } while (0)

static void
check_permission_messages (const char *dir)
{
  g_autofree char *secret = g_build_filename (dir, "secret.xml", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked", "a.xml", NULL);
  g_autofree char *contents = NULL;
  GError *error = NULL;

  child_assert (!bm_file_read_all (secret, &contents, NULL, &error));
  /* Before: images said "Input/output error" for this. */
  child_assert (strstr (error->message, g_strerror (EACCES)) != NULL);
  g_clear_error (&error);
  child_assert (!bm_file_write_atomic (locked, "x", 1, &error));
  child_assert (strstr (error->message, "permission denied") != NULL);
  g_clear_error (&error);
}

static void
test_permission_messages (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *secret = g_build_filename (dir, "secret.xml", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked", NULL);

  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (secret, "<annotation/>", -1, NULL));
  g_assert_cmpint (g_chmod (secret, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);
  run_as_nobody (check_permission_messages, dir);
  bm_test_remove_tree (dir);
}

/* A read-only mount, made in a mount namespace of our own (root, or a user namespace). */
static void
test_read_only_mount_message (void)
{
  g_autofree char *dir = make_temp_dir ();
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
      GError *error = NULL;

      if (unshare (geteuid () == 0 ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS) != 0
          || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
          || mount ("tmpfs", dir, "tmpfs", MS_RDONLY, NULL) != 0)
        _exit (77);
      child_assert (!bm_file_write_atomic (path, "x", 1, &error));
      /* Before: "the file is read-only; change its permissions to save". */
      child_assert (strstr (error->message, "mounted read-only") != NULL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == 77)
    g_test_skip ("no mount namespace here");
  else
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  bm_test_remove_tree (dir);
}

/* ---- issue 16: line breaks and file names in messages ---- */

static void
test_line_breaks (void)
{
  static const char data[] = "a\rb\r\nc\nd\ve\302\205f";
  const char *expected_universal[] = { "a", "b", "c", "d\ve\302\205f" };
  const char *expected_python[] = { "a", "b", "c", "d", "e", "f" };
  gsize length = sizeof data - 1;

  for (int python = 0; python < 2; python++)
    {
      const char **expected = python ? expected_python : expected_universal;
      guint n = python ? G_N_ELEMENTS (expected_python) : G_N_ELEMENTS (expected_universal);
      guint k = 0;

      for (gsize start = 0; start < length; k++)
        {
          gsize end;
          const char *eol = bm_line_next (data, length, start, python ? BM_LINES_PYTHON : BM_LINES_UNIVERSAL, &end);
          g_autofree char *line = g_strndup (data + start, end - start);

          g_assert_cmpuint (k, <, n);
          g_assert_cmpstr (line, ==, expected[k]);
          start = end + strlen (eol);
        }
      g_assert_cmpuint (k, ==, n);
    }
}

static void
test_path_display (void)
{
  g_autofree char *plain = bm_path_display ("/a/b c.xml");
  g_autofree char *broken = bm_path_display ("/a/b\nc.xml");
  g_autofree char *escape = bm_path_display ("/a/\x1b[31m.xml");

  g_assert_cmpstr (plain, ==, "/a/b c.xml");
  g_assert_cmpstr (broken, ==, "/a/b\\nc.xml");
  g_assert_cmpstr (escape, ==, "/a/\\x1b[31m.xml");
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
  g_test_add_func ("/file-util/dangling-symlink-elsewhere", test_dangling_symlink_elsewhere_is_refused);
  g_test_add_func ("/file-util/read-fifo-device", test_read_refuses_fifo_and_devices);
  g_test_add_func ("/file-util/read-huge", test_read_refuses_huge_file_before_reading);
  g_test_add_func ("/file-util/stamp-content", test_stamp_compares_content);
  g_test_add_func ("/file-util/two-writers", test_two_writers_never_both_replace_one_original);
  g_test_add_func ("/file-util/folder-lock", test_folder_lock_nests_and_excludes);
  g_test_add_func ("/file-util/stale-temp", test_stale_temp_file_is_reused);
  g_test_add_func ("/file-util/new-file", test_new_file_never_replaces);
  g_test_add_func ("/file-util/owner", test_owner_is_kept);
  g_test_add_func ("/file-util/permission-messages", test_permission_messages);
  g_test_add_func ("/file-util/read-only-mount", test_read_only_mount_message);
  g_test_add_func ("/file-util/line-breaks", test_line_breaks);
  g_test_add_func ("/file-util/path-display", test_path_display);
  return g_test_run ();
}
