/* bm-cascade.c: reads OpenCV cascade XML (new and old format) into a BmCascade.
 *
 * The rules follow OpenCV 4.6's loader: children are found by name (order and the root's name do
 * not matter), stage thresholds become (float) value - 1e-5f, an old-format cascade is converted
 * node by node (one feature per node, leaves numbered per tree, a third rect of weight ~0
 * dropped). Unlike OpenCV, every index and rectangle is checked, so evaluation never reads
 * outside the window or loops.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <float.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "bm-cascade.h"
#include "bm-error.h"
#include "bm-file-util.h"
#include "bm-xml.h"

#define LBP_CATEGORIES 256
#define LBP_SUBSET_WORDS 8
#define MAX_WINDOW_SIDE 1000000
#define STAGE_THRESHOLD_EPS 1e-5f

typedef struct
{
  const char *name;
  GError **error;
  BmCascadeType type;
  int width;
  int height;
  GArray *stages;
  GArray *trees;
  GArray *nodes;
  GArray *leaves;
  GArray *haar_features;
  GArray *lbp_features;
} Loader;

static gboolean G_GNUC_PRINTF (4, 5)
fail (Loader *loader, xmlNode *node, BmError code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;
  int line = bm_xml_node_line (node);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (loader->error, BM_ERROR, code, "%s:%d: %s", loader->name, line, message);
  else
    g_set_error (loader->error, BM_ERROR, code, "%s: %s", loader->name, message);
  return FALSE;
}

static xmlNode *
require_child (Loader *loader, xmlNode *parent, const char *name)
{
  xmlNode *child = bm_xml_find_child (parent, name);

  if (child == NULL)
    fail (loader, parent, BM_ERROR_PARSE, _("missing <%s> in <%s>"), name, (const char *) parent->name);
  return child;
}

static guint
count_items (xmlNode *list)
{
  guint n = 0;

  for (xmlNode *child = list->children; child != NULL; child = child->next)
    if (bm_xml_is_element (child, NULL))
      n++;
  return n;
}

/* The element's own text. Entity references are refused rather than expanded. */
static char *
element_text (Loader *loader, xmlNode *element)
{
  GString *text = g_string_new (NULL);

  for (xmlNode *child = element->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          if (child->content != NULL)
            g_string_append (text, (const char *) child->content);
        }
      else if (child->type == XML_ENTITY_REF_NODE || child->type == XML_ENTITY_NODE)
        {
          g_string_free (text, TRUE);
          fail (loader, element, BM_ERROR_PARSE, _("entities are not allowed in a cascade"));
          return NULL;
        }
    }
  return g_string_free (text, FALSE);
}

/* All whitespace-separated numbers of an element, parsed locale-independently. */
static GArray *
element_numbers (Loader *loader, xmlNode *element)
{
  g_autofree char *text = element_text (loader, element);
  GArray *values;
  const char *p;

  if (text == NULL)
    return NULL;
  values = g_array_new (FALSE, FALSE, sizeof (double));
  p = text;
  for (;;)
    {
      char *end = NULL;
      double value;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      value = g_ascii_strtod (p, &end);
      if (end == p || (*end != '\0' && !g_ascii_isspace (*end)))
        {
          g_array_unref (values);
          fail (loader, element, BM_ERROR_PARSE, _("<%s> holds something that is not a number"),
                (const char *) element->name);
          return NULL;
        }
      g_array_append_val (values, value);
      p = end;
    }
  return values;
}

static gboolean
value_is_int (double value, double min, double max)
{
  return isfinite (value) && value == floor (value) && value >= min && value <= max;
}

static gboolean
read_int (Loader *loader, xmlNode *element, int min, int max, int *out)
{
  g_autoptr(GArray) values = element_numbers (loader, element);
  double value;

  if (values == NULL)
    return FALSE;
  if (values->len != 1)
    return fail (loader, element, BM_ERROR_PARSE, _("<%s> must hold one number"), (const char *) element->name);
  value = g_array_index (values, double, 0);
  if (!value_is_int (value, min, max))
    return fail (loader, element, BM_ERROR_INVALID, _("<%s> must be an integer from %d to %d"),
                 (const char *) element->name, min, max);
  *out = (int) value;
  return TRUE;
}

