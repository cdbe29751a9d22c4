/* bm-error.h: Boxmark's error domain.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BM_ERROR (bm_error_quark ())

typedef enum
{
  BM_ERROR_PARSE,        /* the file's text is not what its format allows */
  BM_ERROR_INVALID,      /* well-formed but the values make no sense */
  BM_ERROR_IO,           /* reading or writing failed */
  BM_ERROR_READ_ONLY,    /* the annotation had problems on load: saving it would lose data */
  BM_ERROR_UNSUPPORTED,  /* a format or feature we do not handle */
  BM_ERROR_NOT_FOUND,    /* a file, class or resource is missing */
  BM_ERROR_CANCELLED,
  BM_ERROR_CONFLICT,     /* the file changed on disk since it was read */
} BmError;

GQuark bm_error_quark (void);

G_END_DECLS
