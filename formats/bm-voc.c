/* bm-voc.c: Pascal VOC XML reader (every dialect in testdata/voc/).
 *
 * The parsed libxml2 tree is kept as the annotation's backing, together with the original bytes
 * and, for every node, where its markup sits in those bytes (bm-xml-patch), so that the writer
 * (bm-voc-writer.c) changes only what was edited.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-xml.h"
#include "bm-voc-private.h"
#include "bm-xml-patch.h"
#include "bm-voc.h"

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
  g_free (backing->original);
  bm_xml_encoding_clear (&backing->encoding);
  g_ptr_array_unref (backing->spans);
  g_ptr_array_unref (backing->entries);
  g_free (backing);
}

/* ---------------------------------------------------------------------------------------------
 * Numbers */

/* Plain decimal text: [+-]digits[.digits][e[+-]digits]; no hex, nan or inf. */
gboolean
bm_voc_parse_number (const char *text, double *value)
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
  bm_annotation_add_problem (rc->annotation, bm_problem_new (rc->path, bm_xml_node_line (node), message));
  rc->ok = FALSE;
}

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
  text = bm_xml_element_text (node);
  if (!bm_voc_parse_number (text, value))
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
  return read_coordinate_node (rc, parent, bm_xml_find_child (parent, name), name, value);
}

/* 0/1 flags (difficult also 2); a missing or empty element is 0. */
static int
read_flag (ReadContext *rc, xmlNode *object, const char *name, int max)
{
  xmlNode *node = bm_xml_find_child (object, name);
  g_autofree char *text = NULL;

  if (node == NULL)
    return 0;
  text = g_strstrip (bm_xml_element_text (node));
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
gsize
bm_voc_point_index (xmlNode *node, char axis)
{
  const char *name;
  gsize k = 0;

  if (!bm_xml_is_element (node, NULL))
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

      if ((k = bm_voc_point_index (child, 'x')) > 0 && k <= n_children && points->x[k] == NULL)
        points->x[k] = child;
      else if ((k = bm_voc_point_index (child, 'y')) > 0 && k <= n_children && points->y[k] == NULL)
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
  /* bm_xml_parse refuses files of G_MAXINT / 2 bytes, so the count fits. */
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

      if (!bm_xml_is_element (attr, "attribute") || (name = bm_xml_find_child (attr, "name")) == NULL)
        continue;
      key = bm_xml_element_text (name);
      value = bm_xml_find_child (attr, "value");
      text = value != NULL ? bm_xml_element_text (value) : g_strdup ("");
      if (key[0] != '\0')
        bm_object_set_attribute (object, key, text);
    }
}

/* One <name>, one <bndbox>…: a second one leaves it open which is meant (readers differ: some
 * take the first, some the last). */
static void
report_duplicates (ReadContext *rc, xmlNode *object)
{
  static const char *const single[] = {
    "name", "bndbox", "robndbox", "polygon", "difficult", "truncated", "occluded", "score",
  };

  for (guint i = 0; i < G_N_ELEMENTS (single); i++)
    {
      xmlNode *first = bm_xml_find_child (object, single[i]);

      for (xmlNode *other = first != NULL ? first->next : NULL; other != NULL; other = other->next)
        if (bm_xml_is_element (other, single[i]))
          {
            report (rc, other, _("object has a second <%s> (the first is on line %d); keep one"),
                    single[i], bm_xml_node_line (first));
            break;
          }
    }
}

static BmObject *
read_object (ReadContext *rc, xmlNode *node)
{
  xmlNode *name_node = bm_xml_find_child (node, "name");
  xmlNode *bndbox = bm_xml_find_child (node, "bndbox");
  xmlNode *robndbox = bm_xml_find_child (node, "robndbox");
  xmlNode *polygon = bm_xml_find_child (node, "polygon");
  xmlNode *score_node = bm_xml_find_child (node, "score");
  xmlNode *attributes = bm_xml_find_child (node, "attributes");
  g_autofree char *label = NULL;
  g_autoptr(BmObject) object = NULL;
  BmShape shape;
  gboolean have_shape = FALSE;
  int difficult, truncated, occluded, pre_annotation;
  double score = 0;

  rc->ok = TRUE;
  report_duplicates (rc, node);
  if (name_node == NULL)
    report (rc, node, _("object has no <name>"));
  else
    {
      /* Pretty-printed files wrap the name in newlines and indentation: the label is the text
       * without them (the tree keeps the bytes, so an unedited name is written as it was). */
      label = g_strstrip (bm_xml_element_text (name_node));
      if (label[0] == '\0')
        report (rc, name_node, _("object has an empty <name>"));
    }

  difficult = read_flag (rc, node, "difficult", 2);
  truncated = read_flag (rc, node, "truncated", 1);
  occluded = read_flag (rc, node, "occluded", 1);
  /* Boxmark's mark of a detector's box nobody has accepted yet (other readers ignore it) */
  pre_annotation = read_flag (rc, node, "pre_annotation", 1);

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
      g_autofree char *text = bm_xml_element_text (score_node);

      if (!bm_voc_parse_number (text, &score))
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
  bm_object_set_pre_annotation (object, pre_annotation);
  if (attributes != NULL)
    read_attributes (attributes, object);
  return g_steal_pointer (&object);
}