static gboolean
read_real (Loader *loader, xmlNode *element, double *out)
{
  g_autoptr(GArray) values = element_numbers (loader, element);
  double value;

  if (values == NULL)
    return FALSE;
  if (values->len != 1)
    return fail (loader, element, BM_ERROR_PARSE, _("<%s> must hold one number"), (const char *) element->name);
  value = g_array_index (values, double, 0);
  if (!isfinite (value) || !isfinite ((float) value))
    return fail (loader, element, BM_ERROR_INVALID, _("<%s> is not a finite number"), (const char *) element->name);
  *out = value;
  return TRUE;
}

static gboolean
check_finite_float (Loader *loader, xmlNode *element, double value)
{
  if (!isfinite (value) || !isfinite ((float) value))
    return fail (loader, element, BM_ERROR_INVALID, _("<%s> holds a value that is not a finite number"),
                 (const char *) element->name);
  return TRUE;
}

static gboolean
read_text_equals (Loader *loader, xmlNode *element, const char *expected)
{
  g_autofree char *text = element_text (loader, element);

  return text != NULL && strcmp (g_strstrip (text), expected) == 0;
}

/* ---- features ---- */

static gboolean
haar_rect_inside (const Loader *loader, const BmCascadeRect *r, gboolean tilted)
{
  gint64 x = r->x, y = r->y, w = r->w, h = r->h;

  if (x < 0 || y < 0 || w < 0 || h < 0)
    return FALSE;
  if (!tilted)
    return x + w <= loader->width && y + h <= loader->height;
  /* Corners of a 45° rect: (x,y), (x-h,y+h), (x+w,y+w), (x+w-h,y+w+h). */
  return x - h >= 0 && x + w <= loader->width && y + w + h <= loader->height;
}

/* "x y w h weight" items of a <rects> element. */
static gboolean
read_haar_rects (Loader *loader, xmlNode *rects, gboolean tilted, gboolean old_format,
                 BmCascadeHaarFeature *feature)
{
  int n = 0;

  memset (feature, 0, sizeof *feature);
  feature->tilted = tilted;
  for (xmlNode *item = rects->children; item != NULL; item = item->next)
    {
      g_autoptr(GArray) values = NULL;
      BmCascadeRect *r;
      const double *v;

      if (!bm_xml_is_element (item, NULL))
        continue;
      if (n == 3)
        return fail (loader, item, BM_ERROR_INVALID, _("a Haar feature has more than 3 rectangles"));
      values = element_numbers (loader, item);
      if (values == NULL)
        return FALSE;
      if (values->len != 5)
        return fail (loader, item, BM_ERROR_PARSE, _("a Haar rectangle must be “x y w h weight”"));
      v = (const double *) values->data;
      for (int i = 0; i < 4; i++)
        if (!value_is_int (v[i], -MAX_WINDOW_SIDE, MAX_WINDOW_SIDE))
          return fail (loader, item, BM_ERROR_INVALID, _("a Haar rectangle has a coordinate that is not a small integer"));
      if (!check_finite_float (loader, item, v[4]))
        return FALSE;
      r = &feature->rect[n];
      r->x = (int) v[0];
      r->y = (int) v[1];
      r->w = (int) v[2];
      r->h = (int) v[3];
      r->weight = (float) v[4];
      if (!haar_rect_inside (loader, r, tilted))
        return fail (loader, item, BM_ERROR_INVALID, _("a Haar rectangle lies outside the %d×%d window"),
                     loader->width, loader->height);
      /* OpenCV's old-format converter drops a third rectangle of weight ~0. */
      if (old_format && n == 2 && fabsf (r->weight) < FLT_EPSILON)
        memset (r, 0, sizeof *r);
      n++;
    }
  if (n == 0)
    return fail (loader, rects, BM_ERROR_INVALID, _("a Haar feature has no rectangles"));
  return TRUE;
}

