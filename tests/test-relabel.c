/* test-relabel.c: the class manager (dataset/bm-relabel) on copies of the test datasets — VOC,
 * CVAT VOC with labelmap.txt, DOTA, Ultralytics and Roboflow YOLO — and the class-file editor on
 * every form of class file; boxmark-cli relabel as a user runs it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "core/bm-dataset.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "dataset/bm-relabel.h"
#include "dataset/bm-relabel-classes.h"
#include "dataset/bm-relabel-journal.h"
#include "dataset/bm-shard.h"
#include "formats/bm-class-list.h"
#include "formats/bm-label-io.h"
#include "tests/bm-test-util.h"

static char *
testdata (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static char *
copy_dataset (const char *relative)
{
  g_autofree char *source = testdata (relative);
  g_autofree char *tmp = g_dir_make_tmp ("bm-relabel-XXXXXX", NULL);
  char *copy = g_build_filename (tmp, "data", NULL);

  bm_test_copy_dataset (source, copy);
  return copy;
}

static void
remove_copy (char *copy)
{
  g_autofree char *tmp = g_path_get_dirname (copy);

  bm_test_remove_tree (tmp);
  g_free (copy);
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static char *
replace_all (const char *text, const char *from, const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

static BmRelabelReport *
relabel (const char *root, const char *old_name, const char *new_name, gboolean dry_run, GError **error)
{
  g_autoptr(BmDataset) dataset = bm_dataset_open (root, TRUE, NULL);

  g_assert_nonnull (dataset);
  return bm_relabel (dataset, old_name, new_name, dry_run, NULL, error);
}

/* label → object count, over the whole dataset (read back through the formats) */
static GHashTable *
count_labels (const char *root)
{
  g_autoptr(BmDataset) dataset = bm_dataset_open (root, TRUE, NULL);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < bm_dataset_get_n_items (dataset); i++)
    {
      const BmDatasetItem *item = bm_dataset_get_item (dataset, i);
      g_autoptr(BmAnnotation) annotation = NULL;
      g_autoptr(GError) error = NULL;

      if (!item->has_label)
        continue;
      annotation = bm_label_load_full (item, BM_LABEL_LOAD_FOR_READING, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (bm_annotation_get_problems (annotation)->len, ==, 0);
      for (guint k = 0; k < bm_annotation_get_n_objects (annotation); k++)
        {
          const char *label = bm_object_get_label (bm_annotation_get_object (annotation, k));
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, label));

          g_hash_table_replace (counts, g_strdup (label), GUINT_TO_POINTER (n + 1));
        }
    }
  return counts;
}

static guint
count_of (GHashTable *counts, const char *label)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, label));
}

/* ---- class files ---- */

static char *
edit (const char *path, const char *text, const char *old_name, const char *new_name,
      int *old_id, gboolean *removed, GError **error)
{
  return bm_relabel_class_file_text (path, text, strlen (text), old_name, new_name, old_id, removed, NULL, error);
}

