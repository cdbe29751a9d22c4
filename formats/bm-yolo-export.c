/* bm-yolo-export.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-number.h"
#include "core/bm-parallel.h"
#include "core/bm-problem.h"
#include "bm-label-io.h"
#include "bm-yolo-export.h"

#define DEFAULT_VAL_FRACTION 0.2
#define MAX_FILES_NAMED 5

typedef struct
{
  const BmYoloExportItem *item;
  int width, height;
  const char *split;       /* "train", "val", "test" */
  char *name;              /* output file name of the image */
  guint64 rank;

  /* What writing it did (filled by write_planned, possibly on another thread) */
  GPtrArray *problems;     /* BmProblem, or NULL */
  GError *error;           /* nothing more may be written */
  gboolean written;
  BmExportPlacement placement;
  char *label_target;
  guint n_objects, n_clipped, n_enclosed, n_outside, n_out_of_range;
} Planned;

typedef struct
{
  GArray *planned;
  const char *out_dir;
  const BmYoloExportOptions *options;
  GHashTable *ids;         /* label → id; only read while writing */
  gint failed;             /* atomic: an item failed, stop writing */
} WriteJob;

static void
planned_clear (Planned *p)
{
  g_free (p->name);
  g_clear_pointer (&p->problems, g_ptr_array_unref);
  g_clear_error (&p->error);
  g_free (p->label_target);
}

static void
planned_add_problem (Planned *p, BmProblem *problem)
{
  if (p->problems == NULL)
    p->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  g_ptr_array_add (p->problems, problem);
}

void
bm_yolo_export_report_clear (BmYoloExportReport *report)
{
  g_clear_pointer (&report->classes, bm_class_list_unref);
  g_clear_pointer (&report->notes, g_ptr_array_unref);
  g_clear_pointer (&report->renamed_classes, g_ptr_array_unref);
  g_clear_pointer (&report->classes_txt_left_out, g_free);
}

guint64
bm_yolo_split_rank (const char *name, guint seed)
{
  guint64 h = 0xcbf29ce484222325ULL ^ ((guint64) seed * 0x9E3779B97F4A7C15ULL);

  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  /* splitmix64 finaliser: FNV alone clusters similar names. */
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static const char *
normalise_split (const char *split)
{
  if (split == NULL)
    return "train";
  if (g_ascii_strcasecmp (split, "val") == 0 || g_ascii_strcasecmp (split, "valid") == 0
      || g_ascii_strcasecmp (split, "validation") == 0)
    return "val";
  if (g_ascii_strcasecmp (split, "test") == 0)
    return "test";
  return "train";
}

static const char *
source_name (const BmYoloExportItem *item)
{
  const char *label = item->annotation ? bm_annotation_get_label_path (item->annotation) : NULL;

  return label != NULL && label[0] != '\0' ? label : item->image_path;
}

/* When every labelled source is a YOLO file read without a class list, its labels are the ids:
 * keep them, named "0" … "max" (sorting the names would renumber 3, 10, 2 as 2, 0, 1).
 * NULL otherwise. */
static GHashTable *
ids_kept (GPtrArray *items, BmYoloExportReport *report)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean any = FALSE;
  guint max_id = 0;

  for (guint i = 0; i < items->len; i++)
    {
      BmYoloExportItem *item = items->pdata[i];

      if (item->annotation == NULL || bm_annotation_is_read_only (item->annotation))
        continue;
      if (!bm_yolo_labels_are_ids (item->annotation))
        return NULL;
      for (guint k = 0; k < bm_annotation_get_n_objects (item->annotation); k++)
        {
          const char *label = bm_object_get_label (bm_annotation_get_object (item->annotation, k));
          guint64 id;

          if (!g_ascii_isdigit (label[0])
              || !bm_number_parse_uint (label, G_MAXINT - 1, &id))
            return NULL;
          any = TRUE;
          max_id = MAX (max_id, (guint) id);
          g_hash_table_insert (ids, g_strdup (label), GUINT_TO_POINTER ((guint) id));
        }
    }
  if (!any)
    return NULL;
  report->classes = bm_class_list_new ();
  report->classes_from_ids = TRUE;
  for (guint id = 0; id <= max_id; id++)
    {
      g_autofree char *name = g_strdup_printf ("%u", id);

      bm_class_list_add (report->classes, name);
    }
  return g_steal_pointer (&ids);
}

/* Two labels must never become one class: "traffic\nlight" and "traffic light" would both be
 * named "traffic light" once the line break is made a space. */
