/* test-class-colour.c: class colours — the palette is distinct and readable, colours follow the
 * dataset's class order, stay put when classes are appended, and labels outside the order keep
 * away from the colours in use. Needs no display.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "widgets/bm-class-colour.h"

/* The smallest CIEDE2000 difference allowed between two palette colours: well above the ~2 of
 * a just noticeable difference and the ~10 at which two colours are told apart at a glance. */
#define MIN_PALETTE_DIFFERENCE 18.0
/* A label outside the order against each colour in use. */
#define MIN_UNKNOWN_DIFFERENCE 12.0

/* DOTA v1.5 in Ultralytics' class_mapping order (DOTA v1.0 is the first 15). */
static const char *const dota_classes[] = {
  "plane", "ship", "storage-tank", "baseball-diamond", "tennis-court", "basketball-court",
  "ground-track-field", "harbor", "bridge", "large-vehicle", "small-vehicle", "helicopter",
  "roundabout", "soccer-ball-field", "swimming-pool", "container-crane",
};

static double
difference (const GdkRGBA *a, const GdkRGBA *b)
{
  double la[3], lb[3];

  bm_class_colour_to_lab (a, la);
  bm_class_colour_to_lab (b, lb);
  return bm_class_colour_difference (la, lb);
}

static double
colour_of_difference (const char *a, const char *b)
{
  GdkRGBA ca, cb;

  bm_class_colour_for_label (a, &ca);
  bm_class_colour_for_label (b, &cb);
  return difference (&ca, &cb);
}

static void
assert_same_colour (const GdkRGBA *a, const GdkRGBA *b)
{
  g_assert_cmpfloat (a->red, ==, b->red);
  g_assert_cmpfloat (a->green, ==, b->green);
  g_assert_cmpfloat (a->blue, ==, b->blue);
  g_assert_cmpfloat (a->alpha, ==, b->alpha);
}

static void
assert_label_is_palette (const char *label, guint index)
{
  GdkRGBA got, expected;

  bm_class_colour_for_label (label, &got);
  bm_class_colour_get_palette (index, &expected);
  assert_same_colour (&got, &expected);
}

