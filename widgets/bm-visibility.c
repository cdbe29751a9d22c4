/* bm-visibility.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-visibility.h"

struct _BmVisibility
{
  GObject parent_instance;

  gboolean show_objects;
  double min_score;
  GHashTable *hidden;   /* label → itself */
};

G_DEFINE_FINAL_TYPE (BmVisibility, bm_visibility, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHOW_OBJECTS,
  PROP_MIN_SCORE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
bm_visibility_finalize (GObject *object)
{
  BmVisibility *self = BM_VISIBILITY (object);

  g_hash_table_unref (self->hidden);
  G_OBJECT_CLASS (bm_visibility_parent_class)->finalize (object);
}

static void
bm_visibility_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BmVisibility *self = BM_VISIBILITY (object);

  switch (prop_id)
    {
    case PROP_SHOW_OBJECTS:
      g_value_set_boolean (value, self->show_objects);
      break;
    case PROP_MIN_SCORE:
      g_value_set_double (value, self->min_score);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_visibility_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BmVisibility *self = BM_VISIBILITY (object);

  switch (prop_id)
    {
    case PROP_SHOW_OBJECTS:
      bm_visibility_set_show_objects (self, g_value_get_boolean (value));
      break;
    case PROP_MIN_SCORE:
      bm_visibility_set_min_score (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_visibility_class_init (BmVisibilityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bm_visibility_finalize;
  object_class->get_property = bm_visibility_get_property;
  object_class->set_property = bm_visibility_set_property;

  properties[PROP_SHOW_OBJECTS] =
    g_param_spec_boolean ("show-objects", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_SCORE] =
    g_param_spec_double ("min-score", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted after any change of what is shown. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bm_visibility_init (BmVisibility *self)
{
  self->show_objects = TRUE;
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

BmVisibility *
bm_visibility_new (void)
{
  return g_object_new (BM_TYPE_VISIBILITY, NULL);
}

gboolean
bm_visibility_get_show_objects (BmVisibility *self)
{
  g_return_val_if_fail (BM_IS_VISIBILITY (self), TRUE);
  return self->show_objects;
}

void
bm_visibility_set_show_objects (BmVisibility *self,
                                gboolean      show_objects)
{
  g_return_if_fail (BM_IS_VISIBILITY (self));

  show_objects = !!show_objects;
  if (self->show_objects == show_objects)
    return;
  self->show_objects = show_objects;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_OBJECTS]);
  g_signal_emit (self, signals[CHANGED], 0);
}

double
bm_visibility_get_min_score (BmVisibility *self)
{
  g_return_val_if_fail (BM_IS_VISIBILITY (self), 0);
  return self->min_score;
}

void
bm_visibility_set_min_score (BmVisibility *self,
                             double        min_score)
{
  g_return_if_fail (BM_IS_VISIBILITY (self));

  min_score = MAX (min_score, 0);
  if (self->min_score == min_score)
    return;
  self->min_score = min_score;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_SCORE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
bm_visibility_get_class_shown (BmVisibility *self,
                               const char   *label)
{
  g_return_val_if_fail (BM_IS_VISIBILITY (self), TRUE);
  return !g_hash_table_contains (self->hidden, label ? label : "");
}

void
bm_visibility_set_class_shown (BmVisibility *self,
                               const char   *label,
                               gboolean      shown)
{
  gboolean changed;

  g_return_if_fail (BM_IS_VISIBILITY (self));

  label = label ? label : "";
  if (shown)
    changed = g_hash_table_remove (self->hidden, label);
  else
    changed = g_hash_table_add (self->hidden, g_strdup (label));
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

void
bm_visibility_show_all_classes (BmVisibility *self)
{
  g_return_if_fail (BM_IS_VISIBILITY (self));

  if (g_hash_table_size (self->hidden) == 0)
    return;
  g_hash_table_remove_all (self->hidden);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
bm_visibility_get_n_hidden_classes (BmVisibility *self)
{
  g_return_val_if_fail (BM_IS_VISIBILITY (self), 0);
  return g_hash_table_size (self->hidden);
}

gboolean
bm_visibility_shows (BmVisibility *self,
                     BmObject     *object)
{
  g_return_val_if_fail (BM_IS_VISIBILITY (self), TRUE);
  g_return_val_if_fail (BM_IS_OBJECT (object), TRUE);

  if (!self->show_objects)
    return FALSE;
  if (g_hash_table_size (self->hidden) > 0 && g_hash_table_contains (self->hidden, bm_object_get_label (object)))
    return FALSE;
  if (self->min_score > 0 && bm_object_get_pre_annotation (object) && bm_object_has_score (object)
      && bm_object_get_score (object) < self->min_score)
    return FALSE;
  return TRUE;
}

gboolean
bm_visibility_editor_func (BmObject *object,
                           gpointer  user_data)
{
  return bm_visibility_shows (BM_VISIBILITY (user_data), object);
}
