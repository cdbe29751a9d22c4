/* bm-coco-write.c: writing COCO instances JSON, keeping what a source file held.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-error.h"
#include "bm-coco-json.h"
#include "bm-coco-private.h"
#include "bm-text-util.h"

typedef struct
{
  BmCoco *source;
  GPtrArray *names;          /* category names in output order */
  GArray *ids;               /* gint64 */
  GPtrArray *nodes;          /* JsonNode * of source categories, NULL for new ones */
  GHashTable *by_name;       /* name → index + 1 */
  gint64 next_category;
  gint64 next_image;
  gint64 next_annotation;
  GString *images;           /* the "images" list's elements, one per line */
  GArray *annotations;       /* Entry: annotations sorted into the source's order at the end */
  guint64 major;             /* the sort key of the last annotation written */
  guint minor;
} Writer;

/* An annotation's text and where it goes: annotations from the source keep their order, each new
 * one follows the annotation written before it. */
typedef struct
{
  guint64 major;
  guint minor;
  char *text;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->text);
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;

  if (x->major != y->major)
    return x->major < y->major ? -1 : 1;
  return x->minor < y->minor ? -1 : x->minor > y->minor;
}

static void
add_entry (Writer *w, JsonNode *node, guint source_index)
{
  GString *text = g_string_new (NULL);
  Entry entry;

  if (source_index != G_MAXUINT)
    {
      w->major = source_index;
      w->minor = 0;
    }
  else
    w->minor++;
  bm_coco_json_append_node (text, node);
  entry = (Entry) { w->major, w->minor, g_string_free (text, FALSE) };
  g_array_append_val (w->annotations, entry);
}

static void
add_category (Writer *w, const char *name, gint64 id, JsonNode *node)
{
  if (g_hash_table_contains (w->by_name, name))
    return;
  g_ptr_array_add (w->names, g_strdup (name));
  g_array_append_val (w->ids, id);
  g_ptr_array_add (w->nodes, node);
  g_hash_table_insert (w->by_name, w->names->pdata[w->names->len - 1], GUINT_TO_POINTER (w->names->len));
}

static int
category_of (Writer *w, const char *name)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (w->by_name, name)) - 1;
}

static void
separate (GString *list)
{
  if (list->len > 0)
    g_string_append (list, ",\n");
}

static double
polygon_area (const BmShape *shape)
{
  double sum = 0;

  for (int i = 0; i < 4; i++)
    {
      const BmPoint *a = &shape->p[i], *b = &shape->p[(i + 1) % 4];
      sum += a->x * b->y - b->x * a->y;
    }
  return fabs (sum) / 2;
}

/* Members an object's state decides: set them on @object (a copy of the source's, or new). */
static void
set_geometry (JsonObject *object, BmObject *source, gint64 category_id, gboolean shape_changed)
{
  const BmShape *shape = bm_object_get_shape (source);
  BmRect r = bm_shape_bounds (shape);
  JsonArray *bbox = json_array_new ();
  int difficult = bm_object_get_difficult (source);

  json_array_add_double_element (bbox, r.x1);
  json_array_add_double_element (bbox, r.y1);
  json_array_add_double_element (bbox, r.x2 - r.x1);
  json_array_add_double_element (bbox, r.y2 - r.y1);
  json_object_set_int_member (object, "category_id", category_id);
  json_object_set_array_member (object, "bbox", bbox);
  json_object_set_double_member (object, "area", shape->kind == BM_SHAPE_BOX ? (r.x2 - r.x1) * (r.y2 - r.y1)
                                                                              : polygon_area (shape));
  json_object_set_int_member (object, "iscrowd", difficult != 0);
  if (difficult == 2)
    json_object_set_int_member (object, "difficult", 2);
  else
    json_object_remove_member (object, "difficult");
  if (shape_changed)
    {
      /* a mask drawn for the old shape no longer fits: the new outline instead */
      json_object_remove_member (object, "segmentation");
      json_object_remove_member (object, "bm_shape");
      if (shape->kind != BM_SHAPE_BOX)
        {
          JsonArray *polygons = json_array_new ();
          JsonArray *points = json_array_new ();

          for (int i = 0; i < 4; i++)
            {
              json_array_add_double_element (points, shape->p[i].x);
              json_array_add_double_element (points, shape->p[i].y);
            }
          json_array_add_array_element (polygons, points);
          json_object_set_array_member (object, "segmentation", polygons);
          if (shape->kind == BM_SHAPE_ROTATED)
            json_object_set_string_member (object, "bm_shape", "rotated");
        }
    }
  if (bm_object_has_score (source))
    json_object_set_double_member (object, "score", bm_object_get_score (source));
  else
    json_object_remove_member (object, "score");
  if (bm_object_get_truncated (source))
    json_object_set_int_member (object, "truncated", 1);
  else
    json_object_remove_member (object, "truncated");
  if (bm_object_get_occluded (source))
    json_object_set_int_member (object, "occluded", 1);
  else
    json_object_remove_member (object, "occluded");
  if (bm_object_get_n_attributes (source) > 0)
    {
      JsonObject *attributes = json_object_new ();

      for (guint i = 0; i < bm_object_get_n_attributes (source); i++)
        {
          const char *key, *value;

          bm_object_get_attribute_nth (source, i, &key, &value);
          json_object_set_string_member (attributes, key, value);
        }
      json_object_set_object_member (object, "attributes", attributes);
    }
  else
    json_object_remove_member (object, "attributes");
}

