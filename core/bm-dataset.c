/* bm-dataset.c: finds images and label files in the layouts datasets come in.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n.h>

#include "bm-dataset.h"
#include "bm-error.h"
#include "bm-file-util.h"

struct _BmDataset
{
  GObject parent_instance;

  char *root;
  BmLayout layout;
  BmFormat format;
  GArray *items;        /* BmDatasetItem */
  guint n_orphans;
  char *class_file;
  GPtrArray *problems;  /* BmProblem: folders that could not be read, links to folders already read */
  GHashTable *reported; /* paths with a problem, each reported once */
};

G_DEFINE_FINAL_TYPE (BmDataset, bm_dataset, G_TYPE_OBJECT)

/* How deep a recursive scan goes: deep enough for any real dataset. Symlink loops are stopped
 * by reading each real folder once. */
#define MAX_DEPTH 16

const char *
bm_layout_to_string (BmLayout layout)
{
  switch (layout)
    {
    case BM_LAYOUT_FLAT: return "flat";
    case BM_LAYOUT_VOC: return "voc";
    case BM_LAYOUT_DOTA: return "dota";
    case BM_LAYOUT_YOLO: return "yolo";
    default: g_return_val_if_reached ("flat");
    }
}

static void
bm_dataset_item_clear (BmDatasetItem *item)
{
  g_free (item->image_path);
  g_free (item->label_path);
  g_free (item->split);
}

static void
bm_dataset_finalize (GObject *object)
{
  BmDataset *self = BM_DATASET (object);

  g_free (self->root);
  g_free (self->class_file);
  g_array_unref (self->items);
  g_ptr_array_unref (self->problems);
  g_hash_table_unref (self->reported);
  G_OBJECT_CLASS (bm_dataset_parent_class)->finalize (object);
}

static void
bm_dataset_class_init (BmDatasetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bm_dataset_finalize;
}

static void
bm_dataset_init (BmDataset *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (BmDatasetItem));
  g_array_set_clear_func (self->items, (GDestroyNotify) bm_dataset_item_clear);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  self->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
add_problem (BmDataset *self, const char *path, const char *message)
{
  if (!g_hash_table_add (self->reported, g_strdup (path)))
    return;
  g_ptr_array_add (self->problems, bm_problem_new (path, 0, message));
}

typedef struct
{
  char *name;
  gboolean is_dir;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->name);
}

/* One pass over a folder (hidden entries skipped). d_type saves a stat per file; file systems
 * that do not fill it get one. A folder that cannot be read is reported on @self (when given). */
static GArray *
read_dir (BmDataset *self, const char *path)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  DIR *dir = opendir (path);
  struct dirent *de;

  g_array_set_clear_func (entries, (GDestroyNotify) entry_clear);
  if (dir == NULL)
    {
      int saved = errno;

      if (self != NULL && saved != ENOENT)
        {
          g_autofree char *message = g_strdup_printf (_("this folder cannot be read (%s); its files are left out"),
                                                      g_strerror (saved));
          add_problem (self, path, message);
        }
      return entries;
    }
  while ((de = readdir (dir)) != NULL)
    {
      Entry entry;

      if (de->d_name[0] == '.')
        continue;
      entry.name = g_strdup (de->d_name);
      if (de->d_type == DT_DIR)
        entry.is_dir = TRUE;
      else if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK)
        {
          g_autofree char *child = g_strconcat (path, G_DIR_SEPARATOR_S, de->d_name, NULL);
          entry.is_dir = g_file_test (child, G_FILE_TEST_IS_DIR);
        }
      else
        entry.is_dir = FALSE;
      g_array_append_val (entries, entry);
    }
  closedir (dir);
  return entries;
}

/* The child folder among @entries (a listing of @dir) whose name is one of @names (ASCII
 * case-insensitive, earlier names preferred), or NULL. */
static char *
find_in_entries (const char *dir, GArray *entries, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    for (guint e = 0; e < entries->len; e++)
      {
        const Entry *entry = &g_array_index (entries, Entry, e);
        if (entry->is_dir && g_ascii_strcasecmp (entry->name, names[i]) == 0)
          return g_strconcat (dir, G_DIR_SEPARATOR_S, entry->name, NULL);
      }
  return NULL;
}

