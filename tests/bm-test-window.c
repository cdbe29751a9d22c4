/* bm-test-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <stdarg.h>
#include <glib/gstdio.h>

#include "bm-test-window.h"

char *
bm_test_window_setup (int *argc, char ***argv, const char *name, ...)
{
  g_autofree char *template = g_strdup_printf ("boxmark-%s-XXXXXX", name);
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  char *tmp_root;
  const char *variable;
  gboolean ready;
  va_list args;

  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  tmp_root = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (tmp_root);
  /* Before GTK reads it: GLib keeps the first value. */
  data_home = g_build_filename (tmp_root, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* and the models remembered per folder (dataset/bm-model-detect) */
  config_home = g_build_filename (tmp_root, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  ready = gtk_init_check ();
  va_start (args, name);
  while ((variable = va_arg (args, const char *)) != NULL)
    ready = ready && g_getenv (variable) != NULL;
  va_end (args);
  if (ready)
    return tmp_root;
  g_print ("1..0 # SKIP no display, or a BM_ variable missing\n");
  g_rmdir (tmp_root);
  g_free (tmp_root);
  return NULL;
}

void
bm_test_iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

void
bm_test_wait_until_idle (BmWindow *window)
{
  while (bm_window_is_busy (window))
    g_main_context_iteration (NULL, TRUE);
  bm_test_iterate ();
}

BmWindow *
bm_test_window_new (int width, int height)
{
  BmWindow *window = bm_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

BmWindow *
bm_test_window_open (const char *folder)
{
  BmWindow *window = bm_test_window_new (1100, 760);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", folder));
  bm_test_wait_until_idle (window);
  g_assert_nonnull (bm_window_get_dataset (window));
  return window;
}

static void
xdotool_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

gboolean
bm_test_xdotool (const char *arguments)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");
  g_autofree char *command = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return FALSE;
    }
  command = g_strdup_printf ("%s %s", path, arguments);
  g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  process = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, xdotool_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  /* xdotool has exited, so the server has its fake input; a round trip puts the resulting events
   * in our queue before we look (a loaded machine otherwise delivered them after the checks) */
  gdk_display_sync (gdk_display_get_default ());
  for (int i = 0; i < 20; i++)
    {
      g_usleep (5000);
      bm_test_iterate ();
    }
  return TRUE;
}
