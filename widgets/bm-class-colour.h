/* bm-class-colour.h: the stable colour of a class, shared by the canvas and the panels.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

/* The same label always gets the same colour, in every run and on every machine. */
void bm_class_colour_for_label (const char *label, GdkRGBA *colour);

G_END_DECLS
