/* bm-dataset-walk.c: lists the images and label files below a folder, and the pieces that pair
 * and sort them. A million-image folder is read in one pass with one copy of each name, and
 * sorted on two threads (bench/bench-dataset, BENCHMARKS.md).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "bm-dataset-private.h"
#include "bm-file-util.h"

gboolean
_bm_dataset_is_label_file_name (const char *name)
{
  static const char *const not_labels[] = {
    "classes.txt", "predefined_classes.txt", "labelmap.txt", "train.txt", "val.txt",
    "test.txt", "default.txt", "README.txt", "README.dataset.txt", "README.roboflow.txt", NULL,
  };

  if (!g_str_has_suffix (name, ".xml") && !g_str_has_suffix (name, ".XML")
      && !g_str_has_suffix (name, ".txt") && !g_str_has_suffix (name, ".TXT"))
    return FALSE;
  return !g_strv_contains (not_labels, name);
}

/* Real folders (device, inode) a walk has read: a symlink loop (ln -s . loop) or two links to
 * one folder must not list the same files twice. */
typedef struct
{
  dev_t device;
  ino_t inode;
} FolderId;

static guint
folder_id_hash (gconstpointer key)
{
  const FolderId *id = key;

  return g_int64_hash (&(gint64) { (gint64) id->inode }) ^ (guint) id->device;
}

static gboolean
folder_id_equal (gconstpointer a, gconstpointer b)
{
  const FolderId *x = a, *y = b;

  return x->device == y->device && x->inode == y->inode;
}

/* FALSE when @path is a folder this walk has read already. */
static gboolean
first_visit (GHashTable *visited, const char *path)
{
  struct stat st;
  FolderId *id;

  if (stat (path, &st) != 0)
    return TRUE;
  id = g_new (FolderId, 1);
  id->device = st.st_dev;
  id->inode = st.st_ino;
  if (g_hash_table_contains (visited, id))
    {
      g_free (id);
      return FALSE;
    }
  g_hash_table_add (visited, id);
  return TRUE;
}

static gboolean
entry_is_dir (const char *path, const struct dirent *de)
{
  g_autofree char *child = NULL;

  /* d_type saves a stat per file; file systems that do not fill it get one */
  if (de->d_type == DT_DIR)
    return TRUE;
  if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
    return FALSE;
  child = g_strconcat (path, G_DIR_SEPARATOR_S, de->d_name, NULL);
  return g_file_test (child, G_FILE_TEST_IS_DIR);
}

void
_bm_dataset_entry_clear (BmDatasetEntry *entry)
{
  g_free (entry->name);
}

/* Lists @path into @listing. Its other entries go to @entries when given (the root); otherwise
 * its folders are walked in turn when @recursive. */
static void
walk (BmDataset        *self,
      const char       *path,
      int               depth,
      gboolean          recursive,
      BmDatasetListing *listing,
      GArray           *entries)
{
  GStringChunk *strings = _bm_dataset_get_strings (self);
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GString) child = NULL;
  gsize path_len = strlen (path);
  struct dirent *de;
  DIR *dir;

  if (!first_visit (listing->visited, path))
    return;
  if ((dir = opendir (path)) == NULL)
    {
      _bm_dataset_report_unreadable (self, path, errno);
      return;
    }
  child = g_string_new (path);
  g_string_append_c (child, G_DIR_SEPARATOR);
  while ((de = readdir (dir)) != NULL)
    {
      GPtrArray *out = NULL;
      gboolean is_dir;

      if (de->d_name[0] == '.')
        continue;
      is_dir = entry_is_dir (path, de);
      if (!is_dir && listing->images != NULL && bm_path_is_image (de->d_name))
        out = listing->images;
      else if (!is_dir && listing->labels != NULL && _bm_dataset_is_label_file_name (de->d_name))
        out = listing->labels;
      if (out != NULL)
        {
          g_string_truncate (child, path_len + 1);
          g_string_append (child, de->d_name);
          g_ptr_array_add (out, g_string_chunk_insert_len (strings, child->str, (gssize) child->len));
        }
      else if (entries != NULL)
        {
          BmDatasetEntry entry = { g_strdup (de->d_name), is_dir };

          g_array_append_val (entries, entry);
        }
      /* folders are walked once this one is closed: one open folder per level at most */
      else if (is_dir && recursive && depth < BM_DATASET_MAX_DEPTH)
        {
          if (folders == NULL)
            folders = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (folders, g_strdup (de->d_name));
        }
    }
  closedir (dir);
  for (guint i = 0; folders != NULL && i < folders->len; i++)
    {
      g_autofree char *sub = g_strconcat (path, G_DIR_SEPARATOR_S, (const char *) g_ptr_array_index (folders, i), NULL);

      walk (self, sub, depth + 1, TRUE, listing, NULL);
    }
}

