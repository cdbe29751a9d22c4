/* bm-relabel-apply.c: the class manager's writes: one label file (renamed objects, or the YOLO
 * bytes planned), the class files, and putting back what was written when a request fails.
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

void
_bm_relabel_apply_item (guint index, gpointer user_data)
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

void
_bm_relabel_put_back (Relabel *r, GPtrArray *class_plans, GPtrArray *notes)
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

gboolean
_bm_relabel_write_class_file (ClassFilePlan *plan, GError **error)
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
void
_bm_relabel_note_label_caches (Relabel *r, GPtrArray *notes)
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
