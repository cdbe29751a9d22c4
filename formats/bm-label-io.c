/* bm-label-io.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "bm-dota.h"
#include "bm-label-io.h"
#include "bm-voc.h"
#include "bm-yolo.h"

#define SIDECAR_NAME ".boxmark-verified"

/* Serialises sidecar reads with writes between threads; read-modify-write also holds the
 * folder lock (taken first, always), which keeps other processes out. */
static GMutex sidecar_lock;

static char *
sidecar_path_for (const char *label_path)
{
  g_autofree char *dir = g_path_get_dirname (label_path);

  return g_build_filename (dir, SIDECAR_NAME, NULL);
}

static GPtrArray *
read_sidecar (const char *sidecar)
{
  g_autofree char *contents = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  if (!bm_file_read_all (sidecar, &contents, NULL, NULL))
    return names;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (names, g_strdup (lines[i]));
  return names;
}

static gboolean
names_contain (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
bm_label_sidecar_is_verified (const char *label_path)
{
  g_autofree char *sidecar = sidecar_path_for (label_path);
  g_autofree char *name = g_path_get_basename (label_path);
  g_autoptr(GPtrArray) names = NULL;

  g_mutex_lock (&sidecar_lock);
  names = read_sidecar (sidecar);
  g_mutex_unlock (&sidecar_lock);
  return names_contain (names, name);
}

/* One name a line, atomically. Call with sidecar_lock held. */
static gboolean
write_sidecar_names (const char *sidecar, GPtrArray *names, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (names, i));
  return bm_file_write_atomic (sidecar, out->str, out->len, error);
}

static gboolean
remove_sidecar (const char *sidecar, GError **error)
{
  int saved_errno;

  if (g_remove (sidecar) == 0)
    return TRUE;
  saved_errno = errno;
  if (saved_errno == ENOENT)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_IO, "%s: %s", sidecar, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_sidecar_entry (const char *label_path, gboolean verified, GError **error)
{
  g_autofree char *sidecar = sidecar_path_for (label_path);
  g_autofree char *name = g_path_get_basename (label_path);
  g_autoptr(GPtrArray) names = NULL;
  BmFolderLock *folder = bm_folder_lock (sidecar);
  gboolean ok = TRUE;

  g_mutex_lock (&sidecar_lock);
  names = read_sidecar (sidecar);
  if (verified != names_contain (names, name))
    {
      if (verified)
        g_ptr_array_add (names, g_strdup (name));
      else
        for (guint i = 0; i < names->len; i++)
          if (strcmp (g_ptr_array_index (names, i), name) == 0)
            g_ptr_array_remove_index (names, i--);
      /* An empty sidecar says nothing: un-verifying the last file leaves no stray file behind. */
      if (names->len == 0)
        ok = remove_sidecar (sidecar, error);
      else
        ok = write_sidecar_names (sidecar, names, error);
    }
  g_mutex_unlock (&sidecar_lock);
  bm_folder_lock_release (folder);
  return ok;
}

gboolean
bm_label_sidecar_set_verified (const char *label_path, gboolean verified, GError **error)
{
  g_return_val_if_fail (label_path != NULL, FALSE);

  return write_sidecar_entry (label_path, verified, error);
}

gboolean
bm_label_write_sidecar (const char *label_dir, GPtrArray *verified_names, GError **error)
{
  g_autofree char *sidecar = NULL;
  g_autoptr(BmFolderLock) folder = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (label_dir != NULL, FALSE);
  g_return_val_if_fail (verified_names != NULL, FALSE);

  sidecar = g_build_filename (label_dir, SIDECAR_NAME, NULL);
  for (guint i = 0; i < verified_names->len; i++)
    {
      const char *name = g_ptr_array_index (verified_names, i);

      /* a line per name: a name with a line break (or a folder) cannot be listed */
      if (name[0] == '\0' || strpbrk (name, "\n" G_DIR_SEPARATOR_S) != NULL)
        {
          g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                       _("%s: “%s” cannot be listed as verified (one plain file name per line)"), sidecar, name);
          return FALSE;
        }
    }
  folder = bm_folder_lock (sidecar);
  g_mutex_lock (&sidecar_lock);
  if (verified_names->len > 0 || g_file_test (sidecar, G_FILE_TEST_EXISTS))
    ok = write_sidecar_names (sidecar, verified_names, error);
  g_mutex_unlock (&sidecar_lock);
  return ok;
}

gboolean
bm_label_write_sidecars (GPtrArray *verified_paths, GError **error)
{
  g_autoptr(GHashTable) by_folder = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new ();

  g_return_val_if_fail (verified_paths != NULL, FALSE);

  by_folder = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < verified_paths->len; i++)
    {
      const char *path = g_ptr_array_index (verified_paths, i);
      g_autofree char *folder = g_path_get_dirname (path);
      GPtrArray *names = g_hash_table_lookup (by_folder, folder);

      if (names == NULL)
        {
          names = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (folders, folder);
          g_hash_table_insert (by_folder, g_steal_pointer (&folder), names);
        }
      g_ptr_array_add (names, g_path_get_basename (path));
    }
  for (guint i = 0; i < folders->len; i++)
    if (!bm_label_write_sidecar (folders->pdata[i], g_hash_table_lookup (by_folder, folders->pdata[i]), error))
      return FALSE;
  return TRUE;
}

