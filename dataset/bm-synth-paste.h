/* bm-synth-paste.h: turning, scaling and pasting one crop onto a canvas, for bm-synth.
 * Private to dataset/.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "core/bm-augment-warp.h"
#include "core/bm-geometry.h"
#include "core/bm-image.h"

G_BEGIN_DECLS

/* The mask `synth` pastes @crop with (one byte per pixel, 0 = not pasted, row-major, width ×
 * height): its alpha, less the near-black regions reaching in from its corners. Exposed for
 * tests. Free with g_free. */
guint8       *bm_synth_crop_mask  (BmImage            *crop);

/* A crop ready to paste: RGBA, colour premultiplied by the mask (and the feathering). */
typedef struct
{
  BmImage *rgba;
  int width, height;        /* the crop's own size */
  BmRect visible;           /* the bounds of what the mask keeps, in crop edge coordinates */
  gboolean empty;           /* the mask keeps nothing */
  /*< private >*/
  gint ref_count;
} BmSynthPatch;

/* @crop with its mask (bm_synth_crop_mask) and, with @feather, edges fading over a tenth of its
 * shorter side (1 to 16 pixels). */
BmSynthPatch *bm_synth_patch_new  (BmImage            *crop,
                                   gboolean            feather);
/* Patches are shared between the threads through the run's cache; never changed once made. */
BmSynthPatch *bm_synth_patch_ref  (BmSynthPatch       *patch);
void          bm_synth_patch_unref (BmSynthPatch      *patch);

/* The map from crop edge coordinates to canvas edge coordinates: scaled to @out_width ×
 * @out_height, turned @degrees counter-clockwise about its centre, centred on (@cx, @cy). */
BmAffine      bm_synth_placement  (int                 width,
                                   int                 height,
                                   double              out_width,
                                   double              out_height,
                                   double              degrees,
                                   double              cx,
                                   double              cy);

/* The crop's rectangle on the canvas. */
void          bm_synth_footprint  (const BmSynthPatch *patch,
                                   const BmAffine     *placement,
                                   BmPoint             corners[4]);

/* Whether two convex quadrilaterals come closer than @gap. */
gboolean      bm_synth_quads_touch (const BmPoint      a[4],
                                    const BmPoint      b[4],
                                    double             gap);

/* Pastes @patch onto @canvas (RGB) through @placement. */
void          bm_synth_paste      (const BmSynthPatch *patch,
                                   const BmAffine     *placement,
                                   BmImage            *canvas);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BmSynthPatch, bm_synth_patch_unref)

G_END_DECLS
