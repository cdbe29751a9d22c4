/* bm-dataset-stats.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-parallel.h"
#include "formats/bm-label-io.h"
#include "bm-dataset-stats.h"

/* Items per unit of parallel work: large enough that merging is cheap, small enough that the
 * threads share the work evenly and a cancel is noticed soon. */
#define CHUNK_ITEMS 512

typedef struct
{
  guint objects;
  guint images;
} ClassCount;

struct _BmDatasetStats
{
  GObject parent_instance;

  BmStatsCounts counts;
  GPtrArray *class_names;      /* char *, in the order first met */
  GHashTable *class_index;     /* name → index + 1 (names owned by class_names) */
  GArray *class_counts;        /* ClassCount, by class index */
  GArray *objects;             /* BmStatsObject */
  GArray *item_flags;          /* guint8 */
  GArray *item_objects;        /* guint32 */
  GPtrArray *problem_lines;    /* char * */
};

G_DEFINE_FINAL_TYPE (BmDatasetStats, bm_dataset_stats, G_TYPE_OBJECT)

static void
bm_dataset_stats_finalize (GObject *object)
{
  BmDatasetStats *self = BM_DATASET_STATS (object);

  g_hash_table_unref (self->class_index);
  g_ptr_array_unref (self->class_names);
  g_array_unref (self->class_counts);
  g_array_unref (self->objects);
  g_array_unref (self->item_flags);
  g_array_unref (self->item_objects);
  g_ptr_array_unref (self->problem_lines);
  G_OBJECT_CLASS (bm_dataset_stats_parent_class)->finalize (object);
}

static void
bm_dataset_stats_class_init (BmDatasetStatsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bm_dataset_stats_finalize;
}

static void
bm_dataset_stats_init (BmDatasetStats *self)
{
  self->class_names = g_ptr_array_new_with_free_func (g_free);
  self->class_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->class_counts = g_array_new (FALSE, TRUE, sizeof (ClassCount));
  self->objects = g_array_new (FALSE, FALSE, sizeof (BmStatsObject));
  self->item_flags = g_array_new (FALSE, TRUE, sizeof (guint8));
  self->item_objects = g_array_new (FALSE, TRUE, sizeof (guint32));
  self->problem_lines = g_ptr_array_new_with_free_func (g_free);
}

BmDatasetStats *
bm_dataset_stats_new (void)
{
  return g_object_new (BM_TYPE_DATASET_STATS, NULL);
}

static guint
class_for (BmDatasetStats *self, const char *name)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->class_index, name));
  char *copy;

  if (index > 0)
    return index - 1;
  copy = g_strdup (name);
  g_ptr_array_add (self->class_names, copy);
  g_array_set_size (self->class_counts, self->class_names->len);
  g_hash_table_insert (self->class_index, copy, GUINT_TO_POINTER (self->class_names->len));
  return self->class_names->len - 1;
}

static double
distance (const BmPoint *a, const BmPoint *b)
{
  return hypot (b->x - a->x, b->y - a->y);
}

/* The sides of the shape itself (see the header). */
static void
shape_sides (const BmShape *shape, double *width, double *height)
{
  switch (shape->kind)
    {
    case BM_SHAPE_BOX:
      *width = fabs (shape->p[1].x - shape->p[0].x);
      *height = fabs (shape->p[2].y - shape->p[1].y);
      break;
    case BM_SHAPE_ROTATED:
      *width = distance (&shape->p[0], &shape->p[1]);
      *height = distance (&shape->p[1], &shape->p[2]);
      break;
    case BM_SHAPE_QUAD:
    default:
      *width = (distance (&shape->p[0], &shape->p[1]) + distance (&shape->p[2], &shape->p[3])) / 2;
      *height = (distance (&shape->p[1], &shape->p[2]) + distance (&shape->p[3], &shape->p[0])) / 2;
      break;
    }
}

static void
count_objects (BmDatasetStats *self, guint item_index, BmAnnotation *annotation)
{
  guint n = bm_annotation_get_n_objects (annotation);
  guint pre_annotations = self->counts.pre_annotations;
  g_autoptr(GHashTable) seen = NULL;

  for (guint i = 0; i < n; i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const BmShape *shape = bm_object_get_shape (object);
      guint klass = class_for (self, bm_object_get_label (object));
      ClassCount *count = &g_array_index (self->class_counts, ClassCount, klass);
      BmStatsObject record = { item_index, klass, 0, 0, 0 };
      double w, h;

      shape_sides (shape, &w, &h);
      record.width = (float) w;
      record.height = (float) h;
      record.area = (float) bm_shape_area (shape);
      g_array_append_val (self->objects, record);

      count->objects++;
      /* images per class: counted once per image */
      if (seen == NULL)
        seen = g_hash_table_new (NULL, NULL);
      if (g_hash_table_add (seen, GUINT_TO_POINTER (klass)))
        count->images++;
      self->counts.objects++;
      self->counts.rotated += shape->kind == BM_SHAPE_ROTATED;
      self->counts.quads += shape->kind == BM_SHAPE_QUAD;
      self->counts.difficult += bm_object_get_difficult (object) > 0;
      self->counts.pre_annotations += bm_object_get_pre_annotation (object);
    }
  self->counts.pre_annotated_images += self->counts.pre_annotations > pre_annotations;
}

