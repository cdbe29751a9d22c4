/* bench-convert.c: `boxmark-cli convert --to yolo` on a generated 10,000-image VOC dataset,
 * side by side with a plain Python converter written the way Ultralytics' is
 * (bench_convert_ultralytics.py: xml.etree + one open() per file).
 *
 * Usage: bench-convert [N]   (default 10000). Prints both times and the ratio.
 * Target: under 2 s for 10,000 images, at least 20x faster than the Python converter.
 *
 * It also times the file-system work alone, with no parsing or formatting at all: per image,
 * read the XML, read the image header, hard-link the image and create its label file, on as
 * many threads as boxmark-cli uses. No converter can beat that, so Python's time divided by it
 * is the highest ratio this machine allows.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "core/bm-image.h"
#include "core/bm-parallel.h"

static const char *const labels[] = { "car", "person", "dog", "bicycle", "traffic light" };

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* labelImg-style XML with 3 objects. */
static char *
voc_xml (guint i, int width, int height)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml,
    "<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>img%05u.jpg</filename>\n"
    "\t<source>\n\t\t<database>Unknown</database>\n\t</source>\n"
    "\t<size>\n\t\t<width>%d</width>\n\t\t<height>%d</height>\n\t\t<depth>3</depth>\n\t</size>\n"
    "\t<segmented>0</segmented>\n", i, width, height);
  for (guint k = 0; k < 3; k++)
    {
      int x = (int) ((i * 7 + k * 13) % (width - 20));
      int y = (int) ((i * 11 + k * 5) % (height - 20));

      g_string_append_printf (xml,
        "\t<object>\n\t\t<name>%s</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n"
        "\t\t<difficult>0</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>%d</xmin>\n\t\t\t<ymin>%d</ymin>\n"
        "\t\t\t<xmax>%d</xmax>\n\t\t\t<ymax>%d</ymax>\n\t\t</bndbox>\n\t</object>\n",
        labels[(i + k) % G_N_ELEMENTS (labels)], x + 1, y + 1, x + 15, y + 12);
    }
  g_string_append (xml, "</annotation>\n");
  return g_string_free (xml, FALSE);
}

static void
generate (const char *src, guint n)
{
  g_autofree char *images = g_build_filename (src, "JPEGImages", NULL);
  g_autofree char *annotations = g_build_filename (src, "Annotations", NULL);
  g_autofree char *first = g_build_filename (images, "img00000.jpg", NULL);
  g_autoptr(BmImage) image = bm_image_new (64, 48, 3);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (images, 0755);
  g_mkdir_with_parents (annotations, 0755);
  if (!bm_image_save (image, first, 90, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("img%05u", i);
      g_autofree char *jpg = g_strdup_printf ("%s/%s.jpg", images, name);
      g_autofree char *xml_path = g_strdup_printf ("%s/%s.xml", annotations, name);
      g_autofree char *xml = voc_xml (i, 64, 48);

      if (i > 0 && link (first, jpg) != 0)
        g_error ("cannot link %s", jpg);
      if (!g_file_set_contents (xml_path, xml, -1, &error))
        g_error ("%s", error->message);
    }
}

typedef struct
{
  double wall;   /* seconds */
  double cpu;    /* user + system seconds of the child */
} Timing;

static double
children_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static Timing
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  double cpu = children_cpu ();
  gint64 start = g_get_monotonic_time ();
  Timing t;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error))
    g_error ("%s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  t.wall = (g_get_monotonic_time () - start) / 1e6;
  t.cpu = children_cpu () - cpu;
  return t;
}

