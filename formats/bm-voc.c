/* bm-voc.c: Pascal VOC XML reader (every dialect in testdata/voc/) and its lossless writer.
 *
 * The parsed libxml2 tree is kept as the annotation's backing, together with the original bytes
 * and, for every node, where its markup sits in those bytes. A save copies the tree, edits the
 * copy in place for what changed in the model, and writes every node nobody touched as its
 * original bytes, so unknown elements, comments, whitespace and number spellings all survive.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-voc.h"

/* Where a node's markup is in the original bytes: [start, end). For elements also the end of
 * the start tag and the start of the end tag. */
typedef struct
{
  gsize start;
  gsize stag_end;
  gsize etag_start;
  gsize end;
  gboolean self_closing;
} VocSpan;

typedef struct
{
  xmlNode *node;      /* the <object> element in VocBacking.doc */
  BmObject *loaded;   /* the object as read, to tell an edited object from an untouched one */
} VocEntry;

typedef struct
{
  xmlDoc *doc;
  char *data;
  gsize length;
  gboolean spans_ok;    /* every node has a VocSpan in _private that matches data */
  GPtrArray *spans;     /* VocSpan, owned; nodes point into it */
  GPtrArray *entries;   /* VocEntry, index = origin - 1 */
  int width, height, depth;
  gboolean verified;
  gboolean uses_type;   /* roLabelImg: objects carry <type> */
} VocBacking;

static void
voc_entry_free (gpointer data)
{
  VocEntry *entry = data;

  g_clear_object (&entry->loaded);
  g_free (entry);
}

static void
voc_backing_free (gpointer data)
{
  VocBacking *backing = data;

  if (backing->doc != NULL)
    xmlFreeDoc (backing->doc);
  g_free (backing->data);
  g_ptr_array_unref (backing->spans);
  g_ptr_array_unref (backing->entries);
  g_free (backing);
}

/* ---------------------------------------------------------------------------------------------
 * Small tree helpers */

static gboolean
is_element (xmlNode *node, const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE
         && (name == NULL || strcmp ((const char *) node->name, name) == 0);
}

static xmlNode *
find_child (xmlNode *parent, const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (is_element (child, name))
      return child;
  return NULL;
}

static int
node_line (xmlNode *node)
{
  long line = node != NULL ? xmlGetLineNo (node) : 0;

  return line > 0 && line < G_MAXINT ? (int) line : 0;
}

/* The element's text (all descendant text), g_free'd by the caller. */
static char *
element_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup (content != NULL ? (const char *) content : "");

  xmlFree (content);
  return text;
}

static gboolean
is_blank_text (xmlNode *node)
{
  if (node == NULL || node->type != XML_TEXT_NODE)
    return FALSE;
  for (const xmlChar *p = node->content; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Numbers */

/* Plain decimal text: [+-]digits[.digits][e[+-]digits]; no hex, nan or inf. */
static gboolean
parse_number (const char *text, double *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *p = copy;
  gboolean digits = FALSE;
  char *end = NULL;
  double v;

  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;
  v = g_ascii_strtod (copy, &end);
  if (end == NULL || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

/* Integer text when whole, else the shortest fixed-point decimal that reads back as @value. */
static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 400];
  char format[16];

  if (value == 0)
    return g_strdup ("0");
  if (value == floor (value) && fabs (value) < 1e300)
    {
      g_ascii_formatd (buf, sizeof buf, "%.0f", value);
      return g_strdup (buf);
    }
  for (int decimals = 1; decimals <= 40; decimals++)
    {
      g_snprintf (format, sizeof format, "%%.%df", decimals);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        {
          /* Never "-0.0" style leftovers: a value this small prints as its digits. */
          return g_strdup (buf);
        }
    }
  g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  return g_strdup (buf);
}

/* A value the writer computed from the shape's corners, not one the model holds: 10 significant
 * digits and at most 10 decimals (far below a pixel or a visible angle) drop the floating-point
 * noise ("111.99999999999999" → "112"). Fixed-point, without trailing zeros. */
static char *
format_derived (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 400];
  char format[16];
  int decimals;

  if (!isfinite (value) || value == 0)
    return format_number (value);
  decimals = CLAMP (9 - (int) floor (log10 (fabs (value))), 0, 10);
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, format, value);
  if (strchr (buf, '.') != NULL)
    {
      char *end = buf + strlen (buf);

      while (end[-1] == '0')
        *--end = '\0';
      if (end[-1] == '.')
        *--end = '\0';
    }
  if (strcmp (buf, "-0") == 0)
    return g_strdup ("0");
  return g_strdup (buf);
}

/* ---------------------------------------------------------------------------------------------
 * Reading objects */

typedef struct
{
  BmAnnotation *annotation;
  const char *path;
  gboolean ok;   /* no problem in the current object yet */
} ReadContext;

