/* bm-augment-export-pool.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export-pool.h"

#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-image.h"
#include "core/bm-problem.h"
#include "formats/bm-label-io.h"

struct _BmAugmentExportPool
{
  gint ref_count;
  BmDataset *dataset;
  GArray *items;                 /* BmAugmentExportItem, one per dataset item */
  GArray *usable;                /* guint indices into items */
  GArray *by_channels[5];        /* usable indices by channel count: mixup and mosaic partners */
};

static gboolean
size_agrees (const BmDatasetItem *item, BmAnnotation *annotation, BmAugmentExportItem *entry, GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  int w = 0, h = 0, c = 0;

  if (!bm_image_read_info (item->image_path, &w, &h, &c, &error))
    {
      g_ptr_array_add (problems, bm_problem_new (item->image_path, 0, error->message));
      return FALSE;
    }
  if (bm_annotation_get_width (annotation) > 0 && bm_annotation_get_height (annotation) > 0
      && (bm_annotation_get_width (annotation) != w || bm_annotation_get_height (annotation) != h))
    {
      g_ptr_array_add (problems,
                       bm_problem_new_printf (item->label_path, 0,
                                              _("the label file records %d×%d but the image is %d×%d (EXIF-oriented); "
                                                "left out so that no box lands in the wrong place"),
                                              bm_annotation_get_width (annotation), bm_annotation_get_height (annotation), w, h));
      return FALSE;
    }
  entry->channels = CLAMP (c, 1, 4);
  entry->width = w;
  entry->height = h;
  return TRUE;
}

/* The distinct labels, first met first: all that class lists and class checks need. */
static const char **
distinct_labels (BmAnnotation *annotation)
{
  guint n = bm_annotation_get_n_objects (annotation), n_distinct = 0;
  const char **labels = g_new0 (const char *, n + 1);

  for (guint k = 0; k < n; k++)
    {
      const char *label = g_intern_string (bm_object_get_label (bm_annotation_get_object (annotation, k)));
      gboolean seen = FALSE;

      for (guint j = 0; j < n_distinct && !seen; j++)
        seen = labels[j] == label;
      if (!seen)
        labels[n_distinct++] = label;
    }
  return labels;
}

static gboolean
label_file_exists (const BmDatasetItem *item)
{
  /* the dataset scan may predate a label file the window saved since */
  return item->has_label || (item->label_path != NULL && g_file_test (item->label_path, G_FILE_TEST_EXISTS));
}

/* Reads one item and lets its labels go; what is wrong with it goes to @problems. */
static void
load_one (const BmDatasetItem *item, BmAugmentExportItem *entry, GPtrArray *problems, guint *n_unlabelled,
          guint *n_unverified)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  GPtrArray *found;

  memset (entry, 0, sizeof *entry);
  entry->item = item;
  if (item->image_path == NULL)
    {
      g_ptr_array_add (problems, bm_problem_new (item->label_path, 0, _("label file without an image")));
      return;
    }
  entry->labelled = label_file_exists (item);
  if (!entry->labelled)
    {
      (*n_unlabelled)++;
      return;
    }
  annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
  if (annotation == NULL)
    {
      /* the message already reads FILE:LINE: problem */
      g_ptr_array_add (problems, bm_problem_new (NULL, 0, error->message));
      return;
    }
  found = bm_annotation_get_problems (annotation);
  for (guint k = 0; k < found->len; k++)
    g_ptr_array_add (problems, bm_problem_copy (found->pdata[k]));
  if (bm_annotation_is_read_only (annotation))
    g_ptr_array_add (problems, bm_problem_new (item->label_path, 0,
                                               found->len > 0 ? _("the label file has problems (see above); not augmented")
                                                              : _("the label file is read-only; not augmented")));
  else if (bm_annotation_get_n_objects (annotation) == 0
           && !bm_annotation_get_verified (annotation) && item->format != BM_FORMAT_YOLO)
    (*n_unverified)++;
  else
    entry->usable = size_agrees (item, annotation, entry, problems);
  if (entry->usable)
    entry->labels = distinct_labels (annotation);
}

