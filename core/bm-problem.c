/* bm-problem.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-util.h"
#include "bm-problem.h"

G_DEFINE_BOXED_TYPE (BmProblem, bm_problem, bm_problem_copy, bm_problem_free)

BmProblem *
bm_problem_new (const char *file, int line, const char *message)
{
  BmProblem *problem = g_new0 (BmProblem, 1);

  g_return_val_if_fail (message != NULL, NULL);

  problem->file = g_strdup (file ? file : "");
  problem->line = line;
  problem->message = g_strdup (message);
  return problem;
}

BmProblem *
bm_problem_new_printf (const char *file, int line, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return bm_problem_new (file, line, message);
}

BmProblem *
bm_problem_copy (const BmProblem *problem)
{
  return bm_problem_new (problem->file, problem->line, problem->message);
}

void
bm_problem_free (BmProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->file);
  g_free (problem->message);
  g_free (problem);
}

char *
bm_problem_to_string (const BmProblem *problem)
{
  /* A line break in a file name would split "FILE:LINE: problem" in two. */
  g_autofree char *file = bm_path_display (problem->file);

  if (problem->line > 0)
    return g_strdup_printf ("%s:%d: %s", file, problem->line, problem->message);
  return g_strdup_printf ("%s: %s", file, problem->message);
}