static void
report (ReadContext *rc, xmlNode *node, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
report (ReadContext *rc, xmlNode *node, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  bm_annotation_add_problem (rc->annotation, bm_problem_new (rc->path, node_line (node), message));
  rc->ok = FALSE;
}

/* Coordinates, sizes and angles beyond this are no real image's: refused, not carried along. */
#define MAX_COORDINATE 1e7

/* @node is @parent's child @name, or NULL when it is missing. */
static gboolean
read_coordinate_node (ReadContext *rc, xmlNode *parent, xmlNode *node, const char *name, double *value)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    {
      report (rc, parent, _("<%s> has no <%s>"), (const char *) parent->name, name);
      return FALSE;
    }
  text = element_text (node);
  if (!parse_number (text, value))
    {
      report (rc, node, _("<%s> is not a number: “%s”"), name, text);
      return FALSE;
    }
  if (fabs (*value) > MAX_COORDINATE)
    {
      report (rc, node, _("<%s> is out of range: “%s” (the limit is ±%.0f)"), name, text, MAX_COORDINATE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_coordinate (ReadContext *rc, xmlNode *parent, const char *name, double *value)
{
  return read_coordinate_node (rc, parent, find_child (parent, name), name, value);
}

/* 0/1 flags (difficult also 2); a missing or empty element is 0. */
static int
read_flag (ReadContext *rc, xmlNode *object, const char *name, int max)
{
  xmlNode *node = find_child (object, name);
  g_autofree char *text = NULL;

  if (node == NULL)
    return 0;
  text = g_strstrip (element_text (node));
  if (text[0] == '\0')
    return 0;
  if (text[1] == '\0' && text[0] >= '0' && text[0] <= '0' + max)
    return text[0] - '0';
  if (max == 2)
    report (rc, node, _("<%s> must be 0, 1 or 2, not “%s”"), name, text);
  else
    report (rc, node, _("<%s> must be 0 or 1, not “%s”"), name, text);
  return 0;
}

static gboolean
read_bndbox (ReadContext *rc, xmlNode *bndbox, BmShape *shape)
{
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  gboolean ok = TRUE;

  ok &= read_coordinate (rc, bndbox, "xmin", &xmin);
  ok &= read_coordinate (rc, bndbox, "ymin", &ymin);
  ok &= read_coordinate (rc, bndbox, "xmax", &xmax);
  ok &= read_coordinate (rc, bndbox, "ymax", &ymax);
  if (!ok)
    return FALSE;
  if (xmin > xmax || ymin > ymax)
    {
      report (rc, bndbox, _("inverted box: xmin %g, ymin %g, xmax %g, ymax %g"), xmin, ymin, xmax, ymax);
      return FALSE;
    }
  bm_shape_init_box (shape, xmin, ymin, xmax, ymax);
  return TRUE;
}

static gboolean
read_robndbox (ReadContext *rc, xmlNode *robndbox, BmShape *shape)
{
  double cx = 0, cy = 0, w = 0, h = 0, angle = 0;
  gboolean ok = TRUE;

  ok &= read_coordinate (rc, robndbox, "cx", &cx);
  ok &= read_coordinate (rc, robndbox, "cy", &cy);
  ok &= read_coordinate (rc, robndbox, "w", &w);
  ok &= read_coordinate (rc, robndbox, "h", &h);
  ok &= read_coordinate (rc, robndbox, "angle", &angle);
  if (!ok)
    return FALSE;
  if (w < 0 || h < 0)
    {
      report (rc, robndbox, _("rotated box with a negative size: w %g, h %g"), w, h);
      return FALSE;
    }
  bm_shape_init_rotated (shape, cx, cy, w, h, angle);
  return TRUE;
}

/* K in a polygon point element's name "xK" or "yK" for @axis 'x' or 'y' (K ≥ 1, written without
 * leading zeros, as find_child would look it up), else 0. */
static gsize
point_index (xmlNode *node, char axis)
{
  const char *name;
  gsize k = 0;

  if (!is_element (node, NULL))
    return 0;
  name = (const char *) node->name;
  if (name[0] != axis || name[1] < '1' || name[1] > '9')
    return 0;
  for (const char *p = name + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) || k > G_MAXSIZE / 10 - 1)
        return 0;
      k = k * 10 + (gsize) (*p - '0');
    }
  return k;
}

/* A <polygon>'s points: x[k] and y[k] (the first element of that name) for k = 1 … n, where n is
 * where both run out. Found in one pass: polygons can have thousands of points. */
typedef struct
{
  gsize n;
  xmlNode **x;
  xmlNode **y;
} PolygonPoints;

static void
polygon_points_init (PolygonPoints *points, xmlNode *polygon)
{
  gsize n_children = 0;

  for (xmlNode *child = polygon->children; child != NULL; child = child->next)
    n_children++;
  points->x = g_new0 (xmlNode *, n_children + 2);
  points->y = g_new0 (xmlNode *, n_children + 2);
  for (xmlNode *child = polygon->children; child != NULL; child = child->next)
    {
      gsize k;

      if ((k = point_index (child, 'x')) > 0 && k <= n_children && points->x[k] == NULL)
        points->x[k] = child;
      else if ((k = point_index (child, 'y')) > 0 && k <= n_children && points->y[k] == NULL)
        points->y[k] = child;
    }
  points->n = 0;
  while (points->n < n_children && (points->x[points->n + 1] != NULL || points->y[points->n + 1] != NULL))
    points->n++;
}

static void
polygon_points_clear (PolygonPoints *points)
{
  g_clear_pointer (&points->x, g_free);
  g_clear_pointer (&points->y, g_free);
}

/* X-AnyLabeling's <polygon><x1/><y1/>…: returns the number of points, or -1 after a problem.
 * Only a 4-point polygon fills @xy. */
static int
read_polygon (ReadContext *rc, xmlNode *polygon, double xy[8])
{
  PolygonPoints points;
  int result;

  polygon_points_init (&points, polygon);
  /* parse_xml refuses files of G_MAXINT / 2 bytes, so the count fits. */
  result = (int) MIN (points.n, (gsize) G_MAXINT);
  for (gsize k = 1; k <= points.n; k++)
    {
      char xname[32], yname[32];
      double x, y;

      g_snprintf (xname, sizeof xname, "x%" G_GSIZE_FORMAT, k);
      g_snprintf (yname, sizeof yname, "y%" G_GSIZE_FORMAT, k);
      if (!read_coordinate_node (rc, polygon, points.x[k], xname, &x)
          || !read_coordinate_node (rc, polygon, points.y[k], yname, &y))
        {
          result = -1;
          break;
        }
      if (k <= 4)
        {
          xy[2 * (k - 1)] = x;
          xy[2 * (k - 1) + 1] = y;
        }
    }
  polygon_points_clear (&points);
  return result;
}

/* CVAT/Datumaro <attributes><attribute><name/><value/></attribute>… */
static void
read_attributes (xmlNode *attributes, BmObject *object)
{
  for (xmlNode *attr = attributes->children; attr != NULL; attr = attr->next)
    {
      xmlNode *name, *value;
      g_autofree char *key = NULL;
      g_autofree char *text = NULL;

      if (!is_element (attr, "attribute") || (name = find_child (attr, "name")) == NULL)
        continue;
      key = element_text (name);
      value = find_child (attr, "value");
      text = value != NULL ? element_text (value) : g_strdup ("");
      if (key[0] != '\0')
        bm_object_set_attribute (object, key, text);
    }
}

static BmObject *
read_object (ReadContext *rc, xmlNode *node)
{
  xmlNode *name_node = find_child (node, "name");
  xmlNode *bndbox = find_child (node, "bndbox");
  xmlNode *robndbox = find_child (node, "robndbox");
  xmlNode *polygon = find_child (node, "polygon");
  xmlNode *score_node = find_child (node, "score");
  xmlNode *attributes = find_child (node, "attributes");
  g_autofree char *label = NULL;
  g_autoptr(BmObject) object = NULL;
  BmShape shape;
  gboolean have_shape = FALSE;
  int difficult, truncated, occluded;
  double score = 0;

  rc->ok = TRUE;
  if (name_node == NULL)
    report (rc, node, _("object has no <name>"));
  else
    {
      /* Pretty-printed files wrap the name in newlines and indentation: the label is the text
       * without them (the tree keeps the bytes, so an unedited name is written as it was). */
      label = g_strstrip (element_text (name_node));
      if (label[0] == '\0')
        report (rc, name_node, _("object has an empty <name>"));
    }

  difficult = read_flag (rc, node, "difficult", 2);
  truncated = read_flag (rc, node, "truncated", 1);
  occluded = read_flag (rc, node, "occluded", 1);

  if (robndbox != NULL)
    have_shape = read_robndbox (rc, robndbox, &shape);
  else if (polygon != NULL)
    {
      double xy[8];
      int n = read_polygon (rc, polygon, xy);

      if (n == 4)
        {
          bm_shape_init_quad (&shape, xy);
          have_shape = TRUE;
        }
      else if (n >= 0 && bndbox != NULL)
        have_shape = read_bndbox (rc, bndbox, &shape);
      else if (n >= 0)
        report (rc, polygon, _("object has a %d-point <polygon> and no <bndbox>"), n);
    }
  else if (bndbox != NULL)
    have_shape = read_bndbox (rc, bndbox, &shape);
  else
    report (rc, node, _("object has no <bndbox>"));

  if (score_node != NULL)
    {
      g_autofree char *text = element_text (score_node);

      if (!parse_number (text, &score))
        report (rc, score_node, _("<%s> is not a number: “%s”"), "score", text);
    }

  if (!rc->ok || !have_shape)
    return NULL;

  object = bm_object_new (label, &shape);
  bm_object_set_difficult (object, difficult);
  bm_object_set_truncated (object, truncated);
  bm_object_set_occluded (object, occluded);
  if (score_node != NULL)
    bm_object_set_score (object, score);
  if (attributes != NULL)
    read_attributes (attributes, object);
  return g_steal_pointer (&object);
}

static void
read_size (ReadContext *rc, xmlNode *root, int *width, int *height, int *depth)
{
  static const char *const names[] = { "width", "height", "depth" };
  xmlNode *size = find_child (root, "size");
  int *values[] = { width, height, depth };

  *width = *height = *depth = 0;
  if (size == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      xmlNode *node = find_child (size, names[i]);
      g_autofree char *text = NULL;
      double v;

      if (node == NULL)
        continue;
      text = g_strstrip (element_text (node));
      if (text[0] == '\0')
        continue;
      if (!parse_number (text, &v) || v < 0 || v != floor (v) || v > G_MAXINT)
        report (rc, node, _("<%s> is not a valid image size: “%s”"), names[i], text);
      else
        *values[i] = (int) v;
    }
}

static gboolean
is_verified_text (const char *value)
{
  return value != NULL
         && (g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "true") == 0
             || strcmp (value, "1") == 0);
}

/* ---------------------------------------------------------------------------------------------
 * Parsing: libxml2 with no network, no DTD loading, no entity substitution, and no entity
 * declarations at all (they are either a bomb or a way to read other files). */

typedef struct
{
  int line;
  char *message;     /* first error */
  gboolean entities; /* an entity declaration was refused */
} ParseErrors;

static void
record_error (ParseErrors *errors, int line, const char *message)
{
  if (errors->message != NULL)
    return;
  errors->line = line;
  errors->message = g_strdup (message);
  g_strchomp (errors->message);
}

static void
on_structured_error (void *user_data, xmlError *error)
{
  xmlParserCtxt *ctxt = user_data;
  ParseErrors *errors = ctxt->_private;

  if (error == NULL || error->level < XML_ERR_ERROR)
    return;
  record_error (errors, error->line, error->message != NULL ? error->message : "");
}

static void
refuse_entity (xmlParserCtxt *ctxt)
{
  ParseErrors *errors = ctxt->_private;
  int line = ctxt->input != NULL ? ctxt->input->line : 0;

  if (!errors->entities)
    {
      g_free (errors->message);
      errors->message = NULL;
      record_error (errors, line, _("entity declarations are not allowed (they can expand without limit or read other files)"));
      errors->entities = TRUE;
    }
  xmlStopParser (ctxt);
}

static void
on_entity_decl (void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                const xmlChar *system_id, xmlChar *content)
{
  refuse_entity (ctx);
}

static void
on_unparsed_entity_decl (void *ctx, const xmlChar *name, const xmlChar *public_id,
                         const xmlChar *system_id, const xmlChar *notation)
{
  refuse_entity (ctx);
}

