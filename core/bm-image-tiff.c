/* bm-image-tiff.c: TIFF through libtiff (FAIR1M and xView ship .tif; GeoTIFFs come tiled, some
 * with overviews).
 *
 * 8- and 16-bit unsigned gray, gray + alpha, RGB and RGBA, chunky or planar, in strips or tiles,
 * with any compression libtiff decodes (JPEG-in-TIFF is asked for RGB), are read sample by
 * sample: 16 bits keep their high byte, as for PNG. Everything else libtiff understands
 * (palettes, bilevel, CMYK, raw YCbCr, 4-bit, ...) goes through its RGBA interface. The first
 * image is the picture; the reduced-resolution images that follow it (GDAL's internal overviews,
 * cloud-optimised GeoTIFFs) are reductions the window shows at once, when their size is exactly
 * ceil(size / 2^s). Strips are read a row at a time and tiles a tile at a time, so memory stays
 * small whatever the image. TIFF's Orientation tag is the same tag as EXIF's and is applied the
 * same way.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <glib/gi18n.h>
#include <unistd.h>
#include <tiffio.h>

#include "bm-error.h"
#include "bm-image-private.h"

/* A tile bigger than this is refused (a decompression bomb in one tile). */
#define MAX_TILE_BYTES ((tmsize_t) 256 * 1024 * 1024)
/* Strips up to this size are read whole, bigger ones a row at a time. */
#define MAX_STRIP_BYTES ((tmsize_t) 32 * 1024 * 1024)
#define MAX_SHIFT 20

typedef struct
{
  tdir_t dir;
  int width, height;
  guint shift;              /* reduction of the main image it shows */
  guint16 bits, spp, photometric, planar, sample_format, orientation;
  int alpha_sample;         /* index of the alpha sample, -1 without */
  gboolean tiled;
  guint32 tile_width, tile_height;
  guint32 rows_per_strip;
  gboolean direct;          /* samples read by us; else libtiff's RGBA interface */
  gboolean jpeg_rgb;        /* JPEG-compressed YCbCr, which libtiff converts when asked */
  int channels;             /* what we give */
} Level;

typedef struct
{
  TIFF *tif;
  char message[256];
  /* from memory */
  const guint8 *data;
  gsize length;
  gsize pos;
  GArray *levels;           /* of Level, the main image first */
  tdir_t current_dir;
} Tiff;