static BmAugmentExportPool *
pool_alloc (BmDataset *dataset, guint n)
{
  BmAugmentExportPool *pool = g_new0 (BmAugmentExportPool, 1);

  pool->ref_count = 1;
  pool->dataset = dataset != NULL ? g_object_ref (dataset) : NULL;
  pool->items = g_array_sized_new (FALSE, TRUE, sizeof (BmAugmentExportItem), n);
  pool->usable = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint c = 0; c < G_N_ELEMENTS (pool->by_channels); c++)
    pool->by_channels[c] = g_array_new (FALSE, FALSE, sizeof (guint));
  return pool;
}

static void
pool_append (BmAugmentExportPool *pool, const BmAugmentExportItem *entry)
{
  guint i = pool->items->len;

  g_array_append_vals (pool->items, entry, 1);
  if (entry->usable)
    {
      g_array_append_val (pool->usable, i);
      g_array_append_val (pool->by_channels[entry->channels], i);
    }
}

BmAugmentExportPool *
bm_augment_export_pool_new (BmDataset *dataset,
                            int        only,
                            GPtrArray *problems,
                            guint     *n_unlabelled,
                            guint     *n_unverified)
{
  BmAugmentExportPool *pool;
  guint n = dataset != NULL ? bm_dataset_get_n_items (dataset) : 0;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);

  g_return_val_if_fail (dataset == NULL || BM_IS_DATASET (dataset), NULL);

  pool = pool_alloc (dataset, n);
  for (guint i = 0; i < n; i++)
    {
      BmAugmentExportItem entry;
      guint unlabelled = 0, unverified = 0;

      g_ptr_array_set_size (found, 0);
      load_one (bm_dataset_get_item (dataset, i), &entry, found, &unlabelled, &unverified);
      if (only < 0 || (int) i == only)
        {
          if (problems != NULL)
            for (guint k = 0; k < found->len; k++)
              g_ptr_array_add (problems, bm_problem_copy (found->pdata[k]));
          if (n_unlabelled != NULL)
            *n_unlabelled += unlabelled;
          if (n_unverified != NULL)
            *n_unverified += unverified;
        }
      pool_append (pool, &entry);
    }
  return pool;
}

static const char **
copy_labels (const char **labels)
{
  guint n = 0;

  if (labels == NULL)
    return NULL;
  while (labels[n] != NULL)
    n++;
  return g_memdup2 (labels, (n + 1) * sizeof *labels);
}

BmAugmentExportPool *
bm_augment_export_pool_refresh (BmAugmentExportPool *pool,
                                const guint         *indices,
                                guint                n_indices)
{
  BmAugmentExportPool *fresh;
  g_autoptr(GPtrArray) ignored = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autofree gboolean *again = NULL;

  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (n_indices == 0 || indices != NULL, NULL);

  again = g_new0 (gboolean, pool->items->len + 1);
  for (guint k = 0; k < n_indices; k++)
    if (indices[k] < pool->items->len)
      again[indices[k]] = TRUE;
  fresh = pool_alloc (pool->dataset, pool->items->len);
  for (guint i = 0; i < pool->items->len; i++)
    {
      const BmAugmentExportItem *old = &g_array_index (pool->items, BmAugmentExportItem, i);
      BmAugmentExportItem entry = *old;
      guint unlabelled = 0, unverified = 0;

      if (again[i])
        load_one (old->item, &entry, ignored, &unlabelled, &unverified);
      else
        entry.labels = copy_labels (old->labels);
      pool_append (fresh, &entry);
    }
  return fresh;
}

BmAugmentExportPool *
bm_augment_export_pool_ref (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  g_atomic_int_inc (&pool->ref_count);
  return pool;
}

