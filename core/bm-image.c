/* bm-image.c
 *
 * The only file that compiles stb_image and stb_image_write. Pixel buffers of BmImage are
 * allocated with GLib (stb is told to use g_try_malloc), so every image is freed with g_free.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bm-error.h"
#include "bm-exif.h"
#include "bm-file-util.h"
#include "bm-image.h"
#include "bm-image-private.h"

#define STBI_MALLOC(size)        g_try_malloc (size)
#define STBI_REALLOC(ptr, size)  g_try_realloc (ptr, size)
#define STBI_FREE(ptr)           g_free (ptr)
#define STBIW_MALLOC(size)       g_try_malloc (size)
#define STBIW_REALLOC(ptr, size) g_try_realloc (ptr, size)
#define STBIW_FREE(ptr)          g_free (ptr)
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION

/* The C headers stb includes come first, so that the "static" macro below cannot reach them. */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* stb is third-party code compiled with our warning flags; keep its noise out of the build. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattributes"
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#endif
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wcast-function-type"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
/* stb shifts signed integers on purpose (stbiw__jpg_writeBits does on every JPEG save), which
 * UBSan reports and CI's halt_on_error turns into a failure. We sanitize our own code, not stb's:
 * its internal (static) functions are built without UBSan; AddressSanitizer still covers them. */
#if defined(__clang__)
#pragma clang attribute push (__attribute__ ((no_sanitize ("undefined"))), apply_to = function)
#else
#define static static __attribute__ ((no_sanitize ("undefined")))
#endif
#include <stb_image.h>
#include <stb_image_write.h>
#if defined(__clang__)
#pragma clang attribute pop
#else
#undef static
#endif
#pragma GCC diagnostic pop

#define MAX_DECODED_BYTES BM_IMAGE_MAX_DECODED_BYTES
/* PNG chunks tolerated before the first IDAT when reading a header. */
#define MAX_PNG_HEADER_CHUNKS 10000

G_DEFINE_BOXED_TYPE (BmImage, bm_image, bm_image_ref, bm_image_unref)

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static const char *
display_path (const char *path)
{
  return path != NULL ? path : "(memory)";
}

/* --- allocation ------------------------------------------------------------------------ */

static BmImage *
image_wrap (int width, int height, int channels, guint8 *data)
{
  BmImage *image = g_new0 (BmImage, 1);

  image->width = width;
  image->height = height;
  image->channels = channels;
  image->stride = width * channels;
  image->data = data;
  image->source_bits = 8;
  image->orientation = 1;
  image->ref_count = 1;
  return image;
}

/* NULL when memory is short: big images must fail with an error, not abort. */
static BmImage *
image_try_new (int width, int height, int channels)
{
  guint8 *data = g_try_malloc ((gsize) width * (gsize) height * (gsize) channels);

  return data != NULL ? image_wrap (width, height, channels, data) : NULL;
}

BmImage *
bm_image_new_take_pixels (int width, int height, int channels, guint8 *pixels)
{
  g_return_val_if_fail (width > 0 && height > 0 && pixels != NULL, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);

  return image_wrap (width, height, channels, pixels);
}

BmImage *
bm_image_new (int width, int height, int channels)
{
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);

  return image_wrap (width, height, channels,
                     g_malloc0 ((gsize) width * (gsize) height * (gsize) channels));
}

BmImage *
bm_image_ref (BmImage *image)
{
  g_return_val_if_fail (image != NULL, NULL);

  g_atomic_int_inc (&image->ref_count);
  return image;
}

void
bm_image_unref (BmImage *image)
{
  g_return_if_fail (image != NULL);

  if (g_atomic_int_dec_and_test (&image->ref_count))
    {
      g_free (image->data);
      g_free (image);
    }
}

static void
copy_metadata (BmImage *to, const BmImage *from)
{
  to->source_bits = from->source_bits;
  to->orientation = from->orientation;
}

/* --- header readers over memory or a file ------------------------------------------------ */

#define READER_WINDOW 16384

/* Over memory (@data), or over a file descriptor (@fd >= 0) through a window of the file read
 * with pread: a header costs one or two system calls, and skipping a segment costs none. */
typedef struct
{
  const guint8 *data;
  gsize length;
  gsize pos;            /* in the memory, or in the file */
  int fd;
  int read_errno;       /* why pread failed, 0 at end of file */
  gsize window_start;
  gsize window_length;
  guint8 window[READER_WINDOW];
} Reader;

