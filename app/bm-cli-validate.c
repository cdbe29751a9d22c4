/* bm-cli-validate.c: boxmark-cli validate PATH...
 *
 * Prints one "FILE:LINE: problem" per problem; exit 1 when there is any.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>

#include "core/bm-dataset.h"
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "formats/bm-yolo.h"
#include "formats/bm-yolo-check.h"
#include "bm-cli.h"
#include "bm-cli-scan.h"

typedef struct
{
  guint files;
  guint problems;
  gboolean yolo_strict;
  GHashTable *class_counts;   /* class file → number of classes (-1 when unreadable) */
  GHashTable *printed;        /* lines already printed: a broken class file is found twice */
} ValidateState;

static void
emit (ValidateState *state, const char *line)
{
  if (!g_hash_table_add (state->printed, g_strdup (line)))
    return;
  printf ("%s\n", line);
  state->problems++;
}

static void
emit_problem (ValidateState *state, const BmProblem *problem)
{
  g_autofree char *line = bm_problem_to_string (problem);

  emit (state, line);
}

static void
report (ValidateState *state, const char *file, int line, const char *message)
{
  g_autoptr(BmProblem) problem = bm_problem_new (file, line, message);

  emit_problem (state, problem);
}

/* A label file whose recorded size disagrees with the image usually means the image was
 * labelled in a tool that ignored its EXIF orientation: every box is then in the wrong place. */
static void
check_size (ValidateState *state, const BmDatasetItem *item, BmAnnotation *annotation)
{
  int width = 0, height = 0, channels = 0;
  int w = bm_annotation_get_width (annotation), h = bm_annotation_get_height (annotation);
  g_autofree char *message = NULL;

  if (item->image_path == NULL || w <= 0 || h <= 0
      || !bm_image_read_info (item->image_path, &width, &height, &channels, NULL))
    return;
  if (w == width && h == height)
    return;
  if (w == height && h == width)
    message = g_strdup_printf (_("size %d×%d differs from the image’s %d×%d (its EXIF orientation was probably ignored when it was labelled)"),
                               w, h, width, height);
  else
    message = g_strdup_printf (_("size %d×%d differs from the image’s %d×%d"), w, h, width, height);
  report (state, item->label_path, 0, message);
}

/* The number of classes of the YOLO dataset holding @label_path, -1 when it has no readable
 * class list (a broken one is reported once). */
static int
class_count_for (ValidateState *state, const char *label_path)
{
  g_autofree char *class_file = bm_yolo_find_class_file (label_path);
  gpointer cached;

  if (class_file == NULL)
    return -1;
  if (!g_hash_table_lookup_extended (state->class_counts, class_file, NULL, &cached))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmClassList) classes = bm_class_list_load (class_file, &error);

      if (classes == NULL)
        {
          emit (state, error->message);
        }
      cached = GINT_TO_POINTER (classes ? (int) bm_class_list_get_n (classes) : -1);
      g_hash_table_insert (state->class_counts, g_strdup (class_file), cached);
    }
  return GPOINTER_TO_INT (cached);
}

/* Ultralytics' own rules, stricter than what Boxmark can read: one bad row makes it ignore the
 * whole image. */
static void
check_yolo_strict (ValidateState *state, const BmDatasetItem *item)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  if (item->format_guessed ? bm_dataset_sniff_txt_format (item->label_path) != BM_FORMAT_YOLO
                           : item->format != BM_FORMAT_YOLO)
    return;
  problems = bm_yolo_check_file (item->label_path, class_count_for (state, item->label_path), &error);
  if (problems == NULL)
    {
      report (state, item->label_path, 0, error->message);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    {
      emit_problem (state, g_ptr_array_index (problems, i));
    }
}

static void
validate_item (BmDataset *dataset, const BmDatasetItem *item, BmAnnotation *annotation,
               const GError *error, gpointer user_data)
{
  ValidateState *state = user_data;
  GPtrArray *problems;

  if (item == NULL)
    {
      emit (state, error->message);
      return;
    }
  if (!item->has_label)
    return;
  state->files++;
  /* Ultralytics' rules come on top of everything Boxmark itself checks. */
  if (state->yolo_strict && g_str_has_suffix (item->label_path, ".txt"))
    check_yolo_strict (state, item);
  if (annotation == NULL)
    {
      emit (state, error->message);
      return;
    }
  problems = bm_annotation_get_problems (annotation);
  for (guint i = 0; i < problems->len; i++)
    {
      emit_problem (state, g_ptr_array_index (problems, i));
    }
  if (item->image_path == NULL && dataset != NULL)
    report (state, item->label_path, 0, _("label file has no image"));
  check_size (state, item, annotation);
}

int
bm_cli_validate (int argc, char **argv)
{
  gboolean no_recursive = FALSE, yolo_strict = FALSE;
  int threads = 0;
  g_auto(GStrv) paths = NULL;
  GOptionEntry entries[] = {
    { "no-recursive", 0, 0, G_OPTION_ARG_NONE, &no_recursive, N_("Do not look into subfolders"), NULL },
    { "yolo-strict", 0, 0, G_OPTION_ARG_NONE, &yolo_strict,
      N_("Check YOLO label files against Ultralytics’ own rules (a bad row makes it ignore the image)"), NULL },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (default: one per core)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("PATH…") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) class_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ValidateState state = { 0 };

  if (!bm_cli_parse ("validate", _("PATH…"),
                     _("Checks every label file under the paths (Pascal VOC, DOTA, YOLO) and prints\n"
                       "one line per problem as FILE:LINE: problem. Exit status 1 when any."),
                     entries, &argc, &argv))
    return BM_CLI_EXIT_USAGE;
  if (paths == NULL || paths[0] == NULL)
    {
      fprintf (stderr, "%s\n", _("boxmark-cli validate: name at least one folder or label file"));
      return BM_CLI_EXIT_USAGE;
    }
  if (threads <= 0)
    threads = (int) g_get_num_processors ();
  state.yolo_strict = yolo_strict;
  state.class_counts = class_counts;
  state.printed = printed;

  if (!bm_cli_scan ((const char *const *) paths, !no_recursive, (guint) threads,
                    validate_item, &state, &error))
    {
      fprintf (stderr, "boxmark-cli validate: %s\n", error->message);
      return BM_CLI_EXIT_FAILURE;
    }
  fflush (stdout);
  fprintf (stderr, ngettext ("%u label file checked, ", "%u label files checked, ", state.files), state.files);
  fprintf (stderr, ngettext ("%u problem\n", "%u problems\n", state.problems), state.problems);
  return state.problems > 0 ? BM_CLI_EXIT_PROBLEMS : BM_CLI_EXIT_OK;
}
