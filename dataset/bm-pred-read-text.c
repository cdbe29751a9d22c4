/* bm-pred-read-text.c: the line-based prediction readers (VOC and DOTA results files,
 * Ultralytics txt with a confidence) and the look at a .txt file's first row that tells them
 * apart; apart from finding files because each reads lines exactly as its evaluator does.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-file-util.h"
#include "core/bm-number.h"
#include "formats/bm-text-util.h"
#include "bm-pred-private.h"

#define MAX_TOKENS 64

/* ---- one line ---- */

typedef struct
{
  char *token[MAX_TOKENS];
  guint n;              /* tokens found (may exceed MAX_TOKENS: then only counted) */
  gboolean odd_spacing; /* separated by something else than single spaces */
} Tokens;

/* Splits the stripped line @text in place on runs of ASCII whitespace. */
static void
tokenize (char *text, Tokens *tokens)
{
  char *p = text;

  tokens->n = 0;
  /* py-faster-rcnn and DOTA_devkit split on single spaces: anything else gives empty tokens */
  tokens->odd_spacing = strpbrk (text, "\t\v\f\r") != NULL || strstr (text, "  ") != NULL;
  while (*p != '\0')
    {
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      if (tokens->n < MAX_TOKENS)
        tokens->token[tokens->n] = p;
      tokens->n++;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      if (*p != '\0')
        *p++ = '\0';
    }
}

/* Python's str.strip() of ASCII whitespace, in place. */
static char *
strip (char *line, char *end)
{
  while (line < end && g_ascii_isspace (*line))
    line++;
  while (end > line && g_ascii_isspace (end[-1]))
    end--;
  *end = '\0';
  return line;
}

typedef enum
{
  NUMBER_OK,
  NUMBER_BAD,
  NUMBER_NAN,
  NUMBER_INFINITE,
} NumberResult;

/* Powers of ten that doubles hold exactly. */
static const double exact_powers[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The common short decimals ("937.0", "0.8207", "-12.5e3") without strtod: when the digits make
 * an integer below 2^53 and the power of ten is exact, one IEEE multiplication or division of two
 * exact numbers is correctly rounded, so the result is strtod's (Clinger's fast path). FALSE
 * for anything else, which strtod then reads. Detection files hold millions of such numbers. */
static gboolean
parse_simple_decimal (const char *p, double *value)
{
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  int digits = 0, exponent = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (!g_ascii_isdigit (*p) && !(*p == '.' && g_ascii_isdigit (p[1])))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (mantissa == 0 && *p == '0')
        continue;
      if (++digits > 15)
        return FALSE;
      mantissa = mantissa * 10 + (guint64) (*p - '0');
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      {
        exponent--;
        if (mantissa == 0 && *p == '0')
          continue;
        if (++digits > 15)
          return FALSE;
        mantissa = mantissa * 10 + (guint64) (*p - '0');
      }
  if (*p == 'e' || *p == 'E')
    {
      int sign = 1, e = 0;

      p++;
      if (*p == '-' || *p == '+')
        sign = *p++ == '-' ? -1 : 1;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        if ((e = e * 10 + (*p - '0')) > 400)
          return FALSE;
      exponent += sign * e;
    }
  if (*p != '\0' || exponent < -22 || exponent > 22)
    return FALSE;
  *value = exponent >= 0 ? (double) mantissa * exact_powers[exponent] : (double) mantissa / exact_powers[-exponent];
  if (negative)
    *value = -*value;
  return TRUE;
}

/* A number as Python's float() reads it (decimal, no hex); NaN and infinities are told apart. */
static NumberResult
parse_number (const char *token, double *value)
{
  char *end = NULL;

  if (parse_simple_decimal (token, value))
    return NUMBER_OK;
  if (token[0] == '\0' || strpbrk (token, "xXpP") != NULL)
    return NUMBER_BAD;
  *value = g_ascii_strtod (token, &end);
  if (end == NULL || *end != '\0' || end == token)
    return NUMBER_BAD;
  if (isnan (*value))
    return NUMBER_NAN;
  if (isinf (*value))
    return NUMBER_INFINITE;
  return NUMBER_OK;
}

gboolean
bm_pred_parse_finite (const char *token, double *value)
{
  return parse_number (token, value) == NUMBER_OK;
}

static gboolean
parse_score (BmPredChunk *chunk, guint line, const char *token, double *score)
{
  g_autofree char *shown = NULL;

  switch (parse_number (token, score))
    {
    case NUMBER_OK:
      return TRUE;
    case NUMBER_NAN:
      bm_pred_chunk_problem (chunk, line, _("the score is NaN (the detection cannot be ranked); line left out"));
      return FALSE;
    case NUMBER_INFINITE:
      bm_pred_chunk_problem (chunk, line, _("the score is infinite; line left out"));
      return FALSE;
    case NUMBER_BAD:
    default:
      shown = bm_text_shown (token);
      bm_pred_chunk_problem (chunk, line, _("the score “%s” is not a number; line left out"), shown);
      return FALSE;
    }
}

