/* bm-application.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-application.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "core/bm-file-util.h"
#include "bm-style-manager.h"
#include "bm-window.h"

#define RESOURCE_PATH "/io/github/boxmark/Boxmark"

static const char * const sample_files[] = { "astronaut.jpg", "astronaut.xml" };

struct _BmApplication
{
  GtkApplication parent_instance;

  GSettings *settings;
  BmStyleManager *style_manager;
  char *predictions;      /* --predictions, compared once the folder is open */
};

G_DEFINE_FINAL_TYPE (BmApplication, bm_application, GTK_TYPE_APPLICATION)

static BmWindow *
get_window (BmApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BM_IS_WINDOW (window))
    return BM_WINDOW (window);
  return bm_window_new (GTK_APPLICATION (self));
}

/* What a start without arguments shows: the last folder, or the sample on the very first run. */
static void
open_default (BmApplication *self,
              BmWindow      *window)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-folders");
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;

  if (recent[0] != NULL && g_file_test (recent[0], G_FILE_TEST_IS_DIR))
    {
      bm_window_open_path (window, recent[0]);
      return;
    }
  if (g_settings_get_boolean (self->settings, "sample-installed"))
    return;

  sample = bm_application_install_sample (&error);
  if (sample == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  g_settings_set_boolean (self->settings, "sample-installed", TRUE);
  bm_window_open_path (window, sample);
}

/* `boxmark DIR --predictions PATH`: the window compares once DIR is open. */
static void
compare_predictions (BmApplication *self,
                     BmWindow      *window)
{
  g_autofree char *path = g_steal_pointer (&self->predictions);

  if (path != NULL)
    bm_window_compare_predictions (window, path);
}

static void
bm_application_activate (GApplication *application)
{
  BmApplication *self = BM_APPLICATION (application);
  gboolean is_new = gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL;
  BmWindow *window = get_window (self);

  if (is_new)
    open_default (self, window);
  compare_predictions (self, window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
bm_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  BmApplication *self = BM_APPLICATION (application);
  BmWindow *window = get_window (self);
  g_autofree char *path = n_files > 0 ? g_file_get_path (files[0]) : NULL;

  if (path != NULL)
    bm_window_open_path (window, path);
  compare_predictions (self, window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  const char *authors[] = { _("The Boxmark developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (application),
                         "program-name", "Boxmark",
                         "logo-icon-name", BM_APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Label and review object-detection datasets"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = gtk_application_get_windows (application);

  /* Closing each window saves what it still holds. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "quit", .activate = quit_action },
};

static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static int
bm_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  BmApplication *self = BM_APPLICATION (application);
  g_autofree char *path = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("boxmark %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "predictions", "^ay", &path))
    self->predictions = g_canonicalize_filename (path, NULL);
  return -1;
}

static void
bm_application_startup (GApplication *application)
{
  BmApplication *self = BM_APPLICATION (application);

  G_APPLICATION_CLASS (bm_application_parent_class)->startup (application);

  /* Here rather than in init, so that --help and --version answer without a schema. */
  self->settings = g_settings_new (BM_APPLICATION_ID);
  self->style_manager = bm_style_manager_new (self->settings);
  /* Light / Dark / Follow System: radio items of the main menu, the state kept in the key. */
  {
    g_autoptr(GAction) color_scheme = g_settings_create_action (self->settings, "color-scheme");
    g_action_map_add_action (G_ACTION_MAP (application), color_scheme);
  }

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions, G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  load_css ();
}

static void
bm_application_dispose (GObject *object)
{
  BmApplication *self = BM_APPLICATION (object);

  g_clear_object (&self->style_manager);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->predictions, g_free);
  G_OBJECT_CLASS (bm_application_parent_class)->dispose (object);
}

static void
bm_application_class_init (BmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bm_application_dispose;
  app_class->handle_local_options = bm_application_handle_local_options;
  app_class->startup = bm_application_startup;
  app_class->activate = bm_application_activate;
  app_class->open = bm_application_open;
}

static void
bm_application_init (BmApplication *self)
{
  static const GOptionEntry entries[] = {
    { "predictions", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Compare the folder’s labels with these predictions (a results file or folder)"), N_("PATH") },
    { NULL }
  };

  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, _("Show the version and exit"), NULL);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FOLDER | IMAGE]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Label and review object-detection datasets: boxes, rotated "
                                              "boxes and quadrilaterals in Pascal VOC, DOTA and YOLO."));
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

BmApplication *
bm_application_new (void)
{
  return g_object_new (BM_TYPE_APPLICATION,
                       "application-id", BM_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

BmStyleManager *
bm_application_get_style_manager (BmApplication *self)
{
  g_return_val_if_fail (BM_IS_APPLICATION (self), NULL);
  return self->style_manager;
}

char *
bm_application_install_sample (GError **error)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "boxmark", "sample", NULL);

  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (sample_files); i++)
    {
      g_autofree char *resource = g_strdup_printf (RESOURCE_PATH "/sample/%s", sample_files[i]);
      g_autofree char *path = g_build_filename (folder, sample_files[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      gsize size;
      const char *data;

      /* The user may have labelled the sample: never overwrite it. */
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &size);
      if (!bm_file_write_atomic (path, data, size, error))
        return NULL;
    }
  return g_steal_pointer (&folder);
}