static gboolean
has_entity_refs (xmlNode *node, xmlNode **where)
{
  for (xmlNode *child = node; child != NULL; child = child->next)
    {
      if (child->type == XML_ENTITY_REF_NODE || child->type == XML_ENTITY_NODE)
        {
          *where = child->parent;
          return TRUE;
        }
      if (child->type == XML_ELEMENT_NODE && has_entity_refs (child->children, where))
        return TRUE;
    }
  return FALSE;
}

/* A UTF-8 byte order mark followed by a declaration of another encoding: libxml2 would quietly
 * believe the declaration. Returns the declared encoding when they disagree. */
static char *
bom_contradicts_declaration (const char *data, gsize length)
{
  g_autofree char *head = NULL;
  const char *enc, *end;
  char quote;
  char *name;

  if (length < 3 || memcmp (data, "\xEF\xBB\xBF", 3) != 0)
    return NULL;
  head = g_strndup (data + 3, MIN (length - 3, 200));
  if (!g_str_has_prefix (head, "<?xml") || (end = strstr (head, "?>")) == NULL)
    return NULL;
  enc = g_strstr_len (head, end - head, "encoding");
  if (enc == NULL)
    return NULL;
  enc += strlen ("encoding");
  while (*enc == ' ' || *enc == '\t' || *enc == '\r' || *enc == '\n' || *enc == '=')
    enc++;
  quote = *enc;
  if (quote != '"' && quote != '\'')
    return NULL;
  enc++;
  end = strchr (enc, quote);
  if (end == NULL)
    return NULL;
  name = g_strndup (enc, end - enc);
  if (g_ascii_strcasecmp (name, "UTF-8") == 0 || g_ascii_strcasecmp (name, "UTF8") == 0)
    {
      g_free (name);
      return NULL;
    }
  return name;
}

static gsize parser_ready;

static xmlDoc *
parse_xml (const char *data, gsize length, const char *path, GError **error)
{
  ParseErrors errors = { 0, NULL, FALSE };
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  g_autofree char *declared = NULL;
  xmlNode *where = NULL;

  if (length > G_MAXINT / 2)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is too large"), path);
      return NULL;
    }
  declared = bom_contradicts_declaration (data, length);
  if (declared != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: the file starts with a UTF-8 byte order mark but declares the encoding “%s”; save it as UTF-8 without that declaration or without the mark"),
                   path, 1, declared);
      return NULL;
    }

  /* libxml2 wants its globals set up once, before any thread uses it. */
  if (g_once_init_enter (&parser_ready))
    {
      xmlInitParser ();
      g_once_init_leave (&parser_ready, 1);
    }
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: out of memory"), path);
      return NULL;
    }
  ctxt->_private = &errors;
  ctxt->sax->serror = on_structured_error;
  ctxt->sax->entityDecl = on_entity_decl;
  ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;

  doc = xmlCtxtReadMemory (ctxt, data, (int) length, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
  if (doc != NULL && (!ctxt->wellFormed || errors.message != NULL))
    {
      xmlFreeDoc (doc);
      doc = NULL;
    }
  xmlFreeParserCtxt (ctxt);

  if (doc == NULL)
    {
      if (errors.entities)
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, "%s:%d: %s", path, MAX (errors.line, 1), errors.message);
      else
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: not well-formed XML: %s"), path,
                     MAX (errors.line, 1), errors.message != NULL ? errors.message : _("unknown error"));
      g_free (errors.message);
      return NULL;
    }
  g_free (errors.message);

  if (xmlDocGetRootElement (doc) != NULL && has_entity_refs (xmlDocGetRootElement (doc), &where))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s:%d: entity references are not allowed"),
                   path, MAX (node_line (where), 1));
      xmlFreeDoc (doc);
      return NULL;
    }
  return doc;
}

/* ---------------------------------------------------------------------------------------------
 * Locating every node's markup in the original bytes. libxml2 has already checked that the
 * document is well-formed, so a small lexer walking the tree in document order suffices; any
 * disagreement just turns lossless saving off for this file (saves then go through libxml2). */

typedef struct
{
  const char *d;
  gsize n;
  gsize pos;
  GPtrArray *spans;
} Lexer;

static gboolean
lex_at (Lexer *lx, const char *s)
{
  gsize len = strlen (s);

  return lx->pos + len <= lx->n && memcmp (lx->d + lx->pos, s, len) == 0;
}

