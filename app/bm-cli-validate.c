/* bm-cli-validate.c: boxmark-cli validate
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>
#include "bm-cli.h"

int
bm_cli_validate (int argc, char **argv)
{
  fprintf (stderr, "not yet\n");
  return BM_CLI_EXIT_FAILURE;
}

int
bm_cli_stats (int argc, char **argv)
{
  fprintf (stderr, "not yet\n");
  return BM_CLI_EXIT_FAILURE;
}