static gboolean
reader_pread_all (Reader *r, guint8 *buffer, gsize n, gsize offset, gsize *got)
{
  *got = 0;
  while (*got < n)
    {
      gsize wanted = n - *got;
      ssize_t k = pread (r->fd, buffer + *got, wanted, (off_t) (offset + *got));

      if (k < 0 && errno == EINTR)
        continue;
      if (k < 0)
        {
          r->read_errno = errno;
          return FALSE;
        }
      *got += (gsize) k;
      /* On a regular file a short read only happens at its end. */
      if ((gsize) k < wanted)
        break;
    }
  return TRUE;
}

static gboolean
reader_read_fd (Reader *r, guint8 *buffer, gsize n)
{
  gsize got;

  if (r->pos > G_MAXSIZE - n)
    return FALSE;
  if (n > sizeof r->window)
    {
      if (!reader_pread_all (r, buffer, n, r->pos, &got) || got < n)
        return FALSE;
      r->pos += n;
      return TRUE;
    }
  if (r->pos < r->window_start || r->pos + n > r->window_start + r->window_length)
    {
      r->window_start = r->pos;
      r->window_length = 0;
      if (!reader_pread_all (r, r->window, sizeof r->window, r->pos, &r->window_length))
        return FALSE;
      if (r->window_length < n)
        return FALSE;
    }
  memcpy (buffer, r->window + (r->pos - r->window_start), n);
  r->pos += n;
  return TRUE;
}

static gboolean
reader_read (Reader *r, void *buffer, gsize n)
{
  /* An empty segment: the buffer may be g_malloc (0) == NULL, which memcpy must not see. */
  if (n == 0)
    return TRUE;
  if (r->fd >= 0)
    return reader_read_fd (r, buffer, n);
  if (r->pos > r->length || n > r->length - r->pos)
    return FALSE;
  memcpy (buffer, r->data + r->pos, n);
  r->pos += n;
  return TRUE;
}

static gboolean
reader_byte (Reader *r, guint8 *byte)
{
  return reader_read (r, byte, 1);
}