static void
test_class_file_forms (void)
{
  static const struct
  {
    const char *path, *text, *old_name, *new_name, *expected;
    int old_id;
    gboolean removed;
  } cases[] = {
    /* one name a line: the line changes or goes, nothing else (BOM, CRLF, spaces kept) */
    { "classes.txt", "\xEF\xBB\xBF" "car\r\nbus\r\ntruck\r\n", "car", "auto", "\xEF\xBB\xBF" "auto\r\nbus\r\ntruck\r\n", 0, FALSE },
    { "classes.txt", "car\nbus\ntruck", "truck", NULL, "car\nbus\n", 2, TRUE },
    { "predefined_classes.txt", "car\nbus\ntruck\n", "bus", "car", "car\ntruck\n", 1, TRUE },
    /* old Mac line ends, as the reader takes them */
    { "classes.txt", "car\rbus\rtruck\r", "bus", NULL, "car\rtruck\r", 1, TRUE },
    { "classes.txt", "car\rbus\rtruck", "truck", "lorry", "car\rbus\rlorry", 2, FALSE },
    /* data.yaml, block mapping: later ids move down, nc follows, comments stay */
    { "data.yaml", "# mine\npath: ../x\nnc: 3\nnames:\n  0: car # small\n  1: bus\n  2: truck\nroboflow:\n  x: 1\n",
      "car", NULL, "# mine\npath: ../x\nnc: 2\nnames:\n  0: bus\n  1: truck\nroboflow:\n  x: 1\n", 0, TRUE },
    { "data.yaml", "names:\n  0: car # small\n  1: bus\n", "car", "small car",
      "names:\n  0: small car # small\n  1: bus\n", 0, FALSE },
    { "data.yaml", "names:\n  0: car\n  1: 'bus'\n", "bus", "it's", "names:\n  0: car\n  1: \"it's\"\n", 1, FALSE },
    { "data.yaml", "nc: 1\nnames: # the only one\n  0: car\n", "car", NULL, "nc: 0\nnames: []\n", 0, TRUE },
    /* block list */
    { "data.yaml", "names:\n- car\n- bus\n- truck\nval: v\n", "bus", "truck", "names:\n- car\n- truck\nval: v\n", 1, TRUE },
    /* flow list and mapping: only the item changes; the quotes of the others stay */
    { "data.yaml", "nc: 3\nnames: ['car', 'bus', 'truck']\n", "bus", "lorry", "nc: 3\nnames: ['car', lorry, 'truck']\n", 1, FALSE },
    { "data.yaml", "nc: 3\nnames: ['car', 'bus', 'truck']\n", "bus", NULL, "nc: 2\nnames: ['car', 'truck']\n", 1, TRUE },
    { "data.yaml", "nc: 3\nnames: ['car', 'bus', 'truck']\n", "truck", NULL, "nc: 2\nnames: ['car', 'bus']\n", 2, TRUE },
    { "data.yaml", "names: {0: car, 1: bus,\n  2: truck}\n", "car", NULL, "names: {0: bus,\n  1: truck}\n", 0, TRUE },
    /* CVAT's labelmap.txt */
    { "labelmap.txt", "# label:color_rgb:parts:actions\nbackground:0,0,0::\nТарелка:0,0,128::\n", "Тарелка", "Plate",
      "# label:color_rgb:parts:actions\nbackground:0,0,0::\nPlate:0,0,128::\n", 1, FALSE },
    { "labelmap.txt", "background:0,0,0::\ncar:1,2,3::\nbus:4,5,6::\n", "car", "bus", "background:0,0,0::\nbus:4,5,6::\n", 1, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      int old_id = -2;
      gboolean removed = 99;
      g_autofree char *text = edit (cases[i].path, cases[i].text, cases[i].old_name, cases[i].new_name,
                                    &old_id, &removed, &error);

      g_test_message ("case %u", i);
      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].expected);
      g_assert_cmpint (old_id, ==, cases[i].old_id);
      g_assert_cmpint (removed, ==, cases[i].removed);
    }
}

static void
test_class_file_refusals (void)
{
  g_autoptr(GError) error = NULL;
  int old_id;
  gboolean removed;
  g_autofree char *absent = edit ("classes.txt", "car\nbus\n", "truck", "lorry", &old_id, &removed, &error);
  g_autofree char *colon = NULL, *broken = NULL, *nested = NULL;

  /* not listed: nothing to do, no error */
  g_assert_null (absent);
  g_assert_no_error (error);
  g_assert_cmpint (old_id, ==, -1);

  /* a labelmap name cannot hold ':' */
  colon = edit ("labelmap.txt", "car:1,2,3::\n", "car", "a:b", &old_id, &removed, &error);
  g_assert_null (colon);
  g_assert_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* a broken class file is reported with its line, never edited */
  broken = edit ("classes.txt", "car\n\nbus\n", "car", "auto", &old_id, &removed, &error);
  g_assert_null (broken);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "classes.txt:2:"));
  g_clear_error (&error);

  /* names that are not plain scalars are not guessed at */
  nested = edit ("data.yaml", "names: [[car], bus]\n", "bus", "lorry", &old_id, &removed, &error);
  g_assert_null (nested);
  g_assert_nonnull (error);
}

/* ---- datasets ---- */

/* labelImg's raccoons: a rename changes each <name> and nothing else; a dry run writes nothing;
 * a read-only file is skipped and named. */
