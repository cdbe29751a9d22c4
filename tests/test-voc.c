/* test-voc.c: the Pascal VOC reader and its lossless writer, on real files from other tools.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "formats/bm-voc.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers */

static char *
testdata (const char *relative)
{
  const char *root = g_getenv ("BM_TESTDATA");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static char *
read_file (const char *path, gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static void
collect_xml (const char *dir, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_xml (path, out);
      else if (g_str_has_suffix (name, ".xml"))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
all_voc_files (void)
{
  g_autofree char *dir = testdata ("voc");
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  collect_xml (dir, files);
  g_ptr_array_sort (files, compare_strings);
  return files;
}

static BmAnnotation *
load_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  BmAnnotation *a = bm_voc_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  g_assert_false (bm_annotation_is_read_only (a));
  return a;
}

static char *
to_data (BmAnnotation *a, gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *data = bm_voc_to_data (a, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static BmAnnotation *
reload (const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  BmAnnotation *a = bm_voc_load_data (data, length, "reloaded.xml", &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  if (bm_annotation_get_problems (a)->len > 0)
    {
      g_autofree char *s = bm_problem_to_string (g_ptr_array_index (bm_annotation_get_problems (a), 0));
      g_test_message ("%s\n%s", s, data);
    }
  g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 0);
  return a;
}

/* The byte ranges of each top-level <object>…</object> in @data. */
static GPtrArray *
object_chunks (const char *data)
{
  GPtrArray *chunks = g_ptr_array_new_with_free_func (g_free);
  const char *p = data;

  while ((p = strstr (p, "<object>")) != NULL)
    {
      const char *end = strstr (p, "</object>");

      g_assert_nonnull (end);
      end += strlen ("</object>");
      g_ptr_array_add (chunks, g_strndup (p, end - p));
      p = end;
    }
  return chunks;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-voc-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
copy_to (const char *source, const char *dir)
{
  gsize length;
  g_autofree char *contents = read_file (source, &length);
  g_autofree char *base = g_path_get_basename (source);
  char *dest = g_build_filename (dir, base, NULL);

  g_assert_true (g_file_set_contents (dest, contents, length, NULL));
  return dest;
}

static void
assert_box (BmObject *o, double xmin, double ymin, double xmax, double ymax)
{
  const BmShape *s = bm_object_get_shape (o);
  BmRect r = bm_shape_bounds (s);

  g_assert_cmpint (s->kind, ==, BM_SHAPE_BOX);
  g_assert_cmpfloat (r.x1, ==, xmin);
  g_assert_cmpfloat (r.y1, ==, ymin);
  g_assert_cmpfloat (r.x2, ==, xmax);
  g_assert_cmpfloat (r.y2, ==, ymax);
}

static void
assert_shape_near (const BmShape *a, const BmShape *b, double tolerance)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpfloat_with_epsilon (a->p[i].x, b->p[i].x, tolerance);
      g_assert_cmpfloat_with_epsilon (a->p[i].y, b->p[i].y, tolerance);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Every file in voc/ */

static void
test_all_files_load_and_round_trip (void)
{
  g_autoptr(GPtrArray) files = all_voc_files ();

  g_assert_cmpuint (files->len, >=, 180);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(BmAnnotation) a = load_ok (path);
      g_autofree char *original = NULL;
      g_autofree char *saved = NULL;
      gsize original_length, saved_length;

      g_assert_cmpint (bm_annotation_get_format (a), ==, BM_FORMAT_VOC);
      g_assert_cmpstr (bm_annotation_get_label_path (a), ==, path);
      g_assert_cmpuint (bm_annotation_get_n_objects (a), >, 0);
      original = read_file (path, &original_length);
      saved = to_data (a, &saved_length);
      g_assert_cmpmem (saved, saved_length, original, original_length);
    }
}

/* Flipping verified on every file changes the root start tag and nothing else: this goes
 * through the node-by-node writer, not the unchanged shortcut. */
static void
test_all_files_only_root_tag_changes (void)
{
  g_autoptr(GPtrArray) files = all_voc_files ();

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(BmAnnotation) a = load_ok (path);
      g_autoptr(BmAnnotation) again = NULL;
      g_autofree char *original = NULL;
      g_autofree char *saved = NULL;
      gsize original_length, saved_length;
      const char *orig_root, *saved_root, *orig_rest, *saved_rest;
      gboolean verified = bm_annotation_get_verified (a);

      original = read_file (path, &original_length);
      bm_annotation_set_verified (a, !verified);
      saved = to_data (a, &saved_length);

      orig_root = strstr (original, "<annotation");
      saved_root = strstr (saved, "<annotation");
      g_assert_nonnull (orig_root);
      g_assert_nonnull (saved_root);
      g_assert_cmpmem (original, orig_root - original, saved, saved_root - saved);
      orig_rest = strchr (orig_root, '>');
      saved_rest = strchr (saved_root, '>');
      g_assert_cmpstr (orig_rest, ==, saved_rest);

      again = reload (saved, saved_length);
      g_assert_cmpint (bm_annotation_get_verified (again), ==, !verified);
      g_assert_cmpuint (bm_annotation_get_n_objects (again), ==, bm_annotation_get_n_objects (a));
      for (guint k = 0; k < bm_annotation_get_n_objects (a); k++)
        g_assert_true (bm_object_content_equal (bm_annotation_get_object (a, k),
                                                bm_annotation_get_object (again, k)));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* raccoon: boxes equal the dataset's own CSV export */

static void
test_raccoon_matches_csv (void)
{
  g_autofree char *csv_path = testdata ("voc/raccoon_labelimg/data/train_labels.csv");
  g_autofree char *dir = testdata ("voc/raccoon_labelimg/annotations");
  gsize length;
  g_autofree char *csv = read_file (csv_path, &length);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0, boxes = 0, csv_rows = 0;

  g_assert_cmpstr (lines[0], ==, "filename,width,height,class,xmin,ymin,xmax,ymax");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      GPtrArray *list;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 8);
      list = g_hash_table_lookup (rows, f[0]);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (rows, g_strdup (f[0]), list);
        }
      g_ptr_array_add (list, g_strjoinv (",", f + 1));
      csv_rows++;
    }

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *stem = g_strndup (name, strlen (name) - 4);
      g_autofree char *image = g_strconcat (stem, ".jpg", NULL);
      g_autoptr(BmAnnotation) a = load_ok (path);
      GPtrArray *expected = g_hash_table_lookup (rows, image);

      g_assert_nonnull (expected);
      g_assert_cmpuint (expected->len, ==, bm_annotation_get_n_objects (a));
      for (guint k = 0; k < bm_annotation_get_n_objects (a); k++)
        {
          BmObject *o = bm_annotation_get_object (a, k);
          BmRect r = bm_shape_bounds (bm_object_get_shape (o));
          g_autofree char *row = g_strdup_printf ("%d,%d,%s,%g,%g,%g,%g",
                                                  bm_annotation_get_width (a), bm_annotation_get_height (a),
                                                  bm_object_get_label (o), r.x1, r.y1, r.x2, r.y2);
          guint index;

          g_assert_true (g_ptr_array_find_with_equal_func (expected, row, g_str_equal, &index));
          g_ptr_array_remove_index (expected, index);
          boxes++;
        }
      files++;
    }
  g_assert_cmpuint (files, ==, 160);
  g_assert_cmpuint (boxes, ==, csv_rows);
}

/* ------------------------------------------------------------------------------------------ */
/* Dialects: what each one means */

static void
test_rolabelimg_rotated_box (void)
{
  g_autofree char *path = testdata ("voc/dialects/rolabelimg.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  BmObject *flag;
  const BmShape *s;
  double cx = 452.5, cy = 136.25, hw = 100.0 / 2, hh = 60.5 / 2, angle = 0.523599;
  const double offsets[4][2] = { { -hw, -hh }, { hw, -hh }, { hw, hh }, { -hw, hh } };

  g_assert_false (bm_annotation_get_verified (a));
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 2);
  assert_box (bm_annotation_get_object (a, 0), 176, 41, 288, 153);
  flag = bm_annotation_get_object (a, 1);
  g_assert_cmpstr (bm_object_get_label (flag), ==, "flag");
  g_assert_cmpint (bm_object_get_difficult (flag), ==, 1);
  s = bm_object_get_shape (flag);
  g_assert_cmpint (s->kind, ==, BM_SHAPE_ROTATED);

  /* roLabelImg's reader: each corner (cx ± w/2, cy ± h/2), in the order p0 (-,-), p1 (+,-),
   * p2 (+,+), p3 (-,+), turned about the centre by rotatePoint(…, -angle), i.e.
   * x' = cos(a)·dx − sin(a)·dy, y' = sin(a)·dx + cos(a)·dy: clockwise on screen. */
  for (int i = 0; i < 4; i++)
    {
      double dx = offsets[i][0], dy = offsets[i][1];
      double x = cx + cos (-angle) * dx + sin (-angle) * dy;
      double y = cy - sin (-angle) * dx + cos (-angle) * dy;

      g_assert_cmpfloat_with_epsilon (s->p[i].x, x, 1e-9);
      g_assert_cmpfloat_with_epsilon (s->p[i].y, y, 1e-9);
    }
  /* Clockwise on screen: the width edge p0→p1 points down-right. */
  g_assert_cmpfloat (s->p[1].y, >, s->p[0].y);
}

static void
test_cvat_attributes_and_floats (void)
{
  g_autofree char *path = testdata ("voc/dialects/cvat_rotated_attributes.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  BmObject *o = bm_annotation_get_object (a, 0);
  const char *key, *value;

  g_assert_cmpint (bm_annotation_get_width (a), ==, 512);
  g_assert_cmpint (bm_annotation_get_height (a), ==, 512);
  g_assert_cmpint (bm_annotation_get_depth (a), ==, 0);
  assert_box (o, 176.5, 41.25, 288.75, 153.0);
  g_assert_false (bm_object_get_occluded (o));
  g_assert_cmpuint (bm_object_get_n_attributes (o), ==, 2);
  bm_object_get_attribute_nth (o, 0, &key, &value);
  g_assert_cmpstr (key, ==, "rotation");
  g_assert_cmpstr (value, ==, "15.0");
  g_assert_cmpstr (bm_object_get_attribute (o, "mood"), ==, "calm");
}

static void
test_labelme_xanylabeling_labelimg_dialects (void)
{
  g_autofree char *labelme = testdata ("voc/dialects/labelme2voc.xml");
  g_autofree char *xany = testdata ("voc/dialects/xanylabeling.xml");
  g_autofree char *unicode = testdata ("voc/dialects/labelimg_verified_unicode.xml");
  g_autofree char *cyrillic = testdata ("voc/cvat_zavtrak_ru/Annotations/photo_2022-03-20_15-49-33.xml");
  g_autoptr(BmAnnotation) a = load_ok (labelme);
  g_autoptr(BmAnnotation) b = load_ok (xany);
  g_autoptr(BmAnnotation) c = load_ok (unicode);
  g_autoptr(BmAnnotation) d = load_ok (cyrillic);
  BmObject *o;

  g_assert_cmpint (bm_annotation_get_width (a), ==, 512);
  g_assert_cmpint (bm_annotation_get_height (a), ==, 512);
  o = bm_annotation_get_object (a, 0);
  assert_box (o, 176.36900369003689, 41.12546125461255, 288.0, 153.80073800738006);
  g_assert_false (bm_object_get_truncated (o));
  g_assert_cmpint (bm_object_get_difficult (o), ==, 0);

  o = bm_annotation_get_object (b, 1);
  g_assert_cmpstr (bm_object_get_label (o), ==, "helmet");
  g_assert_true (bm_object_get_truncated (o));
  g_assert_true (bm_object_get_occluded (o));
  assert_box (o, 150, 0, 330, 190);

  g_assert_true (bm_annotation_get_verified (c));
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (c, 0)), ==, "\xe5\xae\x87\xe8\x88\xaa\xe5\x91\x98");
  assert_box (bm_annotation_get_object (c, 0), 1, 1, 512, 512);
  g_assert_true (bm_object_get_truncated (bm_annotation_get_object (c, 0)));

  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (d, 0)), ==,
                   "Кесадилья с курицей");
  assert_box (bm_annotation_get_object (d, 0), 90.87, 441.97, 374.71, 675.19);
}

