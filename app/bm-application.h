/* bm-application.h: the GtkApplication: windows, command line, first-run sample.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "bm-style-manager.h"

G_BEGIN_DECLS

#define BM_APPLICATION_ID "io.github.boxmark.Boxmark"

#define BM_TYPE_APPLICATION (bm_application_get_type ())
G_DECLARE_FINAL_TYPE (BmApplication, bm_application, BM, APPLICATION, GtkApplication)

BmApplication *bm_application_new            (void);
/* Light or dark, after the "color-scheme" setting and the desktop; NULL before startup. */
BmStyleManager *bm_application_get_style_manager (BmApplication *self);

/* Copies the bundled sample (an image and its VOC file) to the user data folder, unless it is
 * there already, and returns that folder. */
char          *bm_application_install_sample (GError **error);

G_END_DECLS
