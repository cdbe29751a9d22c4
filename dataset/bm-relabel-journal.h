/* bm-relabel-journal.h: what a YOLO renumbering is about to write, kept in the dataset so that a
 * run killed half-way can be finished.
 *
 * A merge or a delete in a YOLO dataset moves the ids of other classes: the label files and the
 * class file only mean the same classes again once every one of them is written. Before the
 * first write, bm_relabel writes the journal (every file's old and new bytes) atomically into
 * the dataset's root, and removes it after the last write. The next bm_relabel on the dataset
 * finds a journal left by a killed run and finishes it first (or, when the run had started to
 * put its files back, puts the rest back), file by file: a file that holds neither its old nor
 * its new bytes was changed by someone else and is left alone and reported.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BM_RELABEL_JOURNAL_NAME ".boxmark-relabel-journal"

typedef struct
{
  const char *path;
  const char *old_data;
  gsize old_length;
  const char *new_data;
  gsize new_length;
} BmRelabelJournalEntry;

/* The journal's path in the dataset rooted at @root. */
char    *bm_relabel_journal_path    (const char *root);

/* Writes the journal of the request @old_name → @new_name (NULL: delete) with @entries
 * (BmRelabelJournalEntry), atomically. @back: the files are being put back, not written. */
gboolean bm_relabel_journal_write   (const char *journal, const char *old_name, const char *new_name,
                                     gboolean back, const GArray *entries, GError **error);

/* When @journal exists, finishes what it records (or puts it back), removes it and returns TRUE
 * with @found set, @old_name / @new_name the request it recorded (new NULL for a delete) and one
 * note per file left alone appended to @notes; without a journal returns TRUE, @found FALSE.
 * FALSE with @error when the journal is damaged or a file cannot be written: the journal then
 * stays for the next run. */
gboolean bm_relabel_journal_recover (const char *journal, gboolean *found, char **old_name,
                                     char **new_name, guint *n_written, GPtrArray *notes,
                                     GError **error);

G_END_DECLS
