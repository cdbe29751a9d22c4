/* bm-window-split.c: the window's DOTA split. The work is bm_dota_split's (dataset/); this file
 * asks for a folder and the tile settings, shows the progress under the header bar with a
 * Cancel button, and says how it went. While it writes, the session runs an export job (so the
 * window is busy and a second export is refused), and the application stays up until the files
 * are written, as for the YOLO export.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "dataset/bm-dota-split.h"
#include "formats/bm-yolo-export.h"
#include "bm-window-private.h"
#include "bm-window-split.h"

#define MAX_PROBLEMS_SHOWN 12

struct _BmWindowSplit
{
  GtkRevealer *revealer;
  GtkProgressBar *progress;
  GtkButton *button;
  char *out_dir;
  gboolean running;
};

/* The choices of the folder dialog: ids are what the split gets. ImgSplit's defaults come
 * first: GTK 4.8's own dialog (used where no portal is) ignores gtk_file_chooser_set_choice
 * for a choice with options and shows the first. */
static const char *const size_ids[] = { "1024", "512", "640", "800", "1333", "2048", NULL };
static const char *const size_labels[] = { N_("1024 (ImgSplit’s)"), "512", "640", "800", "1333", "2048", NULL };
static const char *const gap_ids[] = { "100", "0", "50", "200", "256", "512", NULL };
static const char *const gap_labels[] = { N_("100 (ImgSplit’s)"), "0", "50", "200", "256", "512", NULL };
static const char *const rate_ids[] = { "1", "1,0.5", "1,0.5,1.5", "0.5", "1,2", NULL };
static const char *const rate_labels[] = { N_("1 (as they are)"), N_("1 and 0.5"), N_("1, 0.5 and 1.5"),
                                           N_("0.5"), N_("1 and 2"), NULL };

/* @path with symlinks resolved as far as it exists (the output folder may not exist yet). */
static char *
resolve_path (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *parent = NULL, *base = NULL, *resolved_parent = NULL;
  char *resolved = realpath (absolute, NULL);

  if (resolved != NULL)
    {
      char *copy = g_strdup (resolved);

      free (resolved);
      return copy;
    }
  parent = g_path_get_dirname (absolute);
  if (strcmp (parent, absolute) == 0)
    return g_steal_pointer (&absolute);
  base = g_path_get_basename (absolute);
  resolved_parent = resolve_path (parent);
  return g_build_filename (resolved_parent, base, NULL);
}

static gboolean
path_is_inside (const char *path, const char *folder)
{
  g_autofree char *a = resolve_path (path);
  g_autofree char *b = resolve_path (folder);
  gsize n = strlen (b);

  return strcmp (a, b) == 0
         || (strncmp (a, b, n) == 0 && (a[n] == G_DIR_SEPARATOR || b[n - 1] == G_DIR_SEPARATOR));
}

static BmWindowSplit *
split_state (BmWindow *self)
{
  if (self->split == NULL)
    self->split = g_new0 (BmWindowSplit, 1);
  return self->split;
}

gboolean
bm_window_is_splitting (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), FALSE);
  return self->split != NULL && self->split->running;
}

GtkProgressBar *
bm_window_get_split_progress (BmWindow *self)
{
  g_return_val_if_fail (BM_IS_WINDOW (self), NULL);
  return self->split != NULL ? self->split->progress : NULL;
}

/* The bar under the header bar, beside the pre-annotation's, made on first use. */
static void
ensure_bar (BmWindow *self)
{
  BmWindowSplit *split = split_state (self);
  GtkWidget *box;

  if (split->revealer != NULL)
    return;
  split->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (split->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  split->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (split->progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (split->progress), GTK_ALIGN_CENTER);
  gtk_progress_bar_set_show_text (split->progress, TRUE);
  gtk_progress_bar_set_ellipsize (split->progress, PANGO_ELLIPSIZE_MIDDLE);
  split->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (split->button), "win.export-split-cancel");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (split->progress));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (split->button));
  gtk_revealer_set_child (split->revealer, box);
  gtk_widget_insert_after (GTK_WIDGET (split->revealer),
                           gtk_widget_get_parent (GTK_WIDGET (self->batch_revealer)),
                           GTK_WIDGET (self->batch_revealer));
}

static void
dialog_destroyed_cb (BmWindow *self)
{
  self->export_dialog = NULL;
}

static void
show_outcome (BmWindow *self, GtkMessageType type, const char *headline, const char *details)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_DESTROY_WITH_PARENT,
                                              type, GTK_BUTTONS_CLOSE, "%s", headline);

  if (details != NULL && details[0] != '\0')
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", details);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self);
  if (self->export_dialog != NULL)
    gtk_window_destroy (self->export_dialog);
  self->export_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
