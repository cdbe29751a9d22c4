/* bm-cli-util.h: what the boxmark-cli subcommands that write datasets (convert, augment) share.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "dataset/bm-shard.h"

G_BEGIN_DECLS

typedef enum
{
  BM_CLI_TARGET_VOC,
  BM_CLI_TARGET_DOTA,
  BM_CLI_TARGET_YOLO,
  BM_CLI_TARGET_YOLO_OBB,
} BmCliTarget;

/* "voc", "dota", "yolo" or "yolo-obb", in any case. */
gboolean bm_cli_parse_target (const char *name, BmCliTarget *target);

/* Prints "boxmark-cli COMMAND: MESSAGE" and where the options are explained; returns
 * BM_CLI_EXIT_USAGE. */
int      bm_cli_usage_error (const char *command, const char *message);

/* @path absolute, with every symlink resolved in its longest existing prefix (realpath); the
 * part that does not exist yet is appended with "." and ".." folded. Free with g_free. */
char    *bm_cli_resolve_path (const char *path);

/* Whether the folder @path (which need not exist yet) is @folder or lies inside it, with
 * symlinks of both resolved. */
gboolean bm_cli_path_is_inside (const char *path, const char *folder);

/* Whether @out and each folder named in @subfolders below it (NULL-terminated, or NULL) lie
 * outside @source and outside @root (the dataset folder, when SRC is one of its images; may be
 * NULL), with symlinks resolved, also those of folders that exist already. When one does not,
 * says so on stderr for COMMAND and returns FALSE: nothing must be written. */
gboolean bm_cli_check_out_outside_source (const char *command, const char *out,
                                          const char *const *subfolders, const char *source,
                                          const char *root);

/* Prints on stderr, for COMMAND, what the scan of @dataset (a BmDataset) had to leave out
 * (folders it could not read). */
void     bm_cli_print_dataset_problems (const char *command, gpointer dataset);

/* Prints @s to stdout as a JSON string (quoted, with \", \\ and control characters escaped). */
void     bm_cli_print_json_string (const char *s);

/* `--shard K/N` of COMMAND: @text NULL gives the whole dataset. Says what is wrong on stderr and
 * returns FALSE for bad text. */
gboolean bm_cli_parse_shard (const char *command, const char *text, BmShard *shard);

G_END_DECLS
