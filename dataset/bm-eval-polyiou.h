/* bm-eval-polyiou.h: the IoU of two quadrilaterals as DOTA_devkit's polyiou computes it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* IoU of the quadrilaterals @a and @b (x1 y1 … x4 y4), exactly as DOTA_devkit's
 * polyiou.iou_poly(a, b) returns it: the intersection is summed over triangle fans in double
 * precision with its 1e-8 tolerances, a clockwise quad is reversed first, no +1 on areas, and a
 * self-intersecting (bow-tie) quad gets the same signed-area result. The order of the arguments
 * matters in the last bits: DOTA Task1 passes the ground truth first. */
double bm_eval_poly_iou (const double a[8], const double b[8]);

G_END_DECLS
