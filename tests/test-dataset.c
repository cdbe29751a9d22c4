/* test-dataset.c: layouts are found in the real fixtures.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gstdio.h>
#include "core/bm-dataset-private.h"
#include "core/bm-file-util.h"
#include "tests/bm-test-util.h"

static char *
testdata (const char *rel)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, rel, NULL);
}

static BmDataset *
open_fixture (const char *rel)
{
  g_autofree char *path = testdata (rel);
  g_autoptr(GError) error = NULL;
  BmDataset *dataset = bm_dataset_open (path, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

static guint
count_labelled (BmDataset *dataset)
{
  guint n = 0;

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    if (bm_dataset_get_item (dataset, i)->has_label)
      n++;
  return n;
}

static void
test_voc_lowercase_layout (void)
{
  g_autoptr(BmDataset) ds = open_fixture ("voc/raccoon_labelimg");
  const BmDatasetItem *first;

  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_VOC);
  g_assert_cmpint (bm_dataset_get_format (ds), ==, BM_FORMAT_VOC);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), ==, 160);
  g_assert_cmpuint (count_labelled (ds), ==, 160);
  g_assert_cmpuint (bm_dataset_get_n_orphans (ds), ==, 0);
  /* Natural order: raccoon-1, raccoon-2, ... not raccoon-1, raccoon-10. */
  first = bm_dataset_get_item (ds, 1);
  g_assert_true (g_str_has_suffix (first->image_path, "raccoon-2.jpg"));
  g_assert_true (g_str_has_suffix (first->label_path, "annotations/raccoon-2.xml"));
}

static void
test_voc_annotations_jpegimages (void)
{
  g_autoptr(BmDataset) ds = open_fixture ("voc/cvat_traffic_bd");

  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_VOC);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), ==, 2);
  g_assert_cmpuint (count_labelled (ds), ==, 2);
  /* File names with spaces and parentheses pair up. */
  g_assert_true (g_str_has_suffix (bm_dataset_get_item (ds, 0)->label_path, "Screenshot (609).xml"));
}

static void
test_dota_layout_with_orphans (void)
{
  g_autoptr(BmDataset) ds = open_fixture ("dota/dota_devkit_example");
  guint orphans = 0;

  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_DOTA);
  g_assert_cmpint (bm_dataset_get_format (ds), ==, BM_FORMAT_DOTA);
  for (guint i = 0; i < bm_dataset_get_n_items (ds); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (ds, i);
      if (item->image_path == NULL)
        orphans++;
      else
        {
          g_assert_true (g_str_has_suffix (item->image_path, "P0706.png"));
          g_assert_true (item->has_label);
          g_assert_cmpint (i, ==, 0);
        }
    }
  g_assert_cmpuint (orphans, ==, bm_dataset_get_n_orphans (ds));
  g_assert_cmpuint (orphans, >, 0);
}

static void
test_flat_dota_labels_without_images (void)
{
  g_autoptr(BmDataset) ds = open_fixture ("dota/edge_cases/lebronprince_labels_no_images");

  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_FLAT);
  g_assert_cmpint (bm_dataset_get_format (ds), ==, BM_FORMAT_DOTA);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), ==, bm_dataset_get_n_orphans (ds));
  g_assert_cmpuint (bm_dataset_get_n_items (ds), >=, 6);
  g_assert_cmpint (bm_dataset_get_item (ds, 0)->format, ==, BM_FORMAT_DOTA);
}

static void
test_yolo_ultralytics (void)
{
  g_autoptr(BmDataset) ds = open_fixture ("yolo/ultralytics_coco8");
  guint train = 0, val = 0;

  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_YOLO);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (ds, i);
      g_assert_cmpint (item->format, ==, BM_FORMAT_YOLO);
      train += g_strcmp0 (item->split, "train") == 0;
      val += g_strcmp0 (item->split, "val") == 0;
      g_assert_nonnull (strstr (item->label_path, "/labels/"));
    }
  g_assert_cmpuint (train, ==, 4);
  g_assert_cmpuint (val, ==, 4);
  g_assert_true (g_str_has_suffix (bm_dataset_get_class_file (ds), "coco8.yaml"));
}

static void
test_yolo_roboflow (void)
{
  g_autoptr(BmDataset) ds = open_fixture ("yolo/roboflow_empire_state");

  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_YOLO);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), >, 0);
  g_assert_cmpuint (count_labelled (ds), ==, bm_dataset_get_n_items (ds));
  g_assert_true (g_str_has_suffix (bm_dataset_get_class_file (ds), "data.yaml"));
}

