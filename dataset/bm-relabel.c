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
#include "bm-relabel-journal.h"
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
  gboolean done_elsewhere;     /* another shard wrote the same bytes */
  BmFileStamp written_stamp;   /* as written: a put back must not replace what came after */
} ClassFilePlan;

typedef struct
{
  guint n_objects;     /* objects of the class */
  guint n_rows;        /* rows or objects to change (YOLO: renumbered ones too); 0: nothing to do */
  char *reason;        /* skipped: why */
  const IdMap *ids;    /* YOLO files */
  gboolean has_new;    /* the file already holds objects of the new name */
  /* YOLO: the bytes read (to put back), when (@stamp) and what they become */
  char *old_data;
  gsize old_length;
  BmFileStamp stamp;
  char *new_data;
  gsize new_length;
  gboolean written;
  BmFileStamp written_stamp;
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
  gsize length = 0, remapped_length = 0;
  g_autoptr(GError) error = NULL;

  plan->ids = ids;
  if (ids->map == NULL && ids->refusal == NULL)
    return;
  if (!bm_file_read_all_stamped (item->label_path, &data, &length, &plan->stamp, &error))
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
                                      &plan->n_rows, &remapped_length, &error);
  if (remapped == NULL)
    {
      plan->n_rows = 1;   /* cannot tell: it must not be left behind silently */
      plan->reason = g_strdup (error->message);
      return;
    }
  if (plan->n_rows == 0)
    return;
  plan->reason = why_not_writable (item->label_path);
  /* kept for the journal and the write (compared with the file under the folder's lock) */
  plan->old_data = g_steal_pointer (&data);
  plan->old_length = length;
  plan->new_data = g_steal_pointer (&remapped);
  plan->new_length = remapped_length;
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

typedef struct
{
  const char *old_name;
  const char *new_name;   /* NULL: delete */
} RenameRequest;

static int
rename_objects (BmAnnotation *annotation, gpointer user_data, GError **error)
{
  const RenameRequest *request = user_data;
  int n = 0;

  for (guint i = bm_annotation_get_n_objects (annotation); i > 0; i--)
    {
      BmObject *object = bm_annotation_get_object (annotation, i - 1);

      if (strcmp (bm_object_get_label (object), request->old_name) != 0)
        continue;
      n++;
      if (request->new_name == NULL)
        bm_annotation_remove_object (annotation, i - 1);
      else
        bm_object_set_label (object, request->new_name);
    }
  return n;
}

static void
apply_named_file (Relabel *r, const BmDatasetItem *item, ItemPlan *plan)
{
  RenameRequest request = { r->old_name, r->new_name };
  g_autoptr(GError) error = NULL;
  int n;

  /* read, changed and saved (losslessly, atomically) with the label folder's lock held, so a
   * window or a `detect --write` saving the same file meanwhile takes its turn */
  n = bm_label_update (item, rename_objects, &request, NULL, &error);
  if (n < 0)
    {
      plan->reason = g_strdup (g_error_matches (error, BM_ERROR, BM_ERROR_READ_ONLY)
                               ? _("the file has problems (see boxmark-cli validate); not changed")
                               : error->message);
      return;
    }
  plan->n_objects = plan->n_rows = (guint) n;
}

static void
apply_yolo_file (const BmDatasetItem *item, ItemPlan *plan)
{
  g_autoptr(GError) error = NULL;

  /* refused when the file no longer holds the bytes planned from */
  if (!bm_file_write_full (item->label_path, plan->new_data, plan->new_length, BM_FILE_WRITE_DEFAULT,
                           &plan->stamp, &plan->written_stamp, &error))
    {
      plan->reason = g_strdup (error->message);
      return;
    }
  plan->written = TRUE;
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
      if (!bm_file_write_full (bm_dataset_get_item (r->dataset, i)->label_path, plan->old_data,
                               plan->old_length, BM_FILE_WRITE_DEFAULT, &plan->written_stamp, NULL, &error))
        g_ptr_array_add (notes, g_strdup_printf (_("could not put back: %s"), error->message));
      plan->written = FALSE;
    }
  for (guint i = 0; i < class_plans->len; i++)
    {
      ClassFilePlan *plan = g_ptr_array_index (class_plans, i);
      g_autoptr(GError) error = NULL;

      if (plan->written && !bm_file_write_full (plan->path, plan->old_data, plan->old_length,
                                                BM_FILE_WRITE_DEFAULT, &plan->written_stamp, NULL, &error))
        g_ptr_array_add (notes, g_strdup_printf (_("could not put back: %s"), error->message));
      plan->written = FALSE;
    }
}

