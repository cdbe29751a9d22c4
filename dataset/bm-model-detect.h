/* bm-model-detect.h: pre-annotating images with a user's YOLO model (ONNX), the same way for
 * boxmark-cli detect --model and the window.
 *
 * The model's classes are mapped to the dataset's labels (by name, or by a class map; unmapped
 * classes are skipped). Detections become pre-annotations as the cascades' do — score kept,
 * marked until accepted, never a second box where an object of the same label already is (the
 * cascades' IoU rule, bm_preannotate_overlaps) — OBB detections as rotated boxes (VOC) or as
 * quadrilaterals in Ultralytics' corner order (DOTA, YOLO).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/bm-annotation.h"
#include "core/bm-dataset.h"
#include "core/bm-onnx-model.h"

G_BEGIN_DECLS

/* A detection overlapping an object of the same label this much is not added (the cascades'
 * default). */
#define BM_MODEL_DETECT_SKIP_IOU 0.5

/* ---- class maps --------------------------------------------------------------------------- */

/* Class maps are, per model class (@names: the model's, NULL-terminated), the label its
 * detections get (char *), or NULL to skip the class. This one keeps every name. */
GPtrArray *bm_model_class_map_new_identity (const char *const *names);

/* Parses a class map: one line per model class to keep, `MODEL_CLASS -> LABEL` or just
 * `MODEL_CLASS` (same label); a model class by name or by number; blank lines and lines
 * starting with # are ignored. Classes not listed are skipped. Errors are "PATH:LINE: problem". */
GPtrArray *bm_model_class_map_parse    (const char *text, gsize length, const char *path, const char *const *names,
                                        GError **error);
GPtrArray *bm_model_class_map_load     (const char *path, const char *const *names, GError **error);
/* The class map @labels as text bm_model_class_map_parse reads back (a label holding a line
 * break cannot be written: its class is left out). */
char      *bm_model_class_map_to_text  (const char *const *names, GPtrArray *labels);

/* The window's first guess: each model class gets the dataset class of the same name (also
 * when they differ only in case, or in spaces against "-" or "_": "storage tank" and
 * "storage-tank"); the others are skipped. With no dataset classes at all (@classes NULL or
 * empty) every class keeps its own name. */
GPtrArray *bm_model_class_map_by_name  (const char *const *names, const char *const *classes);

/* What the window remembers per dataset folder: the model file and its class map, in
 * $XDG_CONFIG_HOME/boxmark/models.ini (written atomically). */
gboolean   bm_model_detect_remember    (const char *folder, const char *model_path, const char *const *names,
                                        GPtrArray *labels, GError **error);
/* The model file remembered for @folder (and in *@map_text its class map, for
 * bm_model_class_map_parse), or NULL. */
char      *bm_model_detect_recall      (const char *folder, char **map_text);

/* ---- objects ------------------------------------------------------------------------------ */

/* @label as it is written in @format: DOTA class names are one token, so whitespace becomes
 * "-" there ("storage tank" → "storage-tank", as DOTA's own files have it). */
char      *bm_model_detect_label_for_format (const char *label, BmFormat format);

/* New pre-annotation objects for the detections @found (BmYoloDetection of a @task model) whose class
 * has a label in @labels and that overlap neither an object of @annotation with that label nor an
 * earlier kept detection by @iou or more. OBB detections become quadrilaterals when @format is
 * DOTA or YOLO, rotated boxes otherwise; labels are bm_model_detect_label_for_format's.
 * @annotation is not changed. */
GPtrArray *bm_model_detect_new_objects (BmAnnotation *annotation, GArray *found, BmOnnxTask task,
                                        GPtrArray *labels, BmFormat format, double iou);

/* ---- runs over many images ---------------------------------------------------------------- */

typedef struct
{
  BmOnnxModel *model;
  BmYoloParams params;
  GPtrArray *labels;         /* from a class map; NULL: the model's names */
  double skip_iou;           /* BM_MODEL_DETECT_SKIP_IOU */
  gboolean write;            /* add the new objects to each image's label file */
  guint n_threads;           /* 0: one per processor; each thread runs its own network */
} BmModelDetectSetup;

void bm_model_detect_setup_init (BmModelDetectSetup *setup, BmOnnxModel *model);

/* One image done, handed to the caller in the order of the items. */
typedef struct
{
  guint index;
  const BmDatasetItem *item;
  int width, height;         /* the image, 0 when it could not be read */
  GArray *found;             /* BmYoloDetection, all classes; NULL on error */
  int added;                 /* objects added to the label file; -1 when nothing was written */
  const GError *error;       /* why this image failed or was skipped, or NULL */
} BmModelDetectResult;

/* Return FALSE to stop: the images in progress finish, no new one starts. */
typedef gboolean (*BmModelDetectFunc) (const BmModelDetectResult *result, gpointer user_data);

/* Counts of a run. `done` may be read with g_atomic_int_get while it runs. */
typedef struct
{
  int done;                  /* images finished, whatever happened */
  int total;
  int detections;            /* of mapped classes */
  int added;                 /* objects written */
  int saved;                 /* label files written */
  int skipped;               /* label files with problems (read-only), nothing written */
  int conflicts;             /* label files changed on disk since read: left as they were */
  int failed;                /* images not read, detection or save failed */
  gboolean stopped;          /* cancelled or stopped by the callback before the end */
  char *first_error;
} BmModelDetectSummary;

void bm_model_detect_summary_clear (BmModelDetectSummary *summary);

/* Detects on every item of @items (BmDatasetItem *) on setup->n_threads threads (with more
 * than one, OpenCV runs single-threaded in each until the run ends, then back to its default); with
 * setup->write adds the new objects to each label file (bm_label_save: atomic, refuses files
 * changed on disk). @func, if given, is called once per image that ran, in item order, one call
 * at a time. Cancelling @cancellable stops like @func returning FALSE. */
void bm_model_detect_run (const BmModelDetectSetup *setup, GPtrArray *items, BmModelDetectFunc func,
                          gpointer user_data, GCancellable *cancellable, BmModelDetectSummary *summary);

G_END_DECLS
