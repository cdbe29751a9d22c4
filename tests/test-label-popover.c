/* test-label-popover.c: the label popover under a display (Xvfb): filtering, keyboard choice,
 * new labels, cancel.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>

#include "dataset/bm-class-catalog.h"
#include "widgets/bm-label-popover.h"

typedef struct
{
  char *dir;
  BmClassCatalog *catalog;
  GtkWidget *window;
  GtkWidget *anchor;
  BmLabelPopover *popover;
  char *chosen;
  gboolean chosen_is_new;
  guint n_chosen;
  guint n_cancelled;
} Fixture;

static void
label_chosen_cb (BmLabelPopover *popover,
                 const char     *label,
                 gboolean        is_new,
                 Fixture        *f)
{
  g_free (f->chosen);
  f->chosen = g_strdup (label);
  f->chosen_is_new = is_new;
  f->n_chosen++;
}

static void
cancelled_cb (BmLabelPopover *popover,
              Fixture        *f)
{
  f->n_cancelled++;
}

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
pop_up (Fixture *f)
{
  gtk_popover_popup (GTK_POPOVER (f->popover));
  while (!gtk_widget_get_mapped (GTK_WIDGET (f->popover)))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
entry_of (Fixture *f)
{
  GtkWidget *entry = find_descendant (GTK_WIDGET (f->popover), GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);
  return entry;
}

/* Sends a key press to the popover's own key handler on the entry. */
static gboolean
press_key (Fixture         *f,
           guint            keyval,
           GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (entry_of (f));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *classes = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("bm-popover-XXXXXX", &error);
  g_assert_no_error (error);
  classes = g_build_filename (f->dir, "classes.txt", NULL);
  g_assert_true (g_file_set_contents (classes, "person\ncar\ncart\nbicycle\ntraffic light\n", -1, NULL));
  f->catalog = bm_class_catalog_new ();
  g_assert_true (bm_class_catalog_load_folder (f->catalog, f->dir, &error));
  g_assert_no_error (error);
  bm_class_catalog_add_found (f->catalog, "carrot");

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 400);
  f->anchor = gtk_button_new_with_label ("anchor");
  gtk_window_set_child (GTK_WINDOW (f->window), f->anchor);
  f->popover = BM_LABEL_POPOVER (bm_label_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (f->popover), f->anchor);
  bm_label_popover_set_catalog (f->popover, f->catalog);
  g_signal_connect (f->popover, "label-chosen", G_CALLBACK (label_chosen_cb), f);
  g_signal_connect (f->popover, "cancelled", G_CALLBACK (cancelled_cb), f);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *classes = g_build_filename (f->dir, "classes.txt", NULL);

  /* Closed and its window hidden before anything is destroyed: a tooltip timeout GTK started
   * for the widget under the pointer otherwise fires after the surface is gone and asks it for
   * the pointer's position (a critical in GTK 4.8, about one run in four under Xvfb). */
  gtk_popover_popdown (GTK_POPOVER (f->popover));
  gtk_widget_set_visible (f->window, FALSE);
  while (gtk_widget_get_mapped (f->window) || gtk_widget_get_mapped (GTK_WIDGET (f->popover)))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
  gtk_widget_unparent (GTK_WIDGET (f->popover));
  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  g_clear_object (&f->catalog);
  g_free (f->chosen);
  g_unlink (classes);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
assert_matches (Fixture           *f,
                const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (bm_label_popover_get_n_matches (f->popover), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (bm_label_popover_get_match (f->popover, i), ==, expected[i]);
}

static void
test_filtering (Fixture       *f,
                gconstpointer  data)
{
  pop_up (f);
  g_assert_true (gtk_widget_is_focus (entry_of (f)) || gtk_widget_has_focus (entry_of (f)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (f->popover))), entry_of (f)));

  /* Nothing typed: every class, in catalog order (class file first, then found labels). */
  assert_matches (f, (const char *[]) { "person", "car", "cart", "bicycle", "traffic light", "carrot", NULL });
  g_assert_cmpstr (bm_label_popover_get_selected (f->popover), ==, "person");

  /* Typing filters: equal first, then prefixes, then the rest, each in catalog order. */
  gtk_editable_set_text (GTK_EDITABLE (entry_of (f)), "CAR");
  assert_matches (f, (const char *[]) { "car", "cart", "carrot", NULL });
  g_assert_cmpstr (bm_label_popover_get_selected (f->popover), ==, "car");
  gtk_editable_set_text (GTK_EDITABLE (entry_of (f)), "ar");
  assert_matches (f, (const char *[]) { "car", "cart", "carrot", NULL });
  gtk_editable_set_text (GTK_EDITABLE (entry_of (f)), "light");
  assert_matches (f, (const char *[]) { "traffic light", NULL });
  gtk_editable_set_text (GTK_EDITABLE (entry_of (f)), "zzz");
  assert_matches (f, (const char *[]) { NULL });
  g_assert_null (bm_label_popover_get_selected (f->popover));

  /* A class added while open shows up at the end. */
  gtk_editable_set_text (GTK_EDITABLE (entry_of (f)), "");
  bm_class_catalog_add_found (f->catalog, "zebra");
  g_assert_cmpuint (bm_label_popover_get_n_matches (f->popover), ==, 7);
  g_assert_cmpstr (bm_label_popover_get_match (f->popover, 6), ==, "zebra");
  g_assert_cmpuint (f->n_chosen, ==, 0);
}

