/* bm-synth.c: synthetic images, crops pasted onto backgrounds (the crops' manifest.csv is read
 * in bm-crop-manifest.c, the pasting in bm-synth-paste.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "core/bm-augment-rng.h"
#include "core/bm-error.h"
#include "core/bm-file-util.h"
#include "core/bm-parallel.h"
#include "core/bm-problem.h"
#include "formats/bm-dota.h"
#include "formats/bm-voc.h"
#include "formats/bm-yolo.h"
#include "bm-augment-export.h"
#include "bm-crop.h"
#include "bm-crop-encode.h"
#include "bm-crop-manifest.h"
#include "bm-synth.h"
#include "bm-synth-paste.h"

#define PLACEMENT_TRIES 100
/* Decoded, masked crops kept between images (each crop is pasted many times); dropped
 * wholesale when they exceed this many bytes. */
#define PATCH_CACHE_BYTES (256u << 20)
#define PLACEMENT_GAP 1.0      /* pixels between two pasted crops: their edge pixels never mix */

typedef struct
{
  char *relative;        /* below the objects folder, '/' between folders */
  char *path;
  guint klass;
  gboolean has_shape;    /* the manifest says where the object lies in the crop */
  BmShape shape;
} Crop;

struct _BmSynth
{
  BmSynthOptions options;
  char *objects_dir;
  GPtrArray *class_names;      /* char *, sorted */
  GArray *crops;               /* Crop */
  GPtrArray *class_crops;      /* GArray of guint per class: indices into crops */
  GPtrArray *backgrounds;      /* char *: paths */
  GPtrArray *background_names; /* char *: below the backgrounds folder */
  BmClassList *classes;        /* YOLO ids */
  GHashTable *class_ids;       /* class name → YOLO class name in classes (loose matches) */
  int name_digits;
};

void
bm_synth_options_init (BmSynthOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_images = 1;
  options->per_image[0] = 1;
  options->per_image[1] = 1;
  options->scale[0] = 1;
  options->scale[1] = 1;
  options->quality = 95;
  options->shard = BM_SHARD_ALL;
}

/* ---- the inputs ---- */

static int
compare_natural (gconstpointer a, gconstpointer b)
{
  return bm_natural_compare (*(const char **) a, *(const char **) b);
}

static int
compare_bytes (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Paths below @dir (relative, '/'), of images when @images else of folders, one level or all. */
static void
list_entries (const char *dir, const char *prefix, gboolean images, gboolean recursive, GPtrArray *out)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *relative = prefix != NULL ? g_strconcat (prefix, "/", name, NULL) : g_strdup (name);
      gboolean folder = g_file_test (path, G_FILE_TEST_IS_DIR);

      if (name[0] == '.')
        continue;
      if (folder && recursive)
        list_entries (path, relative, images, TRUE, out);
      else if (folder != images && (!images || bm_path_is_image (name)))
        g_ptr_array_add (out, g_steal_pointer (&relative));
    }
}

static void
crop_clear (gpointer data)
{
  Crop *crop = data;

  g_free (crop->relative);
  g_free (crop->path);
}

static guint
class_index (BmSynth *synth, GHashTable *index, const char *name)
{
  gpointer found;

  if (g_hash_table_lookup_extended (index, name, NULL, &found))
    return GPOINTER_TO_UINT (found);
  g_hash_table_insert (index, g_strdup (name), GUINT_TO_POINTER (synth->class_names->len));
  g_ptr_array_add (synth->class_names, g_strdup (name));
  return synth->class_names->len - 1;
}

