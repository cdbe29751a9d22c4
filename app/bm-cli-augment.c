/* bm-cli-augment.c: boxmark-cli augment — writes augmented samples of a dataset, with their
 * labels moved the way a training framework moves them, in VOC, DOTA or YOLO.
 *
 * Every sample gets a sidecar (augment/STEM.augment.txt) holding bm_augment_sample_describe's
 * text plus the source and partner paths, so bm_augment_replay reproduces it exactly.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-augment.h"
#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "dataset/bm-augment-export.h"
#include "formats/bm-class-list.h"
#include "bm-cli.h"
#include "bm-cli-util.h"

#define MAX_CONFLICTS_NAMED 5
#define PARTNER_CACHE_SIZE 32

typedef struct
{
  char *ops;
  int n;
  gint64 seed;
  char *profile;
  char *to;
  char *classes;
  char *data;
  char *format;
  int quality;
  gboolean clip;
  gboolean force;
  char *out;
  char **sources;
  char *shard_text;
  BmShard shard;
} Options;

typedef struct
{
  Options *opts;
  BmCliTarget target;
  const BmAugmentProfile *profile;
  GArray *ops;                   /* BmAugmentExportOp, parsed from --ops */
  guint n_partners_needed;
  BmDataset *dataset;
  BmAugmentExportPool *pool;     /* every item's labels; usable ones are mixup and mosaic partners */
  BmClassList *classes;          /* YOLO only */
  GHashTable *class_names;       /* label → class name when matched loosely (YOLO) */
  BmAugmentExportCache *partner_cache;
  BmAugmentExportWriter *writer;
  guint n_problems;
  guint n_samples, n_images, n_dropped, n_failed;
} Run;

static int
usage_error (const char *message)
{
  return bm_cli_usage_error ("augment", message);
}

static void
print_problem (const BmProblem *problem)
{
  g_autofree char *text = bm_problem_to_string (problem);
  fprintf (stderr, "%s\n", text);
}

static void
report_problem (Run *run, const char *file, const char *message)
{
  g_autoptr(BmProblem) problem = bm_problem_new (file, 0, message);

  print_problem (problem);
  run->n_problems++;
}

/* ---- YOLO classes ---- */

/* Checks every label against the given list before anything is written. */
static gboolean
resolve_classes (Run *run)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GPtrArray) matched = g_ptr_array_new_with_free_func (g_free);

  run->class_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bm_augment_export_pool_match_classes (run->pool, NULL, run->classes, run->class_names, matched, missing);
  for (guint i = 0; i < matched->len; i++)
    {
      const char *label = matched->pdata[i];
      const char *name = g_hash_table_lookup (run->class_names, label);

      printf (_("Matched label “%s” → class %d “%s” (spaces, hyphens and underscores treated alike).\n"),
              label, bm_class_list_find (run->classes, name), name);
    }
  if (missing->len == 0)
    return TRUE;
  fprintf (stderr, _("Labels not in the class list %s:%s\n%s\n"),
           bm_class_list_get_path (run->classes) ? bm_class_list_get_path (run->classes) : "", missing->str,
           _("Add them to the class list (ids are never re-numbered silently). Nothing was written."));
  return FALSE;
}

/* ---- output names ---- */

typedef struct
{
  guint index;          /* into the pool */
  char *stem;           /* unique output stem of the image */
  const char *ext;      /* "png" or "jpg" */
} Planned;

static void
planned_clear (gpointer data)
{
  g_free (((Planned *) data)->stem);
}

static char *
unique_stem (GHashTable *taken, const char *image_path)
{
  g_autofree char *stem = bm_path_get_stem (image_path);
  char *candidate = g_strdup (stem);

  for (guint n = 2; g_hash_table_contains (taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s-%u", stem, n);
    }
  g_hash_table_add (taken, g_strdup (candidate));
  return candidate;
}

/* Without --force nothing in DIR is replaced: every target is checked before the first write. */
static gboolean
check_conflicts (Run *run, GArray *plan)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->len; i++)
    {
      const Planned *p = &g_array_index (plan, Planned, i);

      bm_augment_export_writer_find_existing (run->writer, p->stem, p->ext, (guint) run->opts->n, conflicts);
    }
  bm_augment_export_writer_find_existing_class_files (run->writer, conflicts);
  if (conflicts->len == 0)
    return TRUE;
  for (guint i = 0; i < conflicts->len && i < MAX_CONFLICTS_NAMED; i++)
    fprintf (stderr, _("%s: already exists\n"), (char *) conflicts->pdata[i]);
  if (conflicts->len > MAX_CONFLICTS_NAMED)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "… and %u more file\n", "… and %u more files\n", conflicts->len - MAX_CONFLICTS_NAMED), conflicts->len - MAX_CONFLICTS_NAMED);
  fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Nothing was written: %u output file already exists in %s (use --force to replace it, or choose another folder).\n",
                             "Nothing was written: %u output files already exist in %s (use --force to replace them, or choose another folder).\n", conflicts->len),
           conflicts->len, run->opts->out);
  return FALSE;
}

