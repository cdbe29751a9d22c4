/* main.c: the boxmark GUI.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "bm-application.h"

/* A program started from its Meson build folder (build/app/boxmark) uses the settings schema
 * compiled beside it (build/resources/gschemas.compiled), as `meson devenv` would: the installed
 * schema, if any, may lack the keys this build reads. The folder is found from the program's own
 * location, so no build path is compiled into an installed binary. */
static void
use_build_schema_when_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *app_dir = NULL;
  g_autofree char *build_root = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *schema_dir = NULL;
  g_autofree char *compiled = NULL;
  g_autofree char *value = NULL;
  const char *current;

  if (exe == NULL)
    return;
  app_dir = g_path_get_dirname (exe);
  build_root = g_path_get_dirname (app_dir);
  marker = g_build_filename (build_root, "meson-private", NULL);
  schema_dir = g_build_filename (build_root, "resources", NULL);
  compiled = g_build_filename (schema_dir, "gschemas.compiled", NULL);
  if (!g_file_test (marker, G_FILE_TEST_IS_DIR) || !g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    return;

  current = g_getenv ("GSETTINGS_SCHEMA_DIR");
  value = current != NULL && current[0] != '\0'
          ? g_strconcat (schema_dir, G_SEARCHPATH_SEPARATOR_S, current, NULL)
          : g_strdup (schema_dir);
  g_setenv ("GSETTINGS_SCHEMA_DIR", value, TRUE);
}

static gboolean
schema_is_found (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BM_APPLICATION_ID, TRUE);
  return schema != NULL;
}

/* --help and --version answer without settings; everything else needs them. */
static gboolean
needs_settings (int argc, char *argv[])
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--help") || g_str_equal (argv[i], "-h")
        || g_str_equal (argv[i], "-?") || g_str_equal (argv[i], "--version"))
      return FALSE;
  return TRUE;
}

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

  use_build_schema_when_uninstalled ();
  if (needs_settings (argc, argv) && !schema_is_found ())
    {
      /* GSettings would abort with a trap; say what is missing and how to get it instead. */
      fprintf (stderr, _("boxmark: the settings schema %s is not installed.\n"
                         "Install Boxmark (meson install compiles it), run glib-compile-schemas on "
                         "the folder holding %s.gschema.xml and point GSETTINGS_SCHEMA_DIR at it, "
                         "or start boxmark from its build folder.\n"),
               BM_APPLICATION_ID, BM_APPLICATION_ID);
      return 1;
    }

  app = bm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
