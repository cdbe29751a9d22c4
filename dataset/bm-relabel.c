/* bm-relabel.c: the class manager.
 *
 * Two passes over the label files: a plan (what each file would become, and what stands in the
 * way) and, unless it is a dry run and nothing stands in the way of a YOLO renumbering, the
 * writes. Class files are planned before either pass, so that a class file that cannot be edited
 * safely stops the request before any label file is touched, and written last.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "formats/bm-label-io.h"
#include "formats/bm-yolo.h"
#include "bm-class-catalog.h"
#include "bm-relabel-classes.h"
#include "bm-relabel.h"

/* How the ids of the YOLO label files using one class file (or none) change. */
typedef struct
{
  int *map;           /* id → new id, or -1: the row goes; NULL: the ids do not change */
  guint n_map;
  gboolean renumbers; /* ids other than the class's own move: no file may be left out */
  int old_id;         /* the class's own id, or -1 */
  char *refusal;      /* for files that cannot be relabelled at all (ids without class list) */
} IdMap;

typedef struct
{
  char *path;
  char *data;         /* planned text */
  gsize length;
  BmFileStamp stamp;  /* the file as planned */
  char *old_data;     /* what was there, to put back */
  gsize old_length;
  char *change;       /* "“a” → “b”" or "“a” removed" */
  gboolean written;
} ClassFilePlan;

typedef struct
{
  guint n_objects;     /* objects of the class */
  guint n_rows;        /* rows or objects to change (YOLO: renumbered ones too); 0: nothing to do */
  char *reason;        /* skipped: why */
  const IdMap *ids;    /* YOLO files */
  gboolean has_new;    /* the file already holds objects of the new name */
  /* YOLO, while writing: the bytes to put back */
  char *old_data;
  gsize old_length;
  gboolean written;
} ItemPlan;

typedef struct
{
  BmDataset *dataset;
  const char *old_name;
  const char *new_name;     /* NULL: delete */
  GCancellable *cancellable;
  ItemPlan *plans;
  IdMap **item_ids;         /* per item: the YOLO id map, or NULL */
} Relabel;

static void
id_map_free (IdMap *ids)
{
  g_free (ids->map);
  g_free (ids->refusal);
  g_free (ids);
}

static void
class_file_plan_free (ClassFilePlan *plan)
{
  g_free (plan->path);
  g_free (plan->data);
  g_free (plan->old_data);
  g_free (plan->change);
  g_free (plan);
}

static void
relabel_file_free (BmRelabelFile *file)
{
  g_free (file->path);
  g_free (file->reason);
  g_free (file);
}

static BmRelabelFile *
relabel_file_new (const char *path, guint n_objects, guint n_renumbered, const char *reason)
{
  BmRelabelFile *file = g_new0 (BmRelabelFile, 1);

  file->path = g_strdup (path);
  file->n_objects = n_objects;
  file->n_renumbered = n_renumbered;
  file->reason = g_strdup (reason);
  return file;
}

void
bm_relabel_report_free (BmRelabelReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->changed);
  g_ptr_array_unref (report->class_files);
  g_ptr_array_unref (report->skipped);
  g_ptr_array_unref (report->notes);
  g_free (report);
}

static BmRelabelReport *
report_new (gboolean dry_run)
{
  BmRelabelReport *report = g_new0 (BmRelabelReport, 1);

  report->dry_run = dry_run;
  report->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) relabel_file_free);
  report->class_files = g_ptr_array_new_with_free_func ((GDestroyNotify) relabel_file_free);
  report->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) relabel_file_free);
  report->notes = g_ptr_array_new_with_free_func (g_free);
  return report;
}

/* ---- names ---- */