static const char polygon_xml[] =
  "<?xml version=\"1.0\" ?>\n"
  "<annotation>\n"
  "  <filename>a.jpg</filename>\n"
  "  <object>\n"
  "    <name>sign</name>\n"
  "    <bndbox>\n      <xmin>10</xmin>\n      <ymin>10</ymin>\n      <xmax>50</xmax>\n      <ymax>40</ymax>\n    </bndbox>\n"
  "    <polygon>\n      <x1>10</x1>\n      <y1>20</y1>\n      <x2>40</x2>\n      <y2>10</y2>\n"
  "      <x3>50</x3>\n      <y3>30</y3>\n      <x4>20</x4>\n      <y4>40</y4>\n    </polygon>\n"
  "  </object>\n"
  "  <object>\n"
  "    <name>blob</name>\n"
  "    <bndbox>\n      <xmin>1</xmin>\n      <ymin>2</ymin>\n      <xmax>3</xmax>\n      <ymax>4</ymax>\n    </bndbox>\n"
  "    <polygon><x1>1</x1><y1>2</y1><x2>3</x2><y2>2</y2><x3>3</x3><y3>4</y3><x4>2</x4><y4>4</y4><x5>1</x5><y5>3</y5></polygon>\n"
  "  </object>\n"
  "</annotation>\n";

