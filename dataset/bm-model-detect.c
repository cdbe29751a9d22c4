/* bm-model-detect.c: pre-annotating images with a user's YOLO model (ONNX).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "core/bm-number.h"
#include "core/bm-onnx-net.h"
#include "core/bm-parallel.h"
#include "core/bm-preannotate.h"
#include "formats/bm-label-io.h"
#include "bm-model-detect.h"

#define ARROW "->"

/* ---- class maps --------------------------------------------------------------------------- */

GPtrArray *
bm_model_class_map_new_identity (const char *const *names)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (labels, g_strdup (names[i]));
  return labels;
}

/* The model class called @text (a name, else a number), or −1. */
static int
find_class (const char *const *names, const char *text)
{
  guint n = g_strv_length ((char **) names);
  guint64 number;

  for (guint i = 0; i < n; i++)
    if (strcmp (names[i], text) == 0)
      return (int) i;
  if (n > 0 && bm_number_parse_uint (text, n - 1, &number))
    return (int) number;
  return -1;
}

static gboolean
map_error (GError **error, const char *path, guint line, const char *problem)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, "%s:%u: %s", path, line, problem);
  return FALSE;
}

static gboolean
parse_map_line (char *line, const char *path, guint number, const char *const *names, GPtrArray *labels,
                GError **error)
{
  g_autofree char *problem = NULL;
  char *source = g_strstrip (line), *label = NULL, *arrow;
  int id = find_class (names, source);

  if (*source == '\0' || *source == '#')
    return TRUE;
  /* A whole line naming a class (even one holding "->") keeps its name. */
  if (id < 0 && (arrow = strstr (source, ARROW)) != NULL)
    {
      *arrow = '\0';
      label = g_strstrip (arrow + strlen (ARROW));
      g_strstrip (source);
      id = find_class (names, source);
      if (*label == '\0')
        return map_error (error, path, number, _("no label after “->”"));
    }
  if (id < 0)
    {
      problem = g_strdup_printf (_("the model has no class “%s”"), source);
      return map_error (error, path, number, problem);
    }
  if (g_ptr_array_index (labels, id) != NULL)
    {
      problem = g_strdup_printf (_("class “%s” is mapped twice"), names[id]);
      return map_error (error, path, number, problem);
    }
  g_ptr_array_index (labels, id) = g_strdup (label != NULL ? label : names[id]);
  return TRUE;
}

GPtrArray *
bm_model_class_map_parse (const char *text, gsize length, const char *path, const char *const *names,
                          GError **error)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *copy = NULL;
  guint number = 0;
  char *line, *next;

  g_return_val_if_fail (text != NULL && path != NULL && names != NULL, NULL);

  if (memchr (text, '\0', length) != NULL || !g_utf8_validate (text, (gssize) length, NULL))
    {
      map_error (error, path, 1, _("not UTF-8 text"));
      return NULL;
    }
  g_ptr_array_set_size (labels, g_strv_length ((char **) names));
  copy = g_strndup (text, length);
  for (line = copy; line != NULL; line = next)
    {
      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      number++;
      if (!parse_map_line (line, path, number, names, labels, error))
        return NULL;
    }
  return g_steal_pointer (&labels);
}

GPtrArray *
bm_model_class_map_load (const char *path, const char *const *names, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, &local_error))
    {
      g_set_error (error, BM_ERROR, g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                                      ? BM_ERROR_NOT_FOUND : BM_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  return bm_model_class_map_parse (text, length, path, names, error);
}

char *
bm_model_class_map_to_text (const char *const *names, GPtrArray *labels)
{
  GString *text = g_string_new ("# model class -> dataset label; classes not listed are skipped\n");

  for (guint i = 0; i < labels->len && names[i] != NULL; i++)
    {
      const char *label = g_ptr_array_index (labels, i);

      if (label == NULL)
        continue;
      gsize n = strlen (names[i]);

      /* A label holding a line break cannot be one line: such a class stays out of the file. */
      if (strchr (label, '\n') != NULL)
        continue;
      /* a name that the reader would take for something else is written as its number */
      if (find_class (names, names[i]) != (int) i || strstr (names[i], ARROW) != NULL || strchr (names[i], '\n') != NULL
          || n == 0 || names[i][0] == '#' || g_ascii_isspace (names[i][0]) || g_ascii_isspace (names[i][n - 1]))
        g_string_append_printf (text, "%u", i);
      else
        g_string_append (text, names[i]);
      g_string_append_printf (text, " %s %s\n", ARROW, label);
    }
  return g_string_free (text, FALSE);
}

/* A name compared loosely: case-folded, with "-" and "_" as spaces. */
static char *
loose_name (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_strdelimit (g_steal_pointer (&folded), "-_", ' ');
}

GPtrArray *
bm_model_class_map_by_name (const char *const *names, const char *const *classes)
{
  GPtrArray *labels;

  g_return_val_if_fail (names != NULL, NULL);

  if (classes == NULL || classes[0] == NULL)
    return bm_model_class_map_new_identity (names);
  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *loose = loose_name (names[i]);
      const char *match = NULL;

      for (guint k = 0; classes[k] != NULL && match == NULL; k++)
        if (strcmp (classes[k], names[i]) == 0)
          match = classes[k];
      for (guint k = 0; classes[k] != NULL && match == NULL; k++)
        {
          g_autofree char *other = loose_name (classes[k]);

          if (strcmp (other, loose) == 0)
            match = classes[k];
        }
      g_ptr_array_add (labels, g_strdup (match));
    }
  return labels;
}

