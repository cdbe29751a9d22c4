/* test-label-io.c: loading and saving through the dataset, whatever the format: conflicts with
 * other programs, shared label files, layouts that decide the format, the verified sidecar.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-image.h"
#include "dataset/bm-dataset-root.h"
#include "formats/bm-label-io.h"
#include "tests/bm-test-util.h"

static char *
make_dir (const char *parent, const char *name)
{
  char *dir = g_build_filename (parent, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
write_png (const char *dir, const char *name, int width, int height)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(BmImage) image = bm_image_new (width, height, 3);

  g_assert_true (bm_image_save (image, path, 90, NULL));
}


static const char voc_one_box[] =
  "<annotation>\n\t<filename>a.png</filename>\n\t<size>\n\t\t<width>40</width>\n"
  "\t\t<height>30</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<object>\n\t\t<name>car</name>\n"
  "\t\t<bndbox>\n\t\t\t<xmin>1</xmin>\n\t\t\t<ymin>2</ymin>\n\t\t\t<xmax>10</xmax>\n"
  "\t\t\t<ymax>20</ymax>\n\t\t</bndbox>\n\t</object>\n</annotation>\n";

static void
test_save_refuses_file_changed_on_disk (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (root, "a.xml", NULL);
  g_autofree char *other = g_strdup ("<annotation><!-- a colleague's work --></annotation>\n");
  g_autofree char *on_disk = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmAnnotation) reloaded = NULL;
  g_autoptr(GError) error = NULL;

  write_png (root, "a.png", 40, 30);
  write_file (root, "a.xml", voc_one_box);
  dataset = bm_dataset_open (root, FALSE, NULL);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, 1);

  /* Another program (detect --write, a colleague) saves over the file meanwhile. */
  g_usleep (10000);
  write_file (root, "a.xml", other);
  bm_annotation_set_verified (annotation, TRUE);
  g_assert_false (bm_label_save (annotation, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, label));
  on_disk = read_file (label);
  g_assert_cmpstr (on_disk, ==, other);

  /* After a reload the save goes through, and saving twice in a row is no conflict. */
  g_clear_error (&error);
  reloaded = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  bm_annotation_set_verified (reloaded, TRUE);
  g_assert_true (bm_label_save (reloaded, &error));
  bm_annotation_set_verified (reloaded, FALSE);
  g_assert_true (bm_label_save (reloaded, &error));
  g_assert_no_error (error);
  bm_test_remove_tree (root);
}

static void
test_save_refuses_label_created_meanwhile (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autofree char *label = g_build_filename (root, "a.xml", NULL);
  g_autofree char *on_disk = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;

  write_png (root, "a.png", 40, 30);
  dataset = bm_dataset_open (root, FALSE, NULL);
  g_assert_false (bm_dataset_get_item (dataset, 0)->has_label);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (bm_annotation_get_width (annotation), ==, 40);

  write_file (root, "a.xml", voc_one_box);
  bm_annotation_set_verified (annotation, TRUE);
  g_assert_false (bm_label_save (annotation, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  on_disk = read_file (label);
  g_assert_cmpstr (on_disk, ==, voc_one_box);
  bm_test_remove_tree (root);
}

/* The dataset was scanned before the first label file of an image was saved: loading again must
 * find that file, not start empty. */
static void
test_first_save_is_found_again (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmAnnotation) again = NULL;
  g_autoptr(BmObject) object = NULL;
  g_autoptr(GError) error = NULL;
  BmShape shape;

  write_png (root, "a.png", 40, 30);
  dataset = bm_dataset_open (root, FALSE, NULL);
  g_assert_false (bm_dataset_get_item (dataset, 0)->has_label);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  bm_shape_init_box (&shape, 1, 2, 10, 20);
  object = bm_object_new ("car", &shape);
  bm_annotation_add_object (annotation, object);
  g_assert_true (bm_label_save (annotation, &error));
  g_assert_no_error (error);

  again = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (again), ==, 1);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (again, 0)), ==, "car");
  bm_test_remove_tree (root);
}

static void
test_shared_label_is_read_only (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  write_png (root, "a.png", 40, 30);
  write_png (root, "a.jpg", 40, 30);
  write_file (root, "a.xml", voc_one_box);
  dataset = bm_dataset_open (root, FALSE, NULL);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  g_assert_true (bm_annotation_is_read_only (annotation));
  text = bm_problem_to_string (g_ptr_array_index (bm_annotation_get_problems (annotation), 0));
  g_assert_nonnull (strstr (text, "more than one image"));
  g_assert_false (bm_label_save (annotation, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_READ_ONLY);
  bm_test_remove_tree (root);
}

static void
test_dota_layout_decides_format (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autofree char *images = make_dir (root, "images");
  g_autofree char *labels = make_dir (root, "labelTxt");
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  const BmShape *shape;

  /* Numeric class names: every token is a number, but labelTxt/ says DOTA. */
  write_png (images, "p1.png", 1000, 1000);
  write_file (labels, "p1.txt", "10 20 300 20 300 400 10 400 5\n");
  dataset = bm_dataset_open (root, FALSE, NULL);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (bm_annotation_get_format (annotation), ==, BM_FORMAT_DOTA);
  g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, 1);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (annotation, 0)), ==, "5");
  shape = bm_object_get_shape (bm_annotation_get_object (annotation, 0));
  g_assert_cmpfloat (shape->p[2].x, ==, 300);
  g_assert_cmpfloat (shape->p[2].y, ==, 400);
  bm_test_remove_tree (root);
}

