/* fuzz-cascade.c: libFuzzer target for the OpenCV cascade loader and the detector.
 *
 * Besides "no crash, no hang, no leak": a rejected file gets an error naming it, and a cascade
 * that loads can be run on a small image (every index and rectangle was checked, so evaluation
 * stays inside the window) with the same result on one thread and on two.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/bm-cascade.h"
#include "core/bm-detector.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define IMAGE_SIDE 48

static void
check (gboolean condition)
{
  if (!condition)
    abort ();
}

static GArray *
detect (const BmCascade *cascade, const guint8 *pixels, int threads)
{
  BmDetectorParams params;

  bm_detector_params_init (&params);
  params.min_width = params.min_height = 0;
  params.min_neighbors = 1;
  params.scale_factor = 1.25;
  params.n_threads = threads;
  return bm_detector_detect_gray (cascade, pixels, IMAGE_SIDE, IMAGE_SIDE, IMAGE_SIDE, &params);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BmCascade) cascade = bm_cascade_load_from_memory ((const char *) data, size, "fuzz.xml", &error);
  guint8 pixels[IMAGE_SIDE * IMAGE_SIDE];
  g_autoptr(GArray) one = NULL;
  g_autoptr(GArray) two = NULL;

  if (cascade == NULL)
    {
      check (error != NULL && g_str_has_prefix (error->message, "fuzz.xml:"));
      return 0;
    }
  check (error == NULL && cascade->n_stages > 0);
  /* Keep each input fast: big windows or long cascades only test the loader. */
  if (cascade->width > IMAGE_SIDE || cascade->height > IMAGE_SIDE || cascade->n_trees > 2000)
    return 0;

  for (int i = 0; i < IMAGE_SIDE * IMAGE_SIDE; i++)
    pixels[i] = (guint8) ((i * 7919u + (i / IMAGE_SIDE) * 31u) % 256u);
  one = detect (cascade, pixels, 1);
  two = detect (cascade, pixels, 2);
  check (one->len == two->len);
  check (one->len == 0 || memcmp (one->data, two->data, one->len * sizeof (BmDetection)) == 0);
  return 0;
}
