/* bench-gui.c: how fast the window opens big folders and huge images (needs a display).
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" env GSETTINGS_BACKEND=memory GTK_A11Y=none \
 *     GSETTINGS_SCHEMA_DIR=build/resources build/bench/bench-gui many 100000
 *   ... build/bench/bench-gui large 20000
 *
 * "many" makes N hard links to one small PNG (every tenth with a VOC file) and reports the time
 * from asking to open the folder to the first image on screen, the memory then, the time the
 * background label scan takes, and the time per image when stepping with D.
 * "search" makes N images, each with a verified VOC file but the last, opens the folder and, as
 * soon as the first image is on screen, times one synchronous bm_file_list_find() reading the
 * states it meets (how next-unverified used to work); then opens it afresh and presses
 * Ctrl+Shift+D, reporting the longest the main loop went without running a 1 ms timer (the
 * worst freeze) and how much of it the main thread was busy, until it landed.
 * "large" writes a SIZE × SIZE gray JPEG and reports the time until the whole image is on screen
 * (its overview), memory, the largest tile, and the time to render the canvas at fit and at 100 %
 * (where full-size tiles are still decoding, a coarser level is drawn: rendering never waits).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "app/bm-window.h"
#include "core/bm-image.h"
#include "widgets/bm-file-list-model.h"
#include "widgets/bm-tile-image.h"

static const char voc_template[] =
  "<annotation>\n\t<folder>many</folder>\n\t<filename>x.png</filename>\n\t<size>\n\t\t<width>64</width>\n"
  "\t\t<height>48</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<object>\n\t\t<name>thing</name>\n"
  "\t\t<bndbox>\n\t\t\t<xmin>4</xmin>\n\t\t\t<ymin>4</ymin>\n\t\t\t<xmax>40</xmax>\n\t\t\t<ymax>30</ymax>\n"
  "\t\t</bndbox>\n\t</object>\n</annotation>\n";

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (p = strstr (status, field)) == NULL)
    return -1;
  return atol (p + strlen (field) + 1);
}

static void
wait_until_idle (BmWindow *window)
{
  while (bm_window_is_busy (window))
    g_main_context_iteration (NULL, TRUE);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static BmWindow *
new_window (void)
{
  BmWindow *window = bm_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

/* With BM_BENCH_DIR set, the folder of a previous run with the same N is used again (making a
 * million links takes longer than what is measured). */
static gboolean
made_before (const char *root,
             guint       n)
{
  g_autofree char *marker = g_build_filename (root, "many.n", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *want = g_strdup_printf ("%u", n);
  gboolean same;

  if (g_getenv ("BM_BENCH_DIR") == NULL)
    return FALSE;
  same = g_file_get_contents (marker, &contents, NULL, NULL) && strcmp (contents, want) == 0;
  if (!same)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s/many'", root);

      if (system (cmd) != 0)
        g_error ("could not clear %s", root);
      g_mkdir_with_parents (root, 0755);
    }
  return same;
}

