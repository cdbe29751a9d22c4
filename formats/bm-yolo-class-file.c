/* bm-yolo-class-file.c: which class list (classes.txt, data.yaml) a YOLO label file is read
 * with, cached for a whole folder, and loading a label file for its image; a dataset's layout
 * rules, apart from reading and writing rows.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "bm-yolo-private.h"

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
yaml_has_names (const char *path)
{
  g_autoptr(BmClassList) classes = bm_class_list_load (path, NULL);

  return classes != NULL && bm_class_list_get_n (classes) > 0;
}

static gboolean
has_child_dir (const char *dir, const char *name)
{
  g_autofree char *child = g_build_filename (dir, name, NULL);

  return g_file_test (child, G_FILE_TEST_IS_DIR);
}

static gboolean
is_split_name (const char *name)
{
  return strcmp (name, "train") == 0 || strcmp (name, "valid") == 0 || strcmp (name, "val") == 0
         || strcmp (name, "test") == 0;
}

/* Roboflow's layout: ROOT/data.yaml with ROOT/{train,valid,test}/{images,labels}. A YAML of
 * another name there is not enough: it may well be another dataset's. */
static gboolean
is_roboflow_root (const char *dir, const char *split)
{
  static const char *const splits[] = { "train", "valid", "val", "test" };
  static const char *const lists[] = { "data.yaml", "data.yml", "classes.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autofree char *path = g_build_filename (dir, lists[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    if (strcmp (splits[i], split) != 0 && has_child_dir (dir, splits[i]))
      return TRUE;
  return FALSE;
}

/* The nearest folder named "labels" among @dir and its parents, or NULL. */
static char *
find_labels_folder (const char *dir)
{
  g_autofree char *current = g_strdup (dir);

  for (;;)
    {
      g_autofree char *base = g_path_get_basename (current);
      char *parent;

      if (strcmp (base, "labels") == 0)
        return g_steal_pointer (&current);
      parent = g_path_get_dirname (current);
      if (strcmp (parent, current) == 0)
        {
          g_free (parent);
          return NULL;
        }
      g_free (current);
      current = parent;
    }
}

/* The folders searched for a class list, nearest first: the label folder and its parents up to
 * the dataset root — the folder holding labels/ (Ultralytics), or the one above a split folder
 * holding labels/ (Roboflow) — and never more than two above labels/. A label folder that is
 * not inside a labels/ folder is a flat dataset: only that folder. Nothing outside the dataset
 * may name its classes (a coco.yaml beside it is another dataset's). */
static GPtrArray *
class_search_folders (const char *label_path)
{
  GPtrArray *folders = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_path_get_dirname (label_path);
  g_autofree char *labels = find_labels_folder (dir);
  g_autofree char *current = g_strdup (dir);
  int above_labels = -1;

  g_ptr_array_add (folders, g_strdup (dir));
  if (labels == NULL)
    return folders;
  for (;;)
    {
      g_autofree char *base = g_path_get_basename (current);
      char *parent;

      if (above_labels >= 0)
        above_labels++;
      else if (strcmp (current, labels) == 0)
        above_labels = 0;
      if (above_labels >= 2)
        break;
      if (has_child_dir (current, "labels") || has_child_dir (current, "images"))
        {
          g_autofree char *up = g_path_get_dirname (current);

          if (!is_split_name (base) || !is_roboflow_root (up, base))
            break;
        }
      parent = g_path_get_dirname (current);
      if (strcmp (parent, current) == 0)
        {
          g_free (parent);
          break;
        }
      g_free (current);
      current = parent;
      g_ptr_array_add (folders, g_strdup (current));
    }
  return folders;
}

static char *
search_class_file (const char *label_path)
{
  static const char *const names[] = {
    "data.yaml", "data.yml", "classes.txt", "predefined_classes.txt", "obj.names",
  };
  g_autoptr(GPtrArray) folders = class_search_folders (label_path);

  for (guint level = 0; level < folders->len; level++)
    {
      const char *dir = folders->pdata[level];
      g_autoptr(GDir) handle = NULL;
      g_autoptr(GPtrArray) yamls = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);

          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            return g_steal_pointer (&path);
        }
      handle = g_dir_open (dir, 0, NULL);
      while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
        if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
          g_ptr_array_add (yamls, g_build_filename (dir, name, NULL));
      g_ptr_array_sort (yamls, compare_strings);
      for (guint i = 0; i < yamls->len; i++)
        if (yaml_has_names (yamls->pdata[i]))
          return g_strdup (yamls->pdata[i]);
    }
  return NULL;
}

