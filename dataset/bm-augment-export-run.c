/* bm-augment-export-run.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-augment-export-run.h"

#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-export-folder.h"
#include "bm-export-source.h"

#define MAX_CONFLICTS_NAMED 5
#define PARTNER_CACHE_SIZE 32

/* One image to augment, under the unique output stem it got. */
typedef struct
{
  guint index;                   /* into the pool */
  char *stem;
  const char *ext;               /* "png" or "jpg" */
} Planned;

struct _BmAugmentExportRun
{
  BmAugmentExportRunOptions options;
  char *ops_text, *classes_file, *image_format;   /* owned copies of the options' */
  char *source;
  char *out_dir;
  BmAugmentExportSayFunc say;
  gpointer user_data;

  GArray *ops;                   /* BmAugmentExportOp, parsed from the --ops text */
  guint n_partners_needed;
  BmDataset *dataset;
  int single_index;              /* the one image asked for, or -1 for the whole dataset */
  BmAugmentExportPool *pool;     /* every item's labels; usable ones are mixup and mosaic partners */
  BmClassList *classes;          /* YOLO only */
  GHashTable *class_names;       /* label → class name when matched loosely (YOLO) */
  GArray *plan;                  /* Planned */
  BmAugmentExportCache *partner_cache;
  BmAugmentExportWriter *writer;
  guint n_problems, n_unlabelled, n_unverified;
  guint n_samples, n_images, n_dropped, n_failed;
};

static void G_GNUC_PRINTF (3, 4)
say (BmAugmentExportRun *run, BmAugmentExportSay kind, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (run->say != NULL)
    run->say (kind, text, run->user_data);
}

static void
say_problem (BmAugmentExportRun *run, const BmProblem *problem)
{
  g_autofree char *text = problem->file[0] == '\0' ? g_strdup (problem->message) : bm_problem_to_string (problem);

  say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, "%s", text);
  run->n_problems++;
}

static void
planned_clear (gpointer data)
{
  g_free (((Planned *) data)->stem);
}

void
bm_augment_export_run_free (BmAugmentExportRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->partner_cache, bm_augment_export_cache_free);
  g_clear_pointer (&run->writer, bm_augment_export_writer_free);
  g_clear_pointer (&run->plan, g_array_unref);
  g_clear_pointer (&run->class_names, g_hash_table_unref);
  g_clear_pointer (&run->classes, bm_class_list_unref);
  g_clear_pointer (&run->pool, bm_augment_export_pool_unref);
  g_clear_pointer (&run->ops, g_array_unref);
  g_clear_object (&run->dataset);
  g_free (run->ops_text);
  g_free (run->classes_file);
  g_free (run->image_format);
  g_free (run->source);
  g_free (run->out_dir);
  g_free (run);
}

/* ---- opening ---- */

/* A single image: its folder, or up to two folders above (VOC JPEGImages/, YOLO images/train/)
 * when that is where its labels are found. */
static BmDataset *
open_for_image (const char *path, int *index, GError **error)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *folder = g_path_get_dirname (canonical);
  g_autofree char *parent = g_path_get_dirname (folder);
  g_autofree char *grandparent = g_path_get_dirname (parent);
  const char *const candidates[] = { canonical, parent, grandparent };
  BmDataset *first = bm_dataset_open (canonical, TRUE, error);

  if (first == NULL)
    return NULL;
  *index = bm_dataset_find_image (first, canonical);
  if (*index >= 0 && bm_dataset_get_item (first, (guint) *index)->has_label)
    return first;
  for (guint i = 1; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autoptr(BmDataset) dataset = NULL;
      int found;

      if (strcmp (candidates[i], candidates[i - 1]) == 0 || strcmp (candidates[i], folder) == 0)
        break;
      dataset = bm_dataset_open (candidates[i], TRUE, NULL);
      if (dataset == NULL)
        break;
      found = bm_dataset_find_image (dataset, canonical);
      if (found >= 0 && bm_dataset_get_item (dataset, (guint) found)->has_label)
        {
          g_object_unref (first);
          *index = found;
          return g_steal_pointer (&dataset);
        }
    }
  return first;
}