static gboolean
reader_skip (Reader *r, gsize n)
{
  if (r->fd >= 0)
    {
      if (n > G_MAXINT32 || r->pos > G_MAXSIZE - n)
        return FALSE;
      r->pos += n;
      return TRUE;
    }
  if (r->pos > r->length || n > r->length - r->pos)
    return FALSE;
  r->pos += n;
  return TRUE;
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

typedef struct
{
  int width;
  int height;        /* as stored, before the EXIF orientation */
  int channels;      /* as stb_image decodes them */
  int orientation;   /* EXIF orientation, 1 when absent */
  int bits;
} HeaderInfo;

typedef enum
{
  HEADER_OK,
  HEADER_CORRUPT,
} HeaderResult;

static gboolean
is_jpeg (const guint8 *bytes, gsize length)
{
  return length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

static gboolean
is_png (const guint8 *bytes, gsize length)
{
  return length >= sizeof png_signature && memcmp (bytes, png_signature, sizeof png_signature) == 0;
}

static gboolean
is_jpeg_sof (guint8 marker)
{
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

static gboolean
jpeg_marker_has_length (guint8 marker)
{
  return !(marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9));
}

/* Walks the marker segments after SOI up to the frame header, seeking over the (possibly huge)
 * APPn segments. Collects the EXIF orientation from the first Exif APP1 on the way. */
static HeaderResult
read_jpeg_header (Reader *r, HeaderInfo *info)
{
  guint8 soi[2];

  info->orientation = 1;
  info->bits = 8;
  if (!reader_read (r, soi, 2) || soi[0] != 0xFF || soi[1] != 0xD8)
    return HEADER_CORRUPT;

  for (;;)
    {
      guint8 byte, marker, length_bytes[2];
      guint segment_length;

      /* Like stb_image, tolerate stray bytes between segments. */
      do
        if (!reader_byte (r, &byte))
          return HEADER_CORRUPT;
      while (byte != 0xFF);
      do
        if (!reader_byte (r, &marker))
          return HEADER_CORRUPT;
      while (marker == 0xFF);

      if (marker == 0xDA || marker == 0xD9)
        return HEADER_CORRUPT;  /* scan or end before any frame header */
      if (!jpeg_marker_has_length (marker) || marker == 0x00)
        continue;
      if (!reader_read (r, length_bytes, 2))
        return HEADER_CORRUPT;
      segment_length = ((guint) length_bytes[0] << 8) | length_bytes[1];
      if (segment_length < 2)
        return HEADER_CORRUPT;

      if (is_jpeg_sof (marker))
        {
          guint8 frame[6];

          if (segment_length < 8 || !reader_read (r, frame, sizeof frame))
            return HEADER_CORRUPT;
          info->height = (frame[1] << 8) | frame[2];
          info->width = (frame[3] << 8) | frame[4];
          info->channels = frame[5] >= 3 ? 3 : 1;  /* stb_image turns CMYK/YCCK into RGB */
          return info->width > 0 && info->height > 0 && frame[5] > 0 ? HEADER_OK : HEADER_CORRUPT;
        }

      if (marker == 0xE1 && info->orientation == 1)
        {
          g_autofree guint8 *payload = g_malloc (segment_length - 2);

          if (!reader_read (r, payload, segment_length - 2))
            return HEADER_CORRUPT;
          info->orientation = MAX (1, bm_exif_parse_app1 (payload, segment_length - 2));
          continue;
        }

      if (!reader_skip (r, segment_length - 2))
        return HEADER_CORRUPT;
    }
}

static HeaderResult
read_png_header (Reader *r, HeaderInfo *info)
{
  guint8 signature[8], chunk[8], ihdr[13];
  gboolean has_transparency = FALSE;
  int color_type;

  info->orientation = 1;
  if (!reader_read (r, signature, 8) || memcmp (signature, png_signature, 8) != 0)
    return HEADER_CORRUPT;
  if (!reader_read (r, chunk, 8) || memcmp (chunk + 4, "IHDR", 4) != 0 || be32 (chunk) != 13
      || !reader_read (r, ihdr, 13) || !reader_skip (r, 4))
    return HEADER_CORRUPT;

  if (be32 (ihdr) == 0 || be32 (ihdr) > G_MAXINT || be32 (ihdr + 4) == 0 || be32 (ihdr + 4) > G_MAXINT)
    return HEADER_CORRUPT;
  info->width = (int) be32 (ihdr);
  info->height = (int) be32 (ihdr + 4);
  info->bits = ihdr[8] == 16 ? 16 : 8;
  color_type = ihdr[9];

  /* stb_image adds an alpha channel when a tRNS chunk precedes the image data. */
  for (int i = 0; i < MAX_PNG_HEADER_CHUNKS; i++)
    {
      guint32 length;

      if (!reader_read (r, chunk, 8))
        return HEADER_CORRUPT;
      length = be32 (chunk);
      if (memcmp (chunk + 4, "IDAT", 4) == 0)
        break;
      if (memcmp (chunk + 4, "IEND", 4) == 0 || length > G_MAXINT32 - 4)
        return HEADER_CORRUPT;
      if (memcmp (chunk + 4, "tRNS", 4) == 0)
        has_transparency = TRUE;
      if (!reader_skip (r, (gsize) length + 4))
        return HEADER_CORRUPT;
    }

  switch (color_type)
    {
    case 0: info->channels = has_transparency ? 2 : 1; break;
    case 2: info->channels = has_transparency ? 4 : 3; break;
    case 3: info->channels = has_transparency ? 4 : 3; break;
    case 4: info->channels = 2; break;
    case 6: info->channels = 4; break;
    default: return HEADER_CORRUPT;
    }
  return HEADER_OK;
}

int
bm_image_read_exif_orientation (const guint8 *data, gsize length)
{
  Reader reader = { .data = data, .length = length, .fd = -1 };
  HeaderInfo info = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, 1);

  if (!is_jpeg (data, length))
    return 1;
  read_jpeg_header (&reader, &info);
  return info.orientation >= 1 && info.orientation <= 8 ? info.orientation : 1;
}

/* stb_image decodes a JPEG cut short without complaint (the missing part comes out grey), so
 * look for the EOI marker after the first scan ourselves. */
static gboolean
jpeg_is_complete (const guint8 *data, gsize length)
{
  gsize pos = 2;

  while (pos < length)
    {
      guint8 marker;
      gsize segment_length;

      if (data[pos] != 0xFF)
        {
          const guint8 *next = memchr (data + pos, 0xFF, length - pos);

          if (next == NULL)
            return FALSE;
          pos = (gsize) (next - data);
          continue;
        }
      if (length - pos < 2)
        return FALSE;
      marker = data[pos + 1];
      if (marker == 0xD9)
        return TRUE;
      if (marker == 0xFF)
        {
          pos++;
          continue;
        }
      if (marker == 0x00 || !jpeg_marker_has_length (marker))
        {
          pos += 2;
          continue;
        }
      if (length - pos < 4)
        return FALSE;
      segment_length = ((gsize) data[pos + 2] << 8) | data[pos + 3];
      if (segment_length < 2)
        return FALSE;
      pos += 2 + segment_length;
    }
  return FALSE;
}

/* stb_image stops at IEND without reading its CRC; a file cut inside it must still count as
 * truncated. */
static gboolean
png_is_complete (const guint8 *data, gsize length)
{
  gsize pos = sizeof png_signature;

  while (length - pos >= 12)
    {
      guint32 chunk_length = be32 (data + pos);

      if (chunk_length > length - pos - 12)
        return FALSE;
      if (memcmp (data + pos + 4, "IEND", 4) == 0)
        return TRUE;
      pos += 12 + (gsize) chunk_length;
    }
  return FALSE;
}

/* --- orientation --------------------------------------------------------------------------- */

/* Where destination pixel (x, y) comes from: source byte offset = origin + x·step_x + y·step_y,
 * the transforms of PIL's ImageOps.exif_transpose. */
typedef struct
{
  ptrdiff_t origin;
  ptrdiff_t step_x;
  ptrdiff_t step_y;
  gboolean swaps_axes;
} OrientationMap;

static OrientationMap
orientation_map (const BmImage *src, int orientation)
{
  ptrdiff_t c = src->channels;
  ptrdiff_t row = src->stride;
  ptrdiff_t last_col = (ptrdiff_t) (src->width - 1) * c;
  ptrdiff_t last_row = (ptrdiff_t) (src->height - 1) * row;

  switch (orientation)
    {
    case 2: return (OrientationMap) { last_col, -c, row, FALSE };              /* mirror */
    case 3: return (OrientationMap) { last_row + last_col, -c, -row, FALSE };  /* rotate 180 */
    case 4: return (OrientationMap) { last_row, c, -row, FALSE };              /* flip */
    case 5: return (OrientationMap) { 0, row, c, TRUE };                       /* transpose */
    case 6: return (OrientationMap) { last_row, -row, c, TRUE };               /* rotate 90 cw */
    case 7: return (OrientationMap) { last_row + last_col, -row, -c, TRUE };   /* transverse */
    case 8: return (OrientationMap) { last_col, row, -c, TRUE };               /* rotate 90 ccw */
    default: return (OrientationMap) { 0, c, row, FALSE };
    }
}

#define ORIENT_BLOCK 64

/* Blocked so that the transposing orientations stay within cache on both sides. */
static void
remap_pixels (const BmImage *src, BmImage *dst, OrientationMap map)
{
  const int c = src->channels;

  for (int by = 0; by < dst->height; by += ORIENT_BLOCK)
    for (int bx = 0; bx < dst->width; bx += ORIENT_BLOCK)
      {
        int y_end = MIN (by + ORIENT_BLOCK, dst->height);
        int x_end = MIN (bx + ORIENT_BLOCK, dst->width);

        for (int y = by; y < y_end; y++)
          {
            guint8 *out = dst->data + (gsize) y * dst->stride + (gsize) bx * c;
            const guint8 *in = src->data + map.origin + (ptrdiff_t) y * map.step_y + (ptrdiff_t) bx * map.step_x;

            switch (c)
              {
              case 1:
                for (int x = bx; x < x_end; x++, out += 1, in += map.step_x)
                  out[0] = in[0];
                break;
              case 3:
                for (int x = bx; x < x_end; x++, out += 3, in += map.step_x)
                  out[0] = in[0], out[1] = in[1], out[2] = in[2];
                break;
              case 4:
                for (int x = bx; x < x_end; x++, out += 4, in += map.step_x)
                  memcpy (out, in, 4);
                break;
              default:
                for (int x = bx; x < x_end; x++, out += c, in += map.step_x)
                  memcpy (out, in, (gsize) c);
                break;
              }
          }
      }
}

static BmImage *
try_apply_orientation (const BmImage *image, int orientation)
{
  OrientationMap map = orientation_map (image, orientation);
  BmImage *turned = map.swaps_axes ? image_try_new (image->height, image->width, image->channels)
                                   : image_try_new (image->width, image->height, image->channels);

  if (turned == NULL)
    return NULL;
  remap_pixels (image, turned, map);
  copy_metadata (turned, image);
  turned->orientation = orientation;
  return turned;
}

BmImage *
bm_image_apply_orientation (BmImage *image, int orientation)
{
  BmImage *turned;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  turned = try_apply_orientation (image, orientation);
  if (turned == NULL)
    g_error ("%s: out of memory for a %dx%d image", G_STRFUNC, image->width, image->height);
  return turned;
}

static void
swap_bytes (guint8 *a, guint8 *b, gsize n)
{
  guint8 tmp[64];

  while (n > 0)
    {
      gsize chunk = MIN (n, sizeof tmp);

      memcpy (tmp, a, chunk);
      memcpy (a, b, chunk);
      memcpy (b, tmp, chunk);
      a += chunk, b += chunk, n -= chunk;
    }
}

static void
mirror_rows_in_place (BmImage *image)
{
  gsize c = (gsize) image->channels;

  for (int y = 0; y < image->height; y++)
    {
      guint8 *row = image->data + (gsize) y * image->stride;

      for (gsize l = 0, r = (gsize) (image->width - 1); l < r; l++, r--)
        swap_bytes (row + l * c, row + r * c, c);
    }
}

static void
flip_rows_in_place (BmImage *image)
{
  gsize row_bytes = (gsize) image->width * (gsize) image->channels;

  for (int top = 0, bottom = image->height - 1; top < bottom; top++, bottom--)
    swap_bytes (image->data + (gsize) top * image->stride, image->data + (gsize) bottom * image->stride, row_bytes);
}

/* The loader owns a fresh image: the flips need no second buffer, which matters at 1 GB. */
static BmImage *
orient_loaded_image (BmImage *image, int orientation)
{
  BmImage *turned;

  switch (orientation)
    {
    case 1:
      return image;
    case 2:
      mirror_rows_in_place (image);
      break;
    case 3:
      mirror_rows_in_place (image);
      flip_rows_in_place (image);
      break;
    case 4:
      flip_rows_in_place (image);
      break;
    default:
      turned = try_apply_orientation (image, orientation);
      bm_image_unref (image);
      return turned;
    }
  image->orientation = orientation;
  return image;
}

/* --- loading ------------------------------------------------------------------------------- */

static gboolean
probe_memory (const guint8 *data, gsize length, HeaderInfo *info)
{
  Reader reader = { .data = data, .length = length, .fd = -1 };

  if (is_jpeg (data, length))
    return read_jpeg_header (&reader, info) == HEADER_OK;
  if (is_png (data, length))
    return read_png_header (&reader, info) == HEADER_OK;

  info->orientation = 1;
  info->bits = 8;
  return stbi_info_from_memory (data, (int) length, &info->width, &info->height, &info->channels) == 1;
}

static gboolean
check_decoded_size (const HeaderInfo *info, const char *path, GError **error)
{
  guint64 bytes = (guint64) info->width * (guint64) info->height * (guint64) MAX (info->channels, 1);

  if (bytes <= MAX_DECODED_BYTES)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
               _("%s: the image is %d × %d pixels (%.1f GB when decoded), more than the 2 GB Boxmark accepts"),
               display_path (path), info->width, info->height, (double) bytes / 1e9);
  return FALSE;
}