static char *
find_child_dir (const char *dir, const char *const *names)
{
  g_autoptr(GArray) entries = read_dir (NULL, dir);

  return find_in_entries (dir, entries, names);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(const char **) a, *(const char **) b);
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

static void
walk_files (BmDataset *self, GHashTable *visited, const char *dir, const char *rel, gboolean recursive,
            int depth, gboolean (*want) (const char *), GPtrArray *out)
{
  g_autofree char *path = rel ? g_strconcat (dir, G_DIR_SEPARATOR_S, rel, NULL) : g_strdup (dir);
  g_autoptr(GArray) entries = NULL;

  if (!first_visit (visited, path))
    return;
  entries = read_dir (self, path);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      char *child_rel = rel ? g_strconcat (rel, G_DIR_SEPARATOR_S, entry->name, NULL) : g_strdup (entry->name);

      if (!entry->is_dir && want (entry->name))
        g_ptr_array_add (out, child_rel);
      else
        {
          if (entry->is_dir && recursive && depth < MAX_DEPTH)
            walk_files (self, visited, dir, child_rel, TRUE, depth + 1, want, out);
          g_free (child_rel);
        }
    }
}

/* Appends the files below @dir that @want accepts (relative paths from @dir) to @out, reading
 * each real folder once. */
static void
list_files (BmDataset *self, const char *dir, gboolean recursive, gboolean (*want) (const char *),
            GPtrArray *out)
{
  g_autoptr(GHashTable) visited = g_hash_table_new_full (folder_id_hash, folder_id_equal, g_free, NULL);

  walk_files (self, visited, dir, NULL, recursive, 0, want, out);
}

static gboolean
is_xml (const char *name)
{
  return g_str_has_suffix (name, ".xml") || g_str_has_suffix (name, ".XML");
}

static gboolean
is_txt (const char *name)
{
  return g_str_has_suffix (name, ".txt") || g_str_has_suffix (name, ".TXT");
}

static gboolean
is_label_file_name (const char *name)
{
  static const char *const not_labels[] = {
    "classes.txt", "predefined_classes.txt", "labelmap.txt", "train.txt", "val.txt",
    "test.txt", "default.txt", "README.txt", "README.dataset.txt", "README.roboflow.txt", NULL,
  };

  if (g_strv_contains (not_labels, name))
    return FALSE;
  return is_xml (name) || is_txt (name);
}

static char *
strip_extension (const char *rel)
{
  const char *slash = strrchr (rel, G_DIR_SEPARATOR);
  const char *dot = strrchr (rel, '.');

  if (dot == NULL || (slash != NULL && dot < slash))
    return g_strdup (rel);
  return g_strndup (rel, (gsize) (dot - rel));
}

/* What one object line says: DOTA, YOLO, or nothing (a header, a blank, or undecidable). */
static BmFormat
sniff_line (char *line)
{
  g_auto(GStrv) tokens = NULL;
  guint n = 0, numeric = 0;
  double largest = 0;

  if (strchr (line, ':') != NULL)
    return BM_FORMAT_NONE;
  tokens = g_strsplit_set (g_strstrip (line), " \t\r", -1);
  for (guint t = 0; tokens[t] != NULL; t++)
    {
      char *end;
      double value;

      if (tokens[t][0] == '\0')
        continue;
      n++;
      value = g_ascii_strtod (tokens[t], &end);
      if (*end == '\0')
        {
          numeric++;
          /* The first token is YOLO's class id; only coordinates tell. */
          if (n > 1 && n <= 9)
            largest = MAX (largest, fabs (value));
        }
    }
  if (n == 0)
    return BM_FORMAT_NONE;
  if (n != numeric)
    return BM_FORMAT_DOTA;
  /* All numbers: YOLO, unless it is a DOTA line whose class name is a number — 9 or 10 tokens
   * whose coordinates go beyond what normalised values can be. */
  if ((n == 9 || n == 10) && largest > 2)
    return BM_FORMAT_DOTA;
  return BM_FORMAT_YOLO;
}