static char *
memory_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "boxmark", "models.ini", NULL);
}

/* A key-file group for @folder: brackets and control characters cannot be in one. */
static char *
memory_group (const char *folder)
{
  return g_uri_escape_string (folder, "/ ", TRUE);
}

gboolean
bm_model_detect_remember (const char *folder, const char *model_path, const char *const *names, GPtrArray *labels,
                          GError **error)
{
  g_autofree char *path = memory_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *map = bm_model_class_map_to_text (names, labels);
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) memory = g_key_file_new ();
  g_autofree char *group = NULL;
  gsize length;

  g_return_val_if_fail (folder != NULL && model_path != NULL && names != NULL && labels != NULL, FALSE);

  group = memory_group (folder);
  /* An unreadable file is replaced: it only held earlier choices. */
  g_key_file_load_from_file (memory, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string (memory, group, "model", model_path);
  g_key_file_set_string (memory, group, "classes", map);
  data = g_key_file_to_data (memory, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, BM_ERROR, BM_ERROR_IO, "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return bm_file_write_atomic (path, data, length, error);
}

char *
bm_model_detect_recall (const char *folder, char **map_text)
{
  g_autofree char *path = memory_path ();
  g_autoptr(GKeyFile) memory = g_key_file_new ();
  g_autofree char *group = NULL;
  char *model;

  g_return_val_if_fail (folder != NULL, NULL);

  if (map_text != NULL)
    *map_text = NULL;
  if (!g_key_file_load_from_file (memory, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  group = memory_group (folder);
  model = g_key_file_get_string (memory, group, "model", NULL);
  if (model != NULL && map_text != NULL)
    *map_text = g_key_file_get_string (memory, group, "classes", NULL);
  return model;
}

/* ---- objects ------------------------------------------------------------------------------ */

static void
detection_shape (const BmYoloDetection *d, BmOnnxTask task, BmFormat format, BmShape *shape)
{
  if (task == BM_ONNX_TASK_DETECT)
    bm_shape_init_box (shape, d->box[0], d->box[1], d->box[2], d->box[3]);
  else if (format == BM_FORMAT_DOTA || format == BM_FORMAT_YOLO)
    {
      double xy[8];

      bm_yolo_obb_corners (d->box, xy);
      bm_shape_init_quad (shape, xy);
    }
  else
    bm_shape_init_rotated (shape, d->box[0], d->box[1], d->box[2], d->box[3], d->box[4]);
}

char *
bm_model_detect_label_for_format (const char *label, BmFormat format)
{
  char *token = g_strdup (label);

  if (format == BM_FORMAT_DOTA)
    g_strdelimit (token, " \t\n\r\v\f", '-');
  return token;
}

GPtrArray *
bm_model_detect_new_objects (BmAnnotation *annotation, GArray *found, BmOnnxTask task, GPtrArray *labels,
                             BmFormat format, double iou)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), objects);
  g_return_val_if_fail (found != NULL && labels != NULL, objects);

  for (guint i = 0; i < found->len; i++)
    {
      const BmYoloDetection *d = &g_array_index (found, BmYoloDetection, i);
      const char *mapped = (guint) d->class_id < labels->len ? g_ptr_array_index (labels, d->class_id) : NULL;
      g_autofree char *label = NULL;
      BmObject *object;
      BmShape shape;
      BmRect bounds;

      if (mapped == NULL)
        continue;
      label = bm_model_detect_label_for_format (mapped, format);
      detection_shape (d, task, format, &shape);
      bounds = bm_shape_bounds (&shape);
      if (bm_preannotate_overlaps (annotation, label, &bounds, iou)
          || bm_preannotate_overlaps_objects (objects, label, &bounds, iou))
        continue;
      object = bm_object_new (label, &shape);
      bm_object_set_score (object, d->score);
      bm_object_set_pre_annotation (object, TRUE);
      g_ptr_array_add (objects, object);
    }
  return objects;
}

