/* bm-cascade.h: OpenCV boosted cascades (Haar and LBP) read from OpenCV's XML files.
 *
 * Both the new format (opencv-cascade-classifier, written by opencv_traincascade) and the old
 * one (opencv-haar-classifier) load into the same flat model, converted the way OpenCV 4.6 does
 * it, so that evaluating the model gives OpenCV's results bit for bit (see bm-detector.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BM_CASCADE_HAAR,
  BM_CASCADE_LBP,
} BmCascadeType;

/* Haar: up to 3 weighted rectangles inside the window; rects beyond n_rects have weight 0.
 * A tilted feature's rectangles are 45° rectangles read from the tilted integral. */
typedef struct
{
  int x, y, w, h;
  float weight;
} BmCascadeRect;

typedef struct
{
  BmCascadeRect rect[3];
  gboolean tilted;
} BmCascadeHaarFeature;

/* LBP: the top-left cell of a 3×3 grid of w×h cells. */
typedef struct
{
  int x, y, w, h;
} BmCascadeLbpFeature;

/* A split. left/right > 0: index of another node of the same tree (always a later one);
 * <= 0: leaf number -value of the tree. Haar nodes compare the feature value with threshold;
 * LBP nodes go left when bit `code` of the subset is set. */
typedef struct
{
  int left;
  int right;
  int feature;
  float threshold;
  guint32 subset[8];
} BmCascadeNode;

typedef struct
{
  int first_node;
  int n_nodes;
  int first_leaf;
  int n_leaves;
} BmCascadeTree;

typedef struct
{
  int first_tree;
  int n_trees;
  float threshold;   /* already (float) xml value - 1e-5f, as OpenCV compares */
} BmCascadeStage;

typedef struct
{
  BmCascadeType type;
  int width;                 /* the detection window, W0 × H0 */
  int height;
  gboolean has_tilted;       /* a Haar feature needs the tilted integral */
  gboolean all_stumps;       /* every tree is a single node with two leaves */

  int n_stages;
  BmCascadeStage *stages;
  int n_trees;
  BmCascadeTree *trees;
  int n_nodes;
  BmCascadeNode *nodes;
  int n_leaves;
  float *leaves;
  int n_features;
  BmCascadeHaarFeature *haar_features;   /* n_features entries when type is HAAR, else NULL */
  BmCascadeLbpFeature *lbp_features;     /* n_features entries when type is LBP, else NULL */
} BmCascade;

/* Reads a cascade XML file. Malformed or inconsistent files give a BM_ERROR whose message
 * starts with "FILE:LINE: " (or "FILE: "). Network access and entities are disabled. */
BmCascade *bm_cascade_load             (const char *path, GError **error);
/* Same from a buffer; @name is used in messages. */
BmCascade *bm_cascade_load_from_memory (const char *data, gsize length, const char *name, GError **error);
void       bm_cascade_free             (BmCascade *cascade);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmCascade, bm_cascade_free)

G_END_DECLS