static gboolean
check_names (const char *old_name, const char *new_name, GError **error)
{
  if (old_name == NULL || old_name[0] == '\0')
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("name the class to change"));
      return FALSE;
    }
  if (new_name == NULL)
    return TRUE;
  {
    g_autofree char *normalized = bm_class_catalog_normalize_name (new_name);

    if (normalized == NULL || strcmp (normalized, new_name) != 0)
      {
        g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                     _("“%s” cannot be a class name (empty, surrounding spaces, a line break or a control character)"),
                     new_name);
        return FALSE;
      }
  }
  if (strcmp (old_name, new_name) == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("the new name is the old one"));
      return FALSE;
    }
  return TRUE;
}

static char *
describe_change (const char *old_name, const char *new_name, gboolean removed)
{
  if (!removed)
    return g_strdup_printf (_("“%s” → “%s”"), old_name, new_name);
  if (new_name != NULL)
    return g_strdup_printf (_("“%s” removed (merged into “%s”)"), old_name, new_name);
  return g_strdup_printf (_("“%s” removed"), old_name);
}

/* ---- files that can be written ---- */

/* NULL when @path can be replaced atomically (the file and its folder writable), else why not. */
static char *
why_not_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  /* as bm_file_write_atomic decides: even root does not replace a file its owner protected */
  if (g_stat (path, &st) == 0 && ((st.st_mode & 0222) == 0 || g_access (path, W_OK) != 0))
    return g_strdup (_("the file is read-only"));
  if (g_access (dir, W_OK) != 0)
    return g_strdup (_("its folder is read-only"));
  return NULL;
}

/* ---- class files ---- */

static void
add_class_file_candidate (GPtrArray *paths, GHashTable *seen, const char *path)
{
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_hash_table_contains (seen, path))
    return;
  g_hash_table_add (seen, g_strdup (path));
  g_ptr_array_add (paths, g_strdup (path));
}

/* The dataset's class file, CVAT's labelmap.txt beside it, and the class file every YOLO label
 * file finds (which gives its ids their names). */
static GPtrArray *
class_file_candidates (Relabel *r, GHashTable *yolo_class_file)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *labelmap = g_build_filename (bm_dataset_get_root (r->dataset), "labelmap.txt", NULL);
  guint n = bm_dataset_get_n_items (r->dataset);

  add_class_file_candidate (paths, seen, bm_dataset_get_class_file (r->dataset));
  add_class_file_candidate (paths, seen, labelmap);
  for (guint i = 0; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (r->dataset, i);
      g_autofree char *dir = NULL;
      char *class_file;

      if (item->format != BM_FORMAT_YOLO || item->label_path == NULL)
        continue;
      dir = g_path_get_dirname (item->label_path);
      if (g_hash_table_contains (yolo_class_file, dir))
        continue;
      class_file = bm_yolo_find_class_file (item->label_path);
      add_class_file_candidate (paths, seen, class_file);
      g_hash_table_insert (yolo_class_file, g_steal_pointer (&dir), class_file);
    }
  return paths;
}

static ClassFilePlan *
plan_class_file (Relabel *r, const char *path, int *old_id, gboolean *removed, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  ClassFilePlan *plan;
  BmFileStamp stamp;
  char *text;
  gsize text_length = 0;

  if (!bm_file_read_all_stamped (path, &data, &length, &stamp, error))
    return NULL;
  text = bm_relabel_class_file_text (path, data, length, r->old_name, r->new_name, old_id, removed,
                                     &text_length, error);
  if (text == NULL)
    return NULL;
  plan = g_new0 (ClassFilePlan, 1);
  plan->path = g_strdup (path);
  plan->data = text;
  plan->length = text_length;
  plan->stamp = stamp;
  plan->old_data = g_steal_pointer (&data);
  plan->old_length = length;
  plan->change = describe_change (r->old_name, r->new_name, *removed);
  return plan;
}

/* id → new id once entry @old_id of a list of @n is renamed (nothing moves), merged into
 * @new_id or removed (-1: its rows go) and the ids above it move down. */
