/* bm-relabel-private.h: what the files of the class manager share: the plan of a request and
 * the steps that fill and carry it out.
 *
 *   bm-relabel.c        the request: reports, the journal of a renumbering, recovering a killed run
 *   bm-relabel-plan.c   the plan: names, class files, what each label file would become
 *   bm-relabel-apply.c  the writes: one label file, class files, putting files back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "core/bm-file-util.h"
#include "bm-relabel.h"

G_BEGIN_DECLS

/* How the ids of the YOLO label files using one class file (or none) change. */
typedef struct
{
  int *map;           /* id → new id, or -1: the row goes; NULL: the ids do not change */
  guint n_map;
  gboolean renumbers; /* ids other than the class's own move: no file may be left out */
  int old_id;         /* the class's own id, or -1 */
  char *refusal;      /* for files that cannot be relabelled at all (ids without class list) */
} IdMap;

typedef struct
{
  char *path;
  char *data;         /* planned text */
  gsize length;
  BmFileStamp stamp;  /* the file as planned */
  char *old_data;     /* what was there, to put back */
  gsize old_length;
  char *change;       /* "“a” → “b”" or "“a” removed" */
  gboolean written;
  gboolean done_elsewhere;     /* another shard wrote the same bytes */
  BmFileStamp written_stamp;   /* as written: a put back must not replace what came after */
} ClassFilePlan;

typedef struct
{
  guint n_objects;     /* objects of the class */
  guint n_rows;        /* rows or objects to change (YOLO: renumbered ones too); 0: nothing to do */
  char *reason;        /* skipped: why */
  const IdMap *ids;    /* YOLO files */
  gboolean has_new;    /* the file already holds objects of the new name */
  /* YOLO: the bytes read (to put back), when (@stamp) and what they become */
  char *old_data;
  gsize old_length;
  BmFileStamp stamp;
  char *new_data;
  gsize new_length;
  gboolean written;
  BmFileStamp written_stamp;
} ItemPlan;

typedef struct
{
  BmDataset *dataset;
  const char *old_name;
  const char *new_name;     /* NULL: delete */
  GCancellable *cancellable;
  ItemPlan *plans;
  IdMap **item_ids;         /* per item: the YOLO id map, or NULL */
} Relabel;

gboolean _bm_relabel_check_names           (const char *old_name, const char *new_name, GError **error);
IdMap   *_bm_relabel_id_map_for_plain_ids  (const char *old_name, const char *new_name);
gboolean _bm_relabel_plan_class_files      (Relabel *r, GPtrArray *class_plans, GHashTable *yolo_class_file,
                                            GHashTable *maps_by_file, gboolean *listed_new, GError **error);
void     _bm_relabel_plan_item             (guint index, gpointer user_data);

void     _bm_relabel_apply_item            (guint index, gpointer user_data);
void     _bm_relabel_put_back              (Relabel *r, GPtrArray *class_plans, GPtrArray *notes);
gboolean _bm_relabel_write_class_file      (ClassFilePlan *plan, GError **error);
void     _bm_relabel_note_label_caches     (Relabel *r, GPtrArray *notes);

G_END_DECLS