static gboolean
lex_skip_past (Lexer *lx, const char *s)
{
  gsize len = strlen (s);

  for (gsize i = lx->pos; i + len <= lx->n; i++)
    if (memcmp (lx->d + i, s, len) == 0)
      {
        lx->pos = i + len;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_xml_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
lex_skip_space (Lexer *lx)
{
  while (lx->pos < lx->n && is_xml_space (lx->d[lx->pos]))
    lx->pos++;
}

static gboolean
lex_name_matches (Lexer *lx, xmlNode *node)
{
  gsize start = lx->pos;
  g_autofree char *qname = NULL;

  while (lx->pos < lx->n && !is_xml_space (lx->d[lx->pos]) && lx->d[lx->pos] != '/'
         && lx->d[lx->pos] != '>')
    lx->pos++;
  if (node->ns != NULL && node->ns->prefix != NULL)
    qname = g_strdup_printf ("%s:%s", node->ns->prefix, node->name);
  else
    qname = g_strdup ((const char *) node->name);
  return strlen (qname) == lx->pos - start && memcmp (qname, lx->d + start, lx->pos - start) == 0;
}

static VocSpan *
lex_new_span (Lexer *lx, xmlNode *node, gsize start)
{
  VocSpan *span = g_new0 (VocSpan, 1);

  span->start = start;
  g_ptr_array_add (lx->spans, span);
  node->_private = span;
  return span;
}

static gboolean lex_element (Lexer *lx, xmlNode *node);

static gboolean
lex_node (Lexer *lx, xmlNode *node)
{
  gsize start = lx->pos;
  VocSpan *span;

  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      return lex_element (lx, node);
    case XML_TEXT_NODE:
      while (lx->pos < lx->n && lx->d[lx->pos] != '<')
        lx->pos++;
      if (lx->pos == start)
        return FALSE;
      break;
    case XML_COMMENT_NODE:
      if (!lex_at (lx, "<!--") || !lex_skip_past (lx, "-->"))
        return FALSE;
      break;
    case XML_PI_NODE:
      if (!lex_at (lx, "<?") || !lex_skip_past (lx, "?>"))
        return FALSE;
      break;
    case XML_CDATA_SECTION_NODE:
      if (!lex_at (lx, "<![CDATA[") || !lex_skip_past (lx, "]]>"))
        return FALSE;
      break;
    default:
      return FALSE;
    }
  span = lex_new_span (lx, node, start);
  span->end = lx->pos;
  return TRUE;
}

static gboolean
lex_element (Lexer *lx, xmlNode *node)
{
  VocSpan *span;
  gsize start = lx->pos;

  if (!lex_at (lx, "<"))
    return FALSE;
  lx->pos++;
  if (!lex_name_matches (lx, node))
    return FALSE;
  span = lex_new_span (lx, node, start);

  /* Attributes: name = "value" | 'value' */
  for (;;)
    {
      lex_skip_space (lx);
      if (lx->pos >= lx->n)
        return FALSE;
      if (lex_at (lx, "/>"))
        {
          lx->pos += 2;
          span->self_closing = TRUE;
          break;
        }
      if (lx->d[lx->pos] == '>')
        {
          lx->pos++;
          break;
        }
      while (lx->pos < lx->n && lx->d[lx->pos] != '=' && !is_xml_space (lx->d[lx->pos]))
        lx->pos++;
      lex_skip_space (lx);
      if (!lex_at (lx, "="))
        return FALSE;
      lx->pos++;
      lex_skip_space (lx);
      if (lx->pos >= lx->n || (lx->d[lx->pos] != '"' && lx->d[lx->pos] != '\''))
        return FALSE;
      {
        char quote[2] = { lx->d[lx->pos], '\0' };

        lx->pos++;
        if (!lex_skip_past (lx, quote))
          return FALSE;
      }
    }
  span->stag_end = lx->pos;
  if (span->self_closing)
    {
      span->etag_start = span->end = lx->pos;
      return node->children == NULL;
    }

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (!lex_node (lx, child))
      return FALSE;

  span->etag_start = lx->pos;
  if (!lex_at (lx, "</"))
    return FALSE;
  lx->pos += 2;
  if (!lex_name_matches (lx, node))
    return FALSE;
  lex_skip_space (lx);
  if (!lex_at (lx, ">"))
    return FALSE;
  lx->pos++;
  span->end = lx->pos;
  return TRUE;
}

/* Skips <!DOCTYPE …> including an internal subset with quoted strings and comments. */
static gboolean
lex_skip_doctype (Lexer *lx)
{
  int in_subset = 0;

  lx->pos += strlen ("<!DOCTYPE");
  while (lx->pos < lx->n)
    {
      char c = lx->d[lx->pos];

      if (c == '"' || c == '\'')
        {
          char quote[2] = { c, '\0' };

          lx->pos++;
          if (!lex_skip_past (lx, quote))
            return FALSE;
          continue;
        }
      if (in_subset && lex_at (lx, "<!--"))
        {
          if (!lex_skip_past (lx, "-->"))
            return FALSE;
          continue;
        }
      lx->pos++;
      if (c == '[')
        in_subset++;
      else if (c == ']')
        in_subset--;
      else if (c == '>' && in_subset <= 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
lex_document (Lexer *lx, xmlNode *root)
{
  if (lex_at (lx, "\xEF\xBB\xBF"))
    lx->pos += 3;
  for (;;)
    {
      lex_skip_space (lx);
      if (lx->pos >= lx->n)
        return FALSE;
      if (lex_at (lx, "<?"))
        {
          if (!lex_skip_past (lx, "?>"))
            return FALSE;
        }
      else if (lex_at (lx, "<!--"))
        {
          if (!lex_skip_past (lx, "-->"))
            return FALSE;
        }
      else if (lex_at (lx, "<!DOCTYPE"))
        {
          if (!lex_skip_doctype (lx))
            return FALSE;
        }
      else
        return lex_element (lx, root);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Writing: a serializer that copies untouched nodes' bytes and regenerates the rest. */

typedef struct
{
  xmlDoc *doc;
  xmlNode *root;
  const char *data;          /* original bytes, NULL for a new file */
  gboolean spans_ok;
  GHashTable *dirty;         /* elements whose content changed (and their ancestors) */
  gboolean root_attrs_dirty;
  const char *newline;       /* "\n" or "\r\n" */
  const char *unit;          /* one level of indentation: "\t", "  "… */
  gboolean uses_type;
  GError *error;             /* text we cannot write */
} Writer;

static VocSpan *
span_of (Writer *w, xmlNode *node)
{
  return w->spans_ok ? node->_private : NULL;
}

static void
mark_dirty (Writer *w, xmlNode *node)
{
  for (; node != NULL && node->type == XML_ELEMENT_NODE; node = node->parent)
    g_hash_table_add (w->dirty, node);
}

static void
append_escaped (Writer *w, GString *out, const char *text, gboolean attribute)
{
  if (!g_utf8_validate (text, -1, NULL) && w->error == NULL)
    g_set_error (&w->error, BM_ERROR, BM_ERROR_INVALID, _("text is not valid UTF-8: “%s”"), text);
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          g_string_append (out, attribute ? "&quot;" : "\"");
          break;
        case '\r': g_string_append (out, "&#13;"); break;
        case '\n':
          g_string_append (out, attribute ? "&#10;" : w->newline);
          break;
        case '\t':
          g_string_append (out, attribute ? "&#9;" : "\t");
          break;
        default:
          if (c < 0x20 && w->error == NULL)
            g_set_error (&w->error, BM_ERROR, BM_ERROR_INVALID,
                         _("text contains a control character XML cannot store: “%s”"), text);
          g_string_append_c (out, (char) c);
        }
    }
}

static void
append_qname (GString *out, xmlNode *node)
{
  if (node->ns != NULL && node->ns->prefix != NULL)
    g_string_append_printf (out, "%s:", (const char *) node->ns->prefix);
  g_string_append (out, (const char *) node->name);
}

/* The root's start tag with only the verified attribute changed, every other byte kept. */
static void
append_root_start_tag (Writer *w, GString *out, xmlNode *root, const VocSpan *span)
{
  xmlChar *value = xmlGetProp (root, (const xmlChar *) "verified");
  const char *tag = w->data + span->start;
  gsize len = span->stag_end - span->start;
  gsize name_end = 1, attr_start = 0, attr_end = 0;
  gboolean found = FALSE;
  gsize i;

  while (name_end < len && !is_xml_space (tag[name_end]) && tag[name_end] != '/' && tag[name_end] != '>')
    name_end++;
  /* Find verified="…" with the whitespace before it. */
  for (i = name_end; i < len && !found;)
    {
      gsize ws = i, name_start, name_stop;

      while (i < len && is_xml_space (tag[i]))
        i++;
      if (i >= len || tag[i] == '/' || tag[i] == '>')
        break;
      name_start = i;
      while (i < len && tag[i] != '=' && !is_xml_space (tag[i]))
        i++;
      name_stop = i;
      while (i < len && tag[i] != '"' && tag[i] != '\'')
        i++;
      if (i >= len)
        break;
      {
        char quote = tag[i++];

        while (i < len && tag[i] != quote)
          i++;
        i++;
      }
      if (name_stop - name_start == strlen ("verified") && memcmp (tag + name_start, "verified", name_stop - name_start) == 0)
        {
          found = TRUE;
          attr_start = ws;
          attr_end = i;
        }
    }

  if (found)
    g_string_append_len (out, tag, attr_start);
  else
    g_string_append_len (out, tag, name_end);
  if (value != NULL)
    {
      g_string_append (out, " verified=\"");
      append_escaped (w, out, (const char *) value, TRUE);
      g_string_append_c (out, '"');
    }
  if (found)
    g_string_append_len (out, tag + attr_end, len - attr_end);
  else
    g_string_append_len (out, tag + name_end, len - name_end);
  xmlFree (value);
}

static void write_node (Writer *w, GString *out, xmlNode *node);

static void
write_element (Writer *w, GString *out, xmlNode *node)
{
  VocSpan *span = span_of (w, node);

  if (span != NULL && !g_hash_table_contains (w->dirty, node) && !(node == w->root && w->root_attrs_dirty))
    {
      g_string_append_len (out, w->data + span->start, span->end - span->start);
      return;
    }

  /* Start tag */
  if (span != NULL && node == w->root && w->root_attrs_dirty)
    append_root_start_tag (w, out, node, span);
  else if (span != NULL && span->self_closing && node->children != NULL)
    {
      gsize end = span->stag_end - 2;

      while (end > span->start && is_xml_space (w->data[end - 1]))
        end--;
      g_string_append_len (out, w->data + span->start, end - span->start);
      g_string_append_c (out, '>');
    }
  else if (span != NULL)
    g_string_append_len (out, w->data + span->start, span->stag_end - span->start);
  else
    {
      g_string_append_c (out, '<');
      append_qname (out, node);
      for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
        {
          xmlChar *value = xmlNodeGetContent ((xmlNode *) attr);

          g_string_append_printf (out, " %s=\"", (const char *) attr->name);
          append_escaped (w, out, value != NULL ? (const char *) value : "", TRUE);
          g_string_append_c (out, '"');
          xmlFree (value);
        }
      g_string_append (out, node->children != NULL ? ">" : "></");
      if (node->children == NULL)
        {
          append_qname (out, node);
          g_string_append_c (out, '>');
          return;
        }
    }
  if (span != NULL && span->self_closing && node->children == NULL)
    return;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    write_node (w, out, child);

  if (span != NULL && !span->self_closing)
    g_string_append_len (out, w->data + span->etag_start, span->end - span->etag_start);
  else
    {
      g_string_append (out, "</");
      append_qname (out, node);
      g_string_append_c (out, '>');
    }
}

static void
write_node (Writer *w, GString *out, xmlNode *node)
{
  VocSpan *span = span_of (w, node);

  if (node->type == XML_ELEMENT_NODE)
    {
      write_element (w, out, node);
      return;
    }
  if (span != NULL)
    {
      g_string_append_len (out, w->data + span->start, span->end - span->start);
      return;
    }
  switch (node->type)
    {
    case XML_TEXT_NODE:
      append_escaped (w, out, node->content != NULL ? (const char *) node->content : "", FALSE);
      break;
    case XML_COMMENT_NODE:
      g_string_append_printf (out, "<!--%s-->", node->content != NULL ? (const char *) node->content : "");
      break;
    case XML_CDATA_SECTION_NODE:
      g_string_append_printf (out, "<![CDATA[%s]]>", node->content != NULL ? (const char *) node->content : "");
      break;
    case XML_PI_NODE:
      g_string_append_printf (out, "<?%s %s?>", (const char *) node->name,
                              node->content != NULL ? (const char *) node->content : "");
      break;
    default:
      break;
    }
}

/* The whole document: prolog and epilog bytes as they were, the root element through write_node. */
static char *
write_document (Writer *w, const char *data, gsize length, gsize *out_length)
{
  GString *out = g_string_new (NULL);
  VocSpan *span = span_of (w, w->root);

  if (span != NULL)
    g_string_append_len (out, data, span->start);
  write_element (w, out, w->root);
  if (span != NULL)
    g_string_append_len (out, data + span->end, length - span->end);
  else
    g_string_append (out, w->newline);
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Editing the tree, indentation-aware. */

/* Whitespace from the last newline of the text node before @node ("" when none). */
static const char *
indent_before (xmlNode *node, gboolean *has_newline)
{
  xmlNode *prev = node->prev;
  const char *nl;

  *has_newline = FALSE;
  if (prev == NULL || !is_blank_text (prev))
    return "";
  nl = strrchr ((const char *) prev->content, '\n');
  if (nl == NULL)
    return "";
  *has_newline = TRUE;
  return nl + 1;
}

/* The whitespace text that should precede a new child of @parent, or NULL for compact markup. */
static char *
child_separator (Writer *w, xmlNode *parent)
{
  gboolean has_newline = FALSE;
  const char *indent;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE || child->type == XML_COMMENT_NODE)
      {
        indent = indent_before (child, &has_newline);
        if (!has_newline)
          return NULL;
        return g_strconcat ("\n", indent, NULL);
      }
  if (parent == w->root)
    return g_strconcat ("\n", w->unit, NULL);
  indent = indent_before (parent, &has_newline);
  if (!has_newline)
    return NULL;
  return g_strconcat ("\n", indent, w->unit, NULL);
}

/* xmlAddPrevSibling merges text into a neighbouring text node: that node then no longer matches
 * its original bytes. */
static void
add_text_before (xmlNode *node, xmlNode *text)
{
  xmlNode *result = xmlAddPrevSibling (node, text);

  if (result != NULL && result != text)
    result->_private = NULL;
}

static xmlNode *
last_content_child (xmlNode *parent)
{
  xmlNode *last = NULL;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (!is_blank_text (child))
      last = child;
  return last;
}

/* Inserts @element as a child of @parent: before @before, or at the end when NULL. */
static xmlNode *
insert_child (Writer *w, xmlNode *parent, xmlNode *element, xmlNode *before)
{
  g_autofree char *sep = child_separator (w, parent);

  mark_dirty (w, parent);
  if (before != NULL)
    {
      xmlAddPrevSibling (before, element);
      if (sep != NULL)
        add_text_before (before, xmlNewDocText (w->doc, (const xmlChar *) sep));
      return element;
    }
  {
    xmlNode *last = last_content_child (parent);

    if (last != NULL)
      {
        xmlAddNextSibling (last, element);
        if (sep != NULL)
          add_text_before (element, xmlNewDocText (w->doc, (const xmlChar *) sep));
      }
    else
      {
        gboolean has_newline = FALSE;
        const char *indent = parent == w->root ? "" : indent_before (parent, &has_newline);

        /* Empty parent: drop any whitespace inside, then child + closing indentation. */
        while (parent->children != NULL)
          {
            xmlNode *old = parent->children;
            xmlUnlinkNode (old);
            xmlFreeNode (old);
          }
        if (sep != NULL)
          xmlAddChild (parent, xmlNewDocText (w->doc, (const xmlChar *) sep));
        xmlAddChild (parent, element);
        if (sep != NULL)
          {
            g_autofree char *closing = g_strconcat ("\n", indent, NULL);
            xmlAddChild (parent, xmlNewDocText (w->doc, (const xmlChar *) closing));
          }
      }
  }
  return element;
}

static xmlNode *
insert_after (Writer *w, xmlNode *parent, xmlNode *element, xmlNode *after)
{
  g_autofree char *sep = child_separator (w, parent);

  mark_dirty (w, parent);
  xmlAddNextSibling (after, element);
  if (sep != NULL)
    add_text_before (element, xmlNewDocText (w->doc, (const xmlChar *) sep));
  return element;
}

static void
remove_child (Writer *w, xmlNode *node)
{
  xmlNode *prev = node->prev;

  mark_dirty (w, node->parent);
  if (is_blank_text (prev))
    {
      xmlUnlinkNode (prev);
      xmlFreeNode (prev);
    }
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

static void
set_text (Writer *w, xmlNode *element, const char *text)
{
  while (element->children != NULL)
    {
      xmlNode *old = element->children;
      xmlUnlinkNode (old);
      xmlFreeNode (old);
    }
  if (text[0] != '\0')
    xmlAddChild (element, xmlNewDocText (w->doc, (const xmlChar *) text));
  mark_dirty (w, element);
}

static xmlNode *
new_element (Writer *w, const char *name)
{
  return xmlNewDocNode (w->doc, NULL, (const xmlChar *) name, NULL);
}

/* Appends <name>text</name> to @parent (or before @before). */
static xmlNode *
add_text_child (Writer *w, xmlNode *parent, const char *name, const char *text, xmlNode *before)
{
  xmlNode *element = new_element (w, name);

  insert_child (w, parent, element, before);
  if (text != NULL)
    set_text (w, element, text);
  return element;
}

/* Sets the text of @parent's child @name, creating it (before @before) when missing. */
static void
set_child_text (Writer *w, xmlNode *parent, const char *name, const char *text, xmlNode *before)
{
  xmlNode *node = find_child (parent, name);

  if (node == NULL)
    add_text_child (w, parent, name, text, before);
  else
    {
      g_autofree char *old = element_text (node);

      if (g_strcmp0 (old, text) != 0)
        set_text (w, node, text);
    }
}

/* @derived: @value was computed from the shape's corners (format_derived), so a file value
 * within rounding noise of it, or rounding to the same text, stands. */
static void
set_child_number_near (Writer *w, xmlNode *parent, const char *name, double value, gboolean derived)
{
  xmlNode *node = find_child (parent, name);
  g_autofree char *text = derived ? format_derived (value) : format_number (value);
  double old;

  if (node != NULL)
    {
      g_autofree char *old_text = element_text (node);

      /* Keep the file's spelling ("153.0", "0176") when the value is the same. */
      if (parse_number (old_text, &old))
        {
          g_autofree char *old_rounded = derived ? format_derived (old) : NULL;

          if (old == value
              || (derived && (fabs (old - value) <= 1e-12 * MAX (1.0, fabs (value))
                              || strcmp (old_rounded, text) == 0)))
            return;
        }
    }
  set_child_text (w, parent, name, text, NULL);
}

static void
set_child_number (Writer *w, xmlNode *parent, const char *name, double value, xmlNode *before)
{
  set_child_number_near (w, parent, name, value, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Writing objects */

/* @derived: the box encloses a rotated box or quad (see set_child_number_near). */
static void
write_box (Writer *w, xmlNode *object, const BmRect *r, gboolean derived)
{
  xmlNode *bndbox = find_child (object, "bndbox");

  if (bndbox == NULL)
    {
      xmlNode *before = find_child (object, "robndbox");

      if (before == NULL)
        before = find_child (object, "polygon");
      bndbox = new_element (w, "bndbox");
      insert_child (w, object, bndbox, before);
    }
  set_child_number_near (w, bndbox, "xmin", r->x1, derived);
  set_child_number_near (w, bndbox, "ymin", r->y1, derived);
  set_child_number_near (w, bndbox, "xmax", r->x2, derived);
  set_child_number_near (w, bndbox, "ymax", r->y2, derived);
}

static void
remove_named_child (Writer *w, xmlNode *parent, const char *name)
{
  xmlNode *node;

  while ((node = find_child (parent, name)) != NULL)
    remove_child (w, node);
}

static xmlNode *
ensure_child_after (Writer *w, xmlNode *object, const char *name, const char *after)
{
  xmlNode *node = find_child (object, name);
  xmlNode *anchor;

  if (node != NULL)
    return node;
  node = new_element (w, name);
  anchor = find_child (object, after);
  if (anchor != NULL)
    insert_after (w, object, node, anchor);
  else
    insert_child (w, object, node, NULL);
  return node;
}

static xmlNode *
first_content_child (xmlNode *parent)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (!is_blank_text (child))
      return child;
  return NULL;
}

/* roLabelImg's <type>, kept in step with the shape when the file uses it. */
static void
set_type (Writer *w, xmlNode *object, const char *type)
{
  xmlNode *node = find_child (object, "type");

  if (node == NULL && !w->uses_type)
    return;
  if (node == NULL)
    add_text_child (w, object, "type", type, first_content_child (object));
  else
    set_child_text (w, object, "type", type, NULL);
}

/* @old is NULL for a new object. A <polygon> that was not read as a quad (X-AnyLabeling's
 * polygons of other lengths) is not dropped when the box changes: we cannot redraw it, so it
 * stays as it was. Only turning the object into a quad replaces it. */
static void
write_shape (Writer *w, xmlNode *object, const BmShape *shape, const BmShape *old)
{
  BmRect r = bm_shape_bounds (shape);
  gboolean had_quad = old != NULL && old->kind == BM_SHAPE_QUAD;

  write_box (w, object, &r, shape->kind != BM_SHAPE_BOX);
  switch (shape->kind)
    {
    case BM_SHAPE_BOX:
      remove_named_child (w, object, "robndbox");
      if (had_quad)
        remove_named_child (w, object, "polygon");
      set_type (w, object, "bndbox");
      break;
    case BM_SHAPE_ROTATED:
      {
        double cx, cy, width, height, angle;
        xmlNode *robndbox;

        if (had_quad)
          remove_named_child (w, object, "polygon");
        bm_shape_get_rotated (shape, &cx, &cy, &width, &height, &angle);
        robndbox = ensure_child_after (w, object, "robndbox", "bndbox");
        /* Corners → (cx, cy, w, h, angle) is not exact: moving or turning a box must not turn
         * its 112 wide into 111.99999999999999. */
        set_child_number_near (w, robndbox, "cx", cx, TRUE);
        set_child_number_near (w, robndbox, "cy", cy, TRUE);
        set_child_number_near (w, robndbox, "w", width, TRUE);
        set_child_number_near (w, robndbox, "h", height, TRUE);
        set_child_number_near (w, robndbox, "angle", angle, TRUE);
        set_type (w, object, "robndbox");
      }
      break;
    case BM_SHAPE_QUAD:
      {
        xmlNode *polygon;

        remove_named_child (w, object, "robndbox");
        polygon = ensure_child_after (w, object, "polygon", "bndbox");
        for (int i = 0; i < 4; i++)
          {
            char name[8];

            g_snprintf (name, sizeof name, "x%d", i + 1);
            set_child_number (w, polygon, name, shape->p[i].x, NULL);
            g_snprintf (name, sizeof name, "y%d", i + 1);
            set_child_number (w, polygon, name, shape->p[i].y, NULL);
          }
        /* A polygon with more points than 4 must not keep stale extra points, however many. */
        for (xmlNode *child = polygon->children, *next; child != NULL; child = next)
          {
            next = child->next;
            if (point_index (child, 'x') >= 5 || point_index (child, 'y') >= 5)
              remove_child (w, child);
          }
        set_type (w, object, "bndbox");
      }
      break;
    default:
      break;
    }
}

/* @old_value is -1 for a new object, which always gets the element. */
static void
write_flag (Writer *w, xmlNode *object, const char *name, int value, int old_value)
{
  xmlNode *node = find_child (object, name);
  char text[2] = { (char) ('0' + value), '\0' };

  if (value == old_value)
    return;
  if (node == NULL && value == 0 && old_value >= 0)
    return;
  if (node == NULL)
    {
      /* labelImg order: name, pose, truncated, (occluded), difficult, bndbox */
      xmlNode *before = NULL;

      if (strcmp (name, "truncated") == 0)
        before = find_child (object, "occluded");
      if (before == NULL && strcmp (name, "difficult") != 0)
        before = find_child (object, "difficult");
      if (before == NULL)
        before = find_child (object, "bndbox");
      if (before == NULL)
        before = find_child (object, "robndbox");
      if (before == NULL)
        before = find_child (object, "polygon");
      add_text_child (w, object, name, text, before);
    }
  else
    set_text (w, node, text);
}

static void
write_score (Writer *w, xmlNode *object, BmObject *now)
{
  xmlNode *node = find_child (object, "score");

  if (!bm_object_has_score (now))
    {
      if (node != NULL)
        remove_child (w, node);
      return;
    }
  set_child_number (w, object, "score", bm_object_get_score (now), NULL);
}

static xmlNode *
find_attribute_node (xmlNode *attributes, const char *key)
{
  xmlNode *found = NULL;

  for (xmlNode *attr = attributes->children; attr != NULL; attr = attr->next)
    {
      xmlNode *name;
      g_autofree char *text = NULL;

      if (!is_element (attr, "attribute") || (name = find_child (attr, "name")) == NULL)
        continue;
      text = element_text (name);
      if (strcmp (text, key) == 0)
        found = attr;   /* the last one wins, as on reading */
    }
  return found;
}

static void
write_attributes (Writer *w, xmlNode *object, BmObject *now, BmObject *old)
{
  xmlNode *attributes = find_child (object, "attributes");
  guint n = bm_object_get_n_attributes (now);

  if (old != NULL && attributes != NULL)
    for (guint i = 0; i < bm_object_get_n_attributes (old); i++)
      {
        const char *key;
        xmlNode *node;

        bm_object_get_attribute_nth (old, i, &key, NULL);
        if (bm_object_get_attribute (now, key) == NULL && (node = find_attribute_node (attributes, key)) != NULL)
          remove_child (w, node);
      }
  if (n == 0)
    return;
  if (attributes == NULL)
    {
      attributes = new_element (w, "attributes");
      insert_child (w, object, attributes, NULL);
    }
  for (guint i = 0; i < n; i++)
    {
      const char *key, *value;
      xmlNode *node;

      bm_object_get_attribute_nth (now, i, &key, &value);
      if (old != NULL && g_strcmp0 (bm_object_get_attribute (old, key), value) == 0)
        continue;
      node = find_attribute_node (attributes, key);
      if (node == NULL)
        {
          node = new_element (w, "attribute");
          insert_child (w, attributes, node, NULL);
          add_text_child (w, node, "name", key, NULL);
        }
      set_child_text (w, node, "value", value, NULL);
    }
}

/* Writes what differs between @now and @old (NULL for a new object) into @object. */
static void
write_object (Writer *w, xmlNode *object, BmObject *now, BmObject *old)
{
  if (old == NULL && w->uses_type)
    add_text_child (w, object, "type", bm_object_get_shape (now)->kind == BM_SHAPE_ROTATED ? "robndbox" : "bndbox", NULL);
  if (old == NULL || g_strcmp0 (bm_object_get_label (old), bm_object_get_label (now)) != 0)
    set_child_text (w, object, "name", bm_object_get_label (now), NULL);
  if (old == NULL)
    add_text_child (w, object, "pose", "Unspecified", NULL);
  write_flag (w, object, "truncated", bm_object_get_truncated (now), old ? bm_object_get_truncated (old) : -1);
  if (old != NULL || bm_object_get_occluded (now))
    write_flag (w, object, "occluded", bm_object_get_occluded (now), old ? bm_object_get_occluded (old) : -1);
  write_flag (w, object, "difficult", bm_object_get_difficult (now), old ? bm_object_get_difficult (old) : -1);
  if (old == NULL || !bm_shape_equal (bm_object_get_shape (old), bm_object_get_shape (now)))
    write_shape (w, object, bm_object_get_shape (now), old != NULL ? bm_object_get_shape (old) : NULL);
  if (old == NULL || bm_object_has_score (old) != bm_object_has_score (now)
      || (bm_object_has_score (now) && bm_object_get_score (old) != bm_object_get_score (now)))
    write_score (w, object, now);
  write_attributes (w, object, now, old);
}

/* ---------------------------------------------------------------------------------------------
 * Header: size and verified */

static void
write_size (Writer *w, BmAnnotation *annotation)
{
  xmlNode *size = find_child (w->root, "size");
  int values[3] = { bm_annotation_get_width (annotation), bm_annotation_get_height (annotation),
                    bm_annotation_get_depth (annotation) };
  static const char *const names[] = { "width", "height", "depth" };

  if (size == NULL)
    {
      xmlNode *before = find_child (w->root, "segmented");

      if (before == NULL)
        before = find_child (w->root, "object");
      size = new_element (w, "size");
      insert_child (w, w->root, size, before);
    }
  for (int i = 0; i < 3; i++)
    {
      xmlNode *node = find_child (size, names[i]);
      g_autofree char *text = values[i] > 0 ? g_strdup_printf ("%d", values[i]) : g_strdup ("");
      g_autofree char *old = node != NULL ? g_strstrip (element_text (node)) : NULL;
      double v;

      if (node != NULL && (values[i] > 0 ? parse_number (old, &v) && v == values[i] : old[0] == '\0'))
        continue;
      set_child_text (w, size, names[i], text, NULL);
    }
}

static void
write_verified (Writer *w, gboolean verified)
{
  xmlChar *old = xmlGetProp (w->root, (const xmlChar *) "verified");

  if (verified)
    xmlSetProp (w->root, (const xmlChar *) "verified", (const xmlChar *) "yes");
  else if (w->uses_type || (old != NULL && !is_verified_text ((const char *) old)))
    xmlSetProp (w->root, (const xmlChar *) "verified", (const xmlChar *) "no");
  else
    xmlUnsetProp (w->root, (const xmlChar *) "verified");
  xmlFree (old);
  w->root_attrs_dirty = TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Loading */

static void
detect_dialect (VocBacking *backing, xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (is_element (child, "object") && find_child (child, "type") != NULL)
      backing->uses_type = TRUE;
}

static void
locate_spans (VocBacking *backing)
{
  xmlNode *root = xmlDocGetRootElement (backing->doc);
  Lexer lx = { backing->data, backing->length, 0, backing->spans };
  const char *encoding = (const char *) backing->doc->encoding;

  backing->spans_ok = FALSE;
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "UTF-8") != 0 && g_ascii_strcasecmp (encoding, "UTF8") != 0)
    return;
  if (!lex_document (&lx, root))
    return;
  backing->spans_ok = TRUE;

  /* Self-check: written back untouched, the tree must give the very same bytes. */
  {
    Writer w = { 0 };
    g_autofree char *again = NULL;
    gsize again_length = 0;

    w.doc = backing->doc;
    w.root = root;
    w.data = backing->data;
    w.spans_ok = TRUE;
    w.dirty = g_hash_table_new (NULL, NULL);
    w.newline = "\n";
    again = write_document (&w, backing->data, backing->length, &again_length);
    g_hash_table_unref (w.dirty);
    g_clear_error (&w.error);
    if (again_length != backing->length || memcmp (again, backing->data, again_length) != 0)
      backing->spans_ok = FALSE;
  }
}

BmAnnotation *
bm_voc_load_data (const char *data, gsize length, const char *path, GError **error)
{
  return bm_voc_load_data_full (data, length, path, BM_VOC_LOAD_DEFAULT, error);
}

/* Size and verified flag of <annotation>. */
static void
read_header (ReadContext *rc, xmlNode *root)
{
  int width, height, depth;
  xmlChar *verified;

  read_size (rc, root, &width, &height, &depth);
  bm_annotation_set_size (rc->annotation, width, height, depth);
  verified = xmlGetProp (root, (const xmlChar *) "verified");
  bm_annotation_set_verified (rc->annotation, is_verified_text ((const char *) verified));
  xmlFree (verified);
}

/* The objects alone, for an annotation that is only read. */
static void
read_objects_only (ReadContext *rc, xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      g_autoptr(BmObject) object = NULL;

      if (!is_element (child, "object"))
        continue;
      object = read_object (rc, child);
      if (object != NULL)
        bm_annotation_add_object (rc->annotation, object);
    }
}

BmAnnotation *
bm_voc_load_data_full (const char *data, gsize length, const char *path, BmVocLoadFlags flags,
                       GError **error)
{
  g_autoptr(BmAnnotation) annotation = NULL;
  ReadContext rc = { NULL, NULL, TRUE };
  VocBacking *backing;
  xmlDoc *doc;
  xmlNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (path == NULL)
    path = "<memory>";
  doc = parse_xml (data != NULL ? data : "", length, path, error);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (root != NULL && root->ns != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: not a Pascal VOC file: the root element <%s> is in the XML namespace “%s”"),
                   path, MAX (node_line (root), 1), (const char *) root->name,
                   root->ns->href != NULL ? (const char *) root->ns->href : "");
      xmlFreeDoc (doc);
      return NULL;
    }
  if (root == NULL || !is_element (root, "annotation"))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: not a Pascal VOC file: the root element is <%s>, not <annotation>"),
                   path, MAX (node_line (root), 1), root != NULL ? (const char *) root->name : "");
      xmlFreeDoc (doc);
      return NULL;
    }

  annotation = bm_annotation_new ();
  bm_annotation_set_format (annotation, BM_FORMAT_VOC);
  rc.annotation = annotation;
  rc.path = path;

  read_header (&rc, root);
  if (flags & BM_VOC_LOAD_NO_BACKING)
    {
      read_objects_only (&rc, root);
      xmlFreeDoc (doc);
      return g_steal_pointer (&annotation);
    }

  backing = g_new0 (VocBacking, 1);
  backing->doc = doc;
  backing->data = g_malloc (length + 1);
  if (length > 0)
    memcpy (backing->data, data, length);
  backing->data[length] = '\0';
  backing->length = length;
  backing->spans = g_ptr_array_new_with_free_func (g_free);
  backing->entries = g_ptr_array_new_with_free_func (voc_entry_free);

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      g_autoptr(BmObject) object = NULL;
      VocEntry *entry;

      if (!is_element (child, "object"))
        continue;
      object = read_object (&rc, child);
      if (object == NULL)
        continue;
      entry = g_new0 (VocEntry, 1);
      entry->node = child;
      g_ptr_array_add (backing->entries, entry);
      bm_object_set_origin (object, backing->entries->len);
      entry->loaded = bm_object_copy (object);
      bm_annotation_add_object (annotation, object);
    }

  backing->width = bm_annotation_get_width (annotation);
  backing->height = bm_annotation_get_height (annotation);
  backing->depth = bm_annotation_get_depth (annotation);
  backing->verified = bm_annotation_get_verified (annotation);
  detect_dialect (backing, root);
  locate_spans (backing);
  bm_annotation_set_backing (annotation, backing, voc_backing_free);
  return g_steal_pointer (&annotation);
}

