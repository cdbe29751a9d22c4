/* bm-coco.c: reading COCO instances JSON.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <inttypes.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "bm-coco-json.h"
#include "bm-coco-private.h"
#include "bm-text-util.h"

G_DEFINE_BOXED_TYPE (BmCoco, bm_coco, bm_coco_ref, bm_coco_unref)

static BmCoco *
bm_coco_new (const char *path)
{
  BmCoco *self = g_new0 (BmCoco, 1);

  self->ref_count = 1;
  self->path = g_strdup (path);
  self->images = g_array_new (FALSE, TRUE, sizeof (BmCocoImage));
  self->categories = g_array_new (FALSE, TRUE, sizeof (BmCocoCategory));
  self->annotations = g_array_new (FALSE, TRUE, sizeof (BmCocoAnnotation));
  self->image_nodes = g_ptr_array_new ();
  self->category_nodes = g_ptr_array_new ();
  self->annotation_nodes = g_ptr_array_new ();
  self->image_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->category_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->annotation_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  return self;
}

BmCoco *
bm_coco_ref (BmCoco *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bm_coco_unref (BmCoco *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_free (self->path);
  g_array_unref (self->images);
  g_array_unref (self->categories);
  g_array_unref (self->annotations);
  g_ptr_array_unref (self->image_nodes);
  g_ptr_array_unref (self->category_nodes);
  g_ptr_array_unref (self->annotation_nodes);
  g_hash_table_unref (self->image_index);
  g_hash_table_unref (self->category_index);
  g_hash_table_unref (self->annotation_ids);
  g_free (self->image_first);
  g_free (self->image_count);
  g_free (self->by_image);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->notes);
  g_clear_pointer (&self->root, json_node_unref);
  g_free (self);
}

static void G_GNUC_PRINTF (3, 4)
problem (BmCoco *self, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->problems, bm_problem_new (self->path, (int) line, message));
}

static void G_GNUC_PRINTF (3, 4)
note (BmCoco *self, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->notes, bm_problem_new (self->path, (int) line, message));
}

static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
int_member (JsonObject *object, const char *name, gint64 *value)
{
  return bm_coco_json_get_int (json_object_get_member (object, name), value);
}

static gboolean
true_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return bm_coco_json_get_int (node, &value) && value != 0;
}

static void
read_image (BmCoco *self, JsonNode *node, guint line)
{
  BmCocoImage image = { 0 };
  JsonObject *object;
  gint64 value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      problem (self, line, _("an image that is not an object {…}; left out"));
      return;
    }
  object = json_node_get_object (node);
  if (!int_member (object, "id", &image.id))
    {
      problem (self, line, _("an image without a whole-number “id”; left out"));
      return;
    }
  if (g_hash_table_contains (self->image_index, &image.id))
    {
      problem (self, line, _("image id %" PRId64 " is used twice; this one is left out"), image.id);
      return;
    }
  image.file_name = string_member (object, "file_name");
  if (image.file_name == NULL)
    {
      problem (self, line, _("image %" PRId64 " has no “file_name”"), image.id);
      image.file_name = "";
    }
  if (int_member (object, "width", &value) && value > 0 && value <= G_MAXINT)
    image.width = (int) value;
  if (int_member (object, "height", &value) && value > 0 && value <= G_MAXINT)
    image.height = (int) value;
  image.verified = true_member (object, "verified");
  image.line = line;
  g_array_append_val (self->images, image);
  g_ptr_array_add (self->image_nodes, node);
  /* the key points into the array, which grows: the index maps ids to positions instead */
  g_hash_table_insert (self->image_index, g_memdup2 (&image.id, sizeof image.id),
                       GUINT_TO_POINTER (self->images->len));
}

static void
read_category (BmCoco *self, JsonNode *node, guint line)
{
  BmCocoCategory category = { 0 };
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      problem (self, line, _("a category that is not an object {…}; left out"));
      return;
    }
  object = json_node_get_object (node);
  if (!int_member (object, "id", &category.id))
    {
      problem (self, line, _("a category without a whole-number “id”; left out"));
      return;
    }
  if (g_hash_table_contains (self->category_index, &category.id))
    {
      problem (self, line, _("category id %" PRId64 " is used twice; this one is left out"), category.id);
      return;
    }
  category.name = string_member (object, "name");
  if (category.name == NULL || category.name[0] == '\0')
    {
      problem (self, line, _("category %" PRId64 " has no “name”; left out"), category.id);
      return;
    }
  for (guint i = 0; i < self->categories->len; i++)
    if (strcmp (g_array_index (self->categories, BmCocoCategory, i).name, category.name) == 0)
      {
        g_autofree char *shown = bm_text_shown (category.name);

        problem (self, line, _("category %" PRId64 " has the name “%s” of another category; its annotations will read as that class"),
                 category.id, shown);
        break;
      }
  category.line = line;
  g_array_append_val (self->categories, category);
  g_ptr_array_add (self->category_nodes, node);
  g_hash_table_insert (self->category_index, g_memdup2 (&category.id, sizeof category.id),
                       GUINT_TO_POINTER (self->categories->len));
}