static void
test_dota_verified_sidecar (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autofree char *images = make_dir (root, "images");
  g_autofree char *labels = make_dir (root, "labelTxt");
  g_autofree char *label = g_build_filename (labels, "p1.txt", NULL);
  g_autofree char *sidecar = g_build_filename (labels, ".boxmark-verified", NULL);
  const char dota[] = "imagesource:GoogleEarth\ngsd:null\n1 1 9 1 9 9 1 9 ship 0\n";
  g_autofree char *after = NULL;
  g_autofree char *listed = NULL;
  g_autoptr(BmDataset) dataset = NULL;
  g_autoptr(BmAnnotation) annotation = NULL;
  g_autoptr(BmAnnotation) again = NULL;
  g_autoptr(GError) error = NULL;

  write_png (images, "p1.png", 20, 20);
  write_file (labels, "p1.txt", dota);
  dataset = bm_dataset_open (root, FALSE, NULL);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_no_error (error);
  g_assert_false (bm_annotation_get_verified (annotation));
  bm_annotation_set_verified (annotation, TRUE);
  g_assert_true (bm_label_save (annotation, &error));
  g_assert_no_error (error);

  /* The DOTA file stays standard, byte for byte; the flag lives in the sidecar. */
  after = read_file (label);
  g_assert_cmpstr (after, ==, dota);
  listed = read_file (sidecar);
  g_assert_cmpstr (listed, ==, "p1.txt\n");
  again = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_true (bm_annotation_get_verified (again));

  /* Un-verifying the last listed file removes the sidecar: no empty stray file is left. */
  bm_annotation_set_verified (again, FALSE);
  g_assert_true (bm_label_save (again, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (sidecar, G_FILE_TEST_EXISTS));
  g_clear_object (&annotation);
  annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
  g_assert_false (bm_annotation_get_verified (annotation));
  /* ... and un-verifying one of two keeps the other listed */
  g_assert_true (bm_label_sidecar_set_verified (label, TRUE, &error));
  {
    g_autofree char *other = g_build_filename (labels, "p2.txt", NULL);
    g_autofree char *left = NULL;

    g_assert_true (bm_label_sidecar_set_verified (other, TRUE, &error));
    g_assert_true (bm_label_sidecar_set_verified (label, FALSE, &error));
    left = read_file (sidecar);
    g_assert_cmpstr (left, ==, "p2.txt\n");
  }
  bm_test_remove_tree (root);
}

/* A detector's boxes saved into a DOTA or YOLO dataset come back as pre-annotations with their
 * scores (bm_label_save / bm_label_load, the way detect --write and the window save). */
static void
test_pre_annotations_survive_save_and_reload (void)
{
  static const char *const layouts[] = { "labelTxt", "labels" };

  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
      g_autofree char *images = make_dir (root, "images");
      g_autofree char *labels = make_dir (root, layouts[l]);
      g_autoptr(BmDataset) dataset = NULL;
      g_autoptr(BmAnnotation) annotation = NULL;
      g_autoptr(BmAnnotation) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BmObject) object = NULL;
      BmShape shape;

      write_png (images, "p1.png", 40, 40);
      if (l == 1)
        write_file (root, "classes.txt", "face\n");
      dataset = bm_dataset_open (root, FALSE, &error);
      g_assert_no_error (error);
      annotation = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
      g_assert_no_error (error);
      g_assert_cmpint (bm_annotation_get_format (annotation), ==, l == 0 ? BM_FORMAT_DOTA : BM_FORMAT_YOLO);
      bm_shape_init_box (&shape, 4, 4, 20, 20);
      if (l == 0)
        {
          double xy[8] = { 4, 4, 20, 4, 20, 20, 4, 20 };
          bm_shape_init_quad (&shape, xy);
        }
      object = bm_object_new ("face", &shape);
      bm_object_set_score (object, 17);
      bm_object_set_pre_annotation (object, TRUE);
      bm_annotation_add_object (annotation, object);
      g_assert_true (bm_label_save (annotation, &error));
      g_assert_no_error (error);

      again = bm_label_load (bm_dataset_get_item (dataset, 0), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (bm_annotation_get_n_objects (again), ==, 1);
      g_assert_true (bm_object_get_pre_annotation (bm_annotation_get_object (again, 0)));
      g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (again, 0)), ==, 17);
      g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (again, 0)), ==, "face");
      bm_test_remove_tree (root);
    }
}

