/* bm-problem.h: a problem found in a label file, with where it is.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char *file;      /* path of the file with the problem */
  int line;        /* 1-based line, 0 when unknown */
  char *message;   /* translated, one sentence, no trailing period */
} BmProblem;

#define BM_TYPE_PROBLEM (bm_problem_get_type ())
GType      bm_problem_get_type (void) G_GNUC_CONST;

BmProblem *bm_problem_new      (const char *file, int line, const char *message);
BmProblem *bm_problem_new_printf (const char *file, int line, const char *format, ...) G_GNUC_PRINTF (3, 4);
BmProblem *bm_problem_copy     (const BmProblem *problem);
void       bm_problem_free     (BmProblem *problem);
/* "FILE:LINE: message" (or "FILE: message" when the line is unknown); free with g_free. */
char      *bm_problem_to_string (const BmProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmProblem, bm_problem_free)

G_END_DECLS