static gboolean
names_stay_apart (GPtrArray *labels, GError **error)
{
  g_autoptr(GHashTable) label_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < labels->len; i++)
    g_hash_table_insert (label_by_name, g_strdup (labels->pdata[i]), labels->pdata[i]);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *label = labels->pdata[i];
      g_autofree char *name = bm_class_list_make_name (label);
      const char *other;

      if (strcmp (name, label) == 0)
        continue;
      other = g_hash_table_lookup (label_by_name, name);
      if (other != NULL && other != label)
        {
          g_autofree char *a = g_strescape (label, NULL);
          g_autofree char *b = g_strescape (other, NULL);

          g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                       _("the labels “%s” and “%s” would both be class “%s” (a class list holds one name per line, without line breaks); rename one of them"),
                       a, b, name);
          return FALSE;
        }
      g_hash_table_insert (label_by_name, g_strdup (name), (gpointer) label);
    }
  return TRUE;
}

/* Maps every label to a class id, or fails naming each missing label and its files. */
static GHashTable *
resolve_classes (GPtrArray *items, const BmYoloExportOptions *options, BmYoloExportReport *report,
                 GError **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) missing_order = g_ptr_array_new ();

  if (options->classes == NULL)
    {
      GHashTable *kept = ids_kept (items, report);

      if (kept != NULL)
        return kept;
    }
  if (options->classes == NULL)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < items->len; i++)
        {
          BmYoloExportItem *item = items->pdata[i];

          if (item->annotation == NULL || bm_annotation_is_read_only (item->annotation))
            continue;
          for (guint k = 0; k < bm_annotation_get_n_objects (item->annotation); k++)
            {
              const char *label = bm_object_get_label (bm_annotation_get_object (item->annotation, k));

              if (g_hash_table_add (seen, (gpointer) label))
                g_ptr_array_add (labels, (gpointer) label);
            }
        }
      g_ptr_array_sort (labels, compare_strings);
      if (!names_stay_apart (labels, error))
        return NULL;
      report->classes = bm_class_list_new ();
      report->classes_sorted = TRUE;
      for (guint i = 0; i < labels->len; i++)
        {
          const char *label = labels->pdata[i];
          g_autofree char *name = bm_class_list_make_name (label);
          guint id = bm_class_list_add (report->classes, name);

          if (strcmp (name, label) != 0)
            {
              g_autofree char *shown = g_strescape (label, NULL);

              g_ptr_array_add (report->renamed_classes,
                               g_strdup_printf (_("label “%s” → class %u “%s”"), shown, id, name));
            }
          g_hash_table_insert (ids, g_strdup (label), GUINT_TO_POINTER (id));
        }
      return g_steal_pointer (&ids);
    }

  report->classes = bm_class_list_ref (options->classes);
  for (guint i = 0; i < items->len; i++)
    {
      BmYoloExportItem *item = items->pdata[i];

      if (item->annotation == NULL || bm_annotation_is_read_only (item->annotation))
        continue;
      for (guint k = 0; k < bm_annotation_get_n_objects (item->annotation); k++)
        {
          const char *label = bm_object_get_label (bm_annotation_get_object (item->annotation, k));
          GPtrArray *files;
          int id;

          if (g_hash_table_contains (ids, label))
            continue;
          id = bm_class_list_find (options->classes, label);
          if (id < 0)
            {
              id = bm_class_list_find_loose (options->classes, label);
              if (id >= 0)
                g_ptr_array_add (report->notes,
                                 g_strdup_printf (_("label “%s” → class %d “%s”"), label, id,
                                                  bm_class_list_get_name (options->classes, (guint) id)));
            }
          if (id >= 0)
            {
              g_hash_table_insert (ids, g_strdup (label), GINT_TO_POINTER (id));
              continue;
            }
          files = g_hash_table_lookup (missing, label);
          if (files == NULL)
            {
              files = g_ptr_array_new ();
              g_hash_table_insert (missing, g_strdup (label), files);
              g_ptr_array_add (missing_order, (gpointer) label);
            }
          if (files->len == 0 || g_ptr_array_index (files, files->len - 1) != (gpointer) source_name (item))
            g_ptr_array_add (files, (gpointer) source_name (item));
        }
    }
  if (missing_order->len > 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE, "%u label is not in the class list %s:",
                                           "%u labels are not in the class list %s:", missing_order->len),
                              missing_order->len,
                              bm_class_list_get_path (options->classes) ? bm_class_list_get_path (options->classes) : "");
      for (guint i = 0; i < missing_order->len; i++)
        {
          GPtrArray *files = g_hash_table_lookup (missing, missing_order->pdata[i]);

          g_string_append_printf (message, "\n  “%s”: ", (char *) missing_order->pdata[i]);
          for (guint f = 0; f < files->len && f < MAX_FILES_NAMED; f++)
            g_string_append_printf (message, "%s%s", f > 0 ? ", " : "", (char *) files->pdata[f]);
          if (files->len > MAX_FILES_NAMED)
            g_string_append_printf (message, g_dngettext (GETTEXT_PACKAGE, " and %u more file", " and %u more files", files->len - MAX_FILES_NAMED), files->len - MAX_FILES_NAMED);
        }
      g_string_append_printf (message, "\n%s", _("Add them to the class list (ids are never re-numbered silently)."));
      g_set_error_literal (error, BM_ERROR, BM_ERROR_NOT_FOUND, message->str);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gboolean