static void
test_xanylabeling_polygon (void)
{
  g_autoptr(BmAnnotation) a = reload (polygon_xml, strlen (polygon_xml));
  const BmShape *s = bm_object_get_shape (bm_annotation_get_object (a, 0));
  g_autofree char *saved = NULL;
  gsize length;

  g_assert_cmpint (s->kind, ==, BM_SHAPE_QUAD);
  g_assert_cmpfloat (s->p[0].x, ==, 10);
  g_assert_cmpfloat (s->p[0].y, ==, 20);
  g_assert_cmpfloat (s->p[3].x, ==, 20);
  g_assert_cmpfloat (s->p[3].y, ==, 40);
  /* A 5-point polygon is not a quad: the box stands, the polygon is kept as it is. */
  assert_box (bm_annotation_get_object (a, 1), 1, 2, 3, 4);
  saved = to_data (a, &length);
  g_assert_cmpstr (saved, ==, polygon_xml);

  /* Moving the quad moves its polygon and its box; moving the other keeps its 5 points. */
  {
    g_autoptr(BmAnnotation) b = NULL;
    g_autofree char *moved = NULL;
    BmShape q = *s;

    bm_shape_translate (&q, 0.5, 1);
    bm_object_set_shape (bm_annotation_get_object (a, 0), &q);
    {
      BmShape box = *bm_object_get_shape (bm_annotation_get_object (a, 1));
      bm_shape_translate (&box, 1, 1);
      bm_object_set_shape (bm_annotation_get_object (a, 1), &box);
    }
    moved = to_data (a, &length);
    g_assert_nonnull (strstr (moved, "<x1>10.5</x1>\n      <y1>21</y1>"));
    g_assert_nonnull (strstr (moved, "<xmin>10.5</xmin>\n      <ymin>11</ymin>\n      <xmax>50.5</xmax>\n      <ymax>41</ymax>"));
    g_assert_nonnull (strstr (moved, "<x5>1</x5><y5>3</y5></polygon>"));
    b = reload (moved, length);
    g_assert_true (bm_shape_equal (bm_object_get_shape (bm_annotation_get_object (b, 0)), &q));
    assert_box (bm_annotation_get_object (b, 1), 2, 3, 4, 5);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Edits: move one, add one, delete one */

typedef struct
{
  const char *file;
  const char *unit;             /* expected indentation of a new object */
  const char *const *keep;      /* strings that must survive */
} EditCase;

static const char *const keep_unicode[] = {
  "<annotation verified=\"yes\">", "<!-- reviewed twice -->",
  "<extra_note>kept by a lossless writer</extra_note>", "<pose>Frontal</pose>",
  "<path>/home/\xe7\x94\xa8\xe6\x88\xb7/\xe6\x95\xb0\xe6\x8d\xae/astronaut.jpg</path>", NULL };
static const char *const keep_rolabelimg[] = {
  "<annotation verified=\"no\">", "<filename>astronaut</filename>", "<type>bndbox</type>",
  "<type>robndbox</type>", NULL };
static const char *const keep_xany[] = {
  "<?xml version=\"1.0\" ?>\n<annotation>", "<database>https://github.com/CVHub520/X-AnyLabeling</database>",
  "<occluded>1</occluded>", NULL };
static const char *const keep_labelme[] = {
  "<folder/>", "<database/>", "<annotation/>", "<image/>", "<segmented/>",
  "<height>512</height>\n    <width>512</width>", "<pose/>", "<truncated/>", "<difficult/>", NULL };
static const char *const keep_cvat[] = {
  "<depth></depth>", "<annotation>Unknown</annotation>", "<name>rotation</name>",
  "<value>15.0</value>", "<name>mood</name>", "<value>calm</value>", NULL };
static const char *const keep_cvat_ru[] = {
  "<depth></depth>", "<image>Unknown</image>", "<value>0.0</value>", NULL };
static const char *const keep_voc2007[] = {
  "<owner>\n\t\t<flickrid>hiromori2</flickrid>\n\t\t<name>Hiroyuki Mori</name>\n\t</owner>",
  "<flickrid>329145082</flickrid>", "<database>The VOC2007 Database</database>", NULL };
static const char *const keep_traffic[] = {
  "<filename>Screenshot (609).png</filename>", "<value>0.0</value>", NULL };
static const char *const keep_raccoon[] = {
  "<path>/Users/datitran/Desktop/raccoon/images/raccoon-1.jpg</path>", NULL };

static const EditCase edit_cases[] = {
  { "voc/dialects/labelimg_verified_unicode.xml", "\t", keep_unicode },
  { "voc/dialects/rolabelimg.xml", "  ", keep_rolabelimg },
  { "voc/dialects/xanylabeling.xml", "  ", keep_xany },
  { "voc/dialects/labelme2voc.xml", "  ", keep_labelme },
  { "voc/dialects/cvat_rotated_attributes.xml", "  ", keep_cvat },
  { "voc/cvat_zavtrak_ru/Annotations/photo_2022-03-20_15-49-33.xml", "  ", keep_cvat_ru },
  { "voc/cvat_traffic_bd/Annotations/Screenshot (609).xml", "  ", keep_traffic },
  { "voc/edge_cases/mmdetection_tests/000001.xml", "\t", keep_voc2007 },
  { "voc/raccoon_labelimg/annotations/raccoon-1.xml", "\t", keep_raccoon },
};

/* Every @keep string is in @data, except those inside @deleted. */
static void
assert_kept (const char *data, const char *const *keep, const char *deleted)
{
  for (guint i = 0; keep[i] != NULL; i++)
    if (strstr (data, keep[i]) == NULL && (deleted == NULL || strstr (deleted, keep[i]) == NULL))
      g_error ("lost “%s” in:\n%s", keep[i], data);
}

static BmObject *
new_box (const char *label, double x1, double y1, double x2, double y2)
{
  BmShape s;

  bm_shape_init_box (&s, x1, y1, x2, y2);
  return bm_object_new (label, &s);
}

static void
run_edit_case (const EditCase *c)
{
  g_autofree char *path = testdata (c->file);
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(BmAnnotation) second = NULL;
  g_autoptr(BmObject) added = new_box ("added", 10, 20, 30.5, 40.25);
  g_autoptr(BmObject) moved_copy = NULL;
  g_autoptr(GPtrArray) chunks = NULL;
  g_autoptr(GPtrArray) kept_objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *original = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved2 = NULL;
  g_autofree char *expected_new = NULL;
  gsize length, saved_length, saved2_length;
  guint n = bm_annotation_get_n_objects (a);
  guint moved_index = n - 1;
  BmShape shape;

  g_test_message ("editing %s", c->file);
  original = read_file (path, &length);
  chunks = object_chunks (original);
  g_assert_cmpuint (chunks->len, ==, n);

  /* Move the last object by (5, 3). */
  shape = *bm_object_get_shape (bm_annotation_get_object (a, moved_index));
  bm_shape_translate (&shape, 5, 3);
  bm_object_set_shape (bm_annotation_get_object (a, moved_index), &shape);
  moved_copy = bm_object_copy (bm_annotation_get_object (a, moved_index));
  for (guint i = 1; i + 1 < n; i++)
    g_ptr_array_add (kept_objects, bm_object_copy (bm_annotation_get_object (a, i)));
  /* Delete the first one when there are two or more. */
  if (n >= 2)
    bm_annotation_remove_object (a, 0);
  bm_annotation_add_object (a, added);

  saved = to_data (a, &saved_length);
  assert_kept (saved, c->keep, NULL);
  /* Untouched objects keep their bytes; the deleted one is gone. */
  for (guint i = 1; i + 1 < n; i++)
    g_assert_nonnull (strstr (saved, g_ptr_array_index (chunks, i)));
  if (n >= 2)
    g_assert_null (strstr (saved, g_ptr_array_index (chunks, 0)));
  /* The new object is indented like the others, in labelImg's order, with integer text when
   * whole. */
  {
    g_autoptr(GString) t = g_string_new ("\n@<object>\n@@<name>added</name>\n@@<pose>Unspecified</pose>\n"
                                         "@@<truncated>0</truncated>\n@@<difficult>0</difficult>\n"
                                         "@@<bndbox>\n@@@<xmin>10</xmin>\n@@@<ymin>20</ymin>\n"
                                         "@@@<xmax>30.5</xmax>\n@@@<ymax>40.25</ymax>\n@@</bndbox>\n@</object>\n</annotation>");
    if (strstr (original, "<type>") != NULL)
      g_string_replace (t, "<object>\n@@<name>", "<object>\n@@<type>bndbox</type>\n@@<name>", 1);
    g_string_replace (t, "@", c->unit, 0);
    expected_new = g_string_free (g_steal_pointer (&t), FALSE);
  }
  if (strstr (saved, expected_new) == NULL)
    g_error ("new object not as expected in:\n%s", saved);

  /* Re-loading gives the edited values. */
  b = reload (saved, saved_length);
  g_assert_cmpuint (bm_annotation_get_n_objects (b), ==, n >= 2 ? n : n + 1);
  {
    BmObject *moved = bm_annotation_get_object (b, bm_annotation_get_n_objects (b) - 2);
    BmObject *again = bm_annotation_get_object (b, bm_annotation_get_n_objects (b) - 1);

    g_assert_cmpstr (bm_object_get_label (moved), ==, bm_object_get_label (moved_copy));
    if (bm_object_get_shape (moved_copy)->kind == BM_SHAPE_BOX)
      g_assert_true (bm_shape_equal (bm_object_get_shape (moved), bm_object_get_shape (moved_copy)));
    else
      assert_shape_near (bm_object_get_shape (moved), bm_object_get_shape (moved_copy), 1e-9);
    g_assert_cmpint (bm_object_get_difficult (moved), ==, bm_object_get_difficult (moved_copy));
    g_assert_cmpuint (bm_object_get_n_attributes (moved), ==, bm_object_get_n_attributes (moved_copy));
    g_assert_true (bm_object_content_equal (again, added));
  }
  for (guint i = 0; i < kept_objects->len; i++)
    g_assert_true (bm_object_content_equal (bm_annotation_get_object (b, i), g_ptr_array_index (kept_objects, i)));

  /* Second round on the saved file: delete the moved object, keep the new one. */
  bm_annotation_remove_object (b, bm_annotation_get_n_objects (b) - 2);
  saved2 = to_data (b, &saved2_length);
  {
    g_autoptr(GPtrArray) saved_chunks = object_chunks (saved);

    g_assert_cmpuint (saved_chunks->len, >=, 2);
    assert_kept (saved2, c->keep, g_ptr_array_index (saved_chunks, saved_chunks->len - 2));
    /* The new object of round one is now an untouched object. */
    g_assert_nonnull (strstr (saved2, g_ptr_array_index (saved_chunks, saved_chunks->len - 1)));
  }
  second = reload (saved2, saved2_length);
  g_assert_cmpuint (bm_annotation_get_n_objects (second), ==, bm_annotation_get_n_objects (b));
  g_assert_true (bm_object_content_equal (bm_annotation_get_object (second, bm_annotation_get_n_objects (second) - 1), added));
  /* The file still ends the way it did. */
  g_assert_true (g_str_has_suffix (saved2, "</object>\n</annotation>\n"));
}

static void
test_edit_dialects (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    run_edit_case (&edit_cases[i]);
}

static void
test_edit_changes_only_edited_elements (void)
{
  g_autofree char *path = testdata ("voc/dialects/cvat_rotated_attributes.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  BmObject *o = bm_annotation_get_object (a, 0);
  g_autofree char *original = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GString) e = NULL;
  gsize length;
  BmShape s;

  original = read_file (path, &length);
  bm_shape_init_box (&s, 176.5, 41.25, 300, 153.0);   /* only xmax changes */
  bm_object_set_shape (o, &s);
  bm_object_set_attribute (o, "mood", "happy");
  bm_object_set_attribute (o, "rotation", NULL);
  bm_object_set_attribute (o, "colour", "white");
  bm_object_set_occluded (o, TRUE);
  saved = to_data (a, &length);

  e = g_string_new (original);
  g_string_replace (e, "<xmax>288.75</xmax>", "<xmax>300</xmax>", 1);
  g_string_replace (e, "<occluded>0</occluded>", "<occluded>1</occluded>", 1);
  g_string_replace (e, "<value>calm</value>", "<value>happy</value>", 1);
  g_string_replace (e, "\n      <attribute>\n        <name>rotation</name>\n        <value>15.0</value>\n      </attribute>", "", 1);
  g_string_replace (e, "      </attribute>\n    </attributes>",
                    "      </attribute>\n      <attribute>\n        <name>colour</name>\n        <value>white</value>\n      </attribute>\n    </attributes>", 1);
  g_assert_cmpstr (saved, ==, e->str);

  /* labelme's empty elements: only the edited one gets text. */
  {
    g_autofree char *lpath = testdata ("voc/dialects/labelme2voc.xml");
    g_autoptr(BmAnnotation) l = load_ok (lpath);
    g_autofree char *lorig = read_file (lpath, &length);
    g_autofree char *lsaved = NULL;
    g_autoptr(GString) le = g_string_new (lorig);
    g_autoptr(BmAnnotation) back = NULL;

    bm_object_set_truncated (bm_annotation_get_object (l, 0), TRUE);
    bm_object_set_score (bm_annotation_get_object (l, 0), 0.75);
    lsaved = to_data (l, &length);
    g_string_replace (le, "<truncated/>", "<truncated>1</truncated>", 1);
    g_string_replace (le, "    </bndbox>\n  </object>", "    </bndbox>\n    <score>0.75</score>\n  </object>", 1);
    g_assert_cmpstr (lsaved, ==, le->str);
    back = reload (lsaved, length);
    g_assert_true (bm_object_get_truncated (bm_annotation_get_object (back, 0)));
    g_assert_true (bm_object_has_score (bm_annotation_get_object (back, 0)));
    g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (back, 0)), ==, 0.75);
  }
}

static void
test_verified_attribute (void)
{
  g_autofree char *labelimg = testdata ("voc/dialects/labelimg_verified_unicode.xml");
  g_autofree char *rolabelimg = testdata ("voc/dialects/rolabelimg.xml");
  g_autofree char *xany = testdata ("voc/dialects/xanylabeling.xml");
  g_autoptr(BmAnnotation) a = load_ok (labelimg);
  g_autoptr(BmAnnotation) b = load_ok (rolabelimg);
  g_autoptr(BmAnnotation) c = load_ok (xany);
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;
  g_autofree char *sb2 = NULL;
  g_autofree char *sc = NULL;
  gsize length;

  bm_annotation_set_verified (a, FALSE);
  sa = to_data (a, &length);
  g_assert_true (g_str_has_prefix (sa, "<annotation>\n\t<folder>"));

  bm_annotation_set_verified (b, TRUE);
  sb = to_data (b, &length);
  g_assert_true (g_str_has_prefix (sb, "<annotation verified=\"yes\">\n  <folder>"));
  bm_annotation_set_verified (b, FALSE);
  sb2 = to_data (b, &length);
  g_assert_true (g_str_has_prefix (sb2, "<annotation verified=\"no\">\n"));

  bm_annotation_set_verified (c, TRUE);
  sc = to_data (c, &length);
  g_assert_true (g_str_has_prefix (sc, "<?xml version=\"1.0\" ?>\n<annotation verified=\"yes\">\n  <folder>"));
}

/* ------------------------------------------------------------------------------------------ */
/* New files and shapes beyond boxes */

