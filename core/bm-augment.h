/* bm-augment.h: augmentation previews that move pixels and boxes the way trainers do.
 *
 * An operation (BmAugmentOp) carries explicit parameters; applying it to a sample (image +
 * transformed copies of its objects) follows the conventions of a framework profile
 * (Ultralytics, PaddleDetection, Albumentations, mmdetection), which differ in angle sign,
 * rotation centre, canvas policy and which boxes survive. Parameters are either given (tests,
 * replay) or drawn from a seeded BmAugmentRng; every applied operation is recorded in the sample
 * and prints as one line ("rotate degrees=30 ...") that parses back.
 *
 * Angles of operations are degrees, counter-clockwise positive on screen (the UI convention);
 * the profile says which sign the framework's own parameter has. Boxes are edge coordinates
 * (pixel i spans [i, i+1]). See shared/reference/augmentation.md.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include "bm-annotation.h"
#include "bm-augment-rng.h"
#include "bm-augment-warp.h"
#include "bm-image.h"

G_BEGIN_DECLS

typedef enum
{
  BM_AUGMENT_FRAMEWORK_ULTRALYTICS,
  BM_AUGMENT_FRAMEWORK_PADDLE,
  BM_AUGMENT_FRAMEWORK_ALBUMENTATIONS,
  BM_AUGMENT_FRAMEWORK_MMDETECTION,
  BM_AUGMENT_N_FRAMEWORKS
} BmAugmentFramework;

typedef enum
{
  BM_AUGMENT_CANVAS_KEEP,        /* same size, corners cut off */
  BM_AUGMENT_CANVAS_ENLARGE,     /* grows to hold the whole rotated image */
  BM_AUGMENT_CANVAS_SHRINK,      /* same size, rotated image shrunk uniformly to fit (Paddle auto_bound) */
  BM_AUGMENT_CANVAS_SQUEEZE,     /* same size, shrunk per axis to fit (Albumentations SafeRotate) */
} BmAugmentCanvas;

typedef enum
{
  BM_AUGMENT_BOX_LARGEST,        /* enclosing box of the 4 moved corners */
  BM_AUGMENT_BOX_ELLIPSE,        /* enclosing box of the moved inscribed ellipse (Albumentations) */
} BmAugmentBoxMethod;

typedef enum
{
  BM_AUGMENT_CENTRE_EDGE,        /* (W/2, H/2) */
  BM_AUGMENT_CENTRE_INDEX,       /* ((W-1)/2, (H-1)/2), PaddleDetection */
} BmAugmentCentre;

typedef enum
{
  BM_AUGMENT_KEEP_NONEMPTY,      /* positive area after clipping (Albumentations defaults) */
  BM_AUGMENT_KEEP_CANDIDATES,    /* Ultralytics box_candidates: w, h > 2, area > 10 %, aspect < 100 */
  BM_AUGMENT_KEEP_OVERLAP,       /* mmdet is_inside: any overlap with the canvas */
  BM_AUGMENT_KEEP_CENTRE,        /* original centre inside the canvas/crop (PaddleDetection crop) */
  BM_AUGMENT_KEEP_ALL,           /* nothing dropped (PaddleDetection rotation) */
} BmAugmentSurvival;

typedef enum
{
  BM_AUGMENT_MIXUP_PADDLE,       /* canvas of the larger size, both at (0,0), scores λ / 1-λ */
  BM_AUGMENT_MIXUP_ULTRALYTICS,  /* canvas of the first image, no scores */
  BM_AUGMENT_MIXUP_MMDET,        /* 2nd image rescaled, jittered, maybe flipped, cropped; 0.5 / 0.5 */
} BmAugmentMixupStyle;

typedef enum
{
  BM_AUGMENT_CUTOUT_KEEP,        /* boxes untouched */
  BM_AUGMENT_CUTOUT_DROP_ERASED, /* dropped when ≥ cutout_threshold of the box is erased (mmdet) */
  BM_AUGMENT_CUTOUT_SHRINK,      /* shrunk to the visible part, dropped when nothing is left (Albumentations) */
} BmAugmentCutoutRule;

