/* bm-crop-manifest.h: reading back the manifest.csv that `boxmark-cli crop` writes beside its
 * crops (bm-crop.c), for synthesis (bm-synth.c): which class each crop shows and where the
 * object lies in it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "core/bm-geometry.h"

G_BEGIN_DECLS

typedef struct
{
  char *class_name;
  BmShapeKind kind;      /* (BmShapeKind) -1: the manifest has no corners, the whole crop is taken */
  BmShape shape;         /* the object's corners in the crop, for a kind */
} BmCropManifestRow;

/* The BM_CROP_MANIFEST of @objects_dir as crop path (relative, as written) → BmCropManifestRow;
 * a missing manifest gives an empty table. What cannot be used is added to @problems
 * (BmProblem *: FILE:LINE: problem) and left out. */
GHashTable *bm_crop_manifest_read (const char *objects_dir,
                                   GPtrArray  *problems);

G_END_DECLS
