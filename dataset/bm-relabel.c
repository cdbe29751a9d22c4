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
#include "bm-relabel-private.h"

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
  _bm_relabel_put_back (r, class_plans, notes);
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

  if (!_bm_relabel_check_names (old_name, new_name, error))
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
  if (!_bm_relabel_plan_class_files (&r, class_plans, yolo_class_file, maps_by_file, &listed_new, error))
    goto out;

  /* each YOLO file's id map: its class file's, or (no class file) its labels are its ids */
  plain_ids = _bm_relabel_id_map_for_plain_ids (old_name, new_name);
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

  bm_parallel_for (n, 0, _bm_relabel_plan_item, &r);
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
  bm_parallel_for (n, 0, _bm_relabel_apply_item, &r);
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

      if (!_bm_relabel_write_class_file (g_ptr_array_index (class_plans, i), &local_error))
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
  _bm_relabel_note_label_caches (&r, notes);
  report = build_report (&r, class_plans, FALSE, listed_new, notes);
  for (guint i = 0; i < class_failures->len; i++)
    g_ptr_array_add (report->skipped, g_steal_pointer (&class_failures->pdata[i]));

out:
  relabel_clear (&r);
  if (plain_ids != NULL)
    id_map_free (plain_ids);
  return report;
}
