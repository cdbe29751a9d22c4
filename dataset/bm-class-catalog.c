/* bm-class-catalog.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "bm-class-catalog.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-class-list.h"

struct _BmClassCatalog
{
  GObject parent_instance;

  GPtrArray *names;        /* char *, NULL-terminated */
  GHashTable *index;       /* name → position + 1 */
  char *file;
  gboolean writable;
};

G_DEFINE_FINAL_TYPE (BmClassCatalog, bm_class_catalog, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const class_file_names[] = { "classes.txt", "predefined_classes.txt", "data.yaml" };

static gboolean
is_yaml (const char *path)
{
  return g_str_has_suffix (path, ".yaml") || g_str_has_suffix (path, ".yml");
}

static void
clear (BmClassCatalog *self)
{
  g_ptr_array_set_size (self->names, 0);
  g_ptr_array_add (self->names, NULL);
  g_hash_table_remove_all (self->index);
  g_clear_pointer (&self->file, g_free);
  self->writable = FALSE;
}

/* Appends without notifying; returns whether it was new. */
static gboolean
append (BmClassCatalog *self, const char *name)
{
  char *copy;

  if (g_hash_table_contains (self->index, name))
    return FALSE;
  copy = g_strdup (name);
  g_ptr_array_index (self->names, self->names->len - 1) = copy;
  g_ptr_array_add (self->names, NULL);
  g_hash_table_insert (self->index, copy, GUINT_TO_POINTER (self->names->len - 1));
  return TRUE;
}

char *
bm_class_catalog_find_class_file (const char *folder)
{
  g_return_val_if_fail (folder != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (class_file_names); i++)
    {
      g_autofree char *path = g_build_filename (folder, class_file_names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

gboolean
bm_class_catalog_load_file (BmClassCatalog *self, const char *path, GError **error)
{
  g_autoptr(BmClassList) list = NULL;

  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  clear (self);
  list = bm_class_list_load (path, error);
  if (list == NULL)
    {
      g_signal_emit (self, signals[CHANGED], 0);
      return FALSE;
    }
  for (guint i = 0; i < bm_class_list_get_n (list); i++)
    append (self, bm_class_list_get_name (list, i));
  self->file = g_strdup (path);
  self->writable = !is_yaml (path);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
bm_class_catalog_load_folder (BmClassCatalog *self, const char *folder, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  path = bm_class_catalog_find_class_file (folder);
  if (path == NULL)
    {
      clear (self);
      g_signal_emit (self, signals[CHANGED], 0);
      return TRUE;
    }
  return bm_class_catalog_load_file (self, path, error);
}

const char *
bm_class_catalog_get_file (BmClassCatalog *self)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), NULL);
  return self->file;
}

gboolean
bm_class_catalog_is_writable (BmClassCatalog *self)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), FALSE);
  return self->writable;
}

void
bm_class_catalog_add_found (BmClassCatalog *self, const char *label)
{
  g_return_if_fail (BM_IS_CLASS_CATALOG (self));

  if (label == NULL || label[0] == '\0')
    return;
  if (append (self, label))
    g_signal_emit (self, signals[CHANGED], 0);
}

void
bm_class_catalog_add_found_in (BmClassCatalog *self, BmAnnotation *annotation)
{
  gboolean changed = FALSE;

  g_return_if_fail (BM_IS_CLASS_CATALOG (self));
  g_return_if_fail (BM_IS_ANNOTATION (annotation));

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      const char *label = bm_object_get_label (bm_annotation_get_object (annotation, i));

      if (label != NULL && label[0] != '\0')
        changed |= append (self, label);
    }
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

char *
bm_class_catalog_normalize_name (const char *text)
{
  g_autofree char *name = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  name = g_strstrip (g_strdup (text));
  if (name[0] == '\0')
    return NULL;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return NULL;
  return g_steal_pointer (&name);
}

/* Appends @name as a new last line of the class file. The existing bytes stay as they are,
 * except blank lines and spaces at the very end, which would otherwise shift the new id. */