static void
test_new_file_is_labelimg_layout (void)
{
  g_autoptr(BmAnnotation) a = bm_annotation_new ();
  g_autoptr(BmObject) car = new_box ("car", 12, 40, 230, 199);
  g_autofree char *data = NULL;
  gsize length;
  static const char expected[] =
    "<annotation verified=\"yes\">\n"
    "\t<folder>imgs</folder>\n"
    "\t<filename>0001.jpg</filename>\n"
    "\t<path>/home/u/data/imgs/0001.jpg</path>\n"
    "\t<source>\n"
    "\t\t<database>Unknown</database>\n"
    "\t</source>\n"
    "\t<size>\n"
    "\t\t<width>1920</width>\n"
    "\t\t<height>1080</height>\n"
    "\t\t<depth>3</depth>\n"
    "\t</size>\n"
    "\t<segmented>0</segmented>\n"
    "\t<object>\n"
    "\t\t<name>car</name>\n"
    "\t\t<pose>Unspecified</pose>\n"
    "\t\t<truncated>0</truncated>\n"
    "\t\t<difficult>0</difficult>\n"
    "\t\t<bndbox>\n"
    "\t\t\t<xmin>12</xmin>\n"
    "\t\t\t<ymin>40</ymin>\n"
    "\t\t\t<xmax>230</xmax>\n"
    "\t\t\t<ymax>199</ymax>\n"
    "\t\t</bndbox>\n"
    "\t</object>\n"
    "</annotation>\n";

  bm_annotation_set_image_path (a, "/home/u/data/imgs/0001.jpg");
  bm_annotation_set_size (a, 1920, 1080, 3);
  bm_annotation_set_verified (a, TRUE);
  bm_annotation_add_object (a, car);
  data = to_data (a, &length);
  g_assert_cmpstr (data, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

static void
test_rotated_and_quad_read_back_exactly (void)
{
  g_autoptr(BmAnnotation) a = bm_annotation_new ();
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(BmObject) rotated = NULL;
  g_autoptr(BmObject) quad = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data2 = NULL;
  const double xy[8] = { 10.5, 20, 40, 10.125, 50, 30, 20, 40.75 };
  BmShape s, expected;
  double cx, cy, w, h, angle;
  gsize length;

  bm_shape_init_rotated (&s, 100.25, 80.5, 60, 20.5, 0.3);
  rotated = bm_object_new ("ship", &s);
  bm_object_set_difficult (rotated, 2);
  bm_shape_init_quad (&s, xy);
  quad = bm_object_new ("sign", &s);
  bm_object_set_score (quad, 0.5);
  bm_annotation_set_size (a, 640, 480, 3);
  bm_annotation_add_object (a, rotated);
  bm_annotation_add_object (a, quad);
  data = to_data (a, &length);
  g_assert_nonnull (strstr (data, "\t\t<robndbox>\n\t\t\t<cx>"));
  g_assert_nonnull (strstr (data, "<polygon>\n\t\t\t<x1>10.5</x1>\n\t\t\t<y1>20</y1>"));
  g_assert_null (strstr (data, "e+"));
  g_assert_null (strstr (data, "e-"));

  b = reload (data, length);
  g_assert_cmpuint (bm_annotation_get_n_objects (b), ==, 2);
  /* The numbers written are the ones the box was made from, without the noise of recomputing
   * them from its corners, so it reads back as exactly the same box. */
  g_assert_nonnull (strstr (data, "<cx>100.25</cx>\n\t\t\t<cy>80.5</cy>\n\t\t\t<w>60</w>\n\t\t\t<h>20.5</h>\n\t\t\t<angle>0.3</angle>"));
  g_assert_true (bm_shape_equal (bm_object_get_shape (bm_annotation_get_object (b, 0)), bm_object_get_shape (rotated)));
  /* In general it is bm_shape_init_rotated of the numbers written, within their rounding. */
  bm_shape_get_rotated (bm_object_get_shape (rotated), &cx, &cy, &w, &h, &angle);
  bm_shape_init_rotated (&expected, cx, cy, w, h, angle);
  assert_shape_near (bm_object_get_shape (bm_annotation_get_object (b, 0)), &expected, 1e-9);
  assert_shape_near (bm_object_get_shape (bm_annotation_get_object (b, 0)), bm_object_get_shape (rotated), 1e-9);
  g_assert_cmpint (bm_object_get_difficult (bm_annotation_get_object (b, 0)), ==, 2);
  /* The quad's points are exact. */
  g_assert_true (bm_object_content_equal (bm_annotation_get_object (b, 1), quad));

  /* The enclosing <bndbox> is there for every other VOC reader. */
  {
    BmRect r = bm_shape_bounds (bm_object_get_shape (quad));
    g_autofree char *box = g_strdup_printf ("<xmin>%g</xmin>\n\t\t\t<ymin>%g</ymin>\n\t\t\t<xmax>%g</xmax>\n\t\t\t<ymax>%g</ymax>",
                                            r.x1, r.y1, r.x2, r.y2);
    g_assert_nonnull (strstr (data, box));
  }

  /* Turning the box into a plain box again drops <robndbox>. */
  bm_shape_init_box (&s, 1, 2, 3, 4);
  bm_object_set_shape (bm_annotation_get_object (b, 0), &s);
  data2 = to_data (b, &length);
  g_assert_null (strstr (data2, "robndbox"));
  {
    g_autoptr(BmAnnotation) c = reload (data2, length);
    assert_box (bm_annotation_get_object (c, 0), 1, 2, 3, 4);
  }
}

static void
test_rotate_box_in_rolabelimg_file (void)
{
  g_autofree char *path = testdata ("voc/dialects/rolabelimg.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) b = NULL;
  g_autofree char *data = NULL;
  BmShape s = *bm_object_get_shape (bm_annotation_get_object (a, 0));
  gsize length;

  bm_shape_rotate (&s, 0.25);
  bm_object_set_shape (bm_annotation_get_object (a, 0), &s);
  data = to_data (a, &length);
  /* The file uses <type>: the rotated box says so. */
  g_assert_null (strstr (data, "<type>bndbox</type>"));
  g_assert_nonnull (strstr (data, "<type>robndbox</type>\n    <name>face</name>"));
  b = reload (data, length);
  assert_shape_near (bm_object_get_shape (bm_annotation_get_object (b, 0)), &s, 1e-9);
}

static void
test_number_format (void)
{
  g_autoptr(BmAnnotation) a = bm_annotation_new ();
  g_autoptr(BmObject) o = new_box ("x", 1000, 0.1, 1e6, 0.30000000000000004);
  g_autofree char *data = NULL;
  gsize length;

  bm_annotation_add_object (a, o);
  data = to_data (a, &length);
  g_assert_nonnull (strstr (data, "<xmin>1000</xmin>"));
  g_assert_nonnull (strstr (data, "<ymin>0.1</ymin>"));
  g_assert_nonnull (strstr (data, "<xmax>1000000</xmax>"));
  g_assert_nonnull (strstr (data, "<ymax>0.30000000000000004</ymax>"));
}

/* ------------------------------------------------------------------------------------------ */
/* Bad input */

static gboolean external_loader_called;

static xmlParserInput *
recording_loader (const char *url, const char *id, xmlParserCtxt *ctxt)
{
  external_loader_called = TRUE;
  return NULL;
}

typedef struct
{
  const char *file;
  const char *const *expected;   /* "LINE: substring" for each problem, or the error */
  gboolean fatal;
} BadCase;

static const char *const bad_values[] = { "6:difficult", "7:ymin", "11:inverted", "13:bndbox", NULL };
static const char *const empty_name[] = { "5:empty <name>", NULL };
static const char *const entity_expansion[] = { "1:entity declarations", NULL };
static const char *const external_entity[] = { "1:entity declarations", NULL };
static const char *const latin1_with_bom[] = { "1:byte order mark", NULL };
static const char *const truncated_file[] = { "6:not well-formed", NULL };

static const BadCase bad_cases[] = {
  { "bad/bad_values.xml", bad_values, FALSE },
  { "bad/empty_name.xml", empty_name, FALSE },
  { "bad/entity_expansion.xml", entity_expansion, TRUE },
  { "bad/external_entity.xml", external_entity, TRUE },
  { "bad/latin1_with_bom.xml", latin1_with_bom, TRUE },
  { "bad/truncated_file.xml", truncated_file, TRUE },
};

static void
assert_located (const char *message, const char *path, const char *expected)
{
  g_auto(GStrv) parts = g_strsplit (expected, ":", 2);
  g_autofree char *prefix = g_strdup_printf ("%s:%s: ", path, parts[0]);

  if (!g_str_has_prefix (message, prefix) || strstr (message, parts[1]) == NULL)
    g_error ("expected “%s…%s”, got “%s”", prefix, parts[1], message);
}

static void
test_bad_files (void)
{
  g_autofree char *tmp = make_temp_dir ();
  xmlExternalEntityLoader old_loader = xmlGetExternalEntityLoader ();

  xmlSetExternalEntityLoader (recording_loader);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autofree char *source = testdata (c->file);
      g_autofree char *path = copy_to (source, tmp);
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = bm_voc_load (path, &error);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      gsize before_length, after_length;

      g_test_message ("%s", c->file);
      before = read_file (path, &before_length);
      if (c->fatal)
        {
          g_assert_null (a);
          g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
          assert_located (error->message, path, c->expected[0]);
          g_assert_null (strstr (error->message, "root:"));
        }
      else
        {
          GPtrArray *problems;
          g_autoptr(GError) save_error = NULL;
          g_autofree char *data = NULL;

          g_assert_no_error (error);
          g_assert_nonnull (a);
          g_assert_true (bm_annotation_is_read_only (a));
          problems = bm_annotation_get_problems (a);
          g_assert_cmpuint (problems->len, ==, g_strv_length ((char **) c->expected));
          for (guint k = 0; k < problems->len; k++)
            {
              g_autofree char *s = bm_problem_to_string (g_ptr_array_index (problems, k));
              assert_located (s, path, c->expected[k]);
            }
          g_assert_false (bm_voc_save (a, path, &save_error));
          g_assert_error (save_error, BM_ERROR, BM_ERROR_READ_ONLY);
          g_assert_nonnull (strstr (save_error->message, path));
          g_clear_error (&save_error);
          data = bm_voc_to_data (a, NULL, &save_error);
          g_assert_null (data);
          g_assert_error (save_error, BM_ERROR, BM_ERROR_READ_ONLY);
        }
      after = read_file (path, &after_length);
      g_assert_cmpmem (before, before_length, after, after_length);
    }
  g_assert_false (external_loader_called);
  xmlSetExternalEntityLoader (old_loader);
  remove_dir (tmp);
}

/* Bad objects are skipped, the good ones load. */
static void
test_bad_object_among_good (void)
{
  static const char xml[] =
    "<annotation>\n"
    "  <object><name>a</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>\n"
    "  <object><name>b</name><occluded>yes</occluded><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>\n"
    "  <object><name>c</name><difficult>2</difficult><bndbox><xmin>1e1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>4</ymax></bndbox></object>\n"
    "  <object><name>d</name><bndbox><xmin>0x10</xmin><ymin>nan</ymin><xmax>3</xmax></bndbox></object>\n"
    "</annotation>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_voc_load_data (xml, strlen (xml), "mixed.xml", &error);
  GPtrArray *problems;
  g_autofree char *p0 = NULL;
  g_autofree char *p1 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 2);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 1)), ==, "c");
  g_assert_cmpint (bm_object_get_difficult (bm_annotation_get_object (a, 1)), ==, 2);
  assert_box (bm_annotation_get_object (a, 1), 10, 2, 30, 4);
  problems = bm_annotation_get_problems (a);
  g_assert_cmpuint (problems->len, ==, 4);
  p0 = bm_problem_to_string (g_ptr_array_index (problems, 0));
  g_assert_cmpstr (p0, ==, "mixed.xml:3: <occluded> must be 0 or 1, not “yes”");
  p1 = bm_problem_to_string (g_ptr_array_index (problems, 1));
  g_assert_cmpstr (p1, ==, "mixed.xml:5: <xmin> is not a number: “0x10”");
  g_assert_true (bm_annotation_is_read_only (a));
}

