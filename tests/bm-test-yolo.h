/* bm-test-yolo.h: reading the YOLO fixtures of $BM_TESTDATA/models (NumPy tensors, JSON).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include "core/bm-yolo-decode.h"

G_BEGIN_DECLS

/* $BM_TESTDATA/models/@relative (a new string). */
char      *bm_test_models_path (const char *relative);

/* A little-endian float32 C-order .npy file: its values (g_free) and shape (at most 8 dims).
 * Fails the test on anything else. */
float     *bm_test_npy_load    (const char *path, int *dims, int *n_dims);

/* The parsed JSON file; fails the test when it does not parse. */
JsonNode  *bm_test_json_load   (const char *path);

/* manifest.json → models → @model: its layout and class count. */
void       bm_test_model_layout (JsonObject *manifest, const char *model, BmYoloLayout *layout, int *n_classes,
                                 int *image_size);

/* Asserts that @found (BmYoloDetection) are the detections of the reference JSON @path: the
 * same count, classes and order, coordinates within @coord_tolerance pixels and scores within
 * @score_tolerance. Updates *@max_coord and *@max_score with the largest differences seen. */
void       bm_test_assert_detections (GArray *found, const char *path, BmYoloLayout layout,
                                      double coord_tolerance, double score_tolerance,
                                      double *max_coord, double *max_score);

G_END_DECLS