/* WCAG 2 relative luminance. */
static double
luminance (const GdkRGBA *c)
{
  double channel[3] = { c->red, c->green, c->blue };

  for (int i = 0; i < 3; i++)
    channel[i] = channel[i] <= 0.04045 ? channel[i] / 12.92 : pow ((channel[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
}

static void
reset_order (void)
{
  bm_class_colour_set_order (NULL, 0);
}

/* The pairs published with the formula (Sharma, Wu and Dalal 2005, table 1). */
static void
test_difference_reference (void)
{
  static const struct { double a[3], b[3], expected; } pairs[] = {
    { { 50.0, 2.6772, -79.7751 }, { 50.0, 0.0, -82.7485 }, 2.0425 },
    { { 50.0, 0.0, 0.0 }, { 50.0, -1.0, 2.0 }, 2.3669 },
    { { 50.0, 2.5, 0.0 }, { 73.0, 25.0, -18.0 }, 27.1492 },
    { { 50.0, 2.5, 0.0 }, { 61.0, -5.0, 29.0 }, 22.8977 },
    { { 50.0, 2.5, 0.0 }, { 56.0, -27.0, -3.0 }, 31.9030 },
    { { 50.0, 2.5, 0.0 }, { 58.0, 24.0, 15.0 }, 19.4535 },
    { { 60.2574, -34.0099, 36.2677 }, { 60.4626, -34.1751, 39.4387 }, 1.2644 },
  };
  GdkRGBA red = { 1, 0, 0, 1 }, grey = { 0.5, 0.5, 0.5, 1 };
  double lab[3];

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_assert_cmpfloat_with_epsilon (bm_class_colour_difference (pairs[i].a, pairs[i].b), pairs[i].expected, 1e-4);
      g_assert_cmpfloat_with_epsilon (bm_class_colour_difference (pairs[i].b, pairs[i].a), pairs[i].expected, 1e-4);
    }

  bm_class_colour_to_lab (&red, lab);
  g_assert_cmpfloat_with_epsilon (lab[0], 53.2408, 1e-3);
  g_assert_cmpfloat_with_epsilon (lab[1], 80.0925, 1e-3);
  g_assert_cmpfloat_with_epsilon (lab[2], 67.2032, 1e-3);
  bm_class_colour_to_lab (&grey, lab);
  g_assert_cmpfloat_with_epsilon (lab[0], 53.3890, 1e-3);
  g_assert_cmpfloat_with_epsilon (lab[1], 0.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (lab[2], 0.0, 1e-3);
}

static void
test_palette_distinct (void)
{
  guint n = bm_class_colour_get_n_palette ();
  double smallest = G_MAXDOUBLE;

  g_assert_cmpuint (n, >=, 20);
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        GdkRGBA a, b;
        double d;

        bm_class_colour_get_palette (i, &a);
        bm_class_colour_get_palette (j, &b);
        d = difference (&a, &b);
        if (d < MIN_PALETTE_DIFFERENCE)
          g_test_message ("palette %u and %u: CIEDE2000 %.2f", i, j, d);
        g_assert_cmpfloat (d, >=, MIN_PALETTE_DIFFERENCE);
        smallest = MIN (smallest, d);
      }
  g_test_message ("%u colours, smallest CIEDE2000 difference %.2f", n, smallest);
}

/* Readable at stroke width on dark ground (4:1 against black) and, with the canvas's dark halo,
 * on light ground (1.7:1 against white); never a grey that disappears into aerial images. */
static void
test_palette_readable (void)
{
  for (guint i = 0; i < bm_class_colour_get_n_palette (); i++)
    {
      GdkRGBA c;
      double y, lab[3];

      bm_class_colour_get_palette (i, &c);
      g_assert_cmpfloat (c.alpha, ==, 1.0);
      y = luminance (&c);
      g_assert_cmpfloat ((y + 0.05) / 0.05, >=, 4.0);
      g_assert_cmpfloat (1.05 / (y + 0.05), >=, 1.7);
      bm_class_colour_to_lab (&c, lab);
      g_assert_cmpfloat (hypot (lab[1], lab[2]), >=, 40.0);
    }
}

static void
test_order (void)
{
  guint n = G_N_ELEMENTS (dota_classes);

  bm_class_colour_set_order (dota_classes, n);
  for (guint i = 0; i < n; i++)
    assert_label_is_palette (dota_classes[i], i);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      g_assert_cmpfloat (colour_of_difference (dota_classes[i], dota_classes[j]), >=, MIN_PALETTE_DIFFERENCE);
  g_test_message ("ship / harbor: CIEDE2000 %.2f", colour_of_difference ("ship", "harbor"));
  g_assert_cmpfloat (colour_of_difference ("ship", "harbor"), >=, MIN_PALETTE_DIFFERENCE);

  /* DOTA_devkit's wordname_15 order: the same classes, other colours, still the palette */
  {
    static const char *const wordname_15[] = {
      "plane", "baseball-diamond", "bridge", "ground-track-field", "small-vehicle",
      "large-vehicle", "ship", "tennis-court", "basketball-court", "storage-tank",
      "soccer-ball-field", "roundabout", "harbor", "swimming-pool", "helicopter",
    };

    bm_class_colour_set_order (wordname_15, G_N_ELEMENTS (wordname_15));
    for (guint i = 0; i < G_N_ELEMENTS (wordname_15); i++)
      assert_label_is_palette (wordname_15[i], i);
  }
  reset_order ();
}

static void
test_deterministic (void)
{
  static const char *const labels[] = { "ship", "harbor", "face", "", "storage tank", "Ünïcødé" };
  GdkRGBA first[G_N_ELEMENTS (labels)], again;

  reset_order ();
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      bm_class_colour_for_label (labels[i], &first[i]);
      bm_class_colour_for_label (labels[i], &again);
      assert_same_colour (&first[i], &again);
      g_assert_cmpfloat (first[i].alpha, ==, 1.0);
    }
  bm_class_colour_for_label (NULL, &again);
  assert_same_colour (&first[3], &again);

  /* an order and back: the colours outside any order are the same again */
  bm_class_colour_set_order (dota_classes, G_N_ELEMENTS (dota_classes));
  reset_order ();
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      bm_class_colour_for_label (labels[i], &again);
      assert_same_colour (&first[i], &again);
    }

  /* the same order twice gives the same colours, to the bit */
  bm_class_colour_set_order (dota_classes, 5);
  bm_class_colour_for_label ("not a class", &first[0]);
  reset_order ();
  bm_class_colour_set_order (dota_classes, 5);
  bm_class_colour_for_label ("not a class", &again);
  assert_same_colour (&first[0], &again);
  reset_order ();
}

static void
test_append_keeps_colours (void)
{
  GdkRGBA before[8], after;

  bm_class_colour_set_order (dota_classes, 8);
  for (guint i = 0; i < 8; i++)
    bm_class_colour_for_label (dota_classes[i], &before[i]);
  /* labels met later, and a class the user adds */
  bm_class_colour_set_order (dota_classes, G_N_ELEMENTS (dota_classes));
  for (guint i = 0; i < 8; i++)
    {
      bm_class_colour_for_label (dota_classes[i], &after);
      assert_same_colour (&before[i], &after);
    }
  for (guint i = 8; i < G_N_ELEMENTS (dota_classes); i++)
    assert_label_is_palette (dota_classes[i], i);
  reset_order ();
}

static void
test_unknown_labels (void)
{
  static const char *const strangers[] = { "car", "person", "airport", "helipad", "dog", "x" };
  guint n = G_N_ELEMENTS (dota_classes);

  bm_class_colour_set_order (dota_classes, n);
  for (guint s = 0; s < G_N_ELEMENTS (strangers); s++)
    {
      GdkRGBA c, again;
      double y;

      bm_class_colour_for_label (strangers[s], &c);
      bm_class_colour_for_label (strangers[s], &again);
      assert_same_colour (&c, &again);
      for (guint i = 0; i < n; i++)
        g_assert_cmpfloat (colour_of_difference (strangers[s], dota_classes[i]), >=, MIN_UNKNOWN_DIFFERENCE);
      /* as readable as the palette */
      y = luminance (&c);
      g_assert_cmpfloat ((y + 0.05) / 0.05, >=, 4.0);
      g_assert_cmpfloat (1.05 / (y + 0.05), >=, 1.7);
    }
  /* two strangers differ too */
  g_assert_cmpfloat (colour_of_difference ("airport", "helipad"), >, 2.0);
  reset_order ();
}