static void
listing_init (BmDatasetListing *listing,
              const char       *dir)
{
  listing->prefix_len = strlen (dir) + 1;
  if (listing->visited == NULL)
    listing->visited = g_hash_table_new_full (folder_id_hash, folder_id_equal, g_free, NULL);
}

void
_bm_dataset_walk (BmDataset        *self,
                  const char       *dir,
                  gboolean          recursive,
                  BmDatasetListing *listing)
{
  listing_init (listing, dir);
  walk (self, dir, 0, recursive, listing, NULL);
}

GArray *
_bm_dataset_walk_root (BmDataset        *self,
                       const char       *dir,
                       BmDatasetListing *listing)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (BmDatasetEntry));

  g_array_set_clear_func (entries, (GDestroyNotify) _bm_dataset_entry_clear);
  listing_init (listing, dir);
  walk (self, dir, 0, FALSE, listing, entries);
  return entries;
}

void
_bm_dataset_walk_below (BmDataset        *self,
                        const char       *dir,
                        GArray           *entries,
                        BmDatasetListing *listing)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const BmDatasetEntry *entry = &g_array_index (entries, BmDatasetEntry, i);
      g_autofree char *sub = NULL;

      if (!entry->is_dir)
        continue;
      sub = g_strconcat (dir, G_DIR_SEPARATOR_S, entry->name, NULL);
      walk (self, sub, 1, TRUE, listing, NULL);
    }
}

void
_bm_dataset_listing_clear (BmDatasetListing *listing)
{
  g_clear_pointer (&listing->images, g_ptr_array_unref);
  g_clear_pointer (&listing->labels, g_ptr_array_unref);
  g_clear_pointer (&listing->visited, g_hash_table_unref);
}

/* Stems ------------------------------------------------------------------------------------- */

gsize
_bm_stem_length (const char *rel)
{
  const char *slash = strrchr (rel, G_DIR_SEPARATOR);
  const char *dot = strrchr (rel, '.');

  if (dot == NULL || (slash != NULL && dot < slash))
    return strlen (rel);
  return (gsize) (dot - rel);
}

guint
_bm_stem_hash (gconstpointer rel)
{
  const char *p = rel;
  gsize n = _bm_stem_length (p);
  guint32 h = 5381;

  for (gsize i = 0; i < n; i++)
    h = (h << 5) + h + (guint8) p[i];
  return h;
}

gboolean
_bm_stem_equal (gconstpointer a, gconstpointer b)
{
  gsize la = _bm_stem_length (a), lb = _bm_stem_length (b);

  return la == lb && memcmp (a, b, la) == 0;
}

/* Sorting ----------------------------------------------------------------------------------- */

/* bm_natural_compare, a million names at a time: each name is turned once into a key that
 * sorts bytewise as the name sorts naturally, so the n log n comparisons are memcmp.
 *   - a character as bm_natural_compare sees it: ASCII lowered, compared as a signed char
 *     (shifted by 128 so that bytes compare the same way);
 *   - a run of digits: the character '0' (any digit compares so against a non-digit), the
 *     count of digits without leading zeros (one byte: a file name has at most 255), then
 *     those digits.
 * Equal keys fall back on strcmp, as bm_natural_compare does. */
