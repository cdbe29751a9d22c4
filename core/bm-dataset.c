/* bm-dataset.c: finds images and label files in the layouts datasets come in.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n.h>

#include "bm-dataset-private.h"
#include "bm-error.h"
#include "bm-file-util.h"

struct _BmDataset
{
  GObject parent_instance;

  char *root;
  BmLayout layout;
  BmFormat format;
  GArray *items;        /* BmDatasetItem, whose strings live in @strings */
  GStringChunk *strings;  /* every path: a million-image folder without two mallocs per item */
  guint n_orphans;
  char *class_file;
  GPtrArray *problems;  /* BmProblem: folders that could not be read, links to folders already read */
  GHashTable *reported; /* paths with a problem, each reported once */
  BmDatasetFirstFunc first_func;  /* told the first item as soon as it is known */
  gpointer first_data;
};

G_DEFINE_FINAL_TYPE (BmDataset, bm_dataset, G_TYPE_OBJECT)

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
bm_dataset_finalize (GObject *object)
{
  BmDataset *self = BM_DATASET (object);

  g_free (self->root);
  g_free (self->class_file);
  g_array_unref (self->items);
  g_string_chunk_free (self->strings);
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
  self->strings = g_string_chunk_new (256 * 1024);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  self->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
_bm_dataset_add_problem (BmDataset *self, const char *path, const char *message)
{
  if (!g_hash_table_add (self->reported, g_strdup (path)))
    return;
  g_ptr_array_add (self->problems, bm_problem_new (path, 0, message));
}

void
_bm_dataset_report_unreadable (BmDataset *self, const char *path, int saved_errno)
{
  g_autofree char *message = NULL;

  if (self == NULL || saved_errno == ENOENT)
    return;
  message = g_strdup_printf (_("this folder cannot be read (%s); its files are left out"), g_strerror (saved_errno));
  _bm_dataset_add_problem (self, path, message);
}

GStringChunk *
_bm_dataset_get_strings (BmDataset *self)
{
  return self->strings;
}

/* One pass over a folder whose layout is being worked out (hidden entries skipped). A folder
 * that cannot be read is reported on @self (when given). */
static GArray *
read_dir (BmDataset *self, const char *path)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (BmDatasetEntry));
  DIR *dir = opendir (path);
  struct dirent *de;

  g_array_set_clear_func (entries, (GDestroyNotify) _bm_dataset_entry_clear);
  if (dir == NULL)
    {
      _bm_dataset_report_unreadable (self, path, errno);
      return entries;
    }
  while ((de = readdir (dir)) != NULL)
    {
      BmDatasetEntry entry;

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
        const BmDatasetEntry *entry = &g_array_index (entries, BmDatasetEntry, e);
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

static void
add_item (BmDataset *self, const BmDatasetItem *item)
{
  g_array_append_vals (self->items, item, 1);
}

/* Where a label file for @image_rel goes when there is none yet: <label_dir>/<stem><ext>. */
static char *
new_label_path (BmDataset *self, const char *label_dir, const char *image_rel, const char *ext)
{
  gsize dir_len = strlen (label_dir), stem_len = _bm_stem_length (image_rel), ext_len = strlen (ext);
  gsize len = dir_len + 1 + stem_len + ext_len;
  char buffer[1024];
  g_autofree char *large = NULL;
  char *path = buffer;

  /* once per unlabelled image of a million: no allocation but the string kept */
  if (len >= sizeof buffer)
    path = large = g_malloc (len + 1);
  memcpy (path, label_dir, dir_len);
  path[dir_len] = G_DIR_SEPARATOR;
  memcpy (path + dir_len + 1, image_rel, stem_len);
  memcpy (path + dir_len + 1 + stem_len, ext, ext_len);
  return g_string_chunk_insert_len (self->strings, path, (gssize) len);
}

/* The first image in natural order, without sorting them all. */
static const char *
first_path (GPtrArray *paths, gsize prefix_len)
{
  const char *first = NULL;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);

      if (first == NULL || bm_natural_compare (path + prefix_len, first + prefix_len) < 0)
        first = path;
    }
  return first;
}

