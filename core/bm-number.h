/* bm-number.h: whole numbers read from label files and options.
 *
 * GLib 2.74's g_ascii_string_to_unsigned() and _signed() can fail on a valid number when
 * several threads make their first call at once (they look at errno, which GLib's lazy set-up
 * of its C locale may touch); labels are read on every core, so Boxmark parses whole numbers
 * itself.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decimal digits only (no sign, no blanks), at most @max. FALSE leaves @value alone. */
gboolean bm_number_parse_uint (const char *text, guint64 max, guint64 *value);
/* An optional "+" or "-", then decimal digits only, within [@min, @max]. */
gboolean bm_number_parse_int  (const char *text, gint64 min, gint64 max, gint64 *value);

G_END_DECLS