/* ---- runs over many images ---------------------------------------------------------------- */

void
bm_model_detect_setup_init (BmModelDetectSetup *setup, BmOnnxModel *model)
{
  g_return_if_fail (setup != NULL);

  memset (setup, 0, sizeof *setup);
  setup->model = model;
  bm_yolo_params_init (&setup->params);
  setup->skip_iou = BM_MODEL_DETECT_SKIP_IOU;
}

void
bm_model_detect_summary_clear (BmModelDetectSummary *summary)
{
  g_clear_pointer (&summary->first_error, g_free);
}

typedef struct
{
  gboolean ran;
  gboolean ready;
  BmModelDetectResult result;
  GError *error;
  BmDatasetItem item;
} Slot;

typedef struct
{
  const BmModelDetectSetup *setup;
  GPtrArray *labels;
  GPtrArray *items;
  BmModelDetectFunc func;
  gpointer user_data;
  GCancellable *cancellable;
  BmModelDetectSummary *summary;
  Slot *slots;
  gint stop;            /* atomic */
  GMutex lock;          /* slots' ready flags, next, the summary's counts, the callback */
  guint next;           /* the first slot not yet handed to func */
} Run;

static int
count_mapped (GArray *found, GPtrArray *labels)
{
  int n = 0;

  for (guint i = 0; i < found->len; i++)
    {
      int id = g_array_index (found, BmYoloDetection, i).class_id;

      n += (guint) id < labels->len && g_ptr_array_index (labels, id) != NULL;
    }
  return n;
}

typedef struct
{
  const Run *run;
  const BmDatasetItem *item;
  BmImage *image;
  GArray *found;
} WriteItem;

static int
update_cb (BmAnnotation *annotation, gpointer user_data, GError **error)
{
  const WriteItem *w = user_data;
  g_autoptr(GPtrArray) objects = NULL;

  if (bm_annotation_get_width (annotation) <= 0)
    bm_annotation_set_size (annotation, w->image->width, w->image->height, w->image->channels >= 3 ? 3 : 1);
  objects = bm_model_detect_new_objects (annotation, w->found, bm_onnx_model_get_task (w->run->setup->model),
                                         w->run->labels, w->item->format, w->run->setup->skip_iou);
  for (guint i = 0; i < objects->len; i++)
    bm_annotation_add_object (annotation, g_ptr_array_index (objects, i));
  return (int) objects->len;
}

/* Adds the new objects of @found to the item's label file, with the label folder's lock held
 * from reading to the rename (bm_label_update): the window or another run saving the same file
 * meanwhile takes its turn, and neither's objects are lost. Returns the number added, or −1
 * with @error; *@kind tells which count the failure goes to. */
static int
write_item (const Run *run, BmDatasetItem *item, BmImage *image, GArray *found, int **kind, GError **error)
{
  BmModelDetectSummary *s = run->summary;
  WriteItem w = { run, item, image, found };
  GError *local_error = NULL;
  int added;

  /* The folder was scanned earlier: a label file may have been saved since. */
  item->has_label = g_file_test (item->label_path, G_FILE_TEST_EXISTS);
  added = bm_label_update (item, update_cb, &w, NULL, &local_error);
  if (added >= 0)
    return added;
  if (g_error_matches (local_error, BM_ERROR, BM_ERROR_READ_ONLY))
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s: the label file has problems (see boxmark-cli validate); left unchanged"), item->label_path);
      *kind = &s->skipped;
    }
  else
    *kind = g_error_matches (local_error, BM_ERROR, BM_ERROR_CONFLICT) ? &s->conflicts : &s->failed;
  g_propagate_error (error, local_error);
  return -1;
}