/* a.jpg and a.png would share a.xml: saving one would overwrite the other's labels. */
static guint
count_same_stem (GPtrArray *images, gsize prefix_len, const char *rel)
{
  guint n = 0;

  for (guint i = 0; i < images->len; i++)
    n += _bm_stem_equal ((const char *) g_ptr_array_index (images, i) + prefix_len, rel);
  return n;
}

/* How many images have each stem, for the stems that more than one image may have (a lookup
 * of another stem finds nothing). A bit per stem hash, 16 bits per image, finds the few
 * candidates and only those are counted exactly: hashing every name of a million into a
 * table took half a second. */
static GHashTable *
count_stems (GPtrArray *images, gsize prefix_len)
{
  guint bits = 1024;
  g_autofree guint32 *seen = NULL;
  g_autofree guint32 *again = NULL;
  GHashTable *counts = g_hash_table_new (_bm_stem_hash, _bm_stem_equal);

  while (bits < images->len * 16u && bits < (1u << 28))
    bits <<= 1;
  seen = g_new0 (guint32, bits / 32);
  again = g_new0 (guint32, bits / 32);

  for (guint i = 0; i < images->len; i++)
    {
      guint h = _bm_stem_hash ((const char *) g_ptr_array_index (images, i) + prefix_len) & (bits - 1);

      if (seen[h / 32] & (1u << (h % 32)))
        again[h / 32] |= 1u << (h % 32);
      seen[h / 32] |= 1u << (h % 32);
    }
  for (guint i = 0; i < images->len; i++)
    {
      const char *rel = (const char *) g_ptr_array_index (images, i) + prefix_len;
      guint h = _bm_stem_hash (rel) & (bits - 1);

      if (again[h / 32] & (1u << (h % 32)))
        g_hash_table_insert (counts, (gpointer) rel, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, rel)) + 1));
    }
  return counts;
}

/* Tells the caller of bm_dataset_open_with_first about @item, once. */
static void
tell_first (BmDataset *self, const BmDatasetItem *item)
{
  BmDatasetFirstFunc func = self->first_func;

  self->first_func = NULL;
  if (func != NULL)
    func (item, self->class_file, self->first_data);
}

/* Images in @image_dir paired with labels named <stem><ext> in @label_dir (flat relative paths
 * are kept, so images/a/b.jpg pairs with labels/a/b.txt). Labels without images are orphans. */
typedef struct
{
  const char *label_dir;
  const char *label_ext;
  BmFormat format;
  const char *split;
  gsize image_prefix;
  GHashTable *label_stems;  /* label rel (by stem) → label path */
} Pairing;

static BmDatasetItem
pair_item (BmDataset *self, const Pairing *pairing, const char *image, gboolean shared)
{
  const char *rel = image + pairing->image_prefix;
  const char *label = g_hash_table_lookup (pairing->label_stems, rel);
  BmDatasetItem item = { 0 };

  item.image_path = (char *) image;
  item.label_path = label != NULL ? (char *) label
                    : new_label_path (self, pairing->label_dir, rel, pairing->label_ext ? pairing->label_ext : ".xml");
  item.format = pairing->format;
  item.has_label = label != NULL;
  item.split = (char *) pairing->split;
  item.label_shared = shared;
  return item;
}