void
bm_augment_export_pool_unref (BmAugmentExportPool *pool)
{
  g_return_if_fail (pool != NULL);

  if (!g_atomic_int_dec_and_test (&pool->ref_count))
    return;
  for (guint i = 0; i < pool->items->len; i++)
    g_free (g_array_index (pool->items, BmAugmentExportItem, i).labels);
  g_array_unref (pool->items);
  g_array_unref (pool->usable);
  for (guint c = 0; c < G_N_ELEMENTS (pool->by_channels); c++)
    g_array_unref (pool->by_channels[c]);
  g_clear_object (&pool->dataset);
  g_free (pool);
}

BmDataset *
bm_augment_export_pool_get_dataset (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  return pool->dataset;
}

guint
bm_augment_export_pool_get_n_items (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, 0);
  return pool->items->len;
}

const BmAugmentExportItem *
bm_augment_export_pool_get_item (BmAugmentExportPool *pool,
                                 guint                index)
{
  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (index < pool->items->len, NULL);
  return &g_array_index (pool->items, BmAugmentExportItem, index);
}

GArray *
bm_augment_export_pool_get_usable (BmAugmentExportPool *pool)
{
  g_return_val_if_fail (pool != NULL, NULL);
  return pool->usable;
}

/* The labels of @entry as the pool judged them; NULL (no error) for an item it found unusable
 * whose labels cannot be read, as the sample of an unlabelled image has none. */
static BmAnnotation *
reload_labels (const BmAugmentExportItem *entry, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;

  if (!entry->labelled)
    return NULL;
  annotation = bm_label_load_full (entry->item, BM_LABEL_LOAD_FOR_READING, &local_error);
  if (!entry->usable)
    return g_steal_pointer (&annotation);
  if (annotation == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (bm_annotation_is_read_only (annotation)
      || (bm_annotation_get_width (annotation) > 0 && bm_annotation_get_height (annotation) > 0
          && (bm_annotation_get_width (annotation) != entry->width || bm_annotation_get_height (annotation) != entry->height)))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: changed while being augmented; run again"),
                   entry->item->label_path);
      return NULL;
    }
  return g_steal_pointer (&annotation);
}

BmAugmentSample *
bm_augment_export_pool_load_sample (BmAugmentExportPool    *pool,
                                    guint                   index,
                                    int                     channels,
                                    const BmAugmentProfile *profile,
                                    GError                **error)
{
  const BmAugmentExportItem *entry;
  g_autoptr(BmImage) image = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  GError *load_error = NULL;

  g_return_val_if_fail (pool != NULL && index < pool->items->len, NULL);

  entry = &g_array_index (pool->items, BmAugmentExportItem, index);
  annotation = reload_labels (entry, &load_error);
  if (load_error != NULL)
    {
      g_propagate_error (error, load_error);
      return NULL;
    }
  image = bm_image_load (entry->item->image_path, error);
  if (image == NULL)
    return NULL;
  if (channels > 0 && image->channels != channels && (channels == 1 || channels == 3 || channels == 4))
    {
      /* mixup and mosaic need the partner in the sample's channel count */
      BmImage *converted = bm_image_convert (image, channels);

      bm_image_unref (image);
      image = converted;
    }
  return bm_augment_sample_new (image, annotation, profile);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_label (GPtrArray *labels, GHashTable *seen, const char *label)
{
  if (g_hash_table_add (seen, (gpointer) label))
    g_ptr_array_add (labels, (gpointer) label);
}

BmClassList *
bm_augment_export_pool_sorted_labels (BmAugmentExportPool *pool,
                                      BmAnnotation        *extra)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BmClassList *classes = bm_class_list_new ();

  g_return_val_if_fail (pool != NULL, classes);

  for (guint u = 0; u < pool->usable->len; u++)
    {
      const char **item_labels = g_array_index (pool->items, BmAugmentExportItem, g_array_index (pool->usable, guint, u)).labels;

      for (guint k = 0; item_labels != NULL && item_labels[k] != NULL; k++)
        add_label (labels, seen, item_labels[k]);
    }
  for (guint k = 0; extra != NULL && k < bm_annotation_get_n_objects (extra); k++)
    add_label (labels, seen, bm_object_get_label (bm_annotation_get_object (extra, k)));
  g_ptr_array_sort (labels, compare_strings);
  for (guint i = 0; i < labels->len; i++)
    bm_class_list_add (classes, labels->pdata[i]);
  return classes;
}