BmAugmentExportRun *
bm_augment_export_run_open (const char *source, const BmAugmentExportRunOptions *options,
                            BmAugmentExportSayFunc say_func, gpointer user_data, GError **error)
{
  g_autoptr(BmAugmentExportRun) run = NULL;
  gboolean single_image;

  g_return_val_if_fail (source != NULL && options != NULL && options->ops != NULL && options->profile != NULL, NULL);

  run = g_new0 (BmAugmentExportRun, 1);
  run->options = *options;
  run->options.ops = run->ops_text = g_strdup (options->ops);
  run->options.classes_file = run->classes_file = g_strdup (options->classes_file);
  run->options.image_format = run->image_format = g_strdup (options->image_format);
  run->source = g_strdup (source);
  run->say = say_func;
  run->user_data = user_data;
  run->single_index = -1;
  run->ops = bm_augment_export_parse_ops (options->ops, options->profile, error);
  if (run->ops == NULL)
    return NULL;
  for (guint i = 0; i < run->ops->len; i++)
    {
      const BmAugmentExportOp *op = &g_array_index (run->ops, BmAugmentExportOp, i);

      if (op->kind == BM_AUGMENT_OP_MIXUP && options->profile->mixup_style == BM_AUGMENT_MIXUP_MMDET
          && bm_augment_export_op_has_key (op, "alpha"))
        say (run, BM_AUGMENT_EXPORT_SAY_NOTICE, _("note: mmdetection mixes 0.5 / 0.5, so mixup’s alpha has no effect"));
    }
  run->n_partners_needed = bm_augment_export_partners_needed ((const BmAugmentExportOp *) run->ops->data, run->ops->len);

  if (!g_file_test (source, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such file or folder"), source);
      return NULL;
    }
  single_image = !g_file_test (source, G_FILE_TEST_IS_DIR);
  run->dataset = single_image ? open_for_image (source, &run->single_index, error) : bm_dataset_open (source, TRUE, error);
  if (run->dataset == NULL)
    return NULL;
  if (single_image && run->single_index < 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s is not an image Boxmark opens"), source);
      return NULL;
    }
  return g_steal_pointer (&run);
}

BmDataset *
bm_augment_export_run_get_dataset (BmAugmentExportRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->dataset;
}

/* ---- YOLO classes ---- */

/* Checks every label against the class list before anything is written. */
static gboolean
resolve_classes (BmAugmentExportRun *run)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GPtrArray) matched = g_ptr_array_new_with_free_func (g_free);

  run->class_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bm_augment_export_pool_match_classes (run->pool, NULL, run->classes, run->class_names, matched, missing);
  for (guint i = 0; i < matched->len; i++)
    {
      const char *label = matched->pdata[i];
      const char *name = g_hash_table_lookup (run->class_names, label);

      say (run, BM_AUGMENT_EXPORT_SAY_INFO, _("Matched label “%s” → class %d “%s” (spaces, hyphens and underscores treated alike)."),
           label, bm_class_list_find (run->classes, name), name);
    }
  if (missing->len == 0)
    return TRUE;
  say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, _("Labels not in the class list %s:%s\n%s"),
       bm_class_list_get_path (run->classes) ? bm_class_list_get_path (run->classes) : "", missing->str,
       _("Add them to the class list (ids are never re-numbered silently). Nothing was written."));
  return FALSE;
}

static BmAugmentExportStatus
choose_classes (BmAugmentExportRun *run)
{
  const char *file = run->options.classes_file;
  g_autoptr(GError) error = NULL;

  if (file == NULL && bm_dataset_get_format (run->dataset) == BM_FORMAT_YOLO)
    file = bm_dataset_get_class_file (run->dataset);
  if (file != NULL)
    run->classes = bm_class_list_load (file, &error);
  else
    {
      run->classes = bm_augment_export_pool_sorted_labels (run->pool, NULL);
      say (run, BM_AUGMENT_EXPORT_SAY_INFO, "%s", _("Class ids (every label, sorted; written to data.yaml and classes.txt):"));
      for (guint i = 0; i < bm_class_list_get_n (run->classes); i++)
        say (run, BM_AUGMENT_EXPORT_SAY_INFO, "  %u %s", i, bm_class_list_get_name (run->classes, i));
    }
  if (run->classes == NULL)
    {
      say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, "%s", error->message);
      return error->code == BM_ERROR_NOT_FOUND || error->code == BM_ERROR_IO ? BM_AUGMENT_EXPORT_FAILED
                                                                              : BM_AUGMENT_EXPORT_PROBLEMS;
    }
  return resolve_classes (run) ? BM_AUGMENT_EXPORT_DONE : BM_AUGMENT_EXPORT_PROBLEMS;
}