static void
test_flat_mixed_and_open_by_image (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bm-ds-XXXXXX", NULL);
  const char *files[] = { "img10.jpg", "img2.jpg", "img2.xml", "notes.md", "classes.txt" };
  g_autofree char *img = NULL;
  g_autoptr(BmDataset) ds = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (dir, files[i], NULL);
      g_assert_true (g_file_set_contents (p, "x", 1, NULL));
    }
  img = g_build_filename (dir, "img10.jpg", NULL);
  ds = bm_dataset_open (img, FALSE, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (bm_dataset_get_layout (ds), ==, BM_LAYOUT_FLAT);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), ==, 2);
  g_assert_true (bm_dataset_get_item (ds, 0)->has_label);
  g_assert_false (bm_dataset_get_item (ds, 1)->has_label);
  g_assert_true (g_str_has_suffix (bm_dataset_get_item (ds, 1)->label_path, "img10.xml"));
  g_assert_cmpint (bm_dataset_find_image (ds, img), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (dir, files[i], NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (p);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (p, contents, -1, NULL));
}

static void
test_same_stem_images_share_nothing_silently (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bm-ds-XXXXXX", NULL);
  g_autoptr(BmDataset) ds = NULL;

  write_file (dir, "a.jpg", "x");
  write_file (dir, "a.png", "x");
  write_file (dir, "a.xml", "<annotation/>");
  write_file (dir, "b.jpg", "x");
  ds = bm_dataset_open (dir, FALSE, NULL);
  g_assert_cmpuint (bm_dataset_get_n_items (ds), ==, 3);
  g_assert_true (bm_dataset_get_item (ds, 0)->label_shared);
  g_assert_true (bm_dataset_get_item (ds, 1)->label_shared);
  g_assert_false (bm_dataset_get_item (ds, 2)->label_shared);
  bm_test_remove_tree (dir);
}

static void
test_sniff_dota_with_numeric_classes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bm-ds-XXXXXX", NULL);
  g_autofree char *dota = g_build_filename (dir, "dota.txt", NULL);
  g_autofree char *dota10 = g_build_filename (dir, "dota10.txt", NULL);
  g_autofree char *yolo = g_build_filename (dir, "yolo.txt", NULL);
  g_autofree char *obb = g_build_filename (dir, "obb.txt", NULL);
  g_autofree char *header = g_build_filename (dir, "header.txt", NULL);

  write_file (dir, "dota.txt", "10 20 300 20 300 400 10 400 5\n");
  write_file (dir, "dota10.txt", "10 20 300 20 300 400 10 400 5 1\n");
  write_file (dir, "yolo.txt", "3 0.5 0.5 0.2 0.2\n");
  write_file (dir, "obb.txt", "0 0.1 0.1 0.9 0.1 0.9 0.9 0.1 1.005\n");
  write_file (dir, "header.txt", "imagesource:GoogleEarth\ngsd:null\n1 2 3 4 5 6 7 8 ship 0\n");
  g_assert_cmpint (bm_dataset_sniff_txt_format (dota), ==, BM_FORMAT_DOTA);
  g_assert_cmpint (bm_dataset_sniff_txt_format (dota10), ==, BM_FORMAT_DOTA);
  g_assert_cmpint (bm_dataset_sniff_txt_format (yolo), ==, BM_FORMAT_YOLO);
  g_assert_cmpint (bm_dataset_sniff_txt_format (obb), ==, BM_FORMAT_YOLO);
  g_assert_cmpint (bm_dataset_sniff_txt_format (header), ==, BM_FORMAT_DOTA);
  bm_test_remove_tree (dir);
}

static void
test_missing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) ds = bm_dataset_open ("/nonexistent/boxmark", FALSE, &error);

  g_assert_null (ds);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/boxmark"));
}

/* The sort keys (bytewise) order names exactly as bm_natural_compare does: random names of
 * digit runs with leading zeros, mixed case, dots, slashes and UTF-8, one thread and two. */
static char *
random_name (GRand *rand)
{
  static const char *const parts[] = { "img", "IMG", "a", "B", "0", "00", "007", "1", "01", "10", "9",
                                       "123456789012345678901234567890", ".", "/", "_", "-", " ", "é", "中",
                                       "Z", "z", "~" };
  GString *name = g_string_new (NULL);
  int n = g_rand_int_range (rand, 1, 7);

  for (int i = 0; i < n; i++)
    g_string_append (name, parts[g_rand_int_range (rand, 0, G_N_ELEMENTS (parts))]);
  if (g_rand_boolean (rand))
    g_string_append (name, ".jpg");
  return g_string_free (name, FALSE);
}

static int
natural_from_prefix (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(const char **) a + 5, *(const char **) b + 5);
}

static void
test_sort_keys_are_natural_order (void)
{
  static const guint sizes[] = { 2, 1000, 50000 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) reference = g_ptr_array_new ();

      for (guint i = 0; i < sizes[s]; i++)
        {
          g_autofree char *rel = random_name (rand);

          /* a common prefix, as the folder walked gives, is not compared */
          g_ptr_array_add (ours, g_strconcat ("/r0t/", rel, NULL));
        }
      for (guint i = 0; i < ours->len; i++)
        g_ptr_array_add (reference, g_ptr_array_index (ours, i));
      g_ptr_array_sort (reference, natural_from_prefix);
      _bm_dataset_sort_paths (ours, 5);
      for (guint i = 0; i < ours->len; i++)
        g_assert_cmpstr (g_ptr_array_index (ours, i), ==, g_ptr_array_index (reference, i));
    }
}

