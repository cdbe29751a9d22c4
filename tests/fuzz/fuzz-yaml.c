/* fuzz-yaml.c: libFuzzer target for data.yaml through libyaml (bm_class_list_load_yaml_data).
 *
 * Besides "no crash, no hang, no leak": a problem names the file and a line inside it (or no
 * line, for a file without names and nc); a list that loads has unique, non-empty names, and
 * writes a data.yaml that reads back to the same names and the same path, train and val.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "formats/bm-class-list.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

/* Lines as YAML counts them: \n, \r\n or a lone \r ends one. */
static guint
count_lines (const char *data, size_t size)
{
  guint n = 1;

  for (size_t i = 0; i < size; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
      n++;
  return n;
}

static void
check_error (const GError *error, const char *text, size_t size)
{
  const char *rest;
  guint64 line;
  char *end;

  check (g_str_has_prefix (error->message, "fuzz.yaml:"));
  rest = error->message + strlen ("fuzz.yaml:");
  if (*rest == ' ')
    return;
  line = g_ascii_strtoull (rest, &end, 10);
  check (end != rest && *end == ':');
  check (line >= 1 && line <= count_lines (text, size) + 1);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BmClassList) list = bm_class_list_load_yaml_data (text, size, "fuzz.yaml", &error);
  g_autoptr(BmClassList) back = NULL;
  g_autoptr(GError) back_error = NULL;
  g_autofree char *written = NULL;

  if (list == NULL)
    {
      check (error != NULL);
      check_error (error, text, size);
      return 0;
    }
  check (error == NULL);
  for (guint i = 0; i < bm_class_list_get_n (list); i++)
    {
      const char *name = bm_class_list_get_name (list, i);

      check (name[0] != '\0');
      check (bm_class_list_find (list, name) == (int) i);
    }

  written = bm_class_list_to_yaml (list, bm_class_list_get_yaml_value (list, "path"),
                                   bm_class_list_get_yaml_value (list, "train"),
                                   bm_class_list_get_yaml_value (list, "val"));
  back = bm_class_list_load_yaml_data (written, strlen (written), "back.yaml", &back_error);
  /* train and val are written unquoted, as Ultralytics writes them: only names and path are
   * sure to come back when they hold YAML syntax. */
  if (back == NULL)
    {
      const char *train = bm_class_list_get_yaml_value (list, "train");
      const char *val = bm_class_list_get_yaml_value (list, "val");
      g_autofree char *quoted_train = train != NULL ? bm_class_list_yaml_quote (train) : NULL;
      g_autofree char *quoted_val = val != NULL ? bm_class_list_yaml_quote (val) : NULL;

      check ((train != NULL && g_strcmp0 (quoted_train, train) != 0)
             || (val != NULL && g_strcmp0 (quoted_val, val) != 0));
      return 0;
    }
  check (bm_class_list_get_n (back) == bm_class_list_get_n (list));
  for (guint i = 0; i < bm_class_list_get_n (list); i++)
    check (strcmp (bm_class_list_get_name (back, i), bm_class_list_get_name (list, i)) == 0);
  check (g_strcmp0 (bm_class_list_get_yaml_value (back, "path"), bm_class_list_get_yaml_value (list, "path")) == 0);
  return 0;
}
