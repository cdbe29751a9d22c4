/* test-i18n.c: translations. Every file with user-visible strings is listed in po/POTFILES.in
 * (sorted), every language of po/LINGUAS translates every message of the current sources (no
 * untranslated, no fuzzy entry, formats checked by msgfmt), and boxmark-cli speaks Chinese under
 * LANGUAGE=zh_CN with the catalogue of this build (BOXMARK_LOCALEDIR = build/po).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "tests/bm-test-util.h"

static const char *
source_root (void)
{
  const char *dir = g_getenv ("BM_SOURCE_ROOT");

  g_assert_nonnull (dir);
  return dir;
}

static GPtrArray *
read_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0' && lines[i][0] != '#')
        g_ptr_array_add (out, g_strdup (lines[i]));
    }
  return out;
}

/* TRUE when @path (relative to the source root) holds strings xgettext must see. */
static gboolean
has_translatable_strings (const char *path, const char *text)
{
  static GRegex *marker;

  if (g_str_has_suffix (path, ".desktop.in") || g_str_has_suffix (path, ".metainfo.xml.in")
      || g_str_has_suffix (path, ".gschema.xml"))
    return TRUE;
  if (marker == NULL)
    /* A gettext call on a literal (its first literal argument, after the domain for the d-forms),
     * or a translatable GtkBuilder property. Comments such as "marked with N_()" do not match. */
    marker = g_regex_new ("(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext)\\s*\\(\\s*\""
                          "|g_d(n|c|p)?gettext2?\\s*\\(\\s*GETTEXT_PACKAGE\\s*,\\s*\""
                          "|translatable=\"yes\"",
                          G_REGEX_OPTIMIZE, 0, NULL);
  return g_regex_match (marker, text, 0, NULL);
}

static void
collect_sources (const char *root, const char *relative, GPtrArray *out)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *full = g_build_filename (root, child, NULL);
      g_autofree char *text = NULL;

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        {
          collect_sources (root, child, out);
          continue;
        }
      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".cc") && !g_str_has_suffix (name, ".h")
          && !g_str_has_suffix (name, ".ui") && !g_str_has_suffix (name, ".in") && !g_str_has_suffix (name, ".xml"))
        continue;
      g_assert_true (g_file_get_contents (full, &text, NULL, NULL));
      if (has_translatable_strings (child, text))
        g_ptr_array_add (out, g_steal_pointer (&child));
    }
}

static void
test_potfiles_complete (void)
{
  static const char *const dirs[] = { "app", "core", "dataset", "formats", "widgets", "resources" };
  g_autofree char *potfiles_path = g_build_filename (source_root (), "po", "POTFILES.in", NULL);
  g_autoptr(GPtrArray) listed = read_lines (potfiles_path);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GHashTable) in_list = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < listed->len; i++)
    {
      const char *path = listed->pdata[i];
      g_autofree char *full = g_build_filename (source_root (), path, NULL);

      g_hash_table_add (in_list, (gpointer) path);
      if (i > 0 && strcmp (listed->pdata[i - 1], path) >= 0)
        g_string_append_printf (problems, "po/POTFILES.in: %s is out of order (keep the list sorted)\n", path);
      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (problems, "po/POTFILES.in: %s does not exist\n", path);
    }
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    collect_sources (source_root (), dirs[i], found);
  g_assert_cmpuint (found->len, >, 20);   /* the walk found the sources */
  for (guint i = 0; i < found->len; i++)
    if (!g_hash_table_contains (in_list, found->pdata[i]))
      g_string_append_printf (problems, "%s has translatable strings but is not in po/POTFILES.in\n",
                              (char *) found->pdata[i]);
  if (problems->len > 0)
    {
      g_auto(GStrv) lines = g_strsplit (problems->str, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_test_message ("%s", lines[i]);
      g_test_fail_printf ("po/POTFILES.in is incomplete (listed above)");
    }
}