BmAnnotation *
bm_voc_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  BmAnnotation *annotation;

  g_return_val_if_fail (path != NULL, NULL);

  if (!bm_file_read_all (path, &contents, &length, error))
    return NULL;
  annotation = bm_voc_load_data (contents, length, path, error);
  if (annotation != NULL)
    bm_annotation_set_label_path (annotation, path);
  return annotation;
}

/* ---------------------------------------------------------------------------------------------
 * Saving */

static gboolean
is_unchanged (BmAnnotation *annotation, VocBacking *backing)
{
  guint n = bm_annotation_get_n_objects (annotation);
  g_autofree gboolean *seen = NULL;

  if (bm_annotation_get_width (annotation) != backing->width
      || bm_annotation_get_height (annotation) != backing->height
      || bm_annotation_get_depth (annotation) != backing->depth
      || bm_annotation_get_verified (annotation) != backing->verified
      || n != backing->entries->len)
    return FALSE;
  seen = g_new0 (gboolean, backing->entries->len + 1);
  for (guint i = 0; i < n; i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      guint origin = bm_object_get_origin (object);
      VocEntry *entry;

      /* Object order is document order, so origins must still run 1, 2, 3… */
      if (origin != i + 1 || seen[origin])
        return FALSE;
      seen[origin] = TRUE;
      entry = g_ptr_array_index (backing->entries, origin - 1);
      if (!bm_object_content_equal (object, entry->loaded))
        return FALSE;
    }
  return TRUE;
}