static int
on_error (TIFF *tif, void *user_data, const char *module, const char *format, va_list args)
{
  Tiff *t = user_data;

  /* libtiff's own format string, from its message catalogue. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (t->message[0] == '\0')
    g_vsnprintf (t->message, sizeof t->message, format, args);
#pragma GCC diagnostic pop
  return 1;
}

static int
on_warning (TIFF *tif, void *user_data, const char *module, const char *format, va_list args)
{
  return 1;
}

static tmsize_t
memory_read (thandle_t handle, void *buffer, tmsize_t size)
{
  Tiff *t = handle;
  gsize n;

  if (size < 0 || t->pos >= t->length)
    return 0;
  n = MIN ((gsize) size, t->length - t->pos);
  memcpy (buffer, t->data + t->pos, n);
  t->pos += n;
  return (tmsize_t) n;
}

static tmsize_t
memory_write (thandle_t handle, void *buffer, tmsize_t size)
{
  return -1;
}

static toff_t
memory_seek (thandle_t handle, toff_t offset, int whence)
{
  Tiff *t = handle;
  guint64 base = whence == SEEK_CUR ? t->pos : whence == SEEK_END ? t->length : 0;

  if (offset > G_MAXUINT64 - base)
    return (toff_t) -1;
  t->pos = (gsize) MIN (base + offset, (guint64) G_MAXSIZE);
  return (toff_t) t->pos;
}

static int
memory_close (thandle_t handle)
{
  return 0;
}

static toff_t
memory_size (thandle_t handle)
{
  return ((Tiff *) handle)->length;
}

static int
memory_map (thandle_t handle, void **base, toff_t *size)
{
  Tiff *t = handle;

  *base = (void *) t->data;
  *size = t->length;
  return 1;
}

static void
memory_unmap (thandle_t handle, void *base, toff_t size)
{
}

static void
tiff_free (Tiff *t)
{
  if (t->tif != NULL)
    TIFFClose (t->tif);
  g_clear_pointer (&t->levels, g_array_unref);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tiff, tiff_free)

static TIFFOpenOptions *
open_options (Tiff *t)
{
  TIFFOpenOptions *options = TIFFOpenOptionsAlloc ();

  TIFFOpenOptionsSetErrorHandlerExtR (options, on_error, t);
  TIFFOpenOptionsSetWarningHandlerExtR (options, on_warning, t);
  TIFFOpenOptionsSetMaxSingleMemAlloc (options, MAX_TILE_BYTES);
  return options;
}

/* Not mapped either ("m"), like open_file: libtiff checks and reads a mapped strip by other code
 * than a read one, and an image loaded whole must give the pixels its decoder gives. */
static Tiff *
open_memory (const guint8 *data, gsize length)
{
  Tiff *t = g_new0 (Tiff, 1);
  TIFFOpenOptions *options = open_options (t);

  t->data = data;
  t->length = length;
  t->tif = TIFFClientOpenExt ("memory", "rm", t, memory_read, memory_write, memory_seek, memory_close,
                              memory_size, memory_map, memory_unmap, options);
  TIFFOpenOptionsFree (options);
  return t;
}

/* Without memory mapping: read pages would count in the process' memory. NULL with @error set
 * when the file cannot be opened (only regular files are); else t->tif is NULL when libtiff
 * refused it, with its message in t->message. */
static Tiff *
open_file (const char *path, GError **error)
{
  Tiff *t;
  TIFFOpenOptions *options;
  int fd = bm_image_open_regular (path, error);

  if (fd < 0)
    return NULL;
  t = g_new0 (Tiff, 1);
  options = open_options (t);
  t->tif = TIFFFdOpenExt (fd, path, "rm", options);
  TIFFOpenOptionsFree (options);
  /* TIFFClose closes the descriptor; a refused open leaves it to us. */
  if (t->tif == NULL)
    close (fd);
  return t;
}

static void
set_tiff_error (Tiff *t, const char *path, GError **error)
{
  g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: cannot decode the TIFF image (%s)"),
               bm_image_display_path (path), t->message[0] ? t->message : _("unknown error"));
}

/* --- what a directory holds ------------------------------------------------------------------- */

static gboolean
select_dir (Tiff *t, tdir_t dir)
{
  if (t->current_dir == dir && TIFFCurrentDirectory (t->tif) == dir)
    return TRUE;
  if (!TIFFSetDirectory (t->tif, dir))
    return FALSE;
  t->current_dir = dir;
  return TRUE;
}

static int
find_alpha (TIFF *tif)
{
  guint16 count = 0, *types = NULL;

  if (!TIFFGetField (tif, TIFFTAG_EXTRASAMPLES, &count, &types) || count == 0)
    return -1;
  return types[0] == EXTRASAMPLE_ASSOCALPHA || types[0] == EXTRASAMPLE_UNASSALPHA ? 0 : -1;
}