/* Opening a dataset loads thousands of label files from a few folders: the class file found
 * for a folder and the lists read are remembered (a list is re-read when its file's inode, size
 * or modification time to the nanosecond changes; a folder without a class file is searched
 * again every time). Locked: the GUI loads in worker threads. */
typedef struct
{
  BmClassList *classes;
  gint64 mtime_ns;
  guint64 inode;
  goffset size;
} CachedList;

static GMutex cache_lock;
static GHashTable *class_file_by_dir;   /* label folder → class file */
static GHashTable *list_by_path;        /* class file → CachedList */

static void
cached_list_free (CachedList *cached)
{
  bm_class_list_unref (cached->classes);
  g_free (cached);
}

char *
bm_yolo_find_class_file (const char *label_path)
{
  g_autofree char *dir = NULL;
  char *found = NULL;

  g_return_val_if_fail (label_path != NULL, NULL);

  dir = g_path_get_dirname (label_path);
  g_mutex_lock (&cache_lock);
  if (class_file_by_dir != NULL)
    found = g_strdup (g_hash_table_lookup (class_file_by_dir, dir));
  g_mutex_unlock (&cache_lock);
  if (found != NULL && g_file_test (found, G_FILE_TEST_IS_REGULAR))
    return found;
  g_free (found);

  found = search_class_file (label_path);
  if (found != NULL)
    {
      g_mutex_lock (&cache_lock);
      if (class_file_by_dir == NULL)
        class_file_by_dir = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_replace (class_file_by_dir, g_steal_pointer (&dir), g_strdup (found));
      g_mutex_unlock (&cache_lock);
    }
  return found;
}

static gint64
stat_mtime_ns (const GStatBuf *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

static BmClassList *
load_class_list_cached (const char *path, GError **error)
{
  GStatBuf st;
  CachedList *cached;
  BmClassList *classes = NULL;

  if (g_stat (path, &st) != 0)
    return bm_class_list_load (path, error);
  g_mutex_lock (&cache_lock);
  cached = list_by_path != NULL ? g_hash_table_lookup (list_by_path, path) : NULL;
  if (cached != NULL && cached->mtime_ns == stat_mtime_ns (&st) && cached->inode == (guint64) st.st_ino
      && cached->size == (goffset) st.st_size)
    classes = bm_class_list_ref (cached->classes);
  g_mutex_unlock (&cache_lock);
  if (classes != NULL)
    return classes;

  classes = bm_class_list_load (path, error);
  if (classes == NULL)
    return NULL;
  cached = g_new0 (CachedList, 1);
  cached->classes = bm_class_list_ref (classes);
  cached->mtime_ns = stat_mtime_ns (&st);
  cached->inode = (guint64) st.st_ino;
  cached->size = (goffset) st.st_size;
  g_mutex_lock (&cache_lock);
  if (list_by_path == NULL)
    list_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_list_free);
  g_hash_table_replace (list_by_path, g_strdup (path), cached);
  g_mutex_unlock (&cache_lock);
  return classes;
}

BmAnnotation *
bm_yolo_load_data_for_image (const char *data, gsize length, const char *label_path,
                             const char *image_path, GError **error)
{
  g_autofree char *class_file = NULL;
  g_autoptr(BmClassList) classes = NULL;
  int width = 0, height = 0, channels = 0;
  BmAnnotation *annotation;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (label_path != NULL, NULL);

  class_file = bm_yolo_find_class_file (label_path);
  if (class_file != NULL)
    {
      classes = load_class_list_cached (class_file, error);
      if (classes == NULL)
        return NULL;
    }
  if (image_path == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                   _("%s: the image is missing, so YOLO’s normalised values cannot be read"), label_path);
      return NULL;
    }
  if (!bm_image_read_info (image_path, &width, &height, &channels, error))
    return NULL;
  annotation = bm_yolo_load_data (data, length, label_path, classes, width, height, error);
  if (annotation != NULL)
    {
      bm_annotation_set_image_path (annotation, image_path);
      bm_annotation_set_size (annotation, width, height, channels == 1 || channels == 2 ? 1 : 3);
    }
  return annotation;
}

BmAnnotation *
bm_yolo_load_for_image (const char *label_path, const char *image_path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (label_path != NULL, NULL);

  if (!bm_file_read_all (label_path, &data, &length, error))
    return NULL;
  return bm_yolo_load_data_for_image (data, length, label_path, image_path, error);
}
