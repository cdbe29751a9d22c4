/* bm-number.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-number.h"

/* Digits of @text into @magnitude, FALSE past @limit or on anything but a digit. */
static gboolean
parse_digits (const char *text, guint64 limit, guint64 *magnitude)
{
  guint64 n = 0;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = (guint) (*p - '0');
      if (digit > limit || n > (limit - digit) / 10)
        return FALSE;
      n = n * 10 + digit;
    }
  *magnitude = n;
  return TRUE;
}

gboolean
bm_number_parse_uint (const char *text, guint64 max, guint64 *value)
{
  guint64 n;

  if (!parse_digits (text, max, &n))
    return FALSE;
  *value = n;
  return TRUE;
}

gboolean
bm_number_parse_int (const char *text, gint64 min, gint64 max, gint64 *value)
{
  gboolean negative = FALSE;
  gint64 result;
  guint64 n;

  g_return_val_if_fail (min <= max, FALSE);

  if (text != NULL && (*text == '-' || *text == '+'))
    {
      negative = *text == '-';
      text++;
    }
  /* The magnitude fits a guint64 up to 2^63, which covers G_MININT64. */
  if (!parse_digits (text, (guint64) G_MAXINT64 + 1, &n))
    return FALSE;
  if (negative)
    {
      if (n == 0)
        result = 0;
      else
        result = -(gint64) (n - 1) - 1;
    }
  else
    {
      if (n > (guint64) G_MAXINT64)
        return FALSE;
      result = (gint64) n;
    }
  if (result < min || result > max)
    return FALSE;
  *value = result;
  return TRUE;
}
