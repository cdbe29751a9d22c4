/* bm-test-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
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