/* --force may replace samples, but never the class list under an earlier run's labels. */
static gboolean
class_files_agree (BmAugmentExportRun *run)
{
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (run->out_dir, i == 0 ? "classes.txt" : "data.yaml", NULL);
      g_autoptr(BmClassList) existing = NULL;
      gboolean same;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      existing = bm_class_list_load (path, NULL);
      same = existing != NULL && bm_class_list_get_n (existing) == bm_class_list_get_n (run->classes);
      for (guint c = 0; same && c < bm_class_list_get_n (existing); c++)
        same = strcmp (bm_class_list_get_name (existing, c), bm_class_list_get_name (run->classes, c)) == 0;
      if (!same)
        {
          say (run, BM_AUGMENT_EXPORT_SAY_DETAIL,
               _("%s holds other class ids than this run would write; replacing it would change the "
                 "meaning of the labels already there. Nothing was written (give --classes %s to keep its ids)."),
               path, path);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- what is written, and where ---- */

static void
make_plan (BmAugmentExportRun *run)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GArray *usable = bm_augment_export_pool_get_usable (run->pool);

  run->plan = g_array_new (FALSE, TRUE, sizeof (Planned));
  g_array_set_clear_func (run->plan, planned_clear);
  for (guint u = 0; u < usable->len; u++)
    {
      guint index = g_array_index (usable, guint, u);
      const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (run->pool, index);
      Planned p;

      if (run->single_index >= 0 && (int) index != run->single_index)
        continue;
      p.index = index;
      p.stem = bm_export_unique_stem (taken, entry->item->image_path, NULL);
      p.ext = bm_augment_export_image_extension (entry->item->image_path, run->options.image_format);
      /* named among all images, so every shard names its images as the whole run does */
      if (!bm_shard_contains_item (&run->options.shard, run->dataset, entry->item))
        {
          planned_clear (&p);
          continue;
        }
      g_array_append_val (run->plan, p);
    }
}

/* Without --force nothing in DIR is replaced: every target is checked before the first write. */
static gboolean
check_conflicts (BmAugmentExportRun *run)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < run->plan->len; i++)
    {
      const Planned *p = &g_array_index (run->plan, Planned, i);

      bm_augment_export_writer_find_existing (run->writer, p->stem, p->ext, run->options.n, conflicts);
    }
  bm_augment_export_writer_find_existing_class_files (run->writer, conflicts);
  if (conflicts->len == 0)
    return TRUE;
  for (guint i = 0; i < conflicts->len && i < MAX_CONFLICTS_NAMED; i++)
    say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, _("%s: already exists"), (char *) conflicts->pdata[i]);
  if (conflicts->len > MAX_CONFLICTS_NAMED)
    say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, g_dngettext (GETTEXT_PACKAGE, "… and %u more file", "… and %u more files", conflicts->len - MAX_CONFLICTS_NAMED),
         conflicts->len - MAX_CONFLICTS_NAMED);
  say (run, BM_AUGMENT_EXPORT_SAY_DETAIL,
       g_dngettext (GETTEXT_PACKAGE, "Nothing was written: %u output file already exists in %s (use --force to replace it, or choose another folder).",
                    "Nothing was written: %u output files already exist in %s (use --force to replace them, or choose another folder).",
                    conflicts->len),
       conflicts->len, run->out_dir);
  return FALSE;
}

/* ---- samples ---- */

/* A file of an earlier run replaced with --force could be a symlink into the source: writing
 * through it would change the source. */
static gboolean
check_not_linked_into_source (const BmAugmentExportRun *run, const char *path, GError **error)
{
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return TRUE;
  if (!bm_export_path_is_inside (path, run->source) && !bm_export_path_is_inside (path, bm_dataset_get_root (run->dataset)))
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_IO,
               _("%s is a link into the source dataset; it is not written through (remove it first)"), path);
  return FALSE;
}