/* More classes than colours: the rest keep away from the palette and from each other. */
static void
test_beyond_palette (void)
{
  guint n_palette = bm_class_colour_get_n_palette ();
  guint n = n_palette + 8;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  GdkRGBA first_extra, again;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (labels, g_strdup_printf ("class %u", i));
  bm_class_colour_set_order ((const char *const *) labels->pdata, n_palette + 1);
  bm_class_colour_for_label (g_ptr_array_index (labels, n_palette), &first_extra);
  bm_class_colour_set_order ((const char *const *) labels->pdata, n);
  bm_class_colour_for_label (g_ptr_array_index (labels, n_palette), &again);
  assert_same_colour (&first_extra, &again);

  for (guint i = 0; i < n_palette; i++)
    assert_label_is_palette (g_ptr_array_index (labels, i), i);
  for (guint i = n_palette; i < n; i++)
    for (guint j = 0; j < i; j++)
      g_assert_cmpfloat (colour_of_difference (g_ptr_array_index (labels, i), g_ptr_array_index (labels, j)), >, 5.0);
  reset_order ();
}

/* The window's way: a catalog from the dataset's class file, followed as it grows. */
static void
test_follow_catalog (void)
{
  const char *testdata = g_getenv ("BM_TESTDATA");
  g_autofree char *yaml = g_build_filename (testdata ? testdata : "", "dota", "ultralytics_dota8", "dota8.yaml", NULL);
  BmClassCatalog *catalog;
  g_autoptr(GError) error = NULL;
  GdkRGBA ship, plane, crane, stranger, again;

  if (testdata == NULL || !g_file_test (yaml, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no BM_TESTDATA/dota/ultralytics_dota8/dota8.yaml");
      return;
    }

  reset_order ();
  catalog = bm_class_catalog_new ();
  bm_class_colour_follow_catalog (catalog);
  /* drawn before the class file is read (a detector's box, say) */
  bm_class_colour_for_label ("container-crane", &stranger);
  g_assert_true (bm_class_catalog_load_file (catalog, yaml, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bm_class_catalog_get_n (catalog), ==, 15);
  for (guint i = 0; i < bm_class_catalog_get_n (catalog); i++)
    assert_label_is_palette (bm_class_catalog_get_name (catalog, i), i);
  g_assert_cmpstr (bm_class_catalog_get_name (catalog, 7), ==, "harbor");
  g_assert_cmpfloat (colour_of_difference ("ship", "harbor"), >=, MIN_PALETTE_DIFFERENCE);
  bm_class_colour_for_label ("ship", &ship);
  bm_class_colour_for_label ("plane", &plane);

  /* a label met in the files: the next palette colour, nothing else moves */
  bm_class_catalog_add_found (catalog, "helipad");
  assert_label_is_palette ("helipad", 15);
  bm_class_colour_for_label ("ship", &again);
  assert_same_colour (&ship, &again);
  bm_class_colour_for_label ("plane", &again);
  assert_same_colour (&plane, &again);
  /* a label drawn before it joined the order (a detector's box, then the scan meets it in a
   * file) keeps the colour it was drawn in for the session (issue 12) */
  bm_class_catalog_add_found (catalog, "container-crane");
  bm_class_colour_for_label ("container-crane", &crane);
  assert_same_colour (&stranger, &crane);

  /* the same class file read again: the same colours */
  g_assert_true (bm_class_catalog_load_file (catalog, yaml, &error));
  bm_class_catalog_add_found (catalog, "helipad");
  bm_class_catalog_add_found (catalog, "container-crane");
  bm_class_colour_for_label ("ship", &again);
  assert_same_colour (&ship, &again);
  bm_class_colour_for_label ("container-crane", &again);
  assert_same_colour (&crane, &again);

  /* the window goes: no order is left, labels get their own colours again */
  g_object_unref (catalog);
  bm_class_colour_for_label ("container-crane", &again);
  assert_same_colour (&stranger, &again);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/class-colour/difference-reference", test_difference_reference);
  g_test_add_func ("/class-colour/palette-distinct", test_palette_distinct);
  g_test_add_func ("/class-colour/palette-readable", test_palette_readable);
  g_test_add_func ("/class-colour/order", test_order);
  g_test_add_func ("/class-colour/deterministic", test_deterministic);
  g_test_add_func ("/class-colour/append-keeps-colours", test_append_keeps_colours);
  g_test_add_func ("/class-colour/unknown-labels", test_unknown_labels);
  g_test_add_func ("/class-colour/beyond-palette", test_beyond_palette);
  g_test_add_func ("/class-colour/follow-catalog", test_follow_catalog);

  return g_test_run ();
}
