/* bm-cli-detect.c: boxmark-cli detect — OpenCV cascade detection (identical to OpenCV 4.6's
 * detectMultiScale) on images or folders, optionally written into the labels as pre-annotations
 * (in the dataset's own format: VOC, DOTA or YOLO, each marking them its way).
 *
 * Defaults: the frontal face cascade, scale factor 1.1, min neighbours 3, min size 30 px
 * (OpenCV's tutorial values, except min neighbours 3 rather than 5 so that a pre-annotation
 * errs on the side of proposing a box the user can delete).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "core/bm-cascade.h"
#include "core/bm-cascade-names.h"
#include "core/bm-dataset.h"
#include "core/bm-detector.h"
#include "core/bm-error.h"
#include "core/bm-image.h"
#include "dataset/bm-dataset-root.h"
#include "dataset/bm-preannotate-run.h"
#include "bm-cli.h"
#include "bm-cli-detect-model.h"
#include "bm-cli-util.h"

typedef struct
{
  char *cascade;
  double scale_factor;
  int min_neighbors;
  int min_size;
  int max_size;
  int threads;
  char *label;
  gboolean json;
  gboolean write;
  double iou;               /* -1: the default, 0.5 (cascades' overlap skip) or 0.7 (--model's NMS) */
  char *model;              /* --model: a YOLO model in ONNX instead of a cascade */
  double conf;
  char *classes_map;
  char **paths;
  char *shard_text;
  BmShard shard;
} Options;

typedef struct
{
  char *image_path;
  char *label_path;        /* NULL when not writing */
  BmFormat format;
  gboolean has_label;
  gboolean format_guessed;
  gboolean label_shared;
} Job;

static volatile sig_atomic_t interrupted;

/* The first Ctrl-C finishes the current image; a second one stops at once (saves are atomic, so
 * no label file is ever left half-written). */
static void
on_sigint (int signum)
{
  interrupted = 1;
  signal (SIGINT, SIG_DFL);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->image_path);
  g_free (job->label_path);
  g_free (job);
}

/* ---- which images ---- */

static void
add_dataset_jobs (BmDataset *dataset, int only_index, const BmShard *shard, GPtrArray *jobs)
{
  guint n = bm_dataset_get_n_items (dataset);

  for (guint i = 0; i < n; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      Job *job;

      if (item->image_path == NULL || (only_index >= 0 && (guint) only_index != i)
          || !bm_shard_contains_item (shard, dataset, item))
        continue;
      job = g_new0 (Job, 1);
      job->image_path = g_strdup (item->image_path);
      job->label_path = g_strdup (item->label_path);
      job->format = item->format;
      job->has_label = item->has_label;
      job->format_guessed = item->format_guessed;
      job->label_shared = item->label_shared;
      g_ptr_array_add (jobs, job);
    }
}

static gboolean
collect_jobs (const Options *o, GPtrArray *jobs)
{
  gboolean ok = TRUE;

  for (guint i = 0; o->paths[i] != NULL; i++)
    {
      const char *path = o->paths[i];
      gboolean is_dir = g_file_test (path, G_FILE_TEST_IS_DIR);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmDataset) dataset = NULL;

      if (!is_dir && !g_file_test (path, G_FILE_TEST_EXISTS))
        {
          fprintf (stderr, _("%s: no such file or folder\n"), path);
          ok = FALSE;
          continue;
        }
      if (!is_dir && !o->write)
        {
          Job *job = g_new0 (Job, 1);
          job->image_path = g_strdup (path);
          g_ptr_array_add (jobs, job);
          continue;
        }
      /* one image: inside the dataset it belongs to, so that its labels are found and a new
       * label file goes into the dataset's label folder, not beside the image */
      {
        int index = -1;

        dataset = is_dir ? bm_dataset_open (path, FALSE, &error) : bm_dataset_open_for_image (path, FALSE, &index, &error);
        if (dataset == NULL)
          {
            fprintf (stderr, "%s\n", error->message);
            ok = FALSE;
            continue;
          }
        if (is_dir)
          add_dataset_jobs (dataset, -1, &o->shard, jobs);
        else
          {
            if (index < 0)
              {
                fprintf (stderr, _("%s: not an image Boxmark opens\n"), path);
                ok = FALSE;
                continue;
              }
            add_dataset_jobs (dataset, index, &o->shard, jobs);
          }
      }
    }
  return ok;
}

/* ---- output ---- */