/* ---- samples ---- */

/* A file of an earlier run replaced with --force could be a symlink into SRC: writing through
 * it would change the source. */
static gboolean
check_not_linked_into_source (const Run *run, const char *path, GError **error)
{
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return TRUE;
  if (!bm_cli_path_is_inside (path, run->opts->sources[0])
      && !bm_cli_path_is_inside (path, bm_dataset_get_root (run->dataset)))
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_IO,
               _("%s is a link into the source dataset; it is not written through (remove it first)"), path);
  return FALSE;
}

static gboolean
write_sample (Run *run, const Planned *p, guint k, const BmAugmentSample *sample, guint64 seed, GArray *partners,
              GError **error)
{
  const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (run->pool, p->index);
  const BmDatasetItem *item = entry->item;
  g_autofree char *sidecar = NULL;

  for (int file = BM_AUGMENT_EXPORT_FILE_IMAGE; file <= BM_AUGMENT_EXPORT_FILE_SIDECAR; file++)
    {
      g_autofree char *path = bm_augment_export_writer_path (run->writer, p->stem, p->ext, k, (BmAugmentExportFile) file);

      if (!check_not_linked_into_source (run, path, error))
        return FALSE;
    }
  sidecar = bm_augment_export_sidecar_text (sample, k, (guint64) run->opts->seed, seed, item->image_path,
                                            entry->labelled ? item->label_path : NULL, run->pool, partners);
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
augment_image (Run *run, const Planned *p, guint position, guint n_planned)
{
  const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (run->pool, p->index);
  g_autoptr(BmAugmentSample) source = NULL;
  g_autoptr(GError) error = NULL;

  fprintf (stderr, _("[%u/%u] %s\n"), position + 1, n_planned, entry->item->image_path);
  source = bm_augment_export_pool_load_sample (run->pool, p->index, 0, run->profile, &error);
  if (source == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      run->n_problems++;
      return TRUE;
    }
  for (guint k = 0; k < (guint) run->opts->n; k++)
    {
      g_autoptr(BmAugmentSample) sample = NULL;
      g_autoptr(GArray) partners = NULL;
      guint64 seed = bm_augment_export_sample_seed ((guint64) run->opts->seed, p->index, k);
      guint dropped;

      sample = bm_augment_export_make_sample (run->pool, run->partner_cache, (const BmAugmentExportOp *) run->ops->data,
                                              run->ops->len, source, p->index, -1, seed, &partners, &error);
      if (sample == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("sample %u: %s"), k, error->message);

          report_problem (run, entry->item->image_path, message);
          g_clear_error (&error);
          run->n_failed++;
          continue;
        }
      dropped = count_dropped (sample);
      if (dropped > 0)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "  %s_aug%u: %u of %u objects dropped by the %s rules\n",
                                      "  %s_aug%u: %u of %u objects dropped by the %s rules\n", dropped),
                 p->stem, k, dropped, bm_augment_sample_get_n_items (sample), run->profile->id);
      if (!write_sample (run, p, k, sample, seed, partners, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return FALSE;
        }
      run->n_dropped += dropped;
      run->n_samples++;
    }
  run->n_images++;
  return TRUE;
}

