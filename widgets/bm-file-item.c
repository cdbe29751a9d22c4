/* bm-file-item.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-item.h"

struct _BmFileItem
{
  GObject parent_instance;

  guint index;
  const char *name;
  BmFileState state;
  int n_objects;
};

G_DEFINE_FINAL_TYPE (BmFileItem, bm_file_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  PROP_NAME,
  PROP_STATE,
  PROP_N_OBJECTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bm_file_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BmFileItem *self = BM_FILE_ITEM (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_N_OBJECTS:
      g_value_set_int (value, self->n_objects);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_file_item_class_init (BmFileItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bm_file_item_get_property;

  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, BM_FILE_STATE_UNKNOWN, BM_FILE_STATE_PROBLEM, BM_FILE_STATE_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_OBJECTS] =
    g_param_spec_int ("n-objects", NULL, NULL, -1, G_MAXINT, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bm_file_item_init (BmFileItem *self)
{
  self->n_objects = -1;
}

BmFileItem *
bm_file_item_new (guint       index,
                  const char *name)
{
  BmFileItem *self = g_object_new (BM_TYPE_FILE_ITEM, NULL);

  self->index = index;
  self->name = name;
  return self;
}

guint
bm_file_item_get_index (BmFileItem *self)
{
  g_return_val_if_fail (BM_IS_FILE_ITEM (self), 0);
  return self->index;
}

const char *
bm_file_item_get_name (BmFileItem *self)
{
  g_return_val_if_fail (BM_IS_FILE_ITEM (self), NULL);
  return self->name;
}

BmFileState
bm_file_item_get_state (BmFileItem *self)
{
  g_return_val_if_fail (BM_IS_FILE_ITEM (self), BM_FILE_STATE_UNKNOWN);
  return self->state;
}

int
bm_file_item_get_n_objects (BmFileItem *self)
{
  g_return_val_if_fail (BM_IS_FILE_ITEM (self), -1);
  return self->n_objects;
}

void
bm_file_item_set_summary (BmFileItem  *self,
                          BmFileState  state,
                          int          n_objects)
{
  g_return_if_fail (BM_IS_FILE_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (n_objects != self->n_objects)
    {
      self->n_objects = n_objects;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OBJECTS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