/* One polygon of four points: a quadrilateral, unless it is the bbox's own rectangle. */
static void
read_shape (JsonObject *object, BmCocoAnnotation *annotation)
{
  JsonNode *segmentation = json_object_get_member (object, "segmentation");
  JsonArray *polygons, *points;
  double xmin, ymin, xmax, ymax;

  annotation->shape = BM_SHAPE_BOX;
  if (segmentation == NULL || !JSON_NODE_HOLDS_ARRAY (segmentation))
    return;
  polygons = json_node_get_array (segmentation);
  if (json_array_get_length (polygons) != 1
      || !JSON_NODE_HOLDS_ARRAY (json_array_get_element (polygons, 0)))
    return;
  points = json_array_get_array_element (polygons, 0);
  if (json_array_get_length (points) != 8)
    return;
  for (guint i = 0; i < 8; i++)
    if (!bm_coco_json_get_number (json_array_get_element (points, i), &annotation->quad[i])
        || !isfinite (annotation->quad[i]))
      return;
  xmin = xmax = annotation->quad[0];
  ymin = ymax = annotation->quad[1];
  for (int i = 1; i < 4; i++)
    {
      xmin = MIN (xmin, annotation->quad[2 * i]);
      xmax = MAX (xmax, annotation->quad[2 * i]);
      ymin = MIN (ymin, annotation->quad[2 * i + 1]);
      ymax = MAX (ymax, annotation->quad[2 * i + 1]);
    }
  /* every corner on the bbox's outline: the box itself, drawn as a polygon */
  for (int i = 0; i < 4; i++)
    {
      double x = annotation->quad[2 * i], y = annotation->quad[2 * i + 1];

      if ((x != xmin && x != xmax) || (y != ymin && y != ymax))
        {
          const char *kind = string_member (object, "bm_shape");

          annotation->shape = g_strcmp0 (kind, "rotated") == 0 ? BM_SHAPE_ROTATED : BM_SHAPE_QUAD;
          return;
        }
    }
}

static void
read_annotation (BmCoco *self, JsonNode *node, guint line)
{
  BmCocoAnnotation annotation = { 0 };
  JsonObject *object;
  JsonNode *bbox;
  gint64 image_id, category_id, value;
  gpointer found;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      problem (self, line, _("an annotation that is not an object {…}; left out"));
      return;
    }
  object = json_node_get_object (node);
  if (!int_member (object, "id", &annotation.id))
    {
      problem (self, line, _("an annotation without a whole-number “id”; left out (pycocotools would stop with KeyError)"));
      return;
    }
  if (!int_member (object, "image_id", &image_id)
      || (found = g_hash_table_lookup (self->image_index, &image_id)) == NULL)
    {
      problem (self, line, _("annotation %" PRId64 ": its “image_id” is no image of the file; left out"), annotation.id);
      return;
    }
  annotation.image = GPOINTER_TO_UINT (found) - 1;
  if (g_hash_table_contains (self->annotation_ids, &annotation.id))
    problem (self, line, _("annotation id %" PRId64 " is used twice (pycocotools keeps only the last one); both are kept"),
             annotation.id);
  else
    g_hash_table_add (self->annotation_ids, g_memdup2 (&annotation.id, sizeof annotation.id));
  if (!int_member (object, "category_id", &category_id)
      || (found = g_hash_table_lookup (self->category_index, &category_id)) == NULL)
    {
      problem (self, line, _("annotation %" PRId64 ": its “category_id” is no category of the file; left out"), annotation.id);
      return;
    }
  annotation.category = GPOINTER_TO_UINT (found) - 1;
  bbox = json_object_get_member (object, "bbox");
  if (bbox == NULL || !JSON_NODE_HOLDS_ARRAY (bbox) || json_array_get_length (json_node_get_array (bbox)) != 4)
    {
      problem (self, line, _("annotation %" PRId64 " has no “bbox” [x, y, width, height]; left out"), annotation.id);
      return;
    }
  for (guint i = 0; i < 4; i++)
    if (!bm_coco_json_get_number (json_array_get_element (json_node_get_array (bbox), i), &annotation.bbox[i])
        || !isfinite (annotation.bbox[i]))
      {
        problem (self, line, _("annotation %" PRId64 ": “bbox” value %u is not a finite number; left out"),
                 annotation.id, i + 1);
        return;
      }
  if (annotation.bbox[2] < 0 || annotation.bbox[3] < 0)
    problem (self, line, _("annotation %" PRId64 ": the bbox has a negative width or height"), annotation.id);
  annotation.has_area = bm_coco_json_get_number (json_object_get_member (object, "area"), &annotation.area);
  if (!annotation.has_area)
    annotation.area = annotation.bbox[2] * annotation.bbox[3];
  annotation.has_iscrowd = json_object_has_member (object, "iscrowd");
  annotation.iscrowd = true_member (object, "iscrowd");
  annotation.difficult = annotation.iscrowd ? 1 : 0;
  if (int_member (object, "difficult", &value) && value >= 0 && value <= 2)
    annotation.difficult = (int) value;
  annotation.has_score = bm_coco_json_get_number (json_object_get_member (object, "score"), &annotation.score)
                         && isfinite (annotation.score);
  read_shape (object, &annotation);
  annotation.line = line;
  g_array_append_val (self->annotations, annotation);
  g_ptr_array_add (self->annotation_nodes, node);
}