static void
test_voc_rename (void)
{
  g_autofree char *source = testdata ("voc/raccoon_labelimg/annotations");
  char *root = copy_dataset ("voc/raccoon_labelimg");
  g_autofree char *annotations = g_build_filename (root, "annotations", NULL);
  g_autofree char *locked = g_build_filename (annotations, "raccoon-1.xml", NULL);
  g_autoptr(BmRelabelReport) dry = NULL;
  g_autoptr(BmRelabelReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GHashTable) counts = NULL;

  dry = relabel (root, "raccoon", "procyon", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dry->dry_run);
  g_assert_false (dry->merge);
  g_assert_cmpuint (dry->changed->len, ==, 160);
  g_assert_cmpuint (dry->n_objects, ==, 173);   /* data/raccoon_labels.csv */
  g_assert_cmpuint (bm_test_assert_same_tree (source, annotations), ==, 160);

  g_assert_cmpint (g_chmod (locked, 0444), ==, 0);
  report = relabel (root, "raccoon", "procyon", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->changed->len, ==, 159);
  g_assert_cmpuint (report->skipped->len, ==, 1);
  g_assert_cmpstr (((BmRelabelFile *) report->skipped->pdata[0])->path, ==, locked);
  g_assert_nonnull (strstr (((BmRelabelFile *) report->skipped->pdata[0])->reason, "read-only"));

  files = bm_test_list_files (source);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *before_path = g_build_filename (source, files->pdata[i], NULL);
      g_autofree char *after_path = g_build_filename (annotations, files->pdata[i], NULL);
      g_autofree char *before = read_text (before_path);
      g_autofree char *after = read_text (after_path);
      g_autofree char *expected = strcmp (after_path, locked) == 0
                                  ? g_strdup (before)
                                  : replace_all (before, "<name>raccoon</name>", "<name>procyon</name>");

      g_assert_cmpstr (after, ==, expected);
    }
  counts = count_labels (root);
  g_assert_cmpuint (count_of (counts, "procyon"), ==, 172);
  g_assert_cmpuint (count_of (counts, "raccoon"), ==, 1);
  remove_copy (root);
}

/* CVAT's export: Cyrillic names, labelmap.txt renamed with the files, then merged. */
static void
test_voc_labelmap_merge_and_delete (void)
{
  char *root = copy_dataset ("voc/cvat_zavtrak_ru");
  g_autofree char *labelmap = g_build_filename (root, "labelmap.txt", NULL);
  g_autoptr(BmRelabelReport) renamed = NULL, merged = NULL, deleted = NULL, missing = NULL;
  g_autoptr(GHashTable) before = count_labels (root);
  g_autoptr(GHashTable) after_merge = NULL, after_delete = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *map = NULL;
  guint plates = count_of (before, "Тарелка"), trays = count_of (before, "Поднос");

  g_assert_cmpuint (plates, >, 0);
  g_assert_cmpuint (trays, >, 0);
  renamed = relabel (root, "Тарелка", "Plate", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (renamed->n_objects, ==, plates);
  g_assert_cmpuint (renamed->class_files->len, ==, 1);
  map = read_text (labelmap);
  g_assert_cmpstr (map, ==, "# label:color_rgb:parts:actions\nbackground:0,0,0::\nКесадилья с курицей:128,0,0::\n"
                            "Поднос:0,128,0::\nСалфетки:128,128,0::\nPlate:0,0,128::\n");

  merged = relabel (root, "Поднос", "Plate", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (merged->merge);
  after_merge = count_labels (root);
  g_assert_cmpuint (count_of (after_merge, "Plate"), ==, plates + trays);
  g_assert_cmpuint (count_of (after_merge, "Поднос"), ==, 0);
  g_free (map);
  map = read_text (labelmap);
  g_assert_null (strstr (map, "Поднос"));
  g_assert_nonnull (strstr (map, "Plate:0,0,128::\n"));

  deleted = relabel (root, "Plate", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deleted->n_objects, ==, plates + trays);
  after_delete = count_labels (root);
  g_assert_cmpuint (count_of (after_delete, "Plate"), ==, 0);
  g_assert_cmpuint (count_of (after_delete, "Салфетки"), ==, count_of (before, "Салфетки"));

  /* a class that is nowhere: an error, nothing written */
  missing = relabel (root, "Plate", "x", FALSE, &error);
  g_assert_null (missing);
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  remove_copy (root);
}

/* DOTA_devkit's example: a rename changes only the class tokens; a delete drops the lines; a
 * name with a space is refused per file; a file with problems is skipped. */
static void
test_dota_rename_and_delete (void)
{
  g_autofree char *source = testdata ("dota/dota_devkit_example/labelTxt/P0706.txt");
  char *root = copy_dataset ("dota/dota_devkit_example");
  g_autofree char *label = g_build_filename (root, "labelTxt", "P0706.txt", NULL);
  g_autofree char *broken = g_build_filename (root, "labelTxt", "broken.txt", NULL);
  g_autofree char *original = read_text (source);
  g_autofree char *renamed_text = NULL, *expected = NULL, *deleted_text = NULL;
  g_autoptr(BmRelabelReport) spaced = NULL, renamed = NULL, deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);

  g_assert_true (g_file_set_contents (broken, "1 2 3 4 5 6 7 small-vehicle 0\n", -1, NULL));
  spaced = relabel (root, "small-vehicle", "small car", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spaced->changed->len, ==, 0);
  g_assert_cmpuint (spaced->skipped->len, >=, 1);
  renamed_text = read_text (label);
  g_assert_cmpstr (renamed_text, ==, original);

  renamed = relabel (root, "small-vehicle", "car", FALSE, &error);
  g_assert_no_error (error);
  g_free (renamed_text);
  renamed_text = read_text (label);
  expected = replace_all (original, " small-vehicle ", " car ");
  g_assert_cmpstr (renamed_text, ==, expected);
  /* the broken file (7 coordinates) may hold one in the line that could not be read */
  g_assert_cmpuint (renamed->skipped->len, ==, 1);
  g_assert_cmpstr (((BmRelabelFile *) renamed->skipped->pdata[0])->path, ==, broken);
  g_assert_nonnull (strstr (((BmRelabelFile *) renamed->skipped->pdata[0])->reason, "problems"));

  deleted = relabel (root, "car", NULL, FALSE, &error);
  g_assert_no_error (error);
  deleted_text = read_text (label);
  lines = g_strsplit (renamed_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], " car ") == NULL)
      g_string_append_printf (kept, "%s%s", lines[i], lines[i + 1] != NULL ? "\n" : "");
  g_assert_cmpstr (deleted_text, ==, kept->str);
  remove_copy (root);
}

