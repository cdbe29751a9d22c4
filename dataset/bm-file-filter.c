/* bm-file-filter.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-file-filter.h"

#include <string.h>

/* The value of one KEY:VALUE term, as its key's parser made it. */
typedef struct
{
  int yes;               /* yes/no keys: 1 or 0 */
  char *text;            /* text keys (label:) */
} TermValue;

typedef struct
{
  /* FALSE when @value means nothing to the key: the word then matches file names. */
  gboolean (*parse) (const char *value, TermValue *out);
  gboolean (*match) (BmFileStates *states, guint index, const BmFileSummary *summary, const TermValue *value);
} KeyClass;

typedef struct
{
  const char *name;
  KeyClass klass;
} Key;

typedef struct
{
  const Key *key;
  TermValue value;
} Term;

struct _BmFileFilter
{
  char *text;
  GPtrArray *names;       /* casefolded substrings of the file name */
  GArray *terms;          /* Term */
  GPtrArray *extra;       /* the caller's terms (bm_file_filter_new_full), or NULL */
  BmFileFilterTermParse extra_parse;
  GDestroyNotify extra_free;
  gpointer extra_data;
};

/* Values ------------------------------------------------------------------------------------- */

static gboolean
parse_yes_no (const char *value, TermValue *out)
{
  if (g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "true") == 0 || strcmp (value, "1") == 0)
    out->yes = 1;
  else if (g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "false") == 0 || strcmp (value, "0") == 0)
    out->yes = 0;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_text (const char *value, TermValue *out)
{
  out->text = g_strdup (value);
  return TRUE;
}

/* Matches ------------------------------------------------------------------------------------ */

static gboolean
match_label (BmFileStates *states, guint index, const BmFileSummary *summary, const TermValue *value)
{
  return bm_file_states_has_label (states, index, value->text);
}

static gboolean
match_verified (BmFileStates *states, guint index, const BmFileSummary *summary, const TermValue *value)
{
  return (summary->state == BM_FILE_STATE_VERIFIED) == value->yes;
}

static gboolean
match_problem (BmFileStates *states, guint index, const BmFileSummary *summary, const TermValue *value)
{
  return (summary->state == BM_FILE_STATE_PROBLEM) == value->yes;
}

static gboolean
match_empty (BmFileStates *states, guint index, const BmFileSummary *summary, const TermValue *value)
{
  return (summary->n_objects <= 0) == value->yes;
}

static gboolean
match_pre (BmFileStates *states, guint index, const BmFileSummary *summary, const TermValue *value)
{
  return bm_file_states_has_pre_annotations (states, index) == value->yes;
}

/* The keys. Add a filter here: its name, how its value reads, what it matches. */
static const Key keys[] = {
  { "label", { parse_text, match_label } },
  { "verified", { parse_yes_no, match_verified } },
  { "problem", { parse_yes_no, match_problem } },
  { "empty", { parse_yes_no, match_empty } },
  { "pre", { parse_yes_no, match_pre } },     /* pre-annotations not accepted yet */
};

/* Parsing ------------------------------------------------------------------------------------ */

static void
term_clear (gpointer data)
{
  g_free (((Term *) data)->value.text);
}

/* A KEY:VALUE word with a known key and a value it reads: a term. */
static gboolean
add_term (BmFileFilter *filter, const char *word)
{
  const char *colon = strchr (word, ':');
  g_autofree char *name = NULL;

  if (colon == NULL || colon[1] == '\0')
    return FALSE;
  name = g_ascii_strdown (word, colon - word);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      Term term = { &keys[k], { -1, NULL } };

      if (strcmp (name, keys[k].name) != 0 || !keys[k].klass.parse (colon + 1, &term.value))
        continue;
      g_array_append_val (filter->terms, term);
      return TRUE;
    }
  if (filter->extra_parse != NULL)
    {
      gpointer term = filter->extra_parse (name, colon + 1, filter->extra_data);

      if (term != NULL)
        {
          if (filter->extra == NULL)
            filter->extra = g_ptr_array_new_with_free_func (filter->extra_free);
          g_ptr_array_add (filter->extra, term);
          return TRUE;
        }
    }
  return FALSE;
}