/* --force may replace samples, but never the class list under an earlier run's labels. */
static gboolean
class_files_agree (Run *run)
{
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (run->opts->out, i == 0 ? "classes.txt" : "data.yaml", NULL);
      g_autoptr(BmClassList) existing = NULL;
      g_autoptr(GError) error = NULL;
      gboolean same;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      existing = bm_class_list_load (path, &error);
      same = existing != NULL && bm_class_list_get_n (existing) == bm_class_list_get_n (run->classes);
      for (guint c = 0; same && c < bm_class_list_get_n (existing); c++)
        same = strcmp (bm_class_list_get_name (existing, c), bm_class_list_get_name (run->classes, c)) == 0;
      if (!same)
        {
          fprintf (stderr, _("%s holds other class ids than this run would write; replacing it would change the "
                             "meaning of the labels already there. Nothing was written (give --classes %s to keep its ids).\n"),
                   path, path);
          return FALSE;
        }
    }
  return TRUE;
}

/* Prints what is wrong with the items, as load_items found it. */
static void
print_problems (Run *run, GPtrArray *problems)
{
  for (guint k = 0; k < problems->len; k++)
    {
      const BmProblem *problem = problems->pdata[k];

      if (problem->file[0] == '\0')
        fprintf (stderr, "%s\n", problem->message);
      else
        print_problem (problem);
    }
  run->n_problems += problems->len;
}

/* ---- setup ---- */

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