static void
append_annotation (Writer *w, gint64 image_id, BmObject *object, guint *used_origins)
{
  guint origin = bm_object_get_origin (object);
  int category = category_of (w, bm_object_get_label (object));
  gint64 category_id = g_array_index (w->ids, gint64, category);
  g_autoptr(JsonNode) node = NULL;

  if (w->source != NULL && origin >= 1 && origin <= w->source->annotations->len && used_origins[origin - 1] == 0)
    {
      g_autoptr(BmObject) original = bm_coco_make_object (w->source, origin - 1);
      JsonNode *source_node = w->source->annotation_nodes->pdata[origin - 1];
      const BmCocoImage *source_image = bm_coco_get_image (w->source, bm_coco_get_annotation (w->source, origin - 1)->image);

      used_origins[origin - 1] = 1;
      if (bm_object_content_equal (original, object) && source_image->id == image_id)
        {
          /* not edited: the annotation as it was, every member kept */
          add_entry (w, source_node, origin - 1);
          return;
        }
      node = json_node_copy (source_node);
      json_object_set_int_member (json_node_get_object (node), "image_id", image_id);
      set_geometry (json_node_get_object (node), object, category_id,
                    !bm_shape_equal (bm_object_get_shape (original), bm_object_get_shape (object)));
      add_entry (w, node, origin - 1);
      return;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, json_object_new ());
  json_object_set_int_member (json_node_get_object (node), "id", w->next_annotation++);
  json_object_set_int_member (json_node_get_object (node), "image_id", image_id);
  set_geometry (json_node_get_object (node), object, category_id, TRUE);
  add_entry (w, node, G_MAXUINT);
}

static void
append_image (Writer *w, const BmCocoWriteImage *image, gint64 *id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  gboolean verified = image->annotation != NULL && bm_annotation_get_verified (image->annotation);

  separate (w->images);
  if (w->source != NULL && image->source_image < w->source->images->len)
    {
      const BmCocoImage *info = bm_coco_get_image (w->source, image->source_image);
      JsonNode *source_node = w->source->image_nodes->pdata[image->source_image];

      *id = info->id;
      if (g_strcmp0 (info->file_name, image->file_name) == 0 && info->width == image->width
          && info->height == image->height && info->verified == verified)
        {
          bm_coco_json_append_node (w->images, source_node);
          return;
        }
      node = json_node_copy (source_node);
      object = json_node_get_object (node);
    }
  else
    {
      *id = w->next_image++;
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, object = json_object_new ());
      json_object_set_int_member (object, "id", *id);
    }
  json_object_set_string_member (object, "file_name", image->file_name);
  json_object_set_int_member (object, "width", image->width);
  json_object_set_int_member (object, "height", image->height);
  if (verified)
    json_object_set_boolean_member (object, "verified", TRUE);
  else
    json_object_remove_member (object, "verified");
  bm_coco_json_append_node (w->images, node);
}

static void
append_categories (Writer *w, GString *out)
{
  for (guint i = 0; i < w->names->len; i++)
    {
      if (i > 0)
        g_string_append (out, ",\n");
      if (w->nodes->pdata[i] != NULL)
        bm_coco_json_append_node (out, w->nodes->pdata[i]);
      else
        {
          g_string_append_printf (out, "{\"id\": %" G_GINT64_FORMAT ", \"name\": ", g_array_index (w->ids, gint64, i));
          bm_coco_json_append_string (out, w->names->pdata[i]);
          g_string_append_c (out, '}');
        }
    }
}

/* The annotations in order, one per line. */
static GString *
annotation_list (Writer *w)
{
  GString *list = g_string_new (NULL);

  g_array_sort (w->annotations, compare_entries);
  for (guint i = 0; i < w->annotations->len; i++)
    {
      separate (list);
      g_string_append (list, g_array_index (w->annotations, Entry, i).text);
    }
  return list;
}

typedef struct
{
  Writer *w;
  GString *out;
  GString *annotations;
  gboolean first;
  gboolean seen_images, seen_annotations, seen_categories;
} TopLevel;