/* @root_files and @root_entries: the dataset's root as read already, when @image_dir is it. */
static void
pair_folders (BmDataset *self, const char *image_dir, const char *label_dir,
              const char *label_ext, BmFormat format, gboolean recursive, const char *split,
              BmDatasetListing *root_files, GArray *root_entries)
{
  BmDatasetListing images = { g_ptr_array_new (), NULL, 0 };
  BmDatasetListing labels = { NULL, g_ptr_array_new (), 0 };
  g_autoptr(GHashTable) label_stems = g_hash_table_new (_bm_stem_hash, _bm_stem_equal);
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) stems = NULL;
  Pairing pairing = { label_dir, label_ext, format, NULL, 0, label_stems };

  if (split != NULL)
    pairing.split = g_string_chunk_insert_const (self->strings, split);
  if (root_files != NULL)
    {
      g_ptr_array_unref (images.images);
      images.images = g_steal_pointer (&root_files->images);
      images.visited = g_steal_pointer (&root_files->visited);
      images.prefix_len = root_files->prefix_len;
      if (recursive)
        _bm_dataset_walk_below (self, image_dir, root_entries, &images);
    }
  else
    _bm_dataset_walk (self, image_dir, recursive, &images);
  _bm_dataset_walk (self, label_dir, recursive, &labels);
  pairing.image_prefix = images.prefix_len;
  for (guint i = 0; i < labels.labels->len; i++)
    {
      const char *label = g_ptr_array_index (labels.labels, i);

      /* one label per stem and extension: the order they are met in does not matter */
      if (label_ext == NULL || g_str_has_suffix (label, label_ext))
        g_hash_table_insert (label_stems, (gpointer) (label + labels.prefix_len), (gpointer) label);
    }

  if (self->first_func != NULL && images.images->len > 0)
    {
      const char *first = first_path (images.images, images.prefix_len);
      BmDatasetItem item = pair_item (self, &pairing, first,
                                      count_same_stem (images.images, images.prefix_len, first + images.prefix_len) > 1);

      tell_first (self, &item);
    }

  _bm_dataset_sort_paths (images.images, images.prefix_len);
  _bm_dataset_sort_paths (labels.labels, labels.prefix_len);
  stems = count_stems (images.images, images.prefix_len);
  for (guint i = 0; i < images.images->len; i++)
    {
      const char *image = g_ptr_array_index (images.images, i);
      BmDatasetItem item = pair_item (self, &pairing, image,
                                      GPOINTER_TO_UINT (g_hash_table_lookup (stems, image + images.prefix_len)) > 1);

      if (item.has_label)
        g_hash_table_add (used, item.label_path);
      add_item (self, &item);
    }

  for (guint i = 0; i < labels.labels->len; i++)
    {
      const char *label = g_ptr_array_index (labels.labels, i);
      BmDatasetItem item = { NULL, (char *) label, format, TRUE, (char *) pairing.split, FALSE, FALSE };

      /* a label of another extension, or one whose image was found, is no orphan */
      if (g_hash_table_lookup (label_stems, label + labels.prefix_len) != label || g_hash_table_contains (used, label))
        continue;
      add_item (self, &item);
      self->n_orphans++;
    }
  _bm_dataset_listing_clear (&images);
  _bm_dataset_listing_clear (&labels);
}

/* Which of two label files with one stem beside an image is its label, as labelImg decides:
 * a.xml wins over a.txt; between two of one kind (a.xml, a.XML) the later in natural order
 * for XML and the earlier for text, as the sorted pass this replaces did. */
static gboolean
flat_label_wins (const char *label, const char *known, gsize prefix_len)
{
  int order;

  if (known == NULL)
    return TRUE;
  if (is_xml (label) != is_xml (known))
    return is_xml (label);
  order = bm_natural_compare (label + prefix_len, known + prefix_len);
  return is_xml (label) ? order > 0 : order < 0;
}

/* What a .txt beside the images holds, DOTA or YOLO: the first one in natural order that tells
 * (read without sorting them all when that first one tells, as it nearly always does). */
static BmFormat
flat_txt_format (GPtrArray *labels, gsize prefix_len, gboolean has_classes)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  BmFormat format;

  if (has_classes)
    return BM_FORMAT_YOLO;
  for (guint i = 0; i < labels->len; i++)
    if (is_txt (g_ptr_array_index (labels, i)))
      g_ptr_array_add (texts, g_ptr_array_index (labels, i));
  if (texts->len == 0)
    return BM_FORMAT_DOTA;
  if ((format = bm_dataset_sniff_txt_format (first_path (texts, prefix_len))) != BM_FORMAT_NONE)
    return format;
  _bm_dataset_sort_paths (texts, prefix_len);
  for (guint i = 0; i < texts->len; i++)
    if ((format = bm_dataset_sniff_txt_format (g_ptr_array_index (texts, i))) != BM_FORMAT_NONE)
      return format;
  return BM_FORMAT_DOTA;
}