typedef struct
{
  BmAugmentFramework framework;
  const char *id;                 /* "ultralytics", "paddle", "albumentations", "mmdetection" */
  const char *name;               /* display name, translated with _() by the caller */
  int angle_sign;                 /* framework's rotation parameter = angle_sign × our CCW degrees */
  BmAugmentCentre centre;
  /* TRUE: the image is warped with the box matrix moved to pixel indices (consistent);
   * FALSE: the box matrix is applied to pixel indices, as Ultralytics and Paddle do (½ px off). */
  gboolean pixel_centres;
  BmAugmentCanvas canvas;
  gboolean canvas_round;          /* enlarged sizes rounded (Paddle) rather than truncated */
  BmAugmentBoxMethod box_method;
  BmAugmentSurvival survival;     /* after rotation, scale-free geometry, mosaic */
  BmAugmentSurvival crop_survival;
  guint8 border_value;            /* fill of uncovered rotation corners */
  guint8 expand_fill[3];
  gboolean expand_strict;         /* Paddle: no-op unless both sides grow; offsets never reach the far edge */
  BmAugmentMixupStyle mixup_style;
  double mixup_alpha;             /* λ ~ Beta(α, α); 0 = fixed 0.5 (mmdet) */
  BmAugmentCutoutRule cutout_rule;
  double cutout_threshold;
  guint8 pad_value;               /* mosaic / mixup canvas fill */
} BmAugmentProfile;

const BmAugmentProfile *bm_augment_profile_get  (BmAugmentFramework framework);
/* By id ("ultralytics"...); NULL when unknown. */
const BmAugmentProfile *bm_augment_profile_find (const char *id);

typedef enum
{
  BM_AUGMENT_OP_ROTATE,
  BM_AUGMENT_OP_EXPAND,
  BM_AUGMENT_OP_MIXUP,
  BM_AUGMENT_OP_HFLIP,
  BM_AUGMENT_OP_VFLIP,
  BM_AUGMENT_OP_CROP,
  BM_AUGMENT_OP_SCALE,
  BM_AUGMENT_OP_HSV,
  BM_AUGMENT_OP_BRIGHTNESS,
  BM_AUGMENT_OP_CONTRAST,
  BM_AUGMENT_OP_CUTOUT,
  BM_AUGMENT_OP_MOSAIC,
  BM_AUGMENT_OP_LETTERBOX,
  BM_AUGMENT_N_OPS
} BmAugmentOpKind;

#define BM_AUGMENT_MAX_HOLES 8

/* One operation with all its parameters:
 *   rotate     degrees counter-clockwise on screen, scale, canvas policy, box method; centre and
 *              ½-px convention from the profile; boxes judged by profile->survival
 *   expand     canvas int(W·ratio) × int(H·ratio), image at (x, y), rest fill (RandomExpand / Expand)
 *   mixup      with others[source]; style from the profile (Paddle: λ·I1 + (1-λ)·I2 on the larger
 *              canvas, scores λ / 1-λ; Ultralytics: same canvas, no scores; mmdet: see below)
 *   hflip/vflip  mirror; offset 1 gives PaddleDetection RandomRFlip's x' = W - 1 - x for objects
 *   crop       integer window; objects shifted, clipped, judged by profile->crop_survival
 *   scale      resize to width × height (bilinear), objects scaled
 *   hsv        Ultralytics RandomHSV LUTs on OpenCV 8-bit HSV; brightness/contrast: PIL ImageEnhance
 *   cutout     holes filled with fill; objects per profile->cutout_rule
 *   mosaic     Ultralytics 2×2 mosaic around (xc, yc) on 2·size, then (crop) its centre size × size
 *   letterbox  Ultralytics LetterBox to width × height, padding profile->pad_value
 * Colour operations never touch objects. */
