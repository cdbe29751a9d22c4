/* bm-cli-detect-model.h: boxmark-cli detect --model, a YOLO model (ONNX) instead of a cascade.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *model;         /* the .onnx file */
  double conf;
  double iou;                /* NMS */
  const char *classes_map;   /* or NULL: every class under its own name */
  gboolean json;
  gboolean write;
  int threads;
  GPtrArray *items;          /* BmDatasetItem * to detect on (label_path NULL when not writing) */
  volatile sig_atomic_t *interrupted;
} BmCliDetectModel;

/* Runs the detection and prints it; returns the exit status. */
int bm_cli_detect_model (const BmCliDetectModel *request);

G_END_DECLS
