/* test-coco.c: COCO instances JSON read and written (formats/bm-coco.h), and
 * `boxmark-cli convert --to coco / --from coco`.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-coco.h"
#include "formats/bm-coco-json.h"
#include "formats/bm-label-io.h"
#include "bm-test-util.h"

static char *
testdata (const char *a, const char *b, const char *c, const char *d)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), a, b, c, d, NULL);
}

/* @text parsed and written again compactly: two JSON texts with the same content compare equal. */
static char *
canonical (const char *text, gsize length)
{
  g_autoptr(GError) error = NULL;
  guint line;
  g_autoptr(JsonNode) root = bm_coco_json_parse (text, length, 0, NULL, NULL, &line, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  bm_coco_json_append_node (out, root);
  return g_string_free (out, FALSE);
}

static char *
problems_text (GPtrArray *problems)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = bm_problem_to_string (problems->pdata[i]);

      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (text, FALSE);
}

static void
test_read_ids (void)
{
  if (!bm_test_have_data ("eval/coco8"))
    return;
  g_autofree char *path = testdata ("eval", "coco8", "gt", "instances.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCoco) coco = bm_coco_load (path, &error);
  const BmCocoAnnotation *first;
  g_autoptr(BmAnnotation) annotation = NULL;
  int person;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_coco_get_problems (coco)->len, ==, 0);
  g_assert_cmpuint (bm_coco_get_n_images (coco), ==, 8);
  g_assert_cmpuint (bm_coco_get_n_categories (coco), ==, 80);
  g_assert_cmpuint (bm_coco_get_n_annotations (coco), ==, 30);
  /* COCO's own ids: 9 for the first image, 51 for bowl */
  g_assert_cmpint (bm_coco_get_image (coco, 0)->id, ==, 9);
  first = bm_coco_get_annotation (coco, 0);
  g_assert_cmpint (bm_coco_get_category (coco, first->category)->id, ==, 51);
  g_assert_cmpstr (bm_coco_get_category (coco, first->category)->name, ==, "bowl");
  g_assert_cmpuint (first->line, >, 1);
  person = bm_coco_find_category (coco, 1);
  g_assert_cmpstr (bm_coco_get_category (coco, (guint) person)->name, ==, "person");
  /* the polygon of the box itself reads as a box */
  g_assert_cmpint (first->shape, ==, BM_SHAPE_BOX);
  annotation = bm_coco_make_annotation (coco, 0, NULL);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, bm_coco_get_annotation (coco, 0)->image == 0 ? 8 : 0);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (annotation, 0)), ==, "bowl");
  g_assert_cmpint (bm_annotation_get_width (annotation), ==, 640);
}

static void
test_bad_files (void)
{
  struct { const char *json; const char *expected; } cases[] = {
    { "{\"images\": [\n{\"file_name\": \"a.jpg\"},\n{\"id\": 1, \"file_name\": \"a.jpg\"},\n{\"id\": 1, \"file_name\": \"b.jpg\"}\n],\n"
      "\"categories\": [{\"id\": 3, \"name\": \"dog\"}],\n\"annotations\": [\n"
      "{\"id\": 1, \"image_id\": 7, \"category_id\": 3, \"bbox\": [1, 2, 3, 4]},\n"
      "{\"id\": 2, \"image_id\": 1, \"category_id\": 4, \"bbox\": [1, 2, 3, 4]},\n"
      "{\"id\": 3, \"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 2, \"x\", 4]},\n"
      "{\"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 2, 3, 4]},\n"
      "{\"id\": 5, \"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 2, 3, 4], \"iscrowd\": 0, \"area\": 12}\n]}",
      "x.json:2: an image without a whole-number “id”; left out\n"
      "x.json:4: image id 1 is used twice; this one is left out\n"
      "x.json:8: annotation 1: its “image_id” is no image of the file; left out\n"
      "x.json:9: annotation 2: its “category_id” is no category of the file; left out\n"
      "x.json:10: annotation 3: “bbox” value 3 is not a finite number; left out\n"
      "x.json:11: an annotation without a whole-number “id”; left out (pycocotools would stop with KeyError)\n" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCoco) coco = bm_coco_load_data (cases[0].json, strlen (cases[0].json), "x.json", &error);
  g_autofree char *text = NULL;
  BmCoco *bad;

  g_assert_no_error (error);
  text = problems_text (bm_coco_get_problems (coco));
  g_assert_cmpstr (text, ==, cases[0].expected);
  g_assert_cmpuint (bm_coco_get_n_annotations (coco), ==, 1);

  /* cut short after its second line's newline: the problem is on that last line (json-glib
   * counts one more) */
  bad = bm_coco_load_data ("{\"images\": [\n1,\n", 16, "y.json", &error);
  g_assert_null (bad);
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "y.json:2: not valid JSON"));
  g_clear_error (&error);
  bad = bm_coco_load_data ("[1, 2]", 6, "z.json", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "z.json:1: not a COCO instances file: no “images” list at the top level");
}