static gboolean
write_sample (BmAugmentExportRun *run, const Planned *p, guint k, const BmAugmentSample *sample, guint64 seed,
              GArray *partners, GError **error)
{
  const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (run->pool, p->index);
  g_autofree char *sidecar = NULL;

  for (int file = BM_AUGMENT_EXPORT_FILE_IMAGE; file <= BM_AUGMENT_EXPORT_FILE_SIDECAR; file++)
    {
      g_autofree char *path = bm_augment_export_writer_path (run->writer, p->stem, p->ext, k, (BmAugmentExportFile) file);

      if (!check_not_linked_into_source (run, path, error))
        return FALSE;
    }
  sidecar = bm_augment_export_sidecar_text (sample, k, run->options.seed, seed, entry->item->image_path,
                                            entry->labelled ? entry->item->label_path : NULL, run->pool, partners);
  return bm_augment_export_writer_write_sample (run->writer, p->stem, p->ext, k, sample, sidecar, error);
}

static guint
count_dropped (const BmAugmentSample *sample)
{
  guint n = 0;

  for (guint i = 0; i < bm_augment_sample_get_n_items (sample); i++)
    n += bm_augment_sample_get_item (sample, i)->dropped ? 1 : 0;
  return n;
}

/* FALSE only when writing failed (then the run stops). */
static gboolean
augment_image (BmAugmentExportRun *run, const Planned *p, guint position)
{
  const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (run->pool, p->index);
  const BmAugmentProfile *profile = run->options.profile;
  g_autoptr(BmAugmentSample) source = NULL;
  g_autoptr(GError) error = NULL;

  say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, _("[%u/%u] %s"), position + 1, run->plan->len, entry->item->image_path);
  source = bm_augment_export_pool_load_sample (run->pool, p->index, 0, profile, &error);
  if (source == NULL)
    {
      say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, "%s", error->message);
      run->n_problems++;
      return TRUE;
    }
  for (guint k = 0; k < run->options.n; k++)
    {
      g_autoptr(BmAugmentSample) sample = NULL;
      g_autoptr(GArray) partners = NULL;
      guint64 seed = bm_augment_export_sample_seed (run->options.seed, p->index, k);
      guint dropped;

      sample = bm_augment_export_make_sample (run->pool, run->partner_cache, (const BmAugmentExportOp *) run->ops->data,
                                              run->ops->len, source, p->index, -1, seed, NULL, &partners, &error);
      if (sample == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("sample %u: %s"), k, error->message);
          g_autoptr(BmProblem) problem = bm_problem_new (entry->item->image_path, 0, message);

          say_problem (run, problem);
          g_clear_error (&error);
          run->n_failed++;
          continue;
        }
      dropped = count_dropped (sample);
      if (dropped > 0)
        say (run, BM_AUGMENT_EXPORT_SAY_DETAIL,
             g_dngettext (GETTEXT_PACKAGE, "  %s_aug%u: %u of %u objects dropped by the %s rules",
                          "  %s_aug%u: %u of %u objects dropped by the %s rules", dropped),
             p->stem, k, dropped, bm_augment_sample_get_n_items (sample), profile->id);
      if (!write_sample (run, p, k, sample, seed, partners, &error))
        {
          say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, "%s", error->message);
          return FALSE;
        }
      run->n_dropped += dropped;
      run->n_samples++;
    }
  run->n_images++;
  return TRUE;
}