static BmAnnotation *
new_empty_annotation (const BmDatasetItem *item)
{
  BmAnnotation *annotation = bm_annotation_new ();

  bm_annotation_set_format (annotation, item->format);
  bm_annotation_set_label_path (annotation, item->label_path);
  return annotation;
}

/* DOTA lines end with a class name and YOLO rows hold only numbers, so the content tells them
 * apart more reliably than a folder guess (a flat folder can hold both). */
static BmFormat
txt_format_of (const BmDatasetItem *item, const char *data, gsize length)
{
  BmFormat sniffed = bm_dataset_sniff_txt_data (data, length);

  return sniffed != BM_FORMAT_NONE ? sniffed : item->format;
}

/* Without its image a YOLO file cannot be turned into pixels, but its rows can still be checked:
 * they load in normalised units and the size stays unknown. */
static BmAnnotation *
load_yolo_without_image (const char *data, gsize length, const char *label_path, GError **error)
{
  g_autofree char *class_file = bm_yolo_find_class_file (label_path);
  g_autoptr(BmClassList) classes = NULL;
  BmAnnotation *annotation;

  if (class_file != NULL && (classes = bm_class_list_load (class_file, error)) == NULL)
    return NULL;
  annotation = bm_yolo_load_data (data, length, label_path, classes, 1, 1, error);
  if (annotation != NULL)
    bm_annotation_set_size (annotation, 0, 0, 0);
  return annotation;
}

static BmAnnotation *
load_label_data (const BmDatasetItem *item, const char *data, gsize length, BmLabelLoadFlags flags,
                 GError **error)
{
  BmFormat format = item->format;
  BmAnnotation *annotation;

  /* In labelTxt/ or labels/ the layout says what the file is; only a flat folder's guess is
   * checked against the content. */
  if (item->format_guessed)
    format = txt_format_of (item, data, length);
  switch (format)
    {
    case BM_FORMAT_VOC:
      annotation = bm_voc_load_data_full (data, length, item->label_path,
                                          (flags & BM_LABEL_LOAD_FOR_READING) ? BM_VOC_LOAD_NO_BACKING : 0,
                                          error);
      if (annotation != NULL)
        bm_annotation_set_label_path (annotation, item->label_path);
      return annotation;
    case BM_FORMAT_DOTA:
      return bm_dota_load_data (data, length, item->label_path, error);
    case BM_FORMAT_YOLO:
      if (item->image_path == NULL)
        return load_yolo_without_image (data, length, item->label_path, error);
      return bm_yolo_load_data_for_image (data, length, item->label_path, item->image_path, error);
    case BM_FORMAT_NONE:
    default:
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: unknown label format"),
                   item->label_path);
      return NULL;
    }
}

BmAnnotation *
bm_label_load (const BmDatasetItem *item, GError **error)
{
  return bm_label_load_full (item, BM_LABEL_LOAD_DEFAULT, error);
}

BmAnnotation *
bm_label_load_full (const BmDatasetItem *item, BmLabelLoadFlags flags, GError **error)
{
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  BmFileStamp stamp = { 0 };

  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (item->label_path != NULL, NULL);

  /* The disk, not the dataset scan, says whether the label exists: the window may have written
   * the first label file of an image since the folder was opened. */
  /* Only an annotation that may be saved needs the stamp's hash (see bm_label_save). */
  if ((flags & BM_LABEL_LOAD_FOR_READING)
      ? bm_file_read_all (item->label_path, &data, &length, &read_error)
      : bm_file_read_all_stamped (item->label_path, &data, &length, &stamp, &read_error))
    {
      /* read-only annotations are never saved: their stamp only says the file exists */
      stamp.exists = TRUE;
      annotation = load_label_data (item, data, length, flags, error);
    }
  else if (g_error_matches (read_error, BM_ERROR, BM_ERROR_NOT_FOUND))
    annotation = new_empty_annotation (item);
  else
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return NULL;
    }
  if (annotation == NULL)
    return NULL;
  bm_annotation_set_file_stamp (annotation, &stamp);

  if (item->image_path != NULL)
    {
      bm_annotation_set_image_path (annotation, item->image_path);
      if (bm_annotation_get_width (annotation) <= 0 || bm_annotation_get_height (annotation) <= 0)
        {
          int width = 0, height = 0, channels = 0;
          /* Without a readable header the size stays unknown; the canvas fills it on decode. */
          if (bm_image_read_info (item->image_path, &width, &height, &channels, NULL))
            bm_annotation_set_size (annotation, width, height, channels == 1 || channels == 2 ? 1 : 3);
        }
    }
  if (item->format != BM_FORMAT_VOC && stamp.exists)
    bm_annotation_set_verified (annotation, bm_label_sidecar_is_verified (item->label_path));
  if (item->label_shared)
    bm_annotation_add_problem (annotation,
                               bm_problem_new (item->label_path, 0,
                                               _("belongs to more than one image (the same name with another extension); rename one of the images")));
  return g_steal_pointer (&annotation);
}

