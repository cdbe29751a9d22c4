/* fuzz-dota.c: libFuzzer target for the DOTA reader and writer.
 *
 * Besides "no crash, no hang, no leak": every problem names the file and a line inside it, an
 * unedited save gives the input back byte for byte, and an edited save reads back without
 * problems and with the edits.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/bm-file-util.h"
#include "formats/bm-dota.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

/* Lines as DOTA_devkit reads them: \n, \r\n and \r end one. */
static guint
count_lines (const guint8 *data, size_t size)
{
  guint n = 0;

  for (gsize start = 0; start < size; n++)
    {
      gsize end;
      const char *eol = bm_line_next ((const char *) data, size, start, BM_LINES_UNIVERSAL, &end);

      start = end + strlen (eol);
    }
  return n;
}

/* The input with every \n made \r (old Mac line ends) reads the same, and an unedited save
 * gives those bytes back. */
static void
check_cr_twin (const guint8 *data, size_t size, BmAnnotation *lf)
{
  g_autofree char *cr = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(BmAnnotation) twin = NULL;
  gsize length = 0;

  if (memchr (data, '\r', size) != NULL || memchr (data, '\n', size) == NULL)
    return;
  cr = g_malloc (size + 1);
  memcpy (cr, data, size);
  cr[size] = '\0';
  for (size_t i = 0; i < size; i++)
    if (cr[i] == '\n')
      cr[i] = '\r';
  twin = bm_dota_load_data (cr, size, "fuzz.txt", NULL);
  check (twin != NULL);
  check (bm_annotation_get_n_objects (twin) == bm_annotation_get_n_objects (lf));
  check (bm_annotation_get_problems (twin)->len == bm_annotation_get_problems (lf)->len);
  for (guint i = 0; i < bm_annotation_get_problems (lf)->len; i++)
    check (((BmProblem *) bm_annotation_get_problems (twin)->pdata[i])->line
           == ((BmProblem *) bm_annotation_get_problems (lf)->pdata[i])->line);
  for (guint i = 0; i < bm_annotation_get_n_objects (lf); i++)
    check (bm_object_content_equal (bm_annotation_get_object (twin, i), bm_annotation_get_object (lf, i)));
  if (bm_annotation_is_read_only (twin))
    return;
  saved = bm_dota_to_data (twin, &length, NULL);
  check (saved != NULL && length == size && memcmp (saved, cr, size) == 0);
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
  check_cr_twin (data, size, annotation);
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
