/* bm-exif.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "bm-exif.h"

#define EXIF_TAG_ORIENTATION 0x0112
#define TIFF_TYPE_SHORT      3
#define TIFF_TYPE_LONG       4
#define IFD_ENTRY_SIZE       12

static guint16
read_u16 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? (guint16) ((p[0] << 8) | p[1]) : (guint16) ((p[1] << 8) | p[0]);
}

static guint32
read_u32 (const guint8 *p, gboolean big_endian)
{
  if (big_endian)
    return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static int
orientation_from_entry (const guint8 *entry, gboolean big_endian)
{
  guint16 type = read_u16 (entry + 2, big_endian);
  guint32 count = read_u32 (entry + 4, big_endian);
  guint32 value;

  if (count < 1)
    return 0;
  /* A value of at most 4 bytes is stored in the entry itself, left-justified. */
  if (type == TIFF_TYPE_SHORT)
    value = read_u16 (entry + 8, big_endian);
  else if (type == TIFF_TYPE_LONG)
    value = read_u32 (entry + 8, big_endian);
  else
    return 0;
  return value >= 1 && value <= 8 ? (int) value : 0;
}

int
bm_exif_parse_orientation (const guint8 *tiff, gsize length)
{
  gboolean big_endian;
  guint32 ifd_offset;
  guint16 n_entries;

  if (tiff == NULL || length < 8)
    return 0;
  if (memcmp (tiff, "II", 2) == 0)
    big_endian = FALSE;
  else if (memcmp (tiff, "MM", 2) == 0)
    big_endian = TRUE;
  else
    return 0;
  if (read_u16 (tiff + 2, big_endian) != 42)
    return 0;

  ifd_offset = read_u32 (tiff + 4, big_endian);
  if (ifd_offset < 8 || ifd_offset > length || length - ifd_offset < 2)
    return 0;
  n_entries = read_u16 (tiff + ifd_offset, big_endian);

  for (guint i = 0; i < n_entries; i++)
    {
      gsize entry = (gsize) ifd_offset + 2 + (gsize) i * IFD_ENTRY_SIZE;

      if (entry > length || length - entry < IFD_ENTRY_SIZE)
        return 0;
      if (read_u16 (tiff + entry, big_endian) == EXIF_TAG_ORIENTATION)
        return orientation_from_entry (tiff + entry, big_endian);
    }
  return 0;
}

int
bm_exif_parse_app1 (const guint8 *payload, gsize length)
{
  static const char exif_header[6] = { 'E', 'x', 'i', 'f', 0, 0 };

  if (payload == NULL || length < sizeof exif_header || memcmp (payload, exif_header, sizeof exif_header) != 0)
    return 0;
  return bm_exif_parse_orientation (payload + sizeof exif_header, length - sizeof exif_header);
}