static void
say_summary (BmAugmentExportRun *run)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean single_image = run->single_index >= 0;
  guint n_clipped = bm_augment_export_writer_get_n_clipped (run->writer);
  guint n_outside = bm_augment_export_writer_get_n_outside (run->writer);

  g_hash_table_iter_init (&iter, bm_augment_export_writer_get_renamed (run->writer));
  while (g_hash_table_iter_next (&iter, &key, &value))
    say (run, BM_AUGMENT_EXPORT_SAY_INFO, _("DOTA class names cannot hold spaces: “%s” was written as “%s”."),
         (char *) key, (char *) value);
  if (run->n_unlabelled > 0 && !single_image)
    say (run, BM_AUGMENT_EXPORT_SAY_INFO,
         g_dngettext (GETTEXT_PACKAGE, "%u image has no label file and was not augmented.",
                      "%u images have no label file and were not augmented.", run->n_unlabelled), run->n_unlabelled);
  if (run->n_unverified > 0 && !single_image)
    say (run, BM_AUGMENT_EXPORT_SAY_INFO,
         g_dngettext (GETTEXT_PACKAGE, "%u image has a label file without objects that is not marked verified; not augmented.",
                      "%u images have a label file without objects that is not marked verified; not augmented.", run->n_unverified),
         run->n_unverified);
  if (n_clipped > 0)
    say (run, BM_AUGMENT_EXPORT_SAY_INFO, g_dngettext (GETTEXT_PACKAGE, "%u row was clipped to its image.", "%u rows were clipped to their image.", n_clipped), n_clipped);
  if (n_outside > 0)
    say (run, BM_AUGMENT_EXPORT_SAY_INFO, g_dngettext (GETTEXT_PACKAGE, "%u object lies entirely outside its sample and got no row.",
                                                     "%u objects lie entirely outside their sample and got no row.", n_outside), n_outside);
  if (run->n_failed > 0)
    say (run, BM_AUGMENT_EXPORT_SAY_INFO, g_dngettext (GETTEXT_PACKAGE, "%u sample could not be made (see above).", "%u samples could not be made (see above).", run->n_failed),
         run->n_failed);
  say (run, BM_AUGMENT_EXPORT_SAY_INFO,
       g_dngettext (GETTEXT_PACKAGE, "Wrote %u sample of %u images to %s (%s): %u objects, %u dropped by the %s rules.",
                    "Wrote %u samples of %u images to %s (%s): %u objects, %u dropped by the %s rules.", run->n_samples),
       run->n_samples, run->n_images, run->out_dir, bm_export_target_to_string (run->options.target),
       bm_augment_export_writer_get_n_objects (run->writer), run->n_dropped, run->options.profile->id);
}

BmAugmentExportStatus
bm_augment_export_run_write (BmAugmentExportRun *run, const char *out_dir)
{
  const BmAugmentExportRunOptions *options;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_autoptr(GError) error = NULL;
  gboolean yolo;

  g_return_val_if_fail (run != NULL && out_dir != NULL && run->out_dir == NULL, BM_AUGMENT_EXPORT_FAILED);

  options = &run->options;
  yolo = bm_export_target_is_yolo (options->target);
  run->out_dir = g_strdup (out_dir);
  say (run, BM_AUGMENT_EXPORT_SAY_INFO,
       _("Reading %s: %s layout, %s labels; profile %s, seed %" PRId64 ", %d samples per image."),
       run->source, bm_layout_to_string (bm_dataset_get_layout (run->dataset)),
       bm_format_to_string (bm_dataset_get_format (run->dataset)), options->profile->id, (gint64) options->seed,
       (int) options->n);
  /* with one image given, the others are loaded as mixup partners and only its problems count */
  run->pool = bm_augment_export_pool_new (run->dataset, run->single_index, problems, &run->n_unlabelled,
                                          &run->n_unverified);
  for (guint i = 0; i < problems->len; i++)
    say_problem (run, problems->pdata[i]);
  if (yolo)
    {
      BmAugmentExportStatus status = choose_classes (run);

      if (status != BM_AUGMENT_EXPORT_DONE)
        return status;
    }

  make_plan (run);
  if (run->plan->len == 0 && !bm_shard_is_all (&options->shard))
    {
      say (run, BM_AUGMENT_EXPORT_SAY_INFO, _("Shard %u/%u holds no labelled image; nothing to do."),
           options->shard.index + 1, options->shard.count);
      return BM_AUGMENT_EXPORT_DONE;
    }
  if (run->plan->len == 0)
    {
      say (run, BM_AUGMENT_EXPORT_SAY_NOTICE, _("no labelled image to augment in %s"), run->source);
      return run->n_problems > 0 ? BM_AUGMENT_EXPORT_PROBLEMS : BM_AUGMENT_EXPORT_FAILED;
    }
  if (run->n_partners_needed > 0 && bm_augment_export_pool_get_usable (run->pool)->len < 2)
    say (run, BM_AUGMENT_EXPORT_SAY_NOTICE,
         _("note: mixup and mosaic need other labelled images; there are none, so mixup is skipped and mosaic repeats the image"));

  run->writer = bm_augment_export_writer_new (out_dir, options->target, options->quality, options->clip, options->force);
  bm_augment_export_writer_set_classes (run->writer, run->classes, run->class_names);
  if (!options->force && !check_conflicts (run))
    return BM_AUGMENT_EXPORT_FAILED;
  if (options->force && run->classes != NULL && !class_files_agree (run))
    return BM_AUGMENT_EXPORT_PROBLEMS;
  if (!bm_augment_export_writer_make_dirs (run->writer, &error)
      || (yolo && !bm_augment_export_writer_write_class_files (run->writer, &error)))
    {
      say (run, BM_AUGMENT_EXPORT_SAY_DETAIL, "%s", error->message);
      return BM_AUGMENT_EXPORT_FAILED;
    }

  run->partner_cache = bm_augment_export_cache_new (PARTNER_CACHE_SIZE);
  for (guint i = 0; i < run->plan->len; i++)
    if (!augment_image (run, &g_array_index (run->plan, Planned, i), i))
      return BM_AUGMENT_EXPORT_FAILED;
  say_summary (run);
  return run->n_problems > 0 ? BM_AUGMENT_EXPORT_PROBLEMS : BM_AUGMENT_EXPORT_DONE;
}

