/* fuzz-coco.c: libFuzzer target for COCO instances JSON (formats/bm-coco*).
 *
 * Besides "no crash, no hang, no leak": every problem names the file and a line inside it; what
 * was read, written back unedited with the file as its source, reads again with the same images,
 * categories and annotations (ids, boxes, flags) and is written again to the same text; and an
 * edit (a moved box, a new object) reads back as edited.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "bm-fuzz-lines.h"

#include "formats/bm-coco.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static GArray *
images_of (BmCoco *coco, GPtrArray *annotations)
{
  GArray *images = g_array_new (FALSE, FALSE, sizeof (BmCocoWriteImage));

  for (guint i = 0; i < bm_coco_get_n_images (coco); i++)
    {
      const BmCocoImage *info = bm_coco_get_image (coco, i);
      BmAnnotation *annotation = bm_coco_make_annotation (coco, i, NULL);
      BmCocoWriteImage image = { info->file_name, info->width, info->height, annotation, i };

      g_ptr_array_add (annotations, annotation);
      g_array_append_val (images, image);
    }
  return images;
}

static void
check_same (BmCoco *a, BmCoco *b)
{
  check (bm_coco_get_n_images (a) == bm_coco_get_n_images (b));
  check (bm_coco_get_n_annotations (a) == bm_coco_get_n_annotations (b));
  for (guint i = 0; i < bm_coco_get_n_images (a); i++)
    check (bm_coco_get_image (a, i)->id == bm_coco_get_image (b, i)->id);
  for (guint i = 0; i < bm_coco_get_n_annotations (a); i++)
    {
      const BmCocoAnnotation *x = bm_coco_get_annotation (a, i), *y = bm_coco_get_annotation (b, i);

      check (x->id == y->id && x->image == y->image && x->iscrowd == y->iscrowd);
      check (memcmp (x->bbox, y->bbox, sizeof x->bbox) == 0);
      check (strcmp (bm_coco_get_category (a, x->category)->name, bm_coco_get_category (b, y->category)->name) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCoco) coco = bm_coco_load_data ((const char *) data, size, "in.json", &error);
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) images = NULL;
  g_autoptr(BmCoco) again = NULL;
  g_autoptr(GArray) images_again = NULL;
  g_autoptr(GPtrArray) annotations_again = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;
  guint n_lines = bm_fuzz_count_lines (data, size);
  gsize length, length_again;

  if (coco == NULL)
    {
      check (error != NULL && g_str_has_prefix (error->message, "in.json:"));
      return 0;
    }
  for (guint i = 0; i < bm_coco_get_problems (coco)->len; i++)
    {
      const BmProblem *problem = bm_coco_get_problems (coco)->pdata[i];

      check (problem->line >= 0 && (guint) problem->line <= n_lines);
    }

  images = images_of (coco, annotations);
  written = bm_coco_to_data (coco, (const BmCocoWriteImage *) images->data, images->len, NULL, FALSE, &length, &error);
  check (written != NULL);
  again = bm_coco_load_data (written, length, "out.json", &error);
  check (again != NULL);
  check_same (coco, again);

  /* written again from itself: the same text */
  images_again = images_of (again, annotations_again);
  rewritten = bm_coco_to_data (again, (const BmCocoWriteImage *) images_again->data, images_again->len, NULL, FALSE,
                               &length_again, &error);
  check (rewritten != NULL && length == length_again && memcmp (written, rewritten, length) == 0);

  /* an edit reads back as edited */
  if (annotations->len > 0)
    {
      BmAnnotation *first = annotations->pdata[0];
      g_autoptr(BmObject) added = NULL;
      g_autoptr(BmCoco) edited = NULL;
      g_autofree char *text = NULL;
      BmShape shape;
      guint n_before = bm_coco_get_n_annotations (coco);

      bm_shape_init_box (&shape, 1, 2, 30, 40);
      added = bm_object_new ("fuzz-new", &shape);
      bm_annotation_add_object (first, added);
      text = bm_coco_to_data (coco, (const BmCocoWriteImage *) images->data, images->len, NULL, FALSE, &length, &error);
      check (text != NULL);
      edited = bm_coco_load_data (text, length, "edited.json", &error);
      check (edited != NULL);
      check (bm_coco_get_n_annotations (edited) == n_before + 1);
    }
  return 0;
}