static gboolean
read_haar_feature (Loader *loader, xmlNode *element, gboolean old_format)
{
  BmCascadeHaarFeature feature;
  xmlNode *rects = require_child (loader, element, "rects");
  xmlNode *tilted_node = bm_xml_find_child (element, "tilted");
  int tilted = 0;

  if (rects == NULL)
    return FALSE;
  if (tilted_node != NULL && !read_int (loader, tilted_node, 0, 1, &tilted))
    return FALSE;
  if (!read_haar_rects (loader, rects, tilted != 0, old_format, &feature))
    return FALSE;
  g_array_append_val (loader->haar_features, feature);
  return TRUE;
}

static gboolean
read_lbp_feature (Loader *loader, xmlNode *element)
{
  BmCascadeLbpFeature feature;
  xmlNode *rect = require_child (loader, element, "rect");
  g_autoptr(GArray) values = NULL;
  const double *v;

  if (rect == NULL)
    return FALSE;
  values = element_numbers (loader, rect);
  if (values == NULL)
    return FALSE;
  if (values->len != 4)
    return fail (loader, rect, BM_ERROR_PARSE, _("an LBP rectangle must be “x y w h”"));
  v = (const double *) values->data;
  for (int i = 0; i < 4; i++)
    if (!value_is_int (v[i], 0, MAX_WINDOW_SIDE))
      return fail (loader, rect, BM_ERROR_INVALID, _("an LBP rectangle has a coordinate that is not a small integer"));
  feature.x = (int) v[0];
  feature.y = (int) v[1];
  feature.w = (int) v[2];
  feature.h = (int) v[3];
  if ((gint64) feature.x + 3 * (gint64) feature.w > loader->width
      || (gint64) feature.y + 3 * (gint64) feature.h > loader->height)
    return fail (loader, rect, BM_ERROR_INVALID, _("an LBP feature lies outside the %d×%d window"),
                 loader->width, loader->height);
  g_array_append_val (loader->lbp_features, feature);
  return TRUE;
}

static gboolean
read_features (Loader *loader, xmlNode *cascade)
{
  xmlNode *features = require_child (loader, cascade, "features");

  if (features == NULL)
    return FALSE;
  for (xmlNode *item = features->children; item != NULL; item = item->next)
    {
      if (!bm_xml_is_element (item, NULL))
        continue;
      if (loader->type == BM_CASCADE_HAAR ? !read_haar_feature (loader, item, FALSE)
                                          : !read_lbp_feature (loader, item))
        return FALSE;
    }
  return TRUE;
}

static guint
n_features (const Loader *loader)
{
  return loader->type == BM_CASCADE_HAAR ? loader->haar_features->len : loader->lbp_features->len;
}

/* ---- new format: stages of weak classifiers with flat internalNodes ---- */

static gboolean
check_child_index (Loader *loader, xmlNode *element, int node, int child, int n_nodes, int n_leaves)
{
  if (child > 0 ? (child <= node || child >= n_nodes) : -child >= n_leaves)
    return fail (loader, element, BM_ERROR_INVALID,
                 _("node %d of a tree points to %d, which is not a later node or an existing leaf"),
                 node, child);
  return TRUE;
}