BmFileFilter *
bm_file_filter_new (const char *text)
{
  return bm_file_filter_new_full (text, NULL, NULL, NULL);
}

BmFileFilter *
bm_file_filter_new_full (const char            *text,
                         BmFileFilterTermParse  parse,
                         GDestroyNotify         free_term,
                         gpointer               user_data)
{
  BmFileFilter *filter = g_new0 (BmFileFilter, 1);
  g_auto(GStrv) words = NULL;

  filter->extra_parse = parse;
  filter->extra_free = free_term;
  filter->extra_data = user_data;
  filter->text = g_strdup (text != NULL ? text : "");
  filter->terms = g_array_new (FALSE, FALSE, sizeof (Term));
  g_array_set_clear_func (filter->terms, term_clear);
  if (text == NULL || *text == '\0')
    return filter;
  /* Shell quoting lets a label with spaces be one word; unbalanced quotes fall back to spaces. */
  if (!g_shell_parse_argv (text, NULL, &words, NULL))
    words = g_strsplit_set (text, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0' || add_term (filter, words[i]))
        continue;
      if (filter->names == NULL)
        filter->names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (filter->names, g_utf8_casefold (words[i], -1));
    }
  return filter;
}

void
bm_file_filter_free (BmFileFilter *filter)
{
  if (filter == NULL)
    return;
  g_clear_pointer (&filter->names, g_ptr_array_unref);
  g_clear_pointer (&filter->extra, g_ptr_array_unref);
  g_array_unref (filter->terms);
  g_free (filter->text);
  g_free (filter);
}

BmFileFilter *
bm_file_filter_copy (const BmFileFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);
  return bm_file_filter_new_full (filter->text, filter->extra_parse, filter->extra_free, filter->extra_data);
}

GPtrArray *
bm_file_filter_get_extra_terms (const BmFileFilter *filter)
{
  g_return_val_if_fail (filter != NULL, NULL);
  return filter->extra;
}

gboolean
bm_file_filter_is_empty (const BmFileFilter *filter)
{
  g_return_val_if_fail (filter != NULL, TRUE);
  return filter->names == NULL && filter->terms->len == 0 && filter->extra == NULL;
}

gboolean
bm_file_filter_needs_states (const BmFileFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  return filter->terms->len > 0;
}

gboolean
bm_file_filter_match_name (const BmFileFilter *filter, const char *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (filter != NULL, TRUE);

  if (filter->names == NULL)
    return TRUE;
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < filter->names->len; i++)
    if (strstr (folded, g_ptr_array_index (filter->names, i)) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
bm_file_filter_match_states (const BmFileFilter *filter, BmFileStates *states, guint index,
                             const BmFileSummary *summary)
{
  g_return_val_if_fail (filter != NULL && summary != NULL, FALSE);

  for (guint i = 0; i < filter->terms->len; i++)
    {
      const Term *term = &g_array_index (filter->terms, Term, i);

      if (!term->key->klass.match (states, index, summary, &term->value))
        return FALSE;
    }
  return TRUE;
}

gboolean
bm_file_filter_match (const BmFileFilter *filter, BmFileStates *states, guint index)
{
  BmFileSummary summary;

  g_return_val_if_fail (filter != NULL && BM_IS_FILE_STATES (states), FALSE);

  if (!bm_file_filter_match_name (filter, bm_file_states_get_name (states, index)))
    return FALSE;
  if (!bm_file_filter_needs_states (filter))
    return TRUE;
  return bm_file_states_peek (states, index, &summary) && bm_file_filter_match_states (filter, states, index, &summary);
}