bm_export_folder_is_empty_or_missing (const char *dir)
{
  g_autoptr(GDir) handle = NULL;

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    return TRUE;
  handle = g_dir_open (dir, 0, NULL);
  return handle != NULL && g_dir_read_name (handle) == NULL;
}

gboolean
bm_export_make_dir (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("Cannot create %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A new file, never replacing anything, written whole or not at all (a kill leaves no 0-byte
 * label, which a trainer would read as a background image). No fsync per file: the output
 * folder starts empty, so no old content can be damaged. */
gboolean
bm_export_write_new_file (const char *path, const char *data, gsize length, GError **error)
{
  return bm_file_write_full (path, data, length, BM_FILE_WRITE_NEW | BM_FILE_WRITE_NO_FSYNC, NULL, NULL, error);
}

gboolean
bm_export_place_image (const char *source, const char *target, gboolean copy,
                       BmExportPlacement *placement, GError **error)
{
  g_autofree char *absolute = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!copy)
    {
      if (link (source, target) == 0)
        {
          *placement = BM_EXPORT_HARD_LINKED;
          return TRUE;
        }
      int link_errno = errno;   /* g_canonicalize_filename may change errno */
      absolute = g_canonicalize_filename (source, NULL);
      if (link_errno != EEXIST && symlink (absolute, target) == 0)
        {
          *placement = BM_EXPORT_SYMLINKED;
          return TRUE;
        }
    }
  /* Whole or not at all, as the labels. */
  if (!bm_file_copy_new (source, target, BM_FILE_WRITE_NO_FSYNC, &local_error))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("Cannot copy %s to %s: %s"), source, target,
                   local_error->message);
      return FALSE;
    }
  *placement = BM_EXPORT_COPIED;
  return TRUE;
}

/* Finds the image size (EXIF-oriented header; the label file's size when the header cannot be
 * read). FALSE and a problem when neither is known. */
static gboolean
image_size (const BmYoloExportItem *item, gboolean checked, int *width, int *height, GPtrArray *problems)
{
  int aw = bm_annotation_get_width (item->annotation);
  int ah = bm_annotation_get_height (item->annotation);
  g_autoptr(GError) error = NULL;
  BmProblem *disagreement = NULL;

  if (!checked && bm_export_header_size (item->image_path, item->annotation, source_name (item),
                                         width, height, &disagreement, &error))
    {
      if (disagreement != NULL)
        g_ptr_array_add (problems, disagreement);
      return TRUE;
    }
  if (aw > 0 && ah > 0)
    {
      *width = aw;
      *height = ah;
      return TRUE;
    }
  g_ptr_array_add (problems,
    bm_problem_new_printf (source_name (item), 0, _("the image size is unknown (%s); image left out"),
                           error ? error->message : item->image_path));
  return FALSE;
}

gboolean
bm_export_header_size (const char *image_path, BmAnnotation *annotation, const char *label_path,
                       int *width, int *height, BmProblem **disagreement, GError **error)
{
  int w = 0, h = 0, channels = 0;
  int aw = bm_annotation_get_width (annotation), ah = bm_annotation_get_height (annotation);

  g_return_val_if_fail (image_path != NULL, FALSE);
  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);
  g_return_val_if_fail (disagreement != NULL && *disagreement == NULL, FALSE);

  if (!bm_image_read_info (image_path, &w, &h, &channels, error))
    return FALSE;
  if (w <= 0 || h <= 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image header gives no size"), image_path);
      return FALSE;
    }
  if (aw > 0 && ah > 0 && (aw != w || ah != h))
    *disagreement = bm_problem_new_printf (label_path, 0,
                                           _("the label file says the image is %d×%d but %s is %d×%d; the image’s size is used"),
                                           aw, ah, image_path, w, h);
  *width = w;
  *height = h;
  return TRUE;
}

