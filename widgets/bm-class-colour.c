/* bm-class-colour.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-class-colour.h"

#include <math.h>
#include <gtk/gtk.h>

/* Chosen by a max-min search over sRGB for the largest smallest CIEDE2000 difference (18.4)
 * among colours of relative luminance 0.15..0.55 (WCAG contrast at least 4:1 against black and
 * 1.7:1 against white; the canvas's dark halo does the rest on light ground) and CIELAB chroma
 * of at least 40, so none is a grey lost in aerial images. Then ordered greedily, each colour the
 * farthest from those before it, so a dataset with few classes gets the most different ones.
 * tests/test-class-colour.c checks these properties. */
static const guint32 palette[] = {
  0xff5800, 0x40e000, 0x08b8f8, 0xc000c8, 0x787000, 0xe8b0f8, 0x009070, 0xffb000,
  0x0078b8, 0xff2050, 0xc8c800, 0xff98a8, 0xffb088, 0xb87820, 0x5850ff, 0x9878c0,
  0x00d8a0, 0x90a8ff, 0x00d8e0, 0x288000, 0x88a860, 0xa85840, 0xb04870, 0xff50c0,
};

/* Labels outside the order: the lightness range of the palette, and how far from the colours in
 * use a candidate must be to be taken at once. */
#define UNKNOWN_L_MIN        52.0
#define UNKNOWN_L_RANGE      22.0
#define UNKNOWN_CHROMA       70.0
#define UNKNOWN_MIN_DISTANCE 12.0
#define UNKNOWN_CANDIDATES   32

typedef struct
{
  GdkRGBA rgba;
  double lab[3];
} Colour;

/* One order for the process: every caller asks by label alone. */
G_LOCK_DEFINE_STATIC (state);
static GPtrArray *order_labels;     /* char *, the order as given */
static GArray *order_colours;       /* Colour, one per entry of order_labels */
static GHashTable *order_index;     /* label → position + 1 (first occurrence) */
/* label → Colour *: every colour handed out since the order was last replaced. A class keeps
 * its colour for the session: a label drawn before it joined the order (a detector's "face",
 * then the folder scan meets it in a file) keeps the colour it was drawn in, and a class joining
 * the order never moves the colour of a label outside it. */
static GHashTable *given;

static GPtrArray *followed;         /* BmClassCatalog *, weak */
static BmClassCatalog *leading;     /* the followed catalog whose order is in use */

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
linear_to_srgb (double c)
{
  return c <= 0.0031308 ? c * 12.92 : 1.055 * pow (c, 1.0 / 2.4) - 0.055;
}

/* D65 white of sRGB */
static const double white[3] = { 0.95047, 1.0, 1.08883 };