static gboolean
load_objects (BmSynth *synth, const char *objects_dir, GPtrArray *problems, GError **error)
{
  g_autoptr(GHashTable) manifest = bm_crop_manifest_read (objects_dir, problems);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) sorted = NULL;
  g_autofree guint *renumber = NULL;

  list_entries (objects_dir, NULL, FALSE, FALSE, folders);
  g_ptr_array_sort (folders, compare_bytes);
  for (guint f = 0; f < folders->len; f++)
    {
      const char *folder = folders->pdata[f];
      g_autofree char *folder_path = g_build_filename (objects_dir, folder, NULL);
      g_autofree char *decoded = bm_crop_class_from_folder (folder);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

      list_entries (folder_path, folder, TRUE, FALSE, files);
      g_ptr_array_sort (files, compare_natural);
      for (guint i = 0; i < files->len; i++)
        {
          const BmCropManifestRow *row = g_hash_table_lookup (manifest, files->pdata[i]);
          Crop crop = { 0 };

          crop.relative = g_strdup (files->pdata[i]);
          crop.path = g_build_filename (objects_dir, crop.relative, NULL);
          /* the manifest has the class name whole, the folder maybe cut */
          crop.klass = class_index (synth, index, row != NULL ? row->class_name : decoded);
          if (row != NULL && (int) row->kind >= 0)
            {
              crop.has_shape = TRUE;
              crop.shape = row->shape;
            }
          g_array_append_val (synth->crops, crop);
        }
    }
  if (synth->crops->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND,
                   _("%s holds no objects: give a folder with a subfolder of images per class, as boxmark-cli crop writes"),
                   objects_dir);
      return FALSE;
    }

  /* classes sorted by name, so the YOLO ids and the draws do not depend on folder names */
  sorted = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < synth->class_names->len; c++)
    g_ptr_array_add (sorted, g_strdup (synth->class_names->pdata[c]));
  g_ptr_array_sort (sorted, compare_bytes);
  renumber = g_new (guint, synth->class_names->len);
  for (guint c = 0; c < synth->class_names->len; c++)
    for (guint s = 0; s < sorted->len; s++)
      if (strcmp (synth->class_names->pdata[c], sorted->pdata[s]) == 0)
        renumber[c] = s;
  g_ptr_array_unref (synth->class_names);
  synth->class_names = g_steal_pointer (&sorted);
  for (guint c = 0; c < synth->class_names->len; c++)
    g_ptr_array_add (synth->class_crops, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint i = 0; i < synth->crops->len; i++)
    {
      Crop *crop = &g_array_index (synth->crops, Crop, i);

      crop->klass = renumber[crop->klass];
      g_array_append_val (synth->class_crops->pdata[crop->klass], i);
    }
  return TRUE;
}

static gboolean
resolve_classes (BmSynth *synth, BmClassList *given, GError **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);

  if (synth->options.format != BM_SYNTH_YOLO && synth->options.format != BM_SYNTH_YOLO_OBB)
    return TRUE;
  synth->class_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (given == NULL)
    {
      synth->classes = bm_class_list_new ();
      for (guint c = 0; c < synth->class_names->len; c++)
        bm_class_list_add (synth->classes, synth->class_names->pdata[c]);
      return TRUE;
    }
  synth->classes = bm_class_list_ref (given);
  for (guint c = 0; c < synth->class_names->len; c++)
    {
      const char *name = synth->class_names->pdata[c];
      int id = bm_class_list_find (synth->classes, name);

      if (id < 0)
        id = bm_class_list_find_loose (synth->classes, name);
      if (id < 0)
        g_string_append_printf (missing, " “%s”", name);
      else
        g_hash_table_insert (synth->class_ids, g_strdup (name), g_strdup (bm_class_list_get_name (synth->classes, (guint) id)));
    }
  if (missing->len == 0)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s lacks the classes%s; add them (ids are never re-numbered silently)"),
               bm_class_list_get_path (synth->classes) ? bm_class_list_get_path (synth->classes) : _("the class list"),
               missing->str);
  return FALSE;
}