static IdMap *
id_map_for_class_file (guint n, int old_id, gboolean removed, int new_id)
{
  IdMap *ids = g_new0 (IdMap, 1);

  ids->old_id = old_id;
  if (!removed)
    return ids;   /* a rename: the ids stay, only the class file changes */
  ids->n_map = n;
  ids->map = g_new (int, n);
  ids->renumbers = TRUE;
  for (guint i = 0; i < n; i++)
    {
      if ((int) i < old_id)
        ids->map[i] = (int) i;
      else if ((int) i > old_id)
        ids->map[i] = (int) i - 1;
      else
        ids->map[i] = new_id < 0 ? -1 : new_id > old_id ? new_id - 1 : new_id;
    }
  return ids;
}

/* YOLO files without a class list: their labels are the ids. */
static IdMap *
id_map_for_plain_ids (const char *old_name, const char *new_name)
{
  IdMap *ids = g_new0 (IdMap, 1);
  guint64 old_id, new_id = 0;

  ids->old_id = -1;
  if (!bm_number_parse_uint (old_name, G_MAXINT, &old_id))
    return ids;   /* no such class among plain ids */
  ids->old_id = (int) old_id;
  if (new_name != NULL && !bm_number_parse_uint (new_name, G_MAXINT, &new_id))
    {
      ids->refusal = g_strdup_printf (_("its class ids have no class list, so “%s” cannot be given a name; add a classes.txt or data.yaml first"),
                                      old_name);
      return ids;
    }
  ids->n_map = (guint) old_id + 1;
  ids->map = g_new (int, ids->n_map);
  for (guint i = 0; i < ids->n_map; i++)
    ids->map[i] = (int) i;
  ids->map[old_id] = new_name != NULL ? (int) new_id : -1;
  return ids;
}

/* ---- the plan of one label file ---- */

/* Whether @data may hold an object named @name: XML without references (&…;) spells the name
 * out, DOTA always does. The full read decides. */
static gboolean
may_hold_name (const char *data, gsize length, const char *name)
{
  return memchr (data, '&', length) != NULL || memmem (data, length, name, strlen (name)) != NULL;
}

static guint
count_named (BmAnnotation *annotation, const char *name)
{
  guint n = 0;

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    n += strcmp (bm_object_get_label (bm_annotation_get_object (annotation, i)), name) == 0;
  return n;
}

static void
plan_named_file (Relabel *r, const BmDatasetItem *item, ItemPlan *plan)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  if (!bm_file_read_all (item->label_path, &data, &length, &error))
    {
      if (!g_error_matches (error, BM_ERROR, BM_ERROR_NOT_FOUND))
        plan->reason = g_strdup (error->message);
      return;
    }
  if (!may_hold_name (data, length, r->old_name))
    return;
  annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
  if (annotation == NULL)
    {
      plan->reason = g_strdup (error->message);
      return;
    }
  plan->n_objects = plan->n_rows = count_named (annotation, r->old_name);
  /* a file with problems may hold the class in a line that could not be read: said, not changed */
  if (bm_annotation_is_read_only (annotation)
      && (plan->n_objects > 0 || memmem (data, length, r->old_name, strlen (r->old_name)) != NULL))
    {
      plan->reason = g_strdup (_("the file has problems (see boxmark-cli validate); not changed"));
      return;
    }
  if (plan->n_objects == 0)
    return;
  plan->has_new = r->new_name != NULL && count_named (annotation, r->new_name) > 0;
  if (bm_annotation_get_format (annotation) == BM_FORMAT_DOTA && r->new_name != NULL
           && strpbrk (r->new_name, " \t\n\r\v\f") != NULL)
    {
      g_autofree char *token = g_strdup (r->new_name);

      g_strdelimit (token, " \t\n\r\v\f", '-');
      plan->reason = g_strdup_printf (_("a DOTA class name cannot hold a space (“%s” could be used)"), token);
    }
  else
    plan->reason = why_not_writable (item->label_path);
}