static BmDatasetItem
flat_item (BmDataset *self, GHashTable *by_stem, const char *image, gsize prefix_len, BmFormat txt_format,
           gboolean has_classes, gboolean shared)
{
  const char *rel = image + prefix_len;
  const char *label = g_hash_table_lookup (by_stem, rel);
  BmDatasetItem item = { 0 };

  item.image_path = (char *) image;
  item.label_path = label != NULL ? (char *) label : new_label_path (self, self->root, rel, ".xml");
  item.format = label == NULL || is_xml (label) ? BM_FORMAT_VOC : txt_format;
  item.has_label = label != NULL;
  item.format_guessed = label != NULL && is_txt (label) && !has_classes;
  item.label_shared = shared;
  return item;
}

/* Labels beside the images: a.jpg with a.xml (VOC) or a.txt (DOTA or YOLO, sniffed). */
static void
scan_flat (BmDataset *self, gboolean recursive, BmDatasetListing *root_files, GArray *root_entries)
{
  BmDatasetListing found = *root_files;
  g_autoptr(GHashTable) by_stem = g_hash_table_new (_bm_stem_hash, _bm_stem_equal);
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);
  g_autofree char *classes = g_build_filename (self->root, "classes.txt", NULL);
  gboolean has_classes = g_file_test (classes, G_FILE_TEST_EXISTS);
  guint counts[BM_FORMAT_YOLO + 1] = { 0 };
  g_autoptr(GHashTable) stems = NULL;
  BmFormat txt_format;
  gsize prefix;

  *root_files = (BmDatasetListing) { 0 };
  if (recursive)
    _bm_dataset_walk_below (self, self->root, root_entries, &found);
  prefix = found.prefix_len;
  for (guint i = 0; i < found.labels->len; i++)
    {
      const char *label = g_ptr_array_index (found.labels, i);

      if (flat_label_wins (label, g_hash_table_lookup (by_stem, label + prefix), prefix))
        g_hash_table_insert (by_stem, (gpointer) (label + prefix), (gpointer) label);
    }
  txt_format = flat_txt_format (found.labels, prefix, has_classes);

  if (self->first_func != NULL && found.images->len > 0)
    {
      const char *first = first_path (found.images, prefix);
      BmDatasetItem item = flat_item (self, by_stem, first, prefix, txt_format, has_classes,
                                      count_same_stem (found.images, prefix, first + prefix) > 1);

      tell_first (self, &item);
    }

  _bm_dataset_sort_paths (found.images, prefix);
  _bm_dataset_sort_paths (found.labels, prefix);
  stems = count_stems (found.images, prefix);
  for (guint i = 0; i < found.images->len; i++)
    {
      const char *image = g_ptr_array_index (found.images, i);
      BmDatasetItem item = flat_item (self, by_stem, image, prefix, txt_format, has_classes,
                                      GPOINTER_TO_UINT (g_hash_table_lookup (stems, image + prefix)) > 1);

      if (item.has_label)
        g_hash_table_add (used, item.label_path);
      counts[item.has_label ? item.format : BM_FORMAT_NONE]++;
      add_item (self, &item);
    }

  for (guint i = 0; i < found.labels->len; i++)
    {
      const char *label = g_ptr_array_index (found.labels, i);
      BmFormat format = is_xml (label) ? BM_FORMAT_VOC : txt_format;
      BmDatasetItem item = { NULL, (char *) label, format, TRUE, NULL, is_txt (label) && !has_classes, FALSE };

      if (g_hash_table_contains (used, label))
        continue;
      counts[format]++;
      add_item (self, &item);
      self->n_orphans++;
    }
  _bm_dataset_listing_clear (&found);

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
    pair_folders (self, images, labels ? labels : images, ".txt", BM_FORMAT_YOLO, TRUE, split, NULL, NULL);
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (((const BmDatasetEntry *) a)->name, ((const BmDatasetEntry *) b)->name);
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
          const BmDatasetEntry *split = &g_array_index (splits, BmDatasetEntry, i);
          g_autofree char *split_images = NULL;
          g_autofree char *split_labels = NULL;

          if (!split->is_dir)
            continue;
          split_images = g_build_filename (images, split->name, NULL);
          split_labels = g_build_filename (labels, split->name, NULL);
          has_splits = TRUE;
          pair_folders (self, split_images, split_labels, ".txt", BM_FORMAT_YOLO, TRUE, split->name, NULL, NULL);
        }
      if (!has_splits)
        pair_folders (self, images, labels, ".txt", BM_FORMAT_YOLO, TRUE, NULL, NULL, NULL);
      return TRUE;
    }

  for (guint i = 0; i < root_entries->len; i++)
    {
      const BmDatasetEntry *entry = &g_array_index (root_entries, BmDatasetEntry, i);
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
      const BmDatasetEntry *entry = &g_array_index (root_entries, BmDatasetEntry, i);
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
  GArray *sorted;

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
  g_array_unref (self->items);
  self->items = sorted;
}