static gboolean
read_weak_classifier (Loader *loader, xmlNode *element)
{
  xmlNode *internal = require_child (loader, element, "internalNodes");
  xmlNode *leaf_node = internal != NULL ? require_child (loader, element, "leafValues") : NULL;
  g_autoptr(GArray) values = NULL;
  g_autoptr(GArray) leaf_values = NULL;
  gboolean lbp = loader->type == BM_CASCADE_LBP;
  guint node_step = 3 + (lbp ? LBP_SUBSET_WORDS : 1);
  BmCascadeTree tree;
  const double *v;
  int n_nodes;

  if (leaf_node == NULL)
    return FALSE;
  values = element_numbers (loader, internal);
  if (values == NULL)
    return FALSE;
  leaf_values = element_numbers (loader, leaf_node);
  if (leaf_values == NULL)
    return FALSE;
  if (values->len == 0 || values->len % node_step != 0)
    return fail (loader, internal, BM_ERROR_INVALID,
                 _("<internalNodes> must hold groups of %u numbers"), node_step);
  if (leaf_values->len == 0)
    return fail (loader, leaf_node, BM_ERROR_INVALID, _("<leafValues> is empty"));
  n_nodes = (int) (values->len / node_step);

  tree.first_node = (int) loader->nodes->len;
  tree.n_nodes = n_nodes;
  tree.first_leaf = (int) loader->leaves->len;
  tree.n_leaves = (int) leaf_values->len;
  v = (const double *) values->data;
  for (int i = 0; i < n_nodes; i++, v += node_step)
    {
      BmCascadeNode node = { 0 };

      if (!value_is_int (v[0], G_MININT, G_MAXINT) || !value_is_int (v[1], G_MININT, G_MAXINT)
          || !value_is_int (v[2], 0, G_MAXINT))
        return fail (loader, internal, BM_ERROR_INVALID, _("<internalNodes> holds an index that is not an integer"));
      node.left = (int) v[0];
      node.right = (int) v[1];
      node.feature = (int) v[2];
      if (!check_child_index (loader, internal, i, node.left, n_nodes, tree.n_leaves)
          || !check_child_index (loader, internal, i, node.right, n_nodes, tree.n_leaves))
        return FALSE;
      if ((guint) node.feature >= n_features (loader))
        return fail (loader, internal, BM_ERROR_INVALID, _("feature %d does not exist (the cascade has %u)"),
                     node.feature, n_features (loader));
      if (lbp)
        {
          for (int w = 0; w < LBP_SUBSET_WORDS; w++)
            {
              if (!value_is_int (v[3 + w], G_MININT32, G_MAXUINT32))
                return fail (loader, internal, BM_ERROR_INVALID, _("an LBP subset word is not a 32-bit integer"));
              node.subset[w] = (guint32) (gint64) v[3 + w];
            }
        }
      else
        {
          if (!check_finite_float (loader, internal, v[3]))
            return FALSE;
          node.threshold = (float) v[3];
        }
      g_array_append_val (loader->nodes, node);
    }
  for (guint i = 0; i < leaf_values->len; i++)
    {
      float leaf = (float) g_array_index (leaf_values, double, i);

      if (!check_finite_float (loader, leaf_node, g_array_index (leaf_values, double, i)))
        return FALSE;
      g_array_append_val (loader->leaves, leaf);
    }
  g_array_append_val (loader->trees, tree);
  return TRUE;
}

static gboolean
append_stage (Loader *loader, xmlNode *element, double threshold, int first_tree)
{
  BmCascadeStage stage;

  stage.first_tree = first_tree;
  stage.n_trees = (int) loader->trees->len - first_tree;
  stage.threshold = (float) threshold - STAGE_THRESHOLD_EPS;
  if (stage.n_trees == 0)
    return fail (loader, element, BM_ERROR_INVALID, _("a stage has no weak classifiers"));
  g_array_append_val (loader->stages, stage);
  return TRUE;
}

/* OpenCV ignores the declared counts; a file whose counts disagree with its lists is damaged. */
static gboolean
check_count (Loader *loader, xmlNode *declared, int actual)
{
  int value;

  if (declared == NULL)
    return TRUE;
  if (!read_int (loader, declared, 0, G_MAXINT, &value))
    return FALSE;
  if (value != actual)
    return fail (loader, declared, BM_ERROR_INVALID, _("<%s> says %d but the list has %d"),
                 (const char *) declared->name, value, actual);
  return TRUE;
}

static gboolean
read_new_stages (Loader *loader, xmlNode *cascade)
{
  xmlNode *stages = require_child (loader, cascade, "stages");

  if (stages == NULL)
    return FALSE;
  for (xmlNode *item = stages->children; item != NULL; item = item->next)
    {
      xmlNode *threshold_node, *weak;
      int first_tree = (int) loader->trees->len;
      double threshold;

      if (!bm_xml_is_element (item, NULL))
        continue;
      threshold_node = require_child (loader, item, "stageThreshold");
      if (threshold_node == NULL || !read_real (loader, threshold_node, &threshold))
        return FALSE;
      weak = require_child (loader, item, "weakClassifiers");
      if (weak == NULL)
        return FALSE;
      for (xmlNode *classifier = weak->children; classifier != NULL; classifier = classifier->next)
        if (bm_xml_is_element (classifier, NULL) && !read_weak_classifier (loader, classifier))
          return FALSE;
      if (!check_count (loader, bm_xml_find_child (item, "maxWeakCount"), (int) loader->trees->len - first_tree))
        return FALSE;
      if (!append_stage (loader, item, threshold, first_tree))
        return FALSE;
    }
  return check_count (loader, bm_xml_find_child (cascade, "stageNum"), (int) loader->stages->len);
}