BmFormat
bm_dataset_sniff_txt_data (const char *data, gsize length)
{
  guint n_lines = 0;

  /* The first 64 lines decide, as the first line with any token usually does. */
  for (gsize start = 0; start < length && n_lines < 64; n_lines++)
    {
      gsize line_end;
      const char *eol = bm_line_next (data, length, start, BM_LINES_PYTHON, &line_end);
      g_autofree char *text = g_strndup (data + start, line_end - start);
      BmFormat format = sniff_line (text);

      if (format != BM_FORMAT_NONE)
        return format;
      start = line_end + strlen (eol);
    }
  return BM_FORMAT_NONE;
}

BmFormat
bm_dataset_sniff_txt_format (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!bm_file_read_all (path, &contents, &length, NULL))
    return BM_FORMAT_NONE;
  return bm_dataset_sniff_txt_data (contents, length);
}

static BmDatasetItem *
add_item (BmDataset *self, char *image_path, char *label_path, BmFormat format,
          gboolean has_label, const char *split)
{
  BmDatasetItem item = { image_path, label_path, format, has_label, g_strdup (split), FALSE, FALSE };

  g_array_append_val (self->items, item);
  return &g_array_index (self->items, BmDatasetItem, self->items->len - 1);
}

/* a.jpg and a.png would share a.xml: saving one would overwrite the other's labels. */
static GHashTable *
count_stems (GPtrArray *images)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < images->len; i++)
    {
      char *stem = strip_extension (g_ptr_array_index (images, i));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, stem));
      g_hash_table_insert (counts, stem, GUINT_TO_POINTER (n + 1));
    }
  return counts;
}

/* Images in @image_dir paired with labels named <stem><ext> in @label_dir (flat relative paths
 * are kept, so images/a/b.jpg pairs with labels/a/b.txt). Labels without images are orphans. */
static void
pair_folders (BmDataset *self, const char *image_dir, const char *label_dir,
              const char *label_ext, BmFormat format, gboolean recursive, const char *split)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) label_stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) stems = NULL;

  list_files (self, image_dir, recursive, bm_path_is_image, images);
  list_files (self, label_dir, recursive, is_label_file_name, labels);
  g_ptr_array_sort (images, compare_names);
  g_ptr_array_sort (labels, compare_names);
  stems = count_stems (images);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *rel = g_ptr_array_index (labels, i);
      if (label_ext == NULL || g_str_has_suffix (rel, label_ext))
        g_hash_table_insert (label_stems, strip_extension (rel), g_strdup (rel));
    }

  for (guint i = 0; i < images->len; i++)
    {
      const char *rel = g_ptr_array_index (images, i);
      g_autofree char *stem = strip_extension (rel);
      const char *label_rel = g_hash_table_lookup (label_stems, stem);
      g_autofree char *new_label = g_strconcat (stem, label_ext ? label_ext : ".xml", NULL);

      BmDatasetItem *item;

      if (label_rel != NULL)
        g_hash_table_add (used, (gpointer) label_rel);
      item = add_item (self, g_strconcat (image_dir, G_DIR_SEPARATOR_S, rel, NULL),
                       g_strconcat (label_dir, G_DIR_SEPARATOR_S, label_rel ? label_rel : new_label, NULL),
                       format, label_rel != NULL, split);
      item->label_shared = GPOINTER_TO_UINT (g_hash_table_lookup (stems, stem)) > 1;
    }

  for (guint i = 0; i < labels->len; i++)
    {
      const char *rel = g_ptr_array_index (labels, i);
      g_autofree char *stem = strip_extension (rel);
      const char *label_rel = g_hash_table_lookup (label_stems, stem);

      if (label_rel == NULL || g_hash_table_contains (used, label_rel) || strcmp (label_rel, rel) != 0)
        continue;
      add_item (self, NULL, g_strconcat (label_dir, G_DIR_SEPARATOR_S, rel, NULL), format, TRUE, split);
      self->n_orphans++;
    }
}