/* Ultralytics COCO8: a rename touches only coco8.yaml; a merge moves the class's rows to the
 * other id and every id above it down by one, in the label files and in names; a read-only
 * label file whose ids would move refuses the whole request. */
static void
test_yolo_rename_merge_delete (void)
{
  char *root = copy_dataset ("yolo/ultralytics_coco8");
  g_autofree char *yaml = g_build_filename (root, "coco8.yaml", NULL);
  g_autofree char *locked = g_build_filename (root, "labels", "val", "000000000036.txt", NULL);
  g_autoptr(GHashTable) before = count_labels (root);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(BmRelabelReport) renamed = NULL, blocked = NULL, merged = NULL, deleted = NULL;
  g_autoptr(BmClassList) classes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels_before = NULL;
  g_autofree char *labels_dir = g_build_filename (root, "labels", NULL);
  g_autofree char *source_labels = testdata ("yolo/ultralytics_coco8/labels");
  GHashTableIter iter;
  gpointer key, value;

  renamed = relabel (root, "person", "human", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (renamed->changed->len, ==, 0);
  g_assert_cmpuint (renamed->class_files->len, ==, 1);
  g_assert_cmpuint (bm_test_assert_same_tree (source_labels, labels_dir), ==, 8);
  after = count_labels (root);
  g_assert_cmpuint (count_of (after, "human"), ==, count_of (before, "person"));
  g_clear_pointer (&after, g_hash_table_unref);

  /* giraffe (23) into horse (17): a file holding only higher ids is read-only → nothing moves */
  g_assert_cmpint (g_chmod (locked, 0444), ==, 0);
  blocked = relabel (root, "giraffe", "horse", FALSE, &error);
  g_assert_null (blocked);
  g_assert_error (error, BM_ERROR, BM_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, locked));
  g_clear_error (&error);
  g_assert_cmpuint (bm_test_assert_same_tree (source_labels, labels_dir), ==, 8);
  g_assert_cmpint (g_chmod (locked, 0644), ==, 0);

  merged = relabel (root, "giraffe", "horse", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (merged->merge);
  g_assert_cmpuint (merged->n_objects, ==, count_of (before, "giraffe"));
  classes = bm_class_list_load (yaml, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_list_get_n (classes), ==, 79);
  g_assert_cmpint (bm_class_list_find (classes, "giraffe"), ==, -1);
  g_assert_cmpstr (bm_class_list_get_name (classes, 23), ==, "backpack");
  /* every object keeps its class, the giraffes became horses */
  after = count_labels (root);
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *label = strcmp (key, "person") == 0 ? "human" : key;
      guint expected = GPOINTER_TO_UINT (value);

      if (strcmp (label, "giraffe") == 0)
        continue;
      if (strcmp (label, "horse") == 0)
        expected += count_of (before, "giraffe");
      g_assert_cmpuint (count_of (after, label), ==, expected);
    }
  g_assert_cmpuint (count_of (after, "giraffe"), ==, 0);
  g_clear_pointer (&after, g_hash_table_unref);

  deleted = relabel (root, "horse", NULL, FALSE, &error);
  g_assert_no_error (error);
  after = count_labels (root);
  g_assert_cmpuint (count_of (after, "horse"), ==, 0);
  g_assert_cmpuint (count_of (after, "elephant"), ==, count_of (before, "elephant"));
  remove_copy (root);
}

