/* main.c: the boxmark GUI.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <locale.h>

#include "bm-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BmApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* An uninstalled build finds its translations through BOXMARK_LOCALEDIR (build/po; set by
   * `meson devenv` and the tests). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BOXMARK_LOCALEDIR") != NULL ? g_getenv ("BOXMARK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