static gboolean
append_to_file_locked (BmClassCatalog *self, const char *name, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr(BmClassList) current = NULL;
  g_autoptr(GString) out = NULL;
  gsize length = 0, keep;
  const char *newline;

  if (!bm_file_read_all (self->file, &data, &length, error))
    return FALSE;
  /* Read again: someone may have changed the file since we loaded it. */
  current = bm_class_list_load_txt_data (data, length, self->file, error);
  if (current == NULL)
    return FALSE;
  if (bm_class_list_find (current, name) >= 0)
    return TRUE;

  newline = strstr (data, "\r\n") != NULL ? "\r\n" : strchr (data, '\r') != NULL ? "\r" : "\n";
  keep = length;
  while (keep > 0 && g_ascii_isspace (data[keep - 1]))
    keep--;
  out = g_string_new_len (data, (gssize) keep);
  if (keep > 0)
    g_string_append (out, newline);
  g_string_append (out, name);
  g_string_append (out, newline);
  return bm_file_write_atomic (self->file, out->str, out->len, error);
}

/* The read, the check and the write under the folder lock: another Boxmark adding a class
 * meanwhile is not lost. */
static gboolean
append_to_file (BmClassCatalog *self, const char *name, GError **error)
{
  BmFolderLock *lock = bm_folder_lock (self->file);
  gboolean ok = append_to_file_locked (self, name, error);

  bm_folder_lock_release (lock);
  return ok;
}

gboolean
bm_class_catalog_add (BmClassCatalog *self, const char *name, GError **error)
{
  g_autofree char *clean = NULL;
  gboolean added;

  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), FALSE);

  clean = bm_class_catalog_normalize_name (name);
  if (clean == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("“%s” cannot be a class name"), name ? name : "");
      return FALSE;
    }
  added = append (self, clean);
  if (added)
    g_signal_emit (self, signals[CHANGED], 0);
  if (self->writable)
    return append_to_file (self, clean, error);
  return TRUE;
}

guint
bm_class_catalog_get_n (BmClassCatalog *self)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), 0);
  return self->names->len - 1;
}

const char *
bm_class_catalog_get_name (BmClassCatalog *self, guint index)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), NULL);
  g_return_val_if_fail (index < self->names->len - 1, NULL);
  return g_ptr_array_index (self->names, index);
}

int
bm_class_catalog_find (BmClassCatalog *self, const char *name)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), -1);

  if (name == NULL)
    return -1;
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->index, name)) - 1;
}

const char *
bm_class_catalog_get_for_digit (BmClassCatalog *self, guint digit)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), NULL);

  if (digit < 1 || digit > 9 || digit > bm_class_catalog_get_n (self))
    return NULL;
  return g_ptr_array_index (self->names, digit - 1);
}

const char * const *
bm_class_catalog_get_names (BmClassCatalog *self)
{
  g_return_val_if_fail (BM_IS_CLASS_CATALOG (self), NULL);
  return (const char * const *) self->names->pdata;
}

int
bm_class_catalog_match (const char *name, const char *query)
{
  g_autofree char *n = NULL;
  g_autofree char *q = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (name != NULL, 0);

  trimmed = g_strstrip (g_strdup (query ? query : ""));
  if (trimmed[0] == '\0')
    return 1;
  n = g_utf8_casefold (name, -1);
  q = g_utf8_casefold (trimmed, -1);
  if (strcmp (n, q) == 0)
    return 3;
  if (g_str_has_prefix (n, q))
    return 2;
  return strstr (n, q) != NULL ? 1 : 0;
}

static void
bm_class_catalog_finalize (GObject *object)
{
  BmClassCatalog *self = BM_CLASS_CATALOG (object);

  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->names);
  g_free (self->file);
  G_OBJECT_CLASS (bm_class_catalog_parent_class)->finalize (object);
}

static void
bm_class_catalog_class_init (BmClassCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bm_class_catalog_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_class_catalog_init (BmClassCatalog *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->names, NULL);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
}

BmClassCatalog *
bm_class_catalog_new (void)
{
  return g_object_new (BM_TYPE_CLASS_CATALOG, NULL);
}