/* Roboflow's flow list keeps its form; a YOLO folder without a class list renames ids only. */
static void
test_yolo_roboflow_and_plain_ids (void)
{
  char *root = copy_dataset ("yolo/roboflow_empire_state");
  g_autofree char *yaml = g_build_filename (root, "data.yaml", NULL);
  g_autoptr(BmRelabelReport) renamed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("bm-relabel-ids-XXXXXX", NULL);
  g_autofree char *images = g_build_filename (tmp, "images", NULL);
  g_autofree char *labels = g_build_filename (tmp, "labels", NULL);
  g_autofree char *label = g_build_filename (labels, "a.txt", NULL);
  g_autofree char *image = g_build_filename (images, "a.png", NULL);
  g_autofree char *astronaut = testdata ("detect/astronaut.png");
  g_autoptr(BmRelabelReport) ids = NULL, named = NULL;
  g_autofree char *after = NULL;

  renamed = relabel (root, "Empire-State-building", "empire state", FALSE, &error);
  g_assert_no_error (error);
  text = read_text (yaml);
  g_assert_nonnull (strstr (text, "\nnc: 1\nnames: [empire state]\n\nroboflow:\n"));
  remove_copy (root);

  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (labels, 0755), ==, 0);
  g_assert_cmpint (symlink (astronaut, image), ==, 0);
  g_assert_true (g_file_set_contents (label, "3 0.5 0.5 0.2 0.2\n1 0.4 0.4 0.1 0.1 0.9\n3 0.1 0.1 0.1 0.1\n", -1, NULL));
  ids = relabel (tmp, "3", "1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->n_objects, ==, 2);
  after = read_text (label);
  g_assert_cmpstr (after, ==, "1 0.5 0.5 0.2 0.2\n1 0.4 0.4 0.1 0.1 0.9\n1 0.1 0.1 0.1 0.1\n");
  /* a name cannot replace an id without a class list: skipped and said */
  named = relabel (tmp, "1", "car", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (named->skipped->len, ==, 1);
  g_assert_nonnull (strstr (((BmRelabelFile *) named->skipped->pdata[0])->reason, "class list"));
  bm_test_remove_tree (tmp);
}

static void
test_bad_requests (void)
{
  char *root = copy_dataset ("voc/dialects");
  g_autoptr(GError) error = NULL;
  g_autoptr(BmRelabelReport) same = relabel (root, "person", "person", FALSE, &error);

  g_assert_null (same);
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relabel (root, "person", " person2", FALSE, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (relabel (root, "person", "a\nb", FALSE, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  remove_copy (root);
}

/* ---- boxmark-cli relabel ---- */

static int
run_cli (char **out, const char *first, ...)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;
  int status = 0;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "relabel");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli (void)
{
  char *root = copy_dataset ("voc/raccoon_labelimg");
  g_autofree char *source = testdata ("voc/raccoon_labelimg/annotations");
  g_autofree char *annotations = g_build_filename (root, "annotations", NULL);
  g_autofree char *one = g_build_filename (annotations, "raccoon-12.xml", NULL);
  g_autofree char *dry = NULL, *usage = NULL, *done = NULL, *missing = NULL;
  g_autofree char *line = NULL;

  g_assert_cmpint (run_cli (&dry, "--rename", "raccoon=procyon", "--dry-run", root, NULL), ==, 0);
  line = g_strdup_printf ("%s: 2 objects\n", one);
  g_assert_nonnull (strstr (dry, line));
  g_assert_nonnull (strstr (dry, "Dry run: would change 160 label files (173 objects)"));
  g_assert_cmpuint (bm_test_assert_same_tree (source, annotations), ==, 160);

  g_assert_cmpint (run_cli (&usage, "--rename", "raccoon", root, NULL), ==, 2);
  g_assert_cmpint (run_cli (&missing, "--delete", "zebra", root, NULL), ==, 3);

  g_assert_cmpint (g_chmod (one, 0444), ==, 0);
  g_assert_cmpint (run_cli (&done, "--delete", "raccoon", root, NULL), ==, 1);
  g_assert_nonnull (strstr (done, "Changed 159 label files (171 objects)"));
  g_assert_nonnull (strstr (done, "raccoon-12.xml: the file is read-only"));
  remove_copy (root);
}

/* ---- shards ---- */

/* `--shard K/N`: each shard changes the label files of its images only, every shard writes the
 * same class file, and the three runs in any order equal one unsharded run, file for file. A
 * YOLO renumbering is refused in shards. */
static void
test_shards (void)
{
  char *whole = copy_dataset ("voc/cvat_zavtrak_ru");
  char *sharded = copy_dataset ("voc/cvat_zavtrak_ru");
  char *yolo = copy_dataset ("yolo/ultralytics_coco8");
  g_autofree char *yolo_source = testdata ("yolo/ultralytics_coco8");
  g_autoptr(BmRelabelReport) all = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = count_labels (sharded);
  static const guint order[] = { 2, 3, 1 };
  guint n_changed = 0, n_objects = 0;

  all = relabel (whole, "Тарелка", "Plate", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->changed->len, >=, 3);
  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    {
      g_autoptr(BmDataset) dataset = bm_dataset_open (sharded, TRUE, NULL);
      g_autoptr(BmRelabelReport) part = NULL;
      BmShard shard = { order[k] - 1, 3 };
      guint in_shard = 0;

      part = bm_relabel_full (dataset, "Тарелка", "Plate", FALSE, &shard, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (part->skipped->len, ==, 0);
      /* labelmap.txt: the first shard writes it; later ones find it done (or write the same bytes) */
      g_assert_cmpuint (part->class_files->len, ==, k == 0 ? 1 : 0);
      for (guint i = 0; i < part->changed->len; i++)
        {
          const BmRelabelFile *file = g_ptr_array_index (part->changed, i);

          /* the shard of a label file is its image's */
          for (guint j = 0; j < bm_dataset_get_n_items (dataset); j++)
            {
              const BmDatasetItem *item = bm_dataset_get_item (dataset, j);

              if (g_strcmp0 (item->label_path, file->path) == 0)
                in_shard += bm_shard_contains_item (&shard, dataset, item);
            }
        }
      g_assert_cmpuint (in_shard, ==, part->changed->len);
      n_changed += part->changed->len;
      n_objects += part->n_objects;
    }
  g_assert_cmpuint (n_changed, ==, all->changed->len);
  g_assert_cmpuint (n_objects, ==, all->n_objects);
  g_assert_cmpuint (n_objects, ==, count_of (before, "Тарелка"));
  g_assert_cmpuint (bm_test_assert_same_tree (whole, sharded), >, 3);

  /* a shard run again finds nothing left: said, not an error (the N runs succeed in any order) */
  {
    g_autoptr(BmDataset) dataset = bm_dataset_open (sharded, TRUE, NULL);
    BmShard shard = { 0, 3 };

    again = bm_relabel_full (dataset, "Тарелка", "Plate", FALSE, &shard, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->changed->len, ==, 0);
    g_assert_cmpuint (again->notes->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (again->notes, 0), "nothing to do"));
  }

  /* deleting COCO's person moves every other id: not in shards; a rename (no id moves) is fine */
  {
    g_autoptr(BmDataset) dataset = bm_dataset_open (yolo, TRUE, NULL);
    g_autoptr(BmRelabelReport) refused = NULL, renamed = NULL;
    BmShard shard = { 1, 2 };

    refused = bm_relabel_full (dataset, "person", NULL, FALSE, &shard, NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED);
    g_clear_error (&error);
    g_assert_cmpuint (bm_test_assert_same_tree (yolo_source, yolo), ==, 18);
    renamed = bm_relabel_full (dataset, "person", "human", FALSE, &shard, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (renamed->class_files->len, ==, 1);
  }

  /* the command line */
  {
    g_autofree char *out = NULL, *bad = NULL, *refused = NULL;

    g_assert_cmpint (run_cli (&bad, "--delete", "Plate", "--shard", "4/3", sharded, NULL), ==, 2);
    g_assert_cmpint (run_cli (&refused, "--delete", "bicycle", "--shard", "1/2", yolo, NULL), ==, 3);
    g_assert_cmpint (run_cli (&out, "--delete", "Plate", "--shard", "2/2", "--dry-run", sharded, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Dry run: would change"));
  }
  remove_copy (whole);
  remove_copy (sharded);
  remove_copy (yolo);
}

/* ---- the journal of a renumbering ---- */

/* The label and class files below @root (not images) as journal entries taking them from their
 * bytes to those of the same files below @target; the texts stay in @keep. */
static GArray *
journal_entries (const char *root, const char *target, GPtrArray *keep)
{
  g_autoptr(GPtrArray) files = bm_test_list_files (root);
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (BmRelabelJournalEntry));

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      char *path = g_build_filename (root, rel, NULL);
      g_autofree char *target_path = g_build_filename (target, rel, NULL);
      char *old_data = NULL, *new_data = NULL;
      gsize old_length = 0, new_length = 0;
      BmRelabelJournalEntry e;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || (!g_str_has_suffix (rel, ".txt") && !g_str_has_suffix (rel, ".yaml")))
        {
          g_free (path);
          continue;
        }
      g_assert_true (g_file_get_contents (path, &old_data, &old_length, NULL));
      g_assert_true (g_file_get_contents (target_path, &new_data, &new_length, NULL));
      g_ptr_array_add (keep, path);
      g_ptr_array_add (keep, old_data);
      g_ptr_array_add (keep, new_data);
      e = (BmRelabelJournalEntry) { path, old_data, old_length, new_data, new_length };
      g_array_append_val (entries, e);
    }
  return entries;
}

/* A YOLO renumbering killed after half its files: the next relabel finishes it from the journal
 * (a file someone changed meanwhile is left alone and said), or, when it was putting its files
 * back, puts the rest back; a dry run only says a run was interrupted. */
static void
test_journal_recovery (void)
{
  char *reference = copy_dataset ("yolo/ultralytics_coco8");
  char *killed = copy_dataset ("yolo/ultralytics_coco8");
  char *backing = copy_dataset ("yolo/ultralytics_coco8");
  g_autofree char *source = testdata ("yolo/ultralytics_coco8");
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BmRelabelReport) done = NULL, finished = NULL, dry = NULL, missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = bm_relabel_journal_path (killed);
  g_autofree char *back_journal = bm_relabel_journal_path (backing);
  g_autofree char *meddled = g_build_filename (killed, "labels", "val", "000000000036.txt", NULL);
  g_autofree char *meddled_reference = g_build_filename (reference, "labels", "val", "000000000036.txt", NULL);
  g_autofree char *reference_journal = bm_relabel_journal_path (reference);
  g_autofree char *meddled_text = NULL, *reference_text = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GArray) back_entries = NULL;
  gboolean noted_finish = FALSE, noted_meddled = FALSE;

  done = relabel (reference, "person", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (reference_journal, G_FILE_TEST_EXISTS));

  /* killed after writing the first half of the files; someone edits one of the others */
  entries = journal_entries (killed, reference, keep);
  g_assert_cmpuint (entries->len, ==, 9);   /* 8 label files and coco8.yaml */
  g_assert_true (bm_relabel_journal_write (journal, "person", NULL, FALSE, entries, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len / 2; i++)
    {
      const BmRelabelJournalEntry *e = &g_array_index (entries, BmRelabelJournalEntry, i);

      g_assert_true (g_file_set_contents (e->path, e->new_data, (gssize) e->new_length, NULL));
    }
  g_assert_true (g_file_set_contents (meddled, "3 0.5 0.5 0.1 0.1\n", -1, NULL));

  dry = relabel (killed, "person", NULL, TRUE, &error);
  g_assert_null (dry);
  g_assert_error (error, BM_ERROR, BM_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "interrupted"));
  g_clear_error (&error);

  finished = relabel (killed, "person", NULL, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < finished->notes->len; i++)
    {
      const char *note = g_ptr_array_index (finished->notes, i);

      noted_finish |= strstr (note, "was finished") != NULL;
      noted_meddled |= strstr (note, meddled) != NULL && strstr (note, "changed by another program") != NULL;
    }
  g_assert_true (noted_finish);
  g_assert_true (noted_meddled);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  meddled_text = read_text (meddled);
  g_assert_cmpstr (meddled_text, ==, "3 0.5 0.5 0.1 0.1\n");
  /* every other file as the uninterrupted run wrote it */
  reference_text = read_text (meddled_reference);
  g_assert_true (g_file_set_contents (meddled, reference_text, -1, NULL));
  g_assert_cmpuint (bm_test_assert_same_tree (reference, killed), ==, 18);

  /* killed while putting back: the rest is put back, then the request runs as asked */
  back_entries = journal_entries (backing, reference, keep);
  for (guint i = 0; i < back_entries->len / 2; i++)
    {
      const BmRelabelJournalEntry *e = &g_array_index (back_entries, BmRelabelJournalEntry, i);

      g_assert_true (g_file_set_contents (e->path, e->new_data, (gssize) e->new_length, NULL));
    }
  g_assert_true (bm_relabel_journal_write (back_journal, "person", NULL, TRUE, back_entries, &error));
  missing = relabel (backing, "unicorn", "okapi", FALSE, &error);
  g_assert_null (missing);
  g_assert_error (error, BM_ERROR, BM_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (back_journal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (bm_test_assert_same_tree (source, backing), ==, 18);

  /* a damaged journal (cut short): nothing is touched, the journal stays, the error names it */
  {
    g_autofree char *damaged = NULL;
    gsize length = 0;
    g_autoptr(BmRelabelReport) refused = NULL;
    g_autofree char *source_labels = NULL, *backing_labels = NULL;

    g_assert_true (bm_relabel_journal_write (back_journal, "person", NULL, FALSE, back_entries, &error));
    g_assert_true (g_file_get_contents (back_journal, &damaged, &length, NULL));
    g_assert_true (g_file_set_contents (back_journal, damaged, (gssize) (length / 2), NULL));
    refused = relabel (backing, "person", NULL, FALSE, &error);
    g_assert_null (refused);
    g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, back_journal));
    g_clear_error (&error);
    g_assert_true (g_file_test (back_journal, G_FILE_TEST_EXISTS));
    source_labels = g_build_filename (source, "labels", NULL);
    backing_labels = g_build_filename (backing, "labels", NULL);
    g_assert_cmpuint (bm_test_assert_same_tree (source_labels, backing_labels), ==, 8);
  }

  remove_copy (reference);
  remove_copy (killed);
  remove_copy (backing);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/relabel/class-file/forms", test_class_file_forms);
  g_test_add_func ("/relabel/class-file/refusals", test_class_file_refusals);
  g_test_add_func ("/relabel/voc/rename", test_voc_rename);
  g_test_add_func ("/relabel/voc/labelmap-merge-delete", test_voc_labelmap_merge_and_delete);
  g_test_add_func ("/relabel/dota/rename-delete", test_dota_rename_and_delete);
  g_test_add_func ("/relabel/yolo/rename-merge-delete", test_yolo_rename_merge_delete);
  g_test_add_func ("/relabel/yolo/roboflow-and-plain-ids", test_yolo_roboflow_and_plain_ids);
  g_test_add_func ("/relabel/bad-requests", test_bad_requests);
  g_test_add_func ("/relabel/cli", test_cli);
  g_test_add_func ("/relabel/shards", test_shards);
  g_test_add_func ("/relabel/journal-recovery", test_journal_recovery);
  return g_test_run ();
}