static gboolean
read_new_format (Loader *loader, xmlNode *cascade)
{
  xmlNode *stage_type = require_child (loader, cascade, "stageType");
  xmlNode *feature_type, *width, *height, *params, *max_cat;
  g_autofree char *type_text = NULL;
  int max_cat_count = 0;

  if (stage_type == NULL)
    return FALSE;
  if (!read_text_equals (loader, stage_type, "BOOST"))
    return fail (loader, stage_type, BM_ERROR_UNSUPPORTED, _("only BOOST cascades are supported"));
  feature_type = require_child (loader, cascade, "featureType");
  if (feature_type == NULL || (type_text = element_text (loader, feature_type)) == NULL)
    return FALSE;
  g_strstrip (type_text);
  if (strcmp (type_text, "HAAR") == 0)
    loader->type = BM_CASCADE_HAAR;
  else if (strcmp (type_text, "LBP") == 0)
    loader->type = BM_CASCADE_LBP;
  else
    return fail (loader, feature_type, BM_ERROR_UNSUPPORTED, _("feature type “%s” is not supported (only HAAR and LBP)"), type_text);

  width = require_child (loader, cascade, "width");
  height = width != NULL ? require_child (loader, cascade, "height") : NULL;
  if (height == NULL || !read_int (loader, width, 1, MAX_WINDOW_SIDE, &loader->width)
      || !read_int (loader, height, 1, MAX_WINDOW_SIDE, &loader->height))
    return FALSE;

  params = bm_xml_find_child (cascade, "featureParams");
  max_cat = params != NULL ? bm_xml_find_child (params, "maxCatCount") : NULL;
  if (max_cat != NULL && !read_int (loader, max_cat, 0, G_MAXINT, &max_cat_count))
    return FALSE;
  if (loader->type == BM_CASCADE_HAAR && max_cat_count != 0)
    return fail (loader, max_cat, BM_ERROR_UNSUPPORTED, _("a Haar cascade must have maxCatCount 0"));
  if (loader->type == BM_CASCADE_LBP && max_cat_count != LBP_CATEGORIES)
    return fail (loader, max_cat != NULL ? max_cat : cascade, BM_ERROR_UNSUPPORTED,
                 _("an LBP cascade must have maxCatCount 256"));

  return read_features (loader, cascade) && read_new_stages (loader, cascade);
}

/* ---- old format (opencv-haar-classifier): trees of nodes with their own features ---- */

static gboolean
read_old_branch (Loader *loader, xmlNode *node_element, const char *val_name, const char *node_name,
                 int node_index, int n_nodes, int *out)
{
  xmlNode *val = bm_xml_find_child (node_element, val_name);
  xmlNode *next = bm_xml_find_child (node_element, node_name);
  double leaf_value;
  float leaf;

  if (val != NULL)
    {
      if (!read_real (loader, val, &leaf_value))
        return FALSE;
      *out = -(int) loader->leaves->len;   /* fixed up relative to the tree below */
      leaf = (float) leaf_value;
      g_array_append_val (loader->leaves, leaf);
      return TRUE;
    }
  if (next == NULL)
    return fail (loader, node_element, BM_ERROR_PARSE, _("a tree node has neither <%s> nor <%s>"), val_name, node_name);
  if (!read_int (loader, next, 1, G_MAXINT, out))
    return FALSE;
  if (*out <= node_index || *out >= n_nodes)
    return fail (loader, next, BM_ERROR_INVALID, _("<%s> %d is not a later node of the tree"), node_name, *out);
  return TRUE;
}