static void
set_decode_error (const char *path, GError **error)
{
  const char *reason = stbi_failure_reason ();

  if (reason != NULL && strcmp (reason, "outofmem") == 0)
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to decode the image"), display_path (path));
  else
    g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: cannot decode the image (%s)"),
                 display_path (path), reason != NULL ? reason : _("unknown error"));
}

BmImage *
bm_image_load_from_memory (const guint8 *data, gsize length, const char *path, GError **error)
{
  HeaderInfo info = { 0 };
  BmImage *image;
  guint8 *pixels;
  int width, height, channels;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is empty"), display_path (path));
      return NULL;
    }
  if (length > G_MAXINT)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: image files above 2 GB are not supported"),
                   display_path (path));
      return NULL;
    }
  if (!probe_memory (data, length, &info))
    {
      if (is_jpeg (data, length) || is_png (data, length))
        g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image header is damaged or cut short"),
                     display_path (path));
      else
        g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: not an image in a format Boxmark reads"),
                     display_path (path));
      return NULL;
    }
  if (!check_decoded_size (&info, path, error))
    return NULL;
  if ((is_jpeg (data, length) && !jpeg_is_complete (data, length))
      || (is_png (data, length) && !png_is_complete (data, length)))
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image is truncated (its end is missing)"),
                   display_path (path));
      return NULL;
    }

  pixels = stbi_load_from_memory (data, (int) length, &width, &height, &channels, 0);
  if (pixels == NULL && is_png (data, length) && g_strcmp0 (stbi_failure_reason (), "too large") == 0)
    return bm_image_decode_png_large (data, length, path, error);
  if (pixels == NULL)
    {
      set_decode_error (path, error);
      return NULL;
    }

  image = image_wrap (width, height, channels, pixels);
  image->source_bits = stbi_is_16_bit_from_memory (data, (int) length) ? 16 : 8;
  image = orient_loaded_image (image, info.orientation);
  if (image == NULL)
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: not enough memory to rotate the image"), display_path (path));
  return image;
}

