/* bm-eval-alloc.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <sys/mman.h>

#include "bm-eval-alloc.h"

#define HUGE_PAGE  ((gsize) 2 << 20)
#define THRESHOLD  ((gsize) 4 << 20)
/* Room before each block for how it was made; keeps doubles aligned. */
#define HEADER     ((gsize) 64)

typedef struct
{
  gpointer mapping;   /* NULL: from g_malloc */
  gsize length;
} Header;

gpointer
bm_eval_alloc_large (gsize size)
{
  Header *header;
  char *base;

  if (size >= THRESHOLD)
    {
      gsize length = size + HEADER + HUGE_PAGE;
      void *mapping = mmap (NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (mapping != MAP_FAILED)
        {
          guintptr aligned = ((guintptr) mapping + HUGE_PAGE - 1) & ~(guintptr) (HUGE_PAGE - 1);

          /* the data starts on a huge-page boundary, the header just before it */
          if (aligned - (guintptr) mapping < HEADER)
            aligned += HUGE_PAGE;
          madvise ((void *) aligned, length - (aligned - (guintptr) mapping), MADV_HUGEPAGE);
          header = (Header *) (aligned - HEADER);
          header->mapping = mapping;
          header->length = length;
          return (char *) aligned;
        }
    }
  base = g_malloc (size + HEADER);
  header = (Header *) base;
  header->mapping = NULL;
  header->length = 0;
  return base + HEADER;
}

void
bm_eval_free_large (gpointer block)
{
  Header *header;

  if (block == NULL)
    return;
  header = (Header *) ((char *) block - HEADER);
  if (header->mapping != NULL)
    munmap (header->mapping, header->length);
  else
    g_free (header);
}
