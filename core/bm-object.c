/* bm-object.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-object.h"

struct _BmObject
{
  GObject parent_instance;

  char *label;
  BmShape shape;
  int difficult;
  gboolean truncated;
  gboolean occluded;
  gboolean has_score;
  double score;
  gboolean pre_annotation;
  GPtrArray *attributes;   /* alternating key, value strings */
  guint origin;
};

G_DEFINE_FINAL_TYPE (BmObject, bm_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_DIFFICULT,
  PROP_TRUNCATED,
  PROP_OCCLUDED,
  PROP_SCORE,
  PROP_PRE_ANNOTATION,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
bm_object_finalize (GObject *object)
{
  BmObject *self = BM_OBJECT (object);

  g_free (self->label);
  g_ptr_array_unref (self->attributes);
  G_OBJECT_CLASS (bm_object_parent_class)->finalize (object);
}

static void
bm_object_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BmObject *self = BM_OBJECT (object);

  switch (prop_id)
    {
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_DIFFICULT: g_value_set_int (value, self->difficult); break;
    case PROP_TRUNCATED: g_value_set_boolean (value, self->truncated); break;
    case PROP_OCCLUDED: g_value_set_boolean (value, self->occluded); break;
    case PROP_SCORE: g_value_set_double (value, self->score); break;
    case PROP_PRE_ANNOTATION: g_value_set_boolean (value, self->pre_annotation); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_object_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BmObject *self = BM_OBJECT (object);

  switch (prop_id)
    {
    case PROP_LABEL: bm_object_set_label (self, g_value_get_string (value)); break;
    case PROP_DIFFICULT: bm_object_set_difficult (self, g_value_get_int (value)); break;
    case PROP_TRUNCATED: bm_object_set_truncated (self, g_value_get_boolean (value)); break;
    case PROP_OCCLUDED: bm_object_set_occluded (self, g_value_get_boolean (value)); break;
    case PROP_SCORE: bm_object_set_score (self, g_value_get_double (value)); break;
    case PROP_PRE_ANNOTATION: bm_object_set_pre_annotation (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_object_class_init (BmObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bm_object_finalize;
  object_class->get_property = bm_object_get_property;
  object_class->set_property = bm_object_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIFFICULT] =
    g_param_spec_int ("difficult", NULL, NULL, 0, 2, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRUNCATED] =
    g_param_spec_boolean ("truncated", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OCCLUDED] =
    g_param_spec_boolean ("occluded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCORE] =
    g_param_spec_double ("score", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRE_ANNOTATION] =
    g_param_spec_boolean ("pre-annotation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted for every change, including the shape (which is not a property). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_object_init (BmObject *self)
{
  self->label = g_strdup ("");
  self->attributes = g_ptr_array_new_with_free_func (g_free);
  bm_shape_init_box (&self->shape, 0, 0, 0, 0);
}

static void
bm_object_changed (BmObject *self, GParamSpec *pspec)
{
  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
  g_signal_emit (self, signals[CHANGED], 0);
}

BmObject *
bm_object_new (const char *label, const BmShape *shape)
{
  BmObject *self = g_object_new (BM_TYPE_OBJECT, NULL);

  g_free (self->label);
  self->label = g_strdup (label ? label : "");
  if (shape != NULL)
    self->shape = *shape;
  return self;
}

BmObject *
bm_object_copy (BmObject *self)
{
  BmObject *copy;

  g_return_val_if_fail (BM_IS_OBJECT (self), NULL);

  copy = bm_object_new (self->label, &self->shape);
  copy->difficult = self->difficult;
  copy->truncated = self->truncated;
  copy->occluded = self->occluded;
  copy->has_score = self->has_score;
  copy->score = self->score;
  copy->pre_annotation = self->pre_annotation;
  copy->origin = self->origin;
  for (guint i = 0; i < self->attributes->len; i++)
    g_ptr_array_add (copy->attributes, g_strdup (g_ptr_array_index (self->attributes, i)));
  return copy;
}

const char *
bm_object_get_label (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), NULL);
  return self->label;
}

void
bm_object_set_label (BmObject *self, const char *label)
{
  g_return_if_fail (BM_IS_OBJECT (self));

  if (g_strcmp0 (self->label, label ? label : "") == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label ? label : "");
  bm_object_changed (self, properties[PROP_LABEL]);
}

const BmShape *
bm_object_get_shape (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), NULL);
  return &self->shape;
}

void
bm_object_set_shape (BmObject *self, const BmShape *shape)
{
  g_return_if_fail (BM_IS_OBJECT (self));
  g_return_if_fail (shape != NULL);

  if (bm_shape_equal (&self->shape, shape))
    return;
  self->shape = *shape;
  bm_object_changed (self, NULL);
}

int
bm_object_get_difficult (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), 0);
  return self->difficult;
}

void
bm_object_set_difficult (BmObject *self, int difficult)
{
  g_return_if_fail (BM_IS_OBJECT (self));
  g_return_if_fail (difficult >= 0 && difficult <= 2);

  if (self->difficult == difficult)
    return;
  self->difficult = difficult;
  bm_object_changed (self, properties[PROP_DIFFICULT]);
}