static void
keep_best (Timing *best, Timing t)
{
  best->wall = MIN (best->wall, t.wall);
  best->cpu = MIN (best->cpu, t.cpu);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

/* File creation on a disk file system costs more than either converter and depends on what was
 * deleted before (ext4 scans recently freed inodes), so the comparison runs in RAM when it can:
 * $BM_BENCH_DIR, else /dev/shm, else the temporary folder. */
static char *
make_tmp_dir (void)
{
  const char *base = g_getenv ("BM_BENCH_DIR");
  g_autofree char *template = NULL;

  if (base == NULL && access ("/dev/shm", W_OK) == 0)
    base = "/dev/shm";
  if (base == NULL)
    return g_dir_make_tmp ("bm-bench-convert-XXXXXX", NULL);
  template = g_build_filename (base, "bm-bench-convert-XXXXXX", NULL);
  return g_strdup (g_mkdtemp (template));
}

typedef struct
{
  const char *src;
  const char *out;
} FloorJob;

static void
floor_one (guint i, gpointer user_data)
{
  const FloorJob *job = user_data;
  char xml[4096], jpg[4096], linked[4096], label[4096], buffer[16384];
  static const char rows[] = "0 0.500000 0.500000 0.100000 0.100000\n"
                             "1 0.500000 0.500000 0.100000 0.100000\n"
                             "2 0.500000 0.500000 0.100000 0.100000\n";
  int fd;

  g_snprintf (xml, sizeof xml, "%s/Annotations/img%05u.xml", job->src, i);
  g_snprintf (jpg, sizeof jpg, "%s/JPEGImages/img%05u.jpg", job->src, i);
  g_snprintf (linked, sizeof linked, "%s/images/img%05u.jpg", job->out, i);
  g_snprintf (label, sizeof label, "%s/labels/img%05u.txt", job->out, i);
  if ((fd = open (xml, O_RDONLY)) < 0 || read (fd, buffer, sizeof buffer) <= 0 || close (fd) != 0)
    g_error ("floor: cannot read %s", xml);
  if ((fd = open (jpg, O_RDONLY)) < 0 || pread (fd, buffer, sizeof buffer, 0) <= 0 || close (fd) != 0)
    g_error ("floor: cannot read %s", jpg);
  if (link (jpg, linked) != 0)
    g_error ("floor: cannot link %s: %s", linked, g_strerror (errno));
  if ((fd = open (label, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0
      || write (fd, rows, sizeof rows - 1) != (ssize_t) sizeof rows - 1 || close (fd) != 0)
    g_error ("floor: cannot write %s", label);
}

/* The system calls any converter has to make, and nothing else. */
static double
time_floor (const char *src, const char *out, guint n)
{
  g_autofree char *images = g_build_filename (out, "images", NULL);
  g_autofree char *labels_dir = g_build_filename (out, "labels", NULL);
  FloorJob job = { src, out };
  gint64 start = g_get_monotonic_time ();

  g_mkdir_with_parents (images, 0755);
  g_mkdir_with_parents (labels_dir, 0755);
  bm_parallel_for (n, 0, floor_one, &job);
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *src = g_build_filename (tmp, "voc", NULL);
  g_autofree char *ours = g_build_filename (tmp, "ours", NULL);
  g_autofree char *python = g_build_filename (tmp, "python", NULL);
  g_autofree char *floor_out = g_build_filename (tmp, "floor", NULL);
  double t_floor = G_MAXDOUBLE;
  g_autofree char *ours_labels = g_build_filename (ours, "labels", "train", NULL);
  g_autofree char *ours_val = g_build_filename (ours, "labels", "val", NULL);
  const char *cli = g_getenv ("BM_BENCH_CLI") ? g_getenv ("BM_BENCH_CLI") : BM_BENCH_CLI;
  const char *script = BM_BENCH_CONVERT_SCRIPT;
  Timing t_ours = { G_MAXDOUBLE, G_MAXDOUBLE }, t_python = { G_MAXDOUBLE, G_MAXDOUBLE };

  printf ("Generating %u VOC images (3 objects each) in %s …\n", n, tmp);
  fflush (stdout);
  generate (src, n);

  /* Best of three, alternating, each into a fresh folder (removing it is not timed): the
   * machine may be shared, and the best run is the one least disturbed. */
  for (int round = 0; round < 3; round++)
    {
      const char *argv_ours[] = { cli, "convert", "--to", "yolo", "--out", ours, src, NULL };
      const char *argv_python[] = { "/usr/bin/python3", script, src, python, NULL };

      remove_tree (ours);
      remove_tree (python);
      remove_tree (floor_out);
      double floor_time = time_floor (src, floor_out, n);   /* not inside MIN: it would run twice */

      t_floor = MIN (t_floor, floor_time);
      keep_best (&t_ours, run (argv_ours));
      if (count_files (ours_labels) + count_files (ours_val) != n)
        g_error ("boxmark-cli wrote %u label files, expected %u",
                 count_files (ours_labels) + count_files (ours_val), n);
      keep_best (&t_python, run (argv_python));
    }

  printf ("boxmark-cli convert --to yolo: %.3f s wall, %.3f s CPU (%.0f images/s)\n",
          t_ours.wall, t_ours.cpu, n / t_ours.wall);
  printf ("Python (xml.etree, Ultralytics style): %.3f s wall, %.3f s CPU (%.0f images/s)\n",
          t_python.wall, t_python.cpu, n / t_python.wall);
  printf ("ratio: %.1fx faster (wall), %.1fx (CPU)\n", t_python.wall / t_ours.wall, t_python.cpu / t_ours.cpu);
  printf ("file-system work alone (no parsing, %u threads): %.3f s wall: no converter can be more than "
          "%.1fx faster than Python here; boxmark-cli takes %.1fx that time\n",
          bm_parallel_default_threads (), t_floor, t_python.wall / t_floor, t_ours.wall / t_floor);
  printf ("target: < 2 s: %s; >= 20x: %s\n", t_ours.wall < 2.0 ? "met" : "NOT met",
          t_python.wall / t_ours.wall >= 20 ? "met" : "NOT met");
  if (g_getenv ("BM_BENCH_KEEP") != NULL)
    printf ("kept %s\n", tmp);
  else
    remove_tree (tmp);
  return 0;
}
