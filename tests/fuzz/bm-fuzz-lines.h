/* bm-fuzz-lines.h: how many lines an input has, for the fuzz targets that check a reported
 * FILE:LINE stays inside the file. Written here, not taken from the readers, so the check does
 * not share a mistake with the code it checks.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* As a text editor counts them: at least 1; a last line without a newline counts. */
static inline guint
bm_fuzz_count_lines (const guint8 *data,
                     size_t        size)
{
  guint n = size > 0 && data[size - 1] != '\n' ? 1 : 0;

  for (size_t i = 0; i < size; i++)
    n += data[i] == '\n';
  return MAX (n, 1);
}