/* xmlCopyDoc does not copy _private: walk both trees together, and map the objects' nodes. */
static void
copy_private (xmlNode *from, xmlNode *to, GHashTable *map)
{
  for (; from != NULL && to != NULL; from = from->next, to = to->next)
    {
      to->_private = from->_private;
      g_hash_table_insert (map, from, to);
      if (from->type == XML_ELEMENT_NODE)
        copy_private (from->children, to->children, map);
    }
}

static char *
detect_unit (xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      {
        gboolean has_newline;
        const char *indent = indent_before (child, &has_newline);

        if (has_newline && indent[0] == '\t')
          return g_strdup ("\t");
        if (has_newline && indent[0] == ' ')
          {
            gsize n = strspn (indent, " ");
            return g_strnfill (n, ' ');
          }
        break;
      }
  return g_strdup ("\t");
}

static xmlDoc *
new_skeleton (BmAnnotation *annotation)
{
  const char *image = bm_annotation_get_image_path (annotation);
  const char *label = bm_annotation_get_label_path (annotation);
  xmlDoc *doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewDocNode (doc, NULL, (const xmlChar *) "annotation", NULL);
  Writer w = { 0 };
  g_autofree char *folder = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *absolute = NULL;
  xmlNode *node;

  xmlDocSetRootElement (doc, root);
  w.doc = doc;
  w.root = root;
  w.unit = "\t";
  w.newline = "\n";
  w.dirty = g_hash_table_new (NULL, NULL);

  if (image != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (image);

      absolute = g_canonicalize_filename (image, NULL);
      folder = g_path_get_basename (dir);
      filename = g_path_get_basename (image);
      if (strcmp (folder, ".") == 0 || strcmp (folder, G_DIR_SEPARATOR_S) == 0)
        {
          g_autofree char *abs_dir = g_path_get_dirname (absolute);
          g_free (folder);
          folder = g_path_get_basename (abs_dir);
        }
    }
  else if (label != NULL)
    {
      g_autofree char *abs_label = g_canonicalize_filename (label, NULL);
      g_autofree char *dir = g_path_get_dirname (abs_label);
      folder = g_path_get_basename (dir);
    }

  add_text_child (&w, root, "folder", folder != NULL ? folder : "", NULL);
  add_text_child (&w, root, "filename", filename != NULL ? filename : "", NULL);
  if (absolute != NULL)
    add_text_child (&w, root, "path", absolute, NULL);
  node = new_element (&w, "source");
  insert_child (&w, root, node, NULL);
  add_text_child (&w, node, "database", "Unknown", NULL);
  node = new_element (&w, "size");
  insert_child (&w, root, node, NULL);
  add_text_child (&w, node, "width", "", NULL);
  add_text_child (&w, node, "height", "", NULL);
  add_text_child (&w, node, "depth", "", NULL);
  add_text_child (&w, root, "segmented", "0", NULL);
  g_hash_table_unref (w.dirty);
  return doc;
}