/* Only a label's first sighting matters: later ones are matched or reported already. */
static void
match_label (const char *label, const char *label_path, BmClassList *classes, GHashTable *class_names,
             GHashTable *reported, GPtrArray *matched, GString *missing)
{
  int id;

  if (bm_class_list_find (classes, label) >= 0 || g_hash_table_contains (class_names, label))
    return;
  id = bm_class_list_find_loose (classes, label);
  if (id >= 0)
    {
      g_hash_table_insert (class_names, g_strdup (label), g_strdup (bm_class_list_get_name (classes, (guint) id)));
      if (matched != NULL)
        g_ptr_array_add (matched, g_strdup (label));
    }
  else if (g_hash_table_add (reported, g_strdup (label)))
    g_string_append_printf (missing, "\n  “%s”: %s", label, label_path ? label_path : "");
}

gboolean
bm_augment_export_pool_match_classes (BmAugmentExportPool *pool,
                                      BmAnnotation        *extra,
                                      BmClassList         *classes,
                                      GHashTable          *class_names,
                                      GPtrArray           *matched,
                                      GString             *missing)
{
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize before;

  g_return_val_if_fail (pool != NULL && classes != NULL && class_names != NULL && missing != NULL, FALSE);

  before = missing->len;
  for (guint u = 0; u < pool->usable->len; u++)
    {
      const BmAugmentExportItem *entry = &g_array_index (pool->items, BmAugmentExportItem,
                                                         g_array_index (pool->usable, guint, u));

      for (guint k = 0; entry->labels != NULL && entry->labels[k] != NULL; k++)
        match_label (entry->labels[k], entry->item->label_path, classes, class_names, reported, matched, missing);
    }
  for (guint k = 0; extra != NULL && k < bm_annotation_get_n_objects (extra); k++)
    match_label (bm_object_get_label (bm_annotation_get_object (extra, k)), bm_annotation_get_label_path (extra),
                 classes, class_names, reported, matched, missing);
  return missing->len == before;
}

/* Trainers see one colour model, so partners share the source's channel count. */
GArray *
bm_augment_export_pool_choose_partners (BmAugmentExportPool *pool,
                                        guint                self,
                                        int                  channels,
                                        guint                n_needed,
                                        BmAugmentRng        *rng)
{
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *group;
  guint n_candidates, self_pos = G_MAXUINT, want;

  if (pool == NULL || n_needed == 0)
    return chosen;
  group = pool->by_channels[CLAMP (channels, 0, 4)];
  n_candidates = group->len;
  /* the group is in dataset order: binary search */
  for (guint lo = 0, hi = group->len; lo < hi;)
    {
      guint mid = lo + (hi - lo) / 2, value = g_array_index (group, guint, mid);

      if (value == self)
        {
          self_pos = mid;
          break;
        }
      if (value < self)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (self_pos != G_MAXUINT)
    n_candidates--;
  want = MIN (n_needed, n_candidates);
  while (chosen->len < want)
    {
      guint pos = (guint) bm_augment_rng_int (rng, 0, (int) n_candidates);
      guint index;
      gboolean taken = FALSE;

      if (self_pos != G_MAXUINT && pos >= self_pos)
        pos++;
      index = g_array_index (group, guint, pos);
      for (guint c = 0; c < chosen->len; c++)
        taken = taken || g_array_index (chosen, guint, c) == index;
      if (!taken)
        g_array_append_val (chosen, index);
    }
  return chosen;
}

int
bm_augment_export_pool_get_channels (BmAugmentExportPool *pool,
                                     guint                index,
                                     int                  decoded)
{
  if (pool != NULL && index < pool->items->len && g_array_index (pool->items, BmAugmentExportItem, index).usable)
    return g_array_index (pool->items, BmAugmentExportItem, index).channels;
  return CLAMP (decoded, 1, 4);
}
