/* test-i18n-gui.c: the window in Chinese. Runs under LANGUAGE=zh_CN.UTF-8 with the catalogue of
 * this build (BOXMARK_LOCALEDIR = build/po), opens the bundled sample, opens the augmentation
 * preview, the dataset overview and the shortcuts window, and walks every widget (labels, button
 * and menu labels, tooltips, placeholders, drop-down items, window and shortcut titles). Any text
 * without a Chinese character that holds an English word is a string left untranslated; names
 * (Boxmark, YOLO, VOC, DOTA, …), keys and units are allowed, and so is the data: file names,
 * class names and the folder's path.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "app/bm-window.h"
#include "core/bm-cascade-names.h"
#include "tests/bm-test-window.h"
#include "tests/bm-test-util.h"

static char *tmp_root;

/* Words that stay as they are in a Chinese UI: product, format and framework names, keys, units. */
static const char *const allowed_words[] = {
  "Boxmark", "YOLO", "OBB", "VOC", "Pascal", "DOTA", "ONNX", "IoU", "NMS", "HSV", "RGB", "EXIF",
  "PNG", "JPEG", "JPG", "png", "jpg", "jpeg", "xml", "txt", "yaml", "csv", "svg",
  "Ultralytics", "PaddleDetection", "Albumentations", "MMDetection", "OpenCV", "ImgSplit",
  "Ctrl", "Shift", "Alt", "Esc", "Enter", "Tab", "Backspace", "Delete", "Home", "End", "Space",
  "F2", "F5", "F9", "F10", "px", "GB", "MB",
  NULL,
};

typedef struct
{
  GHashTable *allowed;     /* words */
  GString    *untranslated;
  guint       n_checked;
  guint       n_chinese;
} Walk;

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

/* Adds every run of ASCII letters and digits of @text to @words. */
static void
add_words (GHashTable *words, const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (*p != '\0' && g_ascii_isalnum (*p))
        p++;
      if (p > start)
        g_hash_table_add (words, g_strndup (start, p - start));
    }
}

/* A string with no Chinese character and at least one English word (two letters or more) that
 * is neither a name, key or unit nor a word of the data. */
static gboolean
is_untranslated (Walk *walk, const char *text)
{
  const char *p = text;

  if (has_cjk (text))
    return FALSE;
  while (*p != '\0')
    {
      const char *start;
      g_autofree char *word = NULL;
      gboolean letters = TRUE;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (*p != '\0' && g_ascii_isalnum (*p))
        {
          letters = letters && g_ascii_isalpha (*p);
          p++;
        }
      if (p - start < 2 || !letters)
        continue;
      word = g_strndup (start, p - start);
      if (!g_hash_table_contains (walk->allowed, word))
        return TRUE;
    }
  return FALSE;
}

static void
check (Walk *walk, const char *where, const char *what, const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;
  walk->n_checked++;
  if (has_cjk (text))
    walk->n_chinese++;
  if (is_untranslated (walk, text))
    g_string_append_printf (walk->untranslated, "%s %s: “%s”\n", where, what, text);
}

static void
check_menu_model (Walk *walk, const char *where, GMenuModel *model)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check (walk, where, "menu item", label);
      while (g_menu_link_iter_get_next (links, NULL, &link))
        {
          check_menu_model (walk, where, link);
          g_object_unref (link);
        }
    }
}

static void
check_string_property (Walk *walk, GObject *object, const char *where, const char *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_autofree char *value = NULL;

  if (pspec == NULL || pspec->value_type != G_TYPE_STRING)
    return;
  g_object_get (object, property, &value, NULL);
  check (walk, where, property, value);
}