static void
test_not_voc (void)
{
  static const char *const inputs[] = {
    "", "<", "<foo/>", "<annotation", "\xff\xfe<\0a\0", "<a:annotation xmlns:a=\"x\"/>",
    "<!DOCTYPE annotation SYSTEM \"file:///etc/passwd\"><annotation/>x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = bm_voc_load_data (inputs[i], strlen (inputs[i]), "x.xml", &error);

      g_assert_null (a);
      g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "x.xml:"));
    }
  {
    /* A bare root loads, and objects added to it are indented with the default tab. */
    g_autoptr(GError) error = NULL;
    g_autoptr(BmAnnotation) a = bm_voc_load_data ("<annotation/>", 13, "x.xml", &error);
    g_autoptr(BmObject) o = new_box ("n", 1, 2, 3, 4);
    g_autofree char *data = NULL;
    gsize length;

    g_assert_no_error (error);
    bm_annotation_add_object (a, o);
    data = to_data (a, &length);
    g_assert_true (g_str_has_prefix (data, "<annotation>\n\t<object>\n\t\t<name>n</name>"));
    g_assert_true (g_str_has_suffix (data, "\t</object>\n</annotation>"));
  }
}

static void
test_failed_write_keeps_file (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *source = testdata ("voc/dialects/labelimg_verified_unicode.xml");
  g_autofree char *path = copy_to (source, tmp);
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;
  g_autoptr(GDir) d = NULL;
  guint entries = 0;

  before = read_file (path, &before_length);
  bm_object_set_label (bm_annotation_get_object (a, 1), "helmet");

  bm_file_util_set_fail_writes (TRUE);
  g_assert_false (bm_voc_save (a, path, &error));
  bm_file_util_set_fail_writes (FALSE);
  g_assert_error (error, BM_ERROR, BM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  after = read_file (path, &after_length);
  g_assert_cmpmem (before, before_length, after, after_length);
  d = g_dir_open (tmp, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    entries++;
  g_assert_cmpuint (entries, ==, 1);

  g_clear_error (&error);
  g_assert_true (bm_voc_save (a, path, &error));
  g_assert_no_error (error);
  b = load_ok (path);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (b, 1)), ==, "helmet");
  remove_dir (tmp);
}

/* A pasted copy keeps the origin of what it was copied from: it must become a new object,
 * not a second writer of the same node. Undo snapshots (set_objects) keep origins too. */
static void
test_copies_and_undo (void)
{
  g_autofree char *path = testdata ("voc/dialects/xanylabeling.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(BmObject) copy = bm_object_copy (bm_annotation_get_object (a, 0));
  g_autoptr(GPtrArray) snapshot = bm_annotation_dup_objects (a);
  g_autofree char *original = NULL;
  g_autofree char *data = NULL;
  gsize length, original_length;
  BmShape s;

  original = read_file (path, &original_length);
  bm_shape_init_box (&s, 1, 1, 2, 2);
  bm_object_set_shape (copy, &s);
  bm_annotation_add_object (a, copy);
  data = to_data (a, &length);
  b = reload (data, length);
  g_assert_cmpuint (bm_annotation_get_n_objects (b), ==, 3);
  assert_box (bm_annotation_get_object (b, 0), 176, 41, 288, 153);
  assert_box (bm_annotation_get_object (b, 2), 1, 1, 2, 2);

  g_clear_pointer (&data, g_free);
  bm_annotation_remove_object (a, 0);
  bm_annotation_set_objects (a, snapshot);
  data = to_data (a, &length);
  g_assert_cmpmem (data, length, original, original_length);
}

static void
test_size_edits (void)
{
  g_autofree char *path = testdata ("voc/dialects/cvat_rotated_attributes.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) b = reload (polygon_xml, strlen (polygon_xml));
  g_autoptr(BmAnnotation) c = NULL;
  g_autofree char *original = NULL;
  g_autofree char *data = NULL;
  g_autofree char *data_b = NULL;
  g_autoptr(GString) e = NULL;
  gsize length;

  original = read_file (path, &length);
  bm_annotation_set_size (a, 512, 512, 3);
  data = to_data (a, &length);
  e = g_string_new (original);
  g_string_replace (e, "<depth></depth>", "<depth>3</depth>", 1);
  g_assert_cmpstr (data, ==, e->str);

  /* No <size> at all: one is added before the first object. */
  bm_annotation_set_size (b, 640, 480, 0);
  data_b = to_data (b, &length);
  g_assert_nonnull (strstr (data_b, "<filename>a.jpg</filename>\n  <size>\n    <width>640</width>\n    <height>480</height>\n    <depth></depth>\n  </size>\n  <object>"));
  c = reload (data_b, length);
  g_assert_cmpint (bm_annotation_get_width (c), ==, 640);
  g_assert_cmpint (bm_annotation_get_height (c), ==, 480);
  g_assert_cmpint (bm_annotation_get_depth (c), ==, 0);
}

/* Windows line ends stay Windows line ends, also in what we add. */
static void
test_crlf_file (void)
{
  g_autofree char *path = testdata ("voc/edge_cases/mmdetection_tests/000001.xml");
  gsize length;
  g_autofree char *original = read_file (path, &length);
  g_autoptr(GString) crlf = g_string_new (original);
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(BmObject) added = new_box ("cat", 1, 2, 3, 4);
  g_autofree char *data = NULL;
  g_autofree char *unedited = NULL;

  g_string_replace (crlf, "\n", "\r\n", 0);
  a = reload (crlf->str, crlf->len);
  unedited = to_data (a, &length);
  g_assert_cmpmem (unedited, length, crlf->str, crlf->len);
  bm_object_set_label (bm_annotation_get_object (a, 0), "tram");
  bm_annotation_add_object (a, added);
  data = to_data (a, &length);
  g_assert_nonnull (strstr (data, "<name>tram</name>\r\n"));
  g_assert_nonnull (strstr (data, "</object>\r\n\t<object>\r\n\t\t<name>cat</name>\r\n\t\t<pose>"));
  g_assert_true (g_str_has_suffix (data, "\t</object>\r\n</annotation>\r\n"));
  for (const char *p = data; (p = strchr (p, '\n')) != NULL; p++)
    g_assert_cmpint (p[-1], ==, '\r');
  b = reload (data, length);
  g_assert_cmpuint (bm_annotation_get_n_objects (b), ==, 2);
}

/* A file in another encoding is read; an edited save goes through libxml2 in that encoding. */
static void
test_latin1_file (void)
{
  static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<annotation><filename>caf\xe9.jpg</filename><object><name>caf\xe9</name>"
    "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>\n";
  g_autoptr(BmAnnotation) a = reload (xml, strlen (xml));
  g_autoptr(BmAnnotation) b = NULL;
  g_autofree char *unedited = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "caf\xc3\xa9");
  unedited = to_data (a, &length);
  g_assert_cmpstr (unedited, ==, xml);
  bm_object_set_label (bm_annotation_get_object (a, 0), "\xe5\xae\x87 caf\xc3\xa9");
  data = to_data (a, &length);
  b = reload (data, length);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (b, 0)), ==, "\xe5\xae\x87 caf\xc3\xa9");
}

/* ------------------------------------------------------------------------------------------ */
/* Names with whitespace, numbers computed from corners, absurd values, long polygons */

static const char spaced_names_xml[] =
  "<annotation>\n"
  "\t<object>\n"
  "\t\t<name>\n"
  "\t\t\tcar\n"
  "\t\t</name>\n"
  "\t\t<bndbox><xmin>10</xmin><ymin>10</ymin><xmax>50</xmax><ymax>50</ymax></bndbox>\n"
  "\t</object>\n"
  "\t<object>\n"
  "\t\t<name> car\t</name>\n"
  "\t\t<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>\n"
  "\t</object>\n"
  "\t<object><name>  small vehicle </name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>\n"
  "\t<object><name>car</name><bndbox><xmin>5</xmin><ymin>6</ymin><xmax>7</xmax><ymax>8</ymax></bndbox></object>\n"
  "</annotation>\n";

static void
test_name_whitespace (void)
{
  g_autoptr(BmAnnotation) a = reload (spaced_names_xml, strlen (spaced_names_xml));
  g_autoptr(BmAnnotation) b = NULL;
  g_autofree char *unedited = NULL;
  g_autofree char *relabelled = NULL;
  g_autoptr(GString) expected = g_string_new (spaced_names_xml);
  gsize length;

  /* The label is the name without the pretty-printing around it, so it is one class. */
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 4);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "car");
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 1)), ==, "car");
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 2)), ==, "small vehicle");
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 3)), ==, "car");

  /* Unedited, the file keeps its bytes, whitespace included. */
  unedited = to_data (a, &length);
  g_assert_cmpuint (length, ==, strlen (spaced_names_xml));
  g_assert_cmpmem (unedited, length, spaced_names_xml, strlen (spaced_names_xml));

  /* Editing something else in the object keeps the name's bytes too. */
  bm_object_set_difficult (bm_annotation_get_object (a, 1), 1);
  {
    g_autofree char *other = to_data (a, &length);

    g_assert_nonnull (strstr (other, "\t\t<name> car\t</name>\n"));
    g_assert_nonnull (strstr (other, "\t\t<name>\n\t\t\tcar\n\t\t</name>\n"));
  }
  bm_object_set_difficult (bm_annotation_get_object (a, 1), 0);

  /* A relabel writes the new name only, and nothing else changes. */
  bm_object_set_label (bm_annotation_get_object (a, 0), "bus");
  relabelled = to_data (a, &length);
  g_string_replace (expected, "<name>\n\t\t\tcar\n\t\t</name>", "<name>bus</name>", 1);
  g_assert_cmpstr (relabelled, ==, expected->str);
  b = reload (relabelled, length);
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (b, 0)), ==, "bus");
  g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (b, 1)), ==, "car");

  /* Nothing but whitespace is still an empty name. */
  {
    static const char blank[] =
      "<annotation>\n"
      "  <object>\n"
      "    <name>\n"
      "    </name>\n"
      "    <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>\n"
      "  </object>\n"
      "</annotation>\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(BmAnnotation) c = bm_voc_load_data (blank, strlen (blank), "blank.xml", &error);
    g_autofree char *problem = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (bm_annotation_get_n_objects (c), ==, 0);
    g_assert_cmpuint (bm_annotation_get_problems (c)->len, ==, 1);
    problem = bm_problem_to_string (g_ptr_array_index (bm_annotation_get_problems (c), 0));
    g_assert_cmpstr (problem, ==, "blank.xml:3: object has an empty <name>");
    g_assert_true (bm_annotation_is_read_only (c));
  }
}