BmSynth *
bm_synth_new (const char            *objects_dir,
              const char            *backgrounds_dir,
              const BmSynthOptions  *options,
              GPtrArray             *problems,
              GError               **error)
{
  g_autoptr(BmSynth) synth = NULL;
  g_autoptr(GPtrArray) own_problems = NULL;

  g_return_val_if_fail (objects_dir != NULL && backgrounds_dir != NULL && options != NULL, NULL);

  if (problems == NULL)
    problems = own_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bm_problem_free);
  synth = g_new0 (BmSynth, 1);
  synth->options = *options;
  /* the list in use is synth->classes */
  synth->options.classes = NULL;
  synth->objects_dir = g_strdup (objects_dir);
  synth->class_names = g_ptr_array_new_with_free_func (g_free);
  synth->crops = g_array_new (FALSE, TRUE, sizeof (Crop));
  g_array_set_clear_func (synth->crops, crop_clear);
  synth->class_crops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  synth->backgrounds = g_ptr_array_new_with_free_func (g_free);
  synth->background_names = g_ptr_array_new_with_free_func (g_free);
  for (guint n = MAX (options->n_images, 1) - 1, digits = 1; ; n /= 10, digits++)
    if (n < 10)
      {
        synth->name_digits = (int) MAX (6, digits);
        break;
      }

  if (!g_file_test (objects_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such folder"), objects_dir);
      return NULL;
    }
  if (!g_file_test (backgrounds_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s: no such folder"), backgrounds_dir);
      return NULL;
    }
  if (!load_objects (synth, objects_dir, problems, error))
    return NULL;
  list_entries (backgrounds_dir, NULL, TRUE, TRUE, synth->background_names);
  g_ptr_array_sort (synth->background_names, compare_natural);
  for (guint i = 0; i < synth->background_names->len; i++)
    g_ptr_array_add (synth->backgrounds, g_build_filename (backgrounds_dir, synth->background_names->pdata[i], NULL));
  if (synth->backgrounds->len == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_NOT_FOUND, _("%s holds no images to paste on"), backgrounds_dir);
      return NULL;
    }
  if (!resolve_classes (synth, options->classes, error))
    return NULL;
  return g_steal_pointer (&synth);
}

void
bm_synth_free (BmSynth *synth)
{
  if (synth == NULL)
    return;
  g_free (synth->objects_dir);
  g_ptr_array_unref (synth->class_names);
  g_array_unref (synth->crops);
  g_ptr_array_unref (synth->class_crops);
  g_ptr_array_unref (synth->backgrounds);
  g_ptr_array_unref (synth->background_names);
  g_clear_pointer (&synth->classes, bm_class_list_unref);
  g_clear_pointer (&synth->class_ids, g_hash_table_unref);
  g_free (synth);
}

guint
bm_synth_get_n_classes (BmSynth *synth)
{
  g_return_val_if_fail (synth != NULL, 0);
  return synth->class_names->len;
}

const char *
bm_synth_get_class_name (BmSynth *synth,
                         guint    klass)
{
  g_return_val_if_fail (synth != NULL && klass < synth->class_names->len, NULL);
  return synth->class_names->pdata[klass];
}

guint
bm_synth_get_class_crops (BmSynth *synth,
                          guint    klass)
{
  g_return_val_if_fail (synth != NULL && klass < synth->class_names->len, 0);
  return ((GArray *) synth->class_crops->pdata[klass])->len;
}

guint
bm_synth_get_n_backgrounds (BmSynth *synth)
{
  g_return_val_if_fail (synth != NULL, 0);
  return synth->backgrounds->len;
}

BmClassList *
bm_synth_get_class_list (BmSynth *synth)
{
  g_return_val_if_fail (synth != NULL, NULL);
  return synth->classes;
}

char *
bm_synth_image_name (BmSynth *synth,
                     guint    index)
{
  g_return_val_if_fail (synth != NULL, NULL);
  return g_strdup_printf ("synth_%0*u", synth->name_digits, index);
}

/* ---- output files ---- */

static const char *
image_folder (BmSynthFormat format)
{
  return format == BM_SYNTH_VOC ? "JPEGImages" : "images";
}

static const char *
label_folder (BmSynthFormat format)
{
  return format == BM_SYNTH_VOC ? "Annotations" : format == BM_SYNTH_DOTA ? "labelTxt" : "labels";
}

static gboolean
is_yolo (BmSynthFormat format)
{
  return format == BM_SYNTH_YOLO || format == BM_SYNTH_YOLO_OBB;
}

static const char *
image_extension (BmSynth *synth, const char *background)
{
  g_autofree char *ext = NULL;

  if (synth->options.image_format != NULL)
    return g_ascii_strcasecmp (synth->options.image_format, "png") == 0 ? "png" : "jpg";
  ext = bm_path_get_extension (background);
  return strcmp (ext, "jpg") == 0 || strcmp (ext, "jpeg") == 0 ? "jpg" : "png";
}

typedef struct
{
  char *image;
  char *labels;
  char *sidecar;
} OutputPaths;

