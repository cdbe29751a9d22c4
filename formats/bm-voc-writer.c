/* bm-voc-writer.c: the Pascal VOC writer. What changed in the model is patched into a copy of
 * the tree that was read (bm-xml-patch), so everything else keeps its bytes; a new file gets
 * labelImg's layout.
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

typedef struct
{
  BmXmlPatch patch;
  gboolean uses_type;   /* roLabelImg: objects carry <type> */
} VocWriter;

/* ---------------------------------------------------------------------------------------------
 * Numbers */

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

/* @derived: @value was computed from the shape's corners (format_derived), so a file value
 * within rounding noise of it, or rounding to the same text, stands. */
static void
set_child_number_near (VocWriter *w, xmlNode *parent, const char *name, double value, gboolean derived)
{
  xmlNode *node = bm_xml_find_child (parent, name);
  g_autofree char *text = derived ? format_derived (value) : format_number (value);
  double old;

  if (node != NULL)
    {
      g_autofree char *old_text = bm_xml_element_text (node);

      /* Keep the file's spelling ("153.0", "0176") when the value is the same. */
      if (bm_voc_parse_number (old_text, &old))
        {
          g_autofree char *old_rounded = derived ? format_derived (old) : NULL;

          if (old == value
              || (derived && (fabs (old - value) <= 1e-12 * MAX (1.0, fabs (value))
                              || strcmp (old_rounded, text) == 0)))
            return;
        }
    }
  bm_xml_patch_set_child_text (&w->patch, parent, name, text, NULL);
}