static void
note_error (BmModelDetectSummary *summary, int *count, const GError *error)
{
  (*count)++;
  if (summary->first_error == NULL && error != NULL)
    summary->first_error = g_strdup (error->message);
}

/* Hands the finished slots to the callback in item order (a slot that never ran is passed
 * over); called with the lock held. */
static void
flush_ready (Run *run)
{
  while (run->next < run->items->len && run->slots[run->next].ready)
    {
      Slot *slot = &run->slots[run->next++];

      if (slot->ran && run->func != NULL && !run->func (&slot->result, run->user_data))
        g_atomic_int_set (&run->stop, 1);
      g_clear_pointer (&slot->result.found, g_array_unref);
      g_clear_error (&slot->error);
    }
}

static void
run_item (guint index, gpointer user_data)
{
  Run *run = user_data;
  Slot *slot = &run->slots[index];
  BmModelDetectSummary *s = run->summary;
  g_autoptr(BmImage) image = NULL;
  int *failure = &s->failed;
  int added = -1, mapped = 0;

  if (g_atomic_int_get (&run->stop) || g_cancellable_is_cancelled (run->cancellable))
    {
      g_mutex_lock (&run->lock);
      slot->ready = TRUE;
      s->stopped = TRUE;
      flush_ready (run);
      g_mutex_unlock (&run->lock);
      return;
    }
  slot->ran = TRUE;
  image = bm_image_load (slot->item.image_path, &slot->error);
  if (image != NULL)
    slot->result.found = bm_onnx_model_detect (run->setup->model, image, &run->setup->params, &slot->error);
  if (slot->result.found != NULL)
    {
      mapped = count_mapped (slot->result.found, run->labels);
      if (run->setup->write && slot->item.label_path != NULL)
        added = write_item (run, &slot->item, image, slot->result.found, &failure, &slot->error);
    }
  slot->result.index = index;
  slot->result.item = &slot->item;
  slot->result.width = image != NULL ? image->width : 0;
  slot->result.height = image != NULL ? image->height : 0;
  slot->result.added = added;
  slot->result.error = slot->error;

  g_mutex_lock (&run->lock);
  s->detections += mapped;
  if (slot->error != NULL)
    note_error (s, failure, slot->error);
  else if (added > 0)
    {
      s->added += added;
      s->saved++;
    }
  slot->ready = TRUE;
  g_atomic_int_inc (&s->done);
  flush_ready (run);
  g_mutex_unlock (&run->lock);
}

void
bm_model_detect_run (const BmModelDetectSetup *setup, GPtrArray *items, BmModelDetectFunc func, gpointer user_data,
                     GCancellable *cancellable, BmModelDetectSummary *summary)
{
  g_autoptr(GPtrArray) identity = NULL;
  Run run = { 0 };
  guint workers;

  g_return_if_fail (setup != NULL && setup->model != NULL && items != NULL && summary != NULL);

  if (setup->labels == NULL)
    identity = bm_model_class_map_new_identity (bm_onnx_model_get_names (setup->model));
  run.setup = setup;
  run.labels = setup->labels != NULL ? setup->labels : identity;
  run.items = items;
  run.func = func;
  run.user_data = user_data;
  run.cancellable = cancellable;
  run.summary = summary;
  run.slots = g_new0 (Slot, MAX (items->len, 1));
  for (guint i = 0; i < items->len; i++)
    {
      const BmDatasetItem *item = g_ptr_array_index (items, i);

      run.slots[i].item = *item;
      run.slots[i].item.image_path = g_strdup (item->image_path);
      run.slots[i].item.label_path = g_strdup (item->label_path);
      run.slots[i].item.split = g_strdup (item->split);
    }
  g_mutex_init (&run.lock);
  summary->total = (int) items->len;

  /* Several images at once: each worker's network runs on one thread, which keeps every core
   * busy without OpenCV's threads and ours competing for them (bench/bench-onnx). */
  workers = MIN (setup->n_threads > 0 ? setup->n_threads : bm_parallel_default_threads (), MAX (items->len, 1));
  if (workers > 1)
    bm_onnx_set_threads (1);
  bm_parallel_for (items->len, workers, run_item, &run);
  if (workers > 1)
    bm_onnx_set_threads (0);

  g_mutex_clear (&run.lock);
  for (guint i = 0; i < items->len; i++)
    {
      g_free (run.slots[i].item.image_path);
      g_free (run.slots[i].item.label_path);
      g_free (run.slots[i].item.split);
    }
  g_free (run.slots);
}