/* A regular file only (bm_file_open_regular), with a folder said as such. */
static int
open_image (const char *path, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd = bm_file_open_regular (path, 0, &local_error);

  if (fd >= 0)
    return fd;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: is a folder, not an image"), path);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return -1;
}

static void
set_open_error (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, BM_ERROR, saved_errno == ENOENT ? BM_ERROR_NOT_FOUND : BM_ERROR_IO,
               _("%s: cannot read: %s"), path, g_strerror (saved_errno));
}

BmImage *
bm_image_load (const char *path, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Only a regular file: a FIFO would block, /dev/zero never end. Its own errno is said
   * (permission denied is not an I/O error). */
  fd = open_image (path, error);
  if (fd < 0)
    return NULL;
  mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
  close (fd);
  if (mapped == NULL)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot read: %s"), path, local_error->message);
      return NULL;
    }
  return bm_image_load_from_memory ((const guint8 *) g_mapped_file_get_contents (mapped),
                                    g_mapped_file_get_length (mapped), path, error);
}

/* --- header-only size ---------------------------------------------------------------------- */

/* Formats other than JPEG and PNG are rare in datasets: stb_image reads their headers. */
static gboolean
read_other_info (const char *path, HeaderInfo *info, GError **error)
{
  int fd = bm_file_open_regular (path, 0, error);
  FILE *file = fd >= 0 ? fdopen (fd, "rb") : NULL;
  gboolean ok;

  if (file == NULL)
    {
      if (fd >= 0)
        {
          set_open_error (path, errno, error);
          close (fd);
        }
      return FALSE;
    }
  info->orientation = 1;
  info->bits = 8;
  ok = stbi_info_from_file (file, &info->width, &info->height, &info->channels);
  fclose (file);
  if (!ok)
    g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: not an image in a format Boxmark reads"), path);
  return ok;
}