typedef struct
{
  const guint8 *key;
  guint32 key_len;
  const char *path;
  const char *rel;
} SortKey;

static guint8
key_byte (char c)
{
  return (guint8) ((int) (signed char) g_ascii_tolower (c) + 128);
}

static guint32
make_key (const char *rel, guint8 *out)
{
  guint32 n = 0;

  for (const char *p = rel; *p != '\0';)
    {
      if (g_ascii_isdigit (*p))
        {
          const char *start;

          while (*p == '0' && g_ascii_isdigit (p[1]))
            p++;
          for (start = p; g_ascii_isdigit (*p); p++)
            ;
          out[n++] = key_byte ('0');
          out[n++] = (guint8) MIN (p - start, 255);
          memcpy (out + n, start, (gsize) (p - start));
          n += (guint32) (p - start);
        }
      else
        out[n++] = key_byte (*p++);
    }
  return n;
}

static int
compare_keys (const SortKey *a, const SortKey *b)
{
  int c = memcmp (a->key, b->key, MIN (a->key_len, b->key_len));

  if (c != 0)
    return c;
  if (a->key_len != b->key_len)
    return a->key_len < b->key_len ? -1 : 1;
  return strcmp (a->rel, b->rel);
}

static int
compare_keys_cb (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return compare_keys (a, b);
}

typedef struct
{
  SortKey *keys;
  guint n;
} SortHalf;

static gpointer
sort_half (gpointer data)
{
  SortHalf *half = data;

  g_qsort_with_data (half->keys, (gint) half->n, sizeof (SortKey), compare_keys_cb, NULL);
  return NULL;
}

/* Below this a second thread costs more than it saves. */
#define PARALLEL_SORT_MIN 20000

void
_bm_dataset_sort_paths (GPtrArray *paths, gsize prefix_len)
{
  g_autofree SortKey *keys = NULL;
  g_autofree guint8 *arena = NULL;
  gsize arena_size = 0, used = 0;
  SortHalf low, high;
  GThread *thread = NULL;
  guint i = 0, j = 0, k = 0;

  if (paths->len < 2)
    return;
  for (guint p = 0; p < paths->len; p++)
    arena_size += strlen ((const char *) g_ptr_array_index (paths, p) + prefix_len) * 3 + 1;
  /* a key takes at most 3 bytes per character (a lone digit: '0', 1, the digit) */
  arena = g_malloc (arena_size);
  keys = g_new (SortKey, paths->len);
  for (guint p = 0; p < paths->len; p++)
    {
      const char *path = g_ptr_array_index (paths, p);

      keys[p].path = path;
      keys[p].rel = path + prefix_len;
      keys[p].key = arena + used;
      keys[p].key_len = make_key (keys[p].rel, arena + used);
      used += keys[p].key_len;
    }

  low = (SortHalf) { keys, paths->len };
  high = (SortHalf) { NULL, 0 };
  if (paths->len >= PARALLEL_SORT_MIN && g_get_num_processors () > 1)
    {
      low.n = paths->len / 2;
      high = (SortHalf) { keys + low.n, paths->len - low.n };
      thread = g_thread_new ("bm-sort", sort_half, &high);
    }
  sort_half (&low);
  if (thread != NULL)
    g_thread_join (thread);

  /* merge the halves into @paths; on equal keys the lower half first */
  while (i < low.n && j < high.n)
    paths->pdata[k++] = (gpointer) (compare_keys (&low.keys[i], &high.keys[j]) <= 0 ? low.keys[i++].path : high.keys[j++].path);
  while (i < low.n)
    paths->pdata[k++] = (gpointer) low.keys[i++].path;
  while (j < high.n)
    paths->pdata[k++] = (gpointer) high.keys[j++].path;
}