/* Whether the numbers the reader checks read back (see MAX_COORDINATE): a rotated box's
 * <robndbox> values (its enclosing <bndbox> is not read when <robndbox> is there), else every
 * point. */
static gboolean
shape_within_limits (const BmShape *shape)
{
  if (shape->kind == BM_SHAPE_ROTATED)
    {
      double cx, cy, w, h, angle;

      bm_shape_get_rotated (shape, &cx, &cy, &w, &h, &angle);
      return fabs (cx) <= MAX_COORDINATE && fabs (cy) <= MAX_COORDINATE
             && w <= MAX_COORDINATE && h <= MAX_COORDINATE;
    }
  for (guint i = 0; i < 4; i++)
    if (!(fabs (shape->p[i].x) <= MAX_COORDINATE) || !(fabs (shape->p[i].y) <= MAX_COORDINATE))
      return FALSE;
  return TRUE;
}

static gboolean
object_as_loaded (VocBacking *backing, BmObject *object)
{
  guint origin = bm_object_get_origin (object);
  VocEntry *entry;

  if (backing == NULL || origin == 0 || origin > backing->entries->len)
    return FALSE;
  entry = backing->entries->pdata[origin - 1];
  return entry->loaded != NULL && bm_object_content_equal (entry->loaded, object);
}