/* How many rows of @data have class id @id (-1: none). */
static guint
count_rows_with_id (const char *data, gsize length, int id)
{
  g_autofree int *probe = NULL;
  g_autofree char *remapped = NULL;
  guint n = 0;

  if (id < 0)
    return 0;
  probe = g_new (int, id + 1);
  for (int i = 0; i <= id; i++)
    probe[i] = i;
  probe[id] = -1;
  remapped = bm_yolo_remap_class_ids (data, length, NULL, probe, (guint) id + 1, &n, NULL, NULL);
  return remapped != NULL ? n : 0;
}

static void
plan_yolo_file (Relabel *r, const BmDatasetItem *item, const IdMap *ids, ItemPlan *plan)
{
  g_autofree char *data = NULL;
  g_autofree char *remapped = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  plan->ids = ids;
  if (ids->map == NULL && ids->refusal == NULL)
    return;
  if (!bm_file_read_all (item->label_path, &data, &length, &error))
    {
      if (!g_error_matches (error, BM_ERROR, BM_ERROR_NOT_FOUND))
        plan->reason = g_strdup (error->message);
      return;
    }
  plan->n_objects = count_rows_with_id (data, length, ids->old_id);
  if (ids->refusal != NULL)
    {
      /* only files that hold the class are refused */
      plan->n_rows = plan->n_objects;
      if (plan->n_rows > 0)
        plan->reason = g_strdup (ids->refusal);
      return;
    }
  remapped = bm_yolo_remap_class_ids (data, length, item->label_path, ids->map, ids->n_map,
                                      &plan->n_rows, NULL, &error);
  if (remapped == NULL)
    {
      plan->n_rows = 1;   /* cannot tell: it must not be left behind silently */
      plan->reason = g_strdup (error->message);
      return;
    }
  if (plan->n_rows > 0)
    plan->reason = why_not_writable (item->label_path);
}

static void
plan_item (guint index, gpointer user_data)
{
  Relabel *r = user_data;
  const BmDatasetItem *item = bm_dataset_get_item (r->dataset, index);

  if (item->label_path == NULL || g_cancellable_is_cancelled (r->cancellable))
    return;
  if (r->item_ids[index] != NULL)
    plan_yolo_file (r, item, r->item_ids[index], &r->plans[index]);
  else if (item->format != BM_FORMAT_YOLO)
    plan_named_file (r, item, &r->plans[index]);
}

/* ---- writing one label file ---- */

static void
apply_named_file (Relabel *r, const BmDatasetItem *item, ItemPlan *plan)
{
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  annotation = bm_label_load (item, &error);
  if (annotation == NULL || bm_annotation_is_read_only (annotation))
    {
      plan->reason = g_strdup (annotation == NULL ? error->message
                                                  : _("the file has problems (see boxmark-cli validate); not changed"));
      return;
    }
  for (guint i = bm_annotation_get_n_objects (annotation); i > 0; i--)
    {
      BmObject *object = bm_annotation_get_object (annotation, i - 1);

      if (strcmp (bm_object_get_label (object), r->old_name) != 0)
        continue;
      n++;
      if (r->new_name == NULL)
        bm_annotation_remove_object (annotation, i - 1);
      else
        bm_object_set_label (object, r->new_name);
    }
  plan->n_objects = plan->n_rows = n;
  if (n == 0)
    return;
  /* bm_label_save: lossless, atomic, and refused when the file changed since it was read */
  if (!bm_label_save (annotation, &error))
    plan->reason = g_strdup (error->message);
}