static void
check_widget (Walk *walk, GtkWidget *widget)
{
  const char *where = G_OBJECT_TYPE_NAME (widget);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  check (walk, where, "tooltip", tooltip);
  /* (monospace labels show machine text, such as the augmentation recipe as its sidecar file has it) */
  if (GTK_IS_LABEL (widget) && !gtk_widget_has_css_class (widget, "monospace"))
    check (walk, where, "text", gtk_label_get_text (GTK_LABEL (widget)));
  /* Windows, the shortcuts window's sections, groups and shortcuts. */
  check_string_property (walk, G_OBJECT (widget), where, "title");
  check_string_property (walk, G_OBJECT (widget), where, "subtitle");
  check_string_property (walk, G_OBJECT (widget), where, "placeholder-text");
  if (GTK_IS_PROGRESS_BAR (widget) && gtk_progress_bar_get_show_text (GTK_PROGRESS_BAR (widget)))
    check (walk, where, "text", gtk_progress_bar_get_text (GTK_PROGRESS_BAR (widget)));
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL)
    check_menu_model (walk, where, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));
  if (GTK_IS_POPOVER_MENU (widget) && gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (widget)) != NULL)
    check_menu_model (walk, where, gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (widget)));
  if (GTK_IS_DROP_DOWN (widget) && gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) != NULL)
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);

          if (GTK_IS_STRING_OBJECT (item))
            check (walk, where, "drop-down item", gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
        }
    }
  /* Popovers are children of the widget they point at, so this reaches them too. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    check_widget (walk, child);
}

/* The bundled sample (astronaut.jpg and its VOC labels) in a folder of its own. */
static char *
sample_folder (GHashTable *data_words)
{
  static const char *const files[] = { "astronaut.jpg", "astronaut.xml" };
  char *folder = g_build_filename (tmp_root, "sample", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *resource = g_strconcat ("/io/github/boxmark/Boxmark/sample/", files[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, 0, NULL);
      g_autofree char *path = g_build_filename (folder, files[i], NULL);
      gsize size;
      const char *data;

      g_assert_nonnull (bytes);
      data = g_bytes_get_data (bytes, &size);
      g_assert_true (g_file_set_contents (path, data, size, NULL));
      if (g_str_has_suffix (files[i], ".xml"))
        {
          /* the class names and the folder and file names the label file records, not its tags */
          g_autoptr(GRegex) values = g_regex_new ("<(name|filename|folder)>([^<]*)<", 0, 0, NULL);
          g_autoptr(GMatchInfo) match = NULL;
          g_autofree char *text = g_strndup (data, size);

          for (g_regex_match (values, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
            {
              g_autofree char *value = g_match_info_fetch (match, 2);

              add_words (data_words, value);
            }
        }
    }
  add_words (data_words, folder);
  return folder;
}

static void
test_window_chinese (void)
{
  Walk walk = { 0 };
  g_autofree char *folder = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *shortcuts;
  BmWindow *window;
  GListModel *toplevels;
  guint n_windows = 0;

  /* The catalogue of this build is the one in use. */
  g_assert_cmpstr (_("Open Folder"), ==, "打开文件夹");

  walk.allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk.untranslated = g_string_new (NULL);
  for (guint i = 0; allowed_words[i] != NULL; i++)
    g_hash_table_add (walk.allowed, g_strdup (allowed_words[i]));
  /* The cascades are named as `boxmark-cli detect --cascade` takes them (face, eye, …). */
  for (const char *const *name = bm_cascade_names_list (); *name != NULL; name++)
    add_words (walk.allowed, *name);
  folder = sample_folder (walk.allowed);

  window = bm_test_window_open (folder);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.augment-preview", NULL));
  bm_test_wait_until_idle (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.overview", NULL));
  bm_test_wait_until_idle (window);
  while (bm_window_get_overview (window) != NULL && g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  builder = gtk_builder_new_from_resource ("/io/github/boxmark/Boxmark/gtk/help-overlay.ui");
  shortcuts = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_nonnull (shortcuts);
  gtk_window_present (GTK_WINDOW (shortcuts));
  bm_test_iterate ();

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      check_widget (&walk, toplevel);
      n_windows++;
    }
  check (&walk, "BmWindow", "status", bm_window_get_status_text (window));
  check (&walk, "BmWindow", "banner", bm_window_get_banner_text (window));

  g_test_message ("%u windows, %u strings checked, %u in Chinese", n_windows, walk.n_checked, walk.n_chinese);
  if (walk.untranslated->len > 0)
    {
      g_auto(GStrv) lines = g_strsplit (walk.untranslated->str, "\n", -1);

      g_test_message ("left in English:");
      for (guint i = 0; lines[i] != NULL; i++)
        g_test_message ("%s", lines[i]);
    }
  /* the main window, the augmentation preview, the overview and the shortcuts */
  g_assert_cmpuint (n_windows, >=, 4);
  g_assert_cmpuint (walk.n_chinese, >=, 150);
  g_assert_cmpstr (walk.untranslated->str, ==, "");

  gtk_window_destroy (GTK_WINDOW (shortcuts));
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
  g_string_free (walk.untranslated, TRUE);
  g_hash_table_unref (walk.allowed);
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("BOXMARK_LOCALEDIR");
  int status;

  tmp_root = bm_test_window_setup (&argc, &argv, "i18n-gui", "BOXMARK_LOCALEDIR", "LANGUAGE", NULL);
  if (tmp_root == NULL)
    return 0;
  /* What app/main.c does, with this build's catalogue. bm_test_window_setup chose C.UTF-8, for
   * which glibc honours LANGUAGE (zh_CN.UTF-8 here). */
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/i18n-gui/window-chinese", test_window_chinese);
  status = g_test_run ();
  bm_test_remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
