/* bm-preannotate.h: turning detections into pre-annotations, the same way for
 * boxmark-cli detect --write and the window.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bm-annotation.h"
#include "bm-detector.h"

G_BEGIN_DECLS

/* TRUE when @annotation has an object labelled @label whose bounds overlap @box with an IoU of
 * at least @iou. */
gboolean   bm_preannotate_overlaps    (BmAnnotation *annotation, const char *label, const BmRect *box, double iou);

/* TRUE when one of @objects (BmObject) labelled @label has bounds overlapping @box with an IoU
 * of at least @iou: the same rule for detections kept earlier in the same run. */
gboolean   bm_preannotate_overlaps_objects (GPtrArray *objects, const char *label, const BmRect *box, double iou);

/* New pre-annotation objects (score = neighbours) for the detections in @found (BmDetection)
 * that overlap neither an object of @annotation with the same label nor an earlier kept
 * detection by @iou or more. @annotation is not changed. */
GPtrArray *bm_preannotate_new_objects (BmAnnotation *annotation, GArray *found, const char *label, double iou);

G_END_DECLS