static gboolean
read_fd_info (Reader *reader, const char *path, HeaderInfo *info, GError **error)
{
  const guint8 *head = reader->window;
  gsize n;
  HeaderResult result;

  if (!reader_pread_all (reader, reader->window, sizeof reader->window, 0, &reader->window_length))
    {
      if (reader->read_errno == EISDIR)
        g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: is a folder, not an image"), path);
      else
        set_open_error (path, reader->read_errno, error);
      return FALSE;
    }
  n = reader->window_length;
  if (n == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is empty"), path);
      return FALSE;
    }
  if (!is_jpeg (head, n) && !is_png (head, n))
    return read_other_info (path, info, error);

  result = is_jpeg (head, n) ? read_jpeg_header (reader, info) : read_png_header (reader, info);
  if (result != HEADER_OK)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image header is damaged or cut short"), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
bm_image_read_info (const char *path, int *width, int *height, int *channels, GError **error)
{
  HeaderInfo info = { 0 };
  Reader *reader;
  gboolean ok;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = open_image (path, error);
  if (fd < 0)
    return FALSE;
  reader = g_new0 (Reader, 1);
  reader->fd = fd;
  ok = read_fd_info (reader, path, &info, error);
  g_free (reader);
  close (fd);
  if (!ok)
    return FALSE;

  if (info.orientation >= 5)
    {
      int tmp = info.width;

      info.width = info.height;
      info.height = tmp;
    }
  if (width != NULL)
    *width = info.width;
  if (height != NULL)
    *height = info.height;
  if (channels != NULL)
    *channels = info.channels;
  return TRUE;
}

/* --- channel conversion -------------------------------------------------------------------- */

/* OpenCV's cvtColor(BGR2GRAY) for 8 bit: Y = (3735·B + 19235·G + 9798·R + 2^14) >> 15. */
static inline guint8
gray_from_rgb (const guint8 *rgb)
{
  return (guint8) ((9798u * rgb[0] + 19235u * rgb[1] + 3735u * rgb[2] + 16384u) >> 15);
}

static void
convert_row (const guint8 *in, int in_channels, guint8 *out, int out_channels, int width)
{
  gboolean in_gray = in_channels <= 2;
  gboolean in_alpha = in_channels == 2 || in_channels == 4;

  for (int x = 0; x < width; x++, in += in_channels, out += out_channels)
    {
      guint8 alpha = in_alpha ? in[in_channels - 1] : 255;

      switch (out_channels)
        {
        case 1:
          out[0] = in_gray ? in[0] : gray_from_rgb (in);
          break;
        case 2:
          out[0] = in_gray ? in[0] : gray_from_rgb (in);
          out[1] = alpha;
          break;
        default:
          if (in_gray)
            out[0] = out[1] = out[2] = in[0];
          else
            out[0] = in[0], out[1] = in[1], out[2] = in[2];
          if (out_channels == 4)
            out[3] = alpha;
          break;
        }
    }
}

BmImage *
bm_image_convert (BmImage *image, int channels)
{
  BmImage *converted;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (channels >= 1 && channels <= 4, NULL);

  if (image->channels == channels)
    return bm_image_ref (image);

  converted = bm_image_new (image->width, image->height, channels);
  copy_metadata (converted, image);
  for (int y = 0; y < image->height; y++)
    convert_row (image->data + (gsize) y * image->stride, image->channels,
                 converted->data + (gsize) y * converted->stride, channels, image->width);
  return converted;
}

/* --- saving -------------------------------------------------------------------------------- */

static void
append_to_byte_array (void *context, void *data, int size)
{
  g_byte_array_append (context, data, (guint) size);
}

gboolean
bm_image_save (BmImage *image, const char *path, int quality, GError **error)
{
  g_autoptr(GByteArray) encoded = NULL;
  g_autofree char *extension = NULL;
  g_autofree guint8 *packed = NULL;
  const guint8 *pixels;
  int ok;

  g_return_val_if_fail (image != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((guint64) image->stride * (guint64) image->height > G_MAXINT)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED, _("%s: the image is too large to save"), path);
      return FALSE;
    }

  extension = bm_path_get_extension (path);
  encoded = g_byte_array_new ();
  if (g_strcmp0 (extension, "png") == 0)
    ok = stbi_write_png_to_func (append_to_byte_array, encoded, image->width, image->height,
                                 image->channels, image->data, image->stride);
  else if (g_strcmp0 (extension, "jpg") == 0 || g_strcmp0 (extension, "jpeg") == 0)
    {
      pixels = image->data;
      if (image->stride != image->width * image->channels)
        {
          gsize row = (gsize) image->width * (gsize) image->channels;

          packed = g_malloc (row * (gsize) image->height);
          for (int y = 0; y < image->height; y++)
            memcpy (packed + (gsize) y * row, image->data + (gsize) y * image->stride, row);
          pixels = packed;
        }
      ok = stbi_write_jpg_to_func (append_to_byte_array, encoded, image->width, image->height,
                                   image->channels, pixels, CLAMP (quality, 1, 100));
    }
  else
    {
      g_set_error (error, BM_ERROR, BM_ERROR_UNSUPPORTED,
                   _("%s: cannot save images of this type (use .png, .jpg or .jpeg)"), path);
      return FALSE;
    }

  if (!ok)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: cannot encode the image"), path);
      return FALSE;
    }
  return bm_file_write_atomic (path, (const char *) encoded->data, encoded->len, error);
}