void
bm_dataset_stats_add_problem (BmDatasetStats *self,
                              const char     *line)
{
  g_return_if_fail (BM_IS_DATASET_STATS (self) && line != NULL);

  self->counts.problems++;
  g_ptr_array_add (self->problem_lines, g_strdup (line));
}

void
bm_dataset_stats_add_item (BmDatasetStats      *self,
                           const BmDatasetItem *item,
                           BmAnnotation        *annotation,
                           const GError        *error)
{
  guint index;
  guint8 flags = 0;
  guint32 n_objects = 0;
  GPtrArray *problems;

  g_return_if_fail (BM_IS_DATASET_STATS (self));
  g_return_if_fail (item != NULL);

  index = self->item_flags->len;
  if (item->image_path != NULL)
    {
      self->counts.images++;
      flags |= BM_STATS_ITEM_HAS_IMAGE;
    }
  else
    self->counts.orphan_labels++;

  if (!item->has_label)
    {
      if (item->image_path != NULL)
        self->counts.unlabelled++;
      goto done;
    }
  flags |= BM_STATS_ITEM_LABELLED;
  if (item->image_path != NULL)
    self->counts.labelled++;

  if (annotation == NULL)
    {
      self->counts.files_with_problems++;
      self->counts.problems++;
      flags |= BM_STATS_ITEM_PROBLEMS;
      g_ptr_array_add (self->problem_lines,
                       g_strdup (error != NULL ? error->message : item->label_path));
      goto done;
    }
  flags |= BM_STATS_ITEM_READ;
  problems = bm_annotation_get_problems (annotation);
  if (problems->len > 0)
    {
      self->counts.files_with_problems++;
      self->counts.problems += problems->len;
      flags |= BM_STATS_ITEM_PROBLEMS;
      for (guint i = 0; i < problems->len; i++)
        g_ptr_array_add (self->problem_lines, bm_problem_to_string (g_ptr_array_index (problems, i)));
    }
  if (item->image_path != NULL && bm_annotation_get_verified (annotation))
    {
      self->counts.verified++;
      flags |= BM_STATS_ITEM_VERIFIED;
    }
  n_objects = bm_annotation_get_n_objects (annotation);
  if (n_objects == 0)
    self->counts.empty++;
  count_objects (self, index, annotation);

done:
  g_array_append_val (self->item_flags, flags);
  g_array_append_val (self->item_objects, n_objects);
}

/* Appends @part (the items after those of @self) to @self. */
static void
merge (BmDatasetStats *self, BmDatasetStats *part)
{
  guint offset = self->item_flags->len;
  g_autofree guint *class_map = g_new (guint, MAX (part->class_names->len, 1));
  guint first_object = self->objects->len;

  for (guint c = 0; c < part->class_names->len; c++)
    {
      const ClassCount *from = &g_array_index (part->class_counts, ClassCount, c);
      ClassCount *to;

      class_map[c] = class_for (self, part->class_names->pdata[c]);
      to = &g_array_index (self->class_counts, ClassCount, class_map[c]);
      to->objects += from->objects;
      to->images += from->images;
    }
  g_array_append_vals (self->objects, part->objects->data, part->objects->len);
  for (guint i = first_object; i < self->objects->len; i++)
    {
      BmStatsObject *object = &g_array_index (self->objects, BmStatsObject, i);

      object->item += offset;
      object->klass = class_map[object->klass];
    }
  g_array_append_vals (self->item_flags, part->item_flags->data, part->item_flags->len);
  g_array_append_vals (self->item_objects, part->item_objects->data, part->item_objects->len);
  for (guint i = 0; i < part->problem_lines->len; i++)
    g_ptr_array_add (self->problem_lines, g_strdup (part->problem_lines->pdata[i]));

  self->counts.images += part->counts.images;
  self->counts.labelled += part->counts.labelled;
  self->counts.unlabelled += part->counts.unlabelled;
  self->counts.verified += part->counts.verified;
  self->counts.empty += part->counts.empty;
  self->counts.objects += part->counts.objects;
  self->counts.rotated += part->counts.rotated;
  self->counts.quads += part->counts.quads;
  self->counts.difficult += part->counts.difficult;
  self->counts.pre_annotations += part->counts.pre_annotations;
  self->counts.pre_annotated_images += part->counts.pre_annotated_images;
  self->counts.orphan_labels += part->counts.orphan_labels;
  self->counts.files_with_problems += part->counts.files_with_problems;
  self->counts.problems += part->counts.problems;
}