static void
test_rotation_writes_no_noise (void)
{
  static const char face_rotated[] =
    "<object>\n"
    "    <type>robndbox</type>\n"
    "    <name>face</name>\n"
    "    <pose>Unspecified</pose>\n"
    "    <truncated>0</truncated>\n"
    "    <difficult>0</difficult>\n"
    "    <bndbox>\n"
    "      <xmin>170.6890954</xmin>\n"
    "      <ymin>35.68909541</ymin>\n"
    "      <xmax>293.3109046</xmax>\n"
    "      <ymax>158.3109046</ymax>\n"
    "    </bndbox>\n"
    "    <robndbox>\n"
    "      <cx>232</cx>\n"
    "      <cy>97</cy>\n"
    "      <w>112</w>\n"
    "      <h>112</h>\n"
    "      <angle>0.1</angle>\n"
    "    </robndbox>\n"
    "  </object>";
  g_autofree char *path = testdata ("voc/dialects/rolabelimg.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) b = NULL;
  g_autofree char *original = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  BmShape s = *bm_object_get_shape (bm_annotation_get_object (a, 0));
  gsize length;

  /* roLabelImg's 112 × 112 face box turned by 0.1 rad: the numbers computed back from its
   * corners are written without the last bits of floating-point noise. */
  original = read_file (path, &length);
  bm_shape_rotate (&s, 0.1);
  bm_object_set_shape (bm_annotation_get_object (a, 0), &s);
  data = to_data (a, &length);
  before = object_chunks (original);
  after = object_chunks (data);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (after, 0), ==, face_rotated);
  g_assert_cmpstr (g_ptr_array_index (after, 1), ==, g_ptr_array_index (before, 1));
  b = reload (data, length);
  assert_shape_near (bm_object_get_shape (bm_annotation_get_object (b, 0)), &s, 1e-6);

  /* A quad's points are the model's own values and are written exactly; only the box around
   * it, computed from them, is rounded. */
  {
    const double xy[8] = { 10.123456789012344, 20, 40, 10.1, 50, 30.000000000000004, 20, 40.75 };
    g_autoptr(BmAnnotation) q = bm_annotation_new ();
    g_autoptr(BmAnnotation) q2 = NULL;
    g_autoptr(BmObject) quad = NULL;
    g_autofree char *quad_data = NULL;
    BmShape qs;

    bm_shape_init_quad (&qs, xy);
    quad = bm_object_new ("sign", &qs);
    bm_annotation_add_object (q, quad);
    quad_data = to_data (q, &length);
    g_assert_nonnull (strstr (quad_data, "<xmin>10.12345679</xmin>"));
    g_assert_nonnull (strstr (quad_data, "<x1>10.123456789012344</x1>"));
    g_assert_nonnull (strstr (quad_data, "<y3>30.000000000000004</y3>"));
    q2 = reload (quad_data, length);
    g_assert_true (bm_object_content_equal (bm_annotation_get_object (q2, 0), quad));
  }
}

static const char huge_xml[] =
  "<annotation>\n"
  "  <object>\n"
  "    <name>ship</name>\n"
  "    <robndbox><cx>100</cx><cy>100</cy>\n"
  "      <w>1.7e308</w><h>10</h><angle>0</angle></robndbox>\n"
  "  </object>\n"
  "  <object>\n"
  "    <name>car</name>\n"
  "    <bndbox><xmin>-20000000</xmin><ymin>0</ymin><xmax>1</xmax><ymax>1</ymax></bndbox>\n"
  "  </object>\n"
  "  <object>\n"
  "    <name>edge</name>\n"
  "    <bndbox><xmin>-1e7</xmin><ymin>0</ymin><xmax>10000000</xmax><ymax>1</ymax></bndbox>\n"
  "  </object>\n"
  "</annotation>\n";

static void
test_absurd_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_voc_load_data (huge_xml, strlen (huge_xml), "huge.xml", &error);
  GPtrArray *problems;
  g_autofree char *p0 = NULL;
  g_autofree char *p1 = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (a);
  problems = bm_annotation_get_problems (a);
  g_assert_cmpuint (problems->len, ==, 2);
  p0 = bm_problem_to_string (g_ptr_array_index (problems, 0));
  g_assert_cmpstr (p0, ==, "huge.xml:5: <w> is out of range: “1.7e308” (the limit is ±10000000)");
  p1 = bm_problem_to_string (g_ptr_array_index (problems, 1));
  g_assert_cmpstr (p1, ==, "huge.xml:9: <xmin> is out of range: “-20000000” (the limit is ±10000000)");
  /* The limit itself is still an image coordinate. */
  g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 1);
  assert_box (bm_annotation_get_object (a, 0), -1e7, 0, 1e7, 1);
  g_assert_true (bm_annotation_is_read_only (a));
}

/* A <polygon> of @n points on one line (line 4), with a <bndbox> or not; @bad_point gets "abc". */
static char *
long_polygon_xml (guint n, gboolean with_bndbox, guint bad_point)
{
  GString *xml = g_string_new ("<annotation>\n  <object>\n    <name>lake</name>\n    <polygon>");

  for (guint k = 1; k <= n; k++)
    {
      if (k == bad_point)
        g_string_append_printf (xml, "<x%u>abc</x%u>", k, k);
      else
        g_string_append_printf (xml, "<x%u>%u</x%u>", k, k % 100, k);
      g_string_append_printf (xml, "<y%u>%u.5</y%u>", k, k / 100, k);
    }
  g_string_append (xml, "</polygon>\n");
  if (with_bndbox)
    g_string_append (xml, "    <bndbox><xmin>0</xmin><ymin>0.5</ymin><xmax>99</xmax><ymax>29.5</ymax></bndbox>\n");
  g_string_append (xml, "  </object>\n</annotation>\n");
  return g_string_free (xml, FALSE);
}

static void
test_long_polygon (void)
{
  /* No <bndbox>: the problem gives the real number of points. */
  {
    g_autofree char *xml = long_polygon_xml (2999, FALSE, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(BmAnnotation) a = bm_voc_load_data (xml, strlen (xml), "long.xml", &error);
    g_autofree char *problem = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 1);
    problem = bm_problem_to_string (g_ptr_array_index (bm_annotation_get_problems (a), 0));
    g_assert_cmpstr (problem, ==, "long.xml:4: object has a 2999-point <polygon> and no <bndbox>");
    g_assert_true (bm_annotation_is_read_only (a));
  }
  /* Every point is checked, not just the first thousand. */
  {
    g_autofree char *xml = long_polygon_xml (2999, TRUE, 2000);
    g_autoptr(GError) error = NULL;
    g_autoptr(BmAnnotation) a = bm_voc_load_data (xml, strlen (xml), "long.xml", &error);
    g_autofree char *problem = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 1);
    problem = bm_problem_to_string (g_ptr_array_index (bm_annotation_get_problems (a), 0));
    g_assert_cmpstr (problem, ==, "long.xml:4: <x2000> is not a number: “abc”");
  }
  /* With a <bndbox> it is a box; made a quad, none of the old points beyond 4 stay. */
  {
    const double xy[8] = { 1, 2, 30, 2, 30, 20, 1, 20 };
    g_autofree char *xml = long_polygon_xml (2999, TRUE, 0);
    g_autoptr(BmAnnotation) a = reload (xml, strlen (xml));
    g_autoptr(BmAnnotation) b = NULL;
    g_autofree char *data = NULL;
    BmShape quad;
    gsize length;

    assert_box (bm_annotation_get_object (a, 0), 0, 0.5, 99, 29.5);
    bm_shape_init_quad (&quad, xy);
    bm_object_set_shape (bm_annotation_get_object (a, 0), &quad);
    data = to_data (a, &length);
    g_assert_nonnull (strstr (data, "<polygon><x1>1</x1><y1>2</y1><x2>30</x2><y2>2</y2><x3>30</x3><y3>20</y3><x4>1</x4><y4>20</y4></polygon>"));
    g_assert_null (strstr (data, "<x5>"));
    g_assert_null (strstr (data, "<y1001>"));
    g_assert_null (strstr (data, "<x2999>"));
    b = reload (data, length);
    g_assert_true (bm_shape_equal (bm_object_get_shape (bm_annotation_get_object (b, 0)), &quad));
  }
}

static void
assert_same_load (const char *data, gsize length, const char *name)
{
  g_autoptr(GError) full_error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(BmAnnotation) full = bm_voc_load_data (data, length, name, &full_error);
  g_autoptr(BmAnnotation) read = bm_voc_load_data_full (data, length, name, BM_VOC_LOAD_NO_BACKING,
                                                        &read_error);
  GPtrArray *full_problems, *read_problems;

  g_test_message ("%s", name);
  if (full == NULL)
    {
      g_assert_null (read);
      g_assert_nonnull (full_error);
      g_assert_error (read_error, full_error->domain, full_error->code);
      g_assert_cmpstr (read_error->message, ==, full_error->message);
      return;
    }
  g_assert_nonnull (read);
  g_assert_cmpint (bm_annotation_get_width (read), ==, bm_annotation_get_width (full));
  g_assert_cmpint (bm_annotation_get_height (read), ==, bm_annotation_get_height (full));
  g_assert_cmpint (bm_annotation_get_depth (read), ==, bm_annotation_get_depth (full));
  g_assert_cmpint (bm_annotation_get_verified (read), ==, bm_annotation_get_verified (full));
  g_assert_cmpint (bm_annotation_is_read_only (read), ==, bm_annotation_is_read_only (full));
  g_assert_cmpuint (bm_annotation_get_n_objects (read), ==, bm_annotation_get_n_objects (full));
  for (guint k = 0; k < bm_annotation_get_n_objects (full); k++)
    g_assert_true (bm_object_content_equal (bm_annotation_get_object (read, k),
                                            bm_annotation_get_object (full, k)));
  full_problems = bm_annotation_get_problems (full);
  read_problems = bm_annotation_get_problems (read);
  g_assert_cmpuint (read_problems->len, ==, full_problems->len);
  for (guint k = 0; k < full_problems->len; k++)
    {
      g_autofree char *a = bm_problem_to_string (full_problems->pdata[k]);
      g_autofree char *b = bm_problem_to_string (read_problems->pdata[k]);

      g_assert_cmpstr (b, ==, a);
    }
}