typedef struct
{
  BmAugmentOpKind kind;
  union
  {
    struct { double degrees; double scale; BmAugmentCanvas canvas; BmAugmentBoxMethod box_method; } rotate;
    struct { double ratio; int x, y; guint8 fill[3]; } expand;
    /* source: index into the other samples. mmdet style only: the second image is fitted into
     * scale_w × scale_h, resized by jitter, flipped when flip, then cropped at (x, y). */
    struct { double lambda; int source; int scale_w, scale_h; double jitter; int flip, x, y; } mixup;
    struct { int offset; } flip;                            /* 0: x' = W - x; 1: x' = W - 1 - x */
    struct { int x, y, width, height; } crop;
    struct { int width, height; } scale;
    struct { double hue, saturation, value; } hsv;          /* gains: hue in turns, S and V × (1 + gain) */
    struct { double factor; } enhance;                      /* brightness and contrast (PIL ImageEnhance) */
    struct { int n_holes; int holes[BM_AUGMENT_MAX_HOLES][4]; guint8 fill; } cutout;  /* x, y, w, h */
    struct { int size, xc, yc; int sources[3]; gboolean crop; } mosaic;  /* sources -1 = this sample */
    struct { int width, height; } letterbox;                 /* Ultralytics LetterBox(center=True) */
  };
} BmAugmentOp;

const char *bm_augment_op_kind_to_string   (BmAugmentOpKind kind);
gboolean    bm_augment_op_kind_from_string (const char *name, BmAugmentOpKind *kind);
/* One line, "rotate degrees=30 scale=1 canvas=keep boxes=largest"; doubles round-trip exactly.
 * Parsing ignores a trailing "# comment". */
char       *bm_augment_op_to_string        (const BmAugmentOp *op);
gboolean    bm_augment_op_parse            (const char *line, BmAugmentOp *op, GError **error);

typedef struct
{
  BmObject *object;        /* a transformed copy, owned */
  gboolean dropped;        /* the profile would have removed it; kept so the UI can grey it */
  double weight;           /* 1, or λ / 1-λ after a Paddle-style mixup */
} BmAugmentItem;

typedef struct
{
  BmImage *image;
  GPtrArray *items;        /* BmAugmentItem*, owned */
  GArray *applied;         /* BmAugmentOp, in the order they were applied */
  const BmAugmentProfile *profile;
} BmAugmentSample;

/* Copies the objects of @annotation (may be NULL) and takes a reference on @image; the image is
 * never modified (operations make new ones). @profile NULL = Ultralytics. */
BmAugmentSample *bm_augment_sample_new         (BmImage *image, BmAnnotation *annotation, const BmAugmentProfile *profile);
BmAugmentSample *bm_augment_sample_copy        (const BmAugmentSample *sample);
void             bm_augment_sample_free        (BmAugmentSample *sample);
void             bm_augment_sample_add_object  (BmAugmentSample *sample, BmObject *object);
guint            bm_augment_sample_get_n_items (const BmAugmentSample *sample);
BmAugmentItem   *bm_augment_sample_get_item    (const BmAugmentSample *sample, guint index);
/* The surviving objects (with score = weight when it is not 1), sized to the image. */
BmAnnotation    *bm_augment_sample_to_annotation (const BmAugmentSample *sample);
/* The sidecar text: "profile ID" and one line per applied operation; rotations carry a comment
 * with the angle as the profile's framework writes it ("# paddle angle=-30"). */
char            *bm_augment_sample_describe    (const BmAugmentSample *sample);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmAugmentSample, bm_augment_sample_free)

/* Where a rotation sends boxes (@boxes, edge coordinates) and pixels (@pixels, pixel indices,
 * what the image warp uses) under @profile, and the output size. */