static void
apply_yolo_file (const BmDatasetItem *item, ItemPlan *plan)
{
  g_autofree char *data = NULL;
  g_autofree char *remapped = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0, remapped_length = 0;
  BmFileStamp stamp, now;

  if (!bm_file_read_all_stamped (item->label_path, &data, &length, &stamp, &error))
    {
      plan->reason = g_strdup (error->message);
      return;
    }
  plan->n_objects = count_rows_with_id (data, length, plan->ids->old_id);
  remapped = bm_yolo_remap_class_ids (data, length, item->label_path, plan->ids->map, plan->ids->n_map,
                                      &plan->n_rows, &remapped_length, &error);
  if (remapped == NULL)
    {
      plan->reason = g_strdup (error->message);
      return;
    }
  if (plan->n_rows == 0)
    return;
  bm_file_stamp_read (item->label_path, &now);
  if (!bm_file_stamp_equal (&stamp, &now))
    {
      plan->reason = g_strdup_printf (_("%s: changed on disk meanwhile (by another program?); not changed"),
                                      item->label_path);
      return;
    }
  if (!bm_file_write_atomic (item->label_path, remapped, remapped_length, &error))
    {
      plan->reason = g_strdup (error->message);
      return;
    }
  plan->written = TRUE;
  plan->old_data = g_steal_pointer (&data);
  plan->old_length = length;
}

static void
apply_item (guint index, gpointer user_data)
{
  Relabel *r = user_data;
  const BmDatasetItem *item = bm_dataset_get_item (r->dataset, index);
  ItemPlan *plan = &r->plans[index];

  if (plan->n_rows == 0 || plan->reason != NULL)
    return;
  if (plan->ids != NULL)
    apply_yolo_file (item, plan);
  else
    apply_named_file (r, item, plan);
}

/* ---- putting back ---- */

static void
put_back (Relabel *r, GPtrArray *class_plans, GPtrArray *notes)
{
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    {
      ItemPlan *plan = &r->plans[i];
      g_autoptr(GError) error = NULL;

      if (!plan->written)
        continue;
      if (!bm_file_write_atomic (bm_dataset_get_item (r->dataset, i)->label_path, plan->old_data,
                                 plan->old_length, &error))
        g_ptr_array_add (notes, g_strdup_printf (_("could not put back: %s"), error->message));
      plan->written = FALSE;
    }
  for (guint i = 0; i < class_plans->len; i++)
    {
      ClassFilePlan *plan = g_ptr_array_index (class_plans, i);
      g_autoptr(GError) error = NULL;

      if (plan->written && !bm_file_write_atomic (plan->path, plan->old_data, plan->old_length, &error))
        g_ptr_array_add (notes, g_strdup_printf (_("could not put back: %s"), error->message));
      plan->written = FALSE;
    }
}

static gboolean
write_class_file (ClassFilePlan *plan, GError **error)
{
  BmFileStamp now;

  bm_file_stamp_read (plan->path, &now);
  if (!bm_file_stamp_equal (&plan->stamp, &now))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT,
                   _("%s: changed on disk meanwhile (by another program?)"), plan->path);
      return FALSE;
    }
  if (!bm_file_write_atomic (plan->path, plan->data, plan->length, error))
    return FALSE;
  plan->written = TRUE;
  return TRUE;
}

/* Ultralytics keeps the rows it read in labels*.cache and trusts it while the files' names and
 * sizes stay the same; a renumbered "5" → "4" keeps the size. */
static void
note_label_caches (Relabel *r, GPtrArray *notes)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (r->dataset, i);
      g_autofree char *dir = NULL;
      g_autofree char *cache = NULL;

      if (!r->plans[i].written)
        continue;
      dir = g_path_get_dirname (item->label_path);
      cache = g_strconcat (dir, ".cache", NULL);
      if (g_file_test (cache, G_FILE_TEST_IS_REGULAR) && g_hash_table_add (seen, g_strdup (cache)))
        g_ptr_array_add (notes, g_strdup_printf (_("%s holds the old class ids; delete it before training (Ultralytics would use it)"),
                                                 cache));
    }
}

/* ---- the request ---- */

