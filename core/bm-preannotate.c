/* bm-preannotate.c: turning detections into pre-annotations.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-preannotate.h"

static gboolean
overlaps_object (BmObject *object, const char *label, const BmRect *box, double iou)
{
  BmRect bounds;

  if (g_strcmp0 (bm_object_get_label (object), label) != 0)
    return FALSE;
  bounds = bm_shape_bounds (bm_object_get_shape (object));
  return bm_rect_iou (&bounds, box) >= iou;
}

gboolean
bm_preannotate_overlaps (BmAnnotation *annotation, const char *label, const BmRect *box, double iou)
{
  guint n = bm_annotation_get_n_objects (annotation);

  for (guint i = 0; i < n; i++)
    if (overlaps_object (bm_annotation_get_object (annotation, i), label, box, iou))
      return TRUE;
  return FALSE;
}

gboolean
bm_preannotate_overlaps_objects (GPtrArray *objects, const char *label, const BmRect *box, double iou)
{
  for (guint i = 0; i < objects->len; i++)
    if (overlaps_object (g_ptr_array_index (objects, i), label, box, iou))
      return TRUE;
  return FALSE;
}

GPtrArray *
bm_preannotate_new_objects (BmAnnotation *annotation, GArray *found, const char *label, double iou)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), objects);
  g_return_val_if_fail (found != NULL && label != NULL, objects);

  for (guint i = 0; i < found->len; i++)
    {
      const BmDetection *d = &g_array_index (found, BmDetection, i);
      BmRect box = { d->x, d->y, d->x + d->width, d->y + d->height };
      BmObject *object;
      BmShape shape;

      if (bm_preannotate_overlaps (annotation, label, &box, iou)
          || bm_preannotate_overlaps_objects (objects, label, &box, iou))
        continue;
      bm_shape_init_box (&shape, box.x1, box.y1, box.x2, box.y2);
      object = bm_object_new (label, &shape);
      bm_object_set_score (object, d->neighbors);
      bm_object_set_pre_annotation (object, TRUE);
      g_ptr_array_add (objects, object);
    }
  return objects;
}