static double
lab_f (double t)
{
  return t > 216.0 / 24389.0 ? cbrt (t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
}

static double
lab_f_inverse (double f)
{
  return f * f * f > 216.0 / 24389.0 ? f * f * f : (116.0 * f - 16.0) / (24389.0 / 27.0);
}

void
bm_class_colour_to_lab (const GdkRGBA *colour,
                        double         lab[3])
{
  double r, g, b, fx, fy, fz;

  g_return_if_fail (colour != NULL);

  r = srgb_to_linear (colour->red);
  g = srgb_to_linear (colour->green);
  b = srgb_to_linear (colour->blue);
  fx = lab_f ((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / white[0]);
  fy = lab_f ((0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / white[1]);
  fz = lab_f ((0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / white[2]);
  lab[0] = 116.0 * fy - 16.0;
  lab[1] = 500.0 * (fx - fy);
  lab[2] = 200.0 * (fy - fz);
}

/* FALSE when @lab is outside sRGB. */
static gboolean
lab_to_rgba (const double lab[3], GdkRGBA *colour)
{
  double fy = (lab[0] + 16.0) / 116.0;
  double x = white[0] * lab_f_inverse (fy + lab[1] / 500.0);
  double y = white[1] * lab_f_inverse (fy);
  double z = white[2] * lab_f_inverse (fy - lab[2] / 200.0);
  double linear[3] = {
     3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
    -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
     0.0556434 * x - 0.2040259 * y + 1.0572252 * z,
  };
  double rgb[3];

  for (int i = 0; i < 3; i++)
    {
      if (linear[i] < -1e-9 || linear[i] > 1.0 + 1e-9)
        return FALSE;
      /* whole 8-bit steps, like the palette */
      rgb[i] = round (linear_to_srgb (CLAMP (linear[i], 0.0, 1.0)) * 255.0) / 255.0;
    }
  *colour = (GdkRGBA) { rgb[0], rgb[1], rgb[2], 1.0 };
  return TRUE;
}

static double
degrees (double radians)
{
  return radians * 180.0 / G_PI;
}

static double
radians (double degrees)
{
  return degrees * G_PI / 180.0;
}

static double
hue_degrees (double b, double a)
{
  double h;

  if (a == 0.0 && b == 0.0)
    return 0.0;
  h = degrees (atan2 (b, a));
  return h < 0.0 ? h + 360.0 : h;
}

/* Sharma, Wu and Dalal, "The CIEDE2000 color-difference formula" (2005), with kL = kC = kH = 1. */
double
bm_class_colour_difference (const double lab1[3],
                            const double lab2[3])
{
  double c1 = hypot (lab1[1], lab1[2]), c2 = hypot (lab2[1], lab2[2]);
  double c_mean7 = pow ((c1 + c2) / 2.0, 7.0);
  double g = 0.5 * (1.0 - sqrt (c_mean7 / (c_mean7 + pow (25.0, 7.0))));
  double a1 = (1.0 + g) * lab1[1], a2 = (1.0 + g) * lab2[1];
  double cp1 = hypot (a1, lab1[2]), cp2 = hypot (a2, lab2[2]);
  double hp1 = hue_degrees (lab1[2], a1), hp2 = hue_degrees (lab2[2], a2);
  double dl = lab2[0] - lab1[0], dc = cp2 - cp1, dh = 0.0, hp_mean = hp1 + hp2;
  double l_mean, cp_mean, cp_mean7, t, theta, rc, sl, sc, sh, rt, dhh;

  if (cp1 * cp2 != 0.0)
    {
      dh = hp2 - hp1;
      if (dh > 180.0)
        dh -= 360.0;
      else if (dh < -180.0)
        dh += 360.0;
      if (fabs (hp1 - hp2) <= 180.0)
        hp_mean = (hp1 + hp2) / 2.0;
      else if (hp1 + hp2 < 360.0)
        hp_mean = (hp1 + hp2 + 360.0) / 2.0;
      else
        hp_mean = (hp1 + hp2 - 360.0) / 2.0;
    }
  dhh = 2.0 * sqrt (cp1 * cp2) * sin (radians (dh / 2.0));

  l_mean = (lab1[0] + lab2[0]) / 2.0;
  cp_mean = (cp1 + cp2) / 2.0;
  cp_mean7 = pow (cp_mean, 7.0);
  t = 1.0 - 0.17 * cos (radians (hp_mean - 30.0)) + 0.24 * cos (radians (2.0 * hp_mean))
      + 0.32 * cos (radians (3.0 * hp_mean + 6.0)) - 0.20 * cos (radians (4.0 * hp_mean - 63.0));
  theta = 30.0 * exp (-pow ((hp_mean - 275.0) / 25.0, 2.0));
  rc = 2.0 * sqrt (cp_mean7 / (cp_mean7 + pow (25.0, 7.0)));
  sl = 1.0 + 0.015 * pow (l_mean - 50.0, 2.0) / sqrt (20.0 + pow (l_mean - 50.0, 2.0));
  sc = 1.0 + 0.045 * cp_mean;
  sh = 1.0 + 0.015 * cp_mean * t;
  rt = -sin (radians (2.0 * theta)) * rc;

  return sqrt (pow (dl / sl, 2.0) + pow (dc / sc, 2.0) + pow (dhh / sh, 2.0)
               + rt * (dc / sc) * (dhh / sh));
}

guint
bm_class_colour_get_n_palette (void)
{
  return G_N_ELEMENTS (palette);
}

void
bm_class_colour_get_palette (guint    index,
                             GdkRGBA *colour)
{
  g_return_if_fail (index < G_N_ELEMENTS (palette));
  g_return_if_fail (colour != NULL);

  *colour = (GdkRGBA) {
    ((palette[index] >> 16) & 0xff) / 255.0,
    ((palette[index] >> 8) & 0xff) / 255.0,
    (palette[index] & 0xff) / 255.0,
    1.0,
  };
}

static guint32
label_hash (const char *label)
{
  guint32 hash = 2166136261u;   /* FNV-1a: g_str_hash is not promised to stay the same */

  for (const char *p = label; *p; p++)
    hash = (hash ^ (guint8) *p) * 16777619u;
  return hash;
}

/* MurmurHash3's finaliser: similar names land far apart. */
static guint32
mix (guint32 hash)
{
  hash ^= hash >> 16;
  hash *= 0x85ebca6bu;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35u;
  hash ^= hash >> 16;
  return hash;
}

/* The @k-th colour a label may take: a hue and a lightness from its hash, the strongest chroma
 * sRGB allows there. */
static void
candidate (guint32 hash, guint k, Colour *out)
{
  guint32 h = mix (hash + k * 0x9e3779b9u);
  double hue = radians ((h & 0xffff) / 65536.0 * 360.0);
  double lab[3] = { UNKNOWN_L_MIN + ((h >> 16) & 0xff) / 255.0 * UNKNOWN_L_RANGE, 0, 0 };

  for (double chroma = UNKNOWN_CHROMA; chroma >= 0.0; chroma -= 2.0)
    {
      lab[1] = chroma * cos (hue);
      lab[2] = chroma * sin (hue);
      if (lab_to_rgba (lab, &out->rgba))
        break;
    }
  bm_class_colour_to_lab (&out->rgba, out->lab);
}

static double
distance_to_used (const Colour *colour, const Colour *used, guint n_used)
{
  double nearest = G_MAXDOUBLE;

  for (guint i = 0; i < n_used; i++)
    nearest = MIN (nearest, bm_class_colour_difference (colour->lab, used[i].lab));
  return nearest;
}

/* The first candidate far enough from @used, else the farthest of them all. */
static void
colour_away_from (const char *label, const Colour *used, guint n_used, Colour *out)
{
  guint32 hash = label_hash (label);
  double best_distance = -1.0;

  for (guint k = 0; k < UNKNOWN_CANDIDATES; k++)
    {
      Colour c;
      double distance;

      candidate (hash, k, &c);
      distance = distance_to_used (&c, used, n_used);
      if (distance > best_distance)
        {
          best_distance = distance;
          *out = c;
        }
      if (distance >= UNKNOWN_MIN_DISTANCE)
        break;
    }
}

static void
ensure_state (void)
{
  if (order_labels != NULL)
    return;
  order_labels = g_ptr_array_new_with_free_func (g_free);
  order_colours = g_array_new (FALSE, FALSE, sizeof (Colour));
  order_index = g_hash_table_new (g_str_hash, g_str_equal);
  given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
append_to_order (const char *label)
{
  guint position = order_labels->len;
  char *copy = g_strdup (label ? label : "");
  Colour c;

  Colour *before = g_hash_table_lookup (given, copy);

  if (before != NULL)
    c = *before;
  else if (position < G_N_ELEMENTS (palette))
    {
      bm_class_colour_get_palette (position, &c.rgba);
      bm_class_colour_to_lab (&c.rgba, c.lab);
    }
  else
    colour_away_from (copy, (const Colour *) order_colours->data, order_colours->len, &c);
  if (before == NULL)
    g_hash_table_insert (given, g_strdup (copy), g_memdup2 (&c, sizeof c));
  g_ptr_array_add (order_labels, copy);
  g_array_append_val (order_colours, c);
  if (!g_hash_table_contains (order_index, copy))
    g_hash_table_insert (order_index, copy, GUINT_TO_POINTER (position + 1));
}

/* Returns whether any colour given so far may have changed. */
static gboolean
update_order (const char *const *labels, guint n)
{
  guint common = 0;

  ensure_state ();
  if (n == 0)
    {
      /* no order (the window went, or a folder without classes): a fresh session */
      gboolean had = order_labels->len > 0 || g_hash_table_size (given) > 0;

      g_hash_table_remove_all (order_index);
      g_array_set_size (order_colours, 0);
      g_ptr_array_set_size (order_labels, 0);
      g_hash_table_remove_all (given);
      return had;
    }
  while (common < MIN (n, order_labels->len) &&
         g_strcmp0 (g_ptr_array_index (order_labels, common), labels[common]) == 0)
    common++;
  if (common == n && n == order_labels->len)
    return FALSE;

  if (common < order_labels->len)
    {
      /* Not an extension: start again. The same class file read again passes through a
       * shorter order (a prefix): its labels keep their colours. Another class file (a
       * different label at some place), or none (the window went), starts afresh. */
      g_hash_table_remove_all (order_index);
      g_array_set_size (order_colours, 0);
      g_ptr_array_set_size (order_labels, 0);
      if (common < n || n == 0)
        g_hash_table_remove_all (given);
      common = 0;
    }
  for (guint i = common; i < n; i++)
    append_to_order (labels[i]);
  return TRUE;
}

static void
queue_draw_tree (GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    queue_draw_tree (child);
}

/* The widgets ask for colours while drawing; nothing tells them the order changed. */
static void
redraw_windows (void)
{
  GList *toplevels;

  if (!gtk_is_initialized () || gdk_display_get_default () == NULL)
    return;
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    queue_draw_tree (GTK_WIDGET (l->data));
  g_list_free (toplevels);
}

void
bm_class_colour_set_order (const char *const *labels,
                           guint              n)
{
  gboolean changed;

  g_return_if_fail (labels != NULL || n == 0);

  G_LOCK (state);
  changed = update_order (labels, n);
  G_UNLOCK (state);
  if (changed)
    redraw_windows ();
}

static void
use_catalog (BmClassCatalog *catalog)
{
  leading = catalog;
  if (catalog != NULL)
    bm_class_colour_set_order (bm_class_catalog_get_names (catalog), bm_class_catalog_get_n (catalog));
  else
    bm_class_colour_set_order (NULL, 0);
}

static void
catalog_changed_cb (BmClassCatalog *catalog)
{
  use_catalog (catalog);
}

static void
catalog_finalized_cb (gpointer  data,
                      GObject  *where_the_object_was)
{
  g_ptr_array_remove (followed, where_the_object_was);
  if ((gpointer) leading == (gpointer) where_the_object_was)
    use_catalog (followed->len > 0 ? g_ptr_array_index (followed, followed->len - 1) : NULL);
}

void
bm_class_colour_follow_catalog (BmClassCatalog *catalog)
{
  g_return_if_fail (BM_IS_CLASS_CATALOG (catalog));

  if (followed == NULL)
    followed = g_ptr_array_new ();
  if (!g_ptr_array_find (followed, catalog, NULL))
    {
      g_ptr_array_add (followed, catalog);
      g_object_weak_ref (G_OBJECT (catalog), catalog_finalized_cb, NULL);
      g_signal_connect (catalog, "changed", G_CALLBACK (catalog_changed_cb), NULL);
    }
  use_catalog (catalog);
}

void
bm_class_colour_for_label (const char *label,
                           GdkRGBA    *colour)
{
  gpointer position;
  Colour *cached;

  g_return_if_fail (colour != NULL);

  label = label ? label : "";
  G_LOCK (state);
  ensure_state ();
  position = g_hash_table_lookup (order_index, label);
  if (position != NULL)
    *colour = g_array_index (order_colours, Colour, GPOINTER_TO_UINT (position) - 1).rgba;
  else if ((cached = g_hash_table_lookup (given, label)) != NULL)
    *colour = cached->rgba;
  else
    {
      cached = g_new (Colour, 1);
      colour_away_from (label, (const Colour *) order_colours->data, order_colours->len, cached);
      g_hash_table_insert (given, g_strdup (label), cached);
      *colour = cached->rgba;
    }
  G_UNLOCK (state);
}
