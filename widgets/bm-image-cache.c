/* bm-image-cache.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-image-cache.h"

#include <glib/gi18n.h>

#include "core/bm-image.h"

/* Tiles in memory are big (4 bytes a pixel plus a third for the smaller levels; huge images keep
 * theirs within their own budget): beyond this only the most recently used image stays. */
#define MEMORY_BUDGET ((gsize) 1536 * 1024 * 1024)

typedef struct
{
  char *path;
  BmTileImage *image;     /* NULL while decoding */
  GPtrArray *waiters;     /* GTask waiting for the decode */
  guint64 last_use;
} Entry;

struct _BmImageCache
{
  GObject parent_instance;

  guint max_images;
  guint64 clock;
  char *current;          /* the image last asked for: the one on screen */
  GHashTable *entries;    /* path → Entry */
};

G_DEFINE_FINAL_TYPE (BmImageCache, bm_image_cache, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->path);
  g_clear_object (&entry->image);
  g_clear_pointer (&entry->waiters, g_ptr_array_unref);
  g_free (entry);
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  BmTileImage *image;

  /* Small images decode here; huge ones read their header and go on in their own thread. */
  image = bm_tile_image_new_for_file (path, &error);
  if (image == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, image, g_object_unref);
}

static gsize
cached_memory (BmImageCache *self, guint *n_images)
{
  GHashTableIter iter;
  Entry *entry;
  gsize total = 0;

  *n_images = 0;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->image != NULL)
      {
        total += bm_tile_image_get_memory_size (entry->image);
        (*n_images)++;
      }
  return total;
}

static gboolean
over_budget (BmImageCache *self)
{
  guint n_images;
  gsize memory = cached_memory (self, &n_images);

  return g_hash_table_size (self->entries) > self->max_images || (memory > MEMORY_BUDGET && n_images > 1);
}

static void
evict_old_entries (BmImageCache *self)
{
  while (over_budget (self))
    {
      GHashTableIter iter;
      Entry *entry, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        if (entry->image != NULL && (oldest == NULL || entry->last_use < oldest->last_use))
          oldest = entry;

      if (oldest == NULL)
        break;   /* everything is still decoding */
      g_hash_table_remove (self->entries, oldest->path);
    }
}

/* The image on screen decodes at full resolution; the others keep their overview only, so that
 * decoding the next image ahead never doubles the memory. */
static void
update_active (BmImageCache *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->image != NULL)
      bm_tile_image_set_active (entry->image, g_strcmp0 (entry->path, self->current) == 0);
}

static void
decode_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BmImageCache *self = BM_IMAGE_CACHE (object);
  g_autofree char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmTileImage) image = NULL;
  g_autoptr(GPtrArray) waiters = NULL;
  Entry *entry;

  image = g_task_propagate_pointer (G_TASK (result), &error);
  entry = g_hash_table_lookup (self->entries, path);
  if (entry == NULL || entry->image != NULL)
    return;   /* cleared while decoding */

  waiters = g_steal_pointer (&entry->waiters);
  if (image != NULL)
    {
      entry->image = g_object_ref (image);
      entry->last_use = ++self->clock;
    }
  else
    g_hash_table_remove (self->entries, path);   /* errors are not cached: the file may be fixed */

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (image != NULL)
        g_task_return_pointer (waiter, g_object_ref (image), g_object_unref);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }

  update_active (self);
  evict_old_entries (self);
}

static Entry *
start_decode (BmImageCache *self,
              const char   *path)
{
  g_autoptr(GTask) task = NULL;
  Entry *entry = g_new0 (Entry, 1);

  entry->path = g_strdup (path);
  entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  entry->last_use = ++self->clock;
  g_hash_table_insert (self->entries, entry->path, entry);

  task = g_task_new (self, NULL, decode_done_cb, g_strdup (path));
  g_task_set_source_tag (task, start_decode);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, decode_in_thread);
  return entry;
}

static void
bm_image_cache_finalize (GObject *object)
{
  BmImageCache *self = BM_IMAGE_CACHE (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->current, g_free);
  G_OBJECT_CLASS (bm_image_cache_parent_class)->finalize (object);
}

static void
bm_image_cache_class_init (BmImageCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bm_image_cache_finalize;
}

static void
bm_image_cache_init (BmImageCache *self)
{
  self->max_images = 3;
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
}

BmImageCache *
bm_image_cache_new (guint max_images)
{
  BmImageCache *self = g_object_new (BM_TYPE_IMAGE_CACHE, NULL);

  self->max_images = MAX (1, max_images);
  return self;
}

void
bm_image_cache_load_async (BmImageCache        *self,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Entry *entry;

  g_return_if_fail (BM_IS_IMAGE_CACHE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_image_cache_load_async);
  g_task_set_check_cancellable (task, TRUE);

  g_free (self->current);
  self->current = g_strdup (path);
  entry = g_hash_table_lookup (self->entries, path);
  if (entry == NULL)
    entry = start_decode (self, path);

  entry->last_use = ++self->clock;
  update_active (self);
  if (entry->image != NULL)
    g_task_return_pointer (task, g_object_ref (entry->image), g_object_unref);
  else
    g_ptr_array_add (entry->waiters, g_steal_pointer (&task));
}

BmTileImage *
bm_image_cache_load_finish (BmImageCache  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BM_IS_IMAGE_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bm_image_cache_prefetch (BmImageCache *self,
                         const char   *path)
{
  g_return_if_fail (BM_IS_IMAGE_CACHE (self));

  if (path != NULL && !g_hash_table_contains (self->entries, path))
    start_decode (self, path);
}

BmTileImage *
bm_image_cache_lookup (BmImageCache *self,
                       const char   *path)
{
  Entry *entry;

  g_return_val_if_fail (BM_IS_IMAGE_CACHE (self), NULL);

  entry = path ? g_hash_table_lookup (self->entries, path) : NULL;
  return entry ? entry->image : NULL;
}

void
bm_image_cache_clear (BmImageCache *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (BM_IS_IMAGE_CACHE (self));

  /* Decodes under way keep their entries so their waiters still get an answer. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->image != NULL)
      g_hash_table_iter_remove (&iter);
}

guint
bm_image_cache_get_n_cached (BmImageCache *self)
{
  GHashTableIter iter;
  Entry *entry;
  guint n = 0;

  g_return_val_if_fail (BM_IS_IMAGE_CACHE (self), 0);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    n += entry->image != NULL;
  return n;
}