static gboolean
save_in_format (BmAnnotation *annotation, const char *path, GError **error)
{
  switch (bm_annotation_get_format (annotation))
    {
    case BM_FORMAT_VOC:
    case BM_FORMAT_NONE:
      bm_annotation_set_format (annotation, BM_FORMAT_VOC);
      return bm_voc_save (annotation, path, error);
    case BM_FORMAT_DOTA:
      return bm_dota_save (annotation, path, error)
             && write_sidecar_entry (path, bm_annotation_get_verified (annotation), error);
    case BM_FORMAT_YOLO:
      return bm_yolo_save (annotation, path, error)
             && write_sidecar_entry (path, bm_annotation_get_verified (annotation), error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* The label folders of the layouts: a new label file elsewhere in such a dataset is a stray. */
static gboolean
holds_label_folder (const char *dir, const char *except)
{
  static const char *const names[] = { "Annotations", "labelTxt", "labels" };
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (g_ascii_strcasecmp (name, names[i]) == 0)
        {
          g_autofree char *child = g_build_filename (dir, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && g_strcmp0 (child, except) != 0)
            return TRUE;
        }
  return FALSE;
}

/* A new label file in the image folder of a VOC, DOTA or YOLO dataset (images/x.xml next to
 * annotations/) would never be read by the dataset and would hide the image's real labels:
 * refused, whoever asks (an image opened alone, a script). A flat folder that merely holds a
 * folder of that name elsewhere is not judged. */
static gboolean
check_not_a_stray (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *parent = g_path_get_dirname (dir);
  gboolean image_folder = g_ascii_strcasecmp (base, "images") == 0 || g_ascii_strcasecmp (base, "JPEGImages") == 0;

  if (!image_folder || !holds_label_folder (parent, dir))
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
               _("%s: a new label file here would lie outside the dataset’s label folder, where nothing reads it; open the dataset folder (%s) instead — nothing was saved"),
               path, parent);
  return FALSE;
}

/* With the label folder locked: the file still holds what was read, then the new bytes. */
static gboolean
save_locked (BmAnnotation *annotation, const char *path, char **notice, GError **error)
{
  const BmFileStamp *loaded = bm_annotation_get_file_stamp (annotation);
  g_autofree char *contents = NULL;
  BmFileStamp stamp;

  if (loaded != NULL && !bm_file_check_unchanged (path, loaded, error))
    return FALSE;
  if (!save_in_format (annotation, path, error))
    return FALSE;
  /* What is on disk now, hashed, for the next save's comparison. */
  if (!bm_file_read_all_stamped (path, &contents, NULL, &stamp, NULL))
    bm_file_stamp_read (path, &stamp);
  if (notice != NULL && loaded != NULL && loaded->exists && stamp.exists && loaded->uid != stamp.uid)
    {
      g_autofree char *shown = bm_path_display (path);
      *notice = g_strdup_printf (_("%s: saved, and now owned by you instead of user %u (only root can keep another user’s file theirs; its group and permissions are kept)"),
                                 shown, (guint) loaded->uid);
    }
  bm_annotation_set_file_stamp (annotation, &stamp);
  return TRUE;
}

static gboolean
check_saveable (BmAnnotation *annotation, const char *path, GError **error)
{
  if (bm_annotation_is_read_only (annotation))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s: the file has problems and is not saved over; fix it first"), path);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !check_not_a_stray (path, error))
    return FALSE;
  return TRUE;
}

gboolean
bm_label_save (BmAnnotation *annotation, GError **error)
{
  return bm_label_save_full (annotation, NULL, error);
}

gboolean
bm_label_save_full (BmAnnotation *annotation, char **notice, GError **error)
{
  g_autoptr(BmFolderLock) lock = NULL;
  const char *path;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);

  path = bm_annotation_get_label_path (annotation);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!check_saveable (annotation, path, error))
    return FALSE;
  /* Held from the comparison through the rename: two writers cannot both replace the same
   * original (the second one is told the file changed). */
  lock = bm_folder_lock (path);
  return save_locked (annotation, path, notice, error);
}

int
bm_label_update (const BmDatasetItem *item, BmLabelUpdateFunc update, gpointer user_data,
                 char **notice, GError **error)
{
  g_autoptr(BmFolderLock) lock = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  int changes;

  g_return_val_if_fail (item != NULL && item->label_path != NULL, -1);
  g_return_val_if_fail (update != NULL, -1);

  /* Held from reading to the rename: no other Boxmark writer's change can land in between and
   * be lost, and nobody waits on a conflict. */
  lock = bm_folder_lock (item->label_path);
  annotation = bm_label_load (item, error);
  if (annotation == NULL)
    return -1;
  if (!check_saveable (annotation, item->label_path, error))
    return -1;
  changes = update (annotation, user_data, error);
  if (changes <= 0)
    return changes;
  if (!save_locked (annotation, item->label_path, notice, error))
    return -1;
  return changes;
}