static gboolean
plan_class_files (Relabel *r, GPtrArray *class_plans, GHashTable *yolo_class_file,
                  GHashTable *maps_by_file, gboolean *listed_new, GError **error)
{
  g_autoptr(GPtrArray) candidates = class_file_candidates (r, yolo_class_file);

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *path = g_ptr_array_index (candidates, i);
      int old_id = -1;
      gboolean removed = FALSE;
      g_autoptr(GError) local_error = NULL;
      ClassFilePlan *plan = plan_class_file (r, path, &old_id, &removed, &local_error);

      if (plan == NULL && local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (plan == NULL)
        continue;
      g_ptr_array_add (class_plans, plan);
      if (removed && r->new_name != NULL)
        *listed_new = TRUE;
      /* the ids of YOLO files using this list */
      {
        g_autoptr(BmClassList) before = bm_class_list_load (path, NULL);
        int new_id = before != NULL && r->new_name != NULL ? bm_class_list_find (before, r->new_name) : -1;
        guint n = before != NULL ? bm_class_list_get_n (before) : 0;

        g_hash_table_insert (maps_by_file, g_strdup (path), id_map_for_class_file (n, old_id, removed, new_id));
      }
    }
  return TRUE;
}

static BmRelabelReport *
build_report (Relabel *r, GPtrArray *class_plans, gboolean dry_run, gboolean listed_new, GPtrArray *notes)
{
  BmRelabelReport *report = report_new (dry_run);
  guint n = bm_dataset_get_n_items (r->dataset);

  report->merge = listed_new;
  for (guint i = 0; i < n; i++)
    {
      const ItemPlan *plan = &r->plans[i];
      const char *path = bm_dataset_get_item (r->dataset, i)->label_path;

      if (plan->reason != NULL)
        g_ptr_array_add (report->skipped, relabel_file_new (path, plan->n_objects, 0, plan->reason));
      else if (plan->n_rows > 0)
        {
          g_ptr_array_add (report->changed, relabel_file_new (path, plan->n_objects,
                                                              plan->n_rows - plan->n_objects, NULL));
          report->n_objects += plan->n_objects;
        }
      if (plan->has_new)
        report->merge = TRUE;
    }
  for (guint i = 0; i < class_plans->len; i++)
    {
      ClassFilePlan *plan = g_ptr_array_index (class_plans, i);

      if (dry_run || plan->written)
        g_ptr_array_add (report->class_files, relabel_file_new (plan->path, 0, 0, plan->change));
    }
  for (guint i = 0; i < notes->len; i++)
    g_ptr_array_add (report->notes, g_strdup (g_ptr_array_index (notes, i)));
  return report;
}

/* YOLO files whose ids move must all be changed: the ones that cannot be. */
static GString *
renumbering_blockers (Relabel *r)
{
  GString *blockers = NULL;
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    {
      const ItemPlan *plan = &r->plans[i];

      if (plan->ids == NULL || !plan->ids->renumbers || plan->reason == NULL)
        continue;
      if (blockers == NULL)
        blockers = g_string_new (NULL);
      g_string_append_printf (blockers, "\n  %s: %s", bm_dataset_get_item (r->dataset, i)->label_path, plan->reason);
    }
  return blockers;
}

static void
relabel_clear (Relabel *r)
{
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    {
      g_free (r->plans[i].reason);
      g_free (r->plans[i].old_data);
    }
  g_free (r->plans);
  g_free (r->item_ids);
}

