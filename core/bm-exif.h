/* bm-exif.h: the few EXIF facts Boxmark needs, read defensively from untrusted bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block (starting with "II*\0" or
 * "MM\0*", i.e. an APP1 payload after its "Exif\0\0" header). Returns 1-8, or 0 when the block
 * is malformed or has no valid orientation. Every offset is bounds-checked against @length. */
int bm_exif_parse_orientation (const guint8 *tiff, gsize length);

/* Same, for a whole APP1 payload ("Exif\0\0" + TIFF). */
int bm_exif_parse_app1 (const guint8 *payload, gsize length);

G_END_DECLS