static gboolean
read_old_tree (Loader *loader, xmlNode *tree_element)
{
  BmCascadeTree tree;
  int index = 0;
  int n_nodes = (int) count_items (tree_element);

  if (n_nodes == 0)
    return fail (loader, tree_element, BM_ERROR_INVALID, _("a tree has no nodes"));
  tree.first_node = (int) loader->nodes->len;
  tree.n_nodes = n_nodes;
  tree.first_leaf = (int) loader->leaves->len;
  for (xmlNode *item = tree_element->children; item != NULL; item = item->next)
    {
      BmCascadeNode node = { 0 };
      xmlNode *feature, *threshold;
      double value;

      if (!bm_xml_is_element (item, NULL))
        continue;
      feature = require_child (loader, item, "feature");
      threshold = feature != NULL ? require_child (loader, item, "threshold") : NULL;
      if (threshold == NULL || !read_real (loader, threshold, &value))
        return FALSE;
      if (!read_haar_feature (loader, feature, TRUE))
        return FALSE;
      node.feature = (int) loader->haar_features->len - 1;
      node.threshold = (float) value;
      if (!read_old_branch (loader, item, "left_val", "left_node", index, n_nodes, &node.left)
          || !read_old_branch (loader, item, "right_val", "right_node", index, n_nodes, &node.right))
        return FALSE;
      if (node.left <= 0)
        node.left += tree.first_leaf;
      if (node.right <= 0)
        node.right += tree.first_leaf;
      g_array_append_val (loader->nodes, node);
      index++;
    }
  tree.n_leaves = (int) loader->leaves->len - tree.first_leaf;
  if (tree.n_leaves == 0)
    return fail (loader, tree_element, BM_ERROR_INVALID, _("a tree has no leaves"));
  g_array_append_val (loader->trees, tree);
  return TRUE;
}

static gboolean
read_old_format (Loader *loader, xmlNode *cascade)
{
  xmlNode *size = require_child (loader, cascade, "size");
  xmlNode *stages;
  g_autoptr(GArray) wh = NULL;

  if (size == NULL || (wh = element_numbers (loader, size)) == NULL)
    return FALSE;
  if (wh->len != 2 || !value_is_int (g_array_index (wh, double, 0), 1, MAX_WINDOW_SIDE)
      || !value_is_int (g_array_index (wh, double, 1), 1, MAX_WINDOW_SIDE))
    return fail (loader, size, BM_ERROR_INVALID, _("<size> must be “width height”"));
  loader->type = BM_CASCADE_HAAR;
  loader->width = (int) g_array_index (wh, double, 0);
  loader->height = (int) g_array_index (wh, double, 1);

  stages = require_child (loader, cascade, "stages");
  if (stages == NULL)
    return FALSE;
  for (xmlNode *item = stages->children; item != NULL; item = item->next)
    {
      xmlNode *trees, *threshold_node;
      int first_tree = (int) loader->trees->len;
      double threshold;

      if (!bm_xml_is_element (item, NULL))
        continue;
      threshold_node = require_child (loader, item, "stage_threshold");
      if (threshold_node == NULL || !read_real (loader, threshold_node, &threshold))
        return FALSE;
      trees = require_child (loader, item, "trees");
      if (trees == NULL)
        return FALSE;
      for (xmlNode *tree = trees->children; tree != NULL; tree = tree->next)
        if (bm_xml_is_element (tree, NULL) && !read_old_tree (loader, tree))
          return FALSE;
      if (!append_stage (loader, item, threshold, first_tree))
        return FALSE;
    }
  return TRUE;
}

/* ---- the result ---- */

static gboolean
tree_is_stump (const BmCascadeTree *tree, const BmCascadeNode *nodes)
{
  return tree->n_nodes == 1 && tree->n_leaves == 2
         && nodes[tree->first_node].left == 0 && nodes[tree->first_node].right == -1;
}

