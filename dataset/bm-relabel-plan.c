/* bm-relabel-plan.c: the class manager's plan: checking the names, which class files change and
 * how each YOLO id map follows, what each label file would become and what stands in its way;
 * apart from the writes because a dry run stops here.
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
#include "bm-relabel-private.h"

/* ---- names ---- */

gboolean
_bm_relabel_check_names (const char *old_name, const char *new_name, GError **error)
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
IdMap *
_bm_relabel_id_map_for_plain_ids (const char *old_name, const char *new_name)
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

void
_bm_relabel_plan_item (guint index, gpointer user_data)
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

/* ---- the request ---- */

gboolean
_bm_relabel_plan_class_files (Relabel *r, GPtrArray *class_plans, GHashTable *yolo_class_file,
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
