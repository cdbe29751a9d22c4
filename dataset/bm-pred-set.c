/* bm-pred-set.c: the detections read from a predictions file or folder.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gi18n.h>

#include "bm-eval-alloc.h"
#include "bm-pred-private.h"

static const char *const format_names[] = {
  "auto", "voc", "dota-task1", "dota-task2", "coco", "yolo", "labels",
};

const char *
bm_pred_format_to_string (BmPredFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), "auto");
  return format_names[format];
}

gboolean
bm_pred_format_from_string (const char *name, BmPredFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *format = (BmPredFormat) i;
        return TRUE;
      }
  return FALSE;
}

BmPredSet *
bm_pred_set_new (BmPredFormat format, const char *path)
{
  BmPredSet *self = g_new0 (BmPredSet, 1);

  self->ref_count = 1;
  self->format = format;
  self->path = g_strdup (path);
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->images = g_ptr_array_new_with_free_func (g_free);
  self->image_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->classes = g_ptr_array_new_with_free_func (g_free);
  self->class_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  return self;
}

BmPredSet *
bm_pred_set_ref (BmPredSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bm_pred_set_unref (BmPredSet *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_free (self->path);
  g_ptr_array_unref (self->files);
  g_hash_table_unref (self->image_index);
  g_ptr_array_unref (self->images);
  g_hash_table_unref (self->class_index);
  g_ptr_array_unref (self->classes);
  g_clear_pointer (&self->yolo_names, bm_class_list_unref);
  bm_eval_free_large (self->preds);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->notes);
  g_free (self);
}

static guint
intern (GPtrArray *keys, GHashTable *index, const char *key)
{
  gpointer found = g_hash_table_lookup (index, key);
  char *copy;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  copy = g_strdup (key);
  g_ptr_array_add (keys, copy);
  g_hash_table_insert (index, copy, GUINT_TO_POINTER (keys->len));
  return keys->len - 1;
}

guint
bm_pred_set_intern_image (BmPredSet *self, const char *key)
{
  return intern (self->images, self->image_index, key);
}

guint
bm_pred_set_intern_class (BmPredSet *self, const char *key)
{
  return intern (self->classes, self->class_index, key);
}

BmPredChunk *
bm_pred_chunk_new (const char *path, const char *class_name)
{
  BmPredChunk *chunk = g_new0 (BmPredChunk, 1);

  chunk->path = g_strdup (path);
  chunk->class_name = g_strdup (class_name);
  chunk->images = g_ptr_array_new_with_free_func (g_free);
  chunk->image_index = g_hash_table_new (g_str_hash, g_str_equal);
  chunk->classes = g_ptr_array_new_with_free_func (g_free);
  chunk->class_index = g_hash_table_new (g_str_hash, g_str_equal);
  chunk->preds = g_array_new (FALSE, FALSE, sizeof (BmPred));
  chunk->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  chunk->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  return chunk;
}

void
bm_pred_chunk_free (BmPredChunk *chunk)
{
  if (chunk == NULL)
    return;
  g_free (chunk->path);
  g_free (chunk->class_name);
  g_hash_table_unref (chunk->image_index);
  g_ptr_array_unref (chunk->images);
  g_hash_table_unref (chunk->class_index);
  g_ptr_array_unref (chunk->classes);
  g_array_unref (chunk->preds);
  g_ptr_array_unref (chunk->problems);
  g_ptr_array_unref (chunk->notes);
  g_free (chunk);
}

guint
bm_pred_chunk_image (BmPredChunk *chunk, const char *key, gsize length)
{
  char stack[256];
  g_autofree char *heap = NULL;
  char *text;

  /* keys are compared NUL-terminated; most fit on the stack */
  if (length < sizeof stack)
    text = stack;
  else
    text = heap = g_malloc (length + 1);
  memcpy (text, key, length);
  text[length] = '\0';
  return intern (chunk->images, chunk->image_index, text);
}

guint
bm_pred_chunk_class (BmPredChunk *chunk, const char *key)
{
  return intern (chunk->classes, chunk->class_index, key);
}

static void G_GNUC_PRINTF (4, 0)
add_problem (GPtrArray *to, const char *path, guint line, const char *format, va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_ptr_array_add (to, bm_problem_new (path, (int) line, message));
}

void
bm_pred_chunk_problem (BmPredChunk *chunk, guint line, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem (chunk->problems, chunk->path, line, format, args);
  va_end (args);
}

void
bm_pred_chunk_note (BmPredChunk *chunk, guint line, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  add_problem (chunk->notes, chunk->path, line, format, args);
  va_end (args);
}

static void
move_all (GPtrArray *to, GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_steal_pointer (&from->pdata[i]));
  g_ptr_array_set_size (from, 0);
}