/* Labels beside the images: a.jpg with a.xml (VOC) or a.txt (DOTA or YOLO, sniffed). */
static void
scan_flat (BmDataset *self, gboolean recursive)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) by_stem = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *classes = g_build_filename (self->root, "classes.txt", NULL);
  gboolean has_classes = g_file_test (classes, G_FILE_TEST_EXISTS);
  BmFormat txt_format = BM_FORMAT_NONE;
  guint counts[BM_FORMAT_YOLO + 1] = { 0 };
  g_autoptr(GHashTable) stems = NULL;

  list_files (self, self->root, recursive, bm_path_is_image, images);
  list_files (self, self->root, recursive, is_label_file_name, labels);
  g_ptr_array_sort (images, compare_names);
  g_ptr_array_sort (labels, compare_names);
  stems = count_stems (images);

  for (guint i = 0; i < labels->len; i++)
    {
      const char *rel = g_ptr_array_index (labels, i);
      g_autofree char *stem = strip_extension (rel);
      const char *known = g_hash_table_lookup (by_stem, stem);

      /* a.xml wins over a.txt, as in labelImg. */
      if (known == NULL || is_xml (rel))
        g_hash_table_insert (by_stem, g_steal_pointer (&stem), g_strdup (rel));
      if (is_txt (rel) && txt_format == BM_FORMAT_NONE)
        {
          g_autofree char *path = g_strconcat (self->root, G_DIR_SEPARATOR_S, rel, NULL);
          txt_format = has_classes ? BM_FORMAT_YOLO : bm_dataset_sniff_txt_format (path);
        }
    }
  if (txt_format == BM_FORMAT_NONE)
    txt_format = BM_FORMAT_DOTA;

  for (guint i = 0; i < images->len; i++)
    {
      const char *rel = g_ptr_array_index (images, i);
      g_autofree char *stem = strip_extension (rel);
      const char *label_rel = g_hash_table_lookup (by_stem, stem);
      BmFormat format = label_rel ? (is_xml (label_rel) ? BM_FORMAT_VOC : txt_format) : BM_FORMAT_NONE;
      g_autofree char *new_label = g_strconcat (stem, ".xml", NULL);

      BmDatasetItem *item;

      if (label_rel != NULL)
        g_hash_table_add (used, g_strdup (label_rel));
      counts[format]++;
      item = add_item (self, g_strconcat (self->root, G_DIR_SEPARATOR_S, rel, NULL),
                       g_strconcat (self->root, G_DIR_SEPARATOR_S, label_rel ? label_rel : new_label, NULL),
                       format == BM_FORMAT_NONE ? BM_FORMAT_VOC : format, label_rel != NULL, NULL);
      item->format_guessed = label_rel != NULL && is_txt (label_rel) && !has_classes;
      item->label_shared = GPOINTER_TO_UINT (g_hash_table_lookup (stems, stem)) > 1;
    }

  for (guint i = 0; i < labels->len; i++)
    {
      const char *rel = g_ptr_array_index (labels, i);
      BmFormat format = is_xml (rel) ? BM_FORMAT_VOC : txt_format;

      BmDatasetItem *item;

      if (g_hash_table_contains (used, rel))
        continue;
      counts[format]++;
      item = add_item (self, NULL, g_strconcat (self->root, G_DIR_SEPARATOR_S, rel, NULL), format, TRUE, NULL);
      item->format_guessed = is_txt (rel) && !has_classes;
      self->n_orphans++;
    }

  self->format = BM_FORMAT_VOC;
  if (counts[BM_FORMAT_DOTA] > counts[BM_FORMAT_VOC] && counts[BM_FORMAT_DOTA] >= counts[BM_FORMAT_YOLO])
    self->format = BM_FORMAT_DOTA;
  else if (counts[BM_FORMAT_YOLO] > counts[BM_FORMAT_VOC])
    self->format = BM_FORMAT_YOLO;
}