static gboolean
parse_coordinates (BmPredChunk *chunk, guint line, char **tokens, guint n, double *xy)
{
  for (guint i = 0; i < n; i++)
    if (parse_number (tokens[i], &xy[i]) != NUMBER_OK)
      {
        g_autofree char *shown = bm_text_shown (tokens[i]);

        bm_pred_chunk_problem (chunk, line, _("coordinate %u, “%s”, is not a finite number; line left out"),
                               i + 1, shown);
        return FALSE;
      }
  return TRUE;
}

/* Calls @func for each line of @data (modified in place) with its stripped text. */
typedef void (*LineFunc) (BmPredChunk *chunk, guint line, char *text, gpointer user_data);

static void
for_each_line (BmPredChunk *chunk, char *data, gsize length, LineFunc func, gpointer user_data)
{
  char *end = data + length;
  guint line = 0;

  for (char *p = data; p < end;)
    {
      char *newline = memchr (p, '\n', (gsize) (end - p));
      char *line_end = newline != NULL ? newline : end;

      line++;
      func (chunk, line, strip (p, line_end), user_data);
      p = line_end + 1;
    }
  chunk->n_lines = line;
}

/* ---- VOC and DOTA results files ---- */

typedef struct
{
  BmPredFormat format;
  guint n_coordinates;
  gboolean noted_spacing;
  gboolean noted_blank;
} ResultsState;

static const char *
evaluator_of (BmPredFormat format)
{
  return format == BM_PRED_FORMAT_VOC ? "py-faster-rcnn’s voc_eval" : "DOTA_devkit";
}

static void
results_line (BmPredChunk *chunk, guint line, char *text, gpointer user_data)
{
  ResultsState *state = user_data;
  Tokens tokens;
  BmPred pred = { 0 };

  if (text[0] == '\0')
    {
      if (!state->noted_blank)
        {
          state->noted_blank = TRUE;
          bm_pred_chunk_note (chunk, line, _("blank line skipped (%s would stop here with IndexError)"),
                              evaluator_of (state->format));
        }
      return;
    }
  tokenize (text, &tokens);
  if (tokens.n != 2 + state->n_coordinates)
    {
      if (state->format == BM_PRED_FORMAT_DOTA_TASK1)
        bm_pred_chunk_problem (chunk, line,
                               _("%u values where a DOTA Task1 line has 10 (image score x1 y1 x2 y2 x3 y3 x4 y4); line left out"),
                               tokens.n);
      else if (tokens.n == 10)
        bm_pred_chunk_problem (chunk, line,
                               _("10 values where a %s line has 6 (image score xmin ymin xmax ymax): a DOTA Task1 line? (--pred-format dota-task1); line left out"),
                               state->format == BM_PRED_FORMAT_VOC ? "VOC results" : "DOTA Task2");
      else
        bm_pred_chunk_problem (chunk, line,
                               _("%u values where a %s line has 6 (image score xmin ymin xmax ymax); line left out"),
                               tokens.n, state->format == BM_PRED_FORMAT_VOC ? "VOC results" : "DOTA Task2");
      return;
    }
  if (!parse_score (chunk, line, tokens.token[1], &pred.score)
      || !parse_coordinates (chunk, line, tokens.token + 2, state->n_coordinates, pred.xy))
    return;
  if (tokens.odd_spacing && !state->noted_spacing)
    {
      state->noted_spacing = TRUE;
      bm_pred_chunk_note (chunk, line,
                          _("values separated by more than one space or by tabs: read, but %s splits lines on single spaces and would stop here with ValueError"),
                          evaluator_of (state->format));
    }
  pred.image = bm_pred_chunk_image (chunk, tokens.token[0], strlen (tokens.token[0]));
  pred.geometry = state->n_coordinates == 8 ? BM_PRED_QUAD : BM_PRED_XYXY;
  pred.line = line;
  pred.index = line - 1;
  bm_pred_chunk_add (chunk, &pred);
}

void
bm_pred_parse_results (BmPredChunk *chunk, char *data, gsize length, BmPredFormat format)
{
  ResultsState state = { format, format == BM_PRED_FORMAT_DOTA_TASK1 ? 8 : 4, FALSE, FALSE };

  for_each_line (chunk, data, length, results_line, &state);
  if (bm_pred_chunk_get_n (chunk) == 0 && chunk->problems->len == 0)
    bm_pred_chunk_problem (chunk, 1,
                           _("no detections in this results file: class “%s” gets AP 0 (%s would stop with IndexError)"),
                           chunk->class_name != NULL ? chunk->class_name : "", evaluator_of (format));
}

