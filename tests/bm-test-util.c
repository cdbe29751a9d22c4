/* bm-test-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "bm-test-util.h"

void
bm_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          bm_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
bm_test_assert_rows_close (GPtrArray *a, GPtrArray *b, double tolerance)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      GArray *ra = a->pdata[i], *rb = b->pdata[i];

      g_assert_cmpuint (ra->len, ==, rb->len);
      g_assert_cmpfloat (g_array_index (ra, double, 0), ==, g_array_index (rb, double, 0));
      for (guint k = 1; k < ra->len; k++)
        g_assert_cmpfloat_with_epsilon (g_array_index (ra, double, k), g_array_index (rb, double, k), tolerance);
    }
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint
bm_test_assert_same_tree (const char *a, const char *b)
{
  g_autoptr(GDir) dir = g_dir_open (a, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  g_assert_cmpuint (count_entries (a), ==, count_entries (b));
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pa = g_build_filename (a, name, NULL);
      g_autofree char *pb = g_build_filename (b, name, NULL);
      g_autofree char *ca = NULL, *cb = NULL;
      gsize la, lb;

      if (g_file_test (pa, G_FILE_TEST_IS_DIR))
        {
          n += bm_test_assert_same_tree (pa, pb);
          continue;
        }
      g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
      if (strcmp (name, "data.yaml") == 0)
        {
          g_assert_nonnull (strstr (ca, "\ntrain:"));
          g_assert_cmpstr (strstr (ca, "\ntrain:"), ==, strstr (cb, "\ntrain:"));
        }
      else
        g_assert_cmpmem (ca, la, cb, lb);
      n++;
    }
  return n;
}

static void
list_files_below (const char *root, const char *relative, GPtrArray *out)
{
  g_autofree char *path = relative ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_relative = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_relative, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_files_below (root, child_relative, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&child_relative));
    }
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
bm_test_list_files (const char *root)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  list_files_below (root, NULL, files);
  g_ptr_array_sort (files, compare_paths);
  return files;
}

static gboolean
is_image_name (const char *name)
{
  static const char *const extensions[] = { ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

void
bm_test_copy_dataset (const char *from, const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);

      if (g_file_test (source, G_FILE_TEST_IS_DIR))
        bm_test_copy_dataset (source, target);
      else if (is_image_name (name))
        g_assert_cmpint (symlink (source, target), ==, 0);
      else
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
          g_assert_true (g_file_set_contents (target, contents, (gssize) length, NULL));
          g_assert_cmpint (g_chmod (target, 0644), ==, 0);
        }
    }
}

/* Where the data is missing from: the folder $BM_TESTDATA names, or the shared set it stands in for. */
static char *
missing_data_message (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  if (root == NULL)
    return g_strdup ("BM_TESTDATA is not set");
  /* tests/data is a subset of ../shared/testdata: name what a developer would fetch. */
  if (g_str_has_suffix (root, "tests/data") || g_str_has_suffix (root, "tests/data/"))
    return g_strdup_printf ("../shared/testdata not found (needs %s, not in tests/data)", relative);
  return g_strdup_printf ("%s not found in %s", relative, root);
}

static gboolean
data_exists (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");
  g_autofree char *path = NULL;

  if (root == NULL)
    return FALSE;
  path = g_build_filename (root, relative, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
bm_test_have_data (const char *relative)
{
  g_autofree char *message = NULL;

  if (data_exists (relative))
    return TRUE;
  message = missing_data_message (relative);
  g_test_skip (message);
  return FALSE;
}

void
bm_test_require_data (const char *relative, gboolean tap)
{
  g_autofree char *message = NULL;

  if (data_exists (relative))
    return;
  message = missing_data_message (relative);
  if (tap)
    {
      printf ("1..0 # SKIP %s\n", message);
      fflush (stdout);
      exit (0);
    }
  fprintf (stderr, "SKIP: %s\n", message);
  exit (77);
}
