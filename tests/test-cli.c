/* test-cli.c: boxmark-cli validate and stats, run as a user would run them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gstdio.h>

typedef struct
{
  char *out;
  char *err;
  int status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
testdata (const char *rel)
{
  return g_build_filename (g_getenv ("BM_TESTDATA"), rel, NULL);
}

/* Runs boxmark-cli with @args (NULL-terminated) and returns its output and exit status. */
static void
run_cli (Run *run, const char *first, ...)
{
  g_autofree char *cli = g_build_filename (g_getenv ("BM_BUILD_ROOT"), "app", "boxmark-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;
  int wait_status;

  g_ptr_array_add (argv, cli);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static guint
count_lines_with (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_help_and_usage (void)
{
  g_auto(Run) help = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) validate_help = { 0 };

  run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "validate"));
  g_assert_nonnull (strstr (help.out, "stats"));
  g_assert_nonnull (strstr (help.out, "convert"));

  run_cli (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));

  run_cli (&none, "validate", NULL);
  g_assert_cmpint (none.status, ==, 2);

  run_cli (&validate_help, "validate", "--help", NULL);
  g_assert_cmpint (validate_help.status, ==, 0);
  g_assert_nonnull (strstr (validate_help.out, "FILE:LINE"));
}

static void
test_validate_clean_dataset (void)
{
  g_autofree char *dir = testdata ("voc/raccoon_labelimg");
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", dir, NULL);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "160 label files checked, 0 problems"));
}

static void
test_validate_bad_voc_lines (void)
{
  g_autofree char *file = testdata ("bad/bad_values.xml");
  g_autofree char *prefix = g_strconcat (file, ":", NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", file, NULL);
  g_assert_cmpint (run.status, ==, 1);
  /* <difficult>True</difficult> on line 6, "ten" on line 7, xmax < xmin on line 11, no
   * <bndbox> in the object that starts on line 13. */
  g_assert_nonnull (strstr (run.out, "bad_values.xml:6:"));
  g_assert_nonnull (strstr (run.out, "bad_values.xml:7:"));
  g_assert_nonnull (strstr (run.out, "bad_values.xml:11:"));
  g_assert_nonnull (strstr (run.out, "bad_values.xml:13:"));
  g_assert_cmpuint (count_lines_with (run.out, prefix), ==, count_lines_with (run.out, "\n"));
}

static void
test_validate_every_bad_file_reported (void)
{
  g_autofree char *dir = testdata ("bad");
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_autofree char *expected = g_strconcat (file, ":", NULL);
      g_auto(Run) run = { 0 };

      if (!g_str_has_suffix (name, ".xml") && strcmp (name, "dota_mixed.txt") != 0)
        continue;
      run_cli (&run, "validate", file, NULL);
      g_test_message ("%s:\n%s", name, run.out);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_true (g_str_has_prefix (run.out, expected));
      /* Never the contents of a file outside the data. */
      g_assert_null (strstr (run.out, "root:"));
    }
}

static void
test_validate_reports_orphan_labels (void)
{
  g_autofree char *dir = testdata ("dota/dota_devkit_example");
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", "--no-recursive", dir, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "P2709.txt: label file has no image"));
  g_assert_null (strstr (run.out, "P0706.txt"));
}

static void
test_validate_yolo_strict (void)
{
  g_autofree char *bad = testdata ("bad/yolo_mixed.txt");
  g_autofree char *coco8 = testdata ("yolo/ultralytics_coco8");
  g_auto(Run) run = { 0 };
  g_auto(Run) clean = { 0 };

  run_cli (&run, "validate", "--yolo-strict", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  /* Line 2 has too few values and line 6 a non-numeric class. */
  g_assert_nonnull (strstr (run.out, "yolo_mixed.txt:2:"));
  g_assert_nonnull (strstr (run.out, "yolo_mixed.txt:6:"));

  run_cli (&clean, "validate", "--yolo-strict", coco8, NULL);
  g_assert_cmpint (clean.status, ==, 0);
  g_assert_nonnull (strstr (clean.err, "8 label files checked, 0 problems"));
}

static guint
json_uint (const char *json, const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\": ", key);
  const char *p = strstr (json, needle);

  g_assert_nonnull (p);
  return (guint) g_ascii_strtoull (p + strlen (needle), NULL, 10);
}

static void
test_stats_json_counts (void)
{
  g_autofree char *dir = testdata ("voc/raccoon_labelimg");
  g_autofree char *csv_path = testdata ("voc/raccoon_labelimg/data/train_labels.csv");
  g_autofree char *csv = NULL;
  g_auto(Run) run = { 0 };
  guint csv_rows, verified = 0;
  g_autoptr(GDir) d = NULL;
  g_autofree char *annotations = testdata ("voc/raccoon_labelimg/annotations");
  const char *name;

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  csv_rows = count_lines_with (csv, "\n") - 1;
  d = g_dir_open (annotations, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (annotations, name, NULL);
      g_autofree char *xml = NULL;
      g_assert_true (g_file_get_contents (path, &xml, NULL, NULL));
      verified += strstr (xml, "verified=\"yes\"") != NULL;
    }

  run_cli (&run, "stats", "--json", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (json_uint (run.out, "images"), ==, 160);
  g_assert_cmpuint (json_uint (run.out, "labeled"), ==, 160);
  g_assert_cmpuint (json_uint (run.out, "verified"), ==, verified);
  g_assert_cmpuint (json_uint (run.out, "objects"), ==, csv_rows);
  g_assert_cmpuint (json_uint (run.out, "problems"), ==, 0);
  g_assert_nonnull (strstr (run.out, "\"layout\": \"voc\""));
  g_assert_nonnull (strstr (run.out, "\"raccoon\": {\"objects\": "));
}

static void
test_stats_text_utf8_classes (void)
{
  g_autofree char *dir = testdata ("voc/cvat_zavtrak_ru");
  g_auto(Run) run = { 0 };

  run_cli (&run, "stats", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Images:"));
  g_assert_true (g_utf8_validate (run.out, -1, NULL));
  /* The Cyrillic class names come through as written. */
  g_assert_nonnull (g_utf8_strchr (run.out, -1, 0x0430) /* а */);
}

static void
test_stats_missing_folder (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "stats", "/nonexistent/boxmark-data", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "/nonexistent/boxmark-data"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/help", test_help_and_usage);
  g_test_add_func ("/cli/validate-clean", test_validate_clean_dataset);
  g_test_add_func ("/cli/validate-bad-lines", test_validate_bad_voc_lines);
  g_test_add_func ("/cli/validate-every-bad-file", test_validate_every_bad_file_reported);
  g_test_add_func ("/cli/validate-orphans", test_validate_reports_orphan_labels);
  g_test_add_func ("/cli/validate-yolo-strict", test_validate_yolo_strict);
  g_test_add_func ("/cli/stats-json", test_stats_json_counts);
  g_test_add_func ("/cli/stats-utf8", test_stats_text_utf8_classes);
  g_test_add_func ("/cli/stats-missing", test_stats_missing_folder);
  return g_test_run ();
}
