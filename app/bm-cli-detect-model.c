/* bm-cli-detect-model.c: boxmark-cli detect --model — pre-annotation with the user's own YOLO
 * model exported to ONNX; the work is dataset/bm-model-detect's, this file prints.
 *
 * Text output: one line per detection of a mapped class,
 *   detect: IMAGE X1 Y1 X2 Y2 SCORE LABEL
 *   OBB:    IMAGE CX CY W H ANGLE SCORE LABEL   (angle in radians, Ultralytics' xywhr)
 * the label last, as it may hold spaces.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-onnx-model.h"
#include "dataset/bm-model-detect.h"
#include "bm-cli.h"
#include "bm-cli-util.h"
#include "bm-cli-detect-model.h"

typedef struct
{
  const BmCliDetectModel *request;
  BmOnnxModel *model;
  GPtrArray *labels;
} Printer;

static void
print_json (const Printer *p, const BmModelDetectResult *r)
{
  const char *const *names = bm_onnx_model_get_names (p->model);
  gboolean obb = bm_onnx_model_get_task (p->model) == BM_ONNX_TASK_OBB;
  gboolean first = TRUE;

  printf ("{\"image\":");
  bm_cli_print_json_string (r->item->image_path);
  printf (",\"width\":%d,\"height\":%d,\"task\":\"%s\"", r->width, r->height, obb ? "obb" : "detect");
  if (r->added >= 0)
    printf (",\"added\":%d", r->added);
  printf (",\"detections\":[");
  for (guint i = 0; i < r->found->len; i++)
    {
      const BmYoloDetection *d = &g_array_index (r->found, BmYoloDetection, i);
      const char *label = g_ptr_array_index (p->labels, d->class_id);

      if (label == NULL)
        continue;
      printf ("%s{\"class\":%d,\"name\":", first ? "" : ",", d->class_id);
      bm_cli_print_json_string (names[d->class_id]);
      printf (",\"label\":");
      bm_cli_print_json_string (label);
      printf (",\"score\":%.9g,", d->score);
      if (obb)
        {
          double xy[8];

          bm_yolo_obb_corners (d->box, xy);
          printf ("\"cx\":%.9g,\"cy\":%.9g,\"w\":%.9g,\"h\":%.9g,\"angle\":%.9g,\"corners\":[", d->box[0], d->box[1],
                  d->box[2], d->box[3], d->box[4]);
          for (int k = 0; k < 4; k++)
            printf ("%s[%.9g,%.9g]", k > 0 ? "," : "", xy[2 * k], xy[2 * k + 1]);
          printf ("]}");
        }
      else
        printf ("\"x1\":%.9g,\"y1\":%.9g,\"x2\":%.9g,\"y2\":%.9g}", d->box[0], d->box[1], d->box[2], d->box[3]);
      first = FALSE;
    }
  printf ("]}\n");
}

static void
print_text (const Printer *p, const BmModelDetectResult *r)
{
  gboolean obb = bm_onnx_model_get_task (p->model) == BM_ONNX_TASK_OBB;

  for (guint i = 0; i < r->found->len; i++)
    {
      const BmYoloDetection *d = &g_array_index (r->found, BmYoloDetection, i);
      const char *label = g_ptr_array_index (p->labels, d->class_id);

      if (label == NULL)
        continue;
      if (obb)
        printf ("%s %.2f %.2f %.2f %.2f %.6f %.4f %s\n", r->item->image_path, d->box[0], d->box[1], d->box[2],
                d->box[3], d->box[4], d->score, label);
      else
        printf ("%s %.2f %.2f %.2f %.2f %.4f %s\n", r->item->image_path, d->box[0], d->box[1], d->box[2], d->box[3],
                d->score, label);
    }
}

static gboolean
on_result (const BmModelDetectResult *r, gpointer user_data)
{
  const Printer *p = user_data;
  const BmCliDetectModel *request = p->request;

  if (r->found != NULL)
    {
      if (request->json)
        print_json (p, r);
      else
        print_text (p, r);
      fflush (stdout);
    }
  if (r->error != NULL)
    fprintf (stderr, "%s\n", r->error->message);
  else if (r->added >= 0)
    fprintf (stderr, _("[%u/%u] %s: %d added to %s\n"), r->index + 1, request->items->len, r->item->image_path,
             r->added, r->item->label_path);
  return !*request->interrupted;
}

/* DOTA class names are one token: say which labels are written with hyphens. */
static void
say_dota_renames (GPtrArray *items, GPtrArray *labels)
{
  gboolean dota = FALSE;

  for (guint i = 0; i < items->len && !dota; i++)
    dota = ((const BmDatasetItem *) g_ptr_array_index (items, i))->format == BM_FORMAT_DOTA;
  for (guint i = 0; i < labels->len && dota; i++)
    {
      const char *label = g_ptr_array_index (labels, i);
      g_autofree char *token = label != NULL ? bm_model_detect_label_for_format (label, BM_FORMAT_DOTA) : NULL;

      if (token != NULL && strcmp (token, label) != 0)
        fprintf (stderr, _("“%s” is written as “%s” in DOTA label files (a DOTA class name is one word)\n"), label,
                 token);
    }
}

int
bm_cli_detect_model (const BmCliDetectModel *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmOnnxModel) model = bm_onnx_model_load (request->model, &error);
  g_autoptr(GPtrArray) labels = NULL;
  BmModelDetectSummary summary = { 0 };
  BmModelDetectSetup setup;
  Printer printer = { request, model, NULL };
  int status;

  if (model == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  labels = request->classes_map != NULL
             ? bm_model_class_map_load (request->classes_map, bm_onnx_model_get_names (model), &error)
             : bm_model_class_map_new_identity (bm_onnx_model_get_names (model));
  if (labels == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  printer.labels = labels;
  if (request->write)
    say_dota_renames (request->items, labels);

  bm_model_detect_setup_init (&setup, model);
  setup.params.conf = request->conf;
  setup.params.iou = request->iou;
  setup.labels = labels;
  setup.write = request->write;
  setup.n_threads = (guint) request->threads;
  bm_model_detect_run (&setup, request->items, on_result, &printer, NULL, &summary);

  status = summary.failed > 0 || summary.conflicts > 0 || summary.skipped > 0 ? BM_CLI_EXIT_FAILURE : BM_CLI_EXIT_OK;
  if (*request->interrupted)
    {
      fprintf (stderr, _("boxmark-cli detect: interrupted; every file written so far is complete\n"));
      status = BM_CLI_EXIT_FAILURE;
    }
  else if (request->write)
    fprintf (stderr, _("%d images, %d detections, %d added to %d label files\n"), summary.done, summary.detections,
             summary.added, summary.saved);
  bm_model_detect_summary_clear (&summary);
  return status;
}
