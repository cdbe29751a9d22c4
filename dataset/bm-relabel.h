/* bm-relabel.h: the class manager — rename, merge or delete a class across a whole dataset,
 * shared by `boxmark-cli relabel` and the window.
 *
 * Lossless and atomic per file: VOC and DOTA files go through their formats' lossless save
 * (only the edited <name> elements / class tokens change, deleted objects lose their element or
 * line); YOLO files hold class ids, so a rename changes only the class file, while a merge or a
 * delete rewrites the id tokens (the ids above the removed class move down by one, as the class
 * file loses its entry) and drops deleted rows. The class files (classes.txt,
 * predefined_classes.txt, obj.names, data.yaml names and nc, CVAT's labelmap.txt) are updated
 * the same way (see bm-relabel-classes.h).
 *
 * Files with problems (they open read-only), files that cannot be written and files another
 * program changes meanwhile are skipped and reported, never half-written. YOLO ids are the one
 * exception to skipping: when a class file loses an entry, every label file using it must be
 * renumbered, so one such file that cannot be changed refuses the whole operation before
 * anything is written, and a write that fails puts back the files already written.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "core/bm-dataset.h"
#include "dataset/bm-shard.h"

G_BEGIN_DECLS

typedef struct
{
  char *path;
  guint n_objects;     /* label files: objects of the class renamed, merged or deleted */
  guint n_renumbered;  /* YOLO label files: rows of other classes whose id moved down by one */
  char *reason;      /* skipped files: why; class files: what changed ("“a” → “b”", "“a” removed") */
} BmRelabelFile;

typedef struct
{
  gboolean dry_run;
  gboolean merge;          /* the new name was a class already */
  GPtrArray *changed;      /* BmRelabelFile: label files written (dry run: that would be) */
  GPtrArray *class_files;  /* BmRelabelFile: class files written (dry run: that would be) */
  GPtrArray *skipped;      /* BmRelabelFile: files left as they were, and why */
  GPtrArray *notes;        /* char *: what else the user should know */
  guint n_objects;         /* sum over changed */
} BmRelabelReport;

void bm_relabel_report_free (BmRelabelReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmRelabelReport, bm_relabel_report_free)

/* Renames class @old_name to @new_name in every label and class file of @dataset (a merge when
 * @new_name is a class already), or deletes its objects and its entries when @new_name is NULL.
 * With @dry_run nothing is written and the report says what would be. Returns NULL and sets
 * @error when the request cannot be carried out at all (bad name, no such class, a class file
 * or a YOLO renumbering that cannot be done safely); nothing is then left changed. @cancellable
 * is checked while the files are read, before anything is written (once writing has started it
 * finishes). Runs on several threads; call it from one thread at a time per dataset. */
BmRelabelReport *bm_relabel (BmDataset *dataset, const char *old_name, const char *new_name,
                             gboolean dry_run, GCancellable *cancellable, GError **error);

/* bm_relabel() on the label files of the images in @shard only (`relabel --shard K/N`). Every
 * shard reads the whole dataset (so a class that is nowhere is still an error) and writes the
 * class files with the same bytes; a class file another shard wrote first counts as written.
 * A YOLO merge or delete that moves ids is refused with BM_ERROR_UNSUPPORTED: every file must be
 * renumbered against the class file before it changes, which shards cannot agree on. */
BmRelabelReport *bm_relabel_full (BmDataset *dataset, const char *old_name, const char *new_name,
                                  gboolean dry_run, const BmShard *shard, GCancellable *cancellable,
                                  GError **error);

G_END_DECLS
