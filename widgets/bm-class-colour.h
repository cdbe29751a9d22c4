/* bm-class-colour.h: the colour of a class, shared by the canvas and the panels.
 *
 * The classes of the dataset's class order (its class file, then the labels met, as kept by
 * BmClassCatalog) take the colours of a fixed palette in that order: class i gets palette
 * colour i, so the same class file gives the same colours in every run, and appending a class
 * never recolours the others. A label outside the order gets a colour derived from its name,
 * kept away from the palette colours in use where possible.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>
#include "dataset/bm-class-catalog.h"

G_BEGIN_DECLS

void    bm_class_colour_for_label      (const char *label, GdkRGBA *colour);

/* The class order: @labels[i] gets palette colour i (beyond the palette, a colour kept away
 * from all of it). An order that only appends to the current one keeps every colour given.
 * Open windows are redrawn when colours change. @labels may be NULL when @n is 0. */
void    bm_class_colour_set_order      (const char *const *labels,
                                        guint              n);
/* Keeps the class order equal to @catalog's names whenever it changes. With several catalogs
 * followed (several windows), the one that changed last wins; a finalized one is dropped. */
void    bm_class_colour_follow_catalog (BmClassCatalog    *catalog);

guint   bm_class_colour_get_n_palette  (void);
void    bm_class_colour_get_palette    (guint              index,
                                        GdkRGBA           *colour);

/* CIELAB (D65) of an sRGB colour, and the CIEDE2000 difference of two CIELAB colours: about 2
 * is just noticeable, above 15 reads as another colour. */
void    bm_class_colour_to_lab         (const GdkRGBA     *colour,
                                        double             lab[3]);
double  bm_class_colour_difference     (const double       lab1[3],
                                        const double       lab2[3]);

G_END_DECLS