static void
bench_many (const char *root,
            guint       n)
{
  g_autofree char *folder = g_build_filename (root, "many", NULL);
  g_autofree char *png = g_build_filename (root, "source.png", NULL);
  g_autofree char *xml = g_build_filename (root, "source.xml", NULL);
  g_autoptr(BmImage) image = bm_image_new (64, 48, 3);
  g_autoptr(GError) error = NULL;
  BmWindow *window;
  gint64 start;
  double first, scan, per_image;
  long rss_first;
  gboolean reuse = made_before (root, n);

  for (int i = 0; i < 64 * 48 * 3; i++)
    image->data[i] = (guint8) (i * 7);
  g_mkdir_with_parents (folder, 0755);
  if (!bm_image_save (image, png, 90, &error) || !g_file_set_contents (xml, voc_template, -1, &error))
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  for (guint i = reuse ? n : 0; i < n; i++)
    {
      char name[64];
      g_autofree char *path = NULL;

      /* ext4 allows 65000 links to one file: start a new source file every 50000. */
      if (i % 50000 == 0 && i > 0)
        {
          g_autofree char *copy = g_strdup_printf ("%s.%u.png", png, i);
          g_autofree char *copy_xml = g_strdup_printf ("%s.%u.xml", xml, i);

          if (!bm_image_save (image, copy, 90, &error) || !g_file_set_contents (copy_xml, voc_template, -1, &error))
            g_error ("%s", error->message);
          g_free (png);
          g_free (xml);
          png = g_steal_pointer (&copy);
          xml = g_steal_pointer (&copy_xml);
        }
      g_snprintf (name, sizeof name, "img%06u.png", i);
      path = g_build_filename (folder, name, NULL);
      if (link (png, path) != 0)
        g_error ("link %s failed", path);
      if (i % 10 == 0)
        {
          g_autofree char *label = NULL;

          g_snprintf (name, sizeof name, "img%06u.xml", i);
          label = g_build_filename (folder, name, NULL);
          if (link (xml, label) != 0)
            g_error ("link %s failed", label);
        }
    }
  g_print ("made %u images in %.2f s\n", n, seconds_since (start));
  if (g_getenv ("BM_BENCH_DIR") != NULL)
    {
      g_autofree char *marker = g_build_filename (root, "many.n", NULL);
      g_autofree char *want = g_strdup_printf ("%u", n);

      g_file_set_contents (marker, want, -1, NULL);
    }

  window = new_window ();
  g_print ("window up: RSS %ld MB\n", status_kb ("VmRSS:") / 1024);

  start = g_get_monotonic_time ();
  bm_window_open_path (window, folder);
  /* the first image is shown while the folder is still being sorted and paired */
  while (bm_canvas_get_image (bm_window_get_canvas (window)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (bm_window_get_canvas (window)));
  first = seconds_since (start);
  rss_first = status_kb ("VmRSS:");
  g_print ("open %u images → first image on screen: %.3f s, RSS %ld MB\n", n, first, rss_first / 1024);
  while (bm_window_get_current_index (window) != 0 || bm_canvas_get_image (bm_window_get_canvas (window)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_print ("the whole list usable (%u rows, the first selected): %.3f s, RSS %ld MB\n",
           bm_file_list_get_n_shown (bm_window_get_file_list (window)), seconds_since (start),
           status_kb ("VmRSS:") / 1024);

  start = g_get_monotonic_time ();
  while (!bm_file_list_model_is_scanned (bm_file_list_get_model (bm_window_get_file_list (window))))
    g_main_context_iteration (NULL, TRUE);
  scan = seconds_since (start);
  g_print ("background label scan of %u items: %.2f s more, RSS %ld MB\n", n, scan, status_kb ("VmRSS:") / 1024);

  start = g_get_monotonic_time ();
  for (int i = 0; i < 200; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
      wait_until_idle (window);
    }
  per_image = seconds_since (start) / 200;
  g_print ("D × 200: %.2f ms per image; now at %d\n", per_image * 1000, bm_window_get_current_index (window));

  bm_file_list_set_filter_text (bm_window_get_file_list (window), "empty:no");
  g_print ("filter empty:no shows %u rows; RSS %ld MB, peak %ld MB\n",
           bm_file_list_get_n_shown (bm_window_get_file_list (window)),
           status_kb ("VmRSS:") / 1024, status_kb ("VmHWM:") / 1024);
  gtk_window_destroy (GTK_WINDOW (window));

  /* For comparison: the part of the open that is listing and pairing the files. */
  {
    g_autoptr(BmDataset) dataset = NULL;

    start = g_get_monotonic_time ();
    dataset = bm_dataset_open (folder, FALSE, &error);
    g_print ("bm_dataset_open alone (warm cache): %.3f s\n", seconds_since (start));
  }
}

typedef struct
{
  BmWindow *window;
  gint64 last;
  gint64 last_cpu;
  gint64 worst;
  gint64 worst_searching;   /* until the search found its image, before going there */
  gint64 worst_cpu_searching;  /* the same in CPU time of the main thread: its own work */
  guint ticks;
  guint missed_frames;      /* gaps over 17 ms while searching */
  gboolean searching;
} Gaps;

static gint64
thread_cpu_time (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return (gint64) t.tv_sec * G_USEC_PER_SEC + t.tv_nsec / 1000;
}

static void
note_gap (Gaps *gaps)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  gaps->worst = MAX (gaps->worst, now - gaps->last);
  if (gaps->searching)
    {
      gaps->worst_searching = MAX (gaps->worst_searching, now - gaps->last);
      gaps->worst_cpu_searching = MAX (gaps->worst_cpu_searching, cpu - gaps->last_cpu);
      gaps->missed_frames += now - gaps->last > 17000;
    }
  gaps->last = now;
  gaps->last_cpu = cpu;
}

static gboolean
gap_tick_cb (gpointer data)
{
  Gaps *gaps = data;

  note_gap (gaps);
  gaps->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
busy_changed_cb (BmWindow   *window,
                 GParamSpec *pspec,
                 Gaps       *gaps)
{
  /* The search ends by showing the status without "Looking for…", just before going there. */
  if (gaps->searching && strstr (bm_window_get_status_text (window), "Looking") == NULL)
    {
      note_gap (gaps);
      gaps->searching = FALSE;
    }
}

static gboolean
press_next_unverified_cb (gpointer data)
{
  Gaps *gaps = data;

  gaps->searching = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (gaps->window), "win.next-unverified", NULL);
  return G_SOURCE_REMOVE;
}

/* What the window's next-unverified looks for, asking for each state there and then. */
static gboolean
is_unverified_now (BmFileListModel *model,
                   guint            index,
                   gpointer         user_data)
{
  BmFileState state = bm_file_list_model_get_state (model, index);

  return state != BM_FILE_STATE_VERIFIED && state != BM_FILE_STATE_PROBLEM;
}

static BmWindow *
open_and_wait (const char *folder)
{
  BmWindow *window = new_window ();

  bm_window_open_path (window, folder);
  while (bm_window_get_current_index (window) != 0 || bm_canvas_get_image (bm_window_get_canvas (window)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

static void
bench_search (const char *root,
              guint       n)
{
  g_autofree char *folder = g_build_filename (root, "search", NULL);
  g_autofree char *png = g_build_filename (root, "source.png", NULL);
  g_autofree char *xml = g_build_filename (root, "source.xml", NULL);
  g_autofree char *verified = NULL;
  g_autoptr(BmImage) image = bm_image_new (64, 48, 3);
  g_autoptr(GError) error = NULL;
  Gaps gaps = { 0 };
  BmWindow *window;
  gint64 start;
  guint timer;
  int found;

  verified = g_strdup_printf ("<annotation verified=\"yes\">%s", voc_template + strlen ("<annotation>"));
  g_mkdir_with_parents (folder, 0755);
  if (!bm_image_save (image, png, 90, &error) || !g_file_set_contents (xml, verified, -1, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      char name[64];
      g_autofree char *path = NULL;

      /* ext4 allows 65000 links to one file: start a new source file every 30000. */
      if (i % 30000 == 0 && i > 0)
        {
          g_autofree char *copy = g_strdup_printf ("%s.%u.png", png, i);
          g_autofree char *copy_xml = g_strdup_printf ("%s.%u.xml", xml, i);

          if (!bm_image_save (image, copy, 90, &error) || !g_file_set_contents (copy_xml, verified, -1, &error))
            g_error ("%s", error->message);
          g_free (png);
          g_free (xml);
          png = g_steal_pointer (&copy);
          xml = g_steal_pointer (&copy_xml);
        }
      g_snprintf (name, sizeof name, "img%06u.png", i);
      path = g_build_filename (folder, name, NULL);
      if (link (png, path) != 0)
        g_error ("link %s failed", path);
      if (i + 1 < n)
        {
          g_autofree char *label = NULL;

          g_snprintf (name, sizeof name, "img%06u.xml", i);
          label = g_build_filename (folder, name, NULL);
          if (link (xml, label) != 0)
            g_error ("link %s failed", label);
        }
    }

  /* The old way: one synchronous bm_file_list_find() reading each state it meets. */
  window = open_and_wait (folder);
  start = g_get_monotonic_time ();
  found = bm_file_list_find (bm_window_get_file_list (window), 0, 1, is_unverified_now, NULL);
  g_print ("synchronous search of %u images right after opening: found %d, main loop blocked %.1f ms\n",
           n, found, seconds_since (start) * 1000);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Ctrl+Shift+D now. */
  window = open_and_wait (folder);
  gaps.window = window;
  g_signal_connect (window, "notify::busy", G_CALLBACK (busy_changed_cb), &gaps);
  start = gaps.last = g_get_monotonic_time ();
  gaps.last_cpu = thread_cpu_time ();
  timer = g_timeout_add (1, gap_tick_cb, &gaps);
  g_idle_add (press_next_unverified_cb, &gaps);
  while (bm_window_get_current_index (window) != (int) n - 1)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  g_print ("Ctrl+Shift+D in %u images right after opening: on %d after %.2f s; main loop blocked at worst "
           "%.1f ms while searching (%.1f ms of it busy, the rest waiting for a CPU; %u gaps over 17 ms in %u "
           "ticks of a 1 ms timer), %.1f ms including going there\n",
           n, bm_window_get_current_index (window), seconds_since (start), gaps.worst_searching / 1000.0,
           gaps.worst_cpu_searching / 1000.0, gaps.missed_frames, gaps.ticks, gaps.worst / 1000.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static double
render_seconds (GtkWidget *widget)
{
  gint64 start = g_get_monotonic_time ();
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                              gtk_widget_get_height (widget)));
  return seconds_since (start);
}

static void
bench_large (const char *root,
             int         size)
{
  g_autofree char *folder = g_build_filename (root, "large", NULL);
  g_autofree char *jpg = g_build_filename (folder, "huge.jpg", NULL);
  g_autoptr(GError) error = NULL;
  BmWindow *window;
  BmCanvas *canvas;
  BmTileImage *tiles;
  gint64 start;

  g_mkdir_with_parents (folder, 0755);
  {
    g_autoptr(BmImage) image = bm_image_new (size, size, 1);

    for (int y = 0; y < size; y++)
      for (int x = 0; x < size; x++)
        image->data[(gsize) y * image->stride + x] = (guint8) (((x / 64) ^ (y / 64)) & 1 ? 200 : (x + y) / 160);
    start = g_get_monotonic_time ();
    if (!bm_image_save (image, jpg, 85, &error))
      g_error ("%s", error->message);
    g_print ("wrote %d × %d JPEG in %.1f s\n", size, size, seconds_since (start));
  }

  window = new_window ();
  canvas = bm_window_get_canvas (window);
  start = g_get_monotonic_time ();
  bm_window_open_path (window, folder);
  while (bm_canvas_get_image (canvas) == NULL)
    g_main_context_iteration (NULL, TRUE);
  tiles = bm_canvas_get_image (canvas);
  g_print ("huge image in the canvas (header read) after %.2f s\n", seconds_since (start));
  /* It decodes in the background: the whole image shows once its overview is decoded. */
  while (!bm_tile_image_has_overview (tiles))
    g_main_context_iteration (NULL, TRUE);
  g_print ("whole image on screen after %.2f s; %u levels, largest tile %d px, tiles %zu MB, RSS %ld MB, peak %ld MB\n",
           seconds_since (start), bm_tile_image_get_n_levels (tiles), bm_tile_image_get_max_tile_size (tiles),
           bm_tile_image_get_memory_size (tiles) / (1024 * 1024), status_kb ("VmRSS:") / 1024,
           status_kb ("VmHWM:") / 1024);
  g_print ("render at fit while the second pass runs: %.1f ms\n", render_seconds (GTK_WIDGET (canvas)) * 1000);
  while (bm_tile_image_is_loading (tiles))
    g_main_context_iteration (NULL, TRUE);
  g_print ("second pass done after %.2f s; tiles %zu MB, RSS %ld MB, peak %ld MB\n", seconds_since (start),
           bm_tile_image_get_memory_size (tiles) / (1024 * 1024), status_kb ("VmRSS:") / 1024,
           status_kb ("VmHWM:") / 1024);

  g_print ("render at fit (%.4f): %.1f ms\n", bm_canvas_get_zoom (canvas), render_seconds (GTK_WIDGET (canvas)) * 1000);
  bm_canvas_set_zoom (canvas, 1.0);
  g_print ("render at 100 %%: %.1f ms\n", render_seconds (GTK_WIDGET (canvas)) * 1000);
  bm_canvas_set_zoom (canvas, 8.0);
  g_print ("render at 800 %%: %.1f ms\n", render_seconds (GTK_WIDGET (canvas)) * 1000);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *root = NULL;
  g_autofree char *cmd = NULL;

  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  if (argc < 2 || !gtk_init_check ())
    {
      g_printerr ("usage (with a display): %s many [N] | search [N] | large [SIZE]\n", argv[0]);
      return 2;
    }

  if (g_getenv ("BM_BENCH_DIR") != NULL)
    root = g_strdup (g_getenv ("BM_BENCH_DIR"));
  else
    root = g_dir_make_tmp ("boxmark-bench-XXXXXX", NULL);
  if (strcmp (argv[1], "many") == 0)
    bench_many (root, argc > 2 ? (guint) atoi (argv[2]) : 100000);
  else if (strcmp (argv[1], "search") == 0)
    bench_search (root, argc > 2 ? (guint) atoi (argv[2]) : 100000);
  else if (strcmp (argv[1], "large") == 0)
    bench_large (root, argc > 2 ? atoi (argv[2]) : 20000);

  cmd = g_strdup_printf ("rm -rf '%s'", root);
  if (g_getenv ("BM_BENCH_DIR") == NULL && system (cmd) != 0)
    g_printerr ("could not remove %s\n", root);
  return 0;
}
