/* bm-export-target.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-export-target.h"

static const struct
{
  const char *name;
  const char *image_folder;
  const char *label_folder;
} targets[BM_EXPORT_N_TARGETS] = {
  [BM_EXPORT_TARGET_VOC] = { "voc", "JPEGImages", "Annotations" },
  [BM_EXPORT_TARGET_DOTA] = { "dota", "images", "labelTxt" },
  [BM_EXPORT_TARGET_YOLO] = { "yolo", "images", "labels" },
  [BM_EXPORT_TARGET_YOLO_OBB] = { "yolo-obb", "images", "labels" },
};

gboolean
bm_export_target_from_string (const char *name, BmExportTarget *target)
{
  g_return_val_if_fail (name != NULL && target != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_ascii_strcasecmp (name, targets[i].name) == 0)
      {
        *target = (BmExportTarget) i;
        return TRUE;
      }
  return FALSE;
}

const char *
bm_export_target_to_string (BmExportTarget target)
{
  g_return_val_if_fail (target < BM_EXPORT_N_TARGETS, "");
  return targets[target].name;
}

gboolean
bm_export_target_is_yolo (BmExportTarget target)
{
  return target == BM_EXPORT_TARGET_YOLO || target == BM_EXPORT_TARGET_YOLO_OBB;
}

const char *
bm_export_target_image_folder (BmExportTarget target)
{
  g_return_val_if_fail (target < BM_EXPORT_N_TARGETS, "images");
  return targets[target].image_folder;
}

const char *
bm_export_target_label_folder (BmExportTarget target)
{
  g_return_val_if_fail (target < BM_EXPORT_N_TARGETS, "labels");
  return targets[target].label_folder;
}

const char *
bm_export_target_label_extension (BmExportTarget target)
{
  return target == BM_EXPORT_TARGET_VOC ? "xml" : "txt";
}
