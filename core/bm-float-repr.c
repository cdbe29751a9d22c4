/* bm-float-repr.c
 *
 * Python finds the shortest digits with David Gay's algorithm. The same digits come from
 * printf: for each length the correctly rounded decimal is the nearest one, so the first
 * length at which it reads back is the shortest. The one exception is a power of two, whose
 * rounding interval is narrower below than above: there the nearest decimal may fall just
 * outside while its upper neighbour reads back, so that neighbour is tried too.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm-float-repr.h"

/* Adds one unit in the last place to the @n digits; returns TRUE when that carried out of the
 * first digit (the digits are then "100…" and the exponent grows by one). */
static gboolean
increment_digits (char *digits, int n)
{
  for (int i = n - 1; i >= 0; i--)
    {
      if (digits[i] != '9')
        {
          digits[i]++;
          return FALSE;
        }
      digits[i] = '0';
    }
  digits[0] = '1';
  return TRUE;
}

static gboolean
reads_back (const char *digits, int n, int exponent, double value)
{
  char text[48];

  snprintf (text, sizeof text, "0.%.*se%d", n, digits, exponent + 1);
  return strtod (text, NULL) == value;
}

/* The shortest digits of a finite positive @value, without trailing zeros, and the decimal
 * exponent of the first one. Returns how many digits. */
static int
shortest_digits (double value, char digits[24], int *exponent)
{
  int n;

  for (n = 1; n <= 17; n++)
    {
      char text[40];
      int k = 0;

      snprintf (text, sizeof text, "%.*e", n - 1, value);
      digits[k++] = text[0];
      for (const char *p = text + 2; n > 1 && *p != 'e'; p++)
        digits[k++] = *p;
      *exponent = atoi (strchr (text, 'e') + 1);
      if (n == 17 || reads_back (digits, n, *exponent, value))
        break;

      {
        char up[24];
        int up_exponent = *exponent;

        memcpy (up, digits, (size_t) n);
        if (increment_digits (up, n))
          up_exponent++;
        if (reads_back (up, n, up_exponent, value))
          {
            memcpy (digits, up, (size_t) n);
            *exponent = up_exponent;
            break;
          }
      }
    }
  while (n > 1 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';
  return n;
}

int
bm_float_repr (double value, char buffer[BM_FLOAT_REPR_SIZE])
{
  char digits[24];
  int exponent, n, point, at = 0;

  if (isnan (value))
    return (int) g_strlcpy (buffer, "nan", BM_FLOAT_REPR_SIZE);
  if (isinf (value))
    return (int) g_strlcpy (buffer, value < 0 ? "-inf" : "inf", BM_FLOAT_REPR_SIZE);
  if (value == 0)
    return (int) g_strlcpy (buffer, signbit (value) ? "-0.0" : "0.0", BM_FLOAT_REPR_SIZE);
  /* Whole numbers below 1e16 are their digits and ".0" (the common case of pixel coordinates). */
  if (value == trunc (value) && fabs (value) < 1e16)
    return snprintf (buffer, BM_FLOAT_REPR_SIZE, "%" G_GINT64_FORMAT ".0", (gint64) value);

  n = shortest_digits (fabs (value), digits, &exponent);
  point = exponent + 1;   /* how many digits stand before the decimal point */
  if (value < 0)
    buffer[at++] = '-';

  /* Python's repr switches to an exponent outside 1e-4 <= |value| < 1e16. */
  if (point <= -4 || point > 16)
    {
      buffer[at++] = digits[0];
      if (n > 1)
        {
          buffer[at++] = '.';
          memcpy (buffer + at, digits + 1, (size_t) n - 1);
          at += n - 1;
        }
      at += snprintf (buffer + at, (size_t) (BM_FLOAT_REPR_SIZE - at), "e%c%02d",
                      exponent < 0 ? '-' : '+', abs (exponent));
      return at;
    }
  if (point <= 0)
    {
      buffer[at++] = '0';
      buffer[at++] = '.';
      for (int i = 0; i < -point; i++)
        buffer[at++] = '0';
      memcpy (buffer + at, digits, (size_t) n);
      at += n;
    }
  else if (point >= n)
    {
      memcpy (buffer + at, digits, (size_t) n);
      at += n;
      for (int i = n; i < point; i++)
        buffer[at++] = '0';
      buffer[at++] = '.';
      buffer[at++] = '0';
    }
  else
    {
      memcpy (buffer + at, digits, (size_t) point);
      at += point;
      buffer[at++] = '.';
      memcpy (buffer + at, digits + point, (size_t) (n - point));
      at += n - point;
    }
  buffer[at] = '\0';
  return at;
}