static void
output_paths_clear (OutputPaths *paths)
{
  g_free (paths->image);
  g_free (paths->labels);
  g_free (paths->sidecar);
}

/* The background an image is drawn on comes first from its generator: the paths (and so the
 * image's extension) are known without making it. */
static void
output_paths (BmSynth *synth, const char *out_dir, guint index, OutputPaths *paths)
{
  g_autofree char *name = bm_synth_image_name (synth, index);
  g_autofree char *image = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *sidecar = NULL;
  BmAugmentRng rng;
  guint background;

  bm_augment_rng_init (&rng, bm_augment_export_sample_seed (synth->options.seed, index, 0));
  background = (guint) bm_augment_rng_int (&rng, 0, (int) synth->backgrounds->len);
  image = g_strdup_printf ("%s.%s", name, image_extension (synth, synth->backgrounds->pdata[background]));
  labels = g_strdup_printf ("%s.%s", name, synth->options.format == BM_SYNTH_VOC ? "xml" : "txt");
  sidecar = g_strdup_printf ("%s.synth.txt", name);
  paths->image = g_build_filename (out_dir, image_folder (synth->options.format), image, NULL);
  paths->labels = g_build_filename (out_dir, label_folder (synth->options.format), labels, NULL);
  paths->sidecar = g_build_filename (out_dir, BM_SYNTH_SIDECAR_DIR, sidecar, NULL);
}

static gboolean
in_shard (BmSynth *synth, guint index)
{
  g_autofree char *name = NULL;

  if (bm_shard_is_all (&synth->options.shard))
    return TRUE;
  name = bm_synth_image_name (synth, index);
  return bm_shard_contains_path (&synth->options.shard, name);
}

static gboolean
file_has_bytes (const char *path, const char *data, gsize length)
{
  g_autofree char *contents = NULL;
  gsize n;

  return g_file_get_contents (path, &contents, &n, NULL) && n == length && memcmp (contents, data, n) == 0;
}

typedef struct
{
  char *path;
  char *text;
} ClassFile;

static GArray *
class_files (BmSynth *synth, const char *out_dir)
{
  GArray *files = g_array_new (FALSE, FALSE, sizeof (ClassFile));
  g_autofree char *absolute = NULL;
  ClassFile file;

  if (!is_yolo (synth->options.format))
    return files;
  absolute = g_canonicalize_filename (out_dir, NULL);
  file.path = g_build_filename (out_dir, "data.yaml", NULL);
  file.text = bm_class_list_to_yaml (synth->classes, absolute, "images", "images");
  g_array_append_val (files, file);
  file.path = g_build_filename (out_dir, "classes.txt", NULL);
  file.text = bm_class_list_to_txt (synth->classes);
  g_array_append_val (files, file);
  return files;
}

static void
class_files_free (GArray *files)
{
  for (guint i = 0; i < files->len; i++)
    {
      g_free (g_array_index (files, ClassFile, i).path);
      g_free (g_array_index (files, ClassFile, i).text);
    }
  g_array_unref (files);
}

GPtrArray *
bm_synth_find_existing (BmSynth    *synth,
                        const char *out_dir)
{
  GPtrArray *existing = g_ptr_array_new_with_free_func (g_free);
  GArray *files;

  g_return_val_if_fail (synth != NULL && out_dir != NULL, existing);

  for (guint i = 0; i < synth->options.n_images; i++)
    {
      OutputPaths paths = { 0 };

      if (!in_shard (synth, i))
        continue;
      output_paths (synth, out_dir, i, &paths);
      for (int k = 0; k < 3; k++)
        {
          char *path = k == 0 ? paths.image : k == 1 ? paths.labels : paths.sidecar;

          if (g_file_test (path, G_FILE_TEST_EXISTS))
            g_ptr_array_add (existing, g_strdup (path));
        }
      output_paths_clear (&paths);
    }
  files = class_files (synth, out_dir);
  for (guint i = 0; i < files->len; i++)
    {
      const ClassFile *file = &g_array_index (files, ClassFile, i);

      if (g_file_test (file->path, G_FILE_TEST_EXISTS) && !file_has_bytes (file->path, file->text, strlen (file->text)))
        g_ptr_array_add (existing, g_strdup (file->path));
    }
  class_files_free (files);
  return existing;
}

