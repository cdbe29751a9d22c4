/* bm-test-window.h: helpers for the tests that drive the real window under a display.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "app/bm-window.h"

G_BEGIN_DECLS

/* The start of a window test's main(): g_test_init, the C.UTF-8 locale, a temporary folder
 * (returned; XDG_DATA_HOME and XDG_CONFIG_HOME inside it, so recent folders and remembered
 * models stay out of the user's), then GTK.
 * Without a display, or without one of the environment variables @required (NULL-terminated),
 * prints the TAP plan that skips, removes the folder and returns NULL. */
char     *bm_test_window_setup     (int         *argc,
                                    char      ***argv,
                                    const char  *name,
                                    ...) G_GNUC_NULL_TERMINATED;

/* Runs the main loop until nothing is pending. */
void      bm_test_iterate          (void);
/* Runs the main loop while @window is busy (bm_window_is_busy), then until nothing is pending. */
void      bm_test_wait_until_idle  (BmWindow   *window);
/* A window of @width × @height, shown and drawn once. */
BmWindow *bm_test_window_new       (int         width,
                                    int         height);
/* bm_test_window_new (1100, 760) with @folder opened (win.open-recent) and idle. */
BmWindow *bm_test_window_open      (const char *folder);

/* Runs `xdotool ARGUMENTS` (real X input: keys go to the window under the pointer) while the
 * main loop handles the events it makes, then lets them arrive. FALSE, with a skip, when
 * xdotool is not installed. */
gboolean  bm_test_xdotool          (const char *arguments);

G_END_DECLS