static int
compare_rank (gconstpointer a, gconstpointer b)
{
  const Planned *pa = *(const Planned *const *) a;
  const Planned *pb = *(const Planned *const *) b;

  if (pa->rank != pb->rank)
    return pa->rank < pb->rank ? -1 : 1;
  return strcmp (pa->name, pb->name);
}

static void
assign_splits (GArray *planned, const BmYoloExportOptions *options, BmYoloExportReport *report)
{
  gboolean have_splits = FALSE;
  double fraction = options->val_fraction;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint n_val;

  for (guint i = 0; i < planned->len; i++)
    if (g_array_index (planned, Planned, i).item->split != NULL)
      have_splits = TRUE;
  if (fraction < 0 && have_splits)
    {
      report->val_fraction = -1;
      for (guint i = 0; i < planned->len; i++)
        {
          Planned *p = &g_array_index (planned, Planned, i);
          p->split = normalise_split (p->item->split);
        }
      return;
    }
  if (fraction < 0)
    fraction = DEFAULT_VAL_FRACTION;
  report->val_fraction = fraction;
  for (guint i = 0; i < planned->len; i++)
    {
      Planned *p = &g_array_index (planned, Planned, i);

      p->rank = bm_yolo_split_rank (p->name, options->seed);
      g_ptr_array_add (order, p);
    }
  g_ptr_array_sort (order, compare_rank);
  n_val = (guint) floor (fraction * planned->len + 0.5);
  if (fraction > 0 && n_val == 0 && planned->len > 1)
    n_val = 1;
  for (guint i = 0; i < order->len; i++)
    ((Planned *) order->pdata[i])->split = i < n_val ? "val" : "train";
}

/* Unique output names per split: a second "img.jpg" becomes "img-2.jpg". */
static void
assign_names (GArray *planned, BmYoloExportReport *report)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < planned->len; i++)
    {
      Planned *p = &g_array_index (planned, Planned, i);
      g_autofree char *stem = bm_path_get_stem (p->name);
      const char *dot = strrchr (p->name, '.');
      g_autofree char *ext = g_strdup (dot != NULL ? dot : "");
      char *key = g_strdup_printf ("%s/%s", p->split, stem);

      for (guint n = 2; g_hash_table_contains (taken, key); n++)
        {
          g_free (key);
          g_free (p->name);
          p->name = g_strdup_printf ("%s-%u%s", stem, n, ext);
          key = g_strdup_printf ("%s/%s-%u", p->split, stem, n);
          if (n == 2)
            report->n_renamed++;
        }
      g_hash_table_add (taken, key);
    }
}

/* Every split's images/ and labels/ folders, before the writers start. */
static gboolean
make_split_dirs (GArray *planned, const char *out_dir, GError **error)
{
  g_autoptr(GHashTable) made = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < planned->len; i++)
    {
      const char *split = g_array_index (planned, Planned, i).split;
      g_autofree char *image_dir = NULL;
      g_autofree char *label_dir = NULL;

      if (g_hash_table_contains (made, split))
        continue;
      image_dir = g_build_filename (out_dir, "images", split, NULL);
      label_dir = g_build_filename (out_dir, "labels", split, NULL);
      if (!bm_export_make_dir (image_dir, error) || !bm_export_make_dir (label_dir, error))
        return FALSE;
      g_hash_table_add (made, (gpointer) split);
    }
  return TRUE;
}

/* The rows of one image; counts and problems go to @p. */
static void
append_rows (Planned *p, GHashTable *ids, const BmYoloExportOptions *options, GString *rows)
{
  BmAnnotation *annotation = p->item->annotation;
  guint n_objects = bm_annotation_get_n_objects (annotation);

  for (guint k = 0; k < n_objects; k++)
    {
      BmObject *object = bm_annotation_get_object (annotation, k);
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (ids, bm_object_get_label (object)));
      gsize mark = rows->len;
      gboolean enclosed = FALSE;

      switch (bm_yolo_append_row (rows, object, id, p->width, p->height, options->task,
                                  options->clip, &enclosed))
        {
        case BM_YOLO_ROW_OUTSIDE:
          g_string_truncate (rows, mark);
          p->n_outside++;
          planned_add_problem (p,
            bm_problem_new_printf (source_name (p->item), 0,
                                   _("object %u “%s” lies entirely outside the %d×%d image; no row written"),
                                   k + 1, bm_object_get_label (object), p->width, p->height));
          continue;
        case BM_YOLO_ROW_CLIPPED:
          p->n_clipped++;
          break;
        case BM_YOLO_ROW_OUT_OF_RANGE:
          p->n_out_of_range++;
          planned_add_problem (p,
            bm_problem_new_printf (source_name (p->item), 0,
                                   _("object %u “%s”: its enclosing box leaves the image by more than 1%%, so Ultralytics would ignore every label of this image; use --clip"),
                                   k + 1, bm_object_get_label (object)));
          break;
        case BM_YOLO_ROW_OK:
        default:
          break;
        }
      if (enclosed)
        p->n_enclosed++;
      g_string_append_c (rows, '\n');
      p->n_objects++;
    }
}

