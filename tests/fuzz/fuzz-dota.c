/* fuzz-dota.c: libFuzzer target for the DOTA reader and writer.
 *
 * Besides "no crash, no hang, no leak": every problem names the file and a line inside it, an
 * unedited save gives the input back byte for byte, and an edited save reads back without
 * problems and with the edits.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "formats/bm-dota.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static guint
count_lines (const guint8 *data, size_t size)
{
  guint n = size > 0 && data[size - 1] != '\n' ? 1 : 0;

  for (size_t i = 0; i < size; i++)
    n += data[i] == '\n';
  return n;
}

static void
edit_and_reload (BmAnnotation *annotation)
{
  g_autoptr(BmAnnotation) again = NULL;
  g_autoptr(BmObject) added = NULL;
  g_autofree char *saved = NULL;
  guint n = bm_annotation_get_n_objects (annotation);
  gsize length = 0;
  BmShape shape;
  gboolean spaces = FALSE;

  for (guint i = 0; i < n; i++)
    if (strpbrk (bm_object_get_label (bm_annotation_get_object (annotation, i)), " \t") != NULL)
      spaces = TRUE;
  check (!spaces);
  if (n > 0)
    {
      BmObject *first = bm_annotation_get_object (annotation, 0);

      shape = *bm_object_get_shape (first);
      bm_shape_translate (&shape, 1.5, -2);
      bm_object_set_shape (first, &shape);
      bm_object_set_difficult (first, (bm_object_get_difficult (first) + 1) % 3);
    }
  if (n > 1)
    bm_annotation_remove_object (annotation, n - 1);
  bm_shape_init_rotated (&shape, 10, 20, 30, 40, 0.5);
  added = bm_object_new ("added", &shape);
  bm_annotation_add_object (annotation, added);

  saved = bm_dota_to_data (annotation, &length, NULL);
  check (saved != NULL);
  again = bm_dota_load_data (saved, length, "fuzz-saved.txt", NULL);
  check (again != NULL);
  check (bm_annotation_get_problems (again)->len == 0);
  check (bm_annotation_get_n_objects (again) == bm_annotation_get_n_objects (annotation));
  check (strcmp (bm_object_get_label (bm_annotation_get_object (again, bm_annotation_get_n_objects (again) - 1)), "added") == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;
  guint n_lines = count_lines (data, size);

  annotation = bm_dota_load_data ((const char *) data, size, "fuzz.txt", &error);
  check (annotation != NULL && error == NULL);
  problems = bm_annotation_get_problems (annotation);
  for (guint i = 0; i < problems->len; i++)
    {
      BmProblem *problem = problems->pdata[i];
      check (strcmp (problem->file, "fuzz.txt") == 0 && problem->line >= 1 && (guint) problem->line <= n_lines);
    }
  if (bm_annotation_is_read_only (annotation))
    {
      check (problems->len > 0);
      check (bm_dota_to_data (annotation, NULL, NULL) == NULL);
      return 0;
    }
  {
    g_autofree char *saved = NULL;
    gsize length = 0;

    saved = bm_dota_to_data (annotation, &length, NULL);
    check (saved != NULL && length == size && memcmp (saved, data, size) == 0);
  }
  edit_and_reload (annotation);
  return 0;
}
