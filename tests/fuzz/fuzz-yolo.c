/* fuzz-yolo.c: libFuzzer target for the YOLO row reader, the strict checker and the class-list
 * parsers (data.yaml subset and classes.txt).
 *
 * The first input byte picks what the rest is fed to. Besides "no crash, no hang, no leak":
 * problems name the file and a line inside it; a class list that loads writes a data.yaml and
 * a classes.txt that read back to the same names; rows that load write back as rows that load.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/bm-file-util.h"
#include "core/bm-problem.h"
#include "formats/bm-class-list.h"
#include "formats/bm-yolo.h"
#include "formats/bm-yolo-check.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

/* Lines as Ultralytics' splitlines() cuts them (class lists: \n, \r\n and \r). */
static guint
count_lines (const char *data, size_t size, BmLineBreaks breaks)
{
  guint n = 0;

  for (gsize start = 0; start < size; n++)
    {
      gsize end;
      const char *eol = bm_line_next (data, size, start, breaks, &end);

      start = end + strlen (eol);
    }
  return n;
}

static void
check_problems (GPtrArray *problems, const char *file, guint n_lines)
{
  for (guint i = 0; i < problems->len; i++)
    {
      BmProblem *problem = problems->pdata[i];
      check (strcmp (problem->file, file) == 0 && problem->line >= 1 && (guint) problem->line <= n_lines);
    }
}

static void
fuzz_class_list (const char *text, size_t size, gboolean yaml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) classes = yaml
    ? bm_class_list_load_yaml_data (text, size, "fuzz.yaml", &error)
    : bm_class_list_load_txt_data (text, size, "fuzz.txt", &error);
  g_autoptr(BmClassList) back = NULL;
  g_autofree char *written = NULL;

  if (classes == NULL)
    {
      check (error != NULL && g_str_has_prefix (error->message, yaml ? "fuzz.yaml" : "fuzz.txt"));
      return;
    }
  written = bm_class_list_to_yaml (classes, "/data set", "images/train", "images/val");
  back = bm_class_list_load_yaml_data (written, strlen (written), "written.yaml", NULL);
  check (back != NULL && bm_class_list_get_n (back) == bm_class_list_get_n (classes));
  for (guint i = 0; i < bm_class_list_get_n (classes); i++)
    check (strcmp (bm_class_list_get_name (back, i), bm_class_list_get_name (classes, i)) == 0);
}

static void
fuzz_rows (const char *text, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) classes = bm_class_list_new ();
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(BmAnnotation) again = NULL;
  g_autofree char *written = NULL;
  guint n_lines = count_lines (text, size, BM_LINES_PYTHON);
  gsize length;
  guint n_outside = 0;

  for (int i = 0; i < 5; i++)
    {
      char name[8];
      g_snprintf (name, sizeof name, "c%d", i);
      bm_class_list_add (classes, name);
    }
  problems = bm_yolo_check_data (text, size, "fuzz.txt", 5);
  check_problems (problems, "fuzz.txt", n_lines);

  annotation = bm_yolo_load_data (text, size, "fuzz.txt", classes, 640, 480, &error);
  check (annotation != NULL && error == NULL);
  check_problems (bm_annotation_get_problems (annotation), "fuzz.txt", n_lines);
  written = bm_yolo_to_data (annotation, classes, 640, 480, BM_YOLO_OBB, TRUE, NULL, &n_outside, &length, &error);
  check (written != NULL);
  again = bm_yolo_load_data (written, length, "again.txt", classes, 640, 480, NULL);
  check (again != NULL && bm_annotation_get_problems (again)->len == 0);
  check (bm_annotation_get_n_objects (again) + n_outside == bm_annotation_get_n_objects (annotation));

  /* The rows with \r for every \n read the same (Ultralytics' splitlines() splits on both). */
  if (memchr (text, '\r', size) == NULL && memchr (text, '\n', size) != NULL)
    {
      g_autofree char *cr = g_malloc (size + 1);
      g_autoptr(BmAnnotation) twin = NULL;
      g_autoptr(GPtrArray) twin_problems = NULL;

      memcpy (cr, text, size);
      cr[size] = '\0';
      for (size_t i = 0; i < size; i++)
        if (cr[i] == '\n')
          cr[i] = '\r';
      twin_problems = bm_yolo_check_data (cr, size, "fuzz.txt", 5);
      check (twin_problems->len == problems->len);
      twin = bm_yolo_load_data (cr, size, "fuzz.txt", classes, 640, 480, NULL);
      check (twin != NULL);
      check (bm_annotation_get_n_objects (twin) == bm_annotation_get_n_objects (annotation));
      check (bm_annotation_get_problems (twin)->len == bm_annotation_get_problems (annotation)->len);
      for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
        check (bm_object_content_equal (bm_annotation_get_object (twin, i), bm_annotation_get_object (annotation, i)));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data + 1;

  if (size < 1)
    return 0;
  size--;
  switch (data[0] % 3)
    {
    case 0: fuzz_rows (text, size); break;
    case 1: fuzz_class_list (text, size, TRUE); break;
    default: fuzz_class_list (text, size, FALSE); break;
    }
  return 0;
}
