/* bm-test-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-test-window.h"

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