typedef struct
{
  BmDataset *dataset;
  BmDatasetStats **parts;
  GCancellable *cancellable;
  guint *progress;
} ComputeJob;

static void
compute_chunk (guint chunk, gpointer user_data)
{
  ComputeJob *job = user_data;
  guint n = bm_dataset_get_n_items (job->dataset);
  guint first = chunk * CHUNK_ITEMS, last = MIN (n, first + CHUNK_ITEMS);
  BmDatasetStats *part;

  if (g_cancellable_is_cancelled (job->cancellable))
    return;
  part = bm_dataset_stats_new ();
  for (guint i = first; i < last; i++)
    {
      BmDatasetItem item = *bm_dataset_get_item (job->dataset, i);
      g_autoptr(BmAnnotation) annotation = NULL;
      g_autoptr(GError) error = NULL;

      /* the disk says, not the folder scan: the window may have saved a first label file since */
      if (!item.has_label && item.label_path != NULL && g_file_test (item.label_path, G_FILE_TEST_IS_REGULAR))
        item.has_label = TRUE;
      if (item.has_label)
        annotation = bm_label_load_full (&item, BM_LABEL_LOAD_FOR_READING, &error);
      bm_dataset_stats_add_item (part, &item, annotation, error);
    }
  job->parts[chunk] = part;
  if (job->progress != NULL)
    g_atomic_int_add ((gint *) job->progress, (gint) (last - first));
}

BmDatasetStats *
bm_dataset_stats_compute (BmDataset    *dataset,
                          guint         n_threads,
                          GCancellable *cancellable,
                          guint        *progress)
{
  guint n, n_chunks;
  ComputeJob job = { dataset, NULL, cancellable, progress };
  BmDatasetStats *stats;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);

  n = bm_dataset_get_n_items (dataset);
  n_chunks = (n + CHUNK_ITEMS - 1) / CHUNK_ITEMS;
  job.parts = g_new0 (BmDatasetStats *, MAX (n_chunks, 1));
  bm_parallel_for (n_chunks, n_threads, compute_chunk, &job);

  stats = bm_dataset_stats_new ();
  for (guint c = 0; c < n_chunks; c++)
    {
      if (job.parts[c] != NULL)
        merge (stats, job.parts[c]);
      g_clear_object (&job.parts[c]);
    }
  g_free (job.parts);
  if (g_cancellable_is_cancelled (cancellable))
    g_clear_object (&stats);
  return stats;
}

typedef struct
{
  BmDataset *dataset;
  guint *progress;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *async = data;

  g_object_unref (async->dataset);
  g_free (async);
}

static void
compute_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AsyncData *async = task_data;
  BmDatasetStats *stats = bm_dataset_stats_compute (async->dataset, 0, cancellable, async->progress);

  if (stats == NULL)
    g_task_return_new_error (task, BM_ERROR, BM_ERROR_CANCELLED, "%s", _("Cancelled"));
  else
    g_task_return_pointer (task, stats, g_object_unref);
}

void
bm_dataset_stats_compute_async (BmDataset           *dataset,
                                GCancellable        *cancellable,
                                guint               *progress,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *async;

  g_return_if_fail (BM_IS_DATASET (dataset));

  async = g_new0 (AsyncData, 1);
  async->dataset = g_object_ref (dataset);
  async->progress = progress;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bm_dataset_stats_compute_async);
  g_task_set_task_data (task, async, async_data_free);
  g_task_run_in_thread (task, compute_thread);
}

BmDatasetStats *
bm_dataset_stats_compute_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const BmStatsCounts *
bm_dataset_stats_get_counts (BmDatasetStats *self)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), NULL);
  return &self->counts;
}

guint
bm_dataset_stats_get_n_classes (BmDatasetStats *self)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  return self->class_names->len;
}

const char *
bm_dataset_stats_get_class_name (BmDatasetStats *self,
                                 guint           klass)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), NULL);
  g_return_val_if_fail (klass < self->class_names->len, NULL);
  return self->class_names->pdata[klass];
}