static gboolean
write_class_file (ClassFilePlan *plan, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  /* refused (BM_ERROR_CONFLICT) when the file no longer holds what was planned from */
  if (!bm_file_write_full (plan->path, plan->data, plan->length, BM_FILE_WRITE_DEFAULT,
                           &plan->stamp, &plan->written_stamp, &local_error))
    {
      g_autofree char *now = NULL;
      gsize now_length = 0;

      /* another shard of the same request wrote these very bytes first: done, not ours to put back */
      if (g_error_matches (local_error, BM_ERROR, BM_ERROR_CONFLICT)
          && bm_file_read_all (plan->path, &now, &now_length, NULL)
          && now_length == plan->length && memcmp (now, plan->data, now_length) == 0)
        {
          plan->done_elsewhere = TRUE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
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

      if (dry_run || plan->written || plan->done_elsewhere)
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
      g_free (r->plans[i].new_data);
    }
  g_free (r->plans);
  g_free (r->item_ids);
}

/* ---- the journal of a renumbering ---- */

/* Whether the writes move YOLO ids: then every file must be written for the ids to mean the
 * classes again, so a run killed half-way must be finishable (bm-relabel-journal.h). */
static gboolean
renumbers (Relabel *r)
{
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    if (r->plans[i].ids != NULL && r->plans[i].ids->renumbers && r->plans[i].n_rows > 0
        && r->plans[i].reason == NULL)
      return TRUE;
  return FALSE;
}

static gboolean
write_journal (Relabel *r, GPtrArray *class_plans, const char *journal, gboolean back, GError **error)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (BmRelabelJournalEntry));
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    {
      const ItemPlan *plan = &r->plans[i];
      BmRelabelJournalEntry e = { bm_dataset_get_item (r->dataset, i)->label_path,
                                  plan->old_data, plan->old_length, plan->new_data, plan->new_length };

      /* back: only what was written */
      if (plan->new_data != NULL && plan->reason == NULL && (!back || plan->written))
        g_array_append_val (entries, e);
    }
  for (guint i = 0; i < class_plans->len; i++)
    {
      const ClassFilePlan *plan = g_ptr_array_index (class_plans, i);
      BmRelabelJournalEntry e = { plan->path, plan->old_data, plan->old_length, plan->data, plan->length };

      if (!back || plan->written)
        g_array_append_val (entries, e);
    }
  return bm_relabel_journal_write (journal, r->old_name, r->new_name, back, entries, error);
}

/* Puts back what was written, journaled as a put back first so that a kill meanwhile still ends
 * with every file as it was. */
static void
take_back (Relabel *r, GPtrArray *class_plans, const char *journal, GPtrArray *notes)
{
  g_autoptr(GError) error = NULL;

  if (journal != NULL && !write_journal (r, class_plans, journal, TRUE, &error))
    {
      /* never let the next run finish what is being put back */
      g_ptr_array_add (notes, g_strdup (error->message));
      g_unlink (journal);
    }
  put_back (r, class_plans, notes);
  if (journal != NULL)
    g_unlink (journal);
}

/* Finishes a run killed half-way (unless @dry_run, which only says so). @same: the journal
 * recorded this very request, now done. */
static gboolean
recover (BmDataset *dataset, const char *old_name, const char *new_name, gboolean dry_run,
         gboolean *same, GPtrArray *notes, GError **error)
{
  g_autofree char *journal = bm_relabel_journal_path (bm_dataset_get_root (dataset));
  g_autofree char *done_old = NULL;
  g_autofree char *done_new = NULL;
  gboolean found = FALSE;
  guint n_written = 0;

  *same = FALSE;
  if (dry_run)
    {
      if (!g_file_test (journal, G_FILE_TEST_EXISTS))
        return TRUE;
      g_set_error (error, BM_ERROR, BM_ERROR_CONFLICT,
                   _("%s: a class change was interrupted before all its files were written; run relabel without --dry-run to finish it first"),
                   journal);
      return FALSE;
    }
  if (!bm_relabel_journal_recover (journal, &found, &done_old, &done_new, &n_written, notes, error))
    return FALSE;
  if (!found)
    return TRUE;
  if (done_old == NULL)
    g_ptr_array_add (notes, g_strdup_printf (ngettext ("an interrupted class change was taken back (%u file put back)",
                                                       "an interrupted class change was taken back (%u files put back)",
                                                       n_written), n_written));
  else
    {
      g_autofree char *change = done_new != NULL ? g_strdup_printf (_("“%s” → “%s”"), done_old, done_new)
                                                 : g_strdup_printf (_("“%s” removed"), done_old);

      g_ptr_array_add (notes, g_strdup_printf (ngettext ("an interrupted class change (%s) was finished (%u more file written)",
                                                         "an interrupted class change (%s) was finished (%u more files written)",
                                                         n_written), change, n_written));
      *same = strcmp (done_old, old_name) == 0 && g_strcmp0 (done_new, new_name) == 0;
    }
  return TRUE;
}