static int
augment_with_options (Options *opts)
{
  Run run = { opts };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) plan = NULL;
  g_autoptr(GHashTable) taken = NULL;
  GArray *usable;
  gboolean single_image;
  int single_index = -1;
  guint n_unlabelled = 0, n_unverified = 0;
  int status = BM_CLI_EXIT_OK;

  if (opts->ops == NULL)
    return usage_error (_("--ops is required, e.g. --ops \"rotate:deg=-15..15;expand:ratio=1..3\""));
  if (opts->to == NULL)
    return usage_error (_("--to is required"));
  if (!bm_cli_parse_target (opts->to, &run.target))
    return usage_error (_("--to must be voc, dota, yolo or yolo-obb"));
  if (opts->out == NULL)
    return usage_error (_("--out is required"));
  if (opts->sources == NULL || opts->sources[0] == NULL)
    return usage_error (_("the source SRC (a dataset folder or an image) is missing"));
  if (opts->sources[1] != NULL)
    return usage_error (_("only one source can be augmented at a time"));
  if (opts->n < 1 || opts->n > 10000)
    return usage_error (_("--n must be from 1 to 10000"));
  if (opts->seed < 0)
    return usage_error (_("--seed must not be negative"));
  if (opts->quality < 1 || opts->quality > 100)
    return usage_error (_("--quality must be from 1 to 100"));
  if (opts->format != NULL && g_ascii_strcasecmp (opts->format, "png") != 0
      && g_ascii_strcasecmp (opts->format, "jpg") != 0 && g_ascii_strcasecmp (opts->format, "jpeg") != 0)
    return usage_error (_("--format must be png or jpg"));
  if (opts->classes != NULL && opts->data != NULL)
    return usage_error (_("give either --classes or --data, not both"));
  if ((opts->classes != NULL || opts->data != NULL || opts->clip) && run.target != BM_CLI_TARGET_YOLO && run.target != BM_CLI_TARGET_YOLO_OBB)
    return usage_error (_("--classes, --data and --clip are for --to yolo or yolo-obb"));
  run.profile = bm_augment_profile_find (opts->profile != NULL ? opts->profile : "ultralytics");
  if (run.profile == NULL)
    return usage_error (_("--profile must be ultralytics, paddle, albumentations or mmdetection"));
  run.ops = bm_augment_export_parse_ops (opts->ops, run.profile, &error);
  if (run.ops == NULL)
    {
      fprintf (stderr, "boxmark-cli augment: %s\n", error->message);
      return BM_CLI_EXIT_USAGE;
    }
  for (guint i = 0; i < run.ops->len; i++)
    {
      const BmAugmentExportOp *op = &g_array_index (run.ops, BmAugmentExportOp, i);

      if (op->kind == BM_AUGMENT_OP_MIXUP)
        {
          run.n_partners_needed += 1;
          if (run.profile->mixup_style == BM_AUGMENT_MIXUP_MMDET && bm_augment_export_op_has_key (op, "alpha"))
            fprintf (stderr, _("boxmark-cli augment: note: mmdetection mixes 0.5 / 0.5, so mixup’s alpha has no effect\n"));
        }
      else if (op->kind == BM_AUGMENT_OP_MOSAIC)
        run.n_partners_needed += 3;
    }

  if (!g_file_test (opts->sources[0], G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, _("boxmark-cli augment: %s: no such file or folder\n"), opts->sources[0]);
      g_array_unref (run.ops);
      return BM_CLI_EXIT_FAILURE;
    }
  single_image = !g_file_test (opts->sources[0], G_FILE_TEST_IS_DIR);
  run.dataset = single_image ? open_for_image (opts->sources[0], &single_index, &error)
                             : bm_dataset_open (opts->sources[0], TRUE, &error);
  if (run.dataset == NULL || (single_image && single_index < 0))
    {
      if (error != NULL)
        fprintf (stderr, "boxmark-cli augment: %s\n", error->message);
      else
        fprintf (stderr, _("boxmark-cli augment: %s is not an image Boxmark opens\n"), opts->sources[0]);
      g_clear_object (&run.dataset);
      g_array_unref (run.ops);
      return BM_CLI_EXIT_FAILURE;
    }
  bm_cli_print_dataset_problems ("augment", run.dataset);

  {
    /* also through symlinks, and an output subfolder that is a link into SRC */
    const char *const written[] = { bm_augment_export_image_folder ((BmAugmentExportFormat) run.target),
                                    bm_augment_export_label_folder ((BmAugmentExportFormat) run.target),
                                    BM_AUGMENT_EXPORT_SIDECAR_DIR, NULL };

    if (!bm_cli_check_out_outside_source ("augment", opts->out, written, opts->sources[0],
                                          bm_dataset_get_root (run.dataset)))
      {
        g_clear_object (&run.dataset);
        g_array_unref (run.ops);
        return BM_CLI_EXIT_USAGE;
      }
  }

  printf (_("Reading %s: %s layout, %s labels; profile %s, seed %" PRId64 ", %d samples per image.\n"),
          opts->sources[0], bm_layout_to_string (bm_dataset_get_layout (run.dataset)),
          bm_format_to_string (bm_dataset_get_format (run.dataset)), run.profile->id, opts->seed, opts->n);
  fflush (stdout);
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);

    /* with one image given, the others are loaded as mixup partners and only its problems count */
    run.pool = bm_augment_export_pool_new (run.dataset, single_image ? single_index : -1, problems,
                                           &n_unlabelled, &n_unverified);
    print_problems (&run, problems);
  }

  if (run.target == BM_CLI_TARGET_YOLO || run.target == BM_CLI_TARGET_YOLO_OBB)
    {
      const char *file = opts->classes != NULL ? opts->classes : opts->data;

      if (file == NULL && bm_dataset_get_format (run.dataset) == BM_FORMAT_YOLO && bm_dataset_get_class_file (run.dataset))
        file = bm_dataset_get_class_file (run.dataset);
      if (file != NULL)
        run.classes = bm_class_list_load (file, &error);
      else
        {
          run.classes = bm_augment_export_pool_sorted_labels (run.pool, NULL);
          printf (_("Class ids (every label, sorted; written to data.yaml and classes.txt):\n"));
          for (guint i = 0; i < bm_class_list_get_n (run.classes); i++)
            printf ("  %u %s\n", i, bm_class_list_get_name (run.classes, i));
        }
      if (run.classes == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          status = error->code == BM_ERROR_NOT_FOUND || error->code == BM_ERROR_IO ? BM_CLI_EXIT_FAILURE : BM_CLI_EXIT_PROBLEMS;
          goto out;
        }
      if (!resolve_classes (&run))
        {
          status = BM_CLI_EXIT_PROBLEMS;
          goto out;
        }
    }

  /* what will be written, and under which names */
  plan = g_array_new (FALSE, TRUE, sizeof (Planned));
  g_array_set_clear_func (plan, planned_clear);
  taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  usable = bm_augment_export_pool_get_usable (run.pool);
  for (guint u = 0; u < usable->len; u++)
    {
      guint index = g_array_index (usable, guint, u);
      const BmAugmentExportItem *entry = bm_augment_export_pool_get_item (run.pool, index);
      Planned p;

      if (single_image && (int) index != single_index)
        continue;
      p.index = index;
      p.stem = unique_stem (taken, entry->item->image_path);
      p.ext = bm_augment_export_image_extension (entry->item->image_path, opts->format);
      /* named among all images, so every shard names its images as the whole run does */
      if (!bm_shard_contains_item (&opts->shard, run.dataset, entry->item))
        {
          planned_clear (&p);
          continue;
        }
      g_array_append_val (plan, p);
    }
  if (plan->len == 0 && !bm_shard_is_all (&opts->shard))
    {
      printf (_("Shard %u/%u holds no labelled image; nothing to do.\n"), opts->shard.index + 1, opts->shard.count);
      goto out;
    }
  if (plan->len == 0)
    {
      fprintf (stderr, _("boxmark-cli augment: no labelled image to augment in %s\n"), opts->sources[0]);
      status = run.n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_FAILURE;
      goto out;
    }
  if (run.n_partners_needed > 0 && usable->len < 2)
    fprintf (stderr, _("boxmark-cli augment: note: mixup and mosaic need other labelled images; there are none, so mixup is skipped and mosaic repeats the image\n"));

  run.writer = bm_augment_export_writer_new (opts->out, (BmAugmentExportFormat) run.target, opts->quality, opts->clip,
                                             opts->force);
  bm_augment_export_writer_set_classes (run.writer, run.classes, run.class_names);
  if (!opts->force && !check_conflicts (&run, plan))
    {
      status = BM_CLI_EXIT_FAILURE;
      goto out;
    }
  if (opts->force && run.classes != NULL && !class_files_agree (&run))
    {
      status = BM_CLI_EXIT_PROBLEMS;
      goto out;
    }
  if (!bm_augment_export_writer_make_dirs (run.writer, &error)
      || ((run.target == BM_CLI_TARGET_YOLO || run.target == BM_CLI_TARGET_YOLO_OBB)
          && !bm_augment_export_writer_write_class_files (run.writer, &error)))
    {
      fprintf (stderr, "%s\n", error->message);
      status = BM_CLI_EXIT_FAILURE;
      goto out;
    }

  run.partner_cache = bm_augment_export_cache_new (PARTNER_CACHE_SIZE);
  for (guint i = 0; i < plan->len; i++)
    if (!augment_image (&run, &g_array_index (plan, Planned, i), i, plan->len))
      {
        status = BM_CLI_EXIT_FAILURE;
        goto out;
      }

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, bm_augment_export_writer_get_renamed (run.writer));
    while (g_hash_table_iter_next (&iter, &key, &value))
      printf (_("DOTA class names cannot hold spaces: “%s” was written as “%s”.\n"), (char *) key, (char *) value);
  }
  if (n_unlabelled > 0 && !single_image)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image has no label file and was not augmented.\n",
                         "%u images have no label file and were not augmented.\n", n_unlabelled), n_unlabelled);
  if (n_unverified > 0 && !single_image)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u image has a label file without objects that is not marked verified; not augmented.\n",
                         "%u images have a label file without objects that is not marked verified; not augmented.\n", n_unverified),
            n_unverified);
  if (bm_augment_export_writer_get_n_clipped (run.writer) > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u row was clipped to its image.\n", "%u rows were clipped to their image.\n", bm_augment_export_writer_get_n_clipped (run.writer)), bm_augment_export_writer_get_n_clipped (run.writer));
  if (bm_augment_export_writer_get_n_outside (run.writer) > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u object lies entirely outside its sample and got no row.\n", "%u objects lie entirely outside their sample and got no row.\n", bm_augment_export_writer_get_n_outside (run.writer)), bm_augment_export_writer_get_n_outside (run.writer));
  if (run.n_failed > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u sample could not be made (see above).\n", "%u samples could not be made (see above).\n", run.n_failed), run.n_failed);
  printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %u sample of %u images to %s (%s): %u objects, %u dropped by the %s rules.\n",
                       "Wrote %u samples of %u images to %s (%s): %u objects, %u dropped by the %s rules.\n", run.n_samples),
          run.n_samples, run.n_images, opts->out, opts->to, bm_augment_export_writer_get_n_objects (run.writer), run.n_dropped, run.profile->id);
  status = run.n_problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;

out:
  g_clear_pointer (&run.partner_cache, bm_augment_export_cache_free);
  g_clear_pointer (&run.writer, bm_augment_export_writer_free);
  g_clear_pointer (&run.class_names, g_hash_table_unref);
  g_clear_pointer (&run.classes, bm_class_list_unref);
  g_clear_pointer (&run.pool, bm_augment_export_pool_unref);
  g_clear_pointer (&run.ops, g_array_unref);
  g_clear_object (&run.dataset);
  return status;
}

