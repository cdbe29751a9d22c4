/* bm-cli-util.h: what the boxmark-cli subcommands share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "dataset/bm-shard.h"

#include "core/bm-problem.h"
#include "dataset/bm-export-target.h"

G_BEGIN_DECLS

/* --to FORMAT of the commands that write datasets: the formats of dataset/bm-export-target.h. */
typedef BmExportTarget BmCliTarget;
#define BM_CLI_TARGET_VOC       BM_EXPORT_TARGET_VOC
#define BM_CLI_TARGET_DOTA      BM_EXPORT_TARGET_DOTA
#define BM_CLI_TARGET_YOLO      BM_EXPORT_TARGET_YOLO
#define BM_CLI_TARGET_YOLO_OBB  BM_EXPORT_TARGET_YOLO_OBB

/* "voc", "dota", "yolo" or "yolo-obb", in any case. */
gboolean bm_cli_parse_target (const char *name, BmCliTarget *target);

/* Prints @problem as "FILE:LINE: problem" on stderr. */
void     bm_cli_print_problem  (const BmProblem *problem);
/* The same for each of @problems (BmProblem *); returns how many. */
guint    bm_cli_print_problems (GPtrArray       *problems);

/* Prints "boxmark-cli COMMAND: MESSAGE" and where the options are explained; returns
 * BM_CLI_EXIT_USAGE. */
int      bm_cli_usage_error (const char *command, const char *message);

/* Whether @out and each folder named in @subfolders below it (NULL-terminated, or NULL) lie
 * outside @source and outside @root (the dataset folder, when SRC is one of its images; may be
 * NULL), with symlinks resolved, also those of folders that exist already. When one does not,
 * says so on stderr for COMMAND and returns FALSE: nothing must be written. */
gboolean bm_cli_check_out_outside_source (const char *command, const char *out,
                                          const char *const *subfolders, const char *source,
                                          const char *root);

/* Whether a run of COMMAND may write into @out, where @existing (char *: paths) of its files are
 * already: none, or --force (@force) and none of them a symbolic link (a replace would write
 * through it, maybe into the source). When not, says which (the first five) on stderr and
 * returns FALSE: nothing must be written. */
gboolean bm_cli_check_existing (const char *command, GPtrArray *existing, gboolean force, const char *out);

/* Prints on stderr, for COMMAND, what the scan of @dataset (a BmDataset) had to leave out
 * (folders it could not read). */
void     bm_cli_print_dataset_problems (const char *command, gpointer dataset);

/* Prints @s to stdout as a JSON string (quoted, with \", \\ and control characters escaped). */
void     bm_cli_print_json_string (const char *s);

/* `--shard K/N` of COMMAND: @text NULL gives the whole dataset. Says what is wrong on stderr and
 * returns FALSE for bad text. */
gboolean bm_cli_parse_shard (const char *command, const char *text, BmShard *shard);

G_END_DECLS