/* ---- making one image ---- */

typedef struct
{
  guint crop;
  double scale;
  double degrees;
  gboolean placed;
  BmAffine placement;
  BmShape shape;          /* the label on the canvas */
} Placement;

static void
append_number (GString *out, const char *key, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, " %s=%s", key, g_ascii_formatd (buffer, sizeof buffer, "%.10g", value == 0 ? 0 : value));
}

static void
append_quoted (GString *out, const char *key, const char *value)
{
  g_autofree char *escaped = g_strescape (value, NULL);

  g_string_append_printf (out, " %s=\"%s\"", key, escaped);
}

static char *
sidecar_text (BmSynth *synth, guint index, guint64 image_seed, guint background, int width, int height,
              GArray *placements)
{
  GString *out = g_string_new ("# boxmark-cli synth: how this image was made (angles in degrees, counter-clockwise)\n");

  g_string_append_printf (out, "seed %" G_GUINT64_FORMAT "\nimage %u\nimage-seed %" G_GUINT64_FORMAT "\n",
                          synth->options.seed, index, image_seed);
  g_string_append (out, "background");
  append_quoted (out, "file", synth->background_names->pdata[background]);
  g_string_append_printf (out, " width=%d height=%d\n", width, height);
  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *p = &g_array_index (placements, Placement, i);
      const Crop *crop = &g_array_index (synth->crops, Crop, p->crop);

      g_string_append (out, p->placed ? "object" : "not-placed");
      append_quoted (out, "class", synth->class_names->pdata[crop->klass]);
      append_quoted (out, "crop", crop->relative);
      append_number (out, "scale", p->scale);
      append_number (out, "angle", p->degrees);
      if (p->placed)
        {
          BmPoint centre = bm_affine_apply (&p->placement, (BmPoint) { 0, 0 });

          /* the crop's top-left corner on the canvas, then the label's corners */
          append_number (out, "x", centre.x);
          append_number (out, "y", centre.y);
          g_string_append_printf (out, " shape=%s points=", bm_shape_kind_to_string (p->shape.kind));
          for (int k = 0; k < 4; k++)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append_printf (out, k == 0 ? "%s" : ",%s",
                                      g_ascii_formatd (buffer, sizeof buffer, "%.10g", p->shape.p[k].x + 0.0));
              g_string_append_printf (out, ",%s", g_ascii_formatd (buffer, sizeof buffer, "%.10g", p->shape.p[k].y + 0.0));
            }
        }
      else
        g_string_append (out, " reason=no-room");
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Where the object lies in the crop: from the manifest, else the visible part of the crop. */
static BmShape
object_in_crop (const Crop *crop, const BmSynthPatch *patch)
{
  BmShape shape;

  if (crop->has_shape)
    return crop->shape;
  bm_shape_init_box (&shape, patch->visible.x1, patch->visible.y1, patch->visible.x2, patch->visible.y2);
  return shape;
}

/* Labels to the hundredth of a pixel: finer is noise, and "181.88826935199933" helps nobody. */
static double
hundredths (double value)
{
  return round (value * 100) / 100;
}

static BmShape
moved_shape (const BmShape *in_crop, const BmAffine *placement, double degrees)
{
  BmShape shape = *in_crop;

  for (int k = 0; k < 4; k++)
    {
      BmPoint p = bm_affine_apply (placement, in_crop->p[k]);

      shape.p[k].x = hundredths (p.x) + 0.0;
      shape.p[k].y = hundredths (p.y) + 0.0;
    }
  if (shape.kind == BM_SHAPE_BOX && degrees != 0)
    shape.kind = BM_SHAPE_ROTATED;
  return shape;
}

/* Chooses where @patch goes: a free spot on the canvas, or FALSE after PLACEMENT_TRIES. */
/* @quad → its enclosing box, as four corners. */
static void
enclose (BmPoint quad[4])
{
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;

  for (int i = 0; i < 4; i++)
    {
      x1 = MIN (x1, quad[i].x);
      y1 = MIN (y1, quad[i].y);
      x2 = MAX (x2, quad[i].x);
      y2 = MAX (y2, quad[i].y);
    }
  quad[0] = (BmPoint) { x1, y1 };
  quad[1] = (BmPoint) { x2, y1 };
  quad[2] = (BmPoint) { x2, y2 };
  quad[3] = (BmPoint) { x1, y2 };
}

