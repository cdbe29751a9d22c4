/* bm-style-manager.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-style-manager.h"

#define PORTAL_NAMESPACE "org.freedesktop.appearance"
#define GNOME_INTERFACE_SCHEMA "org.gnome.desktop.interface"

typedef enum
{
  SOURCE_NONE,
  SOURCE_GTK_THEME,
  SOURCE_GNOME_SETTINGS,
  SOURCE_PORTAL,
} Source;

struct _BmStyleManager
{
  GObject parent_instance;

  GSettings *settings;          /* the app's: "color-scheme" */
  GSettings *interface;         /* GNOME's, when it has "color-scheme" */
  GDBusProxy *portal;
  GCancellable *cancellable;
  Source source;
  gboolean portal_prefers_dark;
  gboolean dark;
};

G_DEFINE_FINAL_TYPE (BmStyleManager, bm_style_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_DARK,
  PROP_DESKTOP_PREFERS_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
bm_style_manager_get_desktop_prefers_dark (BmStyleManager *self)
{
  g_return_val_if_fail (BM_IS_STYLE_MANAGER (self), FALSE);

  switch (self->source)
    {
    case SOURCE_PORTAL:
      return self->portal_prefers_dark;
    case SOURCE_GNOME_SETTINGS:
      {
        g_autofree char *scheme = g_settings_get_string (self->interface, "color-scheme");
        return g_str_equal (scheme, "prefer-dark");
      }
    case SOURCE_GTK_THEME:
      {
        GtkSettings *gtk_settings = gtk_settings_get_default ();
        g_autofree char *theme = NULL;

        if (gtk_settings != NULL)
          g_object_get (gtk_settings, "gtk-theme-name", &theme, NULL);
        return theme != NULL && g_str_has_suffix (theme, "-dark");
      }
    case SOURCE_NONE:
    default:
      return FALSE;
    }
}

const char *
bm_style_manager_get_desktop_source (BmStyleManager *self)
{
  static const char * const names[] = { "none", "gtk-theme", "gnome-settings", "portal" };

  g_return_val_if_fail (BM_IS_STYLE_MANAGER (self), NULL);
  return names[self->source];
}

gboolean
bm_style_manager_get_dark (BmStyleManager *self)
{
  g_return_val_if_fail (BM_IS_STYLE_MANAGER (self), FALSE);
  return self->dark;
}

static void
update (BmStyleManager *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  GtkSettings *gtk_settings = gtk_settings_get_default ();
  gboolean dark;

  if (g_str_equal (scheme, "dark"))
    dark = TRUE;
  else if (g_str_equal (scheme, "light"))
    dark = FALSE;
  else
    dark = bm_style_manager_get_desktop_prefers_dark (self);

  if (gtk_settings != NULL)
    g_object_set (gtk_settings, "gtk-application-prefer-dark-theme", dark, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESKTOP_PREFERS_DARK]);
  if (dark == self->dark)
    return;
  self->dark = dark;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
}

/* The portal's color-scheme: 0 no preference, 1 prefer dark, 2 prefer light. Read() wraps the
 * value in one variant more than SettingChanged does. */
static void
take_portal_value (BmStyleManager *self,
                   GVariant       *value)
{
  g_autoptr(GVariant) inner = g_variant_ref (value);

  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *child = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = child;
    }
  if (!g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    return;
  self->source = SOURCE_PORTAL;
  self->portal_prefers_dark = g_variant_get_uint32 (inner) == 1;
  update (self);
}

static void
portal_signal_cb (GDBusProxy     *proxy,
                  const char     *sender,
                  const char     *signal,
                  GVariant       *parameters,
                  BmStyleManager *self)
{
  const char *namespace, *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_str_equal (signal, "SettingChanged")
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_str_equal (namespace, PORTAL_NAMESPACE) && g_str_equal (key, "color-scheme"))
    take_portal_value (self, value);
}

static void
portal_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BmStyleManager) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (reply == NULL)
    {
      /* No portal, or one without the appearance namespace: the other sources stand. */
      g_debug ("settings portal: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &value);
  take_portal_value (self, value);
}

static void
portal_proxy_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BmStyleManager) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, &error);

  if (proxy == NULL)
    {
      g_debug ("settings portal: %s", error->message);
      return;
    }
  self->portal = proxy;
  g_signal_connect_object (proxy, "g-signal", G_CALLBACK (portal_signal_cb), self, 0);
  g_dbus_proxy_call (proxy, "Read", g_variant_new ("(ss)", PORTAL_NAMESPACE, "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, portal_read_cb, g_object_ref (self));
}

static void
watch_gnome_settings (BmStyleManager *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, GNOME_INTERFACE_SCHEMA, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "color-scheme"))
    return;
  self->interface = g_settings_new (GNOME_INTERFACE_SCHEMA);
  self->source = SOURCE_GNOME_SETTINGS;
  g_signal_connect_object (self->interface, "changed::color-scheme", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
}

static void
bm_style_manager_constructed (GObject *object)
{
  BmStyleManager *self = BM_STYLE_MANAGER (object);
  GtkSettings *gtk_settings = gtk_settings_get_default ();

  G_OBJECT_CLASS (bm_style_manager_parent_class)->constructed (object);

  g_signal_connect_object (self->settings, "changed::color-scheme", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  if (gtk_settings != NULL)
    {
      self->source = SOURCE_GTK_THEME;
      g_signal_connect_object (gtk_settings, "notify::gtk-theme-name", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  watch_gnome_settings (self);
  /* Only an existing session bus: no bus is started just to learn a colour. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, NULL,
                              "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                              "org.freedesktop.portal.Settings", self->cancellable, portal_proxy_cb,
                              g_object_ref (self));
  update (self);
}

static void
bm_style_manager_dispose (GObject *object)
{
  BmStyleManager *self = BM_STYLE_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->portal);
  g_clear_object (&self->interface);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (bm_style_manager_parent_class)->dispose (object);
}

static void
bm_style_manager_finalize (GObject *object)
{
  BmStyleManager *self = BM_STYLE_MANAGER (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (bm_style_manager_parent_class)->finalize (object);
}

static void
bm_style_manager_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BmStyleManager *self = BM_STYLE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    case PROP_DESKTOP_PREFERS_DARK:
      g_value_set_boolean (value, bm_style_manager_get_desktop_prefers_dark (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_style_manager_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BmStyleManager *self = BM_STYLE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_style_manager_class_init (BmStyleManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bm_style_manager_constructed;
  object_class->dispose = bm_style_manager_dispose;
  object_class->finalize = bm_style_manager_finalize;
  object_class->get_property = bm_style_manager_get_property;
  object_class->set_property = bm_style_manager_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESKTOP_PREFERS_DARK] =
    g_param_spec_boolean ("desktop-prefers-dark", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bm_style_manager_init (BmStyleManager *self)
{
  self->cancellable = g_cancellable_new ();
}

BmStyleManager *
bm_style_manager_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  return g_object_new (BM_TYPE_STYLE_MANAGER, "settings", settings, NULL);
}
