/* bm-cli-convert.c: boxmark-cli convert
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <glib/gi18n.h>
#include "bm-cli.h"

int
bm_cli_convert (int argc, char **argv)
{
  fprintf (stderr, "not yet\n");
  return BM_CLI_EXIT_FAILURE;
}