/* @enclosing: the format's readers take each object's enclosing box (YOLO detect rows, VOC's
 * <bndbox>), so those must not overlap, not only the turned outlines. */
static gboolean
place (BmAugmentRng *rng, const BmSynthPatch *patch, double scale, double degrees, int width, int height,
       gboolean enclosing, GPtrArray *footprints, BmAffine *placement)
{
  /* unturned crops get whole-pixel sizes and positions: their boxes stay whole numbers */
  gboolean level = degrees == 0;
  double out_w = level ? MAX (round (patch->width * scale), 1) : patch->width * scale;
  double out_h = level ? MAX (round (patch->height * scale), 1) : patch->height * scale;
  BmAffine at_origin = bm_synth_placement (patch->width, patch->height, out_w, out_h, degrees, 0, 0);
  BmPoint corners[4];
  double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;

  bm_synth_footprint (patch, &at_origin, corners);
  for (int i = 0; i < 4; i++)
    {
      x1 = MIN (x1, corners[i].x);
      y1 = MIN (y1, corners[i].y);
      x2 = MAX (x2, corners[i].x);
      y2 = MAX (y2, corners[i].y);
    }
  if (x2 - x1 > width || y2 - y1 > height)
    return FALSE;
  for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++)
    {
      double cx, cy;
      BmPoint *footprint = g_new (BmPoint, 4);
      gboolean clear = TRUE;

      if (level)
        {
          cx = bm_augment_rng_int (rng, 0, (int) (width - out_w) + 1) + out_w / 2;
          cy = bm_augment_rng_int (rng, 0, (int) (height - out_h) + 1) + out_h / 2;
        }
      else
        {
          cx = bm_augment_rng_uniform (rng, -x1, width - x2);
          cy = bm_augment_rng_uniform (rng, -y1, height - y2);
        }
      *placement = bm_synth_placement (patch->width, patch->height, out_w, out_h, degrees, cx, cy);
      bm_synth_footprint (patch, placement, footprint);
      if (enclosing)
        enclose (footprint);
      for (guint i = 0; i < footprints->len && clear; i++)
        clear = !bm_synth_quads_touch (footprint, footprints->pdata[i], PLACEMENT_GAP);
      if (clear)
        {
          g_ptr_array_add (footprints, footprint);
          return TRUE;
        }
      g_free (footprint);
    }
  return FALSE;
}

static char *
labels_text (BmSynth *synth, BmAnnotation *annotation, GHashTable *renamed, gsize *length, GError **error)
{
  switch (synth->options.format)
    {
    case BM_SYNTH_VOC:
      return bm_voc_to_data (annotation, length, error);
    case BM_SYNTH_DOTA:
      bm_dota_hyphenate_labels (annotation, renamed);
      return bm_dota_to_data (annotation, length, error);
    default:
      for (guint i = 0; i < bm_annotation_get_n_objects (annotation); i++)
        {
          BmObject *object = bm_annotation_get_object (annotation, i);
          const char *name = g_hash_table_lookup (synth->class_ids, bm_object_get_label (object));

          if (name != NULL)
            bm_object_set_label (object, name);
        }
      /* every object lies on the canvas: nothing is clipped or left out */
      return bm_yolo_to_data (annotation, synth->classes, bm_annotation_get_width (annotation),
                              bm_annotation_get_height (annotation),
                              synth->options.format == BM_SYNTH_YOLO_OBB ? BM_YOLO_OBB : BM_YOLO_DETECT, FALSE,
                              NULL, NULL, length, error);
    }
}

typedef struct
{
  BmSynth *synth;
  const char *out_dir;
  GArray *todo;
  GPtrArray *problems;
  GMutex lock;
  GError *error;
  gint n_images, n_objects, n_not_placed, n_failed;
  GHashTable *patches;     /* crop index → BmSynthPatch, under lock */
  gsize patch_bytes;
} RunJob;

