/* bm-class-list.h: the ordered class list that gives YOLO class ids their names.
 *
 * Read from classes.txt / predefined_classes.txt (one name per line, id = line order) or from an
 * Ultralytics / Roboflow data.yaml, parsed by libyaml (any YAML: block or flow lists, `names` as a
 * list or an {id: name} mapping with the ids 0 … n-1, quotes, comments, anchors and aliases,
 * `<<` merge keys); Boxmark reads `names`, `nc`, `path`, `train`, `val` (or `validation`) and
 * `test`, and ignores the other keys.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _BmClassList BmClassList;

#define BM_TYPE_CLASS_LIST (bm_class_list_get_type ())
GType        bm_class_list_get_type      (void) G_GNUC_CONST;

BmClassList *bm_class_list_new           (void);
BmClassList *bm_class_list_ref           (BmClassList *self);
void         bm_class_list_unref         (BmClassList *self);

/* A .yaml/.yml file is read as data.yaml, anything else as one name per line. Errors are
 * BM_ERROR_PARSE / BM_ERROR_INVALID with the message "FILE:LINE: problem". */
BmClassList *bm_class_list_load          (const char *path, GError **error);
BmClassList *bm_class_list_load_txt_data (const char *data, gsize length, const char *path, GError **error);
BmClassList *bm_class_list_load_yaml_data (const char *data, gsize length, const char *path, GError **error);

guint        bm_class_list_get_n         (BmClassList *self);
const char  *bm_class_list_get_name      (BmClassList *self, guint id);
/* The id of @name, or -1. */
int          bm_class_list_find          (BmClassList *self, const char *name);
/* Like find, but when there is no exact match, the one class whose name equals @name once
 * spaces, hyphens and underscores are treated alike and case is ignored ("storage-tank" finds
 * DOTAv1.yaml's "storage tank"). -1 when none or more than one match. */
int          bm_class_list_find_loose    (BmClassList *self, const char *name);
/* Appends @name when it is not in the list yet; returns its id. */
guint        bm_class_list_add           (BmClassList *self, const char *name);

/* For a list read from data.yaml: the value of a top-level key ("path", "train", "val",
 * "test"), NULL when absent or empty. A list value gives its first item. */
const char  *bm_class_list_get_yaml_value (BmClassList *self, const char *key);
/* The file the list was read from, or NULL. */
const char  *bm_class_list_get_path      (BmClassList *self);

/* Whether @name can be one line of classes.txt: no line break or other control character (a
 * tab is fine). */
gboolean     bm_class_list_name_fits_a_line (const char *name);
/* The id of the first name that does not fit a line, or -1. */
int          bm_class_list_find_unfit_name  (BmClassList *self);
/* @label as a class name a class list can hold: line breaks and other control characters (not
 * tabs) become spaces. Free with g_free. */
char        *bm_class_list_make_name     (const char *label);
/* classes.txt text: one name per line. Check bm_class_list_find_unfit_name() first: a name that
 * does not fit a line is written as bm_class_list_make_name() gives it, only so that line
 * numbers stay ids. Free with g_free. */
char        *bm_class_list_to_txt        (BmClassList *self);
/* A YAML scalar for @name, quoted only when plain YAML would change it. Free with g_free. */
char        *bm_class_list_yaml_quote    (const char *name);
/* data.yaml text with path, train, val and names ({id: name} lines). Free with g_free. */
char        *bm_class_list_to_yaml       (BmClassList *self, const char *path, const char *train, const char *val);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmClassList, bm_class_list_unref)

G_END_DECLS
