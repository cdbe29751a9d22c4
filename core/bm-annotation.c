/* bm-annotation.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-annotation.h"

#include <string.h>

struct _BmAnnotation
{
  GObject parent_instance;

  char *image_path;
  char *label_path;
  BmFormat format;
  int width;
  int height;
  int depth;
  gboolean verified;
  gboolean read_only;
  GPtrArray *objects;    /* BmObject */
  GPtrArray *problems;   /* BmProblem */
  gpointer backing;
  GDestroyNotify backing_destroy;
  BmFileStamp file_stamp;
  gboolean has_file_stamp;
};

G_DEFINE_FINAL_TYPE (BmAnnotation, bm_annotation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IMAGE_PATH,
  PROP_LABEL_PATH,
  PROP_VERIFIED,
  PROP_READ_ONLY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
bm_format_to_string (BmFormat format)
{
  switch (format)
    {
    case BM_FORMAT_NONE: return "none";
    case BM_FORMAT_VOC: return "voc";
    case BM_FORMAT_DOTA: return "dota";
    case BM_FORMAT_YOLO: return "yolo";
    default: g_return_val_if_reached ("none");
    }
}

gboolean
bm_format_from_string (const char *name, BmFormat *format)
{
  static const struct { const char *name; BmFormat format; } names[] = {
    { "voc", BM_FORMAT_VOC }, { "dota", BM_FORMAT_DOTA }, { "yolo", BM_FORMAT_YOLO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *format = names[i].format;
        return TRUE;
      }
  return FALSE;
}

static gboolean
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
bm_annotation_clear_backing (BmAnnotation *self)
{
  if (self->backing != NULL && self->backing_destroy != NULL)
    self->backing_destroy (self->backing);
  self->backing = NULL;
  self->backing_destroy = NULL;
}

static void
bm_annotation_finalize (GObject *object)
{
  BmAnnotation *self = BM_ANNOTATION (object);

  bm_annotation_clear_backing (self);
  g_free (self->image_path);
  g_free (self->label_path);
  g_ptr_array_unref (self->objects);
  g_ptr_array_unref (self->problems);
  G_OBJECT_CLASS (bm_annotation_parent_class)->finalize (object);
}

static void
bm_annotation_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BmAnnotation *self = BM_ANNOTATION (object);

  switch (prop_id)
    {
    case PROP_IMAGE_PATH: g_value_set_string (value, self->image_path); break;
    case PROP_LABEL_PATH: g_value_set_string (value, self->label_path); break;
    case PROP_VERIFIED: g_value_set_boolean (value, self->verified); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, bm_annotation_is_read_only (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_annotation_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BmAnnotation *self = BM_ANNOTATION (object);

  switch (prop_id)
    {
    case PROP_IMAGE_PATH: bm_annotation_set_image_path (self, g_value_get_string (value)); break;
    case PROP_LABEL_PATH: bm_annotation_set_label_path (self, g_value_get_string (value)); break;
    case PROP_VERIFIED: bm_annotation_set_verified (self, g_value_get_boolean (value)); break;
    case PROP_READ_ONLY: bm_annotation_set_read_only (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_annotation_class_init (BmAnnotationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bm_annotation_finalize;
  object_class->get_property = bm_annotation_get_property;
  object_class->set_property = bm_annotation_set_property;

  properties[PROP_IMAGE_PATH] =
    g_param_spec_string ("image-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL_PATH] =
    g_param_spec_string ("label-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFIED] =
    g_param_spec_boolean ("verified", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_annotation_init (BmAnnotation *self)
{
  self->objects = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
}

BmAnnotation *
bm_annotation_new (void)
{
  return g_object_new (BM_TYPE_ANNOTATION, NULL);
}

void
bm_annotation_emit_changed (BmAnnotation *self)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
bm_annotation_get_image_path (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);
  return self->image_path;
}

void
bm_annotation_set_image_path (BmAnnotation *self, const char *path)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));

  if (replace_string (&self->image_path, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_PATH]);
}

const char *
bm_annotation_get_label_path (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);
  return self->label_path;
}

void
bm_annotation_set_label_path (BmAnnotation *self, const char *path)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));

  if (replace_string (&self->label_path, path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL_PATH]);
}

BmFormat
bm_annotation_get_format (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), BM_FORMAT_NONE);
  return self->format;
}

void
bm_annotation_set_format (BmAnnotation *self, BmFormat format)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  self->format = format;
}

int
bm_annotation_get_width (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), 0);
  return self->width;
}

int
bm_annotation_get_height (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), 0);
  return self->height;
}

int
bm_annotation_get_depth (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), 0);
  return self->depth;
}

void
bm_annotation_set_size (BmAnnotation *self, int width, int height, int depth)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (width >= 0 && height >= 0 && depth >= 0);

  if (self->width == width && self->height == height && self->depth == depth)
    return;
  self->width = width;
  self->height = height;
  self->depth = depth;
  bm_annotation_emit_changed (self);
}

gboolean
bm_annotation_get_verified (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), FALSE);
  return self->verified;
}

void
bm_annotation_set_verified (BmAnnotation *self, gboolean verified)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));

  verified = !!verified;
  if (self->verified == verified)
    return;
  self->verified = verified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFIED]);
  bm_annotation_emit_changed (self);
}

guint
bm_annotation_get_n_objects (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), 0);
  return self->objects->len;
}

BmObject *
bm_annotation_get_object (BmAnnotation *self, guint index)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);
  g_return_val_if_fail (index < self->objects->len, NULL);
  return g_ptr_array_index (self->objects, index);
}