static void
print_detections (const Options *o, const char *image_path, const BmImage *image, GArray *found)
{
  if (o->json)
    {
      printf ("{\"image\":");
      bm_cli_print_json_string (image_path);
      printf (",\"width\":%d,\"height\":%d,\"detections\":[", image->width, image->height);
      for (guint i = 0; i < found->len; i++)
        {
          const BmDetection *d = &g_array_index (found, BmDetection, i);
          printf ("%s{\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d,\"neighbors\":%d}", i > 0 ? "," : "",
                  d->x, d->y, d->width, d->height, d->neighbors);
        }
      printf ("]}\n");
    }
  else
    for (guint i = 0; i < found->len; i++)
      {
        const BmDetection *d = &g_array_index (found, BmDetection, i);
        printf ("%s %d %d %d %d %d\n", image_path, d->x, d->y, d->width, d->height, d->neighbors);
      }
  fflush (stdout);
}

/* ---- --write ---- */

/* Adds the detections to the image's label file (in the dataset's format), as pre-annotations
 * with their neighbour counts as scores; returns the number added or -1. Another writer
 * at the same time (a second detect, the window) takes turns with us: nothing is lost. */
static int
write_detections (const Options *o, const Job *job, const BmImage *image, GArray *found, GError **error)
{
  BmDatasetItem item = { 0 };
  g_autofree char *notice = NULL;
  int added;

  item.image_path = job->image_path;
  item.label_path = job->label_path;
  item.format = job->format;
  item.has_label = job->has_label;
  item.format_guessed = job->format_guessed;
  item.label_shared = job->label_shared;
  /* what the window's batch adds per image (dataset/bm-preannotate-run.h), with the label
   * folder's lock held from read to write */
  added = bm_preannotate_write_item (&item, image, found, o->label, o->iou, &notice, error);
  if (notice != NULL)
    fprintf (stderr, "%s\n", notice);
  return added;
}

/* ---- main ---- */

static gboolean
check_options (const Options *o)
{
  const char *problem = NULL;

  if (!(o->scale_factor >= 1.001 && o->scale_factor <= 100))
    problem = _("--scale-factor must be between 1.001 and 100");
  else if (o->min_neighbors < 0)
    problem = _("--min-neighbors must not be negative");
  else if (o->min_size < 0 || o->max_size < 0)
    problem = _("--min-size and --max-size must not be negative");
  else if (o->threads < 0)
    problem = _("--threads must not be negative");
  else if (o->iou != -1 && !(o->iou > 0 && o->iou <= 1))
    problem = _("--iou must be above 0 and at most 1");
  else if (!(o->conf >= 0 && o->conf < 1))
    problem = _("--conf must be at least 0 and below 1");
  else if (o->model != NULL && (o->cascade != NULL || o->label != NULL))
    problem = _("--model replaces --cascade and --label (map the model's classes with --classes-map)");
  else if (o->model == NULL && o->classes_map != NULL)
    problem = _("--classes-map needs --model");
  else if (o->paths == NULL || o->paths[0] == NULL)
    problem = _("name at least one image or folder");
  else if (o->label != NULL && *o->label == '\0')
    problem = _("--label must not be empty");
  if (problem != NULL)
    bm_cli_usage_error ("detect", problem);
  return problem == NULL;
}

/* --model: the same images, a YOLO model's detections (bm-cli-detect-model.c). */
static int
run_model (Options *o)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (job_free);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  BmCliDetectModel request = { o->model, o->conf, o->iou != -1 ? o->iou : 0.7, o->classes_map, o->json, o->write,
                               o->threads, items, &interrupted };
  gboolean ok = collect_jobs (o, jobs);
  int status;

  for (guint i = 0; i < jobs->len; i++)
    {
      const Job *job = g_ptr_array_index (jobs, i);
      BmDatasetItem *item = g_new0 (BmDatasetItem, 1);

      *item = (BmDatasetItem) { .image_path = job->image_path, .label_path = job->label_path, .format = job->format,
                                .has_label = job->has_label };
      g_ptr_array_add (items, item);
    }
  signal (SIGINT, on_sigint);
  status = bm_cli_detect_model (&request);
  signal (SIGINT, SIG_DFL);
  return ok ? status : BM_CLI_EXIT_FAILURE;
}