int
bm_dataset_stats_find_class (BmDatasetStats *self,
                             const char     *name)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), -1);
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->class_index, name)) - 1;
}

guint
bm_dataset_stats_get_class_objects (BmDatasetStats *self,
                                    guint           klass)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  g_return_val_if_fail (klass < self->class_counts->len, 0);
  return g_array_index (self->class_counts, ClassCount, klass).objects;
}

guint
bm_dataset_stats_get_class_images (BmDatasetStats *self,
                                   guint           klass)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  g_return_val_if_fail (klass < self->class_counts->len, 0);
  return g_array_index (self->class_counts, ClassCount, klass).images;
}

static int
compare_classes (gconstpointer a, gconstpointer b, gpointer user_data)
{
  BmDatasetStats *self = user_data;
  guint ca = *(const guint *) a, cb = *(const guint *) b;
  guint na = g_array_index (self->class_counts, ClassCount, ca).objects;
  guint nb = g_array_index (self->class_counts, ClassCount, cb).objects;

  if (na != nb)
    return na > nb ? -1 : 1;
  return strcmp (self->class_names->pdata[ca], self->class_names->pdata[cb]);
}

GArray *
bm_dataset_stats_sorted_classes (BmDatasetStats *self)
{
  GArray *order;

  g_return_val_if_fail (BM_IS_DATASET_STATS (self), NULL);

  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->class_names->len);
  for (guint c = 0; c < self->class_names->len; c++)
    g_array_append_val (order, c);
  g_array_sort_with_data (order, compare_classes, self);
  return order;
}

guint
bm_dataset_stats_get_n_objects (BmDatasetStats *self)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  return self->objects->len;
}

const BmStatsObject *
bm_dataset_stats_get_objects (BmDatasetStats *self)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), NULL);
  return (const BmStatsObject *) (gpointer) self->objects->data;
}

guint
bm_dataset_stats_get_n_items (BmDatasetStats *self)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  return self->item_flags->len;
}

BmStatsItemFlags
bm_dataset_stats_get_item_flags (BmDatasetStats *self,
                                 guint           item)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  g_return_val_if_fail (item < self->item_flags->len, 0);
  return g_array_index (self->item_flags, guint8, item);
}

guint
bm_dataset_stats_get_item_objects (BmDatasetStats *self,
                                   guint           item)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), 0);
  g_return_val_if_fail (item < self->item_objects->len, 0);
  return g_array_index (self->item_objects, guint32, item);
}

GPtrArray *
bm_dataset_stats_get_problem_lines (BmDatasetStats *self)
{
  g_return_val_if_fail (BM_IS_DATASET_STATS (self), NULL);
  return self->problem_lines;
}

static int
compare_area (gconstpointer a, gconstpointer b)
{
  float fa = (*(const BmStatsObject * const *) a)->area, fb = (*(const BmStatsObject * const *) b)->area;

  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;

  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

GArray *
bm_dataset_stats_unique_items (GArray *items)
{
  guint kept = 0;

  g_array_sort (items, compare_uint);
  for (guint i = 0; i < items->len; i++)
    if (kept == 0 || g_array_index (items, guint, i) != g_array_index (items, guint, kept - 1))
      g_array_index (items, guint, kept++) = g_array_index (items, guint, i);
  g_array_set_size (items, kept);
  return items;
}

GArray *
bm_dataset_stats_items_with_smallest (BmDatasetStats *self,
                                      int             klass,
                                      double          fraction)
{
  g_autoptr(GPtrArray) chosen = NULL;
  GArray *items;
  guint take;
  float cut;

  g_return_val_if_fail (BM_IS_DATASET_STATS (self), NULL);

  items = g_array_new (FALSE, FALSE, sizeof (guint));
  chosen = g_ptr_array_new ();
  for (guint i = 0; i < self->objects->len; i++)
    {
      BmStatsObject *object = &g_array_index (self->objects, BmStatsObject, i);

      if (klass < 0 || object->klass == (guint) klass)
        g_ptr_array_add (chosen, object);
    }
  if (chosen->len == 0 || !(fraction > 0))
    return items;
  g_ptr_array_sort (chosen, compare_area);
  take = (guint) ceil (MIN (fraction, 1.0) * chosen->len);
  take = CLAMP (take, 1, chosen->len);
  cut = ((BmStatsObject *) chosen->pdata[take - 1])->area;
  for (guint i = 0; i < chosen->len && ((BmStatsObject *) chosen->pdata[i])->area <= cut; i++)
    g_array_append_val (items, ((BmStatsObject *) chosen->pdata[i])->item);
  return bm_dataset_stats_unique_items (items);
}