/* Describes the current directory; FALSE when it is nothing we can show. */
static gboolean
describe_level (Tiff *t, Level *level)
{
  TIFF *tif = t->tif;
  guint32 width = 0, height = 0;
  guint16 compression = COMPRESSION_NONE;
  gboolean gray, rgb;
  int extra;
  char why[1024];

  memset (level, 0, sizeof *level);
  level->dir = TIFFCurrentDirectory (tif);
  if (!TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &height)
      || width == 0 || height == 0 || width > G_MAXINT || height > G_MAXINT)
    return FALSE;
  level->width = (int) width;
  level->height = (int) height;
  TIFFGetFieldDefaulted (tif, TIFFTAG_BITSPERSAMPLE, &level->bits);
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLESPERPIXEL, &level->spp);
  TIFFGetFieldDefaulted (tif, TIFFTAG_PLANARCONFIG, &level->planar);
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLEFORMAT, &level->sample_format);
  TIFFGetFieldDefaulted (tif, TIFFTAG_ORIENTATION, &level->orientation);
  TIFFGetFieldDefaulted (tif, TIFFTAG_COMPRESSION, &compression);
  if (!TIFFGetField (tif, TIFFTAG_PHOTOMETRIC, &level->photometric))
    level->photometric = level->spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  if (level->orientation < 1 || level->orientation > 8)
    level->orientation = 1;

  /* libtiff turns JPEG's YCbCr into RGB itself when asked. */
  if (compression == COMPRESSION_JPEG && level->photometric == PHOTOMETRIC_YCBCR)
    {
      TIFFSetField (tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
      level->photometric = PHOTOMETRIC_RGB;
      level->jpeg_rgb = TRUE;
    }

  level->tiled = TIFFIsTiled (tif);
  if (level->tiled)
    {
      TIFFGetField (tif, TIFFTAG_TILEWIDTH, &level->tile_width);
      TIFFGetField (tif, TIFFTAG_TILELENGTH, &level->tile_height);
      if (level->tile_width == 0 || level->tile_height == 0 || TIFFTileSize (tif) <= 0 || TIFFTileSize (tif) > MAX_TILE_BYTES)
        return FALSE;
      /* a tile of all its planes: read_tiles holds them (and zeroes them) at once */
      if (level->planar == PLANARCONFIG_SEPARATE && TIFFTileSize (tif) > MAX_TILE_BYTES / MAX (level->spp, 1))
        {
          g_strlcpy (t->message, _("tile too big"), sizeof t->message);
          return FALSE;
        }
    }
  else
    {
      TIFFGetFieldDefaulted (tif, TIFFTAG_ROWSPERSTRIP, &level->rows_per_strip);
      level->rows_per_strip = CLAMP (level->rows_per_strip, 1, height);
      if (TIFFScanlineSize (tif) <= 0)
        return FALSE;
      /* A row is read (and zeroed) whole: a small file can declare thousands of samples per
       * pixel, gigabytes a row. */
      if (TIFFScanlineSize (tif) > MAX_STRIP_BYTES)
        {
          g_strlcpy (t->message, _("row too big"), sizeof t->message);
          return FALSE;
        }
    }

  gray = level->photometric == PHOTOMETRIC_MINISBLACK || level->photometric == PHOTOMETRIC_MINISWHITE;
  rgb = level->photometric == PHOTOMETRIC_RGB;
  extra = level->spp - (rgb ? 3 : 1);
  level->alpha_sample = extra > 0 && find_alpha (tif) == 0 ? (rgb ? 3 : 1) : -1;
  level->direct = (gray || rgb) && extra >= 0 && (level->bits == 8 || level->bits == 16)
                  && level->sample_format == SAMPLEFORMAT_UINT;
  if (level->direct)
    {
      level->channels = (rgb ? 3 : 1) + (level->alpha_sample >= 0);
      return TRUE;
    }
  if (!TIFFRGBAImageOK (tif, why))
    {
      g_strlcpy (t->message, why, sizeof t->message);
      return FALSE;
    }
  level->channels = (gray ? 1 : 3) + (level->alpha_sample >= 0);
  return TRUE;
}

static guint
shift_of (const Level *main, int width, int height)
{
  for (guint s = 1; s <= MAX_SHIFT; s++)
    {
      int w = (int) (((gint64) main->width + (1 << s) - 1) >> s);
      int h = (int) (((gint64) main->height + (1 << s) - 1) >> s);

      if (w == width && h == height)
        return s;
      if (w < width)
        break;
    }
  return 0;
}

/* The main image and the reduced images after it whose size is a reduction of it. */
static gboolean
read_levels (Tiff *t)
{
  Level main;
  tdir_t n_dirs;

  t->levels = g_array_new (FALSE, FALSE, sizeof (Level));
  t->current_dir = 0;
  if (!describe_level (t, &main))
    return FALSE;
  g_array_append_val (t->levels, main);

  n_dirs = TIFFNumberOfDirectories (t->tif);
  for (tdir_t dir = 1; dir < n_dirs && dir < 64; dir++)
    {
      guint32 type = 0;
      Level level;

      if (!select_dir (t, dir))
        break;
      if (!TIFFGetField (t->tif, TIFFTAG_SUBFILETYPE, &type) || !(type & FILETYPE_REDUCEDIMAGE) || (type & FILETYPE_MASK))
        continue;
      if (!describe_level (t, &level))
        continue;
      level.shift = shift_of (&main, level.width, level.height);
      if (level.shift > 0 && level.channels == main.channels)
        g_array_append_val (t->levels, level);
    }
  t->message[0] = '\0';
  return select_dir (t, 0);
}

