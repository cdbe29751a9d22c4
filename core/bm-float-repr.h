/* bm-float-repr.h: doubles written as Python 3 writes them (repr, str), for output that must
 * equal the bytes a Python reference tool writes.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest text bm_float_repr writes, with its NUL. */
#define BM_FLOAT_REPR_SIZE 32

/* Writes @value as Python 3's repr(float) and str(float) do: the shortest decimal that reads
 * back to the same double ("0.1", not "0.10000000000000001"), always with a ".0" or an exponent
 * ("807.0", "1e+16", "1e-05", "-0.0"), and "inf", "-inf", "nan". Returns the length. */
int bm_float_repr (double value, char buffer[BM_FLOAT_REPR_SIZE]);

G_END_DECLS