static BmCascade *
build_cascade (Loader *loader)
{
  BmCascade *cascade = g_new0 (BmCascade, 1);

  cascade->type = loader->type;
  cascade->width = loader->width;
  cascade->height = loader->height;
  cascade->n_stages = (int) loader->stages->len;
  cascade->stages = (BmCascadeStage *) g_array_free (g_steal_pointer (&loader->stages), FALSE);
  cascade->n_trees = (int) loader->trees->len;
  cascade->trees = (BmCascadeTree *) g_array_free (g_steal_pointer (&loader->trees), FALSE);
  cascade->n_nodes = (int) loader->nodes->len;
  cascade->nodes = (BmCascadeNode *) g_array_free (g_steal_pointer (&loader->nodes), FALSE);
  cascade->n_leaves = (int) loader->leaves->len;
  cascade->leaves = (float *) g_array_free (g_steal_pointer (&loader->leaves), FALSE);
  cascade->n_features = (int) n_features (loader);
  if (loader->type == BM_CASCADE_HAAR)
    cascade->haar_features = (BmCascadeHaarFeature *) g_array_free (g_steal_pointer (&loader->haar_features), FALSE);
  else
    cascade->lbp_features = (BmCascadeLbpFeature *) g_array_free (g_steal_pointer (&loader->lbp_features), FALSE);

  cascade->all_stumps = TRUE;
  for (int t = 0; t < cascade->n_trees; t++)
    if (!tree_is_stump (&cascade->trees[t], cascade->nodes))
      cascade->all_stumps = FALSE;
  for (int f = 0; cascade->haar_features != NULL && f < cascade->n_features; f++)
    if (cascade->haar_features[f].tilted)
      cascade->has_tilted = TRUE;
  return cascade;
}

static void
loader_clear (Loader *loader)
{
  g_clear_pointer (&loader->stages, g_array_unref);
  g_clear_pointer (&loader->trees, g_array_unref);
  g_clear_pointer (&loader->nodes, g_array_unref);
  g_clear_pointer (&loader->leaves, g_array_unref);
  g_clear_pointer (&loader->haar_features, g_array_unref);
  g_clear_pointer (&loader->lbp_features, g_array_unref);
}

static gboolean
read_cascade (Loader *loader, xmlDoc *doc)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  xmlNode *cascade = NULL;

  if (root != NULL)
    for (cascade = root->children; cascade != NULL && !bm_xml_is_element (cascade, NULL); cascade = cascade->next)
      ;
  if (cascade == NULL)
    return fail (loader, root, BM_ERROR_PARSE, _("not an OpenCV cascade file"));
  if (bm_xml_find_child (cascade, "stageType") != NULL)
    return read_new_format (loader, cascade);
  if (bm_xml_find_child (cascade, "size") != NULL && bm_xml_find_child (cascade, "stages") != NULL)
    return read_old_format (loader, cascade);
  return fail (loader, cascade, BM_ERROR_PARSE, _("not an OpenCV cascade file"));
}

BmCascade *
bm_cascade_load_from_memory (const char *data, gsize length, const char *name, GError **error)
{
  Loader loader = { 0 };
  xmlDoc *doc;
  BmCascade *cascade = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  loader.name = name;
  loader.error = error;
  if (length > G_MAXINT)
    {
      fail (&loader, NULL, BM_ERROR_INVALID, _("the file is too large"));
      return NULL;
    }
  doc = bm_xml_parse (data, length, name, error);
  if (doc == NULL)
    return NULL;

  loader.stages = g_array_new (FALSE, FALSE, sizeof (BmCascadeStage));
  loader.trees = g_array_new (FALSE, FALSE, sizeof (BmCascadeTree));
  loader.nodes = g_array_new (FALSE, FALSE, sizeof (BmCascadeNode));
  loader.leaves = g_array_new (FALSE, FALSE, sizeof (float));
  loader.haar_features = g_array_new (FALSE, FALSE, sizeof (BmCascadeHaarFeature));
  loader.lbp_features = g_array_new (FALSE, FALSE, sizeof (BmCascadeLbpFeature));

  if (read_cascade (&loader, doc))
    {
      if (loader.stages->len == 0)
        fail (&loader, xmlDocGetRootElement (doc), BM_ERROR_INVALID, _("the cascade has no stages"));
      else
        cascade = build_cascade (&loader);
    }
  loader_clear (&loader);
  xmlFreeDoc (doc);
  return cascade;
}

BmCascade *
bm_cascade_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* A regular file only, size-checked before reading (a FIFO would block). */
  if (!bm_file_read_all (path, &contents, &length, error))
    return NULL;
  return bm_cascade_load_from_memory (contents, length, path, error);
}

void
bm_cascade_free (BmCascade *cascade)
{
  if (cascade == NULL)
    return;
  g_free (cascade->stages);
  g_free (cascade->trees);
  g_free (cascade->nodes);
  g_free (cascade->leaves);
  g_free (cascade->haar_features);
  g_free (cascade->lbp_features);
  g_free (cascade);
}
