/* bm-cli.h: the subcommands of boxmark-cli. Each returns the process exit status.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses, documented in docs/cli.md. */
enum {
  BM_CLI_EXIT_OK = 0,
  BM_CLI_EXIT_PROBLEMS = 1,   /* the command ran and found problems in the data */
  BM_CLI_EXIT_USAGE = 2,      /* bad command line */
  BM_CLI_EXIT_FAILURE = 3,    /* could not do the work (I/O error, missing file, cancelled) */
};

typedef struct
{
  const char *name;
  const char *summary;   /* marked with N_() */
  int (*run) (int argc, char **argv);
} BmCliCommand;

int bm_cli_validate (int argc, char **argv);
int bm_cli_stats    (int argc, char **argv);
int bm_cli_convert  (int argc, char **argv);
int bm_cli_detect   (int argc, char **argv);
int bm_cli_augment  (int argc, char **argv);
int bm_cli_eval     (int argc, char **argv);

/* convert --to coco / --from coco (bm-cli-convert-coco.c). */
gboolean bm_cli_convert_is_coco (const char *to, const char *from);
int      bm_cli_convert_coco    (const char *to, const char *from, const char *classes_file, gboolean copy,
                                 const char *out, const char *source);
int bm_cli_relabel  (int argc, char **argv);
int bm_cli_crop     (int argc, char **argv);
int bm_cli_synth    (int argc, char **argv);
int bm_cli_split    (int argc, char **argv);
int bm_cli_merge    (int argc, char **argv);

/* Parses @entries for a subcommand; prints the error and returns FALSE on bad usage. */
gboolean bm_cli_parse (const char *command, const char *parameter, const char *summary,
                       GOptionEntry *entries, int *argc, char ***argv);

G_END_DECLS