static int
run (Options *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *default_label = NULL;
  g_autofree char *cascade_path = bm_cascade_names_resolve_argument (o->cascade != NULL ? o->cascade : "face",
                                                                     &default_label, &error);
  g_autoptr(BmCascade) cascade = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (job_free);
  BmDetectorParams params;
  gboolean failed = FALSE;
  guint total = 0;

  if (cascade_path == NULL)
    return bm_cli_usage_error ("detect", error->message);
  cascade = bm_cascade_names_load (cascade_path, &error);
  if (cascade == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  if (o->label == NULL)
    o->label = g_steal_pointer (&default_label);

  if (o->iou == -1)
    o->iou = 0.5;
  bm_detector_params_init (&params);
  params.scale_factor = o->scale_factor;
  params.min_neighbors = o->min_neighbors;
  params.min_width = params.min_height = o->min_size;
  params.max_width = params.max_height = o->max_size;
  params.n_threads = o->threads;

  if (!collect_jobs (o, jobs))
    failed = TRUE;

  signal (SIGINT, on_sigint);
  for (guint i = 0; i < jobs->len && !interrupted; i++)
    {
      const Job *job = g_ptr_array_index (jobs, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BmImage) image = bm_image_load (job->image_path, &local_error);
      g_autoptr(GArray) found = NULL;

      if (image == NULL)
        {
          fprintf (stderr, "%s\n", local_error->message);
          failed = TRUE;
          continue;
        }
      found = bm_detector_detect (cascade, image, &params);
      print_detections (o, job->image_path, image, found);
      total += found->len;
      if (o->write)
        {
          int added = write_detections (o, job, image, found, &local_error);

          if (added < 0)
            {
              fprintf (stderr, "%s\n", local_error->message);
              failed = TRUE;
            }
          else
            fprintf (stderr, _("[%u/%u] %s: %u found, %d added to %s\n"), i + 1, jobs->len, job->image_path,
                     found->len, added, job->label_path);
        }
    }
  signal (SIGINT, SIG_DFL);

  if (interrupted)
    {
      fprintf (stderr, _("boxmark-cli detect: interrupted; every file written so far is complete\n"));
      return BM_CLI_EXIT_FAILURE;
    }
  if (o->write)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%u image, %u detections\n", "%u images, %u detections\n", jobs->len), jobs->len, total);
  return failed ? BM_CLI_EXIT_FAILURE : BM_CLI_EXIT_OK;
}

int
bm_cli_detect (int argc, char **argv)
{
  Options o = { NULL, 1.1, 3, 30, 0, 0, NULL, FALSE, FALSE, -1, NULL, 0.25, NULL, NULL };
  GOptionEntry entries[] = {
    { "cascade", 'c', 0, G_OPTION_ARG_FILENAME, &o.cascade, N_("Cascade XML file, or a name: face (default), face-alt, face-alt2, face-lbp, eye, fullbody, upperbody, profile, smile, cat, …"), N_("FILE|NAME") },
    { "scale-factor", 0, 0, G_OPTION_ARG_DOUBLE, &o.scale_factor, N_("Scale step between searched window sizes (default 1.1)"), "F" },
    { "min-neighbors", 0, 0, G_OPTION_ARG_INT, &o.min_neighbors, N_("Keep a detection only when more than N windows agree on it; 0 prints every raw window (default 3)"), "N" },
    { "min-size", 0, 0, G_OPTION_ARG_INT, &o.min_size, N_("Smallest object searched, in pixels (default 30)"), N_("PX") },
    { "max-size", 0, 0, G_OPTION_ARG_INT, &o.max_size, N_("Largest object searched, in pixels (default: no limit)"), N_("PX") },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &o.threads, N_("Worker threads (default: one per CPU); results do not depend on it"), "N" },
    { "label", 'l', 0, G_OPTION_ARG_STRING, &o.label, N_("Label of written objects (default: the cascade name)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print one JSON object per image"), NULL },
    { "write", 'w', 0, G_OPTION_ARG_NONE, &o.write, N_("Add the detections to each image’s label file (VOC, DOTA or YOLO) as pre-annotations"), NULL },
    { "iou", 0, 0, G_OPTION_ARG_DOUBLE, &o.iou, N_("With --write, skip a detection overlapping an object of the same label this much (default 0.5); with --model, the NMS threshold (default 0.7)"), "T" },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &o.model, N_("A YOLO detect or OBB model exported to ONNX (opset 12, simplified) instead of a cascade"), N_("FILE.onnx") },
    { "conf", 0, 0, G_OPTION_ARG_DOUBLE, &o.conf, N_("With --model, keep detections scoring above this (default 0.25)"), "C" },
    { "classes-map", 0, 0, G_OPTION_ARG_FILENAME, &o.classes_map, N_("With --model, lines “MODEL_CLASS -> LABEL”; classes not listed are skipped"), N_("FILE") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &o.shard_text, N_("Only part K of N of the images in the folders (see README: datasets larger than one machine)"), N_("K/N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.paths, NULL, NULL },
    { NULL },
  };
  int status;

  if (!bm_cli_parse ("detect", _("IMAGE|FOLDER…"),
                     _("Detect objects with an OpenCV cascade; the same boxes as OpenCV 4.6’s detectMultiScale.\n"
                       "Prints “IMAGE X Y W H NEIGHBOURS” per detection, or with --json one object per image."),
                     entries, &argc, &argv))
    return BM_CLI_EXIT_USAGE;
  if (!check_options (&o) || !bm_cli_parse_shard ("detect", o.shard_text, &o.shard))
    status = BM_CLI_EXIT_USAGE;
  else
    status = o.model != NULL ? run_model (&o) : run (&o);
  g_free (o.cascade);
  g_free (o.label);
  g_free (o.model);
  g_free (o.classes_map);
  g_free (o.shard_text);
  g_strfreev (o.paths);
  return status;
}