static void
scan (BmDataset *self, gboolean recursive)
{
  static const char *const dota_labels[] = { "labelTxt", NULL };
  static const char *const voc_labels[] = { "Annotations", NULL };
  static const char *const voc_images[] = { "JPEGImages", "images", NULL };
  static const char *const dota_images[] = { "images", NULL };
  BmDatasetListing root_files = { g_ptr_array_new (), g_ptr_array_new (), 0, NULL };
  g_autoptr(GArray) root_entries = _bm_dataset_walk_root (self, self->root, &root_files);
  g_autofree char *label_dir = NULL;
  g_autofree char *image_dir = NULL;

  /* before the first item is told: it goes with the class file the dataset will have */
  find_class_file (self, root_entries);
  if ((label_dir = find_in_entries (self->root, root_entries, dota_labels)) != NULL)
    {
      image_dir = find_in_entries (self->root, root_entries, dota_images);
      self->layout = BM_LAYOUT_DOTA;
      self->format = BM_FORMAT_DOTA;
      pair_folders (self, image_dir ? image_dir : self->root, label_dir, ".txt", BM_FORMAT_DOTA,
                    recursive, NULL, image_dir ? NULL : &root_files, root_entries);
    }
  else if ((label_dir = find_in_entries (self->root, root_entries, voc_labels)) != NULL)
    {
      image_dir = find_in_entries (self->root, root_entries, voc_images);
      self->layout = BM_LAYOUT_VOC;
      self->format = BM_FORMAT_VOC;
      pair_folders (self, image_dir ? image_dir : self->root, label_dir, ".xml", BM_FORMAT_VOC,
                    recursive, NULL, image_dir ? NULL : &root_files, root_entries);
    }
  else if (scan_yolo (self, root_entries))
    {
      self->layout = BM_LAYOUT_YOLO;
      self->format = BM_FORMAT_YOLO;
    }
  else
    {
      self->layout = BM_LAYOUT_FLAT;
      scan_flat (self, recursive, &root_files, root_entries);
    }
  _bm_dataset_listing_clear (&root_files);
  move_orphans_last (self);
}

BmDataset *
bm_dataset_open (const char *path, gboolean recursive, GError **error)
{
  return bm_dataset_open_with_first (path, recursive, NULL, NULL, error);
}

BmDataset *
bm_dataset_open_with_first (const char          *path,
                            gboolean             recursive,
                            BmDatasetFirstFunc   first_func,
                            gpointer             user_data,
                            GError             **error)
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
  self->first_func = first_func;
  self->first_data = user_data;
  scan (self, recursive);
  self->first_func = NULL;
#ifdef __GLIBC__
  /* the listing's lists and tables are gone: a big folder would otherwise keep their pages */
  if (self->items->len > 50000)
    malloc_trim (0);
#endif
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