/* Unedited, the file comes back with the same content; an edited box changes its annotation's
 * bbox and area only; a new object gets the next id. */
static void
test_write_lossless (void)
{
  const char *source =
    "{\"info\": {\"year\": 2024, \"note\": \"kept\"}, \"licenses\": [{\"id\": 1, \"name\": \"CC\"}],\n"
    "\"images\": [{\"id\": 40, \"file_name\": \"a.jpg\", \"width\": 100, \"height\": 80, \"license\": 1},\n"
    "{\"id\": 41, \"file_name\": \"b.jpg\", \"width\": 64, \"height\": 64}],\n"
    "\"annotations\": [{\"id\": 7, \"image_id\": 40, \"category_id\": 18, \"bbox\": [1.5, 2, 30, 40.25], \"area\": 1207.5, \"iscrowd\": 0,"
    " \"segmentation\": {\"size\": [80, 100], \"counts\": \"abc\"}, \"extra\": [1, null, true]},\n"
    "{\"id\": 9, \"image_id\": 40, \"category_id\": 3, \"bbox\": [10, 10, 5, 5], \"area\": 25, \"iscrowd\": 1},\n"
    "{\"id\": 12, \"image_id\": 41, \"category_id\": 18, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0,"
    " \"segmentation\": [[0, 0, 10, 2, 8, 10, 1, 9]]}],\n"
    "\"categories\": [{\"id\": 3, \"name\": \"cat\", \"supercategory\": \"animal\"}, {\"id\": 18, \"name\": \"dog\"}]}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCoco) coco = bm_coco_load_data (source, strlen (source), "s.json", &error);
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmAnnotation) b = NULL;
  g_autofree char *same = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *canonical_source = canonical (source, strlen (source));
  g_autofree char *canonical_same = NULL;
  BmCocoWriteImage images[2];
  BmShape shape;
  g_autoptr(BmObject) added = NULL;
  gsize length;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_coco_get_problems (coco)->len, ==, 0);
  a = bm_coco_make_annotation (coco, 0, NULL);
  b = bm_coco_make_annotation (coco, 1, NULL);
  /* the 4-point polygon that is not the box: a quadrilateral */
  g_assert_cmpint (bm_object_get_shape (bm_annotation_get_object (b, 0))->kind, ==, BM_SHAPE_QUAD);
  g_assert_cmpint (bm_object_get_difficult (bm_annotation_get_object (a, 1)), ==, 1);
  images[0] = (BmCocoWriteImage) { "a.jpg", 100, 80, a, 0 };
  images[1] = (BmCocoWriteImage) { "b.jpg", 64, 64, b, 1 };
  same = bm_coco_to_data (coco, images, 2, NULL, TRUE, &length, &error);
  g_assert_no_error (error);
  canonical_same = canonical (same, length);
  g_assert_cmpstr (canonical_same, ==, canonical_source);

  bm_shape_init_box (&shape, 2, 2, 32, 42);
  bm_object_set_shape (bm_annotation_get_object (a, 0), &shape);
  bm_shape_init_box (&shape, 50, 50, 60, 70);
  added = bm_object_new ("bird", &shape);
  bm_annotation_add_object (b, added);
  edited = bm_coco_to_data (coco, images, 2, NULL, FALSE, &length, &error);
  g_assert_no_error (error);
  /* the edited annotation keeps its id and unknown members, its mask goes with the old shape */
  g_assert_nonnull (strstr (edited, "{\"id\": 7, \"image_id\": 40, \"category_id\": 18, \"bbox\": [2.0, 2.0, 30.0, 40.0], \"area\": 1200.0, \"iscrowd\": 0, \"extra\": [1, null, true]}"));
  g_assert_nonnull (strstr (edited, "{\"id\": 9, \"image_id\": 40, \"category_id\": 3, \"bbox\": [10, 10, 5, 5], \"area\": 25, \"iscrowd\": 1}"));
  g_assert_nonnull (strstr (edited, "{\"id\": 13, \"image_id\": 41, \"category_id\": 19, \"bbox\": [50.0, 50.0, 10.0, 20.0], \"area\": 200.0, \"iscrowd\": 0}"));
  g_assert_nonnull (strstr (edited, "{\"id\": 19, \"name\": \"bird\"}"));
  g_assert_nonnull (strstr (edited, "\"info\": {\"year\": 2024, \"note\": \"kept\"}"));
  /* strict: a label that is no category is refused */
  g_free (bm_coco_to_data (coco, images, 2, NULL, TRUE, &length, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
}

/* ---- boxmark-cli convert ---- */

static int
run_cli (char **out, char **err, const char *first, ...)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;
  int status;

  g_ptr_array_add (argv, cli);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Every labelled image's objects: label, box, difficult, and the verified flag, in order. */
static char *
describe_dataset (const char *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open (root, TRUE, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = NULL;
      g_autofree char *stem = NULL;

      if (!item->has_label)
        continue;
      annotation = bm_label_load (item, &error);
      g_assert_no_error (error);
      stem = bm_path_get_stem (item->label_path);
      g_string_append_printf (text, "%s %d %dx%d:", stem, bm_annotation_get_verified (annotation),
                              bm_annotation_get_width (annotation), bm_annotation_get_height (annotation));
      for (guint k = 0; k < bm_annotation_get_n_objects (annotation); k++)
        {
          BmObject *object = bm_annotation_get_object (annotation, k);
          BmRect r = bm_shape_bounds (bm_object_get_shape (object));

          g_string_append_printf (text, " %s %g,%g,%g,%g d%d", bm_object_get_label (object), r.x1, r.y1, r.x2, r.y2,
                                  bm_object_get_difficult (object));
        }
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static void
test_convert_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bm-coco-XXXXXX", NULL);
  g_autofree char *source = testdata ("voc", "cvat_zavtrak_ru", NULL, NULL);
  g_autofree char *coco = g_build_filename (dir, "coco", NULL);
  g_autofree char *json = g_build_filename (coco, "annotations", "instances.json", NULL);
  g_autofree char *back = g_build_filename (dir, "voc", NULL);
  g_autofree char *again = g_build_filename (dir, "coco-again", NULL);
  g_autofree char *json_again = g_build_filename (again, "annotations", "instances.json", NULL);
  g_autofree char *before = describe_dataset (source);
  g_autofree char *after = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "convert", "--to", "coco", "--out", coco, source, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Wrote 14 images, 56 objects, 4 categories"));
  g_free (out);
  g_free (err);
  g_assert_cmpint (run_cli (&out, &err, "convert", "--from", "coco", "--to", "voc", "--out", back, coco, NULL), ==, 0);
  g_free (out);
  g_free (err);
  after = describe_dataset (back);
  g_assert_cmpstr (after, ==, before);

  /* COCO to COCO: the same file */
  g_assert_cmpint (run_cli (&out, &err, "convert", "--from", "coco", "--to", "coco", "--out", again, json, NULL), ==, 0);
  g_free (out);
  g_free (err);
  g_assert_true (g_file_get_contents (json, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (json_again, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  bm_test_remove_tree (dir);
}

/* Category ids are kept: COCO8's 80 categories keep their COCO ids (1 person … 51 bowl …). */
static void
test_convert_keeps_category_ids (void)
{
  if (!bm_test_have_data ("eval/coco8"))
    return;
  g_autofree char *dir = g_dir_make_tmp ("bm-coco-XXXXXX", NULL);
  g_autofree char *source = testdata ("eval", "coco8", "gt", "instances.json");
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *json = g_build_filename (out_dir, "annotations", "instances.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCoco) coco = NULL;
  char *out = NULL, *err = NULL;

  /* the images are not shipped beside the file: said, and the labels are still written */
  g_assert_cmpint (run_cli (&out, &err, "convert", "--from", "coco", "--to", "coco", "--out", out_dir, source, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "instances.json:4: image “000000000009.jpg” not found"));
  g_free (out);
  g_free (err);
  coco = bm_coco_load (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_coco_get_n_categories (coco), ==, 80);
  g_assert_cmpstr (bm_coco_get_category (coco, (guint) bm_coco_find_category (coco, 51))->name, ==, "bowl");
  g_assert_cmpint (bm_coco_get_annotation (coco, 0)->id, ==, 1);
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/coco/read-ids", test_read_ids);
  g_test_add_func ("/coco/bad-files", test_bad_files);
  g_test_add_func ("/coco/write-lossless", test_write_lossless);
  g_test_add_func ("/coco/convert-round-trip", test_convert_round_trip);
  g_test_add_func ("/coco/convert-keeps-category-ids", test_convert_keeps_category_ids);
  return g_test_run ();
}