void     bm_augment_rotation_geometry (const BmAugmentOp       *op,
                                       const BmAugmentProfile  *profile,
                                       int                      width,
                                       int                      height,
                                       BmAffine                *boxes,
                                       BmAffine                *pixels,
                                       int                     *out_width,
                                       int                     *out_height);

/* Moves one shape by @m (edge coordinates) the way the operations do: a BOX becomes the box
 * enclosing its moved corners (or its moved inscribed ellipse), a ROTATED box stays one while
 * it is still a rectangle, anything else moves point by point. No clipping. For drawing the
 * alternative outline next to the one a profile uses. */
void     bm_augment_transform_shape   (BmShape                 *shape,
                                       const BmAffine          *m,
                                       BmAugmentBoxMethod       box_method);

/* Moves image and objects by @boxes (edge coordinates) onto an out_width × out_height canvas
 * filled with the profile's border value, judging survivors with @survival (@scale is the
 * Ultralytics area compensation). For maps no operation models, such as mmdet's RandomAffine;
 * not recorded in sample->applied. */
void     bm_augment_apply_matrix      (BmAugmentSample         *sample,
                                       const BmAffine          *boxes,
                                       int                      out_width,
                                       int                      out_height,
                                       BmAugmentBoxMethod       box_method,
                                       BmAugmentSurvival        survival,
                                       double                   scale);

/* Applies @op to @sample. Mixup and mosaic read other images from @others (not modified).
 * Fails with BM_ERROR_INVALID when the parameters do not fit the image. */
gboolean bm_augment_apply (BmAugmentSample        *sample,
                           const BmAugmentOp      *op,
                           BmAugmentSample *const *others,
                           guint                   n_others,
                           GError                **error);

/* Ranges the random parameters are drawn from. probability[k] is the chance that operation k
 * applies (PaddleDetection's own "prob" of RandomExpand/RandomDistort is the chance it skips). */
typedef struct
{
  double probability[BM_AUGMENT_N_OPS];
  double degrees;                  /* angle ~ U(-degrees, degrees) */
  double rotate_scale;             /* scale ~ U(1 - s, 1 + s) */
  BmAugmentCanvas canvas;
  BmAugmentBoxMethod box_method;
  double expand_ratio;             /* r ~ U(1, ratio) */
  double crop_min_scale;           /* side factor ~ U(min, 1), aspect in [1/2, 2] */
  double scale_range[2];
  double hsv_gain[3];
  double brightness[2];
  double contrast[2];
  int cutout_holes;                /* 1..holes */
  double cutout_size[2];           /* hole side as a fraction of the image side */
  int mosaic_size;                 /* mosaic tile / letterbox side; mmdet mixup's img_scale */
  gboolean flip_minus_one;
} BmAugmentSettings;

void     bm_augment_settings_init (BmAugmentSettings *settings, const BmAugmentProfile *profile);

/* Draws the parameters of @kind for @sample. Returns FALSE when the coin says the operation is
 * skipped this time (the RNG still advances the same way). */
gboolean bm_augment_draw_op (BmAugmentOpKind          kind,
                             const BmAugmentSettings *settings,
                             const BmAugmentSample   *sample,
                             guint                    n_others,
                             BmAugmentRng            *rng,
                             BmAugmentOp             *op);

/* A new sample: @source with each of @kinds drawn from @seed and applied in order. */
BmAugmentSample *bm_augment_run (const BmAugmentSample   *source,
                                 const BmAugmentOpKind   *kinds,
                                 guint                    n_kinds,
                                 const BmAugmentSettings *settings,
                                 guint64                  seed,
                                 BmAugmentSample *const  *others,
                                 guint                    n_others,
                                 GError                 **error);

/* Reapplies what bm_augment_sample_describe printed; the profile line, when present, replaces
 * the profile of the copy. */
BmAugmentSample *bm_augment_replay (const BmAugmentSample   *source,
                                    const char              *description,
                                    BmAugmentSample *const  *others,
                                    guint                    n_others,
                                    GError                 **error);

G_END_DECLS