BmRelabelReport *
bm_relabel (BmDataset *dataset, const char *old_name, const char *new_name, gboolean dry_run,
            GCancellable *cancellable, GError **error)
{
  return bm_relabel_full (dataset, old_name, new_name, dry_run, NULL, cancellable, error);
}

/* Leaves the files of other shards to them: seen by the plan (the class exists), not written,
 * not reported. */
static void
keep_to_shard (Relabel *r, const BmShard *shard)
{
  guint n = bm_dataset_get_n_items (r->dataset);

  for (guint i = 0; i < n; i++)
    {
      ItemPlan *plan = &r->plans[i];

      if (bm_shard_contains_item (shard, r->dataset, bm_dataset_get_item (r->dataset, i)))
        continue;
      g_clear_pointer (&plan->reason, g_free);
      g_clear_pointer (&plan->old_data, g_free);
      g_clear_pointer (&plan->new_data, g_free);
      plan->n_rows = plan->n_objects = 0;
      plan->has_new = FALSE;
    }
}

BmRelabelReport *
bm_relabel_full (BmDataset *dataset, const char *old_name, const char *new_name, gboolean dry_run,
                 const BmShard *shard, GCancellable *cancellable, GError **error)
{
  g_autoptr(GPtrArray) class_plans = g_ptr_array_new_with_free_func ((GDestroyNotify) class_file_plan_free);
  g_autoptr(GHashTable) yolo_class_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) maps_by_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) id_map_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) class_failures = g_ptr_array_new_with_free_func ((GDestroyNotify) relabel_file_free);
  g_autoptr(GString) blockers = NULL;
  IdMap *plain_ids = NULL;
  BmRelabelReport *report = NULL;
  g_autofree char *journal = NULL;
  gboolean listed_new = FALSE, any = FALSE, recovered_same = FALSE;
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

  if (!recover (dataset, old_name, new_name, dry_run, &recovered_same, notes, error))
    goto out;
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
  if (!any && class_plans->len == 0 && shard != NULL && !bm_shard_is_all (shard))
    {
      /* another shard may have finished the last files and the class files already: said, not
       * an error, so the N runs together succeed in any order */
      g_ptr_array_add (notes, g_strdup_printf (_("no class “%s” is left in the label files or the class files: nothing to do"),
                                               old_name));
      report = build_report (&r, class_plans, dry_run, listed_new, notes);
      goto out;
    }
  if (!any && class_plans->len == 0 && recovered_same)
    {
      /* the rerun of a killed run: finishing it was the whole work */
      report = build_report (&r, class_plans, FALSE, listed_new, notes);
      goto out;
    }
  if (!any && class_plans->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                   _("%s: no class “%s” in the label files or the class files"),
                   bm_dataset_get_root (dataset), old_name);
      goto out;
    }
  if (shard != NULL && !bm_shard_is_all (shard))
    {
      if (renumbers (&r))
        {
          g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                       _("this change moves the class ids of YOLO files, which must all be renumbered in one run; run it without --shard (no image is read, so it is quick)"));
          goto out;
        }
      keep_to_shard (&r, shard);
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

  if (renumbers (&r))
    {
      journal = bm_relabel_journal_path (bm_dataset_get_root (dataset));
      if (!write_journal (&r, class_plans, journal, FALSE, error))
        {
          g_prefix_error (error, _("nothing was changed: "));
          goto out;
        }
    }
  bm_parallel_for (n, 0, apply_item, &r);
  /* a YOLO renumbering is all or nothing */
  blockers = renumbering_blockers (&r);
  if (blockers != NULL)
    {
      take_back (&r, class_plans, journal, notes);
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
              take_back (&r, class_plans, journal, notes);
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
  if (journal != NULL && g_unlink (journal) != 0)
    g_ptr_array_add (notes, g_strdup_printf (_("%s: cannot remove it; the next relabel will find every file done"), journal));
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
