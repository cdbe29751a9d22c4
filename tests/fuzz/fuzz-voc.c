/* fuzz-voc.c: libFuzzer target for the Pascal VOC reader and writer.
 *
 * Besides "no crash, no hang, no leak", it checks the writer's promises on whatever loads:
 * an unedited save gives the input back, and an edited save is a file we read back without
 * problems, with the edits in it. The read-only load (convert's) must see what the full one sees.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bm-error.h"
#include "formats/bm-voc.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_at (gboolean condition, const char *what, int line)
{
  if (condition)
    return;
  fprintf (stderr, "fuzz-voc.c:%d: check failed: %s\n", line, what);
  abort ();
}
#define check(condition) check_at ((condition), #condition, __LINE__)

static void
edit_and_reload (BmAnnotation *annotation)
{
  g_autoptr(BmAnnotation) again = NULL;
  g_autoptr(BmObject) added = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  guint n = bm_annotation_get_n_objects (annotation);
  gsize length = 0;
  BmShape shape;

  bm_annotation_set_verified (annotation, !bm_annotation_get_verified (annotation));
  if (n > 0)
    {
      BmObject *first = bm_annotation_get_object (annotation, 0);

      BmRect bounds;

      shape = *bm_object_get_shape (first);
      bm_shape_translate (&shape, 1, 2);
      bounds = bm_shape_bounds (&shape);
      /* The reader refuses coordinates beyond ±1e7 px; a move across that limit is expected to
       * give a file that reloads with a problem, which is not what this check is about. */
      if (MAX (MAX (fabs (bounds.x1), fabs (bounds.x2)), MAX (fabs (bounds.y1), fabs (bounds.y2))) < 9.9e6)
        bm_object_set_shape (first, &shape);
      bm_object_set_difficult (first, (bm_object_get_difficult (first) + 1) % 3);
      bm_object_set_attribute (first, "fuzz", "a<b&c");
    }
  if (n > 1)
    bm_annotation_remove_object (annotation, n - 1);
  bm_shape_init_rotated (&shape, 10, 20, 30, 40, 0.5);
  added = bm_object_new ("added", &shape);
  bm_annotation_add_object (annotation, added);

  saved = bm_voc_to_data (annotation, &length, &error);
  if (saved == NULL)
    {
      /* Only an edited object beyond the reading limit may stop the save. */
      check (g_error_matches (error, BM_ERROR, BM_ERROR_INVALID));
      return;
    }
  again = bm_voc_load_data (saved, length, "fuzz-saved.xml", NULL);
  check (again != NULL);
  check (bm_annotation_get_problems (again)->len == 0);
  check (bm_annotation_get_n_objects (again) == bm_annotation_get_n_objects (annotation));
  check (bm_annotation_get_verified (again) == bm_annotation_get_verified (annotation));
  check (strcmp (bm_object_get_label (bm_annotation_get_object (again, bm_annotation_get_n_objects (again) - 1)), "added") == 0);
}

static void
check_read_only_load_agrees (const guint8 *data, size_t size, BmAnnotation *full)
{
  g_autoptr(BmAnnotation) read = bm_voc_load_data_full ((const char *) data, size, "fuzz.xml",
                                                        BM_VOC_LOAD_NO_BACKING, NULL);

  check ((read == NULL) == (full == NULL));
  if (full == NULL)
    return;
  check (bm_annotation_get_n_objects (read) == bm_annotation_get_n_objects (full));
  check (bm_annotation_get_problems (read)->len == bm_annotation_get_problems (full)->len);
  check (bm_annotation_is_read_only (read) == bm_annotation_is_read_only (full));
  check (bm_annotation_get_verified (read) == bm_annotation_get_verified (full));
  check (bm_annotation_get_width (read) == bm_annotation_get_width (full));
  check (bm_annotation_get_height (read) == bm_annotation_get_height (full));
  for (guint k = 0; k < bm_annotation_get_n_objects (full); k++)
    check (bm_object_content_equal (bm_annotation_get_object (read, k), bm_annotation_get_object (full, k)));
}

/* The input in UTF-16 (little-endian, with a byte order mark) reads as the UTF-8 input does; an
 * unedited save gives its bytes back, an edited one stays UTF-16 and reads back. */
static void
check_utf16_twin (const guint8 *data, size_t size, BmAnnotation *utf8)
{
  g_autofree char *converted = NULL;
  g_autofree char *twin_data = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(BmAnnotation) twin = NULL;
  gsize written = 0, length = 0;

  /* Only a UTF-8 file declaring no encoding can simply be re-encoded. */
  if (utf8 == NULL || size < 3 || memcmp (data, "\xEF\xBB\xBF", 3) == 0
      || !g_utf8_validate ((const char *) data, (gssize) size, NULL)
      || memchr (data, '\0', size) != NULL
      || g_strstr_len ((const char *) data, (gssize) MIN (size, 200), "encoding") != NULL)
    return;
  converted = g_convert ((const char *) data, (gssize) size, "UTF-16LE", "UTF-8", NULL, &written, NULL);
  if (converted == NULL)
    return;
  twin_data = g_malloc (written + 2);
  twin_data[0] = (char) 0xFF;
  twin_data[1] = (char) 0xFE;
  memcpy (twin_data + 2, converted, written);
  twin = bm_voc_load_data (twin_data, written + 2, "fuzz.xml", NULL);
  check (twin != NULL);
  check (bm_annotation_get_n_objects (twin) == bm_annotation_get_n_objects (utf8));
  check (bm_annotation_get_problems (twin)->len == bm_annotation_get_problems (utf8)->len);
  check (bm_annotation_get_verified (twin) == bm_annotation_get_verified (utf8));
  for (guint k = 0; k < bm_annotation_get_n_objects (utf8); k++)
    check (bm_object_content_equal (bm_annotation_get_object (twin, k), bm_annotation_get_object (utf8, k)));
  if (bm_annotation_is_read_only (twin))
    return;
  saved = bm_voc_to_data (twin, &length, NULL);
  check (saved != NULL && length == written + 2 && memcmp (saved, twin_data, length) == 0);
  g_clear_pointer (&saved, g_free);
  bm_annotation_set_verified (twin, !bm_annotation_get_verified (twin));
  saved = bm_voc_to_data (twin, &length, NULL);
  check (saved != NULL && length >= 4 && (guchar) saved[0] == 0xFF && (guchar) saved[1] == 0xFE);
  {
    g_autoptr(BmAnnotation) again = bm_voc_load_data (saved, length, "fuzz-saved.xml", NULL);

    check (again != NULL && bm_annotation_get_verified (again) == bm_annotation_get_verified (twin));
    check (bm_annotation_get_n_objects (again) == bm_annotation_get_n_objects (twin));
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  annotation = bm_voc_load_data ((const char *) data, size, "fuzz.xml", &error);
  check_read_only_load_agrees (data, size, annotation);
  check_utf16_twin (data, size, annotation);
  if (annotation == NULL)
    {
      check (error != NULL && g_str_has_prefix (error->message, "fuzz.xml:"));
      return 0;
    }
  if (bm_annotation_is_read_only (annotation))
    {
      check (bm_voc_to_data (annotation, NULL, NULL) == NULL);
      return 0;
    }
  {
    g_autofree char *saved = NULL;
    gsize length = 0;

    saved = bm_voc_to_data (annotation, &length, NULL);
    check (saved != NULL && length == size && memcmp (saved, data, size) == 0);
  }
  edit_and_reload (annotation);
  return 0;
}