/* ---- Ultralytics txt with a confidence ---- */

static void
yolo_line (BmPredChunk *chunk, guint line, char *text, gpointer user_data)
{
  const char *image = user_data;
  Tokens tokens;
  BmPred pred = { 0 };
  guint64 class_id;
  guint n_values;
  double values[MAX_TOKENS];
  char key[32];

  if (text[0] == '\0')
    return;
  tokenize (text, &tokens);
  if (tokens.n == 5 || tokens.n == 9)
    {
      bm_pred_chunk_problem (chunk, line,
                             _("%u values and no confidence: a prediction row ends with its confidence (cls cx cy w h conf, or cls x1 y1 … x4 y4 conf); is this a label file? Line left out"),
                             tokens.n);
      return;
    }
  if (tokens.n > MAX_TOKENS || (tokens.n != 6 && (tokens.n < 8 || tokens.n % 2 != 0)))
    {
      bm_pred_chunk_problem (chunk, line,
                             _("%u values where a YOLO prediction row has 6 (cls cx cy w h conf) or 10 (cls x1 y1 … x4 y4 conf); line left out"),
                             tokens.n);
      return;
    }
  if (!bm_number_parse_uint (tokens.token[0], G_MAXUINT32, &class_id))
    {
      g_autofree char *shown = bm_text_shown (tokens.token[0]);

      bm_pred_chunk_problem (chunk, line, _("the class “%s” is not a class number; line left out"), shown);
      return;
    }
  n_values = tokens.n - 2;
  if (!parse_coordinates (chunk, line, tokens.token + 1, n_values, values)
      || !parse_score (chunk, line, tokens.token[tokens.n - 1], &pred.score))
    return;

  if (tokens.n == 6)
    {
      pred.geometry = BM_PRED_YOLO_BOX;
      memcpy (pred.xy, values, 4 * sizeof (double));
    }
  else if (tokens.n == 10)
    {
      pred.geometry = BM_PRED_YOLO_QUAD;
      memcpy (pred.xy, values, 8 * sizeof (double));
    }
  else
    {
      /* a polygon row: its enclosing box, as Ultralytics trains a detector on */
      double x1 = values[0], x2 = values[0], y1 = values[1], y2 = values[1];

      for (guint i = 2; i + 1 < n_values; i += 2)
        {
          x1 = MIN (x1, values[i]);
          x2 = MAX (x2, values[i]);
          y1 = MIN (y1, values[i + 1]);
          y2 = MAX (y2, values[i + 1]);
        }
      pred.geometry = BM_PRED_YOLO_BOX;
      pred.xy[0] = (x1 + x2) / 2;
      pred.xy[1] = (y1 + y2) / 2;
      pred.xy[2] = x2 - x1;
      pred.xy[3] = y2 - y1;
    }
  g_snprintf (key, sizeof key, "%" G_GUINT64_FORMAT, class_id);
  pred.klass = bm_pred_chunk_class (chunk, key);
  pred.image = bm_pred_chunk_image (chunk, image, strlen (image));
  pred.line = line;
  pred.index = line - 1;
  bm_pred_chunk_add (chunk, &pred);
}

void
bm_pred_parse_yolo (BmPredChunk *chunk, char *data, gsize length)
{
  g_autofree char *image = bm_path_get_stem (chunk->path);

  for_each_line (chunk, data, length, yolo_line, image);
}

/* What the first row of a .txt file looks like: YOLO with a confidence (numbers only, a whole
 * class number first), a results line (image name, then numbers), or neither. */
BmPredFormat
_bm_pred_sniff_txt (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;
  char *line, *end;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return BM_PRED_FORMAT_AUTO;
  end = data + length;
  for (line = data; line < end;)
    {
      char *newline = memchr (line, '\n', (gsize) (end - line));
      char *line_end = newline != NULL ? newline : end;
      char *text = strip (line, line_end);
      Tokens tokens;
      guint64 id;
      double value;

      line = line_end + 1;
      if (text[0] == '\0')
        continue;
      tokenize (text, &tokens);
      if (tokens.n > MAX_TOKENS)
        return BM_PRED_FORMAT_AUTO;
      if (bm_number_parse_uint (tokens.token[0], G_MAXUINT32, &id)
          && (tokens.n == 6 || (tokens.n >= 8 && tokens.n % 2 == 0)))
        return BM_PRED_FORMAT_YOLO;
      if (parse_number (tokens.token[0], &value) == NUMBER_BAD && tokens.n == 6)
        return BM_PRED_FORMAT_VOC;
      if (parse_number (tokens.token[0], &value) == NUMBER_BAD && tokens.n == 10)
        return BM_PRED_FORMAT_DOTA_TASK1;
      return BM_PRED_FORMAT_AUTO;
    }
  return BM_PRED_FORMAT_AUTO;
}
