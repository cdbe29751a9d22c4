/* bm-image-header.c: image sizes from the file header alone, without decoding pixels: JPEG
 * (with its EXIF orientation) and PNG by hand, over memory or over a file read with pread, TIFF
 * through libtiff and the rest through stb_image.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bm-error.h"
#include "bm-exif.h"
#include "bm-file-util.h"
#include "bm-image-private.h"

/* PNG chunks tolerated before the first IDAT when reading a header. */
#define MAX_PNG_HEADER_CHUNKS 10000

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

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

/* Classic TIFF ("II*\0", "MM\0*") and BigTIFF ("II+\0", "MM\0+"). */
static gboolean
is_tiff (const guint8 *bytes, gsize length)
{
  return length >= 4
         && ((bytes[0] == 'I' && bytes[1] == 'I' && (bytes[2] == 42 || bytes[2] == 43) && bytes[3] == 0)
             || (bytes[0] == 'M' && bytes[1] == 'M' && bytes[2] == 0 && (bytes[3] == 42 || bytes[3] == 43)));
}

BmImageFormat
bm_image_sniff_format (const guint8 *head, gsize length)
{
  if (is_jpeg (head, length))
    return BM_IMAGE_FORMAT_JPEG;
  if (is_png (head, length))
    return BM_IMAGE_FORMAT_PNG;
  if (is_tiff (head, length))
    return BM_IMAGE_FORMAT_TIFF;
  return BM_IMAGE_FORMAT_OTHER;
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
read_jpeg_header (Reader *r, BmImageHeader *info)
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
read_png_header (Reader *r, BmImageHeader *info)
{
  guint8 signature[8], chunk[8], ihdr[13];
  gboolean has_transparency = FALSE;
  guint32 palette_entries = 0;
  gboolean has_palette = FALSE;
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

  /* A tRNS chunk before the image data adds an alpha channel — one libpng takes: it ignores a
   * tRNS of the wrong size for the colour type, or before a palette (png_handle_tRNS), and the
   * decoder's rows must have the channels said here (the stream copies that many). */
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
      if (memcmp (chunk + 4, "PLTE", 4) == 0 && !has_palette)
        {
          has_palette = TRUE;
          palette_entries = length / 3;
        }
      if (memcmp (chunk + 4, "tRNS", 4) == 0
          && ((color_type == 0 && length == 2) || (color_type == 2 && length == 6)
              || (color_type == 3 && has_palette && length >= 1 && length <= palette_entries && length <= 256)))
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
  BmImageHeader info = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, 1);

  if (!is_jpeg (data, length))
    return 1;
  read_jpeg_header (&reader, &info);
  return info.orientation >= 1 && info.orientation <= 8 ? info.orientation : 1;
}

/* libjpeg decodes a JPEG cut short with only a warning (the missing part comes out grey), so
 * look for the EOI marker after the first scan ourselves. */
gboolean
bm_image_jpeg_is_complete (const guint8 *data, gsize length)
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

/* A file cut inside its IEND chunk must still count as truncated. */
gboolean
bm_image_png_is_complete (const guint8 *data, gsize length)
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

/* --- header-only size ---------------------------------------------------------------------- */

void
bm_image_set_open_error (const char *path, int saved_errno, GError **error)
{
  g_set_error (error, BM_ERROR, saved_errno == ENOENT ? BM_ERROR_NOT_FOUND : BM_ERROR_IO,
               _("%s: cannot read: %s"), path, g_strerror (saved_errno));
}

int
bm_image_open_regular (const char *path, GError **error)
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

FILE *
bm_image_fopen_regular (const char *path, GError **error)
{
  int fd = bm_image_open_regular (path, error);
  FILE *file;

  if (fd < 0)
    return NULL;
  file = fdopen (fd, "rb");
  if (file == NULL)
    {
      bm_image_set_open_error (path, errno, error);
      close (fd);
    }
  return file;
}

const char *
bm_image_display_path (const char *path)
{
  return path != NULL ? path : "(memory)";
}

gboolean
bm_image_check_decoded_size (const BmImageHeader *header, const char *path, GError **error)
{
  guint64 bytes = (guint64) header->width * (guint64) header->height * (guint64) MAX (header->channels, 1);

  if (bytes <= BM_IMAGE_MAX_DECODED_BYTES)
    return TRUE;
  g_set_error (error, BM_ERROR, BM_ERROR_INVALID,
               _("%s: the image is %d × %d pixels (%.1f GB when decoded), more than the 2 GB Boxmark accepts"),
               bm_image_display_path (path), header->width, header->height, (double) bytes / 1e9);
  return FALSE;
}

gboolean
bm_image_parse_header (const guint8 *data, gsize length, BmImageFormat format, BmImageHeader *header)
{
  Reader reader = { .data = data, .length = length, .fd = -1 };

  switch (format)
    {
    case BM_IMAGE_FORMAT_JPEG:
      return read_jpeg_header (&reader, header) == HEADER_OK;
    case BM_IMAGE_FORMAT_PNG:
      return read_png_header (&reader, header) == HEADER_OK;
    case BM_IMAGE_FORMAT_TIFF:
      return bm_image_tiff_parse_header (data, length, header);
    case BM_IMAGE_FORMAT_OTHER:
    default:
      return bm_image_stb_parse_header (data, length, header);
    }
}

static gboolean
read_fd_info (Reader *reader, const char *path, BmImageFormat *format, BmImageHeader *info, GError **error)
{
  const guint8 *head = reader->window;
  gsize n;
  HeaderResult result;

  if (!reader_pread_all (reader, reader->window, sizeof reader->window, 0, &reader->window_length))
    {
      if (reader->read_errno == EISDIR)
        g_set_error (error, BM_ERROR, BM_ERROR_IO, _("%s: is a folder, not an image"), path);
      else
        bm_image_set_open_error (path, reader->read_errno, error);
      return FALSE;
    }
  n = reader->window_length;
  if (n == 0)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the file is empty"), path);
      return FALSE;
    }
  *format = bm_image_sniff_format (head, n);
  switch (*format)
    {
    case BM_IMAGE_FORMAT_JPEG:
      result = read_jpeg_header (reader, info);
      break;
    case BM_IMAGE_FORMAT_PNG:
      result = read_png_header (reader, info);
      break;
    case BM_IMAGE_FORMAT_TIFF:
      return bm_image_tiff_read_info (path, info, error);
    case BM_IMAGE_FORMAT_OTHER:
    default:
      /* Formats other than JPEG, PNG and TIFF are rare in datasets: stb_image reads them. */
      return bm_image_stb_read_info (path, info, error);
    }
  if (result != HEADER_OK)
    {
      g_set_error (error, BM_ERROR, BM_ERROR_PARSE, _("%s: the image header is damaged or cut short"), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
bm_image_read_header (const char *path, BmImageFormat *format, BmImageHeader *header, GError **error)
{
  g_autofree Reader *reader = NULL;
  gboolean ok;
  int fd;

  fd = bm_image_open_regular (path, error);
  if (fd < 0)
    return FALSE;
  reader = g_new0 (Reader, 1);
  reader->fd = fd;
  ok = read_fd_info (reader, path, format != NULL ? format : &(BmImageFormat) { 0 }, header, error);
  close (fd);
  return ok;
}

gboolean
bm_image_read_info (const char *path, int *width, int *height, int *channels, GError **error)
{
  BmImageHeader info = { 0 };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bm_image_read_header (path, NULL, &info, error))
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