/* An image named alone opens inside its dataset: VOC, DOTA, Ultralytics and Roboflow YOLO,
 * flat; its labels are the dataset's, and a new label file goes to the label folder. */
static void
test_image_opens_inside_its_dataset (void)
{
  static const struct { const char *dataset, *image, *label; guint n_objects; BmLayout layout; } cases[] = {
    { "voc/raccoon_labelimg", "images/raccoon-12.jpg", "annotations/raccoon-12.xml", 2, BM_LAYOUT_VOC },
    { "dota/dota_devkit_example", "images/P0706.png", "labelTxt/P0706.txt", 536, BM_LAYOUT_DOTA },
    { "yolo/ultralytics_coco8", "images/train/000000000009.jpg", "labels/train/000000000009.txt", 8, BM_LAYOUT_YOLO },
    { "yolo/roboflow_empire_state", "valid/images/15_jpg.rf.c0303296ab7a975d5d800c2a0c5a631f.jpg",
      "valid/labels/15_jpg.rf.c0303296ab7a975d5d800c2a0c5a631f.txt", 1, BM_LAYOUT_YOLO },
    { "voc/dialects", "astronaut.jpg", "astronaut.xml", 0, BM_LAYOUT_FLAT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *source = g_build_filename (g_getenv ("BM_TESTDATA"), cases[i].dataset, NULL);
      g_autofree char *tmp = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
      g_autofree char *root = g_build_filename (tmp, "data", NULL);
      g_autofree char *image = g_build_filename (root, cases[i].image, NULL);
      g_autofree char *label = g_build_filename (root, cases[i].label, NULL);
      g_autoptr(BmDataset) dataset = NULL;
      g_autoptr(BmAnnotation) annotation = NULL;
      g_autoptr(GError) error = NULL;
      const BmDatasetItem *item;
      int index = -1;

      g_test_message ("%s", cases[i].dataset);
      bm_test_copy_dataset (source, root);
      dataset = bm_dataset_open_for_image (image, FALSE, &index, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bm_dataset_get_root (dataset), ==, root);
      g_assert_cmpint (bm_dataset_get_layout (dataset), ==, cases[i].layout);
      g_assert_cmpint (index, >=, 0);
      item = bm_dataset_get_item (dataset, (guint) index);
      g_assert_cmpstr (item->image_path, ==, image);
      g_assert_cmpstr (item->label_path, ==, label);
      annotation = bm_label_load (item, &error);
      g_assert_no_error (error);
      if (cases[i].n_objects > 0)
        g_assert_cmpuint (bm_annotation_get_n_objects (annotation), ==, cases[i].n_objects);
      bm_test_remove_tree (tmp);
    }
}

/* Whoever asks, a new label file among the images of a layout is refused and not written. */
static void
test_no_stray_label_beside_the_images (void)
{
  g_autofree char *root = g_dir_make_tmp ("bm-labelio-XXXXXX", NULL);
  g_autofree char *images = make_dir (root, "images");
  g_autofree char *annotations = make_dir (root, "annotations");
  g_autofree char *stray = g_build_filename (images, "a.xml", NULL);
  g_autofree char *proper = g_build_filename (annotations, "a.xml", NULL);
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(BmAnnotation) flat = bm_annotation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *flat_dir = make_dir (root, "flat");
  g_autofree char *flat_label = g_build_filename (flat_dir, "a.xml", NULL);

  write_png (images, "a.png", 40, 30);
  bm_annotation_set_format (annotation, BM_FORMAT_VOC);
  bm_annotation_set_label_path (annotation, stray);
  bm_annotation_set_size (annotation, 40, 30, 3);
  g_assert_false (bm_label_save (annotation, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "label folder"));
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  bm_annotation_set_label_path (annotation, proper);
  g_assert_true (bm_label_save (annotation, &error));
  g_assert_no_error (error);

  /* a flat folder is a flat folder */
  bm_annotation_set_format (flat, BM_FORMAT_VOC);
  bm_annotation_set_label_path (flat, flat_label);
  bm_annotation_set_size (flat, 40, 30, 3);
  g_assert_true (bm_label_save (flat, &error));
  g_assert_no_error (error);
  bm_test_remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/label-io/conflict-changed", test_save_refuses_file_changed_on_disk);
  g_test_add_func ("/label-io/conflict-created", test_save_refuses_label_created_meanwhile);
  g_test_add_func ("/label-io/first-save-found", test_first_save_is_found_again);
  g_test_add_func ("/label-io/shared-label", test_shared_label_is_read_only);
  g_test_add_func ("/label-io/dota-layout", test_dota_layout_decides_format);
  g_test_add_func ("/label-io/dota-sidecar", test_dota_verified_sidecar);
  g_test_add_func ("/label-io/pre-annotations-persist", test_pre_annotations_survive_save_and_reload);
  g_test_add_func ("/label-io/image-opens-inside-its-dataset", test_image_opens_inside_its_dataset);
  g_test_add_func ("/label-io/no-stray-label-beside-images", test_no_stray_label_beside_the_images);
  return g_test_run ();
}