static gboolean
run (const char *const *argv, const char *const *envp, char **out, char **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

/* Extracts the messages of the current sources into @pot with the arguments of meson's
 * i18n.gettext (preset: 'glib'), the `meson compile boxmark-pot` of po/meson.build. */
static void
extract_messages (const char *pot)
{
  g_autofree char *potfiles = g_build_filename (source_root (), "po", "POTFILES.in", NULL);
  const char *const argv[] = {
    "xgettext", "--package-name=boxmark", "-f", potfiles, "-D", source_root (), "-k_", "-o", pot,
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format", "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
    NULL,
  };
  g_autofree char *err = NULL;

  if (!run (argv, NULL, NULL, &err))
    g_test_fail_printf ("xgettext failed: %s", err);
}

static void
test_catalogues_complete (void)
{
  g_autofree char *linguas_path = g_build_filename (source_root (), "po", "LINGUAS", NULL);
  g_autoptr(GPtrArray) languages = read_lines (linguas_path);
  g_autofree char *tmp = NULL;
  g_autofree char *pot = NULL;

  if (g_find_program_in_path ("xgettext") == NULL || g_find_program_in_path ("msgmerge") == NULL
      || g_find_program_in_path ("msgfmt") == NULL || g_find_program_in_path ("msgattrib") == NULL)
    {
      g_test_skip ("gettext (xgettext, msgmerge, msgfmt, msgattrib) is not installed");
      return;
    }
  g_assert_cmpuint (languages->len, >=, 1);
  tmp = g_dir_make_tmp ("boxmark-i18n-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  pot = g_build_filename (tmp, "boxmark.pot", NULL);
  extract_messages (pot);

  for (guint i = 0; i < languages->len; i++)
    {
      const char *lang = languages->pdata[i];
      g_autofree char *po_name = g_strconcat (lang, ".po", NULL);
      g_autofree char *po = g_build_filename (source_root (), "po", po_name, NULL);
      g_autofree char *merged = g_build_filename (tmp, po_name, NULL);
      const char *const merge[] = { "msgmerge", "--quiet", "--no-location", "-o", merged, po, pot, NULL };
      const char *const check_po[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL };
      const char *const check_merged[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", merged, NULL };
      const char *const untranslated[] = { "msgattrib", "--untranslated", "--no-obsolete", merged, NULL };
      const char *const fuzzy[] = { "msgattrib", "--only-fuzzy", "--no-obsolete", merged, NULL };
      g_autofree char *err = NULL;
      g_autofree char *stats = NULL;
      g_autofree char *list_untranslated = NULL;
      g_autofree char *list_fuzzy = NULL;

      /* The file as committed: valid, formats and accelerators consistent (c-format checked). */
      if (!run (check_po, NULL, NULL, &err))
        {
          g_test_fail_printf ("po/%s: msgfmt --check: %s", po_name, err);
          continue;
        }
      g_clear_pointer (&err, g_free);
      /* Against the current sources: a message added or changed since is untranslated or fuzzy. */
      if (!run (merge, NULL, NULL, &err))
        {
          g_test_fail_printf ("msgmerge po/%s: %s", po_name, err);
          continue;
        }
      g_assert_true (run (check_merged, NULL, NULL, &stats));
      g_test_message ("%s: %s", lang, stats);
      g_assert_true (run (untranslated, NULL, &list_untranslated, NULL));
      g_assert_true (run (fuzzy, NULL, &list_fuzzy, NULL));
      if (strstr (stats, "untranslated") != NULL || strstr (stats, "fuzzy") != NULL)
        {
          g_auto(GStrv) lines_untranslated = g_strsplit (list_untranslated, "\n", -1);
          g_auto(GStrv) lines_fuzzy = g_strsplit (list_fuzzy, "\n", -1);

          /* one message per line: TAP takes only "#" lines as comments */
          g_test_message ("po/%s is behind the sources; translate these:", po_name);
          for (guint k = 0; lines_untranslated[k] != NULL; k++)
            g_test_message ("%s", lines_untranslated[k]);
          for (guint k = 0; lines_fuzzy[k] != NULL; k++)
            g_test_message ("%s", lines_fuzzy[k]);
          g_test_fail_printf ("po/%s is behind the sources (%s); run `meson compile -C BUILD boxmark-update-po` "
                              "and translate what is listed above", po_name, g_strstrip (stats));
        }
    }
  bm_test_remove_tree (tmp);
}

/* The menu entry and the software-centre description carry every language of po/LINGUAS
 * (i18n.merge_file in resources/meson.build). */
static void
test_desktop_metainfo_translated (void)
{
  g_autofree char *linguas_path = g_build_filename (source_root (), "po", "LINGUAS", NULL);
  g_autoptr(GPtrArray) languages = read_lines (linguas_path);
  g_autofree char *desktop_path = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "resources",
                                                    "io.github.boxmark.Boxmark.desktop", NULL);
  g_autofree char *metainfo_path = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "resources",
                                                     "io.github.boxmark.Boxmark.metainfo.xml", NULL);
  g_autofree char *desktop = NULL;
  g_autofree char *metainfo = NULL;

  if (!g_file_get_contents (desktop_path, &desktop, NULL, NULL)
      || !g_file_get_contents (metainfo_path, &metainfo, NULL, NULL))
    {
      g_test_skip ("built without the GUI (no .desktop or metainfo)");
      return;
    }
  for (guint i = 0; i < languages->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("\nName[%s]=", (char *) languages->pdata[i]);
      g_autofree char *comment = g_strdup_printf ("\nComment[%s]=", (char *) languages->pdata[i]);
      g_autofree char *summary = g_strdup_printf ("<summary xml:lang=\"%s\">", (char *) languages->pdata[i]);
      g_autofree char *paragraph = g_strdup_printf ("<p xml:lang=\"%s\">", (char *) languages->pdata[i]);

      g_assert_nonnull (strstr (desktop, name));
      g_assert_nonnull (strstr (desktop, comment));
      g_assert_nonnull (strstr (metainfo, summary));
      g_assert_nonnull (strstr (metainfo, paragraph));
    }
  g_assert_nonnull (strstr (desktop, "Comment[zh_CN]=为目标检测数据集标注和审核边界框"));
}

static const char *
cli (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  return path;
}

/* The environment of a Chinese desktop whose system locale is C.UTF-8 (always present, so the
 * test needs no generated locale; glibc honours LANGUAGE for any locale but plain "C"). */
static char **
chinese_environment (void)
{
  g_autofree char *localedir = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "po", NULL);
  char **envp = g_get_environ ();

  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "zh_CN", TRUE);
  envp = g_environ_setenv (envp, "BOXMARK_LOCALEDIR", localedir, TRUE);
  return envp;
}

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef))
        return TRUE;
    }
  return FALSE;
}

