/* bm-dataset-private.h: what bm-dataset.c shares with the folder walk (bm-dataset-walk.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once
#include "bm-dataset.h"

G_BEGIN_DECLS

/* How deep a recursive scan goes: deep enough for any real dataset. Symlink loops are stopped
 * by reading each real folder once. */
#define BM_DATASET_MAX_DEPTH 16

/* What one walk below a folder found: the full paths of its images and of its label files, kept
 * in the dataset's string store (an item's image_path is the very string listed here). The part
 * of each path after @prefix_len bytes is its path relative to the folder walked, which is what
 * sorts and pairs. Lists are in no particular order. */
typedef struct
{
  GPtrArray *images;    /* const char *; NULL when images were not asked for */
  GPtrArray *labels;    /* const char *; NULL when label files were not asked for */
  gsize prefix_len;
  GHashTable *visited;  /* the real folders read */
} BmDatasetListing;

/* A folder's entry that is neither an image nor a label file (a folder, data.yaml, …). */
typedef struct
{
  char *name;
  gboolean is_dir;
} BmDatasetEntry;

void          _bm_dataset_entry_clear       (BmDatasetEntry *entry);

void          _bm_dataset_add_problem       (BmDataset *self, const char *path, const char *message);
void          _bm_dataset_report_unreadable (BmDataset *self, const char *path, int saved_errno);
GStringChunk *_bm_dataset_get_strings       (BmDataset *self);

/* Lists @dir (below it too when @recursive), one pass over each real folder, reading each once. */
void          _bm_dataset_walk              (BmDataset *self, const char *dir, gboolean recursive,
                                             BmDatasetListing *listing);
/* Lists @dir alone, and returns its other entries (BmDatasetEntry): the root of a dataset is
 * read once, whether its layout turns out flat (then its images are these) or not. */
GArray       *_bm_dataset_walk_root         (BmDataset *self, const char *dir, BmDatasetListing *listing);
/* Adds what lies in the folders among @entries (from _bm_dataset_walk_root) to @listing. */
void          _bm_dataset_walk_below        (BmDataset *self, const char *dir, GArray *entries,
                                             BmDatasetListing *listing);
void          _bm_dataset_listing_clear     (BmDatasetListing *listing);

gboolean      _bm_dataset_is_label_file_name (const char *name);

/* Relative paths that name the same stem ("a/b.jpg" and "a/b.xml"): the keys of a hash table
 * that pairs images with label files without copying either name. */
guint         _bm_stem_hash                 (gconstpointer rel);
gboolean      _bm_stem_equal                (gconstpointer a, gconstpointer b);
gsize         _bm_stem_length               (const char *rel);

/* Sorts @paths (each compared from byte @prefix_len on) in natural order, on two threads when
 * there are many. */
void          _bm_dataset_sort_paths        (GPtrArray *paths, gsize prefix_len);

G_END_DECLS