progress_cb (guint64 done, guint64 total, const char *image, gpointer user_data)
{
  BmWindow *self = user_data;
  BmWindowSplit *split = self->split;
  g_autofree char *text = NULL;

  if (split == NULL || split->progress == NULL)
    return;
  if (image != NULL)
    {
      g_autofree char *name = g_path_get_basename (image);
      text = g_strdup_printf (_("Splitting: %" PRIu64 " of %" PRIu64 " tiles (%s done)"),
                              done, total, name);
    }
  else
    text = g_strdup_printf (_("Splitting: %" PRIu64 " of %" PRIu64 " tiles"), done, total);
  gtk_progress_bar_set_fraction (split->progress, total > 0 ? (double) done / (double) total : 1.0);
  gtk_progress_bar_set_text (split->progress, text);
}

static char *
report_details (const BmDotaSplitReport *report)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, _("%u label lines: %u objects whole, %u cut by a tile edge (%u of them marked difficult 2)."),
                          report->n_objects, report->n_whole, report->n_cut, report->n_difficult);
  if (report->n_left_out > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, ngettext ("%u cut part with fewer than 4 or more than 5 corners was left out, as ImgSplit leaves it out.",
                                             "%u cut parts with fewer than 4 or more than 5 corners were left out, as ImgSplit leaves them out.",
                                             report->n_left_out), report->n_left_out);
    }
  if (report->n_unlabelled > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, ngettext ("%u image has no label file: its tiles have none either.",
                                             "%u images have no label file: their tiles have none either.",
                                             report->n_unlabelled), report->n_unlabelled);
    }
  if (report->n_failed > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_printf (out, ngettext ("%u image was left out.", "%u images were left out.", report->n_failed),
                              report->n_failed);
    }
  for (guint i = 0; i < report->renamed->len; i++)
    g_string_append_printf (out, _("\nRenamed %s: DOTA class names are one word."), (char *) report->renamed->pdata[i]);
  if (report->problems->len > 0)
    {
      g_string_append_c (out, '\n');
      for (guint i = 0; i < MIN (report->problems->len, MAX_PROBLEMS_SHOWN); i++)
        g_string_append_printf (out, "\n%s", (char *) report->problems->pdata[i]);
      if (report->problems->len > MAX_PROBLEMS_SHOWN)
        g_string_append_printf (out, "\n%s", _("(and more: boxmark-cli split lists them all)"));
    }
  return g_string_free (out, FALSE);
}

static void
split_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(BmWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmDotaSplitReport) report = bm_dota_split_finish (result, &error);
  GApplication *application = g_application_get_default ();
  BmWindowSplit *split = self->split;
  g_autofree char *headline = NULL, *details = NULL;

  bm_session_end_job (self->session, BM_SESSION_JOB_EXPORT);
  if (application != NULL)
    g_application_release (application);
  if (split == NULL)
    return;
  split->running = FALSE;
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || split->revealer == NULL)
    {
      /* the window was closed while the split ran: nobody to tell */
      g_free (split->out_dir);
      g_clear_pointer (&self->split, g_free);
      return;
    }
  gtk_revealer_set_reveal_child (split->revealer, FALSE);

  details = report_details (report);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      headline = g_strdup (_("The split was stopped"));
      g_free (details);
      details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tile was written to %s before you stopped it; it is complete.",
                                              "%u tiles were written to %s before you stopped it; each of them is complete.", report->n_image_tiles),
                                 report->n_image_tiles, split->out_dir);
      show_outcome (self, GTK_MESSAGE_WARNING, headline, details);
      return;
    }
  if (error != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s\n\n%s", error->message, details);
      show_outcome (self, GTK_MESSAGE_ERROR, _("The split failed"), both);
      return;
    }
  headline = g_strdup_printf (ngettext ("Split %u image into %u tiles in %s", "Split %u images into %u tiles in %s",
                                        report->n_images),
                              report->n_images, report->n_image_tiles, split->out_dir);
  show_outcome (self, report->problems->len > 0 ? GTK_MESSAGE_WARNING : GTK_MESSAGE_INFO, headline, details);
}

/* "1,0.5" → rates; FALSE when one is not a positive number or there are too many. */
static gboolean
parse_rates (const char *text, BmDotaSplitOptions *options)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL && text[0] != '\0' ? text : "1", ",", -1);

  options->n_rates = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      double rate = g_ascii_strtod (g_strstrip (parts[i]), &end);

      if (end == parts[i] || *end != '\0' || !(rate > 0) || rate > 100
          || options->n_rates == G_N_ELEMENTS (options->rates))
        return FALSE;
      options->rates[options->n_rates++] = rate;
    }
  return options->n_rates > 0;
}