BmPred *
bm_pred_set_reserve (BmPredSet *self, guint n)
{
  /* allocated even for n = 0: callers add offsets to what this returns, and NULL + 0 is
   * undefined behaviour (UBSan in fuzz-pred) */
  if (self->preds == NULL || self->n_preds + (gsize) n > self->capacity)
    {
      guint capacity = MAX (self->n_preds + n, self->capacity * 2);
      BmPred *preds = bm_eval_alloc_large ((gsize) MAX (capacity, 1) * sizeof (BmPred));

      if (self->n_preds > 0)
        memcpy (preds, self->preds, (gsize) self->n_preds * sizeof (BmPred));
      bm_eval_free_large (self->preds);
      self->preds = preds;
      self->capacity = capacity;
    }
  return self->preds + self->n_preds;
}

void
bm_pred_chunk_add (BmPredChunk *chunk, const BmPred *pred)
{
  if (chunk->slice != NULL)
    {
      g_assert (chunk->slice_length < chunk->slice_capacity);
      chunk->slice[chunk->slice_length++] = *pred;
    }
  else
    g_array_append_vals (chunk->preds, pred, 1);
}

guint
bm_pred_chunk_get_n (BmPredChunk *chunk)
{
  return chunk->slice != NULL ? chunk->slice_length : chunk->preds->len;
}

void
bm_pred_set_add_chunk (BmPredSet *self, BmPredChunk *chunk)
{
  g_autofree guint *images = g_new (guint, MAX (chunk->images->len, 1));
  g_autofree guint *classes = g_new (guint, MAX (chunk->classes->len, 1));
  guint file, own_class = 0, n = bm_pred_chunk_get_n (chunk);
  BmPred *out;

  g_ptr_array_add (self->files, g_strdup (chunk->path));
  file = self->files->len - 1;
  for (guint i = 0; i < chunk->images->len; i++)
    images[i] = bm_pred_set_intern_image (self, chunk->images->pdata[i]);
  for (guint i = 0; i < chunk->classes->len; i++)
    classes[i] = bm_pred_set_intern_class (self, chunk->classes->pdata[i]);
  if (chunk->class_name != NULL)
    own_class = bm_pred_set_intern_class (self, chunk->class_name);
  if (chunk->slice != NULL)
    {
      /* written in place: close the gap the lines without a detection left */
      out = self->preds + self->n_preds;
      g_assert (chunk->slice >= out && chunk->slice + n <= self->preds + self->capacity);
      if (chunk->slice != out)
        memmove (out, chunk->slice, (gsize) n * sizeof (BmPred));
    }
  else
    {
      out = bm_pred_set_reserve (self, n);
      if (n > 0)
        memcpy (out, chunk->preds->data, (gsize) n * sizeof (BmPred));
    }
  for (guint i = 0; i < n; i++)
    {
      out[i].image = images[out[i].image];
      out[i].klass = chunk->class_name != NULL ? own_class : classes[out[i].klass];
      out[i].file = file;
    }
  self->n_preds += n;
  move_all (self->problems, chunk->problems);
  move_all (self->notes, chunk->notes);
}

BmPredFormat
bm_pred_set_get_format (BmPredSet *self)
{
  return self->format;
}

const char *
bm_pred_set_get_path (BmPredSet *self)
{
  return self->path;
}

const BmPred *
bm_pred_set_get_preds (BmPredSet *self, guint *n_preds)
{
  *n_preds = self->n_preds;
  return self->preds;
}

guint
bm_pred_set_get_n_images (BmPredSet *self)
{
  return self->images->len;
}

const char *
bm_pred_set_get_image (BmPredSet *self, guint index)
{
  g_return_val_if_fail (index < self->images->len, NULL);
  return self->images->pdata[index];
}

guint
bm_pred_set_get_n_classes (BmPredSet *self)
{
  return self->classes->len;
}

const char *
bm_pred_set_get_class (BmPredSet *self, guint index)
{
  g_return_val_if_fail (index < self->classes->len, NULL);
  return self->classes->pdata[index];
}

gboolean
bm_pred_set_has_coco_ids (BmPredSet *self)
{
  return self->coco_ids;
}

BmClassList *
bm_pred_set_get_yolo_names (BmPredSet *self)
{
  return self->yolo_names;
}

const char *
bm_pred_set_get_file (BmPredSet *self, guint index)
{
  g_return_val_if_fail (index < self->files->len, NULL);
  return self->files->pdata[index];
}

GPtrArray *
bm_pred_set_get_problems (BmPredSet *self)
{
  return self->problems;
}

GPtrArray *
bm_pred_set_get_notes (BmPredSet *self)
{
  return self->notes;
}