static void
scan_yolo_split (BmDataset *self, const char *split_dir, const char *split)
{
  static const char *const image_names[] = { "images", NULL };
  static const char *const label_names[] = { "labels", NULL };
  g_autofree char *images = find_child_dir (split_dir, image_names);
  g_autofree char *labels = find_child_dir (split_dir, label_names);

  if (images != NULL)
    pair_folders (self, images, labels ? labels : images, ".txt", BM_FORMAT_YOLO, TRUE, split);
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (((const Entry *) a)->name, ((const Entry *) b)->name);
}

/* Ultralytics: images/<split>/… + labels/<split>/…; Roboflow: <split>/images + <split>/labels. */
static gboolean
scan_yolo (BmDataset *self, GArray *root_entries)
{
  static const char *const image_names[] = { "images", NULL };
  static const char *const label_names[] = { "labels", NULL };
  g_autofree char *images = find_in_entries (self->root, root_entries, image_names);
  g_autofree char *labels = find_in_entries (self->root, root_entries, label_names);
  static const char *const split_names[] = { "train", "valid", "val", "test", NULL };
  g_autofree char *yaml = g_build_filename (self->root, "data.yaml", NULL);
  gboolean has_yaml = g_file_test (yaml, G_FILE_TEST_IS_REGULAR);
  gboolean found = FALSE;

  if (images != NULL && labels != NULL)
    {
      g_autoptr(GArray) splits = read_dir (self, images);
      gboolean has_splits = FALSE;

      g_array_sort (splits, compare_entries);
      for (guint i = 0; i < splits->len; i++)
        {
          const Entry *split = &g_array_index (splits, Entry, i);
          g_autofree char *split_images = NULL;
          g_autofree char *split_labels = NULL;

          if (!split->is_dir)
            continue;
          split_images = g_build_filename (images, split->name, NULL);
          split_labels = g_build_filename (labels, split->name, NULL);
          has_splits = TRUE;
          pair_folders (self, split_images, split_labels, ".txt", BM_FORMAT_YOLO, TRUE, split->name);
        }
      if (!has_splits)
        pair_folders (self, images, labels, ".txt", BM_FORMAT_YOLO, TRUE, NULL);
      return TRUE;
    }

  for (guint i = 0; i < root_entries->len; i++)
    {
      const Entry *entry = &g_array_index (root_entries, Entry, i);
      g_autofree char *split_dir = NULL;
      g_autofree char *split_images = NULL;
      g_autofree char *split_labels = NULL;

      /* Roboflow splits are train/valid/test; other folders with images/ + labels/ inside are
       * whole datasets of their own (~/datasets/coco8), not splits of this one. */
      if (!entry->is_dir || !(has_yaml || g_strv_contains (split_names, entry->name)))
        continue;
      split_dir = g_build_filename (self->root, entry->name, NULL);
      split_images = find_child_dir (split_dir, image_names);
      split_labels = split_images ? find_child_dir (split_dir, label_names) : NULL;
      if (split_images != NULL && split_labels != NULL)
        {
          scan_yolo_split (self, split_dir, entry->name);
          found = TRUE;
        }
    }
  return found;
}

static void
find_class_file (BmDataset *self, GArray *root_entries)
{
  static const char *const names[] = { "data.yaml", "classes.txt", "predefined_classes.txt", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (self->root, names[i], NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          self->class_file = g_steal_pointer (&path);
          return;
        }
    }
  /* Ultralytics names its YAML after the dataset (coco8.yaml). */
  for (guint i = 0; i < root_entries->len; i++)
    {
      const Entry *entry = &g_array_index (root_entries, Entry, i);
      if (!entry->is_dir && (g_str_has_suffix (entry->name, ".yaml") || g_str_has_suffix (entry->name, ".yml")))
        {
          self->class_file = g_build_filename (self->root, entry->name, NULL);
          return;
        }
    }
}

