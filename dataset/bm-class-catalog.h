/* bm-class-catalog.h: the classes offered for labelling, in a stable order.
 *
 * First the folder's class file (classes.txt, predefined_classes.txt or data.yaml, read with
 * formats/bm-class-list.h), then the labels found in label files, in the order they were met.
 * Nothing is ever reordered: the digit keys 1–9 pick the n-th class, and for YOLO the order of
 * classes.txt is the class id. A class the user adds is appended; when the folder's class file
 * is a classes.txt / predefined_classes.txt it is appended to that file too (atomically, the
 * existing bytes kept as they are). data.yaml is never rewritten.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "core/bm-annotation.h"

G_BEGIN_DECLS

#define BM_TYPE_CLASS_CATALOG (bm_class_catalog_get_type ())
G_DECLARE_FINAL_TYPE (BmClassCatalog, bm_class_catalog, BM, CLASS_CATALOG, GObject)

BmClassCatalog *bm_class_catalog_new            (void);

/* The class file of @folder, first of classes.txt, predefined_classes.txt, data.yaml; NULL when
 * there is none. Free with g_free. */
char           *bm_class_catalog_find_class_file (const char *folder);
/* Starts the catalog from the class file @path (any of the three kinds). On error the catalog
 * is left empty and never writes to the file. */
gboolean        bm_class_catalog_load_file      (BmClassCatalog *self, const char *path, GError **error);
/* bm_class_catalog_load_file on the folder's class file; a folder without one is not an error. */
gboolean        bm_class_catalog_load_folder    (BmClassCatalog *self, const char *folder, GError **error);
/* The class file read, or NULL. */
const char     *bm_class_catalog_get_file       (BmClassCatalog *self);
/* TRUE when added classes are written back to the class file. */
gboolean        bm_class_catalog_is_writable    (BmClassCatalog *self);

/* Labels found in label files: appended when new, never written to the class file. */
void            bm_class_catalog_add_found      (BmClassCatalog *self, const char *label);
void            bm_class_catalog_add_found_in   (BmClassCatalog *self, BmAnnotation *annotation);
/* A class the user created: appended to the list and, when writable, to the class file. The
 * name is trimmed first. Returns FALSE (and the class stays in the list, in memory only) when
 * the file could not be written; FALSE with BM_ERROR_INVALID for a name that cannot be a class. */
gboolean        bm_class_catalog_add            (BmClassCatalog *self, const char *name, GError **error);

guint           bm_class_catalog_get_n          (BmClassCatalog *self);
const char     *bm_class_catalog_get_name       (BmClassCatalog *self, guint index);
int             bm_class_catalog_find           (BmClassCatalog *self, const char *name);
/* The class for digit key @digit (1–9): the digit-th class, or NULL. */
const char     *bm_class_catalog_get_for_digit  (BmClassCatalog *self, guint digit);
/* NULL-terminated list of the names; valid until the catalog changes. */
const char * const *bm_class_catalog_get_names  (BmClassCatalog *self);

/* How well @name matches what the user typed: 0 = no match, 3 = equal, 2 = starts with,
 * 1 = contains (case-insensitive). An empty @query matches everything with 1. */
int             bm_class_catalog_match          (const char *name, const char *query);
/* Trimmed copy of @text when it can be a class name (not empty, valid UTF-8, no line break or
 * control character), else NULL. Free with g_free. */
char           *bm_class_catalog_normalize_name (const char *text);

G_END_DECLS