/* Places one image and writes its label file. Runs on several threads at once: it touches only
 * its own Planned. */
static void
write_planned (guint index, gpointer user_data)
{
  WriteJob *job = user_data;
  Planned *p = &g_array_index (job->planned, Planned, index);
  g_autofree char *image_target = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *label_name = NULL;
  g_autoptr(GString) rows = NULL;

  if (g_atomic_int_get (&job->failed))
    return;
  image_target = g_build_filename (job->out_dir, "images", p->split, p->name, NULL);
  stem = bm_path_get_stem (p->name);
  label_name = g_strconcat (stem, ".txt", NULL);
  p->label_target = g_build_filename (job->out_dir, "labels", p->split, label_name, NULL);
  if (p->item->elsewhere)
    return;
  rows = g_string_sized_new (256);
  append_rows (p, job->ids, job->options, rows);

  if (!bm_export_place_image (p->item->image_path, image_target, job->options->copy,
                              &p->placement, &p->error)
      || !bm_export_write_new_file (p->label_target, rows->str, rows->len, &p->error))
    {
      g_atomic_int_set (&job->failed, TRUE);
      return;
    }
  p->written = TRUE;
}

static void
count_written (const Planned *p, BmYoloExportReport *report)
{
  if (p->placement == BM_EXPORT_HARD_LINKED)
    report->n_hard_linked++;
  else if (p->placement == BM_EXPORT_SYMLINKED)
    report->n_symlinked++;
  else
    report->n_copied++;
  report->n_objects += p->n_objects;
  report->n_clipped += p->n_clipped;
  report->n_enclosed += p->n_enclosed;
  report->n_outside += p->n_outside;
  report->n_out_of_range += p->n_out_of_range;
  report->n_images++;
  report->n_label_files++;
  if (p->n_objects == 0)
    report->n_empty_label_files++;
  if (strcmp (p->split, "val") == 0)
    report->n_val++;
  else if (strcmp (p->split, "test") == 0)
    report->n_test++;
  else
    report->n_train++;
}

/* A new file; with shards, also one another shard wrote with these very bytes. */
static gboolean
write_class_file (const char *path, const char *text, gboolean sharded, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (sharded && g_file_get_contents (path, &contents, &length, NULL) && length == strlen (text)
      && memcmp (contents, text, length) == 0)
    return TRUE;
  return bm_export_write_new_file (path, text, strlen (text), error);
}