static void
append_list (GString *out, const char *name, GString *elements, gboolean *first)
{
  g_string_append (out, *first ? "{" : ",\n");
  *first = FALSE;
  bm_coco_json_append_string (out, name);
  g_string_append (out, ": [");
  if (elements->len > 0)
    {
      g_string_append_c (out, '\n');
      g_string_append_len (out, elements->str, (gssize) elements->len);
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, ']');
}

static void
append_top_member (JsonObject *root, const char *name, JsonNode *node, gpointer user_data)
{
  TopLevel *top = user_data;
  g_autoptr(GString) categories = NULL;

  if (strcmp (name, "images") == 0)
    {
      append_list (top->out, name, top->w->images, &top->first);
      top->seen_images = TRUE;
    }
  else if (strcmp (name, "annotations") == 0)
    {
      append_list (top->out, name, top->annotations, &top->first);
      top->seen_annotations = TRUE;
    }
  else if (strcmp (name, "categories") == 0)
    {
      categories = g_string_new (NULL);
      append_categories (top->w, categories);
      append_list (top->out, name, categories, &top->first);
      top->seen_categories = TRUE;
    }
  else
    {
      g_string_append (top->out, top->first ? "{" : ",\n");
      top->first = FALSE;
      bm_coco_json_append_string (top->out, name);
      g_string_append (top->out, ": ");
      bm_coco_json_append_node (top->out, node);
    }
}

static gint64
largest_id (GArray *array, gsize size, gsize offset)
{
  gint64 largest = 0;

  for (guint i = 0; i < array->len; i++)
    largest = MAX (largest, *(const gint64 *) (array->data + i * size + offset));
  return largest;
}

char *
bm_coco_to_data (BmCoco *source, const BmCocoWriteImage *images, guint n_images, BmClassList *classes,
                 gboolean strict, gsize *length, GError **error)
{
  Writer w = { source };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint *used_origins = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);  /* by_name's keys */
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) image_list = g_string_new (NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr(GString) annotations = NULL;
  TopLevel top = { &w, out, NULL, TRUE, FALSE, FALSE, FALSE };

  w.names = names;
  w.ids = ids;
  w.nodes = nodes;
  w.by_name = by_name;
  w.images = image_list;
  g_array_set_clear_func (entries, (GDestroyNotify) entry_clear);
  w.annotations = entries;
  w.next_category = w.next_image = w.next_annotation = 1;
  if (source != NULL)
    {
      for (guint i = 0; i < source->categories->len; i++)
        {
          const BmCocoCategory *category = bm_coco_get_category (source, i);

          add_category (&w, category->name, category->id, source->category_nodes->pdata[i]);
        }
      w.next_category = largest_id (source->categories, sizeof (BmCocoCategory), G_STRUCT_OFFSET (BmCocoCategory, id)) + 1;
      w.next_image = largest_id (source->images, sizeof (BmCocoImage), G_STRUCT_OFFSET (BmCocoImage, id)) + 1;
      w.next_annotation = largest_id (source->annotations, sizeof (BmCocoAnnotation), G_STRUCT_OFFSET (BmCocoAnnotation, id)) + 1;
      used_origins = g_new0 (guint, MAX (source->annotations->len, 1));
    }
  for (guint i = 0; classes != NULL && i < bm_class_list_get_n (classes); i++)
    if (category_of (&w, bm_class_list_get_name (classes, i)) < 0)
      add_category (&w, bm_class_list_get_name (classes, i), w.next_category++, NULL);
  for (guint i = 0; i < n_images; i++)
    for (guint k = 0; images[i].annotation != NULL && k < bm_annotation_get_n_objects (images[i].annotation); k++)
      {
        const char *label = bm_object_get_label (bm_annotation_get_object (images[i].annotation, k));

        if (category_of (&w, label) >= 0)
          continue;
        if (strict)
          {
            g_autofree char *shown = bm_text_shown (label);

            g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: the label “%s” is no category of the class list"),
                         images[i].file_name, shown);
            return NULL;
          }
        add_category (&w, label, w.next_category++, NULL);
      }

  for (guint i = 0; i < n_images; i++)
    {
      gint64 image_id;

      append_image (&w, &images[i], &image_id);
      for (guint k = 0; images[i].annotation != NULL && k < bm_annotation_get_n_objects (images[i].annotation); k++)
        append_annotation (&w, image_id, bm_annotation_get_object (images[i].annotation, k), used_origins);
    }

  annotations = annotation_list (&w);
  top.annotations = annotations;
  if (source != NULL)
    json_object_foreach_member (json_node_get_object (source->root), append_top_member, &top);
  if (!top.seen_images)
    append_list (out, "images", w.images, &top.first);
  if (!top.seen_annotations)
    append_list (out, "annotations", annotations, &top.first);
  if (!top.seen_categories)
    {
      g_autoptr(GString) categories = g_string_new (NULL);

      append_categories (&w, categories);
      append_list (out, "categories", categories, &top.first);
    }
  g_string_append (out, "}\n");
  *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