/* Items are added in natural order per folder; orphan labels go after all images. */
static void
move_orphans_last (BmDataset *self)
{
  g_autoptr(GArray) sorted = NULL;

  if (self->n_orphans == 0)
    return;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (BmDatasetItem), self->items->len);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->items->len; i++)
      {
        BmDatasetItem *item = &g_array_index (self->items, BmDatasetItem, i);
        if ((item->image_path == NULL) == (pass == 1))
          g_array_append_val (sorted, *item);
      }
  /* The items moved to @sorted: drop the old array without clearing them. */
  g_array_set_clear_func (self->items, NULL);
  g_array_unref (self->items);
  self->items = g_steal_pointer (&sorted);
  g_array_set_clear_func (self->items, (GDestroyNotify) bm_dataset_item_clear);
}

static void
scan (BmDataset *self, gboolean recursive)
{
  static const char *const dota_labels[] = { "labelTxt", NULL };
  static const char *const voc_labels[] = { "Annotations", NULL };
  static const char *const voc_images[] = { "JPEGImages", "images", NULL };
  static const char *const dota_images[] = { "images", NULL };
  g_autoptr(GArray) root_entries = read_dir (self, self->root);
  g_autofree char *label_dir = NULL;
  g_autofree char *image_dir = NULL;

  if ((label_dir = find_in_entries (self->root, root_entries, dota_labels)) != NULL)
    {
      image_dir = find_in_entries (self->root, root_entries, dota_images);
      self->layout = BM_LAYOUT_DOTA;
      self->format = BM_FORMAT_DOTA;
      pair_folders (self, image_dir ? image_dir : self->root, label_dir, ".txt", BM_FORMAT_DOTA,
                    recursive, NULL);
    }
  else if ((label_dir = find_in_entries (self->root, root_entries, voc_labels)) != NULL)
    {
      image_dir = find_in_entries (self->root, root_entries, voc_images);
      self->layout = BM_LAYOUT_VOC;
      self->format = BM_FORMAT_VOC;
      pair_folders (self, image_dir ? image_dir : self->root, label_dir, ".xml", BM_FORMAT_VOC,
                    recursive, NULL);
    }
  else if (scan_yolo (self, root_entries))
    {
      self->layout = BM_LAYOUT_YOLO;
      self->format = BM_FORMAT_YOLO;
    }
  else
    {
      self->layout = BM_LAYOUT_FLAT;
      scan_flat (self, recursive);
    }
  move_orphans_last (self);
  find_class_file (self, root_entries);
}

BmDataset *
bm_dataset_open (const char *path, gboolean recursive, GError **error)
{
  g_autoptr(BmDataset) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file or folder"), path);
      return NULL;
    }

  self = g_object_new (BM_TYPE_DATASET, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    self->root = g_canonicalize_filename (path, NULL);
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      self->root = g_canonicalize_filename (dir, NULL);
    }
  scan (self, recursive);
  return g_steal_pointer (&self);
}

const char *
bm_dataset_get_root (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), NULL);
  return self->root;
}

BmLayout
bm_dataset_get_layout (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), BM_LAYOUT_FLAT);
  return self->layout;
}

BmFormat
bm_dataset_get_format (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), BM_FORMAT_VOC);
  return self->format;
}

guint
bm_dataset_get_n_items (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), 0);
  return self->items->len;
}

const BmDatasetItem *
bm_dataset_get_item (BmDataset *self, guint index)
{
  g_return_val_if_fail (BM_IS_DATASET (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return &g_array_index (self->items, BmDatasetItem, index);
}

int
bm_dataset_find_image (BmDataset *self, const char *image_path)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (BM_IS_DATASET (self), -1);

  canonical = g_canonicalize_filename (image_path, NULL);
  for (guint i = 0; i < self->items->len; i++)
    {
      const BmDatasetItem *item = &g_array_index (self->items, BmDatasetItem, i);
      if (item->image_path != NULL && strcmp (item->image_path, canonical) == 0)
        return (int) i;
    }
  return -1;
}

guint
bm_dataset_get_n_orphans (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), 0);
  return self->n_orphans;
}

GPtrArray *
bm_dataset_get_problems (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), NULL);
  return self->problems;
}

const char *
bm_dataset_get_class_file (BmDataset *self)
{
  g_return_val_if_fail (BM_IS_DATASET (self), NULL);
  return self->class_file;
}