/* The read-only load that convert uses sees exactly what the editing load sees, on every file
 * written by another tool, on the broken ones, and where whitespace is all an element holds. */
static void
test_read_only_load_is_the_same (void)
{
  static const char *const made_up[] = {
    "<annotation><size><width>10</width><height>8</height></size>"
    "<object><name> </name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>",
    "<annotation>\n  <object>\n    <name>\n\tdog\n    </name>\n    <difficult> 1 </difficult>\n"
    "    <bndbox><xmin> 1 </xmin><ymin>\n1</ymin><xmax>5\t</xmax><ymax>5</ymax></bndbox>\n  </object>\n</annotation>\n",
    "<annotation><object><name>cat<!-- c --> food</name><bndbox><xmin>1</xmin><ymin>1</ymin>"
    "<xmax>5</xmax><ymax>5</ymax></bndbox><attributes> <attribute><name>a</name><value> </value></attribute>"
    "</attributes></object></annotation>",
    "<annotation><object><name><![CDATA[ x ]]></name><bndbox><xmin>1</xmin><ymin>1</ymin>"
    "<xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>",
    "<annotation xml:space=\"preserve\"><object><name> y </name><bndbox><xmin>1</xmin><ymin>1</ymin>"
    "<xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>",
    "<annotation><object><name>a</name> <name> </name><bndbox><xmin>1</xmin> <xmin> </xmin><ymin>1</ymin>"
    "<xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>",
    /* Found by fuzz-voc: dropping blank text nodes (XML_PARSE_NOBLANKS) changes this value. */
    "<annotation>\n  <object>\n    <name>a</name>\n"
    "    <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox>\n"
    "    <attributes><attribute><name>rotation</name><value>1<x>\n      <y>2</y>\n    </x></value>"
    "</attribute></attributes>\n  </object>\n</annotation>\n",
  };
  g_autoptr(GPtrArray) files = all_voc_files ();
  g_autofree char *bad = testdata ("bad");
  g_autoptr(GDir) dir = g_dir_open (bad, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (files, g_build_filename (bad, name, NULL));
  g_assert_cmpuint (files->len, >=, 185);
  for (guint i = 0; i < files->len; i++)
    {
      gsize length;
      g_autofree char *data = read_file (files->pdata[i], &length);

      assert_same_load (data, length, files->pdata[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (made_up); i++)
    assert_same_load (made_up[i], strlen (made_up[i]), "made-up.xml");
}

/* What the reader refuses, the writer does not write: an object moved beyond ±1e7 px makes the
 * save fail with a message naming it, and the file on disk stays as it was. */
static void
test_writer_keeps_reading_limit (void)
{
  static const char xml[] =
    "<annotation>\n  <size><width>100</width><height>80</height><depth>3</depth></size>\n"
    "  <object><name>far</name><bndbox><xmin>9999990</xmin><ymin>1</ymin><xmax>10000000</xmax><ymax>5</ymax></bndbox></object>\n"
    "  <object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object>\n"
    "</annotation>\n";
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "limit.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autofree char *after = NULL;
  g_autofree char *data = NULL;
  BmShape shape;
  gsize length;

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  a = load_ok (path);
  /* An untouched object at the limit and an edit elsewhere: saved. */
  bm_shape_init_box (&shape, 2, 2, 6, 6);
  bm_object_set_shape (bm_annotation_get_object (a, 1), &shape);
  data = bm_voc_to_data (a, &length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);

  /* Pushed past the limit: refused, named, nothing written. */
  bm_shape_init_box (&shape, 1, 1, 2e7, 5);
  bm_object_set_shape (bm_annotation_get_object (a, 1), &shape);
  g_assert_false (bm_voc_save (a, path, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "object 2 “cat”"));
  after = read_file (path, &length);
  g_assert_cmpstr (after, ==, xml);
  g_clear_error (&error);

  /* A rotated box whose width alone passes the limit is refused too; one whose corners pass it
   * while its <robndbox> values do not is saved, since only those are read back. */
  bm_shape_init_rotated (&shape, 50, 40, 1.5e7, 10, 0.3);
  bm_object_set_shape (bm_annotation_get_object (a, 1), &shape);
  g_assert_null (bm_voc_to_data (a, NULL, &error));
  g_assert_error (error, BM_ERROR, BM_ERROR_INVALID);
  g_clear_error (&error);
  bm_shape_init_rotated (&shape, 9.5e6, 50, 2e6, 10, 0);
  bm_object_set_shape (bm_annotation_get_object (a, 1), &shape);
  g_clear_pointer (&data, g_free);
  data = bm_voc_to_data (a, &length, &error);
  g_assert_no_error (error);
  {
    g_autoptr(BmAnnotation) again = bm_voc_load_data (data, length, "again.xml", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bm_annotation_get_problems (again)->len, ==, 0);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* A detector's box stays marked across save and reload: <pre_annotation>1</pre_annotation> next
 * to its <score>; accepting it removes only that element (the score stays). */
static void
test_pre_annotation_element (void)
{
  g_autofree char *path = testdata ("voc/raccoon_labelimg/annotations/raccoon-1.xml");
  g_autoptr(BmAnnotation) a = load_ok (path);
  g_autoptr(BmAnnotation) back = NULL;
  g_autoptr(BmAnnotation) accepted_back = NULL;
  g_autoptr(BmObject) face = NULL;
  g_autofree char *original = NULL, *saved = NULL, *accepted = NULL, *again = NULL;
  g_autoptr(GString) e = NULL;
  gsize length;
  BmShape s;

  original = read_file (path, &length);
  bm_shape_init_box (&s, 10, 20, 40, 60);
  face = bm_object_new ("face", &s);
  bm_object_set_score (face, 37);
  bm_object_set_pre_annotation (face, TRUE);
  bm_annotation_add_object (a, face);
  saved = to_data (a, &length);
  g_assert_nonnull (strstr (saved, "\t\t<score>37</score>\n\t\t<pre_annotation>1</pre_annotation>\n\t</object>\n</annotation>"));
  {
    g_autofree char *head = g_strndup (original, strstr (original, "</annotation>") - original);
    g_assert_true (g_str_has_prefix (saved, head));
  }

  back = reload (saved, length);
  g_assert_cmpuint (bm_annotation_get_n_objects (back), ==, 2);
  g_assert_false (bm_object_get_pre_annotation (bm_annotation_get_object (back, 0)));
  g_assert_true (bm_object_get_pre_annotation (bm_annotation_get_object (back, 1)));
  g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (back, 1)), ==, 37);
  /* unchanged, it is written back byte for byte */
  again = to_data (back, &length);
  g_assert_cmpstr (again, ==, saved);

  bm_object_set_pre_annotation (bm_annotation_get_object (back, 1), FALSE);
  accepted = to_data (back, &length);
  e = g_string_new (saved);
  g_string_replace (e, "\n\t\t<pre_annotation>1</pre_annotation>", "", 1);
  g_assert_cmpstr (accepted, ==, e->str);
  accepted_back = reload (accepted, length);
  g_assert_false (bm_object_get_pre_annotation (bm_annotation_get_object (accepted_back, 1)));
  g_assert_cmpfloat (bm_object_get_score (bm_annotation_get_object (accepted_back, 1)), ==, 37);
}

/* ------------------------------------------------------------------------------------------ */
/* Issue 16: encodings, DTD declarations, duplicates, junk, sizes the parser chokes on */

/* @utf8 in @encoding, with a byte order mark when @bom. */
static char *
encode (const char *utf8, const char *encoding, gboolean bom, gsize *length)
{
  gsize written = 0;
  g_autofree char *converted = g_convert (utf8, -1, encoding, "UTF-8", NULL, &written, NULL);
  char *out = g_malloc (written + 2);
  gsize at = 0;

  g_assert_nonnull (converted);
  if (bom && g_str_has_suffix (encoding, "LE"))
    out[at++] = (char) 0xFF, out[at++] = (char) 0xFE;
  else if (bom)
    out[at++] = (char) 0xFE, out[at++] = (char) 0xFF;
  memcpy (out + at, converted, written);
  *length = at + written;
  return out;
}

static const char utf16_body[] =
  "<annotation>\n"
  "\t<filename>\xe8\xa1\x97.jpg</filename>\n"
  "\t<object>\n"
  "\t\t<name>\xe8\xa1\x8c\xe4\xba\xba</name>\n"
  "\t\t<bndbox><xmin>1.0</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox>\n"
  "\t</object>\n"
  "</annotation>\n";

/* Before: an edited save wrote FF FE 3C 00 and stopped at the first NUL (libxml2's UTF-16 output
 * copied as a C string), and files without a declaration came back as UTF-8. */
static void
test_utf16_written_back_in_its_encoding (void)
{
  static const struct { const char *encoding; gboolean bom; gboolean declared; } cases[] = {
    { "UTF-16LE", TRUE, TRUE }, { "UTF-16BE", TRUE, TRUE }, { "UTF-16LE", FALSE, TRUE },
    { "UTF-16BE", FALSE, TRUE }, { "UTF-16LE", TRUE, FALSE }, { "UTF-16BE", TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *utf8 = g_strconcat (cases[i].declared ? "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" : "",
                                           utf16_body, NULL);
      g_autofree char *file = NULL;
      g_autofree char *unedited = NULL;
      g_autofree char *edited = NULL;
      g_autofree char *edited_utf8 = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(BmAnnotation) a = NULL;
      g_autoptr(BmAnnotation) a8 = NULL;
      g_autoptr(BmAnnotation) b = NULL;
      gsize length, out_length, expected_length, utf8_out_length;

      g_test_message ("%s, bom %d, declared %d", cases[i].encoding, cases[i].bom, cases[i].declared);
      file = encode (utf8, cases[i].encoding, cases[i].bom, &length);
      a = reload (file, length);
      g_assert_cmpuint (bm_annotation_get_n_objects (a), ==, 1);
      g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (a, 0)), ==, "\xe8\xa1\x8c\xe4\xba\xba");
      unedited = to_data (a, &out_length);
      g_assert_cmpmem (unedited, out_length, file, length);

      /* Edited: the same bytes as the same edit of the UTF-8 file, in the file's encoding. */
      {
        g_autofree char *twin = g_strconcat (cases[i].declared ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "",
                                             utf16_body, NULL);
        a8 = reload (twin, strlen (twin));
      }
      for (BmAnnotation **x = (BmAnnotation *[]) { a, a8, NULL }; *x != NULL; x++)
        {
          BmObject *object = bm_annotation_get_object (*x, 0);
          BmShape shape = *bm_object_get_shape (object);

          bm_shape_translate (&shape, 5, 0);
          bm_object_set_shape (object, &shape);
          bm_object_set_label (object, "\xe8\x87\xaa\xe8\xa1\x8c\xe8\xbd\xa6 \xf0\x9f\x9a\xb2");
          bm_annotation_set_verified (*x, TRUE);
        }
      edited = to_data (a, &out_length);
      edited_utf8 = to_data (a8, &utf8_out_length);
      if (cases[i].declared)
        {
          char *at = strstr (edited_utf8, "encoding=\"UTF-8\"");
          g_autofree char *fixed = NULL;

          g_assert_nonnull (at);
          *at = '\0';
          fixed = g_strconcat (edited_utf8, "encoding=\"UTF-16\"", at + strlen ("encoding=\"UTF-8\""), NULL);
          g_free (edited_utf8);
          edited_utf8 = g_steal_pointer (&fixed);
        }
      expected = encode (edited_utf8, cases[i].encoding, cases[i].bom, &expected_length);
      g_assert_cmpmem (edited, out_length, expected, expected_length);
      b = reload (edited, out_length);
      g_assert_cmpstr (bm_object_get_label (bm_annotation_get_object (b, 0)), ==,
                       "\xe8\x87\xaa\xe8\xa1\x8c\xe8\xbd\xa6 \xf0\x9f\x9a\xb2");
      g_assert_true (bm_annotation_get_verified (b));
    }
}

/* A file saved through bm_voc_save too (what detect --write and the window do). */
static void
test_utf16_file_saved_on_disk (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bm-voc-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *utf8 = g_strconcat ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n", utf16_body, NULL);
  g_autofree char *file = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(BmAnnotation) a = NULL;
  g_autoptr(BmAnnotation) b = NULL;
  g_autoptr(BmObject) added = NULL;
  g_autoptr(GError) error = NULL;
  gsize length, saved_length;
  BmShape shape;

  file = encode (utf8, "UTF-16LE", TRUE, &length);
  g_assert_true (g_file_set_contents (path, file, (gssize) length, NULL));
  a = bm_voc_load (path, &error);
  g_assert_no_error (error);
  bm_shape_init_box (&shape, 5, 6, 7, 8);
  added = bm_object_new ("face", &shape);
  bm_annotation_add_object (a, added);
  g_assert_true (bm_voc_save (a, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, &saved_length, NULL));
  g_assert_cmpuint (saved_length, >, length);
  g_assert_cmpint ((guchar) saved[0], ==, 0xFF);
  g_assert_cmpint ((guchar) saved[1], ==, 0xFE);
  g_assert_cmpint (saved[2], ==, '<');
  g_assert_cmpint (saved[3], ==, 0);
  b = bm_voc_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bm_annotation_get_n_objects (b), ==, 2);
  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_refused (const char *data, gsize length, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmAnnotation) a = bm_voc_load_data (data, length, "x.xml", &error);

  g_assert_null (a);
  g_assert_error (error, BM_ERROR, BM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "x.xml:"));
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_null (strstr (error->message, "XML_PARSE"));
}

