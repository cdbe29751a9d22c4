/* test-style-gui.c: Light / Dark / Follow System (app.color-scheme) changes the setting and
 * GTK's gtk-application-prefer-dark-theme; "system" follows the desktop's preference (here
 * GNOME's color-scheme key, the source used without a session bus); the main menu offers the
 * three choices. Needs a display.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gtk/gtk.h>

#include "app/bm-application.h"
#include "bm-test-util.h"
#include "bm-test-window.h"

static BmApplication *app;

static gboolean
prefer_dark (void)
{
  gboolean dark;

  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  return dark;
}

static char *
scheme_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BM_APPLICATION_ID);

  return g_settings_get_string (settings, "color-scheme");
}

static void
choose (const char *scheme)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "color-scheme", g_variant_new_string (scheme));
  bm_test_iterate ();
}

static void
test_light_and_dark (void)
{
  BmStyleManager *style = bm_application_get_style_manager (app);
  g_autoptr(GVariant) state = NULL;
  g_autofree char *after_dark = NULL;
  g_autofree char *after_light = NULL;

  g_assert_nonnull (style);
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "color-scheme");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "system");

  choose ("dark");
  after_dark = scheme_setting ();
  g_assert_cmpstr (after_dark, ==, "dark");
  g_assert_true (prefer_dark ());
  g_assert_true (bm_style_manager_get_dark (style));

  choose ("light");
  after_light = scheme_setting ();
  g_assert_cmpstr (after_light, ==, "light");
  g_assert_false (prefer_dark ());
  g_assert_false (bm_style_manager_get_dark (style));
}

static void
test_follow_system (void)
{
  BmStyleManager *style = bm_application_get_style_manager (app);
  g_autoptr(GSettings) desktop = NULL;

  if (!g_str_equal (bm_style_manager_get_desktop_source (style), "gnome-settings"))
    {
      g_test_skip ("the desktop preference comes from elsewhere (no GNOME schema, or a portal)");
      return;
    }
  desktop = g_settings_new ("org.gnome.desktop.interface");
  g_settings_set_string (desktop, "color-scheme", "default");
  choose ("system");
  g_assert_false (prefer_dark ());

  /* The desktop changes its mind while Boxmark runs: the window follows at once. */
  g_settings_set_string (desktop, "color-scheme", "prefer-dark");
  bm_test_iterate ();
  g_assert_true (bm_style_manager_get_desktop_prefers_dark (style));
  g_assert_true (prefer_dark ());

  /* A choice of the user's wins over the desktop. */
  choose ("light");
  g_assert_false (prefer_dark ());
  choose ("system");
  g_assert_true (prefer_dark ());
  g_settings_set_string (desktop, "color-scheme", "prefer-light");
  bm_test_iterate ();
  g_assert_false (prefer_dark ());
}

static void
collect_targets (GMenuModel *model, GPtrArray *targets)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;
      const char *name;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action)
          && g_str_equal (action, "app.color-scheme"))
        {
          g_autoptr(GVariant) target =
            g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

          g_assert_nonnull (target);
          g_ptr_array_add (targets, g_variant_dup_string (target, NULL));
        }
      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_get_next (links, &name, &link))
        {
          collect_targets (link, targets);
          g_object_unref (link);
        }
    }
}

static GtkMenuButton *
find_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL)
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The window's main menu holds the three radio items, and they act on the application. */
static void
test_menu (void)
{
  BmWindow *window = bm_window_new (GTK_APPLICATION (app));
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *titlebar;
  GtkMenuButton *button = NULL;

  gtk_window_present (GTK_WINDOW (window));
  bm_test_iterate ();
  titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  if (titlebar != NULL)
    button = find_menu_button (titlebar);
  if (button == NULL)
    button = find_menu_button (GTK_WIDGET (window));
  g_assert_nonnull (button);
  collect_targets (gtk_menu_button_get_menu_model (button), targets);
  g_assert_cmpuint (targets->len, ==, 3);
  g_assert_cmpstr (targets->pdata[0], ==, "system");
  g_assert_cmpstr (targets->pdata[1], ==, "light");
  g_assert_cmpstr (targets->pdata[2], ==, "dark");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.color-scheme", "s", "dark"));
  bm_test_iterate ();
  g_assert_true (prefer_dark ());
  gtk_window_destroy (GTK_WINDOW (window));
  bm_test_iterate ();
}

int
main (int argc, char *argv[])
{
  g_autofree char *tmp = bm_test_window_setup (&argc, &argv, "style", NULL);
  g_autoptr(GError) error = NULL;
  int status;

  if (tmp == NULL)
    return 0;
  app = bm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* Registering runs startup: settings, the style manager and the app actions. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/style/light-and-dark", test_light_and_dark);
  g_test_add_func ("/style/follow-system", test_follow_system);
  g_test_add_func ("/style/menu", test_menu);
  status = g_test_run ();

  g_object_unref (app);
  bm_test_remove_tree (tmp);
  return status;
}