void
bm_annotation_add_object (BmAnnotation *self, BmObject *object)
{
  bm_annotation_insert_object (self, G_MAXUINT, object);
}

void
bm_annotation_insert_object (BmAnnotation *self, guint index, BmObject *object)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (BM_IS_OBJECT (object));

  if (index > self->objects->len)
    index = self->objects->len;
  g_ptr_array_insert (self->objects, (int) index, g_object_ref (object));
  bm_annotation_emit_changed (self);
}

void
bm_annotation_remove_object (BmAnnotation *self, guint index)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (index < self->objects->len);

  g_ptr_array_remove_index (self->objects, index);
  bm_annotation_emit_changed (self);
}

int
bm_annotation_find_object (BmAnnotation *self, BmObject *object)
{
  guint index;

  g_return_val_if_fail (BM_IS_ANNOTATION (self), -1);

  if (g_ptr_array_find (self->objects, object, &index))
    return (int) index;
  return -1;
}

static gboolean
indices_increasing (const guint *indices, guint n, guint limit)
{
  for (guint i = 0; i < n; i++)
    if (indices[i] >= limit || (i > 0 && indices[i] <= indices[i - 1]))
      return FALSE;
  return TRUE;
}

void
bm_annotation_splice_objects (BmAnnotation   *self,
                              const guint    *remove,
                              guint           n_remove,
                              GPtrArray      *removed,
                              const guint    *insert,
                              BmObject *const *objects,
                              guint           n_insert)
{
  guint n_before, n_after;
  GPtrArray *result;

  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (n_remove == 0 || remove != NULL);
  g_return_if_fail (n_insert == 0 || (insert != NULL && objects != NULL));
  n_before = self->objects->len;
  g_return_if_fail (indices_increasing (remove, n_remove, n_before));
  n_after = n_before - n_remove + n_insert;
  g_return_if_fail (indices_increasing (insert, n_insert, n_after));

  if (n_remove == 0 && n_insert == 0)
    return;
  if (n_remove == n_insert && memcmp (remove, insert, n_remove * sizeof *remove) == 0)
    {
      /* Objects replaced where they are (an undo of changes): no pass over the others. */
      for (guint i = 0; i < n_remove; i++)
        {
          gpointer *slot = &self->objects->pdata[remove[i]];
          gpointer old = *slot;

          *slot = g_object_ref (objects[i]);
          if (removed != NULL)
            g_ptr_array_add (removed, old);
          else
            g_object_unref (old);
        }
      bm_annotation_emit_changed (self);
      return;
    }

  result = g_ptr_array_new_full (n_after, g_object_unref);
  for (guint i = 0, r = 0, k = 0; i < n_before || k < n_insert;)
    {
      if (k < n_insert && insert[k] == result->len)
        g_ptr_array_add (result, g_object_ref (objects[k++]));
      else if (r < n_remove && remove[r] == i)
        {
          gpointer object = self->objects->pdata[i++];

          r++;
          if (removed != NULL)
            g_ptr_array_add (removed, object);
          else
            g_object_unref (object);
        }
      else if (i < n_before)
        g_ptr_array_add (result, self->objects->pdata[i++]);
      else
        g_assert_not_reached ();   /* excluded by the checks above */
    }
  /* Every object was moved to @result or @removed: free the old array without unreffing. */
  g_ptr_array_set_free_func (self->objects, NULL);
  g_ptr_array_unref (self->objects);
  self->objects = result;
  bm_annotation_emit_changed (self);
}

GPtrArray *
bm_annotation_dup_objects (BmAnnotation *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);

  copy = g_ptr_array_new_full (self->objects->len, g_object_unref);
  for (guint i = 0; i < self->objects->len; i++)
    g_ptr_array_add (copy, bm_object_copy (g_ptr_array_index (self->objects, i)));
  return copy;
}

void
bm_annotation_set_objects (BmAnnotation *self, GPtrArray *objects)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (objects != NULL);

  g_ptr_array_set_size (self->objects, 0);
  for (guint i = 0; i < objects->len; i++)
    g_ptr_array_add (self->objects, bm_object_copy (g_ptr_array_index (objects, i)));
  bm_annotation_emit_changed (self);
}

void
bm_annotation_add_problem (BmAnnotation *self, BmProblem *problem)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (problem != NULL);

  g_ptr_array_add (self->problems, problem);
  if (!self->read_only)
    {
      self->read_only = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
    }
}

GPtrArray *
bm_annotation_get_problems (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);
  return self->problems;
}

gboolean
bm_annotation_is_read_only (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), TRUE);
  return self->read_only;
}

void
bm_annotation_set_read_only (BmAnnotation *self, gboolean read_only)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));

  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

void
bm_annotation_set_backing (BmAnnotation *self, gpointer backing, GDestroyNotify destroy)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));

  bm_annotation_clear_backing (self);
  self->backing = backing;
  self->backing_destroy = destroy;
}

gpointer
bm_annotation_get_backing (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);
  return self->backing;
}

void
bm_annotation_set_file_stamp (BmAnnotation *self, const BmFileStamp *stamp)
{
  g_return_if_fail (BM_IS_ANNOTATION (self));
  g_return_if_fail (stamp != NULL);

  self->file_stamp = *stamp;
  self->has_file_stamp = TRUE;
}

const BmFileStamp *
bm_annotation_get_file_stamp (BmAnnotation *self)
{
  g_return_val_if_fail (BM_IS_ANNOTATION (self), NULL);
  return self->has_file_stamp ? &self->file_stamp : NULL;
}