typedef void (*ReadFunc) (BmCoco *self, JsonNode *node, guint line);

/* Reads the list @name of the root, each element with its line from @lines (the first lines of
 * the objects in the root's lists, in document order, consumed from @next). */
static void
read_list (BmCoco *self, JsonObject *root, const char *name, ReadFunc read, GArray *lines, GHashTable *starts)
{
  JsonNode *node = json_object_get_member (root, name);
  JsonArray *array;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      problem (self, 1, _("“%s” is not a list […]; nothing read from it"), name);
      return;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      guint *start = g_hash_table_lookup (starts, name);
      JsonNode *element = json_array_get_element (array, i);
      guint line = 0;

      if (JSON_NODE_HOLDS_OBJECT (element) && start != NULL && *start < lines->len)
        line = g_array_index (lines, guint, (*start)++);
      read (self, element, line);
    }
}

typedef struct
{
  GHashTable *starts;
  guint next;
} LineCounter;

/* The objects of the root's lists were numbered in document order: where each list's begin. */
static void
count_objects (JsonObject *root, const char *name, JsonNode *node, gpointer user_data)
{
  LineCounter *counter = user_data;
  guint *start = g_new (guint, 1);

  *start = counter->next;
  g_hash_table_insert (counter->starts, (gpointer) name, start);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          counter->next++;
    }
}

static void
index_by_image (BmCoco *self)
{
  guint n_images = self->images->len, n = self->annotations->len;
  g_autofree guint *fill = g_new0 (guint, MAX (n_images, 1));

  self->image_first = g_new0 (guint, MAX (n_images, 1));
  self->image_count = g_new0 (guint, MAX (n_images, 1));
  self->by_image = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    self->image_count[g_array_index (self->annotations, BmCocoAnnotation, i).image]++;
  for (guint i = 1; i < n_images; i++)
    self->image_first[i] = self->image_first[i - 1] + self->image_count[i - 1];
  for (guint i = 0; i < n; i++)
    {
      guint image = g_array_index (self->annotations, BmCocoAnnotation, i).image;

      self->by_image[self->image_first[image] + fill[image]++] = i;
    }
}

BmCoco *
bm_coco_load_data (const char *data, gsize length, const char *path, GError **error)
{
  g_autoptr(BmCoco) self = bm_coco_new (path);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) nan_lines = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) starts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GError) local = NULL;
  LineCounter counter = { starts, 0 };
  guint error_line = 0;
  gboolean missing_iscrowd = FALSE, missing_area = FALSE;
  JsonObject *root;

  self->root = bm_coco_json_parse (data, length, 3, lines, nan_lines, &error_line, &local);
  if (self->root == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, "%s:%u: %s", path, error_line, local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (self->root)
      || !json_object_has_member (root = json_node_get_object (self->root), "images"))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE,
                   _("%s:1: not a COCO instances file: no “images” list at the top level"), path);
      return NULL;
    }
  json_object_foreach_member (root, count_objects, &counter);
  read_list (self, root, "images", read_image, lines, starts);
  read_list (self, root, "categories", read_category, lines, starts);
  read_list (self, root, "annotations", read_annotation, lines, starts);
  index_by_image (self);

  for (guint i = 0; i < self->annotations->len; i++)
    {
      const BmCocoAnnotation *a = &g_array_index (self->annotations, BmCocoAnnotation, i);

      if (!a->has_iscrowd && !missing_iscrowd)
        {
          missing_iscrowd = TRUE;
          note (self, a->line, _("annotation %" PRId64 " has no “iscrowd” (read as 0; pycocotools’ COCOeval would stop with KeyError)"), a->id);
        }
      if (!a->has_area && !missing_area)
        {
          missing_area = TRUE;
          note (self, a->line, _("annotation %" PRId64 " has no “area” (width × height used; pycocotools’ COCOeval would stop with KeyError)"), a->id);
        }
    }
  if (g_hash_table_size (nan_lines) > 0)
    note (self, GPOINTER_TO_UINT (g_hash_table_get_keys (nan_lines)->data),
          _("NaN or Infinity (Python’s json writes them; JSON does not allow them) read as null"));
  return g_steal_pointer (&self);
}