/* The first item, told before the folder is sorted, is the dataset's item 0 in every layout. */
typedef struct
{
  guint calls;
  BmDatasetItem item;
  char *class_file;
} FirstSeen;

static void
first_cb (const BmDatasetItem *item, const char *class_file, gpointer user_data)
{
  FirstSeen *seen = user_data;

  seen->calls++;
  seen->class_file = g_strdup (class_file);
  seen->item = *item;
  seen->item.image_path = g_strdup (item->image_path);
  seen->item.label_path = g_strdup (item->label_path);
  seen->item.split = g_strdup (item->split);
}

static void
assert_first_is_item_0 (const char *path, gboolean recursive)
{
  FirstSeen seen = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDataset) dataset = bm_dataset_open_with_first (path, recursive, first_cb, &seen, &error);
  const BmDatasetItem *item;

  g_assert_no_error (error);
  g_assert_cmpuint (seen.calls, ==, 1);
  item = bm_dataset_get_item (dataset, 0);
  g_assert_cmpstr (seen.item.image_path, ==, item->image_path);
  g_assert_cmpstr (seen.item.label_path, ==, item->label_path);
  g_assert_cmpstr (seen.item.split, ==, item->split);
  g_assert_cmpint (seen.item.format, ==, item->format);
  g_assert_cmpint (seen.item.has_label, ==, item->has_label);
  g_assert_cmpint (seen.item.format_guessed, ==, item->format_guessed);
  g_assert_cmpint (seen.item.label_shared, ==, item->label_shared);
  /* the window colours the first image's classes by it before the dataset is there */
  g_assert_cmpstr (seen.class_file, ==, bm_dataset_get_class_file (dataset));
  g_free (seen.class_file);
  g_free (seen.item.image_path);
  g_free (seen.item.label_path);
  g_free (seen.item.split);
}

static void
test_first_item_before_sorting (void)
{
  static const char *const fixtures[] = { "voc/raccoon_labelimg", "voc/cvat_traffic_bd", "dota/dota_devkit_example",
                                          "dota/ultralytics_dota8", "yolo/ultralytics_coco8",
                                          "yolo/roboflow_empire_state" };
  g_autofree char *dir = g_dir_make_tmp ("bm-first-XXXXXX", NULL);
  FirstSeen none = { 0 };
  g_autoptr(BmDataset) empty = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = testdata (fixtures[i]);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_first_is_item_0 (path, FALSE);
    }

  /* flat: b10 after b9, a shared stem, a text label whose format is sniffed, images in a
   * sub-folder that only a recursive open lists (and that sort first there) */
  write_file (dir, "b10.jpg", "");
  write_file (dir, "b9.jpg", "");
  write_file (dir, "b9.png", "");
  write_file (dir, "b9.txt", "0 0.5 0.5 0.1 0.1\n");
  write_file (dir, "orphan.xml", "<annotation/>");
  assert_first_is_item_0 (dir, FALSE);
  write_file (dir, "A/a1.jpg", "");
  assert_first_is_item_0 (dir, TRUE);
  /* the class file told is the dataset's: a YAML named after the dataset, and data.yaml before
   * classes.txt (the window's own lookup, classes.txt first, coloured the first image apart) */
  write_file (dir, "coco8.yaml", "names:\n  0: cat\n");
  assert_first_is_item_0 (dir, FALSE);
  write_file (dir, "classes.txt", "dog\n");
  write_file (dir, "data.yaml", "names:\n  0: cat\n");
  assert_first_is_item_0 (dir, FALSE);

  /* no image: not called */
  bm_test_remove_tree (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  write_file (dir, "only.xml", "<annotation/>");
  empty = bm_dataset_open_with_first (dir, FALSE, first_cb, &none, NULL);
  g_assert_cmpuint (bm_dataset_get_n_items (empty), ==, 1);
  g_assert_cmpuint (none.calls, ==, 0);
  bm_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dataset/voc-lowercase", test_voc_lowercase_layout);
  g_test_add_func ("/dataset/voc-annotations-jpegimages", test_voc_annotations_jpegimages);
  g_test_add_func ("/dataset/dota-orphans", test_dota_layout_with_orphans);
  g_test_add_func ("/dataset/flat-dota-no-images", test_flat_dota_labels_without_images);
  g_test_add_func ("/dataset/yolo-ultralytics", test_yolo_ultralytics);
  g_test_add_func ("/dataset/yolo-roboflow", test_yolo_roboflow);
  g_test_add_func ("/dataset/flat-mixed", test_flat_mixed_and_open_by_image);
  g_test_add_func ("/dataset/same-stem", test_same_stem_images_share_nothing_silently);
  g_test_add_func ("/dataset/sniff-numeric-dota", test_sniff_dota_with_numeric_classes);
  g_test_add_func ("/dataset/missing", test_missing_folder);
  g_test_add_func ("/dataset/sort-keys-natural", test_sort_keys_are_natural_order);
  g_test_add_func ("/dataset/first-item", test_first_item_before_sorting);
  return g_test_run ();
}