/* The crop ready to paste, from the cache or decoded now (outside the lock). */
static BmSynthPatch *
get_patch (RunJob *job, guint index, GError **error)
{
  const Crop *crop = &g_array_index (job->synth->crops, Crop, index);
  g_autoptr(BmImage) image = NULL;
  BmSynthPatch *patch;

  g_mutex_lock (&job->lock);
  patch = g_hash_table_lookup (job->patches, GUINT_TO_POINTER (index));
  if (patch != NULL)
    bm_synth_patch_ref (patch);
  g_mutex_unlock (&job->lock);
  if (patch != NULL)
    return patch;

  image = bm_image_load (crop->path, error);
  if (image == NULL)
    return NULL;
  patch = bm_synth_patch_new (image, job->synth->options.feather);
  g_mutex_lock (&job->lock);
  if (job->patch_bytes > PATCH_CACHE_BYTES)
    {
      g_hash_table_remove_all (job->patches);
      job->patch_bytes = 0;
    }
  if (!g_hash_table_contains (job->patches, GUINT_TO_POINTER (index)))
    {
      g_hash_table_insert (job->patches, GUINT_TO_POINTER (index), bm_synth_patch_ref (patch));
      job->patch_bytes += (gsize) patch->width * patch->height * 4;
    }
  g_mutex_unlock (&job->lock);
  return patch;
}

static void
job_problem (RunJob *job, const char *file, const char *message)
{
  g_mutex_lock (&job->lock);
  if (job->problems != NULL)
    g_ptr_array_add (job->problems, bm_crop_problem_new (file, message));
  job->n_failed++;
  g_mutex_unlock (&job->lock);
}

static void
job_fail (RunJob *job, GError *error)
{
  g_mutex_lock (&job->lock);
  if (job->error == NULL)
    job->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&job->lock);
}

static gboolean
write_image (RunJob *job, guint index, const OutputPaths *paths, BmImage *canvas, GArray *placements,
             const char *sidecar, GError **error)
{
  BmSynth *synth = job->synth;
  g_autoptr(BmAnnotation) annotation = bm_annotation_new ();
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *labels = NULL;
  gsize length = 0;

  bm_annotation_set_image_path (annotation, paths->image);
  bm_annotation_set_label_path (annotation, paths->labels);
  bm_annotation_set_size (annotation, canvas->width, canvas->height, canvas->channels);
  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *p = &g_array_index (placements, Placement, i);
      const Crop *crop = &g_array_index (synth->crops, Crop, p->crop);
      g_autoptr(BmObject) object = NULL;

      if (!p->placed)
        continue;
      object = bm_object_new (synth->class_names->pdata[crop->klass], &p->shape);
      bm_annotation_add_object (annotation, object);
    }
  /* labels first: a label that cannot be made leaves no image without labels behind */
  labels = labels_text (synth, annotation, renamed, &length, error);
  return labels != NULL
         && bm_crop_save_image (canvas, paths->image, synth->options.quality, error)
         && bm_file_write_atomic (paths->labels, labels, length, error)
         && bm_file_write_atomic (paths->sidecar, sidecar, strlen (sidecar), error);
}