BmCoco *
bm_coco_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!bm_file_read_all (path, &data, &length, error))
    return NULL;
  return bm_coco_load_data (data, length, path, error);
}

const char *
bm_coco_get_path (BmCoco *self)
{
  return self->path;
}

GPtrArray *
bm_coco_get_problems (BmCoco *self)
{
  return self->problems;
}

GPtrArray *
bm_coco_get_notes (BmCoco *self)
{
  return self->notes;
}

guint
bm_coco_get_n_images (BmCoco *self)
{
  return self->images->len;
}

const BmCocoImage *
bm_coco_get_image (BmCoco *self, guint index)
{
  g_return_val_if_fail (index < self->images->len, NULL);
  return &g_array_index (self->images, BmCocoImage, index);
}

int
bm_coco_find_image (BmCoco *self, gint64 id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->image_index, &id)) - 1;
}

guint
bm_coco_get_n_categories (BmCoco *self)
{
  return self->categories->len;
}

const BmCocoCategory *
bm_coco_get_category (BmCoco *self, guint index)
{
  g_return_val_if_fail (index < self->categories->len, NULL);
  return &g_array_index (self->categories, BmCocoCategory, index);
}

int
bm_coco_find_category (BmCoco *self, gint64 id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->category_index, &id)) - 1;
}

guint
bm_coco_get_n_annotations (BmCoco *self)
{
  return self->annotations->len;
}

const BmCocoAnnotation *
bm_coco_get_annotation (BmCoco *self, guint index)
{
  g_return_val_if_fail (index < self->annotations->len, NULL);
  return &g_array_index (self->annotations, BmCocoAnnotation, index);
}

const guint *
bm_coco_get_image_annotations (BmCoco *self, guint image, guint *n)
{
  g_return_val_if_fail (image < self->images->len, NULL);
  *n = self->image_count[image];
  return self->by_image + self->image_first[image];
}

static void
add_attribute (JsonObject *object, const char *name, JsonNode *node, gpointer user_data)
{
  BmObject *target = user_data;
  g_autofree char *text = NULL;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      bm_object_set_attribute (target, name, json_node_get_string (node));
      return;
    case G_TYPE_BOOLEAN:
      bm_object_set_attribute (target, name, json_node_get_boolean (node) ? "true" : "false");
      return;
    case G_TYPE_INT64:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      {
        GString *out = g_string_new (NULL);

        bm_coco_json_append_double (out, json_node_get_double (node));
        text = g_string_free (out, FALSE);
      }
      break;
    default:
      return;
    }
  bm_object_set_attribute (target, name, text);
}

BmObject *
bm_coco_make_object (BmCoco *self, guint index)
{
  const BmCocoAnnotation *a = bm_coco_get_annotation (self, index);
  JsonObject *json = json_node_get_object (self->annotation_nodes->pdata[index]);
  JsonNode *attributes = json_object_get_member (json, "attributes");
  BmShape shape;
  BmObject *object;

  if (a->shape == BM_SHAPE_BOX)
    bm_shape_init_box (&shape, a->bbox[0], a->bbox[1], a->bbox[0] + a->bbox[2], a->bbox[1] + a->bbox[3]);
  else
    {
      bm_shape_init_quad (&shape, a->quad);
      shape.kind = a->shape;
    }
  object = bm_object_new (bm_coco_get_category (self, a->category)->name, &shape);
  bm_object_set_difficult (object, a->difficult);
  bm_object_set_truncated (object, true_member (json, "truncated"));
  bm_object_set_occluded (object, true_member (json, "occluded"));
  if (a->has_score)
    bm_object_set_score (object, a->score);
  if (attributes != NULL && JSON_NODE_HOLDS_OBJECT (attributes))
    json_object_foreach_member (json_node_get_object (attributes), add_attribute, object);
  bm_object_set_origin (object, index + 1);
  return object;
}

BmAnnotation *
bm_coco_make_annotation (BmCoco *self, guint image, const char *image_path)
{
  const BmCocoImage *info = bm_coco_get_image (self, image);
  BmAnnotation *annotation = bm_annotation_new ();
  const guint *indices;
  guint n;

  bm_annotation_set_label_path (annotation, self->path);
  if (image_path != NULL)
    bm_annotation_set_image_path (annotation, image_path);
  bm_annotation_set_size (annotation, info->width, info->height, 0);
  bm_annotation_set_verified (annotation, info->verified);
  indices = bm_coco_get_image_annotations (self, image, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BmObject) object = bm_coco_make_object (self, indices[i]);

      bm_annotation_add_object (annotation, object);
    }
  return annotation;
}
