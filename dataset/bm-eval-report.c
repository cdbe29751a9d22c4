/* bm-eval-report.c: an evaluation result as JSON (`boxmark-cli eval --json`) and as a table.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "formats/bm-coco-json.h"
#include "bm-eval.h"

char *
bm_eval_result_to_json (BmEvalResult *result)
{
  GString *out = g_string_new ("{\"metric\": ");

  bm_coco_json_append_string (out, bm_eval_metric_to_string (result->metric));
  g_string_append (out, ", \"map\": ");
  bm_coco_json_append_double (out, result->map);
  g_string_append (out, ", \"classes\": {");
  for (guint i = 0; i < result->classes->len; i++)
    {
      const BmEvalClass *klass = result->classes->pdata[i];

      if (i > 0)
        g_string_append (out, ", ");
      bm_coco_json_append_string (out, klass->name);
      g_string_append (out, ": {\"ap\": ");
      bm_coco_json_append_double (out, klass->ap);
      g_string_append_printf (out, ", \"npos\": %u, \"tp\": %u, \"fp\": %u}", klass->npos, klass->tp, klass->fp);
    }
  g_string_append_c (out, '}');
  if (result->metric == BM_EVAL_COCO)
    {
      g_string_append (out, ", \"stats\": [");
      for (int i = 0; i < 12; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          bm_coco_json_append_double (out, result->stats[i]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

static const char *
describe (const BmEvalResult *result)
{
  switch (result->metric)
    {
    case BM_EVAL_VOC07:
      return _("py-faster-rcnn voc_eval, 11-point AP (VOC2007), mAP = mean of the class APs");
    case BM_EVAL_VOC:
      return _("py-faster-rcnn voc_eval, all-points AP, mAP = mean of the class APs");
    case BM_EVAL_DOTA_TASK1:
      return result->all_points ? _("DOTA_devkit Task1 (polygon IoU), all-points AP")
                                : _("DOTA_devkit Task1 (polygon IoU), 11-point AP as its main()");
    case BM_EVAL_DOTA_TASK2:
      return result->all_points ? _("DOTA_devkit Task2 (horizontal boxes), all-points AP")
                                : _("DOTA_devkit Task2 (horizontal boxes), 11-point AP as its main()");
    case BM_EVAL_COCO:
    default:
      return _("pycocotools COCOeval, bbox");
    }
}

/* @text left-aligned in @width columns (characters, not bytes). */
static void
append_padded (GString *out, const char *text, guint width)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  glong length = g_utf8_strlen (valid, -1);

  g_string_append (out, valid);
  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

static void
append_number (GString *out, double value)
{
  if (isnan (value))
    g_string_append_printf (out, "%8s", "nan");
  else
    g_string_append_printf (out, "%8.4f", value);
}

char *
bm_eval_result_to_text (BmEvalResult *result)
{
  static const char *const stat_lines[12] = {
    "Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
    "Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]",
    "Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]",
    "Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
    "Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
    "Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
    "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]",
    "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]",
    "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
    "Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
    "Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
    "Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
  };
  GString *out = g_string_new (NULL);
  gboolean coco = result->metric == BM_EVAL_COCO;
  guint width = 12;
  g_autofree char *map_text = NULL;

  for (guint i = 0; i < result->classes->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (((BmEvalClass *) result->classes->pdata[i])->name, -1) + 2);

  g_string_append_printf (out, "%s: %s\n", bm_eval_metric_to_string (result->metric), describe (result));
  if (coco)
    g_string_append_printf (out, _("TP and FP counted at IoU ≥ %g, all areas, 100 detections per image and class\n\n"), result->iou);
  else
    g_string_append_printf (out, _("a detection is a TP when its IoU is above %g\n\n"), result->iou);

  append_padded (out, _("class"), width);
  g_string_append_printf (out, "%8s", "AP");
  if (coco)
    g_string_append_printf (out, "%8s%8s%8s", "AP50", "AP75", "AR100");
  g_string_append_printf (out, "%8s%8s%8s\n", "npos", "TP", "FP");
  for (guint i = 0; i < result->classes->len; i++)
    {
      const BmEvalClass *klass = result->classes->pdata[i];

      append_padded (out, klass->name, width);
      append_number (out, klass->ap);
      if (coco)
        {
          append_number (out, klass->ap50);
          append_number (out, klass->ap75);
          append_number (out, klass->ar100);
        }
      g_string_append_printf (out, "%8u%8u%8u\n", klass->npos, klass->tp, klass->fp);
    }
  {
    GString *number = g_string_new (NULL);

    bm_coco_json_append_double (number, result->map);
    map_text = g_string_free (number, FALSE);
  }
  g_string_append_printf (out, "\nmAP %s\n", map_text);
  if (coco)
    {
      g_string_append_c (out, '\n');
      for (int i = 0; i < 12; i++)
        g_string_append_printf (out, " %s = %0.3f\n", stat_lines[i], result->stats[i]);
    }
  if (g_hash_table_size (result->unevaluated) > 0)
    {
      g_autoptr(GList) keys = g_hash_table_get_keys (result->unevaluated);

      keys = g_list_sort (keys, (GCompareFunc) strcmp);
      g_string_append (out, _("\nNot evaluated (no ground truth, or not among the classes evaluated):"));
      for (GList *l = keys; l != NULL; l = l->next)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (result->unevaluated, l->data));

          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, " %s (%u detection)", " %s (%u detections)", n),
                                  (char *) l->data, n);
          if (l->next != NULL)
            g_string_append_c (out, ',');
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
