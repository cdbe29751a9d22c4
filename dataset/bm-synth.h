/* bm-synth.h: synthetic training images — object crops pasted onto backgrounds
 * (`boxmark-cli synth`).
 *
 * Objects are read from a folder per class, as `crop` writes them (the folder name is the class,
 * %XX decoded; a manifest.csv there gives each crop's class and where its object lies in it;
 * without one the object is the crop's visible part). Transparent pixels, and near-black
 * (every channel ≤ 8) regions reaching in from the crop's corners, are not pasted.
 *
 * Image i of N is made from its own generator, seeded from (seed, i): it picks a background,
 * a number of objects, and for each a class (uniformly), a crop of that class (uniformly), a
 * scale and an angle, then up to 100 positions until the turned and scaled crop — its whole
 * rectangle, with a pixel to spare — lies on the canvas and clear of the crops placed before
 * (for VOC and YOLO detect, whose readers take each object's enclosing box, clear of their
 * enclosing boxes).
 * An object that finds no room is left out and said so in the sidecar. The image's labels are
 * the objects' shapes moved the same way: a box stays a box unturned, becomes a rotated box when
 * turned (an enclosing box in YOLO detect rows), a quadrilateral stays one.
 *
 * Image i depends on nothing but the seed, i and the input files, so shards (--shard K/N over the
 * image names synth_<i>) together write exactly what one run writes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/bm-image.h"
#include "formats/bm-class-list.h"
#include "bm-shard.h"
#include "bm-synth-paste.h"   /* bm_synth_crop_mask, for tests */

G_BEGIN_DECLS

typedef enum
{
  BM_SYNTH_VOC,
  BM_SYNTH_DOTA,
  BM_SYNTH_YOLO,
  BM_SYNTH_YOLO_OBB,
} BmSynthFormat;

typedef struct
{
  guint n_images;
  guint per_image[2];       /* objects per image, drawn from [A, B] */
  double rotate;            /* angle ~ U(-rotate, rotate), degrees counter-clockwise */
  double scale[2];          /* ~ U(A, B), of the crop's size */
  gboolean feather;         /* soften the pasted edges */
  guint64 seed;
  BmSynthFormat format;
  const char *image_format; /* "png", "jpg"; NULL: as the background */
  int quality;
  BmClassList *classes;     /* YOLO class ids; NULL: the object classes, sorted */
  BmShard shard;
} BmSynthOptions;

void bm_synth_options_init (BmSynthOptions *options);

typedef struct _BmSynth BmSynth;

/* Reads the object library (@objects_dir) and lists the backgrounds (images below
 * @backgrounds_dir, natural order of their paths). Problems with single files (a manifest row,
 * an unreadable crop name) go to @problems (BmProblem *); NULL and @error when there are no
 * objects or no backgrounds, or a YOLO class list lacks a class. */
BmSynth     *bm_synth_new               (const char            *objects_dir,
                                         const char            *backgrounds_dir,
                                         const BmSynthOptions  *options,
                                         GPtrArray             *problems,
                                         GError               **error);
void         bm_synth_free              (BmSynth               *synth);

/* The object classes, sorted bytewise, and how many crops each has. */
guint        bm_synth_get_n_classes     (BmSynth               *synth);
const char  *bm_synth_get_class_name    (BmSynth               *synth,
                                         guint                  klass);
guint        bm_synth_get_class_crops   (BmSynth               *synth,
                                         guint                  klass);
guint        bm_synth_get_n_backgrounds (BmSynth               *synth);
/* The YOLO class ids in use (options->classes or the sorted classes). */
BmClassList *bm_synth_get_class_list    (BmSynth               *synth);

/* "synth_000123": the name of image @index (6 digits, more when N needs them). Free with g_free. */
char        *bm_synth_image_name        (BmSynth               *synth,
                                         guint                  index);

/* Files of this shard below @out_dir that exist already (char *, owned). The YOLO class files
 * count only when their bytes differ from what would be written. */
GPtrArray   *bm_synth_find_existing     (BmSynth               *synth,
                                         const char            *out_dir);

typedef struct
{
  guint n_images;           /* written */
  guint n_objects;          /* pasted */
  guint n_not_placed;       /* drawn, but no room was found */
  guint n_failed;           /* images not made (see the problems) */
} BmSynthReport;

/* Makes the images of options->shard on @n_threads threads (0: every core) and writes, per
 * image, the picture, its labels and OUT/synth/NAME.synth.txt recording every placement, each
 * atomically; for YOLO also data.yaml and classes.txt. A background or crop that cannot be read
 * is a problem of that image (it is not made); a write that fails stops the run. */
gboolean     bm_synth_run               (BmSynth               *synth,
                                         const char            *out_dir,
                                         guint                  n_threads,
                                         GPtrArray             *problems,
                                         BmSynthReport         *report,
                                         GError               **error);

#define BM_SYNTH_SIDECAR_DIR "synth"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmSynth, bm_synth_free)

G_END_DECLS
