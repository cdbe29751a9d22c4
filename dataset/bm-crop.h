/* bm-crop.h: one image per labelled object — `boxmark-cli crop`, for classifier sets and as
 * the objects `synth` pastes.
 *
 * OUT/<class>/<stem>_<n>.<ext> holds object n (0-based, its place in the label file) of the
 * image <stem>: its enclosing box plus padding, clipped to the image. With upright, rotated
 * boxes and quadrilaterals are cut along their own axes instead (p0→p1 becomes the top edge,
 * left to right): the image is sampled bilinearly into a crop of the object's own size plus
 * padding, not clipped; what lies outside the image is transparent (PNG) or black (JPEG).
 * OUT/manifest.csv lists every crop (see bm_crop_plan_manifest).
 *
 * The plan is made from the whole dataset, so every shard of a run (--shard K/N) names the
 * same crops alike and writes the same manifest.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/bm-dataset.h"
#include "core/bm-geometry.h"
#include "core/bm-image.h"
#include "core/bm-problem.h"
#include "bm-shard.h"

G_BEGIN_DECLS

typedef struct
{
  double pad;             /* pixels added on every side */
  double pad_ratio;       /* > 0: this fraction of the object's width (height) on the left and
                           * right (top and bottom) instead of pad */
  double min_size;        /* objects narrower or lower than this (pixels) are left out */
  const char *const *classes;  /* only these labels (NULL: every label) */
  gboolean upright;
  const char *format;     /* "png" or "jpg"; NULL: as the source image (PNG unless it is JPEG) */
  int quality;            /* JPEG quality */
  BmShard shard;          /* the images this run cuts; the plan and the manifest are whole */
} BmCropOptions;

void bm_crop_options_init (BmCropOptions *options);

typedef struct
{
  guint item;             /* dataset item of the image */
  guint object;           /* the object's place in its label file (0-based) */
  char *class_name;
  char *path;             /* below the output folder: "car/img1_0.jpg" */
  BmShape shape;          /* the object in its image */
  double origin[2];       /* the crop's top-left corner in the image */
  double axis[2];         /* the direction of the crop's x axis in the image: (1, 0) unless cut upright */
  gboolean resampled;     /* cut upright at an angle: bilinear samples, not copied pixels */
  gboolean alpha;         /* parts outside the image: made transparent (PNG) or black */
  int width;
  int height;
  BmShape in_crop;        /* the object in the crop's pixels */
} BmCrop;

typedef struct _BmCropPlan BmCropPlan;

/* Reads every label file of @dataset (on every core) and plans the crops. What is wrong with an
 * image, a label file or an object is added to @problems (BmProblem *, FILE:LINE: problem). */
BmCropPlan   *bm_crop_plan_new           (BmDataset           *dataset,
                                          const BmCropOptions *options,
                                          GPtrArray           *problems);
void          bm_crop_plan_free          (BmCropPlan          *plan);
guint         bm_crop_plan_get_n_crops   (BmCropPlan          *plan);
const BmCrop *bm_crop_plan_get_crop      (BmCropPlan          *plan,
                                          guint                index);
/* Every folder below the output folder that the plan writes crops into (one per class), each
 * once, in plan order: what must not lead back into the source. Free with g_strfreev. */
char        **bm_crop_plan_get_folders   (BmCropPlan          *plan);
/* Objects left out by min_size, and by the class list. */
guint         bm_crop_plan_get_n_small   (BmCropPlan          *plan);
guint         bm_crop_plan_get_n_other_classes (BmCropPlan    *plan);
/* Labels named in options->classes that no object has. */
GPtrArray    *bm_crop_plan_get_unused_classes (BmCropPlan     *plan);

/* manifest.csv: one row per crop of the whole plan, in dataset order, RFC 4180 quoting:
 *   crop,image,class,object,shape,x1,y1,x2,y2,x3,y3,x4,y4,width,height,
 *   crop_x1,crop_y1,crop_x2,crop_y2,crop_x3,crop_y3,crop_x4,crop_y4
 * crop: the path below OUT; image: the source image's path below the dataset root; x1…y4 the
 * object's corners in the image (a box's from its top-left corner, clockwise); width, height
 * the crop's size; crop_x1…crop_y4 the same corners in the crop's pixels. */
char         *bm_crop_plan_manifest      (BmCropPlan          *plan);
#define BM_CROP_MANIFEST "manifest.csv"

/* Files this run would write below @out_dir that exist already (char *, owned); the manifest
 * counts only when its bytes differ from what would be written. */
GPtrArray    *bm_crop_plan_find_existing (BmCropPlan          *plan,
                                          const char          *out_dir);

typedef struct
{
  guint n_images;         /* images of this shard that were cut */
  guint n_crops;          /* crops written */
} BmCropReport;

/* Cuts the crops of the images in options->shard on @n_threads threads (0: every core) and
 * writes them, then the manifest, each file atomically. An image that cannot be read is added
 * to @problems and skipped; a file that cannot be written stops the run (FALSE, @error). */
gboolean      bm_crop_plan_run           (BmCropPlan          *plan,
                                          const char          *out_dir,
                                          guint                n_threads,
                                          GPtrArray           *problems,
                                          BmCropReport        *report,
                                          GError             **error);

/* The image a crop cuts from @image (decoded, EXIF-oriented). Exposed for tests. */
BmImage      *bm_crop_cut                (const BmCrop        *crop,
                                          BmImage             *image);

/* A class name as a folder name that every file system takes and no other class name gets:
 * bytes that are not allowed or not safe in a file name on Linux, macOS or Windows
 * (/ \ : * ? " < > |, control characters), '%' itself, a leading '.' or blank and a trailing
 * '.' or blank are written %XX (their byte in hex); other UTF-8 (Chinese, Cyrillic …) is kept.
 * An empty name is "%00". A name longer than 200 bytes is cut at a character and ends in
 * "~" and 8 hex digits of its SHA-256. Free with g_free. */
char         *bm_crop_class_folder       (const char          *class_name);
/* The class name back from a folder name: %XX decoded (a cut name stays cut). */
char         *bm_crop_class_from_folder  (const char          *folder_name);

/* A problem of @file whose @message (a GError's, say) may already start with "FILE: ": said once. */
BmProblem    *bm_crop_problem_new        (const char          *file,
                                          const char          *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmCropPlan, bm_crop_plan_free)

G_END_DECLS