int
bm_cli_augment (int argc, char **argv)
{
  Options opts = { NULL, 1, 0, NULL, NULL, NULL, NULL, NULL, 95, FALSE, FALSE, NULL, NULL };
  int status;
  GOptionEntry entries[] = {
    { "ops", 0, 0, G_OPTION_ARG_STRING, &opts.ops, N_("Operations, e.g. \"rotate:deg=-15..15;expand:ratio=1..3;mixup:alpha=1.5\""), N_("SPEC") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &opts.n, N_("Samples per image (default 1)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts.seed, N_("Seed; the same seed writes the same bytes (default 0)"), N_("S") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &opts.profile, N_("Framework whose rules move the boxes: ultralytics (default), paddle, albumentations or mmdetection"), N_("NAME") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &opts.to, N_("Output format: voc, dota, yolo or yolo-obb"), N_("FORMAT") },
    { "classes", 0, 0, G_OPTION_ARG_FILENAME, &opts.classes, N_("Ordered class list (one name per line) giving YOLO class ids"), N_("FILE") },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &opts.data, N_("Ultralytics data.yaml whose names give YOLO class ids"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format, N_("Image format of the samples: png or jpg (default: the source’s)"), N_("FORMAT") },
    { "quality", 0, 0, G_OPTION_ARG_INT, &opts.quality, N_("JPEG quality, 1 to 100 (default 95)"), N_("Q") },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &opts.clip, N_("Clip YOLO-OBB corners to the image (detect rows are always clipped)"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &opts.force, N_("Replace files of an earlier run in DIR"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opts.out, N_("Output folder"), N_("DIR") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &opts.shard_text, N_("Only part K of N of the images (see README: datasets larger than one machine)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts.sources, NULL, N_("SRC") },
    { NULL }
  };

  if (bm_cli_parse ("augment", NULL,
                    _("Writes N augmented samples of every labelled image in SRC (a dataset folder of any layout, "
                      "or one image), moving the labels as the --profile framework does.\n\n"
                      "--ops: operations separated by ‘;’, each NAME[:KEY=VALUE[,KEY=VALUE…]]. A value A..B is "
                      "drawn uniformly, a single number is used as it is. Every operation takes p (probability, "
                      "default 1).\n"
                      "  rotate      deg (counter-clockwise, -30..30), scale (1), canvas=keep|enlarge|shrink|squeeze, boxes=largest|ellipse\n"
                      "  expand      ratio (1..4)\n"
                      "  mixup       alpha (λ ~ Beta(α, α); default the profile’s), source=random, size (mmdetection img_scale, 640)\n"
                      "  hflip vflip offset=0|1 (x′ = W − x, or W − 1 − x)\n"
                      "  crop        min-scale (0.3)\n"
                      "  scale       range (0.5..1.5)\n"
                      "  hsv         h, s, v gains (default ±0.015, ±0.7, ±0.4)\n"
                      "  brightness contrast  factor (0.5..1.5)\n"
                      "  cutout      holes (at most, 2), size (fraction of the side, 0.1..0.2)\n"
                      "  mosaic letterbox  size (640)\n"
                      "Mixup and mosaic partners are other labelled images of the dataset, chosen by the seed.\n\n"
                      "Output: <stem>_aug<k> in DIR/Annotations + JPEGImages (voc), labelTxt + images (dota), or "
                      "labels + images + data.yaml (yolo, yolo-obb), and DIR/augment/<stem>_aug<k>.augment.txt "
                      "with what was applied. Existing files are never replaced without --force; DIR must lie "
                      "outside SRC.\n\n"
                      "Samples are new images nobody has reviewed: they are never marked verified, not even "
                      "those of a verified image.\n\n"
                      "Exit status: 0 done, 1 problems in the data (reported as FILE:LINE: problem), "
                      "2 bad command line, 3 failure."),
                    entries, &argc, &argv) && bm_cli_parse_shard ("augment", opts.shard_text, &opts.shard))
    status = augment_with_options (&opts);
  else
    status = BM_CLI_EXIT_USAGE;
  g_free (opts.ops);
  g_free (opts.profile);
  g_free (opts.to);
  g_free (opts.classes);
  g_free (opts.data);
  g_free (opts.format);
  g_free (opts.out);
  g_free (opts.shard_text);
  g_strfreev (opts.sources);
  return status;
}
