/* bm-yolo-private.h: what the files of the YOLO format share: the rows kept from reading (for
 * the lossless save) and the class id and row helpers.
 *
 *   bm-yolo.c             reading a label file into a BmAnnotation (rows kept for the save)
 *   bm-yolo-write.c       rows as an export writes them, whole files from a class list, id remaps
 *   bm-yolo-class-file.c  finding a label file's class list (classes.txt, data.yaml), loading for an image
 *   bm-yolo-save.c        saving an edited annotation: unchanged rows keep their bytes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-yolo.h"

G_BEGIN_DECLS

typedef struct
{
  char *text;            /* without the line ending; may hold NUL bytes (bad lines) */
  gsize length;
  const char *eol;       /* "\n", "\r\n" or "" */
  guint n_columns;       /* 0 for blank and bad lines; without a confidence column */
  gsize values_offset;   /* rows: where the text after the class id starts */
  gsize values_end;      /* rows: where the shape's last value ends (before a confidence) */
  char *score;           /* rows with a confidence column: its text, else NULL */
  double *polygon;       /* polygon rows: the normalised x y values as read, else NULL */
  guint n_polygon;       /* polygon rows: the number of values (2 per point) */
  BmObject *original;    /* rows: what was read; origin = line number */
} YoloLine;

typedef struct
{
  GPtrArray *lines;      /* YoloLine */
  const char *eol;
  BmClassList *classes;  /* may be NULL */
} YoloBacking;

gboolean        _bm_yolo_parse_class_id (const char *token, guint *id);
BmYoloRowResult _bm_yolo_append_row     (GString *out, BmObject *object, guint class_id, int width, int height,
                                         BmYoloTask task, gboolean clip_detect, gboolean clip, gboolean *enclosed);

G_END_DECLS