static void
test_keyboard_choice (Fixture       *f,
                      gconstpointer  data)
{
  pop_up (f);
  bm_label_popover_set_text (f->popover, "car");
  /* Down moves the highlight; Enter takes it and closes. */
  g_assert_true (press_key (f, GDK_KEY_Down, 0));
  g_assert_cmpstr (bm_label_popover_get_selected (f->popover), ==, "cart");
  g_assert_true (press_key (f, GDK_KEY_Down, 0));
  g_assert_true (press_key (f, GDK_KEY_Down, 0));
  g_assert_cmpstr (bm_label_popover_get_selected (f->popover), ==, "carrot");
  g_assert_true (press_key (f, GDK_KEY_Up, 0));
  g_assert_cmpstr (bm_label_popover_get_selected (f->popover), ==, "cart");
  g_assert_false (press_key (f, GDK_KEY_Return, 0));   /* plain Enter goes to the entry */
  g_signal_emit_by_name (entry_of (f), "activate");
  iterate ();
  g_assert_cmpuint (f->n_chosen, ==, 1);
  g_assert_cmpstr (f->chosen, ==, "cart");
  g_assert_false (f->chosen_is_new);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->popover)));
  g_assert_cmpuint (f->n_cancelled, ==, 0);

  /* Nothing matches: Enter creates the typed label (trimmed). */
  pop_up (f);
  bm_label_popover_set_text (f->popover, "  truck ");
  g_signal_emit_by_name (entry_of (f), "activate");
  iterate ();
  g_assert_cmpuint (f->n_chosen, ==, 2);
  g_assert_cmpstr (f->chosen, ==, "truck");
  g_assert_true (f->chosen_is_new);

  /* Shift+Enter takes the text as typed even when classes match it. */
  pop_up (f);
  bm_label_popover_set_text (f->popover, "ca");
  g_assert_cmpuint (bm_label_popover_get_n_matches (f->popover), ==, 3);
  g_assert_true (press_key (f, GDK_KEY_Return, GDK_SHIFT_MASK));
  iterate ();
  g_assert_cmpuint (f->n_chosen, ==, 3);
  g_assert_cmpstr (f->chosen, ==, "ca");
  g_assert_true (f->chosen_is_new);

  /* Nothing typed and nothing to choose: Enter does nothing and the popover stays. */
  bm_label_popover_set_catalog (f->popover, NULL);
  pop_up (f);
  bm_label_popover_set_text (f->popover, "   ");
  g_assert_false (bm_label_popover_choose (f->popover, FALSE));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->popover)));
  g_assert_cmpuint (f->n_chosen, ==, 3);
  /* The popover never writes the class file. */
  {
    g_autofree char *classes = g_build_filename (f->dir, "classes.txt", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (classes, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, "person\ncar\ncart\nbicycle\ntraffic light\n");
  }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  pop_up (f);
  bm_label_popover_set_text (f->popover, "car");
  /* Escape in the search entry. */
  g_signal_emit_by_name (entry_of (f), "stop-search");
  iterate ();
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_cmpuint (f->n_chosen, ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->popover)));

  /* Closed any other way (a click outside): cancelled once. */
  pop_up (f);
  gtk_popover_popdown (GTK_POPOVER (f->popover));
  iterate ();
  g_assert_cmpuint (f->n_cancelled, ==, 2);

  /* A choice is not also a cancellation. */
  pop_up (f);
  bm_label_popover_set_text (f->popover, "person");
  g_assert_true (bm_label_popover_choose (f->popover, FALSE));
  iterate ();
  g_assert_cmpuint (f->n_cancelled, ==, 2);
  g_assert_cmpuint (f->n_chosen, ==, 1);
  g_assert_cmpstr (f->chosen, ==, "person");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }

  g_test_add ("/label-popover/filtering", Fixture, NULL, fixture_set_up, test_filtering, fixture_tear_down);
  g_test_add ("/label-popover/keyboard-choice", Fixture, NULL, fixture_set_up, test_keyboard_choice, fixture_tear_down);
  g_test_add ("/label-popover/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);

  return g_test_run ();
}