/* A file Boxmark would refuse to read back is never written; objects that were read keep their
 * bytes, so only new and edited ones are checked. */
static gboolean
check_limits (BmAnnotation *annotation, VocBacking *backing, GError **error)
{
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      const char *path = bm_annotation_get_label_path (annotation);

      if (object_as_loaded (backing, object) || shape_within_limits (bm_object_get_shape (object)))
        continue;
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
                   _("%s: not saved: object %u “%s” reaches beyond ±%.0f px, which could not be read back; move it closer to the image"),
                   path != NULL ? path : _("annotation"), i + 1, bm_object_get_label (object), MAX_COORDINATE);
      return FALSE;
    }
  return TRUE;
}

char *
bm_voc_to_data (BmAnnotation *annotation, gsize *length, GError **error)
{
  VocBacking *backing = NULL;
  Writer w = { 0 };
  xmlDoc *doc;
  g_autoptr(GHashTable) map = NULL;
  g_autofree gboolean *claimed = NULL;
  g_autofree gboolean *in_place = NULL;
  xmlNode *last_object = NULL;
  char *result = NULL;
  gsize result_length = 0;
  gboolean size_changed;
  g_autofree char *unit = NULL;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), NULL);

  if (bm_annotation_is_read_only (annotation))
    {
      const char *path = bm_annotation_get_label_path (annotation);

      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s: not saved: the file had problems when it was read, and saving would lose what could not be read"),
                   path != NULL ? path : _("annotation"));
      return NULL;
    }

  if (bm_annotation_get_format (annotation) == BM_FORMAT_VOC)
    backing = bm_annotation_get_backing (annotation);

  if (backing != NULL && is_unchanged (annotation, backing))
    {
      if (length != NULL)
        *length = backing->length;
      return g_memdup2 (backing->data, backing->length + 1);
    }

  if (!check_limits (annotation, backing, error))
    return NULL;

  map = g_hash_table_new (NULL, NULL);
  if (backing != NULL)
    {
      doc = xmlCopyDoc (backing->doc, 1);
      copy_private (backing->doc->children, doc->children, map);
      w.data = backing->data;
      w.spans_ok = backing->spans_ok;
      w.uses_type = backing->uses_type;
      w.newline = memmem (backing->data, backing->length, "\r\n", 2) != NULL ? "\r\n" : "\n";
      size_changed = bm_annotation_get_width (annotation) != backing->width
                     || bm_annotation_get_height (annotation) != backing->height
                     || bm_annotation_get_depth (annotation) != backing->depth;
    }
  else
    {
      doc = new_skeleton (annotation);
      w.newline = "\n";
      size_changed = TRUE;
    }
  w.doc = doc;
  w.root = xmlDocGetRootElement (doc);
  unit = detect_unit (w.root);
  w.unit = unit;
  w.dirty = g_hash_table_new (NULL, NULL);

  if (size_changed)
    write_size (&w, annotation);
  if (backing == NULL ? bm_annotation_get_verified (annotation)
                      : bm_annotation_get_verified (annotation) != backing->verified)
    write_verified (&w, bm_annotation_get_verified (annotation));

  /* Objects that still have their node: edit in place when changed. */
  claimed = g_new0 (gboolean, (backing != NULL ? backing->entries->len : 0) + 1);
  in_place = g_new0 (gboolean, bm_annotation_get_n_objects (annotation) + 1);
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      guint origin = bm_object_get_origin (object);
      VocEntry *entry;
      xmlNode *node;

      if (backing == NULL || origin == 0 || origin > backing->entries->len || claimed[origin])
        continue;
      claimed[origin] = TRUE;
      in_place[i] = TRUE;
      entry = g_ptr_array_index (backing->entries, origin - 1);
      node = g_hash_table_lookup (map, entry->node);
      if (node != NULL && !bm_object_content_equal (object, entry->loaded))
        write_object (&w, node, object, entry->loaded);
    }

  /* Deleted objects lose their node (and the indentation before it). */
  if (backing != NULL)
    for (guint k = 1; k <= backing->entries->len; k++)
      if (!claimed[k])
        {
          VocEntry *entry = g_ptr_array_index (backing->entries, k - 1);
          xmlNode *node = g_hash_table_lookup (map, entry->node);

          if (node != NULL)
            remove_child (&w, node);
        }

  /* New objects go after the last object, in labelImg's element order. */
  for (xmlNode *child = w.root->children; child != NULL; child = child->next)
    if (is_element (child, "object"))
      last_object = child;
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      xmlNode *node;

      /* Not in place: new, or a second object with the same origin (a pasted copy). */
      if (in_place[i])
        continue;
      node = new_element (&w, "object");
      if (last_object != NULL)
        insert_after (&w, w.root, node, last_object);
      else
        insert_child (&w, w.root, node, NULL);
      last_object = node;
      write_object (&w, node, object, NULL);
    }

  if (w.error == NULL)
    {
      if (backing != NULL && !backing->spans_ok)
        {
          xmlChar *mem = NULL;
          int size = 0;

          xmlDocDumpMemoryEnc (doc, &mem, &size, doc->encoding != NULL ? (const char *) doc->encoding : "UTF-8");
          result = g_strndup ((const char *) mem, size > 0 ? (gsize) size : 0);
          result_length = size > 0 ? (gsize) size : 0;
          xmlFree (mem);
        }
      else
        result = write_document (&w, backing != NULL ? backing->data : NULL,
                                 backing != NULL ? backing->length : 0, &result_length);
    }
  /* write_document may only now have found text XML cannot hold. */
  if (w.error != NULL)
    {
      const char *path = bm_annotation_get_label_path (annotation);

      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, "%s: %s", path != NULL ? path : _("annotation"),
                   w.error->message);
      g_clear_pointer (&result, g_free);
      g_clear_error (&w.error);
    }
  else if (length != NULL)
    *length = result_length;

  g_hash_table_unref (w.dirty);
  xmlFreeDoc (doc);
  return result;
}

gboolean
bm_voc_save (BmAnnotation *annotation, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (BM_IS_ANNOTATION (annotation), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (bm_annotation_is_read_only (annotation))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_READ_ONLY,
                   _("%s: not saved: the file had problems when it was read, and saving would lose what could not be read"),
                   path);
      return FALSE;
    }
  data = bm_voc_to_data (annotation, &length, error);
  if (data == NULL)
    return FALSE;
  return bm_file_write_atomic (path, data, length, error);
}
