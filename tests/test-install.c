/* test-install.c: `meson install` into a DESTDIR puts every file where GNOME looks for it.
 *
 * One install per run (into a temporary folder), then each test checks part of the tree: the
 * programs, the menu entry and what it names, the metainfo, the icons, the settings schema, the
 * translations and the manual pages (every boxmark-cli command and option in its page). The
 * installed menu entry and metainfo pass desktop-file-validate and appstreamcli validate (skipped
 * only where the tool is not installed).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/wait.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bm-test-util.h"

#define APP_ID "io.github.boxmark.Boxmark"

static char *destdir;
static gboolean installed;

/* DESTDIR + an absolute install path + the rest. */
static char *
installed_path (const char *env_dir, const char *first, ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list ap;

  g_ptr_array_add (parts, destdir);
  g_ptr_array_add (parts, (gpointer) g_getenv (env_dir));
  va_start (ap, first);
  for (part = first; part != NULL; part = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static void
assert_regular_file (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    g_error ("not installed: %s", path);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_size, >, 0);
}

static gboolean
have_gui (void)
{
  return g_strcmp0 (g_getenv ("BM_HAVE_GUI"), "1") == 0;
}

/* Runs @argv; returns its exit status, with stdout and stderr together in *out. */
static int
run (const char * const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  if (out != NULL && err != NULL)
    {
      char *both = g_strconcat (*out, err, NULL);

      g_free (*out);
      *out = both;
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
require_install (void)
{
  if (!installed)
    g_error ("meson install into %s failed (see the first test)", destdir);
}

static void
test_meson_install (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { g_getenv ("BM_MESON"), "install", "-C", g_getenv ("BM_BUILD_ROOT"),
                         "--no-rebuild", "--destdir", destdir, NULL };
  int status = run (argv, &out);

  if (status != 0)
    g_printerr ("%s", out);
  g_assert_cmpint (status, ==, 0);
  installed = TRUE;
}

static void
test_programs (void)
{
  g_autofree char *cli = installed_path ("BM_BINDIR", "boxmark-cli", NULL);
  g_autofree char *gui = installed_path ("BM_BINDIR", "boxmark", NULL);
  g_autofree char *out = NULL;
  g_autofree char *libs = NULL;
  const char *version[] = { cli, "--version", NULL };
  const char *ldd[] = { "ldd", cli, NULL };

  require_install ();
  g_assert_true (g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_cmpint (run (version, &out), ==, 0);
  g_assert_true (g_str_has_prefix (out, "boxmark-cli "));
  /* The headless tool must run on a server without GTK: it links none of it. */
  g_assert_cmpint (run (ldd, &libs), ==, 0);
  g_assert_null (strstr (libs, "libgtk"));
  g_assert_null (strstr (libs, "libgdk"));
  g_assert_nonnull (strstr (libs, "libglib-2.0"));
  if (have_gui ())
    g_assert_true (g_file_test (gui, G_FILE_TEST_IS_EXECUTABLE));
}

static void
test_desktop_entry (void)
{
  g_autofree char *path = installed_path ("BM_DATADIR", "applications", APP_ID ".desktop", NULL);
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *scalable = NULL;
  g_autofree char *symbolic = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *program = NULL;

  if (!have_gui ())
    {
      g_test_skip ("built without the GUI");
      return;
    }
  require_install ();
  g_assert_true (g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_key_file_get_start_group (entry), ==, "Desktop Entry");

  /* The menu entry starts a program that is installed, by the name a desktop's PATH finds. */
  exec = g_key_file_get_string (entry, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  words = g_strsplit (exec, " ", -1);
  g_assert_cmpstr (words[0], ==, "boxmark");
  program = installed_path ("BM_BINDIR", words[0], NULL);
  g_assert_true (g_file_test (program, G_FILE_TEST_IS_EXECUTABLE));

  /* Its icon exists in full colour and as the one-colour symbolic variant. */
  icon = g_key_file_get_string (entry, "Desktop Entry", "Icon", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APP_ID);
  scalable = installed_path ("BM_DATADIR", "icons", "hicolor", "scalable", "apps", APP_ID ".svg", NULL);
  symbolic = installed_path ("BM_DATADIR", "icons", "hicolor", "symbolic", "apps", APP_ID "-symbolic.svg", NULL);
  assert_regular_file (scalable);
  assert_regular_file (symbolic);
}

static void
test_metainfo (void)
{
  g_autofree char *path = installed_path ("BM_DATADIR", "metainfo", APP_ID ".metainfo.xml", NULL);
  g_autofree char *text = NULL;

  if (!have_gui ())
    {
      g_test_skip ("built without the GUI");
      return;
    }
  require_install ();
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  /* Software centres pair the metainfo with the menu entry through this line. */
  g_assert_nonnull (strstr (text, "<launchable type=\"desktop-id\">" APP_ID ".desktop</launchable>"));
  g_assert_nonnull (strstr (text, "<id>" APP_ID "</id>"));
}

/* The installed files, not just the built ones, pass the checkers software centres and desktops
 * use; a tool that is not installed is a skip, not a pass. */
static void
validate_with (const char *tool, const char * const *argv)
{
  g_autofree char *path = g_find_program_in_path (tool);
  g_autofree char *out = NULL;
  int status;

  if (path == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", tool);

      g_test_skip (why);
      return;
    }
  status = run (argv, &out);
  if (status != 0)
    g_printerr ("%s", out);
  g_test_message ("%s: %s", tool, out);
  g_assert_cmpint (status, ==, 0);
}

static void
test_validate_desktop (void)
{
  g_autofree char *path = installed_path ("BM_DATADIR", "applications", APP_ID ".desktop", NULL);
  const char *argv[] = { "desktop-file-validate", path, NULL };

  if (!have_gui ())
    {
      g_test_skip ("built without the GUI");
      return;
    }
  require_install ();
  assert_regular_file (path);
  validate_with (argv[0], argv);
}

static void
test_validate_metainfo (void)
{
  g_autofree char *path = installed_path ("BM_DATADIR", "metainfo", APP_ID ".metainfo.xml", NULL);
  const char *argv[] = { "appstreamcli", "validate", "--no-net", "--explain", path, NULL };

  if (!have_gui ())
    {
      g_test_skip ("built without the GUI");
      return;
    }
  require_install ();
  assert_regular_file (path);
  validate_with (argv[0], argv);
}

/* The installed schema compiles and holds the keys the app reads at start. */
static void
test_schema (void)
{
  g_autofree char *dir = installed_path ("BM_DATADIR", "glib-2.0", "schemas", NULL);
  g_autofree char *xml = g_build_filename (dir, APP_ID ".gschema.xml", NULL);
  g_autofree char *target = g_build_filename (destdir, "compiled-schemas", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  const char *compile[] = { "glib-compile-schemas", "--strict", "--targetdir", target, dir, NULL };

  if (!have_gui ())
    {
      g_test_skip ("built without the GUI");
      return;
    }
  require_install ();
  assert_regular_file (xml);
  g_assert_cmpint (g_mkdir_with_parents (target, 0755), ==, 0);
  g_assert_cmpint (run (compile, &out), ==, 0);
  source = g_settings_schema_source_new_from_directory (target, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  g_assert_nonnull (schema);
  g_assert_true (g_settings_schema_has_key (schema, "recent-folders"));
  g_assert_true (g_settings_schema_has_key (schema, "auto-save"));
}

/* Every language of po/LINGUAS is installed where gettext looks for it. */
static void
test_translations (void)
{
  g_autofree char *linguas_path = g_build_filename (g_getenv ("BM_SOURCE_ROOT"), "po", "LINGUAS", NULL);
  g_autofree char *linguas = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  require_install ();
  g_assert_true (g_file_get_contents (linguas_path, &linguas, NULL, NULL));
  lines = g_strsplit (linguas, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *mo = NULL;
      char *lang = g_strstrip (lines[i]);

      if (lang[0] == '\0' || lang[0] == '#')
        continue;
      mo = installed_path ("BM_LOCALEDIR", lang, "LC_MESSAGES", "boxmark.mo", NULL);
      assert_regular_file (mo);
      n++;
    }
  g_test_message ("%u translations installed", n);
  if (n == 0)
    g_test_skip ("po/LINGUAS lists no language yet");
}

/* The troff text between `.SS "boxmark\-cli COMMAND` and the next subsection. */
static char *
man_subsection (const char *page, const char *command)
{
  g_autofree char *escaped = g_strdup_printf (".SS \"boxmark\\-cli %s ", command);
  const char *start = strstr (page, escaped);
  const char *end;

  if (start == NULL)
    return NULL;
  end = strstr (start + 1, "\n.SS ");
  return end != NULL ? g_strndup (start, (gsize) (end - start)) : g_strdup (start);
}

/* Both pages are installed; the CLI's names every command of `boxmark-cli --help` and every long
 * option of each command's --help, with hyphens escaped as troff wants them. */
static void
test_manual_pages (void)
{
  g_autofree char *cli_page = installed_path ("BM_MANDIR", "man1", "boxmark-cli.1", NULL);
  g_autofree char *gui_page = installed_path ("BM_MANDIR", "man1", "boxmark.1", NULL);
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autofree char *page = NULL;
  g_autofree char *usage = NULL;
  const char *help[] = { cli, "--help", NULL };
  g_auto(GStrv) lines = NULL;
  gboolean in_commands = FALSE;
  guint n_commands = 0, n_options = 0;

  if (g_strcmp0 (g_getenv ("BM_HAVE_MAN"), "1") != 0)
    {
      g_test_skip ("built without help2man: no manual pages");
      return;
    }
  require_install ();
  if (have_gui ())
    assert_regular_file (gui_page);
  g_assert_true (g_file_get_contents (cli_page, &page, NULL, NULL));
  g_assert_true (g_str_has_prefix (page, ".\\\"") || g_str_has_prefix (page, ".TH"));
  g_assert_nonnull (strstr (page, ".SH COMMANDS"));

  g_assert_cmpint (run (help, &usage), ==, 0);
  lines = g_strsplit (usage, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *command_help = NULL;
      g_autofree char *section = NULL;
      g_auto(GStrv) words = NULL;
      g_auto(GStrv) help_lines = NULL;
      const char *command_argv[] = { cli, NULL, "--help", NULL };

      if (g_str_equal (lines[i], "Commands:"))
        {
          in_commands = TRUE;
          continue;
        }
      if (!in_commands || lines[i][0] == '\0')
        {
          in_commands = FALSE;
          continue;
        }
      words = g_strsplit_set (g_strstrip (lines[i]), " ", 2);
      command_argv[1] = words[0];
      section = man_subsection (page, words[0]);
      if (section == NULL)
        g_error ("boxmark-cli.1 has no section for the command %s", words[0]);
      n_commands++;

      g_assert_cmpint (run (command_argv, &command_help), ==, 0);
      help_lines = g_strsplit (command_help, "\n", -1);
      for (guint k = 0; help_lines[k] != NULL; k++)
        {
          const char *option = strstr (help_lines[k], "--");
          g_autofree char *name = NULL;
          g_autofree char *troff = NULL;
          GString *escaped;

          /* Option lines: indented, a dash first, under "… Options:" (not --help itself). */
          if (!g_str_has_prefix (help_lines[k], "  -") || option == NULL
              || g_str_has_prefix (option, "--help"))
            continue;
          name = g_strndup (option, strcspn (option, "= "));
          escaped = g_string_new (NULL);
          for (const char *p = name; *p != '\0'; p++)
            g_string_append (escaped, *p == '-' ? "\\-" : (char[]) { *p, '\0' });
          troff = g_string_free (escaped, FALSE);
          if (strstr (section, troff) == NULL)
            g_error ("boxmark-cli.1 lacks %s %s", words[0], name);
          n_options++;
        }
    }
  g_test_message ("%u commands, %u options in boxmark-cli.1", n_commands, n_options);
  g_assert_cmpuint (n_commands, >=, 7);
  g_assert_cmpuint (n_options, >=, 40);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  destdir = g_dir_make_tmp ("boxmark-install-XXXXXX", NULL);
  g_assert_nonnull (destdir);

  g_test_add_func ("/install/meson-install", test_meson_install);
  g_test_add_func ("/install/programs", test_programs);
  g_test_add_func ("/install/desktop-entry", test_desktop_entry);
  g_test_add_func ("/install/metainfo", test_metainfo);
  g_test_add_func ("/install/validate-desktop", test_validate_desktop);
  g_test_add_func ("/install/validate-metainfo", test_validate_metainfo);
  g_test_add_func ("/install/schema", test_schema);
  g_test_add_func ("/install/translations", test_translations);
  g_test_add_func ("/install/manual-pages", test_manual_pages);
  status = g_test_run ();

  bm_test_remove_tree (destdir);
  g_free (destdir);
  return status;
}