static void
make_image (guint position, gpointer user_data)
{
  RunJob *job = user_data;
  BmSynth *synth = job->synth;
  guint index = g_array_index (job->todo, guint, position);
  guint64 image_seed = bm_augment_export_sample_seed (synth->options.seed, index, 0);
  g_autoptr(GArray) placements = g_array_new (FALSE, TRUE, sizeof (Placement));
  g_autoptr(GPtrArray) footprints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BmImage) loaded = NULL;
  g_autoptr(BmImage) canvas = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sidecar = NULL;
  OutputPaths paths = { 0 };
  BmAugmentRng rng;
  guint background, count;
  gint placed = 0, not_placed = 0;

  g_mutex_lock (&job->lock);
  if (job->error != NULL)
    {
      g_mutex_unlock (&job->lock);
      return;
    }
  g_mutex_unlock (&job->lock);

  /* the first draw is the background, as output_paths draws it */
  bm_augment_rng_init (&rng, image_seed);
  background = (guint) bm_augment_rng_int (&rng, 0, (int) synth->backgrounds->len);
  count = (guint) bm_augment_rng_int (&rng, (int) synth->options.per_image[0], (int) synth->options.per_image[1] + 1);
  loaded = bm_image_load (synth->backgrounds->pdata[background], &error);
  if (loaded == NULL)
    {
      job_problem (job, synth->backgrounds->pdata[background], error->message);
      return;
    }
  canvas = bm_image_convert (loaded, 3);

  for (guint k = 0; k < count; k++)
    {
      Placement p = { 0 };
      guint klass = (guint) bm_augment_rng_int (&rng, 0, (int) synth->class_names->len);
      GArray *of_class = synth->class_crops->pdata[klass];
      const Crop *crop;
      g_autoptr(BmSynthPatch) patch = NULL;

      p.crop = g_array_index (of_class, guint, bm_augment_rng_int (&rng, 0, (int) of_class->len));
      p.scale = synth->options.scale[0] == synth->options.scale[1]
                ? synth->options.scale[0] : bm_augment_rng_uniform (&rng, synth->options.scale[0], synth->options.scale[1]);
      p.degrees = synth->options.rotate > 0 ? bm_augment_rng_uniform (&rng, -synth->options.rotate, synth->options.rotate) : 0;
      crop = &g_array_index (synth->crops, Crop, p.crop);
      patch = get_patch (job, p.crop, &error);
      if (patch == NULL)
        {
          job_problem (job, crop->path, error->message);
          return;
        }
      if (!patch->empty && place (&rng, patch, p.scale, p.degrees, canvas->width, canvas->height,
                                  synth->options.format == BM_SYNTH_VOC || synth->options.format == BM_SYNTH_YOLO,
                                  footprints, &p.placement))
        {
          BmShape in_crop = object_in_crop (crop, patch);

          p.placed = TRUE;
          p.shape = moved_shape (&in_crop, &p.placement, p.degrees);
          bm_synth_paste (patch, &p.placement, canvas);
          placed++;
        }
      else
        not_placed++;
      g_array_append_val (placements, p);
    }

  output_paths (synth, job->out_dir, index, &paths);
  sidecar = sidecar_text (synth, index, image_seed, background, canvas->width, canvas->height, placements);
  if (!write_image (job, index, &paths, canvas, placements, sidecar, &error))
    job_fail (job, g_steal_pointer (&error));
  else
    {
      g_atomic_int_inc (&job->n_images);
      g_atomic_int_add (&job->n_objects, placed);
      g_atomic_int_add (&job->n_not_placed, not_placed);
    }
  output_paths_clear (&paths);
}

static gboolean
make_folder (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0777) == 0)
    return TRUE;
  {
    int saved = errno;

    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot create the folder: %s"), path, g_strerror (saved));
  }
  return FALSE;
}

gboolean
bm_synth_run (BmSynth        *synth,
              const char     *out_dir,
              guint           n_threads,
              GPtrArray      *problems,
              BmSynthReport  *report,
              GError        **error)
{
  RunJob job = { synth, out_dir, NULL, problems };
  const char *folders[] = { image_folder (synth->options.format), label_folder (synth->options.format), BM_SYNTH_SIDECAR_DIR };
  GArray *files;

  g_return_val_if_fail (synth != NULL && out_dir != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (out_dir, folders[i], NULL);

      if (!make_folder (path, error))
        return FALSE;
    }
  /* per-dataset files: every shard writes the same bytes */
  files = class_files (synth, out_dir);
  for (guint i = 0; i < files->len; i++)
    {
      const ClassFile *file = &g_array_index (files, ClassFile, i);

      if (!file_has_bytes (file->path, file->text, strlen (file->text))
          && !bm_file_write_atomic (file->path, file->text, strlen (file->text), error))
        {
          class_files_free (files);
          return FALSE;
        }
    }
  class_files_free (files);

  job.todo = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < synth->options.n_images; i++)
    if (in_shard (synth, i))
      g_array_append_val (job.todo, i);
  g_mutex_init (&job.lock);
  job.patches = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) bm_synth_patch_unref);
  bm_parallel_for (job.todo->len, n_threads, make_image, &job);
  g_hash_table_unref (job.patches);
  g_mutex_clear (&job.lock);
  g_array_unref (job.todo);
  if (report != NULL)
    {
      report->n_images = (guint) job.n_images;
      report->n_objects = (guint) job.n_objects;
      report->n_not_placed = (guint) job.n_not_placed;
      report->n_failed = (guint) job.n_failed;
    }
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  return TRUE;
}