#define ONE_OBJECT "<object><name>a</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>"

static void
test_dtd_declarations_refused (void)
{
  static const char attlist[] = "<!DOCTYPE annotation [<!ATTLIST annotation verified CDATA \"yes\">]>\n<annotation>" ONE_OBJECT "</annotation>\n";
  static const char element[] = "<!DOCTYPE annotation [<!ELEMENT annotation ANY>]>\n<annotation>" ONE_OBJECT "</annotation>\n";
  static const char plain[] = "<!DOCTYPE annotation>\n<annotation>" ONE_OBJECT "</annotation>\n";
  g_autoptr(BmAnnotation) a = NULL;

  /* Before: the default made the file verified, and un-verifying did not stick. */
  assert_refused (attlist, sizeof attlist - 1, "DTD declarations");
  assert_refused (element, sizeof element - 1, "DTD declarations");
  a = reload (plain, sizeof plain - 1);
  g_assert_false (bm_annotation_get_verified (a));
}

static void
test_duplicate_elements_reported (void)
{
  static const char names[] =
    "<annotation>\n<object>\n<name>car</name>\n<name>bus</name>\n"
    "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox>\n</object>\n" ONE_OBJECT "\n</annotation>\n";
  static const char boxes[] =
    "<annotation>\n<object>\n<name>car</name>\n"
    "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox>\n"
    "<bndbox><xmin>5</xmin><ymin>5</ymin><xmax>9</xmax><ymax>9</ymax></bndbox>\n</object>\n</annotation>\n";
  struct { const char *xml; int line; const char *what; } cases[] = { { names, 4, "<name>" }, { boxes, 5, "<bndbox>" } };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BmAnnotation) a = bm_voc_load_data (cases[i].xml, strlen (cases[i].xml), "x.xml", &error);
      BmProblem *problem;

      g_assert_no_error (error);
      g_assert_true (bm_annotation_is_read_only (a));
      g_assert_cmpuint (bm_annotation_get_problems (a)->len, ==, 1);
      problem = g_ptr_array_index (bm_annotation_get_problems (a), 0);
      g_assert_cmpint (problem->line, ==, cases[i].line);
      g_assert_nonnull (strstr (problem->message, cases[i].what));
    }
}

static void
test_junk_and_sizes_refused (void)
{
  static const char nul_padded[] = "<annotation>" ONE_OBJECT "</annotation>\n\0\0\0\0junk";
  GString *attributes = g_string_new ("<annotation><object ");
  GString *deep = g_string_new ("<annotation>");

  /* A file cut short and padded with NULs: before, libxml2 stopped at the first NUL, quietly. */
  assert_refused (nul_padded, sizeof nul_padded - 1, "NUL");
  /* 100,000 attributes: libxml2 takes minutes to check them for duplicates. */
  for (int i = 0; i < 100000; i++)
    g_string_append_printf (attributes, "a%d=\"1\" ", i);
  g_string_append (attributes, "/></annotation>");
  assert_refused (attributes->str, attributes->len, "attributes");
  /* libxml2's own words ("use XML_PARSE_HUGE option") are not for users. */
  for (int i = 0; i < 300; i++)
    g_string_append (deep, "<a>");
  assert_refused (deep->str, deep->len, "nested");
  g_string_free (attributes, TRUE);
  g_string_free (deep, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/voc/all-files/round-trip", test_all_files_load_and_round_trip);
  g_test_add_func ("/voc/all-files/only-root-tag-changes", test_all_files_only_root_tag_changes);
  g_test_add_func ("/voc/raccoon-matches-csv", test_raccoon_matches_csv);
  g_test_add_func ("/voc/dialect/rolabelimg", test_rolabelimg_rotated_box);
  g_test_add_func ("/voc/dialect/cvat", test_cvat_attributes_and_floats);
  g_test_add_func ("/voc/dialect/others", test_labelme_xanylabeling_labelimg_dialects);
  g_test_add_func ("/voc/dialect/xanylabeling-polygon", test_xanylabeling_polygon);
  g_test_add_func ("/voc/edit/move-add-delete", test_edit_dialects);
  g_test_add_func ("/voc/edit/only-edited-elements", test_edit_changes_only_edited_elements);
  g_test_add_func ("/voc/edit/verified", test_verified_attribute);
  g_test_add_func ("/voc/edit/copies-and-undo", test_copies_and_undo);
  g_test_add_func ("/voc/edit/size", test_size_edits);
  g_test_add_func ("/voc/edit/crlf", test_crlf_file);
  g_test_add_func ("/voc/edit/latin1", test_latin1_file);
  g_test_add_func ("/voc/write/new-file", test_new_file_is_labelimg_layout);
  g_test_add_func ("/voc/write/rotated-and-quad", test_rotated_and_quad_read_back_exactly);
  g_test_add_func ("/voc/write/rotate-in-rolabelimg", test_rotate_box_in_rolabelimg_file);
  g_test_add_func ("/voc/write/numbers", test_number_format);
  g_test_add_func ("/voc/write/failed-write", test_failed_write_keeps_file);
  g_test_add_func ("/voc/bad/files", test_bad_files);
  g_test_add_func ("/voc/bad/objects", test_bad_object_among_good);
  g_test_add_func ("/voc/bad/not-voc", test_not_voc);
  g_test_add_func ("/voc/read/name-whitespace", test_name_whitespace);
  g_test_add_func ("/voc/write/rotation-no-noise", test_rotation_writes_no_noise);
  g_test_add_func ("/voc/bad/absurd-values", test_absurd_values);
  g_test_add_func ("/voc/bad/long-polygon", test_long_polygon);
  g_test_add_func ("/voc/read/read-only-load-is-the-same", test_read_only_load_is_the_same);
  g_test_add_func ("/voc/write/keeps-reading-limit", test_writer_keeps_reading_limit);
  g_test_add_func ("/voc/write/pre-annotation", test_pre_annotation_element);
  g_test_add_func ("/voc/encoding/utf16", test_utf16_written_back_in_its_encoding);
  g_test_add_func ("/voc/encoding/utf16-on-disk", test_utf16_file_saved_on_disk);
  g_test_add_func ("/voc/bad/dtd-declarations", test_dtd_declarations_refused);
  g_test_add_func ("/voc/bad/duplicates", test_duplicate_elements_reported);
  g_test_add_func ("/voc/bad/junk-and-sizes", test_junk_and_sizes_refused);
  return g_test_run ();
}