static void
read_size (ReadContext *rc, xmlNode *root, int *width, int *height, int *depth)
{
  static const char *const names[] = { "width", "height", "depth" };
  xmlNode *size = bm_xml_find_child (root, "size");
  int *values[] = { width, height, depth };

  *width = *height = *depth = 0;
  if (size == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      xmlNode *node = bm_xml_find_child (size, names[i]);
      g_autofree char *text = NULL;
      double v;

      if (node == NULL)
        continue;
      text = g_strstrip (bm_xml_element_text (node));
      if (text[0] == '\0')
        continue;
      if (!bm_voc_parse_number (text, &v) || v < 0 || v != floor (v) || v > G_MAXINT)
        report (rc, node, _("<%s> is not a valid image size: “%s”"), names[i], text);
      else
        *values[i] = (int) v;
    }
}

gboolean
bm_voc_is_verified_text (const char *value)
{
  return value != NULL
         && (g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "true") == 0
             || strcmp (value, "1") == 0);
}

/* ---------------------------------------------------------------------------------------------
 * Loading */

static void
detect_dialect (VocBacking *backing, xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    if (bm_xml_is_element (child, "object") && bm_xml_find_child (child, "type") != NULL)
      backing->uses_type = TRUE;
}

static void
locate_spans (VocBacking *backing)
{
  backing->spans_ok = bm_xml_spans_locate (backing->doc, backing->data, backing->length, backing->spans);
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
  bm_annotation_set_verified (rc->annotation, bm_voc_is_verified_text ((const char *) verified));
  xmlFree (verified);
}

/* The objects alone, for an annotation that is only read. */
static void
read_objects_only (ReadContext *rc, xmlNode *root)
{
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      g_autoptr(BmObject) object = NULL;

      if (!bm_xml_is_element (child, "object"))
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
  g_auto(BmXmlEncoding) encoding = { 0 };
  g_autofree char *utf8 = NULL;
  gsize utf8_length = 0;
  ReadContext rc = { NULL, NULL, TRUE };
  VocBacking *backing;
  xmlDoc *doc;
  xmlNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (path == NULL)
    path = "<memory>";
  if (data == NULL)
    data = "";
  if (!bm_xml_decode (data, length, path, &utf8, &utf8_length, &encoding, error))
    return NULL;
  doc = bm_xml_parse_utf8 (utf8 != NULL ? utf8 : data, utf8_length, path, utf8 != NULL, error);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (root != NULL && root->ns != NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: not a Pascal VOC file: the root element <%s> is in the XML namespace “%s”"),
                   path, MAX (bm_xml_node_line (root), 1), (const char *) root->name,
                   root->ns->href != NULL ? (const char *) root->ns->href : "");
      xmlFreeDoc (doc);
      return NULL;
    }
  if (root == NULL || !bm_xml_is_element (root, "annotation"))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:%d: not a Pascal VOC file: the root element is <%s>, not <annotation>"),
                   path, MAX (bm_xml_node_line (root), 1), root != NULL ? (const char *) root->name : "");
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
  if (utf8 != NULL)
    {
      backing->data = g_steal_pointer (&utf8);
      backing->original = g_malloc (length + 1);
      memcpy (backing->original, data, length);
      backing->original[length] = '\0';
      backing->original_length = length;
    }
  else
    {
      backing->data = g_malloc (length + 1);
      if (length > 0)
        memcpy (backing->data, data, length);
      backing->data[length] = '\0';
    }
  backing->length = utf8_length;
  backing->encoding = encoding;
  memset (&encoding, 0, sizeof encoding);
  backing->spans = g_ptr_array_new_with_free_func (g_free);
  backing->entries = g_ptr_array_new_with_free_func (voc_entry_free);

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      g_autoptr(BmObject) object = NULL;
      VocEntry *entry;

      if (!bm_xml_is_element (child, "object"))
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