BmRelabelReport *
bm_relabel (BmDataset *dataset, const char *old_name, const char *new_name, gboolean dry_run,
            GCancellable *cancellable, GError **error)
{
  g_autoptr(GPtrArray) class_plans = g_ptr_array_new_with_free_func ((GDestroyNotify) class_file_plan_free);
  g_autoptr(GHashTable) yolo_class_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) maps_by_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) id_map_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) class_failures = g_ptr_array_new_with_free_func ((GDestroyNotify) relabel_file_free);
  g_autoptr(GString) blockers = NULL;
  IdMap *plain_ids = NULL;
  BmRelabelReport *report = NULL;
  gboolean listed_new = FALSE, any = FALSE;
  Relabel r = { 0 };
  guint n;

  g_return_val_if_fail (BM_IS_DATASET (dataset), NULL);

  if (!check_names (old_name, new_name, error))
    return NULL;
  r.dataset = dataset;
  r.old_name = old_name;
  r.new_name = new_name;
  r.cancellable = cancellable;
  n = bm_dataset_get_n_items (dataset);
  r.plans = g_new0 (ItemPlan, MAX (n, 1));
  r.item_ids = g_new0 (IdMap *, MAX (n, 1));

  if (!plan_class_files (&r, class_plans, yolo_class_file, maps_by_file, &listed_new, error))
    goto out;

  /* each YOLO file's id map: its class file's, or (no class file) its labels are its ids */
  plain_ids = id_map_for_plain_ids (old_name, new_name);
  for (guint i = 0; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autofree char *dir = NULL;
      const char *class_file;

      if (item->format != BM_FORMAT_YOLO || item->label_path == NULL)
        continue;
      dir = g_path_get_dirname (item->label_path);
      class_file = g_hash_table_lookup (yolo_class_file, dir);
      if (class_file == NULL)
        r.item_ids[i] = plain_ids;
      else
        {
          r.item_ids[i] = g_hash_table_lookup (maps_by_file, class_file);
          if (r.item_ids[i] == NULL)
            {
              /* the class is not in this list: these files hold no such class */
              IdMap *none = g_new0 (IdMap, 1);

              none->old_id = -1;
              g_hash_table_insert (maps_by_file, g_strdup (class_file), none);
              r.item_ids[i] = none;
            }
        }
    }

  bm_parallel_for (n, 0, plan_item, &r);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  for (guint i = 0; i < n && !any; i++)
    any = r.plans[i].n_rows > 0;
  if (!any && class_plans->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                   _("%s: no class “%s” in the label files or the class files"),
                   bm_dataset_get_root (dataset), old_name);
      goto out;
    }
  blockers = renumbering_blockers (&r);
  if (blockers != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("the class ids of these YOLO files would move but they cannot be changed, so nothing was changed:%s"),
                   blockers->str);
      goto out;
    }
  if (dry_run)
    {
      report = build_report (&r, class_plans, TRUE, listed_new, notes);
      goto out;
    }

  bm_parallel_for (n, 0, apply_item, &r);
  /* a YOLO renumbering is all or nothing */
  blockers = renumbering_blockers (&r);
  if (blockers != NULL)
    {
      put_back (&r, class_plans, notes);
      for (guint i = 0; i < notes->len; i++)
        g_string_append_printf (blockers, "\n%s", (char *) g_ptr_array_index (notes, i));
      g_set_error (error, BM_ERROR, BM_ERROR_IO,
                   _("these YOLO files could not be changed, so the files already changed were put back:%s"),
                   blockers->str);
      goto out;
    }
  for (guint i = 0; i < class_plans->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!write_class_file (g_ptr_array_index (class_plans, i), &local_error))
        {
          gboolean renumbered = FALSE;

          for (guint k = 0; k < n && !renumbered; k++)
            renumbered = r.plans[k].written;
          if (renumbered)
            {
              /* the ids were moved for a class file that could not follow: undo them */
              put_back (&r, class_plans, notes);
              for (guint k = 0; k < notes->len; k++)
                g_prefix_error (&local_error, "%s\n", (char *) g_ptr_array_index (notes, k));
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("the YOLO files were put back as they were: "));
              goto out;
            }
          g_ptr_array_add (class_failures, relabel_file_new (((ClassFilePlan *) g_ptr_array_index (class_plans, i))->path,
                                                             0, 0, local_error->message));
        }
    }
  note_label_caches (&r, notes);
  report = build_report (&r, class_plans, FALSE, listed_new, notes);
  for (guint i = 0; i < class_failures->len; i++)
    g_ptr_array_add (report->skipped, g_steal_pointer (&class_failures->pdata[i]));

out:
  relabel_clear (&r);
  if (plain_ids != NULL)
    id_map_free (plain_ids);
  return report;
}