static void
set_child_number (VocWriter *w, xmlNode *parent, const char *name, double value, xmlNode *before)
{
  set_child_number_near (w, parent, name, value, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * Writing objects */

/* @derived: the box encloses a rotated box or quad (see set_child_number_near). */
static void
write_box (VocWriter *w, xmlNode *object, const BmRect *r, gboolean derived)
{
  xmlNode *bndbox = bm_xml_find_child (object, "bndbox");

  if (bndbox == NULL)
    {
      xmlNode *before = bm_xml_find_child (object, "robndbox");

      if (before == NULL)
        before = bm_xml_find_child (object, "polygon");
      bndbox = bm_xml_patch_new_element (&w->patch, "bndbox");
      bm_xml_patch_insert_child (&w->patch, object, bndbox, before);
    }
  set_child_number_near (w, bndbox, "xmin", r->x1, derived);
  set_child_number_near (w, bndbox, "ymin", r->y1, derived);
  set_child_number_near (w, bndbox, "xmax", r->x2, derived);
  set_child_number_near (w, bndbox, "ymax", r->y2, derived);
}


static xmlNode *
ensure_child_after (VocWriter *w, xmlNode *object, const char *name, const char *after)
{
  xmlNode *node = bm_xml_find_child (object, name);
  xmlNode *anchor;

  if (node != NULL)
    return node;
  node = bm_xml_patch_new_element (&w->patch, name);
  anchor = bm_xml_find_child (object, after);
  if (anchor != NULL)
    bm_xml_patch_insert_after (&w->patch, object, node, anchor);
  else
    bm_xml_patch_insert_child (&w->patch, object, node, NULL);
  return node;
}

/* roLabelImg's <type>, kept in step with the shape when the file uses it. */
static void
set_type (VocWriter *w, xmlNode *object, const char *type)
{
  xmlNode *node = bm_xml_find_child (object, "type");

  if (node == NULL && !w->uses_type)
    return;
  if (node == NULL)
    bm_xml_patch_add_text_child (&w->patch, object, "type", type, bm_xml_patch_first_content_child (object));
  else
    bm_xml_patch_set_child_text (&w->patch, object, "type", type, NULL);
}

/* @old is NULL for a new object. A <polygon> that was not read as a quad (X-AnyLabeling's
 * polygons of other lengths) is not dropped when the box changes: we cannot redraw it, so it
 * stays as it was. Only turning the object into a quad replaces it. */
static void
write_shape (VocWriter *w, xmlNode *object, const BmShape *shape, const BmShape *old)
{
  BmRect r = bm_shape_bounds (shape);
  gboolean had_quad = old != NULL && old->kind == BM_SHAPE_QUAD;

  write_box (w, object, &r, shape->kind != BM_SHAPE_BOX);
  switch (shape->kind)
    {
    case BM_SHAPE_BOX:
      bm_xml_patch_remove_named_child (&w->patch, object, "robndbox");
      if (had_quad)
        bm_xml_patch_remove_named_child (&w->patch, object, "polygon");
      set_type (w, object, "bndbox");
      break;
    case BM_SHAPE_ROTATED:
      {
        double cx, cy, width, height, angle;
        xmlNode *robndbox;

        if (had_quad)
          bm_xml_patch_remove_named_child (&w->patch, object, "polygon");
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

        bm_xml_patch_remove_named_child (&w->patch, object, "robndbox");
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
            if (bm_voc_point_index (child, 'x') >= 5 || bm_voc_point_index (child, 'y') >= 5)
              bm_xml_patch_remove_child (&w->patch, child);
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
write_flag (VocWriter *w, xmlNode *object, const char *name, int value, int old_value)
{
  xmlNode *node = bm_xml_find_child (object, name);
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
        before = bm_xml_find_child (object, "occluded");
      if (before == NULL && strcmp (name, "difficult") != 0)
        before = bm_xml_find_child (object, "difficult");
      if (before == NULL)
        before = bm_xml_find_child (object, "bndbox");
      if (before == NULL)
        before = bm_xml_find_child (object, "robndbox");
      if (before == NULL)
        before = bm_xml_find_child (object, "polygon");
      bm_xml_patch_add_text_child (&w->patch, object, name, text, before);
    }
  else
    bm_xml_patch_set_text (&w->patch, node, text);
}

static void
write_score (VocWriter *w, xmlNode *object, BmObject *now)
{
  xmlNode *node = bm_xml_find_child (object, "score");

  if (!bm_object_has_score (now))
    {
      if (node != NULL)
        bm_xml_patch_remove_child (&w->patch, node);
      return;
    }
  set_child_number (w, object, "score", bm_object_get_score (now), NULL);
}

/* <pre_annotation>1</pre_annotation> while the box is a detector's that nobody has accepted;
 * accepting it removes the element (the <score> stays: VOC has an element for it). */
static void
write_pre_annotation (VocWriter *w, xmlNode *object, BmObject *now)
{
  xmlNode *node = bm_xml_find_child (object, "pre_annotation");

  if (!bm_object_get_pre_annotation (now))
    {
      if (node != NULL)
        bm_xml_patch_remove_child (&w->patch, node);
      return;
    }
  if (node == NULL)
    bm_xml_patch_add_text_child (&w->patch, object, "pre_annotation", "1", NULL);
  else
    bm_xml_patch_set_text (&w->patch, node, "1");
}

static xmlNode *
find_attribute_node (xmlNode *attributes, const char *key)
{
  xmlNode *found = NULL;

  for (xmlNode *attr = attributes->children; attr != NULL; attr = attr->next)
    {
      xmlNode *name;
      g_autofree char *text = NULL;

      if (!bm_xml_is_element (attr, "attribute") || (name = bm_xml_find_child (attr, "name")) == NULL)
        continue;
      text = bm_xml_element_text (name);
      if (strcmp (text, key) == 0)
        found = attr;   /* the last one wins, as on reading */
    }
  return found;
}

static void
write_attributes (VocWriter *w, xmlNode *object, BmObject *now, BmObject *old)
{
  xmlNode *attributes = bm_xml_find_child (object, "attributes");
  guint n = bm_object_get_n_attributes (now);

  if (old != NULL && attributes != NULL)
    for (guint i = 0; i < bm_object_get_n_attributes (old); i++)
      {
        const char *key;
        xmlNode *node;

        bm_object_get_attribute_nth (old, i, &key, NULL);
        if (bm_object_get_attribute (now, key) == NULL && (node = find_attribute_node (attributes, key)) != NULL)
          bm_xml_patch_remove_child (&w->patch, node);
      }
  if (n == 0)
    return;
  if (attributes == NULL)
    {
      attributes = bm_xml_patch_new_element (&w->patch, "attributes");
      bm_xml_patch_insert_child (&w->patch, object, attributes, NULL);
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
          node = bm_xml_patch_new_element (&w->patch, "attribute");
          bm_xml_patch_insert_child (&w->patch, attributes, node, NULL);
          bm_xml_patch_add_text_child (&w->patch, node, "name", key, NULL);
        }
      bm_xml_patch_set_child_text (&w->patch, node, "value", value, NULL);
    }
}

/* Writes what differs between @now and @old (NULL for a new object) into @object. */
static void
write_object (VocWriter *w, xmlNode *object, BmObject *now, BmObject *old)
{
  if (old == NULL && w->uses_type)
    bm_xml_patch_add_text_child (&w->patch, object, "type", bm_object_get_shape (now)->kind == BM_SHAPE_ROTATED ? "robndbox" : "bndbox", NULL);
  if (old == NULL || g_strcmp0 (bm_object_get_label (old), bm_object_get_label (now)) != 0)
    bm_xml_patch_set_child_text (&w->patch, object, "name", bm_object_get_label (now), NULL);
  if (old == NULL)
    bm_xml_patch_add_text_child (&w->patch, object, "pose", "Unspecified", NULL);
  write_flag (w, object, "truncated", bm_object_get_truncated (now), old ? bm_object_get_truncated (old) : -1);
  if (old != NULL || bm_object_get_occluded (now))
    write_flag (w, object, "occluded", bm_object_get_occluded (now), old ? bm_object_get_occluded (old) : -1);
  write_flag (w, object, "difficult", bm_object_get_difficult (now), old ? bm_object_get_difficult (old) : -1);
  if (old == NULL || !bm_shape_equal (bm_object_get_shape (old), bm_object_get_shape (now)))
    write_shape (w, object, bm_object_get_shape (now), old != NULL ? bm_object_get_shape (old) : NULL);
  if (old == NULL || bm_object_has_score (old) != bm_object_has_score (now)
      || (bm_object_has_score (now) && bm_object_get_score (old) != bm_object_get_score (now)))
    write_score (w, object, now);
  if (old == NULL ? bm_object_get_pre_annotation (now)
                  : bm_object_get_pre_annotation (old) != bm_object_get_pre_annotation (now))
    write_pre_annotation (w, object, now);
  write_attributes (w, object, now, old);
}

/* ---------------------------------------------------------------------------------------------
 * Header: size and verified */

static void
write_size (VocWriter *w, BmAnnotation *annotation)
{
  xmlNode *size = bm_xml_find_child (w->patch.root, "size");
  int values[3] = { bm_annotation_get_width (annotation), bm_annotation_get_height (annotation),
                    bm_annotation_get_depth (annotation) };
  static const char *const names[] = { "width", "height", "depth" };

  if (size == NULL)
    {
      xmlNode *before = bm_xml_find_child (w->patch.root, "segmented");

      if (before == NULL)
        before = bm_xml_find_child (w->patch.root, "object");
      size = bm_xml_patch_new_element (&w->patch, "size");
      bm_xml_patch_insert_child (&w->patch, w->patch.root, size, before);
    }
  for (int i = 0; i < 3; i++)
    {
      xmlNode *node = bm_xml_find_child (size, names[i]);
      g_autofree char *text = values[i] > 0 ? g_strdup_printf ("%d", values[i]) : g_strdup ("");
      g_autofree char *old = node != NULL ? g_strstrip (bm_xml_element_text (node)) : NULL;
      double v;

      if (node != NULL && (values[i] > 0 ? bm_voc_parse_number (old, &v) && v == values[i] : old[0] == '\0'))
        continue;
      bm_xml_patch_set_child_text (&w->patch, size, names[i], text, NULL);
    }
}

static void
write_verified (VocWriter *w, gboolean verified)
{
  xmlChar *old = xmlGetProp (w->patch.root, (const xmlChar *) "verified");

  if (verified)
    xmlSetProp (w->patch.root, (const xmlChar *) "verified", (const xmlChar *) "yes");
  else if (w->uses_type || (old != NULL && !bm_voc_is_verified_text ((const char *) old)))
    xmlSetProp (w->patch.root, (const xmlChar *) "verified", (const xmlChar *) "no");
  else
    xmlUnsetProp (w->patch.root, (const xmlChar *) "verified");
  xmlFree (old);
  w->patch.root_attribute = "verified";
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

static xmlDoc *
new_skeleton (BmAnnotation *annotation)
{
  const char *image = bm_annotation_get_image_path (annotation);
  const char *label = bm_annotation_get_label_path (annotation);
  xmlDoc *doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewDocNode (doc, NULL, (const xmlChar *) "annotation", NULL);
  VocWriter w = { 0 };
  g_autofree char *folder = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *absolute = NULL;
  xmlNode *node;

  xmlDocSetRootElement (doc, root);
  bm_xml_patch_init (&w.patch, doc, NULL, FALSE);

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

  bm_xml_patch_add_text_child (&w.patch, root, "folder", folder != NULL ? folder : "", NULL);
  bm_xml_patch_add_text_child (&w.patch, root, "filename", filename != NULL ? filename : "", NULL);
  if (absolute != NULL)
    bm_xml_patch_add_text_child (&w.patch, root, "path", absolute, NULL);
  node = bm_xml_patch_new_element (&w.patch, "source");
  bm_xml_patch_insert_child (&w.patch, root, node, NULL);
  bm_xml_patch_add_text_child (&w.patch, node, "database", "Unknown", NULL);
  node = bm_xml_patch_new_element (&w.patch, "size");
  bm_xml_patch_insert_child (&w.patch, root, node, NULL);
  bm_xml_patch_add_text_child (&w.patch, node, "width", "", NULL);
  bm_xml_patch_add_text_child (&w.patch, node, "height", "", NULL);
  bm_xml_patch_add_text_child (&w.patch, node, "depth", "", NULL);
  bm_xml_patch_add_text_child (&w.patch, root, "segmented", "0", NULL);
  bm_xml_patch_clear (&w.patch);
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
  VocWriter w = { 0 };
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
      if (backing->original != NULL)
        {
          if (length != NULL)
            *length = backing->original_length;
          return g_memdup2 (backing->original, backing->original_length + 1);
        }
      if (length != NULL)
        *length = backing->length;
      return g_memdup2 (backing->data, backing->length + 1);
    }

  if (!check_limits (annotation, backing, error))
    return NULL;

  map = g_hash_table_new (NULL, NULL);
  if (backing != NULL)
    {
      doc = bm_xml_patch_copy_doc (backing->doc, map);
      bm_xml_patch_init (&w.patch, doc, backing->data, backing->spans_ok);
      w.uses_type = backing->uses_type;
      w.patch.newline = memmem (backing->data, backing->length, "\r\n", 2) != NULL ? "\r\n" : "\n";
      size_changed = bm_annotation_get_width (annotation) != backing->width
                     || bm_annotation_get_height (annotation) != backing->height
                     || bm_annotation_get_depth (annotation) != backing->depth;
    }
  else
    {
      doc = new_skeleton (annotation);
      bm_xml_patch_init (&w.patch, doc, NULL, FALSE);
      size_changed = TRUE;
    }
  unit = bm_xml_patch_detect_unit (w.patch.root);
  w.patch.unit = unit;

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
            bm_xml_patch_remove_child (&w.patch, node);
        }

  /* New objects go after the last object, in labelImg's element order. */
  for (xmlNode *child = w.patch.root->children; child != NULL; child = child->next)
    if (bm_xml_is_element (child, "object"))
      last_object = child;
  for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
    {
      BmObject *object = bm_annotation_get_object (annotation, i);
      xmlNode *node;

      /* Not in place: new, or a second object with the same origin (a pasted copy). */
      if (in_place[i])
        continue;
      node = bm_xml_patch_new_element (&w.patch, "object");
      if (last_object != NULL)
        bm_xml_patch_insert_after (&w.patch, w.patch.root, node, last_object);
      else
        bm_xml_patch_insert_child (&w.patch, w.patch.root, node, NULL);
      last_object = node;
      write_object (&w, node, object, NULL);
    }

  if (w.patch.error == NULL)
    {
      if (backing != NULL && !backing->spans_ok)
        {
          const char *name = backing->encoding.name != NULL ? backing->encoding.name
                             : doc->encoding != NULL ? (const char *) doc->encoding : "UTF-8";
          xmlChar *mem = NULL;
          int size = 0;

          /* libxml2 writes the file's encoding itself here: UTF-16 holds NUL bytes, so the
           * length is what counts, never the first NUL. */
          xmlDocDumpMemoryEnc (doc, &mem, &size, name);
          result_length = size > 0 ? (gsize) size : 0;
          result = g_malloc (result_length + 1);
          if (result_length > 0)
            memcpy (result, mem, result_length);
          result[result_length] = '\0';
          xmlFree (mem);
        }
      else
        {
          g_autofree char *text = bm_xml_patch_write (&w.patch, backing != NULL ? backing->data : NULL,
                                                      backing != NULL ? backing->length : 0, &result_length);

          if (w.patch.error == NULL && backing != NULL && backing->encoding.name != NULL)
            result = bm_xml_encode (text, result_length, &backing->encoding, &result_length, &w.patch.error);
          else
            result = g_steal_pointer (&text);
        }
    }
  /* bm_xml_patch_write may only now have found text XML cannot hold. */
  if (w.patch.error != NULL)
    {
      const char *path = bm_annotation_get_label_path (annotation);

      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, "%s: %s", path != NULL ? path : _("annotation"),
                   w.patch.error->message);
      g_clear_pointer (&result, g_free);
      g_clear_error (&w.patch.error);
    }
  else if (length != NULL)
    *length = result_length;

  bm_xml_patch_clear (&w.patch);
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