/* Makes @level's directory current, with JPEG's YCbCr converted by libtiff. */
static gboolean
enter_level (Tiff *t, const Level *level)
{
  if (!select_dir (t, level->dir))
    return FALSE;
  return !level->jpeg_rgb || TIFFSetField (t->tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
}

static Level *
level_for_shift (Tiff *t, guint shift)
{
  for (guint i = 0; i < t->levels->len; i++)
    if (g_array_index (t->levels, Level, i).shift == shift)
      return &g_array_index (t->levels, Level, i);
  return NULL;
}

/* --- pixels ----------------------------------------------------------------------------------- */

static inline guint8
sample_at (const guint8 *samples, int bits, gsize index)
{
  return bits == 16 ? (guint8) (((const guint16 *) samples)[index] >> 8) : samples[index];
}

/* Turns @n pixels of samples into our channels. @planes: one pointer per sample for planar
 * data, or planes[0] alone for chunky data. */
static void
convert_pixels (const Level *level, const guint8 *const *planes, gsize first, int n, guint8 *out)
{
  const gboolean chunky = level->planar != PLANARCONFIG_SEPARATE;
  const int c = level->channels, spp = level->spp, bits = level->bits;
  const gboolean white = level->photometric == PHOTOMETRIC_MINISWHITE;
  const int colours = c - (level->alpha_sample >= 0);

  for (int x = 0; x < n; x++, out += c)
    {
      gsize i = first + (gsize) x;

      for (int k = 0; k < colours; k++)
        out[k] = chunky ? sample_at (planes[0], bits, i * spp + k) : sample_at (planes[k], bits, i);
      if (white)
        out[0] = (guint8) (255 - out[0]);
      if (level->alpha_sample >= 0)
        out[colours] = chunky ? sample_at (planes[0], bits, i * spp + level->alpha_sample)
                              : sample_at (planes[level->alpha_sample], bits, i);
    }
}

/* Whole strips, each plane's in turn.
 *
 * Each strip's buffer is zeroed before libtiff decodes into it: on a corrupt strip libtiff can
 * succeed without writing all of it (Deflate through libdeflate accepts a stream that would
 * overflow the strip and leaves the bytes of its last match unwritten; the predictor then
 * carries them along the row). Without zeroing, those bytes were whatever the buffer held:
 * the previous strip or tile in a whole-image read, fresh memory in a band or region, so the
 * window, the detector and the fuzz target saw different pixels for one file
 * (tests/fuzz/known/tiff-rows-differ.tif). The same full-strip request is made whatever
 * rectangle is read, so libtiff takes the same decoding path each time. */
static gboolean
read_strips (Tiff *t, const Level *level, int x, int y, BmImage *out)
{
  tmsize_t strip_size = TIFFStripSize (t->tif);
  tmsize_t row_size = TIFFScanlineSize (t->tif);
  int n_planes = level->planar == PLANARCONFIG_SEPARATE ? level->spp : 1;
  g_autofree guint8 *buffer = g_try_malloc ((gsize) strip_size * (gsize) n_planes);
  const guint8 *planes[16] = { 0 };
  const int rps = (int) level->rows_per_strip;

  if (buffer == NULL || n_planes > (int) G_N_ELEMENTS (planes))
    return FALSE;
  for (int s0 = y / rps * rps; s0 < y + out->height; s0 += rps)
    {
      int r0 = MAX (y, s0), r1 = MIN (y + out->height, s0 + rps);

      for (int p = 0; p < n_planes; p++)
        {
          guint8 *plane = buffer + (gsize) p * (gsize) strip_size;

          planes[p] = plane;
          memset (plane, 0, (gsize) strip_size);
          if (TIFFReadEncodedStrip (t->tif, TIFFComputeStrip (t->tif, (guint32) s0, (guint16) p), plane, strip_size) < 0)
            return FALSE;
        }
      for (int row = r0; row < r1; row++)
        {
          const guint8 *rows[16];

          for (int p = 0; p < n_planes; p++)
            rows[p] = planes[p] + (gsize) (row - s0) * (gsize) row_size;
          convert_pixels (level, rows, (gsize) x, out->width, out->data + (gsize) (row - y) * out->stride);
        }
    }
  return TRUE;
}

/* Strips too big to hold (a whole image in one strip), chunky only: row by row. Codecs cannot
 * jump forward inside a strip, so rows before @y are decoded from the strip's start. */
static gboolean
read_strip_scanlines (Tiff *t, const Level *level, int x, int y, BmImage *out)
{
  g_autofree guint8 *row = g_try_malloc ((gsize) TIFFScanlineSize (t->tif));
  const guint8 *planes[1];
  const int rps = (int) level->rows_per_strip;

  if (row == NULL || level->planar == PLANARCONFIG_SEPARATE)
    return FALSE;
  planes[0] = row;
  for (int r = y / rps * rps; r < y + out->height; r++)
    {
      /* zeroed first: see read_strips */
      memset (row, 0, (gsize) TIFFScanlineSize (t->tif));
      if (TIFFReadScanline (t->tif, row, (guint32) r, 0) < 0)
        return FALSE;
      if (r >= y)
        convert_pixels (level, planes, (gsize) x, out->width, out->data + (gsize) (r - y) * out->stride);
    }
  return TRUE;
}

static gboolean
read_tiles (Tiff *t, const Level *level, int x, int y, BmImage *out)
{
  tmsize_t tile_size = TIFFTileSize (t->tif);
  int n_planes = level->planar == PLANARCONFIG_SEPARATE ? level->spp : 1;
  g_autofree guint8 *buffer = NULL;
  const guint8 *planes[16] = { 0 };
  const int tw = (int) level->tile_width, th = (int) level->tile_height;

  if (n_planes > (int) G_N_ELEMENTS (planes))
    return FALSE;
  buffer = g_try_malloc ((gsize) tile_size * (gsize) n_planes);
  if (buffer == NULL)
    return FALSE;
  for (int p = 0; p < n_planes; p++)
    planes[p] = buffer + (gsize) p * (gsize) tile_size;

  for (int ty = y / th * th; ty < y + out->height; ty += th)
    for (int tx = x / tw * tw; tx < x + out->width; tx += tw)
      {
        int x0 = MAX (x, tx), x1 = MIN (x + out->width, tx + tw);
        int y0 = MAX (y, ty), y1 = MIN (y + out->height, ty + th);

        /* zeroed first: see read_strips */
        memset (buffer, 0, (gsize) tile_size * (gsize) n_planes);
        for (int p = 0; p < n_planes; p++)
          if (TIFFReadEncodedTile (t->tif, TIFFComputeTile (t->tif, (guint32) tx, (guint32) ty, 0, (guint16) p),
                                   (guint8 *) planes[p], tile_size) < 0)
            return FALSE;
        for (int row = y0; row < y1; row++)
          convert_pixels (level, planes, (gsize) (row - ty) * (gsize) tw + (gsize) (x0 - tx), x1 - x0,
                          out->data + (gsize) (row - y) * out->stride + (gsize) (x0 - x) * out->channels);
      }
  return TRUE;
}

/* One block of libtiff's RGBA interface into @raster (@width × @height), in the stored row order.
 * A new TIFFRGBAImage for each block: it keeps one strip or tile buffer for all it reads, which
 * a corrupt strip can leave partly unwritten (see read_strips), so a block read after another
 * would show that one's bytes. Errors stop it: a strip libtiff cannot decode is an error, as in
 * read_strips, not a strip of zeros. */
static gboolean
read_rgba_block (Tiff *t, const Level *level, int x, int y, int width, int height, guint32 *raster)
{
  TIFFRGBAImage image;
  char why[1024];
  gboolean ok;

  if (!TIFFRGBAImageBegin (&image, t->tif, 1, why))
    {
      g_strlcpy (t->message, why, sizeof t->message);
      return FALSE;
    }
  image.req_orientation = (guint16) level->orientation;
  image.col_offset = x;
  image.row_offset = y;
  ok = TIFFRGBAImageGet (&image, raster, (guint32) width, (guint32) height);
  TIFFRGBAImageEnd (&image);
  return ok;
}

/* Copies the rectangle of @raster (@width wide, its top left at @bx, @by of the image) that lies
 * in @out (its top left at @x, @y). */
static void
copy_rgba (const guint32 *raster, int bx, int by, int width, int height, int x, int y, BmImage *out)
{
  int x0 = MAX (x, bx), x1 = MIN (x + out->width, bx + width);
  int y0 = MAX (y, by), y1 = MIN (y + out->height, by + height);

  for (int r = y0; r < y1; r++)
    {
      const guint32 *in = raster + (gsize) (r - by) * (gsize) width + (gsize) (x0 - bx);
      guint8 *o = out->data + (gsize) (r - y) * out->stride + (gsize) (x0 - x) * out->channels;

      for (int c = x0; c < x1; c++, o += out->channels)
        {
          guint32 v = *in++;

          if (out->channels <= 2)
            o[0] = (guint8) TIFFGetR (v);
          else
            o[0] = (guint8) TIFFGetR (v), o[1] = (guint8) TIFFGetG (v), o[2] = (guint8) TIFFGetB (v);
          if (out->channels == 2 || out->channels == 4)
            o[out->channels - 1] = (guint8) TIFFGetA (v);
        }
    }
}

/* libtiff's RGBA interface, in blocks that do not depend on the rectangle asked for: whole
 * tiles, or groups of whole strips (a strip too big to hold in bands of a fixed number of rows
 * from its start). libtiff decodes a strip differently when asked for all of it than for its
 * first rows (Deflate: libdeflate or zlib), which differ on a corrupt strip; fixed blocks make a
 * region give the pixels of the whole image, whatever the rectangle. */
static gboolean
read_rgba (Tiff *t, const Level *level, int x, int y, BmImage *out)
{
  g_autofree guint32 *raster = NULL;

  if (level->tiled)
    {
      const int tw = (int) level->tile_width, th = (int) level->tile_height;

      /* a tile may overhang the image: only what lies in it is asked for */
      raster = g_try_malloc ((gsize) MIN (tw, level->width) * (gsize) MIN (th, level->height) * 4);
      if (raster == NULL)
        return FALSE;
      for (int ty = y / th * th; ty < y + out->height; ty += th)
        for (int tx = x / tw * tw; tx < x + out->width; tx += tw)
          {
            int bw = MIN (tw, level->width - tx), bh = MIN (th, level->height - ty);

            if (!read_rgba_block (t, level, tx, ty, bw, bh, raster))
              return FALSE;
            copy_rgba (raster, tx, ty, bw, bh, x, y, out);
          }
    }
  else
    {
      const int rps = (int) level->rows_per_strip;
      const gint64 row_bytes = (gint64) level->width * 4;
      /* Whole strips, grouped in blocks of at least 64 rows (a new TIFFRGBAImage for each
       * strip of one row would cost more than the row) as tiff_read_rows groups them; a strip
       * too big to hold is read in bands of a multiple of 16 rows from its start (whole blocks
       * of any YCbCr subsampling). */
      const int group = rps >= 64 ? 1 : (64 + rps - 1) / rps;
      const gint64 max_rows = MAX_STRIP_BYTES / row_bytes;
      const int block = (gint64) rps * group <= max_rows ? rps * group
                        : rps <= max_rows ? rps
                        : MAX (16, (int) max_rows / 16 * 16);
      const int span = MAX (block, rps);   /* what a block stays inside of */

      raster = g_try_malloc ((gsize) row_bytes * (gsize) MIN (block, level->height));
      if (raster == NULL)
        return FALSE;
      for (int s0 = y / span * span; s0 < y + out->height; s0 += span)
        {
          int s1 = (int) MIN ((gint64) s0 + span, level->height);

          for (int b0 = s0 + (MAX (y, s0) - s0) / block * block; b0 < MIN (s1, y + out->height); b0 += block)
            {
              int bh = MIN (block, s1 - b0);

              if (!read_rgba_block (t, level, 0, b0, level->width, bh, raster))
                return FALSE;
              copy_rgba (raster, 0, b0, level->width, bh, x, y, out);
            }
        }
    }
  return TRUE;
}

static BmImage *
read_level_region (Tiff *t, const Level *level, int x, int y, int width, int height, const char *path, GError **error)
{
  g_autoptr(BmImage) out = NULL;
  gboolean ok;

  if (x < 0 || y < 0 || width <= 0 || height <= 0 || x > level->width - width || y > level->height - height)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_INVALID, _("%s: the region is outside the image"),
                   bm_image_display_path (path));
      return NULL;
    }
  out = bm_image_try_new (width, height, level->channels);
  if (out == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"),
                   bm_image_display_path (path));
      return NULL;
    }
  out->source_bits = level->bits == 16 ? 16 : 8;
  t->message[0] = '\0';
  if (!enter_level (t, level))
    ok = FALSE;
  else if (!level->direct)
    ok = read_rgba (t, level, x, y, out);
  else if (level->tiled)
    ok = read_tiles (t, level, x, y, out);
  else if (TIFFStripSize (t->tif) <= MAX_STRIP_BYTES)
    ok = read_strips (t, level, x, y, out);
  else
    ok = read_strip_scanlines (t, level, x, y, out);
  if (!ok)
    {
      set_tiff_error (t, path, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

static void
fill_header (const Level *level, BmImageHeader *header)
{
  header->width = level->width;
  header->height = level->height;
  header->channels = level->channels;
  header->orientation = level->orientation;
  header->bits = level->bits;
}

/* --- whole images and headers ----------------------------------------------------------------- */

gboolean
bm_image_tiff_parse_header (const guint8 *data, gsize length, BmImageHeader *header)
{
  g_autoptr(Tiff) t = open_memory (data, length);
  Level level;

  if (t->tif == NULL || !describe_level (t, &level))
    return FALSE;
  fill_header (&level, header);
  return TRUE;
}

gboolean
bm_image_tiff_read_info (const char *path, BmImageHeader *header, GError **error)
{
  g_autoptr(Tiff) t = open_file (path, error);
  Level level;

  if (t == NULL)
    return FALSE;
  if (t->tif == NULL || !describe_level (t, &level))
    {
      set_tiff_error (t, path, error);
      return FALSE;
    }
  fill_header (&level, header);
  return TRUE;
}

BmImage *
bm_image_tiff_decode (const guint8 *data, gsize length, const char *path, GError **error)
{
  g_autoptr(Tiff) t = open_memory (data, length);
  Level level;

  if (t->tif == NULL || !describe_level (t, &level))
    {
      set_tiff_error (t, path, error);
      return NULL;
    }
  t->current_dir = level.dir;
  return read_level_region (t, &level, 0, 0, level.width, level.height, path, error);
}

/* --- the decoder of bm-image-decoder.h -------------------------------------------------------- */

/* Bands of whole tile rows, or of whole strips (at least 64 rows). */
static gboolean
tiff_read_rows (BmImageDecoder  *self,
                guint            shift,
                int              first_row,
                BmImageRowsFunc  func,
                gpointer         user_data,
                GCancellable    *cancellable,
                GError         **error)
{
  Tiff *t = self->priv;
  const Level *level = level_for_shift (t, shift);
  int band;

  g_return_val_if_fail (level != NULL, FALSE);

  if (level->tiled)
    band = (int) level->tile_height;
  else if (!enter_level (t, level) || TIFFStripSize (t->tif) > MAX_STRIP_BYTES)
    band = 64;
  else
    band = (int) level->rows_per_strip * (int) ((64 + level->rows_per_strip - 1) / level->rows_per_strip);
  for (int y = first_row; y < level->height; y += band)
    {
      int n = MIN (band, level->height - y);
      g_autoptr(BmImage) rows = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      rows = read_level_region (t, level, 0, y, level->width, n, self->path, error);
      if (rows == NULL)
        return FALSE;
      if (!func (rows->data, (gsize) rows->stride, y, n, user_data))
        break;
    }
  return TRUE;
}

static BmImage *
tiff_read_region (BmImageDecoder  *self,
                  guint            shift,
                  int              x,
                  int              y,
                  int              width,
                  int              height,
                  GError         **error)
{
  Tiff *t = self->priv;
  const Level *level = level_for_shift (t, shift);

  g_return_val_if_fail (level != NULL, NULL);

  return read_level_region (t, level, x, y, width, height, self->path, error);
}

static void
tiff_finalize (BmImageDecoder *self)
{
  g_clear_pointer (&self->priv, tiff_free);
}

static const BmImageDecoderClass tiff_decoder_class = {
  .read_rows = tiff_read_rows,
  .read_region = tiff_read_region,
  .finalize = tiff_finalize,
  .cheap_regions = TRUE,
};

gboolean
bm_image_tiff_decoder_init (BmImageDecoder *self, GError **error)
{
  g_autoptr(Tiff) t = open_file (self->path, error);

  if (t == NULL)
    return FALSE;
  if (t->tif == NULL || !read_levels (t))
    {
      set_tiff_error (t, self->path, error);
      return FALSE;
    }
  self->klass = &tiff_decoder_class;
  self->reductions = 0;
  for (guint i = 0; i < t->levels->len; i++)
    self->reductions |= 1u << g_array_index (t->levels, Level, i).shift;
  fill_header (&g_array_index (t->levels, Level, 0), &self->header);
  self->priv = g_steal_pointer (&t);
  return TRUE;
}