/* ---- one image, for the augmentation panel ---- */

static gboolean
use_classes (const BmAugmentExportImage *image, BmAugmentExportPool *pool, BmAugmentExportWriter *writer,
             GError **error)
{
  g_autoptr(GHashTable) class_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(BmAnnotation) labels = bm_augment_sample_to_annotation (image->source);

  bm_annotation_set_label_path (labels, image->label_path);
  classes = image->classes != NULL ? bm_class_list_ref (image->classes) : bm_augment_export_pool_sorted_labels (pool, labels);
  if (!bm_augment_export_pool_match_classes (pool, labels, classes, class_names, NULL, missing))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("Labels not in the class list %s:%s"),
                   bm_class_list_get_path (classes) ? bm_class_list_get_path (classes) : "", missing->str);
      return FALSE;
    }
  bm_augment_export_writer_set_classes (writer, classes, class_names);
  return TRUE;
}

guint
bm_augment_export_image (const BmAugmentExportImage *image, BmAugmentExportPool *pool, BmAugmentExportCache *cache,
                         const char *out_dir, GCancellable *cancellable, GError **error)
{
  g_autofree char *stem = NULL;
  const char *ext;
  g_autoptr(BmAugmentExportWriter) writer = NULL;
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);
  gboolean yolo;

  g_return_val_if_fail (image != NULL && image->source != NULL && image->image_path != NULL, 0);
  g_return_val_if_fail (pool != NULL && cache != NULL && out_dir != NULL, 0);

  stem = bm_path_get_stem (image->image_path);
  ext = bm_augment_export_image_extension (image->image_path, NULL);
  yolo = bm_export_target_is_yolo (image->target);
  writer = bm_augment_export_writer_new (out_dir, image->target, BM_AUGMENT_EXPORT_DEFAULT_QUALITY, FALSE, FALSE);
  if (yolo && !use_classes (image, pool, writer, error))
    return 0;
  bm_augment_export_writer_find_existing (writer, stem, ext, image->n, existing);
  bm_augment_export_writer_find_existing_class_files (writer, existing);
  if (existing->len > 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s already exists; nothing was written (choose an empty folder)"),
                   (char *) existing->pdata[0]);
      return 0;
    }
  if (!bm_augment_export_writer_make_dirs (writer, error)
      || (yolo && !bm_augment_export_writer_write_class_files (writer, error)))
    return 0;
  for (guint k = 0; k < image->n; k++)
    {
      g_autoptr(BmAugmentSample) sample = NULL;
      g_autoptr(GArray) partners = NULL;
      g_autofree char *sidecar = NULL;
      guint64 seed = bm_augment_export_sample_seed (image->seed, image->index, k);

      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        sample = bm_augment_export_make_sample (pool, cache, image->ops, image->n_ops, image->source, image->index,
                                                image->chosen_partner, seed, NULL, &partners, error);
      if (sample != NULL)
        sidecar = bm_augment_export_sidecar_text (sample, k, image->seed, seed, image->image_path, image->label_path,
                                                  pool, partners);
      if (sample == NULL || !bm_augment_export_writer_write_sample (writer, stem, ext, k, sample, sidecar, error))
        {
          g_prefix_error (error, _("Sample %u: "), k);
          return 0;
        }
    }
  return image->n;
}