static void
test_cli_help_chinese (void)
{
  g_auto(GStrv) envp = chinese_environment ();
  const char *const help[] = { cli (), "--help", NULL };
  const char *const convert_help[] = { cli (), "convert", "--help", NULL };
  const char *const bad[] = { cli (), "convert", NULL };
  g_autofree char *out = NULL;
  g_autofree char *convert_out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (run (help, (const char *const *) envp, &out, NULL));
  g_assert_nonnull (strstr (out, "用法：boxmark-cli"));
  g_assert_nonnull (strstr (out, "命令："));
  g_assert_nonnull (strstr (out, "在 Pascal VOC、DOTA 和 YOLO 之间转换数据集"));
  /* Every command's summary is Chinese, not only the first lines. */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "  "))
      {
        if (!has_cjk (lines[i]))
          g_test_fail_printf ("untranslated line of boxmark-cli --help: %s", lines[i]);
      }

  /* A command's --help: GOption's own words (glib's catalogue) and ours. */
  g_assert_true (run (convert_help, (const char *const *) envp, &convert_out, NULL));
  g_assert_nonnull (strstr (convert_out, "将 SRC 中的数据集"));
  g_assert_nonnull (strstr (convert_out, "输出文件夹（新的或空的）"));
  g_assert_null (strstr (convert_out, "Converts the dataset"));

  /* A usage error. */
  g_assert_false (run (bad, (const char *const *) envp, NULL, &err));
  g_assert_true (has_cjk (err));
  g_assert_null (strstr (err, "is required"));
}

/* Without LANGUAGE the same build speaks English: the test above saw the catalogue, not a default. */
static void
test_cli_help_english (void)
{
  g_auto(GStrv) envp = chinese_environment ();
  const char *const help[] = { cli (), "--help", NULL };
  g_autofree char *out = NULL;

  envp = g_environ_unsetenv (envp, "LANGUAGE");
  g_assert_true (run (help, (const char *const *) envp, &out, NULL));
  g_assert_nonnull (strstr (out, "Usage: boxmark-cli"));
  g_assert_false (has_cjk (out));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "C.UTF-8");   /* the messages quote Chinese text */
  g_test_add_func ("/i18n/potfiles-complete", test_potfiles_complete);
  g_test_add_func ("/i18n/catalogues-complete", test_catalogues_complete);
  g_test_add_func ("/i18n/desktop-metainfo-translated", test_desktop_metainfo_translated);
  g_test_add_func ("/i18n/cli-help-chinese", test_cli_help_chinese);
  g_test_add_func ("/i18n/cli-help-english", test_cli_help_english);
  return g_test_run ();
}