gboolean
bm_yolo_export (GPtrArray *items, const char *out_dir, const BmYoloExportOptions *options,
                BmYoloExportReport *report, GPtrArray *problems, GError **error)
{
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GArray) planned = g_array_new (FALSE, TRUE, sizeof (Planned));
  WriteJob job = { 0 };
  g_autoptr(GPtrArray) verified = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *absolute_out = NULL;
  g_autofree char *yaml = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *yaml_path = NULL;
  g_autofree char *txt_path = NULL;
  gboolean have_test = FALSE, sharded = FALSE;
  int unfit;

  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (out_dir != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->notes = g_ptr_array_new_with_free_func (g_free);
  report->renamed_classes = g_ptr_array_new_with_free_func (g_free);
  g_array_set_clear_func (planned, (GDestroyNotify) planned_clear);

  for (guint i = 0; i < items->len; i++)
    sharded |= ((const BmYoloExportItem *) items->pdata[i])->elsewhere;
  if (!sharded && !bm_export_folder_is_empty_or_missing (out_dir))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO,
                   _("%s is not empty; choose a new or empty folder (nothing is ever overwritten)"), out_dir);
      return FALSE;
    }
  ids = resolve_classes (items, options, report, error);
  if (ids == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      const BmYoloExportItem *item = items->pdata[i];
      Planned p = { item, 0, 0, NULL, NULL, 0 };

      if (item->annotation == NULL)
        {
          report->n_unlabelled += !item->elsewhere;
          continue;
        }
      if (bm_annotation_is_read_only (item->annotation) && item->elsewhere)
        continue;
      if (bm_annotation_is_read_only (item->annotation))
        {
          report->n_with_problems++;
          g_ptr_array_add (problems,
            bm_problem_new (source_name (item), 0,
                            _("the label file has problems (see above); its image is left out so that no half-labelled image is trained on")));
          continue;
        }
      if (!image_size (item, options->sizes_checked, &p.width, &p.height, problems))
        continue;
      p.name = g_path_get_basename (item->image_path);
      g_array_append_val (planned, p);
    }
  assign_splits (planned, options, report);
  assign_names (planned, report);

  if (!bm_export_make_dir (out_dir, error))
    return FALSE;
  absolute_out = g_canonicalize_filename (out_dir, NULL);
  if (!make_split_dirs (planned, out_dir, error))
    return FALSE;

  job.planned = planned;
  job.out_dir = out_dir;
  job.options = options;
  job.ids = ids;
  bm_parallel_for (planned->len, 0, write_planned, &job);

  for (guint i = 0; i < planned->len; i++)
    {
      Planned *p = &g_array_index (planned, Planned, i);

      if (p->problems != NULL)
        for (guint k = 0; k < p->problems->len; k++)
          g_ptr_array_add (problems, g_steal_pointer (&p->problems->pdata[k]));
      if (p->error != NULL)
        {
          /* Other threads may have written images after this one: say the folder is partial. */
          g_propagate_prefixed_error (error, g_steal_pointer (&p->error),
                                      _("The export stopped; %s holds only part of it: "), out_dir);
          return FALSE;
        }
      if (strcmp (p->split, "test") == 0)
        have_test = TRUE;
      /* the verified lists name other shards' files too: every shard writes them whole */
      if (p->item->elsewhere && bm_annotation_get_verified (p->item->annotation))
        g_ptr_array_add (verified, g_steal_pointer (&p->label_target));
      if (!p->written)
        continue;
      count_written (p, report);
      if (bm_annotation_get_verified (p->item->annotation))
        {
          g_ptr_array_add (verified, g_steal_pointer (&p->label_target));
          report->n_verified++;
        }
    }

  /* Ultralytics needs both splits to exist. */
  for (guint s = 0; s < 2; s++)
    {
      const char *split = s == 0 ? "train" : "val";
      g_autofree char *image_dir = g_build_filename (out_dir, "images", split, NULL);
      g_autofree char *label_dir = g_build_filename (out_dir, "labels", split, NULL);

      if (!bm_export_make_dir (image_dir, error) || !bm_export_make_dir (label_dir, error))
        return FALSE;
    }
  /* verified stays verified: the label folders get the sidecar bm_label_load reads */
  if (!bm_label_write_sidecars (verified, error))
    return FALSE;

  yaml = bm_class_list_to_yaml (report->classes, absolute_out, "images/train", "images/val");
  if (have_test)
    {
      char *with_test = g_strdup_printf ("%s", yaml);
      g_autofree char *names = g_strdup (strstr (with_test, "\nnames:"));

      if (names != NULL)
        {
          *strstr (with_test, "\nnames:") = '\0';
          g_free (yaml);
          yaml = g_strdup_printf ("%stest: images/test\n%s", with_test, names);
        }
      g_free (with_test);
    }
  yaml_path = g_build_filename (out_dir, "data.yaml", NULL);
  if (!write_class_file (yaml_path, yaml, sharded, error))
    return FALSE;
  /* A name from a given data.yaml may hold a line break: classes.txt cannot list it, and
   * data.yaml, which Ultralytics reads, already has every name. */
  unfit = bm_class_list_find_unfit_name (report->classes);
  if (unfit >= 0)
    {
      g_autofree char *shown = g_strescape (bm_class_list_get_name (report->classes, (guint) unfit), NULL);

      report->classes_txt_left_out =
        g_strdup_printf (_("classes.txt was not written: class %d “%s” holds a line break, which it cannot hold (data.yaml has every name)"),
                         unfit, shown);
      return TRUE;
    }
  txt = bm_class_list_to_txt (report->classes);
  txt_path = g_build_filename (out_dir, "classes.txt", NULL);
  return write_class_file (txt_path, txt, sharded, error);
}