static void
start_split (BmWindow *self, const char *out_dir, int size, int gap, const char *rates)
{
  BmDataset *dataset = bm_window_get_dataset (self);
  BmWindowSplit *split;
  BmDotaSplitOptions options;
  GCancellable *cancellable;
  g_autofree char *root = NULL;

  if (dataset == NULL || bm_session_is_running (self->session, BM_SESSION_JOB_EXPORT))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  bm_dota_split_options_init (&options);
  if (size <= 0 || gap < 0 || gap >= size || !parse_rates (rates, &options))
    {
      show_outcome (self, GTK_MESSAGE_ERROR, _("The split did not start"),
                    _("The overlap must be smaller than the tile size, and each scale a positive number."));
      return;
    }
  options.size = size;
  options.gap = gap;
  /* Pre-annotation to the end (Ctrl+B) rewrites label files while it runs. */
  if (bm_window_is_busy (self))
    {
      show_outcome (self, GTK_MESSAGE_ERROR, _("The split did not start"),
                    _("The window is still busy (pre-annotating, opening or searching). Split when it is done."));
      return;
    }
  /* The split reads the label files: what is only on screen must be in them first. */
  if (bm_window_get_dirty (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.save", NULL);
  if (bm_window_get_dirty (self))
    {
      show_outcome (self, GTK_MESSAGE_ERROR, _("The split did not start"),
                    _("The labels of the image on screen could not be saved, and the split reads the label files. Save them first."));
      return;
    }
  if (!bm_export_folder_is_empty_or_missing (out_dir))
    {
      g_autofree char *message = g_strdup_printf (_("%s is not empty. Choose a new or empty folder: a split never overwrites anything."),
                                                  out_dir);
      show_outcome (self, GTK_MESSAGE_ERROR, _("The split did not start"), message);
      return;
    }
  root = g_strdup (bm_dataset_get_root (dataset));
  if (path_is_inside (out_dir, root))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s lies inside the folder being split (%s). Choose a folder outside it: the next opening would read the tiles as images to label."),
                         out_dir, root);
      show_outcome (self, GTK_MESSAGE_ERROR, _("The split did not start"), message);
      return;
    }

  ensure_bar (self);
  split = self->split;
  g_free (split->out_dir);
  split->out_dir = g_strdup (out_dir);
  split->running = TRUE;
  cancellable = bm_session_begin_job (self->session, BM_SESSION_JOB_EXPORT);
  /* Closing the last window must not quit while files are being written. */
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
  gtk_progress_bar_set_fraction (split->progress, 0);
  gtk_progress_bar_set_text (split->progress, _("Splitting: reading the first image…"));
  gtk_revealer_set_reveal_child (split->revealer, TRUE);
  bm_dota_split_async (dataset, out_dir, &options, progress_cb, self, cancellable, split_done_cb,
                       g_object_ref (self));
}

typedef struct
{
  BmWindow *window;
} ChooserData;

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  ChooserData *data = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      const char *size = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "size");
      const char *gap = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "gap");
      const char *rates = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "rates");

      if (path != NULL)
        start_split (data->window, path, size != NULL ? atoi (size) : 1024, gap != NULL ? atoi (gap) : 100,
                     rates != NULL ? rates : "1");
    }
  g_object_unref (data->window);
  g_free (data);
  g_object_unref (chooser);
}

static void
ask_for_folder (BmWindow *self)
{
  GtkFileChooserNative *chooser;
  ChooserData *data = g_new0 (ChooserData, 1);
  const char *rate_names[G_N_ELEMENTS (rate_labels)];
  const char *size_names[G_N_ELEMENTS (size_labels)];
  const char *gap_names[G_N_ELEMENTS (gap_labels)];

  for (guint i = 0; i < G_N_ELEMENTS (rate_labels); i++)
    rate_names[i] = rate_labels[i] != NULL ? _(rate_labels[i]) : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (size_labels); i++)
    size_names[i] = size_labels[i] != NULL ? _(size_labels[i]) : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (gap_labels); i++)
    gap_names[i] = gap_labels[i] != NULL ? _(gap_labels[i]) : NULL;
  chooser = gtk_file_chooser_native_new (_("Export a Split of the Folder (DOTA tiles)"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Split"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "size", _("Tile size"),
                               (const char **) size_ids, size_names);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "gap", _("Overlap"),
                               (const char **) gap_ids, gap_names);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "rates", _("Scales"),
                               (const char **) rate_ids, rate_names);
  data->window = g_object_ref (self);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  /* (for the portal's dialog) */
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "size", "1024");
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "gap", "100");
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "rates", "1");
}

void
bm_window_export_split (BmWindow *self, const char *out_dir, int size, int gap, const char *rates)
{
  g_return_if_fail (BM_IS_WINDOW (self));

  if (bm_window_get_dataset (self) == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  if (out_dir == NULL || out_dir[0] == '\0')
    ask_for_folder (self);
  else
    start_split (self, out_dir, size, gap, rates);
}

/* Cancel stops after the tiles being written; once the split has finished, the bar is closed. */
void
_bm_window_split_cancel (BmWindow *self)
{
  if (bm_window_is_splitting (self))
    bm_session_cancel_job (self->session, BM_SESSION_JOB_EXPORT);
  else if (self->split != NULL && self->split->revealer != NULL)
    gtk_revealer_set_reveal_child (self->split->revealer, FALSE);
}

void
_bm_window_split_dispose (BmWindow *self)
{
  if (self->split == NULL)
    return;
  /* The split goes on (the application holds on to it); only the widgets go. */
  self->split->revealer = NULL;
  self->split->progress = NULL;
  self->split->button = NULL;
  if (!self->split->running)
    {
      g_free (self->split->out_dir);
      g_clear_pointer (&self->split, g_free);
    }
}
