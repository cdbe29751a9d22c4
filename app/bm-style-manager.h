/* bm-style-manager.h: light or dark, chosen by the user or following the desktop.
 *
 * GTK 4.8 has only gtk-application-prefer-dark-theme (libadwaita, which reads the desktop's
 * colour scheme itself, is not used), so this object asks the desktop: the settings portal's
 * org.freedesktop.appearance color-scheme when a session bus is there (and follows its changes),
 * else GNOME's org.gnome.desktop.interface color-scheme, else a GTK theme named "…-dark". The
 * app's own "color-scheme" key ("system", "light", "dark") decides, and the result is set on
 * the default GtkSettings.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BM_TYPE_STYLE_MANAGER (bm_style_manager_get_type ())
G_DECLARE_FINAL_TYPE (BmStyleManager, bm_style_manager, BM, STYLE_MANAGER, GObject)

/* @settings: the app's settings, holding the "color-scheme" key. */
BmStyleManager *bm_style_manager_new                     (GSettings      *settings);
/* Whether the window is drawn dark now. */
gboolean        bm_style_manager_get_dark                 (BmStyleManager *self);
/* Whether the desktop asks for dark (what "system" follows). */
gboolean        bm_style_manager_get_desktop_prefers_dark (BmStyleManager *self);
/* Where that came from: "portal", "gnome-settings", "gtk-theme" or "none". */
const char     *bm_style_manager_get_desktop_source       (BmStyleManager *self);

G_END_DECLS