gboolean
bm_object_get_truncated (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), FALSE);
  return self->truncated;
}

void
bm_object_set_truncated (BmObject *self, gboolean truncated)
{
  g_return_if_fail (BM_IS_OBJECT (self));

  truncated = !!truncated;
  if (self->truncated == truncated)
    return;
  self->truncated = truncated;
  bm_object_changed (self, properties[PROP_TRUNCATED]);
}

gboolean
bm_object_get_occluded (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), FALSE);
  return self->occluded;
}

void
bm_object_set_occluded (BmObject *self, gboolean occluded)
{
  g_return_if_fail (BM_IS_OBJECT (self));

  occluded = !!occluded;
  if (self->occluded == occluded)
    return;
  self->occluded = occluded;
  bm_object_changed (self, properties[PROP_OCCLUDED]);
}

gboolean
bm_object_has_score (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), FALSE);
  return self->has_score;
}

double
bm_object_get_score (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), 0);
  return self->score;
}

void
bm_object_set_score (BmObject *self, double score)
{
  g_return_if_fail (BM_IS_OBJECT (self));

  if (self->has_score && self->score == score)
    return;
  self->has_score = TRUE;
  self->score = score;
  bm_object_changed (self, properties[PROP_SCORE]);
}

void
bm_object_clear_score (BmObject *self)
{
  g_return_if_fail (BM_IS_OBJECT (self));

  if (!self->has_score)
    return;
  self->has_score = FALSE;
  self->score = 0;
  bm_object_changed (self, properties[PROP_SCORE]);
}

gboolean
bm_object_get_pre_annotation (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), FALSE);
  return self->pre_annotation;
}

void
bm_object_set_pre_annotation (BmObject *self, gboolean pre_annotation)
{
  g_return_if_fail (BM_IS_OBJECT (self));

  pre_annotation = !!pre_annotation;
  if (self->pre_annotation == pre_annotation)
    return;
  self->pre_annotation = pre_annotation;
  bm_object_changed (self, properties[PROP_PRE_ANNOTATION]);
}

static int
bm_object_find_attribute (BmObject *self, const char *key)
{
  for (guint i = 0; i < self->attributes->len; i += 2)
    if (g_strcmp0 (g_ptr_array_index (self->attributes, i), key) == 0)
      return (int) i;
  return -1;
}

void
bm_object_set_attribute (BmObject *self, const char *key, const char *value)
{
  int i;

  g_return_if_fail (BM_IS_OBJECT (self));
  g_return_if_fail (key != NULL);

  i = bm_object_find_attribute (self, key);
  if (value == NULL)
    {
      if (i < 0)
        return;
      g_ptr_array_remove_range (self->attributes, i, 2);
    }
  else if (i >= 0)
    {
      if (g_strcmp0 (g_ptr_array_index (self->attributes, i + 1), value) == 0)
        return;
      g_free (g_ptr_array_index (self->attributes, i + 1));
      g_ptr_array_index (self->attributes, i + 1) = g_strdup (value);
    }
  else
    {
      g_ptr_array_add (self->attributes, g_strdup (key));
      g_ptr_array_add (self->attributes, g_strdup (value));
    }
  bm_object_changed (self, NULL);
}

const char *
bm_object_get_attribute (BmObject *self, const char *key)
{
  int i;

  g_return_val_if_fail (BM_IS_OBJECT (self), NULL);

  i = bm_object_find_attribute (self, key);
  return i >= 0 ? g_ptr_array_index (self->attributes, i + 1) : NULL;
}

guint
bm_object_get_n_attributes (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), 0);
  return self->attributes->len / 2;
}

void
bm_object_get_attribute_nth (BmObject *self, guint index, const char **key, const char **value)
{
  g_return_if_fail (BM_IS_OBJECT (self));
  g_return_if_fail (index < self->attributes->len / 2);

  if (key)
    *key = g_ptr_array_index (self->attributes, 2 * index);
  if (value)
    *value = g_ptr_array_index (self->attributes, 2 * index + 1);
}

guint
bm_object_get_origin (BmObject *self)
{
  g_return_val_if_fail (BM_IS_OBJECT (self), 0);
  return self->origin;
}

void
bm_object_set_origin (BmObject *self, guint origin)
{
  g_return_if_fail (BM_IS_OBJECT (self));
  self->origin = origin;
}

gboolean
bm_object_content_equal (BmObject *a, BmObject *b)
{
  g_return_val_if_fail (BM_IS_OBJECT (a) && BM_IS_OBJECT (b), FALSE);

  if (g_strcmp0 (a->label, b->label) != 0 || !bm_shape_equal (&a->shape, &b->shape)
      || a->difficult != b->difficult || a->truncated != b->truncated
      || a->occluded != b->occluded || a->has_score != b->has_score
      || (a->has_score && a->score != b->score) || a->pre_annotation != b->pre_annotation
      || a->attributes->len != b->attributes->len)
    return FALSE;
  for (guint i = 0; i < a->attributes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a->attributes, i), g_ptr_array_index (b->attributes, i)) != 0)
      return FALSE;
  return TRUE;
}
