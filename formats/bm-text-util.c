/* bm-text-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "bm-text-util.h"

gboolean
bm_text_parse_finite (const char *token, double *value)
{
  char *end = NULL;

  if (token[0] == '\0' || strpbrk (token, "xXpP") != NULL)
    return FALSE;
  *value = g_ascii_strtod (token, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

char *
bm_text_shown (const char *token)
{
  g_autofree char *valid = g_utf8_make_valid (token, -1);
  g_autofree char *head = NULL;

  if (g_utf8_strlen (valid, -1) <= 40)
    return g_steal_pointer (&valid);
  head = g_utf8_substring (valid, 0, 40);
  return g_strconcat (head, "…", NULL);
}

GHashTable *
bm_text_objects_by_origin (BmAnnotation *annotation)
{
  GHashTable *by_origin = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      guint origin = bm_object_get_origin (object);

      if (origin != 0 && !g_hash_table_contains (by_origin, GUINT_TO_POINTER (origin)))
        g_hash_table_insert (by_origin, GUINT_TO_POINTER (origin), object);
    }
  return by_origin;
}
