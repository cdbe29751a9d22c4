/* fuzz-dota-merge.c: libFuzzer target for the tile result files boxmark-cli merge reads.
 *
 * Besides "no crash, no hang, no leak": a file is either merged or has problems, each naming
 * the file and a line; every merged line is "NAME SCORE" and as many numbers as the NMS kind
 * takes, each reading back as a double; no more lines come out than went in; one thread and two
 * give the same bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/bm-problem.h"
#include "dataset/bm-dota-merge.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Suppression is quadratic in the detections of an image: keep inputs to a few hundred lines. */
#define MAX_LINES 300

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static void
check_output (const char *merged, gsize length, guint n_coords, guint n_in)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = g_strndup (merged, length);
  guint n = 0;

  check (length == 0 || merged[length - 1] == '\n');
  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = NULL;

      if (lines[i][0] == '\0')
        continue;
      n++;
      tokens = g_strsplit (lines[i], " ", -1);
      check (g_strv_length (tokens) == n_coords + 2);
      for (guint k = 1; k < n_coords + 2; k++)
        {
          char *end = NULL;

          g_ascii_strtod (tokens[k], &end);
          check (end != tokens[k] && *end == '\0');
        }
    }
  check (n <= n_in);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  gsize length = 0;
  guint n_lines = 0;

  while (length < size && n_lines < MAX_LINES)
    if (data[length++] == '\n')
      n_lines++;

  for (int kind = 0; kind < 2; kind++)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
      g_autoptr(GPtrArray) problems2 = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
      g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *one = NULL, *two = NULL;
      BmDotaMergeOptions options;
      gsize one_length = 0, two_length = 0;
      guint n_detections = 0, n_kept = 0;

      bm_dota_merge_options_init (&options);
      options.nms = kind == 0 ? BM_DOTA_MERGE_POLY : BM_DOTA_MERGE_RECT;
      options.n_threads = 1;
      one = bm_dota_merge_data ((const char *) data, length, "fuzz.txt", &options, problems,
                                &one_length, &n_detections, &n_kept, names);
      check ((one == NULL) == (problems->len > 0));
      for (guint i = 0; i < problems->len; i++)
        {
          const BmProblem *problem = problems->pdata[i];

          check (strcmp (problem->file, "fuzz.txt") == 0);
          check (problem->line >= 1);
          check (g_utf8_validate (problem->message, -1, NULL));
        }
      if (one == NULL)
        continue;
      check (n_kept <= n_detections);
      check (n_kept == 0 || g_hash_table_size (names) > 0);
      check_output (one, one_length, kind == 0 ? 8 : 4, n_detections);

      options.n_threads = 2;
      two = bm_dota_merge_data ((const char *) data, length, "fuzz.txt", &options, problems2,
                                &two_length, NULL, NULL, NULL);
      check (two != NULL && two_length == one_length && memcmp (one, two, one_length) == 0);
    }
  return 0;
}
